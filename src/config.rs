//! Runtime configuration: command-line flags, then `TREMPLIN_*` environment
//! variables, then an optional TOML file, then defaults.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::i18n::Locale;

/// Settings that every subcommand understands (flags, environment or file).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ConfigArgs {
    /// Optional TOML configuration file (keys: database_url, bind, base_url,
    /// data_dir, default_locale, smtp_url, mail_from, contact_email,
    /// mail_transport, log_format, db_max_connections, client_ip_header,
    /// header_timeout, body_timeout, max_pending_connections, metrics_token).
    #[arg(long, env = "TREMPLIN_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Database URL: `sqlite://FILE` or `postgres://USER@HOST:PORT/DB`.
    /// Default: a SQLite file `tremplin.db` in the data directory.
    #[arg(long, env = "TREMPLIN_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Address and port the web server listens on. Default: 127.0.0.1:8080.
    #[arg(long, env = "TREMPLIN_BIND", global = true)]
    pub bind: Option<String>,
    /// Public base URL used in emails and links. Default: http://<bind>.
    #[arg(long, env = "TREMPLIN_BASE_URL", global = true)]
    pub base_url: Option<String>,
    /// Directory for the SQLite file, backups and the mail drop. Default: ./data.
    #[arg(long, env = "TREMPLIN_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Interface language when the visitor has chosen none: `fr` or `en`. Default: fr.
    #[arg(long, env = "TREMPLIN_DEFAULT_LOCALE", global = true)]
    pub default_locale: Option<String>,
    /// SMTP server, e.g. `smtp://user:pass@mail.example.org:587?tls=required`
    /// or `smtps://...:465`. When set, mail is sent over SMTP.
    #[arg(long, env = "TREMPLIN_SMTP_URL", global = true)]
    pub smtp_url: Option<String>,
    /// Sender address of outgoing mail. Default: no-reply@<base URL host>.
    #[arg(long, env = "TREMPLIN_MAIL_FROM", global = true)]
    pub mail_from: Option<String>,
    /// Address of the programme team that receives the contact form.
    /// Default: the programme's contact address in the database.
    #[arg(long, env = "TREMPLIN_CONTACT_EMAIL", global = true)]
    pub contact_email: Option<String>,
    /// How mail leaves: `smtp`, `file` (one .eml per message in
    /// <data dir>/mail) or `log`. Default: smtp if an SMTP URL is set, else file.
    #[arg(long, env = "TREMPLIN_MAIL_TRANSPORT", global = true)]
    pub mail_transport: Option<String>,
    /// Log format: `text` or `json`. Default: text.
    #[arg(long, env = "TREMPLIN_LOG_FORMAT", global = true)]
    pub log_format: Option<String>,
    /// Maximum database connections per process. Default: 10.
    #[arg(long, env = "TREMPLIN_DB_MAX_CONNECTIONS", global = true)]
    pub db_max_connections: Option<String>,
    /// Header set by your reverse proxy with the client's address
    /// (`x-forwarded-for` or `x-real-ip`). Only set it behind a proxy that
    /// overwrites it. Default: the TCP peer address.
    #[arg(long, env = "TREMPLIN_CLIENT_IP_HEADER", global = true)]
    pub client_ip_header: Option<String>,
    /// Seconds a client has to send a request's headers. Default: 10.
    #[arg(long, env = "TREMPLIN_HEADER_TIMEOUT", global = true)]
    pub header_timeout: Option<String>,
    /// Seconds a client has to send a request's body. Default: 30.
    #[arg(long, env = "TREMPLIN_BODY_TIMEOUT", global = true)]
    pub body_timeout: Option<String>,
    /// Connections allowed at once that have not yet sent a whole request;
    /// more are answered 503 and closed. Default: 256.
    #[arg(long, env = "TREMPLIN_MAX_PENDING_CONNECTIONS", global = true)]
    pub max_pending_connections: Option<String>,
    /// Bearer token that `/metrics` requires. Without it, `/metrics` is not served.
    #[arg(long, env = "TREMPLIN_METRICS_TOKEN", global = true)]
    pub metrics_token: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    bind: Option<String>,
    base_url: Option<String>,
    data_dir: Option<PathBuf>,
    default_locale: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    contact_email: Option<String>,
    mail_transport: Option<String>,
    log_format: Option<String>,
    db_max_connections: Option<String>,
    client_ip_header: Option<String>,
    header_timeout: Option<String>,
    body_timeout: Option<String>,
    max_pending_connections: Option<String>,
    metrics_token: Option<String>,
}

/// How outgoing mail is delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailTransport {
    /// SMTP through lettre, URL as accepted by `AsyncSmtpTransport::from_url`.
    Smtp(String),
    /// One `.eml` file per message in this directory.
    File(PathBuf),
    /// Write the message to the log only.
    Log,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub bind: SocketAddr,
    pub base_url: url::Url,
    pub data_dir: PathBuf,
    pub default_locale: Locale,
    pub mail_transport: MailTransport,
    pub mail_from: String,
    pub contact_email: Option<String>,
    pub log_format: LogFormat,
    pub db_max_connections: u32,
    /// Header carrying the client address, set by a trusted proxy.
    pub client_ip_header: Option<String>,
    /// Time a client has to send a request's headers.
    pub header_timeout: std::time::Duration,
    /// Time a client has to send a request's body.
    pub body_timeout: std::time::Duration,
    /// Connections at once that have not yet sent a whole request.
    pub max_pending_connections: usize,
    /// Bearer token `/metrics` requires (not served without one).
    pub metrics_token: Option<String>,
}

/// A configuration error that names the setting and what was expected.
#[derive(Debug, thiserror::Error)]
#[error("configuration error: {setting} = {value:?}: {expected}")]
pub struct ConfigError {
    pub setting: &'static str,
    pub value: String,
    pub expected: String,
}

fn bad(setting: &'static str, value: &str, expected: impl Into<String>) -> ConfigError {
    ConfigError {
        setting,
        value: value.to_string(),
        expected: expected.into(),
    }
}

impl Config {
    /// Merge flags/environment with the optional file and validate everything.
    pub fn load(args: &ConfigArgs) -> Result<Config, ConfigError> {
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None => FileConfig::default(),
        };
        let pick =
            |a: &Option<String>, f: Option<String>| a.clone().or(f).filter(|s| !s.is_empty());

        let data_dir = args
            .data_dir
            .clone()
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("./data"));
        if data_dir.as_os_str().is_empty() {
            return Err(bad("TREMPLIN_DATA_DIR", "", "a directory path"));
        }

        let bind_raw = pick(&args.bind, file.bind).unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind: SocketAddr = bind_raw.parse().map_err(|_| {
            bad(
                "TREMPLIN_BIND",
                &bind_raw,
                "an address and port such as 127.0.0.1:8080 or 0.0.0.0:8080",
            )
        })?;

        let base_raw =
            pick(&args.base_url, file.base_url).unwrap_or_else(|| format!("http://{bind}"));
        let base_url = url::Url::parse(&base_raw)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
            .ok_or_else(|| {
                bad(
                    "TREMPLIN_BASE_URL",
                    &base_raw,
                    "an absolute http(s) URL such as https://tremplin.example.org",
                )
            })?;

        let database_url = pick(&args.database_url, file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("tremplin.db").display()));
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(bad(
                "TREMPLIN_DATABASE_URL",
                &redact_url(&database_url),
                "a URL starting with sqlite:// or postgres://",
            ));
        }

        let locale_raw =
            pick(&args.default_locale, file.default_locale).unwrap_or_else(|| "fr".into());
        let default_locale = Locale::from_tag(&locale_raw)
            .filter(|l| l.as_str() == locale_raw.to_ascii_lowercase())
            .ok_or_else(|| bad("TREMPLIN_DEFAULT_LOCALE", &locale_raw, "fr or en"))?;

        let smtp_url = pick(&args.smtp_url, file.smtp_url);
        if let Some(u) = &smtp_url {
            let ok = url::Url::parse(u)
                .map(|p| matches!(p.scheme(), "smtp" | "smtps") && p.host_str().is_some())
                .unwrap_or(false);
            if !ok {
                return Err(bad(
                    "TREMPLIN_SMTP_URL",
                    &redact_url(u),
                    "a URL such as smtp://user:password@mail.example.org:587",
                ));
            }
        }
        let transport_raw = pick(&args.mail_transport, file.mail_transport);
        let mail_transport = match (transport_raw.as_deref(), smtp_url) {
            (Some("smtp"), Some(u)) | (None, Some(u)) => MailTransport::Smtp(u),
            (Some("smtp"), None) => {
                return Err(bad(
                    "TREMPLIN_MAIL_TRANSPORT",
                    "smtp",
                    "TREMPLIN_SMTP_URL to be set when the transport is smtp",
                ))
            }
            (Some("file"), _) | (None, None) => MailTransport::File(data_dir.join("mail")),
            (Some("log"), _) => MailTransport::Log,
            (Some(other), _) => {
                return Err(bad("TREMPLIN_MAIL_TRANSPORT", other, "smtp, file or log"))
            }
        };

        let host = base_url.host_str().unwrap_or("localhost").to_string();
        let mail_from = pick(&args.mail_from, file.mail_from).unwrap_or_else(|| {
            let domain = if host.contains('.') {
                host.clone()
            } else {
                "tremplin.invalid".into()
            };
            format!("Tremplin <no-reply@{domain}>")
        });
        if mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(bad(
                "TREMPLIN_MAIL_FROM",
                &mail_from,
                "an email address, optionally with a name",
            ));
        }
        let contact_email = pick(&args.contact_email, file.contact_email);
        if let Some(c) = &contact_email {
            if c.parse::<lettre::message::Mailbox>().is_err() {
                return Err(bad("TREMPLIN_CONTACT_EMAIL", c, "an email address"));
            }
        }

        let log_raw = pick(&args.log_format, file.log_format).unwrap_or_else(|| "text".into());
        let log_format = match log_raw.as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => return Err(bad("TREMPLIN_LOG_FORMAT", other, "text or json")),
        };

        // SQLite reads from one file on this machine's cores: four reading
        // connections keep two cores busy; each more holds its own page
        // cache and prepared statements (about 4 MB once warm) for nothing.
        // PostgreSQL serves several app servers and reads in parallel.
        let default_connections = if database_url.starts_with("sqlite:") {
            "4"
        } else {
            "10"
        };
        let max_raw = pick(&args.db_max_connections, file.db_max_connections)
            .unwrap_or_else(|| default_connections.into());
        let db_max_connections = max_raw
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| {
                bad(
                    "TREMPLIN_DB_MAX_CONNECTIONS",
                    &max_raw,
                    "a whole number from 1 to 1000",
                )
            })?;

        let client_ip_header =
            pick(&args.client_ip_header, file.client_ip_header).map(|h| h.to_ascii_lowercase());
        if let Some(h) = &client_ip_header {
            if axum::http::HeaderName::from_bytes(h.as_bytes()).is_err() {
                return Err(bad(
                    "TREMPLIN_CLIENT_IP_HEADER",
                    h,
                    "an HTTP header name such as x-forwarded-for",
                ));
            }
        }

        let seconds = |setting: &'static str, raw: Option<String>, default: u64| {
            let raw = raw.unwrap_or_else(|| default.to_string());
            raw.parse::<f64>()
                .ok()
                .filter(|n| *n > 0.0 && *n <= 3600.0)
                .map(std::time::Duration::from_secs_f64)
                .ok_or_else(|| bad(setting, &raw, "a number of seconds from 0.001 to 3600"))
        };
        let header_timeout = seconds(
            "TREMPLIN_HEADER_TIMEOUT",
            pick(&args.header_timeout, file.header_timeout),
            10,
        )?;
        let body_timeout = seconds(
            "TREMPLIN_BODY_TIMEOUT",
            pick(&args.body_timeout, file.body_timeout),
            30,
        )?;
        let pending_raw = pick(&args.max_pending_connections, file.max_pending_connections)
            .unwrap_or_else(|| "256".into());
        let max_pending_connections = pending_raw
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=100_000).contains(n))
            .ok_or_else(|| {
                bad(
                    "TREMPLIN_MAX_PENDING_CONNECTIONS",
                    &pending_raw,
                    "a whole number from 1 to 100000",
                )
            })?;
        let metrics_token = pick(&args.metrics_token, file.metrics_token);
        if let Some(t) = &metrics_token {
            if t.len() < 16 || !t.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(bad(
                    "TREMPLIN_METRICS_TOKEN",
                    "***",
                    "at least 16 printable characters without spaces",
                ));
            }
        }

        Ok(Config {
            header_timeout,
            body_timeout,
            max_pending_connections,
            metrics_token,
            client_ip_header,
            database_url,
            bind,
            base_url,
            data_dir,
            default_locale,
            mail_transport,
            mail_from,
            contact_email,
            log_format,
            db_max_connections,
        })
    }

    /// True when the database is the embedded SQLite file.
    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        bad(
            "TREMPLIN_CONFIG",
            &path.display().to_string(),
            format!("a readable TOML file ({e})"),
        )
    })?;
    toml::from_str(&text).map_err(|e| {
        bad(
            "TREMPLIN_CONFIG",
            &path.display().to_string(),
            format!("valid TOML with known keys: {}", e.message()),
        )
    })
}

/// Hide the password of a URL before printing it.
pub fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_sqlite_in_data_dir() {
        let c = Config::load(&ConfigArgs::default()).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert!(c.database_url.ends_with("data/tremplin.db"));
        assert_eq!(c.default_locale, Locale::Fr);
        assert_eq!(
            c.mail_transport,
            MailTransport::File(PathBuf::from("./data/mail"))
        );
    }

    #[test]
    fn wrong_values_name_the_setting() {
        let args = ConfigArgs {
            bind: Some("localhost".into()),
            ..Default::default()
        };
        let err = Config::load(&args).unwrap_err();
        assert_eq!(err.setting, "TREMPLIN_BIND");
        let args = ConfigArgs {
            database_url: Some("mysql://x".into()),
            ..Default::default()
        };
        assert_eq!(
            Config::load(&args).unwrap_err().setting,
            "TREMPLIN_DATABASE_URL"
        );
        let args = ConfigArgs {
            default_locale: Some("de".into()),
            ..Default::default()
        };
        assert_eq!(
            Config::load(&args).unwrap_err().setting,
            "TREMPLIN_DEFAULT_LOCALE"
        );
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
    }
}
