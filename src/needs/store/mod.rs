//! Every SQL statement of needs, replies, notifications and quote reviews.
//! Functions take the pool (`&Db`) or the caller's transaction.
//!
//! This file holds the needs themselves; `replies` the providers' replies,
//! the people told and the provider side, with the messages on a need;
//! `quotes` the quote reviews. Every function is reachable as `store::name`.

mod quotes;
mod replies;

pub use quotes::*;
pub use replies::*;

use sqlx::{Any, AnyConnection, Transaction};

use super::model::{Need, NeedStatus, Theme, ValidNeed};
use crate::db::{dialect, now_ms, Db};
use crate::i18n::Locale;
use crate::kernel::bilingual;

/// A write transaction.
pub type Tx = Transaction<'static, Any>;

// ------------------------------------------------------------------ needs

/// Columns of a need (alias `n`) with its business, territory and chosen provider.
const NEED_COLUMNS: &str = "n.id, n.business_id, b.name AS business_name, n.author_id, n.title, n.context, n.goal, \
    n.audience, n.features, n.existing_tools, n.budget_band, n.deadline, n.constraints_text, n.territory_code, \
    t.name_fr AS territory_fr, t.name_en AS territory_en, n.size_band, n.status, n.chosen_provider_id, \
    cp.name AS chosen_name, n.published_at, n.version, n.created_at, n.updated_at";

/// The joins [`NEED_COLUMNS`] reads from.
const NEED_FROM: &str = "needs n LEFT JOIN businesses b ON b.id = n.business_id \
    LEFT JOIN territories t ON t.code = n.territory_code LEFT JOIN providers cp ON cp.id = n.chosen_provider_id";

/// A need as selected with [`NEED_COLUMNS`].
#[derive(sqlx::FromRow)]
struct NeedRow {
    id: i64,
    business_id: Option<i64>,
    business_name: Option<String>,
    author_id: Option<i64>,
    title: String,
    context: String,
    goal: String,
    audience: String,
    features: String,
    existing_tools: String,
    budget_band: String,
    deadline: String,
    constraints_text: String,
    territory_code: Option<String>,
    territory_fr: Option<String>,
    territory_en: Option<String>,
    size_band: String,
    status: String,
    chosen_provider_id: Option<i64>,
    chosen_name: Option<String>,
    published_at: Option<i64>,
    version: i64,
    created_at: i64,
    updated_at: i64,
}

impl NeedRow {
    fn into_need(self, themes: Vec<Theme>) -> Need {
        Need {
            id: self.id,
            business_id: self.business_id,
            business_name: self.business_name.unwrap_or_default(),
            author_id: self.author_id,
            title: self.title,
            context: self.context,
            goal: self.goal,
            audience: self.audience,
            features: self.features,
            existing_tools: self.existing_tools,
            budget_band: self.budget_band,
            deadline: self.deadline,
            constraints_text: self.constraints_text,
            territory_code: self.territory_code,
            territory_fr: self.territory_fr.unwrap_or_default(),
            territory_en: self.territory_en.unwrap_or_default(),
            size_band: self.size_band,
            status: NeedStatus::from_code(&self.status).unwrap_or(NeedStatus::Draft),
            chosen_provider_id: self.chosen_provider_id,
            chosen_name: self.chosen_name.unwrap_or_default(),
            published_at: self.published_at,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
            themes,
        }
    }
}

/// One need with its themes, on any connection (pool or transaction).
pub async fn load(conn: &mut AnyConnection, id: i64) -> Result<Option<Need>, sqlx::Error> {
    let row: Option<NeedRow> = sqlx::query_as(&format!(
        "SELECT {NEED_COLUMNS} FROM {NEED_FROM} WHERE n.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let themes = sqlx::query_as(
        "SELECT th.id, th.title_fr, th.title_en FROM need_themes nt JOIN themes th ON th.id = nt.theme_id \
         WHERE nt.need_id = $1 ORDER BY th.title_fr",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(row.into_need(themes)))
}

/// One need with its themes.
pub async fn get(db: &Db, id: i64) -> Result<Option<Need>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    load(&mut conn, id).await
}

/// A need in the business side's list.
#[derive(Debug, sqlx::FromRow)]
pub struct ListRow {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub updated_at: i64,
    pub business_name: Option<String>,
    pub replies: i64,
}

const LIST_SELECT: &str = "SELECT n.id, n.title, n.status, n.updated_at, b.name AS business_name, \
    (SELECT COUNT(*) FROM need_replies r WHERE r.need_id = n.id) AS replies \
    FROM needs n LEFT JOIN businesses b ON b.id = n.business_id";

/// Every need (staff), newest change first, optionally of one status.
pub async fn list_all(db: &Db, status: Option<NeedStatus>) -> Result<Vec<ListRow>, sqlx::Error> {
    match status {
        None => {
            sqlx::query_as(&format!(
                "{LIST_SELECT} ORDER BY n.updated_at DESC, n.id DESC LIMIT 500"
            ))
            .fetch_all(&db.pool)
            .await
        }
        Some(s) => {
            sqlx::query_as(&format!(
                "{LIST_SELECT} WHERE n.status = $1 ORDER BY n.updated_at DESC, n.id DESC LIMIT 500"
            ))
            .bind(s.code())
            .fetch_all(&db.pool)
            .await
        }
    }
}

/// The needs of one business, newest change first.
pub async fn list_for_business(db: &Db, business_id: i64) -> Result<Vec<ListRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{LIST_SELECT} WHERE n.business_id = $1 ORDER BY n.updated_at DESC, n.id DESC"
    ))
    .bind(business_id)
    .fetch_all(&db.pool)
    .await
}

/// Store a new draft; returns its id.
pub async fn insert(tx: &mut Tx, author_id: i64, v: &ValidNeed) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO needs (business_id, author_id, title, context, goal, audience, features, existing_tools, \
         budget_band, deadline, constraints_text, territory_code, size_band, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id",
    )
    .bind(v.business_id)
    .bind(author_id)
    .bind(&v.title)
    .bind(&v.context)
    .bind(&v.goal)
    .bind(&v.audience)
    .bind(&v.features)
    .bind(&v.existing_tools)
    .bind(&v.budget_band)
    .bind(&v.deadline)
    .bind(&v.constraints_text)
    .bind(&v.territory_code)
    .bind(&v.size_band)
    .bind(NeedStatus::Draft.code())
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?;
    set_themes(tx, id, &v.themes).await?;
    Ok(id)
}

/// Address a need to one published directory card as well (the card's
/// "Envoyer mon besoin à ce prestataire"); the card is told when the need
/// is published, like the matching ones. False when no such card is public.
pub async fn set_target(tx: &mut Tx, need_id: i64, provider_id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE needs SET target_provider_id = $1 WHERE id = $2 \
         AND EXISTS (SELECT 1 FROM providers p WHERE p.id = $1 AND p.status = 'published')",
    )
    .bind(provider_id)
    .bind(need_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The name of a published card a need may be addressed to.
pub async fn target_name(db: &Db, provider_id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM providers WHERE id = $1 AND status = 'published'")
        .bind(provider_id)
        .fetch_optional(&db.pool)
        .await
}

/// Save the brief of a need (its lock is held by the caller).
pub async fn update(tx: &mut Tx, id: i64, v: &ValidNeed) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE needs SET business_id = $1, title = $2, context = $3, goal = $4, audience = $5, features = $6, \
         existing_tools = $7, budget_band = $8, deadline = $9, constraints_text = $10, territory_code = $11, \
         size_band = $12, updated_at = $13, version = version + 1 WHERE id = $14",
    )
    .bind(v.business_id)
    .bind(&v.title)
    .bind(&v.context)
    .bind(&v.goal)
    .bind(&v.audience)
    .bind(&v.features)
    .bind(&v.existing_tools)
    .bind(&v.budget_band)
    .bind(&v.deadline)
    .bind(&v.constraints_text)
    .bind(&v.territory_code)
    .bind(&v.size_band)
    .bind(now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    set_themes(tx, id, &v.themes).await
}

async fn set_themes(tx: &mut Tx, id: i64, themes: &[i64]) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM need_themes WHERE need_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for t in themes {
        sqlx::query("INSERT INTO need_themes (need_id, theme_id) VALUES ($1, $2)")
            .bind(id)
            .bind(t)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// A need's row as locked for the rest of a transaction.
#[derive(Debug, sqlx::FromRow)]
pub struct Locked {
    status: String,
    pub version: i64,
    pub chosen_provider_id: Option<i64>,
}

impl Locked {
    /// The status read under the lock.
    pub fn status(&self) -> NeedStatus {
        NeedStatus::from_code(&self.status).unwrap_or(NeedStatus::Draft)
    }
}

/// Lock a need's row for the rest of the transaction.
pub async fn lock(tx: &mut Tx, db: &Db, id: i64) -> Result<Option<Locked>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT status, version, chosen_provider_id FROM needs WHERE id = $1{}",
        dialect::for_update(db.backend)
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// What publishing depends on: the title, the number of themes, the choice.
pub async fn publish_facts(
    tx: &mut Tx,
    id: i64,
) -> Result<(String, i64, Option<i64>), sqlx::Error> {
    let (title, chosen): (String, Option<i64>) =
        sqlx::query_as("SELECT title, chosen_provider_id FROM needs WHERE id = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
    let themes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM need_themes WHERE need_id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    Ok((title, themes, chosen))
}

/// SQL selecting `select` over every (need, published provider card) pair that
/// matches: a shared theme, a territory served (the need's territory or one
/// of its ancestors) or remote work, and a business size served (no size
/// means every size; a need of unknown size matches every provider).
pub(super) fn match_sql(select: &str, need_where: &str, provider_where: &str) -> String {
    format!(
        "WITH RECURSIVE anc(need_id, code) AS ( \
           SELECT n.id, n.territory_code FROM needs n WHERE {need_where} AND n.territory_code IS NOT NULL \
           UNION SELECT a.need_id, t.parent_code FROM anc a JOIN territories t ON t.code = a.code \
           WHERE t.parent_code IS NOT NULL) \
         SELECT DISTINCT {select} FROM needs n \
         JOIN need_themes nt ON nt.need_id = n.id \
         JOIN provider_themes pt ON pt.theme_id = nt.theme_id \
         JOIN providers p ON p.id = pt.provider_id \
         WHERE {need_where} AND p.status = 'published' AND {provider_where} \
         AND (p.remote = 1 OR EXISTS (SELECT 1 FROM provider_territories ptr JOIN anc ON anc.code = ptr.territory_code \
              WHERE ptr.provider_id = p.id AND anc.need_id = n.id)) \
         AND (n.size_band = '' OR NOT EXISTS (SELECT 1 FROM provider_sizes ps WHERE ps.provider_id = p.id) \
              OR EXISTS (SELECT 1 FROM provider_sizes ps2 WHERE ps2.provider_id = p.id AND ps2.size_band = n.size_band))"
    )
}

/// "The need is open" (providers may reply), as SQL built from the codes.
pub(super) fn open_sql() -> String {
    let open: Vec<String> = NeedStatus::ALL
        .into_iter()
        .filter(|s| s.is_open())
        .map(|s| format!("'{}'", s.code()))
        .collect();
    format!("n.status IN ({})", open.join(", "))
}

/// Publish (or re-publish) inside the caller's transaction, which holds the
/// need's lock; record the matching providers not told yet and return them
/// (in id order), so the caller tells each exactly once.
pub async fn publish(tx: &mut Tx, id: i64) -> Result<Vec<i64>, sqlx::Error> {
    let now = now_ms();
    let replies: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM need_replies WHERE need_id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE needs SET status = $1, published_at = COALESCE(published_at, $2), updated_at = $2, \
         version = version + 1 WHERE id = $3",
    )
    .bind(NeedStatus::published(replies > 0).code())
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    let mut providers: Vec<i64> = sqlx::query_scalar(&match_sql("p.id", "n.id = $1", "1 = 1"))
        .bind(id)
        .fetch_all(&mut **tx)
        .await?;
    // The card the business addressed the need to, if still published.
    let target: Option<i64> = sqlx::query_scalar(
        "SELECT p.id FROM needs n JOIN providers p ON p.id = n.target_provider_id \
         WHERE n.id = $1 AND p.status = 'published'",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(t) = target.filter(|t| !providers.contains(t)) {
        providers.push(t);
    }
    providers.sort_unstable();
    let mut told = vec![];
    for pid in providers {
        let done = sqlx::query(
            "INSERT INTO need_notifications (need_id, provider_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (need_id, provider_id) DO NOTHING",
        )
        .bind(id)
        .bind(pid)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() == 1 {
            told.push(pid);
        }
    }
    Ok(told)
}

/// Close a need.
pub async fn close(tx: &mut Tx, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE needs SET status = $1, updated_at = $2, version = version + 1 WHERE id = $3",
    )
    .bind(NeedStatus::Closed.code())
    .bind(now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// How many providers were told about a need.
pub async fn notified_count(db: &Db, need_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM need_notifications WHERE need_id = $1")
        .bind(need_id)
        .fetch_one(&db.pool)
        .await
}

// ------------------------------------------------------------------ choices

/// Themes that may be chosen, in the reader's language, sorted.
pub async fn theme_choices(db: &Db, locale: Locale) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let col = bilingual::column(locale, "title_fr", "title_en");
    sqlx::query_as(&format!(
        "SELECT id, CASE WHEN {col} = '' THEN title_fr ELSE {col} END AS t FROM themes WHERE archived = 0 ORDER BY t"
    ))
    .fetch_all(&db.pool)
    .await
}

/// Every business, for staff writing a need on one's behalf.
pub async fn business_choices(db: &Db) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, name FROM businesses ORDER BY name, id")
        .fetch_all(&db.pool)
        .await
}

/// True when the territory exists.
pub async fn territory_exists(db: &Db, code: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM territories WHERE code = $1")
        .bind(code)
        .fetch_one(&db.pool)
        .await?;
    Ok(n > 0)
}
