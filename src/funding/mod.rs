//! Funding schemes ("aides"): the vocabulary of French aid catalogues,
//! eligibility rules checked against a business's record and diagnostics,
//! the amount formula simulated for a project, applications followed from
//! prepared to paid with a PDF dossier, and the import of a catalogue export.

pub mod admin;
pub mod api;
pub mod applications;
pub mod applications_api;
pub mod demo;
pub mod dossier;
pub mod eligibility;
pub mod imports;
pub mod model;
pub mod pages;
pub mod store;

use axum::routing::{get, post};

use crate::web::access::{Access, Routes, STAFF};

/// Routes of funding schemes and applications.
pub fn routes() -> Routes {
    Routes::new()
        .route("/aides", Access::Public, get(pages::list))
        .api(Access::Public, utoipa_axum::routes!(api::list))
        .route("/aides/export.csv", Access::Public, get(api::export_csv))
        .api(Access::Public, utoipa_axum::routes!(api::eligibility))
        .route("/aides/{slug}", Access::Public, get(pages::show))
        .route(
            "/aides/{slug}/infos",
            Access::SignedIn,
            post(pages::save_facts),
        )
        .route(
            "/aides/{slug}/candidature",
            Access::SignedIn,
            post(pages::apply),
        )
        .api(
            Access::Public,
            utoipa_axum::routes!(applications_api::list, applications_api::create),
        )
        .api(
            Access::Public,
            utoipa_axum::routes!(applications_api::get, applications_api::update),
        )
        .route(
            "/mes-aides",
            Access::SignedIn,
            get(applications::applications),
        )
        .route(
            "/candidatures/{id}",
            Access::SignedIn,
            post(applications::advance),
        )
        .route(
            "/candidatures/{id}/dossier.pdf",
            Access::SignedIn,
            get(applications::dossier),
        )
        .route("/admin/aides", Access::Roles(STAFF), get(admin::admin))
        .route(
            "/admin/aides/nouvelle",
            Access::Roles(STAFF),
            get(admin::new_form).post(admin::create),
        )
        .route(
            "/admin/aides/import",
            Access::Roles(STAFF),
            post(admin::import),
        )
        .route(
            "/admin/aides/{id}",
            Access::Roles(STAFF),
            get(admin::edit_form).post(admin::update),
        )
}
