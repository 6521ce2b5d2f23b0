//! The providers an action plan points to: for each theme of the plan, the
//! first published cards (by name) serving the business's places, then those
//! working remotely. Answered from the directory's snapshot (`index.rs`), so
//! a results page costs no query here and reads no more than the few cards
//! it shows, whatever the number of cards in the directory.

use std::collections::HashMap;
use std::sync::Arc;

use super::index::{Snapshot, Snapshots};
use crate::db::Db;

/// One provider under a plan step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanProvider {
    pub id: i64,
    pub name: String,
    /// Serves one of the places (else works remotely).
    pub local: bool,
}

/// For each theme slug of `themes`, at most `per_theme` published cards of
/// that theme: those naming one of `places` (every card when `places` is
/// empty) first, then those working remotely, each group by name.
pub async fn providers(
    db: &Db,
    snaps: &Arc<Snapshots>,
    themes: &[impl AsRef<str>],
    places: &[String],
    per_theme: usize,
) -> Result<HashMap<String, Vec<PlanProvider>>, sqlx::Error> {
    let snap = snaps.get(db).await?;
    Ok(providers_of(&snap, themes, places, per_theme))
}

/// Territory `code` and its ancestors, nearest first: from the snapshot,
/// or from the database for a territory added since it was read.
pub async fn places(
    db: &Db,
    snaps: &Arc<Snapshots>,
    code: &str,
) -> Result<Vec<String>, sqlx::Error> {
    if code.is_empty() {
        return Ok(vec![]);
    }
    match snaps.get(db).await?.with_ancestors(code) {
        Some(places) => Ok(places),
        None => crate::guides::store::with_ancestors(db, code).await,
    }
}

/// [`providers`] over a snapshot.
pub(super) fn providers_of(
    snap: &Snapshot,
    themes: &[impl AsRef<str>],
    places: &[String],
    per_theme: usize,
) -> HashMap<String, Vec<PlanProvider>> {
    let codes: Vec<u32> = places.iter().filter_map(|p| snap.code(p)).collect();
    let mut out = HashMap::new();
    for slug in themes {
        let slug = slug.as_ref();
        let Some(theme) = snap.theme_index(slug) else {
            continue;
        };
        let mut local: Vec<u32> = Vec::with_capacity(per_theme);
        let mut remote: Vec<u32> = Vec::with_capacity(per_theme);
        for &at in snap.by_name_in_theme(theme) {
            if local.len() >= per_theme {
                break;
            }
            let (_, remote_too, areas) = snap.card(at);
            if places.is_empty() || areas.iter().any(|a| codes.contains(a)) {
                local.push(at);
            } else if remote_too && remote.len() < per_theme {
                remote.push(at);
            }
        }
        let picks: Vec<PlanProvider> = local
            .iter()
            .map(|&at| (at, true))
            .chain(remote.iter().map(|&at| (at, false)))
            .take(per_theme)
            .map(|(at, local)| PlanProvider {
                id: snap.card(at).0,
                name: snap.name(at).to_string(),
                local,
            })
            .collect();
        if !picks.is_empty() {
            out.insert(slug.to_string(), picks);
        }
    }
    out
}
