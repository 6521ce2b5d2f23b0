//! The rules of the workshop forms: a session (and a series of them), a
//! registrant, feedback. Each parse function returns the valid value or the
//! violations to show beside the fields. Pure: no I/O.

use super::model::{Format, Sector, Session, Speaker};
use crate::kernel::dates;
use crate::web::forms::Violations;

// ---------------------------------------------------------------------------
// The session form

/// What the session form sends (speakers and sectors repeat).
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct SessionForm {
    pub theme_id: String,
    pub format: String,
    pub title_fr: String,
    pub title_en: String,
    pub description_fr: String,
    pub description_en: String,
    pub date: String,
    pub start: String,
    pub end: String,
    pub venue: String,
    pub address: String,
    pub commune_code: String,
    pub online_url: String,
    pub capacity: String,
    pub partner_id: String,
    pub planned_coaching: String,
    /// Speaker ids as sent; a value that is not a number is ignored.
    pub speakers: Vec<String>,
    pub sectors: Vec<String>,
    pub version: String,
    pub action: String,
    pub cancel_reason: String,
    pub lines: String,
}

impl SessionForm {
    /// The form of an existing session, on the programme's clock.
    pub fn from_session(
        s: &Session,
        tz: &jiff::tz::TimeZone,
        speakers: &[Speaker],
        sectors: &[Sector],
    ) -> SessionForm {
        SessionForm {
            theme_id: s.theme_id.to_string(),
            format: s.format.code().to_string(),
            title_fr: s.title_fr.clone(),
            title_en: s.title_en.clone(),
            description_fr: s.description_fr.clone(),
            description_en: s.description_en.clone(),
            date: dates::date_input(tz, s.starts_at),
            start: dates::time_input(tz, s.starts_at),
            end: dates::time_input(tz, s.ends_at),
            venue: s.venue.clone(),
            address: s.address.clone(),
            commune_code: s.commune_code.clone().unwrap_or_default(),
            online_url: s.online_url.clone(),
            capacity: s.capacity.to_string(),
            partner_id: s.partner_id.map(|p| p.to_string()).unwrap_or_default(),
            planned_coaching: s.planned_coaching.to_string(),
            speakers: speakers.iter().map(|p| p.id.to_string()).collect(),
            sectors: sectors.iter().map(|c| c.code.clone()).collect(),
            version: s.version.to_string(),
            ..Default::default()
        }
    }

    /// The defaults of a new session (and of a series).
    pub fn new_session() -> SessionForm {
        SessionForm {
            format: Format::Awareness.code().into(),
            capacity: "20".into(),
            planned_coaching: "2".into(),
            start: "09:00".into(),
            ..Default::default()
        }
    }

    /// Speaker ids, in order, without repeats or values that are not numbers.
    pub fn speaker_ids(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = vec![];
        for id in self.speakers.iter().filter_map(|s| s.trim().parse().ok()) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }

    /// Sector codes, in order, without repeats or empty values.
    pub fn sector_codes(&self) -> Vec<String> {
        let mut codes: Vec<String> = vec![];
        for c in &self.sectors {
            if !c.is_empty() && !codes.contains(c) {
                codes.push(c.clone());
            }
        }
        codes
    }

    /// True when the speaker is ticked (for the form).
    pub fn has_speaker(&self, id: &i64) -> bool {
        self.speaker_ids().contains(id)
    }

    /// True when the sector is selected (for the form).
    /// True when one of these sectors is ticked (its group opens).
    pub fn has_any_sector(&self, list: &[(String, String, bool)]) -> bool {
        list.iter().any(|(c, _, _)| self.has_sector(c))
    }

    /// True when this sector is ticked.
    pub fn has_sector(&self, code: &str) -> bool {
        self.sectors.iter().any(|s| s == code)
    }
}

/// A session that passed validation.
#[derive(Debug, Clone)]
pub struct Valid {
    pub theme_id: i64,
    pub format: Format,
    pub title_fr: String,
    pub title_en: String,
    pub description_fr: String,
    pub description_en: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub venue: String,
    pub address: String,
    pub commune_code: Option<String>,
    pub online_url: String,
    pub capacity: i64,
    pub partner_id: Option<i64>,
    pub planned_coaching: i64,
    pub speakers: Vec<i64>,
    pub sectors: Vec<String>,
}

impl Valid {
    /// True when the date, the time or the place differ from `s`: the
    /// registrants are then told.
    pub fn moves(&self, s: &Session) -> bool {
        self.starts_at != s.starts_at
            || self.ends_at != s.ends_at
            || self.venue != s.venue
            || self.address != s.address
            || self.commune_code != s.commune_code
            || self.online_url != s.online_url
    }
}

/// A sector choice: (code, label, priority).
pub type SectorChoice = (String, String, bool);
/// Sector choices under one NACE section: (section code, name, divisions).
pub type SectorGroup = (String, String, Vec<SectorChoice>);

/// Choices offered by the session forms.
pub struct Choices {
    pub themes: Vec<(i64, String)>,
    pub communes: Vec<crate::reference::TerritoryOption>,
    pub partners: Vec<(i64, String)>,
    pub speakers: Vec<(i64, String)>,
    pub sectors: Vec<(String, String, bool)>,
    /// The same divisions grouped by NACE section: (section code, section
    /// name, divisions as (code, label, priority)).
    pub sector_groups: Vec<SectorGroup>,
}

impl Choices {
    /// The divisions of `sectors` grouped under the sections of `sections`
    /// (section code → name), in code order; a division whose section is
    /// unknown goes under its own code.
    pub fn group_sectors(
        sectors: &[(String, String, bool)],
        parents: &[(String, String)],
        sections: &[(String, String)],
    ) -> Vec<SectorGroup> {
        let mut groups: Vec<SectorGroup> = vec![];
        for (code, label, prio) in sectors {
            let section = parents
                .iter()
                .find(|(c, _)| c == code)
                .map(|(_, p)| p.clone())
                .unwrap_or_default();
            let name = sections
                .iter()
                .find(|(c, _)| *c == section)
                .map(|(_, n)| n.clone())
                .unwrap_or_default();
            match groups.iter_mut().find(|g| g.0 == section) {
                Some(g) => g.2.push((code.clone(), label.clone(), *prio)),
                None => groups.push((section, name, vec![(code.clone(), label.clone(), *prio)])),
            }
        }
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        groups
    }
}

fn parse_id(raw: &str) -> Option<i64> {
    raw.trim().parse().ok().filter(|n| *n > 0)
}

/// The parts shared by a single session and a series (everything but the
/// date and the place).
#[derive(Debug, Clone)]
pub struct Common {
    pub theme_id: Option<i64>,
    pub format: Option<Format>,
    pub capacity: i64,
    pub partner_id: Option<i64>,
    pub planned_coaching: i64,
}

/// Check the parts shared by a single session and a series.
pub fn validate_common(v: &mut Violations, f: &SessionForm, c: &Choices) -> Common {
    let theme_id = parse_id(&f.theme_id).filter(|id| c.themes.iter().any(|(t, _)| t == id));
    if theme_id.is_none() {
        v.add("theme_id", "form-choose", None);
    }
    let format = Format::from_code(f.format.trim());
    if format.is_none() {
        v.add("format", "form-choose", None);
    }
    let capacity = match f.capacity.trim().parse::<i64>() {
        Ok(n) if (1..=10_000).contains(&n) => n,
        _ => {
            v.add("capacity", "ws-capacity-invalid", None);
            0
        }
    };
    let partner_id = if f.partner_id.trim().is_empty() {
        None
    } else {
        let p = parse_id(&f.partner_id).filter(|id| c.partners.iter().any(|(p, _)| p == id));
        if p.is_none() {
            v.add("partner_id", "form-choose", None);
        }
        p
    };
    let planned_coaching = if f.planned_coaching.trim().is_empty() {
        2
    } else {
        match f.planned_coaching.trim().parse::<i64>() {
            Ok(n) if (0..=1000).contains(&n) => n,
            _ => {
                v.add("planned_coaching", "setup-number-invalid", None);
                0
            }
        }
    };
    if f.speaker_ids()
        .iter()
        .any(|s| !c.speakers.iter().any(|(id, _)| id == s))
    {
        v.add("speakers", "form-choose", None);
    }
    if f.sector_codes()
        .iter()
        .any(|s| !c.sectors.iter().any(|(code, _, _)| code == s))
    {
        v.add("sectors", "form-choose", None);
    }
    Common {
        theme_id,
        format,
        capacity,
        partner_id,
        planned_coaching,
    }
}

/// Start and end of a session from its date and times.
pub fn validate_times(
    v: &mut Violations,
    tz: &jiff::tz::TimeZone,
    format: Option<Format>,
    date: &str,
    start: &str,
    end: &str,
) -> (i64, i64) {
    let d = dates::parse_date(date);
    if d.is_none() {
        v.add("date", "setup-date-invalid", None);
    }
    let st = dates::parse_time(start);
    if st.is_none() {
        v.add("start", "ws-time-invalid", None);
    }
    let (Some(d), Some(st)) = (d, st) else {
        return (0, 0);
    };
    let starts = dates::to_ms(tz, d, st).unwrap_or(0);
    let ends = if end.trim().is_empty() {
        match format.and_then(Format::minutes) {
            Some(m) => starts + m * 60_000,
            None => {
                if format.is_some() {
                    v.add("end", "ws-end-required", None);
                }
                return (starts, 0);
            }
        }
    } else {
        match dates::parse_time(end) {
            Some(et) => dates::to_ms(tz, d, et).unwrap_or(0),
            None => {
                v.add("end", "ws-time-invalid", None);
                return (starts, 0);
            }
        }
    };
    if ends <= starts {
        v.add("end", "ws-end-before-start", None);
    }
    (starts, ends)
}

/// How far ahead a session may be planned, in years.
pub const MAX_YEARS_AHEAD: i64 = 3;

/// A session starts after `now` and at most [`MAX_YEARS_AHEAD`] years later
/// (2020-01-01, yesterday, year 0001 or 9999 are typing mistakes). A session
/// being edited may keep the start it has (`current`), even if past.
pub fn check_start(v: &mut Violations, starts_at: i64, now: i64, current: Option<i64>) {
    if v.has("date") || v.has("start") || current == Some(starts_at) {
        return;
    }
    if starts_at <= now {
        v.add("date", "ws-date-past", None);
    } else if starts_at > now + MAX_YEARS_AHEAD * 366 * 24 * 3_600_000 {
        v.add("date", "ws-date-too-far", Some(MAX_YEARS_AHEAD));
    }
}

/// Check a single session's form at `now`; `current` is the start of the
/// session being edited, if any.
pub fn validate(
    f: &SessionForm,
    c: &Choices,
    tz: &jiff::tz::TimeZone,
    now: i64,
    current: Option<i64>,
) -> Result<Valid, Violations> {
    let mut v = Violations::default();
    let common = validate_common(&mut v, f, c);
    let title_fr = v.text("title_fr", &f.title_fr, 0, 160);
    let title_en = v.text("title_en", &f.title_en, 0, 160);
    let description_fr = v.text("description_fr", &f.description_fr, 0, 4000);
    let description_en = v.text("description_en", &f.description_en, 0, 4000);
    let (starts_at, ends_at) = validate_times(&mut v, tz, common.format, &f.date, &f.start, &f.end);
    check_start(&mut v, starts_at, now, current);
    let venue = v.text("venue", &f.venue, 0, 160);
    let address = v.text("address", &f.address, 0, 300);
    let commune_code = f.commune_code.trim().to_string();
    let commune_code = if commune_code.is_empty() {
        None
    } else if c.communes.iter().any(|o| o.code == commune_code) {
        Some(commune_code)
    } else {
        v.add("commune_code", "form-choose", None);
        None
    };
    let online_url = f.online_url.trim().to_string();
    if !online_url.is_empty()
        && (!(online_url.starts_with("https://") || online_url.starts_with("http://"))
            || url::Url::parse(&online_url).is_err()
            || online_url.len() > 500)
    {
        v.add("online_url", "ws-url-invalid", None);
    }
    if commune_code.is_none() && online_url.is_empty() && !v.has("commune_code") {
        v.add("commune_code", "ws-place-required", None);
    }
    if !v.is_empty() {
        return Err(v);
    }
    Ok(Valid {
        theme_id: common.theme_id.unwrap_or(0),
        format: common.format.unwrap_or(Format::Custom),
        title_fr,
        title_en,
        description_fr,
        description_en,
        starts_at,
        ends_at,
        venue,
        address,
        commune_code,
        online_url,
        capacity: common.capacity,
        partner_id: common.partner_id,
        planned_coaching: common.planned_coaching,
        speakers: f.speaker_ids(),
        sectors: f.sector_codes(),
    })
}

/// One line of a series: `date [start[-end | duration]]; commune[; venue[; address]]`.
pub struct SeriesLine<'a> {
    pub date: &'a str,
    pub start: String,
    /// End time (`HH:MM`); empty means the format's usual length.
    pub end: String,
    /// The line's end or duration could not be read.
    pub bad_end: bool,
    pub commune: &'a str,
    pub venue: String,
    pub address: String,
}

/// A duration as people write it: `2h`, `1h30`, `1 h 30`, `90 min`, `+90`.
pub fn parse_duration(s: &str) -> Option<i64> {
    let t: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && !"+()".contains(*c))
        .collect::<String>()
        .to_lowercase();
    let t = t.trim_end_matches("utes").trim_end_matches("min");
    if t.is_empty() {
        return None;
    }
    let minutes = match t.split_once('h') {
        Some((h, m)) => {
            let h: i64 = h.parse().ok()?;
            let m: i64 = if m.is_empty() { 0 } else { m.parse().ok()? };
            (m < 60).then_some(h * 60 + m)?
        }
        None => t.parse().ok()?,
    };
    (1..=24 * 60).contains(&minutes).then_some(minutes)
}

/// `HH:MM` of `start` plus `minutes`; `None` past midnight or unreadable.
fn clock_plus(start: &str, minutes: i64) -> Option<String> {
    let t = dates::parse_time(start)?;
    let total = i64::from(t.hour()) * 60 + i64::from(t.minute()) + minutes;
    (total < 24 * 60).then(|| format!("{:02}:{:02}", total / 60, total % 60))
}

/// Split a series line. A line without a time takes the form's start and
/// end; a line with its own start keeps the form's *length* (not its end
/// time), unless it gives its own end (`14:00-17:30`) or duration
/// (`14:00 3h30`).
pub fn series_line<'a>(line: &'a str, default_start: &str, default_end: &str) -> SeriesLine<'a> {
    let parts: Vec<&str> = line.split(';').map(str::trim).collect();
    let date_time = parts.first().copied().unwrap_or("");
    let (date, time) = match date_time.split_once(char::is_whitespace) {
        Some((d, t)) => (d.trim(), t.trim()),
        None => (date_time, ""),
    };
    let mut bad_end = false;
    let (start, end) = if time.is_empty() {
        (
            default_start.trim().to_string(),
            default_end.trim().to_string(),
        )
    } else if let Some((st, en)) = time.split_once('-') {
        (st.trim().to_string(), en.trim().to_string())
    } else {
        let (st, rest) = match time.split_once(char::is_whitespace) {
            Some((a, b)) => (a.trim(), b.trim()),
            None => (time, ""),
        };
        let (st, rest) = match st.split_once('+') {
            Some((a, b)) => (a, b.to_string() + rest),
            None => (st, rest.to_string()),
        };
        let own_length = if rest.trim().is_empty() {
            // The form's length, when it gives a start and an end.
            match (
                dates::parse_time(default_start),
                dates::parse_time(default_end),
            ) {
                (Some(a), Some(b)) => {
                    let m = |t: jiff::civil::Time| i64::from(t.hour()) * 60 + i64::from(t.minute());
                    Some(m(b) - m(a)).filter(|d| *d > 0)
                }
                _ => None,
            }
        } else {
            let d = parse_duration(&rest);
            bad_end = d.is_none();
            d
        };
        let end = match own_length {
            Some(d) => clock_plus(st, d).unwrap_or_else(|| {
                bad_end = dates::parse_time(st).is_some();
                String::new()
            }),
            None => String::new(),
        };
        (st.to_string(), end)
    };
    let field = |i: usize, max: usize| -> String {
        parts
            .get(i)
            .copied()
            .unwrap_or("")
            .chars()
            .take(max)
            .collect()
    };
    SeriesLine {
        date,
        start,
        end,
        bad_end,
        commune: parts.get(1).copied().unwrap_or(""),
        venue: field(2, 160),
        address: field(3, 300),
    }
}

// ---------------------------------------------------------------------------
// Feedback

/// What the feedback form sends (themes repeat).
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct FeedbackForm {
    pub satisfaction: String,
    pub usefulness: String,
    /// Theme ids as sent; a value that is not a number is ignored.
    pub themes: Vec<String>,
    pub comment: String,
    pub coaching: Option<String>,
}

impl FeedbackForm {
    /// Theme ids, in order, without repeats.
    pub fn theme_ids(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = vec![];
        for id in self.themes.iter().filter_map(|s| s.trim().parse().ok()) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }

    /// True when the theme is ticked (for the form).
    pub fn wants(&self, id: &i64) -> bool {
        self.theme_ids().contains(id)
    }

    /// True when the person asks to be coached.
    pub fn wants_coaching(&self) -> bool {
        crate::web::forms::checked(&self.coaching)
    }
}

/// Feedback that passed validation.
#[derive(Debug, Clone)]
pub struct Feedback {
    pub satisfaction: i64,
    pub usefulness: i64,
    pub comment: String,
    pub themes: Vec<i64>,
    pub coaching: bool,
}

/// Most themes a person may ask for next.
pub const MAX_WANTED_THEMES: usize = 10;

fn score(v: &mut Violations, field: &'static str, raw: &str) -> i64 {
    match raw.trim().parse::<i64>() {
        Ok(n) if (1..=5).contains(&n) => n,
        _ => {
            v.add(field, "ws-feedback-choose", None);
            0
        }
    }
}

/// Check a feedback form: two scores from 1 to 5, a comment, a few themes.
pub fn validate_feedback(f: &FeedbackForm) -> Result<Feedback, Violations> {
    let mut v = Violations::default();
    let satisfaction = score(&mut v, "satisfaction", &f.satisfaction);
    let usefulness = score(&mut v, "usefulness", &f.usefulness);
    let comment = v.text("comment", &f.comment, 0, 2000);
    let themes = f.theme_ids();
    if themes.len() > MAX_WANTED_THEMES {
        v.add(
            "themes",
            "ws-feedback-too-many-themes",
            Some(MAX_WANTED_THEMES as i64),
        );
    }
    if !v.is_empty() {
        return Err(v);
    }
    Ok(Feedback {
        satisfaction,
        usefulness,
        comment,
        themes,
        coaching: f.wants_coaching(),
    })
}

/// What a registration form sends.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct RegForm {
    pub name: String,
    pub email: String,
    pub business_name: String,
    pub consent: Option<String>,
}

/// A registrant's details that passed validation.
#[derive(Debug, Clone)]
pub struct ValidRegistrant {
    pub name: String,
    pub email: String,
    pub business_name: String,
}

/// Check a registration form (consent is asked on the public page only).
pub fn validate_registrant(
    f: &RegForm,
    consent_needed: bool,
) -> Result<ValidRegistrant, Violations> {
    let mut v = Violations::default();
    let name = v.text("name", &f.name, 2, 120);
    let email = v.email("email", &f.email);
    let business_name = v.text("business_name", &f.business_name, 0, 160);
    if consent_needed {
        v.accepted("consent", crate::web::forms::checked(&f.consent));
    }
    if v.is_empty() {
        Ok(ValidRegistrant {
            name,
            email,
            business_name,
        })
    } else {
        Err(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_lines_take_the_default_time() {
        let l = series_line("21/01/2027; Bordeaux; Salle A", "09:00", "");
        assert_eq!(
            (l.date, l.start.as_str(), l.commune),
            ("21/01/2027", "09:00", "Bordeaux")
        );
        assert_eq!(l.venue, "Salle A");
        let l = series_line("2027-01-21 14:00;33063", "09:00", "");
        assert_eq!(
            (l.date, l.start.as_str(), l.end.as_str(), l.commune),
            ("2027-01-21", "14:00", "", "33063")
        );
    }

    #[test]
    fn sessions_start_in_the_future_and_within_three_years() {
        let now = 1_800_000_000_000;
        let keys = |start: i64, current: Option<i64>| {
            let mut v = Violations::default();
            check_start(&mut v, start, now, current);
            v.0.iter().map(|x| x.key).collect::<Vec<_>>()
        };
        assert!(keys(now + 3_600_000, None).is_empty());
        assert_eq!(keys(now - 86_400_000, None), ["ws-date-past"]);
        assert_eq!(keys(now, None), ["ws-date-past"]);
        assert_eq!(keys(now + 4 * 366 * 86_400_000, None), ["ws-date-too-far"]);
        // An edited past session keeps its date; moving it into the past is refused.
        assert!(keys(now - 86_400_000, Some(now - 86_400_000)).is_empty());
        assert_eq!(
            keys(now - 2 * 86_400_000, Some(now - 86_400_000)),
            ["ws-date-past"]
        );
    }

    #[test]
    fn series_lines_keep_the_length_or_take_their_own_end() {
        // The form says 09:00–12:30: a line at 18:00 lasts 3h30, not until 12:30 or 18:30.
        let l = series_line("2027-01-21 18:00; Libourne", "09:00", "12:30");
        assert_eq!((l.start.as_str(), l.end.as_str()), ("18:00", "21:30"));
        let l = series_line("2027-01-21; Libourne", "09:00", "12:30");
        assert_eq!((l.start.as_str(), l.end.as_str()), ("09:00", "12:30"));
        let l = series_line("2027-01-21 14:00-18:30; Libourne", "09:00", "12:30");
        assert_eq!((l.start.as_str(), l.end.as_str()), ("14:00", "18:30"));
        let l = series_line("2027-01-21 14:00 1h30; Libourne", "18:00", "18:30");
        assert_eq!(
            (l.start.as_str(), l.end.as_str(), l.bad_end),
            ("14:00", "15:30", false)
        );
        let l = series_line("2027-01-21 14:00 +90 min; Libourne", "", "");
        assert_eq!(l.end, "15:30");
        let l = series_line("2027-01-21 14:00 longtemps; Libourne", "", "");
        assert!(l.bad_end);
        assert_eq!(parse_duration("3h30"), Some(210));
        assert_eq!(parse_duration("1 h 30"), Some(90));
        assert_eq!(parse_duration("2h"), Some(120));
        assert_eq!(parse_duration("0"), None);
    }

    #[test]
    fn feedback_scores_are_checked() {
        let f = FeedbackForm {
            satisfaction: "5".into(),
            usefulness: "0".into(),
            themes: vec!["3".into(), "3".into(), "x".into()],
            ..Default::default()
        };
        assert!(validate_feedback(&f).is_err());
        assert_eq!(f.theme_ids(), [3]);
    }
}
