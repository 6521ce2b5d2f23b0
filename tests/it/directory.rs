//! Directory of digital providers: search (word forms, neutral order, the
//! same answers on both databases), filters and counts, the provider's
//! journey from sign-up to publication, logos, claims, stale cards, CSV
//! import and the public export, and who may open what.

use crate::both_databases;
use crate::harness::{client, fetch_bytes, link_in, Browser, TestApp, PW};
use tremplin::cli::seed::siren_from;
use tremplin::directory::model::{self, CardForm, Links};
use tremplin::directory::public::{self, SearchQuery};
use tremplin::directory::search::{day_seed, neutral_key, query_terms, today};
use tremplin::directory::store;

both_databases!(
    search_matches_word_forms_and_never_errors,
    neutral_order_follows_the_published_rule,
    filters_counts_and_pagination_agree,
    provider_signs_up_and_gets_published,
    taken_identifier_and_claim_of_an_imported_card,
    stale_cards_are_flagged_and_reminded_once,
    import_reports_rows_and_export_lists_public_cards,
    directory_access_by_role,
    hand_edited_urls_and_claims_on_drafts,
    decomposed_accents_are_found_and_old_terms_rebuilt,
);

/// A name typed with decomposed accents (macOS, a copy from a PDF) is found
/// by the composed and the unaccented spelling; terms stored by an older
/// folding are rebuilt at start-up.
async fn decomposed_accents_are_found_and_old_terms_rebuilt(app: &TestApp) {
    // "Dvořák Numérique" with every accent as a separate combining mark.
    let decomposed = "Atelier Dvor\u{30c}a\u{301}k Nume\u{301}rique";
    let id = add_card(
        app,
        &Spec {
            name: decomposed,
            kind: "Agence web",
            remote: true,
            ..Default::default()
        },
        "published",
    )
    .await;
    let found = |html: &str| ids(&hits(html)).contains(&id);
    for query in ["Dvořák", "dvorak", "DVORAK numerique", "Numérique Dvořák"] {
        let (status, html) = search(app, &q(query)).await;
        assert_eq!(status, 200, "{query}");
        assert!(found(&html), "{query} finds the card");
    }
    let (_, html) = search(app, &q("dvor")).await;
    assert!(!found(&html), "the word was not split at the accent");

    // Terms written by the former folding (accents other than French kept)...
    let term = query_terms("dvorak").remove(0);
    sqlx::query("UPDATE provider_terms SET term = 'dvořak' WHERE provider_id = $1 AND term = $2")
        .bind(id)
        .bind(&term)
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE derived_versions SET version = 1 WHERE name = 'directory_terms'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    app.state.directory.forget();
    let (_, html) = search(app, &q("dvorak")).await;
    assert!(!found(&html), "stale terms miss the unaccented query");
    // ...are rebuilt by the start-up check, once.
    assert!(store::refold_if_stale(&app.db).await.unwrap());
    assert!(!store::refold_if_stale(&app.db).await.unwrap());
    // At a real start-up no search is cached yet; here the server has some.
    app.state.directory.forget();
    let (_, html) = search(app, &q("dvorak")).await;
    assert!(found(&html), "rebuilt terms match again");
}

/// A URL edited by hand shows page 1 rather than an error; only a
/// published card can be claimed.
async fn hand_edited_urls_and_claims_on_drafts(app: &TestApp) {
    for path in [
        "/annuaire?page=",
        "/annuaire?page=abc",
        "/annuaire?page=1.5",
        "/annuaire?q=site&q=web",
        "/ateliers?page=abc",
        "/ateliers?theme=a&theme=b",
        "/api/v1/workshops?page=x",
    ] {
        let res = client().get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
    }
    let pending: i64 = app
        .count("SELECT id FROM providers WHERE status = 'pending' ORDER BY id LIMIT 1")
        .await;
    let mut keeper = Browser::signed_in(app, KEEPER, PW).await;
    let (status, _, _) = keeper
        .submit(
            &format!("/annuaire/{pending}/revendiquer"),
            &[("message", "c'est moi")],
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(app.count("SELECT COUNT(*) FROM provider_claims").await, 0);
}

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

/// A PNG of noise (so that it does not compress to nothing).
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut img = image::RgbaImage::new(width, height);
    let mut x: u32 = 12_345;
    for p in img.pixels_mut() {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        *p = image::Rgba([(x >> 16) as u8, (x >> 8) as u8, (x >> 24) as u8, 255]);
    }
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A JPEG of `width` × `height` pixels whose EXIF tag says to turn it
/// (`orientation` 6: 90° clockwise), as a phone camera writes it.
fn jpeg_with_orientation(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, _| image::Rgb([(x * 3) as u8, 90, 160]));
    let mut jpeg = std::io::Cursor::new(Vec::new());
    img.write_to(&mut jpeg, image::ImageFormat::Jpeg).unwrap();
    let jpeg = jpeg.into_inner();
    // APP1 "Exif": big-endian TIFF header, one IFD entry (0x0112 Orientation, SHORT).
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
    exif.extend_from_slice(&orientation.to_be_bytes());
    exif.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xff, 0xe1]);
    out.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&exif);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// Post a logo as the card form does (status and body; 0 if the server cut
/// the connection).
async fn post_logo(
    app: &TestApp,
    b: &Browser,
    id: i64,
    file_name: &str,
    mime: &str,
    bytes: Vec<u8>,
) -> (u16, String) {
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name(file_name.to_string())
        .mime_str(mime)
        .unwrap();
    let form = reqwest::multipart::Form::new().part("logo", part);
    let res = client()
        .post(app.url(&format!(
            "/prestataire/fiche/{id}/logo?csrf_token={}",
            b.csrf()
        )))
        .header("cookie", b.cookie_header())
        .multipart(form)
        .send()
        .await;
    match res {
        Ok(r) => {
            let status = r.status().as_u16();
            let location = r
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default();
            let body = r.text().await.unwrap_or_default();
            (status, if status == 303 { location } else { body })
        }
        Err(e) => (0, e.to_string()),
    }
}

/// The logo as served to everyone.
/// The logo as seen by a visitor holding `cookie` (empty: anonymous).
async fn logo_bytes(app: &TestApp, id: i64, cookie: &str) -> (u16, String, Vec<u8>) {
    fetch_bytes(app, &format!("/annuaire/{id}/logo"), cookie).await
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

/// The two word-form cards and two look-alikes, approved by the manager.
async fn word_form_cards(app: &TestApp) -> Vec<i64> {
    let specs = [
        Spec {
            name: "Électriciens du Médoc",
            kind: "Électricien",
            description: "Dépannage électrique, réseaux et alarmes pour les commerces du Médoc.",
            themes: &["travail-mobile"],
            territories: &["FR-D33"],
            ..Default::default()
        },
        Spec {
            name: "Sites Web Dupont",
            kind: "Agence web",
            description: "Création et refonte de vitrines internet, référencement local.",
            themes: &["site-vitrine"],
            territories: &["FR-D33"],
            ..Default::default()
        },
        Spec {
            name: "Le Site du Web Bordelais",
            kind: "Développeur indépendant",
            description: "Petits sites pour les associations.",
            themes: &["site-vitrine"],
            territories: &["FR-C33063"],
            ..Default::default()
        },
        Spec {
            name: "Dupont Informatique",
            kind: "Dépannage informatique",
            description: "Ordinateurs, imprimantes et sauvegardes.",
            themes: &["sauvegardes"],
            territories: &["FR-D40"],
            ..Default::default()
        },
    ];
    let mut out = vec![];
    for s in &specs {
        out.push(add_card(app, s, "pending").await);
    }
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    for id in &out {
        let (status, location, _) = admin
            .submit(
                "/admin/annuaire",
                &[("action", "approve"), ("id", &id.to_string()), ("note", "")],
            )
            .await;
        assert_eq!(
            (status, location.as_str()),
            (303, "/admin/annuaire?fait=approve")
        );
    }
    out
}

/// Queries whose answers must not depend on the database.
const QUERIES: &[&str] = &[
    "electricien",
    "ÉLECTRICIENS",
    "site web",
    "sites Web",
    "dupont",
    "DUPONT",
    "web",
    "cybersécurité",
    "boutique en ligne",
    "Médoc",
    "informatique",
    "",
];

/// The first page of results of each query of [`QUERIES`].
async fn answers(app: &TestApp) -> Vec<Vec<Hit>> {
    let mut out = vec![];
    for text in QUERIES {
        let (status, html) = search(app, &q(text)).await;
        assert_eq!(status, 200, "query {text}");
        out.push(hits(&html));
    }
    out
}

// ---------------------------------------------------------------- 1. search

async fn search_matches_word_forms_and_never_errors(app: &TestApp) {
    // Before approval, nobody finds the cards.
    let (_, html) = search(app, &q("electricien")).await;
    let before = names(&hits(&html));
    assert!(before.contains(&"Électriciens Connectés du Libournais".to_string()));
    word_form_cards(app).await;

    let find = |text: &'static str| async move {
        let (status, html) = search(app, &q(text)).await;
        assert_eq!(status, 200);
        hits(&html)
    };
    let electricien = find("electricien").await;
    assert!(names(&electricien).contains(&"Électriciens du Médoc".to_string()));
    assert!(names(&electricien).contains(&"Électriciens Connectés du Libournais".to_string()));
    assert!(!names(&electricien).contains(&"Sites Web Dupont".to_string()));
    assert_eq!(find("ÉLECTRICIENS").await, electricien);
    assert_eq!(find("Electriciens").await, electricien);

    let site_web = find("site web").await;
    let top: std::collections::BTreeSet<String> = names(&site_web).into_iter().take(2).collect();
    assert_eq!(
        top,
        ["Le Site du Web Bordelais", "Sites Web Dupont"]
            .map(String::from)
            .into()
    );
    assert!(!names(&site_web).contains(&"Électriciens du Médoc".to_string()));
    assert_eq!(find("sites Web").await, site_web);
    assert_eq!(find("SITES WEB").await, site_web);

    let dupont = names(&find("dupont").await);
    assert!(dupont.contains(&"Sites Web Dupont".to_string()));
    assert!(dupont.contains(&"Dupont Informatique".to_string()));

    // Whatever is typed, the answer is a page.
    let long = "site web électricien ".repeat(250);
    assert!(long.chars().count() >= 5_000);
    for text in [
        "\"site\" AND (web OR -shop)*",
        long.as_str(),
        "'; DROP TABLE providers; --",
        "%_\\ * ? ~ ^ : ( ) [ ] { } < > | & !",
        "   ",
        "\u{7f}é\u{301}",
    ] {
        let (status, html) = search(app, &q(text)).await;
        assert_eq!(status, 200, "query {text:?}");
        total(&html);
    }
    // A NUL byte is refused as invalid input, the field named (issue 12).
    let (status, html) = search(app, &q("\u{0}\u{7f}é\u{301}")).await;
    assert_eq!(status, 400);
    assert!(html.contains("data-refused-field=\"q\""), "{html}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM providers").await,
        7 + 4,
        "the table is still there"
    );

    // Every answer is the published rule, computed here from the index.
    let k = day_seed(today());
    for (text, got) in QUERIES.iter().zip(answers(app).await) {
        let expected = rule_order(app, text, k).await;
        let expected: Vec<i64> = expected.into_iter().take(20).collect();
        assert_eq!(ids(&got), expected, "order of {text:?}");
    }
}

/// The same searches on SQLite and PostgreSQL list the same cards in the same order.
mod same_on_both_databases {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite_and_postgres_answer_alike() {
        let lite = TestApp::spawn(tremplin::db::Backend::Sqlite).await.unwrap();
        let Some(pg) = TestApp::spawn(tremplin::db::Backend::Postgres).await else {
            lite.finish().await;
            return;
        };
        word_form_cards(&lite).await;
        word_form_cards(&pg).await;
        let a = answers(&lite).await;
        let b = answers(&pg).await;
        for (text, (x, y)) in QUERIES.iter().zip(a.iter().zip(b.iter())) {
            assert!(!text.is_empty() || !x.is_empty());
            assert_eq!(x, y, "query {text:?}");
        }
        lite.finish().await;
        pg.finish().await;
    }
}

// ---------------------------------------------------------------- 2. neutral order

async fn neutral_order_follows_the_published_rule(app: &TestApp) {
    for n in 0..3 {
        let name = format!("Prestataire neutre {n}");
        add_card(
            app,
            &Spec {
                name: &name,
                kind: "Informaticien",
                themes: &["sauvegardes"],
                territories: &["FR-D33"],
                ..Default::default()
            },
            "published",
        )
        .await;
    }
    let published: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM providers WHERE status = 'published'")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert!(published.len() >= 6);
    let rule = |k: i64| {
        let mut v = published.clone();
        v.sort_by_key(|id| neutral_key(*id, k));
        v
    };
    let k = day_seed(today());
    let (status, html) = search(app, "/annuaire").await;
    assert_eq!(status, 200);
    assert_eq!(ids(&hits(&html)), rule(k));
    assert_eq!(total(&html), published.len() as i64);
    // The page explains the rule and gives today's k.
    assert!(html.contains("Comment les résultats sont-ils classés ?"));
    assert!(html.contains("modulo 1 000 003"));
    assert!(unescape(&html).contains(&format!("Valeur de k aujourd'hui : {k}.")));
    // Stable within the day, for everyone.
    let mut marie = Browser::signed_in(app, OWNER, PW).await;
    let (_, again) = marie.page("/annuaire").await;
    assert_eq!(ids(&hits(&again)), rule(k));
    let (_, third) = search(app, "/annuaire").await;
    assert_eq!(ids(&hits(&third)), rule(k));

    // Another day gives another order (the first later day that differs).
    let other = (1..400)
        .map(|d| day_seed(today() + d))
        .find(|s| rule(*s) != rule(k))
        .expect("some day changes the order");
    let run = |seed: i64| async move {
        public::run(
            &app.db,
            &app.state.directory.snapshot,
            &SearchQuery::default(),
            "fr",
            seed,
        )
        .await
        .unwrap()
        .hits
        .iter()
        .map(|h| h.id)
        .collect::<Vec<_>>()
    };
    let today_order = run(k).await;
    let other_order = run(other).await;
    assert_eq!(today_order, rule(k));
    assert_eq!(other_order, rule(other));
    assert_ne!(today_order, other_order);
    assert_eq!(run(k).await, today_order, "same seed, same order");
}

// ---------------------------------------------------------------- 3. filters

async fn filters_counts_and_pagination_agree(app: &TestApp) {
    let bordeaux = add_card(
        app,
        &Spec {
            name: "Plombier Connecté Bordelais",
            kind: "Domotique",
            themes: &["travail-mobile"],
            territories: &["FR-C33063"],
            sectors: &["47"],
            sizes: &["1-9"],
            ..Default::default()
        },
        "published",
    )
    .await;
    add_card(
        app,
        &Spec {
            name: "Landes Web Services",
            kind: "Agence web",
            themes: &["site-vitrine"],
            territories: &["FR-D40"],
            sectors: &["56"],
            sizes: &["0", "1-9"],
            ..Default::default()
        },
        "published",
    )
    .await;
    // A draft never counts.
    add_card(
        app,
        &Spec {
            name: "Brouillon Girondin",
            themes: &["site-vitrine"],
            territories: &["FR-D33"],
            ..Default::default()
        },
        "draft",
    )
    .await;

    // Territory: the department finds its communes and remote providers.
    let (status, html) = search(app, "/annuaire?territory=FR-D33").await;
    assert_eq!(status, 200);
    let found = names(&hits(&html));
    assert!(found.contains(&"Plombier Connecté Bordelais".to_string()));
    assert!(found.contains(&"Cyber Sud-Ouest".to_string()));
    assert!(found.contains(&"Atelier Pixel Garonne".to_string()));
    assert!(found.contains(&"Studio Réseaux Sociaux Bordeaux".to_string()));
    assert!(!found.contains(&"Compta Facile Landes".to_string()));
    assert!(!found.contains(&"Landes Web Services".to_string()));
    assert!(!found.contains(&"Brouillon Girondin".to_string()));
    assert!(ids(&hits(&html)).contains(&bordeaux));
    assert_eq!(total(&html), found.len() as i64);
    // The commune finds its department's providers too.
    let (_, html) = search(app, "/annuaire?territory=FR-C33063").await;
    let commune = names(&hits(&html));
    assert!(commune.contains(&"Atelier Pixel Garonne".to_string()));
    assert!(commune.contains(&"Plombier Connecté Bordelais".to_string()));
    assert!(!commune.contains(&"Compta Facile Landes".to_string()));
    let (_, html) = search(app, "/annuaire?territory=FR-D40").await;
    let landes = names(&hits(&html));
    assert!(landes.contains(&"Compta Facile Landes".to_string()));
    assert!(landes.contains(&"Cyber Sud-Ouest".to_string()));
    assert!(!landes.contains(&"Plombier Connecté Bordelais".to_string()));

    // Theme: exactly the published cards offering it.
    let (_, html) = search(app, "/annuaire?theme=site-vitrine").await;
    let mut got = names(&hits(&html));
    got.sort();
    let mut expected: Vec<String> = sqlx::query_scalar(
        "SELECT p.name FROM providers p JOIN provider_themes x ON x.provider_id = p.id JOIN themes t ON t.id = x.theme_id \
         WHERE t.slug = 'site-vitrine' AND p.status = 'published'",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    expected.sort();
    assert_eq!(got, expected);
    assert!(got.contains(&"Landes Web Services".to_string()));
    // Combined with a territory.
    let (_, html) = search(app, "/annuaire?theme=site-vitrine&territory=FR-D33").await;
    let both = names(&hits(&html));
    assert!(both.contains(&"Atelier Pixel Garonne".to_string()));
    assert!(!both.contains(&"Landes Web Services".to_string()));
    // Sector: a card naming no sector serves them all.
    let (_, html) = search(app, "/annuaire?sector=56").await;
    let sector = names(&hits(&html));
    assert!(sector.contains(&"Landes Web Services".to_string()));
    assert!(sector.contains(&"Cyber Sud-Ouest".to_string()));
    assert!(!sector.contains(&"Plombier Connecté Bordelais".to_string()));
    let (_, html) = search(app, "/annuaire?size=0").await;
    let size = names(&hits(&html));
    assert!(size.contains(&"Landes Web Services".to_string()));
    assert!(!size.contains(&"Plombier Connecté Bordelais".to_string()));

    // Every count shown is the number of results behind its link.
    for start in [
        "/annuaire",
        "/annuaire?territory=FR-D33",
        "/annuaire?q=web",
        "/annuaire?theme=site-vitrine&size=1-9",
    ] {
        let (_, html) = search(app, start).await;
        let links = facet_links(&html);
        assert!(links.len() >= 3, "filters on {start}: {links:?}");
        for (href, label, count) in links {
            let (status, page) = search(app, &href).await;
            assert_eq!(status, 200, "{href}");
            assert_eq!(total(&page), count, "{label} from {start}: {href}");
            // The chosen filter shows the same count.
            assert!(
                unescape(&page).contains(&format!(
                    "<strong aria-current=\"true\">{label} ({count})</strong>"
                )),
                "{href} marks its filter"
            );
        }
    }
    let (_, html) = search(app, "/annuaire").await;
    let themes: Vec<FacetLink> = facet_links(&html)
        .into_iter()
        .filter(|(h, _, _)| h.contains("theme="))
        .collect();
    let vitrine = themes
        .iter()
        .find(|(h, _, _)| h == "/annuaire?theme=site-vitrine")
        .expect("site-vitrine filter");
    assert_eq!(vitrine.2, expected.len() as i64);

    // Pagination: 24 more cards.
    for n in 0..24 {
        let name = format!("Informaticien de Gironde {n:02}");
        add_card(
            app,
            &Spec {
                name: &name,
                kind: "Informaticien",
                themes: &["sauvegardes"],
                territories: &["FR-D33"],
                ..Default::default()
            },
            "published",
        )
        .await;
    }
    let k = day_seed(today());
    let expected = rule_order(app, "", k).await;
    assert!(expected.len() > 20);
    let (_, first) = search(app, "/annuaire").await;
    assert_eq!(total(&first), expected.len() as i64);
    assert!(first.contains("Page 1 sur 2"));
    assert_eq!(hits(&first).len(), 20);
    let next = first
        .split("rel=\"next\"")
        .next()
        .unwrap()
        .rsplit("href=\"")
        .next()
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert_eq!(unescape(next), "/annuaire?page=2");
    let (_, second) = search(app, "/annuaire?page=2").await;
    assert!(second.contains("Page 2 sur 2"));
    let mut all = ids(&hits(&first));
    all.extend(ids(&hits(&second)));
    assert_eq!(all, expected);
    // Out of range: an empty page, not an error.
    let (status, _) = search(app, "/annuaire?page=99").await;
    assert_eq!(status, 200);
    let (status, _) = search(app, "/annuaire?page=-3").await;
    assert_eq!(status, 200);

    // A filtered search keeps its filters in the page links, and its URL can be shared.
    let shared = "/annuaire?q=informaticien&territory=FR-D33&page=2";
    let (_, a) = search(app, shared).await;
    let mut other = Browser::signed_in(app, OWNER, PW).await;
    let (_, b) = other.page(shared).await;
    assert!(!hits(&a).is_empty());
    assert_eq!(hits(&a), hits(&b));
    let prev = a
        .split("rel=\"prev\"")
        .next()
        .unwrap()
        .rsplit("href=\"")
        .next()
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert_eq!(
        unescape(prev),
        "/annuaire?q=informaticien&territory=FR-D33&page=1"
    );
    let (_, p1) = search(app, &unescape(prev)).await;
    let mut both_pages = ids(&hits(&p1));
    both_pages.extend(ids(&hits(&a)));
    let mut sorted = both_pages.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), both_pages.len(), "no card on two pages");
    assert_eq!(total(&a), both_pages.len() as i64);
}

// ---------------------------------------------------------------- 4. provider journey

async fn provider_signs_up_and_gets_published(app: &TestApp) {
    let email = "lucie@studio-estuaire.fr";
    let mut lucie = new_provider(app, email, "Lucie Garnier").await;
    let (status, html) = lucie.page("/prestataire").await;
    assert_eq!(status, 200);
    assert!(unescape(&html).contains("Vous n'avez pas encore de fiche"));
    let (status, html) = lucie.page("/prestataire/fiche/nouvelle").await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"legal_id\""));

    let vitrine = theme_id(app, "site-vitrine").await.to_string();
    let boutique = theme_id(app, "boutique-en-ligne").await.to_string();
    let siren = siren_from("81234599");
    let (status, location, body) = lucie
        .submit(
            "/prestataire/fiche/nouvelle",
            &[
                ("name", "Studio Estuaire"),
                ("country", "FR"),
                ("legal_id", &siren),
                ("kind", "Agence web"),
                (
                    "description",
                    "Création de sites internet et de boutiques pour les artisans de l'estuaire.",
                ),
                ("themes", &vitrine),
                ("themes", &boutique),
                ("territories", "FR-D33"),
                ("sectors", "47"),
                ("sizes", "0"),
                ("sizes", "1-9"),
                ("prices", "Site vitrine à partir de 1 200 € HT"),
                ("refs", "Boulangerie du Port, Blaye"),
                ("website", "studio-estuaire.fr"),
                ("email", email),
                ("phone", "05 57 00 00 00"),
                (
                    "social",
                    "https://www.linkedin.com/company/studio-estuaire\nwww.instagram.com/studio.estuaire",
                ),
                ("address", "3 quai de l'Estuaire"),
                ("postcode", "33000"),
                ("town", "Bordeaux"),
                ("commune_code", "FR-C33063"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert!(location.ends_with("?cree=1"), "{location}");
    let id = id_in(&location);
    assert_eq!(status_of(app, id).await, "draft");
    let (status, html) = lucie.page(&location).await;
    assert_eq!(status, 200);
    assert!(html.contains("Brouillon"));
    assert!(html.contains("La fiche est enregistrée en brouillon"));
    // Not public yet.
    let (status, _) = search(app, &format!("/annuaire/{id}")).await;
    assert_eq!(status, 404);
    let mut marie = Browser::signed_in(app, OWNER, PW).await;
    assert_eq!(marie.page(&format!("/annuaire/{id}")).await.0, 404);
    let (_, html) = search(app, &q("studio estuaire")).await;
    assert!(!ids(&hits(&html)).contains(&id));
    // Its keeper previews it.
    let (status, html) = lucie.page(&format!("/annuaire/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Brouillon"));
    let (_, mine) = lucie.page("/prestataire").await;
    assert!(mine.contains(&format!(
        "href=\"/prestataire/fiche/{id}\">Studio Estuaire</a>"
    )));

    // A real logo, shrunk to 256 px.
    let (status, _, _) = logo_bytes(app, id, &lucie.cookie_header()).await;
    assert_eq!(status, 404, "no logo yet");
    let (status, location) =
        post_logo(app, &lucie, id, "logo.png", "image/png", png(600, 400)).await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("/prestataire/fiche/{id}?logo=1").as_str())
    );
    let (_, html) = lucie.page(&location).await;
    assert!(html.contains("Le logo est en ligne."));
    let (status, _, _) = logo_bytes(app, id, "").await;
    assert_eq!(status, 404, "the logo of a draft card is not public");
    let (status, mime, logo) = logo_bytes(app, id, &lucie.cookie_header()).await;
    assert_eq!((status, mime.as_str()), (200, "image/png"));
    let img = image::load_from_memory(&logo).expect("the logo is an image");
    assert!(img.width() <= 256 && img.height() <= 256);
    assert_eq!(img.width(), 256);
    assert!((170..=171).contains(&img.height()), "{}", img.height());
    let version = model::get(&app.db, id).await.unwrap().unwrap().version;

    // Bad logos: clear messages, nothing changes.
    let text = b"Ceci n'est pas une image, seulement du texte.\n".to_vec();
    let (status, body) = post_logo(app, &lucie, id, "logo.png", "image/png", text).await;
    assert_eq!(status, 422);
    assert!(unescape(&body).contains("n'est pas une image"), "{body}");
    let big = png(1000, 800);
    assert!(big.len() > 3_000_000, "{}", big.len());
    let (status, body) = post_logo(app, &lucie, id, "grand.png", "image/png", big).await;
    assert!(status == 422 || status == 413, "{status} {body}");
    if status == 422 {
        assert!(unescape(&body).contains("dépasse 2 Mo"), "{body}");
    }
    let full = png(600, 400);
    let cut = full[..full.len() / 2].to_vec();
    let (status, body) = post_logo(app, &lucie, id, "coupe.png", "image/png", cut).await;
    assert_eq!(status, 422);
    assert!(unescape(&body).contains("abîmée"), "{body}");
    let (status, body) = post_logo(app, &lucie, id, "vide.png", "image/png", vec![]).await;
    assert_eq!(status, 422);
    assert!(body.contains("Choisissez une image."));
    let (_, _, after) = logo_bytes(app, id, &lucie.cookie_header()).await;
    assert_eq!(after, logo, "the logo is unchanged");
    let card = model::get(&app.db, id).await.unwrap().unwrap();
    assert_eq!((card.version, card.status.as_str()), (version, "draft"));
    // A phone photo stored sideways with an EXIF orientation tag is turned upright.
    let (status, _) = post_logo(
        app,
        &lucie,
        id,
        "photo.jpg",
        "image/jpeg",
        jpeg_with_orientation(80, 40, 6),
    )
    .await;
    assert_eq!(status, 303);
    let (_, _, upright) = logo_bytes(app, id, &lucie.cookie_header()).await;
    let img = image::load_from_memory(&upright).expect("the logo is an image");
    assert!(
        img.height() > img.width(),
        "{}x{}",
        img.width(),
        img.height()
    );
    assert_eq!(img.height(), 2 * img.width());
    // Somebody else's card: not found.
    let mut keeper = Browser::signed_in(app, KEEPER, PW).await;
    let (status, _) = post_logo(app, &keeper, id, "logo.png", "image/png", png(10, 10)).await;
    assert_eq!(status, 404);
    assert_eq!(
        keeper.page(&format!("/prestataire/fiche/{id}")).await.0,
        404
    );

    // Submitted: pending, and the programme team is told.
    let (status, location, _) = lucie
        .submit(&format!("/prestataire/fiche/{id}"), &[("action", "submit")])
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("/prestataire/fiche/{id}?soumise=1").as_str())
    );
    assert_eq!(status_of(app, id).await, "pending");
    let mail = mail_about(app, TEAM, "Fiche à valider : Studio Estuaire").await;
    assert!(mail.body_text.contains("/admin/annuaire"));
    assert_eq!(search(app, &format!("/annuaire/{id}")).await.0, 404);

    // The manager approves: published, and the keeper is told.
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (status, html) = admin.page("/admin/annuaire").await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("<a href=\"/annuaire/{id}\">Studio Estuaire</a>")));
    let (status, location, _) = admin
        .submit(
            "/admin/annuaire",
            &[("action", "approve"), ("id", &id.to_string()), ("note", "")],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/admin/annuaire?fait=approve")
    );
    let (_, html) = admin.page(&location).await;
    assert!(html.contains("La fiche est publiée"));
    assert_eq!(status_of(app, id).await, "published");
    let mail = mail_about(app, email, "Votre fiche « Studio Estuaire » est publiée").await;
    assert!(mail.body_text.contains(&format!("/prestataire/fiche/{id}")));

    // Public, with what the provider wrote.
    let (status, html) = search(app, &format!("/annuaire/{id}")).await;
    assert_eq!(status, 200);
    let text = unescape(&html);
    for part in [
        "Studio Estuaire",
        "Agence web",
        "Créer un site vitrine simple",
        "Gironde",
        "Site vitrine à partir de 1 200 € HT",
        "Boulangerie du Port, Blaye",
        "https://studio-estuaire.fr/",
        "https://www.instagram.com/studio.estuaire",
        "3 quai de l'Estuaire 33000 Bordeaux",
        "+33557000000",
        "Dernière mise à jour",
        "/annuaire/",
    ] {
        assert!(text.contains(part), "card shows {part}");
    }
    assert!(html.contains(&format!("src=\"/annuaire/{id}/logo\"")));

    // A business finds it by search and filters.
    for path in [
        q("studio estuaire"),
        q("boutiques"),
        q("SITE vitrine estuaire"),
        "/annuaire?theme=site-vitrine&territory=FR-D33&size=1-9&sector=47".to_string(),
        "/annuaire?q=agence%20web&territory=FR-C33063".to_string(),
    ] {
        let (status, html) = marie.page(&path).await;
        assert_eq!(status, 200);
        assert!(ids(&hits(&html)).contains(&id), "{path}");
    }
    let (_, html) = marie
        .page("/annuaire?q=studio%20estuaire&territory=FR-D40")
        .await;
    assert!(!ids(&hits(&html)).contains(&id));
    let (_, html) = marie
        .page("/annuaire?q=studio%20estuaire&size=50-249")
        .await;
    assert!(!ids(&hits(&html)).contains(&id));

    // Unpublished: gone from the directory until republished.
    let (status, _, _) = admin
        .submit(
            "/admin/annuaire",
            &[
                ("action", "unpublish"),
                ("id", &id.to_string()),
                ("note", "Fiche incomplète"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(search(app, &format!("/annuaire/{id}")).await.0, 404);
    let (_, html) = search(app, &q("studio estuaire")).await;
    assert!(!ids(&hits(&html)).contains(&id));
    let mail = mail_about(
        app,
        email,
        "Votre fiche « Studio Estuaire » est retirée de l'annuaire",
    )
    .await;
    assert!(mail.body_text.contains("Fiche incomplète"));
    let (status, _, _) = admin
        .submit(
            "/admin/annuaire",
            &[
                ("action", "republish"),
                ("id", &id.to_string()),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(search(app, &format!("/annuaire/{id}")).await.0, 200);
}

// ---------------------------------------------------------------- 5. identifiers and claims

async fn taken_identifier_and_claim_of_an_imported_card(app: &TestApp) {
    let mut hugo = new_provider(app, "hugo@reseaux-medoc.fr", "Hugo Lambert").await;
    let owner = card_id(app, "Électriciens Connectés du Libournais").await;
    let taken = siren_from("81234568");
    let theme = theme_id(app, "travail-mobile").await.to_string();
    let before = app.count("SELECT COUNT(*) FROM providers").await;
    let (status, _, html) = hugo
        .submit(
            "/prestataire/fiche/nouvelle",
            &[
                ("name", "Réseaux du Médoc"),
                ("country", "FR"),
                ("legal_id", &taken),
                ("kind", "Installateur réseaux"),
                ("description", "Câblage et Wi-Fi pour les commerces."),
                ("themes", &theme),
                ("territories", "FR-D33"),
                ("website", "reseaux-medoc.fr"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("appartient déjà"));
    assert!(html.contains(&format!("href=\"/annuaire/{owner}\"")));
    assert_eq!(input_value(&html, "name"), "Réseaux du Médoc");
    assert_eq!(input_value(&html, "legal_id"), taken);
    assert_eq!(input_value(&html, "kind"), "Installateur réseaux");
    assert_eq!(input_value(&html, "website"), "reseaux-medoc.fr");
    assert!(html.contains("Câblage et Wi-Fi pour les commerces."));
    assert!(html.contains(&format!("value=\"{theme}\" checked")));
    assert_eq!(app.count("SELECT COUNT(*) FROM providers").await, before);

    // The same number written with spaces is the same identifier.
    let spaced = format!("{} {} {}", &taken[..3], &taken[3..6], &taken[6..]);
    let (status, _, html) = hugo
        .submit(
            "/prestataire/fiche/nouvelle",
            &[
                ("name", "Réseaux du Médoc"),
                ("country", "FR"),
                ("legal_id", &spaced),
                ("themes", &theme),
                ("territories", "FR-D33"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("appartient déjà"));

    // Editing a card to take another's identifier is refused too.
    let mut keeper = Browser::signed_in(app, KEEPER, PW).await;
    let pixel = card_id(app, "Atelier Pixel Garonne").await;
    let (_, form) = keeper.page(&format!("/prestataire/fiche/{pixel}")).await;
    let version = input_value(&form, "version");
    let vitrine = theme_id(app, "site-vitrine").await.to_string();
    let (status, _, html) = keeper
        .submit(
            &format!("/prestataire/fiche/{pixel}"),
            &[
                ("action", "save"),
                ("version", &version),
                ("name", "Atelier Pixel Garonne"),
                ("country", "FR"),
                ("legal_id", &taken),
                ("themes", &vitrine),
                ("territories", "FR-D33"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("appartient déjà"));
    assert_eq!(input_value(&html, "legal_id"), taken);
    assert_eq!(
        model::get(&app.db, pixel)
            .await
            .unwrap()
            .unwrap()
            .legal_id_display()
            .replace(' ', ""),
        siren_from("81234567")
    );

    // An imported card has no keeper: Hugo asks to manage it.
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let csv = "name,type,address,postcode,town,region,website\n\
               Réseaux Médoc Services,Installateur réseaux,2 rue du Port,33340,Lesparre-Médoc,Nouvelle-Aquitaine,www.reseaux-medoc.fr\n";
    let (status, html) = admin
        .upload(
            "/admin/annuaire/import",
            "file",
            "annuaire.csv",
            csv.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("1 fiche importée."));
    let imported = card_id(app, "Réseaux Médoc Services").await;
    let (status, html) = hugo.page(&format!("/annuaire/{imported}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("action=\"/annuaire/{imported}/revendiquer\"")));
    let (status, location, _) = hugo
        .submit(
            &format!("/annuaire/{imported}/revendiquer"),
            &[("message", "Je suis le gérant, joignable au 05 56 00 00 00.")],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (
            303,
            format!("/annuaire/{imported}?revendication=1").as_str()
        )
    );
    let (_, html) = hugo.page(&location).await;
    assert!(unescape(&html).contains("Votre demande est envoyée"));
    assert!(!html.contains(&format!("action=\"/annuaire/{imported}/revendiquer\"")));
    // Asking twice keeps one request.
    hugo.submit(
        &format!("/annuaire/{imported}/revendiquer"),
        &[("message", "Encore")],
    )
    .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM provider_claims WHERE provider_id = {imported} AND status = 'pending'"
        ))
        .await,
        1
    );
    // Not his yet.
    assert_eq!(
        hugo.page(&format!("/prestataire/fiche/{imported}")).await.0,
        404
    );

    let (_, html) = admin.page("/admin/annuaire").await;
    assert!(html.contains("hugo@reseaux-medoc.fr"));
    assert!(html.contains("Je suis le gérant, joignable au 05 56 00 00 00."));
    let claim: i64 = sqlx::query_scalar("SELECT id FROM provider_claims WHERE provider_id = $1")
        .bind(imported)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let (status, location, _) = admin
        .submit(
            "/admin/annuaire",
            &[("action", "claim-approve"), ("id", &claim.to_string())],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/admin/annuaire?fait=claim-approve")
    );
    mail_about(
        app,
        "hugo@reseaux-medoc.fr",
        "Vous gérez la fiche « Réseaux Médoc Services »",
    )
    .await;

    // Hugo sees and edits it.
    let (status, mine) = hugo.page("/prestataire").await;
    assert_eq!(status, 200);
    assert!(mine.contains(&format!(
        "href=\"/prestataire/fiche/{imported}\">Réseaux Médoc Services</a>"
    )));
    let (status, form) = hugo.page(&format!("/prestataire/fiche/{imported}")).await;
    assert_eq!(status, 200);
    assert_eq!(input_value(&form, "name"), "Réseaux Médoc Services");
    let version = input_value(&form, "version");
    let own = siren_from("81234588");
    let (status, location, body) = hugo
        .submit(
            &format!("/prestataire/fiche/{imported}"),
            &[
                ("action", "save"),
                ("version", &version),
                ("name", "Réseaux Médoc Services"),
                ("country", "FR"),
                ("legal_id", &own),
                ("kind", "Installateur réseaux"),
                (
                    "description",
                    "Câblage, fibre et Wi-Fi pour les commerces du Médoc.",
                ),
                ("themes", &theme),
                ("territories", "FR-D33"),
                ("website", "www.reseaux-medoc.fr"),
                ("postcode", "33340"),
                ("town", "Lesparre-Médoc"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        location,
        format!("/prestataire/fiche/{imported}?enregistre=1")
    );
    let (_, html) = search(app, &format!("/annuaire/{imported}")).await;
    assert!(html.contains("Câblage, fibre et Wi-Fi pour les commerces du Médoc."));
    let (_, html) = search(app, &q("fibre medoc")).await;
    assert!(ids(&hits(&html)).contains(&imported));
    // The old version number is refused: someone saved since.
    let (status, _, html) = hugo
        .submit(
            &format!("/prestataire/fiche/{imported}"),
            &[
                ("action", "save"),
                ("version", &version),
                ("name", "Réseaux Médoc Services bis"),
                ("country", "FR"),
                ("legal_id", &own),
                ("themes", &theme),
                ("territories", "FR-D33"),
            ],
        )
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("Réseaux Médoc Services bis"));
}

// ---------------------------------------------------------------- 6. stale cards

async fn stale_cards_are_flagged_and_reminded_once(app: &TestApp) {
    let pixel = card_id(app, "Atelier Pixel Garonne").await;
    let (_, html) = search(app, &format!("/annuaire/{pixel}")).await;
    assert!(!html.contains("pas été confirmées"));
    let before = app.mails_to(KEEPER).await;
    let now = tremplin::db::now_ms();
    let two_years_ago = now - 2 * 365 * 86_400_000;
    sqlx::query("UPDATE providers SET confirmed_at = $1 WHERE id = $2")
        .bind(two_years_ago)
        .bind(pixel)
        .execute(&app.db.pool)
        .await
        .unwrap();
    app.state.directory.forget();

    let (_, html) = search(app, &format!("/annuaire/{pixel}")).await;
    assert!(
        unescape(&html)
            .contains("Ces informations n'ont pas été confirmées par le prestataire depuis le"),
        "stale notice"
    );
    let (_, html) = search(app, &q("pixel garonne")).await;
    let card = html
        .split("<li class=\"card provider-card\">")
        .find(|c| c.contains(&format!("href=\"/annuaire/{pixel}\"")))
        .expect("card listed");
    assert!(unescape(card).contains("non confirmée depuis plus d'un an"));
    let (_, html) = search(app, &q("cyber sud ouest")).await;
    assert!(!unescape(&html).contains("non confirmée"));
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (_, html) = admin.page("/admin/annuaire").await;
    assert!(html.contains("non confirmée"));

    // The servers' background job may get there first: either way the
    // keeper gets exactly one reminder.
    let first = store::remind_stale(&app.db, "http://x", now).await.unwrap();
    assert!(first <= 1);
    assert_eq!(
        store::remind_stale(&app.db, "http://x", now).await.unwrap(),
        0
    );
    assert_eq!(
        store::remind_stale(&app.db, "http://x", now + 86_400_000)
            .await
            .unwrap(),
        0
    );
    assert_eq!(app.mails_to(KEEPER).await, before + 1);
    let mail = mail_about(
        app,
        KEEPER,
        "Votre fiche « Atelier Pixel Garonne » est-elle toujours à jour ?",
    )
    .await;
    assert!(mail
        .body_text
        .contains(&format!("/prestataire/fiche/{pixel}")));

    // The keeper sees the flag and confirms.
    let mut keeper = Browser::signed_in(app, KEEPER, PW).await;
    let (_, mine) = keeper.page("/prestataire").await;
    assert!(unescape(&mine).contains("non confirmée depuis plus d'un an"));
    let (_, form) = keeper.page(&format!("/prestataire/fiche/{pixel}")).await;
    assert!(unescape(&form).contains("Votre fiche n'a pas été confirmée depuis plus d'un an"));
    let (status, location, _) = keeper
        .submit(
            &format!("/prestataire/fiche/{pixel}"),
            &[("action", "confirm")],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (
            303,
            format!("/prestataire/fiche/{pixel}?confirmee=1").as_str()
        )
    );
    let (_, html) = keeper.page(&location).await;
    assert!(html.contains("la fiche est confirmée à jour pour un an"));
    let (_, html) = search(app, &format!("/annuaire/{pixel}")).await;
    assert!(!html.contains("pas été confirmées"));
    let (_, html) = search(app, &q("pixel garonne")).await;
    assert!(!unescape(&html).contains("non confirmée"));
    assert_eq!(
        store::remind_stale(&app.db, "http://x", now).await.unwrap(),
        0
    );
    assert_eq!(app.mails_to(KEEPER).await, before + 1);
    // A year later it is due again, once.
    let later = tremplin::db::now_ms() + 366 * 86_400_000;
    // (every card is a year old by then; the keeper hears about its own)
    assert!(
        store::remind_stale(&app.db, "http://x", later)
            .await
            .unwrap()
            >= 1
    );
    assert_eq!(
        store::remind_stale(&app.db, "http://x", later)
            .await
            .unwrap(),
        0
    );
    assert_eq!(app.mails_to(KEEPER).await, before + 2);
}

// ---------------------------------------------------------------- 7. import and export

async fn import_reports_rows_and_export_lists_public_cards(app: &TestApp) {
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (status, html) = admin.page("/admin/annuaire/import").await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"file\""));
    let draft = add_card(
        app,
        &Spec {
            name: "Brouillon Secret",
            themes: &["site-vitrine"],
            territories: &["FR-D33"],
            ..Default::default()
        },
        "draft",
    )
    .await;
    let before = app.count("SELECT COUNT(*) FROM providers").await;
    let csv = "name,type,address,postcode,town,region,website\n\
               Informatique Bassin d'Arcachon,Informaticien,2 allée des Pins,33120,Arcachon,Nouvelle-Aquitaine,www.info-bassin.fr\n\
               Photographe Côte Landaise,Photographe,5 rue du Port,40100,Dax,Nouvelle-Aquitaine,photo-landes.fr\n\
               \"Menuiserie Numérique, Médoc\",Intégrateur,1 place de l'Église,33340,Lesparre-Médoc,Nouvelle-Aquitaine,\n\
               ,Agence web,3 rue Sans Nom,33000,Bordeaux,Nouvelle-Aquitaine,www.sans-nom.fr\n\
               Site Cassé,Agence web,4 rue Cassée,33000,Bordeaux,Nouvelle-Aquitaine,pas une adresse\n\
               Cyber Sud-Ouest,Cybersécurité,,,,Nouvelle-Aquitaine,\n";
    let (status, html) = admin
        .upload(
            "/admin/annuaire/import",
            "file",
            "annuaire.csv",
            csv.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(status, 200, "{html}");
    let text = unescape(&html);
    assert!(text.contains("3 fiches importées."), "{text}");
    assert!(text.contains("1 doublon ignoré."));
    assert!(text.contains("2 lignes refusées"));
    let report = text.split("<tbody>").nth(1).expect("report table");
    assert!(report.contains("<tr><td>5</td><td></td>"), "{report}");
    assert!(
        report.contains("<tr><td>6</td><td>Site Cassé</td>"),
        "{report}"
    );
    assert!(report.contains("adresse web valide"));
    assert!(!report.contains("<td>7</td>"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM providers").await,
        before + 3
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM providers WHERE source = 'import' AND status = 'published'"
        )
        .await,
        3
    );
    let arcachon = card_id(app, "Informatique Bassin d'Arcachon").await;
    let card = model::get(&app.db, arcachon).await.unwrap().unwrap();
    assert_eq!(
        (
            card.postcode.as_str(),
            card.town.as_str(),
            card.region.as_str(),
            card.website.as_str()
        ),
        (
            "33120",
            "Arcachon",
            "Nouvelle-Aquitaine",
            "https://www.info-bassin.fr/"
        )
    );

    // Searchable at once.
    for (text, name) in [
        ("informaticien arcachon", "Informatique Bassin d'Arcachon"),
        ("photographes", "Photographe Côte Landaise"),
        ("menuiserie numerique", "Menuiserie Numérique, Médoc"),
    ] {
        let (_, html) = search(app, &q(text)).await;
        assert!(names(&hits(&html)).contains(&name.to_string()), "{text}");
    }

    // Importing the same file again adds nothing.
    let (status, html) = admin
        .upload(
            "/admin/annuaire/import",
            "file",
            "annuaire.csv",
            csv.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(status, 200);
    assert!(unescape(&html).contains("Aucune fiche importée."));
    assert!(unescape(&html).contains("4 doublons ignorés."));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM providers").await,
        before + 3
    );
    // A file without a name column, and an empty file.
    let (status, html) = admin
        .upload(
            "/admin/annuaire/import",
            "file",
            "x.csv",
            b"nom,ville\nA,B\n".to_vec(),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Colonnes manquantes"));
    let (status, html) = admin
        .upload("/admin/annuaire/import", "file", "x.csv", vec![])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Le fichier est vide."));

    // The export lists the published cards only.
    let published: Vec<String> =
        sqlx::query_scalar("SELECT name FROM providers WHERE status = 'published'")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let mut published_sorted = published.clone();
    published_sorted.sort();
    let res = client()
        .get(app.url("/annuaire/export.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let body = res.text().await.unwrap();
    let body = body.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(body.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    for col in [
        "name", "type", "address", "postcode", "town", "region", "website",
    ] {
        assert!(headers.contains(&col.to_string()), "column {col}");
    }
    let at = |c: &str| headers.iter().position(|h| h == c).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let mut csv_names: Vec<String> = rows.iter().map(|r| r[at("name")].to_string()).collect();
    csv_names.sort();
    assert_eq!(csv_names, published_sorted);
    let row = rows
        .iter()
        .find(|r| &r[at("name")] == "Informatique Bassin d'Arcachon")
        .unwrap();
    assert_eq!(&row[at("postcode")], "33120");
    assert_eq!(&row[at("town")], "Arcachon");
    assert_eq!(&row[at("region")], "Nouvelle-Aquitaine");
    assert_eq!(&row[at("website")], "https://www.info-bassin.fr/");
    assert_eq!(&row[at("type")], "Informaticien");
    assert!(rows
        .iter()
        .any(|r| &r[at("name")] == "Menuiserie Numérique, Médoc"));
    assert!(!csv_names.contains(&"Brouillon Secret".to_string()));
    assert!(!csv_names.contains(&"Nouvelle Boutique Numérique".to_string()));
    // The export reads back as an import: nothing new.
    let (status, html) = admin
        .upload(
            "/admin/annuaire/import",
            "file",
            "export.csv",
            body.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(status, 200);
    assert!(unescape(&html).contains("Aucune fiche importée."), "{html}");

    let res = client()
        .get(app.url("/annuaire/export.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let json: serde_json::Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    let cards = json.as_array().expect("a list of cards");
    let mut json_names: Vec<String> = cards
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    json_names.sort();
    assert_eq!(json_names, published_sorted);
    let cyber = cards
        .iter()
        .find(|c| c["name"] == "Cyber Sud-Ouest")
        .unwrap();
    assert_eq!(cyber["remote"], true);
    assert_eq!(cyber["territories"], serde_json::json!(["FR-R75"]));
    assert!(cyber["themes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "cybersecurite-bases"));
    assert!(cyber["url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/annuaire/{}", cyber["id"])));
    assert!(!cards.iter().any(|c| c["id"] == draft));
}

// ---------------------------------------------------------------- 8. access

async fn directory_access_by_role(app: &TestApp) {
    let pixel = card_id(app, "Atelier Pixel Garonne").await;
    let pending = card_id(app, "Nouvelle Boutique Numérique").await;
    let mut marie = Browser::signed_in(app, OWNER, PW).await;
    for path in [
        "/admin/annuaire",
        "/admin/annuaire/import",
        "/prestataire",
        "/prestataire/fiche/nouvelle",
    ] {
        assert_eq!(marie.page(path).await.0, 403, "{path}");
    }
    assert_eq!(
        marie.page(&format!("/prestataire/fiche/{pixel}")).await.0,
        403
    );
    let (status, _, _) = marie
        .submit(
            &format!("/annuaire/{pixel}/revendiquer"),
            &[("message", "")],
        )
        .await;
    assert_eq!(status, 403);
    let (status, _, _) = marie
        .submit(
            "/admin/annuaire",
            &[("action", "unpublish"), ("id", &pixel.to_string())],
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(status_of(app, pixel).await, "published");
    // Public pages are open to her; a pending card is not.
    assert_eq!(marie.page("/annuaire").await.0, 200);
    assert_eq!(marie.page(&format!("/annuaire/{pixel}")).await.0, 200);
    assert_eq!(marie.page(&format!("/annuaire/{pending}")).await.0, 404);
    let (_, html) = marie.page(&format!("/annuaire/{pixel}")).await;
    assert!(
        !html.contains("revendiquer"),
        "no claim form for a business"
    );

    // Anonymous visitors are asked to sign in.
    for path in [
        "/prestataire",
        "/prestataire/fiche/nouvelle",
        "/admin/annuaire",
    ] {
        let res = client().get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 303, "{path}");
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert!(
            location.starts_with("/connexion?next="),
            "{path}: {location}"
        );
    }
    let res = client().get(app.url("/prestataire")).send().await.unwrap();
    assert_eq!(res.headers()["location"], "/connexion?next=%2Fprestataire");
    assert_eq!(search(app, &format!("/annuaire/{pending}")).await.0, 404);
    assert_eq!(search(app, "/annuaire/999999").await.0, 404);

    // A provider keeps only its own cards.
    let mut keeper = Browser::signed_in(app, KEEPER, PW).await;
    let (status, html) = keeper.page("/prestataire").await;
    assert_eq!(status, 200);
    assert!(html.contains("Atelier Pixel Garonne"));
    assert!(!html.contains("Cyber Sud-Ouest"));
    let cyber = card_id(app, "Cyber Sud-Ouest").await;
    assert_eq!(
        keeper.page(&format!("/prestataire/fiche/{cyber}")).await.0,
        404
    );
    let (status, _, _) = keeper
        .submit(
            &format!("/prestataire/fiche/{cyber}"),
            &[("action", "confirm")],
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(keeper.page(&format!("/annuaire/{pending}")).await.0, 404);
    assert_eq!(keeper.page("/admin/annuaire").await.0, 403);
    // The manager previews pending cards.
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (status, html) = admin.page(&format!("/annuaire/{pending}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("En attente de validation"));
}
