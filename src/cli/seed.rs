//! Demo data. Every insert is idempotent: running `seed --demo` twice
//! leaves the same data as running it once.

use crate::db::Db;
use crate::programme::{ensure, ProgrammeSeed};

/// Fill the database with the demo programme.
pub async fn demo(db: &Db) -> anyhow::Result<()> {
    ensure(
        db,
        &ProgrammeSeed {
            slug: "demo",
            name: "Tremplin numérique Sud-Ouest",
            operator: "Chambre de métiers et de l'artisanat (démonstration)",
            summary_fr: "Un programme gratuit pour aider les artisans, commerçants et très petites entreprises \
                         à tirer parti du numérique : un diagnostic en moins de dix minutes, des ateliers près \
                         de chez vous, un conseiller pour vous accompagner pendant trois à quatre mois et un \
                         annuaire de prestataires locaux.",
            summary_en: "A free programme that helps craftspeople, shopkeepers and very small businesses make \
                         the most of digital tools: a diagnostic in under ten minutes, workshops near you, an \
                         adviser who supports you for three to four months, and a directory of local providers.",
            contact_email: "equipe@tremplin-demo.fr",
            timezone: "Europe/Paris",
            target_aware: 1600,
        },
    )
    .await?;
    Ok(())
}
