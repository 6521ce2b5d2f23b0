//! Follow-up files: template offsets and overdue activities, bad input,
//! access (owner vs adviser notes vs funder), the version check, documents
//! checked by content, referrals answered through a private link (forged and
//! replayed links refused, reminders once), the coaching inbox, reminders
//! and digests sent once across two servers, and the T0 → T1 gain.

use tremplin::cases::{jobs, model::DAY_MS, store};
use tremplin::db::{now_ms, Db};
use tremplin::diagnostic::scoring::Scores;
use tremplin::diagnostic::store as diag;

use crate::both_databases;

mod files;
mod follow_up;
use crate::harness::{client, link_in, Browser, TestApp, PW};

const ADMIN: &str = "responsable@tremplin-demo.fr";
const ADVISER: &str = "conseiller@tremplin-demo.fr";
const OWNER: &str = "marie@boulangerie-dupont.fr";
const FUNDER: &str = "financeur@tremplin-demo.fr";

async fn id_of(app: &TestApp, sql: &str) -> i64 {
    app.count(sql).await
}

/// The business a test works on (not the demo bakery, which has a file).
async fn business(app: &TestApp, name: &str) -> i64 {
    id_of(
        app,
        &format!("SELECT id FROM businesses WHERE name = '{name}'"),
    )
    .await
}

/// Open a file through the form; returns its id.
async fn open_file(
    app: &TestApp,
    b: &mut Browser,
    business: i64,
    template: &str,
    opened_on: &str,
) -> i64 {
    let adviser = id_of(
        app,
        &format!("SELECT id FROM users WHERE email = '{ADVISER}'"),
    )
    .await
    .to_string();
    let adviser = adviser.as_str();
    let (status, location, body) = b
        .submit(
            "/dossiers/nouveau",
            &[
                ("business", &business.to_string()),
                ("template", template),
                ("origin", "manual"),
                ("opened_on", opened_on),
                ("summary", "Accompagnement de test"),
                ("adviser", adviser),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    location
        .trim_start_matches("/dossiers/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

fn day_input(ms: i64) -> String {
    let tz = tremplin::kernel::dates::zone("Europe/Paris");
    tremplin::kernel::dates::date_input(&tz, ms)
}

async fn template_id(app: &TestApp, code: &str) -> String {
    id_of(
        app,
        &format!("SELECT id FROM case_templates WHERE code = '{code}'"),
    )
    .await
    .to_string()
}

fn scores(level: f64) -> Scores {
    Scores {
        dimensions: tremplin::diagnostic::bank::DIMENSIONS
            .iter()
            .map(|d| (d.to_string(), Some(level)))
            .collect(),
        overall: Some(level),
    }
}

/// What the jobs of one server need.
fn env(db: &Db) -> jobs::Env<'_> {
    jobs::Env {
        db,
        base_url: "http://localhost",
        programme: "Programme",
        timezone: "Europe/Paris",
        default: tremplin::i18n::Locale::Fr,
    }
}

/// A personal API token of `email` with `role`.
async fn token(app: &TestApp, email: &str, role: &str) -> String {
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
