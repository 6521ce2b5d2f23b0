//! Every SQL statement of practical guides.

use std::collections::HashSet;

use super::markdown;
use super::model::{pack, to_file, GuideStatus, Known, Level, ValidGuide};
use super::packed::Select;
use crate::db::{now_ms, Db};

/// A stored guide.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GuideRow {
    pub id: i64,
    pub slug: String,
    pub status: String,
    pub level: String,
    pub title_fr: String,
    pub title_en: String,
    pub summary_fr: String,
    pub summary_en: String,
    pub body_fr: String,
    pub body_en: String,
    pub themes: String,
    pub sectors: String,
    pub sizes: String,
    pub territories: String,
    pub reads: i64,
    pub useful_yes: i64,
    pub useful_no: i64,
    pub version: i64,
    pub updated_at: i64,
    pub published_at: Option<i64>,
}

impl GuideRow {
    /// The row as a checked guide (for export and history).
    pub fn to_valid(&self) -> ValidGuide {
        use super::model::unpack;
        ValidGuide {
            slug: self.slug.clone(),
            status: GuideStatus::parse(&self.status).unwrap_or(GuideStatus::Draft),
            level: Level::parse(&self.level).unwrap_or(Level::Beginner),
            title_fr: self.title_fr.clone(),
            title_en: self.title_en.clone(),
            summary_fr: self.summary_fr.clone(),
            summary_en: self.summary_en.clone(),
            body_fr: self.body_fr.clone(),
            body_en: self.body_en.clone(),
            themes: unpack(&self.themes),
            sectors: unpack(&self.sectors),
            sizes: unpack(&self.sizes),
            territories: unpack(&self.territories),
            version: self.version,
        }
    }

    /// True when published.
    pub fn is_published(&self) -> bool {
        self.status == GuideStatus::Published.code()
    }
}

/// One column list for every read of a guide.
const COLUMNS: &str = "id, slug, status, level, title_fr, title_en, summary_fr, summary_en, body_fr, body_en, \
    themes, sectors, sizes, territories, reads, useful_yes, useful_no, version, updated_at, published_at";

pub use super::packed::placeholders;

/// Which of `codes` exist in `table.column`.
async fn existing(
    db: &Db,
    table: &str,
    column: &str,
    codes: &[String],
) -> Result<HashSet<String>, sqlx::Error> {
    if codes.is_empty() {
        return Ok(HashSet::new());
    }
    let sql = format!(
        "SELECT {column} FROM {table} WHERE {column} IN ({})",
        placeholders(1, codes.len())
    );
    let mut q = sqlx::query_scalar::<_, String>(&sql);
    for c in codes {
        q = q.bind(c);
    }
    Ok(q.fetch_all(&db.pool).await?.into_iter().collect())
}

/// The named theme slugs, sector codes and territory codes that exist.
pub async fn known(
    db: &Db,
    themes: &[String],
    sectors: &[String],
    territories: &[String],
) -> Result<Known, sqlx::Error> {
    Ok(Known {
        themes: existing(db, "themes", "slug", themes).await?,
        sectors: existing(db, "sectors", "code", sectors).await?,
        territories: existing(db, "territories", "code", territories).await?,
    })
}

fn search_key(g: &ValidGuide) -> String {
    crate::text::fold(&format!(
        "{} {} {} {} {} {}",
        g.title_fr,
        g.title_en,
        g.summary_fr,
        g.summary_en,
        markdown::plain_text(&g.body_fr),
        g.themes.join(" ")
    ))
}

/// A guide saved: its id and whether it was created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Created(i64),
    Updated(i64),
    /// Someone saved another version since the editor opened it.
    Stale,
    /// The slug belongs to another guide.
    SlugTaken,
}

/// Store a new guide (version 1) and its first history line.
pub async fn insert(db: &Db, g: &ValidGuide, by: Option<i64>) -> Result<Saved, sqlx::Error> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM guides WHERE slug = $1")
        .bind(&g.slug)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Ok(Saved::SlugTaken);
    }
    let published_at = (g.status == GuideStatus::Published).then_some(now);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO guides (slug, status, level, title_fr, title_en, summary_fr, summary_en, body_fr, body_en, \
         themes, sectors, sizes, territories, search_key, created_by, created_at, updated_at, published_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17) RETURNING id",
    )
    .bind(&g.slug)
    .bind(g.status.code())
    .bind(g.level.code())
    .bind(&g.title_fr)
    .bind(&g.title_en)
    .bind(&g.summary_fr)
    .bind(&g.summary_en)
    .bind(&g.body_fr)
    .bind(&g.body_en)
    .bind(pack(&g.themes))
    .bind(pack(&g.sectors))
    .bind(pack(&g.sizes))
    .bind(pack(&g.territories))
    .bind(search_key(g))
    .bind(by)
    .bind(now)
    .bind(published_at)
    .fetch_one(&mut *tx)
    .await?;
    history_line(&mut tx, id, 1, by, now, g, "created").await?;
    tx.commit().await?;
    Ok(Saved::Created(id))
}

async fn history_line(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    version: i64,
    by: Option<i64>,
    at: i64,
    g: &ValidGuide,
    fields: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO guide_versions (guide_id, version, changed_by, changed_at, status, fields, snapshot) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(version)
    .bind(by)
    .bind(at)
    .bind(g.status.code())
    .bind(fields)
    .bind(to_file(g))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The fields that differ between two versions of a guide.
pub fn changed_fields(old: &ValidGuide, new: &ValidGuide) -> Vec<&'static str> {
    let pairs: [(&'static str, bool); 13] = [
        ("slug", old.slug != new.slug),
        ("status", old.status != new.status),
        ("level", old.level != new.level),
        ("title_fr", old.title_fr != new.title_fr),
        ("title_en", old.title_en != new.title_en),
        ("summary_fr", old.summary_fr != new.summary_fr),
        ("summary_en", old.summary_en != new.summary_en),
        ("body_fr", old.body_fr != new.body_fr),
        ("body_en", old.body_en != new.body_en),
        ("themes", old.themes != new.themes),
        ("sectors", old.sectors != new.sectors),
        ("sizes", old.sizes != new.sizes),
        ("territories", old.territories != new.territories),
    ];
    pairs.into_iter().filter(|p| p.1).map(|p| p.0).collect()
}

/// Save a new version of guide `id` when the editor started from
/// `g.version` (or from whatever is stored when `check_version` is false,
/// as an import does). Unchanged content writes nothing.
pub async fn update(
    db: &Db,
    id: i64,
    g: &ValidGuide,
    by: Option<i64>,
    check_version: bool,
) -> Result<Saved, sqlx::Error> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM guides WHERE id = $1{}",
        crate::db::dialect::for_update(db.backend)
    );
    let Some(current) = sqlx::query_as::<_, GuideRow>(&sql)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
    else {
        return Ok(Saved::Stale);
    };
    if check_version && current.version != g.version {
        return Ok(Saved::Stale);
    }
    let other: Option<i64> =
        sqlx::query_scalar("SELECT id FROM guides WHERE slug = $1 AND id <> $2")
            .bind(&g.slug)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    if other.is_some() {
        return Ok(Saved::SlugTaken);
    }
    let changed = changed_fields(&current.to_valid(), g);
    if changed.is_empty() {
        return Ok(Saved::Updated(id));
    }
    let version = current.version + 1;
    let published_at = match (g.status, current.published_at) {
        (GuideStatus::Published, None) => Some(now),
        (GuideStatus::Published, p) => p,
        (GuideStatus::Draft, _) => None,
    };
    sqlx::query(
        "UPDATE guides SET slug = $1, status = $2, level = $3, title_fr = $4, title_en = $5, summary_fr = $6, \
         summary_en = $7, body_fr = $8, body_en = $9, themes = $10, sectors = $11, sizes = $12, territories = $13, \
         search_key = $14, version = $15, updated_at = $16, published_at = $17 WHERE id = $18",
    )
    .bind(&g.slug)
    .bind(g.status.code())
    .bind(g.level.code())
    .bind(&g.title_fr)
    .bind(&g.title_en)
    .bind(&g.summary_fr)
    .bind(&g.summary_en)
    .bind(&g.body_fr)
    .bind(&g.body_en)
    .bind(pack(&g.themes))
    .bind(pack(&g.sectors))
    .bind(pack(&g.sizes))
    .bind(pack(&g.territories))
    .bind(search_key(g))
    .bind(version)
    .bind(now)
    .bind(published_at)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    history_line(&mut tx, id, version, by, now, g, &changed.join(",")).await?;
    tx.commit().await?;
    Ok(Saved::Updated(id))
}

/// Create the guide of this slug, or save a new version of it (imports).
pub async fn upsert(db: &Db, g: &ValidGuide, by: Option<i64>) -> Result<Saved, sqlx::Error> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM guides WHERE slug = $1")
        .bind(&g.slug)
        .fetch_optional(&db.pool)
        .await?;
    match id {
        Some(id) => update(db, id, g, by, false).await,
        None => insert(db, g, by).await,
    }
}

/// A guide by id.
pub async fn get(db: &Db, id: i64) -> Result<Option<GuideRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM guides WHERE id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// A guide by slug.
pub async fn by_slug(db: &Db, slug: &str) -> Result<Option<GuideRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM guides WHERE slug = $1"))
        .bind(slug)
        .fetch_optional(&db.pool)
        .await
}

/// Filters of the public list; empty means any.
#[derive(Debug, Default, Clone)]
pub struct Filter<'a> {
    pub theme: &'a str,
    pub sector: &'a str,
    /// A territory and the territories above it: a guide for any of them fits.
    pub territories: Vec<String>,
    /// Folded search words; every one must appear.
    pub words: Vec<String>,
}

/// Published guides matching `f` (a guide without sectors or territories
/// concerns every one), most read first.
pub async fn published(db: &Db, f: &Filter<'_>) -> Result<Vec<GuideRow>, sqlx::Error> {
    let mut q = Select::new(
        format!("SELECT {COLUMNS} FROM guides WHERE status = 'published'"),
        vec![],
    );
    q.holds("themes", f.theme)
        .open_to("sectors", &sector_list(f.sector))
        .open_to("territories", &f.territories)
        .words(&f.words);
    q.fetch(db, "ORDER BY reads DESC, title_fr LIMIT 200").await
}

/// Every guide, for the staff list, drafts first.
pub async fn all(db: &Db) -> Result<Vec<GuideRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM guides ORDER BY status, title_fr"
    ))
    .fetch_all(&db.pool)
    .await
}

/// One line of a guide's history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    pub version: i64,
    pub changed_at: i64,
    pub status: String,
    pub fields: String,
    pub changed_by: Option<String>,
    pub snapshot: String,
}

/// A guide's history, newest first.
pub async fn history(db: &Db, id: i64) -> Result<Vec<VersionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT v.version, v.changed_at, v.status, v.fields, u.display_name AS changed_by, v.snapshot \
         FROM guide_versions v LEFT JOIN users u ON u.id = v.changed_by WHERE v.guide_id = $1 ORDER BY v.version DESC",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await
}

/// Count one read of a published guide.
pub async fn count_read(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE guides SET reads = reads + 1 WHERE id = $1")
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Count one "was this useful?" answer.
pub async fn vote(db: &Db, id: i64, useful: bool) -> Result<(), sqlx::Error> {
    let sql = if useful {
        "UPDATE guides SET useful_yes = useful_yes + 1 WHERE id = $1"
    } else {
        "UPDATE guides SET useful_no = useful_no + 1 WHERE id = $1"
    };
    sqlx::query(sql).bind(id).execute(&db.pool).await?;
    Ok(())
}

/// `code` and every territory above it (commune → department → region →
/// country), nearest first; empty when `code` is unknown. One statement,
/// climbing at most six levels.
pub async fn with_ancestors(db: &Db, code: &str) -> Result<Vec<String>, sqlx::Error> {
    if code.is_empty() {
        return Ok(vec![]);
    }
    sqlx::query_scalar(
        "WITH RECURSIVE up(code, parent_code, depth) AS ( \
         SELECT code, parent_code, 0 FROM territories WHERE code = $1 \
         UNION ALL SELECT t.code, t.parent_code, up.depth + 1 FROM territories t \
         JOIN up ON t.code = up.parent_code WHERE up.depth < 5) \
         SELECT code FROM up ORDER BY depth",
    )
    .bind(code)
    .fetch_all(&db.pool)
    .await
}

/// The programme's covered territories (regions, departments) for filters: code and name.
pub async fn covered_territories(
    db: &Db,
    locale: crate::i18n::Locale,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let col = crate::kernel::bilingual::column(locale, "t.name_fr", "t.name_en");
    sqlx::query_as(&format!(
        "SELECT DISTINCT t.code, {col} FROM territories t JOIN programme_territories p ON p.territory_code = t.code ORDER BY t.code"
    ))
    .fetch_all(&db.pool)
    .await
}

fn sector_list(sector: &str) -> Vec<String> {
    if sector.is_empty() {
        vec![]
    } else {
        vec![sector.to_string()]
    }
}
