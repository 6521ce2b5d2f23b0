//! The demo programme's dashboard settings, from its brief: 28 months (we
//! are in month 14), 1,600 businesses to make aware, a 337,000 EUR budget
//! half regional and half from private sponsors, and a few budget lines.
//! Idempotent: left alone once the programme has a start date.

use jiff::civil::Date;
use jiff::Span;

use super::model::{BudgetCategory, Indicator};
use super::store::{self, Settings};
use crate::db::Db;
use crate::kernel::money::Euros;

/// Start and end of a 28-month programme in its 14th month on `today`.
pub fn demo_period(today: Date) -> Option<(Date, Date)> {
    let first = Date::new(today.year(), today.month(), 1).ok()?;
    let start = first.checked_sub(Span::new().months(13)).ok()?;
    let end = start
        .checked_add(Span::new().months(28))
        .ok()?
        .yesterday()
        .ok()?;
    Some((start, end))
}

pub async fn seed(db: &Db, programme_id: i64, timezone: &str) -> anyhow::Result<()> {
    let current = store::settings(db, programme_id).await?;
    if current.start_date.is_some() {
        return Ok(());
    }
    let tz = crate::kernel::dates::zone(timezone);
    let today = crate::kernel::dates::zoned(&tz, crate::db::now_ms()).date();
    let Some((start, end)) = demo_period(today) else {
        return Ok(());
    };
    let half = Euros::from_units(168_500);
    store::save_settings(
        db,
        programme_id,
        &Settings {
            start_date: Some(start.to_string()),
            end_date: Some(end.to_string()),
            target_date: Some(end.to_string()),
            target_aware: 1600,
            budget: Euros::from_units(337_000),
            aware_rule: current.aware_rule,
            shares: [half, Euros(0), half, Euros(0)],
            targets: vec![
                (Indicator::Diagnosed, 800),
                (Indicator::Coached, 300),
                (Indicator::Hours, 1_200),
                (Indicator::Funded, 100),
            ],
            report_notes: "Programme de démonstration : les chiffres viennent des données d'exemple.\n\n\
                           Les ateliers de l'automne ont été déplacés en visio pendant deux semaines."
                .into(),
        },
    )
    .await?;
    if store::budget_lines(db, programme_id).await?.is_empty() {
        for (c, label, planned, spent) in [
            (
                BudgetCategory::Staff,
                "Chargés de mission (2 ETP)",
                180_000,
                92_000,
            ),
            (
                BudgetCategory::Venues,
                "Salles des ateliers",
                32_000,
                15_400,
            ),
            (
                BudgetCategory::Speakers,
                "Intervenants experts",
                58_000,
                27_500,
            ),
            (
                BudgetCategory::Communication,
                "Campagne et supports",
                35_000,
                18_200,
            ),
            (
                BudgetCategory::Equipment,
                "Ordinateurs et visio",
                20_000,
                16_800,
            ),
            (BudgetCategory::Other, "Évaluation finale", 12_000, 0),
        ] {
            store::add_budget_line(
                db,
                programme_id,
                c,
                label,
                Euros::from_units(planned),
                Euros::from_units(spent),
            )
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_is_in_month_14_of_28() {
        let today: Date = "2026-12-04".parse().unwrap();
        let (s, e) = demo_period(today).unwrap();
        assert_eq!(s.to_string(), "2025-11-01");
        assert_eq!(e.to_string(), "2028-02-29");
        assert_eq!(super::super::model::months_between(s, e), 28);
        let p = super::super::model::pace(800, 1600, s, e, today).unwrap();
        assert_eq!(p.month, 14);
    }
}
