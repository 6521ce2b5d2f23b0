//! Every SQL statement of sponsors.

use super::model::{
    categories_from_stored, categories_to_stored, clash, sort, Category, Clash, NewSponsor, Placed,
    Placement, Sponsor, Tier,
};
use crate::db::{now_ms, Db};
use crate::kernel::money::Euros;

const COLUMNS: &str =
    "id, name, link, logo_url, CASE WHEN logo_png IS NULL THEN 0 ELSE 1 END AS has_logo, \
     category, tier, amount_cents, exclusive, exclusive_except, starts_on, ends_on";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    name: String,
    link: String,
    logo_url: String,
    has_logo: i64,
    category: String,
    tier: String,
    amount_cents: i64,
    exclusive: i64,
    exclusive_except: String,
    starts_on: String,
    ends_on: String,
}

impl From<Row> for Sponsor {
    fn from(r: Row) -> Sponsor {
        Sponsor {
            id: r.id,
            name: r.name,
            link: r.link,
            logo_url: r.logo_url,
            has_logo: r.has_logo != 0,
            category: Category::parse(&r.category).unwrap_or(Category::Other),
            tier: Tier::parse(&r.tier).unwrap_or(Tier::Partner),
            amount: Euros(r.amount_cents),
            exclusive: r.exclusive != 0,
            except: categories_from_stored(&r.exclusive_except),
            starts_on: r.starts_on,
            ends_on: r.ends_on,
        }
    }
}

/// Every sponsor of the programme, latest period first.
pub async fn list(db: &Db, programme_id: i64) -> Result<Vec<Sponsor>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM sponsors WHERE programme_id = $1 ORDER BY ends_on DESC, name"
    ))
    .bind(programme_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(Sponsor::from).collect())
}

/// Add a sponsor unless an exclusivity forbids it; the check and the insert
/// happen in one write transaction so two managers cannot both get in.
pub async fn insert(
    db: &Db,
    programme_id: i64,
    s: &NewSponsor,
    logo_png: Option<Vec<u8>>,
) -> Result<Result<i64, Clash>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM sponsors WHERE programme_id = $1"
    ))
    .bind(programme_id)
    .fetch_all(&mut *tx)
    .await?;
    let others: Vec<Sponsor> = rows.into_iter().map(Sponsor::from).collect();
    if let Some(c) = clash(s, &others) {
        return Ok(Err(c));
    }
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO sponsors (programme_id, name, link, logo_url, logo_png, category, tier, amount_cents, \
         exclusive, exclusive_except, starts_on, ends_on, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(programme_id)
    .bind(&s.name)
    .bind(&s.link)
    .bind(&s.logo_url)
    .bind(logo_png)
    .bind(s.category.code())
    .bind(s.tier.code())
    .bind(s.amount.cents())
    .bind(i64::from(s.exclusive))
    .bind(categories_to_stored(&s.except))
    .bind(&s.starts_on)
    .bind(&s.ends_on)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Remove a sponsor of the programme; false when there was none.
pub async fn delete(db: &Db, programme_id: i64, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sponsors WHERE id = $1 AND programme_id = $2")
        .bind(id)
        .bind(programme_id)
        .execute(&db.writer)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The uploaded logo (PNG) of a sponsor.
pub async fn logo(db: &Db, id: i64) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let row: Option<(Option<Vec<u8>>,)> =
        sqlx::query_as("SELECT logo_png FROM sponsors WHERE id = $1")
            .bind(id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.and_then(|(b,)| b))
}

/// The programme's placement rules (the default until the manager saves).
pub async fn placement(db: &Db, programme_id: i64) -> Result<Placement, sqlx::Error> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT pages, order_by FROM sponsor_placements WHERE programme_id = $1")
            .bind(programme_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row
        .map(|(p, o)| Placement::from_stored(&p, &o))
        .unwrap_or_default())
}

pub async fn save_placement(db: &Db, programme_id: i64, p: &Placement) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sponsor_placements (programme_id, pages, order_by, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (programme_id) DO UPDATE SET pages = excluded.pages, order_by = excluded.order_by, updated_at = excluded.updated_at",
    )
    .bind(programme_id)
    .bind(p.stored_pages())
    .bind(p.order.code())
    .bind(now_ms())
    .execute(&db.writer)
    .await?;
    Ok(())
}

/// Sponsors active on `today` (YYYY-MM-DD) in the programme's order.
pub async fn placed(db: &Db, programme_id: i64, today: &str) -> Result<Placed, sqlx::Error> {
    let placement = placement(db, programme_id).await?;
    let mut sponsors: Vec<Sponsor> = list(db, programme_id)
        .await?
        .into_iter()
        .filter(|s| s.active_on(today))
        .collect();
    sort(&mut sponsors, placement.order);
    Ok(Placed {
        placement: Some(placement),
        sponsors,
    })
}
