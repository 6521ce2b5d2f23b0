//! Follow-up files' typed domain: statuses, outcomes, origins, activity
//! kinds, funders, referral statuses; the planning of a template's
//! activities, the overdue rule, the parsing of every form. No I/O.

use serde::Deserialize;

use crate::kernel::dates;
use crate::kernel::money::Euros;
use crate::web::forms::{checked, Violations};

/// One day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;
/// Largest document stored with a file.
pub const DOCUMENT_LIMIT: usize = 5 * 1024 * 1024;
/// Longest text of a note or report.
pub const BODY_MAX: usize = 20_000;

macro_rules! coded {
    ($(#[$m:meta])* $name:ident, $prefix:literal, { $($(#[$vm:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Stable code stored in the database.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The Fluent key of the label.
            pub fn label_key(self) -> &'static str {
                match self { $($name::$variant => concat!($prefix, $code)),+ }
            }

            /// Parse a stored or submitted code.
            pub fn from_code(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.code() == s)
            }
        }
    };
}

coded!(
    /// Where a file stands.
    CaseStatus, "case-status-", {
        /// Opened, not qualified yet.
        ToQualify = "to-qualify",
        /// Being accompanied.
        Active = "active",
        /// On hold.
        Paused = "paused",
        /// Closed with an outcome.
        Closed = "closed",
    }
);

/// Whether a status counts as open or closed (for lists and indicators).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusClass {
    Open,
    Closed,
}

impl CaseStatus {
    /// The open/closed class of a status.
    pub fn class(self) -> StatusClass {
        match self {
            CaseStatus::Closed => StatusClass::Closed,
            _ => StatusClass::Open,
        }
    }
}

coded!(
    /// Why a file was closed.
    Outcome, "case-outcome-", {
        GoalsMet = "goals-met",
        ReferredElsewhere = "referred-elsewhere",
        Abandoned = "abandoned",
        Unreachable = "unreachable",
    }
);

coded!(
    /// What a file was opened from.
    Origin, "case-origin-", {
        CoachingRequest = "coaching-request",
        AssistedDiagnostic = "assisted-diagnostic",
        ContactMessage = "contact-message",
        PartnerReferral = "partner-referral",
        Manual = "manual",
    }
);

coded!(
    /// What an activity is.
    ActivityKind, "case-kind-", {
        /// Private to staff.
        Note = "note",
        Meeting = "meeting",
        Call = "call",
        /// Observations per diagnostic dimension.
        Audit = "audit",
        /// The planned closing step.
        Closing = "closing",
    }
);

impl ActivityKind {
    /// Notes are never shown to the business.
    pub fn always_private(self) -> bool {
        self == ActivityKind::Note
    }
    /// Kinds a template may plan.
    pub fn plannable(self) -> bool {
        self != ActivityKind::Note
    }
}

coded!(
    /// Who pays for coaching time.
    Funder, "case-funder-", {
        Fafcea = "fafcea",
        Opco = "opco",
        Region = "region",
        Programme = "programme",
    }
);

coded!(
    /// Where a referral to a partner body stands.
    ReferralStatus, "referral-status-", {
        Sent = "sent",
        TakenUp = "taken-up",
        Done = "done",
        NoFollowUp = "no-follow-up",
        Unreachable = "unreachable",
        Declined = "declined",
    }
);

impl ReferralStatus {
    /// The answers a body may give from its link, in order.
    pub const ANSWERS: &'static [ReferralStatus] = &[
        ReferralStatus::TakenUp,
        ReferralStatus::Done,
        ReferralStatus::NoFollowUp,
        ReferralStatus::Unreachable,
        ReferralStatus::Declined,
    ];

    /// No further move expected (the adviser may reopen it).
    pub fn is_final(self) -> bool {
        !matches!(self, ReferralStatus::Sent | ReferralStatus::TakenUp)
    }

    /// Whether moving from `self` to `to` is allowed: sent → taken up →
    /// a final status, sent → a final status; reopening goes back to sent.
    pub fn can_move_to(self, to: ReferralStatus) -> bool {
        match (self, to) {
            (a, b) if a == b => false,
            (ReferralStatus::Sent, _) => true,
            (ReferralStatus::TakenUp, b) => b.is_final(),
            (a, ReferralStatus::Sent) => a.is_final(),
            _ => false,
        }
    }
}

/// Days after sending when an unanswered referral's body is reminded.
pub const REFERRAL_REMINDERS: [i64; 3] = [9, 21, 45];

/// The number of reminders due `now` for a referral sent at `sent_at`.
pub fn reminders_due(sent_at: i64, now: i64) -> i64 {
    REFERRAL_REMINDERS
        .iter()
        .filter(|d| sent_at + **d * DAY_MS <= now)
        .count() as i64
}

/// A template step: an activity planned `offset_days` after the opening.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub offset_days: i64,
    pub kind: ActivityKind,
    pub title_fr: String,
    pub title_en: String,
    pub minutes: i64,
}

/// An activity planned by a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub kind: ActivityKind,
    pub title: String,
    pub due_at: i64,
    pub minutes: i64,
}

/// The activities a template plans for a file opened at `opened_at`, each
/// due its offset in days later, in the programme's time zone (same clock time).
pub fn plan(
    steps: &[Step],
    opened_at: i64,
    tz: &jiff::tz::TimeZone,
    locale: crate::i18n::Locale,
) -> Vec<Planned> {
    let start = dates::zoned(tz, opened_at);
    steps
        .iter()
        .map(|s| Planned {
            kind: s.kind,
            title: match locale {
                crate::i18n::Locale::Fr => s.title_fr.clone(),
                crate::i18n::Locale::En => s.title_en.clone(),
            },
            due_at: start
                .checked_add(jiff::Span::new().days(s.offset_days))
                .map(|z| z.timestamp().as_millisecond())
                .unwrap_or(opened_at + s.offset_days * DAY_MS),
            minutes: s.minutes,
        })
        .collect()
}

/// A planned activity is overdue when its due time has passed and it was not done.
pub fn is_overdue(due_at: Option<i64>, happened_at: Option<i64>, now: i64) -> bool {
    matches!(due_at, Some(d) if d < now) && happened_at.is_none()
}

// ------------------------------------------------------------------ forms

/// The file's own form (status, adviser, outcome, summary), version-checked.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct CaseForm {
    pub status: String,
    pub outcome: String,
    pub adviser: String,
    pub summary: String,
    pub version: String,
}

/// A checked [`CaseForm`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCase {
    pub status: CaseStatus,
    pub outcome: Option<Outcome>,
    pub adviser_id: Option<i64>,
    pub summary: String,
    pub version: i64,
}

/// Check the file's form against the advisers who may take it.
pub fn parse_case(f: &CaseForm, advisers: &[i64]) -> Result<ValidCase, Violations> {
    let mut v = Violations::default();
    let status = CaseStatus::from_code(f.status.trim());
    if status.is_none() {
        v.add("status", "form-required", None);
    }
    let outcome = if f.outcome.trim().is_empty() {
        None
    } else {
        match Outcome::from_code(f.outcome.trim()) {
            Some(o) => Some(o),
            None => {
                v.add("outcome", "case-bad-outcome", None);
                None
            }
        }
    };
    if status == Some(CaseStatus::Closed) && outcome.is_none() && !v.has("outcome") {
        v.add("outcome", "case-outcome-required", None);
    }
    let adviser_id = match f.adviser.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(id) if advisers.contains(&id) => Some(id),
            _ => {
                v.add("adviser", "case-bad-adviser", None);
                None
            }
        },
    };
    let summary = v.text("summary", &f.summary, 0, 4000);
    let version = f.version.trim().parse::<i64>().unwrap_or(0);
    match status {
        Some(status) if v.is_empty() => Ok(ValidCase {
            status,
            outcome: if status == CaseStatus::Closed {
                outcome
            } else {
                None
            },
            adviser_id,
            summary,
            version,
        }),
        _ => Err(v),
    }
}

/// Opening a file.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct OpenForm {
    pub business: String,
    pub template: String,
    pub origin: String,
    pub origin_id: String,
    pub adviser: String,
    pub opened_on: String,
    pub summary: String,
}

/// A checked [`OpenForm`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidOpen {
    pub business_id: i64,
    pub template_id: Option<i64>,
    pub origin: Origin,
    pub origin_id: Option<i64>,
    pub adviser_id: Option<i64>,
    /// The opening day, when given (else now).
    pub opened_on: Option<jiff::civil::Date>,
    pub summary: String,
}

/// Check the opening form against what exists.
pub fn parse_open(
    f: &OpenForm,
    businesses: &[i64],
    templates: &[i64],
    advisers: &[i64],
) -> Result<ValidOpen, Violations> {
    let mut v = Violations::default();
    let business_id = match f.business.trim().parse::<i64>() {
        Ok(id) if businesses.contains(&id) => id,
        _ => {
            v.add("business", "case-bad-business", None);
            0
        }
    };
    let template_id = match f.template.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(id) if templates.contains(&id) => Some(id),
            _ => {
                v.add("template", "case-bad-template", None);
                None
            }
        },
    };
    let origin = Origin::from_code(f.origin.trim()).unwrap_or(Origin::Manual);
    let origin_id = f.origin_id.trim().parse::<i64>().ok();
    let adviser_id = match f.adviser.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(id) if advisers.contains(&id) => Some(id),
            _ => {
                v.add("adviser", "case-bad-adviser", None);
                None
            }
        },
    };
    let opened_on = match f.opened_on.trim() {
        "" => None,
        s => match dates::parse_date(s) {
            Some(d) => Some(d),
            None => {
                v.add("opened_on", "case-bad-date", None);
                None
            }
        },
    };
    let summary = v.text("summary", &f.summary, 0, 4000);
    if v.is_empty() {
        Ok(ValidOpen {
            business_id,
            template_id,
            origin,
            origin_id,
            adviser_id,
            opened_on,
            summary,
        })
    } else {
        Err(v)
    }
}

/// An activity as typed (new or edited).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ActivityForm {
    pub kind: String,
    pub title: String,
    pub body: String,
    pub date: String,
    pub time: String,
    pub due: String,
    pub minutes: String,
    pub place: String,
    pub online: Option<String>,
    pub attendees: String,
    pub shared: Option<String>,
    pub version: String,
    /// Audit observations, one per dimension (`obs_<dimension>`).
    #[serde(flatten)]
    pub rest: std::collections::HashMap<String, String>,
}

/// A checked [`ActivityForm`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidActivity {
    pub kind: ActivityKind,
    pub title: String,
    pub body: String,
    /// When it happened (None: planned only).
    pub happened_at: Option<i64>,
    pub due_at: Option<i64>,
    pub minutes: i64,
    pub place: String,
    pub online: bool,
    pub attendees: String,
    pub shared: bool,
    pub observations: Vec<(&'static str, String)>,
    pub version: i64,
}

/// A meeting already in the adviser's diary: (start, minutes).
pub type Busy = (i64, i64);

/// What an activity is checked against.
pub struct ActivityContext<'a> {
    pub tz: &'a jiff::tz::TimeZone,
    pub opened_at: i64,
    /// The adviser's other meetings (for overlaps).
    pub busy: &'a [Busy],
}

/// Check an activity: a date (and time) when it happened or a due date when
/// planned, never a due date before the opening, a duration up to a day,
/// no meeting overlapping another of the same adviser.
pub fn parse_activity(f: &ActivityForm, c: &ActivityContext) -> Result<ValidActivity, Violations> {
    let mut v = Violations::default();
    let kind = ActivityKind::from_code(f.kind.trim());
    if kind.is_none() {
        v.add("kind", "case-bad-kind", None);
    }
    let title = v.text("title", &f.title, 0, 200);
    let body = v.text("body", &f.body, 0, BODY_MAX);
    let minutes = match f.minutes.trim() {
        "" => 0,
        s => match s.parse::<i64>() {
            Ok(m) if (0..=1440).contains(&m) => m,
            _ => {
                v.add("minutes", "case-bad-minutes", Some(1440));
                0
            }
        },
    };
    let time = match f.time.trim() {
        "" => jiff::civil::Time::midnight(),
        s => match dates::parse_time(s) {
            Some(t) => t,
            None => {
                v.add("time", "case-bad-time", None);
                jiff::civil::Time::midnight()
            }
        },
    };
    let day_start = |d: jiff::civil::Date, t| dates::to_ms(c.tz, d, t);
    let happened_at = match f.date.trim() {
        "" => None,
        s => match dates::parse_date(s).and_then(|d| day_start(d, time)) {
            Some(ms) => Some(ms),
            None => {
                v.add("date", "case-bad-date", None);
                None
            }
        },
    };
    let due_at = match f.due.trim() {
        "" => None,
        s => match dates::parse_date(s).and_then(|d| day_start(d, time)) {
            Some(ms) => {
                let opened_day = dates::zoned(c.tz, c.opened_at).date();
                if dates::zoned(c.tz, ms).date() < opened_day {
                    v.add("due", "case-due-before-opening", None);
                }
                Some(ms)
            }
            None => {
                v.add("due", "case-bad-date", None);
                None
            }
        },
    };
    if happened_at.is_none() && due_at.is_none() && !v.has("date") && !v.has("due") {
        v.add("date", "case-date-required", None);
    }
    let place = v.text("place", &f.place, 0, 300);
    let attendees = v.text("attendees", &f.attendees, 0, 1000);
    let online = checked(&f.online);
    if kind == Some(ActivityKind::Meeting) {
        if let Some(start) = happened_at.or(due_at) {
            if minutes == 0 && !v.has("minutes") {
                v.add("minutes", "case-meeting-minutes", None);
            }
            let end = start + minutes.max(1) * 60_000;
            if c.busy
                .iter()
                .any(|(s, m)| *s < end && start < *s + (*m).max(1) * 60_000)
            {
                v.add("date", "case-meeting-overlap", None);
            }
        }
    }
    let observations: Vec<(&'static str, String)> = if kind == Some(ActivityKind::Audit) {
        crate::diagnostic::bank::DIMENSIONS
            .iter()
            .filter_map(|d| {
                let text = f
                    .rest
                    .get(&format!("obs_{d}"))
                    .map(|s| s.trim().to_string())
                    .unwrap_or_default();
                (!text.is_empty()).then_some((*d, text))
            })
            .collect()
    } else {
        vec![]
    };
    if observations.iter().any(|(_, t)| t.chars().count() > 4000) {
        v.add("body", "form-too-long", Some(4000));
    }
    let version = f.version.trim().parse::<i64>().unwrap_or(0);
    match kind {
        Some(kind) if v.is_empty() => Ok(ValidActivity {
            kind,
            shared: checked(&f.shared) && !kind.always_private(),
            title,
            body,
            happened_at,
            due_at,
            minutes,
            place,
            online,
            attendees,
            observations,
            version,
        }),
        _ => Err(v),
    }
}

/// Coaching time as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct HoursForm {
    pub funder: String,
    pub planned: String,
    pub delivered: String,
    pub amount: String,
    pub reference: String,
}

/// A checked [`HoursForm`] (durations in minutes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidHours {
    pub funder: Funder,
    pub planned_minutes: i64,
    pub delivered_minutes: i64,
    pub amount: Option<Euros>,
    pub reference: String,
}

/// Hours typed as `3`, `3,5` or `3.5`, within one day; `None` when invalid.
pub fn parse_hours(s: &str) -> Option<i64> {
    let s = s.trim().replace(',', ".");
    if s.is_empty() {
        return Some(0);
    }
    let h: f64 = s.parse().ok()?;
    if !h.is_finite() || !(0.0..=24.0).contains(&h) {
        return None;
    }
    Some((h * 60.0).round() as i64)
}

/// Check coaching time: a known funder, hours between 0 and 24, some time, an amount.
pub fn parse_hours_form(f: &HoursForm) -> Result<ValidHours, Violations> {
    let mut v = Violations::default();
    let funder = Funder::from_code(f.funder.trim());
    if funder.is_none() {
        v.add("funder", "case-bad-funder", None);
    }
    let planned = parse_hours(&f.planned);
    if planned.is_none() {
        v.add("planned", "case-bad-hours", Some(24));
    }
    let delivered = parse_hours(&f.delivered);
    if delivered.is_none() {
        v.add("delivered", "case-bad-hours", Some(24));
    }
    if planned == Some(0) && delivered == Some(0) {
        v.add("planned", "case-hours-required", None);
    }
    let amount = match Euros::parse(&f.amount) {
        Ok(a) => a,
        Err(_) => {
            v.add("amount", "case-bad-amount", None);
            None
        }
    };
    let reference = v.text("reference", &f.reference, 0, 120);
    match funder {
        Some(funder) if v.is_empty() => Ok(ValidHours {
            funder,
            planned_minutes: planned.unwrap_or(0),
            delivered_minutes: delivered.unwrap_or(0),
            amount,
            reference,
        }),
        _ => Err(v),
    }
}

/// Hours and minutes as shown (`3 h 30`).
pub fn show_minutes(m: i64) -> String {
    if m % 60 == 0 {
        format!("{} h", m / 60)
    } else {
        format!("{} h {:02}", m / 60, m % 60)
    }
}

/// What a document's first bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocType {
    Pdf,
    Png,
    Jpeg,
    /// A zip container: .docx, .xlsx, .odt, .ods.
    Office,
}

impl DocType {
    /// The MIME type stored and served.
    pub fn mime(self, name: &str) -> &'static str {
        match self {
            DocType::Pdf => "application/pdf",
            DocType::Png => "image/png",
            DocType::Jpeg => "image/jpeg",
            DocType::Office => match extension(name).as_str() {
                "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "odt" => "application/vnd.oasis.opendocument.text",
                _ => "application/vnd.oasis.opendocument.spreadsheet",
            },
        }
    }
}

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Why a document is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocProblem {
    Missing,
    TooLarge,
    /// The name announces a type the content is not (or a type not accepted).
    Mismatch,
}

impl DocProblem {
    /// The Fluent key of the message.
    pub fn key(self) -> &'static str {
        match self {
            DocProblem::Missing => "case-doc-missing",
            DocProblem::TooLarge => "case-doc-too-large",
            DocProblem::Mismatch => "case-doc-mismatch",
        }
    }
}

/// Check a document by its content: the first bytes must match what its
/// name's extension announces (PDF, PNG, JPEG, or an office zip).
pub fn check_document(name: &str, bytes: &[u8]) -> Result<DocType, DocProblem> {
    if bytes.is_empty() {
        return Err(DocProblem::Missing);
    }
    if bytes.len() > DOCUMENT_LIMIT {
        return Err(DocProblem::TooLarge);
    }
    let sniffed = if bytes.starts_with(b"%PDF-") {
        Some(DocType::Pdf)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(DocType::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(DocType::Jpeg)
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some(DocType::Office)
    } else {
        None
    };
    let announced = match extension(name).as_str() {
        "pdf" => Some(DocType::Pdf),
        "png" => Some(DocType::Png),
        "jpg" | "jpeg" => Some(DocType::Jpeg),
        "docx" | "xlsx" | "odt" | "ods" => Some(DocType::Office),
        _ => None,
    };
    match (sniffed, announced) {
        (Some(s), Some(a)) if s == a => Ok(s),
        _ => Err(DocProblem::Mismatch),
    }
}

/// A shown file name: last path part, no control characters, 120 characters.
pub fn clean_name(name: &str) -> String {
    let n: String = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(120)
        .collect();
    if n.is_empty() {
        "document".into()
    } else {
        n
    }
}

/// One dimension's scores at T0 and T1 and the gain (T1 − T0).
pub type DimensionGain = (String, Option<f64>, Option<f64>, Option<f64>);

/// Gain per dimension between T0 and T1 (T1 − T0, when both are known).
pub fn gains(
    t0: &crate::diagnostic::scoring::Scores,
    t1: &crate::diagnostic::scoring::Scores,
) -> Vec<DimensionGain> {
    t0.dimensions
        .iter()
        .map(|(d, a)| {
            let b = t1.of(d);
            let gain = match (a, b) {
                (Some(a), Some(b)) => Some(b - a),
                _ => None,
            };
            (d.clone(), *a, b, gain)
        })
        .collect()
}

/// A referral as typed by the adviser.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ReferralForm {
    pub body: String,
    pub note: String,
}

/// A body's answer through its private link.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct AnswerForm {
    pub status: String,
    pub answer: String,
    pub link_version: String,
}

/// A referral body as typed by the programme manager.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct BodyForm {
    pub name: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    pub territory: String,
    pub themes: String,
    pub url: String,
}

/// A checked [`BodyForm`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidBody {
    pub name: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    pub territory: Option<String>,
    pub themes: String,
    pub url: String,
}

/// Check a referral body: a name, a contact address, an http(s) link.
pub fn parse_body(f: &BodyForm) -> Result<ValidBody, Violations> {
    let mut v = Violations::default();
    let name = v.text("name", &f.name, 2, 200);
    let contact_name = v.text("contact_name", &f.contact_name, 0, 200);
    let email = v.email("email", &f.email);
    let phone = v.text("phone", &f.phone, 0, 40);
    let themes = v.text("themes", &f.themes, 0, 500);
    let url = v.text("url", &f.url, 0, 500);
    if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
        v.add("url", "case-bad-url", None);
    }
    let territory = Some(f.territory.trim().to_string()).filter(|t| !t.is_empty());
    if v.is_empty() {
        Ok(ValidBody {
            name,
            contact_name,
            email,
            phone,
            territory,
            themes,
            url,
        })
    } else {
        Err(v)
    }
}

/// A template step as typed: `offset;kind;title fr;title en;minutes` per line.
pub fn parse_steps(text: &str) -> Result<Vec<Step>, Violations> {
    let mut v = Violations::default();
    let mut steps = vec![];
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let parts: Vec<&str> = line.split(';').map(str::trim).collect();
        let parsed = (|| {
            if parts.len() != 5 {
                return None;
            }
            let offset_days = parts[0]
                .parse::<i64>()
                .ok()
                .filter(|d| (0..=730).contains(d))?;
            let kind = ActivityKind::from_code(parts[1]).filter(|k| k.plannable())?;
            let minutes = parts[4]
                .parse::<i64>()
                .ok()
                .filter(|m| (0..=1440).contains(m))?;
            if parts[2].is_empty() || parts[3].is_empty() {
                return None;
            }
            Some(Step {
                offset_days,
                kind,
                title_fr: parts[2].to_string(),
                title_en: parts[3].to_string(),
                minutes,
            })
        })();
        match parsed {
            Some(s) => steps.push(s),
            None => {
                v.add("steps", "case-bad-step", None);
                break;
            }
        }
    }
    if steps.is_empty() && v.is_empty() {
        v.add("steps", "case-steps-required", None);
    }
    if v.is_empty() {
        Ok(steps)
    } else {
        Err(v)
    }
}

/// Steps written back as the form's text.
pub fn steps_text(steps: &[Step]) -> String {
    steps
        .iter()
        .map(|s| {
            format!(
                "{};{};{};{};{}",
                s.offset_days,
                s.kind.code(),
                s.title_fr,
                s.title_en,
                s.minutes
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(offset: i64) -> Step {
        Step {
            offset_days: offset,
            kind: ActivityKind::Meeting,
            title_fr: "RDV".into(),
            title_en: "Meeting".into(),
            minutes: 60,
        }
    }

    #[test]
    fn codes_round_trip() {
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::from_code(s.code()), Some(*s));
        }
        for s in ReferralStatus::ALL {
            assert_eq!(ReferralStatus::from_code(s.code()), Some(*s));
        }
        assert_eq!(CaseStatus::Closed.class(), StatusClass::Closed);
        assert_eq!(CaseStatus::Paused.class(), StatusClass::Open);
    }

    #[test]
    fn a_template_plans_from_the_opening_in_days() {
        let tz = dates::zone("Europe/Paris");
        let opened = 1_767_258_000_000; // 2026-01-01 10:00 Paris
        let p = plan(
            &[step(0), step(30), step(120)],
            opened,
            &tz,
            crate::i18n::Locale::Fr,
        );
        assert_eq!(p[0].due_at, opened);
        assert_eq!(p[1].due_at, opened + 30 * DAY_MS);
        // Across the spring clock change the clock time is kept.
        assert_eq!(dates::time_input(&tz, p[2].due_at), "10:00");
    }

    #[test]
    fn overdue_is_past_due_and_not_done() {
        assert!(is_overdue(Some(10), None, 11));
        assert!(!is_overdue(Some(10), Some(9), 11));
        assert!(!is_overdue(Some(12), None, 11));
        assert!(!is_overdue(None, None, 11));
    }

    #[test]
    fn referral_moves_follow_the_flow() {
        use ReferralStatus::*;
        assert!(Sent.can_move_to(TakenUp));
        assert!(TakenUp.can_move_to(Done));
        assert!(!TakenUp.can_move_to(Sent));
        assert!(!Done.can_move_to(TakenUp));
        assert!(Declined.can_move_to(Sent));
        assert_eq!(reminders_due(0, 8 * DAY_MS), 0);
        assert_eq!(reminders_due(0, 9 * DAY_MS), 1);
        assert_eq!(reminders_due(0, 50 * DAY_MS), 3);
    }

    #[test]
    fn hours_stay_within_a_day() {
        assert_eq!(parse_hours("3,5"), Some(210));
        assert_eq!(parse_hours("-1"), None);
        assert_eq!(parse_hours("25"), None);
        let f = HoursForm {
            funder: "fafcea".into(),
            planned: "-2".into(),
            ..Default::default()
        };
        let e = parse_hours_form(&f).unwrap_err();
        assert!(e.has("planned"));
    }

    #[test]
    fn documents_are_checked_by_content() {
        assert_eq!(check_document("a.pdf", b"%PDF-1.7 x"), Ok(DocType::Pdf));
        assert_eq!(
            check_document("a.pdf", b"MZ\x90\x00"),
            Err(DocProblem::Mismatch)
        );
        assert_eq!(
            check_document("a.png", b"%PDF-1.7"),
            Err(DocProblem::Mismatch)
        );
        assert_eq!(check_document("a.pdf", b""), Err(DocProblem::Missing));
        let big = vec![b'%'; DOCUMENT_LIMIT + 1];
        assert_eq!(check_document("a.pdf", &big), Err(DocProblem::TooLarge));
    }

    #[test]
    fn meetings_may_not_overlap_and_due_dates_follow_the_opening() {
        let tz = dates::zone("Europe/Paris");
        let opened = 1_767_258_000_000;
        let busy = [(opened + DAY_MS, 60)];
        let c = ActivityContext {
            tz: &tz,
            opened_at: opened,
            busy: &busy,
        };
        let f = ActivityForm {
            kind: "meeting".into(),
            date: "2026-01-02".into(),
            time: "10:30".into(),
            minutes: "60".into(),
            ..Default::default()
        };
        assert!(parse_activity(&f, &c).unwrap_err().has("date"));
        let f = ActivityForm {
            kind: "call".into(),
            due: "2025-12-01".into(),
            ..Default::default()
        };
        assert!(parse_activity(&f, &c).unwrap_err().has("due"));
    }

    #[test]
    fn steps_parse_and_print_back() {
        let s = parse_steps("0;audit;Audit;Audit;120\n30;meeting;RDV;Meeting;60").unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(parse_steps(&steps_text(&s)).unwrap(), s);
        assert!(parse_steps("x;audit;A;A;1").is_err());
        assert!(parse_steps("0;note;A;A;1").is_err());
    }
}
