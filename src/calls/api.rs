//! `/api/v1/calls`: published calls for projects and trophies (upcoming,
//! open or closed; drafts never), each with its dates, phase and scoring
//! grid, in the request's language. Applications and scores stay private.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::model::{grid_max, CallStatus, Phase};
use super::store::{self, CallRow};
use crate::api::businesses::{not_found, unavailable};
use crate::db::Db;
use crate::i18n::{Locale, Tr};
use crate::kernel::links::absolute_str;
use crate::state::AppState;
use crate::web::ctx::Lang;

/// One criterion of a call's grid.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiCriterion {
    pub label: String,
    pub max_points: i64,
}

/// A call in the API.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiCall {
    pub id: i64,
    /// `call_for_projects` or `trophy`.
    pub kind: String,
    pub title: String,
    pub description: String,
    /// Dates `YYYY-MM-DD`, both included.
    pub opens_on: String,
    pub closes_on: String,
    /// `upcoming`, `open` or `closed` on the programme's today.
    pub phase: String,
    /// True while businesses may apply.
    pub accepts_applications: bool,
    /// The jury's grid, in order, and its total.
    pub criteria: Vec<ApiCriterion>,
    pub max_points: i64,
    /// Winners become grant applications of a funding scheme.
    pub leads_to_funding: bool,
    pub url: String,
}

async fn to_api(
    db: &Db,
    c: &CallRow,
    locale: Locale,
    today: &str,
    base: &str,
) -> Result<ApiCall, sqlx::Error> {
    let grid = store::criteria(db, c.id).await?;
    let phase = Phase::of(c.status(), &c.opens_on, &c.closes_on, today);
    Ok(ApiCall {
        id: c.id,
        kind: c.kind.clone(),
        title: c.title(locale).to_string(),
        description: c.description(locale).to_string(),
        opens_on: c.opens_on.clone(),
        closes_on: c.closes_on.clone(),
        phase: phase.code().to_string(),
        accepts_applications: phase.accepts_applications(),
        max_points: grid_max(&grid.iter().map(|r| r.max_points).collect::<Vec<_>>()),
        criteria: grid
            .iter()
            .map(|r| ApiCriterion {
                label: r.label(locale).to_string(),
                max_points: r.max_points,
            })
            .collect(),
        leads_to_funding: c.funding_scheme_id.is_some(),
        url: absolute_str(base, &format!("/appels/{}", c.id)),
    })
}

/// Filters.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ApiQuery {
    phase: String,
}

/// `GET /api/v1/calls`: published calls, the latest closing first.
#[utoipa::path(get, path = "/api/v1/calls", operation_id = "list_calls",
    params(("phase" = Option<String>, Query, description = "`upcoming`, `open` or `closed`")),
    responses((status = 200, description = "Published calls, the latest closing first", body = Vec<ApiCall>)))]
pub async fn list(
    State(state): State<AppState>,
    Lang(locale): Lang,
    Query(q): Query<ApiQuery>,
) -> Response {
    let tr = Tr(locale);
    let (today, _) = crate::funding::api::today(&state).await;
    let base = state.config.base_url.as_str();
    let rows = match store::published(&state.db).await {
        Ok(rows) => rows,
        Err(e) => return unavailable(tr, e),
    };
    let mut out = Vec::with_capacity(rows.len());
    for c in &rows {
        match to_api(&state.db, c, locale, &today, base).await {
            Ok(a) if q.phase.is_empty() || a.phase == q.phase => out.push(a),
            Ok(_) => {}
            Err(e) => return unavailable(tr, e),
        }
    }
    Json(out).into_response()
}

/// `GET /api/v1/calls/{id}`: one published call (a draft is not found).
#[utoipa::path(get, path = "/api/v1/calls/{id}", operation_id = "get_call",
    params(("id" = i64, Path, description = "call id")),
    responses((status = 200, description = "The call", body = ApiCall)))]
pub async fn get(
    State(state): State<AppState>,
    Lang(locale): Lang,
    Path(id): Path<i64>,
) -> Response {
    let tr = Tr(locale);
    let c = match store::call(&state.db, id).await {
        Ok(Some(c)) if c.status() == CallStatus::Published => c,
        Ok(_) => return not_found(tr),
        Err(e) => return unavailable(tr, e),
    };
    let (today, _) = crate::funding::api::today(&state).await;
    match to_api(
        &state.db,
        &c,
        locale,
        &today,
        state.config.base_url.as_str(),
    )
    .await
    {
        Ok(a) => Json(a).into_response(),
        Err(e) => unavailable(tr, e),
    }
}
