//! The register as CSV: export the current search, import many rows.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;

use super::register::ListQuery;
use super::*;
use crate::auth::CurrentUser;
use crate::business::model::{BusinessInput, SaveError};
use crate::business::store;
use crate::state::AppState;
use crate::web::{page, render, AppError, PageCtx};

/// Columns of the CSV export and import.
pub const CSV_COLUMNS: [&str; 10] = [
    "name",
    "country",
    "legal_id",
    "sector_code",
    "size_band",
    "commune_code",
    "address",
    "website",
    "partner",
    "id",
];

/// The current search as CSV (semicolons, BOM for spreadsheets).
pub async fn export_csv(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    // Contacts of businesses are personal data: the export is audited and
    // its answer names who exported it and when (the file itself stays
    // importable, so the stamp travels as a header).
    let stamp = match user.as_ref() {
        Some(u) => crate::privacy::record_export(&state.db, u, "entreprises.csv").await?,
        None => String::new(),
    };
    let (rows, _) = store::search(
        &state.db,
        &query.q,
        &query.commune,
        &query.sector,
        100_000,
        0,
    )
    .await?;
    let mut out = String::from("\u{FEFF}");
    out.push_str(&CSV_COLUMNS.join(";"));
    out.push_str("\r\n");
    for b in rows {
        let cells = [
            b.name.clone(),
            b.country.clone(),
            b.legal_id.clone(),
            b.sector_code.clone().unwrap_or_default(),
            b.size_band.clone(),
            b.commune_code.clone().unwrap_or_default(),
            b.address.clone(),
            b.website.clone(),
            b.partner.clone().unwrap_or_default(),
            b.id.to_string(),
        ];
        let line: Vec<String> = cells.iter().map(|c| crate::csvio::cell(c)).collect();
        out.push_str(&line.join(";"));
        out.push_str("\r\n");
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"entreprises.csv\"".to_string(),
            ),
            (
                header::HeaderName::from_static(crate::privacy::EXPORT_HEADER),
                stamp,
            ),
        ],
        out,
    )
        .into_response())
}

/// One rejected line of an import.
pub struct RejectedRow {
    pub line: usize,
    pub name: String,
    pub reasons: Vec<String>,
}

#[derive(Template)]
#[template(path = "business/import.html")]
struct ImportPage {
    ctx: PageCtx,
    file_error: Option<String>,
    imported: Option<i64>,
    rejected: Vec<RejectedRow>,
}

/// The CSV import form.
pub async fn import_form(ctx: PageCtx) -> Response {
    page(&ImportPage {
        ctx,
        file_error: None,
        imported: None,
        rejected: vec![],
    })
}

/// Import businesses from CSV: good rows are stored, each bad row is
/// reported with its reasons; nothing half-written.
pub async fn import(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let tr = ctx.tr;
    let upload = crate::csvio::read_upload(&mut multipart, "file").await;
    let limit = crate::csvio::IMPORT_LIMIT;
    let crate::csvio::Upload::File(bytes) = upload else {
        let status = match upload {
            crate::csvio::Upload::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        return Ok(render(
            status,
            &ImportPage {
                ctx,
                file_error: crate::csvio::upload_problem(tr, &upload, limit),
                imported: None,
                rejected: vec![],
            },
        ));
    };
    let table = match crate::csvio::parse(&bytes, &["name", "country", "legal_id", "size_band"]) {
        Ok(t) => t,
        Err(e) => {
            let msg = e.message(tr);
            return Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ImportPage {
                    ctx,
                    file_error: Some(msg),
                    imported: None,
                    rejected: vec![],
                },
            ));
        }
    };
    let idx = table.index();
    let programme = state.programme().await?;
    let mut imported: i64 = 0;
    let mut rejected = vec![];
    for (line, row) in &table.rows {
        let f = |n: &str| crate::csvio::field(row, &idx, n).to_string();
        let input = BusinessInput {
            name: f("name"),
            country: f("country").to_uppercase(),
            legal_id: f("legal_id"),
            sector_code: f("sector_code"),
            size_band: f("size_band"),
            commune_code: f("commune_code"),
            address: f("address"),
            website: f("website"),
            partner: idx.contains_key("partner").then(|| f("partner")),
            version: 0,
        };
        let reasons = match store::validate(&state.db, &input).await? {
            Err(v) => v
                .summary(tr)
                .into_iter()
                .map(|(field, msg)| format!("{field} : {msg}"))
                .collect(),
            Ok(valid) => {
                match store::create(&state.db, programme.id, &valid, user_id(&user), None, None)
                    .await
                {
                    Ok(_) => {
                        imported += 1;
                        continue;
                    }
                    Err(SaveError::Duplicate { existing_name, .. }) => {
                        vec![tr.ts("business-duplicate-named", "name", &existing_name)]
                    }
                    Err(SaveError::Db(e)) => return Err(e.into()),
                    Err(_) => vec![tr.t("error-internal-title")],
                }
            }
        };
        rejected.push(RejectedRow {
            line: *line,
            name: input.name,
            reasons,
        });
    }
    Ok(page(&ImportPage {
        ctx,
        file_error: None,
        imported: Some(imported),
        rejected,
    }))
}
