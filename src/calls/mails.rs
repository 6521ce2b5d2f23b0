//! The mails of calls for projects: to each juror when a call closes
//! (judging starts), and to the applicant when the manager decides on
//! their application. Each in the recipient's language.

use crate::i18n::{Locale, Tr};
use crate::kernel::money::Euros;
use crate::outbox::NewMail;

/// Who receives a mail: address, name, locale tag.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Recipient {
    pub email: String,
    pub name: String,
    pub locale: String,
}

impl Recipient {
    fn tr(&self) -> Tr {
        Tr(Locale::from_tag(&self.locale).unwrap_or(Locale::Fr))
    }
}

/// A call's title in `locale` (French when there is no English one).
fn title<'a>(locale: Locale, fr: &'a str, en: &'a str) -> &'a str {
    crate::kernel::bilingual::Bilingual::new(fr, en).get(locale)
}

/// To a juror: the call has closed, `submitted` applications await their
/// score sheet.
pub fn jury_open(
    base_url: &str,
    to: &Recipient,
    (title_fr, title_en): (&str, &str),
    submitted: i64,
) -> NewMail {
    let tr = to.tr();
    let call = title(tr.0, title_fr, title_en);
    let link = crate::kernel::links::absolute_str(base_url, "/jury");
    NewMail {
        kind: "calls.jury",
        to: to.email.clone(),
        reply_to: None,
        subject: tr.ts("calls-mail-jury-subject", "call", call),
        body_text: format!(
            "{}\n\n{}\n\n{}\n{link}\n",
            tr.ts("mail-hello", "name", &to.name),
            tr.args(
                "calls-mail-jury-body",
                &[("call", call), ("count", &submitted.to_string())]
            ),
            tr.t("calls-mail-jury-link"),
        ),
    }
}

/// To the applicant: their application to a call was awarded (with the
/// amount granted, when there is one) or not selected.
pub fn decided(
    base_url: &str,
    to: &Recipient,
    call_id: i64,
    (title_fr, title_en): (&str, &str),
    awarded: bool,
    amount: Option<Euros>,
) -> NewMail {
    let tr = to.tr();
    let call = title(tr.0, title_fr, title_en);
    let link = crate::kernel::links::absolute_str(base_url, &format!("/appels/{call_id}"));
    let (kind, subject, body) = if awarded {
        (
            "calls.awarded",
            "calls-mail-awarded-subject",
            "calls-mail-awarded-body",
        )
    } else {
        (
            "calls.not-selected",
            "calls-mail-not-selected-subject",
            "calls-mail-not-selected-body",
        )
    };
    let mut text = format!(
        "{}\n\n{}\n",
        tr.ts("mail-hello", "name", &to.name),
        tr.ts(body, "call", call)
    );
    if let (true, Some(amount)) = (awarded, amount) {
        text.push('\n');
        text.push_str(&tr.ts("calls-mail-amount", "amount", &amount.format(tr.0)));
        text.push('\n');
    }
    text.push_str(&format!("\n{}\n{link}\n", tr.t("calls-mail-see")));
    NewMail {
        kind,
        to: to.email.clone(),
        reply_to: None,
        subject: tr.ts(subject, "call", call),
        body_text: text,
    }
}
