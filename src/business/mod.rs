//! The register of businesses: identity, people and consent, history.
//!
//! `model` holds the typed form and its rules, `store` every SQL statement,
//! `pages` the handlers; `identifiers` the legal identifiers of each country.

pub mod identifiers;
pub mod model;
mod pages;
pub mod store;

use axum::routing::{get, post};

use crate::web::access::{Access, Routes, BUSINESS, STAFF};

/// Routes of the register, each with who may use it.
pub fn routes() -> Routes {
    Routes::new()
        .route(
            "/mon-entreprise",
            Access::Roles(BUSINESS),
            get(pages::mine::mine).post(pages::mine::save_mine),
        )
        .route(
            "/mon-entreprise/personnes",
            Access::Roles(BUSINESS),
            post(pages::mine::add_my_person),
        )
        .route(
            "/entreprises",
            Access::Roles(STAFF),
            get(pages::register::list),
        )
        .route(
            "/entreprises/nouvelle",
            Access::Roles(STAFF),
            get(pages::register::new_form).post(pages::register::create_staff),
        )
        .route(
            "/entreprises/export.csv",
            Access::Roles(STAFF),
            get(pages::transfer::export_csv),
        )
        .route(
            "/entreprises/import",
            Access::Roles(STAFF),
            get(pages::transfer::import_form)
                .post(pages::transfer::import)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::csvio::IMPORT_LIMIT,
                )),
        )
        .route(
            "/entreprises/{id}",
            Access::Roles(STAFF),
            get(pages::register::detail).post(pages::register::update_staff),
        )
        .route(
            "/entreprises/{id}/personnes",
            Access::Roles(STAFF),
            post(pages::register::add_staff_person),
        )
}
