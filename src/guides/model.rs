//! Practical guides: status, level, the editor's form read into a checked
//! guide, the Markdown file format with front matter (import and export), and
//! the packed code lists shared with funding schemes. Pure rules; no I/O.

use std::collections::HashSet;

use serde::Deserialize;

pub use super::packed::{pack, unpack};
use crate::business::model::SIZE_BANDS;
use crate::setup::model::{valid_slug, wanted_slug};
use crate::web::forms::Violations;

/// A code that is not one of a vocabulary's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownCode;

/// Where a guide stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuideStatus {
    Draft,
    Published,
}

impl GuideStatus {
    /// Both statuses.
    pub const ALL: [GuideStatus; 2] = [GuideStatus::Draft, GuideStatus::Published];
    /// The stored text.
    pub fn code(self) -> &'static str {
        match self {
            GuideStatus::Draft => "draft",
            GuideStatus::Published => "published",
        }
    }
    /// Translation key of the label.
    pub fn label_key(self) -> &'static str {
        match self {
            GuideStatus::Draft => "guides-status-draft",
            GuideStatus::Published => "guides-status-published",
        }
    }
    /// The status stored as `code`, if known.
    pub fn parse(code: &str) -> Result<GuideStatus, UnknownCode> {
        GuideStatus::ALL
            .into_iter()
            .find(|s| s.code() == code.trim())
            .ok_or(UnknownCode)
    }
}

/// Who a guide is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Beginner,
    Intermediate,
    Advanced,
}

impl Level {
    /// Every level, easiest first.
    pub const ALL: [Level; 3] = [Level::Beginner, Level::Intermediate, Level::Advanced];
    /// The stored text.
    pub fn code(self) -> &'static str {
        match self {
            Level::Beginner => "beginner",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
        }
    }
    /// Translation key of the label.
    pub fn label_key(self) -> &'static str {
        match self {
            Level::Beginner => "guides-level-beginner",
            Level::Intermediate => "guides-level-intermediate",
            Level::Advanced => "guides-level-advanced",
        }
    }
    /// The level stored as `code`, if known.
    pub fn parse(code: &str) -> Result<Level, UnknownCode> {
        Level::ALL
            .into_iter()
            .find(|s| s.code() == code.trim())
            .ok_or(UnknownCode)
    }
}

// ---------------------------------------------------------------- code lists

/// Codes typed as a list ("a, b c; d"): trimmed, deduplicated, order kept.
pub fn split_list(raw: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    raw.split([',', ';', ' ', '\n', '\t'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .filter(|s| seen.insert(s.to_string()))
        .map(str::to_string)
        .collect()
}

/// The codes a form may name, as found in the database (themes, sectors and
/// territories named by the form, looked up before parsing).
#[derive(Debug, Default, Clone)]
pub struct Known {
    pub themes: HashSet<String>,
    pub sectors: HashSet<String>,
    pub territories: HashSet<String>,
}

/// Codes of `list` absent from `known`.
pub fn unknown_in(list: &[String], known: &HashSet<String>) -> Vec<String> {
    list.iter()
        .filter(|c| !known.contains(*c))
        .cloned()
        .collect()
}

// ---------------------------------------------------------------- the form

/// The editor's form, as typed (also what an imported file is read into).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct GuideForm {
    pub slug: String,
    pub status: String,
    pub level: String,
    pub title_fr: String,
    pub title_en: String,
    pub summary_fr: String,
    pub summary_en: String,
    pub body_fr: String,
    pub body_en: String,
    pub themes: String,
    pub sectors: String,
    pub sizes: String,
    pub territories: String,
    /// The version the editor started from (0 for a new guide).
    pub version: String,
}

/// A checked guide.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidGuide {
    pub slug: String,
    pub status: GuideStatus,
    pub level: Level,
    pub title_fr: String,
    pub title_en: String,
    pub summary_fr: String,
    pub summary_en: String,
    pub body_fr: String,
    pub body_en: String,
    pub themes: Vec<String>,
    pub sectors: Vec<String>,
    pub sizes: Vec<String>,
    pub territories: Vec<String>,
    pub version: i64,
}

/// Longest body accepted, in characters.
pub const BODY_MAX: usize = 40_000;

impl GuideForm {
    /// Every code the form names, to look up before [`GuideForm::parse`].
    pub fn named(&self) -> (Vec<String>, Vec<String>, Vec<String>) {
        (
            split_list(&self.themes),
            split_list(&self.sectors),
            split_list(&self.territories),
        )
    }

    /// Check the form: required texts in both languages, known level,
    /// status, themes, sectors, size bands and territories; the slug made
    /// from the French title when left empty.
    pub fn parse(&self, known: &Known) -> Result<ValidGuide, Violations> {
        let mut v = Violations::default();
        let title_fr = v.text("title_fr", &self.title_fr, 3, 160);
        let title_en = v.text("title_en", &self.title_en, 3, 160);
        let slug = wanted_slug(&self.slug, &title_fr);
        if !title_fr.is_empty() && !valid_slug(&slug) {
            v.add("slug", "setup-slug-invalid", None);
        }
        let status = GuideStatus::parse(&self.status).unwrap_or_else(|_| {
            if !self.status.trim().is_empty() {
                v.add("status", "form-choose", None);
            }
            GuideStatus::Draft
        });
        let level = Level::parse(&self.level).unwrap_or_else(|_| {
            v.add("level", "form-choose", None);
            Level::Beginner
        });
        let summary_fr = v.text("summary_fr", &self.summary_fr, 10, 400);
        let summary_en = v.text("summary_en", &self.summary_en, 10, 400);
        let body_fr = v.text("body_fr", &self.body_fr, 20, BODY_MAX);
        let body_en = v.text("body_en", &self.body_en, 20, BODY_MAX);
        let (themes, sectors, territories) = self.named();
        if themes.is_empty() {
            v.add("themes", "form-required", None);
        } else if !unknown_in(&themes, &known.themes).is_empty() {
            v.add("themes", "guides-unknown-codes", None);
        }
        if !unknown_in(&sectors, &known.sectors).is_empty() {
            v.add("sectors", "guides-unknown-codes", None);
        }
        let sizes = split_list(&self.sizes);
        if sizes.iter().any(|s| !SIZE_BANDS.contains(&s.as_str())) {
            v.add("sizes", "guides-unknown-codes", None);
        }
        if !unknown_in(&territories, &known.territories).is_empty() {
            v.add("territories", "guides-unknown-codes", None);
        }
        let version = self.version.trim().parse().unwrap_or(0);
        if !v.is_empty() {
            return Err(v);
        }
        Ok(ValidGuide {
            slug,
            status,
            level,
            title_fr,
            title_en,
            summary_fr,
            summary_en,
            body_fr,
            body_en,
            themes,
            sectors,
            sizes,
            territories,
            version,
        })
    }
}

// ---------------------------------------------------------------- files

/// The line that separates the French body from the English one in a guide file.
pub const ENGLISH_MARK: &str = "::: en";

/// Front matter keys of a guide file, in the order they are written.
const KEYS: [&str; 11] = [
    "slug",
    "status",
    "level",
    "themes",
    "sectors",
    "sizes",
    "territories",
    "title_fr",
    "title_en",
    "summary_fr",
    "summary_en",
];

/// Why a guide file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// No `---` front matter at the top.
    NoFrontMatter,
    /// A front matter line that is not `key: value`, or an unknown key (line number).
    BadLine(usize),
    /// No `::: en` line before the English body.
    NoEnglish,
}

/// Read a guide file: `---` front matter of `key: value` lines, the French
/// Markdown, a `::: en` line, the English Markdown.
pub fn parse_file(text: &str) -> Result<GuideForm, FileError> {
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let rest = text.strip_prefix("---\n").ok_or(FileError::NoFrontMatter)?;
    let end = rest.find("\n---\n").ok_or(FileError::NoFrontMatter)?;
    let (head, bodies) = (&rest[..end], &rest[end + 5..]);
    let mut f = GuideForm::default();
    for (i, line) in head.lines().enumerate() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let (key, value) = line.split_once(':').ok_or(FileError::BadLine(i + 2))?;
        let value = value.trim().to_string();
        let slot = match key.trim() {
            "slug" => &mut f.slug,
            "status" => &mut f.status,
            "level" => &mut f.level,
            "themes" => &mut f.themes,
            "sectors" => &mut f.sectors,
            "sizes" => &mut f.sizes,
            "territories" => &mut f.territories,
            "title_fr" => &mut f.title_fr,
            "title_en" => &mut f.title_en,
            "summary_fr" => &mut f.summary_fr,
            "summary_en" => &mut f.summary_en,
            _ => return Err(FileError::BadLine(i + 2)),
        };
        *slot = value;
    }
    let mark = format!("\n{ENGLISH_MARK}\n");
    let bodies = format!("\n{bodies}");
    let at = bodies.find(&mark).ok_or(FileError::NoEnglish)?;
    f.body_fr = bodies[..at].trim().to_string();
    f.body_en = bodies[at + mark.len()..].trim().to_string();
    Ok(f)
}

/// Write a guide as a file that [`parse_file`] reads back.
pub fn to_file(g: &ValidGuide) -> String {
    let values = [
        g.slug.clone(),
        g.status.code().to_string(),
        g.level.code().to_string(),
        g.themes.join(", "),
        g.sectors.join(", "),
        g.sizes.join(", "),
        g.territories.join(", "),
        one_line(&g.title_fr),
        one_line(&g.title_en),
        one_line(&g.summary_fr),
        one_line(&g.summary_en),
    ];
    let mut out = String::from("---\n");
    for (k, v) in KEYS.iter().zip(values) {
        out.push_str(k);
        out.push_str(": ");
        out.push_str(&v);
        out.push('\n');
    }
    out.push_str("---\n\n");
    out.push_str(g.body_fr.trim());
    out.push_str("\n\n");
    out.push_str(ENGLISH_MARK);
    out.push_str("\n\n");
    out.push_str(g.body_en.trim());
    out.push('\n');
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A "was this useful?" answer.
pub fn parse_vote(raw: &str) -> Option<bool> {
    match raw {
        "yes" | "oui" => Some(true),
        "no" | "non" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Known {
        Known {
            themes: ["sauvegardes".to_string()].into_iter().collect(),
            sectors: ["10".to_string()].into_iter().collect(),
            territories: ["FR-D33".to_string()].into_iter().collect(),
        }
    }

    const FILE: &str = "---\nslug: sauvegarder\nstatus: published\nlevel: beginner\nthemes: sauvegardes\nsectors: 10\nsizes: 0, 1-9\nterritories: FR-D33\ntitle_fr: Sauvegarder ses fichiers\ntitle_en: Back up your files\nsummary_fr: La règle 3-2-1 expliquée simplement.\nsummary_en: The 3-2-1 rule made simple.\n---\n\nTrois copies, deux supports, une hors du magasin.\n\n::: en\n\nThree copies, two media, one away from the shop.\n";

    #[test]
    fn a_file_reads_and_writes_back() {
        let form = parse_file(FILE).unwrap();
        let g = form.parse(&known()).unwrap();
        assert_eq!(g.sizes, vec!["0", "1-9"]);
        assert_eq!(
            g.body_en,
            "Three copies, two media, one away from the shop."
        );
        assert_eq!(to_file(&g), FILE);
    }

    #[test]
    fn broken_files_say_why() {
        assert_eq!(parse_file("no front"), Err(FileError::NoFrontMatter));
        assert_eq!(
            parse_file("---\nslug: a\ncolour: red\n---\nx\n::: en\ny"),
            Err(FileError::BadLine(3))
        );
        assert_eq!(
            parse_file("---\nslug: a\n---\nx"),
            Err(FileError::NoEnglish)
        );
    }

    #[test]
    fn unknown_codes_are_refused() {
        let mut form = parse_file(FILE).unwrap();
        form.themes = "sauvegardes, astrologie".into();
        form.sizes = "1000+".into();
        let errors = form.parse(&known()).unwrap_err();
        assert!(errors.has("themes"));
        assert!(errors.has("sizes"));
        assert!(!errors.has("sectors"));
    }

    #[test]
    fn typed_lists_split_once() {
        let codes = split_list("a, b;a  c");
        assert_eq!(codes, vec!["a", "b", "c"]);
    }
}
