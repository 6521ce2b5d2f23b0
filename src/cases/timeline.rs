//! A business's whole story on one timeline: diagnostics (the first is T0),
//! workshops registered and attended, feedback, coaching requests, needs
//! and replies, the file's activities and referrals; the latest action
//! plan with the steps ticked as done; the gain from T0 to T1.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::model::{self, ActivityKind, ReferralStatus};
use super::store::{self, BusinessEvent, Case};
use crate::db::Db;
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
/// `activities` (the shared ones when `shared_only`) and `referrals` are
/// the file's, already read by the caller.
pub async fn story(
    db: &Db,
    ctx: &PageCtx,
    case: &Case,
    shared_only: bool,
    activities: &[store::Activity],
    referrals: &[store::Referral],
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
    for e in store::business_events(db, b, title).await? {
        match e {
            BusinessEvent::Registration {
                at,
                starts_at,
                theme,
                status,
                attendance,
            } => {
                events.push(Event {
                    at,
                    when: String::new(),
                    kind: "registration",
                    label: tr.ts("case-ev-registration", "theme", &theme),
                    detail: tr.code("case-ev-reg-", &status),
                });
                if let Some(a) = attendance {
                    events.push(Event {
                        at: starts_at,
                        when: String::new(),
                        kind: "attendance",
                        label: tr.ts("case-ev-attendance", "theme", &theme),
                        detail: tr.code("case-ev-att-", &a),
                    });
                }
            }
            BusinessEvent::Feedback {
                at,
                satisfaction,
                theme,
            } => events.push(Event {
                at,
                when: String::new(),
                kind: "feedback",
                label: tr.ts("case-ev-feedback", "theme", &theme),
                detail: tr.tn("case-ev-satisfaction", "score", satisfaction),
            }),
            BusinessEvent::Request { at, source } => events.push(Event {
                at,
                when: String::new(),
                kind: "request",
                label: tr.t("case-ev-request"),
                detail: tr.code("coaching-source-", &source),
            }),
            BusinessEvent::Need { at, title, replies } => events.push(Event {
                at,
                when: String::new(),
                kind: "need",
                label: tr.ts("case-ev-need", "title", &title),
                detail: tr.tn("case-ev-replies", "count", replies),
            }),
        }
    }
    for a in activities {
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
    for r in referrals {
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

    // The latest diagnostic's plan, with the steps ticked on this file.
    let mut plan = vec![];
    if let Some(last) = diagnostics.last() {
        if let (Ok(bank), Some(scores)) = (diag::bank(db, &last.bank_version).await, &last.scores) {
            let codes = plan_codes(db, last, &bank, scores).await?;
            let ticked = if codes.is_empty() {
                vec![]
            } else {
                store::ticked(db, case.id).await?
            };
            for code in codes.iter() {
                let title = bank
                    .step(code)
                    .map(|st| st.title(tr.0).to_string())
                    .unwrap_or_else(|| code.clone());
                plan.push(PlanStep {
                    done_on: ticked
                        .iter()
                        .find(|(c, _)| c == code)
                        .map(|(_, d)| crate::kernel::dates::show_date_text(tr.0, d)),
                    code: code.clone(),
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
    // The caller's activities are all of the file's when `!shared_only`.
    let closing = case.status() == super::model::CaseStatus::Closed
        || activities.iter().any(|a| a.kind() == ActivityKind::Closing);
    let t1_link = (!shared_only && closing && gains.is_empty())
        .then(|| format!("/diagnostic/accompagne/{b}"));
    Ok(Story {
        events,
        plan,
        gains,
        t1_link,
    })
}

/// The step codes of a submitted diagnostic's action plan. Its answers no
/// longer change once submitted, so the plan is computed once per
/// diagnostic (per database pool and question bank) and kept; up to [`PLAN_MEMO`] plans are
/// kept, the memo starting afresh when full.
async fn plan_codes(
    db: &Db,
    d: &diag::Diagnostic,
    bank: &crate::diagnostic::bank::Bank,
    scores: &crate::diagnostic::scoring::Scores,
) -> Result<Arc<Vec<String>>, AppError> {
    let key = (db.id, d.id, d.submitted_at, d.bank_version.clone());
    if let Some(codes) = plan_memo().lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(codes);
    }
    let responses = diag::responses(db, d.id).await?;
    let codes: Arc<Vec<String>> = Arc::new(
        crate::diagnostic::scoring::plan(bank, d.is_full(), &responses, scores)
            .into_iter()
            .map(|s| s.code)
            .collect(),
    );
    if let Ok(mut m) = plan_memo().lock() {
        if m.len() >= PLAN_MEMO {
            m.clear();
        }
        m.insert(key, codes.clone());
    }
    Ok(codes)
}

/// Plans kept by [`plan_codes`].
const PLAN_MEMO: usize = 10_000;

/// (pool, diagnostic, submitted at, question bank).
type PlanKey = (u64, i64, Option<i64>, String);

/// The plans kept, by [`PlanKey`].
type PlanMemo = Mutex<HashMap<PlanKey, Arc<Vec<String>>>>;

fn plan_memo() -> &'static PlanMemo {
    static MEMO: OnceLock<PlanMemo> = OnceLock::new();
    MEMO.get_or_init(Default::default)
}
