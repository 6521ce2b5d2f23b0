//! `/admin/programme`: the programme record and the territories it covers.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sqlx::Row;

use super::{format_euros, parse_count, parse_euros, valid_date};
use crate::db::now_ms;
use crate::state::AppState;
use crate::web::ctx::urlencode;
use crate::web::forms::{is_valid_email, Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

/// Time zones offered, with the label of each.
pub const TIMEZONES: [(&str, &str); 9] = [
    ("Europe/Paris", "setup-tz-paris"),
    ("Europe/Brussels", "setup-tz-brussels"),
    ("Europe/Luxembourg", "setup-tz-luxembourg"),
    ("Pacific/Noumea", "setup-tz-noumea"),
    ("Indian/Reunion", "setup-tz-reunion"),
    ("America/Guadeloupe", "setup-tz-guadeloupe"),
    ("America/Martinique", "setup-tz-martinique"),
    ("America/Cayenne", "setup-tz-cayenne"),
    ("Indian/Mayotte", "setup-tz-mayotte"),
];

/// Interface languages a programme may default to.
pub const LANGUAGES: [(&str, &str); 2] = [("fr", "setup-lang-fr"), ("en", "setup-lang-en")];

/// Levels a programme may cover (communes are too fine, countries too wide).
const COVERABLE: [&str; 4] = ["region", "department", "province", "canton"];

/// What the programme form sends (also used for the territory forms).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ProgrammeForm {
    pub action: String,
    pub name: String,
    pub operator: String,
    pub logo_url: String,
    pub timezone: String,
    pub default_locale: String,
    pub start_date: String,
    pub end_date: String,
    pub target_aware: String,
    pub target_date: String,
    pub target_diagnostics: String,
    pub target_coaching: String,
    pub budget: String,
    pub contact_email: String,
    pub summary_fr: String,
    pub summary_en: String,
    pub territory: String,
}

/// A programme record that passed validation.
struct Valid {
    name: String,
    operator: String,
    logo_url: Option<String>,
    timezone: String,
    default_locale: String,
    start_date: Option<String>,
    end_date: Option<String>,
    target_aware: i64,
    target_date: Option<String>,
    target_diagnostics: i64,
    target_coaching: i64,
    budget_cents: i64,
    contact_email: String,
    summary_fr: String,
    summary_en: String,
}

fn optional(s: String) -> Option<String> {
    Some(s).filter(|s| !s.is_empty())
}

/// An https address with a host, for the logo.
fn valid_https_url(s: &str) -> bool {
    s.len() <= 500
        && url::Url::parse(s)
            .map(|u| u.scheme() == "https" && u.host_str().is_some_and(|h| h.contains('.')))
            .unwrap_or(false)
}

/// A whole number field; empty counts as 0.
fn count(v: &mut Violations, field: &'static str, raw: &str) -> i64 {
    parse_count(raw).unwrap_or_else(|| {
        v.add(field, "setup-number-invalid", None);
        0
    })
}

fn validate(f: &ProgrammeForm) -> Result<Valid, Violations> {
    let mut v = Violations::default();
    let name = v.text("name", &f.name, 2, 120);
    let operator = v.text("operator", &f.operator, 2, 160);
    let logo_url = f.logo_url.trim().to_string();
    if !logo_url.is_empty() && !valid_https_url(&logo_url) {
        v.add("logo_url", "setup-url-invalid", None);
    }
    let timezone = f.timezone.trim().to_string();
    if !TIMEZONES.iter().any(|(tz, _)| *tz == timezone) {
        v.add("timezone", "form-choose", None);
    }
    let default_locale = f.default_locale.trim().to_string();
    if !LANGUAGES.iter().any(|(l, _)| *l == default_locale) {
        v.add("default_locale", "form-choose", None);
    }
    let start_date = f.start_date.trim().to_string();
    let end_date = f.end_date.trim().to_string();
    let start_ok = start_date.is_empty() || valid_date(&start_date);
    let end_ok = end_date.is_empty() || valid_date(&end_date);
    if !start_ok {
        v.add("start_date", "setup-date-invalid", None);
    }
    if !end_ok {
        v.add("end_date", "setup-date-invalid", None);
    } else if start_ok && !start_date.is_empty() && !end_date.is_empty() && end_date <= start_date {
        // ISO dates compare as text.
        v.add("end_date", "setup-end-before-start", None);
    }
    let target_aware = count(&mut v, "target_aware", &f.target_aware);
    let target_date = f.target_date.trim().to_string();
    if !target_date.is_empty() && !valid_date(&target_date) {
        v.add("target_date", "setup-date-invalid", None);
    }
    let target_diagnostics = count(&mut v, "target_diagnostics", &f.target_diagnostics);
    let target_coaching = count(&mut v, "target_coaching", &f.target_coaching);
    let budget_cents = parse_euros(&f.budget).unwrap_or_else(|| {
        v.add("budget", "setup-budget-invalid", None);
        0
    });
    let contact_email = f.contact_email.trim().to_string();
    if contact_email.is_empty() {
        v.add("contact_email", "form-required", None);
    } else if !is_valid_email(&contact_email) {
        v.add("contact_email", "form-email-invalid", None);
    }
    let summary_fr = v.text("summary_fr", &f.summary_fr, 0, 2000);
    let summary_en = v.text("summary_en", &f.summary_en, 0, 2000);
    if !v.is_empty() {
        return Err(v);
    }
    Ok(Valid {
        name,
        operator,
        logo_url: optional(logo_url),
        timezone,
        default_locale,
        start_date: optional(start_date),
        end_date: optional(end_date),
        target_aware,
        target_date: optional(target_date),
        target_diagnostics,
        target_coaching,
        budget_cents,
        contact_email,
        summary_fr,
        summary_en,
    })
}

/// The stored programme as the form shows it, with its id.
async fn load(state: &AppState, english: bool) -> Result<Option<(i64, ProgrammeForm)>, AppError> {
    let row = sqlx::query(
        "SELECT id, name, operator, logo_url, timezone, default_locale, start_date, end_date, target_aware, \
         target_date, target_diagnostics, target_coaching, budget_cents, contact_email, summary_fr, summary_en \
         FROM programmes ORDER BY id LIMIT 1",
    )
    .fetch_optional(&state.db.pool)
    .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    let text = |c: &str| -> String {
        r.try_get::<Option<String>, _>(c)
            .ok()
            .flatten()
            .unwrap_or_default()
    };
    let number = |c: &str| -> String {
        match r.try_get::<i64, _>(c).unwrap_or(0) {
            0 => String::new(),
            n => n.to_string(),
        }
    };
    let budget = r.try_get::<i64, _>("budget_cents").unwrap_or(0);
    Ok(Some((
        r.get("id"),
        ProgrammeForm {
            action: "save".into(),
            name: text("name"),
            operator: text("operator"),
            logo_url: text("logo_url"),
            timezone: text("timezone"),
            default_locale: text("default_locale"),
            start_date: text("start_date"),
            end_date: text("end_date"),
            target_aware: number("target_aware"),
            target_date: text("target_date"),
            target_diagnostics: number("target_diagnostics"),
            target_coaching: number("target_coaching"),
            budget: if budget == 0 {
                String::new()
            } else {
                format_euros(budget, english)
            },
            contact_email: text("contact_email"),
            summary_fr: text("summary_fr"),
            summary_en: text("summary_en"),
            territory: String::new(),
        },
    )))
}

/// A territory the programme covers.
pub struct Covered {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent: String,
}

/// Territories offered in the "add" select, grouped by country.
pub struct OptionGroup {
    pub label: String,
    pub options: Vec<(String, String)>,
}

async fn covered(
    state: &AppState,
    programme_id: i64,
    english: bool,
) -> Result<Vec<Covered>, AppError> {
    let col = if english { "name_en" } else { "name_fr" };
    let rows = sqlx::query(&format!(
        "SELECT t.code, t.{col} AS name, t.level, p.{col} AS parent FROM programme_territories pt \
         JOIN territories t ON t.code = pt.territory_code LEFT JOIN territories p ON p.code = t.parent_code \
         WHERE pt.programme_id = $1 ORDER BY t.{col}"
    ))
    .bind(programme_id)
    .fetch_all(&state.db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| Covered {
            code: r.get("code"),
            name: r.get("name"),
            level: r.get("level"),
            parent: r
                .try_get::<Option<String>, _>("parent")
                .ok()
                .flatten()
                .unwrap_or_default(),
        })
        .collect())
}

/// Regions, departments, provinces and cantons not yet covered, grouped
/// under the widest territory they belong to (their country).
async fn options(
    state: &AppState,
    ctx: &PageCtx,
    covered: &[Covered],
) -> Result<Vec<OptionGroup>, AppError> {
    let english = ctx.lang() == "en";
    let rows = sqlx::query(
        "SELECT code, parent_code, level, name_fr, name_en FROM territories WHERE level <> 'commune'",
    )
    .fetch_all(&state.db.pool)
    .await?;
    struct T {
        parent: Option<String>,
        level: String,
        name: String,
    }
    let all: HashMap<String, T> = rows
        .iter()
        .map(|r| {
            let name: String = if english {
                r.get("name_en")
            } else {
                r.get("name_fr")
            };
            (
                r.get::<String, _>("code"),
                T {
                    parent: r.try_get::<Option<String>, _>("parent_code").ok().flatten(),
                    level: r.get("level"),
                    name,
                },
            )
        })
        .collect();
    let mut groups: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for (code, t) in &all {
        if !COVERABLE.contains(&t.level.as_str()) || covered.iter().any(|c| &c.code == code) {
            continue;
        }
        // Walk up to the root (bounded: imported data may loop).
        let mut root = t;
        for _ in 0..10 {
            match root.parent.as_ref().and_then(|p| all.get(p)) {
                Some(p) => root = p,
                None => break,
            }
        }
        let level = ctx.tr.code("setup-level-", &t.level);
        let label = match t.parent.as_ref().and_then(|p| all.get(p)) {
            Some(p) if p.level != "country" => format!("{} ({level}, {})", t.name, p.name),
            _ => format!("{} ({level})", t.name),
        };
        groups
            .entry(root.name.clone())
            .or_default()
            .push((code.clone(), label));
    }
    let mut out: Vec<OptionGroup> = groups
        .into_iter()
        .map(|(label, mut options)| {
            options.sort_by_key(|(_, l)| crate::text::fold(l));
            OptionGroup { label, options }
        })
        .collect();
    out.sort_by_key(|g| crate::text::fold(&g.label));
    Ok(out)
}

#[derive(Template)]
#[template(path = "setup/programme.html")]
struct ProgrammePage {
    ctx: PageCtx,
    exists: bool,
    input: ProgrammeForm,
    errors: Violations,
    notice: Option<String>,
    /// Shown in the territories section, where the redirect lands.
    territory_notice: Option<String>,
    covered: Vec<Covered>,
    options: Vec<OptionGroup>,
    territory_errors: Violations,
}

impl ProgrammePage {
    fn timezones(&self) -> Vec<(&'static str, String)> {
        TIMEZONES
            .iter()
            .map(|(tz, key)| (*tz, format!("{} — {tz}", self.ctx.tr.t(key))))
            .collect()
    }
    fn languages(&self) -> Vec<(&'static str, String)> {
        LANGUAGES
            .iter()
            .map(|(code, key)| (*code, self.ctx.tr.t(key)))
            .collect()
    }
    fn is(&self, a: &str, b: &str) -> bool {
        a == b
    }
    fn level(&self, level: &str) -> String {
        self.ctx.tr.code("setup-level-", level)
    }
}

async fn build(
    state: &AppState,
    ctx: PageCtx,
    input: Option<ProgrammeForm>,
    errors: Violations,
    notice: Option<String>,
    territory_errors: Violations,
    territory: String,
) -> Result<ProgrammePage, AppError> {
    let english = ctx.lang() == "en";
    let stored = load(state, english).await?;
    let exists = stored.is_some();
    let (covered, input) = match stored {
        Some((id, form)) => (covered(state, id, english).await?, input.unwrap_or(form)),
        None => (
            vec![],
            input.unwrap_or(ProgrammeForm {
                timezone: "Europe/Paris".into(),
                default_locale: "fr".into(),
                ..Default::default()
            }),
        ),
    };
    let options = if exists {
        options(state, &ctx, &covered).await?
    } else {
        vec![]
    };
    let mut input = input;
    input.territory = territory;
    Ok(ProgrammePage {
        ctx,
        exists,
        input,
        errors,
        notice,
        territory_notice: None,
        covered,
        options,
        territory_errors,
    })
}

/// Query flags shown after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Flags {
    enregistre: Option<String>,
    ajoute: Option<String>,
    retire: Option<String>,
}

async fn territory_name(
    state: &AppState,
    code: &str,
    english: bool,
) -> Result<Option<String>, AppError> {
    let col = if english { "name_en" } else { "name_fr" };
    Ok(
        sqlx::query_scalar(&format!("SELECT {col} FROM territories WHERE code = $1"))
            .bind(code)
            .fetch_optional(&state.db.pool)
            .await?,
    )
}

/// `GET /admin/programme`
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<Flags>,
) -> Result<Response, AppError> {
    let english = ctx.lang() == "en";
    let tr = ctx.tr;
    let notice = q.enregistre.map(|_| tr.t("setup-programme-saved"));
    let territory_notice = if let Some(code) = &q.ajoute {
        territory_name(&state, code, english)
            .await?
            .map(|n| tr.ts("setup-territory-added", "name", &n))
    } else if let Some(code) = &q.retire {
        territory_name(&state, code, english)
            .await?
            .map(|n| tr.ts("setup-territory-removed", "name", &n))
    } else {
        None
    };
    let mut p = build(
        &state,
        ctx,
        None,
        Violations::default(),
        notice,
        Violations::default(),
        String::new(),
    )
    .await?;
    p.territory_notice = territory_notice;
    Ok(page(&p))
}

/// `POST /admin/programme`: save the record, or add or remove a territory.
pub async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    WebForm(form): WebForm<ProgrammeForm>,
) -> Result<Response, AppError> {
    match form.action.as_str() {
        "save" | "" => save(state, ctx, form).await,
        "add_territory" => add_territory(state, ctx, form.territory.trim()).await,
        "remove_territory" => remove_territory(state, form.territory.trim()).await,
        _ => Err(AppError::BadRequest),
    }
}

async fn save(state: AppState, ctx: PageCtx, form: ProgrammeForm) -> Result<Response, AppError> {
    let valid = match validate(&form) {
        Ok(v) => v,
        Err(errors) => {
            let p = build(
                &state,
                ctx,
                Some(form),
                errors,
                None,
                Violations::default(),
                String::new(),
            )
            .await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    let now = now_ms();
    let mut tx = state.db.begin_write().await?;
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM programmes ORDER BY id LIMIT 1")
        .fetch_optional(&mut *tx)
        .await?;
    let id = match id {
        Some(id) => id,
        None => {
            // First set-up of an empty instance.
            sqlx::query(
                "INSERT INTO programmes (slug, name, operator, summary_fr, summary_en, contact_email, created_at, updated_at) \
                 VALUES ('programme', $1, $2, '', '', $3, $4, $4)",
            )
            .bind(&valid.name)
            .bind(&valid.operator)
            .bind(&valid.contact_email)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query_scalar("SELECT id FROM programmes WHERE slug = 'programme'")
                .fetch_one(&mut *tx)
                .await?
        }
    };
    sqlx::query(
        "UPDATE programmes SET name = $1, operator = $2, logo_url = $3, timezone = $4, default_locale = $5, \
         start_date = $6, end_date = $7, target_aware = $8, target_date = $9, target_diagnostics = $10, \
         target_coaching = $11, budget_cents = $12, contact_email = $13, summary_fr = $14, summary_en = $15, \
         updated_at = $16 WHERE id = $17",
    )
    .bind(&valid.name)
    .bind(&valid.operator)
    .bind(valid.logo_url.as_deref())
    .bind(&valid.timezone)
    .bind(&valid.default_locale)
    .bind(valid.start_date.as_deref())
    .bind(valid.end_date.as_deref())
    .bind(valid.target_aware)
    .bind(valid.target_date.as_deref())
    .bind(valid.target_diagnostics)
    .bind(valid.target_coaching)
    .bind(valid.budget_cents)
    .bind(&valid.contact_email)
    .bind(&valid.summary_fr)
    .bind(&valid.summary_en)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    state.invalidate_programme().await;
    Ok(Redirect::to("/admin/programme?enregistre=1").into_response())
}

async fn programme_id(state: &AppState) -> Result<i64, AppError> {
    sqlx::query_scalar::<_, i64>("SELECT id FROM programmes ORDER BY id LIMIT 1")
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or(AppError::BadRequest)
}

async fn add_territory(state: AppState, ctx: PageCtx, code: &str) -> Result<Response, AppError> {
    let programme_id = programme_id(&state).await?;
    let level: Option<String> = sqlx::query_scalar("SELECT level FROM territories WHERE code = $1")
        .bind(code)
        .fetch_optional(&state.db.pool)
        .await?;
    if !level.is_some_and(|l| COVERABLE.contains(&l.as_str())) {
        let mut errors = Violations::default();
        errors.add("territory", "setup-territory-choose", None);
        let p = build(
            &state,
            ctx,
            None,
            Violations::default(),
            None,
            errors,
            code.to_string(),
        )
        .await?;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    }
    sqlx::query(
        "INSERT INTO programme_territories (programme_id, territory_code) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(programme_id)
    .bind(code)
    .execute(&state.db.pool)
    .await?;
    Ok(Redirect::to(&format!(
        "/admin/programme?ajoute={}#territories",
        urlencode(code)
    ))
    .into_response())
}

async fn remove_territory(state: AppState, code: &str) -> Result<Response, AppError> {
    let programme_id = programme_id(&state).await?;
    let done = sqlx::query(
        "DELETE FROM programme_territories WHERE programme_id = $1 AND territory_code = $2",
    )
    .bind(programme_id)
    .bind(code)
    .execute(&state.db.pool)
    .await?;
    if done.rows_affected() == 0 {
        // Already removed (a second click, another tab): nothing to report.
        return Ok(Redirect::to("/admin/programme#territories").into_response());
    }
    Ok(Redirect::to(&format!(
        "/admin/programme?retire={}#territories",
        urlencode(code)
    ))
    .into_response())
}
