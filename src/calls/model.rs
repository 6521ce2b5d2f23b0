//! Calls for projects and trophies: a call with its dates, criteria and a
//! jury's scoring grid; applications drafted then submitted by businesses;
//! one score sheet per juror and application; totals and averages for the
//! manager. Pure rules, no I/O.

use jiff::civil::Date;

use crate::i18n::Locale;
use crate::kernel::dates::parse_date;
use crate::web::forms::Violations;

/// Most criteria a grid holds (one form row each).
pub const MAX_CRITERIA: usize = 10;
/// Most points one criterion can be worth.
pub const MAX_POINTS: i64 = 100;

/// Field names of the grid's rows (a violation names a `'static` field).
pub const CRIT_LABEL_FR: [&str; MAX_CRITERIA] = [
    "crit-label-fr-0",
    "crit-label-fr-1",
    "crit-label-fr-2",
    "crit-label-fr-3",
    "crit-label-fr-4",
    "crit-label-fr-5",
    "crit-label-fr-6",
    "crit-label-fr-7",
    "crit-label-fr-8",
    "crit-label-fr-9",
];
pub const CRIT_MAX: [&str; MAX_CRITERIA] = [
    "crit-max-0",
    "crit-max-1",
    "crit-max-2",
    "crit-max-3",
    "crit-max-4",
    "crit-max-5",
    "crit-max-6",
    "crit-max-7",
    "crit-max-8",
    "crit-max-9",
];

/// What a call awards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    CallForProjects,
    Trophy,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::CallForProjects, Kind::Trophy];

    pub fn code(self) -> &'static str {
        match self {
            Kind::CallForProjects => "call_for_projects",
            Kind::Trophy => "trophy",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Kind::CallForProjects => "calls-kind-call",
            Kind::Trophy => "calls-kind-trophy",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Whether the public sees a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallStatus {
    Draft,
    Published,
}

impl CallStatus {
    pub const ALL: [CallStatus; 2] = [CallStatus::Draft, CallStatus::Published];

    pub fn code(self) -> &'static str {
        match self {
            CallStatus::Draft => "draft",
            CallStatus::Published => "published",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            CallStatus::Draft => "calls-status-draft",
            CallStatus::Published => "calls-status-published",
        }
    }

    pub fn parse(code: &str) -> Option<CallStatus> {
        CallStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Where a call stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Not published: only the programme's staff see it.
    Draft,
    /// Published, not open yet.
    Upcoming,
    /// Applications are accepted.
    Open,
    /// The closing date has passed.
    Closed,
}

impl Phase {
    pub fn code(self) -> &'static str {
        match self {
            Phase::Draft => "draft",
            Phase::Upcoming => "upcoming",
            Phase::Open => "open",
            Phase::Closed => "closed",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Phase::Draft => "calls-phase-draft",
            Phase::Upcoming => "calls-phase-upcoming",
            Phase::Open => "calls-phase-open",
            Phase::Closed => "calls-phase-closed",
        }
    }

    /// The phase of a call with `status` open from `opens_on` to `closes_on`
    /// (both included, `YYYY-MM-DD`) on `today`.
    pub fn of(status: CallStatus, opens_on: &str, closes_on: &str, today: &str) -> Phase {
        if status == CallStatus::Draft {
            return Phase::Draft;
        }
        // ISO dates compare as text.
        if today < opens_on {
            Phase::Upcoming
        } else if today > closes_on {
            Phase::Closed
        } else {
            Phase::Open
        }
    }

    /// Businesses may apply (and save drafts) only while a call is open.
    pub fn accepts_applications(self) -> bool {
        self == Phase::Open
    }
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppStatus {
    Draft,
    Submitted,
    Awarded,
    NotSelected,
}

impl AppStatus {
    pub const ALL: [AppStatus; 4] = [
        AppStatus::Draft,
        AppStatus::Submitted,
        AppStatus::Awarded,
        AppStatus::NotSelected,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AppStatus::Draft => "draft",
            AppStatus::Submitted => "submitted",
            AppStatus::Awarded => "awarded",
            AppStatus::NotSelected => "not_selected",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            AppStatus::Draft => "calls-app-draft",
            AppStatus::Submitted => "calls-app-submitted",
            AppStatus::Awarded => "calls-app-awarded",
            AppStatus::NotSelected => "calls-app-not-selected",
        }
    }

    pub fn parse(code: &str) -> Option<AppStatus> {
        AppStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// A manager's decision on a submitted application.
    pub fn decision(code: &str) -> Option<AppStatus> {
        AppStatus::parse(code).filter(|s| matches!(s, AppStatus::Awarded | AppStatus::NotSelected))
    }
}

/// The call form as typed; the grid's rows are repeated fields.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct CallForm {
    pub version: String,
    pub kind: String,
    pub status: String,
    pub title_fr: String,
    pub title_en: String,
    pub description_fr: String,
    pub description_en: String,
    pub opens_on: String,
    pub closes_on: String,
    pub funding_scheme: String,
    pub crit_label_fr: Vec<String>,
    pub crit_label_en: Vec<String>,
    pub crit_max: Vec<String>,
    pub jurors: Vec<String>,
}

/// One row of a checked grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCriterion {
    pub label_fr: String,
    pub label_en: String,
    pub max_points: i64,
}

/// A checked call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCall {
    pub kind: Kind,
    pub status: CallStatus,
    pub title_fr: String,
    pub title_en: String,
    pub description_fr: String,
    pub description_en: String,
    pub opens_on: String,
    pub closes_on: String,
    pub funding_scheme_id: Option<i64>,
    /// `None` when the grid is locked (scores exist) and kept as it is.
    pub criteria: Option<Vec<NewCriterion>>,
    pub jurors: Vec<i64>,
}

fn date_field(e: &mut Violations, field: &'static str, value: &str) -> Option<Date> {
    if value.trim().is_empty() {
        e.add(field, "form-required", None);
        return None;
    }
    let d = parse_date(value);
    if d.is_none() {
        e.add(field, "calls-date-invalid", None);
    }
    d
}

/// The date rule of a call: it closes on or after the day it opens.
pub fn dates_in_order(opens: Date, closes: Date) -> bool {
    closes >= opens
}

/// Points typed for a criterion's maximum: a whole number from 1 to [`MAX_POINTS`].
pub fn parse_max_points(raw: &str) -> Option<i64> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=MAX_POINTS).contains(n))
}

impl CallForm {
    /// The grid's rows as typed, padded with blank rows to `rows`.
    pub fn grid_rows(&self, rows: usize) -> Vec<(String, String, String)> {
        let n = self
            .crit_label_fr
            .len()
            .max(self.crit_max.len())
            .max(rows)
            .min(MAX_CRITERIA);
        (0..n)
            .map(|i| {
                let at = |v: &Vec<String>| v.get(i).cloned().unwrap_or_default();
                (
                    at(&self.crit_label_fr),
                    at(&self.crit_label_en),
                    at(&self.crit_max),
                )
            })
            .collect()
    }

    /// Check the call; with `grid_locked` the criteria are not read.
    pub fn parse(&self, grid_locked: bool) -> Result<ValidCall, Violations> {
        let mut e = Violations::default();
        let kind = Kind::parse(&self.kind);
        if kind.is_none() {
            e.add("kind", "form-choose", None);
        }
        let status = CallStatus::parse(&self.status);
        if status.is_none() {
            e.add("status", "form-choose", None);
        }
        let title_fr = e.text("title_fr", &self.title_fr, 3, 160);
        let title_en = e.text("title_en", &self.title_en, 0, 160);
        let description_fr = e.text("description_fr", &self.description_fr, 0, 5000);
        let description_en = e.text("description_en", &self.description_en, 0, 5000);
        let opens = date_field(&mut e, "opens_on", &self.opens_on);
        let closes = date_field(&mut e, "closes_on", &self.closes_on);
        if let (Some(o), Some(c)) = (opens, closes) {
            if !dates_in_order(o, c) {
                e.add("closes_on", "calls-closes-before-opens", None);
            }
        }
        let funding_scheme_id = match self.funding_scheme.trim() {
            "" => None,
            s => match s.parse::<i64>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    e.add("funding_scheme", "form-choose", None);
                    None
                }
            },
        };
        let criteria = if grid_locked {
            None
        } else {
            let mut rows = vec![];
            for (i, (fr, en, max)) in self.grid_rows(0).into_iter().enumerate() {
                if fr.trim().is_empty() && en.trim().is_empty() && max.trim().is_empty() {
                    continue;
                }
                let label_fr = e.text(CRIT_LABEL_FR[i], &fr, 2, 160);
                let label_en = en.trim().to_string();
                let max_points = parse_max_points(&max);
                if max_points.is_none() {
                    e.add(CRIT_MAX[i], "calls-max-points-range", Some(MAX_POINTS));
                }
                rows.push(NewCriterion {
                    label_fr,
                    label_en,
                    max_points: max_points.unwrap_or(0),
                });
            }
            if rows.is_empty() {
                e.add("criteria", "calls-criteria-required", None);
            }
            Some(rows)
        };
        let mut jurors: Vec<i64> = self
            .jurors
            .iter()
            .filter_map(|j| j.trim().parse::<i64>().ok())
            .filter(|j| *j > 0)
            .collect();
        jurors.sort_unstable();
        jurors.dedup();
        match (kind, status, opens, closes) {
            (Some(kind), Some(status), Some(o), Some(c)) if e.is_empty() => Ok(ValidCall {
                kind,
                status,
                title_fr,
                title_en,
                description_fr,
                description_en,
                opens_on: o.to_string(),
                closes_on: c.to_string(),
                funding_scheme_id,
                criteria,
                jurors,
            }),
            _ => Err(e),
        }
    }
}

/// A business's application form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ApplyForm {
    pub version: String,
    pub title: String,
    pub project: String,
    /// `draft` (save and come back) or `submit`.
    pub action: String,
}

/// A checked application text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationText {
    pub title: String,
    pub project: String,
    pub submit: bool,
}

impl ApplyForm {
    /// A draft may be incomplete; a submitted application needs its title
    /// and a description of the project.
    pub fn parse(&self) -> Result<ApplicationText, Violations> {
        let submit = self.action == "submit";
        let mut e = Violations::default();
        let (title_min, project_min) = if submit { (3, 20) } else { (0, 0) };
        let title = e.text("title", &self.title, title_min, 160);
        let project = e.text("project", &self.project, project_min, 8000);
        if e.is_empty() {
            Ok(ApplicationText {
                title,
                project,
                submit,
            })
        } else {
            Err(e)
        }
    }

    /// The version the form was read at (0: nothing saved yet).
    pub fn version(&self) -> i64 {
        self.version.trim().parse().unwrap_or(0)
    }
}

/// A juror's score sheet as typed: one `points` per criterion, in the grid's order.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct SheetForm {
    pub version: String,
    pub points: Vec<String>,
    pub comment: String,
    /// `save` (keep working) or `submit` (final).
    pub action: String,
}

impl SheetForm {
    /// The version the sheet was read at (0: never saved).
    pub fn version(&self) -> i64 {
        self.version.trim().parse().unwrap_or(0)
    }

    /// What was typed for row `i`.
    pub fn typed(&self, i: usize) -> String {
        self.points.get(i).cloned().unwrap_or_default()
    }
}

/// What is wrong with one criterion's points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreProblem {
    /// Left empty on a submitted sheet.
    Required,
    /// Not a whole number from 0 to the criterion's maximum.
    OutOfRange { max: i64 },
}

impl ScoreProblem {
    pub fn key(self) -> &'static str {
        match self {
            ScoreProblem::Required => "calls-points-required",
            ScoreProblem::OutOfRange { .. } => "calls-points-range",
        }
    }
}

/// A checked sheet: points per criterion id (empty ones left out on a
/// saved sheet), the comment, whether it is final.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSheet {
    pub points: Vec<(i64, i64)>,
    pub comment: String,
    pub submit: bool,
}

/// Check typed points against the grid (`(criterion id, max points)` in
/// order): each from 0 to its maximum; all filled to submit. Problems come
/// with the row they are on.
pub fn parse_sheet(
    grid: &[(i64, i64)],
    form: &SheetForm,
) -> Result<ValidSheet, Vec<(usize, ScoreProblem)>> {
    let submit = form.action == "submit";
    let mut problems = vec![];
    let mut points = vec![];
    for (i, (id, max)) in grid.iter().enumerate() {
        let raw = form.typed(i);
        let raw = raw.trim();
        if raw.is_empty() {
            if submit {
                problems.push((i, ScoreProblem::Required));
            }
            continue;
        }
        match raw.parse::<i64>() {
            Ok(n) if (0..=*max).contains(&n) => points.push((*id, n)),
            _ => problems.push((i, ScoreProblem::OutOfRange { max: *max })),
        }
    }
    if problems.is_empty() {
        Ok(ValidSheet {
            points,
            comment: form.comment.trim().chars().take(4000).collect(),
            submit,
        })
    } else {
        Err(problems)
    }
}

/// A sheet's total: the sum of its points.
pub fn total(points: &[i64]) -> i64 {
    points.iter().sum()
}

/// The most a sheet can total.
pub fn grid_max(maxes: &[i64]) -> i64 {
    maxes.iter().sum()
}

/// The average of jurors' totals in tenths of a point, rounded half up
/// (`None` when no juror has submitted).
pub fn average_tenths(totals: &[i64]) -> Option<i64> {
    if totals.is_empty() {
        return None;
    }
    let n = totals.len() as i64;
    let sum10 = total(totals) * 10;
    Some((2 * sum10 + n) / (2 * n))
}

/// Tenths of a point as `locale` writes them: "12,5" / "12.5", "12" when whole.
pub fn show_tenths(locale: Locale, tenths: i64) -> String {
    let (whole, frac) = (tenths / 10, tenths % 10);
    if frac == 0 {
        return whole.to_string();
    }
    let sep = if locale == Locale::En { '.' } else { ',' };
    format!("{whole}{sep}{}", frac.abs())
}

/// The day `days` days before `today` (`YYYY-MM-DD`).
pub fn days_before(today: &str, days: i64) -> Option<String> {
    let d = parse_date(today)?;
    d.checked_sub(jiff::Span::new().days(days))
        .ok()
        .map(|d: Date| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call_form() -> CallForm {
        CallForm {
            kind: "trophy".into(),
            status: "published".into(),
            title_fr: "Trophées de l'artisanat".into(),
            opens_on: "2027-01-10".into(),
            closes_on: "2027-02-28".into(),
            crit_label_fr: vec!["Innovation".into(), "".into(), "Impact local".into()],
            crit_label_en: vec!["".into(), "".into(), "".into()],
            crit_max: vec!["20".into(), "".into(), "10".into()],
            jurors: vec!["3".into(), "2".into(), "3".into()],
            ..Default::default()
        }
    }

    #[test]
    fn a_call_closes_after_it_opens() {
        let ok = call_form().parse(false).unwrap();
        assert_eq!(ok.criteria.as_ref().unwrap().len(), 2, "blank rows skipped");
        assert_eq!(ok.jurors, vec![2, 3]);
        let same_day = CallForm {
            closes_on: "10/01/2027".into(),
            ..call_form()
        };
        assert_eq!(same_day.parse(false).unwrap().closes_on, "2027-01-10");
        let before = CallForm {
            closes_on: "2027-01-09".into(),
            ..call_form()
        };
        let e = before.parse(false).unwrap_err();
        assert!(e.has("closes_on"));
        assert!(!e.has("opens_on"));
    }

    #[test]
    fn the_grid_needs_rows_with_points_in_range() {
        let none = CallForm {
            crit_label_fr: vec![],
            crit_max: vec![],
            ..call_form()
        };
        assert!(none.parse(false).unwrap_err().has("criteria"));
        assert!(none.parse(true).unwrap().criteria.is_none(), "locked grid");
        let too_many = CallForm {
            crit_max: vec!["101".into(), "".into(), "0".into()],
            ..call_form()
        };
        let e = too_many.parse(false).unwrap_err();
        assert!(e.has("crit-max-0") && e.has("crit-max-2"));
        assert_eq!(parse_max_points(" 40 "), Some(40));
        assert_eq!(parse_max_points("x"), None);
    }

    #[test]
    fn phases_follow_the_dates() {
        let p = |today| Phase::of(CallStatus::Published, "2027-01-10", "2027-02-28", today);
        assert_eq!(p("2027-01-09"), Phase::Upcoming);
        assert_eq!(p("2027-01-10"), Phase::Open);
        assert_eq!(p("2027-02-28"), Phase::Open);
        assert_eq!(p("2027-03-01"), Phase::Closed);
        assert!(!p("2027-03-01").accepts_applications());
        assert_eq!(
            Phase::of(CallStatus::Draft, "2027-01-10", "2027-02-28", "2027-01-15"),
            Phase::Draft
        );
    }

    #[test]
    fn drafts_may_be_incomplete_submissions_may_not() {
        let draft = ApplyForm {
            action: "draft".into(),
            title: "".into(),
            ..Default::default()
        };
        assert!(draft.parse().is_ok());
        let submit = ApplyForm {
            action: "submit".into(),
            ..draft
        };
        let e = submit.parse().unwrap_err();
        assert!(e.has("title") && e.has("project"));
    }

    #[test]
    fn scores_stay_within_the_grid() {
        let grid = [(7, 20), (8, 10)];
        let form = |a: &str, b: &str, action: &str| SheetForm {
            points: vec![a.into(), b.into()],
            action: action.into(),
            ..Default::default()
        };
        assert_eq!(
            parse_sheet(&grid, &form("15", "", "save")).unwrap().points,
            vec![(7, 15)]
        );
        assert_eq!(
            parse_sheet(&grid, &form("15", "", "submit")).unwrap_err(),
            vec![(1, ScoreProblem::Required)]
        );
        assert_eq!(
            parse_sheet(&grid, &form("21", "-1", "save")).unwrap_err(),
            vec![
                (0, ScoreProblem::OutOfRange { max: 20 }),
                (1, ScoreProblem::OutOfRange { max: 10 })
            ]
        );
        assert!(parse_sheet(&grid, &form("2.5", "3", "save")).is_err());
        assert!(
            parse_sheet(&grid, &form("20", "0", "submit"))
                .unwrap()
                .submit
        );
    }

    #[test]
    fn totals_and_averages() {
        assert_eq!(total(&[15, 8]), 23);
        assert_eq!(grid_max(&[20, 10]), 30);
        assert_eq!(average_tenths(&[]), None);
        assert_eq!(average_tenths(&[23, 18]), Some(205));
        assert_eq!(average_tenths(&[10, 10, 11]), Some(103));
        assert_eq!(show_tenths(Locale::Fr, 205), "20,5");
        assert_eq!(show_tenths(Locale::En, 205), "20.5");
        assert_eq!(show_tenths(Locale::Fr, 230), "23");
    }
}
