//! Builders of follow-up files, their activities and referrals, and funding
//! applications.

use super::*;

// ---------------------------------------------------------------- follow-up files

/// A follow-up file (cases store): opened, possibly moved on or closed.
pub struct CaseBuilder {
    business: i64,
    opened_at: i64,
    status: CaseStatus,
    closed_at: Option<i64>,
    adviser: Option<i64>,
}

/// An active file of this business, opened now.
pub fn case(business: i64) -> CaseBuilder {
    CaseBuilder {
        business,
        opened_at: now_ms(),
        status: CaseStatus::Active,
        closed_at: None,
        adviser: None,
    }
}

impl CaseBuilder {
    /// When it was opened.
    pub fn opened_at(mut self, at: i64) -> Self {
        self.opened_at = at;
        self
    }

    /// Closed (goals met) at this time.
    pub fn closed_at(mut self, at: i64) -> Self {
        self.status = CaseStatus::Closed;
        self.closed_at = Some(at);
        self
    }

    /// With this adviser in charge.
    pub fn adviser(mut self, id: i64) -> Self {
        self.adviser = Some(id);
        self
    }

    /// Store it; returns its id.
    pub async fn create(self, app: &TestApp) -> i64 {
        let by = staff(app).await;
        let mut tx = app.db.begin_write().await.unwrap();
        let id = cases::open(
            &mut tx,
            &NewCase {
                business_id: self.business,
                template_id: None,
                origin: Origin::Manual,
                origin_id: None,
                adviser_id: self.adviser,
                summary: "",
                opened_at: self.opened_at,
                by: Some(by),
            },
            &[],
            self.opened_at,
        )
        .await
        .unwrap();
        if self.status != CaseStatus::ToQualify {
            let locked = cases::lock(&mut tx, &app.db, id).await.unwrap().unwrap();
            let v = ValidCase {
                status: self.status,
                outcome: (self.status == CaseStatus::Closed).then_some(Outcome::GoalsMet),
                adviser_id: self.adviser,
                summary: String::new(),
                version: locked.version,
            };
            let at = self.closed_at.unwrap_or(self.opened_at);
            cases::update(&mut tx, id, &locked, &v, by, at)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        id
    }
}

/// A call planned on a file at `due_at`, with this title.
pub async fn planned_call(app: &TestApp, case: i64, title: &str, due_at: i64) -> i64 {
    let by = staff(app).await;
    let v = ValidActivity {
        kind: ActivityKind::Call,
        title: title.into(),
        body: String::new(),
        happened_at: None,
        due_at: Some(due_at),
        minutes: 30,
        place: String::new(),
        online: true,
        attendees: String::new(),
        shared: true,
        observations: vec![],
        version: 0,
    };
    let mut tx = app.db.begin_write().await.unwrap();
    let id = cases::insert_activity(&mut tx, case, &v, by, now_ms())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// Coaching time delivered on a file, paid by `funder`, recorded at `at`.
pub async fn hours(app: &TestApp, case: i64, funder: Funder, minutes: i64, at: i64) {
    let by = staff(app).await;
    let v = ValidHours {
        funder,
        planned_minutes: 0,
        delivered_minutes: minutes,
        amount: None,
        reference: String::new(),
    };
    cases::insert_hours(&app.db, case, &v, by, at)
        .await
        .unwrap();
}

// ---------------------------------------------------------------- funding

/// A grant application (funding store), prepared then moved on.
pub struct ApplicationBuilder {
    business: i64,
    scheme: i64,
    case: Option<i64>,
    project: String,
    status: ApplicationStatus,
    amount: Option<Euros>,
}

/// An application of this business to this scheme, prepared.
pub fn application(business: i64, scheme: i64) -> ApplicationBuilder {
    ApplicationBuilder {
        business,
        scheme,
        case: None,
        project: "Projet numérique".into(),
        status: ApplicationStatus::Prepared,
        amount: None,
    }
}

impl ApplicationBuilder {
    /// The follow-up file it belongs to.
    pub fn case(mut self, id: i64) -> Self {
        self.case = Some(id);
        self
    }

    /// What the money is for.
    pub fn project(mut self, project: &str) -> Self {
        self.project = project.to_string();
        self
    }

    /// Sent to the funder.
    pub fn submitted(mut self) -> Self {
        self.status = ApplicationStatus::Submitted;
        self
    }

    /// Granted, for this amount.
    pub fn obtained(mut self, amount: Euros) -> Self {
        self.status = ApplicationStatus::Obtained;
        self.amount = Some(amount);
        self
    }

    /// Store it; returns its id.
    pub async fn create(self, app: &TestApp) -> i64 {
        use tremplin::funding::store;
        let today = "2026-01-15";
        let id = store::insert_application(
            &app.db.pool,
            &NewApplication {
                business_id: self.business,
                scheme_id: self.scheme,
                case_id: self.case,
                project: &self.project,
                cost: None,
                simulated: None,
                today,
                by: None,
            },
        )
        .await
        .unwrap();
        // The way it went: prepared, submitted, then decided.
        let steps: &[ApplicationStatus] = match self.status {
            ApplicationStatus::Prepared => &[],
            ApplicationStatus::Submitted => &[ApplicationStatus::Submitted],
            _ => &[ApplicationStatus::Submitted, self.status],
        };
        for (version, step) in (1..).zip(steps.iter().copied()) {
            let amount = (step == self.status).then_some(self.amount).flatten();
            assert!(
                store::advance(&app.db.pool, id, version, step, today, amount)
                    .await
                    .unwrap()
            );
        }
        id
    }
}
