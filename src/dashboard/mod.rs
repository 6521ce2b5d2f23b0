//! The funders' dashboard (`/tableau-de-bord`): businesses made aware by the
//! workshops against the programme's target, by territory, sector, partner
//! and month, with the sessions held and the coaching requests they led to.

pub mod model;
pub mod pages;
pub mod store;

use axum::routing::get;

use crate::web::access::{Access, Routes, DASHBOARD};

/// The dashboard's route.
pub fn routes() -> Routes {
    Routes::new().route(
        "/tableau-de-bord",
        Access::Roles(DASHBOARD),
        get(pages::dashboard),
    )
}
