//! The home page: what the programme is and what it offers; `attach`
//! brings a person's anonymous work to their account.

pub mod attach;

use askama::Template;
use axum::response::Response;
use axum::routing::get;

use crate::web::access::{Access, Routes};
use crate::web::{page, PageCtx};

/// Routes of the home page, each with who may use it.
pub fn routes() -> Routes {
    Routes::new().route("/", Access::Public, get(home))
}

#[derive(Template)]
#[template(path = "home/page.html")]
struct HomePage {
    ctx: PageCtx,
    summary: String,
    offers: Vec<(&'static str, &'static str, &'static str)>,
    steps: Vec<&'static str>,
}

/// `GET /`
async fn home(ctx: PageCtx) -> Response {
    let summary = ctx.programme.summary(ctx.tr.0).to_string();
    let offers = vec![
        (
            "diagnostic",
            "offer-diagnostic-title",
            "offer-diagnostic-body",
        ),
        ("workshops", "offer-workshops-title", "offer-workshops-body"),
        ("coaching", "offer-coaching-title", "offer-coaching-body"),
        ("directory", "offer-directory-title", "offer-directory-body"),
        ("guides", "offer-guides-title", "offer-guides-body"),
        ("funding", "offer-funding-title", "offer-funding-body"),
    ];
    let steps = vec![
        "journey-1",
        "journey-2",
        "journey-3",
        "journey-4",
        "journey-5",
    ];
    page(&HomePage {
        ctx,
        summary,
        offers,
        steps,
    })
}
