//! Handlers of the coordination view: the table of this programme's open
//! figures beside those of the programmes followed, and the manager's
//! list of followed programmes (follow, refresh now, stop following).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{self, Figure, Row};
use super::store::{self, Followed};
use crate::dashboard::charts::{self, Bar};
use crate::dashboard::model::{Filter, Indicator};
use crate::dashboard::report;
use crate::federation::model::{feed_url, FeedError};
use crate::federation::pages::freshness;
use crate::kernel::bilingual::Bilingual;
use crate::state::AppState;
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

/// A programme's column: its name and how fresh its figures are.
pub struct Column {
    pub name: String,
    pub status: String,
    /// The followed programme's id (None for this programme).
    pub id: Option<i64>,
    pub url: String,
    pub error: Option<FeedError>,
}

/// This instance's programmes side by side, and the instance as a whole
/// with each business counted once (shown when it runs several).
pub struct Local {
    /// The programmes' names, then the instance's column.
    pub names: Vec<String>,
    /// Per funnel stage: its label, then one figure per column.
    pub rows: Vec<(String, &'static str, Vec<i64>)>,
}

#[derive(Template)]
#[template(path = "coordination/page.html")]
struct CoordinationPage {
    ctx: PageCtx,
    local: Option<Local>,
    columns: Vec<Column>,
    rows: Vec<Row>,
    chart: String,
    form: FollowForm,
    errors: Violations,
    notice: Option<String>,
}

impl CoordinationPage {
    fn label(&self, r: &Row) -> String {
        Bilingual {
            fr: &r.label_fr,
            en: &r.label_en,
        }
        .get(self.ctx.tr.0)
        .to_string()
    }
    fn value(&self, v: &Option<i64>) -> String {
        v.map(|n| self.ctx.tr.0.format_int(n))
            .unwrap_or_else(|| "—".into())
    }
    fn int(&self, v: &i64) -> String {
        self.ctx.tr.0.format_int(*v)
    }
    fn total(&self, r: &Row) -> String {
        self.ctx.tr.0.format_int(r.total())
    }
}

/// The follow form as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct FollowForm {
    pub url: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NoticeQuery {
    suivi: Option<String>,
    erreur: Option<String>,
}

/// The funnel of each programme of this instance, each under its own
/// rules, and of the whole instance under the current programme's rules,
/// a business reached by two programmes counting once.
async fn local(state: &AppState, ctx: &PageCtx) -> Result<Option<Local>, AppError> {
    // A reader limited to the programme they fund sees no other here.
    if !ctx.may_choose() {
        return Ok(None);
    }
    let hide = crate::dashboard::pages::hides_small(ctx);
    let mut names = vec![];
    let mut columns: Vec<Vec<i64>> = vec![];
    let funnel = |r: &crate::dashboard::report::Report| -> Vec<i64> {
        Indicator::FUNNEL
            .iter()
            .map(|i| r.value(*i).round() as i64)
            .collect()
    };
    for c in ctx.choices.iter() {
        let info = crate::programme::load(&state.db, Some(c.id)).await?;
        let filter = Filter {
            programme: Some(c.id),
            ..Default::default()
        };
        let r = report::build(&state.db, &state.facts, &info, ctx.tr, filter, hide).await?;
        names.push(c.name.clone());
        columns.push(funnel(&r));
    }
    let filter = Filter {
        every_programme: true,
        ..Default::default()
    };
    let r = report::build(
        &state.db,
        &state.facts,
        &ctx.programme,
        ctx.tr,
        filter,
        hide,
    )
    .await?;
    names.push(ctx.tr.t("coord-instance"));
    columns.push(funnel(&r));
    let rows = Indicator::FUNNEL
        .iter()
        .enumerate()
        .map(|(n, i)| {
            (
                ctx.tr.t(i.label_key()),
                i.code(),
                columns.iter().map(|c| c[n]).collect(),
            )
        })
        .collect();
    Ok(Some(Local { names, rows }))
}

/// This programme's open figures, as another programme reads them.
async fn own_figures(state: &AppState) -> Result<Vec<Figure>, AppError> {
    Ok(crate::opendata::pages::indicator_items(state)
        .await?
        .into_iter()
        .map(|i| Figure {
            id: i.id.into_owned(),
            label_fr: i.label_fr,
            label_en: i.label_en,
            value: i.value,
        })
        .collect())
}

fn status(ctx: &PageCtx, f: &Followed) -> String {
    freshness(ctx, f.error(), f.last_success_at, |date| {
        ctx.tr.ts("coord-as-of", "date", date)
    })
}

async fn build(
    state: &AppState,
    ctx: PageCtx,
    form: FollowForm,
    errors: Violations,
    notice: Option<String>,
) -> Result<CoordinationPage, AppError> {
    let tr = ctx.tr;
    let local = local(state, &ctx).await?;
    let here = own_figures(state).await?;
    let followed = store::all(&state.db).await?;
    let theirs: Vec<Vec<Figure>> = followed.iter().map(Followed::figures).collect();
    let mut columns = vec![Column {
        name: ctx.programme.name.clone(),
        status: tr.t("coord-live"),
        id: None,
        url: String::new(),
        error: None,
    }];
    columns.extend(followed.iter().map(|f| Column {
        name: f.name(),
        status: status(&ctx, f),
        id: Some(f.id),
        url: f.url.clone(),
        error: f.error(),
    }));
    let mut all: Vec<&[Figure]> = vec![&here];
    all.extend(theirs.iter().map(Vec::as_slice));
    let rows = model::table(&all);
    // Businesses made aware per programme, as bars.
    let aware = rows.iter().find(|r| r.id == "funnel_aware");
    let bars: Vec<Bar> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let v = aware.and_then(|r| r.values[i]);
            Bar {
                label: c.name.clone(),
                value: v.map(|n| n as f64),
                text: v.map(|n| tr.0.format_int(n)).unwrap_or_else(|| "—".into()),
            }
        })
        .collect();
    let chart = charts::bars("chart-coordination", &tr.t("coord-chart"), &bars);
    Ok(CoordinationPage {
        ctx,
        local,
        columns,
        rows,
        chart,
        form,
        errors,
        notice,
    })
}

/// `GET /tableau-de-bord/coordination`
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let notice = match (q.suivi, q.erreur) {
        (_, Some(code)) => FeedError::parse(&code).map(|e| ctx.tr.t(e.label_key())),
        (Some(_), None) => Some(ctx.tr.t("coord-followed")),
        _ => None,
    };
    let p = build(
        &state,
        ctx,
        FollowForm::default(),
        Violations::default(),
        notice,
    )
    .await?;
    Ok(page(&p))
}

/// `POST /tableau-de-bord/coordination/suivre`: follow, then read once.
pub async fn follow(
    State(state): State<AppState>,
    ctx: PageCtx,
    WebForm(form): WebForm<FollowForm>,
) -> Result<Response, AppError> {
    let mut errors = Violations::default();
    let url = match feed_url(&form.url, state.config.base_url.as_str()) {
        Ok(u) => Some(u),
        Err(key) => {
            errors.add("url", key, None);
            None
        }
    };
    let id = match &url {
        Some(url) => {
            let id = store::insert(&state.db, url.as_str()).await?;
            if id.is_none() {
                errors.add("url", "coord-error-duplicate", None);
            }
            id
        }
        None => None,
    };
    if let Some(id) = id {
        // This programme's own address (under another name) is not followed.
        let followed = store::one(&state.db, id).await?.ok_or(AppError::NotFound)?;
        match super::refresh(&state.db, &followed, Default::default()).await? {
            Err(FeedError::SelfFeed) => {
                store::delete(&state.db, id).await?;
                errors.add("url", "coord-error-self", None);
            }
            outcome => return Ok(Redirect::to(&back_to(outcome)).into_response()),
        }
    }
    let p = build(&state, ctx, form, errors, None).await?;
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
}

/// Where a refresh sends the manager back: the page with its outcome.
fn back_to(outcome: Result<usize, FeedError>) -> String {
    match outcome {
        Ok(_) => "/tableau-de-bord/coordination?suivi=1".to_string(),
        Err(e) => format!("/tableau-de-bord/coordination?erreur={}", e.code()),
    }
}

async fn after_refresh(state: &AppState, id: i64) -> Result<Response, AppError> {
    let followed = store::one(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let outcome = super::refresh(&state.db, &followed, Default::default()).await?;
    Ok(Redirect::to(&back_to(outcome)).into_response())
}

/// `POST /tableau-de-bord/coordination/{id}/actualiser`
pub async fn refresh(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    after_refresh(&state, id).await
}

/// `POST /tableau-de-bord/coordination/{id}/supprimer`
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    if !store::delete(&state.db, id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/tableau-de-bord/coordination").into_response())
}
