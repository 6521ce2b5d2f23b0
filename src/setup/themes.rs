//! `/admin/thematiques`: the catalogue of themes, by group.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{slug_taken, Theme, ThemeForm, ValidTheme};
use super::store;
use crate::db::{is_unique_violation, Db};
use crate::reference::THEME_GROUPS;
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

/// One group of themes on the list.
pub struct Group {
    pub code: &'static str,
    pub label: String,
    pub themes: Vec<Theme>,
}

#[derive(Template)]
#[template(path = "setup/themes.html")]
struct ThemesPage {
    ctx: PageCtx,
    groups: Vec<Group>,
    input: ThemeForm,
    errors: Violations,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "setup/theme.html")]
struct ThemePage {
    ctx: PageCtx,
    theme: Theme,
    input: ThemeForm,
    errors: Violations,
    notice: Option<String>,
}

/// Group choices of the theme forms, labelled.
fn group_options(ctx: &PageCtx) -> Vec<(&'static str, String)> {
    THEME_GROUPS
        .iter()
        .map(|g| (*g, ctx.tr.code("setup-group-", g)))
        .collect()
}

impl ThemesPage {
    fn group_options(&self) -> Vec<(&'static str, String)> {
        group_options(&self.ctx)
    }
}

impl ThemePage {
    fn group_options(&self) -> Vec<(&'static str, String)> {
        group_options(&self.ctx)
    }
}

async fn list_page(
    db: &Db,
    ctx: PageCtx,
    input: ThemeForm,
    errors: Violations,
    notice: Option<String>,
) -> Result<ThemesPage, AppError> {
    let mut themes = store::themes(db, ctx.tr.0).await?;
    let groups = THEME_GROUPS
        .iter()
        .map(|g| {
            let (mine, rest): (Vec<Theme>, Vec<Theme>) = std::mem::take(&mut themes)
                .into_iter()
                .partition(|t| t.group == *g);
            themes = rest;
            Group {
                code: g,
                label: ctx.tr.code("setup-group-", g),
                themes: mine,
            }
        })
        .collect();
    Ok(ThemesPage {
        ctx,
        groups,
        input,
        errors,
        notice,
    })
}

/// Check a submission against the model and the slugs already taken;
/// `except` is the theme being edited (its own slug is not a duplicate).
async fn check(
    db: &Db,
    form: &ThemeForm,
    except: Option<i64>,
) -> Result<Result<ValidTheme, Violations>, AppError> {
    let taken = store::theme_slug_taken(db, &form.wanted_slug(), except).await?;
    Ok(form.parse(taken))
}

/// Query flags shown after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Flags {
    ajoute: Option<i64>,
    enregistre: Option<String>,
    archive: Option<String>,
    restaure: Option<String>,
}

/// `GET /admin/thematiques`
pub async fn list(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(q): Query<Flags>,
) -> Result<Response, AppError> {
    let notice = match q.ajoute {
        Some(id) => store::theme(&db, id)
            .await?
            .map(|t| ctx.tr.ts("setup-theme-added", "name", t.title(ctx.tr.0))),
        None => None,
    };
    let p = list_page(
        &db,
        ctx,
        ThemeForm::default(),
        Violations::default(),
        notice,
    )
    .await?;
    Ok(page(&p))
}

/// `POST /admin/thematiques`: add a theme.
pub async fn create(
    State(db): State<Db>,
    ctx: PageCtx,
    WebForm(form): WebForm<ThemeForm>,
) -> Result<Response, AppError> {
    let errors = match check(&db, &form, None).await? {
        Ok(valid) => match store::insert_theme(&db, &valid).await {
            Ok(id) => {
                return Ok(
                    Redirect::to(&format!("/admin/thematiques?ajoute={id}#theme-{id}"))
                        .into_response(),
                )
            }
            Err(e) if is_unique_violation(&e) => slug_taken(),
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    let p = list_page(&db, ctx, form, errors, None).await?;
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
}

/// `GET /admin/thematiques/{id}`
pub async fn edit(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(q): Query<Flags>,
) -> Result<Response, AppError> {
    let theme = store::theme(&db, id).await?.ok_or(AppError::NotFound)?;
    let notice = if q.enregistre.is_some() {
        Some(ctx.tr.t("setup-theme-saved"))
    } else if q.archive.is_some() {
        Some(ctx.tr.t("setup-theme-archived"))
    } else if q.restaure.is_some() {
        Some(ctx.tr.t("setup-theme-restored"))
    } else {
        None
    };
    let input = theme.to_form();
    Ok(page(&ThemePage {
        ctx,
        theme,
        input,
        errors: Violations::default(),
        notice,
    }))
}

/// `POST /admin/thematiques/{id}`: save, archive or restore.
pub async fn update(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<ThemeForm>,
) -> Result<Response, AppError> {
    let theme = store::theme(&db, id).await?.ok_or(AppError::NotFound)?;
    let archive = match form.action.as_str() {
        "archive" => Some((true, "archive")),
        "restore" => Some((false, "restaure")),
        "save" | "" => None,
        _ => return Err(AppError::BadRequest),
    };
    if let Some((archived, said)) = archive {
        store::set_theme_archived(&db, id, archived).await?;
        return Ok(Redirect::to(&format!("/admin/thematiques/{id}?{said}=1")).into_response());
    }
    let errors = match check(&db, &form, Some(id)).await? {
        Ok(valid) => match store::update_theme(&db, id, &valid).await {
            Ok(()) => {
                return Ok(
                    Redirect::to(&format!("/admin/thematiques/{id}?enregistre=1")).into_response(),
                )
            }
            Err(e) if is_unique_violation(&e) => slug_taken(),
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    Ok(render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &ThemePage {
            ctx,
            theme,
            input: form,
            errors,
            notice: None,
        },
    ))
}
