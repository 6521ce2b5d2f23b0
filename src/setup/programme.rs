//! `/admin/programme`: the programme record and the territories it covers.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{coverable, ProgrammeForm, LANGUAGES, TIMEZONES};
use super::store::{self, Covered, ProgrammeRow, TerritoryNode};
use crate::db::Db;
use crate::i18n::Locale;
use crate::kernel::bilingual::Bilingual;
use crate::kernel::money::Euros;
use crate::state::AppState;
use crate::web::confirm::{Confirmable, Question};
use crate::web::ctx::urlencode;
use crate::web::forms::Violations;
use crate::web::{page, render, AppError, PageCtx};

/// The stored programme as the form shows it.
fn form_of(r: ProgrammeRow, locale: Locale) -> ProgrammeForm {
    let number = |n: Option<i64>| match n.unwrap_or(0) {
        0 => String::new(),
        n => n.to_string(),
    };
    ProgrammeForm {
        action: "save".into(),
        name: r.name.unwrap_or_default(),
        operator: r.operator.unwrap_or_default(),
        logo_url: r.logo_url.unwrap_or_default(),
        timezone: r.timezone.unwrap_or_default(),
        default_locale: r.default_locale.unwrap_or_default(),
        start_date: r.start_date.unwrap_or_default(),
        end_date: r.end_date.unwrap_or_default(),
        target_aware: number(r.target_aware),
        target_date: r.target_date.unwrap_or_default(),
        target_diagnostics: number(r.target_diagnostics),
        target_coaching: number(r.target_coaching),
        budget: match r.budget_cents.unwrap_or(0) {
            0 => String::new(),
            cents => Euros(cents).form_value(locale),
        },
        contact_email: r.contact_email.unwrap_or_default(),
        summary_fr: r.summary_fr.unwrap_or_default(),
        summary_en: r.summary_en.unwrap_or_default(),
        territory: String::new(),
    }
}

/// Territories offered in the "add" select, grouped by country.
pub struct OptionGroup {
    pub label: String,
    pub options: Vec<(String, String)>,
}

/// Regions, departments, provinces and cantons not yet covered, grouped
/// under the widest territory they belong to (their country).
fn options(
    ctx: &PageCtx,
    all: &HashMap<String, TerritoryNode>,
    covered: &[Covered],
) -> Vec<OptionGroup> {
    let locale = ctx.tr.0;
    let name = |t: &TerritoryNode| {
        Bilingual::new(&t.name_fr, &t.name_en)
            .get(locale)
            .to_string()
    };
    let mut groups: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for (code, t) in all {
        if !coverable(&t.level) || covered.iter().any(|c| &c.code == code) {
            continue;
        }
        // Walk up to the root (bounded: imported data may loop).
        let mut root = t;
        for _ in 0..10 {
            match root.parent_code.as_ref().and_then(|p| all.get(p)) {
                Some(p) => root = p,
                None => break,
            }
        }
        let level = ctx.tr.code("setup-level-", &t.level);
        let named = crate::reference::with_level(&name(t), &level);
        let label = match t.parent_code.as_ref().and_then(|p| all.get(p)) {
            Some(p) if p.level != "country" && named == name(t) => {
                format!("{named} ({})", name(p))
            }
            Some(p) if p.level != "country" => format!("{} ({level}, {})", name(t), name(p)),
            _ => named,
        };
        groups
            .entry(name(root))
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
    out
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

/// What the page shows besides the stored record.
#[derive(Default)]
struct Shown {
    input: Option<ProgrammeForm>,
    errors: Violations,
    notice: Option<String>,
    territory_notice: Option<String>,
    territory_errors: Violations,
    territory: String,
}

async fn build(db: &Db, ctx: PageCtx, shown: Shown) -> Result<ProgrammePage, AppError> {
    let locale = ctx.tr.0;
    let stored = store::programme(db).await?;
    let exists = stored.is_some();
    let (covered, input) = match stored {
        Some(row) => (
            store::covered(db, row.id, locale).await?,
            shown.input.unwrap_or_else(|| form_of(row, locale)),
        ),
        None => (
            vec![],
            shown.input.unwrap_or(ProgrammeForm {
                timezone: "Europe/Paris".into(),
                default_locale: "fr".into(),
                ..Default::default()
            }),
        ),
    };
    let options = if exists {
        options(
            &ctx,
            &store::territories_above_communes(db).await?,
            &covered,
        )
    } else {
        vec![]
    };
    Ok(ProgrammePage {
        ctx,
        exists,
        input: ProgrammeForm {
            territory: shown.territory,
            ..input
        },
        errors: shown.errors,
        notice: shown.notice,
        territory_notice: shown.territory_notice,
        covered,
        options,
        territory_errors: shown.territory_errors,
    })
}

/// Query flags shown after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Flags {
    enregistre: Option<String>,
    cree: Option<String>,
    ajoute: Option<String>,
    retire: Option<String>,
}

/// `GET /admin/programme`
pub async fn show(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(q): Query<Flags>,
) -> Result<Response, AppError> {
    let tr = ctx.tr;
    let (key, code) = match (q.ajoute, q.retire) {
        (Some(code), _) => ("setup-territory-added", Some(code)),
        (None, code) => ("setup-territory-removed", code),
    };
    let territory_notice = match code {
        Some(code) => store::territory_name(&db, &code, tr.0)
            .await?
            .map(|n| tr.ts(key, "name", &n)),
        None => None,
    };
    let shown = Shown {
        notice: match (q.enregistre, q.cree) {
            (_, Some(_)) => Some(tr.ts("setup-programme-created", "name", &ctx.programme.name)),
            (Some(_), None) => Some(tr.t("setup-programme-saved")),
            (None, None) => None,
        },
        territory_notice,
        ..Default::default()
    };
    Ok(page(&build(&db, ctx, shown).await?))
}

/// `POST /admin/programme`: save the record, or add or remove a territory.
pub async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    form: Confirmable<ProgrammeForm>,
) -> Result<Response, AppError> {
    match form.form().action.as_str() {
        "save" | "" => save(state, ctx, form.into_inner()).await,
        "add_territory" => {
            let res = add_territory(&state.db, ctx, form.form().territory.trim()).await;
            // The programme chosen by territory follows at once here.
            state.invalidate_programme().await;
            res
        }
        "remove_territory" => {
            let res = remove_territory(&state.db, ctx, &form).await;
            state.invalidate_programme().await;
            res
        }
        _ => Err(AppError::BadRequest),
    }
}

async fn save(state: AppState, ctx: PageCtx, form: ProgrammeForm) -> Result<Response, AppError> {
    let valid = match form.parse() {
        Ok(v) => v,
        Err(errors) => {
            let shown = Shown {
                input: Some(form),
                errors,
                ..Default::default()
            };
            let p = build(&state.db, ctx, shown).await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    store::save_programme(&state.db, &valid).await?;
    state.invalidate_programme().await;
    Ok(Redirect::to("/admin/programme?enregistre=1").into_response())
}

async fn programme_id(db: &Db) -> Result<i64, AppError> {
    store::programme_id(db).await?.ok_or(AppError::BadRequest)
}

async fn add_territory(db: &Db, ctx: PageCtx, code: &str) -> Result<Response, AppError> {
    let programme_id = programme_id(db).await?;
    let level = store::territory_level(db, code).await?;
    if !level.is_some_and(|l| coverable(&l)) {
        let mut territory_errors = Violations::default();
        territory_errors.add("territory", "setup-territory-choose", None);
        let shown = Shown {
            territory_errors,
            territory: code.to_string(),
            ..Default::default()
        };
        let p = build(db, ctx, shown).await?;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    }
    store::add_territory(db, programme_id, code).await?;
    Ok(Redirect::to(&format!(
        "/admin/programme?ajoute={}#territories",
        urlencode(code)
    ))
    .into_response())
}

/// Removing a territory is asked first (see `web::confirm`).
async fn remove_territory(
    db: &Db,
    ctx: PageCtx,
    form: &Confirmable<ProgrammeForm>,
) -> Result<Response, AppError> {
    let code = form.form().territory.trim();
    let programme_id = programme_id(db).await?;
    if !form.confirmed() {
        let tr = ctx.tr;
        let Some(name) = store::territory_name(db, code, tr.0).await? else {
            return Ok(Redirect::to("/admin/programme#territories").into_response());
        };
        let question = Question::new(
            tr.ts("setup-territory-remove-title", "name", &name),
            tr.ts("setup-territory-remove-body", "name", &name),
            tr.t("setup-territory-remove-yes"),
            "/admin/programme#territories",
        );
        return Ok(form.ask(ctx, question));
    }
    if !store::remove_territory(db, programme_id, code).await? {
        // Already removed (a second click, another tab): nothing to report.
        return Ok(Redirect::to("/admin/programme#territories").into_response());
    }
    Ok(Redirect::to(&format!(
        "/admin/programme?retire={}#territories",
        urlencode(code)
    ))
    .into_response())
}
