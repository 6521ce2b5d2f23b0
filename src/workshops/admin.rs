//! Programme managers' pages: create (one by one or in series), duplicate,
//! edit and cancel sessions; registrations and waiting lists; exports.

// The select macro compares ids of any type with the submitted text.
#![allow(clippy::cmp_owned)]

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sqlx::Row;

use super::booking::{self, BookError, LinkResult, Registrant, Registration};
use super::mails::Kind;
use super::model::{self, Format, Session};
use super::public::{env, Card};
use crate::db::now_ms;
use crate::kernel::dates;
use crate::state::AppState;
use crate::text::fold;
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};
use crate::xlsx::{self, Cell, Sheet};

/// What the session form sends (speakers and sectors repeat).
#[derive(Debug, Default, Clone)]
pub struct SessionForm {
    pub theme_id: String,
    pub format: String,
    pub title_fr: String,
    pub title_en: String,
    pub description_fr: String,
    pub description_en: String,
    pub date: String,
    pub start: String,
    pub end: String,
    pub venue: String,
    pub address: String,
    pub commune_code: String,
    pub online_url: String,
    pub capacity: String,
    pub partner_id: String,
    pub planned_coaching: String,
    pub speakers: Vec<i64>,
    pub sectors: Vec<String>,
    pub version: String,
    pub action: String,
    pub cancel_reason: String,
    pub lines: String,
}

impl SessionForm {
    /// Read repeated form fields.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> SessionForm {
        let mut f = SessionForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "theme_id" => f.theme_id = v,
                "format" => f.format = v,
                "title_fr" => f.title_fr = v,
                "title_en" => f.title_en = v,
                "description_fr" => f.description_fr = v,
                "description_en" => f.description_en = v,
                "date" => f.date = v,
                "start" => f.start = v,
                "end" => f.end = v,
                "venue" => f.venue = v,
                "address" => f.address = v,
                "commune_code" => f.commune_code = v,
                "online_url" => f.online_url = v,
                "capacity" => f.capacity = v,
                "partner_id" => f.partner_id = v,
                "planned_coaching" => f.planned_coaching = v,
                "speakers" => {
                    if let Ok(id) = v.parse() {
                        f.speakers.push(id);
                    }
                }
                "sectors" if !v.is_empty() && !f.sectors.contains(&v) => f.sectors.push(v),
                "version" => f.version = v,
                "action" => f.action = v,
                "cancel_reason" => f.cancel_reason = v,
                "lines" => f.lines = v,
                _ => {}
            }
        }
        f
    }

    fn from_session(
        s: &Session,
        tz: &jiff::tz::TimeZone,
        speakers: Vec<i64>,
        sectors: Vec<String>,
    ) -> SessionForm {
        SessionForm {
            theme_id: s.theme_id.to_string(),
            format: s.format.clone(),
            title_fr: s.title_fr.clone(),
            title_en: s.title_en.clone(),
            description_fr: s.description_fr.clone(),
            description_en: s.description_en.clone(),
            date: dates::date_input(tz, s.starts_at),
            start: dates::time_input(tz, s.starts_at),
            end: dates::time_input(tz, s.ends_at),
            venue: s.venue.clone(),
            address: s.address.clone(),
            commune_code: s.commune_code.clone().unwrap_or_default(),
            online_url: s.online_url.clone(),
            capacity: s.capacity.to_string(),
            partner_id: s.partner_id.map(|p| p.to_string()).unwrap_or_default(),
            planned_coaching: s.planned_coaching.to_string(),
            speakers,
            sectors,
            version: s.version.to_string(),
            ..Default::default()
        }
    }

    fn has_speaker(&self, id: &i64) -> bool {
        self.speakers.contains(id)
    }

    fn has_sector(&self, code: &str) -> bool {
        self.sectors.iter().any(|s| s == code)
    }
}

/// A session that passed validation.
#[derive(Debug, Clone)]
pub struct Valid {
    pub theme_id: i64,
    pub format: Format,
    pub title_fr: String,
    pub title_en: String,
    pub description_fr: String,
    pub description_en: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub venue: String,
    pub address: String,
    pub commune_code: Option<String>,
    pub online_url: String,
    pub capacity: i64,
    pub partner_id: Option<i64>,
    pub planned_coaching: i64,
    pub speakers: Vec<i64>,
    pub sectors: Vec<String>,
}

/// Choices offered by the session forms.
pub struct Choices {
    pub themes: Vec<(i64, String)>,
    pub communes: Vec<crate::reference::TerritoryOption>,
    pub partners: Vec<(i64, String)>,
    pub speakers: Vec<(i64, String)>,
    pub sectors: Vec<(String, String, bool)>,
}

async fn choices(state: &AppState, ctx: &PageCtx) -> Result<Choices, AppError> {
    let english = ctx.lang() == "en";
    let col = if english { "title_en" } else { "title_fr" };
    Ok(Choices {
        themes: sqlx::query_as(&format!(
            "SELECT id, {col} FROM themes WHERE archived = 0 ORDER BY {col}"
        ))
        .fetch_all(&state.db.pool)
        .await?,
        communes: crate::reference::communes(&state.db, english).await?,
        partners: sqlx::query_as("SELECT id, name FROM partners ORDER BY name")
            .fetch_all(&state.db.pool)
            .await?,
        speakers: sqlx::query_as(
            "SELECT DISTINCT u.id, u.display_name FROM users u JOIN user_roles r ON r.user_id = u.id \
             WHERE r.role IN ('speaker', 'adviser', 'admin') AND u.disabled_at IS NULL ORDER BY u.display_name",
        )
        .fetch_all(&state.db.pool)
        .await?,
        sectors: crate::reference::sector_divisions(&state.db, english).await?,
    })
}

fn parse_id(raw: &str) -> Option<i64> {
    raw.trim().parse().ok().filter(|n| *n > 0)
}

/// The parts shared by a single session and a series: everything but the
/// date and the place.
fn validate_common(
    v: &mut Violations,
    f: &SessionForm,
    c: &Choices,
) -> (Option<i64>, Option<Format>, i64, Option<i64>, i64) {
    let theme_id = parse_id(&f.theme_id).filter(|id| c.themes.iter().any(|(t, _)| t == id));
    if theme_id.is_none() {
        v.add("theme_id", "form-choose", None);
    }
    let format = Format::from_code(f.format.trim());
    if format.is_none() {
        v.add("format", "form-choose", None);
    }
    let capacity = match f.capacity.trim().parse::<i64>() {
        Ok(n) if (1..=10_000).contains(&n) => n,
        _ => {
            v.add("capacity", "ws-capacity-invalid", None);
            0
        }
    };
    let partner_id = if f.partner_id.trim().is_empty() {
        None
    } else {
        let p = parse_id(&f.partner_id).filter(|id| c.partners.iter().any(|(p, _)| p == id));
        if p.is_none() {
            v.add("partner_id", "form-choose", None);
        }
        p
    };
    let planned = if f.planned_coaching.trim().is_empty() {
        2
    } else {
        match f.planned_coaching.trim().parse::<i64>() {
            Ok(n) if (0..=1000).contains(&n) => n,
            _ => {
                v.add("planned_coaching", "setup-number-invalid", None);
                0
            }
        }
    };
    if f.speakers
        .iter()
        .any(|s| !c.speakers.iter().any(|(id, _)| id == s))
    {
        v.add("speakers", "form-choose", None);
    }
    if f.sectors
        .iter()
        .any(|s| !c.sectors.iter().any(|(code, _, _)| code == s))
    {
        v.add("sectors", "form-choose", None);
    }
    (theme_id, format, capacity, partner_id, planned)
}

/// Start and end of a session from its date and times.
fn validate_times(
    v: &mut Violations,
    tz: &jiff::tz::TimeZone,
    format: Option<Format>,
    date: &str,
    start: &str,
    end: &str,
) -> (i64, i64) {
    let d = dates::parse_date(date);
    if d.is_none() {
        v.add("date", "setup-date-invalid", None);
    }
    let st = dates::parse_time(start);
    if st.is_none() {
        v.add("start", "ws-time-invalid", None);
    }
    let (Some(d), Some(st)) = (d, st) else {
        return (0, 0);
    };
    let starts = dates::to_ms(tz, d, st).unwrap_or(0);
    let ends = if end.trim().is_empty() {
        match format.and_then(Format::minutes) {
            Some(m) => starts + m * 60_000,
            None => {
                if format.is_some() {
                    v.add("end", "ws-end-required", None);
                }
                return (starts, 0);
            }
        }
    } else {
        match dates::parse_time(end) {
            Some(et) => dates::to_ms(tz, d, et).unwrap_or(0),
            None => {
                v.add("end", "ws-time-invalid", None);
                return (starts, 0);
            }
        }
    };
    if ends <= starts {
        v.add("end", "ws-end-before-start", None);
    }
    (starts, ends)
}

fn validate(f: &SessionForm, c: &Choices, tz: &jiff::tz::TimeZone) -> Result<Valid, Violations> {
    let mut v = Violations::default();
    let (theme_id, format, capacity, partner_id, planned) = validate_common(&mut v, f, c);
    let title_fr = v.text("title_fr", &f.title_fr, 0, 160);
    let title_en = v.text("title_en", &f.title_en, 0, 160);
    let description_fr = v.text("description_fr", &f.description_fr, 0, 4000);
    let description_en = v.text("description_en", &f.description_en, 0, 4000);
    let (starts_at, ends_at) = validate_times(&mut v, tz, format, &f.date, &f.start, &f.end);
    let venue = v.text("venue", &f.venue, 0, 160);
    let address = v.text("address", &f.address, 0, 300);
    let commune_code = f.commune_code.trim().to_string();
    let commune_code = if commune_code.is_empty() {
        None
    } else if c.communes.iter().any(|o| o.code == commune_code) {
        Some(commune_code)
    } else {
        v.add("commune_code", "form-choose", None);
        None
    };
    let online_url = f.online_url.trim().to_string();
    if !online_url.is_empty()
        && (!(online_url.starts_with("https://") || online_url.starts_with("http://"))
            || url::Url::parse(&online_url).is_err()
            || online_url.len() > 500)
    {
        v.add("online_url", "ws-url-invalid", None);
    }
    if commune_code.is_none() && online_url.is_empty() && !v.has("commune_code") {
        v.add("commune_code", "ws-place-required", None);
    }
    if !v.is_empty() {
        return Err(v);
    }
    Ok(Valid {
        theme_id: theme_id.unwrap_or(0),
        format: format.unwrap_or(Format::Custom),
        title_fr,
        title_en,
        description_fr,
        description_en,
        starts_at,
        ends_at,
        venue,
        address,
        commune_code,
        online_url,
        capacity,
        partner_id,
        planned_coaching: planned,
        speakers: f.speakers.clone(),
        sectors: f.sectors.clone(),
    })
}

async fn insert(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    v: &Valid,
    programme_id: Option<i64>,
    user_id: i64,
) -> Result<i64, sqlx::Error> {
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO workshop_sessions (programme_id, theme_id, format, title_fr, title_en, description_fr, description_en, \
         starts_at, ends_at, venue, address, commune_code, online_url, capacity, partner_id, planned_coaching, status, \
         created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'scheduled', $17, $18, $18) RETURNING id",
    )
    .bind(programme_id)
    .bind(v.theme_id)
    .bind(v.format.code())
    .bind(&v.title_fr)
    .bind(&v.title_en)
    .bind(&v.description_fr)
    .bind(&v.description_en)
    .bind(v.starts_at)
    .bind(v.ends_at)
    .bind(&v.venue)
    .bind(&v.address)
    .bind(v.commune_code.as_deref())
    .bind(&v.online_url)
    .bind(v.capacity)
    .bind(v.partner_id)
    .bind(v.planned_coaching)
    .bind(user_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    set_people(tx, id, v).await?;
    Ok(id)
}

async fn set_people(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    v: &Valid,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM workshop_speakers WHERE session_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM workshop_sectors WHERE session_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let mut seen = vec![];
    for s in &v.speakers {
        if seen.contains(s) {
            continue;
        }
        seen.push(*s);
        sqlx::query("INSERT INTO workshop_speakers (session_id, user_id) VALUES ($1, $2)")
            .bind(id)
            .bind(s)
            .execute(&mut **tx)
            .await?;
    }
    for code in &v.sectors {
        sqlx::query("INSERT INTO workshop_sectors (session_id, sector_code) VALUES ($1, $2)")
            .bind(id)
            .bind(code)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

#[derive(Template)]
#[template(path = "workshops/admin_list.html")]
struct ListPage {
    ctx: PageCtx,
    upcoming: Vec<Card>,
    past: Vec<Card>,
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
pub async fn list(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let now = now_ms();
    let rows = sqlx::query(&format!(
        "SELECT {} FROM {} WHERE s.ends_at > $1 ORDER BY s.starts_at, s.id LIMIT 500",
        model::SESSION_COLUMNS,
        model::SESSION_FROM
    ))
    .bind(now)
    .fetch_all(&state.db.pool)
    .await?;
    let upcoming = rows
        .iter()
        .map(|r| Card::new(ctx.tr, &tz, Session::from_row(r)))
        .collect();
    let rows = sqlx::query(&format!(
        "SELECT {} FROM {} WHERE s.ends_at <= $1 ORDER BY s.starts_at DESC, s.id DESC LIMIT 100",
        model::SESSION_COLUMNS,
        model::SESSION_FROM
    ))
    .bind(now)
    .fetch_all(&state.db.pool)
    .await?;
    let past = rows
        .iter()
        .map(|r| Card::new(ctx.tr, &tz, Session::from_row(r)))
        .collect();
    Ok(page(&ListPage {
        ctx,
        upcoming,
        past,
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
        Format::ALL
            .iter()
            .map(|f| (f.code(), self.ctx.tr.code("ws-format-", f.code())))
            .collect()
    }

    fn action(&self) -> String {
        match &self.session {
            Some(c) => format!("/admin/ateliers/{}", c.s.id),
            None => "/admin/ateliers/nouveau".into(),
        }
    }
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
            let s = model::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
            let speakers = model::speakers(&state.db, id)
                .await?
                .into_iter()
                .map(|(i, _)| i)
                .collect();
            let sectors = model::sectors(&state.db, id)
                .await?
                .into_iter()
                .map(|(c, _, _)| c)
                .collect();
            let mut f = SessionForm::from_session(&s, &tz, speakers, sectors);
            // A copy is a new session: the manager picks its date.
            f.date = String::new();
            f.version = String::new();
            f
        }
        None => SessionForm {
            format: "awareness".into(),
            capacity: "20".into(),
            planned_coaching: "2".into(),
            start: "09:00".into(),
            ..Default::default()
        },
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
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = SessionForm::from_pairs(pairs);
    let tz = dates::zone(&ctx.programme.timezone);
    let choices = choices(&state, &ctx).await?;
    let valid = match validate(&form, &choices, &tz) {
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
    let user = ctx.user.as_ref().map(|u| u.id).unwrap_or(0);
    let mut tx = state.db.begin_write().await?;
    let id = insert(&mut tx, &valid, ctx.programme.id, user).await?;
    tx.commit().await?;
    super::public::forget();
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
        None => {
            let speakers = model::speakers(&state.db, s.id)
                .await?
                .into_iter()
                .map(|(i, _)| i)
                .collect();
            let sectors = model::sectors(&state.db, s.id)
                .await?
                .into_iter()
                .map(|(c, _, _)| c)
                .collect();
            SessionForm::from_session(&s, &tz, speakers, sectors)
        }
    };
    let registrants: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM workshop_registrations WHERE session_id = $1 AND status IN ('pending', 'confirmed', 'offered', 'waiting')",
    )
    .bind(s.id)
    .fetch_one(&state.db.pool)
    .await?;
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

/// `GET /admin/ateliers/{id}`
pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(flags): Query<EditFlags>,
) -> Result<Response, AppError> {
    let s = model::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
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

/// `POST /admin/ateliers/{id}`: save, or cancel the session.
pub async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = SessionForm::from_pairs(pairs);
    let s = model::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let tz = dates::zone(&ctx.programme.timezone);
    if form.action == "cancel" {
        let mut v = Violations::default();
        let reason = v.text("cancel_reason", &form.cancel_reason, 0, 500);
        if !v.is_empty() {
            let p = edit_page(&state, ctx, s, None, v, None).await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
        let told = match booking::cancel_session(&env(&state, &ctx), id, &reason).await {
            Ok(n) => n,
            Err(BookError::Db(e)) => return Err(e.into()),
            Err(_) => return Err(AppError::NotFound),
        };
        state.mail_notify.notify_one();
        return Ok(Redirect::to(&format!("/admin/ateliers/{id}?annule={told}")).into_response());
    }
    if s.is_cancelled() {
        let mut v = Violations::default();
        v.add("date", "ws-edit-cancelled", None);
        let p = edit_page(&state, ctx, s, Some(form), v, None).await?;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    }
    let choices = choices(&state, &ctx).await?;
    let valid = match validate(&form, &choices, &tz) {
        Ok(v) => v,
        Err(errors) => {
            let p = edit_page(&state, ctx, s, Some(form), errors, None).await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    let env = env(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let Some(locked) = booking::lock(&mut tx, &state.db, id).await? else {
        return Err(AppError::NotFound);
    };
    let current_version: i64 =
        sqlx::query_scalar("SELECT version FROM workshop_sessions WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    if form.version.trim().parse::<i64>().ok() != Some(current_version) {
        drop(tx);
        let mut v = Violations::default();
        v.add("date", "ws-edit-conflict", None);
        let fresh = model::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
        let mut keep = form;
        keep.version = fresh.version.to_string();
        let p = edit_page(&state, ctx, fresh, Some(keep), v, None).await?;
        return Ok(render(StatusCode::CONFLICT, &p));
    }
    if valid.capacity < locked.seats_taken {
        drop(tx);
        let mut v = Violations::default();
        v.add(
            "capacity",
            "ws-capacity-below-taken",
            Some(locked.seats_taken),
        );
        let p = edit_page(&state, ctx, s, Some(form), v, None).await?;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    }
    let moved = valid.starts_at != s.starts_at
        || valid.ends_at != s.ends_at
        || valid.venue != s.venue
        || valid.address != s.address
        || valid.commune_code != s.commune_code
        || valid.online_url != s.online_url;
    sqlx::query(
        "UPDATE workshop_sessions SET theme_id = $1, format = $2, title_fr = $3, title_en = $4, description_fr = $5, \
         description_en = $6, starts_at = $7, ends_at = $8, venue = $9, address = $10, commune_code = $11, online_url = $12, \
         partner_id = $13, planned_coaching = $14, sequence = sequence + $15, version = version + 1, updated_at = $16 WHERE id = $17",
    )
    .bind(valid.theme_id)
    .bind(valid.format.code())
    .bind(&valid.title_fr)
    .bind(&valid.title_en)
    .bind(&valid.description_fr)
    .bind(&valid.description_en)
    .bind(valid.starts_at)
    .bind(valid.ends_at)
    .bind(&valid.venue)
    .bind(&valid.address)
    .bind(valid.commune_code.as_deref())
    .bind(&valid.online_url)
    .bind(valid.partner_id)
    .bind(valid.planned_coaching)
    .bind(i64::from(moved))
    .bind(now_ms())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    set_people(&mut tx, id, &valid).await?;
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
    super::public::forget();
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
        Format::ALL
            .iter()
            .map(|f| (f.code(), self.ctx.tr.code("ws-format-", f.code())))
            .collect()
    }
}

/// `GET /admin/ateliers/serie`
pub async fn bulk_form(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, AppError> {
    let choices = choices(&state, &ctx).await?;
    Ok(page(&BulkPage {
        ctx,
        choices,
        input: SessionForm {
            format: "awareness".into(),
            capacity: "20".into(),
            start: "09:00".into(),
            ..Default::default()
        },
        errors: Violations::default(),
        line_errors: vec![],
    }))
}

/// `POST /admin/ateliers/serie`: one theme in several towns on several
/// dates, all or nothing.
pub async fn bulk_create(
    State(state): State<AppState>,
    ctx: PageCtx,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = SessionForm::from_pairs(pairs);
    let tz = dates::zone(&ctx.programme.timezone);
    let choices = choices(&state, &ctx).await?;
    let mut v = Violations::default();
    let (theme_id, format, capacity, partner_id, planned) =
        validate_common(&mut v, &form, &choices);
    let mut line_errors: Vec<(i64, String)> = vec![];
    let mut sessions: Vec<Valid> = vec![];
    let lines: Vec<(usize, &str)> = form
        .lines
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    if lines.is_empty() {
        v.add("lines", "ws-bulk-empty", None);
    }
    if lines.len() > 200 {
        v.add("lines", "ws-bulk-too-many", Some(200));
    }
    for (n, line) in lines.iter().take(200) {
        let parts: Vec<&str> = line.split(';').map(str::trim).collect();
        let mut lv = Violations::default();
        let (date_time, commune) = (
            parts.first().copied().unwrap_or(""),
            parts.get(1).copied().unwrap_or(""),
        );
        let (date, start) = match date_time.split_once(' ') {
            Some((d, t)) => (d.trim(), t.trim()),
            None => (date_time, form.start.as_str()),
        };
        let (starts_at, ends_at) = validate_times(&mut lv, &tz, format, date, start, &form.end);
        let key = fold(commune);
        let found = choices.communes.iter().find(|o| {
            o.code.eq_ignore_ascii_case(commune)
                || fold(o.label.split(" (").next().unwrap_or("")) == key
        });
        if found.is_none() {
            lv.add("commune_code", "ws-bulk-commune-unknown", None);
        }
        if !lv.is_empty() {
            let msgs: Vec<String> = lv.summary(ctx.tr).into_iter().map(|(_, m)| m).collect();
            line_errors.push((*n as i64, msgs.join(" ")));
            continue;
        }
        sessions.push(Valid {
            theme_id: theme_id.unwrap_or(0),
            format: format.unwrap_or(Format::Custom),
            title_fr: String::new(),
            title_en: String::new(),
            description_fr: String::new(),
            description_en: String::new(),
            starts_at,
            ends_at,
            venue: parts
                .get(2)
                .copied()
                .unwrap_or("")
                .chars()
                .take(160)
                .collect(),
            address: parts
                .get(3)
                .copied()
                .unwrap_or("")
                .chars()
                .take(300)
                .collect(),
            commune_code: found.map(|o| o.code.clone()),
            online_url: String::new(),
            capacity,
            partner_id,
            planned_coaching: planned,
            speakers: form.speakers.clone(),
            sectors: form.sectors.clone(),
        });
    }
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
    let user = ctx.user.as_ref().map(|u| u.id).unwrap_or(0);
    let mut tx = state.db.begin_write().await?;
    for s in &sessions {
        insert(&mut tx, s, ctx.programme.id, user).await?;
    }
    tx.commit().await?;
    super::public::forget();
    Ok(Redirect::to(&format!("/admin/ateliers?serie={}", sessions.len())).into_response())
}

#[derive(Template)]
#[template(path = "workshops/admin_registrations.html")]
struct RegistrationsPage {
    ctx: PageCtx,
    card: Card,
    regs: Vec<Registration>,
    input: super::public::RegForm,
    errors: Violations,
    notice: Option<String>,
    open: bool,
}

/// Notices after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RegFlags {
    fait: String,
}

async fn registrations_page(
    state: &AppState,
    ctx: PageCtx,
    id: i64,
    input: super::public::RegForm,
    errors: Violations,
    notice: Option<String>,
) -> Result<RegistrationsPage, AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let s = model::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let regs = booking::for_session(&state.db, id).await?;
    let open = s.is_open(now_ms());
    Ok(RegistrationsPage {
        card: Card::new(ctx.tr, &tz, s),
        ctx,
        regs,
        input,
        errors,
        notice,
        open,
    })
}

/// `GET /admin/ateliers/{id}/inscrits`
pub async fn registrations(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(flags): Query<RegFlags>,
) -> Result<Response, AppError> {
    let notice = match flags.fait.as_str() {
        "promote" | "cancel" | "add" | "full" | "already" | "closed" | "linked" | "unlinked" => {
            Some(ctx.tr.code("ws-staff-done-", &flags.fait))
        }
        _ => None,
    };
    let p = registrations_page(
        &state,
        ctx,
        id,
        Default::default(),
        Violations::default(),
        notice,
    )
    .await?;
    Ok(page(&p))
}

/// What the registrations page sends.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RegAction {
    action: String,
    reg: Option<i64>,
    name: String,
    email: String,
    business_name: String,
}

/// `POST /admin/ateliers/{id}/inscrits`: promote by hand, cancel for
/// someone, or add someone (their address is taken as verified).
pub async fn registrations_action(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<RegAction>,
) -> Result<Response, AppError> {
    let env = env(&state, &ctx);
    let belongs = |reg: &Registration| reg.session_id == id;
    let flag = match form.action.as_str() {
        "promote" | "cancel" => {
            let reg_id = form.reg.ok_or(AppError::BadRequest)?;
            let reg = registration(&state, reg_id)
                .await?
                .filter(belongs)
                .ok_or(AppError::NotFound)?;
            let r = if form.action == "promote" {
                booking::promote_by_hand(&env, reg.id).await
            } else {
                booking::cancel(&env, reg.id).await
            };
            match r {
                Ok(LinkResult::Done(_)) => form.action.clone(),
                Ok(LinkResult::AlreadyDone) => "already".into(),
                Ok(LinkResult::Closed) if form.action == "promote" => "full".into(),
                Ok(LinkResult::Closed) | Err(BookError::Started | BookError::Cancelled) => {
                    "closed".into()
                }
                Err(BookError::NotFound) => return Err(AppError::NotFound),
                Err(BookError::AlreadyRegistered) => "already".into(),
                Err(BookError::Db(e)) => return Err(e.into()),
            }
        }
        "add" => {
            let reg_form = super::public::RegForm {
                name: form.name.clone(),
                email: form.email.clone(),
                business_name: form.business_name.clone(),
                consent: None,
            };
            let (name, email, business_name) = match super::public::validate(&reg_form, false) {
                Ok(v) => v,
                Err(errors) => {
                    let p = registrations_page(&state, ctx, id, reg_form, errors, None).await?;
                    return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
                }
            };
            let who = Registrant {
                name,
                email,
                business_name,
                business_id: None,
                user_id: None,
                locale: ctx.tr.0,
                source: "staff",
            };
            match booking::register(&env, id, &who, true).await {
                Ok(_) => "add".into(),
                Err(e) => {
                    let mut errors = Violations::default();
                    match e {
                        BookError::AlreadyRegistered => {
                            errors.add("email", "ws-already-registered", None)
                        }
                        BookError::Cancelled => errors.add("name", "ws-closed-cancelled", None),
                        BookError::Started => errors.add("name", "ws-closed-started", None),
                        BookError::NotFound => return Err(AppError::NotFound),
                        BookError::Db(e) => return Err(e.into()),
                    }
                    let p = registrations_page(&state, ctx, id, reg_form, errors, None).await?;
                    return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
                }
            }
        }
        _ => return Err(AppError::BadRequest),
    };
    state.mail_notify.notify_one();
    Ok(Redirect::to(&format!("/admin/ateliers/{id}/inscrits?fait={flag}")).into_response())
}

#[derive(Template)]
#[template(path = "workshops/admin_link.html")]
struct LinkPage {
    ctx: PageCtx,
    card: Card,
    reg: Registration,
    /// The business the registration is attached to, if any.
    linked: Option<crate::business::model::Business>,
    suggestions: Vec<crate::business::model::Business>,
    q: String,
    results: Vec<crate::business::model::Business>,
    total: i64,
}

/// What the link page is asked for.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LinkQuery {
    q: String,
}

/// `GET /admin/ateliers/{id}/inscrits/{reg}/entreprise`: attach a
/// registration to a business of the register, so that the business counts
/// as made aware with its territory, sector and partner. Suggests businesses
/// with a person of that e-mail address or of the name the person typed, and
/// searches the register.
pub async fn link_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, reg_id)): Path<(i64, i64)>,
    Query(query): Query<LinkQuery>,
) -> Result<Response, AppError> {
    let reg = registration(&state, reg_id)
        .await?
        .filter(|r| r.session_id == id)
        .ok_or(AppError::NotFound)?;
    let s = model::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let tz = dates::zone(&ctx.programme.timezone);
    let linked = match reg.business_id {
        Some(b) => crate::business::model::get(&state.db, b).await?,
        None => None,
    };
    let suggestions: Vec<_> =
        crate::business::model::likely_for(&state.db, &reg.email, &reg.business_name)
            .await?
            .into_iter()
            .filter(|b| Some(b.id) != reg.business_id)
            .collect();
    let q = query.q.trim().chars().take(200).collect::<String>();
    let (results, total) = if q.is_empty() {
        (vec![], 0)
    } else {
        crate::business::model::search(&state.db, &q, "", "", 10, 0).await?
    };
    Ok(page(&LinkPage {
        card: Card::new(ctx.tr, &tz, s),
        ctx,
        reg,
        linked,
        suggestions,
        q,
        results,
        total,
    }))
}

/// What the link page sends.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LinkAction {
    action: String,
    business: Option<i64>,
}

/// `POST /admin/ateliers/{id}/inscrits/{reg}/entreprise`: attach to a
/// business (`action=link`) or detach (`action=unlink`).
pub async fn link_save(
    State(state): State<AppState>,
    Path((id, reg_id)): Path<(i64, i64)>,
    WebForm(form): WebForm<LinkAction>,
) -> Result<Response, AppError> {
    let business = match form.action.as_str() {
        "link" => {
            let b = form.business.ok_or(AppError::BadRequest)?;
            crate::business::model::get(&state.db, b)
                .await?
                .ok_or(AppError::NotFound)?;
            Some(b)
        }
        "unlink" => None,
        _ => return Err(AppError::BadRequest),
    };
    let done = sqlx::query(
        "UPDATE workshop_registrations SET business_id = $1, updated_at = $2 WHERE id = $3 AND session_id = $4",
    )
    .bind(business)
    .bind(now_ms())
    .bind(reg_id)
    .bind(id)
    .execute(&state.db.pool)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::NotFound);
    }
    let flag = if business.is_some() {
        "linked"
    } else {
        "unlinked"
    };
    Ok(Redirect::to(&format!(
        "/admin/ateliers/{id}/inscrits?fait={flag}#reg-{reg_id}"
    ))
    .into_response())
}

async fn registration(state: &AppState, id: i64) -> Result<Option<Registration>, AppError> {
    let row = sqlx::query(&format!(
        "SELECT {} FROM workshop_registrations r WHERE r.id = $1",
        booking::REG_COLUMNS
    ))
    .bind(id)
    .fetch_optional(&state.db.pool)
    .await?;
    Ok(row.as_ref().map(Registration::from_row))
}

// ---------------------------------------------------------------------------
// Exports

/// A table to export: header and rows of cells.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

fn csv_response(t: &Table, filename: &str) -> Response {
    let mut out = String::from("\u{FEFF}");
    let head: Vec<String> = t.header.iter().map(|h| crate::csvio::cell(h)).collect();
    out.push_str(&head.join(";"));
    out.push_str("\r\n");
    for row in &t.rows {
        let line: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Text(s) => crate::csvio::cell(s),
                Cell::Number(n) => n.to_string(),
                Cell::Date(_) | Cell::DateTime(_) => c.plain(),
                Cell::Empty => String::new(),
            })
            .collect();
        out.push_str(&line.join(";"));
        out.push_str("\r\n");
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        out,
    )
        .into_response()
}

fn xlsx_response(t: Table, sheet: &str, filename: &str) -> Response {
    let mut rows = vec![t.header.into_iter().map(Cell::Text).collect::<Vec<_>>()];
    rows.extend(t.rows);
    let bytes = xlsx::workbook(&[Sheet {
        name: sheet.to_string(),
        rows,
    }]);
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn num(n: i64) -> Cell {
    Cell::Number(n as f64)
}

async fn sessions_table(state: &AppState, ctx: &PageCtx) -> Result<Table, AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let lang = ctx.lang();
    let rows = sqlx::query(&format!(
        "SELECT {}, (SELECT COUNT(*) FROM workshop_registrations r WHERE r.session_id = s.id AND r.attendance = 'present') AS present, \
         (SELECT COUNT(*) FROM workshop_registrations r WHERE r.session_id = s.id AND r.attendance = 'absent') AS absent, \
         (SELECT COUNT(*) FROM workshop_registrations r WHERE r.session_id = s.id AND r.attendance = 'excused') AS excused \
         FROM {} ORDER BY s.starts_at, s.id",
        model::SESSION_COLUMNS,
        model::SESSION_FROM
    ))
    .fetch_all(&state.db.pool)
    .await?;
    let tr = ctx.tr;
    let header = [
        "ws-col-id",
        "ws-col-date",
        "ws-col-start",
        "ws-col-end",
        "ws-col-theme",
        "ws-col-title",
        "ws-col-format",
        "ws-col-commune",
        "ws-col-venue",
        "ws-col-partner",
        "ws-col-capacity",
        "ws-col-confirmed",
        "ws-col-waiting",
        "ws-col-present",
        "ws-col-absent",
        "ws-col-excused",
        "ws-col-status",
    ]
    .iter()
    .map(|k| tr.t(k))
    .collect();
    let rows = rows
        .iter()
        .map(|r| {
            let s = Session::from_row(r);
            vec![
                num(s.id),
                text(dates::date_input(&tz, s.starts_at)),
                text(dates::time_input(&tz, s.starts_at)),
                text(dates::time_input(&tz, s.ends_at)),
                text(s.theme_slug.clone()),
                text(s.title(lang)),
                text(tr.code("ws-format-", &s.format)),
                text(s.commune(lang)),
                text(s.venue.clone()),
                text(s.partner_name.clone().unwrap_or_default()),
                num(s.capacity),
                num(s.seats_taken),
                num(s.waiting),
                num(r.get::<i64, _>("present")),
                num(r.get::<i64, _>("absent")),
                num(r.get::<i64, _>("excused")),
                text(tr.code("ws-status-", &s.status)),
            ]
        })
        .collect();
    Ok(Table { header, rows })
}

/// Which registrations to export.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExportQuery {
    session: Option<i64>,
}

async fn registrations_table(
    state: &AppState,
    ctx: &PageCtx,
    q: &ExportQuery,
) -> Result<Table, AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let lang = ctx.lang();
    let tr = ctx.tr;
    let filter = if q.session.is_some() {
        "WHERE r.session_id = $1"
    } else {
        "WHERE r.session_id > $1"
    };
    let rows = sqlx::query(&format!(
        "SELECT {}, s.starts_at, s.title_fr AS s_title_fr, s.title_en AS s_title_en, t.title_fr AS t_title_fr, \
         t.title_en AS t_title_en, c.name_fr AS commune_fr, c.name_en AS commune_en \
         FROM workshop_registrations r JOIN workshop_sessions s ON s.id = r.session_id JOIN themes t ON t.id = s.theme_id \
         LEFT JOIN territories c ON c.code = s.commune_code {filter} ORDER BY s.starts_at, r.session_id, r.id",
        booking::REG_COLUMNS
    ))
    .bind(q.session.unwrap_or(0))
    .fetch_all(&state.db.pool)
    .await?;
    let header = [
        "ws-col-session",
        "ws-col-date",
        "ws-col-title",
        "ws-col-commune",
        "ws-col-name",
        "ws-col-email",
        "ws-col-business",
        "ws-col-status",
        "ws-col-wait",
        "ws-col-attendance",
        "ws-col-registered",
        "ws-col-source",
    ]
    .iter()
    .map(|k| tr.t(k))
    .collect();
    let pick = |r: &sqlx::any::AnyRow, fr: &str, en: &str| -> String {
        let fr: Option<String> = r.try_get(fr).ok().flatten();
        let en: Option<String> = r.try_get(en).ok().flatten();
        let v = if lang == "en" {
            en.filter(|s| !s.is_empty()).or(fr)
        } else {
            fr
        };
        v.unwrap_or_default()
    };
    let rows = rows
        .iter()
        .map(|r| {
            let reg = Registration::from_row(r);
            let own = pick(r, "s_title_fr", "s_title_en");
            let title = if own.is_empty() {
                pick(r, "t_title_fr", "t_title_en")
            } else {
                own
            };
            vec![
                num(reg.session_id),
                text(dates::date_input(&tz, r.get::<i64, _>("starts_at"))),
                text(title),
                text(pick(r, "commune_fr", "commune_en")),
                text(reg.name.clone()),
                text(reg.email.clone()),
                text(reg.business_name.clone()),
                text(tr.code("ws-reg-", &reg.status)),
                reg.wait_seq
                    .filter(|_| reg.status == "waiting")
                    .map(num)
                    .unwrap_or(Cell::Empty),
                reg.attendance
                    .as_deref()
                    .map(|a| text(tr.code("ws-attendance-", a)))
                    .unwrap_or(Cell::Empty),
                text(format!(
                    "{} {}",
                    dates::date_input(&tz, reg.created_at),
                    dates::time_input(&tz, reg.created_at)
                )),
                text(reg.source.clone()),
            ]
        })
        .collect();
    Ok(Table { header, rows })
}

/// `GET /admin/ateliers/export.csv`
pub async fn export_sessions_csv(
    State(state): State<AppState>,
    ctx: PageCtx,
) -> Result<Response, AppError> {
    Ok(csv_response(
        &sessions_table(&state, &ctx).await?,
        "ateliers.csv",
    ))
}

/// `GET /admin/ateliers/export.xlsx`
pub async fn export_sessions_xlsx(
    State(state): State<AppState>,
    ctx: PageCtx,
) -> Result<Response, AppError> {
    let sheet = ctx.tr.t("ws-sheet-sessions");
    Ok(xlsx_response(
        sessions_table(&state, &ctx).await?,
        &sheet,
        "ateliers.xlsx",
    ))
}

/// `GET /admin/ateliers/inscriptions.csv`
pub async fn export_registrations_csv(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    Ok(csv_response(
        &registrations_table(&state, &ctx, &q).await?,
        "inscriptions.csv",
    ))
}

/// `GET /admin/ateliers/inscriptions.xlsx`
pub async fn export_registrations_xlsx(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let sheet = ctx.tr.t("ws-sheet-registrations");
    Ok(xlsx_response(
        registrations_table(&state, &ctx, &q).await?,
        &sheet,
        "inscriptions.xlsx",
    ))
}
