//! Diagnostic pages: start, one question per screen, summary, results,
//! extension to the full assessment, exports, progress.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Extension;
use serde::Deserialize;

use super::bank::{Bank, Kind, Question, Step, DIMENSIONS};
use super::scoring::{self, Answer, Level, PlannedStep, Response as DiagResponse, Scores};
use super::store::{self, Benchmark, Diagnostic, NewDiagnostic};
use crate::auth::{CurrentUser, Role};
use crate::i18n::{Locale, Tr};
use crate::outbox::{enqueue, NewMail};
use crate::state::AppState;
use crate::web::access::{Access, Routes, ADMIN, STAFF};
use crate::web::forms::{is_valid_email, Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

/// Routes of this module.
pub fn routes() -> Routes {
    Routes::new()
        .route("/diagnostic", Access::Public, get(landing).post(start))
        .route("/diagnostic/progression", Access::SignedIn, get(progress))
        .route("/diagnostic/reprendre/{id}", Access::SignedIn, post(resume))
        .route(
            "/diagnostic/accompagne/{business}",
            Access::Roles(STAFF),
            post(start_assisted),
        )
        .route(
            "/diagnostic/d/{token}/profil",
            Access::Public,
            get(profile_form).post(profile_save),
        )
        .route(
            "/diagnostic/d/{token}/recapitulatif",
            Access::Public,
            get(summary),
        )
        .route(
            "/diagnostic/d/{token}/terminer",
            Access::Public,
            post(finish),
        )
        .route(
            "/diagnostic/d/{token}/resultats",
            Access::Public,
            get(results),
        )
        .route(
            "/diagnostic/d/{token}/approfondir",
            Access::Public,
            post(deepen),
        )
        .route(
            "/diagnostic/d/{token}/lien",
            Access::Public,
            post(send_link),
        )
        .route(
            "/diagnostic/d/{token}/notes",
            Access::Roles(STAFF),
            post(save_notes),
        )
        .route(
            "/diagnostic/d/{token}/export.csv",
            Access::Public,
            get(export_csv),
        )
        .route(
            "/diagnostic/d/{token}/export.json",
            Access::Public,
            get(export_json),
        )
        .route(
            "/diagnostic/d/{token}/rapport.pdf",
            Access::Public,
            get(report_pdf),
        )
        .route(
            "/diagnostic/d/{token}/{n}",
            Access::Public,
            get(question_form).post(question_save),
        )
        .route(
            "/admin/diagnostics.csv",
            Access::Roles(ADMIN),
            get(programme_csv),
        )
}

fn is_en(tr: Tr) -> bool {
    tr.0 == Locale::En
}

/// Localised text of a bank field pair.
fn pick<'a>(tr: Tr, fr: &'a str, en: &'a str) -> &'a str {
    if is_en(tr) && !en.is_empty() {
        en
    } else {
        fr
    }
}

async fn load(state: &AppState, token: &str) -> Result<(Diagnostic, Arc<Bank>), AppError> {
    let d = store::by_token(&state.db, token)
        .await?
        .ok_or(AppError::NotFound)?;
    let bank = store::bank(&state.db, &d.bank_version).await?;
    Ok((d, bank))
}

fn base(token: &str) -> String {
    format!("/diagnostic/d/{token}")
}

// ---------------------------------------------------------------- landing

#[derive(Template)]
#[template(path = "diagnostic/landing.html")]
struct LandingPage {
    ctx: PageCtx,
    quick_count: usize,
    full_count: usize,
    drafts: Vec<Diagnostic>,
    done: usize,
}

impl LandingPage {
    fn when(&self, ms: &i64) -> String {
        self.ctx.datetime(*ms)
    }
}

async fn landing(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, AppError> {
    let bank = store::current_bank(&state.db).await?;
    let (drafts, done) = match &ctx.user {
        Some(u) => {
            let business = crate::business::model::for_member(&state.db, u.id).await?;
            let done = store::series(&state.db, business.map(|b| b.id), Some(u.id))
                .await?
                .len();
            (store::drafts_of(&state.db, u.id).await?, done)
        }
        None => (vec![], 0),
    };
    Ok(page(&LandingPage {
        quick_count: bank.questions_for(false).len(),
        full_count: bank.questions_for(true).len(),
        ctx,
        drafts,
        done,
    }))
}

/// What the start form sends.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StartInput {
    pub mode: String,
}

/// Sector, size and department of a business, for comparisons.
async fn business_profile(
    state: &AppState,
    business_id: i64,
) -> Result<(Option<String>, Option<String>, Option<String>), AppError> {
    let b = crate::business::model::get(&state.db, business_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let territory: Option<String> = match &b.commune_code {
        Some(c) => sqlx::query_scalar("SELECT parent_code FROM territories WHERE code = $1")
            .bind(c)
            .fetch_optional(&state.db.pool)
            .await?
            .flatten(),
        None => None,
    };
    Ok((b.sector_code, Some(b.size_band), territory))
}

async fn start(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    WebForm(input): WebForm<StartInput>,
) -> Result<Response, AppError> {
    let bank = store::current_bank(&state.db).await?;
    let programme = state.programme().await?;
    let mut n = NewDiagnostic {
        programme_id: programme.id,
        full: input.mode == "full",
        ..Default::default()
    };
    if let Some(u) = &user {
        n.user_id = Some(u.id);
        if let Some(b) = crate::business::model::for_member(&state.db, u.id).await? {
            n.business_id = Some(b.id);
            let (s, z, t) = business_profile(&state, b.id).await?;
            (n.sector_code, n.size_band, n.territory_code) = (s, z, t);
        }
    }
    let has_profile = n.sector_code.is_some();
    let (_, token) = store::create(&state.db, &bank, &n).await?;
    let next = if has_profile {
        format!("{}/1", base(&token))
    } else {
        format!("{}/profil", base(&token))
    };
    Ok(Redirect::to(&next).into_response())
}

async fn start_assisted(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(business): Path<i64>,
) -> Result<Response, AppError> {
    let adviser = user.ok_or(AppError::Forbidden)?;
    let bank = store::current_bank(&state.db).await?;
    let programme = state.programme().await?;
    let (sector_code, size_band, territory_code) = business_profile(&state, business).await?;
    let (_, token) = store::create(
        &state.db,
        &bank,
        &NewDiagnostic {
            programme_id: programme.id,
            business_id: Some(business),
            user_id: None,
            full: true,
            assisted: true,
            adviser_id: Some(adviser.id),
            sector_code,
            size_band,
            territory_code,
        },
    )
    .await?;
    Ok(Redirect::to(&format!("{}/1", base(&token))).into_response())
}

async fn resume(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let user = user.ok_or(AppError::Forbidden)?;
    let owner: Option<i64> =
        sqlx::query_scalar("SELECT user_id FROM diagnostics WHERE id = $1 AND status = 'draft'")
            .bind(id)
            .fetch_optional(&state.db.pool)
            .await?
            .flatten();
    if owner != Some(user.id) {
        return Err(AppError::NotFound);
    }
    let token = store::new_link(&state.db, id).await?;
    Ok(Redirect::to(&format!("{}/recapitulatif", base(&token))).into_response())
}

// ---------------------------------------------------------------- profile

#[derive(Template)]
#[template(path = "diagnostic/profile.html")]
struct ProfilePage {
    ctx: PageCtx,
    token: String,
    sectors: Vec<(String, String, bool)>,
    departments: Vec<(String, String)>,
    sector: String,
    size: String,
    territory: String,
}

impl ProfilePage {
    fn is(&self, a: &str, b: &str) -> bool {
        a == b
    }
    fn sizes(&self) -> Vec<(&'static str, String)> {
        crate::business::model::SIZE_BANDS
            .iter()
            .map(|s| (*s, self.ctx.tr.code("business-size-", s)))
            .collect()
    }
}

async fn departments(state: &AppState, tr: Tr) -> Result<Vec<(String, String)>, AppError> {
    let col = if is_en(tr) { "name_en" } else { "name_fr" };
    Ok(sqlx::query_as(&format!(
        "SELECT code, {col} FROM territories WHERE level IN ('department', 'province', 'canton') ORDER BY {col}"
    ))
    .fetch_all(&state.db.pool)
    .await?)
}

async fn profile_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let (d, _) = load(&state, &token).await?;
    let english = is_en(ctx.tr);
    Ok(page(&ProfilePage {
        sectors: crate::reference::sector_divisions(&state.db, english).await?,
        departments: departments(&state, ctx.tr).await?,
        sector: d.sector_code.unwrap_or_default(),
        size: d.size_band.unwrap_or_default(),
        territory: d.territory_code.unwrap_or_default(),
        ctx,
        token,
    }))
}

/// What the profile form sends (every field optional).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProfileInput {
    pub sector_code: String,
    pub size_band: String,
    pub territory_code: String,
}

async fn profile_save(
    State(state): State<AppState>,
    Path(token): Path<String>,
    WebForm(input): WebForm<ProfileInput>,
) -> Result<Response, AppError> {
    let (d, _) = load(&state, &token).await?;
    let sector: Option<String> =
        sqlx::query_scalar("SELECT code FROM sectors WHERE code = $1 AND level = 'division'")
            .bind(input.sector_code.trim())
            .fetch_optional(&state.db.pool)
            .await?;
    let size = crate::business::model::SIZE_BANDS
        .iter()
        .find(|s| **s == input.size_band.trim())
        .map(|s| s.to_string());
    let territory: Option<String> =
        sqlx::query_scalar("SELECT code FROM territories WHERE code = $1")
            .bind(input.territory_code.trim())
            .fetch_optional(&state.db.pool)
            .await?;
    store::set_profile(
        &state.db,
        d.id,
        sector.as_deref(),
        size.as_deref(),
        territory.as_deref(),
    )
    .await?;
    Ok(Redirect::to(&format!("{}/1", base(&token))).into_response())
}

// ---------------------------------------------------------------- questions

/// A checklist item or scale row as the form shows it.
pub struct ItemView {
    pub code: String,
    pub label: String,
    pub ticked: bool,
    pub rating: Option<u8>,
    pub importance: u8,
}

#[derive(Template)]
#[template(path = "diagnostic/question.html")]
struct QuestionPage {
    ctx: PageCtx,
    token: String,
    n: usize,
    total: usize,
    answered: usize,
    dimension: String,
    code: String,
    kind: &'static str,
    title: String,
    help: String,
    allow_na: bool,
    na: bool,
    triple: Option<u8>,
    importance: u8,
    items: Vec<ItemView>,
    error: Option<String>,
    assisted: bool,
}

impl QuestionPage {
    fn position(&self) -> String {
        format!("{} / {}", self.n, self.total)
    }
    fn percent(&self) -> usize {
        self.answered * 100 / self.total.max(1)
    }
    fn is_rating(&self, item: &ItemView, r: &u8) -> bool {
        item.rating == Some(*r)
    }
    fn triple_is(&self, v: &u8) -> bool {
        self.triple == Some(*v)
    }
    fn imp_is(&self, current: &u8, v: &u8) -> bool {
        current == v
    }
}

fn question_view(
    ctx: PageCtx,
    token: &str,
    bank: &Bank,
    d: &Diagnostic,
    n: usize,
    responses: &HashMap<String, DiagResponse>,
    error: Option<String>,
) -> Option<QuestionPage> {
    let questions = bank.questions_for(d.full);
    let q = questions.get(n.checked_sub(1)?)?;
    let tr = ctx.tr;
    let current = responses.get(&q.code);
    let importance_of = |code: &str| {
        current
            .and_then(|r| r.importance.get(code))
            .copied()
            .unwrap_or(0)
    };
    let items = q
        .items
        .iter()
        .map(|i| ItemView {
            code: i.code.clone(),
            label: pick(tr, &i.label_fr, &i.label_en).to_string(),
            ticked: matches!(current.map(|r| &r.answer), Some(Answer::Checklist { ticked }) if ticked.contains(&i.code)),
            rating: match current.map(|r| &r.answer) {
                Some(Answer::Scale { ratings }) => ratings.get(&i.code).copied(),
                _ => None,
            },
            importance: importance_of(&i.code),
        })
        .collect();
    let dim = bank.dimension(&q.dimension)?;
    Some(QuestionPage {
        token: token.to_string(),
        n,
        total: questions.len(),
        answered: questions
            .iter()
            .filter(|x| responses.contains_key(&x.code))
            .count(),
        dimension: pick(tr, &dim.title_fr, &dim.title_en).to_string(),
        code: q.code.clone(),
        kind: match q.kind {
            Kind::Checklist => "checklist",
            Kind::Scale => "scale",
            Kind::Triple => "triple",
        },
        title: pick(tr, &q.title_fr, &q.title_en).to_string(),
        help: pick(tr, &q.help_fr, &q.help_en).to_string(),
        allow_na: q.allow_na,
        na: matches!(current.map(|r| &r.answer), Some(Answer::NotApplicable)),
        triple: match current.map(|r| &r.answer) {
            Some(Answer::Triple { value }) => Some(*value),
            _ => None,
        },
        importance: importance_of(""),
        items,
        error,
        assisted: d.assisted,
        ctx,
    })
}

async fn question_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((token, n)): Path<(String, usize)>,
) -> Result<Response, AppError> {
    let (d, bank) = load(&state, &token).await?;
    if d.submitted {
        return Ok(Redirect::to(&format!("{}/resultats", base(&token))).into_response());
    }
    let responses = store::responses(&state.db, d.id).await?;
    let view =
        question_view(ctx, &token, &bank, &d, n, &responses, None).ok_or(AppError::NotFound)?;
    Ok(page(&view))
}

/// Read one question's answer from the submitted form pairs.
pub fn parse_answer(
    q: &Question,
    pairs: &[(String, String)],
) -> Result<DiagResponse, &'static str> {
    let get = |k: &str| pairs.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str());
    let mut importance = BTreeMap::new();
    for (k, v) in pairs {
        if let Some(item) = k.strip_prefix("importance:") {
            if let Ok(level @ 1..=3) = v.parse::<u8>() {
                if item.is_empty() || q.items.iter().any(|i| i.code == item) {
                    importance.insert(item.to_string(), level);
                }
            }
        }
    }
    if q.allow_na && get("na") == Some("on") {
        return Ok(DiagResponse {
            answer: Answer::NotApplicable,
            importance,
        });
    }
    // Ticks and ratings must name this question's items.
    let foreign = pairs.iter().any(|(k, v)| {
        (k == "tick" && !q.items.iter().any(|i| &i.code == v))
            || k.strip_prefix("rate:")
                .is_some_and(|c| !q.items.iter().any(|i| i.code == c))
    });
    if foreign {
        return Err("diag-error-unknown-item");
    }
    let answer = match q.kind {
        Kind::Checklist => Answer::Checklist {
            ticked: q
                .items
                .iter()
                .filter(|i| pairs.iter().any(|(k, v)| k == "tick" && v == &i.code))
                .map(|i| i.code.clone())
                .collect::<BTreeSet<_>>(),
        },
        Kind::Scale => {
            let mut ratings = BTreeMap::new();
            for i in &q.items {
                match get(&format!("rate:{}", i.code))
                    .and_then(|v| v.parse::<u8>().ok())
                    .filter(|v| *v <= 5)
                {
                    Some(v) => {
                        ratings.insert(i.code.clone(), v);
                    }
                    None => return Err("diag-error-rate-every-row"),
                }
            }
            Answer::Scale { ratings }
        }
        Kind::Triple => match get("triple")
            .and_then(|v| v.parse::<u8>().ok())
            .filter(|v| *v <= 2)
        {
            Some(value) => Answer::Triple { value },
            None => return Err("diag-error-choose-one"),
        },
    };
    Ok(DiagResponse { answer, importance })
}

/// What was typed on an incomplete form, kept to show it again.
fn partial_answer(q: &Question, pairs: &[(String, String)]) -> DiagResponse {
    let answer = match q.kind {
        Kind::Scale => Answer::Scale {
            ratings: q
                .items
                .iter()
                .filter_map(|i| {
                    pairs
                        .iter()
                        .find(|(k, _)| *k == format!("rate:{}", i.code))
                        .and_then(|(_, v)| v.parse::<u8>().ok())
                        .filter(|v| *v <= 5)
                        .map(|v| (i.code.clone(), v))
                })
                .collect(),
        },
        Kind::Checklist => Answer::Checklist {
            ticked: pairs
                .iter()
                .filter(|(k, _)| k == "tick")
                .map(|(_, v)| v.clone())
                .collect(),
        },
        Kind::Triple => Answer::Triple { value: u8::MAX },
    };
    let importance = pairs
        .iter()
        .filter_map(|(k, v)| {
            Some((
                k.strip_prefix("importance:")?.to_string(),
                v.parse::<u8>().ok()?,
            ))
        })
        .collect();
    DiagResponse { answer, importance }
}

async fn question_save(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((token, n)): Path<(String, usize)>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (d, bank) = load(&state, &token).await?;
    if d.submitted {
        return Ok(Redirect::to(&format!("{}/resultats", base(&token))).into_response());
    }
    let questions = bank.questions_for(d.full);
    let q = *questions.get(n.wrapping_sub(1)).ok_or(AppError::NotFound)?;
    let go = pairs
        .iter()
        .find(|(k, _)| k == "go")
        .map(|(_, v)| v.as_str())
        .unwrap_or("next");
    match parse_answer(q, &pairs) {
        Ok(r) => store::save_response(&state.db, d.id, &q.code, &r).await?,
        Err(key) if go != "prev" => {
            // Show the page again with what was typed, not what was stored.
            let mut responses = store::responses(&state.db, d.id).await?;
            responses.insert(q.code.clone(), partial_answer(q, &pairs));
            let msg = ctx.tr.t(key);
            let view = question_view(ctx, &token, &bank, &d, n, &responses, Some(msg))
                .ok_or(AppError::NotFound)?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &view));
        }
        Err(_) => {}
    }
    let next = match go {
        "prev" if n > 1 => format!("{}/{}", base(&token), n - 1),
        "prev" => format!("{}/profil", base(&token)),
        "later" => format!("{}/recapitulatif#save", base(&token)),
        _ if n < questions.len() => format!("{}/{}", base(&token), n + 1),
        _ => format!("{}/recapitulatif", base(&token)),
    };
    Ok(Redirect::to(&next).into_response())
}

// ---------------------------------------------------------------- summary

/// A question in the summary.
pub struct SummaryRow {
    pub n: usize,
    pub dimension: String,
    pub title: String,
    pub answered: bool,
}

#[derive(Template)]
#[template(path = "diagnostic/summary.html")]
struct SummaryPage {
    ctx: PageCtx,
    token: String,
    link: String,
    rows: Vec<SummaryRow>,
    missing: usize,
    error: bool,
    notice: Option<String>,
    assisted: bool,
    notes: Vec<(String, String, String)>,
    email_errors: Violations,
}

async fn summary_page(
    state: &AppState,
    ctx: PageCtx,
    token: &str,
    error: bool,
    notice: Option<String>,
    email_errors: Violations,
) -> Result<SummaryPage, AppError> {
    let (d, bank) = load(state, token).await?;
    let responses = store::responses(&state.db, d.id).await?;
    let tr = ctx.tr;
    let rows: Vec<SummaryRow> = bank
        .questions_for(d.full)
        .iter()
        .enumerate()
        .map(|(i, q)| SummaryRow {
            n: i + 1,
            dimension: bank
                .dimension(&q.dimension)
                .map(|x| pick(tr, &x.title_fr, &x.title_en).to_string())
                .unwrap_or_default(),
            title: pick(tr, &q.title_fr, &q.title_en).to_string(),
            answered: responses.contains_key(&q.code),
        })
        .collect();
    let missing = rows.iter().filter(|r| !r.answered).count();
    let saved_notes: HashMap<String, String> =
        sqlx::query_as("SELECT dimension, note FROM diagnostic_notes WHERE diagnostic_id = $1")
            .bind(d.id)
            .fetch_all(&state.db.pool)
            .await?
            .into_iter()
            .collect();
    let notes = bank
        .dimensions
        .iter()
        .map(|x| {
            (
                x.code.clone(),
                pick(tr, &x.title_fr, &x.title_en).to_string(),
                saved_notes.get(&x.code).cloned().unwrap_or_default(),
            )
        })
        .collect();
    Ok(SummaryPage {
        link: format!(
            "{}{}",
            state.config.base_url.as_str().trim_end_matches('/'),
            base(token)
        ),
        token: token.to_string(),
        rows,
        missing,
        error,
        notice,
        assisted: d.assisted,
        notes,
        email_errors,
        ctx,
    })
}

async fn summary(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let p = summary_page(&state, ctx, &token, false, None, Violations::default()).await?;
    Ok(page(&p))
}

async fn finish(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let (d, bank) = load(&state, &token).await?;
    if !d.submitted {
        let responses = store::responses(&state.db, d.id).await?;
        if bank
            .questions_for(d.full)
            .iter()
            .any(|q| !responses.contains_key(&q.code))
        {
            let p = summary_page(&state, ctx, &token, true, None, Violations::default()).await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
        let scores = scoring::score(&bank, d.full, &responses);
        store::submit(&state.db, d.id, &scores).await?;
    }
    Ok(Redirect::to(&format!("{}/resultats", base(&token))).into_response())
}

/// What the adviser's notes form sends: `note:<dimension>` fields.
async fn save_notes(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (d, _) = load(&state, &token).await?;
    if !d.assisted || !ctx.user.as_ref().is_some_and(|u| u.is_staff()) {
        return Err(AppError::Forbidden);
    }
    forget_submitted(&state, &token);
    let mut tx = state.db.begin_write().await?;
    for (k, v) in &pairs {
        if let Some(dim) = k.strip_prefix("note:").filter(|d| DIMENSIONS.contains(d)) {
            let note: String = v.trim().chars().take(2000).collect();
            sqlx::query(
                "INSERT INTO diagnostic_notes (diagnostic_id, dimension, note) VALUES ($1, $2, $3) \
                 ON CONFLICT (diagnostic_id, dimension) DO UPDATE SET note = excluded.note",
            )
            .bind(d.id)
            .bind(dim)
            .bind(note)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    let notice = Some(ctx.tr.t("diag-notes-saved"));
    let p = summary_page(&state, ctx, &token, false, notice, Violations::default()).await?;
    Ok(page(&p))
}

/// What the "e-mail me the link" form sends.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LinkInput {
    pub email: String,
}

async fn send_link(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    WebForm(input): WebForm<LinkInput>,
) -> Result<Response, AppError> {
    load(&state, &token).await?;
    let email = input.email.trim().to_lowercase();
    let mut errors = Violations::default();
    if !is_valid_email(&email) {
        errors.add("email", "form-email-invalid", None);
        let p = summary_page(&state, ctx, &token, false, None, errors).await?;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    }
    let tr = ctx.tr;
    let link = format!(
        "{}{}/recapitulatif",
        state.config.base_url.as_str().trim_end_matches('/'),
        base(&token)
    );
    let mut tx = state.db.begin_write().await?;
    enqueue(
        &mut tx,
        &NewMail {
            kind: "diagnostic.link",
            to: email.clone(),
            reply_to: None,
            subject: tr.t("diag-mail-link-subject"),
            body_text: format!(
                "{}\n\n{}\n{}\n\n{}\n",
                tr.t("mail-hello-anonymous"),
                tr.t("diag-mail-link-body"),
                link,
                tr.t("diag-mail-link-private")
            ),
        },
    )
    .await?;
    tx.commit().await?;
    state.mail_notify.notify_one();
    let notice = Some(tr.ts("diag-link-sent", "email", &email));
    let p = summary_page(&state, ctx, &token, false, notice, Violations::default()).await?;
    Ok(page(&p))
}

async fn deepen(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    forget_submitted(&state, &token);
    let (d, bank) = load(&state, &token).await?;
    if !d.full {
        store::extend(&state.db, d.id).await?;
    }
    let responses = store::responses(&state.db, d.id).await?;
    let first_missing = bank
        .questions_for(true)
        .iter()
        .position(|q| !responses.contains_key(&q.code))
        .map(|i| i + 1)
        .unwrap_or(1);
    Ok(Redirect::to(&format!("{}/{first_missing}", base(&token))).into_response())
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

/// Everything the results page and the exports need.
pub struct Computed {
    pub scores: Scores,
    pub plan: Vec<PlannedStep>,
    pub benchmark: Option<Benchmark>,
}

/// A submitted diagnostic and its answers, as last read from the database.
type Snapshot = (
    std::time::Instant,
    Diagnostic,
    Arc<HashMap<String, DiagResponse>>,
);

/// Submitted diagnostics no longer change (extending one makes it a draft
/// again, which the cache notices within its lifetime), so their results page
/// reuses what it read for half a minute instead of querying on every view.
static SUBMITTED: std::sync::OnceLock<std::sync::RwLock<HashMap<(u64, String), Snapshot>>> =
    std::sync::OnceLock::new();
const SNAPSHOT_TTL: std::time::Duration = std::time::Duration::from_secs(30);

async fn load_submitted(
    state: &AppState,
    token: &str,
) -> Result<(Diagnostic, Arc<Bank>, Arc<HashMap<String, DiagResponse>>), AppError> {
    let key = (state.db.id, token.to_string());
    let cache = SUBMITTED.get_or_init(Default::default);
    let hit = cache.read().ok().and_then(|c| c.get(&key).cloned());
    if let Some((at, d, responses)) = hit {
        if at.elapsed() < SNAPSHOT_TTL {
            let bank = store::bank(&state.db, &d.bank_version).await?;
            return Ok((d, bank, responses));
        }
    }
    let (d, bank) = load(state, token).await?;
    let responses = Arc::new(store::responses(&state.db, d.id).await?);
    if d.submitted {
        if let Ok(mut c) = cache.write() {
            if c.len() > 10_000 {
                c.retain(|_, (at, _, _)| at.elapsed() < SNAPSHOT_TTL);
            }
            c.insert(
                key,
                (std::time::Instant::now(), d.clone(), responses.clone()),
            );
        }
    }
    Ok((d, bank, responses))
}

/// Forget a cached diagnostic and its rendered pages (after it changed on this server).
fn forget_submitted(state: &AppState, token: &str) {
    if let Some(cache) = SUBMITTED.get() {
        if let Ok(mut c) = cache.write() {
            c.remove(&(state.db.id, token.to_string()));
        }
    }
    if let Some(cache) = RENDERED.get() {
        if let Ok(mut c) = cache.write() {
            c.retain(|k, _| !(k.0 == state.db.id && k.1 == token));
        }
    }
}

async fn compute(state: &AppState, d: &Diagnostic, bank: &Bank) -> Result<Computed, AppError> {
    let responses = store::responses(&state.db, d.id).await?;
    compute_with(state, d, bank, &responses).await
}

async fn compute_with(
    state: &AppState,
    d: &Diagnostic,
    bank: &Bank,
    responses: &HashMap<String, DiagResponse>,
) -> Result<Computed, AppError> {
    // Always recomputed from the answers and the recorded bank version.
    let scores = scoring::score(bank, d.full, responses);
    let plan = scoring::plan(bank, d.full, responses, &scores);
    let benchmark = store::benchmark(&state.db, d).await?;
    Ok(Computed {
        scores,
        plan,
        benchmark,
    })
}

/// Theme titles by slug in the visitor's language, cached for a minute
/// (themes change rarely; results pages are read often).
async fn theme_titles(state: &AppState, tr: Tr) -> Result<Arc<HashMap<String, String>>, AppError> {
    type Cache =
        std::sync::RwLock<HashMap<(u64, bool), (std::time::Instant, Arc<HashMap<String, String>>)>>;
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    let key = (state.db.id, is_en(tr));
    let cache = CACHE.get_or_init(Default::default);
    if let Some((at, map)) = cache.read().ok().and_then(|c| c.get(&key).cloned()) {
        if at.elapsed() < std::time::Duration::from_secs(60) {
            return Ok(map);
        }
    }
    let col = if is_en(tr) { "title_en" } else { "title_fr" };
    let map: Arc<HashMap<String, String>> = Arc::new(
        sqlx::query_as::<_, (String, String)>(&format!("SELECT slug, {col} FROM themes"))
            .fetch_all(&state.db.pool)
            .await?
            .into_iter()
            .collect(),
    );
    if let Ok(mut c) = cache.write() {
        c.insert(key, (std::time::Instant::now(), map.clone()));
    }
    Ok(map)
}

/// Rendered results pages, by (pool, link, language, signed-in person), with
/// the CSRF token left as a placeholder filled in for each visitor.
type RenderedKey = (u64, String, &'static str, Option<i64>);
type RenderedCache = std::sync::RwLock<HashMap<RenderedKey, (std::time::Instant, Arc<str>)>>;
static RENDERED: std::sync::OnceLock<RenderedCache> = std::sync::OnceLock::new();
/// Stands for the visitor's CSRF token in a cached page (hex tokens never contain it).
const CSRF_PLACEHOLDER: &str = "csrf-placeholder-not-a-token";

fn html(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

async fn results(
    State(state): State<AppState>,
    mut ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let key: RenderedKey = (
        state.db.id,
        token.clone(),
        ctx.lang(),
        ctx.user.as_ref().map(|u| u.id),
    );
    let csrf = ctx.csrf.clone();
    let cache = RENDERED.get_or_init(Default::default);
    if let Some((at, body)) = cache.read().ok().and_then(|c| c.get(&key).cloned()) {
        if at.elapsed() < SNAPSHOT_TTL {
            return Ok(html(body.replace(CSRF_PLACEHOLDER, &csrf)));
        }
    }
    ctx.csrf = Arc::from(CSRF_PLACEHOLDER);
    let (d, bank, responses) = load_submitted(&state, &token).await?;
    if !d.submitted {
        return Ok(Redirect::to(&format!("{}/recapitulatif", base(&token))).into_response());
    }
    let tr = ctx.tr;
    let c = compute_with(&state, &d, &bank, &responses).await?;
    // Only assisted diagnostics carry an adviser's notes.
    let notes: HashMap<String, String> = if d.assisted {
        sqlx::query_as("SELECT dimension, note FROM diagnostic_notes WHERE diagnostic_id = $1")
            .bind(d.id)
            .fetch_all(&state.db.pool)
            .await?
            .into_iter()
            .collect()
    } else {
        HashMap::new()
    };
    let rows: Vec<DimensionRow> = bank
        .dimensions
        .iter()
        .map(|dim| {
            let q = c
                .benchmark
                .as_ref()
                .and_then(|b| b.dimensions.iter().find(|(x, _)| *x == dim.code))
                .and_then(|(_, q)| *q);
            DimensionRow {
                code: dim.code.clone(),
                title: pick(tr, &dim.title_fr, &dim.title_en).to_string(),
                description: pick(tr, &dim.description_fr, &dim.description_en).to_string(),
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
    let themes = theme_titles(&state, tr).await?;
    let step_of = |code: &str| -> Option<&Step> { bank.steps.iter().find(|s| s.code == code) };
    let planned: BTreeSet<&str> = c.plan.iter().map(|p| p.code.as_str()).collect();
    let steps = c
        .plan
        .iter()
        .filter_map(|p| {
            let s = step_of(&p.code)?;
            Some(StepView {
                title: pick(tr, &s.title_fr, &s.title_en).to_string(),
                body: pick(tr, &s.body_fr, &s.body_en).to_string(),
                theme_slug: s.theme.clone(),
                theme_title: themes
                    .get(&s.theme)
                    .cloned()
                    .unwrap_or_else(|| s.theme.clone()),
                dimension: bank
                    .dimension(&s.dimension)
                    .map(|x| pick(tr, &x.title_fr, &x.title_en).to_string())
                    .unwrap_or_default(),
                after: s
                    .requires
                    .iter()
                    .filter(|r| planned.contains(r.as_str()))
                    .filter_map(|r| {
                        step_of(r).map(|x| pick(tr, &x.title_fr, &x.title_en).to_string())
                    })
                    .collect(),
            })
        })
        .collect();
    // Progress since the previous diagnostic of the same business (or person).
    // An anonymous diagnostic has no series.
    let series = if d.business_id.is_some() || d.user_id.is_some() {
        store::series(
            &state.db,
            d.business_id,
            if d.business_id.is_none() {
                d.user_id
            } else {
                None
            },
        )
        .await?
    } else {
        vec![]
    };
    let previous = series
        .iter()
        .rfind(|x| x.id != d.id && x.submitted_at < d.submitted_at);
    let progress = match previous.and_then(|p| p.scores.clone()) {
        Some(prev) if d.business_id.is_some() || d.user_id.is_some() => rows
            .iter()
            .map(|r| (r.title.clone(), prev.of(&r.code), r.score))
            .collect(),
        _ => vec![],
    };
    let page = ResultsPage {
        token: token.clone(),
        overall: c.scores.overall,
        level: c.scores.overall.map(|o| Level::of(o).code()),
        rows,
        radar,
        benchmark: c.benchmark.as_ref().map(|b| {
            (
                tr.code("diag-group-", b.group.code()),
                b.size,
                b.overall.median,
            )
        }),
        steps,
        quick: !d.full,
        bank_version: d.bank_version.clone(),
        submitted_at: d.submitted_at.unwrap_or(d.created_at),
        progress,
        assisted: d.assisted,
        ctx,
    };
    let body: Arc<str> = match page.render() {
        Ok(b) => Arc::from(b),
        Err(e) => return Err(AppError::Internal(anyhow::anyhow!("template error: {e}"))),
    };
    if let Ok(mut c) = cache.write() {
        if c.len() > 10_000 {
            c.retain(|_, (at, _)| at.elapsed() < SNAPSHOT_TTL);
        }
        c.insert(key, (std::time::Instant::now(), body.clone()));
    }
    Ok(html(body.replace(CSRF_PLACEHOLDER, &csrf)))
}

// ---------------------------------------------------------------- exports

async fn export_json(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let (d, bank) = load(&state, &token).await?;
    let responses = store::responses(&state.db, d.id).await?;
    let c = compute(&state, &d, &bank).await?;
    let body = serde_json::json!({
        "bank_version": d.bank_version,
        "mode": if d.full { "full" } else { "quick" },
        "status": if d.submitted { "submitted" } else { "draft" },
        "assisted": d.assisted,
        "submitted_at": d.submitted_at,
        "overall": c.scores.overall,
        "level": c.scores.overall.map(|o| Level::of(o).code()),
        "dimensions": c.scores.dimensions.iter().map(|(k, v)| serde_json::json!({"dimension": k, "score": v})).collect::<Vec<_>>(),
        "answers": responses,
        "plan": c.plan,
    });
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"diagnostic.json\"",
            ),
        ],
        serde_json::to_string_pretty(&body).unwrap_or_default(),
    )
        .into_response())
}

async fn export_csv(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let (d, bank) = load(&state, &token).await?;
    let c = compute(&state, &d, &bank).await?;
    let tr = ctx.tr;
    let cell = crate::csvio::cell;
    let mut out = String::from("\u{FEFF}section;code;label;value\r\n");
    let num = |v: Option<f64>| v.map(|x| format!("{x:.1}")).unwrap_or_default();
    out.push_str(&format!("meta;bank_version;;{}\r\n", cell(&d.bank_version)));
    out.push_str(&format!(
        "score;overall;{};{}\r\n",
        cell(&tr.t("diag-overall")),
        num(c.scores.overall)
    ));
    for dim in &bank.dimensions {
        out.push_str(&format!(
            "score;{};{};{}\r\n",
            dim.code,
            cell(pick(tr, &dim.title_fr, &dim.title_en)),
            num(c.scores.of(&dim.code))
        ));
    }
    for (i, p) in c.plan.iter().enumerate() {
        let title = bank
            .steps
            .iter()
            .find(|s| s.code == p.code)
            .map(|s| pick(tr, &s.title_fr, &s.title_en).to_string())
            .unwrap_or_default();
        out.push_str(&format!("plan;{};{};{}\r\n", p.code, cell(&title), i + 1));
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"diagnostic.csv\"",
            ),
        ],
        out,
    )
        .into_response())
}

/// id, business, bank version, mode, assisted, sector, size, territory, scores, submitted at.
type ExportRow = (
    i64,
    Option<i64>,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
);

async fn programme_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    let rows: Vec<ExportRow> =
        sqlx::query_as(
            "SELECT d.id, d.business_id, d.bank_version, d.mode, d.assisted, d.sector_code, d.size_band, d.territory_code, \
             d.scores_json, d.submitted_at FROM diagnostics d WHERE d.status = 'submitted' ORDER BY d.submitted_at",
        )
        .fetch_all(&state.db.pool)
        .await?;
    let mut out = String::from("\u{FEFF}id;business_id;bank_version;mode;assisted;sector_code;size_band;territory_code;submitted_at;overall");
    for d in DIMENSIONS {
        out.push(';');
        out.push_str(d);
    }
    out.push_str("\r\n");
    for (id, business, version, mode, assisted, sector, size, territory, scores, at) in rows {
        let scores: Option<Scores> = scores.and_then(|j| serde_json::from_str(&j).ok());
        let num = |v: Option<f64>| v.map(|x| format!("{x:.1}")).unwrap_or_default();
        let mut line = vec![
            id.to_string(),
            business.map(|b| b.to_string()).unwrap_or_default(),
            crate::csvio::cell(&version),
            mode,
            assisted.to_string(),
            sector.unwrap_or_default(),
            size.unwrap_or_default(),
            territory.unwrap_or_default(),
            at.map(|t| crate::web::format_datetime(Locale::Fr, t))
                .unwrap_or_default(),
            num(scores.as_ref().and_then(|s| s.overall)),
        ];
        for d in DIMENSIONS {
            line.push(num(scores.as_ref().and_then(|s| s.of(d))));
        }
        out.push_str(&line.join(";"));
        out.push_str("\r\n");
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"diagnostics.csv\"",
            ),
        ],
        out,
    )
        .into_response())
}

/// The PDF report: scores, radar, plan, date and bank version.
async fn report_pdf(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    use super::pdf::Doc;
    let (d, bank) = load(&state, &token).await?;
    if !d.submitted {
        return Ok(Redirect::to(&format!("{}/recapitulatif", base(&token))).into_response());
    }
    let tr = ctx.tr;
    let c = compute(&state, &d, &bank).await?;
    let business = match d.business_id {
        Some(id) => crate::business::model::get(&state.db, id).await?,
        None => None,
    };
    let (ink, muted, brand) = ((0.1, 0.12, 0.14), (0.35, 0.38, 0.42), (0.043, 0.365, 0.478));
    let mut doc = Doc::new(&format!("{} · {}", ctx.programme.name, tr.t("diag-title")));
    doc.paragraph(&tr.t("diag-title"), 20.0, true, brand, 0.0);
    doc.paragraph(&ctx.programme.name, 11.0, false, muted, 0.0);
    if let Some(b) = &business {
        doc.space(6.0);
        doc.paragraph(
            &format!("{} — {}", b.name, b.legal_id_display),
            12.0,
            true,
            ink,
            0.0,
        );
    }
    let when = crate::web::format_datetime(tr.0, d.submitted_at.unwrap_or(d.created_at));
    let mut meta = format!(
        "{when} · {}",
        tr.ts("diag-bank-version", "version", &d.bank_version)
    );
    meta.push_str(&format!(
        " · {}",
        if d.full {
            tr.t("diag-full-title")
        } else {
            tr.t("diag-quick-title")
        }
    ));
    if d.assisted {
        meta.push_str(&format!(" · {}", tr.t("diag-assisted-badge")));
    }
    doc.paragraph(&meta, 9.5, false, muted, 0.0);
    doc.space(10.0);
    let overall = c
        .scores
        .overall
        .map(|o| format!("{o:.0} / 100"))
        .unwrap_or_else(|| "—".into());
    doc.paragraph(
        &format!("{} : {overall}", tr.t("diag-overall")),
        16.0,
        true,
        ink,
        0.0,
    );
    if let Some(o) = c.scores.overall {
        let level = Level::of(o).code();
        doc.paragraph(&tr.code("diag-level-", level), 12.0, true, brand, 0.0);
        doc.paragraph(&tr.code("diag-level-body-", level), 10.5, false, ink, 0.0);
    }

    // Radar.
    doc.ensure(260.0);
    let (cx, cy, r) = (doc.left() + doc.width() / 2.0, doc.y - 130.0, 85.0);
    let n = bank.dimensions.len();
    let at = |i: usize, v: f64| {
        let a = std::f64::consts::FRAC_PI_2 - i as f64 * 2.0 * std::f64::consts::PI / n as f64;
        let k = v.clamp(0.0, 100.0) / 100.0 * r;
        (cx + k * a.cos(), cy + k * a.sin())
    };
    for ring in [25.0, 50.0, 75.0, 100.0] {
        let pts: Vec<(f64, f64)> = (0..n).map(|i| at(i, ring)).collect();
        doc.polygon(&pts, (0.78, 0.8, 0.84), None, 0.6, false);
    }
    for i in 0..n {
        let (x, y) = at(i, 100.0);
        doc.line(cx, cy, x, y, (0.78, 0.8, 0.84), 0.6);
    }
    if let Some(b) = &c.benchmark {
        let pts: Vec<(f64, f64)> = bank
            .dimensions
            .iter()
            .enumerate()
            .map(|(i, dim)| {
                let m = b
                    .dimensions
                    .iter()
                    .find(|(x, _)| *x == dim.code)
                    .and_then(|(_, q)| *q)
                    .map(|q| q.median);
                at(i, m.unwrap_or(0.0))
            })
            .collect();
        doc.polygon(&pts, muted, None, 1.2, true);
    }
    let pts: Vec<(f64, f64)> = bank
        .dimensions
        .iter()
        .enumerate()
        .map(|(i, dim)| at(i, c.scores.of(&dim.code).unwrap_or(0.0)))
        .collect();
    doc.polygon(&pts, brand, Some((0.75, 0.85, 0.9)), 1.8, false);
    for (i, dim) in bank.dimensions.iter().enumerate() {
        let (x, y) = at(i, 122.0);
        let title = pick(tr, &dim.title_fr, &dim.title_en);
        let lines = super::pdf::wrap(title, 8.0, false, 95.0);
        let height = (lines.len() as f64 - 1.0) * 10.0;
        // Above the chart the label sits on the axis end; below it hangs under it.
        let top = if y > cy + r * 0.9 {
            y + height
        } else if y < cy - r * 0.9 {
            y - 6.0
        } else {
            y + height / 2.0
        };
        for (k, line) in lines.iter().enumerate() {
            let w = line.chars().count() as f64 * 4.1;
            let lx = if (x - cx).abs() < 5.0 {
                x - w / 2.0
            } else if x > cx {
                x
            } else {
                x - w
            };
            doc.text_at(lx, top - k as f64 * 10.0, line, 8.0, false, ink);
        }
    }
    doc.y = cy - r - 45.0;

    // Scores table.
    doc.paragraph(&tr.t("diag-table-caption"), 12.0, true, ink, 0.0);
    if let Some(b) = &c.benchmark {
        doc.paragraph(
            &format!(
                "{} {}",
                tr.ts(
                    "diag-benchmark-group",
                    "group",
                    &tr.code("diag-group-", b.group.code())
                ),
                tr.tn("diag-benchmark-size", "count", b.size as i64)
            ),
            9.0,
            false,
            muted,
            0.0,
        );
    }
    for dim in &bank.dimensions {
        doc.ensure(16.0);
        doc.space(15.0);
        let y = doc.y;
        let x = doc.left();
        doc.text_at(
            x,
            y,
            pick(tr, &dim.title_fr, &dim.title_en),
            10.5,
            false,
            ink,
        );
        let score = c
            .scores
            .of(&dim.code)
            .map(|v| format!("{v:.0}"))
            .unwrap_or_else(|| "—".into());
        doc.text_at(x + 330.0, y, &score, 10.5, true, ink);
        if let Some(q) = c
            .benchmark
            .as_ref()
            .and_then(|b| b.dimensions.iter().find(|(x, _)| *x == dim.code))
            .and_then(|(_, q)| *q)
        {
            doc.text_at(
                x + 380.0,
                y,
                &format!("{} {:.0}", tr.t("diag-median"), q.median),
                9.5,
                false,
                muted,
            );
        }
        doc.line(x, y - 4.0, x + doc.width(), y - 4.0, (0.85, 0.87, 0.9), 0.4);
    }

    // Plan.
    doc.space(16.0);
    doc.ensure(60.0);
    doc.paragraph(&tr.t("diag-plan-title"), 14.0, true, brand, 0.0);
    if c.plan.is_empty() {
        doc.paragraph(&tr.t("diag-plan-empty"), 10.5, false, ink, 0.0);
    } else {
        doc.paragraph(&tr.t("diag-plan-intro"), 10.0, false, muted, 0.0);
    }
    let themes = theme_titles(&state, tr).await?;
    for (i, p) in c.plan.iter().enumerate() {
        let Some(step) = bank.steps.iter().find(|s| s.code == p.code) else {
            continue;
        };
        doc.ensure(70.0);
        doc.space(6.0);
        doc.paragraph(
            &format!("{}. {}", i + 1, pick(tr, &step.title_fr, &step.title_en)),
            11.5,
            true,
            ink,
            0.0,
        );
        let theme = themes
            .get(&step.theme)
            .cloned()
            .unwrap_or_else(|| step.theme.clone());
        doc.paragraph(
            &tr.ts("diag-step-theme", "theme", &theme),
            9.0,
            false,
            muted,
            14.0,
        );
        doc.paragraph(
            pick(tr, &step.body_fr, &step.body_en),
            10.0,
            false,
            ink,
            14.0,
        );
    }
    let bytes = doc.finish();
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"diagnostic.pdf\"",
            ),
        ],
        bytes,
    )
        .into_response())
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

async fn progress(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
) -> Result<Response, AppError> {
    let user = user.ok_or(AppError::Forbidden)?;
    let business = if user.has(Role::Business) {
        crate::business::model::for_member(&state.db, user.id).await?
    } else {
        None
    };
    let series = store::series(&state.db, business.as_ref().map(|b| b.id), Some(user.id)).await?;
    let bank = store::current_bank(&state.db).await?;
    let tr = ctx.tr;
    let columns: Vec<String> = series
        .iter()
        .enumerate()
        .map(|(i, d)| {
            format!(
                "T{i} · {}",
                crate::web::format_datetime(tr.0, d.submitted_at.unwrap_or(d.created_at))
            )
        })
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
            pick(tr, &dim.title_fr, &dim.title_en).to_string(),
            series
                .iter()
                .map(|d| d.scores.as_ref().and_then(|s| s.of(&dim.code)))
                .collect(),
        ));
    }
    Ok(page(&ProgressPage { ctx, columns, rows }))
}
