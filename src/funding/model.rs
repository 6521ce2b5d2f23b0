//! Funding schemes in the vocabulary French aid catalogues share (aid types,
//! audiences, project stages, recurrence, dates, backers, perimeter), the
//! amount formula and the scheme form. The eligibility rules live in
//! [`super::eligibility`] and are re-exported here. Pure rules; no I/O.

use serde::Deserialize;

pub use super::eligibility::{
    check_codes, evaluate, named_codes, overall, parse_rules, rules_text, Check, Facts, Outcome,
    Rule, RuleError,
};
use crate::guides::model::{split_list, unknown_in, Known, UnknownCode};
use crate::kernel::money::Euros;
use crate::setup::model::{valid_slug, wanted_slug};
use crate::web::forms::Violations;

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, [$($variant:ident => $code:literal),* $(,)?]) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($variant),* }
        impl $name {
            /// Every value, in the order forms list them.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// The stored text (the catalogues' code).
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }
            /// Translation key of the label.
            pub fn label_key(self) -> &'static str {
                match self { $($name::$variant => concat!($prefix, $code)),* }
            }
            /// The value stored as `code`.
            pub fn parse(code: &str) -> Result<$name, UnknownCode> {
                let c = code.trim();
                $name::ALL.iter().copied().find(|v| v.code() == c).ok_or(UnknownCode)
            }
        }
    };
}

vocabulary!(
    /// What form the aid takes.
    AidType, "funding-type-", [
        Grant => "grant",
        Loan => "loan",
        RecoverableAdvance => "recoverable_advance",
        TechnicalEngineering => "technical_engineering",
        FinancialEngineering => "financial_engineering",
        InKind => "in_kind",
    ]
);
vocabulary!(
    /// Who may apply.
    Audience, "funding-audience-", [
        PrivateSector => "private_sector",
        Association => "association",
        Farmer => "farmer",
        PrivatePerson => "private_person",
        Commune => "commune",
    ]
);
vocabulary!(
    /// At which stage of the project the aid comes.
    Stage, "funding-stage-", [
        Thinking => "preop",
        Doing => "op",
        Using => "postop",
    ]
);
vocabulary!(
    /// How often the scheme is open.
    Recurrence, "funding-recurrence-", [
        OneOff => "oneoff",
        Ongoing => "ongoing",
        Recurring => "recurring",
    ]
);
vocabulary!(
    /// Where a scheme stands.
    SchemeStatus, "funding-status-", [
        Draft => "draft",
        Published => "published",
    ]
);
vocabulary!(
    /// Where an application stands.
    ApplicationStatus, "funding-app-", [
        Prepared => "prepared",
        Submitted => "submitted",
        Obtained => "obtained",
        Refused => "refused",
        Paid => "paid",
    ]
);

impl ApplicationStatus {
    /// The statuses an application may move to from this one.
    pub fn next(self) -> &'static [ApplicationStatus] {
        use ApplicationStatus::*;
        match self {
            Prepared => &[Submitted],
            Submitted => &[Obtained, Refused],
            Obtained => &[Paid],
            Refused | Paid => &[],
        }
    }
}

/// A checked step of an application: where it goes, and the amount obtained
/// or paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub to: ApplicationStatus,
    pub amount: Option<Euros>,
}

/// Check a step from `from` to the status coded `to` on `on` (YYYY-MM-DD),
/// with `amount` as read (`Err` when unreadable): the step must be allowed,
/// the date valid and, when obtained or paid, an amount given. The error is
/// the field at fault and the translation key.
pub fn check_step(
    from: ApplicationStatus,
    to: &str,
    on: &str,
    amount: Result<Option<Euros>, ()>,
) -> Result<Step, (&'static str, &'static str)> {
    let to = ApplicationStatus::parse(to)
        .ok()
        .filter(|t| from.next().contains(t))
        .ok_or(("to", "funding-app-bad-step"))?;
    if day_number(on).is_none() {
        return Err(("on", "funding-date-invalid"));
    }
    let needs = matches!(to, ApplicationStatus::Obtained | ApplicationStatus::Paid);
    match amount {
        Err(()) => Err(("amount", "funding-amount-invalid")),
        Ok(None) if needs => Err(("amount", "funding-amount-invalid")),
        Ok(amount) => Ok(Step { to, amount }),
    }
}

/// Days before the deadline when a scheme "closes soon".
pub const CLOSES_SOON_DAYS: i64 = 30;

/// True when `closes_on` (YYYY-MM-DD) is between `today` and 30 days after it.
pub fn closes_soon(closes_on: &str, today: &str) -> bool {
    match (day_number(closes_on), day_number(today)) {
        (Some(c), Some(t)) => c >= t && c - t <= CLOSES_SOON_DAYS,
        _ => false,
    }
}

/// True when the deadline has passed.
pub fn closed(closes_on: &str, today: &str) -> bool {
    !closes_on.is_empty() && closes_on < today
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date, if valid.
pub fn day_number(date: &str) -> Option<i64> {
    let d: jiff::civil::Date = date.trim().parse().ok()?;
    Some(d.since(jiff::civil::date(1970, 1, 1)).ok()?.get_days() as i64)
}

/// Whole months between two dates (`from` before `to`), by calendar.
pub fn months_between(from: &str, to: &str) -> Option<i64> {
    let a: jiff::civil::Date = from.trim().parse().ok()?;
    let b: jiff::civil::Date = to.trim().parse().ok()?;
    let mut m = (b.year() as i64 - a.year() as i64) * 12 + (b.month() as i64 - a.month() as i64);
    if b.day() < a.day() {
        m -= 1;
    }
    Some(m)
}

// ---------------------------------------------------------------- amount

/// The amount formula: `rate` % of the eligible cost, at most `cap`; an aid
/// below `floor` is not granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Formula {
    pub rate_pct: Option<i64>,
    pub cap: Option<Euros>,
    pub floor: Option<Euros>,
}

/// What the formula gives for a cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Simulation {
    /// The aid, and whether the cap cut it.
    Amount { aid: Euros, capped: bool },
    /// The aid would be below the scheme's floor.
    BelowFloor { aid: Euros, floor: Euros },
    /// The scheme has no rate: the amount is decided case by case.
    NoFormula,
}

impl Formula {
    /// The aid for an eligible `cost`: min(rate × cost, cap), rounded down to the cent.
    pub fn simulate(self, cost: Euros) -> Simulation {
        let Some(rate) = self.rate_pct else {
            return Simulation::NoFormula;
        };
        let mut aid = Euros(cost.cents() * rate / 100);
        let mut capped = false;
        if let Some(cap) = self.cap {
            if aid > cap {
                aid = cap;
                capped = true;
            }
        }
        match self.floor {
            Some(floor) if aid < floor => Simulation::BelowFloor { aid, floor },
            _ => Simulation::Amount { aid, capped },
        }
    }

    /// The aid granted, if any.
    pub fn granted(self, cost: Euros) -> Option<Euros> {
        match self.simulate(cost) {
            Simulation::Amount { aid, .. } => Some(aid),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------- the form

/// The staff editor's form, as typed (also one row of an import).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SchemeForm {
    pub slug: String,
    pub status: String,
    pub title_fr: String,
    pub title_en: String,
    pub summary_fr: String,
    pub summary_en: String,
    pub aid_types: String,
    pub audiences: String,
    pub stages: String,
    pub recurrence: String,
    pub opens_on: String,
    pub closes_on: String,
    pub backers: String,
    pub instructor: String,
    pub perimeter: String,
    pub themes: String,
    pub rate_pct: String,
    pub cap: String,
    pub floor: String,
    pub rules: String,
    pub link: String,
    pub version: String,
}

/// A checked scheme.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidScheme {
    pub slug: String,
    pub status: SchemeStatus,
    pub title_fr: String,
    pub title_en: String,
    pub summary_fr: String,
    pub summary_en: String,
    pub aid_types: Vec<String>,
    pub audiences: Vec<String>,
    pub stages: Vec<String>,
    pub recurrence: Recurrence,
    pub opens_on: String,
    pub closes_on: String,
    pub backers: String,
    pub instructor: String,
    pub perimeter: String,
    pub themes: Vec<String>,
    pub formula: Formula,
    pub rules: Vec<Rule>,
    pub link: String,
    pub version: i64,
}

fn codes_of<T>(
    v: &mut Violations,
    field: &'static str,
    raw: &str,
    parse: fn(&str) -> Result<T, UnknownCode>,
    required: bool,
) -> Vec<String> {
    let list = split_list(raw);
    if required && list.is_empty() {
        v.add(field, "form-required", None);
    } else if list.iter().any(|c| parse(c).is_err()) {
        v.add(field, "guides-unknown-codes", None);
    }
    list
}

fn date(v: &mut Violations, field: &'static str, raw: &str) -> String {
    let d = raw.trim().to_string();
    if !d.is_empty() && day_number(&d).is_none() {
        v.add(field, "funding-date-invalid", None);
    }
    d
}

fn euros(v: &mut Violations, field: &'static str, raw: &str) -> Option<Euros> {
    match Euros::parse(raw) {
        Ok(e) => e,
        Err(_) => {
            v.add(field, "funding-amount-invalid", None);
            None
        }
    }
}

impl SchemeForm {
    /// Every code the form names (themes, sectors, territories), rules and
    /// perimeter included, to look up before [`SchemeForm::parse`].
    pub fn named(&self) -> (Vec<String>, Vec<String>, Vec<String>) {
        let (mut themes, sectors, mut territories) = match parse_rules(&self.rules) {
            Ok(r) => named_codes(&r),
            Err(_) => (vec![], vec![], vec![]),
        };
        themes.extend(split_list(&self.themes));
        if !self.perimeter.trim().is_empty() {
            territories.push(self.perimeter.trim().to_string());
        }
        (themes, sectors, territories)
    }

    /// Check the form: titles, known vocabulary, dates in order, rate within
    /// 0–100 %, cap not below floor, rules well written naming known codes.
    /// Rule errors are returned apart (by line) as well as on the field.
    pub fn parse(&self, known: &Known) -> Result<ValidScheme, (Violations, Vec<RuleError>)> {
        let mut v = Violations::default();
        let title_fr = v.text("title_fr", &self.title_fr, 3, 200);
        let title_en = v.text("title_en", &self.title_en, 3, 200);
        let slug = wanted_slug(&self.slug, &title_fr);
        if !title_fr.is_empty() && !valid_slug(&slug) {
            v.add("slug", "setup-slug-invalid", None);
        }
        let status = if self.status.trim().is_empty() {
            SchemeStatus::Draft
        } else {
            SchemeStatus::parse(&self.status).unwrap_or_else(|_| {
                v.add("status", "form-choose", None);
                SchemeStatus::Draft
            })
        };
        let summary_fr = v.text("summary_fr", &self.summary_fr, 0, 2000);
        let summary_en = v.text("summary_en", &self.summary_en, 0, 2000);
        let aid_types = codes_of(&mut v, "aid_types", &self.aid_types, AidType::parse, true);
        let audiences = codes_of(&mut v, "audiences", &self.audiences, Audience::parse, false);
        let stages = codes_of(&mut v, "stages", &self.stages, Stage::parse, false);
        let recurrence = if self.recurrence.trim().is_empty() {
            Recurrence::Ongoing
        } else {
            Recurrence::parse(&self.recurrence).unwrap_or_else(|_| {
                v.add("recurrence", "form-choose", None);
                Recurrence::Ongoing
            })
        };
        let opens_on = date(&mut v, "opens_on", &self.opens_on);
        let closes_on = date(&mut v, "closes_on", &self.closes_on);
        if !opens_on.is_empty()
            && !closes_on.is_empty()
            && !v.has("opens_on")
            && !v.has("closes_on")
            && closes_on < opens_on
        {
            v.add("closes_on", "funding-deadline-before-opening", None);
        }
        let backers = v.text("backers", &self.backers, 0, 300);
        let instructor = v.text("instructor", &self.instructor, 0, 300);
        let perimeter = self.perimeter.trim().to_string();
        let perimeter = if perimeter.is_empty() {
            "FR".to_string()
        } else {
            perimeter
        };
        if !known.territories.contains(&perimeter) {
            v.add("perimeter", "guides-unknown-codes", None);
        }
        let themes = split_list(&self.themes);
        if !unknown_in(&themes, &known.themes).is_empty() {
            v.add("themes", "guides-unknown-codes", None);
        }
        let rate_pct = match self.rate_pct.trim().trim_end_matches('%').trim() {
            "" => None,
            r => match r.parse::<i64>() {
                Ok(n) if (0..=100).contains(&n) => Some(n),
                Ok(_) => {
                    v.add("rate_pct", "funding-rate-range", None);
                    None
                }
                Err(_) => {
                    v.add("rate_pct", "funding-rate-invalid", None);
                    None
                }
            },
        };
        let cap = euros(&mut v, "cap", &self.cap);
        let floor = euros(&mut v, "floor", &self.floor);
        if let (Some(c), Some(f)) = (cap, floor) {
            if c < f {
                v.add("cap", "funding-cap-below-floor", None);
            }
        }
        let link = self.link.trim().to_string();
        if !(link.is_empty() || link.starts_with("https://") || link.starts_with("http://")) {
            v.add("link", "funding-link-invalid", None);
        }
        let mut rule_errors = vec![];
        let rules = match parse_rules(&self.rules) {
            Ok(r) => {
                rule_errors = check_codes(&self.rules, known);
                r
            }
            Err(e) => {
                rule_errors = e;
                vec![]
            }
        };
        if !rule_errors.is_empty() {
            v.add("rules", "funding-rules-invalid", None);
        }
        if !v.is_empty() {
            return Err((v, rule_errors));
        }
        Ok(ValidScheme {
            slug,
            status,
            title_fr,
            title_en,
            summary_fr,
            summary_en,
            aid_types,
            audiences,
            stages,
            recurrence,
            opens_on,
            closes_on,
            backers,
            instructor,
            perimeter,
            themes,
            formula: Formula {
                rate_pct,
                cap,
                floor,
            },
            rules,
            link,
            version: self.version.trim().parse().unwrap_or(0),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_formula_at_its_boundaries() {
        let f = Formula {
            rate_pct: Some(80),
            cap: Some(Euros::from_units(15_000)),
            floor: Some(Euros::from_units(1_000)),
        };
        assert_eq!(
            f.simulate(Euros::from_units(6_000)),
            Simulation::Amount {
                aid: Euros::from_units(4_800),
                capped: false
            }
        );
        assert_eq!(
            f.simulate(Euros::from_units(18_750)),
            Simulation::Amount {
                aid: Euros::from_units(15_000),
                capped: false
            }
        );
        assert_eq!(
            f.simulate(Euros::from_units(18_751)),
            Simulation::Amount {
                aid: Euros::from_units(15_000),
                capped: true
            }
        );
        assert_eq!(
            f.granted(Euros::from_units(1_250)),
            Some(Euros::from_units(1_000))
        );
        assert!(matches!(
            f.simulate(Euros(124_999)),
            Simulation::BelowFloor { .. }
        ));
        assert_eq!(
            Formula::default().simulate(Euros(100)),
            Simulation::NoFormula
        );
    }

    #[test]
    fn steps_follow_the_application_path() {
        use ApplicationStatus::*;
        let ok = check_step(Prepared, "submitted", "2026-12-01", Ok(None)).unwrap();
        assert_eq!(ok.to, Submitted);
        assert_eq!(
            check_step(Prepared, "paid", "2026-12-01", Ok(None)),
            Err(("to", "funding-app-bad-step"))
        );
        assert_eq!(
            check_step(Submitted, "obtained", "2026-12-01", Ok(None)),
            Err(("amount", "funding-amount-invalid"))
        );
        assert_eq!(
            check_step(Submitted, "refused", "2026-13-01", Ok(None)),
            Err(("on", "funding-date-invalid"))
        );
        let paid = check_step(Obtained, "paid", "2026-12-01", Ok(Some(Euros(100)))).unwrap();
        assert_eq!(paid.amount, Some(Euros(100)));
    }

    #[test]
    fn closes_soon_within_thirty_days() {
        assert!(closes_soon("2026-12-31", "2026-12-01"));
        assert!(!closes_soon("2027-01-01", "2026-12-01"));
        assert!(!closes_soon("2026-11-30", "2026-12-01"));
        assert_eq!(months_between("2025-12-02", "2026-12-01"), Some(11));
        assert_eq!(months_between("2025-12-01", "2026-12-01"), Some(12));
    }
}
