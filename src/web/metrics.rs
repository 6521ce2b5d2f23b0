//! Prometheus metrics: request counts and latency histograms by route, plus
//! a few process counters. Kept in memory per process; each server exposes
//! its own `/metrics`.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// Upper bounds (seconds) of the latency histogram buckets.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// A monotonically increasing counter.
pub struct Counter(AtomicU64);

impl Counter {
    /// Add one.
    pub fn inc(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    /// Current value.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Mails handed to the transport.
pub static MAIL_SENT: Counter = Counter(AtomicU64::new(0));
/// Failed delivery attempts (each will be retried).
pub static MAIL_FAILED: Counter = Counter(AtomicU64::new(0));

#[derive(Default)]
struct Series {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len()],
}

/// Request metrics of this process.
pub struct Metrics {
    started: Instant,
    series: Mutex<HashMap<(&'static str, String, u16), Series>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            started: Instant::now(),
            series: Mutex::new(HashMap::new()),
        }
    }
}

fn method_label(m: &axum::http::Method) -> &'static str {
    match *m {
        axum::http::Method::GET => "GET",
        axum::http::Method::POST => "POST",
        axum::http::Method::PUT => "PUT",
        axum::http::Method::PATCH => "PATCH",
        axum::http::Method::DELETE => "DELETE",
        axum::http::Method::HEAD => "HEAD",
        axum::http::Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

impl Metrics {
    /// Record one request. `route` is the matched route pattern, never the raw
    /// path, so the number of series stays bounded.
    pub fn observe(&self, method: &axum::http::Method, route: &str, status: u16, secs: f64) {
        let mut map = self.series.lock().expect("metrics lock");
        let key = (method_label(method), route.to_string(), status);
        let s = map.entry(key).or_default();
        s.count += 1;
        s.sum += secs;
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                s.buckets[i] += 1;
            }
        }
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let map = self.series.lock().expect("metrics lock");
        let mut keys: Vec<_> = map.keys().collect();
        keys.sort();
        out.push_str("# HELP tremplin_http_requests_total HTTP requests handled, by method, route and status.\n");
        out.push_str("# TYPE tremplin_http_requests_total counter\n");
        for k in &keys {
            let s = &map[*k];
            let _ = writeln!(
                out,
                "tremplin_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}",
                k.0,
                escape(&k.1),
                k.2,
                s.count
            );
        }
        out.push_str(
            "# HELP tremplin_http_request_duration_seconds Time to answer HTTP requests.\n",
        );
        out.push_str("# TYPE tremplin_http_request_duration_seconds histogram\n");
        let mut by_route: HashMap<(&str, &str), Series> = HashMap::new();
        for k in &keys {
            let s = &map[*k];
            let agg = by_route.entry((k.0, k.1.as_str())).or_default();
            agg.count += s.count;
            agg.sum += s.sum;
            for i in 0..BUCKETS.len() {
                agg.buckets[i] += s.buckets[i];
            }
        }
        let mut routes: Vec<_> = by_route.keys().copied().collect();
        routes.sort();
        for r in routes {
            let s = &by_route[&r];
            let labels = format!("method=\"{}\",route=\"{}\"", r.0, escape(r.1));
            for (i, b) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "tremplin_http_request_duration_seconds_bucket{{{labels},le=\"{b}\"}} {}",
                    s.buckets[i]
                );
            }
            let _ = writeln!(
                out,
                "tremplin_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                s.count
            );
            let _ = writeln!(
                out,
                "tremplin_http_request_duration_seconds_sum{{{labels}}} {}",
                s.sum
            );
            let _ = writeln!(
                out,
                "tremplin_http_request_duration_seconds_count{{{labels}}} {}",
                s.count
            );
        }
        let _ = writeln!(
            out,
            "# HELP tremplin_mail_sent_total Mails handed to the mail transport."
        );
        let _ = writeln!(out, "# TYPE tremplin_mail_sent_total counter");
        let _ = writeln!(out, "tremplin_mail_sent_total {}", MAIL_SENT.get());
        let _ = writeln!(
            out,
            "# HELP tremplin_mail_failures_total Failed mail delivery attempts."
        );
        let _ = writeln!(out, "# TYPE tremplin_mail_failures_total counter");
        let _ = writeln!(out, "tremplin_mail_failures_total {}", MAIL_FAILED.get());
        let _ = writeln!(
            out,
            "# HELP tremplin_uptime_seconds Seconds since this process started."
        );
        let _ = writeln!(out, "# TYPE tremplin_uptime_seconds gauge");
        let _ = writeln!(
            out,
            "tremplin_uptime_seconds {}",
            self.started.elapsed().as_secs()
        );
        out
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
