//! Business pages: an owner's own business (`mine`), the register for
//! staff (`register`), and its CSV export and import (`transfer`). Shared
//! here: the edit page, and saving a form through the model and the store.

pub(super) mod mine;
pub(super) mod register;
pub(super) mod transfer;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::auth::PARTNER_COOKIE;
use crate::business::identifiers::Country;
use crate::business::model::{
    Business, BusinessInput, HistoryEntry, Person, PersonInput, SaveError, SIZE_BANDS,
};
use crate::business::store;
use crate::reference::{self, OptionGroup, TerritoryOption};
use crate::state::AppState;
use crate::web::forms::Violations;
use crate::web::{cookie, render, AppError, PageCtx};

/// Choices offered by the business form.
pub struct Choices {
    pub sectors: Vec<(String, String, bool)>,
    /// The edit form's sector picker: common trades in plain words first,
    /// then every NACE division (the diagnostic's picker).
    pub trades: Vec<OptionGroup>,
    pub communes: Vec<TerritoryOption>,
    /// Partners that bring businesses: (slug, name).
    pub partners: Vec<(String, String)>,
}

pub(super) async fn choices(state: &AppState, ctx: &PageCtx) -> Result<Choices, AppError> {
    let english = ctx.lang() == "en";
    Ok(Choices {
        sectors: reference::sector_divisions(&state.db, english).await?,
        trades: reference::sector_choices(
            &state.db,
            english,
            ctx.tr.t("sector-trades"),
            ctx.tr.t("sector-nace"),
        )
        .await?,
        communes: reference::communes(&state.db, english).await?,
        partners: crate::setup::store::bringing_partners(&state.db).await?,
    })
}

/// A duplicate found when saving: its id and name (id 0: unknown).
pub type Duplicate = Option<(i64, String)>;

#[derive(Template)]
#[template(path = "business/edit.html")]
pub(super) struct EditPage {
    ctx: PageCtx,
    title: String,
    action: String,
    input: BusinessInput,
    errors: Violations,
    choices: Choices,
    duplicate: Duplicate,
    conflict: bool,
    saved: bool,
    business: Option<Business>,
    people: Vec<Person>,
    person: PersonInput,
    person_errors: Violations,
    person_action: String,
    history: Vec<HistoryEntry>,
    staff_view: bool,
}

impl EditPage {
    /// The commune field's text: a known code read as "Name (postcode)",
    /// anything else as typed.
    fn commune_text(&self) -> String {
        let typed = self.input.commune_code.trim();
        crate::communes::model::by_code(typed)
            .map(|c| c.label())
            .unwrap_or_else(|| typed.to_string())
    }
    /// Suggestions offered without JavaScript: the communes in use.
    fn commune_suggestions(&self) -> Vec<String> {
        self.choices
            .communes
            .iter()
            .filter_map(|c| crate::communes::model::by_code(&c.code).map(|k| k.label()))
            .collect()
    }
    fn countries(&self) -> Vec<(&'static str, String)> {
        Country::ALL
            .iter()
            .map(|c| (c.code(), self.ctx.tr.t(c.label_key())))
            .collect()
    }
    fn sizes(&self) -> Vec<(&'static str, String)> {
        SIZE_BANDS
            .iter()
            .map(|s| (*s, self.ctx.tr.code("business-size-", s)))
            .collect()
    }
    fn is(&self, a: &str, b: &str) -> bool {
        a == b
    }
    fn partner_is(&self, slug: &str) -> bool {
        self.input.partner.as_deref() == Some(slug)
    }
    fn when(&self, ms: &i64) -> String {
        self.ctx.datetime(*ms)
    }
    fn field_label(&self, field: &str) -> String {
        self.ctx.tr.code("business-field-", field)
    }
    fn consent_checked(&self) -> bool {
        crate::web::forms::checked(&self.person.consent)
    }
}

/// What the edit page shows besides the business and the form: errors,
/// a duplicate or a conflict found on saving, the person form.
#[derive(Default)]
pub(super) struct Shown {
    pub errors: Violations,
    pub duplicate: Duplicate,
    pub conflict: bool,
    pub saved: bool,
    pub person: PersonInput,
    pub person_errors: Violations,
}

/// The edit page of `business` (a new one when `None`), for staff or for its owner.
pub(super) async fn edit_page(
    state: &AppState,
    ctx: PageCtx,
    business: Option<Business>,
    input: BusinessInput,
    shown: Shown,
    staff_view: bool,
) -> Result<EditPage, AppError> {
    let Shown {
        errors,
        duplicate,
        conflict,
        saved,
        person,
        person_errors,
    } = shown;
    let choices = choices(state, &ctx).await?;
    let (people, history) = match &business {
        Some(b) => (
            store::people(&state.db, b.id).await?,
            store::history(&state.db, b.id).await?,
        ),
        None => (vec![], vec![]),
    };
    let (title, action, person_action) = match (&business, staff_view) {
        (Some(b), true) => (
            b.name.clone(),
            format!("/entreprises/{}", b.id),
            format!("/entreprises/{}/personnes", b.id),
        ),
        (None, true) => (
            ctx.tr.t("business-new-title"),
            "/entreprises/nouvelle".to_string(),
            String::new(),
        ),
        (Some(_), false) => (
            ctx.tr.t("nav-my-business"),
            "/mon-entreprise".to_string(),
            "/mon-entreprise/personnes".to_string(),
        ),
        (None, false) => (
            ctx.tr.t("business-register-title"),
            "/mon-entreprise".to_string(),
            String::new(),
        ),
    };
    Ok(EditPage {
        ctx,
        title,
        action,
        input,
        errors,
        choices,
        duplicate,
        conflict,
        saved,
        business,
        people,
        person,
        person_errors,
        person_action,
        history: if staff_view { history } else { vec![] },
        staff_view,
    })
}

pub(super) fn user_id(user: &CurrentUser) -> Option<i64> {
    user.as_ref().map(|u| u.id)
}

/// Query flag shown after a save.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SavedQuery {
    enregistre: Option<String>,
}

pub(super) async fn partner_from_cookie(
    state: &AppState,
    headers: &axum::http::HeaderMap,
) -> Result<Option<i64>, AppError> {
    match cookie(headers, PARTNER_COOKIE) {
        Some(slug) => Ok(crate::setup::store::partner_id(&state.db, slug).await?),
        None => Ok(None),
    }
}

/// Save an input: create when `existing` is None, else update. Returns the
/// page to show again on failure, or the saved id.
pub(super) async fn save(
    state: &AppState,
    ctx: PageCtx,
    existing: Option<Business>,
    input: BusinessInput,
    user: &CurrentUser,
    owner: bool,
    partner_id: Option<i64>,
) -> Result<Result<i64, Response>, AppError> {
    let staff_view = !owner;
    // A trade picked in plain words is stored as its NACE division; the
    // form shows the trade again if anything else is refused.
    let mut checked = input.clone();
    if let Some(code) = reference::sector_of_choice(&input.sector_code) {
        checked.sector_code = code;
    }
    let valid = match store::validate(&state.db, &checked).await? {
        Ok(v) => v,
        Err(errors) => {
            let p = edit_page(
                state,
                ctx,
                existing,
                input,
                Shown {
                    errors,
                    ..Default::default()
                },
                staff_view,
            )
            .await?;
            return Ok(Err(render(StatusCode::UNPROCESSABLE_ENTITY, &p)));
        }
    };
    let result = match &existing {
        None => {
            let programme = state.programme().await?;
            store::create(
                &state.db,
                programme.id,
                &valid,
                user_id(user),
                owner.then(|| user_id(user)).flatten(),
                partner_id,
            )
            .await
        }
        Some(b) => store::update(&state.db, b.id, &valid, input.version, user_id(user))
            .await
            .map(|_| b.id),
    };
    match result {
        Ok(id) => Ok(Ok(id)),
        Err(SaveError::Duplicate {
            existing_id,
            existing_name,
        }) => {
            let mut errors = Violations::default();
            errors.add("legal_id", "business-duplicate", None);
            let p = edit_page(
                state,
                ctx,
                existing,
                input,
                Shown {
                    errors,
                    // Only staff learn which business holds the number: an
                    // owner is told it is registered and how to join it.
                    duplicate: Some(if staff_view {
                        (existing_id, existing_name)
                    } else {
                        (0, String::new())
                    }),
                    ..Default::default()
                },
                staff_view,
            )
            .await?;
            Ok(Err(render(StatusCode::CONFLICT, &p)))
        }
        Err(SaveError::Conflict) => {
            // Keep what the person typed; show that someone else saved first.
            let fresh = match &existing {
                Some(b) => store::get(&state.db, b.id).await?,
                None => None,
            };
            let mut input = input;
            if let Some(f) = &fresh {
                input.version = f.version;
            }
            let p = edit_page(
                state,
                ctx,
                fresh,
                input,
                Shown {
                    conflict: true,
                    ..Default::default()
                },
                staff_view,
            )
            .await?;
            Ok(Err(render(StatusCode::CONFLICT, &p)))
        }
        Err(SaveError::NotFound) => Err(AppError::NotFound),
        Err(SaveError::Db(e)) => Err(e.into()),
    }
}

pub(super) async fn add_person_to(
    state: &AppState,
    ctx: PageCtx,
    business: Business,
    input: PersonInput,
    staff_view: bool,
    back: String,
) -> Result<Response, AppError> {
    let country = Country::from_code(&business.country).unwrap_or(Country::Fr);
    match input.parse(country) {
        Ok(person) => {
            store::add_person(&state.db, business.id, &person, ctx.lang()).await?;
            Ok(Redirect::to(&back).into_response())
        }
        Err(errors) => {
            let form = business.to_input();
            let p = edit_page(
                state,
                ctx,
                Some(business),
                form,
                Shown {
                    person: input,
                    person_errors: errors,
                    ..Default::default()
                },
                staff_view,
            )
            .await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}
