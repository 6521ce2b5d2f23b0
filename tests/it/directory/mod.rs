//! Directory of digital providers: search (word forms, neutral order, the
//! same answers on both databases), filters and counts, the provider's
//! journey from sign-up to publication, logos, claims, stale cards, CSV
//! import and the public export, and who may open what; the helpers the
//! tests share are here, the tests in the submodules.

use crate::both_databases;

mod cards;
mod search;
mod upkeep;
use crate::harness::{client, fetch_bytes, link_in, Browser, TestApp, PW};
use tremplin::cli::seed::siren_from;
use tremplin::directory::model::{self, CardForm, Links};
use tremplin::directory::public::{self, SearchQuery};
use tremplin::directory::search::{day_seed, neutral_key, query_terms, today};
use tremplin::directory::store;

const ADMIN: &str = "responsable@tremplin-demo.fr";
const KEEPER: &str = "prestataire@tremplin-demo.fr";
const OWNER: &str = "marie@boulangerie-dupont.fr";
/// Address the demo programme gives for its team.
const TEAM: &str = "equipe@tremplin-demo.fr";

/// One result of a search page: card number and name.
type Hit = (i64, String);
/// A filter link: target, label, count shown.
type FacetLink = (String, String, i64);

// ---------------------------------------------------------------- helpers

/// Undo the HTML escaping of text and attributes.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';').filter(|e| *e <= 8) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The latest mail to `to` with this subject (delivers what is due, waits).
async fn mail_about(app: &TestApp, to: &str, subject: &str) -> tremplin::outbox::SentMail {
    app.wait_mail_to(to, |m| m.subject == subject).await
}

/// The cards listed on a results page, in order.
fn hits(html: &str) -> Vec<Hit> {
    html.split("<li class=\"card provider-card\">")
        .skip(1)
        .map(|chunk| {
            let a = chunk
                .split("<h3><a href=\"/annuaire/")
                .nth(1)
                .expect("card link");
            let (id, rest) = a.split_once("\">").unwrap();
            let name = rest.split("</a>").next().unwrap();
            (id.parse().expect("card number"), unescape(name))
        })
        .collect()
}

fn ids(h: &[Hit]) -> Vec<i64> {
    h.iter().map(|(id, _)| *id).collect()
}

fn names(h: &[Hit]) -> Vec<String> {
    h.iter().map(|(_, n)| n.clone()).collect()
}

/// The number in the results heading ("12 prestataires").
fn total(html: &str) -> i64 {
    let h = html
        .split("<h2 id=\"results-title\" role=\"status\">")
        .nth(1)
        .expect("results heading")
        .split("</h2>")
        .next()
        .unwrap();
    if h.starts_with("Aucun") {
        return 0;
    }
    assert!(h.contains("prestataire"), "heading: {h}");
    h.split("prestataire")
        .next()
        .unwrap()
        .chars()
        .filter(|c| c.is_ascii_digit())
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("count in {h}"))
}

/// The filter links of a results page with their counts.
fn facet_links(html: &str) -> Vec<FacetLink> {
    let aside = html
        .split("<aside class=\"facets\"")
        .nth(1)
        .expect("filters")
        .split("</aside>")
        .next()
        .unwrap();
    aside
        .split("<li><a href=\"")
        .skip(1)
        .filter_map(|c| {
            let (href, rest) = c.split_once("\">")?;
            let (label, rest) = rest.split_once("</a>")?;
            let n = rest
                .strip_prefix(" <span class=\"muted\">(")?
                .split(')')
                .next()?;
            Some((unescape(href), unescape(label), n.parse().ok()?))
        })
        .collect()
}

/// A search page as an anonymous visitor sees it.
async fn search(app: &TestApp, path: &str) -> (u16, String) {
    let res = client().get(app.url(path)).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

fn q(text: &str) -> String {
    format!(
        "/annuaire?{}",
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("q", text)
            .finish()
    )
}

async fn theme_id(app: &TestApp, slug: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM themes WHERE slug = $1")
        .bind(slug)
        .fetch_one(&app.db.pool)
        .await
        .unwrap_or_else(|_| panic!("theme {slug}"))
}

async fn card_id(app: &TestApp, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM providers WHERE name = $1")
        .bind(name)
        .fetch_one(&app.db.pool)
        .await
        .unwrap_or_else(|_| panic!("card {name}"))
}

async fn status_of(app: &TestApp, id: i64) -> String {
    model::get(&app.db, id).await.unwrap().unwrap().status
}

/// What a test card says.
#[derive(Default)]
struct Spec<'a> {
    name: &'a str,
    kind: &'a str,
    description: &'a str,
    themes: &'a [&'a str],
    territories: &'a [&'a str],
    remote: bool,
    sectors: &'a [&'a str],
    sizes: &'a [&'a str],
}

/// Store a card through the model (checked like the form, no identifier).
async fn add_card(app: &TestApp, s: &Spec<'_>, status: &str) -> i64 {
    let mut links = Links::default();
    for slug in s.themes {
        links.themes.push(theme_id(app, slug).await);
    }
    links.territories = s.territories.iter().map(|t| t.to_string()).collect();
    links.sectors = s.sectors.iter().map(|t| t.to_string()).collect();
    links.sizes = s.sizes.iter().map(|t| t.to_string()).collect();
    let form = CardForm {
        name: s.name.into(),
        country: "FR".into(),
        kind: s.kind.into(),
        description: s.description.into(),
        remote: s.remote,
        links,
        ..Default::default()
    };
    let valid = model::validate(&app.db, &form, false)
        .await
        .unwrap()
        .unwrap_or_else(|v| panic!("card {} invalid: {v:?}", s.name));
    let id = store::create(&app.db, &valid, status, "test", None)
        .await
        .unwrap_or_else(|e| panic!("card {}: {e:?}", s.name));
    // Written behind the server's back: the server forgets its searches as
    // its own pages do after a change.
    app.state.directory.forget();
    id
}

/// The order the published rule gives: relevance (sum of the weights of the
/// query's terms, read from the stored index), then (id × k) mod 1,000,003,
/// then id. Only cards holding every term are listed.
async fn rule_order(app: &TestApp, text: &str, k: i64) -> Vec<i64> {
    let terms = query_terms(text);
    let published: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM providers WHERE status = 'published' ORDER BY id")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let mut scored = vec![];
    for id in published {
        let index: Vec<(String, i64)> =
            sqlx::query_as("SELECT term, weight FROM provider_terms WHERE provider_id = $1")
                .bind(id)
                .fetch_all(&app.db.pool)
                .await
                .unwrap();
        // A card matches one variant of the query (with the shipped
        // synonyms); its relevance is the best variant's.
        let variants = tremplin::directory::synonyms::parse(tremplin::directory::synonyms::DEFAULT)
            .unwrap()
            .expand(&terms);
        let mut best: Option<i64> = None;
        for variant in &variants {
            let mut score = 0;
            let mut all = true;
            for t in variant {
                match index.iter().find(|(x, _)| x == t) {
                    Some((_, w)) => score += w,
                    None => all = false,
                }
            }
            if all {
                best = Some(best.map_or(score, |b| b.max(score)));
            }
        }
        if let Some(score) = best {
            scored.push((score, id));
        }
    }
    scored.sort_by_key(|(score, id)| (-score, neutral_key(*id, k)));
    scored.into_iter().map(|(_, id)| id).collect()
}

/// Sign up a provider account and follow the verification link.
pub async fn new_provider(app: &TestApp, email: &str, name: &str) -> Browser {
    let mut b = Browser::new(app).await;
    let (status, location, _) = b
        .submit(
            "/inscription",
            &[
                ("account_type", "provider"),
                ("name", name),
                ("email", email),
                ("password", "une phrase de passe solide"),
                ("password_confirm", "une phrase de passe solide"),
                ("consent", "on"),
            ],
        )
        .await;
    assert_eq!((status, location.as_str()), (303, "/inscription/envoye"));
    let mail = app.last_mail_to(email).await;
    let link = link_in(&mail.body_text, "http");
    let path = link[link.find("/verification/").unwrap()..].to_string();
    let (status, location, _) = b.submit(&path, &[]).await;
    assert_eq!((status, location.as_str()), (303, "/compte?bienvenue=1"));
    b
}

/// The value of a hidden or text input in a form.
fn input_value(html: &str, name: &str) -> String {
    let at = html
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no input {name}"));
    unescape(
        html[at..]
            .split("value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap(),
    )
}

/// The card number in `/prestataire/fiche/{id}?...`.
fn id_in(location: &str) -> i64 {
    location
        .trim_start_matches("/prestataire/fiche/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("card number in {location}"))
}
