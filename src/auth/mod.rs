//! Accounts: sign-up and e-mail verification, login and logout, password
//! reset, staff invitations, the account page and personal API tokens.
//!
//! `model` holds roles, link purposes, account states and form rules;
//! `store` every SQL statement; `mails` the mails; `pages` the handlers.
//! Each route is declared below with who may use it.

pub mod mails;
pub mod model;
mod pages;
pub mod secrets;
pub mod store;
pub mod tokens;

use axum::routing::{get, post};

pub use model::{CurrentUser, Role, SessionUser};
pub use pages::PARTNER_COOKIE;
pub use secrets::{hash_password, hash_secret, verify_password};
pub use store::load_session;

use crate::web::access::{Access, Routes, ADMIN};

/// Cookie holding the session id.
pub const SESSION_COOKIE: &str = "tremplin_session";

/// Routes of accounts, each with who may use it.
pub fn routes() -> Routes {
    use pages::{account, login, reset, signup, team};
    Routes::new()
        .route(
            "/inscription",
            Access::Public,
            get(signup::form).post(signup::submit),
        )
        .route("/inscription/envoye", Access::Public, get(signup::sent))
        .route(
            "/verification/{token}",
            Access::Public,
            get(signup::verify_form).post(signup::verify),
        )
        .route(
            "/connexion",
            Access::Public,
            get(login::form).post(login::submit),
        )
        .route("/deconnexion", Access::SignedIn, post(login::logout))
        .route(
            "/deconnexion-partout",
            Access::SignedIn,
            post(login::logout_everywhere),
        )
        .route(
            "/mot-de-passe-oublie",
            Access::Public,
            get(reset::forgot_form).post(reset::forgot),
        )
        .route(
            "/reinitialisation/{token}",
            Access::Public,
            get(reset::form).post(reset::submit),
        )
        .route(
            "/invitation/{token}",
            Access::Public,
            get(team::invitation_form).post(team::accept),
        )
        .route("/p/{slug}", Access::Public, get(account::partner_link))
        .route("/compte", Access::SignedIn, get(account::show))
        .route(
            "/admin/equipe",
            Access::Roles(ADMIN),
            get(team::show).post(team::invite),
        )
        .route(
            "/admin/equipe/retirer",
            Access::Roles(ADMIN),
            post(team::revoke),
        )
        .route(
            "/admin/equipe/perimetre",
            Access::Roles(ADMIN),
            post(team::scope),
        )
        .route(
            "/admin/equipe/programme",
            Access::Roles(ADMIN),
            post(team::programme_scope),
        )
        .route(
            "/compte/api",
            Access::SignedIn,
            get(tokens::list).post(tokens::create),
        )
        .route(
            "/compte/api/{id}/revoquer",
            Access::SignedIn,
            post(tokens::revoke),
        )
}
