//! Exports: one diagnostic as CSV, JSON or a PDF report, and the
//! programme's CSV of every submitted diagnostic (for its manager).

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::bank::{Bank, DIMENSIONS};
use super::model::{Guidance, Level, Mode, Status};
use super::pages::{base, go_to, load};
use super::pdf::{self, Doc};
use super::results::{compute, theme_titles, Computed};
use super::scoring::Scores;
use super::store::{self, Diagnostic};
use crate::business::model::Business;
use crate::csvio::cell;
use crate::db::Db;
use crate::i18n::{Locale, Tr};
use crate::kernel::dates;
use crate::state::AppState;
use crate::web::{AppError, PageCtx};

/// A file download: its type and `Content-Disposition`.
fn attachment(
    content_type: &'static str,
    disposition: &'static str,
    body: impl IntoResponse,
) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

/// A score with one decimal, empty when there is none (CSV).
fn num(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.1}")).unwrap_or_default()
}

/// One diagnostic as JSON: mode, status, scores, answers and plan.
pub async fn export_json(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let (d, bank) = load(&state.db, &token).await?;
    let responses = store::responses(&state.db, d.id).await?;
    let c = compute(&state.db, &state.diagnostic, &d, &bank).await?;
    let body = serde_json::json!({
        "bank_version": d.bank_version,
        "mode": d.mode.code(),
        "status": d.status.code(),
        "assisted": d.is_assisted(),
        "submitted_at": d.submitted_at,
        "overall": c.scores.overall,
        "level": c.scores.overall.map(|o| Level::of(o).code()),
        "dimensions": c.scores.dimensions.iter().map(|(k, v)| serde_json::json!({"dimension": k, "score": v})).collect::<Vec<_>>(),
        "answers": responses,
        "plan": c.plan,
    });
    Ok(attachment(
        "application/json",
        "attachment; filename=\"diagnostic.json\"",
        serde_json::to_string_pretty(&body).unwrap_or_default(),
    ))
}

/// One diagnostic as CSV: bank version, scores per dimension, plan in order.
pub async fn export_csv(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let (d, bank) = load(&state.db, &token).await?;
    let c = compute(&state.db, &state.diagnostic, &d, &bank).await?;
    let tr = ctx.tr;
    let locale = tr.0;
    let mut out = String::from("\u{FEFF}section;code;label;value\r\n");
    out.push_str(&format!("meta;bank_version;;{}\r\n", cell(&d.bank_version)));
    out.push_str(&format!(
        "score;overall;{};{}\r\n",
        cell(&tr.t("diag-overall")),
        num(c.scores.overall)
    ));
    for dim in &bank.dimensions {
        out.push_str(&format!(
            "score;{};{};{}\r\n",
            dim.code,
            cell(dim.title(locale)),
            num(c.scores.of(&dim.code))
        ));
    }
    for (i, p) in c.plan.iter().enumerate() {
        let title = bank.step(&p.code).map(|s| s.title(locale)).unwrap_or("");
        out.push_str(&format!("plan;{};{};{}\r\n", p.code, cell(title), i + 1));
    }
    Ok(attachment(
        "text/csv; charset=utf-8",
        "attachment; filename=\"diagnostic.csv\"",
        out,
    ))
}

/// Every submitted diagnostic of the programme with its profile and scores;
/// the submission time on the programme's clock.
pub async fn programme_csv(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let rows = store::submitted_for_export(&db).await?;
    let zone = dates::zone(&ctx.programme.timezone);
    let mut out = String::from("\u{FEFF}id;business_id;bank_version;mode;assisted;sector_code;size_band;territory_code;submitted_at;overall");
    for d in DIMENSIONS {
        out.push(';');
        out.push_str(d);
    }
    out.push_str("\r\n");
    for r in rows {
        let scores: Option<Scores> = r.scores_json.and_then(|j| serde_json::from_str(&j).ok());
        let mut line = vec![
            r.id.to_string(),
            r.business_id.map(|b| b.to_string()).unwrap_or_default(),
            cell(&r.bank_version),
            Mode::from_code(&r.mode).code().to_string(),
            Guidance::from_flag(r.assisted).flag().to_string(),
            r.sector_code.unwrap_or_default(),
            r.size_band.unwrap_or_default(),
            r.territory_code.unwrap_or_default(),
            r.submitted_at
                .map(|t| dates::date_time(Locale::Fr, &zone, t))
                .unwrap_or_default(),
            num(scores.as_ref().and_then(|s| s.overall)),
        ];
        for d in DIMENSIONS {
            line.push(num(scores.as_ref().and_then(|s| s.of(d))));
        }
        out.push_str(&line.join(";"));
        out.push_str("\r\n");
    }
    Ok(attachment(
        "text/csv; charset=utf-8",
        "attachment; filename=\"diagnostics.csv\"",
        out,
    ))
}

/// A colour of the report (red, green, blue, 0–1).
type Rgb = (f64, f64, f64);

/// Text colours of the report.
const INK: Rgb = (0.1, 0.12, 0.14);
const MUTED: Rgb = (0.35, 0.38, 0.42);
const BRAND: Rgb = (0.043, 0.365, 0.478);
/// Grid lines.
const GRID: Rgb = (0.78, 0.8, 0.84);

/// The PDF report: scores, radar, plan, date and bank version.
pub async fn report_pdf(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let (d, bank) = load(&state.db, &token).await?;
    if d.status != Status::Submitted {
        return go_to(&format!("{}/recapitulatif", base(&token)));
    }
    let c = compute(&state.db, &state.diagnostic, &d, &bank).await?;
    let business = match d.business_id {
        Some(id) => crate::business::store::get(&state.db, id).await?,
        None => None,
    };
    let themes = theme_titles(&state.db, &state.diagnostic, ctx.tr.0).await?;
    let tr = ctx.tr;
    // The document's own title and language (read by screen readers and
    // shown by PDF viewers) name the business when there is one.
    let title = match &business {
        Some(b) => format!(
            "{} · {} ({})",
            tr.t("diag-title"),
            b.name,
            b.legal_id_display
        ),
        None => format!("{} · {}", ctx.programme.name, tr.t("diag-title")),
    };
    let mut doc = Doc::new(&format!("{} · {}", ctx.programme.name, tr.t("diag-title")));
    doc.set_meta(&title, ctx.lang());
    report_header(&mut doc, &ctx, &d, business.as_ref(), &c);
    report_radar(&mut doc, tr, &bank, &c);
    report_scores(&mut doc, tr, &bank, &c);
    let plan_themes: std::collections::BTreeSet<String> = c
        .plan
        .iter()
        .filter_map(|p| bank.step(&p.code).map(|s| s.theme.clone()))
        .collect();
    let timezone = &ctx.programme.timezone;
    let helps = super::helps::load(&state, &d, &plan_themes, tr, timezone).await?;
    report_plan(&mut doc, tr, &bank, &c, &themes, &helps);
    Ok(attachment(
        "application/pdf",
        "attachment; filename=\"diagnostic.pdf\"",
        doc.finish(),
    ))
}

/// Title, programme, business, date, bank version, mode, overall score and level.
fn report_header(
    doc: &mut Doc,
    ctx: &PageCtx,
    d: &Diagnostic,
    business: Option<&Business>,
    c: &Computed,
) {
    let tr = ctx.tr;
    doc.paragraph(&tr.t("diag-title"), 20.0, true, BRAND, 0.0);
    doc.paragraph(&ctx.programme.name, 11.0, false, MUTED, 0.0);
    if let Some(b) = business {
        doc.space(6.0);
        doc.paragraph(
            &format!("{} — {}", b.name, b.legal_id_display),
            12.0,
            true,
            INK,
            0.0,
        );
    }
    let mut meta = format!(
        "{} · {}",
        ctx.datetime(d.taken_at()),
        tr.ts("diag-bank-version", "version", &d.bank_version)
    );
    meta.push_str(&format!(" · {}", tr.t(d.mode.label_key())));
    if d.is_assisted() {
        meta.push_str(&format!(" · {}", tr.t(d.guidance.label_key())));
    }
    doc.paragraph(&meta, 9.5, false, MUTED, 0.0);
    doc.space(10.0);
    let overall = c
        .scores
        .overall
        .map(|o| format!("{o:.0} / 100"))
        .unwrap_or_else(|| "—".into());
    doc.paragraph(
        &format!("{} : {overall}", tr.t("diag-overall")),
        16.0,
        true,
        INK,
        0.0,
    );
    if let Some(o) = c.scores.overall {
        let level = Level::of(o);
        doc.paragraph(&tr.t(level.label_key()), 12.0, true, BRAND, 0.0);
        doc.paragraph(&tr.t(level.body_key()), 10.5, false, INK, 0.0);
    }
}

/// The radar: rings, axes, the group's medians, the scores and the dimension labels.
fn report_radar(doc: &mut Doc, tr: Tr, bank: &Bank, c: &Computed) {
    doc.ensure(260.0);
    let (cx, cy, r) = (doc.left() + doc.width() / 2.0, doc.y - 130.0, 85.0);
    let n = bank.dimensions.len();
    let at = |i: usize, v: f64| {
        let a = std::f64::consts::FRAC_PI_2 - i as f64 * 2.0 * std::f64::consts::PI / n as f64;
        let k = v.clamp(0.0, 100.0) / 100.0 * r;
        (cx + k * a.cos(), cy + k * a.sin())
    };
    for ring in [25.0, 50.0, 75.0, 100.0] {
        let pts: Vec<(f64, f64)> = (0..n).map(|i| at(i, ring)).collect();
        doc.polygon(&pts, GRID, None, 0.6, false);
    }
    for i in 0..n {
        let (x, y) = at(i, 100.0);
        doc.line(cx, cy, x, y, GRID, 0.6);
    }
    if let Some(b) = &c.benchmark {
        let pts: Vec<(f64, f64)> = bank
            .dimensions
            .iter()
            .enumerate()
            .map(|(i, dim)| at(i, b.of_dimension(&dim.code).map_or(0.0, |q| q.median)))
            .collect();
        doc.polygon(&pts, MUTED, None, 1.2, true);
    }
    let pts: Vec<(f64, f64)> = bank
        .dimensions
        .iter()
        .enumerate()
        .map(|(i, dim)| at(i, c.scores.of(&dim.code).unwrap_or(0.0)))
        .collect();
    doc.polygon(&pts, BRAND, Some((0.75, 0.85, 0.9)), 1.8, false);
    for (i, dim) in bank.dimensions.iter().enumerate() {
        let (x, y) = at(i, 122.0);
        let lines = pdf::wrap(dim.title(tr.0), 8.0, false, 95.0);
        let height = (lines.len() as f64 - 1.0) * 10.0;
        // Above the chart the label sits on the axis end; below it hangs under it.
        let top = if y > cy + r * 0.9 {
            y + height
        } else if y < cy - r * 0.9 {
            y - 6.0
        } else {
            y + height / 2.0
        };
        for (k, line) in lines.iter().enumerate() {
            let w = line.chars().count() as f64 * 4.1;
            let lx = if (x - cx).abs() < 5.0 {
                x - w / 2.0
            } else if x > cx {
                x
            } else {
                x - w
            };
            doc.text_at(lx, top - k as f64 * 10.0, line, 8.0, false, INK);
        }
    }
    doc.y = cy - r - 45.0;
}

/// The scores table, with the group's median beside each score.
fn report_scores(doc: &mut Doc, tr: Tr, bank: &Bank, c: &Computed) {
    doc.paragraph(&tr.t("diag-table-caption"), 12.0, true, INK, 0.0);
    if let Some(b) = &c.benchmark {
        doc.paragraph(
            &format!(
                "{} {}",
                tr.ts("diag-benchmark-group", "group", &tr.t(b.group.label_key())),
                tr.tn("diag-benchmark-size", "count", b.size as i64)
            ),
            9.0,
            false,
            MUTED,
            0.0,
        );
    }
    for dim in &bank.dimensions {
        doc.ensure(16.0);
        doc.space(15.0);
        let y = doc.y;
        let x = doc.left();
        doc.text_at(x, y, dim.title(tr.0), 10.5, false, INK);
        let score = c
            .scores
            .of(&dim.code)
            .map(|v| format!("{v:.0}"))
            .unwrap_or_else(|| "—".into());
        doc.text_at(x + 330.0, y, &score, 10.5, true, INK);
        if let Some(q) = c.benchmark.as_ref().and_then(|b| b.of_dimension(&dim.code)) {
            doc.text_at(
                x + 380.0,
                y,
                &format!("{} {:.0}", tr.t("diag-median"), q.median),
                9.5,
                false,
                MUTED,
            );
        }
        doc.line(x, y - 4.0, x + doc.width(), y - 4.0, (0.85, 0.87, 0.9), 0.4);
    }
}

/// The ordered plan: each step's title, theme and body.
fn report_plan(
    doc: &mut Doc,
    tr: Tr,
    bank: &Bank,
    c: &Computed,
    themes: &std::collections::HashMap<String, String>,
    helps: &std::collections::HashMap<String, super::helps::StepHelps>,
) {
    let locale = tr.0;
    doc.space(16.0);
    doc.ensure(60.0);
    doc.paragraph(&tr.t("diag-plan-title"), 14.0, true, BRAND, 0.0);
    if c.plan.is_empty() {
        doc.paragraph(&tr.t("diag-plan-empty"), 10.5, false, INK, 0.0);
    } else {
        doc.paragraph(&tr.t("diag-plan-intro"), 10.0, false, MUTED, 0.0);
    }
    for (i, p) in c.plan.iter().enumerate() {
        let Some(step) = bank.step(&p.code) else {
            continue;
        };
        doc.ensure(70.0);
        doc.space(6.0);
        doc.paragraph(
            &format!("{}. {}", i + 1, step.title(locale)),
            11.5,
            true,
            INK,
            0.0,
        );
        let theme = themes
            .get(&step.theme)
            .cloned()
            .unwrap_or_else(|| step.theme.clone());
        doc.paragraph(
            &tr.ts("diag-step-theme", "theme", &theme),
            9.0,
            false,
            MUTED,
            14.0,
        );
        doc.paragraph(step.body(locale), 10.0, false, INK, 14.0);
        // The same links as the results page, as text.
        let h = helps.get(&step.theme).cloned().unwrap_or_default();
        let kinds = [
            ("diag-help-workshops", &h.workshops),
            ("diag-help-guides", &h.guides),
            ("diag-help-funding", &h.schemes),
            ("diag-help-providers", &h.providers),
        ];
        for (key, list) in kinds {
            if list.is_empty() {
                continue;
            }
            let items: Vec<String> = list
                .iter()
                .map(|x| {
                    if x.note.is_empty() {
                        format!("{} ({})", x.label, x.href)
                    } else {
                        format!("{} — {} ({})", x.label, x.note, x.href)
                    }
                })
                .collect();
            doc.paragraph(
                &format!("{} : {}", tr.t(key), items.join(" ; ")),
                9.0,
                false,
                MUTED,
                14.0,
            );
        }
        for (_, href, text) in h.instead(tr, &step.theme) {
            doc.paragraph(&format!("{text} ({href})"), 9.0, false, MUTED, 14.0);
        }
    }
}
