//! Pages of funding schemes: the public list and a scheme with the
//! business's eligibility and the amount simulated for its project; the
//! business's applications; the staff editor and the catalogue import.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::imports;
use super::model::{
    self, evaluate, overall, AidType, ApplicationStatus, Check, Facts, Outcome, Rule, RuleError,
    SchemeForm, SchemeStatus, Simulation,
};
use super::store::{self, ApplicationRow, Filter, Saved, SchemeRow};
use crate::auth::SessionUser;
use crate::business::model::Business;
use crate::db::Db;
use crate::guides::model::unpack;
use crate::guides::pages::theme_choices;
use crate::i18n::{Locale, Tr};
use crate::kernel::dates;
use crate::kernel::money::Euros;
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

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
pub async fn facts_of(db: &Db, ctx: &PageCtx, b: &Business) -> Result<Option<Facts>, AppError> {
    Ok(store::facts(db, b.id, &today(ctx), &dates::zone(&ctx.programme.timezone)).await?)
}

/// A rule as a person reads it.
pub fn rule_text(tr: Tr, r: &Rule, themes: &HashMap<String, String>) -> String {
    match r {
        Rule::Territory(c) => tr.ts("funding-rule-territory", "codes", &c.join(", ")),
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
pub fn check_views(tr: Tr, checks: &[Check], themes: &HashMap<String, String>) -> Vec<CheckView> {
    checks
        .iter()
        .map(|c| CheckView {
            outcome: c.outcome.code(),
            outcome_label: tr.t(c.outcome.label_key()),
            text: rule_text(tr, &c.rule, themes),
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
    ctx: PageCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let tr = ctx.tr;
    let today = today(&ctx);
    let territories = if q.territory.is_empty() {
        vec![]
    } else {
        crate::guides::store::with_ancestors(&db, &q.territory).await?
    };
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
        Some(b) => facts_of(&db, &ctx, b).await?,
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
    let themes: HashMap<String, String> = theme_choices(&db, tr.0).await?.into_iter().collect();
    let business = business_of(&db, &ctx, q.entreprise).await?;
    let facts = match &business {
        Some(b) => facts_of(&db, &ctx, b).await?,
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
        checks: check_views(tr, &checks, &themes),
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
        &db,
        &store::NewApplication {
            business_id: b.id,
            scheme_id: s.id,
            case_id: None,
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

// ---------------------------------------------------------------- applications

/// An application as shown.
pub struct ApplicationView {
    pub id: i64,
    pub business: String,
    pub scheme_slug: String,
    pub scheme: String,
    pub status: &'static str,
    pub status_label: String,
    pub project: String,
    pub cost: String,
    pub simulated: String,
    pub obtained: String,
    pub paid: String,
    pub dates: String,
    pub version: i64,
    pub next: Vec<(&'static str, String)>,
    pub needs_amount: bool,
}

/// `a` as shown in `tr`'s language.
pub fn application_view(tr: Tr, a: &ApplicationRow) -> ApplicationView {
    let money = |c: Option<i64>| c.map(|c| Euros(c).format(tr.0)).unwrap_or_default();
    let status = a.status();
    let dates = [
        ("funding-app-prepared", &a.prepared_on),
        ("funding-app-submitted", &a.submitted_on),
        ("funding-app-decided", &a.decided_on),
        ("funding-app-paid", &a.paid_on),
    ]
    .iter()
    .filter(|(_, d)| !d.is_empty())
    .map(|(k, d)| format!("{} {}", tr.t(k), dates::show_date_text(tr.0, d)))
    .collect::<Vec<_>>()
    .join(" · ");
    ApplicationView {
        id: a.id,
        business: a.business_name.clone(),
        scheme_slug: a.scheme_slug.clone(),
        scheme: if tr.0 == Locale::En {
            &a.title_en
        } else {
            &a.title_fr
        }
        .clone(),
        status: status.code(),
        status_label: tr.t(status.label_key()),
        project: a.project.clone(),
        cost: money(a.cost_cents),
        simulated: money(a.simulated_cents),
        obtained: money(a.obtained_cents),
        paid: money(a.paid_cents),
        dates,
        version: a.version,
        next: status
            .next()
            .iter()
            .map(|s| (s.code(), tr.t(s.label_key())))
            .collect(),
        needs_amount: status
            .next()
            .iter()
            .any(|s| matches!(s, ApplicationStatus::Obtained | ApplicationStatus::Paid)),
    }
}

#[derive(Template)]
#[template(path = "funding/applications.html")]
struct ApplicationsPage {
    ctx: PageCtx,
    business: Option<(i64, String)>,
    apps: Vec<ApplicationView>,
    today: String,
    error: Option<String>,
}

/// Which business's applications.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AppsQuery {
    entreprise: Option<i64>,
}

/// `GET /mes-aides`: a business's applications (staff: any business's, or all).
pub async fn applications(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(q): Query<AppsQuery>,
) -> Result<Response, AppError> {
    let staff = ctx.user.as_ref().is_some_and(|u| u.is_staff());
    let business = business_of(&db, &ctx, q.entreprise).await?;
    // Someone with no business (and not staff) simply has no application.
    let rows = match (&business, staff) {
        (Some(b), _) => store::applications(&db, Some(b.id)).await?,
        (None, true) => store::applications(&db, None).await?,
        (None, false) => vec![],
    };
    Ok(page(&ApplicationsPage {
        apps: rows.iter().map(|a| application_view(ctx.tr, a)).collect(),
        business: business.map(|b| (b.id, b.name)),
        today: today(&ctx),
        error: None,
        ctx,
    }))
}

/// A step of an application.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AdvanceForm {
    to: String,
    on: String,
    amount: String,
    version: i64,
}

/// May `user` see and move application `a`?
async fn may_handle(
    db: &Db,
    user: Option<&Arc<SessionUser>>,
    a: &ApplicationRow,
) -> Result<bool, AppError> {
    let Some(user) = user else { return Ok(false) };
    if user.is_staff() {
        return Ok(true);
    }
    Ok(crate::business::store::for_member(db, user.id)
        .await?
        .is_some_and(|b| b.id == a.business_id))
}

/// `POST /candidatures/{id}`: move an application on (with its date and, when
/// obtained or paid, its amount).
pub async fn advance(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<AdvanceForm>,
) -> Result<Response, AppError> {
    let a = store::application(&db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_handle(&db, ctx.user.as_ref(), &a).await? {
        return Err(AppError::Forbidden);
    }
    let tr = ctx.tr;
    let to = ApplicationStatus::parse(&form.to)
        .ok()
        .filter(|t| a.status().next().contains(t));
    let on = form.on.trim();
    let amount = Euros::parse(&form.amount);
    let error = match (&to, amount) {
        (None, _) => Some(tr.t("funding-app-bad-step")),
        _ if model::day_number(on).is_none() => Some(tr.t("funding-date-invalid")),
        (Some(ApplicationStatus::Obtained | ApplicationStatus::Paid), Ok(None) | Err(_)) => {
            Some(tr.t("funding-amount-invalid"))
        }
        (_, Err(_)) => Some(tr.t("funding-amount-invalid")),
        _ => None,
    };
    let back = format!("/mes-aides?entreprise={}", a.business_id);
    if let (None, Some(to)) = (&error, to) {
        if store::advance(&db, id, form.version, to, on, amount.ok().flatten()).await? {
            return Ok(Redirect::to(&format!("{back}#app-{id}")).into_response());
        }
    }
    let rows = store::applications(&db, Some(a.business_id)).await?;
    let error = error.or_else(|| Some(tr.t("funding-app-stale")));
    Ok(render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &ApplicationsPage {
            apps: rows.iter().map(|a| application_view(tr, a)).collect(),
            business: Some((a.business_id, a.business_name.clone())),
            today: today(&ctx),
            error,
            ctx,
        },
    ))
}

/// `GET /candidatures/{id}/dossier.pdf`: the application dossier.
pub async fn dossier(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let a = store::application(&db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_handle(&db, ctx.user.as_ref(), &a).await? {
        return Err(AppError::Forbidden);
    }
    let bytes = super::dossier::pdf(&db, &ctx, &a).await?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/pdf".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"dossier-{id}.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

// ---------------------------------------------------------------- staff

#[derive(Template)]
#[template(path = "funding/admin.html")]
struct AdminPage {
    ctx: PageCtx,
    rows: Vec<(i64, String, String, String, String)>,
    report: Option<imports::ReportView>,
    file_error: Option<String>,
}

async fn admin_page(
    db: &Db,
    ctx: PageCtx,
    report: Option<imports::ReportView>,
    file_error: Option<String>,
) -> Result<AdminPage, AppError> {
    let tr = ctx.tr;
    let rows = store::all(db)
        .await?
        .into_iter()
        .map(|s| {
            let status = tr.t(SchemeStatus::parse(&s.status)
                .unwrap_or(SchemeStatus::Draft)
                .label_key());
            (
                s.id,
                s.slug.clone(),
                s.title(tr.0).to_string(),
                status,
                formula_text(tr, &s),
            )
        })
        .collect();
    Ok(AdminPage {
        rows,
        report,
        file_error,
        ctx,
    })
}

/// `GET /admin/aides`
pub async fn admin(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    Ok(page(&admin_page(&db, ctx, None, None).await?))
}

/// `POST /admin/aides/import`: a CSV or JSON export of an aid catalogue;
/// good rows are kept (as drafts unless a status is given), bad rows reported by line.
pub async fn import(
    State(db): State<Db>,
    ctx: PageCtx,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("").to_string();
            if let Ok(b) = field.bytes().await {
                file = Some((name, b.to_vec()));
            }
        }
    }
    let tr = ctx.tr;
    let Some((name, bytes)) = file.filter(|f| !f.1.is_empty()) else {
        let p = admin_page(&db, ctx, None, Some(tr.t("csv-empty"))).await?;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    };
    let by = ctx.user.as_ref().map(|u| u.id);
    match imports::import(&db, &name, &bytes, by)
        .await
        .map_err(AppError::Internal)?
    {
        Err(msg_key) => {
            let p = admin_page(&db, ctx, None, Some(tr.t(msg_key))).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
        Ok(report) => {
            let view = imports::view(tr, &report);
            let status = if report.rejected.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let p = admin_page(&db, ctx, Some(view), None).await?;
            Ok(render(status, &p))
        }
    }
}

#[derive(Template)]
#[template(path = "funding/form.html")]
struct FormPage {
    ctx: PageCtx,
    id: Option<i64>,
    input: SchemeForm,
    errors: Violations,
    rule_errors: Vec<String>,
    stale: bool,
    saved: bool,
    vocab: Vec<(String, String)>,
}

/// Rule errors as shown: "line 2: …".
pub fn rule_error_lines(tr: Tr, errors: &[RuleError]) -> Vec<String> {
    errors
        .iter()
        .map(|e| {
            let msg = if e.codes.is_empty() {
                tr.t(e.key)
            } else {
                tr.ts(e.key, "codes", &e.codes.join(", "))
            };
            format!(
                "{} {}",
                tr.tn("funding-rule-line", "line", e.line as i64),
                msg
            )
        })
        .collect()
}

fn vocab(tr: Tr) -> Vec<(String, String)> {
    let mut out = vec![];
    let mut add = |name: &str, items: Vec<(&'static str, String)>| {
        out.push((
            name.to_string(),
            items
                .iter()
                .map(|(c, l)| format!("{c} ({l})"))
                .collect::<Vec<_>>()
                .join(", "),
        ))
    };
    add(
        &tr.t("funding-field-aid-types"),
        AidType::ALL
            .iter()
            .map(|t| (t.code(), tr.t(t.label_key())))
            .collect(),
    );
    add(
        &tr.t("funding-field-audiences"),
        model::Audience::ALL
            .iter()
            .map(|t| (t.code(), tr.t(t.label_key())))
            .collect(),
    );
    add(
        &tr.t("funding-field-stages"),
        model::Stage::ALL
            .iter()
            .map(|t| (t.code(), tr.t(t.label_key())))
            .collect(),
    );
    add(
        &tr.t("funding-field-recurrence"),
        model::Recurrence::ALL
            .iter()
            .map(|t| (t.code(), tr.t(t.label_key())))
            .collect(),
    );
    out
}

fn form_page(
    ctx: PageCtx,
    id: Option<i64>,
    input: SchemeForm,
    errors: Violations,
    rule_errors: Vec<String>,
    stale: bool,
    saved: bool,
) -> FormPage {
    FormPage {
        vocab: vocab(ctx.tr),
        ctx,
        id,
        input,
        errors,
        rule_errors,
        stale,
        saved,
    }
}

/// Notices after saving.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EditFlags {
    enregistre: Option<String>,
}

/// `GET /admin/aides/nouvelle`
pub async fn new_form(ctx: PageCtx) -> Response {
    let input = SchemeForm {
        status: "draft".into(),
        recurrence: "ongoing".into(),
        perimeter: "FR".into(),
        version: "0".into(),
        ..Default::default()
    };
    page(&form_page(
        ctx,
        None,
        input,
        Violations::default(),
        vec![],
        false,
        false,
    ))
}

/// `GET /admin/aides/{id}`
pub async fn edit_form(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(flags): Query<EditFlags>,
) -> Result<Response, AppError> {
    let s = store::get(&db, id).await?.ok_or(AppError::NotFound)?;
    let input = s.to_form(ctx.tr.0);
    Ok(page(&form_page(
        ctx,
        Some(id),
        input,
        Violations::default(),
        vec![],
        false,
        flags.enregistre.is_some(),
    )))
}

/// `POST /admin/aides/nouvelle`
pub async fn create(
    State(db): State<Db>,
    ctx: PageCtx,
    WebForm(form): WebForm<SchemeForm>,
) -> Result<Response, AppError> {
    save(db, ctx, None, form).await
}

/// `POST /admin/aides/{id}`
pub async fn update(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<SchemeForm>,
) -> Result<Response, AppError> {
    store::get(&db, id).await?.ok_or(AppError::NotFound)?;
    save(db, ctx, Some(id), form).await
}

async fn save(
    db: Db,
    ctx: PageCtx,
    id: Option<i64>,
    form: SchemeForm,
) -> Result<Response, AppError> {
    let (themes, sectors, territories) = form.named();
    let known = crate::guides::store::known(&db, &themes, &sectors, &territories).await?;
    let valid = match form.parse(&known) {
        Ok(v) => v,
        Err((errors, rule_errors)) => {
            let lines = rule_error_lines(ctx.tr, &rule_errors);
            return Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(ctx, id, form, errors, lines, false, false),
            ));
        }
    };
    let by = ctx.user.as_ref().map(|u| u.id);
    let saved = match id {
        None => store::insert(&db, &valid, by, "manual").await?,
        Some(id) => store::update(&db, id, &valid).await?,
    };
    match saved {
        Saved::Created(id) | Saved::Updated(id) => {
            Ok(Redirect::to(&format!("/admin/aides/{id}?enregistre=1")).into_response())
        }
        Saved::SlugTaken => Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_page(
                ctx,
                id,
                form,
                crate::setup::model::slug_taken(),
                vec![],
                false,
                false,
            ),
        )),
        Saved::Stale => Ok(render(
            StatusCode::CONFLICT,
            &form_page(ctx, id, form, Violations::default(), vec![], true, false),
        )),
    }
}
