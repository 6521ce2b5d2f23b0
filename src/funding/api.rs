//! `/api/v1/funding-schemes`: open schemes as JSON (open data under the
//! programme's licence), and a scheme's eligibility for one business
//! (staff tokens, or the business's own).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::model::{evaluate, overall, Check};
use super::store::{self, Filter, SchemeRow};
use crate::api::businesses::{may_access, not_found, unavailable, Api};
use crate::guides::packed::{export_text, unpack};
use crate::i18n::Tr;
use crate::kernel::dates;
use crate::state::AppState;
use crate::web::ctx::Lang;

/// A scheme in the API.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiScheme {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub aid_types: Vec<String>,
    pub audiences: Vec<String>,
    pub stages: Vec<String>,
    pub recurrence: String,
    pub opens_on: String,
    pub closes_on: String,
    pub closes_soon: bool,
    pub backers: String,
    pub instructor: String,
    pub perimeter: String,
    pub themes: Vec<String>,
    pub rate_pct: Option<i64>,
    pub cap_cents: Option<i64>,
    pub floor_cents: Option<i64>,
    /// Eligibility rules, one a line.
    pub rules: Vec<String>,
    pub link: String,
    pub url: String,
}

fn to_api(s: &SchemeRow, tr: Tr, today: &str, base: &str) -> ApiScheme {
    ApiScheme {
        slug: s.slug.clone(),
        title: s.title(tr.0).to_string(),
        summary: s.summary(tr.0).to_string(),
        aid_types: unpack(&s.aid_types),
        audiences: unpack(&s.audiences),
        stages: unpack(&s.stages),
        recurrence: s.recurrence.clone(),
        opens_on: s.opens_on.clone(),
        closes_on: s.closes_on.clone(),
        closes_soon: super::model::closes_soon(&s.closes_on, today),
        backers: s.backers.clone(),
        instructor: s.instructor.clone(),
        perimeter: s.perimeter_code.clone(),
        themes: unpack(&s.themes),
        rate_pct: s.rate_pct,
        cap_cents: s.cap_cents,
        floor_cents: s.floor_cents,
        rules: s.rules().iter().map(|r| r.to_line()).collect(),
        link: s.link.clone(),
        url: crate::kernel::links::absolute_str(base, &format!("/aides/{}", s.slug)),
    }
}

/// Filters.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ApiQuery {
    theme: String,
    #[serde(rename = "type")]
    aid_type: String,
}

pub(crate) async fn today(state: &AppState) -> (String, jiff::tz::TimeZone) {
    let programme = state.programme_or_default().await;
    let tz = dates::zone(&programme.timezone);
    (dates::date_input(&tz, crate::db::now_ms()), tz)
}

/// `GET /api/v1/funding-schemes`: published schemes still open.
#[utoipa::path(get, path = "/api/v1/funding-schemes", operation_id = "list_funding_schemes",
    params(("theme" = Option<String>, Query, description = "theme slug"), ("type" = Option<String>, Query, description = "aid type code")),
    responses((status = 200, body = Vec<ApiScheme>)))]
pub async fn list(
    State(state): State<AppState>,
    Lang(locale): Lang,
    Query(q): Query<ApiQuery>,
) -> Response {
    let tr = Tr(locale);
    let (today, _) = today(&state).await;
    let f = Filter {
        theme: q.theme.trim(),
        aid_type: q.aid_type.trim(),
        today: &today,
        ..Default::default()
    };
    match store::published(&state.db, &f).await {
        Ok(rows) => Json(
            rows.iter()
                .map(|s| to_api(s, tr, &today, state.config.base_url.as_str()))
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => unavailable(tr, e),
    }
}

/// One rule's outcome.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiCheck {
    pub rule: String,
    /// `met`, `not_met` or `unknown`.
    pub outcome: String,
    /// What is missing, in the request's language.
    pub missing: Option<String>,
}

/// A scheme's eligibility for a business.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiEligibility {
    pub scheme: String,
    pub business_id: i64,
    pub outcome: String,
    pub checks: Vec<ApiCheck>,
}

/// Which business.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EligibilityQuery {
    business: i64,
}

/// `GET /api/v1/funding-schemes/{slug}/eligibility?business=ID`
#[utoipa::path(get, path = "/api/v1/funding-schemes/{slug}/eligibility", operation_id = "funding_scheme_eligibility",
    params(("slug" = String, Path, description = "scheme slug"), ("business" = i64, Query, description = "business id")),
    responses((status = 200, body = ApiEligibility), (status = 404, body = crate::web::problem::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn eligibility(
    State(state): State<AppState>,
    Api(c, tr): Api,
    Path(slug): Path<String>,
    Query(q): Query<EligibilityQuery>,
) -> Response {
    match may_access(&state, &c, q.business).await {
        Ok(true) => {}
        Ok(false) => return not_found(tr),
        Err(e) => return unavailable(tr, e),
    }
    let (today, tz) = today(&state).await;
    let scheme = match store::by_slug(&state.db, &slug).await {
        Ok(Some(s)) if s.is_published() => s,
        Ok(_) => return not_found(tr),
        Err(e) => return unavailable(tr, e),
    };
    let facts = match store::facts(
        &state.db,
        &state.directory.snapshot,
        q.business,
        &today,
        &tz,
    )
    .await
    {
        Ok(Some(f)) => f,
        Ok(None) => return not_found(tr),
        Err(e) => return unavailable(tr, e),
    };
    let checks: Vec<Check> = scheme.rules().iter().map(|r| evaluate(r, &facts)).collect();
    Json(ApiEligibility {
        scheme: scheme.slug.clone(),
        business_id: q.business,
        outcome: overall(&checks).code().to_string(),
        checks: checks
            .iter()
            .map(|c| ApiCheck {
                rule: c.rule.to_line(),
                outcome: c.outcome.code().to_string(),
                missing: c.missing_key.map(|k| tr.t(k)),
            })
            .collect(),
    })
    .into_response()
}

/// `GET /aides/export.csv`: open schemes as open data, in the columns the
/// catalogue import reads back.
pub async fn export_csv(State(state): State<AppState>, Lang(locale): Lang) -> Response {
    let tr = Tr(locale);
    let (today, _) = today(&state).await;
    let f = Filter {
        today: &today,
        ..Default::default()
    };
    let rows = match store::published(&state.db, &f).await {
        Ok(r) => r,
        Err(e) => return unavailable(tr, e),
    };
    let cell = crate::csvio::cell;
    let mut out = String::from(
        "slug;title_fr;title_en;summary_fr;summary_en;aid_types;audiences;stages;recurrence;opens_on;closes_on;backers;instructor;perimeter;themes;rate_pct;cap;floor;rules;link\r\n",
    );
    for s in &rows {
        let euros = |c: Option<i64>| {
            c.map(|c| format!("{}.{:02}", c / 100, c % 100))
                .unwrap_or_default()
        };
        out.push_str(
            &[
                cell(&s.slug),
                cell(&s.title_fr),
                cell(&s.title_en),
                cell(&s.summary_fr),
                cell(&s.summary_en),
                cell(&export_text(&s.aid_types)),
                cell(&export_text(&s.audiences)),
                cell(&export_text(&s.stages)),
                cell(&s.recurrence),
                cell(&s.opens_on),
                cell(&s.closes_on),
                cell(&s.backers),
                cell(&s.instructor),
                cell(&s.perimeter_code),
                cell(&export_text(&s.themes)),
                s.rate_pct.map(|r| r.to_string()).unwrap_or_default(),
                euros(s.cap_cents),
                euros(s.floor_cents),
                cell(&s.rules.replace('\n', "|")),
                cell(&s.link),
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
                "attachment; filename=\"aides.csv\"",
            ),
        ],
        out,
    )
        .into_response()
}
