//! Every SQL statement of the programme set-up: the programme record and
//! the territories it covers, the territory tree, sectors, themes,
//! partners, and the question-bank versions.

use std::collections::HashMap;

use super::model::{Partner, Theme, ValidPartner, ValidProgramme, ValidTheme};
use crate::db::{now_ms, Db};
use crate::i18n::Locale;
use crate::kernel::bilingual::column;

// ---------------------------------------------------------------- programme

/// The programme record as stored (the first and only one).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProgrammeRow {
    pub id: i64,
    pub name: Option<String>,
    pub operator: Option<String>,
    pub logo_url: Option<String>,
    pub timezone: Option<String>,
    pub default_locale: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub target_aware: Option<i64>,
    pub target_date: Option<String>,
    pub target_diagnostics: Option<i64>,
    pub target_coaching: Option<i64>,
    pub budget_cents: Option<i64>,
    pub contact_email: Option<String>,
    pub summary_fr: Option<String>,
    pub summary_en: Option<String>,
}

/// The programme record, if the instance has one.
pub async fn programme(db: &Db) -> Result<Option<ProgrammeRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT id, name, operator, logo_url, timezone, default_locale, start_date, end_date, target_aware, \
         target_date, target_diagnostics, target_coaching, budget_cents, contact_email, summary_fr, summary_en \
         FROM programmes WHERE id = {}",
        crate::programme::CHOSEN_ID
    ))
    .bind(crate::programme::current())
    .fetch_optional(&db.pool)
    .await
}

/// The programme's id, if the instance has one.
pub async fn programme_id(db: &Db) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT id FROM programmes WHERE id = {}",
        crate::programme::CHOSEN_ID
    ))
    .bind(crate::programme::current())
    .fetch_optional(&db.pool)
    .await
}

/// Save the programme record, creating it on an empty instance.
pub async fn save_programme(db: &Db, p: &ValidProgramme) -> Result<(), sqlx::Error> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let id: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM programmes WHERE id = {}",
        crate::programme::CHOSEN_ID
    ))
    .bind(crate::programme::current())
    .fetch_optional(&mut *tx)
    .await?;
    let id = match id {
        Some(id) => id,
        None => {
            // First set-up of an empty instance.
            sqlx::query(
                "INSERT INTO programmes (slug, name, operator, summary_fr, summary_en, contact_email, created_at, updated_at) \
                 VALUES ('programme', $1, $2, '', '', $3, $4, $4)",
            )
            .bind(&p.name)
            .bind(&p.operator)
            .bind(&p.contact_email)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query_scalar("SELECT id FROM programmes WHERE slug = 'programme'")
                .fetch_one(&mut *tx)
                .await?
        }
    };
    sqlx::query(
        "UPDATE programmes SET name = $1, operator = $2, logo_url = $3, timezone = $4, default_locale = $5, \
         start_date = $6, end_date = $7, target_aware = $8, target_date = $9, target_diagnostics = $10, \
         target_coaching = $11, budget_cents = $12, contact_email = $13, summary_fr = $14, summary_en = $15, \
         updated_at = $16 WHERE id = $17",
    )
    .bind(&p.name)
    .bind(&p.operator)
    .bind(p.logo_url.as_deref())
    .bind(&p.timezone)
    .bind(&p.default_locale)
    .bind(p.start_date.as_deref())
    .bind(p.end_date.as_deref())
    .bind(p.target_aware)
    .bind(p.target_date.as_deref())
    .bind(p.target_diagnostics)
    .bind(p.target_coaching)
    .bind(p.budget.cents())
    .bind(&p.contact_email)
    .bind(&p.summary_fr)
    .bind(&p.summary_en)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// A territory the programme covers.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Covered {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent: Option<String>,
}

/// Territories the programme covers, by name in `locale`.
pub async fn covered(
    db: &Db,
    programme_id: i64,
    locale: Locale,
) -> Result<Vec<Covered>, sqlx::Error> {
    let col = column(locale, "name_fr", "name_en");
    sqlx::query_as(&format!(
        "SELECT t.code, t.{col} AS name, t.level, p.{col} AS parent FROM programme_territories pt \
         JOIN territories t ON t.code = pt.territory_code LEFT JOIN territories p ON p.code = t.parent_code \
         WHERE pt.programme_id = $1 ORDER BY t.{col}"
    ))
    .bind(programme_id)
    .fetch_all(&db.pool)
    .await
}

/// Cover one more territory (twice is harmless).
pub async fn add_territory(db: &Db, programme_id: i64, code: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO programme_territories (programme_id, territory_code) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(programme_id)
    .bind(code)
    .execute(&db.pool)
    .await
    .map(|_| ())
}

/// Stop covering a territory; `false` when it was not covered.
pub async fn remove_territory(db: &Db, programme_id: i64, code: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM programme_territories WHERE programme_id = $1 AND territory_code = $2",
    )
    .bind(programme_id)
    .bind(code)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

// ---------------------------------------------------------------- territories

/// A territory above the communes, with both names.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TerritoryNode {
    pub code: String,
    pub parent_code: Option<String>,
    pub level: String,
    pub name_fr: String,
    pub name_en: String,
}

/// Every territory above the communes (the programme's "add" choices).
pub async fn territories_above_communes(
    db: &Db,
) -> Result<HashMap<String, TerritoryNode>, sqlx::Error> {
    let rows: Vec<TerritoryNode> = sqlx::query_as(
        "SELECT code, parent_code, level, name_fr, name_en FROM territories WHERE level <> 'commune'",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|t| (t.code.clone(), t)).collect())
}

/// A territory's name in `locale`.
pub async fn territory_name(
    db: &Db,
    code: &str,
    locale: Locale,
) -> Result<Option<String>, sqlx::Error> {
    let col = column(locale, "name_fr", "name_en");
    sqlx::query_scalar(&format!("SELECT {col} FROM territories WHERE code = $1"))
        .bind(code)
        .fetch_optional(&db.pool)
        .await
}

/// A territory's level.
pub async fn territory_level(db: &Db, code: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT level FROM territories WHERE code = $1")
        .bind(code)
        .fetch_optional(&db.pool)
        .await
}

/// One territory as listed, with its number of children.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Territory {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
    pub children: i64,
}

const TERRITORY_COLUMNS: &str = "t.code, t.{col} AS name, t.level, t.parent_code, \
     (SELECT COUNT(*) FROM territories c WHERE c.parent_code = t.code) AS children";

/// One territory, named in `locale`.
pub async fn territory(
    db: &Db,
    code: &str,
    locale: Locale,
) -> Result<Option<Territory>, sqlx::Error> {
    let col = column(locale, "name_fr", "name_en");
    let columns = TERRITORY_COLUMNS.replace("{col}", col);
    sqlx::query_as(&format!(
        "SELECT {columns} FROM territories t WHERE t.code = $1"
    ))
    .bind(code)
    .fetch_optional(&db.pool)
    .await
}

/// The children of `parent` (the roots when `None`), by name in `locale`.
pub async fn territory_children(
    db: &Db,
    parent: Option<&str>,
    locale: Locale,
) -> Result<Vec<Territory>, sqlx::Error> {
    let col = column(locale, "name_fr", "name_en");
    let columns = TERRITORY_COLUMNS.replace("{col}", col);
    let filter = if parent.is_some() {
        "t.parent_code = $1"
    } else {
        "t.parent_code IS NULL"
    };
    let sql = format!("SELECT {columns} FROM territories t WHERE {filter} ORDER BY t.{col}");
    let mut q = sqlx::query_as::<_, Territory>(&sql);
    if let Some(p) = parent {
        q = q.bind(p);
    }
    q.fetch_all(&db.pool).await
}

// ---------------------------------------------------------------- sectors

/// A NACE section or division, named in one language.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SectorRow {
    pub code: String,
    pub parent_code: Option<String>,
    pub level: String,
    pub name: String,
    pub priority: i64,
}

/// Every sector, by code, named in `locale`.
pub async fn sectors(db: &Db, locale: Locale) -> Result<Vec<SectorRow>, sqlx::Error> {
    let col = column(locale, "name_fr", "name_en");
    sqlx::query_as(&format!(
        "SELECT code, parent_code, level, {col} AS name, priority FROM sectors ORDER BY code"
    ))
    .fetch_all(&db.pool)
    .await
}

/// Set a sector's priority flag; `false` when the code is unknown.
pub async fn set_sector_priority(db: &Db, code: &str, priority: bool) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE sectors SET priority = $1 WHERE code = $2")
        .bind(i64::from(priority))
        .bind(code)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() > 0)
}

// ---------------------------------------------------------------- themes

#[derive(sqlx::FromRow)]
struct ThemeRow {
    id: i64,
    slug: String,
    theme_group: String,
    title_fr: String,
    title_en: String,
    description_fr: String,
    description_en: String,
    tags: String,
    archived: i64,
}

impl From<ThemeRow> for Theme {
    fn from(r: ThemeRow) -> Theme {
        Theme {
            id: r.id,
            slug: r.slug,
            group: r.theme_group,
            title_fr: r.title_fr,
            title_en: r.title_en,
            description_fr: r.description_fr,
            description_en: r.description_en,
            tags: r.tags,
            archived: r.archived == 1,
        }
    }
}

const THEME_COLUMNS: &str =
    "id, slug, theme_group, title_fr, title_en, description_fr, description_en, tags, archived";

/// One theme.
pub async fn theme(db: &Db, id: i64) -> Result<Option<Theme>, sqlx::Error> {
    let row: Option<ThemeRow> =
        sqlx::query_as(&format!("SELECT {THEME_COLUMNS} FROM themes WHERE id = $1"))
            .bind(id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(Theme::from))
}

/// Every theme, archived last, by title in `locale`.
pub async fn themes(db: &Db, locale: Locale) -> Result<Vec<Theme>, sqlx::Error> {
    let order = column(locale, "title_fr", "title_en");
    let rows: Vec<ThemeRow> = sqlx::query_as(&format!(
        "SELECT {THEME_COLUMNS} FROM themes ORDER BY archived, {order}"
    ))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(Theme::from).collect())
}

/// True when a theme other than `except` holds `slug`.
pub async fn theme_slug_taken(
    db: &Db,
    slug: &str,
    except: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM themes WHERE slug = $1 AND id <> $2")
        .bind(slug)
        .bind(except.unwrap_or(0))
        .fetch_one(&db.pool)
        .await?;
    Ok(n > 0)
}

/// Add a theme; returns its id. A slug taken meanwhile is a unique violation.
pub async fn insert_theme(db: &Db, t: &ValidTheme) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO themes (slug, theme_group, title_fr, title_en, description_fr, description_en, tags, archived, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $8)",
    )
    .bind(&t.slug)
    .bind(&t.group)
    .bind(&t.title_fr)
    .bind(&t.title_en)
    .bind(&t.description_fr)
    .bind(&t.description_en)
    .bind(&t.tags)
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    sqlx::query_scalar("SELECT id FROM themes WHERE slug = $1")
        .bind(&t.slug)
        .fetch_one(&db.pool)
        .await
}

/// Save a theme. A slug taken meanwhile is a unique violation.
pub async fn update_theme(db: &Db, id: i64, t: &ValidTheme) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE themes SET slug = $1, theme_group = $2, title_fr = $3, title_en = $4, description_fr = $5, \
         description_en = $6, tags = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(&t.slug)
    .bind(&t.group)
    .bind(&t.title_fr)
    .bind(&t.title_en)
    .bind(&t.description_fr)
    .bind(&t.description_en)
    .bind(&t.tags)
    .bind(now_ms())
    .bind(id)
    .execute(&db.pool)
    .await
    .map(|_| ())
}

/// Archive or restore a theme.
pub async fn set_theme_archived(db: &Db, id: i64, archived: bool) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE themes SET archived = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(archived))
        .bind(now_ms())
        .bind(id)
        .execute(&db.pool)
        .await
        .map(|_| ())
}

// ---------------------------------------------------------------- partners

#[derive(sqlx::FromRow)]
struct PartnerRow {
    id: i64,
    slug: String,
    name: String,
    kind: String,
    brings: i64,
    receives: i64,
    contact_email: Option<String>,
    website: Option<String>,
    brought: i64,
}

impl From<PartnerRow> for Partner {
    fn from(r: PartnerRow) -> Partner {
        Partner {
            id: r.id,
            slug: r.slug,
            name: r.name,
            kind: r.kind,
            brings: r.brings == 1,
            receives: r.receives == 1,
            contact_email: r.contact_email.unwrap_or_default(),
            website: r.website.unwrap_or_default(),
            brought: r.brought,
        }
    }
}

const PARTNER_SELECT: &str =
    "SELECT p.id, p.slug, p.name, p.kind, p.brings, p.receives, p.contact_email, p.website, \
     (SELECT COUNT(*) FROM businesses b WHERE b.partner_id = p.id) AS brought FROM partners p";

/// One partner.
pub async fn partner(db: &Db, id: i64) -> Result<Option<Partner>, sqlx::Error> {
    let row: Option<PartnerRow> = sqlx::query_as(&format!("{PARTNER_SELECT} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(Partner::from))
}

/// A programme's partners, by name.
pub async fn partners(db: &Db, programme_id: i64) -> Result<Vec<Partner>, sqlx::Error> {
    let rows: Vec<PartnerRow> = sqlx::query_as(&format!(
        "{PARTNER_SELECT} WHERE p.programme_id = $1 ORDER BY p.name"
    ))
    .bind(programme_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(Partner::from).collect())
}

/// The id of the partner with `slug`, if any (partner links, sign-up attribution).
pub async fn partner_id(db: &Db, slug: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM partners WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await
}

/// True when a partner other than `except` holds `slug`.
pub async fn partner_slug_taken(
    db: &Db,
    slug: &str,
    except: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM partners WHERE slug = $1 AND id <> $2")
        .bind(slug)
        .bind(except.unwrap_or(0))
        .fetch_one(&db.pool)
        .await?;
    Ok(n > 0)
}

/// Add a partner; returns its id. A slug taken meanwhile is a unique violation.
pub async fn insert_partner(
    db: &Db,
    programme_id: i64,
    p: &ValidPartner,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO partners (programme_id, slug, name, kind, brings, receives, contact_email, website, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(programme_id)
    .bind(&p.slug)
    .bind(&p.name)
    .bind(p.kind.code())
    .bind(i64::from(p.brings))
    .bind(i64::from(p.receives))
    .bind(p.contact_email.as_deref())
    .bind(p.website.as_deref())
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    sqlx::query_scalar("SELECT id FROM partners WHERE slug = $1")
        .bind(&p.slug)
        .fetch_one(&db.pool)
        .await
}

/// Save a partner. A slug taken meanwhile is a unique violation.
pub async fn update_partner(db: &Db, id: i64, p: &ValidPartner) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE partners SET slug = $1, name = $2, kind = $3, brings = $4, receives = $5, contact_email = $6, \
         website = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(&p.slug)
    .bind(&p.name)
    .bind(p.kind.code())
    .bind(i64::from(p.brings))
    .bind(i64::from(p.receives))
    .bind(p.contact_email.as_deref())
    .bind(p.website.as_deref())
    .bind(now_ms())
    .bind(id)
    .execute(&db.pool)
    .await
    .map(|_| ())
}

/// Partners that bring businesses, as (slug, name), by name (business forms).
pub async fn bringing_partners(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT slug, name FROM partners WHERE brings = 1 ORDER BY name")
        .fetch_all(&db.pool)
        .await
}

// ---------------------------------------------------------------- question banks

/// Diagnostics taken with each bank version.
pub async fn diagnostics_per_version(db: &Db) -> Result<HashMap<String, i64>, sqlx::Error> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT bank_version, COUNT(*) AS n FROM diagnostics GROUP BY bank_version")
            .fetch_all(&db.pool)
            .await?;
    Ok(rows.into_iter().collect())
}

/// An imported bank version and who imported it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ImportedBank {
    pub version: String,
    pub imported_at: i64,
    pub display_name: Option<String>,
}

/// Imported bank versions, newest first.
pub async fn imported_banks(db: &Db) -> Result<Vec<ImportedBank>, sqlx::Error> {
    sqlx::query_as(
        "SELECT q.version, q.imported_at, u.display_name \
         FROM question_banks q LEFT JOIN users u ON u.id = q.imported_by \
         ORDER BY q.imported_at DESC, q.version",
    )
    .fetch_all(&db.pool)
    .await
}

/// True when `version` was imported.
pub async fn bank_imported(db: &Db, version: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM question_banks WHERE version = $1")
        .bind(version)
        .fetch_one(&db.pool)
        .await?;
    Ok(n > 0)
}
