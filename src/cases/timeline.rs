//! A business's whole story on one timeline: diagnostics (the first is T0),
//! workshops registered and attended, feedback, coaching requests, needs
//! and replies, the file's activities and referrals; the latest action
//! plan with the steps ticked as done; the gain from T0 to T1.

use super::model::{self, ActivityKind, ReferralStatus};
use super::store::{self, Case};
use crate::db::{now_ms, Db};
use crate::diagnostic::store as diag;
use crate::kernel::bilingual::column;
use crate::web::{AppError, PageCtx};

/// One dated event.
#[derive(Debug, Clone)]
pub struct Event {
    pub at: i64,
    pub when: String,
    /// Stable marker for pages and tests (`diagnostic`, `workshop`...).
    pub kind: &'static str,
    pub label: String,
    pub detail: String,
}

/// A step of the latest action plan.
#[derive(Debug, Clone)]
pub struct PlanStep {
    pub code: String,
    pub title: String,
    pub done_on: Option<String>,
}

/// The gain of one dimension from T0 to T1.
#[derive(Debug, Clone)]
pub struct Gain {
    pub dimension: String,
    pub t0: String,
    pub t1: String,
    pub gain: String,
    pub up: bool,
}

/// Everything the timeline shows.
pub struct Story {
    pub events: Vec<Event>,
    pub plan: Vec<PlanStep>,
    pub gains: Vec<Gain>,
    /// Where a T1 diagnostic is started (staff only, once the file is closing).
    pub t1_link: Option<String>,
}

fn score(v: Option<f64>) -> String {
    v.map(|s| format!("{s:.0}")).unwrap_or_else(|| "–".into())
}

/// The story of a file's business; `shared_only` leaves out what the
/// business owner may not see (private notes, unshared activities).
pub async fn story(
    db: &Db,
    ctx: &PageCtx,
    case: &Case,
    shared_only: bool,
) -> Result<Story, AppError> {
    let tr = ctx.tr;
    let b = case.business_id;
    let mut events = vec![];
    let diagnostics = diag::series(db, Some(b), None).await?;
    for (i, d) in diagnostics.iter().enumerate() {
        let tag = if i == 0 { "T0" } else { "T1" };
        events.push(Event {
            at: d.taken_at(),
            when: String::new(),
            kind: "diagnostic",
            label: format!("{} ({tag})", tr.t("case-ev-diagnostic")),
            detail: tr.ts(
                "case-ev-score",
                "score",
                &score(d.scores.as_ref().and_then(|s| s.overall)),
            ),
        });
    }
    let title = column(tr.0, "title_fr", "title_en");
    let regs: Vec<(i64, i64, String, String, Option<String>)> = sqlx::query_as(&format!(
        "SELECT r.created_at, s.starts_at, t.{title}, r.status, r.attendance FROM workshop_registrations r \
         JOIN workshop_sessions s ON s.id = r.session_id JOIN themes t ON t.id = s.theme_id WHERE r.business_id = $1"
    ))
    .bind(b)
    .fetch_all(&db.pool)
    .await?;
    for (created, starts, theme, status, attendance) in regs {
        events.push(Event {
            at: created,
            when: String::new(),
            kind: "registration",
            label: tr.ts("case-ev-registration", "theme", &theme),
            detail: tr.code("case-ev-reg-", &status),
        });
        if let Some(a) = attendance {
            events.push(Event {
                at: starts,
                when: String::new(),
                kind: "attendance",
                label: tr.ts("case-ev-attendance", "theme", &theme),
                detail: tr.code("case-ev-att-", &a),
            });
        }
    }
    let feedback: Vec<(i64, i64, i64, String)> = sqlx::query_as(&format!(
        "SELECT f.created_at, f.satisfaction, f.wants_coaching, t.{title} FROM workshop_feedback f \
         JOIN workshop_registrations r ON r.id = f.registration_id JOIN workshop_sessions s ON s.id = f.session_id \
         JOIN themes t ON t.id = s.theme_id WHERE r.business_id = $1"
    ))
    .bind(b)
    .fetch_all(&db.pool)
    .await?;
    for (at, satisfaction, _, theme) in feedback {
        events.push(Event {
            at,
            when: String::new(),
            kind: "feedback",
            label: tr.ts("case-ev-feedback", "theme", &theme),
            detail: tr.tn("case-ev-satisfaction", "score", satisfaction),
        });
    }
    for (at, source) in crate::coaching::store::of_business(db, b).await? {
        events.push(Event {
            at,
            when: String::new(),
            kind: "request",
            label: tr.t("case-ev-request"),
            detail: tr.code("coaching-source-", &source),
        });
    }
    let needs: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT n.created_at, n.title, n.status, (SELECT COUNT(*) FROM need_replies r WHERE r.need_id = n.id) \
         FROM needs n WHERE n.business_id = $1",
    )
    .bind(b)
    .fetch_all(&db.pool)
    .await?;
    for (at, t, _status, replies) in needs {
        events.push(Event {
            at,
            when: String::new(),
            kind: "need",
            label: tr.ts("case-ev-need", "title", &t),
            detail: tr.tn("case-ev-replies", "count", replies),
        });
    }
    let now = now_ms();
    for a in store::activities(db, case.id, shared_only).await? {
        if a.happened_at.is_none() {
            continue;
        }
        let kind = a.kind();
        if shared_only && kind == ActivityKind::Note {
            continue;
        }
        events.push(Event {
            at: a.when(),
            when: String::new(),
            kind: "activity",
            label: format!(
                "{} — {}",
                tr.t(kind.label_key()),
                if a.title.is_empty() { "" } else { &a.title }
            ),
            detail: if a.minutes > 0 {
                model::show_minutes(a.minutes)
            } else {
                String::new()
            },
        });
    }
    for r in store::referrals(db, case.id).await? {
        events.push(Event {
            at: r.sent_at,
            when: String::new(),
            kind: "referral",
            label: tr.ts("case-ev-referral", "body", &r.body_name),
            detail: tr.t(r.status().label_key()),
        });
        if r.status() != ReferralStatus::Sent {
            if let Some(at) = r.answered_at {
                events.push(Event {
                    at,
                    when: String::new(),
                    kind: "answer",
                    label: tr.ts("case-ev-referral-answer", "body", &r.body_name),
                    detail: tr.t(r.status().label_key()),
                });
            }
        }
    }
    events.sort_by_key(|e| e.at);
    for e in events.iter_mut() {
        e.when = ctx.datetime(e.at);
    }
    let _ = now;

    // The latest diagnostic's plan, with the steps ticked on this file.
    let mut plan = vec![];
    if let Some(last) = diagnostics.last() {
        if let (Ok(bank), Some(scores)) = (diag::bank(db, &last.bank_version).await, &last.scores) {
            let responses = diag::responses(db, last.id).await?;
            let ticked = store::ticked(db, case.id).await?;
            for s in crate::diagnostic::scoring::plan(&bank, last.is_full(), &responses, scores) {
                let title = bank
                    .step(&s.code)
                    .map(|st| st.title(tr.0).to_string())
                    .unwrap_or_else(|| s.code.clone());
                plan.push(PlanStep {
                    done_on: ticked
                        .iter()
                        .find(|(c, _)| *c == s.code)
                        .map(|(_, d)| crate::kernel::dates::show_date_text(tr.0, d)),
                    code: s.code,
                    title,
                });
            }
        }
    }

    // T0 is the first diagnostic; T1 the latest one taken after the opening.
    let mut gains = vec![];
    if let (Some(t0), Some(t1)) = (
        diagnostics.first(),
        diagnostics
            .iter()
            .skip(1)
            .rev()
            .find(|d| d.taken_at() >= case.opened_at),
    ) {
        if let (Some(a), Some(b)) = (&t0.scores, &t1.scores) {
            for (d, x, y, g) in model::gains(a, b) {
                gains.push(Gain {
                    dimension: tr.code("case-dim-", &d),
                    t0: score(x),
                    t1: score(y),
                    up: g.unwrap_or(0.0) > 0.0,
                    gain: g.map(|g| format!("{g:+.0}")).unwrap_or_else(|| "–".into()),
                });
            }
        }
    }
    let closing = case.status() == super::model::CaseStatus::Closed
        || store::activities(db, case.id, false)
            .await?
            .iter()
            .any(|a| a.kind() == ActivityKind::Closing);
    let t1_link = (!shared_only && closing && gains.is_empty())
        .then(|| format!("/diagnostic/accompagne/{b}"));
    Ok(Story {
        events,
        plan,
        gains,
        t1_link,
    })
}
