//! Statements of referral bodies and referrals.

use super::*;

// ------------------------------------------------------------------ referral bodies

/// A partner body files are referred to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Body {
    pub id: i64,
    pub name: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    pub territory_code: Option<String>,
    pub themes: String,
    pub url: String,
    pub active: i64,
}

const BODY_COLUMNS: &str =
    "id, name, contact_name, email, phone, territory_code, themes, url, active";

/// The catalogue of bodies, by name.
pub async fn bodies(db: &Db) -> Result<Vec<Body>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {BODY_COLUMNS} FROM referral_bodies ORDER BY name"
    ))
    .fetch_all(&db.pool)
    .await
}

/// One body.
pub async fn body(db: &Db, id: i64) -> Result<Option<Body>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {BODY_COLUMNS} FROM referral_bodies WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

/// Add a body to the catalogue.
pub async fn insert_body(db: &Db, v: &ValidBody, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO referral_bodies (name, contact_name, email, phone, territory_code, themes, url, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(&v.name)
    .bind(&v.contact_name)
    .bind(&v.email)
    .bind(&v.phone)
    .bind(v.territory.as_deref())
    .bind(&v.themes)
    .bind(&v.url)
    .bind(now)
    .fetch_one(&db.pool)
    .await
}

// ------------------------------------------------------------------ referrals

/// A referral with its body.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Referral {
    pub id: i64,
    pub case_id: i64,
    pub body_id: i64,
    pub body_name: String,
    pub body_email: String,
    pub status: String,
    pub note: String,
    pub answer: String,
    pub link_version: i64,
    pub sent_at: i64,
    pub answered_at: Option<i64>,
    pub reminders: i64,
    pub updated_at: i64,
}

impl Referral {
    /// The typed status.
    pub fn status(&self) -> ReferralStatus {
        ReferralStatus::from_code(&self.status).unwrap_or(ReferralStatus::Sent)
    }
}

pub(super) const REFERRAL_COLUMNS: &str =
    "r.id, r.case_id, r.body_id, b.name AS body_name, b.email AS body_email, r.status, r.note, \
    r.answer, r.link_version, r.sent_at, r.answered_at, r.reminders, r.updated_at";

/// A file's referrals, oldest first.
pub async fn referrals(db: &Db, case_id: i64) -> Result<Vec<Referral>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {REFERRAL_COLUMNS} FROM referrals r JOIN referral_bodies b ON b.id = r.body_id \
         WHERE r.case_id = $1 ORDER BY r.sent_at, r.id"
    ))
    .bind(case_id)
    .fetch_all(&db.pool)
    .await
}

/// The referral a private link opens.
pub async fn referral_by_token(db: &Db, token_hash: &str) -> Result<Option<Referral>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {REFERRAL_COLUMNS} FROM referrals r JOIN referral_bodies b ON b.id = r.body_id WHERE r.token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(&db.pool)
    .await
}

/// One referral of a file.
pub async fn referral(db: &Db, case_id: i64, id: i64) -> Result<Option<Referral>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {REFERRAL_COLUMNS} FROM referrals r JOIN referral_bodies b ON b.id = r.body_id WHERE r.id = $1 AND r.case_id = $2"
    ))
    .bind(id)
    .bind(case_id)
    .fetch_optional(&db.pool)
    .await
}

/// Send a referral (its private link's hash is stored).
#[allow(clippy::too_many_arguments)]
pub async fn insert_referral(
    tx: &mut Tx,
    case_id: i64,
    body_id: i64,
    note: &str,
    token_hash: &str,
    author: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let id = sqlx::query_scalar(
        "INSERT INTO referrals (case_id, body_id, status, note, token_hash, sent_at, author_id, updated_at) \
         VALUES ($1, $2, 'sent', $3, $4, $5, $6, $5) RETURNING id",
    )
    .bind(case_id)
    .bind(body_id)
    .bind(note)
    .bind(token_hash)
    .bind(now)
    .bind(author)
    .fetch_one(&mut **tx)
    .await?;
    touch(tx, case_id, now).await?;
    Ok(id)
}

/// Record a body's answer if the link is still at `link_version` and the
/// move is allowed; each answer moves the link's version on, so a replayed
/// submission is refused. Returns false when refused.
pub async fn answer_referral(
    db: &Db,
    r: &Referral,
    to: ReferralStatus,
    answer: &str,
    link_version: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    if !r.status().can_move_to(to) {
        return Ok(false);
    }
    let n = sqlx::query(
        "UPDATE referrals SET status = $1, answer = $2, answered_at = $3, updated_at = $3, link_version = link_version + 1 \
         WHERE id = $4 AND status = $5 AND link_version = $6",
    )
    .bind(to.code())
    .bind(answer)
    .bind(now)
    .bind(r.id)
    .bind(r.status().code())
    .bind(link_version)
    .execute(&db.pool)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Reopen a referral with a fresh link (the old one stops working).
pub async fn reopen_referral(
    tx: &mut Tx,
    id: i64,
    token_hash: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query(
        "UPDATE referrals SET status = 'sent', token_hash = $1, sent_at = $2, updated_at = $2, reminders = 0, \
         link_version = link_version + 1 WHERE id = $3 AND status NOT IN ('sent', 'taken-up')",
    )
    .bind(token_hash)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Claim the next reminder of a referral still unanswered (conditional
/// update: two servers never send the same reminder); the reminder carries
/// a fresh link, since only the link's hash is kept. Returns true when claimed.
pub async fn claim_reminder(
    tx: &mut Tx,
    id: i64,
    from: i64,
    token_hash: &str,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query(
        "UPDATE referrals SET reminders = reminders + 1, token_hash = $3 WHERE id = $1 AND reminders = $2 AND status = 'sent'",
    )
    .bind(id)
    .bind(from)
    .bind(token_hash)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Referrals still waiting for the body's first answer, with the file's business.
pub async fn waiting_referrals(db: &Db) -> Result<Vec<(Referral, String)>, sqlx::Error> {
    waiting(db, None).await
}

/// Referrals waiting for an answer on one adviser's files, oldest first.
pub async fn waiting_referrals_of(
    db: &Db,
    adviser: i64,
) -> Result<Vec<(Referral, String)>, sqlx::Error> {
    waiting(db, Some(adviser)).await
}

async fn waiting(db: &Db, adviser: Option<i64>) -> Result<Vec<(Referral, String)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        r: Referral,
        business_name: String,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {REFERRAL_COLUMNS}, bz.name AS business_name FROM referrals r JOIN referral_bodies b ON b.id = r.body_id \
         JOIN cases c ON c.id = r.case_id JOIN businesses bz ON bz.id = c.business_id WHERE r.status = 'sent' AND ($1 = 0 OR c.adviser_id = $1) ORDER BY r.sent_at"
    ))
    .bind(adviser.unwrap_or(0))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.r, r.business_name)).collect())
}
