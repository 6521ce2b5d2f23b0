//! The agenda (`/ateliers`) with its filters, and the calendar feed of
//! upcoming sessions (`/ateliers/agenda.ics`).

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::Card;
use crate::db::now_ms;
use crate::i18n::Tr;
use crate::kernel::dates;
use crate::state::AppState;
use crate::web::{page, AppError, PageCtx};
use crate::workshops::cache::FilterOptions;
use crate::workshops::model::{format_choices, AgendaFilter};
use crate::workshops::{listing, mails, store};

/// Sessions per agenda page.
pub const PAGE_SIZE: i64 = 20;

#[derive(Template)]
#[template(path = "workshops/agenda.html")]
struct AgendaPage {
    ctx: PageCtx,
    /// The page's sessions.
    cards: Vec<Card>,
    /// How many sessions match.
    total: i64,
    filter: AgendaFilter,
    options: Arc<FilterOptions>,
    page: i64,
    pages: i64,
    query: String,
    bad_date: bool,
    /// Events of other agendas this programme subscribes to.
    federated: Vec<crate::federation::pages::Shown>,
}

impl AgendaPage {
    fn formats(&self) -> Vec<(&'static str, String)> {
        format_choices(self.ctx.tr)
    }

    fn page_link(&self, n: i64) -> String {
        if self.query.is_empty() {
            format!("/ateliers?page={n}")
        } else {
            format!("/ateliers?{}&page={n}", self.query)
        }
    }

    fn feed_link(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        if !self.filter.theme.is_empty() {
            q.append_pair("theme", &self.filter.theme);
        }
        if !self.filter.territory.is_empty() {
            q.append_pair("territory", &self.filter.territory);
        }
        let q = q.finish();
        if q.is_empty() {
            "/ateliers/agenda.ics".into()
        } else {
            format!("/ateliers/agenda.ics?{q}")
        }
    }
}

/// The filter menus in the visitor's language, cached for a minute.
async fn filter_options(state: &AppState, tr: Tr) -> Result<Arc<FilterOptions>, AppError> {
    let db = &state.db;
    let options = state
        .workshops
        .options
        .get_or_try(tr.lang().to_string(), || async {
            let themes = store::themes_in_use(db, tr.0).await?;
            let territories = store::territories_in_use(db, tr.0)
                .await?
                .into_iter()
                .filter(|(_, _, level)| level != "country")
                .map(|(code, name, level)| {
                    let level = tr.code("setup-level-", &level);
                    (code, format!("{name} ({level})"))
                })
                .collect();
            let sectors = store::sectors_in_use(db, tr.0)
                .await?
                .into_iter()
                .map(|(c, n)| (c.clone(), format!("{c} — {n}")))
                .collect();
            Ok::<_, sqlx::Error>(FilterOptions {
                themes,
                territories,
                sectors,
            })
        })
        .await?;
    Ok(options)
}

/// `GET /ateliers`
pub async fn agenda(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(raw): Query<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let filter = AgendaFilter::from_pairs(&raw);
    let tz = dates::zone(&ctx.programme.timezone);
    let (q, bad_date) = filter.resolve(&tz, now_ms());
    let page_no = filter.page.unwrap_or(1).clamp(1, 10_000);
    let (sessions, total) = listing::agenda(
        &state.db,
        &state.workshops.listing,
        &q,
        PAGE_SIZE,
        (page_no - 1) * PAGE_SIZE,
    )
    .await?;
    let cards = sessions
        .into_iter()
        .map(|s| Card::new(ctx.tr, &tz, s))
        .collect();
    let options = filter_options(&state, ctx.tr).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let query = filter.query();
    let federated = if filter.past() || page_no > 1 {
        vec![]
    } else {
        crate::federation::pages::for_agenda(&state.db, &ctx).await?
    };
    Ok(page(&AgendaPage {
        ctx,
        cards,
        total,
        filter,
        options,
        page: page_no,
        pages,
        query,
        bad_date,
        federated,
    }))
}

/// A calendar body as a response.
pub fn ics_response(body: String, filename: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "public, max-age=300".to_string()),
        ],
        body,
    )
        .into_response()
}

/// Feed filters.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FeedQuery {
    theme: String,
    territory: String,
}

/// `GET /ateliers/agenda.ics`: upcoming sessions (cancelled ones stay so
/// calendars remove them), for the programme, a theme or a territory.
pub async fn feed(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(fq): Query<FeedQuery>,
) -> Result<Response, AppError> {
    let filter = AgendaFilter {
        theme: fq.theme,
        territory: fq.territory,
        ..Default::default()
    };
    let tz = dates::zone(&ctx.programme.timezone);
    let (mut q, _) = filter.resolve(&tz, now_ms());
    q.include_cancelled = true;
    let sessions = store::all_matching(&state.db, &q).await?;
    let base = state.config.base_url.as_str();
    let events: Vec<_> = sessions
        .iter()
        .map(|s| mails::event(s, base, ctx.lang(), false))
        .collect();
    let name = format!("{} — {}", ctx.programme.name, ctx.tr.t("ws-agenda-title"));
    Ok(ics_response(
        crate::ical::calendar(&name, &events),
        "agenda.ics",
    ))
}
