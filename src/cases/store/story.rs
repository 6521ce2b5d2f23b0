//! Statements of a file's page read together: what happened to the
//! business outside the file (registrations, feedback, coaching requests,
//! needs) in one statement (the activities' edit counts and audit
//! observations are read with the file's short lists, `lists.rs`).

use super::*;

/// Something that happened to a business outside its files.
#[derive(Debug, Clone)]
pub enum BusinessEvent {
    /// A workshop registration: when made, the session's start, the theme,
    /// the status and the attendance once marked.
    Registration {
        at: i64,
        starts_at: i64,
        theme: String,
        status: String,
        attendance: Option<String>,
    },
    /// Feedback after a workshop: when, satisfaction, theme.
    Feedback {
        at: i64,
        satisfaction: i64,
        theme: String,
    },
    /// A coaching request: when, where from.
    Request { at: i64, source: String },
    /// A need posted: when, its title and how many replies it had.
    Need {
        at: i64,
        title: String,
        replies: i64,
    },
}

#[derive(sqlx::FromRow)]
struct EventRow {
    k: i64,
    at: i64,
    at2: i64,
    label: String,
    status: String,
    extra: Option<String>,
    n: i64,
}

/// Registrations, feedback, coaching requests and needs of a business, in
/// that order (each in the order of its own table); theme titles in the
/// reader's language (`title` is `title_fr` or `title_en`).
pub async fn business_events(
    db: &Db,
    business_id: i64,
    title: &str,
) -> Result<Vec<BusinessEvent>, sqlx::Error> {
    let rows: Vec<EventRow> = sqlx::query_as(&format!(
        "SELECT CAST(1 AS BIGINT) AS k, r.created_at AS at, s.starts_at AS at2, t.{title} AS label, r.status AS status, \
         r.attendance AS extra, CAST(0 AS BIGINT) AS n, r.id AS o FROM workshop_registrations r \
         JOIN workshop_sessions s ON s.id = r.session_id JOIN themes t ON t.id = s.theme_id WHERE r.business_id = $1 \
         UNION ALL SELECT CAST(2 AS BIGINT), f.created_at, CAST(0 AS BIGINT), t.{title}, '', CAST(NULL AS TEXT), \
         CAST(f.satisfaction AS BIGINT), f.registration_id FROM workshop_feedback f \
         JOIN workshop_registrations r ON r.id = f.registration_id JOIN workshop_sessions s ON s.id = f.session_id \
         JOIN themes t ON t.id = s.theme_id WHERE r.business_id = $1 \
         UNION ALL SELECT CAST(3 AS BIGINT), q.created_at, CAST(0 AS BIGINT), '', q.source, CAST(NULL AS TEXT), \
         CAST(0 AS BIGINT), q.id FROM coaching_requests q WHERE q.business_id = $1 \
         UNION ALL SELECT CAST(4 AS BIGINT), n.created_at, CAST(0 AS BIGINT), n.title, n.status, CAST(NULL AS TEXT), \
         (SELECT COUNT(*) FROM need_replies x WHERE x.need_id = n.id), n.id FROM needs n WHERE n.business_id = $1 \
         ORDER BY 1, 2, 8"
    ))
    .bind(business_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| match r.k {
            1 => BusinessEvent::Registration {
                at: r.at,
                starts_at: r.at2,
                theme: r.label,
                status: r.status,
                attendance: r.extra,
            },
            2 => BusinessEvent::Feedback {
                at: r.at,
                satisfaction: r.n,
                theme: r.label,
            },
            3 => BusinessEvent::Request {
                at: r.at,
                source: r.status,
            },
            _ => BusinessEvent::Need {
                at: r.at,
                title: r.label,
                replies: r.n,
            },
        })
        .collect())
}

/// An audit observation: (activity, dimension, note).
pub type Observation = (i64, String, String);
