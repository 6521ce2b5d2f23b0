//! iCalendar (RFC 5545) feed writer, kept dependency-free so the feed format stays under our control.

/// Status of an event in a feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStatus {
    /// The event takes place as announced.
    Confirmed,
    /// The event was called off; it stays in the feed so subscribed clients remove it.
    Cancelled,
}

/// One VEVENT.
#[derive(Debug, Clone)]
pub struct Event {
    /// Globally unique identifier, e.g. "session-42@host".
    pub uid: String,
    /// DTSTAMP (Unix ms, UTC): time of the last modification.
    pub stamp_ms: i64,
    /// Start (Unix ms, UTC).
    pub start_ms: i64,
    /// End (Unix ms, UTC).
    pub end_ms: i64,
    /// One-line title.
    pub summary: String,
    /// Free text; any character is allowed.
    pub description: String,
    /// Place; an empty string omits LOCATION.
    pub location: String,
    /// Link to the event page; an empty string omits URL.
    pub url: String,
    /// Confirmed or cancelled.
    pub status: EventStatus,
    /// Revision number; clients only apply updates whose SEQUENCE grew.
    pub sequence: i64,
}

/// RFC 5545 section 3.1: content lines are limited to 75 octets, CRLF excluded.
const MAX_LINE_OCTETS: usize = 75;

/// A whole VCALENDAR document (CRLF line endings, lines folded at 75 octets without splitting a UTF-8 character).
pub fn calendar(name: &str, events: &[Event]) -> String {
    document("PUBLISH", name, events)
}

/// An iTIP cancellation (`METHOD:CANCEL`, RFC 5546 section 3.2.5): sent
/// with the same UID and a higher SEQUENCE, it removes the event from the
/// person's calendar.
pub fn cancellation(name: &str, events: &[Event]) -> String {
    document("CANCEL", name, events)
}

fn document(method: &str, name: &str, events: &[Event]) -> String {
    let mut out = String::new();
    push_line(&mut out, "BEGIN:VCALENDAR");
    push_line(&mut out, "VERSION:2.0");
    push_line(&mut out, "PRODID:-//Tremplin//Workshops//FR");
    push_line(&mut out, "CALSCALE:GREGORIAN");
    push_line(&mut out, &format!("METHOD:{method}"));
    push_line(&mut out, &format!("X-WR-CALNAME:{}", escape_text(name)));
    for event in events {
        push_event(&mut out, event);
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

fn push_event(out: &mut String, event: &Event) {
    push_line(out, "BEGIN:VEVENT");
    push_line(out, &format!("UID:{}", escape_text(&event.uid)));
    push_line(out, &format!("DTSTAMP:{}", utc_stamp(event.stamp_ms)));
    push_line(out, &format!("DTSTART:{}", utc_stamp(event.start_ms)));
    push_line(out, &format!("DTEND:{}", utc_stamp(event.end_ms)));
    // SEQUENCE is a non-negative integer in RFC 5545.
    push_line(out, &format!("SEQUENCE:{}", event.sequence.max(0)));
    let status = match event.status {
        EventStatus::Confirmed => "CONFIRMED",
        EventStatus::Cancelled => "CANCELLED",
    };
    push_line(out, &format!("STATUS:{status}"));
    push_line(out, &format!("SUMMARY:{}", escape_text(&event.summary)));
    if !event.description.is_empty() {
        push_line(
            out,
            &format!("DESCRIPTION:{}", escape_text(&event.description)),
        );
    }
    if !event.location.is_empty() {
        push_line(out, &format!("LOCATION:{}", escape_text(&event.location)));
    }
    let url = strip_controls(&event.url);
    if !url.is_empty() {
        push_line(out, &format!("URL:{url}"));
    }
    push_line(out, "END:VEVENT");
}

/// Escapes a TEXT value (RFC 5545 section 3.3.11).
fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            // CR only appears as half of CRLF, which the \n above already stands for.
            '\r' => {}
            // Other control characters are not allowed in TEXT and would break the line structure.
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// URI values are not TEXT-escaped, but a stray CR/LF would still inject lines into the feed.
fn strip_controls(value: &str) -> String {
    value.chars().filter(|c| !c.is_control()).collect()
}

/// Appends one content line, folded so that no physical line exceeds 75 octets.
fn push_line(out: &mut String, line: &str) {
    let mut rest = line;
    // The first physical line holds 75 octets; continuations spend one on the leading space.
    let mut limit = MAX_LINE_OCTETS;
    while rest.len() > limit {
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        // Some parsers trim trailing whitespace of each physical line before unfolding,
        // which would eat a space sitting right at the fold.
        let trimmed = rest[..cut].trim_end_matches([' ', '\t']).len();
        if trimmed > 0 {
            cut = trimmed;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = MAX_LINE_OCTETS - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// Formats Unix milliseconds as a UTC DATE-TIME (`YYYYMMDDTHHMMSSZ`).
fn utc_stamp(ms: i64) -> String {
    // DATE-TIME has a four-digit year, so clamp to 0000-01-01T00:00:00Z ..= 9999-12-31T23:59:59Z.
    const MIN_SECS: i64 = -62_167_219_200;
    const MAX_SECS: i64 = 253_402_300_799;
    // div_euclid rounds towards minus infinity, so -1 ms is 23:59:59 the day before.
    let secs = ms.div_euclid(1000).clamp(MIN_SECS, MAX_SECS);
    let days = secs.div_euclid(86_400);
    let day_secs = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        day_secs / 3600,
        day_secs % 3600 / 60,
        day_secs % 60
    )
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    // Shift the epoch to 0000-03-01 so leap days fall at the end of each 400-year era.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// One VEVENT read from someone else's calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadEvent {
    pub uid: String,
    pub summary: String,
    /// Unix ms, UTC.
    pub start_ms: i64,
    pub end_ms: i64,
    pub location: String,
    pub url: String,
    pub cancelled: bool,
}

/// Why a calendar could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// No `BEGIN:VCALENDAR`.
    NotACalendar,
    /// A VEVENT without a readable start, or unbalanced BEGIN/END.
    Malformed,
}

/// Read the events of an iCalendar document (RFC 5545): lines unfolded,
/// TEXT unescaped, DATE-TIME in UTC, with a TZID (`tz` names the zone) or
/// floating (read in `default_tz`), DATE (all day). Events without an end
/// last an hour (a day for dates). Recurrence rules are not expanded: the
/// first occurrence is kept.
pub fn read(text: &str, default_tz: &jiff::tz::TimeZone) -> Result<Vec<ReadEvent>, ReadError> {
    let text = text.trim_start_matches('\u{feff}');
    // Unfold: a line starting with a space or a tab continues the previous one.
    let mut lines: Vec<String> = Vec::new();
    for raw in text.split('\n') {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = raw.strip_prefix([' ', '\t']) {
            if let Some(last) = lines.last_mut() {
                last.push_str(rest);
                continue;
            }
        }
        if !raw.is_empty() {
            lines.push(raw.to_string());
        }
    }
    if !lines
        .first()
        .is_some_and(|l| l.eq_ignore_ascii_case("BEGIN:VCALENDAR"))
    {
        return Err(ReadError::NotACalendar);
    }
    let mut events = Vec::new();
    let mut current: Option<Vec<(String, String, String)>> = None;
    let mut depth = 0usize;
    for line in &lines {
        let Some((head, value)) = line.split_once(':') else {
            continue;
        };
        let (name, params) = match head.split_once(';') {
            Some((n, p)) => (n.to_ascii_uppercase(), p.to_string()),
            None => (head.to_ascii_uppercase(), String::new()),
        };
        match name.as_str() {
            "BEGIN" => {
                depth += 1;
                if value.eq_ignore_ascii_case("VEVENT") {
                    current = Some(Vec::new());
                }
            }
            "END" => {
                depth = depth.checked_sub(1).ok_or(ReadError::Malformed)?;
                if value.eq_ignore_ascii_case("VEVENT") {
                    let props = current.take().ok_or(ReadError::Malformed)?;
                    events.push(event_of(&props, default_tz)?);
                }
            }
            _ => {
                if let Some(props) = current.as_mut() {
                    props.push((name, params, value.to_string()));
                }
            }
        }
    }
    if depth != 0 || current.is_some() {
        return Err(ReadError::Malformed);
    }
    Ok(events)
}

fn event_of(
    props: &[(String, String, String)],
    default_tz: &jiff::tz::TimeZone,
) -> Result<ReadEvent, ReadError> {
    let get = |n: &str| props.iter().find(|(name, _, _)| name == n);
    let text = |n: &str| get(n).map(|(_, _, v)| unescape_text(v)).unwrap_or_default();
    let (_, p, v) = get("DTSTART").ok_or(ReadError::Malformed)?;
    let (start_ms, all_day) = instant(p, v, default_tz).ok_or(ReadError::Malformed)?;
    let end_ms = get("DTEND")
        .and_then(|(_, p, v)| instant(p, v, default_tz))
        .map(|(ms, _)| ms)
        .filter(|e| *e > start_ms)
        .unwrap_or(start_ms + if all_day { 86_400_000 } else { 3_600_000 });
    Ok(ReadEvent {
        uid: text("UID"),
        summary: text("SUMMARY"),
        start_ms,
        end_ms,
        location: text("LOCATION"),
        url: get("URL")
            .map(|(_, _, v)| v.trim().to_string())
            .unwrap_or_default(),
        cancelled: text("STATUS").eq_ignore_ascii_case("CANCELLED"),
    })
}

/// A DATE-TIME or DATE value as Unix ms; true for a DATE.
fn instant(params: &str, value: &str, default_tz: &jiff::tz::TimeZone) -> Option<(i64, bool)> {
    let value = value.trim();
    let digits = |s: &str| s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit());
    let date = |s: &str| -> Option<jiff::civil::Date> {
        if !digits(s) {
            return None;
        }
        jiff::civil::Date::new(
            s[..4].parse().ok()?,
            s[4..6].parse().ok()?,
            s[6..8].parse().ok()?,
        )
        .ok()
    };
    let tz = params
        .split(';')
        .find_map(|p| p.strip_prefix("TZID="))
        .and_then(|name| jiff::tz::TimeZone::get(name.trim_matches('"')).ok())
        .unwrap_or_else(|| default_tz.clone());
    if let Some(d) = date(value) {
        let z = d.to_zoned(tz).ok()?;
        return Some((z.timestamp().as_millisecond(), true));
    }
    let (d, rest) = value.split_once('T')?;
    let d = date(d)?;
    let (hms, utc) = match rest.strip_suffix('Z') {
        Some(h) => (h, true),
        None => (rest, false),
    };
    if hms.len() != 6 || !hms.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = jiff::civil::Time::new(
        hms[..2].parse().ok()?,
        hms[2..4].parse().ok()?,
        hms[4..6].parse::<i8>().ok()?.min(59),
        0,
    )
    .ok()?;
    let dt = d.to_datetime(t);
    let zone = if utc { jiff::tz::TimeZone::UTC } else { tz };
    Some((dt.to_zoned(zone).ok()?.timestamp().as_millisecond(), false))
}

/// Undo [`escape_text`].
fn unescape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else if !c.is_control() || c == '\t' {
            out.push(c);
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::ical::parser::ical::component::{IcalCalendar, IcalEvent};
    use std::io::BufReader;

    fn event() -> Event {
        Event {
            uid: "session-42@tremplin.example".into(),
            stamp_ms: 1_796_000_000_000,
            start_ms: 1_796_288_400_000,
            end_ms: 1_796_288_400_000 + 2 * 3600 * 1000,
            summary: "Atelier CV, lettre; entretien".into(),
            description: "Première ligne\nDeuxième, avec virgule; point-virgule\\ antislash".into(),
            location: "Salle B, 2ᵉ étage".into(),
            url: "https://tremplin.example/sessions/42".into(),
            status: EventStatus::Confirmed,
            sequence: 3,
        }
    }

    fn parse(text: &str) -> IcalCalendar {
        let mut parser = ::ical::IcalParser::new(BufReader::new(text.as_bytes()));
        let cal = parser
            .next()
            .expect("one calendar")
            .expect("valid iCalendar");
        assert!(parser.next().is_none());
        cal
    }

    /// The `ical` crate unfolds lines but leaves TEXT escapes in place, so undo them here.
    fn unescape(value: &str) -> String {
        let mut out = String::new();
        let mut chars = value.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n' | 'N') => out.push('\n'),
                    Some(other) => out.push(other),
                    None => panic!("dangling backslash in {value:?}"),
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    fn prop(event: &IcalEvent, name: &str) -> Option<String> {
        event
            .properties
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.value.clone().unwrap_or_default())
    }

    #[test]
    fn text_round_trips_through_a_real_parser() {
        let long: String = "Déroulé : café, présentations; exercices\\pratiques\n"
            .chars()
            .cycle()
            .take(300)
            .collect();
        let mut second = event();
        second.uid = "session-43@tremplin.example".into();
        second.description = long.clone();
        let text = calendar("Ateliers, Tremplin; été", &[event(), second]);
        assert!(text.contains("\r\n "), "300 chars must be folded");

        let cal = parse(&text);
        let calname = cal
            .properties
            .iter()
            .find(|p| p.name == "X-WR-CALNAME")
            .and_then(|p| p.value.clone())
            .unwrap();
        assert_eq!(unescape(&calname), "Ateliers, Tremplin; été");
        assert_eq!(cal.events.len(), 2);
        let first = &cal.events[0];
        let original = event();
        assert_eq!(unescape(&prop(first, "SUMMARY").unwrap()), original.summary);
        assert_eq!(
            unescape(&prop(first, "DESCRIPTION").unwrap()),
            original.description
        );
        assert_eq!(
            unescape(&prop(first, "LOCATION").unwrap()),
            original.location
        );
        assert_eq!(prop(first, "URL").unwrap(), original.url);
        assert_eq!(unescape(&prop(first, "UID").unwrap()), original.uid);
        assert_eq!(prop(first, "SEQUENCE").unwrap(), "3");
        assert_eq!(prop(first, "STATUS").unwrap(), "CONFIRMED");
        assert_eq!(
            unescape(&prop(&cal.events[1], "DESCRIPTION").unwrap()),
            long
        );
    }

    #[test]
    fn header_properties() {
        let cal = parse(&calendar("x", &[]));
        let get = |name: &str| {
            cal.properties
                .iter()
                .find(|p| p.name == name)
                .and_then(|p| p.value.clone())
        };
        assert_eq!(get("VERSION").as_deref(), Some("2.0"));
        assert_eq!(get("PRODID").as_deref(), Some("-//Tremplin//Workshops//FR"));
        assert_eq!(get("CALSCALE").as_deref(), Some("GREGORIAN"));
        assert_eq!(get("METHOD").as_deref(), Some("PUBLISH"));
        assert!(cal.events.is_empty());
    }

    #[test]
    fn dates_are_utc() {
        let cal = parse(&calendar("x", &[event()]));
        let ev = &cal.events[0];
        assert_eq!(prop(ev, "DTSTART").unwrap(), "20261203T090000Z");
        assert_eq!(prop(ev, "DTEND").unwrap(), "20261203T110000Z");
        assert_eq!(prop(ev, "DTSTAMP").unwrap(), "20261130T005320Z");
    }

    #[test]
    fn civil_conversion_edges() {
        assert_eq!(utc_stamp(0), "19700101T000000Z");
        assert_eq!(utc_stamp(999), "19700101T000000Z");
        assert_eq!(utc_stamp(-1), "19691231T235959Z");
        assert_eq!(utc_stamp(951_782_400_000), "20000229T000000Z");
        assert_eq!(utc_stamp(-2_207_520_001_234), "19000117T235958Z");
        assert_eq!(utc_stamp(-62_135_596_800_000), "00010101T000000Z");
        assert_eq!(utc_stamp(253_402_300_799_000), "99991231T235959Z");
        assert_eq!(utc_stamp(i64::MAX), "99991231T235959Z");
        assert_eq!(utc_stamp(i64::MIN), "00000101T000000Z");
    }

    #[test]
    fn cancelled_status() {
        let mut ev = event();
        ev.status = EventStatus::Cancelled;
        ev.sequence = 4;
        let cal = parse(&calendar("x", &[ev]));
        assert_eq!(prop(&cal.events[0], "STATUS").unwrap(), "CANCELLED");
        assert_eq!(prop(&cal.events[0], "SEQUENCE").unwrap(), "4");
    }

    #[test]
    fn empty_location_and_url_are_omitted() {
        let mut ev = event();
        ev.location.clear();
        ev.url.clear();
        let text = calendar("x", &[ev]);
        assert!(!text.contains("LOCATION"));
        assert!(!text.contains("URL:"));
        let cal = parse(&text);
        assert!(prop(&cal.events[0], "LOCATION").is_none());
        assert!(prop(&cal.events[0], "URL").is_none());
    }

    #[test]
    fn lines_are_short_and_crlf_terminated() {
        let mut ev = event();
        // Multi-byte characters at every offset force folds next to character boundaries.
        ev.description = " aé€😀".repeat(60);
        ev.summary = "x".repeat(200);
        for shift in 0..4 {
            ev.location = format!("{}{}", "y".repeat(shift), "é".repeat(100));
            let text = calendar("Ateliers", std::slice::from_ref(&ev));
            assert!(text.ends_with("\r\n"));
            let body = &text[..text.len() - 2];
            for line in body.split("\r\n") {
                assert!(
                    line.len() <= MAX_LINE_OCTETS,
                    "{} octets: {line}",
                    line.len()
                );
                assert!(!line.contains('\n') && !line.contains('\r'));
                assert!(!line.is_empty());
            }
            let cal = parse(&text);
            let got = &cal.events[0];
            assert_eq!(unescape(&prop(got, "DESCRIPTION").unwrap()), ev.description);
            assert_eq!(unescape(&prop(got, "LOCATION").unwrap()), ev.location);
            assert_eq!(unescape(&prop(got, "SUMMARY").unwrap()), ev.summary);
        }
    }

    #[test]
    fn escaping_rules() {
        assert_eq!(escape_text("a\\b;c,d\r\ne"), "a\\\\b\\;c\\,d\\ne");
        assert_eq!(escape_text("tab\there\u{7}"), "tab\there");
        assert_eq!(
            strip_controls("https://x/\r\nBEGIN:VEVENT"),
            "https://x/BEGIN:VEVENT"
        );
    }

    #[test]
    fn reads_back_what_it_writes_and_refuses_broken_calendars() {
        let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap();
        let text = calendar("Agenda", &[event()]);
        let read = super::read(&text, &tz).unwrap();
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].uid, "session-42@tremplin.example");
        assert_eq!(read[0].summary, "Atelier CV, lettre; entretien");
        assert_eq!(read[0].start_ms, event().start_ms);
        assert_eq!(read[0].end_ms, event().end_ms);
        assert_eq!(read[0].location, "Salle B, 2ᵉ étage");
        assert!(!read[0].cancelled);
        let local = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nSUMMARY:Local\nDTSTART;TZID=Europe/Paris:20270121T140000\nEND:VEVENT\nBEGIN:VEVENT\nUID:b\nDTSTART;VALUE=DATE:20270122\nEND:VEVENT\nEND:VCALENDAR\n";
        let read = super::read(local, &tz).unwrap();
        assert_eq!(read[0].start_ms, 1_800_536_400_000);
        assert_eq!(read[0].end_ms - read[0].start_ms, 3_600_000);
        assert_eq!(read[1].end_ms - read[1].start_ms, 86_400_000);
        assert_eq!(super::read("<html>", &tz), Err(ReadError::NotACalendar));
        assert_eq!(
            super::read(
                "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nEND:VEVENT\nEND:VCALENDAR",
                &tz
            ),
            Err(ReadError::Malformed)
        );
        assert_eq!(
            super::read(
                "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20270101T100000Z\n",
                &tz
            ),
            Err(ReadError::Malformed)
        );
    }
}
