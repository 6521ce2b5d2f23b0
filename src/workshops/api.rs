//! `/api/v1/workshops`: the public agenda as JSON, and registrations for
//! operators' own tools (staff tokens), with `Idempotency-Key`.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::booking::{self, BookError, Env, LinkResult, Outcome, Registrant};
use super::forms::{validate_registrant, RegForm};
use super::model::{AgendaFilter, RegistrationSource, Session};
use super::{listing, store};
use crate::api::businesses::{forbidden, is_staff, not_found, unavailable, Api};
use crate::api::idempotency;
use crate::db::now_ms;
use crate::i18n::{Locale, Tr};
use crate::kernel::dates;
use crate::state::AppState;
use crate::web::ctx::Lang;
use crate::web::forms::ApiJson;
use crate::web::problem::Problem;

/// A session in the API.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiSession {
    pub id: i64,
    pub title: String,
    pub theme: String,
    pub format: String,
    /// ISO 8601 with the programme's offset.
    pub starts_at: String,
    pub ends_at: String,
    pub venue: String,
    pub address: String,
    pub commune_code: Option<String>,
    pub commune: String,
    pub online: bool,
    pub capacity: i64,
    pub seats_left: i64,
    pub waiting: i64,
    pub status: String,
    pub url: String,
}

fn to_api(s: &Session, lang: &str, tz: &jiff::tz::TimeZone, base: &str) -> ApiSession {
    ApiSession {
        id: s.id,
        title: s.title(lang).to_string(),
        theme: s.theme_slug.clone(),
        format: s.format.code().to_string(),
        starts_at: dates::iso(tz, s.starts_at),
        ends_at: dates::iso(tz, s.ends_at),
        venue: s.venue.clone(),
        address: s.address.clone(),
        commune_code: s.commune_code.clone(),
        commune: s.commune(lang).to_string(),
        online: !s.online_url.is_empty(),
        capacity: s.capacity,
        seats_left: s.seats_left(),
        waiting: s.waiting,
        status: s.status.code().to_string(),
        url: crate::kernel::links::absolute_str(base, &format!("/ateliers/{}", s.id)),
    }
}

/// One page of sessions.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiSessionPage {
    pub total: i64,
    pub page: i64,
    pub items: Vec<ApiSession>,
}

/// `GET /api/v1/workshops`: upcoming sessions with the agenda's filters.
#[utoipa::path(get, path = "/api/v1/workshops", operation_id = "list_workshops",
    params(("theme" = Option<String>, Query, description = "theme slug"),
           ("territory" = Option<String>, Query, description = "territory code, any level"),
           ("sector" = Option<String>, Query), ("format" = Option<String>, Query),
           ("from" = Option<String>, Query, description = "YYYY-MM-DD"), ("to" = Option<String>, Query),
           ("page" = Option<i64>, Query)),
    responses((status = 200, description = "A page of 100 sessions", body = ApiSessionPage,
        links(("session" = (operation_id = "get_workshop", parameters(("id" = "$response.body#/items/0/id")))),
              ("register" = (operation_id = "register_for_workshop", parameters(("id" = "$response.body#/items/0/id"))))))))]
pub async fn list(
    State(state): State<AppState>,
    Lang(locale): Lang,
    Query(raw): Query<Vec<(String, String)>>,
) -> Response {
    let f = AgendaFilter::from_pairs(&raw);
    let tr = Tr(locale);
    let programme = state.programme_or_default().await;
    let tz = dates::zone(&programme.timezone);
    let (q, _) = f.resolve(&tz, now_ms());
    let page = f.page.unwrap_or(1).clamp(1, 10_000);
    match listing::agenda(
        &state.db,
        &state.workshops.listing,
        &q,
        100,
        (page - 1) * 100,
    )
    .await
    {
        Ok((sessions, total)) => Json(ApiSessionPage {
            total,
            page,
            items: sessions
                .iter()
                .map(|s| to_api(s, tr.lang(), &tz, state.config.base_url.as_str()))
                .collect(),
        })
        .into_response(),
        Err(e) => unavailable(tr, e),
    }
}

/// `GET /api/v1/workshops/{id}`
#[utoipa::path(get, path = "/api/v1/workshops/{id}", operation_id = "get_workshop",
    params(("id" = i64, Path, description = "Session id")),
    responses((status = 200, description = "The session", body = ApiSession)))]
pub async fn get(
    State(state): State<AppState>,
    Lang(locale): Lang,
    Path(id): Path<i64>,
) -> Response {
    let tr = Tr(locale);
    let programme = state.programme_or_default().await;
    let tz = dates::zone(&programme.timezone);
    match store::get(&state.db, id).await {
        Ok(Some(s)) => {
            Json(to_api(&s, tr.lang(), &tz, state.config.base_url.as_str())).into_response()
        }
        Ok(None) => not_found(tr),
        Err(e) => unavailable(tr, e),
    }
}

/// A registration sent by an operator's tool.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(example = json!({"name": "Lucie Martin", "email": "lucie@fleurs-martin.fr",
    "business_name": "Fleurs Martin", "locale": "fr"}))]
pub struct ApiRegistrationInput {
    pub name: String,
    pub email: String,
    pub business_name: String,
    /// `fr` or `en`: the language of the mails the person receives.
    pub locale: Option<String>,
}

/// Where the registration ended up.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiRegistration {
    pub id: i64,
    /// `confirmed` or `waiting`.
    pub status: String,
    /// Position on the waiting list when waiting.
    pub position: Option<i64>,
}

fn problem(tr: Tr, status: StatusCode, code: &str, key: &str) -> Response {
    Problem::new(tr, status, code, key).into_response()
}

/// `POST /api/v1/workshops/{id}/registrations`: book a seat (or a place
/// on the waiting list) for someone whose address the caller vouches for.
#[utoipa::path(post, path = "/api/v1/workshops/{id}/registrations", operation_id = "register_for_workshop", request_body = ApiRegistrationInput,
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id"),
           ("Idempotency-Key" = Option<String>, Header, description = "a retried request with the same key books once")),
    responses((status = 201, description = "Booked, or on the waiting list", body = ApiRegistration,
        links(("cancel" = (operation_id = "cancel_registration",
            parameters(("id" = "$request.path.id"), ("reg" = "$response.body#/id")))))),
        (status = 409, description = "Already registered, or the Idempotency-Key is in use", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or the session is cancelled or started", body = Problem, content_type = "application/problem+json")))]
pub async fn register(
    State(state): State<AppState>,
    Api(c, tr): Api,
    headers: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ApiRegistrationInput>,
) -> Response {
    if !is_staff(&c) {
        return forbidden(tr);
    }
    let form = RegForm {
        name: input.name.clone(),
        email: input.email.clone(),
        business_name: input.business_name.clone(),
        consent: None,
    };
    let (name, email, business_name) = match validate_registrant(&form, false) {
        Ok(v) => (v.name, v.email, v.business_name),
        Err(v) => return v.to_problem(tr).into_response(),
    };
    let key = idempotency::key(&headers);
    let scope = format!("workshop-registrations:{}:{id}", c.user_id);
    if let Some(k) = &key {
        let fp = idempotency::fingerprint(&[&name, &email, &business_name]);
        if let Err(resp) = idempotency::reserve(&state, tr, &scope, k, &fp).await {
            return resp;
        }
    }
    let programme = state.programme_or_default().await;
    let env = Env {
        db: &state.db,
        caches: &state.workshops,
        batch: &state.bookings,
        base_url: state.config.base_url.as_str(),
        timezone: &programme.timezone,
    };
    let who = Registrant {
        name,
        email,
        business_name,
        business_id: None,
        user_id: None,
        locale: input
            .locale
            .as_deref()
            .and_then(Locale::from_tag)
            .unwrap_or(tr.0),
        source: RegistrationSource::Api,
    };
    let result = booking::register(&env, id, &who, true).await;
    let (reg_id, outcome) = match result {
        Ok((outcome, reg_id)) => (reg_id, outcome),
        Err(e) => {
            if let Some(k) = &key {
                idempotency::release(&state, &scope, k).await;
            }
            return match e {
                BookError::NotFound => not_found(tr),
                BookError::AlreadyRegistered => problem(
                    tr,
                    StatusCode::CONFLICT,
                    "already-registered",
                    "ws-already-registered",
                ),
                BookError::Cancelled => problem(
                    tr,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "session-cancelled",
                    "ws-closed-cancelled",
                ),
                BookError::Started => problem(
                    tr,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "session-started",
                    "ws-closed-started",
                ),
                BookError::Db(e) => unavailable(tr, e),
            };
        }
    };
    state.mail_notify.notify_one();
    let (status, position) = match outcome {
        Outcome::Confirmed => ("confirmed", None),
        Outcome::Waiting(n) => ("waiting", Some(n)),
        Outcome::Pending => ("pending", None),
    };
    let body = serde_json::to_string(&ApiRegistration {
        id: reg_id,
        status: status.into(),
        position,
    })
    .unwrap_or_default();
    if let Some(k) = &key {
        idempotency::complete(&state, &scope, k, StatusCode::CREATED, &body).await;
    }
    (
        StatusCode::CREATED,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// `DELETE /api/v1/workshops/{id}/registrations/{reg}`: cancel; the freed
/// seat is offered to the first person waiting.
#[utoipa::path(delete, path = "/api/v1/workshops/{id}/registrations/{reg}", operation_id = "cancel_registration", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id"), ("reg" = i64, Path, description = "Registration id")),
    responses((status = 204, description = "Cancelled (or already cancelled)"),
        (status = 422, description = "The session has started", body = Problem, content_type = "application/problem+json")))]
pub async fn cancel(
    State(state): State<AppState>,
    Api(c, tr): Api,
    Path((id, reg)): Path<(i64, i64)>,
) -> Response {
    if !is_staff(&c) {
        return forbidden(tr);
    }
    match store::belongs(&state.db, id, reg).await {
        Ok(true) => {}
        Ok(false) => return not_found(tr),
        Err(e) => return unavailable(tr, e),
    }
    let programme = state.programme_or_default().await;
    let env = Env {
        db: &state.db,
        caches: &state.workshops,
        batch: &state.bookings,
        base_url: state.config.base_url.as_str(),
        timezone: &programme.timezone,
    };
    match booking::cancel(&env, reg).await {
        Ok(LinkResult::Done(_) | LinkResult::AlreadyDone) => {
            state.mail_notify.notify_one();
            StatusCode::NO_CONTENT.into_response()
        }
        Ok(LinkResult::Closed) | Err(BookError::Started | BookError::Cancelled) => problem(
            tr,
            StatusCode::UNPROCESSABLE_ENTITY,
            "session-started",
            "ws-closed-started",
        ),
        Err(BookError::NotFound) => not_found(tr),
        Err(BookError::AlreadyRegistered) => StatusCode::NO_CONTENT.into_response(),
        Err(BookError::Db(e)) => unavailable(tr, e),
    }
}
