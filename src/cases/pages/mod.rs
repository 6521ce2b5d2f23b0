//! The staff side of follow-up files: the list, opening a file, the file
//! page (version-checked form, activities, documents, hours, referrals,
//! timeline), activities with their history, documents and coaching hours.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{
    self, ActivityContext, ActivityForm, ActivityKind, CaseForm, CaseStatus, Funder, HoursForm,
    OpenForm, Origin, Outcome, ReferralStatus, StatusClass, ValidOpen,
};
use super::store::{self, Case};
use super::timeline::{self, Event};
use crate::auth::SessionUser;
use crate::db::{now_ms, Db};
use crate::kernel::dates;
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

/// Files per page of the list.
pub const PAGE_SIZE: i64 = 50;

mod activities;

pub use activities::*;

/// The signed-in person (the access table already required one).
pub(super) fn user_of(ctx: &PageCtx) -> Result<Arc<SessionUser>, AppError> {
    ctx.user.clone().ok_or(AppError::Forbidden)
}

/// A file for staff who may open it (manager, adviser in charge,
/// contributor); others are refused.
pub(super) async fn case_for_staff(db: &Db, ctx: &PageCtx, id: i64) -> Result<Case, AppError> {
    let user = user_of(ctx)?;
    if !user.is_staff() {
        return Err(AppError::NotFound);
    }
    let case = store::get(db, id).await?.ok_or(AppError::NotFound)?;
    if !super::access::may_open(db, ctx, &case).await? {
        return Err(AppError::Forbidden);
    }
    Ok(case)
}

/// A label pair (code, localised text) for selects.
pub type Choice = (String, String);

fn choices<T: Copy>(
    ctx: &PageCtx,
    all: &[T],
    code: fn(T) -> &'static str,
    key: fn(T) -> &'static str,
) -> Vec<Choice> {
    all.iter()
        .map(|v| (code(*v).to_string(), ctx.tr.t(key(*v))))
        .collect()
}

fn template_title(ctx: &PageCtx, fr: &Option<String>, en: &Option<String>) -> String {
    match ctx.tr.0 {
        crate::i18n::Locale::Fr => fr.clone(),
        crate::i18n::Locale::En => en.clone(),
    }
    .unwrap_or_else(|| ctx.tr.t("case-no-template"))
}

// ------------------------------------------------------------------ list

/// The list's filter.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub mine: String,
    pub closed: String,
    pub page: String,
}

/// A file in the list.
pub struct ListRow {
    pub id: i64,
    pub business: String,
    pub template: String,
    pub adviser: String,
    pub status_code: String,
    pub status: String,
    pub opened: String,
    pub overdue: i64,
    pub next_due: String,
}

#[derive(Template)]
#[template(path = "cases/list.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<ListRow>,
    mine: bool,
    closed: bool,
    total: i64,
    page: i64,
    pages: i64,
}

impl ListPage {
    /// The list's URL on page `n`, with its filters.
    fn page_link(&self, n: i64) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        if self.mine {
            q.append_pair("mine", "1");
        }
        if self.closed {
            q.append_pair("closed", "1");
        }
        if n > 1 {
            q.append_pair("page", &n.to_string());
        }
        let q = q.finish();
        if q.is_empty() {
            "/dossiers".into()
        } else {
            format!("/dossiers?{q}")
        }
    }
}

/// `GET /dossiers`
pub async fn list(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let mine = q.mine == "1";
    let closed = q.closed == "1";
    let page_no = q.page.trim().parse::<i64>().unwrap_or(1).clamp(1, 100_000);
    let now = now_ms();
    let filter = store::ListFilter {
        adviser: mine.then_some(user.id),
        business: None,
        open_only: !closed,
    };
    let rows = store::list_page(&db, &filter, now, PAGE_SIZE, (page_no - 1) * PAGE_SIZE).await?;
    // The count is needed only when the page is full or past the end.
    let total = if page_no == 1 && (rows.len() as i64) < PAGE_SIZE {
        rows.len() as i64
    } else {
        store::count_files(&db, &filter).await?
    };
    let rows = rows
        .into_iter()
        .map(|r| ListRow {
            id: r.id,
            template: template_title(&ctx, &r.template_fr, &r.template_en),
            adviser: r.adviser_name.unwrap_or_default(),
            status: ctx.tr.t(CaseStatus::from_code(&r.status)
                .unwrap_or(CaseStatus::ToQualify)
                .label_key()),
            status_code: r.status,
            opened: ctx.datetime(r.opened_at),
            overdue: r.overdue,
            next_due: r.next_due.map(|d| ctx.datetime(d)).unwrap_or_default(),
            business: r.business_name,
        })
        .collect();
    Ok(page(&ListPage {
        ctx,
        rows,
        mine,
        closed,
        total,
        page: page_no,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
    }))
}

// ------------------------------------------------------------------ open

/// Prefill of the opening form (from a request, a diagnostic...).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OpenQuery {
    pub entreprise: String,
    pub origine: String,
    pub ref_id: String,
}

#[derive(Template)]
#[template(path = "cases/new.html")]
struct NewPage {
    ctx: PageCtx,
    input: OpenForm,
    errors: Violations,
    businesses: Vec<(i64, String)>,
    templates: Vec<(i64, String)>,
    advisers: Vec<(i64, String)>,
    origins: Vec<Choice>,
}

async fn new_page(
    db: &Db,
    ctx: PageCtx,
    input: OpenForm,
    errors: Violations,
) -> Result<NewPage, AppError> {
    let templates = store::templates(db)
        .await?
        .into_iter()
        .filter(|t| t.active == 1)
        .map(|t| {
            (
                t.id,
                match ctx.tr.0 {
                    crate::i18n::Locale::Fr => t.title_fr,
                    crate::i18n::Locale::En => t.title_en,
                },
            )
        })
        .collect();
    Ok(NewPage {
        origins: choices(&ctx, Origin::ALL, Origin::code, Origin::label_key),
        businesses: store::businesses(db).await?,
        advisers: store::advisers(db).await?,
        templates,
        ctx,
        input,
        errors,
    })
}

/// `GET /dossiers/nouveau`
pub async fn new_form(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(q): Query<OpenQuery>,
) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let input = OpenForm {
        business: q.entreprise,
        origin: if q.origine.is_empty() {
            Origin::Manual.code().into()
        } else {
            q.origine
        },
        origin_id: q.ref_id,
        adviser: user.id.to_string(),
        ..Default::default()
    };
    let p = new_page(&db, ctx, input, Violations::default()).await?;
    Ok(page(&p))
}

/// Open a checked file now (or on its opening day) with its template's plan;
/// returns its id. Shared by the form, the inbox and the API.
pub async fn open_case(
    db: &Db,
    tz: &jiff::tz::TimeZone,
    locale: crate::i18n::Locale,
    v: &ValidOpen,
    by: i64,
) -> Result<i64, sqlx::Error> {
    let now = now_ms();
    let opened_at = match v.opened_on {
        Some(d) => {
            let clock = dates::zoned(tz, now).time();
            dates::to_ms(tz, d, clock).unwrap_or(now)
        }
        None => now,
    };
    let planned = match v.template_id {
        Some(t) => model::plan(&store::steps(db, t).await?, opened_at, tz, locale),
        None => vec![],
    };
    let mut tx = db.begin_write().await?;
    let id = store::open(
        &mut tx,
        &store::NewCase {
            business_id: v.business_id,
            template_id: v.template_id,
            origin: v.origin,
            origin_id: v.origin_id,
            adviser_id: v.adviser_id,
            summary: &v.summary,
            opened_at,
            by: Some(by),
        },
        &planned,
        now,
    )
    .await?;
    if v.origin == Origin::CoachingRequest {
        if let Some(rid) = v.origin_id {
            crate::coaching::store::link_case(&mut tx, rid, id, by, now).await?;
        }
    }
    tx.commit().await?;
    Ok(id)
}

/// `POST /dossiers/nouveau`
pub async fn create(
    State(db): State<Db>,
    ctx: PageCtx,
    WebForm(form): WebForm<OpenForm>,
) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let businesses: Vec<i64> = store::businesses(&db).await?.iter().map(|b| b.0).collect();
    let templates: Vec<i64> = store::templates(&db)
        .await?
        .iter()
        .filter(|t| t.active == 1)
        .map(|t| t.id)
        .collect();
    let advisers: Vec<i64> = store::advisers(&db).await?.iter().map(|a| a.0).collect();
    let valid = match model::parse_open(&form, &businesses, &templates, &advisers) {
        Ok(v) => v,
        Err(errors) => {
            let p = new_page(&db, ctx, form, errors).await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    let tz = dates::zone(&ctx.programme.timezone);
    let id = open_case(&db, &tz, ctx.tr.0, &valid, user.id).await?;
    Ok(Redirect::to(&format!("/dossiers/{id}?ouvert=1")).into_response())
}

// ------------------------------------------------------------------ show

/// An activity as shown.
pub struct ActivityView {
    pub id: i64,
    pub kind_code: &'static str,
    pub kind: String,
    pub title: String,
    pub body: Vec<String>,
    pub when: String,
    pub planned: bool,
    pub overdue: bool,
    pub minutes: String,
    pub place: String,
    pub online: bool,
    pub attendees: String,
    pub shared: bool,
    pub author: String,
    pub edits: i64,
    pub observations: Vec<(String, String)>,
}

/// Show activities for a page; `now` decides what is overdue.
pub(super) fn activity_views(
    ctx: &PageCtx,
    rows: Vec<store::Activity>,
    edits: &HashMap<i64, i64>,
    obs: &[(i64, String, String)],
    now: i64,
) -> Vec<ActivityView> {
    rows.into_iter()
        .map(|a| {
            let kind = a.kind();
            ActivityView {
                id: a.id,
                kind_code: kind.code(),
                kind: ctx.tr.t(kind.label_key()),
                when: ctx.datetime(a.when()),
                planned: a.happened_at.is_none(),
                overdue: model::is_overdue(a.due_at, a.happened_at, now),
                minutes: if a.minutes > 0 {
                    model::show_minutes(a.minutes)
                } else {
                    String::new()
                },
                body: a
                    .body
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_string)
                    .collect(),
                title: if a.title.is_empty() {
                    ctx.tr.t(kind.label_key())
                } else {
                    a.title.clone()
                },
                place: a.place,
                online: a.online == 1,
                attendees: a.attendees,
                shared: a.shared == 1,
                author: a.author_name.unwrap_or_default(),
                edits: edits.get(&a.id).copied().unwrap_or(0),
                observations: obs
                    .iter()
                    .filter(|(id, _, _)| *id == a.id)
                    .map(|(_, d, n)| (ctx.tr.code("case-dim-", d), n.clone()))
                    .collect(),
            }
        })
        .collect()
}

/// A referral as shown.
pub struct ReferralView {
    pub id: i64,
    pub body: String,
    pub status_code: &'static str,
    pub status: String,
    pub note: String,
    pub answer: String,
    pub sent: String,
    pub reminders: i64,
    pub can_reopen: bool,
}

pub(super) fn referral_views(ctx: &PageCtx, rows: Vec<store::Referral>) -> Vec<ReferralView> {
    rows.into_iter()
        .map(|r| {
            let s = r.status();
            ReferralView {
                id: r.id,
                status_code: s.code(),
                status: ctx.tr.t(s.label_key()),
                can_reopen: s.is_final(),
                sent: ctx.datetime(r.sent_at),
                reminders: r.reminders,
                body: r.body_name,
                note: r.note,
                answer: r.answer,
            }
        })
        .collect()
}

/// Coaching time as shown.
pub struct HoursView {
    pub funder: String,
    pub planned: String,
    pub delivered: String,
    pub amount: String,
    pub reference: String,
}

/// The file page's data beyond the file itself.
pub struct Details {
    pub activities: Vec<ActivityView>,
    pub documents: Vec<store::Document>,
    pub hours: Vec<HoursView>,
    pub totals: Vec<HoursView>,
    pub referrals: Vec<ReferralView>,
    pub assignments: Vec<(String, String, String)>,
    pub contributors: Vec<String>,
    pub access: super::access::AccessView,
    pub reads: Vec<(String, String)>,
    pub timeline: Vec<Event>,
    pub plan: Vec<timeline::PlanStep>,
    pub gains: Vec<timeline::Gain>,
    pub t1_link: Option<String>,
    /// Who may be put in charge (the file's form).
    pub advisers: Vec<(i64, String)>,
    /// The active partner bodies (the referral form).
    pub bodies: Vec<(i64, String)>,
}

fn money(ctx: &PageCtx, cents: i64) -> String {
    crate::kernel::money::Euros(cents).format(ctx.tr.0)
}

/// Totals per funder of a file's coaching time (funder code, planned,
/// delivered minutes, cents), by funder code.
fn totals_by_funder(hours: &[store::Hours]) -> Vec<(String, i64, i64, i64)> {
    let mut totals: std::collections::BTreeMap<&str, (i64, i64, i64)> = Default::default();
    for h in hours {
        let t = totals.entry(h.funder.as_str()).or_default();
        t.0 += h.planned_minutes;
        t.1 += h.delivered_minutes;
        t.2 += h.amount_cents.unwrap_or(0);
    }
    totals
        .into_iter()
        .map(|(f, (p, d, c))| (f.to_string(), p, d, c))
        .collect()
}

/// The file page's data, with the advisers a file may be given to and the
/// bodies it may be referred to.
async fn details(db: &Db, ctx: &PageCtx, case: &Case) -> Result<Details, AppError> {
    let now = now_ms();
    let acts = store::activities(db, case.id, false).await?;
    let referrals = store::referrals(db, case.id).await?;
    // The timeline reads the same activities and referrals.
    let story = timeline::story(db, ctx, case, false, &acts, &referrals).await?;
    let lists = store::file_lists(db, case.id).await?;
    let activities = activity_views(ctx, acts, &lists.edits, &lists.observations, now);
    let hours_rows = lists.hours;
    let totals = totals_by_funder(&hours_rows)
        .into_iter()
        .map(|(f, p, d, c)| HoursView {
            funder: ctx.tr.t(Funder::from_code(&f)
                .unwrap_or(Funder::Programme)
                .label_key()),
            planned: model::show_minutes(p),
            delivered: model::show_minutes(d),
            amount: money(ctx, c),
            reference: String::new(),
        })
        .collect();
    let hours = hours_rows
        .into_iter()
        .map(|h| HoursView {
            funder: ctx.tr.t(Funder::from_code(&h.funder)
                .unwrap_or(Funder::Programme)
                .label_key()),
            planned: model::show_minutes(h.planned_minutes),
            delivered: model::show_minutes(h.delivered_minutes),
            amount: h.amount_cents.map(|c| money(ctx, c)).unwrap_or_default(),
            reference: h.reference,
        })
        .collect();
    let assignments = lists
        .assignments
        .into_iter()
        .map(|(a, b, at)| {
            (
                a.unwrap_or_else(|| ctx.tr.t("case-nobody")),
                b.unwrap_or_default(),
                ctx.datetime(at),
            )
        })
        .collect();
    let reads = lists
        .reads
        .into_iter()
        .map(|(u, at)| (u.unwrap_or_default(), ctx.datetime(at)))
        .collect();
    Ok(Details {
        activities,
        documents: lists.documents,
        hours,
        totals,
        referrals: referral_views(ctx, referrals),
        assignments,
        contributors: lists.contributors,
        access: super::access::view(ctx, case, &lists.advisers, lists.requests)?,
        reads,
        timeline: story.events,
        plan: story.plan,
        gains: story.gains,
        t1_link: story.t1_link,
        advisers: lists.advisers,
        bodies: lists.bodies,
    })
}

#[derive(Template)]
#[template(path = "cases/show.html")]
struct ShowPage {
    ctx: PageCtx,
    case: Case,
    template: String,
    status: String,
    status_open: bool,
    outcome: String,
    origin: String,
    opened: String,
    input: CaseForm,
    errors: Violations,
    conflict: bool,
    activity_input: ActivityForm,
    activity_errors: Violations,
    hours_input: HoursForm,
    hours_errors: Violations,
    doc_error: Option<String>,
    notice: Option<String>,
    d: Details,
    statuses: Vec<Choice>,
    outcomes: Vec<Choice>,
    kinds: Vec<Choice>,
    funders: Vec<Choice>,
    dimensions: Vec<Choice>,
    today: String,
}

impl ShowPage {
    fn selected(&self, value: &str, current: &str) -> bool {
        value == current
    }
    fn adviser_selected(&self, id: &i64) -> bool {
        self.input.adviser == id.to_string()
    }
    fn obs_value(&self, dim: &str) -> String {
        self.activity_input
            .rest
            .get(&format!("obs_{dim}"))
            .cloned()
            .unwrap_or_default()
    }
    fn checked_shared(&self) -> bool {
        crate::web::forms::checked(&self.activity_input.shared)
    }
    fn checked_online(&self) -> bool {
        crate::web::forms::checked(&self.activity_input.online)
    }
}

/// What the show page starts from when a form failed.
#[derive(Default)]
pub(super) struct Kept {
    pub input: Option<CaseForm>,
    pub errors: Violations,
    pub conflict: bool,
    pub activity_input: ActivityForm,
    pub activity_errors: Violations,
    pub hours_input: HoursForm,
    pub hours_errors: Violations,
    pub doc_error: Option<String>,
    pub notice: Option<String>,
}

fn form_of(case: &Case) -> CaseForm {
    CaseForm {
        status: case.status.clone(),
        outcome: case.outcome.clone().unwrap_or_default(),
        adviser: case.adviser_id.map(|a| a.to_string()).unwrap_or_default(),
        summary: case.summary.clone(),
        version: case.version.to_string(),
    }
}

async fn show_page(db: &Db, ctx: PageCtx, case: Case, kept: Kept) -> Result<ShowPage, AppError> {
    let d = details(db, &ctx, &case).await?;
    let status = case.status();
    let tz = dates::zone(&ctx.programme.timezone);
    Ok(ShowPage {
        template: template_title(&ctx, &case.template_fr, &case.template_en),
        status: ctx.tr.t(status.label_key()),
        status_open: status.class() == StatusClass::Open,
        outcome: case
            .outcome()
            .map(|o| ctx.tr.t(o.label_key()))
            .unwrap_or_default(),
        origin: ctx.tr.t(Origin::from_code(&case.origin)
            .unwrap_or(Origin::Manual)
            .label_key()),
        opened: ctx.datetime(case.opened_at),
        input: kept.input.unwrap_or_else(|| form_of(&case)),
        errors: kept.errors,
        conflict: kept.conflict,
        activity_input: kept.activity_input,
        activity_errors: kept.activity_errors,
        hours_input: kept.hours_input,
        hours_errors: kept.hours_errors,
        doc_error: kept.doc_error,
        notice: kept.notice,
        d,
        statuses: choices(
            &ctx,
            CaseStatus::ALL,
            CaseStatus::code,
            CaseStatus::label_key,
        ),
        outcomes: choices(&ctx, Outcome::ALL, Outcome::code, Outcome::label_key),
        kinds: choices(
            &ctx,
            ActivityKind::ALL,
            ActivityKind::code,
            ActivityKind::label_key,
        ),
        funders: choices(&ctx, Funder::ALL, Funder::code, Funder::label_key),
        dimensions: crate::diagnostic::bank::DIMENSIONS
            .iter()
            .map(|d| (d.to_string(), ctx.tr.code("case-dim-", d)))
            .collect(),
        today: dates::date_input(&tz, now_ms()),
        ctx,
        case,
    })
}

/// Notices after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    pub ouvert: String,
    pub enregistre: String,
    pub oriente: String,
}

/// `GET /dossiers/{id}`: every staff read is logged.
pub async fn show(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    if !user.is_staff() {
        return Err(AppError::NotFound);
    }
    let case = store::get(&db, id).await?.ok_or(AppError::NotFound)?;
    if !super::access::may_open(&db, &ctx, &case).await? {
        return super::access::refusal(&db, ctx, case).await;
    }
    store::log_read(&db, id, user.id, now_ms()).await?;
    let notice = if q.ouvert == "1" {
        Some(ctx.tr.t("case-opened"))
    } else if q.enregistre == "1" {
        Some(ctx.tr.t("case-saved"))
    } else if q.oriente == "1" {
        Some(ctx.tr.t("referral-sent"))
    } else {
        None
    };
    let p = show_page(
        &db,
        ctx,
        case,
        Kept {
            notice,
            ..Default::default()
        },
    )
    .await?;
    Ok(page(&p))
}

/// `POST /dossiers/{id}`: the file's status, adviser, outcome and summary,
/// applied only if nobody changed the file since the form was shown; the
/// second adviser is told and keeps what they typed.
pub async fn update(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(mut form): WebForm<CaseForm>,
) -> Result<Response, AppError> {
    let case = case_for_staff(&db, &ctx, id).await?;
    let user = user_of(&ctx)?;
    let advisers: Vec<i64> = store::advisers(&db).await?.iter().map(|a| a.0).collect();
    let valid = match model::parse_case(&form, &advisers) {
        Ok(v) => v,
        Err(errors) => {
            let p = show_page(
                &db,
                ctx,
                case,
                Kept {
                    input: Some(form),
                    errors,
                    ..Default::default()
                },
            )
            .await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    let mut tx = db.begin_write().await?;
    let locked = store::lock(&mut tx, &db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if locked.version != valid.version {
        drop(tx);
        let fresh = store::get(&db, id).await?.ok_or(AppError::NotFound)?;
        let mut errors = Violations::default();
        errors.add("status", "case-edit-conflict", None);
        // The next save, made knowingly, applies what was typed.
        form.version = fresh.version.to_string();
        let p = show_page(
            &db,
            ctx,
            fresh,
            Kept {
                input: Some(form),
                errors,
                conflict: true,
                ..Default::default()
            },
        )
        .await?;
        return Ok(render(StatusCode::CONFLICT, &p));
    }
    store::update(&mut tx, id, &locked, &valid, user.id, now_ms()).await?;
    tx.commit().await?;
    if valid.adviser_id != Some(user.id) {
        store::add_contributor(&db, id, user.id, now_ms()).await?;
    }
    Ok(Redirect::to(&format!("/dossiers/{id}?enregistre=1")).into_response())
}
