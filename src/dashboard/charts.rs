//! Charts drawn on the server as SVG (no script, no third-party request):
//! the cumulative curve against the target line, and horizontal bars. Each
//! chart is an image with a title; the page follows it with its data table.

use std::fmt::Write;

/// Text safe inside SVG.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const W: f64 = 640.0;

/// The cumulative figure by month against the straight line to the target.
/// `points` are (month label, cumulative value); `target` is reached on the last month.
pub fn cumulative(
    id: &str,
    title: &str,
    points: &[(String, Option<i64>)],
    target: i64,
    legend: (&str, &str),
) -> String {
    let h = 260.0;
    let (left, right, top, bottom) = (48.0, 16.0, 16.0, 48.0);
    let n = points.len().max(1);
    let max = points
        .iter()
        .filter_map(|p| p.1)
        .max()
        .unwrap_or(0)
        .max(target)
        .max(1) as f64;
    let x = |i: usize| left + (W - left - right) * (i as f64 + 1.0) / n as f64;
    let y = |v: f64| top + (h - top - bottom) * (1.0 - v / max);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{id}" role="img" aria-labelledby="{id}-title" viewBox="0 0 {W} {h}" width="100%" preserveAspectRatio="xMidYMid meet"><title id="{id}-title">{}</title>"#,
        esc(title)
    );
    // Axes.
    let _ = write!(
        s,
        r##"<line x1="{left}" y1="{}" x2="{}" y2="{}" stroke="#555"/><line x1="{left}" y1="{top}" x2="{left}" y2="{}" stroke="#555"/>"##,
        h - bottom,
        W - right,
        h - bottom,
        h - bottom
    );
    for frac in [0.0, 0.5, 1.0] {
        let v = (max * frac).round();
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#333">{}</text>"##,
            left - 4.0,
            y(v) + 4.0,
            v as i64
        );
    }
    // Target: a straight line from 0 before the first month to the target at the last.
    if target > 0 {
        let _ = write!(
            s,
            r##"<line x1="{left}" y1="{}" x2="{}" y2="{}" stroke="#b35900" stroke-dasharray="6 4" stroke-width="2"/>"##,
            y(0.0),
            x(n - 1),
            y(target as f64)
        );
    }
    if !points.is_empty() {
        let mut d = format!("M{left} {}", y(0.0));
        for (i, p) in points.iter().enumerate() {
            if let Some(v) = p.1 {
                let _ = write!(d, " L{:.1} {:.1}", x(i), y(v as f64));
            }
        }
        let _ = write!(
            s,
            r##"<path d="{d}" fill="none" stroke="#1f5fa8" stroke-width="3"/>"##
        );
    }
    // Every few month labels.
    let step = (n / 7).max(1);
    for (i, p) in points.iter().enumerate() {
        if i % step == 0 || i + 1 == n {
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{}" font-size="10" text-anchor="middle" fill="#333">{}</text>"##,
                x(i),
                h - bottom + 14.0,
                esc(&p.0)
            );
        }
    }
    let _ = write!(
        s,
        r##"<line x1="{left}" y1="{y0}" x2="{}" y2="{y0}" stroke="#1f5fa8" stroke-width="3"/><text x="{}" y="{}" font-size="11" fill="#333">{}</text><line x1="{}" y1="{y0}" x2="{}" y2="{y0}" stroke="#b35900" stroke-dasharray="6 4" stroke-width="2"/><text x="{}" y="{}" font-size="11" fill="#333">{}</text>"##,
        left + 20.0,
        left + 26.0,
        h - 8.0,
        esc(legend.0),
        left + 240.0,
        left + 260.0,
        left + 266.0,
        h - 8.0,
        esc(legend.1),
        y0 = h - 12.0
    );
    s.push_str("</svg>");
    s
}

/// One bar: label, value (None when hidden), text shown at its end.
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub text: String,
}

/// Horizontal bars.
pub fn bars(id: &str, title: &str, bars: &[Bar]) -> String {
    let row = 26.0;
    let (label_w, top) = (200.0, 8.0);
    let h = top * 2.0 + row * bars.len().max(1) as f64;
    let max = bars
        .iter()
        .filter_map(|b| b.value)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let span = W - label_w - 90.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{id}" role="img" aria-labelledby="{id}-title" viewBox="0 0 {W} {h}" width="100%" preserveAspectRatio="xMidYMid meet"><title id="{id}-title">{}</title>"#,
        esc(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = top + row * i as f64;
        let label: String = b.label.chars().take(30).collect();
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#222">{}</text>"##,
            label_w - 6.0,
            y + 16.0,
            esc(&label)
        );
        let w = b.value.map(|v| span * v / max).unwrap_or(0.0);
        let _ = write!(
            s,
            r##"<rect x="{label_w}" y="{}" width="{w:.1}" height="18" fill="#1f5fa8"/><text x="{:.1}" y="{}" font-size="12" fill="#222">{}</text>"##,
            y + 3.0,
            label_w + w + 6.0,
            y + 16.0,
            esc(&b.text)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_titled_images_with_escaped_text() {
        let c = cumulative(
            "c",
            "Made aware <by month>",
            &[
                ("2026-01".into(), Some(3)),
                ("2026-02".into(), Some(9)),
                ("2026-03".into(), None),
            ],
            20,
            ("Reached", "Target"),
        );
        assert!(c.starts_with("<svg"));
        assert!(c.contains(r#"role="img""#));
        assert!(c.contains("<title id=\"c-title\">Made aware &lt;by month&gt;</title>"));
        assert!(c.contains("stroke-dasharray"));
        let b = bars(
            "b",
            "Funnel",
            &[
                Bar {
                    label: "A & B".into(),
                    value: Some(4.0),
                    text: "4".into(),
                },
                Bar {
                    label: "C".into(),
                    value: None,
                    text: "< 5".into(),
                },
            ],
        );
        assert!(b.contains("A &amp; B"));
        assert!(b.contains("&lt; 5"));
        assert_eq!(b.matches("<rect").count(), 2);
    }
}
