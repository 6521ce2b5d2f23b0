//! Sponsors: exclusivity refused clearly (store and form), placement on the
//! public pages; open data: the catalogue, the documents and their licence.

use tremplin::kernel::money::Euros;
use tremplin::sponsors::model::{Category, Clash, NewSponsor, Tier};
use tremplin::sponsors::store as sponsors;

use crate::both_databases;
use crate::harness::{client, Browser, TestApp, PW};

both_databases!(
    an_exclusive_sponsor_refuses_a_second_one_in_its_category,
    sponsors_show_where_the_programme_places_them,
    open_data_lists_datasets_under_the_programme_licence
);

const ADMIN: &str = "responsable@tremplin-demo.fr";

fn sponsor(name: &str, category: Category, exclusive: bool, except: &[Category]) -> NewSponsor {
    NewSponsor {
        name: name.into(),
        link: "https://sponsor.example".into(),
        logo_url: String::new(),
        category,
        tier: Tier::Gold,
        amount: Euros::from_units(50_000),
        exclusive,
        except: except.to_vec(),
        starts_on: "2026-01-01".into(),
        ends_on: "2030-12-31".into(),
    }
}

async fn programme_id(app: &TestApp) -> i64 {
    app.state.programme().await.unwrap().id.unwrap()
}

async fn an_exclusive_sponsor_refuses_a_second_one_in_its_category(app: &TestApp) {
    let p = programme_id(app).await;
    // The demo's "Numérique Atlantique" is the exclusive IT sponsor, except hardware.
    let before = sponsors::list(&app.db, p).await.unwrap().len();
    let it = sponsors::list(&app.db, p).await.unwrap();
    let holder = it.iter().find(|s| s.exclusive).unwrap();
    assert_eq!(holder.category, Category::It);
    assert_eq!(holder.except, vec![Category::Hardware]);
    // Hardware is excepted from the IT exclusivity.
    let hw = sponsor("Matériel Plus", Category::Hardware, false, &[]);
    assert!(sponsors::insert(&app.db, p, &hw, None)
        .await
        .unwrap()
        .is_ok());
    // A second IT (or software) sponsor is refused, naming the holder.
    let second = sponsor("Logiciels & Co", Category::Software, false, &[]);
    assert_eq!(
        sponsors::insert(&app.db, p, &second, None).await.unwrap(),
        Err(Clash::TakenByExclusive {
            other: "Numérique Atlantique".into(),
            category: Category::Software
        })
    );
    // An exclusive bank sponsor cannot push out the bank already there.
    let bank = sponsor("Banque Exclusive", Category::Bank, true, &[]);
    assert!(matches!(
        sponsors::insert(&app.db, p, &bank, None).await.unwrap(),
        Err(Clash::WouldExclude { .. })
    ));
    assert_eq!(sponsors::list(&app.db, p).await.unwrap().len(), before + 1);

    // Through the manager's form: refused with the message, what was typed kept.
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let form = reqwest::multipart::Form::new()
        .text("name", "Autre Informatique")
        .text("category", "it")
        .text("tier", "silver")
        .text("amount", "12 000")
        .text("starts_on", "2026-06-01")
        .text("ends_on", "2026-12-31");
    let res = client()
        .post(app.url(&format!("/admin/mecenes?csrf_token={}", admin.csrf())))
        .header("cookie", admin.cookie_header())
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"sponsors-clash\""), "{html}");
    assert!(html.contains("Numérique Atlantique"));
    assert!(html.contains("value=\"Autre Informatique\""));

    // A bad form names its fields; a renamed non-image logo is refused by content.
    let form = reqwest::multipart::Form::new()
        .text("name", "Banque Locale")
        .text("category", "bank")
        .text("amount", "douze")
        .text("starts_on", "2026-06-01")
        .text("ends_on", "2026-05-01")
        .part(
            "logo",
            reqwest::multipart::Part::bytes(b"not a picture".to_vec()).file_name("logo.png"),
        );
    let res = client()
        .post(app.url(&format!("/admin/mecenes?csrf_token={}", admin.csrf())))
        .header("cookie", admin.cookie_header())
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"amount-error\""));
    assert!(html.contains("id=\"ends_on-error\""));
    let (status, _) = admin.page("/admin/mecenes").await;
    assert_eq!(status, 200);
}

async fn sponsors_show_where_the_programme_places_them(app: &TestApp) {
    let p = programme_id(app).await;
    let mut small = sponsor("Petite Banque", Category::Bank, false, &[]);
    small.amount = Euros::from_units(1_000);
    let big = sponsor("Grand Opérateur", Category::Telecom, false, &[]);
    let mut past = sponsor("Ancien Mécène", Category::Energy, false, &[]);
    past.starts_on = "2020-01-01".into();
    past.ends_on = "2020-12-31".into();
    for s in [&small, &big, &past] {
        sponsors::insert(&app.db, p, s, None)
            .await
            .unwrap()
            .unwrap();
    }
    app.state.invalidate_programme().await;
    let mut visitor = Browser::new(app).await;
    let (_, home) = visitor.page("/").await;
    assert!(home.contains("data-sponsors=\"home\""));
    assert!(home.contains("data-sponsors=\"footer\""));
    // Largest amount first; a sponsor outside its period is not shown.
    let big_at = home.find("data-sponsor=\"Grand Opérateur\"").unwrap();
    let small_at = home.find("data-sponsor=\"Petite Banque\"").unwrap();
    assert!(big_at < small_at);
    assert!(!home.contains("Ancien Mécène"));
    let (_, agenda) = visitor.page("/ateliers").await;
    assert!(agenda.contains("data-sponsors=\"agenda\""));

    // The manager keeps them on the home page only, alphabetically.
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (status, _, _) = admin
        .submit(
            "/admin/mecenes/placement",
            &[("pages", "home"), ("order", "name")],
        )
        .await;
    assert_eq!(status, 303);
    let (_, home) = visitor.page("/").await;
    assert!(!home.contains("data-sponsors=\"footer\""));
    let big_at = home.find("data-sponsor=\"Grand Opérateur\"").unwrap();
    let small_at = home.find("data-sponsor=\"Petite Banque\"").unwrap();
    assert!(big_at < small_at, "G before P alphabetically");
    let (_, agenda) = visitor.page("/ateliers").await;
    assert!(!agenda.contains("data-sponsors=\"agenda\""));
}

async fn open_data_lists_datasets_under_the_programme_licence(app: &TestApp) {
    let mut visitor = Browser::new(app).await;
    let (status, page) = visitor.page("/donnees-ouvertes").await;
    assert_eq!(status, 200);
    for d in ["agenda", "providers", "guides", "schemes", "indicators"] {
        assert!(page.contains(&format!("data-dataset=\"{d}\"")), "{d}");
    }
    assert!(page.contains("data-licence=\"etalab-2.0\""));
    let agenda: serde_json::Value = client()
        .get(app.url("/donnees-ouvertes/agenda.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(agenda["licence"]["id"], "etalab-2.0");
    assert!(!agenda["instance"].as_str().unwrap().is_empty());
    let items = agenda["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items[0]["id"].is_i64() && items[0]["updated_at"].is_string());
    for path in [
        "/donnees-ouvertes/fiches.json",
        "/donnees-ouvertes/aides.json",
        "/donnees-ouvertes/indicateurs.json",
    ] {
        let doc: serde_json::Value = client()
            .get(app.url(path))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(doc["items"].is_array(), "{path}");
    }
    let csv = client()
        .get(app.url("/donnees-ouvertes/indicateurs.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with("id;label_fr;label_en;value;rule"));
    assert!(csv.contains("sessions_held;"));

    // The manager changes the licence; the documents follow.
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (status, _, _) = admin
        .submit(
            "/admin/donnees-ouvertes/licence",
            &[("licence", "cc-by-4.0")],
        )
        .await;
    assert_eq!(status, 303);
    let doc: serde_json::Value = client()
        .get(app.url("/donnees-ouvertes/fiches.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["licence"]["id"], "cc-by-4.0");
}
