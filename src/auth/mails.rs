//! Mails about accounts, one compose function per kind. Each carries an
//! absolute link built from the configured base URL.

use url::Url;

use super::model::{LinkPurpose, Role};
use crate::i18n::Tr;
use crate::kernel::links::absolute;
use crate::outbox::NewMail;

/// "Confirm your address": the link that activates a new account.
pub fn verification(tr: Tr, base: &Url, name: &str, email: &str, token: &str) -> NewMail {
    NewMail {
        kind: "auth.verify",
        to: email.to_string(),
        reply_to: None,
        subject: tr.t("mail-verify-subject"),
        body_text: format!(
            "{}\n\n{}\n{}\n\n{}\n",
            tr.ts("mail-hello", "name", name),
            tr.t("mail-verify-body"),
            absolute(base, &LinkPurpose::Verify.path(token)),
            tr.t("mail-verify-expiry")
        ),
    }
}

/// Someone signed up again with an address that has an account: its owner is
/// told by mail, while the screen says the same as for a new account.
pub fn existing_account(tr: Tr, base: &Url, name: &str, email: &str) -> NewMail {
    NewMail {
        kind: "auth.signup-existing",
        to: email.to_string(),
        reply_to: None,
        subject: tr.t("mail-existing-subject"),
        body_text: format!(
            "{}\n\n{}\n{}\n\n{}\n{}\n",
            tr.ts("mail-hello", "name", name),
            tr.t("mail-existing-body"),
            absolute(base, "/connexion"),
            tr.t("mail-existing-reset"),
            absolute(base, "/mot-de-passe-oublie")
        ),
    }
}

/// The short-lived link that sets a new password.
pub fn reset(tr: Tr, base: &Url, name: &str, email: &str, token: &str) -> NewMail {
    NewMail {
        kind: "auth.reset",
        to: email.to_string(),
        reply_to: None,
        subject: tr.t("mail-reset-subject"),
        body_text: format!(
            "{}\n\n{}\n{}\n\n{}\n",
            tr.ts("mail-hello", "name", name),
            tr.t("mail-reset-body"),
            absolute(base, &LinkPurpose::Reset.path(token)),
            tr.t("mail-reset-expiry")
        ),
    }
}

/// Who invites, and where replies go.
pub struct Inviter<'a> {
    pub name: &'a str,
    pub email: Option<&'a str>,
}

/// An invitation to join the programme team with `roles`.
pub fn invitation(
    tr: Tr,
    base: &Url,
    programme: &str,
    inviter: Inviter<'_>,
    email: &str,
    roles: &[Role],
    token: &str,
) -> NewMail {
    let labels: Vec<String> = roles.iter().map(|r| tr.t(r.label_key())).collect();
    NewMail {
        kind: "auth.invite",
        to: email.to_string(),
        reply_to: inviter.email.map(str::to_string),
        subject: tr.ts("mail-invite-subject", "programme", programme),
        body_text: format!(
            "{}\n\n{}\n{}\n\n{}\n{}\n\n{}\n",
            tr.t("mail-hello-anonymous"),
            tr.ts("mail-invite-body", "inviter", inviter.name),
            tr.ts("mail-invite-roles", "roles", &labels.join(", ")),
            tr.t("mail-invite-link"),
            absolute(base, &LinkPurpose::Invite.path(token)),
            tr.t("mail-invite-expiry")
        ),
    }
}
