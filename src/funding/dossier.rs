//! The application dossier (PDF): the business's identity, its latest
//! diagnostic (scores and plan), the project, its cost and the simulated aid.

use super::store::{self, ApplicationRow};
use crate::db::Db;
use crate::diagnostic::{scoring, store as diag};
use crate::kernel::money::Euros;
use crate::kernel::pdf::Doc;
use crate::web::{AppError, PageCtx};

type Rgb = (f64, f64, f64);
const INK: Rgb = (0.1, 0.12, 0.14);
const MUTED: Rgb = (0.35, 0.38, 0.42);
const BRAND: Rgb = (0.043, 0.365, 0.478);

/// The dossier of application `a` in the page's language.
pub async fn pdf(db: &Db, ctx: &PageCtx, a: &ApplicationRow) -> Result<Vec<u8>, AppError> {
    let tr = ctx.tr;
    let locale = tr.0;
    let b = crate::business::store::get(db, a.business_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let scheme = store::get(db, a.scheme_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut doc = Doc::new(&format!(
        "{} · {}",
        ctx.programme.name,
        tr.t("funding-dossier-title")
    ));
    doc.set_meta(&tr.t("funding-dossier-title"), tr.lang());
    doc.heading(&tr.t("funding-dossier-title"), 1, 20.0, BRAND);
    doc.paragraph(scheme.title(locale), 13.0, true, INK, 0.0);
    doc.paragraph(&ctx.programme.name, 10.0, false, MUTED, 0.0);
    doc.space(8.0);

    doc.heading(&tr.t("funding-dossier-identity"), 2, 14.0, BRAND);
    let identity = [
        (tr.t("funding-dossier-name"), b.name.clone()),
        (tr.t("funding-dossier-legal-id"), b.legal_id_display.clone()),
        (tr.t("funding-dossier-address"), b.address.clone()),
        (
            tr.t("funding-dossier-commune"),
            b.commune_name.clone().unwrap_or_default(),
        ),
        (
            tr.t("funding-dossier-sector"),
            b.sector_code.clone().unwrap_or_default(),
        ),
        (tr.t("funding-dossier-size"), b.size_band.clone()),
    ];
    for (k, v) in identity.iter().filter(|(_, v)| !v.is_empty()) {
        doc.paragraph(&format!("{k} : {v}"), 10.5, false, INK, 0.0);
    }
    doc.space(6.0);

    doc.heading(&tr.t("funding-dossier-diagnostic"), 2, 14.0, BRAND);
    let series = diag::series(db, Some(b.id), None).await?;
    match series.last() {
        None => doc.paragraph(
            &tr.t("funding-dossier-no-diagnostic"),
            10.5,
            false,
            INK,
            0.0,
        ),
        Some(d) => {
            let bank = diag::bank(db, &d.bank_version)
                .await
                .map_err(AppError::Internal)?;
            let responses = diag::responses(db, d.id).await?;
            let scores = scoring::score(&bank, d.is_full(), &responses);
            let plan = scoring::plan(&bank, d.is_full(), &responses, &scores);
            doc.paragraph(
                &format!(
                    "{} : {} / 100 ({})",
                    tr.t("diag-overall"),
                    scores
                        .overall
                        .map(|o| format!("{o:.0}"))
                        .unwrap_or_else(|| "—".into()),
                    ctx.datetime(d.taken_at())
                ),
                11.0,
                true,
                INK,
                0.0,
            );
            for (code, score) in &scores.dimensions {
                let title = bank
                    .dimension(code)
                    .map(|x| x.title(locale).to_string())
                    .unwrap_or_else(|| code.clone());
                let s = score
                    .map(|v| format!("{v:.0}"))
                    .unwrap_or_else(|| "—".into());
                doc.paragraph(&format!("{title} : {s}"), 10.0, false, INK, 10.0);
            }
            doc.space(4.0);
            doc.paragraph(&tr.t("diag-plan-title"), 11.0, true, INK, 0.0);
            for (i, p) in plan.iter().enumerate() {
                if let Some(step) = bank.step(&p.code) {
                    doc.paragraph(
                        &format!("{}. {}", i + 1, step.title(locale)),
                        10.0,
                        false,
                        INK,
                        10.0,
                    );
                }
            }
        }
    }
    doc.space(6.0);

    doc.heading(&tr.t("funding-dossier-project"), 2, 14.0, BRAND);
    if !a.project.is_empty() {
        doc.paragraph(&a.project, 10.5, false, INK, 0.0);
    }
    let money = |c: Option<i64>| {
        c.map(|c| Euros(c).format(locale))
            .unwrap_or_else(|| "—".into())
    };
    doc.paragraph(
        &format!("{} : {}", tr.t("funding-dossier-cost"), money(a.cost_cents)),
        10.5,
        false,
        INK,
        0.0,
    );
    doc.paragraph(
        &format!(
            "{} : {}",
            tr.t("funding-field-amount"),
            super::pages::formula_text(tr, &scheme)
        ),
        10.5,
        false,
        INK,
        0.0,
    );
    doc.paragraph(
        &format!(
            "{} : {}",
            tr.t("funding-dossier-simulated"),
            money(a.simulated_cents)
        ),
        11.0,
        true,
        INK,
        0.0,
    );
    doc.paragraph(
        &format!(
            "{} : {}",
            tr.t("funding-dossier-status"),
            tr.t(a.status().label_key())
        ),
        10.5,
        false,
        MUTED,
        0.0,
    );
    Ok(doc.finish())
}
