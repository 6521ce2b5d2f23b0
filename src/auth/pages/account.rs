//! The account page, and the partner links that bring visitors to sign-up.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{cookie_header, PARTNER_COOKIE};
use crate::auth::model::SessionUser;
use crate::config::Config;
use crate::db::Db;
use crate::web::{page, AppError, PageCtx};

/// How long the partner cookie is remembered (90 days).
const PARTNER_COOKIE_AGE_S: i64 = 90 * 24 * 3600;

#[derive(Template)]
#[template(path = "auth/partner.html")]
struct PartnerPage {
    ctx: PageCtx,
    partner: String,
}

/// A partner's link: remember the partner and land on a page that names
/// it and offers the diagnostic first (then sign-up and the workshops).
pub async fn partner_link(
    State(db): State<Db>,
    State(config): State<Arc<Config>>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let Some(id) = crate::setup::store::partner_id(&db, &slug).await? else {
        return Err(AppError::NotFound);
    };
    let partner = crate::setup::store::partner(&db, id)
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    let mut res = page(&PartnerPage { ctx, partner });
    res.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(&config, PARTNER_COOKIE, &slug, PARTNER_COOKIE_AGE_S),
    );
    Ok(res)
}

/// Query flags of the account page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AccountQuery {
    bienvenue: Option<String>,
    reinitialise: Option<String>,
}

#[derive(Template)]
#[template(path = "auth/account.html")]
struct AccountPage {
    ctx: PageCtx,
    user: Arc<SessionUser>,
    notice: Option<String>,
    role_labels: Vec<String>,
    /// Consents given for a text that has changed since: asked again.
    consents_to_review: Vec<String>,
}

/// The account page: who you are, your roles, a welcome after sign-up.
pub async fn show(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(q): Query<AccountQuery>,
) -> Result<Response, AppError> {
    let Some(user) = ctx.user.clone() else {
        return Ok(Redirect::to("/connexion").into_response());
    };
    let notice = if q.bienvenue.is_some() {
        Some(ctx.tr.t("auth-welcome"))
    } else if q.reinitialise.is_some() {
        Some(ctx.tr.t("auth-password-changed"))
    } else {
        None
    };
    let role_labels = user.roles.iter().map(|r| ctx.tr.t(r.label_key())).collect();
    let rows =
        crate::privacy::consent::rows_of(&db, &user.email.to_lowercase(), Some(user.id)).await?;
    let consents_to_review = crate::privacy::consent::standings(&rows)
        .iter()
        .filter(|s| s.outdated())
        .map(|s| ctx.tr.t(&s.purpose.label_key()))
        .collect();
    Ok(page(&AccountPage {
        ctx,
        user,
        notice,
        role_labels,
        consents_to_review,
    }))
}
