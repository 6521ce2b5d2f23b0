//! Providers keep their own card: create, edit, logo, submit for approval,
//! confirm once a year; claim a card imported before they signed up.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{self, CardFields, CardForm, Provider};
use super::store::{self, SaveError};
use crate::business::identifiers::Country;
use crate::business::model::SIZE_BANDS;
use crate::db::now_ms;
use crate::kernel::forms::RepeatedForm;
use crate::kernel::images;
use crate::outbox::{enqueue, NewMail};
use crate::state::AppState;
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

/// Largest logo accepted before resizing.
pub const LOGO_LIMIT: usize = 2 * 1024 * 1024;

/// Logos: PNG or JPEG, shrunk to fit 256 px, stored as PNG.
pub const LOGO: images::Policy = images::Policy {
    limit: LOGO_LIMIT,
    accept: &[image::ImageFormat::Png, image::ImageFormat::Jpeg],
    fit: 256,
    output: image::ImageFormat::Png,
};

/// The message key of a refused logo.
fn logo_refusal(r: images::Refusal) -> &'static str {
    match r {
        images::Refusal::Missing => "dir-logo-missing",
        images::Refusal::TooLarge => "dir-logo-too-large",
        images::Refusal::NotImage => "dir-logo-not-image",
        images::Refusal::Broken => "dir-logo-broken",
    }
}

/// Check an uploaded logo and turn it into a small PNG (see
/// [`images::shrink`]) on the blocking pool; the error is a translation key.
pub async fn process_logo_off_thread(bytes: Vec<u8>) -> Result<Vec<u8>, &'static str> {
    images::shrink_off_thread(LOGO, bytes)
        .await
        .map_err(logo_refusal)
}

/// Choices of the card form.
pub struct Choices {
    pub themes: Vec<(i64, String)>,
    pub sectors: Vec<(String, String, bool)>,
    pub territories: Vec<(String, String)>,
    pub communes: Vec<crate::reference::TerritoryOption>,
    pub countries: Vec<(&'static str, String)>,
    pub sizes: Vec<(&'static str, String)>,
}

/// Load the choices in the visitor's language.
pub async fn choices(state: &AppState, ctx: &PageCtx) -> Result<Choices, AppError> {
    let english = ctx.lang() == "en";
    let col = if english { "title_en" } else { "title_fr" };
    let ncol = if english { "name_en" } else { "name_fr" };
    let territories: Vec<(String, String, String)> = sqlx::query_as(&format!(
        "SELECT code, {ncol}, level FROM territories WHERE level IN ('country', 'region', 'department', 'province', 'canton') ORDER BY {ncol}"
    ))
    .fetch_all(&state.db.pool)
    .await?;
    Ok(Choices {
        themes: sqlx::query_as(&format!(
            "SELECT id, {col} FROM themes WHERE archived = 0 ORDER BY {col}"
        ))
        .fetch_all(&state.db.pool)
        .await?,
        sectors: crate::reference::sector_divisions(&state.db, english).await?,
        territories: territories
            .into_iter()
            .map(|(c, n, l)| (c, format!("{n} ({})", ctx.tr.code("setup-level-", &l))))
            .collect(),
        communes: crate::reference::communes(&state.db, english).await?,
        countries: Country::ALL
            .iter()
            .map(|c| (c.code(), ctx.tr.t(c.label_key())))
            .collect(),
        sizes: SIZE_BANDS
            .iter()
            .map(|s| (*s, ctx.tr.code("business-size-", s)))
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "directory/mine.html")]
struct MinePage {
    ctx: PageCtx,
    cards: Vec<Provider>,
    now: i64,
}

impl MinePage {
    fn stale_card(&self, c: &Provider) -> bool {
        c.is_stale(self.now)
    }
}

/// `GET /prestataire`
pub async fn mine(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, AppError> {
    let user = ctx.user.as_ref().ok_or(AppError::Forbidden)?;
    let cards = model::for_member(&state.db, user.id).await?;
    Ok(page(&MinePage {
        ctx,
        cards,
        now: now_ms(),
    }))
}

#[derive(Template)]
#[template(path = "directory/edit.html")]
struct EditPage {
    ctx: PageCtx,
    card: Option<Provider>,
    choices: Choices,
    input: CardForm,
    errors: Violations,
    notice: Option<String>,
    taken_by: Option<i64>,
    stale: bool,
    /// A public card with the same name as this new one: (id, name), to claim.
    same_name: Option<(i64, String)>,
}

/// `GET /prestataire/fiche/nouvelle`
pub async fn new_form(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, AppError> {
    let choices = choices(&state, &ctx).await?;
    let input = CardForm {
        country: "FR".into(),
        email: ctx
            .user
            .as_ref()
            .map(|u| u.email.clone())
            .unwrap_or_default(),
        ..Default::default()
    };
    Ok(page(&EditPage {
        ctx,
        card: None,
        choices,
        input,
        errors: Violations::default(),
        notice: None,
        taken_by: None,
        stale: false,
        same_name: None,
    }))
}

fn save_error(errors: &mut Violations, e: &SaveError) -> Option<i64> {
    match e {
        SaveError::IdTaken(owner) => {
            errors.add("legal_id", "dir-id-taken", None);
            (*owner > 0).then_some(*owner)
        }
        SaveError::Stale => {
            errors.add("name", "dir-stale", None);
            None
        }
        SaveError::Db(_) => None,
    }
}

/// `POST /prestataire/fiche/nouvelle`
pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    RepeatedForm(fields): RepeatedForm<CardFields>,
) -> Result<Response, AppError> {
    let form = CardForm::from(fields);
    let user = ctx.user.as_ref().ok_or(AppError::Forbidden)?.id;
    let invalid = |errors: Violations,
                   taken_by: Option<i64>,
                   choices: Choices,
                   ctx: PageCtx,
                   form: CardForm| {
        render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &EditPage {
                ctx,
                card: None,
                choices,
                input: form,
                errors,
                notice: None,
                taken_by,
                stale: false,
                same_name: None,
            },
        )
    };
    let choices = choices(&state, &ctx).await?;
    let valid = match model::validate(&state.db, &form, true).await? {
        Ok(v) => v,
        Err(errors) => return Ok(invalid(errors, None, choices, ctx, form)),
    };
    match store::create(&state.db, &valid, "draft", "signup", Some(user)).await {
        Ok(id) => {
            state.directory.forget();
            Ok(Redirect::to(&format!("/prestataire/fiche/{id}?cree=1")).into_response())
        }
        Err(SaveError::Db(e)) => Err(e.into()),
        Err(e) => {
            let mut errors = Violations::default();
            let taken = save_error(&mut errors, &e);
            Ok(invalid(errors, taken, choices, ctx, form))
        }
    }
}

/// Flags after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Flags {
    cree: Option<String>,
    enregistre: Option<String>,
    soumise: Option<String>,
    confirmee: Option<String>,
    logo: Option<String>,
}

async fn allowed(state: &AppState, ctx: &PageCtx, id: i64) -> Result<Provider, AppError> {
    let p = model::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let user = ctx.user.as_ref().ok_or(AppError::Forbidden)?;
    if ctx.has_role("admin") || model::is_member(&state.db, id, user.id).await? {
        Ok(p)
    } else {
        Err(AppError::NotFound)
    }
}

async fn edit_page(
    state: &AppState,
    ctx: PageCtx,
    p: Provider,
    input: Option<CardForm>,
    errors: Violations,
    notice: Option<String>,
    taken_by: Option<i64>,
) -> Result<EditPage, AppError> {
    let input = match input {
        Some(i) => i,
        None => CardForm::from_card(&p, model::links(&state.db, p.id).await?),
    };
    let choices = choices(state, &ctx).await?;
    Ok(EditPage {
        stale: p.is_stale(now_ms()),
        ctx,
        card: Some(p),
        choices,
        input,
        errors,
        notice,
        taken_by,
        same_name: None,
    })
}

/// `GET /prestataire/fiche/{id}`
pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(f): Query<Flags>,
) -> Result<Response, AppError> {
    let p = allowed(&state, &ctx, id).await?;
    let notice = if f.cree.is_some() {
        Some(ctx.tr.t("dir-card-created"))
    } else if f.soumise.is_some() {
        Some(ctx.tr.t("dir-card-submitted"))
    } else if f.confirmee.is_some() {
        Some(ctx.tr.t("dir-card-confirmed"))
    } else if f.logo.is_some() {
        Some(ctx.tr.t("dir-logo-saved"))
    } else if f.enregistre.is_some() {
        Some(ctx.tr.t("dir-card-saved"))
    } else {
        None
    };
    // Just created: a public card of the same name may be theirs to claim.
    let same_name = if f.cree.is_some() {
        sqlx::query_as::<_, (i64, String)>(
            "SELECT id, name FROM providers WHERE status = 'published' AND id <> $1 AND search_key = \
             (SELECT search_key FROM providers WHERE id = $1) ORDER BY id LIMIT 1",
        )
        .bind(p.id)
        .fetch_optional(&state.db.pool)
        .await?
    } else {
        None
    };
    let mut page_data =
        edit_page(&state, ctx, p, None, Violations::default(), notice, None).await?;
    page_data.same_name = same_name;
    Ok(page(&page_data))
}

/// `POST /prestataire/fiche/{id}`: save, submit for approval, or confirm.
pub async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    RepeatedForm(fields): RepeatedForm<CardFields>,
) -> Result<Response, AppError> {
    let p = allowed(&state, &ctx, id).await?;
    let form = CardForm::from(fields);
    match form.action.as_str() {
        "confirm" => {
            store::confirm(&state.db, id).await?;
            state.directory.forget();
            return Ok(
                Redirect::to(&format!("/prestataire/fiche/{id}?confirmee=1")).into_response(),
            );
        }
        "submit" => {
            if p.status == "draft" || p.status == "unpublished" {
                submit(&state, &ctx, &p).await?;
            }
            return Ok(Redirect::to(&format!("/prestataire/fiche/{id}?soumise=1")).into_response());
        }
        "save" | "" => {}
        _ => return Err(AppError::BadRequest),
    }
    let valid = match model::validate(&state.db, &form, true).await? {
        Ok(v) => v,
        Err(errors) => {
            let pg = edit_page(&state, ctx, p, Some(form), errors, None, None).await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &pg));
        }
    };
    let version = form.version.trim().parse().unwrap_or(-1);
    match store::update(&state.db, id, version, &valid).await {
        Ok(()) => {
            state.directory.forget();
            Ok(Redirect::to(&format!("/prestataire/fiche/{id}?enregistre=1")).into_response())
        }
        Err(SaveError::Db(e)) => Err(e.into()),
        Err(e) => {
            let mut errors = Violations::default();
            let taken = save_error(&mut errors, &e);
            let status = if matches!(e, SaveError::Stale) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let fresh = model::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
            let mut keep = form;
            if matches!(e, SaveError::Stale) {
                keep.version = fresh.version.to_string();
            }
            let pg = edit_page(&state, ctx, fresh, Some(keep), errors, None, taken).await?;
            Ok(render(status, &pg))
        }
    }
}

/// Where mail for the programme team goes.
fn team_address(state: &AppState, ctx: &PageCtx) -> String {
    if ctx.programme.contact_email.is_empty() {
        state.config.contact_email.clone().unwrap_or_default()
    } else {
        ctx.programme.contact_email.clone()
    }
}

/// Ask the programme team to approve a card (mail in the same transaction).
async fn submit(state: &AppState, ctx: &PageCtx, p: &Provider) -> Result<(), AppError> {
    let mut tx = state.db.begin_write().await?;
    sqlx::query("UPDATE providers SET status = 'pending', updated_at = $1 WHERE id = $2 AND status IN ('draft', 'unpublished')")
        .bind(now_ms())
        .bind(p.id)
        .execute(&mut *tx)
        .await?;
    let to = if ctx.programme.contact_email.is_empty() {
        state.config.contact_email.clone().unwrap_or_default()
    } else {
        ctx.programme.contact_email.clone()
    };
    if !to.is_empty() {
        let tr = crate::i18n::Tr(crate::i18n::Locale::Fr);
        enqueue(
            &mut tx,
            &NewMail {
                kind: "directory.submitted",
                to,
                reply_to: None,
                subject: tr.ts("dir-mail-submitted-subject", "name", &p.name),
                body_text: format!(
                    "{}\n{}\n",
                    tr.ts("dir-mail-submitted-body", "name", &p.name),
                    crate::kernel::links::absolute(&state.config.base_url, "/admin/annuaire")
                ),
            },
        )
        .await?;
    }
    tx.commit().await?;
    state.mail_notify.notify_one();
    state.directory.forget();
    Ok(())
}

/// `POST /prestataire/fiche/{id}/logo` (multipart field `logo`).
pub async fn upload_logo(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let p = allowed(&state, &ctx, id).await?;
    let mut bytes: Option<Vec<u8>> = None;
    let mut too_large = false;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                if field.name() != Some("logo") {
                    continue;
                }
                match field.bytes().await {
                    Ok(b) => bytes = Some(b.to_vec()),
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
    let result = if too_large {
        Err("dir-logo-too-large")
    } else {
        process_logo_off_thread(bytes.unwrap_or_default()).await
    };
    match result {
        Ok(png) => {
            sqlx::query("UPDATE providers SET logo = $1, logo_mime = 'image/png', updated_at = $2 WHERE id = $3")
                .bind(png)
                .bind(now_ms())
                .bind(id)
                .execute(&state.db.pool)
                .await?;
            state.directory.forget();
            Ok(Redirect::to(&format!("/prestataire/fiche/{id}?logo=1")).into_response())
        }
        Err(key) => {
            let mut errors = Violations::default();
            errors.add("logo", key, Some((LOGO_LIMIT / 1_048_576) as i64));
            let pg = edit_page(&state, ctx, p, None, errors, None, None).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &pg))
        }
    }
}

/// What a claim sends.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ClaimForm {
    message: String,
}

/// `POST /annuaire/{id}/revendiquer`: a provider asks to keep an existing card.
pub async fn claim(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<ClaimForm>,
) -> Result<Response, AppError> {
    let user = ctx.user.as_ref().ok_or(AppError::Forbidden)?;
    // Only a public card can be claimed; drafts belong to whoever wrote them.
    let card = model::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if card.status != "published" {
        return Err(AppError::NotFound);
    }
    let message: String = form.message.trim().chars().take(1000).collect();
    let mut tx = state.db.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO provider_claims (provider_id, user_id, message, status, created_at) VALUES ($1, $2, $3, 'pending', $4)",
    )
    .bind(id)
    .bind(user.id)
    .bind(&message)
    .bind(now_ms())
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {
            // The team settles claims: tell it, in the same transaction.
            let to = team_address(&state, &ctx);
            if !to.is_empty() {
                let tr = crate::i18n::Tr(crate::i18n::Locale::Fr);
                let who = format!("{} <{}>", user.name, user.email);
                enqueue(
                    &mut tx,
                    &NewMail {
                        kind: "directory.claimed",
                        to,
                        reply_to: None,
                        subject: tr.ts("dir-mail-claim-request-subject", "name", &card.name),
                        body_text: format!(
                            "{}\n\n{}\n\n{}\n",
                            tr.args(
                                "dir-mail-claim-request-body",
                                &[("name", card.name.as_str()), ("who", who.as_str())]
                            ),
                            message,
                            crate::kernel::links::absolute(
                                &state.config.base_url,
                                "/admin/annuaire"
                            )
                        ),
                    },
                )
                .await?;
            }
            tx.commit().await?;
            state.mail_notify.notify_one();
        }
        // Asked twice: the first request stands.
        Err(e) if crate::db::is_unique_violation(&e) => {}
        Err(e) => return Err(e.into()),
    }
    // A card someone already keeps is not handed over: the claim waits for
    // the programme team, and the claimant is told so.
    let flag = if model::keepers(&state.db, id).await? > 0 {
        "tenue"
    } else {
        "1"
    };
    Ok(Redirect::to(&format!("/annuaire/{id}?revendication={flag}")).into_response())
}
