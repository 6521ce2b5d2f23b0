//! `/admin/territoires`: browse the territory hierarchy and import more.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::store;
use crate::csvio::FileError;
use crate::db::Db;
use crate::reference;
use crate::web::error::{marked, ErrorKind};
use crate::web::{page, render, AppError, PageCtx};

/// One territory as listed.
pub struct Territory {
    pub code: String,
    pub name: String,
    pub level: String,
    pub children: i64,
}

/// One refused line of an import, localised.
pub struct Rejected {
    pub line: usize,
    pub reason: String,
    pub value: String,
}

/// What an import did.
pub struct Report {
    pub stored: usize,
    pub rejected: Vec<Rejected>,
}

#[derive(Template)]
#[template(path = "setup/territories.html")]
struct TerritoriesPage {
    ctx: PageCtx,
    current: Option<Territory>,
    /// Ancestors of `current`, widest first.
    trail: Vec<Territory>,
    children: Vec<Territory>,
    report: Option<Report>,
    file_error: Option<String>,
}

impl TerritoriesPage {
    fn level(&self, level: &str) -> String {
        self.ctx.tr.code("setup-level-", level)
    }
}

/// One territory and its parent's code, named in the visitor's language.
async fn one(
    db: &Db,
    ctx: &PageCtx,
    code: &str,
) -> Result<Option<(Territory, Option<String>)>, AppError> {
    Ok(store::territory(db, code, ctx.tr.0).await?.map(|r| {
        let parent = r.parent_code.clone();
        (listed(r), parent)
    }))
}

/// A stored territory as listed.
fn listed(r: store::Territory) -> Territory {
    Territory {
        code: r.code,
        name: r.name,
        level: r.level,
        children: r.children,
    }
}

async fn children(
    db: &Db,
    ctx: &PageCtx,
    parent: Option<&str>,
) -> Result<Vec<Territory>, AppError> {
    Ok(store::territory_children(db, parent, ctx.tr.0)
        .await?
        .into_iter()
        .map(listed)
        .collect())
}

async fn build(
    db: &Db,
    ctx: PageCtx,
    parent: Option<&str>,
    report: Option<Report>,
    file_error: Option<String>,
) -> Result<Option<TerritoriesPage>, AppError> {
    let (current, trail) = match parent {
        Some(code) => {
            let Some((current, mut up)) = one(db, &ctx, code).await? else {
                return Ok(None);
            };
            let mut trail = vec![];
            // Bounded: imported data could contain a loop.
            for _ in 0..10 {
                let Some(code) = up.take() else { break };
                match one(db, &ctx, &code).await? {
                    Some((t, next)) => {
                        trail.push(t);
                        up = next;
                    }
                    None => break,
                }
            }
            trail.reverse();
            (Some(current), trail)
        }
        None => (None, vec![]),
    };
    let children = children(db, &ctx, parent).await?;
    Ok(Some(TerritoriesPage {
        ctx,
        current,
        trail,
        children,
        report,
        file_error,
    }))
}

/// Which territory to open.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BrowseQuery {
    parent: String,
}

/// `GET /admin/territoires?parent=CODE`
pub async fn browse(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(q): Query<BrowseQuery>,
) -> Result<Response, AppError> {
    let parent = q.parent.trim().to_uppercase();
    let parent = Some(parent.as_str()).filter(|p| !p.is_empty());
    match build(&db, ctx, parent, None, None).await? {
        Some(p) => Ok(page(&p)),
        None => Err(AppError::NotFound),
    }
}

/// `GET /admin/territoires/import`: the form lives on the main page.
pub async fn import_form() -> Response {
    Redirect::to("/admin/territoires#import").into_response()
}

/// `POST /admin/territoires/import` (multipart, field `file`).
pub async fn import(
    State(db): State<Db>,
    ctx: PageCtx,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let mut bytes = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                if field.name() == Some("file") {
                    match field.bytes().await {
                        Ok(b) => bytes = Some(b),
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
    let tr = ctx.tr;
    let bytes = bytes.unwrap_or_default();
    let outcome = if bytes.is_empty() {
        Err(FileError::Empty)
    } else {
        reference::import_territories(&db, &bytes).await?
    };
    let (report, file_error) = match outcome {
        Ok(r) => (
            Some(Report {
                stored: r.stored,
                rejected: r
                    .rejected
                    .into_iter()
                    .map(|(line, key, value)| Rejected {
                        line,
                        reason: tr.t(key),
                        value,
                    })
                    .collect(),
            }),
            None,
        ),
        Err(e) => {
            let msg = e.message(tr);
            (None, Some(msg))
        }
    };
    let status = if file_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let p = build(&db, ctx, None, report, file_error)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(render(status, &p))
}
