//! Calls for projects and trophies: a call with its dates, criteria and a
//! jury's scoring grid; businesses apply online (drafts kept until they
//! submit); each juror scores on their own sheet, the programme manager
//! sees totals and averages and decides; winners of a call linked to a
//! funding scheme become obtained grant applications.

pub mod api;
pub mod mails;
pub mod model;
pub mod pages;
pub mod store;

use axum::routing::{get, post};

use crate::state::AppState;
use crate::web::access::{Access, Routes, ADMIN, BUSINESS, STAFF};

/// Days after its closing date during which a call's jury still gets its
/// mail (a call closed longer ago, e.g. before an upgrade, stays quiet).
pub const JURY_MAIL_DAYS: i64 = 14;

/// The daily jobs' part: tell the jurors of calls that closed that the
/// applications await their sheets; returns how many calls were handled.
pub async fn tick(state: &AppState, timezone: &str, now: i64) -> Result<usize, sqlx::Error> {
    let today = crate::kernel::dates::date_input(&crate::kernel::dates::zone(timezone), now);
    let Some(since) = model::days_before(&today, JURY_MAIL_DAYS) else {
        return Ok(0);
    };
    store::mail_closed_juries(
        &state.db,
        state.config.base_url.as_str(),
        &today,
        &since,
        now,
    )
    .await
}

/// Routes of calls: public reading, business applications, the manager's
/// administration, the jury's score sheets.
pub fn routes() -> Routes {
    Routes::new()
        .route("/appels", Access::Public, get(pages::list))
        .api(Access::Public, utoipa_axum::routes!(api::list))
        .api(Access::Public, utoipa_axum::routes!(api::get))
        .route("/appels/{id}", Access::Public, get(pages::show))
        .route(
            "/appels/{id}/candidature",
            Access::Roles(BUSINESS),
            get(pages::apply_form).post(pages::apply),
        )
        .route("/admin/appels", Access::Roles(ADMIN), get(pages::admin))
        .route(
            "/admin/appels/nouveau",
            Access::Roles(ADMIN),
            get(pages::new_form).post(pages::create),
        )
        .route(
            "/admin/appels/{id}",
            Access::Roles(ADMIN),
            get(pages::edit_form).post(pages::update),
        )
        .route(
            "/admin/appels/{id}/decision",
            Access::Roles(ADMIN),
            post(pages::decide),
        )
        .route("/jury", Access::Roles(STAFF), get(pages::jury))
        .route(
            "/jury/candidatures/{id}",
            Access::Roles(STAFF),
            get(pages::sheet_form).post(pages::save_sheet),
        )
}
