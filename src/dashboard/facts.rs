//! The dashboard's facts, kept folded in memory and live.
//!
//! A fact is one row of `store::source_sql` (a registration marked present,
//! a submitted diagnostic, a file opened…): the business key, the date,
//! commune, sector, size band, partner, adviser and a value. Computing a
//! page from the source tables joined at every request cost seconds at
//! scale (400,000 registrations marked present, scanned seven times per
//! page), so each server folds the facts once, with the very same SQL, into
//! compact vectors (strings interned), and keeps them live:
//!
//! - database triggers (`triggers.rs`) append to `dashboard_changes` which
//!   facts a write invalidates, as (source, origin row);
//! - before computing a page, [`snapshot`] reads the changes this server has
//!   not applied yet and folds again those origins only (one query per
//!   source, by primary or indexed key), so a figure is never older than
//!   the request that shows it. On PostgreSQL, changes are read by writing
//!   transaction (`txid`), so a transaction that commits late is not missed;
//!   on SQLite, writers are serialised and the change ids are in commit order;
//! - a bulk load (the seeder), or the daily pruning of the change log,
//!   bumps a generation, and every server folds the facts again from scratch.
//!
//! The figures are then counted in one pass over the vectors with the same
//! rules as the SQL (`COUNT(DISTINCT key)`, sums, averages, the territory
//! and sector filters through the parents): `store::aggregate`,
//! `store::breakdown` and `store::cumulative` stay as the reference the
//! tests compare with.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use sqlx::Row;

use super::interning::{Ids, Keys, Syms, NONE};

use super::model::{Dimension, Filter, Territories};
use super::store::{self, Agg, Bounds, Source};
use crate::db::{Backend, Db};

/// Every source, in a fixed order.
pub const SOURCES: [Source; 12] = [
    Source::Workshop,
    Source::Diagnostic,
    Source::Case,
    Source::Plan,
    Source::Hours,
    Source::Referral,
    Source::Funded,
    Source::Progressed,
    Source::FirstContact,
    Source::Feedback,
    Source::Request,
    Source::Session,
];

/// The name of a source in `dashboard_changes`.
pub fn code(s: Source) -> &'static str {
    match s {
        Source::Workshop => "workshop",
        Source::Diagnostic => "diagnostic",
        Source::Case => "case",
        Source::Plan => "plan",
        Source::Hours => "hours",
        Source::Referral => "referral",
        Source::Funded => "funded",
        Source::Progressed => "progressed",
        Source::FirstContact => "first-contact",
        Source::Feedback => "feedback",
        Source::Request => "request",
        Source::Session => "session",
    }
}

fn index(s: Source) -> usize {
    SOURCES.iter().position(|x| *x == s).unwrap_or(0)
}

/// A removed fact.
const DEAD: u32 = u32::MAX;
/// Name of the generation row in `derived_versions`.
pub const GENERATION: &str = "dashboard_facts";
/// Above this many pending origins, fold everything again.
const MAX_PENDING: usize = 50_000;
/// Changes older than this are deleted (a server that missed them folds again).
const KEEP_CHANGES_MS: i64 = 24 * 3_600_000;

/// One fact, 56 bytes: strings and ids interned, 0 for NULL.
#[derive(Debug, Clone, Copy)]
struct Fact {
    k: u32,
    commune: u32,
    sector: u32,
    size: u32,
    /// The workshop's theme slug.
    theme: u32,
    /// The workshop's format code.
    format: u32,
    /// Interned in `Facts::ids`.
    partner: u32,
    /// Interned in `Facts::ids`.
    adviser: u32,
    /// The programme, interned in `Facts::ids`.
    prog: u32,
    at: i64,
    v: i64,
}

/// The facts of one source; those of an origin are contiguous.
#[derive(Default)]
struct Part {
    facts: Vec<Fact>,
    origins: HashMap<i64, (u32, u32)>,
    dead: usize,
}

impl Part {
    fn replace(&mut self, origin: i64, new: &[Fact]) {
        if let Some((start, len)) = self.origins.remove(&origin) {
            for f in &mut self.facts[start as usize..(start + len) as usize] {
                f.k = DEAD;
            }
            self.dead += len as usize;
        }
        if !new.is_empty() {
            let start = self.facts.len() as u32;
            self.facts.extend_from_slice(new);
            self.origins.insert(origin, (start, new.len() as u32));
        }
        if self.dead > 1024 && self.dead * 4 > self.facts.len() {
            self.compact();
        }
    }

    fn compact(&mut self) {
        let mut facts = Vec::with_capacity(self.facts.len() - self.dead);
        let mut origins = HashMap::with_capacity(self.origins.len());
        for (o, (start, len)) in &self.origins {
            let s = facts.len() as u32;
            facts.extend_from_slice(&self.facts[*start as usize..(*start + *len) as usize]);
            origins.insert(*o, (s, *len));
        }
        self.facts = facts;
        self.origins = origins;
        self.dead = 0;
    }
}

/// Where this server is in the change log.
#[derive(Default)]
struct Cursor {
    generation: i64,
    /// SQLite: the last change id applied.
    last_id: i64,
    /// PostgreSQL: every transaction below this one had ended when read.
    xmin: i64,
    /// PostgreSQL: change ids applied whose transaction is >= `xmin`.
    seen: HashSet<i64>,
}

/// The folded facts of one database.
pub struct Facts {
    loaded: bool,
    cursor: Cursor,
    keys: Keys,
    places: Syms,
    ids: Ids,
    parts: Vec<Part>,
    scratch: Scratch,
}

#[derive(Default)]
struct Scratch {
    stamp: u32,
    seen: Vec<u32>,
    groups: Vec<Vec<(u32, Group)>>,
    min_at: Vec<(u32, i64)>,
}

/// A breakdown group: a symbol, or an area's index; [`NO_GROUP`] for none.
type Group = u32;
const NO_GROUP: Group = u32::MAX;

impl Scratch {
    fn begin(&mut self, keys: usize) -> u32 {
        if self.seen.len() < keys {
            self.seen.resize(keys, 0);
            self.min_at.resize(keys, (0, NONE));
        }
        for g in self.groups.iter_mut() {
            if g.len() < keys {
                g.resize(keys, (0, NO_GROUP));
            }
        }
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.seen.iter_mut().for_each(|x| *x = 0);
            self.min_at.iter_mut().for_each(|x| x.0 = 0);
            self.groups
                .iter_mut()
                .for_each(|g| g.iter_mut().for_each(|x| x.0 = 0));
            self.stamp = 1;
        }
        self.stamp
    }
}

impl Facts {
    fn new() -> Facts {
        Facts {
            loaded: false,
            cursor: Cursor::default(),
            keys: Keys::default(),
            places: Syms::default(),
            ids: Ids::default(),
            parts: SOURCES.iter().map(|_| Part::default()).collect(),
            scratch: Scratch {
                // One per dimension, and the map's departments.
                groups: vec![vec![]; Dimension::ALL.len() + 1],
                ..Default::default()
            },
        }
    }
}

impl Default for Facts {
    fn default() -> Facts {
        Facts::new()
    }
}

/// The folded facts of one database, a field of the application state
/// (`AppState::facts`): one copy per server, shared by its requests.
#[derive(Clone, Default)]
pub struct Folded(Arc<tokio::sync::Mutex<Facts>>);

impl Folded {
    /// The facts of `db`, brought up to date with every committed write.
    pub async fn snapshot(
        &self,
        db: &Db,
    ) -> Result<tokio::sync::OwnedMutexGuard<Facts>, sqlx::Error> {
        let mut guard = self.0.clone().lock_owned().await;
        guard.refresh(db).await?;
        Ok(guard)
    }
}

/// Read the facts of `source`, all or those of `origins`, as (origin,
/// fact), one row at a time: strings are interned as they arrive, so the
/// memory held is the compact facts, never the rows.
impl Facts {
    async fn read(
        &mut self,
        db: &Db,
        source: Source,
        origins: Option<&[i64]>,
    ) -> Result<Vec<(i64, Fact)>, sqlx::Error> {
        use futures_util::TryStreamExt;
        let wher = match origins {
            Some(o) => {
                let list: Vec<String> = o.iter().map(i64::to_string).collect();
                format!(" WHERE x.o IN ({})", list.join(", "))
            }
            None => String::new(),
        };
        let sql = format!(
            "SELECT CAST(x.o AS BIGINT) AS o, x.k AS k, CAST(x.at AS BIGINT) AS at, x.commune AS commune, \
             x.sector AS sector, x.size AS size, CAST(x.partner AS BIGINT) AS partner, \
             CAST(x.adviser AS BIGINT) AS adviser, CAST(x.v AS BIGINT) AS v, x.theme AS theme, \
             x.format AS format, CAST(x.prog AS BIGINT) AS prog FROM ({}) x{wher}",
            store::source_sql(source)
        );
        let mut out = vec![];
        let mut rows = sqlx::query(&sql).fetch(&db.pool);
        while let Some(r) = rows.try_next().await? {
            let o = r.try_get::<Option<i64>, _>("o")?.unwrap_or(NONE);
            let fact = Fact {
                k: self.keys.id(r.try_get::<Option<&str>, _>("k")?),
                commune: self.places.id(r.try_get("commune")?),
                sector: self.places.id(r.try_get("sector")?),
                size: self.places.id(r.try_get("size")?),
                theme: self.places.id(r.try_get("theme")?),
                format: self.places.id(r.try_get("format")?),
                partner: self.ids.id(r.try_get("partner")?),
                adviser: self.ids.id(r.try_get("adviser")?),
                prog: self.ids.id(r.try_get("prog")?),
                at: r.try_get::<Option<i64>, _>("at")?.unwrap_or(NONE),
                v: r.try_get::<Option<i64>, _>("v")?.unwrap_or(NONE),
            };
            out.push((o, fact));
        }
        Ok(out)
    }

    /// Replace the facts of every origin in `rows` and in `origins` (an
    /// origin listed with no row has no fact any more).
    fn fold(&mut self, source: Source, mut rows: Vec<(i64, Fact)>, origins: &[i64]) {
        rows.sort_by_key(|r| r.0);
        let part = &mut self.parts[index(source)];
        if part.facts.is_empty() {
            part.facts.reserve_exact(rows.len());
        }
        for o in origins {
            if rows.binary_search_by_key(o, |r| r.0).is_err() {
                part.replace(*o, &[]);
            }
        }
        let mut same = vec![];
        let mut rest = &rows[..];
        while let Some((o, _)) = rest.first() {
            let n = rest.partition_point(|r| r.0 == *o);
            same.clear();
            same.extend(rest[..n].iter().map(|r| r.1));
            part.replace(*o, &same);
            rest = &rest[n..];
        }
    }

    /// Fold every source from scratch.
    async fn load(&mut self, db: &Db, generation: i64) -> Result<(), sqlx::Error> {
        // Where the change log stands before reading: what changes during
        // the load is applied again afterwards (folding is idempotent).
        let cursor = match db.backend {
            Backend::Sqlite => Cursor {
                generation,
                last_id: sqlx::query_scalar::<_, i64>(
                    "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM dashboard_changes",
                )
                .fetch_one(&db.pool)
                .await?,
                ..Default::default()
            },
            Backend::Postgres => Cursor {
                generation,
                xmin: xmin(db).await?,
                ..Default::default()
            },
        };
        // The old facts go first: a reload never holds two copies. Should
        // a read fail, `loaded` stays false and the next page loads again.
        let scratch = std::mem::take(&mut self.scratch);
        *self = Facts::new();
        self.scratch = scratch;
        for s in SOURCES {
            let rows = self.read(db, s, None).await?;
            self.fold(s, rows, &[]);
        }
        self.cursor = cursor;
        self.loaded = true;
        Ok(())
    }

    /// Apply the changes not applied yet; fold everything again when the
    /// generation moved or too much changed.
    async fn refresh(&mut self, db: &Db) -> Result<(), sqlx::Error> {
        let generation = generation(db).await?;
        if !self.loaded || generation != self.cursor.generation {
            return self.load(db, generation).await;
        }
        let rows = match db.backend {
            Backend::Sqlite => {
                sqlx::query("SELECT id, src, origin, tx FROM dashboard_changes WHERE id > $1 ORDER BY id LIMIT $2")
                    .bind(self.cursor.last_id)
                    .bind(MAX_PENDING as i64 + 1)
                    .fetch_all(&db.pool)
                    .await?
            }
            Backend::Postgres => {
                sqlx::query(
                    "SELECT id, src, origin, tx, CAST(txid_snapshot_xmin(txid_current_snapshot()) AS BIGINT) AS xmin \
                     FROM dashboard_changes WHERE tx >= $1 ORDER BY id",
                )
                .bind(self.cursor.xmin)
                .fetch_all(&db.pool)
                .await?
            }
        };
        let mut pending: HashMap<&'static str, HashSet<i64>> = HashMap::new();
        let mut ids = vec![];
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            if db.backend == Backend::Postgres && self.cursor.seen.contains(&id) {
                continue;
            }
            ids.push((id, r.try_get::<Option<i64>, _>("tx")?.unwrap_or(0)));
            let src: String = r.try_get("src")?;
            if let Some(s) = SOURCES.iter().find(|s| code(**s) == src) {
                pending
                    .entry(code(*s))
                    .or_default()
                    .insert(r.try_get("origin")?);
            }
        }
        let count: usize = pending.values().map(HashSet::len).sum();
        if count > MAX_PENDING || rows.len() > MAX_PENDING {
            return self.load(db, generation).await;
        }
        for s in SOURCES {
            let Some(origins) = pending.get(code(s)) else {
                continue;
            };
            let mut origins: Vec<i64> = origins.iter().copied().collect();
            origins.sort_unstable();
            for chunk in origins.chunks(500) {
                let rows = self.read(db, s, Some(chunk)).await?;
                self.fold(s, rows, chunk);
            }
        }
        match db.backend {
            Backend::Sqlite => {
                if let Some(last) = ids.last() {
                    self.cursor.last_id = last.0;
                }
            }
            Backend::Postgres => {
                let xmin = match rows.first() {
                    Some(r) => r.try_get::<i64, _>("xmin")?,
                    None => self::xmin(db).await?,
                };
                self.cursor.seen.extend(ids.iter().map(|x| x.0));
                let kept: HashSet<i64> = rows
                    .iter()
                    .filter(|r| {
                        r.try_get::<Option<i64>, _>("tx")
                            .ok()
                            .flatten()
                            .unwrap_or(0)
                            >= xmin
                    })
                    .filter_map(|r| r.try_get::<i64, _>("id").ok())
                    .collect();
                self.cursor.seen.retain(|id| kept.contains(id));
                self.cursor.xmin = xmin;
            }
        }
        Ok(())
    }
}

async fn xmin(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT CAST(txid_snapshot_xmin(txid_current_snapshot()) AS BIGINT)")
        .fetch_one(&db.pool)
        .await
}

async fn generation(db: &Db) -> Result<i64, sqlx::Error> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT version FROM derived_versions WHERE name = $1")
            .bind(GENERATION)
            .fetch_optional(&db.pool)
            .await?
            .unwrap_or(0),
    )
}

/// Make every server fold the facts again (after a bulk load), and forget
/// the changes logged before `forget_before`.
pub async fn bump_generation(db: &Db, forget_before: i64) -> Result<(), sqlx::Error> {
    let now = crate::db::now_ms();
    let mut tx = db.begin_write().await?;
    let old: i64 =
        sqlx::query_scalar::<_, i64>("SELECT version FROM derived_versions WHERE name = $1")
            .bind(GENERATION)
            .fetch_optional(&mut *tx)
            .await?
            .unwrap_or(0);
    sqlx::query("DELETE FROM dashboard_changes WHERE at < $1")
        .bind(forget_before)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM derived_versions WHERE name = $1")
        .bind(GENERATION)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO derived_versions (name, version, built_at) VALUES ($1, $2, $3)")
        .bind(GENERATION)
        .bind(old + 1)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Delete changes older than a day, then make every server fold again (a
/// server that did not read them in that time would otherwise miss them).
/// Run once a day by the jobs.
pub async fn prune(db: &Db, now: i64) -> Result<(), sqlx::Error> {
    let old: Option<i64> =
        sqlx::query_scalar("SELECT MIN(id) FROM dashboard_changes WHERE at < $1")
            .bind(now - KEEP_CHANGES_MS)
            .fetch_one(&db.pool)
            .await?;
    if old.is_some() {
        bump_generation(db, now - KEEP_CHANGES_MS).await?;
    }
    Ok(())
}

/// What the filter lets through, resolved against the folded strings.
pub struct Sieve {
    bounds: Bounds,
    /// Per place symbol: passes the territory filter.
    territory: Option<Vec<bool>>,
    /// Per place symbol: passes the sector filter.
    sector: Option<Vec<bool>>,
    size: Option<u32>,
    /// The partner's symbol ([`DEAD`] when no fact names it).
    partner: Option<u32>,
    /// The adviser's symbol ([`DEAD`] when no fact names it).
    adviser: Option<u32>,
    /// The programme's symbol (None: every programme of the instance).
    prog: Option<u32>,
    /// Per place symbol: its group in the territory breakdown.
    area: Vec<Option<u32>>,
    /// Per place symbol: the department (or province…) it counts under on the map.
    map_area: Vec<Option<u32>>,
    /// The groups' codes.
    areas: Vec<String>,
}

impl Sieve {
    fn dims(&self, f: &Fact) -> bool {
        if let Some(t) = &self.territory {
            if !t[f.commune as usize] {
                return false;
            }
        }
        if let Some(s) = &self.sector {
            if !s[f.sector as usize] {
                return false;
            }
        }
        if let Some(s) = self.size {
            if f.size != s {
                return false;
            }
        }
        if let Some(p) = self.partner {
            if f.partner != p {
                return false;
            }
        }
        if let Some(a) = self.adviser {
            if f.adviser != a {
                return false;
            }
        }
        if let Some(p) = self.prog {
            if f.prog != p {
                return false;
            }
        }
        true
    }

    fn period(&self, f: &Fact) -> bool {
        if let Some(from) = self.bounds.from_ms {
            if f.at == NONE || f.at < from {
                return false;
            }
        }
        if let Some(to) = self.bounds.to_ms {
            if f.at == NONE || f.at >= to {
                return false;
            }
        }
        true
    }
}

/// Distinct businesses per group of one breakdown: (group code, count).
pub type Groups = Vec<(Option<String>, i64)>;

/// The aware facts' figures: the aggregate, the breakdowns, the cumulative curve.
pub struct Aware {
    pub agg: Agg,
    pub breakdowns: Vec<(Dimension, Groups)>,
    /// Distinct businesses per department (or province…) for the map.
    pub by_map: Vec<(String, i64)>,
    pub reached: Vec<i64>,
}

impl Facts {
    /// The filter against the folded strings; `sector_parents` maps a sector code to its parent.
    pub fn sieve(
        &self,
        filter: &Filter,
        bounds: Bounds,
        terr: &Territories,
        sector_parents: &HashMap<String, Option<String>>,
    ) -> Sieve {
        let n = self.places.len();
        let name = |i: usize| self.places.name(i as u32);
        let territory = filter.territory.as_ref().map(|t| {
            (0..n)
                .map(|i| name(i).is_some_and(|c| super::model::is_within(terr, c, t)))
                .collect()
        });
        let sector = filter.sector.as_ref().map(|s| {
            (0..n)
                .map(|i| match name(i) {
                    None => false,
                    Some(c) => {
                        c == s
                            || sector_parents.get(c).cloned().flatten().as_deref()
                                == Some(s.as_str())
                    }
                })
                .collect()
        });
        // Places grouped at the breakdown's level, and by department for the map.
        let mut areas: Vec<String> = vec![];
        let mut area_ids: HashMap<String, u32> = HashMap::new();
        let mut group = |code: Option<String>| -> Option<u32> {
            let g = code?;
            Some(*area_ids.entry(g.clone()).or_insert_with(|| {
                areas.push(g);
                areas.len() as u32 - 1
            }))
        };
        let mut area = Vec::with_capacity(n);
        let mut map_area = Vec::with_capacity(n);
        for i in 0..n {
            let code = name(i);
            let g = code.and_then(|c| super::model::breakdown_group(terr, c, filter.level));
            area.push(group(g));
            let m = code.and_then(|c| super::model::area_code(terr, Some(c)));
            map_area.push(group(m));
        }
        Sieve {
            bounds,
            territory,
            sector,
            size: filter
                .size
                .as_ref()
                .map(|s| self.places.find(s).unwrap_or(DEAD)),
            partner: filter.partner.map(|p| self.ids.find(p).unwrap_or(DEAD)),
            adviser: filter.adviser.map(|a| self.ids.find(a).unwrap_or(DEAD)),
            prog: filter.programme().map(|p| self.ids.find(p).unwrap_or(DEAD)),
            area,
            map_area,
            areas,
        }
    }

    fn live<'a>(&'a self, sources: &'a [Source]) -> impl Iterator<Item = &'a Fact> + 'a {
        sources
            .iter()
            .flat_map(|s| self.parts[index(*s)].facts.iter())
            .filter(|f| f.k != DEAD)
    }

    /// `store::aggregate` over the folded facts.
    pub fn aggregate(&mut self, sources: &[Source], sieve: &Sieve) -> Agg {
        let stamp = self.scratch.begin(self.keys.len());
        let mut agg = Agg::default();
        let (mut sum, mut n) = (0i64, 0i64);
        let mut seen = std::mem::take(&mut self.scratch.seen);
        for f in self.live(sources) {
            if !sieve.period(f) || !sieve.dims(f) {
                continue;
            }
            agg.rows += 1;
            if f.v != NONE {
                sum += f.v;
                n += 1;
            }
            // COUNT(DISTINCT k) leaves out a NULL key.
            if f.k != 0 && seen[f.k as usize] != stamp {
                seen[f.k as usize] = stamp;
                agg.distinct += 1;
            }
        }
        self.scratch.seen = seen;
        agg.sum = sum;
        agg.avg = (n > 0).then(|| sum as f64 / n as f64);
        agg
    }

    /// The made-aware figures in one pass: `store::aggregate`,
    /// `store::breakdown` for every dimension and `store::cumulative`.
    pub fn aware(&mut self, sources: &[Source], sieve: &Sieve, bounds_ms: &[i64]) -> Aware {
        let stamp = self.scratch.begin(self.keys.len());
        let mut scratch = std::mem::take(&mut self.scratch);
        let dims = Dimension::ALL;
        let mut counts: Vec<HashMap<Group, i64>> =
            (0..=dims.len()).map(|_| HashMap::new()).collect();
        let mut extra: HashSet<(usize, u32, Group)> = HashSet::new();
        let mut agg = Agg::default();
        let (mut sum, mut n) = (0i64, 0i64);
        let mut touched: Vec<u32> = vec![];
        for f in self.live(sources) {
            if !sieve.dims(f) {
                continue;
            }
            let k = f.k as usize;
            if f.at != NONE {
                let m = &mut scratch.min_at[k];
                if m.0 != stamp {
                    *m = (stamp, f.at);
                    touched.push(f.k);
                } else if f.at < m.1 {
                    m.1 = f.at;
                }
            }
            if !sieve.period(f) {
                continue;
            }
            agg.rows += 1;
            if f.v != NONE {
                sum += f.v;
                n += 1;
            }
            if k != 0 && scratch.seen[k] != stamp {
                scratch.seen[k] = stamp;
                agg.distinct += 1;
            }
            let map = sieve.map_area[f.commune as usize].unwrap_or(NO_GROUP);
            let groups = dims
                .iter()
                .map(|d| match d {
                    Dimension::Territory => sieve.area[f.commune as usize].unwrap_or(NO_GROUP),
                    Dimension::Sector => f.sector,
                    Dimension::Size => f.size,
                    Dimension::Partner => f.partner,
                    Dimension::Adviser => f.adviser,
                    Dimension::Theme => f.theme,
                    Dimension::Format => f.format,
                })
                .chain([map]);
            for (di, g) in groups.enumerate() {
                if k == 0 {
                    // A group of NULL keys only is a row counting 0.
                    counts[di].entry(g).or_insert(0);
                    continue;
                }
                let slot = &mut scratch.groups[di][k];
                let new = if slot.0 != stamp {
                    *slot = (stamp, g);
                    true
                } else {
                    slot.1 != g && extra.insert((di, f.k, g))
                };
                if new {
                    *counts[di].entry(g).or_insert(0) += 1;
                }
            }
        }
        agg.sum = sum;
        agg.avg = (n > 0).then(|| sum as f64 / n as f64);
        let mut mins: Vec<i64> = touched
            .iter()
            .map(|k| scratch.min_at[*k as usize].1)
            .collect();
        mins.sort_unstable();
        let reached = bounds_ms
            .iter()
            .map(|b| mins.partition_point(|m| m < b) as i64)
            .collect();
        self.scratch = scratch;
        let map_counts = counts.pop().unwrap_or_default();
        let by_map = map_counts
            .into_iter()
            .filter(|(g, _)| *g != NO_GROUP)
            .filter_map(|(g, n)| Some((sieve.areas.get(g as usize)?.clone(), n)))
            .collect();
        let breakdowns = dims
            .iter()
            .zip(counts)
            .map(|(d, map)| {
                let rows = map
                    .into_iter()
                    .map(|(g, n)| {
                        let label = match d {
                            Dimension::Territory => sieve.areas.get(g as usize).cloned(),
                            Dimension::Sector
                            | Dimension::Size
                            | Dimension::Theme
                            | Dimension::Format => self.places.name(g).map(str::to_string),
                            Dimension::Partner | Dimension::Adviser => {
                                self.ids.value(g).map(|v| v.to_string())
                            }
                        };
                        (label, n)
                    })
                    .collect();
                (*d, rows)
            })
            .collect();
        Aware {
            agg,
            breakdowns,
            by_map,
            reached,
        }
    }
}
