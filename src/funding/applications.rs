//! Pages of a business's applications: the list, moving one on from
//! prepared to paid, and its PDF dossier.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{self, ApplicationStatus};
use super::pages::{business_of, today};
use super::store::{self, ApplicationRow};
use crate::auth::SessionUser;
use crate::db::Db;
use crate::i18n::{Locale, Tr};
use crate::kernel::dates;
use crate::kernel::money::Euros;
use crate::web::forms::WebForm;
use crate::web::{page, render, AppError, PageCtx};

/// An application as shown.
pub struct ApplicationView {
    pub id: i64,
    /// The follow-up file it is attached to.
    pub case_id: Option<i64>,
    pub business: String,
    pub scheme_slug: String,
    pub scheme: String,
    pub status: &'static str,
    pub status_label: String,
    pub project: String,
    pub cost: String,
    pub simulated: String,
    pub obtained: String,
    pub paid: String,
    pub dates: String,
    pub version: i64,
    pub next: Vec<(&'static str, String)>,
    pub needs_amount: bool,
}

/// `a` as shown in `tr`'s language.
pub fn application_view(tr: Tr, a: &ApplicationRow) -> ApplicationView {
    let money = |c: Option<i64>| c.map(|c| Euros(c).format(tr.0)).unwrap_or_default();
    let status = a.status();
    let dates = [
        ("funding-app-prepared", &a.prepared_on),
        ("funding-app-submitted", &a.submitted_on),
        ("funding-app-decided", &a.decided_on),
        ("funding-app-paid", &a.paid_on),
    ]
    .iter()
    .filter(|(_, d)| !d.is_empty())
    .map(|(k, d)| format!("{} {}", tr.t(k), dates::show_date_text(tr.0, d)))
    .collect::<Vec<_>>()
    .join(" · ");
    ApplicationView {
        id: a.id,
        case_id: a.case_id,
        business: a.business_name.clone(),
        scheme_slug: a.scheme_slug.clone(),
        scheme: if tr.0 == Locale::En {
            &a.title_en
        } else {
            &a.title_fr
        }
        .clone(),
        status: status.code(),
        status_label: tr.t(status.label_key()),
        project: a.project.clone(),
        cost: money(a.cost_cents),
        simulated: money(a.simulated_cents),
        obtained: money(a.obtained_cents),
        paid: money(a.paid_cents),
        dates,
        version: a.version,
        next: status
            .next()
            .iter()
            .map(|s| (s.code(), tr.t(s.label_key())))
            .collect(),
        needs_amount: status
            .next()
            .iter()
            .any(|s| matches!(s, ApplicationStatus::Obtained | ApplicationStatus::Paid)),
    }
}

#[derive(Template)]
#[template(path = "funding/applications.html")]
struct ApplicationsPage {
    ctx: PageCtx,
    business: Option<(i64, String)>,
    apps: Vec<ApplicationView>,
    today: String,
    error: Option<String>,
    /// Staff see links to follow-up files.
    staff: bool,
}

/// Which business's applications.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AppsQuery {
    entreprise: Option<i64>,
}

/// `GET /mes-aides`: a business's applications (staff: any business's, or all).
pub async fn applications(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(q): Query<AppsQuery>,
) -> Result<Response, AppError> {
    let staff = ctx.user.as_ref().is_some_and(|u| u.is_staff());
    let business = business_of(&db, &ctx, q.entreprise).await?;
    // Someone with no business (and not staff) simply has no application.
    let rows = match (&business, staff) {
        (Some(b), _) => store::applications(&db, Some(b.id)).await?,
        (None, true) => store::applications(&db, None).await?,
        (None, false) => vec![],
    };
    Ok(page(&ApplicationsPage {
        apps: rows.iter().map(|a| application_view(ctx.tr, a)).collect(),
        business: business.map(|b| (b.id, b.name)),
        today: today(&ctx),
        error: None,
        staff,
        ctx,
    }))
}

/// A step of an application.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AdvanceForm {
    to: String,
    on: String,
    amount: String,
    version: i64,
}

/// May `user` see and move application `a`?
async fn may_handle(
    db: &Db,
    user: Option<&Arc<SessionUser>>,
    a: &ApplicationRow,
) -> Result<bool, AppError> {
    let Some(user) = user else { return Ok(false) };
    if user.is_staff() {
        return Ok(true);
    }
    Ok(crate::business::store::for_member(db, user.id)
        .await?
        .is_some_and(|b| b.id == a.business_id))
}

/// `POST /candidatures/{id}`: move an application on (with its date and, when
/// obtained or paid, its amount).
pub async fn advance(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<AdvanceForm>,
) -> Result<Response, AppError> {
    let a = store::application(&db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_handle(&db, ctx.user.as_ref(), &a).await? {
        return Err(AppError::Forbidden);
    }
    let tr = ctx.tr;
    let on = form.on.trim();
    let amount = Euros::parse(&form.amount).map_err(|_| ());
    let back = format!("/mes-aides?entreprise={}", a.business_id);
    let error = match model::check_step(a.status(), &form.to, on, amount) {
        Ok(step) => {
            if store::advance(&db.pool, id, form.version, step.to, on, step.amount).await? {
                return Ok(Redirect::to(&format!("{back}#app-{id}")).into_response());
            }
            None
        }
        Err((_, key)) => Some(tr.t(key)),
    };
    let rows = store::applications(&db, Some(a.business_id)).await?;
    let error = error.or_else(|| Some(tr.t("funding-app-stale")));
    Ok(render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &ApplicationsPage {
            apps: rows.iter().map(|a| application_view(tr, a)).collect(),
            business: Some((a.business_id, a.business_name.clone())),
            today: today(&ctx),
            error,
            staff: ctx.user.as_ref().is_some_and(|u| u.is_staff()),
            ctx,
        },
    ))
}

/// `GET /candidatures/{id}/dossier.pdf`: the application dossier.
pub async fn dossier(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let a = store::application(&db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_handle(&db, ctx.user.as_ref(), &a).await? {
        return Err(AppError::Forbidden);
    }
    let bytes = super::dossier::pdf(&db, &ctx, &a).await?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/pdf".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"dossier-{id}.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
