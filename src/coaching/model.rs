//! Where a coaching request stands, and where it came from. No I/O.

/// Where a coaching request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestStatus {
    /// Not handled yet.
    Open,
    /// An adviser took it up (or was assigned it).
    Taken,
    /// A follow-up file was opened from it.
    FileOpened,
    /// Declined, with a reason told to the requester.
    Declined,
    /// Handled (older requests).
    Done,
}

impl RequestStatus {
    /// Every status.
    pub const ALL: [RequestStatus; 5] = [
        RequestStatus::Open,
        RequestStatus::Taken,
        RequestStatus::FileOpened,
        RequestStatus::Declined,
        RequestStatus::Done,
    ];

    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            RequestStatus::Open => "open",
            RequestStatus::Taken => "taken",
            RequestStatus::FileOpened => "file-opened",
            RequestStatus::Declined => "declined",
            RequestStatus::Done => "done",
        }
    }

    /// The Fluent key of the status's label.
    pub fn label_key(self) -> &'static str {
        match self {
            RequestStatus::Open => "ws-request-open",
            RequestStatus::Taken => "coaching-status-taken",
            RequestStatus::FileOpened => "coaching-status-file-opened",
            RequestStatus::Declined => "coaching-status-declined",
            RequestStatus::Done => "ws-request-done",
        }
    }

    /// Parse a stored code.
    pub fn from_code(s: &str) -> Option<RequestStatus> {
        RequestStatus::ALL.into_iter().find(|r| r.code() == s)
    }

    /// Still waiting for an adviser's action (take, decline or open a file).
    pub fn is_pending(self) -> bool {
        matches!(self, RequestStatus::Open | RequestStatus::Taken)
    }
}

/// Where a request came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The feedback form after a workshop.
    WorkshopFeedback,
    /// "Be called back by an adviser" on a diagnostic's results.
    DiagnosticResults,
    /// The contact form, topic "coaching".
    ContactForm,
}

impl Source {
    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Source::WorkshopFeedback => "workshop-feedback",
            Source::DiagnosticResults => "diagnostic-results",
            Source::ContactForm => "contact",
        }
    }
}

/// What an adviser does with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Take it for oneself.
    Take,
    /// Give it to another adviser.
    Assign,
    /// Decline it with a reason.
    Decline,
}

impl Action {
    /// Parse the submitted action.
    pub fn from_code(s: &str) -> Option<Action> {
        match s {
            "take" => Some(Action::Take),
            "assign" => Some(Action::Assign),
            "decline" => Some(Action::Decline),
            _ => None,
        }
    }
}

/// Time to first contact as shown: minutes, hours or days.
pub fn delay(ms: i64) -> (&'static str, i64) {
    let minutes = ms.max(0) / 60_000;
    if minutes < 120 {
        ("coaching-delay-minutes", minutes)
    } else if minutes < 48 * 60 {
        ("coaching-delay-hours", minutes / 60)
    } else {
        ("coaching-delay-days", minutes / (24 * 60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip() {
        for s in RequestStatus::ALL {
            assert_eq!(RequestStatus::from_code(s.code()), Some(s));
        }
        assert_eq!(RequestStatus::from_code("lost"), None);
        assert!(RequestStatus::Taken.is_pending());
        assert!(!RequestStatus::Declined.is_pending());
    }

    #[test]
    fn delays_read_naturally() {
        assert_eq!(delay(5 * 60_000), ("coaching-delay-minutes", 5));
        assert_eq!(delay(3 * 3_600_000), ("coaching-delay-hours", 3));
        assert_eq!(delay(72 * 3_600_000), ("coaching-delay-days", 3));
    }
}
