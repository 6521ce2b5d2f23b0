//! Every SQL statement of calls for projects and trophies: calls, grids,
//! juries and applications here; score sheets, decisions and their mails in
//! `jury.rs`. Winners become grant applications through the funding
//! feature's own store.

mod jury;
pub use jury::*;

use super::mails::Recipient;
use super::model::{AppStatus, ApplicationText, CallStatus, NewCriterion, ValidCall, ValidSheet};
use crate::db::{is_unique_violation, now_ms, Db};
use crate::i18n::Locale;
use crate::kernel::bilingual::Bilingual;
use crate::kernel::money::Euros;

/// A call.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CallRow {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub title_fr: String,
    pub title_en: String,
    pub description_fr: String,
    pub description_en: String,
    pub opens_on: String,
    pub closes_on: String,
    pub funding_scheme_id: Option<i64>,
    pub version: i64,
}

impl CallRow {
    pub fn status(&self) -> CallStatus {
        CallStatus::parse(&self.status).unwrap_or(CallStatus::Draft)
    }

    pub fn title(&self, locale: Locale) -> &str {
        Bilingual::new(&self.title_fr, &self.title_en).get(locale)
    }

    pub fn description(&self, locale: Locale) -> &str {
        Bilingual::new(&self.description_fr, &self.description_en).get(locale)
    }
}

const CALL_COLUMNS: &str =
    "c.id, c.kind, c.status, c.title_fr, c.title_en, c.description_fr, c.description_en, \
    c.opens_on, c.closes_on, c.funding_scheme_id, c.version FROM calls c";

/// One row of a call's grid.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CriterionRow {
    pub id: i64,
    pub position: i64,
    pub label_fr: String,
    pub label_en: String,
    pub max_points: i64,
}

impl CriterionRow {
    pub fn label(&self, locale: Locale) -> &str {
        Bilingual::new(&self.label_fr, &self.label_en).get(locale)
    }
}

/// An application with its business and call.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApplicationRow {
    pub id: i64,
    pub call_id: i64,
    pub call_title_fr: String,
    pub call_title_en: String,
    pub business_id: i64,
    pub business_name: String,
    pub title: String,
    pub project: String,
    pub status: String,
    pub version: i64,
    pub submitted_at: Option<i64>,
    pub funding_application_id: Option<i64>,
}

impl ApplicationRow {
    pub fn status(&self) -> AppStatus {
        AppStatus::parse(&self.status).unwrap_or(AppStatus::Draft)
    }

    pub fn call_title(&self, locale: Locale) -> &str {
        Bilingual::new(&self.call_title_fr, &self.call_title_en).get(locale)
    }
}

const APP_COLUMNS: &str = "a.id, a.call_id, c.title_fr AS call_title_fr, c.title_en AS call_title_en, a.business_id, \
    b.name AS business_name, a.title, a.project, a.status, a.version, a.submitted_at, a.funding_application_id \
    FROM call_applications a JOIN calls c ON c.id = a.call_id JOIN businesses b ON b.id = a.business_id";

// ---------------------------------------------------------------- calls

pub async fn call(db: &Db, id: i64) -> Result<Option<CallRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {CALL_COLUMNS} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// Published calls, the ones closing soonest first.
pub async fn published(db: &Db) -> Result<Vec<CallRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CALL_COLUMNS} WHERE c.status = 'published' ORDER BY c.closes_on DESC, c.id DESC LIMIT 200"
    ))
    .fetch_all(&db.pool)
    .await
}

/// Every call with its number of submitted applications, newest first.
pub async fn all(db: &Db) -> Result<Vec<(CallRow, i64)>, sqlx::Error> {
    let calls: Vec<CallRow> = sqlx::query_as(&format!(
        "SELECT {CALL_COLUMNS} ORDER BY c.opens_on DESC, c.id DESC LIMIT 500"
    ))
    .fetch_all(&db.pool)
    .await?;
    let counts: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT call_id, COUNT(*) FROM call_applications WHERE status <> 'draft' GROUP BY call_id",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(calls
        .into_iter()
        .map(|c| {
            let n = counts.iter().find(|(id, _)| *id == c.id).map_or(0, |x| x.1);
            (c, n)
        })
        .collect())
}

/// The calls `user` sits on the jury of.
pub async fn juror_calls(db: &Db, user: i64) -> Result<Vec<CallRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CALL_COLUMNS} JOIN call_jurors j ON j.call_id = c.id WHERE j.user_id = $1 \
         ORDER BY c.closes_on DESC, c.id DESC"
    ))
    .bind(user)
    .fetch_all(&db.pool)
    .await
}

pub async fn criteria(db: &Db, call_id: i64) -> Result<Vec<CriterionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, position, label_fr, label_en, max_points FROM call_criteria WHERE call_id = $1 ORDER BY position, id",
    )
    .bind(call_id)
    .fetch_all(&db.pool)
    .await
}

/// The jury of a call (account ids).
pub async fn jurors(db: &Db, call_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT user_id FROM call_jurors WHERE call_id = $1 ORDER BY user_id")
        .bind(call_id)
        .fetch_all(&db.pool)
        .await
}

pub async fn is_juror(db: &Db, call_id: i64, user: i64) -> Result<bool, sqlx::Error> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM call_jurors WHERE call_id = $1 AND user_id = $2")
            .bind(call_id)
            .bind(user)
            .fetch_one(&db.pool)
            .await?;
    Ok(n > 0)
}

/// Who may sit on a jury: programme managers and advisers (id, name).
pub async fn staff(db: &Db) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT DISTINCT u.id, u.display_name FROM users u JOIN user_roles r ON r.user_id = u.id \
         WHERE r.role IN ('admin', 'adviser') ORDER BY u.display_name, u.id",
    )
    .fetch_all(&db.pool)
    .await
}

/// Funding schemes a call can lead to (id, French title, English title).
pub async fn schemes(db: &Db) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    Ok(crate::funding::store::all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.title_fr, s.title_en))
        .collect())
}

/// True when a juror has scored an application of the call: its grid is
/// then kept as it is.
pub async fn grid_locked(db: &Db, call_id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM call_scores s JOIN call_applications a ON a.id = s.application_id WHERE a.call_id = $1",
    )
    .bind(call_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(n > 0)
}

async fn write_grid(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    call_id: i64,
    criteria: &[NewCriterion],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM call_criteria WHERE call_id = $1")
        .bind(call_id)
        .execute(&mut **tx)
        .await?;
    for (i, c) in criteria.iter().enumerate() {
        sqlx::query(
            "INSERT INTO call_criteria (call_id, position, label_fr, label_en, max_points) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(call_id)
        .bind(i as i64)
        .bind(&c.label_fr)
        .bind(&c.label_en)
        .bind(c.max_points)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn write_jurors(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    call_id: i64,
    jurors: &[i64],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM call_jurors WHERE call_id = $1")
        .bind(call_id)
        .execute(&mut **tx)
        .await?;
    for j in jurors {
        // Only staff accounts sit on a jury; anything else is ignored.
        sqlx::query(
            "INSERT INTO call_jurors (call_id, user_id) SELECT $1, $2 WHERE EXISTS \
             (SELECT 1 FROM user_roles WHERE user_id = $2 AND role IN ('admin', 'adviser'))",
        )
        .bind(call_id)
        .bind(j)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Store a new call with its grid and jury; returns its id.
pub async fn insert_call(db: &Db, c: &ValidCall, by: Option<i64>) -> Result<i64, sqlx::Error> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO calls (kind, status, title_fr, title_en, description_fr, description_en, opens_on, closes_on, \
         funding_scheme_id, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(c.kind.code())
    .bind(c.status.code())
    .bind(&c.title_fr)
    .bind(&c.title_en)
    .bind(&c.description_fr)
    .bind(&c.description_en)
    .bind(&c.opens_on)
    .bind(&c.closes_on)
    .bind(c.funding_scheme_id)
    .bind(by)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    write_grid(&mut tx, id, c.criteria.as_deref().unwrap_or(&[])).await?;
    write_jurors(&mut tx, id, &c.jurors).await?;
    tx.commit().await?;
    Ok(id)
}

/// What saving a call did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallSaved {
    Done,
    /// Someone saved the call since this form was read.
    Stale,
    /// Jurors have scored meanwhile: the grid cannot change any more.
    GridLocked,
}

/// Update a call read at `version`.
pub async fn update_call(
    db: &Db,
    id: i64,
    version: i64,
    c: &ValidCall,
) -> Result<CallSaved, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE calls SET kind = $1, status = $2, title_fr = $3, title_en = $4, description_fr = $5, description_en = $6, \
         opens_on = $7, closes_on = $8, funding_scheme_id = $9, version = version + 1, updated_at = $10 \
         WHERE id = $11 AND version = $12",
    )
    .bind(c.kind.code())
    .bind(c.status.code())
    .bind(&c.title_fr)
    .bind(&c.title_en)
    .bind(&c.description_fr)
    .bind(&c.description_en)
    .bind(&c.opens_on)
    .bind(&c.closes_on)
    .bind(c.funding_scheme_id)
    .bind(now_ms())
    .bind(id)
    .bind(version)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(CallSaved::Stale);
    }
    if let Some(grid) = &c.criteria {
        let scored: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM call_scores s JOIN call_applications a ON a.id = s.application_id WHERE a.call_id = $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        if scored > 0 {
            return Ok(CallSaved::GridLocked);
        }
        write_grid(&mut tx, id, grid).await?;
    }
    write_jurors(&mut tx, id, &c.jurors).await?;
    tx.commit().await?;
    Ok(CallSaved::Done)
}

// ---------------------------------------------------------------- applications

pub async fn application(db: &Db, id: i64) -> Result<Option<ApplicationRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {APP_COLUMNS} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// The application of a business to a call, if it started one.
pub async fn application_of(
    db: &Db,
    call_id: i64,
    business_id: i64,
) -> Result<Option<ApplicationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {APP_COLUMNS} WHERE a.call_id = $1 AND a.business_id = $2"
    ))
    .bind(call_id)
    .bind(business_id)
    .fetch_optional(&db.pool)
    .await
}

/// A business's applications, drafts included, newest first.
pub async fn applications_of_business(
    db: &Db,
    business_id: i64,
) -> Result<Vec<ApplicationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {APP_COLUMNS} WHERE a.business_id = $1 ORDER BY a.updated_at DESC, a.id DESC"
    ))
    .bind(business_id)
    .fetch_all(&db.pool)
    .await
}

/// The applications of a call the jury sees: submitted or decided.
pub async fn submitted(db: &Db, call_id: i64) -> Result<Vec<ApplicationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {APP_COLUMNS} WHERE a.call_id = $1 AND a.status <> 'draft' ORDER BY a.submitted_at, a.id"
    ))
    .bind(call_id)
    .fetch_all(&db.pool)
    .await
}

/// What saving an application did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppSaved {
    Done(i64),
    /// Saved meanwhile (another tab, another member of the business).
    Stale,
    /// Already submitted: it can no longer change.
    Submitted,
}

/// Save business `business_id`'s application to `call_id` read at
/// `version` (0 when none existed): a draft stays editable, a submitted one
/// goes to the jury.
pub async fn save_application(
    db: &Db,
    call_id: i64,
    business_id: i64,
    author: i64,
    version: i64,
    text: &ApplicationText,
) -> Result<AppSaved, sqlx::Error> {
    let now = now_ms();
    let status = if text.submit {
        AppStatus::Submitted
    } else {
        AppStatus::Draft
    };
    let submitted_at = text.submit.then_some(now);
    if version == 0 {
        let inserted: Result<i64, sqlx::Error> = sqlx::query_scalar(
            "INSERT INTO call_applications (call_id, business_id, author_id, title, project, status, submitted_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(call_id)
        .bind(business_id)
        .bind(author)
        .bind(&text.title)
        .bind(&text.project)
        .bind(status.code())
        .bind(submitted_at)
        .bind(now)
        .fetch_one(&db.writer)
        .await;
        return match inserted {
            Ok(id) => Ok(AppSaved::Done(id)),
            Err(e) if is_unique_violation(&e) => Ok(AppSaved::Stale),
            Err(e) => Err(e),
        };
    }
    let id: Option<i64> = sqlx::query_scalar(
        "UPDATE call_applications SET title = $1, project = $2, status = $3, submitted_at = $4, author_id = $5, \
         version = version + 1, updated_at = $6 \
         WHERE call_id = $7 AND business_id = $8 AND version = $9 AND status = 'draft' RETURNING id",
    )
    .bind(&text.title)
    .bind(&text.project)
    .bind(status.code())
    .bind(submitted_at)
    .bind(author)
    .bind(now)
    .bind(call_id)
    .bind(business_id)
    .bind(version)
    .fetch_optional(&db.writer)
    .await?;
    if let Some(id) = id {
        return Ok(AppSaved::Done(id));
    }
    Ok(match application_of(db, call_id, business_id).await? {
        Some(a) if a.status() != AppStatus::Draft => AppSaved::Submitted,
        _ => AppSaved::Stale,
    })
}
