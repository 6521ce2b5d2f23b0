//! Business pages: an owner's own business, and the register for staff.
//! Thin handlers: read the form, check it through the model, save it
//! through the store, render or redirect.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;

use super::identifiers::Country;
use super::model::{
    Business, BusinessInput, HistoryEntry, Person, PersonInput, SaveError, SIZE_BANDS,
};
use super::store;
use crate::auth::CurrentUser;
use crate::auth::PARTNER_COOKIE;
use crate::reference::{self, TerritoryOption};
use crate::state::AppState;
use crate::web::forms::{Violations, WebForm};
use crate::web::{cookie, page, render, AppError, PageCtx};

/// Choices offered by the business form.
pub struct Choices {
    pub sectors: Vec<(String, String, bool)>,
    pub communes: Vec<TerritoryOption>,
    /// Partners that bring businesses: (slug, name).
    pub partners: Vec<(String, String)>,
}

async fn choices(state: &AppState, ctx: &PageCtx) -> Result<Choices, AppError> {
    let english = ctx.lang() == "en";
    Ok(Choices {
        sectors: reference::sector_divisions(&state.db, english).await?,
        communes: reference::communes(&state.db, english).await?,
        partners: crate::setup::store::bringing_partners(&state.db).await?,
    })
}

/// A duplicate found when saving: its id and name (id 0: unknown).
pub type Duplicate = Option<(i64, String)>;

#[derive(Template)]
#[template(path = "business/edit.html")]
struct EditPage {
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

#[allow(clippy::too_many_arguments)]
async fn edit_page(
    state: &AppState,
    ctx: PageCtx,
    business: Option<Business>,
    input: BusinessInput,
    errors: Violations,
    duplicate: Duplicate,
    conflict: bool,
    saved: bool,
    person: PersonInput,
    person_errors: Violations,
    staff_view: bool,
) -> Result<EditPage, AppError> {
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

fn user_id(user: &CurrentUser) -> Option<i64> {
    user.as_ref().map(|u| u.id)
}

/// Query flag shown after a save.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SavedQuery {
    enregistre: Option<String>,
}

pub(super) async fn mine(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let uid = user_id(&user).ok_or(AppError::Forbidden)?;
    let business = store::for_member(&state.db, uid).await?;
    let input = business
        .as_ref()
        .map(Business::to_input)
        .unwrap_or(BusinessInput {
            country: "FR".into(),
            ..Default::default()
        });
    let p = edit_page(
        &state,
        ctx,
        business,
        input,
        Violations::default(),
        None,
        false,
        q.enregistre.is_some(),
        PersonInput::default(),
        Violations::default(),
        false,
    )
    .await?;
    Ok(page(&p))
}

async fn partner_from_cookie(
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
async fn save(
    state: &AppState,
    ctx: PageCtx,
    existing: Option<Business>,
    input: BusinessInput,
    user: &CurrentUser,
    owner: bool,
    partner_id: Option<i64>,
) -> Result<Result<i64, Response>, AppError> {
    let staff_view = !owner;
    let valid = match store::validate(&state.db, &input).await? {
        Ok(v) => v,
        Err(errors) => {
            let p = edit_page(
                state,
                ctx,
                existing,
                input,
                errors,
                None,
                false,
                false,
                PersonInput::default(),
                Violations::default(),
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
                errors,
                Some((existing_id, existing_name)),
                false,
                false,
                PersonInput::default(),
                Violations::default(),
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
                Violations::default(),
                None,
                true,
                false,
                PersonInput::default(),
                Violations::default(),
                staff_view,
            )
            .await?;
            Ok(Err(render(StatusCode::CONFLICT, &p)))
        }
        Err(SaveError::NotFound) => Err(AppError::NotFound),
        Err(SaveError::Db(e)) => Err(e.into()),
    }
}

pub(super) async fn save_mine(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    headers: axum::http::HeaderMap,
    WebForm(input): WebForm<BusinessInput>,
) -> Result<Response, AppError> {
    let uid = user_id(&user).ok_or(AppError::Forbidden)?;
    let existing = store::for_member(&state.db, uid).await?;
    let partner = partner_from_cookie(&state, &headers).await?;
    Ok(
        match save(&state, ctx, existing, input, &user, true, partner).await? {
            Ok(_) => Redirect::to("/mon-entreprise?enregistre=1").into_response(),
            Err(page) => page,
        },
    )
}

async fn add_person_to(
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
                Violations::default(),
                None,
                false,
                false,
                input,
                errors,
                staff_view,
            )
            .await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

pub(super) async fn add_my_person(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    WebForm(input): WebForm<PersonInput>,
) -> Result<Response, AppError> {
    let uid = user_id(&user).ok_or(AppError::Forbidden)?;
    let business = store::for_member(&state.db, uid)
        .await?
        .ok_or(AppError::NotFound)?;
    add_person_to(
        &state,
        ctx,
        business,
        input,
        false,
        "/mon-entreprise#people".into(),
    )
    .await
}

// ---------------------------------------------------------------- staff

/// Search parameters of the register.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub commune: String,
    pub sector: String,
    pub page: i64,
}

const PAGE_SIZE: i64 = 50;

#[derive(Template)]
#[template(path = "business/list.html")]
struct ListPage {
    ctx: PageCtx,
    query: ListQuery,
    rows: Vec<Business>,
    total: i64,
    page_no: i64,
    pages: i64,
    choices: Choices,
}

impl ListPage {
    fn is(&self, a: &str, b: &str) -> bool {
        a == b
    }
    fn page_url(&self, n: i64) -> String {
        format!(
            "/entreprises?q={}&commune={}&sector={}&page={n}",
            crate::web::ctx::urlencode(&self.query.q),
            crate::web::ctx::urlencode(&self.query.commune),
            crate::web::ctx::urlencode(&self.query.sector)
        )
    }
    fn export_url(&self) -> String {
        format!(
            "/entreprises/export.csv?q={}&commune={}&sector={}",
            crate::web::ctx::urlencode(&self.query.q),
            crate::web::ctx::urlencode(&self.query.commune),
            crate::web::ctx::urlencode(&self.query.sector)
        )
    }
}

pub(super) async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let page_no = query.page.max(1);
    let (rows, total) = store::search(
        &state.db,
        &query.q.chars().take(200).collect::<String>(),
        &query.commune,
        &query.sector,
        PAGE_SIZE,
        (page_no - 1) * PAGE_SIZE,
    )
    .await?;
    let choices = choices(&state, &ctx).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    Ok(page(&ListPage {
        ctx,
        query,
        rows,
        total,
        page_no,
        pages,
        choices,
    }))
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    ctx: PageCtx,
) -> Result<Response, AppError> {
    let input = BusinessInput {
        country: "FR".into(),
        ..Default::default()
    };
    let p = edit_page(
        &state,
        ctx,
        None,
        input,
        Violations::default(),
        None,
        false,
        false,
        PersonInput::default(),
        Violations::default(),
        true,
    )
    .await?;
    Ok(page(&p))
}

pub(super) async fn create_staff(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    WebForm(input): WebForm<BusinessInput>,
) -> Result<Response, AppError> {
    Ok(
        match save(&state, ctx, None, input, &user, false, None).await? {
            Ok(id) => Redirect::to(&format!("/entreprises/{id}?enregistre=1")).into_response(),
            Err(page) => page,
        },
    )
}

pub(super) async fn detail(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let business = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let input = business.to_input();
    let p = edit_page(
        &state,
        ctx,
        Some(business),
        input,
        Violations::default(),
        None,
        false,
        q.enregistre.is_some(),
        PersonInput::default(),
        Violations::default(),
        true,
    )
    .await?;
    Ok(page(&p))
}

pub(super) async fn update_staff(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<i64>,
    WebForm(input): WebForm<BusinessInput>,
) -> Result<Response, AppError> {
    let existing = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    Ok(
        match save(&state, ctx, Some(existing), input, &user, false, None).await? {
            Ok(id) => Redirect::to(&format!("/entreprises/{id}?enregistre=1")).into_response(),
            Err(page) => page,
        },
    )
}

pub(super) async fn add_staff_person(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(input): WebForm<PersonInput>,
) -> Result<Response, AppError> {
    let business = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    add_person_to(
        &state,
        ctx,
        business,
        input,
        true,
        format!("/entreprises/{id}#people"),
    )
    .await
}

/// Columns of the CSV export and import.
pub const CSV_COLUMNS: [&str; 9] = [
    "name",
    "country",
    "legal_id",
    "sector_code",
    "size_band",
    "commune_code",
    "address",
    "website",
    "id",
];

pub(super) async fn export_csv(
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let (rows, _) = store::search(
        &state.db,
        &query.q,
        &query.commune,
        &query.sector,
        100_000,
        0,
    )
    .await?;
    let mut out = String::from("\u{FEFF}");
    out.push_str(&CSV_COLUMNS.join(";"));
    out.push_str("\r\n");
    for b in rows {
        let cells = [
            b.name.clone(),
            b.country.clone(),
            b.legal_id.clone(),
            b.sector_code.clone().unwrap_or_default(),
            b.size_band.clone(),
            b.commune_code.clone().unwrap_or_default(),
            b.address.clone(),
            b.website.clone(),
            b.partner.clone().unwrap_or_default(),
            b.id.to_string(),
        ];
        let line: Vec<String> = cells.iter().map(|c| crate::csvio::cell(c)).collect();
        out.push_str(&line.join(";"));
        out.push_str("\r\n");
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"entreprises.csv\"",
            ),
        ],
        out,
    )
        .into_response())
}

/// One rejected line of an import.
pub struct RejectedRow {
    pub line: usize,
    pub name: String,
    pub reasons: Vec<String>,
}

#[derive(Template)]
#[template(path = "business/import.html")]
struct ImportPage {
    ctx: PageCtx,
    file_error: Option<String>,
    imported: Option<i64>,
    rejected: Vec<RejectedRow>,
}

pub(super) async fn import_form(ctx: PageCtx) -> Response {
    page(&ImportPage {
        ctx,
        file_error: None,
        imported: None,
        rejected: vec![],
    })
}

/// Import businesses from CSV: good rows are stored, each bad row is
/// reported with its reasons; nothing half-written.
pub(super) async fn import(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let mut bytes = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            bytes = field.bytes().await.ok();
        }
    }
    let tr = ctx.tr;
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ImportPage {
                ctx,
                file_error: Some(tr.t("csv-empty")),
                imported: None,
                rejected: vec![],
            },
        ));
    };
    let table = match crate::csvio::parse(&bytes, &["name", "country", "legal_id", "size_band"]) {
        Ok(t) => t,
        Err(e) => {
            let msg = match &e {
                crate::csvio::FileError::MissingColumns(cols) => {
                    tr.ts(e.key(), "columns", &cols.join(", "))
                }
                crate::csvio::FileError::Malformed(line) => tr.tn(e.key(), "line", *line as i64),
                crate::csvio::FileError::Empty => tr.t(e.key()),
            };
            return Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ImportPage {
                    ctx,
                    file_error: Some(msg),
                    imported: None,
                    rejected: vec![],
                },
            ));
        }
    };
    let idx = table.index();
    let programme = state.programme().await?;
    let mut imported: i64 = 0;
    let mut rejected = vec![];
    for (line, row) in &table.rows {
        let f = |n: &str| crate::csvio::field(row, &idx, n).to_string();
        let input = BusinessInput {
            name: f("name"),
            country: f("country").to_uppercase(),
            legal_id: f("legal_id"),
            sector_code: f("sector_code"),
            size_band: f("size_band"),
            commune_code: f("commune_code"),
            address: f("address"),
            website: f("website"),
            partner: idx.contains_key("partner").then(|| f("partner")),
            version: 0,
        };
        let reasons = match store::validate(&state.db, &input).await? {
            Err(v) => v
                .summary(tr)
                .into_iter()
                .map(|(field, msg)| format!("{field} : {msg}"))
                .collect(),
            Ok(valid) => {
                match store::create(&state.db, programme.id, &valid, user_id(&user), None, None)
                    .await
                {
                    Ok(_) => {
                        imported += 1;
                        continue;
                    }
                    Err(SaveError::Duplicate { existing_name, .. }) => {
                        vec![tr.ts("business-duplicate-named", "name", &existing_name)]
                    }
                    Err(SaveError::Db(e)) => return Err(e.into()),
                    Err(_) => vec![tr.t("error-internal-title")],
                }
            }
        };
        rejected.push(RejectedRow {
            line: *line,
            name: input.name,
            reasons,
        });
    }
    Ok(page(&ImportPage {
        ctx,
        file_error: None,
        imported: Some(imported),
        rejected,
    }))
}
