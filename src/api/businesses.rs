//! `/api/v1/businesses`: list, get, create and update businesses.

use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::idempotency;
use crate::auth::tokens::{caller, ApiCaller};
use crate::auth::Role;
use crate::business::model::{Business, BusinessInput, SaveError};
use crate::business::store;
use crate::i18n::{Locale, Tr};
use crate::state::AppState;
use crate::web::ctx::RequestInfo;
use crate::web::forms::ApiJson;
use crate::web::problem::Problem;

/// The authenticated caller of an API route (`Authorization: Bearer trp_…`).
pub struct Api(pub ApiCaller, pub Tr);

impl FromRequestParts<AppState> for Api {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let tr = Tr(parts
            .extensions
            .get::<RequestInfo>()
            .map(|i| i.locale)
            .unwrap_or(Locale::Fr));
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let found = match token {
            Some(t) => caller(&state.db, t).await.map_err(|e| {
                tracing::error!(error = %e, "token lookup failed");
                Problem::new(
                    tr,
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "error-unavailable-title",
                )
                .into_response()
            })?,
            None => None,
        };
        match found {
            Some(c) => Ok(Api(c, tr)),
            None => {
                let mut p = Problem::new(
                    tr,
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "error-unauthorized-title",
                );
                p.detail = Some(tr.t("error-unauthorized-body"));
                let mut res = p.into_response();
                res.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    header::HeaderValue::from_static("Bearer"),
                );
                Err(res)
            }
        }
    }
}

pub(crate) fn forbidden(tr: Tr) -> Response {
    Problem::new(
        tr,
        StatusCode::FORBIDDEN,
        "forbidden",
        "error-forbidden-title",
    )
    .into_response()
}

pub(crate) fn not_found(tr: Tr) -> Response {
    Problem::new(
        tr,
        StatusCode::NOT_FOUND,
        "not-found",
        "error-not-found-title",
    )
    .into_response()
}

pub(crate) fn unavailable(tr: Tr, e: sqlx::Error) -> Response {
    tracing::error!(error = %e, "API database error");
    Problem::new(
        tr,
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "error-unavailable-title",
    )
    .into_response()
}

pub(crate) fn is_staff(c: &ApiCaller) -> bool {
    matches!(c.role, Role::Admin | Role::Adviser)
}

/// May this caller read or change this business?
pub(crate) async fn may_access(
    state: &AppState,
    c: &ApiCaller,
    business_id: i64,
) -> Result<bool, sqlx::Error> {
    if is_staff(c) {
        return Ok(true);
    }
    if c.role != Role::Business {
        return Ok(false);
    }
    let member: Option<i64> = sqlx::query_scalar(
        "SELECT business_id FROM business_members WHERE business_id = $1 AND user_id = $2",
    )
    .bind(business_id)
    .bind(c.user_id)
    .fetch_optional(&state.db.pool)
    .await?;
    Ok(member.is_some())
}

/// Highest page number read; beyond it the page is empty anyway.
const MAX_PAGE: i64 = 1_000_000;

/// Query of the list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ListParams {
    /// Words of the name, identifier or address (accents and case ignored).
    pub q: String,
    /// Commune territory code.
    pub commune: String,
    /// Sector division code.
    pub sector: String,
    /// Page number, from 1 (values out of 1–1,000,000 are brought back into it).
    pub page: i64,
    /// Items per page (1–200, default 50).
    pub per_page: i64,
}

/// A page of businesses.
#[derive(Serialize, utoipa::ToSchema)]
pub struct BusinessPage {
    pub items: Vec<Business>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// List businesses (staff: all; a business owner: their own).
#[utoipa::path(get, path = "/api/v1/businesses", operation_id = "list_businesses", params(ListParams),
    security(("bearer" = [])),
    responses((status = 200, description = "A page of businesses", body = BusinessPage)))]
pub async fn list(
    State(state): State<AppState>,
    Api(c, tr): Api,
    Query(p): Query<ListParams>,
) -> Response {
    let per_page = if p.per_page <= 0 {
        50
    } else {
        p.per_page.min(200)
    };
    // Bounded so the offset cannot overflow (a fuzzer sent page = 2^63 - 2).
    let page = p.page.clamp(1, MAX_PAGE);
    if !is_staff(&c) {
        if c.role != Role::Business {
            return forbidden(tr);
        }
        return match store::for_member(&state.db, c.user_id).await {
            Ok(b) => {
                let items: Vec<Business> = b.into_iter().collect();
                let total = items.len() as i64;
                Json(BusinessPage {
                    items,
                    total,
                    page: 1,
                    per_page,
                })
                .into_response()
            }
            Err(e) => unavailable(tr, e),
        };
    }
    match store::search(
        &state.db,
        &p.q,
        &p.commune,
        &p.sector,
        per_page,
        (page - 1) * per_page,
    )
    .await
    {
        Ok((items, total)) => Json(BusinessPage {
            items,
            total,
            page,
            per_page,
        })
        .into_response(),
        Err(e) => unavailable(tr, e),
    }
}

/// One business.
#[utoipa::path(get, path = "/api/v1/businesses/{id}", operation_id = "get_business", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Business id")),
    responses((status = 200, description = "The business", body = Business)))]
pub async fn get(State(state): State<AppState>, Api(c, tr): Api, Path(id): Path<i64>) -> Response {
    match may_access(&state, &c, id).await {
        Ok(true) => {}
        Ok(false) => {
            return if is_staff(&c) {
                not_found(tr)
            } else {
                forbidden(tr)
            }
        }
        Err(e) => return unavailable(tr, e),
    }
    match store::get(&state.db, id).await {
        Ok(Some(b)) => Json(b).into_response(),
        Ok(None) => not_found(tr),
        Err(e) => unavailable(tr, e),
    }
}

fn save_error(tr: Tr, e: SaveError) -> Response {
    match e {
        SaveError::Duplicate { existing_id, .. } => {
            let mut p = Problem::new(tr, StatusCode::CONFLICT, "duplicate", "business-duplicate");
            p.detail = Some(format!("/api/v1/businesses/{existing_id}"));
            p.into_response()
        }
        SaveError::Conflict => Problem::new(
            tr,
            StatusCode::CONFLICT,
            "version-conflict",
            "business-conflict",
        )
        .into_response(),
        SaveError::NotFound => not_found(tr),
        SaveError::Db(e) => unavailable(tr, e),
    }
}

/// Register a business (staff). Accepts an `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/businesses", operation_id = "create_business", request_body = BusinessInput, security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Client-chosen key that makes retries safe")),
    responses((status = 201, description = "Registered", body = Business,
                links(("read" = (operation_id = "get_business", parameters(("id" = "$response.body#/id")))),
                      ("update" = (operation_id = "update_business", parameters(("id" = "$response.body#/id")))))),
               (status = 409, description = "Already registered (`detail` links to it), or the Idempotency-Key is in use", body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    Api(c, tr): Api,
    headers: HeaderMap,
    ApiJson(input): ApiJson<BusinessInput>,
) -> Response {
    if !is_staff(&c) {
        return forbidden(tr);
    }
    let valid = match store::validate(&state.db, &input).await {
        Ok(Ok(v)) => v,
        Ok(Err(v)) => return v.to_problem(tr).into_response(),
        Err(e) => return unavailable(tr, e),
    };
    let key = idempotency::key(&headers);
    let scope = format!("businesses:{}", c.user_id);
    if let Some(k) = &key {
        let fp = idempotency::fingerprint(&[&valid.name, &valid.legal_id.value]);
        if let Err(resp) = idempotency::reserve(&state, tr, &scope, k, &fp).await {
            return resp;
        }
    }
    let programme = state.programme().await.ok().and_then(|p| p.id);
    let created = store::create(&state.db, programme, &valid, Some(c.user_id), None, None).await;
    let id = match created {
        Ok(id) => id,
        Err(e) => {
            if let Some(k) = &key {
                idempotency::release(&state, &scope, k).await;
            }
            return save_error(tr, e);
        }
    };
    let body = match store::get(&state.db, id).await {
        Ok(Some(b)) => serde_json::to_string(&b).unwrap_or_default(),
        Ok(None) => return not_found(tr),
        Err(e) => return unavailable(tr, e),
    };
    if let Some(k) = &key {
        idempotency::complete(&state, &scope, k, StatusCode::CREATED, &body).await;
    }
    (
        StatusCode::CREATED,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::LOCATION, &format!("/api/v1/businesses/{id}")),
        ],
        body,
    )
        .into_response()
}

/// Fields to change; absent fields keep their value.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct BusinessPatch {
    pub name: Option<String>,
    pub country: Option<String>,
    pub legal_id: Option<String>,
    pub sector_code: Option<String>,
    pub size_band: Option<String>,
    pub commune_code: Option<String>,
    pub address: Option<String>,
    pub website: Option<String>,
    /// The version you read; when given, a newer version refuses the change (409).
    pub version: Option<i64>,
}

/// Update a business (staff, or its owner).
#[utoipa::path(patch, path = "/api/v1/businesses/{id}", operation_id = "update_business", request_body = BusinessPatch, security(("bearer" = [])),
    params(("id" = i64, Path, description = "Business id")),
    responses((status = 200, description = "Updated", body = Business),
               (status = 409, description = "A newer version exists, or the identifier belongs to another business", body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    Api(c, tr): Api,
    Path(id): Path<i64>,
    ApiJson(patch): ApiJson<BusinessPatch>,
) -> Response {
    match may_access(&state, &c, id).await {
        Ok(true) => {}
        Ok(false) => {
            return if is_staff(&c) {
                not_found(tr)
            } else {
                forbidden(tr)
            }
        }
        Err(e) => return unavailable(tr, e),
    }
    let current = match store::get(&state.db, id).await {
        Ok(Some(b)) => b,
        Ok(None) => return not_found(tr),
        Err(e) => return unavailable(tr, e),
    };
    let mut input = current.to_input();
    let set = |slot: &mut String, v: Option<String>| {
        if let Some(v) = v {
            *slot = v;
        }
    };
    set(&mut input.name, patch.name);
    set(&mut input.country, patch.country);
    set(&mut input.legal_id, patch.legal_id);
    set(&mut input.sector_code, patch.sector_code);
    set(&mut input.size_band, patch.size_band);
    set(&mut input.commune_code, patch.commune_code);
    set(&mut input.address, patch.address);
    set(&mut input.website, patch.website);
    let valid = match store::validate(&state.db, &input).await {
        Ok(Ok(v)) => v,
        Ok(Err(v)) => return v.to_problem(tr).into_response(),
        Err(e) => return unavailable(tr, e),
    };
    let expected = patch.version.unwrap_or(current.version);
    if let Err(e) = store::update(&state.db, id, &valid, expected, Some(c.user_id)).await {
        return save_error(tr, e);
    }
    match store::get(&state.db, id).await {
        Ok(Some(b)) => Json(b).into_response(),
        Ok(None) => not_found(tr),
        Err(e) => unavailable(tr, e),
    }
}
