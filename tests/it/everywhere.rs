//! What every page shares (issue 13, "Everywhere"): destructive actions are
//! confirmed first, the header collapses on phones, no link leads nowhere.

use crate::both_databases;
use crate::harness::{Browser, TestApp, PW};

both_databases!(
    removing_a_territory_asks_first_and_keeps_it_until_confirmed,
    the_navigation_collapses_behind_a_menu_button_without_javascript,
);

const MANAGER: &str = "responsable@tremplin-demo.fr";

async fn removing_a_territory_asks_first_and_keeps_it_until_confirmed(app: &TestApp) {
    let mut admin = Browser::signed_in(app, MANAGER, PW).await;
    let covered = "SELECT COUNT(*) FROM programme_territories WHERE territory_code = 'FR-D33'";
    assert_eq!(app.count(covered).await, 1, "the demo covers Gironde");

    // The button carries its question for the dialog.
    let (_, html) = admin.page("/admin/programme").await;
    assert!(
        html.contains("data-confirm=\"Retirer Gironde du programme ?\""),
        "the remove button asks in a dialog"
    );

    // Without JavaScript: a confirmation page, nothing removed yet.
    let (status, _, html) = admin
        .submit(
            "/admin/programme",
            &[("action", "remove_territory"), ("territory", "FR-D33")],
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("data-confirm-page"), "a confirmation page");
    assert!(html.contains("<h1>Retirer Gironde du programme ?</h1>"));
    assert!(html.contains("<form method=\"post\" action=\"/admin/programme\""));
    assert!(html.contains("name=\"action\" value=\"remove_territory\""));
    assert!(html.contains("name=\"territory\" value=\"FR-D33\""));
    assert!(html.contains("name=\"confirmed\" value=\"1\""));
    assert!(html.contains("href=\"/admin/programme?retour=1#territories\" data-confirm-no"));
    assert_eq!(html.matches("name=\"csrf_token\"").count(), 1);
    assert_eq!(app.count(covered).await, 1, "kept until confirmed");

    // "Yes" posts the same fields with confirmed=1.
    let (status, location, _) = admin
        .submit(
            "/admin/programme",
            &[
                ("action", "remove_territory"),
                ("territory", "FR-D33"),
                ("confirmed", "1"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/admin/programme?retire=FR-D33"));
    assert_eq!(app.count(covered).await, 0);
}

async fn the_navigation_collapses_behind_a_menu_button_without_javascript(app: &TestApp) {
    let mut visitor = Browser::new(app).await;
    let (_, html) = visitor.page("/").await;
    let menu = html
        .find("<details class=\"nav-menu\"")
        .expect("a collapsible menu for phones");
    let rest = &html[menu..];
    let end = rest.find("</details>").unwrap();
    let menu = &rest[..end];
    assert!(
        menu.contains("<summary"),
        "opened by a summary, no script needed"
    );
    assert!(menu.contains("href=\"/diagnostic\""));
    assert!(menu.contains("href=\"/connexion\""));
    // The wide-screen navigation is the same list, shown without a button.
    assert!(html.contains("class=\"wrap main-nav main-nav-wide\""));
}
