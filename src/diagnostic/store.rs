//! Storage of diagnostics, their answers, the adviser's notes and the
//! question banks in use: every SQL statement of the diagnostic. Statuses
//! and modes are stored as their model `code()`; `WHERE` clauses write
//! `'submitted'` and `'draft'` out so PostgreSQL can match the partial index
//! on submitted diagnostics.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock, RwLock};

use super::bank::{Bank, BankError, DEFAULT_BANK};
use super::cache::Caches;
use super::model::{Benchmark, Group, Guidance, Level, Mode, Status};
use super::scoring::{Response, Scores};
use crate::auth::hash_secret;
use crate::db::{now_ms, Db};
use crate::i18n::Locale;
use crate::kernel::bilingual::column;
use crate::web::pipeline::random_token;

/// Parsed banks by version. A process-wide registry rather than a field of
/// the state: a version's text never changes once imported (versions are
/// unique), so a parsed bank is the same for every database and never stale,
/// and `default_bank()` is needed before any state exists (at start-up).
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
    pub mode: Mode,
    pub status: Status,
    pub guidance: Guidance,
    pub sector_code: Option<String>,
    pub size_band: Option<String>,
    pub territory_code: Option<String>,
    /// The commune, when the person gave it (the territory is then its
    /// department or province).
    pub commune_code: Option<String>,
    pub scores: Option<Scores>,
    pub level: Option<Level>,
    pub created_at: i64,
    pub submitted_at: Option<i64>,
}

impl Diagnostic {
    /// True for the full assessment (false for the quick check).
    pub fn is_full(&self) -> bool {
        self.mode.is_full()
    }

    /// True once submitted (scores stored).
    pub fn is_submitted(&self) -> bool {
        self.status == Status::Submitted
    }

    /// True when an adviser leads it.
    pub fn is_assisted(&self) -> bool {
        self.guidance == Guidance::Assisted
    }

    /// When it was submitted, else when it was started.
    pub fn taken_at(&self) -> i64 {
        self.submitted_at.unwrap_or(self.created_at)
    }
}

/// The one column list of a diagnostic, matching [`DiagnosticRow`].
const COLUMNS: &str =
    "id, business_id, user_id, bank_version, mode, status, assisted, sector_code, size_band, \
    territory_code, commune_code, scores_json, level, created_at, submitted_at";

/// A `diagnostics` row as read; [`Diagnostic`] is its typed form.
#[derive(sqlx::FromRow)]
struct DiagnosticRow {
    id: i64,
    business_id: Option<i64>,
    user_id: Option<i64>,
    bank_version: String,
    mode: String,
    status: String,
    assisted: i64,
    sector_code: Option<String>,
    size_band: Option<String>,
    territory_code: Option<String>,
    commune_code: Option<String>,
    scores_json: Option<String>,
    level: Option<String>,
    created_at: i64,
    submitted_at: Option<i64>,
}

impl From<DiagnosticRow> for Diagnostic {
    fn from(r: DiagnosticRow) -> Diagnostic {
        Diagnostic {
            id: r.id,
            business_id: r.business_id,
            user_id: r.user_id,
            bank_version: r.bank_version,
            mode: Mode::from_code(&r.mode),
            status: Status::from_code(&r.status),
            guidance: Guidance::from_flag(r.assisted),
            sector_code: r.sector_code,
            size_band: r.size_band,
            territory_code: r.territory_code,
            commune_code: r.commune_code,
            scores: r.scores_json.and_then(|j| serde_json::from_str(&j).ok()),
            level: r.level.as_deref().and_then(Level::from_code),
            created_at: r.created_at,
            submitted_at: r.submitted_at,
        }
    }
}

/// Who a new diagnostic is for, and its comparison profile.
#[derive(Debug, Clone, Default)]
pub struct NewDiagnostic {
    pub programme_id: Option<i64>,
    pub business_id: Option<i64>,
    pub user_id: Option<i64>,
    pub mode: Mode,
    pub guidance: Guidance,
    pub adviser_id: Option<i64>,
    pub sector_code: Option<String>,
    pub size_band: Option<String>,
    pub territory_code: Option<String>,
    pub commune_code: Option<String>,
}

/// Start a diagnostic; returns its id and the secret of its private link.
pub async fn create(db: &Db, bank: &Bank, n: &NewDiagnostic) -> Result<(i64, String), sqlx::Error> {
    let token = random_token();
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO diagnostics (token_hash, programme_id, business_id, user_id, bank_version, mode, status, assisted, \
         adviser_id, sector_code, size_band, territory_code, commune_code, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(hash_secret(&token))
    .bind(n.programme_id)
    .bind(n.business_id)
    .bind(n.user_id)
    .bind(&bank.version)
    .bind(n.mode.code())
    .bind(n.guidance.flag())
    .bind(n.adviser_id)
    .bind(n.sector_code.as_deref())
    .bind(n.size_band.as_deref())
    .bind(n.territory_code.as_deref())
    .bind(n.commune_code.as_deref())
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
    let row: Option<DiagnosticRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM diagnostics WHERE token_hash = $1"
    ))
    .bind(hash_secret(token))
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(Diagnostic::from))
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

/// What was typed but not given as an answer, per question (see [`save_draft`]).
pub async fn drafts(db: &Db, id: i64) -> Result<HashMap<String, Response>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT question_code, response_json FROM diagnostic_drafts WHERE diagnostic_id = $1",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(q, j)| serde_json::from_str(&j).ok().map(|r| (q, r)))
        .collect())
}

/// Keep what was typed on one question's screen, exactly, without scoring
/// it or touching its answer: "save and resume later" must not decide for
/// the person (a blank checklist is not "none of these").
pub async fn save_draft(
    db: &Db,
    id: i64,
    question: &str,
    typed: &Response,
) -> Result<(), sqlx::Error> {
    let json = serde_json::to_string(typed).unwrap_or_default();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO diagnostic_drafts (diagnostic_id, question_code, response_json, updated_at) VALUES ($1, $2, $3, $4) \
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

/// Save (or replace) one answer; its draft, if any, is done with.
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
    sqlx::query("DELETE FROM diagnostic_drafts WHERE diagnostic_id = $1 AND question_code = $2")
        .bind(id)
        .bind(question)
        .execute(&db.pool)
        .await?;
    sqlx::query("UPDATE diagnostics SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Record the comparison profile (sector, size, territory, commune).
pub async fn set_profile(
    db: &Db,
    id: i64,
    sector: Option<&str>,
    size: Option<&str>,
    territory: Option<&str>,
    commune: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE diagnostics SET sector_code = $1, size_band = $2, territory_code = $3, commune_code = $4, updated_at = $5 WHERE id = $6")
        .bind(sector)
        .bind(size)
        .bind(territory)
        .bind(commune)
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
    submit_at(db, id, scores, now_ms()).await
}

/// Store the scores of a diagnostic taken at `now` (an assessment made on
/// paper with an adviser is typed in later, dated when it was taken).
pub async fn submit_at(db: &Db, id: i64, scores: &Scores, now: i64) -> Result<(), sqlx::Error> {
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
    let rows: Vec<DiagnosticRow> = match business_id {
        Some(b) => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM diagnostics WHERE business_id = $1 AND status = 'submitted' ORDER BY submitted_at, id"
            ))
            .bind(b)
            .fetch_all(&db.pool)
            .await?
        }
        None => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM diagnostics WHERE user_id = $1 AND status = 'submitted' ORDER BY submitted_at, id"
            ))
            .bind(user_id.unwrap_or(-1))
            .fetch_all(&db.pool)
            .await?
        }
    };
    Ok(rows.into_iter().map(Diagnostic::from).collect())
}

/// Unfinished diagnostics of a person, newest first.
pub async fn drafts_of(db: &Db, user_id: i64) -> Result<Vec<Diagnostic>, sqlx::Error> {
    let rows: Vec<DiagnosticRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM diagnostics WHERE user_id = $1 AND status = 'draft' ORDER BY updated_at DESC LIMIT 5"
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(Diagnostic::from).collect())
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

/// Groups at least this large are cached: one more or less member (the
/// diagnostic being viewed) does not move their quartiles visibly, and
/// recomputing them over thousands of diagnostics on every page view would.
const CACHE_FROM: usize = 50;

/// Compare with similar businesses: same sector, size and territory, widened
/// (territory, then size, then sector) until the group has enough members.
/// Only the latest submitted diagnostic of each business counts. Large
/// groups are reused from `caches` for a minute.
pub async fn benchmark(
    db: &Db,
    caches: &Caches,
    d: &Diagnostic,
) -> Result<Option<Benchmark>, sqlx::Error> {
    for group in Group::WIDENING {
        let Some(values) = group.profile(
            d.sector_code.as_deref(),
            d.size_band.as_deref(),
            d.territory_code.as_deref(),
        ) else {
            continue;
        };
        let key = (group, values.iter().map(|v| v.to_string()).collect());
        if let Some(cached) = caches.benchmark(&key) {
            return Ok(Some(cached));
        }
        let rows = group_scores(db, d.id, group, &values).await?;
        let Some(bench) = Benchmark::of(group, &rows) else {
            continue;
        };
        if bench.size >= CACHE_FROM {
            caches.keep_benchmark(key, &bench);
        }
        return Ok(Some(bench));
    }
    Ok(None)
}

/// Scores of the latest submitted diagnostic of each business in `group`
/// (its profile `values`), leaving out diagnostic `except`.
async fn group_scores(
    db: &Db,
    except: i64,
    group: Group,
    values: &[&str],
) -> Result<Vec<Scores>, sqlx::Error> {
    let base = "SELECT d.scores_json FROM diagnostics d WHERE d.status = 'submitted' AND d.id <> $1 \
        AND d.scores_json IS NOT NULL AND (d.business_id IS NULL OR d.id = (SELECT x.id FROM diagnostics x \
        WHERE x.business_id = d.business_id AND x.status = 'submitted' ORDER BY x.submitted_at DESC, x.id DESC LIMIT 1))";
    let sql = match group {
        Group::SectorSizeTerritory => {
            format!("{base} AND d.sector_code = $2 AND d.size_band = $3 AND d.territory_code = $4")
        }
        Group::SectorSize => format!("{base} AND d.sector_code = $2 AND d.size_band = $3"),
        Group::Sector => format!("{base} AND d.sector_code = $2"),
        Group::All => base.to_string(),
    };
    let mut q = sqlx::query_scalar::<_, String>(&sql).bind(except);
    for v in values {
        q = q.bind(*v);
    }
    Ok(q.fetch_all(&db.pool)
        .await?
        .iter()
        .filter_map(|j| serde_json::from_str(j).ok())
        .collect())
}

/// The owner of a draft (`None` when it is not a draft or has no owner).
pub async fn draft_owner(db: &Db, id: i64) -> Result<Option<i64>, sqlx::Error> {
    Ok(
        sqlx::query_scalar("SELECT user_id FROM diagnostics WHERE id = $1 AND status = 'draft'")
            .bind(id)
            .fetch_optional(&db.pool)
            .await?
            .flatten(),
    )
}

/// An adviser's notes on a diagnostic, by dimension.
pub async fn notes(db: &Db, id: i64) -> Result<HashMap<String, String>, sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT dimension, note FROM diagnostic_notes WHERE diagnostic_id = $1")
            .bind(id)
            .fetch_all(&db.pool)
            .await?;
    Ok(rows.into_iter().collect())
}

/// Save (or replace) an adviser's notes, in one transaction.
pub async fn save_notes(db: &Db, id: i64, notes: &[(&str, String)]) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    for (dimension, note) in notes {
        sqlx::query(
            "INSERT INTO diagnostic_notes (diagnostic_id, dimension, note) VALUES ($1, $2, $3) \
             ON CONFLICT (diagnostic_id, dimension) DO UPDATE SET note = excluded.note",
        )
        .bind(id)
        .bind(*dimension)
        .bind(note)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// The department (or province, canton) a commune belongs to.
pub async fn territory_parent(db: &Db, commune: &str) -> Result<Option<String>, sqlx::Error> {
    Ok(
        sqlx::query_scalar("SELECT parent_code FROM territories WHERE code = $1")
            .bind(commune)
            .fetch_optional(&db.pool)
            .await?
            .flatten(),
    )
}

/// Departments, provinces and cantons (code, name in `locale`), by name.
pub async fn departments(db: &Db, locale: Locale) -> Result<Vec<(String, String)>, sqlx::Error> {
    let col = column(locale, "name_fr", "name_en");
    sqlx::query_as(&format!(
        "SELECT code, {col} FROM territories WHERE level IN ('department', 'province', 'canton') ORDER BY {col}"
    ))
    .fetch_all(&db.pool)
    .await
}

/// `code` when it names a known sector division.
pub async fn sector_division(db: &Db, code: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT code FROM sectors WHERE code = $1 AND level = 'division'")
        .bind(code)
        .fetch_optional(&db.pool)
        .await
}

/// `code` when it names a known territory.
pub async fn territory(db: &Db, code: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT code FROM territories WHERE code = $1")
        .bind(code)
        .fetch_optional(&db.pool)
        .await
}

/// Theme titles in `locale`, by slug.
pub async fn theme_titles(db: &Db, locale: Locale) -> Result<HashMap<String, String>, sqlx::Error> {
    let col = column(locale, "title_fr", "title_en");
    let rows: Vec<(String, String)> = sqlx::query_as(&format!("SELECT slug, {col} FROM themes"))
        .fetch_all(&db.pool)
        .await?;
    Ok(rows.into_iter().collect())
}

/// A submitted diagnostic as the programme's export lists it.
#[derive(Debug, sqlx::FromRow)]
pub struct ExportRow {
    pub id: i64,
    pub business_id: Option<i64>,
    pub bank_version: String,
    pub mode: String,
    pub assisted: i64,
    pub sector_code: Option<String>,
    pub size_band: Option<String>,
    pub territory_code: Option<String>,
    pub scores_json: Option<String>,
    pub submitted_at: Option<i64>,
}

/// Every submitted diagnostic of the programme, oldest first.
pub async fn submitted_for_export(db: &Db) -> Result<Vec<ExportRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.id, d.business_id, d.bank_version, d.mode, d.assisted, d.sector_code, d.size_band, d.territory_code, \
         d.scores_json, d.submitted_at FROM diagnostics d WHERE d.status = 'submitted' ORDER BY d.submitted_at",
    )
    .fetch_all(&db.pool)
    .await
}
