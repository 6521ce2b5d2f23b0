//! Handlers of the federated agenda: the manager's list of feeds (add,
//! refresh now, remove) and the events shown on the public agenda.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::fetch::{self, Limits};
use super::model;
use super::store::{self, Feed};
use crate::db::{now_ms, Db};
use crate::kernel::dates;
use crate::state::AppState;
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

/// An event of another agenda as the public agenda shows it.
#[derive(Debug, Clone)]
pub struct Shown {
    pub title: String,
    pub when: String,
    pub location: String,
    pub url: String,
    pub cancelled: bool,
    pub source: String,
    pub source_url: String,
    pub refreshed: String,
}

/// Upcoming federated events for the agenda page (the first 20).
pub async fn for_agenda(db: &Db, ctx: &PageCtx) -> Result<Vec<Shown>, AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let rows = store::upcoming(db, now_ms(), 20).await?;
    Ok(rows
        .into_iter()
        .map(|r| Shown {
            when: dates::span(ctx.tr, &tz, r.starts_at, r.ends_at),
            refreshed: r.refreshed_at.map(|t| ctx.datetime(t)).unwrap_or_default(),
            title: r.title,
            location: r.location,
            url: r.url,
            cancelled: r.cancelled != 0,
            source: r.source,
            source_url: r.source_url,
        })
        .collect())
}

#[derive(Template)]
#[template(path = "federation/admin.html")]
struct AdminPage {
    ctx: PageCtx,
    feeds: Vec<Feed>,
    form: FeedForm,
    errors: Violations,
    notice: Option<String>,
}

/// How fresh a copy fetched from elsewhere is: the last error with the
/// date of the copy kept, or `ok` said of the last success's date.
pub fn freshness(
    ctx: &PageCtx,
    error: Option<model::FeedError>,
    last_success_at: Option<i64>,
    ok: impl FnOnce(&str) -> String,
) -> String {
    let tr = ctx.tr;
    match (error, last_success_at) {
        (Some(e), Some(at)) => format!(
            "{} {}",
            tr.t(e.label_key()),
            tr.ts("fed-kept-since", "date", &ctx.datetime(at))
        ),
        (Some(e), None) => tr.t(e.label_key()),
        (None, Some(at)) => ok(&ctx.datetime(at)),
        (None, None) => tr.t("fed-never"),
    }
}

impl AdminPage {
    fn status(&self, f: &Feed) -> String {
        freshness(&self.ctx, f.error(), f.last_success_at, |date| {
            self.ctx.tr.args(
                "fed-ok",
                &[("count", &f.event_count.to_string()), ("date", date)],
            )
        })
    }
}

/// The add-a-feed form as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct FeedForm {
    pub name: String,
    pub url: String,
    pub site_url: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NoticeQuery {
    ajout: Option<String>,
    erreur: Option<String>,
}

async fn admin_page(
    db: &Db,
    ctx: PageCtx,
    form: FeedForm,
    errors: Violations,
    notice: Option<String>,
) -> Result<AdminPage, AppError> {
    Ok(AdminPage {
        feeds: store::feeds(db).await?,
        ctx,
        form,
        errors,
        notice,
    })
}

/// `GET /admin/agendas-federes`
pub async fn admin(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let notice = match (q.ajout, q.erreur) {
        (_, Some(code)) => model::FeedError::parse(&code).map(|e| ctx.tr.t(e.label_key())),
        (Some(_), None) => Some(ctx.tr.t("fed-added")),
        _ => None,
    };
    let p = admin_page(&db, ctx, FeedForm::default(), Violations::default(), notice).await?;
    Ok(page(&p))
}

/// `POST /admin/agendas-federes`: subscribe, then fetch once right away.
pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    WebForm(form): WebForm<FeedForm>,
) -> Result<Response, AppError> {
    let mut errors = Violations::default();
    let name = errors.text("name", &form.name, 1, 120);
    let url = match model::feed_url(&form.url, state.config.base_url.as_str()) {
        Ok(u) => Some(u),
        Err(key) => {
            errors.add("url", key, None);
            None
        }
    };
    let site = form.site_url.trim();
    let site_ok = site.is_empty()
        || url::Url::parse(site).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
    if !site_ok {
        errors.add("site_url", "fed-error-url", None);
    }
    let (Some(url), true) = (url, errors.is_empty()) else {
        let p = admin_page(&state.db, ctx, form, errors, None).await?;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    };
    let site_url = if site.is_empty() {
        url.origin().ascii_serialization()
    } else {
        site.to_string()
    };
    let Some(id) = store::insert_feed(&state.db, &name, url.as_str(), &site_url).await? else {
        errors.add("url", "fed-error-duplicate", None);
        let p = admin_page(&state.db, ctx, form, errors, None).await?;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    };
    after_refresh(&state, id).await
}

async fn after_refresh(state: &AppState, id: i64) -> Result<Response, AppError> {
    let feed = store::feed(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let programme = state.programme_or_default().await;
    let outcome = fetch::refresh(&state.db, &feed, &programme.timezone, Limits::default()).await?;
    let to = match outcome {
        Ok(_) => "/admin/agendas-federes?ajout=1".to_string(),
        Err(e) => format!("/admin/agendas-federes?erreur={}", e.code()),
    };
    Ok(Redirect::to(&to).into_response())
}

/// `POST /admin/agendas-federes/{id}/actualiser`
pub async fn refresh(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    after_refresh(&state, id).await
}

/// `POST /admin/agendas-federes/{id}/supprimer`
pub async fn delete(State(db): State<Db>, Path(id): Path<i64>) -> Result<Response, AppError> {
    if !store::delete_feed(&db, id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/admin/agendas-federes").into_response())
}
