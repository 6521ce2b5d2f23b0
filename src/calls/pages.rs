//! Pages of calls for projects and trophies: the public list and detail,
//! a business's application (draft, then submitted), the manager's
//! administration (call, grid, jury, totals, decisions) and the jurors'
//! score sheets.

// The select macro of needs/parts.html compares codes with the submitted text.
#![allow(clippy::cmp_owned)]

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{
    self, AppStatus, ApplyForm, CallForm, CallStatus, Kind, Phase, SheetForm, MAX_CRITERIA,
};
use super::store::{self, AppSaved, ApplicationRow, CallRow, CallSaved, Decided, SheetSaved};
use crate::auth::SessionUser;
use crate::db::Db;
use crate::funding::pages::today;
use crate::i18n::Tr;
use crate::kernel::dates::show_date_text;
use crate::kernel::forms::RepeatedForm;
use crate::kernel::money::Euros;
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

fn user_of(ctx: &PageCtx) -> Result<&SessionUser, AppError> {
    ctx.user.as_deref().ok_or(AppError::Forbidden)
}

fn phase_of(c: &CallRow, today: &str) -> Phase {
    Phase::of(c.status(), &c.opens_on, &c.closes_on, today)
}

fn period(tr: Tr, c: &CallRow) -> String {
    tr.args(
        "calls-period",
        &[
            ("opens", &show_date_text(tr.0, &c.opens_on)),
            ("closes", &show_date_text(tr.0, &c.closes_on)),
        ],
    )
}

fn kind_label(tr: Tr, c: &CallRow) -> String {
    tr.t(Kind::parse(&c.kind)
        .unwrap_or(Kind::CallForProjects)
        .label_key())
}

fn is_staff(ctx: &PageCtx) -> bool {
    ctx.user.as_ref().is_some_and(|u| u.is_staff())
}

/// A call as listed.
pub struct CallCard {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub phase: &'static str,
    pub phase_label: String,
    pub period: String,
}

impl CallCard {
    fn new(tr: Tr, c: &CallRow, today: &str) -> CallCard {
        let phase = phase_of(c, today);
        CallCard {
            id: c.id,
            title: c.title(tr.0).to_string(),
            kind: kind_label(tr, c),
            phase: phase.code(),
            phase_label: tr.t(phase.label_key()),
            period: period(tr, c),
        }
    }
}

/// One of a business's applications as listed.
pub struct MineLine {
    pub call_id: i64,
    pub call: String,
    pub title: String,
    pub status: &'static str,
    pub status_label: String,
}

#[derive(Template)]
#[template(path = "calls/list.html")]
struct ListPage {
    ctx: PageCtx,
    cards: Vec<CallCard>,
    mine: Vec<MineLine>,
    manager: bool,
}

/// `GET /appels`: published calls; a business owner's own applications,
/// drafts to resume first.
pub async fn list(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let tr = ctx.tr;
    let today = today(&ctx);
    let cards = store::published(&db)
        .await?
        .iter()
        .map(|c| CallCard::new(tr, c, &today))
        .collect();
    let mut mine = vec![];
    if let Some(u) = ctx.user.as_ref() {
        if let Some(b) = crate::business::store::for_member(&db, u.id).await? {
            mine = store::applications_of_business(&db, b.id)
                .await?
                .iter()
                .map(|a| MineLine {
                    call_id: a.call_id,
                    call: a.call_title(tr.0).to_string(),
                    title: a.title.clone(),
                    status: a.status().code(),
                    status_label: tr.t(a.status().label_key()),
                })
                .collect();
        }
    }
    Ok(page(&ListPage {
        manager: ctx.has_role("admin"),
        cards,
        mine,
        ctx,
    }))
}

#[derive(Template)]
#[template(path = "calls/show.html")]
struct ShowPage {
    ctx: PageCtx,
    card: CallCard,
    description: String,
    criteria: Vec<(String, i64)>,
    grid_max: i64,
    can_apply: bool,
    business_role: bool,
    mine: Option<(&'static str, String)>,
}

/// A call the visitor may see: published, or any for the programme's staff.
async fn visible_call(db: &Db, ctx: &PageCtx, id: i64) -> Result<CallRow, AppError> {
    let c = store::call(db, id).await?.ok_or(AppError::NotFound)?;
    if c.status() == CallStatus::Draft && !is_staff(ctx) {
        return Err(AppError::NotFound);
    }
    Ok(c)
}

fn criteria_lines(tr: Tr, rows: &[store::CriterionRow]) -> Vec<(String, i64)> {
    rows.iter()
        .map(|c| (c.label(tr.0).to_string(), c.max_points))
        .collect()
}

/// `GET /appels/{id}`: a call's dates, criteria and how to apply.
pub async fn show(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let tr = ctx.tr;
    let c = visible_call(&db, &ctx, id).await?;
    let today = today(&ctx);
    let rows = store::criteria(&db, id).await?;
    let business_role = ctx.has_role("business");
    let mut mine = None;
    if let Some(u) = ctx.user.as_ref() {
        if let Some(b) = crate::business::store::for_member(&db, u.id).await? {
            if let Some(a) = store::application_of(&db, id, b.id).await? {
                mine = Some((a.status().code(), tr.t(a.status().label_key())));
            }
        }
    }
    Ok(page(&ShowPage {
        can_apply: phase_of(&c, &today).accepts_applications(),
        card: CallCard::new(tr, &c, &today),
        description: c.description(tr.0).to_string(),
        grid_max: model::grid_max(&rows.iter().map(|r| r.max_points).collect::<Vec<_>>()),
        criteria: criteria_lines(tr, &rows),
        business_role,
        mine,
        ctx,
    }))
}

// ---------------------------------------------------------------- applying

#[derive(Template)]
#[template(path = "calls/apply.html")]
struct ApplyPage {
    ctx: PageCtx,
    call_id: i64,
    call_title: String,
    period: String,
    criteria: Vec<(String, i64)>,
    form: ApplyForm,
    errors: Violations,
    refused: Option<String>,
    /// `brouillon` or `depose` after a save.
    saved: String,
    no_business: bool,
    open: bool,
    /// The status of an application that can no longer change.
    readonly: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SavedQuery {
    enregistre: Option<String>,
}

struct ApplyState {
    form: ApplyForm,
    errors: Violations,
    refused: Option<String>,
    saved: String,
}

async fn apply_page(
    db: &Db,
    ctx: PageCtx,
    c: &CallRow,
    s: ApplyState,
    readonly: Option<String>,
    no_business: bool,
) -> Result<ApplyPage, AppError> {
    let tr = ctx.tr;
    let rows = store::criteria(db, c.id).await?;
    Ok(ApplyPage {
        call_id: c.id,
        call_title: c.title(tr.0).to_string(),
        period: period(tr, c),
        criteria: criteria_lines(tr, &rows),
        open: phase_of(c, &today(&ctx)).accepts_applications(),
        form: s.form,
        errors: s.errors,
        refused: s.refused,
        saved: s.saved,
        no_business,
        readonly,
        ctx,
    })
}

/// `GET /appels/{id}/candidature`: the business's application, resumed
/// where its draft was left.
pub async fn apply_form(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let c = visible_call(&db, &ctx, id).await?;
    let user = user_of(&ctx)?;
    let business = crate::business::store::for_member(&db, user.id).await?;
    let existing = match &business {
        Some(b) => store::application_of(&db, id, b.id).await?,
        None => None,
    };
    let readonly = existing
        .as_ref()
        .filter(|a| a.status() != AppStatus::Draft)
        .map(|a| ctx.tr.t(a.status().label_key()));
    let form = existing
        .map(|a| ApplyForm {
            version: a.version.to_string(),
            title: a.title,
            project: a.project,
            action: String::new(),
        })
        .unwrap_or_else(|| ApplyForm {
            version: "0".into(),
            ..Default::default()
        });
    let s = ApplyState {
        form,
        errors: Violations::default(),
        refused: None,
        saved: q.enregistre.unwrap_or_default(),
    };
    let p = apply_page(&db, ctx, &c, s, readonly, business.is_none()).await?;
    Ok(page(&p))
}

/// `POST /appels/{id}/candidature`: save the draft or submit it. Refused
/// outside the call's dates, or when it was saved meanwhile; the text typed
/// stays in the form.
pub async fn apply(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(mut form): WebForm<ApplyForm>,
) -> Result<Response, AppError> {
    let c = visible_call(&db, &ctx, id).await?;
    let user = user_of(&ctx)?.id;
    let Some(business) = crate::business::store::for_member(&db, user).await? else {
        let s = ApplyState {
            form,
            errors: Violations::default(),
            refused: None,
            saved: String::new(),
        };
        let p = apply_page(&db, ctx, &c, s, None, true).await?;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    };
    let (status, errors, refused) = if !phase_of(&c, &today(&ctx)).accepts_applications() {
        (
            StatusCode::CONFLICT,
            Violations::default(),
            Some(ctx.tr.t("calls-not-open-refused")),
        )
    } else {
        match form.parse() {
            Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors, None),
            Ok(text) => {
                let saved =
                    store::save_application(&db, id, business.id, user, form.version(), &text)
                        .await?;
                let key = match saved {
                    AppSaved::Done(_) => {
                        let to = if text.submit { "depose" } else { "brouillon" };
                        return Ok(Redirect::to(&format!(
                            "/appels/{id}/candidature?enregistre={to}"
                        ))
                        .into_response());
                    }
                    AppSaved::Stale => "calls-app-stale",
                    AppSaved::Submitted => "calls-app-already-submitted",
                };
                // Saving again after reading the message overwrites: the
                // form now carries the version saved meanwhile.
                if let Some(now) = store::application_of(&db, id, business.id).await? {
                    form.version = now.version.to_string();
                }
                (
                    StatusCode::CONFLICT,
                    Violations::default(),
                    Some(ctx.tr.t(key)),
                )
            }
        }
    };
    let s = ApplyState {
        form,
        errors,
        refused,
        saved: String::new(),
    };
    let p = apply_page(&db, ctx, &c, s, None, false).await?;
    Ok(render(status, &p))
}

// ---------------------------------------------------------------- administration

/// A call in the manager's list.
pub struct AdminLine {
    pub card: CallCard,
    pub status_label: String,
    pub submitted: i64,
}

#[derive(Template)]
#[template(path = "calls/admin.html")]
struct AdminPage {
    ctx: PageCtx,
    lines: Vec<AdminLine>,
}

/// `GET /admin/appels`
pub async fn admin(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let tr = ctx.tr;
    let today = today(&ctx);
    let lines = store::all(&db)
        .await?
        .iter()
        .map(|(c, n)| AdminLine {
            card: CallCard::new(tr, c, &today),
            status_label: tr.t(c.status().label_key()),
            submitted: *n,
        })
        .collect();
    Ok(page(&AdminPage { ctx, lines }))
}

/// An application as the manager sees it, with the jury's totals.
pub struct AppLine {
    pub id: i64,
    pub business_id: i64,
    pub business: String,
    pub title: String,
    pub project: String,
    pub status: &'static str,
    pub status_label: String,
    pub version: i64,
    /// Submitted sheets: juror and total.
    pub sheets: Vec<(String, i64)>,
    pub total: i64,
    pub average: String,
    pub decidable: bool,
    pub funded: Option<i64>,
}

#[derive(Template)]
#[template(path = "calls/form.html")]
struct FormPage {
    ctx: PageCtx,
    id: Option<i64>,
    form: CallForm,
    errors: Violations,
    refused: Option<String>,
    saved: bool,
    grid: Vec<(usize, String, String, String)>,
    locked: bool,
    locked_grid: Vec<(String, i64)>,
    kinds: Vec<(&'static str, String)>,
    statuses: Vec<(&'static str, String)>,
    schemes: Vec<(String, String)>,
    staff: Vec<(i64, String, bool)>,
    apps: Vec<AppLine>,
    grid_max: i64,
    decision: DecisionForm,
}

#[derive(Default)]
struct FormState {
    form: CallForm,
    errors: Violations,
    refused: Option<String>,
    saved: bool,
    decision: DecisionForm,
}

fn form_of(c: &CallRow, grid: &[store::CriterionRow], jurors: &[i64]) -> CallForm {
    CallForm {
        version: c.version.to_string(),
        kind: c.kind.clone(),
        status: c.status.clone(),
        title_fr: c.title_fr.clone(),
        title_en: c.title_en.clone(),
        description_fr: c.description_fr.clone(),
        description_en: c.description_en.clone(),
        opens_on: c.opens_on.clone(),
        closes_on: c.closes_on.clone(),
        funding_scheme: c
            .funding_scheme_id
            .map(|s| s.to_string())
            .unwrap_or_default(),
        crit_label_fr: grid.iter().map(|r| r.label_fr.clone()).collect(),
        crit_label_en: grid.iter().map(|r| r.label_en.clone()).collect(),
        crit_max: grid.iter().map(|r| r.max_points.to_string()).collect(),
        jurors: jurors.iter().map(|j| j.to_string()).collect(),
    }
}

async fn app_lines(db: &Db, tr: Tr, call_id: i64) -> Result<(Vec<AppLine>, usize), AppError> {
    let totals = store::totals(db, call_id).await?;
    let lines = store::submitted(db, call_id)
        .await?
        .iter()
        .map(|a| {
            let sheets: Vec<(String, i64)> = totals
                .iter()
                .filter(|t| t.application_id == a.id)
                .map(|t| (t.juror_name.clone(), t.total))
                .collect();
            let points: Vec<i64> = sheets.iter().map(|s| s.1).collect();
            AppLine {
                id: a.id,
                business_id: a.business_id,
                business: a.business_name.clone(),
                title: a.title.clone(),
                project: a.project.clone(),
                status: a.status().code(),
                status_label: tr.t(a.status().label_key()),
                version: a.version,
                total: model::total(&points),
                average: model::average_tenths(&points)
                    .map(|t| model::show_tenths(tr.0, t))
                    .unwrap_or_else(|| "—".into()),
                sheets,
                decidable: a.status() == AppStatus::Submitted,
                funded: a.funding_application_id,
            }
        })
        .collect();
    Ok((lines, totals.len()))
}

async fn form_page(
    db: &Db,
    ctx: PageCtx,
    id: Option<i64>,
    s: FormState,
) -> Result<FormPage, AppError> {
    let tr = ctx.tr;
    let (locked, locked_grid, apps, grid_max) = match id {
        Some(id) => {
            let rows = store::criteria(db, id).await?;
            let (apps, _) = app_lines(db, tr, id).await?;
            (
                store::grid_locked(db, id).await?,
                criteria_lines(tr, &rows),
                apps,
                model::grid_max(&rows.iter().map(|r| r.max_points).collect::<Vec<_>>()),
            )
        }
        None => (false, vec![], vec![], 0),
    };
    let blank = (s.form.crit_label_fr.len() + 2).clamp(4, MAX_CRITERIA);
    let grid = s
        .form
        .grid_rows(blank)
        .into_iter()
        .enumerate()
        .map(|(i, (fr, en, max))| (i, fr, en, max))
        .collect();
    let chosen = &s.form.jurors;
    let staff = store::staff(db)
        .await?
        .into_iter()
        .map(|(id, name)| {
            let on = chosen.contains(&id.to_string());
            (id, name, on)
        })
        .collect::<Vec<_>>();
    let schemes = store::schemes(db)
        .await?
        .into_iter()
        .map(|(id, fr, en)| {
            let t = if tr.0 == crate::i18n::Locale::En && !en.is_empty() {
                en
            } else {
                fr
            };
            (id.to_string(), t)
        })
        .collect();
    Ok(FormPage {
        id,
        kinds: Kind::ALL
            .iter()
            .map(|k| (k.code(), tr.t(k.label_key())))
            .collect(),
        statuses: CallStatus::ALL
            .iter()
            .map(|k| (k.code(), tr.t(k.label_key())))
            .collect(),
        schemes,
        staff,
        grid,
        locked,
        locked_grid,
        apps,
        grid_max,
        form: s.form,
        errors: s.errors,
        refused: s.refused,
        saved: s.saved,
        decision: s.decision,
        ctx,
    })
}

/// `GET /admin/appels/nouveau`
pub async fn new_form(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let s = FormState {
        form: CallForm {
            kind: Kind::CallForProjects.code().into(),
            status: CallStatus::Draft.code().into(),
            version: "0".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    Ok(page(&form_page(&db, ctx, None, s).await?))
}

/// `POST /admin/appels/nouveau`
pub async fn create(
    State(db): State<Db>,
    ctx: PageCtx,
    RepeatedForm(form): RepeatedForm<CallForm>,
) -> Result<Response, AppError> {
    match form.parse(false) {
        Ok(call) => {
            let by = ctx.user.as_ref().map(|u| u.id);
            let id = store::insert_call(&db, &call, by).await?;
            Ok(Redirect::to(&format!("/admin/appels/{id}?enregistre=1")).into_response())
        }
        Err(errors) => {
            let s = FormState {
                form,
                errors,
                ..Default::default()
            };
            let p = form_page(&db, ctx, None, s).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

/// `GET /admin/appels/{id}`: the call, its grid and jury, the applications
/// with the jury's totals and the decisions.
pub async fn edit_form(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let c = store::call(&db, id).await?.ok_or(AppError::NotFound)?;
    let grid = store::criteria(&db, id).await?;
    let jurors = store::jurors(&db, id).await?;
    let s = FormState {
        form: form_of(&c, &grid, &jurors),
        saved: q.enregistre.is_some(),
        ..Default::default()
    };
    Ok(page(&form_page(&db, ctx, Some(id), s).await?))
}

/// `POST /admin/appels/{id}`
pub async fn update(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    RepeatedForm(mut form): RepeatedForm<CallForm>,
) -> Result<Response, AppError> {
    store::call(&db, id).await?.ok_or(AppError::NotFound)?;
    let locked = store::grid_locked(&db, id).await?;
    let (status, errors, refused) = match form.parse(locked) {
        Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors, None),
        Ok(call) => {
            let version = form.version.trim().parse().unwrap_or(0);
            let key = match store::update_call(&db, id, version, &call).await? {
                CallSaved::Done => {
                    return Ok(
                        Redirect::to(&format!("/admin/appels/{id}?enregistre=1")).into_response()
                    )
                }
                CallSaved::Stale => "calls-call-stale",
                CallSaved::GridLocked => "calls-grid-locked",
            };
            if let Some(now) = store::call(&db, id).await? {
                form.version = now.version.to_string();
            }
            (
                StatusCode::CONFLICT,
                Violations::default(),
                Some(ctx.tr.t(key)),
            )
        }
    };
    let s = FormState {
        form,
        errors,
        refused,
        ..Default::default()
    };
    let p = form_page(&db, ctx, Some(id), s).await?;
    Ok(render(status, &p))
}

/// The manager's decision on one application, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    pub application: String,
    pub version: String,
    pub decision: String,
    pub amount: String,
}

/// `POST /admin/appels/{id}/decision`: award or not select a submitted
/// application; a winner of a call linked to a scheme becomes an obtained
/// grant application.
pub async fn decide(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<DecisionForm>,
) -> Result<Response, AppError> {
    let c = store::call(&db, id).await?.ok_or(AppError::NotFound)?;
    let app: Option<ApplicationRow> = match form.application.trim().parse::<i64>() {
        Ok(a) => store::application(&db, a).await?,
        Err(_) => None,
    };
    let app = app.filter(|a| a.call_id == id).ok_or(AppError::NotFound)?;
    let to = AppStatus::decision(&form.decision);
    let amount = Euros::parse(&form.amount);
    let (status, key) = match (to, amount) {
        (None, _) => (StatusCode::UNPROCESSABLE_ENTITY, "calls-decision-choose"),
        (_, Err(_)) => (StatusCode::UNPROCESSABLE_ENTITY, "calls-amount-invalid"),
        (Some(to), Ok(amount)) => {
            let today = today(&ctx);
            let decision = store::Decision {
                to,
                scheme: c.funding_scheme_id,
                amount,
                today: &today,
                by: ctx.user.as_ref().map(|u| u.id),
            };
            let version = form.version.trim().parse().unwrap_or(0);
            match store::decide(&db, &app, version, &decision).await? {
                Decided::Done(_) => {
                    return Ok(Redirect::to(&format!(
                        "/admin/appels/{id}?enregistre=1#app-{}",
                        app.id
                    ))
                    .into_response())
                }
                Decided::Stale => (StatusCode::CONFLICT, "calls-decision-stale"),
            }
        }
    };
    let grid = store::criteria(&db, id).await?;
    let jurors = store::jurors(&db, id).await?;
    let s = FormState {
        form: form_of(&c, &grid, &jurors),
        refused: Some(ctx.tr.t(key)),
        decision: form,
        ..Default::default()
    };
    let p = form_page(&db, ctx, Some(id), s).await?;
    Ok(render(status, &p))
}

// ---------------------------------------------------------------- jury

/// An application in a juror's list.
pub struct JuryLine {
    pub id: i64,
    pub business: String,
    pub title: String,
    pub state: &'static str,
    pub state_label: String,
}

/// A call in a juror's list.
pub struct JuryCall {
    pub card: CallCard,
    pub apps: Vec<JuryLine>,
}

#[derive(Template)]
#[template(path = "calls/jury.html")]
struct JuryPage {
    ctx: PageCtx,
    calls: Vec<JuryCall>,
}

/// `GET /jury`: the calls the signed-in person sits on the jury of, each
/// submitted application with where their own sheet stands.
pub async fn jury(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let tr = ctx.tr;
    let me = user_of(&ctx)?.id;
    let today = today(&ctx);
    let mut calls = vec![];
    for c in store::juror_calls(&db, me).await? {
        let mine = store::my_sheets(&db, c.id, me).await?;
        let apps = store::submitted(&db, c.id)
            .await?
            .into_iter()
            .map(|a| {
                let state = match mine.iter().find(|m| m.0 == a.id) {
                    None => "todo",
                    Some((_, None)) => "saved",
                    Some((_, Some(_))) => "submitted",
                };
                JuryLine {
                    id: a.id,
                    business: a.business_name,
                    title: a.title,
                    state,
                    state_label: tr.t(&format!("calls-sheet-{state}")),
                }
            })
            .collect();
        calls.push(JuryCall {
            card: CallCard::new(tr, &c, &today),
            apps,
        });
    }
    Ok(page(&JuryPage { ctx, calls }))
}

/// One criterion's line on a sheet.
pub struct SheetLine {
    pub index: usize,
    pub label: String,
    pub max: i64,
    pub value: String,
    pub error: Option<String>,
    /// On a conflict: what is saved now, next to what was typed.
    pub saved_now: Option<String>,
}

#[derive(Template)]
#[template(path = "calls/sheet.html")]
struct SheetPage {
    ctx: PageCtx,
    app_id: i64,
    call_title: String,
    business: String,
    title: String,
    project: String,
    lines: Vec<SheetLine>,
    comment: String,
    version: i64,
    final_: bool,
    refused: Option<String>,
    saved: bool,
    summary: Vec<(String, String)>,
    my_total: i64,
    grid_max: i64,
    /// Once their sheet is submitted: how many jurors submitted, their average.
    jury: Option<String>,
}

/// The application behind a sheet, if the signed-in person is on its jury.
async fn juror_app(
    db: &Db,
    ctx: &PageCtx,
    id: i64,
) -> Result<(ApplicationRow, i64, Vec<store::CriterionRow>), AppError> {
    let me = user_of(ctx)?.id;
    let app = store::application(db, id)
        .await?
        .filter(|a| a.status() != AppStatus::Draft)
        .ok_or(AppError::NotFound)?;
    if !store::is_juror(db, app.call_id, me).await? {
        return Err(AppError::Forbidden);
    }
    let grid = store::criteria(db, app.call_id).await?;
    Ok((app, me, grid))
}

struct SheetState {
    typed: Vec<String>,
    comment: String,
    version: i64,
    final_: bool,
    refused: Option<String>,
    saved: bool,
    problems: Vec<(usize, model::ScoreProblem)>,
    saved_now: Option<Vec<String>>,
}

async fn sheet_page(
    db: &Db,
    ctx: PageCtx,
    app: ApplicationRow,
    grid: &[store::CriterionRow],
    s: SheetState,
) -> Result<SheetPage, AppError> {
    let tr = ctx.tr;
    let message = |i: usize, p: model::ScoreProblem| {
        let c = &grid[i];
        tr.args(
            p.key(),
            &[
                ("criterion", c.label(tr.0)),
                ("max", &c.max_points.to_string()),
            ],
        )
    };
    let lines: Vec<SheetLine> = grid
        .iter()
        .enumerate()
        .map(|(i, c)| SheetLine {
            index: i,
            label: c.label(tr.0).to_string(),
            max: c.max_points,
            value: s.typed.get(i).cloned().unwrap_or_default(),
            error: s
                .problems
                .iter()
                .find(|p| p.0 == i)
                .map(|p| message(p.0, p.1)),
            saved_now: s.saved_now.as_ref().map(|v| v[i].clone()),
        })
        .collect();
    let summary = s
        .problems
        .iter()
        .map(|(i, p)| (format!("points-{i}"), message(*i, *p)))
        .collect();
    let my_total = model::total(
        &lines
            .iter()
            .filter_map(|l| l.value.trim().parse::<i64>().ok())
            .collect::<Vec<_>>(),
    );
    let jury = if s.final_ {
        let totals: Vec<i64> = store::totals(db, app.call_id)
            .await?
            .iter()
            .filter(|t| t.application_id == app.id)
            .map(|t| t.total)
            .collect();
        let average = model::average_tenths(&totals)
            .map(|t| model::show_tenths(tr.0, t))
            .unwrap_or_default();
        Some(tr.args(
            "calls-jury-average",
            &[("count", &totals.len().to_string()), ("average", &average)],
        ))
    } else {
        None
    };
    Ok(SheetPage {
        app_id: app.id,
        call_title: app.call_title(tr.0).to_string(),
        business: app.business_name,
        title: app.title,
        project: app.project,
        grid_max: model::grid_max(&grid.iter().map(|c| c.max_points).collect::<Vec<_>>()),
        lines,
        comment: s.comment,
        version: s.version,
        final_: s.final_,
        refused: s.refused,
        saved: s.saved,
        summary,
        my_total,
        jury,
        ctx,
    })
}

/// The sheet as stored: points in grid order, comment, version, final.
async fn stored_sheet(
    db: &Db,
    app: i64,
    me: i64,
    grid: &[store::CriterionRow],
) -> Result<(Vec<String>, String, i64, bool), AppError> {
    let sheet = store::sheet(db, app, me).await?;
    let points = store::sheet_points(db, app, me).await?;
    let typed = grid
        .iter()
        .map(|c| {
            points
                .iter()
                .find(|p| p.0 == c.id)
                .map(|p| p.1.to_string())
                .unwrap_or_default()
        })
        .collect();
    Ok(match sheet {
        Some(s) => (typed, s.comment, s.version, s.submitted_at.is_some()),
        None => (typed, String::new(), 0, false),
    })
}

/// `GET /jury/candidatures/{id}`: the signed-in juror's own sheet.
pub async fn sheet_form(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let (app, me, grid) = juror_app(&db, &ctx, id).await?;
    let (typed, comment, version, final_) = stored_sheet(&db, id, me, &grid).await?;
    let s = SheetState {
        typed,
        comment,
        version,
        final_,
        refused: None,
        saved: q.enregistre.is_some(),
        problems: vec![],
        saved_now: None,
    };
    Ok(page(&sheet_page(&db, ctx, app, &grid, s).await?))
}

/// `POST /jury/candidatures/{id}`: save or submit the juror's sheet. Points
/// outside the grid are refused, named; a sheet saved meanwhile (another
/// tab, another request) is not overwritten: the typed points come back
/// next to the ones saved.
pub async fn save_sheet(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    RepeatedForm(form): RepeatedForm<SheetForm>,
) -> Result<Response, AppError> {
    let (app, me, grid) = juror_app(&db, &ctx, id).await?;
    let ids: Vec<(i64, i64)> = grid.iter().map(|c| (c.id, c.max_points)).collect();
    let typed: Vec<String> = (0..grid.len()).map(|i| form.typed(i)).collect();
    let mut s = SheetState {
        typed,
        comment: form.comment.clone(),
        version: form.version(),
        final_: false,
        refused: None,
        saved: false,
        problems: vec![],
        saved_now: None,
    };
    let status = match model::parse_sheet(&ids, &form) {
        Err(problems) => {
            s.problems = problems;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Ok(sheet) => {
            let key = match store::save_sheet(&db, id, me, form.version(), &sheet).await? {
                SheetSaved::Done => {
                    return Ok(
                        Redirect::to(&format!("/jury/candidatures/{id}?enregistre=1"))
                            .into_response(),
                    )
                }
                SheetSaved::Stale => "calls-sheet-stale",
                SheetSaved::Final => "calls-sheet-final",
            };
            let (now, _, version, final_) = stored_sheet(&db, id, me, &grid).await?;
            if final_ {
                // Final: shown as stored, read-only.
                s.typed = now.clone();
            }
            s.saved_now = Some(now);
            s.version = version;
            s.final_ = final_;
            s.refused = Some(ctx.tr.t(key));
            StatusCode::CONFLICT
        }
    };
    let p = sheet_page(&db, ctx, app, &grid, s).await?;
    Ok(render(status, &p))
}
