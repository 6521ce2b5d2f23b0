//! The diagnostic's per-process caches, a field of the state (so one
//! belongs to one database). Each server keeps its own; a change made here
//! forgets the entry at once, other servers see it when the entry expires
//! (the README lists every cache and its lifetime).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use super::helps::Catalogue;
use super::model::{Benchmark, Group};
use super::scoring::Response;
use super::store::Diagnostic;
use crate::cache::{TtlCache, Weigh};
use crate::i18n::Locale;
use crate::kept::Kept;

/// How long a submitted diagnostic and its rendered results page are reused.
/// Submitted diagnostics no longer change (extending one makes it a draft
/// again, which the cache notices within this lifetime).
pub const SNAPSHOT_TTL: Duration = Duration::from_secs(30);
/// How long theme titles are reused (themes change rarely; results pages
/// are read often).
pub const THEMES_TTL: Duration = Duration::from_secs(60);
/// How long a comparison with a large group is reused.
pub const BENCHMARK_TTL: Duration = Duration::from_secs(60);
/// How often the guides and schemes kept for action plans are compared
/// with the database, and read again whatever the comparison says.
pub const CATALOGUE_CHECK: Duration = Duration::from_secs(5);
const CATALOGUE_REREAD: Duration = Duration::from_secs(600);
/// Bytes the submitted diagnostics kept may hold (see `cache::Weigh`).
const SUBMITTED_BYTES: usize = 2 << 20;
/// Bytes the rendered results pages kept may hold.
const RENDERED_BYTES: usize = 4 << 20;
/// Above this many entries, expired comparisons are swept.
const BENCHMARK_SWEEP: usize = 1000;

/// A diagnostic's answers by question code.
pub type Answers = HashMap<String, Response>;

/// A rendered results page: by link, language and signed-in person.
pub type RenderedKey = (String, &'static str, Option<i64>);

/// Theme titles by slug.
pub type Titles = Arc<HashMap<String, String>>;

/// A submitted diagnostic and its answers.
struct Submitted(Diagnostic, Arc<Answers>);

impl Weigh for Submitted {
    fn weigh(&self) -> usize {
        // Scores and plan inputs: a few hundred bytes per dimension and
        // answer; a generous flat estimate keeps it cheap.
        std::mem::size_of::<Submitted>() + 2048 + self.1.len() * 192
    }
}

/// The key of a rendered page: the link first, so that forgetting a link
/// finds its pages.
fn rendered_key(key: &RenderedKey) -> String {
    format!("{}|{}|{:?}", key.0, key.1, key.2)
}

/// A comparison group and its profile values.
pub type BenchKey = (Group, Vec<String>);

/// Every cache of the diagnostic.
pub struct Caches {
    /// Submitted diagnostics and their answers, by private link.
    submitted: TtlCache<Submitted>,
    /// Rendered results pages, the CSRF token left as a placeholder.
    rendered: TtlCache<Arc<str>>,
    /// Theme titles by slug, per language.
    themes: RwLock<HashMap<Locale, (Instant, Titles)>>,
    /// Comparisons with groups of 50 or more.
    benchmarks: RwLock<HashMap<BenchKey, (Instant, Benchmark)>>,
    /// The published guides and schemes action plans lead to (a read model).
    pub catalogue: Arc<Kept<Catalogue>>,
}

impl Default for Caches {
    fn default() -> Caches {
        Caches {
            submitted: TtlCache::new(SNAPSHOT_TTL, SUBMITTED_BYTES),
            rendered: TtlCache::new(SNAPSHOT_TTL, RENDERED_BYTES),
            themes: RwLock::default(),
            benchmarks: RwLock::default(),
            catalogue: Arc::new(Kept::new(CATALOGUE_CHECK, CATALOGUE_REREAD)),
        }
    }
}

impl Caches {
    /// A submitted diagnostic and its answers read less than [`SNAPSHOT_TTL`] ago.
    pub fn submitted(&self, token: &str) -> Option<(Diagnostic, Arc<Answers>)> {
        let s = self.submitted.get(token)?;
        Some((s.0.clone(), s.1.clone()))
    }

    /// Keep a submitted diagnostic and its answers.
    pub fn keep_submitted(&self, token: &str, d: &Diagnostic, answers: &Arc<Answers>) {
        self.submitted.put(
            token.to_string(),
            Arc::new(Submitted(d.clone(), answers.clone())),
        );
    }

    /// Forget a diagnostic and its rendered pages (after it changed on this server).
    pub fn forget(&self, token: &str) {
        self.submitted.forget_where(|k| k == token);
        let prefix = format!("{token}|");
        self.rendered.forget_where(|k| k.starts_with(&prefix));
    }

    /// A results page rendered less than [`SNAPSHOT_TTL`] ago.
    pub fn rendered(&self, key: &RenderedKey) -> Option<Arc<str>> {
        self.rendered
            .get(&rendered_key(key))
            .map(|body| Arc::clone(&*body))
    }

    /// Keep a rendered results page.
    pub fn keep_rendered(&self, key: RenderedKey, body: &Arc<str>) {
        self.rendered
            .put(rendered_key(&key), Arc::new(body.clone()));
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
