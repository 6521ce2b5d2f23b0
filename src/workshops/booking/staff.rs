//! What staff change on a session's seats: its capacity, a message to every
//! registrant, cancelling it, attendance and walk-ins. Each runs under the
//! session's lock like the rest of [`super`].

use super::*;

/// Change a session's capacity under the lock; refused below the seats
/// already taken. A larger capacity offers the new seats to the waiting list.
pub async fn set_capacity(
    tx: &mut Transaction<'static, Any>,
    env: &Env<'_>,
    session_id: i64,
    capacity: i64,
) -> Result<Result<(), i64>, sqlx::Error> {
    let now = now_ms();
    let Some(mut s) = lock(tx, env.db, session_id).await? else {
        return Ok(Ok(()));
    };
    if capacity < s.seats_taken {
        return Ok(Err(s.seats_taken));
    }
    sqlx::query("UPDATE workshop_sessions SET capacity = $1 WHERE id = $2")
        .bind(capacity)
        .bind(session_id)
        .execute(&mut **tx)
        .await?;
    s.capacity = capacity;
    promote(tx, env, &mut s, now).await?;
    Ok(Ok(()))
}

/// Tell every active registrant of a session (inside the caller's transaction).
pub async fn notify_all(
    tx: &mut Transaction<'static, Any>,
    env: &Env<'_>,
    session_id: i64,
    kind: Kind,
) -> Result<usize, sqlx::Error> {
    let regs: Vec<Registration> = sqlx::query_as(&format!(
        "SELECT {REG_COLUMNS} FROM workshop_registrations r WHERE r.session_id = $1 \
         AND r.status IN ('pending', 'confirmed', 'offered', 'waiting') ORDER BY r.id"
    ))
    .bind(session_id)
    .fetch_all(&mut **tx)
    .await?;
    for reg in &regs {
        notify(tx, env, reg, kind).await?;
    }
    Ok(regs.len())
}

/// Cancel a whole session: every registrant is told; seats are released.
pub async fn cancel_session(
    env: &Env<'_>,
    session_id: i64,
    reason: &str,
) -> Result<usize, BookError> {
    let now = now_ms();
    let mut tx = env.db.begin_write().await?;
    let s = lock(&mut tx, env.db, session_id)
        .await?
        .ok_or(BookError::NotFound)?;
    if s.status == SessionStatus::Cancelled.code() {
        return Ok(0);
    }
    sqlx::query(
        "UPDATE workshop_sessions SET status = 'cancelled', cancel_reason = $1, sequence = sequence + 1, \
         updated_at = $2, version = version + 1 WHERE id = $3",
    )
    .bind(reason)
    .bind(now)
    .bind(session_id)
    .execute(&mut *tx)
    .await?;
    let told = notify_all(&mut tx, env, session_id, Kind::SessionCancelled).await?;
    sqlx::query(
        "UPDATE workshop_registrations SET status = 'cancelled', seat_no = NULL, offer_expires_at = NULL, \
         cancelled_at = $1, updated_at = $1 WHERE session_id = $2 AND status IN ('pending', 'confirmed', 'offered', 'waiting')",
    )
    .bind(now)
    .bind(session_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE workshop_sessions SET seats_taken = 0, waiting = 0 WHERE id = $1")
        .bind(session_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    env.caches.forget();
    Ok(told)
}

/// Record attendance; setting the same value twice changes nothing, so
/// double taps and two people checking in at once are harmless.
pub async fn mark_attendance(
    db: &Db,
    session_id: i64,
    reg_id: i64,
    value: Attendance,
    by: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE workshop_registrations SET attendance = $1, attendance_at = $2, attendance_by = $3, updated_at = $2 \
         WHERE id = $4 AND session_id = $5 AND status = 'confirmed'",
    )
    .bind(value.code())
    .bind(now_ms())
    .bind(by)
    .bind(reg_id)
    .bind(session_id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Someone who came without registering, added at the check-in and marked
/// present: a walk-in counts as made aware like any attendee. They hold no
/// seat number (they are in the room already). If the address already has
/// an active registration, that one is marked present instead. Returns the
/// registration's id.
pub async fn add_walk_in(
    env: &Env<'_>,
    session_id: i64,
    who: &Registrant,
    by: i64,
) -> Result<i64, BookError> {
    let now = now_ms();
    let mut tx = env.db.begin_write().await?;
    let s = lock(&mut tx, env.db, session_id)
        .await?
        .ok_or(BookError::NotFound)?;
    if s.status == SessionStatus::Cancelled.code() {
        return Err(BookError::Cancelled);
    }
    let email_key = who.email.to_lowercase();
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM workshop_registrations WHERE session_id = $1 AND email_key = $2 \
         AND status IN ('pending', 'confirmed', 'offered', 'waiting')",
    )
    .bind(session_id)
    .bind(&email_key)
    .fetch_optional(&mut *tx)
    .await?;
    let id = match existing {
        Some(id) => {
            sqlx::query(
                "UPDATE workshop_registrations SET status = 'confirmed', attendance = 'present', attendance_at = $1, \
                 attendance_by = $2, updated_at = $1, confirmed_at = COALESCE(confirmed_at, $1) WHERE id = $3",
            )
            .bind(now)
            .bind(by)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            id
        }
        None => {
            sqlx::query_scalar(
                "INSERT INTO workshop_registrations (session_id, business_id, user_id, name, email, email_key, business_name, \
                 status, consent_version, consent_at, locale, source, attendance, attendance_at, attendance_by, \
                 created_at, updated_at, confirmed_at) \
                 VALUES ($1, NULL, NULL, $2, $3, $4, $5, 'confirmed', $6, $7, $8, $9, 'present', $7, $10, $7, $7, $7) RETURNING id",
            )
            .bind(session_id)
            .bind(&who.name)
            .bind(&who.email)
            .bind(&email_key)
            .bind(&who.business_name)
            .bind(CONSENT_VERSION)
            .bind(now)
            .bind(who.locale.as_str())
            .bind(RegistrationSource::Staff.code())
            .bind(by)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_unique)?
        }
    };
    tx.commit().await?;
    env.caches.forget();
    Ok(id)
}
