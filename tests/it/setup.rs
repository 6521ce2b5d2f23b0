//! Programme set-up by the programme manager: the programme, its
//! territories, sectors, themes, partners and the diagnostic questionnaire;
//! refused to everyone else.

use crate::both_databases;
use crate::harness::{client, csrf_for, Browser as Visitor, TestApp, PW};
use tremplin::cli::seed::DEMO_PASSWORD;

both_databases!(
    the_store_keeps_themes_and_partners,
    editing_the_programme_shows_on_the_home_page,
    programme_errors_are_explained_and_keep_what_was_typed,
    covered_territories_can_be_added_and_removed,
    territory_import_keeps_good_rows_and_reports_bad_ones,
    territories_can_be_browsed_down_and_up,
    sector_priority_can_be_switched_on_and_off,
    themes_can_be_added_and_duplicate_slugs_are_refused,
    themes_can_be_edited_archived_and_restored,
    partners_get_a_sign_up_link_that_works,
    only_programme_managers_may_use_set_up_pages,
    a_new_questionnaire_version_is_imported_and_used_by_new_diagnostics,
    a_questionnaire_with_a_prerequisite_cycle_is_refused_with_its_line,
    a_questionnaire_with_a_syntax_error_is_refused_with_its_line,
    an_existing_questionnaire_version_is_refused,
    only_programme_managers_may_import_a_questionnaire,
);

const MANAGER: &str = "responsable@tremplin-demo.fr";
const ADVISER: &str = "conseiller@tremplin-demo.fr";
const OWNER: &str = "marie@boulangerie-dupont.fr";

/// A signed-in browser: the cookie header to send and the CSRF token.
struct Browser {
    cookie: String,
    token: String,
}

async fn sign_in(app: &TestApp, email: &str) -> Browser {
    let (csrf_cookie, token) = csrf_for(app, "/connexion").await;
    let res = client()
        .post(app.url("/connexion"))
        .header("cookie", &csrf_cookie)
        .form(&[
            ("email", email),
            ("password", DEMO_PASSWORD),
            ("csrf_token", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "login of {email}");
    let session = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tremplin_session="))
        .expect("session cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    // Signed in, the CSRF token is the one bound to the session.
    let token = tremplin::web::pipeline::session_csrf_token(
        session.trim_start_matches("tremplin_session="),
    );
    Browser {
        cookie: format!("{csrf_cookie}; {session}"),
        token,
    }
}

impl Browser {
    /// The same browser with the interface in English.
    fn english(&self) -> Browser {
        Browser {
            cookie: format!("{}; tremplin_lang=en", self.cookie),
            token: self.token.clone(),
        }
    }

    async fn get(&self, app: &TestApp, path: &str) -> reqwest::Response {
        client()
            .get(app.url(path))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap()
    }

    async fn page(&self, app: &TestApp, path: &str) -> String {
        let res = self.get(app, path).await;
        assert_eq!(res.status(), 200, "GET {path}");
        res.text().await.unwrap()
    }

    async fn post(&self, app: &TestApp, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut form: Vec<(&str, &str)> = vec![("csrf_token", self.token.as_str())];
        form.extend_from_slice(fields);
        client()
            .post(app.url(path))
            .header("cookie", &self.cookie)
            .form(&form)
            .send()
            .await
            .unwrap()
    }
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

async fn text(app: &TestApp, sql: &str) -> String {
    sqlx::query_scalar::<_, String>(sql)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

fn programme_fields(name: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("action", "save"),
        ("name", name),
        ("operator", "Chambre de métiers de la Gironde"),
        ("logo_url", "https://www.example.org/logo.png"),
        ("timezone", "Europe/Paris"),
        ("default_locale", "fr"),
        ("start_date", "2026-01-05"),
        ("end_date", "2028-04-30"),
        ("target_aware", "1 600"),
        ("target_date", "2027-06-30"),
        ("target_diagnostics", "400"),
        ("target_coaching", "120"),
        ("budget", "337 000,50"),
        ("contact_email", "equipe@tremplin-demo.fr"),
        ("summary_fr", "Un programme pour les artisans de Gironde."),
        ("summary_en", "A programme for craftspeople in Gironde."),
    ]
}

async fn editing_the_programme_shows_on_the_home_page(app: &TestApp) {
    let admin = sign_in(app, MANAGER).await;
    let form = admin.page(app, "/admin/programme").await;
    assert!(form.contains("value=\"Tremplin numérique Sud-Ouest\""));
    // The programme is cached: load it before the edit.
    let home = admin.page(app, "/").await;
    assert!(home.contains("Tremplin numérique Sud-Ouest"));

    let res = admin
        .post(
            app,
            "/admin/programme",
            &programme_fields("Tremplin Gironde 2028"),
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/admin/programme?enregistre=1");

    let html = admin.page(app, "/admin/programme?enregistre=1").await;
    assert!(html.contains("Les informations du programme sont enregistrées."));
    assert!(html.contains("value=\"Tremplin Gironde 2028\""));
    assert!(html.contains("value=\"337000,50\""), "budget shown back");
    assert!(html.contains("value=\"1600\""));
    assert!(html.contains("value=\"2028-04-30\""));
    assert_eq!(
        app.count("SELECT budget_cents FROM programmes").await,
        33_700_050
    );
    assert_eq!(app.count("SELECT target_aware FROM programmes").await, 1600);
    assert_eq!(
        text(app, "SELECT start_date FROM programmes").await,
        "2026-01-05"
    );

    // Everyone sees the new name and summary at once.
    let home = client()
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        home.contains("Tremplin Gironde 2028"),
        "home page not updated"
    );
    assert!(home.contains("Un programme pour les artisans de Gironde."));
    assert!(!home.contains("Tremplin numérique Sud-Ouest"));

    // In English, the budget is shown with a decimal point.
    let html = admin.english().page(app, "/admin/programme").await;
    assert!(html.contains("value=\"337000.50\""));
    assert!(html.contains("Programme name"));
}

async fn programme_errors_are_explained_and_keep_what_was_typed(app: &TestApp) {
    let admin = sign_in(app, MANAGER).await;
    let mut fields = programme_fields("Programme à garder");
    for (k, v) in fields.iter_mut() {
        match *k {
            "start_date" => *v = "2027-03-01",
            "end_date" => *v = "2026-12-31",
            "contact_email" => *v = "equipe@",
            "budget" => *v = "beaucoup",
            "logo_url" => *v = "http://www.example.org/logo.png",
            "target_aware" => *v = "mille",
            _ => {}
        }
    }
    let res = admin.post(app, "/admin/programme", &fields).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Le formulaire contient des erreurs"));
    assert!(html.contains("La date de fin doit être postérieure à la date de début."));
    assert!(html.contains("Saisissez une adresse e-mail valide"));
    assert!(html.contains("Saisissez un montant en euros"));
    assert!(html.contains("Saisissez une adresse qui commence par https://"));
    assert!(html.contains("Saisissez un nombre entier positif"));
    // What was typed is still there.
    assert!(html.contains("value=\"Programme à garder\""));
    assert!(html.contains("value=\"equipe@\""));
    assert!(html.contains("value=\"beaucoup\""));
    assert!(html.contains("value=\"2026-12-31\""));
    assert!(html.contains("aria-invalid=\"true\""));
    // Nothing was saved.
    assert_eq!(
        text(app, "SELECT name FROM programmes").await,
        "Tremplin numérique Sud-Ouest"
    );

    // Same in English.
    let res = admin.english().post(app, "/admin/programme", &fields).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("The end date must be after the start date."));
    assert!(html.contains("Enter an amount in euros"));

    // A time zone outside the list is refused.
    let mut fields = programme_fields("Programme");
    fields[4].1 = "Mars/Olympus";
    let res = admin.post(app, "/admin/programme", &fields).await;
    assert_eq!(res.status(), 422);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Choisissez une option dans la liste."));
}

async fn covered_territories_can_be_added_and_removed(app: &TestApp) {
    let admin = sign_in(app, MANAGER).await;
    let html = admin.page(app, "/admin/programme").await;
    assert!(html.contains("Territoires couverts"));
    assert!(html.contains("Gironde"), "seeded territory listed");
    assert!(
        html.contains("<option value=\"FR-D47\""),
        "offered in the select"
    );
    assert!(
        !html.contains("<option value=\"FR-C33063\""),
        "communes are not offered"
    );
    assert!(
        !html.contains("<option value=\"FR-D33\""),
        "already covered"
    );

    let res = admin
        .post(
            app,
            "/admin/programme",
            &[("action", "add_territory"), ("territory", "FR-D47")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = admin.page(app, &location(&res)).await;
    assert!(html.contains("Territoire ajouté : Lot-et-Garonne."));
    assert!(!html.contains("<option value=\"FR-D47\""));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM programme_territories WHERE territory_code = 'FR-D47'")
            .await,
        1
    );

    let res = admin
        .post(
            app,
            "/admin/programme",
            &[
                ("action", "remove_territory"),
                ("territory", "FR-D47"),
                ("confirmed", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = admin.page(app, &location(&res)).await;
    assert!(html.contains("Territoire retiré : Lot-et-Garonne."));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM programme_territories WHERE territory_code = 'FR-D47'")
            .await,
        0
    );

    // A commune or an unknown code is refused with a message.
    for code in ["FR-C33063", "XX-NOPE"] {
        let res = admin
            .post(
                app,
                "/admin/programme",
                &[("action", "add_territory"), ("territory", code)],
            )
            .await;
        assert_eq!(res.status(), 422);
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("Choisissez un territoire dans la liste."));
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM programme_territories")
            .await,
        4
    );
}

const TERRITORY_CSV: &str = "code,parent_code,level,name_fr,name_en\n\
FR-C33522,FR-D33,commune,Talence,Talence\n\
FR-C99001,FR-D99,commune,Nulle-Part,Nowhere\n";

async fn import(app: &TestApp, who: &Browser, bytes: &[u8]) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes.to_vec())
        .file_name("territoires.csv")
        .mime_str("text/csv")
        .unwrap();
    client()
        .post(app.url(&format!(
            "/admin/territoires/import?csrf_token={}",
            who.token
        )))
        .header("cookie", &who.cookie)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap()
}

async fn territory_import_keeps_good_rows_and_reports_bad_ones(app: &TestApp) {
    let admin = sign_in(app, MANAGER).await;
    let html = admin.page(app, "/admin/territoires").await;
    assert!(html.contains("code,parent_code,level,name_fr,name_en"));
    assert!(html.contains("Les lignes correctes sont enregistrées"));

    let res = import(app, &admin, TERRITORY_CSV.as_bytes()).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("1 ligne enregistrée."), "{html}");
    assert!(html.contains("1 ligne refusée"));
    assert!(
        html.contains("<td>3</td><td>Territoire parent inconnu.</td><td><code>FR-D99</code></td>")
    );
    assert_eq!(
        text(
            app,
            "SELECT name_fr FROM territories WHERE code = 'FR-C33522'"
        )
        .await,
        "Talence"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM territories WHERE code = 'FR-C99001'")
            .await,
        0
    );

    // In English (the known code is updated, the bad line reported again).
    let en = sign_in(app, MANAGER).await.english();
    let res = import(app, &en, TERRITORY_CSV.as_bytes()).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("1 row saved."));
    assert!(html.contains("1 row refused"));
    assert!(
        html.contains("<td>3</td><td>Unknown parent territory.</td><td><code>FR-D99</code></td>")
    );

    // A file without the required columns, or an empty one, is explained.
    let res = import(app, &admin, b"nom,niveau\nTalence,commune\n").await;
    assert_eq!(res.status(), 422);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Colonnes manquantes dans la première ligne du fichier : code, level, name_fr."));
    let res = import(app, &admin, b"").await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Le fichier est vide."));

    // Without the CSRF token the upload is refused.
    let part =
        reqwest::multipart::Part::bytes(TERRITORY_CSV.as_bytes().to_vec()).file_name("t.csv");
    let res = client()
        .post(app.url("/admin/territoires/import"))
        .header("cookie", &admin.cookie)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}

async fn territories_can_be_browsed_down_and_up(app: &TestApp) {
    let admin = sign_in(app, MANAGER).await;
    let html = admin.page(app, "/admin/territoires").await;
    for country in ["France", "Belgique", "Luxembourg", "Nouvelle-Calédonie"] {
        assert!(html.contains(country), "{country} listed");
    }
    assert!(html.contains("href=\"/admin/territoires?parent=FR\""));

    let html = admin.page(app, "/admin/territoires?parent=FR-D33").await;
    assert!(html.contains("Territoires : Gironde"));
    // Breadcrumb up to the country and the region.
    assert!(html.contains("href=\"/admin/territoires?parent=FR\">France</a>"));
    assert!(html.contains("href=\"/admin/territoires?parent=FR-R75\">Nouvelle-Aquitaine</a>"));
    // Children: the communes of Gironde.
    assert!(html.contains("Bordeaux"));
    assert!(html.contains("<code>FR-C33063</code>"));

    let html = admin.page(app, "/admin/territoires?parent=FR-R75").await;
    assert!(html.contains("href=\"/admin/territoires?parent=FR-D33\">Gironde</a>"));
    assert!(html.contains("subdivision"));

    let html = admin
        .english()
        .page(app, "/admin/territoires?parent=NC")
        .await;
    assert!(html.contains("South Province"));
    assert!(html.contains("All countries"));

    let res = admin.get(app, "/admin/territoires?parent=XX-NOPE").await;
    assert_eq!(res.status(), 404);
}

async fn sector_priority_can_be_switched_on_and_off(app: &TestApp) {
    let admin = sign_in(app, MANAGER).await;
    let html = admin.page(app, "/admin/secteurs").await;
    assert!(html.contains("Programmation, conseil et autres activités informatiques"));
    assert!(html.contains("13 divisions prioritaires."));
    assert_eq!(
        app.count("SELECT priority FROM sectors WHERE code = '62'")
            .await,
        0
    );

    let res = admin
        .post(app, "/admin/secteurs", &[("code", "62"), ("priority", "1")])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/admin/secteurs?modifie=62#sector-62");
    assert_eq!(
        app.count("SELECT priority FROM sectors WHERE code = '62'")
            .await,
        1
    );
    let html = admin.page(app, "/admin/secteurs?modifie=62").await;
    assert!(html.contains("est désormais prioritaire."));
    assert!(html.contains("14 divisions prioritaires."));

    // Sending the same request twice does not switch it back.
    let res = admin
        .post(app, "/admin/secteurs", &[("code", "62"), ("priority", "1")])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count("SELECT priority FROM sectors WHERE code = '62'")
            .await,
        1
    );

    let res = admin
        .post(app, "/admin/secteurs", &[("code", "47"), ("priority", "0")])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count("SELECT priority FROM sectors WHERE code = '47'")
            .await,
        0
    );
    let html = admin
        .english()
        .page(app, "/admin/secteurs?modifie=47")
        .await;
    assert!(html.contains("is no longer a priority."));

    let res = admin
        .post(app, "/admin/secteurs", &[("code", "ZZ"), ("priority", "1")])
        .await;
    assert_eq!(res.status(), 404);
}

async fn themes_can_be_added_and_duplicate_slugs_are_refused(app: &TestApp) {
    let admin = sign_in(app, MANAGER).await;
    let html = admin.page(app, "/admin/thematiques").await;
    for group in [
        "Vendre et être visible",
        "Gérer et s",
        "Relation client",
        "Sécurité et données",
        "Financer son projet",
    ] {
        assert!(html.contains(group), "group {group}");
    }
    assert!(html.contains("site-vitrine"));

    let theme = [
        ("title_fr", "Facturation électronique obligatoire"),
        ("title_en", ""),
        ("slug", ""),
        ("theme_group", "manage"),
        (
            "description_fr",
            "Ce qui change pour les petites entreprises.",
        ),
        ("description_en", "What changes for small businesses."),
        ("tags", "facture, e-facture,, Facture"),
    ];
    let res = admin.post(app, "/admin/thematiques", &theme).await;
    assert_eq!(res.status(), 303);
    let html = admin.page(app, &location(&res)).await;
    assert!(html.contains("Thématique ajoutée : Facturation électronique obligatoire."));
    assert!(html.contains("facturation-electronique-obligatoire"));
    assert_eq!(
        text(
            app,
            "SELECT tags FROM themes WHERE slug = 'facturation-electronique-obligatoire'"
        )
        .await,
        "facture, e-facture"
    );
    // English title falls back to the French one.
    assert_eq!(
        text(
            app,
            "SELECT title_en FROM themes WHERE slug = 'facturation-electronique-obligatoire'"
        )
        .await,
        "Facturation électronique obligatoire"
    );

    // The same title again gives the same slug: refused on the field.
    let res = admin.post(app, "/admin/thematiques", &theme).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Cet identifiant est déjà utilisé."));
    assert!(html.contains("value=\"Facturation électronique obligatoire\""));
    assert!(html.contains("href=\"#slug\""));

    // A typed slug that exists already, in English.
    let mut other = theme;
    other[0].1 = "Un autre site";
    other[2].1 = "site-vitrine";
    let res = admin
        .english()
        .post(app, "/admin/thematiques", &other)
        .await;
    assert_eq!(res.status(), 422);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("This identifier is already in use."));

    // Missing title and group.
    let res = admin
        .post(
            app,
            "/admin/thematiques",
            &[("title_fr", ""), ("theme_group", "")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Ce champ est obligatoire."));
    assert!(html.contains("Choisissez une option dans la liste."));
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM themes WHERE slug = 'facturation-electronique-obligatoire'"
        )
        .await,
        1
    );
}

async fn themes_can_be_edited_archived_and_restored(app: &TestApp) {
    let admin = sign_in(app, MANAGER).await;
    let id = app
        .count("SELECT id FROM themes WHERE slug = 'site-vitrine'")
        .await;
    let path = format!("/admin/thematiques/{id}");
    let html = admin.page(app, &path).await;
    assert!(html.contains("value=\"site-vitrine\""));
    assert!(html.contains("Archiver la thématique"));

    let res = admin.post(app, &path, &[("action", "archive")]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count(&format!("SELECT archived FROM themes WHERE id = {id}"))
            .await,
        1
    );
    let html = admin.page(app, &location(&res)).await;
    assert!(html.contains("La thématique est archivée."));
    assert!(html.contains("Rétablir la thématique"));
    let list = admin.page(app, "/admin/thematiques").await;
    assert!(list.contains("Archivée"));

    let res = admin.post(app, &path, &[("action", "restore")]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count(&format!("SELECT archived FROM themes WHERE id = {id}"))
            .await,
        0
    );

    let res = admin
        .post(
            app,
            &path,
            &[
                ("action", "save"),
                ("title_fr", "Créer un site vitrine en une journée"),
                ("title_en", "Building a simple website in a day"),
                ("slug", "site-vitrine"),
                ("theme_group", "sell"),
                ("description_fr", "Quelques pages claires."),
                ("description_en", "A few clear pages."),
                ("tags", "site, vitrine"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = admin.page(app, &location(&res)).await;
    assert!(html.contains("Les modifications sont enregistrées."));
    assert_eq!(
        text(app, &format!("SELECT title_fr FROM themes WHERE id = {id}")).await,
        "Créer un site vitrine en une journée"
    );

    // Taking another theme's slug is refused on the field.
    let res = admin
        .post(
            app,
            &path,
            &[
                ("action", "save"),
                ("title_fr", "Créer un site vitrine"),
                ("slug", "boutique-en-ligne"),
                ("theme_group", "sell"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Cet identifiant est déjà utilisé."));
    assert!(html.contains("value=\"boutique-en-ligne\""));
    assert_eq!(
        text(app, &format!("SELECT slug FROM themes WHERE id = {id}")).await,
        "site-vitrine"
    );

    let res = admin.get(app, "/admin/thematiques/999999").await;
    assert_eq!(res.status(), 404);
}

async fn partners_get_a_sign_up_link_that_works(app: &TestApp) {
    let admin = sign_in(app, MANAGER).await;
    let html = admin.page(app, "/admin/partenaires").await;
    assert!(html.contains("Chambre de métiers et de l"));
    assert!(html.contains("/p/cma-gironde</code>"));
    // Half of the demo businesses came through the chamber of trades.
    assert!(html.contains("4 entreprises"), "businesses brought");

    let res = admin
        .post(
            app,
            "/admin/partenaires",
            &[
                ("name", "Club des artisans de Pessac"),
                ("slug", ""),
                ("kind", "association"),
                ("brings", "on"),
                ("contact_email", "contact@club-pessac.fr"),
                ("website", "www.club-pessac.fr"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = admin.page(app, &location(&res)).await;
    assert!(html.contains("Partenaire ajouté : Club des artisans de Pessac."));
    let link = format!(
        "{}/p/club-des-artisans-de-pessac",
        app.state.config.base_url.as_str().trim_end_matches('/')
    );
    assert!(
        html.contains(&format!("<code>{link}</code>")),
        "sign-up link shown"
    );
    assert_eq!(
        text(
            app,
            "SELECT website FROM partners WHERE slug = 'club-des-artisans-de-pessac'"
        )
        .await,
        "https://www.club-pessac.fr/"
    );
    assert_eq!(
        app.count("SELECT receives FROM partners WHERE slug = 'club-des-artisans-de-pessac'")
            .await,
        0
    );

    // The link lands on a page naming the partner, diagnostic first, and
    // remembers the partner.
    let res = client()
        .get(app.url("/p/club-des-artisans-de-pessac"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.starts_with("tremplin_partner=club-des-artisans-de-pessac")));

    // Same slug again, bad e-mail, no kind: field messages, values kept.
    let res = admin
        .post(
            app,
            "/admin/partenaires",
            &[
                ("name", "Club des artisans de Pessac"),
                ("kind", ""),
                ("contact_email", "contact@"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Cet identifiant est déjà utilisé."));
    assert!(html.contains("Choisissez une option dans la liste."));
    assert!(html.contains("Saisissez une adresse e-mail valide"));
    assert!(html.contains("value=\"contact@\""));

    // Editing: receives referrals now, new name.
    let id = app
        .count("SELECT id FROM partners WHERE slug = 'club-des-artisans-de-pessac'")
        .await;
    let path = format!("/admin/partenaires/{id}");
    let html = admin.page(app, &path).await;
    assert!(html.contains(&link));
    let res = admin
        .post(
            app,
            &path,
            &[
                ("name", "Club des artisans de Pessac et Talence"),
                ("slug", "club-des-artisans-de-pessac"),
                ("kind", "association"),
                ("brings", "on"),
                ("receives", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = admin.page(app, &location(&res)).await;
    assert!(html.contains("Les modifications sont enregistrées."));
    assert!(html.contains("Club des artisans de Pessac et Talence"));
    assert_eq!(
        app.count(&format!("SELECT receives FROM partners WHERE id = {id}"))
            .await,
        1
    );

    let en = admin.english().page(app, "/admin/partenaires").await;
    assert!(en.contains("Sign-up link"));
    assert!(en.contains("Association or business club"));
}

const PAGES: [&str; 9] = [
    "/admin/programme",
    "/admin/territoires",
    "/admin/territoires/import",
    "/admin/secteurs",
    "/admin/thematiques",
    "/admin/thematiques/1",
    "/admin/partenaires",
    "/admin/partenaires/1",
    "/admin/questionnaire",
];

async fn only_programme_managers_may_use_set_up_pages(app: &TestApp) {
    for email in [ADVISER, OWNER] {
        let who = sign_in(app, email).await;
        for path in PAGES {
            let res = who.get(app, path).await;
            assert_eq!(res.status(), 403, "GET {path} as {email}");
            let res = who.post(app, path, &[("action", "save")]).await;
            assert_eq!(res.status(), 403, "POST {path} as {email}");
        }
        let res = who
            .post(app, "/admin/secteurs", &[("code", "62"), ("priority", "1")])
            .await;
        assert_eq!(res.status(), 403);
    }
    assert_eq!(
        app.count("SELECT priority FROM sectors WHERE code = '62'")
            .await,
        0
    );
    // Not signed in: sent to the login page.
    let res = client()
        .get(app.url("/admin/programme"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(location(&res).starts_with("/connexion"));
    // The manager sees the sub-navigation on every page.
    let admin = sign_in(app, MANAGER).await;
    for path in [
        "/admin/programme",
        "/admin/territoires",
        "/admin/secteurs",
        "/admin/thematiques",
        "/admin/partenaires",
        "/admin/questionnaire",
    ] {
        let html = admin.page(app, path).await;
        assert!(
            html.contains("aria-label=\"Paramétrage du programme\""),
            "{path}"
        );
        assert!(html.contains("href=\"/admin/partenaires\""), "{path}");
        assert!(html.contains("href=\"/admin/questionnaire\""), "{path}");
        assert!(html.contains("aria-current=\"page\""), "{path}");
    }
}

// ------------------------------------------------------------ questionnaire

const SHIPPED_BANK: &str = include_str!("../../banks/dma-2026.1.toml");

/// The shipped bank under another version number.
fn bank_version(version: &str) -> String {
    let text = SHIPPED_BANK.replacen(
        "version = \"2026.1\"",
        &format!("version = \"{version}\""),
        1,
    );
    assert!(text.contains(&format!("version = \"{version}\"")));
    text
}

/// 1-based line of the first occurrence of `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    let at = text.find(needle).expect(needle);
    text[..at].matches('\n').count() + 1
}

/// Upload a bank file; returns status, Location and body.
async fn import_bank(
    app: &TestApp,
    who: &Visitor,
    name: &str,
    bytes: &[u8],
) -> (u16, String, String) {
    let part = reqwest::multipart::Part::bytes(bytes.to_vec())
        .file_name(name.to_string())
        .mime_str("application/toml")
        .unwrap();
    let res = client()
        .post(app.url(&format!("/admin/questionnaire?csrf_token={}", who.csrf())))
        .header("cookie", who.cookie_header())
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let location = location(&res);
    (status, location, res.text().await.unwrap())
}

/// Start an anonymous quick check; returns the version it records.
async fn quick_check_version(app: &TestApp) -> String {
    let mut visitor = Visitor::new(app).await;
    let (status, location, _) = visitor.submit("/diagnostic", &[("mode", "quick")]).await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/diagnostic/d/"), "{location}");
    text(
        app,
        "SELECT bank_version FROM diagnostics ORDER BY id DESC LIMIT 1",
    )
    .await
}

async fn a_new_questionnaire_version_is_imported_and_used_by_new_diagnostics(app: &TestApp) {
    let mut admin = Visitor::signed_in(app, MANAGER, PW).await;
    // Before: the shipped version, with its counts per dimension.
    assert_eq!(quick_check_version(app).await, "2026.1");
    let (status, html) = admin.page("/admin/questionnaire").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("<h1>Questionnaire du diagnostic</h1>"),
        "{html}"
    );
    assert!(html.contains("<dd>Diagnostic de maturité numérique</dd>"));
    assert!(html.contains("<dd><code>dma</code></dd>"));
    assert!(html.contains("<dd><code>2026.1</code> (fournie avec Tremplin)</dd>"));
    assert!(html.contains("<th scope=\"row\">Stratégie numérique</th><td>2</td>"));
    assert!(html.contains("<th scope=\"row\">Total</th><td>12</td>"));
    assert!(html.contains("Chaque diagnostic garde la version du questionnaire"));
    assert!(html.contains("banks/dma-2026.1.toml"));
    assert!(html.contains("<td>1 diagnostic</td>"));
    assert!(html.contains("action=\"/admin/questionnaire?csrf_token="));
    assert!(html.contains("href=\"/admin/questionnaire\" class=\"button\" aria-current=\"page\""));

    let (status, location, _) = import_bank(
        app,
        &admin,
        "dma-2027.1.toml",
        bank_version("2027.1").as_bytes(),
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(location, "/admin/questionnaire?importe=2027.1");
    let (status, html) = admin.page(&location).await;
    assert_eq!(status, 200);
    assert!(html
        .contains("Version 2027.1 importée : elle sera utilisée pour les nouveaux diagnostics."));
    assert!(
        html.contains("<dd><code>2027.1</code> (importée)</dd>"),
        "{html}"
    );
    assert!(html.contains("Claire Responsable"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM question_banks WHERE version = '2027.1' AND active = 1")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT imported_by FROM question_banks WHERE version = '2027.1'")
            .await,
        app.count("SELECT id FROM users WHERE email = 'responsable@tremplin-demo.fr'")
            .await
    );
    // A made-up flag announces nothing.
    let (_, html) = admin.page("/admin/questionnaire?importe=9999").await;
    assert!(!html.contains("importée : elle sera"));

    // New diagnostics use the new version; the old one keeps its own.
    assert_eq!(quick_check_version(app).await, "2027.1");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM diagnostics WHERE bank_version = '2026.1'")
            .await,
        1
    );
    let (_, html) = admin.page("/admin/questionnaire").await;
    assert_eq!(html.matches("<td>1 diagnostic</td>").count(), 2, "{html}");

    // In English.
    admin.cookies.insert("tremplin_lang".into(), "en".into());
    let (_, html) = admin.page("/admin/questionnaire").await;
    assert!(html.contains("<dd>Digital maturity diagnostic</dd>"));
    assert!(html.contains("<dd><code>2027.1</code> (imported)</dd>"));
    assert!(html.contains("<th scope=\"row\">Digital business strategy</th>"));
    assert!(html.contains("Each diagnostic keeps the version of the questionnaire"));
}

async fn a_questionnaire_with_a_prerequisite_cycle_is_refused_with_its_line(app: &TestApp) {
    let mut admin = Visitor::signed_in(app, MANAGER, PW).await;
    // The first step requires itself.
    let cyclic =
        bank_version("2027.2").replacen("requires = []", "requires = [\"digital-plan\"]", 1);
    let line = line_of(&cyclic, "code = \"digital-plan\"");
    let (status, html) = admin
        .upload(
            "/admin/questionnaire",
            "file",
            "cycle.toml",
            cyclic.into_bytes(),
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains(&format!(
            "Le fichier cycle.toml n&#39;a pas été importé : ligne {line} — the prerequisites of step digital-plan form a cycle"
        )),
        "{html}"
    );
    assert!(html.contains("Rien n&#39;a été modifié"));
    assert!(html.contains("<dd><code>2026.1</code> (fournie avec Tremplin)</dd>"));
    assert_eq!(app.count("SELECT COUNT(*) FROM question_banks").await, 0);

    // Two steps that require each other, in English.
    let mutual =
        bank_version("2027.2").replacen("requires = []", "requires = [\"choose-provider\"]", 1);
    let line = line_of(&mutual, "code = \"digital-plan\"");
    admin.cookies.insert("tremplin_lang".into(), "en".into());
    let (status, html) = admin
        .upload(
            "/admin/questionnaire",
            "file",
            "mutual.toml",
            mutual.into_bytes(),
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains(&format!(
            "The file mutual.toml was not imported: line {line} — the prerequisites of step digital-plan form a cycle"
        )),
        "{html}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM question_banks").await, 0);
    assert_eq!(quick_check_version(app).await, "2026.1");
}

async fn a_questionnaire_with_a_syntax_error_is_refused_with_its_line(app: &TestApp) {
    let mut admin = Visitor::signed_in(app, MANAGER, PW).await;
    let broken = bank_version("2027.3").replacen("kind = \"checklist\"", "kind = checklist", 1);
    let line = line_of(&broken, "kind = checklist");
    assert!(line > 10);
    let (status, html) = admin
        .upload(
            "/admin/questionnaire",
            "file",
            "syntaxe.toml",
            broken.into_bytes(),
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains(&format!(
            "Le fichier syntaxe.toml n&#39;a pas été importé : ligne {line} — "
        )),
        "{html}"
    );
    assert!(html.contains("role=\"alert\""));
    assert!(html.contains("aria-invalid=\"true\""));

    // Not UTF-8, not a .toml file, no file at all: explained too.
    let (status, html) = admin
        .upload(
            "/admin/questionnaire",
            "file",
            "latin1.toml",
            b"title_fr = \"Diagnostic \xe9t\xe9\"\n".to_vec(),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Le fichier latin1.toml n&#39;a pas été importé : il n&#39;est pas enregistré en UTF-8."), "{html}");
    let (status, html) = admin
        .upload(
            "/admin/questionnaire",
            "file",
            "questions.csv",
            bank_version("2027.3").into_bytes(),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("se termine par .toml"), "{html}");
    let (status, html) = admin
        .upload("/admin/questionnaire", "file", "vide.toml", vec![])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Le fichier vide.toml n&#39;a pas été importé : il est vide."));
    assert_eq!(app.count("SELECT COUNT(*) FROM question_banks").await, 0);
}

async fn an_existing_questionnaire_version_is_refused(app: &TestApp) {
    let admin = Visitor::signed_in(app, MANAGER, PW).await;
    let (status, _, _) =
        import_bank(app, &admin, "dma.toml", bank_version("2027.1").as_bytes()).await;
    assert_eq!(status, 303);
    let imported_at = app
        .count("SELECT imported_at FROM question_banks WHERE version = '2027.1'")
        .await;

    // The same version again, changed or not, is refused.
    let changed = bank_version("2027.1").replacen(
        "title_fr = \"Diagnostic de maturité numérique\"",
        "title_fr = \"Diagnostic révisé\"",
        1,
    );
    let (status, _, html) = import_bank(app, &admin, "dma.toml", changed.as_bytes()).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("La version 2027.1 existe déjà. Changez le numéro de version"),
        "{html}"
    );
    assert!(html.contains("<dd>Diagnostic de maturité numérique</dd>"));
    // So is the shipped version.
    let (status, _, html) =
        import_bank(app, &admin, "dma-2026.1.toml", SHIPPED_BANK.as_bytes()).await;
    assert_eq!(status, 422);
    assert!(html.contains("La version 2026.1 existe déjà."), "{html}");

    assert_eq!(app.count("SELECT COUNT(*) FROM question_banks").await, 1);
    assert_eq!(
        app.count("SELECT imported_at FROM question_banks WHERE version = '2027.1'")
            .await,
        imported_at
    );
    assert_eq!(
        text(app, "SELECT source FROM question_banks").await,
        bank_version("2027.1")
    );
    assert_eq!(quick_check_version(app).await, "2027.1");
}

async fn only_programme_managers_may_import_a_questionnaire(app: &TestApp) {
    let mut adviser = Visitor::signed_in(app, ADVISER, PW).await;
    let (status, _) = adviser.page("/admin/questionnaire").await;
    assert_eq!(status, 403);
    let (status, _) = adviser
        .upload(
            "/admin/questionnaire",
            "file",
            "dma.toml",
            bank_version("2027.1").into_bytes(),
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(app.count("SELECT COUNT(*) FROM question_banks").await, 0);

    // Without the CSRF token, even the manager is refused.
    let admin = Visitor::signed_in(app, MANAGER, PW).await;
    let part =
        reqwest::multipart::Part::bytes(bank_version("2027.1").into_bytes()).file_name("dma.toml");
    let res = client()
        .post(app.url("/admin/questionnaire"))
        .header("cookie", admin.cookie_header())
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(app.count("SELECT COUNT(*) FROM question_banks").await, 0);
}

/// The store directly: a theme and a partner built through the model, their
/// slugs then taken.
async fn the_store_keeps_themes_and_partners(app: &TestApp) {
    use tremplin::setup::model::{PartnerForm, PartnerKind, ThemeForm};
    use tremplin::setup::store;
    let db = &app.db;
    let theme = ThemeForm {
        title_fr: "Facturation électronique".into(),
        theme_group: "manage".into(),
        ..Default::default()
    };
    let slug = theme.wanted_slug();
    assert_eq!(slug, "facturation-electronique");
    assert!(!store::theme_slug_taken(db, &slug, None).await.unwrap());
    let valid = theme.parse(false).expect("valid theme");
    assert_eq!(valid.title_en, "Facturation électronique");
    let id = store::insert_theme(db, &valid).await.unwrap();
    assert!(store::theme_slug_taken(db, &slug, None).await.unwrap());
    assert!(!store::theme_slug_taken(db, &slug, Some(id)).await.unwrap());
    store::set_theme_archived(db, id, true).await.unwrap();
    assert!(store::theme(db, id).await.unwrap().unwrap().archived);

    let programme = store::programme_id(db)
        .await
        .unwrap()
        .expect("demo programme");
    let partner = PartnerForm {
        name: "Mairie de Pessac".into(),
        kind: PartnerKind::TownHall.code().into(),
        ..Default::default()
    };
    let valid = partner.parse(false).expect("valid partner");
    let id = store::insert_partner(db, programme, &valid).await.unwrap();
    assert_eq!(
        store::partner_id(db, "mairie-de-pessac").await.unwrap(),
        Some(id)
    );
    let stored = store::partner(db, id).await.unwrap().unwrap();
    assert_eq!((stored.kind.as_str(), stored.brought), ("town_hall", 0));
}
