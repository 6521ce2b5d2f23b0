//! Workshops: the catalogue of sessions, the public agenda and calendar
//! feeds, registrations with waiting lists, attendance, feedback that plans
//! the next sessions, speakers' pages and exports.
//!
//! `model.rs` holds the typed domain, `forms.rs` the forms' rules, `store.rs` the SQL of the pages,
//! `booking.rs` the seats and waiting lists (with their own SQL, beside the
//! rules they guard), `mails.rs` every mail to registrants, `cache.rs` the
//! caches the state keeps; `public/`, `admin/`, `speaker.rs`, `report.rs`
//! and `api.rs` are the pages. The funders' dashboard and the coaching
//! requests are features of their own (`crate::dashboard`, `crate::coaching`).

pub mod admin;
pub mod api;
pub mod batch;
pub mod booking;
pub mod cache;
pub mod forms;
pub mod listing;
pub mod mails;
pub mod model;
pub mod public;
pub mod report;
pub mod speaker;
pub mod store;
pub mod upcoming;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::web::access::{Access, Routes, ADMIN, DASHBOARD, SPEAKERS, STAFF};
use admin::{exports, registrations, sessions};
use public::{agenda, manage, session};

/// Largest slides file accepted.
pub const SLIDES_LIMIT: usize = 20 * 1024 * 1024;

/// Every workshop route.
pub fn routes() -> Routes {
    Routes::new()
        .route("/ateliers", Access::Public, get(agenda::agenda))
        .route("/ateliers/agenda.ics", Access::Public, get(agenda::feed))
        .route("/ateliers/{id}", Access::Public, get(session::show))
        .route(
            "/ateliers/{id}/atelier.ics",
            Access::Public,
            get(session::session_ics),
        )
        .route(
            "/ateliers/{id}/support",
            Access::Public,
            get(session::slides),
        )
        .route(
            "/ateliers/{id}/inscription",
            Access::Public,
            post(session::register),
        )
        .route(
            "/ateliers/{id}/mon-inscription",
            Access::SignedIn,
            post(session::own_registration),
        )
        .route(
            "/ateliers/i/{token}",
            Access::Public,
            get(manage::manage).post(manage::manage_action),
        )
        .route(
            "/ateliers/i/{token}/avis",
            Access::Public,
            get(manage::feedback).post(manage::feedback_save),
        )
        .route("/admin/ateliers", Access::Roles(ADMIN), get(sessions::list))
        .route(
            "/admin/ateliers/nouveau",
            Access::Roles(ADMIN),
            get(sessions::new_form).post(sessions::create),
        )
        .route(
            "/admin/ateliers/serie",
            Access::Roles(ADMIN),
            get(sessions::bulk_form).post(sessions::bulk_create),
        )
        .route(
            "/admin/ateliers/export.csv",
            Access::Roles(DASHBOARD),
            get(exports::export_sessions_csv),
        )
        .route(
            "/admin/ateliers/export.xlsx",
            Access::Roles(DASHBOARD),
            get(exports::export_sessions_xlsx),
        )
        .route(
            "/admin/ateliers/inscriptions.csv",
            Access::Roles(STAFF),
            get(exports::export_registrations_csv),
        )
        .route(
            "/admin/ateliers/inscriptions.xlsx",
            Access::Roles(STAFF),
            get(exports::export_registrations_xlsx),
        )
        .route(
            "/admin/ateliers/bilan",
            Access::Roles(DASHBOARD),
            get(report::feedback_report),
        )
        .route(
            "/admin/ateliers/{id}",
            Access::Roles(ADMIN),
            get(sessions::edit).post(sessions::update),
        )
        .route(
            "/admin/ateliers/{id}/inscrits",
            Access::Roles(STAFF),
            get(registrations::registrations).post(registrations::registrations_action),
        )
        .route(
            "/admin/ateliers/{id}/inscrits/{reg}/entreprise",
            Access::Roles(STAFF),
            get(registrations::link_form).post(registrations::link_save),
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
            "/intervenant/seances/{id}/presence/sur-place",
            Access::Roles(SPEAKERS),
            post(speaker::walk_in),
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
        .api(Access::Public, utoipa_axum::routes!(api::list))
        .api(Access::Public, utoipa_axum::routes!(api::get))
        .api(Access::Public, utoipa_axum::routes!(api::register))
        .api(Access::Public, utoipa_axum::routes!(api::cancel))
}
