//! The JSON API under `/api/v1`, described by an OpenAPI document.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::OpenApi;

pub mod businesses;
pub mod diagnostics;
pub mod errors;
pub mod idempotency;

use std::sync::OnceLock;

use crate::contact::{self, ContactInput, ContactRequest};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::access::{Access, Routes};
use crate::web::ctx::Lang;
use crate::web::forms::ApiJson;
use crate::web::problem::{FieldProblem, Problem};

/// Routes of this module, each from its OpenAPI annotation.
pub fn routes() -> Routes {
    Routes::new()
        .api(Access::Public, utoipa_axum::routes!(root))
        .api(Access::Public, utoipa_axum::routes!(openapi))
        .api(Access::Public, utoipa_axum::routes!(create_contact))
        .api(
            Access::Public,
            utoipa_axum::routes!(businesses::list, businesses::create),
        )
        .api(
            Access::Public,
            utoipa_axum::routes!(businesses::get, businesses::update),
        )
        .api(Access::Public, utoipa_axum::routes!(diagnostics::start))
        .api(Access::Public, utoipa_axum::routes!(diagnostics::get))
        .api(Access::Public, utoipa_axum::routes!(diagnostics::answer))
        .api(Access::Public, utoipa_axum::routes!(diagnostics::submit))
}

/// The frame of the OpenAPI description; its paths come from the routes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tremplin API",
        description = "JSON API of a Tremplin digital-transition programme."
    ),
    components(schemas(Problem, FieldProblem)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// The OpenAPI document of every routed API operation: the frame, the
/// operations and schemas gathered by [`Routes::api`], and the error answers
/// every operation may give.
pub fn document() -> utoipa::openapi::OpenApi {
    let routes = crate::app::routes();
    let (paths, schemas) = routes.api_parts();
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").into();
    doc.paths.paths.extend(paths.paths.clone());
    let components = doc.components.get_or_insert_with(Default::default);
    for (name, schema) in schemas {
        components.schemas.insert(name.clone(), schema.clone());
    }
    errors::document(&mut doc);
    doc
}

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
#[utoipa::path(get, path = "/api/v1", operation_id = "api_root", responses((status = 200, description = "Name, version and links", body = ApiRoot)))]
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

/// This document (OpenAPI 3.1).
#[utoipa::path(get, path = "/api/v1/openapi.json", operation_id = "openapi",
    responses((status = 200, description = "The OpenAPI document", body = Object)))]
async fn openapi() -> Response {
    static DOC: OnceLock<Result<String, String>> = OnceLock::new();
    let doc = DOC.get_or_init(|| {
        let mut value = serde_json::to_value(document()).map_err(|e| e.to_string())?;
        errors::camel_case_links(&mut value);
        serde_json::to_string_pretty(&value).map_err(|e| e.to_string())
    });
    match doc {
        Ok(body) => ([(header::CONTENT_TYPE, "application/json")], body.clone()).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "OpenAPI document not serialisable");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Send a message to the programme team. Accepts an `Idempotency-Key`
/// header: a retried request with the same key returns the first answer
/// and stores nothing new.
#[utoipa::path(
    post,
    path = "/api/v1/contact", operation_id = "create_contact",
    request_body = ContactInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Client-chosen key that makes retries safe")),
    responses((status = 201, description = "Message stored", body = ContactCreated))
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
