//! Every SQL statement of the notice board.

use sqlx::{Any, Transaction};

use super::model::{PostKind, PostStatus};
use crate::db::{now_ms, Db};
use crate::i18n::Locale;

/// A stored post with who wrote it (the card's name, else the author's).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostRow {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: String,
    pub status: String,
    pub moderation_note: String,
    /// `YYYY-MM-DD`, or empty.
    pub expires_on: String,
    pub created_at: i64,
    pub published_at: Option<i64>,
    pub provider_name: Option<String>,
    pub author_name: Option<String>,
}

/// Columns of a post (alias `bp`), its card and its author.
const SELECT: &str = "SELECT bp.id, bp.kind, bp.title, bp.body, bp.link, bp.status, bp.moderation_note, bp.expires_on, \
    bp.created_at, bp.published_at, p.name AS provider_name, u.display_name AS author_name FROM board_posts bp \
    LEFT JOIN providers p ON p.id = bp.provider_id LEFT JOIN users u ON u.id = bp.author_id";

/// Published posts not expired on `today` (`YYYY-MM-DD`), newest first,
/// optionally of one kind.
pub async fn published(
    db: &Db,
    today: &str,
    kind: Option<PostKind>,
) -> Result<Vec<PostRow>, sqlx::Error> {
    let base =
        format!("{SELECT} WHERE bp.status = $1 AND (bp.expires_on = '' OR bp.expires_on >= $2)");
    match kind {
        None => {
            sqlx::query_as(&format!(
                "{base} ORDER BY bp.published_at DESC, bp.id DESC LIMIT 200"
            ))
            .bind(PostStatus::Published.code())
            .bind(today)
            .fetch_all(&db.pool)
            .await
        }
        Some(k) => {
            sqlx::query_as(&format!(
                "{base} AND bp.kind = $3 ORDER BY bp.published_at DESC, bp.id DESC LIMIT 200"
            ))
            .bind(PostStatus::Published.code())
            .bind(today)
            .bind(k.code())
            .fetch_all(&db.pool)
            .await
        }
    }
}

/// Posts of one status for the moderation queue: pending ones oldest first,
/// the others newest first (the latest 100 published, 50 rejected).
pub async fn by_status(db: &Db, status: PostStatus) -> Result<Vec<PostRow>, sqlx::Error> {
    let order = match status {
        PostStatus::Pending => "ORDER BY bp.created_at, bp.id",
        PostStatus::Published => "ORDER BY bp.published_at DESC, bp.id DESC LIMIT 100",
        PostStatus::Rejected => "ORDER BY bp.created_at DESC, bp.id DESC LIMIT 50",
    };
    sqlx::query_as(&format!("{SELECT} WHERE bp.status = $1 {order}"))
        .bind(status.code())
        .fetch_all(&db.pool)
        .await
}

/// A post to store.
pub struct NewPost<'a> {
    pub author_id: Option<i64>,
    pub provider_id: Option<i64>,
    pub kind: PostKind,
    pub title: &'a str,
    pub body: &'a str,
    pub link: &'a str,
    pub status: PostStatus,
    pub moderated_by: Option<i64>,
    pub expires_on: &'a str,
}

/// Store a post; a published one is published now. Returns its id.
pub async fn insert(db: &Db, p: &NewPost<'_>) -> Result<i64, sqlx::Error> {
    let now = now_ms();
    let published_at = (p.status == PostStatus::Published).then_some(now);
    sqlx::query_scalar(
        "INSERT INTO board_posts (author_id, provider_id, kind, title, body, link, status, moderated_by, expires_on, \
         created_at, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(p.author_id)
    .bind(p.provider_id)
    .bind(p.kind.code())
    .bind(p.title)
    .bind(p.body)
    .bind(p.link)
    .bind(p.status.code())
    .bind(p.moderated_by)
    .bind(p.expires_on)
    .bind(now)
    .bind(published_at)
    .fetch_one(&db.pool)
    .await
}

/// Move a post from `from` to `to`; false when it was not in `from` any more.
pub async fn moderate(
    tx: &mut Transaction<'static, Any>,
    post: i64,
    from: PostStatus,
    to: PostStatus,
    by: i64,
    note: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE board_posts SET status = $1, moderated_by = $2, moderation_note = $3, \
         published_at = COALESCE($4, published_at) WHERE id = $5 AND status = $6",
    )
    .bind(to.code())
    .bind(by)
    .bind(note)
    .bind((to == PostStatus::Published).then(now_ms))
    .bind(post)
    .bind(from.code())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The author of a post to tell about its moderation (address, language,
/// title), unless they moderated it themselves or their account is closed.
pub async fn author_to_tell(
    tx: &mut Transaction<'static, Any>,
    post: i64,
    moderator: i64,
) -> Result<Option<(String, Locale, String)>, sqlx::Error> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT u.email, u.locale, bp.title FROM board_posts bp JOIN users u ON u.id = bp.author_id \
         WHERE bp.id = $1 AND u.id <> $2 AND u.disabled_at IS NULL",
    )
    .bind(post)
    .bind(moderator)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(email, locale, title)| {
        let locale = Locale::from_tag(&locale).unwrap_or(Locale::Fr);
        (email, locale, title)
    }))
}

/// The cards a person keeps, by name.
pub async fn cards_of(db: &Db, user_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.id, p.name FROM providers p JOIN provider_members m ON m.provider_id = p.id \
         WHERE m.user_id = $1 ORDER BY p.name, p.id",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}
