//! Amounts in euros, kept as whole cents. One parser and one formatter serve
//! every form and page (budgets, quotes, needs' budgets, funding amounts).

use std::fmt;

use crate::i18n::Locale;

/// An amount in euro cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Euros(pub i64);

/// Text that is not an amount in euros.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadAmount;

impl fmt::Display for BadAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not an amount in euros")
    }
}

/// Most digits accepted before the decimal mark (below a hundred billion euros).
const MAX_WHOLE_DIGITS: usize = 11;

impl Euros {
    /// Whole euros.
    pub const fn from_units(units: i64) -> Euros {
        Euros(units * 100)
    }

    /// The amount in cents.
    pub const fn cents(self) -> i64 {
        self.0
    }

    /// Parse an amount as people type it: "337000", "337 000", "337 000,50",
    /// "337,000.50", "1.234,5", "2 000 €", "€1,234". The last `,` or `.`
    /// followed by one or two digits is the decimal mark; any other separator
    /// must group thousands. Empty text is `Ok(None)`.
    pub fn parse(raw: &str) -> Result<Option<Euros>, BadAmount> {
        let s: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '\u{202f}' | '\u{a0}' | '€' | '\''))
            .collect();
        if s.is_empty() {
            return Ok(None);
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
        {
            return Err(BadAmount);
        }
        let (whole, decimals) = match s.rfind([',', '.']) {
            Some(i) if (2..=3).contains(&(s.len() - i)) => (&s[..i], &s[i + 1..]),
            _ => (s.as_str(), ""),
        };
        let mut groups = whole.split([',', '.']);
        let mut digits = groups.next().unwrap_or("").to_string();
        if digits.is_empty() {
            return Err(BadAmount);
        }
        for g in groups {
            if g.len() != 3 {
                return Err(BadAmount);
            }
            digits.push_str(g);
        }
        if digits.len() > MAX_WHOLE_DIGITS {
            return Err(BadAmount);
        }
        let units: i64 = digits.parse().map_err(|_| BadAmount)?;
        let cents: i64 = match decimals.len() {
            0 => 0,
            1 => decimals.parse::<i64>().map_err(|_| BadAmount)? * 10,
            _ => decimals.parse().map_err(|_| BadAmount)?,
        };
        Ok(Some(Euros(units * 100 + cents)))
    }

    /// The amount as the locale writes it: "1 234,50 €" / "€1,234.50"
    /// (no decimals for whole euros).
    pub fn format(self, locale: Locale) -> String {
        let units = locale.format_int(self.0 / 100);
        let rest = (self.0 % 100).abs();
        match locale {
            Locale::Fr if rest == 0 => format!("{units}\u{a0}€"),
            Locale::Fr => format!("{units},{rest:02}\u{a0}€"),
            Locale::En if rest == 0 => format!("€{units}"),
            Locale::En => format!("€{units}.{rest:02}"),
        }
    }

    /// The amount as a form field shows it back: "337000" or "337000,50"
    /// ("." in English), which [`Euros::parse`] reads again.
    pub fn form_value(self, locale: Locale) -> String {
        if self.0 % 100 == 0 {
            (self.0 / 100).to_string()
        } else {
            let sep = match locale {
                Locale::Fr => ',',
                Locale::En => '.',
            };
            format!("{}{sep}{:02}", self.0 / 100, (self.0 % 100).abs())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cents(s: &str) -> Result<Option<i64>, BadAmount> {
        Euros::parse(s).map(|o| o.map(Euros::cents))
    }

    #[test]
    fn amounts_as_people_type_them() {
        assert_eq!(cents(""), Ok(None));
        assert_eq!(cents("  "), Ok(None));
        assert_eq!(cents("337000"), Ok(Some(33_700_000)));
        assert_eq!(cents("337 000"), Ok(Some(33_700_000)));
        assert_eq!(cents("337\u{202f}000 €"), Ok(Some(33_700_000)));
        assert_eq!(cents("1234,5"), Ok(Some(123_450)));
        assert_eq!(cents("1234.50"), Ok(Some(123_450)));
        assert_eq!(cents("1.234"), Ok(Some(123_400)));
        assert_eq!(cents("1,234"), Ok(Some(123_400)));
        assert_eq!(cents("1.234,56"), Ok(Some(123_456)));
        assert_eq!(cents("337,000.50"), Ok(Some(33_700_050)));
        assert_eq!(cents("€1,234"), Ok(Some(123_400)));
        assert_eq!(cents("12,3456"), Err(BadAmount));
        assert_eq!(cents("1.23.4"), Err(BadAmount));
        assert_eq!(cents("-5"), Err(BadAmount));
        assert_eq!(cents("abc"), Err(BadAmount));
        assert_eq!(cents(",50"), Err(BadAmount));
        assert_eq!(cents("999999999999"), Err(BadAmount));
    }

    #[test]
    fn formats_per_locale_and_reads_back() {
        let e = Euros(123_450);
        assert_eq!(e.format(Locale::Fr), "1\u{202f}234,50\u{a0}€");
        assert_eq!(e.format(Locale::En), "€1,234.50");
        assert_eq!(Euros::from_units(15_000).format(Locale::En), "€15,000");
        for l in [Locale::Fr, Locale::En] {
            assert_eq!(Euros::parse(&e.form_value(l)), Ok(Some(e)));
            assert_eq!(Euros::parse(&e.format(l)), Ok(Some(e)));
        }
    }
}
