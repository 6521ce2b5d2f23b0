//! The dashboard page.

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::model::{area, business_key, lines, Line};
use super::store;
use crate::db::Db;
use crate::kernel::dates;
use crate::web::{page, AppError, PageCtx};

#[derive(Template)]
#[template(path = "dashboard/dashboard.html")]
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

/// Counts of businesses made aware, each business counted once.
#[derive(Default)]
struct Breakdowns {
    aware: i64,
    territory: HashMap<String, i64>,
    sector: HashMap<String, i64>,
    partner: HashMap<String, i64>,
    month: HashMap<String, i64>,
}

/// `GET /tableau-de-bord`
pub async fn dashboard(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let unknown = ctx.tr.t("ws-unknown");
    let no_partner = ctx.tr.t("ws-no-partner");
    let terr = store::territories(&db, ctx.tr.0).await?;
    let rows = store::attendees(&db, ctx.tr.0).await?;
    let attendees = rows.len() as i64;
    let mut seen: HashSet<String> = HashSet::new();
    let mut b = Breakdowns::default();
    for r in &rows {
        // A business counts once, whichever of its people came.
        if !seen.insert(business_key(r.business_id, &r.business_name, &r.email_key)) {
            continue;
        }
        b.aware += 1;
        let commune = r.b_commune.as_deref().or(r.s_commune.as_deref());
        *b.territory
            .entry(area(&terr, commune, &unknown))
            .or_insert(0) += 1;
        *b.sector
            .entry(r.sector.clone().unwrap_or_else(|| unknown.clone()))
            .or_insert(0) += 1;
        *b.partner
            .entry(r.partner.clone().unwrap_or_else(|| no_partner.clone()))
            .or_insert(0) += 1;
        *b.month
            .entry(dates::month_key(&tz, r.starts_at))
            .or_insert(0) += 1;
    }
    let aware = b.aware;
    let mut by_month = lines(b.month, aware);
    by_month.sort_by(|a, b| a.label.cmp(&b.label));
    let sessions_held = store::sessions_held(&db).await?;
    let coaching = crate::coaching::store::count(&db).await?;
    let target = ctx.programme.target_aware;
    Ok(page(&DashboardPage {
        percent: if target > 0 { aware * 100 / target } else { 0 },
        conversion: if aware > 0 { coaching * 100 / aware } else { 0 },
        by_territory: lines(b.territory, aware),
        by_sector: lines(b.sector, aware),
        by_partner: lines(b.partner, aware),
        by_month,
        ctx,
        aware,
        target,
        sessions_held,
        attendees,
        coaching,
    }))
}
