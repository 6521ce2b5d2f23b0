//! Builders of needs and testimonies.

use super::*;

// ---------------------------------------------------------------- needs

/// A published need of a business (needs store).
pub async fn published_need(app: &TestApp, business: i64, author: i64, title: &str) -> i64 {
    use tremplin::needs::store;
    // A brief names where the work is: the business's commune.
    let territory = tremplin::business::store::get(&app.db, business)
        .await
        .unwrap()
        .and_then(|b| b.commune_code)
        .expect("a business with a commune");
    let v = ValidNeed {
        business_id: business,
        title: title.to_string(),
        context: String::new(),
        goal: String::new(),
        audience: String::new(),
        features: String::new(),
        existing_tools: String::new(),
        budget_band: String::new(),
        deadline: String::new(),
        constraints_text: String::new(),
        territory_code: territory,
        size_band: String::new(),
        themes: vec![],
    };
    let mut tx = app.db.begin_write().await.unwrap();
    let id = store::insert(&mut tx, author, &v).await.unwrap();
    store::publish(&mut tx, id).await.unwrap();
    tx.commit().await.unwrap();
    id
}

// ---------------------------------------------------------------- testimonies

/// A testimony of a business (testimonies store), consented by `consent_by`.
pub struct TestimonyBuilder {
    business: i64,
    author: String,
    title: String,
    consent_by: String,
    photo: bool,
    picture: Option<Vec<u8>>,
    published: bool,
    consent: bool,
}

/// A draft testimony of this business, consented by its author.
pub fn testimony(business: i64, consent_by: &str) -> TestimonyBuilder {
    TestimonyBuilder {
        business,
        author: "Marie Dupont".into(),
        title: "Nos commandes en ligne".into(),
        consent_by: consent_by.to_string(),
        photo: false,
        picture: None,
        published: false,
        consent: true,
    }
}

impl TestimonyBuilder {
    /// Its title.
    pub fn title(mut self, title: &str) -> Self {
        self.title = title.to_string();
        self
    }

    /// The photo may be shown too.
    pub fn with_photo(mut self) -> Self {
        self.photo = true;
        self
    }

    /// With this photo stored (as the editor stores a checked one); the
    /// photo consent too.
    pub fn picture(mut self, jpeg: Vec<u8>) -> Self {
        self.photo = true;
        self.picture = Some(jpeg);
        self
    }

    /// Without the consent recorded (never shown).
    pub fn without_consent(mut self) -> Self {
        self.consent = false;
        self.photo = false;
        self
    }

    /// Published rather than a draft.
    pub fn published(mut self) -> Self {
        self.published = true;
        self
    }

    /// Store it; returns its id.
    pub async fn create(self, app: &TestApp) -> i64 {
        use tremplin::testimonies::model::PhotoChange;
        use tremplin::testimonies::store::{self, Saved};
        let t = ValidTestimony {
            business_id: Some(self.business),
            author_name: self.author,
            title: self.title,
            body: "Texte".into(),
            locale: "fr".into(),
            video_url: String::new(),
            transcript: String::new(),
            themes: vec![],
            consent: self.consent,
            consent_by: self.consent_by,
            photo_consent: self.photo,
            photo: match self.picture {
                Some(b) => PhotoChange::Set(b),
                None => PhotoChange::Keep,
            },
            status: if self.published {
                TestimonyStatus::Published
            } else {
                TestimonyStatus::Draft
            },
            version: 0,
        };
        match store::insert(&app.db, &t, None).await.unwrap() {
            Saved::Created(id) => id,
            other => panic!("testimony not created: {other:?}"),
        }
    }
}
