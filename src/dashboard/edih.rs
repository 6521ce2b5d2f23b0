//! The export shaped like the EU's European Digital Innovation Hubs'
//! reporting: businesses served by support type (test before invest,
//! skills and training, support to find investment, innovation ecosystem
//! and networking), each by size class, NACE section and region; and the
//! Digital Maturity Assessment's six dimensions at T0 and T1. Aggregates
//! only: no business is named, and cells under five businesses are hidden
//! from funders and partners as on the page.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::response::Response;

use super::exports::download;
use super::facts::{self, Folded};
use super::model::{cell, Dimension, Filter, TerritoryLevel, SMALL_CELL};
use super::pages::hides_small;
use super::report::{self, Cell, Gain, Labels};
use super::store::{self, Source};
use crate::db::Db;
use crate::i18n::Tr;
use crate::kernel::dates;
use crate::web::{AppError, PageCtx};
use crate::xlsx::{self, Sheet};

/// The EDIH service categories, and the facts that count as each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// Maturity diagnostics and individual follow-up files.
    TestBeforeInvest,
    /// Workshops attended.
    Skills,
    /// Funding applications obtained or paid.
    Investment,
    /// Referrals to partner bodies.
    Ecosystem,
}

impl Service {
    pub const ALL: [Service; 4] = [
        Service::TestBeforeInvest,
        Service::Skills,
        Service::Investment,
        Service::Ecosystem,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Service::TestBeforeInvest => "test-before-invest",
            Service::Skills => "skills-and-training",
            Service::Investment => "support-to-find-investment",
            Service::Ecosystem => "innovation-ecosystem-and-networking",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Service::TestBeforeInvest => "edih-service-test-before-invest",
            Service::Skills => "edih-service-skills",
            Service::Investment => "edih-service-investment",
            Service::Ecosystem => "edih-service-ecosystem",
        }
    }

    pub fn sources(self) -> &'static [Source] {
        match self {
            Service::TestBeforeInvest => &[Source::Diagnostic, Source::Case],
            Service::Skills => &[Source::Workshop],
            Service::Investment => &[Source::Funded],
            Service::Ecosystem => &[Source::Referral],
        }
    }
}

/// Every source of a support, for the "all services" rows.
const ALL_SOURCES: [Source; 5] = [
    Source::Diagnostic,
    Source::Case,
    Source::Workshop,
    Source::Funded,
    Source::Referral,
];

/// The EU size class of a stored size band: micro under 10 people.
pub fn size_class(band: Option<&str>) -> &'static str {
    match band {
        Some("0") | Some("1-9") => "edih-size-micro",
        Some("10-49") => "edih-size-small",
        Some("50-249") => "edih-size-medium",
        _ => "edih-size-unknown",
    }
}

/// The DMA dimension a bank's dimension code reports as (the shipped
/// bank's six are the DMA's); `None` for a custom dimension.
pub fn dma_dimension(code: &str) -> Option<&'static str> {
    Some(match code {
        "strategy" => "edih-dma-strategy",
        "readiness" => "edih-dma-readiness",
        "human" => "edih-dma-human",
        "data" => "edih-dma-data",
        "automation" => "edih-dma-automation",
        "green" => "edih-dma-green",
        _ => return None,
    })
}

/// Businesses served by one support type (or all, `service: None`).
pub struct Served {
    pub service: Option<Service>,
    pub total: i64,
    pub by_size: Vec<Cell>,
    pub by_sector: Vec<Cell>,
    pub by_region: Vec<Cell>,
}

/// The NACE section (a letter) a sector code falls under.
fn section(parents: &HashMap<String, Option<String>>, code: &str) -> String {
    let mut code = code.to_string();
    for _ in 0..6 {
        match parents.get(&code).cloned().flatten() {
            Some(parent) => code = parent,
            None => break,
        }
    }
    code
}

/// The figures of the export under `filter` (its territory breakdown counted
/// by region).
pub async fn served(
    db: &Db,
    folded: &Folded,
    ctx: &PageCtx,
    mut filter: Filter,
) -> anyhow::Result<(Vec<Served>, Vec<Gain>)> {
    let tr = ctx.tr;
    filter.level = Some(TerritoryLevel::Region);
    let tz = dates::zone(&ctx.programme.timezone);
    let b = report::bounds(&filter, &tz);
    let terr = store::territories(db, tr.0).await?;
    let parents = store::sector_parents(db).await?;
    let mut groups: Vec<(Option<Service>, facts::Aware)> = vec![];
    {
        let mut facts = folded.snapshot(db).await?;
        let sieve = facts.sieve(&filter, b, &terr, &parents);
        groups.push((None, facts.aware(&ALL_SOURCES, &sieve, &[])));
        for s in Service::ALL {
            groups.push((Some(s), facts.aware(s.sources(), &sieve, &[])));
        }
    }
    let labels = Labels::load(db, tr, terr).await?;
    let served = groups
        .into_iter()
        .map(|(service, aware)| {
            let by = |d: Dimension| {
                aware
                    .breakdowns
                    .iter()
                    .find(|(x, _)| *x == d)
                    .map(|(_, rows)| rows.clone())
                    .unwrap_or_default()
            };
            let by_size = report::merged(
                by(Dimension::Size)
                    .into_iter()
                    .map(|(g, n)| (tr.t(size_class(g.as_deref())), n)),
            );
            let by_sector = report::merged(by(Dimension::Sector).into_iter().map(|(g, n)| {
                let label = match g {
                    Some(code) => {
                        let s = section(&parents, &code);
                        format!("{s} — {}", labels.sector(&s))
                    }
                    None => tr.t("ws-unknown"),
                };
                (label, n)
            }));
            let by_region = labels.cells(Dimension::Territory, true, by(Dimension::Territory));
            Served {
                service,
                total: aware.agg.distinct,
                by_size,
                by_sector,
                by_region,
            }
        })
        .collect();
    let gains = report::gains(db, &filter, b, tr).await?;
    Ok((served, gains))
}

fn text(s: impl Into<String>) -> xlsx::Cell {
    xlsx::Cell::Text(s.into())
}

/// A count, or "< 5" as text when hidden.
fn count(n: i64, hide_small: bool) -> xlsx::Cell {
    if hide_small && n > 0 && n < SMALL_CELL {
        text(cell(n, true))
    } else {
        xlsx::Cell::Number(n as f64)
    }
}

/// The two sheets: businesses served, and DMA T0/T1.
pub fn sheets(tr: Tr, served: &[Served], gains: &[Gain], hide_small: bool) -> Vec<Sheet> {
    let mut rows = vec![vec![
        text(tr.t("edih-col-service")),
        text(tr.t("edih-col-service-code")),
        text(tr.t("dash-col-breakdown")),
        text(tr.t("dash-col-group")),
        text(tr.t("edih-col-businesses")),
    ]];
    for s in served {
        let (name, code) = match s.service {
            Some(x) => (tr.t(x.label_key()), x.code()),
            None => (tr.t("edih-service-all"), "all"),
        };
        rows.push(vec![
            text(name.clone()),
            text(code),
            text(tr.t("edih-total")),
            text(""),
            count(s.total, hide_small),
        ]);
        for (key, cells) in [
            ("edih-by-size", &s.by_size),
            ("edih-by-sector", &s.by_sector),
            ("edih-by-region", &s.by_region),
        ] {
            for c in cells {
                rows.push(vec![
                    text(name.clone()),
                    text(code),
                    text(tr.t(key)),
                    text(c.label.clone()),
                    count(c.count, hide_small),
                ]);
            }
        }
    }
    let mut dma = vec![vec![
        text(tr.t("edih-col-dma")),
        text(tr.t("edih-col-bank-dimension")),
        text(tr.t("edih-col-businesses")),
        text("T0"),
        text("T1"),
        text(tr.t("edih-col-gain")),
    ]];
    for g in gains {
        let hidden = hide_small && g.businesses > 0 && g.businesses < SMALL_CELL;
        let score = |v: f64| {
            if hidden {
                xlsx::Cell::Empty
            } else {
                xlsx::Cell::Number((v * 10.0).round() / 10.0)
            }
        };
        dma.push(vec![
            text(tr.t(dma_dimension(&g.code).unwrap_or("edih-dma-none"))),
            text(g.dimension.clone()),
            count(g.businesses, hide_small),
            score(g.t0),
            score(g.t1),
            score(g.t1 - g.t0),
        ]);
    }
    vec![
        Sheet {
            name: tr.t("edih-sheet-served"),
            rows,
        },
        Sheet {
            name: tr.t("edih-sheet-dma"),
            rows: dma,
        },
    ]
}

/// `GET /tableau-de-bord/edih.xlsx`
pub async fn xlsx(
    State(db): State<Db>,
    State(folded): State<Folded>,
    ctx: PageCtx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (filter, _) = super::pages::filter_for(&db, &ctx, &q).await?;
    let (served, gains) = served(&db, &folded, &ctx, filter).await?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "edih.xlsx",
        xlsx::workbook(&sheets(ctx.tr, &served, &gains, hides_small(&ctx))),
    ))
}
