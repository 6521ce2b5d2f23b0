//! The store functions the builders rely on, called directly on both
//! databases: what they write is what the features read back.

use tremplin::auth::store as auth;
use tremplin::auth::Role;
use tremplin::db::now_ms;

use crate::both_databases;
use crate::builders;
use crate::harness::TestApp;

both_databases!(
    a_diagnostic_keeps_the_date_it_was_taken,
    a_closed_file_keeps_its_closing_date,
    a_role_grant_is_audited_with_who_granted_it,
);

const DAY: i64 = 86_400_000;

async fn a_diagnostic_keeps_the_date_it_was_taken(app: &TestApp) {
    let b = builders::business("Atelier Daté").create(app).await;
    let then = now_ms() - 30 * DAY;
    builders::diagnostic(b)
        .overall(42.0)
        .at(then)
        .create(app)
        .await;
    builders::diagnostic(b).overall(58.0).create(app).await;
    let series = tremplin::diagnostic::store::series(&app.db, Some(b), None)
        .await
        .unwrap();
    assert_eq!(series.len(), 2);
    assert_eq!(series[0].submitted_at, Some(then));
    assert_eq!(series[0].scores.as_ref().unwrap().overall, Some(42.0));
    assert!(series[1].submitted_at.unwrap() > then + 29 * DAY);
    assert!(series.iter().all(|d| d.is_submitted()));
}

async fn a_closed_file_keeps_its_closing_date(app: &TestApp) {
    let b = builders::business("Atelier Clos").create(app).await;
    let (opened, closed) = (now_ms() - 10 * DAY, now_ms() - 2 * DAY);
    let id = builders::case(b)
        .opened_at(opened)
        .closed_at(closed)
        .create(app)
        .await;
    let case = tremplin::cases::store::get(&app.db, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(case.status, "closed");
    assert_eq!(case.opened_at, opened);
    assert_eq!(case.closed_at, Some(closed));
}

async fn a_role_grant_is_audited_with_who_granted_it(app: &TestApp) {
    let manager = builders::user_id(app, "responsable@tremplin-demo.fr").await;
    let marie = builders::user_id(app, "marie@boulangerie-dupont.fr").await;
    let mut tx = app.db.begin_write().await.unwrap();
    auth::grant_role(&mut tx, marie, Role::Funder, Some(manager))
        .await
        .unwrap();
    // Granting it twice changes nothing, and is not logged twice.
    auth::grant_role(&mut tx, marie, Role::Funder, Some(manager))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let lines = tremplin::privacy::store::audit_search(
        &app.db,
        &tremplin::privacy::store::AuditFilter {
            text: vec![format!("user #{marie}")],
            ..Default::default()
        },
        10,
    )
    .await
    .unwrap();
    let granted: Vec<_> = lines
        .iter()
        .filter(|l| {
            l.action == "role_granted"
                && l.detail == "funder"
                && l.subject == format!("user #{marie}")
        })
        .collect();
    assert_eq!(granted.len(), 1, "{lines:?}");
    assert_eq!(granted[0].actor_id, Some(manager));
    assert_eq!(granted[0].actor, "responsable@tremplin-demo.fr");
    assert!(auth::user_roles(&app.db, marie)
        .await
        .unwrap()
        .contains(&Role::Funder));
}
