//! The official commune lists of the shipped territories: every French
//! commune (INSEE codes and postcodes, New Caledonia's included) and every
//! Walloon commune (Statbel's REFNIS codes and postcodes). Sources and
//! licences: README.md, "Reference data".
//!
//! The lists ship compressed in the binary (`seed/communes.csv.gz`, about
//! 360 KB for 35,000 communes) and are searched in memory; a commune joins
//! the `territories` table the first time something is filed under it
//! ([`store::ensure`]), so databases only hold the communes in use.
//!
//! `/communes?q=` finds a commune by name or postcode: a page without
//! JavaScript, and the suggestions of commune fields with it (`format=json`).

pub mod model;
pub mod pages;
pub mod store;

use axum::routing::get;

use crate::web::access::{Access, Routes};

/// The public commune search.
pub fn routes() -> Routes {
    Routes::new().route("/communes", Access::Public, get(pages::search))
}
