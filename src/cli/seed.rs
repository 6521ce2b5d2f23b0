//! Demo data. Every insert of `seed --demo` is idempotent: running it twice
//! leaves the same data as running it once. `seed --diagnostics N` is
//! additive instead: each run adds N more submitted diagnostics, and so is
//! `seed --sessions N` (N more workshop sessions).

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

pub(crate) const BUSINESSES: &[(&str, &str, &str, &str, &str, &str)] = &[
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
        let valid = match crate::business::store::validate(db, &input).await? {
            Ok(v) => v,
            Err(v) => anyhow::bail!("demo business {name} is invalid: {v:?}"),
        };
        let owner = if i == 0 { marie } else { None };
        match crate::business::store::create(
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
    workshops(db, programme_id).await?;
    directory(db).await?;
    crate::cases::demo::seed(db).await?;
    crate::guides::demo::seed(db).await?;
    crate::funding::demo::seed(db).await?;
    crate::sponsors::demo::seed(db, programme_id).await?;
    crate::dashboard::demo::seed(db, programme_id, "Europe/Paris").await?;
    Ok(())
}

/// A demo provider: name, SIREN base, trade, description, themes, territories, remote, status, keeper.
type DemoProvider = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    bool,
    &'static str,
    Option<&'static str>,
);

/// Demo directory: the demo provider's own card and a few others.
const PROVIDERS: &[DemoProvider] = &[
    ("Atelier Pixel Garonne", "81234567", "Agence web", "Sites vitrines et boutiques en ligne pour les artisans et commerçants de Gironde, avec formation à la mise à jour.", &["site-vitrine", "etre-visible-en-ligne", "boutique-en-ligne"], &["FR-D33"], false, "published", Some("prestataire@tremplin-demo.fr")),
    ("Électriciens Connectés du Libournais", "81234568", "Électricien, réseaux et domotique", "Installation de réseaux informatiques, Wi-Fi professionnel, caisses enregistreuses et terminaux de paiement.", &["paiement-en-ligne-terminal", "travail-mobile"], &["FR-C33243", "FR-D24"], false, "published", None),
    ("Cyber Sud-Ouest", "81234569", "Cybersécurité", "Audit de sécurité, sauvegardes, mots de passe et sensibilisation aux arnaques pour les très petites entreprises.", &["cybersecurite-bases", "sauvegardes", "mots-de-passe-double-authentification", "arnaques-hameconnage"], &["FR-R75"], true, "published", None),
    ("Compta Facile Landes", "81234570", "Expert-comptable", "Passage à la facture électronique, devis et facturation, liaison bancaire.", &["facture-electronique", "devis-facturation", "comptabilite-banque"], &["FR-D40"], false, "published", None),
    ("Studio Réseaux Sociaux Bordeaux", "81234571", "Community manager", "Animation des réseaux sociaux, fiches Google et avis clients pour les commerces de proximité.", &["reseaux-sociaux", "fiche-google-annuaires", "avis-en-ligne"], &["FR-C33063", "FR-C33281", "FR-C33318"], false, "published", None),
    ("Logiciels Libres Périgord", "81234572", "Intégrateur de logiciels libres", "Outils collaboratifs, gestion des stocks et fichiers clients avec des logiciels libres.", &["logiciels-libres", "outils-collaboratifs", "gestion-des-stocks", "fichier-clients"], &["FR-D24"], true, "published", None),
    ("Nouvelle Boutique Numérique", "81234573", "Agence web", "Boutiques en ligne et places de marché.", &["boutique-en-ligne", "places-de-marche"], &["FR-D33"], false, "pending", None),
];

/// Demo directory cards, searchable at once. Skipped when cards exist.
async fn directory(db: &Db) -> anyhow::Result<()> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM providers")
        .fetch_one(&db.pool)
        .await?;
    if existing > 0 {
        return Ok(());
    }
    for (name, base, kind, description, themes, territories, remote, status, keeper) in PROVIDERS {
        let mut links = crate::directory::model::Links::default();
        for slug in *themes {
            if let Some(id) = sqlx::query_scalar::<_, i64>("SELECT id FROM themes WHERE slug = $1")
                .bind(*slug)
                .fetch_optional(&db.pool)
                .await?
            {
                links.themes.push(id);
            }
        }
        links.territories = territories.iter().map(|t| t.to_string()).collect();
        let form = crate::directory::model::CardForm {
            name: name.to_string(),
            country: "FR".into(),
            legal_id: siren_from(base),
            kind: kind.to_string(),
            description: description.to_string(),
            remote: *remote,
            email: keeper.map(str::to_string).unwrap_or_default(),
            links,
            ..Default::default()
        };
        let valid = match crate::directory::model::validate(db, &form, true).await? {
            Ok(v) => v,
            Err(v) => anyhow::bail!("demo provider {name} is invalid: {v:?}"),
        };
        let member: Option<i64> = match keeper {
            Some(email) => {
                sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
                    .bind(*email)
                    .fetch_optional(&db.pool)
                    .await?
            }
            None => None,
        };
        match crate::directory::store::create(db, &valid, status, "demo", member).await {
            Ok(_) | Err(crate::directory::store::SaveError::IdTaken(_)) => {}
            Err(e) => anyhow::bail!("demo provider {name}: {e:?}"),
        }
    }
    Ok(())
}

/// A demo session: theme slug, format, days from today, hour, commune, venue, capacity, sector.
type DemoSession = (
    &'static str,
    &'static str,
    i64,
    i8,
    &'static str,
    &'static str,
    i64,
    &'static str,
);
/// Who came to the past demo session: name, e-mail, business, attendance, feedback.
type DemoAttendee = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<(i64, i64, bool)>,
);

/// Demo sessions.
pub(crate) const SESSIONS: &[DemoSession] = &[
    (
        "etre-visible-en-ligne",
        "halfday",
        6,
        9,
        "FR-C33063",
        "Chambre de métiers, salle Garonne",
        15,
        "47",
    ),
    (
        "fichier-clients",
        "halfday",
        9,
        14,
        "FR-C33243",
        "Mairie de Libourne, salle du conseil",
        12,
        "56",
    ),
    (
        "reseaux-sociaux",
        "awareness",
        12,
        18,
        "FR-C33281",
        "Pôle entreprises de Mérignac",
        20,
        "47",
    ),
    (
        "cybersecurite-bases",
        "awareness",
        14,
        12,
        "FR-C33318",
        "Médiathèque de Pessac",
        20,
        "",
    ),
    (
        "facture-electronique",
        "awareness",
        16,
        9,
        "FR-C24322",
        "CCI Dordogne",
        25,
        "43",
    ),
    (
        "fideliser-par-le-web",
        "halfday",
        20,
        9,
        "FR-C40192",
        "Maison de l'artisanat",
        12,
        "56",
    ),
    (
        "sauvegardes",
        "awareness",
        23,
        18,
        "FR-C33009",
        "Office de tourisme",
        15,
        "55",
    ),
    (
        "conformite-rgpd",
        "awareness",
        27,
        12,
        "FR-C24037",
        "Hôtel d'entreprises",
        20,
        "",
    ),
    (
        "gestion-des-stocks",
        "halfday",
        30,
        14,
        "FR-C40088",
        "Pépinière d'entreprises",
        10,
        "47",
    ),
    ("aides-financement", "awareness", 34, 10, "", "", 30, ""),
];

/// Demo workshops: upcoming sessions in several towns, one past session
/// with attendance and feedback. Skipped when sessions already exist.
async fn workshops(db: &Db, programme_id: i64) -> anyhow::Result<()> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM workshop_sessions")
        .fetch_one(&db.pool)
        .await?;
    if existing > 0 {
        return Ok(());
    }
    let tz = crate::kernel::dates::zone("Europe/Paris");
    let today = crate::kernel::dates::zoned(&tz, now_ms()).date();
    let speaker: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'intervenante@tremplin-demo.fr'")
            .fetch_optional(&db.pool)
            .await?;
    let adviser: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'conseiller@tremplin-demo.fr'")
            .fetch_optional(&db.pool)
            .await?;
    let cma: Option<i64> = sqlx::query_scalar("SELECT id FROM partners WHERE slug = 'cma-gironde'")
        .fetch_optional(&db.pool)
        .await?;
    let now = now_ms();
    let mut past_id = None;
    let all = SESSIONS.iter().copied().chain([(
        "etre-visible-en-ligne",
        "halfday",
        -14,
        9,
        "FR-C33063",
        "Chambre de métiers, salle Garonne",
        15,
        "47",
    )]);
    for (i, (theme, format, days, hour, commune, venue, capacity, sector)) in all.enumerate() {
        let Some(theme_id): Option<i64> =
            sqlx::query_scalar("SELECT id FROM themes WHERE slug = $1")
                .bind(theme)
                .fetch_optional(&db.pool)
                .await?
        else {
            continue;
        };
        let date = today
            .checked_add(jiff::Span::new().days(days))
            .map_err(|e| anyhow::anyhow!("demo date: {e}"))?;
        let starts = crate::kernel::dates::to_ms(&tz, date, jiff::civil::Time::new(hour, 0, 0, 0)?)
            .ok_or_else(|| anyhow::anyhow!("demo time"))?;
        let minutes = if format == "halfday" { 210 } else { 60 };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO workshop_sessions (programme_id, theme_id, format, starts_at, ends_at, venue, commune_code, \
             online_url, capacity, partner_id, planned_coaching, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 2, 'scheduled', $11, $11) RETURNING id",
        )
        .bind(programme_id)
        .bind(theme_id)
        .bind(format)
        .bind(starts)
        .bind(starts + minutes * 60_000)
        .bind(venue)
        // An empty commune is the programme's online session.
        .bind((!commune.is_empty()).then_some(commune))
        .bind(if commune.is_empty() {
            "https://visio.tremplin-demo.fr/aides-financement"
        } else {
            ""
        })
        .bind(capacity)
        .bind(if i % 3 == 0 { cma } else { None })
        .bind(now)
        .fetch_one(&db.pool)
        .await?;
        for user in [speaker, if i % 2 == 0 { adviser } else { None }]
            .into_iter()
            .flatten()
        {
            sqlx::query("INSERT INTO workshop_speakers (session_id, user_id) VALUES ($1, $2)")
                .bind(id)
                .bind(user)
                .execute(&db.pool)
                .await?;
        }
        if !sector.is_empty() {
            sqlx::query("INSERT INTO workshop_sectors (session_id, sector_code) VALUES ($1, $2)")
                .bind(id)
                .bind(sector)
                .execute(&db.pool)
                .await?;
        }
        if days < 0 {
            past_id = Some((id, starts));
        }
    }
    // The past session: who came, and what they said.
    if let Some((id, starts)) = past_id {
        let people: [DemoAttendee; 4] = [
            (
                "Marie Dupont",
                "marie@boulangerie-dupont.fr",
                "Boulangerie Dupont",
                "present",
                Some((5, 5, true)),
            ),
            (
                "Karim Benali",
                "karim@garage-benali.fr",
                "Garage Benali",
                "present",
                Some((4, 4, false)),
            ),
            (
                "Sophie Laurent",
                "sophie@fleurs-laurent.fr",
                "Fleurs Laurent",
                "present",
                None,
            ),
            (
                "Paul Martin",
                "paul@martin-plomberie.fr",
                "Martin Plomberie",
                "absent",
                None,
            ),
        ];
        let wanted: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM themes WHERE slug IN ('fichier-clients', 'reseaux-sociaux') ORDER BY id",
        )
        .fetch_all(&db.pool)
        .await?;
        for (seat, (name, email, business, attendance, feedback)) in people.iter().enumerate() {
            let business_id: Option<i64> =
                sqlx::query_scalar("SELECT id FROM businesses WHERE name = $1")
                    .bind(business)
                    .fetch_optional(&db.pool)
                    .await?;
            let reg: i64 = sqlx::query_scalar(
                "INSERT INTO workshop_registrations (session_id, business_id, name, email, email_key, business_name, status,                  seat_no, attendance, attendance_at, consent_version, consent_at, locale, source, reminder_sent_at,                  feedback_sent_at, created_at, updated_at, confirmed_at)                  VALUES ($1, $2, $3, $4, $4, $5, 'confirmed', $6, $7, $8, $9, $10, 'fr', 'web', $8, $8, $10, $10, $10) RETURNING id",
            )
            .bind(id)
            .bind(business_id)
            .bind(*name)
            .bind(*email)
            .bind(*business)
            .bind(seat as i64 + 1)
            .bind(*attendance)
            .bind(starts)
            .bind(crate::workshops::booking::CONSENT_VERSION)
            .bind(starts - 7 * 86_400_000)
            .fetch_one(&db.pool)
            .await?;
            if let Some((satisfaction, usefulness, coaching)) = feedback {
                sqlx::query(
                    "INSERT INTO workshop_feedback (registration_id, session_id, satisfaction, usefulness, comment, wants_coaching, created_at)                      VALUES ($1, $2, $3, $4, '', $5, $6)",
                )
                .bind(reg)
                .bind(id)
                .bind(satisfaction)
                .bind(usefulness)
                .bind(i64::from(*coaching))
                .bind(starts + 86_400_000)
                .execute(&db.pool)
                .await?;
                for theme in &wanted {
                    sqlx::query("INSERT INTO workshop_feedback_themes (registration_id, theme_id) VALUES ($1, $2)")
                        .bind(reg)
                        .bind(theme)
                        .execute(&db.pool)
                        .await?;
                }
                if *coaching {
                    sqlx::query(
                        "INSERT INTO coaching_requests (business_id, registration_id, session_id, name, email, business_name, message, source, status, created_at, updated_at)                          VALUES ($1, $2, $3, $4, $5, $6, '', 'workshop-feedback', 'open', $7, $7)",
                    )
                    .bind(business_id)
                    .bind(reg)
                    .bind(id)
                    .bind(*name)
                    .bind(*email)
                    .bind(*business)
                    .bind(starts + 86_400_000)
                    .execute(&db.pool)
                    .await?;
                }
            }
        }
        sqlx::query("UPDATE workshop_sessions SET seats_taken = 4, last_seat = 4 WHERE id = $1")
            .bind(id)
            .execute(&db.pool)
            .await?;
    }
    Ok(())
}

// The bulk seeds live in `cli::bulk`; these names stay for callers.
pub use super::bulk::diagnostics::{
    diagnostics, random_responses, SeededDiagnostics, DIAGNOSTICS_SEED, LINK_PROFILE,
};
pub use super::bulk::providers::{providers, PROVIDERS_SEED};
pub use super::bulk::sessions::sessions;
