//! The mail of the notice board: the author hears how a post was moderated.

use url::Url;

use crate::i18n::{Locale, Tr};
use crate::kernel::links;
use crate::outbox::NewMail;

/// To a post's author: it was published, or rejected (with the note).
pub fn moderated(
    base: &Url,
    locale: Locale,
    to: String,
    title: &str,
    published: bool,
    note: &str,
) -> NewMail {
    let tr = Tr(locale);
    let (subject, intro) = if published {
        ("board-mail-published-subject", "board-mail-published-body")
    } else {
        ("board-mail-rejected-subject", "board-mail-rejected-body")
    };
    let mut body = format!(
        "{}\n\n{}\n",
        tr.t("mail-hello-anonymous"),
        tr.ts(intro, "title", title)
    );
    if !note.is_empty() {
        body.push_str(&format!("\n{}\n{note}\n", tr.t("board-mail-note")));
    }
    body.push_str(&format!("\n{}\n", links::absolute(base, "/annonces")));
    NewMail {
        kind: "board_moderation",
        to,
        reply_to: None,
        subject: tr.ts(subject, "title", title),
        body_text: body,
    }
}
