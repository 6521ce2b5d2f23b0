//! Every SQL statement of follow-up files, their activities, documents,
//! coaching hours, referrals and the read log. Functions take the pool
//! (`&Db`) or the caller's transaction. Files, templates and the read log
//! here; activities, documents, hours and plan steps in `activities`;
//! referral bodies and referrals in `referrals`; jobs, homes and exports
//! in `jobs`.

use sqlx::{Any, Transaction};

use super::model::{
    ActivityKind, Busy, CaseStatus, Outcome, Planned, ReferralStatus, Step, ValidActivity,
    ValidBody, ValidCase, ValidHours,
};
use crate::db::{dialect, Db};

/// A write transaction.
pub type Tx = Transaction<'static, Any>;

mod activities;
mod jobs;
mod lists;
mod referrals;
mod story;

pub use activities::*;
pub use jobs::*;
pub use lists::*;
pub use referrals::*;
pub use story::*;

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
    pub outcome: Option<String>,
    pub opened_at: i64,
    pub updated_at: i64,
    pub overdue: i64,
    pub next_due: Option<i64>,
    pub last_activity: Option<i64>,
}

impl Listed {
    /// The typed closing outcome.
    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome.as_deref().and_then(Outcome::from_code)
    }
}

/// Which files a list shows: all, or those of one adviser, or those of one
/// business; `open_only` leaves closed ones out.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListFilter {
    pub adviser: Option<i64>,
    pub business: Option<i64>,
    pub open_only: bool,
}

impl ListFilter {
    /// The condition on `c`; `$1` is the adviser and `$2` the business (0
    /// when not filtered). Each is written as a plain equality when given,
    /// so that the adviser's and the business's indexes serve it.
    fn sql(&self) -> String {
        let mut filter = String::from(if self.adviser.is_some() {
            "c.adviser_id = $1"
        } else {
            "CAST($1 AS BIGINT) = 0"
        });
        filter.push_str(if self.business.is_some() {
            " AND c.business_id = $2"
        } else {
            " AND CAST($2 AS BIGINT) = 0"
        });
        if self.open_only {
            filter.push_str(" AND c.status <> 'closed'");
        }
        // Staff see the files of the programme they work in; a business's
        // own files are all shown, whichever programme opened them.
        if self.business.is_none() {
            if let Some(p) = crate::programme::only_current("c.programme_id") {
                filter.push_str(" AND ");
                filter.push_str(&p);
            }
        }
        filter
    }
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
    let filter = ListFilter {
        adviser,
        business,
        open_only,
    };
    list_page(db, &filter, now, limit, 0).await
}

/// One page of files (`limit` from `offset`), newest first, with their
/// activity counts read in one grouped statement for these files only.
pub async fn list_page(
    db: &Db,
    filter: &ListFilter,
    now: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<Listed>, sqlx::Error> {
    let mut rows: Vec<Listed> = sqlx::query_as(&format!(
        "SELECT c.id, c.business_id, b.name AS business_name, t.title_fr AS template_fr, t.title_en AS template_en, \
         c.adviser_id, u.display_name AS adviser_name, c.status, c.outcome, c.opened_at, c.updated_at, \
         CAST(0 AS BIGINT) AS overdue, CAST(NULL AS BIGINT) AS next_due, CAST(NULL AS BIGINT) AS last_activity \
         FROM {CASE_FROM} WHERE {} ORDER BY c.opened_at DESC, c.id DESC LIMIT {limit} OFFSET {offset}",
        filter.sql()
    ))
    .bind(filter.adviser.unwrap_or(0))
    .bind(filter.business.unwrap_or(0))
    .fetch_all(&db.pool)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let counts = activity_counts(db, &ids, now).await?;
    for r in rows.iter_mut() {
        if let Some((overdue, next_due, last)) = counts.get(&r.id) {
            r.overdue = *overdue;
            r.next_due = *next_due;
            r.last_activity = *last;
        }
    }
    Ok(rows)
}

/// How many files a list's filter selects.
pub async fn count_files(db: &Db, filter: &ListFilter) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM cases c WHERE {}",
        filter.sql()
    ))
    .bind(filter.adviser.unwrap_or(0))
    .bind(filter.business.unwrap_or(0))
    .fetch_one(&db.pool)
    .await
}

/// A file's (planned activities overdue, next due date, last activity).
pub type ActivityCounts = (i64, Option<i64>, Option<i64>);

/// Per file: (planned activities overdue at `now`, next due date, last
/// activity), in one grouped statement. Up to 500 files are named in the
/// statement; beyond, every file is grouped once (exports).
pub async fn activity_counts(
    db: &Db,
    ids: &[i64],
    now: i64,
) -> Result<std::collections::HashMap<i64, ActivityCounts>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let filter = if ids.len() <= 500 {
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        format!("WHERE a.case_id IN ({})", list.join(", "))
    } else {
        String::new()
    };
    let rows: Vec<(i64, i64, Option<i64>, Option<i64>)> = sqlx::query_as(&format!(
        "SELECT a.case_id, \
         CAST(COALESCE(SUM(CASE WHEN a.happened_at IS NULL AND a.due_at < $1 THEN 1 ELSE 0 END), 0) AS BIGINT), \
         MIN(CASE WHEN a.happened_at IS NULL AND a.due_at >= $1 THEN a.due_at END), \
         MAX(a.happened_at) FROM case_activities a {filter} GROUP BY a.case_id"
    ))
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, overdue, next, last)| (id, (overdue, next, last)))
        .collect())
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
        "INSERT INTO cases (business_id, template_id, origin, origin_id, adviser_id, status, summary, opened_at, created_by, created_at, updated_at, programme_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11) RETURNING id",
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
    .bind(crate::programme::current())
    .fetch_one(&mut **tx)
    .await?;
    if n.adviser_id.is_some() {
        assign(tx, id, n.adviser_id, n.by, now).await?;
    }
    for p in planned {
        sqlx::query(
            "INSERT INTO case_activities (case_id, kind, title, due_at, minutes, shared, author_id, created_at, updated_at, adviser_id) \
             VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $7, (SELECT adviser_id FROM cases WHERE id = $1))",
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
    // The activities carry the adviser in charge (their week's index).
    sqlx::query("UPDATE case_activities SET adviser_id = $1 WHERE case_id = $2")
        .bind(adviser)
        .bind(case_id)
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
        // The adviser who handed the file over keeps it open, as a contributor.
        if let Some(previous) = locked.adviser_id {
            sqlx::query(
                "INSERT INTO case_contributors (case_id, user_id, added_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(previous)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        }
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

// ------------------------------------------------------------------ access

/// Who opens a file: programme managers, the adviser in charge and the
/// contributors. Other advisers are refused and may ask to contribute.
pub async fn may_open(
    db: &Db,
    case: &Case,
    user_id: i64,
    manager: bool,
) -> Result<bool, sqlx::Error> {
    if manager || case.adviser_id == Some(user_id) {
        return Ok(true);
    }
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM case_contributors WHERE case_id = $1 AND user_id = $2",
    )
    .bind(case.id)
    .bind(user_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(n > 0)
}

/// An adviser asks to contribute to a file (asked once; the first time is kept).
pub async fn ask_to_contribute(
    db: &Db,
    case_id: i64,
    user_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO case_contribution_requests (case_id, user_id, asked_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(case_id)
    .bind(user_id)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// When this adviser asked to contribute, if they did.
pub async fn asked_at(db: &Db, case_id: i64, user_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT asked_at FROM case_contribution_requests WHERE case_id = $1 AND user_id = $2",
    )
    .bind(case_id)
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await
}

/// Make an adviser a contributor; their request, if any, is settled.
pub async fn grant_contribution(
    db: &Db,
    case_id: i64,
    user_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO case_contributors (case_id, user_id, added_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(case_id)
    .bind(user_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM case_contribution_requests WHERE case_id = $1 AND user_id = $2")
        .bind(case_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
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
    // Through the writers' queue: on SQLite a write from the readers' pool
    // would wait on the file lock with growing sleeps.
    sqlx::query("INSERT INTO case_reads (case_id, user_id, at) VALUES ($1, $2, $3)")
        .bind(case_id)
        .bind(user_id)
        .bind(now)
        .execute(&db.writer)
        .await?;
    Ok(())
}
