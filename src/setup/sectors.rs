//! `/admin/secteurs`: NACE sections and divisions, and which are priority.

use super::store;
use crate::db::Db;
use crate::web::ctx::urlencode;
use crate::web::forms::WebForm;
use crate::web::{page, AppError, PageCtx};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// A NACE code with its name and priority flag.
pub struct Sector {
    pub code: String,
    pub name: String,
    pub priority: bool,
}

/// A section and its divisions.
pub struct Section {
    pub sector: Sector,
    pub divisions: Vec<Sector>,
}

#[derive(Template)]
#[template(path = "setup/sectors.html")]
struct SectorsPage {
    ctx: PageCtx,
    sections: Vec<Section>,
    notice: Option<String>,
    priority_count: usize,
}

/// Query flag shown after a change.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Flags {
    modifie: String,
}

/// `GET /admin/secteurs`
pub async fn list(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(q): Query<Flags>,
) -> Result<Response, AppError> {
    let mut sections: Vec<Section> = vec![];
    let mut divisions: Vec<(Option<String>, Sector)> = vec![];
    for r in store::sectors(&db, ctx.tr.0).await? {
        let sector = Sector {
            code: r.code,
            name: r.name,
            priority: r.priority == 1,
        };
        if r.level == "section" {
            sections.push(Section {
                sector,
                divisions: vec![],
            });
        } else {
            divisions.push((r.parent_code, sector));
        }
    }
    for (parent, d) in divisions {
        if let Some(s) = sections
            .iter_mut()
            .find(|s| Some(&s.sector.code) == parent.as_ref())
        {
            s.divisions.push(d);
        }
    }
    let priority_count = sections
        .iter()
        .flat_map(|s| s.divisions.iter())
        .filter(|d| d.priority)
        .count();
    let tr = ctx.tr;
    let notice = sections
        .iter()
        .flat_map(|s| std::iter::once(&s.sector).chain(s.divisions.iter()))
        .find(|s| s.code == q.modifie)
        .map(|s| {
            let label = format!("{} — {}", s.code, s.name);
            if s.priority {
                tr.ts("setup-sector-now-priority", "name", &label)
            } else {
                tr.ts("setup-sector-not-priority", "name", &label)
            }
        });
    Ok(page(&SectorsPage {
        ctx,
        sections,
        notice,
        priority_count,
    }))
}

/// What a priority button sends: the code and the wanted state, so that a
/// double submission does not flip the flag back.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PriorityForm {
    code: String,
    priority: String,
}

/// `POST /admin/secteurs`
pub async fn set_priority(
    State(db): State<Db>,
    WebForm(form): WebForm<PriorityForm>,
) -> Result<Response, AppError> {
    let wanted = match form.priority.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::BadRequest),
    };
    if !store::set_sector_priority(&db, form.code.trim(), wanted).await? {
        return Err(AppError::NotFound);
    }
    let code = urlencode(form.code.trim());
    Ok(Redirect::to(&format!("/admin/secteurs?modifie={code}#sector-{code}")).into_response())
}
