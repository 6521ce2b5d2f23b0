//! Programme set-up for programme managers: the programme itself,
//! territories, sectors, themes, partners and the diagnostic questionnaire.
//!
//! `model` holds the typed domain and form rules, `store` every SQL
//! statement; each page file is one admin screen. Every route here is
//! reserved to the `admin` role, declared below where it is routed; the
//! handlers therefore do not check roles again.

pub mod model;
mod partners;
mod programme;
mod programmes;
mod questionnaire;
mod sectors;
pub mod store;
mod territories;
mod themes;

use axum::extract::DefaultBodyLimit;
use axum::routing::get;

use crate::web::access::{Access, Routes, ADMIN};

/// Largest territory file accepted (a whole country's communes fits).
const IMPORT_LIMIT: usize = 8 * 1024 * 1024;

/// Routes of this module.
pub fn routes() -> Routes {
    Routes::new()
        .route(
            "/admin/programme",
            Access::Roles(ADMIN),
            get(programme::show).post(programme::submit),
        )
        .route(
            "/admin/programmes/nouveau",
            Access::Roles(ADMIN),
            get(programmes::show).post(programmes::create),
        )
        .route(
            "/admin/territoires",
            Access::Roles(ADMIN),
            get(territories::browse),
        )
        .route(
            "/admin/territoires/import",
            Access::Roles(ADMIN),
            get(territories::import_form)
                .post(territories::import)
                .layer(DefaultBodyLimit::max(IMPORT_LIMIT)),
        )
        .route(
            "/admin/secteurs",
            Access::Roles(ADMIN),
            get(sectors::list).post(sectors::set_priority),
        )
        .route(
            "/admin/thematiques",
            Access::Roles(ADMIN),
            get(themes::list).post(themes::create),
        )
        .route(
            "/admin/thematiques/{id}",
            Access::Roles(ADMIN),
            get(themes::edit).post(themes::update),
        )
        .route(
            "/admin/partenaires",
            Access::Roles(ADMIN),
            get(partners::list).post(partners::create),
        )
        .route(
            "/admin/partenaires/{id}",
            Access::Roles(ADMIN),
            get(partners::edit).post(partners::update),
        )
        .route(
            "/admin/questionnaire",
            Access::Roles(ADMIN),
            get(questionnaire::show)
                .post(questionnaire::import)
                .layer(DefaultBodyLimit::max(questionnaire::BANK_LIMIT)),
        )
}
