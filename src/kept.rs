//! Read models: a table (or a few) read whole into memory once and kept in
//! step with the database, so that pages answer from memory instead of
//! querying on every request (the directory's cards, the upcoming
//! workshops). Each server keeps its own copy:
//! - a change made on this server forgets it at once ([`Kept::forget`]);
//! - every `every`, a request that finds the copy older than that starts a
//!   check in the background: a cheap fingerprint of the rows (counts, sums
//!   of versions) is compared and the copy read again when it moved, while
//!   requests keep using the current one; so a change made on another server
//!   shows here within `every` plus the time of a read;
//! - the copy is read again after `reread_after` whatever the fingerprint
//!   says (clocks of several servers may disagree).

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::db::Db;

/// A read of the database, owned so that it may run in the background.
pub type Reading<T> = Pin<Box<dyn Future<Output = Result<T, sqlx::Error>> + Send>>;

/// What a read model is read from.
pub trait Source: Send + Sync + Sized + 'static {
    /// A name for the logs.
    const NAME: &'static str;
    /// Moves whenever a row the model holds is added, changed or removed.
    fn fingerprint(db: Db) -> Reading<Vec<i64>>;
    /// The whole model.
    fn load(db: Db) -> Reading<Self>;
    /// How many items it holds, for the logs.
    fn items(&self) -> usize;
}

struct Slot<T> {
    read_at: Instant,
    checked_at: Instant,
    fingerprint: Vec<i64>,
    value: Arc<T>,
    checking: bool,
}

/// One read model of one database, held by the application state.
pub struct Kept<T> {
    slot: Mutex<Option<Slot<T>>>,
    /// Bumped by [`Kept::forget`]: a copy read before a change is not kept.
    generation: AtomicU64,
    /// One first read at a time (the others wait for it rather than read too).
    first_read: tokio::sync::Mutex<()>,
    every: Duration,
    reread_after: Duration,
}

impl<T: Source> Kept<T> {
    /// Checked against the database every `every`, read again at least
    /// every `reread_after`.
    pub fn new(every: Duration, reread_after: Duration) -> Kept<T> {
        Kept {
            slot: Mutex::new(None),
            generation: AtomicU64::new(0),
            first_read: tokio::sync::Mutex::new(()),
            every,
            reread_after,
        }
    }

    /// Drop the copy (something it holds changed on this server).
    pub fn forget(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        *self.slot.lock().expect("read model") = None;
    }

    /// The current copy: read now if there is none; once older than
    /// `every`, checked (and read again if the rows moved) in the
    /// background while requests keep using it.
    pub async fn get(self: &Arc<Self>, db: &Db) -> Result<Arc<T>, sqlx::Error> {
        if let Some(value) = self.current(db) {
            return Ok(value);
        }
        let _first = self.first_read.lock().await;
        if let Some(slot) = self.slot.lock().expect("read model").as_ref() {
            return Ok(slot.value.clone());
        }
        self.read(db).await
    }

    fn current(self: &Arc<Self>, db: &Db) -> Option<Arc<T>> {
        let mut slot = self.slot.lock().expect("read model");
        let slot = slot.as_mut()?;
        if slot.checked_at.elapsed() >= self.every && !slot.checking {
            slot.checking = true;
            tokio::spawn(
                self.clone()
                    .check(db.clone(), slot.fingerprint.clone(), slot.read_at),
            );
        }
        Some(slot.value.clone())
    }

    /// Read the copy and keep it unless a change happened meanwhile.
    async fn read(&self, db: &Db) -> Result<Arc<T>, sqlx::Error> {
        let generation = self.generation.load(Ordering::SeqCst);
        let print = T::fingerprint(db.clone()).await?;
        let started = Instant::now();
        let value = Arc::new(T::load(db.clone()).await?);
        tracing::info!(
            model = T::NAME,
            items = value.items(),
            ms = started.elapsed().as_millis() as u64,
            "read model read"
        );
        let mut slot = self.slot.lock().expect("read model");
        if self.generation.load(Ordering::SeqCst) == generation {
            let now = Instant::now();
            *slot = Some(Slot {
                read_at: now,
                checked_at: now,
                fingerprint: print,
                value: value.clone(),
                checking: false,
            });
        }
        Ok(value)
    }

    /// In the background: compare the fingerprint, read again if it moved.
    async fn check(self: Arc<Self>, db: Db, old: Vec<i64>, read_at: Instant) {
        let same = match T::fingerprint(db.clone()).await {
            Ok(print) => print == old && read_at.elapsed() < self.reread_after,
            Err(e) => {
                tracing::warn!(model = T::NAME, error = %e, "read model: check failed");
                true
            }
        };
        if !same {
            match self.read(&db).await {
                Ok(_) => return,
                Err(e) => tracing::warn!(model = T::NAME, error = %e, "read model: read failed"),
            }
        }
        if let Some(slot) = self.slot.lock().expect("read model").as_mut() {
            slot.checked_at = Instant::now();
            slot.checking = false;
        }
    }
}
