//! Account pages: sign-up, e-mail verification, login, logout, password
//! reset, staff invitations, the account page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Extension;
use serde::Deserialize;

use super::*;
use crate::i18n::Tr;
use crate::outbox::{enqueue, NewMail};
use crate::state::AppState;
use crate::web::access::{Access, Routes, ADMIN};
use crate::web::ctx::ClientIp;
use crate::web::forms::{checked, Violations, WebForm};
use crate::web::{cookie, page, render, safe_local_path, AppError, PageCtx};

/// Routes of this module.
pub fn routes() -> Routes {
    Routes::new()
        .route(
            "/inscription",
            Access::Public,
            get(signup_form).post(signup),
        )
        .route("/inscription/envoye", Access::Public, get(signup_sent))
        .route(
            "/verification/{token}",
            Access::Public,
            get(verify_form).post(verify),
        )
        .route("/connexion", Access::Public, get(login_form).post(login))
        .route("/deconnexion", Access::SignedIn, post(logout))
        .route(
            "/deconnexion-partout",
            Access::SignedIn,
            post(logout_everywhere),
        )
        .route(
            "/mot-de-passe-oublie",
            Access::Public,
            get(forgot_form).post(forgot),
        )
        .route(
            "/reinitialisation/{token}",
            Access::Public,
            get(reset_form).post(reset),
        )
        .route(
            "/invitation/{token}",
            Access::Public,
            get(invite_form).post(accept_invite),
        )
        .route("/p/{slug}", Access::Public, get(partner_link))
        .route("/compte", Access::SignedIn, get(account))
        .route(
            "/admin/equipe",
            Access::Roles(ADMIN),
            get(team).post(invite),
        )
}

/// Cookie remembering which partner's link brought the visitor.
pub const PARTNER_COOKIE: &str = "tremplin_partner";

fn cookie_header(state: &AppState, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if state.config.base_url.scheme() == "https" {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    ))
    .unwrap_or(HeaderValue::from_static(""))
}

fn link(state: &AppState, path: &str) -> String {
    format!(
        "{}{path}",
        state.config.base_url.as_str().trim_end_matches('/')
    )
}

/// Start a session for `user_id`, set its cookie and redirect to `to`.
async fn sign_in(
    state: &AppState,
    headers: &HeaderMap,
    user_id: i64,
    to: &str,
) -> Result<Response, AppError> {
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let token = create_session(&state.db, user_id, ua).await?;
    let mut res = Redirect::to(to).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(state, SESSION_COOKIE, &token, SESSION_TTL_MS / 1000),
    );
    Ok(res)
}

fn password_rules(v: &mut Violations, password: &str, confirm: &str, email: &str) {
    let n = password.chars().count();
    if n == 0 {
        v.add("password", "form-required", None);
    } else if n < 12 {
        v.add("password", "auth-password-short", Some(12));
    } else if n > 128 {
        v.add("password", "form-too-long", Some(128));
    } else if password.trim().eq_ignore_ascii_case(email.trim()) {
        v.add("password", "auth-password-is-email", None);
    }
    if password != confirm {
        v.add("password_confirm", "auth-password-mismatch", None);
    }
}

// ---------------------------------------------------------------- sign-up

/// What the sign-up form sends.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct SignupInput {
    pub name: String,
    pub email: String,
    pub password: String,
    pub password_confirm: String,
    pub account_type: String,
    pub consent: Option<String>,
}

#[derive(Template)]
#[template(path = "auth/signup.html")]
struct SignupPage {
    ctx: PageCtx,
    input: SignupInput,
    errors: Violations,
}

impl SignupPage {
    fn is_type(&self, t: &str) -> bool {
        self.input.account_type == t
    }
    fn consent_checked(&self) -> bool {
        checked(&self.input.consent)
    }
}

async fn signup_form(ctx: PageCtx) -> Response {
    if ctx.signed_in() {
        return Redirect::to("/compte").into_response();
    }
    page(&SignupPage {
        ctx,
        input: SignupInput {
            account_type: "business".into(),
            ..Default::default()
        },
        errors: Violations::default(),
    })
}

/// The text version of the sign-up consent, recorded with each account.
pub const SIGNUP_CONSENT_VERSION: &str = "cgu-2026-11";

async fn signup(
    State(state): State<AppState>,
    ctx: PageCtx,
    ClientIp(ip): ClientIp,
    WebForm(input): WebForm<SignupInput>,
) -> Result<Response, AppError> {
    let mut v = Violations::default();
    let name = v.text("name", &input.name, 2, 120);
    let email = v.email("email", &input.email).to_lowercase();
    password_rules(&mut v, &input.password, &input.password_confirm, &email);
    let role = match input.account_type.as_str() {
        "business" => Some(Role::Business),
        "provider" => Some(Role::Provider),
        _ => {
            v.add("account_type", "form-choose", None);
            None
        }
    };
    v.accepted("consent", checked(&input.consent));
    let ip_bucket = format!("signup:ip:{}", ip);
    if v.is_empty() && attempts(&state.db, &ip_bucket).await? >= 10 {
        v.add("email", "auth-rate-limited", None);
    }
    if !v.is_empty() {
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &SignupPage {
                ctx,
                input: SignupInput {
                    password: String::new(),
                    password_confirm: String::new(),
                    ..input
                },
                errors: v,
            },
        ));
    }
    record_attempt(&state.db, &ip_bucket).await?;
    let hash = hash_password(input.password.clone()).await?;
    let tr = ctx.tr;
    let now = now_ms();
    let mut tx = state.db.begin_write().await?;
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(&mut *tx)
        .await?;
    match existing {
        Some(_) => {
            // Same answer on screen; the owner of the address is told by mail.
            enqueue(
                &mut tx,
                &NewMail {
                    kind: "auth.signup-existing",
                    to: email.clone(),
                    reply_to: None,
                    subject: tr.t("mail-existing-subject"),
                    body_text: format!(
                        "{}\n\n{}\n{}\n\n{}\n{}\n",
                        tr.ts("mail-hello", "name", &name),
                        tr.t("mail-existing-body"),
                        link(&state, "/connexion"),
                        tr.t("mail-existing-reset"),
                        link(&state, "/mot-de-passe-oublie")
                    ),
                },
            )
            .await?;
        }
        None => {
            let user_id: i64 = sqlx::query_scalar(
                "INSERT INTO users (email, display_name, password_hash, locale, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
            )
            .bind(&email)
            .bind(&name)
            .bind(&hash)
            .bind(tr.lang())
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, $2, $3)")
                .bind(user_id)
                .bind(role.map(|r| r.code()).unwrap_or("business"))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let token = issue_link(
                &mut tx,
                "verify",
                Some(user_id),
                &email,
                &[],
                None,
                VERIFY_TTL_MS,
            )
            .await?;
            enqueue(
                &mut tx,
                &verification_mail(&state, tr, &name, &email, &token),
            )
            .await?;
        }
    }
    tx.commit().await?;
    state.mail_notify.notify_one();
    Ok(Redirect::to("/inscription/envoye").into_response())
}

fn verification_mail(state: &AppState, tr: Tr, name: &str, email: &str, token: &str) -> NewMail {
    NewMail {
        kind: "auth.verify",
        to: email.to_string(),
        reply_to: None,
        subject: tr.t("mail-verify-subject"),
        body_text: format!(
            "{}\n\n{}\n{}\n\n{}\n",
            tr.ts("mail-hello", "name", name),
            tr.t("mail-verify-body"),
            link(state, &format!("/verification/{token}")),
            tr.t("mail-verify-expiry")
        ),
    }
}

#[derive(Template)]
#[template(path = "auth/message.html")]
struct MessagePage {
    ctx: PageCtx,
    title: String,
    body: String,
    action: Option<(String, String)>,
}

async fn signup_sent(ctx: PageCtx) -> Response {
    let tr = ctx.tr;
    page(&MessagePage {
        title: tr.t("auth-check-mail-title"),
        body: tr.t("auth-check-mail-body"),
        action: None,
        ctx,
    })
}

// ---------------------------------------------------------------- links

fn link_error_page(ctx: PageCtx, err: LinkError, retry: (&str, &str)) -> Response {
    let tr = ctx.tr;
    let (status, key) = match err {
        LinkError::Unknown => (StatusCode::NOT_FOUND, "auth-link-unknown"),
        LinkError::Expired => (StatusCode::GONE, "auth-link-expired"),
        LinkError::Used => (StatusCode::GONE, "auth-link-used"),
    };
    render(
        status,
        &MessagePage {
            title: tr.t("auth-link-title"),
            body: tr.t(key),
            action: Some((retry.0.to_string(), tr.t(retry.1))),
            ctx,
        },
    )
}

#[derive(Template)]
#[template(path = "auth/verify.html")]
struct VerifyPage {
    ctx: PageCtx,
    token: String,
}

/// Shows a button rather than acting on GET: mail scanners that open links
/// must not use them up.
async fn verify_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    Ok(match peek_link(&state.db, "verify", &token).await? {
        Ok(_) => page(&VerifyPage { ctx, token }),
        Err(e) => link_error_page(ctx, e, ("/connexion", "auth-login-to-resend")),
    })
}

async fn verify(
    State(state): State<AppState>,
    ctx: PageCtx,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin_write().await?;
    let grant = match consume_link(&mut tx, "verify", &token).await? {
        Ok(g) => g,
        Err(e) => {
            tx.rollback().await?;
            return Ok(link_error_page(
                ctx,
                e,
                ("/connexion", "auth-login-to-resend"),
            ));
        }
    };
    let Some(user_id) = grant.user_id else {
        return Err(AppError::BadRequest);
    };
    sqlx::query("UPDATE users SET email_verified_at = $1, updated_at = $1 WHERE id = $2 AND email_verified_at IS NULL")
        .bind(now_ms())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    sign_in(&state, &headers, user_id, "/compte?bienvenue=1").await
}

// ---------------------------------------------------------------- login

/// What the login form sends.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct LoginInput {
    pub email: String,
    pub password: String,
    pub next: String,
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    ctx: PageCtx,
    input: LoginInput,
    errors: Violations,
    notice: Option<String>,
    failure: Option<String>,
}

/// id, password hash, verified at, disabled at, name.
type LoginRow = (i64, Option<String>, Option<i64>, Option<i64>, String);

/// Query of the login page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginQuery {
    next: String,
    partout: Option<String>,
    sortie: Option<String>,
}

async fn login_form(ctx: PageCtx, Query(q): Query<LoginQuery>) -> Response {
    if ctx.signed_in() {
        return Redirect::to("/compte").into_response();
    }
    let notice = if q.partout.is_some() {
        Some(ctx.tr.t("auth-logged-out-everywhere"))
    } else if q.sortie.is_some() {
        Some(ctx.tr.t("auth-logged-out"))
    } else {
        None
    };
    page(&LoginPage {
        ctx,
        input: LoginInput {
            next: safe_local_path(&q.next).unwrap_or("").to_string(),
            ..Default::default()
        },
        errors: Violations::default(),
        notice,
        failure: None,
    })
}

async fn login(
    State(state): State<AppState>,
    ctx: PageCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    WebForm(input): WebForm<LoginInput>,
) -> Result<Response, AppError> {
    let tr = ctx.tr;
    let email = input.email.trim().to_lowercase();
    let mut v = Violations::default();
    if email.is_empty() {
        v.add("email", "form-required", None);
    }
    if input.password.is_empty() {
        v.add("password", "form-required", None);
    }
    let fail = |ctx: PageCtx,
                input: LoginInput,
                status: StatusCode,
                errors: Violations,
                failure: Option<String>| {
        render(
            status,
            &LoginPage {
                ctx,
                input: LoginInput {
                    password: String::new(),
                    ..input
                },
                errors,
                notice: None,
                failure,
            },
        )
    };
    if !v.is_empty() {
        return Ok(fail(ctx, input, StatusCode::UNPROCESSABLE_ENTITY, v, None));
    }
    let acct_bucket = format!("login:acct:{email}");
    let ip_bucket = format!("login:ip:{}", ip);
    if attempts(&state.db, &acct_bucket).await? >= MAX_FAILURES_PER_ACCOUNT
        || attempts(&state.db, &ip_bucket).await? >= MAX_ATTEMPTS_PER_ADDRESS
    {
        return Ok(fail(
            ctx,
            input,
            StatusCode::TOO_MANY_REQUESTS,
            v,
            Some(tr.t("auth-login-rate-limited")),
        ));
    }
    let row: Option<LoginRow> = sqlx::query_as(
        "SELECT id, password_hash, email_verified_at, disabled_at, display_name FROM users WHERE email = $1",
    )
    .bind(&email)
    .fetch_optional(&state.db.pool)
    .await?;
    let hash = row.as_ref().and_then(|r| r.1.clone());
    let password_ok = verify_password(input.password.clone(), hash).await;
    let usable = row.as_ref().is_some_and(|r| r.3.is_none());
    if !(password_ok && usable) {
        record_attempt(&state.db, &acct_bucket).await?;
        record_attempt(&state.db, &ip_bucket).await?;
        return Ok(fail(
            ctx,
            input,
            StatusCode::UNPROCESSABLE_ENTITY,
            v,
            Some(tr.t("auth-login-failed")),
        ));
    }
    let (user_id, _, verified, _, name) = row.expect("checked above");
    if verified.is_none() {
        let mut tx = state.db.begin_write().await?;
        let token = issue_link(
            &mut tx,
            "verify",
            Some(user_id),
            &email,
            &[],
            None,
            VERIFY_TTL_MS,
        )
        .await?;
        enqueue(
            &mut tx,
            &verification_mail(&state, tr, &name, &email, &token),
        )
        .await?;
        tx.commit().await?;
        state.mail_notify.notify_one();
        return Ok(fail(
            ctx,
            input,
            StatusCode::FORBIDDEN,
            v,
            Some(tr.t("auth-login-unverified")),
        ));
    }
    clear_attempts(&state.db, &acct_bucket).await?;
    // Rotate: the session a visitor had before logging in is never reused.
    if let Some(old) = cookie(&headers, SESSION_COOKIE) {
        end_session(&state.db, &hash_secret(old)).await?;
    }
    let next = safe_local_path(&input.next)
        .filter(|n| !n.is_empty())
        .unwrap_or("/compte");
    sign_in(&state, &headers, user_id, next).await
}

async fn logout(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Response, AppError> {
    if let Some(u) = user {
        end_session(&state.db, &u.session_hash).await?;
    }
    let mut res = Redirect::to("/connexion?sortie=1").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(&state, SESSION_COOKIE, "", 0),
    );
    Ok(res)
}

async fn logout_everywhere(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Response, AppError> {
    if let Some(u) = user {
        end_all_sessions(&state.db, u.id).await?;
    }
    let mut res = Redirect::to("/connexion?partout=1").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(&state, SESSION_COOKIE, "", 0),
    );
    Ok(res)
}

// ---------------------------------------------------------------- reset

/// What the "forgotten password" form sends.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ForgotInput {
    pub email: String,
}

#[derive(Template)]
#[template(path = "auth/forgot.html")]
struct ForgotPage {
    ctx: PageCtx,
    input: ForgotInput,
    errors: Violations,
}

async fn forgot_form(ctx: PageCtx) -> Response {
    page(&ForgotPage {
        ctx,
        input: ForgotInput::default(),
        errors: Violations::default(),
    })
}

async fn forgot(
    State(state): State<AppState>,
    ctx: PageCtx,
    ClientIp(ip): ClientIp,
    WebForm(input): WebForm<ForgotInput>,
) -> Result<Response, AppError> {
    let mut v = Violations::default();
    let email = v.email("email", &input.email).to_lowercase();
    let ip_bucket = format!("reset:ip:{}", ip);
    if v.is_empty() && attempts(&state.db, &ip_bucket).await? >= 10 {
        v.add("email", "auth-rate-limited", None);
    }
    if !v.is_empty() {
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ForgotPage {
                ctx,
                input,
                errors: v,
            },
        ));
    }
    record_attempt(&state.db, &ip_bucket).await?;
    let tr = ctx.tr;
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, display_name FROM users WHERE email = $1 AND disabled_at IS NULL",
    )
    .bind(&email)
    .fetch_optional(&state.db.pool)
    .await?;
    if let Some((user_id, name)) = row {
        let mut tx = state.db.begin_write().await?;
        let token = issue_link(
            &mut tx,
            "reset",
            Some(user_id),
            &email,
            &[],
            None,
            RESET_TTL_MS,
        )
        .await?;
        enqueue(
            &mut tx,
            &NewMail {
                kind: "auth.reset",
                to: email.clone(),
                reply_to: None,
                subject: tr.t("mail-reset-subject"),
                body_text: format!(
                    "{}\n\n{}\n{}\n\n{}\n",
                    tr.ts("mail-hello", "name", &name),
                    tr.t("mail-reset-body"),
                    link(&state, &format!("/reinitialisation/{token}")),
                    tr.t("mail-reset-expiry")
                ),
            },
        )
        .await?;
        tx.commit().await?;
        state.mail_notify.notify_one();
    }
    Ok(page(&MessagePage {
        title: tr.t("auth-reset-sent-title"),
        body: tr.t("auth-reset-sent-body"),
        action: None,
        ctx,
    }))
}

/// What the new-password form sends (reset and invitation).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PasswordInput {
    pub name: String,
    pub password: String,
    pub password_confirm: String,
}

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

/// Which single-use link a new-password form answers.
#[derive(Clone, Copy)]
enum LinkKind {
    Reset,
    Invite,
}

fn password_page(
    ctx: PageCtx,
    kind: LinkKind,
    token: &str,
    email: String,
    input: PasswordInput,
    errors: Violations,
) -> PasswordPage {
    let (action, title_key, ask_name) = match kind {
        LinkKind::Reset => (
            format!("/reinitialisation/{token}"),
            "auth-reset-title",
            false,
        ),
        LinkKind::Invite => (format!("/invitation/{token}"), "auth-invite-title", true),
    };
    PasswordPage {
        title: ctx.tr.t(title_key),
        ctx,
        action,
        email,
        ask_name,
        input,
        errors,
    }
}

async fn reset_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    Ok(match peek_link(&state.db, "reset", &token).await? {
        Ok(g) => page(&password_page(
            ctx,
            LinkKind::Reset,
            &token,
            g.email,
            PasswordInput::default(),
            Violations::default(),
        )),
        Err(e) => link_error_page(ctx, e, ("/mot-de-passe-oublie", "auth-ask-new-link")),
    })
}

async fn reset(
    State(state): State<AppState>,
    ctx: PageCtx,
    headers: HeaderMap,
    Path(token): Path<String>,
    WebForm(input): WebForm<PasswordInput>,
) -> Result<Response, AppError> {
    let grant = match peek_link(&state.db, "reset", &token).await? {
        Ok(g) => g,
        Err(e) => {
            return Ok(link_error_page(
                ctx,
                e,
                ("/mot-de-passe-oublie", "auth-ask-new-link"),
            ))
        }
    };
    let mut v = Violations::default();
    password_rules(
        &mut v,
        &input.password,
        &input.password_confirm,
        &grant.email,
    );
    if !v.is_empty() {
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &password_page(
                ctx,
                LinkKind::Reset,
                &token,
                grant.email,
                PasswordInput::default(),
                v,
            ),
        ));
    }
    let hash = hash_password(input.password).await?;
    let mut tx = state.db.begin_write().await?;
    let grant = match consume_link(&mut tx, "reset", &token).await? {
        Ok(g) => g,
        Err(e) => {
            tx.rollback().await?;
            return Ok(link_error_page(
                ctx,
                e,
                ("/mot-de-passe-oublie", "auth-ask-new-link"),
            ));
        }
    };
    let Some(user_id) = grant.user_id else {
        return Err(AppError::BadRequest);
    };
    let now = now_ms();
    sqlx::query(
        "UPDATE users SET password_hash = $1, email_verified_at = COALESCE(email_verified_at, $2), updated_at = $2 WHERE id = $3",
    )
    .bind(&hash)
    .bind(now)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    // A new password ends every other session.
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    sign_in(&state, &headers, user_id, "/compte?reinitialise=1").await
}

// ---------------------------------------------------------------- invitations

async fn invite_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    Ok(match peek_link(&state.db, "invite", &token).await? {
        Ok(g) => page(&password_page(
            ctx,
            LinkKind::Invite,
            &token,
            g.email,
            PasswordInput::default(),
            Violations::default(),
        )),
        Err(e) => link_error_page(ctx, e, ("/contact", "auth-contact-team")),
    })
}

async fn accept_invite(
    State(state): State<AppState>,
    ctx: PageCtx,
    headers: HeaderMap,
    Path(token): Path<String>,
    WebForm(input): WebForm<PasswordInput>,
) -> Result<Response, AppError> {
    let grant = match peek_link(&state.db, "invite", &token).await? {
        Ok(g) => g,
        Err(e) => return Ok(link_error_page(ctx, e, ("/contact", "auth-contact-team"))),
    };
    let mut v = Violations::default();
    let name = v.text("name", &input.name, 2, 120);
    password_rules(
        &mut v,
        &input.password,
        &input.password_confirm,
        &grant.email,
    );
    if !v.is_empty() {
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &password_page(
                ctx,
                LinkKind::Invite,
                &token,
                grant.email,
                PasswordInput {
                    name,
                    ..Default::default()
                },
                v,
            ),
        ));
    }
    let hash = hash_password(input.password).await?;
    let mut tx = state.db.begin_write().await?;
    let grant = match consume_link(&mut tx, "invite", &token).await? {
        Ok(g) => g,
        Err(e) => {
            tx.rollback().await?;
            return Ok(link_error_page(ctx, e, ("/contact", "auth-contact-team")));
        }
    };
    let now = now_ms();
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(&grant.email)
        .fetch_optional(&mut *tx)
        .await?;
    let user_id = match existing {
        Some(id) => {
            sqlx::query("UPDATE users SET password_hash = $1, email_verified_at = COALESCE(email_verified_at, $2), updated_at = $2 WHERE id = $3")
                .bind(&hash)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            id
        }
        None => {
            sqlx::query_scalar(
                "INSERT INTO users (email, display_name, password_hash, locale, email_verified_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $5, $5) RETURNING id",
            )
            .bind(&grant.email)
            .bind(&name)
            .bind(&hash)
            .bind(ctx.tr.lang())
            .bind(now)
            .fetch_one(&mut *tx)
            .await?
        }
    };
    for role in &grant.roles {
        sqlx::query("INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(user_id)
            .bind(role.code())
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    sign_in(&state, &headers, user_id, "/compte?bienvenue=1").await
}

/// What the invitation form sends.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct InviteInput {
    pub email: String,
    pub role_admin: Option<String>,
    pub role_adviser: Option<String>,
    pub role_speaker: Option<String>,
    pub role_funder: Option<String>,
}

impl InviteInput {
    fn roles(&self) -> Vec<Role> {
        let mut r = vec![];
        for (on, role) in [
            (&self.role_admin, Role::Admin),
            (&self.role_adviser, Role::Adviser),
            (&self.role_speaker, Role::Speaker),
            (&self.role_funder, Role::Funder),
        ] {
            if checked(on) {
                r.push(role);
            }
        }
        r
    }
}

/// A staff member as listed on the team page.
pub struct StaffRow {
    pub name: String,
    pub email: String,
    pub roles: String,
}

#[derive(Template)]
#[template(path = "auth/team.html")]
struct TeamPage {
    ctx: PageCtx,
    input: InviteInput,
    errors: Violations,
    staff: Vec<StaffRow>,
    pending: Vec<(String, String)>,
    notice: Option<String>,
}

impl TeamPage {
    fn role_checked(&self, code: &str) -> bool {
        self.input.roles().iter().any(|r| r.code() == code)
    }
    fn role_label(&self, code: &str) -> String {
        self.ctx.tr.code("role-", code)
    }
}

async fn team_page(
    state: &AppState,
    ctx: PageCtx,
    input: InviteInput,
    errors: Violations,
    notice: Option<String>,
) -> Result<TeamPage, AppError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT u.display_name, u.email, r.role FROM users u JOIN user_roles r ON r.user_id = u.id \
         WHERE r.role IN ('admin', 'adviser', 'speaker', 'funder') ORDER BY u.display_name, r.role",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let mut staff: Vec<StaffRow> = vec![];
    for (name, email, role) in rows {
        let label = ctx.tr.code("role-", &role);
        match staff.last_mut() {
            Some(last) if last.email == email => {
                last.roles.push_str(", ");
                last.roles.push_str(&label);
            }
            _ => staff.push(StaffRow {
                name,
                email,
                roles: label,
            }),
        }
    }
    let pending_rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT email, roles FROM auth_tokens WHERE purpose = 'invite' AND used_at IS NULL AND expires_at > $1 ORDER BY created_at DESC",
    )
    .bind(now_ms())
    .fetch_all(&state.db.pool)
    .await?;
    let pending = pending_rows
        .into_iter()
        .map(|(email, roles)| {
            let labels: Vec<String> = roles
                .split(',')
                .filter(|r| !r.is_empty())
                .map(|r| ctx.tr.code("role-", r))
                .collect();
            (email, labels.join(", "))
        })
        .collect();
    Ok(TeamPage {
        ctx,
        input,
        errors,
        staff,
        pending,
        notice,
    })
}

async fn team(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, AppError> {
    let p = team_page(
        &state,
        ctx,
        InviteInput::default(),
        Violations::default(),
        None,
    )
    .await?;
    Ok(page(&p))
}

async fn invite(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    WebForm(input): WebForm<InviteInput>,
) -> Result<Response, AppError> {
    let mut v = Violations::default();
    let email = v.email("email", &input.email).to_lowercase();
    let roles = input.roles();
    if roles.is_empty() {
        v.add("roles", "auth-choose-role", None);
    }
    if !v.is_empty() {
        let p = team_page(&state, ctx, input, v, None).await?;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    }
    let tr = ctx.tr;
    let inviter = user.as_ref().map(|u| u.name.clone()).unwrap_or_default();
    let programme = state.programme().await?;
    let mut tx = state.db.begin_write().await?;
    let token = issue_link(
        &mut tx,
        "invite",
        None,
        &email,
        &roles,
        user.as_ref().map(|u| u.id),
        INVITE_TTL_MS,
    )
    .await?;
    let labels: Vec<String> = roles.iter().map(|r| tr.code("role-", r.code())).collect();
    enqueue(
        &mut tx,
        &NewMail {
            kind: "auth.invite",
            to: email.clone(),
            reply_to: user.as_ref().map(|u| u.email.clone()),
            subject: tr.ts("mail-invite-subject", "programme", &programme.name),
            body_text: format!(
                "{}\n\n{}\n{}\n\n{}\n{}\n\n{}\n",
                tr.t("mail-hello-anonymous"),
                tr.ts("mail-invite-body", "inviter", &inviter),
                tr.ts("mail-invite-roles", "roles", &labels.join(", ")),
                tr.t("mail-invite-link"),
                link(&state, &format!("/invitation/{token}")),
                tr.t("mail-invite-expiry")
            ),
        },
    )
    .await?;
    tx.commit().await?;
    state.mail_notify.notify_one();
    let notice = Some(tr.ts("auth-invite-sent", "email", &email));
    let p = team_page(
        &state,
        ctx,
        InviteInput::default(),
        Violations::default(),
        notice,
    )
    .await?;
    Ok(page(&p))
}

// ---------------------------------------------------------------- partner link, account

async fn partner_link(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM partners WHERE slug = $1")
        .bind(&slug)
        .fetch_optional(&state.db.pool)
        .await?;
    if exists.is_none() {
        return Err(AppError::NotFound);
    }
    let mut res = Redirect::to("/inscription").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(&state, PARTNER_COOKIE, &slug, 90 * 24 * 3600),
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

async fn account(ctx: PageCtx, Query(q): Query<AccountQuery>) -> Result<Response, AppError> {
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
    let role_labels = user
        .roles
        .iter()
        .map(|r| ctx.tr.code("role-", r.code()))
        .collect();
    Ok(page(&AccountPage {
        ctx,
        user,
        notice,
        role_labels,
    }))
}
