//! Absolute links for mails, feeds and exports, built from the configured
//! public base URL (which may carry a path prefix such as `/tremplin`).

use url::Url;

/// `base` joined with an absolute `path` ("/ateliers/3"), with one slash between.
pub fn absolute(base: &Url, path: &str) -> String {
    absolute_str(base.as_str(), path)
}

/// The same join when only the base URL's text is at hand.
pub fn absolute_str(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_with_one_slash() {
        let base = Url::parse("https://numerique.example.org/").unwrap();
        assert_eq!(
            absolute(&base, "/ateliers/3"),
            "https://numerique.example.org/ateliers/3"
        );
        let prefixed = Url::parse("https://cma.example/tremplin").unwrap();
        assert_eq!(
            absolute(&prefixed, "annuaire"),
            "https://cma.example/tremplin/annuaire"
        );
        assert_eq!(absolute_str("http://x/", "/a"), "http://x/a");
    }
}
