//! A file page's short lists in one statement: coaching time, the history
//! of advisers in charge, the latest staff reads, documents, contributors,
//! requests to contribute, the activities' edit counts and audit
//! observations, and the page's choices (advisers, active partner bodies).
//! Each kind of row is tagged and carried in the same columns, then sorted
//! here as each list is shown.

use std::collections::HashMap;

use super::{Document, Hours, Observation};
use crate::db::Db;

/// How many staff reads of a file its page lists (the latest).
pub const READS_SHOWN: i64 = 20;

/// The short lists of one file's page.
#[derive(Debug, Default)]
pub struct FileLists {
    /// Coaching time, oldest first.
    pub hours: Vec<Hours>,
    /// (adviser in charge, who assigned, when), oldest first.
    pub assignments: Vec<(Option<String>, Option<String>, i64)>,
    /// The latest staff reads: (who, when), newest first.
    pub reads: Vec<(Option<String>, i64)>,
    /// Every document (the staff's view), oldest first.
    pub documents: Vec<Document>,
    /// Contributors' names, in alphabetical order.
    pub contributors: Vec<String>,
    /// Pending requests to contribute: (adviser, name, when asked).
    pub requests: Vec<(i64, String, i64)>,
    /// Activity → how many times it was edited (edited ones only).
    pub edits: HashMap<i64, i64>,
    /// The audit reports' observations, by activity.
    pub observations: Vec<Observation>,
    /// Everyone who may be put in charge of a file, by name.
    pub advisers: Vec<(i64, String)>,
    /// The active partner bodies a file may be referred to, by name.
    pub bodies: Vec<(i64, String)>,
}

/// One tagged row: (kind, id, n1, n2, n3, at, t1, t2, t3).
type Tagged = (
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
);

const HOURS: i64 = 1;
const ASSIGNMENT: i64 = 2;
const READ: i64 = 3;
const DOCUMENT: i64 = 4;
const CONTRIBUTOR: i64 = 5;
const REQUEST: i64 = 6;
const EDITS: i64 = 7;
const OBSERVATION: i64 = 8;
const ADVISER: i64 = 9;
const BODY: i64 = 10;

/// Read the lists of file `case_id` in one statement.
pub async fn file_lists(db: &Db, case_id: i64) -> Result<FileLists, sqlx::Error> {
    let rows: Vec<Tagged> = sqlx::query_as(&format!(
        "SELECT CAST({HOURS} AS BIGINT), h.id, h.planned_minutes, h.delivered_minutes, h.amount_cents, h.created_at, \
         CAST(h.funder AS TEXT), CAST(h.reference AS TEXT), CAST(NULL AS TEXT) FROM case_hours h WHERE h.case_id = $1 \
         UNION ALL SELECT {ASSIGNMENT}, a.id, NULL, NULL, NULL, a.at, u.display_name, w.display_name, NULL \
         FROM case_assignments a LEFT JOIN users u ON u.id = a.adviser_id LEFT JOIN users w ON w.id = a.by_user \
         WHERE a.case_id = $1 \
         UNION ALL SELECT {READ}, lr.id, NULL, NULL, NULL, lr.at, lr.display_name, NULL, NULL FROM ( \
         SELECT r.id, r.at, u.display_name FROM case_reads r LEFT JOIN users u ON u.id = r.user_id \
         WHERE r.case_id = $1 ORDER BY r.at DESC, r.id DESC LIMIT {READS_SHOWN}) lr \
         UNION ALL SELECT {DOCUMENT}, d.id, d.size, d.shared, NULL, d.created_at, d.name, d.mime, u.display_name \
         FROM case_documents d LEFT JOIN users u ON u.id = d.author_id WHERE d.case_id = $1 \
         UNION ALL SELECT {CONTRIBUTOR}, c.user_id, NULL, NULL, NULL, NULL, u.display_name, NULL, NULL \
         FROM case_contributors c JOIN users u ON u.id = c.user_id WHERE c.case_id = $1 \
         UNION ALL SELECT {REQUEST}, q.user_id, NULL, NULL, NULL, q.asked_at, u.display_name, NULL, NULL \
         FROM case_contribution_requests q JOIN users u ON u.id = q.user_id WHERE q.case_id = $1 \
         UNION ALL SELECT {EDITS}, r.activity_id, COUNT(*), NULL, NULL, NULL, NULL, NULL, NULL \
         FROM case_activity_revisions r JOIN case_activities a ON a.id = r.activity_id WHERE a.case_id = $1 \
         GROUP BY r.activity_id \
         UNION ALL SELECT {OBSERVATION}, o.activity_id, NULL, NULL, NULL, NULL, o.dimension, o.note, NULL \
         FROM case_observations o JOIN case_activities a ON a.id = o.activity_id WHERE a.case_id = $1 \
         UNION ALL SELECT {ADVISER}, ad.id, NULL, NULL, NULL, NULL, ad.display_name, NULL, NULL FROM ( \
         SELECT DISTINCT u.id, u.display_name FROM users u JOIN user_roles ur ON ur.user_id = u.id \
         WHERE ur.role IN ('adviser', 'admin') AND u.disabled_at IS NULL) ad \
         UNION ALL SELECT {BODY}, b.id, NULL, NULL, NULL, NULL, b.name, NULL, NULL \
         FROM referral_bodies b WHERE b.active = 1"
    ))
    .bind(case_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(sorted(rows))
}

/// Each row to its list, each list in the order the page shows it.
fn sorted(rows: Vec<Tagged>) -> FileLists {
    let mut out = FileLists::default();
    let mut reads = vec![];
    let mut assignments = vec![];
    for (kind, id, n1, n2, n3, at, t1, t2, t3) in rows {
        let at_ = at.unwrap_or(0);
        match kind {
            HOURS => out.hours.push(Hours {
                id,
                funder: t1.unwrap_or_default(),
                planned_minutes: n1.unwrap_or(0),
                delivered_minutes: n2.unwrap_or(0),
                amount_cents: n3,
                reference: t2.unwrap_or_default(),
                created_at: at_,
            }),
            ASSIGNMENT => assignments.push((at_, id, t1, t2)),
            READ => reads.push((at_, id, t1)),
            DOCUMENT => out.documents.push(Document {
                id,
                name: t1.unwrap_or_default(),
                mime: t2.unwrap_or_default(),
                size: n1.unwrap_or(0),
                shared: n2.unwrap_or(0),
                author_name: t3,
                created_at: at_,
            }),
            CONTRIBUTOR => out.contributors.push(t1.unwrap_or_default()),
            REQUEST => out.requests.push((id, t1.unwrap_or_default(), at_)),
            EDITS => {
                out.edits.insert(id, n1.unwrap_or(0));
            }
            OBSERVATION => {
                out.observations
                    .push((id, t1.unwrap_or_default(), t2.unwrap_or_default()))
            }
            ADVISER => out.advisers.push((id, t1.unwrap_or_default())),
            BODY => out.bodies.push((id, t1.unwrap_or_default())),
            _ => {}
        }
    }
    out.hours.sort_by_key(|h| (h.created_at, h.id));
    out.documents.sort_by_key(|d| (d.created_at, d.id));
    out.contributors.sort();
    out.requests.sort_by_key(|r| r.2);
    out.observations.sort_by_key(|o| o.0);
    for names in [&mut out.advisers, &mut out.bodies] {
        names.sort_by(|a, b| (&a.1, a.0).cmp(&(&b.1, b.0)));
    }
    assignments.sort_by_key(|a| (a.0, a.1));
    out.assignments = assignments
        .into_iter()
        .map(|(at, _, a, b)| (a, b, at))
        .collect();
    reads.sort_by_key(|r| std::cmp::Reverse((r.0, r.1)));
    out.reads = reads.into_iter().map(|(at, _, u)| (u, at)).collect();
    out
}
