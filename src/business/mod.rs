//! The register of businesses: identity, people and consent, history.

pub mod handlers;
pub mod identifiers;
pub mod model;
