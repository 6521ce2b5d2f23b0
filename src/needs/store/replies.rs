//! Replies of providers to a need, the people told, the provider side.

use super::{match_sql, open_sql, Tx};
use crate::db::{now_ms, Db};
use crate::i18n::Locale;
use crate::needs::model::{NeedStatus, ReplyStatus, ValidReply};

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
    pub amount_cents: Option<i64>,
    pub delay_days: Option<i64>,
    /// The attached quote's file name, when one is attached.
    pub quote_name: Option<String>,
}

impl ReplyRow {
    /// The indicative amount, if given.
    pub fn amount(&self) -> Option<crate::kernel::money::Euros> {
        self.amount_cents.map(crate::kernel::money::Euros)
    }

    /// Where the reply stands.
    pub fn status(&self) -> ReplyStatus {
        ReplyStatus::from_code(&self.status)
    }
}

/// Columns of a reply (alias `r`) and its card (alias `p`).
const REPLY_COLUMNS: &str = "r.id, r.provider_id, p.name, r.message, r.status, r.updated_at, \
    r.amount_cents, r.delay_days, r.quote_name";

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
/// A reply sent without a new quote file keeps the one attached before.
pub async fn upsert_reply(
    tx: &mut Tx,
    need_id: i64,
    provider_id: i64,
    author_id: i64,
    reply: &ValidReply,
) -> Result<bool, sqlx::Error> {
    let existed: Option<i64> =
        sqlx::query_scalar("SELECT id FROM need_replies WHERE need_id = $1 AND provider_id = $2")
            .bind(need_id)
            .bind(provider_id)
            .fetch_optional(&mut **tx)
            .await?;
    sqlx::query(
        "INSERT INTO need_replies (need_id, provider_id, author_id, message, status, created_at, updated_at, \
         amount_cents, delay_days) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8) ON CONFLICT (need_id, provider_id) DO UPDATE SET \
         message = excluded.message, author_id = excluded.author_id, updated_at = excluded.updated_at, \
         amount_cents = excluded.amount_cents, delay_days = excluded.delay_days",
    )
    .bind(need_id)
    .bind(provider_id)
    .bind(author_id)
    .bind(&reply.message)
    .bind(ReplyStatus::Sent.code())
    .bind(now_ms())
    .bind(reply.amount.map(|e| e.cents()))
    .bind(reply.delay_days)
    .execute(&mut **tx)
    .await?;
    if let Some(q) = &reply.quote {
        sqlx::query(
            "UPDATE need_replies SET quote_name = $1, quote_mime = $2, quote_content = $3 \
             WHERE need_id = $4 AND provider_id = $5",
        )
        .bind(&q.name)
        .bind(&q.mime)
        .bind(&q.bytes)
        .bind(need_id)
        .bind(provider_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(existed.is_some())
}

/// The quote attached to a reply of this need: name, type and content.
pub async fn reply_quote(
    db: &Db,
    need_id: i64,
    reply_id: i64,
) -> Result<Option<(i64, String, String, Vec<u8>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT provider_id, quote_name, quote_mime, quote_content FROM need_replies \
         WHERE id = $1 AND need_id = $2 AND quote_content IS NOT NULL",
    )
    .bind(reply_id)
    .bind(need_id)
    .fetch_optional(&db.pool)
    .await
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

// ------------------------------------------------------------------ messages

/// One message of a thread between a business and a replying card.
#[derive(Debug, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub provider_id: i64,
    pub side: String,
    pub body: String,
    pub created_at: i64,
}

/// Every message on a need, oldest first (each thread is one card's).
pub async fn messages(db: &Db, need_id: i64) -> Result<Vec<MessageRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, provider_id, side, body, created_at FROM need_messages \
         WHERE need_id = $1 ORDER BY created_at, id",
    )
    .bind(need_id)
    .fetch_all(&db.pool)
    .await
}

/// Add a message to the thread of one card on a need.
pub async fn add_message(
    tx: &mut Tx,
    need_id: i64,
    provider_id: i64,
    author_id: i64,
    side: &str,
    body: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO need_messages (need_id, provider_id, author_id, side, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(need_id)
    .bind(provider_id)
    .bind(author_id)
    .bind(side)
    .bind(body)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await
}

/// True when this card replied to the need (a thread exists only then).
pub async fn has_replied(tx: &mut Tx, need_id: i64, provider_id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM need_replies WHERE need_id = $1 AND provider_id = $2",
    )
    .bind(need_id)
    .bind(provider_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(n > 0)
}
