//! Background work, run by every server: lapsed workshop offers move on to
//! the next person, reminders and feedback requests go out, directory cards
//! unconfirmed for a year get a reminder, once a day what has expired is
//! purged and expired personal data is erased. Each step is safe with several
//! servers (row locks and conditional updates; the daily purge is claimed
//! through its row in `job_runs`, retention through its day's run row).

use std::time::Duration;

use tokio::sync::watch;

use crate::db::Db;
use crate::state::AppState;
use crate::workshops::booking::{self, Env};

/// One pass; returns how many registrations were handled.
pub async fn tick(state: &AppState, now: i64) -> Result<usize, sqlx::Error> {
    let programme = state.programme_or_default().await;
    let env = Env {
        db: &state.db,
        caches: &state.workshops,
        batch: &state.bookings,
        base_url: state.config.base_url.as_str(),
        timezone: &programme.timezone,
    };
    let expired = booking::expire_due(&env, now).await?;
    let mailed = booking::send_due_mails(&env, now).await?;
    // Directory cards unconfirmed for a year: their keepers get a reminder.
    let reminded = crate::directory::store::remind_stale(&state.db, env.base_url, now).await?;
    // Follow-up files: activity reminders, referral reminders, weekly digests.
    let cases = crate::cases::jobs::tick(
        &crate::cases::jobs::Env {
            db: &state.db,
            base_url: env.base_url,
            programme: &programme.name,
            timezone: &programme.timezone,
            default: programme.default_locale.unwrap_or(crate::i18n::Locale::Fr),
        },
        now,
    )
    .await?;
    // Federated agenda: other agendas refreshed beside this loop (network
    // time never holds up mail), on the one server that claims the run.
    crate::federation::fetch::spawn_refresh(state.db.clone(), programme.timezone.clone(), now);
    // Equipment loans due within a few days: one reminder each.
    let loans = crate::loans::tick(state, &programme.timezone, now).await?;
    // Calls for projects that closed: their jurors hear the sheets await.
    let calls = crate::calls::tick(state, &programme.timezone, now).await?;
    // Retention: once a day, on the one server that claims the day's run.
    crate::privacy::retention_run(&state.db, now, &crate::privacy::server_id()).await?;
    let done = expired + mailed + reminded + cases + loans + calls;
    if done > 0 {
        state.mail_notify.notify_one();
    }
    Ok(done)
}

/// Period of the purge of expired rows.
pub const PURGE_EVERY_MS: i64 = 24 * 3_600_000;

/// Claim the daily run of job `name`: true for the one server whose
/// conditional update moved the date forward.
pub async fn claim(db: &Db, name: &str, every_ms: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE job_runs SET last_run_at = $1 WHERE name = $2 AND last_run_at <= $3")
            .bind(now)
            .bind(name)
            .bind(now - every_ms)
            .execute(&db.writer)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// What one purge deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub sessions: u64,
    pub links: u64,
    pub login_attempts: u64,
    pub idempotency_keys: u64,
    pub sent_mail: u64,
}

/// Delete what has expired, if this server claims today's purge; `None`
/// when another server already did it within the day.
pub async fn purge(db: &Db, now: i64) -> Result<Option<Purged>, sqlx::Error> {
    if !claim(db, "purge", PURGE_EVERY_MS, now).await? {
        return Ok(None);
    }
    let (sessions, links, login_attempts) = crate::auth::store::purge_expired(db, now).await?;
    let idempotency_keys = crate::api::idempotency::purge(db, now).await?;
    let sent_mail = crate::outbox::purge_sent(db, now).await?;
    crate::dashboard::facts::prune(db, now).await?;
    let p = Purged {
        sessions,
        links,
        login_attempts,
        idempotency_keys,
        sent_mail,
    };
    tracing::info!(?p, "expired rows purged");
    Ok(Some(p))
}

/// Run [`tick`] every 30 seconds until `shutdown` flips.
pub async fn run(state: AppState, mut shutdown: watch::Receiver<bool>) {
    loop {
        let now = crate::db::now_ms();
        // A SQLite file removed or replaced under a running server: say it
        // (readiness says not ready) and leave the database alone.
        if let Err(reason) = state.db.check_file() {
            tracing::error!(%reason, "database file missing or replaced: background jobs paused");
        } else {
            if let Err(e) = tick(&state, now).await {
                tracing::warn!(error = %e, "background jobs: database error");
            }
            if let Err(e) = purge(&state.db, now).await {
                tracing::warn!(error = %e, "purge: database error");
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(30)) => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            break;
        }
    }
}
