//! Coaching requests (`/accompagnement/demandes`): the people who asked, in
//! a workshop's feedback form, to be coached one to one, listed for the
//! programme's advisers.

pub mod model;
pub mod pages;
pub mod store;

use axum::routing::get;

use crate::web::access::{Access, Routes, STAFF};

/// The coaching requests' route.
pub fn routes() -> Routes {
    Routes::new().route(
        "/accompagnement/demandes",
        Access::Roles(STAFF),
        get(pages::requests),
    )
}
