//! Seats, waiting lists and offers. Every change to who holds a seat runs in
//! one transaction that locks the session row (PostgreSQL `FOR UPDATE`,
//! SQLite `BEGIN IMMEDIATE`) and re-checks; the unique index on
//! `(session_id, seat_no)` is the second guard and the `seats_taken <=
//! capacity` check the third.

use sqlx::{Any, Row, Transaction};

use super::cache::Caches;
use super::mails::{self, Kind};
use super::model::{Attendance, RegistrationSource, RegistrationStatus, Session, SessionStatus};
use super::store;
use crate::auth::hash_secret;
use crate::db::{dialect, is_unique_violation, now_ms, Backend, Db};
use crate::i18n::Locale;
use crate::web::pipeline::random_token;

/// How long a freed seat is held for the person it is offered to.
pub const OFFER_TTL_MS: i64 = 24 * 3_600_000;
/// An e-mail confirmation link for a registration stays valid this long.
pub const PENDING_TTL_MS: i64 = 48 * 3_600_000;
/// Version of the consent text shown on the registration form.
pub const CONSENT_VERSION: &str = "workshops-2026-12";

mod links;
mod staff;
pub use links::{
    accept_offer, cancel, confirm_pending, expire_due, promote_by_hand, send_due_mails,
};
pub use staff::{add_walk_in, cancel_session, mark_attendance, notify_all, set_capacity};

/// Who is registering.
#[derive(Debug, Clone)]
pub struct Registrant {
    pub name: String,
    pub email: String,
    pub business_name: String,
    pub business_id: Option<i64>,
    pub user_id: Option<i64>,
    pub locale: Locale,
    /// Through which door the registration came.
    pub source: RegistrationSource,
}

/// Where a registration ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Waiting for the person to confirm their e-mail address.
    Pending,
    /// A seat is theirs.
    Confirmed,
    /// On the waiting list at this position (1 = next).
    Waiting(i64),
}

/// Why a registration was refused.
#[derive(Debug, thiserror::Error)]
pub enum BookError {
    #[error("no such session")]
    NotFound,
    #[error("session cancelled")]
    Cancelled,
    #[error("session already started")]
    Started,
    #[error("already registered")]
    AlreadyRegistered,
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

/// The locked facts about a session inside a transaction.
#[derive(Debug, Clone)]
pub struct Locked {
    pub id: i64,
    pub status: String,
    pub starts_at: i64,
    pub capacity: i64,
    pub seats_taken: i64,
    pub waiting: i64,
    /// Highest seat number ever given (seats are usually taken in order;
    /// a freed seat below it is found by a scan).
    pub highest_seat: i64,
    /// Last waiting-list sequence number given.
    pub last_seq: i64,
}

/// Lock the session row for the rest of the transaction.
pub async fn lock(
    tx: &mut Transaction<'static, Any>,
    db: &Db,
    id: i64,
) -> Result<Option<Locked>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT id, status, starts_at, capacity, seats_taken, waiting, last_seat, last_seq FROM workshop_sessions WHERE id = $1{}",
        dialect::for_update(db.backend)
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(r) = row else { return Ok(None) };
    Ok(Some(r).map(|r| Locked {
        id: r.get("id"),
        status: r.get("status"),
        starts_at: r.get("starts_at"),
        capacity: r.get("capacity"),
        seats_taken: r.get("seats_taken"),
        waiting: r.get("waiting"),
        highest_seat: r.get("last_seat"),
        last_seq: r.get("last_seq"),
    }))
}

/// A seat number not held, or `None` when the session is full. The seat
/// counts as taken in `s` from now on.
async fn free_seat(
    tx: &mut Transaction<'static, Any>,
    s: &mut Locked,
) -> Result<Option<i64>, sqlx::Error> {
    if s.seats_taken >= s.capacity {
        return Ok(None);
    }
    // Usually the seats are taken in order: the next one follows the highest.
    if s.highest_seat < s.capacity {
        s.highest_seat += 1;
        return Ok(Some(s.highest_seat));
    }
    let held: Vec<i64> = sqlx::query_scalar(
        "SELECT seat_no FROM workshop_registrations WHERE session_id = $1 AND seat_no IS NOT NULL ORDER BY seat_no",
    )
    .bind(s.id)
    .fetch_all(&mut **tx)
    .await?;
    let mut want = 1;
    for h in held {
        if h == want {
            want += 1;
        } else if h > want {
            break;
        }
    }
    Ok((want <= s.capacity).then_some(want))
}

/// A fresh private link for a registration; returns the token to put in a mail.
pub async fn new_link(
    tx: &mut Transaction<'static, Any>,
    registration_id: i64,
) -> Result<String, sqlx::Error> {
    let token = random_token();
    sqlx::query(
        "INSERT INTO workshop_links (token_hash, registration_id, created_at) VALUES ($1, $2, $3)",
    )
    .bind(hash_secret(&token))
    .bind(registration_id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(token)
}

/// The registration a private link points to.
pub async fn by_token(db: &Db, token: &str) -> Result<Option<Registration>, sqlx::Error> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    sqlx::query_as(&format!(
        "SELECT {REG_COLUMNS} FROM workshop_registrations r JOIN workshop_links l ON l.registration_id = r.id \
         WHERE l.token_hash = $1"
    ))
    .bind(hash_secret(token))
    .fetch_optional(&db.pool)
    .await
}

/// A registration row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Registration {
    pub id: i64,
    pub session_id: i64,
    pub business_id: Option<i64>,
    pub user_id: Option<i64>,
    pub name: String,
    pub email: String,
    pub business_name: String,
    pub status: RegistrationStatus,
    pub seat_no: Option<i64>,
    pub wait_seq: Option<i64>,
    pub offer_expires_at: Option<i64>,
    pub attendance: Option<Attendance>,
    pub locale: String,
    pub source: String,
    pub created_at: i64,
    pub confirmed_at: Option<i64>,
}

/// Columns of a [`Registration`] (table alias `r`).
pub const REG_COLUMNS: &str = "r.id, r.session_id, r.business_id, r.user_id, r.name, r.email, r.business_name, \
    r.status, r.seat_no, r.wait_seq, r.offer_expires_at, r.attendance, r.locale, r.source, r.created_at, r.confirmed_at";

impl Registration {
    /// The registrant's language.
    pub fn locale(&self) -> Locale {
        Locale::from_tag(&self.locale).unwrap_or(Locale::Fr)
    }

    /// True while the registration still counts (not cancelled or expired).
    pub fn is_active(&self) -> bool {
        self.status.is_active()
    }

    /// The attendance code, if taken (for templates).
    pub fn attendance_code(&self) -> Option<&'static str> {
        self.attendance.map(Attendance::code)
    }
}

/// Load a registration inside a transaction.
async fn reg_in(
    tx: &mut Transaction<'static, Any>,
    id: i64,
) -> Result<Option<Registration>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {REG_COLUMNS} FROM workshop_registrations r WHERE r.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Position on the waiting list (1 = next to be offered a seat).
pub async fn waiting_position(db: &Db, reg: &Registration) -> Result<i64, sqlx::Error> {
    let Some(seq) = reg.wait_seq else {
        return Ok(0);
    };
    let ahead: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM workshop_registrations WHERE session_id = $1 AND status = 'waiting' AND wait_seq < $2",
    )
    .bind(reg.session_id)
    .bind(seq)
    .fetch_one(&db.pool)
    .await?;
    Ok(ahead + 1)
}

/// Queue one mail about a registration, with a fresh private link.
async fn notify(
    tx: &mut Transaction<'static, Any>,
    env: &Env<'_>,
    reg: &Registration,
    kind: Kind,
) -> Result<(), sqlx::Error> {
    let Some(session) = store::get_in(tx, reg.session_id).await? else {
        return Ok(());
    };
    notify_about(tx, env.base_url, env.timezone, reg, &session, kind).await
}

/// Queue one mail about a registration of a session already loaded.
async fn notify_about(
    tx: &mut Transaction<'static, Any>,
    base_url: &str,
    timezone: &str,
    reg: &Registration,
    session: &Session,
    kind: Kind,
) -> Result<(), sqlx::Error> {
    let token = new_link(tx, reg.id).await?;
    let (mail, attachments) = mails::compose(kind, reg, session, base_url, timezone, &token);
    crate::outbox::enqueue_with(tx, &mail, &attachments).await?;
    Ok(())
}

/// What writing a registration needs: the database, and the links and
/// time zone its mail uses.
#[derive(Debug, Clone, Copy)]
pub struct Writer<'a> {
    pub db: &'a Db,
    pub base_url: &'a str,
    pub timezone: &'a str,
}

/// What booking needs to know about the deployment.
#[derive(Debug, Clone)]
pub struct Env<'a> {
    pub db: &'a Db,
    /// The workshop pages' caches, cleared after a change.
    pub caches: &'a Caches,
    /// Registrations written together on SQLite.
    pub batch: &'a super::batch::Batcher,
    pub base_url: &'a str,
    pub timezone: &'a str,
}

/// Give a pending registration a seat, or a place on the waiting list.
async fn take_place(
    tx: &mut Transaction<'static, Any>,
    s: &mut Locked,
    reg_id: i64,
    now: i64,
) -> Result<Outcome, sqlx::Error> {
    if let Some(seat) = free_seat(tx, s).await? {
        sqlx::query(
            "UPDATE workshop_registrations SET status = 'confirmed', seat_no = $1, confirmed_at = $2, updated_at = $2 WHERE id = $3",
        )
        .bind(seat)
        .bind(now)
        .bind(reg_id)
        .execute(&mut **tx)
        .await?;
        sqlx::query("UPDATE workshop_sessions SET seats_taken = seats_taken + 1, last_seat = $2 WHERE id = $1")
            .bind(s.id)
            .bind(s.highest_seat)
            .execute(&mut **tx)
            .await?;
        s.seats_taken += 1;
        return Ok(Outcome::Confirmed);
    }
    s.last_seq += 1;
    let seq = s.last_seq;
    sqlx::query(
        "UPDATE workshop_registrations SET status = 'waiting', wait_seq = $1, updated_at = $2 WHERE id = $3",
    )
    .bind(seq)
    .bind(now)
    .bind(reg_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE workshop_sessions SET waiting = waiting + 1, last_seq = $2 WHERE id = $1")
        .bind(s.id)
        .bind(s.last_seq)
        .execute(&mut **tx)
        .await?;
    s.waiting += 1;
    Ok(Outcome::Waiting(s.waiting))
}

fn check_open(s: &Locked, now: i64) -> Result<(), BookError> {
    if s.status == SessionStatus::Cancelled.code() {
        return Err(BookError::Cancelled);
    }
    if now >= s.starts_at {
        return Err(BookError::Started);
    }
    Ok(())
}

/// Register someone. A verified address (signed-in account, staff, API) is
/// booked at once; otherwise the registration waits for the e-mail link.
/// Returns the outcome and the registration id.
pub async fn register(
    env: &Env<'_>,
    session_id: i64,
    who: &Registrant,
    verified: bool,
) -> Result<(Outcome, i64), BookError> {
    // What the mail says about the session is read before the write lock is
    // taken; seats are decided under it.
    let session = store::get(env.db, session_id)
        .await?
        .ok_or(BookError::NotFound)?;
    let booked = match env.db.backend {
        // SQLite writes one transaction at a time: registrations arriving
        // together are written in one (see `batch`).
        Backend::Sqlite => {
            env.batch
                .book(
                    env.db,
                    super::batch::Job {
                        session_id,
                        who: who.clone(),
                        verified,
                        session,
                        base_url: env.base_url.to_string(),
                        timezone: env.timezone.to_string(),
                    },
                )
                .await
        }
        Backend::Postgres => {
            let to = Writer {
                db: env.db,
                base_url: env.base_url,
                timezone: env.timezone,
            };
            book_alone(&to, session_id, who, verified, &session).await
        }
    };
    if booked.is_ok() {
        env.caches.forget();
    }
    booked
}

/// Book one registration in its own transaction.
pub(super) async fn book_alone(
    to: &Writer<'_>,
    session_id: i64,
    who: &Registrant,
    verified: bool,
    session: &Session,
) -> Result<(Outcome, i64), BookError> {
    let mut tx = to.db.begin_write().await?;
    let booked = book_in(&mut tx, to, session_id, who, verified, session, now_ms()).await?;
    tx.commit().await.map_err(map_unique)?;
    Ok(booked)
}

/// Book inside `tx`: lock the session, decide seat or waiting list, and
/// write the registration, its link, the counters and the mail in one
/// statement. An error other than `BookError::Db` leaves nothing written;
/// so does a refused duplicate (the registration is the statement's first
/// write).
pub(super) async fn book_in(
    tx: &mut Transaction<'static, Any>,
    to: &Writer<'_>,
    session_id: i64,
    who: &Registrant,
    verified: bool,
    session: &Session,
    now: i64,
) -> Result<(Outcome, i64), BookError> {
    let mut s = lock(tx, to.db, session_id)
        .await?
        .ok_or(BookError::NotFound)?;
    check_open(&s, now)?;
    let (status, seat, seq, outcome) = if !verified {
        (RegistrationStatus::Pending, None, None, Outcome::Pending)
    } else if let Some(seat) = free_seat(tx, &mut s).await? {
        (
            RegistrationStatus::Confirmed,
            Some(seat),
            None,
            Outcome::Confirmed,
        )
    } else {
        s.last_seq += 1;
        (
            RegistrationStatus::Waiting,
            None,
            Some(s.last_seq),
            Outcome::Waiting(s.waiting + 1),
        )
    };
    let reg = Registration {
        id: 0,
        session_id,
        business_id: who.business_id,
        user_id: who.user_id,
        name: who.name.trim().to_string(),
        email: who.email.trim().to_string(),
        business_name: who.business_name.trim().to_string(),
        status,
        seat_no: seat,
        wait_seq: seq,
        offer_expires_at: None,
        attendance: None,
        locale: who.locale.as_str().to_string(),
        source: who.source.code().to_string(),
        created_at: now,
        confirmed_at: seat.map(|_| now),
    };
    // The mail names the person's private link, not the registration id,
    // so it is written before the row exists: the registration, its link,
    // the session's counters and the mail then go in one round trip.
    let token = random_token();
    let (mail, attachments) = mails::compose(
        Kind::for_outcome(outcome),
        &reg,
        session,
        to.base_url,
        to.timezone,
        &token,
    );
    let (seats_delta, waiting_delta) = match outcome {
        Outcome::Confirmed => (1, 0),
        Outcome::Waiting(_) => (0, 1),
        Outcome::Pending => (0, 0),
    };
    let email_key = reg.email.to_lowercase();
    let q = sqlx::query(booking_sql(to.db.backend))
        .bind(session_id)
        .bind(reg.business_id)
        .bind(reg.user_id)
        .bind(&reg.name)
        .bind(&reg.email)
        .bind(&email_key)
        .bind(&reg.business_name)
        .bind(status.code())
        .bind(seat)
        .bind(seq)
        .bind(CONSENT_VERSION)
        .bind(now)
        .bind(&reg.locale)
        .bind(who.source.code())
        .bind(reg.confirmed_at)
        .bind(hash_secret(&token))
        .bind(seats_delta)
        .bind(waiting_delta)
        .bind(s.highest_seat)
        .bind(s.last_seq);
    // The partial unique index on active registrations refuses a second one.
    let rows =
        crate::outbox::bind_insert(q, &mail, crate::outbox::attachments_json(&attachments), now)
            .fetch_all(&mut **tx)
            .await
            .map_err(map_unique)?;
    let reg_id: i64 = rows.first().ok_or(sqlx::Error::RowNotFound)?.try_get(0)?;
    Ok((outcome, reg_id))
}

/// The registration, its first private link, the session's counters and
/// the mail, written by [`register`] in one statement. `$1`..`$15` are the
/// registration, `$16` the link's hash, `$17`..`$20` the counters, then the
/// mail.
fn booking_sql(backend: Backend) -> &'static str {
    static SQL: [std::sync::OnceLock<String>; 2] =
        [std::sync::OnceLock::new(), std::sync::OnceLock::new()];
    let slot = match backend {
        Backend::Sqlite => &SQL[0],
        Backend::Postgres => &SQL[1],
    };
    slot.get_or_init(|| {
        dialect::insert_then(
            backend,
            "INSERT INTO workshop_registrations (session_id, business_id, user_id, name, email, email_key, business_name, \
             status, seat_no, wait_seq, consent_version, consent_at, locale, source, created_at, updated_at, confirmed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $12, $12, $15) RETURNING id",
            &[
                &format!(
                    "INSERT INTO workshop_links (token_hash, registration_id, created_at) VALUES ($16, {}, $12)",
                    dialect::NEW_ID
                ),
                "UPDATE workshop_sessions SET seats_taken = seats_taken + $17, waiting = waiting + $18, \
                 last_seat = $19, last_seq = $20 WHERE id = $1",
                &crate::outbox::insert_sql(21),
            ],
        )
    })
}

/// A unique violation on the person's address means "already registered";
/// one on the seat number would mean two bookings took the same seat, which
/// the lock prevents: it is reported as a database error, never as a booking.
fn map_unique(e: sqlx::Error) -> BookError {
    let person = match &e {
        sqlx::Error::Database(d) => {
            d.constraint().is_some_and(|c| c.contains("person"))
                || d.message().contains("email_key")
        }
        _ => false,
    };
    if is_unique_violation(&e) && person {
        BookError::AlreadyRegistered
    } else {
        BookError::Db(e)
    }
}

/// What happened to a request made through a private link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkResult {
    /// The action was done now.
    Done(Outcome),
    /// Nothing to do: the registration is already in the requested state.
    AlreadyDone,
    /// The registration can no longer change (cancelled, expired, started).
    Closed,
}

/// Begin a write transaction holding the lock of the registration's
/// session, and the registration as it is under that lock (a second click
/// may have been faster).
async fn open_registration(
    env: &Env<'_>,
    reg_id: i64,
) -> Result<(Transaction<'static, Any>, Locked, Registration), BookError> {
    let mut tx = env.db.begin_write().await?;
    let reg = reg_in(&mut tx, reg_id).await?.ok_or(BookError::NotFound)?;
    let s = lock(&mut tx, env.db, reg.session_id)
        .await?
        .ok_or(BookError::NotFound)?;
    let reg = reg_in(&mut tx, reg_id).await?.ok_or(BookError::NotFound)?;
    Ok((tx, s, reg))
}

/// Tell the person what changed, then commit.
async fn finish(
    mut tx: Transaction<'static, Any>,
    env: &Env<'_>,
    reg_id: i64,
    kind: Kind,
) -> Result<(), BookError> {
    let reg = reg_in(&mut tx, reg_id).await?.ok_or(BookError::NotFound)?;
    notify(&mut tx, env, &reg, kind).await?;
    tx.commit().await?;
    env.caches.forget();
    Ok(())
}

/// Release the seat (or queue place) of a registration, then offer freed
/// seats to the waiting list in order. `status` is what the registration
/// becomes: `cancelled` or `expired`.
async fn release(
    tx: &mut Transaction<'static, Any>,
    env: &Env<'_>,
    s: &mut Locked,
    reg: &Registration,
    status: RegistrationStatus,
    now: i64,
) -> Result<(), sqlx::Error> {
    let held_seat = reg.seat_no.is_some();
    sqlx::query(
        "UPDATE workshop_registrations SET status = $1, seat_no = NULL, offer_expires_at = NULL, cancelled_at = $2, updated_at = $2 WHERE id = $3",
    )
    .bind(status.code())
    .bind(now)
    .bind(reg.id)
    .execute(&mut **tx)
    .await?;
    if held_seat {
        sqlx::query("UPDATE workshop_sessions SET seats_taken = seats_taken - 1 WHERE id = $1")
            .bind(s.id)
            .execute(&mut **tx)
            .await?;
        s.seats_taken -= 1;
    } else if reg.status == RegistrationStatus::Waiting {
        sqlx::query("UPDATE workshop_sessions SET waiting = waiting - 1 WHERE id = $1")
            .bind(s.id)
            .execute(&mut **tx)
            .await?;
        s.waiting -= 1;
    }
    promote(tx, env, s, now).await
}

/// Offer free seats to the first people waiting, in order.
pub async fn promote(
    tx: &mut Transaction<'static, Any>,
    env: &Env<'_>,
    s: &mut Locked,
    now: i64,
) -> Result<(), sqlx::Error> {
    if s.status == SessionStatus::Cancelled.code() || now >= s.starts_at {
        return Ok(());
    }
    while s.seats_taken < s.capacity {
        let next: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM workshop_registrations WHERE session_id = $1 AND status = 'waiting' ORDER BY wait_seq LIMIT 1",
        )
        .bind(s.id)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(reg_id) = next else { break };
        let Some(seat) = free_seat(tx, s).await? else {
            break;
        };
        let expires = (now + OFFER_TTL_MS).min(s.starts_at);
        sqlx::query(
            "UPDATE workshop_registrations SET status = 'offered', seat_no = $1, offer_expires_at = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(seat)
        .bind(expires)
        .bind(now)
        .bind(reg_id)
        .execute(&mut **tx)
        .await?;
        sqlx::query(
            "UPDATE workshop_sessions SET seats_taken = seats_taken + 1, waiting = waiting - 1, last_seat = $2 WHERE id = $1",
        )
        .bind(s.id)
        .bind(s.highest_seat)
        .execute(&mut **tx)
        .await?;
        s.seats_taken += 1;
        s.waiting -= 1;
        if let Some(reg) = reg_in(tx, reg_id).await? {
            notify(tx, env, &reg, Kind::Offered).await?;
        }
    }
    Ok(())
}

/// Registrations of a session in list order: seats first, then the waiting list.
pub async fn for_session(db: &Db, session_id: i64) -> Result<Vec<Registration>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {REG_COLUMNS} FROM workshop_registrations r WHERE r.session_id = $1 \
         ORDER BY CASE r.status WHEN 'confirmed' THEN 0 WHEN 'offered' THEN 1 WHEN 'waiting' THEN 2 WHEN 'pending' THEN 3 ELSE 4 END, \
         r.wait_seq, r.name, r.id"
    ))
    .bind(session_id)
    .fetch_all(&db.pool)
    .await
}
