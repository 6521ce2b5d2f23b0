//! The daily retention run: every kind of the register has its retention
//! (set by the manager within limits); what expired is erased or
//! anonymised so that no published figure changes. Several servers tick:
//! the first to claim today's row runs it, with a report.

use std::collections::HashMap;

use super::model::{self, DataKind, MONTH_MS};
use super::sources::{self, Bind};
use super::sources_cases;
use super::store::{self, NewAudit, Tx};
use super::{erase_business, erase_person, token, Erasure, Subject};
use crate::db::Db;
use crate::web::access::STAFF;

/// Run the retention of `day` (the date of `now`) once across servers.
/// Returns the report when this server ran it.
pub async fn retention_run(db: &Db, now: i64, server: &str) -> Result<Option<String>, sqlx::Error> {
    let day = jiff::Timestamp::from_millisecond(now)
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_default();
    if store::run_exists(db, &day).await? || !store::claim_run(db, &day, server).await? {
        return Ok(None);
    }
    let months: HashMap<DataKind, i64> = store::retention(db).await?.into_iter().collect();
    let cut = |k: DataKind| now - months[&k] * MONTH_MS;
    let mut parts = Vec::new();

    let stale = sources::stale_registrants(db, cut(DataKind::Registrations)).await?;
    let mut tx = db.begin_write().await?;
    let mut reg_rows = 0;
    for email_key in &stale {
        reg_rows +=
            sources::erase_registrations(&mut tx, email_key, &model::erased_email(&token()))
                .await?;
    }
    parts.push(format!(
        "registrations: {} people, {reg_rows} rows",
        stale.len()
    ));
    let contact = sources::delete_old_contact(&mut tx, cut(DataKind::Contact)).await?;
    parts.push(format!("contact: {contact} messages"));
    let (files, rows) = sources_cases::expire_closed_files(&mut tx, cut(DataKind::Cases)).await?;
    parts.push(format!("cases: {files} files, {rows} rows"));
    let t = sources_cases::expire_testimonies(&mut tx, cut(DataKind::Testimonies)).await?;
    parts.push(format!("testimonies: {t}"));
    let d = expire_diagnostics(&mut tx, cut(DataKind::Diagnostics)).await?;
    parts.push(format!("diagnostics: {d}"));
    let n = expire_needs(&mut tx, cut(DataKind::Needs)).await?;
    parts.push(format!("needs: {n}"));
    let c = sources::exec(
        &mut tx,
        "DELETE FROM provider_claims WHERE status <> 'pending' AND created_at < $1",
        &[Bind::I(cut(DataKind::Directory))],
    )
    .await?;
    parts.push(format!("directory: {c} claims"));
    tx.commit().await?;

    // Accounts and businesses: erased as a request would, holds respected.
    let (mut erased, mut held) = (0, 0);
    for (id, email) in unseen_accounts(db, cut(DataKind::Accounts)).await? {
        let s = Subject {
            email: model::normalise_email(&email),
            user_id: Some(id),
        };
        match erase_person(db, &s, None, "system").await? {
            Erasure::Done { .. } => erased += 1,
            Erasure::Held(_) => held += 1,
            _ => {}
        }
    }
    parts.push(format!("accounts: {erased} erased, {held} held"));
    let (mut erased, mut held) = (0, 0);
    for id in idle_businesses(db, cut(DataKind::Businesses)).await? {
        match erase_business(db, id, None, "system").await? {
            Erasure::Done { .. } => erased += 1,
            Erasure::Held(_) => held += 1,
            _ => {}
        }
    }
    parts.push(format!("businesses: {erased} erased, {held} held"));

    let report = parts.join("; ");
    let mut tx = db.begin_write().await?;
    store::finish_run(&mut tx, &day, &report).await?;
    store::record(
        &mut *tx,
        &NewAudit {
            actor_id: None,
            actor: "system",
            action: model::AuditAction::RetentionRun,
            subject: "",
            detail: &report,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Some(report))
}

/// Diagnostics older than the cut-off lose their link to the account and
/// their notes; scores, profile and business stay for the figures.
async fn expire_diagnostics(tx: &mut Tx, before: i64) -> Result<u64, sqlx::Error> {
    let b = [Bind::I(before)];
    let mut n = sources::exec(
        tx,
        "DELETE FROM diagnostic_notes WHERE diagnostic_id IN (SELECT id FROM diagnostics WHERE created_at < $1)",
        &b,
    )
    .await?;
    n += sources::exec(
        tx,
        "UPDATE diagnostics SET user_id = NULL WHERE user_id IS NOT NULL AND created_at < $1",
        &b,
    )
    .await?;
    Ok(n)
}

/// Closed needs last changed before the cut-off lose their text, author and
/// replies' messages; status and dates stay.
async fn expire_needs(tx: &mut Tx, before: i64) -> Result<u64, sqlx::Error> {
    let b = [Bind::I(before), Bind::S(model::ERASED_NAME)];
    let old = "SELECT id FROM needs WHERE status = 'closed' AND updated_at < $1";
    let mut n = sources::exec(
        tx,
        &format!("UPDATE need_replies SET message = '', author_id = NULL WHERE need_id IN ({old}) AND (message <> '' OR author_id IS NOT NULL) AND $2 <> ''"),
        &b,
    )
    .await?;
    n += sources::exec(
        tx,
        "UPDATE needs SET title = $2, context = '', goal = '', audience = '', features = '', existing_tools = '', constraints_text = '', author_id = NULL \
         WHERE status = 'closed' AND updated_at < $1 AND title <> $2",
        &b,
    )
    .await?;
    Ok(n)
}

/// Accounts (not staff) not seen since the cut-off and not erased.
async fn unseen_accounts(db: &Db, before: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let staff: Vec<String> = STAFF.iter().map(|r| format!("'{}'", r.code())).collect();
    sqlx::query_as(&format!(
        "SELECT u.id, u.email FROM users u WHERE u.created_at < $1 AND u.updated_at < $1 AND u.email NOT LIKE 'efface-%' \
         AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = u.id AND s.last_seen_at >= $1) \
         AND NOT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN ({})) ORDER BY u.id",
        staff.join(", ")
    ))
    .bind(before)
    .fetch_all(&db.pool)
    .await
}

/// Businesses without any change, file or application since the cut-off.
async fn idle_businesses(db: &Db, before: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT b.id FROM businesses b WHERE b.updated_at < $1 AND b.id_value NOT LIKE 'efface-%' \
         AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.business_id = b.id AND (c.closed_at IS NULL OR c.closed_at >= $1)) \
         AND NOT EXISTS (SELECT 1 FROM funding_applications f WHERE f.business_id = b.id AND f.updated_at >= $1) ORDER BY b.id",
    )
    .bind(before)
    .fetch_all(&db.pool)
    .await
}
