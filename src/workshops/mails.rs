//! Mails sent to registrants. Every one carries the person's private link,
//! which is also the cancellation link.

use super::booking::Registration;
use super::model::Session;
use crate::i18n::Tr;
use crate::ical::{self, EventStatus};
use crate::kernel::dates;
use crate::kernel::links::absolute_str;
use crate::outbox::{Attachment, NewMail};

/// Why a registrant is written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Confirm your e-mail address to book.
    ConfirmAddress,
    /// Your seat is booked (calendar attached).
    Confirmed,
    /// You are on the waiting list.
    Waiting,
    /// A seat freed up: accept it before the deadline.
    Offered,
    /// The offer lapsed.
    OfferExpired,
    /// Your cancellation is recorded.
    Cancelled,
    /// Date, time or place changed (new calendar attached).
    SessionChanged,
    /// The session is cancelled.
    SessionCancelled,
    /// The session is soon.
    Reminder,
    /// Tell us how it went.
    Feedback,
}

impl Kind {
    /// The mail that follows a booking outcome.
    pub fn for_outcome(o: super::booking::Outcome) -> Kind {
        match o {
            super::booking::Outcome::Pending => Kind::ConfirmAddress,
            super::booking::Outcome::Confirmed => Kind::Confirmed,
            super::booking::Outcome::Waiting(_) => Kind::Waiting,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Kind::ConfirmAddress => "confirm-address",
            Kind::Confirmed => "confirmed",
            Kind::Waiting => "waiting",
            Kind::Offered => "offered",
            Kind::OfferExpired => "lapsed",
            Kind::Cancelled => "cancelled",
            Kind::SessionChanged => "changed",
            Kind::SessionCancelled => "session-cancelled",
            Kind::Reminder => "reminder",
            Kind::Feedback => "feedback",
        }
    }

    fn with_calendar(self) -> bool {
        matches!(
            self,
            Kind::Confirmed
                | Kind::SessionChanged
                | Kind::Reminder
                | Kind::SessionCancelled
                | Kind::Cancelled
        )
    }

    /// True when the attached calendar removes the event (iTIP `CANCEL`).
    fn cancels_event(self) -> bool {
        matches!(self, Kind::SessionCancelled | Kind::Cancelled)
    }
}

/// The calendar event of a session. The video-conference link goes only
/// into registrants' invitations, never into public feeds.
pub fn event(session: &Session, base_url: &str, lang: &str, for_registrant: bool) -> ical::Event {
    let host = url::Url::parse(base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "tremplin".into());
    let mut description = session.description(lang).to_string();
    if for_registrant && !session.online_url.is_empty() {
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(&session.online_url);
    }
    ical::Event {
        uid: format!("session-{}@{host}", session.id),
        stamp_ms: session.updated_at,
        start_ms: session.starts_at,
        end_ms: session.ends_at,
        summary: session.title(lang).to_string(),
        description,
        location: session.place(lang),
        url: absolute_str(base_url, &format!("/ateliers/{}", session.id)),
        status: if session.is_cancelled() {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        },
        sequence: session.sequence,
    }
}

/// The event as a cancellation: same UID, status cancelled and a SEQUENCE
/// above every invitation sent so far, so calendars apply it.
pub fn cancelled_event(session: &Session, base_url: &str, lang: &str) -> ical::Event {
    let mut e = event(session, base_url, lang, false);
    e.status = EventStatus::Cancelled;
    e.sequence = session.sequence + 1;
    e.stamp_ms = crate::db::now_ms();
    e
}

/// Build the mail of `kind` for one registrant.
pub fn compose(
    kind: Kind,
    reg: &Registration,
    session: &Session,
    base_url: &str,
    timezone: &str,
    token: &str,
) -> (NewMail, Vec<Attachment>) {
    let tr = Tr(reg.locale());
    let lang = tr.lang();
    let tz = dates::zone(timezone);
    let title = session.title(lang);
    let when = dates::span(tr, &tz, session.starts_at, session.ends_at);
    let place = match session.place(lang) {
        p if p.is_empty() => tr.t("ws-online"),
        p => p,
    };
    let manage = absolute_str(base_url, &format!("/ateliers/i/{token}"));
    let code = kind.code();
    let mut body = format!("{}\n\n", tr.ts("mail-hello", "name", &reg.name));
    let expires = reg
        .offer_expires_at
        .map(|e| {
            format!(
                "{}, {}",
                dates::long_date(tr, &tz, e),
                dates::clock(tr, &tz, e)
            )
        })
        .unwrap_or_default();
    body.push_str(&tr.args(
        &format!("ws-mail-{code}-body"),
        &[("title", title), ("expires", &expires)],
    ));
    body.push_str("\n\n");
    body.push_str(&format!(
        "{title}\n{}: {when}\n{}: {place}\n",
        tr.t("ws-when"),
        tr.t("ws-where")
    ));
    if !session.online_url.is_empty() && kind != Kind::SessionCancelled {
        body.push_str(&format!("{}: {}\n", tr.t("ws-online"), session.online_url));
    }
    if kind == Kind::SessionCancelled && !session.cancel_reason.is_empty() {
        body.push_str(&format!(
            "{}: {}\n",
            tr.t("ws-cancel-reason"),
            session.cancel_reason
        ));
    }
    body.push('\n');
    match kind {
        Kind::ConfirmAddress => {
            body.push_str(&format!("{}\n{manage}\n\n", tr.t("ws-mail-confirm-link")));
        }
        Kind::Offered => {
            body.push_str(&format!("{}\n{manage}\n\n", tr.t("ws-mail-offer-link")));
        }
        Kind::Feedback => {
            body.push_str(&format!(
                "{}\n{manage}/avis\n\n",
                tr.t("ws-mail-feedback-link")
            ));
        }
        _ => {}
    }
    body.push_str(&format!("{}\n{manage}\n\n", tr.t("ws-mail-manage-link")));
    body.push_str(&format!(
        "{}\n{}\n",
        tr.t("ws-mail-session-page"),
        absolute_str(base_url, &format!("/ateliers/{}", session.id))
    ));
    let mail = NewMail {
        kind: "workshops.registration",
        to: reg.email.clone(),
        reply_to: None,
        subject: tr.args(&format!("ws-mail-{code}-subject"), &[("title", title)]),
        body_text: body,
    };
    let attachments = if kind.cancels_event() {
        vec![Attachment {
            filename: format!("atelier-{}.ics", session.id),
            mime: "text/calendar; charset=utf-8; method=CANCEL".into(),
            content: ical::cancellation(title, &[cancelled_event(session, base_url, lang)]),
        }]
    } else if kind.with_calendar() {
        vec![Attachment {
            filename: format!("atelier-{}.ics", session.id),
            mime: "text/calendar; charset=utf-8; method=PUBLISH".into(),
            content: ical::calendar(title, &[event(session, base_url, lang, true)]),
        }]
    } else {
        vec![]
    };
    (mail, attachments)
}
