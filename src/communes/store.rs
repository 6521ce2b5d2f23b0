//! A commune of the official lists joins the territories table when used.

use super::model::Commune;
use crate::db::Db;

/// The territory code of the commune a field names (a code, a label read
/// back, a name or a postcode), adding it to `territories` when first used;
/// `None` when the text is empty or names no single commune.
pub async fn known(db: &Db, typed: &str) -> Result<Option<String>, sqlx::Error> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    let code: Option<String> =
        sqlx::query_scalar("SELECT code FROM territories WHERE code = $1 AND level = 'commune'")
            .bind(typed)
            .fetch_optional(&db.pool)
            .await?;
    if code.is_some() {
        return Ok(code);
    }
    match super::model::resolve(typed) {
        Ok(Some(c)) => {
            ensure(db, c).await?;
            Ok(Some(c.code.clone()))
        }
        _ => Ok(None),
    }
}

/// Add the commune to `territories` (under its shipped department or
/// province) unless it is there already.
pub async fn ensure(db: &Db, c: &Commune) -> Result<(), sqlx::Error> {
    let added = sqlx::query(
        "INSERT INTO territories (code, parent_code, level, name_fr, name_en, search_key) \
         VALUES ($1, $2, 'commune', $3, $3, $4) ON CONFLICT (code) DO NOTHING",
    )
    .bind(&c.code)
    .bind(&c.parent)
    .bind(&c.name)
    .bind(crate::text::fold(&c.name))
    .execute(&db.pool)
    .await?
    .rows_affected();
    if added > 0 {
        crate::dashboard::store::bump_territories(&db.pool).await?;
    }
    Ok(())
}
