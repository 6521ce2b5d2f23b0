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

/// Claim the next due message, if any.
async fn claim(db: &Db) -> Result<Option<(i64, i64, SentMail)>, sqlx::Error> {
    let now = now_ms();
    let sql = format!(
        "UPDATE outbox SET locked_until = $1, attempts = attempts + 1 \
         WHERE id = (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $2 \
                     AND (locked_until IS NULL OR locked_until < $2) ORDER BY id LIMIT 1{}) \
           AND (locked_until IS NULL OR locked_until < $2) \
         RETURNING id, attempts, to_addr, reply_to, subject, body_text",
        dialect::skip_locked(db.backend)
    );
    let row = sqlx::query(&sql)
        .bind(now + LEASE_MS)
        .bind(now)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|r| {
        (
            r.get::<i64, _>("id"),
            r.get::<i64, _>("attempts"),
            SentMail {
                to: r.get("to_addr"),
                reply_to: crate::db::opt_text(&r, "reply_to"),
                subject: r.get("subject"),
                body_text: r.get("body_text"),
                attachments: vec![],
            },
        )
    }))
}

async fn attachments(db: &Db, id: i64) -> Result<Vec<super::Attachment>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT filename, mime, content FROM outbox_attachments WHERE outbox_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| super::Attachment {
            filename: r.get("filename"),
            mime: r.get("mime"),
            content: r.get("content"),
        })
        .collect())
}

/// Deliver every message that is due now; returns how many were sent.
pub async fn run_once(db: &Db, mailer: &Mailer, from: &str) -> Result<usize, sqlx::Error> {
    let mut sent = 0;
    while let Some((id, attempts, mut mail)) = claim(db).await? {
        mail.attachments = attachments(db, id).await?;
        match mailer.send(from, &mail, id).await {
            Ok(()) => {
                sqlx::query("UPDATE outbox SET status = 'sent', sent_at = $1, locked_until = NULL, last_error = NULL WHERE id = $2")
                    .bind(now_ms())
                    .bind(id)
                    .execute(&db.pool)
                    .await?;
                crate::web::metrics::MAIL_SENT.inc();
                sent += 1;
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
                .execute(&db.pool)
                .await?;
            }
        }
    }
    Ok(sent)
}

/// Run until `shutdown` flips; wakes up on `notify` or every few seconds.
pub async fn run(
    db: Db,
    mailer: Mailer,
    from: String,
    notify: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        if let Err(e) = run_once(&db, &mailer, &from).await {
            tracing::warn!(error = %e, "outbox worker: database error");
        }
        tokio::select! {
            _ = notify.notified() => {}
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
