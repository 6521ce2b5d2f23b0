//! Public pages: the agenda, a session's page, registration, the person's
//! private link (confirm, cancel, accept an offer), feedback, calendar feeds.

use std::sync::Arc;
use std::time::Duration;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sqlx::Row;

use super::booking::{self, BookError, Env, LinkResult, Outcome, Registrant, Registration};
use super::mails;
use super::model::{self, AgendaFilter, AgendaQuery, Format, Session};
use crate::cache::TtlCache;
use crate::db::{is_unique_violation, now_ms};
use crate::i18n::Tr;
use crate::kernel::dates;
use crate::state::AppState;
use crate::web::forms::{checked, Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

/// Sessions per agenda page.
pub const PAGE_SIZE: i64 = 20;

/// Booking environment of this request.
pub fn env<'a>(state: &'a AppState, ctx: &'a PageCtx) -> Env<'a> {
    Env {
        db: &state.db,
        base_url: state.config.base_url.as_str(),
        timezone: &ctx.programme.timezone,
    }
}

/// A session prepared for display.
pub struct Card {
    pub s: Session,
    pub when: String,
    pub date_short: String,
    pub place: String,
    pub format_label: String,
    pub seats: String,
    pub full: bool,
}

impl Card {
    /// Prepare a session for the visitor's language.
    pub fn new(tr: Tr, tz: &jiff::tz::TimeZone, s: Session) -> Card {
        let lang = tr.lang();
        let full = s.seats_left() == 0;
        let seats = if s.is_cancelled() {
            tr.t("ws-status-cancelled")
        } else if full {
            tr.t("ws-full")
        } else {
            tr.tn("ws-seats-left", "count", s.seats_left())
        };
        Card {
            when: dates::span(tr, tz, s.starts_at, s.ends_at),
            date_short: dates::date_input(tz, s.starts_at),
            place: match s.place(lang) {
                p if p.is_empty() => tr.t("ws-online"),
                p => p,
            },
            format_label: tr.code("ws-format-", &s.format),
            seats,
            full,
            s,
        }
    }
}

/// Choices of the agenda filters, cached briefly (they change rarely and
/// every agenda view needs them).
pub struct FilterOptions {
    pub themes: Vec<(String, String)>,
    pub territories: Vec<(String, String)>,
    pub sectors: Vec<(String, String)>,
}

static OPTIONS: TtlCache<FilterOptions> = TtlCache::new(Duration::from_secs(60), 16);
/// Agenda pages and session pages show seats left: kept only briefly.
const PAGE_TTL: Duration = Duration::from_secs(5);
/// An agenda page's list of sessions, rendered, and the total.
static AGENDA: TtlCache<(String, i64)> = TtlCache::new(PAGE_TTL, 2000);

#[derive(Template)]
#[template(path = "workshops/agenda_cards.html")]
struct AgendaCards {
    tr: Tr,
    lang: &'static str,
    past: bool,
    cards: Vec<Card>,
}
static SESSIONS: TtlCache<SessionData> = TtlCache::new(PAGE_TTL, 5000);

/// What a session page reads from the database.
pub struct SessionData {
    pub session: Session,
    pub speakers: Vec<(i64, String)>,
    pub sectors: Vec<(String, String, String)>,
}

/// Forget cached agenda and session pages after a change made here.
pub fn forget() {
    AGENDA.clear();
    SESSIONS.clear();
}

/// A session with its speakers and sectors, reused for a few seconds.
pub async fn session_data(
    db: &crate::db::Db,
    id: i64,
) -> Result<Option<Arc<SessionData>>, sqlx::Error> {
    let d = SESSIONS
        .get_or_try(format!("{}|{id}", db.id), || async {
            let session = model::get(db, id).await?.ok_or(sqlx::Error::RowNotFound)?;
            Ok::<_, sqlx::Error>(SessionData {
                speakers: model::speakers(db, id).await?,
                sectors: model::sectors(db, id).await?,
                session,
            })
        })
        .await;
    match d {
        Ok(d) => Ok(Some(d)),
        Err(sqlx::Error::RowNotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

async fn filter_options(
    state: &AppState,
    lang: &'static str,
) -> Result<Arc<FilterOptions>, AppError> {
    if let Some(hit) = OPTIONS.get(&format!("{}|{lang}", state.db.id)) {
        return Ok(hit);
    }
    let col = if lang == "en" { "en" } else { "fr" };
    let themes: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT slug, title_{col} FROM themes WHERE archived = 0 AND id IN (SELECT theme_id FROM workshop_sessions) ORDER BY title_{col}"
    ))
    .fetch_all(&state.db.pool)
    .await?;
    // Territories that hold sessions, with every level above them.
    let territories: Vec<(String, String, String)> = sqlx::query_as(&format!(
        "WITH RECURSIVE up(code) AS (SELECT DISTINCT commune_code FROM workshop_sessions WHERE commune_code IS NOT NULL \
         UNION SELECT t.parent_code FROM territories t JOIN up ON t.code = up.code WHERE t.parent_code IS NOT NULL) \
         SELECT t.code, t.name_{col}, t.level FROM territories t JOIN up ON up.code = t.code ORDER BY t.name_{col}"
    ))
    .fetch_all(&state.db.pool)
    .await?;
    let tr = Tr(crate::i18n::Locale::from_tag(lang).unwrap_or(crate::i18n::Locale::Fr));
    let territories = territories
        .into_iter()
        .filter(|(_, _, level)| level != "country")
        .map(|(code, name, level)| {
            let level = tr.code("setup-level-", &level);
            (code, format!("{name} ({level})"))
        })
        .collect();
    let sectors: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT s.code, s.name_{col} FROM sectors s WHERE s.code IN (SELECT sector_code FROM workshop_sectors) ORDER BY s.code"
    ))
    .fetch_all(&state.db.pool)
    .await?;
    let sectors = sectors
        .into_iter()
        .map(|(c, n)| (c.clone(), format!("{c} — {n}")))
        .collect();
    let opts = Arc::new(FilterOptions {
        themes,
        territories,
        sectors,
    });
    OPTIONS.put(format!("{}|{lang}", state.db.id), opts.clone());
    Ok(opts)
}

/// Turn URL filters into a query; bad dates are reported, not fatal.
pub fn resolve(f: &AgendaFilter, tz: &jiff::tz::TimeZone, now: i64) -> (AgendaQuery, bool) {
    let some = |s: &str| {
        let s = s.trim();
        (!s.is_empty() && s.len() <= 64).then(|| s.to_string())
    };
    let mut bad_date = false;
    let mut day = |s: &str, next: bool| -> Option<i64> {
        if s.trim().is_empty() {
            return None;
        }
        match dates::parse_date(s) {
            Some(d) => {
                let d = if next { d.tomorrow().ok()? } else { d };
                dates::to_ms(tz, d, jiff::civil::Time::midnight())
            }
            None => {
                bad_date = true;
                None
            }
        }
    };
    let from_ms = day(&f.from, false);
    let to_ms = day(&f.to, true);
    let q = AgendaQuery {
        theme: some(&f.theme),
        territory: some(&f.territory),
        sector: some(&f.sector),
        format: some(&f.format).filter(|c| Format::from_code(c).is_some()),
        from_ms,
        to_ms,
        past: f.past(),
        now,
        include_cancelled: false,
    };
    (q, bad_date)
}

#[derive(Template)]
#[template(path = "workshops/agenda.html")]
struct AgendaPage {
    ctx: PageCtx,
    /// The rendered list and the total.
    cards: Arc<(String, i64)>,
    filter: AgendaFilter,
    options: Arc<FilterOptions>,
    page: i64,
    pages: i64,
    query: String,
    bad_date: bool,
}

impl AgendaPage {
    fn formats(&self) -> Vec<(&'static str, String)> {
        Format::ALL
            .iter()
            .map(|f| (f.code(), self.ctx.tr.code("ws-format-", f.code())))
            .collect()
    }

    fn page_link(&self, n: i64) -> String {
        if self.query.is_empty() {
            format!("/ateliers?page={n}")
        } else {
            format!("/ateliers?{}&page={n}", self.query)
        }
    }

    fn feed_link(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        if !self.filter.theme.is_empty() {
            q.append_pair("theme", &self.filter.theme);
        }
        if !self.filter.territory.is_empty() {
            q.append_pair("territory", &self.filter.territory);
        }
        let q = q.finish();
        if q.is_empty() {
            "/ateliers/agenda.ics".into()
        } else {
            format!("/ateliers/agenda.ics?{q}")
        }
    }
}

/// `GET /ateliers`
pub async fn agenda(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(raw): Query<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let filter = AgendaFilter::from_pairs(&raw);
    let tz = dates::zone(&ctx.programme.timezone);
    let now = now_ms();
    let (q, bad_date) = resolve(&filter, &tz, now);
    let page_no = filter.page.unwrap_or(1).clamp(1, 10_000);
    // The key leaves out the clock: an entry lives only a few seconds. The
    // list is the same for every visitor, so it is kept rendered.
    let key = format!("{}|{}|{page_no}", ctx.lang(), filter.query());
    let (tr, lang, past) = (ctx.tr, ctx.lang(), filter.past());
    let listed = AGENDA
        .get_or_try(format!("{}|{key}", state.db.id), || async {
            let (sessions, total) =
                model::agenda(&state.db, &q, PAGE_SIZE, (page_no - 1) * PAGE_SIZE).await?;
            let cards = sessions
                .into_iter()
                .map(|s| Card::new(tr, &tz, s))
                .collect();
            let html = AgendaCards {
                tr,
                lang,
                past,
                cards,
            }
            .render()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("template error: {e}")))?;
            Ok::<_, AppError>((html, total))
        })
        .await?;
    let total = listed.1;
    let options = filter_options(&state, ctx.lang()).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let query = filter.query();
    Ok(page(&AgendaPage {
        ctx,
        cards: listed,
        filter,
        options,
        page: page_no,
        pages,
        query,
        bad_date,
    }))
}

/// What the registration form sends.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct RegForm {
    pub name: String,
    pub email: String,
    pub business_name: String,
    pub consent: Option<String>,
}

#[derive(Template)]
#[template(path = "workshops/session.html")]
struct SessionPage {
    ctx: PageCtx,
    card: Card,
    speakers: Vec<(i64, String)>,
    sectors: Vec<String>,
    open: bool,
    past: bool,
    input: RegForm,
    errors: Violations,
    notice: Option<String>,
    closed_reason: Option<String>,
    json_ld: String,
}

/// schema.org Event of a session, safe to embed in a `<script>` element.
fn json_ld(
    card: &Card,
    speakers: &[(i64, String)],
    ctx: &PageCtx,
    tz: &jiff::tz::TimeZone,
) -> String {
    let s = &card.s;
    let lang = ctx.lang();
    let base = ctx.programme.name.clone();
    let location = if s.is_online() {
        serde_json::json!({"@type": "VirtualLocation", "url": s.online_url})
    } else {
        serde_json::json!({
            "@type": "Place",
            "name": if s.venue.is_empty() { s.commune(lang).to_string() } else { s.venue.clone() },
            "address": {"@type": "PostalAddress", "streetAddress": s.address, "addressLocality": s.commune(lang)}
        })
    };
    let v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": s.title(lang),
        "description": s.description(lang),
        "startDate": dates::iso(tz, s.starts_at),
        "endDate": dates::iso(tz, s.ends_at),
        "eventStatus": if s.is_cancelled() { "https://schema.org/EventCancelled" } else { "https://schema.org/EventScheduled" },
        "eventAttendanceMode": if s.is_online() { "https://schema.org/OnlineEventAttendanceMode" } else { "https://schema.org/OfflineEventAttendanceMode" },
        "location": location,
        "organizer": {"@type": "Organization", "name": base},
        "performer": speakers.iter().map(|(_, n)| serde_json::json!({"@type": "Person", "name": n})).collect::<Vec<_>>(),
        "maximumAttendeeCapacity": s.capacity,
        "remainingAttendeeCapacity": s.seats_left(),
        "isAccessibleForFree": true,
        "inLanguage": lang,
    });
    v.to_string().replace("</", "<\\/")
}

async fn session_page(
    ctx: PageCtx,
    data: Arc<SessionData>,
    input: RegForm,
    errors: Violations,
    notice: Option<String>,
) -> Result<SessionPage, AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let now = now_ms();
    let s = data.session.clone();
    let speakers = data.speakers.clone();
    let sectors = data
        .sectors
        .iter()
        .map(|(code, fr, en)| format!("{code} — {}", if ctx.lang() == "en" { en } else { fr }))
        .collect();
    let closed_reason = if s.is_cancelled() {
        Some(ctx.tr.t("ws-closed-cancelled"))
    } else if s.has_started(now) {
        Some(ctx.tr.t("ws-closed-started"))
    } else {
        None
    };
    let open = s.is_open(now);
    let past = s.is_past(now);
    let card = Card::new(ctx.tr, &tz, s);
    let json_ld = json_ld(&card, &speakers, &ctx, &tz);
    Ok(SessionPage {
        ctx,
        card,
        speakers,
        sectors,
        open,
        past,
        input,
        errors,
        notice,
        closed_reason,
        json_ld,
    })
}

/// Notices after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SessionFlags {
    inscription: String,
}

/// `GET /ateliers/{id}`
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(flags): Query<SessionFlags>,
) -> Result<Response, AppError> {
    let s = session_data(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let notice = match flags.inscription.as_str() {
        "pending" | "confirmed" | "waiting" => {
            Some(ctx.tr.code("ws-registered-", &flags.inscription))
        }
        _ => None,
    };
    let input = match &ctx.user {
        Some(u) => RegForm {
            name: u.name.clone(),
            email: u.email.clone(),
            business_name: match crate::business::model::for_member(&state.db, u.id).await? {
                Some(b) => b.name,
                None => String::new(),
            },
            consent: None,
        },
        None => RegForm::default(),
    };
    let p = session_page(ctx, s, input, Violations::default(), notice).await?;
    Ok(page(&p))
}

/// Check a registration form.
pub fn validate(f: &RegForm, consent_needed: bool) -> Result<(String, String, String), Violations> {
    let mut v = Violations::default();
    let name = v.text("name", &f.name, 2, 120);
    let email = v.email("email", &f.email);
    let business_name = v.text("business_name", &f.business_name, 0, 160);
    if consent_needed {
        v.accepted("consent", checked(&f.consent));
    }
    if v.is_empty() {
        Ok((name, email, business_name))
    } else {
        Err(v)
    }
}

async fn invalid(
    state: &AppState,
    errors: Violations,
    ctx: PageCtx,
    id: i64,
    form: RegForm,
) -> Result<Response, AppError> {
    let s = session_data(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = session_page(ctx, s, form, errors, None).await?;
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
}

/// `POST /ateliers/{id}/inscription`
pub async fn register(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<RegForm>,
) -> Result<Response, AppError> {
    if session_data(&state.db, id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let (name, email, business_name) = match validate(&form, true) {
        Ok(v) => v,
        Err(errors) => return invalid(&state, errors, ctx, id, form).await,
    };
    let (user_id, business_id, verified) = match &ctx.user {
        Some(u) => {
            let b = crate::business::model::for_member(&state.db, u.id).await?;
            (Some(u.id), b.map(|b| b.id), true)
        }
        None => (None, None, false),
    };
    let who = Registrant {
        name,
        email,
        business_name,
        business_id,
        user_id,
        locale: ctx.tr.0,
        source: if verified { "account" } else { "web" },
    };
    let result = booking::register(&env(&state, &ctx), id, &who, verified).await;
    let mut errors = Violations::default();
    match result {
        Ok((outcome, _)) => {
            forget();
            state.mail_notify.notify_one();
            let flag = match outcome {
                Outcome::Pending => "pending",
                Outcome::Confirmed => "confirmed",
                Outcome::Waiting(_) => "waiting",
            };
            Ok(
                Redirect::to(&format!("/ateliers/{id}?inscription={flag}#inscription"))
                    .into_response(),
            )
        }
        Err(BookError::AlreadyRegistered) => {
            errors.add("email", "ws-already-registered", None);
            invalid(&state, errors, ctx, id, form).await
        }
        Err(BookError::Cancelled) => {
            errors.add("name", "ws-closed-cancelled", None);
            invalid(&state, errors, ctx, id, form).await
        }
        Err(BookError::Started) => {
            errors.add("name", "ws-closed-started", None);
            invalid(&state, errors, ctx, id, form).await
        }
        Err(BookError::NotFound) => Err(AppError::NotFound),
        Err(BookError::Db(e)) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "workshops/manage.html")]
struct ManagePage {
    ctx: PageCtx,
    token: String,
    reg: Registration,
    card: Card,
    position: i64,
    offer_until: String,
    notice: Option<String>,
    can_cancel: bool,
    feedback_open: bool,
    open: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ManageFlags {
    fait: String,
}

async fn manage_page(
    state: &AppState,
    ctx: PageCtx,
    token: String,
    reg: Registration,
    notice: Option<String>,
) -> Result<ManagePage, AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let s = model::get(&state.db, reg.session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = now_ms();
    let position = if reg.status == "waiting" {
        booking::waiting_position(&state.db, &reg).await?
    } else {
        0
    };
    let offer_until = reg
        .offer_expires_at
        .map(|e| {
            format!(
                "{}, {}",
                dates::long_date(ctx.tr, &tz, e),
                dates::clock(ctx.tr, &tz, e)
            )
        })
        .unwrap_or_default();
    let can_cancel = reg.is_active() && !s.has_started(now);
    let open = s.is_open(now);
    let feedback_open = reg.attendance.as_deref() == Some("present") && s.is_past(now);
    let card = Card::new(ctx.tr, &tz, s);
    Ok(ManagePage {
        ctx,
        token,
        reg,
        card,
        position,
        offer_until,
        notice,
        can_cancel,
        feedback_open,
        open,
    })
}

/// `GET /ateliers/i/{token}`
pub async fn manage(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    Query(flags): Query<ManageFlags>,
) -> Result<Response, AppError> {
    let reg = booking::by_token(&state.db, &token)
        .await?
        .ok_or(AppError::NotFound)?;
    let notice = match flags.fait.as_str() {
        "confirm" | "cancel" | "accept" | "decline" | "already" | "closed" => {
            Some(ctx.tr.code("ws-done-", &flags.fait))
        }
        _ => None,
    };
    let p = manage_page(&state, ctx, token, reg, notice).await?;
    Ok(page(&p))
}

/// What the buttons of the private page send.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ManageForm {
    action: String,
}

/// `POST /ateliers/i/{token}`
pub async fn manage_action(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    WebForm(form): WebForm<ManageForm>,
) -> Result<Response, AppError> {
    let reg = booking::by_token(&state.db, &token)
        .await?
        .ok_or(AppError::NotFound)?;
    let env = env(&state, &ctx);
    let result = match form.action.as_str() {
        "confirm" => booking::confirm_pending(&env, reg.id).await,
        "cancel" | "decline" => booking::cancel(&env, reg.id).await,
        "accept" => booking::accept_offer(&env, reg.id).await,
        _ => return Err(AppError::BadRequest),
    };
    let flag = match result {
        Ok(LinkResult::Done(_)) => form.action.as_str(),
        Ok(LinkResult::AlreadyDone) => "already",
        Ok(LinkResult::Closed) => "closed",
        Err(BookError::Started | BookError::Cancelled) => "closed",
        Err(BookError::NotFound) => return Err(AppError::NotFound),
        Err(BookError::AlreadyRegistered) => "already",
        Err(BookError::Db(e)) => return Err(e.into()),
    };
    forget();
    state.mail_notify.notify_one();
    Ok(Redirect::to(&format!("/ateliers/i/{token}?fait={flag}")).into_response())
}

/// What the feedback form sends (themes repeat).
#[derive(Debug, Default, Clone)]
pub struct FeedbackForm {
    pub satisfaction: String,
    pub usefulness: String,
    pub themes: Vec<i64>,
    pub comment: String,
    pub coaching: bool,
}

impl FeedbackForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> FeedbackForm {
        let mut f = FeedbackForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "satisfaction" => f.satisfaction = v,
                "usefulness" => f.usefulness = v,
                "themes" => {
                    if let Ok(id) = v.parse() {
                        if !f.themes.contains(&id) {
                            f.themes.push(id);
                        }
                    }
                }
                "comment" => f.comment = v,
                "coaching" => f.coaching = checked(&Some(v)),
                _ => {}
            }
        }
        f
    }

    fn wants(&self, id: &i64) -> bool {
        self.themes.contains(id)
    }
}

#[derive(Template)]
#[template(path = "workshops/feedback.html")]
struct FeedbackPage {
    ctx: PageCtx,
    token: String,
    card: Card,
    themes: Vec<(i64, String)>,
    input: FeedbackForm,
    errors: Violations,
    state: &'static str,
}

impl FeedbackPage {
    fn scale(&self) -> Vec<(String, String)> {
        (1..=5)
            .map(|n| (n.to_string(), self.ctx.tr.code("ws-scale-", &n.to_string())))
            .collect()
    }
}

async fn feedback_page(
    state: &AppState,
    ctx: PageCtx,
    token: String,
    reg: &Registration,
    input: FeedbackForm,
    errors: Violations,
) -> Result<(StatusCode, FeedbackPage), AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let s = model::get(&state.db, reg.session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let answered: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM workshop_feedback WHERE registration_id = $1")
            .bind(reg.id)
            .fetch_one(&state.db.pool)
            .await?;
    let (status, which) = if answered > 0 {
        (StatusCode::OK, "answered")
    } else if reg.attendance.as_deref() != Some("present") || !s.is_past(now_ms()) {
        (StatusCode::OK, "not-yet")
    } else {
        (StatusCode::OK, "open")
    };
    let col = if ctx.lang() == "en" {
        "title_en"
    } else {
        "title_fr"
    };
    let themes: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT id, {col} FROM themes WHERE archived = 0 ORDER BY {col}"
    ))
    .fetch_all(&state.db.pool)
    .await?;
    let card = Card::new(ctx.tr, &tz, s);
    Ok((
        status,
        FeedbackPage {
            ctx,
            token,
            card,
            themes,
            input,
            errors,
            state: which,
        },
    ))
}

/// `GET /ateliers/i/{token}/avis`
pub async fn feedback(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let reg = booking::by_token(&state.db, &token)
        .await?
        .ok_or(AppError::NotFound)?;
    let (status, p) = feedback_page(
        &state,
        ctx,
        token,
        &reg,
        FeedbackForm::default(),
        Violations::default(),
    )
    .await?;
    Ok(render(status, &p))
}

fn score(v: &mut Violations, field: &'static str, raw: &str) -> i64 {
    match raw.trim().parse::<i64>() {
        Ok(n) if (1..=5).contains(&n) => n,
        _ => {
            v.add(field, "ws-feedback-choose", None);
            0
        }
    }
}

/// `POST /ateliers/i/{token}/avis`
pub async fn feedback_save(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let reg = booking::by_token(&state.db, &token)
        .await?
        .ok_or(AppError::NotFound)?;
    let form = FeedbackForm::from_pairs(pairs);
    let (_, p) = feedback_page(
        &state,
        ctx.clone(),
        token.clone(),
        &reg,
        form.clone(),
        Violations::default(),
    )
    .await?;
    match p.state {
        "answered" => return Ok(render(StatusCode::CONFLICT, &p)),
        "not-yet" => return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p)),
        _ => {}
    }
    let mut v = Violations::default();
    let satisfaction = score(&mut v, "satisfaction", &form.satisfaction);
    let usefulness = score(&mut v, "usefulness", &form.usefulness);
    let comment = v.text("comment", &form.comment, 0, 2000);
    if form.themes.len() > 10 {
        v.add("themes", "ws-feedback-too-many-themes", Some(10));
    }
    if !v.is_empty() {
        let (_, p) = feedback_page(&state, ctx, token, &reg, form, v).await?;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    }
    let now = now_ms();
    let mut tx = state.db.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO workshop_feedback (registration_id, session_id, satisfaction, usefulness, comment, wants_coaching, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(reg.id)
    .bind(reg.session_id)
    .bind(satisfaction)
    .bind(usefulness)
    .bind(&comment)
    .bind(i64::from(form.coaching))
    .bind(now)
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => {
            drop(tx);
            let (_, p) =
                feedback_page(&state, ctx, token, &reg, form, Violations::default()).await?;
            return Ok(render(StatusCode::CONFLICT, &p));
        }
        Err(e) => return Err(e.into()),
    }
    for theme in &form.themes {
        let known: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM themes WHERE id = $1")
            .bind(theme)
            .fetch_one(&mut *tx)
            .await?;
        if known > 0 {
            sqlx::query(
                "INSERT INTO workshop_feedback_themes (registration_id, theme_id) VALUES ($1, $2)",
            )
            .bind(reg.id)
            .bind(theme)
            .execute(&mut *tx)
            .await?;
        }
    }
    if form.coaching {
        sqlx::query(
            "INSERT INTO coaching_requests (business_id, registration_id, session_id, name, email, business_name, message, source, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'workshop-feedback', 'open', $8, $8)",
        )
        .bind(reg.business_id)
        .bind(reg.id)
        .bind(reg.session_id)
        .bind(&reg.name)
        .bind(&reg.email)
        .bind(&reg.business_name)
        .bind(&comment)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let (_, p) = feedback_page(
        &state,
        ctx,
        token,
        &reg,
        FeedbackForm::default(),
        Violations::default(),
    )
    .await?;
    let mut p = p;
    p.state = "thanks";
    Ok(page(&p))
}

fn ics_response(body: String, filename: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "public, max-age=300".to_string()),
        ],
        body,
    )
        .into_response()
}

/// `GET /ateliers/{id}/atelier.ics`
pub async fn session_ics(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = model::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let base = state.config.base_url.as_str();
    let title = s.title(ctx.lang()).to_string();
    let body = crate::ical::calendar(&title, &[mails::event(&s, base, ctx.lang(), false)]);
    Ok(ics_response(body, &format!("atelier-{id}.ics")))
}

/// Feed filters.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FeedQuery {
    theme: String,
    territory: String,
}

/// `GET /ateliers/agenda.ics`: upcoming sessions (cancelled ones stay so
/// calendars remove them), for the programme, a theme or a territory.
pub async fn feed(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(fq): Query<FeedQuery>,
) -> Result<Response, AppError> {
    let filter = AgendaFilter {
        theme: fq.theme,
        territory: fq.territory,
        ..Default::default()
    };
    let tz = dates::zone(&ctx.programme.timezone);
    let (mut q, _) = resolve(&filter, &tz, now_ms());
    q.include_cancelled = true;
    let sessions = model::all_matching(&state.db, &q).await?;
    let base = state.config.base_url.as_str();
    let events: Vec<_> = sessions
        .iter()
        .map(|s| mails::event(s, base, ctx.lang(), false))
        .collect();
    let name = format!("{} — {}", ctx.programme.name, ctx.tr.t("ws-agenda-title"));
    Ok(ics_response(
        crate::ical::calendar(&name, &events),
        "agenda.ics",
    ))
}

/// `GET /ateliers/{id}/support`: the slides, once uploaded.
pub async fn slides(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let row = sqlx::query("SELECT slides_name, slides_mime, slides FROM workshop_sessions WHERE id = $1 AND slides IS NOT NULL")
        .bind(id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let name: String = row.get("slides_name");
    let mime: String = row.get("slides_mime");
    let bytes: Vec<u8> = row.get("slides");
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{safe}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
