//! A business of the register: its typed form, the rules it must pass,
//! the changes recorded in its history. Pure rules, no I/O: what the rules
//! need from the reference data ([`Known`]) is looked up by the store.

use serde::{Deserialize, Serialize};

use super::identifiers::{Country, IdError, LegalId};
use crate::web::forms::{checked, is_valid_email, Violations};

/// Size bands by number of employees (the codes of [`SizeBand`]).
pub const SIZE_BANDS: [&str; 4] = ["0", "1-9", "10-49", "50-249"];

/// A size band by number of employees; the code is stored in `size_band`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeBand {
    /// No employee.
    None,
    Micro,
    Small,
    Medium,
}

impl SizeBand {
    /// Every band, smallest first.
    pub const ALL: [SizeBand; 4] = [
        SizeBand::None,
        SizeBand::Micro,
        SizeBand::Small,
        SizeBand::Medium,
    ];

    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            SizeBand::None => "0",
            SizeBand::Micro => "1-9",
            SizeBand::Small => "10-49",
            SizeBand::Medium => "50-249",
        }
    }

    /// Fluent key of the band's name.
    pub fn label_key(self) -> &'static str {
        match self {
            SizeBand::None => "business-size-0",
            SizeBand::Micro => "business-size-1-9",
            SizeBand::Small => "business-size-10-49",
            SizeBand::Medium => "business-size-50-249",
        }
    }

    /// Parse a stored or submitted code.
    pub fn from_code(s: &str) -> Option<SizeBand> {
        SizeBand::ALL.into_iter().find(|b| b.code() == s)
    }
}

/// What a form, the API or a CSV row sends for a business.
#[derive(Debug, Default, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(example = json!({"name": "Plomberie Ruiz", "country": "FR", "legal_id": "552 100 554",
    "sector_code": "43", "size_band": "1-9", "commune_code": "", "address": "", "website": ""}))]
pub struct BusinessInput {
    /// Trading or legal name.
    pub name: String,
    /// FR, BE, LU or NC.
    pub country: String,
    /// SIREN/SIRET, BCE number, RCS or VAT number, RIDET; spaces and dots accepted.
    pub legal_id: String,
    /// NACE/NAF division code, e.g. "47".
    pub sector_code: String,
    /// 0, 1-9, 10-49 or 50-249.
    pub size_band: String,
    /// Territory code of the commune, e.g. "FR-C33063".
    pub commune_code: String,
    pub address: String,
    pub website: String,
    /// Slug of the partner that brought the business; absent keeps the current one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner: Option<String>,
    /// Version read before editing (optimistic concurrency); 0 on creation.
    #[serde(skip_serializing)]
    pub version: i64,
}

/// A validated business, ready to store.
#[derive(Debug, Clone)]
pub struct ValidBusiness {
    pub name: String,
    pub legal_id: LegalId,
    pub sector_code: Option<String>,
    pub size_band: String,
    pub commune_code: Option<String>,
    pub address: String,
    pub website: String,
    /// `None`: keep the current partner; `Some(None)`: no partner.
    pub partner_id: Option<Option<i64>>,
    /// The partner's slug as given, for the history.
    pub partner_slug: Option<String>,
}

fn id_violation(v: &mut Violations, e: IdError) {
    v.add("legal_id", e.key(), None);
}

/// A value that could not be understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid;

/// Normalise a website: `www.x.fr` becomes `https://www.x.fr`.
pub fn normalise_website(raw: &str) -> Result<String, Invalid> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(String::new());
    }
    let with_scheme = if raw.contains("://") {
        raw.to_string()
    } else {
        format!("https://{raw}")
    };
    match url::Url::parse(&with_scheme) {
        Ok(u)
            if matches!(u.scheme(), "http" | "https")
                && u.host_str().is_some_and(|h| h.contains('.')) =>
        {
            Ok(u.to_string())
        }
        _ => Err(Invalid),
    }
}

/// Normalise a phone number to the international format (+33612345678).
/// National numbers are read for the business's country.
pub fn normalise_phone(raw: &str, country: Country) -> Result<String, Invalid> {
    let digits: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '/' | '\u{a0}'))
        .collect();
    if digits.is_empty() {
        return Ok(String::new());
    }
    let intl = if let Some(rest) = digits.strip_prefix('+') {
        rest.to_string()
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_string()
    } else {
        match country {
            Country::Fr if digits.len() == 10 && digits.starts_with('0') => {
                format!("33{}", &digits[1..])
            }
            Country::Be if (9..=10).contains(&digits.len()) && digits.starts_with('0') => {
                format!("32{}", &digits[1..])
            }
            Country::Lu if (6..=11).contains(&digits.len()) => format!("352{digits}"),
            Country::Nc if digits.len() == 6 => format!("687{digits}"),
            _ => return Err(Invalid),
        }
    };
    if (8..=15).contains(&intl.len())
        && intl.bytes().all(|b| b.is_ascii_digit())
        && !intl.starts_with('0')
    {
        Ok(format!("+{intl}"))
    } else {
        Err(Invalid)
    }
}

/// What the rules need from the reference data, looked up by the store.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// The sector division, when the code is one.
    pub sector_code: Option<String>,
    /// The commune, when the code is one.
    pub commune_code: Option<String>,
    /// `None`: no partner given; `Some(None)`: unknown slug or none wanted.
    pub partner_id: Option<Option<i64>>,
}

impl BusinessInput {
    /// Check the input, given what the reference data says about its codes.
    pub fn parse(&self, known: Known) -> Result<ValidBusiness, Violations> {
        let mut v = Violations::default();
        let name = v.text("name", &self.name, 2, 200);
        let legal_id = match Country::from_code(self.country.trim()) {
            None => {
                v.add("country", "form-choose", None);
                None
            }
            Some(c) => LegalId::parse_for_country(c, &self.legal_id)
                .map_err(|e| id_violation(&mut v, e))
                .ok(),
        };
        if known.sector_code.is_none() {
            v.add("sector_code", "form-choose", None);
        }
        let size_band = self.size_band.trim().to_string();
        if SizeBand::from_code(&size_band).is_none() {
            v.add("size_band", "form-choose", None);
        }
        if !self.commune_code.trim().is_empty() && known.commune_code.is_none() {
            v.add("commune_code", "business-unknown-commune", None);
        }
        let address = v.text("address", &self.address, 0, 300);
        let website = normalise_website(&self.website).unwrap_or_else(|Invalid| {
            v.add("website", "business-bad-website", None);
            String::new()
        });
        let partner_slug = self.partner.as_deref().map(|p| p.trim().to_string());
        if partner_slug.as_deref().is_some_and(|s| !s.is_empty())
            && known.partner_id.flatten().is_none()
        {
            v.add("partner", "form-choose", None);
        }
        match legal_id {
            Some(legal_id) if v.is_empty() => Ok(ValidBusiness {
                name,
                legal_id,
                sector_code: known.sector_code,
                size_band,
                commune_code: known.commune_code,
                address,
                website,
                partner_id: known.partner_id,
                partner_slug,
            }),
            _ => Err(v),
        }
    }
}

/// The two identifier forms a duplicate may be stored under: a SIRET and the
/// SIREN of its company are the same business. `(kind, value, other kind,
/// LIKE pattern)`.
pub fn duplicate_keys(id: &LegalId) -> (&'static str, String, &'static str, String) {
    match (id.kind.code(), id.siren()) {
        ("siret", Some(siren)) => ("siret", id.value.clone(), "siren", siren.to_string()),
        ("siren", _) => ("siren", id.value.clone(), "siret", format!("{}%", id.value)),
        (k, _) => (k, id.value.clone(), k, id.value.clone()),
    }
}

/// The fields an update changes, as `(field, old, new)` for the history.
pub fn changes(current: &Business, b: &ValidBusiness) -> Vec<(&'static str, String, String)> {
    let current_partner = current.partner.clone().unwrap_or_default();
    [
        ("name", current.name.clone(), b.name.clone()),
        (
            "legal_id",
            current.legal_id.clone(),
            b.legal_id.value.clone(),
        ),
        (
            "sector_code",
            current.sector_code.clone().unwrap_or_default(),
            b.sector_code.clone().unwrap_or_default(),
        ),
        ("size_band", current.size_band.clone(), b.size_band.clone()),
        (
            "commune_code",
            current.commune_code.clone().unwrap_or_default(),
            b.commune_code.clone().unwrap_or_default(),
        ),
        ("address", current.address.clone(), b.address.clone()),
        ("website", current.website.clone(), b.website.clone()),
        (
            "partner",
            current_partner.clone(),
            b.partner_slug.clone().unwrap_or(current_partner),
        ),
    ]
    .into_iter()
    .filter(|(_, old, new)| old != new)
    .collect()
}

/// Why a business could not be stored.
#[derive(Debug)]
pub enum SaveError {
    /// Another business already has this identifier.
    Duplicate {
        existing_id: i64,
        existing_name: String,
    },
    /// Someone saved the business since it was read.
    Conflict,
    NotFound,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for SaveError {
    fn from(e: sqlx::Error) -> Self {
        SaveError::Db(e)
    }
}

/// The folded text a business is searched by.
pub fn search_key(b: &ValidBusiness) -> String {
    crate::text::fold(&format!("{} {} {}", b.name, b.legal_id.value, b.address))
}

/// A stored business as pages show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Business {
    pub id: i64,
    pub name: String,
    pub country: String,
    pub id_kind: String,
    pub legal_id: String,
    pub legal_id_display: String,
    pub sector_code: Option<String>,
    pub size_band: String,
    pub commune_code: Option<String>,
    pub commune_name: Option<String>,
    pub address: String,
    pub website: String,
    pub partner_id: Option<i64>,
    /// Slug of the partner that brought the business.
    pub partner: Option<String>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Business {
    /// The input a form starts from when editing.
    pub fn to_input(&self) -> BusinessInput {
        BusinessInput {
            name: self.name.clone(),
            country: self.country.clone(),
            legal_id: self.legal_id_display.clone(),
            sector_code: self.sector_code.clone().unwrap_or_default(),
            size_band: self.size_band.clone(),
            commune_code: self.commune_code.clone().unwrap_or_default(),
            address: self.address.clone(),
            website: self.website.clone(),
            partner: Some(self.partner.clone().unwrap_or_default()),
            version: self.version,
        }
    }
}

/// One change in a business's history.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    pub at: i64,
    pub who: String,
    pub field: String,
    pub old_value: String,
    pub new_value: String,
}

/// What the "add a person" form sends.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PersonInput {
    pub person_name: String,
    pub job_title: String,
    pub person_email: String,
    pub phone: String,
    pub consent: Option<String>,
}

/// Version of the consent text shown next to the checkbox.
pub const PERSON_CONSENT_VERSION: &str = "v2026-11-contact";
/// What the person agrees to.
pub const PERSON_CONSENT_PURPOSE: &str = "programme-contact";

/// A person that passed the rules.
#[derive(Debug, Clone)]
pub struct ValidPerson {
    pub name: String,
    pub job_title: String,
    pub email: String,
    /// International format, or empty.
    pub phone: String,
}

impl PersonInput {
    /// Check the form; national phone numbers are read for `country`.
    pub fn parse(&self, country: Country) -> Result<ValidPerson, Violations> {
        let mut v = Violations::default();
        let name = v.text("person_name", &self.person_name, 2, 120);
        let job_title = v.text("job_title", &self.job_title, 0, 120);
        let email = self.person_email.trim().to_lowercase();
        if !email.is_empty() && !is_valid_email(&email) {
            v.add("person_email", "form-email-invalid", None);
        }
        let phone = normalise_phone(&self.phone, country).unwrap_or_else(|Invalid| {
            v.add("phone", "business-bad-phone", None);
            String::new()
        });
        if !checked(&self.consent) {
            v.add("consent", "form-must-accept", None);
        }
        if v.is_empty() {
            Ok(ValidPerson {
                name,
                job_title,
                email,
                phone,
            })
        } else {
            Err(v)
        }
    }
}

/// A person of a business.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub job_title: String,
    pub email: String,
    pub phone: String,
    pub consent: Option<(String, i64)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_become_international() {
        assert_eq!(
            normalise_phone("06 12 34 56 78", Country::Fr).unwrap(),
            "+33612345678"
        );
        assert_eq!(
            normalise_phone("+32 470 12 34 56", Country::Fr).unwrap(),
            "+32470123456"
        );
        assert_eq!(
            normalise_phone("27 45 67", Country::Nc).unwrap(),
            "+687274567"
        );
        assert_eq!(
            normalise_phone("0033 5 56 00 00 00", Country::Fr).unwrap(),
            "+33556000000"
        );
        assert!(normalise_phone("12", Country::Fr).is_err());
        assert!(normalise_phone("06 12 AB 56 78", Country::Fr).is_err());
        assert_eq!(normalise_phone("", Country::Fr).unwrap(), "");
    }

    #[test]
    fn websites_get_a_scheme() {
        assert_eq!(
            normalise_website("www.boulangerie.fr").unwrap(),
            "https://www.boulangerie.fr/"
        );
        assert!(normalise_website("pas un site").is_err());
        assert!(normalise_website("javascript:alert(1)").is_err());
        assert_eq!(normalise_website("").unwrap(), "");
    }
}
