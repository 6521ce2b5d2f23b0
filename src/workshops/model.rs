//! The typed domain of workshops: formats, statuses and attendance as enums
//! (their `code()` is the text stored in the database), a session as pages
//! show it, the agenda's filters and the session form's rules. No I/O here:
//! every SQL statement is in `store.rs`.

use std::fmt;

use crate::i18n::{Locale, Tr};
use crate::kernel::bilingual::Bilingual;
use crate::kernel::dates;
use crate::web::forms::Violations;

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
}

// ---------------------------------------------------------------------------
// The session form

/// What the session form sends (speakers and sectors repeat).
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct SessionForm {
    pub theme_id: String,
    pub format: String,
    pub title_fr: String,
    pub title_en: String,
    pub description_fr: String,
    pub description_en: String,
    pub date: String,
    pub start: String,
    pub end: String,
    pub venue: String,
    pub address: String,
    pub commune_code: String,
    pub online_url: String,
    pub capacity: String,
    pub partner_id: String,
    pub planned_coaching: String,
    /// Speaker ids as sent; a value that is not a number is ignored.
    pub speakers: Vec<String>,
    pub sectors: Vec<String>,
    pub version: String,
    pub action: String,
    pub cancel_reason: String,
    pub lines: String,
}

impl SessionForm {
    /// The form of an existing session, on the programme's clock.
    pub fn from_session(
        s: &Session,
        tz: &jiff::tz::TimeZone,
        speakers: &[Speaker],
        sectors: &[Sector],
    ) -> SessionForm {
        SessionForm {
            theme_id: s.theme_id.to_string(),
            format: s.format.code().to_string(),
            title_fr: s.title_fr.clone(),
            title_en: s.title_en.clone(),
            description_fr: s.description_fr.clone(),
            description_en: s.description_en.clone(),
            date: dates::date_input(tz, s.starts_at),
            start: dates::time_input(tz, s.starts_at),
            end: dates::time_input(tz, s.ends_at),
            venue: s.venue.clone(),
            address: s.address.clone(),
            commune_code: s.commune_code.clone().unwrap_or_default(),
            online_url: s.online_url.clone(),
            capacity: s.capacity.to_string(),
            partner_id: s.partner_id.map(|p| p.to_string()).unwrap_or_default(),
            planned_coaching: s.planned_coaching.to_string(),
            speakers: speakers.iter().map(|p| p.id.to_string()).collect(),
            sectors: sectors.iter().map(|c| c.code.clone()).collect(),
            version: s.version.to_string(),
            ..Default::default()
        }
    }

    /// The defaults of a new session (and of a series).
    pub fn new_session() -> SessionForm {
        SessionForm {
            format: Format::Awareness.code().into(),
            capacity: "20".into(),
            planned_coaching: "2".into(),
            start: "09:00".into(),
            ..Default::default()
        }
    }

    /// Speaker ids, in order, without repeats or values that are not numbers.
    pub fn speaker_ids(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = vec![];
        for id in self.speakers.iter().filter_map(|s| s.trim().parse().ok()) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }

    /// Sector codes, in order, without repeats or empty values.
    pub fn sector_codes(&self) -> Vec<String> {
        let mut codes: Vec<String> = vec![];
        for c in &self.sectors {
            if !c.is_empty() && !codes.contains(c) {
                codes.push(c.clone());
            }
        }
        codes
    }

    /// True when the speaker is ticked (for the form).
    pub fn has_speaker(&self, id: &i64) -> bool {
        self.speaker_ids().contains(id)
    }

    /// True when the sector is selected (for the form).
    pub fn has_sector(&self, code: &str) -> bool {
        self.sectors.iter().any(|s| s == code)
    }
}

/// A session that passed validation.
#[derive(Debug, Clone)]
pub struct Valid {
    pub theme_id: i64,
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
    pub online_url: String,
    pub capacity: i64,
    pub partner_id: Option<i64>,
    pub planned_coaching: i64,
    pub speakers: Vec<i64>,
    pub sectors: Vec<String>,
}

impl Valid {
    /// True when the date, the time or the place differ from `s`: the
    /// registrants are then told.
    pub fn moves(&self, s: &Session) -> bool {
        self.starts_at != s.starts_at
            || self.ends_at != s.ends_at
            || self.venue != s.venue
            || self.address != s.address
            || self.commune_code != s.commune_code
            || self.online_url != s.online_url
    }
}

/// Choices offered by the session forms.
pub struct Choices {
    pub themes: Vec<(i64, String)>,
    pub communes: Vec<crate::reference::TerritoryOption>,
    pub partners: Vec<(i64, String)>,
    pub speakers: Vec<(i64, String)>,
    pub sectors: Vec<(String, String, bool)>,
}

fn parse_id(raw: &str) -> Option<i64> {
    raw.trim().parse().ok().filter(|n| *n > 0)
}

/// The parts shared by a single session and a series (everything but the
/// date and the place).
#[derive(Debug, Clone)]
pub struct Common {
    pub theme_id: Option<i64>,
    pub format: Option<Format>,
    pub capacity: i64,
    pub partner_id: Option<i64>,
    pub planned_coaching: i64,
}

/// Check the parts shared by a single session and a series.
pub fn validate_common(v: &mut Violations, f: &SessionForm, c: &Choices) -> Common {
    let theme_id = parse_id(&f.theme_id).filter(|id| c.themes.iter().any(|(t, _)| t == id));
    if theme_id.is_none() {
        v.add("theme_id", "form-choose", None);
    }
    let format = Format::from_code(f.format.trim());
    if format.is_none() {
        v.add("format", "form-choose", None);
    }
    let capacity = match f.capacity.trim().parse::<i64>() {
        Ok(n) if (1..=10_000).contains(&n) => n,
        _ => {
            v.add("capacity", "ws-capacity-invalid", None);
            0
        }
    };
    let partner_id = if f.partner_id.trim().is_empty() {
        None
    } else {
        let p = parse_id(&f.partner_id).filter(|id| c.partners.iter().any(|(p, _)| p == id));
        if p.is_none() {
            v.add("partner_id", "form-choose", None);
        }
        p
    };
    let planned_coaching = if f.planned_coaching.trim().is_empty() {
        2
    } else {
        match f.planned_coaching.trim().parse::<i64>() {
            Ok(n) if (0..=1000).contains(&n) => n,
            _ => {
                v.add("planned_coaching", "setup-number-invalid", None);
                0
            }
        }
    };
    if f.speaker_ids()
        .iter()
        .any(|s| !c.speakers.iter().any(|(id, _)| id == s))
    {
        v.add("speakers", "form-choose", None);
    }
    if f.sector_codes()
        .iter()
        .any(|s| !c.sectors.iter().any(|(code, _, _)| code == s))
    {
        v.add("sectors", "form-choose", None);
    }
    Common {
        theme_id,
        format,
        capacity,
        partner_id,
        planned_coaching,
    }
}

/// Start and end of a session from its date and times.
pub fn validate_times(
    v: &mut Violations,
    tz: &jiff::tz::TimeZone,
    format: Option<Format>,
    date: &str,
    start: &str,
    end: &str,
) -> (i64, i64) {
    let d = dates::parse_date(date);
    if d.is_none() {
        v.add("date", "setup-date-invalid", None);
    }
    let st = dates::parse_time(start);
    if st.is_none() {
        v.add("start", "ws-time-invalid", None);
    }
    let (Some(d), Some(st)) = (d, st) else {
        return (0, 0);
    };
    let starts = dates::to_ms(tz, d, st).unwrap_or(0);
    let ends = if end.trim().is_empty() {
        match format.and_then(Format::minutes) {
            Some(m) => starts + m * 60_000,
            None => {
                if format.is_some() {
                    v.add("end", "ws-end-required", None);
                }
                return (starts, 0);
            }
        }
    } else {
        match dates::parse_time(end) {
            Some(et) => dates::to_ms(tz, d, et).unwrap_or(0),
            None => {
                v.add("end", "ws-time-invalid", None);
                return (starts, 0);
            }
        }
    };
    if ends <= starts {
        v.add("end", "ws-end-before-start", None);
    }
    (starts, ends)
}

/// Check a single session's form.
pub fn validate(
    f: &SessionForm,
    c: &Choices,
    tz: &jiff::tz::TimeZone,
) -> Result<Valid, Violations> {
    let mut v = Violations::default();
    let common = validate_common(&mut v, f, c);
    let title_fr = v.text("title_fr", &f.title_fr, 0, 160);
    let title_en = v.text("title_en", &f.title_en, 0, 160);
    let description_fr = v.text("description_fr", &f.description_fr, 0, 4000);
    let description_en = v.text("description_en", &f.description_en, 0, 4000);
    let (starts_at, ends_at) = validate_times(&mut v, tz, common.format, &f.date, &f.start, &f.end);
    let venue = v.text("venue", &f.venue, 0, 160);
    let address = v.text("address", &f.address, 0, 300);
    let commune_code = f.commune_code.trim().to_string();
    let commune_code = if commune_code.is_empty() {
        None
    } else if c.communes.iter().any(|o| o.code == commune_code) {
        Some(commune_code)
    } else {
        v.add("commune_code", "form-choose", None);
        None
    };
    let online_url = f.online_url.trim().to_string();
    if !online_url.is_empty()
        && (!(online_url.starts_with("https://") || online_url.starts_with("http://"))
            || url::Url::parse(&online_url).is_err()
            || online_url.len() > 500)
    {
        v.add("online_url", "ws-url-invalid", None);
    }
    if commune_code.is_none() && online_url.is_empty() && !v.has("commune_code") {
        v.add("commune_code", "ws-place-required", None);
    }
    if !v.is_empty() {
        return Err(v);
    }
    Ok(Valid {
        theme_id: common.theme_id.unwrap_or(0),
        format: common.format.unwrap_or(Format::Custom),
        title_fr,
        title_en,
        description_fr,
        description_en,
        starts_at,
        ends_at,
        venue,
        address,
        commune_code,
        online_url,
        capacity: common.capacity,
        partner_id: common.partner_id,
        planned_coaching: common.planned_coaching,
        speakers: f.speaker_ids(),
        sectors: f.sector_codes(),
    })
}

/// One line of a series: `date [time]; commune[; venue[; address]]`.
pub struct SeriesLine<'a> {
    pub date: &'a str,
    pub start: &'a str,
    pub commune: &'a str,
    pub venue: String,
    pub address: String,
}

/// Split a series line; the time defaults to the form's start time.
pub fn series_line<'a>(line: &'a str, default_start: &'a str) -> SeriesLine<'a> {
    let parts: Vec<&str> = line.split(';').map(str::trim).collect();
    let date_time = parts.first().copied().unwrap_or("");
    let (date, start) = match date_time.split_once(' ') {
        Some((d, t)) => (d.trim(), t.trim()),
        None => (date_time, default_start),
    };
    let field = |i: usize, max: usize| -> String {
        parts
            .get(i)
            .copied()
            .unwrap_or("")
            .chars()
            .take(max)
            .collect()
    };
    SeriesLine {
        date,
        start,
        commune: parts.get(1).copied().unwrap_or(""),
        venue: field(2, 160),
        address: field(3, 300),
    }
}

// ---------------------------------------------------------------------------
// Feedback

/// What the feedback form sends (themes repeat).
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct FeedbackForm {
    pub satisfaction: String,
    pub usefulness: String,
    /// Theme ids as sent; a value that is not a number is ignored.
    pub themes: Vec<String>,
    pub comment: String,
    pub coaching: Option<String>,
}

impl FeedbackForm {
    /// Theme ids, in order, without repeats.
    pub fn theme_ids(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = vec![];
        for id in self.themes.iter().filter_map(|s| s.trim().parse().ok()) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }

    /// True when the theme is ticked (for the form).
    pub fn wants(&self, id: &i64) -> bool {
        self.theme_ids().contains(id)
    }

    /// True when the person asks to be coached.
    pub fn wants_coaching(&self) -> bool {
        crate::web::forms::checked(&self.coaching)
    }
}

/// Feedback that passed validation.
#[derive(Debug, Clone)]
pub struct Feedback {
    pub satisfaction: i64,
    pub usefulness: i64,
    pub comment: String,
    pub themes: Vec<i64>,
    pub coaching: bool,
}

/// Most themes a person may ask for next.
pub const MAX_WANTED_THEMES: usize = 10;

fn score(v: &mut Violations, field: &'static str, raw: &str) -> i64 {
    match raw.trim().parse::<i64>() {
        Ok(n) if (1..=5).contains(&n) => n,
        _ => {
            v.add(field, "ws-feedback-choose", None);
            0
        }
    }
}

/// Check a feedback form: two scores from 1 to 5, a comment, a few themes.
pub fn validate_feedback(f: &FeedbackForm) -> Result<Feedback, Violations> {
    let mut v = Violations::default();
    let satisfaction = score(&mut v, "satisfaction", &f.satisfaction);
    let usefulness = score(&mut v, "usefulness", &f.usefulness);
    let comment = v.text("comment", &f.comment, 0, 2000);
    let themes = f.theme_ids();
    if themes.len() > MAX_WANTED_THEMES {
        v.add(
            "themes",
            "ws-feedback-too-many-themes",
            Some(MAX_WANTED_THEMES as i64),
        );
    }
    if !v.is_empty() {
        return Err(v);
    }
    Ok(Feedback {
        satisfaction,
        usefulness,
        comment,
        themes,
        coaching: f.wants_coaching(),
    })
}

/// What a registration form sends.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct RegForm {
    pub name: String,
    pub email: String,
    pub business_name: String,
    pub consent: Option<String>,
}

/// A registrant's details that passed validation.
#[derive(Debug, Clone)]
pub struct ValidRegistrant {
    pub name: String,
    pub email: String,
    pub business_name: String,
}

/// Check a registration form (consent is asked on the public page only).
pub fn validate_registrant(
    f: &RegForm,
    consent_needed: bool,
) -> Result<ValidRegistrant, Violations> {
    let mut v = Violations::default();
    let name = v.text("name", &f.name, 2, 120);
    let email = v.email("email", &f.email);
    let business_name = v.text("business_name", &f.business_name, 0, 160);
    if consent_needed {
        v.accepted("consent", crate::web::forms::checked(&f.consent));
    }
    if v.is_empty() {
        Ok(ValidRegistrant {
            name,
            email,
            business_name,
        })
    } else {
        Err(v)
    }
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

    #[test]
    fn series_lines_take_the_default_time() {
        let l = series_line("21/01/2027; Bordeaux; Salle A", "09:00");
        assert_eq!(
            (l.date, l.start, l.commune),
            ("21/01/2027", "09:00", "Bordeaux")
        );
        assert_eq!(l.venue, "Salle A");
        let l = series_line("2027-01-21 14:00;33063", "09:00");
        assert_eq!(
            (l.date, l.start, l.commune),
            ("2027-01-21", "14:00", "33063")
        );
    }

    #[test]
    fn feedback_scores_are_checked() {
        let f = FeedbackForm {
            satisfaction: "5".into(),
            usefulness: "0".into(),
            themes: vec!["3".into(), "3".into(), "x".into()],
            ..Default::default()
        };
        assert!(validate_feedback(&f).is_err());
        assert_eq!(f.theme_ids(), [3]);
    }
}
