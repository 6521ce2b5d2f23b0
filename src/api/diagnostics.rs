//! `/api/v1/diagnostics`: start, answer, submit, fetch results and plan.
//! The private token returned at start is the key, as the web link is.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::diagnostic::bank::Bank;
use crate::diagnostic::model::{self, Level, Mode};
use crate::diagnostic::scoring::{self, Response as DiagResponse};
use crate::diagnostic::store::{self, NewDiagnostic};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::ctx::Lang;
use crate::web::forms::{ApiJson, Violations};
use crate::web::problem::Problem;

fn unavailable(tr: Tr, e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "diagnostics API error");
    Problem::new(
        tr,
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "error-unavailable-title",
    )
    .into_response()
}

fn not_found(tr: Tr) -> Response {
    let mut p = Problem::new(
        tr,
        StatusCode::NOT_FOUND,
        "not-found",
        "diag-link-unknown-title",
    );
    p.detail = Some(tr.t("diag-link-unknown-body"));
    p.into_response()
}

/// What starting a diagnostic takes.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(example = json!({"mode": "quick", "sector_code": "47", "size_band": "1-9", "territory_code": "FR-D33"}))]
pub struct StartRequest {
    /// `quick` (12 questions) or `full`.
    pub mode: String,
    /// NACE division, for the comparison with similar businesses.
    pub sector_code: Option<String>,
    /// 0, 1-9, 10-49 or 50-249.
    pub size_band: Option<String>,
    /// Department or province code, e.g. FR-D33.
    pub territory_code: Option<String>,
}

/// A checklist item or scale row.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ItemDoc {
    pub code: String,
    pub label_fr: String,
    pub label_en: String,
}

/// A question to answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QuestionDoc {
    pub n: usize,
    pub code: String,
    pub dimension: String,
    /// checklist, scale (rows rated 0–5) or triple (0 no, 1 partly, 2 yes).
    pub kind: String,
    pub allow_na: bool,
    pub title_fr: String,
    pub title_en: String,
    pub items: Vec<ItemDoc>,
}

/// A started diagnostic.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Started {
    /// Secret key of this diagnostic (also its web link).
    pub token: String,
    pub bank_version: String,
    pub questions: Vec<QuestionDoc>,
}

fn questions_doc(bank: &Bank, full: bool) -> Vec<QuestionDoc> {
    bank.questions_for(full)
        .iter()
        .enumerate()
        .map(|(i, q)| QuestionDoc {
            n: i + 1,
            code: q.code.clone(),
            dimension: q.dimension.clone(),
            kind: q.kind.code().into(),
            allow_na: q.allow_na,
            title_fr: q.title_fr.clone(),
            title_en: q.title_en.clone(),
            items: q
                .items
                .iter()
                .map(|i| ItemDoc {
                    code: i.code.clone(),
                    label_fr: i.label_fr.clone(),
                    label_en: i.label_en.clone(),
                })
                .collect(),
        })
        .collect()
}

/// Start a diagnostic.
#[utoipa::path(post, path = "/api/v1/diagnostics", operation_id = "start_diagnostic", request_body = StartRequest,
    responses((status = 201, description = "Started: its token and questions", body = Started,
        links(("answer" = (operation_id = "answer_question",
                  parameters(("token" = "$response.body#/token"), ("question" = "$response.body#/questions/0/code")))),
              ("progress" = (operation_id = "get_diagnostic", parameters(("token" = "$response.body#/token")))),
              ("submit" = (operation_id = "submit_diagnostic", parameters(("token" = "$response.body#/token"))))))))]
pub async fn start(
    State(state): State<AppState>,
    Lang(locale): Lang,
    ApiJson(req): ApiJson<StartRequest>,
) -> Response {
    let tr = Tr(locale);
    let mode = match req.mode.as_str() {
        "quick" | "" => Mode::Quick,
        "full" => Mode::Full,
        _ => {
            let mut v = Violations::default();
            v.add("mode", "form-choose", None);
            return v.to_problem(tr).into_response();
        }
    };
    let bank = match store::current_bank(&state.db).await {
        Ok(b) => b,
        Err(e) => return unavailable(tr, e),
    };
    let programme = state.programme().await.ok().and_then(|p| p.id);
    let n = NewDiagnostic {
        programme_id: programme,
        mode,
        sector_code: req.sector_code.filter(|s| s.len() <= 10),
        size_band: req
            .size_band
            .filter(|s| crate::business::model::SIZE_BANDS.contains(&s.as_str())),
        territory_code: req.territory_code.filter(|s| s.len() <= 40),
        ..Default::default()
    };
    match store::create(&state.db, &bank, &n).await {
        Ok((_, token)) => (
            StatusCode::CREATED,
            Json(Started {
                token,
                bank_version: bank.version.clone(),
                questions: questions_doc(&bank, mode.is_full()),
            }),
        )
            .into_response(),
        Err(e) => unavailable(tr, e),
    }
}

/// Answer (or change the answer to) one question.
#[utoipa::path(put, path = "/api/v1/diagnostics/{token}/answers/{question}", operation_id = "answer_question",
    request_body(content = Object, description = "The answer, as the question's kind takes it"),
    params(("token" = String, Path, description = "The diagnostic's private token"),
           ("question" = String, Path, description = "Question code")),
    responses((status = 204, description = "Answer saved"),
               (status = 409, description = "The diagnostic is already submitted", body = Problem, content_type = "application/problem+json")))]
pub async fn answer(
    State(state): State<AppState>,
    Lang(locale): Lang,
    Path((token, question)): Path<(String, String)>,
    ApiJson(r): ApiJson<DiagResponse>,
) -> Response {
    let tr = Tr(locale);
    let d = match store::by_token(&state.db, &token).await {
        Ok(Some(d)) => d,
        Ok(None) => return not_found(tr),
        Err(e) => return unavailable(tr, e),
    };
    if d.is_submitted() {
        return Problem::new(tr, StatusCode::CONFLICT, "submitted", "diag-api-submitted")
            .into_response();
    }
    let bank = match store::bank(&state.db, &d.bank_version).await {
        Ok(b) => b,
        Err(e) => return unavailable(tr, e),
    };
    let Some(q) = bank
        .questions_for(d.is_full())
        .into_iter()
        .find(|q| q.code == question)
    else {
        let mut v = Violations::default();
        v.add("question", "diag-error-unknown-item", None);
        return v.to_problem(tr).into_response();
    };
    if let Err(key) = model::check_answer(q, &r) {
        let mut v = Violations::default();
        v.add("answer", key, None);
        return v.to_problem(tr).into_response();
    }
    match store::save_response(&state.db, d.id, &q.code, &r).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => unavailable(tr, e),
    }
}

/// A diagnostic's state, scores and plan.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DiagnosticDoc {
    pub bank_version: String,
    pub mode: String,
    pub status: String,
    pub answered: usize,
    pub questions: usize,
    /// Codes of the questions still to answer.
    pub missing: Vec<String>,
    pub overall: Option<f64>,
    pub level: Option<String>,
    pub dimensions: Vec<DimensionScore>,
    pub plan: Vec<PlanStepDoc>,
}

/// The score of one dimension.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DimensionScore {
    pub dimension: String,
    pub score: Option<f64>,
}

/// One step of the plan, in order.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PlanStepDoc {
    pub code: String,
    pub dimension: String,
    pub theme: String,
    pub title: String,
    pub requires: Vec<String>,
}

async fn document(
    state: &AppState,
    tr: Tr,
    token: &str,
) -> Result<Option<DiagnosticDoc>, Response> {
    let d = match store::by_token(&state.db, token).await {
        Ok(Some(d)) => d,
        Ok(None) => return Ok(None),
        Err(e) => return Err(unavailable(tr, e)),
    };
    let bank = store::bank(&state.db, &d.bank_version)
        .await
        .map_err(|e| unavailable(tr, e))?;
    let responses = store::responses(&state.db, d.id)
        .await
        .map_err(|e| unavailable(tr, e))?;
    let questions = bank.questions_for(d.is_full());
    let missing: Vec<String> = questions
        .iter()
        .filter(|q| !responses.contains_key(&q.code))
        .map(|q| q.code.clone())
        .collect();
    let (scores, plan) = if d.is_submitted() {
        let s = scoring::score(&bank, d.is_full(), &responses);
        let p = scoring::plan(&bank, d.is_full(), &responses, &s);
        (Some(s), p)
    } else {
        (None, vec![])
    };
    Ok(Some(DiagnosticDoc {
        bank_version: d.bank_version.clone(),
        mode: d.mode.code().into(),
        status: d.status.code().into(),
        answered: questions.len() - missing.len(),
        questions: questions.len(),
        missing,
        overall: scores.as_ref().and_then(|s| s.overall),
        level: scores
            .as_ref()
            .and_then(|s| s.overall)
            .map(|o| Level::of(o).code().to_string()),
        dimensions: scores
            .as_ref()
            .map(|s| {
                s.dimensions
                    .iter()
                    .map(|(d, v)| DimensionScore {
                        dimension: d.clone(),
                        score: *v,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        plan: plan
            .iter()
            .filter_map(|p| {
                let step = bank.steps.iter().find(|s| s.code == p.code)?;
                Some(PlanStepDoc {
                    code: p.code.clone(),
                    dimension: p.dimension.clone(),
                    theme: p.theme.clone(),
                    title: step.title(tr.0).to_string(),
                    requires: step.requires.clone(),
                })
            })
            .collect(),
    }))
}

/// Fetch a diagnostic: progress, and once submitted its scores and plan.
#[utoipa::path(get, path = "/api/v1/diagnostics/{token}", operation_id = "get_diagnostic",
    params(("token" = String, Path, description = "The diagnostic's private token")),
    responses((status = 200, description = "Progress, and once submitted scores and plan", body = DiagnosticDoc)))]
pub async fn get(
    State(state): State<AppState>,
    Lang(locale): Lang,
    Path(token): Path<String>,
) -> Response {
    let tr = Tr(locale);
    match document(&state, tr, &token).await {
        Ok(Some(doc)) => Json(doc).into_response(),
        Ok(None) => not_found(tr),
        Err(r) => r,
    }
}

/// Submit: compute and store the scores (every question must be answered).
#[utoipa::path(post, path = "/api/v1/diagnostics/{token}/submit", operation_id = "submit_diagnostic",
    params(("token" = String, Path, description = "The diagnostic's private token")),
    responses((status = 200, description = "Submitted: scores and plan", body = DiagnosticDoc),
              (status = 422, description = "Questions are still unanswered (`detail` lists them)", body = Problem, content_type = "application/problem+json")))]
pub async fn submit(
    State(state): State<AppState>,
    Lang(locale): Lang,
    Path(token): Path<String>,
) -> Response {
    let tr = Tr(locale);
    let d = match store::by_token(&state.db, &token).await {
        Ok(Some(d)) => d,
        Ok(None) => return not_found(tr),
        Err(e) => return unavailable(tr, e),
    };
    if !d.is_submitted() {
        let bank = match store::bank(&state.db, &d.bank_version).await {
            Ok(b) => b,
            Err(e) => return unavailable(tr, e),
        };
        let responses = match store::responses(&state.db, d.id).await {
            Ok(r) => r,
            Err(e) => return unavailable(tr, e),
        };
        let missing: Vec<&str> = bank
            .questions_for(d.is_full())
            .iter()
            .filter(|q| !responses.contains_key(&q.code))
            .map(|q| q.code.as_str())
            .collect();
        if !missing.is_empty() {
            let mut p = Problem::new(
                tr,
                StatusCode::UNPROCESSABLE_ENTITY,
                "unanswered",
                "diag-api-unanswered",
            );
            p.detail = Some(missing.join(", "));
            return p.into_response();
        }
        let scores = scoring::score(&bank, d.is_full(), &responses);
        if let Err(e) = store::submit(&state.db, d.id, &scores).await {
            return unavailable(tr, e);
        }
    }
    match document(&state, tr, &token).await {
        Ok(Some(doc)) => ([(header::CONTENT_TYPE, "application/json")], Json(doc)).into_response(),
        Ok(None) => not_found(tr),
        Err(r) => r,
    }
}
