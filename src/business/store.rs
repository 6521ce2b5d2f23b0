//! Every SQL statement of the business register: businesses, their members,
//! history and people, and the reference look-ups their rules need.

use super::identifiers::{IdKind, LegalId};
use super::model::{
    changes, duplicate_keys, search_key, Business, BusinessInput, HistoryEntry, Known, Person,
    SaveError, ValidBusiness, ValidPerson, PERSON_CONSENT_PURPOSE, PERSON_CONSENT_VERSION,
};
use crate::db::{is_unique_violation, now_ms, Db};
use crate::web::forms::Violations;

/// Look up what the rules need to know about an input's codes.
pub async fn known(db: &Db, input: &BusinessInput) -> Result<Known, sqlx::Error> {
    let sector = input.sector_code.trim();
    let sector_code = if sector.is_empty() {
        None
    } else {
        sqlx::query_scalar("SELECT code FROM sectors WHERE code = $1 AND level = 'division'")
            .bind(sector)
            .fetch_optional(&db.pool)
            .await?
    };
    // Any commune of the official lists, typed by code, name or postcode,
    // joins the territories when first used.
    let commune_code = crate::communes::store::known(db, &input.commune_code).await?;
    let partner_id = match input.partner.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(slug) => Some(crate::setup::store::partner_id(db, slug).await?),
    };
    Ok(Known {
        sector_code,
        commune_code,
        partner_id,
    })
}

/// Check a business input against its rules and the reference data.
pub async fn validate(
    db: &Db,
    input: &BusinessInput,
) -> Result<Result<ValidBusiness, Violations>, sqlx::Error> {
    Ok(input.parse(known(db, input).await?))
}

/// Another business with the same identifier (or the SIREN/SIRET of it).
async fn find_duplicate(
    db: &Db,
    id: &LegalId,
    except: Option<i64>,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    let (kind_a, value_a, kind_b, value_b) = duplicate_keys(id);
    sqlx::query_as(
        "SELECT id, name FROM businesses WHERE ((id_kind = $1 AND id_value = $2) OR (id_kind = $3 AND id_value LIKE $4)) \
         AND id <> $5 ORDER BY id LIMIT 1",
    )
    .bind(kind_a)
    .bind(&value_a)
    .bind(kind_b)
    .bind(&value_b)
    .bind(except.unwrap_or(-1))
    .fetch_optional(&db.pool)
    .await
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
        crate::home::attach::to_business(&mut tx, user, id).await?;
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

/// A business row as read (one column list for every query).
#[derive(sqlx::FromRow)]
struct BusinessRow {
    id: i64,
    name: String,
    country: String,
    id_kind: String,
    id_value: String,
    sector_code: Option<String>,
    size_band: String,
    commune_code: Option<String>,
    commune_name: Option<String>,
    address: String,
    website: String,
    partner_id: Option<i64>,
    partner_slug: Option<String>,
    version: i64,
    created_at: i64,
    updated_at: i64,
}

impl From<BusinessRow> for Business {
    fn from(r: BusinessRow) -> Business {
        let display = IdKind::from_code(&r.id_kind)
            .map(|kind| {
                LegalId {
                    kind,
                    value: r.id_value.clone(),
                }
                .display()
            })
            .unwrap_or_else(|| r.id_value.clone());
        Business {
            id: r.id,
            name: r.name,
            country: r.country,
            id_kind: r.id_kind,
            legal_id: r.id_value,
            legal_id_display: display,
            sector_code: r.sector_code,
            size_band: r.size_band,
            commune_code: r.commune_code,
            commune_name: r.commune_name,
            address: r.address,
            website: r.website,
            partner_id: r.partner_id,
            partner: r.partner_slug,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

const SELECT: &str = "SELECT b.id, b.name, b.country, b.id_kind, b.id_value, b.sector_code, b.size_band, b.commune_code, \
    t.name_fr AS commune_name, b.address, b.website, b.partner_id, p.slug AS partner_slug, b.version, b.created_at, \
    b.updated_at FROM businesses b LEFT JOIN territories t ON t.code = b.commune_code LEFT JOIN partners p ON p.id = b.partner_id";

/// Load one business.
pub async fn get(db: &Db, id: i64) -> Result<Option<Business>, sqlx::Error> {
    let row: Option<BusinessRow> = sqlx::query_as(&format!("{SELECT} WHERE b.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(Business::from))
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
    let rows: Vec<BusinessRow> = sqlx::query_as(&format!(
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
    Ok(rows.into_iter().map(Business::from).collect())
}

/// The business a person belongs to, if any.
pub async fn for_member(db: &Db, user_id: i64) -> Result<Option<Business>, sqlx::Error> {
    let row: Option<BusinessRow> = sqlx::query_as(&format!(
        "{SELECT} JOIN business_members m ON m.business_id = b.id WHERE m.user_id = $1 ORDER BY b.id LIMIT 1"
    ))
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(Business::from))
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
    let mut list_q = sqlx::query_as::<_, BusinessRow>(&list_sql);
    for b in &binds {
        list_q = list_q.bind(b);
    }
    let rows = list_q.fetch_all(&db.pool).await?;
    Ok((rows.into_iter().map(Business::from).collect(), total))
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
    let changes = changes(&current, b);
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

#[derive(sqlx::FromRow)]
struct HistoryRow {
    at: i64,
    who: String,
    field: String,
    old_value: String,
    new_value: String,
}

/// The history of a business, newest first.
pub async fn history(db: &Db, id: i64) -> Result<Vec<HistoryEntry>, sqlx::Error> {
    let rows: Vec<HistoryRow> = sqlx::query_as(
        "SELECT h.at, COALESCE(u.display_name, '') AS who, h.field, h.old_value, h.new_value FROM business_history h \
         LEFT JOIN users u ON u.id = h.user_id WHERE h.business_id = $1 ORDER BY h.id DESC LIMIT 200",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| HistoryEntry {
            at: r.at,
            who: r.who,
            field: r.field,
            old_value: r.old_value,
            new_value: r.new_value,
        })
        .collect())
}

/// Store a person of a business with their consent record.
pub async fn add_person(
    db: &Db,
    business_id: i64,
    p: &ValidPerson,
    locale: &str,
) -> Result<i64, sqlx::Error> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO people (business_id, name, job_title, email, phone, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(business_id)
    .bind(&p.name)
    .bind(&p.job_title)
    .bind(&p.email)
    .bind(&p.phone)
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
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: i64,
    name: String,
    job_title: String,
    email: String,
    phone: String,
    consent_version: Option<String>,
    consent_at: Option<i64>,
}

/// People of a business with their latest consent.
pub async fn people(db: &Db, business_id: i64) -> Result<Vec<Person>, sqlx::Error> {
    let rows: Vec<PersonRow> = sqlx::query_as(
        "SELECT p.id, p.name, p.job_title, p.email, p.phone, \
         (SELECT c.text_version FROM consents c WHERE c.person_id = p.id ORDER BY c.id DESC LIMIT 1) AS consent_version, \
         (SELECT c.given_at FROM consents c WHERE c.person_id = p.id ORDER BY c.id DESC LIMIT 1) AS consent_at \
         FROM people p WHERE p.business_id = $1 ORDER BY p.id",
    )
    .bind(business_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Person {
            id: r.id,
            name: r.name,
            job_title: r.job_title,
            email: r.email,
            phone: r.phone,
            consent: r.consent_version.zip(r.consent_at),
        })
        .collect())
}
