//! Text kept in both interface languages. French is the reference: an
//! English text left empty falls back to it.

use crate::i18n::Locale;

/// A text in French and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bilingual<'a> {
    pub fr: &'a str,
    pub en: &'a str,
}

impl<'a> Bilingual<'a> {
    /// Both versions.
    pub const fn new(fr: &'a str, en: &'a str) -> Bilingual<'a> {
        Bilingual { fr, en }
    }

    /// The version for `locale`; English falls back to French when empty.
    pub fn get(self, locale: Locale) -> &'a str {
        match locale {
            Locale::En if !self.en.trim().is_empty() => self.en,
            _ => self.fr,
        }
    }
}

/// The column holding a bilingual field in `locale` (`title_fr` / `title_en`),
/// for queries that sort or read one language. Only static names reach SQL.
pub fn column(locale: Locale, fr: &'static str, en: &'static str) -> &'static str {
    match locale {
        Locale::Fr => fr,
        Locale::En => en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_falls_back_to_french() {
        let t = Bilingual::new("Site vitrine", "Showcase website");
        assert_eq!(t.get(Locale::Fr), "Site vitrine");
        assert_eq!(t.get(Locale::En), "Showcase website");
        assert_eq!(Bilingual::new("Gironde", " ").get(Locale::En), "Gironde");
        assert_eq!(column(Locale::En, "title_fr", "title_en"), "title_en");
    }
}
