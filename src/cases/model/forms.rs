//! The forms of a file: opening, the file itself, activities, coaching hours.

use super::*;

/// The file's own form (status, adviser, outcome, summary), version-checked.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct CaseForm {
    pub status: String,
    pub outcome: String,
    pub adviser: String,
    pub summary: String,
    pub version: String,
}

/// A checked [`CaseForm`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCase {
    pub status: CaseStatus,
    pub outcome: Option<Outcome>,
    pub adviser_id: Option<i64>,
    pub summary: String,
    pub version: i64,
}

/// Check the file's form against the advisers who may take it.
pub fn parse_case(f: &CaseForm, advisers: &[i64]) -> Result<ValidCase, Violations> {
    let mut v = Violations::default();
    let status = CaseStatus::from_code(f.status.trim());
    if status.is_none() {
        v.add("status", "form-required", None);
    }
    let outcome = if f.outcome.trim().is_empty() {
        None
    } else {
        match Outcome::from_code(f.outcome.trim()) {
            Some(o) => Some(o),
            None => {
                v.add("outcome", "case-bad-outcome", None);
                None
            }
        }
    };
    if status == Some(CaseStatus::Closed) && outcome.is_none() && !v.has("outcome") {
        v.add("outcome", "case-outcome-required", None);
    }
    let adviser_id = match f.adviser.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(id) if advisers.contains(&id) => Some(id),
            _ => {
                v.add("adviser", "case-bad-adviser", None);
                None
            }
        },
    };
    let summary = v.text("summary", &f.summary, 0, 4000);
    let version = f.version.trim().parse::<i64>().unwrap_or(0);
    match status {
        Some(status) if v.is_empty() => Ok(ValidCase {
            status,
            outcome: if status == CaseStatus::Closed {
                outcome
            } else {
                None
            },
            adviser_id,
            summary,
            version,
        }),
        _ => Err(v),
    }
}

/// Opening a file.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct OpenForm {
    pub business: String,
    pub template: String,
    pub origin: String,
    pub origin_id: String,
    pub adviser: String,
    pub opened_on: String,
    pub summary: String,
}

/// A checked [`OpenForm`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidOpen {
    pub business_id: i64,
    pub template_id: Option<i64>,
    pub origin: Origin,
    pub origin_id: Option<i64>,
    pub adviser_id: Option<i64>,
    /// The opening day, when given (else now).
    pub opened_on: Option<jiff::civil::Date>,
    pub summary: String,
}

/// Check the opening form against what exists.
pub fn parse_open(
    f: &OpenForm,
    businesses: &[i64],
    templates: &[i64],
    advisers: &[i64],
) -> Result<ValidOpen, Violations> {
    let mut v = Violations::default();
    let business_id = match f.business.trim().parse::<i64>() {
        Ok(id) if businesses.contains(&id) => id,
        _ => {
            v.add("business", "case-bad-business", None);
            0
        }
    };
    let template_id = match f.template.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(id) if templates.contains(&id) => Some(id),
            _ => {
                v.add("template", "case-bad-template", None);
                None
            }
        },
    };
    let origin = Origin::from_code(f.origin.trim()).unwrap_or(Origin::Manual);
    let origin_id = f.origin_id.trim().parse::<i64>().ok();
    let adviser_id = match f.adviser.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(id) if advisers.contains(&id) => Some(id),
            _ => {
                v.add("adviser", "case-bad-adviser", None);
                None
            }
        },
    };
    let opened_on = match f.opened_on.trim() {
        "" => None,
        s => match dates::parse_date(s) {
            Some(d) => Some(d),
            None => {
                v.add("opened_on", "case-bad-date", None);
                None
            }
        },
    };
    let summary = v.text("summary", &f.summary, 0, 4000);
    if v.is_empty() {
        Ok(ValidOpen {
            business_id,
            template_id,
            origin,
            origin_id,
            adviser_id,
            opened_on,
            summary,
        })
    } else {
        Err(v)
    }
}

/// An activity as typed (new or edited).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ActivityForm {
    pub kind: String,
    pub title: String,
    pub body: String,
    pub date: String,
    pub time: String,
    pub due: String,
    pub minutes: String,
    pub place: String,
    pub online: Option<String>,
    pub attendees: String,
    pub shared: Option<String>,
    pub version: String,
    /// Audit observations, one per dimension (`obs_<dimension>`).
    #[serde(flatten)]
    pub rest: std::collections::HashMap<String, String>,
}

/// A checked [`ActivityForm`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidActivity {
    pub kind: ActivityKind,
    pub title: String,
    pub body: String,
    /// When it happened (None: planned only).
    pub happened_at: Option<i64>,
    pub due_at: Option<i64>,
    pub minutes: i64,
    pub place: String,
    pub online: bool,
    pub attendees: String,
    pub shared: bool,
    pub observations: Vec<(&'static str, String)>,
    pub version: i64,
}

/// A meeting already in the adviser's diary: (start, minutes).
pub type Busy = (i64, i64);

/// What an activity is checked against.
pub struct ActivityContext<'a> {
    pub tz: &'a jiff::tz::TimeZone,
    pub opened_at: i64,
    /// The adviser's other meetings (for overlaps).
    pub busy: &'a [Busy],
}

/// Check an activity: a date (and time) when it happened or a due date when
/// planned, never a due date before the opening, a duration up to a day,
/// no meeting overlapping another of the same adviser.
pub fn parse_activity(f: &ActivityForm, c: &ActivityContext) -> Result<ValidActivity, Violations> {
    let mut v = Violations::default();
    let kind = ActivityKind::from_code(f.kind.trim());
    if kind.is_none() {
        v.add("kind", "case-bad-kind", None);
    }
    let title = v.text("title", &f.title, 0, 200);
    let body = v.text("body", &f.body, 0, BODY_MAX);
    let minutes = match f.minutes.trim() {
        "" => 0,
        s => match s.parse::<i64>() {
            Ok(m) if (0..=1440).contains(&m) => m,
            _ => {
                v.add("minutes", "case-bad-minutes", Some(1440));
                0
            }
        },
    };
    let time = match f.time.trim() {
        "" => jiff::civil::Time::midnight(),
        s => match dates::parse_time(s) {
            Some(t) => t,
            None => {
                v.add("time", "case-bad-time", None);
                jiff::civil::Time::midnight()
            }
        },
    };
    let day_start = |d: jiff::civil::Date, t| dates::to_ms(c.tz, d, t);
    let happened_at = match f.date.trim() {
        "" => None,
        s => match dates::parse_date(s).and_then(|d| day_start(d, time)) {
            Some(ms) => Some(ms),
            None => {
                v.add("date", "case-bad-date", None);
                None
            }
        },
    };
    let due_at = match f.due.trim() {
        "" => None,
        s => match dates::parse_date(s).and_then(|d| day_start(d, time)) {
            Some(ms) => {
                let opened_day = dates::zoned(c.tz, c.opened_at).date();
                if dates::zoned(c.tz, ms).date() < opened_day {
                    v.add("due", "case-due-before-opening", None);
                }
                Some(ms)
            }
            None => {
                v.add("due", "case-bad-date", None);
                None
            }
        },
    };
    if happened_at.is_none() && due_at.is_none() && !v.has("date") && !v.has("due") {
        v.add("date", "case-date-required", None);
    }
    let place = v.text("place", &f.place, 0, 300);
    let attendees = v.text("attendees", &f.attendees, 0, 1000);
    let online = checked(&f.online);
    if kind == Some(ActivityKind::Meeting) {
        if let Some(start) = happened_at.or(due_at) {
            if minutes == 0 && !v.has("minutes") {
                v.add("minutes", "case-meeting-minutes", None);
            }
            let end = start + minutes.max(1) * 60_000;
            if c.busy
                .iter()
                .any(|(s, m)| *s < end && start < *s + (*m).max(1) * 60_000)
            {
                v.add("date", "case-meeting-overlap", None);
            }
        }
    }
    let observations: Vec<(&'static str, String)> = if kind == Some(ActivityKind::Audit) {
        crate::diagnostic::bank::DIMENSIONS
            .iter()
            .filter_map(|d| {
                let text = f
                    .rest
                    .get(&format!("obs_{d}"))
                    .map(|s| s.trim().to_string())
                    .unwrap_or_default();
                (!text.is_empty()).then_some((*d, text))
            })
            .collect()
    } else {
        vec![]
    };
    if observations.iter().any(|(_, t)| t.chars().count() > 4000) {
        v.add("body", "form-too-long", Some(4000));
    }
    let version = f.version.trim().parse::<i64>().unwrap_or(0);
    match kind {
        Some(kind) if v.is_empty() => Ok(ValidActivity {
            kind,
            shared: checked(&f.shared) && !kind.always_private(),
            title,
            body,
            happened_at,
            due_at,
            minutes,
            place,
            online,
            attendees,
            observations,
            version,
        }),
        _ => Err(v),
    }
}

/// Coaching time as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct HoursForm {
    pub funder: String,
    pub planned: String,
    pub delivered: String,
    pub amount: String,
    pub reference: String,
}

/// A checked [`HoursForm`] (durations in minutes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidHours {
    pub funder: Funder,
    pub planned_minutes: i64,
    pub delivered_minutes: i64,
    pub amount: Option<Euros>,
    pub reference: String,
}

/// Hours typed as `3`, `3,5` or `3.5`, within one day; `None` when invalid.
pub fn parse_hours(s: &str) -> Option<i64> {
    let s = s.trim().replace(',', ".");
    if s.is_empty() {
        return Some(0);
    }
    let h: f64 = s.parse().ok()?;
    if !h.is_finite() || !(0.0..=24.0).contains(&h) {
        return None;
    }
    Some((h * 60.0).round() as i64)
}

/// Check coaching time: a known funder, hours between 0 and 24, some time, an amount.
pub fn parse_hours_form(f: &HoursForm) -> Result<ValidHours, Violations> {
    let mut v = Violations::default();
    let funder = Funder::from_code(f.funder.trim());
    if funder.is_none() {
        v.add("funder", "case-bad-funder", None);
    }
    let planned = parse_hours(&f.planned);
    if planned.is_none() {
        v.add("planned", "case-bad-hours", Some(24));
    }
    let delivered = parse_hours(&f.delivered);
    if delivered.is_none() {
        v.add("delivered", "case-bad-hours", Some(24));
    }
    if planned == Some(0) && delivered == Some(0) {
        v.add("planned", "case-hours-required", None);
    }
    let amount = match Euros::parse(&f.amount) {
        Ok(a) => a,
        Err(_) => {
            v.add("amount", "case-bad-amount", None);
            None
        }
    };
    let reference = v.text("reference", &f.reference, 0, 120);
    match funder {
        Some(funder) if v.is_empty() => Ok(ValidHours {
            funder,
            planned_minutes: planned.unwrap_or(0),
            delivered_minutes: delivered.unwrap_or(0),
            amount,
            reference,
        }),
        _ => Err(v),
    }
}

/// Hours and minutes as shown (`3 h 30`).
pub fn show_minutes(m: i64) -> String {
    if m % 60 == 0 {
        format!("{} h", m / 60)
    } else {
        format!("{} h {:02}", m / 60, m % 60)
    }
}
