//! Exports for programme staff: files, activities, coaching hours per
//! funder and referrals, as CSV (semicolons, BOM) or one XLSX workbook.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::model::{CaseStatus, Funder, ReferralStatus};
use super::store;
use crate::db::{now_ms, Db};
use crate::kernel::dates;
use crate::web::{AppError, PageCtx};
use crate::xlsx::{self, Cell, Sheet};

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn hours(minutes: i64) -> Cell {
    Cell::Number(minutes as f64 / 60.0)
}

/// The four sheets, header first.
async fn sheets(db: &Db, ctx: &PageCtx) -> Result<Vec<Sheet>, AppError> {
    let tr = ctx.tr;
    let tz = dates::zone(&ctx.programme.timezone);
    let when = |ms: Option<i64>| ms.map(|m| Cell::instant(m, &tz)).unwrap_or(Cell::Empty);
    let head = |keys: &[&str]| keys.iter().map(|k| text(tr.t(k))).collect::<Vec<_>>();
    let mut files = vec![head(&[
        "case-title",
        "case-col-business",
        "case-col-template",
        "case-col-adviser",
        "case-col-status",
        "case-field-outcome",
        "case-col-opened",
        "case-overdue",
    ])];
    // Every file with its outcome and activity counts, in two statements.
    for r in store::list(db, None, None, false, now_ms(), 100_000).await? {
        let outcome = r.outcome().map(|o| tr.t(o.label_key())).unwrap_or_default();
        files.push(vec![
            Cell::Number(r.id as f64),
            text(r.business_name),
            text(match tr.0 {
                crate::i18n::Locale::Fr => r.template_fr.unwrap_or_default(),
                crate::i18n::Locale::En => r.template_en.unwrap_or_default(),
            }),
            text(r.adviser_name.unwrap_or_default()),
            text(
                tr.t(CaseStatus::from_code(&r.status)
                    .unwrap_or(CaseStatus::ToQualify)
                    .label_key()),
            ),
            text(outcome),
            when(Some(r.opened_at)),
            Cell::Number(r.overdue as f64),
        ]);
    }
    let mut activities = vec![head(&[
        "case-title",
        "case-col-business",
        "case-field-kind",
        "case-field-title",
        "case-field-due",
        "case-field-date",
        "case-field-minutes",
        "case-shared",
    ])];
    for (id, business, kind, title, due, done, minutes, shared) in
        store::export_activities(db).await?
    {
        activities.push(vec![
            Cell::Number(id as f64),
            text(business),
            text(tr.code("case-kind-", &kind)),
            text(title),
            when(due),
            when(done),
            Cell::Number(minutes as f64),
            text(if shared == 1 { "1" } else { "0" }),
        ]);
    }
    let mut funders = vec![head(&[
        "case-field-funder",
        "case-field-planned",
        "case-field-delivered",
        "case-field-amount",
    ])];
    for (f, planned, delivered, cents) in store::hours_by_funder(db, None).await? {
        funders.push(vec![
            text(
                tr.t(Funder::from_code(&f)
                    .unwrap_or(Funder::Programme)
                    .label_key()),
            ),
            hours(planned),
            hours(delivered),
            Cell::Number(cents as f64 / 100.0),
        ]);
    }
    let mut referrals = vec![head(&[
        "case-title",
        "case-col-business",
        "referral-body",
        "case-col-status",
        "case-col-opened",
        "referral-answer-title",
        "case-field-reference",
    ])];
    for (id, business, body, status, sent, answered, reminders) in
        store::export_referrals(db).await?
    {
        referrals.push(vec![
            Cell::Number(id as f64),
            text(business),
            text(body),
            text(
                tr.t(ReferralStatus::from_code(&status)
                    .unwrap_or(ReferralStatus::Sent)
                    .label_key()),
            ),
            when(Some(sent)),
            when(answered),
            Cell::Number(reminders as f64),
        ]);
    }
    Ok(vec![
        Sheet {
            name: tr.t("case-list-title"),
            rows: files,
        },
        Sheet {
            name: tr.t("case-activities"),
            rows: activities,
        },
        Sheet {
            name: tr.t("case-hours"),
            rows: funders,
        },
        Sheet {
            name: tr.t("referral-title"),
            rows: referrals,
        },
    ])
}

/// `GET /dossiers/export/{file}`: `dossiers.csv`, `activites.csv`,
/// `heures.csv`, `orientations.csv` or `dossiers.xlsx` (all four sheets).
pub async fn export(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let mut sheets = sheets(&db, &ctx).await?;
    // Files are personal data: the export is audited and names who made it.
    let stamp = match ctx.user.as_ref() {
        Some(u)
            if [
                "dossiers.xlsx",
                "dossiers.csv",
                "activites.csv",
                "heures.csv",
                "orientations.csv",
            ]
            .contains(&file.as_str()) =>
        {
            Some((
                u.email.clone(),
                crate::privacy::record_export(&db, u, &file).await?,
            ))
        }
        _ => None,
    };
    let pick = match file.as_str() {
        "dossiers.xlsx" => {
            let bytes = xlsx::workbook_stamped(
                &sheets,
                stamp
                    .as_ref()
                    .map(|(who, line)| (who.as_str(), line.as_str())),
            );
            return Ok((
                [
                    (
                        header::CONTENT_TYPE,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            .to_string(),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"dossiers.xlsx\"".to_string(),
                    ),
                ],
                bytes,
            )
                .into_response());
        }
        "dossiers.csv" => 0,
        "activites.csv" => 1,
        "heures.csv" => 2,
        "orientations.csv" => 3,
        _ => return Err(AppError::NotFound),
    };
    let sheet = sheets.swap_remove(pick);
    let mut out = String::from("\u{FEFF}");
    for row in &sheet.rows {
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
    if let Some((_, line)) = &stamp {
        out.push_str(&crate::csvio::cell(line));
        out.push_str("\r\n");
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        out,
    )
        .into_response())
}
