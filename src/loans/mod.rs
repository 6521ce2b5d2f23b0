//! Support in kind: equipment lent to businesses for a period (computers,
//! printers, internet access). An inventory, loans with start and due dates
//! (an item already out is refused, also under concurrency), returns with
//! the condition, and a reminder mail a few days before the due date.

pub mod mails;
pub mod mine;
pub mod model;
pub mod pages;
pub mod store;

use axum::routing::{get, post};

use crate::state::AppState;
use crate::web::access::{Access, Routes, BUSINESS, STAFF};

/// Routes of equipment loans: the programme staff's inventory and loans,
/// a business owner's own loans.
pub fn routes() -> Routes {
    Routes::new()
        .route("/mes-prets", Access::Roles(BUSINESS), get(mine::mine))
        .route(
            "/admin/pret-materiel",
            Access::Roles(STAFF),
            get(pages::admin).post(pages::add_item),
        )
        .route(
            "/admin/pret-materiel/pret",
            Access::Roles(STAFF),
            post(pages::lend),
        )
        .route(
            "/admin/pret-materiel/{id}/retour",
            Access::Roles(STAFF),
            post(pages::give_back),
        )
}

/// The daily jobs' part: remind borrowers of loans due within
/// [`model::REMIND_DAYS`] days; returns how many loans were reminded.
pub async fn tick(state: &AppState, timezone: &str, now: i64) -> Result<usize, sqlx::Error> {
    let today = crate::kernel::dates::date_input(&crate::kernel::dates::zone(timezone), now);
    let Some(until) = model::remind_until(&today) else {
        return Ok(0);
    };
    store::remind_due(&state.db, state.config.base_url.as_str(), &until, now).await
}
