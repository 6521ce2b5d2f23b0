//! Demonstration diagnostics, so that a demo visitor's results show the
//! comparison with "businesses like yours" (which needs at least
//! [`super::model::MIN_GROUP`] submitted diagnostics in a group).
//!
//! Called by the binary's `seed --demo` and `serve --demo` only, not by
//! `cli::seed::demo`, which the integration tests load into every test
//! database: their counts of diagnostics and answers stay as they are.
//! Topping up is idempotent: the demo holds [`DEMO_DIAGNOSTICS`] submitted
//! diagnostics however often it is loaded, and it mails nobody.

use crate::cli::seed::SeededDiagnostics;
use crate::db::Db;

/// Submitted diagnostics the demo holds (anonymous, spread over the
/// demo's sectors, sizes and departments over the past year).
pub const DEMO_DIAGNOSTICS: i64 = 60;

/// Top the demo up to [`DEMO_DIAGNOSTICS`] submitted diagnostics; returns
/// how many were added and, when some were, the results path of the first
/// (profile `cli::seed::LINK_PROFILE`).
pub async fn seed(db: &Db) -> anyhow::Result<SeededDiagnostics> {
    let have: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM diagnostics WHERE status = 'submitted'")
            .fetch_one(&db.pool)
            .await?;
    let missing = (DEMO_DIAGNOSTICS - have).max(0) as usize;
    if missing == 0 {
        return Ok(SeededDiagnostics {
            created: 0,
            link: None,
        });
    }
    crate::cli::seed::diagnostics(db, missing).await
}
