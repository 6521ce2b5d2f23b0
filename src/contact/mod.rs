//! The contact form to the programme team: a stored message plus an e-mail
//! to the team and an acknowledgement to the sender, all queued in the
//! outbox within one transaction.

pub mod handlers;

use serde::Deserialize;

use crate::i18n::{Locale, Tr};
use crate::outbox::{self, NewMail};
use crate::state::AppState;
use crate::web::forms::{checked, Violations};

/// The topics offered in the form, as stable codes.
pub const TOPICS: [&str; 6] = [
    "general",
    "diagnostic",
    "workshops",
    "coaching",
    "directory",
    "partnership",
];

/// What the form or the API sends; every field optional so that a missing
/// field is a validation message, not a parse error.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
#[serde(default)]
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
        let topic = TOPICS.iter().find(|t| **t == input.topic.trim()).copied();
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
            topic: topic.unwrap_or("general"),
            message,
        })
    }
}

/// Why a valid request could not be stored.
#[derive(Debug)]
pub enum SubmitError {
    Db(sqlx::Error),
}

/// Store the message and queue both e-mails atomically; returns its id.
pub async fn submit(
    state: &AppState,
    req: &ContactRequest,
    locale: Locale,
) -> Result<i64, SubmitError> {
    let programme = state
        .programme()
        .await
        .map_err(|_| SubmitError::Db(sqlx::Error::PoolTimedOut))?;
    let team = state
        .config
        .contact_email
        .clone()
        .filter(|s| !s.is_empty())
        .or_else(|| (!programme.contact_email.is_empty()).then(|| programme.contact_email.clone()))
        .unwrap_or_else(|| state.config.mail_from.clone());
    let now = crate::db::now_ms();
    let mut tx = state.db.begin_write().await.map_err(SubmitError::Db)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO contact_messages (programme_id, name, email, organisation, subject, message, locale, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(programme.id)
    .bind(&req.name)
    .bind(&req.email)
    .bind(req.organisation.as_deref())
    .bind(req.topic)
    .bind(&req.message)
    .bind(locale.as_str())
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(SubmitError::Db)?;

    // The team reads French, the programme's working language.
    let fr = Tr(Locale::Fr);
    let topic_fr = fr.t(&format!("contact-topic-{}", req.topic));
    let team_mail = NewMail {
        kind: "contact.team",
        to: team,
        reply_to: Some(format!(
            "{} <{}>",
            req.name.replace(['<', '>', '"'], ""),
            req.email
        )),
        subject: fr.ts("mail-contact-team-subject", "topic", &topic_fr),
        body_text: format!(
            "{}\n\n{} : {}\n{} : {}\n{} : {}\n{} : {}\n\n{}\n",
            fr.ts("mail-contact-team-intro", "programme", &programme.name),
            fr.t("contact-name"),
            req.name,
            fr.t("contact-email"),
            req.email,
            fr.t("contact-organisation"),
            req.organisation.as_deref().unwrap_or("-"),
            fr.t("contact-topic"),
            topic_fr,
            req.message
        ),
    };
    outbox::enqueue(&mut tx, &team_mail)
        .await
        .map_err(SubmitError::Db)?;

    let tr = Tr(locale);
    let ack = NewMail {
        kind: "contact.ack",
        to: req.email.clone(),
        reply_to: None,
        subject: tr.ts("mail-contact-ack-subject", "programme", &programme.name),
        body_text: format!(
            "{}\n\n{}\n\n---\n{}\n",
            tr.ts("mail-contact-ack-hello", "name", &req.name),
            tr.t("mail-contact-ack-body"),
            req.message
        ),
    };
    outbox::enqueue(&mut tx, &ack)
        .await
        .map_err(SubmitError::Db)?;
    tx.commit().await.map_err(SubmitError::Db)?;
    state.mail_notify.notify_one();
    Ok(id)
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
