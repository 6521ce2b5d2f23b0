//! The coaching inbox: every request (workshop feedback, a diagnostic's
//! results, the contact form) in one list, with its actions: take, assign,
//! decline with a reason, open a follow-up file. The requester is told by
//! mail; the time to first contact is recorded.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{self, Action, RequestStatus};
use super::store;
use crate::db::now_ms;
use crate::i18n::{Locale, Tr};
use crate::state::AppState;
use crate::web::forms::WebForm;
use crate::web::{page, render, AppError, PageCtx};

/// Requests listed at most.
const LIMIT: i64 = 500;

/// A coaching request as listed for advisers.
pub struct Request {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub business: String,
    pub business_id: Option<i64>,
    pub source: String,
    pub session: String,
    /// Only for those who may open the session's page.
    pub session_id: Option<i64>,
    pub message: String,
    pub when: String,
    pub status_code: &'static str,
    pub status: String,
    pub pending: bool,
    pub adviser: String,
    pub first_contact: String,
    pub decline_reason: String,
    pub case_id: Option<i64>,
}

#[derive(Template)]
#[template(path = "coaching/requests.html")]
struct RequestsPage {
    ctx: PageCtx,
    requests: Vec<Request>,
    advisers: Vec<(i64, String)>,
    all: bool,
    mean_delay: Option<String>,
    error: Option<String>,
}

/// The inbox's filter.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InboxQuery {
    pub tout: String,
}

async fn inbox(
    state: &AppState,
    ctx: PageCtx,
    all: bool,
    error: Option<String>,
) -> Result<RequestsPage, AppError> {
    let db = &state.db;
    let admin = ctx.has_role("admin");
    let tr = ctx.tr;
    let requests = store::latest(db, tr.0, LIMIT, !all)
        .await?
        .into_iter()
        .map(|r| {
            let status = RequestStatus::from_code(&r.status).unwrap_or(RequestStatus::Open);
            Request {
                id: r.id,
                when: ctx.datetime(r.created_at),
                status_code: status.code(),
                status: tr.t(status.label_key()),
                pending: status.is_pending(),
                first_contact: r
                    .first_contact_at
                    .map(|f| {
                        let (key, n) = model::delay(f - r.created_at);
                        tr.tn(key, "count", n)
                    })
                    .unwrap_or_default(),
                source: tr.code("coaching-source-", &r.source),
                name: r.name,
                email: r.email,
                phone: r.phone,
                business: r.business_name,
                business_id: r.business_id,
                session: r.theme.unwrap_or_default(),
                // The session's page is for programme managers only.
                session_id: r.session_id.filter(|_| admin),
                message: r.message,
                adviser: r.adviser_name.unwrap_or_default(),
                decline_reason: r.decline_reason,
                case_id: r.case_id,
            }
        })
        .collect();
    let mean_delay = store::mean_first_contact(db).await?.map(|ms| {
        let (key, n) = model::delay(ms as i64);
        tr.tn(key, "count", n)
    });
    Ok(RequestsPage {
        advisers: crate::cases::store::advisers(db).await?,
        ctx,
        requests,
        all,
        mean_delay,
        error,
    })
}

/// `GET /accompagnement/demandes`
pub async fn requests(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<InboxQuery>,
) -> Result<Response, AppError> {
    let p = inbox(&state, ctx, q.tout == "1", None).await?;
    Ok(page(&p))
}

/// An action on a request.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActForm {
    pub action: String,
    pub adviser: String,
    pub reason: String,
}

/// `POST /accompagnement/demandes/{id}`: take, assign or decline; the
/// requester is told by mail in the same transaction.
pub async fn act(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<ActForm>,
) -> Result<Response, AppError> {
    let db = &state.db;
    let user = ctx.user.clone().ok_or(AppError::Forbidden)?;
    let r = store::get(db, ctx.tr.0, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let action = Action::from_code(form.action.trim()).ok_or(AppError::BadRequest)?;
    let advisers = crate::cases::store::advisers(db).await?;
    let programme = state.programme_or_default().await;
    let tr = Tr(Locale::from_tag(&r.locale).unwrap_or(Locale::Fr));
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let (done, mail) = match action {
        Action::Take | Action::Assign => {
            let adviser = if action == Action::Take {
                Some(user.id)
            } else {
                form.adviser
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|a| advisers.iter().any(|(id, _)| id == a))
            };
            let Some(adviser) = adviser else {
                drop(tx);
                return refuse(&state, ctx, "coaching-bad-adviser").await;
            };
            let name = advisers
                .iter()
                .find(|(id, _)| *id == adviser)
                .map(|(_, n)| n.clone())
                .unwrap_or_default();
            let told = r.first_contact_at.is_none();
            let done = store::assign(&mut tx, id, adviser, now).await?;
            let mail = (done && told).then(|| {
                crate::cases::mails::request_answer(
                    tr,
                    &programme.name,
                    &r.email,
                    &r.name,
                    &name,
                    None,
                )
            });
            (done, mail)
        }
        Action::Decline => {
            let reason: String = form.reason.trim().chars().take(2000).collect();
            if reason.is_empty() {
                drop(tx);
                return refuse(&state, ctx, "coaching-reason-required").await;
            }
            let done = store::decline(&mut tx, id, user.id, &reason, now).await?;
            let mail = done.then(|| {
                crate::cases::mails::request_answer(
                    tr,
                    &programme.name,
                    &r.email,
                    &r.name,
                    "",
                    Some(&reason),
                )
            });
            (done, mail)
        }
    };
    if let Some(m) = mail {
        crate::outbox::enqueue(&mut tx, &m).await?;
    }
    tx.commit().await?;
    state.mail_notify.notify_one();
    if !done {
        return refuse(&state, ctx, "coaching-not-pending").await;
    }
    Ok(Redirect::to("/accompagnement/demandes").into_response())
}

async fn refuse(state: &AppState, ctx: PageCtx, key: &str) -> Result<Response, AppError> {
    let msg = ctx.tr.t(key);
    let p = inbox(state, ctx, false, Some(msg)).await?;
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
}

/// "Be called back by an adviser", as typed on a diagnostic's results.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct CallbackForm {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "coaching/callback.html")]
struct CallbackPage {
    ctx: PageCtx,
    token: String,
    input: CallbackForm,
    errors: crate::web::forms::Violations,
    done: bool,
}

/// `POST /diagnostic/d/{token}/rappel`: the request lands in the inbox,
/// linked to the diagnostic and its business.
pub async fn callback(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    WebForm(form): WebForm<CallbackForm>,
) -> Result<Response, AppError> {
    let db = &state.db;
    let d = crate::diagnostic::store::by_token(db, &token)
        .await?
        .filter(|d| d.is_submitted())
        .ok_or(AppError::NotFound)?;
    let mut v = crate::web::forms::Violations::default();
    let name = v.text("name", &form.name, 2, 200);
    let email = v.email("email", &form.email);
    let phone = v.text("phone", &form.phone, 0, 40);
    let message = v.text("message", &form.message, 0, 2000);
    if !v.is_empty() {
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &CallbackPage {
                ctx,
                token,
                input: form,
                errors: v,
                done: false,
            },
        ));
    }
    let business_name = match d.business_id {
        Some(b) => crate::business::store::get(db, b)
            .await?
            .map(|b| b.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let mut tx = db.begin_write().await?;
    store::insert(
        &mut tx,
        &store::NewRequest {
            source: super::model::Source::DiagnosticResults,
            business_id: d.business_id,
            origin_id: Some(d.id),
            name: &name,
            email: &email,
            phone: &phone,
            business_name: &business_name,
            message: &message,
            locale: ctx.tr.0,
        },
        now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(page(&CallbackPage {
        ctx,
        token,
        input: CallbackForm::default(),
        errors: crate::web::forms::Violations::default(),
        done: true,
    }))
}
