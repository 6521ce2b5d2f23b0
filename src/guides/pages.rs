//! Pages of practical guides: the public list and a guide with "was this
//! useful?", the staff list with counts per theme, the editor with its
//! history, and the import of Markdown files.

// The select macro of needs/parts.html compares codes with the submitted text.
#![allow(clippy::cmp_owned)]

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;

use super::files::{self, Problem};
use super::markdown;
use super::model::{self, unpack, GuideForm, GuideStatus, Level, ValidGuide};
use super::store::{self, Filter, GuideRow, Saved};
use crate::auth::CurrentUser;
use crate::db::Db;
use crate::i18n::{Locale, Tr};
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

/// Theme slugs and titles in `locale`, for filters and labels.
pub async fn theme_choices(db: &Db, locale: Locale) -> Result<Vec<(String, String)>, AppError> {
    Ok(crate::setup::store::themes(db, locale)
        .await?
        .into_iter()
        .filter(|t| !t.archived)
        .map(|t| (t.slug.clone(), t.title(locale).to_string()))
        .collect())
}

/// A guide as a card in a list.
pub struct Card {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub minutes: i64,
    pub level: String,
    pub themes: Vec<String>,
}

impl Card {
    /// The card of `g` in `tr`'s language.
    pub fn new(tr: Tr, g: &GuideRow, titles: &HashMap<String, String>) -> Card {
        let en = tr.0 == Locale::En;
        Card {
            slug: g.slug.clone(),
            title: if en { &g.title_en } else { &g.title_fr }.clone(),
            summary: if en { &g.summary_en } else { &g.summary_fr }.clone(),
            minutes: markdown::reading_minutes(if en { &g.body_en } else { &g.body_fr }),
            level: tr.t(Level::parse(&g.level)
                .unwrap_or(Level::Beginner)
                .label_key()),
            themes: unpack(&g.themes)
                .iter()
                .map(|t| titles.get(t).cloned().unwrap_or_else(|| t.clone()))
                .collect(),
        }
    }
}

// ---------------------------------------------------------------- public

/// Filters of the public list.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    theme: String,
    sector: String,
    territory: String,
    q: String,
}

#[derive(Template)]
#[template(path = "guides/list.html")]
struct ListPage {
    ctx: PageCtx,
    cards: Vec<Card>,
    q: ListQuery,
    themes: Vec<(String, String)>,
    sectors: Vec<(String, String)>,
    territories: Vec<(String, String)>,
    staff: bool,
}

/// `GET /fiches`: published guides, filtered by theme, sector, territory and words.
pub async fn list(
    State(db): State<Db>,
    State(snaps): State<std::sync::Arc<crate::directory::index::Snapshots>>,
    ctx: PageCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let locale = ctx.tr.0;
    let territories = crate::directory::plan::places(&db, &snaps, &q.territory).await?;
    let words: Vec<String> = crate::text::fold(&q.q)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let rows = store::published(
        &db,
        &Filter {
            theme: q.theme.trim(),
            sector: q.sector.trim(),
            territories,
            words,
        },
    )
    .await?;
    let themes = theme_choices(&db, locale).await?;
    let titles: HashMap<String, String> = themes.iter().cloned().collect();
    let cards = rows.iter().map(|g| Card::new(ctx.tr, g, &titles)).collect();
    let sectors = crate::reference::sector_divisions(&db, locale == Locale::En)
        .await?
        .into_iter()
        .map(|(c, l, _)| (c, l))
        .collect();
    let territories = store::covered_territories(&db, locale).await?;
    let staff = ctx.user.as_ref().is_some_and(|u| u.is_staff());
    Ok(page(&ListPage {
        ctx,
        cards,
        q,
        themes,
        sectors,
        territories,
        staff,
    }))
}

#[derive(Template)]
#[template(path = "guides/show.html")]
struct ShowPage {
    ctx: PageCtx,
    g: Card,
    body: String,
    draft: bool,
    thanks: bool,
    edit_id: Option<i64>,
}

/// Notices after a vote.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowFlags {
    merci: Option<String>,
}

/// `GET /fiches/{slug}`: a published guide (staff also see drafts); a read is counted.
pub async fn show(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(slug): Path<String>,
    Query(flags): Query<ShowFlags>,
) -> Result<Response, AppError> {
    let staff = ctx.user.as_ref().is_some_and(|u| u.is_staff());
    let g = store::by_slug(&db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if !g.is_published() && !staff {
        return Err(AppError::NotFound);
    }
    if g.is_published() && flags.merci.is_none() {
        store::count_read(&db, g.id).await?;
    }
    let titles: HashMap<String, String> = theme_choices(&db, ctx.tr.0).await?.into_iter().collect();
    let body = markdown::to_html(if ctx.tr.0 == Locale::En {
        &g.body_en
    } else {
        &g.body_fr
    });
    Ok(page(&ShowPage {
        g: Card::new(ctx.tr, &g, &titles),
        body,
        draft: !g.is_published(),
        thanks: flags.merci.is_some(),
        edit_id: staff.then_some(g.id),
        ctx,
    }))
}

/// The vote form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct VoteForm {
    useful: String,
}

/// `POST /fiches/{slug}/utile`: count a "was this useful?" answer.
pub async fn vote(
    State(db): State<Db>,
    Path(slug): Path<String>,
    WebForm(form): WebForm<VoteForm>,
) -> Result<Response, AppError> {
    let useful = model::parse_vote(&form.useful).ok_or(AppError::BadRequest)?;
    let g = store::by_slug(&db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if !g.is_published() {
        return Err(AppError::NotFound);
    }
    store::vote(&db, g.id, useful).await?;
    Ok(Redirect::to(&format!("/fiches/{slug}?merci=1#utile")).into_response())
}

// ---------------------------------------------------------------- staff

/// Reads and answers of one theme's published guides.
pub struct ThemeStats {
    pub title: String,
    pub guides: i64,
    pub reads: i64,
    pub yes: i64,
    pub no: i64,
}

/// Per theme (in title order): guides, reads and "useful" answers.
pub fn stats_per_theme(rows: &[GuideRow], titles: &HashMap<String, String>) -> Vec<ThemeStats> {
    let mut by: BTreeMap<String, ThemeStats> = BTreeMap::new();
    for g in rows.iter().filter(|g| g.is_published()) {
        for t in unpack(&g.themes) {
            let title = titles.get(&t).cloned().unwrap_or(t);
            let s = by.entry(title.clone()).or_insert(ThemeStats {
                title,
                guides: 0,
                reads: 0,
                yes: 0,
                no: 0,
            });
            s.guides += 1;
            s.reads += g.reads;
            s.yes += g.useful_yes;
            s.no += g.useful_no;
        }
    }
    by.into_values().collect()
}

/// A line of the staff list.
pub struct AdminLine {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub status: String,
    pub published: bool,
    pub version: i64,
    pub reads: i64,
    pub yes: i64,
    pub no: i64,
}

#[derive(Template)]
#[template(path = "guides/admin.html")]
struct AdminPage {
    ctx: PageCtx,
    lines: Vec<AdminLine>,
    stats: Vec<ThemeStats>,
    report: Option<ImportView>,
    file_error: Option<String>,
}

/// What an import did, as shown.
pub struct ImportView {
    pub summary: String,
    pub rejected: Vec<(String, Vec<String>)>,
}

async fn admin_page(
    db: &Db,
    ctx: PageCtx,
    report: Option<ImportView>,
    file_error: Option<String>,
) -> Result<AdminPage, AppError> {
    let rows = store::all(db).await?;
    let titles: HashMap<String, String> = theme_choices(db, ctx.tr.0).await?.into_iter().collect();
    let en = ctx.tr.0 == Locale::En;
    let lines = rows
        .iter()
        .map(|g| AdminLine {
            id: g.id,
            slug: g.slug.clone(),
            title: if en { &g.title_en } else { &g.title_fr }.clone(),
            status: ctx.tr.t(GuideStatus::parse(&g.status)
                .unwrap_or(GuideStatus::Draft)
                .label_key()),
            published: g.is_published(),
            version: g.version,
            reads: g.reads,
            yes: g.useful_yes,
            no: g.useful_no,
        })
        .collect();
    Ok(AdminPage {
        stats: stats_per_theme(&rows, &titles),
        lines,
        report,
        file_error,
        ctx,
    })
}

/// `GET /admin/fiches`
pub async fn admin(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    Ok(page(&admin_page(&db, ctx, None, None).await?))
}

/// Localised lines of an import problem.
fn problem_lines(tr: Tr, p: &Problem) -> Vec<String> {
    use super::model::FileError;
    match p {
        Problem::File(FileError::NoFrontMatter) => vec![tr.t("guides-file-no-front-matter")],
        Problem::File(FileError::BadLine(n)) => {
            vec![tr.tn("guides-file-bad-line", "line", *n as i64)]
        }
        Problem::File(FileError::NoEnglish) => vec![tr.t("guides-file-no-english")],
        Problem::Fields(v) => v
            .summary(tr)
            .into_iter()
            .map(|(f, m)| format!("{f} : {m}"))
            .collect(),
        Problem::SlugTaken => vec![tr.t("setup-slug-taken")],
    }
}

/// `POST /admin/fiches/import`: Markdown files with front matter; good files
/// are stored (a known slug gets a new version), bad ones reported by name.
pub async fn import(
    State(db): State<Db>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let mut uploaded = vec![];
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() != Some("files") {
            continue;
        }
        let name = field.file_name().unwrap_or("guide.md").to_string();
        if let Ok(bytes) = field.bytes().await {
            if !bytes.is_empty() {
                let (text, _) = crate::csvio::decode(&bytes);
                uploaded.push((name, text));
            }
        }
    }
    if uploaded.is_empty() {
        let msg = ctx.tr.t("guides-import-empty");
        let p = admin_page(&db, ctx, None, Some(msg)).await?;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    }
    let by = user.as_ref().map(|u| u.id);
    let report = files::import(&db, &uploaded, by)
        .await
        .map_err(AppError::Internal)?;
    let view = ImportView {
        summary: ctx.tr.args(
            "guides-import-done",
            &[
                ("created", &report.created.to_string()),
                ("updated", &report.updated.to_string()),
            ],
        ),
        rejected: report
            .rejected
            .iter()
            .map(|(n, p)| (n.clone(), problem_lines(ctx.tr, p)))
            .collect(),
    };
    let status = if view.rejected.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let p = admin_page(&db, ctx, Some(view), None).await?;
    Ok(render(status, &p))
}

/// `GET /admin/fiches/{id}/export.md`: one guide as a file the import reads back.
pub async fn export_one(State(db): State<Db>, Path(id): Path<i64>) -> Result<Response, AppError> {
    let g = store::get(&db, id).await?.ok_or(AppError::NotFound)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/markdown; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}.md\"", g.slug),
            ),
        ],
        model::to_file(&g.to_valid()),
    )
        .into_response())
}

// ---------------------------------------------------------------- editor

#[derive(Template)]
#[template(path = "guides/form.html")]
struct FormPage {
    ctx: PageCtx,
    id: Option<i64>,
    input: GuideForm,
    errors: Violations,
    unknown: Vec<String>,
    stale: bool,
    statuses: Vec<(&'static str, String)>,
    levels: Vec<(&'static str, String)>,
    themes: Vec<(String, String)>,
    history: Vec<HistoryLine>,
    saved: bool,
}

/// A line of a guide's history as shown.
pub struct HistoryLine {
    pub version: i64,
    pub when: String,
    pub who: String,
    pub status: String,
    pub fields: String,
}

fn form_of(g: &ValidGuide) -> GuideForm {
    GuideForm {
        slug: g.slug.clone(),
        status: g.status.code().into(),
        level: g.level.code().into(),
        title_fr: g.title_fr.clone(),
        title_en: g.title_en.clone(),
        summary_fr: g.summary_fr.clone(),
        summary_en: g.summary_en.clone(),
        body_fr: g.body_fr.clone(),
        body_en: g.body_en.clone(),
        themes: g.themes.join(", "),
        sectors: g.sectors.join(", "),
        sizes: g.sizes.join(", "),
        territories: g.territories.join(", "),
        version: g.version.to_string(),
    }
}

struct FormState {
    id: Option<i64>,
    input: GuideForm,
    errors: Violations,
    unknown: Vec<String>,
    stale: bool,
    saved: bool,
}

async fn form_page(db: &Db, ctx: PageCtx, s: FormState) -> Result<FormPage, AppError> {
    let tr = ctx.tr;
    let history = match s.id {
        Some(id) => store::history(db, id)
            .await?
            .into_iter()
            .map(|h| HistoryLine {
                version: h.version,
                when: ctx.datetime(h.changed_at),
                who: h.changed_by.unwrap_or_else(|| "—".into()),
                status: tr.t(GuideStatus::parse(&h.status)
                    .unwrap_or(GuideStatus::Draft)
                    .label_key()),
                fields: h.fields.replace(',', ", "),
            })
            .collect(),
        None => vec![],
    };
    Ok(FormPage {
        statuses: GuideStatus::ALL
            .iter()
            .map(|s| (s.code(), tr.t(s.label_key())))
            .collect(),
        levels: Level::ALL
            .iter()
            .map(|s| (s.code(), tr.t(s.label_key())))
            .collect(),
        themes: theme_choices(db, tr.0).await?,
        history,
        id: s.id,
        input: s.input,
        errors: s.errors,
        unknown: s.unknown,
        stale: s.stale,
        saved: s.saved,
        ctx,
    })
}

/// Notices after saving.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EditFlags {
    enregistre: Option<String>,
}

/// `GET /admin/fiches/nouvelle`
pub async fn new_form(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let input = GuideForm {
        status: "draft".into(),
        level: "beginner".into(),
        version: "0".into(),
        ..Default::default()
    };
    let s = FormState {
        id: None,
        input,
        errors: Violations::default(),
        unknown: vec![],
        stale: false,
        saved: false,
    };
    Ok(page(&form_page(&db, ctx, s).await?))
}

/// `GET /admin/fiches/{id}`
pub async fn edit_form(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(flags): Query<EditFlags>,
) -> Result<Response, AppError> {
    let g = store::get(&db, id).await?.ok_or(AppError::NotFound)?;
    let s = FormState {
        id: Some(id),
        input: form_of(&g.to_valid()),
        errors: Violations::default(),
        unknown: vec![],
        stale: false,
        saved: flags.enregistre.is_some(),
    };
    Ok(page(&form_page(&db, ctx, s).await?))
}

/// `POST /admin/fiches/nouvelle`
pub async fn create(
    State(db): State<Db>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    WebForm(form): WebForm<GuideForm>,
) -> Result<Response, AppError> {
    save(db, ctx, user, None, form).await
}

/// `POST /admin/fiches/{id}`
pub async fn update(
    State(db): State<Db>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<i64>,
    WebForm(form): WebForm<GuideForm>,
) -> Result<Response, AppError> {
    store::get(&db, id).await?.ok_or(AppError::NotFound)?;
    save(db, ctx, user, Some(id), form).await
}

/// Check the form, then create or save a new version; a stale editor or a
/// taken slug gets the form back with what was typed.
async fn save(
    db: Db,
    ctx: PageCtx,
    user: CurrentUser,
    id: Option<i64>,
    form: GuideForm,
) -> Result<Response, AppError> {
    let (themes, sectors, territories) = form.named();
    let known = store::known(&db, &themes, &sectors, &territories).await?;
    let mut state = FormState {
        id,
        input: form.clone(),
        errors: Violations::default(),
        unknown: vec![],
        stale: false,
        saved: false,
    };
    let valid = match form.parse(&known) {
        Ok(v) => v,
        Err(errors) => {
            state.unknown = [
                model::unknown_in(&themes, &known.themes),
                model::unknown_in(&sectors, &known.sectors),
                model::unknown_in(&territories, &known.territories),
            ]
            .concat();
            state.errors = errors;
            let p = form_page(&db, ctx, state).await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    let by = user.as_ref().map(|u| u.id);
    let saved = match id {
        None => store::insert(&db, &valid, by).await?,
        Some(id) => store::update(&db, id, &valid, by, true).await?,
    };
    match saved {
        Saved::Created(id) | Saved::Updated(id) => {
            Ok(Redirect::to(&format!("/admin/fiches/{id}?enregistre=1")).into_response())
        }
        Saved::SlugTaken => {
            state.errors = crate::setup::model::slug_taken();
            let p = form_page(&db, ctx, state).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
        Saved::Stale => {
            state.stale = true;
            let p = form_page(&db, ctx, state).await?;
            Ok(render(StatusCode::CONFLICT, &p))
        }
    }
}
