//! The diagnostic as a baker takes it (issue 13, "Diagnostic"): leaving
//! keeps exactly what was typed, one instruction per screen, the 0–5
//! legend before the grid, "does not apply" per row.

use tremplin::diagnostic::bank::{Kind, Question};
use tremplin::diagnostic::store::default_bank;

use crate::both_databases;
use crate::harness::{Browser, TestApp};

both_databases!(
    leaving_a_blank_checklist_records_nothing_and_keeps_a_draft,
    leaving_a_half_filled_grid_keeps_it_as_typed,
    checklist_and_grid_screens_print_one_instruction_and_the_legend_first,
    a_grid_row_may_not_apply_and_is_left_out_of_the_score,
    a_baker_picks_their_trade_in_plain_words_and_the_nace_code_is_stored,
    territory_lists_put_the_programme_first_in_french_order,
    the_profile_takes_a_commune_by_name_or_postcode_and_refuses_an_unknown_one,
    results_link_to_what_helps_and_point_to_the_pdf,
);

/// Start an anonymous diagnostic of `mode`; returns its private base path.
async fn start(b: &mut Browser, mode: &str) -> String {
    let (status, location, _) = b.submit("/diagnostic", &[("mode", mode)]).await;
    assert_eq!(status, 303);
    location
        .trim_end_matches("/profil")
        .trim_end_matches("/1")
        .to_string()
}

/// The 1-based screen of the first question of `kind` (optionally allowing "not applicable").
fn first_of(full: bool, kind: Kind, na: bool) -> (usize, Question) {
    let bank = default_bank().unwrap();
    let (i, q) = bank
        .questions_for(full)
        .into_iter()
        .enumerate()
        .find(|(_, q)| q.kind == kind && (!na || q.allow_na))
        .expect("such a question");
    (i + 1, q.clone())
}

async fn answers(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM diagnostic_answers").await
}

async fn leaving_a_blank_checklist_records_nothing_and_keeps_a_draft(app: &TestApp) {
    let mut b = Browser::new(app).await;
    let base = start(&mut b, "quick").await;
    let (n, q) = first_of(false, Kind::Checklist, false);
    let (status, location, _) = b.submit(&format!("{base}/{n}"), &[("go", "later")]).await;
    assert_eq!(status, 303);
    assert!(location.ends_with("/recapitulatif#save"), "{location}");
    assert_eq!(
        answers(app).await,
        0,
        "a blank checklist is not \"none of these\""
    );
    let (_, summary) = b.page(&format!("{base}/recapitulatif")).await;
    assert!(
        summary.contains("data-draft"),
        "the summary says a draft is kept"
    );

    // Ticking one item and leaving again keeps the tick, still unscored.
    let item = &q.items[0].code;
    b.submit(&format!("{base}/{n}"), &[("tick", item), ("go", "later")])
        .await;
    assert_eq!(answers(app).await, 0);
    let (_, html) = b.page(&format!("{base}/{n}")).await;
    assert!(html.contains("id=\"draft-notice\""));
    assert!(html.contains(&format!(
        "id=\"tick-{item}\" name=\"tick\" value=\"{item}\" checked"
    )));
    // Going back with a blank screen does not answer either.
    let (status, _, _) = b.submit(&format!("{base}/{n}"), &[("go", "prev")]).await;
    assert_eq!(status, 303);
    assert_eq!(answers(app).await, 0);
    // "Next" gives the answer, and the draft is done with.
    let (status, _, _) = b
        .submit(&format!("{base}/{n}"), &[("tick", item), ("go", "next")])
        .await;
    assert_eq!(status, 303);
    assert_eq!(answers(app).await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM diagnostic_drafts").await, 0);
    let (_, html) = b.page(&format!("{base}/{n}")).await;
    assert!(!html.contains("id=\"draft-notice\""));
}

async fn leaving_a_half_filled_grid_keeps_it_as_typed(app: &TestApp) {
    let mut b = Browser::new(app).await;
    let base = start(&mut b, "quick").await;
    let (n, q) = first_of(false, Kind::Scale, false);
    let first = &q.items[0].code;
    let (status, location, _) = b
        .submit(
            &format!("{base}/{n}"),
            &[(&format!("rate:{first}"), "4"), ("go", "later")],
        )
        .await;
    assert_eq!(status, 303, "leaving a half-filled grid is not refused");
    assert!(location.ends_with("/recapitulatif#save"));
    assert_eq!(answers(app).await, 0);
    let (_, html) = b.page(&format!("{base}/{n}")).await;
    assert!(html.contains(&format!(
        "id=\"rate-{first}-4\" name=\"rate:{first}\" value=\"4\" checked"
    )));
    assert_eq!(
        html.matches(" checked").count(),
        1,
        "nothing else was invented"
    );
}

async fn checklist_and_grid_screens_print_one_instruction_and_the_legend_first(app: &TestApp) {
    let mut b = Browser::new(app).await;
    let base = start(&mut b, "full").await;
    let bank = default_bank().unwrap();
    for (i, q) in bank.questions_for(true).into_iter().enumerate() {
        let (_, html) = b.page(&format!("{base}/{}", i + 1)).await;
        match q.kind {
            Kind::Checklist => assert!(
                html.matches("Cochez ce qui s").count() <= 1,
                "{}: the instruction is printed once",
                q.code
            ),
            Kind::Scale => {
                let legend = html.find("id=\"scale-legend\"").expect("a legend");
                let grid = html.find("class=\"scale-row\"").expect("a grid");
                assert!(legend < grid, "{}: the legend comes first", q.code);
                assert!(
                    html.matches("de 0").count() + html.matches("De 0").count() <= 1,
                    "{}: one instruction",
                    q.code
                );
            }
            Kind::Triple => {}
        }
    }
}

async fn a_grid_row_may_not_apply_and_is_left_out_of_the_score(app: &TestApp) {
    let mut b = Browser::new(app).await;
    let base = start(&mut b, "full").await;
    let (n, q) = first_of(true, Kind::Scale, true);
    let (_, html) = b.page(&format!("{base}/{n}")).await;
    for item in &q.items {
        assert!(
            html.contains(&format!("name=\"rate:{}\" value=\"na\"", item.code)),
            "each row offers \"does not apply\""
        );
    }
    assert!(
        !html.contains("id=\"na\""),
        "no single box for the whole grid"
    );
    // One row does not apply, the others are rated 5: the question scores 10.
    let mut form: Vec<(String, String)> = q
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let v = if i == 0 { "na" } else { "5" };
            (format!("rate:{}", it.code), v.to_string())
        })
        .collect();
    form.push(("go".into(), "next".into()));
    let refs: Vec<(&str, &str)> = form.iter().map(|(a, c)| (a.as_str(), c.as_str())).collect();
    let (status, _, body) = b.submit(&format!("{base}/{n}"), &refs).await;
    assert_eq!(status, 303, "{body}");
    let (_, html) = b.page(&format!("{base}/{n}")).await;
    assert!(html.contains(&format!(
        "id=\"rate-{0}-na\" name=\"rate:{0}\" value=\"na\" checked",
        q.items[0].code
    )));
    let r = tremplin::diagnostic::scoring::question_score(
        &q,
        &tremplin::diagnostic::scoring::Answer::Scale {
            ratings: q.items[1..].iter().map(|i| (i.code.clone(), 5)).collect(),
            na: [q.items[0].code.clone()].into(),
        },
    );
    assert_eq!(r, Some(10.0));
}

async fn a_baker_picks_their_trade_in_plain_words_and_the_nace_code_is_stored(app: &TestApp) {
    let mut b = Browser::new(app).await;
    let base = start(&mut b, "quick").await;
    let (_, html) = b.page(&format!("{base}/profil")).await;
    let trades = html
        .find("<optgroup label=\"Métiers courants\">")
        .expect("trades first");
    let nace = html
        .find("<optgroup label=\"Tous les secteurs (nomenclature NACE)\">")
        .expect("the NACE list as a fallback");
    assert!(trades < nace);
    for trade in [
        "Boulangerie-pâtisserie",
        "Coiffure",
        "Électricien",
        "Taxi/VTC",
    ] {
        let at = html.find(&format!(">{trade}</option>")).expect(trade);
        assert!(trades < at && at < nace, "{trade} among the trades");
    }
    assert!(html.contains("data-filter=\"Rechercher votre métier\""));
    let (status, _, _) = b
        .submit(
            &format!("{base}/profil"),
            &[("sector_code", "metier:boulangerie-patisserie")],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM diagnostics WHERE sector_code = '10'")
            .await,
        1,
        "the trade's NACE division is stored"
    );
    // The NACE list still works on its own.
    b.submit(&format!("{base}/profil"), &[("sector_code", "96")])
        .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM diagnostics WHERE sector_code = '96'")
            .await,
        1
    );
}

async fn territory_lists_put_the_programme_first_in_french_order(app: &TestApp) {
    let mut b = Browser::new(app).await;
    let base = start(&mut b, "quick").await;
    let (_, html) = b.page(&format!("{base}/profil")).await;
    let select = &html[html.find("id=\"territory_code\"").unwrap()..];
    let select = &select[..select.find("</select>").unwrap()];
    let ours = select
        .find("<optgroup label=\"Territoires du programme\">")
        .expect("the programme's territories first");
    let next = select[ours + 10..]
        .find("<optgroup")
        .map(|i| i + ours + 10)
        .unwrap();
    assert!(
        select[ours..next].contains("value=\"FR-D33\""),
        "Gironde is the programme's"
    );
    assert!(!select[ours..next].contains("value=\"FR-D06\""));
    let de = select.find(">Alpes-de-Haute-Provence<").unwrap();
    let maritimes = select.find(">Alpes-Maritimes<").unwrap();
    assert!(de < maritimes, "French collation ignores case and hyphens");

    let mut admin =
        Browser::signed_in(app, "responsable@tremplin-demo.fr", crate::harness::PW).await;
    let (_, html) = admin.page("/admin/programme").await;
    assert!(html.contains(">Luxembourg (province)"));
    assert!(!html.contains("(province) (province)"));
}

async fn results_link_to_what_helps_and_point_to_the_pdf(app: &TestApp) {
    let mut b = Browser::new(app).await;
    let base = start(&mut b, "quick").await;
    let bank = default_bank().unwrap();
    for (i, q) in bank.questions_for(false).into_iter().enumerate() {
        let mut form: Vec<(String, String)> = vec![("go".into(), "next".into())];
        match q.kind {
            Kind::Checklist => {}
            Kind::Scale => {
                for it in &q.items {
                    form.push((format!("rate:{}", it.code), "1".into()));
                }
            }
            Kind::Triple => form.push(("triple".into(), "0".into())),
        }
        let refs: Vec<(&str, &str)> = form.iter().map(|(a, c)| (a.as_str(), c.as_str())).collect();
        let (status, _, _) = b.submit(&format!("{base}/{}", i + 1), &refs).await;
        assert_eq!(status, 303);
    }
    let (status, _, _) = b.submit(&format!("{base}/terminer"), &[]).await;
    assert_eq!(status, 303);
    let (_, html) = b.page(&format!("{base}/resultats")).await;
    assert!(html.contains("class=\"plan-step\""));
    assert!(
        !html.contains("à venir"),
        "no help leads to a page still to come"
    );
    // Each step leads to workshops and providers, or says what to do instead.
    assert!(
        html.contains("data-kind=\"workshops\"") || html.contains("data-instead=\"workshops\"")
    );
    assert!(
        html.contains("data-kind=\"providers\"") || html.contains("data-instead=\"providers\"")
    );
    assert!(
        !html.contains("imprimez cette page"),
        "the PDF link is the way to keep it"
    );
    assert!(html.contains("/rapport.pdf"));
}

async fn the_profile_takes_a_commune_by_name_or_postcode_and_refuses_an_unknown_one(app: &TestApp) {
    let mut b = Browser::new(app).await;
    let base = start(&mut b, "quick").await;
    let (_, html) = b.page(&format!("{base}/profil")).await;
    assert!(html.contains("id=\"commune\""), "{html}");
    // A town that is not one: refused, what was typed kept, nothing stored.
    let (status, _, html) = b
        .submit(
            &format!("{base}/profil"),
            &[("sector_code", "96"), ("commune", "Trifouillis-les-Oies")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("Nous ne trouvons pas cette commune"),
        "{html}"
    );
    assert!(html.contains("value=\"Trifouillis-les-Oies\""));
    assert!(html.contains("<option value=\"96\" selected>"), "{html}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM diagnostics WHERE sector_code = '96'")
            .await,
        0
    );
    // By name, without the accent: the commune and its department are stored.
    let (status, _, _) = b
        .submit(
            &format!("{base}/profil"),
            &[("sector_code", "96"), ("commune", "saint-emilion")],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM diagnostics WHERE commune_code = 'FR-C33394' AND territory_code = 'FR-D33'"
        )
        .await,
        1
    );
    // Coming back shows the town as a person reads it.
    let (_, html) = b.page(&format!("{base}/profil")).await;
    assert!(html.contains("value=\"Saint-Émilion (33330)\""), "{html}");
    // A postcode shared by several communes: they are offered, not guessed.
    let (status, _, html) = b
        .submit(&format!("{base}/profil"), &[("commune", "33330")])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Plusieurs communes correspondent"), "{html}");
    assert!(html.contains("<li>Saint-Émilion (33330)</li>"), "{html}");
    // The one picked from the list is taken.
    let (status, _, _) = b
        .submit(
            &format!("{base}/profil"),
            &[("commune", "Saint-Émilion (33330)")],
        )
        .await;
    assert_eq!(status, 303);
    // In English the refusal is in English.
    b.get("/lang/en").await;
    let (status, _, html) = b
        .submit(
            &format!("{base}/profil"),
            &[("commune", "Nowhere-upon-Nothing")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("We cannot find this town"), "{html}");
}
