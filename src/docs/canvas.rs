//! A page-flowing drawing surface over printpdf: positions in millimetres from the top-left of an
//! A4 page, text in points, tables that continue on the next page with their header repeated,
//! a running header on continuation pages and `第 x 页 / 共 y 页` footers added at the end.
//!
//! Every document (报价单, 投标书, 周计划) is drawn with this, so the house style lives here once.

use std::collections::BTreeMap;

use printpdf::{
    Color, ExtendedGraphicsState, ExtendedGraphicsStateId, FontId, Line, LinePoint, Op, PaintMode, PdfFontHandle,
    Point, Pt, Rect, Rgb, TextItem, TextMatrix, XObject, XObjectId, XObjectTransform,
};

use super::DocError;
use super::fonts::{DocFonts, Face};
use super::layout::wrap;

pub const PAGE_WIDTH: f32 = 210.0;
pub const PAGE_HEIGHT: f32 = 297.0;
pub const MARGIN_LEFT: f32 = 18.0;
pub const MARGIN_RIGHT: f32 = 18.0;
pub const MARGIN_TOP: f32 = 16.0;
/// The footer sits below this.
pub const MARGIN_BOTTOM: f32 = 20.0;
pub const CONTENT_WIDTH: f32 = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
/// The smallest type a table cell shrinks to rather than break a credit code or a model.
pub const MIN_CELL_PT: f32 = 7.0;

pub const BLACK: Rgb8 = Rgb8(0x1a, 0x1a, 0x1a);
pub const GREY: Rgb8 = Rgb8(0x66, 0x66, 0x66);
pub const RULE: Rgb8 = Rgb8(0x44, 0x44, 0x44);
pub const HEADER_FILL: Rgb8 = Rgb8(0xee, 0xee, 0xee);
pub const SEAL_RED: Rgb8 = Rgb8(0xd0, 0x1c, 0x1f);

const PT_PER_MM: f32 = 72.0 / 25.4;

/// An sRGB colour, 0–255 per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb8(pub u8, pub u8, pub u8);

impl Rgb8 {
    fn color(self) -> Color {
        let c = |v: u8| f32::from(v) / 255.0;
        Color::Rgb(Rgb { r: c(self.0), g: c(self.1), b: c(self.2), icc_profile: None })
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub face: Face,
    /// Font size in points.
    pub size: f32,
    pub color: Rgb8,
}

impl Style {
    pub const fn regular(size: f32) -> Style {
        Style { face: Face::Regular, size, color: BLACK }
    }
    pub const fn bold(size: f32) -> Style {
        Style { face: Face::Bold, size, color: BLACK }
    }
    pub const fn with_color(self, color: Rgb8) -> Style {
        Style { color, ..self }
    }
    /// Height of one line of this text in mm (1.45 × the size: airy enough for Chinese).
    pub fn line_height(&self) -> f32 {
        self.size * 1.45 / PT_PER_MM
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// One table column: title, width in mm, alignment of its cells.
#[derive(Debug, Clone)]
pub struct Column {
    pub title: String,
    pub width: f32,
    pub align: Align,
}

impl Column {
    pub fn new(title: impl Into<String>, width: f32, align: Align) -> Column {
        Column { title: title.into(), width, align }
    }
}

/// How the finished pages are dressed.
#[derive(Debug, Clone, Default)]
pub struct Finish {
    /// Left of the footer (e.g. `验证码 …`).
    pub footer_left: String,
    /// Right of the footer (e.g. the document number).
    pub footer_right: String,
    /// Drawn diagonally across every page (e.g. `草稿 — 未经审批`).
    pub watermark: Option<String>,
    /// The seal image, cut into a 骑缝章 across the right edge of each volume's pages.
    pub riding_seal: Option<std::sync::Arc<[u8]>>,
}

/// The pages drawn and the images they use: saved as a PDF by [`super::pdf::save`], or turned
/// into marks a screen draws by [`super::preview::Pages::from_drawn`].
pub struct Drawn {
    pub pages: Vec<Vec<Op>>,
    pub images: Vec<(XObjectId, XObject)>,
    pub graphics_states: Vec<(ExtendedGraphicsStateId, ExtendedGraphicsState)>,
    /// The PNG or JPEG bytes behind each image resource (the preview decodes these).
    pub image_sources: Vec<(XObjectId, std::sync::Arc<[u8]>)>,
    /// The fill opacity each graphics state sets (the watermark's).
    pub fill_alphas: Vec<(ExtendedGraphicsStateId, f32)>,
    /// The body face (`F1`) is the serif one.
    pub serif_body: bool,
}

/// How strongly the watermark shows: light enough to read the text under it.
const WATERMARK_ALPHA: f32 = 0.16;

pub struct Canvas {
    fonts: &'static DocFonts,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    /// Where the next block starts, mm from the top of the page.
    pub y: f32,
    /// Printed small at the top of every page after the first.
    pub running_header: String,
    images: Vec<(XObjectId, XObject)>,
    image_sources: Vec<(XObjectId, std::sync::Arc<[u8]>)>,
    /// Characters the font lacks, with where they were (already reported by the document's own
    /// coverage check; this is the safety net so nothing is ever drawn as a box).
    missing: BTreeMap<char, String>,
    /// Images drawn with [`Canvas::image_keyed`]: key → (resource, pixel size), embedded once.
    keyed_images: BTreeMap<String, (XObjectId, f32, f32)>,
    /// Where each volume (a bound copy: 正本, 副本 1 …) starts, with its footer's right text;
    /// empty for a single document. Page numbers restart in each volume.
    volumes: Vec<(usize, Option<String>)>,
    /// The left edge of the text, mm: [`MARGIN_LEFT`], or more where the document is bound.
    pub left: f32,
    /// The width of the text, mm: [`CONTENT_WIDTH`], less a binding margin.
    pub text_width: f32,
}

pub fn font_id(face: Face) -> FontId {
    // Fixed resource names: printpdf's random ones would make every render differ.
    FontId(match face {
        Face::Regular => "F1".into(),
        Face::Bold => "F2".into(),
    })
}

fn mm(v: f32) -> Pt {
    Pt(v * PT_PER_MM)
}

impl Canvas {
    pub fn new(fonts: &'static DocFonts) -> Canvas {
        Canvas {
            fonts,
            pages: Vec::new(),
            ops: Vec::new(),
            y: MARGIN_TOP,
            left: MARGIN_LEFT,
            text_width: CONTENT_WIDTH,
            running_header: String::new(),
            images: Vec::new(),
            image_sources: Vec::new(),
            missing: BTreeMap::new(),
            keyed_images: BTreeMap::new(),
            volumes: Vec::new(),
        }
    }

    pub fn fonts(&self) -> &'static DocFonts {
        self.fonts
    }

    /// The number of the page being drawn, from 1.
    pub fn page_number(&self) -> usize {
        self.pages.len() + 1
    }

    /// The lowest y content may reach.
    pub fn bottom(&self) -> f32 {
        PAGE_HEIGHT - MARGIN_BOTTOM
    }

    pub fn remaining(&self) -> f32 {
        self.bottom() - self.y
    }

    /// Starts a new page unless `height` mm still fit on this one.
    pub fn ensure(&mut self, height: f32) {
        if self.y + height > self.bottom() {
            self.new_page();
        }
    }

    pub fn new_page(&mut self) {
        let done = std::mem::take(&mut self.ops);
        self.pages.push(done);
        self.y = MARGIN_TOP;
        if !self.running_header.is_empty() {
            let header = self.running_header.clone();
            let style = Style::regular(8.0).with_color(GREY);
            self.text(self.left, self.y, &header, style);
            let y = self.y + style.line_height() + 0.8;
            self.hline(self.left, self.left + self.text_width, y, 0.4, RULE);
            self.y = y + 3.0;
        }
    }

    pub fn width(&self, text: &str, style: Style) -> f32 {
        self.fonts.width(style.face, text, style.size) / PT_PER_MM
    }

    /// Remembers the characters of `text` the face lacks (reported by `finish`).
    fn note_missing(&mut self, face: Face, text: &str) {
        for c in text.chars() {
            if !self.fonts.covers(face, c) {
                self.missing.entry(c).or_insert_with(|| text.to_string());
            }
        }
    }

    /// One line of text whose line box starts at `top` (mm from the page top).
    pub fn text(&mut self, x: f32, top: f32, text: &str, style: Style) {
        if text.is_empty() {
            return;
        }
        self.note_missing(style.face, text);
        let size_mm = style.size / PT_PER_MM;
        // Noto's ideographs sit from −0.12 em to 0.88 em: centre that box in the line box.
        let baseline = top + (style.line_height() - size_mm) / 2.0 + size_mm * 0.88;
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont { font: PdfFontHandle::External(font_id(style.face)), size: Pt(style.size) },
            Op::SetFillColor { col: style.color.color() },
            Op::SetTextMatrix { matrix: TextMatrix::Translate(mm(x), mm(PAGE_HEIGHT - baseline)) },
            Op::ShowText { items: vec![TextItem::Text(text.to_string())] },
            Op::EndTextSection,
        ]);
    }

    /// One line of text aligned within `[x, x + width]`.
    pub fn text_in(&mut self, x: f32, width: f32, top: f32, text: &str, style: Style, align: Align) {
        let w = self.width(text, style);
        let x = match align {
            Align::Left => x,
            Align::Center => x + (width - w) / 2.0,
            Align::Right => x + width - w,
        };
        self.text(x, top, text, style);
    }

    /// Wraps `text` into `width` and returns the lines (for measuring before drawing).
    pub fn wrap(&self, text: &str, width: f32, style: Style) -> Vec<String> {
        let fonts = self.fonts;
        wrap(text, width, &|s: &str| fonts.width(style.face, s, style.size) / PT_PER_MM)
    }

    /// A wrapped paragraph at the current y, flowing onto new pages as needed; advances y.
    pub fn paragraph(&mut self, x: f32, width: f32, text: &str, style: Style) {
        let lh = style.line_height();
        for line in self.wrap(text, width, style) {
            self.ensure(lh);
            self.text(x, self.y, &line, style);
            self.y += lh;
        }
    }

    /// A label and its wrapped value side by side (`交货期：` …); advances y.
    pub fn labelled(&mut self, x: f32, width: f32, label: &str, value: &str, style: Style) {
        let label_style = Style { face: Face::Bold, ..style };
        let lw = self.width(label, label_style);
        let lh = style.line_height();
        let lines = self.wrap(value, width - lw, style);
        self.ensure(lh * lines.len().min(3) as f32);
        self.text(x, self.y, label, label_style);
        for line in lines {
            self.ensure(lh);
            self.text(x + lw, self.y, &line, style);
            self.y += lh;
        }
    }

    pub fn hline(&mut self, x1: f32, x2: f32, y: f32, thickness_pt: f32, color: Rgb8) {
        self.line(x1, y, x2, y, thickness_pt, color);
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, thickness_pt: f32, color: Rgb8) {
        let p = |x: f32, y: f32| LinePoint { p: Point { x: mm(x), y: mm(PAGE_HEIGHT - y) }, bezier: false };
        self.ops.extend([
            Op::SetOutlineColor { col: color.color() },
            Op::SetOutlineThickness { pt: Pt(thickness_pt) },
            Op::DrawLine { line: Line { points: vec![p(x1, y1), p(x2, y2)], is_closed: false } },
        ]);
    }

    /// A rectangle with its top-left at (x, y); stroked, or filled with `fill`.
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, stroke: Option<(f32, Rgb8)>, fill: Option<Rgb8>) {
        let rect = |mode| Rect {
            x: mm(x),
            y: mm(PAGE_HEIGHT - y - h),
            width: mm(w),
            height: mm(h),
            mode: Some(mode),
            winding_order: None,
        };
        if let Some(fill) = fill {
            self.ops.push(Op::SetFillColor { col: fill.color() });
            self.ops.push(Op::DrawRectangle { rectangle: rect(PaintMode::Fill) });
        }
        if let Some((thickness, color)) = stroke {
            self.ops.push(Op::SetOutlineColor { col: color.color() });
            self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
            self.ops.push(Op::DrawRectangle { rectangle: rect(PaintMode::Stroke) });
        }
    }

    /// Draws an image (PNG or JPEG bytes) into the box with its top-left at (x, y), keeping its
    /// aspect ratio and centring it in the box. Transparency is kept (the seal lets the company
    /// name show through).
    pub fn image(&mut self, bytes: &[u8], x: f32, y: f32, w: f32, h: f32) -> Result<(), DocError> {
        let enc = super::images::encoded(bytes)?;
        let id = XObjectId(format!("Im{}", self.images.len() + 1));
        self.images.push((id.clone(), XObject::External(enc.xobject.clone())));
        self.image_sources.push((id.clone(), bytes.into()));
        self.place(id, enc.width as f32, enc.height as f32, x, y, w, h);
        Ok(())
    }

    /// Like [`Canvas::image`], for an image drawn more than once (a seal on several pages, the
    /// same scans in every copy): embedded once per `key`, referenced each time.
    pub fn image_keyed(&mut self, key: &str, bytes: &[u8], x: f32, y: f32, w: f32, h: f32) -> Result<(), DocError> {
        let (id, pw, ph) = match self.keyed_images.get(key) {
            Some(found) => found.clone(),
            None => {
                let enc = super::images::encoded(bytes)?;
                let id = XObjectId(format!("Im{}", self.images.len() + 1));
                self.images.push((id.clone(), XObject::External(enc.xobject.clone())));
                self.image_sources.push((id.clone(), bytes.into()));
                let found = (id, enc.width as f32, enc.height as f32);
                self.keyed_images.insert(key.to_string(), found.clone());
                found
            }
        };
        self.place(id, pw, ph, x, y, w, h);
        Ok(())
    }

    /// Places image `id` of `pw` × `ph` pixels centred in the box, keeping its aspect ratio.
    #[allow(clippy::too_many_arguments)]
    fn place(&mut self, id: XObjectId, pw: f32, ph: f32, x: f32, y: f32, w: f32, h: f32) {
        let scale = (w / pw).min(h / ph);
        let (dw, dh) = (pw * scale, ph * scale);
        let (dx, dy) = (x + (w - dw) / 2.0, y + (h - dh) / 2.0);
        self.ops.push(Op::UseXobject {
            id,
            transform: XObjectTransform {
                translate_x: Some(mm(dx)),
                translate_y: Some(mm(PAGE_HEIGHT - dy - dh)),
                scale_x: Some(mm(dw).0),
                scale_y: Some(mm(dh).0),
                no_auto_scale: true,
                ..Default::default()
            },
        });
    }

    /// The pixel size of an image (width, height), to lay out before drawing.
    pub fn image_size(bytes: &[u8]) -> Result<(u32, u32), DocError> {
        image::ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| DocError::Image(e.to_string()))?
            .into_dimensions()
            .map_err(|e| DocError::Image(e.to_string()))
    }

    /// Starts a volume (a separately bound copy) on a fresh page: its pages are numbered from 1
    /// with their own total, and `footer_right` (if any) replaces the footer's right text there.
    /// A canvas that never starts one numbers all its pages as one document.
    pub fn start_volume(&mut self, footer_right: Option<String>) {
        if !(self.pages.is_empty() && self.ops.is_empty()) {
            self.new_page();
        }
        self.volumes.push((self.pages.len(), footer_right));
    }

    /// The number of the page being drawn within its volume, from 1.
    pub fn page_in_volume(&self) -> usize {
        let start = self.volumes.last().map_or(0, |v| v.0);
        self.pages.len() - start + 1
    }

    /// A table at the current y with wrapped cells and full rules; when a row does not fit, the
    /// page breaks and the header row is drawn again. Advances y past the table.
    pub fn table(&mut self, columns: &[Column], rows: &[Vec<String>], style: Style) {
        self.table_continued(columns, rows, style, None);
    }

    /// Like [`Canvas::table`]; after a page break `caption` (e.g. `郑凯（续）`) is printed above the
    /// repeated header so the reader knows whose rows continue.
    pub fn table_continued(&mut self, columns: &[Column], rows: &[Vec<String>], style: Style, caption: Option<&str>) {
        let header_style = Style { face: Face::Bold, ..style };
        let pad = 1.2;
        let lh = style.line_height();
        self.table_header(columns, header_style, pad);
        for row in rows {
            let cells: Vec<(Vec<String>, Style)> = columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let text = row.get(i).map(String::as_str).unwrap_or("");
                    let s = self.cell_style(text, c.width - 2.0 * pad, style);
                    (self.wrap(text, c.width - 2.0 * pad, s), s)
                })
                .collect();
            let height = cells.iter().map(|(lines, s)| lines.len().max(1) as f32 * s.line_height()).fold(lh, f32::max)
                + 2.0 * pad;
            if self.y + height > self.bottom() {
                self.new_page();
                if let Some(caption) = caption {
                    let caption_style = Style { face: Face::Bold, size: style.size + 1.0, color: style.color };
                    self.text(self.left, self.y, caption, caption_style);
                    self.y += caption_style.line_height() + 0.5;
                }
                self.table_header(columns, header_style, pad);
            }
            self.table_row(columns, &cells, pad, height);
        }
    }

    /// The type a cell is set in: `style`, or smaller — half a point at a time, not below
    /// [`MIN_CELL_PT`] — until its widest unbreakable run (a credit code, a model, a date) fits the
    /// cell, so it is not broken inside.
    fn cell_style(&self, text: &str, width: f32, style: Style) -> Style {
        let fonts = self.fonts;
        let mut s = style;
        while s.size > MIN_CELL_PT
            && super::layout::widest_unit(text, &|u: &str| fonts.width(s.face, u, s.size) / PT_PER_MM) > width
        {
            s.size = (s.size - 0.5).max(MIN_CELL_PT);
        }
        s
    }

    fn table_header(&mut self, columns: &[Column], style: Style, pad: f32) {
        let height = style.line_height() + 2.0 * pad;
        let total: f32 = columns.iter().map(|c| c.width).sum();
        self.rect(self.left, self.y, total, height, None, Some(HEADER_FILL));
        let cells: Vec<(Vec<String>, Style)> = columns.iter().map(|c| (vec![c.title.clone()], style)).collect();
        let centred: Vec<Column> = columns.iter().map(|c| Column { align: Align::Center, ..c.clone() }).collect();
        self.table_row(&centred, &cells, pad, height);
    }

    fn table_row(&mut self, columns: &[Column], cells: &[(Vec<String>, Style)], pad: f32, height: f32) {
        let top = self.y;
        let mut x = self.left;
        for (column, (lines, style)) in columns.iter().zip(cells) {
            let lh = style.line_height();
            for (i, line) in lines.iter().enumerate() {
                self.text_in(x + pad, column.width - 2.0 * pad, top + pad + i as f32 * lh, line, *style, column.align);
            }
            x += column.width;
        }
        let total: f32 = columns.iter().map(|c| c.width).sum();
        self.rect(self.left, top, total, height, Some((0.5, RULE)), None);
        let mut x = self.left;
        for column in &columns[..columns.len().saturating_sub(1)] {
            x += column.width;
            self.line(x, top, x, top + height, 0.5, RULE);
        }
        self.y = top + height;
    }

    /// Ends the last page and dresses every page: footer with `第 x 页 / 共 y 页`, the footer
    /// texts, and the watermark. Fails, naming the characters, if any text used a character the
    /// font does not have.
    pub fn finish(mut self, finish: &Finish) -> Result<Drawn, DocError> {
        let last = std::mem::take(&mut self.ops);
        self.pages.push(last);
        let mut graphics_states = Vec::new();
        let mut fill_alphas = Vec::new();
        let watermark_gs = ExtendedGraphicsStateId("GS1".into());
        if finish.watermark.is_some() {
            graphics_states.push((
                watermark_gs.clone(),
                ExtendedGraphicsState::default().with_current_fill_alpha(WATERMARK_ALPHA),
            ));
            fill_alphas.push((watermark_gs.clone(), WATERMARK_ALPHA));
        }
        let total = self.pages.len();
        let mut pages = std::mem::take(&mut self.pages);
        let volumes = std::mem::take(&mut self.volumes);
        for (i, page) in pages.iter_mut().enumerate() {
            self.ops = std::mem::take(page);
            // Within its volume when the document has volumes, else within the document.
            let (number, of, right) = match volumes.iter().rposition(|v| v.0 <= i) {
                Some(k) => {
                    let end = volumes.get(k + 1).map_or(total, |v| v.0);
                    let right = volumes[k].1.clone().unwrap_or_else(|| finish.footer_right.clone());
                    (i - volumes[k].0 + 1, end - volumes[k].0, right)
                }
                None => (i + 1, total, finish.footer_right.clone()),
            };
            let style = Style::regular(8.0).with_color(GREY);
            let y = PAGE_HEIGHT - MARGIN_BOTTOM + 6.0;
            self.hline(self.left, self.left + self.text_width, y - 1.5, 0.3, GREY);
            self.text(self.left, y, &finish.footer_left, style);
            self.text_in(
                self.left,
                self.text_width,
                y,
                &format!("第 {} 页 / 共 {} 页", number, of),
                style,
                Align::Center,
            );
            self.text_in(self.left, self.text_width, y, &right, style, Align::Right);
            if let Some(seal) = &finish.riding_seal {
                self.riding_slice(seal, number, of)?;
            }
            if let Some(mark) = &finish.watermark {
                self.watermark(mark, &watermark_gs);
            }
            *page = std::mem::take(&mut self.ops);
        }
        if !self.missing.is_empty() {
            return Err(DocError::MissingGlyphs(
                self.missing.into_iter().map(|(c, context)| super::MissingGlyph { ch: c, context }).collect(),
            ));
        }
        Ok(Drawn {
            pages,
            images: self.images,
            graphics_states,
            image_sources: self.image_sources,
            fill_alphas,
            serif_body: self.fonts.serif_body(),
        })
    }

    /// Page `number` of `of`'s slice of the 骑缝章, flush with the right edge of the paper at
    /// mid-height (where the pages are fanned and stamped).
    fn riding_slice(&mut self, seal: &[u8], number: usize, of: usize) -> Result<(), DocError> {
        let plan = super::seal::riding_plan(of);
        let Some(&(index, count)) = plan.get(number - 1) else { return Ok(()) };
        let key = format!("riding-{count}-{index}");
        let bytes =
            if self.keyed_images.contains_key(&key) { Vec::new() } else { super::seal::slice_png(seal, index, count)? };
        let w = super::seal::SEAL_MM / count as f32;
        let h = super::seal::SEAL_MM;
        self.image_keyed(&key, &bytes, PAGE_WIDTH - w, (PAGE_HEIGHT - h) / 2.0, w, h)
    }

    fn watermark(&mut self, text: &str, gs: &ExtendedGraphicsStateId) {
        let style = Style::bold(54.0).with_color(Rgb8(0xc0, 0x39, 0x2b));
        let w = self.width(text, style);
        let angle: f32 = 35.0;
        let (sin, cos) = angle.to_radians().sin_cos();
        let size = style.size / PT_PER_MM;
        // Centre the rotated line on the page centre.
        let (cx, cy) = (PAGE_WIDTH / 2.0, PAGE_HEIGHT / 2.0);
        let x = cx - cos * w / 2.0 + sin * size * 0.38;
        let y_up = cy - sin * w / 2.0 - cos * size * 0.38;
        self.note_missing(style.face, text);
        self.ops.extend([
            Op::SaveGraphicsState,
            Op::LoadGraphicsState { gs: gs.clone() },
            Op::StartTextSection,
            Op::SetFont { font: PdfFontHandle::External(font_id(style.face)), size: Pt(style.size) },
            Op::SetFillColor { col: style.color.color() },
            Op::SetTextMatrix { matrix: TextMatrix::Raw([cos, sin, -sin, cos, mm(x).0, mm(y_up).0]) },
            Op::ShowText { items: vec![TextItem::Text(text.to_string())] },
            Op::EndTextSection,
            Op::RestoreGraphicsState,
        ]);
    }
}

/// Millimetres to points, for callers that size things in points.
pub fn mm_to_pt(v: f32) -> f32 {
    v * PT_PER_MM
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::preview::{Mark, Pages};

    /// The text runs drawn, with their sizes.
    fn texts(c: Canvas) -> Vec<(String, f32)> {
        let drawn = c.finish(&Finish::default()).unwrap();
        Pages::from_drawn(&drawn)
            .pages
            .into_iter()
            .flatten()
            .filter_map(|m| match m {
                Mark::Text { text, size, .. } => Some((text, size)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_cell_shrinks_its_type_before_it_breaks_a_code_and_not_below_7_pt() {
        let fonts = DocFonts::get().expect("fonts");
        let code = "91320594MA1XK7RD3X";
        let mut c = Canvas::new(fonts);
        let columns = [Column::new("信用代码", 33.0, Align::Left), Column::new("名称", 40.0, Align::Left)];
        c.table(&columns, &[vec![code.into(), "苏州恒信电气设备有限公司".into()]], Style::regular(9.5));
        let drawn = texts(c);
        let (_, size) =
            drawn.iter().find(|(t, _)| t == code).unwrap_or_else(|| panic!("the code on one line, whole: {drawn:?}"));
        assert!(*size < 9.5 && *size >= MIN_CELL_PT, "shrunk to {size}");
        let (_, name) = drawn.iter().find(|(t, _)| t.starts_with("苏州")).expect("the name");
        assert_eq!(*name, 9.5, "the other cells keep their size");

        // Too narrow even at 7 pt: 7 pt, and only then broken.
        let mut c = Canvas::new(fonts);
        c.table(&[Column::new("信用代码", 12.0, Align::Left)], &[vec![code.into()]], Style::regular(9.5));
        let drawn = texts(c);
        let pieces: Vec<_> = drawn.iter().filter(|(t, _)| code.contains(t.as_str()) && t != "信用代码").collect();
        assert!(pieces.len() > 1 && pieces.iter().all(|(_, s)| *s == MIN_CELL_PT), "{pieces:?}");
    }
}
