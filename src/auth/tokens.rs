//! Personal API tokens: shown once, stored hashed, revocable, scoped to one
//! of the person's roles.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;

use super::model::{CurrentUser, Role, TokenInput};
use super::store::{self, TokenRow};
use crate::db::{now_ms, Db};
use crate::web::forms::{Violations, WebForm};
use crate::web::pipeline::random_token;
use crate::web::{page, render, AppError, PageCtx};

/// A token is used at most this often without writing its last use again.
const TOUCH_EVERY_MS: i64 = 60_000;

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

async fn tokens_page(
    db: &Db,
    ctx: PageCtx,
    input: TokenInput,
    errors: Violations,
    created: Option<String>,
) -> Result<TokensPage, AppError> {
    let user = ctx.user.clone().ok_or(AppError::Forbidden)?;
    let tokens = store::tokens_of(db, user.id).await?;
    let roles = user
        .roles
        .iter()
        .map(|r| (r.code().to_string(), ctx.tr.t(r.label_key())))
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

/// The person's tokens and the form to create one.
pub async fn list(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let p = tokens_page(&db, ctx, TokenInput::default(), Violations::default(), None).await?;
    Ok(page(&p))
}

/// Create a token and show its secret, once.
pub async fn create(
    State(db): State<Db>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    WebForm(input): WebForm<TokenInput>,
) -> Result<Response, AppError> {
    let user = user.ok_or(AppError::Forbidden)?;
    let new = match input.parse(&user.roles) {
        Ok(n) => n,
        Err(v) => {
            let p = tokens_page(&db, ctx, input, v, None).await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    let secret = format!("trp_{}", &random_token()[..40]);
    store::create_token(&db, user.id, &new.name, &secret, new.role).await?;
    let p = tokens_page(
        &db,
        ctx,
        TokenInput::default(),
        Violations::default(),
        Some(secret),
    )
    .await?;
    Ok(page(&p))
}

/// Revoke one of the person's tokens.
pub async fn revoke(
    State(db): State<Db>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let user = user.ok_or(AppError::Forbidden)?;
    if !store::revoke_token(&db, user.id, id).await? {
        return Err(AppError::NotFound);
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
    let Some(row) = store::bearer(db, token).await? else {
        return Ok(None);
    };
    if row
        .last_used_at
        .is_none_or(|l| now_ms() - l > TOUCH_EVERY_MS)
    {
        store::touch_token(db, row.id).await?;
    }
    Ok(Role::from_code(&row.role).map(|role| ApiCaller {
        user_id: row.user_id,
        role,
    }))
}
