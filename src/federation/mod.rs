//! The federated agenda: the manager subscribes to other agendas (another
//! Tremplin's open data, or any iCalendar or JSON feed); a background job
//! refreshes them with a timeout and a size cap and keeps the last good
//! copy; the public agenda shows their events marked with their source.

pub mod fetch;
pub mod model;
pub mod pages;
pub mod store;

use axum::routing::{get, post};

use crate::web::access::{Access, Routes, ADMIN};

/// Routes of the federated agenda.
pub fn routes() -> Routes {
    Routes::new()
        .route(
            "/admin/agendas-federes",
            Access::Roles(ADMIN),
            get(pages::admin).post(pages::create),
        )
        .route(
            "/admin/agendas-federes/{id}/actualiser",
            Access::Roles(ADMIN),
            post(pages::refresh),
        )
        .route(
            "/admin/agendas-federes/{id}/supprimer",
            Access::Roles(ADMIN),
            post(pages::delete),
        )
}
