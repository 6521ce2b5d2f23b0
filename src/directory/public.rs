//! The public directory: search with filters and counts, a card's page,
//! logos, and the CSV/JSON export other portals can reuse.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use url::form_urlencoded::Serializer;

use super::index::Snapshots;
use super::model::{self, Provider, COLUMNS};
use super::search;
use crate::db::{dialect, now_ms, Db};
use crate::i18n::Tr;
use crate::kernel::dates;
use crate::state::AppState;
use crate::web::{page, AppError, PageCtx};

/// Cards per results page.
pub const PAGE_SIZE: i64 = 20;
/// How often a server checks whether the cards changed on another server
/// (searches there show a change at most this late).
pub(super) const SEARCH_TTL: Duration = Duration::from_secs(30);

/// The search as it appears in the URL (shareable).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SearchQuery {
    pub q: String,
    pub theme: String,
    pub territory: String,
    pub sector: String,
    pub size: String,
    pub page: Option<i64>,
}

impl SearchQuery {
    /// Read the URL leniently: a repeated field keeps its first value, a page
    /// that is not a whole number means page 1; a hand-edited URL never errors.
    pub fn from_pairs(pairs: &[(String, String)]) -> SearchQuery {
        let first = |k: &str| crate::web::forms::first_value(pairs, k);
        SearchQuery {
            q: first("q"),
            theme: first("theme"),
            territory: first("territory"),
            sector: first("sector"),
            size: first("size"),
            page: first("page").trim().parse().ok(),
        }
    }

    /// Links to this search with `field` set to any value, and no page
    /// (`""`: no field changes). The other fields are encoded here, once.
    fn links(&self, field: &'static str) -> FieldLinks {
        let mut before = Serializer::new(String::new());
        let mut after = Serializer::new(String::new());
        let mut past = false;
        for (k, v) in [
            ("q", &self.q),
            ("theme", &self.theme),
            ("territory", &self.territory),
            ("sector", &self.sector),
            ("size", &self.size),
        ] {
            if k == field {
                past = true;
            } else if !v.is_empty() {
                if past { &mut after } else { &mut before }.append_pair(k, v);
            }
        }
        FieldLinks {
            field,
            before: before.finish(),
            after: after.finish(),
        }
    }

    fn clean(&self) -> SearchQuery {
        let cut = |s: &str, n: usize| s.trim().chars().take(n).collect::<String>();
        SearchQuery {
            q: cut(&self.q, search::MAX_QUERY_CHARS),
            theme: cut(&self.theme, 80),
            territory: cut(&self.territory, 20),
            sector: cut(&self.sector, 10),
            size: cut(&self.size, 10),
            page: Some(self.page.unwrap_or(1).clamp(1, 10_000)),
        }
    }
}

/// Links to a search with one field set to each of its values (a page
/// shows a few hundred filter values; the search's other fields are
/// encoded once for all of them).
pub struct FieldLinks {
    field: &'static str,
    /// The search's other fields, URL-encoded, before and after `field` in
    /// the URL's order.
    before: String,
    after: String,
}

impl FieldLinks {
    /// The directory with the field set to `value` (left out when empty).
    pub fn to(&self, value: &str) -> String {
        let mut url =
            String::with_capacity(24 + self.before.len() + self.after.len() + value.len());
        url.push_str("/annuaire");
        let mut sep = '?';
        let mut add = |url: &mut String, part: &str| {
            if !part.is_empty() {
                url.push(sep);
                url.push_str(part);
                sep = '&';
            }
        };
        add(&mut url, &self.before);
        if !value.is_empty() {
            add(
                &mut url,
                &Serializer::new(String::new())
                    .append_pair(self.field, value)
                    .finish(),
            );
        }
        add(&mut url, &self.after);
        url
    }
}

/// One card in the results.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub place: String,
    pub remote: bool,
    pub excerpt: String,
    pub themes: Vec<String>,
    pub has_logo: bool,
    pub updated_at: i64,
    pub stale: bool,
}

/// A filter value with the number of results it would give.
#[derive(Debug, Clone)]
pub struct Facet {
    pub value: String,
    pub label: String,
    pub count: i64,
}

/// Everything a results page shows.
#[derive(Debug)]
pub struct Results {
    pub hits: Vec<Hit>,
    pub total: i64,
    pub themes: Vec<Facet>,
    pub territories: Vec<Facet>,
    pub sectors: Vec<Facet>,
    pub sizes: Vec<Facet>,
    pub terms: Vec<String>,
}

/// Run a search: one page of hits in the neutral order of the day `seed`,
/// and counts per filter value, from the directory's snapshot (no query).
pub async fn run(
    db: &Db,
    snaps: &Arc<Snapshots>,
    q: &SearchQuery,
    lang: &str,
    seed: i64,
) -> Result<Results, sqlx::Error> {
    let terms = search::query_terms(&q.q);
    let (hits, total, f) =
        super::index::search(db, snaps, q, &terms, seed, PAGE_SIZE, lang).await?;
    Ok(Results {
        hits,
        total,
        themes: f.themes,
        territories: f.territories,
        sectors: f.sectors,
        sizes: f.sizes,
        terms,
    })
}

/// Counts per filter value of a search.
pub struct Facets {
    pub themes: Vec<Facet>,
    pub territories: Vec<Facet>,
    pub sectors: Vec<Facet>,
    pub sizes: Vec<Facet>,
}

#[derive(Template)]
#[template(path = "directory/results.html")]
struct ResultsPart {
    tr: Tr,
    /// The programme's clock, for the "updated on" dates.
    tz: jiff::tz::TimeZone,
    query: SearchQuery,
    results: Arc<Results>,
    page: i64,
    pages: i64,
    seed: i64,
}

impl ResultsPart {
    fn page_link(&self, n: i64) -> String {
        let q = self.query.links("").before;
        if q.is_empty() {
            format!("/annuaire?page={n}")
        } else {
            format!("/annuaire?{q}&page={n}")
        }
    }

    fn updated(&self, ms: &i64) -> String {
        dates::day(self.tr.0, &self.tz, *ms).to_string()
    }

    /// Per filter: its field, title, values with counts, the value chosen
    /// and the links to each value.
    fn facet_groups(&self) -> Vec<(&'static str, String, &Vec<Facet>, &str, FieldLinks)> {
        let (q, r) = (&self.query, &*self.results);
        [
            ("theme", "dir-filter-theme", &r.themes, q.theme.as_str()),
            (
                "territory",
                "dir-filter-territory",
                &r.territories,
                q.territory.as_str(),
            ),
            ("sector", "dir-filter-sector", &r.sectors, q.sector.as_str()),
            ("size", "dir-filter-size", &r.sizes, q.size.as_str()),
        ]
        .into_iter()
        .map(|(field, title, facets, current)| {
            (field, self.tr.t(title), facets, current, q.links(field))
        })
        .collect()
    }
}

#[derive(Template)]
#[template(path = "directory/search.html")]
struct SearchPage {
    ctx: PageCtx,
    query: SearchQuery,
    /// The rendered filters and results (the same for every visitor).
    part: String,
}

/// `GET /annuaire`
pub async fn search_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(raw): Query<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let query = SearchQuery::from_pairs(&raw).clean();
    let seed = search::day_seed(search::today());
    let (db, tr, lang) = (&state.db, ctx.tr, ctx.lang());
    let tz = dates::zone(&ctx.programme.timezone);
    let results = Arc::new(run(db, &state.directory.snapshot, &query, lang, seed).await?);
    let pages = ((results.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let part = ResultsPart {
        tr,
        tz,
        query: query.clone(),
        page: query.page.unwrap_or(1),
        pages,
        seed,
        results,
    }
    .render()
    .map_err(|e| AppError::Internal(anyhow::anyhow!("template error: {e}")))?;
    Ok(page(&SearchPage { ctx, query, part }))
}

#[derive(Template)]
#[template(path = "directory/card.html")]
struct CardPage {
    ctx: PageCtx,
    p: Provider,
    themes: Vec<String>,
    sectors: Vec<String>,
    sizes: Vec<String>,
    territories: Vec<String>,
    commune: String,
    stale: bool,
    updated: String,
    confirmed: String,
    can_claim: bool,
    is_member: bool,
    claimed: bool,
    /// Someone already keeps the card: a claim goes to moderation.
    kept: bool,
}

/// Flags after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CardFlags {
    revendication: Option<String>,
}

/// `GET /annuaire/{id}`: published cards for everyone; its keepers and
/// managers also see it before publication.
pub async fn card(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(flags): Query<CardFlags>,
) -> Result<Response, AppError> {
    // The card, the names of what it is linked to and whether someone keeps
    // it, in one statement.
    let lang = ctx.lang();
    let col = if lang == "en" { "title_en" } else { "title_fr" };
    let ncol = if lang == "en" { "name_en" } else { "name_fr" };
    let texts = |expr: &str, from: &str| {
        format!(
            "(SELECT {} FROM {from} WHERE x.provider_id = p.id)",
            dialect::group_texts(state.db.backend, expr)
        )
    };
    let sql = format!(
        "SELECT {COLUMNS}, {} AS theme_names, {} AS sector_names, {} AS size_bands, {} AS territory_names, \
         (SELECT {ncol} FROM territories WHERE code = p.commune_code) AS commune_name, \
         (SELECT COUNT(*) FROM provider_members m WHERE m.provider_id = p.id) AS keepers \
         FROM providers p WHERE p.id = $1",
        texts(&format!("t.{col}"), "provider_themes x JOIN themes t ON t.id = x.theme_id"),
        texts(
            &format!("s.code || ' — ' || s.{ncol}"),
            "provider_sectors x JOIN sectors s ON s.code = x.sector_code"
        ),
        texts("x.size_band", "provider_sizes x"),
        texts(
            &format!("t.{ncol}"),
            "provider_territories x JOIN territories t ON t.code = x.territory_code"
        ),
    );
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = Provider::from_row(&row);
    let is_member = match &ctx.user {
        Some(u) => model::is_member(&state.db, id, u.id).await?,
        None => false,
    };
    let is_admin = ctx.has_role("admin");
    if p.status != "published" && !is_member && !is_admin {
        return Err(AppError::NotFound);
    }
    let list = |col: &str| dialect::split_texts(crate::db::opt_text(&row, col));
    let (themes, sectors, sizes, territories) = (
        list("theme_names"),
        list("sector_names"),
        list("size_bands"),
        list("territory_names"),
    );
    let commune = crate::db::opt_text(&row, "commune_name");
    let kept = row.try_get::<i64, _>("keepers")? > 0;
    let claimed = match &ctx.user {
        Some(u) => {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM provider_claims WHERE provider_id = $1 AND user_id = $2 AND status = 'pending'",
            )
            .bind(id)
            .bind(u.id)
            .fetch_one(&state.db.pool)
            .await?;
            n > 0
        }
        None => false,
    };
    let tr = ctx.tr;
    let tz = dates::zone(&ctx.programme.timezone);
    let day = |ms: i64| dates::day(tr.0, &tz, ms);
    let can_claim = ctx.has_role("provider") && !is_member && p.status == "published";
    let notice_claimed = flags.revendication.is_some();
    Ok(page(&CardPage {
        stale: p.is_stale(now_ms()),
        updated: day(p.updated_at),
        confirmed: day(p.confirmed_at),
        themes,
        sectors,
        sizes: sizes.iter().map(|s| tr.code("business-size-", s)).collect(),
        territories,
        commune: commune.unwrap_or_default(),
        can_claim,
        is_member,
        claimed: claimed || notice_claimed,
        kept,
        p,
        ctx,
    }))
}

/// `GET /annuaire/{id}/logo`
pub async fn logo(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let row = sqlx::query(
        "SELECT logo, logo_mime, status FROM providers WHERE id = $1 AND logo IS NOT NULL",
    )
    .bind(id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    // Same rule as the card: public once published, else its keepers and managers.
    let status: String = row.get("status");
    let visible = status == "published"
        || match &ctx.user {
            Some(u) => ctx.has_role("admin") || model::is_member(&state.db, id, u.id).await?,
            None => false,
        };
    if !visible {
        return Err(AppError::NotFound);
    }
    let bytes: Vec<u8> = row.get("logo");
    let mime: String = row.get("logo_mime");
    let cache = if status == "published" {
        "public, max-age=3600"
    } else {
        "private, no-store"
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, cache.to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// One card in the public export.
#[derive(Debug, Serialize)]
pub struct ExportCard {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub legal_id: String,
    pub address: String,
    pub postcode: String,
    pub town: String,
    pub region: String,
    pub website: String,
    pub email: String,
    pub phone: String,
    pub themes: Vec<String>,
    pub territories: Vec<String>,
    pub remote: bool,
    pub updated_at: String,
    pub url: String,
}

async fn export_cards(state: &AppState) -> Result<Vec<ExportCard>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM providers p WHERE p.status = 'published' ORDER BY p.name, p.id"
    ))
    .fetch_all(&state.db.pool)
    .await?;
    let themes: Vec<(i64, String)> = sqlx::query_as(
        "SELECT x.provider_id, t.slug FROM provider_themes x JOIN themes t ON t.id = x.theme_id ORDER BY t.slug",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let territories: Vec<(i64, String)> = sqlx::query_as(
        "SELECT provider_id, territory_code FROM provider_territories ORDER BY territory_code",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let mut by_theme: HashMap<i64, Vec<String>> = HashMap::new();
    for (id, slug) in themes {
        by_theme.entry(id).or_default().push(slug);
    }
    let mut by_territory: HashMap<i64, Vec<String>> = HashMap::new();
    for (id, code) in territories {
        by_territory.entry(id).or_default().push(code);
    }
    let base = state
        .config
        .base_url
        .as_str()
        .trim_end_matches('/')
        .to_string();
    Ok(rows
        .iter()
        .map(Provider::from_row)
        .map(|p| ExportCard {
            id: p.id,
            legal_id: p.legal_id_display(),
            themes: by_theme.remove(&p.id).unwrap_or_default(),
            territories: by_territory.remove(&p.id).unwrap_or_default(),
            updated_at: crate::kernel::dates::iso(&jiff::tz::TimeZone::UTC, p.updated_at),
            url: format!("{base}/annuaire/{}", p.id),
            name: p.name,
            kind: p.kind,
            address: p.address,
            postcode: p.postcode,
            town: p.town,
            region: p.region,
            website: p.website,
            email: p.email,
            phone: p.phone,
            remote: p.remote,
        })
        .collect())
}

/// `GET /annuaire/export.json`
pub async fn export_json(State(state): State<AppState>) -> Result<Response, AppError> {
    let cards = export_cards(&state).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"annuaire.json\"",
            ),
        ],
        serde_json::to_string(&cards).map_err(|e| AppError::Internal(e.into()))?,
    )
        .into_response())
}

/// `GET /annuaire/export.csv`: the same columns as the import.
pub async fn export_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    let cards = export_cards(&state).await?;
    let mut out = String::from("\u{FEFF}");
    out.push_str("id;name;type;legal_id;address;postcode;town;region;website;email;phone;themes;territories;remote;updated_at;url\r\n");
    for c in cards {
        let cells = [
            c.id.to_string(),
            c.name,
            c.kind,
            c.legal_id,
            c.address,
            c.postcode,
            c.town,
            c.region,
            c.website,
            c.email,
            c.phone,
            c.themes.join(","),
            c.territories.join(","),
            if c.remote { "1".into() } else { "0".into() },
            c.updated_at,
            c.url,
        ];
        let line: Vec<String> = cells.iter().map(|v| crate::csvio::cell(v)).collect();
        out.push_str(&line.join(";"));
        out.push_str("\r\n");
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"annuaire.csv\"",
            ),
        ],
        out,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_links_keep_the_other_fields_in_order_and_encoded() {
        let q = SearchQuery {
            q: "café crème".into(),
            theme: "site-vitrine".into(),
            sector: "47".into(),
            ..Default::default()
        };
        let territory = q.links("territory");
        assert_eq!(
            territory.to("FR-D33"),
            "/annuaire?q=caf%C3%A9+cr%C3%A8me&theme=site-vitrine&territory=FR-D33&sector=47"
        );
        assert_eq!(
            territory.to(""),
            "/annuaire?q=caf%C3%A9+cr%C3%A8me&theme=site-vitrine&sector=47"
        );
        // Changing the first field, and a value that needs encoding.
        assert_eq!(
            q.links("q").to("a&b"),
            "/annuaire?q=a%26b&theme=site-vitrine&sector=47"
        );
        // Clearing the only field left: the bare directory.
        let one = SearchQuery {
            size: "1-9".into(),
            ..Default::default()
        };
        assert_eq!(one.links("size").to(""), "/annuaire");
        assert_eq!(one.links("size").to("10-49"), "/annuaire?size=10-49");
        assert_eq!(one.links("").before, "size=1-9");
    }
}
