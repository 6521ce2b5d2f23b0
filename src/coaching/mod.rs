//! The coaching inbox (`/accompagnement/demandes`): requests made in a
//! workshop's feedback form, on a diagnostic's results ("être rappelé·e")
//! or through the contact form, taken, assigned, declined or turned into a
//! follow-up file by the programme's advisers.

pub mod model;
pub mod pages;
pub mod store;

use axum::routing::{get, post};

use crate::web::access::{Access, Routes, STAFF};

/// The coaching inbox's routes.
pub fn routes() -> Routes {
    Routes::new()
        .route(
            "/accompagnement/demandes",
            Access::Roles(STAFF),
            get(pages::requests),
        )
        .route(
            "/accompagnement/demandes/{id}",
            Access::Roles(STAFF),
            post(pages::act),
        )
        // The diagnostic's private link is the key, as for its other pages.
        .route(
            "/diagnostic/d/{token}/rappel",
            Access::Public,
            post(pages::callback),
        )
}
