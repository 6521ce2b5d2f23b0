//! Background work of follow-up files, run by every server: reminders to
//! the adviser before each planned activity, reminders to partner bodies
//! at D+9, D+21 and D+45, and each adviser's weekly digest. Every mail is
//! claimed by a conditional update or a unique row first, so two servers
//! never send the same one twice.

use super::model::{self, DAY_MS};
use super::{mails, store};
use crate::auth::secrets::hash_secret;
use crate::db::Db;
use crate::i18n::{Locale, Tr};
use crate::kernel::dates;
use crate::web::pipeline::random_token;

/// How long before a planned activity its adviser is reminded.
pub const REMIND_BEFORE: i64 = DAY_MS;

/// What the jobs need from the deployment.
pub struct Env<'a> {
    pub db: &'a Db,
    pub base_url: &'a str,
    pub programme: &'a str,
    pub timezone: &'a str,
    pub default: Locale,
}

/// One pass; returns how many mails were queued.
pub async fn tick(env: &Env<'_>, now: i64) -> Result<usize, sqlx::Error> {
    Ok(activity_reminders(env, now).await?
        + referral_reminders(env, now).await?
        + digests(env, now).await?)
}

/// Remind advisers of planned activities due within a day, once each.
pub async fn activity_reminders(env: &Env<'_>, now: i64) -> Result<usize, sqlx::Error> {
    let tz = dates::zone(env.timezone);
    let mut sent = 0;
    for a in store::due_soon(env.db, now, now + REMIND_BEFORE).await? {
        let tr = Tr(Locale::from_tag(&a.adviser_locale).unwrap_or(env.default));
        let mut tx = env.db.begin_write().await?;
        if store::claim_activity_reminder(&mut tx, a.id, now).await? {
            let title = if a.title.is_empty() {
                tr.t(model::ActivityKind::from_code(&a.kind)
                    .unwrap_or(model::ActivityKind::Meeting)
                    .label_key())
            } else {
                a.title.clone()
            };
            let mail = mails::activity_reminder(
                tr,
                env.base_url,
                &a.adviser_email,
                &a.business_name,
                &title,
                &dates::date_time(tr.0, &tz, a.due_at),
                a.case_id,
            );
            crate::outbox::enqueue(&mut tx, &mail).await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}

/// Remind bodies that have not answered a referral, at D+9, D+21 and D+45.
pub async fn referral_reminders(env: &Env<'_>, now: i64) -> Result<usize, sqlx::Error> {
    let tr = Tr(env.default);
    let mut sent = 0;
    for (r, business) in store::waiting_referrals(env.db).await? {
        let due = model::reminders_due(r.sent_at, now);
        if due <= r.reminders {
            continue;
        }
        let token = random_token();
        let mut tx = env.db.begin_write().await?;
        if store::claim_reminder(&mut tx, r.id, r.reminders, &hash_secret(&token)).await? {
            let mail = mails::referral_reminder(
                tr,
                env.base_url,
                env.programme,
                &r.body_email,
                &business,
                &format!("/orientation/{token}"),
                r.reminders + 1,
            );
            crate::outbox::enqueue(&mut tx, &mail).await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}

/// Each adviser's weekly digest, once per ISO week across servers.
pub async fn digests(env: &Env<'_>, now: i64) -> Result<usize, sqlx::Error> {
    let tz = dates::zone(env.timezone);
    let z = dates::zoned(&tz, now);
    let week = z.date().iso_week_date();
    let period = format!("{}-W{:02}", week.year(), week.week());
    let mut sent = 0;
    for (id, email, _name, locale) in store::advisers_with_files(env.db).await? {
        let job = format!("digest:{id}");
        if store::job_ran(env.db, &job, &period).await? {
            continue;
        }
        let tr = Tr(Locale::from_tag(&locale).unwrap_or(env.default));
        let files = store::list(env.db, Some(id), None, true, now, 200).await?;
        let mut lines = vec![tr.tn("mail-digest-files", "count", files.len() as i64)];
        for f in files.iter().filter(|f| f.overdue > 0) {
            lines.push(format!(
                "- {} : {}",
                f.business_name,
                tr.tn("case-overdue-count", "count", f.overdue)
            ));
        }
        for (_, _, title, business, at) in store::agenda(env.db, id, now, now + 7 * DAY_MS).await? {
            lines.push(format!(
                "- {} — {title} ({business})",
                dates::date_time(tr.0, &tz, at)
            ));
        }
        let mut tx = env.db.begin_write().await?;
        if store::claim_job(&mut tx, &job, &period, now).await? {
            crate::outbox::enqueue(&mut tx, &mails::digest(tr, env.base_url, &email, &lines))
                .await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}
