//! The request pipeline every route goes through: request id and logging,
//! language negotiation, CSRF check, error rendering, security headers and
//! metrics. One middleware instead of a stack keeps the hot path short.

use std::sync::Arc;
use std::time::Instant;

use askama::Template;
use axum::body::Body;
use axum::extract::{MatchedPath, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use rand::RngCore;
use tracing::Instrument;

use crate::i18n::{Locale, Tr};
use crate::state::AppState;
use crate::web::ctx::{PageCtx, RequestInfo};
use crate::web::encoding::{invalid_utf8_field, BadField};
use crate::web::error::{marked, ErrorKind};
use crate::web::forms::BODY_LIMIT;
use crate::web::input::{check_address, NulField};
use crate::web::outage::{kept_form, FormBody};
use crate::web::problem::Problem;
use crate::web::{cookie, render, safe_local_path};

/// Cookie holding the visitor's chosen language.
pub const LANG_COOKIE: &str = "tremplin_lang";
/// Cookie holding the CSRF token (double-submit pattern: stateless, so any
/// server behind the load balancer can check it).
pub const CSRF_COOKIE: &str = "tremplin_csrf";
/// Name of the hidden form field carrying the CSRF token.
pub const CSRF_FIELD: &str = "csrf_token";

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; \
                   font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
                   base-uri 'none'; object-src 'none'";

/// Random hex token of 32 bytes.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

fn valid_token(t: &str) -> bool {
    t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit())
}

fn valid_request_id(v: &HeaderValue) -> Option<Arc<str>> {
    let s = v.to_str().ok()?;
    (!s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then(|| Arc::from(s))
}

fn new_request_id() -> Arc<str> {
    let mut b = [0u8; 8];
    rand::thread_rng().fill_bytes(&mut b);
    Arc::from(hex::encode(b))
}

/// Language: the visitor's pick (cookie), else the browser's, else the default.
pub fn negotiate(headers: &HeaderMap, default: Locale) -> Locale {
    cookie(headers, LANG_COOKIE)
        .and_then(Locale::from_tag)
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Locale::from_accept_language)
        })
        .unwrap_or(default)
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// The CSRF token of a visitor with a session: derived from the session id
/// (an HttpOnly secret), so a token chosen by someone who can plant cookies
/// does not pass, and a token does not outlive its session.
pub fn session_csrf_token(session_id: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"tremplin-csrf\0");
    h.update(session_id.as_bytes());
    hex::encode(h.finalize())
}

/// `(scheme, host, port)` of a URL, the port made explicit.
fn origin_triple(u: &url::Url) -> Option<(String, String, u16)> {
    Some((
        u.scheme().to_ascii_lowercase(),
        u.host_str()?.to_ascii_lowercase(),
        u.port_or_known_default()?,
    ))
}

/// The cross-origin check: a browser always sends `Origin` on a cross-site
/// POST; when present, its scheme, host and port must be this site's: the
/// public base URL's, or the `Host` the request came to with the base URL's
/// scheme (so `http://` is refused on an `https://` site).
fn origin_ok(headers: &HeaderMap, base: &url::Url) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    if origin == "null" {
        return false;
    }
    let Some(given) = url::Url::parse(origin)
        .ok()
        .as_ref()
        .and_then(origin_triple)
    else {
        return false;
    };
    if origin_triple(base).as_ref() == Some(&given) {
        return true;
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    url::Url::parse(&format!("{}://{host}", base.scheme()))
        .ok()
        .as_ref()
        .and_then(origin_triple)
        .map(|here| here == given)
        .unwrap_or(false)
}

/// Check the CSRF token of a state-changing browser request. Returns the
/// request rebuilt around its (already read) body.
async fn check_csrf(
    req: Request,
    token: &str,
    had_cookie: bool,
    base: &url::Url,
) -> Result<Request, ErrorKind> {
    if !origin_ok(req.headers(), base) || !had_cookie {
        return Err(ErrorKind::CsrfRejected);
    }
    if let Some(h) = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return if constant_eq(h.as_bytes(), token.as_bytes()) {
            Ok(req)
        } else {
            Err(ErrorKind::CsrfRejected)
        };
    }
    let ctype = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !ctype.starts_with("application/x-www-form-urlencoded") {
        // Multipart uploads carry the token in the query string.
        let in_query = req
            .uri()
            .query()
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .any(|(k, v)| k == CSRF_FIELD && constant_eq(v.as_bytes(), token.as_bytes()))
            })
            .unwrap_or(false);
        return if in_query {
            Ok(req)
        } else if ctype.starts_with("multipart/form-data") {
            Err(ErrorKind::CsrfRejected)
        } else {
            Err(ErrorKind::UnsupportedMediaType)
        };
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT).await.map_err(|e| {
        if crate::web::server::is_body_timeout(&e) {
            ErrorKind::RequestTimeout
        } else {
            ErrorKind::PayloadTooLarge
        }
    })?;
    let ok = url::form_urlencoded::parse(&bytes)
        .any(|(k, v)| k == CSRF_FIELD && constant_eq(v.as_bytes(), token.as_bytes()));
    if !ok {
        return Err(ErrorKind::CsrfRejected);
    }
    let mut parts = parts;
    if let Some(field) = invalid_utf8_field(&bytes) {
        parts.extensions.insert(BadField(field));
    }
    parts.extensions.insert(FormBody(bytes.clone()));
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ctx: PageCtx,
    status: i64,
    title: String,
    body: String,
    /// The refused field, when one is named (`data-refused-field`).
    field: String,
    request_id: Arc<str>,
}

/// Turn an error kind into the visitor's localised page or API problem.
async fn render_error(
    state: &AppState,
    kind: ErrorKind,
    info: &RequestInfo,
    api: bool,
    here: String,
    bad: Option<BadField>,
) -> Response {
    let tr = Tr(info.locale);
    if let Some(BadField(field)) = bad {
        let body = tr.ts("error-encoding-body", "field", &field);
        if api {
            let mut p = Problem::new(tr, kind.status(), "encoding", "error-encoding-title");
            p.detail = Some(body);
            return p.into_response();
        }
        let page = ErrorPage {
            ctx: PageCtx {
                tr,
                csrf: info.csrf.clone(),
                here,
                programme: state.programme_or_default().await,
                choices: Arc::from(vec![]),
                user: None,
            },
            status: i64::from(kind.status().as_u16()),
            title: tr.t("error-encoding-title"),
            body,
            field: field.clone(),
            request_id: info.request_id.clone(),
        };
        return render(kind.status(), &page);
    }
    let (title_key, body_key) = match kind {
        // A wrong or outdated private diagnostic link deserves its own words.
        ErrorKind::NotFound if here.starts_with("/diagnostic/d/") => {
            ("diag-link-unknown-title", "diag-link-unknown-body")
        }
        _ => kind.keys(),
    };
    if api {
        let mut p = Problem::new(tr, kind.status(), kind.code(), title_key);
        p.detail = Some(tr.t(body_key));
        return p.into_response();
    }
    let (title, body) = (tr.t(title_key), tr.t(body_key));
    error_page(
        state,
        info,
        here,
        kind.status(),
        (title, body, String::new()),
    )
    .await
}

/// A refused field (NUL byte): the localised page or problem naming it.
async fn render_nul(
    state: &AppState,
    nul: &NulField,
    info: &RequestInfo,
    api: bool,
    here: String,
) -> Response {
    let tr = Tr(info.locale);
    if api {
        return nul.to_problem(tr).into_response();
    }
    let body = tr.ts("input-nul-field", "field", &nul.field);
    let text = (tr.t("input-nul-title"), body, nul.field.clone());
    error_page(state, info, here, nul.status, text).await
}

async fn error_page(
    state: &AppState,
    info: &RequestInfo,
    here: String,
    status: StatusCode,
    (title, body, field): (String, String, String),
) -> Response {
    let ctx = PageCtx {
        tr: Tr(info.locale),
        csrf: info.csrf.clone(),
        here,
        programme: state.programme_or_default().await,
        choices: Arc::from(vec![]),
        user: None,
    };
    let page = ErrorPage {
        ctx,
        status: i64::from(status.as_u16()),
        title,
        body,
        field,
        request_id: info.request_id.clone(),
    };
    render(status, &page)
}

/// Marks an error response whose body must reach the client as it is
/// (probes, machine endpoints).
#[derive(Debug, Clone, Copy)]
pub struct Raw;

fn is_rendered(res: &Response) -> bool {
    res.extensions().get::<Raw>().is_some()
        || res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|c| {
                c.starts_with("text/html")
                    || c.starts_with("application/problem+json")
                    || c.starts_with("application/json")
            })
            .unwrap_or(false)
}

/// The cookie keeping the programme a visitor chose (its slug).
pub const PROGRAMME_COOKIE: &str = "tremplin_programme";

/// The programme a request belongs to, when the instance runs several: the
/// one named in the address (`?programme=slug`), else the visitor's choice
/// (cookie), else the one covering the territory the page is about
/// (`?territoire=` or `?territory=`), else the first.
async fn programme_of(
    state: &AppState,
    choices: &[crate::programme::Choice],
    query: Option<&str>,
    chosen: Option<&str>,
) -> Option<i64> {
    let by_slug = |slug: &str| choices.iter().find(|c| c.slug == slug).map(|c| c.id);
    let query: Vec<(String, String)> = query
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let param = |k: &str| {
        query
            .iter()
            .find(|(n, v)| n == k && !v.is_empty())
            .map(|(_, v)| v.as_str())
    };
    if let Some(id) = param("programme").and_then(by_slug) {
        return Some(id);
    }
    if let Some(id) = chosen.and_then(by_slug) {
        return Some(id);
    }
    if let Some(code) = param("territoire").or_else(|| param("territory")) {
        if let Ok(terr) = crate::dashboard::store::territories(&state.db, Locale::Fr).await {
            // The programme covering it most closely: a department's own
            // programme before the region's.
            let depth = |t: &str| crate::dashboard::model::ancestors(&terr, t).len();
            let covering = choices
                .iter()
                .filter_map(|c| {
                    c.territories
                        .iter()
                        .filter(|t| crate::dashboard::model::is_within(&terr, code, t))
                        .map(|t| depth(t))
                        .max()
                        .map(|d| (d, c.id))
                })
                .max_by_key(|(d, id)| (*d, std::cmp::Reverse(*id)));
            if let Some((_, id)) = covering {
                return Some(id);
            }
        }
    }
    choices.first().map(|c| c.id)
}

/// The middleware wrapped around every route: the request runs inside its
/// programme (see [`crate::programme`]).
pub async fn frame(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path.starts_with("/static/") || crate::web::access::is_unpersonal(path) {
        return framed(state, req, next).await;
    }
    // One programme (or the list unreadable): nothing to choose, nothing copied.
    let choices = match state.choices().await {
        Ok(c) if c.len() > 1 => c,
        _ => return framed(state, req, next).await,
    };
    let query = req.uri().query().map(str::to_string);
    let chosen = cookie(req.headers(), PROGRAMME_COOKIE).map(str::to_string);
    match programme_of(&state, &choices, query.as_deref(), chosen.as_deref()).await {
        Some(id) => {
            crate::programme::CURRENT
                .scope(id, framed(state, req, next))
                .await
        }
        None => framed(state, req, next).await,
    }
}

async fn framed(state: AppState, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let here = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| path.clone());
    let api = is_api(&path);
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "(unmatched)".into());
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(valid_request_id)
        .unwrap_or_else(new_request_id);
    // The programme's own default wins over the server's, once it is known.
    let default = state
        .cached_default_locale()
        .unwrap_or(state.config.default_locale);
    let locale = negotiate(req.headers(), default);
    let existing = cookie(req.headers(), CSRF_COOKIE)
        .filter(|t| valid_token(t))
        .map(str::to_string);
    let had_cookie = existing.is_some();
    // With a session, the token is bound to it; without, the double-submit cookie.
    let session = cookie(req.headers(), crate::auth::SESSION_COOKIE)
        .filter(|s| !s.is_empty() && s.len() <= 256)
        .map(session_csrf_token);
    let has_token = had_cookie || session.is_some();
    let cookie_token = existing.unwrap_or_else(random_token);
    let csrf: Arc<str> = Arc::from(session.unwrap_or_else(|| cookie_token.clone()));
    let info = RequestInfo {
        locale,
        csrf: csrf.clone(),
        request_id: request_id.clone(),
    };

    let span = tracing::info_span!("request", id = %request_id, method = %method, path = %path);
    let unsafe_method = !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS);
    let matched = req.extensions().get::<MatchedPath>().map(|m| m.as_str());
    let address = check_address(matched, &path, req.uri().query());
    let mut res = if let Err(nul) = address {
        nul.into_response()
    } else if unsafe_method && !api {
        match check_csrf(req, &csrf, has_token, &state.config.base_url).await {
            Ok(mut r) => match r.extensions_mut().remove::<BadField>() {
                // Bytes that are not UTF-8: refused, the field named.
                Some(bad) => {
                    let mut res = marked(ErrorKind::BadRequest);
                    res.extensions_mut().insert(bad);
                    res
                }
                None => {
                    r.extensions_mut().insert(info.clone());
                    let form = r.extensions().get::<FormBody>().cloned();
                    let mut res = next.run(r).instrument(span.clone()).await;
                    if let Some(f) = form {
                        res.extensions_mut().insert(f);
                    }
                    res
                }
            },
            Err(kind) => marked(kind),
        }
    } else {
        req.extensions_mut().insert(info.clone());
        next.run(req).instrument(span.clone()).await
    };

    let status = res.status();
    if let Some(nul) = res.extensions().get::<NulField>().cloned() {
        tracing::info!(field = %nul.field, "NUL byte refused");
        res = render_nul(&state, &nul, &info, api, here).await;
    } else if status.is_client_error() || status.is_server_error() {
        let kind = res.extensions().get::<ErrorKind>().copied();
        if kind.is_some() || !is_rendered(&res) {
            let kind = kind.unwrap_or_else(|| ErrorKind::from_status(status));
            let allow = res.headers().get(header::ALLOW).cloned();
            let bad = res.extensions_mut().remove::<BadField>();
            let form = res.extensions_mut().remove::<FormBody>();
            res = match form {
                // A form that met a database outage comes back as typed.
                Some(FormBody(body)) if kind == ErrorKind::Unavailable && !api => {
                    let ctx = PageCtx {
                        tr: Tr(info.locale),
                        csrf: info.csrf.clone(),
                        here: here.clone(),
                        programme: state.programme_or_default().await,
                        choices: Arc::from(vec![]),
                        user: None,
                    };
                    kept_form(ctx, here, &body)
                }
                _ => render_error(&state, kind, &info, api, here, bad).await,
            };
            if let Some(a) = allow {
                res.headers_mut().insert(header::ALLOW, a);
            }
        }
    }

    let h = res.headers_mut();
    h.insert(
        "x-request-id",
        HeaderValue::from_str(&request_id).unwrap_or(HeaderValue::from_static("-")),
    );
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    h.insert("content-security-policy", HeaderValue::from_static(CSP));
    let html = h
        .get(header::CONTENT_TYPE)
        .map(|v| v.as_bytes().starts_with(b"text/html"))
        .unwrap_or(false);
    if html && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-cache"),
        );
        h.insert(
            header::VARY,
            HeaderValue::from_static("accept-language, cookie"),
        );
    }
    if !had_cookie && html {
        let secure = if state.config.base_url.scheme() == "https" {
            "; Secure"
        } else {
            ""
        };
        let c = format!(
            "{CSRF_COOKIE}={cookie_token}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{secure}"
        );
        if let Ok(v) = HeaderValue::from_str(&c) {
            h.append(header::SET_COOKIE, v);
        }
    }

    let secs = started.elapsed().as_secs_f64();
    state
        .metrics
        .observe(&method, &route, res.status().as_u16(), secs);
    span.in_scope(|| {
        tracing::info!(status = res.status().as_u16(), ms = secs * 1000.0, route = %route, "request");
    });
    res
}

/// Query of the language switch.
#[derive(serde::Deserialize)]
pub struct SwitchQuery {
    next: Option<String>,
}

/// `GET /lang/{code}`: remember the visitor's language and go back.
pub async fn switch_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<SwitchQuery>,
) -> Response {
    let Some(locale) = Locale::from_tag(&code).filter(|l| l.as_str() == code) else {
        return marked(ErrorKind::NotFound);
    };
    let next = q.next.as_deref().and_then(safe_local_path).unwrap_or("/");
    let secure = if state.config.base_url.scheme() == "https" {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{secure}",
        locale.as_str()
    );
    let mut res = Redirect::to(next).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

/// The programme chooser's query.
#[derive(Debug, serde::Deserialize)]
pub struct ChooseQuery {
    programme: Option<String>,
    next: Option<String>,
}

/// `GET /programme?programme=slug&next=/path`: remember the programme the
/// visitor chose and go back (an unknown slug is not kept).
pub async fn choose_programme(
    State(state): State<AppState>,
    Query(q): Query<ChooseQuery>,
) -> Response {
    let choices = match state.choices().await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let Some(chosen) = q
        .programme
        .as_deref()
        .and_then(|slug| choices.iter().find(|c| c.slug == slug))
    else {
        return marked(ErrorKind::NotFound);
    };
    let next = q.next.as_deref().and_then(safe_local_path).unwrap_or("/");
    // The address may name the programme left behind: this choice wins.
    let next = strip_programme(next);
    let secure = if state.config.base_url.scheme() == "https" {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{PROGRAMME_COOKIE}={}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{secure}",
        chosen.slug
    );
    let mut res = Redirect::to(&next).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

/// `path` without its `programme=` parameter.
fn strip_programme(path: &str) -> String {
    let Some((base, query)) = path.split_once('?') else {
        return path.to_string();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.starts_with("programme=") && !p.is_empty())
        .collect();
    if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    }
}

/// Fallback for unknown routes.
pub async fn not_found() -> Response {
    marked(ErrorKind::NotFound)
}

/// Answer for a panicking handler; the pipeline renders the localised page.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("handler panicked");
    marked(ErrorKind::Internal)
}

/// Plain status used by `/healthz` style handlers.
pub fn ok_text(body: &'static str) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(origin: &str, host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ORIGIN, HeaderValue::from_str(origin).unwrap());
        h.insert(header::HOST, HeaderValue::from_str(host).unwrap());
        h
    }

    #[test]
    fn origin_compares_scheme_host_and_port() {
        let base = url::Url::parse("https://tremplin.example.org").unwrap();
        let host = "tremplin.example.org";
        assert!(origin_ok(
            &with("https://tremplin.example.org", host),
            &base
        ));
        assert!(origin_ok(
            &with("https://tremplin.example.org:443", host),
            &base
        ));
        assert!(!origin_ok(
            &with("http://tremplin.example.org", host),
            &base
        ));
        assert!(!origin_ok(
            &with("https://tremplin.example.org:8443", host),
            &base
        ));
        assert!(!origin_ok(&with("https://evil.example", host), &base));
        assert!(!origin_ok(&with("null", host), &base));
        // A server reached under another name (behind a proxy) still checks the scheme.
        let local = url::Url::parse("http://127.0.0.1:8080").unwrap();
        assert!(origin_ok(
            &with("http://127.0.0.1:8080", "127.0.0.1:8080"),
            &local
        ));
        assert!(origin_ok(
            &with("http://10.0.0.5:8080", "10.0.0.5:8080"),
            &local
        ));
        assert!(!origin_ok(
            &with("https://10.0.0.5:8080", "10.0.0.5:8080"),
            &local
        ));
        assert!(!origin_ok(
            &with("http://10.0.0.5:9090", "10.0.0.5:8080"),
            &local
        ));
    }

    #[test]
    fn session_tokens_differ_per_session() {
        assert_ne!(session_csrf_token("a"), session_csrf_token("b"));
        assert!(valid_token(&session_csrf_token("a")));
    }
}
