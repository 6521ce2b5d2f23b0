//! The digital-maturity diagnostic: question banks, scores, benchmark,
//! ordered action plan, pages and exports.

pub mod bank;
pub mod handlers;
pub mod pdf;
pub mod radar;
pub mod scoring;
pub mod store;
