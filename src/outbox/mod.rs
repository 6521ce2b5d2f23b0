//! Outgoing e-mail through an outbox table.
//!
//! A message is a row written in the same transaction as the event that
//! causes it; [`worker`] delivers due rows with retries and exponential
//! backoff, so a mail-server outage never loses or blocks the event.

pub mod worker;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use sqlx::Any;

use crate::config::MailTransport;
use crate::db::{now_ms, Db};

/// A message waiting in the outbox.
#[derive(Debug, Clone)]
pub struct NewMail {
    pub kind: &'static str,
    pub to: String,
    pub reply_to: Option<String>,
    pub subject: String,
    pub body_text: String,
}

/// A file sent with a message (text content: calendars, CSV).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Attachment {
    pub filename: String,
    pub mime: String,
    pub content: String,
}

/// Queue a message with attachments inside the caller's transaction.
pub async fn enqueue_with(
    tx: &mut sqlx::Transaction<'_, Any>,
    mail: &NewMail,
    attachments: &[Attachment],
) -> Result<i64, sqlx::Error> {
    insert(tx, mail, attachments).await
}

/// Queue a message inside the caller's transaction.
pub async fn enqueue(
    tx: &mut sqlx::Transaction<'_, Any>,
    mail: &NewMail,
) -> Result<i64, sqlx::Error> {
    insert(tx, mail, &[]).await
}

/// One row per message; attachments ride along as JSON in the same row.
async fn insert(
    tx: &mut sqlx::Transaction<'_, Any>,
    mail: &NewMail,
    attachments: &[Attachment],
) -> Result<i64, sqlx::Error> {
    use sqlx::Row;
    let sql = format!("{} RETURNING id", insert_sql(1));
    let row = bind_insert(
        sqlx::query(&sql),
        mail,
        attachments_json(attachments),
        now_ms(),
    )
    .fetch_one(&mut **tx)
    .await?;
    row.try_get(0)
}

/// The INSERT of one message, its seven parameters numbered from `first`,
/// for callers that write it together with other statements
/// ([`crate::db::dialect::insert_then`]); bind them with [`bind_insert`].
pub fn insert_sql(first: usize) -> String {
    let p = |i: usize| format!("${}", first + i);
    format!(
        "INSERT INTO outbox (kind, to_addr, reply_to, subject, body_text, status, attempts, next_attempt_at, created_at, attachments) \
         VALUES ({}, {}, {}, {}, {}, 'pending', 0, {}, {}, {})",
        p(0),
        p(1),
        p(2),
        p(3),
        p(4),
        p(5),
        p(5),
        p(6)
    )
}

/// The attachments as stored in the message row.
pub fn attachments_json(attachments: &[Attachment]) -> Option<String> {
    (!attachments.is_empty()).then(|| serde_json::to_string(attachments).unwrap_or_default())
}

/// Bind the parameters of [`insert_sql`], in order, after those already bound.
pub fn bind_insert<'q>(
    q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    mail: &'q NewMail,
    files: Option<String>,
    now: i64,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    q.bind(mail.kind)
        .bind(&mail.to)
        .bind(mail.reply_to.as_deref())
        .bind(&mail.subject)
        .bind(&mail.body_text)
        .bind(now)
        .bind(files)
}

/// A message as handed to the transport (also what tests read back).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMail {
    pub to: String,
    pub reply_to: Option<String>,
    pub subject: String,
    pub body_text: String,
    pub attachments: Vec<Attachment>,
}

/// Delivers messages.
#[derive(Clone)]
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(PathBuf),
    Log,
    /// Keeps messages in memory; used by tests.
    Memory(Arc<Mutex<Vec<SentMail>>>),
}

impl Mailer {
    /// Build the transport the configuration asks for.
    pub fn from_config(transport: &MailTransport) -> anyhow::Result<Mailer> {
        Ok(match transport {
            MailTransport::Smtp(url) => Mailer::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("TREMPLIN_SMTP_URL is not usable: {e}"))?
                    .timeout(Some(std::time::Duration::from_secs(20)))
                    .build(),
            ),
            MailTransport::File(dir) => Mailer::File(dir.clone()),
            MailTransport::Log => Mailer::Log,
        })
    }

    /// Send one message; an error means "try again later".
    pub async fn send(&self, from: &str, mail: &SentMail, message_id: i64) -> anyhow::Result<()> {
        let build = || -> anyhow::Result<lettre::Message> {
            let mut b = lettre::Message::builder()
                .from(from.parse::<Mailbox>()?)
                .to(mail.to.parse::<Mailbox>()?)
                .subject(mail.subject.clone());
            if let Some(r) = &mail.reply_to {
                b = b.reply_to(r.parse::<Mailbox>()?);
            }
            if mail.attachments.is_empty() {
                return Ok(b
                    .header(ContentType::TEXT_PLAIN)
                    .body(mail.body_text.clone())?);
            }
            let mut parts =
                MultiPart::mixed().singlepart(SinglePart::plain(mail.body_text.clone()));
            for a in &mail.attachments {
                parts = parts.singlepart(
                    lettre::message::Attachment::new(a.filename.clone())
                        .body(a.content.clone(), ContentType::parse(&a.mime)?),
                );
            }
            Ok(b.multipart(parts)?)
        };
        match self {
            Mailer::Smtp(t) => {
                t.send(build()?).await?;
            }
            Mailer::File(dir) => {
                tokio::fs::create_dir_all(dir).await?;
                let path = dir.join(format!("{:012}-{message_id}.eml", now_ms()));
                tokio::fs::write(&path, build()?.formatted()).await?;
            }
            Mailer::Log => {
                build()?;
                tracing::info!(to = %mail.to, subject = %mail.subject, "mail (log transport)");
            }
            Mailer::Memory(store) => {
                build()?;
                store.lock().expect("mail store").push(mail.clone());
            }
        }
        Ok(())
    }
}

/// How long a sent message is kept (to answer "did my mail go out?").
pub const SENT_KEEP_MS: i64 = 30 * 24 * 3_600_000;

/// Delete messages sent more than [`SENT_KEEP_MS`] ago; returns how many.
pub async fn purge_sent(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM outbox WHERE status = 'sent' AND sent_at < $1")
        .bind(now - SENT_KEEP_MS)
        .execute(&db.writer)
        .await
        .map(|r| r.rows_affected())
}
