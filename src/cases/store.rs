//! Every SQL statement of follow-up files, their activities, documents,
//! coaching hours, referrals and the read log. Functions take the pool
//! (`&Db`) or the caller's transaction.

use sqlx::{Any, Transaction};

use super::model::{
    ActivityKind, Busy, CaseStatus, Outcome, Planned, ReferralStatus, Step, ValidActivity,
    ValidBody, ValidCase, ValidHours,
};
use crate::db::{dialect, Db};

/// A write transaction.
pub type Tx = Transaction<'static, Any>;

// ------------------------------------------------------------------ templates

/// A case template.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Template {
    pub id: i64,
    pub code: String,
    pub title_fr: String,
    pub title_en: String,
    pub minutes: i64,
    pub active: i64,
}

/// Every template, by title.
pub async fn templates(db: &Db) -> Result<Vec<Template>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, code, title_fr, title_en, minutes, active FROM case_templates ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await
}

/// One template.
pub async fn template(db: &Db, id: i64) -> Result<Option<Template>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, code, title_fr, title_en, minutes, active FROM case_templates WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

#[derive(sqlx::FromRow)]
struct StepRow {
    offset_days: i64,
    kind: String,
    title_fr: String,
    title_en: String,
    minutes: i64,
}

/// A template's steps in order.
pub async fn steps(db: &Db, template_id: i64) -> Result<Vec<Step>, sqlx::Error> {
    let rows: Vec<StepRow> = sqlx::query_as(
        "SELECT offset_days, kind, title_fr, title_en, minutes FROM case_template_steps \
         WHERE template_id = $1 ORDER BY position",
    )
    .bind(template_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Step {
            offset_days: r.offset_days,
            kind: ActivityKind::from_code(&r.kind).unwrap_or(ActivityKind::Meeting),
            title_fr: r.title_fr,
            title_en: r.title_en,
            minutes: r.minutes,
        })
        .collect())
}

/// Replace a template's titles and steps.
pub async fn save_template(
    tx: &mut Tx,
    id: i64,
    title_fr: &str,
    title_en: &str,
    minutes: i64,
    steps: &[Step],
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE case_templates SET title_fr = $1, title_en = $2, minutes = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(title_fr)
    .bind(title_en)
    .bind(minutes)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM case_template_steps WHERE template_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for (i, s) in steps.iter().enumerate() {
        sqlx::query(
            "INSERT INTO case_template_steps (template_id, position, offset_days, kind, title_fr, title_en, minutes) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(i as i64 + 1)
        .bind(s.offset_days)
        .bind(s.kind.code())
        .bind(&s.title_fr)
        .bind(&s.title_en)
        .bind(s.minutes)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

// ------------------------------------------------------------------ choices

/// Staff who may be in charge of a file: advisers and programme managers.
pub async fn advisers(db: &Db) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT DISTINCT u.id, u.display_name FROM users u JOIN user_roles r ON r.user_id = u.id \
         WHERE r.role IN ('adviser', 'admin') AND u.disabled_at IS NULL ORDER BY u.display_name",
    )
    .fetch_all(&db.pool)
    .await
}

/// Businesses a file may be opened for.
pub async fn businesses(db: &Db) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, name FROM businesses ORDER BY name")
        .fetch_all(&db.pool)
        .await
}

// ------------------------------------------------------------------ files

/// Columns of a file (alias `c`) with its business, template and adviser.
const CASE_COLUMNS: &str = "c.id, c.business_id, b.name AS business_name, c.template_id, \
    t.title_fr AS template_fr, t.title_en AS template_en, c.origin, c.origin_id, c.adviser_id, \
    u.display_name AS adviser_name, c.status, c.outcome, c.summary, c.opened_at, c.closed_at, \
    c.version, c.updated_at";

/// The joins [`CASE_COLUMNS`] reads from.
const CASE_FROM: &str = "cases c JOIN businesses b ON b.id = c.business_id \
    LEFT JOIN case_templates t ON t.id = c.template_id LEFT JOIN users u ON u.id = c.adviser_id";

/// A file as read.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Case {
    pub id: i64,
    pub business_id: i64,
    pub business_name: String,
    pub template_id: Option<i64>,
    pub template_fr: Option<String>,
    pub template_en: Option<String>,
    pub origin: String,
    pub origin_id: Option<i64>,
    pub adviser_id: Option<i64>,
    pub adviser_name: Option<String>,
    pub status: String,
    pub outcome: Option<String>,
    pub summary: String,
    pub opened_at: i64,
    pub closed_at: Option<i64>,
    pub version: i64,
    pub updated_at: i64,
}

impl Case {
    /// The typed status.
    pub fn status(&self) -> CaseStatus {
        CaseStatus::from_code(&self.status).unwrap_or(CaseStatus::ToQualify)
    }
    /// The typed outcome.
    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome.as_deref().and_then(Outcome::from_code)
    }
}

/// One file.
pub async fn get(db: &Db, id: i64) -> Result<Option<Case>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CASE_COLUMNS} FROM {CASE_FROM} WHERE c.id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

/// A file in a list, with its activity counts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Listed {
    pub id: i64,
    pub business_id: i64,
    pub business_name: String,
    pub template_fr: Option<String>,
    pub template_en: Option<String>,
    pub adviser_id: Option<i64>,
    pub adviser_name: Option<String>,
    pub status: String,
    pub opened_at: i64,
    pub updated_at: i64,
    pub overdue: i64,
    pub next_due: Option<i64>,
    pub last_activity: Option<i64>,
}

/// Files, newest first: all, or those of one adviser, or those of one
/// business; `open_only` leaves closed ones out.
pub async fn list(
    db: &Db,
    adviser: Option<i64>,
    business: Option<i64>,
    open_only: bool,
    now: i64,
    limit: i64,
) -> Result<Vec<Listed>, sqlx::Error> {
    let mut filter =
        String::from("($2 = 0 OR c.adviser_id = $2) AND ($3 = 0 OR c.business_id = $3)");
    if open_only {
        filter.push_str(" AND c.status <> 'closed'");
    }
    sqlx::query_as(&format!(
        "SELECT c.id, c.business_id, b.name AS business_name, t.title_fr AS template_fr, t.title_en AS template_en, \
         c.adviser_id, u.display_name AS adviser_name, c.status, c.opened_at, c.updated_at, \
         (SELECT COUNT(*) FROM case_activities a WHERE a.case_id = c.id AND a.happened_at IS NULL AND a.due_at < $1) AS overdue, \
         (SELECT MIN(a.due_at) FROM case_activities a WHERE a.case_id = c.id AND a.happened_at IS NULL AND a.due_at >= $1) AS next_due, \
         (SELECT MAX(a.happened_at) FROM case_activities a WHERE a.case_id = c.id) AS last_activity \
         FROM {CASE_FROM} WHERE {filter} ORDER BY c.opened_at DESC, c.id DESC LIMIT {limit}"
    ))
    .bind(now)
    .bind(adviser.unwrap_or(0))
    .bind(business.unwrap_or(0))
    .fetch_all(&db.pool)
    .await
}

/// A new file as opened.
pub struct NewCase<'a> {
    pub business_id: i64,
    pub template_id: Option<i64>,
    pub origin: super::model::Origin,
    pub origin_id: Option<i64>,
    pub adviser_id: Option<i64>,
    pub summary: &'a str,
    pub opened_at: i64,
    pub by: Option<i64>,
}

/// Open a file with its planned activities and its first assignment.
pub async fn open(
    tx: &mut Tx,
    n: &NewCase<'_>,
    planned: &[Planned],
    now: i64,
) -> Result<i64, sqlx::Error> {
    let status = if n.template_id.is_some() {
        CaseStatus::Active
    } else {
        CaseStatus::ToQualify
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO cases (business_id, template_id, origin, origin_id, adviser_id, status, summary, opened_at, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(n.business_id)
    .bind(n.template_id)
    .bind(n.origin.code())
    .bind(n.origin_id)
    .bind(n.adviser_id)
    .bind(status.code())
    .bind(n.summary)
    .bind(n.opened_at)
    .bind(n.by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    if n.adviser_id.is_some() {
        assign(tx, id, n.adviser_id, n.by, now).await?;
    }
    for p in planned {
        sqlx::query(
            "INSERT INTO case_activities (case_id, kind, title, due_at, minutes, shared, author_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $7)",
        )
        .bind(id)
        .bind(p.kind.code())
        .bind(&p.title)
        .bind(p.due_at)
        .bind(p.minutes)
        .bind(n.by)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

async fn assign(
    tx: &mut Tx,
    case_id: i64,
    adviser: Option<i64>,
    by: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO case_assignments (case_id, adviser_id, by_user, at) VALUES ($1, $2, $3, $4)",
    )
    .bind(case_id)
    .bind(adviser)
    .bind(by)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What a version-checked update depends on.
#[derive(Debug, sqlx::FromRow)]
pub struct Locked {
    pub version: i64,
    pub adviser_id: Option<i64>,
    pub status: String,
}

/// Lock a file for the rest of the transaction.
pub async fn lock(tx: &mut Tx, db: &Db, id: i64) -> Result<Option<Locked>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT version, adviser_id, status FROM cases WHERE id = $1{}",
        dialect::for_update(db.backend)
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Apply the file's form (the caller checked the version under the lock);
/// a change of adviser is kept in the history.
pub async fn update(
    tx: &mut Tx,
    id: i64,
    locked: &Locked,
    v: &ValidCase,
    by: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let closed_at = (v.status == CaseStatus::Closed).then_some(now);
    sqlx::query(
        "UPDATE cases SET status = $1, outcome = $2, adviser_id = $3, summary = $4, \
         closed_at = CASE WHEN $5 = 1 THEN COALESCE(closed_at, $6) ELSE NULL END, \
         updated_at = $6, version = version + 1 WHERE id = $7",
    )
    .bind(v.status.code())
    .bind(v.outcome.map(|o| o.code()))
    .bind(v.adviser_id)
    .bind(&v.summary)
    .bind(i64::from(closed_at.is_some()))
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if locked.adviser_id != v.adviser_id {
        assign(tx, id, v.adviser_id, Some(by), now).await?;
    }
    Ok(())
}

/// Bump a file's version and time (something was added to it).
pub async fn touch(tx: &mut Tx, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Who was in charge, oldest first: (adviser, by whom, when).
pub async fn assignments(
    db: &Db,
    id: i64,
) -> Result<Vec<(Option<String>, Option<String>, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.display_name, w.display_name, a.at FROM case_assignments a \
         LEFT JOIN users u ON u.id = a.adviser_id LEFT JOIN users w ON w.id = a.by_user \
         WHERE a.case_id = $1 ORDER BY a.at, a.id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await
}

/// Add a contributor (idempotent).
pub async fn add_contributor(
    db: &Db,
    case_id: i64,
    user_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO case_contributors (case_id, user_id, added_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(case_id)
    .bind(user_id)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Contributors' names.
pub async fn contributors(db: &Db, case_id: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT u.display_name FROM case_contributors c JOIN users u ON u.id = c.user_id \
         WHERE c.case_id = $1 ORDER BY u.display_name",
    )
    .bind(case_id)
    .fetch_all(&db.pool)
    .await
}

/// Files of a business.
pub async fn of_business(db: &Db, business_id: i64) -> Result<Vec<Case>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CASE_COLUMNS} FROM {CASE_FROM} WHERE c.business_id = $1 ORDER BY c.opened_at DESC"
    ))
    .bind(business_id)
    .fetch_all(&db.pool)
    .await
}

// ------------------------------------------------------------------ read log

/// Record a staff read of a file.
pub async fn log_read(db: &Db, case_id: i64, user_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO case_reads (case_id, user_id, at) VALUES ($1, $2, $3)")
        .bind(case_id)
        .bind(user_id)
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The latest reads of a file: (who, when).
pub async fn reads(
    db: &Db,
    case_id: i64,
    limit: i64,
) -> Result<Vec<(Option<String>, i64)>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT u.display_name, r.at FROM case_reads r LEFT JOIN users u ON u.id = r.user_id \
         WHERE r.case_id = $1 ORDER BY r.at DESC, r.id DESC LIMIT {limit}"
    ))
    .bind(case_id)
    .fetch_all(&db.pool)
    .await
}

// ------------------------------------------------------------------ activities

/// Columns of an activity (alias `a`).
const ACTIVITY_COLUMNS: &str = "a.id, a.case_id, a.kind, a.title, a.body, a.due_at, a.happened_at, a.minutes, \
    a.place, a.online, a.attendees, a.shared, a.author_id, u.display_name AS author_name, a.created_at, \
    a.updated_at, a.version";

/// An activity as read.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Activity {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub due_at: Option<i64>,
    pub happened_at: Option<i64>,
    pub minutes: i64,
    pub place: String,
    pub online: i64,
    pub attendees: String,
    pub shared: i64,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

impl Activity {
    /// The typed kind.
    pub fn kind(&self) -> ActivityKind {
        ActivityKind::from_code(&self.kind).unwrap_or(ActivityKind::Note)
    }
    /// When it happened, else when it is due.
    pub fn when(&self) -> i64 {
        self.happened_at.or(self.due_at).unwrap_or(self.created_at)
    }
}

/// A file's activities (only the shared ones when `shared_only`), by date.
pub async fn activities(
    db: &Db,
    case_id: i64,
    shared_only: bool,
) -> Result<Vec<Activity>, sqlx::Error> {
    let shared = if shared_only {
        " AND a.shared = 1 AND a.kind <> 'note'"
    } else {
        ""
    };
    sqlx::query_as(&format!(
        "SELECT {ACTIVITY_COLUMNS} FROM case_activities a LEFT JOIN users u ON u.id = a.author_id \
         WHERE a.case_id = $1{shared} ORDER BY COALESCE(a.happened_at, a.due_at, a.created_at), a.id"
    ))
    .bind(case_id)
    .fetch_all(&db.pool)
    .await
}

/// One activity of a file.
pub async fn activity(db: &Db, case_id: i64, id: i64) -> Result<Option<Activity>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ACTIVITY_COLUMNS} FROM case_activities a LEFT JOIN users u ON u.id = a.author_id \
         WHERE a.id = $1 AND a.case_id = $2"
    ))
    .bind(id)
    .bind(case_id)
    .fetch_optional(&db.pool)
    .await
}

/// Meetings in the diary of the adviser in charge of files (start, minutes),
/// leaving one activity out (the one being edited).
pub async fn busy(db: &Db, adviser_id: i64, except: i64) -> Result<Vec<Busy>, sqlx::Error> {
    sqlx::query_as(
        "SELECT COALESCE(a.happened_at, a.due_at), a.minutes FROM case_activities a JOIN cases c ON c.id = a.case_id \
         WHERE c.adviser_id = $1 AND a.kind = 'meeting' AND a.id <> $2 AND c.status <> 'closed' \
         AND COALESCE(a.happened_at, a.due_at) IS NOT NULL",
    )
    .bind(adviser_id)
    .bind(except)
    .fetch_all(&db.pool)
    .await
}

/// Record an activity; returns its id.
pub async fn insert_activity(
    tx: &mut Tx,
    case_id: i64,
    v: &ValidActivity,
    author: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO case_activities (case_id, kind, title, body, due_at, happened_at, minutes, place, online, attendees, shared, author_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(case_id)
    .bind(v.kind.code())
    .bind(&v.title)
    .bind(&v.body)
    .bind(v.due_at)
    .bind(v.happened_at)
    .bind(v.minutes)
    .bind(&v.place)
    .bind(i64::from(v.online))
    .bind(&v.attendees)
    .bind(i64::from(v.shared))
    .bind(author)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    save_observations(tx, id, &v.observations).await?;
    touch(tx, case_id, now).await?;
    Ok(id)
}

async fn save_observations(
    tx: &mut Tx,
    id: i64,
    obs: &[(&'static str, String)],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM case_observations WHERE activity_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for (d, note) in obs {
        sqlx::query(
            "INSERT INTO case_observations (activity_id, dimension, note) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(*d)
        .bind(note)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Edit an activity if it is still at `v.version`: the previous text is
/// kept as a revision. Returns false when someone changed it meanwhile.
pub async fn update_activity(
    tx: &mut Tx,
    case_id: i64,
    id: i64,
    v: &ValidActivity,
    by: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let kept = sqlx::query(
        "INSERT INTO case_activity_revisions (activity_id, title, body, happened_at, minutes, place, attendees, edited_by, edited_at) \
         SELECT id, title, body, happened_at, minutes, place, attendees, $1, $2 FROM case_activities \
         WHERE id = $3 AND case_id = $4 AND version = $5",
    )
    .bind(by)
    .bind(now)
    .bind(id)
    .bind(case_id)
    .bind(v.version)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if kept == 0 {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE case_activities SET title = $1, body = $2, due_at = $3, happened_at = $4, minutes = $5, place = $6, \
         online = $7, attendees = $8, shared = $9, updated_at = $10, version = version + 1 WHERE id = $11",
    )
    .bind(&v.title)
    .bind(&v.body)
    .bind(v.due_at)
    .bind(v.happened_at)
    .bind(v.minutes)
    .bind(&v.place)
    .bind(i64::from(v.online))
    .bind(&v.attendees)
    .bind(i64::from(v.shared))
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    save_observations(tx, id, &v.observations).await?;
    touch(tx, case_id, now).await?;
    Ok(true)
}

/// A previous text of an activity.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Revision {
    pub title: String,
    pub body: String,
    pub editor: Option<String>,
    pub edited_at: i64,
}

/// An activity's previous texts, newest first.
pub async fn revisions(db: &Db, activity_id: i64) -> Result<Vec<Revision>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.title, r.body, u.display_name AS editor, r.edited_at FROM case_activity_revisions r \
         LEFT JOIN users u ON u.id = r.edited_by WHERE r.activity_id = $1 ORDER BY r.edited_at DESC, r.id DESC",
    )
    .bind(activity_id)
    .fetch_all(&db.pool)
    .await
}

/// How many edits each activity of a file had.
pub async fn revision_counts(db: &Db, case_id: i64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.activity_id, COUNT(*) FROM case_activity_revisions r JOIN case_activities a ON a.id = r.activity_id \
         WHERE a.case_id = $1 GROUP BY r.activity_id",
    )
    .bind(case_id)
    .fetch_all(&db.pool)
    .await
}

/// Observations of a file's audit reports: (activity, dimension, note).
pub async fn observations(
    db: &Db,
    case_id: i64,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT o.activity_id, o.dimension, o.note FROM case_observations o JOIN case_activities a ON a.id = o.activity_id \
         WHERE a.case_id = $1",
    )
    .bind(case_id)
    .fetch_all(&db.pool)
    .await
}

// ------------------------------------------------------------------ documents

/// A document without its content.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Document {
    pub id: i64,
    pub name: String,
    pub mime: String,
    pub size: i64,
    pub shared: i64,
    pub author_name: Option<String>,
    pub created_at: i64,
}

/// A file's documents (only the shared ones when `shared_only`).
pub async fn documents(
    db: &Db,
    case_id: i64,
    shared_only: bool,
) -> Result<Vec<Document>, sqlx::Error> {
    let shared = if shared_only { " AND d.shared = 1" } else { "" };
    sqlx::query_as(&format!(
        "SELECT d.id, d.name, d.mime, d.size, d.shared, u.display_name AS author_name, d.created_at \
         FROM case_documents d LEFT JOIN users u ON u.id = d.author_id WHERE d.case_id = $1{shared} ORDER BY d.created_at, d.id"
    ))
    .bind(case_id)
    .fetch_all(&db.pool)
    .await
}

/// A document's name, type, shared flag and content.
pub async fn document(
    db: &Db,
    case_id: i64,
    id: i64,
) -> Result<Option<(String, String, i64, Vec<u8>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT name, mime, shared, content FROM case_documents WHERE id = $1 AND case_id = $2",
    )
    .bind(id)
    .bind(case_id)
    .fetch_optional(&db.pool)
    .await
}

/// Store a checked document.
#[allow(clippy::too_many_arguments)]
pub async fn insert_document(
    db: &Db,
    case_id: i64,
    name: &str,
    mime: &str,
    content: Vec<u8>,
    shared: bool,
    author: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let size = content.len() as i64;
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO case_documents (case_id, name, mime, size, content, shared, author_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(case_id)
    .bind(name)
    .bind(mime)
    .bind(size)
    .bind(content)
    .bind(i64::from(shared))
    .bind(author)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    touch(&mut tx, case_id, now).await?;
    tx.commit().await?;
    Ok(id)
}

// ------------------------------------------------------------------ hours

/// Coaching time recorded on a file.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Hours {
    pub id: i64,
    pub funder: String,
    pub planned_minutes: i64,
    pub delivered_minutes: i64,
    pub amount_cents: Option<i64>,
    pub reference: String,
    pub created_at: i64,
}

/// Record coaching time.
pub async fn insert_hours(
    db: &Db,
    case_id: i64,
    v: &ValidHours,
    author: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO case_hours (case_id, funder, planned_minutes, delivered_minutes, amount_cents, reference, author_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(case_id)
    .bind(v.funder.code())
    .bind(v.planned_minutes)
    .bind(v.delivered_minutes)
    .bind(v.amount.map(|a| a.cents()))
    .bind(&v.reference)
    .bind(author)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    touch(&mut tx, case_id, now).await?;
    tx.commit().await
}

/// A file's coaching time, oldest first.
pub async fn hours(db: &Db, case_id: i64) -> Result<Vec<Hours>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, funder, planned_minutes, delivered_minutes, amount_cents, reference, created_at \
         FROM case_hours WHERE case_id = $1 ORDER BY created_at, id",
    )
    .bind(case_id)
    .fetch_all(&db.pool)
    .await
}

/// Totals per funder: (funder, planned, delivered minutes, cents), for one
/// file or the whole programme.
pub async fn hours_by_funder(
    db: &Db,
    case_id: Option<i64>,
) -> Result<Vec<(String, i64, i64, i64)>, sqlx::Error> {
    let filter = if case_id.is_some() {
        "WHERE case_id = $1"
    } else {
        "WHERE $1 = $1"
    };
    sqlx::query_as(&format!(
        "SELECT funder, CAST(COALESCE(SUM(planned_minutes), 0) AS BIGINT), CAST(COALESCE(SUM(delivered_minutes), 0) AS BIGINT), \
         CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM case_hours {filter} GROUP BY funder ORDER BY funder"
    ))
    .bind(case_id.unwrap_or(0))
    .fetch_all(&db.pool)
    .await
}

// ------------------------------------------------------------------ plan steps

/// Action-plan steps ticked as done on a file: (step code, day).
pub async fn ticked(db: &Db, case_id: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT step_code, done_on FROM case_plan_steps WHERE case_id = $1")
        .bind(case_id)
        .fetch_all(&db.pool)
        .await
}

/// Tick (or untick, with `None`) a plan step.
pub async fn tick(
    db: &Db,
    case_id: i64,
    code: &str,
    done_on: Option<&str>,
    by: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM case_plan_steps WHERE case_id = $1 AND step_code = $2")
        .bind(case_id)
        .bind(code)
        .execute(&db.pool)
        .await?;
    if let Some(day) = done_on {
        sqlx::query(
            "INSERT INTO case_plan_steps (case_id, step_code, done_on, done_by) VALUES ($1, $2, $3, $4)",
        )
        .bind(case_id)
        .bind(code)
        .bind(day)
        .bind(by)
        .execute(&db.pool)
        .await?;
    }
    Ok(())
}

// ------------------------------------------------------------------ referral bodies

/// A partner body files are referred to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Body {
    pub id: i64,
    pub name: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    pub territory_code: Option<String>,
    pub themes: String,
    pub url: String,
    pub active: i64,
}

const BODY_COLUMNS: &str =
    "id, name, contact_name, email, phone, territory_code, themes, url, active";

/// The catalogue of bodies, by name.
pub async fn bodies(db: &Db) -> Result<Vec<Body>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {BODY_COLUMNS} FROM referral_bodies ORDER BY name"
    ))
    .fetch_all(&db.pool)
    .await
}

/// One body.
pub async fn body(db: &Db, id: i64) -> Result<Option<Body>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {BODY_COLUMNS} FROM referral_bodies WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

/// Add a body to the catalogue.
pub async fn insert_body(db: &Db, v: &ValidBody, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO referral_bodies (name, contact_name, email, phone, territory_code, themes, url, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(&v.name)
    .bind(&v.contact_name)
    .bind(&v.email)
    .bind(&v.phone)
    .bind(v.territory.as_deref())
    .bind(&v.themes)
    .bind(&v.url)
    .bind(now)
    .fetch_one(&db.pool)
    .await
}

// ------------------------------------------------------------------ referrals

/// A referral with its body.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Referral {
    pub id: i64,
    pub case_id: i64,
    pub body_id: i64,
    pub body_name: String,
    pub body_email: String,
    pub status: String,
    pub note: String,
    pub answer: String,
    pub link_version: i64,
    pub sent_at: i64,
    pub answered_at: Option<i64>,
    pub reminders: i64,
    pub updated_at: i64,
}

impl Referral {
    /// The typed status.
    pub fn status(&self) -> ReferralStatus {
        ReferralStatus::from_code(&self.status).unwrap_or(ReferralStatus::Sent)
    }
}

const REFERRAL_COLUMNS: &str =
    "r.id, r.case_id, r.body_id, b.name AS body_name, b.email AS body_email, r.status, r.note, \
    r.answer, r.link_version, r.sent_at, r.answered_at, r.reminders, r.updated_at";

/// A file's referrals, oldest first.
pub async fn referrals(db: &Db, case_id: i64) -> Result<Vec<Referral>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {REFERRAL_COLUMNS} FROM referrals r JOIN referral_bodies b ON b.id = r.body_id \
         WHERE r.case_id = $1 ORDER BY r.sent_at, r.id"
    ))
    .bind(case_id)
    .fetch_all(&db.pool)
    .await
}

/// The referral a private link opens.
pub async fn referral_by_token(db: &Db, token_hash: &str) -> Result<Option<Referral>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {REFERRAL_COLUMNS} FROM referrals r JOIN referral_bodies b ON b.id = r.body_id WHERE r.token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(&db.pool)
    .await
}

/// One referral of a file.
pub async fn referral(db: &Db, case_id: i64, id: i64) -> Result<Option<Referral>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {REFERRAL_COLUMNS} FROM referrals r JOIN referral_bodies b ON b.id = r.body_id WHERE r.id = $1 AND r.case_id = $2"
    ))
    .bind(id)
    .bind(case_id)
    .fetch_optional(&db.pool)
    .await
}

/// Send a referral (its private link's hash is stored).
#[allow(clippy::too_many_arguments)]
pub async fn insert_referral(
    tx: &mut Tx,
    case_id: i64,
    body_id: i64,
    note: &str,
    token_hash: &str,
    author: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let id = sqlx::query_scalar(
        "INSERT INTO referrals (case_id, body_id, status, note, token_hash, sent_at, author_id, updated_at) \
         VALUES ($1, $2, 'sent', $3, $4, $5, $6, $5) RETURNING id",
    )
    .bind(case_id)
    .bind(body_id)
    .bind(note)
    .bind(token_hash)
    .bind(now)
    .bind(author)
    .fetch_one(&mut **tx)
    .await?;
    touch(tx, case_id, now).await?;
    Ok(id)
}

/// Record a body's answer if the link is still at `link_version` and the
/// move is allowed; each answer moves the link's version on, so a replayed
/// submission is refused. Returns false when refused.
pub async fn answer_referral(
    db: &Db,
    r: &Referral,
    to: ReferralStatus,
    answer: &str,
    link_version: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    if !r.status().can_move_to(to) {
        return Ok(false);
    }
    let n = sqlx::query(
        "UPDATE referrals SET status = $1, answer = $2, answered_at = $3, updated_at = $3, link_version = link_version + 1 \
         WHERE id = $4 AND status = $5 AND link_version = $6",
    )
    .bind(to.code())
    .bind(answer)
    .bind(now)
    .bind(r.id)
    .bind(r.status().code())
    .bind(link_version)
    .execute(&db.pool)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Reopen a referral with a fresh link (the old one stops working).
pub async fn reopen_referral(
    tx: &mut Tx,
    id: i64,
    token_hash: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query(
        "UPDATE referrals SET status = 'sent', token_hash = $1, sent_at = $2, updated_at = $2, reminders = 0, \
         link_version = link_version + 1 WHERE id = $3 AND status NOT IN ('sent', 'taken-up')",
    )
    .bind(token_hash)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Claim the next reminder of a referral still unanswered (conditional
/// update: two servers never send the same reminder); the reminder carries
/// a fresh link, since only the link's hash is kept. Returns true when claimed.
pub async fn claim_reminder(
    tx: &mut Tx,
    id: i64,
    from: i64,
    token_hash: &str,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query(
        "UPDATE referrals SET reminders = reminders + 1, token_hash = $3 WHERE id = $1 AND reminders = $2 AND status = 'sent'",
    )
    .bind(id)
    .bind(from)
    .bind(token_hash)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Referrals still waiting for the body's first answer, with the file's business.
pub async fn waiting_referrals(db: &Db) -> Result<Vec<(Referral, String)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        r: Referral,
        business_name: String,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {REFERRAL_COLUMNS}, bz.name AS business_name FROM referrals r JOIN referral_bodies b ON b.id = r.body_id \
         JOIN cases c ON c.id = r.case_id JOIN businesses bz ON bz.id = c.business_id WHERE r.status = 'sent' ORDER BY r.sent_at"
    ))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.r, r.business_name)).collect())
}

// ------------------------------------------------------------------ jobs

/// Claim a once-per-period job (weekly digest...): true for the one server
/// whose insert wins.
pub async fn claim_job(
    tx: &mut Tx,
    job: &str,
    period: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query(
        "INSERT INTO case_job_runs (job, period, ran_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(job)
    .bind(period)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// A planned activity due soon whose adviser has not been reminded yet.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueSoon {
    pub id: i64,
    pub case_id: i64,
    pub title: String,
    pub kind: String,
    pub due_at: i64,
    pub business_name: String,
    pub adviser_email: String,
    pub adviser_name: String,
    pub adviser_locale: String,
}

/// Planned activities due before `until`, not done, not reminded, with an adviser.
pub async fn due_soon(db: &Db, now: i64, until: i64) -> Result<Vec<DueSoon>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, a.case_id, a.title, a.kind, a.due_at, b.name AS business_name, u.email AS adviser_email, \
         u.display_name AS adviser_name, u.locale AS adviser_locale FROM case_activities a \
         JOIN cases c ON c.id = a.case_id JOIN businesses b ON b.id = c.business_id JOIN users u ON u.id = c.adviser_id \
         WHERE a.happened_at IS NULL AND a.reminder_sent_at IS NULL AND a.due_at >= $1 AND a.due_at < $2 \
         AND c.status <> 'closed' ORDER BY a.due_at LIMIT 500",
    )
    .bind(now)
    .bind(until)
    .fetch_all(&db.pool)
    .await
}

/// Mark an activity's reminder as sent, once (conditional update).
pub async fn claim_activity_reminder(tx: &mut Tx, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let n = sqlx::query(
        "UPDATE case_activities SET reminder_sent_at = $1 WHERE id = $2 AND reminder_sent_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Advisers with open files: (id, e-mail, name, locale).
pub async fn advisers_with_files(
    db: &Db,
) -> Result<Vec<(i64, String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT DISTINCT u.id, u.email, u.display_name, u.locale FROM users u JOIN cases c ON c.adviser_id = u.id \
         WHERE c.status <> 'closed' AND u.disabled_at IS NULL",
    )
    .fetch_all(&db.pool)
    .await
}

/// An adviser's planned activities between two instants (for homes and digests).
pub async fn agenda(
    db: &Db,
    adviser_id: i64,
    from: i64,
    until: i64,
) -> Result<Vec<(i64, i64, String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, c.id, a.title, b.name, COALESCE(a.happened_at, a.due_at) FROM case_activities a \
         JOIN cases c ON c.id = a.case_id JOIN businesses b ON b.id = c.business_id \
         WHERE c.adviser_id = $1 AND COALESCE(a.happened_at, a.due_at) >= $2 AND COALESCE(a.happened_at, a.due_at) < $3 \
         AND a.kind IN ('meeting', 'audit', 'call', 'closing') ORDER BY 5",
    )
    .bind(adviser_id)
    .bind(from)
    .bind(until)
    .fetch_all(&db.pool)
    .await
}

/// Files without any activity recorded since `since` (open ones).
pub async fn idle_files(db: &Db, since: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM cases c WHERE c.status <> 'closed' AND c.updated_at < $1 \
         AND NOT EXISTS (SELECT 1 FROM case_activities a WHERE a.case_id = c.id AND a.happened_at >= $1)",
    )
    .bind(since)
    .fetch_one(&db.pool)
    .await
}

/// True when a once-per-period job already ran (saves work before claiming).
pub async fn job_ran(db: &Db, job: &str, period: &str) -> Result<bool, sqlx::Error> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM case_job_runs WHERE job = $1 AND period = $2")
            .bind(job)
            .bind(period)
            .fetch_one(&db.pool)
            .await?;
    Ok(n > 0)
}

/// Mark a planned activity as done at `at` with a report (demo data, API).
pub async fn complete(
    tx: &mut Tx,
    id: i64,
    at: i64,
    body: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE case_activities SET happened_at = $1, body = $2, updated_at = $3, version = version + 1 WHERE id = $4",
    )
    .bind(at)
    .bind(body)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Mark reminders of activities due before `until` as already sent (demo
/// data loaded at start-up must not mail anyone).
pub async fn mark_reminded_until(db: &Db, until: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE case_activities SET reminder_sent_at = $1 WHERE reminder_sent_at IS NULL AND happened_at IS NULL AND due_at < $2",
    )
    .bind(now)
    .bind(until)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Set how many reminders a referral already had (demo data).
pub async fn set_referral_state(
    db: &Db,
    id: i64,
    status: ReferralStatus,
    answer: &str,
    reminders: i64,
    answered_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE referrals SET status = $1, answer = $2, reminders = $3, answered_at = $4 WHERE id = $5",
    )
    .bind(status.code())
    .bind(answer)
    .bind(reminders)
    .bind(answered_at)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// How many files a business has.
pub async fn count_for_business(db: &Db, business_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE business_id = $1")
        .bind(business_id)
        .fetch_one(&db.pool)
        .await
}

/// A user's id by e-mail address.
pub async fn user_id(db: &Db, email: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(&db.pool)
        .await
}

/// A business's id by name.
pub async fn business_id(db: &Db, name: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM businesses WHERE name = $1 ORDER BY id LIMIT 1")
        .bind(name)
        .fetch_optional(&db.pool)
        .await
}

/// A template's id by code.
pub async fn template_id(db: &Db, code: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM case_templates WHERE code = $1")
        .bind(code)
        .fetch_optional(&db.pool)
        .await
}

/// Every activity of every file, for exports: (file, business, kind, title, due, done, minutes, shared).
pub async fn export_activities(
    db: &Db,
) -> Result<
    Vec<(
        i64,
        String,
        String,
        String,
        Option<i64>,
        Option<i64>,
        i64,
        i64,
    )>,
    sqlx::Error,
> {
    sqlx::query_as(
        "SELECT c.id, b.name, a.kind, a.title, a.due_at, a.happened_at, a.minutes, a.shared FROM case_activities a \
         JOIN cases c ON c.id = a.case_id JOIN businesses b ON b.id = c.business_id ORDER BY c.id, a.id",
    )
    .fetch_all(&db.pool)
    .await
}

/// Every referral, for exports: (file, business, body, status, sent, answered, reminders).
pub async fn export_referrals(
    db: &Db,
) -> Result<Vec<(i64, String, String, String, i64, Option<i64>, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, bz.name, b.name, r.status, r.sent_at, r.answered_at, r.reminders FROM referrals r \
         JOIN referral_bodies b ON b.id = r.body_id JOIN cases c ON c.id = r.case_id \
         JOIN businesses bz ON bz.id = c.business_id ORDER BY r.sent_at",
    )
    .fetch_all(&db.pool)
    .await
}
