//! The workshops' feedback report (`/admin/ateliers/bilan`): response rate,
//! satisfaction, usefulness and coaching requests against the plan, per
//! session and per theme, and the themes attendees ask for next by area.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::store;
use crate::dashboard::model::{area, lines, Line};
use crate::db::{now_ms, Db};
use crate::i18n::Tr;
use crate::kernel::bilingual::Bilingual;
use crate::kernel::dates;
use crate::web::{page, AppError, PageCtx};

/// Feedback figures of one session or theme.
pub struct Figures {
    pub label: String,
    pub detail: String,
    pub present: i64,
    pub responses: i64,
    pub rate: i64,
    pub satisfaction: String,
    pub usefulness: String,
    pub coaching: i64,
    pub planned: i64,
}

/// Sums behind [`Figures`].
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    present: i64,
    responses: i64,
    satisfaction: i64,
    usefulness: i64,
    coaching: i64,
    planned: i64,
    sessions: i64,
}

impl Sums {
    fn add(&mut self, o: Sums) {
        self.present += o.present;
        self.responses += o.responses;
        self.satisfaction += o.satisfaction;
        self.usefulness += o.usefulness;
        self.coaching += o.coaching;
        self.planned += o.planned;
        self.sessions += o.sessions;
    }

    fn figures(self, label: String, detail: String, tr: Tr) -> Figures {
        Figures {
            label,
            detail,
            present: self.present,
            responses: self.responses,
            rate: if self.present > 0 {
                self.responses * 100 / self.present
            } else {
                0
            },
            satisfaction: avg(self.satisfaction, self.responses, tr),
            usefulness: avg(self.usefulness, self.responses, tr),
            coaching: self.coaching,
            planned: self.planned,
        }
    }
}

#[derive(Template)]
#[template(path = "workshops/report.html")]
struct ReportPage {
    ctx: PageCtx,
    sessions: Vec<Figures>,
    themes: Vec<Figures>,
    wanted: Vec<(String, Vec<Line>)>,
    /// Feedback comments by theme: (theme, [(session id, session date, satisfaction, comment)]).
    comments: Vec<(String, Vec<Comment>)>,
}

/// One feedback comment as the report shows it.
pub struct Comment {
    pub session_id: i64,
    pub when: String,
    pub satisfaction: i64,
    pub text: String,
}

impl ReportPage {
    fn sections(&self) -> Vec<(String, &Vec<Figures>)> {
        vec![
            (self.ctx.tr.t("ws-report-by-theme"), &self.themes),
            (self.ctx.tr.t("ws-report-by-session"), &self.sessions),
        ]
    }
}

/// An average score with one decimal, the locale's way; a dash when no answer.
fn avg(sum: i64, n: i64, tr: Tr) -> String {
    if n == 0 {
        return "—".into();
    }
    let s = format!("{:.1}", sum as f64 / n as f64);
    match tr.0 {
        crate::i18n::Locale::Fr => s.replace('.', ","),
        crate::i18n::Locale::En => s,
    }
}

/// Themes asked for next, by the area of the session the person came to.
async fn wanted(db: &Db, tr: Tr) -> Result<Vec<(String, Vec<Line>)>, AppError> {
    let terr = crate::dashboard::store::territories(db, tr.0).await?;
    let unknown = tr.t("ws-unknown");
    let mut by_area: BTreeMap<String, HashMap<String, i64>> = BTreeMap::new();
    for w in store::wanted_themes(db, tr.0).await? {
        let a = area(&terr, w.commune_code.as_deref(), &unknown);
        *by_area.entry(a).or_default().entry(w.theme).or_insert(0) += w.n;
    }
    Ok(by_area
        .into_iter()
        .map(|(a, m)| {
            let total = m.values().sum();
            (a, lines(m, total))
        })
        .collect())
}

/// `GET /admin/ateliers/bilan`
pub async fn feedback_report(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let tr = ctx.tr;
    let tz = dates::zone(&ctx.programme.timezone);
    let mut sessions = vec![];
    let mut per_theme: BTreeMap<String, Sums> = BTreeMap::new();
    for r in store::feedback_by_session(&db, tr.0, now_ms()).await? {
        let sums = Sums {
            present: r.present,
            responses: r.responses,
            satisfaction: r.sat,
            usefulness: r.use_sum,
            coaching: r.coaching,
            planned: r.planned_coaching,
            sessions: 1,
        };
        per_theme.entry(r.theme.clone()).or_default().add(sums);
        let own = Bilingual::new(&r.title_fr, &r.title_en).get(tr.0);
        let label = if own.is_empty() {
            r.theme.clone()
        } else {
            own.to_string()
        };
        let detail = format!(
            "{} · {}",
            dates::long_date(tr, &tz, r.starts_at),
            r.commune.unwrap_or_default()
        );
        sessions.push(sums.figures(label, detail, tr));
    }
    let themes = per_theme
        .into_iter()
        .map(|(label, s)| {
            let detail = tr.tn("ws-report-sessions", "count", s.sessions);
            s.figures(label, detail, tr)
        })
        .collect();
    let wanted = wanted(&db, tr).await?;
    let mut by_theme: BTreeMap<String, Vec<Comment>> = BTreeMap::new();
    for c in store::feedback_comments(&db, tr.0).await? {
        by_theme.entry(c.theme).or_default().push(Comment {
            session_id: c.session_id,
            when: dates::long_date(tr, &tz, c.starts_at),
            satisfaction: c.satisfaction,
            text: c.comment,
        });
    }
    Ok(page(&ReportPage {
        ctx,
        sessions,
        themes,
        wanted,
        comments: by_theme.into_iter().collect(),
    }))
}
