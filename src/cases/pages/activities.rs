//! A file's activities with their history, coaching hours, documents and
//! plan steps.

use super::*;

// ------------------------------------------------------------------ activities

/// What an activity of this file is checked against.
async fn check_activity(
    db: &Db,
    ctx: &PageCtx,
    case: &Case,
    form: &ActivityForm,
    except: i64,
) -> Result<Result<model::ValidActivity, Violations>, AppError> {
    let tz = dates::zone(&ctx.programme.timezone);
    let busy = match case.adviser_id {
        Some(a) => store::busy(db, a, except).await?,
        None => vec![],
    };
    Ok(model::parse_activity(
        form,
        &ActivityContext {
            tz: &tz,
            opened_at: case.opened_at,
            busy: &busy,
        },
    ))
}

/// `POST /dossiers/{id}/activites`
pub async fn add_activity(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<ActivityForm>,
) -> Result<Response, AppError> {
    let case = case_for_staff(&db, &ctx, id).await?;
    let user = user_of(&ctx)?;
    let valid = match check_activity(&db, &ctx, &case, &form, 0).await? {
        Ok(v) => v,
        Err(errors) => {
            let p = show_page(
                &db,
                ctx,
                case,
                Kept {
                    activity_input: form,
                    activity_errors: errors,
                    ..Default::default()
                },
            )
            .await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    let mut tx = db.begin_write().await?;
    let aid = store::insert_activity(&mut tx, id, &valid, user.id, now_ms()).await?;
    tx.commit().await?;
    if case.adviser_id != Some(user.id) {
        store::add_contributor(&db, id, user.id, now_ms()).await?;
    }
    Ok(Redirect::to(&format!("/dossiers/{id}?enregistre=1#activite-{aid}")).into_response())
}

#[derive(Template)]
#[template(path = "cases/activity.html")]
struct ActivityPage {
    ctx: PageCtx,
    case: Case,
    activity: store::Activity,
    input: ActivityForm,
    errors: Violations,
    revisions: Vec<(String, String, String, String)>,
    dimensions: Vec<Choice>,
    conflict: bool,
}

impl ActivityPage {
    fn obs_value(&self, dim: &str) -> String {
        self.input
            .rest
            .get(&format!("obs_{dim}"))
            .cloned()
            .unwrap_or_default()
    }
    fn is_audit(&self) -> bool {
        self.activity.kind() == ActivityKind::Audit
    }
    fn is_note(&self) -> bool {
        self.activity.kind() == ActivityKind::Note
    }
    fn checked_shared(&self) -> bool {
        crate::web::forms::checked(&self.input.shared)
    }
    fn checked_online(&self) -> bool {
        crate::web::forms::checked(&self.input.online)
    }
}

fn activity_form(
    ctx: &PageCtx,
    a: &store::Activity,
    obs: &[(i64, String, String)],
) -> ActivityForm {
    let tz = dates::zone(&ctx.programme.timezone);
    let mut rest = HashMap::new();
    for (_, d, n) in obs.iter().filter(|(id, _, _)| *id == a.id) {
        rest.insert(format!("obs_{d}"), n.clone());
    }
    let at = a.happened_at.or(a.due_at);
    ActivityForm {
        kind: a.kind.clone(),
        title: a.title.clone(),
        body: a.body.clone(),
        date: a
            .happened_at
            .map(|t| dates::date_input(&tz, t))
            .unwrap_or_default(),
        due: a
            .due_at
            .map(|t| dates::date_input(&tz, t))
            .unwrap_or_default(),
        time: at.map(|t| dates::time_input(&tz, t)).unwrap_or_default(),
        minutes: if a.minutes > 0 {
            a.minutes.to_string()
        } else {
            String::new()
        },
        place: a.place.clone(),
        online: (a.online == 1).then(|| "on".into()),
        attendees: a.attendees.clone(),
        shared: (a.shared == 1).then(|| "on".into()),
        version: a.version.to_string(),
        rest,
    }
}

async fn activity_page(
    db: &Db,
    ctx: PageCtx,
    case: Case,
    activity: store::Activity,
    input: Option<ActivityForm>,
    errors: Violations,
    conflict: bool,
) -> Result<ActivityPage, AppError> {
    let obs = store::observations(db, case.id).await?;
    let revisions = store::revisions(db, activity.id)
        .await?
        .into_iter()
        .map(|r| {
            (
                r.editor.unwrap_or_default(),
                ctx.datetime(r.edited_at),
                r.title,
                r.body,
            )
        })
        .collect();
    Ok(ActivityPage {
        input: input.unwrap_or_else(|| activity_form(&ctx, &activity, &obs)),
        dimensions: crate::diagnostic::bank::DIMENSIONS
            .iter()
            .map(|d| (d.to_string(), ctx.tr.code("case-dim-", d)))
            .collect(),
        ctx,
        case,
        activity,
        errors,
        revisions,
        conflict,
    })
}

/// `GET /dossiers/{id}/activites/{aid}`: the activity, its form and its history.
pub async fn activity_show(
    State(db): State<Db>,
    ctx: PageCtx,
    Path((id, aid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let case = case_for_staff(&db, &ctx, id).await?;
    let a = store::activity(&db, id, aid)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = activity_page(&db, ctx, case, a, None, Violations::default(), false).await?;
    Ok(page(&p))
}

/// `POST /dossiers/{id}/activites/{aid}`: an edit, kept with the previous
/// text; refused (409, what was typed kept) when someone edited it meanwhile.
pub async fn activity_update(
    State(db): State<Db>,
    ctx: PageCtx,
    Path((id, aid)): Path<(i64, i64)>,
    WebForm(mut form): WebForm<ActivityForm>,
) -> Result<Response, AppError> {
    let case = case_for_staff(&db, &ctx, id).await?;
    let user = user_of(&ctx)?;
    let a = store::activity(&db, id, aid)
        .await?
        .ok_or(AppError::NotFound)?;
    // The kind of an activity never changes.
    form.kind = a.kind.clone();
    let valid = match check_activity(&db, &ctx, &case, &form, aid).await? {
        Ok(v) => v,
        Err(errors) => {
            let p = activity_page(&db, ctx, case, a, Some(form), errors, false).await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    let mut tx = db.begin_write().await?;
    let ok = store::update_activity(&mut tx, id, aid, &valid, user.id, now_ms()).await?;
    if !ok {
        drop(tx);
        let fresh = store::activity(&db, id, aid)
            .await?
            .ok_or(AppError::NotFound)?;
        form.version = fresh.version.to_string();
        let mut errors = Violations::default();
        errors.add("body", "case-edit-conflict", None);
        let p = activity_page(&db, ctx, case, fresh, Some(form), errors, true).await?;
        return Ok(render(StatusCode::CONFLICT, &p));
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/dossiers/{id}?enregistre=1#activite-{aid}")).into_response())
}

// ------------------------------------------------------------------ hours

/// `POST /dossiers/{id}/heures`
pub async fn add_hours(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<HoursForm>,
) -> Result<Response, AppError> {
    let case = case_for_staff(&db, &ctx, id).await?;
    let user = user_of(&ctx)?;
    match model::parse_hours_form(&form) {
        Ok(v) => {
            store::insert_hours(&db, id, &v, user.id, now_ms()).await?;
            Ok(Redirect::to(&format!("/dossiers/{id}?enregistre=1#heures")).into_response())
        }
        Err(errors) => {
            let p = show_page(
                &db,
                ctx,
                case,
                Kept {
                    hours_input: form,
                    hours_errors: errors,
                    ..Default::default()
                },
            )
            .await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

// ------------------------------------------------------------------ documents

/// `POST /dossiers/{id}/documents` (multipart, CSRF token in the query):
/// the content must be what the name says, within the size limit.
pub async fn upload(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let case = case_for_staff(&db, &ctx, id).await?;
    let user = user_of(&ctx)?;
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut shared = false;
    let mut too_large = false;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("document") => {
                    let name = field.file_name().unwrap_or("").to_string();
                    match field.bytes().await {
                        Ok(b) => file = Some((name, b.to_vec())),
                        Err(_) => too_large = true,
                    }
                }
                Some("shared") => shared = true,
                _ => {}
            },
            Ok(None) => break,
            Err(_) => {
                too_large = true;
                break;
            }
        }
    }
    let checked = match (&file, too_large) {
        (_, true) => Err(model::DocProblem::TooLarge),
        (None, _) => Err(model::DocProblem::Missing),
        (Some((name, bytes)), _) => model::check_document(name, bytes),
    };
    match checked {
        Ok(kind) => {
            let (name, bytes) = file.expect("checked above");
            let name = model::clean_name(&name);
            let mime = kind.mime(&name);
            store::insert_document(&db, id, &name, mime, bytes, shared, user.id, now_ms()).await?;
            Ok(Redirect::to(&format!("/dossiers/{id}?enregistre=1#documents")).into_response())
        }
        Err(problem) => {
            let msg = ctx.tr.tn(
                problem.key(),
                "limit",
                (model::DOCUMENT_LIMIT / 1_048_576) as i64,
            );
            let p = show_page(
                &db,
                ctx,
                case,
                Kept {
                    doc_error: Some(msg),
                    ..Default::default()
                },
            )
            .await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

/// `GET /dossiers/{id}/documents/{doc}`: staff, or the business's owner
/// when the document is shared with them.
pub async fn download(
    State(db): State<Db>,
    ctx: PageCtx,
    Path((id, doc)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let user = user_of(&ctx)?;
    let case = store::get(&db, id).await?.ok_or(AppError::NotFound)?;
    let (name, mime, shared, content) = store::document(&db, id, doc)
        .await?
        .ok_or(AppError::NotFound)?;
    if !user.is_staff() {
        let own = crate::business::store::for_member(&db, user.id).await?;
        if own.map(|b| b.id) != Some(case.business_id) || shared != 1 {
            return Err(AppError::NotFound);
        }
    } else {
        if !super::super::access::may_open(&db, &ctx, &case).await? {
            return Err(AppError::Forbidden);
        }
        store::log_read(&db, id, user.id, now_ms()).await?;
    }
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        content,
    )
        .into_response())
}

// ------------------------------------------------------------------ plan steps

/// Ticking a plan step.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TickForm {
    pub step: String,
    pub done_on: String,
    pub undo: String,
}

/// `POST /dossiers/{id}/plan`: tick a step of the action plan as done on a day.
pub async fn tick(
    State(db): State<Db>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    WebForm(form): WebForm<TickForm>,
) -> Result<Response, AppError> {
    let _case = case_for_staff(&db, &ctx, id).await?;
    let user = user_of(&ctx)?;
    let code: String = form
        .step
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(80)
        .collect();
    if code.is_empty() {
        return Err(AppError::BadRequest);
    }
    if form.undo == "1" {
        store::tick(&db, id, &code, None, user.id).await?;
    } else {
        let tz = dates::zone(&ctx.programme.timezone);
        let day = dates::parse_date(&form.done_on)
            .map(|d| d.to_string())
            .unwrap_or_else(|| dates::date_input(&tz, now_ms()));
        store::tick(&db, id, &code, Some(&day), user.id).await?;
    }
    Ok(Redirect::to(&format!("/dossiers/{id}#plan")).into_response())
}

/// The status a body may give, for the answer page.
pub fn answer_choices(ctx: &PageCtx) -> Vec<Choice> {
    choices(
        ctx,
        ReferralStatus::ANSWERS,
        ReferralStatus::code,
        ReferralStatus::label_key,
    )
}
