//! What every page needs: language, CSRF token, current path, programme.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::auth::CurrentUser;
use crate::i18n::{Locale, Tr};
use crate::programme::ProgrammeInfo;
use crate::state::AppState;
use crate::web::error::AppError;

/// Per-request facts set by the pipeline before any handler runs.
#[derive(Debug, Clone)]
pub struct RequestInfo {
    pub locale: Locale,
    pub csrf: Arc<str>,
    pub request_id: Arc<str>,
}

/// Context handed to every page template as `ctx`.
#[derive(Debug, Clone)]
pub struct PageCtx {
    pub tr: Tr,
    pub csrf: Arc<str>,
    /// Path and query of this page, used by the language switch.
    pub here: String,
    pub programme: Arc<ProgrammeInfo>,
    /// The programmes a visitor may choose from (shown when more than one).
    pub choices: Arc<[crate::programme::Choice]>,
    /// The signed-in person, if any.
    pub user: CurrentUser,
}

impl PageCtx {
    /// True when someone is signed in.
    pub fn signed_in(&self) -> bool {
        self.user.is_some()
    }

    /// True when the signed-in person holds `role` (by code).
    pub fn has_role(&self, role: &str) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.roles.iter().any(|r| r.code() == role))
    }

    /// Versioned URL of an embedded static file.
    pub fn asset(&self, name: &str) -> String {
        crate::web::assets::url(name)
    }

    /// The locale tag for `<html lang>`.
    pub fn lang(&self) -> &'static str {
        self.tr.lang()
    }

    /// Link that switches the interface to `lang` and comes back here.
    pub fn switch_url(&self, lang: &str) -> String {
        format!("/lang/{lang}?next={}", urlencode(&self.here))
    }

    /// An instant as this visitor's language writes it, on the programme's clock.
    pub fn datetime(&self, ms: i64) -> String {
        crate::kernel::dates::date_time(
            self.tr.0,
            &crate::kernel::dates::zone(&self.programme.timezone),
            ms,
        )
    }

    /// True when the visitor may switch programmes: the instance runs
    /// several and they are not limited to the one they fund.
    pub fn may_choose(&self) -> bool {
        self.choices.len() > 1
            && self
                .user
                .as_ref()
                .is_none_or(|u| u.only_programme().is_none())
    }

    /// `?programme=slug` naming this page's programme when the instance runs
    /// several (stable links to a programme's feeds), else nothing.
    pub fn programme_query(&self) -> String {
        match self.choices.iter().find(|c| self.is_programme(c)) {
            Some(c) if self.choices.len() > 1 => format!("?programme={}", c.slug),
            _ => String::new(),
        }
    }

    /// True when `c` is the programme of this page.
    pub fn is_programme(&self, c: &crate::programme::Choice) -> bool {
        self.programme.id == Some(c.id)
    }

    /// True when `path` is the current page (for `aria-current`).
    pub fn is_current(&self, path: &str) -> bool {
        let here = self.here.split('?').next().unwrap_or("");
        here == path
    }
}

/// Percent-encode a query value.
pub fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

impl FromRequestParts<AppState> for PageCtx {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let info = parts
            .extensions
            .get::<RequestInfo>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("request info missing")))?;
        let programme = state.programme().await?;
        let choices = state.choices().await.unwrap_or_else(|_| Arc::from(vec![]));
        let here = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        let user = match parts.extensions.get::<CurrentUser>() {
            Some(u) => u.clone(),
            None => crate::web::access::current_user(state, &parts.headers).await?,
        };
        Ok(PageCtx {
            tr: Tr(info.locale),
            csrf: info.csrf,
            here,
            programme,
            choices,
            user,
        })
    }
}

/// The negotiated locale, for handlers that need nothing else.
#[derive(Debug, Clone, Copy)]
pub struct Lang(pub Locale);

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang(
            parts
                .extensions
                .get::<RequestInfo>()
                .map(|i| i.locale)
                .unwrap_or(Locale::Fr),
        ))
    }
}

/// The client's address: the TCP peer, or the configured proxy header.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub std::net::IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
        let from_header = state.config.client_ip_header.as_deref().and_then(|h| {
            // The last entry is the one our own proxy appended.
            parts
                .headers
                .get(h)?
                .to_str()
                .ok()?
                .rsplit(',')
                .next()?
                .trim()
                .parse()
                .ok()
        });
        Ok(ClientIp(from_header.unwrap_or(peer)))
    }
}
