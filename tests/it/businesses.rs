//! The register of businesses: identifiers, duplicates, concurrency,
//! search, people, CSV import/export and the JSON API.

use crate::accounts::new_business_owner;
use crate::both_databases;
use crate::harness::{client, Browser, TestApp, PW};

both_databases!(
    the_store_checks_references_and_duplicates,
    an_owner_registers_and_edits_their_business,
    a_duplicate_identifier_links_to_the_existing_business,
    a_concurrent_edit_is_refused_and_keeps_what_was_typed,
    staff_search_ignores_accents_and_case,
    people_are_recorded_with_their_consent,
    csv_import_keeps_good_rows_and_reports_bad_ones,
    the_api_needs_a_token_and_respects_roles,
    the_partner_that_brought_a_business_is_recorded,
);

async fn the_partner_that_brought_a_business_is_recorded(app: &TestApp) {
    // Through the partner's sign-up link...
    let mut visitor = Browser::new(app).await;
    let res = visitor.get("/p/club-entreprises-medoc").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("data-action=\"diagnostic\""), "{html}");
    assert_eq!(visitor.page("/p/inconnu").await.0, 404);
    let mut owner = new_business_owner(app, "lea@medoc-vins.fr", "fr").await;
    owner.cookies.insert(
        "tremplin_partner".into(),
        visitor.cookies["tremplin_partner"].clone(),
    );
    let (status, _, _) = owner
        .submit(
            "/mon-entreprise",
            &form("Vins du Médoc", "443 061 841", "0"),
        )
        .await;
    assert_eq!(status, 303);
    let partner: String = sqlx::query_scalar(
        "SELECT p.slug FROM businesses b JOIN partners p ON p.id = b.partner_id WHERE b.name = 'Vins du Médoc'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(partner, "club-entreprises-medoc");
    // ...and an owner's later edit does not drop it.
    let (status, _, _) = owner
        .submit(
            "/mon-entreprise",
            &form("Vins du Médoc SARL", "443061841", "1"),
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(app.count("SELECT COUNT(*) FROM businesses WHERE name = 'Vins du Médoc SARL' AND partner_id IS NOT NULL").await, 1);

    // ...or chosen by an adviser, and changed later with a trace.
    let mut adviser = Browser::signed_in(app, "conseiller@tremplin-demo.fr", PW).await;
    let mut f = form("Plomberie Ruiz", "552100554", "0");
    f.push(("partner", "cci-bordeaux"));
    let (status, location, _) = adviser.submit("/entreprises/nouvelle", &f).await;
    assert_eq!(status, 303);
    let id: i64 = location
        .trim_start_matches("/entreprises/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let mut f = form("Plomberie Ruiz", "552100554", "1");
    f.push(("partner", "mairie-libourne"));
    assert_eq!(
        adviser.submit(&format!("/entreprises/{id}"), &f).await.0,
        303
    );
    let (_, html) = adviser.page(&format!("/entreprises/{id}")).await;
    assert!(html.contains("<option value=\"mairie-libourne\" selected>"));
    assert!(html.contains("cci-bordeaux") && html.contains("Partenaire qui a orienté"));
    let mut f = form("Plomberie Ruiz", "552100554", "2");
    f.push(("partner", "n-existe-pas"));
    assert_eq!(
        adviser.submit(&format!("/entreprises/{id}"), &f).await.0,
        422
    );
}

fn form<'a>(name: &'a str, legal_id: &'a str, version: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("country", "FR"),
        ("legal_id", legal_id),
        ("sector_code", "16"),
        ("size_band", "1-9"),
        ("commune_code", "FR-C33243"),
        ("address", "3 rue des Artisans"),
        ("website", "www.menuiserie-bois.fr"),
        ("version", version),
    ]
}

async fn an_owner_registers_and_edits_their_business(app: &TestApp) {
    let mut jean = new_business_owner(app, "jean@menuiserie-bois.fr", "fr").await;
    let (status, html) = jean.page("/mon-entreprise").await;
    assert_eq!(status, 200);
    assert!(html.contains("Enregistrer mon entreprise"));

    // A wrong check digit is refused with a message saying so; typed values stay.
    let (status, _, html) = jean
        .submit(
            "/mon-entreprise",
            &form("Menuiserie Bois & Fils", "732 829 321", "0"),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("clé de contrôle"), "{html}");
    assert!(html.contains("value=\"732 829 321\""));
    assert!(
        html.contains("Menuiserie Bois &#38; Fils") || html.contains("Menuiserie Bois &amp; Fils")
    );

    // Spaces and dots are accepted and normalised.
    let (status, location, _) = jean
        .submit(
            "/mon-entreprise",
            &form("Menuiserie Bois & Fils", "732.829.320", "0"),
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/mon-entreprise?enregistre=1")
    );
    let stored: String =
        sqlx::query_scalar("SELECT id_value FROM businesses WHERE name = 'Menuiserie Bois & Fils'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(stored, "732829320");
    let (_, html) = jean.page("/mon-entreprise?enregistre=1").await;
    assert!(html.contains("Les modifications sont enregistrées."));
    assert!(html.contains("value=\"732 829 320\""));
    assert!(html.contains("https://www.menuiserie-bois.fr/"));

    // An edit is kept in the history, seen by staff.
    let (status, _, _) = jean
        .submit(
            "/mon-entreprise",
            &form("Menuiserie Bois et Fils", "732829320", "1"),
        )
        .await;
    assert_eq!(status, 303);
    let id = app
        .count("SELECT id FROM businesses WHERE id_value = '732829320'")
        .await;
    let mut adviser = Browser::signed_in(app, "conseiller@tremplin-demo.fr", PW).await;
    let (status, html) = adviser.page(&format!("/entreprises/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Historique des modifications"));
    assert!(
        html.contains("Menuiserie Bois &#38; Fils") || html.contains("Menuiserie Bois &amp; Fils")
    );
    assert!(html.contains("Jean Menuisier"));
}

async fn a_duplicate_identifier_links_to_the_existing_business(app: &TestApp) {
    let (existing_id, siren): (i64, String) =
        sqlx::query_as("SELECT id, id_value FROM businesses WHERE name = 'Garage du Médoc'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let mut adviser = Browser::signed_in(app, "conseiller@tremplin-demo.fr", PW).await;
    let (status, _, html) = adviser
        .submit("/entreprises/nouvelle", &form("Garage bis", &siren, "0"))
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("Garage du Médoc"));
    assert!(html.contains(&format!("href=\"/entreprises/{existing_id}\"")));

    // One of its establishments (a SIRET of that SIREN) is the same business too.
    let siret = {
        let base = format!("{siren}0000");
        (0..10)
            .map(|d| format!("{base}{d}"))
            .find(|s| {
                tremplin::business::identifiers::LegalId::parse(
                    tremplin::business::identifiers::IdKind::Siret,
                    s,
                )
                .is_ok()
            })
            .unwrap()
    };
    let (status, _, _) = adviser
        .submit("/entreprises/nouvelle", &form("Garage ter", &siret, "0"))
        .await;
    assert_eq!(status, 409);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM businesses WHERE name LIKE 'Garage %'")
            .await,
        1
    );

    // In English, for an owner: the message says so and offers the team.
    let mut owner = new_business_owner(app, "paul@garage-paul.fr", "en").await;
    let (status, _, html) = owner
        .submit("/mon-entreprise", &form("Garage Paul", &siren, "0"))
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("A business with this number is already registered"));
    assert!(!html.contains("Garage du Médoc"));
    assert!(html.contains("ask the programme team"));
}

async fn a_concurrent_edit_is_refused_and_keeps_what_was_typed(app: &TestApp) {
    let (id, siren): (i64, String) =
        sqlx::query_as("SELECT id, id_value FROM businesses WHERE name = 'Transports Lafitte'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let mut a = Browser::signed_in(app, "conseiller@tremplin-demo.fr", PW).await;
    let mut b = Browser::signed_in(app, "responsable@tremplin-demo.fr", PW).await;
    // Both read version 1; the first save wins...
    let (status, _, _) = a
        .submit(
            &format!("/entreprises/{id}"),
            &form("Transports Lafitte SARL", &siren, "1"),
        )
        .await;
    assert_eq!(status, 303);
    // ...the second is told, and keeps its own typing to re-apply.
    let (status, _, html) = b
        .submit(
            &format!("/entreprises/{id}"),
            &form("Transports Lafitte & Cie", &siren, "1"),
        )
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("a modifié cette entreprise pendant que vous la consultiez"));
    assert!(
        html.contains("Transports Lafitte &#38; Cie")
            || html.contains("Transports Lafitte &amp; Cie")
    );
    assert!(html.contains("name=\"version\" value=\"2\""));
    let name: String = sqlx::query_scalar("SELECT name FROM businesses WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(name, "Transports Lafitte SARL");
    // Saving again on the fresh version goes through.
    let (status, _, _) = b
        .submit(
            &format!("/entreprises/{id}"),
            &form("Transports Lafitte & Cie", &siren, "2"),
        )
        .await;
    assert_eq!(status, 303);
}

async fn staff_search_ignores_accents_and_case(app: &TestApp) {
    let mut adviser = Browser::signed_in(app, "conseiller@tremplin-demo.fr", PW).await;
    let (_, html) = adviser.page("/entreprises?q=ELECTRICITE+generale").await;
    assert!(html.contains("Électricité Générale Moreau"));
    assert!(html.contains("1 entreprise"));
    assert!(!html.contains("Boulangerie Dupont"));
    let siren: String =
        sqlx::query_scalar("SELECT id_value FROM businesses WHERE name = 'Boulangerie Dupont'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let (_, html) = adviser
        .page(&format!("/entreprises?q={}", &siren[..6]))
        .await;
    assert!(html.contains("Boulangerie Dupont"));
    let (_, html) = adviser.page("/entreprises?commune=FR-C33009").await;
    assert!(html.contains("Salon Coiffure") && html.contains("Hôtel-Restaurant Les Pins"));
    assert!(!html.contains("Garage du Médoc"));
    let (_, html) = adviser.page("/entreprises?sector=49").await;
    assert!(html.contains("Transports Lafitte"));
    assert!(html.contains("1 entreprise"));
    // Odd input never breaks the search: punctuation separates words, every
    // word must match.
    let (status, _) = adviser.page("/entreprises?q=%25_%27%22%5C").await;
    assert_eq!(status, 200);
    let (status, html) = adviser.page("/entreprises?q=Boulang%25rie").await;
    assert_eq!(status, 200);
    assert!(html.contains("Boulangerie Dupont") && html.contains("1 entreprise"));
    let (_, html) = adviser
        .page(&format!("/entreprises?q={}", "x".repeat(5000)))
        .await;
    assert!(html.contains("Aucune entreprise"));
}

async fn people_are_recorded_with_their_consent(app: &TestApp) {
    let mut marie = Browser::signed_in(app, "marie@boulangerie-dupont.fr", PW).await;
    let person = |consent: &'static str| {
        vec![
            ("person_name", "Luc Dupont"),
            ("job_title", "Boulanger"),
            ("person_email", "luc@boulangerie-dupont.fr"),
            ("phone", "06 12 34 56 78"),
            ("consent", consent),
        ]
    };
    let (status, _, html) = marie.submit("/mon-entreprise/personnes", &person("")).await;
    assert_eq!(status, 422);
    assert!(html.contains("Cochez cette case pour continuer."));
    assert!(html.contains("value=\"Luc Dupont\""));
    let (status, _, _) = marie
        .submit(
            "/mon-entreprise/personnes",
            &[("person_name", "Luc"), ("phone", "12"), ("consent", "on")],
        )
        .await;
    assert_eq!(status, 422);
    let (status, location, _) = marie
        .submit("/mon-entreprise/personnes", &person("on"))
        .await;
    assert_eq!((status, location.as_str()), (303, "/mon-entreprise#people"));
    let (phone, version): (String, String) = sqlx::query_as(
        "SELECT p.phone, c.text_version FROM people p JOIN consents c ON c.person_id = p.id WHERE p.name = 'Luc Dupont'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(phone, "+33612345678");
    assert_eq!(version, tremplin::business::model::PERSON_CONSENT_VERSION);
    let (_, html) = marie.page("/mon-entreprise").await;
    assert!(html.contains("+33612345678"));
}

async fn csv_import_keeps_good_rows_and_reports_bad_ones(app: &TestApp) {
    let mut adviser = Browser::signed_in(app, "conseiller@tremplin-demo.fr", PW).await;
    let dup: String =
        sqlx::query_scalar("SELECT id_value FROM businesses WHERE name = 'Garage du Médoc'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    // Excel-style: semicolons, Windows-1252 accents.
    let mut csv: Vec<u8> =
        b"Name;Country;Legal ID;Sector code;Size band;Commune code;Address;Website\n".to_vec();
    csv.extend_from_slice(
        b"P\xE2tisserie Lamarque;FR;443 061 841;10;1-9;FR-C33063;1 place du March\xE9;\n",
    );
    csv.extend_from_slice(b"Plomberie Ruiz;FR;552100554;43;0;;;\n");
    csv.extend_from_slice(b"Mauvais Num\xE9ro;FR;443061842;10;1-9;;;\n");
    csv.extend_from_slice(format!("Doublon;FR;{dup};45;1-9;;;\n").as_bytes());
    csv.extend_from_slice(b"Taille Inconnue;BE;0403.170.701;47;12;;;\n");
    let (status, html) = adviser
        .upload("/entreprises/import", "file", "export.csv", csv)
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("2 entreprises importées."), "{html}");
    assert!(html.contains("3 lignes refusées"));
    assert!(html.contains("Mauvais Numéro") && html.contains("clé de contrôle"));
    assert!(html.contains("Doublon") && html.contains("Garage du Médoc"));
    assert!(html.contains("Taille Inconnue"));
    assert!(
        html.contains("<td>4</td>") && html.contains("<td>5</td>") && html.contains("<td>6</td>")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM businesses WHERE name IN ('Pâtisserie Lamarque', 'Plomberie Ruiz')").await, 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM businesses WHERE name IN ('Mauvais Numéro', 'Doublon', 'Taille Inconnue')").await, 0);

    // A file without the required columns changes nothing.
    let before = app.count("SELECT COUNT(*) FROM businesses").await;
    let (status, html) = adviser
        .upload(
            "/entreprises/import",
            "file",
            "x.csv",
            b"nom,ville\nA,B\n".to_vec(),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Colonnes manquantes"));
    assert_eq!(app.count("SELECT COUNT(*) FROM businesses").await, before);

    // The export holds what was imported.
    let res = adviser.get("/entreprises/export.csv").await;
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let body = res.text().await.unwrap();
    assert!(body.contains("Pâtisserie Lamarque;FR;443061841;10;1-9;FR-C33063"));
    // Every line has one cell per header (the partner has its own column).
    let lines: Vec<&str> = body.trim_start_matches('\u{FEFF}').lines().collect();
    let header: Vec<&str> = lines[0].split(';').collect();
    assert_eq!(header[8], "partner");
    for line in &lines[1..] {
        assert_eq!(line.split(';').count(), header.len(), "{line}");
    }
    // And the export reads back in as an import: nothing is missing or misplaced.
    let before = app.count("SELECT COUNT(*) FROM businesses").await;
    let (status, _) = adviser
        .upload(
            "/entreprises/import",
            "file",
            "again.csv",
            body.clone().into_bytes(),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.count("SELECT COUNT(*) FROM businesses").await, before);
}

async fn the_api_needs_a_token_and_respects_roles(app: &TestApp) {
    let res = client()
        .get(app.url("/api/v1/businesses"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["content-type"], "application/problem+json");

    // An adviser creates a token (shown once) and uses it.
    let mut adviser = Browser::signed_in(app, "conseiller@tremplin-demo.fr", PW).await;
    let (status, _, html) = adviser
        .submit("/compte/api", &[("name", "CRM"), ("role", "adviser")])
        .await;
    assert_eq!(status, 200);
    let token = html
        .split("<code class=\"secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    assert!(token.starts_with("trp_"));
    let (_, html) = adviser.page("/compte/api").await;
    assert!(!html.contains(&token), "the secret is never shown again");
    let auth = format!("Bearer {token}");

    let list: serde_json::Value = client()
        .get(app.url("/api/v1/businesses?q=garage"))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["name"], "Garage du Médoc");

    let body = serde_json::json!({"name": "Atelier Céramique", "country": "FR", "legal_id": "552 100 554",
        "sector_code": "23", "size_band": "0"});
    let res = client()
        .post(app.url("/api/v1/businesses"))
        .header("authorization", &auth)
        .header("idempotency-key", "k1")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let created: serde_json::Value = res.json().await.unwrap();
    let id = created["id"].as_i64().unwrap();
    // A retry with the same key does not create a second one.
    let res = client()
        .post(app.url("/api/v1/businesses"))
        .header("authorization", &auth)
        .header("idempotency-key", "k1")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["id"], id);
    // Without the key, the duplicate is a 409.
    let res = client()
        .post(app.url("/api/v1/businesses"))
        .header("authorization", &auth)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);

    // Validation errors name the field.
    let res = client()
        .post(app.url("/api/v1/businesses"))
        .header("authorization", &auth)
        .header("accept-language", "en")
        .json(&serde_json::json!({"name": "X", "country": "BE", "legal_id": "0403170702", "size_band": "0"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let p: serde_json::Value = res.json().await.unwrap();
    assert!(p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["field"] == "legal_id"));

    // Patch with a stale version is refused; with the right one it applies.
    let res = client()
        .patch(app.url(&format!("/api/v1/businesses/{id}")))
        .header("authorization", &auth)
        .json(&serde_json::json!({"address": "5 rue des Potiers", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = client()
        .patch(app.url(&format!("/api/v1/businesses/{id}")))
        .header("authorization", &auth)
        .json(&serde_json::json!({"address": "6 rue des Potiers", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);

    // A business owner's token sees only their business.
    let mut marie = Browser::signed_in(app, "marie@boulangerie-dupont.fr", PW).await;
    let (_, _, html) = marie
        .submit(
            "/compte/api",
            &[("name", "Mon outil"), ("role", "business")],
        )
        .await;
    let owner_token = html
        .split("<code class=\"secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    let owner_auth = format!("Bearer {owner_token}");
    let list: serde_json::Value = client()
        .get(app.url("/api/v1/businesses"))
        .header("authorization", &owner_auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["name"], "Boulangerie Dupont");
    let res = client()
        .get(app.url(&format!("/api/v1/businesses/{id}")))
        .header("authorization", &owner_auth)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // A token cannot claim a role its owner does not hold.
    let (status, _, _) = marie
        .submit("/compte/api", &[("name", "Pirate"), ("role", "admin")])
        .await;
    assert_eq!(status, 422);

    // Revoked tokens stop working.
    let token_id = app
        .count("SELECT id FROM api_tokens WHERE name = 'CRM'")
        .await;
    let (status, _, _) = adviser
        .submit(&format!("/compte/api/{token_id}/revoquer"), &[])
        .await;
    assert_eq!(status, 303);
    let res = client()
        .get(app.url("/api/v1/businesses"))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    // Someone else's token cannot be revoked by Marie.
    let other = app
        .count("SELECT id FROM api_tokens WHERE name = 'CRM'")
        .await;
    assert_eq!(
        marie
            .submit(&format!("/compte/api/{other}/revoquer"), &[])
            .await
            .0,
        404
    );
}

/// The store directly: reference codes are looked up, a business is created
/// through the model, and the same identifier again is a duplicate.
async fn the_store_checks_references_and_duplicates(app: &TestApp) {
    use tremplin::business::model::{BusinessInput, SaveError};
    use tremplin::business::store;
    let db = &app.db;
    let input = BusinessInput {
        name: "Atelier du Store".into(),
        country: "FR".into(),
        legal_id: "732 829 320".into(),
        sector_code: "16".into(),
        size_band: "1-9".into(),
        commune_code: "FR-C33243".into(),
        ..Default::default()
    };
    let valid = store::validate(db, &input)
        .await
        .unwrap()
        .expect("valid business");
    let id = store::create(db, None, &valid, None, None, None)
        .await
        .unwrap();
    let b = store::get(db, id).await.unwrap().unwrap();
    assert_eq!((b.size_band.as_str(), b.version), ("1-9", 1));
    match store::create(db, None, &valid, None, None, None).await {
        Err(SaveError::Duplicate { existing_id, .. }) => assert_eq!(existing_id, id),
        other => panic!("expected a duplicate, got {other:?}"),
    }
    let unknown = BusinessInput {
        sector_code: "99.99".into(),
        commune_code: "FR-C00000".into(),
        partner: Some("nobody".into()),
        ..input
    };
    let v = store::validate(db, &unknown).await.unwrap().unwrap_err();
    assert!(v.has("sector_code") && v.has("commune_code") && v.has("partner"));
}
