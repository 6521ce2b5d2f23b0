//! Where a coaching request stands, and where it came from. No I/O.

/// Where a coaching request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestStatus {
    /// Not handled yet.
    Open,
    /// An adviser took it up.
    Done,
}

impl RequestStatus {
    /// Every status.
    pub const ALL: [RequestStatus; 2] = [RequestStatus::Open, RequestStatus::Done];

    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            RequestStatus::Open => "open",
            RequestStatus::Done => "done",
        }
    }

    /// The Fluent key of the status's label.
    pub fn label_key(self) -> &'static str {
        match self {
            RequestStatus::Open => "ws-request-open",
            RequestStatus::Done => "ws-request-done",
        }
    }

    /// Parse a stored code.
    pub fn from_code(s: &str) -> Option<RequestStatus> {
        RequestStatus::ALL.into_iter().find(|r| r.code() == s)
    }
}

/// Where a request came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The feedback form after a workshop.
    WorkshopFeedback,
}

impl Source {
    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Source::WorkshopFeedback => "workshop-feedback",
        }
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
    }
}
