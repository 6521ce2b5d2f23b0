//! What the directory keeps in memory, held by the application state (one
//! per database): the snapshot of published cards, searches by meaning, their
//! counts and their rendered results. A change made on this server forgets
//! them at once; other servers see it within the lifetimes in the README.

use std::sync::Arc;

use super::index::Snapshots;
use super::public::{Facets, Hit, SEARCH_CACHE_MAX, SEARCH_TTL};
use crate::cache::TtlCache;

/// The directory's caches.
pub struct Caches {
    /// Published cards' filters, for searches computed in memory.
    pub snapshot: Arc<Snapshots>,
    /// One page of a search: its hits and the total.
    pub(super) pages: TtlCache<(Vec<Hit>, i64)>,
    /// Counts per filter value of a search (shared by its pages).
    pub(super) facets: TtlCache<Facets>,
    /// Rendered results (the same for every visitor).
    pub(super) parts: TtlCache<String>,
}

impl Default for Caches {
    fn default() -> Self {
        Caches {
            snapshot: Arc::default(),
            pages: TtlCache::new(SEARCH_TTL, SEARCH_CACHE_MAX),
            facets: TtlCache::new(SEARCH_TTL, SEARCH_CACHE_MAX),
            parts: TtlCache::new(SEARCH_TTL, SEARCH_CACHE_MAX),
        }
    }
}

impl Caches {
    /// Forget everything after a card changed on this server.
    pub fn forget(&self) {
        self.snapshot.forget();
        self.pages.clear();
        self.facets.clear();
        self.parts.clear();
    }
}
