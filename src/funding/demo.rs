//! Demo funding schemes from the programme's brief: a regional grant of 80 %
//! capped at 15,000 EUR, a departmental aid whose file needs a recent
//! maturity diagnostic, a year of lent equipment, and trophies for
//! apprentice-led projects. Idempotent: a known slug is left alone.

use super::model::SchemeForm;
use super::store;
use crate::db::{now_ms, Db};
use crate::kernel::dates;

/// Themes of the action plan that the regional grant funds.
const REGIONAL_THEMES: &str = "etre-visible-en-ligne, site-vitrine, fiche-google-annuaires, boutique-en-ligne, \
    paiement-en-ligne-terminal, prise-de-rendez-vous, reseaux-sociaux, devis-facturation, facture-electronique, \
    gestion-des-stocks, fichier-clients, cybersecurite-bases, sauvegardes, travail-mobile";

/// The demo schemes as editor forms (dates relative to `today`).
pub fn schemes(today: &str, in_25_days: &str, in_6_months: &str) -> Vec<SchemeForm> {
    let f = |slug: &str, title_fr: &str, title_en: &str, summary_fr: &str, summary_en: &str| {
        SchemeForm {
            slug: slug.into(),
            status: "published".into(),
            title_fr: title_fr.into(),
            title_en: title_en.into(),
            summary_fr: summary_fr.into(),
            summary_en: summary_en.into(),
            audiences: "private_sector".into(),
            recurrence: "ongoing".into(),
            opens_on: today.into(),
            version: "0".into(),
            ..Default::default()
        }
    };
    vec![
        SchemeForm {
            aid_types: "grant".into(),
            stages: "op".into(),
            closes_on: in_6_months.into(),
            backers: "Région Nouvelle-Aquitaine".into(),
            instructor: "Région Nouvelle-Aquitaine, direction de l'économie".into(),
            perimeter: "FR-R75".into(),
            themes: REGIONAL_THEMES.into(),
            rate_pct: "80".into(),
            cap: "15000".into(),
            floor: "500".into(),
            rules: "territory: FR-R75\nheadcount: 0, 1-9, 10-49".into(),
            link: "https://www.nouvelle-aquitaine.fr".into(),
            ..f(
                "cheque-numerique-regional",
                "Chèque transition numérique régional",
                "Regional digital transition voucher",
                "Une subvention de 80 % des dépenses numériques (site, outils de vente, matériel, cybersécurité), jusqu'à 15 000 € par entreprise.",
                "A grant of 80% of digital spending (website, sales tools, equipment, cybersecurity), up to EUR 15,000 per business.",
            )
        },
        SchemeForm {
            aid_types: "grant".into(),
            stages: "preop, op".into(),
            closes_on: in_25_days.into(),
            backers: "Département de la Gironde".into(),
            instructor: "Chambre de métiers et de l'artisanat de la Gironde".into(),
            perimeter: "FR-D33".into(),
            themes: REGIONAL_THEMES.into(),
            rate_pct: "50".into(),
            cap: "5000".into(),
            floor: "1000".into(),
            rules: "territory: FR-D33\ncraft_register: yes\ndiagnostic_within_months: 12".into(),
            ..f(
                "aide-artisans-gironde",
                "Aide départementale au numérique des artisans",
                "Departmental digital aid for craftspeople",
                "Pour les artisans inscrits au répertoire des métiers : la moitié du projet, jusqu'à 5 000 €. Le dossier doit joindre un diagnostic de maturité numérique de moins de 12 mois.",
                "For craftspeople on the craft register: half of the project, up to EUR 5,000. The file must include a digital maturity diagnostic less than 12 months old.",
            )
        },
        SchemeForm {
            aid_types: "in_kind".into(),
            stages: "op".into(),
            backers: "Tremplin numérique Sud-Ouest, Emmaüs Connect".into(),
            instructor: "Tremplin numérique Sud-Ouest".into(),
            perimeter: "FR-R75".into(),
            themes: "travail-mobile, duree-de-vie-materiel, outils-collaboratifs".into(),
            rules: "territory: FR-R75\nheadcount: 0, 1-9".into(),
            ..f(
                "pret-materiel",
                "Une année de matériel prêté : ordinateur, imprimante, accès internet",
                "A year of lent equipment: computer, printer, internet access",
                "Un ordinateur reconditionné, une imprimante et un accès internet prêtés pendant un an aux très petites entreprises qui démarrent leur transition.",
                "A refurbished computer, a printer and internet access lent for a year to very small businesses starting their transition.",
            )
        },
        SchemeForm {
            aid_types: "grant".into(),
            stages: "op, postop".into(),
            recurrence: "recurring".into(),
            closes_on: in_6_months.into(),
            backers: "Chambre de métiers et de l'artisanat de la Gironde".into(),
            instructor: "Jury des trophées".into(),
            perimeter: "FR-R75".into(),
            themes: "projet-apprenti".into(),
            rate_pct: "100".into(),
            cap: "3000".into(),
            rules: "territory: FR-R75\nworkshop_theme: projet-apprenti".into(),
            ..f(
                "trophees-apprentis",
                "Trophées des projets numériques menés par des apprentis",
                "Trophies for digital projects led by apprentices",
                "Chaque année, un jury récompense les projets numériques portés par un apprenti, jusqu'à 3 000 € par lauréat.",
                "Each year a jury rewards digital projects led by an apprentice, up to EUR 3,000 per winner.",
            )
        },
    ]
}

/// Load the demo schemes (idempotent).
pub async fn seed(db: &Db) -> anyhow::Result<()> {
    let tz = dates::zone("Europe/Paris");
    let day = 24 * 3600 * 1000;
    let now = now_ms();
    let today = dates::date_input(&tz, now);
    let soon = dates::date_input(&tz, now + 25 * day);
    let later = dates::date_input(&tz, now + 182 * day);
    for form in schemes(&today, &soon, &later) {
        if store::by_slug(db, &form.slug).await?.is_some() {
            continue;
        }
        let (themes, sectors, territories) = form.named();
        let known = crate::guides::store::known(db, &themes, &sectors, &territories).await?;
        let valid = form
            .parse(&known)
            .map_err(|e| anyhow::anyhow!("demo scheme {}: {:?}", form.slug, e))?;
        store::insert(db, &valid, None, "demo").await?;
    }
    Ok(())
}
