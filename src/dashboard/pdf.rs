//! The PDF report for a grant claim, with the current filters: period,
//! pace and targets, indicators with their rules, the charts (cumulative
//! against the target line, the funnel, bars per breakdown) each followed
//! or labelled by its figures, progress per dimension, budget and cost per
//! business.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::response::Response;

use super::exports::{build, download, pace_key, period};
use super::facts::Folded;
use super::model::{cell, Indicator, SMALL_CELL};
use super::pages::{show, show_value};
use super::report::Report;
use crate::db::Db;
use crate::i18n::Tr;
use crate::kernel::money::Euros;
use crate::kernel::pdf::{Doc, Rgb};
use crate::web::{AppError, PageCtx};

const BLACK: Rgb = (0.0, 0.0, 0.0);
const GREY: Rgb = (0.35, 0.35, 0.35);
const AXIS: Rgb = (0.33, 0.33, 0.33);
const BLUE: Rgb = (0.10, 0.31, 0.56);
const LIGHT: Rgb = (0.42, 0.65, 0.84);
/// Breakdown bars drawn per dimension; the rest stay in the exports.
const BARS_PER_BREAKDOWN: usize = 12;

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
    doc.heading(&title, 1, 18.0, BLACK);
    doc.paragraph(
        &tr.ts("dash-pdf-period", "period", &period(tr, &r)),
        11.0,
        false,
        BLACK,
        0.0,
    );
    pace_and_curve(&mut doc, tr, &r);
    targets(&mut doc, tr, &r);
    indicators(&mut doc, tr, &r);
    breakdowns(&mut doc, tr, &r);
    budget(&mut doc, tr, &r);
    notes(&mut doc, tr, &r);
    Ok(download("application/pdf", "rapport.pdf", doc.finish()))
}

/// The headline pace, then the cumulative curve against the target line
/// and its figures month by month.
fn pace_and_curve(doc: &mut Doc, tr: Tr, r: &Report) {
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
            BLACK,
            0.0,
        );
    }
    if r.timeline.is_empty() {
        return;
    }
    let height = 150.0;
    doc.space(8.0);
    doc.ensure(height + 60.0);
    doc.heading(&tr.t("dash-chart-timeline"), 2, 14.0, BLACK);
    let top = doc.y - 10.0;
    let bottom = top - height;
    let left = doc.left() + 36.0;
    let right = doc.left() + doc.width();
    let max = r
        .timeline
        .iter()
        .filter_map(|m| m.reached)
        .chain(r.timeline.iter().map(|m| m.expected))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let n = r.timeline.len() as f64;
    let x = |i: usize| left + (right - left) * (i as f64 + 1.0) / n;
    let y = |v: i64| bottom + (top - bottom) * v as f64 / max;
    doc.line(left, bottom, right, bottom, AXIS, 0.8);
    doc.line(left, bottom, left, top, AXIS, 0.8);
    for v in [0, (max / 2.0).round() as i64, max as i64] {
        let label = v.to_string();
        let w = crate::kernel::pdf::text_width(&label, 8.0, false);
        doc.text_at(left - 4.0 - w, y(v) - 3.0, &label, 8.0, false, GREY);
    }
    let expected: Vec<(f64, f64)> = std::iter::once((left, bottom))
        .chain(
            r.timeline
                .iter()
                .enumerate()
                .map(|(i, m)| (x(i), y(m.expected))),
        )
        .collect();
    doc.polyline(&expected, GREY, 1.2, true);
    let reached: Vec<(f64, f64)> = std::iter::once((left, bottom))
        .chain(
            r.timeline
                .iter()
                .enumerate()
                .filter_map(|(i, m)| m.reached.map(|v| (x(i), y(v)))),
        )
        .collect();
    doc.polyline(&reached, BLUE, 2.0, false);
    let first = &r.timeline[0].label;
    let last = &r.timeline[r.timeline.len() - 1].label;
    doc.text_at(left, bottom - 12.0, first, 8.0, false, GREY);
    let w = crate::kernel::pdf::text_width(last, 8.0, false);
    doc.text_at(right - w, bottom - 12.0, last, 8.0, false, GREY);
    // Legend.
    let ly = bottom - 28.0;
    doc.line(left, ly + 3.0, left + 18.0, ly + 3.0, BLUE, 2.0);
    let reached_label = tr.t("dash-legend-reached");
    doc.text_at(left + 22.0, ly, &reached_label, 9.0, false, BLACK);
    let lx = left + 40.0 + crate::kernel::pdf::text_width(&reached_label, 9.0, false);
    doc.polyline(&[(lx, ly + 3.0), (lx + 18.0, ly + 3.0)], GREY, 1.2, true);
    doc.text_at(
        lx + 22.0,
        ly,
        &tr.t("dash-legend-target"),
        9.0,
        false,
        BLACK,
    );
    doc.y = ly - 6.0;
    // Its figures, three months a line: month, reached, expected.
    let cells: Vec<String> = r
        .timeline
        .iter()
        .map(|m| {
            format!(
                "{} : {} / {}",
                m.label,
                m.reached
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "—".into()),
                m.expected
            )
        })
        .collect();
    doc.paragraph(
        &format!(
            "{} / {}",
            tr.t("dash-legend-reached"),
            tr.t("dash-legend-target")
        ),
        8.5,
        true,
        GREY,
        0.0,
    );
    for chunk in cells.chunks(3) {
        doc.paragraph(&chunk.join("   ·   "), 8.5, false, GREY, 0.0);
    }
}

/// Every target set: reached across all periods, expected by today, pace.
fn targets(doc: &mut Doc, tr: Tr, r: &Report) {
    let all = r.all_targets();
    if all.is_empty() {
        return;
    }
    doc.space(8.0);
    doc.heading(&tr.t("dash-targets-title"), 2, 14.0, BLACK);
    for t in &all {
        let i = t.indicator;
        let (expected, status) = match &t.pace {
            Some(p) => (show_value(tr, i, p.expected as f64), tr.t(pace_key(p))),
            None => ("—".to_string(), tr.t("dash-target-no-period")),
        };
        doc.paragraph(
            &format!(
                "{} : {} / {}",
                tr.t(i.label_key()),
                show_value(tr, i, t.reached),
                show_value(tr, i, t.target as f64)
            ),
            10.5,
            true,
            BLACK,
            0.0,
        );
        doc.paragraph(
            &format!(
                "{} : {} — {} : {status}",
                tr.t("dash-target-expected"),
                expected,
                tr.t("dash-target-status")
            ),
            9.0,
            false,
            GREY,
            12.0,
        );
    }
}

/// One horizontal bar per row: label, bar, value as shown. A hidden value
/// (a cell under five businesses) has no bar and says so.
fn bars(doc: &mut Doc, rows: &[(String, Option<f64>, String)]) {
    let max = rows
        .iter()
        .filter_map(|r| r.1)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let label_w = 170.0;
    let value_w = 70.0;
    let x0 = doc.left() + label_w;
    let span = doc.width() - label_w - value_w;
    for (label, value, shown) in rows {
        doc.ensure(16.0);
        doc.y -= 15.0;
        let y = doc.y;
        let label = crate::kernel::pdf::fit(label, 9.0, false, label_w - 8.0);
        doc.text_at(doc.left(), y, &label, 9.0, false, BLACK);
        let len = value.map(|v| span * v / max).unwrap_or(0.0);
        if len > 0.0 {
            doc.polygon(
                &[
                    (x0, y - 2.0),
                    (x0 + len, y - 2.0),
                    (x0 + len, y + 8.0),
                    (x0, y + 8.0),
                ],
                BLUE,
                Some(LIGHT),
                0.5,
                false,
            );
        }
        doc.text_at(x0 + len + 4.0, y, shown, 9.0, true, BLACK);
    }
}

/// The funnel as bars, then each indicator with its rule.
fn indicators(doc: &mut Doc, tr: Tr, r: &Report) {
    doc.space(8.0);
    doc.ensure(150.0);
    doc.heading(&tr.t("dash-pdf-indicators"), 2, 14.0, BLACK);
    doc.heading(&tr.t("dash-chart-funnel"), 3, 12.0, BLACK);
    let funnel: Vec<(String, Option<f64>, String)> = Indicator::FUNNEL
        .iter()
        .filter_map(|i| r.figure(*i))
        .map(|f| (tr.t(f.indicator.label_key()), Some(f.value), show(tr, f)))
        .collect();
    bars(doc, &funnel);
    doc.space(8.0);
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
            BLACK,
            0.0,
        );
        doc.paragraph(&tr.t(&f.indicator.rule_key()), 9.0, false, GREY, 12.0);
    }
    if !r.gains.is_empty() {
        doc.space(8.0);
        doc.heading(&tr.t("dash-progress-title"), 2, 14.0, BLACK);
        for g in &r.gains {
            doc.paragraph(
                &format!("{} : {:.1} → {:.1}", g.dimension, g.t0, g.t1),
                10.0,
                false,
                BLACK,
                0.0,
            );
        }
    }
}

/// Each breakdown as bars of its largest groups (small cells hidden from
/// funders and partners, as on the page).
fn breakdowns(doc: &mut Doc, tr: Tr, r: &Report) {
    doc.space(8.0);
    doc.heading(&tr.t("dash-pdf-breakdowns"), 2, 14.0, BLACK);
    for (d, cells) in &r.breakdowns {
        if cells.is_empty() {
            continue;
        }
        doc.ensure(60.0);
        doc.heading(&tr.t(d.label_key()), 3, 12.0, BLACK);
        let rows: Vec<(String, Option<f64>, String)> = cells
            .iter()
            .take(BARS_PER_BREAKDOWN)
            .map(|c| {
                let hidden = r.hide_small && c.count > 0 && c.count < SMALL_CELL;
                (
                    c.label.clone(),
                    (!hidden).then_some(c.count as f64),
                    cell(c.count, r.hide_small),
                )
            })
            .collect();
        bars(doc, &rows);
        if cells.len() > BARS_PER_BREAKDOWN {
            doc.paragraph(
                &tr.ts(
                    "dash-pdf-more-groups",
                    "n",
                    &(cells.len() - BARS_PER_BREAKDOWN).to_string(),
                ),
                8.5,
                false,
                GREY,
                0.0,
            );
        }
    }
}

/// Budget lines, totals, funding shares and cost per business.
fn budget(doc: &mut Doc, tr: Tr, r: &Report) {
    doc.space(8.0);
    doc.heading(&tr.t("dash-budget-title"), 2, 14.0, BLACK);
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
            BLACK,
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
        BLACK,
        0.0,
    );
    for (s, a) in r.shares() {
        doc.paragraph(
            &format!("{} : {}", tr.t(s.label_key()), a.format(l)),
            10.0,
            false,
            BLACK,
            0.0,
        );
    }
    doc.heading(&tr.t("dash-cost-title"), 3, 12.0, BLACK);
    for (i, p, s) in &r.costs {
        let m = |x: &Option<i64>| x.map(|c| Euros(c).format(l)).unwrap_or_else(|| "—".into());
        doc.paragraph(
            &format!("{} : {} / {}", tr.t(i.label_key()), m(p), m(s)),
            10.0,
            false,
            BLACK,
            0.0,
        );
    }
}

/// The manager's notes, paragraph by paragraph (a blank line between two).
fn notes(doc: &mut Doc, tr: Tr, r: &Report) {
    let text = r.settings.report_notes.trim();
    if text.is_empty() {
        return;
    }
    doc.space(8.0);
    doc.heading(&tr.t("dash-pdf-notes"), 2, 14.0, BLACK);
    let text = text.replace("\r\n", "\n");
    for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        doc.paragraph(&para.replace('\n', " "), 10.0, false, BLACK, 0.0);
        doc.space(4.0);
    }
}
