//! `/api/v1/testimonies`: published testimonies whose consent is recorded,
//! as JSON (the same items as the open-data documents). Nothing about the
//! consent itself (who gave it) leaves the programme.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::model::unpack;
use super::store::{self, TestimonyRow};
use crate::api::businesses::unavailable;
use crate::i18n::Tr;
use crate::kernel::links::absolute_str;
use crate::opendata::pages::iso_utc;
use crate::state::AppState;
use crate::web::ctx::Lang;

/// A testimony as published.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiTestimony {
    pub id: i64,
    pub title: String,
    /// Who tells the story.
    pub author: String,
    /// The business's name, empty when the story names none.
    pub business: String,
    /// Language of the story (`fr` or `en`).
    pub locale: String,
    /// Plain text; a blank line separates paragraphs.
    pub body: String,
    /// Theme slugs.
    pub themes: Vec<String>,
    /// An https link, empty when there is no video.
    pub video_url: String,
    pub transcript: String,
    /// The photo, present only when its publication was agreed to.
    pub photo_url: Option<String>,
    /// Maturity scores (0–100) before and after a closed follow-up file.
    pub score_before: Option<f64>,
    pub score_after: Option<f64>,
    /// ISO 8601, UTC.
    pub published_at: Option<String>,
    pub updated_at: String,
    pub url: String,
}

impl ApiTestimony {
    /// The published form of a stored testimony (see [`store::visible`]).
    pub fn of(t: &TestimonyRow, base: &str) -> ApiTestimony {
        ApiTestimony {
            id: t.id,
            title: t.title.clone(),
            author: t.author_name.clone(),
            business: t.business_name.clone(),
            locale: t.locale.clone(),
            body: t.body.clone(),
            themes: unpack(&t.themes),
            video_url: t.video_url.clone(),
            transcript: t.transcript.clone(),
            photo_url: t
                .photo_shown()
                .then(|| absolute_str(base, &format!("/temoignages/{}/photo", t.id))),
            score_before: t.score_before,
            score_after: t.score_after,
            published_at: t.published_at.map(iso_utc),
            updated_at: iso_utc(t.updated_at),
            url: absolute_str(base, &format!("/temoignages/{}", t.id)),
        }
    }
}

/// Every testimony the public pages show, newest first.
pub async fn published(state: &AppState, theme: &str) -> Result<Vec<ApiTestimony>, sqlx::Error> {
    let base = state.config.base_url.as_str();
    Ok(store::visible(&state.db, theme)
        .await?
        .iter()
        .map(|t| ApiTestimony::of(t, base))
        .collect())
}

/// Filters.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ApiQuery {
    theme: String,
}

/// `GET /api/v1/testimonies`: published testimonies with the consent recorded.
#[utoipa::path(get, path = "/api/v1/testimonies", operation_id = "list_testimonies",
    params(("theme" = Option<String>, Query, description = "theme slug")),
    responses((status = 200, description = "Published testimonies, newest first", body = Vec<ApiTestimony>)))]
pub async fn list(
    State(state): State<AppState>,
    Lang(locale): Lang,
    Query(q): Query<ApiQuery>,
) -> Response {
    match published(&state, q.theme.trim()).await {
        Ok(items) => Json(items).into_response(),
        Err(e) => unavailable(Tr(locale), e),
    }
}
