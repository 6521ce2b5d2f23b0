//! A business owner's page of the equipment lent to their business: what
//! is out now (with its due date) and what was returned (with the date and
//! condition). Only the signed-in member's own business.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::model::{Condition, Kind};
use super::store;
use crate::db::Db;
use crate::web::{page, AppError, PageCtx};

/// A loan as its borrower sees it.
pub struct MyLoan {
    pub id: i64,
    pub item: String,
    pub kind: String,
    pub since: String,
    pub due: String,
    /// Still out and past its due date.
    pub overdue: bool,
    pub returned: String,
    pub condition: String,
}

#[derive(Template)]
#[template(path = "loans/mine.html")]
struct MinePage {
    ctx: PageCtx,
    business: Option<String>,
    current: Vec<MyLoan>,
    past: Vec<MyLoan>,
}

/// `GET /mes-prets`: the loans of the signed-in member's business.
pub async fn mine(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let tr = ctx.tr;
    let date = |s: &str| crate::kernel::dates::show_date_text(tr.0, s);
    let today = crate::kernel::dates::date_input(
        &crate::kernel::dates::zone(&ctx.programme.timezone),
        crate::db::now_ms(),
    );
    let business = match ctx.user.as_ref() {
        Some(u) => crate::business::store::for_member(&db, u.id).await?,
        None => None,
    };
    let rows = match &business {
        Some(b) => store::loans_of(&db, b.id).await?,
        None => vec![],
    };
    let (mut current, mut past) = (vec![], vec![]);
    for l in &rows {
        let kind = Kind::parse(&l.item_kind).unwrap_or(Kind::Other);
        let line = MyLoan {
            id: l.id,
            item: l.item_label.clone(),
            kind: tr.t(kind.label_key()),
            since: date(&l.starts_on),
            due: date(&l.due_on),
            overdue: l.returned_on.is_none() && l.due_on.as_str() < today.as_str(),
            returned: l.returned_on.as_deref().map(date).unwrap_or_default(),
            condition: l
                .condition_back
                .as_deref()
                .and_then(Condition::parse)
                .map(|c| tr.t(c.label_key()))
                .unwrap_or_default(),
        };
        if l.returned_on.is_none() {
            current.push(line);
        } else {
            past.push(line);
        }
    }
    Ok(page(&MinePage {
        business: business.map(|b| b.name),
        current,
        past,
        ctx,
    }))
}
