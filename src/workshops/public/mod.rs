//! Public pages: the agenda and its calendar feed, a session's page and
//! registration, and the person's private link (confirm, cancel, accept an
//! offer, give feedback).

pub mod agenda;
pub mod manage;
pub mod session;

use super::booking::Env;
use super::model::Session;
use crate::i18n::Tr;
use crate::kernel::dates;
use crate::state::AppState;
use crate::web::PageCtx;

/// Booking environment of this request.
pub fn env<'a>(state: &'a AppState, ctx: &'a PageCtx) -> Env<'a> {
    Env {
        db: &state.db,
        caches: &state.workshops,
        batch: &state.bookings,
        base_url: state.config.base_url.as_str(),
        timezone: &ctx.programme.timezone,
    }
}

/// A session prepared for display.
pub struct Card {
    pub s: Session,
    pub when: String,
    pub date_short: String,
    pub place: String,
    pub format_label: String,
    pub seats: String,
    pub full: bool,
    /// `scheduled`, `held` or `cancelled` (see [`Session::state_at`]).
    pub state: &'static str,
    /// The label of `state`.
    pub state_label: String,
}

impl Card {
    /// Prepare a session for the visitor's language.
    pub fn new(tr: Tr, tz: &jiff::tz::TimeZone, s: Session) -> Card {
        let lang = tr.lang();
        let full = s.seats_left() == 0;
        let (state, state_key) = s.state_at(crate::db::now_ms());
        let seats = if state != "scheduled" {
            tr.t(state_key)
        } else if full {
            tr.t("ws-full")
        } else {
            tr.tn("ws-seats-left", "count", s.seats_left())
        };
        Card {
            state,
            state_label: tr.t(state_key),
            when: dates::span(tr, tz, s.starts_at, s.ends_at),
            date_short: dates::date_input(tz, s.starts_at),
            place: match s.place(lang) {
                p if p.is_empty() => tr.t("ws-online"),
                p => p,
            },
            format_label: tr.t(s.format.label_key()),
            seats,
            full,
            s,
        }
    }
}
