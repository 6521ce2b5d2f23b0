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

/// Marker for the id of the row inserted by the first statement of
/// [`insert_then`].
pub const NEW_ID: &str = "{new_id}";

/// Several writes sent as one statement (one round trip): `insert`, an
/// `INSERT … RETURNING id` that gives the result, then `follow`, which may
/// refer to the new row's id as [`NEW_ID`]. Parameters are numbered `$n`
/// across all of them. SQLite runs them in sequence (sqlx executes a text of
/// several statements; run it with `fetch_all`, since a limit would stop
/// after the first row); PostgreSQL runs them as data-modifying CTEs.
///
/// On SQLite the id is `last_insert_rowid()`, so every follower that uses it
/// must come before any follower that inserts.
pub fn insert_then(backend: Backend, insert: &str, follow: &[&str]) -> String {
    match backend {
        Backend::Sqlite => {
            let mut inserted = false;
            let mut sql = insert.to_string();
            for f in follow {
                debug_assert!(
                    !(inserted && f.contains(NEW_ID)),
                    "a follower using the new id must come before other inserts"
                );
                inserted |= f.trim_start().starts_with("INSERT");
                sql.push_str(";\n");
                sql.push_str(&f.replace(NEW_ID, "last_insert_rowid()"));
            }
            sql
        }
        Backend::Postgres => {
            let mut sql = format!("WITH w0 AS ({insert})");
            for (i, f) in follow.iter().enumerate() {
                sql.push_str(&format!(
                    ", w{} AS ({})",
                    i + 1,
                    f.replace(NEW_ID, "(SELECT id FROM w0)")
                ));
            }
            sql.push_str(" SELECT id FROM w0");
            sql
        }
    }
}

/// Separates the values [`group_texts`] aggregates (the ASCII unit
/// separator, which no name or title holds).
pub const TEXTS_SEPARATOR: char = '\u{1f}';

/// Aggregate of the texts of `expr` in a group, in no given order, as one
/// text separated by [`TEXTS_SEPARATOR`] (NULL for an empty group); split
/// it with [`split_texts`]. For names and titles, which may hold commas.
pub fn group_texts(backend: Backend, expr: &str) -> String {
    match backend {
        Backend::Sqlite => format!("group_concat({expr}, char(31))"),
        Backend::Postgres => format!("string_agg(CAST({expr} AS TEXT), chr(31))"),
    }
}

/// The texts [`group_texts`] aggregated, sorted.
pub fn split_texts(joined: Option<String>) -> Vec<String> {
    let mut out: Vec<String> = joined
        .as_deref()
        .unwrap_or_default()
        .split(TEXTS_SEPARATOR)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    out.sort_unstable();
    out
}

/// Aggregate of the values of `expr` in a group as one comma-separated text
/// (NULL for an empty group). The values must not contain commas.
pub fn group_list(backend: Backend, expr: &str) -> String {
    match backend {
        Backend::Sqlite => format!("group_concat({expr}, ',')"),
        Backend::Postgres => format!("string_agg(CAST({expr} AS TEXT), ',')"),
    }
}
