//! Where a coaching request stands, and where it came from. No I/O.

use crate::cases::model::coded;

coded!(
    /// Where a coaching request stands.
    RequestStatus, "coaching-status-", {
        /// Not handled yet.
        Open = "open",
        /// An adviser took it up (or was assigned it).
        Taken = "taken",
        /// A follow-up file was opened from it.
        FileOpened = "file-opened",
        /// Declined, with a reason told to the requester.
        Declined = "declined",
        /// Handled (older requests).
        Done = "done",
    }
);

impl RequestStatus {
    /// Still waiting for an adviser's action (take, decline or open a file).
    pub fn is_pending(self) -> bool {
        matches!(self, RequestStatus::Open | RequestStatus::Taken)
    }
}

coded!(
    /// Where a request came from.
    Source, "coaching-source-", {
        /// The feedback form after a workshop.
        WorkshopFeedback = "workshop-feedback",
        /// "Be called back by an adviser" on a diagnostic's results.
        DiagnosticResults = "diagnostic-results",
        /// The contact form, topic "coaching".
        ContactForm = "contact",
    }
);

coded!(
    /// What an adviser does with a request.
    Action, "coaching-action-", {
        /// Take it for oneself.
        Take = "take",
        /// Give it to another adviser.
        Assign = "assign",
        /// Decline it with a reason.
        Decline = "decline",
    }
);

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
        for &s in RequestStatus::ALL {
            assert!(s.label_key().starts_with("coaching-status-"));
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
