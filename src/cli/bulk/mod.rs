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
/// changes the load logged are dropped), and the tables are left as a
/// database in service keeps them: the planner's statistics up to date
/// (`PRAGMA optimize` on SQLite) and, on PostgreSQL, vacuumed as autovacuum
/// would after such inserts, so that covering indexes are read without
/// visiting the rows (a file list's activity figures: 12 ms to 1 ms).
pub async fn settle(db: &crate::db::Db) -> Result<(), sqlx::Error> {
    crate::dashboard::facts::bump_generation(db, i64::MAX).await?;
    let sql = match db.backend {
        crate::db::Backend::Sqlite => "PRAGMA optimize=0x10002",
        // VACUUM runs outside any transaction: sent as a simple query.
        crate::db::Backend::Postgres => "VACUUM (ANALYZE)",
    };
    sqlx::raw_sql(sql).execute(&db.writer).await?;
    Ok(())
}
