//! The JSON API under `/api/v1`, described by an OpenAPI document.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Json;
use serde::Serialize;
use utoipa::OpenApi;

pub mod businesses;
pub mod diagnostics;
pub mod idempotency;

use crate::contact::{self, ContactInput, ContactRequest};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::access::{Access, Routes};
use crate::web::ctx::Lang;
use crate::web::forms::ApiJson;
use crate::web::problem::{FieldProblem, Problem};

/// Routes of this module.
pub fn routes() -> Routes {
    Routes::new()
        .route("/api/v1", Access::Public, get(root))
        .route("/api/v1/", Access::Public, get(root))
        .route("/api/v1/openapi.json", Access::Public, get(openapi))
        .route("/api/v1/contact", Access::Public, post(create_contact))
        .route(
            "/api/v1/businesses",
            Access::Public,
            get(businesses::list).post(businesses::create),
        )
        .route(
            "/api/v1/businesses/{id}",
            Access::Public,
            get(businesses::get).patch(businesses::update),
        )
        .route(
            "/api/v1/diagnostics",
            Access::Public,
            post(diagnostics::start),
        )
        .route(
            "/api/v1/diagnostics/{token}",
            Access::Public,
            get(diagnostics::get),
        )
        .route(
            "/api/v1/diagnostics/{token}/answers/{question}",
            Access::Public,
            axum::routing::put(diagnostics::answer),
        )
        .route(
            "/api/v1/diagnostics/{token}/submit",
            Access::Public,
            post(diagnostics::submit),
        )
}

/// The OpenAPI description of the API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tremplin API",
        description = "JSON API of a Tremplin digital-transition programme."
    ),
    paths(root, create_contact, businesses::list, businesses::get, businesses::create, businesses::update, diagnostics::start, diagnostics::answer, diagnostics::get, diagnostics::submit, crate::workshops::api::list, crate::workshops::api::get, crate::workshops::api::register, crate::workshops::api::cancel, crate::guides::api::list, crate::funding::api::list, crate::funding::api::eligibility),
    components(schemas(crate::workshops::api::ApiSession, crate::workshops::api::ApiSessionPage, crate::workshops::api::ApiRegistrationInput, crate::workshops::api::ApiRegistration, ApiRoot, ApiLink, ContactInput, ContactCreated, Problem, FieldProblem,
        crate::business::model::Business, crate::business::model::BusinessInput, businesses::BusinessPatch, businesses::BusinessPage,
        diagnostics::StartRequest,
        diagnostics::Started,
        diagnostics::QuestionDoc,
        diagnostics::ItemDoc,
        diagnostics::DiagnosticDoc,
        diagnostics::DimensionScore,
        diagnostics::PlanStepDoc)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// Declares the bearer-token security scheme used by protected routes.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("trp_…")
                    .build(),
            ),
        );
    }
}

/// Entry point of the API.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ApiRoot {
    pub name: String,
    pub version: String,
    pub links: Vec<ApiLink>,
}

/// A link to another resource.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ApiLink {
    pub rel: String,
    pub href: String,
}

/// A stored contact message.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ContactCreated {
    pub id: i64,
}

/// API root: name, version and links.
#[utoipa::path(get, path = "/api/v1", responses((status = 200, body = ApiRoot)))]
async fn root(State(state): State<AppState>) -> Json<ApiRoot> {
    let base = state
        .config
        .base_url
        .as_str()
        .trim_end_matches('/')
        .to_string();
    Json(ApiRoot {
        name: "Tremplin".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        links: vec![
            ApiLink {
                rel: "openapi".into(),
                href: format!("{base}/api/v1/openapi.json"),
            },
            ApiLink {
                rel: "contact".into(),
                href: format!("{base}/api/v1/contact"),
            },
            ApiLink {
                rel: "businesses".into(),
                href: format!("{base}/api/v1/businesses"),
            },
        ],
    })
}

async fn openapi() -> Response {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").into();
    match doc.to_pretty_json() {
        Ok(body) => ([(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Send a message to the programme team. Accepts an `Idempotency-Key`
/// header: a retried request with the same key returns the first answer
/// and stores nothing new.
#[utoipa::path(
    post,
    path = "/api/v1/contact",
    request_body = ContactInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Client-chosen key that makes retries safe")),
    responses(
        (status = 201, body = ContactCreated),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 503, body = Problem, content_type = "application/problem+json")
    )
)]
async fn create_contact(
    State(state): State<AppState>,
    Lang(locale): Lang,
    headers: HeaderMap,
    ApiJson(input): ApiJson<ContactInput>,
) -> Response {
    let tr = Tr(locale);
    let req = match ContactRequest::parse(&input) {
        Ok(r) => r,
        Err(v) => return v.to_problem(tr).into_response(),
    };
    let key = idempotency::key(&headers);
    let fingerprint = idempotency::fingerprint(&[&req.name, &req.email, &req.message, req.topic]);
    if let Some(k) = &key {
        if let Err(resp) = idempotency::reserve(&state, tr, "contact", k, &fingerprint).await {
            return resp;
        }
    }
    let (status, body) = match contact::submit(&state, &req, locale).await {
        Ok(id) => (
            StatusCode::CREATED,
            serde_json::to_string(&ContactCreated { id }).unwrap_or_default(),
        ),
        Err(contact::SubmitError::Db(e)) => {
            tracing::error!(error = %e, "contact message not stored");
            if let Some(k) = &key {
                idempotency::release(&state, "contact", k).await;
            }
            return Problem::new(
                tr,
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "error-unavailable-title",
            )
            .into_response();
        }
    };
    if let Some(k) = &key {
        idempotency::complete(&state, "contact", k, status, &body).await;
    }
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}
