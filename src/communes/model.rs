//! The commune lists, parsed once from the compressed file in the binary,
//! and the search: by name (accents, case, hyphens and apostrophes
//! ignored: "saint emilion" finds Saint-Émilion) or by postcode.

use std::io::Read;
use std::sync::OnceLock;

/// `seed/communes.csv.gz`: code, parent_code, name, postcodes (built by
/// `scripts/communes.py`; sources and licences in the README).
const DATA: &[u8] = include_bytes!("../../seed/communes.csv.gz");

/// One commune of the official lists.
#[derive(Debug, Clone)]
pub struct Commune {
    /// The territory code: `FR-C33394`, `BE-C25112`, `NC-C98818`.
    pub code: String,
    /// The shipped territory it belongs to (department or province).
    pub parent: String,
    pub name: String,
    pub postcodes: Vec<String>,
    /// The name folded for search.
    key: String,
}

impl Commune {
    /// "Saint-Émilion (33330)": what a person reads and may type back.
    pub fn label(&self) -> String {
        match self.postcodes.first() {
            Some(p) => format!("{} ({p})", self.name),
            None => self.name.clone(),
        }
    }
}

/// Every commune, sorted by code.
pub fn all() -> &'static [Commune] {
    static ALL: OnceLock<Vec<Commune>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut text = String::new();
        flate2::read::GzDecoder::new(DATA)
            .read_to_string(&mut text)
            .expect("seed/communes.csv.gz is valid gzip");
        let mut out: Vec<Commune> = csv::Reader::from_reader(text.as_bytes())
            .records()
            .map(|r| {
                let r = r.expect("seed/communes.csv.gz is valid CSV");
                Commune {
                    code: r[0].to_string(),
                    parent: r[1].to_string(),
                    name: r[2].to_string(),
                    postcodes: r[3].split_whitespace().map(str::to_string).collect(),
                    key: crate::text::fold(&r[2]),
                }
            })
            .collect();
        out.sort_by(|a, b| a.code.cmp(&b.code));
        out
    })
}

/// The commune of a territory code.
pub fn by_code(code: &str) -> Option<&'static Commune> {
    let list = all();
    list.binary_search_by(|c| c.code.as_str().cmp(code))
        .ok()
        .map(|i| &list[i])
}

/// Communes matching what was typed, best first, at most `limit`: a
/// postcode (or its start) gives the communes it serves; a name gives exact
/// matches, then names starting with it, then names containing it.
pub fn search(query: &str, limit: usize) -> Vec<&'static Commune> {
    let q = crate::text::fold(query);
    if q.chars().count() < 2 {
        return vec![];
    }
    let mut found: Vec<(u8, &'static Commune)> = if q.chars().all(|c| c.is_ascii_digit()) {
        all()
            .iter()
            .filter_map(|c| {
                let exact = c.postcodes.contains(&q);
                let starts = c.postcodes.iter().any(|p| p.starts_with(&q));
                if exact {
                    Some((0, c))
                } else if starts {
                    Some((1, c))
                } else {
                    None
                }
            })
            .collect()
    } else {
        all()
            .iter()
            .filter_map(|c| {
                if c.key == q {
                    Some((0, c))
                } else if c.key.starts_with(&q) {
                    Some((1, c))
                } else if c.key.contains(&q) {
                    Some((2, c))
                } else {
                    None
                }
            })
            .collect()
    };
    found.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.key.cmp(&b.1.key)));
    found.into_iter().take(limit).map(|(_, c)| c).collect()
}

/// What a commune field holds: a territory code, a label read back
/// ("Saint-Émilion (33330)"), a name or a postcode. `Ok(None)` when
/// empty; `Err` with the candidates when it names none or several.
pub fn resolve(typed: &str) -> Result<Option<&'static Commune>, Vec<&'static Commune>> {
    let t = typed.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if let Some(c) = by_code(&t.to_uppercase()) {
        return Ok(Some(c));
    }
    if let Some((name, rest)) = t.rsplit_once(" (") {
        let postcode = rest.trim_end_matches(')').trim();
        let key = crate::text::fold(name);
        let mut m = all()
            .iter()
            .filter(|c| c.key == key && c.postcodes.iter().any(|p| p == postcode));
        if let (Some(c), None) = (m.next(), m.next()) {
            return Ok(Some(c));
        }
    }
    let candidates = search(t, 10);
    let key = crate::text::fold(t);
    let exact: Vec<_> = candidates
        .iter()
        .filter(|c| c.key == key || c.postcodes.contains(&key))
        .copied()
        .collect();
    match exact.as_slice() {
        [one] => Ok(Some(one)),
        _ if candidates.len() == 1 => Ok(Some(candidates[0])),
        _ => Err(candidates),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_official_lists_are_shipped_and_searched_without_accents() {
        let n = all().len();
        assert!(n > 35_000, "{n}");
        assert_eq!(
            all().iter().filter(|c| c.code.starts_with("BE-C")).count(),
            261
        );
        assert_eq!(
            all().iter().filter(|c| c.code.starts_with("NC-C")).count(),
            33
        );
        let hits = search("saint emilion", 5);
        assert_eq!(hits[0].name, "Saint-Émilion");
        assert_eq!(hits[0].label(), "Saint-Émilion (33330)");
        assert!(search("33330", 10)
            .iter()
            .any(|c| c.name == "Saint-Émilion"));
        assert_eq!(resolve("Saint-Émilion").unwrap().unwrap().code, "FR-C33394");
        assert_eq!(
            resolve("saint emilion (33330)").unwrap().unwrap().code,
            "FR-C33394"
        );
        assert_eq!(resolve("fr-c33394").unwrap().unwrap().name, "Saint-Émilion");
        assert_eq!(resolve("Nouméa").unwrap().unwrap().parent, "NC-PS");
        assert_eq!(resolve("Wavre").unwrap().unwrap().parent, "BE-WBR");
        assert!(resolve("").unwrap().is_none());
        // Several communes share the name: the candidates are offered.
        assert!(resolve("Saint-Martin").is_err());
        assert!(resolve("zzzz").unwrap_err().is_empty());
    }
}
