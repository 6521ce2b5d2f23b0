//! Background work of the workshops, run by every server: lapsed offers move
//! on to the next person, reminders and feedback requests go out. Each step
//! is safe with several servers (row locks and conditional updates).

use std::time::Duration;

use tokio::sync::watch;

use super::booking::{self, Env};
use crate::app::AppState;

/// One pass; returns how many registrations were handled.
pub async fn tick(state: &AppState, now: i64) -> Result<usize, sqlx::Error> {
    let programme = state.programme_or_default().await;
    let env = Env {
        db: &state.db,
        base_url: state.config.base_url.as_str(),
        timezone: &programme.timezone,
    };
    let expired = booking::expire_due(&env, now).await?;
    let mailed = booking::send_due_mails(&env, now).await?;
    if expired + mailed > 0 {
        state.mail_notify.notify_one();
    }
    Ok(expired + mailed)
}

/// Run [`tick`] every 30 seconds until `shutdown` flips.
pub async fn run(state: AppState, mut shutdown: watch::Receiver<bool>) {
    loop {
        if let Err(e) = tick(&state, crate::db::now_ms()).await {
            tracing::warn!(error = %e, "workshop jobs: database error");
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
