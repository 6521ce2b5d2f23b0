//! Mails of the contact form, one compose function per kind.

use super::model::ContactRequest;
use crate::i18n::{Locale, Tr};
use crate::outbox::NewMail;

/// The message forwarded to the team, in French (the programme's working
/// language), answerable straight to the sender.
pub fn to_team(team: String, programme: &str, req: &ContactRequest) -> NewMail {
    let fr = Tr(Locale::Fr);
    let topic = super::model::Topic::from_code(req.topic).unwrap_or(super::model::Topic::General);
    let topic_fr = fr.t(topic.label_key());
    NewMail {
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
            fr.ts("mail-contact-team-intro", "programme", programme),
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
    }
}

/// The acknowledgement to the sender, in their language, quoting the message.
pub fn acknowledgement(tr: Tr, programme: &str, req: &ContactRequest) -> NewMail {
    NewMail {
        kind: "contact.ack",
        to: req.email.clone(),
        reply_to: None,
        subject: tr.ts("mail-contact-ack-subject", "programme", programme),
        body_text: format!(
            "{}\n\n{}\n\n---\n{}\n",
            tr.ts("mail-contact-ack-hello", "name", &req.name),
            tr.t("mail-contact-ack-body"),
            req.message
        ),
    }
}
