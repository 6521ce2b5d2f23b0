//! Equipment lent to businesses (computers, printers, internet access): an
//! inventory, loans with start and due dates, returns with the condition,
//! and a reminder a few days before the due date. Pure rules, no I/O.

use jiff::civil::Date;

use crate::kernel::dates::parse_date;
use crate::web::forms::Violations;

/// Days before the due date when the borrower is reminded.
pub const REMIND_DAYS: i64 = 3;

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Computer,
    Printer,
    Internet,
    Other,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Computer, Kind::Printer, Kind::Internet, Kind::Other];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Computer => "computer",
            Kind::Printer => "printer",
            Kind::Internet => "internet",
            Kind::Other => "other",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Kind::Computer => "loans-kind-computer",
            Kind::Printer => "loans-kind-printer",
            Kind::Internet => "loans-kind-internet",
            Kind::Other => "loans-kind-other",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// The state an item is in, when lent and when it comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    New,
    Good,
    Worn,
    Damaged,
    Lost,
}

impl Condition {
    pub const ALL: [Condition; 5] = [
        Condition::New,
        Condition::Good,
        Condition::Worn,
        Condition::Damaged,
        Condition::Lost,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Condition::New => "new",
            Condition::Good => "good",
            Condition::Worn => "worn",
            Condition::Damaged => "damaged",
            Condition::Lost => "lost",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Condition::New => "loans-condition-new",
            Condition::Good => "loans-condition-good",
            Condition::Worn => "loans-condition-worn",
            Condition::Damaged => "loans-condition-damaged",
            Condition::Lost => "loans-condition-lost",
        }
    }

    pub fn parse(code: &str) -> Option<Condition> {
        Condition::ALL.into_iter().find(|c| c.code() == code)
    }

    /// An item in this state can be lent again.
    pub fn lendable(self) -> bool {
        !matches!(self, Condition::Damaged | Condition::Lost)
    }
}

/// The inventory form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ItemForm {
    pub kind: String,
    pub label: String,
    pub serial: String,
    pub condition: String,
}

/// A checked inventory item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    pub kind: Kind,
    pub label: String,
    pub serial: String,
    pub condition: Condition,
}

impl ItemForm {
    pub fn parse(&self) -> Result<NewItem, Violations> {
        let mut e = Violations::default();
        let kind = Kind::parse(&self.kind);
        if kind.is_none() {
            e.add("kind", "form-choose", None);
        }
        let label = e.text("label", &self.label, 2, 120);
        let serial = e.text("serial", &self.serial, 0, 80);
        let condition = Condition::parse(&self.condition);
        if condition.is_none() {
            e.add("condition", "form-choose", None);
        }
        match (kind, condition) {
            (Some(kind), Some(condition)) if e.is_empty() => Ok(NewItem {
                kind,
                label,
                serial,
                condition,
            }),
            _ => Err(e),
        }
    }
}

/// The loan form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct LoanForm {
    pub item: String,
    pub business: String,
    pub starts_on: String,
    pub due_on: String,
}

/// A checked loan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLoan {
    pub item_id: i64,
    pub business_id: i64,
    pub starts_on: String,
    pub due_on: String,
}

fn date_field(e: &mut Violations, field: &'static str, value: &str) -> Option<Date> {
    if value.trim().is_empty() {
        e.add(field, "form-required", None);
        return None;
    }
    let d = parse_date(value);
    if d.is_none() {
        e.add(field, "loans-date-invalid", None);
    }
    d
}

impl LoanForm {
    pub fn parse(&self) -> Result<NewLoan, Violations> {
        let mut e = Violations::default();
        let id = |e: &mut Violations, field: &'static str, v: &str| match v.trim().parse::<i64>() {
            Ok(n) if n > 0 => n,
            _ => {
                e.add(field, "form-choose", None);
                0
            }
        };
        let item_id = id(&mut e, "item", &self.item);
        let business_id = id(&mut e, "business", &self.business);
        let starts = date_field(&mut e, "starts_on", &self.starts_on);
        let due = date_field(&mut e, "due_on", &self.due_on);
        if let (Some(s), Some(d)) = (starts, due) {
            if d < s {
                e.add("due_on", "loans-due-before-start", None);
            }
        }
        match (starts, due) {
            (Some(s), Some(d)) if e.is_empty() => Ok(NewLoan {
                item_id,
                business_id,
                starts_on: s.to_string(),
                due_on: d.to_string(),
            }),
            _ => Err(e),
        }
    }
}

/// The return form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ReturnForm {
    pub condition: String,
    pub returned_on: String,
}

impl ReturnForm {
    pub fn parse(&self) -> Result<(Condition, String), Violations> {
        let mut e = Violations::default();
        let condition = Condition::parse(&self.condition);
        if condition.is_none() {
            e.add("condition", "form-choose", None);
        }
        let on = date_field(&mut e, "returned_on", &self.returned_on);
        match (condition, on) {
            (Some(c), Some(d)) if e.is_empty() => Ok((c, d.to_string())),
            _ => Err(e),
        }
    }
}

/// The last due date that gets its reminder on `today` (`YYYY-MM-DD`):
/// loans due within [`REMIND_DAYS`] days (or already overdue).
pub fn remind_until(today: &str) -> Option<String> {
    let d = parse_date(today)?;
    d.checked_add(jiff::Span::new().days(REMIND_DAYS))
        .ok()
        .map(|d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loan_is_due_after_it_starts() {
        let f = LoanForm {
            item: "1".into(),
            business: "2".into(),
            starts_on: "2026-12-10".into(),
            due_on: "2026-12-01".into(),
        };
        assert!(f.parse().unwrap_err().has("due_on"));
        let f = LoanForm {
            due_on: "10/03/2027".into(),
            ..f
        };
        assert_eq!(f.parse().unwrap().due_on, "2027-03-10");
        let f = LoanForm {
            item: "".into(),
            ..f
        };
        assert!(f.parse().unwrap_err().has("item"));
    }

    #[test]
    fn reminders_start_three_days_before() {
        assert_eq!(remind_until("2026-12-30").as_deref(), Some("2027-01-02"));
        assert_eq!(remind_until("nope"), None);
    }

    #[test]
    fn damaged_or_lost_items_are_not_lent() {
        assert!(Condition::Good.lendable());
        assert!(!Condition::Lost.lendable());
    }
}
