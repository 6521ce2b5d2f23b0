//! The federated agenda: two instances on loopback, one following the
//! other's open-data agenda and keeping it when the other stops; feeds that
//! are slow, huge, malformed or point back at the instance itself are
//! refused and recorded while the agenda keeps serving.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use tremplin::federation::fetch::{self, Limits};
use tremplin::federation::model::FeedError;
use tremplin::federation::store as feeds;

use crate::both_databases;
use crate::harness::{Browser, TestApp, PW};

both_databases!(
    one_instance_follows_another_and_keeps_it_when_it_stops,
    bad_feeds_are_refused_and_the_agenda_keeps_serving
);

const ADMIN: &str = "responsable@tremplin-demo.fr";

async fn one_instance_follows_another_and_keeps_it_when_it_stops(app: &TestApp) {
    let other = TestApp::spawn(app.backend).await.unwrap();
    let feed_url = other.url("/donnees-ouvertes/agenda.json");
    // The manager subscribes through the form; it is read at once.
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (status, location, _) = admin
        .submit(
            "/admin/agendas-federes",
            &[("name", "Programme voisin"), ("url", &feed_url)],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(location, "/admin/agendas-federes?ajout=1");
    let (_, page) = admin.page("/admin/agendas-federes").await;
    assert!(page.contains("data-feed=\"Programme voisin\""));
    let feed = feeds::feeds(&app.db).await.unwrap().remove(0);
    assert!(feed.event_count > 0);
    assert!(feed.error().is_none());
    // The same address twice is refused.
    let (status, _, html) = admin
        .submit(
            "/admin/agendas-federes",
            &[("name", "Encore"), ("url", &feed_url)],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"url-error\""));

    // A visitor sees the other programme's events, marked with their source.
    let mut visitor = Browser::new(app).await;
    let (_, agenda) = visitor.page("/ateliers").await;
    assert!(agenda.contains("id=\"federated-agenda\""));
    assert!(agenda.contains("data-federated-source=\"Programme voisin\""));
    let shown = agenda.matches("data-federated-event=").count();
    assert!(shown > 0);

    // The other instance stops: the refresh fails, the last copy stays.
    other.finish().await;
    let outcome = fetch::refresh(&app.db, &feed, "Europe/Paris", Limits::default())
        .await
        .unwrap();
    assert_eq!(outcome, Err(FeedError::Unreachable));
    let feed = feeds::feed(&app.db, feed.id).await.unwrap().unwrap();
    assert_eq!(feed.error(), Some(FeedError::Unreachable));
    assert!(feed.last_success_at.is_some());
    let (status, agenda) = visitor.page("/ateliers").await;
    assert_eq!(status, 200);
    assert_eq!(agenda.matches("data-federated-event=").count(), shown);
    let (_, page) = admin.page("/admin/agendas-federes").await;
    assert!(page.contains("data-feed-error=\"unreachable\""));
}

/// A one-shot HTTP server on loopback answering every request with `reply`
/// after `delay`; returns its base URL.
async fn serve(reply: Vec<u8>, delay: Duration) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let reply = reply.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = sock.read(&mut buf).await;
                tokio::time::sleep(delay).await;
                let _ = sock.write_all(&reply).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    format!("http://{addr}")
}

fn http(content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r
}

async fn outcome(app: &TestApp, name: &str, url: &str, limits: Limits) -> Result<usize, FeedError> {
    let id = feeds::insert_feed(&app.db, name, url, "")
        .await
        .unwrap()
        .unwrap();
    let feed = feeds::feed(&app.db, id).await.unwrap().unwrap();
    fetch::refresh(&app.db, &feed, "Europe/Paris", limits)
        .await
        .unwrap()
}

async fn bad_feeds_are_refused_and_the_agenda_keeps_serving(app: &TestApp) {
    let quick = Limits {
        timeout: Duration::from_millis(500),
        ..Limits::default()
    };
    // Slow: answers long after the fetch's time limit.
    let slow = serve(
        http("text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"),
        Duration::from_secs(30),
    )
    .await;
    assert_eq!(
        outcome(app, "Lent", &slow, quick).await,
        Err(FeedError::Timeout)
    );
    // Huge: more than the size cap, announced or not.
    let big = vec![b'x'; 3 * 1024 * 1024];
    let huge = serve(http("text/calendar", &big), Duration::ZERO).await;
    assert_eq!(
        outcome(app, "Énorme", &huge, Limits::default()).await,
        Err(FeedError::TooLarge)
    );
    let mut unannounced =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nConnection: close\r\n\r\n".to_vec();
    unannounced.extend_from_slice(&big);
    let huge2 = serve(unannounced, Duration::ZERO).await;
    assert_eq!(
        outcome(app, "Énorme bis", &huge2, Limits::default()).await,
        Err(FeedError::TooLarge)
    );
    // Malformed: a web page, broken iCalendar, JSON without a list.
    for (i, body) in [
        &b"<!doctype html><title>x</title>"[..],
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\n",
        b"{\"items\": 12}",
    ]
    .into_iter()
    .enumerate()
    {
        let url = serve(http("text/plain", body), Duration::ZERO).await;
        assert_eq!(
            outcome(app, &format!("Cassé {i}"), &url, Limits::default()).await,
            Err(FeedError::Malformed)
        );
    }
    // Itself: its own open-data agenda names its own instance.
    let own = app.url("/donnees-ouvertes/agenda.json");
    assert_eq!(
        outcome(app, "Moi", &own, Limits::default()).await,
        Err(FeedError::SelfFeed)
    );
    // A good iCalendar feed next to them still works.
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:ext-1\r\nSUMMARY:Rencontre numérique\r\nDTSTART:20991201T090000Z\r\nDTEND:20991201T110000Z\r\nLOCATION:Nouméa\r\nURL:https://autre.example/e/1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let good = serve(http("text/calendar", ics.as_bytes()), Duration::ZERO).await;
    assert_eq!(
        outcome(app, "Voisin", &good, Limits::default()).await,
        Ok(1)
    );

    // Each failure is recorded, and the pages keep serving.
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (status, page) = admin.page("/admin/agendas-federes").await;
    assert_eq!(status, 200);
    for code in ["timeout", "too-large", "malformed", "self"] {
        assert!(
            page.contains(&format!("data-feed-error=\"{code}\"")),
            "{code}"
        );
    }
    let mut visitor = Browser::new(app).await;
    let (status, agenda) = visitor.page("/ateliers").await;
    assert_eq!(status, 200);
    assert!(agenda.contains("data-federated-source=\"Voisin\""));
    // A bad address is refused by the form, keeping what was typed.
    let (status, _, html) = admin
        .submit(
            "/admin/agendas-federes",
            &[("name", "Mauvais"), ("url", "ftp://agenda.example/a.ics")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("value=\"ftp://agenda.example/a.ics\""));
}
