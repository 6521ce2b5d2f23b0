//! Case templates, edited by the programme manager: titles, length and the
//! planned steps (offset in days, kind, titles, minutes).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model;
use super::store;
use crate::db::{now_ms, Db};
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

/// A template in the list, with its steps as text.
pub struct Row {
    pub t: store::Template,
    pub steps: Vec<String>,
}

#[derive(Template)]
#[template(path = "cases/templates.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<Row>,
}

/// `GET /admin/modeles-accompagnement`
pub async fn list(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let mut rows = vec![];
    for t in store::templates(&db).await? {
        let steps = store::steps(&db, t.id)
            .await?
            .into_iter()
            .map(|s| {
                ctx.tr.args(
                    "case-template-step",
                    &[
                        ("offset", &s.offset_days.to_string()),
                        ("kind", &ctx.tr.t(s.kind.label_key())),
                        (
                            "title",
                            match ctx.tr.0 {
                                crate::i18n::Locale::Fr => &s.title_fr,
                                crate::i18n::Locale::En => &s.title_en,
                            },
                        ),
                    ],
                )
            })
            .collect();
        rows.push(Row { t, steps });
    }
    Ok(page(&ListPage { ctx, rows }))
}

/// A template as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct TemplateForm {
    pub title_fr: String,
    pub title_en: String,
    pub minutes: String,
    pub steps: String,
}

#[derive(Template)]
#[template(path = "cases/template_form.html")]
struct EditPage {
    ctx: PageCtx,
    id: i64,
    code: String,
    input: TemplateForm,
    errors: Violations,
}

/// `GET /admin/modeles-accompagnement/{id}`
pub async fn edit(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let t = store::template(&db, id).await?.ok_or(AppError::NotFound)?;
    let steps = store::steps(&db, id).await?;
    Ok(page(&EditPage {
        ctx,
        id,
        code: t.code,
        input: TemplateForm {
            title_fr: t.title_fr,
            title_en: t.title_en,
            minutes: t.minutes.to_string(),
            steps: model::steps_text(&steps),
        },
        errors: Violations::default(),
    }))
}

/// `POST /admin/modeles-accompagnement/{id}`: files opened later follow the
/// new steps; files already open keep their planned activities.
pub async fn save(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<TemplateForm>,
) -> Result<Response, AppError> {
    let t = store::template(&db, id).await?.ok_or(AppError::NotFound)?;
    let mut errors = Violations::default();
    let title_fr = errors.text("title_fr", &form.title_fr, 2, 120);
    let title_en = errors.text("title_en", &form.title_en, 2, 120);
    let minutes = match form.minutes.trim().parse::<i64>() {
        Ok(m) if (0..=1440).contains(&m) => m,
        _ => {
            errors.add("minutes", "case-bad-minutes", Some(1440));
            0
        }
    };
    let steps = match model::parse_steps(&form.steps) {
        Ok(s) => s,
        Err(v) => {
            errors.0.extend(v.0);
            vec![]
        }
    };
    if !errors.is_empty() {
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &EditPage {
                ctx,
                id,
                code: t.code,
                input: form,
                errors,
            },
        ));
    }
    let mut tx = db.begin_write().await?;
    store::save_template(&mut tx, id, &title_fr, &title_en, minutes, &steps, now_ms()).await?;
    tx.commit().await?;
    Ok(Redirect::to("/admin/modeles-accompagnement").into_response())
}
