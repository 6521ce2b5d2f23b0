//! Follow-up files (dossiers d'accompagnement): an adviser's case for one
//! business, opened from a coaching request, an assisted diagnostic, a
//! contact message, a partner's referral or by hand.
//!
//! A file has one adviser in charge (history kept), contributors, a status
//! with an open/closed class and a closing outcome. Its kind comes from a
//! template stored as data whose steps are planned as offsets from the
//! opening. Activities (notes, meetings, calls, audit reports) are dated,
//! authored and never silently edited; documents are checked by content;
//! coaching time is recorded per funder. Referrals go to partner bodies,
//! which answer through a private link. Every staff read is logged.
//!
//! `access` decides who opens a file, `model` holds the rules, `store` every statement, `pages` the staff
//! side, `referrals` the bodies and their answers, `owner` the business's
//! shared view, `home` the home of every role, `admin` the templates,
//! `timeline` the business's story, `jobs` reminders and digests, `mails`
//! the messages, `demo` the demonstration data.

pub mod access;
pub mod admin;
pub mod api;
pub mod demo;
pub mod exports;
pub mod home;
pub mod jobs;
pub mod mails;
pub mod model;
pub mod owner;
pub mod pages;
pub mod referrals;
pub mod store;
pub mod timeline;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::web::access::{Access, Routes, ADMIN, BUSINESS, STAFF};

/// Routes of follow-up files, referrals and homes.
pub fn routes() -> Routes {
    Routes::new()
        .route("/accueil", Access::SignedIn, get(home::home))
        .route("/accueil/semaine", Access::Roles(STAFF), get(home::week))
        .route("/dossiers", Access::Roles(STAFF), get(pages::list))
        .route(
            "/dossiers/export/{file}",
            Access::Roles(STAFF),
            get(exports::export),
        )
        .route(
            "/dossiers/nouveau",
            Access::Roles(STAFF),
            get(pages::new_form).post(pages::create),
        )
        .route(
            "/dossiers/{id}",
            Access::Roles(STAFF),
            get(pages::show).post(pages::update),
        )
        .route(
            "/dossiers/{id}/activites",
            Access::Roles(STAFF),
            post(pages::add_activity),
        )
        .route(
            "/dossiers/{id}/activites/{aid}",
            Access::Roles(STAFF),
            get(pages::activity_show).post(pages::activity_update),
        )
        .route(
            "/dossiers/{id}/contribuer",
            Access::Roles(STAFF),
            post(access::ask),
        )
        .route(
            "/dossiers/{id}/contributeurs",
            Access::Roles(STAFF),
            post(access::grant),
        )
        .route(
            "/dossiers/{id}/heures",
            Access::Roles(STAFF),
            post(pages::add_hours),
        )
        .route(
            "/dossiers/{id}/plan",
            Access::Roles(STAFF),
            post(pages::tick),
        )
        .route(
            "/dossiers/{id}/documents",
            Access::Roles(STAFF),
            post(pages::upload).layer(DefaultBodyLimit::max(model::DOCUMENT_LIMIT + 64 * 1024)),
        )
        .route(
            "/dossiers/{id}/documents/{doc}",
            Access::SignedIn,
            get(pages::download),
        )
        .route(
            "/dossiers/{id}/orientations",
            Access::Roles(STAFF),
            post(referrals::create),
        )
        .route(
            "/dossiers/{id}/orientations/{rid}/rouvrir",
            Access::Roles(STAFF),
            post(referrals::reopen),
        )
        .route(
            "/orientation/{token}",
            Access::Public,
            get(referrals::answer_form).post(referrals::answer),
        )
        .route(
            "/mon-accompagnement",
            Access::Roles(BUSINESS),
            get(owner::show),
        )
        .route(
            "/admin/organismes",
            Access::Roles(ADMIN),
            get(referrals::bodies).post(referrals::add_body),
        )
        // The API checks its bearer token itself, as the other API routes do.
        .api(Access::Public, utoipa_axum::routes!(api::list, api::create))
        .api(Access::Public, utoipa_axum::routes!(api::get, api::update))
        .api(Access::Public, utoipa_axum::routes!(api::add_activity))
        .api(Access::Public, utoipa_axum::routes!(api::bodies))
        .route(
            "/admin/modeles-accompagnement",
            Access::Roles(ADMIN),
            get(admin::list),
        )
        .route(
            "/admin/modeles-accompagnement/{id}",
            Access::Roles(ADMIN),
            get(admin::edit).post(admin::save),
        )
}
