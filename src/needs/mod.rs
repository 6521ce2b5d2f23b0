//! Needs posted by businesses, replies from providers, quote reviews.
//!
//! A business (alone or with its adviser) writes a guided brief; the need is
//! a readable specification (page and PDF). Publishing it notifies, through
//! the outbox and once per provider, the published directory cards whose
//! themes, territories and business sizes match. Providers reply (one reply
//! per card, updated in place); the business shortlists, chooses or declines.
//! Each quote received gets a review checklist kept with the need.
//!
//! A reply carries an indicative amount, a delay and an optional quote file
//! (PDF or image, checked by content, stored in the database); the business
//! and each replying card exchange messages on the need, which the
//! business's adviser reads too.
//!
//! `model` holds the statuses and the form rules, `store` every statement,
//! `pages` the business side's list and brief, `show` the need page and its
//! decisions, `threads` the messages and quote files, `review` and `quotes`
//! the quote reviews, `provider` the provider side, `spec` the
//! specification and its PDF, `mails` the mails.

pub mod mails;
pub mod model;
pub mod pages;
pub mod provider;
pub mod quotes;
pub mod review;
pub mod show;
pub mod spec;
pub mod store;
pub mod threads;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::web::access::{Access, Routes, NEEDS, PROVIDERS};

/// Routes of needs and quote reviews: businesses and staff on `/besoins`,
/// providers on `/prestataire/besoins`.
pub fn routes() -> Routes {
    Routes::new()
        .route("/besoins", Access::Roles(NEEDS), get(pages::list))
        .route(
            "/besoins/nouveau",
            Access::Roles(NEEDS),
            get(pages::new_form).post(pages::create),
        )
        .route(
            "/besoins/{id}",
            Access::Roles(NEEDS),
            get(show::show).post(show::act),
        )
        .route(
            "/besoins/{id}/modifier",
            Access::Roles(NEEDS),
            get(pages::edit_form).post(pages::update),
        )
        .route(
            "/besoins/{id}/cahier-des-charges.pdf",
            Access::Roles(NEEDS),
            get(pages::pdf),
        )
        .route(
            "/besoins/{id}/devis",
            Access::Roles(NEEDS),
            get(quotes::quotes).post(quotes::add_quote),
        )
        .route(
            "/besoins/{id}/devis/{quote}",
            Access::Roles(NEEDS),
            get(quotes::quote_form).post(quotes::update_quote),
        )
        .route(
            "/prestataire/besoins",
            Access::Roles(PROVIDERS),
            get(provider::provider_list),
        )
        .route(
            "/prestataire/besoins/{id}",
            Access::Roles(PROVIDERS),
            get(provider::provider_show)
                .post(provider::provider_reply)
                .layer(DefaultBodyLimit::max(model::QUOTE_LIMIT + 64 * 1024)),
        )
        .route(
            "/besoins/{id}/messages",
            Access::Roles(NEEDS),
            post(threads::business_message),
        )
        .route(
            "/besoins/{id}/reponses/{reply}/devis",
            Access::Roles(NEEDS),
            get(threads::business_quote),
        )
        .route(
            "/prestataire/besoins/{id}/messages",
            Access::Roles(PROVIDERS),
            post(threads::provider_message),
        )
        .route(
            "/prestataire/besoins/{id}/reponses/{reply}/devis",
            Access::Roles(PROVIDERS),
            get(threads::provider_quote),
        )
}
