//! What a person did before having an account comes home with them: a
//! diagnostic whose link was mailed to their address, workshop registrations
//! and coaching requests made with it are attached to the account once the
//! person confirms the address (the verification link), and to their
//! business when they have one or create it later.

use sqlx::{Any, Transaction};

/// A write transaction.
type Tx = Transaction<'static, Any>;

/// How much was attached.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Attached {
    pub diagnostics: u64,
    pub registrations: u64,
}

/// Remember the address an anonymous diagnostic's link was mailed to.
pub async fn remember_diagnostic(
    tx: &mut Tx,
    diagnostic_id: i64,
    email: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE diagnostics SET contact_email = $1 WHERE id = $2 AND user_id IS NULL")
        .bind(email.trim().to_lowercase())
        .bind(diagnostic_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Attach the anonymous diagnostics and workshop registrations made with
/// the account's address (just confirmed) to the account, and to its
/// business when it has one.
pub async fn confirmed(tx: &mut Tx, user_id: i64, now: i64) -> Result<Attached, sqlx::Error> {
    let email: Option<String> = sqlx::query_scalar("SELECT LOWER(email) FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(email) = email else {
        return Ok(Attached::default());
    };
    let diagnostics = sqlx::query(
        "UPDATE diagnostics SET user_id = $1, updated_at = $2 WHERE user_id IS NULL AND contact_email = $3",
    )
    .bind(user_id)
    .bind(now)
    .bind(&email)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    let registrations = sqlx::query(
        "UPDATE workshop_registrations SET user_id = $1, updated_at = $2 WHERE user_id IS NULL AND email_key = $3",
    )
    .bind(user_id)
    .bind(now)
    .bind(&email)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    let business: Option<i64> = sqlx::query_scalar(
        "SELECT business_id FROM business_members WHERE user_id = $1 ORDER BY business_id LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(b) = business {
        to_business(tx, user_id, b).await?;
    }
    Ok(Attached {
        diagnostics,
        registrations,
    })
}

/// Give the person's diagnostics, registrations and coaching requests that
/// have no business yet to their business (when they create or join it).
pub async fn to_business(tx: &mut Tx, user_id: i64, business_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE diagnostics SET business_id = $1 WHERE user_id = $2 AND business_id IS NULL",
    )
    .bind(business_id)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE workshop_registrations SET business_id = $1 WHERE user_id = $2 AND business_id IS NULL",
    )
    .bind(business_id)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE coaching_requests SET business_id = $1 WHERE business_id IS NULL \
         AND LOWER(email) = (SELECT LOWER(email) FROM users WHERE id = $2 AND email_verified_at IS NOT NULL)",
    )
    .bind(business_id)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
