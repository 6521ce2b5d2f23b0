//! Exports of the dashboard with the current filters: the indicators as CSV
//! and XLSX (labelled columns, numbers as numbers), and a PDF report for a
//! grant claim (period, indicators, breakdowns, budget).

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::facts::Folded;
use super::model::{cell, Filter, Indicator};
use super::pages::{hides_small, show};
use super::report::{self, Report};
use crate::db::Db;
use crate::i18n::Tr;
use crate::kernel::dates::short_date;
use crate::kernel::pdf::Doc;
use crate::web::{AppError, PageCtx};
use crate::xlsx::{self, Cell, Sheet};

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// The period shown: the filter's, else the programme's.
fn period(tr: Tr, r: &Report) -> String {
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
    ]];
    let p = period(tr, r);
    for f in &r.figures {
        rows.push(vec![
            text(f.indicator.code()),
            text(tr.t(f.indicator.label_key())),
            Cell::Number((f.value * 100.0).round() / 100.0),
            text(tr.t(f.indicator.unit().label_key())),
            f.percent()
                .map(|x| Cell::Number(x as f64))
                .unwrap_or(Cell::Empty),
            text(tr.t(&f.indicator.rule_key())),
            text(p.clone()),
        ]);
    }
    rows
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

async fn build(
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
        Filter::parse(q),
        hides_small(ctx),
    )
    .await?)
}

fn download(content_type: &'static str, name: &'static str, body: Vec<u8>) -> Response {
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

/// `GET /tableau-de-bord/rapport.pdf`
pub async fn pdf(
    State(db): State<Db>,
    State(folded): State<Folded>,
    ctx: PageCtx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let r = build(&db, &folded, &ctx, &q).await?;
    let tr = ctx.tr;
    let title = tr.ts("dash-pdf-title", "programme", &ctx.programme.name);
    let mut doc = Doc::new(&title);
    doc.set_meta(&title, tr.lang());
    let black = (0.0, 0.0, 0.0);
    let grey = (0.35, 0.35, 0.35);
    doc.heading(&title, 1, 18.0, black);
    doc.paragraph(
        &tr.ts("dash-pdf-period", "period", &period(tr, &r)),
        11.0,
        false,
        black,
        0.0,
    );
    if let Some(p) = &r.pace {
        let reached = r.timeline.iter().rev().find_map(|m| m.reached).unwrap_or(0);
        doc.paragraph(
            &tr.args(
                if p.on_track {
                    "dash-pace-on-track"
                } else {
                    "dash-pace-behind"
                },
                &[
                    ("reached", &reached.to_string()),
                    ("target", &r.settings.target_aware.to_string()),
                    ("month", &p.month.to_string()),
                    ("months", &p.months.to_string()),
                    ("expected", &p.expected.to_string()),
                ],
            ),
            11.0,
            true,
            black,
            0.0,
        );
    }
    doc.space(8.0);
    doc.heading(&tr.t("dash-pdf-indicators"), 2, 14.0, black);
    for f in &r.figures {
        let share = f
            .percent()
            .filter(|_| f.indicator != Indicator::Aware)
            .map(|p| format!(" ({p} %)"))
            .unwrap_or_default();
        doc.paragraph(
            &format!("{} : {}{share}", tr.t(f.indicator.label_key()), show(tr, f)),
            11.0,
            true,
            black,
            0.0,
        );
        doc.paragraph(&tr.t(&f.indicator.rule_key()), 9.0, false, grey, 12.0);
    }
    if !r.gains.is_empty() {
        doc.space(8.0);
        doc.heading(&tr.t("dash-progress-title"), 2, 14.0, black);
        for g in &r.gains {
            doc.paragraph(
                &format!("{} : {:.1} → {:.1}", g.dimension, g.t0, g.t1),
                10.0,
                false,
                black,
                0.0,
            );
        }
    }
    doc.space(8.0);
    doc.heading(&tr.t("dash-pdf-breakdowns"), 2, 14.0, black);
    for (d, cells) in &r.breakdowns {
        doc.heading(&tr.t(d.label_key()), 3, 12.0, black);
        for c in cells.iter().take(20) {
            doc.paragraph(
                &format!("{} : {}", c.label, cell(c.count, r.hide_small)),
                10.0,
                false,
                black,
                8.0,
            );
        }
    }
    doc.space(8.0);
    doc.heading(&tr.t("dash-budget-title"), 2, 14.0, black);
    let l = tr.0;
    for line in &r.budget {
        doc.paragraph(
            &format!(
                "{} — {} : {} / {}",
                tr.t(line.category.label_key()),
                line.label,
                line.planned.format(l),
                line.spent.format(l)
            ),
            10.0,
            false,
            black,
            0.0,
        );
    }
    doc.paragraph(
        &format!(
            "{} : {} / {}",
            tr.t("dash-budget-total"),
            r.planned_total.format(l),
            r.spent_total.format(l)
        ),
        11.0,
        true,
        black,
        0.0,
    );
    for (s, a) in r.shares() {
        doc.paragraph(
            &format!("{} : {}", tr.t(s.label_key()), a.format(l)),
            10.0,
            false,
            black,
            0.0,
        );
    }
    doc.heading(&tr.t("dash-cost-title"), 3, 12.0, black);
    for (i, p, s) in &r.costs {
        let m = |x: &Option<i64>| {
            x.map(|c| crate::kernel::money::Euros(c).format(l))
                .unwrap_or_else(|| "—".into())
        };
        doc.paragraph(
            &format!("{} : {} / {}", tr.t(i.label_key()), m(p), m(s)),
            10.0,
            false,
            black,
            0.0,
        );
    }
    Ok(download("application/pdf", "rapport.pdf", doc.finish()))
}
