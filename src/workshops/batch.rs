//! Registrations written together on SQLite. SQLite takes one write
//! transaction at a time, so under load every registration queued for the
//! writer's turn; here one task takes every registration waiting when its
//! turn comes and books them in one transaction: the same lock, checks and
//! single statement per registration as `booking::book_in`, one BEGIN and
//! one COMMIT for all. Nothing waits on purpose: alone, a registration is a
//! batch of one.
//!
//! A refusal (full session is not one: that is the waiting list; a
//! cancelled or started session, a second registration of the same
//! address) writes nothing and is answered alone. Any database error
//! rolls the whole batch back and books each registration again on its
//! own, so one bad registration never takes the others down.

use std::sync::OnceLock;

use tokio::sync::{mpsc, oneshot};

use super::booking::{book_alone, book_in, BookError, Outcome, Registrant, Writer};
use super::model::Session;
use crate::db::{now_ms, Db};

/// Most registrations written in one transaction.
pub const MAX_BATCH: usize = 64;

/// One registration waiting for the writer.
pub struct Job {
    pub session_id: i64,
    pub who: Registrant,
    pub verified: bool,
    /// The session as read before the turn (for the mail).
    pub session: Session,
    pub base_url: String,
    pub timezone: String,
}

impl Job {
    fn writer<'a>(&'a self, db: &'a Db) -> Writer<'a> {
        Writer {
            db,
            base_url: &self.base_url,
            timezone: &self.timezone,
        }
    }
}

type Reply = Result<(Outcome, i64), BookError>;

/// The queue to the booking task, started on first use.
#[derive(Default)]
pub struct Batcher(OnceLock<mpsc::UnboundedSender<(Job, oneshot::Sender<Reply>)>>);

impl std::fmt::Debug for Batcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Batcher")
    }
}

impl Batcher {
    /// Book `job` in the next batch and wait for its answer.
    pub async fn book(&self, db: &Db, job: Job) -> Reply {
        let queue = self.0.get_or_init(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            tokio::spawn(run(db.clone(), rx));
            tx
        });
        let (reply, answer) = oneshot::channel();
        queue
            .send((job, reply))
            .map_err(|_| BookError::Db(sqlx::Error::WorkerCrashed))?;
        answer
            .await
            .unwrap_or(Err(BookError::Db(sqlx::Error::WorkerCrashed)))
    }
}

/// The booking task: ends when the state (and its queue) is dropped.
async fn run(db: Db, mut rx: mpsc::UnboundedReceiver<(Job, oneshot::Sender<Reply>)>) {
    // The caches are cleared by each caller after its booking.
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        let replies = write(&db, &jobs).await;
        for ((_, reply), answer) in jobs.into_iter().zip(replies) {
            let _ = reply.send(answer);
        }
    }
}

/// Book every job in one transaction; on a database error, each on its own.
async fn write(db: &Db, jobs: &[(Job, oneshot::Sender<Reply>)]) -> Vec<Reply> {
    let now = now_ms();
    if let Ok(mut tx) = db.begin_write().await {
        let mut replies = Vec::with_capacity(jobs.len());
        let mut failed = false;
        for (job, _) in jobs {
            match book_in(
                &mut tx,
                &job.writer(db),
                job.session_id,
                &job.who,
                job.verified,
                &job.session,
                now,
            )
            .await
            {
                Err(BookError::Db(_)) => {
                    failed = true;
                    break;
                }
                other => replies.push(other),
            }
        }
        if !failed && tx.commit().await.is_ok() {
            return replies;
        }
    }
    // One by one: each its own transaction, each its own answer.
    let mut replies = Vec::with_capacity(jobs.len());
    for (job, _) in jobs {
        replies.push(
            book_alone(
                &job.writer(db),
                job.session_id,
                &job.who,
                job.verified,
                &job.session,
            )
            .await,
        );
    }
    replies
}
