//! Scheduled workshop sessions over the next year.

use crate::cli::seed::SESSIONS;
use crate::db::{now_ms, Db};

/// Sessions written per multi-row `INSERT` (10 parameters each).
const SESSION_BATCH: usize = 500;

/// Create `count` scheduled sessions over the next year (for load tests),
/// spread round-robin over every theme and the communes of the demo
/// sessions, both formats, starting between 9:00 and 17:00; one transaction, multi-row inserts
/// of [`SESSION_BATCH`]. Not idempotent: each call adds `count` more.
/// Returns how many were created.
pub async fn sessions(db: &Db, count: usize) -> anyhow::Result<usize> {
    let programme = crate::programme::load(db, None).await?;
    let themes: Vec<i64> = sqlx::query_scalar("SELECT id FROM themes ORDER BY id")
        .fetch_all(&db.pool)
        .await?;
    if themes.is_empty() {
        anyhow::bail!("no theme to put sessions in: load the demo data first (seed --demo)");
    }
    // The demo sessions' communes that exist in this database.
    let mut communes: Vec<(String, String)> = vec![];
    for (_, _, _, _, commune, venue, _, _) in SESSIONS {
        if communes.iter().any(|(c, _)| c == commune) {
            continue;
        }
        let known: Option<String> =
            sqlx::query_scalar("SELECT code FROM territories WHERE code = $1")
                .bind(*commune)
                .fetch_optional(&db.pool)
                .await?;
        if let Some(code) = known {
            communes.push((code, (*venue).to_string()));
        }
    }
    if communes.is_empty() {
        anyhow::bail!("none of the demo communes exists: load the demo data first (seed --demo)");
    }
    let paris = crate::kernel::dates::zone(&programme.timezone);
    let noumea = crate::kernel::dates::zone("Pacific/Noumea");
    let today = crate::kernel::dates::zoned(&paris, now_ms()).date();
    let formats = [("awareness", 60_i64), ("halfday", 210)];
    let capacities = [8_i64, 12, 15, 20, 30];
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let mut created = 0;
    while created < count {
        let end = (created + SESSION_BATCH).min(count);
        let rows = end - created;
        let values: Vec<String> = (0..rows)
            .map(|r| {
                let p = 10 * r;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, 'scheduled', ${}, ${})",
                    p + 1,
                    p + 2,
                    p + 3,
                    p + 4,
                    p + 5,
                    p + 6,
                    p + 7,
                    p + 8,
                    p + 9,
                    p + 10
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO workshop_sessions (programme_id, theme_id, format, starts_at, ends_at, venue, \
             commune_code, capacity, status, created_at, updated_at) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for n in created..end {
            let theme = themes[n % themes.len()];
            // Coprime strides so that themes, places and formats mix.
            let (commune, venue) = &communes[(n / themes.len() + n) % communes.len()];
            let (format, minutes) = formats[(n + n / themes.len()) % 2];
            let days = 1 + (n * 7 % 365) as i64;
            let hour = 9 + (n % 9) as i8;
            let date = today
                .checked_add(jiff::Span::new().days(days))
                .map_err(|e| anyhow::anyhow!("session date: {e}"))?;
            let zone = if commune.starts_with("NC-") {
                &noumea
            } else {
                &paris
            };
            let starts =
                crate::kernel::dates::to_ms(zone, date, jiff::civil::Time::new(hour, 0, 0, 0)?)
                    .ok_or_else(|| anyhow::anyhow!("session time"))?;
            q = q
                .bind(programme.id)
                .bind(theme)
                .bind(format)
                .bind(starts)
                .bind(starts + minutes * 60_000)
                .bind(venue.clone())
                .bind(commune.clone())
                .bind(capacities[n % capacities.len()])
                .bind(now)
                .bind(now);
        }
        q.execute(&mut *tx).await?;
        created = end;
    }
    tx.commit().await?;
    Ok(created)
}
