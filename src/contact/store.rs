//! Every SQL statement of the contact form.

use sqlx::{Any, Transaction};

use super::model::ContactRequest;
use crate::i18n::Locale;

/// Store a message inside the caller's transaction; returns its id.
pub async fn insert_message(
    tx: &mut Transaction<'static, Any>,
    programme_id: Option<i64>,
    req: &ContactRequest,
    locale: Locale,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO contact_messages (programme_id, name, email, organisation, subject, message, locale, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(programme_id)
    .bind(&req.name)
    .bind(&req.email)
    .bind(req.organisation.as_deref())
    .bind(req.topic)
    .bind(&req.message)
    .bind(locale.as_str())
    .bind(crate::db::now_ms())
    .fetch_one(&mut **tx)
    .await
}
