//! Personal data as a chamber must handle it: the register of processing,
//! the privacy and accessibility pages, the audit log (append-only),
//! access and portability (JSON and PDF), erasure that keeps the figures,
//! and retention run once a day by one server.
//!
//! `model` holds the register and rules, `sources` where a person's data
//! lives (what an export reads and an erasure changes), `store` the audit
//! log and settings, `pages` the handlers, `pdf` the readable export.

pub mod consent;
mod consent_pages;
pub mod model;
mod pages;
pub mod pdf;
mod retention;
pub mod sources;
mod sources_cases;
pub mod store;
pub mod triggers;

use axum::routing::{get, post};
use rand::RngCore;

use crate::auth::SessionUser;
use crate::db::Db;
use crate::web::access::{Access, Routes, ADMIN, STAFF};
pub use consent_pages::mail_footer;
pub use model::{AuditAction, DataKind, Hold};
pub use retention::retention_run;
pub use sources::Subject;
pub use store::NewAudit;

/// Routes of the privacy feature, each with who may use it.
pub fn routes() -> Routes {
    Routes::new()
        .route("/confidentialite", Access::Public, get(pages::privacy))
        .route("/accessibilite", Access::Public, get(pages::accessibility))
        .route("/compte/donnees", Access::SignedIn, get(pages::mine))
        .route(
            "/compte/donnees.json",
            Access::SignedIn,
            get(pages::mine_json),
        )
        .route(
            "/compte/donnees.pdf",
            Access::SignedIn,
            get(pages::mine_pdf),
        )
        .route(
            "/compte/donnees/effacer",
            Access::SignedIn,
            get(pages::erase_mine_form).post(pages::erase_mine),
        )
        .route(
            "/admin/donnees-personnelles",
            Access::Roles(ADMIN),
            get(pages::register).post(pages::save_retention),
        )
        .route(
            "/admin/donnees-personnelles/registre.pdf",
            Access::Roles(ADMIN),
            get(pages::register_pdf),
        )
        .route(
            "/admin/donnees-personnelles/demande",
            Access::Roles(STAFF),
            get(pages::request),
        )
        .route(
            "/admin/donnees-personnelles/demande.json",
            Access::Roles(STAFF),
            get(pages::request_json),
        )
        .route(
            "/admin/donnees-personnelles/demande.pdf",
            Access::Roles(STAFF),
            get(pages::request_pdf),
        )
        .route(
            "/admin/donnees-personnelles/effacer",
            Access::Roles(ADMIN),
            post(pages::erase_for),
        )
        .route(
            "/admin/donnees-personnelles/entreprise",
            Access::Roles(ADMIN),
            post(pages::erase_business),
        )
        .route("/admin/journal", Access::Roles(ADMIN), get(pages::audit))
        .route(
            "/compte/consentements",
            Access::SignedIn,
            get(consent_pages::mine).post(consent_pages::answer_mine),
        )
        .route(
            "/consentement",
            Access::Public,
            get(consent_pages::link).post(consent_pages::answer_link),
        )
        .route(
            "/admin/consentements",
            Access::Roles(ADMIN),
            get(consent_pages::ledger),
        )
}

/// How someone acting is named in the audit log: staff by their address
/// (accountability), anyone else by their subject key (so an erased person's
/// address does not survive in the log).
pub fn actor_label(user: &SessionUser) -> String {
    if user.roles.iter().any(|r| STAFF.contains(r)) {
        user.email.clone()
    } else {
        model::subject_key(&user.email)
    }
}

/// Record an export of personal data (a CSV/XLSX of registrations,
/// businesses...) and return the line that names who exported it and
/// when, for the file itself.
pub async fn record_export(db: &Db, user: &SessionUser, what: &str) -> Result<String, sqlx::Error> {
    let actor = actor_label(user);
    store::record(
        &db.writer,
        &NewAudit {
            actor_id: Some(user.id),
            actor: &actor,
            action: AuditAction::Export,
            subject: "",
            detail: what,
        },
    )
    .await?;
    Ok(exported_by(&user.email, crate::db::now_ms()))
}

/// Response header naming who exported a file whose format has no room
/// for it (a CSV that must read back as an import).
pub const EXPORT_HEADER: &str = "x-tremplin-exported-by";

/// "Exported by x on <UTC time>", written in exported files.
pub fn exported_by(email: &str, at_ms: i64) -> String {
    let at = jiff::Timestamp::from_millisecond(at_ms)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default();
    format!("Export: {email} {at}")
}

/// The subject behind an address (normalised), with its account if any.
pub async fn subject(db: &Db, email: &str) -> Result<Subject, sqlx::Error> {
    let email = model::normalise_email(email);
    let user_id = store::user_by_email(db, &email).await?;
    Ok(Subject { email, user_id })
}

/// How an erasure ended.
#[derive(Debug)]
pub enum Erasure {
    Done {
        rows: u64,
    },
    /// Already erased at this time.
    AlreadyErased(i64),
    /// Legal holds: nothing was changed.
    Held(Vec<Hold>),
    /// Nothing is held about this subject.
    NothingHeld,
}

/// A fresh random token for an erased address.
fn token() -> String {
    let mut b = [0u8; 8];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// Erase a person: refused when already erased or held; otherwise their
/// data of every kind, the erasure noted and audited in one transaction.
pub async fn erase_person(
    db: &Db,
    s: &Subject,
    by: Option<i64>,
    actor: &str,
) -> Result<Erasure, sqlx::Error> {
    let key = model::subject_key(&s.email);
    if let Some(at) = store::erased_at(db, &key).await? {
        return Ok(Erasure::AlreadyErased(at));
    }
    let exported = sources::export(db, s).await?;
    if exported.iter().all(|sec| sec.rows() == 0) {
        return Ok(Erasure::NothingHeld);
    }
    let holds = sources::person_holds(db, s).await?;
    if !holds.is_empty() {
        let detail = holds
            .iter()
            .map(|h| format!("{}: {}", h.key, h.about))
            .collect::<Vec<_>>()
            .join("; ");
        store::record(
            &db.writer,
            &NewAudit {
                actor_id: by,
                actor,
                action: AuditAction::ErasureRefused,
                subject: &key,
                detail: &detail,
            },
        )
        .await?;
        return Ok(Erasure::Held(holds));
    }
    let mut tx = db.begin_write().await?;
    let counts = sources::erase_person(&mut tx, s, &model::erased_email(&token())).await?;
    let rows: u64 = counts.iter().map(|(_, n)| n).sum();
    let summary = counts
        .iter()
        .map(|(k, n)| format!("{}={n}", k.code()))
        .collect::<Vec<_>>()
        .join(" ");
    if !store::note_erasure(&mut tx, &key, "person", by, &summary).await? {
        tx.rollback().await?;
        let at = store::erased_at(db, &key).await?.unwrap_or(0);
        return Ok(Erasure::AlreadyErased(at));
    }
    store::record(
        &mut *tx,
        &NewAudit {
            actor_id: by,
            actor,
            action: AuditAction::Erasure,
            subject: &key,
            detail: &summary,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Erasure::Done { rows })
}

/// Erase a business (by a programme manager): refused when already erased or held.
pub async fn erase_business(
    db: &Db,
    id: i64,
    by: Option<i64>,
    actor: &str,
) -> Result<Erasure, sqlx::Error> {
    let key = model::business_key(id);
    if let Some(at) = store::erased_at(db, &key).await? {
        return Ok(Erasure::AlreadyErased(at));
    }
    if sources::business_name(db, id).await?.is_none() {
        return Ok(Erasure::NothingHeld);
    }
    let holds = sources::business_holds(db, id).await?;
    if !holds.is_empty() {
        return Ok(Erasure::Held(holds));
    }
    let placeholder = format!("Entreprise effacée #{id}");
    let mut tx = db.begin_write().await?;
    let rows = sources::erase_business(&mut tx, id, &placeholder).await?;
    if !store::note_erasure(&mut tx, &key, "business", by, &rows.to_string()).await? {
        tx.rollback().await?;
        let at = store::erased_at(db, &key).await?.unwrap_or(0);
        return Ok(Erasure::AlreadyErased(at));
    }
    store::record(
        &mut *tx,
        &NewAudit {
            actor_id: by,
            actor,
            action: AuditAction::Erasure,
            subject: &key,
            detail: &format!("business rows={rows}"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Erasure::Done { rows })
}

/// How this server names itself when it claims a daily run.
pub fn server_id() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "server".into());
    format!("{host}:{}", std::process::id())
}
