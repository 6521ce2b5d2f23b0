//! Open data others can aggregate: the catalogue page `/donnees-ouvertes`
//! (datasets, formats, licence, update times) and the JSON/CSV documents of
//! the agenda, guides, testimonies, funding schemes and headline indicators, each with
//! stable ids and update times, under the programme's licence.

pub mod model;
pub mod pages;
pub mod store;

use axum::routing::{get, post};

use crate::web::access::{Access, Routes, ADMIN};

/// Routes of open data.
pub fn routes() -> Routes {
    Routes::new()
        .route("/donnees-ouvertes", Access::Public, get(pages::catalogue))
        .route(
            "/donnees-ouvertes/agenda.json",
            Access::Public,
            get(pages::agenda_json),
        )
        .route(
            "/donnees-ouvertes/fiches.json",
            Access::Public,
            get(pages::guides_json),
        )
        .route(
            "/donnees-ouvertes/fiches.csv",
            Access::Public,
            get(pages::guides_csv),
        )
        .route(
            "/donnees-ouvertes/temoignages.json",
            Access::Public,
            get(pages::testimonies_json),
        )
        .route(
            "/donnees-ouvertes/temoignages.csv",
            Access::Public,
            get(pages::testimonies_csv),
        )
        .route(
            "/donnees-ouvertes/aides.json",
            Access::Public,
            get(pages::schemes_json),
        )
        .route(
            "/donnees-ouvertes/indicateurs.json",
            Access::Public,
            get(pages::indicators_json),
        )
        .route(
            "/donnees-ouvertes/indicateurs.csv",
            Access::Public,
            get(pages::indicators_csv),
        )
        .route(
            "/admin/donnees-ouvertes/licence",
            Access::Roles(ADMIN),
            post(pages::save_licence),
        )
}
