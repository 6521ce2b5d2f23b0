//! A programme's activity at scale, for the dashboard and follow-up file
//! benchmarks (`seed --businesses N --held-sessions N --registrations N
//! --files N --activities N`): businesses with a valid SIREN, workshop
//! sessions held over the last thirteen months with people registered and
//! marked present or absent (some feedback and coaching requests), follow-up
//! files on those businesses and activities in the files. Written through
//! the application's own tables, with their constraints (unique legal ids,
//! one seat number per person and session, seats taken within capacity),
//! in one write transaction per kind with multi-row inserts.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::diagnostics::pick;
use crate::business::identifiers::{IdKind, LegalId};
use crate::db::{now_ms, Db};

/// Seed of the pseudo-random choices: the same data on every run.
pub const ACTIVITY_SEED: u64 = 16;

const DAY: i64 = 86_400_000;

/// How much to create (each run adds that much more).
#[derive(Debug, Clone, Copy, Default)]
pub struct Volume {
    pub businesses: usize,
    pub held_sessions: usize,
    pub registrations: usize,
    pub files: usize,
    pub activities: usize,
}

/// What was created.
#[derive(Debug, Clone, Copy, Default)]
pub struct Created {
    pub businesses: usize,
    pub held_sessions: usize,
    pub registrations: usize,
    pub files: usize,
    pub activities: usize,
    /// The newest file of the demo adviser, when there is one.
    pub adviser_file: Option<i64>,
}

/// A bound value of a multi-row insert.
enum V {
    I(i64),
    OI(Option<i64>),
    S(String),
    OS(Option<String>),
}

/// Insert `rows` into `table` (`columns`), in multi-row statements small
/// enough for either database's parameter limit.
async fn insert(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<V>>,
) -> anyhow::Result<()> {
    let width = columns.len();
    let per = (30_000 / width).min(1_000);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<V>> = rows.by_ref().take(per).collect();
        let values: Vec<String> = (0..chunk.len())
            .map(|r| {
                let cells: Vec<String> =
                    (1..=width).map(|c| format!("${}", r * width + c)).collect();
                format!("({})", cells.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES {}",
            columns.join(", "),
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for row in chunk {
            debug_assert_eq!(row.len(), width);
            for v in row {
                q = match v {
                    V::I(x) => q.bind(x),
                    V::OI(x) => q.bind(x),
                    V::S(x) => q.bind(x),
                    V::OS(x) => q.bind(x),
                };
            }
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// A valid SIREN (Luhn check digit) from an eight-digit number.
fn siren(n: u64) -> String {
    let body = format!("{:08}", n % 100_000_000);
    let check = (0..10)
        .map(|d| format!("{body}{d}"))
        .find(|s| LegalId::parse(IdKind::Siren, s).is_ok())
        .unwrap_or_else(|| format!("{body}0"));
    check
}

const NAMES: &[&str] = &[
    "Boulangerie",
    "Garage",
    "Atelier",
    "Menuiserie",
    "Fleurs",
    "Plomberie",
    "Épicerie",
    "Salon",
    "Transports",
    "Restaurant",
    "Hôtel",
    "Studio",
];
const FAMILIES: &[&str] = &[
    "Dupont", "Martin", "Lacoste", "Benali", "Laurent", "Garcia", "Moreau", "Petit", "Roux",
    "Fabre", "Lambert", "Bonnet",
];
const SIZES: &[(&str, u32)] = &[("0", 30), ("1-9", 45), ("10-49", 20), ("50-249", 5)];

/// Create `v` of each kind (see the module's doc). Needs the demo data
/// (sectors, territories, themes, advisers, file templates).
pub async fn activity(db: &Db, v: Volume) -> anyhow::Result<Created> {
    let mut rng = StdRng::seed_from_u64(ACTIVITY_SEED);
    let programme = crate::programme::load(db, None).await?;
    let now = now_ms();
    let first = now - 395 * DAY;
    let mut created = Created::default();

    let sectors: Vec<String> =
        sqlx::query_scalar("SELECT code FROM sectors WHERE parent_code IS NOT NULL ORDER BY code")
            .fetch_all(&db.pool)
            .await?;
    let communes: Vec<String> = sqlx::query_scalar(
        "SELECT code FROM territories WHERE level = 'commune' AND code LIKE 'FR-%' ORDER BY code",
    )
    .fetch_all(&db.pool)
    .await?;
    let partners: Vec<i64> = sqlx::query_scalar("SELECT id FROM partners ORDER BY id")
        .fetch_all(&db.pool)
        .await?;
    let themes: Vec<i64> = sqlx::query_scalar("SELECT id FROM themes ORDER BY id")
        .fetch_all(&db.pool)
        .await?;
    let advisers: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT user_id FROM user_roles WHERE role IN ('adviser', 'admin') ORDER BY user_id",
    )
    .fetch_all(&db.pool)
    .await?;
    let templates: Vec<i64> = sqlx::query_scalar("SELECT id FROM case_templates ORDER BY id")
        .fetch_all(&db.pool)
        .await?;
    let demo_adviser: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'conseiller@tremplin-demo.fr'")
            .fetch_optional(&db.pool)
            .await?;
    if sectors.is_empty() || communes.is_empty() || themes.is_empty() || advisers.is_empty() {
        anyhow::bail!(
            "sectors, communes, themes or advisers missing: load the demo data first (seed --demo)"
        );
    }

    // Businesses.
    let before: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM businesses")
        .fetch_one(&db.pool)
        .await?;
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM businesses")
        .fetch_one(&db.pool)
        .await?;
    if v.businesses > 0 {
        let mut tx = db.begin_write().await?;
        let mut rows = Vec::with_capacity(v.businesses);
        for i in 0..v.businesses {
            let name = format!(
                "{} {} {}",
                NAMES[rng.gen_range(0..NAMES.len())],
                FAMILIES[rng.gen_range(0..FAMILIES.len())],
                existing as usize + i
            );
            let id = siren(71_000_000 + existing as u64 + i as u64);
            let at = rng.gen_range(first..now);
            let partner = if partners.is_empty() || rng.gen_bool(0.4) {
                None
            } else {
                Some(partners[rng.gen_range(0..partners.len())])
            };
            rows.push(vec![
                V::OI(programme.id),
                V::S(crate::text::fold(&format!("{name} {id}"))),
                V::S(name),
                V::S("siren".into()),
                V::S(id),
                V::S("FR".into()),
                V::OS(Some(sectors[rng.gen_range(0..sectors.len())].clone())),
                V::S(pick(&mut rng, SIZES).to_string()),
                V::OS(Some(communes[rng.gen_range(0..communes.len())].clone())),
                V::OI(partner),
                V::I(at),
                V::I(at),
            ]);
        }
        insert(
            &mut tx,
            "businesses",
            &[
                "programme_id",
                "search_key",
                "name",
                "id_kind",
                "id_value",
                "country",
                "sector_code",
                "size_band",
                "commune_code",
                "partner_id",
                "created_at",
                "updated_at",
            ],
            rows,
        )
        .await?;
        tx.commit().await?;
        created.businesses = v.businesses;
    }
    // The businesses registrations and files are about: the new ones, else all.
    let mut businesses: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM businesses WHERE id > $1 ORDER BY id")
            .bind(before)
            .fetch_all(&db.pool)
            .await?;
    if businesses.is_empty() {
        businesses = sqlx::query_scalar("SELECT id FROM businesses ORDER BY id")
            .fetch_all(&db.pool)
            .await?;
    }
    if businesses.is_empty() {
        anyhow::bail!("no business: load the demo data first (seed --demo)");
    }

    // Sessions held, and their registrations.
    if v.held_sessions > 0 {
        let per = v.registrations.div_ceil(v.held_sessions);
        let capacity = (per as i64 + 5).max(8);
        let first_session: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM workshop_sessions")
                .fetch_one(&db.pool)
                .await?;
        let mut tx = db.begin_write().await?;
        let mut rows = Vec::with_capacity(v.held_sessions);
        let mut starts = Vec::with_capacity(v.held_sessions);
        for n in 0..v.held_sessions {
            // Between 395 and 2 days ago, at 9:00 to 16:00 UTC.
            let day = now - (2 + rng.gen_range(0..393)) * DAY;
            let at = day - day % DAY + (9 + rng.gen_range(0..8)) * 3_600_000;
            starts.push(at);
            let partner = if partners.is_empty() || rng.gen_bool(0.5) {
                None
            } else {
                Some(partners[rng.gen_range(0..partners.len())])
            };
            rows.push(vec![
                V::OI(programme.id),
                V::I(themes[n % themes.len()]),
                V::S(if n % 2 == 0 { "awareness" } else { "halfday" }.into()),
                V::I(at),
                V::I(at + if n % 2 == 0 { 60 } else { 210 } * 60_000),
                V::S("Salle des fêtes".into()),
                V::OS(Some(communes[rng.gen_range(0..communes.len())].clone())),
                V::I(capacity),
                V::OI(partner),
                V::I(at - 30 * DAY),
                V::I(at - 30 * DAY),
            ]);
        }
        insert(
            &mut tx,
            "workshop_sessions",
            &[
                "programme_id",
                "theme_id",
                "format",
                "starts_at",
                "ends_at",
                "venue",
                "commune_code",
                "capacity",
                "partner_id",
                "created_at",
                "updated_at",
            ],
            rows,
        )
        .await?;
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM workshop_sessions WHERE id > $1 ORDER BY id")
                .bind(first_session)
                .fetch_all(&mut *tx)
                .await?;
        let first_reg: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM workshop_registrations")
                .fetch_one(&mut *tx)
                .await?;
        let mut rows = Vec::with_capacity(v.registrations.min(100_000));
        let mut person = 0usize;
        for (s, (id, at)) in ids.iter().zip(starts.iter()).enumerate() {
            let seats = per.min(v.registrations.saturating_sub(s * per));
            for seat in 1..=seats {
                person += 1;
                let email = format!("personne{}-{}@bench.tremplin.test", first_reg, person);
                let business = if rng.gen_bool(0.9) {
                    Some(businesses[rng.gen_range(0..businesses.len())])
                } else {
                    None
                };
                let present = rng.gen_bool(0.8);
                rows.push(vec![
                    V::I(*id),
                    V::OI(business),
                    V::S(format!("Personne {person}")),
                    V::S(email.clone()),
                    V::S(email),
                    V::S(if business.is_none() {
                        format!("Entreprise {}", person % 5_000)
                    } else {
                        String::new()
                    }),
                    V::I(seat as i64),
                    V::S(if present { "present" } else { "absent" }.into()),
                    V::I(*at),
                    V::S(crate::workshops::booking::CONSENT_VERSION.into()),
                    V::I(at - 7 * DAY),
                ]);
                if rows.len() == 100_000 {
                    write_registrations(&mut tx, std::mem::take(&mut rows)).await?;
                }
            }
        }
        write_registrations(&mut tx, rows).await?;
        sqlx::query(
            "UPDATE workshop_sessions SET seats_taken = (SELECT COUNT(*) FROM workshop_registrations r \
             WHERE r.session_id = workshop_sessions.id), last_seat = (SELECT COUNT(*) FROM workshop_registrations r \
             WHERE r.session_id = workshop_sessions.id) WHERE id > $1",
        )
        .bind(first_session)
        .execute(&mut *tx)
        .await?;
        // One person present in five gives feedback; one in twenty-five asks for coaching.
        sqlx::query(
            "INSERT INTO workshop_feedback (registration_id, session_id, satisfaction, usefulness, comment, wants_coaching, created_at) \
             SELECT r.id, r.session_id, 3 + r.id % 3, 2 + r.id % 4, '', CASE WHEN r.id % 25 = 0 THEN 1 ELSE 0 END, r.attendance_at + 86400000 \
             FROM workshop_registrations r WHERE r.id > $1 AND r.attendance = 'present' AND r.id % 5 = 0",
        )
        .bind(first_reg)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO coaching_requests (business_id, registration_id, session_id, name, email, business_name, message, source, status, created_at, updated_at) \
             SELECT r.business_id, r.id, r.session_id, r.name, r.email, r.business_name, '', 'workshop-feedback', 'open', \
             r.attendance_at + 86400000, r.attendance_at + 86400000 \
             FROM workshop_registrations r WHERE r.id > $1 AND r.attendance = 'present' AND r.id % 25 = 0",
        )
        .bind(first_reg)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        created.held_sessions = ids.len();
        created.registrations = person;
    }

    // Follow-up files and their activities.
    if v.files > 0 {
        let first_case: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM cases")
            .fetch_one(&db.pool)
            .await?;
        let statuses = [
            "to-qualify",
            "active",
            "active",
            "active",
            "paused",
            "closed",
        ];
        let mut tx = db.begin_write().await?;
        let mut rows = Vec::with_capacity(v.files);
        let mut opened_at = Vec::with_capacity(v.files);
        for i in 0..v.files {
            let opened = now - rng.gen_range(1..395) * DAY;
            opened_at.push(opened);
            let status = statuses[rng.gen_range(0..statuses.len())];
            let adviser = match demo_adviser {
                Some(a) if i % 4 == 0 => a,
                _ => advisers[rng.gen_range(0..advisers.len())],
            };
            rows.push(vec![
                V::I(businesses[(i * 7919) % businesses.len()]),
                V::OI(if templates.is_empty() || rng.gen_bool(0.3) {
                    None
                } else {
                    Some(templates[rng.gen_range(0..templates.len())])
                }),
                V::OI(Some(adviser)),
                V::S(status.into()),
                V::OS((status == "closed").then(|| "goals-met".to_string())),
                V::S(format!("Dossier d'accompagnement n° {i}")),
                V::I(opened),
                V::OI((status == "closed").then_some((opened + 120 * DAY).min(now))),
                V::OI(demo_adviser),
                V::I(opened),
                V::S("manual".into()),
                V::I(opened),
            ]);
        }
        insert(
            &mut tx,
            "cases",
            &[
                "business_id",
                "template_id",
                "adviser_id",
                "status",
                "outcome",
                "summary",
                "opened_at",
                "closed_at",
                "created_by",
                "created_at",
                "origin",
                "updated_at",
            ],
            rows,
        )
        .await?;
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM cases WHERE id > $1 ORDER BY id")
            .bind(first_case)
            .fetch_all(&mut *tx)
            .await?;
        let kinds = ["note", "meeting", "call", "audit"];
        let mut rows = Vec::with_capacity(v.activities.min(100_000));
        for n in 0..v.activities {
            let i = n % ids.len();
            let planned = rng.gen_bool(1.0 / 3.0);
            let at = opened_at[i] + rng.gen_range(0..150) * DAY + rng.gen_range(8..18) * 3_600_000;
            rows.push(vec![
                V::I(ids[i]),
                V::S(
                    if planned {
                        "meeting"
                    } else {
                        kinds[rng.gen_range(0..kinds.len())]
                    }
                    .into(),
                ),
                V::S(format!("Activité {n}")),
                V::S("Texte de l'activité ".repeat(rng.gen_range(1..20))),
                V::OI(planned.then_some(at)),
                V::OI((!planned).then_some(at)),
                V::I([0, 30, 60, 120][rng.gen_range(0..4)]),
                V::OI(demo_adviser),
                V::I(at),
                V::I(at),
            ]);
            if rows.len() == 100_000 {
                write_activities(&mut tx, std::mem::take(&mut rows)).await?;
            }
        }
        write_activities(&mut tx, rows).await?;
        // Each activity carries the adviser in charge of its file.
        sqlx::query(
            "UPDATE case_activities SET adviser_id = (SELECT c.adviser_id FROM cases c WHERE c.id = case_activities.case_id) \
             WHERE case_id > $1",
        )
        .bind(first_case)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        created.files = ids.len();
        created.activities = v.activities;
    }
    if let Some(a) = demo_adviser {
        created.adviser_file =
            sqlx::query_scalar("SELECT MAX(id) FROM cases WHERE adviser_id = $1")
                .bind(a)
                .fetch_one(&db.pool)
                .await?;
    }
    Ok(created)
}

async fn write_registrations(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    rows: Vec<Vec<V>>,
) -> anyhow::Result<()> {
    // status, locale, source and the instants are the same for everyone:
    // bound once per row would only lengthen the statement.
    let rows = rows
        .into_iter()
        .map(|mut r| {
            let consent = match r.last() {
                Some(V::I(x)) => *x,
                _ => 0,
            };
            r.extend([
                V::S("confirmed".into()),
                V::S("fr".into()),
                V::S("web".into()),
                V::I(consent),
                V::I(consent),
                V::I(consent),
            ]);
            r
        })
        .collect();
    insert(
        tx,
        "workshop_registrations",
        &[
            "session_id",
            "business_id",
            "name",
            "email",
            "email_key",
            "business_name",
            "seat_no",
            "attendance",
            "attendance_at",
            "consent_version",
            "consent_at",
            "status",
            "locale",
            "source",
            "created_at",
            "updated_at",
            "confirmed_at",
        ],
        rows,
    )
    .await
}

async fn write_activities(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    rows: Vec<Vec<V>>,
) -> anyhow::Result<()> {
    insert(
        tx,
        "case_activities",
        &[
            "case_id",
            "kind",
            "title",
            "body",
            "due_at",
            "happened_at",
            "minutes",
            "author_id",
            "created_at",
            "updated_at",
        ],
        rows,
    )
    .await
}
