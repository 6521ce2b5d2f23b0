//! Directory search: word forms, decomposed accents, the neutral order,
//! filters, counts and pagination.

use super::*;

both_databases!(
    decomposed_accents_are_found_and_old_terms_rebuilt,
    search_matches_word_forms_and_never_errors,
    neutral_order_follows_the_published_rule,
    filters_counts_and_pagination_agree,
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
