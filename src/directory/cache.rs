//! What the directory keeps in memory, held by the application state (one
//! per database): the snapshot of published cards, which answers every
//! search, and searches' rendered results. A change made on this server
//! forgets them at once; other servers see it within the lifetimes in the
//! README.

use std::sync::Arc;

use super::index::Snapshots;
use super::public::{SEARCH_CACHE_BYTES, SEARCH_TTL};
use crate::cache::TtlCache;

/// The directory's caches.
pub struct Caches {
    /// Published cards' filters, for searches computed in memory.
    pub snapshot: Arc<Snapshots>,
    /// Rendered results (the same for every visitor).
    pub(super) parts: TtlCache<String>,
}

impl Default for Caches {
    fn default() -> Self {
        Caches {
            snapshot: Arc::default(),
            parts: TtlCache::new(SEARCH_TTL, SEARCH_CACHE_BYTES),
        }
    }
}

impl Caches {
    /// Forget everything after a card changed on this server.
    pub fn forget(&self) {
        self.snapshot.forget();
        self.parts.clear();
    }
}
