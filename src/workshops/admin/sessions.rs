//! Managers' session pages: the list, the form (new, duplicate, edit,
//! cancel) and a series created in one go.

// The select macro compares ids of any type with the submitted text.
#![allow(clippy::cmp_owned)]

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::choices;
use crate::db::now_ms;
use crate::kernel::dates;
use crate::kernel::forms::RepeatedForm;
use crate::state::AppState;
use crate::text::fold;
use crate::web::confirm::{Confirmable, Question};
use crate::web::forms::Violations;
use crate::web::{page, render, AppError, PageCtx};
use crate::workshops::booking::{self, BookError};
use crate::workshops::forms::{self, series_line, Choices, SessionForm, Valid};
use crate::workshops::mails::Kind;
use crate::workshops::model::{format_choices, Format, Session};
use crate::workshops::public::{env, Card};
use crate::workshops::store;

/// Most lines a series may hold.
const SERIES_MAX: usize = 200;

#[derive(Template)]
#[template(path = "workshops/admin_list.html")]
struct ListPage {
    ctx: PageCtx,
    upcoming: Vec<Card>,
    past: Vec<Card>,
    notice: Option<String>,
}

/// Notices after a redirect to the list.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListFlags {
    /// How many sessions a series just created.
    serie: Option<i64>,
}

impl ListPage {
    fn sections(&self) -> Vec<(String, &Vec<Card>)> {
        vec![
            (self.ctx.tr.t("ws-admin-upcoming"), &self.upcoming),
            (self.ctx.tr.t("ws-admin-past"), &self.past),
        ]
    }
}

/// `GET /admin/ateliers`
pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(flags): Query<ListFlags>,
) -> Result<Response, AppError> {
    let notice = flags
        .serie
        .filter(|n| *n > 0)
        .map(|n| ctx.tr.tn("ws-series-created", "count", n));
    let tz = dates::zone(&ctx.programme.timezone);
    let now = now_ms();
    let card = |s| Card::new(ctx.tr, &tz, s);
    let upcoming = store::upcoming(&state.db, now, 500)
        .await?
        .into_iter()
        .map(card)
        .collect();
    let past = store::past(&state.db, now, 100)
        .await?
        .into_iter()
        .map(card)
        .collect();
    Ok(page(&ListPage {
        ctx,
        upcoming,
        past,
        notice,
    }))
}

#[derive(Template)]
#[template(path = "workshops/admin_form.html")]
struct FormPage {
    ctx: PageCtx,
    session: Option<Card>,
    choices: Choices,
    input: SessionForm,
    errors: Violations,
    notice: Option<String>,
    registrants: i64,
}

impl FormPage {
    fn formats(&self) -> Vec<(&'static str, String)> {
        format_choices(self.ctx.tr)
    }

    fn action(&self) -> String {
        match &self.session {
            Some(c) => format!("/admin/ateliers/{}", c.s.id),
            None => "/admin/ateliers/nouveau".into(),
        }
    }
}

/// The form of a stored session, with its speakers and sectors.
async fn stored_form(
    state: &AppState,
    s: &Session,
    tz: &jiff::tz::TimeZone,
) -> Result<SessionForm, AppError> {
    let speakers = store::speakers(&state.db, s.id).await?;
    let sectors = store::sectors(&state.db, s.id).await?;
    Ok(SessionForm::from_session(s, tz, &speakers, &sectors))
}

/// `?depuis=ID` duplicates a session.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    depuis: Option<i64>,
}

/// `GET /admin/ateliers/nouveau`
pub async fn new_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let input = match q.depuis {
        Some(id) => {
            let s = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
            let mut f = stored_form(&state, &s, &tz).await?;
            // A copy is a new session: the manager picks its date.
            f.date = String::new();
            f.version = String::new();
            f
        }
        None => SessionForm::new_session(),
    };
    let choices = choices(&state, &ctx).await?;
    Ok(page(&FormPage {
        ctx,
        session: None,
        choices,
        input,
        errors: Violations::default(),
        notice: None,
        registrants: 0,
    }))
}

/// `POST /admin/ateliers/nouveau`
pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    RepeatedForm(form): RepeatedForm<SessionForm>,
) -> Result<Response, AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let choices = choices(&state, &ctx).await?;
    let valid = match forms::validate(&form, &choices, &tz, crate::db::now_ms(), None) {
        Ok(v) => v,
        Err(errors) => {
            return Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage {
                    ctx,
                    session: None,
                    choices,
                    input: form,
                    errors,
                    notice: None,
                    registrants: 0,
                },
            ))
        }
    };
    let user = ctx.user.as_ref().map(|u| u.id);
    let mut tx = state.db.begin_write().await?;
    let id = store::insert_session(&mut tx, &valid, ctx.programme.id, user).await?;
    tx.commit().await?;
    state.workshops.sessions_changed();
    Ok(Redirect::to(&format!("/admin/ateliers/{id}?cree=1")).into_response())
}

/// Notices after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EditFlags {
    cree: Option<String>,
    enregistre: Option<String>,
    annule: Option<i64>,
    prevenus: Option<i64>,
}

async fn edit_page(
    state: &AppState,
    ctx: PageCtx,
    s: Session,
    input: Option<SessionForm>,
    errors: Violations,
    notice: Option<String>,
) -> Result<FormPage, AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let input = match input {
        Some(i) => i,
        None => stored_form(state, &s, &tz).await?,
    };
    let registrants = store::active_registrations(&state.db, s.id).await?;
    let choices = choices(state, &ctx).await?;
    let card = Card::new(ctx.tr, &tz, s);
    Ok(FormPage {
        ctx,
        session: Some(card),
        choices,
        input,
        errors,
        notice,
        registrants,
    })
}

/// The form page again, refused with one message.
async fn refused(
    state: &AppState,
    ctx: PageCtx,
    s: Session,
    input: Option<SessionForm>,
    errors: Violations,
    status: StatusCode,
) -> Result<Response, AppError> {
    let p = edit_page(state, ctx, s, input, errors, None).await?;
    Ok(render(status, &p))
}

/// One violation on one field.
fn one(field: &'static str, key: &'static str, limit: Option<i64>) -> Violations {
    let mut v = Violations::default();
    v.add(field, key, limit);
    v
}

/// `GET /admin/ateliers/{id}`
pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(flags): Query<EditFlags>,
) -> Result<Response, AppError> {
    let s = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let notice = if flags.cree.is_some() {
        Some(ctx.tr.t("ws-admin-created"))
    } else if let Some(n) = flags.annule {
        Some(ctx.tr.tn("ws-admin-cancelled", "count", n))
    } else if let Some(n) = flags.prevenus {
        Some(ctx.tr.tn("ws-admin-saved-told", "count", n))
    } else if flags.enregistre.is_some() {
        Some(ctx.tr.t("ws-admin-saved"))
    } else {
        None
    };
    let p = edit_page(&state, ctx, s, None, Violations::default(), notice).await?;
    Ok(page(&p))
}

/// Cancel the session: every registrant is told.
async fn cancel_session(
    state: &AppState,
    ctx: PageCtx,
    s: Session,
    form: &SessionForm,
) -> Result<Response, AppError> {
    let mut v = Violations::default();
    let reason = v.text("cancel_reason", &form.cancel_reason, 0, 500);
    if !v.is_empty() {
        return refused(state, ctx, s, None, v, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let id = s.id;
    let told = match booking::cancel_session(&env(state, &ctx), id, &reason).await {
        Ok(n) => n,
        Err(BookError::Db(e)) => return Err(e.into()),
        Err(_) => return Err(AppError::NotFound),
    };
    state.workshops.sessions_changed();
    state.mail_notify.notify_one();
    Ok(Redirect::to(&format!("/admin/ateliers/{id}?annule={told}")).into_response())
}

/// `POST /admin/ateliers/{id}`: save, or cancel the session.
pub async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    asked: Confirmable<SessionForm>,
) -> Result<Response, AppError> {
    let s = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let tz = dates::zone(&ctx.programme.timezone);
    if asked.form().action == "cancel" {
        // Cancelling mails everyone: asked first (see `web::confirm`).
        if !asked.confirmed() && !s.is_cancelled() {
            let tr = ctx.tr;
            let registrants = store::active_registrations(&state.db, s.id).await?;
            let question = Question::new(
                tr.ts("ws-session-cancel-ask-title", "title", s.title(tr.lang())),
                tr.tn("ws-admin-cancel-help", "count", registrants),
                tr.t("ws-session-cancel-ask-yes"),
                &format!("/admin/ateliers/{id}"),
            );
            return Ok(asked.ask(ctx, question));
        }
        return cancel_session(&state, ctx, s, asked.form()).await;
    }
    let form = asked.into_inner();
    if s.is_cancelled() {
        let v = one("date", "ws-edit-cancelled", None);
        return refused(
            &state,
            ctx,
            s,
            Some(form),
            v,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let choices = choices(&state, &ctx).await?;
    let now = crate::db::now_ms();
    let valid = match forms::validate(&form, &choices, &tz, now, Some(s.starts_at)) {
        Ok(v) => v,
        Err(errors) => {
            return refused(
                &state,
                ctx,
                s,
                Some(form),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    let env = env(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let Some(locked) = booking::lock(&mut tx, &state.db, id).await? else {
        return Err(AppError::NotFound);
    };
    let current_version = store::version_in(&mut tx, id).await?;
    if form.version.trim().parse::<i64>().ok() != Some(current_version) {
        drop(tx);
        let fresh = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
        let mut keep = form;
        keep.version = fresh.version.to_string();
        let v = one("date", "ws-edit-conflict", None);
        return refused(&state, ctx, fresh, Some(keep), v, StatusCode::CONFLICT).await;
    }
    if valid.capacity < locked.seats_taken {
        drop(tx);
        let v = one(
            "capacity",
            "ws-capacity-below-taken",
            Some(locked.seats_taken),
        );
        return refused(
            &state,
            ctx,
            s,
            Some(form),
            v,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let moved = valid.moves(&s);
    store::update_session(&mut tx, id, &valid, moved).await?;
    if booking::set_capacity(&mut tx, &env, id, valid.capacity)
        .await?
        .is_err()
    {
        return Err(AppError::Internal(anyhow::anyhow!(
            "capacity changed under the lock"
        )));
    }
    let told = if moved {
        booking::notify_all(&mut tx, &env, id, Kind::SessionChanged).await?
    } else {
        0
    };
    tx.commit().await?;
    state.workshops.sessions_changed();
    state.mail_notify.notify_one();
    if moved {
        Ok(Redirect::to(&format!("/admin/ateliers/{id}?prevenus={told}")).into_response())
    } else {
        Ok(Redirect::to(&format!("/admin/ateliers/{id}?enregistre=1")).into_response())
    }
}

#[derive(Template)]
#[template(path = "workshops/admin_bulk.html")]
struct BulkPage {
    ctx: PageCtx,
    choices: Choices,
    input: SessionForm,
    errors: Violations,
    line_errors: Vec<(i64, String)>,
}

impl BulkPage {
    fn formats(&self) -> Vec<(&'static str, String)> {
        format_choices(self.ctx.tr)
    }
}

/// `GET /admin/ateliers/serie`
pub async fn bulk_form(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, AppError> {
    let choices = choices(&state, &ctx).await?;
    Ok(page(&BulkPage {
        ctx,
        choices,
        input: SessionForm {
            planned_coaching: String::new(),
            ..SessionForm::new_session()
        },
        errors: Violations::default(),
        line_errors: vec![],
    }))
}

/// Read the lines of a series: the sessions, or each bad line's messages.
fn series(
    form: &SessionForm,
    common: &forms::Common,
    choices: &Choices,
    tz: &jiff::tz::TimeZone,
    tr: crate::i18n::Tr,
    now: i64,
) -> (Vec<Valid>, Vec<(i64, String)>) {
    let mut sessions = vec![];
    let mut line_errors = vec![];
    let lines = form
        .lines
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty());
    for (n, line) in lines.take(SERIES_MAX) {
        let l = series_line(line, &form.start, &form.end);
        let mut lv = Violations::default();
        if l.bad_end {
            lv.add("end", "ws-bulk-duration-invalid", None);
        }
        let (starts_at, ends_at) =
            forms::validate_times(&mut lv, tz, common.format, l.date, &l.start, &l.end);
        forms::check_start(&mut lv, starts_at, now, None);
        let key = fold(l.commune);
        let found = choices.communes.iter().find(|o| {
            o.code.eq_ignore_ascii_case(l.commune)
                || fold(o.label.split(" (").next().unwrap_or("")) == key
        });
        if found.is_none() {
            lv.add("commune_code", "ws-bulk-commune-unknown", None);
        }
        if !lv.is_empty() {
            let msgs: Vec<String> = lv.summary(tr).into_iter().map(|(_, m)| m).collect();
            line_errors.push((n as i64, msgs.join(" ")));
            continue;
        }
        sessions.push(Valid {
            theme_id: common.theme_id.unwrap_or(0),
            format: common.format.unwrap_or(Format::Custom),
            title_fr: String::new(),
            title_en: String::new(),
            description_fr: String::new(),
            description_en: String::new(),
            starts_at,
            ends_at,
            venue: l.venue,
            address: l.address,
            commune_code: found.map(|o| o.code.clone()),
            online_url: String::new(),
            capacity: common.capacity,
            partner_id: common.partner_id,
            planned_coaching: common.planned_coaching,
            speakers: form.speaker_ids(),
            sectors: form.sector_codes(),
        });
    }
    (sessions, line_errors)
}

/// `POST /admin/ateliers/serie`: one theme in several towns on several
/// dates, all or nothing.
pub async fn bulk_create(
    State(state): State<AppState>,
    ctx: PageCtx,
    RepeatedForm(form): RepeatedForm<SessionForm>,
) -> Result<Response, AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let choices = choices(&state, &ctx).await?;
    let mut v = Violations::default();
    let common = forms::validate_common(&mut v, &form, &choices);
    let count = form.lines.lines().filter(|l| !l.trim().is_empty()).count();
    if count == 0 {
        v.add("lines", "ws-bulk-empty", None);
    }
    if count > SERIES_MAX {
        v.add("lines", "ws-bulk-too-many", Some(SERIES_MAX as i64));
    }
    let (sessions, line_errors) =
        series(&form, &common, &choices, &tz, ctx.tr, crate::db::now_ms());
    if !line_errors.is_empty() {
        v.add(
            "lines",
            "ws-bulk-line-errors",
            Some(line_errors.len() as i64),
        );
    }
    if !v.is_empty() {
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &BulkPage {
                ctx,
                choices,
                input: form,
                errors: v,
                line_errors,
            },
        ));
    }
    let user = ctx.user.as_ref().map(|u| u.id);
    let mut tx = state.db.begin_write().await?;
    for s in &sessions {
        store::insert_session(&mut tx, s, ctx.programme.id, user).await?;
    }
    tx.commit().await?;
    state.workshops.sessions_changed();
    Ok(Redirect::to(&format!("/admin/ateliers?serie={}", sessions.len())).into_response())
}
