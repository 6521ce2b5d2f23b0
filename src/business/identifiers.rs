//! Business legal identifiers: validation and normalisation ("parse, don't validate").
//!
//! Raw user input goes in, a [`LegalId`] in canonical form (or an [`IdError`]
//! naming a Fluent message) comes out. Supported: French SIREN and SIRET,
//! Belgian enterprise numbers (BCE/KBO), Luxembourg RCS and VAT numbers and
//! New Caledonia RIDET. Pure code, no I/O.

use std::fmt;

/// Country of registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Country {
    /// France.
    Fr,
    /// Belgium.
    Be,
    /// Luxembourg.
    Lu,
    /// New Caledonia.
    Nc,
}

impl Country {
    /// Every supported country, in display order.
    pub const ALL: [Country; 4] = [Country::Fr, Country::Be, Country::Lu, Country::Nc];

    /// Two-letter code: "FR", "BE", "LU" or "NC".
    pub fn code(self) -> &'static str {
        match self {
            Country::Fr => "FR",
            Country::Be => "BE",
            Country::Lu => "LU",
            Country::Nc => "NC",
        }
    }

    /// Country from its two-letter code, case-insensitive.
    pub fn from_code(s: &str) -> Option<Country> {
        Country::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(s))
    }

    /// Fluent message id of the country name, e.g. "id-country-fr".
    pub fn label_key(self) -> &'static str {
        match self {
            Country::Fr => "id-country-fr",
            Country::Be => "id-country-be",
            Country::Lu => "id-country-lu",
            Country::Nc => "id-country-nc",
        }
    }

    /// Identifier kinds issued in this country.
    pub fn kinds(self) -> &'static [IdKind] {
        match self {
            Country::Fr => &[IdKind::Siren, IdKind::Siret],
            Country::Be => &[IdKind::BeEnterprise],
            Country::Lu => &[IdKind::LuRcs, IdKind::LuVat],
            Country::Nc => &[IdKind::Ridet],
        }
    }
}

/// Kind of identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdKind {
    /// French company number (9 digits, Luhn).
    Siren,
    /// French establishment number (14 digits, Luhn, La Poste exception).
    Siret,
    /// Belgian enterprise number, BCE/KBO (10 digits, mod 97).
    BeEnterprise,
    /// Luxembourg trade register number (section letter and up to 6 digits).
    LuRcs,
    /// Luxembourg intra-community VAT number ("LU" and 8 digits, mod 89).
    LuVat,
    /// New Caledonia RIDET (7-digit company and 3-digit establishment).
    Ridet,
}

impl IdKind {
    /// Every supported kind.
    pub const ALL: [IdKind; 6] = [
        IdKind::Siren,
        IdKind::Siret,
        IdKind::BeEnterprise,
        IdKind::LuRcs,
        IdKind::LuVat,
        IdKind::Ridet,
    ];

    /// Stable machine code, e.g. "siren" or "be_enterprise".
    pub fn code(self) -> &'static str {
        match self {
            IdKind::Siren => "siren",
            IdKind::Siret => "siret",
            IdKind::BeEnterprise => "be_enterprise",
            IdKind::LuRcs => "lu_rcs",
            IdKind::LuVat => "lu_vat",
            IdKind::Ridet => "ridet",
        }
    }

    /// Kind from its machine code (exact, lowercase).
    pub fn from_code(s: &str) -> Option<IdKind> {
        IdKind::ALL.into_iter().find(|k| k.code() == s)
    }

    /// Country that issues this kind of identifier.
    pub fn country(self) -> Country {
        match self {
            IdKind::Siren | IdKind::Siret => Country::Fr,
            IdKind::BeEnterprise => Country::Be,
            IdKind::LuRcs | IdKind::LuVat => Country::Lu,
            IdKind::Ridet => Country::Nc,
        }
    }

    /// Fluent message id of the kind name, e.g. "id-kind-siren".
    pub fn label_key(self) -> &'static str {
        self.keys().label
    }

    /// Short English name, for logs.
    fn english_name(self) -> &'static str {
        match self {
            IdKind::Siren => "SIREN",
            IdKind::Siret => "SIRET",
            IdKind::BeEnterprise => "Belgian enterprise number",
            IdKind::LuRcs => "Luxembourg RCS number",
            IdKind::LuVat => "Luxembourg VAT number",
            IdKind::Ridet => "RIDET",
        }
    }

    /// All Fluent message ids that depend on the kind.
    fn keys(self) -> KindKeys {
        match self {
            IdKind::Siren => KindKeys {
                label: "id-kind-siren",
                length: "id-error-length-siren",
                checksum: "id-error-checksum-siren",
                format: "id-error-format-siren",
            },
            IdKind::Siret => KindKeys {
                label: "id-kind-siret",
                length: "id-error-length-siret",
                checksum: "id-error-checksum-siret",
                format: "id-error-format-siret",
            },
            IdKind::BeEnterprise => KindKeys {
                label: "id-kind-be-enterprise",
                length: "id-error-length-be-enterprise",
                checksum: "id-error-checksum-be-enterprise",
                format: "id-error-format-be-enterprise",
            },
            IdKind::LuRcs => KindKeys {
                label: "id-kind-lu-rcs",
                length: "id-error-length-lu-rcs",
                checksum: "id-error-checksum-lu-rcs",
                format: "id-error-format-lu-rcs",
            },
            IdKind::LuVat => KindKeys {
                label: "id-kind-lu-vat",
                length: "id-error-length-lu-vat",
                checksum: "id-error-checksum-lu-vat",
                format: "id-error-format-lu-vat",
            },
            IdKind::Ridet => KindKeys {
                label: "id-kind-ridet",
                length: "id-error-length-ridet",
                checksum: "id-error-checksum-ridet",
                format: "id-error-format-ridet",
            },
        }
    }
}

/// Fluent message ids tied to one kind.
struct KindKeys {
    label: &'static str,
    length: &'static str,
    checksum: &'static str,
    format: &'static str,
}

/// Fluent message id of the short help text on accepted formats.
pub const HINT_KEY: &str = "id-hint";

/// Why input was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdError {
    /// Nothing was entered (or only separators).
    Empty,
    /// A character other than ASCII letters, digits and accepted separators.
    BadCharacters,
    /// Right characters, wrong number of them.
    WrongLength {
        /// Kind the input was checked against.
        kind: IdKind,
    },
    /// The check digits do not match.
    BadCheckDigit {
        /// Kind the input was checked against.
        kind: IdKind,
    },
    /// Letters where digits belong, wrong prefix or section, and the like.
    BadFormat {
        /// Kind the input was checked against.
        kind: IdKind,
    },
    /// The identifier kind code is not known.
    UnknownKind,
}

impl IdError {
    /// Every error variant for every kind, e.g. to check translations.
    pub fn all() -> Vec<IdError> {
        let mut all = vec![IdError::Empty, IdError::BadCharacters, IdError::UnknownKind];
        for kind in IdKind::ALL {
            all.push(IdError::WrongLength { kind });
            all.push(IdError::BadCheckDigit { kind });
            all.push(IdError::BadFormat { kind });
        }
        all
    }

    /// Fluent message id explaining the error, e.g. "id-error-length-siren".
    pub fn key(&self) -> &'static str {
        match self {
            IdError::Empty => "id-error-empty",
            IdError::BadCharacters => "id-error-characters",
            IdError::UnknownKind => "id-error-unknown-kind",
            IdError::WrongLength { kind } => kind.keys().length,
            IdError::BadCheckDigit { kind } => kind.keys().checksum,
            IdError::BadFormat { kind } => kind.keys().format,
        }
    }

    /// Kind the input was checked against, when the error is kind-specific.
    pub fn kind(&self) -> Option<IdKind> {
        match self {
            IdError::WrongLength { kind }
            | IdError::BadCheckDigit { kind }
            | IdError::BadFormat { kind } => Some(*kind),
            IdError::Empty | IdError::BadCharacters | IdError::UnknownKind => None,
        }
    }
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdError::Empty => f.write_str("empty identifier"),
            IdError::BadCharacters => f.write_str("unexpected characters in identifier"),
            IdError::UnknownKind => f.write_str("unknown identifier kind"),
            IdError::WrongLength { kind } => write!(f, "wrong length for {}", kind.english_name()),
            IdError::BadCheckDigit { kind } => {
                write!(f, "check digits do not match for {}", kind.english_name())
            }
            IdError::BadFormat { kind } => write!(f, "invalid format for {}", kind.english_name()),
        }
    }
}

impl std::error::Error for IdError {}

/// A validated identifier in canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LegalId {
    /// Kind of identifier.
    pub kind: IdKind,
    /// Canonical value: digits only, except "B123456" (LU RCS) and "LU15027442" (LU VAT).
    pub value: String,
}

impl LegalId {
    /// Parse raw user input for a given kind.
    pub fn parse(kind: IdKind, raw: &str) -> Result<LegalId, IdError> {
        let s = normalize(raw)?;
        let value = match kind {
            IdKind::Siren => parse_siren(&s)?,
            IdKind::Siret => parse_siret(&s)?,
            IdKind::BeEnterprise => parse_be_enterprise(&s)?,
            IdKind::LuRcs => parse_lu_rcs(&s)?,
            IdKind::LuVat => parse_lu_vat(&s)?,
            IdKind::Ridet => parse_ridet(raw.trim(), &s)?,
        };
        Ok(LegalId { kind, value })
    }

    /// Parse raw user input for a kind given by its code (e.g. from a form field).
    pub fn parse_with_kind_code(kind_code: &str, raw: &str) -> Result<LegalId, IdError> {
        let kind = IdKind::from_code(kind_code).ok_or(IdError::UnknownKind)?;
        LegalId::parse(kind, raw)
    }

    /// Parse for a country, detecting the kind from the input.
    ///
    /// France: up to 11 characters are read as a SIREN, 12 or more as a SIRET
    /// (so a mistyped number gets the closest error message).
    /// Luxembourg: a leading "LU" or digits only mean a VAT number, any other
    /// leading letter an RCS number.
    pub fn parse_for_country(country: Country, raw: &str) -> Result<LegalId, IdError> {
        let s = normalize(raw)?;
        let kind = match country {
            Country::Fr if s.len() <= 11 => IdKind::Siren,
            Country::Fr => IdKind::Siret,
            Country::Be => IdKind::BeEnterprise,
            Country::Lu if s.starts_with("LU") => IdKind::LuVat,
            Country::Lu if s.starts_with(|c: char| c.is_ascii_alphabetic()) => IdKind::LuRcs,
            Country::Lu => IdKind::LuVat,
            Country::Nc => IdKind::Ridet,
        };
        LegalId::parse(kind, raw)
    }

    /// Country that issued the identifier.
    pub fn country(&self) -> Country {
        self.kind.country()
    }

    /// Human display form, e.g. "732 829 320 00074", "0403.170.701" or "1234567.001".
    pub fn display(&self) -> String {
        let v = self.value.as_str();
        match self.kind {
            IdKind::Siren => format!("{} {} {}", &v[..3], &v[3..6], &v[6..]),
            IdKind::Siret => format!("{} {} {} {}", &v[..3], &v[3..6], &v[6..9], &v[9..]),
            IdKind::BeEnterprise => format!("{}.{}.{}", &v[..4], &v[4..7], &v[7..]),
            IdKind::LuRcs | IdKind::LuVat => v.to_string(),
            IdKind::Ridet => format!("{}.{}", &v[..7], &v[7..]),
        }
    }

    /// The SIREN: the value of a SIREN, the first 9 digits of a SIRET, otherwise `None`.
    pub fn siren(&self) -> Option<&str> {
        match self.kind {
            IdKind::Siren => Some(&self.value),
            IdKind::Siret => Some(&self.value[..9]),
            _ => None,
        }
    }
}

/// Whether `c` is a separator that users may type and that is dropped.
fn is_separator(c: char) -> bool {
    // `char::is_whitespace` covers the ASCII space, tabs, U+00A0 (no-break
    // space) and U+202F (narrow no-break space, French digit grouping).
    c.is_whitespace() || matches!(c, '.' | '-' | '/')
}

/// Drop separators and uppercase letters; refuse anything but ASCII letters and digits.
fn strip(raw: &str) -> Result<String, IdError> {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if is_separator(c) {
            continue;
        }
        if !c.is_ascii_alphanumeric() {
            return Err(IdError::BadCharacters);
        }
        out.push(c.to_ascii_uppercase());
    }
    Ok(out)
}

/// Trim and strip `raw`; input that is empty or only separators is `Empty`.
fn normalize(raw: &str) -> Result<String, IdError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(IdError::Empty);
    }
    let s = strip(trimmed)?;
    if s.is_empty() {
        return Err(IdError::Empty);
    }
    Ok(s)
}

/// Whether `s` is non-empty and made of ASCII digits only.
fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Numeric value of a short string of ASCII digits (at most 18 digits).
fn number(digits: &str) -> u64 {
    digits
        .bytes()
        .fold(0, |acc, b| acc * 10 + u64::from(b - b'0'))
}

/// Luhn checksum over ASCII digits.
fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let d2 = d * 2;
                if d2 > 9 {
                    d2 - 9
                } else {
                    d2
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Sum of the digits of a string of ASCII digits.
fn digit_sum(digits: &str) -> u32 {
    digits.bytes().map(|b| u32::from(b - b'0')).sum()
}

/// SIREN of La Poste, whose SIRETs follow a different check rule.
const LA_POSTE_SIREN: &str = "356000000";

/// Check a run of digits of a fixed length, for the kind's errors.
fn fixed_digits(s: &str, len: usize, kind: IdKind) -> Result<(), IdError> {
    if !all_digits(s) {
        return Err(IdError::BadFormat { kind });
    }
    if s.len() != len {
        return Err(IdError::WrongLength { kind });
    }
    Ok(())
}

/// SIREN: 9 digits, Luhn.
fn parse_siren(s: &str) -> Result<String, IdError> {
    let kind = IdKind::Siren;
    fixed_digits(s, 9, kind)?;
    if !luhn_valid(s) {
        return Err(IdError::BadCheckDigit { kind });
    }
    Ok(s.to_string())
}

/// SIRET: 14 digits, Luhn; La Poste's establishments may instead have a digit sum divisible by 5.
fn parse_siret(s: &str) -> Result<String, IdError> {
    let kind = IdKind::Siret;
    fixed_digits(s, 14, kind)?;
    // La Poste has more establishments than a Luhn key allows under one
    // SIREN, so INSEE numbers them with the sum of the 14 digits a multiple
    // of 5 instead. Its older SIRETs (the head office 35600000000048) still
    // pass Luhn, so either rule is accepted there.
    let la_poste = s.starts_with(LA_POSTE_SIREN) && digit_sum(s).is_multiple_of(5);
    if !luhn_valid(s) && !la_poste {
        return Err(IdError::BadCheckDigit { kind });
    }
    Ok(s.to_string())
}

/// Belgian enterprise number: optional "BE", 10 digits (9 for the old form), mod 97.
fn parse_be_enterprise(s: &str) -> Result<String, IdError> {
    let kind = IdKind::BeEnterprise;
    let digits = s.strip_prefix("BE").unwrap_or(s);
    if !all_digits(digits) {
        return Err(IdError::BadFormat { kind });
    }
    let digits = match digits.len() {
        // Numbers issued before 2005 had 9 digits; a leading 0 was added.
        9 => format!("0{digits}"),
        10 => digits.to_string(),
        _ => return Err(IdError::WrongLength { kind }),
    };
    if !digits.starts_with(['0', '1']) {
        return Err(IdError::BadFormat { kind });
    }
    if 97 - number(&digits[..8]) % 97 != number(&digits[8..]) {
        return Err(IdError::BadCheckDigit { kind });
    }
    Ok(digits)
}

/// Section letters of the Luxembourg trade and companies register.
const LU_RCS_SECTIONS: [char; 10] = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K'];

/// Luxembourg RCS: a section letter then 1 to 6 digits, not all zeros; no checksum.
fn parse_lu_rcs(s: &str) -> Result<String, IdError> {
    let kind = IdKind::LuRcs;
    let digits = s
        .strip_prefix(LU_RCS_SECTIONS)
        .ok_or(IdError::BadFormat { kind })?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdError::BadFormat { kind });
    }
    if digits.is_empty() || digits.len() > 6 {
        return Err(IdError::WrongLength { kind });
    }
    if digits.bytes().all(|b| b == b'0') {
        return Err(IdError::BadFormat { kind });
    }
    // Digits are kept as given (no zero padding or stripping).
    Ok(s.to_string())
}

/// Luxembourg VAT: optional "LU", 8 digits, first 6 mod 89 equal to the last 2.
fn parse_lu_vat(s: &str) -> Result<String, IdError> {
    let kind = IdKind::LuVat;
    let digits = s.strip_prefix("LU").unwrap_or(s);
    fixed_digits(digits, 8, kind)?;
    if number(&digits[..6]) % 89 != number(&digits[6..]) {
        return Err(IdError::BadCheckDigit { kind });
    }
    Ok(format!("LU{digits}"))
}

/// RIDET: 7-digit company number (6 gets a leading 0) and 3-digit establishment ("000" if absent).
///
/// The RIDET has no check digit, so only the shape is verified.
fn parse_ridet(trimmed: &str, s: &str) -> Result<String, IdError> {
    let kind = IdKind::Ridet;
    if !all_digits(s) {
        return Err(IdError::BadFormat { kind });
    }
    // With an explicit separator ("1234567.001", "123456-001") the split is
    // known, so "1234567.01" is refused rather than read as "0123456701".
    let (company, establishment) = match trimmed.rfind(['.', '-', '/']) {
        Some(at) => {
            let company = strip(&trimmed[..at])?;
            let establishment = strip(&trimmed[at + 1..])?;
            if establishment.len() != 3 {
                return Err(IdError::WrongLength { kind });
            }
            (company, establishment)
        }
        // Spaces only, or no separator: split by length.
        None => match s.len() {
            6 | 7 => (s.to_string(), "000".to_string()),
            9 | 10 => (s[..s.len() - 3].to_string(), s[s.len() - 3..].to_string()),
            _ => return Err(IdError::WrongLength { kind }),
        },
    };
    let company = match company.len() {
        6 => format!("0{company}"),
        7 => company,
        _ => return Err(IdError::WrongLength { kind }),
    };
    Ok(format!("{company}{establishment}"))
}

#[cfg(test)]
mod tests;
