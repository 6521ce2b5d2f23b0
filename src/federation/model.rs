//! The federated agenda's rules: which feed addresses are accepted, how a
//! fetched body becomes events (iCalendar or JSON), and why a feed failed.
//! No I/O here.

use serde_json::Value;

/// Largest body read from a feed; a bigger one is refused.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// Most events kept from one feed.
pub const MAX_EVENTS: usize = 2000;
/// How long one fetch may take, connection included.
pub const TIMEOUT_MS: u64 = 10_000;
/// How often the feeds are refreshed (one server of many, via `job_runs`).
pub const REFRESH_EVERY_MS: i64 = 15 * 60_000;

/// An event of another agenda, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEvent {
    pub uid: String,
    pub title: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub location: String,
    pub url: String,
    pub cancelled: bool,
}

/// Why a fetch gave nothing new (the last good copy stays).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedError {
    Unreachable,
    Timeout,
    Status,
    TooLarge,
    Malformed,
    SelfFeed,
}

impl FeedError {
    pub fn code(self) -> &'static str {
        match self {
            FeedError::Unreachable => "unreachable",
            FeedError::Timeout => "timeout",
            FeedError::Status => "status",
            FeedError::TooLarge => "too-large",
            FeedError::Malformed => "malformed",
            FeedError::SelfFeed => "self",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            FeedError::Unreachable => "fed-error-unreachable",
            FeedError::Timeout => "fed-error-timeout",
            FeedError::Status => "fed-error-status",
            FeedError::TooLarge => "fed-error-too-large",
            FeedError::Malformed => "fed-error-malformed",
            FeedError::SelfFeed => "fed-error-self",
        }
    }

    pub fn parse(code: &str) -> Option<FeedError> {
        [
            FeedError::Unreachable,
            FeedError::Timeout,
            FeedError::Status,
            FeedError::TooLarge,
            FeedError::Malformed,
            FeedError::SelfFeed,
        ]
        .into_iter()
        .find(|e| e.code() == code)
    }
}

/// Check a feed address typed by the manager; the error is a translation key.
/// Only http(s); never this site itself (`base_url`).
pub fn feed_url(raw: &str, base_url: &str) -> Result<url::Url, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("form-required");
    }
    let url = url::Url::parse(raw).map_err(|_| "fed-error-url")?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() || raw.len() > 1000 {
        return Err("fed-error-url");
    }
    if let Ok(base) = url::Url::parse(base_url) {
        if base.origin() == url.origin() {
            return Err("fed-error-self");
        }
    }
    Ok(url)
}

/// Turn a fetched body into events: an iCalendar document, or JSON with an
/// `items` (or `events`) list whose entries carry a title and ISO 8601
/// start/end (`start`/`starts_at`/`startDate`...). A JSON document that
/// names `instance` as this one is refused as pointing at itself.
pub fn parse(
    body: &[u8],
    own_instance: &str,
    tz: &jiff::tz::TimeZone,
) -> Result<Vec<FeedEvent>, FeedError> {
    let text = std::str::from_utf8(body).map_err(|_| FeedError::Malformed)?;
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let mut events = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        from_json(trimmed, own_instance)?
    } else {
        crate::ical::read(trimmed, tz)
            .map_err(|_| FeedError::Malformed)?
            .into_iter()
            .map(|e| FeedEvent {
                uid: e.uid,
                title: e.summary,
                starts_at: e.start_ms,
                ends_at: e.end_ms,
                location: e.location,
                url: e.url,
                cancelled: e.cancelled,
            })
            .collect()
    };
    for (i, e) in events.iter_mut().enumerate() {
        e.title = clip(&e.title, 200);
        e.location = clip(&e.location, 200);
        if e.uid.is_empty() {
            e.uid = format!("{}-{i}", e.starts_at);
        }
        e.uid = clip(&e.uid, 300);
        if !(e.url.starts_with("https://") || e.url.starts_with("http://")) || e.url.len() > 1000 {
            e.url = String::new();
        }
    }
    // One copy of each uid (the first), no untitled events, a bounded count.
    let mut seen = std::collections::HashSet::new();
    events.retain(|e| !e.title.is_empty() && seen.insert(e.uid.clone()));
    events.truncate(MAX_EVENTS);
    Ok(events)
}

fn clip(s: &str, max: usize) -> String {
    s.chars()
        .filter(|c| !c.is_control())
        .take(max)
        .collect::<String>()
        .trim()
        .to_string()
}

fn from_json(text: &str, own_instance: &str) -> Result<Vec<FeedEvent>, FeedError> {
    let doc: Value = serde_json::from_str(text).map_err(|_| FeedError::Malformed)?;
    if !own_instance.is_empty() && doc.get("instance").and_then(Value::as_str) == Some(own_instance)
    {
        return Err(FeedError::SelfFeed);
    }
    let list = match &doc {
        Value::Array(a) => a,
        Value::Object(o) => o
            .get("items")
            .or_else(|| o.get("events"))
            .and_then(Value::as_array)
            .ok_or(FeedError::Malformed)?,
        _ => return Err(FeedError::Malformed),
    };
    let s = |v: &Value, keys: &[&str]| -> String {
        keys.iter()
            .find_map(|k| v.get(*k))
            .map(|x| match x {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => String::new(),
            })
            .unwrap_or_default()
    };
    let ts = |raw: String| -> Option<i64> {
        raw.parse::<jiff::Timestamp>()
            .ok()
            .map(|t| t.as_millisecond())
    };
    let mut out = Vec::new();
    for item in list {
        let Some(starts_at) = ts(s(item, &["start", "starts_at", "startDate", "dtstart"])) else {
            continue;
        };
        let ends_at = ts(s(item, &["end", "ends_at", "endDate", "dtend"]))
            .filter(|e| *e > starts_at)
            .unwrap_or(starts_at + 3_600_000);
        let status = s(item, &["status", "eventStatus"]).to_ascii_lowercase();
        out.push(FeedEvent {
            uid: s(item, &["uid", "id", "@id"]),
            title: s(item, &["title", "name", "summary"]),
            starts_at,
            ends_at,
            location: s(item, &["location", "venue", "place"]),
            url: s(item, &["url", "link"]),
            cancelled: status.contains("cancel"),
        });
    }
    if out.is_empty() && !list.is_empty() {
        return Err(FeedError::Malformed);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tz() -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get("Europe/Paris").unwrap()
    }

    #[test]
    fn reads_json_agendas_and_refuses_itself() {
        let body = br#"{"instance": "abc", "items": [
            {"id": 7, "title": "Atelier", "start": "2027-01-21T14:00:00+01:00", "end": "2027-01-21T16:00:00+01:00", "url": "https://autre.example/ateliers/7"},
            {"id": 8, "title": "Sans date"}
        ]}"#;
        let events = parse(body, "mine", &tz()).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].uid, "7");
        assert_eq!(events[0].ends_at - events[0].starts_at, 7_200_000);
        assert_eq!(parse(body, "abc", &tz()), Err(FeedError::SelfFeed));
        assert_eq!(parse(b"<html>", "x", &tz()), Err(FeedError::Malformed));
        assert_eq!(
            parse(b"{\"items\": 3}", "x", &tz()),
            Err(FeedError::Malformed)
        );
        assert_eq!(parse(&[0xff, 0xfe], "x", &tz()), Err(FeedError::Malformed));
    }

    #[test]
    fn feed_addresses_are_http_and_never_this_site() {
        let base = "https://tremplin.example";
        assert!(feed_url("https://autre.example/agenda.ics", base).is_ok());
        assert_eq!(feed_url("ftp://x.example/a", base), Err("fed-error-url"));
        assert_eq!(feed_url("pas une adresse", base), Err("fed-error-url"));
        assert_eq!(
            feed_url(
                "https://tremplin.example/donnees-ouvertes/agenda.json",
                base
            ),
            Err("fed-error-self")
        );
    }
}
