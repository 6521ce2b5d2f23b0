//! The moderated notice board ("annonces"): programme announcements, events
//! and calls for projects posted by staff (published at once), job and
//! internship offers and events posted by providers (published after
//! moderation by a programme manager).

pub mod mails;
pub mod model;
pub mod pages;
pub mod store;

use axum::routing::get;

use crate::web::access::{Access, Routes, ADMIN, POSTERS};

/// Routes of the notice board: public reading, posting, moderation.
pub fn routes() -> Routes {
    Routes::new()
        .route("/annonces", Access::Public, get(pages::list))
        .route(
            "/annonces/nouvelle",
            Access::Roles(POSTERS),
            get(pages::new_form).post(pages::create),
        )
        .route(
            "/admin/annonces",
            Access::Roles(ADMIN),
            get(pages::queue).post(pages::moderate),
        )
}
