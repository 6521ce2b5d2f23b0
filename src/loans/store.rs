//! Every SQL statement of equipment loans.

use super::model::{Condition, NewItem, NewLoan};
use crate::db::{is_unique_violation, now_ms, Db};

/// An inventory item with the loan it is out on, if any.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemRow {
    pub id: i64,
    pub kind: String,
    pub label: String,
    pub serial: String,
    pub condition: String,
    pub loan_id: Option<i64>,
    pub business_name: Option<String>,
    pub due_on: Option<String>,
}

/// A loan with its item and business.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoanRow {
    pub id: i64,
    pub item_id: i64,
    pub item_label: String,
    pub item_kind: String,
    pub business_id: i64,
    pub business_name: String,
    pub starts_on: String,
    pub due_on: String,
    pub returned_on: Option<String>,
    pub condition_out: String,
    pub condition_back: Option<String>,
    pub reminded_at: Option<i64>,
}

pub async fn items(db: &Db) -> Result<Vec<ItemRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.id, i.kind, i.label, i.serial, i.condition, l.id AS loan_id, b.name AS business_name, l.due_on \
         FROM loan_items i LEFT JOIN loans l ON l.item_id = i.id AND l.returned_on IS NULL \
         LEFT JOIN businesses b ON b.id = l.business_id ORDER BY i.kind, i.label, i.id",
    )
    .fetch_all(&db.pool)
    .await
}

const LOAN_COLUMNS: &str =
    "l.id, l.item_id, i.label AS item_label, i.kind AS item_kind, l.business_id, b.name AS business_name, \
     l.starts_on, l.due_on, l.returned_on, l.condition_out, l.condition_back, l.reminded_at \
     FROM loans l JOIN loan_items i ON i.id = l.item_id JOIN businesses b ON b.id = l.business_id";

/// Loans still out first (soonest due first), then the last returned ones.
pub async fn loans(db: &Db) -> Result<Vec<LoanRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {LOAN_COLUMNS} ORDER BY CASE WHEN l.returned_on IS NULL THEN 0 ELSE 1 END, \
         l.due_on, l.id DESC LIMIT 500"
    ))
    .fetch_all(&db.pool)
    .await
}

/// The loans of one business: still out first (soonest due first), then
/// the returned ones, latest return first.
pub async fn loans_of(db: &Db, business_id: i64) -> Result<Vec<LoanRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {LOAN_COLUMNS} WHERE l.business_id = $1 \
         ORDER BY CASE WHEN l.returned_on IS NULL THEN 0 ELSE 1 END, \
         CASE WHEN l.returned_on IS NULL THEN l.due_on ELSE '' END, l.returned_on DESC, l.id DESC"
    ))
    .bind(business_id)
    .fetch_all(&db.pool)
    .await
}

pub async fn loan(db: &Db, id: i64) -> Result<Option<LoanRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {LOAN_COLUMNS} WHERE l.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

pub async fn insert_item(db: &Db, item: &NewItem) -> Result<i64, sqlx::Error> {
    let now = now_ms();
    sqlx::query_scalar(
        "INSERT INTO loan_items (kind, label, serial, condition, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(item.kind.code())
    .bind(&item.label)
    .bind(&item.serial)
    .bind(item.condition.code())
    .bind(now)
    .fetch_one(&db.writer)
    .await
}

/// What lending did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lent {
    Done(i64),
    /// The item is already out (on the loan given, when known).
    AlreadyOut,
    /// Damaged or lost: it must be repaired or replaced first.
    NotLendable,
    NoSuchItem,
    NoSuchBusiness,
}

/// Lend an item. The INSERT only happens when no open loan holds the item,
/// and the partial unique index on open loans refuses the second of two
/// simultaneous loans: exactly one succeeds.
pub async fn lend(db: &Db, loan: &NewLoan, by: Option<i64>) -> Result<Lent, sqlx::Error> {
    let item: Option<(String,)> = sqlx::query_as("SELECT condition FROM loan_items WHERE id = $1")
        .bind(loan.item_id)
        .fetch_optional(&db.pool)
        .await?;
    let Some((condition,)) = item else {
        return Ok(Lent::NoSuchItem);
    };
    let condition = Condition::parse(&condition).unwrap_or(Condition::Good);
    if !condition.lendable() {
        return Ok(Lent::NotLendable);
    }
    let business: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM businesses WHERE id = $1")
        .bind(loan.business_id)
        .fetch_one(&db.pool)
        .await?;
    if business == 0 {
        return Ok(Lent::NoSuchBusiness);
    }
    let now = now_ms();
    let inserted: Result<Option<i64>, sqlx::Error> = sqlx::query_scalar(
        "INSERT INTO loans (item_id, business_id, starts_on, due_on, condition_out, created_by, created_at, updated_at) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $7 \
         WHERE NOT EXISTS (SELECT 1 FROM loans WHERE item_id = $1 AND returned_on IS NULL) \
         RETURNING id",
    )
    .bind(loan.item_id)
    .bind(loan.business_id)
    .bind(&loan.starts_on)
    .bind(&loan.due_on)
    .bind(condition.code())
    .bind(by)
    .bind(now)
    .fetch_optional(&db.writer)
    .await;
    match inserted {
        Ok(Some(id)) => Ok(Lent::Done(id)),
        Ok(None) => Ok(Lent::AlreadyOut),
        Err(e) if is_unique_violation(&e) => Ok(Lent::AlreadyOut),
        Err(e) => Err(e),
    }
}

/// Record the return of an open loan and the item's condition; false when
/// the loan was already returned (or does not exist).
pub async fn give_back(
    db: &Db,
    loan_id: i64,
    condition: Condition,
    returned_on: &str,
) -> Result<bool, sqlx::Error> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let item: Option<i64> = sqlx::query_scalar(
        "UPDATE loans SET returned_on = $1, condition_back = $2, updated_at = $3 \
         WHERE id = $4 AND returned_on IS NULL RETURNING item_id",
    )
    .bind(returned_on)
    .bind(condition.code())
    .bind(now)
    .bind(loan_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(item) = item else {
        return Ok(false);
    };
    sqlx::query("UPDATE loan_items SET condition = $1, updated_at = $2 WHERE id = $3")
        .bind(condition.code())
        .bind(now)
        .bind(item)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Claim the open loans due on or before `until` not yet reminded, and
/// queue one reminder per member of each borrowing business (or, without
/// an account, per contact with an address). The claim is one conditional
/// UPDATE: with several servers, each loan is reminded once.
pub async fn remind_due(
    db: &Db,
    base_url: &str,
    until: &str,
    now: i64,
) -> Result<usize, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let claimed: Vec<(i64,)> = sqlx::query_as(
        "UPDATE loans SET reminded_at = $1 \
         WHERE returned_on IS NULL AND reminded_at IS NULL AND due_on <= $2 RETURNING id",
    )
    .bind(now)
    .bind(until)
    .fetch_all(&mut *tx)
    .await?;
    for (id,) in &claimed {
        let row: Option<(i64, String, String, String)> = sqlx::query_as(
            "SELECT l.business_id, b.name, i.label, l.due_on FROM loans l JOIN businesses b ON b.id = l.business_id \
             JOIN loan_items i ON i.id = l.item_id WHERE l.id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((business, name, label, due)) = row else {
            continue;
        };
        let mut to: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT u.email, u.display_name, u.locale FROM business_members m JOIN users u ON u.id = m.user_id \
             WHERE m.business_id = $1 ORDER BY u.id",
        )
        .bind(business)
        .fetch_all(&mut *tx)
        .await?;
        if to.is_empty() {
            to = sqlx::query_as(
                "SELECT email, name, 'fr' FROM people WHERE business_id = $1 AND email <> '' ORDER BY id LIMIT 1",
            )
            .bind(business)
            .fetch_all(&mut *tx)
            .await?;
        }
        for (email, person, locale) in to {
            let mail =
                super::mails::reminder(base_url, &email, &person, &locale, &name, &label, &due);
            crate::outbox::enqueue(&mut tx, &mail).await?;
        }
    }
    tx.commit().await?;
    Ok(claimed.len())
}
