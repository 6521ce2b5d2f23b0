//! The moderated notice board: providers' posts wait for moderation, staff
//! posts are published at once, expired posts are not shown; and the store
//! on its own.

use tremplin::board::model::{PostKind, PostStatus};
use tremplin::board::store::{self as board, NewPost};

use crate::both_databases;
use crate::harness::{client, Browser, TestApp, PW};
use crate::needs::{insert_card, mail_with, provider_account, Card, ADMIN, ADVISER};

both_databases!(
    the_notice_board_is_moderated,
    the_board_store_lists_what_is_published
);

/// A post stored directly; returns its id.
async fn store_post(app: &TestApp, title: &str, status: PostStatus, expires_on: &str) -> i64 {
    board::insert(
        &app.db,
        &NewPost {
            author_id: None,
            provider_id: None,
            kind: PostKind::Event,
            title,
            body: "Une annonce de test.",
            link: "",
            status,
            moderated_by: None,
            expires_on,
        },
    )
    .await
    .unwrap()
}

async fn the_notice_board_is_moderated(app: &TestApp) {
    const POSTER: &str = "annonces@web-atelier.test";
    let mut provider = provider_account(app, POSTER).await;
    insert_card(
        app,
        Card {
            name: "Web Atelier Annonces",
            member: Some(POSTER),
            ..Default::default()
        },
    )
    .await;
    let (status, html) = provider.page("/annonces/nouvelle").await;
    assert_eq!(status, 200);
    assert!(html.contains("value=\"job\""));
    assert!(!html.contains("value=\"call_for_projects\""));

    // Providers may not post programme announcements; bad input is kept.
    let (status, _, html) = provider
        .submit(
            "/annonces/nouvelle",
            &[
                ("kind", "announcement"),
                ("title", "Offre de stage développeur web"),
                ("body", "court"),
                ("link", "javascript:alert(1)"),
                ("expires_on", "2001-01-01"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("value=\"Offre de stage développeur web\""),
        "{html}"
    );
    assert!(html.contains("adresse web complète"), "{html}");
    assert!(html.contains("déjà passée"), "{html}");

    let (status, location, _) = provider
        .submit(
            "/annonces/nouvelle",
            &[
                ("kind", "internship"),
                ("title", "Offre de stage développeur web"),
                ("body", "Stage de 6 mois à Bordeaux, à partir de septembre."),
                ("link", "https://web-atelier.test/stage"),
                ("expires_on", "2099-12-31"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(location, "/annonces/nouvelle?envoye=1");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM board_posts WHERE status = 'pending'")
            .await,
        1
    );
    let public = client().get(app.url("/annonces")).send().await.unwrap();
    assert_eq!(public.status(), 200);
    assert!(!public
        .text()
        .await
        .unwrap()
        .contains("Offre de stage développeur web"));

    // The moderation queue: rejecting needs a note; publishing shows it.
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (status, html) = admin.page("/admin/annonces").await;
    assert_eq!(status, 200);
    assert!(html.contains("Offre de stage développeur web"));
    let post = app.count("SELECT id FROM board_posts").await.to_string();
    let (status, _, html) = admin
        .submit("/admin/annonces", &[("action", "reject"), ("post", &post)])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("expliquez pourquoi"), "{html}");
    let (status, _, _) = admin
        .submit("/admin/annonces", &[("action", "publish"), ("post", &post)])
        .await;
    assert_eq!(status, 303);
    mail_with(app, POSTER, "publiée").await;
    let html = client()
        .get(app.url("/annonces"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Offre de stage développeur web"), "{html}");
    assert!(html.contains("Web Atelier Annonces"));
    let html = client()
        .get(app.url("/annonces?type=event"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("Offre de stage développeur web"));
    // Handling it twice is answered clearly.
    let (status, _, _) = admin
        .submit("/admin/annonces", &[("action", "publish"), ("post", &post)])
        .await;
    assert_eq!(status, 409);

    // Staff posts are published at once; expired posts are not shown.
    let mut adviser = Browser::signed_in(app, ADVISER, PW).await;
    let (status, location, body) = adviser
        .submit(
            "/annonces/nouvelle",
            &[
                ("kind", "call_for_projects"),
                ("title", "Appel à projets numérique 2030"),
                ("body", "Les artisans peuvent candidater jusqu'en juin."),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert!(location.starts_with("/annonces#post-"));
    store_post(app, "Salon passé", PostStatus::Published, "2001-01-01").await;
    let html = client()
        .get(app.url("/annonces"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Appel à projets numérique 2030"));
    assert!(!html.contains("Salon passé"));

    // Taking a post down removes it.
    let (status, _, _) = admin
        .submit(
            "/admin/annonces",
            &[("action", "unpublish"), ("post", &post)],
        )
        .await;
    assert_eq!(status, 303);
    let html = client()
        .get(app.url("/annonces"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("Offre de stage développeur web"));
    // Only managers moderate.
    let (status, _) = provider.page("/admin/annonces").await;
    assert_eq!(status, 403);
}

async fn the_board_store_lists_what_is_published(app: &TestApp) {
    let db = &app.db;
    let pending = store_post(app, "En attente", PostStatus::Pending, "").await;
    let live = store_post(app, "En ligne", PostStatus::Published, "2099-12-31").await;
    store_post(app, "Expirée", PostStatus::Published, "2001-01-01").await;
    let shown: Vec<String> = board::published(db, "2026-12-03", None)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.title)
        .collect();
    assert_eq!(shown, ["En ligne"]);
    assert!(board::published(db, "2026-12-03", Some(PostKind::Job))
        .await
        .unwrap()
        .is_empty());
    let queue = board::by_status(db, PostStatus::Pending).await.unwrap();
    assert_eq!(queue.iter().map(|p| p.id).collect::<Vec<_>>(), [pending]);

    // A decision applies once: the second finds the post already moved.
    let admin = app
        .count(&format!("SELECT id FROM users WHERE email = '{ADMIN}'"))
        .await;
    let mut tx = db.begin_write().await.unwrap();
    assert!(board::moderate(
        &mut tx,
        live,
        PostStatus::Published,
        PostStatus::Rejected,
        admin,
        ""
    )
    .await
    .unwrap());
    assert!(!board::moderate(
        &mut tx,
        live,
        PostStatus::Published,
        PostStatus::Rejected,
        admin,
        ""
    )
    .await
    .unwrap());
    tx.commit().await.unwrap();
    assert!(board::published(db, "2026-12-03", None)
        .await
        .unwrap()
        .is_empty());
}
