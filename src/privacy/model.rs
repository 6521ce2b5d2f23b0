//! Personal data as data: the register of processing (one entry per kind of
//! personal data), the audit actions, retention limits and the erasure
//! placeholder. Pure rules, no I/O.

use sha2::{Digest, Sha256};

/// A kind of personal data Tremplin holds. Adding a kind (e.g. follow-up
/// files) means adding its register entry here and its export and erasure
/// in `sources.rs`: the matches there are exhaustive, so the compiler asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataKind {
    Accounts,
    Registrations,
    Diagnostics,
    Needs,
    Directory,
    Contact,
    Businesses,
    /// Follow-up files: activities, observations, documents, referrals,
    /// grant applications.
    Cases,
    Testimonies,
}

/// Why the programme may process a kind of data (GDPR art. 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegalBasis {
    Consent,
    Contract,
    PublicTask,
    LegitimateInterest,
}

impl LegalBasis {
    /// Translation key of the label.
    pub fn label_key(self) -> &'static str {
        match self {
            LegalBasis::Consent => "privacy-basis-consent",
            LegalBasis::Contract => "privacy-basis-contract",
            LegalBasis::PublicTask => "privacy-basis-public-task",
            LegalBasis::LegitimateInterest => "privacy-basis-legitimate-interest",
        }
    }
}

/// One line of the register of processing.
#[derive(Debug, Clone, Copy)]
pub struct RegisterEntry {
    pub kind: DataKind,
    pub basis: LegalBasis,
    /// Months kept after the person was last seen, unless the manager chose otherwise.
    pub default_months: i64,
    /// The shortest retention a manager may set (legal minimum or what the figures need).
    pub min_months: i64,
    /// The longest retention a manager may set.
    pub max_months: i64,
    /// Whether the daily job erases this kind when it expires.
    pub expires: bool,
}

/// The register: every kind of personal data, in the order pages show it.
pub const REGISTER: &[RegisterEntry] = &[
    RegisterEntry {
        kind: DataKind::Accounts,
        basis: LegalBasis::Contract,
        default_months: 36,
        min_months: 12,
        max_months: 60,
        expires: true,
    },
    RegisterEntry {
        kind: DataKind::Registrations,
        basis: LegalBasis::PublicTask,
        default_months: 36,
        min_months: 12,
        max_months: 60,
        expires: true,
    },
    RegisterEntry {
        kind: DataKind::Diagnostics,
        basis: LegalBasis::PublicTask,
        default_months: 36,
        min_months: 12,
        max_months: 120,
        expires: true,
    },
    RegisterEntry {
        kind: DataKind::Needs,
        basis: LegalBasis::Contract,
        default_months: 24,
        min_months: 6,
        max_months: 60,
        expires: true,
    },
    RegisterEntry {
        kind: DataKind::Directory,
        basis: LegalBasis::LegitimateInterest,
        default_months: 24,
        min_months: 12,
        max_months: 60,
        expires: true,
    },
    RegisterEntry {
        kind: DataKind::Contact,
        basis: LegalBasis::LegitimateInterest,
        default_months: 12,
        min_months: 1,
        max_months: 36,
        expires: true,
    },
    RegisterEntry {
        kind: DataKind::Businesses,
        basis: LegalBasis::PublicTask,
        // Grant files: ten years of accounting proof.
        default_months: 120,
        min_months: 120,
        max_months: 180,
        expires: true,
    },
    RegisterEntry {
        kind: DataKind::Cases,
        basis: LegalBasis::PublicTask,
        // Counted from the file's closing.
        default_months: 36,
        min_months: 12,
        max_months: 120,
        expires: true,
    },
    RegisterEntry {
        kind: DataKind::Testimonies,
        basis: LegalBasis::Consent,
        default_months: 60,
        min_months: 6,
        max_months: 120,
        expires: true,
    },
];

impl DataKind {
    /// Text stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            DataKind::Accounts => "accounts",
            DataKind::Registrations => "registrations",
            DataKind::Diagnostics => "diagnostics",
            DataKind::Needs => "needs",
            DataKind::Directory => "directory",
            DataKind::Contact => "contact",
            DataKind::Businesses => "businesses",
            DataKind::Cases => "cases",
            DataKind::Testimonies => "testimonies",
        }
    }

    /// The kind stored as `code`.
    pub fn from_code(code: &str) -> Option<DataKind> {
        REGISTER.iter().map(|e| e.kind).find(|k| k.code() == code)
    }

    /// Translation key of the label.
    pub fn label_key(self) -> &'static str {
        match self {
            DataKind::Accounts => "privacy-kind-accounts",
            DataKind::Registrations => "privacy-kind-registrations",
            DataKind::Diagnostics => "privacy-kind-diagnostics",
            DataKind::Needs => "privacy-kind-needs",
            DataKind::Directory => "privacy-kind-directory",
            DataKind::Contact => "privacy-kind-contact",
            DataKind::Businesses => "privacy-kind-businesses",
            DataKind::Cases => "privacy-kind-cases",
            DataKind::Testimonies => "privacy-kind-testimonies",
        }
    }

    /// Translation key of the purpose.
    pub fn purpose_key(self) -> String {
        format!("privacy-purpose-{}", self.code())
    }

    /// Translation key of who sees it.
    pub fn audience_key(self) -> String {
        format!("privacy-audience-{}", self.code())
    }

    /// Translation key of why its retention cannot be shorter than the
    /// entry's minimum: the legal text, or the indicator that needs it.
    pub fn minimum_key(self) -> String {
        format!("privacy-minimum-{}", self.code())
    }

    /// Translation key of what it holds.
    pub fn data_key(self) -> String {
        format!("privacy-data-{}", self.code())
    }

    /// Its line of the register.
    pub fn entry(self) -> &'static RegisterEntry {
        REGISTER
            .iter()
            .find(|e| e.kind == self)
            .expect("every kind has a register entry")
    }
}

/// What the audit log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    RoleGranted,
    Export,
    AccessRequest,
    Erasure,
    ErasureRefused,
    RetentionChanged,
    RetentionRun,
    RoleRevoked,
    /// A funder-role reader limited to one partner, or the limit lifted.
    RoleScoped,
    CaseRead,
    CaseChanged,
    ConsentWithdrawn,
}

/// Every action, in the order the filter lists them.
pub const AUDIT_ACTIONS: [AuditAction; 12] = [
    AuditAction::RoleGranted,
    AuditAction::RoleRevoked,
    AuditAction::RoleScoped,
    AuditAction::CaseRead,
    AuditAction::CaseChanged,
    AuditAction::ConsentWithdrawn,
    AuditAction::Export,
    AuditAction::AccessRequest,
    AuditAction::Erasure,
    AuditAction::ErasureRefused,
    AuditAction::RetentionChanged,
    AuditAction::RetentionRun,
];

impl AuditAction {
    /// Text stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            AuditAction::RoleGranted => "role_granted",
            AuditAction::Export => "export",
            AuditAction::AccessRequest => "access_request",
            AuditAction::Erasure => "erasure",
            AuditAction::ErasureRefused => "erasure_refused",
            AuditAction::RetentionChanged => "retention_changed",
            AuditAction::RetentionRun => "retention_run",
            AuditAction::RoleRevoked => "role_revoked",
            AuditAction::RoleScoped => "role_scoped",
            AuditAction::CaseRead => "case_read",
            AuditAction::CaseChanged => "case_changed",
            AuditAction::ConsentWithdrawn => "consent_withdrawn",
        }
    }

    /// The action stored as `code`.
    pub fn from_code(code: &str) -> Option<AuditAction> {
        AUDIT_ACTIONS.iter().copied().find(|a| a.code() == code)
    }

    /// Translation key of the label.
    pub fn label_key(self) -> &'static str {
        match self {
            AuditAction::RoleGranted => "privacy-action-role-granted",
            AuditAction::Export => "privacy-action-export",
            AuditAction::AccessRequest => "privacy-action-access-request",
            AuditAction::Erasure => "privacy-action-erasure",
            AuditAction::ErasureRefused => "privacy-action-erasure-refused",
            AuditAction::RetentionChanged => "privacy-action-retention-changed",
            AuditAction::RetentionRun => "privacy-action-retention-run",
            AuditAction::RoleRevoked => "privacy-action-role-revoked",
            AuditAction::RoleScoped => "privacy-action-role-scoped",
            AuditAction::CaseRead => "privacy-action-case-read",
            AuditAction::CaseChanged => "privacy-action-case-changed",
            AuditAction::ConsentWithdrawn => "privacy-action-consent-withdrawn",
        }
    }
}

/// How a person is named in the audit log and the erasure register: a
/// short hash of the normalised address, so the log itself keeps no
/// address after an erasure, yet a manager finds the rows by typing it.
pub fn subject_key(email: &str) -> String {
    let digest = Sha256::digest(normalise_email(email).as_bytes());
    format!("p-{}", &hex::encode(digest)[..16])
}

/// The key of a business in the audit log and the erasure register.
pub fn business_key(id: i64) -> String {
    format!("b-{id}")
}

/// Addresses are compared trimmed and lowercased (as registrations do).
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// What replaces a person's name once erased.
pub const ERASED_NAME: &str = "[effacé]";

/// The address that replaces an erased person's: unique per erasure (so
/// counts by person stay the same) and undeliverable.
pub fn erased_email(token: &str) -> String {
    format!("efface-{token}@efface.invalid")
}

/// A retention a manager asked for, checked against the register's limits.
pub fn parse_retention(kind: DataKind, input: &str) -> Result<i64, RetentionError> {
    let months: i64 = input
        .trim()
        .parse()
        .map_err(|_| RetentionError::NotANumber)?;
    let e = kind.entry();
    if months < e.min_months {
        return Err(RetentionError::BelowMinimum(e.min_months));
    }
    if months > e.max_months {
        return Err(RetentionError::AboveMaximum(e.max_months));
    }
    Ok(months)
}

/// Why a retention was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetentionError {
    NotANumber,
    BelowMinimum(i64),
    AboveMaximum(i64),
}

impl RetentionError {
    /// Translation key and the limit it names.
    pub fn key(self) -> (&'static str, i64) {
        match self {
            RetentionError::NotANumber => ("privacy-retention-not-number", 0),
            RetentionError::BelowMinimum(m) => ("privacy-retention-below", m),
            RetentionError::AboveMaximum(m) => ("privacy-retention-above", m),
        }
    }
}

/// Milliseconds in a month of retention (30 days).
pub const MONTH_MS: i64 = 30 * 24 * 3_600_000;

/// Why an erasure must wait (a legal hold), with the translation key shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    pub key: &'static str,
    /// What it is about (e.g. the need's title).
    pub about: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_entry_and_a_code_that_reads_back() {
        for e in REGISTER {
            assert_eq!(DataKind::from_code(e.kind.code()), Some(e.kind));
            assert!(e.min_months <= e.default_months && e.default_months <= e.max_months);
        }
    }

    #[test]
    fn retention_is_kept_within_limits() {
        assert_eq!(parse_retention(DataKind::Registrations, "36"), Ok(36));
        assert_eq!(
            parse_retention(DataKind::Businesses, "12"),
            Err(RetentionError::BelowMinimum(120))
        );
        assert_eq!(
            parse_retention(DataKind::Registrations, "x"),
            Err(RetentionError::NotANumber)
        );
    }

    #[test]
    fn subject_keys_ignore_case_and_spaces() {
        assert_eq!(subject_key(" Marie@X.fr "), subject_key("marie@x.fr"));
        assert_ne!(subject_key("a@x.fr"), subject_key("b@x.fr"));
    }
}
