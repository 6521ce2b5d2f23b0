//! Where personal data lives: for each kind of the register, the tables
//! that hold a person's data (what an export reads) and the statements
//! that erase it while keeping what the indicators count.
//!
//! A new feature that stores personal data (follow-up files) adds a
//! [`DataKind`] and its arms here; the matches are exhaustive.

use serde_json::{Map, Value};
use sqlx::{Column, Row};

use super::model::{DataKind, Hold, ERASED_NAME, REGISTER};
use super::store::Tx;
use crate::db::{now_ms, Db};

/// Whose data: an address (normalised) and the account that has it, if any.
#[derive(Debug, Clone)]
pub struct Subject {
    pub email: String,
    pub user_id: Option<i64>,
}

impl Subject {
    fn uid(&self) -> i64 {
        self.user_id.unwrap_or(-1)
    }
}

/// What a query is bound with.
#[derive(Debug, Clone, Copy)]
pub(super) enum By {
    /// `$1` is the address.
    Email,
    /// `$1` is the account id.
    User,
    /// `$1` the address, `$2` the account id.
    Both,
}

/// One table read for an export.
pub(super) struct Read {
    pub(super) table: &'static str,
    pub(super) by: By,
    pub(super) sql: &'static str,
}

const REG_IDS: &str = "SELECT id FROM workshop_registrations WHERE email_key = $1 OR user_id = $2";

/// The tables read for a kind of data.
fn reads(kind: DataKind) -> Vec<Read> {
    match kind {
        DataKind::Accounts => vec![
            Read { table: "users", by: By::User, sql: "SELECT id, email, display_name, locale, email_verified_at, disabled_at, created_at, updated_at FROM users WHERE id = $1" },
            Read { table: "user_roles", by: By::User, sql: "SELECT role, granted_at FROM user_roles WHERE user_id = $1" },
            Read { table: "sessions", by: By::User, sql: "SELECT created_at, last_seen_at, expires_at, user_agent FROM sessions WHERE user_id = $1" },
            Read { table: "api_tokens", by: By::User, sql: "SELECT name, prefix, role, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1" },
            Read { table: "people", by: By::Both, sql: "SELECT id, business_id, name, job_title, email, phone, created_at FROM people WHERE LOWER(email) = $1 OR user_id = $2" },
            Read { table: "consents", by: By::Both, sql: "SELECT c.purpose, c.text_version, c.locale, c.given_at FROM consents c JOIN people p ON p.id = c.person_id WHERE LOWER(p.email) = $1 OR p.user_id = $2" },
            Read { table: "consent_ledger", by: By::Both, sql: "SELECT purpose, text_version, granted, channel, locale, at FROM consent_ledger WHERE email = $1 OR user_id = $2 ORDER BY at, id" },
        ],
        DataKind::Cases => super::sources_cases::reads_cases(),
        DataKind::Testimonies => super::sources_cases::reads_testimonies(),
        DataKind::Registrations => vec![
            Read { table: "workshop_registrations", by: By::Both, sql: "SELECT r.id, r.session_id, s.starts_at, r.name, r.email, r.business_name, r.status, r.attendance, r.consent_version, r.consent_at, r.locale, r.source, r.created_at, r.cancelled_at FROM workshop_registrations r JOIN workshop_sessions s ON s.id = r.session_id WHERE r.email_key = $1 OR r.user_id = $2 ORDER BY s.starts_at" },
            Read { table: "workshop_feedback", by: By::Both, sql: "SELECT f.registration_id, f.satisfaction, f.usefulness, f.comment, f.wants_coaching, f.created_at FROM workshop_feedback f WHERE f.registration_id IN (SELECT id FROM workshop_registrations WHERE email_key = $1 OR user_id = $2)" },
            Read { table: "coaching_requests", by: By::Email, sql: "SELECT id, name, email, business_name, message, source, status, created_at FROM coaching_requests WHERE LOWER(email) = $1" },
        ],
        DataKind::Diagnostics => vec![
            Read { table: "diagnostics", by: By::User, sql: "SELECT id, business_id, bank_version, mode, status, sector_code, size_band, territory_code, overall, level, scores_json, created_at, submitted_at FROM diagnostics WHERE user_id = $1" },
            Read { table: "diagnostic_answers", by: By::User, sql: "SELECT a.diagnostic_id, a.question_code, a.response_json FROM diagnostic_answers a JOIN diagnostics d ON d.id = a.diagnostic_id WHERE d.user_id = $1 ORDER BY a.diagnostic_id, a.question_code" },
            Read { table: "diagnostic_notes", by: By::User, sql: "SELECT n.diagnostic_id, n.dimension, n.note FROM diagnostic_notes n JOIN diagnostics d ON d.id = n.diagnostic_id WHERE d.user_id = $1" },
        ],
        DataKind::Needs => vec![
            Read { table: "needs", by: By::User, sql: "SELECT id, business_id, title, context, goal, audience, features, existing_tools, budget_band, deadline, constraints_text, status, created_at FROM needs WHERE author_id = $1" },
            Read { table: "need_replies", by: By::User, sql: "SELECT id, need_id, provider_id, message, status, amount_cents, delay_days, quote_name, created_at FROM need_replies WHERE author_id = $1" },
            Read { table: "need_messages", by: By::User, sql: "SELECT id, need_id, provider_id, side, body, created_at FROM need_messages WHERE author_id = $1" },
            Read { table: "board_posts", by: By::User, sql: "SELECT id, kind, title, body, link, status, created_at FROM board_posts WHERE author_id = $1" },
        ],
        DataKind::Directory => vec![
            Read { table: "providers", by: By::User, sql: "SELECT p.id, p.name, p.email, p.phone, p.website, p.address, p.town, p.status, p.created_at FROM providers p JOIN provider_members m ON m.provider_id = p.id WHERE m.user_id = $1" },
            Read { table: "provider_claims", by: By::User, sql: "SELECT provider_id, message, status, created_at FROM provider_claims WHERE user_id = $1" },
        ],
        DataKind::Contact => vec![
            Read { table: "contact_messages", by: By::Email, sql: "SELECT id, name, email, organisation, subject, message, created_at FROM contact_messages WHERE LOWER(email) = $1" },
            Read { table: "outbox", by: By::Email, sql: "SELECT kind, subject, status, created_at, sent_at FROM outbox WHERE LOWER(to_addr) = $1" },
        ],
        DataKind::Businesses => vec![
            Read { table: "businesses", by: By::User, sql: "SELECT b.id, b.name, b.id_kind, b.id_value, b.country, b.sector_code, b.size_band, b.commune_code, b.address, b.website, b.created_at FROM businesses b JOIN business_members m ON m.business_id = b.id WHERE m.user_id = $1" },
        ],
    }
}

/// Rows of one table in an export.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TableDump {
    pub table: &'static str,
    pub rows: Vec<Map<String, Value>>,
}

/// One kind of data in an export.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Section {
    pub kind: &'static str,
    pub tables: Vec<TableDump>,
}

impl Section {
    /// How many rows this section holds.
    pub fn rows(&self) -> usize {
        self.tables.iter().map(|t| t.rows.len()).sum()
    }
}

fn value(row: &sqlx::any::AnyRow, i: usize) -> Value {
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return v.map(Value::from).unwrap_or(Value::Null);
    }
    if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
        return v.map(Value::from).unwrap_or(Value::Null);
    }
    if let Ok(v) = row.try_get::<Option<String>, _>(i) {
        return v.map(Value::from).unwrap_or(Value::Null);
    }
    Value::Null
}

/// Everything held about `s`, kind by kind, in register order.
pub async fn export(db: &Db, s: &Subject) -> Result<Vec<Section>, sqlx::Error> {
    let mut out = Vec::new();
    for e in REGISTER {
        let mut tables = Vec::new();
        for r in reads(e.kind) {
            let q = sqlx::query(r.sql);
            let q = match r.by {
                By::Email => q.bind(s.email.clone()),
                By::User => q.bind(s.uid()),
                By::Both => q.bind(s.email.clone()).bind(s.uid()),
            };
            let rows = q.fetch_all(&db.pool).await?;
            let rows = rows
                .iter()
                .map(|row| {
                    row.columns()
                        .iter()
                        .enumerate()
                        .map(|(i, c)| (c.name().to_string(), value(row, i)))
                        .collect()
                })
                .collect();
            tables.push(TableDump {
                table: r.table,
                rows,
            });
        }
        out.push(Section {
            kind: e.kind.code(),
            tables,
        });
    }
    Ok(out)
}

/// Legal holds that stop erasing a person: they are the only member of a
/// business with an open item (a need in progress, an open coaching
/// request). Follow-up files and grant applications add their holds here.
pub async fn person_holds(db: &Db, s: &Subject) -> Result<Vec<Hold>, sqlx::Error> {
    let needs: Vec<String> = sqlx::query_scalar(
        "SELECT n.title FROM needs n JOIN business_members m ON m.business_id = n.business_id \
         WHERE m.user_id = $1 AND n.status IN ('published', 'in_discussion', 'provider_chosen') \
         AND (SELECT COUNT(*) FROM business_members o WHERE o.business_id = n.business_id) = 1",
    )
    .bind(s.uid())
    .fetch_all(&db.pool)
    .await?;
    let mut holds: Vec<Hold> = needs
        .into_iter()
        .map(|about| Hold {
            key: "privacy-hold-open-need",
            about,
        })
        .collect();
    holds.extend(super::sources_cases::person_holds(db, s).await?);
    Ok(holds)
}

/// Legal holds that stop erasing a business: an open need or coaching request.
pub async fn business_holds(db: &Db, id: i64) -> Result<Vec<Hold>, sqlx::Error> {
    let mut holds: Vec<Hold> = sqlx::query_scalar::<_, String>(
        "SELECT title FROM needs WHERE business_id = $1 AND status IN ('published', 'in_discussion', 'provider_chosen')",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .map(|about| Hold {
        key: "privacy-hold-open-need",
        about,
    })
    .collect();
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM coaching_requests WHERE business_id = $1 AND status = 'open'",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await?;
    if open > 0 {
        holds.push(Hold {
            key: "privacy-hold-open-coaching",
            about: open.to_string(),
        });
    }
    holds.extend(super::sources_cases::business_holds(db, id).await?);
    Ok(holds)
}

/// What the statements of one kind were given.
struct Erase<'a> {
    s: &'a Subject,
    /// The erased address, unique to this erasure.
    email: &'a str,
    now: i64,
}

pub(super) async fn exec(tx: &mut Tx, sql: &str, binds: &[Bind<'_>]) -> Result<u64, sqlx::Error> {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = match b {
            Bind::I(v) => q.bind(*v),
            Bind::S(v) => q.bind(v.to_string()),
        };
    }
    Ok(q.execute(&mut **tx).await?.rows_affected())
}

#[derive(Clone, Copy)]
pub(super) enum Bind<'a> {
    I(i64),
    S(&'a str),
}

/// Erase a person's data of one kind; returns how many rows changed.
async fn erase_kind(tx: &mut Tx, kind: DataKind, e: &Erase<'_>) -> Result<u64, sqlx::Error> {
    use Bind::{I, S};
    let (mail, uid) = (e.s.email.as_str(), e.s.uid());
    let mut n = 0;
    match kind {
        DataKind::Registrations => {
            // Links and comments first, while the registrations still carry the address.
            n += exec(
                tx,
                &format!("DELETE FROM workshop_links WHERE registration_id IN ({REG_IDS})"),
                &[S(mail), I(uid)],
            )
            .await?;
            n += exec(tx, &format!("UPDATE workshop_feedback SET comment = '' WHERE registration_id IN ({REG_IDS})"), &[S(mail), I(uid)]).await?;
            // The erased address stays unique to this person, so counts by person do not move.
            n += exec(
                tx,
                "UPDATE workshop_registrations SET name = $3, email = $4, email_key = $4, user_id = NULL, updated_at = $5 WHERE email_key = $1 OR user_id = $2",
                &[S(mail), I(uid), S(ERASED_NAME), S(e.email), I(e.now)],
            )
            .await?;
            n += exec(
                tx,
                "UPDATE consent_ledger SET email = $2 WHERE email = $1 AND purpose = 'registration'",
                &[S(mail), S(e.email)],
            )
            .await?;
            n += exec(
                tx,
                "UPDATE coaching_requests SET name = $2, email = $3, message = '', updated_at = $4 WHERE LOWER(email) = $1",
                &[S(mail), S(ERASED_NAME), S(e.email), I(e.now)],
            )
            .await?;
        }
        DataKind::Cases => {
            let name: Option<String> =
                sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
                    .bind(uid)
                    .fetch_optional(&mut **tx)
                    .await?;
            n += super::sources_cases::erase_person_cases(tx, e.s, &name.unwrap_or_default())
                .await?;
        }
        DataKind::Testimonies => {
            n += super::sources_cases::erase_person_testimonies(tx, e.s).await?;
        }
        DataKind::Diagnostics => {
            n += exec(tx, "DELETE FROM diagnostic_notes WHERE diagnostic_id IN (SELECT id FROM diagnostics WHERE user_id = $1)", &[I(uid)]).await?;
            n += exec(
                tx,
                "UPDATE diagnostics SET user_id = NULL WHERE user_id = $1",
                &[I(uid)],
            )
            .await?;
        }
        DataKind::Needs => {
            n += exec(
                tx,
                "UPDATE needs SET author_id = NULL WHERE author_id = $1",
                &[I(uid)],
            )
            .await?;
            n += exec(
                tx,
                "UPDATE need_replies SET author_id = NULL WHERE author_id = $1",
                &[I(uid)],
            )
            .await?;
            n += exec(
                tx,
                "UPDATE need_messages SET author_id = NULL WHERE author_id = $1",
                &[I(uid)],
            )
            .await?;
            n += exec(
                tx,
                "UPDATE quote_reviews SET created_by = NULL WHERE created_by = $1",
                &[I(uid)],
            )
            .await?;
            n += exec(
                tx,
                "UPDATE board_posts SET author_id = NULL WHERE author_id = $1",
                &[I(uid)],
            )
            .await?;
        }
        DataKind::Directory => {
            n += exec(
                tx,
                "DELETE FROM provider_members WHERE user_id = $1",
                &[I(uid)],
            )
            .await?;
            n += exec(
                tx,
                "DELETE FROM provider_claims WHERE user_id = $1",
                &[I(uid)],
            )
            .await?;
        }
        DataKind::Contact => {
            n += exec(
                tx,
                "DELETE FROM contact_messages WHERE LOWER(email) = $1",
                &[S(mail)],
            )
            .await?;
            n += exec(
                tx,
                "DELETE FROM outbox WHERE LOWER(to_addr) = $1",
                &[S(mail)],
            )
            .await?;
            n += exec(
                tx,
                "DELETE FROM auth_tokens WHERE LOWER(email) = $1",
                &[S(mail)],
            )
            .await?;
        }
        DataKind::Businesses => {
            n += exec(
                tx,
                "DELETE FROM business_members WHERE user_id = $1",
                &[I(uid)],
            )
            .await?;
            n += exec(
                tx,
                "DELETE FROM people WHERE LOWER(email) = $1 OR user_id = $2",
                &[S(mail), I(uid)],
            )
            .await?;
        }
        DataKind::Accounts => {
            // The ledger keeps what was consented and when, not to whom.
            n += exec(
                tx,
                "UPDATE consent_ledger SET email = $3, user_id = NULL WHERE email = $1 OR user_id = $2",
                &[S(mail), I(uid), S(e.email)],
            )
            .await?;
            // Last: the account is kept as an empty shell, so what refers to it stays valid.
            n += exec(tx, "DELETE FROM sessions WHERE user_id = $1", &[I(uid)]).await?;
            n += exec(tx, "DELETE FROM api_tokens WHERE user_id = $1", &[I(uid)]).await?;
            n += exec(tx, "DELETE FROM user_roles WHERE user_id = $1", &[I(uid)]).await?;
            n += exec(
                tx,
                "UPDATE users SET email = $2, display_name = $3, password_hash = NULL, disabled_at = $4, updated_at = $4 WHERE id = $1",
                &[I(uid), S(e.email), S(ERASED_NAME), I(e.now)],
            )
            .await?;
        }
    }
    Ok(n)
}

/// Erase every kind of a person's data in `tx`; returns rows changed per kind.
pub async fn erase_person(
    tx: &mut Tx,
    s: &Subject,
    erased_email: &str,
) -> Result<Vec<(DataKind, u64)>, sqlx::Error> {
    let e = Erase {
        s,
        email: erased_email,
        now: now_ms(),
    };
    // Files and testimonies first: they find the businesses the person
    // alone is the contact of through the memberships that erasing the
    // business links removes. Accounts last: the other kinds find the
    // person by their account.
    let first = [DataKind::Cases, DataKind::Testimonies];
    let mut order: Vec<DataKind> = first.to_vec();
    order.extend(
        REGISTER
            .iter()
            .map(|r| r.kind)
            .filter(|k| *k != DataKind::Accounts && !first.contains(k)),
    );
    order.push(DataKind::Accounts);
    let mut out = Vec::new();
    for kind in order {
        out.push((kind, erase_kind(tx, kind, &e).await?));
    }
    Ok(out)
}

/// Erase a business: its name becomes a placeholder, its identifier,
/// address, contacts, history and free text go; its sector, size,
/// territory and partner stay for the figures. Returns rows changed.
pub async fn erase_business(tx: &mut Tx, id: i64, placeholder: &str) -> Result<u64, sqlx::Error> {
    use Bind::{I, S};
    let now = now_ms();
    let key = crate::text::fold(placeholder);
    let erased_id = format!("efface-{id}");
    let mut n = exec(
        tx,
        "UPDATE businesses SET name = $2, search_key = $3, id_value = $4, address = '', website = '', version = version + 1, updated_at = $5 WHERE id = $1",
        &[I(id), S(placeholder), S(&key), S(&erased_id), I(now)],
    )
    .await?;
    n += exec(tx, "DELETE FROM people WHERE business_id = $1", &[I(id)]).await?;
    n += exec(
        tx,
        "DELETE FROM business_history WHERE business_id = $1",
        &[I(id)],
    )
    .await?;
    n += exec(
        tx,
        "DELETE FROM business_members WHERE business_id = $1",
        &[I(id)],
    )
    .await?;
    n += exec(
        tx,
        "UPDATE workshop_registrations SET business_name = $2 WHERE business_id = $1",
        &[I(id), S(placeholder)],
    )
    .await?;
    n += exec(
        tx,
        "UPDATE coaching_requests SET business_name = $2, message = '' WHERE business_id = $1",
        &[I(id), S(placeholder)],
    )
    .await?;
    n += exec(
        tx,
        "UPDATE needs SET title = $2, context = '', goal = '', audience = '', features = '', existing_tools = '', constraints_text = '' WHERE business_id = $1",
        &[I(id), S(placeholder)],
    )
    .await?;
    n += exec(tx, "UPDATE quote_reviews SET notes = '' WHERE need_id IN (SELECT id FROM needs WHERE business_id = $1)", &[I(id)]).await?;
    n += super::sources_cases::erase_business_cases(tx, id, placeholder).await?;
    Ok(n)
}

/// The business's current name, if it exists.
pub async fn business_name(db: &Db, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM businesses WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// Registrations not seen again for `months`: every registration of an
/// address whose latest session started before the cut-off. Returns the
/// addresses (the job erases them like a person's request would, for the
/// registrations kind only).
pub async fn stale_registrants(db: &Db, before_ms: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT r.email_key FROM workshop_registrations r JOIN workshop_sessions s ON s.id = r.session_id \
         WHERE r.email_key NOT LIKE 'efface-%' GROUP BY r.email_key HAVING MAX(s.starts_at) < $1",
    )
    .bind(before_ms)
    .fetch_all(&db.pool)
    .await
}

/// Erase only the registrations of an address (retention).
pub async fn erase_registrations(
    tx: &mut Tx,
    email_key: &str,
    erased_email: &str,
) -> Result<u64, sqlx::Error> {
    let s = Subject {
        email: email_key.to_string(),
        user_id: None,
    };
    let e = Erase {
        s: &s,
        email: erased_email,
        now: now_ms(),
    };
    erase_kind(tx, DataKind::Registrations, &e).await
}

/// Contact messages older than the cut-off are deleted (retention).
pub async fn delete_old_contact(tx: &mut Tx, before_ms: i64) -> Result<u64, sqlx::Error> {
    exec(
        tx,
        "DELETE FROM contact_messages WHERE created_at < $1",
        &[Bind::I(before_ms)],
    )
    .await
}

/// Every table an export reads (the schema-walk test compares it with the
/// tables that hold personal columns).
pub fn tables_read() -> Vec<&'static str> {
    REGISTER
        .iter()
        .flat_map(|e| reads(e.kind).into_iter().map(|r| r.table))
        .collect()
}
