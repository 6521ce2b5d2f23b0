//! Bulk data for load tests and benchmarks (`seed --diagnostics N`,
//! `--sessions N`, `--providers N`): additive, each run adds N more, with
//! pseudo-random but repeatable content. The demo itself is `cli::seed`.

pub mod activity;
pub mod diagnostics;
pub mod providers;
pub mod sessions;

#[cfg(test)]
mod tests;

/// After a bulk load: every server folds the dashboard's facts again (the
/// changes the load logged are dropped), and the planner's statistics are
/// brought up to date (`ANALYZE` on PostgreSQL, `PRAGMA optimize` on SQLite).
pub async fn settle(db: &crate::db::Db) -> Result<(), sqlx::Error> {
    crate::dashboard::facts::bump_generation(db, i64::MAX).await?;
    let sql = match db.backend {
        crate::db::Backend::Sqlite => "PRAGMA optimize=0x10002",
        crate::db::Backend::Postgres => "ANALYZE",
    };
    sqlx::query(sql).execute(&db.writer).await?;
    Ok(())
}
