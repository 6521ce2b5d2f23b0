//! The register of businesses: identity, people and consent, history.

pub mod identifiers;
