//! Calls for projects and trophies: a call with its grid and jury, a
//! business's draft then submitted application, two jurors scoring on
//! their own, the manager's totals matching the sheets, the winner becoming
//! an obtained grant application; dates, deadlines and scores outside the
//! grid refused with the typed values kept; two saves of one sheet give one
//! success and a clear conflict, nothing lost.

use tremplin::calls::model::{
    AppStatus, ApplicationText, CallStatus, Kind, NewCriterion, ValidCall, ValidSheet,
};
use tremplin::calls::store::{self, AppSaved, Decided, Decision, SheetSaved};

use crate::both_databases;

mod journey;
mod notices;
use crate::harness::{fetch_json, Browser, TestApp, PW};

const MANAGER: &str = "responsable@tremplin-demo.fr";
const JUROR_A: &str = "conseiller@tremplin-demo.fr";
/// The programme manager sits on the jury too.
const JUROR_B: &str = "responsable@tremplin-demo.fr";
const SPEAKER: &str = "intervenante@tremplin-demo.fr";
const OWNER: &str = "marie@boulangerie-dupont.fr";

async fn user_id(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// The value of the hidden field `name` in a page.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} field in:\n{html}"));
    let rest = &html[at + marker.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// A published call with a two-row grid (20 and 10 points) and both jurors,
/// built through the store.
async fn open_call(app: &TestApp, opens: &str, closes: &str) -> i64 {
    let jurors = vec![user_id(app, JUROR_A).await, user_id(app, JUROR_B).await];
    call_with_jury(app, opens, closes, jurors).await
}

/// [`open_call`] with the given jurors.
async fn call_with_jury(app: &TestApp, opens: &str, closes: &str, jurors: Vec<i64>) -> i64 {
    store::insert_call(
        &app.db,
        &ValidCall {
            kind: Kind::Trophy,
            status: CallStatus::Published,
            title_fr: "Trophées de l'artisanat".into(),
            title_en: "Craft trophies".into(),
            description_fr: String::new(),
            description_en: String::new(),
            opens_on: opens.into(),
            closes_on: closes.into(),
            funding_scheme_id: None,
            criteria: Some(vec![
                NewCriterion {
                    label_fr: "Innovation".into(),
                    label_en: "Innovation".into(),
                    max_points: 20,
                },
                NewCriterion {
                    label_fr: "Impact local".into(),
                    label_en: "Local impact".into(),
                    max_points: 10,
                },
            ]),
            jurors,
        },
        None,
    )
    .await
    .unwrap()
}

/// The outbox's messages of `kind`: (recipient, subject, body), in order.
async fn mails(app: &TestApp, kind: &str) -> Vec<(String, String, String)> {
    sqlx::query_as(
        "SELECT to_addr, subject, body_text FROM outbox WHERE kind = $1 ORDER BY to_addr, id",
    )
    .bind(kind)
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
}

/// `b` reads English from now on (the language picker's cookie).
fn in_english(b: &mut Browser) {
    b.cookies.insert("tremplin_lang".into(), "en".into());
}

/// `html` contains `text`, apostrophes escaped or not.
fn shows(html: &str, text: &str) -> bool {
    html.contains(text) || html.contains(&text.replace('\'', "&#39;"))
}

/// The JSON answer of an API path (`lang:` prefix: in that language):
/// status and body.
async fn api(app: &TestApp, path: &str) -> (u16, serde_json::Value) {
    let (lang, path) = path.split_once(':').unwrap_or(("fr", path));
    let (status, _, body) = fetch_json(app, path, lang).await;
    (status, body)
}
