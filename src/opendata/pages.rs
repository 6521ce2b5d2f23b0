//! Handlers of open data: the catalogue page, the documents, the licence.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

use super::model::{AgendaItem, Envelope, GuideItem, IndicatorItem, Licence, SchemeItem, DATASETS};
use super::store;
use crate::dashboard::model::Indicator;
use crate::db::{now_ms, Db};
use crate::i18n::{Locale, Tr};
use crate::kernel::{dates, links};
use crate::state::AppState;
use crate::web::forms::WebForm;
use crate::web::{page, AppError, PageCtx};
use crate::workshops::model::AgendaFilter;

/// One dataset on the catalogue page.
pub struct Dataset {
    pub id: &'static str,
    pub title: String,
    pub formats: &'static [(&'static str, &'static str)],
    pub updated: String,
}

#[derive(Template)]
#[template(path = "opendata/catalogue.html")]
struct CataloguePage {
    ctx: PageCtx,
    datasets: Vec<Dataset>,
    licence: Licence,
    manager: bool,
}

impl CataloguePage {
    fn licences(&self) -> Vec<(&'static str, String, bool)> {
        Licence::ALL
            .iter()
            .map(|l| (l.code(), self.ctx.tr.t(l.label_key()), *l == self.licence))
            .collect()
    }
}

/// `GET /donnees-ouvertes`
pub async fn catalogue(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let licence = store::licence(&db, ctx.programme.id).await?;
    let updated = store::updated(&db).await?;
    let datasets = DATASETS
        .iter()
        .map(|(id, key, formats)| Dataset {
            id,
            title: ctx.tr.t(key),
            formats,
            updated: updated
                .iter()
                .find(|(d, _)| d == id)
                .and_then(|(_, t)| *t)
                .map(|t| ctx.datetime(t))
                .unwrap_or_default(),
        })
        .collect();
    let manager = ctx.has_role("admin");
    Ok(page(&CataloguePage {
        ctx,
        datasets,
        licence,
        manager,
    }))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct LicenceForm {
    licence: String,
}

/// `POST /admin/donnees-ouvertes/licence`
pub async fn save_licence(
    State(state): State<AppState>,
    ctx: PageCtx,
    WebForm(form): WebForm<LicenceForm>,
) -> Result<Response, AppError> {
    let id = ctx.programme.id.ok_or(AppError::NotFound)?;
    let licence = Licence::parse(&form.licence).ok_or(AppError::BadRequest)?;
    store::set_licence(&state.db, id, licence).await?;
    Ok(Redirect::to("/donnees-ouvertes#licence").into_response())
}

/// A Unix time in milliseconds as ISO 8601 (UTC), empty if out of range.
pub fn iso_utc(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

async fn envelope<T: Serialize>(
    state: &AppState,
    dataset: &'static str,
    items: Vec<T>,
    updated: Option<i64>,
) -> Result<Response, AppError> {
    let programme = state.programme_or_default().await;
    let doc = Envelope {
        dataset,
        publisher: programme.name.clone(),
        licence: store::licence(&state.db, programme.id).await?.into(),
        instance: crate::federation::store::instance_token(&state.db).await?,
        generated_at: iso_utc(now_ms()),
        updated_at: updated.map(iso_utc),
        items,
    };
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        serde_json::to_string(&doc).map_err(|e| AppError::Internal(e.into()))?,
    )
        .into_response())
}

/// A CSV table: the header, then one line per row of cells (already quoted).
fn table(header: &str, rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut out = format!("{header}\r\n");
    for cells in rows {
        out.push_str(&cells.join(";"));
        out.push_str("\r\n");
    }
    out
}

fn csv(name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".to_string()),
        ],
        body,
    )
        .into_response()
}

/// `GET /donnees-ouvertes/agenda.json`: upcoming sessions (cancelled ones
/// stay, marked, so aggregators remove them).
pub async fn agenda_json(State(state): State<AppState>) -> Result<Response, AppError> {
    let programme = state.programme_or_default().await;
    let tz = dates::zone(&programme.timezone);
    let (mut q, _) = AgendaFilter::default().resolve(&tz, now_ms());
    q.include_cancelled = true;
    let sessions = crate::workshops::store::all_matching(&state.db, &q).await?;
    let base = state.config.base_url.as_str();
    let updated = sessions.iter().map(|s| s.updated_at).max();
    let items = sessions
        .iter()
        .map(|s| AgendaItem {
            id: s.id,
            uid: crate::workshops::mails::event(s, base, "fr", false).uid,
            title: s.title("fr").to_string(),
            title_en: s.title("en").to_string(),
            start: dates::iso(&tz, s.starts_at),
            end: dates::iso(&tz, s.ends_at),
            location: s.place("fr"),
            online: s.is_online(),
            status: if s.is_cancelled() {
                "cancelled".into()
            } else {
                "scheduled".into()
            },
            url: links::absolute_str(base, &format!("/ateliers/{}", s.id)),
            updated_at: iso_utc(s.updated_at),
        })
        .collect();
    envelope(&state, "agenda", items, updated).await
}

fn guide_items(state: &AppState, rows: Vec<store::GuideRow>) -> Vec<GuideItem> {
    let base = state.config.base_url.as_str();
    rows.into_iter()
        .map(|g| GuideItem {
            url: links::absolute_str(base, &format!("/fiches/{}", g.slug)),
            updated_at: iso_utc(g.updated_at),
            id: g.id,
            slug: g.slug,
            title_fr: g.title_fr,
            title_en: g.title_en,
            summary_fr: g.summary_fr,
            summary_en: g.summary_en,
            level: g.level,
        })
        .collect()
}

/// `GET /donnees-ouvertes/fiches.json`
pub async fn guides_json(State(state): State<AppState>) -> Result<Response, AppError> {
    let rows = store::guides(&state.db).await?;
    let updated = rows.iter().map(|g| g.updated_at).max();
    let items = guide_items(&state, rows);
    envelope(&state, "guides", items, updated).await
}

/// `GET /donnees-ouvertes/fiches.csv`
pub async fn guides_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    let items = guide_items(&state, store::guides(&state.db).await?);
    let cell = crate::csvio::cell;
    let out = table(
        "id;slug;title_fr;title_en;summary_fr;summary_en;level;url;updated_at",
        items.iter().map(|g| {
            vec![
                g.id.to_string(),
                cell(&g.slug),
                cell(&g.title_fr),
                cell(&g.title_en),
                cell(&g.summary_fr),
                cell(&g.summary_en),
                cell(&g.level),
                cell(&g.url),
                g.updated_at.clone(),
            ]
        }),
    );
    Ok(csv("fiches.csv", out))
}

/// `GET /donnees-ouvertes/temoignages.json`: the testimonies the public
/// pages show (published, consent recorded), as in the API.
pub async fn testimonies_json(State(state): State<AppState>) -> Result<Response, AppError> {
    let rows = crate::testimonies::store::visible(&state.db, "").await?;
    let updated = rows.iter().map(|t| t.updated_at).max();
    let base = state.config.base_url.as_str();
    let items: Vec<crate::testimonies::api::ApiTestimony> = rows
        .iter()
        .map(|t| crate::testimonies::api::ApiTestimony::of(t, base))
        .collect();
    envelope(&state, "testimonies", items, updated).await
}

/// `GET /donnees-ouvertes/temoignages.csv`
pub async fn testimonies_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    let items = crate::testimonies::api::published(&state, "").await?;
    let cell = crate::csvio::cell;
    let opt = |v: Option<f64>| v.map(|x| format!("{x:.0}")).unwrap_or_default();
    let out = table(
        "id;title;author;business;locale;body;themes;video_url;transcript;photo_url;score_before;score_after;url;published_at;updated_at",
        items.iter().map(|t| {
            vec![
                t.id.to_string(),
                cell(&t.title),
                cell(&t.author),
                cell(&t.business),
                cell(&t.locale),
                cell(&t.body),
                cell(&t.themes.join(",")),
                cell(&t.video_url),
                cell(&t.transcript),
                cell(t.photo_url.as_deref().unwrap_or("")),
                opt(t.score_before),
                opt(t.score_after),
                cell(&t.url),
                t.published_at.clone().unwrap_or_default(),
                t.updated_at.clone(),
            ]
        }),
    );
    Ok(csv("temoignages.csv", out))
}

/// `GET /donnees-ouvertes/aides.json`
pub async fn schemes_json(State(state): State<AppState>) -> Result<Response, AppError> {
    let rows = store::schemes(&state.db).await?;
    let updated = rows.iter().map(|s| s.updated_at).max();
    let base = state.config.base_url.as_str();
    let items: Vec<SchemeItem> = rows
        .into_iter()
        .map(|s| SchemeItem {
            url: links::absolute_str(base, &format!("/aides/{}", s.slug)),
            updated_at: iso_utc(s.updated_at),
            id: s.id,
            slug: s.slug,
            title_fr: s.title_fr,
            title_en: s.title_en,
            summary_fr: s.summary_fr,
            summary_en: s.summary_en,
            opens_on: s.opens_on,
            closes_on: s.closes_on,
            link: s.link,
        })
        .collect();
    envelope(&state, "schemes", items, updated).await
}

/// The counts of the catalogue, then the dashboard's funnel (distinct
/// businesses at each stage, by the programme's rules, all periods) and
/// its target: what a coordinating body adds up across programmes.
pub async fn indicator_items(state: &AppState) -> Result<Vec<IndicatorItem>, AppError> {
    let mut items = store::indicators(&state.db, now_ms()).await?;
    let programme = state.programme_or_default().await;
    if programme.id.is_none() {
        return Ok(items);
    }
    let (fr, en) = (Tr(Locale::Fr), Tr(Locale::En));
    let r = crate::dashboard::report::build(
        &state.db,
        &state.facts,
        &programme,
        fr,
        Default::default(),
        true,
    )
    .await?;
    for i in Indicator::FUNNEL {
        items.push(IndicatorItem {
            id: format!("funnel_{}", i.code()).into(),
            label_fr: fr.ts("od-funnel", "stage", &fr.t(i.label_key())),
            label_en: en.ts("od-funnel", "stage", &en.t(i.label_key())),
            value: r.value(*i).round() as i64,
            rule: fr.t(&i.rule_key()).into(),
        });
    }
    items.push(IndicatorItem {
        id: "target_aware".into(),
        label_fr: fr.t("od-target-aware"),
        label_en: en.t("od-target-aware"),
        value: r.settings.target_aware,
        rule: fr.t("od-target-aware-rule").into(),
    });
    Ok(items)
}

/// `GET /donnees-ouvertes/indicateurs.json`
pub async fn indicators_json(State(state): State<AppState>) -> Result<Response, AppError> {
    let items = indicator_items(&state).await?;
    envelope(&state, "indicators", items, Some(now_ms())).await
}

/// `GET /donnees-ouvertes/indicateurs.csv`
pub async fn indicators_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    let items = indicator_items(&state).await?;
    let cell = crate::csvio::cell;
    let out = table(
        "id;label_fr;label_en;value;rule",
        items.iter().map(|i| {
            vec![
                i.id.to_string(),
                cell(&i.label_fr),
                cell(&i.label_en),
                i.value.to_string(),
                cell(&i.rule),
            ]
        }),
    );
    Ok(csv("indicateurs.csv", out))
}
