//! Referral and referral-body forms.

use super::*;

/// A referral as typed by the adviser.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ReferralForm {
    pub body: String,
    pub note: String,
}

/// A body's answer through its private link.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct AnswerForm {
    pub status: String,
    pub answer: String,
    pub link_version: String,
}

/// A referral body as typed by the programme manager.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct BodyForm {
    pub name: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    pub territory: String,
    pub themes: String,
    pub url: String,
}

/// A checked [`BodyForm`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidBody {
    pub name: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    pub territory: Option<String>,
    pub themes: String,
    pub url: String,
}

/// Check a referral body: a name, a contact address, an http(s) link.
pub fn parse_body(f: &BodyForm) -> Result<ValidBody, Violations> {
    let mut v = Violations::default();
    let name = v.text("name", &f.name, 2, 200);
    let contact_name = v.text("contact_name", &f.contact_name, 0, 200);
    let email = v.email("email", &f.email);
    let phone = v.text("phone", &f.phone, 0, 40);
    let themes = v.text("themes", &f.themes, 0, 500);
    let url = v.text("url", &f.url, 0, 500);
    if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
        v.add("url", "case-bad-url", None);
    }
    let territory = Some(f.territory.trim().to_string()).filter(|t| !t.is_empty());
    if v.is_empty() {
        Ok(ValidBody {
            name,
            contact_name,
            email,
            phone,
            territory,
            themes,
            url,
        })
    } else {
        Err(v)
    }
}
