//! The PDF writer every printable page uses (diagnostic report, specification,
//! attendance sheet): A4 pages laid out top to bottom, text, lines and
//! polygons. Built on krilla, which embeds and subsets the DejaVu Sans font we
//! ship in `fonts/`, so any name prints ("Łukasz Dvořák", "Nguyễn", "Œuvray")
//! and is copied back as the same text (ToUnicode); widths are measured with
//! that font's own advances; streams are compressed; the document carries
//! `/Title` and `/Lang` and is tagged (paragraphs and headings, decoration and
//! footers as artifacts) for screen readers.
//!
//! Coordinates are PDF points from the bottom-left corner, as callers have
//! always used them; the translation to krilla's top-left origin happens when
//! the document is finished.

use std::num::NonZeroU16;
use std::sync::LazyLock;

use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke, StrokeDash};
use krilla::surface::Surface;
use krilla::tagging::{Artifact, ArtifactType, ContentTag, SpanTag, Tag, TagGroup, TagTree};
use krilla::text::{GlyphId, KrillaGlyph};
use krilla::Document;
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};
use unicode_normalization::UnicodeNormalization;

/// A4 in points.
const W: f64 = 595.0;
const H: f64 = 842.0;
const MARGIN: f64 = 50.0;

/// DejaVu Sans (Debian's fonts-dejavu-core; licence in `fonts/LICENSE-DejaVu.txt`).
static REGULAR_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold, same origin and licence.
static BOLD_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

/// One shipped font: the krilla handle that embeds it, and the tables read for widths.
struct Face {
    font: krilla::text::Font,
    charmap: skrifa::charmap::Charmap<'static>,
    metrics: skrifa::metrics::GlyphMetrics<'static>,
    units_per_em: f32,
}

impl Face {
    fn load(bytes: &'static [u8]) -> Face {
        let font_ref = FontRef::new(bytes).expect("the shipped font parses");
        let units_per_em = f32::from(
            font_ref
                .metrics(Size::unscaled(), LocationRef::default())
                .units_per_em,
        );
        Face {
            font: krilla::text::Font::new(bytes.into(), 0).expect("krilla reads the shipped font"),
            charmap: font_ref.charmap(),
            metrics: font_ref.glyph_metrics(Size::unscaled(), LocationRef::default()),
            units_per_em,
        }
    }

    /// Glyphs of a line of text (already NFC), each with its advance in em.
    fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        text.char_indices()
            .map(|(at, c)| {
                let gid = self.charmap.map(c).unwrap_or_default();
                let advance = self.metrics.advance_width(gid).unwrap_or(0.0) / self.units_per_em;
                KrillaGlyph::new(
                    GlyphId::new(gid.to_u32()),
                    advance,
                    0.0,
                    0.0,
                    0.0,
                    at..at + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }

    /// Width of a line of text at `size` points.
    fn width(&self, text: &str, size: f64) -> f64 {
        let em: f32 = text
            .nfc()
            .map(|c| {
                let gid = self.charmap.map(c).unwrap_or_default();
                self.metrics.advance_width(gid).unwrap_or(0.0)
            })
            .sum();
        f64::from(em / self.units_per_em) * size
    }
}

// The tables only borrow the `'static` font bytes, so the faces are shared by every thread.
static REGULAR: LazyLock<Face> = LazyLock::new(|| Face::load(REGULAR_TTF));
static BOLD: LazyLock<Face> = LazyLock::new(|| Face::load(BOLD_TTF));

fn face(bold: bool) -> &'static Face {
    if bold {
        &BOLD
    } else {
        &REGULAR
    }
}

/// Width of one line of text in points, measured with the embedded font.
pub fn text_width(s: &str, size: f64, bold: bool) -> f64 {
    face(bold).width(s, size)
}

/// Break text into lines that fit `width` points, measured with the embedded
/// font. A word wider than the whole width is cut between characters, so no
/// text runs past its column.
pub fn wrap(s: &str, size: f64, bold: bool, width: f64) -> Vec<String> {
    let fits = |t: &str| text_width(t, size, bold) <= width;
    let mut lines: Vec<String> = vec![];
    let mut cur = String::new();
    for word in s.split_whitespace() {
        let candidate = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if fits(&candidate) {
            cur = candidate;
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
        }
        if fits(word) {
            cur = word.to_string();
            continue;
        }
        // Too long on its own: fill lines character by character (at least one each).
        for c in word.nfc() {
            let mut next = cur.clone();
            next.push(c);
            if cur.is_empty() || fits(&next) {
                cur = next;
            } else {
                lines.push(std::mem::replace(&mut cur, c.to_string()));
            }
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// The longest start of `s` that fits `width` points, with "…" when cut.
pub fn fit(s: &str, size: f64, bold: bool, width: f64) -> String {
    if text_width(s, size, bold) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.nfc() {
        let mut next = out.clone();
        next.push(c);
        next.push('…');
        if text_width(&next, size, bold) > width {
            break;
        }
        out.push(c);
    }
    let kept = out.trim_end().to_string();
    format!("{kept}…")
}

/// An RGB colour, 0–1 per channel.
pub type Rgb = (f64, f64, f64);

/// What a run of text is for a screen reader.
#[derive(Debug, Clone, PartialEq)]
enum Block {
    /// A paragraph (also a free-standing piece of text).
    Paragraph,
    /// A heading of this level (1 = the document's title).
    Heading {
        level: u16,
        /// Its text, for the tag and the document outline.
        title: String,
        /// Page index and baseline of its first line.
        page: usize,
        y: f64,
    },
}

/// One drawing operation, recorded until the page count is known.
#[derive(Debug, Clone)]
enum Op {
    Text {
        x: f64,
        y: f64,
        text: String,
        size: f64,
        bold: bool,
        color: Rgb,
        /// Index into `Doc::blocks`; `None` for the footer.
        block: Option<usize>,
    },
    Path {
        pts: Vec<(f64, f64)>,
        closed: bool,
        stroke: Rgb,
        fill: Option<Rgb>,
        width: f64,
        dashed: bool,
    },
}

/// A document being laid out top to bottom.
pub struct Doc {
    pages: Vec<Vec<Op>>,
    cur: Vec<Op>,
    /// Current baseline, from the bottom of the page.
    pub y: f64,
    footer: String,
    title: String,
    lang: String,
    blocks: Vec<Block>,
}

impl Doc {
    /// A new document; `footer` is printed on every page with its number.
    pub fn new(footer: &str) -> Doc {
        Doc {
            pages: vec![],
            cur: vec![],
            y: H - MARGIN,
            footer: footer.to_string(),
            title: footer.to_string(),
            lang: "fr".to_string(),
            blocks: vec![],
        }
    }

    /// Set the document's title (shown by viewers) and language (read by screen
    /// readers, e.g. "fr" or "en"). Without it the footer is the title, in French.
    pub fn set_meta(&mut self, title: &str, lang: &str) {
        self.title = title.to_string();
        self.lang = lang.to_string();
    }

    /// Usable width between the margins.
    pub fn width(&self) -> f64 {
        W - 2.0 * MARGIN
    }

    /// Start a new page if less than `needed` points remain.
    pub fn ensure(&mut self, needed: f64) {
        if self.y - needed < MARGIN + 20.0 {
            self.new_page();
        }
    }

    /// Close the current page and start another.
    pub fn new_page(&mut self) {
        let page = std::mem::take(&mut self.cur);
        self.pages.push(page);
        self.y = H - MARGIN;
    }

    fn block(&mut self, kind: Block) -> usize {
        self.blocks.push(kind);
        self.blocks.len() - 1
    }

    /// Record a line of text at `(x, y)` as part of `block`.
    fn text_in(
        &mut self,
        (x, y): (f64, f64),
        s: &str,
        size: f64,
        bold: bool,
        color: Rgb,
        block: usize,
    ) {
        let text: String = s
            .nfc()
            .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
            .collect();
        self.cur.push(Op::Text {
            x,
            y,
            text,
            size,
            bold,
            color,
            block: Some(block),
        });
    }

    /// Write one line of text at `x` on the baseline `y`.
    pub fn text_at(&mut self, x: f64, y: f64, s: &str, size: f64, bold: bool, color: Rgb) {
        let block = self.block(Block::Paragraph);
        self.text_in((x, y), s, size, bold, color, block);
    }

    fn lines(&mut self, s: &str, size: f64, bold: bool, color: Rgb, indent: f64, kind: Block) {
        let lines = wrap(s, size, bold, self.width() - indent);
        if lines.is_empty() {
            return;
        }
        let block = self.block(kind);
        for (i, line) in lines.into_iter().enumerate() {
            self.ensure(size * 1.4);
            self.y -= size * 1.35;
            let y = self.y;
            if i == 0 {
                let here = self.pages.len();
                if let Some(Block::Heading { page, y: at, .. }) = self.blocks.get_mut(block) {
                    (*page, *at) = (here, y);
                }
            }
            self.text_in((MARGIN + indent, y), &line, size, bold, color, block);
        }
    }

    /// A wrapped paragraph; moves down.
    pub fn paragraph(&mut self, s: &str, size: f64, bold: bool, color: Rgb, indent: f64) {
        self.lines(s, size, bold, color, indent, Block::Paragraph);
    }

    /// A wrapped bold heading of `level` (1 = the document's title); moves down.
    pub fn heading(&mut self, s: &str, level: u16, size: f64, color: Rgb) {
        self.lines(
            s,
            size,
            true,
            color,
            0.0,
            Block::Heading {
                level: level.max(1),
                title: s.nfc().collect(),
                page: 0,
                y: 0.0,
            },
        );
    }

    /// Vertical space.
    pub fn space(&mut self, pts: f64) {
        self.y -= pts;
    }

    /// A straight line.
    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, color: Rgb, width: f64) {
        self.polyline(&[(x1, y1), (x2, y2)], color, width, false);
    }

    /// An open line through `pts`, solid or dashed (a chart's curve).
    pub fn polyline(&mut self, pts: &[(f64, f64)], color: Rgb, width: f64, dashed: bool) {
        if pts.len() < 2 {
            return;
        }
        self.cur.push(Op::Path {
            pts: pts.to_vec(),
            closed: false,
            stroke: color,
            fill: None,
            width,
            dashed,
        });
    }

    /// A closed polygon, stroked and optionally filled.
    pub fn polygon(
        &mut self,
        pts: &[(f64, f64)],
        stroke: Rgb,
        fill: Option<Rgb>,
        width: f64,
        dashed: bool,
    ) {
        if pts.is_empty() {
            return;
        }
        self.cur.push(Op::Path {
            pts: pts.to_vec(),
            closed: true,
            stroke,
            fill,
            width,
            dashed,
        });
    }

    /// The left margin.
    pub fn left(&self) -> f64 {
        MARGIN
    }

    /// Serialise the document.
    pub fn finish(self) -> Vec<u8> {
        self.render(krilla::SerializeSettings::default())
            .expect("a document of text and paths always serialises")
    }

    /// Bookmarks: one per heading, or the title when there is none.
    fn outline(&self) -> Outline {
        let mut outline = Outline::new();
        let mut any = false;
        for b in &self.blocks {
            if let Block::Heading { title, page, y, .. } = b {
                let at = Point::from_xy(MARGIN as f32, (H - y) as f32);
                outline.push_child(OutlineNode::new(
                    title.clone(),
                    XyzDestination::new(*page, at),
                ));
                any = true;
            }
        }
        if !any {
            let top = Point::from_xy(0.0, 0.0);
            outline.push_child(OutlineNode::new(
                self.title.clone(),
                XyzDestination::new(0, top),
            ));
        }
        outline
    }

    /// Serialise with these settings (tests check conformance with a validator).
    fn render(
        mut self,
        settings: krilla::SerializeSettings,
    ) -> krilla::error::KrillaResult<Vec<u8>> {
        if !self.cur.is_empty() || self.pages.is_empty() {
            self.new_page();
        }
        let total = self.pages.len();
        let mut document = Document::new_with(settings);
        let mut groups: Vec<Option<TagGroup>> = self
            .blocks
            .iter()
            .map(|b| {
                Some(match b {
                    Block::Paragraph => TagGroup::new(Tag::P),
                    Block::Heading { level, title, .. } => TagGroup::new(Tag::Hn(
                        NonZeroU16::new(*level).unwrap_or(NonZeroU16::MIN),
                        Some(title.clone()),
                    )),
                })
            })
            .collect();
        for (i, ops) in self.pages.iter().enumerate() {
            let settings = PageSettings::from_wh(W as f32, H as f32).expect("A4 is a valid size");
            let mut page = document.start_page_with(settings);
            let mut surface = page.surface();
            for op in ops {
                draw(&mut surface, op, &mut groups);
            }
            let footer = Op::Text {
                x: MARGIN,
                y: 30.0,
                text: format!("{} — {}/{total}", self.footer, i + 1)
                    .nfc()
                    .collect(),
                size: 8.0,
                bold: false,
                color: (0.4, 0.4, 0.4),
                block: None,
            };
            draw(&mut surface, &footer, &mut groups);
            surface.finish();
            page.finish();
        }
        let mut tree = TagTree::new().with_lang(Some(self.lang.clone()));
        for group in groups.into_iter().flatten() {
            tree.push(group);
        }
        document.set_tag_tree(tree);
        document.set_outline(self.outline());
        document.set_metadata(
            Metadata::new()
                .title(self.title.clone())
                .language(self.lang.clone())
                .creator("Tremplin".to_string()),
        );
        document.finish()
    }
}

fn color(c: Rgb) -> rgb::Color {
    let channel = |v: f64| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    rgb::Color::new(channel(c.0), channel(c.1), channel(c.2))
}

/// Draw one operation; text goes into its tag group, paths are decoration.
fn draw(surface: &mut Surface<'_>, op: &Op, groups: &mut [Option<TagGroup>]) {
    match op {
        Op::Text {
            x,
            y,
            text,
            size,
            bold,
            color: c,
            block,
        } => {
            if text.trim().is_empty() {
                return;
            }
            let face = face(*bold);
            let id = match block {
                Some(_) => Some(surface.start_tagged(ContentTag::Span(SpanTag::empty()))),
                None => {
                    surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
                        ArtifactType::Footer,
                    )));
                    None
                }
            };
            surface.set_fill(Some(Fill {
                paint: color(*c).into(),
                opacity: NormalizedF32::ONE,
                rule: Default::default(),
            }));
            surface.set_stroke(None);
            let glyphs = face.glyphs(text);
            surface.draw_glyphs(
                Point::from_xy(*x as f32, (H - y) as f32),
                &glyphs,
                face.font.clone(),
                text,
                *size as f32,
                false,
            );
            surface.end_tagged();
            if let (Some(id), Some(b)) = (id, block) {
                if let Some(Some(group)) = groups.get_mut(*b) {
                    group.push(id);
                }
            }
        }
        Op::Path {
            pts,
            closed,
            stroke,
            fill,
            width,
            dashed,
        } => {
            let mut pb = PathBuilder::new();
            let mut it = pts.iter();
            let Some(first) = it.next() else { return };
            pb.move_to(first.0 as f32, (H - first.1) as f32);
            for p in it {
                pb.line_to(p.0 as f32, (H - p.1) as f32);
            }
            if *closed {
                pb.close();
            }
            let Some(path) = pb.finish() else { return };
            surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
                ArtifactType::Layout,
            )));
            surface.set_fill(fill.map(|f| Fill {
                paint: color(f).into(),
                opacity: NormalizedF32::ONE,
                rule: Default::default(),
            }));
            surface.set_stroke(Some(Stroke {
                paint: color(*stroke).into(),
                width: *width as f32,
                dash: dashed.then(|| StrokeDash {
                    array: vec![4.0, 3.0],
                    offset: 0.0,
                }),
                ..Default::default()
            }));
            surface.draw_path(&path);
            surface.end_tagged();
        }
    }
}

#[cfg(test)]
#[path = "pdf_tests.rs"]
mod tests;
