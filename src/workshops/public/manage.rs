//! The person's private link (`/ateliers/i/{token}`): confirm the address,
//! cancel, accept or decline an offered seat; and the feedback form after
//! the session (`/ateliers/i/{token}/avis`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{env, Card};
use crate::db::{is_unique_violation, now_ms};
use crate::kernel::dates;
use crate::kernel::forms::RepeatedForm;
use crate::state::AppState;
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};
use crate::workshops::booking::{self, BookError, LinkResult, Registration};
use crate::workshops::forms::{validate_feedback, FeedbackForm};
use crate::workshops::model::{Attendance, RegistrationStatus};
use crate::workshops::store;

#[derive(Template)]
#[template(path = "workshops/manage.html")]
struct ManagePage {
    ctx: PageCtx,
    token: String,
    reg: Registration,
    card: Card,
    position: i64,
    offer_until: String,
    notice: Option<String>,
    can_cancel: bool,
    feedback_open: bool,
    open: bool,
    /// The cancellation waits for the person to confirm it.
    confirm_cancel: bool,
}

/// Notices after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ManageFlags {
    fait: String,
    /// `cancel`: ask before cancelling.
    confirmer: String,
}

/// The registration a private link points to, or 404.
async fn registration(state: &AppState, token: &str) -> Result<Registration, AppError> {
    booking::by_token(&state.db, token)
        .await?
        .ok_or(AppError::NotFound)
}

async fn manage_page(
    state: &AppState,
    ctx: PageCtx,
    token: String,
    reg: Registration,
    notice: Option<String>,
) -> Result<ManagePage, AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let s = store::get(&state.db, reg.session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = now_ms();
    let position = if reg.status == RegistrationStatus::Waiting {
        booking::waiting_position(&state.db, &reg).await?
    } else {
        0
    };
    let offer_until = reg
        .offer_expires_at
        .map(|e| {
            format!(
                "{}, {}",
                dates::long_date(ctx.tr, &tz, e),
                dates::clock(ctx.tr, &tz, e)
            )
        })
        .unwrap_or_default();
    let can_cancel = reg.is_active() && !s.has_started(now);
    let open = s.is_open(now);
    let feedback_open = reg.attendance == Some(Attendance::Present) && s.is_past(now);
    let card = Card::new(ctx.tr, &tz, s);
    Ok(ManagePage {
        ctx,
        token,
        reg,
        card,
        position,
        offer_until,
        notice,
        can_cancel,
        feedback_open,
        open,
        confirm_cancel: false,
    })
}

/// `GET /ateliers/i/{token}`
pub async fn manage(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    Query(flags): Query<ManageFlags>,
) -> Result<Response, AppError> {
    let reg = registration(&state, &token).await?;
    let notice = match flags.fait.as_str() {
        "confirm" | "cancel" | "accept" | "decline" | "already" | "closed" => {
            Some(ctx.tr.code("ws-done-", &flags.fait))
        }
        _ => None,
    };
    let mut p = manage_page(&state, ctx, token, reg, notice).await?;
    p.confirm_cancel = flags.confirmer == "cancel" && p.can_cancel;
    Ok(page(&p))
}

/// What the buttons of the private page send.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ManageForm {
    action: String,
    /// `yes` once the person confirmed a cancellation.
    confirmed: String,
}

/// `POST /ateliers/i/{token}`
pub async fn manage_action(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    WebForm(form): WebForm<ManageForm>,
) -> Result<Response, AppError> {
    let reg = registration(&state, &token).await?;
    if form.action == "cancel" && form.confirmed != "yes" {
        // Cancelling frees the seat for someone else: ask first.
        return Ok(
            Redirect::to(&format!("/ateliers/i/{token}?confirmer=cancel#confirm")).into_response(),
        );
    }
    let env = env(&state, &ctx);
    let result = match form.action.as_str() {
        "confirm" => booking::confirm_pending(&env, reg.id).await,
        "cancel" | "decline" => booking::cancel(&env, reg.id).await,
        "accept" => booking::accept_offer(&env, reg.id).await,
        _ => return Err(AppError::BadRequest),
    };
    let flag = match result {
        Ok(LinkResult::Done(_)) => form.action.as_str(),
        Ok(LinkResult::AlreadyDone) => "already",
        Ok(LinkResult::Closed) => "closed",
        Err(BookError::Started | BookError::Cancelled) => "closed",
        Err(BookError::NotFound) => return Err(AppError::NotFound),
        Err(BookError::AlreadyRegistered) => "already",
        Err(BookError::Db(e)) => return Err(e.into()),
    };
    state.workshops.forget();
    state.mail_notify.notify_one();
    Ok(Redirect::to(&format!("/ateliers/i/{token}?fait={flag}")).into_response())
}

/// Where a feedback form stands for this registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FeedbackState {
    /// Feedback already given.
    Answered,
    /// The person did not attend, or the session is not over.
    NotYet,
    /// The form may be filled in.
    Open,
    /// Just saved.
    Thanks,
}

impl FeedbackState {
    /// The marker the template shows.
    fn code(self) -> &'static str {
        match self {
            FeedbackState::Answered => "answered",
            FeedbackState::NotYet => "not-yet",
            FeedbackState::Open => "open",
            FeedbackState::Thanks => "thanks",
        }
    }
}

#[derive(Template)]
#[template(path = "workshops/feedback.html")]
struct FeedbackPage {
    ctx: PageCtx,
    token: String,
    card: Card,
    themes: Vec<(i64, String)>,
    input: FeedbackForm,
    errors: Violations,
    state: &'static str,
}

impl FeedbackPage {
    fn scale(&self) -> Vec<(String, String)> {
        (1..=5)
            .map(|n| (n.to_string(), self.ctx.tr.code("ws-scale-", &n.to_string())))
            .collect()
    }
}

async fn feedback_page(
    state: &AppState,
    ctx: PageCtx,
    token: String,
    reg: &Registration,
    input: FeedbackForm,
    errors: Violations,
) -> Result<(FeedbackState, FeedbackPage), AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let s = store::get(&state.db, reg.session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let which = if store::feedback_given(&state.db, reg.id).await? {
        FeedbackState::Answered
    } else if reg.attendance != Some(Attendance::Present) || !s.is_past(now_ms()) {
        FeedbackState::NotYet
    } else {
        FeedbackState::Open
    };
    let themes = store::active_themes(&state.db, ctx.tr.0).await?;
    let card = Card::new(ctx.tr, &tz, s);
    Ok((
        which,
        FeedbackPage {
            ctx,
            token,
            card,
            themes,
            input,
            errors,
            state: which.code(),
        },
    ))
}

/// `GET /ateliers/i/{token}/avis`
pub async fn feedback(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let reg = registration(&state, &token).await?;
    let (_, p) = feedback_page(
        &state,
        ctx,
        token,
        &reg,
        FeedbackForm::default(),
        Violations::default(),
    )
    .await?;
    Ok(page(&p))
}

/// `POST /ateliers/i/{token}/avis`
pub async fn feedback_save(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    RepeatedForm(form): RepeatedForm<FeedbackForm>,
) -> Result<Response, AppError> {
    let reg = registration(&state, &token).await?;
    let (which, p) = feedback_page(
        &state,
        ctx.clone(),
        token.clone(),
        &reg,
        form.clone(),
        Violations::default(),
    )
    .await?;
    match which {
        FeedbackState::Answered => return Ok(render(StatusCode::CONFLICT, &p)),
        FeedbackState::NotYet => return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p)),
        FeedbackState::Open | FeedbackState::Thanks => {}
    }
    let valid = match validate_feedback(&form) {
        Ok(v) => v,
        Err(v) => {
            let (_, p) = feedback_page(&state, ctx, token, &reg, form, v).await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    let now = now_ms();
    let mut tx = state.db.begin_write().await?;
    match store::insert_feedback(&mut tx, &reg, &valid, now).await {
        Ok(()) => {}
        Err(e) if is_unique_violation(&e) => {
            drop(tx);
            let (_, p) =
                feedback_page(&state, ctx, token, &reg, form, Violations::default()).await?;
            return Ok(render(StatusCode::CONFLICT, &p));
        }
        Err(e) => return Err(e.into()),
    }
    if valid.coaching {
        crate::coaching::store::insert_from_feedback(
            &mut tx,
            &crate::coaching::store::FromFeedback {
                business_id: reg.business_id,
                registration_id: reg.id,
                session_id: reg.session_id,
                name: &reg.name,
                email: &reg.email,
                business_name: &reg.business_name,
                message: &valid.comment,
            },
            now,
        )
        .await?;
    }
    tx.commit().await?;
    let (_, mut p) = feedback_page(
        &state,
        ctx,
        token,
        &reg,
        FeedbackForm::default(),
        Violations::default(),
    )
    .await?;
    p.state = FeedbackState::Thanks.code();
    Ok(page(&p))
}
