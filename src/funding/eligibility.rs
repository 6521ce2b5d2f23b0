//! Eligibility rules Tremplin adds to the catalogues' vocabulary: read from
//! one rule a line, checked for unknown codes, and evaluated against what is
//! known of a business as met / not met / unknown. Pure rules; no I/O.

use std::collections::HashSet;

use super::model::months_between;
use crate::business::model::SIZE_BANDS;
use crate::guides::model::{split_list, unknown_in, Known};

/// One eligibility rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// The business is located in one of these territories (or below them).
    Territory(Vec<String>),
    /// Its NACE code starts with one of these.
    Sectors(Vec<String>),
    /// It is registered at the craft register (répertoire des métiers).
    CraftRegister,
    /// Its headcount band is one of these.
    Headcount(Vec<String>),
    /// It was founded at least N months ago.
    MinAgeMonths(i64),
    /// It was founded at most N months ago.
    MaxAgeMonths(i64),
    /// It has a maturity diagnostic less than N months old.
    DiagnosticWithin(i64),
    /// Someone of the business attended a workshop on this theme.
    WorkshopTheme(String),
}

/// Why a rules text was refused: line number and translation key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub line: usize,
    pub key: &'static str,
    /// The unknown codes, when that is the problem.
    pub codes: Vec<String>,
}

impl Rule {
    /// The line that [`parse_rules`] reads back.
    pub fn to_line(&self) -> String {
        match self {
            Rule::Territory(c) => format!("territory: {}", c.join(", ")),
            Rule::Sectors(c) => format!("sectors: {}", c.join(", ")),
            Rule::CraftRegister => "craft_register: yes".into(),
            Rule::Headcount(c) => format!("headcount: {}", c.join(", ")),
            Rule::MinAgeMonths(n) => format!("min_age_months: {n}"),
            Rule::MaxAgeMonths(n) => format!("max_age_months: {n}"),
            Rule::DiagnosticWithin(n) => format!("diagnostic_within_months: {n}"),
            Rule::WorkshopTheme(t) => format!("workshop_theme: {t}"),
        }
    }

    /// Every code the rule names, by kind (themes, sectors, territories).
    fn named(&self, out: &mut (Vec<String>, Vec<String>, Vec<String>)) {
        match self {
            Rule::WorkshopTheme(t) => out.0.push(t.clone()),
            Rule::Sectors(c) => out.1.extend(c.iter().cloned()),
            Rule::Territory(c) => out.2.extend(c.iter().cloned()),
            _ => {}
        }
    }
}

/// Read rules written one a line (`territory: FR-R75`, `sectors: 10, 47`,
/// `craft_register: yes`, `headcount: 0, 1-9`, `min_age_months: 12`,
/// `max_age_months: 60`, `diagnostic_within_months: 12`,
/// `workshop_theme: cybersecurite-bases`), without checking codes.
pub fn parse_rules(text: &str) -> Result<Vec<Rule>, Vec<RuleError>> {
    let mut rules = vec![];
    let mut errors = vec![];
    let err = |line, key| RuleError {
        line,
        key,
        codes: vec![],
    };
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let n = i + 1;
        let Some((key, value)) = line.split_once(':') else {
            errors.push(err(n, "funding-rule-syntax"));
            continue;
        };
        let list = split_list(value);
        let months = || {
            value
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|m| (0..=1200).contains(m))
        };
        let rule = match key.trim() {
            "territory" | "territories" if !list.is_empty() => Rule::Territory(list),
            "sectors" | "sector" if !list.is_empty() => Rule::Sectors(list),
            "craft_register" => match value.trim() {
                "yes" | "oui" | "true" => Rule::CraftRegister,
                _ => {
                    errors.push(err(n, "funding-rule-value"));
                    continue;
                }
            },
            "headcount" if !list.is_empty() => {
                if list.iter().any(|b| !SIZE_BANDS.contains(&b.as_str())) {
                    errors.push(RuleError {
                        line: n,
                        key: "funding-rule-unknown",
                        codes: list
                            .iter()
                            .filter(|b| !SIZE_BANDS.contains(&b.as_str()))
                            .cloned()
                            .collect(),
                    });
                    continue;
                }
                Rule::Headcount(list)
            }
            "min_age_months" => match months() {
                Some(m) => Rule::MinAgeMonths(m),
                None => {
                    errors.push(err(n, "funding-rule-value"));
                    continue;
                }
            },
            "max_age_months" => match months() {
                Some(m) => Rule::MaxAgeMonths(m),
                None => {
                    errors.push(err(n, "funding-rule-value"));
                    continue;
                }
            },
            "diagnostic_within_months" => match months().filter(|m| *m > 0) {
                Some(m) => Rule::DiagnosticWithin(m),
                None => {
                    errors.push(err(n, "funding-rule-value"));
                    continue;
                }
            },
            "workshop_theme" if list.len() == 1 => Rule::WorkshopTheme(list[0].clone()),
            "territory" | "territories" | "sectors" | "sector" | "headcount" | "workshop_theme" => {
                errors.push(err(n, "funding-rule-value"));
                continue;
            }
            _ => {
                errors.push(err(n, "funding-rule-syntax"));
                continue;
            }
        };
        rules.push(rule);
    }
    if errors.is_empty() {
        Ok(rules)
    } else {
        Err(errors)
    }
}

/// Every code named by these rules: (themes, sectors, territories).
pub fn named_codes(rules: &[Rule]) -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut out = (vec![], vec![], vec![]);
    for r in rules {
        r.named(&mut out);
    }
    out
}

/// Rules naming codes absent from `known`, as errors by line.
pub fn check_codes(text: &str, known: &Known) -> Vec<RuleError> {
    let Ok(rules) = parse_rules(text) else {
        return vec![];
    };
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim().starts_with('#'))
        .map(|(i, _)| i + 1)
        .collect();
    let mut errors = vec![];
    for (rule, line) in rules.iter().zip(lines) {
        let unknown = match rule {
            Rule::Territory(c) => unknown_in(c, &known.territories),
            Rule::Sectors(c) => unknown_in(c, &known.sectors),
            Rule::WorkshopTheme(t) => unknown_in(std::slice::from_ref(t), &known.themes),
            _ => vec![],
        };
        if !unknown.is_empty() {
            errors.push(RuleError {
                line,
                key: "funding-rule-unknown",
                codes: unknown,
            });
        }
    }
    errors
}

/// What is known of a business when its eligibility is checked.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Its commune and every territory above it.
    pub places: Vec<String>,
    pub sector: Option<String>,
    pub size_band: Option<String>,
    pub craft_register: Option<bool>,
    /// `YYYY-MM-DD`
    pub founded_on: Option<String>,
    /// `YYYY-MM-DD` of its latest submitted diagnostic.
    pub last_diagnostic_on: Option<String>,
    /// Themes of workshops someone of the business attended.
    pub attended: HashSet<String>,
    /// `YYYY-MM-DD`
    pub today: String,
}

/// A rule's outcome for a business.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Met,
    NotMet,
    /// The record lacks what the rule needs.
    Unknown,
}

impl Outcome {
    /// Stable code (`met`, `not_met`, `unknown`).
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Met => "met",
            Outcome::NotMet => "not_met",
            Outcome::Unknown => "unknown",
        }
    }
    /// Translation key of the overall verdict ("you are eligible"…).
    pub fn overall_key(self) -> &'static str {
        match self {
            Outcome::Met => "funding-overall-met",
            Outcome::NotMet => "funding-overall-not_met",
            Outcome::Unknown => "funding-overall-unknown",
        }
    }
    /// Translation key of the label.
    pub fn label_key(self) -> &'static str {
        match self {
            Outcome::Met => "funding-outcome-met",
            Outcome::NotMet => "funding-outcome-not_met",
            Outcome::Unknown => "funding-outcome-unknown",
        }
    }
}

/// One rule checked: the outcome, and the key of what is missing (for unknown)
/// or of what would change it (for not met).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub rule: Rule,
    pub outcome: Outcome,
    pub missing_key: Option<&'static str>,
}

fn outcome(ok: bool) -> Outcome {
    if ok {
        Outcome::Met
    } else {
        Outcome::NotMet
    }
}

/// Check one rule against a business's facts.
pub fn evaluate(rule: &Rule, f: &Facts) -> Check {
    let (outcome, missing_key) = match rule {
        Rule::Territory(codes) => {
            if f.places.is_empty() {
                (Outcome::Unknown, Some("funding-missing-commune"))
            } else {
                (outcome(codes.iter().any(|c| f.places.contains(c))), None)
            }
        }
        Rule::Sectors(codes) => match &f.sector {
            None => (Outcome::Unknown, Some("funding-missing-sector")),
            Some(s) => (
                outcome(codes.iter().any(|c| s.starts_with(c.as_str()))),
                None,
            ),
        },
        Rule::CraftRegister => match f.craft_register {
            None => (Outcome::Unknown, Some("funding-missing-craft")),
            Some(b) => (outcome(b), None),
        },
        Rule::Headcount(bands) => match &f.size_band {
            None => (Outcome::Unknown, Some("funding-missing-size")),
            Some(b) => (outcome(bands.contains(b)), None),
        },
        Rule::MinAgeMonths(n) | Rule::MaxAgeMonths(n) => {
            match f
                .founded_on
                .as_deref()
                .and_then(|d| months_between(d, &f.today))
            {
                None => (Outcome::Unknown, Some("funding-missing-founded")),
                Some(age) => (
                    outcome(if matches!(rule, Rule::MinAgeMonths(_)) {
                        age >= *n
                    } else {
                        age <= *n
                    }),
                    None,
                ),
            }
        }
        Rule::DiagnosticWithin(n) => match f.last_diagnostic_on.as_deref() {
            None => (Outcome::NotMet, Some("funding-missing-diagnostic")),
            Some(d) => {
                let ok = months_between(d, &f.today).is_some_and(|m| m < *n);
                (outcome(ok), (!ok).then_some("funding-missing-diagnostic"))
            }
        },
        Rule::WorkshopTheme(t) => {
            let ok = f.attended.contains(t);
            (outcome(ok), (!ok).then_some("funding-missing-workshop"))
        }
    };
    Check {
        rule: rule.clone(),
        outcome,
        missing_key,
    }
}

/// Overall eligibility: not met when any rule is not met, unknown when any
/// is unknown, met otherwise (a scheme without rules is open to all).
pub fn overall(checks: &[Check]) -> Outcome {
    if checks.iter().any(|c| c.outcome == Outcome::NotMet) {
        Outcome::NotMet
    } else if checks.iter().any(|c| c.outcome == Outcome::Unknown) {
        Outcome::Unknown
    } else {
        Outcome::Met
    }
}

/// Rules as stored: one a line.
pub fn rules_text(rules: &[Rule]) -> String {
    rules
        .iter()
        .map(Rule::to_line)
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_read_and_write_back() {
        let text = "territory: FR-R75\nsectors: 10, 47\ncraft_register: yes\nheadcount: 0, 1-9\nmin_age_months: 12\nmax_age_months: 60\ndiagnostic_within_months: 12\nworkshop_theme: sauvegardes";
        let rules = parse_rules(text).unwrap();
        assert_eq!(rules.len(), 8);
        assert_eq!(rules_text(&rules), text);
        let errors = parse_rules("colour: red\nheadcount: 5000\nmin_age_months: soon").unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.line).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
    }
}
