//! The dashboard's settings page (programme manager): period, target and
//! target date, what counts as made aware, budget and funding shares, and
//! the budget lines (added and deleted). Bad input is answered with a
//! localised message and everything typed is kept.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::model::{
    check_period, parse_rule, rule_code, AwareSource, BudgetCategory, FundingSource, Indicator,
    PeriodError,
};
use super::store::{self, BudgetLine, Settings};
use crate::kernel::dates::parse_date;
use crate::kernel::money::Euros;
use crate::state::AppState;
use crate::web::forms::{first_value, Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

/// The settings form as typed.
#[derive(Debug, Clone, Default)]
pub struct SettingsForm {
    pub start_date: String,
    pub end_date: String,
    pub target_date: String,
    pub target_aware: String,
    pub budget: String,
    pub shares: [String; 4],
    pub aware: Vec<String>,
    /// The other indicators' targets as typed, in `Indicator::TARGETED` order.
    pub targets: Vec<(Indicator, String)>,
    pub report_notes: String,
}

/// A budget line as typed.
#[derive(Debug, Clone, Default)]
pub struct LineForm {
    pub category: String,
    pub label: String,
    pub planned: String,
    pub spent: String,
}

#[derive(Template)]
#[template(path = "dashboard/settings.html")]
struct SettingsPage {
    ctx: PageCtx,
    form: SettingsForm,
    errors: Violations,
    lines: Vec<BudgetLine>,
    line: LineForm,
    line_errors: Violations,
    saved: bool,
}

impl SettingsPage {
    fn sources(&self) -> Vec<(&'static str, String, bool)> {
        AwareSource::ALL
            .iter()
            .map(|s| {
                (
                    s.code(),
                    self.ctx.tr.t(s.label_key()),
                    self.form.aware.iter().any(|a| a == s.code()),
                )
            })
            .collect()
    }
    fn share_fields(&self) -> Vec<(String, String, String)> {
        FundingSource::ALL
            .iter()
            .enumerate()
            .map(|(i, s)| {
                (
                    format!("share_{}", s.code()),
                    self.ctx.tr.t(s.label_key()),
                    self.form.shares[i].clone(),
                )
            })
            .collect()
    }
    /// (field, label with its unit, value typed) of each other indicator's target.
    fn target_fields(&self) -> Vec<(&'static str, String, String)> {
        self.form
            .targets
            .iter()
            .map(|(i, v)| {
                let label = format!(
                    "{} ({})",
                    self.ctx.tr.t(i.label_key()),
                    self.ctx.tr.t(i.unit().label_key())
                );
                (i.target_field(), label, v.clone())
            })
            .collect()
    }
    fn categories(&self) -> Vec<(&'static str, String)> {
        BudgetCategory::ALL
            .iter()
            .map(|c| (c.code(), self.ctx.tr.t(c.label_key())))
            .collect()
    }
    fn money(&self, e: &Euros) -> String {
        e.format(self.ctx.tr.0)
    }
}

fn programme_id(ctx: &PageCtx) -> Result<i64, AppError> {
    ctx.programme.id.ok_or(AppError::NotFound)
}

/// The form filled from stored settings.
fn form_of(s: &Settings, ctx: &PageCtx) -> SettingsForm {
    let l = ctx.tr.0;
    let money = |e: Euros| {
        if e.cents() == 0 {
            String::new()
        } else {
            e.form_value(l)
        }
    };
    SettingsForm {
        start_date: s.start_date.clone().unwrap_or_default(),
        end_date: s.end_date.clone().unwrap_or_default(),
        target_date: s.target_date.clone().unwrap_or_default(),
        target_aware: s.target_aware.to_string(),
        budget: money(s.budget),
        shares: s.shares.map(money),
        aware: parse_rule(&s.aware_rule)
            .iter()
            .map(|a| a.code().to_string())
            .collect(),
        targets: Indicator::TARGETED
            .iter()
            .map(|i| (*i, s.target(*i).map(|t| t.to_string()).unwrap_or_default()))
            .collect(),
        report_notes: s.report_notes.clone(),
    }
}

/// Longest report notes, in characters (about two printed pages).
pub const NOTES_MAX: usize = 6000;

/// A whole number, never negative (spaces as thousands separators allowed);
/// empty is 0 (no target).
fn count(v: &mut Violations, field: &'static str, raw: &str, message: &'static str) -> i64 {
    match raw.trim() {
        "" => 0,
        t => match t.replace([' ', '\u{a0}', '\u{202f}'], "").parse::<i64>() {
            Ok(n) if n >= 0 => n,
            _ => {
                v.add(field, message, None);
                0
            }
        },
    }
}

/// An amount in euros, never negative: `None` with the violation recorded.
fn amount(v: &mut Violations, field: &'static str, raw: &str) -> Option<Euros> {
    if raw.trim().starts_with('-') {
        v.add(field, "dash-amount-negative", None);
        return None;
    }
    match Euros::parse(raw) {
        Ok(e) => Some(e.unwrap_or_default()),
        Err(_) => {
            v.add(field, "dash-amount-invalid", None);
            None
        }
    }
}

/// Check the settings form.
pub fn check_settings(f: &SettingsForm) -> Result<Settings, Violations> {
    let mut v = Violations::default();
    let date = |v: &mut Violations, field: &'static str, raw: &str| {
        if raw.trim().is_empty() {
            return None;
        }
        let d = parse_date(raw);
        if d.is_none() {
            v.add(field, "dash-date-invalid", None);
        }
        d
    };
    let start = date(&mut v, "start_date", &f.start_date);
    let end = date(&mut v, "end_date", &f.end_date);
    let target_date = date(&mut v, "target_date", &f.target_date);
    match check_period(start, end, target_date) {
        Err(PeriodError::EndBeforeStart) => v.add("end_date", "dash-end-before-start", None),
        Err(PeriodError::TargetOutside) => v.add("target_date", "dash-target-outside", None),
        Ok(()) => {}
    }
    let target = count(
        &mut v,
        "target_aware",
        &f.target_aware,
        "dash-target-invalid",
    );
    let targets: Vec<(Indicator, i64)> = f
        .targets
        .iter()
        .map(|(i, raw)| {
            (
                *i,
                count(&mut v, i.target_field(), raw, "dash-target-number-invalid"),
            )
        })
        .filter(|(_, t)| *t > 0)
        .collect();
    let budget = amount(&mut v, "budget", &f.budget);
    let fields: [&'static str; 4] = [
        "share_region",
        "share_state",
        "share_sponsors",
        "share_training",
    ];
    let shares: Vec<Option<Euros>> = fields
        .iter()
        .zip(f.shares.iter())
        .map(|(field, raw)| amount(&mut v, field, raw))
        .collect();
    let rule: Vec<AwareSource> = f
        .aware
        .iter()
        .filter_map(|c| AwareSource::from_code(c))
        .collect();
    if rule.is_empty() {
        v.add("aware", "dash-aware-required", None);
    }
    let report_notes = v.text("report_notes", &f.report_notes, 0, NOTES_MAX);
    if !v.is_empty() {
        return Err(v);
    }
    Ok(Settings {
        start_date: start.map(|d| d.to_string()),
        end_date: end.map(|d| d.to_string()),
        target_date: target_date.map(|d| d.to_string()),
        target_aware: target,
        budget: budget.unwrap_or_default(),
        aware_rule: rule_code(&rule),
        shares: [
            shares[0].unwrap_or_default(),
            shares[1].unwrap_or_default(),
            shares[2].unwrap_or_default(),
            shares[3].unwrap_or_default(),
        ],
        targets,
        report_notes,
    })
}

/// A checked budget line: category, label, planned, spent.
pub fn check_line(f: &LineForm) -> Result<(BudgetCategory, String, Euros, Euros), Violations> {
    let mut v = Violations::default();
    let category = BudgetCategory::from_code(f.category.trim());
    if category.is_none() {
        v.add("category", "form-required", None);
    }
    let label = v.text("label", &f.label, 1, 200);
    let planned = amount(&mut v, "planned", &f.planned);
    let spent = amount(&mut v, "spent", &f.spent);
    match (category, planned, spent) {
        (Some(c), Some(p), Some(s)) if v.is_empty() => Ok((c, label, p, s)),
        _ => Err(v),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SavedQuery {
    enregistre: Option<String>,
}

async fn render_page(
    state: &AppState,
    ctx: PageCtx,
    form: Option<SettingsForm>,
    errors: Violations,
    line: LineForm,
    line_errors: Violations,
    saved: bool,
) -> Result<SettingsPage, AppError> {
    let id = programme_id(&ctx)?;
    let form = match form {
        Some(f) => f,
        None => form_of(&store::settings(&state.db, id).await?, &ctx),
    };
    Ok(SettingsPage {
        lines: store::budget_lines(&state.db, id).await?,
        ctx,
        form,
        errors,
        line,
        line_errors,
        saved,
    })
}

/// `GET /tableau-de-bord/reglages`
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let p = render_page(
        &state,
        ctx,
        None,
        Violations::default(),
        LineForm::default(),
        Violations::default(),
        q.enregistre.is_some(),
    )
    .await?;
    Ok(page(&p))
}

/// `POST /tableau-de-bord/reglages`
pub async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = programme_id(&ctx)?;
    let get = |k: &str| first_value(&pairs, k);
    let form = SettingsForm {
        start_date: get("start_date"),
        end_date: get("end_date"),
        target_date: get("target_date"),
        target_aware: get("target_aware"),
        budget: get("budget"),
        shares: [
            get("share_region"),
            get("share_state"),
            get("share_sponsors"),
            get("share_training"),
        ],
        aware: pairs
            .iter()
            .filter(|(k, _)| k == "aware")
            .map(|(_, v)| v.clone())
            .collect(),
        targets: Indicator::TARGETED
            .iter()
            .map(|i| (*i, get(i.target_field())))
            .collect(),
        report_notes: get("report_notes"),
    };
    match check_settings(&form) {
        Ok(s) => {
            store::save_settings(&state.db, id, &s).await?;
            state.invalidate_programme().await;
            Ok(Redirect::to("/tableau-de-bord/reglages?enregistre=1").into_response())
        }
        Err(errors) => {
            let p = render_page(
                &state,
                ctx,
                Some(form),
                errors,
                LineForm::default(),
                Violations::default(),
                false,
            )
            .await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

/// `POST /tableau-de-bord/budget`
pub async fn add_line(
    State(state): State<AppState>,
    ctx: PageCtx,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = programme_id(&ctx)?;
    let get = |k: &str| first_value(&pairs, k);
    let line = LineForm {
        category: get("category"),
        label: get("label"),
        planned: get("planned"),
        spent: get("spent"),
    };
    match check_line(&line) {
        Ok((c, label, p, s)) => {
            store::add_budget_line(&state.db, id, c, &label, p, s).await?;
            Ok(Redirect::to("/tableau-de-bord/reglages?enregistre=1#budget-lines").into_response())
        }
        Err(errors) => {
            let p = render_page(
                &state,
                ctx,
                None,
                Violations::default(),
                line,
                errors,
                false,
            )
            .await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

/// `POST /tableau-de-bord/budget/{id}/supprimer`
pub async fn delete_line(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(line): Path<i64>,
) -> Result<Response, AppError> {
    let id = programme_id(&ctx)?;
    if !store::delete_budget_line(&state.db, id, line).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/tableau-de-bord/reglages?enregistre=1#budget-lines").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_amounts_and_a_target_outside_the_period_are_refused() {
        let mut f = SettingsForm {
            start_date: "2026-01-01".into(),
            end_date: "2028-04-30".into(),
            target_date: "2029-01-01".into(),
            target_aware: "1600".into(),
            budget: "337 000".into(),
            aware: vec!["workshop".into()],
            ..Default::default()
        };
        let v = check_settings(&f).unwrap_err();
        assert!(v.has("target_date"));
        f.target_date = "2028-04-30".into();
        f.shares[0] = "-5".into();
        let v = check_settings(&f).unwrap_err();
        assert!(v.has("share_region"));
        f.shares[0] = "168 500".into();
        let s = check_settings(&f).unwrap();
        assert_eq!(s.budget, Euros::from_units(337_000));
        assert_eq!(s.shares[0], Euros::from_units(168_500));
        let line = LineForm {
            category: "venues".into(),
            label: "Salles".into(),
            planned: "-100".into(),
            spent: "".into(),
        };
        let v = check_line(&line).unwrap_err();
        assert!(v.has("planned"));
    }
}
