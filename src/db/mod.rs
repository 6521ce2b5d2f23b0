//! Database access: one code path for SQLite and PostgreSQL.
//!
//! Queries go through sqlx's `Any` driver with `$1`-style placeholders, which
//! both backends accept. Columns use portable types only (BIGINT, TEXT,
//! DOUBLE PRECISION); times are Unix milliseconds. The few statements that
//! differ per backend live in [`dialect`].

pub mod dialect;
pub mod migrations;

use std::path::Path;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor};

/// Which database engine is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Detect the backend from a database URL.
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    /// Name shown to operators.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// A connection pool and the backend it talks to.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    /// Pool for write transactions (the same pool on PostgreSQL; one
    /// connection on SQLite).
    pub writer: AnyPool,
    pub backend: Backend,
    /// Distinguishes pools within one process (keys of in-process caches).
    pub id: u64,
    /// The SQLite file and its identity when the pools opened it.
    pub sqlite_file: Option<std::sync::Arc<SqliteFile>>,
}

/// A SQLite database file as it was when the server opened it: a file that
/// disappears or is replaced while serving is detected by comparing the
/// device and inode numbers.
#[derive(Debug)]
pub struct SqliteFile {
    pub path: std::path::PathBuf,
    identity: Option<(u64, u64)>,
}

fn file_identity(path: &Path) -> std::io::Result<Option<(u64, u64)>> {
    let meta = std::fs::metadata(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Ok(Some((meta.dev(), meta.ino())))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Ok(None)
    }
}

impl SqliteFile {
    /// `Err(reason)` when the file is gone or is not the one opened at start.
    pub fn check(&self) -> Result<(), String> {
        match file_identity(&self.path) {
            Err(e) => Err(format!(
                "the SQLite file {} is gone ({e})",
                self.path.display()
            )),
            Ok(now) if now != self.identity => Err(format!(
                "the SQLite file {} was replaced while serving",
                self.path.display()
            )),
            Ok(_) => Ok(()),
        }
    }
}

static NEXT_DB_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Current time in Unix milliseconds, the unit of every timestamp column.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Make sure the directory of a SQLite file exists, create the file when it
/// is missing (first start), and return a URL that opens it without ever
/// creating it again: a file deleted while serving must not come back empty.
fn prepare_sqlite_url(url: &str) -> anyhow::Result<(String, Option<std::path::PathBuf>)> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:" && !path.is_empty() {
        if let Some(parent) = Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(|e| {
                    anyhow::anyhow!(
                        "cannot create the directory {} for the SQLite database: {e}",
                        parent.display()
                    )
                })?;
            }
        }
    }
    let mut q: Vec<&str> = query.split('&').filter(|s| !s.is_empty()).collect();
    let file =
        (path != ":memory:" && !path.is_empty() && !q.iter().any(|p| p.starts_with("mode=")))
            .then(|| std::path::PathBuf::from(path));
    if let Some(f) = &file {
        if !f.exists() {
            std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(f)
                .map_err(|e| {
                    anyhow::anyhow!("cannot create the SQLite database {}: {e}", f.display())
                })?;
        }
        q.push("mode=rw");
    } else if !q.iter().any(|p| p.starts_with("mode=")) {
        q.push("mode=rwc");
    }
    Ok((format!("sqlite://{path}?{}", q.join("&")), file))
}

impl Db {
    /// Open a pool; SQLite pragmas are applied on every new connection.
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url).ok_or_else(|| {
            anyhow::anyhow!("TREMPLIN_DATABASE_URL must start with sqlite:// or postgres://")
        })?;
        let (url, file) = match backend {
            Backend::Sqlite => prepare_sqlite_url(url)?,
            Backend::Postgres => (url.to_string(), None),
        };
        let options = |n: u32| {
            AnyPoolOptions::new()
                .max_connections(n)
                .min_connections(0)
                .acquire_timeout(Duration::from_secs(5))
                .after_connect(move |conn, _meta| {
                    Box::pin(async move {
                        if backend == Backend::Sqlite {
                            // These are per-connection settings in SQLite: a pooled
                            // connection without them would silently skip FK checks.
                            // Each connection's page cache is 512 KiB, not 2 MiB: the
                            // operating system already caches the file, and the four
                            // readers and the writer filled 10 MB of it in a mixed run
                            // with no measurable saving of CPU (bench/traffic.md).
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                                 PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL; \
                                 PRAGMA cache_size = -512;",
                            )
                            .await?;
                        }
                        Ok(())
                    })
                })
        };
        let pool = options(max_connections).connect(&url).await?;
        // SQLite takes one writer at a time: writers queue for a single
        // connection in the pool (first come, first served) instead of
        // retrying against the file lock with growing sleeps.
        let writer = match backend {
            Backend::Sqlite => options(1).connect(&url).await?,
            Backend::Postgres => pool.clone(),
        };
        let sqlite_file = match file {
            Some(path) => Some(std::sync::Arc::new(SqliteFile {
                identity: file_identity(&path)?,
                path,
            })),
            None => None,
        };
        Ok(Db {
            sqlite_file,
            pool,
            writer,
            backend,
            id: NEXT_DB_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    }

    /// Connect, retrying for up to `wait` while the database is unreachable.
    pub async fn connect_with_retry(
        url: &str,
        max_connections: u32,
        wait: Duration,
    ) -> anyhow::Result<Db> {
        let deadline = std::time::Instant::now() + wait;
        let mut delay = Duration::from_millis(250);
        loop {
            match Db::connect(url, max_connections).await {
                Ok(db) => return Ok(db),
                Err(e) if std::time::Instant::now() + delay < deadline => {
                    tracing::warn!(error = %e, "database not reachable yet, retrying");
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(Duration::from_secs(5));
                }
                Err(e) => {
                    return Err(anyhow::anyhow!(
                        "cannot reach the database given by TREMPLIN_DATABASE_URL ({}): {e}",
                        crate::config::redact_url(url)
                    ))
                }
            }
        }
    }

    /// Close every connection (both pools).
    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }

    /// `Err(reason)` when the SQLite file opened at start is gone or replaced.
    pub fn check_file(&self) -> Result<(), String> {
        match &self.sqlite_file {
            Some(f) => f.check(),
            None => Ok(()),
        }
    }

    /// Check that the database answers.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Begin a transaction that will write. On SQLite it takes the write lock
    /// up front (`BEGIN IMMEDIATE`) so a read-then-write cannot fail midway.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.writer.begin().await,
        }
    }
}

/// Read a nullable text column.
pub fn opt_text(row: &AnyRow, col: &str) -> Option<String> {
    use sqlx::Row;
    row.try_get::<Option<String>, _>(col).ok().flatten()
}

/// True when the error is a unique-constraint violation.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => {
            db.is_unique_violation()
                || db.code().as_deref() == Some("23505")
                || db.code().as_deref() == Some("2067")
                || db.message().contains("UNIQUE constraint failed")
        }
        _ => false,
    }
}
