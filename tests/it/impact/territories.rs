//! Impact dashboard: maps, the EDIH export, partners, territories added.

use super::*;

both_databases!(
    new_caledonia_has_its_map_of_provinces,
    the_edih_export_counts_businesses_by_support_type,
    a_partner_reads_only_what_it_brought,
    territories_added_or_renamed_show_on_the_next_dashboard,
);

/// A business in New Caledonia shades its province on a map of its own,
/// beside France's departments, with the outlines credited.
async fn new_caledonia_has_its_map_of_provinces(app: &TestApp) {
    let (p, _) = seed(app, "noumea").await;
    let commune = scalar_text(
        app,
        "SELECT code FROM territories WHERE level = 'commune' AND parent_code = 'NC-PS' ORDER BY code LIMIT 1",
    )
    .await;
    let theme = scalar_text(app, "SELECT slug FROM themes ORDER BY id LIMIT 1").await;
    let session = builders::session(&theme)
        .starts_at(now_ms() - 7 * DAY)
        .create(app)
        .await;
    for n in 0..2 {
        let b = builders::business(&format!("Nouméa {p} n{n}"))
            .commune(&commune)
            .partner(p)
            .create(app)
            .await;
        builders::attendee(session, &format!("nc{n}@noumea.test"))
            .business(b)
            .create(app)
            .await;
    }
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (status, html) = admin
        .page(&format!("/tableau-de-bord?partenaire={p}"))
        .await;
    assert_eq!(status, 200);
    let map = html
        .split("id=\"map-provinces\"")
        .nth(1)
        .expect("the map of provinces");
    let map = map.split("</svg>").next().unwrap();
    assert!(map.contains("<title>Province Sud — 2</title>"), "{map}");
    assert_eq!(map.matches(" data-code=").count(), 3);
    let north = map.split("data-code=\"NC-PN\"").next().unwrap();
    assert!(north[north.rfind("<path").unwrap()..].contains("fill=\"#f1f1f1\""));
    assert!(html.contains("Natural Earth"));
    // France's map is still there for the seven in Gironde.
    assert!(html.contains("id=\"map-departments\""));
    // A funder sees a province under five businesses hatched, not counted.
    let mut funder = Browser::signed_in(app, FUNDER, PW).await;
    let (_, html) = funder
        .page(&format!("/tableau-de-bord?partenaire={p}"))
        .await;
    let map = html.split("id=\"map-provinces\"").nth(1).unwrap();
    let map = map.split("</svg>").next().unwrap();
    let south = map.split("data-code=\"NC-PS\"").next().unwrap();
    assert!(south[south.rfind("<path").unwrap()..].contains("url(#hidden)"));
    assert!(!map.contains("Province Sud — 2"));
}

async fn the_edih_export_counts_businesses_by_support_type(app: &TestApp) {
    let (p, _) = seed(app, "edih").await;
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (_, html) = admin.page("/tableau-de-bord").await;
    assert!(html.contains("id=\"export-edih\""), "linked from the page");
    let res = admin
        .get(&format!("/tableau-de-bord/edih.xlsx?partenaire={p}"))
        .await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.headers()["content-type"].to_str().unwrap(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = res.bytes().await.unwrap();
    let served = xlsx_sheet(&bytes, 0);
    assert_eq!(
        served[0],
        [
            "Type de service",
            "Code du service",
            "Ventilation",
            "Groupe",
            "Entreprises"
        ]
    );
    // Seven businesses served in all, each once although the first came
    // to two workshops and took two diagnostics.
    assert_eq!(edih_value(&served, "all", "Total", ""), "7");
    // Diagnostics (the first and the seventh) and a file (the second).
    assert_eq!(edih_value(&served, "test-before-invest", "Total", ""), "3");
    assert_eq!(edih_value(&served, "skills-and-training", "Total", ""), "6");
    assert_eq!(
        edih_value(&served, "support-to-find-investment", "Total", ""),
        "1"
    );
    assert_eq!(
        edih_value(&served, "innovation-ecosystem-and-networking", "Total", ""),
        "0"
    );
    // By region: all in Gironde, so in Nouvelle-Aquitaine.
    assert_eq!(
        edih_value(&served, "all", "Par région", "Nouvelle-Aquitaine"),
        "7"
    );
    // By NACE section: three and four, under the section's letter.
    let sections: Vec<&Vec<String>> = served
        .iter()
        .filter(|r| r[1] == "all" && r[2] == "Par section NACE")
        .collect();
    assert_eq!(sections.len(), 2, "{sections:?}");
    assert!(
        sections.iter().all(|r| r[3][1..].starts_with(" — ")),
        "{sections:?}"
    );
    let mut counts: Vec<&str> = sections.iter().map(|r| r[4].as_str()).collect();
    counts.sort();
    assert_eq!(counts, ["3", "4"]);
    // The DMA sheet: the first business went from 40 to 60 on the first
    // dimension, named as the DMA names it.
    let dma = xlsx_sheet(&bytes, 1);
    assert_eq!(dma[0][0], "Dimension DMA");
    let first = &dma[1];
    assert_eq!(first[0], "Stratégie numérique de l'entreprise", "{dma:?}");
    assert_eq!(&first[2..], ["1", "40", "60", "20"], "{dma:?}");
    // A funder gets the same export with the small cells hidden.
    let mut funder = Browser::signed_in(app, FUNDER, PW).await;
    let res = funder
        .get(&format!("/tableau-de-bord/edih.xlsx?partenaire={p}"))
        .await;
    assert_eq!(res.status().as_u16(), 200);
    let bytes = res.bytes().await.unwrap();
    let served = xlsx_sheet(&bytes, 0);
    assert_eq!(edih_value(&served, "skills-and-training", "Total", ""), "6");
    assert_eq!(
        edih_value(&served, "test-before-invest", "Total", ""),
        "< 5"
    );
    let dma = xlsx_sheet(&bytes, 1);
    assert_eq!(&dma[1][2..], ["< 5", "", "", ""], "{dma:?}");
    // In English.
    funder.cookies.insert("tremplin_lang".into(), "en".into());
    let res = funder.get("/tableau-de-bord/edih.xlsx").await;
    let served = xlsx_sheet(&res.bytes().await.unwrap(), 0);
    assert_eq!(served[0][0], "Service type");
    assert!(served.iter().any(|r| r[2] == "By NACE section"));
    // Nobody else.
    let mut anonymous = Browser::new(app).await;
    let res = anonymous.get("/tableau-de-bord/edih.xlsx").await;
    assert_ne!(res.status().as_u16(), 200);
}

async fn a_partner_reads_only_what_it_brought(app: &TestApp) {
    let (p, _) = seed(app, "scope").await;
    let partner_name = scalar_text(app, &format!("SELECT name FROM partners WHERE id = {p}")).await;
    let funder_id = scalar_i64(
        app,
        &format!("SELECT id FROM users WHERE email = '{FUNDER}'"),
    )
    .await;
    let mut funder = Browser::signed_in(app, FUNDER, PW).await;
    let (_, html) = funder.page("/tableau-de-bord").await;
    let whole: i64 = row_value(&html, "aware").parse().unwrap();
    assert!(whole > 6, "the demo's own businesses count too: {whole}");
    assert!(!html.contains("id=\"partner-scope\""));

    // The manager limits the funder's account to what the partner brought.
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (_, team) = admin.page("/admin/equipe").await;
    assert!(
        team.contains(&format!("data-scope=\"{funder_id}\"")),
        "{team}"
    );
    let (status, _, html) = admin
        .submit(
            "/admin/equipe/perimetre",
            &[
                ("user_id", &funder_id.to_string()),
                ("partner_id", &p.to_string()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("ne lit plus que les chiffres des entreprises amenées par"),
        "{html}"
    );
    assert!(
        html.contains(&format!("<option value=\"{p}\" selected>")),
        "{html}"
    );
    // The audit log names the manager and the partner.
    let audited = app
        .count(&format!(
            "SELECT COUNT(*) FROM audit_log a JOIN users u ON u.id = a.actor_id \
             WHERE a.action = 'role_scoped' AND u.email = '{ADMIN}' \
             AND a.subject = 'user #{funder_id}' AND a.detail = 'funder: partner #{p}'"
        ))
        .await;
    assert_eq!(audited, 1);

    // The funder now reads the partner's six, even when asking for everything
    // or for another partner, on the page and in every export.
    let (_, html) = funder.page("/tableau-de-bord").await;
    assert_eq!(row_value(&html, "aware"), "6");
    assert!(html.contains("id=\"partner-scope\""));
    assert!(
        html.contains(&partner_name),
        "the page says whose figures these are"
    );
    let other = builders::partner("scope-other").create(app).await;
    let (_, html) = funder
        .page(&format!("/tableau-de-bord?partenaire={other}"))
        .await;
    assert_eq!(row_value(&html, "aware"), "6");
    let partners_select = html.split("id=\"f-partenaire\"").nth(1).unwrap();
    let partners_select = partners_select.split("</select>").next().unwrap();
    assert_eq!(
        partners_select.matches("<option").count(),
        1,
        "{partners_select}"
    );
    let csv = funder
        .get("/tableau-de-bord/indicateurs.csv")
        .await
        .text()
        .await
        .unwrap();
    let aware = csv.lines().find(|l| l.starts_with("aware;")).unwrap();
    assert!(aware.contains(";Entreprises sensibilisées;6;"), "{aware}");
    let res = funder.get("/tableau-de-bord/edih.xlsx").await;
    let served = xlsx_sheet(&res.bytes().await.unwrap(), 0);
    assert_eq!(edih_value(&served, "all", "Total", ""), "7");

    // Bad choices are refused with a message, and nothing changes.
    let (status, _, html) = admin
        .submit(
            "/admin/equipe/perimetre",
            &[
                ("user_id", &funder_id.to_string()),
                ("partner_id", "999999"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("data-refusal=\"1\""), "{html}");
    assert!(html.contains("ce partenaire n&#39;existe pas"), "{html}");
    let adviser = scalar_i64(
        app,
        "SELECT id FROM users WHERE email = 'conseiller@tremplin-demo.fr'",
    )
    .await;
    let (status, _, _) = admin
        .submit(
            "/admin/equipe/perimetre",
            &[
                ("user_id", &adviser.to_string()),
                ("partner_id", &p.to_string()),
            ],
        )
        .await;
    assert_eq!(status, 422, "an adviser reads everything anyway");
    let (_, html) = funder.page("/tableau-de-bord").await;
    assert_eq!(row_value(&html, "aware"), "6");
    // Only a manager may change it.
    let (status, _, _) = funder
        .submit(
            "/admin/equipe/perimetre",
            &[("user_id", &funder_id.to_string()), ("partner_id", "")],
        )
        .await;
    assert_eq!(status, 403);

    // Lifted, in English: the whole programme again.
    admin.cookies.insert("tremplin_lang".into(), "en".into());
    let (status, _, html) = admin
        .submit(
            "/admin/equipe/perimetre",
            &[("user_id", &funder_id.to_string()), ("partner_id", "")],
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("reads the whole programme&#39;s figures again")
            || html.contains("reads the whole programme's figures again"),
        "{html}"
    );
    let (_, html) = funder.page("/tableau-de-bord").await;
    assert_eq!(row_value(&html, "aware"), whole.to_string());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'role_scoped'")
            .await,
        2,
        "the refused changes wrote nothing"
    );
}

/// The dashboard keeps the territories in memory between requests: a
/// territory imported or renamed afterwards is on the next page, in the
/// area filter, without a restart.
async fn territories_added_or_renamed_show_on_the_next_dashboard(app: &TestApp) {
    let mut admin = Browser::signed_in(app, ADMIN, PW).await;
    let (status, page) = admin.page("/tableau-de-bord").await;
    assert_eq!(status, 200);
    assert!(!page.contains("Pays de Tremplin-sur-Test"));
    assert!(
        page.contains(">Gironde<"),
        "the area filter lists departments"
    );

    let csv = "code,parent_code,level,name_fr,name_en\n\
               FR-RTEST,FR,region,Pays de Tremplin-sur-Test,Tremplin-on-Test Land\n\
               FR-D33,FR-R75,department,Gironde (renommée),Gironde (renamed)\n";
    let report = tremplin::reference::import_territories(&app.db, csv.as_bytes())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(report.stored, 2, "{:?}", report.rejected);

    let (_, page) = admin.page("/tableau-de-bord").await;
    assert!(page.contains("Pays de Tremplin-sur-Test"), "the new region");
    assert!(page.contains("Gironde (renommée)"), "the new name");
    assert!(!page.contains(">Gironde<"));
    admin.cookies.insert("tremplin_lang".into(), "en".into());
    let (_, page) = admin.page("/tableau-de-bord").await;
    assert!(page.contains("Tremplin-on-Test Land"));
}
