//! The jurors' pages: their calls and one score sheet per application.

use super::*;

/// An application in a juror's list.
pub struct JuryLine {
    pub id: i64,
    pub business: String,
    pub title: String,
    pub state: &'static str,
    pub state_label: String,
}

/// A call in a juror's list.
pub struct JuryCall {
    pub card: CallCard,
    pub apps: Vec<JuryLine>,
}

#[derive(Template)]
#[template(path = "calls/jury.html")]
struct JuryPage {
    ctx: PageCtx,
    calls: Vec<JuryCall>,
}

/// `GET /jury`: the calls the signed-in person sits on the jury of, each
/// submitted application with where their own sheet stands.
pub async fn jury(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let tr = ctx.tr;
    let me = user_of(&ctx)?.id;
    let today = today(&ctx);
    let mut calls = vec![];
    for c in store::juror_calls(&db, me).await? {
        let mine = store::my_sheets(&db, c.id, me).await?;
        let apps = store::submitted(&db, c.id)
            .await?
            .into_iter()
            .map(|a| {
                let state = match mine.iter().find(|m| m.0 == a.id) {
                    None => "todo",
                    Some((_, None)) => "saved",
                    Some((_, Some(_))) => "submitted",
                };
                JuryLine {
                    id: a.id,
                    business: a.business_name,
                    title: a.title,
                    state,
                    state_label: tr.t(&format!("calls-sheet-{state}")),
                }
            })
            .collect();
        calls.push(JuryCall {
            card: CallCard::new(tr, &c, &today),
            apps,
        });
    }
    Ok(page(&JuryPage { ctx, calls }))
}

/// One criterion's line on a sheet.
pub struct SheetLine {
    pub index: usize,
    pub label: String,
    pub max: i64,
    pub value: String,
    pub error: Option<String>,
    /// On a conflict: what is saved now, next to what was typed.
    pub saved_now: Option<String>,
}

#[derive(Template)]
#[template(path = "calls/sheet.html")]
struct SheetPage {
    ctx: PageCtx,
    app_id: i64,
    call_title: String,
    business: String,
    title: String,
    project: String,
    lines: Vec<SheetLine>,
    comment: String,
    version: i64,
    final_: bool,
    refused: Option<String>,
    saved: bool,
    summary: Vec<(String, String)>,
    my_total: i64,
    grid_max: i64,
    /// Once their sheet is submitted: how many jurors submitted, their average.
    jury: Option<String>,
}

/// The application behind a sheet, if the signed-in person is on its jury.
async fn juror_app(
    db: &Db,
    ctx: &PageCtx,
    id: i64,
) -> Result<(ApplicationRow, i64, Vec<store::CriterionRow>), AppError> {
    let me = user_of(ctx)?.id;
    let app = store::application(db, id)
        .await?
        .filter(|a| a.status() != AppStatus::Draft)
        .ok_or(AppError::NotFound)?;
    if !store::is_juror(db, app.call_id, me).await? {
        return Err(AppError::Forbidden);
    }
    let grid = store::criteria(db, app.call_id).await?;
    Ok((app, me, grid))
}

struct SheetState {
    typed: Vec<String>,
    comment: String,
    version: i64,
    final_: bool,
    refused: Option<String>,
    saved: bool,
    problems: Vec<(usize, model::ScoreProblem)>,
    saved_now: Option<Vec<String>>,
}

async fn sheet_page(
    db: &Db,
    ctx: PageCtx,
    app: ApplicationRow,
    grid: &[store::CriterionRow],
    s: SheetState,
) -> Result<SheetPage, AppError> {
    let tr = ctx.tr;
    let message = |i: usize, p: model::ScoreProblem| {
        let c = &grid[i];
        tr.args(
            p.key(),
            &[
                ("criterion", c.label(tr.0)),
                ("max", &c.max_points.to_string()),
            ],
        )
    };
    let lines: Vec<SheetLine> = grid
        .iter()
        .enumerate()
        .map(|(i, c)| SheetLine {
            index: i,
            label: c.label(tr.0).to_string(),
            max: c.max_points,
            value: s.typed.get(i).cloned().unwrap_or_default(),
            error: s
                .problems
                .iter()
                .find(|p| p.0 == i)
                .map(|p| message(p.0, p.1)),
            saved_now: s.saved_now.as_ref().map(|v| v[i].clone()),
        })
        .collect();
    let summary = s
        .problems
        .iter()
        .map(|(i, p)| (format!("points-{i}"), message(*i, *p)))
        .collect();
    let my_total = model::total(
        &lines
            .iter()
            .filter_map(|l| l.value.trim().parse::<i64>().ok())
            .collect::<Vec<_>>(),
    );
    let jury = if s.final_ {
        let totals: Vec<i64> = store::totals(db, app.call_id)
            .await?
            .iter()
            .filter(|t| t.application_id == app.id)
            .map(|t| t.total)
            .collect();
        let average = model::average_tenths(&totals)
            .map(|t| model::show_tenths(tr.0, t))
            .unwrap_or_default();
        Some(tr.args(
            "calls-jury-average",
            &[("count", &totals.len().to_string()), ("average", &average)],
        ))
    } else {
        None
    };
    Ok(SheetPage {
        app_id: app.id,
        call_title: app.call_title(tr.0).to_string(),
        business: app.business_name,
        title: app.title,
        project: app.project,
        grid_max: model::grid_max(&grid.iter().map(|c| c.max_points).collect::<Vec<_>>()),
        lines,
        comment: s.comment,
        version: s.version,
        final_: s.final_,
        refused: s.refused,
        saved: s.saved,
        summary,
        my_total,
        jury,
        ctx,
    })
}

/// The sheet as stored: points in grid order, comment, version, final.
async fn stored_sheet(
    db: &Db,
    app: i64,
    me: i64,
    grid: &[store::CriterionRow],
) -> Result<(Vec<String>, String, i64, bool), AppError> {
    let sheet = store::sheet(db, app, me).await?;
    let points = store::sheet_points(db, app, me).await?;
    let typed = grid
        .iter()
        .map(|c| {
            points
                .iter()
                .find(|p| p.0 == c.id)
                .map(|p| p.1.to_string())
                .unwrap_or_default()
        })
        .collect();
    Ok(match sheet {
        Some(s) => (typed, s.comment, s.version, s.submitted_at.is_some()),
        None => (typed, String::new(), 0, false),
    })
}

/// `GET /jury/candidatures/{id}`: the signed-in juror's own sheet.
pub async fn sheet_form(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let (app, me, grid) = juror_app(&db, &ctx, id).await?;
    let (typed, comment, version, final_) = stored_sheet(&db, id, me, &grid).await?;
    let s = SheetState {
        typed,
        comment,
        version,
        final_,
        refused: None,
        saved: q.enregistre.is_some(),
        problems: vec![],
        saved_now: None,
    };
    Ok(page(&sheet_page(&db, ctx, app, &grid, s).await?))
}

/// `POST /jury/candidatures/{id}`: save or submit the juror's sheet. Points
/// outside the grid are refused, named; a sheet saved meanwhile (another
/// tab, another request) is not overwritten: the typed points come back
/// next to the ones saved.
pub async fn save_sheet(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    RepeatedForm(form): RepeatedForm<SheetForm>,
) -> Result<Response, AppError> {
    let (app, me, grid) = juror_app(&db, &ctx, id).await?;
    let ids: Vec<(i64, i64)> = grid.iter().map(|c| (c.id, c.max_points)).collect();
    let typed: Vec<String> = (0..grid.len()).map(|i| form.typed(i)).collect();
    let mut s = SheetState {
        typed,
        comment: form.comment.clone(),
        version: form.version(),
        final_: false,
        refused: None,
        saved: false,
        problems: vec![],
        saved_now: None,
    };
    let status = match model::parse_sheet(&ids, &form) {
        Err(problems) => {
            s.problems = problems;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Ok(sheet) => {
            let key = match store::save_sheet(&db, id, me, form.version(), &sheet).await? {
                SheetSaved::Done => {
                    return Ok(
                        Redirect::to(&format!("/jury/candidatures/{id}?enregistre=1"))
                            .into_response(),
                    )
                }
                SheetSaved::Stale => "calls-sheet-stale",
                SheetSaved::Final => "calls-sheet-final",
            };
            let (now, _, version, final_) = stored_sheet(&db, id, me, &grid).await?;
            if final_ {
                // Final: shown as stored, read-only.
                s.typed = now.clone();
            }
            s.saved_now = Some(now);
            s.version = version;
            s.final_ = final_;
            s.refused = Some(ctx.tr.t(key));
            StatusCode::CONFLICT
        }
    };
    let p = sheet_page(&db, ctx, app, &grid, s).await?;
    Ok(render(status, &p))
}
