//! Provider cards in the database: saving a checked card (create, update,
//! links), its search terms, moderation status, yearly confirmation and the
//! reminder of cards left unconfirmed.

use sqlx::{Any, Row, Transaction};

use super::model::{Links, Valid, CONFIRM_EVERY_MS};
use super::search;
use crate::business::identifiers::LegalId;
use crate::db::{is_unique_violation, now_ms, opt_text, Db};

/// Why a card could not be saved.
#[derive(Debug)]
pub enum SaveError {
    /// Another card has this legal identifier.
    IdTaken(i64),
    /// Someone saved the card since it was read.
    Stale,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for SaveError {
    fn from(e: sqlx::Error) -> Self {
        SaveError::Db(e)
    }
}

async fn id_owner(
    tx: &mut Transaction<'static, Any>,
    id: &Option<LegalId>,
    except: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let Some(l) = id else { return Ok(None) };
    sqlx::query_scalar("SELECT id FROM providers WHERE id_kind = $1 AND id_value = $2 AND id <> $3")
        .bind(l.kind.code())
        .bind(&l.value)
        .bind(except)
        .fetch_optional(&mut **tx)
        .await
}

/// The columns a card form writes, in the order [`bind_card`] binds them
/// (`$1`..`$18`).
const CARD_COLUMNS: [&str; 18] = [
    "name",
    "search_key",
    "id_kind",
    "id_value",
    "country",
    "kind",
    "description",
    "prices",
    "refs",
    "website",
    "email",
    "phone",
    "social",
    "address",
    "postcode",
    "town",
    "commune_code",
    "remote",
];

/// Bind the values of [`CARD_COLUMNS`].
fn bind_card<'q>(
    q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    v: &'q Valid,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    q.bind(&v.name)
        .bind(crate::text::fold(&v.name))
        .bind(v.legal_id.as_ref().map(|l| l.kind.code()))
        .bind(v.legal_id.as_ref().map(|l| l.value.clone()))
        .bind(&v.country)
        .bind(&v.kind)
        .bind(&v.description)
        .bind(&v.prices)
        .bind(&v.refs)
        .bind(&v.website)
        .bind(&v.email)
        .bind(&v.phone)
        .bind(&v.social)
        .bind(&v.address)
        .bind(&v.postcode)
        .bind(&v.town)
        .bind(v.commune_code.as_deref())
        .bind(i64::from(v.remote))
}

/// Create a card; `member` keeps it. Returns its id.
pub async fn create(
    db: &Db,
    v: &Valid,
    status: &str,
    source: &str,
    member: Option<i64>,
) -> Result<i64, SaveError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    if let Some(owner) = id_owner(&mut tx, &v.legal_id, 0).await? {
        return Err(SaveError::IdTaken(owner));
    }
    let inserted = bind_card(
        sqlx::query(&format!(
            "INSERT INTO providers ({}, status, source, created_by, confirmed_at, created_at, updated_at) \
             VALUES ({}, $19, $20, $21, $22, $22, $22) RETURNING id",
            CARD_COLUMNS.join(", "),
            (1..=CARD_COLUMNS.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
        )),
        v,
    )
    .bind(status)
    .bind(source)
    .bind(member)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .and_then(|row| row.try_get::<i64, _>(0));
    let id = match inserted {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => return Err(SaveError::IdTaken(0)),
        Err(e) => return Err(e.into()),
    };
    if let Some(u) = member {
        sqlx::query("INSERT INTO provider_members (provider_id, user_id) VALUES ($1, $2)")
            .bind(id)
            .bind(u)
            .execute(&mut *tx)
            .await?;
    }
    set_links(&mut tx, id, &v.links).await?;
    reindex(&mut tx, id).await?;
    tx.commit().await.map_err(|e| {
        if is_unique_violation(&e) {
            SaveError::IdTaken(0)
        } else {
            SaveError::Db(e)
        }
    })?;
    Ok(id)
}

/// Save a card read at `version`; saving also confirms it is up to date.
pub async fn update(db: &Db, id: i64, version: i64, v: &Valid) -> Result<(), SaveError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let current: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT version FROM providers WHERE id = $1{}",
        crate::db::dialect::for_update(db.backend)
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    if current != Some(version) {
        return Err(SaveError::Stale);
    }
    if let Some(owner) = id_owner(&mut tx, &v.legal_id, id).await? {
        return Err(SaveError::IdTaken(owner));
    }
    let done = bind_card(
        sqlx::query(&format!(
            "UPDATE providers SET {}, confirmed_at = $19, updated_at = $19, version = version + 1 WHERE id = $20",
            CARD_COLUMNS
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c} = ${}", i + 1))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        v,
    )
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await;
    match done {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => return Err(SaveError::IdTaken(0)),
        Err(e) => return Err(e.into()),
    }
    set_links(&mut tx, id, &v.links).await?;
    reindex(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

async fn set_links(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    l: &Links,
) -> Result<(), sqlx::Error> {
    for table in [
        "provider_themes",
        "provider_sectors",
        "provider_sizes",
        "provider_territories",
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE provider_id = $1"))
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    for t in &l.themes {
        sqlx::query("INSERT INTO provider_themes (provider_id, theme_id) VALUES ($1, $2)")
            .bind(id)
            .bind(t)
            .execute(&mut **tx)
            .await?;
    }
    for (table, col, values) in [
        ("provider_sectors", "sector_code", &l.sectors),
        ("provider_sizes", "size_band", &l.sizes),
        ("provider_territories", "territory_code", &l.territories),
    ] {
        for v in values {
            sqlx::query(&format!(
                "INSERT INTO {table} (provider_id, {col}) VALUES ($1, $2)"
            ))
            .bind(id)
            .bind(v)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Rebuild the search terms of a card from what is stored.
pub async fn reindex(tx: &mut Transaction<'static, Any>, id: i64) -> Result<(), sqlx::Error> {
    let row = sqlx::query(
        "SELECT p.name, p.kind, p.description, p.refs, p.prices, p.town, c.name_fr AS commune FROM providers p \
         LEFT JOIN territories c ON c.code = p.commune_code WHERE p.id = $1",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    let themes: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT t.title_fr, t.title_en, t.tags FROM provider_themes pt JOIN themes t ON t.id = pt.theme_id WHERE pt.provider_id = $1",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    let name: String = row.get("name");
    let kind: String = row.get("kind");
    let description: String = row.get("description");
    let refs: String = row.get("refs");
    let prices: String = row.get("prices");
    let town: String = row.get("town");
    let commune = opt_text(&row, "commune").unwrap_or_default();
    let theme_text: String = themes
        .iter()
        .map(|(fr, en, tags)| format!("{fr} {en} {}", tags.replace(',', " ")))
        .collect::<Vec<_>>()
        .join(" ");
    let terms = search::index_terms(&[
        (&name, 5),
        (&kind, 3),
        (&theme_text, 3),
        (&town, 2),
        (&commune, 2),
        (&description, 1),
        (&refs, 1),
        (&prices, 1),
    ]);
    sqlx::query("DELETE FROM provider_terms WHERE provider_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for (term, weight) in terms.iter().take(400) {
        sqlx::query("INSERT INTO provider_terms (provider_id, term, weight) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(term)
            .bind(weight)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The row of `derived_versions` recording which folding the terms were built with.
const TERMS_DERIVED: &str = "directory_terms";

/// Rebuild every card's search terms and name key when [`crate::text::fold`]
/// changed since they were stored (its [`crate::text::FOLD_VERSION`] differs
/// from the recorded one). Runs at start-up after the migrations; cards are
/// rebuilt in batches so writers are never held up for long. Returns whether
/// anything was rebuilt.
pub async fn refold_if_stale(db: &Db) -> Result<bool, sqlx::Error> {
    let version = crate::text::FOLD_VERSION;
    let stored: Option<i64> =
        sqlx::query_scalar("SELECT version FROM derived_versions WHERE name = $1")
            .bind(TERMS_DERIVED)
            .fetch_optional(&db.pool)
            .await?;
    if stored == Some(version) {
        return Ok(false);
    }
    let cards: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM providers ORDER BY id")
        .fetch_all(&db.pool)
        .await?;
    for batch in cards.chunks(200) {
        let mut tx = db.begin_write().await?;
        for (id, name) in batch {
            sqlx::query("UPDATE providers SET search_key = $1 WHERE id = $2")
                .bind(crate::text::fold(name))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            reindex(&mut tx, *id).await?;
        }
        tx.commit().await?;
    }
    // Runs at start-up, before any state (and its search caches) exists.
    // The other stored keys were folded from text no longer at hand here:
    // folding a key again gives what folding its text gives (the former rules
    // only kept letters the new ones fold further), so they are refolded.
    refold_keys(db, "businesses", "CAST(id AS TEXT)", "id").await?;
    refold_keys(db, "territories", "code", "code").await?;
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM derived_versions WHERE name = $1")
        .bind(TERMS_DERIVED)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO derived_versions (name, version, built_at) VALUES ($1, $2, $3)")
        .bind(TERMS_DERIVED)
        .bind(version)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Fold again the `search_key` column of `table`, writing only the keys that change.
async fn refold_keys(db: &Db, table: &str, key: &str, key_column: &str) -> Result<(), sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as(&format!("SELECT {key}, search_key FROM {table}"))
            .fetch_all(&db.pool)
            .await?;
    let changed: Vec<(String, String)> = rows
        .into_iter()
        .filter_map(|(k, old)| {
            let new = crate::text::fold(&old);
            (new != old).then_some((k, new))
        })
        .collect();
    for batch in changed.chunks(500) {
        let mut tx = db.begin_write().await?;
        for (k, new) in batch {
            sqlx::query(&format!(
                "UPDATE {table} SET search_key = $1 WHERE CAST({key_column} AS TEXT) = $2"
            ))
            .bind(new)
            .bind(k)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// Change the status of a card (moderation, submission).
pub async fn set_status(
    db: &Db,
    id: i64,
    status: &str,
    by: Option<i64>,
    note: &str,
) -> Result<bool, sqlx::Error> {
    let now = now_ms();
    let approved = status == "published";
    let done = sqlx::query(
        "UPDATE providers SET status = $1, moderation_note = $2, updated_at = $3, \
         approved_at = CASE WHEN $4 = 1 THEN $3 ELSE approved_at END, approved_by = CASE WHEN $4 = 1 THEN $5 ELSE approved_by END \
         WHERE id = $6",
    )
    .bind(status)
    .bind(note)
    .bind(now)
    .bind(i64::from(approved))
    .bind(by)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The provider confirms the card is still accurate.
pub async fn confirm(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE providers SET confirmed_at = $1, reminder_sent_at = NULL WHERE id = $2")
        .bind(now_ms())
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Remind the keepers of cards unconfirmed for a year, once per year.
pub async fn remind_stale(db: &Db, base_url: &str, now: i64) -> Result<usize, sqlx::Error> {
    // One transaction per batch: the claim is one conditional UPDATE, so a
    // backlog (after an import) costs a few statements, not a few per card,
    // and two servers never remind the same card.
    let mut tx = db.begin_write().await?;
    let claimed: Vec<(i64, String)> = sqlx::query_as(&format!(
        "UPDATE providers SET reminder_sent_at = $1 \
         WHERE id IN (SELECT id FROM providers WHERE status = 'published' AND confirmed_at < $2 \
                      AND (reminder_sent_at IS NULL OR reminder_sent_at < confirmed_at) ORDER BY id LIMIT 200{}) \
           AND (reminder_sent_at IS NULL OR reminder_sent_at < confirmed_at) \
         RETURNING id, name",
        crate::db::dialect::skip_locked(db.backend)
    ))
    .bind(now)
    .bind(now - CONFIRM_EVERY_MS)
    .fetch_all(&mut *tx)
    .await?;
    if claimed.is_empty() {
        return Ok(0);
    }
    let ids: Vec<String> = claimed.iter().map(|(id, _)| id.to_string()).collect();
    let people: Vec<(i64, String, String, String)> = sqlx::query_as(&format!(
        "SELECT m.provider_id, u.email, u.display_name, u.locale FROM provider_members m JOIN users u ON u.id = m.user_id \
         WHERE m.provider_id IN ({}) ORDER BY m.provider_id, u.id",
        ids.join(", ")
    ))
    .fetch_all(&mut *tx)
    .await?;
    let names: std::collections::HashMap<i64, &str> =
        claimed.iter().map(|(id, n)| (*id, n.as_str())).collect();
    for (id, email, person, locale) in people {
        let name = names.get(&id).copied().unwrap_or_default();
        let tr = crate::i18n::Tr(
            crate::i18n::Locale::from_tag(&locale).unwrap_or(crate::i18n::Locale::Fr),
        );
        let link =
            crate::kernel::links::absolute_str(base_url, &format!("/prestataire/fiche/{id}"));
        crate::outbox::enqueue(
            &mut tx,
            &crate::outbox::NewMail {
                kind: "directory.confirm",
                to: email,
                reply_to: None,
                subject: tr.ts("dir-mail-confirm-subject", "name", name),
                body_text: format!(
                    "{}\n\n{}\n{link}\n",
                    tr.ts("mail-hello", "name", &person),
                    tr.ts("dir-mail-confirm-body", "name", name)
                ),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(claimed.len())
}
