//! What the directory keeps in memory, held by the application state (one
//! per database): the snapshot of published cards, which answers every
//! search (no page of results is kept). A change made on this server forgets
//! it at once; other servers see it within the lifetime in the README.

use std::sync::Arc;

use super::index::Snapshots;

/// The directory's caches.
#[derive(Default)]
pub struct Caches {
    /// Published cards' filters, for searches computed in memory.
    pub snapshot: Arc<Snapshots>,
}

impl Caches {
    /// Forget everything after a card changed on this server.
    pub fn forget(&self) {
        self.snapshot.forget();
    }
}
