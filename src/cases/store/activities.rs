//! Statements of activities (with history and observations), documents,
//! coaching hours and ticked plan steps.

use super::*;

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
         WHERE a.adviser_id = $1 AND a.kind = 'meeting' AND a.id <> $2 AND c.status <> 'closed' \
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
        "INSERT INTO case_activities (case_id, kind, title, body, due_at, happened_at, minutes, place, online, attendees, shared, author_id, created_at, updated_at, adviser_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, (SELECT adviser_id FROM cases WHERE id = $1)) RETURNING id",
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
