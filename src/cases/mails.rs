//! The mails of follow-up files, one compose function per kind. Composing
//! is pure; callers queue the result in their transaction.

use crate::i18n::Tr;
use crate::kernel::links;
use crate::outbox::NewMail;

/// A referral sent to a partner body, with its private answer link.
pub fn referral(
    tr: Tr,
    base: &str,
    programme: &str,
    to: &str,
    business: &str,
    note: &str,
    token: &str,
) -> NewMail {
    let link = links::absolute_str(base, &format!("/orientation/{token}"));
    NewMail {
        kind: "cases.referral",
        to: to.to_string(),
        reply_to: None,
        subject: tr.args(
            "mail-referral-subject",
            &[("programme", programme), ("business", business)],
        ),
        body_text: format!(
            "{}\n\n{}\n\n{}\n{link}\n",
            tr.args(
                "mail-referral-body",
                &[("programme", programme), ("business", business)]
            ),
            note,
            tr.t("mail-referral-link"),
        ),
    }
}

/// A reminder to a body that has not answered a referral.
pub fn referral_reminder(
    tr: Tr,
    base: &str,
    programme: &str,
    to: &str,
    business: &str,
    token_link: &str,
    n: i64,
) -> NewMail {
    NewMail {
        kind: "cases.referral-reminder",
        to: to.to_string(),
        reply_to: None,
        subject: tr.args(
            "mail-referral-reminder-subject",
            &[("programme", programme), ("business", business)],
        ),
        body_text: format!(
            "{}\n\n{}\n",
            tr.tn("mail-referral-reminder-body", "count", n),
            links::absolute_str(base, token_link)
        ),
    }
}

/// The requester is told that an adviser took their request (or declined it).
pub fn request_answer(
    tr: Tr,
    programme: &str,
    to: &str,
    name: &str,
    adviser: &str,
    reason: Option<&str>,
) -> NewMail {
    let (kind, subject, body) = match reason {
        None => (
            "coaching.taken",
            tr.ts("mail-request-taken-subject", "programme", programme),
            tr.args(
                "mail-request-taken-body",
                &[("name", name), ("adviser", adviser)],
            ),
        ),
        Some(r) => (
            "coaching.declined",
            tr.ts("mail-request-declined-subject", "programme", programme),
            format!(
                "{}\n\n{r}",
                tr.ts("mail-request-declined-body", "name", name)
            ),
        ),
    };
    NewMail {
        kind,
        to: to.to_string(),
        reply_to: None,
        subject,
        body_text: format!("{body}\n"),
    }
}

/// The adviser is reminded of a planned activity.
pub fn activity_reminder(
    tr: Tr,
    base: &str,
    to: &str,
    business: &str,
    title: &str,
    when: &str,
    case_id: i64,
) -> NewMail {
    NewMail {
        kind: "cases.activity-reminder",
        to: to.to_string(),
        reply_to: None,
        subject: tr.args(
            "mail-activity-reminder-subject",
            &[("business", business), ("when", when)],
        ),
        body_text: format!(
            "{}\n\n{}\n",
            tr.args(
                "mail-activity-reminder-body",
                &[("title", title), ("business", business), ("when", when)]
            ),
            links::absolute_str(base, &format!("/dossiers/{case_id}"))
        ),
    }
}

/// The adviser's weekly digest: lines already written.
pub fn digest(tr: Tr, base: &str, to: &str, lines: &[String]) -> NewMail {
    NewMail {
        kind: "cases.digest",
        to: to.to_string(),
        reply_to: None,
        subject: tr.t("mail-digest-subject"),
        body_text: format!(
            "{}\n\n{}\n\n{}\n",
            tr.t("mail-digest-intro"),
            lines.join("\n"),
            links::absolute_str(base, "/accueil")
        ),
    }
}
