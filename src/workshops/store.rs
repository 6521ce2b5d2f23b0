//! Every SQL statement of the workshop pages (booking's seat and waiting-list
//! statements stay in `booking.rs`, beside the rules they guard). Functions
//! take `&Db` or a transaction; rows are read through `sqlx::FromRow`.

use sqlx::{Any, Transaction};

use super::booking::{Registration, REG_COLUMNS};
use super::forms::{Feedback, Valid};
use super::model::{AgendaQuery, Sector, Session, Speaker};
use crate::db::{now_ms, Db};
use crate::i18n::Locale;
use crate::kernel::bilingual::column;

/// Columns of a [`Session`] (the one column list of a session).
pub const SESSION_COLUMNS: &str = "s.id, s.theme_id, t.slug AS theme_slug, t.title_fr AS theme_title_fr, \
    t.title_en AS theme_title_en, s.format, s.title_fr, s.title_en, s.description_fr, s.description_en, \
    s.starts_at, s.ends_at, s.venue, s.address, s.commune_code, c.name_fr AS commune_fr, \
    c.name_en AS commune_en, s.online_url, s.capacity, s.seats_taken, s.waiting, s.partner_id, \
    p.name AS partner_name, s.planned_coaching, s.status, s.cancel_reason, s.sequence, s.slides_name, \
    s.version, s.updated_at";

/// Tables joined for [`SESSION_COLUMNS`].
pub const SESSION_FROM: &str = "workshop_sessions s JOIN themes t ON t.id = s.theme_id \
    LEFT JOIN territories c ON c.code = s.commune_code LEFT JOIN partners p ON p.id = s.partner_id";

/// Load one session.
pub async fn get(db: &Db, id: i64) -> Result<Option<Session>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {SESSION_COLUMNS} FROM {SESSION_FROM} WHERE s.id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

/// Load one session inside a transaction.
pub async fn get_in(
    tx: &mut Transaction<'static, Any>,
    id: i64,
) -> Result<Option<Session>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {SESSION_COLUMNS} FROM {SESSION_FROM} WHERE s.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Speakers of a session, by name.
pub async fn speakers(db: &Db, session_id: i64) -> Result<Vec<Speaker>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.display_name AS name FROM workshop_speakers w JOIN users u ON u.id = w.user_id \
         WHERE w.session_id = $1 ORDER BY u.display_name",
    )
    .bind(session_id)
    .fetch_all(&db.pool)
    .await
}

/// Target sectors of a session, by code.
pub async fn sectors(db: &Db, session_id: i64) -> Result<Vec<Sector>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.code, s.name_fr, s.name_en FROM workshop_sectors w JOIN sectors s ON s.code = w.sector_code \
         WHERE w.session_id = $1 ORDER BY s.code",
    )
    .bind(session_id)
    .fetch_all(&db.pool)
    .await
}

/// True when `user_id` speaks at the session.
pub async fn is_speaker(db: &Db, session_id: i64, user_id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM workshop_speakers WHERE session_id = $1 AND user_id = $2",
    )
    .bind(session_id)
    .bind(user_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(n > 0)
}

/// The WHERE clause of an agenda query with its text binds, then its number binds.
fn agenda_where(q: &AgendaQuery) -> (String, Vec<String>, Vec<i64>) {
    // Text binds come first ($1…), then numbers; the clause is assembled in order.
    let mut clauses: Vec<String> = vec![];
    let mut texts: Vec<String> = vec![];
    let mut numbers: Vec<i64> = vec![];
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    if let Some(t) = &q.theme {
        clauses.push(format!("t.slug = {}", next()));
        texts.push(t.clone());
    }
    if let Some(t) = &q.territory {
        clauses.push(format!(
            "s.commune_code IN (WITH RECURSIVE sub(code) AS (SELECT code FROM territories WHERE code = {} \
             UNION ALL SELECT x.code FROM territories x JOIN sub ON x.parent_code = sub.code) SELECT code FROM sub)",
            next()
        ));
        texts.push(t.clone());
    }
    if let Some(sct) = &q.sector {
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM workshop_sectors w WHERE w.session_id = s.id AND w.sector_code = {})",
            next()
        ));
        texts.push(sct.clone());
    }
    if let Some(f) = q.format {
        clauses.push(format!("s.format = {}", next()));
        texts.push(f.code().to_string());
    }
    if q.past {
        clauses.push(format!("s.ends_at <= {}", next()));
    } else {
        clauses.push(format!("s.ends_at > {}", next()));
    }
    numbers.push(q.now);
    if let Some(f) = q.from_ms {
        clauses.push(format!("s.starts_at >= {}", next()));
        numbers.push(f);
    }
    if let Some(t) = q.to_ms {
        clauses.push(format!("s.starts_at < {}", next()));
        numbers.push(t);
    }
    if let Some(p) = q.programme {
        clauses.push(format!("s.programme_id = {}", next()));
        numbers.push(p);
    }
    if !q.include_cancelled {
        clauses.push("s.status = 'scheduled'".into());
    }
    (clauses.join(" AND "), texts, numbers)
}

/// One page of the agenda and the total count.
pub async fn agenda(
    db: &Db,
    q: &AgendaQuery,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Session>, i64), sqlx::Error> {
    let (clause, texts, numbers) = agenda_where(q);
    let order = if q.past {
        "s.starts_at DESC, s.id DESC"
    } else {
        "s.starts_at, s.id"
    };
    // The page and the count in one statement (limit and offset bound: one
    // prepared statement per filter). Matches are counted and sorted by id
    // alone and only the page is read whole (whole rows: 7-12 ms a region).
    let at = texts.len() + numbers.len();
    let sql = format!(
        "SELECT {SESSION_COLUMNS}, page.total FROM {SESSION_FROM} JOIN ( \
         SELECT s.id, COUNT(*) OVER () AS total FROM workshop_sessions s JOIN themes t ON t.id = s.theme_id \
         WHERE {clause} ORDER BY {order} LIMIT ${} OFFSET ${}) page ON page.id = s.id ORDER BY {order}",
        at + 1,
        at + 2
    );
    let rows = bound(&sql, &texts, &numbers)
        .bind(limit)
        .bind(offset)
        .fetch_all(&db.pool)
        .await?;
    let total = match rows.first() {
        Some(r) => sqlx::Row::try_get(r, "total")?,
        // A page past the end: count alone.
        None if offset > 0 => {
            let count_sql = format!(
                "SELECT COUNT(*) AS total FROM workshop_sessions s JOIN themes t ON t.id = s.theme_id WHERE {clause}"
            );
            let row = bound(&count_sql, &texts, &numbers)
                .fetch_one(&db.pool)
                .await?;
            sqlx::Row::try_get(&row, "total")?
        }
        None => 0,
    };
    let sessions = rows
        .iter()
        .map(<Session as sqlx::FromRow<sqlx::any::AnyRow>>::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((sessions, total))
}

/// `sql` with the agenda filter's texts, then numbers, bound.
fn bound<'q>(
    sql: &'q str,
    texts: &[String],
    numbers: &[i64],
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    let mut query = sqlx::query(sql);
    for t in texts {
        query = query.bind(t.clone());
    }
    for n in numbers {
        query = query.bind(*n);
    }
    query
}

/// Every session matching (for calendar feeds), soonest first.
pub async fn all_matching(db: &Db, q: &AgendaQuery) -> Result<Vec<Session>, sqlx::Error> {
    let (clause, texts, numbers) = agenda_where(q);
    let sql = format!(
        "SELECT {SESSION_COLUMNS} FROM {SESSION_FROM} WHERE {clause} ORDER BY s.starts_at, s.id"
    );
    let mut query = sqlx::query_as::<_, Session>(&sql);
    for t in &texts {
        query = query.bind(t);
    }
    for n in &numbers {
        query = query.bind(*n);
    }
    query.fetch_all(&db.pool).await
}

/// Sessions a person speaks at, latest first.
pub async fn for_speaker(db: &Db, user_id: i64) -> Result<Vec<Session>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {SESSION_COLUMNS} FROM {SESSION_FROM} JOIN workshop_speakers w ON w.session_id = s.id \
         WHERE w.user_id = $1 ORDER BY s.starts_at DESC"
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}

/// Sessions not over yet, soonest first (managers' list).
pub async fn upcoming(db: &Db, now: i64, limit: i64) -> Result<Vec<Session>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {SESSION_COLUMNS} FROM {SESSION_FROM} WHERE s.ends_at > $1 ORDER BY s.starts_at, s.id LIMIT {limit}"
    ))
    .bind(now)
    .fetch_all(&db.pool)
    .await
}

/// Sessions over, latest first (managers' list).
pub async fn past(db: &Db, now: i64, limit: i64) -> Result<Vec<Session>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {SESSION_COLUMNS} FROM {SESSION_FROM} WHERE s.ends_at <= $1 \
         ORDER BY s.starts_at DESC, s.id DESC LIMIT {limit}"
    ))
    .bind(now)
    .fetch_all(&db.pool)
    .await
}

// ---------------------------------------------------------------------------
// Menus

/// Themes that have sessions: (slug, title), by title.
pub async fn themes_in_use(db: &Db, locale: Locale) -> Result<Vec<(String, String)>, sqlx::Error> {
    let col = column(locale, "title_fr", "title_en");
    sqlx::query_as(&format!(
        "SELECT slug, {col} FROM themes WHERE archived = 0 AND id IN (SELECT theme_id FROM workshop_sessions) ORDER BY {col}"
    ))
    .fetch_all(&db.pool)
    .await
}

/// Territories that hold sessions, with every level above them: (code, name, level).
pub async fn territories_in_use(
    db: &Db,
    locale: Locale,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    let col = column(locale, "name_fr", "name_en");
    sqlx::query_as(&format!(
        "WITH RECURSIVE up(code) AS (SELECT DISTINCT commune_code FROM workshop_sessions WHERE commune_code IS NOT NULL \
         UNION SELECT t.parent_code FROM territories t JOIN up ON t.code = up.code WHERE t.parent_code IS NOT NULL) \
         SELECT t.code, t.{col}, t.level FROM territories t JOIN up ON up.code = t.code ORDER BY t.{col}"
    ))
    .fetch_all(&db.pool)
    .await
}

/// Sectors some session targets: (code, name), by code.
pub async fn sectors_in_use(db: &Db, locale: Locale) -> Result<Vec<(String, String)>, sqlx::Error> {
    let col = column(locale, "name_fr", "name_en");
    sqlx::query_as(&format!(
        "SELECT s.code, s.{col} FROM sectors s WHERE s.code IN (SELECT sector_code FROM workshop_sectors) ORDER BY s.code"
    ))
    .fetch_all(&db.pool)
    .await
}

/// Themes not archived: (id, title), by title.
pub async fn active_themes(db: &Db, locale: Locale) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let col = column(locale, "title_fr", "title_en");
    sqlx::query_as(&format!(
        "SELECT id, {col} FROM themes WHERE archived = 0 ORDER BY {col}"
    ))
    .fetch_all(&db.pool)
    .await
}

/// Partners: (id, name), by name.
pub async fn partners(db: &Db) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, name FROM partners ORDER BY name")
        .fetch_all(&db.pool)
        .await
}

/// People who may speak: speakers, advisers and administrators still active.
pub async fn speaker_candidates(db: &Db) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT DISTINCT u.id, u.display_name FROM users u JOIN user_roles r ON r.user_id = u.id \
         WHERE r.role IN ('speaker', 'adviser', 'admin') AND u.disabled_at IS NULL ORDER BY u.display_name",
    )
    .fetch_all(&db.pool)
    .await
}

/// The id of a theme by its slug.
pub async fn theme_id(db: &Db, slug: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM themes WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await
}

// ---------------------------------------------------------------------------
// Writing sessions

/// Store a new scheduled session with its speakers and sectors; returns its id.
pub async fn insert_session(
    tx: &mut Transaction<'static, Any>,
    v: &Valid,
    programme_id: Option<i64>,
    created_by: Option<i64>,
) -> Result<i64, sqlx::Error> {
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO workshop_sessions (programme_id, theme_id, format, title_fr, title_en, description_fr, description_en, \
         starts_at, ends_at, venue, address, commune_code, online_url, capacity, partner_id, planned_coaching, status, \
         created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'scheduled', $17, $18, $18) RETURNING id",
    )
    .bind(programme_id)
    .bind(v.theme_id)
    .bind(v.format.code())
    .bind(&v.title_fr)
    .bind(&v.title_en)
    .bind(&v.description_fr)
    .bind(&v.description_en)
    .bind(v.starts_at)
    .bind(v.ends_at)
    .bind(&v.venue)
    .bind(&v.address)
    .bind(v.commune_code.as_deref())
    .bind(&v.online_url)
    .bind(v.capacity)
    .bind(v.partner_id)
    .bind(v.planned_coaching)
    .bind(created_by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    set_people(tx, id, &v.speakers, &v.sectors).await?;
    Ok(id)
}

/// Replace a session's speakers and target sectors.
pub async fn set_people(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    speakers: &[i64],
    sectors: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM workshop_speakers WHERE session_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM workshop_sectors WHERE session_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let mut seen = vec![];
    for s in speakers {
        if seen.contains(s) {
            continue;
        }
        seen.push(*s);
        sqlx::query("INSERT INTO workshop_speakers (session_id, user_id) VALUES ($1, $2)")
            .bind(id)
            .bind(s)
            .execute(&mut **tx)
            .await?;
    }
    for code in sectors {
        sqlx::query("INSERT INTO workshop_sectors (session_id, sector_code) VALUES ($1, $2)")
            .bind(id)
            .bind(code)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The edit version of a session (under the caller's lock).
pub async fn version_in(tx: &mut Transaction<'static, Any>, id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT version FROM workshop_sessions WHERE id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await
}

/// Save an edited session (not its capacity: booking changes that under
/// the lock); `moved` bumps the calendar sequence.
pub async fn update_session(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    v: &Valid,
    moved: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE workshop_sessions SET theme_id = $1, format = $2, title_fr = $3, title_en = $4, description_fr = $5, \
         description_en = $6, starts_at = $7, ends_at = $8, venue = $9, address = $10, commune_code = $11, online_url = $12, \
         partner_id = $13, planned_coaching = $14, sequence = sequence + $15, version = version + 1, updated_at = $16 WHERE id = $17",
    )
    .bind(v.theme_id)
    .bind(v.format.code())
    .bind(&v.title_fr)
    .bind(&v.title_en)
    .bind(&v.description_fr)
    .bind(&v.description_en)
    .bind(v.starts_at)
    .bind(v.ends_at)
    .bind(&v.venue)
    .bind(&v.address)
    .bind(v.commune_code.as_deref())
    .bind(&v.online_url)
    .bind(v.partner_id)
    .bind(v.planned_coaching)
    .bind(i64::from(moved))
    .bind(now_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    set_people(tx, id, &v.speakers, &v.sectors).await
}

/// Registrations of a session that still count.
pub async fn active_registrations(db: &Db, session_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM workshop_registrations WHERE session_id = $1 AND status IN ('pending', 'confirmed', 'offered', 'waiting')",
    )
    .bind(session_id)
    .fetch_one(&db.pool)
    .await
}

/// A session's slides file.
#[derive(Debug, sqlx::FromRow)]
pub struct Slides {
    pub slides_name: String,
    pub slides_mime: String,
    pub slides: Vec<u8>,
}

/// The slides of a session, once uploaded.
pub async fn slides(db: &Db, id: i64) -> Result<Option<Slides>, sqlx::Error> {
    sqlx::query_as(
        "SELECT slides_name, slides_mime, slides FROM workshop_sessions WHERE id = $1 AND slides IS NOT NULL",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

/// Keep a PDF as the session's slides.
pub async fn save_slides(db: &Db, id: i64, name: &str, bytes: Vec<u8>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE workshop_sessions SET slides_name = $1, slides_mime = 'application/pdf', slides = $2, slides_at = $3 WHERE id = $4",
    )
    .bind(name)
    .bind(bytes)
    .bind(now_ms())
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Registrations seen by staff

/// One registration.
pub async fn registration(db: &Db, id: i64) -> Result<Option<Registration>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {REG_COLUMNS} FROM workshop_registrations r WHERE r.id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

/// The active registration of an address on a session (the person's own,
/// shown instead of the form when they come back signed in).
pub async fn active_registration_of(
    db: &Db,
    session_id: i64,
    email: &str,
) -> Result<Option<Registration>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {REG_COLUMNS} FROM workshop_registrations r WHERE r.session_id = $1 AND r.email_key = $2 \
         AND r.status IN ('pending', 'confirmed', 'offered', 'waiting') ORDER BY r.id DESC LIMIT 1"
    ))
    .bind(session_id)
    .bind(email.to_lowercase())
    .fetch_optional(&db.pool)
    .await
}

/// Attach a registration to a business of the register (or detach it with
/// `None`); false when no such registration belongs to the session.
pub async fn link_business(
    db: &Db,
    session_id: i64,
    reg_id: i64,
    business: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE workshop_registrations SET business_id = $1, updated_at = $2 WHERE id = $3 AND session_id = $4",
    )
    .bind(business)
    .bind(now_ms())
    .bind(reg_id)
    .bind(session_id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A session with its attendance counts, for the sessions export.
#[derive(Debug, sqlx::FromRow)]
pub struct SessionFigures {
    #[sqlx(flatten)]
    pub session: Session,
    pub present: i64,
    pub absent: i64,
    pub excused: i64,
}

/// Every session with its attendance counts, soonest first.
pub async fn sessions_with_attendance(db: &Db) -> Result<Vec<SessionFigures>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {SESSION_COLUMNS}, (SELECT COUNT(*) FROM workshop_registrations r WHERE r.session_id = s.id AND r.attendance = 'present') AS present, \
         (SELECT COUNT(*) FROM workshop_registrations r WHERE r.session_id = s.id AND r.attendance = 'absent') AS absent, \
         (SELECT COUNT(*) FROM workshop_registrations r WHERE r.session_id = s.id AND r.attendance = 'excused') AS excused \
         FROM {SESSION_FROM} ORDER BY s.starts_at, s.id"
    ))
    .fetch_all(&db.pool)
    .await
}

/// A registration with what the registrations export shows of its session.
#[derive(Debug, sqlx::FromRow)]
pub struct RegistrationLine {
    #[sqlx(flatten)]
    pub reg: Registration,
    pub starts_at: i64,
    pub s_title_fr: String,
    pub s_title_en: String,
    pub t_title_fr: String,
    pub t_title_en: String,
    pub commune_fr: Option<String>,
    pub commune_en: Option<String>,
}

/// Registrations of one session, or of all, in session order.
pub async fn registration_lines(
    db: &Db,
    session: Option<i64>,
) -> Result<Vec<RegistrationLine>, sqlx::Error> {
    let filter = if session.is_some() {
        "WHERE r.session_id = $1"
    } else {
        "WHERE r.session_id > $1"
    };
    sqlx::query_as(&format!(
        "SELECT {REG_COLUMNS}, s.starts_at, s.title_fr AS s_title_fr, s.title_en AS s_title_en, t.title_fr AS t_title_fr, \
         t.title_en AS t_title_en, c.name_fr AS commune_fr, c.name_en AS commune_en \
         FROM workshop_registrations r JOIN workshop_sessions s ON s.id = r.session_id JOIN themes t ON t.id = s.theme_id \
         LEFT JOIN territories c ON c.code = s.commune_code {filter} ORDER BY s.starts_at, r.session_id, r.id"
    ))
    .bind(session.unwrap_or(0))
    .fetch_all(&db.pool)
    .await
}

/// True when the registration belongs to the session.
pub async fn belongs(db: &Db, session_id: i64, reg_id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM workshop_registrations WHERE id = $1 AND session_id = $2",
    )
    .bind(reg_id)
    .bind(session_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}

// ---------------------------------------------------------------------------
// Feedback

/// True when the registrant already gave feedback.
pub async fn feedback_given(db: &Db, reg_id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM workshop_feedback WHERE registration_id = $1")
            .bind(reg_id)
            .fetch_one(&db.pool)
            .await?;
    Ok(n > 0)
}

/// Store feedback and the themes asked for next (unknown themes are
/// skipped). A second answer fails on the unique registration id.
pub async fn insert_feedback(
    tx: &mut Transaction<'static, Any>,
    reg: &Registration,
    f: &Feedback,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO workshop_feedback (registration_id, session_id, satisfaction, usefulness, comment, wants_coaching, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(reg.id)
    .bind(reg.session_id)
    .bind(f.satisfaction)
    .bind(f.usefulness)
    .bind(&f.comment)
    .bind(i64::from(f.coaching))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    for theme in &f.themes {
        let known: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM themes WHERE id = $1")
            .bind(theme)
            .fetch_one(&mut **tx)
            .await?;
        if known > 0 {
            sqlx::query(
                "INSERT INTO workshop_feedback_themes (registration_id, theme_id) VALUES ($1, $2)",
            )
            .bind(reg.id)
            .bind(theme)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Feedback figures of one past session, for the feedback report.
#[derive(Debug, sqlx::FromRow)]
pub struct SessionFeedback {
    pub id: i64,
    pub starts_at: i64,
    pub planned_coaching: i64,
    pub title_fr: String,
    pub title_en: String,
    pub theme_id: i64,
    pub theme: String,
    pub commune: Option<String>,
    pub present: i64,
    pub responses: i64,
    pub sat: i64,
    pub use_sum: i64,
    pub coaching: i64,
}

/// Sessions held (not cancelled, started before `now`), latest first.
pub async fn feedback_by_session(
    db: &Db,
    locale: Locale,
    now: i64,
) -> Result<Vec<SessionFeedback>, sqlx::Error> {
    let col = column(locale, "title_fr", "title_en");
    let ccol = column(locale, "name_fr", "name_en");
    sqlx::query_as(&format!(
        "SELECT s.id, s.starts_at, s.planned_coaching, s.title_fr, s.title_en, t.id AS theme_id, t.{col} AS theme, c.{ccol} AS commune, \
         (SELECT COUNT(*) FROM workshop_registrations r WHERE r.session_id = s.id AND r.attendance = 'present') AS present, \
         (SELECT COUNT(*) FROM workshop_feedback f WHERE f.session_id = s.id) AS responses, \
         (SELECT CAST(COALESCE(SUM(f.satisfaction), 0) AS BIGINT) FROM workshop_feedback f WHERE f.session_id = s.id) AS sat, \
         (SELECT CAST(COALESCE(SUM(f.usefulness), 0) AS BIGINT) FROM workshop_feedback f WHERE f.session_id = s.id) AS use_sum, \
         (SELECT COUNT(*) FROM coaching_requests q WHERE q.session_id = s.id) AS coaching \
         FROM workshop_sessions s JOIN themes t ON t.id = s.theme_id LEFT JOIN territories c ON c.code = s.commune_code \
         WHERE s.status = 'scheduled' AND s.starts_at <= $1 ORDER BY s.starts_at DESC LIMIT 500"
    ))
    .bind(now)
    .fetch_all(&db.pool)
    .await
}

/// NACE divisions' sections, and the sections' names, for grouping the
/// sector checkboxes: ((division, section), (section, name)).
pub async fn sector_sections(
    db: &Db,
    locale: Locale,
) -> Result<(Vec<(String, String)>, Vec<(String, String)>), sqlx::Error> {
    let col = column(locale, "name_fr", "name_en");
    let parents: Vec<(String, String)> = sqlx::query_as(
        "SELECT code, COALESCE(parent_code, '') FROM sectors WHERE level = 'division'",
    )
    .fetch_all(&db.pool)
    .await?;
    let sections: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT code, {col} FROM sectors WHERE level = 'section' ORDER BY code"
    ))
    .fetch_all(&db.pool)
    .await?;
    Ok((parents, sections))
}

/// A comment left in a feedback form, with the session it is about.
#[derive(Debug, sqlx::FromRow)]
pub struct FeedbackComment {
    pub session_id: i64,
    pub starts_at: i64,
    pub theme: String,
    pub satisfaction: i64,
    pub comment: String,
}

/// Every non-empty feedback comment of held sessions, latest session first.
pub async fn feedback_comments(
    db: &Db,
    locale: Locale,
) -> Result<Vec<FeedbackComment>, sqlx::Error> {
    let col = column(locale, "title_fr", "title_en");
    sqlx::query_as(&format!(
        "SELECT s.id AS session_id, s.starts_at, t.{col} AS theme, f.satisfaction, f.comment \
         FROM workshop_feedback f JOIN workshop_sessions s ON s.id = f.session_id JOIN themes t ON t.id = s.theme_id \
         WHERE f.comment <> '' ORDER BY s.starts_at DESC, f.created_at LIMIT 2000"
    ))
    .fetch_all(&db.pool)
    .await
}

/// The feedback comments of one session: (satisfaction, comment).
pub async fn session_comments(db: &Db, session_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT satisfaction, comment FROM workshop_feedback WHERE session_id = $1 AND comment <> '' ORDER BY created_at",
    )
    .bind(session_id)
    .fetch_all(&db.pool)
    .await
}

/// How often a theme was asked for next, by the commune of the session.
#[derive(Debug, sqlx::FromRow)]
pub struct WantedTheme {
    pub commune_code: Option<String>,
    pub theme: String,
    pub n: i64,
}

/// Themes asked for next, grouped by the commune of the session attended.
pub async fn wanted_themes(db: &Db, locale: Locale) -> Result<Vec<WantedTheme>, sqlx::Error> {
    let col = column(locale, "title_fr", "title_en");
    sqlx::query_as(&format!(
        "SELECT s.commune_code, t.{col} AS theme, COUNT(*) AS n FROM workshop_feedback_themes w \
         JOIN workshop_feedback f ON f.registration_id = w.registration_id \
         JOIN workshop_sessions s ON s.id = f.session_id JOIN themes t ON t.id = w.theme_id \
         GROUP BY s.commune_code, t.{col}"
    ))
    .fetch_all(&db.pool)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workshops::model::Format;

    #[test]
    fn agenda_binds_texts_before_numbers() {
        let q = AgendaQuery {
            theme: Some("site-vitrine".into()),
            format: Some(Format::HalfDay),
            from_ms: Some(5),
            now: 1,
            ..Default::default()
        };
        let (clause, texts, numbers) = agenda_where(&q);
        assert!(clause.starts_with("t.slug = $1 AND s.format = $2 AND s.ends_at > $3"));
        assert!(clause.contains("s.starts_at >= $4"));
        assert_eq!(texts, ["site-vitrine", "halfday"]);
        assert_eq!(numbers, [1, 5]);
    }
}
