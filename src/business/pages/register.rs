//! The register for staff: search, create, view and edit any business.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;

use super::*;
use crate::auth::CurrentUser;
use crate::business::model::{Business, BusinessInput, PersonInput};
use crate::business::store;
use crate::state::AppState;
use crate::web::forms::WebForm;
use crate::web::{page, AppError, PageCtx};

// ---------------------------------------------------------------- staff

/// Search parameters of the register.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub commune: String,
    pub sector: String,
    pub page: i64,
}

const PAGE_SIZE: i64 = 50;

#[derive(Template)]
#[template(path = "business/list.html")]
struct ListPage {
    ctx: PageCtx,
    query: ListQuery,
    rows: Vec<Business>,
    total: i64,
    page_no: i64,
    pages: i64,
    choices: Choices,
}

impl ListPage {
    fn is(&self, a: &str, b: &str) -> bool {
        a == b
    }
    fn page_url(&self, n: i64) -> String {
        format!(
            "/entreprises?q={}&commune={}&sector={}&page={n}",
            crate::web::ctx::urlencode(&self.query.q),
            crate::web::ctx::urlencode(&self.query.commune),
            crate::web::ctx::urlencode(&self.query.sector)
        )
    }
    fn export_url(&self) -> String {
        format!(
            "/entreprises/export.csv?q={}&commune={}&sector={}",
            crate::web::ctx::urlencode(&self.query.q),
            crate::web::ctx::urlencode(&self.query.commune),
            crate::web::ctx::urlencode(&self.query.sector)
        )
    }
}

/// The register: search by text, commune or sector, paged.
pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let page_no = query.page.max(1);
    let (rows, total) = store::search(
        &state.db,
        &query.q.chars().take(200).collect::<String>(),
        &query.commune,
        &query.sector,
        PAGE_SIZE,
        (page_no - 1) * PAGE_SIZE,
    )
    .await?;
    let choices = choices(&state, &ctx).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    Ok(page(&ListPage {
        ctx,
        query,
        rows,
        total,
        page_no,
        pages,
        choices,
    }))
}

/// The empty form for staff to register a business.
pub async fn new_form(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, AppError> {
    let input = BusinessInput {
        country: "FR".into(),
        ..Default::default()
    };
    let p = edit_page(&state, ctx, None, input, Shown::default(), true).await?;
    Ok(page(&p))
}

/// Register a business on someone's behalf.
pub async fn create_staff(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    WebForm(input): WebForm<BusinessInput>,
) -> Result<Response, AppError> {
    Ok(
        match save(&state, ctx, None, input, &user, false, None).await? {
            Ok(id) => Redirect::to(&format!("/entreprises/{id}?enregistre=1")).into_response(),
            Err(page) => page,
        },
    )
}

/// One business, editable, with its people and history.
pub async fn detail(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let business = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let input = business.to_input();
    let p = edit_page(
        &state,
        ctx,
        Some(business),
        input,
        Shown {
            saved: q.enregistre.is_some(),
            ..Default::default()
        },
        true,
    )
    .await?;
    Ok(page(&p))
}

/// Save a business edited by staff.
pub async fn update_staff(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<i64>,
    WebForm(input): WebForm<BusinessInput>,
) -> Result<Response, AppError> {
    let existing = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    Ok(
        match save(&state, ctx, Some(existing), input, &user, false, None).await? {
            Ok(id) => Redirect::to(&format!("/entreprises/{id}?enregistre=1")).into_response(),
            Err(page) => page,
        },
    )
}

/// Add a person to a business, by staff.
pub async fn add_staff_person(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(input): WebForm<PersonInput>,
) -> Result<Response, AppError> {
    let business = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    add_person_to(
        &state,
        ctx,
        business,
        input,
        true,
        format!("/entreprises/{id}#people"),
    )
    .await
}
