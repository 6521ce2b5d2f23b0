//! The agenda's index, kept in memory (a read model, see `kept.rs`): which
//! sessions a filter matches and in what order, answered without a query.
//! Only the page shown is then read from the database, by id, so seats left,
//! titles and places are always current; which sessions match follows the
//! database within the read model's check interval (at once for changes made
//! on this server). The same filters as [`store::agenda`], which stays the
//! reference in SQL.
//!
//! [`store::agenda`]: super::store::agenda

use std::collections::HashMap;
use std::sync::Arc;

use sqlx::Row;

use super::model::{AgendaQuery, Format, Session};
use super::store::{SESSION_COLUMNS, SESSION_FROM};
use crate::db::Db;
use crate::kept::{Kept, Reading, Source};

/// What a filter needs of one session.
struct Entry {
    id: i64,
    starts_at: i64,
    ends_at: i64,
    /// As numbered in [`Listing::themes`].
    theme: u32,
    /// The commune and every territory holding it, as numbered in
    /// [`Listing::places`] (empty: no commune).
    places: Box<[u32]>,
    /// Target sectors, as numbered in [`Listing::sectors`].
    sectors: Box<[u32]>,
    format: Option<Format>,
    programme: Option<i64>,
    scheduled: bool,
}

/// Every session (past, to come, cancelled), by start then id.
#[derive(Default)]
pub struct Listing {
    entries: Vec<Entry>,
    themes: HashMap<Box<str>, u32>,
    places: HashMap<Box<str>, u32>,
    sectors: HashMap<Box<str>, u32>,
}

/// The number of `code` in `codes`, given one if new.
fn number(codes: &mut HashMap<Box<str>, u32>, code: &str) -> u32 {
    let next = codes.len() as u32;
    *codes.entry(code.into()).or_insert(next)
}

impl Source for Listing {
    const NAME: &'static str = "agenda";

    fn fingerprint(db: Db) -> Reading<Vec<i64>> {
        // Sessions move it as for the sessions to come (an edit, its sectors
        // included, bumps the session's version); the count and sum of the
        // sector links catch a link written without an edit.
        Box::pin(async move {
            let mut print = super::upcoming::Upcoming::fingerprint(db.clone()).await?;
            let row = sqlx::query(
                "SELECT COUNT(*), CAST(COALESCE(SUM(session_id), 0) AS BIGINT) FROM workshop_sectors",
            )
            .fetch_one(&db.pool)
            .await?;
            print.extend([row.try_get::<i64, _>(0)?, row.try_get::<i64, _>(1)?]);
            Ok(print)
        })
    }

    fn load(db: Db) -> Reading<Listing> {
        Box::pin(async move {
            // The territories above the sessions' communes, walked up here
            // once instead of in every filter.
            let tree: Vec<(String, Option<String>)> = sqlx::query_as(
                "WITH RECURSIVE up(code, parent_code) AS ( \
                 SELECT code, parent_code FROM territories \
                 WHERE code IN (SELECT commune_code FROM workshop_sessions) \
                 UNION SELECT t.code, t.parent_code FROM territories t JOIN up ON t.code = up.parent_code) \
                 SELECT code, parent_code FROM up",
            )
            .fetch_all(&db.pool)
            .await?;
            let parents: HashMap<String, Option<String>> = tree.into_iter().collect();
            let sector_rows: Vec<(i64, String)> =
                sqlx::query_as("SELECT session_id, sector_code FROM workshop_sectors")
                    .fetch_all(&db.pool)
                    .await?;
            let rows = sqlx::query(
                "SELECT s.id, s.starts_at, s.ends_at, t.slug, s.commune_code, s.format, s.programme_id, \
                 CAST(CASE WHEN s.status = 'scheduled' THEN 1 ELSE 0 END AS BIGINT) AS scheduled \
                 FROM workshop_sessions s JOIN themes t ON t.id = s.theme_id ORDER BY s.starts_at, s.id",
            )
            .fetch_all(&db.pool)
            .await?;
            let mut l = Listing::default();
            let mut sectors_of: HashMap<i64, Vec<u32>> = HashMap::new();
            for (session, code) in &sector_rows {
                let n = number(&mut l.sectors, code);
                sectors_of.entry(*session).or_default().push(n);
            }
            l.entries.reserve_exact(rows.len());
            for r in &rows {
                let id: i64 = r.try_get("id")?;
                let slug: String = r.try_get("slug")?;
                let mut places = vec![];
                let mut at: Option<String> = r.try_get("commune_code")?;
                // Up the tree; a cycle in the data stops at the depth limit.
                while let Some(code) = at.filter(|_| places.len() < 16) {
                    places.push(number(&mut l.places, &code));
                    at = parents.get(&code).cloned().flatten();
                }
                l.entries.push(Entry {
                    id,
                    starts_at: r.try_get("starts_at")?,
                    ends_at: r.try_get("ends_at")?,
                    theme: number(&mut l.themes, &slug),
                    places: places.into(),
                    sectors: sectors_of.remove(&id).unwrap_or_default().into(),
                    format: Format::from_code(&r.try_get::<String, _>("format")?),
                    programme: r.try_get("programme_id")?,
                    scheduled: r.try_get::<i64, _>("scheduled")? == 1,
                });
            }
            Ok(l)
        })
    }

    fn items(&self) -> usize {
        self.entries.len()
    }
}

impl Listing {
    /// The ids of the sessions `q` matches, in agenda order (soonest first,
    /// or latest first for the past), from `offset`, at most `limit`; and
    /// how many match in all.
    pub fn page(&self, q: &AgendaQuery, limit: usize, offset: usize) -> (Vec<i64>, usize) {
        // A value no session holds matches nothing.
        let find = |codes: &HashMap<Box<str>, u32>, v: &Option<String>| match v {
            None => Ok(None),
            Some(v) => codes.get(v.as_str()).map(|n| Some(*n)).ok_or(()),
        };
        let (Ok(theme), Ok(place), Ok(sector)) = (
            find(&self.themes, &q.theme),
            find(&self.places, &q.territory),
            find(&self.sectors, &q.sector),
        ) else {
            return (vec![], 0);
        };
        let matches = |e: &&Entry| {
            theme.is_none_or(|t| e.theme == t)
                && place.is_none_or(|p| e.places.contains(&p))
                && sector.is_none_or(|s| e.sectors.contains(&s))
                && q.format.is_none_or(|f| e.format == Some(f))
                && (if q.past {
                    e.ends_at <= q.now
                } else {
                    e.ends_at > q.now
                })
                && q.from_ms.is_none_or(|f| e.starts_at >= f)
                && q.to_ms.is_none_or(|t| e.starts_at < t)
                && q.programme.is_none_or(|p| e.programme == Some(p))
                && (q.include_cancelled || e.scheduled)
        };
        let mut ids = Vec::with_capacity(limit.min(100));
        let mut total = 0;
        let mut take = |e: &Entry| {
            if total >= offset && ids.len() < limit {
                ids.push(e.id);
            }
            total += 1;
        };
        if q.past {
            self.entries
                .iter()
                .rev()
                .filter(matches)
                .for_each(&mut take);
        } else {
            self.entries.iter().filter(matches).for_each(&mut take);
        }
        (ids, total)
    }
}

/// One page of the agenda and the total count, as [`super::store::agenda`] gives
/// them: the matching ids from the index, the page's rows from the database.
pub async fn agenda(
    db: &Db,
    kept: &Arc<Kept<Listing>>,
    q: &AgendaQuery,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Session>, i64), sqlx::Error> {
    let listing = kept.get(db).await?;
    let (ids, total) = listing.page(q, limit.max(0) as usize, offset.max(0) as usize);
    Ok((by_ids(db, &ids).await?, total as i64))
}

/// The sessions of `ids`, in that order (one deleted since is left out).
pub async fn by_ids(db: &Db, ids: &[i64]) -> Result<Vec<Session>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    // Padded with the first id to a page's size (20, or the API's 100): one
    // prepared statement per size, not one per number of rows.
    let marks = if ids.len() <= 20 {
        20
    } else {
        ids.len().max(100)
    };
    let list: Vec<String> = (1..=marks).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT {SESSION_COLUMNS} FROM {SESSION_FROM} WHERE s.id IN ({})",
        list.join(", ")
    );
    let mut query = sqlx::query_as::<_, Session>(&sql);
    for i in 0..marks {
        query = query.bind(ids.get(i).unwrap_or(&ids[0]));
    }
    let mut rows = query.fetch_all(&db.pool).await?;
    rows.sort_by_key(|s| ids.iter().position(|id| *id == s.id));
    Ok(rows)
}
