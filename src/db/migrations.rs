//! Schema migrations, embedded in the binary and written once for both
//! backends (`{id}` and `{blob}` are expanded by [`super::dialect`]).

use sqlx::Row;

use super::{dialect, now_ms, Db};

/// One schema change.
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// One migration whose SQL lives in `src/db/migrations/<file>`.
macro_rules! migration {
    ($version:expr, $name:expr, $file:expr) => {
        Migration {
            version: $version,
            name: $name,
            sql: include_str!(concat!("migrations/", $file)),
        }
    };
}

/// Every migration, in order. Never edit one that has shipped: add a new one
/// (a new file, and one line here).
pub const MIGRATIONS: &[Migration] = &[
    migration!(1, "foundation", "0001_foundation.sql"),
    migration!(
        2,
        "accounts_programme_businesses",
        "0002_accounts_programme_businesses.sql"
    ),
    migration!(3, "diagnostics", "0003_diagnostics.sql"),
    migration!(
        4,
        "diagnostics_profile_index",
        "0004_diagnostics_profile_index.sql"
    ),
    migration!(5, "workshops", "0005_workshops.sql"),
    migration!(6, "directory", "0006_directory.sql"),
    // Which version of a rule (text folding...) stored derived data was
    // built with; start-up rebuilds what is stale.
    migration!(7, "derived_versions", "0007_derived_versions.sql"),
    // A periodic job is claimed by moving its row's date forward with a
    // conditional update, so one server of many runs it.
    migration!(
        8,
        "job_runs_and_expiry_indexes",
        "0008_job_runs_and_expiry_indexes.sql"
    ),
    // Follow-up files (dossiers d'accompagnement): templates stored as
    // data, activities with their history, coaching hours, referral
    // bodies and referrals answered through a private link, the read
    // log, and the coaching inbox's new columns.
    migration!(9, "cases", "0009_cases.sql"),
    // Lists of theme slugs, sector codes, size bands and territory codes are
    // stored as ",a,b," so one LIKE '%,x,%' filters on both backends.
    migration!(
        10,
        "guides_funding_testimonies",
        "0010_guides_funding_testimonies.sql"
    ),
    // What was typed on a question screen left with "save and resume
    // later": kept as typed, never scored, replaced by the answer.
    migration!(11, "diagnostic_drafts", "0011_diagnostic_drafts.sql"),
    // The directory's synonyms as the programme manager edited them
    // (one row; the shipped list applies while there is none).
    migration!(12, "journeys", "0012_journeys.sql"),
    // Personal data: an append-only audit log (no UPDATE or DELETE is
    // written anywhere), the erasures done (by a hash of the address, to
    // answer a second request), the managers' retention choices and the
    // daily retention runs (one row per day, claimed by one server).
    migration!(14, "privacy", "0014_privacy.sql"),
    // A provider's reply carries an amount, a delay and a quote file; the
    // business and each replying card exchange messages on a need.
    migration!(
        15,
        "needs_replies_messages",
        "0015_needs_replies_messages.sql"
    ),
    // Follow-up files opened only by their adviser, contributors and
    // managers: an adviser's request to contribute; the address an
    // anonymous diagnostic was mailed to, to attach it to the account.
    migration!(16, "cases_access", "0016_cases_access.sql"),
    // The consent ledger (one row per consent given or withdrawn, with the
    // text version and channel), the key that signs withdrawal links and
    // what the retention job has already anonymised.
    migration!(18, "consent_ledger", "0018_consent_ledger.sql"),
    // Sponsors with their placement rules, the open-data licence, and the
    // federated agenda (feeds of other instances and their last good copy).
    migration!(
        20,
        "sponsors_opendata_federation",
        "0020_sponsors_opendata_federation.sql"
    ),
    // The funders' dashboard: what counts as made aware, funding shares
    // and budget lines; indexes for the live aggregates.
    migration!(21, "dashboard", "0021_dashboard.sql"),
    // Testimonies are drafted then published (shown only with consent).
    migration!(22, "testimonies", "0022_testimonies.sql"),
    // Equipment lent to businesses; one open loan per item (partial unique index).
    migration!(23, "loans", "0023_loans.sql"),
    // Calls for projects and trophies: criteria grid, jurors, applications
    // (drafts then submitted), one score sheet per juror and application
    // (versioned: a stale save is refused, nothing lost).
    migration!(24, "calls", "0024_calls.sql"),
    // Who granted a role, so its audit line names the actor (the manager
    // who sent the invitation), written by the same trigger as before.
    migration!(25, "role_audit_actor", "0025_role_audit_actor.sql"),
    // Scale: the dashboard's facts dated by a session's start, a file's
    // opening or a request's creation are found by date (period filters);
    // an adviser's week of activities is found per file by date.
    migration!(26, "dashboard_scale", "0026_dashboard_scale.sql"),
    migration!(27, "dashboard_facts", "0027_dashboard_facts.sql"),
    // Scale of follow-up files: an adviser's files newest first (their
    // list and home). A file's timeline needs no new index: a business's
    // coaching requests are indexed by 0027, its feedback by its key.
    migration!(28, "cases_scale", "0028_cases_scale.sql"),
    // Calls: when the jurors were told that a closed call awaits their
    // score sheets (claimed once, by one server).
    migration!(29, "calls_jury_mail", "0029_calls_jury_mail.sql"),
    // Who took a role away: stamped on the row just before it is deleted,
    // so the deletion's audit line (same trigger) names the actor.
    migration!(30, "role_revoked_by", "0030_role_revoked_by.sql"),
    // The commune a person gives in a diagnostic's profile (its department
    // stays the comparison territory; the commune ranks what is nearest).
    migration!(31, "diagnostic_commune", "0031_diagnostic_commune.sql"),
    // A testimony's photo (re-encoded on upload, kept only while the photo
    // consent is recorded; served only with the testimony published).
    migration!(32, "testimony_photo", "0032_testimony_photo.sql"),
    // A target per dashboard indicator besides "made aware" (which keeps
    // its column on the programme), each with its pace to the end date.
    migration!(33, "dashboard_targets", "0033_dashboard_targets.sql"),
    // A funder-role reader may be limited to what one partner brought.
    migration!(34, "partner_readers", "0034_partner_readers.sql"),
    // Other programmes' open indicators, read for the coordination view.
    migration!(
        35,
        "coordinated_programmes",
        "0035_coordinated_programmes.sql"
    ),
    // The manager's notes printed at the end of the dashboard's PDF report.
    migration!(36, "report_notes", "0036_report_notes.sql"),
    // The adviser in charge copied onto each activity (kept by every
    // (re)assignment), so an adviser's week is one index range; the files'
    // activity figures read from an index alone.
    migration!(37, "activity_adviser", "0037_activity_adviser.sql"),
    // Several programmes per instance: files, coaching requests and funding
    // applications belong to one (NULL: the first), like sessions and
    // diagnostics already did; a funder may be limited to one programme.
    migration!(38, "programme_rows", "0038_programme_rows.sql"),
    // 0026 indexed sessions by start a second time: every session written
    // kept both.
    migration!(39, "duplicate_index", "0039_duplicate_index.sql"),
];

/// Split a migration into statements (no `;` inside string literals here).
fn statements(sql: &str) -> impl Iterator<Item = &str> {
    sql.split(';').map(str::trim).filter(|s| !s.is_empty())
}

/// Apply every pending migration in one transaction; returns how many ran.
pub async fn migrate(db: &Db) -> anyhow::Result<usize> {
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    )
    .execute(&db.pool)
    .await?;
    let mut tx = db.begin_write().await?;
    if let Some(lock) = dialect::migration_lock(db.backend) {
        sqlx::query(lock).execute(&mut *tx).await?;
    }
    let applied: Vec<i64> = sqlx::query("SELECT version FROM schema_migrations")
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.get::<i64, _>(0))
        .collect();
    let mut ran = 0;
    for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
        for stmt in statements(m.sql) {
            let ddl = dialect::expand_ddl(db.backend, stmt);
            sqlx::query(&ddl).execute(&mut *tx).await.map_err(|e| {
                anyhow::anyhow!("migration {} ({}) failed: {e}\n{ddl}", m.version, m.name)
            })?;
        }
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        )
        .bind(m.version)
        .bind(m.name)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        ran += 1;
    }
    crate::privacy::triggers::install(db.backend, &mut tx).await?;
    crate::dashboard::triggers::install(db.backend, &mut tx).await?;
    tx.commit().await?;
    crate::reference::ensure(db).await?;
    crate::directory::store::refold_if_stale(db).await?;
    Ok(ran)
}

/// Versions applied and the latest version this binary knows.
pub async fn status(db: &Db) -> anyhow::Result<(Vec<i64>, i64)> {
    let latest = MIGRATIONS.last().map(|m| m.version).unwrap_or(0);
    let rows = sqlx::query("SELECT version FROM schema_migrations ORDER BY version")
        .fetch_all(&db.pool)
        .await;
    let applied = match rows {
        Ok(rows) => rows.iter().map(|r| r.get::<i64, _>(0)).collect(),
        Err(_) => vec![],
    };
    Ok((applied, latest))
}

/// A fingerprint of derived statements, so a start with the same ones
/// installed changes nothing (no table lock while other servers serve).
fn fingerprint(statements: &[String]) -> i64 {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for s in statements {
        h.update(s.as_bytes());
        h.update(b";");
    }
    let d = h.finalize();
    i64::from_be_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]]) & i64::MAX
}

/// Install derived statements (triggers written from Rust definitions)
/// named `name` in the migration transaction, unless the same ones are
/// installed already (`derived_versions` keeps each set's fingerprint).
pub async fn install_derived(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    name: &str,
    statements: &[String],
) -> Result<(), sqlx::Error> {
    let version = fingerprint(statements);
    let current: Option<i64> =
        sqlx::query_scalar("SELECT version FROM derived_versions WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut **tx)
            .await?;
    if current == Some(version) {
        return Ok(());
    }
    for sql in statements {
        sqlx::query(sql).execute(&mut **tx).await?;
    }
    sqlx::query("DELETE FROM derived_versions WHERE name = $1")
        .bind(name)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO derived_versions (name, version, built_at) VALUES ($1, $2, $3)")
        .bind(name)
        .bind(version)
        .bind(now_ms())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
