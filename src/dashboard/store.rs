//! The dashboard's SQL: territories, attendees and sessions held.

use super::model::{Territories, Territory};
use crate::db::Db;
use crate::i18n::Locale;
use crate::kernel::bilingual::column;

/// Every territory with its name in `locale`, by code.
pub async fn territories(db: &Db, locale: Locale) -> Result<Territories, sqlx::Error> {
    let col = column(locale, "name_fr", "name_en");
    let rows: Vec<Territory> = sqlx::query_as(&format!(
        "SELECT code, parent_code, level, {col} AS name FROM territories"
    ))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|t| (t.code.clone(), t)).collect())
}

/// One person marked present at a session, with what the breakdowns need.
#[derive(Debug, sqlx::FromRow)]
pub struct Attendee {
    pub business_id: Option<i64>,
    pub business_name: String,
    pub email_key: String,
    pub starts_at: i64,
    /// The session's commune.
    pub s_commune: Option<String>,
    /// The attached business's commune.
    pub b_commune: Option<String>,
    pub sector: Option<String>,
    pub partner: Option<String>,
}

/// Everyone marked present, in session order.
pub async fn attendees(db: &Db, locale: Locale) -> Result<Vec<Attendee>, sqlx::Error> {
    let col = column(locale, "name_fr", "name_en");
    sqlx::query_as(&format!(
        "SELECT r.business_id, r.business_name, r.email_key, s.starts_at, s.commune_code AS s_commune, \
         b.commune_code AS b_commune, sec.{col} AS sector, COALESCE(bp.name, sp.name) AS partner \
         FROM workshop_registrations r JOIN workshop_sessions s ON s.id = r.session_id \
         LEFT JOIN businesses b ON b.id = r.business_id \
         LEFT JOIN sectors sec ON sec.code = b.sector_code \
         LEFT JOIN partners bp ON bp.id = b.partner_id LEFT JOIN partners sp ON sp.id = s.partner_id \
         WHERE r.attendance = 'present' ORDER BY s.starts_at, r.id"
    ))
    .fetch_all(&db.pool)
    .await
}

/// Sessions where at least one person was marked present.
pub async fn sessions_held(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(DISTINCT session_id) FROM workshop_registrations WHERE attendance = 'present'",
    )
    .fetch_one(&db.pool)
    .await
}
