//! Synonyms of the directory search, applied when a query is read: "site
//! internet", "webmaster" and "création de site" all find the cards that say
//! "sites web". The programme manager edits the list (one group per line);
//! the list shipped by default holds the common French ones.
//!
//! A query becomes a few *variants* (term lists): the query as typed, and
//! the query with a listed phrase replaced by each of its synonyms. A card
//! matches when it matches one variant; its relevance is the best variant's.
//! The expansion is plain Rust over the normaliser's terms, so SQLite and
//! PostgreSQL (and any in-memory index) see the same variants.

use std::sync::{Arc, Mutex};

use super::search;
use crate::db::{now_ms, Db};

/// Most variants a query expands into (the query as typed included).
pub const MAX_VARIANTS: usize = 12;
/// Most lines a list may hold.
pub const MAX_LINES: usize = 500;
/// Most phrases on one line.
pub const MAX_PHRASES: usize = 20;
/// Most words in one phrase.
pub const MAX_PHRASE_TERMS: usize = 4;

/// The list shipped with Tremplin (French, as business owners type).
pub const DEFAULT: &str = "\
# Une ligne par groupe de synonymes, séparés par des virgules.
# « a, b => c, d » : chercher a ou b trouve aussi c et d (mais pas l'inverse).
site internet, site web, webmaster, création de site, site vitrine, développeur web, agence web
e-commerce, boutique en ligne, vente en ligne, site marchand, ecommerce, commerce en ligne
référencement, SEO, référencement naturel, visibilité sur google, google
réseaux sociaux, community manager, facebook, instagram, linkedin
logiciel de caisse, caisse enregistreuse, terminal de paiement, TPE
facture électronique, facturation électronique, e-facture, dématérialisation
cybersécurité, sécurité informatique, piratage, virus
sauvegarde, backup, sauvegardes
comptable, expert-comptable, comptabilité
informaticien, dépannage informatique, maintenance informatique, réseau informatique
application mobile, appli, application smartphone
boulangerie, pâtisserie, boucherie, charcuterie, coiffure, coiffeur, fleuriste, épicerie, restaurant, garage, plombier, menuisier, maçon => artisan, commerçant, commerce de proximité
";

/// One rule: a phrase (as search terms) and what it may be replaced by.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    phrase: Vec<String>,
    alternatives: Vec<Vec<String>>,
}

/// A parsed list of synonyms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synonyms {
    rules: Vec<Rule>,
    /// Groups as written (for the page that shows the list).
    pub groups: usize,
}

/// Why a line of the list was refused: (line number, Fluent key).
pub type LineError = (usize, &'static str);

fn phrases(text: &str) -> Vec<(String, Vec<String>)> {
    text.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| (p.to_string(), search::terms(p)))
        .collect()
}

/// Read a list: one group per line (`a, b, c`: all equivalent; `a, b => c`:
/// a and b also find c). Blank lines and lines starting with `#` are skipped.
pub fn parse(text: &str) -> Result<Synonyms, Vec<LineError>> {
    let mut errors = vec![];
    let mut rules: Vec<Rule> = vec![];
    let mut groups = 0;
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() > MAX_LINES {
        errors.push((MAX_LINES + 1, "dir-syn-too-many-lines"));
    }
    for (n, raw) in lines.iter().enumerate().take(MAX_LINES) {
        let n = n + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (left, right) = match line.split_once("=>") {
            Some((l, r)) => (phrases(l), Some(phrases(r))),
            None => (phrases(line), None),
        };
        let all: Vec<&(String, Vec<String>)> = left.iter().chain(right.iter().flatten()).collect();
        if all.iter().any(|(_, t)| t.is_empty()) {
            errors.push((n, "dir-syn-empty-phrase"));
            continue;
        }
        if all.iter().any(|(_, t)| t.len() > MAX_PHRASE_TERMS) {
            errors.push((n, "dir-syn-long-phrase"));
            continue;
        }
        if all.len() > MAX_PHRASES {
            errors.push((n, "dir-syn-too-many-phrases"));
            continue;
        }
        let targets: Vec<Vec<String>> = match &right {
            Some(r) => r.iter().map(|(_, t)| t.clone()).collect(),
            None => left.iter().map(|(_, t)| t.clone()).collect(),
        };
        let alone = match &right {
            Some(r) => r.is_empty() || left.is_empty(),
            None => left.len() < 2,
        };
        if alone {
            errors.push((n, "dir-syn-alone"));
            continue;
        }
        groups += 1;
        for (_, phrase) in &left {
            let alternatives: Vec<Vec<String>> =
                targets.iter().filter(|t| *t != phrase).cloned().collect();
            match rules.iter_mut().find(|r| r.phrase == *phrase) {
                Some(r) => {
                    for a in alternatives {
                        if !r.alternatives.contains(&a) {
                            r.alternatives.push(a);
                        }
                    }
                }
                None => rules.push(Rule {
                    phrase: phrase.clone(),
                    alternatives,
                }),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Longer phrases first: "site web" is replaced before "site".
    rules.sort_by_key(|r| std::cmp::Reverse(r.phrase.len()));
    Ok(Synonyms { rules, groups })
}

/// Where `phrase` sits in `terms`, as consecutive terms.
fn position(terms: &[String], phrase: &[String]) -> Option<usize> {
    if phrase.is_empty() || phrase.len() > terms.len() {
        return None;
    }
    (0..=terms.len() - phrase.len()).find(|&i| terms[i..i + phrase.len()] == *phrase)
}

impl Synonyms {
    /// The variants of a query's terms: the terms as typed first, then each
    /// listed phrase replaced by its synonyms, at most [`MAX_VARIANTS`].
    pub fn expand(&self, terms: &[String]) -> Vec<Vec<String>> {
        let mut variants: Vec<Vec<String>> = vec![terms.to_vec()];
        if terms.is_empty() {
            return variants;
        }
        // Rules apply to the query as typed and to variants already made, so
        // "site internet boulangerie" also becomes "site web artisan".
        let mut i = 0;
        while i < variants.len() && variants.len() < MAX_VARIANTS {
            let base = variants[i].clone();
            for rule in &self.rules {
                let Some(at) = position(&base, &rule.phrase) else {
                    continue;
                };
                for alt in &rule.alternatives {
                    let mut v: Vec<String> = base[..at].to_vec();
                    for t in alt.iter().chain(&base[at + rule.phrase.len()..]) {
                        if !v.contains(t) {
                            v.push(t.clone());
                        }
                    }
                    v.truncate(search::MAX_QUERY_TERMS);
                    if !variants.contains(&v) {
                        variants.push(v);
                    }
                    if variants.len() >= MAX_VARIANTS {
                        return variants;
                    }
                }
            }
            i += 1;
        }
        variants
    }
}

/// The list as stored: its text, when and by whom it was last saved
/// (`None` while the shipped list is in use).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Stored {
    pub body: String,
    pub updated_at: i64,
}

/// The list the programme manager saved, if any.
pub async fn stored(db: &Db) -> Result<Option<Stored>, sqlx::Error> {
    sqlx::query_as("SELECT body, updated_at FROM directory_synonyms WHERE id = 1")
        .fetch_optional(&db.pool)
        .await
}

/// Save the list (one row).
pub async fn save(db: &Db, body: &str, by: Option<i64>) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM directory_synonyms WHERE id = 1")
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO directory_synonyms (id, body, updated_at, updated_by) VALUES (1, $1, $2, $3)",
    )
    .bind(body)
    .bind(now_ms())
    .bind(by)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// The last list parsed, keyed by its text, so a search reads one small
/// row and parses only after a change, on every server (and several
/// databases in one process never share a list).
static PARSED: Mutex<Option<(String, Arc<Synonyms>)>> = Mutex::new(None);

/// The synonyms in force: the saved list, else the shipped one.
pub async fn current(db: &Db) -> Result<Arc<Synonyms>, sqlx::Error> {
    let body = stored(db)
        .await?
        .map(|r| r.body)
        .unwrap_or_else(|| DEFAULT.to_string());
    if let Some((text, s)) = PARSED.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
        if *text == body {
            return Ok(s.clone());
        }
    }
    let parsed = Arc::new(parse(&body).unwrap_or_default());
    *PARSED.lock().unwrap_or_else(|e| e.into_inner()) = Some((body, parsed.clone()));
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Vec<String> {
        search::terms(s)
    }

    #[test]
    fn the_shipped_list_parses() {
        let s = parse(DEFAULT).expect("shipped list");
        assert!(s.groups >= 10);
    }

    #[test]
    fn phrases_expand_to_their_synonyms() {
        let s = parse(DEFAULT).unwrap();
        let v = s.expand(&t("webmaster"));
        assert_eq!(v[0], t("webmaster"));
        assert!(v.contains(&t("site web")), "{v:?}");
        let v = s.expand(&t("site internet"));
        assert!(v.contains(&t("site web")), "{v:?}");
        let v = s.expand(&t("site web boulangerie"));
        assert!(v.contains(&t("site web artisan")), "{v:?}");
        assert!(v.len() <= MAX_VARIANTS);
        // One-way: "artisan" does not find every bakery.
        let v = s.expand(&t("artisan"));
        assert_eq!(v, vec![t("artisan")]);
        // Nothing listed: the query as typed only.
        assert_eq!(s.expand(&t("domotique")), vec![t("domotique")]);
    }

    #[test]
    fn bad_lines_are_named() {
        assert_eq!(
            parse("web, net\n\nseul").unwrap_err(),
            vec![(3, "dir-syn-alone")]
        );
        assert_eq!(parse("web =>").unwrap_err(), vec![(1, "dir-syn-alone")]);
        let long = "site web vitrine pas cher, six";
        assert_eq!(parse(long).unwrap_err(), vec![(1, "dir-syn-long-phrase")]);
        assert!(parse("# commentaire\n\n").unwrap().rules.is_empty());
    }
}
