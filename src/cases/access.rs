//! Who opens a follow-up file: the programme's managers, the adviser in
//! charge and the contributors. Another adviser gets a clear refusal from
//! which they may ask to contribute; the adviser in charge or a manager
//! accepts the request or adds an adviser directly. The adviser who hands a
//! file over stays on it as a contributor.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::pages::user_of;
use super::store::{self, Case};
use crate::auth::model::Role;
use crate::db::{now_ms, Db};
use crate::web::forms::WebForm;
use crate::web::{render, AppError, PageCtx};

/// What the file page shows about who may open it.
#[derive(Debug, Default)]
pub struct AccessView {
    /// The reader may add contributors (manager or adviser in charge).
    pub may_grant: bool,
    /// Pending requests: (adviser, name, when asked).
    pub requests: Vec<(i64, String, String)>,
    /// Advisers who could be added.
    pub candidates: Vec<(i64, String)>,
}

/// Whether the signed-in person manages the programme.
fn is_manager(ctx: &PageCtx) -> bool {
    ctx.user.as_ref().is_some_and(|u| u.has(Role::Admin))
}

/// May this signed-in staff member open this file?
pub async fn may_open(db: &Db, ctx: &PageCtx, case: &Case) -> Result<bool, AppError> {
    let user = user_of(ctx)?;
    Ok(store::may_open(db, case, user.id, user.has(Role::Admin)).await?)
}

/// The file page's access section; `advisers` are those who could be added,
/// `requests` the file's pending requests to contribute.
pub fn view(
    ctx: &PageCtx,
    case: &Case,
    advisers: &[(i64, String)],
    requests: Vec<(i64, String, i64)>,
) -> Result<AccessView, AppError> {
    let user = user_of(ctx)?;
    let may_grant = is_manager(ctx) || case.adviser_id == Some(user.id);
    if !may_grant {
        return Ok(AccessView::default());
    }
    let requests = requests
        .into_iter()
        .map(|(id, name, at)| (id, name, ctx.datetime(at)))
        .collect();
    let candidates = advisers
        .iter()
        .filter(|(id, _)| case.adviser_id != Some(*id))
        .cloned()
        .collect();
    Ok(AccessView {
        may_grant,
        requests,
        candidates,
    })
}

#[derive(Template)]
#[template(path = "cases/refused.html")]
struct RefusedPage {
    ctx: PageCtx,
    case_id: i64,
    business_name: String,
    adviser: String,
    asked: Option<String>,
}

/// The refusal shown to an adviser who is not on the file (403), with the
/// request to contribute (or when it was made).
pub async fn refusal(db: &Db, ctx: PageCtx, case: Case) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let asked = store::asked_at(db, case.id, user.id)
        .await?
        .map(|at| ctx.datetime(at));
    let adviser = case
        .adviser_name
        .clone()
        .unwrap_or_else(|| ctx.tr.t("case-nobody"));
    Ok(render(
        StatusCode::FORBIDDEN,
        &RefusedPage {
            ctx,
            case_id: case.id,
            business_name: case.business_name,
            adviser,
            asked,
        },
    ))
}

/// `POST /dossiers/{id}/contribuer`: an adviser asks to contribute.
pub async fn ask(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let case = store::get(&db, id).await?.ok_or(AppError::NotFound)?;
    if !store::may_open(&db, &case, user.id, user.has(Role::Admin)).await? {
        store::ask_to_contribute(&db, id, user.id, now_ms()).await?;
    }
    Ok(Redirect::to(&format!("/dossiers/{id}")).into_response())
}

/// The adviser added as a contributor.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct GrantForm {
    pub adviser: String,
}

/// `POST /dossiers/{id}/contributeurs`: the adviser in charge or a manager
/// adds an adviser (accepting their request, if they made one).
pub async fn grant(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<GrantForm>,
) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let case = store::get(&db, id).await?.ok_or(AppError::NotFound)?;
    if !(is_manager(&ctx) || case.adviser_id == Some(user.id)) {
        return Err(AppError::Forbidden);
    }
    let adviser: i64 = form
        .adviser
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest)?;
    if !store::advisers(&db).await?.iter().any(|a| a.0 == adviser) {
        return Err(AppError::BadRequest);
    }
    store::grant_contribution(&db, id, adviser, now_ms()).await?;
    Ok(Redirect::to(&format!("/dossiers/{id}?enregistre=1#contributeurs")).into_response())
}
