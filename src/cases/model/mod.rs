//! Follow-up files' typed domain: statuses, outcomes, origins, activity
//! kinds, funders, referral statuses; the planning of a template's
//! activities, the overdue rule, the parsing of every form. No I/O.

use serde::Deserialize;

use crate::kernel::dates;
use crate::kernel::money::Euros;
use crate::web::forms::{checked, Violations};

mod documents;
mod forms;
mod referrals;

pub use documents::*;
pub use forms::*;
pub use referrals::*;

/// One day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;
/// Largest document stored with a file.
pub const DOCUMENT_LIMIT: usize = 5 * 1024 * 1024;
/// Longest text of a note or report.
pub const BODY_MAX: usize = 20_000;

/// An enum of stored codes with `ALL`, `code()`, `label_key()` (the prefix
/// followed by the code) and `from_code()`.
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

/// `coded!` declares the enums of stored codes used across the programme's
/// accompaniment (files here, coaching requests in `coaching::model`).
pub(crate) use coded;

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
