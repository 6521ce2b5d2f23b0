//! Messages on a need between the business and each card that replied
//! (the business's adviser reads them and may write too), and the quotes
//! attached to replies. Each new message is mailed, through the outbox, to
//! the other side.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{self, Need, NeedStatus, Side, MESSAGE_MAX};
use super::pages::{mail_env, need_for, user_of};
use super::store::{self, Tx};
use super::{mails, provider, show};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::forms::{Violations, WebForm};
use crate::web::{AppError, PageCtx};

/// One message as a thread shows it.
pub struct MessageView {
    /// The side's code, for the message's class and marker.
    pub side: &'static str,
    pub who: String,
    pub when: String,
    pub paras: Vec<String>,
}

/// What was typed in a message form that was refused, kept to show again.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub provider_id: i64,
    pub body: String,
    pub error: String,
}

/// The threads of a need, by card, oldest message first.
pub async fn threads(
    db: &crate::db::Db,
    ctx: &PageCtx,
    need_id: i64,
) -> Result<HashMap<i64, Vec<MessageView>>, sqlx::Error> {
    let tr = ctx.tr;
    let mut out: HashMap<i64, Vec<MessageView>> = HashMap::new();
    for m in store::messages(db, need_id).await? {
        let side = Side::from_code(&m.side);
        out.entry(m.provider_id).or_default().push(MessageView {
            side: side.code(),
            who: tr.t(side.label_key()),
            when: ctx.datetime(m.created_at),
            paras: model::paras(&m.body),
        });
    }
    Ok(out)
}

/// A message form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MessageForm {
    provider_id: String,
    body: String,
}

/// Check a message: some text, not too long, to a card that replied, on a
/// need that is not closed. `Err` is the refusal's message.
async fn check(
    tx: &mut Tx,
    tr: Tr,
    need: &Need,
    provider_id: Option<i64>,
    body: &str,
) -> Result<(i64, String), String> {
    let mut v = Violations::default();
    let body = v.text("body", body, 1, MESSAGE_MAX);
    if let Some(msg) = v.message(tr, "body") {
        return Err(msg);
    }
    if need.status == NeedStatus::Closed {
        return Err(tr.t("needr-message-closed"));
    }
    let Some(pid) = provider_id else {
        return Err(tr.t("needr-message-no-thread"));
    };
    if !store::has_replied(tx, need.id, pid).await.unwrap_or(false) {
        return Err(tr.t("needr-message-no-thread"));
    }
    Ok((pid, body))
}

/// `POST /besoins/{id}/messages`: the business (or its adviser) writes to
/// a card that replied; the card is told by mail.
pub async fn business_message(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<MessageForm>,
) -> Result<Response, AppError> {
    let db = &state.db;
    let need = need_for(db, &ctx, id).await?;
    let user = user_of(&ctx)?;
    let side = if user.is_staff() {
        Side::Adviser
    } else {
        Side::Business
    };
    let wanted = form.provider_id.trim().parse::<i64>().ok();
    let mut tx = db.begin_write().await?;
    match check(&mut tx, ctx.tr, &need, wanted, &form.body).await {
        Ok((pid, body)) => {
            store::add_message(&mut tx, id, pid, user.id, side.code(), &body).await?;
            let env = mail_env(&state.config, &ctx);
            let recipients = store::provider_recipients(&mut tx, pid, env.default).await?;
            let from = if need.business_name.is_empty() {
                ctx.tr.t(side.label_key())
            } else {
                need.business_name.clone()
            };
            let path = format!("/prestataire/besoins/{id}#thread-{pid}");
            for (to, locale) in recipients.to {
                let mail = mails::message(&env, locale, to, &need, &from, &body, &path);
                crate::outbox::enqueue(&mut tx, &mail).await?;
            }
            tx.commit().await?;
            state.mail_notify.notify_one();
            Ok(Redirect::to(&format!("/besoins/{id}?message=1#thread-{pid}")).into_response())
        }
        Err(error) => {
            drop(tx);
            let draft = Draft {
                provider_id: wanted.unwrap_or_default(),
                body: form.body,
                error,
            };
            show::refused_message(db, ctx, need, draft).await
        }
    }
}

/// `POST /prestataire/besoins/{id}/messages`: a card that replied writes
/// to the business; the need's author is told by mail.
pub async fn provider_message(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<MessageForm>,
) -> Result<Response, AppError> {
    let db = &state.db;
    let user = user_of(&ctx)?;
    let (need, cards) = provider::provider_access(db, &user, id).await?;
    let wanted = form
        .provider_id
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|p| cards.iter().any(|(c, _)| c == p));
    let mut tx = db.begin_write().await?;
    match check(&mut tx, ctx.tr, &need, wanted, &form.body).await {
        Ok((pid, body)) => {
            store::add_message(&mut tx, id, pid, user.id, Side::Provider.code(), &body).await?;
            let env = mail_env(&state.config, &ctx);
            let name = cards
                .iter()
                .find(|(c, _)| *c == pid)
                .map(|(_, n)| n.clone())
                .unwrap_or_default();
            if let Some(author) = need.author_id {
                if let Some((to, locale)) = store::account_contact(&mut tx, author).await? {
                    let path = format!("/besoins/{id}#thread-{pid}");
                    let mail = mails::message(&env, locale, to, &need, &name, &body, &path);
                    crate::outbox::enqueue(&mut tx, &mail).await?;
                }
            }
            tx.commit().await?;
            state.mail_notify.notify_one();
            Ok(
                Redirect::to(&format!("/prestataire/besoins/{id}?message=1#thread-{pid}"))
                    .into_response(),
            )
        }
        Err(error) => {
            drop(tx);
            let draft = Draft {
                provider_id: wanted.unwrap_or_default(),
                body: form.body,
                error,
            };
            provider::refused_message(db, ctx, need, cards, draft).await
        }
    }
}

/// The quote file as a download (never shown inline, never sniffed).
fn quote_response(name: String, mime: String, content: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        content,
    )
        .into_response()
}

/// `GET /besoins/{id}/reponses/{reply}/devis`: the business and staff.
pub async fn business_quote(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, reply)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    need_for(&state.db, &ctx, id).await?;
    let (_, name, mime, content) = store::reply_quote(&state.db, id, reply)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(quote_response(name, mime, content))
}

/// `GET /prestataire/besoins/{id}/reponses/{reply}/devis`: the card's people.
pub async fn provider_quote(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, reply)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let (_, cards) = provider::provider_access(&state.db, &user, id).await?;
    let (pid, name, mime, content) = store::reply_quote(&state.db, id, reply)
        .await?
        .ok_or(AppError::NotFound)?;
    if !cards.iter().any(|(c, _)| *c == pid) {
        return Err(AppError::NotFound);
    }
    Ok(quote_response(name, mime, content))
}
