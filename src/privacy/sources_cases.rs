//! Follow-up files, grant applications and testimonies in a person's
//! export and erasure (the SQL lives here, not in `cases`, so the cases
//! feature keeps its own store).
//!
//! A file belongs to a business: a person's files are those of the
//! businesses they are a member or contact of. Erasing keeps what the
//! indicators count (dates, status, outcome, hours, kinds and minutes of
//! activities, scores before and after) and deletes free text, documents
//! and observations. When the person is the only contact of the business,
//! its files are theirs and their free text goes; when others remain, only
//! the person's name is taken out of the attendees.

use super::model::{Hold, ERASED_NAME};
use super::sources::{exec, Bind, By, Read, Subject};
use super::store::Tx;
use crate::db::Db;

/// Businesses of which `$1` (address) / `$2` (account) is a member or contact.
pub(super) const MINE: &str = "SELECT business_id FROM business_members WHERE user_id = $2 UNION SELECT business_id FROM people WHERE LOWER(email) = $1 OR user_id = $2";

/// Businesses of which the person is the only member and contact.
fn sole() -> String {
    format!(
        "SELECT b.id FROM businesses b WHERE b.id IN ({MINE}) \
         AND NOT EXISTS (SELECT 1 FROM business_members o WHERE o.business_id = b.id AND o.user_id <> $2) \
         AND NOT EXISTS (SELECT 1 FROM people p WHERE p.business_id = b.id AND LOWER(p.email) <> $1 AND (p.user_id IS NULL OR p.user_id <> $2))"
    )
}

/// Grant applications still open (a legal hold: proofs must be kept).
const OPEN_APPLICATION: &str = "status IN ('prepared', 'submitted', 'obtained')";

/// The tables read for a person's follow-up files.
pub(super) fn reads_cases() -> Vec<Read> {
    vec![
        Read { table: "cases", by: By::Both, sql: "SELECT c.id, c.business_id, c.origin, c.status, c.outcome, c.summary, c.opened_at, c.closed_at FROM cases c WHERE c.business_id IN (SELECT business_id FROM business_members WHERE user_id = $2 UNION SELECT business_id FROM people WHERE LOWER(email) = $1 OR user_id = $2) ORDER BY c.opened_at" },
        Read { table: "case_activities", by: By::Both, sql: "SELECT a.id, a.case_id, a.kind, a.title, a.body, a.due_at, a.happened_at, a.minutes, a.place, a.online, a.attendees, a.shared FROM case_activities a JOIN cases c ON c.id = a.case_id WHERE c.business_id IN (SELECT business_id FROM business_members WHERE user_id = $2 UNION SELECT business_id FROM people WHERE LOWER(email) = $1 OR user_id = $2) ORDER BY a.case_id, a.id" },
        Read { table: "case_activity_revisions", by: By::Both, sql: "SELECT r.activity_id, r.title, r.body, r.happened_at, r.minutes, r.place, r.attendees, r.edited_at FROM case_activity_revisions r JOIN case_activities a ON a.id = r.activity_id JOIN cases c ON c.id = a.case_id WHERE c.business_id IN (SELECT business_id FROM business_members WHERE user_id = $2 UNION SELECT business_id FROM people WHERE LOWER(email) = $1 OR user_id = $2)" },
        Read { table: "case_observations", by: By::Both, sql: "SELECT o.activity_id, o.dimension, o.note FROM case_observations o JOIN case_activities a ON a.id = o.activity_id JOIN cases c ON c.id = a.case_id WHERE c.business_id IN (SELECT business_id FROM business_members WHERE user_id = $2 UNION SELECT business_id FROM people WHERE LOWER(email) = $1 OR user_id = $2)" },
        Read { table: "case_documents", by: By::Both, sql: "SELECT d.id, d.case_id, d.name, d.mime, d.size, d.shared, d.created_at FROM case_documents d JOIN cases c ON c.id = d.case_id WHERE c.business_id IN (SELECT business_id FROM business_members WHERE user_id = $2 UNION SELECT business_id FROM people WHERE LOWER(email) = $1 OR user_id = $2)" },
        Read { table: "case_hours", by: By::Both, sql: "SELECT h.case_id, h.funder, h.planned_minutes, h.delivered_minutes, h.amount_cents, h.created_at FROM case_hours h JOIN cases c ON c.id = h.case_id WHERE c.business_id IN (SELECT business_id FROM business_members WHERE user_id = $2 UNION SELECT business_id FROM people WHERE LOWER(email) = $1 OR user_id = $2)" },
        Read { table: "referrals", by: By::Both, sql: "SELECT r.id, r.case_id, b.name AS body, r.status, r.note, r.answer, r.sent_at, r.answered_at FROM referrals r JOIN referral_bodies b ON b.id = r.body_id JOIN cases c ON c.id = r.case_id WHERE c.business_id IN (SELECT business_id FROM business_members WHERE user_id = $2 UNION SELECT business_id FROM people WHERE LOWER(email) = $1 OR user_id = $2)" },
        // The contact of a body that receives referrals is a person too.
        Read { table: "referral_bodies", by: By::Email, sql: "SELECT id, name, contact_name, email, phone, url, created_at FROM referral_bodies WHERE LOWER(email) = $1" },
        Read { table: "funding_applications", by: By::Both, sql: "SELECT f.id, f.business_id, f.scheme_id, f.case_id, f.status, f.project, f.cost_cents, f.obtained_cents, f.paid_cents, f.prepared_on, f.submitted_on, f.decided_on, f.paid_on FROM funding_applications f WHERE f.business_id IN (SELECT business_id FROM business_members WHERE user_id = $2 UNION SELECT business_id FROM people WHERE LOWER(email) = $1 OR user_id = $2)" },
        // Applications to calls for projects and trophies, and the score
        // sheets the person wrote as a juror (their comments).
        Read { table: "call_applications", by: By::Both, sql: "SELECT a.id, a.call_id, a.business_id, a.title, a.project, a.status, a.submitted_at, a.decided_at, a.created_at FROM call_applications a WHERE a.author_id = $2 OR a.business_id IN (SELECT business_id FROM business_members WHERE user_id = $2 UNION SELECT business_id FROM people WHERE LOWER(email) = $1 OR user_id = $2)" },
        Read { table: "call_sheets", by: By::User, sql: "SELECT application_id, version, comment, submitted_at, updated_at FROM call_sheets WHERE juror_id = $1" },
    ]
}

/// The tables read for a person's testimonies.
pub(super) fn reads_testimonies() -> Vec<Read> {
    vec![Read {
        table: "testimonies",
        by: By::Both,
        sql: "SELECT t.id, t.business_id, t.case_id, t.author_name, t.title, t.body, t.locale, t.video_url, t.transcript, t.consent_at, t.consent_by, t.photo_consent, t.score_before, t.score_after, t.created_at FROM testimonies t WHERE LOWER(t.consent_by) = $1 OR t.business_id IN (SELECT business_id FROM business_members WHERE user_id = $2 UNION SELECT business_id FROM people WHERE LOWER(email) = $1 OR user_id = $2)",
    }]
}

/// Delete the free text and documents of the files `case_ids` (a
/// sub-select bound with `binds`), keeping what the figures count.
pub(super) async fn erase_files(
    tx: &mut Tx,
    case_ids: &str,
    binds: &[Bind<'_>],
) -> Result<u64, sqlx::Error> {
    let acts = format!("SELECT id FROM case_activities WHERE case_id IN ({case_ids})");
    let mut n = 0;
    n += exec(
        tx,
        &format!("DELETE FROM case_observations WHERE activity_id IN ({acts})"),
        binds,
    )
    .await?;
    n += exec(
        tx,
        &format!("DELETE FROM case_activity_revisions WHERE activity_id IN ({acts})"),
        binds,
    )
    .await?;
    n += exec(
        tx,
        &format!("UPDATE case_activities SET body = '', place = '', attendees = '' WHERE case_id IN ({case_ids}) AND (body <> '' OR place <> '' OR attendees <> '')"),
        binds,
    )
    .await?;
    n += exec(
        tx,
        &format!("DELETE FROM case_documents WHERE case_id IN ({case_ids})"),
        binds,
    )
    .await?;
    n += exec(
        tx,
        &format!("UPDATE referrals SET note = '', answer = '' WHERE case_id IN ({case_ids}) AND (note <> '' OR answer <> '')"),
        binds,
    )
    .await?;
    n += exec(
        tx,
        &format!("UPDATE cases SET summary = '' WHERE id IN ({case_ids}) AND summary <> ''"),
        binds,
    )
    .await?;
    Ok(n)
}

/// Erase the testimonies `ids` (a sub-select): name, text, video, photo
/// and consent go; the scores before and after stay.
pub(super) async fn erase_testimonies(
    tx: &mut Tx,
    ids: &str,
    binds: &[Bind<'_>],
    placeholder: &str,
) -> Result<u64, sqlx::Error> {
    let p = binds.len() + 1;
    let mut all: Vec<Bind<'_>> = binds.to_vec();
    all.push(Bind::S(placeholder));
    exec(
        tx,
        &format!("UPDATE testimonies SET author_name = ${p}, title = ${p}, body = '', transcript = '', video_url = '', consent_by = '', consent_at = NULL, photo_consent = 0, photo = NULL, photo_mime = NULL WHERE id IN ({ids}) AND author_name <> ${p}"),
        &all,
    )
    .await
}

/// A person's follow-up files: those of the businesses they alone are the
/// contact of lose their free text; elsewhere their name leaves the attendees.
pub(super) async fn erase_person_cases(
    tx: &mut Tx,
    s: &Subject,
    name: &str,
) -> Result<u64, sqlx::Error> {
    use Bind::{I, S};
    let (mail, uid) = (s.email.as_str(), s.user_id.unwrap_or(-1));
    let sole = sole();
    let files = format!("SELECT id FROM cases WHERE business_id IN ({sole})");
    let mut n = erase_files(tx, &files, &[S(mail), I(uid)]).await?;
    n += exec(
        tx,
        &format!("UPDATE funding_applications SET project = '' WHERE business_id IN ({sole}) AND project <> ''"),
        &[S(mail), I(uid)],
    )
    .await?;
    n += exec(
        tx,
        &format!("UPDATE call_applications SET title = '', project = '' WHERE business_id IN ({sole}) AND (title <> '' OR project <> '')"),
        &[S(mail), I(uid)],
    )
    .await?;
    n += exec(
        tx,
        "UPDATE call_sheets SET comment = '' WHERE juror_id = $1 AND comment <> ''",
        &[I(uid)],
    )
    .await?;
    if !name.trim().is_empty() {
        n += exec(
            tx,
            &format!("UPDATE case_activities SET attendees = REPLACE(attendees, $3, $4) WHERE case_id IN (SELECT id FROM cases WHERE business_id IN ({MINE})) AND attendees LIKE $5"),
            &[S(mail), I(uid), S(name), S(ERASED_NAME), S(&format!("%{name}%"))],
        )
        .await?;
    }
    Ok(n)
}

/// A person's testimonies: those they consented to, and those of the
/// businesses they alone are the contact of.
pub(super) async fn erase_person_testimonies(tx: &mut Tx, s: &Subject) -> Result<u64, sqlx::Error> {
    use Bind::{I, S};
    let (mail, uid) = (s.email.as_str(), s.user_id.unwrap_or(-1));
    let ids = format!(
        "SELECT id FROM testimonies WHERE LOWER(consent_by) = $1 OR business_id IN ({})",
        sole()
    );
    erase_testimonies(tx, &ids, &[S(mail), I(uid)], ERASED_NAME).await
}

/// A business's files and testimonies (erasing the business).
pub(super) async fn erase_business_cases(
    tx: &mut Tx,
    id: i64,
    placeholder: &str,
) -> Result<u64, sqlx::Error> {
    let binds = [Bind::I(id)];
    let mut n = erase_files(tx, "SELECT id FROM cases WHERE business_id = $1", &binds).await?;
    n += exec(
        tx,
        "UPDATE funding_applications SET project = '' WHERE business_id = $1 AND project <> ''",
        &binds,
    )
    .await?;
    n += exec(
        tx,
        "UPDATE call_applications SET title = '', project = '' WHERE business_id = $1 AND (title <> '' OR project <> '')",
        &binds,
    )
    .await?;
    n += erase_testimonies(
        tx,
        "SELECT id FROM testimonies WHERE business_id = $1",
        &binds,
        placeholder,
    )
    .await?;
    Ok(n)
}

/// Holds on erasing a person: an open file or an open grant application of
/// a business they are the only contact of.
pub(super) async fn person_holds(db: &Db, s: &Subject) -> Result<Vec<Hold>, sqlx::Error> {
    let (mail, uid) = (s.email.clone(), s.user_id.unwrap_or(-1));
    let sole = sole();
    let files: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT c.id, b.name FROM cases c JOIN businesses b ON b.id = c.business_id WHERE c.status <> 'closed' AND c.business_id IN ({sole}) ORDER BY c.id"
    ))
    .bind(mail.clone())
    .bind(uid)
    .fetch_all(&db.pool)
    .await?;
    let apps: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT f.id, b.name FROM funding_applications f JOIN businesses b ON b.id = f.business_id WHERE f.{OPEN_APPLICATION} AND f.business_id IN ({sole}) ORDER BY f.id"
    ))
    .bind(mail)
    .bind(uid)
    .fetch_all(&db.pool)
    .await?;
    Ok(holds(files, apps))
}

/// Holds on erasing a business: an open file or an open grant application.
pub(super) async fn business_holds(db: &Db, id: i64) -> Result<Vec<Hold>, sqlx::Error> {
    let files: Vec<(i64, String)> = sqlx::query_as(
        "SELECT c.id, b.name FROM cases c JOIN businesses b ON b.id = c.business_id WHERE c.status <> 'closed' AND c.business_id = $1 ORDER BY c.id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let apps: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT f.id, b.name FROM funding_applications f JOIN businesses b ON b.id = f.business_id WHERE f.{OPEN_APPLICATION} AND f.business_id = $1 ORDER BY f.id"
    ))
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(holds(files, apps))
}

fn holds(files: Vec<(i64, String)>, apps: Vec<(i64, String)>) -> Vec<Hold> {
    files
        .into_iter()
        .map(|(id, name)| Hold {
            key: "privacy-hold-open-case",
            about: format!("{name} (#{id})"),
        })
        .chain(apps.into_iter().map(|(id, name)| Hold {
            key: "privacy-hold-grant-application",
            about: format!("{name} (#{id})"),
        }))
        .collect()
}

/// Files closed before the cut-off whose free text is still there
/// (retention): their free text goes, they are noted as done.
pub(super) async fn expire_closed_files(
    tx: &mut Tx,
    before_ms: i64,
) -> Result<(u64, u64), sqlx::Error> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM cases WHERE status = 'closed' AND closed_at < $1 AND id NOT IN (SELECT ref_id FROM privacy_purged WHERE kind = 'cases')",
    )
    .bind(before_ms)
    .fetch_all(&mut **tx)
    .await?;
    let mut rows = 0;
    for id in &ids {
        rows += erase_files(tx, "SELECT id FROM cases WHERE id = $1", &[Bind::I(*id)]).await?;
        exec(
            tx,
            "INSERT INTO privacy_purged (kind, ref_id, at) VALUES ('cases', $1, $2) ON CONFLICT DO NOTHING",
            &[Bind::I(*id), Bind::I(crate::db::now_ms())],
        )
        .await?;
    }
    Ok((ids.len() as u64, rows))
}

/// Testimonies older than the cut-off are anonymised (retention).
pub(super) async fn expire_testimonies(tx: &mut Tx, before_ms: i64) -> Result<u64, sqlx::Error> {
    erase_testimonies(
        tx,
        "SELECT id FROM testimonies WHERE created_at < $1",
        &[Bind::I(before_ms)],
        ERASED_NAME,
    )
    .await
}
