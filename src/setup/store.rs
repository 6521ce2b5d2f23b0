//! Every SQL statement of the programme set-up: the programme record and
//! its territories, territories, sectors, themes, partners.

use crate::db::Db;

/// The id of the partner with `slug`, if any (partner links, sign-up attribution).
pub async fn partner_id(db: &Db, slug: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM partners WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await
}
