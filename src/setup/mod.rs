//! Programme set-up for programme managers: the programme itself,
//! territories, sectors, themes, partners and the diagnostic questionnaire.
//!
//! Every route here is reserved to the `admin` role by the access table
//! (`crate::web::access`); the handlers therefore do not check roles again.

mod partners;
pub mod store;
mod programme;
mod questionnaire;
mod sectors;
mod territories;
mod themes;

use axum::extract::DefaultBodyLimit;
use axum::routing::get;

use crate::web::access::{Access, Routes, ADMIN};

/// Largest territory file accepted (a whole country's communes fits).
const IMPORT_LIMIT: usize = 8 * 1024 * 1024;

/// Routes of this module.
pub fn routes() -> Routes {
    Routes::new()
        .route(
            "/admin/programme",
            Access::Roles(ADMIN),
            get(programme::show).post(programme::submit),
        )
        .route(
            "/admin/territoires",
            Access::Roles(ADMIN),
            get(territories::browse),
        )
        .route(
            "/admin/territoires/import",
            Access::Roles(ADMIN),
            get(territories::import_form)
                .post(territories::import)
                .layer(DefaultBodyLimit::max(IMPORT_LIMIT)),
        )
        .route(
            "/admin/secteurs",
            Access::Roles(ADMIN),
            get(sectors::list).post(sectors::set_priority),
        )
        .route(
            "/admin/thematiques",
            Access::Roles(ADMIN),
            get(themes::list).post(themes::create),
        )
        .route(
            "/admin/thematiques/{id}",
            Access::Roles(ADMIN),
            get(themes::edit).post(themes::update),
        )
        .route(
            "/admin/partenaires",
            Access::Roles(ADMIN),
            get(partners::list).post(partners::create),
        )
        .route(
            "/admin/partenaires/{id}",
            Access::Roles(ADMIN),
            get(partners::edit).post(partners::update),
        )
        .route(
            "/admin/questionnaire",
            Access::Roles(ADMIN),
            get(questionnaire::show)
                .post(questionnaire::import)
                .layer(DefaultBodyLimit::max(questionnaire::BANK_LIMIT)),
        )
}

/// Longest slug accepted (themes, partners).
pub const SLUG_MAX: usize = 60;

/// A URL-safe identifier derived from a title: accents folded, lowercase,
/// words joined by hyphens ("Être visible en ligne" → "etre-visible-en-ligne").
pub fn slugify(title: &str) -> String {
    let folded = crate::text::fold(title);
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    if out.len() > SLUG_MAX {
        out.truncate(SLUG_MAX);
    }
    out.trim_matches('-').to_string()
}

/// True for a slug as used in links: 2 to 60 of `a-z`, `0-9` and single
/// inner hyphens.
pub fn valid_slug(s: &str) -> bool {
    (2..=SLUG_MAX).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// Strip the spaces people type inside numbers ("1 600", NBSP, thin spaces).
fn without_spaces(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202F}' && *c != '\u{A0}')
        .collect()
}

/// A whole non-negative number as typed ("1600", "1 600"); empty is 0.
pub fn parse_count(raw: &str) -> Option<i64> {
    let s = without_spaces(raw);
    if s.is_empty() {
        return Some(0);
    }
    if s.len() > 12 || !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// An amount in euros as typed, in cents: "337000", "337 000", "337000,50",
/// "337,000.50", "337 000 €". Empty is 0.
pub fn parse_euros(raw: &str) -> Option<i64> {
    let s = without_spaces(raw.trim().trim_end_matches('€').trim_start_matches('€'));
    let s = s.replace('\'', "");
    if s.is_empty() {
        return Some(0);
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    // The last separator followed by one or two digits is the decimal mark;
    // every other separator must group thousands (three digits follow).
    let (whole, cents) = match s.rfind([',', '.']) {
        Some(i) if (2..=3).contains(&(s.len() - i)) => (&s[..i], &s[i + 1..]),
        _ => (s.as_str(), ""),
    };
    let mut groups = whole.split([',', '.']);
    let first = groups.next().unwrap_or("");
    if first.is_empty() {
        return None;
    }
    let mut digits = first.to_string();
    for g in groups {
        if g.len() != 3 {
            return None;
        }
        digits.push_str(g);
    }
    if digits.len() > 11 {
        return None;
    }
    let euros: i64 = digits.parse().ok()?;
    let cents: i64 = match cents.len() {
        0 => 0,
        1 => cents.parse::<i64>().ok()? * 10,
        _ => cents.parse().ok()?,
    };
    Some(euros * 100 + cents)
}

/// Cents as the form shows them back: "337000" or "337000,50" ("." in English).
pub fn format_euros(cents: i64, english: bool) -> String {
    if cents % 100 == 0 {
        (cents / 100).to_string()
    } else {
        let sep = if english { '.' } else { ',' };
        format!("{}{sep}{:02}", cents / 100, cents % 100)
    }
}

/// True for a real calendar date written `YYYY-MM-DD`.
pub fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        part.chars()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2200).contains(&y) && (1..=days).contains(&d)
}

/// Tags typed as "a, b ,, c": trimmed, empty and repeated ones dropped.
pub fn normalise_tags(raw: &str) -> String {
    let mut seen: Vec<String> = vec![];
    for t in raw
        .split([',', ';'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        if !seen.iter().any(|s| s.to_lowercase() == t.to_lowercase()) {
            seen.push(t.to_string());
        }
    }
    seen.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_french_titles() {
        assert_eq!(
            slugify("Être visible en ligne, avec ou sans site"),
            "etre-visible-en-ligne-avec-ou-sans-site"
        );
        assert_eq!(slugify("  RGPD : l'essentiel  "), "rgpd-l-essentiel");
        assert_eq!(slugify("!!!"), "");
        assert!(slugify(&"mot ".repeat(40)).len() <= SLUG_MAX);
        assert!(!slugify(&"mot ".repeat(40)).ends_with('-'));
        assert!(valid_slug("cma-gironde"));
        assert!(!valid_slug("CMA"));
        assert!(!valid_slug("a--b"));
        assert!(!valid_slug("-ab"));
        assert!(!valid_slug("a"));
    }

    #[test]
    fn euros_as_people_type_them() {
        assert_eq!(parse_euros("337000"), Some(33_700_000));
        assert_eq!(parse_euros("337 000"), Some(33_700_000));
        assert_eq!(parse_euros("337\u{202F}000 €"), Some(33_700_000));
        assert_eq!(parse_euros("337000,50"), Some(33_700_050));
        assert_eq!(parse_euros("337000.5"), Some(33_700_050));
        assert_eq!(parse_euros("337,000"), Some(33_700_000));
        assert_eq!(parse_euros("337.000,25"), Some(33_700_025));
        assert_eq!(parse_euros(""), Some(0));
        assert_eq!(parse_euros("beaucoup"), None);
        assert_eq!(parse_euros("-5"), None);
        assert_eq!(parse_euros("12,3456"), None);
        assert_eq!(parse_euros(",50"), None);
        assert_eq!(format_euros(33_700_050, false), "337000,50");
        assert_eq!(format_euros(33_700_050, true), "337000.50");
        assert_eq!(format_euros(33_700_000, false), "337000");
    }

    #[test]
    fn counts_and_dates() {
        assert_eq!(parse_count("1 600"), Some(1600));
        assert_eq!(parse_count(""), Some(0));
        assert_eq!(parse_count("-3"), None);
        assert_eq!(parse_count("12a"), None);
        assert!(valid_date("2026-02-28"));
        assert!(valid_date("2028-02-29"));
        assert!(!valid_date("2026-02-29"));
        assert!(!valid_date("2026-13-01"));
        assert!(!valid_date("01/02/2026"));
        assert!(!valid_date("2026-1-01"));
    }

    #[test]
    fn tags_are_tidied() {
        assert_eq!(
            normalise_tags(" site, Vitrine ,, site ; web"),
            "site, Vitrine, web"
        );
        assert_eq!(normalise_tags(""), "");
    }
}
