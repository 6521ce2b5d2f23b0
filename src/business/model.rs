//! A business of the register: validation, storage, history.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::identifiers::{Country, IdError, LegalId};
use crate::db::{is_unique_violation, now_ms, Db};
use crate::web::forms::{is_valid_email, Violations};

/// Size bands by number of employees.
pub const SIZE_BANDS: [&str; 4] = ["0", "1-9", "10-49", "50-249"];

/// What a form, the API or a CSV row sends for a business.
#[derive(Debug, Default, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
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

/// Check a business input against the reference data.
pub async fn validate(
    db: &Db,
    input: &BusinessInput,
) -> Result<Result<ValidBusiness, Violations>, sqlx::Error> {
    let mut v = Violations::default();
    let name = v.text("name", &input.name, 2, 200);
    let country = Country::from_code(input.country.trim());
    let legal_id = match country {
        None => {
            v.add("country", "form-choose", None);
            None
        }
        Some(c) => match LegalId::parse_for_country(c, &input.legal_id) {
            Ok(id) => Some(id),
            Err(e) => {
                id_violation(&mut v, e);
                None
            }
        },
    };
    let sector = input.sector_code.trim();
    let sector_code = if sector.is_empty() {
        v.add("sector_code", "form-choose", None);
        None
    } else {
        let exists: Option<String> =
            sqlx::query_scalar("SELECT code FROM sectors WHERE code = $1 AND level = 'division'")
                .bind(sector)
                .fetch_optional(&db.pool)
                .await?;
        if exists.is_none() {
            v.add("sector_code", "form-choose", None);
        }
        exists
    };
    let size_band = input.size_band.trim().to_string();
    if !SIZE_BANDS.contains(&size_band.as_str()) {
        v.add("size_band", "form-choose", None);
    }
    let commune = input.commune_code.trim();
    let commune_code = if commune.is_empty() {
        None
    } else {
        let exists: Option<String> = sqlx::query_scalar(
            "SELECT code FROM territories WHERE code = $1 AND level = 'commune'",
        )
        .bind(commune)
        .fetch_optional(&db.pool)
        .await?;
        if exists.is_none() {
            v.add("commune_code", "business-unknown-commune", None);
        }
        exists
    };
    let address = v.text("address", &input.address, 0, 300);
    let website = match normalise_website(&input.website) {
        Ok(w) => w,
        Err(Invalid) => {
            v.add("website", "business-bad-website", None);
            String::new()
        }
    };
    let partner_id = match input.partner.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(slug) => {
            let id: Option<i64> = sqlx::query_scalar("SELECT id FROM partners WHERE slug = $1")
                .bind(slug)
                .fetch_optional(&db.pool)
                .await?;
            if id.is_none() {
                v.add("partner", "form-choose", None);
            }
            Some(id)
        }
    };
    if !v.is_empty() {
        return Ok(Err(v));
    }
    Ok(Ok(ValidBusiness {
        name,
        legal_id: legal_id.expect("checked"),
        sector_code,
        size_band,
        commune_code,
        address,
        website,
        partner_id,
        partner_slug: input.partner.as_deref().map(|p| p.trim().to_string()),
    }))
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

async fn find_duplicate(
    db: &Db,
    id: &LegalId,
    except: Option<i64>,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    // A SIRET and the SIREN of its company are the same business.
    let (kind_a, value_a, kind_b, value_b) = match (id.kind.code(), id.siren()) {
        ("siret", Some(siren)) => ("siret", id.value.clone(), "siren", siren.to_string()),
        ("siren", _) => ("siren", id.value.clone(), "siret", format!("{}%", id.value)),
        (k, _) => (k, id.value.clone(), k, id.value.clone()),
    };
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM businesses WHERE ((id_kind = $1 AND id_value = $2) OR (id_kind = $3 AND id_value LIKE $4)) \
         AND id <> $5 ORDER BY id LIMIT 1",
    )
    .bind(kind_a)
    .bind(&value_a)
    .bind(kind_b)
    .bind(&value_b)
    .bind(except.unwrap_or(-1))
    .fetch_optional(&db.pool)
    .await?;
    Ok(row)
}

/// Store a new business; `owner` becomes its member, `partner_id` is who brought it.
pub async fn create(
    db: &Db,
    programme_id: Option<i64>,
    b: &ValidBusiness,
    created_by: Option<i64>,
    owner: Option<i64>,
    partner_id: Option<i64>,
) -> Result<i64, SaveError> {
    if let Some((existing_id, existing_name)) = find_duplicate(db, &b.legal_id, None).await? {
        return Err(SaveError::Duplicate {
            existing_id,
            existing_name,
        });
    }
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO businesses (programme_id, name, search_key, id_kind, id_value, country, sector_code, size_band, \
         commune_code, address, website, partner_id, created_by, created_at, updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, 1) RETURNING id",
    )
    .bind(programme_id)
    .bind(&b.name)
    .bind(search_key(b))
    .bind(b.legal_id.kind.code())
    .bind(&b.legal_id.value)
    .bind(b.legal_id.country().code())
    .bind(b.sector_code.as_deref())
    .bind(&b.size_band)
    .bind(b.commune_code.as_deref())
    .bind(&b.address)
    .bind(&b.website)
    .bind(b.partner_id.unwrap_or(partner_id))
    .bind(created_by)
    .bind(now)
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            tx.rollback().await?;
            let (existing_id, existing_name) = find_duplicate(db, &b.legal_id, None)
                .await?
                .unwrap_or((0, String::new()));
            return Err(SaveError::Duplicate {
                existing_id,
                existing_name,
            });
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(user) = owner {
        sqlx::query("INSERT INTO business_members (business_id, user_id) VALUES ($1, $2)")
            .bind(id)
            .bind(user)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO business_history (business_id, user_id, at, field, old_value, new_value) VALUES ($1, $2, $3, 'created', '', $4)",
    )
    .bind(id)
    .bind(created_by)
    .bind(now)
    .bind(&b.name)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

fn search_key(b: &ValidBusiness) -> String {
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

const SELECT: &str = "SELECT b.id, b.name, b.country, b.id_kind, b.id_value, b.sector_code, b.size_band, b.commune_code, \
    t.name_fr AS commune_name, b.address, b.website, b.partner_id, p.slug AS partner_slug, b.version, b.created_at, \
    b.updated_at FROM businesses b LEFT JOIN territories t ON t.code = b.commune_code LEFT JOIN partners p ON p.id = b.partner_id";

fn from_row(r: &sqlx::any::AnyRow) -> Business {
    let kind: String = r.get("id_kind");
    let value: String = r.get("id_value");
    let display = super::identifiers::IdKind::from_code(&kind)
        .map(|k| {
            LegalId {
                kind: k,
                value: value.clone(),
            }
            .display()
        })
        .unwrap_or_else(|| value.clone());
    Business {
        id: r.get("id"),
        name: r.get("name"),
        country: r.get("country"),
        id_kind: kind,
        legal_id: value,
        legal_id_display: display,
        sector_code: r.try_get("sector_code").ok().flatten(),
        size_band: r.get("size_band"),
        commune_code: r.try_get("commune_code").ok().flatten(),
        commune_name: r.try_get("commune_name").ok().flatten(),
        address: r.get("address"),
        website: r.get("website"),
        partner_id: r.try_get("partner_id").ok().flatten(),
        partner: r.try_get("partner_slug").ok().flatten(),
        version: r.get("version"),
        created_at: r.get("created_at"),
        updated_at: r.get("updated_at"),
    }
}

/// Load one business.
pub async fn get(db: &Db, id: i64) -> Result<Option<Business>, sqlx::Error> {
    let row = sqlx::query(&format!("{SELECT} WHERE b.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.as_ref().map(from_row))
}

/// Businesses a person who typed `email` and `business_name` (say, on a
/// workshop registration) probably belongs to: a recorded person or member
/// account with that address, or a business of that exact name (accents and
/// case ignored). At most 5, by name.
pub async fn likely_for(
    db: &Db,
    email: &str,
    business_name: &str,
) -> Result<Vec<Business>, sqlx::Error> {
    let email = email.trim().to_lowercase();
    let name = crate::text::fold(business_name);
    let name_like = if name.is_empty() {
        String::new()
    } else {
        format!("{} %", crate::text::like_escape(&name))
    };
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE b.id IN (\
           SELECT pe.business_id FROM people pe WHERE $1 <> '' AND LOWER(pe.email) = $1 \
           UNION SELECT m.business_id FROM business_members m JOIN users u ON u.id = m.user_id WHERE $1 <> '' AND LOWER(u.email) = $1 \
           UNION SELECT x.id FROM businesses x WHERE $2 <> '' AND x.search_key LIKE $2 ESCAPE '\\') \
         ORDER BY b.name, b.id LIMIT 5"
    ))
    .bind(&email)
    .bind(&name_like)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// The business a person belongs to, if any.
pub async fn for_member(db: &Db, user_id: i64) -> Result<Option<Business>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "{SELECT} JOIN business_members m ON m.business_id = b.id WHERE m.user_id = $1 ORDER BY b.id LIMIT 1"
    ))
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.as_ref().map(from_row))
}

/// Search by name, identifier or address (accents and case ignored), commune or sector.
pub async fn search(
    db: &Db,
    q: &str,
    commune: &str,
    sector: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Business>, i64), sqlx::Error> {
    let folded = crate::text::fold(q);
    let digits: String = q
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_uppercase();
    let mut filters = vec![];
    let mut binds: Vec<String> = vec![];
    for word in folded.split(' ').filter(|w| !w.is_empty()).take(8) {
        binds.push(format!("%{}%", crate::text::like_escape(word)));
        let n = binds.len();
        if digits.len() >= 5 && word.chars().all(|c| c.is_ascii_digit()) {
            filters.push(format!(
                "(b.search_key LIKE ${n} ESCAPE '\\' OR b.id_value LIKE ${n} ESCAPE '\\')"
            ));
        } else {
            filters.push(format!("b.search_key LIKE ${n} ESCAPE '\\'"));
        }
    }
    if !commune.is_empty() {
        binds.push(commune.to_string());
        filters.push(format!("b.commune_code = ${}", binds.len()));
    }
    if !sector.is_empty() {
        binds.push(sector.to_string());
        filters.push(format!("b.sector_code = ${}", binds.len()));
    }
    let where_sql = if filters.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", filters.join(" AND "))
    };
    let count_sql = format!("SELECT COUNT(*) FROM businesses b{where_sql}");
    let mut count_q = sqlx::query_scalar::<_, i64>(&count_sql);
    for b in &binds {
        count_q = count_q.bind(b);
    }
    let total = count_q.fetch_one(&db.pool).await?;
    let list_sql = format!(
        "{SELECT}{where_sql} ORDER BY b.name, b.id LIMIT {} OFFSET {}",
        limit.clamp(1, 500),
        offset.max(0)
    );
    let mut list_q = sqlx::query(&list_sql);
    for b in &binds {
        list_q = list_q.bind(b);
    }
    let rows = list_q.fetch_all(&db.pool).await?;
    Ok((rows.iter().map(from_row).collect(), total))
}

/// Update a business, recording each changed field in its history.
/// Refused with [`SaveError::Conflict`] if it changed since `expected_version`.
pub async fn update(
    db: &Db,
    id: i64,
    b: &ValidBusiness,
    expected_version: i64,
    by: Option<i64>,
) -> Result<i64, SaveError> {
    let Some(current) = get(db, id).await? else {
        return Err(SaveError::NotFound);
    };
    if let Some((existing_id, existing_name)) = find_duplicate(db, &b.legal_id, Some(id)).await? {
        return Err(SaveError::Duplicate {
            existing_id,
            existing_name,
        });
    }
    let changes: Vec<(&str, String, String)> = [
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
            current.partner.clone().unwrap_or_default(),
            b.partner_slug
                .clone()
                .unwrap_or_else(|| current.partner.clone().unwrap_or_default()),
        ),
    ]
    .into_iter()
    .filter(|(_, old, new)| old != new)
    .collect();
    if changes.is_empty() {
        return Ok(current.version);
    }
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let res = sqlx::query(
        "UPDATE businesses SET name = $1, search_key = $2, id_kind = $3, id_value = $4, country = $5, sector_code = $6, \
         size_band = $7, commune_code = $8, address = $9, website = $10, updated_at = $11, version = version + 1, \
         partner_id = $14 WHERE id = $12 AND version = $13",
    )
    .bind(&b.name)
    .bind(search_key(b))
    .bind(b.legal_id.kind.code())
    .bind(&b.legal_id.value)
    .bind(b.legal_id.country().code())
    .bind(b.sector_code.as_deref())
    .bind(&b.size_band)
    .bind(b.commune_code.as_deref())
    .bind(&b.address)
    .bind(&b.website)
    .bind(now)
    .bind(id)
    .bind(expected_version)
    .bind(b.partner_id.unwrap_or(current.partner_id))
    .execute(&mut *tx)
    .await;
    match res {
        Ok(r) if r.rows_affected() == 0 => {
            tx.rollback().await?;
            return Err(SaveError::Conflict);
        }
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => {
            tx.rollback().await?;
            return Err(SaveError::Duplicate {
                existing_id: 0,
                existing_name: String::new(),
            });
        }
        Err(e) => return Err(e.into()),
    }
    for (field, old, new) in &changes {
        sqlx::query(
            "INSERT INTO business_history (business_id, user_id, at, field, old_value, new_value) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(by)
        .bind(now)
        .bind(*field)
        .bind(old)
        .bind(new)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(expected_version + 1)
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

/// The history of a business, newest first.
pub async fn history(db: &Db, id: i64) -> Result<Vec<HistoryEntry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT h.at, COALESCE(u.display_name, '') AS who, h.field, h.old_value, h.new_value FROM business_history h \
         LEFT JOIN users u ON u.id = h.user_id WHERE h.business_id = $1 ORDER BY h.id DESC LIMIT 200",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| HistoryEntry {
            at: r.get("at"),
            who: r.get("who"),
            field: r.get("field"),
            old_value: r.get("old_value"),
            new_value: r.get("new_value"),
        })
        .collect())
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

/// Validate and store a person with their consent record.
pub async fn add_person(
    db: &Db,
    business: &Business,
    input: &PersonInput,
    locale: &str,
) -> Result<Result<i64, Violations>, sqlx::Error> {
    let mut v = Violations::default();
    let name = v.text("person_name", &input.person_name, 2, 120);
    let job_title = v.text("job_title", &input.job_title, 0, 120);
    let email = input.person_email.trim().to_lowercase();
    if !email.is_empty() && !is_valid_email(&email) {
        v.add("person_email", "form-email-invalid", None);
    }
    let country = Country::from_code(&business.country).unwrap_or(Country::Fr);
    let phone = match normalise_phone(&input.phone, country) {
        Ok(p) => p,
        Err(Invalid) => {
            v.add("phone", "business-bad-phone", None);
            String::new()
        }
    };
    let consent = crate::web::forms::checked(&input.consent);
    if !consent {
        v.add("consent", "form-must-accept", None);
    }
    if !v.is_empty() {
        return Ok(Err(v));
    }
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO people (business_id, name, job_title, email, phone, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(business.id)
    .bind(&name)
    .bind(&job_title)
    .bind(&email)
    .bind(&phone)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO consents (person_id, purpose, text_version, locale, given_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(PERSON_CONSENT_PURPOSE)
        .bind(PERSON_CONSENT_VERSION)
        .bind(locale)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// People of a business with their latest consent.
pub async fn people(db: &Db, business_id: i64) -> Result<Vec<Person>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT p.id, p.name, p.job_title, p.email, p.phone, \
         (SELECT c.text_version FROM consents c WHERE c.person_id = p.id ORDER BY c.id DESC LIMIT 1) AS consent_version, \
         (SELECT c.given_at FROM consents c WHERE c.person_id = p.id ORDER BY c.id DESC LIMIT 1) AS consent_at \
         FROM people p WHERE p.business_id = $1 ORDER BY p.id",
    )
    .bind(business_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let version: Option<String> = r.try_get("consent_version").ok().flatten();
            let at: Option<i64> = r.try_get("consent_at").ok().flatten();
            Person {
                id: r.get("id"),
                name: r.get("name"),
                job_title: r.get("job_title"),
                email: r.get("email"),
                phone: r.get("phone"),
                consent: version.zip(at),
            }
        })
        .collect())
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
