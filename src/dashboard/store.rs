//! The dashboard's SQL. Every figure is an aggregate computed by the
//! database (`COUNT(DISTINCT business)`, sums, averages) over "facts": one
//! row per event (a registration marked present, a submitted diagnostic, a
//! file opened…) with the business key, the date, where, the sector, size,
//! partner and adviser. No per-registration row is loaded in memory.

use sqlx::Row;

use super::model::{AwareSource, BudgetCategory, Filter, Territories, Territory};
use crate::db::{now_ms, Db};
use crate::i18n::Locale;
use crate::kernel::bilingual::column;
use crate::kernel::money::Euros;

/// The territories read last, per database and language, with the version
/// of `derived_versions` they were read at.
type TerritorySlot = (i64, std::sync::Arc<Territories>);
static TERRITORIES: std::sync::LazyLock<
    std::sync::Mutex<std::collections::HashMap<(u64, Locale), TerritorySlot>>,
> = std::sync::LazyLock::new(Default::default);

/// Name of the `derived_versions` row counting changes to `territories`.
const TERRITORIES_VERSION: &str = "territories";

/// Every territory with its name in `locale`, by code. They are reference
/// data (35,000 rows with France's communes): read once per server and
/// language, and read again only when their version has moved (a commune
/// added, a reference import; see `bump_territories`), which a single
/// indexed read tells on every call, whichever server made the change.
pub async fn territories(
    db: &Db,
    locale: Locale,
) -> Result<std::sync::Arc<Territories>, sqlx::Error> {
    let version: i64 = sqlx::query_scalar("SELECT version FROM derived_versions WHERE name = $1")
        .bind(TERRITORIES_VERSION)
        .fetch_optional(&db.pool)
        .await?
        .unwrap_or(0);
    let key = (db.id, locale);
    let cached = TERRITORIES.lock().ok().and_then(|m| {
        m.get(&key)
            .filter(|(v, _)| *v == version)
            .map(|(_, t)| t.clone())
    });
    if let Some(t) = cached {
        return Ok(t);
    }
    let col = column(locale, "name_fr", "name_en");
    let rows: Vec<Territory> = sqlx::query_as(&format!(
        "SELECT code, parent_code, level, {col} AS name FROM territories"
    ))
    .fetch_all(&db.pool)
    .await?;
    let t = std::sync::Arc::new(rows.into_iter().map(|t| (t.code.clone(), t)).collect());
    if let Ok(mut m) = TERRITORIES.lock() {
        m.insert(key, (version, std::sync::Arc::clone(&t)));
    }
    Ok(t)
}

/// Record that `territories` changed, after the change (or in its
/// transaction): every server reads them again on its next use.
pub async fn bump_territories<'e, E>(exec: E) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO derived_versions (name, version, built_at) VALUES ($1, 1, $2) \
         ON CONFLICT (name) DO UPDATE SET version = derived_versions.version + 1, built_at = excluded.built_at",
    )
    .bind(TERRITORIES_VERSION)
    .bind(now_ms())
    .execute(exec)
    .await?;
    Ok(())
}

/// Sessions where at least one person was marked present.
pub async fn sessions_held(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(DISTINCT session_id) FROM workshop_registrations WHERE attendance = 'present'",
    )
    .fetch_one(&db.pool)
    .await
}

/// Where facts come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A registration marked present.
    Workshop,
    /// A submitted diagnostic.
    Diagnostic,
    /// A follow-up file opened.
    Case,
    /// A file with a plan (a template or plan steps done).
    Plan,
    /// Coaching hours delivered (v = minutes).
    Hours,
    /// A referral sent (v = 1 when taken up or done).
    Referral,
    /// A funding application obtained or paid (v = cents obtained).
    Funded,
    /// A business whose last diagnostic scores above its first.
    Progressed,
    /// A coaching request answered (v = milliseconds to first contact).
    FirstContact,
    /// A workshop feedback (v = satisfaction 1–5).
    Feedback,
    /// A coaching request from a workshop.
    Request,
    /// A session held (v = coaching requests planned).
    Session,
}

/// The business key of a registration: the business, else the name typed, else the address.
const REG_KEY: &str = "CASE WHEN r.business_id IS NOT NULL THEN 'b' || CAST(r.business_id AS TEXT) \
    WHEN TRIM(r.business_name) <> '' THEN 'n' || LOWER(TRIM(r.business_name)) ELSE 'e' || r.email_key END";

/// Columns of one fact: k, at, commune, sector, size, partner, adviser, v,
/// o, the origin: the row whose change recomputes it (see `triggers`), and
/// the workshop's theme and format (NULL for what does not come from one).
/// Theme and format of a fact that does not come from a workshop.
const NO_THEME: &str = "CAST(NULL AS TEXT) AS theme, CAST(NULL AS TEXT) AS format";

pub fn source_sql(s: Source) -> String {
    let nul_a = "CAST(NULL AS BIGINT)";
    // The workshop's theme and format, for the sources that come from a session.
    let theme = "th.slug AS theme, s.format AS format";
    let themes = "JOIN themes th ON th.id = s.theme_id";
    // The programme the fact belongs to (NULL: the first).
    let prog = |col: &str| format!("{} AS prog", crate::programme::of_row(col));
    let (sp, qp, dp, cp, ap) = (
        prog("s.programme_id"),
        prog("q.programme_id"),
        prog("d.programme_id"),
        prog("c.programme_id"),
        prog("a.programme_id"),
    );
    match s {
        Source::Workshop => format!(
            "SELECT {REG_KEY} AS k, s.starts_at AS at, COALESCE(b.commune_code, s.commune_code) AS commune, \
             b.sector_code AS sector, b.size_band AS size, COALESCE(b.partner_id, s.partner_id) AS partner, \
             {nul_a} AS adviser, CAST(0 AS BIGINT) AS v, r.id AS o, {sp}, {theme} \
             FROM workshop_registrations r JOIN workshop_sessions s ON s.id = r.session_id {themes} \
             LEFT JOIN businesses b ON b.id = r.business_id WHERE r.attendance = 'present'"
        ),
        Source::Feedback => format!(
            "SELECT {REG_KEY} AS k, s.starts_at AS at, COALESCE(b.commune_code, s.commune_code) AS commune, \
             b.sector_code AS sector, b.size_band AS size, COALESCE(b.partner_id, s.partner_id) AS partner, \
             {nul_a} AS adviser, fb.satisfaction AS v, fb.registration_id AS o, {sp}, {theme} \
             FROM workshop_feedback fb JOIN workshop_registrations r ON r.id = fb.registration_id \
             JOIN workshop_sessions s ON s.id = fb.session_id {themes} LEFT JOIN businesses b ON b.id = r.business_id"
        ),
        Source::Session => format!(
            "SELECT 's' || CAST(s.id AS TEXT) AS k, s.starts_at AS at, s.commune_code AS commune, \
             CAST(NULL AS TEXT) AS sector, CAST(NULL AS TEXT) AS size, s.partner_id AS partner, \
             {nul_a} AS adviser, s.planned_coaching AS v, s.id AS o, {sp}, {theme} FROM workshop_sessions s {themes} \
             WHERE EXISTS (SELECT 1 FROM workshop_registrations r WHERE r.session_id = s.id AND r.attendance = 'present')"
        ),
        Source::Request => format!(
            "SELECT 'q' || CAST(q.id AS TEXT) AS k, q.created_at AS at, COALESCE(b.commune_code, s.commune_code) AS commune, \
             b.sector_code AS sector, b.size_band AS size, COALESCE(b.partner_id, s.partner_id) AS partner, \
             q.assigned_to AS adviser, CAST(0 AS BIGINT) AS v, q.id AS o, {sp}, {theme} \
             FROM coaching_requests q JOIN workshop_sessions s ON s.id = q.session_id {themes} \
             LEFT JOIN businesses b ON b.id = q.business_id"
        ),
        Source::FirstContact => format!("SELECT CASE WHEN q.business_id IS NOT NULL THEN 'b' || CAST(q.business_id AS TEXT) \
             ELSE 'q' || CAST(q.id AS TEXT) END AS k, q.created_at AS at, b.commune_code AS commune, \
             b.sector_code AS sector, b.size_band AS size, b.partner_id AS partner, q.assigned_to AS adviser, \
             q.first_contact_at - q.created_at AS v, q.id AS o, {qp}, {NO_THEME} FROM coaching_requests q LEFT JOIN businesses b ON b.id = q.business_id \
             WHERE q.first_contact_at IS NOT NULL AND q.first_contact_at >= q.created_at"),
        Source::Diagnostic => format!("SELECT CASE WHEN d.business_id IS NOT NULL THEN 'b' || CAST(d.business_id AS TEXT) ELSE 'd' || CAST(d.id AS TEXT) END AS k, \
             d.submitted_at AS at, COALESCE(b.commune_code, d.territory_code) AS commune, \
             COALESCE(b.sector_code, d.sector_code) AS sector, COALESCE(b.size_band, d.size_band) AS size, \
             b.partner_id AS partner, d.adviser_id AS adviser, CAST(0 AS BIGINT) AS v, d.id AS o, {dp}, {NO_THEME} \
             FROM diagnostics d LEFT JOIN businesses b ON b.id = d.business_id \
             WHERE d.status = 'submitted' AND d.submitted_at IS NOT NULL"),
        Source::Progressed => format!("SELECT 'b' || CAST(d.business_id AS TEXT) AS k, d.submitted_at AS at, \
             b.commune_code AS commune, b.sector_code AS sector, b.size_band AS size, b.partner_id AS partner, \
             d.adviser_id AS adviser, CAST(0 AS BIGINT) AS v, d.business_id AS o, {dp}, {NO_THEME} \
             FROM diagnostics d JOIN businesses b ON b.id = d.business_id \
             WHERE d.status = 'submitted' AND d.id = (SELECT x.id FROM diagnostics x WHERE x.business_id = d.business_id \
             AND x.status = 'submitted' ORDER BY x.submitted_at DESC, x.id DESC LIMIT 1) \
             AND d.overall > (SELECT y.overall FROM diagnostics y WHERE y.business_id = d.business_id \
             AND y.status = 'submitted' ORDER BY y.submitted_at, y.id LIMIT 1)"),
        Source::Case | Source::Plan | Source::Hours | Source::Referral | Source::Funded => {
            let head = "'b' || CAST(c.business_id AS TEXT) AS k";
            let place = "b.commune_code AS commune, b.sector_code AS sector, b.size_band AS size, b.partner_id AS partner, c.adviser_id AS adviser";
            let cases = "cases c JOIN businesses b ON b.id = c.business_id";
            match s {
                Source::Case => format!("SELECT {head}, c.opened_at AS at, {place}, CAST(0 AS BIGINT) AS v, c.id AS o, {cp}, {NO_THEME} FROM {cases}"),
                Source::Plan => format!(
                    "SELECT {head}, c.opened_at AS at, {place}, CAST(0 AS BIGINT) AS v, c.id AS o, {cp}, {NO_THEME} FROM {cases} \
                     WHERE c.template_id IS NOT NULL OR EXISTS (SELECT 1 FROM case_plan_steps p WHERE p.case_id = c.id)"
                ),
                Source::Hours => format!(
                    "SELECT {head}, h.created_at AS at, {place}, h.delivered_minutes AS v, c.id AS o, {cp}, {NO_THEME} \
                     FROM case_hours h JOIN cases c ON c.id = h.case_id JOIN businesses b ON b.id = c.business_id"
                ),
                Source::Referral => format!(
                    "SELECT {head}, rf.sent_at AS at, {place}, \
                     CASE WHEN rf.status IN ('taken-up', 'done') THEN 1 ELSE 0 END AS v, c.id AS o, {cp}, {NO_THEME} \
                     FROM referrals rf JOIN cases c ON c.id = rf.case_id JOIN businesses b ON b.id = c.business_id"
                ),
                _ => format!("SELECT 'b' || CAST(a.business_id AS TEXT) AS k, a.updated_at AS at, \
                     b.commune_code AS commune, b.sector_code AS sector, b.size_band AS size, b.partner_id AS partner, \
                     c.adviser_id AS adviser, COALESCE(a.obtained_cents, 0) AS v, a.business_id AS o, {ap}, {NO_THEME} \
                     FROM funding_applications a JOIN businesses b ON b.id = a.business_id \
                     LEFT JOIN cases c ON c.id = a.case_id WHERE a.status IN ('obtained', 'paid')"),
            }
        }
    }
}

/// The instants bounding a period filter (from midnight, to the next midnight).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bounds {
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
}

/// Facts of `sources` under `filter`, joined to their territory and sector;
/// columns f.k, f.at, f.v, f.partner, f.adviser, f.size, f.sector, t.*.
fn filtered(sources: &[Source], filter: &Filter, bounds: Bounds, with_period: bool) -> String {
    let union: Vec<String> = sources.iter().map(|s| source_sql(*s)).collect();
    let mut conds: Vec<String> = vec![];
    if with_period {
        if let Some(from) = bounds.from_ms {
            conds.push(format!("f.at >= {from}"));
        }
        if let Some(to) = bounds.to_ms {
            conds.push(format!("f.at < {to}"));
        }
    }
    // Codes are checked by `safe_code` (letters, digits, - _ .) before here.
    if let Some(t) = &filter.territory {
        // Any level: the commune or one of its (at most five) ancestors.
        conds.push(format!(
            "(f.commune = '{t}' OR t.parent_code = '{t}' OR t2.parent_code = '{t}' \
             OR t3.parent_code = '{t}' OR t4.parent_code = '{t}' OR t5.parent_code = '{t}')"
        ));
    }
    if let Some(s) = &filter.sector {
        conds.push(format!("(f.sector = '{s}' OR sc.parent_code = '{s}')"));
    }
    if let Some(s) = &filter.size {
        conds.push(format!("f.size = '{s}'"));
    }
    if let Some(p) = filter.partner {
        conds.push(format!("f.partner = {p}"));
    }
    if let Some(a) = filter.adviser {
        conds.push(format!("f.adviser = {a}"));
    }
    if let Some(p) = filter.programme() {
        conds.push(format!("f.prog = {p}"));
    }
    let wher = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    format!(
        "({}) f LEFT JOIN territories t ON t.code = f.commune LEFT JOIN territories t2 ON t2.code = t.parent_code \
         LEFT JOIN territories t3 ON t3.code = t2.parent_code LEFT JOIN territories t4 ON t4.code = t3.parent_code \
         LEFT JOIN territories t5 ON t5.code = t4.parent_code \
         LEFT JOIN sectors sc ON sc.code = f.sector{wher}",
        union.join(" UNION ALL ")
    )
}

/// Aggregates of a set of facts.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Agg {
    /// Distinct keys (businesses, sessions, requests).
    pub distinct: i64,
    /// Rows.
    pub rows: i64,
    /// Sum of v.
    pub sum: i64,
    /// Average of v, when any row.
    pub avg: Option<f64>,
}

/// Aggregate the facts of `sources`.
pub async fn aggregate(
    db: &Db,
    sources: &[Source],
    filter: &Filter,
    bounds: Bounds,
) -> Result<Agg, sqlx::Error> {
    let sql = format!(
        "SELECT COUNT(DISTINCT f.k) AS n, COUNT(*) AS c, CAST(COALESCE(SUM(f.v), 0) AS BIGINT) AS s, \
         CAST(AVG(f.v) AS DOUBLE PRECISION) AS a FROM {}",
        filtered(sources, filter, bounds, true)
    );
    let row = sqlx::query(&sql).fetch_one(&db.pool).await?;
    Ok(Agg {
        distinct: row.try_get("n")?,
        rows: row.try_get("c")?,
        sum: row.try_get("s")?,
        avg: row.try_get::<Option<f64>, _>("a")?,
    })
}

/// The sources of "made aware" for a rule.
pub fn aware_sources(rule: &[AwareSource]) -> Vec<Source> {
    rule.iter()
        .map(|s| match s {
            AwareSource::Workshop => Source::Workshop,
            AwareSource::Diagnostic => Source::Diagnostic,
            AwareSource::Case => Source::Case,
        })
        .collect()
}

/// Distinct businesses per group of a breakdown: (group code, count).
pub async fn breakdown(
    db: &Db,
    sources: &[Source],
    filter: &Filter,
    bounds: Bounds,
    dimension: super::model::Dimension,
) -> Result<Vec<(Option<String>, i64)>, sqlx::Error> {
    use super::model::Dimension::*;
    let at_level;
    let g = match dimension {
        Territory => match filter.level {
            None => "CASE WHEN t.level = 'commune' THEN t.parent_code ELSE t.code END",
            Some(l) => {
                let l = l.code();
                at_level = format!(
                    "CASE WHEN t.level = '{l}' THEN t.code WHEN t2.level = '{l}' THEN t2.code \
                     WHEN t3.level = '{l}' THEN t3.code WHEN t4.level = '{l}' THEN t4.code \
                     WHEN t5.level = '{l}' THEN t5.code END"
                );
                at_level.as_str()
            }
        },
        Sector => "f.sector",
        Size => "f.size",
        Partner => "CAST(f.partner AS TEXT)",
        Adviser => "CAST(f.adviser AS TEXT)",
        Theme => "f.theme",
        Format => "f.format",
    };
    let sql = format!(
        "SELECT g, COUNT(DISTINCT k) AS n FROM (SELECT {g} AS g, f.k AS k FROM {}) x GROUP BY g",
        filtered(sources, filter, bounds, true)
    );
    let rows = sqlx::query(&sql).fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| Ok((r.try_get::<Option<String>, _>("g")?, r.try_get("n")?)))
        .collect()
}

/// Businesses reached by each of `bounds_ms` (first fact before the bound),
/// under the filter's dimensions (not its period): the cumulative curve.
pub async fn cumulative(
    db: &Db,
    sources: &[Source],
    filter: &Filter,
    bounds_ms: &[i64],
) -> Result<Vec<i64>, sqlx::Error> {
    if bounds_ms.is_empty() {
        return Ok(vec![]);
    }
    let cols: Vec<String> = bounds_ms
        .iter()
        .enumerate()
        .map(|(i, b)| {
            format!("CAST(COALESCE(SUM(CASE WHEN m < {b} THEN 1 ELSE 0 END), 0) AS BIGINT) AS c{i}")
        })
        .collect();
    let sql = format!(
        "SELECT {} FROM (SELECT f.k AS k, MIN(f.at) AS m FROM {} GROUP BY f.k) x",
        cols.join(", "),
        filtered(sources, filter, Bounds::default(), false)
    );
    let row = sqlx::query(&sql).fetch_one(&db.pool).await?;
    (0..bounds_ms.len())
        .map(|i| row.try_get::<i64, _>(format!("c{i}").as_str()))
        .collect()
}

/// First and last diagnostic scores of businesses diagnosed twice or more
/// under the filter (one pair per business: bounded by the businesses diagnosed).
pub async fn score_pairs(
    db: &Db,
    filter: &Filter,
    bounds: Bounds,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let inner = filtered(&[Source::Diagnostic], filter, bounds, true);
    let sql = format!(
        "SELECT (SELECT y.scores_json FROM diagnostics y WHERE y.business_id = d.business_id AND y.status = 'submitted' \
           ORDER BY y.submitted_at, y.id LIMIT 1) AS t0, \
         (SELECT x.scores_json FROM diagnostics x WHERE x.business_id = d.business_id AND x.status = 'submitted' \
           ORDER BY x.submitted_at DESC, x.id DESC LIMIT 1) AS t1 \
         FROM (SELECT business_id FROM diagnostics WHERE status = 'submitted' AND business_id IS NOT NULL \
           GROUP BY business_id HAVING COUNT(*) > 1) d \
         WHERE 'b' || CAST(d.business_id AS TEXT) IN (SELECT f.k FROM {inner})"
    );
    let rows = sqlx::query(&sql).fetch_all(&db.pool).await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let a: Option<String> = r.try_get("t0").ok().flatten();
            let b: Option<String> = r.try_get("t1").ok().flatten();
            Some((a?, b?))
        })
        .collect())
}

/// Names of partners, by id (as text, the breakdown's group).
pub async fn partner_names(db: &Db) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, name FROM partners ORDER BY name")
        .fetch_all(&db.pool)
        .await
}

/// Advisers (staff) by id, with their display name.
pub async fn adviser_names(db: &Db) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.display_name FROM users u WHERE EXISTS (SELECT 1 FROM user_roles r \
         WHERE r.user_id = u.id AND r.role IN ('admin', 'adviser')) ORDER BY u.display_name",
    )
    .fetch_all(&db.pool)
    .await
}

/// Every sector (code, name), to label a breakdown by the businesses' own sector.
pub async fn all_sector_names(
    db: &Db,
    locale: Locale,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let col = column(locale, "name_fr", "name_en");
    sqlx::query_as(&format!("SELECT code, {col} FROM sectors"))
        .fetch_all(&db.pool)
        .await
}

/// Every theme (slug, title), to label the breakdown by workshop theme.
pub async fn theme_names(db: &Db, locale: Locale) -> Result<Vec<(String, String)>, sqlx::Error> {
    let col = column(locale, "title_fr", "title_en");
    sqlx::query_as(&format!("SELECT slug, {col} FROM themes"))
        .fetch_all(&db.pool)
        .await
}

/// Every sector's parent, by code (the sector filter takes a sector and its children).
pub async fn sector_parents(
    db: &Db,
) -> Result<std::collections::HashMap<String, Option<String>>, sqlx::Error> {
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT code, parent_code FROM sectors")
            .fetch_all(&db.pool)
            .await?;
    Ok(rows.into_iter().collect())
}

/// Top-level sectors (code, name).
pub async fn sector_names(db: &Db, locale: Locale) -> Result<Vec<(String, String)>, sqlx::Error> {
    let col = column(locale, "name_fr", "name_en");
    sqlx::query_as(&format!(
        "SELECT code, {col} FROM sectors WHERE parent_code IS NULL ORDER BY {col}"
    ))
    .fetch_all(&db.pool)
    .await
}

// ------------------------------------------------------------ settings

/// The programme's dashboard settings.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub target_date: Option<String>,
    pub target_aware: i64,
    pub budget: Euros,
    pub aware_rule: String,
    pub shares: [Euros; 4],
    /// Targets of the other indicators (only those set, above zero).
    pub targets: Vec<(super::model::Indicator, i64)>,
    /// The manager's notes for the PDF report (context, events, caveats).
    pub report_notes: String,
}

impl Settings {
    /// The target set for `i`, if any.
    pub fn target(&self, i: super::model::Indicator) -> Option<i64> {
        if i == super::model::Indicator::Aware {
            return (self.target_aware > 0).then_some(self.target_aware);
        }
        self.targets.iter().find(|(x, _)| *x == i).map(|(_, t)| *t)
    }
}

/// Read the settings of programme `id`.
pub async fn settings(db: &Db, id: i64) -> Result<Settings, sqlx::Error> {
    let r = sqlx::query(
        "SELECT start_date, end_date, target_date, target_aware, budget_cents, aware_rule, \
         share_region_cents, share_state_cents, share_sponsors_cents, share_training_cents, report_notes \
         FROM programmes WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await?;
    Ok(Settings {
        start_date: r.try_get("start_date")?,
        end_date: r.try_get("end_date")?,
        target_date: r.try_get("target_date")?,
        target_aware: r.try_get("target_aware")?,
        budget: Euros(r.try_get("budget_cents")?),
        aware_rule: r.try_get("aware_rule")?,
        report_notes: r.try_get("report_notes")?,
        shares: [
            Euros(r.try_get("share_region_cents")?),
            Euros(r.try_get("share_state_cents")?),
            Euros(r.try_get("share_sponsors_cents")?),
            Euros(r.try_get("share_training_cents")?),
        ],
        targets: {
            let rows: Vec<(String, i64)> = sqlx::query_as(
                "SELECT indicator, target FROM dashboard_targets WHERE programme_id = $1",
            )
            .bind(id)
            .fetch_all(&db.pool)
            .await?;
            super::model::Indicator::TARGETED
                .iter()
                .filter_map(|i| {
                    rows.iter()
                        .find(|(c, _)| c == i.code())
                        .map(|(_, t)| (*i, *t))
                })
                .collect()
        },
    })
}

/// Save the settings of programme `id`.
pub async fn save_settings(db: &Db, id: i64, s: &Settings) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE programmes SET start_date = $1, end_date = $2, target_date = $3, target_aware = $4, budget_cents = $5, \
         aware_rule = $6, share_region_cents = $7, share_state_cents = $8, share_sponsors_cents = $9, \
         share_training_cents = $10, updated_at = $11, report_notes = $13 WHERE id = $12",
    )
    .bind(s.start_date.clone())
    .bind(s.end_date.clone())
    .bind(s.target_date.clone())
    .bind(s.target_aware)
    .bind(s.budget.cents())
    .bind(s.aware_rule.clone())
    .bind(s.shares[0].cents())
    .bind(s.shares[1].cents())
    .bind(s.shares[2].cents())
    .bind(s.shares[3].cents())
    .bind(now_ms())
    .bind(id)
    .bind(&s.report_notes)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM dashboard_targets WHERE programme_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for (i, t) in s.targets.iter().filter(|(_, t)| *t > 0) {
        sqlx::query(
            "INSERT INTO dashboard_targets (programme_id, indicator, target) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(i.code())
        .bind(*t)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// A budget line.
#[derive(Debug, Clone)]
pub struct BudgetLine {
    pub id: i64,
    pub category: BudgetCategory,
    pub label: String,
    pub planned: Euros,
    pub spent: Euros,
}

/// The budget lines of programme `id`, by category then label.
pub async fn budget_lines(db: &Db, id: i64) -> Result<Vec<BudgetLine>, sqlx::Error> {
    let rows: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
        "SELECT id, category, label, planned_cents, spent_cents FROM budget_lines WHERE programme_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let mut v: Vec<BudgetLine> = rows
        .into_iter()
        .map(|(id, c, label, p, s)| BudgetLine {
            id,
            category: BudgetCategory::from_code(&c).unwrap_or(BudgetCategory::Other),
            label,
            planned: Euros(p),
            spent: Euros(s),
        })
        .collect();
    v.sort_by_key(|l| {
        BudgetCategory::ALL
            .iter()
            .position(|c| *c == l.category)
            .unwrap_or(99)
    });
    Ok(v)
}

/// Add a budget line (amounts checked: never negative).
pub async fn add_budget_line(
    db: &Db,
    programme: i64,
    category: BudgetCategory,
    label: &str,
    planned: Euros,
    spent: Euros,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO budget_lines (programme_id, category, label, planned_cents, spent_cents, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(programme)
    .bind(category.code())
    .bind(label)
    .bind(planned.cents())
    .bind(spent.cents())
    .bind(now_ms())
    .fetch_one(&db.pool)
    .await?;
    Ok(id)
}

/// Delete a budget line of the programme; false when there is none.
pub async fn delete_budget_line(db: &Db, programme: i64, id: i64) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("DELETE FROM budget_lines WHERE id = $1 AND programme_id = $2")
        .bind(id)
        .bind(programme)
        .execute(&db.pool)
        .await?;
    Ok(r.rows_affected() > 0)
}
