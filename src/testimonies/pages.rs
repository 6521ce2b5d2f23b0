//! Pages of testimonies: the public list (filtered by theme) and one story,
//! shown only when published with the consent recorded; the staff list and
//! the editor.

// The select macro of needs/parts.html compares codes with the submitted text.
#![allow(clippy::cmp_owned)]

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;

use super::model::{photo_refusal, unpack, PhotoChange, Status, TestimonyForm, PHOTO};
use super::store::{self, Saved, TestimonyRow};
use crate::auth::CurrentUser;
use crate::csvio::Upload;
use crate::db::Db;
use crate::guides::pages::theme_choices;
use crate::i18n::Tr;
use crate::kernel::images;
use crate::web::forms::{PostedForm, Violations};
use crate::web::{page, render, AppError, PageCtx};

/// A testimony as shown.
pub struct Card {
    pub id: i64,
    pub title: String,
    pub author: String,
    pub business: String,
    pub excerpt: String,
    pub paragraphs: Vec<String>,
    pub video_url: String,
    pub transcript: String,
    pub themes: Vec<String>,
    /// "Maturity score: 31/100 before, 64/100 after" when known.
    pub maturity: Option<String>,
    /// The photo's text alternative, when the photo is shown.
    pub photo_alt: Option<String>,
    pub lang: String,
}

/// The before/after sentence of a closed file's scores.
fn maturity(tr: Tr, before: Option<f64>, after: Option<f64>) -> Option<String> {
    match (before, after) {
        (Some(a), Some(b)) => Some(tr.args(
            "testimonies-maturity",
            &[
                ("before", &format!("{a:.0}")),
                ("after", &format!("{b:.0}")),
            ],
        )),
        _ => None,
    }
}

impl Card {
    fn new(tr: Tr, t: &TestimonyRow, titles: &HashMap<String, String>) -> Card {
        let paragraphs: Vec<String> = t
            .body
            .split("\n\n")
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        let first = paragraphs.first().cloned().unwrap_or_default();
        let excerpt = if first.chars().count() > 220 {
            let cut: String = first.chars().take(220).collect();
            format!("{}…", cut.trim_end())
        } else {
            first
        };
        Card {
            id: t.id,
            title: t.title.clone(),
            author: t.author_name.clone(),
            business: t.business_name.clone(),
            excerpt,
            paragraphs,
            video_url: t.video_url.clone(),
            transcript: t.transcript.clone(),
            themes: unpack(&t.themes)
                .iter()
                .map(|s| titles.get(s).cloned().unwrap_or_else(|| s.clone()))
                .collect(),
            maturity: maturity(tr, t.score_before, t.score_after),
            photo_alt: t
                .photo_shown()
                .then(|| tr.ts("testimonies-photo-alt", "name", &t.author_name)),
            lang: t.locale.clone(),
        }
    }
}

// ---------------------------------------------------------------- public

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    theme: String,
}

#[derive(Template)]
#[template(path = "testimonies/list.html")]
struct ListPage {
    ctx: PageCtx,
    cards: Vec<Card>,
    themes: Vec<(String, String)>,
    theme: String,
    staff: bool,
}

/// `GET /temoignages`: published stories with consent, filtered by theme.
pub async fn list(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let themes = theme_choices(&db, ctx.tr.0).await?;
    let titles: HashMap<String, String> = themes.iter().cloned().collect();
    let theme = q.theme.trim().to_string();
    let cards = store::visible(&db, &theme)
        .await?
        .iter()
        .map(|t| Card::new(ctx.tr, t, &titles))
        .collect();
    let staff = ctx.user.as_ref().is_some_and(|u| u.is_staff());
    Ok(page(&ListPage {
        ctx,
        cards,
        themes,
        theme,
        staff,
    }))
}

#[derive(Template)]
#[template(path = "testimonies/show.html")]
struct ShowPage {
    ctx: PageCtx,
    t: Card,
    edit_id: Option<i64>,
}

/// `GET /temoignages/{id}`: one story, only when published with consent
/// (anything else is not found, for staff too: they preview in the editor).
pub async fn show(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let t = store::get(&db, id).await?.ok_or(AppError::NotFound)?;
    if !t.visible() {
        return Err(AppError::NotFound);
    }
    let titles: HashMap<String, String> = theme_choices(&db, ctx.tr.0).await?.into_iter().collect();
    let staff = ctx.user.as_ref().is_some_and(|u| u.is_staff());
    Ok(page(&ShowPage {
        t: Card::new(ctx.tr, &t, &titles),
        edit_id: staff.then_some(t.id),
        ctx,
    }))
}

/// The photo as served: re-encoded on upload, so its type is ours.
fn photo_response(bytes: Vec<u8>, mime: String) -> Response {
    use axum::http::header;
    (
        [
            (header::CONTENT_TYPE, mime),
            // Revalidated each time: a withdrawn consent hides it at once.
            (header::CACHE_CONTROL, "no-cache".to_string()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /temoignages/{id}/photo`: only for a published testimony whose
/// consent and photo consent are recorded.
pub async fn photo(State(db): State<Db>, Path(id): Path<i64>) -> Result<Response, AppError> {
    let (bytes, mime) = store::photo(&db, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(photo_response(bytes, mime))
}

/// `GET /admin/temoignages/{id}/photo`: the stored photo, for the editor.
pub async fn admin_photo(State(db): State<Db>, Path(id): Path<i64>) -> Result<Response, AppError> {
    let (bytes, mime) = store::photo(&db, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(photo_response(bytes, mime))
}

// ---------------------------------------------------------------- staff

/// A line of the staff list.
pub struct AdminLine {
    pub id: i64,
    pub title: String,
    pub author: String,
    pub business: String,
    pub status: String,
    pub consent: bool,
    pub visible: bool,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "testimonies/admin.html")]
struct AdminPage {
    ctx: PageCtx,
    lines: Vec<AdminLine>,
}

/// `GET /admin/temoignages`
pub async fn admin(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let lines = store::all(&db)
        .await?
        .iter()
        .map(|t| AdminLine {
            id: t.id,
            title: t.title.clone(),
            author: t.author_name.clone(),
            business: t.business_name.clone(),
            status: ctx.tr.t(t.status().label_key()),
            consent: t.consent_at.is_some(),
            visible: t.visible(),
            updated: ctx.datetime(t.updated_at),
        })
        .collect();
    Ok(page(&AdminPage { ctx, lines }))
}

#[derive(Template)]
#[template(path = "testimonies/form.html")]
struct FormPage {
    ctx: PageCtx,
    id: Option<i64>,
    input: TestimonyForm,
    errors: Violations,
    stale: bool,
    saved: bool,
    consent_at: Option<String>,
    scores: Option<String>,
    visible: bool,
    has_photo: bool,
    photo_limit: i64,
    statuses: Vec<(&'static str, String)>,
    themes: Vec<(String, String)>,
    businesses: Vec<(String, String)>,
}

struct FormState {
    id: Option<i64>,
    input: TestimonyForm,
    errors: Violations,
    stale: bool,
    saved: bool,
}

async fn form_page(db: &Db, ctx: PageCtx, s: FormState) -> Result<FormPage, AppError> {
    let tr = ctx.tr;
    let stored = match s.id {
        Some(id) => store::get(db, id).await?,
        None => None,
    };
    Ok(FormPage {
        consent_at: stored
            .as_ref()
            .and_then(|t| t.consent_at)
            .map(|ms| ctx.datetime(ms)),
        scores: stored
            .as_ref()
            .and_then(|t| maturity(tr, t.score_before, t.score_after)),
        visible: stored.as_ref().is_some_and(|t| t.visible()),
        has_photo: stored.as_ref().is_some_and(|t| t.has_photo != 0),
        photo_limit: PHOTO.limit_mb(),
        statuses: Status::ALL
            .iter()
            .map(|s| (s.code(), tr.t(s.label_key())))
            .collect(),
        themes: theme_choices(db, tr.0).await?,
        businesses: store::businesses(db)
            .await?
            .into_iter()
            .map(|(id, name)| (id.to_string(), name))
            .collect(),
        id: s.id,
        input: s.input,
        errors: s.errors,
        stale: s.stale,
        saved: s.saved,
        ctx,
    })
}

fn form_of(t: &TestimonyRow) -> TestimonyForm {
    TestimonyForm {
        business: t.business_id.map(|b| b.to_string()).unwrap_or_default(),
        author_name: t.author_name.clone(),
        title: t.title.clone(),
        body: t.body.clone(),
        locale: t.locale.clone(),
        video_url: t.video_url.clone(),
        transcript: t.transcript.clone(),
        themes: unpack(&t.themes),
        consent: t.consent_at.is_some(),
        consent_by: t.consent_by.clone(),
        photo_consent: t.photo_consent != 0,
        remove_photo: false,
        photo_chosen: false,
        status: t.status.clone(),
        version: t.version.to_string(),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EditFlags {
    enregistre: Option<String>,
}

/// `GET /admin/temoignages/nouveau`
pub async fn new_form(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let input = TestimonyForm {
        locale: ctx.tr.0.as_str().into(),
        status: "draft".into(),
        version: "0".into(),
        ..Default::default()
    };
    let s = FormState {
        id: None,
        input,
        errors: Violations::default(),
        stale: false,
        saved: false,
    };
    Ok(page(&form_page(&db, ctx, s).await?))
}

/// `GET /admin/temoignages/{id}`
pub async fn edit_form(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(flags): Query<EditFlags>,
) -> Result<Response, AppError> {
    let t = store::get(&db, id).await?.ok_or(AppError::NotFound)?;
    let s = FormState {
        id: Some(id),
        input: form_of(&t),
        errors: Violations::default(),
        stale: false,
        saved: flags.enregistre.is_some(),
    };
    Ok(page(&form_page(&db, ctx, s).await?))
}

/// `POST /admin/temoignages/nouveau`
pub async fn create(
    State(db): State<Db>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    posted: PostedForm,
) -> Result<Response, AppError> {
    save(db, ctx, user, None, posted).await
}

/// `POST /admin/temoignages/{id}`
pub async fn update(
    State(db): State<Db>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<i64>,
    posted: PostedForm,
) -> Result<Response, AppError> {
    store::get(&db, id).await?.ok_or(AppError::NotFound)?;
    save(db, ctx, user, Some(id), posted).await
}

/// The photo that came with the form, checked and re-encoded off the async
/// workers; `None` when there is none to store (none sent, or no consent).
async fn checked_photo(
    upload: Upload,
    photo_consent: bool,
) -> Option<Result<Vec<u8>, images::Refusal>> {
    match upload {
        Upload::File(b) if photo_consent => {
            Some(images::shrink_off_thread(PHOTO, b.to_vec()).await)
        }
        Upload::TooLarge => Some(Err(images::Refusal::TooLarge)),
        _ => None,
    }
}

/// Check, then create or save; what was typed comes back with the messages.
async fn save(
    db: Db,
    ctx: PageCtx,
    user: CurrentUser,
    id: Option<i64>,
    posted: PostedForm,
) -> Result<Response, AppError> {
    let known: Vec<String> = theme_choices(&db, ctx.tr.0)
        .await?
        .into_iter()
        .map(|(slug, _)| slug)
        .collect();
    let upload = posted.file("photo");
    let mut form = TestimonyForm::from_pairs(&posted.pairs);
    form.photo_chosen = !matches!(upload, Upload::Empty);
    let mut state = FormState {
        id,
        input: form.clone(),
        errors: Violations::default(),
        stale: false,
        saved: false,
    };
    let parsed = form.parse(&known);
    let photo = checked_photo(upload, form.photo_consent).await;
    let mut errors = parsed.as_ref().err().cloned().unwrap_or_default();
    if let Some(Err(refusal)) = &photo {
        if !errors.has("photo") {
            errors.add("photo", photo_refusal(*refusal), Some(PHOTO.limit_mb()));
        }
    }
    if let Ok(v) = &parsed {
        if let Some(b) = v.business_id {
            if !store::business_exists(&db, b).await? {
                errors.add("business", "form-choose", None);
            }
        }
    }
    let mut valid = match parsed {
        Ok(v) if errors.is_empty() => v,
        _ => {
            state.errors = errors;
            let p = form_page(&db, ctx, state).await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    if let Some(Ok(jpeg)) = photo {
        valid.photo = PhotoChange::Set(jpeg);
    }
    let saved = match id {
        None => store::insert(&db, &valid, user.as_ref().map(|u| u.id)).await?,
        Some(id) => store::update(&db, id, &valid).await?,
    };
    match saved {
        Saved::Created(id) | Saved::Updated(id) => {
            Ok(Redirect::to(&format!("/admin/temoignages/{id}?enregistre=1")).into_response())
        }
        Saved::Stale => {
            state.stale = true;
            let p = form_page(&db, ctx, state).await?;
            Ok(render(StatusCode::CONFLICT, &p))
        }
    }
}
