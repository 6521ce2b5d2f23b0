//! The directory's in-memory index answers as the stored search terms do:
//! every word must match (AND), accents and word forms meet, the order is
//! the published rule, filters and their counts agree, and a change made on
//! this server shows at once.

use std::sync::Arc;

use crate::both_databases;
use crate::harness::TestApp;
use tremplin::directory::model::{self, CardForm, Links};
use tremplin::directory::public::{self, Results, SearchQuery};
use tremplin::directory::search::{day_seed, neutral_key, query_terms, today};
use tremplin::directory::store;

both_databases!(
    index_matches_every_word_with_accents_and_word_forms,
    index_agrees_with_the_stored_terms_on_seeded_cards,
    index_follows_changes_made_on_this_server,
    results_show_each_card_as_the_database_holds_it,
    plan_places_are_the_territory_and_its_ancestors_from_memory,
);

async fn run(app: &TestApp, q: &SearchQuery) -> Results {
    public::run(
        &app.db,
        &app.state.directory.snapshot,
        q,
        "fr",
        day_seed(today()),
    )
    .await
    .expect("search")
}

fn words(text: &str) -> SearchQuery {
    SearchQuery {
        q: text.into(),
        ..Default::default()
    }
}

fn ids(r: &Results) -> Vec<i64> {
    r.hits.iter().map(|h| h.id).collect()
}

async fn add(app: &TestApp, name: &str, description: &str, territories: &[&str]) -> i64 {
    let theme: i64 = sqlx::query_scalar("SELECT id FROM themes ORDER BY id LIMIT 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let form = CardForm {
        name: name.into(),
        country: "FR".into(),
        kind: "Artisan".into(),
        description: description.into(),
        links: Links {
            themes: vec![theme],
            territories: territories.iter().map(|t| t.to_string()).collect(),
            ..Default::default()
        },
        ..Default::default()
    };
    let valid = model::validate(&app.db, &form, false)
        .await
        .unwrap()
        .unwrap_or_else(|v| panic!("card {name} invalid: {v:?}"));
    let id = store::create(&app.db, &valid, "published", "test", None)
        .await
        .unwrap_or_else(|e| panic!("card {name}: {e:?}"));
    app.state.directory.forget();
    id
}

/// These tests check the index itself: the programme's synonyms (tested in
/// journeys_directory) are switched off by saving an empty list.
async fn without_synonyms(app: &TestApp) {
    tremplin::directory::synonyms::save(&app.db, "", None)
        .await
        .unwrap();
    app.state.directory.forget();
}

async fn index_matches_every_word_with_accents_and_word_forms(app: &TestApp) {
    without_synonyms(app).await;
    let plumber = add(
        app,
        "Zéphyrin Plomberie",
        "Plombier chauffagiste, dépannage de chaudières.",
        &["FR-D33"],
    )
    .await;
    let heating = add(
        app,
        "Quetzal Chauffage",
        "Chauffagiste, entretien des chaudières à granulés.",
        &["FR-D24"],
    )
    .await;
    let one = |r: &Results| {
        let mut v = ids(r);
        v.sort();
        v
    };
    // AND: both words on the plumber only; one word on both.
    assert_eq!(
        one(&run(app, &words("plombier chauffagiste")).await),
        vec![plumber]
    );
    let both = run(app, &words("chauffagistes")).await;
    assert!(ids(&both).contains(&plumber) && ids(&both).contains(&heating));
    // Accents composed, decomposed or left out; plural or singular.
    for typed in [
        "zéphyrin chaudière",
        "zephyrin chaudieres",
        "ZE\u{301}PHYRIN chaudie\u{300}re",
    ] {
        assert_eq!(
            one(&run(app, &words(typed)).await),
            vec![plumber],
            "{typed}"
        );
    }
    // A word nobody has: nothing, even beside a common one.
    let none = run(app, &words("chauffagiste xylophoniste")).await;
    assert_eq!(none.total, 0);
    assert!(none.hits.is_empty());
    // Words and a territory: the Dordogne card only.
    let dordogne = run(
        app,
        &SearchQuery {
            q: "chaudières".into(),
            territory: "FR-D24".into(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(ids(&dordogne), vec![heating]);
    assert_eq!(dordogne.total, 1);
}

/// On 300 seeded cards: the cards and order the stored terms give (every
/// word held, summed weights, then the neutral order), and counts per
/// filter value equal to the results behind each filter.
async fn index_agrees_with_the_stored_terms_on_seeded_cards(app: &TestApp) {
    without_synonyms(app).await;
    tremplin::cli::seed::providers(&app.db, 300)
        .await
        .expect("seed cards");
    app.state.directory.forget();
    let seed = day_seed(today());
    let texts = [
        "site web",
        "électricien",
        "electriciens bordeaux",
        "comptable gestion",
        "réseau informatique entreprise",
        "graphiste logo",
        "cybersécurité",
        "conseil numérique",
    ];
    for text in texts {
        let terms = query_terms(text);
        let published: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT t.provider_id, t.term, t.weight FROM provider_terms t \
             JOIN providers p ON p.id = t.provider_id WHERE p.status = 'published' ORDER BY t.provider_id",
        )
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        let mut scored: std::collections::BTreeMap<i64, (usize, i64)> = Default::default();
        for (id, term, weight) in published {
            if terms.contains(&term) {
                let e = scored.entry(id).or_default();
                e.0 += 1;
                e.1 += weight;
            }
        }
        let mut expected: Vec<(i64, i64)> = scored
            .into_iter()
            .filter(|(_, (n, _))| *n == terms.len())
            .map(|(id, (_, score))| (score, id))
            .collect();
        expected.sort_by_key(|(score, id)| (-score, neutral_key(*id, seed)));
        let expected: Vec<i64> = expected.into_iter().map(|(_, id)| id).collect();
        let r = run(app, &words(text)).await;
        assert_eq!(r.total, expected.len() as i64, "{text}: total");
        assert_eq!(
            ids(&r),
            expected.iter().take(20).copied().collect::<Vec<_>>(),
            "{text}: first page"
        );
        if expected.len() > 20 {
            let second = run(
                app,
                &SearchQuery {
                    page: Some(2),
                    ..words(text)
                },
            )
            .await;
            assert_eq!(
                ids(&second),
                expected
                    .iter()
                    .skip(20)
                    .take(20)
                    .copied()
                    .collect::<Vec<_>>(),
                "{text}: second page"
            );
        }
        // Every count shown is the total behind its filter.
        let facets: Vec<(&str, String, i64)> = r
            .themes
            .iter()
            .map(|f| ("theme", f.value.clone(), f.count))
            .chain(
                r.territories
                    .iter()
                    .map(|f| ("territory", f.value.clone(), f.count)),
            )
            .chain(r.sizes.iter().map(|f| ("size", f.value.clone(), f.count)))
            .chain(
                r.sectors
                    .iter()
                    .map(|f| ("sector", f.value.clone(), f.count)),
            )
            .collect();
        for (field, value, count) in facets {
            let mut q = words(text);
            match field {
                "theme" => q.theme = value.clone(),
                "territory" => q.territory = value.clone(),
                "size" => q.size = value.clone(),
                _ => q.sector = value.clone(),
            }
            assert_eq!(run(app, &q).await.total, count, "{text}: {field}={value}");
        }
    }
    // The results are computed, not remembered: two runs, two equal answers.
    let a = Arc::new(run(app, &words("site web")).await);
    let b = run(app, &words("Sites  WEB")).await;
    assert_eq!(ids(&a), ids(&b));
}

async fn index_follows_changes_made_on_this_server(app: &TestApp) {
    let id = add(
        app,
        "Ulysse Vitrail",
        "Vitrailliste, restauration de verrières.",
        &["FR-D33"],
    )
    .await;
    assert_eq!(ids(&run(app, &words("vitrailliste")).await), vec![id]);
    // Unpublished: gone at once.
    store::set_status(&app.db, id, "unpublished", None, "")
        .await
        .unwrap();
    app.state.directory.forget();
    assert_eq!(run(app, &words("vitrailliste")).await.total, 0);
    // Published again: back.
    store::set_status(&app.db, id, "published", None, "")
        .await
        .unwrap();
    app.state.directory.forget();
    assert_eq!(ids(&run(app, &words("verrières")).await), vec![id]);
}

/// Results pages show the cards from the directory's snapshot: each hit,
/// in French and in English, is what the database holds (name, kind, the
/// description cut at 220 characters, the commune's name in the language or
/// the town as typed, up to six themes by title, logo, dates).
async fn results_show_each_card_as_the_database_holds_it(app: &TestApp) {
    let long = "Création de sites vitrines pour artisans et commerçants, ".repeat(6);
    let id = add(app, "Atelier Estuaire Numérique", &long, &["FR-D33"]).await;
    sqlx::query("UPDATE providers SET commune_code = (SELECT MIN(code) FROM territories WHERE parent_code = 'FR-D33'), updated_at = updated_at + 1 WHERE id = $1")
        .bind(id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    app.state.directory.forget();
    let now = tremplin::db::now_ms();
    for lang in ["fr", "en"] {
        let mut seen = 0i64;
        for page in 1..=3 {
            let q = SearchQuery {
                page: Some(page),
                ..Default::default()
            };
            let r = public::run(
                &app.db,
                &app.state.directory.snapshot,
                &q,
                lang,
                day_seed(today()),
            )
            .await
            .expect("search");
            for hit in &r.hits {
                seen += 1;
                let (name, kind, description, place, has_logo, updated_at, confirmed_at): (
                    String,
                    String,
                    String,
                    String,
                    i64,
                    i64,
                    i64,
                ) = sqlx::query_as(&format!(
                    "SELECT p.name, p.kind, p.description, COALESCE(c.name_{lang}, p.town), \
                     CAST(CASE WHEN p.logo_mime IS NULL THEN 0 ELSE 1 END AS BIGINT), p.updated_at, p.confirmed_at \
                     FROM providers p LEFT JOIN territories c ON c.code = p.commune_code WHERE p.id = $1"
                ))
                .bind(hit.id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
                let mut themes: Vec<String> = sqlx::query_scalar(&format!(
                    "SELECT t.title_{lang} FROM provider_themes x JOIN themes t ON t.id = x.theme_id WHERE x.provider_id = $1"
                ))
                .bind(hit.id)
                .fetch_all(&app.db.pool)
                .await
                .unwrap();
                themes.sort();
                themes.truncate(6);
                let mut excerpt: String = description.chars().take(220).collect();
                if description.chars().count() > 220 {
                    excerpt.push('…');
                }
                assert_eq!(
                    (&hit.name, &hit.kind, &hit.excerpt, &hit.place, &hit.themes),
                    (&name, &kind, &excerpt, &place, &themes),
                    "card {} in {lang}",
                    hit.id
                );
                assert_eq!(
                    (hit.has_logo, hit.updated_at, hit.stale),
                    (
                        has_logo == 1,
                        updated_at,
                        now - confirmed_at > tremplin::directory::model::CONFIRM_EVERY_MS
                    )
                );
            }
        }
        let published = app
            .count("SELECT COUNT(*) FROM providers WHERE status = 'published'")
            .await;
        assert_eq!(seen, published, "every published card compared in {lang}");
        let mine = run(app, &words("estuaire numerique")).await;
        let hit = mine.hits.iter().find(|h| h.id == id).expect("the new card");
        assert!(hit.excerpt.ends_with('…') && hit.excerpt.chars().count() == 221);
        assert_ne!(hit.place, "", "the commune's name");
    }
}

/// The places an action plan's helps are ranked by (a territory and its
/// ancestors, nearest first) come from the directory's snapshot as the
/// database holds them; a commune added after the snapshot was read is
/// still found, from the database.
async fn plan_places_are_the_territory_and_its_ancestors_from_memory(app: &TestApp) {
    use tremplin::directory::plan::places;
    use tremplin::guides::store::with_ancestors;
    let snaps = &app.state.directory.snapshot;
    for code in ["FR-C33063", "FR-D33", "FR-D40", "unknown", ""] {
        let stored = with_ancestors(&app.db, code).await.unwrap();
        assert_eq!(
            places(&app.db, snaps, code).await.unwrap(),
            stored,
            "{code}"
        );
    }
    let bordeaux = places(&app.db, snaps, "FR-C33063").await.unwrap();
    assert_eq!(bordeaux, ["FR-C33063", "FR-D33", "FR-R75", "FR"]);

    // A commune added after the snapshot was read.
    sqlx::query(
        "INSERT INTO territories (code, parent_code, level, name_fr, name_en, search_key) \
         VALUES ('FR-C33999', 'FR-D33', 'commune', 'Nouvelle-Commune', 'Nouvelle-Commune', 'nouvelle commune')",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let added = places(&app.db, snaps, "FR-C33999").await.unwrap();
    assert_eq!(added[0], "FR-C33999");
    assert_eq!(added[1..], bordeaux[1..]);
}
