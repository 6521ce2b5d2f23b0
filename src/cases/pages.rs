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

/// Files listed at most.
const LIMIT: i64 = 500;

/// The signed-in person (the access table already required one).
pub(super) fn user_of(ctx: &PageCtx) -> Result<Arc<SessionUser>, AppError> {
    ctx.user.clone().ok_or(AppError::Forbidden)
}

/// A file for staff; every read is logged.
pub(super) async fn case_for_staff(db: &Db, ctx: &PageCtx, id: i64) -> Result<Case, AppError> {
    let user = user_of(ctx)?;
    if !user.is_staff() {
        return Err(AppError::NotFound);
    }
    let case = store::get(db, id).await?.ok_or(AppError::NotFound)?;
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
    let now = now_ms();
    let rows = store::list(&db, mine.then_some(user.id), None, !closed, now, LIMIT).await?;
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
    pub reads: Vec<(String, String)>,
    pub timeline: Vec<Event>,
    pub plan: Vec<timeline::PlanStep>,
    pub gains: Vec<timeline::Gain>,
    pub t1_link: Option<String>,
}

fn money(ctx: &PageCtx, cents: i64) -> String {
    crate::kernel::money::Euros(cents).format(ctx.tr.0)
}

async fn details(db: &Db, ctx: &PageCtx, case: &Case) -> Result<Details, AppError> {
    let now = now_ms();
    let edits: HashMap<i64, i64> = store::revision_counts(db, case.id)
        .await?
        .into_iter()
        .collect();
    let obs = store::observations(db, case.id).await?;
    let acts = store::activities(db, case.id, false).await?;
    let activities = activity_views(ctx, acts, &edits, &obs, now);
    let hours = store::hours(db, case.id)
        .await?
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
    let totals = store::hours_by_funder(db, Some(case.id))
        .await?
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
    let assignments = store::assignments(db, case.id)
        .await?
        .into_iter()
        .map(|(a, b, at)| {
            (
                a.unwrap_or_else(|| ctx.tr.t("case-nobody")),
                b.unwrap_or_default(),
                ctx.datetime(at),
            )
        })
        .collect();
    let reads = store::reads(db, case.id, 20)
        .await?
        .into_iter()
        .map(|(u, at)| (u.unwrap_or_default(), ctx.datetime(at)))
        .collect();
    let story = timeline::story(db, ctx, case, false).await?;
    Ok(Details {
        activities,
        documents: store::documents(db, case.id, false).await?,
        hours,
        totals,
        referrals: referral_views(ctx, store::referrals(db, case.id).await?),
        assignments,
        contributors: store::contributors(db, case.id).await?,
        reads,
        timeline: story.events,
        plan: story.plan,
        gains: story.gains,
        t1_link: story.t1_link,
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
    advisers: Vec<(i64, String)>,
    bodies: Vec<(i64, String)>,
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
        advisers: store::advisers(db).await?,
        bodies: store::bodies(db)
            .await?
            .into_iter()
            .filter(|b| b.active == 1)
            .map(|b| (b.id, b.name))
            .collect(),
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
    let case = case_for_staff(&db, &ctx, id).await?;
    let user = user_of(&ctx)?;
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

// ------------------------------------------------------------------ activities

/// What an activity of this file is checked against.
async fn check_activity(
    db: &Db,
    ctx: &PageCtx,
    case: &Case,
    form: &ActivityForm,
    except: i64,
) -> Result<Result<model::ValidActivity, Violations>, AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let busy = match case.adviser_id {
        Some(a) => store::busy(db, a, except).await?,
        None => vec![],
    };
    Ok(model::parse_activity(
        form,
        &ActivityContext {
            tz: &tz,
            opened_at: case.opened_at,
            busy: &busy,
        },
    ))
}

/// `POST /dossiers/{id}/activites`
pub async fn add_activity(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<ActivityForm>,
) -> Result<Response, AppError> {
    let case = case_for_staff(&db, &ctx, id).await?;
    let user = user_of(&ctx)?;
    let valid = match check_activity(&db, &ctx, &case, &form, 0).await? {
        Ok(v) => v,
        Err(errors) => {
            let p = show_page(
                &db,
                ctx,
                case,
                Kept {
                    activity_input: form,
                    activity_errors: errors,
                    ..Default::default()
                },
            )
            .await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    let mut tx = db.begin_write().await?;
    let aid = store::insert_activity(&mut tx, id, &valid, user.id, now_ms()).await?;
    tx.commit().await?;
    if case.adviser_id != Some(user.id) {
        store::add_contributor(&db, id, user.id, now_ms()).await?;
    }
    Ok(Redirect::to(&format!("/dossiers/{id}?enregistre=1#activite-{aid}")).into_response())
}

#[derive(Template)]
#[template(path = "cases/activity.html")]
struct ActivityPage {
    ctx: PageCtx,
    case: Case,
    activity: store::Activity,
    input: ActivityForm,
    errors: Violations,
    revisions: Vec<(String, String, String, String)>,
    dimensions: Vec<Choice>,
    conflict: bool,
}

impl ActivityPage {
    fn obs_value(&self, dim: &str) -> String {
        self.input
            .rest
            .get(&format!("obs_{dim}"))
            .cloned()
            .unwrap_or_default()
    }
    fn is_audit(&self) -> bool {
        self.activity.kind() == ActivityKind::Audit
    }
    fn is_note(&self) -> bool {
        self.activity.kind() == ActivityKind::Note
    }
    fn checked_shared(&self) -> bool {
        crate::web::forms::checked(&self.input.shared)
    }
    fn checked_online(&self) -> bool {
        crate::web::forms::checked(&self.input.online)
    }
}

fn activity_form(
    ctx: &PageCtx,
    a: &store::Activity,
    obs: &[(i64, String, String)],
) -> ActivityForm {
    let tz = dates::zone(&ctx.programme.timezone);
    let mut rest = HashMap::new();
    for (_, d, n) in obs.iter().filter(|(id, _, _)| *id == a.id) {
        rest.insert(format!("obs_{d}"), n.clone());
    }
    let at = a.happened_at.or(a.due_at);
    ActivityForm {
        kind: a.kind.clone(),
        title: a.title.clone(),
        body: a.body.clone(),
        date: a
            .happened_at
            .map(|t| dates::date_input(&tz, t))
            .unwrap_or_default(),
        due: a
            .due_at
            .map(|t| dates::date_input(&tz, t))
            .unwrap_or_default(),
        time: at.map(|t| dates::time_input(&tz, t)).unwrap_or_default(),
        minutes: if a.minutes > 0 {
            a.minutes.to_string()
        } else {
            String::new()
        },
        place: a.place.clone(),
        online: (a.online == 1).then(|| "on".into()),
        attendees: a.attendees.clone(),
        shared: (a.shared == 1).then(|| "on".into()),
        version: a.version.to_string(),
        rest,
    }
}

async fn activity_page(
    db: &Db,
    ctx: PageCtx,
    case: Case,
    activity: store::Activity,
    input: Option<ActivityForm>,
    errors: Violations,
    conflict: bool,
) -> Result<ActivityPage, AppError> {
    let obs = store::observations(db, case.id).await?;
    let revisions = store::revisions(db, activity.id)
        .await?
        .into_iter()
        .map(|r| {
            (
                r.editor.unwrap_or_default(),
                ctx.datetime(r.edited_at),
                r.title,
                r.body,
            )
        })
        .collect();
    Ok(ActivityPage {
        input: input.unwrap_or_else(|| activity_form(&ctx, &activity, &obs)),
        dimensions: crate::diagnostic::bank::DIMENSIONS
            .iter()
            .map(|d| (d.to_string(), ctx.tr.code("case-dim-", d)))
            .collect(),
        ctx,
        case,
        activity,
        errors,
        revisions,
        conflict,
    })
}

/// `GET /dossiers/{id}/activites/{aid}`: the activity, its form and its history.
pub async fn activity_show(
    State(db): State<Db>,
    ctx: PageCtx,
    Path((id, aid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let case = case_for_staff(&db, &ctx, id).await?;
    let a = store::activity(&db, id, aid)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = activity_page(&db, ctx, case, a, None, Violations::default(), false).await?;
    Ok(page(&p))
}

/// `POST /dossiers/{id}/activites/{aid}`: an edit, kept with the previous
/// text; refused (409, what was typed kept) when someone edited it meanwhile.
pub async fn activity_update(
    State(db): State<Db>,
    ctx: PageCtx,
    Path((id, aid)): Path<(i64, i64)>,
    WebForm(mut form): WebForm<ActivityForm>,
) -> Result<Response, AppError> {
    let case = case_for_staff(&db, &ctx, id).await?;
    let user = user_of(&ctx)?;
    let a = store::activity(&db, id, aid)
        .await?
        .ok_or(AppError::NotFound)?;
    // The kind of an activity never changes.
    form.kind = a.kind.clone();
    let valid = match check_activity(&db, &ctx, &case, &form, aid).await? {
        Ok(v) => v,
        Err(errors) => {
            let p = activity_page(&db, ctx, case, a, Some(form), errors, false).await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    let mut tx = db.begin_write().await?;
    let ok = store::update_activity(&mut tx, id, aid, &valid, user.id, now_ms()).await?;
    if !ok {
        drop(tx);
        let fresh = store::activity(&db, id, aid)
            .await?
            .ok_or(AppError::NotFound)?;
        form.version = fresh.version.to_string();
        let mut errors = Violations::default();
        errors.add("body", "case-edit-conflict", None);
        let p = activity_page(&db, ctx, case, fresh, Some(form), errors, true).await?;
        return Ok(render(StatusCode::CONFLICT, &p));
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/dossiers/{id}?enregistre=1#activite-{aid}")).into_response())
}

// ------------------------------------------------------------------ hours

/// `POST /dossiers/{id}/heures`
pub async fn add_hours(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<HoursForm>,
) -> Result<Response, AppError> {
    let case = case_for_staff(&db, &ctx, id).await?;
    let user = user_of(&ctx)?;
    match model::parse_hours_form(&form) {
        Ok(v) => {
            store::insert_hours(&db, id, &v, user.id, now_ms()).await?;
            Ok(Redirect::to(&format!("/dossiers/{id}?enregistre=1#heures")).into_response())
        }
        Err(errors) => {
            let p = show_page(
                &db,
                ctx,
                case,
                Kept {
                    hours_input: form,
                    hours_errors: errors,
                    ..Default::default()
                },
            )
            .await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

// ------------------------------------------------------------------ documents

/// `POST /dossiers/{id}/documents` (multipart, CSRF token in the query):
/// the content must be what the name says, within the size limit.
pub async fn upload(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let case = case_for_staff(&db, &ctx, id).await?;
    let user = user_of(&ctx)?;
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut shared = false;
    let mut too_large = false;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("document") => {
                    let name = field.file_name().unwrap_or("").to_string();
                    match field.bytes().await {
                        Ok(b) => file = Some((name, b.to_vec())),
                        Err(_) => too_large = true,
                    }
                }
                Some("shared") => shared = true,
                _ => {}
            },
            Ok(None) => break,
            Err(_) => {
                too_large = true;
                break;
            }
        }
    }
    let checked = match (&file, too_large) {
        (_, true) => Err(model::DocProblem::TooLarge),
        (None, _) => Err(model::DocProblem::Missing),
        (Some((name, bytes)), _) => model::check_document(name, bytes),
    };
    match checked {
        Ok(kind) => {
            let (name, bytes) = file.expect("checked above");
            let name = model::clean_name(&name);
            let mime = kind.mime(&name);
            store::insert_document(&db, id, &name, mime, bytes, shared, user.id, now_ms()).await?;
            Ok(Redirect::to(&format!("/dossiers/{id}?enregistre=1#documents")).into_response())
        }
        Err(problem) => {
            let msg = ctx.tr.tn(
                problem.key(),
                "limit",
                (model::DOCUMENT_LIMIT / 1_048_576) as i64,
            );
            let p = show_page(
                &db,
                ctx,
                case,
                Kept {
                    doc_error: Some(msg),
                    ..Default::default()
                },
            )
            .await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

/// `GET /dossiers/{id}/documents/{doc}`: staff, or the business's owner
/// when the document is shared with them.
pub async fn download(
    State(db): State<Db>,
    ctx: PageCtx,
    Path((id, doc)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let case = store::get(&db, id).await?.ok_or(AppError::NotFound)?;
    let (name, mime, shared, content) = store::document(&db, id, doc)
        .await?
        .ok_or(AppError::NotFound)?;
    if !user.is_staff() {
        let own = crate::business::store::for_member(&db, user.id).await?;
        if own.map(|b| b.id) != Some(case.business_id) || shared != 1 {
            return Err(AppError::NotFound);
        }
    } else {
        store::log_read(&db, id, user.id, now_ms()).await?;
    }
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        content,
    )
        .into_response())
}

// ------------------------------------------------------------------ plan steps

/// Ticking a plan step.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TickForm {
    pub step: String,
    pub done_on: String,
    pub undo: String,
}

/// `POST /dossiers/{id}/plan`: tick a step of the action plan as done on a day.
pub async fn tick(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<TickForm>,
) -> Result<Response, AppError> {
    let _case = case_for_staff(&db, &ctx, id).await?;
    let user = user_of(&ctx)?;
    let code: String = form
        .step
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(80)
        .collect();
    if code.is_empty() {
        return Err(AppError::BadRequest);
    }
    if form.undo == "1" {
        store::tick(&db, id, &code, None, user.id).await?;
    } else {
        let tz = dates::zone(&ctx.programme.timezone);
        let day = dates::parse_date(&form.done_on)
            .map(|d| d.to_string())
            .unwrap_or_else(|| dates::date_input(&tz, now_ms()));
        store::tick(&db, id, &code, Some(&day), user.id).await?;
    }
    Ok(Redirect::to(&format!("/dossiers/{id}#plan")).into_response())
}

/// The status a body may give, for the answer page.
pub fn answer_choices(ctx: &PageCtx) -> Vec<Choice> {
    choices(
        ctx,
        ReferralStatus::ANSWERS,
        ReferralStatus::code,
        ReferralStatus::label_key,
    )
}
