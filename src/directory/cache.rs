//! What the directory keeps in memory, held by the application state (one
//! per database): the snapshot of published cards, searches by meaning, their
//! counts and their rendered results. A change made on this server forgets
//! them at once; other servers see it within the lifetimes in the README.

use std::sync::Arc;

use super::index::Snapshots;
use super::public::{Facet, Facets, Hit, SEARCH_CACHE_BYTES, SEARCH_TTL};
use crate::cache::{TtlCache, Weigh};

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
            pages: TtlCache::new(SEARCH_TTL, SEARCH_CACHE_BYTES),
            facets: TtlCache::new(SEARCH_TTL, SEARCH_CACHE_BYTES),
            parts: TtlCache::new(SEARCH_TTL, SEARCH_CACHE_BYTES),
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

impl Weigh for Hit {
    fn weigh(&self) -> usize {
        std::mem::size_of::<Hit>()
            + self.name.capacity()
            + self.kind.capacity()
            + self.place.capacity()
            + self.excerpt.capacity()
            + self.themes.weigh()
    }
}

impl Weigh for Facet {
    fn weigh(&self) -> usize {
        std::mem::size_of::<Facet>() + self.value.capacity() + self.label.capacity()
    }
}

impl Weigh for Facets {
    fn weigh(&self) -> usize {
        self.themes.weigh() + self.territories.weigh() + self.sectors.weigh() + self.sizes.weigh()
    }
}
