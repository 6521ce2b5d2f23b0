//! Database triggers that keep the dashboard's facts live: every write to a
//! table a figure is computed from (registrations and attendance, feedback,
//! sessions, coaching requests, diagnostics, businesses, follow-up files,
//! plan steps, hours, referrals, funding applications) appends to
//! `dashboard_changes` which facts must be recomputed, as (source, origin):
//! the origin is the row the fact is folded from (see `store::source_sql`).
//! Each server reads the changes it has not applied yet before computing a
//! page (`facts::refresh`) and recomputes only those facts.
//!
//! Triggers rather than calls in each feature: a new path that writes one of
//! these tables (an import, the API, the command line) cannot forget them.
//! Installed at every start like the privacy triggers (same fingerprint
//! scheme), for both backends from one definition.

use crate::db::Backend;
use crate::privacy::store::Tx;

/// What one row of `table` invalidates, as `(source, origin expression,
/// FROM … WHERE … or "")`; `R.` stands for the row (NEW or OLD).
struct Table {
    table: &'static str,
    /// Events logged (INSERT with NEW, DELETE with OLD, UPDATE with both).
    events: &'static [&'static str],
    /// Only log an UPDATE when this holds (NEW/OLD allowed).
    update_when: Option<&'static str>,
    /// Only log an INSERT or a DELETE of a row for which this holds (`R.`).
    row_when: Option<&'static str>,
    logs: &'static [(&'static str, &'static str, &'static str)],
}

const ALL: &[&str] = &["INSERT", "UPDATE", "DELETE"];

fn tables() -> Vec<Table> {
    vec![
        Table {
            table: "workshop_registrations",
            events: ALL,
            update_when: Some(
                "OLD.attendance IS DISTINCT FROM NEW.attendance OR OLD.business_id IS DISTINCT FROM NEW.business_id \
                 OR OLD.business_name IS DISTINCT FROM NEW.business_name OR OLD.email_key IS DISTINCT FROM NEW.email_key \
                 OR OLD.session_id IS DISTINCT FROM NEW.session_id",
            ),
            row_when: None,
            logs: &[
                ("workshop", "R.id", ""),
                ("feedback", "R.id", ""),
                ("session", "R.session_id", ""),
            ],
        },
        Table {
            table: "workshop_feedback",
            events: ALL,
            update_when: None,
            row_when: None,
            logs: &[("feedback", "R.registration_id", "")],
        },
        Table {
            table: "workshop_sessions",
            events: &["UPDATE", "DELETE"],
            update_when: Some(
                "OLD.starts_at IS DISTINCT FROM NEW.starts_at OR OLD.commune_code IS DISTINCT FROM NEW.commune_code \
                 OR OLD.partner_id IS DISTINCT FROM NEW.partner_id OR OLD.planned_coaching IS DISTINCT FROM NEW.planned_coaching \
                 OR OLD.theme_id IS DISTINCT FROM NEW.theme_id OR OLD.format IS DISTINCT FROM NEW.format",
            ),
            row_when: None,
            logs: &[
                ("session", "R.id", ""),
                ("workshop", "x.id", "FROM workshop_registrations x WHERE x.session_id = R.id AND x.attendance = 'present'"),
                ("feedback", "x.registration_id", "FROM workshop_feedback x WHERE x.session_id = R.id"),
                ("request", "x.id", "FROM coaching_requests x WHERE x.session_id = R.id"),
            ],
        },
        Table {
            table: "coaching_requests",
            events: ALL,
            update_when: None,
            row_when: None,
            logs: &[("request", "R.id", ""), ("first-contact", "R.id", "")],
        },
        Table {
            table: "diagnostics",
            events: ALL,
            update_when: Some("OLD.status = 'submitted' OR NEW.status = 'submitted'"),
            row_when: Some("R.status = 'submitted'"),
            logs: &[
                ("diagnostic", "R.id", ""),
                ("progressed", "R.business_id", "WHERE R.business_id IS NOT NULL"),
            ],
        },
        Table {
            table: "businesses",
            events: &["UPDATE", "DELETE"],
            update_when: Some(
                "OLD.commune_code IS DISTINCT FROM NEW.commune_code OR OLD.sector_code IS DISTINCT FROM NEW.sector_code \
                 OR OLD.size_band IS DISTINCT FROM NEW.size_band OR OLD.partner_id IS DISTINCT FROM NEW.partner_id",
            ),
            row_when: None,
            logs: &[
                ("workshop", "x.id", "FROM workshop_registrations x WHERE x.business_id = R.id"),
                ("feedback", "x.id", "FROM workshop_registrations x WHERE x.business_id = R.id"),
                ("request", "x.id", "FROM coaching_requests x WHERE x.business_id = R.id"),
                ("first-contact", "x.id", "FROM coaching_requests x WHERE x.business_id = R.id"),
                ("diagnostic", "x.id", "FROM diagnostics x WHERE x.business_id = R.id"),
                ("progressed", "R.id", ""),
                ("case", "x.id", "FROM cases x WHERE x.business_id = R.id"),
                ("plan", "x.id", "FROM cases x WHERE x.business_id = R.id"),
                ("hours", "x.id", "FROM cases x WHERE x.business_id = R.id"),
                ("referral", "x.id", "FROM cases x WHERE x.business_id = R.id"),
                ("funded", "R.id", ""),
            ],
        },
        Table {
            table: "cases",
            events: ALL,
            update_when: Some(
                "OLD.adviser_id IS DISTINCT FROM NEW.adviser_id OR OLD.business_id IS DISTINCT FROM NEW.business_id \
                 OR OLD.opened_at IS DISTINCT FROM NEW.opened_at OR OLD.template_id IS DISTINCT FROM NEW.template_id",
            ),
            row_when: None,
            logs: &[
                ("case", "R.id", ""),
                ("plan", "R.id", ""),
                ("hours", "R.id", ""),
                ("referral", "R.id", ""),
                ("funded", "R.business_id", ""),
            ],
        },
        Table {
            table: "case_plan_steps",
            events: &["INSERT", "DELETE"],
            update_when: None,
            row_when: None,
            logs: &[("plan", "R.case_id", "")],
        },
        Table {
            table: "case_hours",
            events: ALL,
            update_when: None,
            row_when: None,
            logs: &[("hours", "R.case_id", "")],
        },
        Table {
            table: "referrals",
            events: ALL,
            update_when: None,
            row_when: None,
            logs: &[("referral", "R.case_id", "")],
        },
        Table {
            table: "funding_applications",
            events: ALL,
            update_when: None,
            row_when: None,
            logs: &[("funded", "R.business_id", "")],
        },
    ]
}

/// The current time in milliseconds, and the writing transaction, as SQL.
fn now_and_tx(backend: Backend) -> (&'static str, &'static str) {
    match backend {
        Backend::Sqlite => (
            "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)",
            "CAST(NULL AS BIGINT)",
        ),
        Backend::Postgres => (
            "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)",
            "txid_current()",
        ),
    }
}

/// The INSERT logging what row `row` (NEW or OLD) of `t` invalidates.
fn body(backend: Backend, t: &Table, rows: &[&str]) -> String {
    let (now, tx) = now_and_tx(backend);
    let mut parts = vec![];
    for row in rows {
        for (src, origin, from) in t.logs {
            let origin = origin.replace("R.", &format!("{row}."));
            let from = from.replace("R.", &format!("{row}."));
            parts.push(format!(
                "SELECT '{src}', CAST({origin} AS BIGINT), {now}, {tx} {from}"
            ));
        }
    }
    format!(
        "INSERT INTO dashboard_changes (src, origin, at, tx) {}",
        parts.join(" UNION ALL ")
    )
}

/// The statements that (re)create every trigger on `backend`.
pub fn statements(backend: Backend) -> Vec<String> {
    let mut out = vec![];
    for t in tables() {
        for ev in t.events {
            let (rows, when): (&[&str], Option<String>) = match *ev {
                "INSERT" => (&["NEW"], t.row_when.map(|c| c.replace("R.", "NEW."))),
                "DELETE" => (&["OLD"], t.row_when.map(|c| c.replace("R.", "OLD."))),
                _ => (&["NEW", "OLD"], t.update_when.map(str::to_string)),
            };
            let name = format!("dash_{}_{}", t.table, ev.to_lowercase());
            let body = body(backend, &t, rows);
            match backend {
                Backend::Sqlite => {
                    out.push(format!("DROP TRIGGER IF EXISTS {name}"));
                    let when = when.map(|c| format!(" WHEN {c}")).unwrap_or_default();
                    out.push(format!(
                        "CREATE TRIGGER {name} AFTER {ev} ON {} FOR EACH ROW{when} BEGIN {body}; END",
                        t.table
                    ));
                }
                Backend::Postgres => {
                    out.push(format!(
                        "CREATE OR REPLACE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body}; RETURN NULL; END $$"
                    ));
                    let when = when.map(|c| format!(" WHEN ({c})")).unwrap_or_default();
                    out.push(format!(
                        "CREATE OR REPLACE TRIGGER {name} AFTER {ev} ON {} FOR EACH ROW{when} EXECUTE FUNCTION {name}_fn()",
                        t.table
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
    crate::db::migrations::install_derived(tx, "dashboard_triggers", &statements(backend)).await
}
