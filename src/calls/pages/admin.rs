//! The manager's administration of calls: the call, its grid and jury,
//! the applications with the jury's totals, and the decisions.

use super::*;

/// A call in the manager's list.
pub struct AdminLine {
    pub card: CallCard,
    pub status_label: String,
    pub submitted: i64,
}

#[derive(Template)]
#[template(path = "calls/admin.html")]
struct AdminPage {
    ctx: PageCtx,
    lines: Vec<AdminLine>,
}

/// `GET /admin/appels`
pub async fn admin(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let tr = ctx.tr;
    let today = today(&ctx);
    let lines = store::all(&db)
        .await?
        .iter()
        .map(|(c, n)| AdminLine {
            card: CallCard::new(tr, c, &today),
            status_label: tr.t(c.status().label_key()),
            submitted: *n,
        })
        .collect();
    Ok(page(&AdminPage { ctx, lines }))
}

/// An application as the manager sees it, with the jury's totals.
pub struct AppLine {
    pub id: i64,
    pub business_id: i64,
    pub business: String,
    pub title: String,
    pub project: String,
    pub status: &'static str,
    pub status_label: String,
    pub version: i64,
    /// Submitted sheets: juror and total.
    pub sheets: Vec<(String, i64)>,
    pub total: i64,
    pub average: String,
    pub decidable: bool,
    pub funded: Option<i64>,
}

#[derive(Template)]
#[template(path = "calls/form.html")]
struct FormPage {
    ctx: PageCtx,
    id: Option<i64>,
    form: CallForm,
    errors: Violations,
    refused: Option<String>,
    saved: bool,
    grid: Vec<(usize, String, String, String)>,
    locked: bool,
    locked_grid: Vec<(String, i64)>,
    kinds: Vec<(&'static str, String)>,
    statuses: Vec<(&'static str, String)>,
    schemes: Vec<(String, String)>,
    staff: Vec<(i64, String, bool)>,
    apps: Vec<AppLine>,
    grid_max: i64,
    decision: DecisionForm,
}

#[derive(Default)]
struct FormState {
    form: CallForm,
    errors: Violations,
    refused: Option<String>,
    saved: bool,
    decision: DecisionForm,
}

fn form_of(c: &CallRow, grid: &[store::CriterionRow], jurors: &[i64]) -> CallForm {
    CallForm {
        version: c.version.to_string(),
        kind: c.kind.clone(),
        status: c.status.clone(),
        title_fr: c.title_fr.clone(),
        title_en: c.title_en.clone(),
        description_fr: c.description_fr.clone(),
        description_en: c.description_en.clone(),
        opens_on: c.opens_on.clone(),
        closes_on: c.closes_on.clone(),
        funding_scheme: c
            .funding_scheme_id
            .map(|s| s.to_string())
            .unwrap_or_default(),
        crit_label_fr: grid.iter().map(|r| r.label_fr.clone()).collect(),
        crit_label_en: grid.iter().map(|r| r.label_en.clone()).collect(),
        crit_max: grid.iter().map(|r| r.max_points.to_string()).collect(),
        jurors: jurors.iter().map(|j| j.to_string()).collect(),
    }
}

async fn app_lines(db: &Db, tr: Tr, call_id: i64) -> Result<(Vec<AppLine>, usize), AppError> {
    let totals = store::totals(db, call_id).await?;
    let lines = store::submitted(db, call_id)
        .await?
        .iter()
        .map(|a| {
            let sheets: Vec<(String, i64)> = totals
                .iter()
                .filter(|t| t.application_id == a.id)
                .map(|t| (t.juror_name.clone(), t.total))
                .collect();
            let points: Vec<i64> = sheets.iter().map(|s| s.1).collect();
            AppLine {
                id: a.id,
                business_id: a.business_id,
                business: a.business_name.clone(),
                title: a.title.clone(),
                project: a.project.clone(),
                status: a.status().code(),
                status_label: tr.t(a.status().label_key()),
                version: a.version,
                total: model::total(&points),
                average: model::average_tenths(&points)
                    .map(|t| model::show_tenths(tr.0, t))
                    .unwrap_or_else(|| "—".into()),
                sheets,
                decidable: a.status() == AppStatus::Submitted,
                funded: a.funding_application_id,
            }
        })
        .collect();
    Ok((lines, totals.len()))
}

async fn form_page(
    db: &Db,
    ctx: PageCtx,
    id: Option<i64>,
    s: FormState,
) -> Result<FormPage, AppError> {
    let tr = ctx.tr;
    let (locked, locked_grid, apps, grid_max) = match id {
        Some(id) => {
            let rows = store::criteria(db, id).await?;
            let (apps, _) = app_lines(db, tr, id).await?;
            (
                store::grid_locked(db, id).await?,
                criteria_lines(tr, &rows),
                apps,
                model::grid_max(&rows.iter().map(|r| r.max_points).collect::<Vec<_>>()),
            )
        }
        None => (false, vec![], vec![], 0),
    };
    let blank = (s.form.crit_label_fr.len() + 2).clamp(4, MAX_CRITERIA);
    let grid = s
        .form
        .grid_rows(blank)
        .into_iter()
        .enumerate()
        .map(|(i, (fr, en, max))| (i, fr, en, max))
        .collect();
    let chosen = &s.form.jurors;
    let staff = store::staff(db)
        .await?
        .into_iter()
        .map(|(id, name)| {
            let on = chosen.contains(&id.to_string());
            (id, name, on)
        })
        .collect::<Vec<_>>();
    let schemes = store::schemes(db)
        .await?
        .into_iter()
        .map(|(id, fr, en)| {
            let t = crate::kernel::bilingual::Bilingual::new(&fr, &en).get(tr.0);
            (id.to_string(), t.to_string())
        })
        .collect();
    Ok(FormPage {
        id,
        kinds: Kind::ALL
            .iter()
            .map(|k| (k.code(), tr.t(k.label_key())))
            .collect(),
        statuses: CallStatus::ALL
            .iter()
            .map(|k| (k.code(), tr.t(k.label_key())))
            .collect(),
        schemes,
        staff,
        grid,
        locked,
        locked_grid,
        apps,
        grid_max,
        form: s.form,
        errors: s.errors,
        refused: s.refused,
        saved: s.saved,
        decision: s.decision,
        ctx,
    })
}

/// `GET /admin/appels/nouveau`
pub async fn new_form(State(db): State<Db>, ctx: PageCtx) -> Result<Response, AppError> {
    let s = FormState {
        form: CallForm {
            kind: Kind::CallForProjects.code().into(),
            status: CallStatus::Draft.code().into(),
            version: "0".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    Ok(page(&form_page(&db, ctx, None, s).await?))
}

/// `POST /admin/appels/nouveau`
pub async fn create(
    State(db): State<Db>,
    ctx: PageCtx,
    RepeatedForm(form): RepeatedForm<CallForm>,
) -> Result<Response, AppError> {
    match form.parse(false) {
        Ok(call) => {
            let by = ctx.user.as_ref().map(|u| u.id);
            let id = store::insert_call(&db, &call, by).await?;
            Ok(Redirect::to(&format!("/admin/appels/{id}?enregistre=1")).into_response())
        }
        Err(errors) => {
            let s = FormState {
                form,
                errors,
                ..Default::default()
            };
            let p = form_page(&db, ctx, None, s).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

/// `GET /admin/appels/{id}`: the call, its grid and jury, the applications
/// with the jury's totals and the decisions.
pub async fn edit_form(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let c = store::call(&db, id).await?.ok_or(AppError::NotFound)?;
    let grid = store::criteria(&db, id).await?;
    let jurors = store::jurors(&db, id).await?;
    let s = FormState {
        form: form_of(&c, &grid, &jurors),
        saved: q.enregistre.is_some(),
        ..Default::default()
    };
    Ok(page(&form_page(&db, ctx, Some(id), s).await?))
}

/// `POST /admin/appels/{id}`
pub async fn update(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    RepeatedForm(mut form): RepeatedForm<CallForm>,
) -> Result<Response, AppError> {
    store::call(&db, id).await?.ok_or(AppError::NotFound)?;
    let locked = store::grid_locked(&db, id).await?;
    let (status, errors, refused) = match form.parse(locked) {
        Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors, None),
        Ok(call) => {
            let version = form.version.trim().parse().unwrap_or(0);
            let key = match store::update_call(&db, id, version, &call).await? {
                CallSaved::Done => {
                    return Ok(
                        Redirect::to(&format!("/admin/appels/{id}?enregistre=1")).into_response()
                    )
                }
                CallSaved::Stale => "calls-call-stale",
                CallSaved::GridLocked => "calls-grid-locked",
            };
            if let Some(now) = store::call(&db, id).await? {
                form.version = now.version.to_string();
            }
            (
                StatusCode::CONFLICT,
                Violations::default(),
                Some(ctx.tr.t(key)),
            )
        }
    };
    let s = FormState {
        form,
        errors,
        refused,
        ..Default::default()
    };
    let p = form_page(&db, ctx, Some(id), s).await?;
    Ok(render(status, &p))
}

/// The manager's decision on one application, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    pub application: String,
    pub version: String,
    pub decision: String,
    pub amount: String,
}

/// `POST /admin/appels/{id}/decision`: award or not select a submitted
/// application; a winner of a call linked to a scheme becomes an obtained
/// grant application.
pub async fn decide(
    State(db): State<Db>,
    State(state): State<crate::state::AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<DecisionForm>,
) -> Result<Response, AppError> {
    let c = store::call(&db, id).await?.ok_or(AppError::NotFound)?;
    let app: Option<ApplicationRow> = match form.application.trim().parse::<i64>() {
        Ok(a) => store::application(&db, a).await?,
        Err(_) => None,
    };
    let app = app.filter(|a| a.call_id == id).ok_or(AppError::NotFound)?;
    let to = AppStatus::decision(&form.decision);
    let amount = Euros::parse(&form.amount);
    let (status, key) = match (to, amount) {
        (None, _) => (StatusCode::UNPROCESSABLE_ENTITY, "calls-decision-choose"),
        (_, Err(_)) => (StatusCode::UNPROCESSABLE_ENTITY, "calls-amount-invalid"),
        (Some(to), Ok(amount)) => {
            let today = today(&ctx);
            let decision = store::Decision {
                to,
                scheme: c.funding_scheme_id,
                amount,
                today: &today,
                by: ctx.user.as_ref().map(|u| u.id),
                base_url: state.config.base_url.as_str(),
            };
            let version = form.version.trim().parse().unwrap_or(0);
            match store::decide(&db, &app, version, &decision).await? {
                Decided::Done(_) => {
                    return Ok(Redirect::to(&format!(
                        "/admin/appels/{id}?enregistre=1#app-{}",
                        app.id
                    ))
                    .into_response())
                }
                Decided::Stale => (StatusCode::CONFLICT, "calls-decision-stale"),
            }
        }
    };
    let grid = store::criteria(&db, id).await?;
    let jurors = store::jurors(&db, id).await?;
    let s = FormState {
        form: form_of(&c, &grid, &jurors),
        refused: Some(ctx.tr.t(key)),
        decision: form,
        ..Default::default()
    };
    let p = form_page(&db, ctx, Some(id), s).await?;
    Ok(render(status, &p))
}
