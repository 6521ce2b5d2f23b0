//! `/api/v1/applications`: funding applications of a business (staff tokens
//! see every business's, a business token its own): list, read, prepare one
//! (with the simulated amount) and move it from prepared to paid.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::model::check_step;
use super::store::{self, ApplicationRow};
use crate::api::businesses::{forbidden, is_staff, may_access, not_found, unavailable, Api};
use crate::auth::Role;
use crate::kernel::money::Euros;
use crate::state::AppState;
use crate::web::forms::{ApiJson, Violations};
use crate::web::problem::Problem;

/// An application in the API.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiApplication {
    pub id: i64,
    pub business_id: i64,
    pub business: String,
    /// Slug of the funding scheme.
    pub scheme: String,
    /// The follow-up file it is attached to.
    pub case_id: Option<i64>,
    /// `prepared`, `submitted`, `obtained`, `refused` or `paid`.
    pub status: String,
    pub project: String,
    pub cost_cents: Option<i64>,
    pub simulated_cents: Option<i64>,
    pub obtained_cents: Option<i64>,
    pub paid_cents: Option<i64>,
    /// Dates `YYYY-MM-DD`, empty until reached.
    pub prepared_on: String,
    pub submitted_on: String,
    pub decided_on: String,
    pub paid_on: String,
    /// Send it back with a status change.
    pub version: i64,
}

fn to_api(a: &ApplicationRow) -> ApiApplication {
    ApiApplication {
        id: a.id,
        business_id: a.business_id,
        business: a.business_name.clone(),
        scheme: a.scheme_slug.clone(),
        case_id: a.case_id,
        status: a.status.clone(),
        project: a.project.clone(),
        cost_cents: a.cost_cents,
        simulated_cents: a.simulated_cents,
        obtained_cents: a.obtained_cents,
        paid_cents: a.paid_cents,
        prepared_on: a.prepared_on.clone(),
        submitted_on: a.submitted_on.clone(),
        decided_on: a.decided_on.clone(),
        paid_on: a.paid_on.clone(),
        version: a.version,
    }
}

/// Which business's applications.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    business: Option<i64>,
}

/// `GET /api/v1/applications`
#[utoipa::path(get, path = "/api/v1/applications", operation_id = "list_applications", security(("bearer" = [])),
    params(("business" = Option<i64>, Query, description = "business id (required for a business token's other businesses; staff: all when absent)")),
    responses((status = 200, description = "Applications, most recently changed first", body = Vec<ApiApplication>)))]
pub async fn list(
    State(state): State<AppState>,
    Api(c, tr): Api,
    Query(q): Query<ListQuery>,
) -> Response {
    let business = match q.business {
        Some(b) => match may_access(&state, &c, b).await {
            Ok(true) => Some(b),
            Ok(false) => return forbidden(tr),
            Err(e) => return unavailable(tr, e),
        },
        None if is_staff(&c) => None,
        None if c.role == Role::Business => {
            match crate::business::store::for_member(&state.db, c.user_id).await {
                Ok(Some(b)) => Some(b.id),
                Ok(None) => return Json(Vec::<ApiApplication>::new()).into_response(),
                Err(e) => return unavailable(tr, e),
            }
        }
        None => return forbidden(tr),
    };
    match store::applications(&state.db, business).await {
        Ok(rows) => Json(rows.iter().map(to_api).collect::<Vec<_>>()).into_response(),
        Err(e) => unavailable(tr, e),
    }
}

/// The application `id` if the caller may see it, else the answer to give.
async fn readable(
    state: &AppState,
    c: &crate::auth::tokens::ApiCaller,
    tr: crate::i18n::Tr,
    id: i64,
) -> Result<ApplicationRow, Response> {
    let a = match store::application(&state.db, id).await {
        Ok(Some(a)) => a,
        Ok(None) => return Err(not_found(tr)),
        Err(e) => return Err(unavailable(tr, e)),
    };
    match may_access(state, c, a.business_id).await {
        Ok(true) => Ok(a),
        Ok(false) => Err(not_found(tr)),
        Err(e) => Err(unavailable(tr, e)),
    }
}

/// `GET /api/v1/applications/{id}`
#[utoipa::path(get, path = "/api/v1/applications/{id}", operation_id = "get_application", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id")),
    responses((status = 200, description = "The application", body = ApiApplication)))]
pub async fn get(State(state): State<AppState>, Api(c, tr): Api, Path(id): Path<i64>) -> Response {
    match readable(&state, &c, tr, id).await {
        Ok(a) => Json(to_api(&a)).into_response(),
        Err(r) => r,
    }
}

/// A new application.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewApplicationInput {
    pub business_id: i64,
    /// Slug of a published scheme.
    pub scheme: String,
    #[serde(default)]
    pub project: String,
    /// Project cost in cents; the aid is simulated from it.
    #[serde(default)]
    pub cost_cents: Option<i64>,
    /// A follow-up file of the business to attach it to (else its open file, if any).
    #[serde(default)]
    pub case_id: Option<i64>,
}

/// `POST /api/v1/applications`: prepare an application.
#[utoipa::path(post, path = "/api/v1/applications", operation_id = "create_application", request_body = NewApplicationInput, security(("bearer" = [])),
    responses((status = 201, description = "Prepared", body = ApiApplication,
        links(("read" = (operation_id = "get_application", parameters(("id" = "$response.body#/id")))),
              ("update" = (operation_id = "update_application", parameters(("id" = "$response.body#/id"))))))))]
pub async fn create(
    State(state): State<AppState>,
    Api(c, tr): Api,
    ApiJson(input): ApiJson<NewApplicationInput>,
) -> Response {
    match may_access(&state, &c, input.business_id).await {
        Ok(true) => {}
        Ok(false) => return forbidden(tr),
        Err(e) => return unavailable(tr, e),
    }
    let mut v = Violations::default();
    let scheme = match store::by_slug(&state.db, input.scheme.trim()).await {
        Ok(Some(s)) if s.is_published() => Some(s),
        Ok(_) => {
            v.add("scheme", "funding-api-unknown-scheme", None);
            None
        }
        Err(e) => return unavailable(tr, e),
    };
    if input.cost_cents.is_some_and(|c| c < 0) {
        v.add("cost_cents", "funding-amount-invalid", None);
    }
    if input.project.chars().count() > 4000 {
        v.add("project", "form-too-long", Some(4000));
    }
    let Some(scheme) = scheme.filter(|_| v.is_empty()) else {
        return v.to_problem(tr).into_response();
    };
    let cost = input.cost_cents.map(Euros);
    let (today, _) = super::api::today(&state).await;
    let case_id = match store::case_for(&state.db, input.business_id, input.case_id).await {
        Ok(c) => c,
        Err(e) => return unavailable(tr, e),
    };
    let created = store::insert_application(
        &state.db.pool,
        &store::NewApplication {
            business_id: input.business_id,
            scheme_id: scheme.id,
            case_id,
            project: input.project.trim(),
            cost,
            simulated: cost.and_then(|c| scheme.formula().granted(c)),
            today: &today,
            by: Some(c.user_id),
        },
    )
    .await;
    let id = match created {
        Ok(id) => id,
        Err(e) => return unavailable(tr, e),
    };
    match store::application(&state.db, id).await {
        Ok(Some(a)) => (StatusCode::CREATED, Json(to_api(&a))).into_response(),
        Ok(None) => not_found(tr),
        Err(e) => unavailable(tr, e),
    }
}

/// A step of an application.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ApplicationStep {
    /// The next status: `submitted` after `prepared`, `obtained` or `refused`
    /// after `submitted`, `paid` after `obtained`.
    pub status: String,
    /// `YYYY-MM-DD` of the step.
    pub on: String,
    /// Amount obtained or paid, in cents (required for those two steps).
    #[serde(default)]
    pub amount_cents: Option<i64>,
    /// The version read.
    pub version: i64,
}

/// `PATCH /api/v1/applications/{id}`: move an application on.
#[utoipa::path(patch, path = "/api/v1/applications/{id}", operation_id = "update_application", request_body = ApplicationStep, security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id")),
    responses((status = 200, description = "Moved on", body = ApiApplication),
               (status = 409, description = "A newer version exists", body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    Api(c, tr): Api,
    Path(id): Path<i64>,
    ApiJson(step): ApiJson<ApplicationStep>,
) -> Response {
    let a = match readable(&state, &c, tr, id).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let amount = match step.amount_cents {
        Some(c) if c < 0 => Err(()),
        c => Ok(c.map(Euros)),
    };
    let on = step.on.trim();
    let checked = match check_step(a.status(), step.status.trim(), on, amount) {
        Ok(s) => s,
        Err((field, key)) => {
            let mut v = Violations::default();
            v.add(field, key, None);
            return v.to_problem(tr).into_response();
        }
    };
    match store::advance(
        &state.db.pool,
        id,
        step.version,
        checked.to,
        on,
        checked.amount,
    )
    .await
    {
        Ok(true) => {}
        Ok(false) => {
            return Problem::new(
                tr,
                StatusCode::CONFLICT,
                "version-conflict",
                "funding-app-stale",
            )
            .into_response()
        }
        Err(e) => return unavailable(tr, e),
    }
    match store::application(&state.db, id).await {
        Ok(Some(a)) => Json(to_api(&a)).into_response(),
        Ok(None) => not_found(tr),
        Err(e) => unavailable(tr, e),
    }
}
