//! The funders' dashboard (`/tableau-de-bord`): indicators defined as data
//! and computed live (the funnel from made aware to funded and progressed,
//! time to first contact, satisfaction, coaching requests per workshop),
//! the pace against the target, breakdowns with small cells hidden from
//! funders, budget and cost per business, SVG charts with their tables,
//! CSV/XLSX/PDF exports, and the manager's settings page.

pub mod charts;
pub mod demo;
pub mod edih;
pub mod exports;
pub mod facts;
mod interning;
pub mod map;
pub mod model;
pub mod pages;
pub mod pdf;
pub mod report;
pub mod settings;
pub mod store;
pub mod triggers;

use axum::routing::{get, post};

use crate::web::access::{Access, Routes, ADMIN, DASHBOARD};

/// The dashboard's routes.
pub fn routes() -> Routes {
    Routes::new()
        .route(
            "/tableau-de-bord",
            Access::Roles(DASHBOARD),
            get(pages::dashboard),
        )
        .route(
            "/tableau-de-bord/indicateurs.csv",
            Access::Roles(DASHBOARD),
            get(exports::csv),
        )
        .route(
            "/tableau-de-bord/indicateurs.xlsx",
            Access::Roles(DASHBOARD),
            get(exports::xlsx),
        )
        .route(
            "/tableau-de-bord/edih.xlsx",
            Access::Roles(DASHBOARD),
            get(edih::xlsx),
        )
        .route(
            "/tableau-de-bord/rapport.pdf",
            Access::Roles(DASHBOARD),
            get(pdf::pdf),
        )
        .route(
            "/tableau-de-bord/reglages",
            Access::Roles(ADMIN),
            get(settings::show).post(settings::save),
        )
        .route(
            "/tableau-de-bord/budget",
            Access::Roles(ADMIN),
            post(settings::add_line),
        )
        .route(
            "/tableau-de-bord/budget/{id}/supprimer",
            Access::Roles(ADMIN),
            post(settings::delete_line),
        )
}
