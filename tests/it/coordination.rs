//! Coordination across programmes: two instances on loopback, one following
//! the other's open indicators; the funnel in open data; the table, its sum
//! and its caveat; who may follow; the last copy kept when the other stops.

use serde_json::Value;

use crate::both_databases;
use crate::harness::{client, Browser, TestApp, PW};

both_databases!(a_manager_follows_another_programme_and_readers_see_both);

const ADMIN: &str = "responsable@tremplin-demo.fr";
const FUNDER: &str = "financeur@tremplin-demo.fr";

/// The value of an open indicator of an instance.
async fn open_value(app: &TestApp, id: &str) -> i64 {
    let doc: Value = client()
        .get(app.url("/donnees-ouvertes/indicateurs.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {doc}"))["value"]
        .as_i64()
        .unwrap()
}

/// The cells of a row of the coordination table.
fn row(html: &str, id: &str) -> Vec<String> {
    let tr = html
        .split(&format!("data-figure=\"{id}\""))
        .nth(1)
        .unwrap_or_else(|| panic!("no row {id}"));
    let tr = tr.split("</tr>").next().unwrap();
    tr.split("<td class=\"num\"")
        .skip(1)
        .map(|c| {
            let c = &c[c.find('>').unwrap() + 1..];
            c.split("</td>").next().unwrap().to_string()
        })
        .collect()
}

async fn a_manager_follows_another_programme_and_readers_see_both(app: &TestApp) {
    // Open data carries the funnel and the target, for anyone to add up.
    let here = open_value(app, "funnel_aware").await;
    assert_eq!(open_value(app, "target_aware").await, 1600);
    open_value(app, "funnel_diagnosed").await;
    let other = TestApp::spawn(app.backend).await.unwrap();
    // The other programme made two more businesses aware than the demo.
    let theme: String = sqlx::query_scalar("SELECT slug FROM themes ORDER BY id LIMIT 1")
        .fetch_one(&other.db.pool)
        .await
        .unwrap();
    let session = crate::builders::session(&theme)
        .starts_at(tremplin::db::now_ms() - 5 * crate::builders::DAY)
        .create(&other)
        .await;
    for n in 0..2 {
        let b = crate::builders::business(&format!("Voisine {n}"))
            .create(&other)
            .await;
        crate::builders::attendee(session, &format!("v{n}@voisin.test"))
            .business(b)
            .create(&other)
            .await;
    }
    let there = open_value(&other, "funnel_aware").await;
    assert_eq!(there, here + 2);
    let url = other.url("/donnees-ouvertes/indicateurs.json");

    // Before following anyone, only this programme.
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (_, dash) = admin.page("/tableau-de-bord").await;
    assert!(dash.contains("id=\"coordination-link\""));
    let (status, html) = admin.page("/tableau-de-bord/coordination").await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"coord-none\""));
    assert_eq!(html.matches("data-programme=").count(), 1);

    // The manager follows the other programme: read at once.
    let (status, location, _) = admin
        .submit("/tableau-de-bord/coordination/suivre", &[("url", &url)])
        .await;
    assert_eq!(status, 303);
    assert_eq!(location, "/tableau-de-bord/coordination?suivi=1");
    let (_, html) = admin.page("/tableau-de-bord/coordination?suivi=1").await;
    assert!(html.contains("id=\"coord-notice\""));
    assert_eq!(html.matches("data-programme=").count(), 2);
    let aware = row(&html, "funnel_aware");
    assert_eq!(aware.len(), 3, "{aware:?}");
    assert_eq!(aware[0], here.to_string());
    assert_eq!(aware[1], there.to_string());
    assert!(html.contains(&format!("data-total=\"{}\"", here + there)));
    assert!(html.contains("id=\"coord-caveat\""));
    assert!(html.contains("compte deux fois"));
    assert!(html.contains("id=\"chart-coordination\""));
    let target = row(&html, "target_aware");
    assert_eq!(
        target[..2],
        ["1\u{202f}600", "1\u{202f}600"],
        "French digit grouping"
    );

    // The same address twice, this site itself, or not an address: refused
    // with the field named and what was typed kept.
    let (status, _, html) = admin
        .submit("/tableau-de-bord/coordination/suivre", &[("url", &url)])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"url-error\""));
    assert!(html.contains("déjà suivi"));
    assert!(html.contains(&format!("value=\"{url}\"")));
    let own = app.url("/donnees-ouvertes/indicateurs.json");
    let (status, _, html) = admin
        .submit("/tableau-de-bord/coordination/suivre", &[("url", &own)])
        .await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("id=\"url-error\""));
    assert!(html.contains("celle de ce programme"), "{html}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM coordinated_programmes")
            .await,
        1,
        "only the other programme is followed"
    );
    let (status, _, _) = admin
        .submit(
            "/tableau-de-bord/coordination/suivre",
            &[("url", "pas une adresse")],
        )
        .await;
    assert_eq!(status, 422);

    // A funder reads the table, in English too, but may not follow anyone.
    let mut funder = Browser::signed_in(app, FUNDER, PW).await;
    let (status, html) = funder.page("/tableau-de-bord/coordination").await;
    assert_eq!(status, 200);
    assert_eq!(row(&html, "funnel_aware")[1], there.to_string());
    assert!(!html.contains("id=\"coord-form\""));
    let (status, _, _) = funder
        .submit("/tableau-de-bord/coordination/suivre", &[("url", &url)])
        .await;
    assert_eq!(status, 403);
    funder.cookies.insert("tremplin_lang".into(), "en".into());
    let (_, html) = funder.page("/tableau-de-bord/coordination").await;
    assert!(html.contains("Coordination across programmes"));
    assert!(html.contains("counts twice"));
    // Anonymous visitors do not get it.
    let mut visitor = Browser::new(app).await;
    assert_ne!(visitor.page("/tableau-de-bord/coordination").await.0, 200);

    // The other programme stops: the refresh says so, the last copy stays.
    other.finish().await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM coordinated_programmes")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let (status, location, _) = admin
        .submit(
            &format!("/tableau-de-bord/coordination/{id}/actualiser"),
            &[],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(location, "/tableau-de-bord/coordination?erreur=unreachable");
    let (_, html) = admin.page(&location).await;
    assert!(html.contains("data-followed-error=\"unreachable\""));
    assert_eq!(row(&html, "funnel_aware")[1], there.to_string());

    // Stop following: back to this programme alone.
    let (status, _, _) = admin
        .submit(
            &format!("/tableau-de-bord/coordination/{id}/supprimer"),
            &[],
        )
        .await;
    assert_eq!(status, 303);
    let (_, html) = admin.page("/tableau-de-bord/coordination").await;
    assert_eq!(html.matches("data-programme=").count(), 1);
}
