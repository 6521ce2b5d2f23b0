//! Demonstration data of follow-up files: a catalogue of partner bodies,
//! a "Suivi 4 mois" file for Boulangerie Dupont five weeks in (audit done
//! with observations, a private note, a meeting, coaching hours paid by
//! FAFCEA, a referral taken up by a body), and a file to qualify. Loading
//! it twice changes nothing, and it mails nobody.

use super::model::{
    self, ActivityKind, Funder, Origin, ReferralStatus, ValidActivity, ValidBody, DAY_MS,
};
use super::store;
use crate::auth::secrets::hash_secret;
use crate::db::{now_ms, Db};
use crate::kernel::money::Euros;
use crate::web::pipeline::random_token;

/// Partner bodies: name, contact, e-mail, territory, themes, link.
const BODIES: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "CCI Bordeaux Gironde — pôle numérique",
        "Julien Martin",
        "numerique@cci-demo.fr",
        "FR-D33",
        "site web, e-commerce, cybersécurité",
        "https://www.bordeauxgironde.cci.fr/",
    ),
    (
        "AD Nouvelle-Aquitaine",
        "Nadia Benali",
        "innovation@adi-demo.fr",
        "FR-R75",
        "innovation, financement, industrie 4.0",
        "https://www.adi-na.fr/",
    ),
    (
        "Constructys (OPCO de la construction)",
        "Paul Durand",
        "formation@opco-demo.fr",
        "",
        "formation, compétences numériques",
        "https://www.constructys.fr/",
    ),
];

/// Load the demo files (idempotent).
pub async fn seed(db: &Db) -> anyhow::Result<()> {
    let now = now_ms();
    if store::bodies(db).await?.is_empty() {
        for (name, contact, email, territory, themes, url) in BODIES {
            store::insert_body(
                db,
                &ValidBody {
                    name: name.to_string(),
                    contact_name: contact.to_string(),
                    email: email.to_string(),
                    phone: String::new(),
                    territory: Some(territory.to_string()).filter(|t| !t.is_empty()),
                    themes: themes.to_string(),
                    url: url.to_string(),
                },
                now,
            )
            .await?;
        }
    }
    let (Some(adviser), Some(bakery), Some(template)) = (
        store::user_id(db, "conseiller@tremplin-demo.fr").await?,
        store::business_id(db, "Boulangerie Dupont").await?,
        store::template_id(db, "suivi-4-mois").await?,
    ) else {
        return Ok(());
    };
    if store::count_for_business(db, bakery).await? > 0 {
        return Ok(());
    }
    let tz = crate::kernel::dates::zone("Europe/Paris");
    let opened = now - 35 * DAY_MS;
    let planned = model::plan(
        &store::steps(db, template).await?,
        opened,
        &tz,
        crate::i18n::Locale::Fr,
    );
    let mut tx = db.begin_write().await?;
    let id = store::open(
        &mut tx,
        &store::NewCase {
            business_id: bakery,
            template_id: Some(template),
            origin: Origin::CoachingRequest,
            origin_id: None,
            adviser_id: Some(adviser),
            summary: "Mettre en place un fichier clients et la commande en ligne pour les gâteaux de fête.",
            opened_at: opened,
            by: Some(adviser),
        },
        &planned,
        opened,
    )
    .await?;
    let note = ValidActivity {
        kind: ActivityKind::Note,
        title: "Premier contact".into(),
        body: "Madame Dupont hésite à investir seule ; voir si la CCI peut prendre le relais pour le site.".into(),
        happened_at: Some(opened - DAY_MS),
        due_at: None,
        minutes: 0,
        place: String::new(),
        online: false,
        attendees: String::new(),
        shared: false,
        observations: vec![],
        version: 0,
    };
    store::insert_activity(&mut tx, id, &note, adviser, opened).await?;
    let audit = ValidActivity {
        kind: ActivityKind::Audit,
        title: "Audit de départ".into(),
        body: "Deux heures d'observation au magasin, le samedi matin.".into(),
        happened_at: Some(opened + 3 * 3_600_000),
        due_at: None,
        minutes: 120,
        place: "12 rue Sainte-Catherine, Bordeaux".into(),
        online: false,
        attendees: "Marie Dupont, Karim Conseiller".into(),
        shared: true,
        observations: vec![
            (
                "strategy",
                "Pas de plan numérique écrit ; objectifs clairs pour les commandes de fête.".into(),
            ),
            (
                "data",
                "Clients notés sur un cahier papier ; aucun fichier.".into(),
            ),
        ],
        version: 0,
    };
    store::insert_activity(&mut tx, id, &audit, adviser, opened).await?;
    tx.commit().await?;
    // The template's first two steps are done.
    let acts = store::activities(db, id, false).await?;
    let mut tx = db.begin_write().await?;
    for a in acts.iter().filter(|a| a.happened_at.is_none()).take(2) {
        let at = a.due_at.unwrap_or(opened) + 2 * 3_600_000;
        store::complete(
            &mut tx,
            a.id,
            at,
            "Fait : point d'étape avec Mme Dupont.",
            now,
        )
        .await?;
    }
    tx.commit().await?;
    store::insert_hours(
        db,
        id,
        &model::ValidHours {
            funder: Funder::Fafcea,
            planned_minutes: 210,
            delivered_minutes: 210,
            amount: Some(Euros::from_units(315)),
            reference: "FAFCEA-2026-0457".into(),
        },
        adviser,
        opened,
    )
    .await?;
    if let Some(body) = store::bodies(db).await?.first() {
        let mut tx = db.begin_write().await?;
        let rid = store::insert_referral(
            &mut tx,
            id,
            body.id,
            "Site vitrine avec commande en ligne des gâteaux de fête.",
            &hash_secret(&random_token()),
            adviser,
            opened + 2 * DAY_MS,
        )
        .await?;
        tx.commit().await?;
        store::set_referral_state(
            db,
            rid,
            ReferralStatus::TakenUp,
            "Rendez-vous fixé avec notre conseillère numérique.",
            1,
            Some(opened + 12 * DAY_MS),
        )
        .await?;
    }
    // A second business, its file still to qualify.
    if let Some(joinery) = store::business_id(db, "Menuiserie Garcia et fils").await? {
        if store::count_for_business(db, joinery).await? == 0 {
            let mut tx = db.begin_write().await?;
            store::open(
                &mut tx,
                &store::NewCase {
                    business_id: joinery,
                    template_id: None,
                    origin: Origin::Manual,
                    origin_id: None,
                    adviser_id: Some(adviser),
                    summary: "Demande de devis pour un logiciel de gestion ; à qualifier.",
                    opened_at: now - 3 * DAY_MS,
                    by: Some(adviser),
                },
                &[],
                now,
            )
            .await?;
            tx.commit().await?;
        }
    }
    // Loaded at start-up, demo data mails nobody: no reminders or digest this week.
    store::mark_reminded_until(db, now + 2 * DAY_MS, now).await?;
    let week = crate::kernel::dates::zoned(&tz, now).date().iso_week_date();
    let mut tx = db.begin_write().await?;
    store::claim_job(
        &mut tx,
        &format!("digest:{adviser}"),
        &format!("{}-W{:02}", week.year(), week.week()),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
