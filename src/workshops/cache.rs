//! The workshop pages' caches, held by the application state (one state
//! serves one database). Session pages show seats left, so their entries
//! live a few seconds; a change made on this server clears them at once
//! through [`Caches::forget`]. Agenda pages keep no page: their index is a
//! read model ([`Listing`]) and each page's rows are read when shown.

use std::sync::Arc;
use std::time::Duration;

use super::listing::Listing;
use super::model::{Sector, Session, Speaker};
use super::store;
use super::upcoming::Upcoming;
use crate::cache::{TtlCache, Weigh};
use crate::db::Db;
use crate::kept::Kept;

/// Filter menus change rarely; every agenda view needs them.
const OPTIONS_TTL: Duration = Duration::from_secs(60);
/// Session pages show seats left: kept only briefly. Read models are
/// checked against the database this often.
const PAGE_TTL: Duration = Duration::from_secs(5);
/// The sessions to come are read again at least this often: sessions that
/// have started are skipped when asked, and leave memory at that read.
const UPCOMING_REREAD: Duration = Duration::from_secs(600);
/// Bounds of the caches, in bytes (see `cache::Weigh`).
const OPTIONS_BYTES: usize = 1 << 20;
const SESSIONS_BYTES: usize = 2 << 20;

/// Choices of the agenda filters: (value, label) each.
pub struct FilterOptions {
    pub themes: Vec<(String, String)>,
    pub territories: Vec<(String, String)>,
    pub sectors: Vec<(String, String)>,
}

/// What a session page reads from the database.
pub struct SessionData {
    pub session: Session,
    pub speakers: Vec<Speaker>,
    pub sectors: Vec<Sector>,
}

impl Weigh for FilterOptions {
    fn weigh(&self) -> usize {
        [&self.themes, &self.territories, &self.sectors]
            .iter()
            .flat_map(|l| l.iter())
            .map(|(a, b)| 48 + a.capacity() + b.capacity())
            .sum::<usize>()
            + std::mem::size_of::<FilterOptions>()
    }
}

impl Weigh for SessionData {
    fn weigh(&self) -> usize {
        let s = &self.session;
        let opt = |o: &Option<String>| o.as_ref().map_or(0, String::capacity);
        std::mem::size_of::<SessionData>()
            + [
                &s.theme_slug,
                &s.theme_title_fr,
                &s.theme_title_en,
                &s.title_fr,
                &s.title_en,
                &s.description_fr,
                &s.description_en,
                &s.venue,
                &s.address,
                &s.online_url,
                &s.cancel_reason,
            ]
            .iter()
            .map(|t| t.capacity())
            .sum::<usize>()
            + [
                &s.commune_code,
                &s.commune_fr,
                &s.commune_en,
                &s.partner_name,
                &s.slides_name,
            ]
            .iter()
            .map(|o| opt(o))
            .sum::<usize>()
            + self
                .speakers
                .iter()
                .map(|p| std::mem::size_of::<Speaker>() + p.name.capacity())
                .sum::<usize>()
            + self
                .sectors
                .iter()
                .map(|c| {
                    std::mem::size_of::<Sector>()
                        + c.code.capacity()
                        + c.name_fr.capacity()
                        + c.name_en.capacity()
                })
                .sum::<usize>()
    }
}

/// Every cache of the workshop pages.
pub struct Caches {
    /// Agenda filter menus, by language.
    pub options: TtlCache<FilterOptions>,
    /// Which sessions each agenda filter matches, in order (a read model).
    pub listing: Arc<Kept<Listing>>,
    /// Session pages' data, by session id.
    pub sessions: TtlCache<SessionData>,
    /// The sessions to come, for action plans (a read model).
    pub upcoming: Arc<Kept<Upcoming>>,
}

impl std::fmt::Debug for Caches {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Caches").finish_non_exhaustive()
    }
}

impl Default for Caches {
    fn default() -> Caches {
        Caches::new()
    }
}

impl Caches {
    /// Empty caches.
    pub fn new() -> Caches {
        Caches {
            options: TtlCache::new(OPTIONS_TTL, OPTIONS_BYTES),
            listing: Arc::new(Kept::new(PAGE_TTL, UPCOMING_REREAD)),
            sessions: TtlCache::new(PAGE_TTL, SESSIONS_BYTES),
            upcoming: Arc::new(Kept::new(PAGE_TTL, UPCOMING_REREAD)),
        }
    }

    /// Forget cached session pages after a change made here (seats taken
    /// or freed included).
    pub fn forget(&self) {
        self.sessions.clear();
    }

    /// After a session was scheduled, edited or cancelled here: forget the
    /// pages, the agenda's index and the sessions to come too (a
    /// registration leaves those).
    pub fn sessions_changed(&self) {
        self.forget();
        self.listing.forget();
        self.upcoming.forget();
    }

    /// A session with its speakers and sectors, reused for a few seconds.
    pub async fn session_data(
        &self,
        db: &Db,
        id: i64,
    ) -> Result<Option<Arc<SessionData>>, sqlx::Error> {
        let d = self
            .sessions
            .get_or_try(id.to_string(), || async {
                let session = store::get(db, id).await?.ok_or(sqlx::Error::RowNotFound)?;
                Ok::<_, sqlx::Error>(SessionData {
                    speakers: store::speakers(db, id).await?,
                    sectors: store::sectors(db, id).await?,
                    session,
                })
            })
            .await;
        match d {
            Ok(d) => Ok(Some(d)),
            Err(sqlx::Error::RowNotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
