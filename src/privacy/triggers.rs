//! Database triggers of the privacy feature, written once and installed on
//! both backends at every start (inside the migration transaction, after
//! the migrations, so several servers starting at once install them one
//! after the other):
//!
//! - the audit log refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL):
//!   append-only is enforced by the database, not only by the code;
//! - every read and change of a follow-up file, and every role granted or
//!   taken away, is appended to the audit log whatever path wrote it;
//! - every consent stored with a registration, an account, a business
//!   contact or a testimony becomes a row of the consent ledger.
//!
//! Triggers rather than calls in each feature: a new path that writes one of
//! these tables (an import, the API, the command line) cannot forget them.

use super::consent::Purpose;
use super::store::Tx;
use crate::db::Backend;

/// One trigger: `body` is a single statement that may use `NEW.` / `OLD.`
/// and `{now}` (milliseconds since the epoch).
struct Trigger {
    name: &'static str,
    table: &'static str,
    /// "AFTER" or "BEFORE".
    timing: &'static str,
    /// "INSERT", "UPDATE", "DELETE" (SQLite gets one trigger per event).
    events: &'static [&'static str],
    condition: Option<&'static str>,
    body: Body,
}

enum Body {
    /// Run this statement.
    Run(String),
    /// Refuse the change with this message.
    Refuse(&'static str),
}

const AUDIT_INSERT: &str =
    "INSERT INTO audit_log (at, actor_id, actor, action, subject, detail) VALUES";
const LEDGER_INSERT: &str = "INSERT INTO consent_ledger (email, user_id, purpose, text_version, granted, channel, locale, source_id, at)";

fn triggers() -> Vec<Trigger> {
    let ledger = |purpose: Purpose, values: &str| {
        Body::Run(format!(
            "{LEDGER_INSERT} VALUES ({})",
            values
                .replace("{purpose}", &format!("'{}'", purpose.code()))
                .replace("{version}", &format!("'{}'", purpose.version()))
        ))
    };
    vec![
        Trigger {
            name: "audit_log_append_only",
            table: "audit_log",
            timing: "BEFORE",
            events: &["UPDATE", "DELETE"],
            condition: None,
            body: Body::Refuse("audit_log is append-only"),
        },
        Trigger {
            name: "audit_case_read",
            table: "case_reads",
            timing: "AFTER",
            events: &["INSERT"],
            condition: None,
            body: Body::Run(format!("{AUDIT_INSERT} (NEW.at, NEW.user_id, COALESCE((SELECT email FROM users WHERE id = NEW.user_id), ''), 'case_read', 'case #' || NEW.case_id, '')")),
        },
        Trigger {
            name: "audit_case_activity",
            table: "case_activities",
            timing: "AFTER",
            events: &["INSERT"],
            condition: None,
            body: Body::Run(format!("{AUDIT_INSERT} (NEW.created_at, NEW.author_id, COALESCE((SELECT email FROM users WHERE id = NEW.author_id), ''), 'case_changed', 'case #' || NEW.case_id, 'activity ' || NEW.kind)")),
        },
        Trigger {
            name: "audit_case_revision",
            table: "case_activity_revisions",
            timing: "AFTER",
            events: &["INSERT"],
            condition: None,
            body: Body::Run(format!("{AUDIT_INSERT} (NEW.edited_at, NEW.edited_by, COALESCE((SELECT email FROM users WHERE id = NEW.edited_by), ''), 'case_changed', 'case #' || COALESCE((SELECT case_id FROM case_activities WHERE id = NEW.activity_id), 0), 'edit activity #' || NEW.activity_id)")),
        },
        Trigger {
            name: "audit_case_status",
            table: "cases",
            timing: "AFTER",
            events: &["UPDATE"],
            condition: Some("OLD.status <> NEW.status"),
            body: Body::Run(format!("{AUDIT_INSERT} (NEW.updated_at, NULL, '', 'case_changed', 'case #' || NEW.id, 'status ' || OLD.status || ' > ' || NEW.status)")),
        },
        Trigger {
            name: "audit_role_granted",
            table: "user_roles",
            timing: "AFTER",
            events: &["INSERT"],
            condition: None,
            body: Body::Run(format!("{AUDIT_INSERT} (NEW.granted_at, NEW.granted_by, COALESCE((SELECT email FROM users WHERE id = NEW.granted_by), ''), 'role_granted', 'user #' || NEW.user_id, NEW.role)")),
        },
        Trigger {
            name: "audit_role_revoked",
            table: "user_roles",
            timing: "AFTER",
            events: &["DELETE"],
            condition: None,
            body: Body::Run(format!("{AUDIT_INSERT} ({{now}}, OLD.revoked_by, COALESCE((SELECT email FROM users WHERE id = OLD.revoked_by), ''), 'role_revoked', 'user #' || OLD.user_id, OLD.role)")),
        },
        Trigger {
            name: "audit_role_changed",
            table: "user_roles",
            timing: "AFTER",
            events: &["UPDATE"],
            condition: Some("OLD.role <> NEW.role"),
            body: Body::Run(format!("{AUDIT_INSERT} ({{now}}, NULL, '', 'role_granted', 'user #' || NEW.user_id, OLD.role || ' > ' || NEW.role)")),
        },
        Trigger {
            name: "consent_registration",
            table: "workshop_registrations",
            timing: "AFTER",
            events: &["INSERT"],
            condition: Some("NEW.consent_version <> ''"),
            body: Body::Run(format!("{LEDGER_INSERT} VALUES (NEW.email_key, NEW.user_id, '{}', NEW.consent_version, 1, NEW.source, NEW.locale, NEW.id, NEW.consent_at)", Purpose::Registration.code())),
        },
        Trigger {
            name: "consent_contact",
            table: "consents",
            timing: "AFTER",
            events: &["INSERT"],
            condition: None,
            body: Body::Run(format!("{LEDGER_INSERT} SELECT LOWER(p.email), p.user_id, NEW.purpose, NEW.text_version, 1, 'web', NEW.locale, NEW.id, NEW.given_at FROM people p WHERE p.id = NEW.person_id")),
        },
        Trigger {
            name: "consent_signup",
            table: "users",
            timing: "AFTER",
            events: &["INSERT"],
            condition: None,
            body: ledger(Purpose::Signup, "LOWER(NEW.email), NEW.id, {purpose}, {version}, 1, 'web', NEW.locale, NEW.id, NEW.created_at"),
        },
        Trigger {
            name: "consent_testimony",
            table: "testimonies",
            timing: "AFTER",
            events: &["INSERT"],
            condition: Some("NEW.consent_at IS NOT NULL"),
            body: ledger(Purpose::Testimony, "LOWER(NEW.consent_by), NULL, {purpose}, {version}, 1, 'staff', NEW.locale, NEW.id, NEW.consent_at"),
        },
        Trigger {
            name: "consent_testimony_later",
            table: "testimonies",
            timing: "AFTER",
            events: &["UPDATE"],
            condition: Some("OLD.consent_at IS NULL AND NEW.consent_at IS NOT NULL"),
            body: ledger(Purpose::Testimony, "LOWER(NEW.consent_by), NULL, {purpose}, {version}, 1, 'staff', NEW.locale, NEW.id, NEW.consent_at"),
        },
        Trigger {
            name: "consent_photo",
            table: "testimonies",
            timing: "AFTER",
            events: &["INSERT"],
            condition: Some("NEW.photo_consent = 1"),
            body: ledger(Purpose::Photo, "LOWER(NEW.consent_by), NULL, {purpose}, {version}, 1, 'staff', NEW.locale, NEW.id, COALESCE(NEW.consent_at, NEW.created_at)"),
        },
        Trigger {
            name: "consent_photo_later",
            table: "testimonies",
            timing: "AFTER",
            events: &["UPDATE"],
            condition: Some("OLD.photo_consent = 0 AND NEW.photo_consent = 1"),
            body: ledger(Purpose::Photo, "LOWER(NEW.consent_by), NULL, {purpose}, {version}, 1, 'staff', NEW.locale, NEW.id, NEW.updated_at"),
        },
    ]
}

/// The current time in milliseconds, as SQL.
fn now_sql(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)",
        Backend::Postgres => "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)",
    }
}

/// The statements that (re)create every trigger on `backend`.
pub fn statements(backend: Backend) -> Vec<String> {
    let mut out = Vec::new();
    for t in triggers() {
        match backend {
            Backend::Sqlite => {
                let body = match &t.body {
                    Body::Run(s) => s.replace("{now}", now_sql(backend)),
                    Body::Refuse(msg) => format!("SELECT RAISE(ABORT, '{msg}')"),
                };
                for ev in t.events {
                    let name = format!("{}_{}", t.name, ev.to_lowercase());
                    out.push(format!("DROP TRIGGER IF EXISTS {name}"));
                    let when = t
                        .condition
                        .map(|c| format!(" WHEN {c}"))
                        .unwrap_or_default();
                    out.push(format!(
                        "CREATE TRIGGER {name} {} {ev} ON {} FOR EACH ROW{when} BEGIN {body}; END",
                        t.timing, t.table
                    ));
                }
            }
            Backend::Postgres => {
                let body = match &t.body {
                    Body::Run(s) => {
                        format!("{}; RETURN NULL;", s.replace("{now}", now_sql(backend)))
                    }
                    Body::Refuse(msg) => format!("RAISE EXCEPTION '{msg}';"),
                };
                out.push(format!(
                    "CREATE OR REPLACE FUNCTION {}_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} END $$",
                    t.name
                ));
                let when = t
                    .condition
                    .map(|c| format!(" WHEN ({c})"))
                    .unwrap_or_default();
                out.push(format!(
                    "CREATE OR REPLACE TRIGGER {} {} {} ON {} FOR EACH ROW{when} EXECUTE FUNCTION {}_fn()",
                    t.name,
                    t.timing,
                    t.events.join(" OR "),
                    t.table,
                    t.name
                ));
                if matches!(t.body, Body::Refuse(_)) {
                    out.push(format!(
                        "CREATE OR REPLACE TRIGGER {}_truncate BEFORE TRUNCATE ON {} FOR EACH STATEMENT EXECUTE FUNCTION {}_fn()",
                        t.name, t.table, t.name
                    ));
                }
            }
        }
    }
    out
}

/// Install (or replace) the triggers in the migration transaction, unless
/// the same ones are installed already.
pub async fn install(backend: Backend, tx: &mut Tx) -> Result<(), sqlx::Error> {
    crate::db::migrations::install_derived(tx, "privacy_triggers", &statements(backend)).await
}
