//! Every SQL statement of testimonies.

use super::model::{before_after, pack, PhotoChange, Status, ValidTestimony, PHOTO};
use crate::db::{now_ms, Db};

const COLUMNS: &str = "t.id, t.business_id, t.case_id, t.author_name, t.title, t.body, t.locale, \
     t.video_url, t.transcript, t.themes, t.consent_at, t.consent_by, t.photo_consent, \
     t.score_before, t.score_after, t.status, t.published_at, t.version, t.updated_at, \
     CASE WHEN t.photo IS NULL THEN 0 ELSE 1 END AS has_photo, \
     COALESCE(b.name, '') AS business_name";

const FROM: &str = "FROM testimonies t LEFT JOIN businesses b ON b.id = t.business_id";

/// What the public pages may show: published, with the consent recorded.
const VISIBLE: &str = "t.status = 'published' AND t.consent_at IS NOT NULL";

/// A testimony as stored, with its business's name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TestimonyRow {
    pub id: i64,
    pub business_id: Option<i64>,
    pub case_id: Option<i64>,
    pub author_name: String,
    pub title: String,
    pub body: String,
    pub locale: String,
    pub video_url: String,
    pub transcript: String,
    pub themes: String,
    pub consent_at: Option<i64>,
    pub consent_by: String,
    pub photo_consent: i64,
    pub score_before: Option<f64>,
    pub score_after: Option<f64>,
    pub status: String,
    pub published_at: Option<i64>,
    pub version: i64,
    pub updated_at: i64,
    pub has_photo: i64,
    pub business_name: String,
}

impl TestimonyRow {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Draft)
    }

    /// True when the public pages show it.
    pub fn visible(&self) -> bool {
        self.status() == Status::Published && self.consent_at.is_some()
    }

    /// True when the public pages show its photo.
    pub fn photo_shown(&self) -> bool {
        self.visible() && self.photo_consent != 0 && self.has_photo != 0
    }
}

/// A testimony's photo and its media type: for the public only when the
/// testimony is visible and the photo consent recorded, for staff always.
pub async fn photo(
    db: &Db,
    id: i64,
    public: bool,
) -> Result<Option<(Vec<u8>, String)>, sqlx::Error> {
    let only_shown = if public {
        format!("AND {VISIBLE} AND t.photo_consent = 1")
    } else {
        String::new()
    };
    sqlx::query_as(&format!(
        "SELECT t.photo, COALESCE(t.photo_mime, '') FROM testimonies t \
         WHERE t.id = $1 AND t.photo IS NOT NULL {only_shown}"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

/// The columns a photo change binds: (what to do, the picture, its type);
/// 0 keeps the stored one, 1 sets it, 2 removes it.
fn photo_binds(p: &PhotoChange) -> (i64, Option<Vec<u8>>, Option<&'static str>) {
    match p {
        PhotoChange::Keep => (0, None, None),
        PhotoChange::Set(bytes) => (1, Some(bytes.clone()), Some(PHOTO.mime())),
        PhotoChange::Remove => (2, None, None),
    }
}

/// Published testimonies with consent, newest first, optionally on one theme.
pub async fn visible(db: &Db, theme: &str) -> Result<Vec<TestimonyRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} {FROM} WHERE {VISIBLE} AND ($1 = '' OR t.themes LIKE $2) \
         ORDER BY t.published_at DESC, t.id DESC"
    ))
    .bind(theme)
    .bind(format!("%,{theme},%"))
    .fetch_all(&db.pool)
    .await
}

/// Every testimony, latest change first (staff list).
pub async fn all(db: &Db) -> Result<Vec<TestimonyRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} {FROM} ORDER BY t.updated_at DESC, t.id DESC"
    ))
    .fetch_all(&db.pool)
    .await
}

pub async fn get(db: &Db, id: i64) -> Result<Option<TestimonyRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} {FROM} WHERE t.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// Businesses to choose from: (id, name), by name.
pub async fn businesses(db: &Db) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, name FROM businesses ORDER BY name, id LIMIT 2000")
        .fetch_all(&db.pool)
        .await
}

pub async fn business_exists(db: &Db, id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM businesses WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
    Ok(n > 0)
}

/// The business's latest closed follow-up file and its before/after
/// maturity scores (T0: first diagnostic, T1: latest after the opening).
pub async fn closed_file_scores(
    db: &Db,
    business_id: i64,
) -> Result<Option<(i64, f64, f64)>, sqlx::Error> {
    let case: Option<(i64, i64)> = sqlx::query_as(
        "SELECT id, opened_at FROM cases WHERE business_id = $1 AND status = 'closed' \
         ORDER BY closed_at DESC, id DESC LIMIT 1",
    )
    .bind(business_id)
    .fetch_optional(&db.pool)
    .await?;
    let Some((case_id, opened_at)) = case else {
        return Ok(None);
    };
    let rows: Vec<(i64, f64)> = sqlx::query_as(
        "SELECT COALESCE(submitted_at, created_at) AS at, overall FROM diagnostics \
         WHERE business_id = $1 AND status = 'submitted' AND overall IS NOT NULL \
         ORDER BY COALESCE(submitted_at, created_at), id",
    )
    .bind(business_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(before_after(&rows, opened_at).map(|(a, b)| (case_id, a, b)))
}

/// What a save did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Created(i64),
    Updated(i64),
    /// Someone saved it since the editor opened it: nothing written.
    Stale,
}

async fn scores_of(
    db: &Db,
    t: &ValidTestimony,
) -> Result<(Option<i64>, Option<f64>, Option<f64>), sqlx::Error> {
    Ok(match t.business_id {
        Some(b) => match closed_file_scores(db, b).await? {
            Some((c, x, y)) => (Some(c), Some(x), Some(y)),
            None => (None, None, None),
        },
        None => (None, None, None),
    })
}

/// Store a new testimony; the consent (if ticked) is recorded now.
pub async fn insert(db: &Db, t: &ValidTestimony, by: Option<i64>) -> Result<Saved, sqlx::Error> {
    let (case_id, before, after) = scores_of(db, t).await?;
    let now = now_ms();
    let published = t.status == Status::Published;
    let (_, photo, photo_mime) = photo_binds(&t.photo);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO testimonies (business_id, case_id, author_name, title, body, locale, video_url, \
         transcript, themes, consent_at, consent_by, photo_consent, score_before, score_after, status, \
         published_at, version, created_by, created_at, updated_at, photo, photo_mime) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1, $17, $18, $18, $19, $20) \
         RETURNING id",
    )
    .bind(t.business_id)
    .bind(case_id)
    .bind(&t.author_name)
    .bind(&t.title)
    .bind(&t.body)
    .bind(&t.locale)
    .bind(&t.video_url)
    .bind(&t.transcript)
    .bind(pack(&t.themes))
    .bind(t.consent.then_some(now))
    .bind(&t.consent_by)
    .bind(i64::from(t.photo_consent))
    .bind(before)
    .bind(after)
    .bind(t.status.code())
    .bind(published.then_some(now))
    .bind(by)
    .bind(now)
    .bind(photo)
    .bind(photo_mime)
    .fetch_one(&db.writer)
    .await?;
    Ok(Saved::Created(id))
}

/// Save a new version if nobody saved since `t.version`. A consent already
/// recorded keeps its date; unticked, it is withdrawn.
pub async fn update(db: &Db, id: i64, t: &ValidTestimony) -> Result<Saved, sqlx::Error> {
    let (case_id, before, after) = scores_of(db, t).await?;
    let now = now_ms();
    let (action, photo, photo_mime) = photo_binds(&t.photo);
    let done = sqlx::query(
        "UPDATE testimonies SET business_id = $1, case_id = $2, author_name = $3, title = $4, body = $5, \
         locale = $6, video_url = $7, transcript = $8, themes = $9, \
         consent_at = CASE WHEN $10 = 1 THEN COALESCE(consent_at, $11) ELSE NULL END, \
         consent_by = $12, photo_consent = $13, score_before = $14, score_after = $15, status = $16, \
         published_at = CASE WHEN $16 = 'published' THEN COALESCE(published_at, $11) ELSE NULL END, \
         photo = CASE $19 WHEN 1 THEN $20 WHEN 2 THEN NULL ELSE photo END, \
         photo_mime = CASE $19 WHEN 1 THEN $21 WHEN 2 THEN NULL ELSE photo_mime END, \
         version = version + 1, updated_at = $11 \
         WHERE id = $17 AND version = $18",
    )
    .bind(t.business_id)
    .bind(case_id)
    .bind(&t.author_name)
    .bind(&t.title)
    .bind(&t.body)
    .bind(&t.locale)
    .bind(&t.video_url)
    .bind(&t.transcript)
    .bind(pack(&t.themes))
    .bind(i64::from(t.consent))
    .bind(now)
    .bind(&t.consent_by)
    .bind(i64::from(t.photo_consent))
    .bind(before)
    .bind(after)
    .bind(t.status.code())
    .bind(id)
    .bind(t.version)
    .bind(action)
    .bind(photo)
    .bind(photo_mime)
    .execute(&db.writer)
    .await?;
    Ok(if done.rows_affected() == 1 {
        Saved::Updated(id)
    } else {
        Saved::Stale
    })
}
