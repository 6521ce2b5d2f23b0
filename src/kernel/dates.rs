//! Dates and times, with jiff only. Instants are stored as Unix milliseconds
//! (UTC); forms and pages speak the programme's wall clock, and the tz
//! database is bundled in the binary, so "Europe/Paris" works on a machine
//! without tzdata. No date a person sees is ever in UTC.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

use crate::i18n::{Locale, Tr};

/// The programme's zone; an unknown name falls back to UTC rather than failing a page.
pub fn zone(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap_or(TimeZone::UTC)
}

/// Parse a calendar date as a date field sends it (`2027-01-21`) or as a
/// French speaker types it (`21/01/2027`, `21/1/2027`, `21.01.2027`).
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.len() == 10 && s.as_bytes()[4] == b'-' {
        return s.parse::<Date>().ok();
    }
    let mut parts = s.split(['/', '.']);
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || d.len() > 2 || m.len() > 2 {
        return None;
    }
    let num = |p: &str| -> Option<i16> {
        (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    Date::new(num(y)?, num(m)? as i8, num(d)? as i8).ok()
}

/// A date as the locale writes it: "21/01/2027" / "21 Jan 2027".
pub fn short_date(locale: Locale, d: Date) -> String {
    match locale {
        Locale::Fr => format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year()),
        Locale::En => format!(
            "{} {} {:04}",
            d.day(),
            MONTHS_EN[(d.month() - 1) as usize],
            d.year()
        ),
    }
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// An instant as the locale writes it, on the programme's clock:
/// "22/11/2026 06:46" / "22 Nov 2026, 06:46".
pub fn date_time(locale: Locale, tz: &TimeZone, ms: i64) -> String {
    let z = zoned(tz, ms);
    let day = short_date(locale, z.date());
    match locale {
        Locale::Fr => format!("{day} {:02}:{:02}", z.hour(), z.minute()),
        Locale::En => format!("{day}, {:02}:{:02}", z.hour(), z.minute()),
    }
}

/// The day of an instant on the programme's clock: "21/01/2027" / "21 Jan 2027".
pub fn day(locale: Locale, tz: &TimeZone, ms: i64) -> String {
    short_date(locale, zoned(tz, ms).date())
}

/// A stored `YYYY-MM-DD` text shown the locale's way; anything else as it is.
pub fn show_date_text(locale: Locale, s: &str) -> String {
    match parse_date(s) {
        Some(d) => short_date(locale, d),
        None => s.to_string(),
    }
}

/// Parse `HH:MM` (24-hour clock; `9:00` and `09h00` accepted).
pub fn parse_time(s: &str) -> Option<Time> {
    let s = s.trim().replace(['h', 'H'], ":");
    let (h, m) = s.split_once(':')?;
    let h: i8 = h.trim().parse().ok()?;
    let m: i8 = if m.trim().is_empty() {
        0
    } else {
        m.trim().parse().ok()?
    };
    Time::new(h, m, 0, 0).ok()
}

/// A wall-clock date and time in `tz` as Unix milliseconds. Times that do
/// not exist (spring forward) move forward like a wall clock does.
pub fn to_ms(tz: &TimeZone, date: Date, time: Time) -> Option<i64> {
    let dt = DateTime::from_parts(date, time);
    let z = dt.to_zoned(tz.clone()).ok()?;
    Some(z.timestamp().as_millisecond())
}

/// Unix milliseconds as a zoned time.
pub fn zoned(tz: &TimeZone, ms: i64) -> Zoned {
    Timestamp::from_millisecond(ms)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned(tz.clone())
}

/// `YYYY-MM-DD` for a date input.
pub fn date_input(tz: &TimeZone, ms: i64) -> String {
    let z = zoned(tz, ms);
    format!("{:04}-{:02}-{:02}", z.year(), z.month(), z.day())
}

/// `HH:MM` for a time input.
pub fn time_input(tz: &TimeZone, ms: i64) -> String {
    let z = zoned(tz, ms);
    format!("{:02}:{:02}", z.hour(), z.minute())
}

/// "jeudi 3 décembre 2026" / "Thursday 3 December 2026".
pub fn long_date(tr: Tr, tz: &TimeZone, ms: i64) -> String {
    let z = zoned(tz, ms);
    let wd = z.weekday().to_monday_one_offset();
    let weekday = tr.t(&format!("weekday-{wd}"));
    let month = tr.t(&format!("month-{}", z.month()));
    format!("{weekday} {} {month} {}", z.day(), z.year())
}

/// "09:00" / "9:00 am" for the locale.
pub fn clock(tr: Tr, tz: &TimeZone, ms: i64) -> String {
    let z = zoned(tz, ms);
    match tr.0 {
        Locale::Fr => format!("{:02}h{:02}", z.hour(), z.minute()),
        Locale::En => format!("{:02}:{:02}", z.hour(), z.minute()),
    }
}

/// "jeudi 3 décembre 2026, 09h00–10h00".
pub fn span(tr: Tr, tz: &TimeZone, start: i64, end: i64) -> String {
    let same_day = date_input(tz, start) == date_input(tz, end);
    if same_day {
        format!(
            "{}, {}–{}",
            long_date(tr, tz, start),
            clock(tr, tz, start),
            clock(tr, tz, end)
        )
    } else {
        format!(
            "{}, {} – {}, {}",
            long_date(tr, tz, start),
            clock(tr, tz, start),
            long_date(tr, tz, end),
            clock(tr, tz, end)
        )
    }
}

/// ISO 8601 with the zone offset, for schema.org data.
pub fn iso(tz: &TimeZone, ms: i64) -> String {
    let z = zoned(tz, ms);
    let off = z.offset().seconds();
    let sign = if off < 0 { '-' } else { '+' };
    let off = off.abs();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:00{sign}{:02}:{:02}",
        z.year(),
        z.month(),
        z.day(),
        z.hour(),
        z.minute(),
        off / 3600,
        (off % 3600) / 60
    )
}

/// First day (local midnight) of the month holding `ms`, as `YYYY-MM`.
pub fn month_key(tz: &TimeZone, ms: i64) -> String {
    let z = zoned(tz, ms);
    format!("{:04}-{:02}", z.year(), z.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_wall_clock_round_trips() {
        let tz = zone("Europe/Paris");
        let d = parse_date("2026-12-03").unwrap();
        let t = parse_time("10:00").unwrap();
        let ms = to_ms(&tz, d, t).unwrap();
        // 10:00 in Paris in December is 09:00 UTC.
        assert_eq!(ms, 1_796_288_400_000);
        assert_eq!(date_input(&tz, ms), "2026-12-03");
        assert_eq!(time_input(&tz, ms), "10:00");
        assert_eq!(iso(&tz, ms), "2026-12-03T10:00:00+01:00");
        let noumea = zone("Pacific/Noumea");
        assert_eq!(time_input(&noumea, ms), "20:00");
    }

    #[test]
    fn times_are_parsed_leniently_but_checked() {
        assert_eq!(parse_time("9h30"), Time::new(9, 30, 0, 0).ok());
        assert_eq!(parse_time("14:05"), Time::new(14, 5, 0, 0).ok());
        assert!(parse_time("25:00").is_none());
        assert!(parse_time("midi").is_none());
        assert!(parse_date("2026-02-30").is_none());
        assert_eq!(parse_date("3/12/2026"), parse_date("2026-12-03"));
        assert_eq!(parse_date("21/01/2027"), Date::new(2027, 1, 21).ok());
        assert_eq!(parse_date(" 21.01.2027 "), Date::new(2027, 1, 21).ok());
        assert!(parse_date("31/02/2027").is_none());
        assert!(parse_date("21/01/27").is_none());
        assert!(parse_date("2027/01/21").is_none());
        assert!(parse_date("").is_none());
    }

    #[test]
    fn instants_are_shown_on_the_programme_clock() {
        // 2026-11-22T05:46:00Z is 06:46 in Paris and 16:46 in Nouméa.
        let ms = 1_795_326_360_000;
        let paris = zone("Europe/Paris");
        assert_eq!(date_time(Locale::Fr, &paris, ms), "22/11/2026 06:46");
        assert_eq!(date_time(Locale::En, &paris, ms), "22 Nov 2026, 06:46");
        let noumea = zone("Pacific/Noumea");
        assert_eq!(date_time(Locale::Fr, &noumea, ms), "22/11/2026 16:46");
        assert_eq!(day(Locale::En, &noumea, ms), "22 Nov 2026");
        assert_eq!(show_date_text(Locale::Fr, "2027-01-21"), "21/01/2027");
        assert_eq!(show_date_text(Locale::En, "2027-01-21"), "21 Jan 2027");
        assert_eq!(show_date_text(Locale::Fr, "bientôt"), "bientôt");
    }

    #[test]
    fn the_bundled_tz_database_knows_the_programme_zones() {
        // Bundled in the binary (jiff's tzdb-bundle-always): no tzdata needed.
        let db = jiff::tz::TimeZoneDatabase::bundled();
        for name in [
            "Europe/Paris",
            "Europe/Brussels",
            "Europe/Luxembourg",
            "Pacific/Noumea",
        ] {
            assert!(db.get(name).is_ok(), "{name}");
        }
    }
}
