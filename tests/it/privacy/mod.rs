//! Personal data: privacy pages, the register, exports of a person's data,
//! erasure that keeps the figures, the audit log, retention once a day.

use crate::both_databases;

mod erasure;
mod register;
use crate::builders;
use crate::harness::{link_in, pdf_text, Browser, TestApp};
use tremplin::cli::seed::DEMO_PASSWORD as PW;
use tremplin::db::Backend;

const MANAGER: &str = "responsable@tremplin-demo.fr";
const MARIE: &str = "marie@boulangerie-dupont.fr";

/// The dashboard's figures as a manager sees them (the page's main part).
async fn dashboard(app: &TestApp) -> String {
    let mut m = Browser::signed_in(app, MANAGER, PW).await;
    let (status, html) = m.page("/tableau-de-bord").await;
    assert_eq!(status, 200);
    let start = html.find("<main").expect("main");
    let end = html.find("</main>").expect("end of main");
    html[start..end].to_string()
}

async fn erase_by_staff(m: &mut Browser, email: &str) -> (u16, String) {
    let (status, _, html) = m
        .submit(
            "/admin/donnees-personnelles/effacer",
            &[("email", email), ("confirm", "on")],
        )
        .await;
    (status, html)
}

/// One part of an XLSX (zip) file, as text.
fn xlsx_part(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut part = zip.by_name(name).unwrap();
    let mut s = String::new();
    part.read_to_string(&mut s).unwrap();
    s
}

/// Close every file of a business at `at` (as an adviser closing it would).
async fn close_files_of(app: &TestApp, business: &str, at: i64) {
    sqlx::query(
        "UPDATE cases SET status = 'closed', outcome = 'goals-met', closed_at = $1 WHERE business_id = (SELECT id FROM businesses WHERE name = $2)",
    )
    .bind(at)
    .bind(business)
    .execute(&app.db.pool)
    .await
    .unwrap();
}

/// One table of a JSON export.
fn export_table(json: &serde_json::Value, kind: &str, table: &str) -> Vec<serde_json::Value> {
    json["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == kind)
        .and_then(|s| {
            s["tables"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["table"] == table)
        })
        .map(|t| t["rows"].as_array().unwrap().clone())
        .unwrap_or_default()
}

fn hex_of(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}
