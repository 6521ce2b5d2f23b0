//! A commune of the official lists joins the territories table when used.

use super::model::Commune;
use crate::db::Db;

/// Add the commune to `territories` (under its shipped department or
/// province) unless it is there already.
pub async fn ensure(db: &Db, c: &Commune) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO territories (code, parent_code, level, name_fr, name_en, search_key) \
         VALUES ($1, $2, 'commune', $3, $3, $4) ON CONFLICT (code) DO NOTHING",
    )
    .bind(&c.code)
    .bind(&c.parent)
    .bind(&c.name)
    .bind(crate::text::fold(&c.name))
    .execute(&db.pool)
    .await?;
    Ok(())
}
