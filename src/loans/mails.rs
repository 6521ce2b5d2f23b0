//! The mail of equipment loans: a reminder before the due date.

use crate::i18n::{Locale, Tr};
use crate::outbox::NewMail;

/// The reminder sent a few days before `due` (YYYY-MM-DD).
pub fn reminder(
    base_url: &str,
    to: &str,
    person: &str,
    locale: &str,
    business: &str,
    item: &str,
    due: &str,
) -> NewMail {
    let tr = Tr(Locale::from_tag(locale).unwrap_or(Locale::Fr));
    let when = crate::kernel::dates::show_date_text(tr.0, due);
    let link = crate::kernel::links::absolute_str(base_url, "/contact");
    NewMail {
        kind: "loans.reminder",
        to: to.to_string(),
        reply_to: None,
        subject: tr.ts("loans-mail-subject", "item", item),
        body_text: format!(
            "{}\n\n{}\n\n{}\n{link}\n",
            tr.ts("mail-hello", "name", person),
            tr.args(
                "loans-mail-body",
                &[("item", item), ("business", business), ("due", &when)]
            ),
            tr.t("loans-mail-contact"),
        ),
    }
}
