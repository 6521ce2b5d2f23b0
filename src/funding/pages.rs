//! Pages of funding schemes: the public list and a scheme with the
//! business's eligibility and the amount simulated for its project; the
//! business's applications; the staff editor and the catalogue import.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{self, evaluate, overall, AidType, Check, Facts, Outcome, Rule, Simulation};
use super::store::{self, Filter, SchemeRow};
use crate::business::model::Business;
use crate::db::Db;
use crate::directory::index::Snapshots;
use crate::guides::model::unpack;
use crate::guides::pages::theme_choices;
use crate::i18n::{Locale, Tr};
use crate::kernel::dates;
use crate::kernel::money::Euros;
use crate::web::forms::WebForm;
use crate::web::{page, AppError, PageCtx};

/// Today on the programme's clock, `YYYY-MM-DD`.
pub fn today(ctx: &PageCtx) -> String {
    dates::date_input(&dates::zone(&ctx.programme.timezone), crate::db::now_ms())
}

/// The business a page is about: the signed-in member's, or for staff the
/// one named by `entreprise`.
pub async fn business_of(
    db: &Db,
    ctx: &PageCtx,
    asked: Option<i64>,
) -> Result<Option<Business>, AppError> {
    let Some(user) = ctx.user.as_ref() else {
        return Ok(None);
    };
    if user.is_staff() {
        if let Some(id) = asked {
            return Ok(crate::business::store::get(db, id).await?);
        }
    }
    Ok(crate::business::store::for_member(db, user.id).await?)
}

/// Facts of `b` for eligibility.
pub async fn facts_of(
    db: &Db,
    snaps: &Arc<Snapshots>,
    ctx: &PageCtx,
    b: &Business,
) -> Result<Option<Facts>, AppError> {
    let zone = dates::zone(&ctx.programme.timezone);
    Ok(store::facts(db, snaps, b.id, &today(ctx), &zone).await?)
}

/// Names of the codes rules show: themes and territories, by code.
#[derive(Debug, Default, Clone)]
pub struct Names {
    pub themes: HashMap<String, String>,
    pub territories: HashMap<String, String>,
}

impl Names {
    /// The names of the themes and of the territories `rules` name.
    pub async fn of(db: &Db, locale: Locale, rules: &[Rule]) -> Result<Names, AppError> {
        let themes = theme_choices(db, locale).await?.into_iter().collect();
        let (_, _, codes) = model::named_codes(rules);
        let territories = store::territory_names(db, &codes, locale).await?;
        Ok(Names {
            themes,
            territories,
        })
    }

    fn territories(&self, codes: &[String]) -> String {
        codes
            .iter()
            .map(|c| self.territories.get(c).unwrap_or(c).as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A rule as a person reads it (territories and themes by name).
pub fn rule_text(tr: Tr, r: &Rule, names: &Names) -> String {
    let themes = &names.themes;
    match r {
        Rule::Territory(c) => tr.ts("funding-rule-territory", "codes", &names.territories(c)),
        Rule::Sectors(c) => tr.ts("funding-rule-sectors", "codes", &c.join(", ")),
        Rule::CraftRegister => tr.t("funding-rule-craft"),
        Rule::Headcount(c) => tr.ts("funding-rule-headcount", "codes", &c.join(", ")),
        Rule::MinAgeMonths(n) => tr.tn("funding-rule-min-age", "count", *n),
        Rule::MaxAgeMonths(n) => tr.tn("funding-rule-max-age", "count", *n),
        Rule::DiagnosticWithin(n) => tr.tn("funding-rule-diagnostic", "count", *n),
        Rule::WorkshopTheme(t) => tr.ts(
            "funding-rule-workshop",
            "theme",
            themes.get(t).map(String::as_str).unwrap_or(t),
        ),
    }
}

/// A rule's check as shown.
pub struct CheckView {
    pub outcome: &'static str,
    pub outcome_label: String,
    pub text: String,
    pub missing: String,
}

/// Checks as shown.
pub fn check_views(tr: Tr, checks: &[Check], names: &Names) -> Vec<CheckView> {
    checks
        .iter()
        .map(|c| CheckView {
            outcome: c.outcome.code(),
            outcome_label: tr.t(c.outcome.label_key()),
            text: rule_text(tr, &c.rule, names),
            missing: c.missing_key.map(|k| tr.t(k)).unwrap_or_default(),
        })
        .collect()
}

/// The formula as a sentence ("80 % of the cost, at most 15 000 €").
pub fn formula_text(tr: Tr, s: &SchemeRow) -> String {
    let f = s.formula();
    let mut parts = vec![];
    if let Some(r) = f.rate_pct {
        parts.push(tr.tn("funding-formula-rate", "rate", r));
    }
    if let Some(c) = f.cap {
        parts.push(tr.ts("funding-formula-cap", "amount", &c.format(tr.0)));
    }
    if let Some(fl) = f.floor {
        parts.push(tr.ts("funding-formula-floor", "amount", &fl.format(tr.0)));
    }
    if parts.is_empty() {
        tr.t("funding-formula-none")
    } else {
        parts.join(", ")
    }
}

/// A scheme as a card in a list.
pub struct Card {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub types: String,
    pub formula: String,
    pub closes_on: String,
    pub closes_soon: bool,
    pub eligibility: Option<Outcome>,
}

impl Card {
    /// The card of `s`, with an eligibility when a business's facts are known.
    pub fn new(tr: Tr, s: &SchemeRow, today: &str, facts: Option<&Facts>) -> Card {
        Card {
            slug: s.slug.clone(),
            title: s.title(tr.0).to_string(),
            summary: s.summary(tr.0).to_string(),
            types: unpack(&s.aid_types)
                .iter()
                .filter_map(|c| AidType::parse(c).ok())
                .map(|t| tr.t(t.label_key()))
                .collect::<Vec<_>>()
                .join(", "),
            formula: formula_text(tr, s),
            closes_on: dates::show_date_text(tr.0, &s.closes_on),
            closes_soon: model::closes_soon(&s.closes_on, today),
            eligibility: facts.map(|f| {
                let checks: Vec<Check> = s.rules().iter().map(|r| evaluate(r, f)).collect();
                overall(&checks)
            }),
        }
    }
}

// ---------------------------------------------------------------- public

/// Filters of the public list.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    theme: String,
    #[serde(rename = "type")]
    aid_type: String,
    territory: String,
    q: String,
}

#[derive(Template)]
#[template(path = "funding/list.html")]
struct ListPage {
    ctx: PageCtx,
    cards: Vec<Card>,
    q: ListQuery,
    themes: Vec<(String, String)>,
    types: Vec<(&'static str, String)>,
    territories: Vec<(String, String)>,
    business: Option<String>,
    staff: bool,
}

/// `GET /aides`: published schemes still open, filtered; a business sees its eligibility.
pub async fn list(
    State(db): State<Db>,
    State(snaps): State<Arc<Snapshots>>,
    ctx: PageCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let tr = ctx.tr;
    let today = today(&ctx);
    let territories = crate::directory::plan::places(&db, &snaps, &q.territory).await?;
    let words: Vec<String> = crate::text::fold(&q.q)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let rows = store::published(
        &db,
        &Filter {
            theme: q.theme.trim(),
            aid_type: q.aid_type.trim(),
            territories,
            words,
            today: &today,
        },
    )
    .await?;
    let business = business_of(&db, &ctx, None).await?;
    let facts = match &business {
        Some(b) => facts_of(&db, &snaps, &ctx, b).await?,
        None => None,
    };
    let cards = rows
        .iter()
        .map(|s| Card::new(tr, s, &today, facts.as_ref()))
        .collect();
    Ok(page(&ListPage {
        themes: theme_choices(&db, tr.0).await?,
        types: AidType::ALL
            .iter()
            .map(|t| (t.code(), tr.t(t.label_key())))
            .collect(),
        territories: crate::guides::store::covered_territories(&db, tr.0).await?,
        business: business.map(|b| b.name),
        staff: ctx.user.as_ref().is_some_and(|u| u.is_staff()),
        cards,
        q,
        ctx,
    }))
}

/// A scheme page's query: the cost to simulate, the business (staff).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    cout: String,
    entreprise: Option<i64>,
    infos: Option<String>,
    /// The follow-up file the page was opened from.
    suivi: Option<i64>,
}

/// The simulation as shown.
pub struct SimulationView {
    pub cost: String,
    pub aid: Option<String>,
    pub aid_cents: i64,
    pub note: String,
    /// "For a cost of …, the aid would be …".
    pub result: String,
}

#[derive(Template)]
#[template(path = "funding/show.html")]
struct ShowPage {
    ctx: PageCtx,
    s: Card,
    slug: String,
    details: Vec<(String, String)>,
    link: String,
    business: Option<(i64, String)>,
    checks: Vec<CheckView>,
    overall: Option<(&'static str, String)>,
    cost_input: String,
    cost_error: Option<String>,
    simulation: Option<SimulationView>,
    founded_on: String,
    craft: String,
    asks_facts: bool,
    facts_saved: bool,
    can_apply: bool,
    /// The follow-up file the page was opened from.
    case_id: Option<i64>,
    /// The business's open follow-up files: id, label, chosen.
    cases: Vec<(i64, String, bool)>,
}

fn labels<T: Copy>(
    tr: Tr,
    packed: &str,
    parse: fn(&str) -> Result<T, crate::guides::model::UnknownCode>,
    key: fn(T) -> &'static str,
) -> String {
    unpack(packed)
        .iter()
        .filter_map(|c| parse(c).ok())
        .map(|t| tr.t(key(t)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `GET /aides/{slug}`: the scheme, the business's eligibility rule by rule,
/// and the amount simulated for the cost typed.
pub async fn show(
    State(db): State<Db>,
    State(snaps): State<Arc<Snapshots>>,
    ctx: PageCtx,
    Path(slug): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let tr = ctx.tr;
    let staff = ctx.user.as_ref().is_some_and(|u| u.is_staff());
    let s = store::by_slug(&db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if !s.is_published() && !staff {
        return Err(AppError::NotFound);
    }
    let today = today(&ctx);
    let names = Names::of(&db, tr.0, &s.rules()).await?;
    let business = business_of(&db, &ctx, q.entreprise).await?;
    // Opened from a follow-up file, the application is attached to it; the
    // business's open files are offered.
    let (case_id, cases) = match &business {
        Some(b) => {
            let case_id = store::case_for(&db, b.id, q.suivi).await?;
            let zone = dates::zone(&ctx.programme.timezone);
            let cases = store::open_cases(&db, b.id)
                .await?
                .into_iter()
                .map(|(id, at)| {
                    let on = dates::show_date_text(tr.0, &dates::date_input(&zone, at));
                    let label = tr.ts("funding-apply-case-option", "opened", &on);
                    (id, format!("#{id} — {label}"), case_id == Some(id))
                })
                .collect();
            (case_id, cases)
        }
        None => (None, vec![]),
    };
    let facts = match &business {
        Some(b) => facts_of(&db, &snaps, &ctx, b).await?,
        None => None,
    };
    let checks: Vec<Check> = match &facts {
        Some(f) => s.rules().iter().map(|r| evaluate(r, f)).collect(),
        None => vec![],
    };
    let (cost_error, simulation) = match Euros::parse(&q.cout) {
        Ok(None) => (None, None),
        Err(_) => (Some(tr.t("funding-amount-invalid")), None),
        Ok(Some(cost)) => (None, Some(simulate_view(tr, &s, cost))),
    };
    let mut details = vec![
        (
            tr.t("funding-field-aid-types"),
            labels(tr, &s.aid_types, AidType::parse, AidType::label_key),
        ),
        (
            tr.t("funding-field-audiences"),
            labels(
                tr,
                &s.audiences,
                model::Audience::parse,
                model::Audience::label_key,
            ),
        ),
        (
            tr.t("funding-field-stages"),
            labels(tr, &s.stages, model::Stage::parse, model::Stage::label_key),
        ),
        (
            tr.t("funding-field-recurrence"),
            tr.t(s.recurrence().label_key()),
        ),
        (
            tr.t("funding-field-opens"),
            dates::show_date_text(tr.0, &s.opens_on),
        ),
        (
            tr.t("funding-field-closes"),
            dates::show_date_text(tr.0, &s.closes_on),
        ),
        (tr.t("funding-field-backers"), s.backers.clone()),
        (tr.t("funding-field-instructor"), s.instructor.clone()),
        (
            tr.t("funding-field-perimeter"),
            crate::setup::store::territory_name(&db, &s.perimeter_code, tr.0)
                .await?
                .unwrap_or_else(|| s.perimeter_code.clone()),
        ),
        (tr.t("funding-field-amount"), formula_text(tr, &s)),
    ];
    details.retain(|(_, v)| !v.is_empty());
    let (founded_on, craft) = match &facts {
        Some(f) => (
            f.founded_on.clone().unwrap_or_default(),
            match f.craft_register {
                Some(true) => "yes".into(),
                Some(false) => "no".into(),
                None => String::new(),
            },
        ),
        None => (String::new(), String::new()),
    };
    let asks_facts = business.is_some()
        && checks.iter().any(|c| {
            c.outcome == Outcome::Unknown
                && matches!(
                    c.rule,
                    Rule::CraftRegister | Rule::MinAgeMonths(_) | Rule::MaxAgeMonths(_)
                )
        });
    let overall_view = (!checks.is_empty() || business.is_some()).then(|| {
        let o = overall(&checks);
        (o.code(), tr.t(o.overall_key()))
    });
    Ok(page(&ShowPage {
        s: Card::new(tr, &s, &today, facts.as_ref()),
        slug: s.slug.clone(),
        details,
        link: s.link.clone(),
        checks: check_views(tr, &checks, &names),
        case_id,
        cases,
        overall: overall_view,
        cost_input: q.cout.clone(),
        cost_error,
        simulation,
        founded_on,
        craft,
        asks_facts,
        facts_saved: q.infos.is_some(),
        can_apply: business.is_some() && s.is_published(),
        business: business.map(|b| (b.id, b.name)),
        ctx,
    }))
}

/// The simulation of `cost` for `s`, as shown.
pub fn simulate_view(tr: Tr, s: &SchemeRow, cost: Euros) -> SimulationView {
    let (aid, aid_cents, note) = match s.formula().simulate(cost) {
        Simulation::Amount { aid, capped } => (
            Some(aid.format(tr.0)),
            aid.cents(),
            if capped {
                tr.t("funding-sim-capped")
            } else {
                String::new()
            },
        ),
        Simulation::BelowFloor { floor, .. } => (
            None,
            0,
            tr.ts("funding-sim-below-floor", "amount", &floor.format(tr.0)),
        ),
        Simulation::NoFormula => (None, 0, tr.t("funding-formula-none")),
    };
    let result = aid
        .as_deref()
        .map(|a| {
            tr.args(
                "funding-sim-result",
                &[("cost", &cost.format(tr.0)), ("aid", a)],
            )
        })
        .unwrap_or_default();
    SimulationView {
        cost: cost.format(tr.0),
        result,
        aid,
        aid_cents,
        note,
    }
}

/// What a business says of itself.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FactsForm {
    founded_on: String,
    craft_register: String,
    entreprise: Option<i64>,
}

/// `POST /aides/{slug}/infos`: record the creation date and the craft register.
pub async fn save_facts(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(slug): Path<String>,
    WebForm(form): WebForm<FactsForm>,
) -> Result<Response, AppError> {
    let b = business_of(&db, &ctx, form.entreprise)
        .await?
        .ok_or(AppError::Forbidden)?;
    let founded = form.founded_on.trim();
    if !founded.is_empty() && model::day_number(founded).is_none() {
        return Err(AppError::BadRequest);
    }
    let craft = match form.craft_register.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    store::save_facts(&db, b.id, founded, craft, ctx.user.as_ref().map(|u| u.id)).await?;
    let who = form
        .entreprise
        .map(|e| format!("&entreprise={e}"))
        .unwrap_or_default();
    Ok(Redirect::to(&format!("/aides/{slug}?infos=1{who}#eligibilite")).into_response())
}

/// The "prepare an application" form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ApplyForm {
    project: String,
    cost: String,
    entreprise: Option<i64>,
    /// The follow-up file the scheme was opened from ("" when none is
    /// chosen in the list).
    suivi: String,
}

/// `POST /aides/{slug}/candidature`: prepare an application with the simulated amount.
pub async fn apply(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(slug): Path<String>,
    WebForm(form): WebForm<ApplyForm>,
) -> Result<Response, AppError> {
    let b = business_of(&db, &ctx, form.entreprise)
        .await?
        .ok_or(AppError::Forbidden)?;
    let s = store::by_slug(&db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if !s.is_published() {
        return Err(AppError::NotFound);
    }
    let cost = Euros::parse(&form.cost).map_err(|_| AppError::BadRequest)?;
    let simulated = cost.and_then(|c| s.formula().granted(c));
    let today = today(&ctx);
    store::insert_application(
        &db.pool,
        &store::NewApplication {
            business_id: b.id,
            scheme_id: s.id,
            case_id: store::case_for(&db, b.id, form.suivi.trim().parse().ok()).await?,
            project: form.project.trim(),
            cost,
            simulated,
            today: &today,
            by: ctx.user.as_ref().map(|u| u.id),
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/mes-aides?entreprise={}", b.id)).into_response())
}
