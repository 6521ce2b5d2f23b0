//! The typed domain of workshops: formats, statuses and attendance as enums
//! (their `code()` is the text stored in the database), a session as pages
//! show it and the agenda's filters. No I/O here: every SQL statement is in
//! `store.rs`; the forms' rules are in `forms.rs`.

use std::fmt;

use crate::i18n::{Locale, Tr};
use crate::kernel::bilingual::Bilingual;
use crate::kernel::dates;

/// An enum stored as text: `code()` is the stored text, `label_key()` the
/// Fluent key of its label, `from_code()` reads a stored code back.
macro_rules! coded {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, { $($(#[$vdoc:meta])* $v:ident => $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $v),+
        }

        impl $name {
            /// Every value, in menu order.
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            /// Stable code stored in the database and used in URLs.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$v => $code),+
                }
            }

            /// The Fluent key of this value's label.
            pub fn label_key(self) -> &'static str {
                match self {
                    $($name::$v => concat!($prefix, $code)),+
                }
            }

            /// Parse a stored code.
            pub fn from_code(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<$name, String> {
                $name::from_code(&s).ok_or_else(|| format!("unknown {} code {s:?}", stringify!($name)))
            }
        }

        impl sqlx::Type<sqlx::Any> for $name {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <String as sqlx::Type<sqlx::Any>>::type_info()
            }

            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <String as sqlx::Type<sqlx::Any>>::compatible(ty)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Any> for $name {
            fn decode(
                value: sqlx::any::AnyValueRef<'r>,
            ) -> Result<$name, sqlx::error::BoxDynError> {
                let s = <String as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
                Ok($name::try_from(s)?)
            }
        }
    };
}

coded!(
    /// How a theme is delivered.
    Format, "ws-format-", {
        /// One hour: about 40 minutes of talk and 20 of questions.
        Awareness => "awareness",
        /// Collective half-day workshop (3h30).
        HalfDay => "halfday",
        /// Any other length.
        Custom => "custom",
    }
);

impl Format {
    /// Usual length in minutes (custom sessions give their end time).
    pub fn minutes(self) -> Option<i64> {
        match self {
            Format::Awareness => Some(60),
            Format::HalfDay => Some(210),
            Format::Custom => None,
        }
    }
}

coded!(
    /// Whether a session still takes place.
    SessionStatus, "ws-status-", {
        /// Planned and open until it starts.
        Scheduled => "scheduled",
        /// Called off; registrants were told.
        Cancelled => "cancelled",
    }
);

coded!(
    /// Where a registration stands.
    RegistrationStatus, "ws-reg-", {
        /// Waiting for the person to confirm their e-mail address.
        Pending => "pending",
        /// Holds a seat.
        Confirmed => "confirmed",
        /// A freed seat is offered until a deadline.
        Offered => "offered",
        /// On the waiting list.
        Waiting => "waiting",
        /// Cancelled by the person, staff or the session's cancellation.
        Cancelled => "cancelled",
        /// An offer or an unconfirmed registration lapsed.
        Expired => "expired",
    }
);

impl RegistrationStatus {
    /// True while the registration still counts (not cancelled or expired).
    pub fn is_active(self) -> bool {
        matches!(
            self,
            RegistrationStatus::Pending
                | RegistrationStatus::Confirmed
                | RegistrationStatus::Offered
                | RegistrationStatus::Waiting
        )
    }
}

coded!(
    /// Through which door a registration came.
    RegistrationSource, "ws-source-", {
        /// The public form, address confirmed by mail.
        Web => "web",
        /// The public form, signed in (address already verified).
        Account => "account",
        /// Added by programme staff.
        Staff => "staff",
        /// Sent by an operator's tool through the API.
        Api => "api",
    }
);

coded!(
    /// Whether a person who held a seat came.
    Attendance, "ws-attendance-", {
        /// Came.
        Present => "present",
        /// Did not come.
        Absent => "absent",
        /// Said beforehand they could not come.
        Excused => "excused",
    }
);

coded!(
    /// Where a session takes place.
    Delivery, "ws-delivery-", {
        /// In a room (a venue, an address or a commune is given).
        OnSite => "on-site",
        /// Only by video conference.
        Online => "online",
    }
);

/// A session as pages show it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Session {
    pub id: i64,
    pub theme_id: i64,
    pub theme_slug: String,
    pub theme_title_fr: String,
    pub theme_title_en: String,
    pub format: Format,
    pub title_fr: String,
    pub title_en: String,
    pub description_fr: String,
    pub description_en: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub venue: String,
    pub address: String,
    pub commune_code: Option<String>,
    pub commune_fr: Option<String>,
    pub commune_en: Option<String>,
    pub online_url: String,
    pub capacity: i64,
    pub seats_taken: i64,
    pub waiting: i64,
    pub partner_id: Option<i64>,
    pub partner_name: Option<String>,
    pub planned_coaching: i64,
    pub status: SessionStatus,
    pub cancel_reason: String,
    pub sequence: i64,
    pub slides_name: Option<String>,
    pub version: i64,
    pub updated_at: i64,
}

/// The interface language of a `fr`/`en` tag (French when unknown).
fn locale(lang: &str) -> Locale {
    Locale::from_tag(lang).unwrap_or(Locale::Fr)
}

impl Session {
    /// Title in the interface language: the session's own, else its theme's.
    pub fn title(&self, lang: &str) -> &str {
        let l = locale(lang);
        match Bilingual::new(&self.title_fr, &self.title_en).get(l) {
            own if !own.is_empty() => own,
            _ => Bilingual::new(&self.theme_title_fr, &self.theme_title_en).get(l),
        }
    }

    /// Description in the interface language (French when no English text).
    pub fn description(&self, lang: &str) -> &str {
        Bilingual::new(&self.description_fr, &self.description_en).get(locale(lang))
    }

    /// Name of the commune in the interface language.
    pub fn commune(&self, lang: &str) -> &str {
        Bilingual::new(
            self.commune_fr.as_deref().unwrap_or(""),
            self.commune_en.as_deref().unwrap_or(""),
        )
        .get(locale(lang))
    }

    /// Seats still free.
    pub fn seats_left(&self) -> i64 {
        (self.capacity - self.seats_taken).max(0)
    }

    /// True when the session was cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.status == SessionStatus::Cancelled
    }

    /// True once the session has started.
    pub fn has_started(&self, now: i64) -> bool {
        now >= self.starts_at
    }

    /// True once the session is over.
    pub fn is_past(&self, now: i64) -> bool {
        now >= self.ends_at
    }

    /// Registrations are taken until the session starts.
    pub fn is_open(&self, now: i64) -> bool {
        !self.is_cancelled() && !self.has_started(now)
    }

    /// What a list says about the session at `now`: cancelled, held (over)
    /// or scheduled, as a code and its Fluent key.
    pub fn state_at(&self, now: i64) -> (&'static str, &'static str) {
        if self.is_cancelled() {
            ("cancelled", "ws-status-cancelled")
        } else if self.is_past(now) {
            ("held", "ws-status-held")
        } else {
            ("scheduled", "ws-status-scheduled")
        }
    }

    /// Online only, or in a room.
    pub fn delivery(&self) -> Delivery {
        if self.venue.is_empty() && self.address.is_empty() && !self.online_url.is_empty() {
            Delivery::Online
        } else {
            Delivery::OnSite
        }
    }

    /// True when the session takes place online only.
    pub fn is_online(&self) -> bool {
        self.delivery() == Delivery::Online
    }

    /// One line saying where: venue, address, commune (empty when online only;
    /// the link itself is only sent to registrants).
    pub fn place(&self, lang: &str) -> String {
        let mut parts: Vec<&str> = vec![];
        for p in [
            self.venue.as_str(),
            self.address.as_str(),
            self.commune(lang),
        ] {
            if !p.is_empty() && !parts.contains(&p) {
                parts.push(p);
            }
        }
        parts.join(", ")
    }
}

/// A person who speaks at a session.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Speaker {
    pub id: i64,
    pub name: String,
}

/// A target sector of a session.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Sector {
    pub code: String,
    pub name_fr: String,
    pub name_en: String,
}

impl Sector {
    /// "47 — Retail trade" in the interface language.
    pub fn label(&self, locale: Locale) -> String {
        format!(
            "{} — {}",
            self.code,
            Bilingual::new(&self.name_fr, &self.name_en).get(locale)
        )
    }
}

/// Agenda filters, as they appear in the URL.
#[derive(Debug, Clone, Default, serde::Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct AgendaFilter {
    /// Theme slug.
    pub theme: String,
    /// Territory code (any level: a department finds its communes).
    pub territory: String,
    /// Sector division code.
    pub sector: String,
    /// Format code.
    pub format: String,
    /// `YYYY-MM-DD`, inclusive.
    pub from: String,
    /// `YYYY-MM-DD`, inclusive.
    pub to: String,
    /// `past` for past sessions.
    pub when: String,
    /// 1-based page.
    pub page: Option<i64>,
}

impl AgendaFilter {
    /// Read the URL leniently: a repeated field keeps its first value, a page
    /// that is not a whole number means page 1; a hand-edited URL never errors.
    pub fn from_pairs(pairs: &[(String, String)]) -> AgendaFilter {
        let first = |k: &str| {
            crate::web::forms::first_value(pairs, k)
                .chars()
                .take(64)
                .collect::<String>()
        };
        AgendaFilter {
            theme: first("theme"),
            territory: first("territory"),
            sector: first("sector"),
            format: first("format"),
            from: first("from"),
            to: first("to"),
            when: first("when"),
            page: first("page").trim().parse().ok(),
        }
    }

    /// True when the visitor asked for past sessions.
    pub fn past(&self) -> bool {
        self.when == "past"
    }

    /// Query string of these filters (without the page), for links.
    pub fn query(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("theme", &self.theme),
            ("territory", &self.territory),
            ("sector", &self.sector),
            ("format", &self.format),
            ("from", &self.from),
            ("to", &self.to),
            ("when", &self.when),
        ] {
            if !v.is_empty() {
                q.append_pair(k, v);
            }
        }
        q.finish()
    }

    /// Turn the filters into a query; a bad date is reported (`true`), not fatal.
    pub fn resolve(&self, tz: &jiff::tz::TimeZone, now: i64) -> (AgendaQuery, bool) {
        let some = |s: &str| {
            let s = s.trim();
            (!s.is_empty() && s.len() <= 64).then(|| s.to_string())
        };
        let mut bad_date = false;
        let mut day = |s: &str, next: bool| -> Option<i64> {
            if s.trim().is_empty() {
                return None;
            }
            match dates::parse_date(s) {
                Some(d) => {
                    let d = if next { d.tomorrow().ok()? } else { d };
                    dates::to_ms(tz, d, jiff::civil::Time::midnight())
                }
                None => {
                    bad_date = true;
                    None
                }
            }
        };
        let from_ms = day(&self.from, false);
        let to_ms = day(&self.to, true);
        let q = AgendaQuery {
            theme: some(&self.theme),
            territory: some(&self.territory),
            sector: some(&self.sector),
            format: some(&self.format).and_then(|c| Format::from_code(&c)),
            from_ms,
            to_ms,
            past: self.past(),
            now,
            include_cancelled: false,
            programme: crate::programme::current(),
        };
        (q, bad_date)
    }
}

/// Bounds of an agenda query in Unix ms, already resolved from the filter.
#[derive(Debug, Clone, Default)]
pub struct AgendaQuery {
    pub theme: Option<String>,
    pub territory: Option<String>,
    pub sector: Option<String>,
    pub format: Option<Format>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub past: bool,
    pub now: i64,
    pub include_cancelled: bool,
    /// Only this programme's sessions (an instance running several).
    pub programme: Option<i64>,
}

/// A list of format choices for a menu: (code, label).
pub fn format_choices(tr: Tr) -> Vec<(&'static str, String)> {
    Format::ALL
        .iter()
        .map(|f| (f.code(), tr.t(f.label_key())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_name_their_labels() {
        for f in Format::ALL {
            assert_eq!(Format::from_code(f.code()), Some(*f));
        }
        assert_eq!(Format::HalfDay.label_key(), "ws-format-halfday");
        assert_eq!(RegistrationStatus::Waiting.label_key(), "ws-reg-waiting");
        assert_eq!(Attendance::Excused.label_key(), "ws-attendance-excused");
        assert_eq!(SessionStatus::Cancelled.label_key(), "ws-status-cancelled");
        assert!(RegistrationStatus::try_from("sold".to_string()).is_err());
        assert!(!RegistrationStatus::Expired.is_active());
    }
}
