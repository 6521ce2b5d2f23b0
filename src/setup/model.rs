//! The typed domain of the programme set-up: slugs, tags, counts, partner
//! kinds, time zones, and the parsing of the programme, theme and partner
//! forms. Pure rules, no I/O: where a slug must be unique, the page asks the
//! store first and hands the answer in.

use jiff::civil::Date;
use serde::Deserialize;

use crate::business::model::normalise_website;
use crate::i18n::Locale;
use crate::kernel::bilingual::Bilingual;
use crate::kernel::dates::parse_date;
use crate::kernel::money::Euros;
use crate::reference::THEME_GROUPS;
use crate::web::forms::{checked, is_valid_email, Violations};

/// Longest slug accepted (themes, partners).
pub const SLUG_MAX: usize = 60;

/// A URL-safe identifier derived from a title: accents folded, lowercase,
/// words joined by hyphens ("Être visible en ligne" → "etre-visible-en-ligne").
pub fn slugify(title: &str) -> String {
    let folded = crate::text::fold(title);
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    if out.len() > SLUG_MAX {
        out.truncate(SLUG_MAX);
    }
    out.trim_matches('-').to_string()
}

/// True for a slug as used in links: 2 to 60 of `a-z`, `0-9` and single
/// inner hyphens.
pub fn valid_slug(s: &str) -> bool {
    (2..=SLUG_MAX).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// The slug a form asks for: the one typed, else one made from the title.
pub fn wanted_slug(typed: &str, title: &str) -> String {
    let typed = typed.trim().to_lowercase();
    if typed.is_empty() {
        slugify(title.trim())
    } else {
        typed
    }
}

/// The slug rules of a form: once a title or a slug is typed, the slug must
/// be well formed and free.
fn check_slug(v: &mut Violations, slug: &str, title: &str, typed: &str, taken: bool) {
    if title.is_empty() && typed.trim().is_empty() {
        return;
    }
    if !valid_slug(slug) {
        v.add("slug", "setup-slug-invalid", None);
    } else if taken {
        v.add("slug", "setup-slug-taken", None);
    }
}

/// The violation of a slug taken between the check and the write.
pub fn slug_taken() -> Violations {
    let mut errors = Violations::default();
    errors.add("slug", "setup-slug-taken", None);
    errors
}

/// A whole non-negative number as typed ("1600", "1 600"); empty is 0.
pub fn parse_count(raw: &str) -> Option<i64> {
    let s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202F}' && *c != '\u{A0}')
        .collect();
    if s.is_empty() {
        return Some(0);
    }
    if s.len() > 12 || !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Tags typed as "a, b ,, c": trimmed, empty and repeated ones dropped.
pub fn normalise_tags(raw: &str) -> String {
    let mut seen: Vec<String> = vec![];
    for t in raw
        .split([',', ';'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        if !seen.iter().any(|s| s.to_lowercase() == t.to_lowercase()) {
            seen.push(t.to_string());
        }
    }
    seen.join(", ")
}

// ---------------------------------------------------------------- programme

/// Time zones offered, with the label of each.
pub const TIMEZONES: [(&str, &str); 9] = [
    ("Europe/Paris", "setup-tz-paris"),
    ("Europe/Brussels", "setup-tz-brussels"),
    ("Europe/Luxembourg", "setup-tz-luxembourg"),
    ("Pacific/Noumea", "setup-tz-noumea"),
    ("Indian/Reunion", "setup-tz-reunion"),
    ("America/Guadeloupe", "setup-tz-guadeloupe"),
    ("America/Martinique", "setup-tz-martinique"),
    ("America/Cayenne", "setup-tz-cayenne"),
    ("Indian/Mayotte", "setup-tz-mayotte"),
];

/// Interface languages a programme may default to.
pub const LANGUAGES: [(&str, &str); 2] = [("fr", "setup-lang-fr"), ("en", "setup-lang-en")];

/// Territory levels a programme may cover (communes are too fine, countries too wide).
pub const COVERABLE: [&str; 4] = ["region", "department", "province", "canton"];

/// True when a programme may cover a territory of `level`.
pub fn coverable(level: &str) -> bool {
    COVERABLE.contains(&level)
}

/// What the programme form sends (also used for the territory forms).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ProgrammeForm {
    pub action: String,
    pub name: String,
    pub operator: String,
    pub logo_url: String,
    pub timezone: String,
    pub default_locale: String,
    pub start_date: String,
    pub end_date: String,
    pub target_aware: String,
    pub target_date: String,
    pub target_diagnostics: String,
    pub target_coaching: String,
    pub budget: String,
    pub contact_email: String,
    pub summary_fr: String,
    pub summary_en: String,
    pub territory: String,
}

/// A programme record that passed validation. Dates are kept as `YYYY-MM-DD`.
#[derive(Debug, Clone)]
pub struct ValidProgramme {
    pub name: String,
    pub operator: String,
    pub logo_url: Option<String>,
    pub timezone: String,
    pub default_locale: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub target_aware: i64,
    pub target_date: Option<String>,
    pub target_diagnostics: i64,
    pub target_coaching: i64,
    pub budget: Euros,
    pub contact_email: String,
    pub summary_fr: String,
    pub summary_en: String,
}

fn optional(s: String) -> Option<String> {
    Some(s).filter(|s| !s.is_empty())
}

/// An https address with a host, for the logo.
fn valid_https_url(s: &str) -> bool {
    s.len() <= 500
        && url::Url::parse(s)
            .map(|u| u.scheme() == "https" && u.host_str().is_some_and(|h| h.contains('.')))
            .unwrap_or(false)
}

/// A whole number field; empty counts as 0.
fn count(v: &mut Violations, field: &'static str, raw: &str) -> i64 {
    parse_count(raw).unwrap_or_else(|| {
        v.add(field, "setup-number-invalid", None);
        0
    })
}

/// An optional date field: `Ok(None)` when empty, `Err(())` when not a date.
fn date_field(raw: &str) -> Result<Option<Date>, ()> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    parse_date(raw).map(Some).ok_or(())
}

impl ProgrammeForm {
    /// Check the programme record.
    pub fn parse(&self) -> Result<ValidProgramme, Violations> {
        let mut v = Violations::default();
        let name = v.text("name", &self.name, 2, 120);
        let operator = v.text("operator", &self.operator, 2, 160);
        let logo_url = self.logo_url.trim().to_string();
        if !logo_url.is_empty() && !valid_https_url(&logo_url) {
            v.add("logo_url", "setup-url-invalid", None);
        }
        let timezone = self.timezone.trim().to_string();
        if !TIMEZONES.iter().any(|(tz, _)| *tz == timezone) {
            v.add("timezone", "form-choose", None);
        }
        let default_locale = self.default_locale.trim().to_string();
        if !LANGUAGES.iter().any(|(l, _)| *l == default_locale) {
            v.add("default_locale", "form-choose", None);
        }
        let start = date_field(&self.start_date);
        let end = date_field(&self.end_date);
        if start.is_err() {
            v.add("start_date", "setup-date-invalid", None);
        }
        match (&start, &end) {
            (_, Err(())) => v.add("end_date", "setup-date-invalid", None),
            (Ok(Some(s)), Ok(Some(e))) if e <= s => {
                v.add("end_date", "setup-end-before-start", None)
            }
            _ => {}
        }
        let target_aware = count(&mut v, "target_aware", &self.target_aware);
        let target_date = date_field(&self.target_date);
        if target_date.is_err() {
            v.add("target_date", "setup-date-invalid", None);
        }
        let target_diagnostics = count(&mut v, "target_diagnostics", &self.target_diagnostics);
        let target_coaching = count(&mut v, "target_coaching", &self.target_coaching);
        let budget = Euros::parse(&self.budget).unwrap_or_else(|_| {
            v.add("budget", "setup-budget-invalid", None);
            None
        });
        let contact_email = self.contact_email.trim().to_string();
        if contact_email.is_empty() {
            v.add("contact_email", "form-required", None);
        } else if !is_valid_email(&contact_email) {
            v.add("contact_email", "form-email-invalid", None);
        }
        let summary_fr = v.text("summary_fr", &self.summary_fr, 0, 2000);
        let summary_en = v.text("summary_en", &self.summary_en, 0, 2000);
        if !v.is_empty() {
            return Err(v);
        }
        let iso = |d: Result<Option<Date>, ()>| d.ok().flatten().map(|d| d.to_string());
        Ok(ValidProgramme {
            name,
            operator,
            logo_url: optional(logo_url),
            timezone,
            default_locale,
            start_date: iso(start),
            end_date: iso(end),
            target_aware,
            target_date: iso(target_date),
            target_diagnostics,
            target_coaching,
            budget: budget.unwrap_or_default(),
            contact_email,
            summary_fr,
            summary_en,
        })
    }
}

// ---------------------------------------------------------------- themes

/// What the theme forms send.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ThemeForm {
    pub action: String,
    pub slug: String,
    pub theme_group: String,
    pub title_fr: String,
    pub title_en: String,
    pub description_fr: String,
    pub description_en: String,
    pub tags: String,
}

/// A stored theme.
#[derive(Debug, Clone)]
pub struct Theme {
    pub id: i64,
    pub slug: String,
    pub group: String,
    pub title_fr: String,
    pub title_en: String,
    pub description_fr: String,
    pub description_en: String,
    pub tags: String,
    pub archived: bool,
}

impl Theme {
    /// Title in the interface language.
    pub fn title(&self, locale: impl std::borrow::Borrow<Locale>) -> &str {
        Bilingual::new(&self.title_fr, &self.title_en).get(*locale.borrow())
    }

    /// The edit form filled with this theme.
    pub fn to_form(&self) -> ThemeForm {
        ThemeForm {
            action: "save".into(),
            slug: self.slug.clone(),
            theme_group: self.group.clone(),
            title_fr: self.title_fr.clone(),
            title_en: self.title_en.clone(),
            description_fr: self.description_fr.clone(),
            description_en: self.description_en.clone(),
            tags: self.tags.clone(),
        }
    }
}

/// A theme that passed validation.
#[derive(Debug, Clone)]
pub struct ValidTheme {
    pub slug: String,
    pub group: String,
    pub title_fr: String,
    pub title_en: String,
    pub description_fr: String,
    pub description_en: String,
    pub tags: String,
}

impl ThemeForm {
    /// The slug this submission asks for.
    pub fn wanted_slug(&self) -> String {
        wanted_slug(&self.slug, &self.title_fr)
    }

    /// Check a submission; `slug_taken` says whether another theme holds
    /// [`ThemeForm::wanted_slug`].
    pub fn parse(&self, slug_taken: bool) -> Result<ValidTheme, Violations> {
        let mut v = Violations::default();
        let title_fr = v.text("title_fr", &self.title_fr, 2, 160);
        let title_en = v.text("title_en", &self.title_en, 0, 160);
        let slug = self.wanted_slug();
        check_slug(&mut v, &slug, &title_fr, &self.slug, slug_taken);
        let group = self.theme_group.trim().to_string();
        if !THEME_GROUPS.contains(&group.as_str()) {
            v.add("theme_group", "form-choose", None);
        }
        let description_fr = v.text("description_fr", &self.description_fr, 0, 2000);
        let description_en = v.text("description_en", &self.description_en, 0, 2000);
        let tags = normalise_tags(&self.tags);
        if tags.chars().count() > 500 {
            v.add("tags", "form-too-long", Some(500));
        }
        if !v.is_empty() {
            return Err(v);
        }
        // English falls back to French so that no theme shows up blank.
        let or_fr = |en: String, fr: &str| if en.is_empty() { fr.to_string() } else { en };
        Ok(ValidTheme {
            slug,
            group,
            title_en: or_fr(title_en, &title_fr),
            title_fr,
            description_en: or_fr(description_en, &description_fr),
            description_fr,
            tags,
        })
    }
}

// ---------------------------------------------------------------- partners

/// What kind of body a partner is; the code is stored in `partners.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartnerKind {
    Chamber,
    EmployerFederation,
    TownHall,
    Association,
    Funder,
    Other,
}

impl PartnerKind {
    /// Every kind, in display order.
    pub const ALL: [PartnerKind; 6] = [
        PartnerKind::Chamber,
        PartnerKind::EmployerFederation,
        PartnerKind::TownHall,
        PartnerKind::Association,
        PartnerKind::Funder,
        PartnerKind::Other,
    ];

    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            PartnerKind::Chamber => "chamber",
            PartnerKind::EmployerFederation => "employer_federation",
            PartnerKind::TownHall => "town_hall",
            PartnerKind::Association => "association",
            PartnerKind::Funder => "funder",
            PartnerKind::Other => "other",
        }
    }

    /// Fluent key of the kind's name.
    pub fn label_key(self) -> &'static str {
        match self {
            PartnerKind::Chamber => "setup-kind-chamber",
            PartnerKind::EmployerFederation => "setup-kind-employer_federation",
            PartnerKind::TownHall => "setup-kind-town_hall",
            PartnerKind::Association => "setup-kind-association",
            PartnerKind::Funder => "setup-kind-funder",
            PartnerKind::Other => "setup-kind-other",
        }
    }

    /// Parse a stored or submitted code.
    pub fn from_code(s: &str) -> Option<PartnerKind> {
        PartnerKind::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// What the partner forms send.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PartnerForm {
    pub name: String,
    pub slug: String,
    pub kind: String,
    pub brings: Option<String>,
    pub receives: Option<String>,
    pub contact_email: String,
    pub website: String,
}

/// A stored partner with the number of businesses it brought.
#[derive(Debug, Clone)]
pub struct Partner {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub brings: bool,
    pub receives: bool,
    pub contact_email: String,
    pub website: String,
    pub brought: i64,
}

impl Partner {
    /// The edit form filled with this partner.
    pub fn to_form(&self) -> PartnerForm {
        let flag = |b: bool| b.then(|| "on".to_string());
        PartnerForm {
            name: self.name.clone(),
            slug: self.slug.clone(),
            kind: self.kind.clone(),
            brings: flag(self.brings),
            receives: flag(self.receives),
            contact_email: self.contact_email.clone(),
            website: self.website.clone(),
        }
    }

    /// Path of the partner's sign-up link.
    pub fn signup_path(&self) -> String {
        format!("/p/{}", self.slug)
    }
}

/// A partner that passed validation.
#[derive(Debug, Clone)]
pub struct ValidPartner {
    pub name: String,
    pub slug: String,
    pub kind: PartnerKind,
    pub brings: bool,
    pub receives: bool,
    pub contact_email: Option<String>,
    pub website: Option<String>,
}

impl PartnerForm {
    /// The slug this submission asks for.
    pub fn wanted_slug(&self) -> String {
        wanted_slug(&self.slug, &self.name)
    }

    /// Check a submission; `slug_taken` says whether another partner holds
    /// [`PartnerForm::wanted_slug`].
    pub fn parse(&self, slug_taken: bool) -> Result<ValidPartner, Violations> {
        let mut v = Violations::default();
        let name = v.text("name", &self.name, 2, 160);
        let slug = self.wanted_slug();
        check_slug(&mut v, &slug, &name, &self.slug, slug_taken);
        let kind = PartnerKind::from_code(self.kind.trim());
        if kind.is_none() {
            v.add("kind", "form-choose", None);
        }
        let contact_email = self.contact_email.trim().to_string();
        if !contact_email.is_empty() && !is_valid_email(&contact_email) {
            v.add("contact_email", "form-email-invalid", None);
        }
        let website = normalise_website(&self.website).unwrap_or_else(|_| {
            v.add("website", "business-bad-website", None);
            String::new()
        });
        match kind {
            Some(kind) if v.is_empty() => Ok(ValidPartner {
                name,
                slug,
                kind,
                brings: checked(&self.brings),
                receives: checked(&self.receives),
                contact_email: optional(contact_email),
                website: optional(website),
            }),
            _ => Err(v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_french_titles() {
        assert_eq!(
            slugify("Être visible en ligne, avec ou sans site"),
            "etre-visible-en-ligne-avec-ou-sans-site"
        );
        assert_eq!(slugify("  RGPD : l'essentiel  "), "rgpd-l-essentiel");
        assert_eq!(slugify("!!!"), "");
        assert!(slugify(&"mot ".repeat(40)).len() <= SLUG_MAX);
        assert!(!slugify(&"mot ".repeat(40)).ends_with('-'));
        assert!(valid_slug("cma-gironde"));
        assert!(!valid_slug("CMA"));
        assert!(!valid_slug("a--b"));
        assert!(!valid_slug("-ab"));
        assert!(!valid_slug("a"));
    }

    #[test]
    fn counts_are_whole_numbers() {
        assert_eq!(parse_count("1 600"), Some(1600));
        assert_eq!(parse_count(""), Some(0));
        assert_eq!(parse_count("-3"), None);
        assert_eq!(parse_count("12a"), None);
    }

    #[test]
    fn programme_dates_and_budget() {
        let form = ProgrammeForm {
            name: "Tremplin".into(),
            operator: "CMA".into(),
            timezone: "Europe/Paris".into(),
            default_locale: "fr".into(),
            start_date: "05/01/2026".into(),
            end_date: "2028-04-30".into(),
            budget: "337 000,50".into(),
            contact_email: "contact@cma.fr".into(),
            ..Default::default()
        };
        let p = form.parse().unwrap();
        assert_eq!(p.start_date.as_deref(), Some("2026-01-05"));
        assert_eq!(p.budget, Euros(33_700_050));
        let bad = ProgrammeForm {
            end_date: "2025-12-31".into(),
            target_date: "2026-02-30".into(),
            budget: "beaucoup".into(),
            ..form
        };
        let v = bad.parse().unwrap_err();
        assert!(v.has("end_date") && v.has("target_date") && v.has("budget"));
    }

    #[test]
    fn tags_are_tidied() {
        assert_eq!(
            normalise_tags(" site, Vitrine ,, site ; web"),
            "site, Vitrine, web"
        );
        assert_eq!(normalise_tags(""), "");
    }

    #[test]
    fn partner_kinds_round_trip() {
        for k in PartnerKind::ALL {
            assert_eq!(PartnerKind::from_code(k.code()), Some(k));
            assert_eq!(k.label_key(), format!("setup-kind-{}", k.code()));
        }
    }
}
