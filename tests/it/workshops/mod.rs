//! Workshops: agenda, registration by link and by API, waiting lists and
//! offers under concurrency, calendar feeds, exports, staff editing,
//! attendance, feedback and access rules; the helpers they share are here,
//! the tests in the submodules.

use std::collections::{BTreeMap, BTreeSet};

use tremplin::db::now_ms;
use tremplin::outbox::SentMail;
use tremplin::workshops::forms::Valid;
use tremplin::workshops::model::Format;
use tremplin::workshops::store;

use crate::both_databases;

mod agenda;
mod attendance;
mod registrations;
mod staff;
use crate::harness::{client, link_in, pdf_lang, pdf_text, pdf_title, Browser, TestApp, PW};

/// id, email, status, seat_no, wait_seq of a registration.
type RegRow = (i64, String, String, Option<i64>, Option<i64>);

/// A session's registrations in the order they were made.
async fn registrations_of(app: &TestApp, session: i64) -> Vec<RegRow> {
    sqlx::query_as(
        "SELECT id, email, status, seat_no, wait_seq FROM workshop_registrations WHERE session_id = $1 ORDER BY id",
    )
    .bind(session)
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
}

const ADMIN: &str = "responsable@tremplin-demo.fr";
const ADVISER: &str = "conseiller@tremplin-demo.fr";
const SPEAKER: &str = "intervenante@tremplin-demo.fr";
const FUNDER: &str = "financeur@tremplin-demo.fr";
const OWNER: &str = "marie@boulangerie-dupont.fr";
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;
const BORDEAUX: &str = "FR-C33063";
const NOUMEA: &str = "NC-C98818";

// ---------------------------------------------------------------- helpers

/// A scheduled one-hour session stored through the workshops' store; returns its id.
async fn insert_session(
    app: &TestApp,
    title: &str,
    theme_slug: &str,
    commune: &str,
    starts_at: i64,
    capacity: i64,
) -> i64 {
    let theme_id = store::theme_id(&app.db, theme_slug)
        .await
        .unwrap()
        .expect("demo theme");
    let programme = app.state.programme().await.unwrap();
    let session = Valid {
        theme_id,
        format: Format::Awareness,
        title_fr: title.to_string(),
        title_en: String::new(),
        description_fr: String::new(),
        description_en: String::new(),
        starts_at,
        ends_at: starts_at + HOUR,
        venue: "Salle des fêtes".into(),
        address: "1 place de la Mairie".into(),
        commune_code: Some(commune.to_string()),
        online_url: String::new(),
        capacity,
        partner_id: None,
        planned_coaching: 2,
        speakers: vec![],
        sectors: vec![],
    };
    let mut tx = app.db.begin_write().await.unwrap();
    let id = store::insert_session(&mut tx, &session, programme.id, None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// Give a stored session its target sectors.
async fn set_sectors(app: &TestApp, session: i64, sectors: &[&str]) {
    let sectors: Vec<String> = sectors.iter().map(|s| s.to_string()).collect();
    let mut tx = app.db.begin_write().await.unwrap();
    store::set_people(&mut tx, session, &[], &sectors)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// A Bearer header for a fresh API token of a demo staff account.
async fn api_auth(app: &TestApp, email: &str, role: &str) -> String {
    let mut b = Browser::signed_in(app, email, PW).await;
    let (status, _, html) = b
        .submit("/compte/api", &[("name", "Ateliers"), ("role", role)])
        .await;
    assert_eq!(status, 200, "{html}");
    let token = html
        .split("<code class=\"secret\">")
        .nth(1)
        .expect("token shown once")
        .split('<')
        .next()
        .unwrap()
        .to_string();
    format!("Bearer {token}")
}

/// Register someone through the API: (status, JSON answer).
async fn api_register(
    app: &TestApp,
    auth: &str,
    session: i64,
    name: &str,
    email: &str,
) -> (u16, serde_json::Value) {
    let res = client()
        .post(app.url(&format!("/api/v1/workshops/{session}/registrations")))
        .header("authorization", auth)
        .json(
            &serde_json::json!({"name": name, "email": email, "business_name": "Entreprise test"}),
        )
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

/// Status of the registration of `email` for a session (most recent one).
async fn reg_status(app: &TestApp, session: i64, email: &str) -> String {
    sqlx::query_scalar(
        "SELECT status FROM workshop_registrations WHERE session_id = $1 AND email = $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(session)
    .bind(email)
    .fetch_one(&app.db.pool)
    .await
    .unwrap_or_else(|e| panic!("no registration of {email}: {e}"))
}

/// Seats taken and waiting count, as stored on the session.
async fn counters(app: &TestApp, session: i64) -> (i64, i64) {
    sqlx::query_as("SELECT seats_taken, waiting FROM workshop_sessions WHERE id = $1")
        .bind(session)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// Every mail sent to `to` so far, oldest first (due ones are delivered first).
async fn mails_for(app: &TestApp, to: &str) -> Vec<SentMail> {
    app.mails_to(to).await;
    app.mails
        .lock()
        .unwrap()
        .iter()
        .filter(|m| m.to == to)
        .cloned()
        .collect()
}

/// Wait until `to` has received at least `n` mails; return them.
async fn wait_mails(app: &TestApp, to: &str, n: usize) -> Vec<SentMail> {
    for _ in 0..100 {
        let m = mails_for(app, to).await;
        if m.len() >= n {
            return m;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let m = mails_for(app, to).await;
    panic!("expected {n} mails to {to}, got {}: {m:#?}", m.len());
}

/// The latest mail to `to` that `pred` accepts, waiting for it to be sent.
async fn wait_mail(app: &TestApp, to: &str, pred: impl Fn(&SentMail) -> bool) -> SentMail {
    app.wait_mail_to(to, pred).await
}

fn is_offer(m: &SentMail) -> bool {
    m.subject.contains("libérée")
}

/// The private-link path (`/ateliers/i/{token}`) in a mail.
fn private_link(mail: &SentMail) -> String {
    let link = link_in(&mail.body_text, "/ateliers/i/");
    let token = link
        .trim_start_matches("/ateliers/i/")
        .split(['/', '?', '#'])
        .next()
        .unwrap()
        .to_string();
    assert_eq!(token.len(), 64, "link {link} in {}", mail.body_text);
    format!("/ateliers/i/{token}")
}

/// POST an action on a private link: status (a page or a redirect is fine).
async fn link_action(b: &mut Browser, link: &str, action: &str) -> (u16, String) {
    // A cancellation is confirmed on a second screen.
    let (status, location, body) = b
        .submit(link, &[("action", action), ("confirmed", "yes")])
        .await;
    assert!(
        status == 200 || status == 303,
        "POST {link} action={action}: {status} {location}\n{body}"
    );
    (status, body)
}

fn registration_form<'a>(
    name: &'a str,
    email: &'a str,
    business: &'a str,
    consent: bool,
) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("name", name),
        ("email", email),
        ("business_name", business),
    ];
    if consent {
        f.push(("consent", "on"));
    }
    f
}

/// The agenda card of session `id` in a page, if listed.
fn card(html: &str, id: i64) -> Option<String> {
    let link = format!("href=\"/ateliers/{id}\"");
    cards(html).into_iter().find(|c| c.contains(&link))
}

/// Every agenda card of a page (`<article class="… session-card …">`).
fn cards(html: &str) -> Vec<String> {
    html.split("<article")
        .skip(1)
        .filter(|c| {
            c.split('>')
                .next()
                .is_some_and(|tag| tag.contains("session-card"))
        })
        .map(|c| c.split("</article>").next().unwrap_or(c).to_string())
        .collect()
}

/// Events of an iCalendar text (exactly one VCALENDAR).
fn parse_ics(text: &str) -> Vec<ical::parser::ical::component::IcalEvent> {
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let cal = parser
        .next()
        .expect("a VCALENDAR")
        .unwrap_or_else(|e| panic!("invalid iCalendar ({e}):\n{text}"));
    assert!(parser.next().is_none(), "one calendar only:\n{text}");
    cal.events
}

/// A property's value, with RFC 5545 TEXT escapes undone (the `ical`
/// crate hands values over raw).
fn prop(ev: &ical::parser::ical::component::IcalEvent, name: &str) -> Option<String> {
    ev.properties
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
        .and_then(|p| p.value.as_deref())
        .map(unescape_text)
}

fn unescape_text(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The session an event points to (its URL `/ateliers/{id}`, else its UID).
fn event_session(ev: &ical::parser::ical::component::IcalEvent) -> Option<i64> {
    let from_url = prop(ev, "URL").and_then(|u| {
        u.rsplit_once("/ateliers/")
            .and_then(|(_, id)| id.trim_end_matches('/').parse().ok())
    });
    from_url.or_else(|| {
        prop(ev, "UID").and_then(|u| {
            u.split(['-', '@'])
                .find_map(|part| part.parse::<i64>().ok())
        })
    })
}

/// iCalendar UTC form of a Unix ms time.
fn ics_utc(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .unwrap()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// The French title a page shows for a session.
async fn title_of(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar(
        "SELECT CASE WHEN s.title_fr <> '' THEN s.title_fr ELSE t.title_fr END \
         FROM workshop_sessions s JOIN themes t ON t.id = s.theme_id WHERE s.id = $1",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

/// HTML text as askama escapes it.
fn esc(s: &str) -> Vec<String> {
    let a = s
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;");
    let b = s
        .replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;");
    vec![s.to_string(), a, b]
}

fn contains_text(html: &str, s: &str) -> bool {
    esc(s).iter().any(|e| html.contains(e))
}

/// A date in the programme's zone, `days` from today.
fn paris_day(days: i64) -> jiff::civil::Date {
    jiff::Timestamp::now()
        .in_tz("Europe/Paris")
        .unwrap()
        .date()
        .checked_add(jiff::Span::new().days(days))
        .unwrap()
}

fn paris_ms(date: jiff::civil::Date, h: i8, m: i8) -> i64 {
    date.at(h, m, 0, 0)
        .in_tz("Europe/Paris")
        .unwrap()
        .timestamp()
        .as_millisecond()
}

/// One pass of the background jobs at `now`.
async fn tick(app: &TestApp, now: i64) {
    tremplin::jobs::tick(&app.state, now)
        .await
        .expect("workshop jobs");
}

async fn id_of(app: &TestApp, sql: &str) -> i64 {
    app.count(sql).await
}

/// The fields of the session form.
#[allow(clippy::too_many_arguments)]
fn session_form(
    theme_id: i64,
    format: &str,
    title: &str,
    date: &str,
    start: &str,
    end: &str,
    capacity: &str,
    speaker: i64,
) -> Vec<(String, String)> {
    [
        ("theme_id", theme_id.to_string()),
        ("format", format.into()),
        ("title_fr", title.into()),
        ("title_en", String::new()),
        (
            "description_fr",
            "Deux heures pour passer à l'action.".into(),
        ),
        ("description_en", String::new()),
        ("date", date.into()),
        ("start", start.into()),
        ("end", end.into()),
        ("venue", "CCI Bordeaux Gironde".into()),
        ("address", "17 place de la Bourse".into()),
        ("commune_code", BORDEAUX.into()),
        ("online_url", String::new()),
        ("capacity", capacity.into()),
        ("partner_id", String::new()),
        ("planned_coaching", "2".into()),
        ("speakers", speaker.to_string()),
        ("sectors", "47".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

fn refs(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

fn set(f: &mut Vec<(String, String)>, key: &str, value: &str) {
    f.retain(|(k, _)| k != key);
    f.push((key.into(), value.into()));
}

/// Create a session through the manager's form; returns its id.
async fn create_session_by_form(
    app: &TestApp,
    admin: &mut Browser,
    title: &str,
    days: i64,
    capacity: &str,
) -> i64 {
    let theme = id_of(app, "SELECT id FROM themes WHERE slug = 'site-vitrine'").await;
    let speaker = id_of(
        app,
        "SELECT id FROM users WHERE email = 'intervenante@tremplin-demo.fr'",
    )
    .await;
    let date = paris_day(days).to_string();
    let f = session_form(
        theme, "halfday", title, &date, "09:30", "", capacity, speaker,
    );
    let (status, location, html) = admin.submit("/admin/ateliers/nouveau", &refs(&f)).await;
    assert_eq!(status, 303, "{html}");
    assert!(location.ends_with("?cree=1"), "{location}");
    location
        .trim_start_matches("/admin/ateliers/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("session id in {location}"))
}
