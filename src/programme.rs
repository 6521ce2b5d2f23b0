//! The programmes this instance runs: name, operator, summary, targets.
//!
//! An instance may run several programmes at once or in succession. Each
//! request belongs to one: the pipeline resolves it (the visitor's choice,
//! else the programme covering the territory the page is about, else the
//! first) and runs the request inside [`CURRENT`], so every reader of "the
//! programme" sees that one. With a single programme nothing is resolved
//! and [`current`] is `None`, which every reader takes as the first
//! programme. Rows written without a programme (`programme_id` NULL) belong
//! to the first programme too.

use sqlx::Row;

use crate::db::{now_ms, Db};
use crate::i18n::Locale;

/// What pages show about the programme.
#[derive(Debug, Clone)]
pub struct ProgrammeInfo {
    pub id: Option<i64>,
    pub name: String,
    pub operator: String,
    pub summary_fr: String,
    pub summary_en: String,
    pub contact_email: String,
    pub target_aware: i64,
    /// Language used when the visitor has no preference.
    pub default_locale: Option<Locale>,
    /// Logo shown in the header (an https URL).
    pub logo_url: Option<String>,
    /// IANA time zone in which sessions are scheduled and shown.
    pub timezone: String,
    /// Sponsors active today and where public pages show them.
    pub sponsors: crate::sponsors::model::Placed,
}

impl ProgrammeInfo {
    /// Shown before a programme has been set up.
    pub fn unconfigured() -> ProgrammeInfo {
        ProgrammeInfo {
            id: None,
            name: "Tremplin".into(),
            operator: String::new(),
            summary_fr: String::new(),
            summary_en: String::new(),
            contact_email: String::new(),
            target_aware: 0,
            default_locale: None,
            logo_url: None,
            timezone: "Europe/Paris".into(),
            sponsors: Default::default(),
        }
    }

    /// Summary in the visitor's language.
    pub fn summary(&self, locale: Locale) -> &str {
        match locale {
            Locale::Fr => &self.summary_fr,
            Locale::En => &self.summary_en,
        }
    }
}

tokio::task_local! {
    /// The programme of the request being served (set only when the
    /// instance runs more than one).
    pub static CURRENT: i64;
}

/// The programme of the request being served, when the instance runs
/// several; `None` means the first.
pub fn current() -> Option<i64> {
    CURRENT.try_with(|id| *id).ok()
}

/// The SQL naming the programme `$1` (a BIGINT, NULL for the first).
pub const CHOSEN_ID: &str = "COALESCE(CAST($1 AS BIGINT), (SELECT MIN(id) FROM programmes))";

/// The SQL giving a row's programme: its own, else the first programme's.
pub fn of_row(column: &str) -> String {
    format!("COALESCE({column}, (SELECT MIN(id) FROM programmes))")
}

/// The condition keeping the rows of the request's programme (`column`
/// holds their programme), or none when the instance runs only one.
pub fn only_current(column: &str) -> Option<String> {
    current().map(|id| format!("{} = {id}", of_row(column)))
}

/// A programme a visitor may choose, with the territories it covers.
#[derive(Debug, Clone)]
pub struct Choice {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub territories: Vec<String>,
}

/// Every programme of the instance, oldest first.
pub async fn choices(db: &Db) -> Result<Vec<Choice>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT p.id, p.slug, p.name, pt.territory_code FROM programmes p \
         LEFT JOIN programme_territories pt ON pt.programme_id = p.id ORDER BY p.id, pt.territory_code",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<Choice> = vec![];
    for r in rows {
        let id: i64 = r.get("id");
        if out.last().map(|c| c.id) != Some(id) {
            out.push(Choice {
                id,
                slug: r.get("slug"),
                name: r.get("name"),
                territories: vec![],
            });
        }
        if let (Some(c), Some(t)) = (out.last_mut(), r.get::<Option<String>, _>("territory_code")) {
            c.territories.push(t);
        }
    }
    Ok(out)
}

/// Load a programme: `id`, else the first of this instance.
pub async fn load(db: &Db, id: Option<i64>) -> Result<ProgrammeInfo, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT id, name, operator, summary_fr, summary_en, contact_email, target_aware, default_locale, logo_url, timezone \
         FROM programmes WHERE id = {CHOSEN_ID}"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    let mut info = match row {
        Some(r) => ProgrammeInfo {
            id: Some(r.get("id")),
            name: r.get("name"),
            operator: r.get("operator"),
            summary_fr: r.get("summary_fr"),
            summary_en: r.get("summary_en"),
            contact_email: r.get("contact_email"),
            target_aware: r.get("target_aware"),
            default_locale: Locale::from_tag(&r.get::<String, _>("default_locale")),
            logo_url: crate::db::opt_text(&r, "logo_url").filter(|u| u.starts_with("https://")),
            timezone: r.get("timezone"),
            sponsors: Default::default(),
        },
        None => ProgrammeInfo::unconfigured(),
    };
    if let Some(id) = info.id {
        let tz = crate::kernel::dates::zone(&info.timezone);
        let today = crate::kernel::dates::zoned(&tz, now_ms())
            .date()
            .to_string();
        info.sponsors = crate::sponsors::store::placed(db, id, &today).await?;
    }
    Ok(info)
}

/// Fields of a programme to create or update (seed, set-up).
pub struct ProgrammeSeed<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub operator: &'a str,
    pub summary_fr: &'a str,
    pub summary_en: &'a str,
    pub contact_email: &'a str,
    pub timezone: &'a str,
    pub target_aware: i64,
}

/// Insert a new programme; false when its slug is taken.
pub async fn create(db: &Db, p: &ProgrammeSeed<'_>, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO programmes (slug, name, operator, summary_fr, summary_en, contact_email, timezone, target_aware, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT (slug) DO NOTHING",
    )
    .bind(p.slug)
    .bind(p.name)
    .bind(p.operator)
    .bind(p.summary_fr)
    .bind(p.summary_en)
    .bind(p.contact_email)
    .bind(p.timezone)
    .bind(p.target_aware)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Insert the programme unless one with the same slug exists; returns its id.
pub async fn ensure(db: &Db, p: &ProgrammeSeed<'_>) -> Result<i64, sqlx::Error> {
    create(db, p, now_ms()).await?;
    sqlx::query_scalar("SELECT id FROM programmes WHERE slug = $1")
        .bind(p.slug)
        .fetch_one(&db.pool)
        .await
}
