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

mod admin;
mod jury;

pub use admin::*;
pub use jury::*;
