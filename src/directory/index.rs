//! Directory searches in memory: which cards match, in which order, and the
//! counts per filter value.
//!
//! What searching and counting need of every published card (its search
//! terms, themes, sectors, sizes, the departments its areas touch, whether
//! it works remotely) is read once into a [`Snapshot`] (one row per card,
//! and an inverted index of `provider_terms`, see `postings.rs`). A change made on this server drops
//! it with the search caches, so the next search reads it again. Changes made
//! on other servers are caught by a cheap fingerprint of the cards, compared
//! in the background every 30 s: only a different one (or a snapshot ten
//! minutes old) reads the cards again, and searches keep using the current
//! snapshot meanwhile, so a reload never makes a search wait. A
//! search then costs no query at all: the intersection of its words'
//! posting lists (every card without words) and a pass over those cards
//! for the filters, the order and the counts. The rules are those of the SQL filters in `public::filters`; the
//! directory tests check that every count shown is the number of results
//! behind its link, on both databases.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use super::postings::{Postings, MAX_POSITION};
use super::public::{Facet, Facets, Hit, SearchQuery};
use crate::business::model::SIZE_BANDS;
use sqlx::Row;

use crate::db::{dialect, Db};
use crate::i18n::{Locale, Tr};
use crate::kept::{Kept, Reading, Source};

/// What the counts need of one published card.
struct CardFacts {
    id: i64,
    remote: bool,
    /// Indexes into [`Snapshot::themes`].
    themes: Vec<usize>,
    /// Sector codes, size bands and territory codes the card names, as
    /// indexes into [`Snapshot::codes`].
    sectors: Vec<u32>,
    sizes: Vec<u32>,
    areas: Vec<u32>,
    /// Indexes into [`Snapshot::departments`] of the departments (or
    /// provinces) its areas are in, hold, or are.
    departments: Vec<usize>,
}

/// What a results page shows of a card, so that a page of results is
/// answered from memory (its name is in [`Snapshot::names`]).
struct CardView {
    kind: Box<str>,
    /// The description's first 220 characters, with "…" when cut.
    excerpt: Box<str>,
    /// The commune's name in French and in English, else the town as typed.
    place_fr: Box<str>,
    place_en: Option<Box<str>>,
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
    /// Parent of each territory, and the territories directly inside each.
    parents: HashMap<String, Option<String>>,
    children: HashMap<String, Vec<String>>,
    /// Every code cards name, once, with the index cards hold for it.
    code_at: HashMap<String, u32>,
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

    /// The published card `id` as a results page shows it (up to six of
    /// its themes, by title in `lang`); `None` once it is no longer published.
    pub(super) fn hit(&self, id: i64, lang: &str, now: i64) -> Option<Hit> {
        let at = self.cards.binary_search_by_key(&id, |c| c.id).ok()?;
        let (card, view) = (&self.cards[at], &self.views[at]);
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
        Some(Hit {
            id,
            name: self.names[at].to_string(),
            kind: view.kind.to_string(),
            place: place.to_string(),
            remote: card.remote,
            excerpt: view.excerpt.to_string(),
            themes,
            has_logo: view.has_logo,
            updated_at: view.updated_at,
            stale: now - view.confirmed_at > super::model::CONFIRM_EVERY_MS,
        })
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
        Box::pin(async move {
            let snap = load(&db).await?;
            let (terms, postings) = snap.postings.size();
            tracing::info!(
                cards = snap.cards.len(),
                terms,
                postings,
                "directory snapshot read"
            );
            Ok(snap)
        })
    }

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
    let mut children: HashMap<String, Vec<String>> = HashMap::new();
    for (code, parent, _, _, _) in &tree {
        if let Some(p) = parent {
            children.entry(p.clone()).or_default().push(code.clone());
        }
    }
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
    let place_names: HashMap<&str, (&str, &str)> = tree
        .iter()
        .map(|(c, _, _, fr, en)| (c.as_str(), (fr.as_str(), en.as_str())))
        .collect();
    let mut postings = Postings::default();
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
        let mut departments: Vec<usize> = areas.iter().flat_map(|a| departments_of(a)).collect();
        departments.sort_unstable();
        departments.dedup();
        names.push(r.get::<String, _>("name").into_boxed_str());
        let description: String = r.get("description");
        let mut excerpt: String = description.chars().take(EXCERPT_CHARS).collect();
        if excerpt.len() < description.len() {
            excerpt.push('…');
        }
        let commune = crate::db::opt_text(&r, "commune_code")
            .and_then(|c| place_names.get(c.as_str()).copied());
        views.push(CardView {
            kind: r.get::<String, _>("kind").into_boxed_str(),
            excerpt: excerpt.into_boxed_str(),
            place_fr: match commune {
                Some((fr, _)) => fr.into(),
                None => r.get::<String, _>("town").into_boxed_str(),
            },
            place_en: commune.filter(|(fr, en)| fr != en).map(|(_, en)| en.into()),
            has_logo: r.get::<i64, _>("has_logo") == 1,
            updated_at: r.get("updated_at"),
            confirmed_at: r.get("confirmed_at"),
        });
        facts.push(CardFacts {
            id: r.get("id"),
            remote: r.get::<i64, _>("remote") == 1,
            themes: split(&r, "themes")
                .iter()
                .filter_map(|t| t.parse::<i64>().ok())
                .filter_map(|t| theme_index.get(&t).copied())
                .collect(),
            sectors: intern(split(&r, "sectors")),
            sizes: intern(split(&r, "sizes")),
            areas: intern(areas),
            departments,
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
        children,
        parents,
        code_at,
        postings,
        names,
        views,
        synonyms,
        by_name_in_theme,
    })
}

/// Which filters a card holding the search's words passes.
struct Passes {
    theme: bool,
    territory: bool,
    sector: bool,
    size: bool,
}

impl Passes {
    /// Passes every filter except `skip`.
    fn all_but(&self, skip: &str) -> bool {
        (skip == "theme" || self.theme)
            && (skip == "territory" || self.territory)
            && (skip == "sector" || self.sector)
            && (skip == "size" || self.size)
    }
}

/// The cards a search considers, by position in the snapshot, with their
/// relevance (the summed weight of its words): those holding every word of
/// one of the search's variants with synonyms (`super::synonyms`; the best
/// variant's weight counts), or every card (relevance 0) when the search has
/// no words.
fn candidates(snap: &Snapshot, variants: &[Vec<String>]) -> Vec<(u32, i64)> {
    match variants {
        [] => (0..snap.cards.len() as u32).map(|i| (i, 0)).collect(),
        [only] => snap.postings.matching(only),
        many => {
            let mut found: HashMap<u32, i64> = HashMap::new();
            for variant in many {
                for (at, weight) in snap.postings.matching(variant) {
                    let best = found.entry(at).or_insert(weight);
                    *best = (*best).max(weight);
                }
            }
            let mut out: Vec<(u32, i64)> = found.into_iter().collect();
            out.sort_unstable();
            out
        }
    }
}

/// A search's filters, resolved against a snapshot.
struct Filter<'a> {
    q: &'a SearchQuery,
    theme: Option<usize>,
    /// The area chosen, the places inside it and the areas holding it.
    area: HashSet<u32>,
    sector: Option<u32>,
    size: Option<u32>,
}

impl<'a> Filter<'a> {
    fn new(snap: &'a Snapshot, q: &'a SearchQuery) -> Filter<'a> {
        let theme = snap.themes.iter().position(|(slug, _, _)| *slug == q.theme);
        let mut area: HashSet<&str> = HashSet::new();
        if snap.parents.contains_key(&q.territory) {
            area.extend(ancestors(&snap.parents, &q.territory));
            let mut stack = vec![q.territory.as_str()];
            while let Some(c) = stack.pop() {
                area.insert(c);
                if let Some(kids) = snap.children.get(c) {
                    stack.extend(
                        kids.iter()
                            .map(String::as_str)
                            .filter(|k| !area.contains(k)),
                    );
                }
            }
        }
        Filter {
            q,
            theme,
            area: area.into_iter().filter_map(|c| snap.code(c)).collect(),
            sector: snap.code(&q.sector),
            size: snap.code(&q.size),
        }
    }

    /// What `card`, which holds every word of the search, passes.
    fn passes(&self, card: &CardFacts) -> Passes {
        let q = self.q;
        Passes {
            theme: q.theme.is_empty() || self.theme.is_some_and(|t| card.themes.contains(&t)),
            territory: q.territory.is_empty()
                || card.remote
                || card.areas.iter().any(|a| self.area.contains(a)),
            sector: q.sector.is_empty()
                || card.sectors.is_empty()
                || self.sector.is_some_and(|s| card.sectors.contains(&s)),
            size: q.size.is_empty()
                || card.sizes.is_empty()
                || self.size.is_some_and(|s| card.sizes.contains(&s)),
        }
    }
}

/// The ids of one page of results of `q` (most relevant first, then in the
/// neutral order of the day `seed`) and the number of results.
pub async fn page(
    db: &Db,
    snaps: &Arc<Snapshots>,
    q: &SearchQuery,
    terms: &[String],
    seed: i64,
    page: i64,
    page_size: i64,
) -> Result<(Vec<i64>, i64), sqlx::Error> {
    let snap = snaps.get(db).await?;
    let variants = snap.variants(terms);
    Ok(page_of(&snap, q, &variants, seed, page, page_size))
}

/// [`page`] over a snapshot.
fn page_of(
    snap: &Snapshot,
    q: &SearchQuery,
    variants: &[Vec<String>],
    seed: i64,
    page: i64,
    page_size: i64,
) -> (Vec<i64>, i64) {
    let filter = Filter::new(snap, q);
    let mut found: Vec<(std::cmp::Reverse<i64>, (i64, i64))> = candidates(snap, variants)
        .into_iter()
        .map(|(at, score)| (&snap.cards[at as usize], score))
        .filter(|(card, _)| filter.passes(card).all_but(""))
        .map(|(card, score)| {
            (
                std::cmp::Reverse(score),
                super::search::neutral_key(card.id, seed),
            )
        })
        .collect();
    let total = found.len() as i64;
    let start = ((page.max(1) - 1) * page_size) as usize;
    let end = (start + page_size as usize).min(found.len());
    if start >= found.len() {
        return (vec![], total);
    }
    found.select_nth_unstable(end - 1);
    found[..end].sort_unstable();
    (
        found[start..end].iter().map(|(_, (_, id))| *id).collect(),
        total,
    )
}

/// Counts per theme, department, sector and size for the search `q` whose
/// words gave `terms`; each count leaves out its own filter.
pub async fn count(
    db: &Db,
    snaps: &Arc<Snapshots>,
    q: &SearchQuery,
    terms: &[String],
    lang: &str,
) -> Result<Facets, sqlx::Error> {
    let snap = snaps.get(db).await?;
    let variants = snap.variants(terms);
    Ok(count_of(&snap, q, &variants, lang))
}

/// [`count`] over a snapshot.
fn count_of(snap: &Snapshot, q: &SearchQuery, variants: &[Vec<String>], lang: &str) -> Facets {
    let en = lang == "en";
    let filter = Filter::new(snap, q);
    let mut themes = vec![0i64; snap.themes.len()];
    let mut departments = vec![0i64; snap.departments.len()];
    let mut remote_for_departments = 0i64;
    // Indexed by code (see `Snapshot::code_at`).
    let mut sectors = vec![0i64; snap.code_at.len()];
    let mut sectors_generic = 0i64;
    let mut sizes = vec![0i64; snap.code_at.len()];
    let mut sizes_generic = 0i64;
    for (at, _) in candidates(snap, variants) {
        let card = &snap.cards[at as usize];
        let passes = filter.passes(card);
        if passes.all_but("theme") {
            for &t in &card.themes {
                themes[t] += 1;
            }
        }
        if passes.all_but("territory") {
            if card.remote {
                remote_for_departments += 1;
            } else {
                for &d in &card.departments {
                    departments[d] += 1;
                }
            }
        }
        if passes.all_but("sector") {
            if card.sectors.is_empty() {
                sectors_generic += 1;
            }
            for &s in &card.sectors {
                sectors[s as usize] += 1;
            }
        }
        if passes.all_but("size") {
            if card.sizes.is_empty() {
                sizes_generic += 1;
            }
            for &s in &card.sizes {
                sizes[s as usize] += 1;
            }
        }
    }

    let mut theme_facets: Vec<Facet> = snap
        .themes
        .iter()
        .zip(&themes)
        .filter(|(_, n)| **n > 0)
        .map(|((slug, fr, en_title), n)| Facet {
            value: slug.clone(),
            label: if en { en_title.clone() } else { fr.clone() },
            count: *n,
        })
        .collect();
    theme_facets.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    // A department shows when a card serves it locally; remote cards add to
    // every department.
    let mut territory_facets: Vec<Facet> = snap
        .departments
        .iter()
        .zip(&departments)
        .filter(|(_, n)| **n > 0)
        .map(|((code, fr, en_name), n)| Facet {
            value: code.clone(),
            label: if en { en_name.clone() } else { fr.clone() },
            count: n + remote_for_departments,
        })
        .collect();
    territory_facets.sort_by(|a, b| a.label.cmp(&b.label));
    let sector_facets: Vec<Facet> = snap
        .sectors
        .iter()
        .map(|(code, fr, en_name)| Facet {
            count: snap.code(code).map(|i| sectors[i as usize]).unwrap_or(0) + sectors_generic,
            label: format!("{code} — {}", if en { en_name } else { fr }),
            value: code.clone(),
        })
        .filter(|f| f.count > 0)
        .collect();
    let mut sector_facets = sector_facets;
    sector_facets.sort_by(|a, b| a.value.cmp(&b.value));
    let tr = Tr(Locale::from_tag(lang).unwrap_or(Locale::Fr));
    let size_facets: Vec<Facet> = SIZE_BANDS
        .iter()
        .map(|b| Facet {
            value: b.to_string(),
            label: tr.code("business-size-", b),
            count: snap.code(b).map(|i| sizes[i as usize]).unwrap_or(0) + sizes_generic,
        })
        .filter(|f| f.count > 0)
        .collect();
    Facets {
        themes: theme_facets,
        territories: territory_facets,
        sectors: sector_facets,
        sizes: size_facets,
    }
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
