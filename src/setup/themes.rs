//! `/admin/thematiques`: the catalogue of themes, by group.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sqlx::Row;

use super::{normalise_tags, slugify, valid_slug};
use crate::db::{is_unique_violation, now_ms};
use crate::reference::THEME_GROUPS;
use crate::state::AppState;
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

/// What the theme forms send.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ThemeForm {
    pub action: String,
    pub slug: String,
    pub theme_group: String,
    pub title_fr: String,
    pub title_en: String,
    pub description_fr: String,
    pub description_en: String,
    pub tags: String,
}

/// A stored theme.
pub struct Theme {
    pub id: i64,
    pub slug: String,
    pub group: String,
    pub title_fr: String,
    pub title_en: String,
    pub description_fr: String,
    pub description_en: String,
    pub tags: String,
    pub archived: bool,
}

impl Theme {
    fn from_row(r: &sqlx::any::AnyRow) -> Theme {
        Theme {
            id: r.get("id"),
            slug: r.get("slug"),
            group: r.get("theme_group"),
            title_fr: r.get("title_fr"),
            title_en: r.get("title_en"),
            description_fr: r.get("description_fr"),
            description_en: r.get("description_en"),
            tags: r.get("tags"),
            archived: r.get::<i64, _>("archived") == 1,
        }
    }

    /// Title in the interface language.
    pub fn title(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.title_en
        } else {
            &self.title_fr
        }
    }

    fn to_form(&self) -> ThemeForm {
        ThemeForm {
            action: "save".into(),
            slug: self.slug.clone(),
            theme_group: self.group.clone(),
            title_fr: self.title_fr.clone(),
            title_en: self.title_en.clone(),
            description_fr: self.description_fr.clone(),
            description_en: self.description_en.clone(),
            tags: self.tags.clone(),
        }
    }
}

const COLUMNS: &str =
    "id, slug, theme_group, title_fr, title_en, description_fr, description_en, tags, archived";

async fn get_theme(state: &AppState, id: i64) -> Result<Option<Theme>, AppError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM themes WHERE id = $1"))
        .bind(id)
        .fetch_optional(&state.db.pool)
        .await?;
    Ok(row.as_ref().map(Theme::from_row))
}

/// A theme that passed validation.
struct Valid {
    slug: String,
    group: String,
    title_fr: String,
    title_en: String,
    description_fr: String,
    description_en: String,
    tags: String,
}

/// Check a submission; `except` is the theme being edited (its own slug is
/// not a duplicate).
async fn validate(
    state: &AppState,
    f: &ThemeForm,
    except: Option<i64>,
) -> Result<Result<Valid, Violations>, AppError> {
    let mut v = Violations::default();
    let title_fr = v.text("title_fr", &f.title_fr, 2, 160);
    let title_en = v.text("title_en", &f.title_en, 0, 160);
    let typed = f.slug.trim().to_lowercase();
    let slug = if typed.is_empty() {
        slugify(&title_fr)
    } else {
        typed
    };
    if !title_fr.is_empty() || !f.slug.trim().is_empty() {
        if !valid_slug(&slug) {
            v.add("slug", "setup-slug-invalid", None);
        } else if slug_taken(state, &slug, except).await? {
            v.add("slug", "setup-slug-taken", None);
        }
    }
    let group = f.theme_group.trim().to_string();
    if !THEME_GROUPS.contains(&group.as_str()) {
        v.add("theme_group", "form-choose", None);
    }
    let description_fr = v.text("description_fr", &f.description_fr, 0, 2000);
    let description_en = v.text("description_en", &f.description_en, 0, 2000);
    let tags = normalise_tags(&f.tags);
    if tags.chars().count() > 500 {
        v.add("tags", "form-too-long", Some(500));
    }
    if !v.is_empty() {
        return Ok(Err(v));
    }
    // English falls back to French so that no theme shows up blank.
    Ok(Ok(Valid {
        slug,
        group,
        title_en: if title_en.is_empty() {
            title_fr.clone()
        } else {
            title_en
        },
        title_fr,
        description_en: if description_en.is_empty() {
            description_fr.clone()
        } else {
            description_en
        },
        description_fr,
        tags,
    }))
}

async fn slug_taken(state: &AppState, slug: &str, except: Option<i64>) -> Result<bool, AppError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM themes WHERE slug = $1 AND id <> $2")
        .bind(slug)
        .bind(except.unwrap_or(0))
        .fetch_one(&state.db.pool)
        .await?;
    Ok(n > 0)
}

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
    state: &AppState,
    ctx: PageCtx,
    input: ThemeForm,
    errors: Violations,
    notice: Option<String>,
) -> Result<ThemesPage, AppError> {
    let order = if ctx.lang() == "en" {
        "title_en"
    } else {
        "title_fr"
    };
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM themes ORDER BY archived, {order}"
    ))
    .fetch_all(&state.db.pool)
    .await?;
    let mut themes: Vec<Theme> = rows.iter().map(Theme::from_row).collect();
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
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<Flags>,
) -> Result<Response, AppError> {
    let notice = match q.ajoute {
        Some(id) => get_theme(&state, id)
            .await?
            .map(|t| ctx.tr.ts("setup-theme-added", "name", t.title(ctx.lang()))),
        None => None,
    };
    let input = ThemeForm {
        theme_group: String::new(),
        ..Default::default()
    };
    let p = list_page(&state, ctx, input, Violations::default(), notice).await?;
    Ok(page(&p))
}

/// `POST /admin/thematiques`: add a theme.
pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    WebForm(form): WebForm<ThemeForm>,
) -> Result<Response, AppError> {
    let valid = match validate(&state, &form, None).await? {
        Ok(v) => v,
        Err(errors) => {
            let p = list_page(&state, ctx, form, errors, None).await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    let now = now_ms();
    let inserted = sqlx::query(
        "INSERT INTO themes (slug, theme_group, title_fr, title_en, description_fr, description_en, tags, archived, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $8)",
    )
    .bind(&valid.slug)
    .bind(&valid.group)
    .bind(&valid.title_fr)
    .bind(&valid.title_en)
    .bind(&valid.description_fr)
    .bind(&valid.description_en)
    .bind(&valid.tags)
    .bind(now)
    .execute(&state.db.pool)
    .await;
    match inserted {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => {
            // Someone took the slug between the check and the insert.
            let mut errors = Violations::default();
            errors.add("slug", "setup-slug-taken", None);
            let p = list_page(&state, ctx, form, errors, None).await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
        Err(e) => return Err(e.into()),
    }
    let id: i64 = sqlx::query_scalar("SELECT id FROM themes WHERE slug = $1")
        .bind(&valid.slug)
        .fetch_one(&state.db.pool)
        .await?;
    Ok(Redirect::to(&format!("/admin/thematiques?ajoute={id}#theme-{id}")).into_response())
}

/// `GET /admin/thematiques/{id}`
pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(q): Query<Flags>,
) -> Result<Response, AppError> {
    let theme = get_theme(&state, id).await?.ok_or(AppError::NotFound)?;
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
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<ThemeForm>,
) -> Result<Response, AppError> {
    let theme = get_theme(&state, id).await?.ok_or(AppError::NotFound)?;
    let archive = match form.action.as_str() {
        "archive" => Some((1, "archive")),
        "restore" => Some((0, "restaure")),
        "save" | "" => None,
        _ => return Err(AppError::BadRequest),
    };
    if let Some((flag, said)) = archive {
        sqlx::query("UPDATE themes SET archived = $1, updated_at = $2 WHERE id = $3")
            .bind(flag)
            .bind(now_ms())
            .bind(id)
            .execute(&state.db.pool)
            .await?;
        return Ok(Redirect::to(&format!("/admin/thematiques/{id}?{said}=1")).into_response());
    }
    let invalid = |errors: Violations, theme: Theme, ctx: PageCtx, form: ThemeForm| {
        render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ThemePage {
                ctx,
                theme,
                input: form,
                errors,
                notice: None,
            },
        )
    };
    let valid = match validate(&state, &form, Some(id)).await? {
        Ok(v) => v,
        Err(errors) => return Ok(invalid(errors, theme, ctx, form)),
    };
    let updated = sqlx::query(
        "UPDATE themes SET slug = $1, theme_group = $2, title_fr = $3, title_en = $4, description_fr = $5, \
         description_en = $6, tags = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(&valid.slug)
    .bind(&valid.group)
    .bind(&valid.title_fr)
    .bind(&valid.title_en)
    .bind(&valid.description_fr)
    .bind(&valid.description_en)
    .bind(&valid.tags)
    .bind(now_ms())
    .bind(id)
    .execute(&state.db.pool)
    .await;
    match updated {
        Ok(_) => Ok(Redirect::to(&format!("/admin/thematiques/{id}?enregistre=1")).into_response()),
        Err(e) if is_unique_violation(&e) => {
            let mut errors = Violations::default();
            errors.add("slug", "setup-slug-taken", None);
            Ok(invalid(errors, theme, ctx, form))
        }
        Err(e) => Err(e.into()),
    }
}
