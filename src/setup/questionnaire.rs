//! `/admin/questionnaire`: the question bank used by new diagnostics, the
//! versions imported so far, and the import of a new version (TOML file).
//!
//! Every diagnostic keeps the version it was taken with, so an import never
//! changes a past result: it only decides what new diagnostics ask.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;

use super::store as setup_store;
use crate::auth::CurrentUser;
use crate::diagnostic::bank::DIMENSIONS;
use crate::diagnostic::store::{self, ImportError};
use crate::kernel::bilingual::Bilingual;
use crate::state::AppState;
use crate::web::ctx::urlencode;
use crate::web::error::{marked, ErrorKind};
use crate::web::{page, render, AppError, PageCtx};

/// Largest question bank file accepted (the shipped one is under 60 KiB).
pub const BANK_LIMIT: usize = 1024 * 1024;

/// Longest file name shown back to the user.
const NAME_MAX: usize = 120;

/// Questions of one dimension in each mode.
pub struct DimensionCount {
    pub title: String,
    pub quick: usize,
    pub full: usize,
}

/// One known version of the bank.
pub struct Version {
    pub version: String,
    /// `None` for the version shipped with Tremplin.
    pub imported_at: Option<i64>,
    pub imported_by: Option<String>,
    /// Used for new diagnostics.
    pub current: bool,
    /// Diagnostics taken with this version.
    pub diagnostics: i64,
}

#[derive(Template)]
#[template(path = "setup/questionnaire.html")]
struct QuestionnairePage {
    ctx: PageCtx,
    bank_id: String,
    version: String,
    title: String,
    /// The version in use is the one shipped with Tremplin.
    shipped: bool,
    dimensions: Vec<DimensionCount>,
    quick_total: usize,
    full_total: usize,
    versions: Vec<Version>,
    notice: Option<String>,
    file_error: Option<String>,
}

impl QuestionnairePage {
    fn when(&self, ms: &i64) -> String {
        self.ctx.datetime(*ms)
    }

    fn count(&self, n: &usize) -> String {
        self.ctx.tr.0.format_int(*n as i64)
    }
}

async fn build(
    state: &AppState,
    ctx: PageCtx,
    notice: Option<String>,
    file_error: Option<String>,
) -> Result<QuestionnairePage, AppError> {
    let locale = ctx.tr.0;
    let bank = store::current_bank(&state.db).await?;
    let default_version = store::default_bank()
        .map_err(|e| AppError::Internal(e.into()))?
        .version
        .clone();
    let dimensions: Vec<DimensionCount> = DIMENSIONS
        .iter()
        .map(|code| {
            let title = bank
                .dimension(code)
                .map(|d| {
                    Bilingual::new(&d.title_fr, &d.title_en)
                        .get(locale)
                        .to_string()
                })
                .unwrap_or_else(|| code.to_string());
            let of_dim = || bank.questions.iter().filter(|q| q.dimension == *code);
            DimensionCount {
                title,
                quick: of_dim().filter(|q| q.quick).count(),
                full: of_dim().count(),
            }
        })
        .collect();

    let taken = setup_store::diagnostics_per_version(&state.db).await?;
    let mut versions: Vec<Version> = setup_store::imported_banks(&state.db)
        .await?
        .into_iter()
        .map(|r| Version {
            current: r.version == bank.version,
            diagnostics: taken.get(&r.version).copied().unwrap_or(0),
            imported_at: Some(r.imported_at),
            imported_by: r.display_name,
            version: r.version,
        })
        .collect();
    let shipped = bank.version == default_version;
    versions.push(Version {
        current: shipped,
        diagnostics: taken.get(&default_version).copied().unwrap_or(0),
        imported_at: None,
        imported_by: None,
        version: default_version,
    });

    Ok(QuestionnairePage {
        bank_id: bank.id.clone(),
        version: bank.version.clone(),
        title: Bilingual::new(&bank.title_fr, &bank.title_en)
            .get(locale)
            .to_string(),
        shipped,
        quick_total: dimensions.iter().map(|d| d.quick).sum(),
        full_total: dimensions.iter().map(|d| d.full).sum(),
        dimensions,
        versions,
        notice,
        file_error,
        ctx,
    })
}

/// Query flag shown after a successful import.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Flags {
    importe: Option<String>,
}

/// `GET /admin/questionnaire`
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<Flags>,
) -> Result<Response, AppError> {
    // Only a version that was really imported is announced.
    let notice = match q.importe {
        Some(v) => {
            let known = setup_store::bank_imported(&state.db, &v).await?;
            known.then(|| ctx.tr.ts("setup-bank-imported", "version", &v))
        }
        None => None,
    };
    let p = build(&state, ctx, notice, None).await?;
    Ok(page(&p))
}

/// The name of an uploaded file as shown back: no directories, bounded.
fn shown_name(raw: Option<&str>) -> String {
    let name = raw
        .unwrap_or("")
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .trim();
    let name: String = name.chars().filter(|c| !c.is_control()).collect();
    if name.chars().count() > NAME_MAX {
        let mut cut: String = name.chars().take(NAME_MAX).collect();
        cut.push('…');
        cut
    } else {
        name
    }
}

/// `POST /admin/questionnaire` (multipart, field `file`): import a version.
pub async fn import(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let mut upload: Option<(String, axum::body::Bytes)> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                if field.name() == Some("file") {
                    let name = shown_name(field.file_name());
                    match field.bytes().await {
                        Ok(b) => upload = Some((name, b)),
                        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                            return Ok(marked(ErrorKind::PayloadTooLarge))
                        }
                        Err(_) => return Err(AppError::BadRequest),
                    }
                }
            }
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Ok(marked(ErrorKind::PayloadTooLarge))
            }
            Err(_) => return Err(AppError::BadRequest),
        }
    }

    let file_error = match upload {
        None => ctx.tr.t("setup-bank-no-file"),
        Some((name, _)) if name.is_empty() => ctx.tr.t("setup-bank-no-file"),
        Some((name, _)) if !name.to_lowercase().ends_with(".toml") => {
            ctx.tr.ts("setup-bank-not-toml", "file", &name)
        }
        Some((name, bytes)) if bytes.is_empty() => ctx.tr.ts("setup-bank-empty", "file", &name),
        Some((name, bytes)) => match std::str::from_utf8(&bytes) {
            Err(_) => ctx.tr.ts("setup-bank-not-utf8", "file", &name),
            Ok(text) => {
                // Editors on Windows may start the file with a byte-order mark.
                let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
                let by = user.as_ref().map(|u| u.id);
                match store::import_bank(&state.db, &name, text, by).await {
                    Ok(bank) => {
                        tracing::info!(version = %bank.version, by = ?by, "question bank imported");
                        return Ok(Redirect::to(&format!(
                            "/admin/questionnaire?importe={}",
                            urlencode(&bank.version)
                        ))
                        .into_response());
                    }
                    Err(ImportError::Invalid(e)) if e.line > 0 => ctx.tr.args(
                        "setup-bank-invalid-line",
                        &[
                            ("file", &name),
                            ("line", &e.line.to_string()),
                            ("reason", &e.reason),
                        ],
                    ),
                    Err(ImportError::Invalid(e)) => ctx.tr.args(
                        "setup-bank-invalid",
                        &[("file", &name), ("reason", &e.reason)],
                    ),
                    Err(ImportError::VersionExists(v)) => {
                        ctx.tr.ts("setup-bank-version-exists", "version", &v)
                    }
                    Err(ImportError::Db(e)) => return Err(e.into()),
                }
            }
        },
    };
    let p = build(&state, ctx, None, Some(file_error)).await?;
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_shown_without_directories() {
        assert_eq!(shown_name(Some("C:\\Users\\moi\\dma.toml")), "dma.toml");
        assert_eq!(shown_name(Some("/tmp/dma-2027.toml")), "dma-2027.toml");
        assert_eq!(shown_name(None), "");
        let long = format!("{}.toml", "a".repeat(300));
        assert_eq!(shown_name(Some(&long)).chars().count(), NAME_MAX + 1);
    }
}
