//! Sponsors of a programme: category, tier, amount, period and exclusivity,
//! and where the public pages show them. Pure rules, no I/O.

use crate::kernel::money::Euros;
use crate::web::forms::Violations;

/// What a sponsor does, as far as exclusivity is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    It,
    Software,
    Hardware,
    Telecom,
    Bank,
    Insurance,
    Energy,
    Consulting,
    Media,
    Public,
    Other,
}

impl Category {
    pub const ALL: [Category; 11] = [
        Category::It,
        Category::Software,
        Category::Hardware,
        Category::Telecom,
        Category::Bank,
        Category::Insurance,
        Category::Energy,
        Category::Consulting,
        Category::Media,
        Category::Public,
        Category::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Category::It => "it",
            Category::Software => "software",
            Category::Hardware => "hardware",
            Category::Telecom => "telecom",
            Category::Bank => "bank",
            Category::Insurance => "insurance",
            Category::Energy => "energy",
            Category::Consulting => "consulting",
            Category::Media => "media",
            Category::Public => "public",
            Category::Other => "other",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Category::It => "sponsors-cat-it",
            Category::Software => "sponsors-cat-software",
            Category::Hardware => "sponsors-cat-hardware",
            Category::Telecom => "sponsors-cat-telecom",
            Category::Bank => "sponsors-cat-bank",
            Category::Insurance => "sponsors-cat-insurance",
            Category::Energy => "sponsors-cat-energy",
            Category::Consulting => "sponsors-cat-consulting",
            Category::Media => "sponsors-cat-media",
            Category::Public => "sponsors-cat-public",
            Category::Other => "sponsors-cat-other",
        }
    }

    pub fn parse(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The categories an exclusivity in this category covers before its
    /// exceptions: IT covers software and hardware; the others themselves.
    pub fn family(self) -> &'static [Category] {
        match self {
            Category::It => &[Category::It, Category::Software, Category::Hardware],
            Category::Software => &[Category::Software],
            Category::Hardware => &[Category::Hardware],
            Category::Telecom => &[Category::Telecom],
            Category::Bank => &[Category::Bank],
            Category::Insurance => &[Category::Insurance],
            Category::Energy => &[Category::Energy],
            Category::Consulting => &[Category::Consulting],
            Category::Media => &[Category::Media],
            Category::Public => &[Category::Public],
            Category::Other => &[Category::Other],
        }
    }
}

/// Sponsorship level, highest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    Gold,
    Silver,
    Bronze,
    Partner,
}

impl Tier {
    pub const ALL: [Tier; 4] = [Tier::Gold, Tier::Silver, Tier::Bronze, Tier::Partner];

    pub fn code(self) -> &'static str {
        match self {
            Tier::Gold => "gold",
            Tier::Silver => "silver",
            Tier::Bronze => "bronze",
            Tier::Partner => "partner",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Tier::Gold => "sponsors-tier-gold",
            Tier::Silver => "sponsors-tier-silver",
            Tier::Bronze => "sponsors-tier-bronze",
            Tier::Partner => "sponsors-tier-partner",
        }
    }

    pub fn parse(code: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// Public pages that may show sponsors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Home,
    Agenda,
    Session,
    Footer,
}

impl Page {
    pub const ALL: [Page; 4] = [Page::Home, Page::Agenda, Page::Session, Page::Footer];

    pub fn code(self) -> &'static str {
        match self {
            Page::Home => "home",
            Page::Agenda => "agenda",
            Page::Session => "session",
            Page::Footer => "footer",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Page::Home => "sponsors-page-home",
            Page::Agenda => "sponsors-page-agenda",
            Page::Session => "sponsors-page-session",
            Page::Footer => "sponsors-page-footer",
        }
    }
}

/// Order of sponsors where they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Largest amount first.
    Amount,
    /// Highest tier first, then largest amount.
    Tier,
    /// Alphabetical.
    Name,
}

impl Order {
    pub const ALL: [Order; 3] = [Order::Amount, Order::Tier, Order::Name];

    pub fn code(self) -> &'static str {
        match self {
            Order::Amount => "amount",
            Order::Tier => "tier",
            Order::Name => "name",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Order::Amount => "sponsors-order-amount",
            Order::Tier => "sponsors-order-tier",
            Order::Name => "sponsors-order-name",
        }
    }

    pub fn parse(code: &str) -> Option<Order> {
        Order::ALL.into_iter().find(|o| o.code() == code)
    }
}

/// The programme's placement rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub pages: Vec<Page>,
    pub order: Order,
}

impl Default for Placement {
    fn default() -> Self {
        Placement {
            pages: Page::ALL.to_vec(),
            order: Order::Amount,
        }
    }
}

impl Placement {
    /// Read the stored ",home,agenda," list and order code.
    pub fn from_stored(pages: &str, order: &str) -> Placement {
        Placement {
            pages: Page::ALL
                .into_iter()
                .filter(|p| pages.contains(&format!(",{},", p.code())))
                .collect(),
            order: Order::parse(order).unwrap_or(Order::Amount),
        }
    }

    pub fn stored_pages(&self) -> String {
        let mut s = String::from(",");
        for p in &self.pages {
            s.push_str(p.code());
            s.push(',');
        }
        s
    }

    pub fn shows(&self, page: Page) -> bool {
        self.pages.contains(&page)
    }
}

/// A sponsor as stored.
#[derive(Debug, Clone)]
pub struct Sponsor {
    pub id: i64,
    pub name: String,
    pub link: String,
    /// An https URL, or empty.
    pub logo_url: String,
    /// True when an uploaded logo is stored.
    pub has_logo: bool,
    pub category: Category,
    pub tier: Tier,
    pub amount: Euros,
    pub exclusive: bool,
    pub except: Vec<Category>,
    /// YYYY-MM-DD, inclusive.
    pub starts_on: String,
    pub ends_on: String,
}

impl Sponsor {
    /// Where the logo is read from, if any.
    pub fn logo_src(&self) -> Option<String> {
        if self.has_logo {
            Some(format!("/mecenes/{}/logo.png", self.id))
        } else if !self.logo_url.is_empty() {
            Some(self.logo_url.clone())
        } else {
            None
        }
    }

    pub fn active_on(&self, day: &str) -> bool {
        self.starts_on.as_str() <= day && day <= self.ends_on.as_str()
    }

    fn overlaps(&self, starts_on: &str, ends_on: &str) -> bool {
        self.starts_on.as_str() <= ends_on && starts_on <= self.ends_on.as_str()
    }

    /// Categories this sponsor's exclusivity covers (empty when not exclusive).
    pub fn exclusive_scope(&self) -> Vec<Category> {
        scope(self.exclusive, self.category, &self.except)
    }
}

fn scope(exclusive: bool, category: Category, except: &[Category]) -> Vec<Category> {
    if !exclusive {
        return vec![];
    }
    category
        .family()
        .iter()
        .copied()
        .filter(|c| !except.contains(c))
        .collect()
}

/// Stored ",a,b," list of categories.
pub fn categories_from_stored(s: &str) -> Vec<Category> {
    s.split(',').filter_map(Category::parse).collect()
}

pub fn categories_to_stored(cats: &[Category]) -> String {
    let mut s = String::from(",");
    for c in cats {
        s.push_str(c.code());
        s.push(',');
    }
    s
}

/// A valid new sponsor.
#[derive(Debug, Clone)]
pub struct NewSponsor {
    pub name: String,
    pub link: String,
    pub logo_url: String,
    pub category: Category,
    pub tier: Tier,
    pub amount: Euros,
    pub exclusive: bool,
    pub except: Vec<Category>,
    pub starts_on: String,
    pub ends_on: String,
}

/// The sponsor form as typed.
#[derive(Debug, Clone, Default)]
pub struct SponsorForm {
    pub name: String,
    pub link: String,
    pub logo_url: String,
    pub category: String,
    pub tier: String,
    pub amount: String,
    pub exclusive: bool,
    pub except: Vec<String>,
    pub starts_on: String,
    pub ends_on: String,
}

fn https_url(v: &mut Violations, field: &'static str, raw: &str) -> String {
    let raw = raw.trim();
    if raw.is_empty() {
        return String::new();
    }
    match url::Url::parse(raw) {
        Ok(u) if u.scheme() == "https" && u.host_str().is_some() && raw.len() <= 500 => {
            u.to_string()
        }
        _ => {
            v.add(field, "sponsors-error-https", None);
            raw.to_string()
        }
    }
}

impl SponsorForm {
    /// Check every field; the messages are translation keys.
    pub fn parse(&self) -> Result<NewSponsor, Violations> {
        let mut v = Violations::default();
        let name = v.text("name", &self.name, 1, 120);
        let link = https_url(&mut v, "link", &self.link);
        let logo_url = https_url(&mut v, "logo_url", &self.logo_url);
        let category = Category::parse(&self.category);
        if category.is_none() {
            v.add("category", "form-required", None);
        }
        let tier = Tier::parse(&self.tier).unwrap_or(Tier::Partner);
        let amount = match Euros::parse(&self.amount) {
            Ok(Some(a)) => a,
            Ok(None) => Euros(0),
            Err(_) => {
                v.add("amount", "sponsors-error-amount", None);
                Euros(0)
            }
        };
        let start = crate::kernel::dates::parse_date(self.starts_on.trim());
        let end = crate::kernel::dates::parse_date(self.ends_on.trim());
        if start.is_none() {
            v.add("starts_on", "sponsors-error-date", None);
        }
        if end.is_none() {
            v.add("ends_on", "sponsors-error-date", None);
        }
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                v.add("ends_on", "sponsors-error-period", None);
            }
        }
        let except: Vec<Category> = self
            .except
            .iter()
            .filter_map(|c| Category::parse(c))
            .collect();
        match (v.is_empty(), category, start, end) {
            (true, Some(category), Some(s), Some(e)) => Ok(NewSponsor {
                name,
                link,
                logo_url,
                category,
                tier,
                amount,
                exclusive: self.exclusive,
                except,
                starts_on: s.to_string(),
                ends_on: e.to_string(),
            }),
            _ => Err(v),
        }
    }
}

/// Why a sponsor cannot be added next to the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clash {
    /// `other` holds an exclusivity covering the new sponsor's category.
    TakenByExclusive { other: String, category: Category },
    /// The new exclusive sponsor would cover `other`'s category.
    WouldExclude { other: String, category: Category },
}

/// The exclusivity rule: over overlapping periods, no sponsor sits in a
/// category an exclusive sponsor covers (its category's family minus its
/// exceptions: an exclusive IT sponsor "except hardware" leaves room for a
/// hardware sponsor and refuses a second IT or software one).
pub fn clash(new: &NewSponsor, others: &[Sponsor]) -> Option<Clash> {
    let new_scope = scope(new.exclusive, new.category, &new.except);
    for o in others
        .iter()
        .filter(|o| o.overlaps(&new.starts_on, &new.ends_on))
    {
        if o.exclusive_scope().contains(&new.category) {
            return Some(Clash::TakenByExclusive {
                other: o.name.clone(),
                category: new.category,
            });
        }
        if new_scope.contains(&o.category) {
            return Some(Clash::WouldExclude {
                other: o.name.clone(),
                category: o.category,
            });
        }
    }
    None
}

/// Sort sponsors by the programme's order.
pub fn sort(sponsors: &mut [Sponsor], order: Order) {
    match order {
        Order::Amount => {
            sponsors.sort_by(|a, b| b.amount.0.cmp(&a.amount.0).then(a.name.cmp(&b.name)))
        }
        Order::Tier => sponsors.sort_by(|a, b| {
            a.tier
                .cmp(&b.tier)
                .then(b.amount.0.cmp(&a.amount.0))
                .then(a.name.cmp(&b.name))
        }),
        Order::Name => sponsors.sort_by_key(|s| s.name.to_lowercase()),
    }
}

/// Sponsors active today, in order, with where they are shown; part of the
/// cached programme so every page's footer can read it.
#[derive(Debug, Clone, Default)]
pub struct Placed {
    pub placement: Option<Placement>,
    pub sponsors: Vec<Sponsor>,
}

impl Placed {
    /// The sponsors shown on `page` ("home", "agenda", "session", "footer").
    pub fn on(&self, page: &str) -> &[Sponsor] {
        let shown = self
            .placement
            .as_ref()
            .map(|p| p.pages.iter().any(|x| x.code() == page))
            .unwrap_or(false);
        if shown {
            &self.sponsors
        } else {
            &[]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sponsor(name: &str, cat: Category, exclusive: bool, except: &[Category]) -> Sponsor {
        Sponsor {
            id: 1,
            name: name.into(),
            link: String::new(),
            logo_url: String::new(),
            has_logo: false,
            category: cat,
            tier: Tier::Gold,
            amount: Euros(0),
            exclusive,
            except: except.to_vec(),
            starts_on: "2026-01-01".into(),
            ends_on: "2026-12-31".into(),
        }
    }

    fn new(cat: Category, exclusive: bool, starts: &str) -> NewSponsor {
        NewSponsor {
            name: "New".into(),
            link: String::new(),
            logo_url: String::new(),
            category: cat,
            tier: Tier::Silver,
            amount: Euros(0),
            exclusive,
            except: vec![],
            starts_on: starts.into(),
            ends_on: "2027-06-30".into(),
        }
    }

    #[test]
    fn an_exclusive_it_sponsor_except_hardware_leaves_room_for_hardware_only() {
        let it = [sponsor(
            "Numérik",
            Category::It,
            true,
            &[Category::Hardware],
        )];
        assert!(clash(&new(Category::Hardware, false, "2026-03-01"), &it).is_none());
        assert!(clash(&new(Category::Bank, false, "2026-03-01"), &it).is_none());
        assert_eq!(
            clash(&new(Category::It, false, "2026-03-01"), &it),
            Some(Clash::TakenByExclusive {
                other: "Numérik".into(),
                category: Category::It
            })
        );
        assert!(clash(&new(Category::Software, false, "2026-03-01"), &it).is_some());
        // After its period, the category is free again.
        assert!(clash(&new(Category::It, false, "2027-01-01"), &it).is_none());
    }

    #[test]
    fn a_new_exclusive_sponsor_cannot_push_out_one_already_there() {
        let bank = [sponsor("Banque", Category::Bank, false, &[])];
        assert!(matches!(
            clash(&new(Category::Bank, true, "2026-03-01"), &bank),
            Some(Clash::WouldExclude { .. })
        ));
    }

    #[test]
    fn a_bad_form_says_which_fields() {
        let f = SponsorForm {
            name: " ".into(),
            link: "http://x.fr".into(),
            amount: "abc".into(),
            starts_on: "2026-05-01".into(),
            ends_on: "2026-04-01".into(),
            ..Default::default()
        };
        let v = f.parse().unwrap_err();
        for field in ["name", "link", "category", "amount", "ends_on"] {
            assert!(v.has(field), "{field}");
        }
    }
}
