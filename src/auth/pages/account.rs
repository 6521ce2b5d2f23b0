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

/// A partner's link: remember the partner, then go to sign-up.
pub async fn partner_link(
    State(db): State<Db>,
    State(config): State<Arc<Config>>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    if crate::setup::store::partner_id(&db, &slug).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let mut res = Redirect::to("/inscription").into_response();
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
}

/// The account page: who you are, your roles, a welcome after sign-up.
pub async fn show(ctx: PageCtx, Query(q): Query<AccountQuery>) -> Result<Response, AppError> {
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
    Ok(page(&AccountPage {
        ctx,
        user,
        notice,
        role_labels,
    }))
}
