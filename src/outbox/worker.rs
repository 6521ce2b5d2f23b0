//! Background delivery of the outbox. Safe with several servers: a row is
//! claimed with a lease (`locked_until`) before it is sent.

use std::sync::Arc;
use std::time::Duration;

use sqlx::Row;
use tokio::sync::{watch, Notify};

use super::{Mailer, SentMail};
use crate::db::{dialect, now_ms, Db};

/// Give up after this many attempts (about a day and a half of retries).
pub const MAX_ATTEMPTS: i64 = 12;
const LEASE_MS: i64 = 120_000;

/// Delay before attempt `n + 1` after `n` failures: 30 s doubling, capped at 6 h.
pub fn backoff_ms(attempts: i64) -> i64 {
    let exp = attempts.clamp(1, 20) as u32 - 1;
    (30_000i64.saturating_mul(1i64 << exp)).min(6 * 3_600_000)
}

/// Messages claimed at once: fewer writes when a burst of events queued many.
const BATCH: i64 = 20;

/// Claim the next due messages, if any: (id, attempts, message).
async fn claim(db: &Db) -> Result<Vec<(i64, i64, SentMail)>, sqlx::Error> {
    let now = now_ms();
    let sql = format!(
        "UPDATE outbox SET locked_until = $1, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $2 \
                     AND (locked_until IS NULL OR locked_until < $2) ORDER BY id LIMIT {BATCH}{}) \
           AND (locked_until IS NULL OR locked_until < $2) \
         RETURNING id, attempts, to_addr, reply_to, subject, body_text, attachments",
        dialect::skip_locked(db.backend)
    );
    let rows = sqlx::query(&sql)
        .bind(now + LEASE_MS)
        .bind(now)
        .fetch_all(&db.writer)
        .await?;
    let mut claimed: Vec<(i64, i64, SentMail)> = rows
        .iter()
        .map(|r| {
            (
                r.get::<i64, _>("id"),
                r.get::<i64, _>("attempts"),
                SentMail {
                    to: r.get("to_addr"),
                    reply_to: crate::db::opt_text(r, "reply_to"),
                    subject: r.get("subject"),
                    body_text: r.get("body_text"),
                    attachments: crate::db::opt_text(r, "attachments")
                        .and_then(|j| serde_json::from_str(&j).ok())
                        .unwrap_or_default(),
                },
            )
        })
        .collect();
    // RETURNING gives no order guarantee: deliver oldest first.
    claimed.sort_by_key(|(id, _, _)| *id);
    Ok(claimed)
}

/// Deliver every message that is due now; returns how many were sent.
pub async fn run_once(db: &Db, mailer: &Mailer, from: &str) -> Result<usize, sqlx::Error> {
    deliver(db, mailer, from, None).await
}

/// Deliver every due message; with `base_url`, each carries at its foot
/// the signed link where its recipient withdraws their consents.
pub async fn deliver(
    db: &Db,
    mailer: &Mailer,
    from: &str,
    base_url: Option<&str>,
) -> Result<usize, sqlx::Error> {
    let mut sent = 0;
    loop {
        let batch = claim(db).await?;
        if batch.is_empty() {
            break;
        }
        let mut delivered: Vec<i64> = vec![];
        for (id, attempts, mut mail) in batch {
            if let Some(base) = base_url {
                mail.body_text
                    .push_str(&crate::privacy::mail_footer(db, base, &mail.to).await?);
            }
            match mailer.send(from, &mail, id).await {
                Ok(()) => {
                    crate::web::metrics::MAIL_SENT.inc();
                    delivered.push(id);
                }
                Err(e) => {
                    let status = if attempts >= MAX_ATTEMPTS {
                        "failed"
                    } else {
                        "pending"
                    };
                    tracing::warn!(outbox_id = id, attempts, error = %e, "mail delivery failed");
                    crate::web::metrics::MAIL_FAILED.inc();
                    sqlx::query(
                        "UPDATE outbox SET status = $1, next_attempt_at = $2, locked_until = NULL, last_error = $3 WHERE id = $4",
                    )
                    .bind(status)
                    .bind(now_ms() + backoff_ms(attempts))
                    .bind(e.to_string().chars().take(500).collect::<String>())
                    .bind(id)
                    .execute(&db.writer)
                    .await?;
                }
            }
        }
        if !delivered.is_empty() {
            let list: Vec<String> = delivered.iter().map(|id| id.to_string()).collect();
            sqlx::query(&format!(
                "UPDATE outbox SET status = 'sent', sent_at = $1, locked_until = NULL, last_error = NULL WHERE id IN ({})",
                list.join(", ")
            ))
            .bind(now_ms())
            .execute(&db.writer)
            .await?;
            sent += delivered.len();
        }
    }
    Ok(sent)
}

/// Run until `shutdown` flips; wakes up on `notify` or every few seconds.
pub async fn run(
    db: Db,
    mailer: Mailer,
    from: String,
    base_url: String,
    notify: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        if let Err(e) = deliver(&db, &mailer, &from, Some(&base_url)).await {
            tracing::warn!(error = %e, "outbox worker: database error");
        }
        tokio::select! {
            _ = notify.notified() => {
                // Let a burst of events queue up: one claim then serves many.
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff_ms(1), 30_000);
        assert_eq!(backoff_ms(2), 60_000);
        assert_eq!(backoff_ms(3), 120_000);
        assert_eq!(backoff_ms(30), 6 * 3_600_000);
    }
}
