//! Demo data. Every insert is idempotent: running `seed --demo` twice
//! leaves the same data as running it once.

use crate::auth::Role;
use crate::business::model::{self, BusinessInput};
use crate::db::{now_ms, Db};
use crate::programme::{ensure, ProgrammeSeed};

/// Password of every demo account (documented in the README).
pub const DEMO_PASSWORD: &str = "demo-tremplin-2026";

/// Complete 8 digits into a Luhn-valid SIREN.
pub fn siren_from(base: &str) -> String {
    (0..10)
        .map(|d| format!("{base}{d}"))
        .find(|s| {
            let sum: u32 = s
                .chars()
                .rev()
                .enumerate()
                .map(|(i, c)| {
                    let v = c.to_digit(10).unwrap_or(0);
                    if i % 2 == 1 {
                        let d = v * 2;
                        if d > 9 {
                            d - 9
                        } else {
                            d
                        }
                    } else {
                        v
                    }
                })
                .sum();
            sum.is_multiple_of(10)
        })
        .expect("one digit completes a Luhn number")
}

const PARTNERS: &[(&str, &str, &str, i64, i64)] = &[
    (
        "cma-gironde",
        "Chambre de métiers et de l'artisanat de la Gironde",
        "chamber",
        1,
        1,
    ),
    ("cci-bordeaux", "CCI Bordeaux Gironde", "chamber", 1, 1),
    ("mairie-libourne", "Mairie de Libourne", "town_hall", 1, 0),
    (
        "club-entreprises-medoc",
        "Club des entreprises du Médoc",
        "association",
        1,
        0,
    ),
    (
        "federation-btp",
        "Fédération du BTP de la Gironde",
        "employer_federation",
        1,
        0,
    ),
    (
        "region-nouvelle-aquitaine",
        "Région Nouvelle-Aquitaine",
        "funder",
        0,
        1,
    ),
];

const BUSINESSES: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "Boulangerie Dupont",
        "73282931",
        "10",
        "1-9",
        "FR-C33063",
        "12 rue Sainte-Catherine, Bordeaux",
    ),
    (
        "Menuiserie Garcia et fils",
        "41265310",
        "16",
        "1-9",
        "FR-C33243",
        "3 avenue Foch, Libourne",
    ),
    (
        "Salon Coiffure Élodie",
        "80123452",
        "96",
        "0",
        "FR-C33009",
        "8 boulevard de la Plage, Arcachon",
    ),
    (
        "Garage du Médoc",
        "50987615",
        "45",
        "1-9",
        "FR-C33240",
        "ZA du Pont, Lesparre-Médoc",
    ),
    (
        "Fleurs & Jardins Martin",
        "39876547",
        "47",
        "1-9",
        "FR-C33281",
        "45 avenue de la Marne, Mérignac",
    ),
    (
        "Électricité Générale Moreau",
        "45678123",
        "43",
        "10-49",
        "FR-C33318",
        "15 rue de la Paix, Pessac",
    ),
    (
        "Hôtel-Restaurant Les Pins",
        "61234987",
        "55",
        "10-49",
        "FR-C33009",
        "2 allée des Pins, Arcachon",
    ),
    (
        "Transports Lafitte",
        "52345671",
        "49",
        "10-49",
        "FR-C33227",
        "Route de Bazas, Langon",
    ),
];

/// Fill the database with the demo programme, its partners, themes, accounts
/// and businesses.
pub async fn demo(db: &Db) -> anyhow::Result<()> {
    let programme_id = ensure(
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
    let now = now_ms();
    for code in ["FR-R75", "FR-D33", "FR-D24", "FR-D40"] {
        sqlx::query(
            "INSERT INTO programme_territories (programme_id, territory_code) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(programme_id)
        .bind(code)
        .execute(&db.pool)
        .await?;
    }
    for (slug, name, kind, brings, receives) in PARTNERS {
        sqlx::query(
            "INSERT INTO partners (programme_id, slug, name, kind, brings, receives, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (slug) DO NOTHING",
        )
        .bind(programme_id)
        .bind(*slug)
        .bind(*name)
        .bind(*kind)
        .bind(*brings)
        .bind(*receives)
        .bind(now)
        .execute(&db.pool)
        .await?;
    }
    crate::reference::seed_themes(db).await?;

    let accounts: [(&str, &str, &[Role]); 6] = [
        (
            "responsable@tremplin-demo.fr",
            "Claire Responsable",
            &[Role::Admin],
        ),
        (
            "conseiller@tremplin-demo.fr",
            "Karim Conseiller",
            &[Role::Adviser, Role::Speaker],
        ),
        (
            "intervenante@tremplin-demo.fr",
            "Sophie Intervenante",
            &[Role::Speaker],
        ),
        (
            "financeur@tremplin-demo.fr",
            "Région (financeur)",
            &[Role::Funder],
        ),
        (
            "prestataire@tremplin-demo.fr",
            "Web Atelier Bordeaux",
            &[Role::Provider],
        ),
        (
            "marie@boulangerie-dupont.fr",
            "Marie Dupont",
            &[Role::Business],
        ),
    ];
    for (email, name, roles) in accounts {
        let codes: Vec<String> = roles.iter().map(|r| r.code().to_string()).collect();
        crate::cli::create_user(db, email, name, DEMO_PASSWORD, &codes).await?;
    }

    let cma: Option<i64> = sqlx::query_scalar("SELECT id FROM partners WHERE slug = 'cma-gironde'")
        .fetch_optional(&db.pool)
        .await?;
    let marie: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'marie@boulangerie-dupont.fr'")
            .fetch_optional(&db.pool)
            .await?;
    for (i, (name, base, sector, size, commune, address)) in BUSINESSES.iter().enumerate() {
        let input = BusinessInput {
            name: name.to_string(),
            country: "FR".into(),
            legal_id: siren_from(base),
            sector_code: sector.to_string(),
            size_band: size.to_string(),
            commune_code: commune.to_string(),
            address: address.to_string(),
            website: String::new(),
            partner: None,
            version: 0,
        };
        let valid = match model::validate(db, &input).await? {
            Ok(v) => v,
            Err(v) => anyhow::bail!("demo business {name} is invalid: {v:?}"),
        };
        let owner = if i == 0 { marie } else { None };
        match model::create(
            db,
            Some(programme_id),
            &valid,
            None,
            owner,
            if i % 2 == 0 { cma } else { None },
        )
        .await
        {
            Ok(_) | Err(model::SaveError::Duplicate { .. }) => {}
            Err(model::SaveError::Db(e)) => return Err(e.into()),
            Err(e) => anyhow::bail!("demo business {name}: {e:?}"),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::business::identifiers::{IdKind, LegalId};

    #[test]
    fn demo_sirens_are_valid() {
        for (_, base, ..) in BUSINESSES {
            let s = siren_from(base);
            assert!(LegalId::parse(IdKind::Siren, &s).is_ok(), "{s}");
        }
    }
}
