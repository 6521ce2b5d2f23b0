//! The dashboard page: filters, pace against the target, indicators with
//! their rule, charts each followed by its data table, breakdowns, budget.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;

use super::charts::{self, Bar};
use super::map;
use super::model::{cell, Figure, Indicator, Unit};
use super::report::{self, Report};
use super::store;
use crate::db::Db;
use crate::i18n::Tr;
use crate::kernel::money::Euros;
use crate::web::{page, AppError, PageCtx};

/// Funders and partners see no cell under five businesses.
pub fn hides_small(ctx: &PageCtx) -> bool {
    !(ctx.has_role("admin") || ctx.has_role("adviser"))
}

/// A figure as read: count, hours, euros, days, score, ratio or percent.
pub fn show(tr: Tr, f: &Figure) -> String {
    show_value(tr, f.indicator, f.value)
}

/// A value of `indicator` as shown, in its unit.
pub fn show_value(tr: Tr, indicator: Indicator, v: f64) -> String {
    match indicator.unit() {
        Unit::Businesses => format!("{}", v as i64),
        Unit::Hours => tr.ts("dash-value-hours", "n", &format!("{v:.1}")),
        Unit::Euros => Euros((v * 100.0).round() as i64).format(tr.0),
        Unit::Days => tr.ts("dash-value-days", "n", &format!("{v:.1}")),
        Unit::Score => format!("{v:.1} / 5"),
        Unit::Ratio => format!("{v:.2}"),
        Unit::Percent => format!("{} %", v.round() as i64),
    }
}

/// A select's options: (value, label, selected).
type Options = Vec<(String, String, bool)>;

#[derive(Template)]
#[template(path = "dashboard/dashboard.html")]
struct DashboardPage {
    ctx: PageCtx,
    r: Report,
    territories: Options,
    sectors: Options,
    sizes: Options,
    partners: Options,
    /// The partner this reader is limited to, by name.
    scope: Option<String>,
    advisers: Options,
    timeline_svg: String,
    funnel_svg: String,
    breakdown_svgs: Vec<String>,
    /// The maps with a figure: (svg, caption).
    maps: Vec<(String, String)>,
    query: String,
}

impl DashboardPage {
    fn val(&self, f: &Figure) -> String {
        show(self.ctx.tr, f)
    }
    fn pct(&self, f: &Figure) -> String {
        f.percent().map(|p| format!("{p} %")).unwrap_or_default()
    }
    fn rule(&self, f: &Figure) -> String {
        self.ctx.tr.t(&f.indicator.rule_key())
    }
    fn label(&self, f: &Figure) -> String {
        self.ctx.tr.t(f.indicator.label_key())
    }
    fn count(&self, n: &i64) -> String {
        cell(*n, self.r.hide_small)
    }
    fn money(&self, e: &Euros) -> String {
        e.format(self.ctx.tr.0)
    }
    fn cost(&self, c: &Option<i64>) -> String {
        c.map(|x| Euros(x).format(self.ctx.tr.0))
            .unwrap_or_else(|| "—".into())
    }
    fn pace_text(&self) -> String {
        let Some(p) = &self.r.pace else {
            return String::new();
        };
        let reached = self
            .r
            .timeline
            .iter()
            .rev()
            .find_map(|m| m.reached)
            .unwrap_or(0);
        self.ctx.tr.args(
            if p.on_track {
                "dash-pace-on-track"
            } else {
                "dash-pace-behind"
            },
            &[
                ("reached", &reached.to_string()),
                ("target", &self.r.settings.target_aware.to_string()),
                ("month", &p.month.to_string()),
                ("months", &p.months.to_string()),
                ("expected", &p.expected.to_string()),
            ],
        )
    }
    fn funnel(&self) -> Vec<&Figure> {
        Indicator::FUNNEL
            .iter()
            .filter_map(|i| self.r.figure(*i))
            .collect()
    }
    fn others(&self) -> Vec<&Figure> {
        self.r
            .figures
            .iter()
            .filter(|f| !Indicator::FUNNEL.contains(&f.indicator))
            .collect()
    }
    fn dim_title(&self, d: &super::model::Dimension) -> String {
        self.ctx.tr.t(d.label_key())
    }
    /// A target's row: indicator, reached, target, expected by now, pace
    /// (text, and whether on track when the period is known).
    fn target_row(
        &self,
        t: &super::report::Target,
    ) -> (String, String, String, String, String, String) {
        let tr = self.ctx.tr;
        let (expected, status, state) = match &t.pace {
            Some(p) => (
                show_value(tr, t.indicator, p.expected as f64),
                tr.t(super::exports::pace_key(p)),
                p.on_track.to_string(),
            ),
            None => (
                "—".to_string(),
                tr.t("dash-target-no-period"),
                String::new(),
            ),
        };
        (
            tr.t(t.indicator.label_key()),
            show_value(tr, t.indicator, t.reached),
            show_value(tr, t.indicator, t.target as f64),
            expected,
            status,
            state,
        )
    }
    /// The levels the territory breakdown can count at, the current one marked.
    fn levels(&self) -> Options {
        super::model::TerritoryLevel::ALL
            .iter()
            .map(|l| {
                let on = self.r.filter.level == Some(*l);
                (l.code().to_string(), self.ctx.tr.t(l.label_key()), on)
            })
            .collect()
    }
    fn opt_reached(&self, v: &Option<i64>) -> String {
        v.map(|x| x.to_string()).unwrap_or_else(|| "—".into())
    }
}

/// Options of a select, the current value marked.
fn options(list: Vec<(String, String)>, current: Option<&str>) -> Options {
    list.into_iter()
        .map(|(v, l)| {
            let on = current == Some(v.as_str());
            (v, l, on)
        })
        .collect()
}

async fn select_lists(
    db: &Db,
    ctx: &PageCtx,
    r: &Report,
    scoped: Option<i64>,
) -> Result<(Options, Options, Options, Options, Options), AppError> {
    let tr = ctx.tr;
    let mut areas: Vec<(String, String)> = r
        .labels
        .terr
        .values()
        .filter(|t| {
            matches!(
                t.level.as_str(),
                "country" | "region" | "department" | "province" | "canton"
            )
        })
        .map(|t| (t.code.clone(), t.name.clone()))
        .collect();
    areas.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    let sizes = crate::business::model::SizeBand::ALL
        .iter()
        .map(|s| (s.code().to_string(), tr.t(s.label_key())))
        .collect();
    let partners = store::partner_names(db)
        .await?
        .into_iter()
        .filter(|(i, _)| scoped.is_none_or(|p| p == *i))
        .map(|(i, n)| (i.to_string(), n))
        .collect();
    let advisers = if hides_small(ctx) {
        vec![]
    } else {
        store::adviser_names(db)
            .await?
            .into_iter()
            .map(|(i, n)| (i.to_string(), n))
            .collect()
    };
    let f = &r.filter;
    Ok((
        options(areas, f.territory.as_deref()),
        options(store::sector_names(db, tr.0).await?, f.sector.as_deref()),
        options(sizes, f.size.as_deref()),
        options(partners, f.partner.map(|p| p.to_string()).as_deref()),
        options(advisers, f.adviser.map(|p| p.to_string()).as_deref()),
    ))
}

/// The dashboard's filter from the query string, within what the reader
/// may see, and the partner the reader is limited to, if any.
pub async fn filter_for(
    db: &Db,
    ctx: &PageCtx,
    q: &HashMap<String, String>,
) -> Result<(super::model::Filter, Option<i64>), AppError> {
    let mut filter = super::model::Filter::parse(q);
    let scoped = partner_scope(db, ctx).await?;
    if scoped.is_some() {
        filter.partner = scoped;
    }
    Ok((filter, scoped))
}

/// The partner a reader is limited to (a partner reads what it brought);
/// managers and advisers read everything.
pub async fn partner_scope(db: &Db, ctx: &PageCtx) -> Result<Option<i64>, AppError> {
    match ctx.user.as_ref() {
        Some(u) if hides_small(ctx) => Ok(crate::auth::store::reader_partner(db, u.id).await?),
        _ => Ok(None),
    }
}

/// `GET /tableau-de-bord`
pub async fn dashboard(
    State(db): State<Db>,
    State(folded): State<super::facts::Folded>,
    ctx: PageCtx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (filter, scoped) = filter_for(&db, &ctx, &q).await?;
    let tr = ctx.tr;
    let r = report::build(&db, &folded, &ctx.programme, tr, filter, hides_small(&ctx)).await?;
    let (territories, sectors, sizes, partners, advisers) =
        select_lists(&db, &ctx, &r, scoped).await?;
    let scope = scoped.and(partners.first().map(|p| p.1.clone()));
    let timeline_svg = if r.timeline.is_empty() {
        String::new()
    } else {
        let points: Vec<(String, Option<i64>)> = r
            .timeline
            .iter()
            .map(|m| (m.label.clone(), m.reached))
            .collect();
        charts::cumulative(
            "chart-timeline",
            &tr.t("dash-chart-timeline"),
            &points,
            r.settings.target_aware,
            (&tr.t("dash-legend-reached"), &tr.t("dash-legend-target")),
        )
    };
    let funnel_bars: Vec<Bar> = Indicator::FUNNEL
        .iter()
        .filter_map(|i| r.figure(*i))
        .map(|f| Bar {
            label: tr.t(f.indicator.label_key()),
            value: Some(f.value),
            text: show(tr, f),
        })
        .collect();
    let funnel_svg = charts::bars("chart-funnel", &tr.t("dash-chart-funnel"), &funnel_bars);
    let breakdown_svgs = r
        .breakdowns
        .iter()
        .map(|(d, cells)| {
            let bars: Vec<Bar> = cells
                .iter()
                .map(|c| {
                    let hidden = r.hide_small && c.count > 0 && c.count < super::model::SMALL_CELL;
                    Bar {
                        label: c.label.clone(),
                        value: (!hidden).then_some(c.count as f64),
                        text: cell(c.count, r.hide_small),
                    }
                })
                .collect();
            charts::bars(&format!("chart-{}", d.code()), &tr.t(d.label_key()), &bars)
        })
        .collect();
    // One map per atlas that has a figure (France's departments, New
    // Caledonia's provinces), each with its caption and credit.
    let maps: Vec<(String, String)> = map::Atlas::ALL
        .iter()
        .filter_map(|atlas| {
            let shades: Vec<map::Shade> = r
                .by_area
                .iter()
                .filter(|(code, _)| atlas.has(code))
                .map(|(code, n)| {
                    let hidden = r.hide_small && *n > 0 && *n < super::model::SMALL_CELL;
                    map::Shade {
                        code: code.clone(),
                        value: (!hidden).then_some(*n as f64),
                        text: cell(*n, r.hide_small),
                    }
                })
                .collect();
            (!shades.is_empty()).then(|| {
                let svg = map::draw(
                    *atlas,
                    atlas.id(),
                    &tr.t(atlas.title_key()),
                    &shades,
                    (
                        &tr.t("dash-map-fewer"),
                        &tr.t("dash-map-more"),
                        &tr.t("dash-map-hidden"),
                    ),
                );
                (svg, tr.t(atlas.caption_key()))
            })
        })
        .collect();
    let query = r.filter.query();
    Ok(page(&DashboardPage {
        maps,
        ctx,
        r,
        territories,
        sectors,
        sizes,
        partners,
        scope,
        advisers,
        timeline_svg,
        funnel_svg,
        breakdown_svgs,
        query,
    }))
}
