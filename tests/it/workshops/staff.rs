//! Workshops: managers create, edit and cancel sessions; exports; who may
//! open which page.

use super::*;

both_databases!(
    exports_hold_registrants_and_attendance,
    managers_create_edit_and_cancel_sessions_and_registrants_are_told,
    workshop_pages_respect_roles,
);

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
