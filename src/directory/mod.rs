//! The directory of local digital providers: cards that providers keep
//! themselves and managers approve, a neutral search that a French speaker
//! expects, needs matched to providers, quote reviews and a notice board.

pub mod admin;
pub mod board;
pub mod cards;
pub mod index;
pub mod model;
pub mod needs;
pub mod public;
pub mod search;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

use crate::app::AppState;

/// Every directory route.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/annuaire", get(public::search_page))
        .route("/annuaire/export.csv", get(public::export_csv))
        .route("/annuaire/export.json", get(public::export_json))
        .route("/annuaire/{id}", get(public::card))
        .route("/annuaire/{id}/logo", get(public::logo))
        .route("/annuaire/{id}/revendiquer", post(cards::claim))
        .route("/prestataire", get(cards::mine))
        .route(
            "/prestataire/fiche/nouvelle",
            get(cards::new_form).post(cards::create),
        )
        .route(
            "/prestataire/fiche/{id}",
            get(cards::edit).post(cards::update),
        )
        .route(
            "/prestataire/fiche/{id}/logo",
            post(cards::upload_logo).layer(DefaultBodyLimit::max(cards::LOGO_LIMIT + 64 * 1024)),
        )
        .route("/admin/annuaire", get(admin::moderation).post(admin::act))
        .route(
            "/admin/annuaire/import",
            get(admin::import_form)
                .post(admin::import)
                .layer(DefaultBodyLimit::max(4 * 1024 * 1024)),
        )
        .merge(needs::routes())
        .merge(board::routes())
}
