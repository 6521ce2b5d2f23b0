//! Who may use which route: one table, enforced by one middleware before any
//! handler runs, and walked by the role-matrix test.

use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::app::AppState;
use crate::auth::{self, CurrentUser, Role, SESSION_COOKIE};
use crate::web::cookie;
use crate::web::ctx::urlencode;
use crate::web::error::{marked, ErrorKind};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in person.
    SignedIn,
    /// A signed-in person holding at least one of these roles.
    Roles(&'static [Role]),
}

/// Programme staff.
pub const STAFF: &[Role] = &[Role::Admin, Role::Adviser];
/// Programme managers only.
pub const ADMIN: &[Role] = &[Role::Admin];
/// Business owners.
pub const BUSINESS: &[Role] = &[Role::Business];
/// People who run sessions: speakers and programme staff.
pub const SPEAKERS: &[Role] = &[Role::Speaker, Role::Admin, Role::Adviser];
/// Providers, and programme managers who may act for them.
pub const PROVIDERS: &[Role] = &[Role::Provider, Role::Admin];
/// Who writes needs: business owners and programme staff.
pub const NEEDS: &[Role] = &[Role::Business, Role::Admin, Role::Adviser];
/// Who may post on the notice board (posts are moderated).
pub const POSTERS: &[Role] = &[Role::Provider, Role::Admin, Role::Adviser];
/// Who reads the programme's figures.
pub const DASHBOARD: &[Role] = &[Role::Admin, Role::Adviser, Role::Funder];

/// One row of the access table: method (`*` for any), route pattern, access.
pub struct RoutePolicy {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

const fn p(method: &'static str, path: &'static str, access: Access) -> RoutePolicy {
    RoutePolicy {
        method,
        path,
        access,
    }
}

/// Every route of the application. A route missing here is refused.
pub const POLICIES: &[RoutePolicy] = &[
    p("*", "/", Access::Public),
    p("*", "/contact", Access::Public),
    p("*", "/contact/merci", Access::Public),
    p("*", "/lang/{code}", Access::Public),
    p("*", "/static/{name}", Access::Public),
    p("*", "/healthz", Access::Public),
    p("*", "/readyz", Access::Public),
    p("*", "/metrics", Access::Public),
    p("*", "/api/v1", Access::Public),
    p("*", "/api/v1/", Access::Public),
    p("*", "/api/v1/openapi.json", Access::Public),
    p("*", "/api/v1/contact", Access::Public),
    // Accounts.
    p("*", "/inscription", Access::Public),
    p("*", "/inscription/envoye", Access::Public),
    p("*", "/verification/{token}", Access::Public),
    p("*", "/connexion", Access::Public),
    p("*", "/mot-de-passe-oublie", Access::Public),
    p("*", "/reinitialisation/{token}", Access::Public),
    p("*", "/invitation/{token}", Access::Public),
    p("*", "/p/{slug}", Access::Public),
    p("*", "/compte", Access::SignedIn),
    p("*", "/deconnexion", Access::SignedIn),
    p("*", "/deconnexion-partout", Access::SignedIn),
    p("*", "/compte/api", Access::SignedIn),
    p("*", "/compte/api/{id}/revoquer", Access::SignedIn),
    // Businesses.
    p("*", "/mon-entreprise", Access::Roles(BUSINESS)),
    p("*", "/mon-entreprise/personnes", Access::Roles(BUSINESS)),
    p("*", "/entreprises", Access::Roles(STAFF)),
    p("*", "/entreprises/nouvelle", Access::Roles(STAFF)),
    p("*", "/entreprises/export.csv", Access::Roles(STAFF)),
    p("*", "/entreprises/import", Access::Roles(STAFF)),
    p("*", "/entreprises/{id}", Access::Roles(STAFF)),
    p("*", "/entreprises/{id}/personnes", Access::Roles(STAFF)),
    // Diagnostic: the private link is the key; assisted mode is for staff.
    p("*", "/diagnostic", Access::Public),
    p("*", "/diagnostic/progression", Access::SignedIn),
    p("*", "/diagnostic/reprendre/{id}", Access::SignedIn),
    p(
        "*",
        "/diagnostic/accompagne/{business}",
        Access::Roles(STAFF),
    ),
    p("*", "/diagnostic/d/{token}/profil", Access::Public),
    p("*", "/diagnostic/d/{token}/recapitulatif", Access::Public),
    p("*", "/diagnostic/d/{token}/terminer", Access::Public),
    p("*", "/diagnostic/d/{token}/resultats", Access::Public),
    p("*", "/diagnostic/d/{token}/approfondir", Access::Public),
    p("*", "/diagnostic/d/{token}/lien", Access::Public),
    p("*", "/diagnostic/d/{token}/notes", Access::Roles(STAFF)),
    p("*", "/diagnostic/d/{token}/export.csv", Access::Public),
    p("*", "/diagnostic/d/{token}/export.json", Access::Public),
    p("*", "/diagnostic/d/{token}/rapport.pdf", Access::Public),
    p("*", "/diagnostic/d/{token}/{n}", Access::Public),
    p("*", "/admin/diagnostics.csv", Access::Roles(ADMIN)),
    p("*", "/admin/questionnaire", Access::Roles(ADMIN)),
    // Programme set-up.
    p("*", "/admin/programme", Access::Roles(ADMIN)),
    p("*", "/admin/equipe", Access::Roles(ADMIN)),
    p("*", "/admin/partenaires", Access::Roles(ADMIN)),
    p("*", "/admin/partenaires/{id}", Access::Roles(ADMIN)),
    p("*", "/admin/territoires", Access::Roles(ADMIN)),
    p("*", "/admin/territoires/import", Access::Roles(ADMIN)),
    p("*", "/admin/secteurs", Access::Roles(ADMIN)),
    p("*", "/admin/thematiques", Access::Roles(ADMIN)),
    p("*", "/admin/thematiques/{id}", Access::Roles(ADMIN)),
    // Workshops: the agenda and private links are public; the rest is staff.
    p("*", "/ateliers", Access::Public),
    p("*", "/ateliers/agenda.ics", Access::Public),
    p("*", "/ateliers/{id}", Access::Public),
    p("*", "/ateliers/{id}/atelier.ics", Access::Public),
    p("*", "/ateliers/{id}/support", Access::Public),
    p("*", "/ateliers/{id}/inscription", Access::Public),
    p("*", "/ateliers/i/{token}", Access::Public),
    p("*", "/ateliers/i/{token}/avis", Access::Public),
    p("*", "/admin/ateliers", Access::Roles(ADMIN)),
    p("*", "/admin/ateliers/nouveau", Access::Roles(ADMIN)),
    p("*", "/admin/ateliers/serie", Access::Roles(ADMIN)),
    p("*", "/admin/ateliers/export.csv", Access::Roles(DASHBOARD)),
    p("*", "/admin/ateliers/export.xlsx", Access::Roles(DASHBOARD)),
    p(
        "*",
        "/admin/ateliers/inscriptions.csv",
        Access::Roles(STAFF),
    ),
    p(
        "*",
        "/admin/ateliers/inscriptions.xlsx",
        Access::Roles(STAFF),
    ),
    p("*", "/admin/ateliers/bilan", Access::Roles(DASHBOARD)),
    p("*", "/admin/ateliers/{id}", Access::Roles(ADMIN)),
    p("*", "/admin/ateliers/{id}/inscrits", Access::Roles(STAFF)),
    p(
        "*",
        "/admin/ateliers/{id}/inscrits/{reg}/entreprise",
        Access::Roles(STAFF),
    ),
    p("*", "/tableau-de-bord", Access::Roles(DASHBOARD)),
    p("*", "/accompagnement/demandes", Access::Roles(STAFF)),
    p("*", "/intervenant", Access::Roles(SPEAKERS)),
    p("*", "/intervenant/seances/{id}", Access::Roles(SPEAKERS)),
    p(
        "*",
        "/intervenant/seances/{id}/presence",
        Access::Roles(SPEAKERS),
    ),
    p(
        "*",
        "/intervenant/seances/{id}/emargement.pdf",
        Access::Roles(SPEAKERS),
    ),
    p(
        "*",
        "/intervenant/seances/{id}/support",
        Access::Roles(SPEAKERS),
    ),
    p("*", "/api/v1/workshops", Access::Public),
    p("*", "/api/v1/workshops/{id}", Access::Public),
    p("*", "/api/v1/workshops/{id}/registrations", Access::Public),
    p(
        "*",
        "/api/v1/workshops/{id}/registrations/{reg}",
        Access::Public,
    ),
    // Directory: search and cards are public; providers keep their cards.
    p("*", "/annuaire", Access::Public),
    p("*", "/annuaire/export.csv", Access::Public),
    p("*", "/annuaire/export.json", Access::Public),
    p("*", "/annuaire/{id}", Access::Public),
    p("*", "/annuaire/{id}/logo", Access::Public),
    p("*", "/annuaire/{id}/revendiquer", Access::Roles(PROVIDERS)),
    p("*", "/prestataire", Access::Roles(PROVIDERS)),
    p("*", "/prestataire/fiche/nouvelle", Access::Roles(PROVIDERS)),
    p("*", "/prestataire/fiche/{id}", Access::Roles(PROVIDERS)),
    p(
        "*",
        "/prestataire/fiche/{id}/logo",
        Access::Roles(PROVIDERS),
    ),
    p("*", "/prestataire/besoins", Access::Roles(PROVIDERS)),
    p("*", "/prestataire/besoins/{id}", Access::Roles(PROVIDERS)),
    p("*", "/admin/annuaire", Access::Roles(ADMIN)),
    p("*", "/admin/annuaire/import", Access::Roles(ADMIN)),
    // Needs: a business and its adviser; staff see all.
    p("*", "/besoins", Access::Roles(NEEDS)),
    p("*", "/besoins/nouveau", Access::Roles(NEEDS)),
    p("*", "/besoins/{id}", Access::Roles(NEEDS)),
    p("*", "/besoins/{id}/modifier", Access::Roles(NEEDS)),
    p(
        "*",
        "/besoins/{id}/cahier-des-charges.pdf",
        Access::Roles(NEEDS),
    ),
    p("*", "/besoins/{id}/devis", Access::Roles(NEEDS)),
    p("*", "/besoins/{id}/devis/{quote}", Access::Roles(NEEDS)),
    // Notice board: read by all, posted by providers and staff, moderated.
    p("*", "/annonces", Access::Public),
    p("*", "/annonces/nouvelle", Access::Roles(POSTERS)),
    p("*", "/admin/annonces", Access::Roles(ADMIN)),
    // API with tokens (checked by the API's own extractor).
    p("*", "/api/v1/businesses", Access::Public),
    p("*", "/api/v1/businesses/{id}", Access::Public),
    p("*", "/api/v1/diagnostics", Access::Public),
    p("*", "/api/v1/diagnostics/{token}", Access::Public),
    p(
        "*",
        "/api/v1/diagnostics/{token}/answers/{question}",
        Access::Public,
    ),
    p("*", "/api/v1/diagnostics/{token}/submit", Access::Public),
];

/// The policy of a matched route.
pub fn policy_for(method: &Method, path: &str) -> Option<Access> {
    POLICIES
        .iter()
        .find(|r| r.path == path && (r.method == "*" || r.method == method.as_str()))
        .map(|r| r.access)
}

/// Load the signed-in person, if any, from the session cookie.
pub async fn current_user(
    state: &AppState,
    headers: &axum::http::HeaderMap,
) -> Result<CurrentUser, sqlx::Error> {
    match cookie(headers, SESSION_COOKIE) {
        Some(token) => Ok(auth::load_session(&state.db, token).await?.map(Arc::new)),
        None => Ok(None),
    }
}

/// The middleware: refuse early, and hand the signed-in person to handlers.
pub async fn enforce(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let Some(route) = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
    else {
        // Unmatched: the fallback answers 404.
        return next.run(req).await;
    };
    let Some(access) = policy_for(req.method(), &route) else {
        tracing::error!(route = %route, "route without an access policy: refused");
        return marked(ErrorKind::Forbidden);
    };
    let user = if access == Access::Public && cookie(req.headers(), SESSION_COOKIE).is_none() {
        None
    } else {
        match current_user(&state, req.headers()).await {
            Ok(u) => u,
            Err(e) => return crate::web::AppError::from(e).into_response(),
        }
    };
    match access {
        Access::Public => {}
        Access::SignedIn | Access::Roles(_) if user.is_none() => {
            if route.starts_with("/api/") {
                return marked(ErrorKind::Unauthorized);
            }
            let here = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let target = if req.method() == Method::GET {
                here
            } else {
                "/compte"
            };
            return Redirect::to(&format!("/connexion?next={}", urlencode(target))).into_response();
        }
        Access::Roles(roles) => {
            if !user.as_ref().is_some_and(|u| u.has_any(roles)) {
                return marked(ErrorKind::Forbidden);
            }
        }
        Access::SignedIn => {}
    }
    req.extensions_mut().insert::<CurrentUser>(user);
    next.run(req).await
}
