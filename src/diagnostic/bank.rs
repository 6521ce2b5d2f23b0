//! Question banks: versioned TOML files, validated when loaded. A broken
//! bank is refused with the file, the line and the reason.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use crate::i18n::Locale;
use crate::kernel::bilingual::Bilingual;

/// The six dimensions of the EU Digital Maturity Assessment, in order.
pub const DIMENSIONS: [&str; 6] = [
    "strategy",
    "readiness",
    "human",
    "data",
    "automation",
    "green",
];

/// The bank shipped with the binary.
pub const DEFAULT_BANK: (&str, &str) = (
    "banks/dma-2026.1.toml",
    include_str!("../../banks/dma-2026.1.toml"),
);

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Tick what applies; score = share ticked.
    Checklist,
    /// Rate each row 0 ("not used") to 5 ("fully operational").
    Scale,
    /// No / partly / yes.
    Triple,
}

/// A dimension of maturity.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    pub code: String,
    pub title_fr: String,
    pub title_en: String,
    pub description_fr: String,
    pub description_en: String,
}

/// A checklist item or a scale row.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub code: String,
    pub label_fr: String,
    pub label_en: String,
    #[serde(default)]
    pub theme: Option<String>,
}

/// A question of the bank.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub code: String,
    pub dimension: String,
    pub kind: Kind,
    #[serde(default)]
    pub quick: bool,
    #[serde(default)]
    pub allow_na: bool,
    pub title_fr: String,
    pub title_en: String,
    #[serde(default)]
    pub help_fr: String,
    #[serde(default)]
    pub help_en: String,
    #[serde(default, rename = "item")]
    pub items: Vec<Item>,
}

/// A step that an action plan can propose.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub code: String,
    pub dimension: String,
    pub theme: String,
    pub title_fr: String,
    pub title_en: String,
    pub body_fr: String,
    pub body_en: String,
    #[serde(default)]
    pub triggers: Vec<String>,
    #[serde(default)]
    pub requires: Vec<String>,
}

/// A complete, validated bank.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bank {
    pub id: String,
    pub version: String,
    pub title_fr: String,
    pub title_en: String,
    #[serde(rename = "dimension")]
    pub dimensions: Vec<Dimension>,
    #[serde(rename = "question")]
    pub questions: Vec<Question>,
    #[serde(rename = "step")]
    pub steps: Vec<Step>,
}

/// Why a bank was refused: file, line (1-based, when known) and reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {reason}")]
pub struct BankError {
    pub file: String,
    pub line: usize,
    pub reason: String,
}

fn line_of(text: &str, needle: &str) -> usize {
    text.find(needle)
        .map(|i| text[..i].matches('\n').count() + 1)
        .unwrap_or(0)
}

impl Bank {
    /// Parse and validate a bank. `themes` are the theme slugs items and
    /// steps may refer to (empty: not checked).
    pub fn parse(file: &str, text: &str, themes: &HashSet<String>) -> Result<Bank, BankError> {
        let bank: Bank = toml::from_str(text).map_err(|e| BankError {
            file: file.to_string(),
            line: e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                .unwrap_or(0),
            reason: e.message().to_string(),
        })?;
        bank.validate(file, text, themes)?;
        Ok(bank)
    }

    fn validate(&self, file: &str, text: &str, themes: &HashSet<String>) -> Result<(), BankError> {
        let fail = |needle: &str, reason: String| BankError {
            file: file.to_string(),
            line: line_of(text, needle),
            reason,
        };
        if self.version.trim().is_empty() || self.version.len() > 40 {
            return Err(fail(
                "version",
                "the version must be a short non-empty text".into(),
            ));
        }
        let codes: Vec<&str> = self.dimensions.iter().map(|d| d.code.as_str()).collect();
        if codes != DIMENSIONS {
            return Err(fail(
                "[[dimension]]",
                format!(
                    "the dimensions must be exactly {DIMENSIONS:?} in this order, found {codes:?}"
                ),
            ));
        }
        let mut seen = HashSet::new();
        for q in &self.questions {
            let at = format!("code = \"{}\"", q.code);
            if !seen.insert(q.code.as_str()) {
                return Err(fail(&at, format!("question code {} is used twice", q.code)));
            }
            if !DIMENSIONS.contains(&q.dimension.as_str()) {
                return Err(fail(
                    &at,
                    format!("question {} has unknown dimension {}", q.code, q.dimension),
                ));
            }
            let (min, max) = match q.kind {
                Kind::Checklist => (2, 10),
                Kind::Scale => (2, 8),
                Kind::Triple => (0, 0),
            };
            if q.items.len() < min || q.items.len() > max {
                return Err(fail(
                    &at,
                    format!(
                        "question {} ({:?}) needs {min} to {max} items, has {}",
                        q.code,
                        q.kind,
                        q.items.len()
                    ),
                ));
            }
            let mut item_codes = HashSet::new();
            for it in &q.items {
                if !item_codes.insert(it.code.as_str()) {
                    return Err(fail(
                        &at,
                        format!("item {} is used twice in question {}", it.code, q.code),
                    ));
                }
                if let Some(t) = &it.theme {
                    if !themes.is_empty() && !themes.contains(t) {
                        return Err(fail(
                            &format!("theme = \"{t}\""),
                            format!("unknown theme {t}"),
                        ));
                    }
                }
            }
        }
        for d in DIMENSIONS {
            let all = self.questions.iter().filter(|q| q.dimension == d).count();
            let quick = self
                .questions
                .iter()
                .filter(|q| q.dimension == d && q.quick)
                .count();
            if all == 0 || quick == 0 {
                return Err(fail(
                    "[[question]]",
                    format!("dimension {d} needs at least one question and one quick question"),
                ));
            }
        }
        let quick_total = self.questions.iter().filter(|q| q.quick).count();
        if quick_total > 12 {
            return Err(fail(
                "quick = true",
                format!("the quick check has {quick_total} questions; at most 12"),
            ));
        }
        let step_codes: HashSet<&str> = self.steps.iter().map(|s| s.code.as_str()).collect();
        if step_codes.len() != self.steps.len() {
            return Err(fail("[[step]]", "two steps share a code".into()));
        }
        for s in &self.steps {
            let at = format!("code = \"{}\"", s.code);
            if !DIMENSIONS.contains(&s.dimension.as_str()) {
                return Err(fail(
                    &at,
                    format!("step {} has unknown dimension {}", s.code, s.dimension),
                ));
            }
            if !themes.is_empty() && !themes.contains(&s.theme) {
                return Err(fail(
                    &at,
                    format!("step {} has unknown theme {}", s.code, s.theme),
                ));
            }
            for t in &s.triggers {
                let (qc, ic) = t
                    .split_once('/')
                    .map(|(a, b)| (a, Some(b)))
                    .unwrap_or((t.as_str(), None));
                let Some(q) = self.question(qc) else {
                    return Err(fail(
                        &at,
                        format!("step {} is triggered by unknown question {qc}", s.code),
                    ));
                };
                if let Some(ic) = ic {
                    if !q.items.iter().any(|i| i.code == ic) {
                        return Err(fail(
                            &at,
                            format!("step {} is triggered by unknown item {t}", s.code),
                        ));
                    }
                }
            }
            for r in &s.requires {
                if !step_codes.contains(r.as_str()) {
                    return Err(fail(
                        &at,
                        format!("step {} requires unknown step {r}", s.code),
                    ));
                }
            }
        }
        if let Some(cycle) = self.find_cycle() {
            return Err(fail(
                &format!("code = \"{cycle}\""),
                format!("the prerequisites of step {cycle} form a cycle"),
            ));
        }
        Ok(())
    }

    fn find_cycle(&self) -> Option<String> {
        let by: HashMap<&str, &Step> = self.steps.iter().map(|s| (s.code.as_str(), s)).collect();
        // 0 = unvisited, 1 = in progress, 2 = done
        let mut state: HashMap<&str, u8> = HashMap::new();
        fn visit<'a>(
            c: &'a str,
            by: &HashMap<&'a str, &'a Step>,
            state: &mut HashMap<&'a str, u8>,
        ) -> bool {
            match state.get(c) {
                Some(1) => return true,
                Some(2) => return false,
                _ => {}
            }
            state.insert(c, 1);
            if let Some(s) = by.get(c) {
                for r in &s.requires {
                    if visit(r.as_str(), by, state) {
                        return true;
                    }
                }
            }
            state.insert(c, 2);
            false
        }
        self.steps
            .iter()
            .find(|s| visit(s.code.as_str(), &by, &mut state))
            .map(|s| s.code.clone())
    }

    /// A question by code.
    pub fn question(&self, code: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.code == code)
    }

    /// The questions of a mode, in bank order.
    pub fn questions_for(&self, full: bool) -> Vec<&Question> {
        self.questions.iter().filter(|q| full || q.quick).collect()
    }

    /// A dimension by code.
    pub fn dimension(&self, code: &str) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| d.code == code)
    }

    /// A step by code.
    pub fn step(&self, code: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.code == code)
    }
}

impl Kind {
    /// Stable code, as the bank file, the form and the API write it.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Checklist => "checklist",
            Kind::Scale => "scale",
            Kind::Triple => "triple",
        }
    }
}

impl Dimension {
    /// The title in `locale` (French when the English one is empty).
    pub fn title(&self, locale: Locale) -> &str {
        Bilingual::new(&self.title_fr, &self.title_en).get(locale)
    }

    /// The description in `locale`.
    pub fn description(&self, locale: Locale) -> &str {
        Bilingual::new(&self.description_fr, &self.description_en).get(locale)
    }
}

impl Item {
    /// The label in `locale`.
    pub fn label(&self, locale: Locale) -> &str {
        Bilingual::new(&self.label_fr, &self.label_en).get(locale)
    }
}

impl Question {
    /// The title in `locale`.
    pub fn title(&self, locale: Locale) -> &str {
        Bilingual::new(&self.title_fr, &self.title_en).get(locale)
    }

    /// The help text in `locale`.
    pub fn help(&self, locale: Locale) -> &str {
        Bilingual::new(&self.help_fr, &self.help_en).get(locale)
    }
}

impl Step {
    /// The title in `locale`.
    pub fn title(&self, locale: Locale) -> &str {
        Bilingual::new(&self.title_fr, &self.title_en).get(locale)
    }

    /// The body in `locale`.
    pub fn body(&self, locale: Locale) -> &str {
        Bilingual::new(&self.body_fr, &self.body_en).get(locale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn themes() -> HashSet<String> {
        let text = include_str!("../../seed/themes.toml");
        text.lines()
            .filter_map(|l| l.strip_prefix("slug = \""))
            .map(|l| l.trim_end_matches('"').to_string())
            .collect()
    }

    #[test]
    fn the_shipped_bank_is_valid() {
        let bank = Bank::parse(DEFAULT_BANK.0, DEFAULT_BANK.1, &themes()).unwrap();
        assert_eq!(bank.questions_for(false).len(), 12);
        assert!(bank.questions_for(true).len() > 12);
    }

    #[test]
    fn broken_banks_say_where_and_why() {
        let t = themes();
        let err = Bank::parse("x.toml", "id = \"dma\"\nversion = \n", &t).unwrap_err();
        assert_eq!((err.file.as_str(), err.line), ("x.toml", 2));

        let cyclic = DEFAULT_BANK
            .1
            .replacen("requires = []", "requires = [\"__missing\"]", 1);
        let err = Bank::parse("y.toml", &cyclic, &t).unwrap_err();
        assert!(
            err.reason.contains("requires unknown step __missing"),
            "{err}"
        );
        assert!(err.line > 1);

        // A step requiring itself is a cycle.
        let bank = Bank::parse("d.toml", DEFAULT_BANK.1, &t).unwrap();
        let step = bank.steps.iter().find(|s| s.requires.is_empty()).unwrap();
        let at = DEFAULT_BANK
            .1
            .find(&format!("code = \"{}\"", step.code))
            .unwrap();
        let (head, tail) = DEFAULT_BANK.1.split_at(at);
        let cyclic = format!(
            "{head}{}",
            tail.replacen(
                "requires = []",
                &format!("requires = [\"{}\"]", step.code),
                1
            )
        );
        let err = Bank::parse("cycle.toml", &cyclic, &t).unwrap_err();
        assert!(err.reason.contains("form a cycle"), "{err}");
        assert_eq!(err.line, DEFAULT_BANK.1[..at].matches('\n').count() + 1);

        // A dimension without questions.
        let orphan = DEFAULT_BANK
            .1
            .replace("dimension = \"green\"", "dimension = \"data\"");
        let err = Bank::parse("orphan.toml", &orphan, &t).unwrap_err();
        assert!(err.reason.contains("dimension green needs"), "{err}");

        let bad_kind = DEFAULT_BANK
            .1
            .replacen("kind = \"checklist\"", "kind = \"essay\"", 1);
        let err = Bank::parse("z.toml", &bad_kind, &t).unwrap_err();
        assert!(err.line > 1, "{err}");
        assert!(
            err.reason.contains("essay") || err.reason.contains("variant"),
            "{err}"
        );
    }
}
