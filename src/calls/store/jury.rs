//! The jury's side of a call: score sheets, totals, decisions (a winner
//! becomes a grant application in the same transaction) and the mails they
//! queue.

use super::*;

// ---------------------------------------------------------------- score sheets

/// A juror's sheet on an application.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SheetRow {
    pub version: i64,
    pub comment: String,
    pub submitted_at: Option<i64>,
}

pub async fn sheet(
    db: &Db,
    application_id: i64,
    juror: i64,
) -> Result<Option<SheetRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT version, comment, submitted_at FROM call_sheets WHERE application_id = $1 AND juror_id = $2",
    )
    .bind(application_id)
    .bind(juror)
    .fetch_optional(&db.pool)
    .await
}

/// Points of a juror's sheet by criterion id.
pub async fn sheet_points(
    db: &Db,
    application_id: i64,
    juror: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT criterion_id, points FROM call_scores WHERE application_id = $1 AND juror_id = $2",
    )
    .bind(application_id)
    .bind(juror)
    .fetch_all(&db.pool)
    .await
}

/// What saving a sheet did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetSaved {
    Done,
    /// Saved by another request since this one read it: nothing written.
    Stale,
    /// Already submitted: final.
    Final,
}

/// Save a juror's sheet read at `version` (0 when never saved). The sheet's
/// row is written first, conditionally on its version (or inserted, once,
/// under its primary key): of two saves of the same version exactly one
/// goes through, and the other writes nothing.
pub async fn save_sheet(
    db: &Db,
    application_id: i64,
    juror: i64,
    version: i64,
    sheet: &ValidSheet,
) -> Result<SheetSaved, sqlx::Error> {
    let now = now_ms();
    let submitted_at = sheet.submit.then_some(now);
    let mut tx = db.begin_write().await?;
    let claimed = if version == 0 {
        let inserted = sqlx::query(
            "INSERT INTO call_sheets (application_id, juror_id, version, comment, submitted_at, updated_at) \
             VALUES ($1, $2, 1, $3, $4, $5)",
        )
        .bind(application_id)
        .bind(juror)
        .bind(&sheet.comment)
        .bind(submitted_at)
        .bind(now)
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => true,
            Err(e) if is_unique_violation(&e) => false,
            Err(e) => return Err(e),
        }
    } else {
        sqlx::query(
            "UPDATE call_sheets SET version = version + 1, comment = $1, submitted_at = $2, updated_at = $3 \
             WHERE application_id = $4 AND juror_id = $5 AND version = $6 AND submitted_at IS NULL",
        )
        .bind(&sheet.comment)
        .bind(submitted_at)
        .bind(now)
        .bind(application_id)
        .bind(juror)
        .bind(version)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1
    };
    if !claimed {
        drop(tx);
        return Ok(match self::sheet(db, application_id, juror).await? {
            Some(s) if s.submitted_at.is_some() => SheetSaved::Final,
            _ => SheetSaved::Stale,
        });
    }
    sqlx::query("DELETE FROM call_scores WHERE application_id = $1 AND juror_id = $2")
        .bind(application_id)
        .bind(juror)
        .execute(&mut *tx)
        .await?;
    for (criterion, points) in &sheet.points {
        sqlx::query(
            "INSERT INTO call_scores (application_id, juror_id, criterion_id, points) VALUES ($1, $2, $3, $4)",
        )
        .bind(application_id)
        .bind(juror)
        .bind(criterion)
        .bind(points)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(SheetSaved::Done)
}

/// One submitted sheet's total.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SheetTotal {
    pub application_id: i64,
    pub juror_id: i64,
    pub juror_name: String,
    pub total: i64,
}

/// Totals of the submitted sheets of a call's applications.
pub async fn totals(db: &Db, call_id: i64) -> Result<Vec<SheetTotal>, sqlx::Error> {
    sqlx::query_as(
        "SELECT sh.application_id, sh.juror_id, u.display_name AS juror_name, \
         CAST(COALESCE(SUM(sc.points), 0) AS BIGINT) AS total \
         FROM call_sheets sh JOIN call_applications a ON a.id = sh.application_id JOIN users u ON u.id = sh.juror_id \
         LEFT JOIN call_scores sc ON sc.application_id = sh.application_id AND sc.juror_id = sh.juror_id \
         WHERE a.call_id = $1 AND sh.submitted_at IS NOT NULL \
         GROUP BY sh.application_id, sh.juror_id, u.display_name ORDER BY sh.application_id, u.display_name",
    )
    .bind(call_id)
    .fetch_all(&db.pool)
    .await
}

/// A juror's sheets on a call: application id → submitted or not.
pub async fn my_sheets(
    db: &Db,
    call_id: i64,
    juror: i64,
) -> Result<Vec<(i64, Option<i64>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT sh.application_id, sh.submitted_at FROM call_sheets sh JOIN call_applications a ON a.id = sh.application_id \
         WHERE a.call_id = $1 AND sh.juror_id = $2",
    )
    .bind(call_id)
    .bind(juror)
    .fetch_all(&db.pool)
    .await
}

// ---------------------------------------------------------------- decisions

/// Who hears of a decision: the member who wrote the application, or
/// (their account gone) the business's members.
async fn applicants(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    app: &ApplicationRow,
) -> Result<Vec<Recipient>, sqlx::Error> {
    let author: Vec<Recipient> = sqlx::query_as(
        "SELECT u.email, u.display_name AS name, u.locale FROM call_applications a \
         JOIN users u ON u.id = a.author_id WHERE a.id = $1",
    )
    .bind(app.id)
    .fetch_all(&mut **tx)
    .await?;
    if !author.is_empty() {
        return Ok(author);
    }
    sqlx::query_as(
        "SELECT u.email, u.display_name AS name, u.locale FROM business_members m \
         JOIN users u ON u.id = m.user_id WHERE m.business_id = $1 ORDER BY u.id",
    )
    .bind(app.business_id)
    .fetch_all(&mut **tx)
    .await
}

/// Claim the published calls that closed before `today` (and on or after
/// `since`, so calls closed long ago stay quiet) whose jurors have not been
/// told yet, and queue one mail per juror with the number of submitted
/// applications. The claim is one conditional UPDATE: with several
/// servers, each jury hears once. Returns the number of calls claimed.
pub async fn mail_closed_juries(
    db: &Db,
    base_url: &str,
    today: &str,
    since: &str,
    now: i64,
) -> Result<usize, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let claimed: Vec<(i64, String, String)> = sqlx::query_as(
        "UPDATE calls SET jury_mailed_at = $1 WHERE status = 'published' AND jury_mailed_at IS NULL \
         AND closes_on < $2 AND closes_on >= $3 RETURNING id, title_fr, title_en",
    )
    .bind(now)
    .bind(today)
    .bind(since)
    .fetch_all(&mut *tx)
    .await?;
    for (id, title_fr, title_en) in &claimed {
        let submitted: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM call_applications WHERE call_id = $1 AND status <> 'draft'",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let jurors: Vec<Recipient> = sqlx::query_as(
            "SELECT u.email, u.display_name AS name, u.locale FROM call_jurors j \
             JOIN users u ON u.id = j.user_id WHERE j.call_id = $1 ORDER BY u.id",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        for who in &jurors {
            let mail =
                crate::calls::mails::jury_open(base_url, who, (title_fr, title_en), submitted);
            crate::outbox::enqueue(&mut tx, &mail).await?;
        }
    }
    tx.commit().await?;
    Ok(claimed.len())
}

/// What a decision did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decided {
    /// Recorded; the grant application created for a winner, if any.
    Done(Option<i64>),
    /// Decided or changed since the page was read.
    Stale,
}

/// The manager's decision on one application.
#[derive(Debug, Clone, Copy)]
pub struct Decision<'a> {
    pub to: AppStatus,
    /// The funding scheme the call leads to.
    pub scheme: Option<i64>,
    pub amount: Option<Euros>,
    pub today: &'a str,
    pub by: Option<i64>,
    /// The site's address, for the link in the applicant's mail.
    pub base_url: &'a str,
}

/// Record the manager's decision on a submitted application read at
/// `version`. A winner of a call linked to a funding scheme gets a grant
/// application, obtained on `today` (with `amount` when given), attached to
/// the business's open follow-up file; it then shows wherever the
/// business's grant applications do. The decision and that application are
/// one transaction: when either fails, neither is written.
pub async fn decide(
    db: &Db,
    app: &ApplicationRow,
    version: i64,
    d: &Decision<'_>,
) -> Result<Decided, sqlx::Error> {
    let Decision {
        to,
        scheme,
        amount,
        today,
        by,
        base_url,
    } = *d;
    // One transaction: the decision and the grant application it creates
    // are written together or not at all.
    let mut tx = db.begin_write().await?;
    let claimed = sqlx::query(
        "UPDATE call_applications SET status = $1, decided_at = $2, version = version + 1, updated_at = $2 \
         WHERE id = $3 AND version = $4 AND status = 'submitted'",
    )
    .bind(to.code())
    .bind(now_ms())
    .bind(app.id)
    .bind(version)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !claimed {
        tx.rollback().await?;
        return Ok(Decided::Stale);
    }
    // The applicant hears of it in the same transaction.
    let titles: (String, String) =
        sqlx::query_as("SELECT title_fr, title_en FROM calls WHERE id = $1")
            .bind(app.call_id)
            .fetch_one(&mut *tx)
            .await?;
    for who in applicants(&mut tx, app).await? {
        let mail = crate::calls::mails::decided(
            base_url,
            &who,
            app.call_id,
            (&titles.0, &titles.1),
            to == AppStatus::Awarded,
            amount,
        );
        crate::outbox::enqueue(&mut tx, &mail).await?;
    }
    let (AppStatus::Awarded, Some(scheme)) = (to, scheme) else {
        tx.commit().await?;
        return Ok(Decided::Done(None));
    };
    use crate::funding::{model::ApplicationStatus, store as funding};
    let case_id = funding::open_cases_in(&mut *tx, app.business_id)
        .await?
        .first()
        .map(|c| c.0);
    let project = if app.title.is_empty() {
        app.project.clone()
    } else {
        format!("{} — {}", app.title, app.project)
    };
    let id = funding::insert_application(
        &mut *tx,
        &funding::NewApplication {
            business_id: app.business_id,
            scheme_id: scheme,
            case_id,
            project: &project,
            cost: None,
            simulated: None,
            today,
            by,
        },
    )
    .await?;
    funding::advance(&mut *tx, id, 1, ApplicationStatus::Submitted, today, None).await?;
    funding::advance(&mut *tx, id, 2, ApplicationStatus::Obtained, today, amount).await?;
    sqlx::query("UPDATE call_applications SET funding_application_id = $1 WHERE id = $2")
        .bind(id)
        .bind(app.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Decided::Done(Some(id)))
}
