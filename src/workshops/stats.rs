//! Figures: businesses made aware against the target (the funders'
//! headline), feedback per session and theme, the themes attendees ask for
//! next by territory, and the coaching requests that workshops produced.

use std::collections::{BTreeMap, HashMap, HashSet};

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use sqlx::Row;

use crate::kernel::dates;
use crate::state::AppState;
use crate::text::fold;
use crate::web::{page, AppError, PageCtx};

/// One line of a breakdown: label and count.
pub struct Line {
    pub label: String,
    pub count: i64,
    pub percent: i64,
}

fn lines(map: HashMap<String, i64>, total: i64) -> Vec<Line> {
    let mut v: Vec<Line> = map
        .into_iter()
        .map(|(label, count)| Line {
            percent: if total > 0 { count * 100 / total } else { 0 },
            label,
            count,
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
    v
}

/// Territory names and parents, for grouping communes by department.
async fn territories(
    state: &AppState,
    lang: &str,
) -> Result<HashMap<String, (Option<String>, String, String)>, AppError> {
    let col = if lang == "en" { "name_en" } else { "name_fr" };
    let rows = sqlx::query(&format!(
        "SELECT code, parent_code, level, {col} AS name FROM territories"
    ))
    .fetch_all(&state.db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            (
                r.get::<String, _>("code"),
                (
                    crate::db::opt_text(r, "parent_code"),
                    r.get::<String, _>("level"),
                    r.get::<String, _>("name"),
                ),
            )
        })
        .collect())
}

/// The department (or province, or canton's parent) holding a commune.
fn area(
    t: &HashMap<String, (Option<String>, String, String)>,
    commune: Option<&str>,
    unknown: &str,
) -> String {
    let mut code = match commune {
        Some(c) => c.to_string(),
        None => return unknown.to_string(),
    };
    for _ in 0..6 {
        match t.get(&code) {
            Some((_, level, name)) if level == "department" || level == "province" => {
                return name.clone()
            }
            Some((Some(parent), level, name)) => {
                if level == "region" || level == "country" {
                    return name.clone();
                }
                code = parent.clone();
            }
            Some((None, _, name)) => return name.clone(),
            None => break,
        }
    }
    unknown.to_string()
}

#[derive(Template)]
#[template(path = "workshops/dashboard.html")]
struct DashboardPage {
    ctx: PageCtx,
    aware: i64,
    target: i64,
    percent: i64,
    by_territory: Vec<Line>,
    by_sector: Vec<Line>,
    by_partner: Vec<Line>,
    by_month: Vec<Line>,
    sessions_held: i64,
    attendees: i64,
    coaching: i64,
    conversion: i64,
}

impl DashboardPage {
    fn sections(&self) -> Vec<(String, &Vec<Line>)> {
        vec![
            (
                self.ctx.tr.t("ws-dashboard-by-territory"),
                &self.by_territory,
            ),
            (self.ctx.tr.t("ws-dashboard-by-sector"), &self.by_sector),
            (self.ctx.tr.t("ws-dashboard-by-partner"), &self.by_partner),
            (self.ctx.tr.t("ws-dashboard-by-month"), &self.by_month),
        ]
    }
}

/// `GET /tableau-de-bord`
pub async fn dashboard(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, AppError> {
    let lang = ctx.lang();
    let tz = dates::zone(&ctx.programme.timezone);
    let unknown = ctx.tr.t("ws-unknown");
    let terr = territories(&state, lang).await?;
    let col = if lang == "en" { "name_en" } else { "name_fr" };
    let rows = sqlx::query(&format!(
        "SELECT r.business_id, r.business_name, r.email_key, s.starts_at, s.commune_code AS s_commune, \
         b.commune_code AS b_commune, sec.{col} AS sector, COALESCE(bp.name, sp.name) AS partner \
         FROM workshop_registrations r JOIN workshop_sessions s ON s.id = r.session_id \
         LEFT JOIN businesses b ON b.id = r.business_id \
         LEFT JOIN sectors sec ON sec.code = b.sector_code \
         LEFT JOIN partners bp ON bp.id = b.partner_id LEFT JOIN partners sp ON sp.id = s.partner_id \
         WHERE r.attendance = 'present' ORDER BY s.starts_at, r.id"
    ))
    .fetch_all(&state.db.pool)
    .await?;
    let mut seen: HashSet<String> = HashSet::new();
    let (mut t, mut sct, mut p, mut m) = (
        HashMap::new(),
        HashMap::new(),
        HashMap::new(),
        HashMap::new(),
    );
    let mut months: BTreeMap<String, i64> = BTreeMap::new();
    let attendees = rows.len() as i64;
    let mut aware_keys: Vec<(Option<i64>, String)> = vec![];
    for r in &rows {
        let business_id: Option<i64> = r.try_get("business_id").ok().flatten();
        let name: String = r.get("business_name");
        let email: String = r.get("email_key");
        // A business counts once, whichever of its people came.
        let key = match business_id {
            Some(id) => format!("b{id}"),
            None if !name.trim().is_empty() => format!("n{}", fold(&name)),
            None => format!("e{email}"),
        };
        if !seen.insert(key.clone()) {
            continue;
        }
        aware_keys.push((business_id, email.clone()));
        let commune =
            crate::db::opt_text(r, "b_commune").or_else(|| crate::db::opt_text(r, "s_commune"));
        *t.entry(area(&terr, commune.as_deref(), &unknown))
            .or_insert(0) += 1;
        *sct.entry(crate::db::opt_text(r, "sector").unwrap_or_else(|| unknown.clone()))
            .or_insert(0) += 1;
        *p.entry(crate::db::opt_text(r, "partner").unwrap_or_else(|| ctx.tr.t("ws-no-partner")))
            .or_insert(0) += 1;
        *months
            .entry(dates::month_key(&tz, r.get::<i64, _>("starts_at")))
            .or_insert(0) += 1;
    }
    let aware = seen.len() as i64;
    for (k, v) in months {
        m.insert(k, v);
    }
    let mut by_month = lines(m, aware);
    by_month.sort_by(|a, b| a.label.cmp(&b.label));
    let sessions_held: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT session_id) FROM workshop_registrations WHERE attendance = 'present'",
    )
    .fetch_one(&state.db.pool)
    .await?;
    let coaching: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM coaching_requests")
        .fetch_one(&state.db.pool)
        .await?;
    let target = ctx.programme.target_aware;
    Ok(page(&DashboardPage {
        percent: if target > 0 { aware * 100 / target } else { 0 },
        conversion: if aware > 0 { coaching * 100 / aware } else { 0 },
        by_territory: lines(t, aware),
        by_sector: lines(sct, aware),
        by_partner: lines(p, aware),
        by_month,
        ctx,
        aware,
        target,
        sessions_held,
        attendees,
        coaching,
    }))
}

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

#[derive(Template)]
#[template(path = "workshops/report.html")]
struct ReportPage {
    ctx: PageCtx,
    sessions: Vec<Figures>,
    themes: Vec<Figures>,
    wanted: Vec<(String, Vec<Line>)>,
}

impl ReportPage {
    fn sections(&self) -> Vec<(String, &Vec<Figures>)> {
        vec![
            (self.ctx.tr.t("ws-report-by-theme"), &self.themes),
            (self.ctx.tr.t("ws-report-by-session"), &self.sessions),
        ]
    }
}

fn avg(sum: i64, n: i64, tr: crate::i18n::Tr) -> String {
    if n == 0 {
        return "—".into();
    }
    let v = sum as f64 / n as f64;
    let s = format!("{v:.1}");
    if tr.lang() == "fr" {
        s.replace('.', ",")
    } else {
        s
    }
}

/// `GET /admin/ateliers/bilan`
pub async fn feedback_report(
    State(state): State<AppState>,
    ctx: PageCtx,
) -> Result<Response, AppError> {
    let lang = ctx.lang();
    let tr = ctx.tr;
    let tz = dates::zone(&ctx.programme.timezone);
    let col = if lang == "en" { "title_en" } else { "title_fr" };
    let ccol = if lang == "en" { "name_en" } else { "name_fr" };
    let rows = sqlx::query(&format!(
        "SELECT s.id, s.starts_at, s.planned_coaching, s.title_fr, s.title_en, t.id AS theme_id, t.{col} AS theme, c.{ccol} AS commune, \
         (SELECT COUNT(*) FROM workshop_registrations r WHERE r.session_id = s.id AND r.attendance = 'present') AS present, \
         (SELECT COUNT(*) FROM workshop_feedback f WHERE f.session_id = s.id) AS responses, \
         (SELECT CAST(COALESCE(SUM(f.satisfaction), 0) AS BIGINT) FROM workshop_feedback f WHERE f.session_id = s.id) AS sat, \
         (SELECT CAST(COALESCE(SUM(f.usefulness), 0) AS BIGINT) FROM workshop_feedback f WHERE f.session_id = s.id) AS use_sum, \
         (SELECT COUNT(*) FROM coaching_requests q WHERE q.session_id = s.id) AS coaching \
         FROM workshop_sessions s JOIN themes t ON t.id = s.theme_id LEFT JOIN territories c ON c.code = s.commune_code \
         WHERE s.status = 'scheduled' AND s.starts_at <= $1 ORDER BY s.starts_at DESC LIMIT 500"
    ))
    .bind(crate::db::now_ms())
    .fetch_all(&state.db.pool)
    .await?;
    let mut sessions = vec![];
    let mut per_theme: BTreeMap<String, [i64; 7]> = BTreeMap::new();
    for r in &rows {
        let present: i64 = r.get("present");
        let responses: i64 = r.get("responses");
        let sat: i64 = r.get("sat");
        let use_sum: i64 = r.get("use_sum");
        let coaching: i64 = r.get("coaching");
        let planned: i64 = r.get("planned_coaching");
        let theme: String = r.get("theme");
        let own: String = if lang == "en" {
            r.get("title_en")
        } else {
            r.get("title_fr")
        };
        let e = per_theme.entry(theme.clone()).or_default();
        for (slot, v) in e
            .iter_mut()
            .zip([present, responses, sat, use_sum, coaching, planned, 1])
        {
            *slot += v;
        }
        sessions.push(Figures {
            label: if own.is_empty() { theme } else { own },
            detail: format!(
                "{} · {}",
                dates::long_date(tr, &tz, r.get::<i64, _>("starts_at")),
                crate::db::opt_text(r, "commune").unwrap_or_default()
            ),
            present,
            responses,
            rate: if present > 0 {
                responses * 100 / present
            } else {
                0
            },
            satisfaction: avg(sat, responses, tr),
            usefulness: avg(use_sum, responses, tr),
            coaching,
            planned,
        });
    }
    let themes = per_theme
        .into_iter()
        .map(
            |(label, [present, responses, sat, use_sum, coaching, planned, n])| Figures {
                label,
                detail: tr.tn("ws-report-sessions", "count", n),
                present,
                responses,
                rate: if present > 0 {
                    responses * 100 / present
                } else {
                    0
                },
                satisfaction: avg(sat, responses, tr),
                usefulness: avg(use_sum, responses, tr),
                coaching,
                planned,
            },
        )
        .collect();
    // Themes asked for next, by the territory of the session they came to.
    let terr = territories(&state, lang).await?;
    let unknown = tr.t("ws-unknown");
    let wanted_rows = sqlx::query(&format!(
        "SELECT s.commune_code, t.{col} AS theme, COUNT(*) AS n FROM workshop_feedback_themes w \
         JOIN workshop_feedback f ON f.registration_id = w.registration_id \
         JOIN workshop_sessions s ON s.id = f.session_id JOIN themes t ON t.id = w.theme_id \
         GROUP BY s.commune_code, t.{col}"
    ))
    .fetch_all(&state.db.pool)
    .await?;
    let mut by_area: BTreeMap<String, HashMap<String, i64>> = BTreeMap::new();
    for r in &wanted_rows {
        let a = area(
            &terr,
            crate::db::opt_text(r, "commune_code").as_deref(),
            &unknown,
        );
        *by_area
            .entry(a)
            .or_default()
            .entry(r.get("theme"))
            .or_insert(0) += r.get::<i64, _>("n");
    }
    let wanted = by_area
        .into_iter()
        .map(|(a, m)| {
            let total = m.values().sum();
            (a, lines(m, total))
        })
        .collect();
    Ok(page(&ReportPage {
        ctx,
        sessions,
        themes,
        wanted,
    }))
}

/// A coaching request as listed for advisers.
pub struct Request {
    pub name: String,
    pub email: String,
    pub business: String,
    pub session: String,
    pub session_id: Option<i64>,
    pub message: String,
    pub when: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "workshops/coaching.html")]
struct CoachingPage {
    ctx: PageCtx,
    requests: Vec<Request>,
}

/// `GET /accompagnement/demandes`
pub async fn coaching_requests(
    State(state): State<AppState>,
    ctx: PageCtx,
) -> Result<Response, AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let col = if ctx.lang() == "en" {
        "title_en"
    } else {
        "title_fr"
    };
    let rows = sqlx::query(&format!(
        "SELECT q.name, q.email, q.business_name, q.message, q.status, q.created_at, q.session_id, t.{col} AS theme \
         FROM coaching_requests q LEFT JOIN workshop_sessions s ON s.id = q.session_id LEFT JOIN themes t ON t.id = s.theme_id \
         ORDER BY q.created_at DESC LIMIT 500"
    ))
    .fetch_all(&state.db.pool)
    .await?;
    let requests = rows
        .iter()
        .map(|r| Request {
            name: r.get("name"),
            email: r.get("email"),
            business: r.get("business_name"),
            session: crate::db::opt_text(r, "theme").unwrap_or_default(),
            session_id: r.try_get("session_id").ok().flatten(),
            message: r.get("message"),
            when: dates::long_date(ctx.tr, &tz, r.get::<i64, _>("created_at")),
            status: ctx.tr.code("ws-request-", &r.get::<String, _>("status")),
        })
        .collect();
    Ok(page(&CoachingPage { ctx, requests }))
}
