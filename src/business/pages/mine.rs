//! The owner's own business: register it, edit it, add its people.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;

use super::*;
use crate::auth::CurrentUser;
use crate::business::model::{Business, BusinessInput, PersonInput};
use crate::business::store;
use crate::state::AppState;
use crate::web::forms::WebForm;
use crate::web::{page, AppError, PageCtx};

/// The owner's business, or the form to register it.
pub async fn mine(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let uid = user_id(&user).ok_or(AppError::Forbidden)?;
    let business = store::for_member(&state.db, uid).await?;
    let input = business
        .as_ref()
        .map(Business::to_input)
        .unwrap_or(BusinessInput {
            country: "FR".into(),
            ..Default::default()
        });
    let p = edit_page(
        &state,
        ctx,
        business,
        input,
        Shown {
            saved: q.enregistre.is_some(),
            ..Default::default()
        },
        false,
    )
    .await?;
    Ok(page(&p))
}

/// Register or update the owner's business.
pub async fn save_mine(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    headers: axum::http::HeaderMap,
    WebForm(input): WebForm<BusinessInput>,
) -> Result<Response, AppError> {
    let uid = user_id(&user).ok_or(AppError::Forbidden)?;
    let existing = store::for_member(&state.db, uid).await?;
    let partner = partner_from_cookie(&state, &headers).await?;
    Ok(
        match save(&state, ctx, existing, input, &user, true, partner).await? {
            Ok(_) => Redirect::to("/mon-entreprise?enregistre=1").into_response(),
            Err(page) => page,
        },
    )
}

/// Add a person to the owner's business.
pub async fn add_my_person(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    WebForm(input): WebForm<PersonInput>,
) -> Result<Response, AppError> {
    let uid = user_id(&user).ok_or(AppError::Forbidden)?;
    let business = store::for_member(&state.db, uid)
        .await?
        .ok_or(AppError::NotFound)?;
    add_person_to(
        &state,
        ctx,
        business,
        input,
        false,
        "/mon-entreprise#people".into(),
    )
    .await
}
