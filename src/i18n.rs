//! Interface translations with Fluent: French first, English second.
//!
//! The `.ftl` files are embedded in the binary and parsed once; a broken file
//! stops the start with the file and the reason.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// A supported interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    Fr,
    En,
}

impl Locale {
    /// Every supported locale, French first.
    pub const ALL: [Locale; 2] = [Locale::Fr, Locale::En];

    /// The BCP 47 tag used in `<html lang>`.
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Fr => "fr",
            Locale::En => "en",
        }
    }

    /// Parse a language tag such as `fr`, `fr-BE` or `en-GB`.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Some(Locale::Fr),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// Pick the best locale from an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut best: Option<(f32, usize, Locale)> = None;
        for (pos, part) in header.split(',').enumerate() {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|v| v.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            if q <= 0.0 {
                continue;
            }
            if let Some(loc) = Locale::from_tag(tag) {
                let better = match best {
                    None => true,
                    Some((bq, _, _)) => q > bq,
                };
                if better {
                    best = Some((q, pos, loc));
                }
            }
        }
        best.map(|(_, _, l)| l)
    }

    fn langid(self) -> LanguageIdentifier {
        self.as_str().parse().expect("static language tag")
    }

    /// Format a whole number with the locale's grouping ("1 600" / "1,600").
    pub fn format_int(self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let sep = match self {
            Locale::Fr => '\u{202F}',
            Locale::En => ',',
        };
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        if n < 0 {
            out.insert(0, '-');
        }
        out
    }
}

struct Bundles {
    fr: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

macro_rules! ftl {
    ($locale:expr, $lang:literal, $file:literal) => {
        (
            $locale,
            concat!("locales/", $lang, "/", $file),
            include_str!(concat!("../locales/", $lang, "/", $file)),
        )
    };
}

/// The translation files, as shipped (one per capability and language).
pub const SOURCES: &[(Locale, &str, &str)] = &[
    ftl!(Locale::Fr, "fr", "main.ftl"),
    ftl!(Locale::Fr, "fr", "identifiers.ftl"),
    ftl!(Locale::Fr, "fr", "setup.ftl"),
    ftl!(Locale::Fr, "fr", "diagnostic.ftl"),
    ftl!(Locale::Fr, "fr", "workshops.ftl"),
    ftl!(Locale::Fr, "fr", "directory.ftl"),
    ftl!(Locale::Fr, "fr", "needs.ftl"),
    ftl!(Locale::Fr, "fr", "input.ftl"),
    ftl!(Locale::Fr, "fr", "faults.ftl"),
    ftl!(Locale::Fr, "fr", "cases.ftl"),
    ftl!(Locale::Fr, "fr", "guides.ftl"),
    ftl!(Locale::Fr, "fr", "funding.ftl"),
    ftl!(Locale::Fr, "fr", "journeys.ftl"),
    ftl!(Locale::Fr, "fr", "privacy.ftl"),
    ftl!(Locale::Fr, "fr", "needs_replies.ftl"),
    ftl!(Locale::Fr, "fr", "sponsors.ftl"),
    ftl!(Locale::Fr, "fr", "dashboard.ftl"),
    ftl!(Locale::Fr, "fr", "testimonies.ftl"),
    ftl!(Locale::Fr, "fr", "loans.ftl"),
    ftl!(Locale::Fr, "fr", "calls.ftl"),
    ftl!(Locale::En, "en", "main.ftl"),
    ftl!(Locale::En, "en", "identifiers.ftl"),
    ftl!(Locale::En, "en", "setup.ftl"),
    ftl!(Locale::En, "en", "diagnostic.ftl"),
    ftl!(Locale::En, "en", "workshops.ftl"),
    ftl!(Locale::En, "en", "directory.ftl"),
    ftl!(Locale::En, "en", "needs.ftl"),
    ftl!(Locale::En, "en", "input.ftl"),
    ftl!(Locale::En, "en", "faults.ftl"),
    ftl!(Locale::En, "en", "cases.ftl"),
    ftl!(Locale::En, "en", "guides.ftl"),
    ftl!(Locale::En, "en", "funding.ftl"),
    ftl!(Locale::En, "en", "journeys.ftl"),
    ftl!(Locale::En, "en", "privacy.ftl"),
    ftl!(Locale::En, "en", "needs_replies.ftl"),
    ftl!(Locale::En, "en", "sponsors.ftl"),
    ftl!(Locale::En, "en", "dashboard.ftl"),
    ftl!(Locale::En, "en", "testimonies.ftl"),
    ftl!(Locale::En, "en", "loans.ftl"),
    ftl!(Locale::En, "en", "calls.ftl"),
];

static BUNDLES: OnceLock<Bundles> = OnceLock::new();

fn build(locale: Locale) -> Result<FluentBundle<FluentResource>, String> {
    let mut bundle = FluentBundle::new_concurrent(vec![locale.langid()]);
    // Isolation marks would end up inside attributes and e-mails.
    bundle.set_use_isolating(false);
    for (_, name, src) in SOURCES.iter().filter(|s| s.0 == locale) {
        let res = FluentResource::try_new(src.to_string())
            .map_err(|(_, errs)| format!("{name}: {errs:?}"))?;
        bundle
            .add_resource(res)
            .map_err(|errs| format!("{name}: duplicate messages {errs:?}"))?;
    }
    Ok(bundle)
}

/// Parse the embedded translation files; call once at start.
pub fn init() -> Result<(), String> {
    if BUNDLES.get().is_some() {
        return Ok(());
    }
    let fr = build(Locale::Fr)?;
    let en = build(Locale::En)?;
    let _ = BUNDLES.set(Bundles { fr, en });
    Ok(())
}

fn bundles() -> &'static Bundles {
    if BUNDLES.get().is_none() {
        init().expect("translation files are valid");
    }
    BUNDLES.get().expect("initialised")
}

/// Translate `key` in `locale` with optional arguments.
pub fn translate(locale: Locale, key: &str, args: Option<&FluentArgs>) -> String {
    let b = bundles();
    let bundle = match locale {
        Locale::Fr => &b.fr,
        Locale::En => &b.en,
    };
    let Some(msg) = bundle.get_message(key).and_then(|m| m.value()) else {
        tracing::warn!(key, locale = locale.as_str(), "missing translation");
        return key.to_string();
    };
    let mut errors = vec![];
    let out = bundle.format_pattern(msg, args, &mut errors);
    if !errors.is_empty() {
        tracing::warn!(key, ?errors, "translation formatting error");
    }
    out.into_owned()
}

/// A translator bound to one locale, handed to templates as `tr`.
#[derive(Debug, Clone, Copy)]
pub struct Tr(pub Locale);

impl Tr {
    /// Translate a message without arguments.
    pub fn t(&self, key: &str) -> String {
        translate(self.0, key, None)
    }

    /// Translate a message with one string argument.
    pub fn ts(&self, key: &str, name: &str, value: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(name, FluentValue::from(value.to_string()));
        translate(self.0, key, Some(&args))
    }

    /// Translate a message with one number argument (plural rules apply) and
    /// a pre-formatted `{ $shown }` copy of it.
    pub fn tn(&self, key: &str, name: &str, value: impl std::borrow::Borrow<i64>) -> String {
        let value = *value.borrow();
        let mut args = FluentArgs::new();
        args.set(name, FluentValue::from(value));
        args.set("shown", FluentValue::from(self.0.format_int(value)));
        translate(self.0, key, Some(&args))
    }

    /// Translate a message with several string arguments.
    pub fn args(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in values {
            args.set(*name, FluentValue::from(value.to_string()));
        }
        translate(self.0, key, Some(&args))
    }

    /// Translate the message `prefix` + `code` (labels of stable codes).
    pub fn code(&self, prefix: &str, code: &str) -> String {
        translate(self.0, &format!("{prefix}{code}"), None)
    }

    /// The locale's tag.
    pub fn lang(&self) -> &'static str {
        self.0.as_str()
    }
}

/// All message ids of one locale's file, for completeness checks.
pub fn message_ids(locale: Locale) -> Vec<String> {
    let mut ids = vec![];
    for (_, _, src) in SOURCES.iter().filter(|s| s.0 == locale) {
        let res = FluentResource::try_new(src.to_string()).expect("valid ftl");
        ids.extend(res.entries().filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        }));
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_respects_quality() {
        assert_eq!(
            Locale::from_accept_language("en-GB,en;q=0.9,fr;q=0.8"),
            Some(Locale::En)
        );
        assert_eq!(
            Locale::from_accept_language("de-DE, fr;q=0.5, en;q=0.4"),
            Some(Locale::Fr)
        );
        assert_eq!(Locale::from_accept_language("de, es"), None);
        assert_eq!(
            Locale::from_accept_language("en;q=0, fr;q=0.1"),
            Some(Locale::Fr)
        );
    }

    #[test]
    fn numbers_are_grouped_per_locale() {
        assert_eq!(Locale::En.format_int(1600), "1,600");
        assert_eq!(Locale::Fr.format_int(1600), "1\u{202F}600");
        assert_eq!(Locale::En.format_int(337000), "337,000");
        assert_eq!(Locale::En.format_int(12), "12");
    }

    #[test]
    fn both_locales_have_the_same_messages() {
        init().unwrap();
        let mut fr = message_ids(Locale::Fr);
        let mut en = message_ids(Locale::En);
        fr.sort();
        en.sort();
        let missing_en: Vec<_> = fr.iter().filter(|k| !en.contains(k)).collect();
        let missing_fr: Vec<_> = en.iter().filter(|k| !fr.contains(k)).collect();
        assert!(missing_en.is_empty(), "missing in English: {missing_en:?}");
        assert!(missing_fr.is_empty(), "missing in French: {missing_fr:?}");
    }

    const FAMILIES: [&str; 18] = [
        "ws-",
        "weekday-",
        "month-",
        "dir-",
        "need-",
        "board-",
        "nav-",
        "footer-",
        "home-",
        "offer-",
        "journey-",
        "form-",
        "contact-",
        "mail-",
        "error-",
        "problem-",
        "case-",
        "referral-",
    ];

    fn is_key_like(s: &str) -> bool {
        FAMILIES.iter().any(|f| s.starts_with(f))
            && !s.ends_with('-')
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
    }

    #[test]
    fn every_key_used_in_templates_and_code_exists() {
        init().unwrap();
        let ids = message_ids(Locale::Fr);
        let mut used = vec![];
        let mut stack = vec![
            std::path::PathBuf::from("templates"),
            std::path::PathBuf::from("src"),
        ];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                // Every string literal shaped like a message id of a known
                // family must exist (prefixes ending in '-' are skipped).
                // In templates only arguments of the translation calls count
                // (ids and classes share the shape).
                let is_template = path.extension().is_some_and(|e| e == "html");
                let pieces: Vec<&str> = text.split('"').collect();
                for (i, lit) in pieces.iter().enumerate() {
                    let called = i > 0
                        && ["t(", "ts(", "tn("]
                            .iter()
                            .any(|c| pieces[i - 1].ends_with(c));
                    if i % 2 == 1 && is_key_like(lit) && (!is_template || called) {
                        used.push((path.display().to_string(), lit.to_string()));
                    }
                }
            }
        }
        assert!(
            used.len() > 20,
            "scanner found too few keys: {}",
            used.len()
        );
        let missing: Vec<_> = used.iter().filter(|(_, k)| !ids.contains(k)).collect();
        assert!(missing.is_empty(), "keys without translation: {missing:?}");
    }

    #[test]
    fn plural_rules_apply() {
        let fr = Tr(Locale::Fr);
        let en = Tr(Locale::En);
        assert_eq!(
            en.tn("home-target", "count", 1),
            "Goal: 1 business made aware"
        );
        assert_eq!(
            en.tn("home-target", "count", 1600),
            "Goal: 1,600 businesses made aware"
        );
        assert_eq!(
            fr.tn("home-target", "count", 1),
            "Objectif : 1 entreprise sensibilisée"
        );
        assert!(fr
            .tn("home-target", "count", 1600)
            .ends_with("entreprises sensibilisées"));
    }
}
