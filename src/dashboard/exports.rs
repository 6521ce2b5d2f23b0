//! Exports of the dashboard with the current filters: the indicators as CSV
//! and XLSX (labelled columns, numbers as numbers, targets beside their
//! indicator); the PDF report is in `pdf.rs`.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::facts::Folded;
use super::model::{cell, Pace};
use super::pages::hides_small;
use super::report::{self, Report, Target};
use crate::db::Db;
use crate::i18n::Tr;
use crate::kernel::dates::short_date;
use crate::web::{AppError, PageCtx};
use crate::xlsx::{self, Cell, Sheet};

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// The period shown: the filter's, else the programme's.
pub(super) fn period(tr: Tr, r: &Report) -> String {
    let d = |x: Option<jiff::civil::Date>, stored: &Option<String>| {
        x.or_else(|| stored.as_deref().and_then(crate::kernel::dates::parse_date))
            .map(|d| short_date(tr.0, d))
            .unwrap_or_else(|| "…".into())
    };
    format!(
        "{} – {}",
        d(r.filter.from, &r.settings.start_date),
        d(r.filter.to, &r.settings.end_date)
    )
}

/// The indicators sheet: code, label, value, unit, share of made aware, rule.
fn indicator_rows(tr: Tr, r: &Report) -> Vec<Vec<Cell>> {
    let mut rows = vec![vec![
        text(tr.t("dash-col-code")),
        text(tr.t("dash-indicator")),
        text(tr.t("dash-value")),
        text(tr.t("dash-col-unit")),
        text(tr.t("dash-share-of-aware")),
        text(tr.t("dash-rule")),
        text(tr.t("dash-col-period")),
        text(tr.t("dash-target")),
        text(tr.t("dash-target-reached")),
        text(tr.t("dash-target-expected")),
        text(tr.t("dash-target-status")),
    ]];
    let p = period(tr, r);
    let targets = r.all_targets();
    for f in &r.figures {
        let target = targets.iter().find(|t| t.indicator == f.indicator);
        let mut row = vec![
            text(f.indicator.code()),
            text(tr.t(f.indicator.label_key())),
            Cell::Number((f.value * 100.0).round() / 100.0),
            text(tr.t(f.indicator.unit().label_key())),
            f.percent()
                .map(|x| Cell::Number(x as f64))
                .unwrap_or(Cell::Empty),
            text(tr.t(&f.indicator.rule_key())),
            text(p.clone()),
        ];
        row.extend(target_cells(tr, target));
        rows.push(row);
    }
    rows
}

/// A target's four cells: target, reached across all periods, expected by
/// today on the straight line, and the pace in words (empty without target).
fn target_cells(tr: Tr, t: Option<&Target>) -> [Cell; 4] {
    let Some(t) = t else {
        return [Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty];
    };
    let num = |v: f64| Cell::Number((v * 100.0).round() / 100.0);
    match &t.pace {
        Some(p) => [
            num(t.target as f64),
            num(t.reached),
            num(p.expected as f64),
            text(tr.t(pace_key(p))),
        ],
        None => [
            num(t.target as f64),
            num(t.reached),
            Cell::Empty,
            text(tr.t("dash-target-no-period")),
        ],
    }
}

/// The words of a pace: on track or behind.
pub fn pace_key(p: &Pace) -> &'static str {
    if p.on_track {
        "dash-target-on-track"
    } else {
        "dash-target-behind"
    }
}

fn sheets(tr: Tr, r: &Report) -> Vec<Sheet> {
    let mut breakdown = vec![vec![
        text(tr.t("dash-col-breakdown")),
        text(tr.t("dash-col-group")),
        text(tr.t("ws-dashboard-aware")),
    ]];
    for (d, cells) in &r.breakdowns {
        for c in cells {
            let hidden = r.hide_small && c.count > 0 && c.count < super::model::SMALL_CELL;
            breakdown.push(vec![
                text(tr.t(d.label_key())),
                text(c.label.clone()),
                if hidden {
                    text(cell(c.count, true))
                } else {
                    Cell::Number(c.count as f64)
                },
            ]);
        }
    }
    let mut timeline = vec![vec![
        text(tr.t("dash-month")),
        text(tr.t("dash-legend-reached")),
        text(tr.t("dash-legend-target")),
    ]];
    for m in &r.timeline {
        timeline.push(vec![
            text(m.label.clone()),
            m.reached
                .map(|v| Cell::Number(v as f64))
                .unwrap_or(Cell::Empty),
            Cell::Number(m.expected as f64),
        ]);
    }
    let mut budget = vec![vec![
        text(tr.t("dash-budget-category")),
        text(tr.t("dash-budget-label")),
        text(tr.t("dash-budget-planned")),
        text(tr.t("dash-budget-spent")),
    ]];
    for l in &r.budget {
        budget.push(vec![
            text(tr.t(l.category.label_key())),
            text(l.label.clone()),
            Cell::Number(l.planned.cents() as f64 / 100.0),
            Cell::Number(l.spent.cents() as f64 / 100.0),
        ]);
    }
    for (s, a) in r.shares() {
        budget.push(vec![
            text(tr.t("dash-shares-title")),
            text(tr.t(s.label_key())),
            Cell::Number(a.cents() as f64 / 100.0),
            Cell::Empty,
        ]);
    }
    for (i, p, s) in &r.costs {
        budget.push(vec![
            text(tr.t("dash-cost-title")),
            text(tr.t(i.label_key())),
            p.map(|x| Cell::Number(x as f64 / 100.0))
                .unwrap_or(Cell::Empty),
            s.map(|x| Cell::Number(x as f64 / 100.0))
                .unwrap_or(Cell::Empty),
        ]);
    }
    vec![
        Sheet {
            name: tr.t("dash-sheet-indicators"),
            rows: indicator_rows(tr, r),
        },
        Sheet {
            name: tr.t("dash-sheet-breakdowns"),
            rows: breakdown,
        },
        Sheet {
            name: tr.t("dash-sheet-timeline"),
            rows: timeline,
        },
        Sheet {
            name: tr.t("dash-budget-title"),
            rows: budget,
        },
    ]
}

pub(super) async fn build(
    db: &Db,
    folded: &Folded,
    ctx: &PageCtx,
    q: &HashMap<String, String>,
) -> Result<Report, AppError> {
    Ok(report::build(
        db,
        folded,
        &ctx.programme,
        ctx.tr,
        super::pages::filter_for(db, ctx, q).await?.0,
        hides_small(ctx),
    )
    .await?)
}

pub(super) fn download(content_type: &'static str, name: &'static str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /tableau-de-bord/indicateurs.csv`
pub async fn csv(
    State(db): State<Db>,
    State(folded): State<Folded>,
    ctx: PageCtx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let r = build(&db, &folded, &ctx, &q).await?;
    let mut out = String::from("\u{FEFF}");
    for row in indicator_rows(ctx.tr, &r) {
        let line: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Text(s) => crate::csvio::cell(s),
                other => other.plain(),
            })
            .collect();
        out.push_str(&line.join(";"));
        out.push_str("\r\n");
    }
    Ok(download(
        "text/csv; charset=utf-8",
        "indicateurs.csv",
        out.into_bytes(),
    ))
}

/// `GET /tableau-de-bord/indicateurs.xlsx`
pub async fn xlsx(
    State(db): State<Db>,
    State(folded): State<Folded>,
    ctx: PageCtx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let r = build(&db, &folded, &ctx, &q).await?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "indicateurs.xlsx",
        xlsx::workbook(&sheets(ctx.tr, &r)),
    ))
}
