//! Follow-up files at volume: the file list is paged (filters kept in the
//! page links) and the adviser's home shows the first items of the week with
//! a link to the rest, in French and in English.

use tremplin::cases::model::DAY_MS;
use tremplin::cases::store::BusinessEvent;
use tremplin::db::now_ms;

use crate::both_databases;
use crate::builders::{self, planned_call};
use crate::harness::{Browser, TestApp, PW};

both_databases!(
    the_file_list_is_paged_and_keeps_its_filters,
    the_home_shows_the_start_of_the_week_and_links_to_the_rest,
    a_business_story_outside_its_files_is_read_in_one_statement,
    a_reassigned_file_moves_to_the_new_advisers_week,
    a_files_short_lists_are_read_in_one_statement,
);

const ADVISER: &str = "conseiller@tremplin-demo.fr";
const MANAGER: &str = "responsable@tremplin-demo.fr";

/// Monday 00:00 of this week in the programme's time zone (Europe/Paris).
fn monday() -> i64 {
    let tz = tremplin::kernel::dates::zone("Europe/Paris");
    let today = tremplin::kernel::dates::zoned(&tz, now_ms());
    let monday = today
        .date()
        .checked_sub(jiff::Span::new().days(i64::from(today.weekday().to_monday_zero_offset())))
        .unwrap();
    tremplin::kernel::dates::to_ms(&tz, monday, jiff::civil::Time::midnight()).unwrap()
}

/// Whether `html` has a link to `href`, its `&` escaped either way
/// (askama writes `&#38;`).
fn links_to(html: &str, href: &str) -> bool {
    ["&#38;", "&amp;"]
        .iter()
        .any(|amp| html.contains(&format!("href=\"{}\"", href.replace('&', amp))))
}

async fn the_file_list_is_paged_and_keeps_its_filters(app: &TestApp) {
    let adviser = builders::user_id(app, ADVISER).await;
    let biz = builders::business("Atelier des pages").create(app).await;
    // 60 files of the adviser, newer than every demo file: the newest first.
    let base = now_ms() + DAY_MS;
    let mut files = vec![];
    for i in 0..60 {
        files.push(
            builders::case(biz)
                .adviser(adviser)
                .opened_at(base - i * 60_000)
                .create(app)
                .await,
        );
    }
    let row = |id: i64| format!("data-case=\"{id}\"");

    let mut b = Browser::signed_in(app, ADVISER, PW).await;
    let (status, first) = b.page("/dossiers?mine=1").await;
    assert_eq!(status, 200);
    assert!(first.contains(&row(files[0])));
    assert!(first.contains(&row(files[49])));
    assert!(!first.contains(&row(files[50])), "50 files per page");
    assert!(first.contains("Page suivante"), "{first}");
    assert!(first.contains("Page 1 sur"));
    assert!(links_to(&first, "/dossiers?mine=1&page=2"), "{first}");
    // Page 2 starts with the 51st file, and keeps the filter.
    let (status, second) = b.page("/dossiers?mine=1&page=2").await;
    assert_eq!(status, 200);
    assert!(second.contains(&row(files[50])), "the 51st file");
    assert!(second.contains(&row(files[59])));
    assert!(!second.contains(&row(files[49])));
    assert!(second.contains("Page précédente"));
    assert!(second.contains("href=\"/dossiers?mine=1\""));
    // The list with closed files keeps its filter in the links too.
    let (_, all) = b.page("/dossiers?closed=1").await;
    assert!(links_to(&all, "/dossiers?closed=1&page=2"), "{all}");
    // A page past the end is empty, not an error.
    let (status, past) = b.page("/dossiers?mine=1&page=40").await;
    assert_eq!(status, 200);
    assert!(!past.contains(&row(files[0])));

    // In English.
    b.cookies.insert("tremplin_lang".into(), "en".into());
    let (_, first) = b.page("/dossiers?mine=1").await;
    assert!(first.contains("Next page"));
    assert!(first.contains("Page 1 of"));
    let (_, second) = b.page("/dossiers?mine=1&page=2").await;
    assert!(second.contains(&row(files[50])));
    assert!(second.contains("Previous page"));

    // The export still lists every file, not one page, with the outcome
    // of those closed.
    let closed = builders::business("Atelier clos").create(app).await;
    builders::case(closed).closed_at(now_ms()).create(app).await;
    let res = b.get("/dossiers/export/dossiers.csv").await;
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    assert!(csv.matches("Atelier des pages").count() >= 60, "{csv}");
    let line = |name: &str| csv.lines().find(|l| l.contains(name)).unwrap().to_string();
    assert!(line("Atelier clos").contains("Goals met"), "{csv}");
    assert!(!line("Atelier des pages").contains("Goals met"), "{csv}");
}

async fn the_home_shows_the_start_of_the_week_and_links_to_the_rest(app: &TestApp) {
    let adviser = builders::user_id(app, ADVISER).await;
    let biz = builders::business("Atelier de la semaine")
        .create(app)
        .await;
    let case = builders::case(biz).adviser(adviser).create(app).await;
    // Twelve calls this week, one hour apart from Monday 08:00.
    let start = monday() + 8 * 3_600_000;
    let titles: Vec<String> = (1..=12)
        .map(|i| format!("Appel de suivi n°{i:02}"))
        .collect();
    for (i, t) in titles.iter().enumerate() {
        planned_call(app, case, t, start + i as i64 * 3_600_000).await;
    }

    let mut b = Browser::signed_in(app, ADVISER, PW).await;
    let (status, home) = b.page("/accueil").await;
    assert_eq!(status, 200);
    let shown = titles.iter().filter(|t| home.contains(t.as_str())).count();
    assert!(shown < 12, "the home shows the start of the week only");
    assert!(home.contains("id=\"home-week-more\""), "{home}");
    assert!(home.contains("voir toute la semaine"));
    assert!(home.contains("href=\"/accueil/semaine\""));
    // The link leads to the whole week, every call included.
    let (status, week) = b.page("/accueil/semaine").await;
    assert_eq!(status, 200);
    for t in &titles {
        assert!(week.contains(t.as_str()), "{t} on the week's page");
    }
    assert!(week.contains("rendez-vous cette semaine"));
    assert!(week.contains(&format!("href=\"/dossiers/{case}\"")));

    // In English.
    b.cookies.insert("tremplin_lang".into(), "en".into());
    let (_, home) = b.page("/accueil").await;
    assert!(home.contains("more this week: see the whole week"));
    let (_, week) = b.page("/accueil/semaine").await;
    assert!(week.contains("this week"));
    assert!(week.contains("Back to the home page"));
    for t in &titles {
        assert!(week.contains(t.as_str()));
    }

    // The week is the adviser's own: a business owner may not open it.
    let mut owner = Browser::signed_in(app, "marie@boulangerie-dupont.fr", PW).await;
    let (status, _) = owner.page("/accueil/semaine").await;
    assert_ne!(status, 200);
}

/// The file page's timeline reads a business's registrations, feedback,
/// coaching requests and needs in one statement (`store::business_events`):
/// each kind comes back with its own fields, in that order.
async fn a_business_story_outside_its_files_is_read_in_one_statement(app: &TestApp) {
    let commune: String = sqlx::query_scalar(
        "SELECT code FROM territories WHERE level = 'commune' AND parent_code = 'FR-D33' ORDER BY code LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let biz = builders::business("Atelier du récit")
        .commune(&commune)
        .create(app)
        .await;
    let adviser = builders::user_id(app, ADVISER).await;
    let session = builders::session("sauvegardes").create(app).await;
    let reg = builders::attendee(session, "recit@example.fr")
        .business(biz)
        .create(app)
        .await;
    builders::feedback(reg).scores(5, 4).create(app).await;
    let mut tx = app.db.begin_write().await.unwrap();
    tremplin::coaching::store::insert(
        &mut tx,
        &tremplin::coaching::store::NewRequest {
            source: tremplin::coaching::model::Source::ContactForm,
            business_id: Some(biz),
            origin_id: None,
            name: "Personne",
            email: "recit@example.fr",
            phone: "",
            business_name: "Atelier du récit",
            message: "",
            locale: tremplin::i18n::Locale::Fr,
        },
        now_ms(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    builders::published_need(app, biz, adviser, "Un site pour le récit").await;

    let events = tremplin::cases::store::business_events(&app.db, biz, "title_fr")
        .await
        .unwrap();
    assert_eq!(events.len(), 4, "{events:?}");
    assert!(
        matches!(
            &events[0],
            BusinessEvent::Registration {
                attendance: Some(_),
                ..
            }
        ),
        "{events:?}"
    );
    assert!(
        matches!(&events[1], BusinessEvent::Feedback { satisfaction: 5, theme, .. } if !theme.is_empty()),
        "{events:?}"
    );
    assert!(
        matches!(&events[2], BusinessEvent::Request { source, .. } if source == "contact"),
        "{events:?}"
    );
    assert!(
        matches!(&events[3], BusinessEvent::Need { title, replies: 0, .. } if title == "Un site pour le récit"),
        "{events:?}"
    );
    // Another business's story is empty.
    let other = builders::business("Sans histoire").create(app).await;
    assert!(
        tremplin::cases::store::business_events(&app.db, other, "title_en")
            .await
            .unwrap()
            .is_empty()
    );
}

/// An adviser's week is read from the activities' copy of the adviser in
/// charge: handing a file over moves its planned call from one week to the
/// other, and a call added afterwards lands in the new adviser's week.
async fn a_reassigned_file_moves_to_the_new_advisers_week(app: &TestApp) {
    let adviser = builders::user_id(app, ADVISER).await;
    let manager = builders::user_id(app, MANAGER).await;
    let biz = builders::business("Atelier passé de main en main")
        .create(app)
        .await;
    let case = builders::case(biz).adviser(adviser).create(app).await;
    planned_call(
        app,
        case,
        "Appel avant la passation",
        monday() + 9 * 3_600_000,
    )
    .await;

    let mut first = Browser::signed_in(app, ADVISER, PW).await;
    let (_, week) = first.page("/accueil/semaine").await;
    assert!(week.contains("Appel avant la passation"), "{week}");
    let mut second = Browser::signed_in(app, MANAGER, PW).await;
    let (_, week) = second.page("/accueil/semaine").await;
    assert!(!week.contains("Appel avant la passation"));

    // The adviser hands the file over to the manager.
    let version: i64 = sqlx::query_scalar("SELECT version FROM cases WHERE id = $1")
        .bind(case)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let (status, _, _) = first
        .submit(
            &format!("/dossiers/{case}"),
            &[
                ("status", "active"),
                ("summary", "Passé au responsable"),
                ("adviser", &manager.to_string()),
                ("version", &version.to_string()),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (_, week) = first.page("/accueil/semaine").await;
    assert!(!week.contains("Appel avant la passation"), "{week}");
    let (_, week) = second.page("/accueil/semaine").await;
    assert!(week.contains("Appel avant la passation"), "{week}");

    // A call planned after the hand-over is in the new adviser's week only.
    planned_call(
        app,
        case,
        "Appel après la passation",
        monday() + 10 * 3_600_000,
    )
    .await;
    let (_, week) = second.page("/accueil/semaine").await;
    assert!(week.contains("Appel après la passation"), "{week}");
    let (_, week) = first.page("/accueil/semaine").await;
    assert!(!week.contains("Appel après la passation"));
}

/// The file page's short lists (coaching time, advisers in charge, latest
/// reads, documents, contributors, requests to contribute, edit counts,
/// audit observations, the advisers and active bodies to choose from) come
/// from one statement (`store::file_lists`): each row in its own list, each
/// list in the order the page shows it, the reads cut to the latest twenty.
async fn a_files_short_lists_are_read_in_one_statement(app: &TestApp) {
    use tremplin::cases::model::Funder;
    use tremplin::cases::store as cases;
    let adviser = builders::user_id(app, ADVISER).await;
    let manager = builders::user_id(app, MANAGER).await;
    let biz = builders::business("Atelier des listes").create(app).await;
    let case = builders::case(biz).adviser(adviser).create(app).await;
    let t0 = now_ms() - 40 * DAY_MS;
    builders::hours(app, case, Funder::Region, 90, t0 + 2 * DAY_MS).await;
    builders::hours(app, case, Funder::Programme, 30, t0 + DAY_MS).await;
    for i in 0..25 {
        cases::log_read(
            &app.db,
            case,
            if i % 2 == 0 { adviser } else { manager },
            t0 + i * 1000,
        )
        .await
        .unwrap();
    }
    cases::insert_document(
        &app.db,
        case,
        "second.pdf",
        "application/pdf",
        b"%PDF-1.4".to_vec(),
        true,
        adviser,
        t0 + 5,
    )
    .await
    .unwrap();
    cases::insert_document(
        &app.db,
        case,
        "premier.txt",
        "text/plain",
        b"bonjour".to_vec(),
        false,
        manager,
        t0 + 4,
    )
    .await
    .unwrap();
    cases::add_contributor(&app.db, case, manager, t0)
        .await
        .unwrap();
    cases::add_contributor(&app.db, case, adviser, t0)
        .await
        .unwrap();
    cases::ask_to_contribute(&app.db, case, manager, t0 + 7)
        .await
        .unwrap();
    // A call edited twice, an audit with two observations, an untouched call.
    let edited = planned_call(app, case, "Appel", t0 + DAY_MS).await;
    let audit = planned_call(app, case, "Audit", t0 + 2 * DAY_MS).await;
    planned_call(app, case, "Relance", t0 + 3 * DAY_MS).await;
    for version in [1, 2] {
        let v = cases::activity(&app.db, case, edited)
            .await
            .unwrap()
            .unwrap();
        let mut tx = app.db.begin_write().await.unwrap();
        let valid = tremplin::cases::model::ValidActivity {
            kind: tremplin::cases::model::ActivityKind::Call,
            title: format!("Appel v{version}"),
            body: v.body,
            happened_at: None,
            due_at: v.due_at,
            minutes: v.minutes,
            place: v.place,
            online: true,
            attendees: v.attendees,
            shared: true,
            observations: vec![],
            version,
        };
        let saved = cases::update_activity(&mut tx, case, edited, &valid, adviser, t0 + version)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(saved);
    }
    for (dimension, note) in [("presence", "Site daté"), ("gestion", "Devis sur papier")] {
        sqlx::query(
            "INSERT INTO case_observations (activity_id, dimension, note) VALUES ($1, $2, $3)",
        )
        .bind(audit)
        .bind(dimension)
        .bind(note)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    for (name, active) in [
        ("Zeta Conseil", 1),
        ("Alpha Formation", 1),
        ("Ancien organisme", 0),
    ] {
        sqlx::query(
            "INSERT INTO referral_bodies (name, email, active, created_at, updated_at) VALUES ($1, 'contact@example.org', $2, 0, 0)",
        )
        .bind(name)
        .bind(active)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }

    let l = cases::file_lists(&app.db, case).await.unwrap();
    // Edit counts of the edited activities only; observations by activity.
    assert_eq!(l.edits.len(), 1);
    assert_eq!(l.edits.get(&edited), Some(&2));
    let mut obs = l.observations.clone();
    obs.sort();
    assert_eq!(
        obs,
        vec![
            (audit, "gestion".to_string(), "Devis sur papier".to_string()),
            (audit, "presence".to_string(), "Site daté".to_string()),
        ]
    );
    // The choices: every enabled adviser or administrator once, by name;
    // the active bodies only, by name.
    let expected: Vec<(i64, String)> = sqlx::query_as(
        "SELECT DISTINCT u.id, u.display_name FROM users u JOIN user_roles r ON r.user_id = u.id \
         WHERE r.role IN ('adviser', 'admin') AND u.disabled_at IS NULL",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert!(l.advisers.iter().any(|(id, _)| *id == adviser));
    assert_eq!(l.advisers.len(), expected.len());
    assert!(l.advisers.windows(2).all(|w| w[0].1 <= w[1].1));
    let bodies: Vec<&str> = l.bodies.iter().map(|(_, n)| n.as_str()).collect();
    assert!(bodies.contains(&"Alpha Formation") && bodies.contains(&"Zeta Conseil"));
    assert!(!bodies.contains(&"Ancien organisme"));
    assert!(bodies.windows(2).all(|w| w[0] <= w[1]));
    // Coaching time, oldest first, with its figures.
    assert_eq!(l.hours.len(), 2);
    assert_eq!(l.hours[0].delivered_minutes, 30);
    assert_eq!(l.hours[0].funder, Funder::Programme.code());
    assert_eq!(l.hours[1].delivered_minutes, 90);
    // The latest twenty reads, newest first.
    assert_eq!(l.reads.len(), 20);
    assert_eq!(l.reads[0].1, t0 + 24_000);
    assert_eq!(l.reads[19].1, t0 + 5_000);
    assert!(l.reads.iter().all(|(who, _)| who.is_some()));
    // Documents, oldest first, with their size, type, sharing and author.
    let docs: Vec<(&str, &str, i64, i64)> = l
        .documents
        .iter()
        .map(|d| (d.name.as_str(), d.mime.as_str(), d.size, d.shared))
        .collect();
    assert_eq!(
        docs,
        vec![
            ("premier.txt", "text/plain", 7, 0),
            ("second.pdf", "application/pdf", 8, 1)
        ]
    );
    assert!(l.documents.iter().all(|d| d.author_name.is_some()));
    // Contributors by name; the pending request with who and when.
    let mut names = l.contributors.clone();
    names.sort();
    assert_eq!(l.contributors, names);
    assert_eq!(l.contributors.len(), 2);
    assert_eq!(l.requests.len(), 1);
    assert_eq!((l.requests[0].0, l.requests[0].2), (manager, t0 + 7));
    // The adviser given at the opening is the history's one line.
    let adviser_name: String = sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
        .bind(adviser)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(l.assignments.len(), 1);
    assert_eq!(l.assignments[0].0.as_deref(), Some(adviser_name.as_str()));
}
