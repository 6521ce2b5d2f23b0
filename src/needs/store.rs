//! Every SQL statement of needs, replies, notifications and quote reviews.
//! Functions take the pool (`&Db`) or the caller's transaction.

use sqlx::{Any, AnyConnection, Transaction};

use super::model::{Need, NeedStatus, ReplyStatus, Theme, ValidNeed};
use super::review::{Checklist, ValidQuote};
use crate::db::{dialect, now_ms, Db};
use crate::i18n::Locale;
use crate::kernel::bilingual;
use crate::kernel::money::Euros;

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
fn match_sql(select: &str, need_where: &str, provider_where: &str) -> String {
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
fn open_sql() -> String {
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

// ------------------------------------------------------------------ replies

/// A provider's reply as stored, with the card's name.
#[derive(Debug, sqlx::FromRow)]
pub struct ReplyRow {
    pub id: i64,
    pub provider_id: i64,
    pub name: String,
    pub message: String,
    status: String,
    pub updated_at: i64,
}

impl ReplyRow {
    /// Where the reply stands.
    pub fn status(&self) -> ReplyStatus {
        ReplyStatus::from_code(&self.status)
    }
}

/// Columns of a reply (alias `r`) and its card (alias `p`).
const REPLY_COLUMNS: &str = "r.id, r.provider_id, p.name, r.message, r.status, r.updated_at";

/// The replies to a need, oldest first.
pub async fn replies(db: &Db, need_id: i64) -> Result<Vec<ReplyRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {REPLY_COLUMNS} FROM need_replies r JOIN providers p ON p.id = r.provider_id \
         WHERE r.need_id = $1 ORDER BY r.created_at, r.id"
    ))
    .bind(need_id)
    .fetch_all(&db.pool)
    .await
}

/// The replies sent by the cards a person keeps.
pub async fn own_replies(
    db: &Db,
    need_id: i64,
    user_id: i64,
) -> Result<Vec<ReplyRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {REPLY_COLUMNS} FROM need_replies r JOIN providers p ON p.id = r.provider_id \
         JOIN provider_members m ON m.provider_id = r.provider_id WHERE r.need_id = $1 AND m.user_id = $2 ORDER BY r.id"
    ))
    .bind(need_id)
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}

/// The card and status of a reply to this need.
pub async fn reply_of(
    tx: &mut Tx,
    need_id: i64,
    reply_id: i64,
) -> Result<Option<(i64, ReplyStatus)>, sqlx::Error> {
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT provider_id, status FROM need_replies WHERE id = $1 AND need_id = $2",
    )
    .bind(reply_id)
    .bind(need_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(p, s)| (p, ReplyStatus::from_code(&s))))
}

/// Set a reply's status.
pub async fn set_reply_status(
    tx: &mut Tx,
    reply_id: i64,
    status: ReplyStatus,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE need_replies SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status.code())
        .bind(now_ms())
        .bind(reply_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Choose a reply: the previous choice, if any, goes back to the shortlist.
pub async fn choose(
    tx: &mut Tx,
    need_id: i64,
    reply_id: i64,
    provider_id: i64,
) -> Result<(), sqlx::Error> {
    let now = now_ms();
    sqlx::query(
        "UPDATE need_replies SET status = $1, updated_at = $2 WHERE need_id = $3 AND status = $4 AND id <> $5",
    )
    .bind(ReplyStatus::Shortlisted.code())
    .bind(now)
    .bind(need_id)
    .bind(ReplyStatus::Chosen.code())
    .bind(reply_id)
    .execute(&mut **tx)
    .await?;
    set_reply_status(tx, reply_id, ReplyStatus::Chosen).await?;
    sqlx::query(
        "UPDATE needs SET status = $1, chosen_provider_id = $2, updated_at = $3, version = version + 1 WHERE id = $4",
    )
    .bind(NeedStatus::ProviderChosen.code())
    .bind(provider_id)
    .bind(now)
    .bind(need_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Undo the choice of a provider: the need is in discussion again.
pub async fn unchoose(tx: &mut Tx, need_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE needs SET status = $1, chosen_provider_id = NULL, updated_at = $2, version = version + 1 WHERE id = $3",
    )
    .bind(NeedStatus::InDiscussion.code())
    .bind(now_ms())
    .bind(need_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Store a card's reply, or update it in place; true when it already existed.
pub async fn upsert_reply(
    tx: &mut Tx,
    need_id: i64,
    provider_id: i64,
    author_id: i64,
    message: &str,
) -> Result<bool, sqlx::Error> {
    let existed: Option<i64> =
        sqlx::query_scalar("SELECT id FROM need_replies WHERE need_id = $1 AND provider_id = $2")
            .bind(need_id)
            .bind(provider_id)
            .fetch_optional(&mut **tx)
            .await?;
    sqlx::query(
        "INSERT INTO need_replies (need_id, provider_id, author_id, message, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (need_id, provider_id) DO UPDATE SET \
         message = excluded.message, author_id = excluded.author_id, updated_at = excluded.updated_at",
    )
    .bind(need_id)
    .bind(provider_id)
    .bind(author_id)
    .bind(message)
    .bind(ReplyStatus::Sent.code())
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(existed.is_some())
}

/// A published need that received a reply is in discussion.
pub async fn mark_in_discussion(tx: &mut Tx, need_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE needs SET status = $1, updated_at = $2, version = version + 1 WHERE id = $3",
    )
    .bind(NeedStatus::InDiscussion.code())
    .bind(now_ms())
    .bind(need_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

// ------------------------------------------------------------------ people

/// Who hears about a provider's card: the card's address, or else each
/// member's account address, each in its language.
pub struct Recipients {
    pub name: String,
    pub to: Vec<(String, Locale)>,
}

/// Where mails about a provider's card go; `default` is the card address's language.
pub async fn provider_recipients(
    tx: &mut Tx,
    provider_id: i64,
    default: Locale,
) -> Result<Recipients, sqlx::Error> {
    let Some((name, email)): Option<(String, String)> =
        sqlx::query_as("SELECT name, email FROM providers WHERE id = $1")
            .bind(provider_id)
            .fetch_optional(&mut **tx)
            .await?
    else {
        return Ok(Recipients {
            name: String::new(),
            to: vec![],
        });
    };
    if !email.trim().is_empty() {
        return Ok(Recipients {
            name,
            to: vec![(email.trim().to_string(), default)],
        });
    }
    let members: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.email, u.locale FROM provider_members m JOIN users u ON u.id = m.user_id \
         WHERE m.provider_id = $1 AND u.disabled_at IS NULL ORDER BY u.id",
    )
    .bind(provider_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(Recipients {
        name,
        to: members
            .into_iter()
            .map(|(e, l)| (e, locale_of(&l)))
            .collect(),
    })
}

/// The address and language of an active account.
pub async fn account_contact(
    tx: &mut Tx,
    user_id: i64,
) -> Result<Option<(String, Locale)>, sqlx::Error> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT email, locale FROM users WHERE id = $1 AND disabled_at IS NULL")
            .bind(user_id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.map(|(e, l)| (e, locale_of(&l))))
}

/// A stored language code; French unless it is English.
fn locale_of(code: &str) -> Locale {
    Locale::from_tag(code).unwrap_or(Locale::Fr)
}

// ------------------------------------------------------------------ provider side

/// How many cards a person keeps.
pub async fn card_count(db: &Db, user_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM provider_members WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&db.pool)
        .await
}

/// Every open need (programme managers).
pub async fn open_ids(db: &Db) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(&format!("SELECT n.id FROM needs n WHERE {}", open_sql()))
        .fetch_all(&db.pool)
        .await
}

/// Open needs notified to, or matching, the cards a person keeps.
pub async fn open_ids_for_member(db: &Db, user_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    let mut ids: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT DISTINCT nn.need_id FROM need_notifications nn JOIN provider_members m ON m.provider_id = nn.provider_id \
         JOIN needs n ON n.id = nn.need_id WHERE m.user_id = $1 AND {}",
        open_sql()
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    let matching: Vec<i64> = sqlx::query_scalar(&match_sql(
        "n.id",
        &open_sql(),
        "p.id IN (SELECT provider_id FROM provider_members WHERE user_id = $1)",
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    ids.extend(matching);
    Ok(ids)
}

/// Needs a person's cards replied to.
pub async fn replied_ids(db: &Db, user_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT DISTINCT r.need_id FROM need_replies r JOIN provider_members m ON m.provider_id = r.provider_id \
         WHERE m.user_id = $1",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}

/// A person's cards that were told about a need.
pub async fn notified_cards(
    db: &Db,
    need_id: i64,
    user_id: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.id, p.name FROM need_notifications nn JOIN providers p ON p.id = nn.provider_id \
         JOIN provider_members m ON m.provider_id = p.id WHERE nn.need_id = $1 AND m.user_id = $2",
    )
    .bind(need_id)
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}

/// A person's published cards that match a need now.
pub async fn matching_cards(
    db: &Db,
    need_id: i64,
    user_id: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(&match_sql(
        "p.id, p.name",
        "n.id = $1",
        "p.id IN (SELECT provider_id FROM provider_members WHERE user_id = $2)",
    ))
    .bind(need_id)
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}

// ------------------------------------------------------------------ quotes

/// A stored quote review.
#[derive(Debug, sqlx::FromRow)]
pub struct QuoteRow {
    pub id: i64,
    pub provider_id: Option<i64>,
    pub provider_name: Option<String>,
    pub label: String,
    pub amount_cents: Option<i64>,
    checklist: String,
    pub notes: String,
    pub version: i64,
    pub updated_at: i64,
}

impl QuoteRow {
    /// The amount, if given.
    pub fn amount(&self) -> Option<Euros> {
        self.amount_cents.map(Euros)
    }

    /// The checklist answers (an unreadable one reads as empty).
    pub fn checklist(&self) -> Checklist {
        serde_json::from_str(&self.checklist).unwrap_or_default()
    }
}

const QUOTE_SELECT: &str = "SELECT q.id, q.provider_id, p.name AS provider_name, q.label, q.amount_cents, q.checklist, \
    q.notes, q.version, q.updated_at FROM quote_reviews q LEFT JOIN providers p ON p.id = q.provider_id";

/// The quote reviews of a need, oldest first.
pub async fn quotes(db: &Db, need_id: i64) -> Result<Vec<QuoteRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{QUOTE_SELECT} WHERE q.need_id = $1 ORDER BY q.created_at, q.id"
    ))
    .bind(need_id)
    .fetch_all(&db.pool)
    .await
}

/// One quote review of a need.
pub async fn quote(db: &Db, need_id: i64, id: i64) -> Result<Option<QuoteRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{QUOTE_SELECT} WHERE q.id = $1 AND q.need_id = $2"
    ))
    .bind(id)
    .bind(need_id)
    .fetch_optional(&db.pool)
    .await
}

/// How many quote reviews a need has.
pub async fn quote_count(db: &Db, need_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM quote_reviews WHERE need_id = $1")
        .bind(need_id)
        .fetch_one(&db.pool)
        .await
}

/// Repliers of a need, offered as a quote's provider.
pub async fn repliers(db: &Db, need_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.id, p.name FROM need_replies r JOIN providers p ON p.id = r.provider_id \
         WHERE r.need_id = $1 ORDER BY p.name",
    )
    .bind(need_id)
    .fetch_all(&db.pool)
    .await
}

/// Store a quote review; returns its id.
pub async fn insert_quote(
    db: &Db,
    need_id: i64,
    by: i64,
    v: &ValidQuote,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO quote_reviews (need_id, provider_id, label, amount_cents, checklist, notes, created_by, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(need_id)
    .bind(v.provider_id)
    .bind(&v.label)
    .bind(v.amount.map(Euros::cents))
    .bind(&v.checklist)
    .bind(&v.notes)
    .bind(by)
    .bind(now_ms())
    .fetch_one(&db.pool)
    .await
}

/// Save a quote review read at `version`; false when it changed since.
pub async fn update_quote(
    db: &Db,
    need_id: i64,
    id: i64,
    version: i64,
    v: &ValidQuote,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE quote_reviews SET provider_id = $1, label = $2, amount_cents = $3, checklist = $4, notes = $5, \
         updated_at = $6, version = version + 1 WHERE id = $7 AND need_id = $8 AND version = $9",
    )
    .bind(v.provider_id)
    .bind(&v.label)
    .bind(v.amount.map(Euros::cents))
    .bind(&v.checklist)
    .bind(&v.notes)
    .bind(now_ms())
    .bind(id)
    .bind(need_id)
    .bind(version)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}
