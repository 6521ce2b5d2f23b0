//! The digital-maturity diagnostic: question banks, scores, benchmark,
//! ordered action plan, pages and exports.
//!
//! `bank` (TOML bank, validated) → `model` (typed domain, form rules) →
//! `scoring` (pure scores and plan) → `store` (every SQL statement) →
//! pages: `pages` (start, profile, questions, summary), `results` (results,
//! deepen, notes, progress), `exports` (CSV, JSON, PDF, programme CSV),
//! `mails`. `cache` holds the caches kept in the state; `radar` draws the
//! SVG chart, `pdf` writes the report.
//!
//! A diagnostic is reached through its private link (`/diagnostic/d/{token}`),
//! which is why most routes are public: the link is the key.

pub mod bank;
pub mod cache;
pub mod demo;
pub mod exports;
pub mod helps;
pub mod mails;
pub mod model;
pub mod pages;
pub mod pdf;
pub mod radar;
pub mod results;
pub mod scoring;
pub mod store;

use axum::routing::{get, post};

use crate::web::access::{Access, Routes, ADMIN, STAFF};

/// Routes of the diagnostic, each with who may use it.
pub fn routes() -> Routes {
    Routes::new()
        .route(
            "/diagnostic",
            Access::Public,
            get(pages::landing).post(pages::start),
        )
        .route(
            "/diagnostic/progression",
            Access::SignedIn,
            get(results::progress),
        )
        .route(
            "/diagnostic/reprendre/{id}",
            Access::SignedIn,
            post(pages::resume),
        )
        .route(
            "/diagnostic/accompagne/{business}",
            Access::Roles(STAFF),
            post(pages::start_assisted),
        )
        .route(
            "/diagnostic/d/{token}/profil",
            Access::Public,
            get(pages::profile_form).post(pages::profile_save),
        )
        .route(
            "/diagnostic/d/{token}/recapitulatif",
            Access::Public,
            get(pages::summary),
        )
        .route(
            "/diagnostic/d/{token}/terminer",
            Access::Public,
            post(pages::finish),
        )
        .route(
            "/diagnostic/d/{token}/resultats",
            Access::Public,
            get(results::results),
        )
        .route(
            "/diagnostic/d/{token}/approfondir",
            Access::Public,
            post(results::deepen),
        )
        .route(
            "/diagnostic/d/{token}/lien",
            Access::Public,
            post(pages::send_link),
        )
        .route(
            "/diagnostic/d/{token}/notes",
            Access::Roles(STAFF),
            post(results::save_notes),
        )
        .route(
            "/diagnostic/d/{token}/export.csv",
            Access::Public,
            get(exports::export_csv),
        )
        .route(
            "/diagnostic/d/{token}/export.json",
            Access::Public,
            get(exports::export_json),
        )
        .route(
            "/diagnostic/d/{token}/rapport.pdf",
            Access::Public,
            get(exports::report_pdf),
        )
        .route(
            "/diagnostic/d/{token}/{n}",
            Access::Public,
            get(pages::question_form).post(pages::question_save),
        )
        .route(
            "/admin/diagnostics.csv",
            Access::Roles(ADMIN),
            get(exports::programme_csv),
        )
}
