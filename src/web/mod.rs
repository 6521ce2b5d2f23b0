//! HTTP only: the request pipeline, page context, errors, forms, assets.

pub mod access;
pub mod assets;
pub mod ctx;
pub mod error;
pub mod forms;
pub mod metrics;
pub mod pipeline;
pub mod problem;

use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

pub use ctx::PageCtx;
pub use error::AppError;

/// Render a template into an HTML response with the given status.
pub fn render<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(html) => (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            html,
        )
            .into_response(),
        Err(e) => AppError::Internal(anyhow::anyhow!("template error: {e}")).into_response(),
    }
}

/// Render a template as a 200 page.
pub fn page<T: Template>(page: &T) -> Response {
    render(StatusCode::OK, page)
}

/// Read one cookie from a `Cookie` header value.
pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A redirect target is kept only if it is a local path (no open redirect).
pub fn safe_local_path(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control());
    ok.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_redirects() {
        assert_eq!(safe_local_path("/contact?x=1"), Some("/contact?x=1"));
        assert_eq!(safe_local_path("//evil.example"), None);
        assert_eq!(safe_local_path("https://evil.example"), None);
        assert_eq!(safe_local_path("/\\evil"), None);
    }
}

/// Civil date (year, month, day) of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A timestamp (Unix ms) as the locale writes it, in UTC.
pub fn format_datetime(locale: crate::i18n::Locale, ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    let (hh, mm) = (rem / 3600, (rem % 3600) / 60);
    match locale {
        crate::i18n::Locale::Fr => format!("{d:02}/{m:02}/{y} {hh:02}:{mm:02} UTC"),
        crate::i18n::Locale::En => {
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            format!("{d} {} {y}, {hh:02}:{mm:02} UTC", MONTHS[(m - 1) as usize])
        }
    }
}

#[cfg(test)]
mod date_tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn dates_per_locale() {
        // 2026-11-22T05:46:00Z
        let ms = 1_795_326_360_000;
        assert_eq!(format_datetime(Locale::Fr, ms), "22/11/2026 05:46 UTC");
        assert_eq!(format_datetime(Locale::En, ms), "22 Nov 2026, 05:46 UTC");
        assert_eq!(format_datetime(Locale::Fr, 0), "01/01/1970 00:00 UTC");
    }
}
