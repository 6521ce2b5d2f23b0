//! Testimonies: business owners' stories written by the programme's staff
//! (text, an optional https video with its transcript, themes, the consent
//! recorded, the before/after maturity score of a closed follow-up file),
//! drafted then published; the public pages show only published stories
//! whose consent is recorded, and their photo only with the photo consent.

pub mod api;
pub mod model;
pub mod pages;
pub mod store;

use axum::extract::DefaultBodyLimit;
use axum::routing::get;

use crate::web::access::{Access, Routes, STAFF};

/// The editor's body limit: the photo's and room for the text fields.
const EDITOR_BODY_LIMIT: usize = model::PHOTO.limit + 64 * 1024;

/// Routes of testimonies: public reading, staff editing.
pub fn routes() -> Routes {
    Routes::new()
        .route("/temoignages", Access::Public, get(pages::list))
        .route("/temoignages/{id}", Access::Public, get(pages::show))
        .route("/temoignages/{id}/photo", Access::Public, get(pages::photo))
        .api(Access::Public, utoipa_axum::routes!(api::list))
        .route(
            "/admin/temoignages",
            Access::Roles(STAFF),
            get(pages::admin),
        )
        .route(
            "/admin/temoignages/nouveau",
            Access::Roles(STAFF),
            get(pages::new_form)
                .post(pages::create)
                .layer(DefaultBodyLimit::max(EDITOR_BODY_LIMIT)),
        )
        .route(
            "/admin/temoignages/{id}",
            Access::Roles(STAFF),
            get(pages::edit_form)
                .post(pages::update)
                .layer(DefaultBodyLimit::max(EDITOR_BODY_LIMIT)),
        )
        .route(
            "/admin/temoignages/{id}/photo",
            Access::Roles(STAFF),
            get(pages::admin_photo),
        )
}
