//! The starter set of practical guides (seed/guides/*.md), loaded by the demo
//! seed; the same files import with `tremplin guides import seed/guides`.

use crate::db::Db;

macro_rules! guide_files {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../seed/guides/", $name)))),*]
    };
}

/// The starter guides: file name and text.
pub const STARTER: &[(&str, &str)] = guide_files!(
    "referencement-local.md",
    "choisir-smartphone-ordinateur.md",
    "fiche-google-business.md",
    "paiement-en-ligne.md",
    "facture-electronique.md",
    "sauvegardes.md",
    "mots-de-passe-2fa.md",
    "reseaux-sociaux.md",
    "reservation-en-ligne.md",
    "rgpd-essentiel.md",
    "accessibilite-site.md",
    "cybersecurite-essentiel.md",
);

/// Load the starter guides (idempotent: unchanged files write nothing).
pub async fn seed(db: &Db) -> anyhow::Result<()> {
    let files: Vec<(String, String)> = STARTER
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    let report = super::files::import(db, &files, None).await?;
    if let Some((name, p)) = report.rejected.first() {
        anyhow::bail!("seed/guides/{name}: {}", super::files::describe(p));
    }
    Ok(())
}
