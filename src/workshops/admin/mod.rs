//! Programme managers' pages: sessions (create one by one or in series,
//! duplicate, edit, cancel), registrations and waiting lists, and exports.

pub mod exports;
pub mod registrations;
pub mod sessions;

use crate::state::AppState;
use crate::web::{AppError, PageCtx};
use crate::workshops::forms::Choices;
use crate::workshops::store;

/// The menus of the session forms, in the visitor's language.
pub async fn choices(state: &AppState, ctx: &PageCtx) -> Result<Choices, AppError> {
    let db = &state.db;
    let english = ctx.tr.0 == crate::i18n::Locale::En;
    let sectors = crate::reference::sector_divisions(db, english).await?;
    let (parents, sections) = store::sector_sections(db, ctx.tr.0).await?;
    Ok(Choices {
        themes: store::active_themes(db, ctx.tr.0).await?,
        communes: crate::reference::communes(db, english).await?,
        partners: store::partners(db).await?,
        speakers: store::speaker_candidates(db).await?,
        sector_groups: Choices::group_sectors(&sectors, &parents, &sections),
        sectors,
    })
}
