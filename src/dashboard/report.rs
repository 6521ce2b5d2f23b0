//! The dashboard's figures for one filter: indicators, pace against the
//! target, cumulative curve, breakdowns, progress per dimension, budget and
//! cost per business. Shared by the page and the exports.

use std::collections::HashMap;

use jiff::civil::{Date, Time};

use super::facts;
use super::model::{
    area, cost_per, month_starts, pace, parse_rule, Dimension, Figure, Filter, FundingSource,
    Indicator, Pace, Territories,
};
use super::store::{self, Agg, Bounds, BudgetLine, Settings, Source};
use crate::db::{now_ms, Db};
use crate::i18n::Tr;
use crate::kernel::dates;
use crate::kernel::money::Euros;
use crate::programme::ProgrammeInfo;

/// One month of the timeline: label, cumulative reached (None in the future), expected.
#[derive(Debug, Clone)]
pub struct Month {
    pub label: String,
    pub reached: Option<i64>,
    pub expected: i64,
}

/// A breakdown's cell: label and distinct businesses.
#[derive(Debug, Clone)]
pub struct Cell {
    pub label: String,
    pub count: i64,
}

/// Average T0→T1 gain of one dimension.
#[derive(Debug, Clone)]
pub struct Gain {
    /// The bank's dimension code.
    pub code: String,
    pub dimension: String,
    pub businesses: i64,
    pub t0: f64,
    pub t1: f64,
}

/// An indicator's target: where it stands, all periods together, under the
/// other filters, against the straight line to the programme's end.
#[derive(Debug, Clone)]
pub struct Target {
    pub indicator: Indicator,
    pub target: i64,
    pub reached: f64,
    /// None when the programme's period is not set.
    pub pace: Option<Pace>,
}

/// Everything the page and the exports show.
pub struct Report {
    pub filter: Filter,
    pub settings: Settings,
    pub figures: Vec<Figure>,
    pub planned_requests: Option<f64>,
    pub pace: Option<Pace>,
    /// The other indicators' targets.
    pub targets: Vec<Target>,
    pub timeline: Vec<Month>,
    pub breakdowns: Vec<(Dimension, Vec<Cell>)>,
    /// Businesses made aware per department (or province) code, for the map.
    pub by_area: Vec<(String, i64)>,
    pub gains: Vec<Gain>,
    pub budget: Vec<BudgetLine>,
    pub planned_total: Euros,
    pub spent_total: Euros,
    /// Cost per business at each funnel stage: (stage, planned, spent) in euro cents.
    pub costs: Vec<(Indicator, Option<i64>, Option<i64>)>,
    /// Hide cells under five businesses (funders and partners).
    pub hide_small: bool,
    /// The names the groups were labelled with (the territories among
    /// them), read once per report; the page's filters use them too.
    pub(super) labels: Labels,
}

impl Report {
    /// The figure of an indicator.
    pub fn figure(&self, i: Indicator) -> Option<&Figure> {
        self.figures.iter().find(|f| f.indicator == i)
    }

    /// The value of an indicator (0 when missing).
    pub fn value(&self, i: Indicator) -> f64 {
        self.figure(i).map(|f| f.value).unwrap_or(0.0)
    }

    /// Every target set, the made-aware one first: its figure is the
    /// cumulative curve's last point, its pace the page's headline.
    pub fn all_targets(&self) -> Vec<Target> {
        let mut all = Vec::with_capacity(self.targets.len() + 1);
        if self.settings.target_aware > 0 {
            all.push(Target {
                indicator: Indicator::Aware,
                target: self.settings.target_aware,
                reached: self
                    .timeline
                    .iter()
                    .rev()
                    .find_map(|m| m.reached)
                    .map(|v| v as f64)
                    .unwrap_or_else(|| self.value(Indicator::Aware)),
                pace: self.pace.clone(),
            });
        }
        all.extend(self.targets.iter().cloned());
        all
    }

    /// The target of an indicator, if one is set.
    pub fn target_of(&self, i: Indicator) -> Option<Target> {
        self.all_targets().into_iter().find(|t| t.indicator == i)
    }

    /// Funding shares with their amount.
    pub fn shares(&self) -> Vec<(FundingSource, Euros)> {
        FundingSource::ALL
            .iter()
            .zip(self.settings.shares.iter())
            .map(|(s, a)| (*s, *a))
            .collect()
    }
}

/// The period filter as instants on the programme's clock.
pub fn bounds(filter: &Filter, tz: &jiff::tz::TimeZone) -> Bounds {
    Bounds {
        from_ms: filter
            .from
            .and_then(|d| dates::to_ms(tz, d, Time::midnight())),
        to_ms: filter
            .to
            .and_then(|d| d.tomorrow().ok())
            .and_then(|d| dates::to_ms(tz, d, Time::midnight())),
    }
}

fn fig(indicator: Indicator, value: f64, aware: f64) -> Figure {
    Figure {
        indicator,
        value,
        denominator: indicator.denominator().map(|_| aware),
    }
}

/// The figures of the aggregates: made aware (`a` businesses), then the
/// other sources in the order `build` computes them.
fn figures_of(a: f64, others: &[Agg; 11]) -> Vec<Figure> {
    let [diagnosed, planned, coached, hours, referrals, funded, progressed, contact, feedback, requests, sessions] =
        others;
    vec![
        fig(Indicator::Aware, a, a),
        fig(Indicator::Diagnosed, diagnosed.distinct as f64, a),
        fig(Indicator::Planned, planned.distinct as f64, a),
        fig(Indicator::Coached, coached.distinct as f64, a),
        fig(Indicator::Hours, hours.sum as f64 / 60.0, a),
        fig(Indicator::Referred, referrals.distinct as f64, a),
        fig(Indicator::Funded, funded.distinct as f64, a),
        fig(Indicator::FundedAmount, funded.sum as f64 / 100.0, a),
        fig(Indicator::Progressed, progressed.distinct as f64, a),
        fig(
            Indicator::FirstContact,
            contact.avg.map(|ms| ms / 86_400_000.0).unwrap_or(0.0),
            a,
        ),
        fig(
            Indicator::ReferralTakeUp,
            if referrals.rows > 0 {
                referrals.sum as f64 * 100.0 / referrals.rows as f64
            } else {
                0.0
            },
            a,
        ),
        fig(Indicator::Satisfaction, feedback.avg.unwrap_or(0.0), a),
        fig(
            Indicator::RequestsPerWorkshop,
            if sessions.rows > 0 {
                requests.rows as f64 / sessions.rows as f64
            } else {
                0.0
            },
            a,
        ),
    ]
}

/// Compute the report for `filter`.
pub async fn build(
    db: &Db,
    folded: &facts::Folded,
    programme: &ProgrammeInfo,
    tr: Tr,
    filter: Filter,
    hide_small: bool,
) -> anyhow::Result<Report> {
    let id = programme
        .id
        .ok_or_else(|| anyhow::anyhow!("no programme"))?;
    let settings = store::settings(db, id).await?;
    let tz = dates::zone(&programme.timezone);
    let b = bounds(&filter, &tz);
    let rule = parse_rule(&settings.aware_rule);
    let aware_sources = store::aware_sources(&rule);
    // The programme's months, and the ends of those already begun (the cumulative curve).
    let start = settings.start_date.as_deref().and_then(dates::parse_date);
    let end = settings.end_date.as_deref().and_then(dates::parse_date);
    let today = dates::zoned(&tz, now_ms()).date();
    let months = match (start, end) {
        (Some(s), Some(e)) => month_starts(s, e),
        _ => vec![],
    };
    let past: Vec<i64> = if start.is_some() && end.is_some() {
        months
            .iter()
            .filter(|m| **m <= today)
            .filter_map(|m| {
                m.checked_add(jiff::Span::new().months(1))
                    .ok()
                    .and_then(|d| dates::to_ms(&tz, d, Time::midnight()))
            })
            .collect()
    } else {
        vec![]
    };
    // Every figure from the folded facts, brought up to date first (see
    // `facts`): one pass for the businesses made aware, one per other source.
    let terr = store::territories(db, tr.0).await?;
    let sector_parents = store::sector_parents(db).await?;
    const OTHERS: [Source; 11] = [
        Source::Diagnostic,
        Source::Plan,
        Source::Case,
        Source::Hours,
        Source::Referral,
        Source::Funded,
        Source::Progressed,
        Source::FirstContact,
        Source::Feedback,
        Source::Request,
        Source::Session,
    ];
    let (aware, others, all_time) = {
        let mut facts = folded.snapshot(db).await?;
        let sieve = facts.sieve(&filter, b, &terr, &sector_parents);
        let aware = facts.aware(&aware_sources, &sieve, &past);
        let others = OTHERS.map(|s| facts.aggregate(&[s], &sieve));
        // Targets count every period, under the other filters.
        let all_time = if settings.targets.is_empty() {
            None
        } else if b == Bounds::default() {
            Some(others)
        } else {
            let sieve = facts.sieve(&filter, Bounds::default(), &terr, &sector_parents);
            Some(OTHERS.map(|s| facts.aggregate(&[s], &sieve)))
        };
        (aware, others, all_time)
    };
    let facts::Aware {
        agg: aware,
        breakdowns: by_dimension,
        by_map,
        reached,
    } = aware;
    let figures = figures_of(aware.distinct as f64, &others);
    let [_, _, _, _, _, _, _, _, _, _, sessions] = others;
    let planned_requests = sessions.avg;

    // Pace and cumulative curve over the programme's period.
    let target = settings.target_aware;
    let mut timeline = vec![];
    let mut the_pace = None;
    if let (Some(s), Some(e)) = (start, end) {
        let n = months.len() as i64;
        for (i, m) in months.iter().enumerate() {
            timeline.push(Month {
                label: format!("{:04}-{:02}", m.year(), m.month()),
                reached: reached.get(i).copied(),
                expected: if n > 0 {
                    target * (i as i64 + 1) / n
                } else {
                    0
                },
            });
        }
        let so_far = reached.last().copied().unwrap_or(0);
        the_pace = pace(so_far, target, s, e, today.min(e));
    }
    let targets = match all_time {
        None => vec![],
        Some(all) => {
            let values = figures_of(aware.distinct as f64, &all);
            settings
                .targets
                .iter()
                .map(|(i, t)| {
                    let reached = values
                        .iter()
                        .find(|f| f.indicator == *i)
                        .map(|f| f.value)
                        .unwrap_or(0.0);
                    Target {
                        indicator: *i,
                        target: *t,
                        reached,
                        pace: match (start, end) {
                            (Some(s), Some(e)) => {
                                pace(reached.floor() as i64, *t, s, e, today.min(e))
                            }
                            _ => None,
                        },
                    }
                })
                .collect()
        }
    };

    // Breakdowns of the businesses made aware.
    let labels = Labels::load(db, tr, terr).await?;
    let mut by_area = by_map;
    by_area.sort();
    let mut breakdowns = vec![];
    let mut by_dimension = by_dimension;
    for d in Dimension::ALL {
        let rows = by_dimension
            .iter_mut()
            .find(|(x, _)| *x == *d)
            .map(|(_, rows)| std::mem::take(rows))
            .unwrap_or_default();
        breakdowns.push((*d, labels.cells(*d, filter.level.is_some(), rows)));
    }

    let gains = gains(db, &filter, b, tr).await?;
    let budget = store::budget_lines(db, id).await?;
    let planned_total = if settings.budget.cents() > 0 {
        settings.budget
    } else {
        Euros(budget.iter().map(|l| l.planned.cents()).sum())
    };
    let spent_total = Euros(budget.iter().map(|l| l.spent.cents()).sum());
    let costs = Indicator::FUNNEL
        .iter()
        .map(|i| {
            let n = figures
                .iter()
                .find(|f| f.indicator == *i)
                .map(|f| f.value as i64)
                .unwrap_or(0);
            (
                *i,
                cost_per(planned_total.cents(), n),
                cost_per(spent_total.cents(), n),
            )
        })
        .collect();
    Ok(Report {
        filter,
        settings,
        figures,
        planned_requests,
        pace: the_pace,
        targets,
        timeline,
        breakdowns,
        by_area,
        gains,
        budget,
        planned_total,
        spent_total,
        costs,
        hide_small,
        labels,
    })
}

/// Average first and last scores per dimension of the businesses diagnosed twice.
pub(super) async fn gains(
    db: &Db,
    filter: &Filter,
    b: Bounds,
    tr: Tr,
) -> anyhow::Result<Vec<Gain>> {
    use crate::diagnostic::scoring::Scores;
    let pairs = store::score_pairs(db, filter, b).await?;
    let bank = crate::diagnostic::store::current_bank(db).await?;
    let mut sums: Vec<(String, String, i64, f64, f64)> = bank
        .dimensions
        .iter()
        .map(|d| (d.code.clone(), d.title(tr.0).to_string(), 0, 0.0, 0.0))
        .collect();
    for (t0, t1) in pairs {
        let (Ok(a), Ok(z)) = (
            serde_json::from_str::<Scores>(&t0),
            serde_json::from_str::<Scores>(&t1),
        ) else {
            continue;
        };
        for s in sums.iter_mut() {
            if let (Some(x), Some(y)) = (a.of(&s.0), z.of(&s.0)) {
                s.2 += 1;
                s.3 += x;
                s.4 += y;
            }
        }
    }
    Ok(sums
        .into_iter()
        .filter(|s| s.2 > 0)
        .map(|(code, title, n, x, y)| Gain {
            code,
            dimension: title,
            businesses: n,
            t0: x / n as f64,
            t1: y / n as f64,
        })
        .collect())
}

/// Today on the programme's clock.
pub fn today(programme: &ProgrammeInfo) -> Date {
    dates::zoned(&dates::zone(&programme.timezone), now_ms()).date()
}

/// The names a breakdown's group codes are shown by, read once per report.
pub(super) struct Labels {
    tr: Tr,
    unknown: String,
    pub terr: std::sync::Arc<Territories>,
    sectors: HashMap<String, String>,
    themes: HashMap<String, String>,
    partners: HashMap<String, String>,
    advisers: HashMap<String, String>,
}

impl Labels {
    pub(super) async fn load(
        db: &Db,
        tr: Tr,
        terr: std::sync::Arc<Territories>,
    ) -> anyhow::Result<Labels> {
        let ids = |rows: Vec<(i64, String)>| -> HashMap<String, String> {
            rows.into_iter().map(|(i, n)| (i.to_string(), n)).collect()
        };
        Ok(Labels {
            tr,
            unknown: tr.t("ws-unknown"),
            terr,
            sectors: store::all_sector_names(db, tr.0)
                .await?
                .into_iter()
                .collect(),
            themes: store::theme_names(db, tr.0).await?.into_iter().collect(),
            partners: ids(store::partner_names(db).await?),
            advisers: ids(store::adviser_names(db).await?),
        })
    }

    /// A sector's name, the code when unknown.
    pub(super) fn sector(&self, code: &str) -> String {
        self.sectors
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }

    /// The label of one group of dimension `d`; `at_level` when the
    /// territory groups are already at the chosen level.
    fn label(&self, d: Dimension, at_level: bool, g: Option<String>) -> String {
        let tr = self.tr;
        let Some(code) = g else {
            return match d {
                Dimension::Partner => tr.t("ws-no-partner"),
                Dimension::Theme | Dimension::Format => tr.t("dash-no-workshop"),
                _ => self.unknown.clone(),
            };
        };
        match d {
            Dimension::Territory if at_level => {
                self.terr.get(&code).map(|t| t.name.clone()).unwrap_or(code)
            }
            Dimension::Territory => area(&self.terr, Some(&code), &self.unknown),
            Dimension::Sector => self.sector(&code),
            Dimension::Size => crate::business::model::SizeBand::from_code(&code)
                .map(|s| tr.t(s.label_key()))
                .unwrap_or(code),
            Dimension::Theme => self.themes.get(&code).cloned().unwrap_or(code),
            Dimension::Format => crate::workshops::model::Format::from_code(&code)
                .map(|f| tr.t(f.label_key()))
                .unwrap_or(code),
            Dimension::Partner => self.partners.get(&code).cloned().unwrap_or(code),
            Dimension::Adviser => self.advisers.get(&code).cloned().unwrap_or(code),
        }
    }

    /// A breakdown's groups as labelled cells, largest first (groups of the
    /// same label merged).
    pub(super) fn cells(&self, d: Dimension, at_level: bool, rows: facts::Groups) -> Vec<Cell> {
        merged(
            rows.into_iter()
                .map(|(g, n)| (self.label(d, at_level, g), n)),
        )
    }
}

/// Labelled counts as cells, those of the same label added up, largest first.
pub(super) fn merged(rows: impl IntoIterator<Item = (String, i64)>) -> Vec<Cell> {
    let mut merged: HashMap<String, i64> = HashMap::new();
    for (label, n) in rows {
        *merged.entry(label).or_insert(0) += n;
    }
    let mut cells: Vec<Cell> = merged
        .into_iter()
        .map(|(label, count)| Cell { label, count })
        .collect();
    cells.sort_by(|x, y| y.count.cmp(&x.count).then(x.label.cmp(&y.label)));
    cells
}
