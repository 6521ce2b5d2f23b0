//! Staff pages of funding schemes: the list, the editor and the import of
//! a catalogue export.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::imports;
use super::model::{self, AidType, RuleError, SchemeForm, SchemeStatus};
use super::pages::formula_text;
use super::store::{self, Saved};
use crate::db::Db;
use crate::i18n::Tr;
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

#[derive(Template)]
#[template(path = "funding/admin.html")]
struct AdminPage {
    ctx: PageCtx,
    rows: Vec<(i64, String, String, String, String)>,
    report: Option<imports::ReportView>,
    file_error: Option<String>,
}

async fn admin_page(
    db: &Db,
    ctx: PageCtx,
    report: Option<imports::ReportView>,
    file_error: Option<String>,
) -> Result<AdminPage, AppError> {
    let tr = ctx.tr;
    let rows = store::all(db)
        .await?
        .into_iter()
        .map(|s| {
            let status = tr.t(SchemeStatus::parse(&s.status)
                .unwrap_or(SchemeStatus::Draft)
                .label_key());
            (
                s.id,
                s.slug.clone(),
                s.title(tr.0).to_string(),
                status,
                formula_text(tr, &s),
            )
        })
        .collect();
    Ok(AdminPage {
        rows,
        report,
        file_error,
        ctx,
    })
}

/// `GET /admin/aides`
pub async fn admin(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    Ok(page(&admin_page(&db, ctx, None, None).await?))
}

/// `POST /admin/aides/import`: a CSV or JSON export of an aid catalogue;
/// good rows are kept (as drafts unless a status is given), bad rows reported by line.
pub async fn import(
    State(db): State<Db>,
    ctx: PageCtx,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("").to_string();
            if let Ok(b) = field.bytes().await {
                file = Some((name, b.to_vec()));
            }
        }
    }
    let tr = ctx.tr;
    let Some((name, bytes)) = file.filter(|f| !f.1.is_empty()) else {
        let p = admin_page(&db, ctx, None, Some(tr.t("csv-empty"))).await?;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    };
    let by = ctx.user.as_ref().map(|u| u.id);
    match imports::import(&db, &name, &bytes, by)
        .await
        .map_err(AppError::Internal)?
    {
        Err(msg_key) => {
            let p = admin_page(&db, ctx, None, Some(tr.t(msg_key))).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
        Ok(report) => {
            let view = imports::view(tr, &report);
            let status = if report.rejected.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let p = admin_page(&db, ctx, Some(view), None).await?;
            Ok(render(status, &p))
        }
    }
}

#[derive(Template)]
#[template(path = "funding/form.html")]
struct FormPage {
    ctx: PageCtx,
    id: Option<i64>,
    input: SchemeForm,
    errors: Violations,
    rule_errors: Vec<String>,
    stale: bool,
    saved: bool,
    vocab: Vec<(String, String)>,
}

/// Rule errors as shown: "line 2: …".
pub fn rule_error_lines(tr: Tr, errors: &[RuleError]) -> Vec<String> {
    errors
        .iter()
        .map(|e| {
            let msg = if e.codes.is_empty() {
                tr.t(e.key)
            } else {
                tr.ts(e.key, "codes", &e.codes.join(", "))
            };
            format!(
                "{} {}",
                tr.tn("funding-rule-line", "line", e.line as i64),
                msg
            )
        })
        .collect()
}

fn vocab(tr: Tr) -> Vec<(String, String)> {
    let mut out = vec![];
    let mut add = |name: &str, items: Vec<(&'static str, String)>| {
        out.push((
            name.to_string(),
            items
                .iter()
                .map(|(c, l)| format!("{c} ({l})"))
                .collect::<Vec<_>>()
                .join(", "),
        ))
    };
    add(
        &tr.t("funding-field-aid-types"),
        AidType::ALL
            .iter()
            .map(|t| (t.code(), tr.t(t.label_key())))
            .collect(),
    );
    add(
        &tr.t("funding-field-audiences"),
        model::Audience::ALL
            .iter()
            .map(|t| (t.code(), tr.t(t.label_key())))
            .collect(),
    );
    add(
        &tr.t("funding-field-stages"),
        model::Stage::ALL
            .iter()
            .map(|t| (t.code(), tr.t(t.label_key())))
            .collect(),
    );
    add(
        &tr.t("funding-field-recurrence"),
        model::Recurrence::ALL
            .iter()
            .map(|t| (t.code(), tr.t(t.label_key())))
            .collect(),
    );
    out
}

fn form_page(
    ctx: PageCtx,
    id: Option<i64>,
    input: SchemeForm,
    errors: Violations,
    rule_errors: Vec<String>,
    stale: bool,
    saved: bool,
) -> FormPage {
    FormPage {
        vocab: vocab(ctx.tr),
        ctx,
        id,
        input,
        errors,
        rule_errors,
        stale,
        saved,
    }
}

/// Notices after saving.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EditFlags {
    enregistre: Option<String>,
}

/// `GET /admin/aides/nouvelle`
pub async fn new_form(ctx: PageCtx) -> Response {
    let input = SchemeForm {
        status: "draft".into(),
        recurrence: "ongoing".into(),
        perimeter: "FR".into(),
        version: "0".into(),
        ..Default::default()
    };
    page(&form_page(
        ctx,
        None,
        input,
        Violations::default(),
        vec![],
        false,
        false,
    ))
}

/// `GET /admin/aides/{id}`
pub async fn edit_form(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(flags): Query<EditFlags>,
) -> Result<Response, AppError> {
    let s = store::get(&db, id).await?.ok_or(AppError::NotFound)?;
    let input = s.to_form(ctx.tr.0);
    Ok(page(&form_page(
        ctx,
        Some(id),
        input,
        Violations::default(),
        vec![],
        false,
        flags.enregistre.is_some(),
    )))
}

/// `POST /admin/aides/nouvelle`
pub async fn create(
    State(db): State<Db>,
    ctx: PageCtx,
    WebForm(form): WebForm<SchemeForm>,
) -> Result<Response, AppError> {
    save(db, ctx, None, form).await
}

/// `POST /admin/aides/{id}`
pub async fn update(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<SchemeForm>,
) -> Result<Response, AppError> {
    store::get(&db, id).await?.ok_or(AppError::NotFound)?;
    save(db, ctx, Some(id), form).await
}

async fn save(
    db: Db,
    ctx: PageCtx,
    id: Option<i64>,
    form: SchemeForm,
) -> Result<Response, AppError> {
    let (themes, sectors, territories) = form.named();
    let known = crate::guides::store::known(&db, &themes, &sectors, &territories).await?;
    let valid = match form.parse(&known) {
        Ok(v) => v,
        Err((errors, rule_errors)) => {
            let lines = rule_error_lines(ctx.tr, &rule_errors);
            return Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(ctx, id, form, errors, lines, false, false),
            ));
        }
    };
    let by = ctx.user.as_ref().map(|u| u.id);
    let saved = match id {
        None => store::insert(&db, &valid, by, "manual").await?,
        Some(id) => store::update(&db, id, &valid).await?,
    };
    match saved {
        Saved::Created(id) | Saved::Updated(id) => {
            Ok(Redirect::to(&format!("/admin/aides/{id}?enregistre=1")).into_response())
        }
        Saved::SlugTaken => Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_page(
                ctx,
                id,
                form,
                crate::setup::model::slug_taken(),
                vec![],
                false,
                false,
            ),
        )),
        Saved::Stale => Ok(render(
            StatusCode::CONFLICT,
            &form_page(ctx, id, form, Violations::default(), vec![], true, false),
        )),
    }
}
