//! The provider side of needs: open needs for one's cards, and replies (one
//! per card, updated in place).

// The select macro of needs/parts.html compares ids of any type with the submitted text.
#![allow(clippy::cmp_owned)]

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::mails;
use super::model::{self, Need, NeedStatus, REPLY_MAX, REPLY_MIN};
use super::pages::{mail_env, user_of};
use super::spec::Spec;
use super::store;
use crate::auth::{Role, SessionUser};
use crate::db::Db;
use crate::state::AppState;
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

/// Most needs listed for a provider.
const LIST_LIMIT: usize = 200;

/// A need in the provider's list.
pub struct ProviderRow {
    pub id: i64,
    pub title: String,
    pub business: String,
    pub territory: String,
    pub themes: String,
    pub summary: String,
    pub published: String,
    pub replied: bool,
}

#[derive(Template)]
#[template(path = "needs/provider_list.html")]
struct ProviderListPage {
    ctx: PageCtx,
    rows: Vec<ProviderRow>,
    has_card: bool,
}

/// `GET /prestataire/besoins`: open needs notified to, or matching, the
/// signed-in provider's cards (programme managers see every open need).
pub async fn provider_list(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let mut ids = if user.has(Role::Admin) {
        store::open_ids(&db).await?
    } else {
        store::open_ids_for_member(&db, user.id).await?
    };
    ids.sort_unstable();
    ids.dedup();
    let replied = store::replied_ids(&db, user.id).await?;
    let mut needs = vec![];
    for id in ids.iter().rev().take(LIST_LIMIT) {
        if let Some(n) = store::get(&db, *id).await? {
            needs.push(n);
        }
    }
    needs.sort_by_key(|n| std::cmp::Reverse(n.published_at.unwrap_or(n.created_at)));
    let tr = ctx.tr;
    let rows = needs
        .iter()
        .map(|n| ProviderRow {
            id: n.id,
            title: n.shown_title(tr),
            business: n.business_name.clone(),
            territory: n.territory(tr),
            themes: n.theme_names(tr).join(", "),
            summary: n.summary(),
            published: n.published_at.map(|t| ctx.datetime(t)).unwrap_or_default(),
            replied: replied.contains(&n.id),
        })
        .collect();
    Ok(page(&ProviderListPage {
        has_card: store::card_count(&db, user.id).await? > 0,
        ctx,
        rows,
    }))
}

/// The need as a provider may see it, and the cards they may reply with:
/// cards told about it, and (while it is open) cards that match it now.
async fn provider_access(
    db: &Db,
    user: &SessionUser,
    id: i64,
) -> Result<(Need, Vec<(i64, String)>), AppError> {
    let need = store::get(db, id).await?.ok_or(AppError::NotFound)?;
    if need.status == NeedStatus::Draft {
        return Err(AppError::NotFound);
    }
    let mut cards = store::notified_cards(db, id, user.id).await?;
    if need.status.is_open() {
        for c in store::matching_cards(db, id, user.id).await? {
            if !cards.iter().any(|(p, _)| *p == c.0) {
                cards.push(c);
            }
        }
    }
    cards.sort_by_key(|c| c.0);
    if cards.is_empty() && !user.has(Role::Admin) {
        return Err(AppError::NotFound);
    }
    Ok((need, cards))
}

/// A provider's own reply.
pub struct OwnReply {
    pub provider: String,
    pub status: String,
    pub when: String,
    pub paras: Vec<String>,
}

#[derive(Template)]
#[template(path = "needs/provider_show.html")]
struct ProviderShowPage {
    ctx: PageCtx,
    need: Need,
    spec: Spec,
    cards: Vec<(i64, String)>,
    mine: Vec<OwnReply>,
    message: String,
    provider_id: String,
    errors: Violations,
    notice: Option<String>,
}

impl ProviderShowPage {
    fn can_reply(&self) -> bool {
        self.need.status.is_open() && !self.cards.is_empty()
    }
    fn closed_reason(&self) -> Option<String> {
        model::reply_refusal(self.need.status).map(|k| self.ctx.tr.t(k))
    }
}

/// The replies of the person's cards, and the last message (to edit it).
async fn own_replies(
    db: &Db,
    ctx: &PageCtx,
    need_id: i64,
    user_id: i64,
) -> Result<(Vec<OwnReply>, String), sqlx::Error> {
    let rows = store::own_replies(db, need_id, user_id).await?;
    let last = rows.last().map(|r| r.message.clone()).unwrap_or_default();
    let mine = rows
        .into_iter()
        .map(|r| OwnReply {
            status: ctx.tr.t(r.status().label_key()),
            when: ctx.datetime(r.updated_at),
            paras: model::paras(&r.message),
            provider: r.name,
        })
        .collect();
    Ok((mine, last))
}

/// Notices after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReplyFlags {
    envoye: Option<String>,
}

/// `GET /prestataire/besoins/{id}`
pub async fn provider_show(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(flags): Query<ReplyFlags>,
) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let (need, cards) = provider_access(&db, &user, id).await?;
    let (mine, message) = own_replies(&db, &ctx, id, user.id).await?;
    let notice = flags.envoye.map(|_| ctx.tr.t("need-reply-sent"));
    Ok(page(&ProviderShowPage {
        spec: Spec::new(&ctx, &need),
        ctx,
        need,
        provider_id: cards.first().map(|c| c.0.to_string()).unwrap_or_default(),
        cards,
        mine,
        message,
        errors: Violations::default(),
        notice,
    }))
}

/// A provider's reply.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReplyForm {
    message: String,
    provider_id: String,
}

/// The card replying: the only one, or the one chosen among the person's.
fn replying_card(
    v: &mut Violations,
    cards: &[(i64, String)],
    chosen: &str,
) -> Option<(i64, String)> {
    if cards.len() == 1 && chosen.trim().is_empty() {
        return Some(cards[0].clone());
    }
    let wanted = chosen.trim().parse::<i64>().ok();
    let found = cards.iter().find(|c| Some(c.0) == wanted).cloned();
    if found.is_none() {
        let key = if cards.is_empty() {
            "need-reply-no-card"
        } else {
            "form-choose"
        };
        v.add("provider_id", key, None);
    }
    found
}

/// `POST /prestataire/besoins/{id}`: reply, or update the card's reply.
pub async fn provider_reply(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<ReplyForm>,
) -> Result<Response, AppError> {
    let db = &state.db;
    let user = user_of(&ctx)?;
    let (need, cards) = provider_access(db, &user, id).await?;
    let mut v = Violations::default();
    let message = v.text("message", &form.message, REPLY_MIN, REPLY_MAX);
    let provider = replying_card(&mut v, &cards, &form.provider_id);
    let env = mail_env(&state.config, &ctx);
    let mut tx = db.begin_write().await?;
    let status = store::lock(&mut tx, db, id)
        .await?
        .ok_or(AppError::NotFound)?
        .status();
    if !status.is_open() {
        match model::reply_refusal(status) {
            Some(key) => v.add("message", key, None),
            None => return Err(AppError::NotFound),
        }
    }
    let (provider_id, provider_name) = match provider {
        Some(p) if v.is_empty() => p,
        _ => {
            drop(tx);
            let (mine, _) = own_replies(db, &ctx, id, user.id).await?;
            let fresh = store::get(db, id).await?.unwrap_or(need);
            return Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ProviderShowPage {
                    spec: Spec::new(&ctx, &fresh),
                    ctx,
                    need: fresh,
                    cards,
                    mine,
                    message: form.message,
                    provider_id: form.provider_id,
                    errors: v,
                    notice: None,
                },
            ));
        }
    };
    let updated = store::upsert_reply(&mut tx, id, provider_id, user.id, &message).await?;
    if status == NeedStatus::Published {
        store::mark_in_discussion(&mut tx, id).await?;
    }
    if let Some(author) = need.author_id {
        if let Some((to, locale)) = store::account_contact(&mut tx, author).await? {
            let mail = mails::reply(&env, locale, to, &need, &provider_name, &message, updated);
            crate::outbox::enqueue(&mut tx, &mail).await?;
        }
    }
    tx.commit().await?;
    state.mail_notify.notify_one();
    Ok(Redirect::to(&format!("/prestataire/besoins/{id}?envoye=1")).into_response())
}
