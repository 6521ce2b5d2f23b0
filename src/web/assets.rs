//! Static files embedded in the binary, versioned by content hash, served
//! pre-compressed with long cache lifetimes.

use std::io::Write;
use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::web::error::{marked, ErrorKind};

struct Asset {
    name: &'static str,
    mime: &'static str,
    raw: &'static [u8],
    gzip: Vec<u8>,
    version: String,
}

const FILES: &[(&str, &str, &[u8])] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/app.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/app.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_bytes!("../../static/favicon.svg"),
    ),
];

static ASSETS: OnceLock<Vec<Asset>> = OnceLock::new();

fn assets() -> &'static [Asset] {
    ASSETS.get_or_init(|| {
        FILES
            .iter()
            .map(|(name, mime, raw)| {
                let mut enc =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
                enc.write_all(raw).expect("gzip in memory");
                let gzip = enc.finish().expect("gzip in memory");
                let version = hex::encode(&Sha256::digest(raw)[..6]);
                Asset {
                    name,
                    mime,
                    raw,
                    gzip,
                    version,
                }
            })
            .collect()
    })
}

/// URL of an asset including its content version (`/static/app.css?v=…`).
pub fn url(name: &str) -> String {
    match assets().iter().find(|a| a.name == name) {
        Some(a) => format!("/static/{}?v={}", a.name, a.version),
        None => format!("/static/{name}"),
    }
}

/// `GET /static/{name}`
pub async fn serve(Path(name): Path<String>, headers: HeaderMap) -> Response {
    let Some(asset) = assets().iter().find(|a| a.name == name) else {
        return marked(ErrorKind::NotFound);
    };
    let gzip_ok = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(',').any(|e| e.trim().starts_with("gzip")))
        .unwrap_or(false);
    let etag = format!("\"{}\"", asset.version);
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let mut res = if gzip_ok {
        let mut r = asset.gzip.clone().into_response();
        r.headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        r
    } else {
        asset.raw.into_response()
    };
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.mime));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    res
}
