//! Taking a diagnostic: landing, start (alone or with an adviser), resume,
//! profile, one question per screen, summary, "e-mail me the link", finish.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;

use super::bank::Bank;
use super::model::{self, Go, Guidance, Mode};
use super::scoring::{self, Answer, Response as DiagResponse};
use super::store::{self, Diagnostic, NewDiagnostic};
use super::{mails, results};
use crate::auth::CurrentUser;
use crate::config::Config;
use crate::db::Db;
use crate::kernel::links;
use crate::outbox::enqueue;
use crate::reference::{self, OptionGroup};
use crate::state::AppState;
use crate::web::forms::{is_valid_email, Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

/// The diagnostic behind a private link and the bank version it was taken with.
pub(super) async fn load(db: &Db, token: &str) -> Result<(Diagnostic, Arc<Bank>), AppError> {
    let d = store::by_token(db, token)
        .await?
        .ok_or(AppError::NotFound)?;
    let bank = store::bank(db, &d.bank_version).await?;
    Ok((d, bank))
}

/// The path of a private link; its pages hang below it.
pub(super) fn base(token: &str) -> String {
    format!("/diagnostic/d/{token}")
}

/// A "see other" redirect to `path`.
pub(super) fn go_to(path: &str) -> Result<Response, AppError> {
    Ok(Redirect::to(path).into_response())
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

/// The start page: both modes, and the visitor's drafts and count of finished ones.
pub async fn landing(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let bank = store::current_bank(&db).await?;
    let (drafts, done) = match &ctx.user {
        Some(u) => {
            let business = crate::business::store::for_member(&db, u.id).await?;
            let done = store::series(&db, business.map(|b| b.id), Some(u.id))
                .await?
                .len();
            (store::drafts_of(&db, u.id).await?, done)
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

/// Sector, size, department and commune of a business, for comparisons
/// and for what is nearest.
struct Profile {
    sector_code: Option<String>,
    size_band: Option<String>,
    territory_code: Option<String>,
    commune_code: Option<String>,
}

async fn business_profile(db: &Db, business_id: i64) -> Result<Profile, AppError> {
    let b = crate::business::store::get(db, business_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let territory_code = match &b.commune_code {
        Some(c) => store::territory_parent(db, c).await?,
        None => None,
    };
    Ok(Profile {
        sector_code: b.sector_code,
        size_band: Some(b.size_band),
        territory_code,
        commune_code: b.commune_code,
    })
}

/// Start a diagnostic; a business member's profile is filled in from the business.
pub async fn start(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    WebForm(input): WebForm<StartInput>,
) -> Result<Response, AppError> {
    let bank = store::current_bank(&state.db).await?;
    let programme = state.programme().await?;
    let mut n = NewDiagnostic {
        programme_id: programme.id,
        mode: Mode::from_code(&input.mode),
        ..Default::default()
    };
    if let Some(u) = &user {
        n.user_id = Some(u.id);
        if let Some(b) = crate::business::store::for_member(&state.db, u.id).await? {
            n.business_id = Some(b.id);
            let p = business_profile(&state.db, b.id).await?;
            (n.sector_code, n.size_band, n.territory_code, n.commune_code) =
                (p.sector_code, p.size_band, p.territory_code, p.commune_code);
        }
    }
    let has_profile = n.sector_code.is_some();
    let (_, token) = store::create(&state.db, &bank, &n).await?;
    if has_profile {
        go_to(&format!("{}/1", base(&token)))
    } else {
        go_to(&format!("{}/profil", base(&token)))
    }
}

/// An adviser starts a full diagnostic for a business, beside its owner.
pub async fn start_assisted(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(business): Path<i64>,
) -> Result<Response, AppError> {
    let adviser = user.ok_or(AppError::Forbidden)?;
    let bank = store::current_bank(&state.db).await?;
    let programme = state.programme().await?;
    let p = business_profile(&state.db, business).await?;
    let new = NewDiagnostic {
        programme_id: programme.id,
        business_id: Some(business),
        user_id: None,
        mode: Mode::Full,
        guidance: Guidance::Assisted,
        adviser_id: Some(adviser.id),
        sector_code: p.sector_code,
        size_band: p.size_band,
        territory_code: p.territory_code,
        commune_code: p.commune_code,
    };
    let (_, token) = store::create(&state.db, &bank, &new).await?;
    go_to(&format!("{}/1", base(&token)))
}

/// Resume one of one's own drafts: it gets a new private link.
pub async fn resume(
    State(db): State<Db>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let user = user.ok_or(AppError::Forbidden)?;
    if store::draft_owner(&db, id).await? != Some(user.id) {
        return Err(AppError::NotFound);
    }
    let token = store::new_link(&db, id).await?;
    go_to(&format!("{}/recapitulatif", base(&token)))
}

// ---------------------------------------------------------------- profile

#[derive(Template)]
#[template(path = "diagnostic/profile.html")]
struct ProfilePage {
    ctx: PageCtx,
    token: String,
    sectors: Vec<OptionGroup>,
    departments: Vec<OptionGroup>,
    sector: String,
    size: String,
    territory: String,
    /// The commune as typed, or the stored one's label.
    commune: String,
    /// The communes a refused text could mean (a postcode shared by several).
    candidates: Vec<String>,
    errors: Violations,
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

/// The profile form with these values (stored, or typed and refused).
async fn profile_page(
    db: &Db,
    ctx: PageCtx,
    token: String,
    input: ProfileInput,
    errors: Violations,
) -> Result<ProfilePage, AppError> {
    let english = ctx.tr.0 == crate::i18n::Locale::En;
    let tr = ctx.tr;
    let covered: Vec<String> = match ctx.programme.id {
        Some(id) => crate::setup::store::covered(db, id, tr.0)
            .await?
            .into_iter()
            .map(|c| c.code)
            .collect(),
        None => vec![],
    };
    Ok(ProfilePage {
        sectors: reference::sector_choices(db, english, tr.t("sector-trades"), tr.t("sector-nace"))
            .await?,
        departments: reference::departments_by_programme(
            db,
            english,
            &covered,
            tr.t("diag-profile-territory-programme"),
        )
        .await?,
        sector: input.sector_code,
        size: input.size_band,
        territory: input.territory_code,
        commune: input.commune,
        candidates: vec![],
        errors,
        ctx,
        token,
    })
}

/// The comparison profile: sector, size, department, and the commune for
/// what is nearest.
pub async fn profile_form(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let (d, _) = load(&db, &token).await?;
    let stored = ProfileInput {
        sector_code: d.sector_code.unwrap_or_default(),
        size_band: d.size_band.unwrap_or_default(),
        territory_code: d.territory_code.unwrap_or_default(),
        commune: d
            .commune_code
            .as_deref()
            .and_then(crate::communes::model::by_code)
            .map(|c| c.label())
            .unwrap_or_default(),
    };
    let p = profile_page(&db, ctx, token, stored, Violations::default()).await?;
    Ok(page(&p))
}

/// What the profile form sends (every field optional).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProfileInput {
    pub sector_code: String,
    pub size_band: String,
    pub territory_code: String,
    /// A commune by name, postcode or code.
    pub commune: String,
}

/// Keep the known parts of the profile (an unknown code is left empty), then
/// the first question. A commune typed but not found is refused with the
/// form as typed: the person may have mistyped their own town.
pub async fn profile_save(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(token): Path<String>,
    WebForm(input): WebForm<ProfileInput>,
) -> Result<Response, AppError> {
    let (d, _) = load(&db, &token).await?;
    let sector = match reference::sector_of_choice(&input.sector_code) {
        Some(code) => store::sector_division(&db, &code).await?,
        None => None,
    };
    let size = crate::business::model::SIZE_BANDS
        .iter()
        .find(|s| **s == input.size_band.trim())
        .map(|s| s.to_string());
    let commune = crate::communes::store::known(&db, &input.commune).await?;
    if commune.is_none() && !input.commune.trim().is_empty() {
        // Several communes share a postcode: offer them rather than guess.
        let candidates: Vec<String> = match crate::communes::model::resolve(&input.commune) {
            Err(found) => found.iter().map(|c| c.label()).collect(),
            Ok(_) => vec![],
        };
        let key = if candidates.is_empty() {
            "diag-profile-unknown-commune"
        } else {
            "diag-profile-several-communes"
        };
        let mut errors = Violations::default();
        errors.add("commune", key, None);
        let mut p = profile_page(&db, ctx, token, input, errors).await?;
        p.candidates = candidates;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    }
    // The commune decides the department; otherwise the one chosen.
    let territory = match &commune {
        Some(c) => store::territory_parent(&db, c).await?,
        None => store::territory(&db, input.territory_code.trim()).await?,
    };
    store::set_profile(
        &db,
        d.id,
        sector.as_deref(),
        size.as_deref(),
        territory.as_deref(),
        commune.as_deref(),
    )
    .await?;
    go_to(&format!("{}/1", base(&token)))
}

// ---------------------------------------------------------------- questions

/// A checklist item or scale row as the form shows it.
pub struct ItemView {
    pub code: String,
    pub label: String,
    pub ticked: bool,
    pub rating: Option<u8>,
    /// A 0–5 row marked "does not apply".
    pub na: bool,
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
    /// What is shown is a draft kept by "save and resume later".
    draft: bool,
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
    fn is_scale_na(&self, item: &ItemView) -> bool {
        item.na || (self.na && item.rating.is_none())
    }
    fn triple_is(&self, v: &u8) -> bool {
        self.triple == Some(*v)
    }
    fn imp_is(&self, current: &u8, v: &u8) -> bool {
        current == v
    }
}

/// What a question screen shows: the answers given, and what was typed
/// on the screen being shown (a draft, or a form sent back incomplete),
/// which wins over its answer.
struct Shown<'a> {
    answers: &'a HashMap<String, DiagResponse>,
    typed: Option<&'a DiagResponse>,
}

/// Question `n` (1-based) with its answer or what was typed, if any.
fn question_view(
    ctx: PageCtx,
    token: &str,
    bank: &Bank,
    d: &Diagnostic,
    n: usize,
    shown: Shown<'_>,
    error: Option<String>,
) -> Option<QuestionPage> {
    let responses = shown.answers;
    let questions = bank.questions_for(d.is_full());
    let q = questions.get(n.checked_sub(1)?)?;
    let locale = ctx.tr.0;
    let draft = shown.typed.is_some() && error.is_none();
    let on_screen = shown.typed.or_else(|| responses.get(&q.code));
    let current = on_screen.map(|r| &r.answer);
    let importance_of = |code: &str| {
        on_screen
            .and_then(|r| r.importance.get(code))
            .copied()
            .unwrap_or(0)
    };
    let items = q
        .items
        .iter()
        .map(|i| ItemView {
            code: i.code.clone(),
            label: i.label(locale).to_string(),
            ticked: matches!(current, Some(Answer::Checklist { ticked }) if ticked.contains(&i.code)),
            rating: match current {
                Some(Answer::Scale { ratings, .. }) => ratings.get(&i.code).copied(),
                _ => None,
            },
            na: matches!(current, Some(Answer::Scale { na, .. }) if na.contains(&i.code)),
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
        dimension: dim.title(locale).to_string(),
        code: q.code.clone(),
        kind: q.kind.code(),
        title: q.title(locale).to_string(),
        help: q.help(locale).to_string(),
        allow_na: q.allow_na,
        na: matches!(current, Some(Answer::NotApplicable)),
        triple: match current {
            Some(Answer::Triple { value }) => Some(*value),
            _ => None,
        },
        importance: importance_of(""),
        items,
        error,
        assisted: d.is_assisted(),
        draft,
        ctx,
    })
}

/// One question per screen (a submitted diagnostic goes to its results).
pub async fn question_form(
    State(db): State<Db>,
    ctx: PageCtx,
    Path((token, n)): Path<(String, usize)>,
) -> Result<Response, AppError> {
    let (d, bank) = load(&db, &token).await?;
    if d.is_submitted() {
        return go_to(&format!("{}/resultats", base(&token)));
    }
    let responses = store::responses(&db, d.id).await?;
    let drafts = store::drafts(&db, d.id).await?;
    let code = bank
        .questions_for(d.is_full())
        .get(n.wrapping_sub(1))
        .map(|q| q.code.clone())
        .unwrap_or_default();
    let shown = Shown {
        answers: &responses,
        typed: drafts.get(&code),
    };
    let view = question_view(ctx, &token, &bank, &d, n, shown, None).ok_or(AppError::NotFound)?;
    Ok(page(&view))
}

/// Save an answer and move on; an incomplete answer is shown again with what
/// was typed. Leaving ("save and resume later") records nothing as an
/// answer: what was typed is kept as a draft, exactly. Going back records a
/// complete answer that says something, and keeps anything else as a draft.
pub async fn question_save(
    State(db): State<Db>,
    ctx: PageCtx,
    Path((token, n)): Path<(String, usize)>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (d, bank) = load(&db, &token).await?;
    if d.is_submitted() {
        return go_to(&format!("{}/resultats", base(&token)));
    }
    let questions = bank.questions_for(d.is_full());
    let q = *questions.get(n.wrapping_sub(1)).ok_or(AppError::NotFound)?;
    let go = Go::from_pairs(&pairs);
    let typed = model::partial_answer(q, &pairs);
    match (go, model::parse_answer(q, &pairs)) {
        (Go::Later, _) => store::save_draft(&db, d.id, &q.code, &typed).await?,
        (Go::Prev, Ok(r)) if !model::is_blank(&typed) => {
            store::save_response(&db, d.id, &q.code, &r).await?
        }
        (Go::Prev, _) => store::save_draft(&db, d.id, &q.code, &typed).await?,
        (Go::Next, Ok(r)) => store::save_response(&db, d.id, &q.code, &r).await?,
        (Go::Next, Err(key)) => {
            // Show the page again with what was typed, not what was stored.
            let responses = store::responses(&db, d.id).await?;
            let shown = Shown {
                answers: &responses,
                typed: Some(&typed),
            };
            let msg = ctx.tr.t(key);
            let view = question_view(ctx, &token, &bank, &d, n, shown, Some(msg))
                .ok_or(AppError::NotFound)?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &view));
        }
    }
    let next = match go {
        Go::Prev if n > 1 => format!("{}/{}", base(&token), n - 1),
        Go::Prev => format!("{}/profil", base(&token)),
        Go::Later => format!("{}/recapitulatif#save", base(&token)),
        Go::Next if n < questions.len() => format!("{}/{}", base(&token), n + 1),
        Go::Next => format!("{}/recapitulatif", base(&token)),
    };
    go_to(&next)
}

// ---------------------------------------------------------------- summary

/// A question in the summary.
pub struct SummaryRow {
    pub n: usize,
    pub dimension: String,
    pub title: String,
    pub answered: bool,
    /// Left with "save and resume later" before it was answered.
    pub draft: bool,
}

/// The summary page: every question, answered or not, the private link,
/// and for an assisted diagnostic the adviser's notes.
#[derive(Template)]
#[template(path = "diagnostic/summary.html")]
pub(super) struct SummaryPage {
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

/// What the summary page shows besides its questions.
#[derive(Default)]
pub(super) struct SummaryState {
    /// Some questions are unanswered and "see my results" was pressed.
    pub error: bool,
    /// A confirmation to show.
    pub notice: Option<String>,
    /// Errors of the "e-mail me the link" form.
    pub email_errors: Violations,
}

/// Build the summary page of `token`.
pub(super) async fn summary_page(
    db: &Db,
    config: &Config,
    ctx: PageCtx,
    token: &str,
    state: SummaryState,
) -> Result<SummaryPage, AppError> {
    let (d, bank) = load(db, token).await?;
    let responses = store::responses(db, d.id).await?;
    let drafts = store::drafts(db, d.id).await?;
    let locale = ctx.tr.0;
    let rows: Vec<SummaryRow> = bank
        .questions_for(d.is_full())
        .iter()
        .enumerate()
        .map(|(i, q)| SummaryRow {
            n: i + 1,
            dimension: bank
                .dimension(&q.dimension)
                .map(|x| x.title(locale).to_string())
                .unwrap_or_default(),
            title: q.title(locale).to_string(),
            answered: responses.contains_key(&q.code),
            draft: drafts.contains_key(&q.code),
        })
        .collect();
    let missing = rows.iter().filter(|r| !r.answered).count();
    let saved_notes = store::notes(db, d.id).await?;
    let notes = bank
        .dimensions
        .iter()
        .map(|x| {
            (
                x.code.clone(),
                x.title(locale).to_string(),
                saved_notes.get(&x.code).cloned().unwrap_or_default(),
            )
        })
        .collect();
    Ok(SummaryPage {
        link: links::absolute(&config.base_url, &base(token)),
        token: token.to_string(),
        rows,
        missing,
        error: state.error,
        notice: state.notice,
        assisted: d.is_assisted(),
        notes,
        email_errors: state.email_errors,
        ctx,
    })
}

/// The summary of a diagnostic.
pub async fn summary(
    State(db): State<Db>,
    State(config): State<Arc<Config>>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let p = summary_page(&db, &config, ctx, &token, SummaryState::default()).await?;
    Ok(page(&p))
}

/// Submit: every question must be answered; scores are computed and stored.
pub async fn finish(
    State(db): State<Db>,
    State(config): State<Arc<Config>>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let (d, bank) = load(&db, &token).await?;
    if !d.is_submitted() {
        let responses = store::responses(&db, d.id).await?;
        let unanswered = bank
            .questions_for(d.is_full())
            .iter()
            .any(|q| !responses.contains_key(&q.code));
        if unanswered {
            let state = SummaryState {
                error: true,
                ..Default::default()
            };
            let p = summary_page(&db, &config, ctx, &token, state).await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
        let scores = scoring::score(&bank, d.is_full(), &responses);
        store::submit(&db, d.id, &scores).await?;
    }
    results::redirect_to_results(&token)
}

/// What the "e-mail me the link" form sends.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LinkInput {
    pub email: String,
}

/// Mail the private link of a diagnostic to the address given.
pub async fn send_link(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    WebForm(input): WebForm<LinkInput>,
) -> Result<Response, AppError> {
    let (diagnostic, _) = load(&state.db, &token).await?;
    let email = input.email.trim().to_lowercase();
    if !is_valid_email(&email) {
        let mut email_errors = Violations::default();
        email_errors.add("email", "form-email-invalid", None);
        let view = SummaryState {
            email_errors,
            ..Default::default()
        };
        let p = summary_page(&state.db, &state.config, ctx, &token, view).await?;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    }
    let tr = ctx.tr;
    let link = links::absolute(
        &state.config.base_url,
        &format!("{}/recapitulatif", base(&token)),
    );
    let mut tx = state.db.begin_write().await?;
    enqueue(&mut tx, &mails::link(tr, &email, &link)).await?;
    crate::home::attach::remember_diagnostic(&mut tx, diagnostic.id, &email).await?;
    tx.commit().await?;
    state.mail_notify.notify_one();
    let view = SummaryState {
        notice: Some(tr.ts("diag-link-sent", "email", &email)),
        ..Default::default()
    };
    let p = summary_page(&state.db, &state.config, ctx, &token, view).await?;
    Ok(page(&p))
}
