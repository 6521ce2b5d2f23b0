//! The diagnostic's per-process caches, a field of the state (so one
//! belongs to one database). Each server keeps its own; a change made here
//! forgets the entry at once, other servers see it when the entry expires
//! (the README lists every cache and its lifetime).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use super::model::{Benchmark, Group};
use super::scoring::Response;
use super::store::Diagnostic;
use crate::i18n::Locale;

/// How long a submitted diagnostic and its rendered results page are reused.
/// Submitted diagnostics no longer change (extending one makes it a draft
/// again, which the cache notices within this lifetime).
pub const SNAPSHOT_TTL: Duration = Duration::from_secs(30);
/// How long theme titles are reused (themes change rarely; results pages
/// are read often).
pub const THEMES_TTL: Duration = Duration::from_secs(60);
/// How long a comparison with a large group is reused.
pub const BENCHMARK_TTL: Duration = Duration::from_secs(60);
/// Above this many entries, expired snapshots and pages are swept.
const SNAPSHOT_SWEEP: usize = 10_000;
/// Above this many entries, expired comparisons are swept.
const BENCHMARK_SWEEP: usize = 1000;

/// A diagnostic's answers by question code.
pub type Answers = HashMap<String, Response>;

/// A rendered results page: by link, language and signed-in person.
pub type RenderedKey = (String, &'static str, Option<i64>);

/// Theme titles by slug.
pub type Titles = Arc<HashMap<String, String>>;

/// A submitted diagnostic and its answers, with when they were read.
type Snapshot = (Instant, Diagnostic, Arc<Answers>);

/// A comparison group and its profile values.
pub type BenchKey = (Group, Vec<String>);

/// Every cache of the diagnostic.
#[derive(Default)]
pub struct Caches {
    /// Submitted diagnostics and their answers, by private link.
    submitted: RwLock<HashMap<String, Snapshot>>,
    /// Rendered results pages, the CSRF token left as a placeholder.
    rendered: RwLock<HashMap<RenderedKey, (Instant, Arc<str>)>>,
    /// Theme titles by slug, per language.
    themes: RwLock<HashMap<Locale, (Instant, Titles)>>,
    /// Comparisons with groups of 50 or more.
    benchmarks: RwLock<HashMap<BenchKey, (Instant, Benchmark)>>,
}

impl Caches {
    /// A submitted diagnostic and its answers read less than [`SNAPSHOT_TTL`] ago.
    pub fn submitted(&self, token: &str) -> Option<(Diagnostic, Arc<Answers>)> {
        let c = self.submitted.read().ok()?;
        let (at, d, answers) = c.get(token)?;
        (at.elapsed() < SNAPSHOT_TTL).then(|| (d.clone(), answers.clone()))
    }

    /// Keep a submitted diagnostic and its answers.
    pub fn keep_submitted(&self, token: &str, d: &Diagnostic, answers: &Arc<Answers>) {
        if let Ok(mut c) = self.submitted.write() {
            if c.len() > SNAPSHOT_SWEEP {
                c.retain(|_, (at, _, _)| at.elapsed() < SNAPSHOT_TTL);
            }
            c.insert(
                token.to_string(),
                (Instant::now(), d.clone(), answers.clone()),
            );
        }
    }

    /// Forget a diagnostic and its rendered pages (after it changed on this server).
    pub fn forget(&self, token: &str) {
        if let Ok(mut c) = self.submitted.write() {
            c.remove(token);
        }
        if let Ok(mut c) = self.rendered.write() {
            c.retain(|k, _| k.0 != token);
        }
    }

    /// A results page rendered less than [`SNAPSHOT_TTL`] ago.
    pub fn rendered(&self, key: &RenderedKey) -> Option<Arc<str>> {
        let c = self.rendered.read().ok()?;
        let (at, body) = c.get(key)?;
        (at.elapsed() < SNAPSHOT_TTL).then(|| body.clone())
    }

    /// Keep a rendered results page.
    pub fn keep_rendered(&self, key: RenderedKey, body: &Arc<str>) {
        if let Ok(mut c) = self.rendered.write() {
            if c.len() > SNAPSHOT_SWEEP {
                c.retain(|_, (at, _)| at.elapsed() < SNAPSHOT_TTL);
            }
            c.insert(key, (Instant::now(), body.clone()));
        }
    }

    /// Theme titles in `locale` read less than [`THEMES_TTL`] ago.
    pub fn theme_titles(&self, locale: Locale) -> Option<Titles> {
        let c = self.themes.read().ok()?;
        let (at, map) = c.get(&locale)?;
        (at.elapsed() < THEMES_TTL).then(|| map.clone())
    }

    /// Keep theme titles in `locale`.
    pub fn keep_theme_titles(&self, locale: Locale, map: &Titles) {
        if let Ok(mut c) = self.themes.write() {
            c.insert(locale, (Instant::now(), map.clone()));
        }
    }

    /// A comparison computed less than [`BENCHMARK_TTL`] ago.
    pub fn benchmark(&self, key: &BenchKey) -> Option<Benchmark> {
        let c = self.benchmarks.read().ok()?;
        let (at, b) = c.get(key)?;
        (at.elapsed() < BENCHMARK_TTL).then(|| b.clone())
    }

    /// Keep a comparison.
    pub fn keep_benchmark(&self, key: BenchKey, b: &Benchmark) {
        if let Ok(mut c) = self.benchmarks.write() {
            if c.len() > BENCHMARK_SWEEP {
                c.retain(|_, (at, _)| at.elapsed() < BENCHMARK_TTL);
            }
            c.insert(key, (Instant::now(), b.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forgetting_a_link_drops_its_pages_only() {
        let caches = Caches::default();
        let body: Arc<str> = Arc::from("<html>");
        caches.keep_rendered(("a".into(), "fr", None), &body);
        caches.keep_rendered(("a".into(), "en", Some(3)), &body);
        caches.keep_rendered(("b".into(), "fr", None), &body);
        caches.forget("a");
        assert!(caches.rendered(&("a".into(), "fr", None)).is_none());
        assert!(caches.rendered(&("a".into(), "en", Some(3))).is_none());
        assert!(caches.rendered(&("b".into(), "fr", None)).is_some());
    }

    #[test]
    fn theme_titles_are_kept_per_language() {
        let caches = Caches::default();
        let fr: Titles = Arc::new(HashMap::from([("site".into(), "Site".into())]));
        caches.keep_theme_titles(Locale::Fr, &fr);
        assert_eq!(caches.theme_titles(Locale::Fr), Some(fr));
        assert!(caches.theme_titles(Locale::En).is_none());
    }
}
