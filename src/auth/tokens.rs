//! Personal API tokens: shown once, stored hashed, revocable, scoped to one
//! of the person's roles.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Extension;
use serde::Deserialize;
use sqlx::Row;

use super::{hash_secret, CurrentUser, Role};
use crate::db::{now_ms, Db};
use crate::state::AppState;
use crate::web::access::{Access, Routes};
use crate::web::forms::{Violations, WebForm};
use crate::web::pipeline::random_token;
use crate::web::{page, render, AppError, PageCtx};

/// Routes of this module.
pub fn routes() -> Routes {
    Routes::new()
        .route("/compte/api", Access::SignedIn, get(list).post(create))
        .route("/compte/api/{id}/revoquer", Access::SignedIn, post(revoke))
}

/// A token as listed (never its secret).
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub role: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked: bool,
}

/// What the create form sends.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct TokenInput {
    pub name: String,
    pub role: String,
}

#[derive(Template)]
#[template(path = "auth/tokens.html")]
struct TokensPage {
    ctx: PageCtx,
    tokens: Vec<TokenRow>,
    roles: Vec<(String, String)>,
    input: TokenInput,
    errors: Violations,
    created: Option<String>,
}

impl TokensPage {
    fn when(&self, ms: &i64) -> String {
        self.ctx.datetime(*ms)
    }
    fn role_label(&self, code: &str) -> String {
        self.ctx.tr.code("role-", code)
    }
    fn is(&self, a: &str, b: &str) -> bool {
        a == b
    }
}

async fn tokens_of(db: &Db, user_id: i64) -> Result<Vec<TokenRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, name, prefix, role, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| TokenRow {
            id: r.get("id"),
            name: r.get("name"),
            prefix: r.get("prefix"),
            role: r.get("role"),
            created_at: r.get("created_at"),
            last_used_at: r.try_get("last_used_at").ok().flatten(),
            revoked: r
                .try_get::<Option<i64>, _>("revoked_at")
                .ok()
                .flatten()
                .is_some(),
        })
        .collect())
}

async fn tokens_page(
    state: &AppState,
    ctx: PageCtx,
    input: TokenInput,
    errors: Violations,
    created: Option<String>,
) -> Result<TokensPage, AppError> {
    let user = ctx.user.clone().ok_or(AppError::Forbidden)?;
    let tokens = tokens_of(&state.db, user.id).await?;
    let roles = user
        .roles
        .iter()
        .map(|r| (r.code().to_string(), ctx.tr.code("role-", r.code())))
        .collect();
    Ok(TokensPage {
        ctx,
        tokens,
        roles,
        input,
        errors,
        created,
    })
}

async fn list(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, AppError> {
    let p = tokens_page(
        &state,
        ctx,
        TokenInput::default(),
        Violations::default(),
        None,
    )
    .await?;
    Ok(page(&p))
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    WebForm(input): WebForm<TokenInput>,
) -> Result<Response, AppError> {
    let user = user.ok_or(AppError::Forbidden)?;
    let mut v = Violations::default();
    let name = v.text("name", &input.name, 2, 80);
    let role = Role::from_code(input.role.trim()).filter(|r| user.has(*r));
    if role.is_none() {
        v.add("role", "form-choose", None);
    }
    if !v.is_empty() {
        let p = tokens_page(&state, ctx, input, v, None).await?;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    }
    let secret = format!("trp_{}", &random_token()[..40]);
    sqlx::query(
        "INSERT INTO api_tokens (user_id, name, token_hash, prefix, role, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(user.id)
    .bind(&name)
    .bind(hash_secret(&secret))
    .bind(&secret[..12])
    .bind(role.map(|r| r.code()).unwrap_or("business"))
    .bind(now_ms())
    .execute(&state.db.pool)
    .await?;
    let p = tokens_page(
        &state,
        ctx,
        TokenInput::default(),
        Violations::default(),
        Some(secret),
    )
    .await?;
    Ok(page(&p))
}

async fn revoke(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let user = user.ok_or(AppError::Forbidden)?;
    let done = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
        .bind(now_ms())
        .bind(id)
        .bind(user.id)
        .execute(&state.db.pool)
        .await?;
    if done.rows_affected() == 0 {
        let mine: Option<i64> =
            sqlx::query_scalar("SELECT id FROM api_tokens WHERE id = $1 AND user_id = $2")
                .bind(id)
                .bind(user.id)
                .fetch_optional(&state.db.pool)
                .await?;
        if mine.is_none() {
            return Err(AppError::NotFound);
        }
    }
    Ok(Redirect::to("/compte/api").into_response())
}

/// The caller of an API request, from its bearer token.
#[derive(Debug, Clone)]
pub struct ApiCaller {
    pub user_id: i64,
    pub role: Role,
}

/// Resolve a bearer token; `None` when unknown, revoked, or the role was withdrawn.
pub async fn caller(db: &Db, token: &str) -> Result<Option<ApiCaller>, sqlx::Error> {
    if !token.starts_with("trp_") || token.len() != 44 {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT t.id, t.user_id, t.role, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id \
         JOIN user_roles r ON r.user_id = t.user_id AND r.role = t.role \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL",
    )
    .bind(hash_secret(token))
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let now = now_ms();
    let last: Option<i64> = row.try_get("last_used_at").ok().flatten();
    if last.is_none_or(|l| now - l > 60_000) {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(row.get::<i64, _>("id"))
            .execute(&db.pool)
            .await?;
    }
    let role: String = row.get("role");
    Ok(Role::from_code(&role).map(|role| ApiCaller {
        user_id: row.get("user_id"),
        role,
    }))
}
