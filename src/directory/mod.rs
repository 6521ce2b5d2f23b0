//! The directory of local digital providers: cards that providers keep
//! themselves and managers approve, a neutral search that a French speaker
//! expects. Needs and the notice board live beside it (`crate::needs`,
//! `crate::board`).

pub mod admin;
mod bits;
pub mod cache;
pub mod cards;
pub mod index;
pub mod model;
pub mod plan;
pub mod postings;
pub mod public;
pub mod search;
pub mod store;
pub mod synonyms;
pub mod synonyms_page;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::web::access::{Access, Routes, ADMIN, PROVIDERS};

/// Every directory route.
pub fn routes() -> Routes {
    Routes::new()
        .route("/annuaire", Access::Public, get(public::search_page))
        .route(
            "/annuaire/export.csv",
            Access::Public,
            get(public::export_csv),
        )
        .route(
            "/annuaire/export.json",
            Access::Public,
            get(public::export_json),
        )
        .route("/annuaire/{id}", Access::Public, get(public::card))
        .route("/annuaire/{id}/logo", Access::Public, get(public::logo))
        .route(
            "/annuaire/{id}/revendiquer",
            Access::Roles(PROVIDERS),
            post(cards::claim),
        )
        .route("/prestataire", Access::Roles(PROVIDERS), get(cards::mine))
        .route(
            "/prestataire/fiche/nouvelle",
            Access::Roles(PROVIDERS),
            get(cards::new_form).post(cards::create),
        )
        .route(
            "/prestataire/fiche/{id}",
            Access::Roles(PROVIDERS),
            get(cards::edit).post(cards::update),
        )
        .route(
            "/prestataire/fiche/{id}/logo",
            Access::Roles(PROVIDERS),
            post(cards::upload_logo).layer(DefaultBodyLimit::max(cards::LOGO_LIMIT + 64 * 1024)),
        )
        .route(
            "/admin/annuaire",
            Access::Roles(ADMIN),
            get(admin::moderation).post(admin::act),
        )
        .route(
            "/admin/annuaire/synonymes",
            Access::Roles(ADMIN),
            get(synonyms_page::show).post(synonyms_page::save),
        )
        .route(
            "/admin/annuaire/import",
            Access::Roles(ADMIN),
            get(admin::import_form)
                .post(admin::import)
                .layer(DefaultBodyLimit::max(admin::IMPORT_LIMIT)),
        )
}
