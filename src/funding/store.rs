//! Every SQL statement of funding schemes, a business's facts and its applications.

use std::collections::HashSet;
use std::sync::Arc;

use super::model::{
    parse_rules, rules_text, ApplicationStatus, Facts, Formula, Recurrence, Rule, SchemeStatus,
    ValidScheme,
};
use crate::db::{now_ms, Db};
use crate::directory::index::Snapshots;
use crate::guides::packed::{form_text, pack, Select};
use crate::kernel::money::Euros;

/// A stored scheme.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SchemeRow {
    pub id: i64,
    pub slug: String,
    pub status: String,
    pub title_fr: String,
    pub title_en: String,
    pub summary_fr: String,
    pub summary_en: String,
    pub aid_types: String,
    pub audiences: String,
    pub stages: String,
    pub recurrence: String,
    pub opens_on: String,
    pub closes_on: String,
    pub backers: String,
    pub instructor: String,
    pub perimeter_code: String,
    pub themes: String,
    pub rate_pct: Option<i64>,
    pub cap_cents: Option<i64>,
    pub floor_cents: Option<i64>,
    pub rules: String,
    pub link: String,
    pub version: i64,
}

impl SchemeRow {
    /// Its amount formula.
    pub fn formula(&self) -> Formula {
        Formula {
            rate_pct: self.rate_pct,
            cap: self.cap_cents.map(Euros),
            floor: self.floor_cents.map(Euros),
        }
    }
    /// Its eligibility rules (stored checked; unreadable lines are skipped).
    pub fn rules(&self) -> Vec<Rule> {
        parse_rules(&self.rules).unwrap_or_default()
    }
    /// True when published.
    pub fn is_published(&self) -> bool {
        self.status == SchemeStatus::Published.code()
    }
    /// The title in `locale`.
    pub fn title(&self, locale: crate::i18n::Locale) -> &str {
        crate::kernel::bilingual::Bilingual {
            fr: &self.title_fr,
            en: &self.title_en,
        }
        .get(locale)
    }
    /// The summary in `locale`.
    pub fn summary(&self, locale: crate::i18n::Locale) -> &str {
        crate::kernel::bilingual::Bilingual {
            fr: &self.summary_fr,
            en: &self.summary_en,
        }
        .get(locale)
    }
    /// The row as the editor's form.
    pub fn to_form(&self, locale: crate::i18n::Locale) -> super::model::SchemeForm {
        super::model::SchemeForm {
            slug: self.slug.clone(),
            status: self.status.clone(),
            title_fr: self.title_fr.clone(),
            title_en: self.title_en.clone(),
            summary_fr: self.summary_fr.clone(),
            summary_en: self.summary_en.clone(),
            aid_types: form_text(&self.aid_types),
            audiences: form_text(&self.audiences),
            stages: form_text(&self.stages),
            recurrence: self.recurrence.clone(),
            opens_on: self.opens_on.clone(),
            closes_on: self.closes_on.clone(),
            backers: self.backers.clone(),
            instructor: self.instructor.clone(),
            perimeter: self.perimeter_code.clone(),
            themes: form_text(&self.themes),
            rate_pct: self.rate_pct.map(|r| r.to_string()).unwrap_or_default(),
            cap: self
                .cap_cents
                .map(|c| Euros(c).form_value(locale))
                .unwrap_or_default(),
            floor: self
                .floor_cents
                .map(|c| Euros(c).form_value(locale))
                .unwrap_or_default(),
            rules: self.rules.clone(),
            link: self.link.clone(),
            version: self.version.to_string(),
        }
    }
    /// Its recurrence.
    pub fn recurrence(&self) -> Recurrence {
        Recurrence::parse(&self.recurrence).unwrap_or(Recurrence::Ongoing)
    }
}

const COLUMNS: &str = "id, slug, status, title_fr, title_en, summary_fr, summary_en, aid_types, audiences, stages, \
    recurrence, opens_on, closes_on, backers, instructor, perimeter_code, themes, rate_pct, cap_cents, floor_cents, \
    rules, link, version";

fn search_key(s: &ValidScheme) -> String {
    crate::text::fold(&format!(
        "{} {} {} {} {} {}",
        s.title_fr,
        s.title_en,
        s.summary_fr,
        s.summary_en,
        s.backers,
        s.themes.join(" ")
    ))
}

/// A scheme saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Created(i64),
    Updated(i64),
    Stale,
    SlugTaken,
}

/// Store a new scheme.
pub async fn insert(
    db: &Db,
    s: &ValidScheme,
    by: Option<i64>,
    source: &str,
) -> Result<Saved, sqlx::Error> {
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM funding_schemes WHERE slug = $1")
        .bind(&s.slug)
        .fetch_optional(&db.pool)
        .await?;
    if taken.is_some() {
        return Ok(Saved::SlugTaken);
    }
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO funding_schemes (slug, status, title_fr, title_en, summary_fr, summary_en, aid_types, audiences, \
         stages, recurrence, opens_on, closes_on, backers, instructor, perimeter_level, perimeter_code, themes, rate_pct, \
         cap_cents, floor_cents, rules, link, source, search_key, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
         COALESCE((SELECT level FROM territories WHERE code = $15), 'country'), $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $25) RETURNING id",
    )
    .bind(&s.slug)
    .bind(s.status.code())
    .bind(&s.title_fr)
    .bind(&s.title_en)
    .bind(&s.summary_fr)
    .bind(&s.summary_en)
    .bind(pack(&s.aid_types))
    .bind(pack(&s.audiences))
    .bind(pack(&s.stages))
    .bind(s.recurrence.code())
    .bind(&s.opens_on)
    .bind(&s.closes_on)
    .bind(&s.backers)
    .bind(&s.instructor)
    .bind(&s.perimeter)
    .bind(pack(&s.themes))
    .bind(s.formula.rate_pct)
    .bind(s.formula.cap.map(|e| e.cents()))
    .bind(s.formula.floor.map(|e| e.cents()))
    .bind(rules_text(&s.rules))
    .bind(&s.link)
    .bind(source)
    .bind(search_key(s))
    .bind(by)
    .bind(now)
    .fetch_one(&db.pool)
    .await?;
    Ok(Saved::Created(id))
}

/// Save scheme `id` when the editor started from `s.version`.
pub async fn update(db: &Db, id: i64, s: &ValidScheme) -> Result<Saved, sqlx::Error> {
    let other: Option<i64> =
        sqlx::query_scalar("SELECT id FROM funding_schemes WHERE slug = $1 AND id <> $2")
            .bind(&s.slug)
            .bind(id)
            .fetch_optional(&db.pool)
            .await?;
    if other.is_some() {
        return Ok(Saved::SlugTaken);
    }
    let done = sqlx::query(
        "UPDATE funding_schemes SET slug = $1, status = $2, title_fr = $3, title_en = $4, summary_fr = $5, summary_en = $6, \
         aid_types = $7, audiences = $8, stages = $9, recurrence = $10, opens_on = $11, closes_on = $12, backers = $13, \
         instructor = $14, perimeter_level = COALESCE((SELECT level FROM territories WHERE code = $15), 'country'), \
         perimeter_code = $15, themes = $16, rate_pct = $17, cap_cents = $18, floor_cents = $19, rules = $20, link = $21, \
         search_key = $22, version = version + 1, updated_at = $23 WHERE id = $24 AND version = $25",
    )
    .bind(&s.slug)
    .bind(s.status.code())
    .bind(&s.title_fr)
    .bind(&s.title_en)
    .bind(&s.summary_fr)
    .bind(&s.summary_en)
    .bind(pack(&s.aid_types))
    .bind(pack(&s.audiences))
    .bind(pack(&s.stages))
    .bind(s.recurrence.code())
    .bind(&s.opens_on)
    .bind(&s.closes_on)
    .bind(&s.backers)
    .bind(&s.instructor)
    .bind(&s.perimeter)
    .bind(pack(&s.themes))
    .bind(s.formula.rate_pct)
    .bind(s.formula.cap.map(|e| e.cents()))
    .bind(s.formula.floor.map(|e| e.cents()))
    .bind(rules_text(&s.rules))
    .bind(&s.link)
    .bind(search_key(s))
    .bind(now_ms())
    .bind(id)
    .bind(s.version)
    .execute(&db.pool)
    .await?;
    Ok(if done.rows_affected() == 1 {
        Saved::Updated(id)
    } else {
        Saved::Stale
    })
}

/// A scheme by slug.
pub async fn by_slug(db: &Db, slug: &str) -> Result<Option<SchemeRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM funding_schemes WHERE slug = $1"
    ))
    .bind(slug)
    .fetch_optional(&db.pool)
    .await
}

/// A scheme by id.
pub async fn get(db: &Db, id: i64) -> Result<Option<SchemeRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM funding_schemes WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

/// Filters of the public list; empty means any.
#[derive(Debug, Default, Clone)]
pub struct Filter<'a> {
    pub theme: &'a str,
    pub aid_type: &'a str,
    /// A territory and those above it: a scheme whose perimeter is one of them fits.
    pub territories: Vec<String>,
    pub words: Vec<String>,
    /// `YYYY-MM-DD`: schemes whose deadline passed are left out.
    pub today: &'a str,
}

/// Published, still open schemes matching `f`, soonest deadline first.
pub async fn published(db: &Db, f: &Filter<'_>) -> Result<Vec<SchemeRow>, sqlx::Error> {
    let mut q = Select::new(
        format!(
            "SELECT {COLUMNS} FROM funding_schemes WHERE status = 'published' AND (closes_on = '' OR closes_on >= $1)"
        ),
        vec![f.today.to_string()],
    );
    q.holds("themes", f.theme)
        .holds("aid_types", f.aid_type)
        .within("perimeter_code", &f.territories)
        .words(&f.words);
    q.fetch(
        db,
        &format!("ORDER BY {CLOSING_SOONEST} LIMIT {MOST_PUBLISHED}"),
    )
    .await
}

/// Most schemes a list of published ones shows.
pub const MOST_PUBLISHED: usize = 200;

/// The order of published schemes: closing soonest first, those without a
/// closing date last, then by title.
const CLOSING_SOONEST: &str = "CASE WHEN closes_on = '' THEN 1 ELSE 0 END, closes_on, title_fr";

/// Every published scheme, open or closed, closing soonest first (those
/// without a closing date last): what action plans choose from.
pub async fn every_published(db: &Db) -> Result<Vec<SchemeRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM funding_schemes WHERE status = 'published' ORDER BY {CLOSING_SOONEST}"
    ))
    .fetch_all(&db.pool)
    .await
}

/// Every scheme, for the staff list.
pub async fn all(db: &Db) -> Result<Vec<SchemeRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM funding_schemes ORDER BY status, title_fr"
    ))
    .fetch_all(&db.pool)
    .await
}

// ---------------------------------------------------------------- facts

/// A business's record as eligibility needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
struct BusinessFacts {
    sector_code: Option<String>,
    size_band: String,
    commune_code: Option<String>,
    founded_on: Option<String>,
    craft_register: Option<i64>,
    last_diagnostic: Option<i64>,
}

/// What is known of business `id` on `today` (`zone` turns the latest
/// diagnostic's time into a date). Two reads, whatever the number of
/// schemes; the commune's ancestors come from the directory's snapshot.
pub async fn facts(
    db: &Db,
    snaps: &Arc<Snapshots>,
    id: i64,
    today: &str,
    zone: &jiff::tz::TimeZone,
) -> Result<Option<Facts>, sqlx::Error> {
    let row: Option<BusinessFacts> = sqlx::query_as(
        "SELECT b.sector_code, b.size_band, b.commune_code, f.founded_on, f.craft_register, \
         (SELECT MAX(d.submitted_at) FROM diagnostics d WHERE d.business_id = b.id AND d.status = 'submitted') AS last_diagnostic \
         FROM businesses b LEFT JOIN funding_facts f ON f.business_id = b.id WHERE b.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let places = match &row.commune_code {
        Some(c) => crate::directory::plan::places(db, snaps, c).await?,
        None => vec![],
    };
    let attended: HashSet<String> = sqlx::query_scalar(
        "SELECT DISTINCT t.slug FROM workshop_registrations r JOIN workshop_sessions s ON s.id = r.session_id \
         JOIN themes t ON t.id = s.theme_id WHERE r.business_id = $1 AND r.attendance = 'present'",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .collect();
    Ok(Some(Facts {
        places,
        sector: row.sector_code.filter(|s| !s.is_empty()),
        size_band: Some(row.size_band).filter(|s| !s.is_empty()),
        craft_register: row.craft_register.map(|c| c == 1),
        founded_on: row.founded_on.filter(|s| !s.is_empty()),
        last_diagnostic_on: row
            .last_diagnostic
            .map(|ms| crate::kernel::dates::date_input(zone, ms)),
        attended,
        today: today.to_string(),
    }))
}

/// Record what a business says of itself (creation date, craft register).
pub async fn save_facts(
    db: &Db,
    business: i64,
    founded_on: &str,
    craft_register: Option<bool>,
    by: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO funding_facts (business_id, founded_on, craft_register, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (business_id) DO UPDATE SET founded_on = $2, craft_register = $3, updated_by = $4, updated_at = $5",
    )
    .bind(business)
    .bind(founded_on)
    .bind(craft_register.map(i64::from))
    .bind(by)
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------- applications

/// An application with its scheme's title.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApplicationRow {
    pub id: i64,
    pub business_id: i64,
    pub business_name: String,
    pub scheme_id: i64,
    pub scheme_slug: String,
    pub title_fr: String,
    pub title_en: String,
    pub case_id: Option<i64>,
    pub status: String,
    pub project: String,
    pub cost_cents: Option<i64>,
    pub simulated_cents: Option<i64>,
    pub obtained_cents: Option<i64>,
    pub paid_cents: Option<i64>,
    pub prepared_on: String,
    pub submitted_on: String,
    pub decided_on: String,
    pub paid_on: String,
    pub version: i64,
}

impl ApplicationRow {
    /// Its status.
    pub fn status(&self) -> ApplicationStatus {
        ApplicationStatus::parse(&self.status).unwrap_or(ApplicationStatus::Prepared)
    }
}

const APP_SELECT: &str = "SELECT a.id, a.business_id, b.name AS business_name, a.scheme_id, s.slug AS scheme_slug, \
    s.title_fr, s.title_en, a.case_id, a.status, a.project, a.cost_cents, a.simulated_cents, a.obtained_cents, \
    a.paid_cents, a.prepared_on, a.submitted_on, a.decided_on, a.paid_on, a.version FROM funding_applications a \
    JOIN funding_schemes s ON s.id = a.scheme_id JOIN businesses b ON b.id = a.business_id";

/// `wanted` when it is one of business `business_id`'s follow-up files.
pub async fn case_for(
    db: &Db,
    business_id: i64,
    wanted: Option<i64>,
) -> Result<Option<i64>, sqlx::Error> {
    let Some(id) = wanted else { return Ok(None) };
    sqlx::query_scalar("SELECT id FROM cases WHERE id = $1 AND business_id = $2")
        .bind(id)
        .bind(business_id)
        .fetch_optional(&db.pool)
        .await
}

/// The open follow-up files of a business (id, opened at), newest first.
pub async fn open_cases(db: &Db, business_id: i64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    open_cases_in(&db.pool, business_id).await
}

/// [`open_cases`] in the caller's transaction or on a pool.
pub async fn open_cases_in<'c, E>(ex: E, business_id: i64) -> Result<Vec<(i64, i64)>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as(
        "SELECT id, opened_at FROM cases WHERE business_id = $1 AND status <> 'closed' ORDER BY opened_at DESC, id DESC",
    )
    .bind(business_id)
    .fetch_all(ex)
    .await
}

/// Names of territories by code, in `locale`.
pub async fn territory_names(
    db: &Db,
    codes: &[String],
    locale: crate::i18n::Locale,
) -> Result<std::collections::HashMap<String, String>, sqlx::Error> {
    if codes.is_empty() {
        return Ok(Default::default());
    }
    let col = if locale == crate::i18n::Locale::En {
        "name_en"
    } else {
        "name_fr"
    };
    let rows: Vec<(String, String)> = {
        let sql = format!(
            "SELECT code, {col} FROM territories WHERE code IN ({})",
            crate::guides::packed::placeholders(1, codes.len())
        );
        let mut q = sqlx::query_as(&sql);
        for c in codes {
            q = q.bind(c);
        }
        q.fetch_all(&db.pool).await?
    };
    Ok(rows.into_iter().collect())
}

/// A new application, prepared today.
pub struct NewApplication<'a> {
    pub business_id: i64,
    pub scheme_id: i64,
    pub case_id: Option<i64>,
    pub project: &'a str,
    pub cost: Option<Euros>,
    pub simulated: Option<Euros>,
    pub today: &'a str,
    pub by: Option<i64>,
}

/// Store a prepared application (in the caller's transaction or on a pool);
/// returns its id.
pub async fn insert_application<'c, E>(ex: E, a: &NewApplication<'_>) -> Result<i64, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let now = now_ms();
    sqlx::query_scalar(
        "INSERT INTO funding_applications (business_id, scheme_id, case_id, status, project, cost_cents, simulated_cents, \
         prepared_on, created_by, created_at, updated_at, programme_id) VALUES ($1, $2, $3, 'prepared', $4, $5, $6, $7, $8, $9, $9, \
         COALESCE((SELECT c.programme_id FROM cases c WHERE c.id = $3), CAST($10 AS BIGINT))) RETURNING id",
    )
    .bind(a.business_id)
    .bind(a.scheme_id)
    .bind(a.case_id)
    .bind(a.project)
    .bind(a.cost.map(|e| e.cents()))
    .bind(a.simulated.map(|e| e.cents()))
    .bind(a.today)
    .bind(a.by)
    .bind(now)
    .bind(crate::programme::current())
    .fetch_one(ex)
    .await
}

/// Applications of one business (or all when `None`), newest first.
pub async fn applications(
    db: &Db,
    business: Option<i64>,
) -> Result<Vec<ApplicationRow>, sqlx::Error> {
    match business {
        Some(b) => {
            sqlx::query_as(&format!(
                "{APP_SELECT} WHERE a.business_id = $1 ORDER BY a.updated_at DESC, a.id DESC"
            ))
            .bind(b)
            .fetch_all(&db.pool)
            .await
        }
        None => {
            sqlx::query_as(&format!(
                "{APP_SELECT} ORDER BY a.updated_at DESC, a.id DESC LIMIT 500"
            ))
            .fetch_all(&db.pool)
            .await
        }
    }
}

/// One application.
pub async fn application(db: &Db, id: i64) -> Result<Option<ApplicationRow>, sqlx::Error> {
    sqlx::query_as(&format!("{APP_SELECT} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// Move an application to `to` on `on` (with an amount for obtained and paid),
/// when it is still at `version`; false when someone moved it meanwhile.
/// Runs in the caller's transaction or on a pool.
pub async fn advance<'c, E>(
    ex: E,
    id: i64,
    version: i64,
    to: ApplicationStatus,
    on: &str,
    amount: Option<Euros>,
) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let (set, with_amount) = match to {
        ApplicationStatus::Prepared => ("prepared_on = $1", false),
        ApplicationStatus::Submitted => ("submitted_on = $1", false),
        ApplicationStatus::Obtained => ("decided_on = $1, obtained_cents = $6", true),
        ApplicationStatus::Refused => ("decided_on = $1", false),
        ApplicationStatus::Paid => ("paid_on = $1, paid_cents = $6", true),
    };
    let sql = format!(
        "UPDATE funding_applications SET {set}, status = $2, version = version + 1, updated_at = $3 \
         WHERE id = $4 AND version = $5"
    );
    let mut q = sqlx::query(&sql)
        .bind(on)
        .bind(to.code())
        .bind(now_ms())
        .bind(id)
        .bind(version);
    if with_amount {
        q = q.bind(amount.map(|e| e.cents()));
    }
    let done = q.execute(ex).await?;
    Ok(done.rows_affected() == 1)
}
