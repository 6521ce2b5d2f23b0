//! Staff pages of a session's registrations: promote from the waiting
//! list, cancel for someone, add someone, and attach a registrant to a
//! business of the register.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::business::model::Business;
use crate::db::now_ms;
use crate::kernel::dates;
use crate::state::AppState;
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};
use crate::workshops::booking::{self, BookError, LinkResult, Registrant, Registration};
use crate::workshops::forms::{validate_registrant, RegForm};
use crate::workshops::model::RegistrationSource;
use crate::workshops::public::{env, Card};
use crate::workshops::store;

#[derive(Template)]
#[template(path = "workshops/admin_registrations.html")]
struct RegistrationsPage {
    ctx: PageCtx,
    card: Card,
    regs: Vec<Registration>,
    input: RegForm,
    errors: Violations,
    notice: Option<String>,
    open: bool,
    /// Feedback comments of this session: (satisfaction, comment).
    comments: Vec<(i64, String)>,
}

/// Notices after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RegFlags {
    fait: String,
}

async fn registrations_page(
    state: &AppState,
    ctx: PageCtx,
    id: i64,
    input: RegForm,
    errors: Violations,
    notice: Option<String>,
) -> Result<RegistrationsPage, AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let s = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let regs = booking::for_session(&state.db, id).await?;
    let open = s.is_open(now_ms());
    let comments = store::session_comments(&state.db, id).await?;
    Ok(RegistrationsPage {
        comments,
        card: Card::new(ctx.tr, &tz, s),
        ctx,
        regs,
        input,
        errors,
        notice,
        open,
    })
}

/// `GET /admin/ateliers/{id}/inscrits`
pub async fn registrations(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(flags): Query<RegFlags>,
) -> Result<Response, AppError> {
    let notice = match flags.fait.as_str() {
        "promote" | "cancel" | "add" | "full" | "already" | "closed" | "linked" | "unlinked" => {
            Some(ctx.tr.code("ws-staff-done-", &flags.fait))
        }
        _ => None,
    };
    let p = registrations_page(
        &state,
        ctx,
        id,
        RegForm::default(),
        Violations::default(),
        notice,
    )
    .await?;
    Ok(page(&p))
}

/// What the registrations page sends.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RegAction {
    action: String,
    reg: Option<i64>,
    name: String,
    email: String,
    business_name: String,
}

/// A registration of this session, or 404.
async fn of_session(state: &AppState, id: i64, reg_id: i64) -> Result<Registration, AppError> {
    store::registration(&state.db, reg_id)
        .await?
        .filter(|r| r.session_id == id)
        .ok_or(AppError::NotFound)
}

/// Promote or cancel one registration; returns the notice flag.
async fn promote_or_cancel(
    state: &AppState,
    ctx: &PageCtx,
    id: i64,
    form: &RegAction,
) -> Result<String, AppError> {
    let reg = of_session(state, id, form.reg.ok_or(AppError::BadRequest)?).await?;
    let env = env(state, ctx);
    let promote = form.action == "promote";
    let r = if promote {
        booking::promote_by_hand(&env, reg.id).await
    } else {
        booking::cancel(&env, reg.id).await
    };
    Ok(match r {
        Ok(LinkResult::Done(_)) => form.action.clone(),
        Ok(LinkResult::AlreadyDone) => "already".into(),
        Ok(LinkResult::Closed) if promote => "full".into(),
        Ok(LinkResult::Closed) | Err(BookError::Started | BookError::Cancelled) => "closed".into(),
        Err(BookError::NotFound) => return Err(AppError::NotFound),
        Err(BookError::AlreadyRegistered) => "already".into(),
        Err(BookError::Db(e)) => return Err(e.into()),
    })
}

/// `POST /admin/ateliers/{id}/inscrits`: promote by hand, cancel for
/// someone, or add someone (their address is taken as verified).
pub async fn registrations_action(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<RegAction>,
) -> Result<Response, AppError> {
    let flag = match form.action.as_str() {
        "promote" | "cancel" => promote_or_cancel(&state, &ctx, id, &form).await?,
        "add" => {
            let reg_form = RegForm {
                name: form.name.clone(),
                email: form.email.clone(),
                business_name: form.business_name.clone(),
                consent: None,
            };
            let valid = match validate_registrant(&reg_form, false) {
                Ok(v) => v,
                Err(errors) => {
                    let p = registrations_page(&state, ctx, id, reg_form, errors, None).await?;
                    return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
                }
            };
            let who = Registrant {
                name: valid.name,
                email: valid.email,
                business_name: valid.business_name,
                business_id: None,
                user_id: None,
                locale: ctx.tr.0,
                source: RegistrationSource::Staff,
            };
            match booking::register(&env(&state, &ctx), id, &who, true).await {
                Ok(_) => "add".into(),
                Err(e) => {
                    let mut errors = Violations::default();
                    match e {
                        BookError::AlreadyRegistered => {
                            errors.add("email", "ws-already-registered", None)
                        }
                        BookError::Cancelled => errors.add("name", "ws-closed-cancelled", None),
                        BookError::Started => errors.add("name", "ws-closed-started", None),
                        BookError::NotFound => return Err(AppError::NotFound),
                        BookError::Db(e) => return Err(e.into()),
                    }
                    let p = registrations_page(&state, ctx, id, reg_form, errors, None).await?;
                    return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
                }
            }
        }
        _ => return Err(AppError::BadRequest),
    };
    state.mail_notify.notify_one();
    Ok(Redirect::to(&format!("/admin/ateliers/{id}/inscrits?fait={flag}")).into_response())
}

#[derive(Template)]
#[template(path = "workshops/admin_link.html")]
struct LinkPage {
    ctx: PageCtx,
    card: Card,
    reg: Registration,
    /// The business the registration is attached to, if any.
    linked: Option<Business>,
    suggestions: Vec<Business>,
    q: String,
    results: Vec<Business>,
    total: i64,
}

/// What the link page is asked for.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LinkQuery {
    q: String,
}

/// `GET /admin/ateliers/{id}/inscrits/{reg}/entreprise`: attach a
/// registration to a business of the register, so that the business counts
/// as made aware with its territory, sector and partner. Suggests businesses
/// with a person of that e-mail address or of the name the person typed, and
/// searches the register.
pub async fn link_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, reg_id)): Path<(i64, i64)>,
    Query(query): Query<LinkQuery>,
) -> Result<Response, AppError> {
    let reg = of_session(&state, id, reg_id).await?;
    let s = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let tz = dates::zone(&ctx.programme.timezone);
    let linked = match reg.business_id {
        Some(b) => crate::business::store::get(&state.db, b).await?,
        None => None,
    };
    let suggestions: Vec<_> =
        crate::business::store::likely_for(&state.db, &reg.email, &reg.business_name)
            .await?
            .into_iter()
            .filter(|b| Some(b.id) != reg.business_id)
            .collect();
    let q = query.q.trim().chars().take(200).collect::<String>();
    let (results, total) = if q.is_empty() {
        (vec![], 0)
    } else {
        crate::business::store::search(&state.db, &q, "", "", 10, 0).await?
    };
    Ok(page(&LinkPage {
        card: Card::new(ctx.tr, &tz, s),
        ctx,
        reg,
        linked,
        suggestions,
        q,
        results,
        total,
    }))
}

/// What the link page sends.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LinkAction {
    action: String,
    business: Option<i64>,
}

/// `POST /admin/ateliers/{id}/inscrits/{reg}/entreprise`: attach to a
/// business (`action=link`) or detach (`action=unlink`).
pub async fn link_save(
    State(db): State<crate::db::Db>,
    Path((id, reg_id)): Path<(i64, i64)>,
    WebForm(form): WebForm<LinkAction>,
) -> Result<Response, AppError> {
    let business = match form.action.as_str() {
        "link" => {
            let b = form.business.ok_or(AppError::BadRequest)?;
            crate::business::store::get(&db, b)
                .await?
                .ok_or(AppError::NotFound)?;
            Some(b)
        }
        "unlink" => None,
        _ => return Err(AppError::BadRequest),
    };
    if !store::link_business(&db, id, reg_id, business).await? {
        return Err(AppError::NotFound);
    }
    let flag = if business.is_some() {
        "linked"
    } else {
        "unlinked"
    };
    Ok(Redirect::to(&format!(
        "/admin/ateliers/{id}/inscrits?fait={flag}#reg-{reg_id}"
    ))
    .into_response())
}
