//! Search that a French speaker expects: accents and case ignored, word
//! forms matched ("électriciens" finds "Electricien"). One normaliser (fold,
//! stop words, Snowball French stemmer) runs when a card is indexed and when
//! a query is typed; the terms live in `provider_terms`, so SQLite and
//! PostgreSQL run the same SQL over the same terms and give the same answers.

use rust_stemmers::{Algorithm, Stemmer};

use crate::text::fold;

/// Most terms a query keeps (the rest of a very long query is ignored).
pub const MAX_QUERY_TERMS: usize = 8;
/// Most characters of a query that are read.
pub const MAX_QUERY_CHARS: usize = 200;

/// Words that carry no meaning for search.
const STOP_WORDS: &[&str] = &[
    "a", "au", "aux", "avec", "ce", "ces", "d", "dans", "de", "des", "du", "en", "et", "l", "la",
    "le", "les", "leur", "mon", "ma", "mes", "ou", "par", "pour", "sa", "se", "ses", "son", "sur",
    "un", "une", "the", "and", "of", "for", "to", "in", "on", "with", "y",
];

thread_local! {
    static STEMMER: Stemmer = Stemmer::create(Algorithm::French);
}

/// The search terms of a text, in order, without duplicates.
pub fn terms(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut out: Vec<String> = vec![];
    STEMMER.with(|st| {
        for word in folded.split(' ') {
            if word.is_empty() || STOP_WORDS.contains(&word) {
                continue;
            }
            // Long digit runs (phone numbers, identifiers) are kept whole.
            let stem = if word.chars().all(|c| c.is_ascii_digit()) {
                word.to_string()
            } else {
                st.stem(word).into_owned()
            };
            if stem.is_empty() || stem.len() > 60 {
                continue;
            }
            if !out.contains(&stem) {
                out.push(stem);
            }
        }
    });
    out
}

/// The terms of a typed query: whatever was typed (quotes, operators,
/// thousands of characters) becomes at most [`MAX_QUERY_TERMS`] plain terms.
pub fn query_terms(q: &str) -> Vec<String> {
    let cut: String = q.chars().take(MAX_QUERY_CHARS).collect();
    let mut t = terms(&cut);
    t.truncate(MAX_QUERY_TERMS);
    t
}

/// Weighted terms of a card: the name counts most, then services and
/// places, then the description.
pub fn index_terms(parts: &[(&str, i64)]) -> Vec<(String, i64)> {
    let mut out: Vec<(String, i64)> = vec![];
    for (text, weight) in parts {
        for t in terms(text) {
            match out.iter_mut().find(|(x, _)| *x == t) {
                Some((_, w)) => *w = (*w).max(*weight),
                None => out.push((t, *weight)),
            }
        }
    }
    out
}

/// The prime of the neutral order.
pub const ORDER_PRIME: i64 = 1_000_003;

/// The multiplier of the day's neutral order, k, spread over the whole
/// range so that consecutive days give unrelated orders.
pub fn day_seed(day: i64) -> i64 {
    1 + (day.rem_euclid(1_000_000_000) * 2_654_435_761).rem_euclid(ORDER_PRIME - 1)
}

/// Where a card falls among equally relevant ones:
/// `((card number × k) mod p)² mod p`, then the card number.
pub fn neutral_key(id: i64, k: i64) -> (i64, i64) {
    let h = (id * k).rem_euclid(ORDER_PRIME);
    ((h * h) % ORDER_PRIME, id)
}

/// The same key in SQL, for a card column and the placeholder holding k.
pub fn neutral_key_sql(id: &str, k: &str) -> String {
    format!(
        "((({id} * {k}) % {ORDER_PRIME}) * (({id} * {k}) % {ORDER_PRIME})) % {ORDER_PRIME}, {id}"
    )
}

/// Today's number of days since 1970-01-01 (UTC).
pub fn today() -> i64 {
    crate::db::now_ms().div_euclid(86_400_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_forms_accents_and_case_meet() {
        assert_eq!(terms("Électriciens"), terms("electricien"));
        assert_eq!(terms("sites Web"), terms("site web"));
        assert_eq!(
            terms("Développement de SITES internet"),
            terms("développements site Internet")
        );
        assert_eq!(terms("boulangeries"), terms("Boulangerie"));
    }

    #[test]
    fn queries_are_defused() {
        assert_eq!(
            query_terms("\"site\" AND (web OR -shop)*"),
            terms("site and web or shop")
        );
        assert!(query_terms(&"a".repeat(10_000)).len() <= 1);
        assert!(query_terms(&"mot ".repeat(5_000)).len() <= MAX_QUERY_TERMS);
        assert!(query_terms("'; DROP TABLE providers; --")
            .iter()
            .all(|t| t.chars().all(|c| c.is_alphanumeric())));
        assert!(query_terms("   ").is_empty());
    }

    #[test]
    fn the_day_changes_the_order_but_not_within_a_day() {
        let order = |seed: i64| {
            let mut ids: Vec<i64> = (1..=20).collect();
            ids.sort_by_key(|id| neutral_key(*id, seed));
            ids
        };
        assert_eq!(order(day_seed(20_000)), order(day_seed(20_000)));
        assert_ne!(order(day_seed(20_000)), order(day_seed(20_001)));
        assert_ne!(order(day_seed(20_001)), order(day_seed(20_002)));
        assert!((0..1000).all(|d| day_seed(d) >= 1 && day_seed(d) < ORDER_PRIME));
    }
}
