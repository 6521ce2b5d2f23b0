//! Who opens a follow-up file (adviser in charge, contributors, managers;
//! others refused and asking to contribute), adding an activity through the
//! API, and anonymous work coming home with the account.

use tremplin::db::now_ms;
use tremplin::diagnostic::store as diag;

use crate::both_databases;
use crate::harness::{client, Browser, TestApp, PW};

both_databases!(
    only_the_adviser_in_charge_contributors_and_managers_open_a_file,
    the_api_adds_an_activity_once_with_a_version_check,
    anonymous_work_comes_home_with_the_confirmed_account,
);

const ADMIN: &str = "responsable@tremplin-demo.fr";
const ADVISER: &str = "conseiller@tremplin-demo.fr";
const OWNER: &str = "marie@boulangerie-dupont.fr";
const FUNDER: &str = "financeur@tremplin-demo.fr";
const OTHER: &str = "autre.conseiller@tremplin-demo.fr";

/// Another adviser of the programme, on no file.
async fn other_adviser(app: &TestApp) -> (i64, Browser) {
    let (id, _) = tremplin::cli::create_user(
        &app.db,
        OTHER,
        "Paul Autre-Conseiller",
        PW,
        &["adviser".to_string()],
    )
    .await
    .unwrap();
    (id, Browser::signed_in(app, OTHER, PW).await)
}

/// The demo bakery's file (its adviser is the demo adviser).
async fn bakery_file(app: &TestApp) -> i64 {
    app.count(
        "SELECT c.id FROM cases c JOIN businesses b ON b.id = c.business_id \
         WHERE b.name = 'Boulangerie Dupont'",
    )
    .await
}

async fn api_token(app: &TestApp, email: &str, role: &str) -> String {
    let mut b = Browser::signed_in(app, email, PW).await;
    let (status, _, html) = b
        .submit("/compte/api", &[("name", "CRM"), ("role", role)])
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
    format!("Bearer {token}")
}

async fn only_the_adviser_in_charge_contributors_and_managers_open_a_file(app: &TestApp) {
    let id = bakery_file(app).await;
    let path = format!("/dossiers/{id}");
    let (other_id, mut other) = other_adviser(app).await;

    // The adviser in charge and a manager open it.
    let mut adviser = Browser::signed_in(app, ADVISER, PW).await;
    assert_eq!(adviser.page(&path).await.0, 200);
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (status, html) = admin.page(&path).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("data-add-contributor=\"1\""),
        "a manager may add advisers"
    );

    // Another adviser is refused clearly, and may ask to contribute.
    let (status, html) = other.page(&path).await;
    assert_eq!(status, 403);
    assert!(html.contains(&format!("data-refused=\"{id}\"")));
    assert!(html.contains("data-ask-contribute=\"1\""));
    assert!(
        !html.contains("data-activity"),
        "nothing of the file is shown"
    );
    let reads = app
        .count(&format!(
            "SELECT COUNT(*) FROM case_reads WHERE case_id = {id} AND user_id = {other_id}"
        ))
        .await;
    assert_eq!(reads, 0, "a refusal is no read");
    // Nor may they write to it, download from it or add themselves.
    let (status, _, _) = other
        .submit(
            &format!("{path}/activites"),
            &[("kind", "note"), ("title", "Intrus"), ("body", "x")],
        )
        .await;
    assert_eq!(status, 403);
    let (status, _, _) = other
        .submit(
            &format!("{path}/contributeurs"),
            &[("adviser", &other_id.to_string())],
        )
        .await;
    assert_eq!(status, 403);
    let (status, location, _) = other.submit(&format!("{path}/contribuer"), &[]).await;
    assert_eq!((status, location.as_str()), (303, path.as_str()));
    let (status, html) = other.page(&path).await;
    assert_eq!(status, 403);
    assert!(
        html.contains("data-asked=\"1\""),
        "the request is acknowledged"
    );

    // The adviser in charge sees the request and accepts it.
    let (_, html) = adviser.page(&path).await;
    assert!(html.contains("data-contribution-requests=\"1\""));
    assert!(html.contains(&format!("data-accept=\"{other_id}\"")));
    let (status, _, _) = adviser
        .submit(
            &format!("{path}/contributeurs"),
            &[("adviser", &other_id.to_string())],
        )
        .await;
    assert_eq!(status, 303);
    let (status, html) = other.page(&path).await;
    assert_eq!(status, 200, "a contributor opens the file");
    assert!(html.contains("Paul Autre-Conseiller"));
    let (_, html) = adviser.page(&path).await;
    assert!(html.contains("data-contribution-requests=\"0\""));

    // A file handed over: the previous adviser stays on it as a contributor.
    let version = app
        .count(&format!("SELECT version FROM cases WHERE id = {id}"))
        .await
        .to_string();
    let (status, _, body) = admin
        .submit(
            &path,
            &[
                ("status", "active"),
                ("adviser", &other_id.to_string()),
                ("summary", "Repris par Paul"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(adviser.page(&path).await.0, 200);
    let (_, html) = other.page(&path).await;
    assert!(
        html.contains("data-add-contributor=\"1\""),
        "the new adviser in charge may add"
    );

    // The owner and the funder never open a file page.
    let mut owner = Browser::signed_in(app, OWNER, PW).await;
    assert_ne!(owner.page(&path).await.0, 200);
    let mut funder = Browser::signed_in(app, FUNDER, PW).await;
    assert_ne!(funder.page(&path).await.0, 200);

    // Through the API too: a third adviser's token is refused the file.
    tremplin::cli::create_user(
        &app.db,
        "troisieme@tremplin-demo.fr",
        "Troisième Conseillère",
        PW,
        &["adviser".to_string()],
    )
    .await
    .unwrap();
    let third = api_token(app, "troisieme@tremplin-demo.fr", "adviser").await;
    let res = client()
        .get(app.url(&format!("/api/v1/cases/{id}")))
        .header("authorization", &third)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let mine = api_token(app, OTHER, "adviser").await;
    let res = client()
        .get(app.url(&format!("/api/v1/cases/{id}")))
        .header("authorization", &mine)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "the contributor reads it");
}

async fn the_api_adds_an_activity_once_with_a_version_check(app: &TestApp) {
    let id = bakery_file(app).await;
    let auth = api_token(app, ADVISER, "adviser").await;
    let version = app
        .count(&format!("SELECT version FROM cases WHERE id = {id}"))
        .await;
    let tz = tremplin::kernel::dates::zone("Europe/Paris");
    let today = tremplin::kernel::dates::date_input(&tz, now_ms());
    let meeting = serde_json::json!({
        "kind": "meeting",
        "title": "Point d'étape (API)",
        "date": today,
        "time": "07:10",
        "minutes": 45,
        "place": "Atelier",
        "attendees": "Marie Dupont",
        "shared": true,
        "case_version": version,
    });
    let add = |body: &serde_json::Value, key: &str| {
        client()
            .post(app.url(&format!("/api/v1/cases/{id}/activities")))
            .header("authorization", &auth)
            .header("idempotency-key", key)
            .json(body)
    };
    let count = || async {
        app.count(&format!(
            "SELECT COUNT(*) FROM case_activities WHERE case_id = {id} AND title = 'Point d''étape (API)'"
        ))
        .await
    };
    let res = add(&meeting, "rdv-1").send().await.unwrap();
    assert_eq!(res.status(), 201);
    let first: serde_json::Value = res.json().await.unwrap();
    assert_eq!(first["kind"], "meeting");
    assert_eq!(first["shared"], true);
    assert_eq!(first["minutes"], 45);
    // A retry with the same key adds nothing and answers the same.
    let res = add(&meeting, "rdv-1").send().await.unwrap();
    assert_eq!(res.status(), 201);
    let again: serde_json::Value = res.json().await.unwrap();
    assert_eq!(again["id"], first["id"]);
    assert_eq!(count().await, 1);
    // The same meeting again under a new key overlaps the first: 422.
    let res = add(&meeting, "rdv-2").send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(count().await, 1);
    // The file changed since the version sent: 409, nothing added.
    let res = client()
        .patch(app.url(&format!("/api/v1/cases/{id}")))
        .header("authorization", &auth)
        .json(&serde_json::json!({"status": "active", "adviser_id": first["author_id"], "summary": "API", "version": version}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let mut note = serde_json::json!({
        "kind": "note",
        "title": "Note (API)",
        "body": "Texte",
        "date": today,
        "case_version": version,
    });
    let res = add(&note, "note-1").send().await.unwrap();
    assert_eq!(res.status(), 409);
    note["case_version"] = serde_json::json!(version + 1);
    let res = add(&note, "note-2").send().await.unwrap();
    assert_eq!(res.status(), 201);
    let created: serde_json::Value = res.json().await.unwrap();
    assert_eq!(created["shared"], false, "a note is never shared");
    // Bad input is answered field by field.
    let res = add(&serde_json::json!({"kind": "sieste"}), "bad-1")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    // An adviser not on the file is refused.
    tremplin::cli::create_user(&app.db, OTHER, "Paul", PW, &["adviser".to_string()])
        .await
        .unwrap();
    let other = api_token(app, OTHER, "adviser").await;
    let res = client()
        .post(app.url(&format!("/api/v1/cases/{id}/activities")))
        .header("authorization", &other)
        .json(&note)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // The OpenAPI document describes the operation.
    let doc: serde_json::Value = client()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let op = &doc["paths"]["/api/v1/cases/{id}/activities"]["post"];
    assert!(op.is_object());
    assert!(op["responses"]["409"].is_object());
}

async fn anonymous_work_comes_home_with_the_confirmed_account(app: &TestApp) {
    let email = "jean@menuiserie-bois.fr";
    // An anonymous diagnostic whose link is mailed to the address.
    let bank = diag::current_bank(&app.db).await.unwrap();
    let (did, token) = diag::create(&app.db, &bank, &diag::NewDiagnostic::default())
        .await
        .unwrap();
    let mut visitor = Browser::new(app).await;
    let (status, _, _) = visitor
        .submit(
            &format!("/diagnostic/d/{token}/lien"),
            &[("email", "Jean@Menuiserie-Bois.fr")],
        )
        .await;
    assert_eq!(status, 200);
    // An anonymous registration to a coming workshop with the same address.
    let session = app
        .count(&format!(
            "SELECT id FROM workshop_sessions WHERE starts_at > {} AND status = 'scheduled' ORDER BY starts_at LIMIT 1",
            now_ms()
        ))
        .await;
    let (status, _, body) = visitor
        .submit(
            &format!("/ateliers/{session}/inscription"),
            &[
                ("name", "Jean Menuisier"),
                ("email", email),
                ("business_name", "Menuiserie Bois"),
                ("consent", "on"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    // Someone else's work with another address stays where it is.
    let (other_did, _) = diag::create(&app.db, &bank, &diag::NewDiagnostic::default())
        .await
        .unwrap();
    let attached = |sql: String| async move { app.count(&sql).await };
    assert_eq!(
        attached(format!(
            "SELECT COUNT(*) FROM diagnostics WHERE id = {did} AND user_id IS NOT NULL"
        ))
        .await,
        0
    );

    // The person signs up with the same address and confirms it.
    let mut jean = crate::accounts::new_business_owner(app, email, "fr").await;
    let user = app
        .count(&format!("SELECT id FROM users WHERE email = '{email}'"))
        .await;
    assert_eq!(
        attached(format!(
            "SELECT COUNT(*) FROM diagnostics WHERE id = {did} AND user_id = {user}"
        ))
        .await,
        1,
        "the diagnostic is theirs"
    );
    assert_eq!(
        attached(format!(
            "SELECT COUNT(*) FROM workshop_registrations WHERE session_id = {session} AND user_id = {user}"
        ))
        .await,
        1,
        "the registration is theirs"
    );
    assert_eq!(
        attached(format!(
            "SELECT COUNT(*) FROM diagnostics WHERE id = {other_did} AND user_id IS NOT NULL"
        ))
        .await,
        0
    );
    // Once they register their business, both belong to it too.
    let (status, _, body) = jean
        .submit(
            "/mon-entreprise",
            &[
                ("name", "Menuiserie Bois et Fils"),
                ("country", "FR"),
                ("legal_id", "732829320"),
                ("sector_code", "16"),
                ("size_band", "1-9"),
                ("commune_code", "FR-C33243"),
                ("address", "3 rue des Artisans"),
                ("website", ""),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let biz = app
        .count("SELECT id FROM businesses WHERE name = 'Menuiserie Bois et Fils'")
        .await;
    assert_eq!(
        attached(format!(
            "SELECT COUNT(*) FROM diagnostics WHERE id = {did} AND business_id = {biz}"
        ))
        .await,
        1
    );
    assert_eq!(
        attached(format!(
            "SELECT COUNT(*) FROM workshop_registrations WHERE session_id = {session} AND business_id = {biz}"
        ))
        .await,
        1
    );
}
