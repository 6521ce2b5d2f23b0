//! Workshops: agenda, registration by link and by API, waiting lists and
//! offers under concurrency, calendar feeds, exports, staff editing,
//! attendance, feedback and access rules.

use std::collections::{BTreeMap, BTreeSet};

use tremplin::db::now_ms;
use tremplin::outbox::SentMail;
use tremplin::workshops::forms::Valid;
use tremplin::workshops::model::Format;
use tremplin::workshops::store;

use crate::both_databases;
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

both_databases!(
    two_hundred_simultaneous_api_registrations_fill_twenty_seats_fairly,
    simultaneous_duplicates_and_a_closed_session_are_refused_alone,
    a_visitor_registers_confirms_by_mail_and_cancels_through_the_link,
    bad_registrations_are_refused_with_the_form_kept,
    a_full_session_queues_people_and_offers_freed_seats_in_order,
    calendar_feeds_list_upcoming_sessions,
    agenda_filters_by_territory_theme_sector_and_past,
    exports_hold_registrants_and_attendance,
    managers_create_edit_and_cancel_sessions_and_registrants_are_told,
    speakers_take_attendance_and_attendees_give_feedback,
    staff_attach_a_registrant_to_the_register_and_the_dashboard_follows,
    workshop_pages_respect_roles,
    the_store_reads_sessions_back_typed_and_filters_the_agenda,
);

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

// ------------------------------------------------------------------ tests

/// Requests arriving together (on SQLite they are written in one
/// transaction): a second registration of the same address and one for a
/// session already started are refused on their own, the others booked.
async fn simultaneous_duplicates_and_a_closed_session_are_refused_alone(app: &TestApp) {
    let session = insert_session(
        app,
        "Atelier en rafale",
        "site-vitrine",
        BORDEAUX,
        now_ms() + 10 * DAY,
        5,
    )
    .await;
    let started = insert_session(
        app,
        "Atelier commencé",
        "site-vitrine",
        BORDEAUX,
        now_ms() - 3_600_000,
        5,
    )
    .await;
    let auth = api_auth(app, ADMIN, "admin").await;
    let http = reqwest::Client::new();
    // 30 addresses, the first ten sent twice, and two for the started session.
    let mut sends: Vec<(i64, usize)> = (0..30).map(|i| (session, i)).collect();
    for i in 0..10 {
        sends.insert(2 * i + 1, (session, i));
    }
    sends.push((started, 100));
    sends.push((started, 101));
    let requests = sends.into_iter().map(|(s, i)| {
        let http = http.clone();
        let url = app.url(&format!("/api/v1/workshops/{s}/registrations"));
        let auth = auth.clone();
        async move {
            let res = http
                .post(&url)
                .header("authorization", &auth)
                .json(&serde_json::json!({"name": format!("Rafale {i}"),
                    "email": format!("rafale{i}@exemple.fr"), "business_name": ""}))
                .send()
                .await
                .unwrap();
            (s, i, res.status().as_u16())
        }
    });
    let answers = futures_util::future::join_all(requests).await;
    let count = |s: i64, status: u16| answers.iter().filter(|a| a.0 == s && a.2 == status).count();
    assert_eq!(count(session, 201), 30, "{answers:?}");
    assert_eq!(count(session, 409), 10, "{answers:?}");
    assert_eq!(answers.iter().filter(|a| a.0 == started).count(), 2);
    assert!(
        answers
            .iter()
            .filter(|a| a.0 == started)
            .all(|a| a.2 == 409 || a.2 == 422),
        "{answers:?}"
    );
    let rows = registrations_of(app, session).await;
    assert_eq!(rows.len(), 30, "each address once");
    let seats: BTreeSet<i64> = rows.iter().filter_map(|r| r.3).collect();
    assert_eq!(seats, (1..=5).collect::<BTreeSet<i64>>());
    assert_eq!(rows.iter().filter(|r| r.2 == "waiting").count(), 25);
    let (taken, waiting): (i64, i64) =
        sqlx::query_as("SELECT seats_taken, waiting FROM workshop_sessions WHERE id = $1")
            .bind(session)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((taken, waiting), (5, 25), "the counters agree");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM workshop_registrations WHERE session_id = {started}"
        ))
        .await,
        0
    );
    // Every booked person has their mail queued, once.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE to_addr LIKE 'rafale%'")
            .await,
        30
    );
}

async fn two_hundred_simultaneous_api_registrations_fill_twenty_seats_fairly(app: &TestApp) {
    let session = insert_session(
        app,
        "Atelier très demandé",
        "site-vitrine",
        BORDEAUX,
        now_ms() + 10 * DAY,
        20,
    )
    .await;
    let auth = api_auth(app, ADMIN, "admin").await;
    let http = reqwest::Client::new();
    let url = app.url(&format!("/api/v1/workshops/{session}/registrations"));
    let body = |i: usize| {
        serde_json::json!({"name": format!("Personne {i}"), "email": format!("personne{i}@exemple.fr"),
            "business_name": format!("Entreprise {i}")})
    };
    let requests = (0..200).map(|i| {
        let http = http.clone();
        let url = url.clone();
        let auth = auth.clone();
        let body = body(i);
        async move {
            let res = http
                .post(&url)
                .header("authorization", &auth)
                .header("idempotency-key", format!("inscription-{i}"))
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            let text = res.text().await.unwrap();
            (i, status, text)
        }
    });
    let answers = futures_util::future::join_all(requests).await;

    let mut by_email: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    for (i, status, text) in &answers {
        assert_eq!(*status, 201, "request {i}: {text}");
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        by_email.insert(format!("personne{i}@exemple.fr"), v);
    }
    let confirmed_answers = by_email
        .values()
        .filter(|v| v["status"] == "confirmed")
        .count();
    let waiting_answers = by_email
        .values()
        .filter(|v| v["status"] == "waiting")
        .count();
    assert_eq!((confirmed_answers, waiting_answers), (20, 180));

    let rows = registrations_of(app, session).await;
    assert_eq!(rows.len(), 200);
    let confirmed: Vec<_> = rows.iter().filter(|r| r.2 == "confirmed").collect();
    let waiting: Vec<_> = rows.iter().filter(|r| r.2 == "waiting").collect();
    assert_eq!((confirmed.len(), waiting.len()), (20, 180));
    // Seats 1..=20, each held once.
    let seats: BTreeSet<i64> = confirmed.iter().map(|r| r.3.expect("seat_no")).collect();
    assert_eq!(seats, (1..=20).collect::<BTreeSet<i64>>());
    assert!(waiting.iter().all(|r| r.3.is_none()));
    // First come, first served: every seat went to someone who arrived
    // before everyone waiting, and the queue follows arrival order.
    let last_confirmed = confirmed.iter().map(|r| r.0).max().unwrap();
    let first_waiting = waiting.iter().map(|r| r.0).min().unwrap();
    assert!(last_confirmed < first_waiting);
    let seqs: Vec<i64> = waiting.iter().map(|r| r.4.expect("wait_seq")).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "wait_seq in id order: {seqs:?}"
    );
    // The answers match the database: same id, and the position each
    // person was told is their place in the queue.
    let mut queue = waiting.clone();
    queue.sort_by_key(|r| r.4);
    for (pos, r) in queue.iter().enumerate() {
        let answer = &by_email[&r.1];
        assert_eq!(answer["id"].as_i64(), Some(r.0), "{answer}");
        assert_eq!(
            answer["position"].as_i64(),
            Some(pos as i64 + 1),
            "{} told {answer}",
            r.1
        );
    }
    for r in &confirmed {
        let answer = &by_email[&r.1];
        assert_eq!(answer["id"].as_i64(), Some(r.0));
        assert!(answer["position"].is_null(), "{answer}");
    }
    assert_eq!(counters(app, session).await, (20, 180));
    let shown: serde_json::Value = http
        .get(app.url(&format!("/api/v1/workshops/{session}")))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (shown["seats_left"].as_i64(), shown["waiting"].as_i64()),
        (Some(0), Some(180)),
        "{shown}"
    );

    // A retry with the same key and body gets the same answer, no new row.
    let last = queue.last().unwrap();
    let i: usize = last
        .1
        .trim_start_matches("personne")
        .split('@')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let res = http
        .post(&url)
        .header("authorization", &auth)
        .header("idempotency-key", format!("inscription-{i}"))
        .json(&body(i))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let again: serde_json::Value = res.json().await.unwrap();
    assert_eq!(again, by_email[&last.1]);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM workshop_registrations WHERE session_id = {session}"
        ))
        .await,
        200
    );
    // Without the key, the same address is a conflict.
    let res = http
        .post(&url)
        .header("authorization", &auth)
        .json(&body(i))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);

    // Three people with a seat cancel: the first three waiting are offered
    // their seats, in order; the fourth still waits.
    for r in confirmed.iter().take(3) {
        let res = http
            .delete(app.url(&format!(
                "/api/v1/workshops/{session}/registrations/{}",
                r.0
            )))
            .header("authorization", &auth)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "{}", res.status());
    }
    for r in confirmed.iter().take(3) {
        assert_eq!(reg_status(app, session, &r.1).await, "cancelled");
    }
    for r in &queue[..3] {
        assert_eq!(reg_status(app, session, &r.1).await, "offered", "{}", r.1);
    }
    assert_eq!(reg_status(app, session, &queue[3].1).await, "waiting");
    assert_eq!(counters(app, session).await, (20, 177));
    let offer = wait_mail(app, &queue[0].1, is_offer).await;
    assert!(
        offer.subject.contains("place") && offer.subject.contains("libérée"),
        "{}",
        offer.subject
    );
    private_link(&offer);
    // Offers went out in queue order.
    let offered: Vec<String> = sqlx::query_scalar(
        "SELECT email FROM workshop_registrations WHERE session_id = $1 AND status = 'offered' ORDER BY wait_seq",
    )
    .bind(session)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        offered,
        queue[..3].iter().map(|r| r.1.clone()).collect::<Vec<_>>()
    );
}

async fn a_visitor_registers_confirms_by_mail_and_cancels_through_the_link(app: &TestApp) {
    let title = "Créer son site vitrine en une matinée";
    let starts = now_ms() + 10 * DAY;
    let session = insert_session(app, title, "site-vitrine", BORDEAUX, starts, 12).await;
    let email = "lea@atelier-martin.fr";
    let mut lea = Browser::new(app).await;
    let (status, html) = lea.page(&format!("/ateliers/{session}")).await;
    assert_eq!(status, 200);
    assert!(contains_text(&html, title), "{html}");
    assert!(html.contains("application/ld+json"));
    assert!(html.contains(&format!("/ateliers/{session}/atelier.ics")));
    assert!(html.contains(&format!("/ateliers/{session}/inscription")));
    assert!(html.contains("12 places restantes"), "{html}");

    let (status, location, body) = lea
        .submit(
            &format!("/ateliers/{session}/inscription"),
            &registration_form("Léa Martin", email, "Atelier Martin", true),
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        location.split('#').next().unwrap(),
        format!("/ateliers/{session}?inscription=pending")
    );
    assert_eq!(reg_status(app, session, email).await, "pending");
    assert_eq!(counters(app, session).await, (0, 0));
    let (status, _) = lea.page(&location).await;
    assert_eq!(status, 200);

    let mail = app.last_mail_to(email).await;
    assert!(
        mail.subject.starts_with("Confirmez votre inscription"),
        "{}",
        mail.subject
    );
    let link = private_link(&mail);
    let (status, html) = lea.page(&link).await;
    assert_eq!(status, 200);
    assert!(contains_text(&html, title));
    link_action(&mut lea, &link, "confirm").await;
    assert_eq!(reg_status(app, session, email).await, "confirmed");
    assert_eq!(counters(app, session).await, (1, 0));

    // The confirmation carries the event for the person's calendar.
    let mails = wait_mails(app, email, 2).await;
    let confirmed = mails.last().unwrap();
    assert!(
        !confirmed.subject.starts_with("Confirmez"),
        "{}",
        confirmed.subject
    );
    assert_eq!(confirmed.attachments.len(), 1, "{confirmed:?}");
    let ics = &confirmed.attachments[0];
    assert_eq!(ics.filename, format!("atelier-{session}.ics"));
    assert!(ics.mime.starts_with("text/calendar"), "{}", ics.mime);
    let events = parse_ics(&ics.content);
    assert_eq!(events.len(), 1);
    assert_eq!(prop(&events[0], "SUMMARY").as_deref(), Some(title));
    let start = prop(&events[0], "DTSTART").unwrap();
    assert!(start.ends_with('Z'), "{start}");
    assert_eq!(start, ics_utc(starts));
    // A second click on the confirmation link changes nothing.
    link_action(&mut lea, &link, "confirm").await;
    assert_eq!(counters(app, session).await, (1, 0));

    // Cancelling through the link frees the seat...
    let link = private_link(confirmed);
    link_action(&mut lea, &link, "cancel").await;
    assert_eq!(reg_status(app, session, email).await, "cancelled");
    assert_eq!(counters(app, session).await, (0, 0));
    let sent = mails_for(app, email).await.len();
    // ...and doing it again is harmless.
    let (status, location, html) = lea
        .submit(&link, &[("action", "cancel"), ("confirmed", "yes")])
        .await;
    assert!(status == 200 || status == 303, "{status} {location} {html}");
    let (status, html) = lea.page(&link).await;
    assert_eq!(status, 200);
    assert!(html.to_lowercase().contains("annulée"), "{html}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM workshop_registrations WHERE session_id = {session}"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM workshop_registrations WHERE session_id = {session} AND status = 'cancelled'")).await,
        1
    );
    assert_eq!(mails_for(app, email).await.len(), sent);
    assert_eq!(counters(app, session).await, (0, 0));

    // A made-up link leads nowhere.
    let forged = format!("/ateliers/i/{}", "0".repeat(64));
    assert_eq!(lea.page(&forged).await.0, 404);
    assert_eq!(lea.submit(&forged, &[("action", "cancel")]).await.0, 404);
    assert_eq!(lea.page("/ateliers/i/pas-un-jeton").await.0, 404);
}

async fn bad_registrations_are_refused_with_the_form_kept(app: &TestApp) {
    let open = insert_session(
        app,
        "Être visible en ligne",
        "etre-visible-en-ligne",
        BORDEAUX,
        now_ms() + 5 * DAY,
        10,
    )
    .await;
    let past = insert_session(
        app,
        "Atelier d'hier",
        "etre-visible-en-ligne",
        BORDEAUX,
        now_ms() - 2 * DAY,
        10,
    )
    .await;
    let cancelled = insert_session(
        app,
        "Atelier annulé",
        "etre-visible-en-ligne",
        BORDEAUX,
        now_ms() + 5 * DAY,
        10,
    )
    .await;
    sqlx::query("UPDATE workshop_sessions SET status = 'cancelled' WHERE id = $1")
        .bind(cancelled)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let name = "Élise Dupré";
    let mut b = Browser::new(app).await;
    let post = |id: i64| format!("/ateliers/{id}/inscription");
    let kept = |html: &str| html.contains(&format!("value=\"{name}\""));

    // Malformed address.
    let (status, _, html) = b
        .submit(
            &post(open),
            &registration_form(name, "elise@", "Fleurs Dupré", true),
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("Saisissez une adresse e-mail valide"),
        "{html}"
    );
    assert!(kept(&html), "{html}");
    assert!(html.contains("value=\"elise@\""));

    // Consent not ticked.
    let (status, _, html) = b
        .submit(
            &post(open),
            &registration_form(name, "elise@fleurs-dupre.fr", "Fleurs Dupré", false),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Cochez cette case"), "{html}");
    assert!(kept(&html));

    // Missing name.
    let (status, _, html) = b
        .submit(
            &post(open),
            &registration_form("  ", "elise@fleurs-dupre.fr", "Fleurs Dupré", true),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("value=\"elise@fleurs-dupre.fr\""), "{html}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM workshop_registrations WHERE session_id = {open}"
        ))
        .await,
        0
    );

    // The same address twice (whatever the case).
    let (status, _, _) = b
        .submit(
            &post(open),
            &registration_form(name, "elise@fleurs-dupre.fr", "Fleurs Dupré", true),
        )
        .await;
    assert_eq!(status, 303);
    let (status, _, html) = b
        .submit(
            &post(open),
            &registration_form(name, " Elise@Fleurs-Dupre.FR ", "Fleurs Dupré", true),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("déjà inscrit"), "{html}");
    assert!(kept(&html));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM workshop_registrations WHERE session_id = {open}"
        ))
        .await,
        1
    );

    // A past session and a cancelled one take nobody.
    let (status, _, html) = b
        .submit(
            &post(past),
            &registration_form(name, "elise@fleurs-dupre.fr", "Fleurs Dupré", true),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Les inscriptions sont closes"), "{html}");
    let past_page = html;
    let (status, _, html) = b
        .submit(
            &post(cancelled),
            &registration_form(name, "elise@fleurs-dupre.fr", "Fleurs Dupré", true),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.to_lowercase().contains("annulée"), "{html}");
    let cancelled_page = html;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM workshop_registrations WHERE session_id IN ({past}, {cancelled})"
        ))
        .await,
        0
    );
    // Only the one good registration was mailed.
    assert_eq!(mails_for(app, "elise@fleurs-dupre.fr").await.len(), 1);
    // Unknown session.
    assert_eq!(b.page("/ateliers/999999").await.0, 404);
    // What was typed comes back even when registrations are closed.
    assert!(kept(&past_page), "past session: name not kept\n{past_page}");
    assert!(
        kept(&cancelled_page),
        "cancelled session: name not kept\n{cancelled_page}"
    );
}

async fn a_full_session_queues_people_and_offers_freed_seats_in_order(app: &TestApp) {
    let session = insert_session(
        app,
        "Réseaux sociaux pour commerçants",
        "reseaux-sociaux",
        BORDEAUX,
        now_ms() + 7 * DAY,
        2,
    )
    .await;
    let auth = api_auth(app, ADVISER, "adviser").await;
    for (name, email) in [("Anne A", "anne@a.fr"), ("Bruno B", "bruno@b.fr")] {
        let (status, v) = api_register(app, &auth, session, name, email).await;
        assert_eq!(status, 201, "{v}");
        assert_eq!(v["status"], "confirmed");
    }
    assert_eq!(counters(app, session).await, (2, 0));
    let (_, agenda) = Browser::new(app).await.page("/ateliers").await;
    let c = card(&agenda, session).expect("session listed");
    assert!(c.contains("Complet"), "{c}");

    // A visitor registers on the full session: after confirming, they wait.
    let mut chloe = Browser::new(app).await;
    let (status, _, _) = chloe
        .submit(
            &format!("/ateliers/{session}/inscription"),
            &registration_form("Chloé C", "chloe@c.fr", "Café C", true),
        )
        .await;
    assert_eq!(status, 303);
    let link = private_link(&app.last_mail_to("chloe@c.fr").await);
    link_action(&mut chloe, &link, "confirm").await;
    assert_eq!(reg_status(app, session, "chloe@c.fr").await, "waiting");
    for (name, email, pos) in [("David D", "david@d.fr", 2), ("Emma E", "emma@e.fr", 3)] {
        let (status, v) = api_register(app, &auth, session, name, email).await;
        assert_eq!(status, 201, "{v}");
        assert_eq!(v["status"], "waiting");
        assert_eq!(v["position"], pos);
    }
    assert_eq!(counters(app, session).await, (2, 3));

    // Anne cancels through her link: Chloé is offered the seat.
    let mut anne = Browser::new(app).await;
    let anne_link = private_link(&app.last_mail_to("anne@a.fr").await);
    link_action(&mut anne, &anne_link, "cancel").await;
    assert_eq!(reg_status(app, session, "anne@a.fr").await, "cancelled");
    assert_eq!(reg_status(app, session, "chloe@c.fr").await, "offered");
    assert_eq!(reg_status(app, session, "david@d.fr").await, "waiting");
    let offer = wait_mail(app, "chloe@c.fr", is_offer).await;
    assert!(
        offer.subject.contains("place") && offer.subject.contains("libérée"),
        "{}",
        offer.subject
    );
    let offer_link = private_link(&offer);
    let (status, html) = chloe.page(&offer_link).await;
    assert_eq!(status, 200);
    assert!(html.contains("accept"), "{html}");
    link_action(&mut chloe, &offer_link, "accept").await;
    assert_eq!(reg_status(app, session, "chloe@c.fr").await, "confirmed");
    assert_eq!(counters(app, session).await, (2, 2));
    let confirmed = wait_mail(app, "chloe@c.fr", |m| !m.attachments.is_empty()).await;
    assert_eq!(confirmed.attachments.len(), 1, "{confirmed:?}");

    // Bruno is cancelled by the API: David is offered the seat but lets the
    // offer lapse; it goes to Emma.
    let bruno = app
        .count(&format!(
            "SELECT id FROM workshop_registrations WHERE session_id = {session} AND email = 'bruno@b.fr'"
        ))
        .await;
    let res = client()
        .delete(app.url(&format!(
            "/api/v1/workshops/{session}/registrations/{bruno}"
        )))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(reg_status(app, session, "david@d.fr").await, "offered");
    let expires = app
        .count(&format!("SELECT offer_expires_at FROM workshop_registrations WHERE session_id = {session} AND email = 'david@d.fr'"))
        .await;
    let now = now_ms();
    assert!(expires > now + 23 * HOUR && expires <= now + 24 * HOUR + 60_000);
    // Not yet due: nothing changes.
    tick(app, now + HOUR).await;
    assert_eq!(reg_status(app, session, "david@d.fr").await, "offered");
    tick(app, now + 25 * HOUR).await;
    assert_eq!(reg_status(app, session, "david@d.fr").await, "expired");
    assert_eq!(reg_status(app, session, "emma@e.fr").await, "offered");
    assert_eq!(counters(app, session).await, (2, 0));
    let emma = wait_mail(app, "emma@e.fr", is_offer).await;
    assert!(emma.subject.contains("libérée"), "{}", emma.subject);
    // David's old offer link no longer gets him the seat.
    let david_link = private_link(
        mails_for(app, "david@d.fr")
            .await
            .iter()
            .rev()
            .find(|m| m.subject.contains("libérée"))
            .expect("offer mail to David"),
    );
    let mut david = Browser::new(app).await;
    let (status, _, _) = david.submit(&david_link, &[("action", "accept")]).await;
    assert!(status < 500);
    assert_eq!(reg_status(app, session, "david@d.fr").await, "expired");
    assert_eq!(reg_status(app, session, "emma@e.fr").await, "offered");
}

async fn calendar_feeds_list_upcoming_sessions(app: &TestApp) {
    let now = now_ms();
    // (id, department of its commune, status, ends_at)
    let sessions: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT s.id, c.parent_code, s.status, s.ends_at FROM workshop_sessions s \
         LEFT JOIN territories c ON c.code = s.commune_code ORDER BY s.id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
    .into_iter()
    .map(|(id, p, st, e): (i64, Option<String>, String, i64)| (id, p.unwrap_or_default(), st, e))
    .collect();
    let upcoming: Vec<&(i64, String, String, i64)> = sessions
        .iter()
        .filter(|s| s.2 == "scheduled" && s.3 > now)
        .collect();
    assert!(upcoming.len() >= 3, "the demo has upcoming sessions");
    let past: Vec<i64> = sessions
        .iter()
        .filter(|s| s.3 <= now)
        .map(|s| s.0)
        .collect();
    assert!(!past.is_empty(), "the demo has a past session");

    let res = client()
        .get(app.url("/ateliers/agenda.ics"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let events = parse_ics(&res.text().await.unwrap());
    let ids: BTreeSet<i64> = events
        .iter()
        .map(|e| event_session(e).expect("event points to its session"))
        .collect();
    assert_eq!(ids.len(), events.len(), "one event per session");
    for s in &upcoming {
        assert!(ids.contains(&s.0), "session {} missing from the feed", s.0);
    }
    for id in &past {
        assert!(!ids.contains(id), "past session {id} in the feed");
    }
    for e in &events {
        let id = event_session(e).unwrap();
        let s = sessions.iter().find(|s| s.0 == id).expect("a real session");
        assert_eq!(prop(e, "SUMMARY"), Some(title_of(app, id).await));
        assert!(prop(e, "DTSTART").unwrap().ends_with('Z'));
        // A cancelled session may stay in the feed, marked so calendars drop it.
        if s.2 == "cancelled" {
            assert_eq!(prop(e, "STATUS").as_deref(), Some("CANCELLED"));
        }
    }

    // Gironde only.
    let gironde: BTreeSet<i64> = upcoming
        .iter()
        .filter(|s| s.1 == "FR-D33")
        .map(|s| s.0)
        .collect();
    assert!(!gironde.is_empty());
    assert!(
        gironde.len() < upcoming.len(),
        "the demo has sessions elsewhere"
    );
    let text = client()
        .get(app.url("/ateliers/agenda.ics?territory=FR-D33"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let ids: BTreeSet<i64> = parse_ics(&text).iter().filter_map(event_session).collect();
    for id in &gironde {
        assert!(ids.contains(id), "Gironde session {id} missing");
    }
    for id in &ids {
        let s = sessions.iter().find(|s| s.0 == *id).unwrap();
        assert_eq!(s.1, "FR-D33", "session {id} is not in Gironde");
    }

    // One session's own file.
    let id = upcoming[0].0;
    let starts = app
        .count(&format!(
            "SELECT starts_at FROM workshop_sessions WHERE id = {id}"
        ))
        .await;
    let res = client()
        .get(app.url(&format!("/ateliers/{id}/atelier.ics")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let events = parse_ics(&res.text().await.unwrap());
    assert_eq!(events.len(), 1);
    assert_eq!(prop(&events[0], "SUMMARY"), Some(title_of(app, id).await));
    assert_eq!(prop(&events[0], "DTSTART"), Some(ics_utc(starts)));
    assert_eq!(
        client()
            .get(app.url("/ateliers/999999/atelier.ics"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

async fn agenda_filters_by_territory_theme_sector_and_past(app: &TestApp) {
    // Soonest of all, so that they are on the first page.
    let soon = now_ms() + 2 * HOUR;
    let bordeaux =
        insert_session(app, "Atelier bordelais", "site-vitrine", BORDEAUX, soon, 10).await;
    let noumea = insert_session(
        app,
        "Atelier calédonien",
        "reseaux-sociaux",
        NOUMEA,
        soon + 60_000,
        10,
    )
    .await;
    set_sectors(app, bordeaux, &["47"]).await;
    let mut b = Browser::new(app).await;

    let (status, html) = b.page("/ateliers").await;
    assert_eq!(status, 200);
    let c = card(&html, bordeaux).expect("listed");
    assert!(
        c.contains("Atelier bordelais") && c.contains("Bordeaux"),
        "{c}"
    );
    assert!(c.contains("10 places restantes"), "{c}");
    assert!(card(&html, noumea).is_some());

    let (status, html) = b.page("/ateliers?territory=FR-D33").await;
    assert_eq!(status, 200);
    assert!(card(&html, bordeaux).is_some(), "{html}");
    assert!(card(&html, noumea).is_none());
    // Every listed session is in Gironde.
    let gironde: BTreeSet<i64> = sqlx::query_scalar(
        "SELECT s.id FROM workshop_sessions s JOIN territories c ON c.code = s.commune_code WHERE c.parent_code = 'FR-D33'",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
    .into_iter()
    .collect();
    let listed = cards(&html);
    assert!(!listed.is_empty());
    for piece in &listed {
        let id: i64 = piece
            .split("href=\"/ateliers/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(gironde.contains(&id), "session {id} is not in Gironde");
    }
    // A commune code works too.
    let (_, html) = b.page(&format!("/ateliers?territory={NOUMEA}")).await;
    assert!(card(&html, noumea).is_some());
    assert!(card(&html, bordeaux).is_none());

    let (_, html) = b.page("/ateliers?theme=site-vitrine").await;
    assert!(card(&html, bordeaux).is_some());
    assert!(card(&html, noumea).is_none());
    let (_, html) = b.page("/ateliers?theme=reseaux-sociaux").await;
    assert!(card(&html, bordeaux).is_none());
    assert!(card(&html, noumea).is_some());

    let (_, html) = b.page("/ateliers?sector=47").await;
    assert!(card(&html, bordeaux).is_some());
    assert!(card(&html, noumea).is_none());

    // Past sessions only on request.
    let past: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM workshop_sessions WHERE ends_at <= $1 ORDER BY starts_at DESC",
    )
    .bind(now_ms())
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert!(!past.is_empty(), "the demo has a past session");
    let (status, html) = b.page("/ateliers?when=past").await;
    assert_eq!(status, 200);
    assert!(card(&html, past[0]).is_some(), "{html}");
    assert!(card(&html, bordeaux).is_none());
    let (_, html) = b.page("/ateliers").await;
    assert!(card(&html, past[0]).is_none());

    // Odd filters do not break the page.
    for q in [
        "/ateliers?territory=XX-nope",
        "/ateliers?from=2026-13-45",
        "/ateliers?page=0",
        "/ateliers?page=-3",
        "/ateliers?theme=%27%22",
    ] {
        let (status, _) = b.page(q).await;
        assert!(
            status == 200 || status == 422 || status == 400,
            "{q}: {status}"
        );
    }
}

async fn exports_hold_registrants_and_attendance(app: &TestApp) {
    let title = "Facture électronique : se préparer";
    let session = insert_session(
        app,
        title,
        "facture-electronique",
        BORDEAUX,
        now_ms() + 3 * DAY,
        10,
    )
    .await;
    let auth = api_auth(app, ADMIN, "admin").await;
    for (name, email) in [
        ("Léa Martin", "lea@martin.fr"),
        ("Hugo Petit", "hugo@petit.fr"),
    ] {
        assert_eq!(api_register(app, &auth, session, name, email).await.0, 201);
    }
    sqlx::query(
        "UPDATE workshop_registrations SET attendance = 'present' WHERE session_id = $1 AND email = 'lea@martin.fr'",
    )
    .bind(session)
    .execute(&app.db.pool)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE workshop_registrations SET attendance = 'absent' WHERE session_id = $1 AND email = 'hugo@petit.fr'",
    )
    .bind(session)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let is_present = |s: &str| {
        let s = s.trim().to_lowercase();
        s.starts_with("présent") || s == "present"
    };
    let is_absent = |s: &str| {
        let s = s.trim().to_lowercase();
        s.starts_with("absent")
    };
    let read_csv = |text: &str| -> Vec<Vec<String>> {
        let text = text.trim_start_matches('\u{feff}');
        let first = text.lines().next().unwrap_or("");
        let delim = if first.matches(';').count() >= first.matches(',').count() {
            b';'
        } else {
            b','
        };
        csv::ReaderBuilder::new()
            .delimiter(delim)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    };

    // Sessions (CSV and XLSX).
    let res = admin.get("/admin/ateliers/export.csv").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let rows = read_csv(&res.text().await.unwrap());
    assert!(rows.len() > 2);
    assert!(
        rows.iter().any(|r| r.iter().any(|c| c == title)),
        "{rows:?}"
    );
    let res = admin.get("/admin/ateliers/export.xlsx").await;
    assert_eq!(res.status(), 200);
    let sheet = xlsx_rows(res.bytes().await.unwrap().to_vec());
    assert!(sheet.iter().any(|r| r.iter().any(|c| c == title)));

    // Registrations with attendance.
    let res = admin
        .get(&format!(
            "/admin/ateliers/inscriptions.csv?session={session}"
        ))
        .await;
    assert_eq!(res.status(), 200);
    let rows = read_csv(&res.text().await.unwrap());
    let lea = rows
        .iter()
        .find(|r| r.iter().any(|c| c == "Léa Martin"))
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert!(lea.iter().any(|c| is_present(c)), "{lea:?}");
    assert!(lea.iter().any(|c| c == "lea@martin.fr"));
    let hugo = rows
        .iter()
        .find(|r| r.iter().any(|c| c == "Hugo Petit"))
        .unwrap();
    assert!(hugo.iter().any(|c| is_absent(c)), "{hugo:?}");
    assert!(!rows.iter().flatten().any(|c| c.contains("personne")));

    let res = admin
        .get(&format!(
            "/admin/ateliers/inscriptions.xlsx?session={session}"
        ))
        .await;
    assert_eq!(res.status(), 200);
    let sheet = xlsx_rows(res.bytes().await.unwrap().to_vec());
    let lea = sheet
        .iter()
        .find(|r| r.iter().any(|c| c == "Léa Martin"))
        .unwrap_or_else(|| panic!("{sheet:?}"));
    assert!(lea.iter().any(|c| is_present(c)), "{lea:?}");
    let hugo = sheet
        .iter()
        .find(|r| r.iter().any(|c| c == "Hugo Petit"))
        .unwrap();
    assert!(hugo.iter().any(|c| is_absent(c)), "{hugo:?}");
    // The session's day and the registration's time are date cells, not text.
    let res = admin
        .get(&format!(
            "/admin/ateliers/inscriptions.xlsx?session={session}"
        ))
        .await;
    let dated = xlsx_date_columns(res.bytes().await.unwrap().to_vec());
    assert!(dated.contains(&1) && dated.contains(&10), "{dated:?}");
    // Without a session: every registration, this one included.
    let res = admin.get("/admin/ateliers/inscriptions.xlsx").await;
    assert_eq!(res.status(), 200);
    let sheet = xlsx_rows(res.bytes().await.unwrap().to_vec());
    assert!(sheet.iter().any(|r| r.iter().any(|c| c == "Léa Martin")));

    // Not for a business owner.
    let mut marie = Browser::signed_in(app, OWNER, PW).await;
    assert_eq!(
        marie.get("/admin/ateliers/inscriptions.csv").await.status(),
        403
    );
}

/// Every cell of the first sheet of an XLSX file, as text.
fn xlsx_rows(bytes: Vec<u8>) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("a valid XLSX file");
    let range = wb
        .worksheet_range_at(0)
        .expect("one sheet")
        .expect("readable sheet");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// The columns of the first data row of an XLSX file that hold real date cells.
fn xlsx_date_columns(bytes: Vec<u8>) -> Vec<usize> {
    use calamine::{DataType, Reader};
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("a valid XLSX file");
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    let row = range.rows().nth(1).expect("a data row");
    (0..row.len()).filter(|&i| row[i].is_datetime()).collect()
}

async fn managers_create_edit_and_cancel_sessions_and_registrants_are_told(app: &TestApp) {
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (status, html) = admin.page("/admin/ateliers").await;
    assert_eq!(status, 200);
    let (status, html2) = admin.page("/admin/ateliers/nouveau").await;
    assert_eq!(status, 200, "{html}");
    assert!(html2.contains("name=\"title_fr\""));

    let theme = id_of(app, "SELECT id FROM themes WHERE slug = 'site-vitrine'").await;
    let speaker = id_of(
        app,
        "SELECT id FROM users WHERE email = 'intervenante@tremplin-demo.fr'",
    )
    .await;
    let day = paris_day(10);

    // An end before the start is refused, and what was typed stays.
    let f = session_form(
        theme,
        "custom",
        "Atelier à l'envers",
        &day.to_string(),
        "10:00",
        "09:00",
        "12",
        speaker,
    );
    let before = app.count("SELECT COUNT(*) FROM workshop_sessions").await;
    let (status, _, html) = admin.submit("/admin/ateliers/nouveau", &refs(&f)).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("L'heure de fin")
            || html.contains("L&#39;heure de fin")
            || html.contains("L&#x27;heure de fin"),
        "{html}"
    );
    assert!(contains_text(&html, "Atelier à l'envers"), "{html}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM workshop_sessions").await,
        before
    );

    // A half-day lasts 3 h 30 when no end is given.
    let title = "Créer son site vitrine";
    let session = create_session_by_form(app, &mut admin, title, 10, "3").await;
    let (starts, ends, capacity): (i64, i64, i64) =
        sqlx::query_as("SELECT starts_at, ends_at, capacity FROM workshop_sessions WHERE id = $1")
            .bind(session)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(starts, paris_ms(day, 9, 30));
    assert_eq!(ends - starts, 210 * 60_000);
    assert_eq!(capacity, 3);
    let (status, html) = admin
        .page(&format!("/admin/ateliers/{session}?cree=1"))
        .await;
    assert_eq!(status, 200);
    assert!(contains_text(&html, title));
    let (_, public) = Browser::new(app)
        .await
        .page(&format!("/ateliers/{session}"))
        .await;
    assert!(public.contains("Sophie Intervenante"), "{public}");
    assert!(public.contains("3 places restantes"), "{public}");

    let auth = api_auth(app, ADMIN, "admin").await;
    for (name, email) in [
        ("Léa Martin", "lea@martin.fr"),
        ("Hugo Petit", "hugo@petit.fr"),
    ] {
        let (status, v) = api_register(app, &auth, session, name, email).await;
        assert_eq!(status, 201, "{v}");
    }
    let version_sql = format!("SELECT version FROM workshop_sessions WHERE id = {session}");

    // Fewer seats than people booked: refused.
    let mut f = session_form(
        theme,
        "halfday",
        title,
        &day.to_string(),
        "09:30",
        "13:00",
        "1",
        speaker,
    );
    set(
        &mut f,
        "version",
        app.count(&version_sql).await.to_string().as_str(),
    );
    let (status, _, html) = admin
        .submit(&format!("/admin/ateliers/{session}"), &refs(&f))
        .await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("value=\"1\""), "{html}");
    assert_eq!(
        app.count(&format!(
            "SELECT capacity FROM workshop_sessions WHERE id = {session}"
        ))
        .await,
        3
    );

    // A new date: both registrants are told, with the new calendar entry.
    let lea_before = mails_for(app, "lea@martin.fr").await.len();
    let hugo_before = mails_for(app, "hugo@petit.fr").await.len();
    let new_day = paris_day(11);
    let mut f = session_form(
        theme,
        "halfday",
        title,
        &new_day.to_string(),
        "14:00",
        "17:30",
        "3",
        speaker,
    );
    set(
        &mut f,
        "version",
        app.count(&version_sql).await.to_string().as_str(),
    );
    let (status, _, html) = admin
        .submit(&format!("/admin/ateliers/{session}"), &refs(&f))
        .await;
    assert_eq!(status, 303, "{html}");
    assert_eq!(
        app.count(&format!(
            "SELECT starts_at FROM workshop_sessions WHERE id = {session}"
        ))
        .await,
        paris_ms(new_day, 14, 0)
    );
    let lea = wait_mails(app, "lea@martin.fr", lea_before + 1).await;
    wait_mails(app, "hugo@petit.fr", hugo_before + 1).await;
    let changed = lea.last().unwrap();
    assert!(
        changed.subject.to_lowercase().contains("modifié"),
        "{}",
        changed.subject
    );
    private_link(changed);
    let ics = changed
        .attachments
        .iter()
        .find(|a| a.filename.ends_with(".ics"))
        .expect("updated calendar entry");
    let events = parse_ics(&ics.content);
    assert_eq!(
        prop(&events[0], "DTSTART"),
        Some(ics_utc(paris_ms(new_day, 14, 0)))
    );
    // Saving with the same values again tells nobody.
    let mut f2 = f.clone();
    set(
        &mut f2,
        "version",
        app.count(&version_sql).await.to_string().as_str(),
    );
    let (status, _, _) = admin
        .submit(&format!("/admin/ateliers/{session}"), &refs(&f2))
        .await;
    assert_eq!(status, 303);
    assert_eq!(mails_for(app, "lea@martin.fr").await.len(), lea_before + 1);

    // Cancelling asks first (a confirmation page without JavaScript):
    // nothing is cancelled and nobody is told until "yes".
    let (status, _, html) = admin
        .submit(
            &format!("/admin/ateliers/{session}"),
            &[
                ("action", "cancel"),
                ("cancel_reason", "Intervenante souffrante"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"confirmed\""), "{html}");
    assert!(html.contains("Intervenante souffrante"), "{html}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM workshop_sessions WHERE id = {session} AND status = 'cancelled'"
        ))
        .await,
        0
    );

    // Cancelling: every registrant is told why; the page says so.
    let (status, location, html) = admin
        .submit(
            &format!("/admin/ateliers/{session}"),
            &[
                ("action", "cancel"),
                ("confirmed", "1"),
                ("cancel_reason", "Intervenante souffrante"),
                (
                    "version",
                    app.count(&version_sql).await.to_string().as_str(),
                ),
            ],
        )
        .await;
    assert!(status == 303 || status == 200, "{status} {location} {html}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM workshop_sessions WHERE id = {session} AND status = 'cancelled'"
        ))
        .await,
        1
    );
    for (email, before) in [
        ("lea@martin.fr", lea_before + 1),
        ("hugo@petit.fr", hugo_before + 1),
    ] {
        let m = wait_mails(app, email, before + 1).await;
        let last = m.last().unwrap();
        assert!(
            last.subject.to_lowercase().contains("annulé"),
            "{}",
            last.subject
        );
        assert!(last.body_text.contains("Intervenante souffrante"));
        assert_eq!(reg_status(app, session, email).await, "cancelled");
    }
    let mut visitor = Browser::new(app).await;
    let (status, html) = visitor.page(&format!("/ateliers/{session}")).await;
    assert_eq!(status, 200);
    assert!(html.to_lowercase().contains("annulé"), "{html}");
    assert!(!html.contains(&format!("action=\"/ateliers/{session}/inscription")));
    let (_, agenda) = visitor.page("/ateliers").await;
    assert!(card(&agenda, session).is_none());

    // Duplicating a session pre-fills the form.
    let (status, html) = admin
        .page(&format!("/admin/ateliers/nouveau?depuis={session}"))
        .await;
    assert_eq!(status, 200);
    assert!(contains_text(&html, title), "{html}");
}

async fn speakers_take_attendance_and_attendees_give_feedback(app: &TestApp) {
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let title = "Site vitrine : les bases";
    let session = create_session_by_form(app, &mut admin, title, 10, "12").await;

    // Marie, signed in, is booked at once for her business.
    let mut marie = Browser::signed_in(app, OWNER, PW).await;
    let (status, location, html) = marie
        .submit(
            &format!("/ateliers/{session}/inscription"),
            &registration_form("Marie Dupont", OWNER, "Boulangerie Dupont", true),
        )
        .await;
    assert_eq!(status, 303, "{html}");
    assert_eq!(
        location.split('#').next().unwrap(),
        format!("/ateliers/{session}?inscription=confirmed")
    );
    let (reg, business): (i64, Option<i64>) = sqlx::query_as(
        "SELECT id, business_id FROM workshop_registrations WHERE session_id = $1 AND email = $2",
    )
    .bind(session)
    .bind(OWNER)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let marie_business = app
        .count("SELECT id FROM businesses WHERE name = 'Boulangerie Dupont'")
        .await;
    assert_eq!(business, Some(marie_business));
    assert_eq!(reg_status(app, session, OWNER).await, "confirmed");

    let mut funder = Browser::signed_in(app, FUNDER, PW).await;
    let (status, dashboard_before) = funder.page("/tableau-de-bord").await;
    assert_eq!(status, 200);

    // The session took place this morning.
    let now = now_ms();
    sqlx::query("UPDATE workshop_sessions SET starts_at = $1, ends_at = $2 WHERE id = $3")
        .bind(now - 4 * HOUR)
        .bind(now - HOUR / 2)
        .bind(session)
        .execute(&app.db.pool)
        .await
        .unwrap();

    // Sophie, the speaker, sees the session and marks Marie present (twice).
    let mut sophie = Browser::signed_in(app, SPEAKER, PW).await;
    let (status, html) = sophie.page("/intervenant").await;
    assert_eq!(status, 200);
    assert!(contains_text(&html, title), "{html}");
    let (status, html) = sophie
        .page(&format!("/intervenant/seances/{session}"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Marie Dupont"), "{html}");
    let reg_s = reg.to_string();
    let presence = format!("/intervenant/seances/{session}/presence");
    for _ in 0..2 {
        let (status, location, html) = sophie
            .submit(&presence, &[("reg", reg_s.as_str()), ("value", "present")])
            .await;
        assert_eq!(status, 303, "{html}");
        assert!(location.starts_with(&format!("/intervenant/seances/{session}")));
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM workshop_registrations WHERE session_id = {session} AND attendance = 'present'"
        ))
        .await,
        1
    );
    // Another speaker, who does not speak at this session, cannot.
    tremplin::cli::create_user(
        &app.db,
        "paul@orateurs.fr",
        "Paul Orateur",
        PW,
        &["speaker".to_string()],
    )
    .await
    .unwrap();
    let mut paul = Browser::signed_in(app, "paul@orateurs.fr", PW).await;
    assert_eq!(
        paul.page(&format!("/intervenant/seances/{session}"))
            .await
            .0,
        403
    );
    let (status, _, _) = paul
        .submit(&presence, &[("reg", reg_s.as_str()), ("value", "absent")])
        .await;
    assert!(status == 403 || status == 404, "{status}");
    let attendance: Option<String> =
        sqlx::query_scalar("SELECT attendance FROM workshop_registrations WHERE id = $1")
            .bind(reg)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(attendance.as_deref(), Some("present"));
    let res = sophie
        .get(&format!("/intervenant/seances/{session}/emargement.pdf"))
        .await;
    assert_eq!(res.status(), 200);
    let sheet = res.bytes().await.unwrap();
    assert_eq!(pdf_lang(&sheet), "fr");
    if let Some(title) = pdf_title(&sheet) {
        assert!(title.starts_with("Feuille d"), "{title}");
    }
    if let Some(text) = pdf_text(&sheet) {
        assert!(text.contains("Signature"), "{text}");
    }

    // After the end, the feedback request goes out once.
    let before = mails_for(app, OWNER).await.len();
    tick(app, now_ms()).await;
    tick(app, now_ms()).await;
    let mails = wait_mails(app, OWNER, before + 1).await;
    assert_eq!(mails.len(), before + 1, "one feedback mail");
    let feedback_mail = mails.last().unwrap();
    assert!(
        feedback_mail.body_text.contains("/avis"),
        "{}",
        feedback_mail.body_text
    );
    let avis = format!("{}/avis", private_link(feedback_mail));
    let mut visitor = Browser::new(app).await;
    let (status, html) = visitor.page(&avis).await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"satisfaction\""), "{html}");
    let wanted = id_of(
        app,
        "SELECT id FROM themes WHERE slug = 'boutique-en-ligne'",
    )
    .await
    .to_string();
    let also = id_of(app, "SELECT id FROM themes WHERE slug = 'avis-en-ligne'")
        .await
        .to_string();
    let answer = [
        ("satisfaction", "5"),
        ("usefulness", "4"),
        ("themes", wanted.as_str()),
        ("themes", also.as_str()),
        ("comment", "Très concret, merci !"),
        ("coaching", "on"),
    ];
    let (status, location, html) = visitor.submit(&avis, &answer).await;
    assert!(status == 303 || status == 200, "{status} {location} {html}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM workshop_feedback").await
            - app
                .count(&format!(
                    "SELECT COUNT(*) FROM workshop_feedback WHERE session_id <> {session}"
                ))
                .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM workshop_feedback_themes WHERE registration_id = {reg}"
        ))
        .await,
        2
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM coaching_requests WHERE registration_id = {reg} \
             AND source = 'workshop-feedback' AND status = 'open' AND business_id = {marie_business}"
        ))
        .await,
        1
    );
    let coaching_total = app.count("SELECT COUNT(*) FROM coaching_requests").await;
    let mut adviser = Browser::signed_in(app, ADVISER, PW).await;
    let (status, html) = adviser.page("/accompagnement/demandes").await;
    assert_eq!(status, 200);
    assert!(html.contains("Marie Dupont"), "{html}");
    assert!(html.contains("Boulangerie Dupont"));

    // A second answer is refused and adds nothing.
    let (status, _, _) = visitor.submit(&avis, &answer).await;
    assert_eq!(status, 409);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM workshop_feedback WHERE registration_id = {reg}"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM coaching_requests").await,
        coaching_total
    );
    // A forged feedback link leads nowhere.
    assert_eq!(
        visitor
            .page(&format!("/ateliers/i/{}/avis", "0".repeat(64)))
            .await
            .0,
        404
    );

    // The dashboard counts Boulangerie Dupont as made aware.
    let (status, dashboard_after) = funder.page("/tableau-de-bord").await;
    assert_eq!(status, 200);
    assert_ne!(
        made_aware_total(&dashboard_before),
        made_aware_total(&dashboard_after),
        "{dashboard_after}"
    );
    let sector: String = sqlx::query_scalar("SELECT name_fr FROM sectors WHERE code = '10'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(
        contains_text(&dashboard_after, &sector),
        "{dashboard_after}"
    );
    let (status, _) = admin.page("/tableau-de-bord").await;
    assert_eq!(status, 200);
    let (status, _) = adviser.page("/tableau-de-bord").await;
    assert_eq!(status, 200);
    let (status, _) = marie.page("/tableau-de-bord").await;
    assert_eq!(status, 403);
}

/// The numbers a dashboard page shows, in order (to tell two apart).
fn made_aware_total(html: &str) -> Vec<String> {
    let body = html.split("<main").nth(1).unwrap_or(html);
    let mut numbers = vec![];
    let mut current = String::new();
    let mut in_tag = false;
    for ch in body.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && c.is_ascii_digit() => current.push(c),
            _ => {
                if !current.is_empty() {
                    numbers.push(std::mem::take(&mut current));
                }
            }
        }
    }
    numbers
}

async fn staff_attach_a_registrant_to_the_register_and_the_dashboard_follows(app: &TestApp) {
    // A registrant without an account typed the name of a business that is
    // in the register, without its accents and capitals.
    let (garage, sector): (i64, String) = sqlx::query_as(
        "SELECT b.id, s.name_fr FROM businesses b JOIN sectors s ON s.code = b.sector_code WHERE b.name = 'Garage du Médoc'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let session = insert_session(
        app,
        "Facturation électronique",
        "site-vitrine",
        BORDEAUX,
        now_ms() + 3 * DAY,
        12,
    )
    .await;
    let mut adviser = Browser::signed_in(app, ADVISER, PW).await;
    let list = format!("/admin/ateliers/{session}/inscrits");
    let (status, _, html) = adviser
        .submit(
            &list,
            &[
                ("action", "add"),
                ("name", "Paul Lafon"),
                ("email", "paul.lafon@example.org"),
                ("business_name", "garage du medoc"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{html}");
    let reg = id_of(
        app,
        &format!("SELECT id FROM workshop_registrations WHERE session_id = {session} AND email = 'paul.lafon@example.org'"),
    )
    .await;

    // Paul came; the dashboard does not know his business's sector yet.
    sqlx::query("UPDATE workshop_registrations SET attendance = 'present' WHERE id = $1")
        .bind(reg)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let mut funder = Browser::signed_in(app, FUNDER, PW).await;
    let (status, before) = funder.page("/tableau-de-bord").await;
    assert_eq!(status, 200);
    assert!(!contains_text(&before, &sector), "{before}");

    // The list offers to attach him; the page suggests the garage by name.
    let (status, html) = adviser.page(&list).await;
    assert_eq!(status, 200);
    let link = format!("/admin/ateliers/{session}/inscrits/{reg}/entreprise");
    assert!(html.contains(&link), "{html}");
    assert!(contains_text(&html, "Rattacher au registre"), "{html}");
    let (status, html) = adviser.page(&link).await;
    assert_eq!(status, 200, "{html}");
    let suggestions = html.split("id=\"suggestions\"").nth(1).unwrap_or_default();
    assert!(contains_text(suggestions, "Garage du Médoc"), "{html}");
    // The register can be searched too, by name or identifier.
    let (status, html) = adviser.page(&format!("{link}?q=medoc")).await;
    assert_eq!(status, 200);
    assert!(contains_text(&html, "1 entreprise trouvée"), "{html}");
    let (_, html) = adviser.page(&format!("{link}?q=zzzz-introuvable")).await;
    assert!(
        contains_text(&html, "Aucune entreprise du registre ne correspond"),
        "{html}"
    );

    let garage_s = garage.to_string();
    let (status, location, html) = adviser
        .submit(
            &link,
            &[("action", "link"), ("business", garage_s.as_str())],
        )
        .await;
    assert_eq!(status, 303, "{html}");
    assert!(
        location.starts_with(&format!("{list}?fait=linked")),
        "{location}"
    );
    let linked: Option<i64> =
        sqlx::query_scalar("SELECT business_id FROM workshop_registrations WHERE id = $1")
            .bind(reg)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(linked, Some(garage));
    let (_, html) = adviser.page(&location).await;
    assert!(
        contains_text(&html, "rattachée à l'entreprise du registre"),
        "{html}"
    );
    assert!(html.contains(&format!("/entreprises/{garage}")), "{html}");

    let (_, html) = adviser.page(&link).await;
    assert!(html.contains("class=\"linked-business\""), "{html}");
    // The dashboard now counts the garage with its sector.
    let (_, after) = funder.page("/tableau-de-bord").await;
    assert!(contains_text(&after, &sector), "{after}");

    // In English, and a business that does not exist or a registration of
    // another session change nothing.
    let res = client()
        .get(app.url(&link))
        .header("accept-language", "en")
        .header("cookie", adviser.cookie_header())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(contains_text(&html, "Attach to the register"), "{html}");
    assert!(contains_text(&html, "Search the register"), "{html}");
    let (status, _, _) = adviser
        .submit(&link, &[("action", "link"), ("business", "999999")])
        .await;
    assert_eq!(status, 404);
    let other = insert_session(
        app,
        "Autre séance",
        "site-vitrine",
        BORDEAUX,
        now_ms() + 4 * DAY,
        12,
    )
    .await;
    let (status, _, _) = adviser
        .submit(
            &format!("/admin/ateliers/{other}/inscrits/{reg}/entreprise"),
            &[("action", "unlink")],
        )
        .await;
    assert_eq!(status, 404);
    let still: Option<i64> =
        sqlx::query_scalar("SELECT business_id FROM workshop_registrations WHERE id = $1")
            .bind(reg)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(still, Some(garage));

    // Detaching puts it back as it was.
    let (status, location, _) = adviser.submit(&link, &[("action", "unlink")]).await;
    assert_eq!(status, 303);
    assert!(location.contains("fait=unlinked"), "{location}");
    let (_, html) = adviser.page(&link).await;
    assert!(!html.contains("class=\"linked-business\""), "{html}");

    // Someone without a staff role cannot.
    let mut marie = Browser::signed_in(app, OWNER, PW).await;
    assert_eq!(marie.page(&link).await.0, 403);
}

async fn workshop_pages_respect_roles(app: &TestApp) {
    let session = insert_session(
        app,
        "Atelier réservé",
        "site-vitrine",
        BORDEAUX,
        now_ms() + 4 * DAY,
        10,
    )
    .await;
    // A business owner is not staff.
    let mut marie = Browser::signed_in(app, OWNER, PW).await;
    assert_eq!(marie.page("/admin/ateliers").await.0, 403);
    assert_eq!(marie.page("/admin/ateliers/nouveau").await.0, 403);
    assert_eq!(
        marie.page(&format!("/admin/ateliers/{session}")).await.0,
        403
    );
    assert_eq!(
        marie
            .page(&format!("/admin/ateliers/{session}/inscrits"))
            .await
            .0,
        403
    );
    assert_eq!(marie.page("/accompagnement/demandes").await.0, 403);
    assert_eq!(marie.page("/intervenant").await.0, 403);
    let before = app.count("SELECT COUNT(*) FROM workshop_sessions").await;
    let (status, _, _) = marie
        .submit("/admin/ateliers/nouveau", &[("title_fr", "Pirate")])
        .await;
    assert_eq!(status, 403);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM workshop_sessions").await,
        before
    );

    // Anonymous visitors are sent to sign in.
    let mut anon = Browser::new(app).await;
    for path in [
        "/intervenant",
        "/admin/ateliers",
        "/accompagnement/demandes",
    ] {
        let res = anon.get(path).await;
        assert_eq!(res.status(), 303, "{path}");
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("/connexion"), "{path} → {location}");
    }
    // The agenda is public.
    assert_eq!(anon.page("/ateliers").await.0, 200);
    assert_eq!(anon.page(&format!("/ateliers/{session}")).await.0, 200);

    // A speaker sees only her own sessions' participants.
    let mut sophie = Browser::signed_in(app, SPEAKER, PW).await;
    assert_eq!(sophie.page("/intervenant").await.0, 200);
    let status = sophie
        .page(&format!("/intervenant/seances/{session}"))
        .await
        .0;
    assert!(status == 403 || status == 404, "{status}");
    assert_eq!(sophie.page("/admin/ateliers").await.0, 403);

    // A funder sees the dashboard, not the registrations.
    let mut funder = Browser::signed_in(app, FUNDER, PW).await;
    assert_eq!(funder.page("/admin/ateliers").await.0, 403);

    // The API needs a staff token.
    let res = client()
        .post(app.url(&format!("/api/v1/workshops/{session}/registrations")))
        .json(&serde_json::json!({"name": "X", "email": "x@x.fr", "business_name": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM workshop_registrations WHERE email = 'x@x.fr'")
            .await,
        0
    );
}

async fn the_store_reads_sessions_back_typed_and_filters_the_agenda(app: &TestApp) {
    use tremplin::workshops::model::{AgendaQuery, SessionStatus};
    let soon = now_ms() + 3 * HOUR;
    let id = insert_session(app, "Atelier du magasin", "site-vitrine", BORDEAUX, soon, 7).await;
    set_sectors(app, id, &["47"]).await;
    let s = store::get(&app.db, id).await.unwrap().expect("stored");
    assert_eq!(s.format, Format::Awareness);
    assert_eq!(s.status, SessionStatus::Scheduled);
    assert_eq!((s.capacity, s.seats_left()), (7, 7));
    assert_eq!(
        s.title("en"),
        "Atelier du magasin",
        "English falls back to French"
    );
    assert_eq!(s.commune("fr"), "Bordeaux");
    let sectors = store::sectors(&app.db, id).await.unwrap();
    assert_eq!(sectors.len(), 1);
    assert_eq!(sectors[0].code, "47");
    let q = AgendaQuery {
        sector: Some("47".into()),
        now: now_ms(),
        ..Default::default()
    };
    let (listed, total) = store::agenda(&app.db, &q, 20, 0).await.unwrap();
    assert!(listed.iter().any(|x| x.id == id), "listed by its sector");
    assert_eq!(total, listed.len() as i64);
    let q = AgendaQuery {
        format: Some(Format::HalfDay),
        now: now_ms(),
        ..Default::default()
    };
    let (listed, _) = store::agenda(&app.db, &q, 20, 0).await.unwrap();
    assert!(listed.iter().all(|x| x.id != id), "not a half-day session");
    assert!(!store::belongs(&app.db, id, -1).await.unwrap());
    assert_eq!(store::active_registrations(&app.db, id).await.unwrap(), 0);
}
