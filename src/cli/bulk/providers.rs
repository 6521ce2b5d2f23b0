//! Published directory cards with services, areas and references.

use std::collections::HashMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::diagnostics::{pick, SEED_SECTORS, SEED_TERRITORIES};
use crate::cli::seed::siren_from;
use crate::db::{now_ms, Db};

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
/// year. Their search terms are computed like [`crate::directory::store::reindex`]
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
            // Same parts and weights as `directory::store::reindex`.
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
