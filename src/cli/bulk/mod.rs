//! Bulk data for load tests and benchmarks (`seed --diagnostics N`,
//! `--sessions N`, `--providers N`): additive, each run adds N more, with
//! pseudo-random but repeatable content. The demo itself is `cli::seed`.

pub mod activity;
pub mod diagnostics;
pub mod providers;
pub mod sessions;

#[cfg(test)]
mod tests;
