//! Who may use which route: each route is declared with its access where it
//! is routed ([`Routes`]); one middleware enforces the resulting table before
//! any handler runs, and the role-matrix test walks the same declarations.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::MethodRouter;
use axum::Router;
use utoipa::openapi::path::Paths;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa_axum::router::UtoipaMethodRouter;

use crate::auth::{self, CurrentUser, Role, SESSION_COOKIE};
use crate::state::AppState;
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

/// One route's policy: method (`*` for any), route pattern, access.
#[derive(Debug, Clone, Copy)]
pub struct RoutePolicy {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

/// Routes and who may use them, declared together: a feature's `routes()`
/// returns one of these, so a route cannot exist without its policy. API
/// routes also carry their OpenAPI description (see [`Routes::api`]).
pub struct Routes {
    router: Router<AppState>,
    policies: Vec<RoutePolicy>,
    api_paths: Paths,
    api_schemas: Vec<(String, RefOr<Schema>)>,
}

/// Prefix of the JSON API: its routes are registered only through [`Routes::api`].
pub const API_PREFIX: &str = "/api/v1";

/// A route pattern taken from an annotation, kept for the life of the process
/// (each distinct pattern is stored once, however often the router is built).
fn intern(path: &str) -> &'static str {
    static SEEN: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(p) = seen.get(path) {
        return p;
    }
    let p: &'static str = Box::leak(path.to_string().into_boxed_str());
    seen.insert(p);
    p
}

impl Default for Routes {
    fn default() -> Self {
        Routes::new()
    }
}

impl Routes {
    /// No route yet.
    pub fn new() -> Routes {
        Routes {
            router: Router::new(),
            policies: Vec::new(),
            api_paths: Paths::new(),
            api_schemas: Vec::new(),
        }
    }

    /// Route `path` to `handler`, usable by `access`. API routes go through
    /// [`Routes::api`] instead, so that none can be left undocumented.
    pub fn route(
        mut self,
        path: &'static str,
        access: Access,
        handler: MethodRouter<AppState>,
    ) -> Routes {
        assert!(
            path != API_PREFIX && !path.starts_with(&format!("{API_PREFIX}/")),
            "{path}: register API routes with Routes::api(access, utoipa_axum::routes!(handler))"
        );
        self.router = self.router.route(path, handler);
        self.policies.push(RoutePolicy {
            method: "*",
            path,
            access,
        });
        self
    }

    /// Route API handlers that share one path, from their `#[utoipa::path]`
    /// annotations (`utoipa_axum::routes!(a, b)`): the path, the methods and
    /// the OpenAPI operations all come from the annotation, so the document
    /// describes exactly what is routed.
    pub fn api(mut self, access: Access, handlers: UtoipaMethodRouter<AppState>) -> Routes {
        let (schemas, paths, handler) = handlers;
        let mut patterns = paths.paths.keys();
        let path = match (patterns.next(), patterns.next()) {
            (Some(p), None) => intern(p),
            _ => panic!("Routes::api takes handlers of exactly one path"),
        };
        assert!(
            path == API_PREFIX || path.starts_with(&format!("{API_PREFIX}/")),
            "{path}: API routes live under {API_PREFIX}"
        );
        self.router = self.router.route(path, handler);
        self.policies.push(RoutePolicy {
            method: "*",
            path,
            access,
        });
        self.api_paths.paths.extend(paths.paths);
        self.api_schemas.extend(schemas);
        self
    }

    /// Add another feature's routes.
    pub fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.policies.extend(other.policies);
        self.api_paths.paths.extend(other.api_paths.paths);
        self.api_schemas.extend(other.api_schemas);
        self
    }

    /// The API operations routed so far, with the schemas they use.
    pub fn api_parts(&self) -> (&Paths, &[(String, RefOr<Schema>)]) {
        (&self.api_paths, &self.api_schemas)
    }

    /// Every policy declared so far (the role-matrix test walks them).
    pub fn policies(&self) -> &[RoutePolicy] {
        &self.policies
    }

    /// The router and the access table that guards it.
    pub fn into_parts(self) -> (Router<AppState>, AccessTable) {
        let table = AccessTable(Arc::new(
            self.policies.iter().map(|p| (p.path, p.access)).collect(),
        ));
        (self.router, table)
    }
}

/// Route pattern → access, built once from [`Routes`]. A route missing here is refused.
#[derive(Clone, Default)]
pub struct AccessTable(Arc<HashMap<&'static str, Access>>);

impl AccessTable {
    /// The policy of a matched route.
    pub fn get(&self, path: &str) -> Option<Access> {
        self.0.get(path).copied()
    }
}

/// What the access middleware needs: the state (to load sessions) and the table.
#[derive(Clone)]
pub struct Guard {
    pub state: AppState,
    pub table: AccessTable,
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

/// Public routes whose answer is the same for everyone: the session is not
/// looked up for them (a handler asking for the person anyway would read it
/// itself, see `PageCtx`).
const UNPERSONAL: [&str; 4] = ["/static/{name}", "/healthz", "/readyz", "/metrics"];

/// True for the operations endpoints, which belong to no one (and to no programme).
pub fn is_unpersonal(path: &str) -> bool {
    UNPERSONAL[1..].contains(&path)
}

/// The middleware: refuse early, and hand the signed-in person to handlers.
pub async fn enforce(State(guard): State<Guard>, mut req: Request, next: Next) -> Response {
    let state = &guard.state;
    let Some(route) = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
    else {
        // Unmatched: the fallback answers 404.
        return next.run(req).await;
    };
    let Some(access) = guard.table.get(&route) else {
        tracing::error!(route = %route, "route without an access policy: refused");
        return marked(ErrorKind::Forbidden);
    };
    if UNPERSONAL.contains(&route.as_str()) {
        // Nobody's session is read for these: a stylesheet or a health
        // check costs no database read, and still answers while the
        // database is unreachable.
        return next.run(req).await;
    }
    let user = if access == Access::Public && cookie(req.headers(), SESSION_COOKIE).is_none() {
        None
    } else {
        match current_user(state, req.headers()).await {
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
    // A funder limited to the programme they fund reads that one only.
    let only = user.as_ref().and_then(|u| u.only_programme());
    req.extensions_mut().insert::<CurrentUser>(user);
    match only {
        Some(p) if crate::programme::current() != Some(p) => {
            crate::programme::CURRENT.scope(p, next.run(req)).await
        }
        _ => next.run(req).await,
    }
}
