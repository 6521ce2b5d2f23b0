//! `GET /communes?q=`: the commune search, as a page or as suggestions.

use askama::Template;
use axum::extract::Query;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::model;
use crate::web::{page, AppError, PageCtx};

/// Most communes listed.
const LIMIT: usize = 50;

/// The query.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SearchQuery {
    q: String,
    format: String,
}

/// A commune found.
#[derive(Debug, Serialize)]
pub struct Found {
    pub code: String,
    pub label: String,
    pub name: String,
    pub postcodes: String,
    pub parent: String,
}

#[derive(Template)]
#[template(path = "communes/search.html")]
struct SearchPage {
    ctx: PageCtx,
    q: String,
    found: Vec<Found>,
}

/// `GET /communes?q=saint emilion` (or a postcode); `format=json` for the
/// suggestions of commune fields.
pub async fn search(ctx: PageCtx, Query(query): Query<SearchQuery>) -> Result<Response, AppError> {
    let found: Vec<Found> = model::search(&query.q, LIMIT)
        .into_iter()
        .map(|c| Found {
            code: c.code.clone(),
            label: c.label(),
            name: c.name.clone(),
            postcodes: c.postcodes.join(", "),
            parent: c.parent.clone(),
        })
        .collect();
    if query.format == "json" {
        return Ok(Json(found).into_response());
    }
    Ok(page(&SearchPage {
        ctx,
        q: query.q,
        found,
    }))
}
