//! The contact form to the programme team: a stored message plus an e-mail
//! to the team and an acknowledgement to the sender, all queued in the
//! outbox within one transaction.
//!
//! `model` parses the form, `store` keeps the message, `mails` composes
//! both mails, `pages` holds the handlers; the API calls [`submit`] too.

pub mod mails;
pub mod model;
mod pages;
pub mod store;

use axum::routing::get;

pub use model::{ContactInput, ContactRequest, Topic, TOPICS};

use crate::i18n::{Locale, Tr};
use crate::outbox;
use crate::state::AppState;
use crate::web::access::{Access, Routes};

/// Routes of the contact form, each with who may use it.
pub fn routes() -> Routes {
    Routes::new()
        .route(
            "/contact",
            Access::Public,
            get(pages::show).post(pages::send),
        )
        .route("/contact/merci", Access::Public, get(pages::sent))
}

/// Why a valid request could not be stored.
#[derive(Debug)]
pub enum SubmitError {
    Db(sqlx::Error),
}

impl From<sqlx::Error> for SubmitError {
    fn from(e: sqlx::Error) -> Self {
        SubmitError::Db(e)
    }
}

/// Store the message and queue both e-mails atomically; returns its id.
pub async fn submit(
    state: &AppState,
    req: &ContactRequest,
    locale: Locale,
) -> Result<i64, SubmitError> {
    let programme = state
        .programme()
        .await
        .map_err(|_| SubmitError::Db(sqlx::Error::PoolTimedOut))?;
    let team = state
        .config
        .contact_email
        .clone()
        .filter(|s| !s.is_empty())
        .or_else(|| (!programme.contact_email.is_empty()).then(|| programme.contact_email.clone()))
        .unwrap_or_else(|| state.config.mail_from.clone());
    let mut tx = state.db.begin_write().await?;
    let id = store::insert_message(&mut tx, programme.id, req, locale).await?;
    // A message about coaching also lands in the advisers' coaching inbox.
    if req.topic == model::Topic::Coaching.code() {
        crate::coaching::store::insert(
            &mut tx,
            &crate::coaching::store::NewRequest {
                source: crate::coaching::model::Source::ContactForm,
                business_id: None,
                origin_id: Some(id),
                name: &req.name,
                email: &req.email,
                phone: "",
                business_name: req.organisation.as_deref().unwrap_or(""),
                message: &req.message,
                locale,
            },
            crate::db::now_ms(),
        )
        .await?;
    }
    outbox::enqueue(&mut tx, &mails::to_team(team, &programme.name, req)).await?;
    let ack = mails::acknowledgement(Tr(locale), &programme.name, req);
    outbox::enqueue(&mut tx, &ack).await?;
    tx.commit().await?;
    state.mail_notify.notify_one();
    Ok(id)
}
