//! The mails of needs, one compose function per kind: a new matching need
//! (to providers), a reply (to the business), a choice or a decline (to the
//! provider). Composing is pure; callers queue the result in their transaction.

use url::Url;

use super::model::Need;
use crate::i18n::{Locale, Tr};
use crate::kernel::{dates, links};
use crate::outbox::NewMail;

/// What mails need to know about the deployment.
pub struct MailEnv {
    pub base: Url,
    pub programme: String,
    /// The language of card addresses, whose reader's language is unknown.
    pub default: Locale,
}

/// "Label : value" as the locale writes it, with a line break.
fn fact(tr: Tr, label: &str, value: &str) -> String {
    format!(
        "{}\n",
        tr.args("need-fact", &[("label", &tr.t(label)), ("value", value)])
    )
}

/// The need in a few lines: title, business, goal, themes, budget, deadline.
fn need_facts(tr: Tr, need: &Need) -> String {
    let mut body = String::new();
    body.push_str(&need.shown_title(tr));
    body.push('\n');
    if !need.business_name.is_empty() {
        body.push_str(&format!(
            "{} — {}\n",
            need.business_name,
            need.territory(tr)
        ));
    }
    let summary = need.summary();
    if !summary.is_empty() {
        body.push_str(&fact(tr, "need-field-goal", &summary));
    }
    let themes = need.theme_names(tr);
    if !themes.is_empty() {
        body.push_str(&fact(tr, "need-field-themes", &themes.join(", ")));
    }
    if let Some(budget) = need.budget() {
        body.push_str(&fact(tr, "need-field-budget", &tr.t(budget.label_key())));
    }
    if !need.deadline.is_empty() {
        body.push_str(&fact(
            tr,
            "need-field-deadline",
            &dates::show_date_text(tr.0, &need.deadline),
        ));
    }
    body
}

/// To a matching provider: a need was published.
pub fn need_published(
    env: &MailEnv,
    locale: Locale,
    to: String,
    need: &Need,
    provider: &str,
) -> NewMail {
    let tr = Tr(locale);
    let link = links::absolute(&env.base, &format!("/prestataire/besoins/{}", need.id));
    let body = format!(
        "{}\n\n{}\n\n{}\n\n{}\n{link}\n\n{}\n",
        tr.t("mail-hello-anonymous"),
        tr.args(
            "need-mail-new-intro",
            &[("programme", &env.programme), ("provider", provider)]
        ),
        need_facts(tr, need).trim_end(),
        tr.t("need-mail-new-link"),
        tr.t("need-mail-new-footer"),
    );
    NewMail {
        kind: "need_published",
        to,
        reply_to: None,
        subject: tr.ts("need-mail-new-subject", "title", &need.shown_title(tr)),
        body_text: body,
    }
}

/// To a provider: the business chose (`chosen`) or declined its reply.
pub fn decision(
    env: &MailEnv,
    locale: Locale,
    to: String,
    need: &Need,
    provider: &str,
    chosen: bool,
) -> NewMail {
    let tr = Tr(locale);
    let (kind, subject, intro) = if chosen {
        (
            "need_chosen",
            "need-mail-chosen-subject",
            "need-mail-chosen-body",
        )
    } else {
        (
            "need_declined",
            "need-mail-declined-subject",
            "need-mail-declined-body",
        )
    };
    let title = need.shown_title(tr);
    let link = links::absolute(&env.base, &format!("/prestataire/besoins/{}", need.id));
    let body = format!(
        "{}\n\n{}\n\n{link}\n",
        tr.t("mail-hello-anonymous"),
        tr.args(
            intro,
            &[
                ("provider", provider),
                ("title", &title),
                ("business", &need.business_name)
            ]
        ),
    );
    NewMail {
        kind,
        to,
        reply_to: None,
        subject: tr.ts(subject, "title", &title),
        body_text: body,
    }
}

/// To the need's author: a provider replied (or updated its reply).
pub fn reply(
    env: &MailEnv,
    locale: Locale,
    to: String,
    need: &Need,
    provider: &str,
    message: &str,
    updated: bool,
) -> NewMail {
    let tr = Tr(locale);
    let title = need.shown_title(tr);
    let subject_key = if updated {
        "need-mail-reply-updated-subject"
    } else {
        "need-mail-reply-subject"
    };
    let link = links::absolute(&env.base, &format!("/besoins/{}", need.id));
    let body = format!(
        "{}\n\n{}\n\n{message}\n\n{}\n{link}\n",
        tr.t("mail-hello-anonymous"),
        tr.args(
            "need-mail-reply-intro",
            &[("provider", provider), ("title", &title)]
        ),
        tr.t("need-mail-reply-link"),
    );
    NewMail {
        kind: "need_reply",
        to,
        reply_to: None,
        subject: tr.args(subject_key, &[("provider", provider), ("title", &title)]),
        body_text: body,
    }
}

/// A new message on a need: to the provider's card (`path` is the
/// provider's page) or to the need's author (the business's page).
pub fn message(
    env: &MailEnv,
    locale: Locale,
    to: String,
    need: &Need,
    from: &str,
    body: &str,
    path: &str,
) -> NewMail {
    let tr = Tr(locale);
    let title = need.shown_title(tr);
    let link = links::absolute(&env.base, path);
    let text = format!(
        "{}\n\n{}\n\n{body}\n\n{}\n{link}\n",
        tr.t("mail-hello-anonymous"),
        tr.args(
            "needr-mail-message-intro",
            &[("from", from), ("title", &title)]
        ),
        tr.t("needr-mail-message-link"),
    );
    NewMail {
        kind: "need_message",
        to,
        reply_to: None,
        subject: tr.args(
            "needr-mail-message-subject",
            &[("from", from), ("title", &title)],
        ),
        body_text: text,
    }
}
