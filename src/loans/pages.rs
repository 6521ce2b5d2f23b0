//! The staff page of equipment loans: the inventory, lending, returns.

// The select macro of needs/parts.html compares codes with the submitted text.
#![allow(clippy::cmp_owned)]

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;

use super::model::{Condition, ItemForm, Kind, LoanForm, ReturnForm};
use super::store::{self, Lent};
use crate::auth::CurrentUser;
use crate::db::Db;
use crate::web::forms::{Violations, WebForm};
use crate::web::{page, render, AppError, PageCtx};

/// An item as shown.
pub struct ItemLine {
    pub id: i64,
    pub kind: String,
    pub label: String,
    pub serial: String,
    pub condition: String,
    pub out_to: Option<String>,
    pub due: String,
}

/// A loan as shown.
pub struct LoanLine {
    pub id: i64,
    pub item: String,
    pub business: String,
    pub period: String,
    pub out: bool,
    pub returned: String,
    pub reminded: bool,
}

#[derive(Template)]
#[template(path = "loans/admin.html")]
struct AdminPage {
    ctx: PageCtx,
    items: Vec<ItemLine>,
    loans: Vec<LoanLine>,
    item_form: ItemForm,
    item_errors: Violations,
    loan_form: LoanForm,
    loan_errors: Violations,
    refused: Option<String>,
    saved: bool,
    kinds: Vec<(&'static str, String)>,
    conditions: Vec<(&'static str, String)>,
    available: Vec<(String, String)>,
    businesses: Vec<(String, String)>,
    today: String,
}

#[derive(Default)]
struct Forms {
    item_form: ItemForm,
    item_errors: Violations,
    loan_form: LoanForm,
    loan_errors: Violations,
    refused: Option<String>,
    saved: bool,
}

async fn admin_page(db: &Db, ctx: PageCtx, f: Forms) -> Result<AdminPage, AppError> {
    let tr = ctx.tr;
    let date = |s: &str| crate::kernel::dates::show_date_text(tr.0, s);
    let rows = store::items(db).await?;
    let available = rows
        .iter()
        .filter(|i| {
            i.loan_id.is_none() && Condition::parse(&i.condition).is_some_and(|c| c.lendable())
        })
        .map(|i| {
            let serial = if i.serial.is_empty() {
                String::new()
            } else {
                format!(" ({})", i.serial)
            };
            (i.id.to_string(), format!("{}{serial}", i.label))
        })
        .collect();
    let items = rows
        .iter()
        .map(|i| ItemLine {
            id: i.id,
            kind: tr.t(Kind::parse(&i.kind).unwrap_or(Kind::Other).label_key()),
            label: i.label.clone(),
            serial: i.serial.clone(),
            condition: tr.t(Condition::parse(&i.condition)
                .unwrap_or(Condition::Good)
                .label_key()),
            out_to: i.business_name.clone(),
            due: i.due_on.as_deref().map(date).unwrap_or_default(),
        })
        .collect();
    let loans = store::loans(db)
        .await?
        .iter()
        .map(|l| LoanLine {
            id: l.id,
            item: l.item_label.clone(),
            business: l.business_name.clone(),
            period: format!("{} – {}", date(&l.starts_on), date(&l.due_on)),
            out: l.returned_on.is_none(),
            returned: match (&l.returned_on, &l.condition_back) {
                (Some(on), Some(c)) => format!(
                    "{} · {}",
                    date(on),
                    tr.t(Condition::parse(c).unwrap_or(Condition::Good).label_key())
                ),
                (Some(on), None) => date(on),
                _ => String::new(),
            },
            reminded: l.reminded_at.is_some(),
        })
        .collect();
    let businesses = crate::testimonies::store::businesses(db)
        .await?
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    let today = crate::kernel::dates::date_input(
        &crate::kernel::dates::zone(&ctx.programme.timezone),
        crate::db::now_ms(),
    );
    Ok(AdminPage {
        kinds: Kind::ALL
            .iter()
            .map(|k| (k.code(), tr.t(k.label_key())))
            .collect(),
        conditions: Condition::ALL
            .iter()
            .map(|c| (c.code(), tr.t(c.label_key())))
            .collect(),
        items,
        loans,
        available,
        businesses,
        today,
        item_form: f.item_form,
        item_errors: f.item_errors,
        loan_form: f.loan_form,
        loan_errors: f.loan_errors,
        refused: f.refused,
        saved: f.saved,
        ctx,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SavedQuery {
    enregistre: Option<String>,
}

/// `GET /admin/pret-materiel`
pub async fn admin(
    State(db): State<Db>,
    ctx: PageCtx,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let f = Forms {
        item_form: ItemForm {
            condition: "good".into(),
            ..Default::default()
        },
        saved: q.enregistre.is_some(),
        ..Default::default()
    };
    Ok(page(&admin_page(&db, ctx, f).await?))
}

fn done() -> Response {
    Redirect::to("/admin/pret-materiel?enregistre=1").into_response()
}

/// `POST /admin/pret-materiel`: add an item to the inventory.
pub async fn add_item(
    State(db): State<Db>,
    ctx: PageCtx,
    WebForm(form): WebForm<ItemForm>,
) -> Result<Response, AppError> {
    match form.parse() {
        Ok(item) => {
            store::insert_item(&db, &item).await?;
            Ok(done())
        }
        Err(errors) => {
            let f = Forms {
                item_form: form,
                item_errors: errors,
                ..Default::default()
            };
            let p = admin_page(&db, ctx, f).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

/// `POST /admin/pret-materiel/pret`: lend an item; one already out is
/// refused with a message and the form kept.
pub async fn lend(
    State(db): State<Db>,
    ctx: PageCtx,
    Extension(user): Extension<CurrentUser>,
    WebForm(form): WebForm<LoanForm>,
) -> Result<Response, AppError> {
    let (status, f) = match form.parse() {
        Err(errors) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Forms {
                loan_form: form,
                loan_errors: errors,
                ..Default::default()
            },
        ),
        Ok(loan) => {
            let key = match store::lend(&db, &loan, user.as_ref().map(|u| u.id)).await? {
                Lent::Done(_) => return Ok(done()),
                Lent::AlreadyOut => "loans-already-out",
                Lent::NotLendable => "loans-not-lendable",
                Lent::NoSuchItem => "loans-no-item",
                Lent::NoSuchBusiness => "loans-no-business",
            };
            (
                StatusCode::CONFLICT,
                Forms {
                    loan_form: form,
                    refused: Some(ctx.tr.t(key)),
                    ..Default::default()
                },
            )
        }
    };
    let p = admin_page(&db, ctx, f).await?;
    Ok(render(status, &p))
}

/// `POST /admin/pret-materiel/{id}/retour`: the item is back, in this condition.
pub async fn give_back(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<ReturnForm>,
) -> Result<Response, AppError> {
    store::loan(&db, id).await?.ok_or(AppError::NotFound)?;
    let refused = match form.parse() {
        Ok((condition, on)) => {
            if store::give_back(&db, id, condition, &on).await? {
                return Ok(done());
            }
            ctx.tr.t("loans-already-returned")
        }
        Err(errors) => errors
            .summary(ctx.tr)
            .into_iter()
            .map(|(_, m)| m)
            .collect::<Vec<_>>()
            .join(" "),
    };
    let f = Forms {
        refused: Some(refused),
        ..Default::default()
    };
    let p = admin_page(&db, ctx, f).await?;
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
}
