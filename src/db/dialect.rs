//! The only place where SQL differs between SQLite and PostgreSQL.

use super::Backend;

/// Column type of an auto-incrementing 64-bit primary key.
pub fn id_column(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "INTEGER PRIMARY KEY AUTOINCREMENT",
        Backend::Postgres => "BIGSERIAL PRIMARY KEY",
    }
}

/// Column type for binary data.
pub fn blob_column(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "BLOB",
        Backend::Postgres => "BYTEA",
    }
}

/// Expand the `{id}` and `{blob}` markers of a portable migration.
pub fn expand_ddl(backend: Backend, sql: &str) -> String {
    sql.replace("{id}", id_column(backend))
        .replace("{blob}", blob_column(backend))
}

/// Statement run inside the migration transaction so that several servers
/// starting at once apply migrations one after the other. SQLite already holds
/// the write lock through `BEGIN IMMEDIATE`.
pub fn migration_lock(backend: Backend) -> Option<&'static str> {
    match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some("SELECT pg_advisory_xact_lock(7283541)"),
    }
}

/// Row-locking suffix for "claim one job" sub-selects: PostgreSQL skips rows
/// another server is claiming; SQLite serialises writers anyway.
pub fn skip_locked(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "",
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
    }
}

/// Row-locking suffix that makes a transaction own the selected row until it
/// ends (SQLite: the transaction already holds the database write lock).
pub fn for_update(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "",
        Backend::Postgres => " FOR UPDATE",
    }
}
