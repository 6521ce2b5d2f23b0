//! Demo sponsors of the programme's brief (half of the 337,000 EUR budget
//! comes from private sponsors): an exclusive IT sponsor except hardware, a
//! hardware maker and a bank. Idempotent: left alone once any sponsor exists.

use super::model::{Category, NewSponsor, Tier};
use super::store;
use crate::db::Db;
use crate::kernel::money::Euros;

pub async fn seed(db: &Db, programme_id: i64) -> anyhow::Result<()> {
    if !store::list(db, programme_id).await?.is_empty() {
        return Ok(());
    }
    let s = |name: &str, link: &str, category, tier, euros, exclusive, except: &[Category]| {
        NewSponsor {
            name: name.into(),
            link: link.into(),
            logo_url: String::new(),
            category,
            tier,
            amount: Euros::from_units(euros),
            exclusive,
            except: except.to_vec(),
            starts_on: "2026-01-01".into(),
            ends_on: "2028-06-30".into(),
        }
    };
    for sponsor in [
        s(
            "Numérique Atlantique",
            "https://numerique-atlantique.example",
            Category::It,
            Tier::Gold,
            80_000,
            true,
            &[Category::Hardware],
        ),
        s(
            "Matériel Pro Aquitaine",
            "https://materiel-pro.example",
            Category::Hardware,
            Tier::Silver,
            45_000,
            false,
            &[],
        ),
        s(
            "Banque des Artisans",
            "https://banque-artisans.example",
            Category::Bank,
            Tier::Silver,
            43_500,
            false,
            &[],
        ),
    ] {
        let _ = store::insert(db, programme_id, &sponsor, None).await?;
    }
    Ok(())
}
