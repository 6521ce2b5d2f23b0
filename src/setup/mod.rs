//! Programme set-up for programme managers: the programme itself,
//! territories, sectors, themes and partners.

use axum::Router;

use crate::app::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
}
