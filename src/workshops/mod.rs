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

use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post};

use crate::web::access::{Access, Routes, ADMIN, DASHBOARD, SPEAKERS, STAFF};

/// Largest slides file accepted.
pub const SLIDES_LIMIT: usize = 20 * 1024 * 1024;

/// Every workshop route.
pub fn routes() -> Routes {
    Routes::new()
        .route("/ateliers", Access::Public, get(public::agenda))
        .route("/ateliers/agenda.ics", Access::Public, get(public::feed))
        .route("/ateliers/{id}", Access::Public, get(public::show))
        .route(
            "/ateliers/{id}/atelier.ics",
            Access::Public,
            get(public::session_ics),
        )
        .route(
            "/ateliers/{id}/support",
            Access::Public,
            get(public::slides),
        )
        .route(
            "/ateliers/{id}/inscription",
            Access::Public,
            post(public::register),
        )
        .route(
            "/ateliers/i/{token}",
            Access::Public,
            get(public::manage).post(public::manage_action),
        )
        .route(
            "/ateliers/i/{token}/avis",
            Access::Public,
            get(public::feedback).post(public::feedback_save),
        )
        .route("/admin/ateliers", Access::Roles(ADMIN), get(admin::list))
        .route(
            "/admin/ateliers/nouveau",
            Access::Roles(ADMIN),
            get(admin::new_form).post(admin::create),
        )
        .route(
            "/admin/ateliers/serie",
            Access::Roles(ADMIN),
            get(admin::bulk_form).post(admin::bulk_create),
        )
        .route(
            "/admin/ateliers/export.csv",
            Access::Roles(DASHBOARD),
            get(admin::export_sessions_csv),
        )
        .route(
            "/admin/ateliers/export.xlsx",
            Access::Roles(DASHBOARD),
            get(admin::export_sessions_xlsx),
        )
        .route(
            "/admin/ateliers/inscriptions.csv",
            Access::Roles(STAFF),
            get(admin::export_registrations_csv),
        )
        .route(
            "/admin/ateliers/inscriptions.xlsx",
            Access::Roles(STAFF),
            get(admin::export_registrations_xlsx),
        )
        .route(
            "/admin/ateliers/bilan",
            Access::Roles(DASHBOARD),
            get(stats::feedback_report),
        )
        .route(
            "/admin/ateliers/{id}",
            Access::Roles(ADMIN),
            get(admin::edit).post(admin::update),
        )
        .route(
            "/admin/ateliers/{id}/inscrits",
            Access::Roles(STAFF),
            get(admin::registrations).post(admin::registrations_action),
        )
        .route(
            "/admin/ateliers/{id}/inscrits/{reg}/entreprise",
            Access::Roles(STAFF),
            get(admin::link_form).post(admin::link_save),
        )
        .route(
            "/tableau-de-bord",
            Access::Roles(DASHBOARD),
            get(stats::dashboard),
        )
        .route(
            "/accompagnement/demandes",
            Access::Roles(STAFF),
            get(stats::coaching_requests),
        )
        .route("/intervenant", Access::Roles(SPEAKERS), get(speaker::mine))
        .route(
            "/intervenant/seances/{id}",
            Access::Roles(SPEAKERS),
            get(speaker::session),
        )
        .route(
            "/intervenant/seances/{id}/presence",
            Access::Roles(SPEAKERS),
            get(speaker::checkin).post(speaker::mark),
        )
        .route(
            "/intervenant/seances/{id}/emargement.pdf",
            Access::Roles(SPEAKERS),
            get(speaker::sheet),
        )
        .route(
            "/intervenant/seances/{id}/support",
            Access::Roles(SPEAKERS),
            post(speaker::upload_slides).layer(DefaultBodyLimit::max(SLIDES_LIMIT)),
        )
        .route("/api/v1/workshops", Access::Public, get(api::list))
        .route("/api/v1/workshops/{id}", Access::Public, get(api::get))
        .route(
            "/api/v1/workshops/{id}/registrations",
            Access::Public,
            post(api::register),
        )
        .route(
            "/api/v1/workshops/{id}/registrations/{reg}",
            Access::Public,
            delete(api::cancel),
        )
}
