//! Directory upkeep: stale cards, CSV import and the public export, and
//! who may open what.

use super::*;

both_databases!(
    stale_cards_are_flagged_and_reminded_once,
    import_reports_rows_and_export_lists_public_cards,
    directory_access_by_role,
);

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
