//! Pages of the notice board: the public list, the posting form and the
//! moderation queue.

// The select macro of needs/parts.html compares ids of any type with the submitted text.
#![allow(clippy::cmp_owned)]

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::mails;
use super::model::{self, Moderation, PostForm, PostKind, PostStatus};
use super::store::{self, NewPost, PostRow};
use crate::auth::SessionUser;
use crate::db::{now_ms, Db};
use crate::i18n::Tr;
use crate::kernel::dates;
use crate::state::AppState;
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

/// Today on the programme's clock, `YYYY-MM-DD`.
fn today(ctx: &PageCtx) -> String {
    dates::date_input(&dates::zone(&ctx.programme.timezone), now_ms())
}

fn user_of(ctx: &PageCtx) -> Result<Arc<SessionUser>, AppError> {
    ctx.user.clone().ok_or(AppError::Forbidden)
}

/// A post prepared for display.
pub struct Post {
    pub id: i64,
    /// The kind's code, for the card's class.
    pub kind: &'static str,
    pub kind_label: String,
    pub title: String,
    pub paras: Vec<String>,
    pub link: String,
    pub status: PostStatus,
    pub status_label: String,
    pub by: String,
    pub note: String,
    pub expires: String,
    pub when: String,
}

impl Post {
    fn new(ctx: &PageCtx, r: PostRow) -> Post {
        let tr = ctx.tr;
        let kind = PostKind::from_code(&r.kind).unwrap_or(PostKind::Announcement);
        let status = PostStatus::from_code(&r.status);
        Post {
            id: r.id,
            kind: kind.code(),
            kind_label: tr.t(kind.label_key()),
            paras: r
                .body
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
            status_label: tr.t(status.label_key()),
            status,
            by: r
                .provider_name
                .or(r.author_name)
                .unwrap_or_else(|| tr.t("board-by-programme")),
            expires: dates::show_date_text(tr.0, &r.expires_on),
            when: ctx.datetime(r.published_at.unwrap_or(r.created_at)),
            title: r.title,
            link: r.link,
            note: r.moderation_note,
        }
    }
}

// ------------------------------------------------------------------ public

/// The list's filter.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Template)]
#[template(path = "board/list.html")]
struct ListPage {
    ctx: PageCtx,
    posts: Vec<Post>,
    kind: String,
    can_post: bool,
}

impl ListPage {
    fn kinds(&self) -> Vec<(&'static str, String)> {
        kind_choices(self.ctx.tr, &PostKind::ALL)
    }
}

fn kind_choices(tr: Tr, kinds: &[PostKind]) -> Vec<(&'static str, String)> {
    kinds
        .iter()
        .map(|k| (k.code(), tr.t(k.label_key())))
        .collect()
}

/// `GET /annonces`: published posts not yet expired, newest first.
pub async fn list(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let kind = PostKind::from_code(&q.kind);
    let posts = store::published(&db, &today(&ctx), kind)
        .await?
        .into_iter()
        .map(|r| Post::new(&ctx, r))
        .collect();
    let can_post = ctx.has_role("provider") || ctx.has_role("admin") || ctx.has_role("adviser");
    Ok(page(&ListPage {
        ctx,
        posts,
        kind: kind.map(|k| k.code().to_string()).unwrap_or_default(),
        can_post,
    }))
}

// ------------------------------------------------------------------ posting

#[derive(Template)]
#[template(path = "board/form.html")]
struct FormPage {
    ctx: PageCtx,
    input: PostForm,
    kinds: Vec<(&'static str, String)>,
    cards: Vec<(i64, String)>,
    errors: Violations,
    staff: bool,
    notice: Option<String>,
}

/// Notices after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FormFlags {
    envoye: Option<String>,
}

/// Who posts: staff, or a provider with the cards they keep.
async fn poster(
    db: &Db,
    ctx: &PageCtx,
) -> Result<(Arc<SessionUser>, bool, Vec<(i64, String)>), AppError> {
    let user = user_of(ctx)?;
    let staff = user.is_staff();
    let cards = if staff {
        vec![]
    } else {
        store::cards_of(db, user.id).await?
    };
    Ok((user, staff, cards))
}

/// `GET /annonces/nouvelle`
pub async fn new_form(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(flags): Query<FormFlags>,
) -> Result<Response, AppError> {
    let (_, staff, cards) = poster(&db, &ctx).await?;
    let notice = flags.envoye.map(|_| ctx.tr.t("board-sent-to-moderation"));
    Ok(page(&FormPage {
        kinds: kind_choices(ctx.tr, PostKind::for_poster(staff)),
        input: PostForm {
            provider_id: cards.first().map(|c| c.0.to_string()).unwrap_or_default(),
            ..Default::default()
        },
        ctx,
        cards,
        errors: Violations::default(),
        staff,
        notice,
    }))
}

/// `POST /annonces/nouvelle`: staff posts are published at once, providers'
/// wait for moderation.
pub async fn create(
    State(db): State<Db>,
    ctx: PageCtx,
    WebForm(form): WebForm<PostForm>,
) -> Result<Response, AppError> {
    let (user, staff, cards) = poster(&db, &ctx).await?;
    let kinds = PostKind::for_poster(staff);
    let valid = match model::parse_post(&form, kinds, &cards, &today(&ctx)) {
        Ok(v) => v,
        Err(errors) => {
            return Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage {
                    kinds: kind_choices(ctx.tr, kinds),
                    ctx,
                    input: form,
                    cards,
                    errors,
                    staff,
                    notice: None,
                },
            ))
        }
    };
    let id = store::insert(
        &db,
        &NewPost {
            author_id: Some(user.id),
            provider_id: valid.provider_id,
            kind: valid.kind,
            title: &valid.title,
            body: &valid.body,
            link: &valid.link,
            status: if staff {
                PostStatus::Published
            } else {
                PostStatus::Pending
            },
            moderated_by: staff.then_some(user.id),
            expires_on: &valid.expires_on,
        },
    )
    .await?;
    if staff {
        Ok(Redirect::to(&format!("/annonces#post-{id}")).into_response())
    } else {
        Ok(Redirect::to("/annonces/nouvelle?envoye=1").into_response())
    }
}

// ------------------------------------------------------------------ moderation

#[derive(Template)]
#[template(path = "board/admin.html")]
struct QueuePage {
    ctx: PageCtx,
    pending: Vec<Post>,
    published: Vec<Post>,
    rejected: Vec<Post>,
    error: Option<(i64, String)>,
    notice: Option<String>,
}

impl QueuePage {
    fn error_for(&self, id: &i64) -> Option<String> {
        self.error
            .as_ref()
            .filter(|(p, _)| p == id)
            .map(|(_, m)| m.clone())
    }
}

/// Notices after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct QueueFlags {
    fait: Option<String>,
}

async fn queue_page(
    db: &Db,
    ctx: PageCtx,
    error: Option<(i64, String)>,
    notice: Option<String>,
) -> Result<QueuePage, AppError> {
    let mut lists = vec![];
    for status in [
        PostStatus::Pending,
        PostStatus::Published,
        PostStatus::Rejected,
    ] {
        let posts: Vec<Post> = store::by_status(db, status)
            .await?
            .into_iter()
            .map(|r| Post::new(&ctx, r))
            .collect();
        lists.push(posts);
    }
    let rejected = lists.pop().unwrap_or_default();
    let published = lists.pop().unwrap_or_default();
    let pending = lists.pop().unwrap_or_default();
    Ok(QueuePage {
        ctx,
        pending,
        published,
        rejected,
        error,
        notice,
    })
}

/// `GET /admin/annonces`: the moderation queue.
pub async fn queue(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(flags): Query<QueueFlags>,
) -> Result<Response, AppError> {
    let notice = flags.fait.map(|_| ctx.tr.t("board-moderated"));
    Ok(page(&queue_page(&db, ctx, None, notice).await?))
}

/// A moderation decision.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ModerateForm {
    action: String,
    post: i64,
    note: String,
}

/// `POST /admin/annonces`: publish, reject (with a note) or unpublish.
pub async fn moderate(
    State(state): State<AppState>,
    ctx: PageCtx,
    WebForm(form): WebForm<ModerateForm>,
) -> Result<Response, AppError> {
    let db = &state.db;
    let user = user_of(&ctx)?;
    let note = form.note.trim().to_string();
    let decision = Moderation::from_code(&form.action).ok_or(AppError::BadRequest)?;
    let (from, to) = decision.transition();
    let refuse = |key: &str, status: StatusCode, ctx: PageCtx| {
        let msg = ctx.tr.t(key);
        async move {
            let p = queue_page(db, ctx, Some((form.post, msg)), None).await?;
            Ok::<Response, AppError>(render(status, &p))
        }
    };
    if let Some(key) = model::note_problem(decision, &note) {
        return refuse(key, StatusCode::UNPROCESSABLE_ENTITY, ctx).await;
    }
    let mut tx = db.begin_write().await?;
    if !store::moderate(&mut tx, form.post, from, to, user.id, &note).await? {
        drop(tx);
        return refuse("board-already-moderated", StatusCode::CONFLICT, ctx).await;
    }
    // Tell the author (unless they moderated their own post).
    if let Some((email, locale, title)) = store::author_to_tell(&mut tx, form.post, user.id).await?
    {
        let mail = mails::moderated(
            &state.config.base_url,
            locale,
            email,
            &title,
            to == PostStatus::Published,
            &note,
        );
        crate::outbox::enqueue(&mut tx, &mail).await?;
    }
    tx.commit().await?;
    state.mail_notify.notify_one();
    Ok(Redirect::to("/admin/annonces?fait=1").into_response())
}
