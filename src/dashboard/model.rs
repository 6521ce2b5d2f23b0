//! The funders' figures as data: indicators (code, label, rule shown beside
//! the figure, unit, numerator and denominator), what counts as "made
//! aware", the filters of the breakdowns, the pace against the target,
//! budget categories and funding sources. No I/O.

use std::collections::HashMap;

use jiff::civil::Date;

use crate::cases::model::coded;
use crate::text::fold;

coded!(
    /// An indicator of the dashboard, in display order (the funnel first).
    Indicator, "dash-ind-", {
        Aware = "aware",
        Diagnosed = "diagnosed",
        Planned = "planned",
        Coached = "coached",
        Hours = "hours",
        Referred = "referred",
        Funded = "funded",
        FundedAmount = "funded-amount",
        Progressed = "progressed",
        FirstContact = "first-contact",
        ReferralTakeUp = "referral-take-up",
        Satisfaction = "satisfaction",
        RequestsPerWorkshop = "requests-per-workshop",
    }
);

coded!(
    /// What an indicator counts.
    Unit, "dash-unit-", {
        Businesses = "businesses",
        Hours = "hours",
        Euros = "euros",
        Days = "days",
        Score = "score",
        Ratio = "ratio",
        Percent = "percent",
    }
);

coded!(
    /// What makes a business count as made aware (the programme's choice).
    AwareSource, "dash-aware-", {
        Workshop = "workshop",
        Diagnostic = "diagnostic",
        Case = "case",
    }
);

coded!(
    /// The territory level a breakdown counts at (the map stays by department).
    TerritoryLevel, "dash-level-", {
        Country = "country",
        Region = "region",
        Department = "department",
        Province = "province",
        Canton = "canton",
        Commune = "commune",
    }
);

coded!(
    /// A budget line's category.
    BudgetCategory, "dash-budget-", {
        Staff = "staff",
        Venues = "venues",
        Speakers = "speakers",
        Communication = "communication",
        Equipment = "equipment",
        Other = "other",
    }
);

coded!(
    /// Who funds the programme.
    FundingSource, "dash-share-", {
        Region = "region",
        State = "state",
        Sponsors = "sponsors",
        Training = "training",
    }
);

coded!(
    /// A breakdown of the businesses made aware.
    Dimension, "dash-by-", {
        Territory = "territory",
        Sector = "sector",
        Size = "size",
        Partner = "partner",
        Adviser = "adviser",
        /// The theme of the workshop attended.
        Theme = "theme",
        /// The format of the workshop attended.
        Format = "format",
    }
);

impl Indicator {
    /// Key of the rule text shown beside the figure.
    pub fn rule_key(self) -> String {
        format!("dash-rule-{}", self.code())
    }

    /// What the figure counts.
    pub fn unit(self) -> Unit {
        use Indicator::*;
        match self {
            Hours => Unit::Hours,
            FundedAmount => Unit::Euros,
            FirstContact => Unit::Days,
            Satisfaction => Unit::Score,
            RequestsPerWorkshop => Unit::Ratio,
            ReferralTakeUp => Unit::Percent,
            _ => Unit::Businesses,
        }
    }

    /// The indicator a share is computed against (the funnel's stages are a
    /// share of the businesses made aware).
    pub fn denominator(self) -> Option<Indicator> {
        use Indicator::*;
        match self {
            Diagnosed | Planned | Coached | Referred | Funded | Progressed => Some(Aware),
            _ => None,
        }
    }

    /// Indicators a programme may set a target for, besides `Aware` (whose
    /// target is the programme's own, with its cumulative curve).
    pub const TARGETED: &'static [Indicator] = &[
        Indicator::Diagnosed,
        Indicator::Planned,
        Indicator::Coached,
        Indicator::Hours,
        Indicator::Referred,
        Indicator::Funded,
        Indicator::FundedAmount,
        Indicator::Progressed,
    ];

    /// The settings form's field for this indicator's target.
    pub fn target_field(self) -> &'static str {
        use Indicator::*;
        match self {
            Aware => "target_aware",
            Diagnosed => "target_diagnosed",
            Planned => "target_planned",
            Coached => "target_coached",
            Hours => "target_hours",
            Referred => "target_referred",
            Funded => "target_funded",
            FundedAmount => "target_funded_amount",
            Progressed => "target_progressed",
            FirstContact => "target_first_contact",
            ReferralTakeUp => "target_referral_take_up",
            Satisfaction => "target_satisfaction",
            RequestsPerWorkshop => "target_requests_per_workshop",
        }
    }

    /// Stages of the funnel (businesses, each counted once per stage).
    pub const FUNNEL: &'static [Indicator] = &[
        Indicator::Aware,
        Indicator::Diagnosed,
        Indicator::Planned,
        Indicator::Coached,
        Indicator::Referred,
        Indicator::Funded,
        Indicator::Progressed,
    ];
}

/// The sources ticked, stored as ",workshop,diagnostic,". An empty or
/// unreadable rule falls back to workshops.
pub fn parse_rule(stored: &str) -> Vec<AwareSource> {
    let v: Vec<AwareSource> = AwareSource::ALL
        .iter()
        .copied()
        .filter(|s| stored.split(',').any(|c| c.trim() == s.code()))
        .collect();
    if v.is_empty() {
        vec![AwareSource::Workshop]
    } else {
        v
    }
}

/// The rule as stored.
pub fn rule_code(sources: &[AwareSource]) -> String {
    let mut s = String::from(",");
    for x in sources {
        s.push_str(x.code());
        s.push(',');
    }
    s
}

/// One computed indicator: its value and, for a stage, its denominator.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub indicator: Indicator,
    /// Count, hours, cents, days, score… as a number.
    pub value: f64,
    pub denominator: Option<f64>,
}

impl Figure {
    /// Share of the denominator, in whole percent.
    pub fn percent(&self) -> Option<i64> {
        match self.denominator {
            Some(d) if d > 0.0 => Some((self.value * 100.0 / d).round() as i64),
            _ => None,
        }
    }
}

/// A code usable inline in SQL (territory, sector, size band codes).
pub fn safe_code(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()
        && s.len() <= 40
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')))
    .then(|| s.to_string())
}

/// The filters of the dashboard, checked (from the query string).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// A department, province or region code.
    pub territory: Option<String>,
    pub sector: Option<String>,
    pub size: Option<String>,
    pub partner: Option<i64>,
    pub adviser: Option<i64>,
    /// The level of the territory breakdown (none: department or province).
    pub level: Option<TerritoryLevel>,
    /// Count every programme of the instance, each business once (the
    /// coordination view); otherwise the request's programme.
    pub every_programme: bool,
    /// A programme other than the request's.
    pub programme: Option<i64>,
}

impl Filter {
    /// From the raw query values; what is not understood is ignored.
    pub fn parse(q: &HashMap<String, String>) -> Filter {
        let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
        Filter {
            from: crate::kernel::dates::parse_date(get("du")),
            to: crate::kernel::dates::parse_date(get("au")),
            territory: safe_code(get("territoire")),
            sector: safe_code(get("secteur")),
            size: safe_code(get("taille")),
            partner: get("partenaire").trim().parse().ok(),
            adviser: get("conseiller").trim().parse().ok(),
            level: TerritoryLevel::from_code(get("niveau").trim()),
            ..Default::default()
        }
    }

    /// The programme whose facts count: the one asked for, else the
    /// request's (see [`crate::programme::current`]); none for every programme.
    pub fn programme(&self) -> Option<i64> {
        if self.every_programme {
            None
        } else {
            self.programme.or_else(crate::programme::current)
        }
    }

    /// The filters as a query string (for export links), without `?`.
    pub fn query(&self) -> String {
        let mut parts: Vec<String> = vec![];
        if let Some(d) = self.from {
            parts.push(format!("du={d}"));
        }
        if let Some(d) = self.to {
            parts.push(format!("au={d}"));
        }
        for (k, v) in [
            ("territoire", &self.territory),
            ("secteur", &self.sector),
            ("taille", &self.size),
        ] {
            if let Some(v) = v {
                parts.push(format!("{k}={v}"));
            }
        }
        if let Some(p) = self.partner {
            parts.push(format!("partenaire={p}"));
        }
        if let Some(a) = self.adviser {
            parts.push(format!("conseiller={a}"));
        }
        if let Some(l) = self.level {
            parts.push(format!("niveau={}", l.code()));
        }
        parts.join("&")
    }
}

/// Cells under this many businesses are hidden from funders and partners.
pub const SMALL_CELL: i64 = 5;

/// A count as shown: "< 5" when small and the reader must not see it.
pub fn cell(count: i64, hide_small: bool) -> String {
    if hide_small && count > 0 && count < SMALL_CELL {
        format!("< {SMALL_CELL}")
    } else {
        count.to_string()
    }
}

/// Where the programme stands against its target at a date.
#[derive(Debug, Clone, PartialEq)]
pub struct Pace {
    /// Month of the programme we are in (1-based, capped at `months`).
    pub month: i64,
    pub months: i64,
    /// Where the straight line from 0 at the start to the target at the end is today.
    pub expected: i64,
    pub on_track: bool,
}

/// Whole months from `start` to `end` (a started month counts).
pub fn months_between(start: Date, end: Date) -> i64 {
    let mut m =
        (end.year() as i64 - start.year() as i64) * 12 + end.month() as i64 - start.month() as i64;
    if end.day() > start.day() {
        m += 1;
    }
    m.max(0)
}

/// The pace of `reached` against `target` over `start..end` on `today`.
pub fn pace(reached: i64, target: i64, start: Date, end: Date, today: Date) -> Option<Pace> {
    if target <= 0 || end <= start {
        return None;
    }
    let months = months_between(start, end).max(1);
    let month = months_between(start, today).clamp(1, months);
    let total_days = (end - start).get_days() as i64 + 1;
    let elapsed = ((today - start).get_days() as i64 + 1).clamp(0, total_days);
    let expected = target * elapsed / total_days;
    Some(Pace {
        month,
        months,
        expected,
        on_track: reached >= expected,
    })
}

/// First day of each month from `start`'s month to `end`'s.
pub fn month_starts(start: Date, end: Date) -> Vec<Date> {
    let mut out = vec![];
    let Ok(mut d) = Date::new(start.year(), start.month(), 1) else {
        return out;
    };
    while d <= end && out.len() < 240 {
        out.push(d);
        d = match d.checked_add(jiff::Span::new().months(1)) {
            Ok(n) => n,
            Err(_) => break,
        };
    }
    out
}

/// Checks of the settings form's dates: the target date must lie in the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodError {
    EndBeforeStart,
    TargetOutside,
}

/// The period and target date as checked.
pub fn check_period(
    start: Option<Date>,
    end: Option<Date>,
    target: Option<Date>,
) -> Result<(), PeriodError> {
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            return Err(PeriodError::EndBeforeStart);
        }
    }
    if let Some(t) = target {
        if start.is_some_and(|s| t < s) || end.is_some_and(|e| t > e) {
            return Err(PeriodError::TargetOutside);
        }
    }
    Ok(())
}

/// Cost per business: whole euros (cents / count), none for no business.
pub fn cost_per(cents: i64, businesses: i64) -> Option<i64> {
    (businesses > 0).then(|| cents / businesses)
}

/// One line of a breakdown: label and count.
pub struct Line {
    pub label: String,
    pub count: i64,
    pub percent: i64,
}

/// Counts as lines, largest first, each with its share of `total`.
pub fn lines(map: HashMap<String, i64>, total: i64) -> Vec<Line> {
    let mut v: Vec<Line> = map
        .into_iter()
        .map(|(label, count)| Line {
            percent: if total > 0 { count * 100 / total } else { 0 },
            label,
            count,
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
    v
}

/// A territory as the breakdowns need it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Territory {
    pub code: String,
    pub parent_code: Option<String>,
    pub level: String,
    pub name: String,
}

/// Territories by code.
pub type Territories = HashMap<String, Territory>;

/// The department (or province, or canton's parent) holding a commune.
pub fn area(t: &Territories, commune: Option<&str>, unknown: &str) -> String {
    area_code(t, commune)
        .and_then(|c| t.get(&c))
        .map(|x| x.name.clone())
        .unwrap_or_else(|| unknown.to_string())
}

/// The code of the department (or province, region, country) a commune
/// counts under: what [`area`] names.
pub fn area_code(t: &Territories, commune: Option<&str>) -> Option<String> {
    let mut code = commune?.to_string();
    for _ in 0..6 {
        let x = t.get(&code)?;
        if matches!(
            x.level.as_str(),
            "department" | "province" | "region" | "country"
        ) {
            return Some(code);
        }
        match &x.parent_code {
            Some(parent) => code = parent.clone(),
            None => return Some(code),
        }
    }
    None
}

/// The territories from `code` up to the widest, `code` first (a cycle in
/// imported data stops the walk).
pub fn ancestors<'a>(t: &'a Territories, code: &str) -> Vec<&'a Territory> {
    let mut out: Vec<&Territory> = vec![];
    let mut next = t.get(code);
    while let Some(x) = next {
        if out.iter().any(|y| y.code == x.code) {
            break;
        }
        out.push(x);
        next = x.parent_code.as_deref().and_then(|p| t.get(p));
    }
    out
}

/// Whether `code` is `within` or under it, at any depth.
pub fn is_within(t: &Territories, code: &str, within: &str) -> bool {
    code == within || ancestors(t, code).iter().any(|x| x.code == within)
}

/// The group a fact's commune counts under in the territory breakdown: its
/// ancestor at `level`, else (no level) the commune's parent or the
/// territory itself, as the SQL of `store::breakdown` does.
pub fn breakdown_group(
    t: &Territories,
    code: &str,
    level: Option<TerritoryLevel>,
) -> Option<String> {
    let x = t.get(code)?;
    match level {
        Some(l) => ancestors(t, code)
            .into_iter()
            .find(|y| y.level == l.code())
            .map(|y| y.code.clone()),
        None if x.level == "commune" => x.parent_code.clone(),
        None => Some(x.code.clone()),
    }
}

/// Who counts as one business made aware: the business attached to the
/// registration, else the business name typed, else the e-mail address.
pub fn business_key(business_id: Option<i64>, name: &str, email_key: &str) -> String {
    match business_id {
        Some(id) => format!("b{id}"),
        None if !name.trim().is_empty() => format!("n{}", fold(name)),
        None => format!("e{email_key}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(code: &str, parent: Option<&str>, level: &str, name: &str) -> (String, Territory) {
        (
            code.to_string(),
            Territory {
                code: code.to_string(),
                parent_code: parent.map(str::to_string),
                level: level.to_string(),
                name: name.to_string(),
            },
        )
    }

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn communes_count_in_their_department() {
        let map: Territories = [
            t("FR", None, "country", "France"),
            t("FR-D33", Some("FR"), "department", "Gironde"),
            t("FR-C33063", Some("FR-D33"), "commune", "Bordeaux"),
        ]
        .into_iter()
        .collect();
        assert_eq!(area(&map, Some("FR-C33063"), "?"), "Gironde");
        assert_eq!(area(&map, None, "?"), "?");
        assert_eq!(area(&map, Some("XX"), "?"), "?");
        assert_eq!(business_key(Some(3), "Dupont", "m@x"), "b3");
        assert_eq!(business_key(None, " ", "m@x"), "em@x");
    }

    #[test]
    fn pace_against_the_straight_line() {
        // 28 months, 1,600 businesses: at month 14, 800 is on track.
        let (s, e) = (d("2025-10-01"), d("2028-01-31"));
        assert_eq!(months_between(s, e), 28);
        let p = pace(800, 1600, s, e, d("2026-11-20")).unwrap();
        assert_eq!(p.month, 14);
        assert_eq!(p.months, 28);
        assert!(p.on_track, "{p:?}");
        let p = pace(500, 1600, s, e, d("2026-11-20")).unwrap();
        assert!(!p.on_track);
        assert!(pace(1, 0, s, e, d("2026-11-20")).is_none());
        assert_eq!(month_starts(s, e).len(), 28);
    }

    #[test]
    fn rules_periods_and_cells() {
        assert_eq!(parse_rule(""), vec![AwareSource::Workshop]);
        let r = parse_rule(",workshop,case,");
        assert_eq!(r, vec![AwareSource::Workshop, AwareSource::Case]);
        assert_eq!(rule_code(&r), ",workshop,case,");
        assert_eq!(cell(3, true), "< 5");
        assert_eq!(cell(3, false), "3");
        assert_eq!(cell(0, true), "0");
        assert_eq!(cell(5, true), "5");
        let (s, e) = (Some(d("2026-01-01")), Some(d("2028-04-30")));
        assert_eq!(
            check_period(s, e, Some(d("2028-05-01"))),
            Err(PeriodError::TargetOutside)
        );
        assert_eq!(check_period(e, s, None), Err(PeriodError::EndBeforeStart));
        assert_eq!(check_period(s, e, Some(d("2027-06-01"))), Ok(()));
        assert_eq!(safe_code("FR-D33"), Some("FR-D33".into()));
        assert_eq!(safe_code("x' OR 1=1"), None);
        assert_eq!(cost_per(33_700_000, 1000), Some(33_700));
    }
}
