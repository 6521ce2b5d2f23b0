//! Referrals to partner bodies: the catalogue of bodies (programme
//! managers), sending and reopening a referral (staff), and the body's
//! answer through its private link, without an account.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::model::{self, AnswerForm, BodyForm, ReferralForm, ReferralStatus};
use super::pages::{case_for_staff, user_of, Choice};
use super::{mails, store};
use crate::auth::secrets::hash_secret;
use crate::db::{now_ms, Db};
use crate::state::AppState;
use crate::web::forms::{Violations, WebForm};
use crate::web::pipeline::random_token;
use crate::web::{page, render, AppError, PageCtx};

// ------------------------------------------------------------------ catalogue

#[derive(Template)]
#[template(path = "cases/bodies.html")]
struct BodiesPage {
    ctx: PageCtx,
    bodies: Vec<store::Body>,
    input: BodyForm,
    errors: Violations,
}

/// `GET /admin/organismes`
pub async fn bodies(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let bodies = store::bodies(&db).await?;
    Ok(page(&BodiesPage {
        ctx,
        bodies,
        input: BodyForm::default(),
        errors: Violations::default(),
    }))
}

/// `POST /admin/organismes`
pub async fn add_body(
    State(db): State<Db>,
    ctx: PageCtx,
    WebForm(form): WebForm<BodyForm>,
) -> Result<Response, AppError> {
    match model::parse_body(&form) {
        Ok(v) => {
            store::insert_body(&db, &v, now_ms()).await?;
            Ok(Redirect::to("/admin/organismes").into_response())
        }
        Err(errors) => {
            let bodies = store::bodies(&db).await?;
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &BodiesPage {
                    ctx,
                    bodies,
                    input: form,
                    errors,
                },
            ))
        }
    }
}

// ------------------------------------------------------------------ sending

/// Send a referral and queue the body's mail in one transaction; returns its id.
pub async fn send(
    state: &AppState,
    case: &store::Case,
    body: &store::Body,
    note: &str,
    author: i64,
) -> Result<i64, sqlx::Error> {
    let programme = state.programme_or_default().await;
    let tr = crate::i18n::Tr(programme.default_locale.unwrap_or(crate::i18n::Locale::Fr));
    let token = random_token();
    let mut tx = state.db.begin_write().await?;
    let id = store::insert_referral(
        &mut tx,
        case.id,
        body.id,
        note,
        &hash_secret(&token),
        author,
        now_ms(),
    )
    .await?;
    let mail = mails::referral(
        tr,
        state.config.base_url.as_str(),
        &programme.name,
        &body.email,
        &case.business_name,
        note,
        &token,
    );
    crate::outbox::enqueue(&mut tx, &mail).await?;
    tx.commit().await?;
    state.mail_notify.notify_one();
    Ok(id)
}

/// `POST /dossiers/{id}/orientations`
pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<ReferralForm>,
) -> Result<Response, AppError> {
    let db = &state.db;
    let case = case_for_staff(db, &ctx, id).await?;
    let user = user_of(&ctx)?;
    let body = match form.body.trim().parse::<i64>() {
        Ok(b) => store::body(db, b).await?.filter(|b| b.active == 1),
        Err(_) => None,
    };
    let Some(body) = body else {
        return Ok(
            Redirect::to(&format!("/dossiers/{id}?orientation=invalide#orientations"))
                .into_response(),
        );
    };
    let note: String = form.note.trim().chars().take(4000).collect();
    send(&state, &case, &body, &note, user.id).await?;
    Ok(Redirect::to(&format!("/dossiers/{id}?oriente=1#orientations")).into_response())
}

/// `POST /dossiers/{id}/orientations/{rid}/rouvrir`: a final referral is
/// sent again with a new link (the old one stops working).
pub async fn reopen(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, rid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let db = &state.db;
    let case = case_for_staff(db, &ctx, id).await?;
    let r = store::referral(db, id, rid)
        .await?
        .ok_or(AppError::NotFound)?;
    let programme = state.programme_or_default().await;
    let tr = crate::i18n::Tr(programme.default_locale.unwrap_or(crate::i18n::Locale::Fr));
    let token = random_token();
    let mut tx = db.begin_write().await?;
    if store::reopen_referral(&mut tx, rid, &hash_secret(&token), now_ms()).await? {
        let mail = mails::referral(
            tr,
            state.config.base_url.as_str(),
            &programme.name,
            &r.body_email,
            &case.business_name,
            &r.note,
            &token,
        );
        crate::outbox::enqueue(&mut tx, &mail).await?;
    }
    tx.commit().await?;
    state.mail_notify.notify_one();
    Ok(Redirect::to(&format!("/dossiers/{id}?oriente=1#orientations")).into_response())
}

// ------------------------------------------------------------------ the body's answer

#[derive(Template)]
#[template(path = "cases/answer.html")]
struct AnswerPage {
    ctx: PageCtx,
    token: String,
    intro: String,
    note: String,
    status: String,
    answer: String,
    link_version: i64,
    choices: Vec<Choice>,
    can_answer: bool,
    message: Option<String>,
    error: Option<String>,
}

async fn answer_page(
    db: &Db,
    ctx: PageCtx,
    token: String,
    r: store::Referral,
    message: Option<String>,
    error: Option<String>,
) -> Result<AnswerPage, AppError> {
    let case = store::get(db, r.case_id).await?.ok_or(AppError::NotFound)?;
    let status = r.status();
    let choices = super::pages::answer_choices(&ctx)
        .into_iter()
        .filter(|(c, _)| ReferralStatus::from_code(c).is_some_and(|to| status.can_move_to(to)))
        .collect::<Vec<_>>();
    Ok(AnswerPage {
        status: ctx.tr.t(status.label_key()),
        can_answer: !choices.is_empty(),
        choices,
        intro: ctx.tr.args(
            "referral-answer-intro",
            &[("body", &r.body_name), ("business", &case.business_name)],
        ),
        note: r.note,
        answer: r.answer,
        link_version: r.link_version,
        ctx,
        token,
        message,
        error,
    })
}

/// The referral a link opens; a forged or outdated link is refused (404).
async fn by_link(db: &Db, token: &str) -> Result<store::Referral, AppError> {
    if token.len() < 16 || token.len() > 128 {
        return Err(AppError::NotFound);
    }
    store::referral_by_token(db, &hash_secret(token))
        .await?
        .ok_or(AppError::NotFound)
}

/// `GET /orientation/{token}`
pub async fn answer_form(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let r = by_link(&db, &token).await?;
    let p = answer_page(&db, ctx, token, r, None, None).await?;
    Ok(page(&p))
}

/// `POST /orientation/{token}`: the body says where the referral stands. A
/// replayed submission (an older page) is refused and the current state shown.
pub async fn answer(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(token): Path<String>,
    WebForm(form): WebForm<AnswerForm>,
) -> Result<Response, AppError> {
    let r = by_link(&db, &token).await?;
    // A body answers with one of its answers; "sent" is the adviser's move.
    let to = ReferralStatus::from_code(form.status.trim())
        .filter(|s| ReferralStatus::ANSWERS.contains(s));
    let text: String = form.answer.trim().chars().take(4000).collect();
    let version = form.link_version.trim().parse::<i64>().unwrap_or(-1);
    let Some(to) = to else {
        let msg = ctx.tr.t("referral-answer-required");
        let p = answer_page(&db, ctx, token, r, None, Some(msg)).await?;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    };
    if version != r.link_version
        || !store::answer_referral(&db, &r, to, &text, version, now_ms()).await?
    {
        let msg = ctx.tr.t("referral-answer-stale");
        let fresh = by_link(&db, &token).await?;
        let p = answer_page(&db, ctx, token, fresh, None, Some(msg)).await?;
        return Ok(render(StatusCode::CONFLICT, &p));
    }
    let fresh = by_link(&db, &token).await?;
    let msg = ctx.tr.t("referral-answer-thanks");
    let p = answer_page(&db, ctx, token, fresh, Some(msg), None).await?;
    Ok(page(&p))
}
