//! Quote reviews as the domain sees them: the checklist every quote should
//! answer, and the review form read into a checked review. Pure rules; no I/O.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::kernel::money::{BadAmount, Euros};
use crate::web::forms::Violations;

/// One line of the quote review checklist: key, form fields, label, hint.
pub struct CheckDef {
    pub key: &'static str,
    pub field: &'static str,
    pub note_field: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
}

macro_rules! check {
    ($key:literal) => {
        CheckDef {
            key: $key,
            field: concat!("check_", $key),
            note_field: concat!("note_", $key),
            label: concat!("need-check-", $key),
            hint: concat!("need-check-", $key, "-hint"),
        }
    };
}

/// What every quote should answer.
pub const CHECKLIST: [CheckDef; 9] = [
    check!("scope"),
    check!("timeline"),
    check!("hosting"),
    check!("ownership"),
    check!("gdpr"),
    check!("training"),
    check!("payment"),
    check!("warranty"),
    check!("reversibility"),
];

/// The answer to one checklist line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckValue {
    Ok,
    Ko,
    Unknown,
}

impl CheckValue {
    /// The stored (and submitted) text.
    pub fn code(self) -> &'static str {
        match self {
            CheckValue::Ok => "ok",
            CheckValue::Ko => "ko",
            CheckValue::Unknown => "unknown",
        }
    }

    /// Translation key of the label.
    pub fn label_key(self) -> &'static str {
        match self {
            CheckValue::Ok => "need-check-ok",
            CheckValue::Ko => "need-check-ko",
            CheckValue::Unknown => "need-check-unknown",
        }
    }

    /// The value sent as `code`, if known.
    pub fn from_code(code: &str) -> Option<CheckValue> {
        [CheckValue::Ok, CheckValue::Ko, CheckValue::Unknown]
            .into_iter()
            .find(|v| v.code() == code)
    }
}

/// One stored checklist answer.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CheckEntry {
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub note: String,
}

/// A checklist as stored (JSON, keyed by [`CheckDef::key`]).
pub type Checklist = BTreeMap<String, CheckEntry>;

/// What the quote review form sends: one radio and one note per checklist line.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct QuoteForm {
    pub label: String,
    pub provider_id: String,
    pub amount: String,
    pub notes: String,
    pub version: String,
    pub check_scope: Option<String>,
    pub note_scope: String,
    pub check_timeline: Option<String>,
    pub note_timeline: String,
    pub check_hosting: Option<String>,
    pub note_hosting: String,
    pub check_ownership: Option<String>,
    pub note_ownership: String,
    pub check_gdpr: Option<String>,
    pub note_gdpr: String,
    pub check_training: Option<String>,
    pub note_training: String,
    pub check_payment: Option<String>,
    pub note_payment: String,
    pub check_warranty: Option<String>,
    pub note_warranty: String,
    pub check_reversibility: Option<String>,
    pub note_reversibility: String,
}

impl QuoteForm {
    /// The value and note sent for the checklist line `key`.
    fn line(&self, key: &str) -> (Option<&String>, &String) {
        match key {
            "scope" => (self.check_scope.as_ref(), &self.note_scope),
            "timeline" => (self.check_timeline.as_ref(), &self.note_timeline),
            "hosting" => (self.check_hosting.as_ref(), &self.note_hosting),
            "ownership" => (self.check_ownership.as_ref(), &self.note_ownership),
            "gdpr" => (self.check_gdpr.as_ref(), &self.note_gdpr),
            "training" => (self.check_training.as_ref(), &self.note_training),
            "payment" => (self.check_payment.as_ref(), &self.note_payment),
            "warranty" => (self.check_warranty.as_ref(), &self.note_warranty),
            _ => (self.check_reversibility.as_ref(), &self.note_reversibility),
        }
    }

    /// The form as pages show it back: one line per checklist entry.
    pub fn input(&self) -> QuoteInput {
        QuoteInput {
            label: self.label.clone(),
            provider_id: self.provider_id.clone(),
            amount: self.amount.clone(),
            notes: self.notes.clone(),
            version: self.version.clone(),
            lines: CHECKLIST
                .iter()
                .map(|def| {
                    let (value, note) = self.line(def.key);
                    CheckLine {
                        def,
                        value: value
                            .cloned()
                            .unwrap_or_else(|| CheckValue::Unknown.code().into()),
                        note: note.clone(),
                    }
                })
                .collect(),
        }
    }
}

/// One checklist line in a form.
pub struct CheckLine {
    pub def: &'static CheckDef,
    pub value: String,
    pub note: String,
}

/// The quote review form's values, as typed or as stored.
pub struct QuoteInput {
    pub label: String,
    pub provider_id: String,
    pub amount: String,
    pub notes: String,
    pub version: String,
    pub lines: Vec<CheckLine>,
}

impl QuoteInput {
    /// An empty form: every line unknown.
    pub fn empty() -> QuoteInput {
        QuoteForm::default().input()
    }

    /// The form of a stored review; the amount as the locale types it.
    pub fn of(
        label: &str,
        provider_id: Option<i64>,
        amount: Option<Euros>,
        notes: &str,
        version: i64,
        checklist: &Checklist,
        locale: crate::i18n::Locale,
    ) -> QuoteInput {
        let mut f = QuoteInput::empty();
        f.label = label.to_string();
        f.provider_id = provider_id.map(|p| p.to_string()).unwrap_or_default();
        f.amount = amount.map(|a| a.form_value(locale)).unwrap_or_default();
        f.notes = notes.to_string();
        f.version = version.to_string();
        for l in &mut f.lines {
            if let Some(e) = checklist.get(l.def.key) {
                l.value = e.value.clone();
                l.note = e.note.clone();
            }
        }
        f
    }
}

/// A quote review that passed validation.
#[derive(Debug, Clone)]
pub struct ValidQuote {
    pub label: String,
    pub provider_id: Option<i64>,
    pub amount: Option<Euros>,
    /// The checklist as stored (JSON).
    pub checklist: String,
    pub notes: String,
}

/// Check a quote review; `providers` are the need's repliers.
pub fn parse_quote(f: &QuoteInput, providers: &[(i64, String)]) -> Result<ValidQuote, Violations> {
    let mut v = Violations::default();
    let label = v.text("label", &f.label, 1, 160);
    let provider_id = match f.provider_id.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(p) if providers.iter().any(|(id, _)| *id == p) => Some(p),
            _ => {
                v.add("provider_id", "form-choose", None);
                None
            }
        },
    };
    let amount = match Euros::parse(&f.amount) {
        Ok(a) => a,
        Err(BadAmount) => {
            v.add("amount", "need-amount-invalid", None);
            None
        }
    };
    let notes = v.text("notes", &f.notes, 0, 4000);
    let mut map = Checklist::new();
    for l in &f.lines {
        let value = l.value.trim().to_string();
        if CheckValue::from_code(&value).is_none() {
            v.add(l.def.field, "form-choose", None);
        }
        let note = v.text(l.def.note_field, &l.note, 0, 1000);
        map.insert(l.def.key.to_string(), CheckEntry { value, note });
    }
    if !v.is_empty() {
        return Err(v);
    }
    Ok(ValidQuote {
        label,
        provider_id,
        amount,
        checklist: serde_json::to_string(&map).unwrap_or_else(|_| "{}".into()),
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_read_amounts_and_checklists() {
        let form = QuoteForm {
            label: "Devis".into(),
            amount: "2 400,50".into(),
            check_ownership: Some("ko".into()),
            ..Default::default()
        };
        let q = parse_quote(&form.input(), &[]).unwrap();
        assert_eq!(q.amount, Some(Euros(240_050)));
        let map: Checklist = serde_json::from_str(&q.checklist).unwrap();
        assert_eq!(map["ownership"].value, "ko");
        assert_eq!(map["gdpr"].value, "unknown");
        let bad = QuoteForm {
            amount: "deux mille".into(),
            check_scope: Some("maybe".into()),
            ..Default::default()
        };
        let errors = parse_quote(&bad.input(), &[]).unwrap_err();
        for field in ["label", "amount", "check_scope"] {
            assert!(errors.has(field), "{field}");
        }
    }
}
