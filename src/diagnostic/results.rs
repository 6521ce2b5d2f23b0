//! After a diagnostic: the results page (scores, radar, comparison, plan,
//! progress since the previous one), extending a quick check, the adviser's
//! notes and the progress page across diagnostics.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;

use super::bank::{Bank, Step};
use super::cache::{Answers, Caches, RenderedKey};
use super::model::{self, Benchmark, Level, Mode};
use super::pages::{base, go_to, load, summary_page, SummaryState};
use super::scoring::{self, PlannedStep, Scores};
use super::store::{self, Diagnostic};
use crate::auth::{CurrentUser, Role};
use crate::db::Db;
use crate::i18n::Locale;
use crate::state::AppState;
use crate::web::forms::WebForm;
use crate::web::{page, AppError, PageCtx};

/// Redirect to the results page of `token`.
pub(super) fn redirect_to_results(token: &str) -> Result<Response, AppError> {
    go_to(&format!("{}/resultats", base(token)))
}

/// Everything the results page and the exports need.
pub struct Computed {
    pub scores: Scores,
    pub plan: Vec<PlannedStep>,
    pub benchmark: Option<Benchmark>,
}

/// Scores, plan and comparison of `d`, read from the database.
pub(super) async fn compute(
    db: &Db,
    caches: &Caches,
    d: &Diagnostic,
    bank: &Bank,
) -> Result<Computed, AppError> {
    let responses = store::responses(db, d.id).await?;
    compute_with(db, caches, d, bank, &responses).await
}

/// Scores, plan and comparison of `d` with these answers.
async fn compute_with(
    db: &Db,
    caches: &Caches,
    d: &Diagnostic,
    bank: &Bank,
    responses: &Answers,
) -> Result<Computed, AppError> {
    // Always recomputed from the answers and the recorded bank version.
    let scores = scoring::score(bank, d.is_full(), responses);
    let plan = scoring::plan(bank, d.is_full(), responses, &scores);
    let benchmark = store::benchmark(db, caches, d).await?;
    Ok(Computed {
        scores,
        plan,
        benchmark,
    })
}

/// A diagnostic and its answers, reused for half a minute once submitted
/// (results pages are viewed again and again; a submitted one no longer changes).
async fn load_submitted(
    db: &Db,
    caches: &Caches,
    token: &str,
) -> Result<(Diagnostic, Arc<Bank>, Arc<Answers>), AppError> {
    if let Some((d, responses)) = caches.submitted(token) {
        let bank = store::bank(db, &d.bank_version).await?;
        return Ok((d, bank, responses));
    }
    let (d, bank) = load(db, token).await?;
    let responses = Arc::new(store::responses(db, d.id).await?);
    if d.is_submitted() {
        caches.keep_submitted(token, &d, &responses);
    }
    Ok((d, bank, responses))
}

/// Theme titles by slug in `locale`, cached for a minute.
pub(super) async fn theme_titles(
    db: &Db,
    caches: &Caches,
    locale: Locale,
) -> Result<Arc<HashMap<String, String>>, AppError> {
    if let Some(map) = caches.theme_titles(locale) {
        return Ok(map);
    }
    let map = Arc::new(store::theme_titles(db, locale).await?);
    caches.keep_theme_titles(locale, &map);
    Ok(map)
}

// ---------------------------------------------------------------- results

/// One line of the results table.
pub struct DimensionRow {
    pub code: String,
    pub title: String,
    pub description: String,
    pub score: Option<f64>,
    pub median: Option<f64>,
    pub q1: Option<f64>,
    pub q3: Option<f64>,
    pub note: String,
}

/// A step of the plan as shown.
pub struct StepView {
    pub title: String,
    pub body: String,
    pub theme_slug: String,
    pub theme_title: String,
    pub dimension: String,
    pub after: Vec<String>,
    /// Where the step leads: workshops, guides, schemes, providers.
    pub helps: super::helps::StepHelps,
    /// What to do instead for each kind with nothing to show: (kind, link, text).
    pub instead: Vec<(&'static str, String, String)>,
}

#[derive(Template)]
#[template(path = "diagnostic/results.html")]
struct ResultsPage {
    ctx: PageCtx,
    token: String,
    overall: Option<f64>,
    level: Option<&'static str>,
    rows: Vec<DimensionRow>,
    radar: String,
    benchmark: Option<(String, usize, f64)>,
    steps: Vec<StepView>,
    quick: bool,
    bank_version: String,
    submitted_at: i64,
    progress: Vec<(String, Option<f64>, Option<f64>)>,
    assisted: bool,
}

impl ResultsPage {
    fn fmt(&self, v: &Option<f64>) -> String {
        match v {
            Some(x) => format!("{:.0}", x),
            None => "—".into(),
        }
    }
    fn when(&self, ms: &i64) -> String {
        self.ctx.datetime(*ms)
    }
    fn delta(&self, before: &Option<f64>, after: &Option<f64>) -> String {
        match (before, after) {
            (Some(b), Some(a)) => format!("{:+.0}", a - b),
            _ => "—".into(),
        }
    }
}

/// Stands for the visitor's CSRF token in a cached page (hex tokens never contain it).
const CSRF_PLACEHOLDER: &str = "csrf-placeholder-not-a-token";

fn html(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// The results page, rendered once per link, language and person for half
/// a minute; the visitor's CSRF token is filled in on every view.
pub async fn results(
    State(state): State<AppState>,
    mut ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let caches = &state.diagnostic;
    let key: RenderedKey = (token.clone(), ctx.lang(), ctx.user.as_ref().map(|u| u.id));
    let csrf = ctx.csrf.clone();
    if let Some(body) = caches.rendered(&key) {
        return Ok(html(body.replace(CSRF_PLACEHOLDER, &csrf)));
    }
    ctx.csrf = Arc::from(CSRF_PLACEHOLDER);
    let (d, bank, responses) = load_submitted(&state.db, caches, &token).await?;
    if !d.is_submitted() {
        return go_to(&format!("{}/recapitulatif", base(&token)));
    }
    let c = compute_with(&state.db, caches, &d, &bank, &responses).await?;
    let page = results_page(&state, ctx, &token, &d, &bank, &c).await?;
    let body: Arc<str> = match page.render() {
        Ok(b) => Arc::from(b),
        Err(e) => return Err(AppError::Internal(anyhow::anyhow!("template error: {e}"))),
    };
    caches.keep_rendered(key, &body);
    Ok(html(body.replace(CSRF_PLACEHOLDER, &csrf)))
}

/// The results page of a submitted diagnostic.
async fn results_page(
    state: &AppState,
    ctx: PageCtx,
    token: &str,
    d: &Diagnostic,
    bank: &Bank,
    c: &Computed,
) -> Result<ResultsPage, AppError> {
    let (db, caches) = (&state.db, &state.diagnostic);
    let tr = ctx.tr;
    let locale = tr.0;
    // Only assisted diagnostics carry an adviser's notes.
    let notes = if d.is_assisted() {
        store::notes(db, d.id).await?
    } else {
        HashMap::new()
    };
    let rows: Vec<DimensionRow> = bank
        .dimensions
        .iter()
        .map(|dim| {
            let q = c.benchmark.as_ref().and_then(|b| b.of_dimension(&dim.code));
            DimensionRow {
                code: dim.code.clone(),
                title: dim.title(locale).to_string(),
                description: dim.description(locale).to_string(),
                score: c.scores.of(&dim.code),
                median: q.map(|q| q.median),
                q1: q.map(|q| q.q1),
                q3: q.map(|q| q.q3),
                note: notes.get(&dim.code).cloned().unwrap_or_default(),
            }
        })
        .collect();
    let labels: Vec<String> = rows.iter().map(|r| r.title.clone()).collect();
    let values: Vec<f64> = rows.iter().map(|r| r.score.unwrap_or(0.0)).collect();
    let medians: Option<Vec<f64>> = c
        .benchmark
        .as_ref()
        .map(|_| rows.iter().map(|r| r.median.unwrap_or(0.0)).collect());
    let radar = super::radar::svg(
        &labels,
        &values,
        medians.as_deref(),
        &tr.t("diag-radar-title"),
    );
    let themes = theme_titles(db, caches, locale).await?;
    let plan_themes: BTreeSet<String> = c
        .plan
        .iter()
        .filter_map(|p| bank.step(&p.code).map(|s| s.theme.clone()))
        .collect();
    let timezone = &ctx.programme.timezone;
    let helps = super::helps::load(state, d, &plan_themes, tr, timezone).await?;
    let steps = plan_view(bank, &c.plan, &themes, &helps, tr);
    let progress = progress_since_previous(db, d, &rows).await?;
    Ok(ResultsPage {
        token: token.to_string(),
        overall: c.scores.overall,
        level: c.scores.overall.map(|o| Level::of(o).code()),
        rows,
        radar,
        benchmark: c
            .benchmark
            .as_ref()
            .map(|b| (tr.t(b.group.label_key()), b.size, b.overall.median)),
        steps,
        quick: d.mode == Mode::Quick,
        bank_version: d.bank_version.clone(),
        submitted_at: d.taken_at(),
        progress,
        assisted: d.is_assisted(),
        ctx,
    })
}

/// The plan's steps as shown, each with the planned steps it comes after.
fn plan_view(
    bank: &Bank,
    plan: &[PlannedStep],
    themes: &HashMap<String, String>,
    helps: &HashMap<String, super::helps::StepHelps>,
    tr: crate::i18n::Tr,
) -> Vec<StepView> {
    let locale = tr.0;
    let planned: BTreeSet<&str> = plan.iter().map(|p| p.code.as_str()).collect();
    plan.iter()
        .filter_map(|p| {
            let s: &Step = bank.step(&p.code)?;
            let h = helps.get(&s.theme).cloned().unwrap_or_default();
            Some(StepView {
                instead: h.instead(tr, &s.theme),
                helps: h,
                title: s.title(locale).to_string(),
                body: s.body(locale).to_string(),
                theme_slug: s.theme.clone(),
                theme_title: themes
                    .get(&s.theme)
                    .cloned()
                    .unwrap_or_else(|| s.theme.clone()),
                dimension: bank
                    .dimension(&s.dimension)
                    .map(|x| x.title(locale).to_string())
                    .unwrap_or_default(),
                after: s
                    .requires
                    .iter()
                    .filter(|r| planned.contains(r.as_str()))
                    .filter_map(|r| bank.step(r).map(|x| x.title(locale).to_string()))
                    .collect(),
            })
        })
        .collect()
}

/// Per dimension (title, previous score, this score) since the previous
/// diagnostic of the same business (or person). An anonymous diagnostic has no series.
async fn progress_since_previous(
    db: &Db,
    d: &Diagnostic,
    rows: &[DimensionRow],
) -> Result<Vec<(String, Option<f64>, Option<f64>)>, AppError> {
    if d.business_id.is_none() && d.user_id.is_none() {
        return Ok(vec![]);
    }
    let person = if d.business_id.is_none() {
        d.user_id
    } else {
        None
    };
    let series = store::series(db, d.business_id, person).await?;
    let previous = series
        .iter()
        .rfind(|x| x.id != d.id && x.submitted_at < d.submitted_at);
    Ok(match previous.and_then(|p| p.scores.clone()) {
        Some(prev) => rows
            .iter()
            .map(|r| (r.title.clone(), prev.of(&r.code), r.score))
            .collect(),
        None => vec![],
    })
}

// ---------------------------------------------------------------- deepen

/// Turn a quick check into the full assessment and go to the first unanswered question.
pub async fn deepen(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    state.diagnostic.forget(&token);
    let (d, bank) = load(&state.db, &token).await?;
    if !d.is_full() {
        store::extend(&state.db, d.id).await?;
    }
    let responses = store::responses(&state.db, d.id).await?;
    let first_missing = bank
        .questions_for(true)
        .iter()
        .position(|q| !responses.contains_key(&q.code))
        .map(|i| i + 1)
        .unwrap_or(1);
    go_to(&format!("{}/{first_missing}", base(&token)))
}

// ---------------------------------------------------------------- notes

/// Save an adviser's notes (`note:<dimension>` fields) on an assisted diagnostic.
pub async fn save_notes(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (d, _) = load(&state.db, &token).await?;
    if !d.is_assisted() || !ctx.user.as_ref().is_some_and(|u| u.is_staff()) {
        return Err(AppError::Forbidden);
    }
    state.diagnostic.forget(&token);
    store::save_notes(&state.db, d.id, &model::parse_notes(&pairs)).await?;
    let view = SummaryState {
        notice: Some(ctx.tr.t("diag-notes-saved")),
        ..Default::default()
    };
    let p = summary_page(&state.db, &state.config, ctx, &token, view).await?;
    Ok(page(&p))
}

// ---------------------------------------------------------------- progress

#[derive(Template)]
#[template(path = "diagnostic/progress.html")]
struct ProgressPage {
    ctx: PageCtx,
    columns: Vec<String>,
    rows: Vec<(String, Vec<Option<f64>>)>,
}

impl ProgressPage {
    fn fmt(&self, v: &Option<f64>) -> String {
        v.map(|x| format!("{x:.0}")).unwrap_or_else(|| "—".into())
    }
}

/// Scores of every submitted diagnostic of one's business (or one's own), side by side.
pub async fn progress(
    State(db): State<Db>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
) -> Result<Response, AppError> {
    let user = user.ok_or(AppError::Forbidden)?;
    let business = if user.has(Role::Business) {
        crate::business::store::for_member(&db, user.id).await?
    } else {
        None
    };
    let series = store::series(&db, business.as_ref().map(|b| b.id), Some(user.id)).await?;
    let bank = store::current_bank(&db).await?;
    let tr = ctx.tr;
    let columns: Vec<String> = series
        .iter()
        .enumerate()
        .map(|(i, d)| format!("T{i} · {}", ctx.datetime(d.taken_at())))
        .collect();
    let mut rows = vec![(
        tr.t("diag-overall"),
        series
            .iter()
            .map(|d| d.scores.as_ref().and_then(|s| s.overall))
            .collect(),
    )];
    for dim in &bank.dimensions {
        rows.push((
            dim.title(tr.0).to_string(),
            series
                .iter()
                .map(|d| d.scores.as_ref().and_then(|s| s.of(&dim.code)))
                .collect(),
        ));
    }
    Ok(page(&ProgressPage { ctx, columns, rows }))
}
