//! The radar chart, drawn as SVG on the server (no script, no inline style).

use std::fmt::Write;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Width and height of the drawing, in its own units.
const VIEW_WIDTH: f64 = 460.0;
const VIEW_HEIGHT: f64 = 350.0;
/// Font size of the labels, in the drawing's units.
const LABEL_SIZE: f64 = 17.0;

fn point(i: usize, n: usize, value: f64, r: f64, c: f64) -> (f64, f64) {
    let angle = -std::f64::consts::FRAC_PI_2 + i as f64 * 2.0 * std::f64::consts::PI / n as f64;
    let k = value.clamp(0.0, 100.0) / 100.0 * r;
    (c + k * angle.cos(), c + k * angle.sin())
}

fn polygon(values: &[f64], r: f64, c: f64) -> String {
    let n = values.len();
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let (x, y) = point(i, n, *v, r, c);
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A radar of 0–100 scores; `compare` is drawn dashed (e.g. the group median).
/// `title` is the accessible name; the same figures are in a table beside it.
pub fn svg(labels: &[String], scores: &[f64], compare: Option<&[f64]>, title: &str) -> String {
    let (c, r) = (220.0, 100.0);
    // The window hugs the chart and its labels (no empty bands), so that on
    // a 343 px phone column the labels are drawn at 12 px or more.
    let (x0, y0) = (c - VIEW_WIDTH / 2.0, c - VIEW_HEIGHT / 2.0);
    let n = labels.len().max(3);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="radar" viewBox="{x0} {y0} {VIEW_WIDTH} {VIEW_HEIGHT}" width="100%" role="img" aria-labelledby="radar-title" xmlns="http://www.w3.org/2000/svg"><title id="radar-title">{}</title>"#,
        esc(title)
    );
    for ring in [25.0, 50.0, 75.0, 100.0] {
        let pts = polygon(&vec![ring; n], r, c);
        let _ = write!(
            s,
            r##"<polygon points="{pts}" fill="none" stroke="#c5cdd6" stroke-width="1"/>"##
        );
    }
    for i in 0..n {
        let (x, y) = point(i, n, 100.0, r, c);
        let _ = write!(
            s,
            r##"<line x1="{c}" y1="{c}" x2="{x:.1}" y2="{y:.1}" stroke="#c5cdd6" stroke-width="1"/>"##
        );
    }
    if let Some(cmp) = compare {
        let _ = write!(
            s,
            r##"<polygon points="{}" fill="none" stroke="#4a5360" stroke-width="2" stroke-dasharray="6 4"/>"##,
            polygon(cmp, r, c)
        );
    }
    let _ = write!(
        s,
        r##"<polygon points="{}" fill="#0b5d7a" fill-opacity="0.25" stroke="#0b5d7a" stroke-width="3"/>"##,
        polygon(scores, r, c)
    );
    for (i, v) in scores.iter().enumerate() {
        let (x, y) = point(i, n, *v, r, c);
        let _ = write!(
            s,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="4" fill="#0b5d7a"/>"##
        );
    }
    for (i, label) in labels.iter().enumerate() {
        let (x, y) = point(i, n, 122.0, r, c);
        let anchor = if (x - c).abs() < 5.0 {
            "middle"
        } else if x > c {
            "start"
        } else {
            "end"
        };
        // Long titles are wrapped on two or three lines so they stay inside the chart.
        let lines = wrap(label, 12);
        let first_dy = -(lines.len() as f64 - 1.0) * 0.6;
        let _ = write!(
            s,
            r##"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" dominant-baseline="middle" font-size="{LABEL_SIZE}" fill="#1b1f24">"##
        );
        for (k, line) in lines.iter().enumerate() {
            let dy = if k == 0 { first_dy } else { 1.2 };
            let _ = write!(
                s,
                r##"<tspan x="{x:.1}" dy="{dy:.1}em">{}</tspan>"##,
                esc(line)
            );
        }
        s.push_str("</text>");
    }
    s.push_str("</svg>");
    s
}

/// Split a label into lines of at most `width` characters, on spaces.
fn wrap(label: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![];
    for word in label.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= width => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_one_point_per_score_and_escapes_labels() {
        let labels: Vec<String> = ["A & B", "C", "D", "E", "F", "G"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let out = svg(
            &labels,
            &[10.0, 20.0, 30.0, 40.0, 50.0, 100.0],
            Some(&[50.0; 6]),
            "Radar <x>",
        );
        assert_eq!(out.matches("<circle").count(), 6);
        assert!(out.contains("A &amp; B"));
        assert!(out.contains("Radar &lt;x&gt;"));
        assert!(out.contains("stroke-dasharray"));
        assert!(!out.contains("style="));
        // 100 on the sixth axis reaches the outer ring.
        assert!(out.contains("<title"));
    }

    #[test]
    fn labels_stay_legible_on_a_phone() {
        // A 375 px phone leaves a 343 px column for the chart.
        const { assert!(LABEL_SIZE * 343.0 / VIEW_WIDTH >= 12.0) };
        let out = svg(&vec!["A".to_string(); 6], &[50.0; 6], None, "t");
        assert!(out.contains("viewBox=\"-10 45 460 350\""));
        assert!(out.contains("font-size=\"17\""));
    }

    #[test]
    fn long_labels_wrap() {
        assert_eq!(
            wrap("Intelligence artificielle et automatisation", 12),
            ["Intelligence", "artificielle", "et", "automatisation"]
        );
    }
}
