//! The contact form's typed domain: topics and the parsing of a request.
//! Pure rules, no I/O.

use serde::Deserialize;

use crate::web::forms::{checked, Violations};

/// The topics offered in the form, as stable codes (those of [`Topic`]).
pub const TOPICS: [&str; 6] = [
    "general",
    "diagnostic",
    "workshops",
    "coaching",
    "directory",
    "partnership",
];

/// What a message is about; the code is stored in `contact_messages.subject`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    General,
    Diagnostic,
    Workshops,
    Coaching,
    Directory,
    Partnership,
}

impl Topic {
    /// Every topic, in form order.
    pub const ALL: [Topic; 6] = [
        Topic::General,
        Topic::Diagnostic,
        Topic::Workshops,
        Topic::Coaching,
        Topic::Directory,
        Topic::Partnership,
    ];

    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Topic::General => "general",
            Topic::Diagnostic => "diagnostic",
            Topic::Workshops => "workshops",
            Topic::Coaching => "coaching",
            Topic::Directory => "directory",
            Topic::Partnership => "partnership",
        }
    }

    /// Fluent key of the topic's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Topic::General => "contact-topic-general",
            Topic::Diagnostic => "contact-topic-diagnostic",
            Topic::Workshops => "contact-topic-workshops",
            Topic::Coaching => "contact-topic-coaching",
            Topic::Directory => "contact-topic-directory",
            Topic::Partnership => "contact-topic-partnership",
        }
    }

    /// Parse a submitted code.
    pub fn from_code(s: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.code() == s)
    }
}

/// What the form or the API sends; every field optional so that a missing
/// field is a validation message, not a parse error.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(example = json!({"name": "Marie Dupont", "email": "marie@boulangerie-dupont.fr",
    "organisation": "Boulangerie Dupont", "topic": "workshops",
    "message": "Quand a lieu le prochain atelier ?", "consent": true}))]
pub struct ContactInput {
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub topic: String,
    pub message: String,
    /// Browsers send `on` when ticked; the API may send `true`.
    #[serde(deserialize_with = "lenient_bool")]
    #[schema(value_type = bool)]
    pub consent: Option<String>,
}

fn lenient_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum B {
        Bool(bool),
        Text(String),
    }
    Ok(match Option::<B>::deserialize(d)? {
        Some(B::Bool(b)) => Some(if b { "true".into() } else { "false".into() }),
        Some(B::Text(s)) => Some(s),
        None => None,
    })
}

/// A validated contact request.
#[derive(Debug, Clone)]
pub struct ContactRequest {
    pub name: String,
    pub email: String,
    pub organisation: Option<String>,
    /// The topic's code (see [`Topic`]).
    pub topic: &'static str,
    pub message: String,
}

impl ContactRequest {
    /// Parse the input or say what is wrong with each field.
    pub fn parse(input: &ContactInput) -> Result<ContactRequest, Violations> {
        let mut v = Violations::default();
        let name = v.text("name", &input.name, 2, 120);
        let email = v.email("email", &input.email);
        let organisation = v.text("organisation", &input.organisation, 0, 160);
        let topic = Topic::from_code(input.topic.trim());
        if topic.is_none() {
            v.add("topic", "form-choose", None);
        }
        let message = v.text("message", &input.message, 10, 5000);
        v.accepted("consent", checked(&input.consent));
        if !v.is_empty() {
            return Err(v);
        }
        Ok(ContactRequest {
            name,
            email,
            organisation: (!organisation.is_empty()).then_some(organisation),
            topic: topic.unwrap_or(Topic::General).code(),
            message,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> ContactInput {
        ContactInput {
            name: "Marie Dupont".into(),
            email: "marie@boulangerie-dupont.fr".into(),
            organisation: "".into(),
            topic: "workshops".into(),
            message: "Quand a lieu le prochain atelier à Bordeaux ?".into(),
            consent: Some("on".into()),
        }
    }

    #[test]
    fn topics_match_their_codes() {
        for (t, code) in Topic::ALL.iter().zip(TOPICS) {
            assert_eq!(t.code(), code);
            assert_eq!(t.label_key(), format!("contact-topic-{code}"));
        }
    }

    #[test]
    fn valid_input_parses() {
        let r = ContactRequest::parse(&valid()).unwrap();
        assert_eq!(r.topic, "workshops");
        assert_eq!(r.organisation, None);
    }

    #[test]
    fn each_bad_field_is_reported() {
        let mut i = valid();
        i.email = "marie@".into();
        i.topic = "spam".into();
        i.consent = None;
        let v = ContactRequest::parse(&i).unwrap_err();
        assert!(v.has("email") && v.has("topic") && v.has("consent"));
        assert!(!v.has("name") && !v.has("message"));
    }
}
