//! Sponsors of a programme: the manager records them (category, tier,
//! amount, period, exclusivity) and chooses where the public pages show them
//! and in which order; the home, the agenda, session pages and the footer
//! read them from the cached programme.

pub mod demo;
pub mod model;
pub mod pages;
pub mod store;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::web::access::{Access, Routes, ADMIN};

/// Routes of sponsors.
pub fn routes() -> Routes {
    Routes::new()
        .route("/mecenes/{id}/logo.png", Access::Public, get(pages::logo))
        .route(
            "/admin/mecenes",
            Access::Roles(ADMIN),
            get(pages::admin)
                .post(pages::create)
                .layer(DefaultBodyLimit::max(
                    crate::directory::cards::LOGO_LIMIT + 64 * 1024,
                )),
        )
        .route(
            "/admin/mecenes/placement",
            Access::Roles(ADMIN),
            post(pages::save_placement),
        )
        .route(
            "/admin/mecenes/{id}/supprimer",
            Access::Roles(ADMIN),
            post(pages::delete),
        )
}
