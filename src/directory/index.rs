//! Directory searches in memory: which cards match, in which order, and the
//! counts per filter value.
//!
//! What searching, counting and showing a page of results need of every
//! published card is read once into a [`Snapshot`] (one row per card, and an
//! inverted index of `provider_terms`, see `postings.rs`), a read model of
//! `kept.rs`: a change made on this server drops it, so the next search reads
//! it again; changes made on other servers are caught by a cheap fingerprint
//! of the cards, compared in the background every 30 s (see `Source` below),
//! and searches keep using the current snapshot meanwhile. A search then
//! costs no query: the intersection of its words' posting lists (every card
//! without words), and for its filters and counts, intersections and
//! population counts of bit sets (`bits.rs`) of the cards behind each theme,
//! department, sector, size band and territory (a card passes a territory
//! when it works remotely or names the territory, a place inside it or a
//! place holding it; a card naming no sector or size serves them all). The
//! directory tests check that every count shown is the number of results
//! behind its link, on both databases.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use super::bits::{all_of, Bits};

use super::postings::{Postings, MAX_POSITION};
use super::public::{Facet, Facets, Hit, SearchQuery};
use crate::business::model::SIZE_BANDS;
use sqlx::Row;

use crate::db::{dialect, Db};
use crate::i18n::{Locale, Tr};
use crate::kept::{Kept, Reading, Source};

mod filter;
pub use filter::search;

/// What a page of results and a plan need of one published card.
struct CardFacts {
    id: i64,
    remote: bool,
    /// Indexes into [`Snapshot::themes`].
    themes: Vec<usize>,
    /// Territory codes the card names, as indexes into [`Snapshot::code_at`].
    areas: Vec<u32>,
}

/// The cards (as bit sets of positions) behind each value a search can be
/// filtered on and counted by.
struct Sets {
    remote: Bits,
    /// Per theme, as in [`Snapshot::themes`].
    themes: Vec<Bits>,
    /// Per department or province, as in [`Snapshot::departments`]: the
    /// cards not working remotely whose areas are in it, hold it or are it.
    departments: Vec<Bits>,
    /// Per sector code, and the cards naming none (they serve every sector).
    sectors: HashMap<String, Bits>,
    no_sector: Bits,
    /// Per size band, and the cards naming none.
    sizes: HashMap<String, Bits>,
    no_size: Bits,
    /// Per territory, the cards naming it or a place inside it, by position.
    within: HashMap<Box<str>, Vec<u32>>,
    /// Per territory, the cards naming exactly it, by position.
    named: HashMap<Box<str>, Vec<u32>>,
}

/// The order of the day: card positions in the neutral order of one seed,
/// and each position's rank in it.
struct Order {
    seed: i64,
    by_rank: Vec<u32>,
    rank: Vec<u32>,
}

/// What a results page shows of a card, so that a page of results is
/// answered from memory (its name is in [`Snapshot::names`]).
struct CardView {
    /// Kinds and places are shared between the cards naming the same one.
    kind: Arc<str>,
    /// The description's first 220 characters, with "…" when cut.
    excerpt: Box<str>,
    /// The commune's name in French and in English, else the town as typed.
    place_fr: Arc<str>,
    place_en: Option<Arc<str>>,
    has_logo: bool,
    updated_at: i64,
    confirmed_at: i64,
}

/// Characters of a description shown in the results.
const EXCERPT_CHARS: usize = 220;

/// Every published card's facts, with the labels counts are shown with.
pub struct Snapshot {
    cards: Vec<CardFacts>,
    /// slug, French title, English title.
    themes: Vec<(String, String, String)>,
    /// code, French name, English name; departments and provinces.
    departments: Vec<(String, String, String)>,
    /// Sector codes named by any card, with their French and English names.
    sectors: Vec<(String, String, String)>,
    /// Parent of each territory.
    parents: HashMap<String, Option<String>>,
    /// Every territory code cards name, once, with the index cards hold for it.
    code_at: HashMap<String, u32>,
    /// The cards behind each filter value.
    sets: Sets,
    /// The neutral order of the latest day asked for.
    order: std::sync::Mutex<Option<Arc<Order>>>,
    /// Search terms → the cards (positions in `cards`) holding them.
    postings: Postings,
    /// Card names, by position (for the providers of an action plan).
    names: Vec<Box<str>>,
    /// What a results page shows of each card besides its name, by position.
    views: Vec<CardView>,
    /// The programme's synonyms, which widen a search's words.
    synonyms: Arc<super::synonyms::Synonyms>,
    /// Per theme (as in `themes`), the positions of its cards by name, then id.
    by_name_in_theme: Vec<Vec<u32>>,
}

impl Snapshot {
    pub(super) fn code(&self, code: &str) -> Option<u32> {
        self.code_at.get(code).copied()
    }

    /// Index of the theme `slug`.
    pub(super) fn theme_index(&self, slug: &str) -> Option<usize> {
        self.themes.iter().position(|(s, _, _)| s == slug)
    }

    /// The cards of a theme, by name then id.
    pub(super) fn by_name_in_theme(&self, theme: usize) -> &[u32] {
        self.by_name_in_theme
            .get(theme)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The card's id, whether it works remotely and the codes of its areas.
    pub(super) fn card(&self, at: u32) -> (i64, bool, &[u32]) {
        let c = &self.cards[at as usize];
        (c.id, c.remote, &c.areas)
    }

    /// The variants of a search's words with the synonyms in force.
    fn variants(&self, terms: &[String]) -> Vec<Vec<String>> {
        if terms.is_empty() {
            return vec![];
        }
        self.synonyms.expand(terms)
    }

    /// The card's name.
    pub(super) fn name(&self, at: u32) -> &str {
        &self.names[at as usize]
    }

    /// The card at position `at` as a results page shows it (up to six of
    /// its themes, by title in `lang`).
    fn hit(&self, at: u32, lang: &str, now: i64) -> Hit {
        let (card, view) = (&self.cards[at as usize], &self.views[at as usize]);
        let en = lang == "en";
        let mut themes: Vec<String> = card
            .themes
            .iter()
            .filter_map(|t| self.themes.get(*t))
            .map(|(_, fr, english)| if en { english } else { fr }.clone())
            .collect();
        themes.sort_unstable();
        themes.truncate(6);
        let place = match (&view.place_en, en) {
            (Some(english), true) => english,
            _ => &view.place_fr,
        };
        Hit {
            id: card.id,
            name: self.names[at as usize].to_string(),
            kind: view.kind.to_string(),
            place: place.to_string(),
            remote: card.remote,
            excerpt: view.excerpt.to_string(),
            themes,
            has_logo: view.has_logo,
            updated_at: view.updated_at,
            stale: now - view.confirmed_at > super::model::CONFIRM_EVERY_MS,
        }
    }

    /// The neutral order of the day `seed` (computed once a day per snapshot).
    fn order(&self, seed: i64) -> Arc<Order> {
        let mut kept = self.order.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(order) = kept.as_ref().filter(|o| o.seed == seed) {
            return order.clone();
        }
        let mut by_rank: Vec<u32> = (0..self.cards.len() as u32).collect();
        by_rank
            .sort_by_cached_key(|&at| super::search::neutral_key(self.cards[at as usize].id, seed));
        let mut rank = vec![0u32; by_rank.len()];
        for (r, &at) in by_rank.iter().enumerate() {
            rank[at as usize] = r as u32;
        }
        let order = Arc::new(Order {
            seed,
            by_rank,
            rank,
        });
        *kept = Some(order.clone());
        order
    }
}

/// The snapshot of the state's database, held by the state (see `cache.rs`
/// and `kept.rs`).
pub type Snapshots = Kept<Snapshot>;

/// A snapshot is read again at least this often, whatever the fingerprint
/// says (clocks of several servers may disagree).
const REREAD_AFTER: Duration = Duration::from_secs(600);

/// Checked every search cache lifetime, read again every ten minutes.
impl Default for Snapshots {
    fn default() -> Snapshots {
        Kept::new(super::public::SEARCH_TTL, REREAD_AFTER)
    }
}

impl Source for Snapshot {
    const NAME: &'static str = "directory cards";

    /// Changes to the published cards show here: a card added or removed
    /// changes the count, an edit or a status change the latest update
    /// time, a confirmation the latest confirmation time, a publication or
    /// withdrawal the sum of published ids; a new list of synonyms its time
    /// and length.
    fn fingerprint(db: Db) -> Reading<Vec<i64>> {
        Box::pin(async move {
            let (n, at, confirmed, ids, synonyms): (i64, i64, i64, i64, i64) = sqlx::query_as(
                "SELECT COUNT(*), COALESCE(MAX(updated_at), 0), COALESCE(MAX(confirmed_at), 0), \
                 CAST(COALESCE(SUM(CASE WHEN status = 'published' THEN id ELSE 0 END), 0) AS BIGINT), \
                 (SELECT CAST(COALESCE(MAX(updated_at), 0) + COALESCE(MAX(LENGTH(body)), 0) AS BIGINT) \
                 FROM directory_synonyms) FROM providers",
            )
            .fetch_one(&db.pool)
            .await?;
            Ok(vec![n, at, confirmed, ids, synonyms])
        })
    }

    fn load(db: Db) -> Reading<Snapshot> {
        Box::pin(async move { load(&db).await })
    }

    /// Cards (the read's log line gives them).
    fn items(&self) -> usize {
        self.cards.len()
    }
}

/// Read the snapshot now (at start-up), so that the first search does not
/// wait for it.
pub async fn warm(db: Db, snaps: Arc<Snapshots>) {
    if let Err(e) = snaps.get(&db).await {
        tracing::warn!(error = %e, "directory snapshot: first read failed");
    }
}

impl Snapshot {
    /// A territory and its ancestors, nearest first (as
    /// `guides::store::with_ancestors` reads them); `None` when the territory
    /// is not in the snapshot (added since it was read).
    pub fn with_ancestors(&self, code: &str) -> Option<Vec<String>> {
        self.parents.contains_key(code).then(|| {
            ancestors(&self.parents, code)
                .into_iter()
                .map(str::to_string)
                .collect()
        })
    }
}

/// A territory and its ancestors, nearest first.
fn ancestors<'a>(parents: &'a HashMap<String, Option<String>>, code: &'a str) -> Vec<&'a str> {
    let mut out = vec![code];
    let mut cur = code;
    for _ in 0..8 {
        match parents.get(cur).and_then(|p| p.as_deref()) {
            Some(p) => {
                out.push(p);
                cur = p;
            }
            None => break,
        }
    }
    out
}

/// `text` as held in `strings`, added when new.
fn shared(strings: &mut HashSet<Arc<str>>, text: &str) -> Arc<str> {
    if let Some(held) = strings.get(text) {
        return held.clone();
    }
    let held: Arc<str> = text.into();
    strings.insert(held.clone());
    held
}

async fn load(db: &Db) -> Result<Snapshot, sqlx::Error> {
    let synonyms = super::synonyms::current(db).await?;
    let list = |expr: &str, table: &str| {
        format!(
            "(SELECT {} FROM {table} x WHERE x.provider_id = p.id)",
            dialect::group_list(db.backend, expr)
        )
    };
    let themes: Vec<(i64, String, String, String)> =
        sqlx::query_as("SELECT id, slug, title_fr, title_en FROM themes ORDER BY id")
            .fetch_all(&db.pool)
            .await?;
    let tree: Vec<(String, Option<String>, String, String, String)> =
        sqlx::query_as("SELECT code, parent_code, level, name_fr, name_en FROM territories")
            .fetch_all(&db.pool)
            .await?;
    let sectors: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT code, name_fr, name_en FROM sectors WHERE code IN (SELECT DISTINCT sector_code FROM provider_sectors)",
    )
    .fetch_all(&db.pool)
    .await?;

    let parents: HashMap<String, Option<String>> = tree
        .iter()
        .map(|(c, p, _, _, _)| (c.clone(), p.clone()))
        .collect();
    let departments: Vec<(String, String, String)> = tree
        .iter()
        .filter(|(_, _, level, _, _)| level == "department" || level == "province")
        .map(|(c, _, _, fr, en)| (c.clone(), fr.clone(), en.clone()))
        .collect();
    // The departments an area touches: those holding it or being it, and
    // those it holds (a region serves each of its departments).
    let dept_index: HashMap<&str, usize> = departments
        .iter()
        .enumerate()
        .map(|(i, (c, _, _))| (c.as_str(), i))
        .collect();
    let mut touched: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (code, _, _)) in departments.iter().enumerate() {
        for a in ancestors(&parents, code).into_iter().skip(1) {
            touched.entry(a).or_default().push(i);
        }
    }
    let departments_of = |area: &str| -> Vec<usize> {
        let mut out: Vec<usize> = ancestors(&parents, area)
            .into_iter()
            .filter_map(|a| dept_index.get(a).copied())
            .collect();
        if let Some(below) = touched.get(area) {
            out.extend(below);
        }
        out
    };

    let theme_index: HashMap<i64, usize> = themes
        .iter()
        .enumerate()
        .map(|(i, (id, _, _, _))| (*id, i))
        .collect();
    let split = |r: &sqlx::any::AnyRow, col: &str| -> Vec<String> {
        crate::db::opt_text(r, col)
            .map(|s| {
                s.split(',')
                    .filter(|v| !v.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut code_at: HashMap<String, u32> = HashMap::new();
    let mut intern = |list: Vec<String>| -> Vec<u32> {
        list.into_iter()
            .map(|c| {
                let next = code_at.len() as u32;
                *code_at.entry(c).or_insert(next)
            })
            .collect()
    };
    // One row per card, its search terms as "term:weight" items (terms are
    // letters and digits only), streamed: nothing but the snapshot is kept.
    use futures_util::TryStreamExt;
    let sql = format!(
        "SELECT p.id, p.name, p.remote, p.kind, p.description, p.town, p.commune_code, \
         CAST(CASE WHEN p.logo_mime IS NULL THEN 0 ELSE 1 END AS BIGINT) AS has_logo, p.updated_at, p.confirmed_at, \
         {} AS themes, {} AS sectors, {} AS sizes, {} AS areas, {} AS terms \
         FROM providers p WHERE p.status = 'published' ORDER BY p.id",
        list("x.theme_id", "provider_themes"),
        list("x.sector_code", "provider_sectors"),
        list("x.size_band", "provider_sizes"),
        list("x.territory_code", "provider_territories"),
        list("x.term || ':' || CAST(x.weight AS TEXT)", "provider_terms"),
    );
    let mut rows = sqlx::query(&sql).fetch(&db.pool);
    let mut facts: Vec<CardFacts> = vec![];
    let mut names: Vec<Box<str>> = vec![];
    let mut views: Vec<CardView> = vec![];
    // Kinds and places, once each (20,000 cards name a few hundred).
    let mut strings: HashSet<Arc<str>> = HashSet::new();
    let place_names: HashMap<&str, (&str, &str)> = tree
        .iter()
        .map(|(c, _, _, fr, en)| (c.as_str(), (fr.as_str(), en.as_str())))
        .collect();
    let mut postings = Postings::default();
    let mut remote_cards: Vec<u32> = vec![];
    let mut department_lists: Vec<Vec<u32>> = vec![vec![]; departments.len()];
    let mut named: HashMap<Box<str>, Vec<u32>> = HashMap::new();
    let mut within: HashMap<Box<str>, Vec<u32>> = HashMap::new();
    let (mut sector_lists, mut no_sector) = (HashMap::<String, Vec<u32>>::new(), vec![]);
    let (mut size_lists, mut no_size) = (HashMap::<String, Vec<u32>>::new(), vec![]);
    while let Some(r) = rows.try_next().await? {
        if facts.len() as u64 > MAX_POSITION as u64 {
            return Err(sqlx::Error::Protocol("too many directory cards".into()));
        }
        let position = facts.len() as u32;
        if let Some(terms) = crate::db::opt_text(&r, "terms") {
            for item in terms.split(',') {
                if let Some((term, weight)) = item.rsplit_once(':') {
                    postings.add(term, position, weight.parse().unwrap_or(1));
                }
            }
        }
        let areas = split(&r, "areas");
        let remote = r.get::<i64, _>("remote") == 1;
        if !remote {
            let mut touched: Vec<usize> = areas.iter().flat_map(|a| departments_of(a)).collect();
            touched.sort_unstable();
            touched.dedup();
            for d in touched {
                department_lists[d].push(position);
            }
        }
        for a in &areas {
            named.entry(a.as_str().into()).or_default().push(position);
            for x in ancestors(&parents, a) {
                within.entry(x.into()).or_default().push(position);
            }
        }
        let sectors = split(&r, "sectors");
        if sectors.is_empty() {
            no_sector.push(position);
        }
        for c in sectors {
            sector_lists.entry(c).or_default().push(position);
        }
        let sizes = split(&r, "sizes");
        if sizes.is_empty() {
            no_size.push(position);
        }
        for c in sizes {
            size_lists.entry(c).or_default().push(position);
        }
        names.push(r.get::<String, _>("name").into_boxed_str());
        let description: String = r.get("description");
        let mut excerpt: String = description.chars().take(EXCERPT_CHARS).collect();
        if excerpt.len() < description.len() {
            excerpt.push('…');
        }
        let commune = crate::db::opt_text(&r, "commune_code")
            .and_then(|c| place_names.get(c.as_str()).copied());
        views.push(CardView {
            kind: shared(&mut strings, &r.get::<String, _>("kind")),
            excerpt: excerpt.into_boxed_str(),
            place_fr: match commune {
                Some((fr, _)) => shared(&mut strings, fr),
                None => shared(&mut strings, &r.get::<String, _>("town")),
            },
            place_en: commune
                .filter(|(fr, en)| fr != en)
                .map(|(_, en)| shared(&mut strings, en)),
            has_logo: r.get::<i64, _>("has_logo") == 1,
            updated_at: r.get("updated_at"),
            confirmed_at: r.get("confirmed_at"),
        });
        if remote {
            remote_cards.push(position);
        }
        facts.push(CardFacts {
            id: r.get("id"),
            remote,
            themes: split(&r, "themes")
                .iter()
                .filter_map(|t| t.parse::<i64>().ok())
                .filter_map(|t| theme_index.get(&t).copied())
                .collect(),
            areas: intern(areas),
        });
    }
    drop(rows);
    facts.shrink_to_fit();
    names.shrink_to_fit();
    views.shrink_to_fit();
    postings.finish();
    let mut by_name_in_theme: Vec<Vec<u32>> = vec![vec![]; themes.len()];
    for (at, card) in facts.iter().enumerate() {
        for &t in &card.themes {
            by_name_in_theme[t].push(at as u32);
        }
    }
    let n = facts.len();
    let bits = |list: Vec<u32>| Bits::of(n, list);
    let bits_of = |lists: HashMap<String, Vec<u32>>| -> HashMap<String, Bits> {
        lists.into_iter().map(|(k, v)| (k, bits(v))).collect()
    };
    let finish = |mut lists: HashMap<Box<str>, Vec<u32>>| {
        for list in lists.values_mut() {
            list.dedup();
            list.shrink_to_fit();
        }
        lists.shrink_to_fit();
        lists
    };
    let sets = Sets {
        remote: bits(remote_cards),
        themes: by_name_in_theme.iter().map(|l| bits(l.clone())).collect(),
        departments: department_lists.into_iter().map(bits).collect(),
        sectors: bits_of(sector_lists),
        no_sector: bits(no_sector),
        sizes: bits_of(size_lists),
        no_size: bits(no_size),
        within: finish(within),
        named: finish(named),
    };
    for list in &mut by_name_in_theme {
        list.sort_unstable_by(|a, b| {
            let (a, b) = (*a as usize, *b as usize);
            (&names[a], facts[a].id).cmp(&(&names[b], facts[b].id))
        });
        list.shrink_to_fit();
    }
    Ok(Snapshot {
        cards: facts,
        themes: themes
            .into_iter()
            .map(|(_, slug, fr, en)| (slug, fr, en))
            .collect(),
        departments,
        sectors,
        parents,
        code_at,
        sets,
        order: Default::default(),
        postings,
        names,
        views,
        synonyms,
        by_name_in_theme,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestors_walk_up_to_the_root() {
        let parents: HashMap<String, Option<String>> = [
            ("FR", None),
            ("FR-R75", Some("FR")),
            ("FR-D33", Some("FR-R75")),
            ("FR-C33063", Some("FR-D33")),
        ]
        .into_iter()
        .map(|(c, p)| (c.to_string(), p.map(str::to_string)))
        .collect();
        assert_eq!(
            ancestors(&parents, "FR-C33063"),
            vec!["FR-C33063", "FR-D33", "FR-R75", "FR"]
        );
        assert_eq!(ancestors(&parents, "XX"), vec!["XX"]);
    }
}
