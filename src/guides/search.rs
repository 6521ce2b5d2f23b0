//! One search box across practical guides, testimonies, workshops,
//! providers and funding schemes, with the directory's French normaliser
//! (folding, stop words, Snowball stems): "sauvegarder" finds "Sauvegardes",
//! "réseaux" finds "reseaux". Guides, testimonies, schemes and upcoming
//! workshops are few enough to be matched in memory; providers use the
//! directory's stored terms.

use std::collections::HashSet;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::db::{now_ms, Db};
use crate::directory::search::{query_terms, terms};
use crate::i18n::Locale;
use crate::web::{page, AppError, PageCtx};

/// Most results of one kind.
const PER_KIND: usize = 10;

/// The query.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SearchQuery {
    q: String,
}

/// One result: link, title, a line of context.
pub struct Hit {
    pub href: String,
    pub title: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "guides/search.html")]
struct SearchPage {
    ctx: PageCtx,
    q: String,
    searched: bool,
    kinds: Vec<(&'static str, String, Vec<Hit>)>,
}

/// True when every query term is among the text's terms.
fn matches(query: &[String], text: &str) -> bool {
    let have: HashSet<String> = terms(text).into_iter().collect();
    query.iter().all(|t| have.contains(t))
}

/// Words of a packed list of slugs (",reseaux-sociaux,site,").
fn slug_words(packed: &str) -> String {
    packed.replace([',', '-'], " ")
}

/// The first [`PER_KIND`] rows whose searchable text (`text`) holds every
/// query term, as results.
fn first_hits<T>(
    rows: &[T],
    query: &[String],
    text: impl Fn(&T) -> String,
    hit: impl Fn(&T) -> Hit,
) -> Vec<Hit> {
    rows.iter()
        .filter(|r| matches(query, &text(r)))
        .take(PER_KIND)
        .map(hit)
        .collect()
}

#[derive(sqlx::FromRow)]
struct SessionHit {
    id: i64,
    title_fr: String,
    title_en: String,
    theme_fr: String,
    theme_en: String,
    tags: String,
    starts_at: i64,
}

/// `GET /recherche?q=…`
pub async fn search(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(sq): Query<SearchQuery>,
) -> Result<Response, AppError> {
    let tr = ctx.tr;
    let en = tr.0 == Locale::En;
    let query = query_terms(&sq.q);
    let mut kinds = vec![];
    if !query.is_empty() {
        kinds.push((
            "guides",
            tr.t("guides-title"),
            guides(&db, &query, en).await?,
        ));
        kinds.push((
            "testimonies",
            tr.t("testimonies-title"),
            testimonies(&db, &query).await?,
        ));
        kinds.push((
            "workshops",
            tr.t("nav-workshops"),
            workshops(&db, &ctx, &query, en).await?,
        ));
        kinds.push((
            "providers",
            tr.t("nav-directory"),
            providers(&db, &query).await?,
        ));
        kinds.push((
            "funding",
            tr.t("funding-title"),
            schemes(&db, &ctx, &query).await?,
        ));
    }
    Ok(page(&SearchPage {
        searched: !query.is_empty(),
        q: sq.q,
        kinds,
        ctx,
    }))
}

async fn guides(db: &Db, query: &[String], en: bool) -> Result<Vec<Hit>, AppError> {
    let rows = super::store::published(db, &super::store::Filter::default()).await?;
    let text = |g: &super::store::GuideRow| {
        let body = if en { &g.body_en } else { &g.body_fr };
        [
            &g.title_fr,
            &g.title_en,
            &g.summary_fr,
            &g.summary_en,
            &super::markdown::plain_text(body),
            &slug_words(&g.themes),
        ]
        .map(String::as_str)
        .join(" ")
    };
    Ok(first_hits(&rows, query, text, |g| Hit {
        href: format!("/fiches/{}", g.slug),
        title: if en { &g.title_en } else { &g.title_fr }.clone(),
        note: if en { &g.summary_en } else { &g.summary_fr }.clone(),
    }))
}

/// Testimonies the public pages show (published, consent recorded).
async fn testimonies(db: &Db, query: &[String]) -> Result<Vec<Hit>, AppError> {
    let rows = crate::testimonies::store::visible(db, "").await?;
    let text = |t: &crate::testimonies::store::TestimonyRow| {
        [
            &t.title,
            &t.author_name,
            &t.business_name,
            &t.body,
            &slug_words(&t.themes),
        ]
        .map(String::as_str)
        .join(" ")
    };
    Ok(first_hits(&rows, query, text, |t| Hit {
        href: format!("/temoignages/{}", t.id),
        title: t.title.clone(),
        note: [t.author_name.as_str(), t.business_name.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
    }))
}

async fn workshops(
    db: &Db,
    ctx: &PageCtx,
    query: &[String],
    en: bool,
) -> Result<Vec<Hit>, AppError> {
    let rows: Vec<SessionHit> = sqlx::query_as(
        "SELECT s.id, s.title_fr, s.title_en, t.title_fr AS theme_fr, t.title_en AS theme_en, t.tags, s.starts_at \
         FROM workshop_sessions s JOIN themes t ON t.id = s.theme_id \
         WHERE s.status = 'scheduled' AND s.starts_at > $1 ORDER BY s.starts_at LIMIT 1000",
    )
    .bind(now_ms())
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .filter(|s| {
            matches(
                query,
                &format!(
                    "{} {} {} {} {}",
                    s.title_fr, s.title_en, s.theme_fr, s.theme_en, s.tags
                ),
            )
        })
        .take(PER_KIND)
        .map(|s| {
            let title = match (en, s.title_en.is_empty(), s.title_fr.is_empty()) {
                (true, false, _) => s.title_en.clone(),
                (false, _, false) => s.title_fr.clone(),
                _ if en => s.theme_en.clone(),
                _ => s.theme_fr.clone(),
            };
            Hit {
                href: format!("/ateliers/{}", s.id),
                title,
                note: ctx.datetime(s.starts_at),
            }
        })
        .collect())
}

async fn providers(db: &Db, query: &[String]) -> Result<Vec<Hit>, AppError> {
    let sql = format!(
        "SELECT p.id, p.name, p.town FROM providers p JOIN (SELECT provider_id, SUM(weight) AS w FROM provider_terms \
         WHERE term IN ({}) GROUP BY provider_id HAVING COUNT(DISTINCT term) = {}) m ON m.provider_id = p.id \
         WHERE p.status = 'published' ORDER BY m.w DESC, p.name LIMIT {PER_KIND}",
        super::store::placeholders(1, query.len()),
        query.len()
    );
    let mut q = sqlx::query_as::<_, (i64, String, String)>(&sql);
    for t in query {
        q = q.bind(t);
    }
    Ok(q.fetch_all(&db.pool)
        .await?
        .into_iter()
        .map(|(id, name, town)| Hit {
            href: format!("/annuaire/{id}"),
            title: name,
            note: town,
        })
        .collect())
}

async fn schemes(db: &Db, ctx: &PageCtx, query: &[String]) -> Result<Vec<Hit>, AppError> {
    let today = crate::funding::pages::today(ctx);
    let rows = crate::funding::store::published(
        db,
        &crate::funding::store::Filter {
            today: &today,
            ..Default::default()
        },
    )
    .await?;
    let text = |s: &crate::funding::store::SchemeRow| {
        [
            &s.title_fr,
            &s.title_en,
            &s.summary_fr,
            &s.summary_en,
            &s.backers,
            &slug_words(&s.themes),
        ]
        .map(String::as_str)
        .join(" ")
    };
    Ok(first_hits(&rows, query, text, |s| Hit {
        href: format!("/aides/{}", s.slug),
        title: s.title(ctx.tr.0).to_string(),
        note: s.summary(ctx.tr.0).to_string(),
    }))
}
