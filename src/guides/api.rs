//! `/api/v1/guides`: published practical guides as JSON (open data under
//! the programme's licence), filtered like the public list.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::markdown;
use super::packed::{export_text, unpack};
use super::store::{self, Filter};
use crate::api::businesses::unavailable;
use crate::i18n::{Locale, Tr};
use crate::state::AppState;
use crate::web::ctx::Lang;

/// A guide in the API.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiGuide {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub level: String,
    pub reading_minutes: i64,
    pub themes: Vec<String>,
    pub sectors: Vec<String>,
    pub sizes: Vec<String>,
    pub territories: Vec<String>,
    /// The Markdown source in the request's language.
    pub body_markdown: String,
    pub version: i64,
    pub reads: i64,
    pub useful_yes: i64,
    pub useful_no: i64,
    pub url: String,
}

/// Filters.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ApiQuery {
    theme: String,
    sector: String,
    q: String,
}

/// `GET /api/v1/guides`: every published guide (language from `Accept-Language` or `?lang`).
#[utoipa::path(get, path = "/api/v1/guides", operation_id = "list_guides",
    params(("theme" = Option<String>, Query, description = "theme slug"), ("sector" = Option<String>, Query), ("q" = Option<String>, Query)),
    responses((status = 200, body = Vec<ApiGuide>)))]
pub async fn list(
    State(state): State<AppState>,
    Lang(locale): Lang,
    Query(q): Query<ApiQuery>,
) -> Response {
    let tr = Tr(locale);
    let en = locale == Locale::En;
    let words = crate::text::fold(&q.q)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let f = Filter {
        theme: q.theme.trim(),
        sector: q.sector.trim(),
        territories: vec![],
        words,
    };
    match store::published(&state.db, &f).await {
        Ok(rows) => Json(
            rows.iter()
                .map(|g| {
                    let body = if en { &g.body_en } else { &g.body_fr };
                    ApiGuide {
                        slug: g.slug.clone(),
                        title: if en { &g.title_en } else { &g.title_fr }.clone(),
                        summary: if en { &g.summary_en } else { &g.summary_fr }.clone(),
                        level: g.level.clone(),
                        reading_minutes: markdown::reading_minutes(body),
                        themes: unpack(&g.themes),
                        sectors: unpack(&g.sectors),
                        sizes: unpack(&g.sizes),
                        territories: unpack(&g.territories),
                        body_markdown: body.clone(),
                        version: g.version,
                        reads: g.reads,
                        useful_yes: g.useful_yes,
                        useful_no: g.useful_no,
                        url: crate::kernel::links::absolute_str(
                            state.config.base_url.as_str(),
                            &format!("/fiches/{}", g.slug),
                        ),
                    }
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => unavailable(tr, e),
    }
}

/// `GET /fiches/export.csv`: published guides as open data (one row per guide).
pub async fn export_csv(State(state): State<AppState>, Lang(locale): Lang) -> Response {
    let tr = Tr(locale);
    let rows = match store::published(&state.db, &Filter::default()).await {
        Ok(r) => r,
        Err(e) => return unavailable(tr, e),
    };
    let cell = crate::csvio::cell;
    let mut out = String::from(
        "slug;title_fr;title_en;summary_fr;summary_en;level;themes;sectors;sizes;territories;version;reads;useful_yes;useful_no\r\n",
    );
    for g in &rows {
        out.push_str(
            &[
                cell(&g.slug),
                cell(&g.title_fr),
                cell(&g.title_en),
                cell(&g.summary_fr),
                cell(&g.summary_en),
                cell(&g.level),
                cell(&export_text(&g.themes)),
                cell(&export_text(&g.sectors)),
                cell(&export_text(&g.sizes)),
                cell(&export_text(&g.territories)),
                g.version.to_string(),
                g.reads.to_string(),
                g.useful_yes.to_string(),
                g.useful_no.to_string(),
            ]
            .join(";"),
        );
        out.push_str("\r\n");
    }
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"fiches-pratiques.csv\"",
            ),
        ],
        out,
    )
        .into_response()
}
