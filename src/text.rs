//! Text normalisation shared by search and matching: Unicode NFD, combining
//! marks dropped, lowercase, punctuation turned into spaces, whitespace
//! collapsed. Decomposing first means an accent typed on a Mac or copied from
//! a PDF ("e" + U+0301) folds like the composed letter instead of splitting
//! the word, and every accented Latin letter loses its accent ("Dvořák" →
//! "dvorak"), not only the French ones.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Version of [`fold`]'s rules. Stored folded text (the directory's search
/// terms) records the version it was built with and is rebuilt when this
/// changes (see `directory::store::refold_if_stale`).
pub const FOLD_VERSION: i64 = 2;

/// Letters NFD leaves whole that a French reader still types without their
/// stroke or ligature.
fn spelled_out(c: char) -> Option<&'static str> {
    Some(match c {
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ß' | 'ẞ' => "ss",
        'ø' | 'Ø' => "o",
        'ł' | 'Ł' => "l",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'þ' | 'Þ' => "th",
        'ı' => "i",
        _ => return None,
    })
}

/// Normalise text for accent- and case-insensitive matching.
pub fn fold(input: &str) -> String {
    let mut raw = String::with_capacity(input.len());
    for c in input.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        if let Some(s) = spelled_out(c) {
            raw.push_str(s);
        } else if c.is_alphanumeric() {
            raw.extend(c.to_lowercase());
        } else {
            raw.push(' ');
        }
    }
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Escape `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern.
pub fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_case_and_punctuation() {
        assert_eq!(
            fold("Électricité Générale  d'Œuvre"),
            "electricite generale d oeuvre"
        );
        assert_eq!(
            fold("Boulangerie-Pâtisserie DUPONT"),
            "boulangerie patisserie dupont"
        );
        assert_eq!(fold("  "), "");
    }

    #[test]
    fn decomposed_accents_do_not_split_words() {
        // "é" typed as "e" + combining acute (macOS, text copied from a PDF).
        assert_eq!(
            fold("Caf\u{65}\u{301} Ge\u{301}ne\u{301}ral"),
            "cafe general"
        );
        assert_eq!(fold("Caf\u{e9}"), fold("Cafe\u{301}"));
    }

    #[test]
    fn every_latin_accent_is_dropped() {
        assert_eq!(fold("Dvořák"), "dvorak");
        assert_eq!(fold("Łukasz Dvořák"), "lukasz dvorak");
        assert_eq!(fold("Nguyễn Thị"), "nguyen thi");
        assert_eq!(
            fold("Œuvray Søren Straße Đorđević"),
            "oeuvray soren strasse dordevic"
        );
        assert_eq!(fold("ÅNGSTRÖM Müller"), "angstrom muller");
    }

    #[test]
    fn folding_a_former_key_again_gives_the_new_key() {
        // Keys stored by the former rules kept non-French letters; the start-up
        // step folds them again instead of reading their text back.
        for (text, former) in [
            ("Łukasz Dvořák SARL", "łukasz dvořak sarl"),
            ("Boulangerie Ángel Núñez", "boulangerie angel nunez"),
            ("Đorđević & Fils", "đorđević fils"),
        ] {
            assert_eq!(fold(former), fold(text), "{text}");
        }
    }

    #[test]
    fn french_text_folds_as_before() {
        // What the former character table gave, so stored French keys stay valid.
        assert_eq!(
            fold("àâäçéèêëîïôöùûüÿ ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ"),
            "aaaceeeeiioouuuy aaaceeeeiioouuuy"
        );
        assert_eq!(fold("N°12, rue de l'Église"), "n 12 rue de l eglise");
    }

    #[test]
    fn like_patterns_are_escaped() {
        assert_eq!(like_escape("50%_a\\"), "50\\%\\_a\\\\");
    }
}
