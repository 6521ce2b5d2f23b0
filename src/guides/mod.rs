//! Practical guides ("fiches pratiques"): Markdown written by the programme's
//! staff, rendered through an allow-list, versioned, filtered by theme, sector
//! and territory, with reads and "was this useful?" counted per theme;
//! imported and exported as Markdown files with front matter.

pub mod api;
pub mod demo;
pub mod files;
pub mod markdown;
pub mod model;
pub mod packed;
pub mod pages;
pub mod search;
pub mod store;

use axum::routing::{get, post};

use crate::web::access::{Access, Routes, STAFF};

/// Routes of practical guides: public reading and voting, staff editing.
pub fn routes() -> Routes {
    Routes::new()
        .route("/fiches", Access::Public, get(pages::list))
        .route("/recherche", Access::Public, get(search::search))
        .route("/fiches/export.csv", Access::Public, get(api::export_csv))
        .api(Access::Public, utoipa_axum::routes!(api::list))
        .route("/fiches/{slug}", Access::Public, get(pages::show))
        .route("/fiches/{slug}/utile", Access::Public, post(pages::vote))
        .route("/admin/fiches", Access::Roles(STAFF), get(pages::admin))
        .route(
            "/admin/fiches/nouvelle",
            Access::Roles(STAFF),
            get(pages::new_form).post(pages::create),
        )
        .route(
            "/admin/fiches/import",
            Access::Roles(STAFF),
            post(pages::import),
        )
        .route(
            "/admin/fiches/{id}",
            Access::Roles(STAFF),
            get(pages::edit_form).post(pages::update),
        )
        .route(
            "/admin/fiches/{id}/export.md",
            Access::Roles(STAFF),
            get(pages::export_one),
        )
}
