//! The need page on the business side: the specification, the replies with
//! their amount, delay, quote and message thread, and the decisions
//! (publish, close, shortlist, choose, decline; closing and declining are
//! asked first).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::mails::MailEnv;
use super::model::{self, Decision, Need, NeedAction, NeedStatus, ReplyStatus};
use super::pages::{mail_env, need_for, publish_and_tell, tell_decision};
use super::spec::Spec;
use super::store::{self, Tx};
use super::threads::Draft;
use crate::db::Db;
use crate::state::AppState;
use crate::web::confirm::{Confirmable, Question};
use crate::web::{page, render, AppError, PageCtx};

/// A provider's reply as the business sees it.
pub struct ReplyView {
    pub id: i64,
    pub provider_id: i64,
    pub provider: String,
    pub paras: Vec<String>,
    pub status: ReplyStatus,
    pub status_label: String,
    pub when: String,
    /// The indicative amount and delay as the locale writes them (or empty).
    pub amount: String,
    pub delay: String,
    pub has_quote: bool,
    pub quote_name: String,
    pub thread: Vec<super::threads::MessageView>,
}

impl ReplyView {
    /// The status as stored, for the card's class.
    pub fn status_code(&self) -> &'static str {
        self.status.code()
    }
    /// Not yet on the shortlist (nor chosen).
    pub fn can_shortlist(&self) -> bool {
        !matches!(self.status, ReplyStatus::Shortlisted | ReplyStatus::Chosen)
    }
    /// Not chosen yet.
    pub fn can_choose(&self) -> bool {
        self.status != ReplyStatus::Chosen
    }
    /// Not declined yet.
    pub fn can_decline(&self) -> bool {
        self.status != ReplyStatus::Declined
    }
}

#[derive(Template)]
#[template(path = "needs/show.html")]
struct ShowPage {
    ctx: PageCtx,
    need: Need,
    spec: Spec,
    replies: Vec<ReplyView>,
    notified: i64,
    quotes: i64,
    notice: Option<String>,
    errors: Vec<String>,
    /// A refused message, shown again in its thread.
    draft: Option<Draft>,
}

impl ShowPage {
    /// What was typed in this card's message form, if it was refused.
    fn draft_for(&self, provider_id: &i64) -> (String, String) {
        match &self.draft {
            Some(d) if d.provider_id == *provider_id => (d.body.clone(), d.error.clone()),
            _ => (String::new(), String::new()),
        }
    }
    fn thread_action(&self) -> String {
        format!("/besoins/{}/messages", self.need.id)
    }
    fn can_write(&self) -> bool {
        self.need.status != NeedStatus::Closed
    }
    fn status_code(&self) -> &'static str {
        self.need.status.code()
    }
    fn is_draft(&self) -> bool {
        self.need.status == NeedStatus::Draft
    }
    fn is_closed(&self) -> bool {
        self.need.status == NeedStatus::Closed
    }
    fn can_edit(&self) -> bool {
        self.need.status.editable()
    }
    fn can_publish(&self) -> bool {
        matches!(self.need.status, NeedStatus::Draft | NeedStatus::Closed)
            && self.need.chosen_provider_id.is_none()
    }
    fn can_close(&self) -> bool {
        !matches!(self.need.status, NeedStatus::Closed | NeedStatus::Draft)
    }
    fn can_decide(&self) -> bool {
        self.need.status.can_decide()
    }
}

/// Notices after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowFlags {
    publie: Option<i64>,
    enregistre: Option<String>,
    ferme: Option<String>,
    decision: Option<String>,
    verrouille: Option<String>,
    message: Option<String>,
}

async fn show_page(
    db: &Db,
    ctx: PageCtx,
    need: Need,
    notice: Option<String>,
    errors: Vec<String>,
) -> Result<ShowPage, AppError> {
    show_page_with(db, ctx, need, notice, errors, None).await
}

async fn show_page_with(
    db: &Db,
    ctx: PageCtx,
    need: Need,
    notice: Option<String>,
    errors: Vec<String>,
    draft: Option<Draft>,
) -> Result<ShowPage, AppError> {
    let mut threads = super::threads::threads(db, &ctx, need.id).await?;
    let locale = ctx.tr.0;
    let replies = store::replies(db, need.id)
        .await?
        .into_iter()
        .map(|r| ReplyView {
            id: r.id,
            provider_id: r.provider_id,
            paras: model::paras(&r.message),
            status: r.status(),
            status_label: ctx.tr.t(r.status().label_key()),
            when: ctx.datetime(r.updated_at),
            amount: r.amount().map(|a| a.format(locale)).unwrap_or_default(),
            delay: r
                .delay_days
                .map(|d| ctx.tr.tn("needr-delay-days", "count", d))
                .unwrap_or_default(),
            has_quote: r.quote_name.is_some(),
            quote_name: r.quote_name.clone().unwrap_or_default(),
            thread: threads.remove(&r.provider_id).unwrap_or_default(),
            provider: r.name,
        })
        .collect();
    Ok(ShowPage {
        notified: store::notified_count(db, need.id).await?,
        quotes: store::quote_count(db, need.id).await?,
        spec: Spec::new(&ctx, &need),
        ctx,
        need,
        replies,
        notice,
        errors,
        draft,
    })
}

/// The need page again, with a refused message kept in its thread.
pub(super) async fn refused_message(
    db: &Db,
    ctx: PageCtx,
    need: Need,
    draft: Draft,
) -> Result<Response, AppError> {
    let p = show_page_with(db, ctx, need, None, vec![], Some(draft)).await?;
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
}

/// `GET /besoins/{id}`: the specification, the replies and what can be done.
pub async fn show(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(flags): Query<ShowFlags>,
) -> Result<Response, AppError> {
    let need = need_for(&db, &ctx, id).await?;
    let tr = ctx.tr;
    let notice = if let Some(n) = flags.publie {
        Some(tr.tn("need-published-notice", "count", n))
    } else if flags.enregistre.is_some() {
        Some(tr.t("need-saved-notice"))
    } else if flags.ferme.is_some() {
        Some(tr.t("need-closed-notice"))
    } else if flags.decision.is_some() {
        Some(tr.t("need-decision-notice"))
    } else if flags.message.is_some() {
        Some(tr.t("needr-message-sent"))
    } else {
        None
    };
    let errors = if flags.verrouille.is_some() {
        vec![tr.t("need-not-editable")]
    } else {
        vec![]
    };
    Ok(page(&show_page(&db, ctx, need, notice, errors).await?))
}

/// An action on the need page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    action: String,
    reply: String,
}

/// `POST /besoins/{id}`: publish, close, shortlist, choose or decline.
pub async fn act(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    asked: Confirmable<ActionForm>,
) -> Result<Response, AppError> {
    let db = &state.db;
    let need = need_for(db, &ctx, id).await?;
    let action = NeedAction::from_code(&asked.form().action).ok_or(AppError::BadRequest)?;
    if !asked.confirmed() {
        if let Some(question) = question(db, &ctx, &need, action, &asked.form().reply).await? {
            return Ok(asked.ask(ctx, question));
        }
    }
    let form = asked.into_inner();
    let env = mail_env(&state.config, &ctx);
    let mut tx = db.begin_write().await?;
    let locked = store::lock(&mut tx, db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let refusals: Vec<&'static str> = match action {
        NeedAction::Publish => {
            let (title, themes, chosen) = store::publish_facts(&mut tx, id).await?;
            let blockers = model::publish_blockers(&title, themes, chosen);
            if blockers.is_empty() {
                let told = publish_and_tell(&mut tx, &env, id).await?;
                tx.commit().await?;
                state.mail_notify.notify_one();
                return Ok(Redirect::to(&format!("/besoins/{id}?publie={told}")).into_response());
            }
            blockers
        }
        NeedAction::Close if locked.status() == NeedStatus::Closed => {
            vec!["need-already-closed"]
        }
        NeedAction::Close => {
            store::close(&mut tx, id).await?;
            tx.commit().await?;
            return Ok(Redirect::to(&format!("/besoins/{id}?ferme=1")).into_response());
        }
        NeedAction::Decide(decision) => {
            let reply_id = form.reply.trim().parse::<i64>().ok();
            let reply = match reply_id {
                Some(rid) => store::reply_of(&mut tx, id, rid).await?,
                None => None,
            };
            match (reply_id, reply) {
                (Some(rid), Some((provider_id, _))) if locked.status().can_decide() => {
                    decide(
                        &mut tx,
                        &env,
                        &need,
                        decision,
                        rid,
                        provider_id,
                        locked.chosen_provider_id,
                    )
                    .await?;
                    tx.commit().await?;
                    state.mail_notify.notify_one();
                    return Ok(
                        Redirect::to(&format!("/besoins/{id}?decision=1#reply-{rid}"))
                            .into_response(),
                    );
                }
                (_, Some(_)) => vec!["need-decide-closed"],
                _ => vec!["need-reply-unknown"],
            }
        }
    };
    drop(tx);
    let fresh = store::get(db, id).await?.ok_or(AppError::NotFound)?;
    let errors = refusals.into_iter().map(|k| ctx.tr.t(k)).collect();
    let p = show_page(db, ctx, fresh, None, errors).await?;
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
}

/// What closing a need or declining a reply asks first (other actions go
/// ahead); none when the reply is unknown, so the action reports it.
async fn question(
    db: &Db,
    ctx: &PageCtx,
    need: &Need,
    action: NeedAction,
    reply: &str,
) -> Result<Option<Question>, AppError> {
    let tr = ctx.tr;
    let title = need.shown_title(tr);
    let back = format!("/besoins/{}", need.id);
    Ok(match action {
        NeedAction::Close if need.status != NeedStatus::Closed => Some(Question::new(
            tr.ts("needr-close-title", "title", &title),
            tr.t("needr-close-body"),
            tr.t("needr-close-yes"),
            &back,
        )),
        NeedAction::Decide(Decision::Decline) => {
            let rid = reply.trim().parse::<i64>().ok();
            let replies = store::replies(db, need.id).await?;
            rid.and_then(|rid| replies.into_iter().find(|r| r.id == rid))
                .map(|r| {
                    Question::new(
                        tr.ts("needr-decline-title", "provider", &r.name),
                        tr.ts("needr-decline-body", "provider", &r.name),
                        tr.t("needr-decline-yes"),
                        &format!("{back}#reply-{}", r.id),
                    )
                })
        }
        _ => None,
    })
}

/// Apply a decision about one reply, and tell the provider when it matters:
/// a new choice, or a decline.
async fn decide(
    tx: &mut Tx,
    env: &MailEnv,
    need: &Need,
    decision: Decision,
    reply_id: i64,
    provider_id: i64,
    chosen: Option<i64>,
) -> Result<(), sqlx::Error> {
    let was_chosen = chosen == Some(provider_id);
    match decision {
        Decision::Choose => {
            store::choose(tx, need.id, reply_id, provider_id).await?;
            if !was_chosen {
                tell_decision(tx, env, need, provider_id, true).await?;
            }
        }
        Decision::Shortlist | Decision::Decline => {
            store::set_reply_status(tx, reply_id, decision.reply_status()).await?;
            if was_chosen {
                store::unchoose(tx, need.id).await?;
            }
            if decision == Decision::Decline {
                tell_decision(tx, env, need, provider_id, false).await?;
            }
        }
    }
    Ok(())
}
