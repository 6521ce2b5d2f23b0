//! Text normalisation shared by search and matching: lowercase, accents
//! folded, punctuation turned into spaces, whitespace collapsed.

/// Fold one character to its unaccented lowercase ASCII form(s).
fn fold_char(c: char, out: &mut String) {
    let s: &str = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
        'æ' | 'Æ' => "ae",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "o",
        'œ' | 'Œ' => "oe",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
        'ß' => "ss",
        _ => {
            if c.is_alphanumeric() {
                out.extend(c.to_lowercase());
            } else {
                out.push(' ');
            }
            return;
        }
    };
    out.push_str(s);
}

/// Normalise text for accent- and case-insensitive matching.
pub fn fold(input: &str) -> String {
    let mut raw = String::with_capacity(input.len());
    for c in input.chars() {
        fold_char(c, &mut raw);
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
    fn like_patterns_are_escaped() {
        assert_eq!(like_escape("50%_a\\"), "50\\%\\_a\\\\");
    }
}
