//! Demo data. Every insert of `seed --demo` is idempotent: running it twice
//! leaves the same data as running it once. `seed --diagnostics N` is
//! additive instead: each run adds N more submitted diagnostics, and so is
//! `seed --sessions N` (N more workshop sessions).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::auth::{hash_secret, Role};
use crate::business::model::{self, BusinessInput};
use crate::db::{now_ms, Db};
use crate::diagnostic::bank::{Bank, Kind};
use crate::diagnostic::model::Level;
use crate::diagnostic::scoring::{self, Answer, Response};
use crate::diagnostic::store;
use crate::programme::{ensure, ProgrammeSeed};
use crate::web::pipeline::random_token;

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
        match crate::directory::model::create(db, &valid, status, "demo", member).await {
            Ok(_) | Err(crate::directory::model::SaveError::IdTaken(_)) => {}
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
const SESSIONS: &[DemoSession] = &[
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

/// NACE divisions the seeded diagnostics are spread over (weight).
const SEED_SECTORS: &[(&str, u32)] = &[
    ("10", 10),
    ("16", 6),
    ("43", 16),
    ("45", 8),
    ("47", 20),
    ("49", 6),
    ("55", 8),
    ("56", 14),
    ("96", 12),
];
/// Size bands (weight): mostly very small businesses.
const SEED_SIZES: &[(&str, u32)] = &[("0", 30), ("1-9", 45), ("10-49", 20), ("50-249", 5)];
/// Departments (weight).
const SEED_TERRITORIES: &[(&str, u32)] = &[("FR-D33", 60), ("FR-D24", 20), ("FR-D40", 20)];

/// Profile (sector, size band, territory) of the diagnostic whose link
/// [`diagnostics`] returns; always the first one seeded by a run.
pub const LINK_PROFILE: (&str, &str, &str) = ("47", "1-9", "FR-D33");

/// Seed of the pseudo-random answers: the same answers on every run.
pub const DIAGNOSTICS_SEED: u64 = 2026;

/// Diagnostics written per transaction.
const BATCH: usize = 250;

fn pick<'a>(rng: &mut impl Rng, choices: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = choices.iter().map(|c| c.1).sum();
    let mut n = rng.gen_range(0..total);
    for (value, weight) in choices {
        if n < *weight {
            return value;
        }
        n -= weight;
    }
    choices[choices.len() - 1].0
}

/// A complete, plausible answer set for the questions of a mode: one
/// "maturity" drawn per business drives every answer (so scores spread over
/// the whole 0–100 range), with a few "not applicable" answers where the bank
/// allows them, and importance stated for some items.
pub fn random_responses(bank: &Bank, full: bool, rng: &mut impl Rng) -> HashMap<String, Response> {
    let maturity: f64 = rng.gen_range(0.05..0.95);
    bank.questions_for(full)
        .into_iter()
        .map(|q| {
            let answer = if q.allow_na && rng.gen_bool(0.08) {
                Answer::NotApplicable
            } else {
                match q.kind {
                    Kind::Checklist => Answer::Checklist {
                        ticked: q
                            .items
                            .iter()
                            .filter(|_| rng.gen_bool(maturity))
                            .map(|i| i.code.clone())
                            .collect::<BTreeSet<_>>(),
                    },
                    Kind::Scale => Answer::Scale {
                        ratings: q
                            .items
                            .iter()
                            .map(|i| {
                                let r = (maturity * 5.0 + rng.gen_range(-1.5..1.5)).round();
                                (i.code.clone(), r.clamp(0.0, 5.0) as u8)
                            })
                            .collect::<BTreeMap<_, _>>(),
                        na: BTreeSet::new(),
                    },
                    Kind::Triple => Answer::Triple {
                        value: if rng.gen_bool(maturity) {
                            2
                        } else {
                            rng.gen_range(0..=1)
                        },
                    },
                }
            };
            let mut importance = BTreeMap::new();
            if q.items.is_empty() {
                if rng.gen_bool(0.3) {
                    importance.insert(String::new(), rng.gen_range(1..=3));
                }
            } else {
                for i in &q.items {
                    if rng.gen_bool(0.25) {
                        importance.insert(i.code.clone(), rng.gen_range(1..=3));
                    }
                }
            }
            (q.code.clone(), Response { answer, importance })
        })
        .collect()
}

/// What [`diagnostics`] created.
#[derive(Debug)]
pub struct SeededDiagnostics {
    pub created: usize,
    /// Results path of the first one, profile [`LINK_PROFILE`], full mode.
    pub link: Option<String>,
}

/// `INSERT INTO diagnostic_answers` for `rows` answers of one diagnostic.
fn answers_sql(rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|r| format!("($1, $2, ${}, ${})", 3 + 2 * r, 4 + 2 * r))
        .collect();
    format!(
        "INSERT INTO diagnostic_answers (diagnostic_id, updated_at, question_code, response_json) VALUES {}",
        values.join(", ")
    )
}

/// Create `count` submitted diagnostics with pseudo-random answers (fixed
/// seed), spread over sectors, size bands, departments and both modes, on
/// the bank new diagnostics use. Scores come from [`scoring::score`]; rows
/// are written like `store::create` + `store::save_response` +
/// `store::submit` would, but [`BATCH`] diagnostics per transaction. Each
/// call adds `count` more (fresh private links), whatever is already there.
pub async fn diagnostics(db: &Db, count: usize) -> anyhow::Result<SeededDiagnostics> {
    let bank = store::current_bank(db).await?;
    let programme_id = crate::programme::load(db).await?.id;
    let quick_sql = answers_sql(bank.questions_for(false).len());
    let full_sql = answers_sql(bank.questions_for(true).len());
    let mut rng = StdRng::seed_from_u64(DIAGNOSTICS_SEED);
    let now = now_ms();
    const DAY_MS: i64 = 24 * 3600 * 1000;
    let mut link = None;
    let mut created = 0;
    while created < count {
        let mut tx = db.begin_write().await?;
        let end = (created + BATCH).min(count);
        for n in created..end {
            let (sector, size, territory, full) = if n == 0 {
                (LINK_PROFILE.0, LINK_PROFILE.1, LINK_PROFILE.2, true)
            } else {
                (
                    pick(&mut rng, SEED_SECTORS),
                    pick(&mut rng, SEED_SIZES),
                    pick(&mut rng, SEED_TERRITORIES),
                    rng.gen_bool(0.4),
                )
            };
            let responses = random_responses(&bank, full, &mut rng);
            let scores = scoring::score(&bank, full, &responses);
            // Spread over the past year; answered in 5 to 40 minutes.
            let created_at = now - rng.gen_range(0..365 * DAY_MS);
            let submitted_at = created_at + rng.gen_range(5 * 60_000..40 * 60_000);
            let token = random_token();
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO diagnostics (token_hash, programme_id, bank_version, mode, status, assisted, \
                 sector_code, size_band, territory_code, overall, level, scores_json, created_at, updated_at, submitted_at) \
                 VALUES ($1, $2, $3, $4, 'submitted', 0, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
            )
            .bind(hash_secret(&token))
            .bind(programme_id)
            .bind(&bank.version)
            .bind(if full { "full" } else { "quick" })
            .bind(sector)
            .bind(size)
            .bind(territory)
            .bind(scores.overall)
            .bind(scores.overall.map(|o| Level::of(o).code()))
            .bind(serde_json::to_string(&scores)?)
            .bind(created_at)
            .bind(submitted_at)
            .fetch_one(&mut *tx)
            .await?;
            // Bank order, so that the statement's placeholders line up.
            let mut q = sqlx::query(if full { &full_sql } else { &quick_sql })
                .bind(id)
                .bind(submitted_at);
            for question in bank.questions_for(full) {
                let r = &responses[&question.code];
                q = q
                    .bind(question.code.clone())
                    .bind(serde_json::to_string(r)?);
            }
            q.execute(&mut *tx).await?;
            if n == 0 {
                link = Some(format!("/diagnostic/d/{token}/resultats"));
            }
        }
        tx.commit().await?;
        created = end;
    }
    Ok(SeededDiagnostics { created, link })
}

/// Sessions written per multi-row `INSERT` (10 parameters each).
const SESSION_BATCH: usize = 500;

/// Create `count` scheduled sessions over the next year (for load tests),
/// spread round-robin over every theme and the communes of the demo
/// sessions, both formats, starting between 9:00 and 17:00; one transaction, multi-row inserts
/// of [`SESSION_BATCH`]. Not idempotent: each call adds `count` more.
/// Returns how many were created.
pub async fn sessions(db: &Db, count: usize) -> anyhow::Result<usize> {
    let programme = crate::programme::load(db).await?;
    let themes: Vec<i64> = sqlx::query_scalar("SELECT id FROM themes ORDER BY id")
        .fetch_all(&db.pool)
        .await?;
    if themes.is_empty() {
        anyhow::bail!("no theme to put sessions in: load the demo data first (seed --demo)");
    }
    // The demo sessions' communes that exist in this database.
    let mut communes: Vec<(String, String)> = vec![];
    for (_, _, _, _, commune, venue, _, _) in SESSIONS {
        if communes.iter().any(|(c, _)| c == commune) {
            continue;
        }
        let known: Option<String> =
            sqlx::query_scalar("SELECT code FROM territories WHERE code = $1")
                .bind(*commune)
                .fetch_optional(&db.pool)
                .await?;
        if let Some(code) = known {
            communes.push((code, (*venue).to_string()));
        }
    }
    if communes.is_empty() {
        anyhow::bail!("none of the demo communes exists: load the demo data first (seed --demo)");
    }
    let paris = crate::kernel::dates::zone(&programme.timezone);
    let noumea = crate::kernel::dates::zone("Pacific/Noumea");
    let today = crate::kernel::dates::zoned(&paris, now_ms()).date();
    let formats = [("awareness", 60_i64), ("halfday", 210)];
    let capacities = [8_i64, 12, 15, 20, 30];
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let mut created = 0;
    while created < count {
        let end = (created + SESSION_BATCH).min(count);
        let rows = end - created;
        let values: Vec<String> = (0..rows)
            .map(|r| {
                let p = 10 * r;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, 'scheduled', ${}, ${})",
                    p + 1,
                    p + 2,
                    p + 3,
                    p + 4,
                    p + 5,
                    p + 6,
                    p + 7,
                    p + 8,
                    p + 9,
                    p + 10
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO workshop_sessions (programme_id, theme_id, format, starts_at, ends_at, venue, \
             commune_code, capacity, status, created_at, updated_at) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for n in created..end {
            let theme = themes[n % themes.len()];
            // Coprime strides so that themes, places and formats mix.
            let (commune, venue) = &communes[(n / themes.len() + n) % communes.len()];
            let (format, minutes) = formats[(n + n / themes.len()) % 2];
            let days = 1 + (n * 7 % 365) as i64;
            let hour = 9 + (n % 9) as i8;
            let date = today
                .checked_add(jiff::Span::new().days(days))
                .map_err(|e| anyhow::anyhow!("session date: {e}"))?;
            let zone = if commune.starts_with("NC-") {
                &noumea
            } else {
                &paris
            };
            let starts =
                crate::kernel::dates::to_ms(zone, date, jiff::civil::Time::new(hour, 0, 0, 0)?)
                    .ok_or_else(|| anyhow::anyhow!("session time"))?;
            q = q
                .bind(programme.id)
                .bind(theme)
                .bind(format)
                .bind(starts)
                .bind(starts + minutes * 60_000)
                .bind(venue.clone())
                .bind(commune.clone())
                .bind(capacities[n % capacities.len()])
                .bind(now)
                .bind(now);
        }
        q.execute(&mut *tx).await?;
        created = end;
    }
    tx.commit().await?;
    Ok(created)
}

/// A trade of the seeded directory: what the card says it is, what it does
/// (a phrase for the description), the themes it usually offers (slugs) and
/// its plural for names ("Électriciens Réunis du Médoc"), if any.
type SeedTrade = (
    &'static str,
    &'static str,
    &'static [&'static str],
    Option<&'static str>,
);

const SEED_TRADES: &[SeedTrade] = &[
    ("Agence web", "création de sites web vitrines et de boutiques en ligne", &["site-vitrine", "boutique-en-ligne", "etre-visible-en-ligne"], None),
    ("Électricien, réseaux et domotique", "installation de réseaux informatiques, Wi-Fi professionnel, caisses et terminaux de paiement", &["paiement-en-ligne-terminal", "travail-mobile", "duree-de-vie-materiel"], Some("Électriciens")),
    ("Informaticien", "dépannage informatique, sauvegardes et maintenance des ordinateurs", &["sauvegardes", "cybersecurite-bases", "duree-de-vie-materiel"], Some("Informaticiens")),
    ("Développeur indépendant", "développement de sites internet et d'applications sur mesure", &["site-vitrine", "prise-de-rendez-vous", "exploiter-ses-donnees"], Some("Développeurs")),
    ("Graphiste", "identité visuelle, logos et visuels pour les réseaux sociaux", &["reseaux-sociaux", "etre-visible-en-ligne", "site-vitrine"], Some("Graphistes")),
    ("Photographe", "photos de produits et de réalisations pour le site web et les réseaux", &["site-vitrine", "reseaux-sociaux", "places-de-marche"], Some("Photographes")),
    ("Community manager", "animation des réseaux sociaux, fiches Google et avis clients", &["reseaux-sociaux", "fiche-google-annuaires", "avis-en-ligne", "publicite-en-ligne"], None),
    ("Expert-comptable", "passage à la facture électronique, devis, facturation et liaison bancaire", &["facture-electronique", "devis-facturation", "comptabilite-banque"], Some("Comptables")),
    ("Consultant en cybersécurité", "audit de sécurité, mots de passe, double authentification et sensibilisation aux arnaques", &["cybersecurite-bases", "mots-de-passe-double-authentification", "arnaques-hameconnage", "sauvegardes"], Some("Consultants")),
    ("Intégrateur de logiciels de gestion", "logiciels de caisse, de gestion des stocks et fichiers clients", &["gestion-des-stocks", "fichier-clients", "devis-facturation", "logiciels-libres"], Some("Intégrateurs")),
    ("Formateur numérique", "formations courtes aux outils collaboratifs et aux assistants d'intelligence artificielle", &["outils-collaboratifs", "assistants-ia", "travail-mobile", "dematerialisation-documents"], Some("Formateurs")),
    ("Consultante RGPD", "mise en conformité RGPD, registre des traitements et mentions légales", &["conformite-rgpd", "fichier-clients", "cybersecurite-bases"], None),
    ("Rédacteur web", "rédaction des pages de sites web et des lettres d'information", &["lettre-information-email", "site-vitrine", "etre-visible-en-ligne"], Some("Rédacteurs")),
    ("Agence de marketing digital", "publicité en ligne, référencement, e-mailing et programmes de fidélité", &["publicite-en-ligne", "lettre-information-email", "fideliser-par-le-web", "programme-fidelite"], None),
    ("Intégrateur de logiciels libres", "outils collaboratifs, messagerie et partage de documents avec des logiciels libres", &["logiciels-libres", "outils-collaboratifs", "numerique-sobre"], Some("Libristes")),
    ("Plombier-chauffagiste connecté", "thermostats connectés, prise de rendez-vous en ligne et devis dématérialisés", &["prise-de-rendez-vous", "devis-facturation", "numerique-sobre"], Some("Artisans")),
];

const SEED_NAME_HEADS: &[&str] = &[
    "Atelier",
    "Studio",
    "Agence",
    "Cabinet",
    "Collectif",
    "Maison",
    "Bureau",
    "Comptoir",
    "Fabrique",
    "Coopérative",
    "Espace",
    "Cap",
    "Ateliers",
];
const SEED_NAME_CORES: &[&str] = &[
    "Pixel",
    "Numérique",
    "Web",
    "Réseaux",
    "Digital",
    "Informatique",
    "Connecté",
    "Code",
    "Données",
    "Clic",
    "Horizon",
    "Lumière",
    "Sites",
    "Solutions",
    "Conseil",
    "Logiciels",
    "Écran",
    "Octet",
    "Nuage",
    "Signal",
];
const SEED_NAME_ADJECTIVES: &[&str] = &[
    "Réunis",
    "Associés",
    "Indépendants",
    "Connectés",
    "du Coin",
    "Solidaires",
];
const SEED_NAME_PLACES: &[&str] = &[
    "du Médoc",
    "de la Garonne",
    "des Landes",
    "du Périgord",
    "de Dordogne",
    "du Bassin",
    "de l'Entre-deux-Mers",
    "du Libournais",
    "des Graves",
    "Sud-Ouest",
    "d'Aquitaine",
    "de l'Adour",
    "du Blayais",
    "de la Côte d'Argent",
    "du Bergeracois",
    "des Deux-Rives",
    "Océan",
    "de Gascogne",
];
const SEED_FIRST_NAMES: &[&str] = &[
    "Julie", "Thomas", "Camille", "Nicolas", "Léa", "Antoine", "Manon", "Hugo", "Chloé", "Mathieu",
    "Sarah", "Pierre", "Inès", "Romain", "Élodie", "Karim", "Aurélie", "Yann",
];
const SEED_LAST_NAMES: &[&str] = &[
    "Martin",
    "Bernard",
    "Dubois",
    "Durand",
    "Lefèvre",
    "Moreau",
    "Laurent",
    "Garcia",
    "Roux",
    "Fournier",
    "Lambert",
    "Bonnet",
    "Lacoste",
    "Etcheverry",
    "Dupuy",
    "Castaing",
    "Labat",
    "Darrieux",
];
const SEED_CLIENTS: &[&str] = &[
    "artisans",
    "commerçants",
    "restaurateurs",
    "très petites entreprises",
    "professions libérales",
    "hôtels et gîtes",
    "boulangeries",
    "garages",
    "associations",
    "exploitations viticoles",
    "salons de coiffure",
    "entreprises du bâtiment",
];
const SEED_EXTRAS: &[&str] = &[
    "Accompagnement de A à Z, de l'analyse du besoin à la mise en ligne.",
    "Formation à la prise en main incluse.",
    "Intervention rapide sur site ou à distance.",
    "Devis gratuit sous 48 heures.",
    "Hébergement en France et maintenance mensuelle.",
    "Sites Web accessibles, rapides et conformes au RGPD.",
    "Nous travaillons avec des logiciels libres quand c'est possible.",
    "Plus de dix ans d'expérience auprès des entreprises de la région.",
    "Tarifs adaptés aux petites structures et paiement échelonné.",
    "Un interlocuteur unique, joignable par téléphone.",
    "Matériel reconditionné et réparation plutôt que remplacement.",
    "Ateliers collectifs possibles avec la chambre de métiers.",
];

/// Cards written per multi-row `INSERT` (20 parameters each).
const PROVIDER_BATCH: usize = 250;
/// Link and term rows per multi-row `INSERT` (at most 3 parameters each).
const LINK_BATCH: usize = 1000;
/// Seed of the seeded directory: the same cards on every run (but for
/// their identifiers).
pub const PROVIDERS_SEED: u64 = 2027;

fn one<'a, T>(rng: &mut impl Rng, list: &'a [T]) -> &'a T {
    &list[rng.gen_range(0..list.len())]
}

/// One seeded card before it is written.
struct SeedCard {
    name: String,
    siren: String,
    kind: &'static str,
    description: String,
    prices: String,
    website: String,
    town: String,
    postcode: String,
    commune: Option<String>,
    remote: bool,
    confirmed_at: i64,
    created_at: i64,
    themes: Vec<i64>,
    sectors: Vec<&'static str>,
    sizes: Vec<&'static str>,
    territories: Vec<String>,
    terms: Vec<(String, i64)>,
}

/// Multi-row `INSERT INTO table (cols) VALUES ...` of `rows` rows.
fn rows_sql(head: &str, width: usize, rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|r| {
            let ph: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", ph.join(", "))
        })
        .collect();
    format!("{head} VALUES {}", values.join(", "))
}

/// Create `count` published provider cards (for load tests of the search),
/// with realistic French names, trades and descriptions built from word
/// lists (fixed seed), spread over the demo themes, the demo departments
/// (Gironde, Dordogne, Landes), their communes and the region, sectors,
/// business sizes, some working remotely, a few unconfirmed for over a
/// year. Their search terms are computed like [`crate::directory::model::reindex`]
/// does. One transaction, multi-row inserts. Not idempotent: each call adds
/// `count` more (with fresh SIRENs). Returns how many were created.
pub async fn providers(db: &Db, count: usize) -> anyhow::Result<usize> {
    use crate::directory::search::index_terms;
    type ThemeRow = (i64, String, String, String, String);
    let theme_rows: Vec<ThemeRow> =
        sqlx::query_as("SELECT id, slug, title_fr, title_en, tags FROM themes ORDER BY id")
            .fetch_all(&db.pool)
            .await?;
    if theme_rows.is_empty() {
        anyhow::bail!("no theme for the cards: load the demo data first (seed --demo)");
    }
    let theme_by_slug: HashMap<&str, &ThemeRow> =
        theme_rows.iter().map(|t| (t.1.as_str(), t)).collect();
    let theme_by_id: HashMap<i64, &ThemeRow> = theme_rows.iter().map(|t| (t.0, t)).collect();
    let departments: Vec<(&str, u32)> = SEED_TERRITORIES.to_vec();
    let mut communes: HashMap<&str, Vec<(String, String)>> = HashMap::new();
    for (dept, _) in &departments {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT code, name_fr FROM territories WHERE parent_code = $1 AND level = 'commune' ORDER BY code",
        )
        .bind(*dept)
        .fetch_all(&db.pool)
        .await?;
        if rows.is_empty() {
            anyhow::bail!("no commune in {dept}: load the demo data first (seed --demo)");
        }
        communes.insert(dept, rows);
    }
    let region = "FR-R75";
    let sectors: Vec<&'static str> = {
        let mut known = vec![];
        for (code, _) in SEED_SECTORS {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM sectors WHERE code = $1 AND level = 'division'",
            )
            .bind(*code)
            .fetch_one(&db.pool)
            .await?;
            if n > 0 {
                known.push(*code);
            }
        }
        known
    };
    // Fresh SIRENs on every run: after the ones earlier runs used.
    let offset: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM providers WHERE source = 'seed'")
        .fetch_one(&db.pool)
        .await?;
    let kind_code = crate::business::identifiers::IdKind::Siren.code();
    let mut rng = StdRng::seed_from_u64(PROVIDERS_SEED);
    let now = now_ms();
    const DAY_MS: i64 = 86_400_000;

    let mut tx = db.begin_write().await?;
    let mut created = 0;
    let mut made = 0;
    while made < count {
        let end = (made + PROVIDER_BATCH).min(count);
        let mut cards: Vec<SeedCard> = Vec::with_capacity(end - made);
        for n in made..end {
            let (kind, doing, trade_themes, plural) = one(&mut rng, SEED_TRADES);
            let place = *one(&mut rng, SEED_NAME_PLACES);
            let name = match (rng.gen_range(0..10), plural) {
                (0..=3, Some(p)) => format!("{p} {} {place}", one(&mut rng, SEED_NAME_ADJECTIVES)),
                (0..=1, None) | (4..=7, _) => format!(
                    "{} {} {place}",
                    one(&mut rng, SEED_NAME_HEADS),
                    one(&mut rng, SEED_NAME_CORES)
                ),
                _ => format!(
                    "{} {} {}",
                    one(&mut rng, SEED_FIRST_NAMES),
                    one(&mut rng, SEED_LAST_NAMES),
                    if rng.gen_bool(0.5) {
                        *kind
                    } else {
                        "Conseil numérique"
                    }
                ),
            };
            // Seat: a commune of a demo department.
            let dept = pick(&mut rng, &departments);
            let (commune, town) = one(&mut rng, &communes[dept]).clone();
            let remote = rng.gen_bool(0.15);
            let mut territories: Vec<String> = match rng.gen_range(0..100) {
                0..=44 => vec![dept.to_string()],
                45..=84 => {
                    let mut list = vec![commune.clone()];
                    for _ in 0..rng.gen_range(0..3) {
                        let (c, _) = one(&mut rng, &communes[dept]);
                        if !list.contains(c) {
                            list.push(c.clone());
                        }
                    }
                    list
                }
                _ => vec![region.to_string()],
            };
            if rng.gen_bool(0.1) {
                let other = pick(&mut rng, &departments).to_string();
                if !territories.contains(&other) {
                    territories.push(other);
                }
            }
            let mut themes: Vec<i64> = vec![];
            let wanted = rng.gen_range(1..=trade_themes.len().min(3));
            for slug in trade_themes.iter().take(wanted) {
                if let Some(t) = theme_by_slug.get(slug) {
                    themes.push(t.0);
                }
            }
            if rng.gen_bool(0.2) {
                let t = one(&mut rng, &theme_rows).0;
                if !themes.contains(&t) {
                    themes.push(t);
                }
            }
            let mut card_sectors = vec![];
            if rng.gen_bool(0.5) {
                for _ in 0..rng.gen_range(1..=3) {
                    let s = *one(&mut rng, &sectors);
                    if !card_sectors.contains(&s) {
                        card_sectors.push(s);
                    }
                }
            }
            let mut sizes = vec![];
            if rng.gen_bool(0.6) {
                for b in crate::business::model::SIZE_BANDS {
                    if rng.gen_bool(0.5) {
                        sizes.push(b);
                    }
                }
            }
            let mut description = format!(
                "{}{} pour les {} et les {} {place}.",
                doing
                    .chars()
                    .next()
                    .map(|c| c.to_uppercase().to_string())
                    .unwrap_or_default(),
                &doing[doing.chars().next().map(char::len_utf8).unwrap_or(0)..],
                one(&mut rng, SEED_CLIENTS),
                one(&mut rng, SEED_CLIENTS),
            );
            for _ in 0..rng.gen_range(1..=3) {
                description.push(' ');
                description.push_str(one::<&str>(&mut rng, SEED_EXTRAS));
            }
            let prices = if rng.gen_bool(0.5) {
                format!(
                    "Forfait à partir de {} € HT, maintenance {} € par mois.",
                    rng.gen_range(3..40) * 100,
                    rng.gen_range(2..12) * 10
                )
            } else {
                String::new()
            };
            let slug: String = crate::text::fold(&name)
                .split(' ')
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            // A few cards were not confirmed for over a year (flagged).
            let confirmed_at = if rng.gen_bool(0.05) {
                now - rng.gen_range(370..700) * DAY_MS
            } else {
                now - rng.gen_range(0..330) * DAY_MS
            };
            let theme_text: String = themes
                .iter()
                .filter_map(|id| theme_by_id.get(id))
                .map(|(_, _, fr, en, tags)| format!("{fr} {en} {}", tags.replace(',', " ")))
                .collect::<Vec<_>>()
                .join(" ");
            // Same parts and weights as `directory::model::reindex`.
            let mut terms = index_terms(&[
                (&name, 5),
                (kind, 3),
                (&theme_text, 3),
                (&town, 2),
                (&town, 2),
                (&description, 1),
                ("", 1),
                (&prices, 1),
            ]);
            terms.truncate(400);
            let siren = siren_from(&format!("{:08}", 70_000_000 + offset + n as i64));
            cards.push(SeedCard {
                postcode: format!("{}{:03}", &dept[4..6], rng.gen_range(0..1000)),
                name,
                siren,
                kind,
                description,
                prices,
                website: format!("https://www.{slug}.fr"),
                town,
                commune: Some(commune),
                remote,
                confirmed_at,
                created_at: confirmed_at - rng.gen_range(0..400) * DAY_MS,
                themes,
                sectors: card_sectors,
                sizes,
                territories,
                terms,
            });
        }
        let sql = rows_sql(
            "INSERT INTO providers (status, name, search_key, id_kind, id_value, country, kind, description, prices, refs, \
             website, town, postcode, commune_code, remote, source, confirmed_at, approved_at, created_at, updated_at)",
            20,
            cards.len(),
        ) + " ON CONFLICT DO NOTHING RETURNING id, id_value";
        let mut q = sqlx::query(&sql);
        for c in &cards {
            q = q
                .bind("published")
                .bind(c.name.clone())
                .bind(crate::text::fold(&c.name))
                .bind(kind_code)
                .bind(c.siren.clone())
                .bind("FR")
                .bind(c.kind)
                .bind(c.description.clone())
                .bind(c.prices.clone())
                .bind("")
                .bind(c.website.clone())
                .bind(c.town.clone())
                .bind(c.postcode.clone())
                .bind(c.commune.clone())
                .bind(i64::from(c.remote))
                .bind("seed")
                .bind(c.confirmed_at)
                .bind(c.confirmed_at)
                .bind(c.created_at)
                .bind(c.confirmed_at);
        }
        let ids: HashMap<String, i64> = q
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| {
                use sqlx::Row;
                (r.get::<String, _>("id_value"), r.get::<i64, _>("id"))
            })
            .collect();
        // Links and terms of the cards written (a SIREN taken is skipped).
        let mut themes: Vec<(i64, i64)> = vec![];
        let mut texts: [Vec<(i64, String)>; 3] = [vec![], vec![], vec![]];
        let mut terms: Vec<(i64, String, i64)> = vec![];
        for c in cards {
            let Some(&id) = ids.get(&c.siren) else {
                continue;
            };
            created += 1;
            themes.extend(c.themes.iter().map(|t| (id, *t)));
            texts[0].extend(c.sectors.iter().map(|s| (id, s.to_string())));
            texts[1].extend(c.sizes.iter().map(|s| (id, s.to_string())));
            texts[2].extend(c.territories.into_iter().map(|t| (id, t)));
            terms.extend(c.terms.into_iter().map(|(t, w)| (id, t, w)));
        }
        for chunk in themes.chunks(LINK_BATCH) {
            let sql = rows_sql(
                "INSERT INTO provider_themes (provider_id, theme_id)",
                2,
                chunk.len(),
            );
            let mut q = sqlx::query(&sql);
            for (id, t) in chunk {
                q = q.bind(*id).bind(*t);
            }
            q.execute(&mut *tx).await?;
        }
        for (rows, table) in texts.iter().zip([
            "provider_sectors (provider_id, sector_code)",
            "provider_sizes (provider_id, size_band)",
            "provider_territories (provider_id, territory_code)",
        ]) {
            for chunk in rows.chunks(LINK_BATCH) {
                let sql = rows_sql(&format!("INSERT INTO {table}"), 2, chunk.len());
                let mut q = sqlx::query(&sql);
                for (id, v) in chunk {
                    q = q.bind(*id).bind(v.clone());
                }
                q.execute(&mut *tx).await?;
            }
        }
        for chunk in terms.chunks(LINK_BATCH) {
            let sql = rows_sql(
                "INSERT INTO provider_terms (provider_id, term, weight)",
                3,
                chunk.len(),
            );
            let mut q = sqlx::query(&sql);
            for (id, t, w) in chunk {
                q = q.bind(*id).bind(t.clone()).bind(*w);
            }
            q.execute(&mut *tx).await?;
        }
        made = end;
    }
    tx.commit().await?;

    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::business::identifiers::{IdKind, LegalId};

    #[test]
    fn random_responses_answer_every_question_of_the_mode() {
        let bank = store::default_bank().unwrap();
        let mut rng = StdRng::seed_from_u64(DIAGNOSTICS_SEED);
        let mut overall = vec![];
        for full in [false, true] {
            for _ in 0..50 {
                let r = random_responses(&bank, full, &mut rng);
                assert_eq!(r.len(), bank.questions_for(full).len());
                overall.extend(scoring::score(&bank, full, &r).overall);
            }
        }
        let (min, max) = overall
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(*x), b.max(*x)));
        assert!(min < 30.0 && max > 70.0, "scores spread: {min}..{max}");
    }

    #[tokio::test]
    async fn seeded_diagnostics_are_submitted_and_comparable() {
        let file = std::env::temp_dir().join(format!(
            "tremplin-seed-test-{}-{}.db",
            std::process::id(),
            now_ms()
        ));
        let db = Db::connect(&format!("sqlite://{}", file.display()), 2)
            .await
            .unwrap();
        crate::db::migrations::migrate(&db).await.unwrap();
        for _ in 0..2 {
            let seeded = diagnostics(&db, 40).await.unwrap();
            assert_eq!(seeded.created, 40);
            let link = seeded.link.unwrap();
            let token = link
                .strip_prefix("/diagnostic/d/")
                .and_then(|l| l.strip_suffix("/resultats"))
                .unwrap();
            let d = store::by_token(&db, token).await.unwrap().unwrap();
            assert!(d.is_submitted() && d.is_full() && d.scores.is_some());
            assert_eq!(
                (d.sector_code.as_deref(), d.size_band.as_deref()),
                (Some(LINK_PROFILE.0), Some(LINK_PROFILE.1))
            );
            assert_eq!(d.territory_code.as_deref(), Some(LINK_PROFILE.2));
            let bank = store::default_bank().unwrap();
            let responses = store::responses(&db, d.id).await.unwrap();
            assert_eq!(responses.len(), bank.questions_for(true).len());
            assert_eq!(
                d.scores,
                Some(scoring::score(&bank, true, &responses)),
                "stored scores are the ones the answers give"
            );
            assert!(store::benchmark(&db, &Default::default(), &d)
                .await
                .unwrap()
                .is_some());
        }
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM diagnostics WHERE status = 'submitted'")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(n, 80, "a second run adds more");
        db.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
    }

    #[tokio::test]
    async fn seeded_providers_are_searchable_like_reindexed_cards() {
        let file = std::env::temp_dir().join(format!(
            "tremplin-seed-providers-{}-{}.db",
            std::process::id(),
            now_ms()
        ));
        let db = Db::connect(&format!("sqlite://{}", file.display()), 2)
            .await
            .unwrap();
        crate::db::migrations::migrate(&db).await.unwrap();
        demo(&db).await.unwrap();
        assert_eq!(providers(&db, 300).await.unwrap(), 300);
        assert_eq!(
            providers(&db, 50).await.unwrap(),
            50,
            "a second run adds more"
        );
        let seeded: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM providers WHERE source = 'seed' ORDER BY id")
                .fetch_all(&db.pool)
                .await
                .unwrap();
        assert_eq!(seeded.len(), 350);
        // The terms are the ones `reindex` writes.
        let terms_of = |id: i64| {
            let db = db.clone();
            async move {
                sqlx::query_as::<_, (String, i64)>(
                    "SELECT term, weight FROM provider_terms WHERE provider_id = $1 ORDER BY term",
                )
                .bind(id)
                .fetch_all(&db.pool)
                .await
                .unwrap()
            }
        };
        for id in seeded.iter().step_by(37) {
            let before = terms_of(*id).await;
            assert!(!before.is_empty());
            let mut tx = db.begin_write().await.unwrap();
            crate::directory::model::reindex(&mut tx, *id)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            assert_eq!(before, terms_of(*id).await, "card {id}");
        }
        use crate::directory::public::{run, SearchQuery};
        let snaps = std::sync::Arc::default();
        let search = |q: &str, territory: &str| SearchQuery {
            q: q.into(),
            territory: territory.into(),
            ..Default::default()
        };
        let day = crate::directory::search::day_seed(0);
        for (q, territory) in [("site web", ""), ("electricien", "FR-D33"), ("", "")] {
            let r = run(&db, &snaps, &search(q, territory), "fr", day)
                .await
                .unwrap();
            assert!(r.total > 0 && !r.hits.is_empty(), "{q} {territory}");
        }
        let all = run(&db, &snaps, &search("", ""), "fr", day).await.unwrap();
        assert!(all.total >= 350);
        db.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
    }

    #[test]
    fn demo_sirens_are_valid() {
        for (_, base, ..) in BUSINESSES {
            let s = siren_from(base);
            assert!(LegalId::parse(IdKind::Siren, &s).is_ok(), "{s}");
        }
    }
}
