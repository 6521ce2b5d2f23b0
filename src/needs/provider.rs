//! The provider side of needs: open needs for one's cards, and replies (one
//! per card, updated in place).

// The select macro of needs/parts.html compares ids of any type with the submitted text.
#![allow(clippy::cmp_owned)]

use askama::Template;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::mails;
use super::model::{self, Need, NeedStatus, ValidReply, REPLY_MAX, REPLY_MIN};
use super::pages::{mail_env, user_of};
use super::spec::Spec;
use super::store;
use super::threads::{Draft, MessageView};
use crate::auth::{Role, SessionUser};
use crate::db::Db;
use crate::kernel::money::Euros;
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
pub(super) async fn provider_access(
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

/// A provider's own reply, with its thread.
pub struct OwnReply {
    pub id: i64,
    pub provider_id: i64,
    pub provider: String,
    pub status: String,
    pub when: String,
    pub paras: Vec<String>,
    pub amount: String,
    pub delay: String,
    pub quote_name: Option<String>,
    pub thread: Vec<MessageView>,
}

/// What the reply form shows: as typed, or the last reply sent.
#[derive(Debug, Default, Clone)]
pub struct ReplyInput {
    pub message: String,
    pub amount: String,
    pub delay: String,
    pub provider_id: String,
}

#[derive(Template)]
#[template(path = "needs/provider_show.html")]
struct ProviderShowPage {
    ctx: PageCtx,
    need: Need,
    spec: Spec,
    cards: Vec<(i64, String)>,
    mine: Vec<OwnReply>,
    input: ReplyInput,
    errors: Violations,
    notice: Option<String>,
    /// A refused message, shown again in its thread.
    draft: Option<Draft>,
}

impl ProviderShowPage {
    /// What was typed in this card's message form, if it was refused.
    fn draft_for(&self, provider_id: &i64) -> (String, String) {
        match &self.draft {
            Some(d) if d.provider_id == *provider_id => (d.body.clone(), d.error.clone()),
            _ => (String::new(), String::new()),
        }
    }
    fn thread_action(&self) -> String {
        format!("/prestataire/besoins/{}/messages", self.need.id)
    }
    fn can_write(&self) -> bool {
        self.need.status != NeedStatus::Closed
    }
    fn quote_limit_mb(&self) -> usize {
        model::QUOTE_LIMIT / 1_048_576
    }
    fn can_reply(&self) -> bool {
        self.need.status.is_open() && !self.cards.is_empty()
    }
    fn closed_reason(&self) -> Option<String> {
        model::reply_refusal(self.need.status).map(|k| self.ctx.tr.t(k))
    }
}

/// The replies of the person's cards with their threads, and the last
/// reply as the form shows it (to edit it).
async fn own_replies(
    db: &Db,
    ctx: &PageCtx,
    need_id: i64,
    user_id: i64,
) -> Result<(Vec<OwnReply>, ReplyInput), sqlx::Error> {
    let rows = store::own_replies(db, need_id, user_id).await?;
    let mut threads = super::threads::threads(db, ctx, need_id).await?;
    let locale = ctx.tr.0;
    let last = rows
        .last()
        .map(|r| ReplyInput {
            message: r.message.clone(),
            amount: r.amount().map(|a| a.form_value(locale)).unwrap_or_default(),
            delay: r.delay_days.map(|d| d.to_string()).unwrap_or_default(),
            provider_id: String::new(),
        })
        .unwrap_or_default();
    let mine = rows
        .into_iter()
        .map(|r| OwnReply {
            id: r.id,
            provider_id: r.provider_id,
            status: ctx.tr.t(r.status().label_key()),
            when: ctx.datetime(r.updated_at),
            paras: model::paras(&r.message),
            amount: r.amount().map(|a| a.format(locale)).unwrap_or_default(),
            delay: r
                .delay_days
                .map(|d| ctx.tr.tn("needr-delay-days", "count", d))
                .unwrap_or_default(),
            quote_name: r.quote_name.clone(),
            thread: threads.remove(&r.provider_id).unwrap_or_default(),
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
    message: Option<String>,
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
    let (mine, mut input) = own_replies(&db, &ctx, id, user.id).await?;
    input.provider_id = cards.first().map(|c| c.0.to_string()).unwrap_or_default();
    let notice = if flags.envoye.is_some() {
        Some(ctx.tr.t("need-reply-sent"))
    } else {
        flags.message.map(|_| ctx.tr.t("needr-message-sent"))
    };
    Ok(page(&ProviderShowPage {
        spec: Spec::new(&ctx, &need),
        ctx,
        need,
        cards,
        mine,
        input,
        errors: Violations::default(),
        notice,
        draft: None,
    }))
}

/// The provider's page again, with a refused message kept in its thread.
pub(super) async fn refused_message(
    db: &Db,
    ctx: PageCtx,
    need: Need,
    cards: Vec<(i64, String)>,
    draft: Draft,
) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let (mine, mut input) = own_replies(db, &ctx, need.id, user.id).await?;
    input.provider_id = cards.first().map(|c| c.0.to_string()).unwrap_or_default();
    Ok(render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &ProviderShowPage {
            spec: Spec::new(&ctx, &need),
            ctx,
            need,
            cards,
            mine,
            input,
            errors: Violations::default(),
            notice: None,
            draft: Some(draft),
        },
    ))
}

/// A provider's reply, posted as a form or (with a quote file) as
/// multipart.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReplyForm {
    message: String,
    amount: String,
    delay: String,
    provider_id: String,
}

/// What a reply's upload held: the form, the quote file if one was
/// chosen, and whether the body was over the limit.
struct Posted {
    form: ReplyForm,
    file: Option<(String, Vec<u8>)>,
    too_large: bool,
}

/// Read a reply as a plain form or as multipart (with the quote).
async fn read_reply(req: Request) -> Result<Posted, AppError> {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    if !multipart {
        let WebForm(form) = WebForm::<ReplyForm>::from_request(req, &())
            .await
            .map_err(|_| AppError::BadRequest)?;
        return Ok(Posted {
            form,
            file: None,
            too_large: false,
        });
    }
    let mut mp = Multipart::from_request(req, &())
        .await
        .map_err(|_| AppError::BadRequest)?;
    let mut posted = Posted {
        form: ReplyForm::default(),
        file: None,
        too_large: false,
    };
    loop {
        match mp.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                if name == "quote" {
                    let file_name = field.file_name().unwrap_or("").to_string();
                    match field.bytes().await {
                        Ok(b) if !b.is_empty() => posted.file = Some((file_name, b.to_vec())),
                        Ok(_) => {}
                        Err(_) => posted.too_large = true,
                    }
                    continue;
                }
                let text = field.text().await.unwrap_or_default();
                match name.as_str() {
                    "message" => posted.form.message = text,
                    "amount" => posted.form.amount = text,
                    "delay" => posted.form.delay = text,
                    "provider_id" => posted.form.provider_id = text,
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(_) => {
                posted.too_large = true;
                break;
            }
        }
    }
    Ok(posted)
}

/// Check a reply's fields; the violations name each bad one.
fn check_reply(v: &mut Violations, posted: &Posted) -> ValidReply {
    let f = &posted.form;
    let message = v.text("message", &f.message, REPLY_MIN, REPLY_MAX);
    let amount = match Euros::parse(&f.amount) {
        Ok(a) => a,
        Err(_) => {
            v.add("amount", "need-amount-invalid", None);
            None
        }
    };
    let delay_days = match model::parse_delay(&f.delay) {
        Ok(d) => d,
        Err(key) => {
            v.add("delay", key, Some(model::DELAY_MAX_DAYS));
            None
        }
    };
    let limit = Some((model::QUOTE_LIMIT / 1_048_576) as i64);
    let quote = if posted.too_large {
        v.add("quote", "needr-quote-too-large", limit);
        None
    } else {
        match &posted.file {
            Some((name, bytes)) => match model::check_quote(name, bytes) {
                Ok(q) => Some(q),
                Err(key) => {
                    v.add("quote", key, limit);
                    None
                }
            },
            None => None,
        }
    };
    ValidReply {
        message,
        amount,
        delay_days,
        quote,
    }
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
    req: Request,
) -> Result<Response, AppError> {
    let db = &state.db;
    let user = user_of(&ctx)?;
    let (need, cards) = provider_access(db, &user, id).await?;
    let posted = read_reply(req).await?;
    let mut v = Violations::default();
    let reply = check_reply(&mut v, &posted);
    let form = posted.form;
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
                    input: ReplyInput {
                        message: form.message,
                        amount: form.amount,
                        delay: form.delay,
                        provider_id: form.provider_id,
                    },
                    errors: v,
                    notice: None,
                    draft: None,
                },
            ));
        }
    };
    let updated = store::upsert_reply(&mut tx, id, provider_id, user.id, &reply).await?;
    let message = reply.message;
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
