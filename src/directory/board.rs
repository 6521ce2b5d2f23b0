//! The moderated notice board: programme announcements, events and calls
//! for projects posted by staff (published at once), job and internship
//! offers and events posted by providers (published after moderation).

// The select helpers compare ids of any type with the submitted text.
#![allow(clippy::cmp_owned)]

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::auth::SessionUser;
use crate::db::now_ms;
use crate::i18n::{Locale, Tr};
use crate::outbox::NewMail;
use crate::state::AppState;
use crate::web::access::{Access, Routes, ADMIN, POSTERS};
use crate::web::forms::{Violations, WebForm};
use crate::web::{format_datetime, page, render, AppError, PageCtx};

/// Routes of the notice board.
pub fn routes() -> Routes {
    Routes::new()
        .route("/annonces", Access::Public, get(list))
        .route(
            "/annonces/nouvelle",
            Access::Roles(POSTERS),
            get(new_form).post(create),
        )
        .route(
            "/admin/annonces",
            Access::Roles(ADMIN),
            get(queue).post(moderate),
        )
}

/// Every kind of post, in the order filters show them.
pub const KINDS: [&str; 5] = [
    "announcement",
    "event",
    "call_for_projects",
    "job",
    "internship",
];
/// What programme staff post.
pub const STAFF_KINDS: [&str; 3] = ["announcement", "event", "call_for_projects"];
/// What providers post.
pub const PROVIDER_KINDS: [&str; 3] = ["job", "internship", "event"];

/// Translation key of a kind.
pub fn kind_key(kind: &str) -> &'static str {
    match kind {
        "event" => "board-kind-event",
        "call_for_projects" => "board-kind-call-for-projects",
        "job" => "board-kind-job",
        "internship" => "board-kind-internship",
        _ => "board-kind-announcement",
    }
}

fn status_key(status: &str) -> &'static str {
    match status {
        "published" => "board-status-published",
        "rejected" => "board-status-rejected",
        _ => "board-status-pending",
    }
}

/// Today in the programme's time zone, `YYYY-MM-DD`.
fn today(ctx: &PageCtx) -> String {
    let tz = crate::kernel::dates::zone(&ctx.programme.timezone);
    crate::kernel::dates::date_input(&tz, now_ms())
}

/// A post prepared for display.
pub struct Post {
    pub id: i64,
    pub kind: String,
    pub kind_label: String,
    pub title: String,
    pub paras: Vec<String>,
    pub link: String,
    pub status: String,
    pub status_label: String,
    pub by: String,
    pub note: String,
    pub expires: String,
    pub when: String,
}

const SELECT: &str = "SELECT bp.id, bp.kind, bp.title, bp.body, bp.link, bp.status, bp.moderation_note, bp.expires_on, \
    bp.created_at, bp.published_at, p.name AS provider_name, u.display_name AS author_name FROM board_posts bp \
    LEFT JOIN providers p ON p.id = bp.provider_id LEFT JOIN users u ON u.id = bp.author_id";

fn post_from_row(tr: Tr, r: &AnyRow) -> Post {
    let kind: String = r.get("kind");
    let status: String = r.get("status");
    let provider: Option<String> = r.try_get("provider_name").ok().flatten();
    let author: Option<String> = r.try_get("author_name").ok().flatten();
    let published: Option<i64> = r.try_get("published_at").ok().flatten();
    let created: i64 = r.get("created_at");
    let body: String = r.get("body");
    let expires: String = r.get("expires_on");
    Post {
        id: r.get("id"),
        kind_label: tr.t(kind_key(&kind)),
        kind,
        title: r.get("title"),
        paras: body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        link: r.get("link"),
        status_label: tr.t(status_key(&status)),
        status,
        by: provider
            .or(author)
            .unwrap_or_else(|| tr.t("board-by-programme")),
        note: r.get("moderation_note"),
        expires: match crate::kernel::dates::parse_date(&expires) {
            Some(d) if tr.lang() == "fr" => {
                format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
            }
            _ => expires,
        },
        when: format_datetime(tr.0, published.unwrap_or(created)),
    }
}

// ------------------------------------------------------------------ public

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Template)]
#[template(path = "directory/board/list.html")]
struct ListPage {
    ctx: PageCtx,
    posts: Vec<Post>,
    kind: String,
    can_post: bool,
}

impl ListPage {
    fn kinds(&self) -> Vec<(&'static str, String)> {
        KINDS
            .iter()
            .map(|k| (*k, self.ctx.tr.t(kind_key(k))))
            .collect()
    }
}

/// `GET /annonces`: published posts not yet expired, newest first.
pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let kind = if KINDS.contains(&q.kind.as_str()) {
        q.kind.clone()
    } else {
        String::new()
    };
    let base = format!(
        "{SELECT} WHERE bp.status = 'published' AND (bp.expires_on = '' OR bp.expires_on >= $1)"
    );
    let rows = if kind.is_empty() {
        sqlx::query(&format!(
            "{base} ORDER BY bp.published_at DESC, bp.id DESC LIMIT 200"
        ))
        .bind(today(&ctx))
        .fetch_all(&state.db.pool)
        .await?
    } else {
        sqlx::query(&format!(
            "{base} AND bp.kind = $2 ORDER BY bp.published_at DESC, bp.id DESC LIMIT 200"
        ))
        .bind(today(&ctx))
        .bind(&kind)
        .fetch_all(&state.db.pool)
        .await?
    };
    let posts = rows.iter().map(|r| post_from_row(ctx.tr, r)).collect();
    let can_post = ctx.has_role("provider") || ctx.has_role("admin") || ctx.has_role("adviser");
    Ok(page(&ListPage {
        ctx,
        posts,
        kind,
        can_post,
    }))
}

// ------------------------------------------------------------------ posting

/// What the posting form sends.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PostForm {
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: String,
    pub expires_on: String,
    pub provider_id: String,
}

#[derive(Template)]
#[template(path = "directory/board/form.html")]
struct FormPage {
    ctx: PageCtx,
    input: PostForm,
    kinds: Vec<(&'static str, String)>,
    cards: Vec<(i64, String)>,
    errors: Violations,
    staff: bool,
    notice: Option<String>,
}

fn user_of(ctx: &PageCtx) -> Result<Arc<SessionUser>, AppError> {
    ctx.user.clone().ok_or(AppError::Forbidden)
}

async fn cards_of(state: &AppState, user_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.id, p.name FROM providers p JOIN provider_members m ON m.provider_id = p.id \
         WHERE m.user_id = $1 ORDER BY p.name, p.id",
    )
    .bind(user_id)
    .fetch_all(&state.db.pool)
    .await
}

fn kinds_for(tr: Tr, staff: bool) -> Vec<(&'static str, String)> {
    let list: &[&'static str] = if staff { &STAFF_KINDS } else { &PROVIDER_KINDS };
    list.iter().map(|k| (*k, tr.t(kind_key(k)))).collect()
}

/// Notices after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FormFlags {
    envoye: Option<String>,
}

/// `GET /annonces/nouvelle`
pub async fn new_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(flags): Query<FormFlags>,
) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let staff = user.is_staff();
    let cards = if staff {
        vec![]
    } else {
        cards_of(&state, user.id).await?
    };
    let notice = flags.envoye.map(|_| ctx.tr.t("board-sent-to-moderation"));
    Ok(page(&FormPage {
        kinds: kinds_for(ctx.tr, staff),
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

/// A web address a visitor can follow.
fn valid_link(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() <= 500
        && url::Url::parse(s).is_ok_and(|u| u.host_str().is_some_and(|h| h.contains('.')))
}

/// `POST /annonces/nouvelle`: staff posts are published at once, providers'
/// wait for moderation.
pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    WebForm(form): WebForm<PostForm>,
) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let staff = user.is_staff();
    let cards = if staff {
        vec![]
    } else {
        cards_of(&state, user.id).await?
    };
    let kinds = kinds_for(ctx.tr, staff);
    let mut v = Violations::default();
    let kind = form.kind.trim().to_string();
    if !kinds.iter().any(|(k, _)| *k == kind) {
        v.add("kind", "form-choose", None);
    }
    let title = v.text("title", &form.title, 3, 160);
    let body = v.text("body", &form.body, 10, 4000);
    let link = form.link.trim().to_string();
    if !link.is_empty() && !valid_link(&link) {
        v.add("link", "board-link-invalid", None);
    }
    let expires_on = form.expires_on.trim().to_string();
    if !expires_on.is_empty() {
        match crate::kernel::dates::parse_date(&expires_on) {
            None => v.add("expires_on", "board-date-invalid", None),
            Some(_) if expires_on < today(&ctx) => v.add("expires_on", "board-date-past", None),
            Some(_) => {}
        }
    }
    let provider_id = if staff || cards.is_empty() {
        None
    } else if cards.len() == 1 {
        Some(cards[0].0)
    } else {
        let wanted = form.provider_id.trim().parse::<i64>().ok();
        let found = cards.iter().find(|c| Some(c.0) == wanted).map(|c| c.0);
        if found.is_none() {
            v.add("provider_id", "form-choose", None);
        }
        found
    };
    if !v.is_empty() {
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &FormPage {
                ctx,
                input: form,
                kinds,
                cards,
                errors: v,
                staff,
                notice: None,
            },
        ));
    }
    let now = now_ms();
    let (status, published_at, moderated_by) = if staff {
        ("published", Some(now), Some(user.id))
    } else {
        ("pending", None, None)
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO board_posts (author_id, provider_id, kind, title, body, link, status, moderated_by, expires_on, \
         created_at, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(user.id)
    .bind(provider_id)
    .bind(&kind)
    .bind(&title)
    .bind(&body)
    .bind(&link)
    .bind(status)
    .bind(moderated_by)
    .bind(&expires_on)
    .bind(now)
    .bind(published_at)
    .fetch_one(&state.db.pool)
    .await?;
    if staff {
        Ok(Redirect::to(&format!("/annonces#post-{id}")).into_response())
    } else {
        Ok(Redirect::to("/annonces/nouvelle?envoye=1").into_response())
    }
}

// ------------------------------------------------------------------ moderation

#[derive(Template)]
#[template(path = "directory/board/admin.html")]
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
    state: &AppState,
    ctx: PageCtx,
    error: Option<(i64, String)>,
    notice: Option<String>,
) -> Result<QueuePage, AppError> {
    let tr = ctx.tr;
    let fetch = |sql: String| {
        let pool = state.db.pool.clone();
        async move { sqlx::query(&sql).fetch_all(&pool).await }
    };
    let pending = fetch(format!(
        "{SELECT} WHERE bp.status = 'pending' ORDER BY bp.created_at, bp.id"
    ))
    .await?;
    let published = fetch(format!(
        "{SELECT} WHERE bp.status = 'published' ORDER BY bp.published_at DESC, bp.id DESC LIMIT 100"
    ))
    .await?;
    let rejected = fetch(format!(
        "{SELECT} WHERE bp.status = 'rejected' ORDER BY bp.created_at DESC, bp.id DESC LIMIT 50"
    ))
    .await?;
    let map = |rows: Vec<AnyRow>| rows.iter().map(|r| post_from_row(tr, r)).collect();
    Ok(QueuePage {
        ctx,
        pending: map(pending),
        published: map(published),
        rejected: map(rejected),
        error,
        notice,
    })
}

/// `GET /admin/annonces`: the moderation queue.
pub async fn queue(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(flags): Query<QueueFlags>,
) -> Result<Response, AppError> {
    let notice = flags.fait.map(|_| ctx.tr.t("board-moderated"));
    let p = queue_page(&state, ctx, None, notice).await?;
    Ok(page(&p))
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
    let user = user_of(&ctx)?;
    let note = form.note.trim().to_string();
    let (from, to) = match form.action.as_str() {
        "publish" => ("pending", "published"),
        "reject" => ("pending", "rejected"),
        "unpublish" => ("published", "rejected"),
        _ => return Err(AppError::BadRequest),
    };
    let refuse = |key: &str, status: StatusCode, ctx: PageCtx| {
        let msg = ctx.tr.t(key);
        let state = state.clone();
        let post = form.post;
        async move {
            let p = queue_page(&state, ctx, Some((post, msg)), None).await?;
            Ok::<Response, AppError>(render(status, &p))
        }
    };
    if form.action == "reject" && note.is_empty() {
        return refuse("board-note-required", StatusCode::UNPROCESSABLE_ENTITY, ctx).await;
    }
    if note.chars().count() > 1000 {
        return refuse("board-note-too-long", StatusCode::UNPROCESSABLE_ENTITY, ctx).await;
    }
    let now = now_ms();
    let mut tx = state.db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE board_posts SET status = $1, moderated_by = $2, moderation_note = $3, \
         published_at = CASE WHEN $1 = 'published' THEN $4 ELSE published_at END WHERE id = $5 AND status = $6",
    )
    .bind(to)
    .bind(user.id)
    .bind(&note)
    .bind(now)
    .bind(form.post)
    .bind(from)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        drop(tx);
        return refuse("board-already-moderated", StatusCode::CONFLICT, ctx).await;
    }
    // Tell the author (unless they moderated their own post).
    let author: Option<(String, String, String)> = sqlx::query_as(
        "SELECT u.email, u.locale, bp.title FROM board_posts bp JOIN users u ON u.id = bp.author_id \
         WHERE bp.id = $1 AND u.id <> $2 AND u.disabled_at IS NULL",
    )
    .bind(form.post)
    .bind(user.id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((email, locale, title)) = author {
        let tr = Tr(if locale == "en" {
            Locale::En
        } else {
            Locale::Fr
        });
        let base = state.config.base_url.as_str().trim_end_matches('/');
        let (subject, intro) = if to == "published" {
            ("board-mail-published-subject", "board-mail-published-body")
        } else {
            ("board-mail-rejected-subject", "board-mail-rejected-body")
        };
        let mut body = format!(
            "{}\n\n{}\n",
            tr.t("mail-hello-anonymous"),
            tr.ts(intro, "title", &title)
        );
        if !note.is_empty() {
            body.push_str(&format!("\n{}\n{note}\n", tr.t("board-mail-note")));
        }
        body.push_str(&format!("\n{base}/annonces\n"));
        crate::outbox::enqueue(
            &mut tx,
            &NewMail {
                kind: "board_moderation",
                to: email,
                reply_to: None,
                subject: tr.ts(subject, "title", &title),
                body_text: body,
            },
        )
        .await?;
    }
    tx.commit().await?;
    state.mail_notify.notify_one();
    Ok(Redirect::to("/admin/annonces?fait=1").into_response())
}
