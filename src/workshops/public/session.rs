//! A session's public page (`/ateliers/{id}`), its registration form, its
//! calendar file and its slides.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::agenda::ics_response;
use super::{env, Card};
use crate::db::now_ms;
use crate::kernel::dates;
use crate::state::AppState;
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};
use crate::workshops::booking::{self, BookError, Outcome, Registrant, Registration};
use crate::workshops::cache::SessionData;
use crate::workshops::forms::{validate_registrant, RegForm};
use crate::workshops::model::{RegistrationSource, Speaker};
use crate::workshops::{mails, store};

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
    /// The signed-in person's own active registration on this session.
    mine: Option<Registration>,
    /// Show the registration form (hidden once the person is registered,
    /// unless they ask to register someone else).
    show_form: bool,
    /// Heading of the notice after registering.
    notice_title: String,
    /// What happens there, according to the format.
    what: String,
    /// A link to the place on a map (empty when online only).
    map_url: String,
}

/// schema.org Event of a session, safe to embed in a `<script>` element.
fn json_ld(card: &Card, speakers: &[Speaker], ctx: &PageCtx, tz: &jiff::tz::TimeZone) -> String {
    let s = &card.s;
    let lang = ctx.lang();
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
        "organizer": {"@type": "Organization", "name": ctx.programme.name},
        "performer": speakers.iter().map(|p| serde_json::json!({"@type": "Person", "name": p.name})).collect::<Vec<_>>(),
        "maximumAttendeeCapacity": s.capacity,
        "remainingAttendeeCapacity": s.seats_left(),
        "isAccessibleForFree": true,
        "inLanguage": lang,
    });
    v.to_string().replace("</", "<\\/")
}

/// An OpenStreetMap search for the session's address (empty when online).
fn map_url(s: &crate::workshops::model::Session, lang: &str) -> String {
    if s.is_online() {
        return String::new();
    }
    let mut q: Vec<&str> = vec![];
    for p in [s.address.as_str(), s.commune(lang)] {
        if !p.is_empty() {
            q.push(p);
        }
    }
    if q.is_empty() {
        q.push(s.venue.as_str());
    }
    let query: String = url::form_urlencoded::byte_serialize(q.join(", ").as_bytes()).collect();
    format!("https://www.openstreetmap.org/search?query={query}")
}

fn session_page(
    ctx: PageCtx,
    data: Arc<SessionData>,
    input: RegForm,
    errors: Violations,
    notice: Option<String>,
) -> SessionPage {
    let tz = dates::zone(&ctx.programme.timezone);
    let now = now_ms();
    let s = data.session.clone();
    let sectors = data.sectors.iter().map(|c| c.label(ctx.tr.0)).collect();
    let closed_reason = if s.is_cancelled() {
        Some(ctx.tr.t("ws-closed-cancelled"))
    } else if s.has_started(now) {
        Some(ctx.tr.t("ws-closed-started"))
    } else {
        None
    };
    let open = s.is_open(now);
    let past = s.is_past(now);
    let what = ctx.tr.code("ws-what-", s.format.code());
    let map_url = map_url(&s, ctx.lang());
    let card = Card::new(ctx.tr, &tz, s);
    let json_ld = json_ld(&card, &data.speakers, &ctx, &tz);
    SessionPage {
        mine: None,
        show_form: true,
        notice_title: String::new(),
        what,
        map_url,
        speakers: data
            .speakers
            .iter()
            .map(|p| (p.id, p.name.clone()))
            .collect(),
        ctx,
        card,
        sectors,
        open,
        past,
        input,
        errors,
        notice,
        closed_reason,
        json_ld,
    }
}

/// Notices after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SessionFlags {
    inscription: String,
    /// `1`: show the form again to register someone else.
    autre: String,
}

/// `GET /ateliers/{id}`
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(flags): Query<SessionFlags>,
) -> Result<Response, AppError> {
    let data = state
        .workshops
        .session_data(&state.db, id)
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
            business_name: match crate::business::store::for_member(&state.db, u.id).await? {
                Some(b) => b.name,
                None => String::new(),
            },
            consent: None,
        },
        None => RegForm::default(),
    };
    let mine = match &ctx.user {
        Some(u) => store::active_registration_of(&state.db, id, &u.email).await?,
        None => None,
    };
    let another = flags.autre == "1";
    let registered = notice.is_some() || mine.is_some();
    let notice_title = if flags.inscription == "pending" {
        ctx.tr.t("ws-almost-registered")
    } else {
        ctx.tr.t("ws-you-are-registered")
    };
    let mut p = session_page(ctx, data, input, Violations::default(), notice);
    p.notice_title = notice_title;
    p.mine = mine;
    p.show_form = another || !registered;
    Ok(page(&p))
}

/// What the buttons beside one's own registration send.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OwnForm {
    action: String,
}

/// `POST /ateliers/{id}/mon-inscription`: a signed-in person opens their
/// registration's private page (a fresh link, as every mail carries one),
/// straight at the cancellation's confirmation when they asked to cancel.
pub async fn own_registration(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<OwnForm>,
) -> Result<Response, AppError> {
    let user = ctx.user.as_ref().ok_or(AppError::NotFound)?;
    let reg = store::active_registration_of(&state.db, id, &user.email)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin_write().await?;
    let token = booking::new_link(&mut tx, reg.id).await?;
    tx.commit().await?;
    let to = if form.action == "cancel" {
        format!("/ateliers/i/{token}?confirmer=cancel#confirm")
    } else {
        format!("/ateliers/i/{token}")
    };
    Ok(Redirect::to(&to).into_response())
}

/// The session page again with the form as sent and what is wrong with it.
async fn invalid(
    state: &AppState,
    errors: Violations,
    ctx: PageCtx,
    id: i64,
    form: RegForm,
) -> Result<Response, AppError> {
    let data = state
        .workshops
        .session_data(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = session_page(ctx, data, form, errors, None);
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
}

/// `POST /ateliers/{id}/inscription`
pub async fn register(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<RegForm>,
) -> Result<Response, AppError> {
    if state.workshops.session_data(&state.db, id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let valid = match validate_registrant(&form, true) {
        Ok(v) => v,
        Err(errors) => return invalid(&state, errors, ctx, id, form).await,
    };
    let (user_id, business_id, verified) = match &ctx.user {
        Some(u) => {
            let b = crate::business::store::for_member(&state.db, u.id).await?;
            (Some(u.id), b.map(|b| b.id), true)
        }
        None => (None, None, false),
    };
    let who = Registrant {
        name: valid.name,
        email: valid.email,
        business_name: valid.business_name,
        business_id,
        user_id,
        locale: ctx.tr.0,
        source: if verified {
            RegistrationSource::Account
        } else {
            RegistrationSource::Web
        },
    };
    let result = booking::register(&env(&state, &ctx), id, &who, verified).await;
    let mut errors = Violations::default();
    match result {
        Ok((outcome, _)) => {
            state.workshops.forget();
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

/// `GET /ateliers/{id}/atelier.ics`
pub async fn session_ics(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let base = state.config.base_url.as_str();
    let title = s.title(ctx.lang()).to_string();
    let body = crate::ical::calendar(&title, &[mails::event(&s, base, ctx.lang(), false)]);
    Ok(ics_response(body, &format!("atelier-{id}.ics")))
}

/// `GET /ateliers/{id}/support`: the slides, once uploaded.
pub async fn slides(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let file = store::slides(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let safe: String = file
        .slides_name
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
            (header::CONTENT_TYPE, file.slides_mime),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{safe}\""),
            ),
        ],
        file.slides,
    )
        .into_response())
}
