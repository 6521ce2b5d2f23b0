//! Needs: the guided brief, publishing that notifies matching providers
//! once, replies, shortlist and choice, quote reviews, the PDF, scoping;
//! and the store on its own.

use tremplin::directory::model as directory;
use tremplin::needs::model::{NeedStatus, ReplyStatus, ValidNeed};
use tremplin::needs::review::ValidQuote;
use tremplin::needs::store;
use tremplin::outbox::SentMail;

use crate::both_databases;

mod briefs;
mod replies;
use crate::harness::{client, pdf_lang, pdf_title, Browser, TestApp, PW};

pub(crate) const ADMIN: &str = "responsable@tremplin-demo.fr";
pub(crate) const ADVISER: &str = "conseiller@tremplin-demo.fr";
pub(crate) const PROVIDER: &str = "prestataire@tremplin-demo.fr";
pub(crate) const OWNER: &str = "marie@boulangerie-dupont.fr";

/// A provider card, built through the directory's model and store.
pub(crate) struct Card<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub status: &'a str,
    pub remote: bool,
    pub themes: &'a [&'a str],
    pub territories: &'a [&'a str],
    pub sizes: &'a [&'a str],
    pub member: Option<&'a str>,
}

impl Default for Card<'_> {
    fn default() -> Self {
        Card {
            name: "Prestataire",
            email: "",
            status: "published",
            remote: false,
            themes: &["site-vitrine"],
            territories: &["FR-D33"],
            sizes: &[],
            member: None,
        }
    }
}

/// The id of an account, by address.
async fn user_id(app: &TestApp, email: &str) -> i64 {
    app.count(&format!("SELECT id FROM users WHERE email = '{email}'"))
        .await
}

/// Store a card as the directory does (checked, linked, indexed); returns its id.
pub(crate) async fn insert_card(app: &TestApp, c: Card<'_>) -> i64 {
    let mut themes = vec![];
    for slug in c.themes {
        themes.push(theme_id(app, slug).await.parse().unwrap());
    }
    let form = directory::CardForm {
        name: c.name.to_string(),
        country: "FR".into(),
        email: c.email.to_string(),
        remote: c.remote,
        links: directory::Links {
            themes,
            territories: c.territories.iter().map(|t| t.to_string()).collect(),
            sizes: c.sizes.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        },
        ..Default::default()
    };
    let valid = directory::validate(&app.db, &form, false)
        .await
        .unwrap()
        .unwrap_or_else(|v| panic!("card {}: {v:?}", c.name));
    let member = match c.member {
        Some(email) => Some(user_id(app, email).await),
        None => None,
    };
    tremplin::directory::store::create(&app.db, &valid, c.status, "test", member)
        .await
        .unwrap()
}

/// A business of its own for `owner`, stored through the business model.
async fn business_for(app: &TestApp, owner: i64, name: &str, siren_base: &str) -> i64 {
    let input = tremplin::business::model::BusinessInput {
        name: name.to_string(),
        country: "FR".into(),
        legal_id: tremplin::cli::seed::siren_from(siren_base),
        sector_code: "16".into(),
        size_band: "1-9".into(),
        commune_code: "FR-C33243".into(),
        ..Default::default()
    };
    let valid = tremplin::business::store::validate(&app.db, &input)
        .await
        .unwrap()
        .unwrap_or_else(|v| panic!("business {name}: {v:?}"));
    tremplin::business::store::create(&app.db, None, &valid, None, Some(owner), None)
        .await
        .unwrap_or_else(|e| panic!("business {name}: {e:?}"))
}

/// The latest mail to `to` whose subject contains `needle` (waits for the
/// outbox, which may deliver an earlier mail to the same address first).
pub(crate) async fn mail_with(app: &TestApp, to: &str, needle: &str) -> SentMail {
    app.wait_mail_to(to, |m| m.subject.contains(needle)).await
}

/// A new account with the provider role.
pub(crate) async fn provider_account(app: &TestApp, email: &str) -> Browser {
    tremplin::cli::create_user(
        &app.db,
        email,
        "Autre Prestataire",
        PW,
        &["provider".to_string()],
    )
    .await
    .unwrap();
    Browser::signed_in(app, email, PW).await
}

async fn theme_id(app: &TestApp, slug: &str) -> String {
    app.count(&format!("SELECT id FROM themes WHERE slug = '{slug}'"))
        .await
        .to_string()
}

/// The id at the end of a `/besoins/{id}?…` redirect.
fn id_from(location: &str) -> i64 {
    location
        .trim_start_matches("/besoins/")
        .split(['?', '/', '#'])
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("no need id in {location:?}"))
}

/// Marie writes a brief about a showcase site; `action` is save or publish.
pub(crate) async fn brief(app: &TestApp, b: &mut Browser, title: &str, action: &str) -> i64 {
    let theme = theme_id(app, "site-vitrine").await;
    let (status, location, body) = b
        .submit(
            "/besoins/nouveau",
            &[
                ("title", title),
                ("themes", &theme),
                (
                    "context",
                    "Boulangerie familiale depuis 1982, deux salariés.",
                ),
                (
                    "goal",
                    "Être trouvée sur internet par les habitants du quartier.",
                ),
                ("audience", "Les habitants et les touristes"),
                ("features", "Horaires\nCommande de gâteaux"),
                ("existing_tools", "Page Facebook"),
                ("budget_band", "1k-3k"),
                ("deadline", "2030-09-30"),
                ("constraints_text", "Site en français et en anglais"),
                ("territory_code", "FR-C33063"),
                ("size_band", "1-9"),
                ("action", action),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    id_from(&location)
}

/// The need as stored.
pub(crate) async fn need(app: &TestApp, id: i64) -> tremplin::needs::model::Need {
    tremplin::needs::store::get(&app.db, id)
        .await
        .unwrap()
        .expect("the need exists")
}

pub(crate) async fn status_of(app: &TestApp, id: i64) -> String {
    need(app, id).await.status.code().to_string()
}

async fn version_of(app: &TestApp, id: i64) -> String {
    need(app, id).await.version.to_string()
}

/// A reply with a message only.
fn reply_text(message: &str) -> tremplin::needs::model::ValidReply {
    tremplin::needs::model::ValidReply {
        message: message.to_string(),
        amount: None,
        delay_days: None,
        quote: None,
    }
}

/// Card `card`'s reply `message` to need `need`, posted by `provider`:
/// (status, location, page).
pub(crate) async fn send_reply(
    provider: &mut Browser,
    need: i64,
    card: i64,
    message: &str,
) -> (u16, String, String) {
    let card = card.to_string();
    provider
        .submit(
            &format!("/prestataire/besoins/{need}"),
            &[("message", message), ("provider_id", &card)],
        )
        .await
}
