//! The pages as a screen draws them: the same page description the PDF is written from
//! ([`Drawn`], the canvas's operations), read into plain marks — text at its baseline, lines,
//! rectangles, images — in millimetres from the page's top-left. Nothing is re-laid out, so the
//! preview shows exactly the pages that print; the window only scales them.
//!
//! Marks keep no textures and no pixels: a 310-page bid is a few megabytes of marks, and the
//! window draws only the page on screen.

use std::sync::Arc;

use printpdf::{Color, Op, PaintMode, PdfFontHandle, TextItem, TextMatrix};

use super::canvas::{Drawn, PAGE_HEIGHT, PAGE_WIDTH};

/// Millimetres per PDF point.
const MM_PER_PT: f32 = 25.4 / 72.0;

/// An sRGB colour with its opacity, 0–255 each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgba(pub u8, pub u8, pub u8, pub u8);

/// One thing drawn on a page. Positions and sizes in millimetres from the top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// A run of text with its baseline starting at (`x`, `y`); `size` in points; `angle` in
    /// radians, counter-clockwise on the paper (the watermark's 35°); `serif`: set in the serif
    /// body face (宋体) rather than the sans one.
    Text { x: f32, y: f32, size: f32, bold: bool, serif: bool, color: Rgba, angle: f32, text: String },
    /// A polyline; `width` in points.
    Line { points: Vec<(f32, f32)>, width: f32, color: Rgba },
    /// A rectangle filled, stroked (`width` in points), or both.
    Rect { x: f32, y: f32, w: f32, h: f32, fill: Option<Rgba>, stroke: Option<(f32, Rgba)> },
    /// Image number `image` of [`Pages::images`], stretched into the box.
    Image { image: usize, x: f32, y: f32, w: f32, h: f32 },
}

/// A document's pages as marks, with the images they show (PNG or JPEG bytes, each once).
#[derive(Debug, Clone, Default)]
pub struct Pages {
    pub pages: Vec<Vec<Mark>>,
    pub images: Vec<Arc<[u8]>>,
    /// The page size in millimetres (A4 portrait).
    pub width: f32,
    pub height: f32,
}

#[derive(Clone, Copy)]
struct State {
    fill: Rgba,
    stroke: Rgba,
    line_width: f32,
    bold: bool,
    size: f32,
    alpha: f32,
    /// Text matrix: a, b, c, d, e, f (points, y up).
    matrix: [f32; 6],
}

fn rgba(c: &Color, alpha: f32) -> Rgba {
    let a = (alpha.clamp(0.0, 1.0) * 255.0).round() as u8;
    let v = |x: f32| (x.clamp(0.0, 1.0) * 255.0).round() as u8;
    match c {
        Color::Rgb(rgb) => Rgba(v(rgb.r), v(rgb.g), v(rgb.b), a),
        Color::Greyscale(g) => Rgba(v(g.percent), v(g.percent), v(g.percent), a),
        Color::Cmyk(c) => {
            let k = 1.0 - c.k;
            Rgba(v((1.0 - c.c) * k), v((1.0 - c.m) * k), v((1.0 - c.y) * k), a)
        }
        Color::SpotColor(_) => Rgba(0, 0, 0, a),
    }
}

/// Points from the bottom-left (PDF) to millimetres from the top-left (the page as read).
fn to_mm(x: f32, y: f32) -> (f32, f32) {
    (x * MM_PER_PT, PAGE_HEIGHT - y * MM_PER_PT)
}

impl Pages {
    /// Reads the canvas's operations. Every operation the canvas writes has its mark; anything
    /// else is skipped (the canvas writes nothing else).
    pub fn from_drawn(drawn: &Drawn) -> Pages {
        let image_at = |id: &str| drawn.image_sources.iter().position(|(x, _)| x.0 == id);
        let images: Vec<Arc<[u8]>> = drawn.image_sources.iter().map(|(_, b)| b.clone()).collect();
        let alpha_of = |id: &str| drawn.fill_alphas.iter().find(|(g, _)| g.0 == id).map(|(_, a)| *a);
        let start = State {
            fill: Rgba(0, 0, 0, 255),
            stroke: Rgba(0, 0, 0, 255),
            line_width: 1.0,
            bold: false,
            size: 10.0,
            alpha: 1.0,
            matrix: [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
        };
        let mut pages = Vec::with_capacity(drawn.pages.len());
        for ops in &drawn.pages {
            let mut marks = Vec::new();
            let mut s = start;
            let mut saved: Vec<State> = Vec::new();
            // The last fill colour set, so an opacity set after it applies to it.
            let mut fill_color = None::<Color>;
            for op in ops {
                match op {
                    Op::SaveGraphicsState => saved.push(s),
                    Op::RestoreGraphicsState => s = saved.pop().unwrap_or(start),
                    Op::LoadGraphicsState { gs } => {
                        if let Some(a) = alpha_of(&gs.0) {
                            s.alpha = a;
                            if let Some(c) = &fill_color {
                                s.fill = rgba(c, s.alpha);
                            }
                        }
                    }
                    Op::SetFillColor { col } => {
                        s.fill = rgba(col, s.alpha);
                        fill_color = Some(col.clone());
                    }
                    Op::SetOutlineColor { col } => s.stroke = rgba(col, s.alpha),
                    Op::SetOutlineThickness { pt } => s.line_width = pt.0,
                    Op::SetFont { font, size } => {
                        s.size = size.0;
                        s.bold = matches!(font, PdfFontHandle::External(id) if id.0 == "F2");
                    }
                    Op::SetTextMatrix { matrix } => {
                        s.matrix = match matrix {
                            TextMatrix::Translate(x, y) => [1.0, 0.0, 0.0, 1.0, x.0, y.0],
                            TextMatrix::TranslateRotate(x, y, deg) => {
                                let (sin, cos) = deg.to_radians().sin_cos();
                                [cos, sin, -sin, cos, x.0, y.0]
                            }
                            TextMatrix::Raw(m) => *m,
                            #[allow(unreachable_patterns)]
                            _ => s.matrix,
                        }
                    }
                    Op::ShowText { items } => {
                        let text: String = items
                            .iter()
                            .filter_map(|i| match i {
                                TextItem::Text(t) => Some(t.as_str()),
                                #[allow(unreachable_patterns)]
                                _ => None,
                            })
                            .collect();
                        let [a, b, _, _, e, f] = s.matrix;
                        let (x, y) = to_mm(e, f);
                        marks.push(Mark::Text {
                            x,
                            y,
                            size: s.size,
                            bold: s.bold,
                            serif: !s.bold && drawn.serif_body,
                            color: s.fill,
                            angle: b.atan2(a),
                            text,
                        });
                    }
                    Op::DrawLine { line } => {
                        let points = line.points.iter().map(|p| to_mm(p.p.x.0, p.p.y.0)).collect();
                        marks.push(Mark::Line { points, width: s.line_width, color: s.stroke });
                    }
                    Op::DrawRectangle { rectangle: r } => {
                        let (x, top) = to_mm(r.x.0, r.y.0 + r.height.0);
                        let (w, h) = (r.width.0 * MM_PER_PT, r.height.0 * MM_PER_PT);
                        let (fill, stroke) = match r.mode {
                            Some(PaintMode::Stroke) => (None, Some((s.line_width, s.stroke))),
                            Some(PaintMode::FillStroke) => (Some(s.fill), Some((s.line_width, s.stroke))),
                            _ => (Some(s.fill), None),
                        };
                        marks.push(Mark::Rect { x, y: top, w, h, fill, stroke });
                    }
                    Op::UseXobject { id, transform } => {
                        if let Some(image) = image_at(&id.0) {
                            let (tx, ty) = (
                                transform.translate_x.map_or(0.0, |p| p.0),
                                transform.translate_y.map_or(0.0, |p| p.0),
                            );
                            let (sw, sh) = (transform.scale_x.unwrap_or(1.0), transform.scale_y.unwrap_or(1.0));
                            let (x, top) = to_mm(tx, ty + sh);
                            marks.push(Mark::Image { image, x, y: top, w: sw * MM_PER_PT, h: sh * MM_PER_PT });
                        }
                    }
                    _ => {}
                }
            }
            pages.push(marks);
        }
        Pages { pages, images, width: PAGE_WIDTH, height: PAGE_HEIGHT }
    }

    pub fn len(&self) -> usize {
        self.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// Every text on page `page` (from 0), in drawing order: what a test or a screen reader reads.
    pub fn texts(&self, page: usize) -> Vec<&str> {
        self.pages
            .get(page)
            .map(|marks| {
                marks
                    .iter()
                    .filter_map(|m| match m {
                        Mark::Text { text, .. } => Some(text.as_str()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}
