//! The directory's inverted index: each search term (as `search::terms`
//! makes it, the same normaliser as `provider_terms`) → the sorted list of
//! the cards holding it, with the term's weight on that card. A search's
//! words are the intersection of their lists; its relevance the sum of the
//! weights, as the SQL over `provider_terms` gave it.
//!
//! A posting is one `u32`: the card's position in the snapshot (cards are in
//! id order) shifted left by 8, and the weight (at most 255) in the low
//! byte, so that a list sorts by card and holds 4 bytes per card (about
//! 5 MB for 20,000 cards of 60 terms each).

use std::collections::HashMap;

/// Largest card position a posting can hold.
pub const MAX_POSITION: u32 = u32::MAX >> 8;

/// One posting: a card position and a weight.
fn pack(position: u32, weight: i64) -> u32 {
    (position << 8) | weight.clamp(0, 255) as u32
}

fn position(posting: u32) -> u32 {
    posting >> 8
}

fn weight(posting: u32) -> i64 {
    (posting & 0xff) as i64
}

/// Terms → sorted posting lists.
#[derive(Default)]
pub struct Postings {
    lists: HashMap<Box<str>, Vec<u32>>,
}

impl Postings {
    /// Record that the card at `position` holds `term` with `weight`.
    /// Positions may come in any order; [`Postings::finish`] sorts.
    pub fn add(&mut self, term: &str, position: u32, weight: i64) {
        debug_assert!(position <= MAX_POSITION);
        match self.lists.get_mut(term) {
            Some(list) => list.push(pack(position, weight)),
            None => {
                self.lists.insert(term.into(), vec![pack(position, weight)]);
            }
        }
    }

    /// Sort every list (a card holds a term once) and give back spare room.
    pub fn finish(&mut self) {
        for list in self.lists.values_mut() {
            list.sort_unstable();
            list.dedup_by_key(|p| position(*p));
            list.shrink_to_fit();
        }
        self.lists.shrink_to_fit();
    }

    /// The cards holding every one of `terms`, by position, with the sum of
    /// the terms' weights; empty when a term is unknown.
    pub fn matching(&self, terms: &[String]) -> Vec<(u32, i64)> {
        let mut lists: Vec<&[u32]> = Vec::with_capacity(terms.len());
        for t in terms {
            match self.lists.get(t.as_str()) {
                Some(list) => lists.push(list),
                None => return vec![],
            }
        }
        intersect(&mut lists)
    }
}

/// The positions present in every list (each sorted by position, without
/// repeats), with their summed weights, in position order. The shortest
/// list leads; each of its cards is looked up in the others by galloping
/// over what is left of them (see [`first_from`]), so the cost follows the
/// rarest term and stays linear when the lists are of a size.
pub fn intersect(lists: &mut [&[u32]]) -> Vec<(u32, i64)> {
    if lists.is_empty() {
        return vec![];
    }
    lists.sort_by_key(|l| l.len());
    let (lead, rest) = lists.split_first_mut().expect("not empty");
    let mut out = Vec::with_capacity(lead.len());
    'cards: for &p in lead.iter() {
        let at = position(p);
        let mut score = weight(p);
        for list in rest.iter_mut() {
            let skip = first_from(list, at);
            *list = &list[skip..];
            match list.first() {
                Some(q) if position(*q) == at => score += weight(*q),
                Some(_) => continue 'cards,
                None => break 'cards,
            }
        }
        out.push((at, score));
    }
    out
}

/// The index of the first posting of `list` at position `at` or after.
/// Probes 1, 2, 4, 8… postings ahead, then searches the last span halved:
/// a few steps when the answer is near the start, as it is when the lists
/// intersected are of similar lengths, and a binary search's cost otherwise.
fn first_from(list: &[u32], at: u32) -> usize {
    let mut ahead = 1;
    while ahead < list.len() && position(list[ahead]) < at {
        ahead *= 2;
    }
    let from = ahead / 2;
    let to = (ahead + 1).min(list.len());
    from + list[from..to].partition_point(|q| position(*q) < at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(cards: &[(u32, i64)]) -> Vec<u32> {
        cards.iter().map(|(c, w)| pack(*c, *w)).collect()
    }

    #[test]
    fn intersection_keeps_common_cards_with_summed_weights() {
        let a = list(&[(1, 5), (3, 1), (4, 2), (9, 3), (12, 1)]);
        let b = list(&[(3, 2), (9, 1), (12, 5), (40, 1)]);
        let c = list(&[(0, 1), (3, 3), (12, 1), (13, 1)]);
        assert_eq!(
            intersect(&mut [&a[..], &b[..], &c[..]]),
            vec![(3, 6), (12, 7)]
        );
        // The order of the lists does not matter.
        assert_eq!(
            intersect(&mut [&c[..], &a[..], &b[..]]),
            vec![(3, 6), (12, 7)]
        );
    }

    #[test]
    fn galloping_finds_what_a_binary_search_finds() {
        let l = list(&(0..300).map(|c| (c * 3, 1)).collect::<Vec<_>>());
        for at in 0..1000 {
            assert_eq!(
                first_from(&l, at),
                l.partition_point(|q| position(*q) < at),
                "position {at}"
            );
        }
        assert_eq!(first_from(&[], 5), 0);
    }

    #[test]
    fn intersection_edge_cases() {
        let a = list(&[(1, 1), (2, 2)]);
        let empty: Vec<u32> = vec![];
        assert_eq!(intersect(&mut [&a[..]]), vec![(1, 1), (2, 2)]);
        assert!(intersect(&mut [&a[..], &empty[..]]).is_empty());
        assert!(intersect(&mut []).is_empty());
        let disjoint = list(&[(0, 1), (3, 1)]);
        assert!(intersect(&mut [&a[..], &disjoint[..]]).is_empty());
        // Past the end of a shorter list: nothing more can match.
        let long = list(&(0..1000).map(|c| (c, 1)).collect::<Vec<_>>());
        let tail = list(&[(5, 1), (999, 2)]);
        assert_eq!(
            intersect(&mut [&long[..], &tail[..]]),
            vec![(5, 2), (999, 3)]
        );
    }

    #[test]
    fn intersection_agrees_with_a_plain_filter() {
        // Pseudo-random lists (fixed seed): the result is what a naive
        // filter over every card gives.
        let mut x: u64 = 42;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..50 {
            let mut lists: Vec<Vec<(u32, i64)>> = vec![];
            for _ in 0..(next() % 4 + 1) {
                let mut l = vec![];
                for c in 0..500u32 {
                    if next() % 3 == 0 {
                        l.push((c, (next() % 5 + 1) as i64));
                    }
                }
                lists.push(l);
            }
            let packed: Vec<Vec<u32>> = lists.iter().map(|l| list(l)).collect();
            let mut slices: Vec<&[u32]> = packed.iter().map(Vec::as_slice).collect();
            let naive: Vec<(u32, i64)> = (0..500u32)
                .filter_map(|c| {
                    let ws: Vec<i64> = lists
                        .iter()
                        .filter_map(|l| l.iter().find(|(d, _)| *d == c).map(|(_, w)| *w))
                        .collect();
                    (ws.len() == lists.len()).then(|| (c, ws.iter().sum()))
                })
                .collect();
            assert_eq!(intersect(&mut slices), naive);
        }
    }

    #[test]
    fn postings_match_every_term_and_unknown_terms_match_nothing() {
        let mut p = Postings::default();
        p.add("site", 2, 3);
        p.add("site", 0, 1);
        p.add("web", 2, 1);
        p.add("web", 1, 5);
        p.add("site", 1, 300);
        p.finish();
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(p.matching(&t(&["site"])), vec![(0, 1), (1, 255), (2, 3)]);
        assert_eq!(p.matching(&t(&["site", "web"])), vec![(1, 260), (2, 4)]);
        assert!(p.matching(&t(&["site", "plombier"])).is_empty());
    }
}
