//! Account pages, one file per concern. Shared here: the session cookie,
//! the message page and the refused-link page, the new-password page.

pub mod account;
pub mod login;
pub mod reset;
pub mod signup;
pub mod team;

use askama::Template;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::model::{LinkError, LinkGrant, LinkPurpose, PasswordInput, SESSION_TTL_MS};
use super::{secrets, store, SESSION_COOKIE};
use crate::config::Config;
use crate::db::Db;
use crate::web::forms::Violations;
use crate::web::{page, render, AppError, PageCtx};

/// Cookie remembering which partner's link brought the visitor.
pub const PARTNER_COOKIE: &str = "tremplin_partner";

/// A `Set-Cookie` value, `Secure` when the site is served over HTTPS.
fn cookie_header(config: &Config, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if config.base_url.scheme() == "https" {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    ))
    .unwrap_or(HeaderValue::from_static(""))
}

/// Start a session for `user_id`, set its cookie and redirect to `to`.
async fn sign_in(
    db: &Db,
    config: &Config,
    headers: &HeaderMap,
    user_id: i64,
    to: &str,
) -> Result<Response, AppError> {
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let token = store::create_session(db, user_id, ua).await?;
    let mut res = Redirect::to(to).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(config, SESSION_COOKIE, &token, SESSION_TTL_MS / 1000),
    );
    Ok(res)
}

/// A redirect that also clears the session cookie.
fn signed_out(config: &Config, to: &str) -> Response {
    let mut res = Redirect::to(to).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(config, SESSION_COOKIE, "", 0),
    );
    res
}

/// A short page with a title, a text and maybe one action.
#[derive(Template)]
#[template(path = "auth/message.html")]
struct MessagePage {
    ctx: PageCtx,
    title: String,
    body: String,
    action: Option<(String, String)>,
}

impl MessagePage {
    /// A message from two Fluent keys, without action.
    fn new(ctx: PageCtx, title_key: &str, body_key: &str) -> MessagePage {
        MessagePage {
            title: ctx.tr.t(title_key),
            body: ctx.tr.t(body_key),
            action: None,
            ctx,
        }
    }
}

/// Why a single-use link was refused, with the way to get a new one.
fn link_error_page(ctx: PageCtx, err: LinkError, purpose: LinkPurpose) -> Response {
    let tr = ctx.tr;
    let status = match err {
        LinkError::Unknown => StatusCode::NOT_FOUND,
        LinkError::Expired | LinkError::Used => StatusCode::GONE,
    };
    let (to, key) = purpose.retry();
    render(
        status,
        &MessagePage {
            title: tr.t("auth-link-title"),
            body: tr.t(err.label_key()),
            action: Some((to.to_string(), tr.t(key))),
            ctx,
        },
    )
}

/// The new-password form answering a reset or an invitation link.
#[derive(Template)]
#[template(path = "auth/password.html")]
struct PasswordPage {
    ctx: PageCtx,
    action: String,
    title: String,
    email: String,
    ask_name: bool,
    input: PasswordInput,
    errors: Violations,
}

impl PasswordPage {
    /// The form for link `token` of `purpose`, for the account at `email`.
    fn new(
        ctx: PageCtx,
        purpose: LinkPurpose,
        token: &str,
        email: String,
        input: PasswordInput,
        errors: Violations,
    ) -> PasswordPage {
        PasswordPage {
            title: ctx.tr.t(purpose.label_key()),
            ctx,
            action: purpose.path(token),
            email,
            ask_name: purpose == LinkPurpose::Invite,
            input,
            errors,
        }
    }
}

/// The new-password form behind a link of `purpose`, or why the link is refused.
async fn password_form(
    db: &Db,
    ctx: PageCtx,
    purpose: LinkPurpose,
    token: &str,
) -> Result<Response, AppError> {
    Ok(match store::peek_link(db, purpose, token).await? {
        Ok(g) => page(&PasswordPage::new(
            ctx,
            purpose,
            token,
            g.email,
            PasswordInput::default(),
            Violations::default(),
        )),
        Err(e) => link_error_page(ctx, e, purpose),
    })
}

/// A new password accepted through a link, the link used up in `tx`.
struct Accepted {
    tx: store::Tx,
    grant: LinkGrant,
    /// The name typed, when the link asks for one.
    name: String,
    hash: String,
    ctx: PageCtx,
}

/// The steps reset and invitation share: the link is still valid, the
/// password passes the rules and is hashed, then the link is used inside a
/// transaction (two clicks cannot both succeed). `Err` is the page to show.
async fn accept_password_link(
    db: &Db,
    ctx: PageCtx,
    purpose: LinkPurpose,
    token: &str,
    input: PasswordInput,
) -> Result<Result<Accepted, Response>, AppError> {
    let grant = match store::peek_link(db, purpose, token).await? {
        Ok(g) => g,
        Err(e) => return Ok(Err(link_error_page(ctx, e, purpose))),
    };
    let new = match input.parse(&grant.email, purpose == LinkPurpose::Invite) {
        Ok(n) => n,
        Err((name, errors)) => {
            let input = PasswordInput {
                name,
                ..Default::default()
            };
            let form = PasswordPage::new(ctx, purpose, token, grant.email, input, errors);
            return Ok(Err(render(StatusCode::UNPROCESSABLE_ENTITY, &form)));
        }
    };
    let hash = secrets::hash_password(new.password).await?;
    let mut tx = db.begin_write().await?;
    match store::consume_link(&mut tx, purpose, token).await? {
        Ok(grant) => Ok(Ok(Accepted {
            tx,
            grant,
            name: new.name,
            hash,
            ctx,
        })),
        Err(e) => {
            tx.rollback().await?;
            Ok(Err(link_error_page(ctx, e, purpose)))
        }
    }
}
