//! Posts of the notice board: kinds, statuses, moderation decisions, and the
//! posting form read into a checked post. Pure rules; no I/O.

use serde::Deserialize;

use crate::kernel::dates;
use crate::web::forms::Violations;

/// What a post is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostKind {
    Announcement,
    Event,
    CallForProjects,
    Job,
    Internship,
}

impl PostKind {
    /// Every kind, in the order filters show them.
    pub const ALL: [PostKind; 5] = [
        PostKind::Announcement,
        PostKind::Event,
        PostKind::CallForProjects,
        PostKind::Job,
        PostKind::Internship,
    ];
    /// What programme staff post.
    pub const STAFF: [PostKind; 3] = [
        PostKind::Announcement,
        PostKind::Event,
        PostKind::CallForProjects,
    ];
    /// What providers post.
    pub const PROVIDER: [PostKind; 3] = [PostKind::Job, PostKind::Internship, PostKind::Event];

    /// The stored text.
    pub fn code(self) -> &'static str {
        match self {
            PostKind::Announcement => "announcement",
            PostKind::Event => "event",
            PostKind::CallForProjects => "call_for_projects",
            PostKind::Job => "job",
            PostKind::Internship => "internship",
        }
    }

    /// Translation key of the label.
    pub fn label_key(self) -> &'static str {
        match self {
            PostKind::Announcement => "board-kind-announcement",
            PostKind::Event => "board-kind-event",
            PostKind::CallForProjects => "board-kind-call-for-projects",
            PostKind::Job => "board-kind-job",
            PostKind::Internship => "board-kind-internship",
        }
    }

    /// The kind stored as `code`, if known.
    pub fn from_code(code: &str) -> Option<PostKind> {
        PostKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The kinds a poster may choose: staff and providers post different things.
    pub fn for_poster(staff: bool) -> &'static [PostKind] {
        if staff {
            &PostKind::STAFF
        } else {
            &PostKind::PROVIDER
        }
    }
}

/// Where a post stands in moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostStatus {
    Pending,
    Published,
    Rejected,
}

impl PostStatus {
    /// The stored text.
    pub fn code(self) -> &'static str {
        match self {
            PostStatus::Pending => "pending",
            PostStatus::Published => "published",
            PostStatus::Rejected => "rejected",
        }
    }

    /// Translation key of the label.
    pub fn label_key(self) -> &'static str {
        match self {
            PostStatus::Pending => "board-status-pending",
            PostStatus::Published => "board-status-published",
            PostStatus::Rejected => "board-status-rejected",
        }
    }

    /// The status stored as `code`; anything unknown reads as pending.
    pub fn from_code(code: &str) -> PostStatus {
        match code {
            "published" => PostStatus::Published,
            "rejected" => PostStatus::Rejected,
            _ => PostStatus::Pending,
        }
    }
}

/// What a manager does with a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moderation {
    Publish,
    Reject,
    Unpublish,
}

impl Moderation {
    /// The decision a button sends, if known.
    pub fn from_code(code: &str) -> Option<Moderation> {
        match code {
            "publish" => Some(Moderation::Publish),
            "reject" => Some(Moderation::Reject),
            "unpublish" => Some(Moderation::Unpublish),
            _ => None,
        }
    }

    /// The status the post must have, and the one it gets.
    pub fn transition(self) -> (PostStatus, PostStatus) {
        match self {
            Moderation::Publish => (PostStatus::Pending, PostStatus::Published),
            Moderation::Reject => (PostStatus::Pending, PostStatus::Rejected),
            Moderation::Unpublish => (PostStatus::Published, PostStatus::Rejected),
        }
    }
}

/// Most characters of a moderation note.
pub const NOTE_MAX: usize = 1000;

/// Why a moderation note is refused (a translation key), if it is.
pub fn note_problem(decision: Moderation, note: &str) -> Option<&'static str> {
    if decision == Moderation::Reject && note.is_empty() {
        Some("board-note-required")
    } else if note.chars().count() > NOTE_MAX {
        Some("board-note-too-long")
    } else {
        None
    }
}

/// What the posting form sends.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PostForm {
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: String,
    pub expires_on: String,
    pub provider_id: String,
}

/// A post that passed validation.
#[derive(Debug, Clone)]
pub struct ValidPost {
    pub kind: PostKind,
    pub title: String,
    pub body: String,
    pub link: String,
    /// `YYYY-MM-DD`, or empty.
    pub expires_on: String,
    /// The card posting, for providers.
    pub provider_id: Option<i64>,
}

/// A web address a visitor can follow.
pub fn valid_link(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() <= 500
        && url::Url::parse(s).is_ok_and(|u| u.host_str().is_some_and(|h| h.contains('.')))
}

/// Check a post. `kinds` are the poster's; `cards` the cards they keep
/// (empty for staff); `today` is `YYYY-MM-DD` on the programme's clock.
pub fn parse_post(
    f: &PostForm,
    kinds: &[PostKind],
    cards: &[(i64, String)],
    today: &str,
) -> Result<ValidPost, Violations> {
    let mut v = Violations::default();
    let kind = PostKind::from_code(f.kind.trim()).filter(|k| kinds.contains(k));
    if kind.is_none() {
        v.add("kind", "form-choose", None);
    }
    let title = v.text("title", &f.title, 3, 160);
    let body = v.text("body", &f.body, 10, 4000);
    let link = f.link.trim().to_string();
    if !link.is_empty() && !valid_link(&link) {
        v.add("link", "board-link-invalid", None);
    }
    let expires_on = match f.expires_on.trim() {
        "" => String::new(),
        raw => match dates::parse_date(raw) {
            None => {
                v.add("expires_on", "board-date-invalid", None);
                String::new()
            }
            Some(d) => {
                let iso = d.to_string();
                if iso.as_str() < today {
                    v.add("expires_on", "board-date-past", None);
                }
                iso
            }
        },
    };
    let provider_id = match cards {
        [] => None,
        [only] => Some(only.0),
        _ => {
            let wanted = f.provider_id.trim().parse::<i64>().ok();
            let found = cards.iter().find(|c| Some(c.0) == wanted).map(|c| c.0);
            if found.is_none() {
                v.add("provider_id", "form-choose", None);
            }
            found
        }
    };
    match kind {
        Some(kind) if v.is_empty() => Ok(ValidPost {
            kind,
            title,
            body,
            link,
            expires_on,
            provider_id,
        }),
        _ => Err(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back() {
        for k in PostKind::ALL {
            assert_eq!(PostKind::from_code(k.code()), Some(k));
        }
        for s in [
            PostStatus::Pending,
            PostStatus::Published,
            PostStatus::Rejected,
        ] {
            assert_eq!(PostStatus::from_code(s.code()), s);
        }
    }

    #[test]
    fn providers_post_jobs_with_followable_links_and_future_dates() {
        let f = PostForm {
            kind: "announcement".into(),
            title: "Offre de stage".into(),
            body: "court".into(),
            link: "javascript:alert(1)".into(),
            expires_on: "2001-01-01".into(),
            ..Default::default()
        };
        let errors = parse_post(&f, &PostKind::PROVIDER, &[], "2026-12-03").unwrap_err();
        for field in ["kind", "body", "link", "expires_on"] {
            assert!(errors.has(field), "{field}");
        }
        let f = PostForm {
            kind: "job".into(),
            title: "Offre d'emploi".into(),
            body: "Un poste de développeur à Bordeaux.".into(),
            link: "https://web-atelier.test/emploi".into(),
            expires_on: "31/12/2099".into(),
            ..Default::default()
        };
        let post = parse_post(
            &f,
            &PostKind::PROVIDER,
            &[(7, "Atelier".into())],
            "2026-12-03",
        )
        .unwrap();
        assert_eq!(post.expires_on, "2099-12-31");
        assert_eq!(post.provider_id, Some(7));
    }
}
