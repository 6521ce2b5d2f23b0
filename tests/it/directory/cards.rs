//! Directory cards: a provider's journey from sign-up to publication,
//! logos, taken identifiers, claims, and hand-edited URLs.

use super::*;

both_databases!(
    provider_signs_up_and_gets_published,
    taken_identifier_and_claim_of_an_imported_card,
    hand_edited_urls_and_claims_on_drafts,
);

/// A PNG of noise (so that it does not compress to nothing).
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut img = image::RgbaImage::new(width, height);
    let mut x: u32 = 12_345;
    for p in img.pixels_mut() {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        *p = image::Rgba([(x >> 16) as u8, (x >> 8) as u8, (x >> 24) as u8, 255]);
    }
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A JPEG of `width` × `height` pixels whose EXIF tag says to turn it
/// (`orientation` 6: 90° clockwise), as a phone camera writes it.
fn jpeg_with_orientation(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, _| image::Rgb([(x * 3) as u8, 90, 160]));
    let mut jpeg = std::io::Cursor::new(Vec::new());
    img.write_to(&mut jpeg, image::ImageFormat::Jpeg).unwrap();
    let jpeg = jpeg.into_inner();
    // APP1 "Exif": big-endian TIFF header, one IFD entry (0x0112 Orientation, SHORT).
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
    exif.extend_from_slice(&orientation.to_be_bytes());
    exif.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xff, 0xe1]);
    out.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&exif);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// Post a logo as the card form does (status and body; 0 if the server cut
/// the connection).
async fn post_logo(
    app: &TestApp,
    b: &Browser,
    id: i64,
    file_name: &str,
    mime: &str,
    bytes: Vec<u8>,
) -> (u16, String) {
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name(file_name.to_string())
        .mime_str(mime)
        .unwrap();
    let form = reqwest::multipart::Form::new().part("logo", part);
    let res = client()
        .post(app.url(&format!(
            "/prestataire/fiche/{id}/logo?csrf_token={}",
            b.csrf()
        )))
        .header("cookie", b.cookie_header())
        .multipart(form)
        .send()
        .await;
    match res {
        Ok(r) => {
            let status = r.status().as_u16();
            let location = r
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default();
            let body = r.text().await.unwrap_or_default();
            (status, if status == 303 { location } else { body })
        }
        Err(e) => (0, e.to_string()),
    }
}

/// The logo as served to everyone.
/// The logo as seen by a visitor holding `cookie` (empty: anonymous).
async fn logo_bytes(app: &TestApp, id: i64, cookie: &str) -> (u16, String, Vec<u8>) {
    fetch_bytes(app, &format!("/annuaire/{id}/logo"), cookie).await
}

async fn provider_signs_up_and_gets_published(app: &TestApp) {
    let email = "lucie@studio-estuaire.fr";
    let mut lucie = new_provider(app, email, "Lucie Garnier").await;
    let (status, html) = lucie.page("/prestataire").await;
    assert_eq!(status, 200);
    assert!(unescape(&html).contains("Vous n'avez pas encore de fiche"));
    let (status, html) = lucie.page("/prestataire/fiche/nouvelle").await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"legal_id\""));

    let vitrine = theme_id(app, "site-vitrine").await.to_string();
    let boutique = theme_id(app, "boutique-en-ligne").await.to_string();
    let siren = siren_from("81234599");
    let (status, location, body) = lucie
        .submit(
            "/prestataire/fiche/nouvelle",
            &[
                ("name", "Studio Estuaire"),
                ("country", "FR"),
                ("legal_id", &siren),
                ("kind", "Agence web"),
                (
                    "description",
                    "Création de sites internet et de boutiques pour les artisans de l'estuaire.",
                ),
                ("themes", &vitrine),
                ("themes", &boutique),
                ("territories", "FR-D33"),
                ("sectors", "47"),
                ("sizes", "0"),
                ("sizes", "1-9"),
                ("prices", "Site vitrine à partir de 1 200 € HT"),
                ("refs", "Boulangerie du Port, Blaye"),
                ("website", "studio-estuaire.fr"),
                ("email", email),
                ("phone", "05 57 00 00 00"),
                (
                    "social",
                    "https://www.linkedin.com/company/studio-estuaire\nwww.instagram.com/studio.estuaire",
                ),
                ("address", "3 quai de l'Estuaire"),
                ("postcode", "33000"),
                ("town", "Bordeaux"),
                ("commune_code", "FR-C33063"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert!(location.ends_with("?cree=1"), "{location}");
    let id = id_in(&location);
    assert_eq!(status_of(app, id).await, "draft");
    let (status, html) = lucie.page(&location).await;
    assert_eq!(status, 200);
    assert!(html.contains("Brouillon"));
    assert!(html.contains("La fiche est enregistrée en brouillon"));
    // Not public yet.
    let (status, _) = search(app, &format!("/annuaire/{id}")).await;
    assert_eq!(status, 404);
    let mut marie = Browser::signed_in(app, OWNER, PW).await;
    assert_eq!(marie.page(&format!("/annuaire/{id}")).await.0, 404);
    let (_, html) = search(app, &q("studio estuaire")).await;
    assert!(!ids(&hits(&html)).contains(&id));
    // Its keeper previews it.
    let (status, html) = lucie.page(&format!("/annuaire/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Brouillon"));
    let (_, mine) = lucie.page("/prestataire").await;
    assert!(mine.contains(&format!(
        "href=\"/prestataire/fiche/{id}\">Studio Estuaire</a>"
    )));

    // A real logo, shrunk to 256 px.
    let (status, _, _) = logo_bytes(app, id, &lucie.cookie_header()).await;
    assert_eq!(status, 404, "no logo yet");
    let (status, location) =
        post_logo(app, &lucie, id, "logo.png", "image/png", png(600, 400)).await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("/prestataire/fiche/{id}?logo=1").as_str())
    );
    let (_, html) = lucie.page(&location).await;
    assert!(html.contains("Le logo est en ligne."));
    let (status, _, _) = logo_bytes(app, id, "").await;
    assert_eq!(status, 404, "the logo of a draft card is not public");
    let (status, mime, logo) = logo_bytes(app, id, &lucie.cookie_header()).await;
    assert_eq!((status, mime.as_str()), (200, "image/png"));
    let img = image::load_from_memory(&logo).expect("the logo is an image");
    assert!(img.width() <= 256 && img.height() <= 256);
    assert_eq!(img.width(), 256);
    assert!((170..=171).contains(&img.height()), "{}", img.height());
    let version = model::get(&app.db, id).await.unwrap().unwrap().version;

    // Bad logos: clear messages, nothing changes.
    let text = b"Ceci n'est pas une image, seulement du texte.\n".to_vec();
    let (status, body) = post_logo(app, &lucie, id, "logo.png", "image/png", text).await;
    assert_eq!(status, 422);
    assert!(unescape(&body).contains("n'est pas une image"), "{body}");
    let big = png(1000, 800);
    assert!(big.len() > 3_000_000, "{}", big.len());
    let (status, body) = post_logo(app, &lucie, id, "grand.png", "image/png", big).await;
    assert!(status == 422 || status == 413, "{status} {body}");
    if status == 422 {
        assert!(unescape(&body).contains("dépasse 2 Mo"), "{body}");
    }
    let full = png(600, 400);
    let cut = full[..full.len() / 2].to_vec();
    let (status, body) = post_logo(app, &lucie, id, "coupe.png", "image/png", cut).await;
    assert_eq!(status, 422);
    assert!(unescape(&body).contains("abîmée"), "{body}");
    let (status, body) = post_logo(app, &lucie, id, "vide.png", "image/png", vec![]).await;
    assert_eq!(status, 422);
    assert!(body.contains("Choisissez une image."));
    let (_, _, after) = logo_bytes(app, id, &lucie.cookie_header()).await;
    assert_eq!(after, logo, "the logo is unchanged");
    let card = model::get(&app.db, id).await.unwrap().unwrap();
    assert_eq!((card.version, card.status.as_str()), (version, "draft"));
    // A phone photo stored sideways with an EXIF orientation tag is turned upright.
    let (status, _) = post_logo(
        app,
        &lucie,
        id,
        "photo.jpg",
        "image/jpeg",
        jpeg_with_orientation(80, 40, 6),
    )
    .await;
    assert_eq!(status, 303);
    let (_, _, upright) = logo_bytes(app, id, &lucie.cookie_header()).await;
    let img = image::load_from_memory(&upright).expect("the logo is an image");
    assert!(
        img.height() > img.width(),
        "{}x{}",
        img.width(),
        img.height()
    );
    assert_eq!(img.height(), 2 * img.width());
    // Somebody else's card: not found.
    let mut keeper = Browser::signed_in(app, KEEPER, PW).await;
    let (status, _) = post_logo(app, &keeper, id, "logo.png", "image/png", png(10, 10)).await;
    assert_eq!(status, 404);
    assert_eq!(
        keeper.page(&format!("/prestataire/fiche/{id}")).await.0,
        404
    );

    // Submitted: pending, and the programme team is told.
    let (status, location, _) = lucie
        .submit(&format!("/prestataire/fiche/{id}"), &[("action", "submit")])
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("/prestataire/fiche/{id}?soumise=1").as_str())
    );
    assert_eq!(status_of(app, id).await, "pending");
    let mail = mail_about(app, TEAM, "Fiche à valider : Studio Estuaire").await;
    assert!(mail.body_text.contains("/admin/annuaire"));
    assert_eq!(search(app, &format!("/annuaire/{id}")).await.0, 404);

    // The manager approves: published, and the keeper is told.
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (status, html) = admin.page("/admin/annuaire").await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("<a href=\"/annuaire/{id}\">Studio Estuaire</a>")));
    let (status, location, _) = admin
        .submit(
            "/admin/annuaire",
            &[("action", "approve"), ("id", &id.to_string()), ("note", "")],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/admin/annuaire?fait=approve")
    );
    let (_, html) = admin.page(&location).await;
    assert!(html.contains("La fiche est publiée"));
    assert_eq!(status_of(app, id).await, "published");
    let mail = mail_about(app, email, "Votre fiche « Studio Estuaire » est publiée").await;
    assert!(mail.body_text.contains(&format!("/prestataire/fiche/{id}")));

    // Public, with what the provider wrote.
    let (status, html) = search(app, &format!("/annuaire/{id}")).await;
    assert_eq!(status, 200);
    let text = unescape(&html);
    for part in [
        "Studio Estuaire",
        "Agence web",
        "Créer un site vitrine simple",
        "Gironde",
        "Site vitrine à partir de 1 200 € HT",
        "Boulangerie du Port, Blaye",
        "https://studio-estuaire.fr/",
        "https://www.instagram.com/studio.estuaire",
        "3 quai de l'Estuaire 33000 Bordeaux",
        "+33557000000",
        "Dernière mise à jour",
        "/annuaire/",
    ] {
        assert!(text.contains(part), "card shows {part}");
    }
    assert!(html.contains(&format!("src=\"/annuaire/{id}/logo\"")));

    // A business finds it by search and filters.
    for path in [
        q("studio estuaire"),
        q("boutiques"),
        q("SITE vitrine estuaire"),
        "/annuaire?theme=site-vitrine&territory=FR-D33&size=1-9&sector=47".to_string(),
        "/annuaire?q=agence%20web&territory=FR-C33063".to_string(),
    ] {
        let (status, html) = marie.page(&path).await;
        assert_eq!(status, 200);
        assert!(ids(&hits(&html)).contains(&id), "{path}");
    }
    let (_, html) = marie
        .page("/annuaire?q=studio%20estuaire&territory=FR-D40")
        .await;
    assert!(!ids(&hits(&html)).contains(&id));
    let (_, html) = marie
        .page("/annuaire?q=studio%20estuaire&size=50-249")
        .await;
    assert!(!ids(&hits(&html)).contains(&id));

    // Unpublished: gone from the directory until republished.
    let (status, _, _) = admin
        .submit(
            "/admin/annuaire",
            &[
                ("action", "unpublish"),
                ("id", &id.to_string()),
                ("note", "Fiche incomplète"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(search(app, &format!("/annuaire/{id}")).await.0, 404);
    let (_, html) = search(app, &q("studio estuaire")).await;
    assert!(!ids(&hits(&html)).contains(&id));
    let mail = mail_about(
        app,
        email,
        "Votre fiche « Studio Estuaire » est retirée de l'annuaire",
    )
    .await;
    assert!(mail.body_text.contains("Fiche incomplète"));
    let (status, _, _) = admin
        .submit(
            "/admin/annuaire",
            &[
                ("action", "republish"),
                ("id", &id.to_string()),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(search(app, &format!("/annuaire/{id}")).await.0, 200);
}

async fn taken_identifier_and_claim_of_an_imported_card(app: &TestApp) {
    let mut hugo = new_provider(app, "hugo@reseaux-medoc.fr", "Hugo Lambert").await;
    let owner = card_id(app, "Électriciens Connectés du Libournais").await;
    let taken = siren_from("81234568");
    let theme = theme_id(app, "travail-mobile").await.to_string();
    let before = app.count("SELECT COUNT(*) FROM providers").await;
    let (status, _, html) = hugo
        .submit(
            "/prestataire/fiche/nouvelle",
            &[
                ("name", "Réseaux du Médoc"),
                ("country", "FR"),
                ("legal_id", &taken),
                ("kind", "Installateur réseaux"),
                ("description", "Câblage et Wi-Fi pour les commerces."),
                ("themes", &theme),
                ("territories", "FR-D33"),
                ("website", "reseaux-medoc.fr"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("appartient déjà"));
    assert!(html.contains(&format!("href=\"/annuaire/{owner}\"")));
    assert_eq!(input_value(&html, "name"), "Réseaux du Médoc");
    assert_eq!(input_value(&html, "legal_id"), taken);
    assert_eq!(input_value(&html, "kind"), "Installateur réseaux");
    assert_eq!(input_value(&html, "website"), "reseaux-medoc.fr");
    assert!(html.contains("Câblage et Wi-Fi pour les commerces."));
    assert!(html.contains(&format!("value=\"{theme}\" checked")));
    assert_eq!(app.count("SELECT COUNT(*) FROM providers").await, before);

    // The same number written with spaces is the same identifier.
    let spaced = format!("{} {} {}", &taken[..3], &taken[3..6], &taken[6..]);
    let (status, _, html) = hugo
        .submit(
            "/prestataire/fiche/nouvelle",
            &[
                ("name", "Réseaux du Médoc"),
                ("country", "FR"),
                ("legal_id", &spaced),
                ("themes", &theme),
                ("territories", "FR-D33"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("appartient déjà"));

    // Editing a card to take another's identifier is refused too.
    let mut keeper = Browser::signed_in(app, KEEPER, PW).await;
    let pixel = card_id(app, "Atelier Pixel Garonne").await;
    let (_, form) = keeper.page(&format!("/prestataire/fiche/{pixel}")).await;
    let version = input_value(&form, "version");
    let vitrine = theme_id(app, "site-vitrine").await.to_string();
    let (status, _, html) = keeper
        .submit(
            &format!("/prestataire/fiche/{pixel}"),
            &[
                ("action", "save"),
                ("version", &version),
                ("name", "Atelier Pixel Garonne"),
                ("country", "FR"),
                ("legal_id", &taken),
                ("themes", &vitrine),
                ("territories", "FR-D33"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("appartient déjà"));
    assert_eq!(input_value(&html, "legal_id"), taken);
    assert_eq!(
        model::get(&app.db, pixel)
            .await
            .unwrap()
            .unwrap()
            .legal_id_display()
            .replace(' ', ""),
        siren_from("81234567")
    );

    // An imported card has no keeper: Hugo asks to manage it.
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let csv = "name,type,address,postcode,town,region,website\n\
               Réseaux Médoc Services,Installateur réseaux,2 rue du Port,33340,Lesparre-Médoc,Nouvelle-Aquitaine,www.reseaux-medoc.fr\n";
    let (status, html) = admin
        .upload(
            "/admin/annuaire/import",
            "file",
            "annuaire.csv",
            csv.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("1 fiche importée."));
    let imported = card_id(app, "Réseaux Médoc Services").await;
    let (status, html) = hugo.page(&format!("/annuaire/{imported}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("action=\"/annuaire/{imported}/revendiquer\"")));
    let (status, location, _) = hugo
        .submit(
            &format!("/annuaire/{imported}/revendiquer"),
            &[("message", "Je suis le gérant, joignable au 05 56 00 00 00.")],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (
            303,
            format!("/annuaire/{imported}?revendication=1").as_str()
        )
    );
    let (_, html) = hugo.page(&location).await;
    assert!(unescape(&html).contains("Votre demande est envoyée"));
    assert!(!html.contains(&format!("action=\"/annuaire/{imported}/revendiquer\"")));
    // Asking twice keeps one request.
    hugo.submit(
        &format!("/annuaire/{imported}/revendiquer"),
        &[("message", "Encore")],
    )
    .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM provider_claims WHERE provider_id = {imported} AND status = 'pending'"
        ))
        .await,
        1
    );
    // Not his yet.
    assert_eq!(
        hugo.page(&format!("/prestataire/fiche/{imported}")).await.0,
        404
    );

    let (_, html) = admin.page("/admin/annuaire").await;
    assert!(html.contains("hugo@reseaux-medoc.fr"));
    assert!(html.contains("Je suis le gérant, joignable au 05 56 00 00 00."));
    let claim: i64 = sqlx::query_scalar("SELECT id FROM provider_claims WHERE provider_id = $1")
        .bind(imported)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let (status, location, _) = admin
        .submit(
            "/admin/annuaire",
            &[("action", "claim-approve"), ("id", &claim.to_string())],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/admin/annuaire?fait=claim-approve")
    );
    mail_about(
        app,
        "hugo@reseaux-medoc.fr",
        "Vous gérez la fiche « Réseaux Médoc Services »",
    )
    .await;

    // Hugo sees and edits it.
    let (status, mine) = hugo.page("/prestataire").await;
    assert_eq!(status, 200);
    assert!(mine.contains(&format!(
        "href=\"/prestataire/fiche/{imported}\">Réseaux Médoc Services</a>"
    )));
    let (status, form) = hugo.page(&format!("/prestataire/fiche/{imported}")).await;
    assert_eq!(status, 200);
    assert_eq!(input_value(&form, "name"), "Réseaux Médoc Services");
    let version = input_value(&form, "version");
    let own = siren_from("81234588");
    let (status, location, body) = hugo
        .submit(
            &format!("/prestataire/fiche/{imported}"),
            &[
                ("action", "save"),
                ("version", &version),
                ("name", "Réseaux Médoc Services"),
                ("country", "FR"),
                ("legal_id", &own),
                ("kind", "Installateur réseaux"),
                (
                    "description",
                    "Câblage, fibre et Wi-Fi pour les commerces du Médoc.",
                ),
                ("themes", &theme),
                ("territories", "FR-D33"),
                ("website", "www.reseaux-medoc.fr"),
                ("postcode", "33340"),
                ("town", "Lesparre-Médoc"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        location,
        format!("/prestataire/fiche/{imported}?enregistre=1")
    );
    let (_, html) = search(app, &format!("/annuaire/{imported}")).await;
    assert!(html.contains("Câblage, fibre et Wi-Fi pour les commerces du Médoc."));
    let (_, html) = search(app, &q("fibre medoc")).await;
    assert!(ids(&hits(&html)).contains(&imported));
    // The old version number is refused: someone saved since.
    let (status, _, html) = hugo
        .submit(
            &format!("/prestataire/fiche/{imported}"),
            &[
                ("action", "save"),
                ("version", &version),
                ("name", "Réseaux Médoc Services bis"),
                ("country", "FR"),
                ("legal_id", &own),
                ("themes", &theme),
                ("territories", "FR-D33"),
            ],
        )
        .await;
    assert_eq!(status, 409);
    assert!(html.contains("Réseaux Médoc Services bis"));
}

/// A URL edited by hand shows page 1 rather than an error; only a
/// published card can be claimed.
async fn hand_edited_urls_and_claims_on_drafts(app: &TestApp) {
    for path in [
        "/annuaire?page=",
        "/annuaire?page=abc",
        "/annuaire?page=1.5",
        "/annuaire?q=site&q=web",
        "/ateliers?page=abc",
        "/ateliers?theme=a&theme=b",
        "/api/v1/workshops?page=x",
    ] {
        let res = client().get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
    }
    let pending: i64 = app
        .count("SELECT id FROM providers WHERE status = 'pending' ORDER BY id LIMIT 1")
        .await;
    let mut keeper = Browser::signed_in(app, KEEPER, PW).await;
    let (status, _, _) = keeper
        .submit(
            &format!("/annuaire/{pending}/revendiquer"),
            &[("message", "c'est moi")],
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(app.count("SELECT COUNT(*) FROM provider_claims").await, 0);
}
