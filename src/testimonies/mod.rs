//! Testimonies: business owners' stories written by the programme's staff
//! (text, an optional https video with its transcript, themes, the consent
//! recorded, the before/after maturity score of a closed follow-up file),
//! drafted then published; the public pages show only published stories
//! whose consent is recorded.

pub mod model;
pub mod pages;
pub mod store;

use axum::routing::get;

use crate::web::access::{Access, Routes, STAFF};

/// Routes of testimonies: public reading, staff editing.
pub fn routes() -> Routes {
    Routes::new()
        .route("/temoignages", Access::Public, get(pages::list))
        .route("/temoignages/{id}", Access::Public, get(pages::show))
        .route(
            "/admin/temoignages",
            Access::Roles(STAFF),
            get(pages::admin),
        )
        .route(
            "/admin/temoignages/nouveau",
            Access::Roles(STAFF),
            get(pages::new_form).post(pages::create),
        )
        .route(
            "/admin/temoignages/{id}",
            Access::Roles(STAFF),
            get(pages::edit_form).post(pages::update),
        )
}
