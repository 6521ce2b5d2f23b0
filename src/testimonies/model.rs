//! Testimonies: a business owner's story told by the programme's staff, with
//! an optional video (https only, with its transcript), themes, the consent
//! recorded and draft → published. Pure rules, no I/O.

use crate::kernel::images::{Policy, Refusal};
use crate::web::forms::{is_valid_email, Violations};

/// Photos: JPEG, PNG or WebP up to 5 MB, shrunk to fit 800 px and stored as
/// JPEG (re-encoding drops camera tags such as the GPS position).
pub const PHOTO: Policy = Policy {
    limit: 5 * 1024 * 1024,
    accept: &[
        image::ImageFormat::Jpeg,
        image::ImageFormat::Png,
        image::ImageFormat::WebP,
    ],
    fit: 800,
    output: image::ImageFormat::Jpeg,
};

/// The message key of a refused photo.
pub fn photo_refusal(r: Refusal) -> &'static str {
    match r {
        Refusal::TooLarge => "testimonies-photo-too-large",
        Refusal::Missing | Refusal::NotImage => "testimonies-photo-not-image",
        Refusal::Broken => "testimonies-photo-broken",
    }
}

/// Where a testimony is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Draft,
    Published,
}

impl Status {
    pub const ALL: [Status; 2] = [Status::Draft, Status::Published];

    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Published => "published",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Status::Draft => "testimonies-status-draft",
            Status::Published => "testimonies-status-published",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Why a video link is refused, as a translation key; `Ok` holds the link
/// to store (empty when there is none).
pub fn check_video_url(raw: &str) -> Result<String, &'static str> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(String::new());
    }
    if v.chars().any(|c| c.is_whitespace() || c.is_control()) || v.len() > 500 {
        return Err("testimonies-video-invalid");
    }
    match url::Url::parse(v) {
        Ok(u) if u.scheme() == "https" && u.host_str().is_some_and(|h| h.contains('.')) => {
            Ok(u.to_string())
        }
        Ok(u) if u.scheme() == "https" => Err("testimonies-video-invalid"),
        Ok(_) => Err("testimonies-video-https"),
        Err(_) if v.contains(':') && !v.starts_with("https:") => Err("testimonies-video-https"),
        Err(_) => Err("testimonies-video-invalid"),
    }
}

/// What a save does to the stored photo.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum PhotoChange {
    /// Keep the stored one (or none).
    #[default]
    Keep,
    /// Store this picture (already checked and re-encoded).
    Set(Vec<u8>),
    /// Drop the stored one (asked for, or the photo consent withdrawn).
    Remove,
}

/// Theme slugs stored as ",a,b," (one LIKE filters on both backends).
pub fn pack(themes: &[String]) -> String {
    if themes.is_empty() {
        ",".into()
    } else {
        format!(",{},", themes.join(","))
    }
}

/// The theme slugs of a stored list.
pub fn unpack(stored: &str) -> Vec<String> {
    stored
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The editor's form as typed.
#[derive(Debug, Clone, Default)]
pub struct TestimonyForm {
    pub business: String,
    pub author_name: String,
    pub title: String,
    pub body: String,
    pub locale: String,
    pub video_url: String,
    pub transcript: String,
    pub themes: Vec<String>,
    pub consent: bool,
    pub consent_by: String,
    pub photo_consent: bool,
    /// "Remove the photo" ticked.
    pub remove_photo: bool,
    /// A photo file came with the form (checked apart: see the pages).
    pub photo_chosen: bool,
    pub status: String,
    pub version: String,
}

impl TestimonyForm {
    /// The form from its posted pairs (themes are ticked boxes).
    pub fn from_pairs(pairs: &[(String, String)]) -> TestimonyForm {
        let mut f = TestimonyForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "business" => f.business = v.clone(),
                "author_name" => f.author_name = v.clone(),
                "title" => f.title = v.clone(),
                "body" => f.body = v.clone(),
                "locale" => f.locale = v.clone(),
                "video_url" => f.video_url = v.clone(),
                "transcript" => f.transcript = v.clone(),
                "themes" => f.themes.push(v.clone()),
                "consent" => f.consent = !v.is_empty(),
                "consent_by" => f.consent_by = v.clone(),
                "photo_consent" => f.photo_consent = !v.is_empty(),
                "remove_photo" => f.remove_photo = !v.is_empty(),
                "status" => f.status = v.clone(),
                "version" => f.version = v.clone(),
                _ => {}
            }
        }
        f
    }

    /// True when `slug` is ticked.
    pub fn has_theme(&self, slug: &str) -> bool {
        self.themes.iter().any(|t| t == slug)
    }

    /// Check the form against the programme's theme slugs.
    pub fn parse(&self, known_themes: &[String]) -> Result<ValidTestimony, Violations> {
        let mut e = Violations::default();
        let business_id = match self.business.trim() {
            "" => None,
            s => match s.parse::<i64>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    e.add("business", "form-choose", None);
                    None
                }
            },
        };
        let author_name = e.text("author_name", &self.author_name, 2, 120);
        let title = e.text("title", &self.title, 3, 160);
        let body = e.text("body", &self.body, 10, 10_000);
        let locale = match self.locale.as_str() {
            "fr" | "en" => self.locale.clone(),
            _ => {
                e.add("locale", "form-choose", None);
                "fr".into()
            }
        };
        let video_url = match check_video_url(&self.video_url) {
            Ok(v) => v,
            Err(key) => {
                e.add("video_url", key, None);
                String::new()
            }
        };
        let transcript = e.text("transcript", &self.transcript, 0, 20_000);
        if !self.video_url.trim().is_empty() && transcript.is_empty() {
            e.add("transcript", "testimonies-transcript-required", None);
        }
        let mut themes: Vec<String> = vec![];
        for t in &self.themes {
            let t = t.trim();
            if t.is_empty() || themes.iter().any(|x| x == t) {
                continue;
            }
            if known_themes.iter().any(|k| k == t) {
                themes.push(t.to_string());
            } else if !e.has("themes") {
                e.add("themes", "testimonies-theme-unknown", None);
            }
        }
        let consent_by = self.consent_by.trim().to_lowercase();
        if (self.consent || self.photo_consent) && consent_by.is_empty() {
            e.add("consent_by", "testimonies-consent-by-required", None);
        } else if !consent_by.is_empty() && !is_valid_email(&consent_by) {
            e.add("consent_by", "form-email-invalid", None);
        }
        if self.photo_consent && !self.consent {
            e.add("photo_consent", "testimonies-photo-needs-consent", None);
        }
        if self.photo_chosen && !self.photo_consent {
            e.add("photo", "testimonies-photo-without-consent", None);
        }
        // Without the photo consent no photo is kept.
        let photo = if !self.photo_consent || self.remove_photo {
            PhotoChange::Remove
        } else {
            PhotoChange::Keep
        };
        let status = Status::parse(&self.status).unwrap_or_else(|| {
            e.add("status", "form-choose", None);
            Status::Draft
        });
        let version = self.version.trim().parse::<i64>().unwrap_or(0);
        if !e.is_empty() {
            return Err(e);
        }
        Ok(ValidTestimony {
            business_id,
            author_name,
            title,
            body,
            locale,
            video_url,
            transcript,
            themes,
            consent: self.consent,
            consent_by,
            photo_consent: self.photo_consent,
            photo,
            status,
            version,
        })
    }
}

/// A checked testimony, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidTestimony {
    pub business_id: Option<i64>,
    pub author_name: String,
    pub title: String,
    pub body: String,
    pub locale: String,
    pub video_url: String,
    pub transcript: String,
    pub themes: Vec<String>,
    pub consent: bool,
    pub consent_by: String,
    pub photo_consent: bool,
    /// What becomes of the stored photo; the pages set a new one.
    pub photo: PhotoChange,
    pub status: Status,
    /// The version the editor started from (0 for a new one).
    pub version: i64,
}

/// Before/after maturity scores of a closed follow-up file: T0 is the
/// business's first diagnostic, T1 the latest one taken after the file
/// opened (never T0 itself). `diagnostics` are (taken at, overall) in time order.
pub fn before_after(diagnostics: &[(i64, f64)], opened_at: i64) -> Option<(f64, f64)> {
    let (_, t0) = *diagnostics.first()?;
    let (_, t1) = *diagnostics
        .iter()
        .skip(1)
        .rev()
        .find(|(at, _)| *at >= opened_at)?;
    Some((t0, t1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn video_links_must_be_https() {
        assert_eq!(check_video_url(""), Ok(String::new()));
        assert!(check_video_url("https://video.example.org/v/12").is_ok());
        assert_eq!(
            check_video_url("javascript:alert(1)"),
            Err("testimonies-video-https")
        );
        assert_eq!(
            check_video_url("http://video.example.org/v/12"),
            Err("testimonies-video-https")
        );
        assert_eq!(
            check_video_url("data:text/html,hi"),
            Err("testimonies-video-https")
        );
        assert_eq!(
            check_video_url("https://exa mple.org"),
            Err("testimonies-video-invalid")
        );
        assert_eq!(
            check_video_url("video.example.org"),
            Err("testimonies-video-invalid")
        );
    }

    #[test]
    fn a_video_needs_a_transcript_and_photo_consent_needs_consent() {
        let f = TestimonyForm {
            author_name: "Marie".into(),
            title: "Mon site".into(),
            body: "Une belle histoire numérique.".into(),
            locale: "fr".into(),
            video_url: "https://video.example.org/v/1".into(),
            photo_consent: true,
            consent_by: "marie@example.fr".into(),
            status: "draft".into(),
            ..Default::default()
        };
        let e = f.parse(&[]).unwrap_err();
        assert!(e.has("transcript"));
        assert!(e.has("photo_consent"));
    }

    #[test]
    fn a_photo_needs_the_photo_consent_and_unticking_it_drops_the_photo() {
        let mut f = TestimonyForm {
            author_name: "Marie".into(),
            title: "Mon site".into(),
            body: "Une belle histoire numérique.".into(),
            locale: "fr".into(),
            consent: true,
            consent_by: "marie@example.fr".into(),
            photo_chosen: true,
            status: "draft".into(),
            ..Default::default()
        };
        assert!(f.parse(&[]).unwrap_err().has("photo"));
        f.photo_chosen = false;
        assert_eq!(f.parse(&[]).unwrap().photo, PhotoChange::Remove);
        f.photo_consent = true;
        assert_eq!(f.parse(&[]).unwrap().photo, PhotoChange::Keep);
        f.remove_photo = true;
        assert_eq!(f.parse(&[]).unwrap().photo, PhotoChange::Remove);
    }

    #[test]
    fn before_after_takes_t0_and_the_latest_after_opening() {
        assert_eq!(before_after(&[(1, 30.0)], 0), None);
        assert_eq!(
            before_after(&[(1, 30.0), (5, 40.0), (9, 62.0)], 4),
            Some((30.0, 62.0))
        );
        assert_eq!(before_after(&[(1, 30.0), (2, 40.0)], 4), None);
    }
}
