//! Markdown of practical guides turned into HTML through an allow-list: the
//! parser (pulldown-cmark) reads CommonMark, and this writer emits only the
//! elements it knows. Raw HTML (blocks and inline: `<script>`, `<iframe>`,
//! `<img onerror>`…) is dropped, link and image addresses other than
//! `http(s):`, `mailto:`, `tel:`, a site path or an anchor lose their link
//! (their text stays), and headings start at level 2 (the page's title is its only h1).

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Escape text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// True when `url` may be the target of a link or an image: web and mail
/// addresses, phone numbers, paths on this site and anchors. Control
/// characters and spaces hidden in a scheme ("java\tscript:") are refused.
pub fn safe_url(url: &str) -> bool {
    let u = url.trim();
    if u.is_empty() || u.chars().any(|c| c.is_control()) {
        return false;
    }
    if u.starts_with('#') || (u.starts_with('/') && !u.starts_with("//")) {
        return true;
    }
    let lower = u.to_ascii_lowercase();
    ["https://", "http://", "mailto:", "tel:"]
        .iter()
        .any(|p| lower.starts_with(p))
}

fn heading(level: HeadingLevel) -> u8 {
    let n = match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    };
    // The page's title is the only h1: "#" and "##" are both sections.
    n.max(2)
}

/// What a closing tag must write, pushed when its opening tag was read.
enum Close {
    Tag(&'static str),
    Heading(u8),
    /// A link or image whose address was refused: nothing to close.
    Nothing,
    /// An image: its text is the `alt` attribute, closed by `">`.
    Image,
}

/// Render guide Markdown to safe HTML.
pub fn to_html(markdown: &str) -> String {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    let mut stack: Vec<Close> = Vec::new();
    let mut in_image = 0usize;
    let mut table_head = false;
    for event in Parser::new_ext(markdown, opts) {
        match event {
            Event::Start(tag) => {
                if in_image > 0 {
                    // Nested markup inside an image's alt text: text only.
                    stack.push(Close::Nothing);
                    continue;
                }
                let close = match tag {
                    Tag::Paragraph => open(&mut out, "p"),
                    Tag::Heading { level, .. } => {
                        let n = heading(level);
                        out.push_str(&format!("<h{n}>"));
                        Close::Heading(n)
                    }
                    Tag::BlockQuote(_) => open(&mut out, "blockquote"),
                    Tag::CodeBlock(_) => {
                        out.push_str("<pre><code>");
                        Close::Tag("code></pre")
                    }
                    Tag::List(Some(start)) if start != 1 => {
                        out.push_str(&format!("<ol start=\"{start}\">"));
                        Close::Tag("ol")
                    }
                    Tag::List(Some(_)) => open(&mut out, "ol"),
                    Tag::List(None) => open(&mut out, "ul"),
                    Tag::Item => open(&mut out, "li"),
                    Tag::Emphasis => open(&mut out, "em"),
                    Tag::Strong => open(&mut out, "strong"),
                    Tag::Strikethrough => open(&mut out, "del"),
                    Tag::Table(_) => {
                        out.push_str("<div class=\"table-wrap\"><table>");
                        Close::Tag("table></div")
                    }
                    Tag::TableHead => {
                        table_head = true;
                        out.push_str("<thead><tr>");
                        Close::Tag("tr></thead><tbody")
                    }
                    Tag::TableRow => open(&mut out, "tr"),
                    Tag::TableCell => {
                        if table_head {
                            out.push_str("<th scope=\"col\">");
                            Close::Tag("th")
                        } else {
                            open(&mut out, "td")
                        }
                    }
                    Tag::Link { dest_url, .. } => {
                        if safe_url(&dest_url) {
                            let external = !dest_url.starts_with('/') && !dest_url.starts_with('#');
                            out.push_str(&format!("<a href=\"{}\"", escape(dest_url.trim())));
                            if external {
                                out.push_str(" rel=\"nofollow noopener\"");
                            }
                            out.push('>');
                            Close::Tag("a")
                        } else {
                            Close::Nothing
                        }
                    }
                    Tag::Image { dest_url, .. } => {
                        in_image += 1;
                        if safe_url(&dest_url) {
                            out.push_str(&format!(
                                "<img loading=\"lazy\" src=\"{}\" alt=\"",
                                escape(dest_url.trim())
                            ));
                            Close::Image
                        } else {
                            Close::Nothing
                        }
                    }
                    // Footnotes, definition lists, metadata, HTML blocks…: contents only.
                    _ => Close::Nothing,
                };
                stack.push(close);
            }
            Event::End(end) => {
                if matches!(end, TagEnd::TableHead) {
                    table_head = false;
                }
                if matches!(end, TagEnd::Image) {
                    in_image = in_image.saturating_sub(1);
                }
                match stack.pop() {
                    Some(Close::Tag(t)) => {
                        out.push_str("</");
                        out.push_str(t);
                        out.push('>');
                    }
                    Some(Close::Heading(n)) => out.push_str(&format!("</h{n}>")),
                    Some(Close::Image) => out.push_str("\">"),
                    Some(Close::Nothing) | None => {}
                }
                if matches!(end, TagEnd::Table) {
                    // The body opened after the head is closed with the table.
                    if let Some(i) = out.rfind("</table></div>") {
                        out.insert_str(i, "</tbody>");
                    }
                }
            }
            Event::Text(t) | Event::Code(t) if in_image > 0 => out.push_str(&escape(&t)),
            Event::Text(t) => out.push_str(&escape(&t)),
            Event::Code(t) => {
                out.push_str("<code>");
                out.push_str(&escape(&t));
                out.push_str("</code>");
            }
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak if in_image == 0 => out.push_str("<br>"),
            Event::Rule => out.push_str("<hr>"),
            // Raw HTML, math and anything new: never passed through.
            _ => {}
        }
    }
    out
}

fn open(out: &mut String, tag: &'static str) -> Close {
    out.push('<');
    out.push_str(tag);
    out.push('>');
    Close::Tag(tag)
}

/// Plain text of guide Markdown (for search keys and word counts).
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => {
                out.push_str(&t);
                out.push(' ');
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out
}

/// Reading time in whole minutes at 200 words a minute, at least one.
pub fn reading_minutes(markdown: &str) -> i64 {
    let words = plain_text(markdown).split_whitespace().count() as i64;
    ((words + 199) / 200).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_and_scripts_are_dropped() {
        let html = to_html("Bonjour <script>alert(1)</script>\n\n<iframe src=\"https://x\"></iframe>\n\n<b onclick=\"x\">gras</b>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<iframe"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(html.contains("Bonjour"));
    }

    #[test]
    fn dangerous_links_keep_only_their_text() {
        let html = to_html("[clic](javascript:alert(1)) [data](data:text/html;base64,xx) [ok](https://exemple.fr) ![i](javascript:x)");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(html.contains("clic"));
        assert!(html.contains("<a href=\"https://exemple.fr\" rel=\"nofollow noopener\">ok</a>"));
        assert!(!safe_url("JaVaScRiPt:alert(1)"));
        assert!(!safe_url("java\tscript:alert(1)"));
        assert!(!safe_url("//evil.example"));
        assert!(safe_url("/fiches/sauvegardes"));
    }

    #[test]
    fn markdown_structures_render() {
        let html = to_html(
            "# Titre\n\n- un\n- deux\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n**gras** `code` <x>",
        );
        assert!(html.contains("<h2>Titre</h2>"), "{html}");
        assert!(html.contains("<ul><li>un</li>"), "{html}");
        assert!(html.contains("<th scope=\"col\">a</th>"), "{html}");
        assert!(html.contains("<tbody><tr><td>1</td>"), "{html}");
        assert!(html.contains("</tbody></table></div>"), "{html}");
        assert!(html.contains("<strong>gras</strong>"));
    }

    #[test]
    fn reading_time_rounds_up() {
        assert_eq!(reading_minutes("un deux"), 1);
        assert_eq!(reading_minutes(&"mot ".repeat(201)), 2);
    }
}
