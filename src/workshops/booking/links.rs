//! What happens to a registration after it is made: confirmed, cancelled or
//! an offer accepted through the registrant's private link, a waiting
//! person promoted by hand, offers expiring, and the reminder and feedback
//! mails that fall due. Each change of seat runs under the session's lock
//! like the rest of [`super`].

use super::*;

/// The person confirms their e-mail address: book the pending registration.
pub async fn confirm_pending(env: &Env<'_>, reg_id: i64) -> Result<LinkResult, BookError> {
    let now = now_ms();
    let (mut tx, mut s, reg) = open_registration(env, reg_id).await?;
    if reg.status != RegistrationStatus::Pending {
        return Ok(if reg.is_active() {
            LinkResult::AlreadyDone
        } else {
            LinkResult::Closed
        });
    }
    check_open(&s, now)?;
    let outcome = take_place(&mut tx, &mut s, reg_id, now).await?;
    finish(tx, env, reg_id, Kind::for_outcome(outcome)).await?;
    Ok(LinkResult::Done(outcome))
}

/// The person cancels through their link (or staff cancel for them).
pub async fn cancel(env: &Env<'_>, reg_id: i64) -> Result<LinkResult, BookError> {
    let now = now_ms();
    let (mut tx, mut s, reg) = open_registration(env, reg_id).await?;
    if !reg.is_active() {
        return Ok(LinkResult::AlreadyDone);
    }
    if now >= s.starts_at {
        return Ok(LinkResult::Closed);
    }
    release(
        &mut tx,
        env,
        &mut s,
        &reg,
        RegistrationStatus::Cancelled,
        now,
    )
    .await?;
    finish(tx, env, reg_id, Kind::Cancelled).await?;
    Ok(LinkResult::Done(Outcome::Confirmed))
}

/// The person accepts the seat offered to them.
pub async fn accept_offer(env: &Env<'_>, reg_id: i64) -> Result<LinkResult, BookError> {
    let now = now_ms();
    let (mut tx, mut s, reg) = open_registration(env, reg_id).await?;
    match reg.status {
        RegistrationStatus::Confirmed => return Ok(LinkResult::AlreadyDone),
        RegistrationStatus::Offered => {}
        _ => return Ok(LinkResult::Closed),
    }
    if reg.offer_expires_at.is_some_and(|e| e <= now) {
        // Too late: the seat goes to the next person.
        release(&mut tx, env, &mut s, &reg, RegistrationStatus::Expired, now).await?;
        tx.commit().await?;
        env.caches.forget();
        return Ok(LinkResult::Closed);
    }
    sqlx::query(
        "UPDATE workshop_registrations SET status = 'confirmed', offer_expires_at = NULL, confirmed_at = $1, updated_at = $1 WHERE id = $2",
    )
    .bind(now)
    .bind(reg_id)
    .execute(&mut *tx)
    .await?;
    finish(tx, env, reg_id, Kind::Confirmed).await?;
    Ok(LinkResult::Done(Outcome::Confirmed))
}

/// A manager gives a free seat to one waiting person, out of turn.
pub async fn promote_by_hand(env: &Env<'_>, reg_id: i64) -> Result<LinkResult, BookError> {
    let now = now_ms();
    let (mut tx, mut s, reg) = open_registration(env, reg_id).await?;
    if reg.status != RegistrationStatus::Waiting {
        return Ok(LinkResult::AlreadyDone);
    }
    check_open(&s, now)?;
    let Some(seat) = free_seat(&mut tx, &mut s).await? else {
        return Ok(LinkResult::Closed);
    };
    sqlx::query(
        "UPDATE workshop_registrations SET status = 'confirmed', seat_no = $1, confirmed_at = $2, updated_at = $2 WHERE id = $3",
    )
    .bind(seat)
    .bind(now)
    .bind(reg_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE workshop_sessions SET seats_taken = seats_taken + 1, waiting = waiting - 1, last_seat = $2 WHERE id = $1",
    )
    .bind(s.id)
    .bind(s.highest_seat)
    .execute(&mut *tx)
    .await?;
    s.seats_taken += 1;
    finish(tx, env, reg_id, Kind::Confirmed).await?;
    Ok(LinkResult::Done(Outcome::Confirmed))
}

/// Expire offers whose time is up and pending registrations never
/// confirmed; freed seats move on to the next person. Returns how many.
pub async fn expire_due(env: &Env<'_>, now: i64) -> Result<usize, sqlx::Error> {
    let due: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, session_id FROM workshop_registrations WHERE (status = 'offered' AND offer_expires_at <= $1) \
         OR (status = 'pending' AND created_at <= $2) ORDER BY session_id, id LIMIT 200",
    )
    .bind(now)
    .bind(now - PENDING_TTL_MS)
    .fetch_all(&env.db.pool)
    .await?;
    let mut done = 0;
    for (reg_id, session_id) in due {
        let mut tx = env.db.begin_write().await?;
        let Some(mut s) = lock(&mut tx, env.db, session_id).await? else {
            continue;
        };
        let Some(reg) = reg_in(&mut tx, reg_id).await? else {
            continue;
        };
        let still_due = match reg.status {
            RegistrationStatus::Offered => reg.offer_expires_at.is_some_and(|e| e <= now),
            RegistrationStatus::Pending => reg.created_at <= now - PENDING_TTL_MS,
            _ => false,
        };
        if !still_due {
            continue;
        }
        let was_offer = reg.status == RegistrationStatus::Offered;
        release(&mut tx, env, &mut s, &reg, RegistrationStatus::Expired, now).await?;
        if was_offer {
            let reg = reg_in(&mut tx, reg_id).await?.expect("just updated");
            notify(&mut tx, env, &reg, Kind::OfferExpired).await?;
        }
        tx.commit().await?;
        env.caches.forget();
        done += 1;
    }
    Ok(done)
}

/// Send the reminders and feedback requests that are due, once each even
/// with several servers: a row is claimed by a conditional update in the
/// same transaction as its mail.
pub async fn send_due_mails(env: &Env<'_>, now: i64) -> Result<usize, sqlx::Error> {
    const REMIND_BEFORE_MS: i64 = 48 * 3_600_000;
    let mut sent = 0;
    let reminders: Vec<i64> = sqlx::query_scalar(
        "SELECT r.id FROM workshop_registrations r JOIN workshop_sessions s ON s.id = r.session_id \
         WHERE r.status = 'confirmed' AND r.reminder_sent_at IS NULL AND s.status = 'scheduled' \
         AND s.starts_at > $1 AND s.starts_at <= $2 AND r.confirmed_at <= $3 LIMIT 500",
    )
    .bind(now)
    .bind(now + REMIND_BEFORE_MS)
    // Someone who booked in the last two hours just got the details.
    .bind(now - 2 * 3_600_000)
    .fetch_all(&env.db.pool)
    .await?;
    for id in reminders {
        sent += claim_and_send(env, id, "reminder_sent_at", Kind::Reminder, now).await?;
    }
    let feedback: Vec<i64> = sqlx::query_scalar(
        "SELECT r.id FROM workshop_registrations r JOIN workshop_sessions s ON s.id = r.session_id \
         WHERE r.status = 'confirmed' AND r.attendance = 'present' AND r.feedback_sent_at IS NULL \
         AND s.ends_at <= $1 LIMIT 500",
    )
    .bind(now)
    .fetch_all(&env.db.pool)
    .await?;
    for id in feedback {
        sent += claim_and_send(env, id, "feedback_sent_at", Kind::Feedback, now).await?;
    }
    Ok(sent)
}

async fn claim_and_send(
    env: &Env<'_>,
    reg_id: i64,
    column: &str,
    kind: Kind,
    now: i64,
) -> Result<usize, sqlx::Error> {
    let mut tx = env.db.begin_write().await?;
    let claimed = sqlx::query(&format!(
        "UPDATE workshop_registrations SET {column} = $1 WHERE id = $2 AND {column} IS NULL"
    ))
    .bind(now)
    .bind(reg_id)
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() != 1 {
        return Ok(0);
    }
    if let Some(reg) = reg_in(&mut tx, reg_id).await? {
        notify(&mut tx, env, &reg, kind).await?;
    }
    tx.commit().await?;
    Ok(1)
}
