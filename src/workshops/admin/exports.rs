//! Exports for managers and funders: sessions with attendance, and
//! registrations, as CSV (semicolons, BOM for spreadsheet software) or XLSX.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::i18n::Tr;
use crate::kernel::bilingual::Bilingual;
use crate::kernel::dates;
use crate::state::AppState;
use crate::web::{AppError, PageCtx};
use crate::workshops::model::RegistrationStatus;
use crate::workshops::store::{self, RegistrationLine, SessionFigures};
use crate::xlsx::{self, Cell, Sheet};

/// A table to export: header and rows of cells.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

fn csv_response(t: &Table, filename: &str, stamp: Option<&str>) -> Response {
    let mut out = String::from("\u{FEFF}");
    let head: Vec<String> = t.header.iter().map(|h| crate::csvio::cell(h)).collect();
    out.push_str(&head.join(";"));
    out.push_str("\r\n");
    for row in &t.rows {
        let line: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Text(s) => crate::csvio::cell(s),
                Cell::Number(n) => n.to_string(),
                Cell::Date(_) | Cell::DateTime(_) => c.plain(),
                Cell::Empty => String::new(),
            })
            .collect();
        out.push_str(&line.join(";"));
        out.push_str("\r\n");
    }
    if let Some(stamp) = stamp {
        // Who exported this personal data and when, as the last line.
        out.push_str(&crate::csvio::cell(stamp));
        out.push_str("\r\n");
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        out,
    )
        .into_response()
}

fn xlsx_response(t: Table, sheet: &str, filename: &str, stamp: Option<(&str, &str)>) -> Response {
    let mut rows = vec![t.header.into_iter().map(Cell::Text).collect::<Vec<_>>()];
    rows.extend(t.rows);
    let bytes = xlsx::workbook_stamped(
        &[Sheet {
            name: sheet.to_string(),
            rows,
        }],
        stamp,
    );
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn num(n: i64) -> Cell {
    Cell::Number(n as f64)
}

fn header(tr: Tr, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| tr.t(k)).collect()
}

/// One line of the sessions export.
fn session_row(tr: Tr, tz: &jiff::tz::TimeZone, f: &SessionFigures) -> Vec<Cell> {
    let (s, lang) = (&f.session, tr.lang());
    vec![
        num(s.id),
        Cell::day_of(s.starts_at, tz),
        text(dates::time_input(tz, s.starts_at)),
        text(dates::time_input(tz, s.ends_at)),
        text(s.theme_slug.clone()),
        text(s.title(lang)),
        text(tr.t(s.format.label_key())),
        text(s.commune(lang)),
        text(s.venue.clone()),
        text(s.partner_name.clone().unwrap_or_default()),
        num(s.capacity),
        num(s.seats_taken),
        num(s.waiting),
        num(f.present),
        num(f.absent),
        num(f.excused),
        text(tr.t(s.state_at(crate::db::now_ms()).1)),
    ]
}

async fn sessions_table(state: &AppState, ctx: &PageCtx) -> Result<Table, AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let header = header(
        ctx.tr,
        &[
            "ws-col-id",
            "ws-col-date",
            "ws-col-start",
            "ws-col-end",
            "ws-col-theme",
            "ws-col-title",
            "ws-col-format",
            "ws-col-commune",
            "ws-col-venue",
            "ws-col-partner",
            "ws-col-capacity",
            "ws-col-confirmed",
            "ws-col-waiting",
            "ws-col-present",
            "ws-col-absent",
            "ws-col-excused",
            "ws-col-status",
        ],
    );
    let rows = store::sessions_with_attendance(&state.db)
        .await?
        .iter()
        .map(|f| session_row(ctx.tr, &tz, f))
        .collect();
    Ok(Table { header, rows })
}

/// Which registrations to export.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExportQuery {
    session: Option<i64>,
}

/// One line of the registrations export.
fn registration_row(tr: Tr, tz: &jiff::tz::TimeZone, l: &RegistrationLine) -> Vec<Cell> {
    let locale = tr.0;
    let reg = &l.reg;
    let title = match Bilingual::new(&l.s_title_fr, &l.s_title_en).get(locale) {
        own if !own.is_empty() => own,
        _ => Bilingual::new(&l.t_title_fr, &l.t_title_en).get(locale),
    };
    let commune = Bilingual::new(
        l.commune_fr.as_deref().unwrap_or(""),
        l.commune_en.as_deref().unwrap_or(""),
    )
    .get(locale);
    vec![
        num(reg.session_id),
        Cell::day_of(l.starts_at, tz),
        text(title),
        text(commune),
        text(reg.name.clone()),
        text(reg.email.clone()),
        text(reg.business_name.clone()),
        text(tr.t(reg.status.label_key())),
        reg.wait_seq
            .filter(|_| reg.status == RegistrationStatus::Waiting)
            .map(num)
            .unwrap_or(Cell::Empty),
        reg.attendance
            .map(|a| text(tr.t(a.label_key())))
            .unwrap_or(Cell::Empty),
        Cell::instant(reg.created_at, tz),
        text(reg.source.clone()),
    ]
}

async fn registrations_table(
    state: &AppState,
    ctx: &PageCtx,
    q: &ExportQuery,
) -> Result<Table, AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let header = header(
        ctx.tr,
        &[
            "ws-col-session",
            "ws-col-date",
            "ws-col-title",
            "ws-col-commune",
            "ws-col-name",
            "ws-col-email",
            "ws-col-business",
            "ws-col-status",
            "ws-col-wait",
            "ws-col-attendance",
            "ws-col-registered",
            "ws-col-source",
        ],
    );
    let rows = store::registration_lines(&state.db, q.session)
        .await?
        .iter()
        .map(|l| registration_row(ctx.tr, &tz, l))
        .collect();
    Ok(Table { header, rows })
}

/// Registrations are personal data: the export is written in the audit
/// log, and the file names who exported it and when.
async fn export_stamp(
    state: &AppState,
    ctx: &PageCtx,
    what: &str,
) -> Result<Option<String>, AppError> {
    match ctx.user.as_ref() {
        Some(u) => Ok(Some(
            crate::privacy::record_export(&state.db, u, what).await?,
        )),
        None => Ok(None),
    }
}

/// `GET /admin/ateliers/export.csv`
pub async fn export_sessions_csv(
    State(state): State<AppState>,
    ctx: PageCtx,
) -> Result<Response, AppError> {
    Ok(csv_response(
        &sessions_table(&state, &ctx).await?,
        "ateliers.csv",
        None,
    ))
}

/// `GET /admin/ateliers/export.xlsx`
pub async fn export_sessions_xlsx(
    State(state): State<AppState>,
    ctx: PageCtx,
) -> Result<Response, AppError> {
    let sheet = ctx.tr.t("ws-sheet-sessions");
    Ok(xlsx_response(
        sessions_table(&state, &ctx).await?,
        &sheet,
        "ateliers.xlsx",
        None,
    ))
}

/// `GET /admin/ateliers/inscriptions.csv`
pub async fn export_registrations_csv(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let table = registrations_table(&state, &ctx, &q).await?;
    let stamp = export_stamp(&state, &ctx, "inscriptions.csv").await?;
    Ok(csv_response(&table, "inscriptions.csv", stamp.as_deref()))
}

/// `GET /admin/ateliers/inscriptions.xlsx`
pub async fn export_registrations_xlsx(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let sheet = ctx.tr.t("ws-sheet-registrations");
    let table = registrations_table(&state, &ctx, &q).await?;
    let stamp = export_stamp(&state, &ctx, "inscriptions.xlsx").await?;
    let author = ctx
        .user
        .as_ref()
        .map(|u| u.email.clone())
        .unwrap_or_default();
    Ok(xlsx_response(
        table,
        &sheet,
        "inscriptions.xlsx",
        stamp.as_deref().map(|s| (author.as_str(), s)),
    ))
}
