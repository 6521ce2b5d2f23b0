//! The programme manager's page of search synonyms
//! (`/admin/annuaire/synonymes`): the list in force, editable as text,
//! checked line by line before it is saved.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::synonyms::{self, LineError};
use crate::state::AppState;
use crate::web::forms::WebForm;
use crate::web::{page, render, AppError, PageCtx};

#[derive(Template)]
#[template(path = "directory/synonyms.html")]
struct SynonymsPage {
    ctx: PageCtx,
    body: String,
    /// True while the shipped list is in force.
    shipped: bool,
    groups: usize,
    errors: Vec<LineError>,
    notice: Option<String>,
}

/// Flags after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Flags {
    fait: String,
}

/// `GET /admin/annuaire/synonymes`
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(flags): Query<Flags>,
) -> Result<Response, AppError> {
    let stored = synonyms::stored(&state.db).await?;
    let shipped = stored.is_none();
    let body = stored
        .map(|s| s.body)
        .unwrap_or_else(|| synonyms::DEFAULT.to_string());
    let groups = synonyms::parse(&body).map(|s| s.groups).unwrap_or(0);
    let notice = (flags.fait == "saved").then(|| ctx.tr.t("dir-syn-saved"));
    Ok(page(&SynonymsPage {
        ctx,
        body,
        shipped,
        groups,
        errors: vec![],
        notice,
    }))
}

/// What the form sends.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SynonymsForm {
    body: String,
    /// `reset` puts the shipped list back.
    action: String,
}

/// `POST /admin/annuaire/synonymes`
pub async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    WebForm(form): WebForm<SynonymsForm>,
) -> Result<Response, AppError> {
    let body = if form.action == "reset" {
        synonyms::DEFAULT.to_string()
    } else {
        form.body.replace("\r\n", "\n")
    };
    if body.len() > 60_000 {
        let p = SynonymsPage {
            ctx,
            body,
            shipped: false,
            groups: 0,
            errors: vec![(synonyms::MAX_LINES + 1, "dir-syn-too-many-lines")],
            notice: None,
        };
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    }
    if let Err(errors) = synonyms::parse(&body) {
        let p = SynonymsPage {
            ctx,
            body,
            shipped: false,
            groups: 0,
            errors,
            notice: None,
        };
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    }
    let by = ctx.user.as_ref().map(|u| u.id);
    synonyms::save(&state.db, &body, by).await?;
    // Searches cached on this server were made with the old list.
    state.directory.forget();
    Ok(Redirect::to("/admin/annuaire/synonymes?fait=saved").into_response())
}
