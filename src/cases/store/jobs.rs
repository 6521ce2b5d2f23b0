//! Statements of reminders and digests, homes, demo look-ups and exports.

use super::*;

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

/// An item of an adviser's agenda: (activity, file, title, business, when).
pub type AgendaItem = (i64, i64, String, String, i64);

/// An adviser's planned activities between two instants (for homes and digests).
pub async fn agenda(
    db: &Db,
    adviser_id: i64,
    from: i64,
    until: i64,
) -> Result<Vec<AgendaItem>, sqlx::Error> {
    let (rows, _) = agenda_page(db, adviser_id, from, until, i64::MAX, 0).await?;
    Ok(rows)
}

/// One page of an adviser's agenda (`limit` from `offset`, in time order)
/// and how many items the whole period holds.
pub async fn agenda_page(
    db: &Db,
    adviser_id: i64,
    from: i64,
    until: i64,
    limit: i64,
    offset: i64,
) -> Result<(Vec<AgendaItem>, i64), sqlx::Error> {
    // The week of the adviser in charge is one range of the index
    // (adviser, date, kind): the page's rows come in date order, and the
    // total is counted from the index alone, only when the page is full or
    // later than the first.
    const WHERE: &str = "a.adviser_id = $1 AND COALESCE(a.happened_at, a.due_at) >= $2 \
         AND COALESCE(a.happened_at, a.due_at) < $3 AND a.kind IN ('meeting', 'audit', 'call', 'closing')";
    let rows: Vec<AgendaItem> = sqlx::query_as(&format!(
        "SELECT a.id, c.id, a.title, b.name, COALESCE(a.happened_at, a.due_at) AS at FROM case_activities a \
         JOIN cases c ON c.id = a.case_id JOIN businesses b ON b.id = c.business_id \
         WHERE {WHERE} ORDER BY 5, 1 LIMIT {limit} OFFSET {offset}"
    ))
    .bind(adviser_id)
    .bind(from)
    .bind(until)
    .fetch_all(&db.pool)
    .await?;
    let total = if offset == 0 && (rows.len() as i64) < limit {
        rows.len() as i64
    } else {
        sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM case_activities a WHERE {WHERE}"
        ))
        .bind(adviser_id)
        .bind(from)
        .bind(until)
        .fetch_one(&db.pool)
        .await?
    };
    Ok((rows, total))
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
