//! Workshops: the agenda's filters, calendar feeds and the store read back.

use super::*;

both_databases!(
    calendar_feeds_list_upcoming_sessions,
    agenda_filters_by_territory_theme_sector_and_past,
    the_store_reads_sessions_back_typed_and_filters_the_agenda,
);

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
