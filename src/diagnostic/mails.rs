//! Mails of the diagnostic, one compose function per kind.

use crate::i18n::Tr;
use crate::outbox::NewMail;

/// "Here is the link to your diagnostic": sent to whoever asks for it on
/// the summary page, so they can come back later. `link` is absolute.
pub fn link(tr: Tr, to: &str, link: &str) -> NewMail {
    NewMail {
        kind: "diagnostic.link",
        to: to.to_string(),
        reply_to: None,
        subject: tr.t("diag-mail-link-subject"),
        body_text: format!(
            "{}\n\n{}\n{}\n\n{}\n",
            tr.t("mail-hello-anonymous"),
            tr.t("diag-mail-link-body"),
            link,
            tr.t("diag-mail-link-private")
        ),
    }
}
