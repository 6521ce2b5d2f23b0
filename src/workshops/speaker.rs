//! Speakers' pages: their sessions, participant lists, the phone-friendly
//! check-in, the attendance sheet to sign (PDF) and the slides upload.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::booking::{self, BookError, Registrant, Registration};
use super::forms::{validate_registrant, RegForm};
use super::model::{Attendance, RegistrationSource, RegistrationStatus, Session};
use super::public::Card;
use super::store;
use crate::db::now_ms;
use crate::diagnostic::pdf::Doc;
use crate::kernel::dates;
use crate::state::AppState;
use crate::text::fold;
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

/// The session, if the signed-in person may run it (its speakers, and
/// programme staff for any session).
async fn allowed(state: &AppState, ctx: &PageCtx, id: i64) -> Result<Session, AppError> {
    let s = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let user = ctx.user.as_ref().ok_or(AppError::Forbidden)?;
    if user.is_staff() || store::is_speaker(&state.db, id, user.id).await? {
        Ok(s)
    } else {
        Err(AppError::Forbidden)
    }
}

#[derive(Template)]
#[template(path = "workshops/speaker_list.html")]
struct MinePage {
    ctx: PageCtx,
    upcoming: Vec<Card>,
    past: Vec<Card>,
}

impl MinePage {
    fn sections(&self) -> Vec<(String, &Vec<Card>)> {
        vec![
            (self.ctx.tr.t("ws-admin-upcoming"), &self.upcoming),
            (self.ctx.tr.t("ws-admin-past"), &self.past),
        ]
    }
}

/// `GET /intervenant`
pub async fn mine(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let user = ctx.user.as_ref().ok_or(AppError::Forbidden)?;
    let now = now_ms();
    let sessions = store::for_speaker(&state.db, user.id).await?;
    let (past, upcoming): (Vec<Session>, Vec<Session>) =
        sessions.into_iter().partition(|s| s.is_past(now));
    let mut upcoming: Vec<Card> = upcoming
        .into_iter()
        .map(|s| Card::new(ctx.tr, &tz, s))
        .collect();
    upcoming.reverse();
    let past = past
        .into_iter()
        .map(|s| Card::new(ctx.tr, &tz, s))
        .collect();
    Ok(page(&MinePage {
        ctx,
        upcoming,
        past,
    }))
}

#[derive(Template)]
#[template(path = "workshops/speaker_session.html")]
struct SessionPage {
    ctx: PageCtx,
    card: Card,
    people: Vec<Registration>,
    waiting: usize,
    notice: Option<String>,
    error: Option<String>,
}

/// Notices after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Flags {
    support: Option<String>,
}

/// `GET /intervenant/seances/{id}`
pub async fn session(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(flags): Query<Flags>,
) -> Result<Response, AppError> {
    let s = allowed(&state, &ctx, id).await?;
    let notice = flags.support.map(|_| ctx.tr.t("ws-slides-saved"));
    let p = session_page(&state, ctx, s, notice, None).await?;
    Ok(page(&p))
}

async fn session_page(
    state: &AppState,
    ctx: PageCtx,
    s: Session,
    notice: Option<String>,
    error: Option<String>,
) -> Result<SessionPage, AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let all = booking::for_session(&state.db, s.id).await?;
    let waiting = all
        .iter()
        .filter(|r| r.status == RegistrationStatus::Waiting)
        .count();
    let people = all
        .into_iter()
        .filter(|r| r.status == RegistrationStatus::Confirmed)
        .collect();
    Ok(SessionPage {
        card: Card::new(ctx.tr, &tz, s),
        ctx,
        people,
        waiting,
        notice,
        error,
    })
}

#[derive(Template)]
#[template(path = "workshops/checkin.html")]
struct CheckinPage {
    ctx: PageCtx,
    card: Card,
    people: Vec<Registration>,
    /// "3 present out of 10 registered".
    count: String,
    /// The search typed above the list.
    q: String,
    /// The walk-in form as sent, and what is wrong with it.
    walk_in: RegForm,
    errors: Violations,
    notice: Option<String>,
}

/// The people who hold a seat: those a check-in page and the attendance
/// sheet list.
async fn confirmed(state: &AppState, id: i64) -> Result<Vec<Registration>, AppError> {
    Ok(booking::for_session(&state.db, id)
        .await?
        .into_iter()
        .filter(|r| r.status == RegistrationStatus::Confirmed)
        .collect())
}

/// The people a check-in page lists (confirmed registrations) and the
/// sentence counting those marked present.
async fn checkin_list(
    state: &AppState,
    tr: crate::i18n::Tr,
    id: i64,
) -> Result<(Vec<Registration>, String), AppError> {
    let people = confirmed(state, id).await?;
    let present = people
        .iter()
        .filter(|r| r.attendance == Some(Attendance::Present))
        .count();
    let count = tr.args(
        "ws-checkin-count",
        &[
            ("present", present.to_string().as_str()),
            ("total", people.len().to_string().as_str()),
        ],
    );
    Ok((people, count))
}

/// The check-in page's search and notices.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CheckinQuery {
    q: String,
    /// `1` after a walk-in was added.
    ajoute: String,
}

/// True when a registration matches a search: every typed word is found
/// in the name, the address or the business, ignoring accents and case.
fn matches(r: &Registration, q: &str) -> bool {
    let hay = fold(&format!("{} {} {}", r.name, r.email, r.business_name));
    fold(q).split_whitespace().all(|w| hay.contains(w))
}

/// `GET /intervenant/seances/{id}/presence`
pub async fn checkin(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(query): Query<CheckinQuery>,
) -> Result<Response, AppError> {
    let s = allowed(&state, &ctx, id).await?;
    let tz = dates::zone(&ctx.programme.timezone);
    let (mut people, count) = checkin_list(&state, ctx.tr, id).await?;
    let q: String = query.q.trim().chars().take(100).collect();
    if !q.is_empty() {
        people.retain(|r| matches(r, &q));
    }
    let notice = (query.ajoute == "1").then(|| ctx.tr.t("ws-walk-in-added"));
    Ok(page(&CheckinPage {
        card: Card::new(ctx.tr, &tz, s),
        ctx,
        people,
        count,
        q,
        walk_in: RegForm::default(),
        errors: Violations::default(),
        notice,
    }))
}

/// `POST /intervenant/seances/{id}/presence/sur-place`: add someone who
/// came without registering, marked present.
pub async fn walk_in(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<RegForm>,
) -> Result<Response, AppError> {
    let s = allowed(&state, &ctx, id).await?;
    let valid = match validate_registrant(&form, false) {
        Ok(v) => v,
        Err(errors) => {
            let tz = dates::zone(&ctx.programme.timezone);
            let (people, count) = checkin_list(&state, ctx.tr, id).await?;
            let p = CheckinPage {
                card: Card::new(ctx.tr, &tz, s),
                ctx,
                people,
                count,
                q: String::new(),
                walk_in: form,
                errors,
                notice: None,
            };
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    let by = ctx.user.as_ref().map(|u| u.id).unwrap_or(0);
    let who = Registrant {
        name: valid.name,
        email: valid.email,
        business_name: valid.business_name,
        business_id: None,
        user_id: None,
        locale: ctx.tr.0,
        source: RegistrationSource::Staff,
    };
    let reg = match booking::add_walk_in(&crate::workshops::public::env(&state, &ctx), id, &who, by)
        .await
    {
        Ok(reg) => reg,
        Err(BookError::NotFound) => return Err(AppError::NotFound),
        Err(BookError::Db(e)) => return Err(e.into()),
        Err(_) => return Err(AppError::BadRequest),
    };
    state.workshops.forget();
    Ok(Redirect::to(&format!(
        "/intervenant/seances/{id}/presence?ajoute=1#reg-{reg}"
    ))
    .into_response())
}

/// One tap of the check-in page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Mark {
    reg: i64,
    value: String,
}

/// `POST /intervenant/seances/{id}/presence`: set (never toggle) one
/// person's attendance. Script requests (`X-Requested-With`) get the new
/// state's label and the present count as JSON; forms come back to the list.
pub async fn mark(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    headers: HeaderMap,
    WebForm(m): WebForm<Mark>,
) -> Result<Response, AppError> {
    allowed(&state, &ctx, id).await?;
    let value = Attendance::from_code(&m.value).ok_or(AppError::BadRequest)?;
    let by = ctx.user.as_ref().map(|u| u.id).unwrap_or(0);
    let done = booking::mark_attendance(&state.db, id, m.reg, value, by).await?;
    if !done {
        return Err(AppError::NotFound);
    }
    if headers.get("x-requested-with").is_some() {
        let (_, count) = checkin_list(&state, ctx.tr, id).await?;
        let body = serde_json::json!({
            "state": ctx.tr.t(value.label_key()),
            "count": count,
        });
        return Ok((
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            body.to_string(),
        )
            .into_response());
    }
    Ok(Redirect::to(&format!("/intervenant/seances/{id}/presence#reg-{}", m.reg)).into_response())
}

/// `GET /intervenant/seances/{id}/emargement.pdf`: the sheet participants sign.
pub async fn sheet(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = allowed(&state, &ctx, id).await?;
    let tz = dates::zone(&ctx.programme.timezone);
    let tr = ctx.tr;
    let lang = ctx.lang();
    let people = confirmed(&state, id).await?;
    let speakers = store::speakers(&state.db, id).await?;
    let black = (0.1, 0.1, 0.1);
    let grey = (0.45, 0.45, 0.45);
    let mut doc = Doc::new(&format!(
        "{} — {}",
        ctx.programme.name,
        tr.t("ws-sheet-title")
    ));
    doc.set_meta(
        &format!("{} — {}", tr.t("ws-sheet-title"), s.title(lang)),
        tr.lang(),
    );
    doc.heading(&tr.t("ws-sheet-title"), 1, 18.0, black);
    doc.heading(s.title(lang), 2, 13.0, black);
    doc.paragraph(
        &dates::span(tr, &tz, s.starts_at, s.ends_at),
        11.0,
        false,
        black,
        0.0,
    );
    doc.paragraph(&s.place(lang), 11.0, false, black, 0.0);
    if !speakers.is_empty() {
        let names: Vec<&str> = speakers.iter().map(|p| p.name.as_str()).collect();
        doc.paragraph(
            &format!("{} : {}", tr.t("ws-speakers"), names.join(", ")),
            10.0,
            false,
            grey,
            0.0,
        );
    }
    doc.space(12.0);
    let left = doc.left();
    let width = doc.width();
    let cols = [0.0, 0.36, 0.68];
    let row_h = 30.0;
    let header = [
        tr.t("ws-col-name"),
        tr.t("ws-col-business"),
        tr.t("ws-sheet-signature"),
    ];
    doc.ensure(row_h);
    for (i, h) in header.iter().enumerate() {
        doc.text_at(
            left + cols[i] * width + 4.0,
            doc.y - 14.0,
            h,
            10.0,
            true,
            black,
        );
    }
    doc.y -= 20.0;
    doc.line(left, doc.y, left + width, doc.y, black, 0.8);
    let blank = 5;
    let rows: Vec<(String, String)> = people
        .iter()
        .map(|r| (r.name.clone(), r.business_name.clone()))
        .chain((0..blank).map(|_| (String::new(), String::new())))
        .collect();
    for (name, business) in rows {
        if doc.y - row_h < 70.0 {
            doc.new_page();
        }
        let name = crate::kernel::pdf::fit(&name, 10.0, false, cols[1] * width - 8.0);
        let business =
            crate::kernel::pdf::fit(&business, 10.0, false, (cols[2] - cols[1]) * width - 8.0);
        doc.text_at(left + 4.0, doc.y - 19.0, &name, 10.0, false, black);
        doc.text_at(
            left + cols[1] * width + 4.0,
            doc.y - 19.0,
            &business,
            10.0,
            false,
            black,
        );
        doc.y -= row_h;
        doc.line(left, doc.y, left + width, doc.y, grey, 0.5);
    }
    let bytes = doc.finish();
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"emargement-{id}.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// `POST /intervenant/seances/{id}/support`: a PDF, shown on the public page.
pub async fn upload_slides(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let s = allowed(&state, &ctx, id).await?;
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut too_large = false;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                if field.name() != Some("slides") {
                    continue;
                }
                let name = field.file_name().unwrap_or("support.pdf").to_string();
                match field.bytes().await {
                    Ok(b) => file = Some((name, b.to_vec())),
                    Err(_) => too_large = true,
                }
            }
            Ok(None) => break,
            Err(_) => {
                too_large = true;
                break;
            }
        }
    }
    let error = match &file {
        _ if too_large => Some(ctx.tr.tn(
            "ws-slides-too-large",
            "limit",
            (super::SLIDES_LIMIT / 1_048_576) as i64,
        )),
        None => Some(ctx.tr.t("ws-slides-missing")),
        Some((_, b)) if b.is_empty() => Some(ctx.tr.t("ws-slides-missing")),
        Some((_, b)) if !b.starts_with(b"%PDF-") => Some(ctx.tr.t("ws-slides-not-pdf")),
        _ => None,
    };
    if let Some(error) = error {
        let p = session_page(&state, ctx, s, None, Some(error)).await?;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    }
    let (name, bytes) = file.expect("checked above");
    let shown: String = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("support.pdf")
        .chars()
        .filter(|c| !c.is_control())
        .take(120)
        .collect();
    let shown = if shown.is_empty() {
        "support.pdf".to_string()
    } else {
        shown
    };
    store::save_slides(&state.db, id, &shown, bytes).await?;
    state.workshops.forget();
    Ok(Redirect::to(&format!("/intervenant/seances/{id}?support=1")).into_response())
}
