//! Needs as the domain sees them: statuses, budgets, reply states, and the
//! brief read into a checked need (quote reviews are in `review`). Pure
//! rules; no I/O.

use serde::Deserialize;

use crate::business::model::{Business, SIZE_BANDS};
use crate::i18n::Tr;
use crate::kernel::bilingual::Bilingual;
use crate::kernel::dates;
use crate::kernel::money::Euros;
use crate::web::forms::Violations;

// ------------------------------------------------------------------ codes

/// Where a need stands, in the order statuses are reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeedStatus {
    Draft,
    Published,
    InDiscussion,
    ProviderChosen,
    Closed,
}

impl NeedStatus {
    /// Every status, in the order they are reached.
    pub const ALL: [NeedStatus; 5] = [
        NeedStatus::Draft,
        NeedStatus::Published,
        NeedStatus::InDiscussion,
        NeedStatus::ProviderChosen,
        NeedStatus::Closed,
    ];

    /// The stored text.
    pub fn code(self) -> &'static str {
        match self {
            NeedStatus::Draft => "draft",
            NeedStatus::Published => "published",
            NeedStatus::InDiscussion => "in_discussion",
            NeedStatus::ProviderChosen => "provider_chosen",
            NeedStatus::Closed => "closed",
        }
    }

    /// Translation key of the label.
    pub fn label_key(self) -> &'static str {
        match self {
            NeedStatus::Draft => "need-status-draft",
            NeedStatus::Published => "need-status-published",
            NeedStatus::InDiscussion => "need-status-in-discussion",
            NeedStatus::ProviderChosen => "need-status-provider-chosen",
            NeedStatus::Closed => "need-status-closed",
        }
    }

    /// The status stored as `code`, if known.
    pub fn from_code(code: &str) -> Option<NeedStatus> {
        NeedStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Providers may reply.
    pub fn is_open(self) -> bool {
        matches!(self, NeedStatus::Published | NeedStatus::InDiscussion)
    }

    /// The brief may still be edited.
    pub fn editable(self) -> bool {
        matches!(self, NeedStatus::Draft | NeedStatus::Published)
    }

    /// The business may shortlist, choose or decline replies.
    pub fn can_decide(self) -> bool {
        matches!(
            self,
            NeedStatus::Published | NeedStatus::InDiscussion | NeedStatus::ProviderChosen
        )
    }

    /// The status after publishing: replies already received keep the discussion going.
    pub fn published(has_replies: bool) -> NeedStatus {
        if has_replies {
            NeedStatus::InDiscussion
        } else {
            NeedStatus::Published
        }
    }
}

/// Where a provider's reply stands with the business.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyStatus {
    Sent,
    Shortlisted,
    Chosen,
    Declined,
}

impl ReplyStatus {
    /// The stored text.
    pub fn code(self) -> &'static str {
        match self {
            ReplyStatus::Sent => "sent",
            ReplyStatus::Shortlisted => "shortlisted",
            ReplyStatus::Chosen => "chosen",
            ReplyStatus::Declined => "declined",
        }
    }

    /// Translation key of the label.
    pub fn label_key(self) -> &'static str {
        match self {
            ReplyStatus::Sent => "need-reply-status-sent",
            ReplyStatus::Shortlisted => "need-reply-status-shortlisted",
            ReplyStatus::Chosen => "need-reply-status-chosen",
            ReplyStatus::Declined => "need-reply-status-declined",
        }
    }

    /// The status stored as `code`; anything unknown reads as sent.
    pub fn from_code(code: &str) -> ReplyStatus {
        [Self::Shortlisted, Self::Chosen, Self::Declined]
            .into_iter()
            .find(|s| s.code() == code)
            .unwrap_or(ReplyStatus::Sent)
    }
}

/// Budget ranges offered by the brief.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    Under1k,
    From1kTo3k,
    From3kTo10k,
    From10kTo30k,
    Over30k,
    Unknown,
}

impl Budget {
    /// Every range, in the order the brief offers them.
    pub const ALL: [Budget; 6] = [
        Budget::Under1k,
        Budget::From1kTo3k,
        Budget::From3kTo10k,
        Budget::From10kTo30k,
        Budget::Over30k,
        Budget::Unknown,
    ];

    /// The stored text.
    pub fn code(self) -> &'static str {
        match self {
            Budget::Under1k => "under-1k",
            Budget::From1kTo3k => "1k-3k",
            Budget::From3kTo10k => "3k-10k",
            Budget::From10kTo30k => "10k-30k",
            Budget::Over30k => "over-30k",
            Budget::Unknown => "unknown",
        }
    }

    /// Translation key of the label.
    pub fn label_key(self) -> &'static str {
        match self {
            Budget::Under1k => "need-budget-under-1k",
            Budget::From1kTo3k => "need-budget-1k-3k",
            Budget::From3kTo10k => "need-budget-3k-10k",
            Budget::From10kTo30k => "need-budget-10k-30k",
            Budget::Over30k => "need-budget-over-30k",
            Budget::Unknown => "need-budget-unknown",
        }
    }

    /// The range stored as `code`, if known.
    pub fn from_code(code: &str) -> Option<Budget> {
        Budget::ALL.into_iter().find(|b| b.code() == code)
    }
}

/// What the business does on its need page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeedAction {
    Publish,
    Close,
    Decide(Decision),
}

impl NeedAction {
    /// The action a button sends, if known.
    pub fn from_code(code: &str) -> Option<NeedAction> {
        match code {
            "publish" => Some(NeedAction::Publish),
            "close" => Some(NeedAction::Close),
            "shortlist" => Some(NeedAction::Decide(Decision::Shortlist)),
            "choose" => Some(NeedAction::Decide(Decision::Choose)),
            "decline" => Some(NeedAction::Decide(Decision::Decline)),
            _ => None,
        }
    }
}

/// What the business decides about one reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Shortlist,
    Choose,
    Decline,
}

impl Decision {
    /// The reply's status after the decision.
    pub fn reply_status(self) -> ReplyStatus {
        match self {
            Decision::Shortlist => ReplyStatus::Shortlisted,
            Decision::Choose => ReplyStatus::Chosen,
            Decision::Decline => ReplyStatus::Declined,
        }
    }
}

// ------------------------------------------------------------------ need

/// A theme of a need, in both languages.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Theme {
    pub id: i64,
    pub title_fr: String,
    pub title_en: String,
}

/// A stored need.
#[derive(Debug, Clone)]
pub struct Need {
    pub id: i64,
    pub business_id: Option<i64>,
    pub business_name: String,
    pub author_id: Option<i64>,
    pub title: String,
    pub context: String,
    pub goal: String,
    pub audience: String,
    pub features: String,
    pub existing_tools: String,
    /// Empty when not given.
    pub budget_band: String,
    /// `YYYY-MM-DD`, or empty.
    pub deadline: String,
    pub constraints_text: String,
    pub territory_code: Option<String>,
    pub territory_fr: String,
    pub territory_en: String,
    /// Empty: any size.
    pub size_band: String,
    pub status: NeedStatus,
    pub chosen_provider_id: Option<i64>,
    pub chosen_name: String,
    pub published_at: Option<i64>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub themes: Vec<Theme>,
}

impl Need {
    /// The territory's name in the reader's language.
    pub fn territory(&self, tr: Tr) -> String {
        Bilingual::new(&self.territory_fr, &self.territory_en)
            .get(tr.0)
            .to_string()
    }

    /// The themes' names in the reader's language.
    pub fn theme_names(&self, tr: Tr) -> Vec<String> {
        self.themes
            .iter()
            .map(|t| {
                Bilingual::new(&t.title_fr, &t.title_en)
                    .get(tr.0)
                    .to_string()
            })
            .collect()
    }

    /// The title, or a placeholder for drafts without one.
    pub fn shown_title(&self, tr: Tr) -> String {
        shown_title(tr, &self.title)
    }

    /// The budget range, if one was given.
    pub fn budget(&self) -> Option<Budget> {
        Budget::from_code(&self.budget_band)
    }

    /// A short summary for lists and mails.
    pub fn summary(&self) -> String {
        let src = if self.goal.trim().is_empty() {
            &self.context
        } else {
            &self.goal
        };
        let flat = src.split_whitespace().collect::<Vec<_>>().join(" ");
        if flat.chars().count() > 300 {
            let cut: String = flat.chars().take(297).collect();
            format!("{cut}…")
        } else {
            flat
        }
    }
}

/// A title, or the placeholder of an untitled draft.
pub fn shown_title(tr: Tr, title: &str) -> String {
    if title.trim().is_empty() {
        tr.t("need-untitled")
    } else {
        title.to_string()
    }
}

/// The label of a business size band ("any size" when empty).
pub fn size_label(tr: Tr, band: &str) -> String {
    if band.is_empty() {
        tr.t("need-size-any")
    } else {
        tr.code("business-size-", band)
    }
}

/// Non-empty trimmed lines, as paragraphs.
pub fn paras(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Why a need cannot be published yet (translation keys).
pub fn publish_blockers(title: &str, themes: i64, chosen: Option<i64>) -> Vec<&'static str> {
    let mut out = vec![];
    if title.trim().is_empty() {
        out.push("need-publish-no-title");
    }
    if themes == 0 {
        out.push("need-publish-no-theme");
    }
    if chosen.is_some() {
        out.push("need-publish-chosen");
    }
    out
}

// ------------------------------------------------------------------ brief

/// Most themes a need may have.
pub const MAX_THEMES: usize = 10;

/// What the brief sends (themes repeat).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct NeedForm {
    pub business_id: String,
    pub title: String,
    pub context: String,
    pub goal: String,
    pub audience: String,
    pub features: String,
    pub existing_tools: String,
    pub budget_band: String,
    pub deadline: String,
    pub constraints_text: String,
    pub territory_code: String,
    pub size_band: String,
    /// Kept as sent, so a value that is not a theme is refused, not dropped.
    pub themes: Vec<String>,
    pub version: String,
    pub action: String,
    /// The directory card this need is also sent to ("Envoyer mon besoin à
    /// ce prestataire"), as its id.
    pub prestataire: String,
}

impl NeedForm {
    /// The card the need is addressed to, if a valid id was sent.
    pub fn target_provider(&self) -> Option<i64> {
        self.prestataire
            .trim()
            .parse()
            .ok()
            .filter(|n: &i64| *n > 0)
    }

    /// The form of a stored need.
    pub fn from_need(n: &Need) -> NeedForm {
        NeedForm {
            business_id: n.business_id.map(|b| b.to_string()).unwrap_or_default(),
            title: n.title.clone(),
            context: n.context.clone(),
            goal: n.goal.clone(),
            audience: n.audience.clone(),
            features: n.features.clone(),
            existing_tools: n.existing_tools.clone(),
            budget_band: n.budget_band.clone(),
            deadline: n.deadline.clone(),
            constraints_text: n.constraints_text.clone(),
            territory_code: n.territory_code.clone().unwrap_or_default(),
            size_band: n.size_band.clone(),
            themes: n.themes.iter().map(|t| t.id.to_string()).collect(),
            version: n.version.to_string(),
            action: String::new(),
            prestataire: String::new(),
        }
    }

    /// The ticked themes, once each; `-1` stands for a value that is no id.
    pub fn theme_ids(&self) -> Vec<i64> {
        let mut out = vec![];
        for t in &self.themes {
            let id = t.trim().parse::<i64>().unwrap_or(-1);
            if !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }

    /// For templates: is this theme ticked?
    pub fn has_theme(&self, id: &i64) -> bool {
        self.themes
            .iter()
            .any(|t| t.trim().parse::<i64>().ok() == Some(*id))
    }

    /// The business chosen by staff, as sent.
    pub fn business_choice(&self) -> Option<i64> {
        self.business_id.trim().parse().ok()
    }

    /// True when the form asks to publish.
    pub fn publishing(&self) -> bool {
        self.action == "publish"
    }

    /// The territory: as chosen, else the business's commune.
    pub fn territory(&self, business: Option<&Business>) -> String {
        let code = self.territory_code.trim();
        if code.is_empty() {
            business
                .and_then(|b| b.commune_code.clone())
                .unwrap_or_default()
        } else {
            code.to_string()
        }
    }
}

/// What the brief is checked against (read from the database beforehand).
pub struct BriefContext<'a> {
    /// The business the need is for, if one could be found.
    pub business: Option<&'a Business>,
    /// Themes that may be chosen.
    pub themes: &'a [i64],
    /// The territory (see [`NeedForm::territory`]) and whether it exists.
    pub territory: String,
    pub territory_known: bool,
}

/// A brief that passed validation.
#[derive(Debug, Clone)]
pub struct ValidNeed {
    pub business_id: i64,
    pub title: String,
    pub context: String,
    pub goal: String,
    pub audience: String,
    pub features: String,
    pub existing_tools: String,
    pub budget_band: String,
    /// `YYYY-MM-DD`, or empty.
    pub deadline: String,
    pub constraints_text: String,
    pub territory_code: String,
    pub size_band: String,
    pub themes: Vec<i64>,
}

/// Check a brief. Drafts may lack a title and themes; publishing may not.
pub fn parse_need(
    f: &NeedForm,
    c: &BriefContext,
    publishing: bool,
) -> Result<ValidNeed, Violations> {
    let mut v = Violations::default();
    if c.business.is_none() {
        v.add("business_id", "form-choose", None);
    }
    let title = v.text("title", &f.title, 0, 160);
    if publishing && title.is_empty() {
        v.add("title", "need-publish-no-title", None);
    }
    let context = v.text("context", &f.context, 0, 4000);
    let goal = v.text("goal", &f.goal, 0, 4000);
    let audience = v.text("audience", &f.audience, 0, 4000);
    let features = v.text("features", &f.features, 0, 4000);
    let existing_tools = v.text("existing_tools", &f.existing_tools, 0, 4000);
    let constraints_text = v.text("constraints_text", &f.constraints_text, 0, 4000);
    let budget_band = f.budget_band.trim().to_string();
    if !budget_band.is_empty() && Budget::from_code(&budget_band).is_none() {
        v.add("budget_band", "form-choose", None);
    }
    let deadline = match f.deadline.trim() {
        "" => String::new(),
        raw => match dates::parse_date(raw) {
            Some(d) => d.to_string(),
            None => {
                v.add("deadline", "need-deadline-invalid", None);
                String::new()
            }
        },
    };
    let size_band = f.size_band.trim().to_string();
    if !size_band.is_empty() && !SIZE_BANDS.contains(&size_band.as_str()) {
        v.add("size_band", "form-choose", None);
    }
    if c.territory.is_empty() {
        if c.business.is_some() {
            v.add("territory_code", "need-territory-required", None);
        }
    } else if !c.territory_known {
        v.add("territory_code", "form-choose", None);
    }
    let themes = f.theme_ids();
    if themes.iter().any(|t| !c.themes.contains(t)) {
        v.add("themes", "form-choose", None);
    } else if publishing && themes.is_empty() {
        v.add("themes", "need-publish-no-theme", None);
    }
    if themes.len() > MAX_THEMES {
        v.add("themes", "need-themes-too-many", Some(MAX_THEMES as i64));
    }
    if !v.is_empty() {
        return Err(v);
    }
    Ok(ValidNeed {
        business_id: c.business.map(|b| b.id).unwrap_or(0),
        title,
        context,
        goal,
        audience,
        features,
        existing_tools,
        budget_band,
        deadline,
        constraints_text,
        territory_code: c.territory.clone(),
        size_band,
        themes,
    })
}

// ------------------------------------------------------------------ replies

/// Most characters of a reply.
pub const REPLY_MAX: usize = 4000;
/// Fewest characters of a reply (a reply says something).
pub const REPLY_MIN: usize = 10;

/// Why a provider may not reply to a need in `status` (a translation key);
/// `None` when replies are open. Drafts are not found at all.
pub fn reply_refusal(status: NeedStatus) -> Option<&'static str> {
    match status {
        NeedStatus::Closed => Some("need-reply-closed"),
        NeedStatus::ProviderChosen => Some("need-reply-chosen"),
        _ => None,
    }
}

/// Largest quote file attached to a reply (the documents' limit).
pub const QUOTE_LIMIT: usize = crate::cases::model::DOCUMENT_LIMIT;
/// Longest indicative delay a reply may give, in days (two years).
pub const DELAY_MAX_DAYS: i64 = 730;
/// Most characters of a message on a need.
pub const MESSAGE_MAX: usize = 4000;

/// A quote attached to a reply, checked by content.
#[derive(Debug, Clone)]
pub struct QuoteFile {
    pub name: String,
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// A reply ready to store: the message, the indicative amount and delay,
/// and a new quote file (none keeps the one attached before).
#[derive(Debug, Clone)]
pub struct ValidReply {
    pub message: String,
    pub amount: Option<Euros>,
    pub delay_days: Option<i64>,
    pub quote: Option<QuoteFile>,
}

/// An indicative delay as typed: empty, or a whole number of days
/// (1 to [`DELAY_MAX_DAYS`]); `Err` names the problem's key.
pub fn parse_delay(raw: &str) -> Result<Option<i64>, &'static str> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i64>() {
        Ok(d) if (1..=DELAY_MAX_DAYS).contains(&d) => Ok(Some(d)),
        _ => Err("needr-delay-invalid"),
    }
}

/// Check a quote by its content: a PDF or an image (PNG, JPEG) whose first
/// bytes match its name, within the documents' size limit (the rules of
/// `cases` documents, office files refused). `Err` is the message's key.
pub fn check_quote(name: &str, bytes: &[u8]) -> Result<QuoteFile, &'static str> {
    use crate::cases::model::{check_document, clean_name, DocProblem, DocType};
    match check_document(name, bytes) {
        Ok(DocType::Office) | Err(DocProblem::Mismatch) => Err("needr-quote-mismatch"),
        Err(DocProblem::TooLarge) => Err("needr-quote-too-large"),
        Err(DocProblem::Missing) => Err("needr-quote-empty"),
        Ok(kind) => {
            let name = clean_name(name);
            Ok(QuoteFile {
                mime: kind.mime(&name).to_string(),
                name,
                bytes: bytes.to_vec(),
            })
        }
    }
}

/// Who wrote a message on a need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Business,
    Provider,
    Adviser,
}

impl Side {
    pub fn code(self) -> &'static str {
        match self {
            Side::Business => "business",
            Side::Provider => "provider",
            Side::Adviser => "adviser",
        }
    }

    pub fn from_code(code: &str) -> Side {
        match code {
            "provider" => Side::Provider,
            "adviser" => Side::Adviser,
            _ => Side::Business,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Side::Business => "needr-side-business",
            Side::Provider => "needr-side-provider",
            Side::Adviser => "needr-side-adviser",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_need_status_has_its_own_label_and_code() {
        let keys: std::collections::BTreeSet<_> =
            NeedStatus::ALL.iter().map(|s| s.label_key()).collect();
        assert_eq!(keys.len(), NeedStatus::ALL.len());
        for s in NeedStatus::ALL {
            assert_eq!(NeedStatus::from_code(s.code()), Some(s));
        }
        for b in Budget::ALL {
            assert_eq!(Budget::from_code(b.code()), Some(b));
        }
    }

    fn context(themes: &[i64]) -> BriefContext<'_> {
        BriefContext {
            business: None,
            themes,
            territory: String::new(),
            territory_known: false,
        }
    }

    #[test]
    fn a_brief_names_each_bad_value() {
        let f = NeedForm {
            deadline: "31/02/2030".into(),
            budget_band: "beaucoup".into(),
            themes: vec!["x".into()],
            ..Default::default()
        };
        let errors = parse_need(&f, &context(&[1]), false).unwrap_err();
        for field in ["business_id", "deadline", "budget_band", "themes"] {
            assert!(errors.has(field), "{field}");
        }
    }

    #[test]
    fn replies_take_a_delay_in_days_and_a_quote_checked_by_content() {
        assert_eq!(parse_delay(""), Ok(None));
        assert_eq!(parse_delay(" 15 "), Ok(Some(15)));
        assert!(parse_delay("0").is_err());
        assert!(parse_delay("deux semaines").is_err());
        assert!(parse_delay("9999").is_err());
        let q = check_quote("devis.pdf", b"%PDF-1.7 x").unwrap();
        assert_eq!(q.mime, "application/pdf");
        assert_eq!(
            check_quote("devis.pdf", b"MZ\x90").unwrap_err(),
            "needr-quote-mismatch"
        );
        assert_eq!(
            check_quote("devis.docx", b"PK\x03\x04").unwrap_err(),
            "needr-quote-mismatch"
        );
        assert_eq!(
            check_quote("devis.pdf", b"").unwrap_err(),
            "needr-quote-empty"
        );
        assert_eq!(Side::from_code(Side::Adviser.code()), Side::Adviser);
    }

    #[test]
    fn deadlines_are_kept_as_iso_dates() {
        let f = NeedForm {
            deadline: "30/09/2030".into(),
            themes: vec!["1".into(), "1".into()],
            ..Default::default()
        };
        assert_eq!(f.theme_ids(), [1]);
        let errors = parse_need(&f, &context(&[1]), false).unwrap_err();
        assert!(!errors.has("deadline"));
        assert!(!errors.has("themes"));
    }
}
