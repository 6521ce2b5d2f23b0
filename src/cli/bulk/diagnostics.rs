//! Submitted diagnostics spread over sectors, sizes and departments.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::auth::hash_secret;
use crate::db::{now_ms, Db};
use crate::diagnostic::bank::{Bank, Kind};
use crate::diagnostic::model::Level;
use crate::diagnostic::scoring::{self, Answer, Response};
use crate::diagnostic::store;
use crate::web::pipeline::random_token;

/// NACE divisions the seeded diagnostics are spread over (weight).
pub(super) const SEED_SECTORS: &[(&str, u32)] = &[
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
pub(super) const SEED_TERRITORIES: &[(&str, u32)] =
    &[("FR-D33", 60), ("FR-D24", 20), ("FR-D40", 20)];

/// Profile (sector, size band, territory) of the diagnostic whose link
/// [`diagnostics`] returns; always the first one seeded by a run.
pub const LINK_PROFILE: (&str, &str, &str) = ("47", "1-9", "FR-D33");

/// Seed of the pseudo-random answers: the same answers on every run.
pub const DIAGNOSTICS_SEED: u64 = 2026;

/// Diagnostics written per transaction.
const BATCH: usize = 250;

pub(crate) fn pick<'a>(rng: &mut impl Rng, choices: &[(&'a str, u32)]) -> &'a str {
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
    let programme_id = crate::programme::load(db, None).await?.id;
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
