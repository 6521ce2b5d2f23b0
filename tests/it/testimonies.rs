//! Testimonies: staff write them; the public sees only published ones whose
//! consent is recorded (else 404), in French and English, filtered by theme;
//! a video link must be https (javascript: refused, what was typed kept); a
//! closed follow-up file gives the before/after maturity score; a photo is
//! checked by content and shown only with the photo consent; published
//! testimonies reach the API, the search and the open data.

use crate::both_databases;
use crate::builders;
use crate::harness::{client, fetch_bytes, fetch_json, Browser, TestApp, PW};

both_databases!(
    only_published_testimonies_with_consent_are_shown,
    a_video_link_must_be_https_and_nothing_typed_is_lost,
    a_closed_file_gives_the_before_after_score,
    a_photo_is_checked_and_shown_only_with_its_consent,
    a_bad_photo_is_refused_in_english_too,
    published_testimonies_reach_the_api_search_and_open_data
);

const ADMIN: &str = "responsable@tremplin-demo.fr";

/// The id in a `/admin/temoignages/{id}?enregistre=1` redirection.
fn saved_id(location: &str) -> i64 {
    location
        .trim_start_matches("/admin/temoignages/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("not a saved testimony: {location}"))
}

async fn a_theme(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT slug FROM themes WHERE archived = 0 ORDER BY slug LIMIT 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn public_status(path: &str, app: &TestApp) -> u16 {
    client()
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn only_published_testimonies_with_consent_are_shown(app: &TestApp) {
    let theme = a_theme(app).await;
    let mut staff = Browser::signed_in(app, ADMIN, PW).await;
    let ledger_before = app
        .count("SELECT COUNT(*) FROM consent_ledger WHERE purpose = 'testimony'")
        .await;
    // Published but no consent recorded: saved, yet not shown.
    let (status, location, _) = staff
        .submit(
            "/admin/temoignages/nouveau",
            &[
                ("author_name", "Marie Dupont"),
                ("title", "Mon fournil en ligne"),
                ("locale", "fr"),
                (
                    "body",
                    "Grâce au programme, mes clients commandent leur pain en ligne.\n\nJe gagne une heure par jour.",
                ),
                ("themes", &theme),
                ("status", "published"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let id = saved_id(&location);
    assert_eq!(public_status(&format!("/temoignages/{id}"), app).await, 404);
    let (_, html) = staff.page(&format!("/admin/temoignages/{id}")).await;
    assert!(html.contains("id=\"not-visible\""), "{html}");
    let (_, html) = staff.page("/admin/temoignages").await;
    assert!(html.contains("data-no-consent=\"1\""));

    // A draft with consent: not shown either.
    let (status, location, _) = staff
        .submit(
            "/admin/temoignages/nouveau",
            &[
                ("author_name", "Karim Benali"),
                ("title", "Brouillon pas encore relu"),
                ("locale", "fr"),
                ("body", "Un texte encore en cours de relecture."),
                ("consent", "1"),
                ("consent_by", "karim@example.fr"),
                ("status", "draft"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let draft = saved_id(&location);
    assert_eq!(
        public_status(&format!("/temoignages/{draft}"), app).await,
        404
    );

    // Recording the consent on the first one publishes it.
    let (status, _, _) = staff
        .submit(
            &format!("/admin/temoignages/{id}"),
            &[
                ("author_name", "Marie Dupont"),
                ("title", "Mon fournil en ligne"),
                ("locale", "fr"),
                (
                    "body",
                    "Grâce au programme, mes clients commandent leur pain en ligne.\n\nJe gagne une heure par jour.",
                ),
                ("themes", &theme),
                ("consent", "1"),
                ("consent_by", "Marie@Boulangerie-Dupont.fr"),
                ("status", "published"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM consent_ledger WHERE purpose = 'testimony'")
            .await,
        ledger_before + 2,
        "each consent is in the ledger"
    );
    let (status, html) = Browser::new(app)
        .await
        .page(&format!("/temoignages/{id}"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Témoignage de Marie Dupont"), "{html}");
    assert!(html.contains("<p>Je gagne une heure par jour.</p>"));
    assert!(!html.contains("Brouillon pas encore relu"));
    // In English.
    let mut visitor = Browser::new(app).await;
    visitor
        .get(&format!("/lang/en?next=/temoignages/{id}"))
        .await;
    let (status, html) = visitor.page(&format!("/temoignages/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Testimony of Marie Dupont"), "{html}");
    let (_, html) = visitor.page("/temoignages").await;
    assert!(html.contains("1 testimony"), "{html}");

    // The list: only the visible one, and the theme filter.
    let (_, html) = Browser::new(app).await.page("/temoignages").await;
    assert!(html.contains(&format!("data-testimony=\"{id}\"")));
    assert!(!html.contains(&format!("data-testimony=\"{draft}\"")));
    let (_, html) = Browser::new(app)
        .await
        .page(&format!("/temoignages?theme={theme}"))
        .await;
    assert!(html.contains(&format!("data-testimony=\"{id}\"")));
    let (_, html) = Browser::new(app)
        .await
        .page("/temoignages?theme=no-such-theme")
        .await;
    assert!(html.contains("id=\"testimonies-none\""));
    // The guides list leads here.
    let (_, html) = Browser::new(app).await.page("/fiches").await;
    assert!(html.contains("href=\"/temoignages\""));

    // Saving from a stale editor: refused, nothing overwritten.
    let (status, _, html) = staff
        .submit(
            &format!("/admin/temoignages/{id}"),
            &[
                ("author_name", "Marie Dupont"),
                ("title", "Titre d'un éditeur en retard"),
                ("locale", "fr"),
                ("body", "Un texte d'un éditeur en retard sur la version."),
                ("consent", "1"),
                ("consent_by", "marie@boulangerie-dupont.fr"),
                ("status", "published"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("id=\"stale\""));
    assert!(
        html.contains("Titre d&#39;un éditeur en retard")
            || html.contains("Titre d&#x27;un éditeur en retard"),
        "{html}"
    );

    // Withdrawing the consent hides it again.
    let (status, _, _) = staff
        .submit(
            &format!("/admin/temoignages/{id}"),
            &[
                ("author_name", "Marie Dupont"),
                ("title", "Mon fournil en ligne"),
                ("locale", "fr"),
                (
                    "body",
                    "Grâce au programme, mes clients commandent en ligne.",
                ),
                ("consent_by", "marie@boulangerie-dupont.fr"),
                ("status", "published"),
                ("version", "2"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(public_status(&format!("/temoignages/{id}"), app).await, 404);

    // Visitors and business owners cannot reach the editor.
    let (status, _) = Browser::new(app).await.page("/admin/temoignages").await;
    assert_ne!(status, 200);
}

async fn a_video_link_must_be_https_and_nothing_typed_is_lost(app: &TestApp) {
    let mut staff = Browser::signed_in(app, ADMIN, PW).await;
    for (link, expected) in [
        (
            "javascript:alert(document.cookie)",
            "doit commencer par https://",
        ),
        (
            "http://video.example.org/v/1",
            "doit commencer par https://",
        ),
        ("video.example.org/v/1", "pas une adresse web valide"),
    ] {
        let before = app.count("SELECT COUNT(*) FROM testimonies").await;
        let (status, _, html) = staff
            .submit(
                "/admin/temoignages/nouveau",
                &[
                    ("author_name", "Paul Martin"),
                    ("title", "Ma vidéo de témoignage"),
                    ("locale", "fr"),
                    ("body", "Le texte que j'ai mis longtemps à écrire."),
                    ("video_url", link),
                    ("transcript", "Bonjour, je suis Paul."),
                    ("consent", "1"),
                    ("consent_by", "paul@example.fr"),
                    ("status", "published"),
                    ("version", "0"),
                ],
            )
            .await;
        assert_eq!(status, 422, "{link}");
        assert!(html.contains(expected), "{link}: {html}");
        assert!(html.contains("Bonjour, je suis Paul."));
        assert!(html.contains("longtemps à écrire"));
        assert_eq!(app.count("SELECT COUNT(*) FROM testimonies").await, before);
    }
    // A video without its transcript is refused too.
    let (status, _, html) = staff
        .submit(
            "/admin/temoignages/nouveau",
            &[
                ("author_name", "Paul Martin"),
                ("title", "Ma vidéo de témoignage"),
                ("locale", "fr"),
                ("body", "Le texte que j'ai mis longtemps à écrire."),
                ("video_url", "https://video.example.org/v/1"),
                ("status", "draft"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Ajoutez la transcription"), "{html}");
    // An https link with its transcript is kept and shown with the transcript.
    let (status, location, _) = staff
        .submit(
            "/admin/temoignages/nouveau",
            &[
                ("author_name", "Paul Martin"),
                ("title", "Ma vidéo de témoignage"),
                ("locale", "fr"),
                ("body", "Le texte que j'ai mis longtemps à écrire."),
                ("video_url", "https://video.example.org/v/1"),
                ("transcript", "Bonjour, je suis Paul."),
                ("consent", "1"),
                ("consent_by", "paul@example.fr"),
                ("photo_consent", "1"),
                ("status", "published"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let id = saved_id(&location);
    let (status, html) = Browser::new(app)
        .await
        .page(&format!("/temoignages/{id}"))
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("href=\"https://video.example.org/v/1\""),
        "{html}"
    );
    assert!(html.contains("id=\"transcript\""));
    assert!(!html.contains("javascript:"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM consent_ledger WHERE purpose = 'photo' AND email = 'paul@example.fr'")
            .await,
        1
    );
}

async fn a_closed_file_gives_the_before_after_score(app: &TestApp) {
    let now = tremplin::db::now_ms();
    let biz = builders::business("Fromagerie Leroy")
        .size("0")
        .create(app)
        .await;
    for (at, overall) in [(now - 90_000_000, 31.0_f64), (now - 1_000, 64.0)] {
        builders::diagnostic(biz)
            .full()
            .overall(overall)
            .at(at)
            .create(app)
            .await;
    }
    builders::case(biz)
        .opened_at(now - 80_000_000)
        .closed_at(now)
        .create(app)
        .await;
    let mut staff = Browser::signed_in(app, ADMIN, PW).await;
    let (status, location, _) = staff
        .submit(
            "/admin/temoignages/nouveau",
            &[
                ("business", &biz.to_string()),
                ("author_name", "Lucie Leroy"),
                ("title", "Ma fromagerie sur internet"),
                ("locale", "fr"),
                ("body", "Mon site est enfin à jour et je vends en ligne."),
                ("consent", "1"),
                ("consent_by", "lucie@example.fr"),
                ("status", "published"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let id = saved_id(&location);
    let (status, html) = Browser::new(app)
        .await
        .page(&format!("/temoignages/{id}"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Fromagerie Leroy"));
    assert!(
        html.contains("31/100 avant l&#39;accompagnement, 64/100 après")
            || html.contains("31/100 avant l&#x27;accompagnement, 64/100 après"),
        "{html}"
    );
    // Without a closed file there is no score.
    let (status, location, _) = staff
        .submit(
            "/admin/temoignages/nouveau",
            &[
                ("author_name", "Sans Dossier"),
                ("title", "Un témoignage sans dossier"),
                ("locale", "fr"),
                ("body", "Je suis venue à un atelier, c'était utile."),
                ("consent", "1"),
                ("consent_by", "sans@example.fr"),
                ("status", "published"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (_, html) = Browser::new(app)
        .await
        .page(&format!("/temoignages/{}", saved_id(&location)))
        .await;
    assert!(!html.contains("id=\"maturity\""));
}

/// A picture of `w`×`h` pixels in `format`.
fn picture(w: u32, h: u32, format: image::ImageFormat) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// The fields of a published testimony with both consents, `title` as typed.
fn photo_form(title: &str, photo_consent: bool) -> Vec<(&str, &str)> {
    let mut f = vec![
        ("author_name", "Marie Dupont"),
        ("title", title),
        ("locale", "fr"),
        (
            "body",
            "Le texte que j'ai mis longtemps à écrire sur mon fournil.",
        ),
        ("consent", "1"),
        ("consent_by", "marie@example.fr"),
        ("status", "published"),
        ("version", "0"),
    ];
    if photo_consent {
        f.push(("photo_consent", "1"));
    }
    f
}

/// Status, type and bytes of a testimony's public photo.
async fn public_photo(app: &TestApp, id: i64) -> (u16, String, Vec<u8>) {
    fetch_bytes(app, &format!("/temoignages/{id}/photo"), "").await
}

/// `form` with its version set to `version`.
fn at_version<'a>(form: &[(&'a str, &'a str)], version: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut f: Vec<_> = form
        .iter()
        .filter(|(k, _)| *k != "version")
        .copied()
        .collect();
    f.push(("version", version));
    f
}

async fn a_photo_is_checked_and_shown_only_with_its_consent(app: &TestApp) {
    let mut staff = Browser::signed_in(app, ADMIN, PW).await;
    let (_, html) = staff.page("/admin/temoignages/nouveau").await;
    assert!(html.contains("enctype=\"multipart/form-data\""), "{html}");
    assert!(html.contains("id=\"photo\""));

    // Refused, each with its message, the typed text kept and nothing stored.
    let not_image = b"Ceci n'est pas une photo, seulement du texte.".to_vec();
    let mut too_large = vec![0xFF, 0xD8, 0xFF, 0xE0];
    too_large.resize(5 * 1024 * 1024 + 10_000, 0);
    let mut broken = picture(300, 200, image::ImageFormat::Png);
    broken.truncate(broken.len() / 2);
    for (consent, file, bytes, expected) in [
        (
            true,
            "portrait.jpg",
            not_image,
            "n'est pas une photo JPEG, PNG ou WebP",
        ),
        (true, "portrait.jpg", too_large, "dépasse 5 Mo"),
        (true, "portrait.png", broken, "abîmée ou illisible"),
        (
            false,
            "portrait.png",
            picture(40, 40, image::ImageFormat::Png),
            "accepté la publication de sa photo",
        ),
    ] {
        let before = app.count("SELECT COUNT(*) FROM testimonies").await;
        let (status, _, html) = staff
            .submit_with_file(
                "/admin/temoignages/nouveau",
                &photo_form("Un titre tapé avec soin", consent),
                ("photo", file, "image/jpeg"),
                bytes,
            )
            .await;
        assert_eq!(status, 422, "{expected}");
        let text = html.replace("&#39;", "'").replace("&#x27;", "'");
        assert!(text.contains(expected), "{expected}: {html}");
        assert!(html.contains("id=\"photo-error\""));
        assert!(html.contains("value=\"Un titre tapé avec soin\""));
        assert!(text.contains("longtemps à écrire sur mon fournil"));
        assert_eq!(app.count("SELECT COUNT(*) FROM testimonies").await, before);
    }

    // A WebP portrait with both consents: stored re-encoded, shown with its alt text.
    let (status, location, html) = staff
        .submit_with_file(
            "/admin/temoignages/nouveau",
            &photo_form("Mon fournil en photo", true),
            ("photo", "portrait.webp", "image/webp"),
            picture(1000, 750, image::ImageFormat::WebP),
        )
        .await;
    assert_eq!(status, 303, "{html}");
    let id = saved_id(&location);
    let (status, html) = Browser::new(app)
        .await
        .page(&format!("/temoignages/{id}"))
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!(
            "src=\"/temoignages/{id}/photo\" alt=\"Portrait de Marie Dupont\""
        )),
        "{html}"
    );
    let (_, html) = Browser::new(app).await.page("/temoignages").await;
    assert!(html.contains(&format!("data-photo=\"{id}\"")), "{html}");
    let (status, mime, bytes) = public_photo(app, id).await;
    assert_eq!((status, mime.as_str()), (200, "image/jpeg"));
    let img = image::load_from_memory(&bytes).expect("a picture");
    assert_eq!((img.width(), img.height()), (800, 600));

    // The editor shows it stored; saving without a new file keeps it.
    let (_, html) = staff.page(&format!("/admin/temoignages/{id}")).await;
    assert!(html.contains("id=\"photo-stored\""), "{html}");
    let again = at_version(&photo_form("Mon fournil en photo", true), "1");
    let (status, _, _) = staff
        .submit(&format!("/admin/temoignages/{id}"), &again)
        .await;
    assert_eq!(status, 303);
    assert_eq!(public_photo(app, id).await.0, 200);

    // Back to draft: the photo is no longer served.
    let mut draft = at_version(&again, "2");
    draft.retain(|(k, _)| *k != "status");
    draft.push(("status", "draft"));
    let (status, _, _) = staff
        .submit(&format!("/admin/temoignages/{id}"), &draft)
        .await;
    assert_eq!(status, 303);
    assert_eq!(public_photo(app, id).await.0, 404);

    // Published again without the photo consent: the text shows, the photo
    // is gone (deleted, not only hidden).
    let no_photo = at_version(&photo_form("Mon fournil en photo", false), "3");
    let (status, _, _) = staff
        .submit(&format!("/admin/temoignages/{id}"), &no_photo)
        .await;
    assert_eq!(status, 303);
    let (status, html) = Browser::new(app)
        .await
        .page(&format!("/temoignages/{id}"))
        .await;
    assert_eq!(status, 200);
    assert!(!html.contains("/photo\""), "{html}");
    assert_eq!(public_photo(app, id).await.0, 404);
    let (_, html) = staff.page(&format!("/admin/temoignages/{id}")).await;
    assert!(!html.contains("id=\"photo-stored\""));
    // Visitors never reach the editor's copy.
    let (status, _) = Browser::new(app)
        .await
        .page(&format!("/admin/temoignages/{id}/photo"))
        .await;
    assert_ne!(status, 200);
}

async fn a_bad_photo_is_refused_in_english_too(app: &TestApp) {
    let mut staff = Browser::signed_in(app, ADMIN, PW).await;
    staff.get("/lang/en?next=/admin/temoignages/nouveau").await;
    for (consent, bytes, expected) in [
        (
            true,
            b"%PDF-1.4 not a photo".to_vec(),
            "not a JPEG, PNG or WebP photo",
        ),
        (
            false,
            picture(20, 20, image::ImageFormat::Jpeg),
            "agreed to its publication",
        ),
    ] {
        let (status, _, html) = staff
            .submit_with_file(
                "/admin/temoignages/nouveau",
                &photo_form("A title typed with care", consent),
                ("photo", "me.jpg", "image/jpeg"),
                bytes,
            )
            .await;
        assert_eq!(status, 422);
        assert!(html.contains(expected), "{expected}: {html}");
        assert!(html.contains("value=\"A title typed with care\""));
    }
}

async fn published_testimonies_reach_the_api_search_and_open_data(app: &TestApp) {
    let biz = builders::business("Boulangerie du Port").create(app).await;
    let shown = builders::testimony(biz, "marie@boulangerie-du-port.fr")
        .title("Mon fournil connecté")
        .picture(picture(30, 20, image::ImageFormat::Jpeg))
        .published()
        .create(app)
        .await;
    let draft = builders::testimony(biz, "marie@boulangerie-du-port.fr")
        .title("Fournil en brouillon")
        .create(app)
        .await;
    let no_consent = builders::testimony(biz, "marie@boulangerie-du-port.fr")
        .title("Fournil sans accord")
        .without_consent()
        .published()
        .create(app)
        .await;

    // The API: only the published one with consent, never who consented.
    let (status, _, items) = fetch_json(app, "/api/v1/testimonies", "fr").await;
    assert_eq!(status, 200);
    let ids: Vec<i64> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert!(ids.contains(&shown), "{items}");
    assert!(
        !ids.contains(&draft) && !ids.contains(&no_consent),
        "{items}"
    );
    let item = items
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == shown)
        .unwrap();
    assert_eq!(item["title"], "Mon fournil connecté");
    assert_eq!(item["business"], "Boulangerie du Port");
    assert!(item["photo_url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/temoignages/{shown}/photo")));
    assert!(!items.to_string().contains("marie@boulangerie-du-port.fr"));
    let (_, _, doc) = fetch_json(app, "/api/v1/openapi.json", "fr").await;
    assert!(doc["paths"]["/api/v1/testimonies"]["get"].is_object());

    // The one search box.
    let (_, html) = Browser::new(app).await.page("/recherche?q=fournil").await;
    let section = &html[html
        .find("data-kind=\"testimonies\"")
        .unwrap_or_else(|| panic!("{html}"))..];
    let section = &section[..section.find("</section>").unwrap()];
    assert!(
        section.contains(&format!("href=\"/temoignages/{shown}\"")),
        "{section}"
    );
    assert!(section.contains("Boulangerie du Port"));
    assert!(!section.contains(&format!("/temoignages/{draft}\"")));
    assert!(!section.contains(&format!("/temoignages/{no_consent}\"")));

    // Open data: listed in the catalogue, as JSON and CSV.
    let (_, html) = Browser::new(app).await.page("/donnees-ouvertes").await;
    assert!(html.contains("data-dataset=\"testimonies\""), "{html}");
    assert!(html.contains("href=\"/donnees-ouvertes/temoignages.csv\""));
    let (_, _, json) = fetch_json(app, "/donnees-ouvertes/temoignages.json", "fr").await;
    assert_eq!(json["dataset"], "testimonies");
    assert!(json["licence"]["id"].is_string());
    let ids: Vec<i64> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![shown]);
    let (_, mime, csv) = fetch_bytes(app, "/donnees-ouvertes/temoignages.csv", "").await;
    assert!(mime.starts_with("text/csv"), "{mime}");
    let csv = String::from_utf8(csv).unwrap();
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("id;title;author;business;"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 1, "{csv}");
    assert!(rows[0].starts_with(&format!("{shown};")));
    assert!(rows[0].contains("Mon fournil connecté"));
    assert!(!csv.contains("marie@boulangerie-du-port.fr"));
}
