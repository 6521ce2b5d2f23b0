//! Workshops: the catalogue of sessions, the public agenda and calendar
//! feeds, registrations with waiting lists, attendance, feedback that plans
//! the next sessions, speakers' pages and exports.

pub mod admin;
pub mod api;
pub mod booking;
pub mod mails;
pub mod model;
pub mod public;
pub mod speaker;
pub mod stats;
pub mod time;

use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post};
use axum::Router;

use crate::app::AppState;

/// Largest slides file accepted.
pub const SLIDES_LIMIT: usize = 20 * 1024 * 1024;

/// Every workshop route.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ateliers", get(public::agenda))
        .route("/ateliers/agenda.ics", get(public::feed))
        .route("/ateliers/{id}", get(public::show))
        .route("/ateliers/{id}/atelier.ics", get(public::session_ics))
        .route("/ateliers/{id}/support", get(public::slides))
        .route("/ateliers/{id}/inscription", post(public::register))
        .route(
            "/ateliers/i/{token}",
            get(public::manage).post(public::manage_action),
        )
        .route(
            "/ateliers/i/{token}/avis",
            get(public::feedback).post(public::feedback_save),
        )
        .route("/admin/ateliers", get(admin::list))
        .route(
            "/admin/ateliers/nouveau",
            get(admin::new_form).post(admin::create),
        )
        .route(
            "/admin/ateliers/serie",
            get(admin::bulk_form).post(admin::bulk_create),
        )
        .route(
            "/admin/ateliers/export.csv",
            get(admin::export_sessions_csv),
        )
        .route(
            "/admin/ateliers/export.xlsx",
            get(admin::export_sessions_xlsx),
        )
        .route(
            "/admin/ateliers/inscriptions.csv",
            get(admin::export_registrations_csv),
        )
        .route(
            "/admin/ateliers/inscriptions.xlsx",
            get(admin::export_registrations_xlsx),
        )
        .route("/admin/ateliers/bilan", get(stats::feedback_report))
        .route("/admin/ateliers/{id}", get(admin::edit).post(admin::update))
        .route(
            "/admin/ateliers/{id}/inscrits",
            get(admin::registrations).post(admin::registrations_action),
        )
        .route(
            "/admin/ateliers/{id}/inscrits/{reg}/entreprise",
            get(admin::link_form).post(admin::link_save),
        )
        .route("/tableau-de-bord", get(stats::dashboard))
        .route("/accompagnement/demandes", get(stats::coaching_requests))
        .route("/intervenant", get(speaker::mine))
        .route("/intervenant/seances/{id}", get(speaker::session))
        .route(
            "/intervenant/seances/{id}/presence",
            get(speaker::checkin).post(speaker::mark),
        )
        .route(
            "/intervenant/seances/{id}/emargement.pdf",
            get(speaker::sheet),
        )
        .route(
            "/intervenant/seances/{id}/support",
            post(speaker::upload_slides).layer(DefaultBodyLimit::max(SLIDES_LIMIT)),
        )
        .route("/api/v1/workshops", get(api::list))
        .route("/api/v1/workshops/{id}", get(api::get))
        .route("/api/v1/workshops/{id}/registrations", post(api::register))
        .route(
            "/api/v1/workshops/{id}/registrations/{reg}",
            delete(api::cancel),
        )
}
