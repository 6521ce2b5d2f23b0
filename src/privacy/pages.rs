//! Privacy pages: the public privacy and accessibility pages, a person's
//! own data (download, erase), the manager's register, requests received by
//! post, erasures and the audit log.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{self, AuditAction, DataKind, Hold, AUDIT_ACTIONS, REGISTER};
use super::sources::{self, Section};
use super::store::{self, AuditFilter, AuditRow, NewAudit, RunRow};
use super::{actor_label, Erasure, Subject};
use crate::db::Db;
use crate::kernel::dates;
use crate::state::AppState;
use crate::web::error::{marked, ErrorKind};
use crate::web::forms::WebForm;
use crate::web::forms::{checked, is_valid_email};
use crate::web::{page, render, AppError, PageCtx};

/// One line of the register as a page shows it.
pub(super) struct Line {
    pub(super) code: &'static str,
    /// "36 months", as the privacy page shows it.
    pub(super) kept: String,
    pub(super) label: String,
    pub(super) data: String,
    pub(super) purpose: String,
    pub(super) basis: String,
    pub(super) audience: String,
    pub(super) months: i64,
    pub(super) min: i64,
    pub(super) max: i64,
    /// "months, between min and max", the input's label.
    pub(super) limits: String,
    /// Why the minimum is what it is (the legal text or the indicator).
    pub(super) minimum: String,
}

async fn lines(db: &Db, ctx: &PageCtx) -> Result<Vec<Line>, AppError> {
    let chosen = store::retention(db).await?;
    let tr = ctx.tr;
    Ok(REGISTER
        .iter()
        .map(|e| Line {
            kept: String::new(),
            code: e.kind.code(),
            label: tr.t(e.kind.label_key()),
            data: tr.t(&e.kind.data_key()),
            purpose: tr.t(&e.kind.purpose_key()),
            basis: tr.t(e.basis.label_key()),
            audience: tr.t(&e.kind.audience_key()),
            months: chosen
                .iter()
                .find(|(k, _)| *k == e.kind)
                .map(|(_, m)| *m)
                .unwrap_or(e.default_months),
            min: e.min_months,
            max: e.max_months,
            limits: tr.args(
                "privacy-months-limits",
                &[
                    ("label", &tr.t(e.kind.label_key())),
                    ("min", &e.min_months.to_string()),
                    ("max", &e.max_months.to_string()),
                ],
            ),
            minimum: tr.t(&e.kind.minimum_key()),
        })
        .map(|mut l| {
            l.kept = tr.ts("privacy-months", "months", &l.months.to_string());
            l
        })
        .collect())
}

#[derive(Template)]
#[template(path = "privacy/privacy.html")]
struct PrivacyPage {
    ctx: PageCtx,
    lines: Vec<Line>,
    erased: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PrivacyQuery {
    efface: Option<String>,
}

/// `GET /confidentialite`: the register in short, rights and contact.
pub(super) async fn privacy(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(q): Query<PrivacyQuery>,
) -> Result<Response, AppError> {
    let lines = lines(&db, &ctx).await?;
    Ok(page(&PrivacyPage {
        ctx,
        lines,
        erased: q.efface.is_some(),
    }))
}

#[derive(Template)]
#[template(path = "privacy/accessibility.html")]
struct AccessibilityPage {
    ctx: PageCtx,
}

/// `GET /accessibilite`: the accessibility statement.
pub(super) async fn accessibility(ctx: PageCtx) -> Response {
    page(&AccessibilityPage { ctx })
}

/// A kind of data and how many rows are held.
struct Count {
    label: String,
    rows: usize,
}

fn counts(ctx: &PageCtx, sections: &[Section]) -> Vec<Count> {
    sections
        .iter()
        .map(|s| Count {
            label: DataKind::from_code(s.kind)
                .map(|k| ctx.tr.t(k.label_key()))
                .unwrap_or_default(),
            rows: s.rows(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "privacy/mine.html")]
struct MinePage {
    ctx: PageCtx,
    counts: Vec<Count>,
}

fn own_subject(ctx: &PageCtx) -> Option<Subject> {
    ctx.user.as_ref().map(|u| Subject {
        email: model::normalise_email(&u.email),
        user_id: Some(u.id),
    })
}

/// `GET /compte/donnees`: what Tremplin holds about me, download and erase.
pub(super) async fn mine(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let Some(s) = own_subject(&ctx) else {
        return Ok(Redirect::to("/connexion").into_response());
    };
    let sections = sources::export(&db, &s).await?;
    let counts = counts(&ctx, &sections);
    Ok(page(&MinePage { ctx, counts }))
}

/// An access request: the export read and the request audited.
async fn export_for(
    db: &Db,
    ctx: &PageCtx,
    s: &Subject,
    format: &str,
) -> Result<Vec<Section>, AppError> {
    let sections = sources::export(db, s).await?;
    let user = ctx.user.as_ref().ok_or(AppError::Forbidden)?;
    let actor = actor_label(user);
    let subject = model::subject_key(&s.email);
    store::record(
        &db.writer,
        &NewAudit {
            actor_id: Some(user.id),
            actor: &actor,
            action: AuditAction::AccessRequest,
            subject: &subject,
            detail: format,
        },
    )
    .await?;
    Ok(sections)
}

fn json_response(ctx: &PageCtx, s: &Subject, sections: &[Section]) -> Response {
    let body = serde_json::json!({
        "programme": ctx.programme.name,
        "email": s.email,
        "generated_at": crate::db::now_ms(),
        "exported_by": ctx.user.as_ref().map(|u| u.email.clone()),
        "sections": sections,
    });
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"mes-donnees.json\"",
            ),
        ],
        serde_json::to_string_pretty(&body).unwrap_or_default(),
    )
        .into_response()
}

fn pdf_response(ctx: &PageCtx, s: &Subject, sections: &[Section]) -> Response {
    let tz = dates::zone(&ctx.programme.timezone);
    let when = dates::date_time(ctx.tr.0, &tz, crate::db::now_ms());
    let bytes = super::pdf::render(ctx.tr, &ctx.programme.name, &s.email, &when, sections);
    (
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"mes-donnees.pdf\"",
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /admin/donnees-personnelles/registre.pdf`: the register of
/// processing as a document to file or send (the retention chosen, each
/// minimum and its reason).
pub(super) async fn register_pdf(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let lines = lines(&db, &ctx).await?;
    let tz = dates::zone(&ctx.programme.timezone);
    let when = dates::date_time(ctx.tr.0, &tz, crate::db::now_ms());
    let bytes = super::pdf::register(ctx.tr, &ctx.programme.name, &when, &lines);
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"registre-des-traitements.pdf\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /compte/donnees.json`
pub(super) async fn mine_json(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let s = own_subject(&ctx).ok_or(AppError::Forbidden)?;
    let sections = export_for(&db, &ctx, &s, "json").await?;
    Ok(json_response(&ctx, &s, &sections))
}

/// `GET /compte/donnees.pdf`
pub(super) async fn mine_pdf(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let s = own_subject(&ctx).ok_or(AppError::Forbidden)?;
    let sections = export_for(&db, &ctx, &s, "pdf").await?;
    Ok(pdf_response(&ctx, &s, &sections))
}

/// A hold as shown.
struct HoldLine {
    reason: String,
    about: String,
}

fn hold_lines(ctx: &PageCtx, holds: &[Hold]) -> Vec<HoldLine> {
    holds
        .iter()
        .map(|h| HoldLine {
            reason: ctx.tr.t(h.key),
            about: h.about.clone(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "privacy/erase.html")]
struct ErasePage {
    ctx: PageCtx,
    holds: Vec<HoldLine>,
    missing_confirm: bool,
}

/// `GET /compte/donnees/effacer`: what erasing does, and a confirmation.
pub(super) async fn erase_mine_form(
    State(db): State<Db>,
    ctx: PageCtx,
) -> Result<Response, AppError> {
    let s = own_subject(&ctx).ok_or(AppError::Forbidden)?;
    let holds = hold_lines(&ctx, &sources::person_holds(&db, &s).await?);
    Ok(page(&ErasePage {
        ctx,
        holds,
        missing_confirm: false,
    }))
}

/// The confirmation box of an erasure form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ConfirmInput {
    confirm: Option<String>,
    email: String,
    business_id: String,
}

/// `POST /compte/donnees/effacer`: erase my data once confirmed.
pub(super) async fn erase_mine(
    State(db): State<Db>,
    ctx: PageCtx,
    WebForm(input): WebForm<ConfirmInput>,
) -> Result<Response, AppError> {
    let s = own_subject(&ctx).ok_or(AppError::Forbidden)?;
    if !checked(&input.confirm) {
        let holds = hold_lines(&ctx, &sources::person_holds(&db, &s).await?);
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ErasePage {
                ctx,
                holds,
                missing_confirm: true,
            },
        ));
    }
    let user = ctx.user.as_ref().ok_or(AppError::Forbidden)?;
    let actor = actor_label(user);
    match super::erase_person(&db, &s, Some(user.id), &actor).await? {
        Erasure::Held(holds) => {
            let holds = hold_lines(&ctx, &holds);
            Ok(render(
                StatusCode::CONFLICT,
                &ErasePage {
                    ctx,
                    holds,
                    missing_confirm: false,
                },
            ))
        }
        _ => Ok(Redirect::to("/confidentialite?efface=1").into_response()),
    }
}

#[derive(Template)]
#[template(path = "privacy/register.html")]
struct RegisterPage {
    ctx: PageCtx,
    lines: Vec<Line>,
    errors: Vec<(String, String)>,
    saved: bool,
    runs: Vec<RunRow>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RegisterQuery {
    enregistre: Option<String>,
}

/// `GET /admin/donnees-personnelles`: the full register, retention, runs.
pub(super) async fn register(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(q): Query<RegisterQuery>,
) -> Result<Response, AppError> {
    let lines = lines(&db, &ctx).await?;
    let runs = store::runs(&db, 14).await?;
    Ok(page(&RegisterPage {
        ctx,
        lines,
        errors: vec![],
        saved: q.enregistre.is_some(),
        runs,
    }))
}

/// `POST /admin/donnees-personnelles`: set retention per kind within limits.
pub(super) async fn save_retention(
    State(db): State<Db>,
    ctx: PageCtx,
    WebForm(input): WebForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let user = ctx.user.clone().ok_or(AppError::Forbidden)?;
    let mut chosen = Vec::new();
    let mut errors = Vec::new();
    for e in REGISTER {
        let field = format!("months_{}", e.kind.code());
        let Some((_, v)) = input.iter().find(|(k, _)| *k == field) else {
            continue;
        };
        match model::parse_retention(e.kind, v) {
            Ok(m) => chosen.push((e.kind, m)),
            Err(err) => {
                let (key, limit) = err.key();
                let msg = ctx.tr.args(
                    key,
                    &[
                        ("field", &ctx.tr.t(e.kind.label_key())),
                        ("limit", &limit.to_string()),
                        ("reason", &ctx.tr.t(&e.kind.minimum_key())),
                    ],
                );
                errors.push((field, msg));
            }
        }
    }
    if !errors.is_empty() {
        let mut lines = lines(&db, &ctx).await?;
        for l in &mut lines {
            if let Some((_, v)) = input
                .iter()
                .find(|(k, _)| *k == format!("months_{}", l.code))
            {
                l.months = v.trim().parse().unwrap_or(l.months);
            }
        }
        let runs = store::runs(&db, 14).await?;
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &RegisterPage {
                ctx,
                lines,
                errors,
                saved: false,
                runs,
            },
        ));
    }
    let mut tx = db.begin_write().await?;
    let detail = chosen
        .iter()
        .map(|(k, m)| format!("{}={m}", k.code()))
        .collect::<Vec<_>>()
        .join(" ");
    for (k, m) in chosen {
        store::set_retention(&mut tx, k, m, user.id).await?;
    }
    store::record(
        &mut *tx,
        &NewAudit {
            actor_id: Some(user.id),
            actor: &user.email,
            action: AuditAction::RetentionChanged,
            subject: "",
            detail: &detail,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/admin/donnees-personnelles?enregistre=1").into_response())
}

#[derive(Template)]
#[template(path = "privacy/request.html")]
struct RequestPage {
    ctx: PageCtx,
    email: String,
    error: Option<String>,
    counts: Vec<Count>,
    holds: Vec<HoldLine>,
    erased_at: Option<i64>,
    is_admin: bool,
}

impl RequestPage {
    fn email_q(&self) -> String {
        crate::web::ctx::urlencode(&self.email)
    }

    fn erased_text(&self) -> Option<String> {
        self.erased_at.map(|at| {
            self.ctx
                .tr
                .ts("privacy-already-erased", "date", &self.ctx.datetime(at))
        })
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct EmailQuery {
    email: String,
}

/// `GET /admin/donnees-personnelles/demande?email=`: a request received by post.
pub(super) async fn request(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(q): Query<EmailQuery>,
) -> Result<Response, AppError> {
    let is_admin = ctx.has_role("admin");
    let email = q.email.trim().to_string();
    let mut p = RequestPage {
        ctx,
        email: email.clone(),
        error: None,
        counts: vec![],
        holds: vec![],
        erased_at: None,
        is_admin,
    };
    if email.is_empty() {
        return Ok(page(&p));
    }
    if !is_valid_email(&email) {
        p.error = Some(p.ctx.tr.t("privacy-request-bad-email"));
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    }
    let s = super::subject(&db, &email).await?;
    p.erased_at = store::erased_at(&db, &model::subject_key(&s.email)).await?;
    p.counts = counts(&p.ctx, &sources::export(&db, &s).await?);
    p.holds = hold_lines(&p.ctx, &sources::person_holds(&db, &s).await?);
    Ok(page(&p))
}

async fn staff_subject(db: &Db, q: &EmailQuery) -> Result<Subject, AppError> {
    if !is_valid_email(q.email.trim()) {
        return Err(AppError::BadRequest);
    }
    Ok(super::subject(db, &q.email).await?)
}

/// `GET /admin/donnees-personnelles/demande.json?email=`
pub(super) async fn request_json(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(q): Query<EmailQuery>,
) -> Result<Response, AppError> {
    let s = staff_subject(&db, &q).await?;
    let sections = export_for(&db, &ctx, &s, "json (staff)").await?;
    Ok(json_response(&ctx, &s, &sections))
}

/// `GET /admin/donnees-personnelles/demande.pdf?email=`
pub(super) async fn request_pdf(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(q): Query<EmailQuery>,
) -> Result<Response, AppError> {
    let s = staff_subject(&db, &q).await?;
    let sections = export_for(&db, &ctx, &s, "pdf (staff)").await?;
    Ok(pdf_response(&ctx, &s, &sections))
}

#[derive(Template)]
#[template(path = "privacy/result.html")]
struct ResultPage {
    ctx: PageCtx,
    /// done, already, held, nothing, unconfirmed
    outcome: &'static str,
    message: String,
    holds: Vec<HoldLine>,
    back: String,
}

fn outcome_page(ctx: PageCtx, result: Erasure, back: String) -> Response {
    let tz = dates::zone(&ctx.programme.timezone);
    let (status, outcome, message, holds) = match result {
        Erasure::Done { rows } => (
            StatusCode::OK,
            "done",
            ctx.tr
                .args("privacy-erased", &[("rows", &rows.to_string())]),
            vec![],
        ),
        Erasure::AlreadyErased(at) => (
            StatusCode::CONFLICT,
            "already",
            ctx.tr.args(
                "privacy-already-erased",
                &[("date", &dates::date_time(ctx.tr.0, &tz, at))],
            ),
            vec![],
        ),
        Erasure::Held(h) => (
            StatusCode::CONFLICT,
            "held",
            ctx.tr.t("privacy-held"),
            hold_lines(&ctx, &h),
        ),
        Erasure::NothingHeld => (
            StatusCode::NOT_FOUND,
            "nothing",
            ctx.tr.t("privacy-nothing-held"),
            vec![],
        ),
    };
    render(
        status,
        &ResultPage {
            ctx,
            outcome,
            message,
            holds,
            back,
        },
    )
}

fn unconfirmed(ctx: PageCtx, back: String) -> Response {
    let message = ctx.tr.t("privacy-confirm-missing");
    render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &ResultPage {
            ctx,
            outcome: "unconfirmed",
            message,
            holds: vec![],
            back,
        },
    )
}

/// `POST /admin/donnees-personnelles/effacer`: erase a person by address.
pub(super) async fn erase_for(
    State(state): State<AppState>,
    ctx: PageCtx,
    WebForm(input): WebForm<ConfirmInput>,
) -> Result<Response, AppError> {
    let back = format!(
        "/admin/donnees-personnelles/demande?email={}",
        crate::web::ctx::urlencode(input.email.trim())
    );
    if !is_valid_email(input.email.trim()) {
        return Ok(marked(ErrorKind::BadRequest));
    }
    if !checked(&input.confirm) {
        return Ok(unconfirmed(ctx, back));
    }
    let user = ctx.user.clone().ok_or(AppError::Forbidden)?;
    let s = super::subject(&state.db, &input.email).await?;
    let result = super::erase_person(&state.db, &s, Some(user.id), &user.email).await?;
    Ok(outcome_page(ctx, result, back))
}

/// `POST /admin/donnees-personnelles/entreprise`: erase a business.
pub(super) async fn erase_business(
    State(state): State<AppState>,
    ctx: PageCtx,
    WebForm(input): WebForm<ConfirmInput>,
) -> Result<Response, AppError> {
    let back = "/admin/donnees-personnelles".to_string();
    let Ok(id) = input.business_id.trim().parse::<i64>() else {
        return Ok(outcome_page(ctx, Erasure::NothingHeld, back));
    };
    if !checked(&input.confirm) {
        return Ok(unconfirmed(ctx, back));
    }
    let user = ctx.user.clone().ok_or(AppError::Forbidden)?;
    let result = super::erase_business(&state.db, id, Some(user.id), &user.email).await?;
    Ok(outcome_page(ctx, result, back))
}

#[derive(Template)]
#[template(path = "privacy/audit.html")]
struct AuditPage {
    ctx: PageCtx,
    rows: Vec<AuditRow>,
    q: AuditQuery,
    actions: Vec<(&'static str, String)>,
}

impl AuditPage {
    fn action_label(&self, code: &str) -> String {
        AuditAction::from_code(code)
            .map(|a| self.ctx.tr.t(a.label_key()))
            .unwrap_or_else(|| code.to_string())
    }

    fn when(&self, ms: &i64) -> String {
        self.ctx.datetime(*ms)
    }
}

/// Filters of the audit log.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct AuditQuery {
    action: String,
    q: String,
    from: String,
    to: String,
}

/// `GET /admin/journal`: the audit log, filtered (read only: no route edits it).
pub(super) async fn audit(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let day_ms = |s: &str| {
        dates::parse_date(s).and_then(|d| {
            d.to_zoned(tz.clone())
                .ok()
                .map(|z| z.timestamp().as_millisecond())
        })
    };
    let mut text = Vec::new();
    let needle = q.q.trim().to_lowercase();
    if !needle.is_empty() {
        text.push(crate::text::like_escape(&needle));
        if is_valid_email(&needle) {
            // People are named by a key derived from their address.
            text.push(model::subject_key(&needle));
        }
    }
    let filter = AuditFilter {
        action: AuditAction::from_code(&q.action),
        text,
        from_ms: day_ms(&q.from),
        to_ms: day_ms(&q.to).map(|t| t + 24 * 3_600_000),
    };
    let rows = store::audit_search(&db, &filter, 500).await?;
    let actions = AUDIT_ACTIONS
        .iter()
        .map(|a| (a.code(), ctx.tr.t(a.label_key())))
        .collect();
    Ok(page(&AuditPage {
        ctx,
        rows,
        q,
        actions,
    }))
}
