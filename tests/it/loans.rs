//! Equipment loans: an item already out is refused (also when two loans
//! race), a return frees it, and the reminder before the due date is queued
//! once.

use tremplin::loans::model::{Condition, Kind, NewItem, NewLoan};
use tremplin::loans::store::{self, Lent};

use crate::both_databases;
use crate::harness::{Browser, TestApp, PW};

both_databases!(
    lending_an_item_already_out_is_refused_and_a_return_frees_it,
    two_simultaneous_loans_of_one_item_give_one_success,
    the_reminder_before_the_due_date_is_queued_once,
    an_owner_sees_her_own_loans_and_nothing_of_another_business,
);

const ADMIN: &str = "responsable@tremplin-demo.fr";

/// Two businesses, the first with a member account.
async fn businesses(app: &TestApp) -> (i64, i64) {
    let a: i64 = sqlx::query_scalar("SELECT MIN(business_id) FROM business_members")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let b: i64 = sqlx::query_scalar("SELECT MIN(id) FROM businesses WHERE id <> $1")
        .bind(a)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    (a, b)
}

async fn item(app: &TestApp, label: &str) -> i64 {
    store::insert_item(
        &app.db,
        &NewItem {
            kind: Kind::Computer,
            label: label.into(),
            serial: "SN-1".into(),
            condition: Condition::Good,
        },
    )
    .await
    .unwrap()
}

async fn lending_an_item_already_out_is_refused_and_a_return_frees_it(app: &TestApp) {
    let (a, b) = businesses(app).await;
    let mut staff = Browser::signed_in(app, ADMIN, PW).await;
    let (status, _, _) = staff
        .submit(
            "/admin/pret-materiel",
            &[
                ("kind", "computer"),
                ("label", "Portable Lenovo 14"),
                ("serial", "LNV-0042"),
                ("condition", "good"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let id: i64 = sqlx::query_scalar("SELECT id FROM loan_items WHERE serial = 'LNV-0042'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let lend = |business: i64| {
        vec![
            ("item".to_string(), id.to_string()),
            ("business".to_string(), business.to_string()),
            ("starts_on".to_string(), "2026-12-01".to_string()),
            ("due_on".to_string(), "2027-03-01".to_string()),
        ]
    };
    let first = lend(a);
    let pairs: Vec<(&str, &str)> = first
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (status, _, _) = staff.submit("/admin/pret-materiel/pret", &pairs).await;
    assert_eq!(status, 303);
    let (_, html) = staff.page("/admin/pret-materiel").await;
    assert!(html.contains("data-lent=\"1\""), "{html}");
    // Lending it again, to another business: refused, clearly, form kept.
    let second = lend(b);
    let pairs: Vec<(&str, &str)> = second
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (status, _, html) = staff.submit("/admin/pret-materiel/pret", &pairs).await;
    assert_eq!(status, 409);
    assert!(html.contains("id=\"loans-refused\""));
    assert!(html.contains("déjà prêté"), "{html}");
    assert!(html.contains("value=\"2027-03-01\""));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM loans WHERE item_id = {id} AND returned_on IS NULL"
        ))
        .await,
        1
    );
    // A due date before the start is refused.
    let (status, _, html) = staff
        .submit(
            "/admin/pret-materiel/pret",
            &[
                ("item", &id.to_string()),
                ("business", &b.to_string()),
                ("starts_on", "2026-12-10"),
                ("due_on", "2026-12-01"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("doit suivre le début"));
    // The return, in worn condition, frees it.
    let loan: i64 = sqlx::query_scalar("SELECT id FROM loans WHERE item_id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let (status, _, _) = staff
        .submit(
            &format!("/admin/pret-materiel/{loan}/retour"),
            &[("condition", "worn"), ("returned_on", "2027-02-20")],
        )
        .await;
    assert_eq!(status, 303);
    let cond: String = sqlx::query_scalar("SELECT condition FROM loan_items WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(cond, "worn");
    let (status, _, _) = staff.submit("/admin/pret-materiel/pret", &pairs).await;
    assert_eq!(status, 303, "returned, it can be lent again");
    // Returning the first loan twice: refused.
    let (status, _, html) = staff
        .submit(
            &format!("/admin/pret-materiel/{loan}/retour"),
            &[("condition", "good"), ("returned_on", "2027-02-21")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("déjà enregistré"));
    // Business owners and visitors cannot reach the page.
    let (status, _) = Browser::new(app).await.page("/admin/pret-materiel").await;
    assert_ne!(status, 200);
}

async fn two_simultaneous_loans_of_one_item_give_one_success(app: &TestApp) {
    let (a, b) = businesses(app).await;
    for round in 0..5 {
        let id = item(app, &format!("Imprimante {round}")).await;
        let loan = |business| NewLoan {
            item_id: id,
            business_id: business,
            starts_on: "2026-12-01".into(),
            due_on: "2027-01-15".into(),
        };
        let (la, lb) = (loan(a), loan(b));
        let (x, y) = tokio::join!(
            store::lend(&app.db, &la, None),
            store::lend(&app.db, &lb, None)
        );
        let results = [x.unwrap(), y.unwrap()];
        assert_eq!(
            results
                .iter()
                .filter(|r| matches!(r, Lent::Done(_)))
                .count(),
            1,
            "{results:?}"
        );
        assert!(results.contains(&Lent::AlreadyOut));
    }
}

async fn the_reminder_before_the_due_date_is_queued_once(app: &TestApp) {
    let (a, b) = businesses(app).await;
    let soon = item(app, "Box 4G").await;
    let later = item(app, "Ordinateur fixe").await;
    for (id, business, due) in [(soon, a, "2027-01-03"), (later, b, "2027-02-20")] {
        let r = store::lend(
            &app.db,
            &NewLoan {
                item_id: id,
                business_id: business,
                starts_on: "2026-12-01".into(),
                due_on: due.into(),
            },
            None,
        )
        .await
        .unwrap();
        assert!(matches!(r, Lent::Done(_)));
    }
    let count = "SELECT COUNT(*) FROM outbox WHERE kind = 'loans.reminder'";
    assert_eq!(app.count(count).await, 0);
    let until = tremplin::loans::model::remind_until("2026-12-31").unwrap();
    let now = tremplin::db::now_ms();
    let n = store::remind_due(&app.db, "https://tremplin.example", &until, now)
        .await
        .unwrap();
    assert_eq!(n, 1, "only the loan due within three days");
    let queued = app.count(count).await;
    assert!(queued >= 1);
    let body: String = sqlx::query_scalar(
        "SELECT body_text FROM outbox WHERE kind = 'loans.reminder' ORDER BY id LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(body.contains("Box 4G"), "{body}");
    // The next pass (or another server) queues nothing more.
    let n = store::remind_due(&app.db, "https://tremplin.example", &until, now + 30_000)
        .await
        .unwrap();
    assert_eq!(n, 0);
    assert_eq!(app.count(count).await, queued);
}

/// Lend `item` to `business` from `starts` to `due`, through the store.
async fn lent(app: &TestApp, item: i64, business: i64, starts: &str, due: &str) -> i64 {
    let r = store::lend(
        &app.db,
        &NewLoan {
            item_id: item,
            business_id: business,
            starts_on: starts.into(),
            due_on: due.into(),
        },
        None,
    )
    .await
    .unwrap();
    let Lent::Done(id) = r else { panic!("{r:?}") };
    id
}

async fn an_owner_sees_her_own_loans_and_nothing_of_another_business(app: &TestApp) {
    const OWNER: &str = "marie@boulangerie-dupont.fr";
    let owner: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(OWNER)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let mine = tremplin::business::store::for_member(&app.db, owner)
        .await
        .unwrap()
        .unwrap();
    let other = crate::builders::business("Garage du Pont")
        .create(app)
        .await;
    // Out now; out and overdue; returned worn; another business's.
    let laptop = lent(
        app,
        item(app, "Portable Dell 13").await,
        mine.id,
        "2026-11-02",
        "2099-01-31",
    )
    .await;
    let router = lent(
        app,
        item(app, "Box 4G Huawei").await,
        mine.id,
        "2020-01-06",
        "2020-02-03",
    )
    .await;
    let printer = lent(
        app,
        item(app, "Imprimante laser").await,
        mine.id,
        "2026-01-05",
        "2026-02-01",
    )
    .await;
    assert!(
        store::give_back(&app.db, printer, Condition::Worn, "2026-02-03")
            .await
            .unwrap()
    );
    let theirs = lent(
        app,
        item(app, "Tablette du garage").await,
        other,
        "2026-11-02",
        "2099-01-31",
    )
    .await;

    let mut marie = Browser::signed_in(app, OWNER, PW).await;
    let (_, home) = marie.page("/accueil").await;
    assert!(
        home.contains("href=\"/mes-prets\""),
        "linked from the owner's home"
    );
    let (status, html) = marie.page("/mes-prets").await;
    assert_eq!(status, 200);
    assert!(html.contains(&mine.name));
    assert!(html.contains(&format!("data-my-loan=\"{laptop}\" data-out=\"1\"")));
    assert!(
        html.contains("Portable Dell 13") && html.contains("31/01/2099"),
        "{html}"
    );
    assert!(html.contains(&format!("data-my-loan=\"{router}\" data-out=\"1\"")));
    assert!(html.contains("data-overdue=\"1\"") && html.contains("date de retour dépassée"));
    assert!(html.contains(&format!("data-my-loan=\"{printer}\" data-returned=\"1\"")));
    assert!(html.contains("03/02/2026") && html.contains("Usé"));
    // Nothing of the other business, even when asked for by number.
    for path in [
        "/mes-prets".to_string(),
        format!("/mes-prets?entreprise={other}"),
    ] {
        let (_, html) = marie.page(&path).await;
        assert!(!html.contains("Tablette du garage") && !html.contains("Garage du Pont"));
        assert!(!html.contains(&format!("data-my-loan=\"{theirs}\"")));
    }
    // In English.
    marie.cookies.insert("tremplin_lang".into(), "en".into());
    let (_, html) = marie.page("/mes-prets").await;
    assert!(html.contains("Equipment lent") && html.contains("past its due date"));
    assert!(html.contains("Condition when returned") && html.contains("Worn"));
    // Staff and visitors are not business members: refused.
    let mut staff = Browser::signed_in(app, ADMIN, PW).await;
    assert_eq!(staff.page("/mes-prets").await.0, 403);
    let mut visitor = Browser::new(app).await;
    let (status, html) = visitor.page("/mes-prets").await;
    assert_ne!(status, 200);
    assert!(!html.contains("Portable Dell 13"));
}
