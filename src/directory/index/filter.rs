//! A search computed over a [`Snapshot`]: the cards holding its words, the
//! bit sets of its filters, one page of results in order, and the counts
//! per filter value.

use super::*;

/// The cards a search considers, by position in the snapshot, with their
/// relevance (the summed weight of its words): those holding every word of
/// one of the search's variants with synonyms (`super::synonyms`; the best
/// variant's weight counts). `None` when the search has no words (every
/// card, relevance 0).
fn candidates(snap: &Snapshot, variants: &[Vec<String>]) -> Option<Vec<(u32, i64)>> {
    match variants {
        [] => None,
        [only] => Some(snap.postings.matching(only)),
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
            Some(out)
        }
    }
}

/// The filters a search can have, in the order of [`Filter::sets`].
const THEME: usize = 0;
const TERRITORY: usize = 1;
const SECTOR: usize = 2;
const SIZE: usize = 3;

/// A search resolved against a snapshot: the cards holding its words, and
/// the cards passing each of its filters (`None`: no such filter).
struct Filter {
    len: usize,
    words: Option<Bits>,
    sets: [Option<Bits>; 4],
}

impl Filter {
    fn new(snap: &Snapshot, q: &SearchQuery, candidates: Option<&[(u32, i64)]>) -> Filter {
        let len = snap.cards.len();
        let sets = &snap.sets;
        let theme = (!q.theme.is_empty()).then(|| {
            snap.theme_index(&q.theme)
                .map(|t| sets.themes[t].clone())
                .unwrap_or_else(|| Bits::none(len))
        });
        // A card passes a territory when it works remotely, or names the
        // territory, a place inside it or a place holding it.
        let territory = (!q.territory.is_empty()).then(|| {
            let mut pass = sets.remote.clone();
            if snap.parents.contains_key(&q.territory) {
                fn list<'a>(code: &str, lists: &'a HashMap<Box<str>, Vec<u32>>) -> &'a [u32] {
                    lists.get(code).map(Vec::as_slice).unwrap_or(&[])
                }
                let inside = list(&q.territory, &sets.within);
                let above = ancestors(&snap.parents, &q.territory)
                    .into_iter()
                    .skip(1)
                    .flat_map(|a| list(a, &sets.named));
                for &at in inside.iter().chain(above) {
                    pass.insert(at);
                }
            }
            pass
        });
        // Cards naming no sector (no size) serve every one.
        let open = |value: &str, by: &HashMap<String, Bits>, none: &Bits| {
            (!value.is_empty()).then(|| {
                let mut pass = none.clone();
                if let Some(cards) = by.get(value) {
                    pass.or(cards);
                }
                pass
            })
        };
        Filter {
            len,
            words: candidates.map(|c| Bits::of(len, c.iter().map(|(at, _)| *at))),
            sets: [
                theme,
                territory,
                open(&q.sector, &sets.sectors, &sets.no_sector),
                open(&q.size, &sets.sizes, &sets.no_size),
            ],
        }
    }

    /// The cards holding the words and passing every filter but `skip`
    /// (`usize::MAX`: every filter).
    fn all_but(&self, skip: usize) -> Bits {
        let others = self
            .sets
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .filter_map(|(_, s)| s.as_ref());
        all_of(self.len, self.words.iter().chain(others))
    }
}

/// A search: one page of its results (most relevant first, then in the
/// neutral order of the day `seed`) as the page shows them in `lang`, the
/// number of results, and the counts per theme, department, sector and size
/// (each count leaving out its own filter).
pub async fn search(
    db: &Db,
    snaps: &Arc<Snapshots>,
    q: &SearchQuery,
    terms: &[String],
    seed: i64,
    page_size: i64,
    lang: &str,
) -> Result<(Vec<Hit>, i64, Facets), sqlx::Error> {
    let snap = snaps.get(db).await?;
    let variants = snap.variants(terms);
    let found = candidates(&snap, &variants);
    let filter = Filter::new(&snap, q, found.as_deref());
    let page = q.page.unwrap_or(1);
    let (positions, total) = page_of(&snap, &filter, found, seed, page, page_size);
    let now = crate::db::now_ms();
    let hits = positions
        .into_iter()
        .map(|at| snap.hit(at, lang, now))
        .collect();
    Ok((hits, total, count_of(&snap, &filter, lang)))
}

/// The positions of a page of results, and the number of results.
fn page_of(
    snap: &Snapshot,
    filter: &Filter,
    found: Option<Vec<(u32, i64)>>,
    seed: i64,
    page: i64,
    page_size: i64,
) -> (Vec<u32>, i64) {
    let pass = filter.all_but(usize::MAX);
    let total = pass.count();
    let start = ((page.max(1) - 1) * page_size) as usize;
    let end = (start + page_size as usize).min(total as usize);
    if start >= end {
        return (vec![], total);
    }
    let order = snap.order(seed);
    let Some(found) = found else {
        // No words: the day's order, filtered.
        let positions = order
            .by_rank
            .iter()
            .copied()
            .filter(|at| pass.contains(*at))
            .skip(start)
            .take(end - start)
            .collect();
        return (positions, total);
    };
    let mut ranked: Vec<(std::cmp::Reverse<i64>, u32, u32)> = found
        .into_iter()
        .filter(|(at, _)| pass.contains(*at))
        .map(|(at, score)| (std::cmp::Reverse(score), order.rank[at as usize], at))
        .collect();
    ranked.select_nth_unstable(end - 1);
    ranked[..end].sort_unstable();
    (
        ranked[start..end].iter().map(|(_, _, at)| *at).collect(),
        total,
    )
}

/// The facets of labelled values (value, French, English) that count at
/// least one card of their own, each counting `extra` more, labelled in the
/// page's language.
fn shown(labels: &[(String, String, String)], counts: &[i64], extra: i64, en: bool) -> Vec<Facet> {
    labels
        .iter()
        .zip(counts)
        .filter(|(_, n)| **n > 0)
        .map(|((value, fr, en_label), n)| Facet {
            value: value.clone(),
            label: if en { en_label } else { fr }.clone(),
            count: n + extra,
        })
        .collect()
}

/// The counts of a search: per theme, department, sector and size band,
/// the cards passing every filter but that one's.
fn count_of(snap: &Snapshot, filter: &Filter, lang: &str) -> Facets {
    let en = lang == "en";
    let sets = &snap.sets;
    let pass = filter.all_but(THEME);
    let themes: Vec<i64> = sets.themes.iter().map(|t| pass.count_and(t)).collect();
    let pass = filter.all_but(TERRITORY);
    let remote_for_departments = pass.count_and(&sets.remote);
    let departments: Vec<i64> = sets.departments.iter().map(|d| pass.count_and(d)).collect();
    let pass = filter.all_but(SECTOR);
    let sectors_generic = pass.count_and(&sets.no_sector);
    let sector_count = |code: &str| {
        sets.sectors
            .get(code)
            .map(|b| pass.count_and(b))
            .unwrap_or(0)
    };
    let sector_counts: Vec<i64> = snap
        .sectors
        .iter()
        .map(|(c, _, _)| sector_count(c))
        .collect();
    let pass = filter.all_but(SIZE);
    let sizes_generic = pass.count_and(&sets.no_size);
    let size_counts: Vec<i64> = SIZE_BANDS
        .iter()
        .map(|b| sets.sizes.get(*b).map(|s| pass.count_and(s)).unwrap_or(0))
        .collect();

    let mut theme_facets = shown(&snap.themes, &themes, 0, en);
    theme_facets.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    // A department shows when a card serves it locally; remote cards add to
    // every department.
    let mut territory_facets = shown(&snap.departments, &departments, remote_for_departments, en);
    territory_facets.sort_by(|a, b| a.label.cmp(&b.label));
    let sector_facets: Vec<Facet> = snap
        .sectors
        .iter()
        .zip(&sector_counts)
        .map(|((code, fr, en_name), n)| Facet {
            count: n + sectors_generic,
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
        .zip(&size_counts)
        .map(|(b, n)| Facet {
            value: b.to_string(),
            label: tr.code("business-size-", b),
            count: n + sizes_generic,
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
