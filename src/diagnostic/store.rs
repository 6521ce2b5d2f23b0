//! Storage of diagnostics, their answers and the question banks in use.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock, RwLock};

use sqlx::Row;

use super::bank::{Bank, BankError, DEFAULT_BANK};
use super::scoring::{Level, Response, Scores};
use crate::auth::hash_secret;
use crate::db::{now_ms, Db};
use crate::web::pipeline::random_token;

static BANKS: OnceLock<RwLock<HashMap<String, Arc<Bank>>>> = OnceLock::new();

fn cache() -> &'static RwLock<HashMap<String, Arc<Bank>>> {
    BANKS.get_or_init(|| RwLock::new(HashMap::new()))
}

/// Theme slugs shipped in seed/themes.toml.
pub fn shipped_themes() -> HashSet<String> {
    include_str!("../../seed/themes.toml")
        .lines()
        .filter_map(|l| l.strip_prefix("slug = \""))
        .map(|l| l.trim_end_matches('"').to_string())
        .collect()
}

/// The bank shipped with the binary, validated (call at start).
pub fn default_bank() -> Result<Arc<Bank>, BankError> {
    if let Some(b) = cache()
        .read()
        .ok()
        .and_then(|c| c.get("__default").cloned())
    {
        return Ok(b);
    }
    let bank = Arc::new(Bank::parse(
        DEFAULT_BANK.0,
        DEFAULT_BANK.1,
        &shipped_themes(),
    )?);
    if let Ok(mut c) = cache().write() {
        c.insert("__default".into(), bank.clone());
        c.insert(bank.version.clone(), bank.clone());
    }
    Ok(bank)
}

/// A bank by version: the shipped one or one imported into the database.
pub async fn bank(db: &Db, version: &str) -> anyhow::Result<Arc<Bank>> {
    if let Some(b) = cache().read().ok().and_then(|c| c.get(version).cloned()) {
        return Ok(b);
    }
    let default = default_bank()?;
    if default.version == version {
        return Ok(default);
    }
    let source: Option<String> =
        sqlx::query_scalar("SELECT source FROM question_banks WHERE version = $1")
            .bind(version)
            .fetch_optional(&db.pool)
            .await?;
    let source = source.ok_or_else(|| anyhow::anyhow!("question bank {version} is not known"))?;
    let bank = Arc::new(Bank::parse(
        &format!("bank {version}"),
        &source,
        &HashSet::new(),
    )?);
    if let Ok(mut c) = cache().write() {
        c.insert(version.to_string(), bank.clone());
    }
    Ok(bank)
}

/// The bank new diagnostics use: the latest active import, else the shipped one.
pub async fn current_bank(db: &Db) -> anyhow::Result<Arc<Bank>> {
    let active: Option<String> = sqlx::query_scalar(
        "SELECT version FROM question_banks WHERE active = 1 ORDER BY imported_at DESC LIMIT 1",
    )
    .fetch_optional(&db.pool)
    .await?;
    match active {
        Some(v) => bank(db, &v).await,
        None => Ok(default_bank()?),
    }
}

/// Why an imported bank was refused.
#[derive(Debug)]
pub enum ImportError {
    Invalid(BankError),
    VersionExists(String),
    Db(sqlx::Error),
}

/// Import and activate a new bank version (validated against the themes).
pub async fn import_bank(
    db: &Db,
    file: &str,
    text: &str,
    by: Option<i64>,
) -> Result<Arc<Bank>, ImportError> {
    let themes: HashSet<String> = sqlx::query_scalar::<_, String>("SELECT slug FROM themes")
        .fetch_all(&db.pool)
        .await
        .map_err(ImportError::Db)?
        .into_iter()
        .chain(shipped_themes())
        .collect();
    let bank = Bank::parse(file, text, &themes).map_err(ImportError::Invalid)?;
    if bank.version
        == default_bank()
            .map(|b| b.version.clone())
            .unwrap_or_default()
    {
        return Err(ImportError::VersionExists(bank.version));
    }
    let mut tx = db.begin_write().await.map_err(ImportError::Db)?;
    let inserted = sqlx::query(
        "INSERT INTO question_banks (version, bank_id, source, imported_by, imported_at, active) VALUES ($1, $2, $3, $4, $5, 1)",
    )
    .bind(&bank.version)
    .bind(&bank.id)
    .bind(text)
    .bind(by)
    .bind(now_ms())
    .execute(&mut *tx)
    .await;
    if let Err(e) = inserted {
        return Err(if crate::db::is_unique_violation(&e) {
            ImportError::VersionExists(bank.version)
        } else {
            ImportError::Db(e)
        });
    }
    sqlx::query("UPDATE question_banks SET active = 0 WHERE version <> $1")
        .bind(&bank.version)
        .execute(&mut *tx)
        .await
        .map_err(ImportError::Db)?;
    tx.commit().await.map_err(ImportError::Db)?;
    Ok(Arc::new(bank))
}

/// A diagnostic as stored.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub id: i64,
    pub business_id: Option<i64>,
    pub user_id: Option<i64>,
    pub bank_version: String,
    pub full: bool,
    pub submitted: bool,
    pub assisted: bool,
    pub sector_code: Option<String>,
    pub size_band: Option<String>,
    pub territory_code: Option<String>,
    pub scores: Option<Scores>,
    pub level: Option<String>,
    pub created_at: i64,
    pub submitted_at: Option<i64>,
}

const COLUMNS: &str =
    "id, business_id, user_id, bank_version, mode, status, assisted, sector_code, size_band, \
    territory_code, scores_json, level, created_at, submitted_at";

fn from_row(r: &sqlx::any::AnyRow) -> Diagnostic {
    let opt = |c: &str| crate::db::opt_text(r, c);
    Diagnostic {
        id: r.get("id"),
        business_id: r.try_get("business_id").ok().flatten(),
        user_id: r.try_get("user_id").ok().flatten(),
        bank_version: r.get("bank_version"),
        full: r.get::<String, _>("mode") == "full",
        submitted: r.get::<String, _>("status") == "submitted",
        assisted: r.get::<i64, _>("assisted") == 1,
        sector_code: opt("sector_code"),
        size_band: opt("size_band"),
        territory_code: opt("territory_code"),
        scores: opt("scores_json").and_then(|j| serde_json::from_str(&j).ok()),
        level: opt("level"),
        created_at: r.get("created_at"),
        submitted_at: r.try_get("submitted_at").ok().flatten(),
    }
}

/// Who a new diagnostic is for, and its comparison profile.
#[derive(Debug, Clone, Default)]
pub struct NewDiagnostic {
    pub programme_id: Option<i64>,
    pub business_id: Option<i64>,
    pub user_id: Option<i64>,
    pub full: bool,
    pub assisted: bool,
    pub adviser_id: Option<i64>,
    pub sector_code: Option<String>,
    pub size_band: Option<String>,
    pub territory_code: Option<String>,
}

/// Start a diagnostic; returns its id and the secret of its private link.
pub async fn create(db: &Db, bank: &Bank, n: &NewDiagnostic) -> Result<(i64, String), sqlx::Error> {
    let token = random_token();
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO diagnostics (token_hash, programme_id, business_id, user_id, bank_version, mode, status, assisted, \
         adviser_id, sector_code, size_band, territory_code, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(hash_secret(&token))
    .bind(n.programme_id)
    .bind(n.business_id)
    .bind(n.user_id)
    .bind(&bank.version)
    .bind(if n.full { "full" } else { "quick" })
    .bind(i64::from(n.assisted))
    .bind(n.adviser_id)
    .bind(n.sector_code.as_deref())
    .bind(n.size_band.as_deref())
    .bind(n.territory_code.as_deref())
    .bind(now)
    .fetch_one(&db.pool)
    .await?;
    Ok((id, token))
}

/// The diagnostic behind a private link.
pub async fn by_token(db: &Db, token: &str) -> Result<Option<Diagnostic>, sqlx::Error> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM diagnostics WHERE token_hash = $1"
    ))
    .bind(hash_secret(token))
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.as_ref().map(from_row))
}

/// All answers of a diagnostic.
pub async fn responses(db: &Db, id: i64) -> Result<HashMap<String, Response>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT question_code, response_json FROM diagnostic_answers WHERE diagnostic_id = $1",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(q, j)| serde_json::from_str(&j).ok().map(|r| (q, r)))
        .collect())
}

/// Save (or replace) one answer.
pub async fn save_response(
    db: &Db,
    id: i64,
    question: &str,
    r: &Response,
) -> Result<(), sqlx::Error> {
    let json = serde_json::to_string(r).unwrap_or_default();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO diagnostic_answers (diagnostic_id, question_code, response_json, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (diagnostic_id, question_code) DO UPDATE SET response_json = excluded.response_json, updated_at = excluded.updated_at",
    )
    .bind(id)
    .bind(question)
    .bind(json)
    .bind(now)
    .execute(&db.pool)
    .await?;
    sqlx::query("UPDATE diagnostics SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Record the comparison profile (sector, size, territory).
pub async fn set_profile(
    db: &Db,
    id: i64,
    sector: Option<&str>,
    size: Option<&str>,
    territory: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE diagnostics SET sector_code = $1, size_band = $2, territory_code = $3, updated_at = $4 WHERE id = $5")
        .bind(sector)
        .bind(size)
        .bind(territory)
        .bind(now_ms())
        .bind(id)
        .execute(&db.pool)
        .await
        .map(|_| ())
}

/// Turn a quick check into the full assessment, keeping every answer.
pub async fn extend(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE diagnostics SET mode = 'full', status = 'draft', updated_at = $1 WHERE id = $2",
    )
    .bind(now_ms())
    .bind(id)
    .execute(&db.pool)
    .await
    .map(|_| ())
}

/// Store the computed scores and mark the diagnostic submitted.
pub async fn submit(db: &Db, id: i64, scores: &Scores) -> Result<(), sqlx::Error> {
    let now = now_ms();
    sqlx::query(
        "UPDATE diagnostics SET status = 'submitted', overall = $1, level = $2, scores_json = $3, submitted_at = $4, updated_at = $4 WHERE id = $5",
    )
    .bind(scores.overall)
    .bind(scores.overall.map(|o| Level::of(o).code()))
    .bind(serde_json::to_string(scores).unwrap_or_default())
    .bind(now)
    .bind(id)
    .execute(&db.pool)
    .await
    .map(|_| ())
}

/// Submitted diagnostics of a business (or of a person without one), oldest first.
pub async fn series(
    db: &Db,
    business_id: Option<i64>,
    user_id: Option<i64>,
) -> Result<Vec<Diagnostic>, sqlx::Error> {
    let rows = match business_id {
        Some(b) => {
            sqlx::query(&format!(
                "SELECT {COLUMNS} FROM diagnostics WHERE business_id = $1 AND status = 'submitted' ORDER BY submitted_at, id"
            ))
            .bind(b)
            .fetch_all(&db.pool)
            .await?
        }
        None => {
            sqlx::query(&format!(
                "SELECT {COLUMNS} FROM diagnostics WHERE user_id = $1 AND status = 'submitted' ORDER BY submitted_at, id"
            ))
            .bind(user_id.unwrap_or(-1))
            .fetch_all(&db.pool)
            .await?
        }
    };
    Ok(rows.iter().map(from_row).collect())
}

/// Unfinished diagnostics of a person, newest first.
pub async fn drafts_of(db: &Db, user_id: i64) -> Result<Vec<Diagnostic>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM diagnostics WHERE user_id = $1 AND status = 'draft' ORDER BY updated_at DESC LIMIT 5"
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// Give a draft a new private link (to resume from the account page).
pub async fn new_link(db: &Db, id: i64) -> Result<String, sqlx::Error> {
    let token = random_token();
    sqlx::query("UPDATE diagnostics SET token_hash = $1 WHERE id = $2")
        .bind(hash_secret(&token))
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(token)
}

/// Which group a comparison was made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Group {
    SectorSizeTerritory,
    SectorSize,
    Sector,
    All,
}

impl Group {
    /// Stable code for translation keys.
    pub fn code(self) -> &'static str {
        match self {
            Group::SectorSizeTerritory => "sector-size-territory",
            Group::SectorSize => "sector-size",
            Group::Sector => "sector",
            Group::All => "all",
        }
    }
}

/// Quartiles of a set of scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quartiles {
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
}

/// Linear-interpolation quartiles (None for an empty set).
pub fn quartiles(values: &mut [f64]) -> Option<Quartiles> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let at = |p: f64| {
        let pos = p * (values.len() - 1) as f64;
        let lo = pos.floor() as usize;
        let hi = pos.ceil() as usize;
        let v = values[lo] + (values[hi] - values[lo]) * (pos - lo as f64);
        (v * 10.0).round() / 10.0
    };
    Some(Quartiles {
        q1: at(0.25),
        median: at(0.5),
        q3: at(0.75),
    })
}

/// A comparison with similar businesses.
#[derive(Debug, Clone)]
pub struct Benchmark {
    pub group: Group,
    pub size: usize,
    pub overall: Quartiles,
    pub dimensions: Vec<(String, Option<Quartiles>)>,
}

/// The smallest group a comparison is shown for.
pub const MIN_GROUP: usize = 5;

/// Groups at least this large are cached: one more or less member (the
/// diagnostic being viewed) does not move their quartiles visibly, and
/// recomputing them over thousands of diagnostics on every page view would.
const CACHE_FROM: usize = 50;
/// How long a cached comparison is reused.
const CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(60);

type BenchKey = (u64, Group, Vec<String>);
type BenchCache = HashMap<BenchKey, (std::time::Instant, Benchmark)>;
static BENCH_CACHE: OnceLock<RwLock<BenchCache>> = OnceLock::new();

fn cached_benchmark(key: &BenchKey) -> Option<Benchmark> {
    let cache = BENCH_CACHE.get()?.read().ok()?;
    let (at, b) = cache.get(key)?;
    (at.elapsed() < CACHE_TTL).then(|| b.clone())
}

fn remember_benchmark(key: BenchKey, b: &Benchmark) {
    let lock = BENCH_CACHE.get_or_init(|| RwLock::new(HashMap::new()));
    if let Ok(mut cache) = lock.write() {
        if cache.len() > 1000 {
            cache.retain(|_, (at, _)| at.elapsed() < CACHE_TTL);
        }
        cache.insert(key, (std::time::Instant::now(), b.clone()));
    }
}

/// Compare with similar businesses: same sector, size and territory, widened
/// (territory, then size, then sector) until the group has enough members.
/// Only the latest submitted diagnostic of each business counts.
pub async fn benchmark(db: &Db, d: &Diagnostic) -> Result<Option<Benchmark>, sqlx::Error> {
    let base = "SELECT d.scores_json FROM diagnostics d WHERE d.status = 'submitted' AND d.id <> $1 \
        AND d.scores_json IS NOT NULL AND (d.business_id IS NULL OR d.id = (SELECT x.id FROM diagnostics x \
        WHERE x.business_id = d.business_id AND x.status = 'submitted' ORDER BY x.submitted_at DESC, x.id DESC LIMIT 1))";
    let candidates = [
        (
            Group::SectorSizeTerritory,
            d.sector_code.is_some() && d.size_band.is_some() && d.territory_code.is_some(),
        ),
        (
            Group::SectorSize,
            d.sector_code.is_some() && d.size_band.is_some(),
        ),
        (Group::Sector, d.sector_code.is_some()),
        (Group::All, true),
    ];
    for (group, applicable) in candidates {
        if !applicable {
            continue;
        }
        let (sql, binds): (String, Vec<&str>) = match group {
            Group::SectorSizeTerritory => (
                format!(
                    "{base} AND d.sector_code = $2 AND d.size_band = $3 AND d.territory_code = $4"
                ),
                vec![
                    d.sector_code.as_deref().unwrap_or(""),
                    d.size_band.as_deref().unwrap_or(""),
                    d.territory_code.as_deref().unwrap_or(""),
                ],
            ),
            Group::SectorSize => (
                format!("{base} AND d.sector_code = $2 AND d.size_band = $3"),
                vec![
                    d.sector_code.as_deref().unwrap_or(""),
                    d.size_band.as_deref().unwrap_or(""),
                ],
            ),
            Group::Sector => (
                format!("{base} AND d.sector_code = $2"),
                vec![d.sector_code.as_deref().unwrap_or("")],
            ),
            Group::All => (base.to_string(), vec![]),
        };
        let key = (
            db.id,
            group,
            binds.iter().map(|b| b.to_string()).collect::<Vec<_>>(),
        );
        if let Some(cached) = cached_benchmark(&key) {
            return Ok(Some(cached));
        }
        let mut q = sqlx::query_scalar::<_, String>(&sql).bind(d.id);
        for b in binds {
            q = q.bind(b);
        }
        let rows: Vec<Scores> = q
            .fetch_all(&db.pool)
            .await?
            .iter()
            .filter_map(|j| serde_json::from_str(j).ok())
            .collect();
        if rows.len() < MIN_GROUP {
            continue;
        }
        let mut overall: Vec<f64> = rows.iter().filter_map(|s| s.overall).collect();
        let Some(overall) = quartiles(&mut overall) else {
            continue;
        };
        let dimensions = super::bank::DIMENSIONS
            .iter()
            .map(|dim| {
                let mut v: Vec<f64> = rows.iter().filter_map(|s| s.of(dim)).collect();
                (dim.to_string(), quartiles(&mut v))
            })
            .collect();
        let bench = Benchmark {
            group,
            size: rows.len(),
            overall,
            dimensions,
        };
        if bench.size >= CACHE_FROM {
            remember_benchmark(key, &bench);
        }
        return Ok(Some(bench));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_interpolate() {
        let q = quartiles(&mut [10.0, 20.0, 30.0, 40.0, 50.0]).unwrap();
        assert_eq!((q.q1, q.median, q.q3), (20.0, 30.0, 40.0));
        let q = quartiles(&mut [40.0, 10.0, 30.0, 20.0]).unwrap();
        assert_eq!((q.q1, q.median, q.q3), (17.5, 25.0, 32.5));
        assert!(quartiles(&mut []).is_none());
    }
}
