//! Background work, run by every server: lapsed workshop offers move on to
//! the next person, reminders and feedback requests go out, directory cards
//! unconfirmed for a year get a reminder, expired personal data is erased
//! once a day. Each step
//! is safe with several servers (row locks and conditional updates).

use std::time::Duration;

use tokio::sync::watch;

use crate::state::AppState;
use crate::workshops::booking::{self, Env};

/// One pass; returns how many registrations were handled.
pub async fn tick(state: &AppState, now: i64) -> Result<usize, sqlx::Error> {
    let programme = state.programme_or_default().await;
    let env = Env {
        db: &state.db,
        caches: &state.workshops,
        base_url: state.config.base_url.as_str(),
        timezone: &programme.timezone,
    };
    let expired = booking::expire_due(&env, now).await?;
    let mailed = booking::send_due_mails(&env, now).await?;
    // Directory cards unconfirmed for a year: their keepers get a reminder.
    let reminded = crate::directory::model::remind_stale(&state.db, env.base_url, now).await?;
    // Retention: once a day, on the one server that claims the day's run.
    crate::privacy::retention_run(&state.db, now, &crate::privacy::server_id()).await?;
    if expired + mailed + reminded > 0 {
        state.mail_notify.notify_one();
    }
    Ok(expired + mailed + reminded)
}

/// Run [`tick`] every 30 seconds until `shutdown` flips.
pub async fn run(state: AppState, mut shutdown: watch::Receiver<bool>) {
    loop {
        if let Err(e) = tick(&state, crate::db::now_ms()).await {
            tracing::warn!(error = %e, "background jobs: database error");
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
