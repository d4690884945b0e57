//! The demo office's seal image: a red ring, a star, the company name along the top arc and
//! 演示专用章 across the bottom, so it can never pass for a real seal (DESIGN §5). Real offices
//! load an image of their own seal instead.

use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::raw::TableProvider;
use skrifa::{FontRef, MetadataProvider};
use vello_cpu::color::{OpaqueColor, Srgb};
use vello_cpu::kurbo::{Affine, BezPath, Circle, Shape, Stroke};
use vello_cpu::{Pixmap, RenderContext, Resources};

use super::DocError;
use crate::assets::NOTO_SANS_SC_BOLD;

const SIZE: u16 = 600;

/// PNG bytes of a round seal reading `company` around the top and `label` (e.g. 演示专用章)
/// across the bottom, red on transparent.
pub fn seal_png(company: &str, label: &str) -> Result<Vec<u8>, DocError> {
    let font = FontRef::new(NOTO_SANS_SC_BOLD).map_err(|_| DocError::Font)?;
    let size = f64::from(SIZE);
    let (cx, cy) = (size / 2.0, size / 2.0);
    let radius = size / 2.0 - 14.0;
    let mut ctx = RenderContext::new(SIZE, SIZE);
    ctx.set_paint(OpaqueColor::<Srgb>::from_rgb8(0xd0, 0x1c, 0x1f));

    ctx.set_stroke(Stroke::new(size * 0.032));
    ctx.stroke_path(&Circle::new((cx, cy), radius).to_path(0.05));
    ctx.fill_path(&star(cx, cy - size * 0.02, size * 0.13));

    // The company name along the top arc, each character upright towards the rim.
    let chars: Vec<char> = company.chars().filter(|c| !c.is_whitespace()).collect();
    let n = chars.len().max(1) as f64;
    let glyph_px = (size * 0.115).min(size * 1.9 / n);
    let span = (n * 0.36).min(4.0); // radians, at most ~230°
    let text_radius = radius - size * 0.035 - glyph_px * 0.62;
    for (i, ch) in chars.iter().enumerate() {
        let angle = -std::f64::consts::FRAC_PI_2 - span / 2.0 + span * (i as f64 + 0.5) / n;
        let (x, y) = (cx + text_radius * angle.cos(), cy + text_radius * angle.sin());
        let placement = Affine::translate((x, y)) * Affine::rotate(angle + std::f64::consts::FRAC_PI_2);
        if let Some(path) = glyph(&font, *ch, glyph_px, placement) {
            ctx.fill_path(&path);
        }
    }

    // The label straight across below the star.
    let label_chars: Vec<char> = label.chars().collect();
    let label_px = size * 0.095;
    let advance = label_px * 1.02;
    let start = cx - advance * (label_chars.len() as f64 - 1.0) / 2.0;
    for (i, ch) in label_chars.iter().enumerate() {
        let placement = Affine::translate((start + advance * i as f64, cy + size * 0.24));
        if let Some(path) = glyph(&font, *ch, label_px, placement) {
            ctx.fill_path(&path);
        }
    }

    let mut pixmap = Pixmap::new(SIZE, SIZE);
    ctx.flush();
    ctx.render(&mut pixmap, &mut Resources::new());
    // vello works in premultiplied alpha; PNG wants straight alpha.
    let mut rgba = Vec::with_capacity(pixmap.data().len() * 4);
    for px in pixmap.data() {
        let a = px.a;
        let un = |c: u8| if a == 0 { 0 } else { ((u16::from(c) * 255 + u16::from(a) / 2) / u16::from(a)) as u8 };
        rgba.extend([un(px.r), un(px.g), un(px.b), a]);
    }
    let image = image::RgbaImage::from_raw(u32::from(SIZE), u32::from(SIZE), rgba)
        .ok_or_else(|| DocError::Image("seal buffer".into()))?;
    let mut png = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| DocError::Image(e.to_string()))?;
    Ok(png)
}

/// A five-pointed star centred at (cx, cy) with outer radius `r`.
fn star(cx: f64, cy: f64, r: f64) -> BezPath {
    let inner = r * 0.382;
    let mut path = BezPath::new();
    for i in 0..10 {
        let radius = if i % 2 == 0 { r } else { inner };
        let angle = -std::f64::consts::FRAC_PI_2 + i as f64 * std::f64::consts::PI / 5.0;
        let p = (cx + radius * angle.cos(), cy + radius * angle.sin());
        if i == 0 { path.move_to(p) } else { path.line_to(p) }
    }
    path.close_path();
    path
}

/// The outline of `ch` at `px` pixels per em, centred on the origin, then placed by `placement`.
fn glyph(font: &FontRef, ch: char, px: f64, placement: Affine) -> Option<BezPath> {
    let gid = font.charmap().map(ch)?;
    let outline = font.outline_glyphs().get(gid)?;
    let mut pen = Pen(BezPath::new());
    outline.draw(DrawSettings::unhinted(Size::unscaled(), LocationRef::default()), &mut pen).ok()?;
    let upm = f64::from(font.head().ok()?.units_per_em());
    let advance = f64::from(font.glyph_metrics(Size::unscaled(), LocationRef::default()).advance_width(gid)?);
    // Ideographs span −0.12…0.88 em around the baseline: centre them on the origin.
    let centre = Affine::translate((-advance / 2.0, 0.38 * upm));
    Some(placement * Affine::scale(px / upm) * centre * pen.0)
}

/// Collects a glyph outline as a kurbo path with y pointing down.
pub(super) struct Pen(pub(super) BezPath);

impl OutlinePen for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to((f64::from(x), -f64::from(y)));
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to((f64::from(x), -f64::from(y)));
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.0.quad_to((f64::from(cx0), -f64::from(cy0)), (f64::from(x), -f64::from(y)));
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.0.curve_to(
            (f64::from(cx0), -f64::from(cy0)),
            (f64::from(cx1), -f64::from(cy1)),
            (f64::from(x), -f64::from(y)),
        );
    }
    fn close(&mut self) {
        self.0.close_path();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_seal_is_a_red_ring_on_transparent() {
        let png = seal_png("华东机电设备有限公司", "演示专用章").expect("seal renders");
        let img = image::load_from_memory(&png).expect("valid png").to_rgba8();
        assert_eq!(img.dimensions(), (600, 600));
        // Corners are transparent; the ring at the left edge is red.
        assert_eq!(img.get_pixel(0, 0)[3], 0);
        let ring = img.get_pixel(16, 300);
        assert!(ring[3] > 200 && ring[0] > 180 && ring[1] < 80, "ring pixel {ring:?}");
        // Something is drawn in the text band (the name) and below the star (the label).
        let inked = |y0: u32, y1: u32| {
            (y0..y1)
                .flat_map(|y| (150..450).map(move |x| (x, y)))
                .filter(|&(x, y)| img.get_pixel(x, y)[3] > 128)
                .count()
        };
        assert!(inked(60, 140) > 500, "company name drawn");
        assert!(inked(420, 470) > 500, "label drawn");
    }
}

/// A 骑缝章 slice is never narrower than this (mm): narrower ones cannot be matched by eye.
pub const RIDING_MIN_SLICE: f32 = 3.0;
/// The printed seal's diameter (mm).
pub const SEAL_MM: f32 = 42.0;

/// The 骑缝章 of a bound copy of `pages` pages: for each page, (its slice, the slices of its
/// group). The seal is cut into one slice per page; a copy with more pages than slices of at
/// least [`RIDING_MIN_SLICE`] gets the seal over groups of consecutive pages, as even as can be.
pub fn riding_plan(pages: usize) -> Vec<(usize, usize)> {
    let most = (SEAL_MM / RIDING_MIN_SLICE).floor() as usize;
    let groups = pages.div_ceil(most).max(1);
    let (base, extra) = (pages / groups, pages % groups);
    let mut out = Vec::with_capacity(pages);
    for g in 0..groups {
        let n = base + usize::from(g < extra);
        out.extend((0..n).map(|i| (i, n)));
    }
    out
}

/// Slice `index` of `count` vertical strips of the seal image, as a PNG.
pub fn slice_png(png: &[u8], index: usize, count: usize) -> Result<Vec<u8>, DocError> {
    let img = image::load_from_memory(png).map_err(|e| DocError::Image(e.to_string()))?.to_rgba8();
    let (w, h) = img.dimensions();
    let count = count.max(1) as u32;
    let index = (index as u32).min(count - 1);
    let (x0, x1) = (w * index / count, (w * (index + 1) / count).max(w * index / count + 1));
    let part = image::imageops::crop_imm(&img, x0, 0, x1 - x0, h).to_image();
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(part)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .map_err(|e| DocError::Image(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod riding_tests {
    use super::*;

    #[test]
    fn slices_are_never_narrower_than_three_millimetres_and_cover_every_page() {
        for pages in [1, 2, 14, 15, 28, 29, 62, 310] {
            let plan = riding_plan(pages);
            assert_eq!(plan.len(), pages);
            for (i, n) in &plan {
                assert!(SEAL_MM / *n as f32 >= RIDING_MIN_SLICE, "{pages} pages: {n} slices");
                assert!(i < n);
            }
            // Each group starts at slice 0 and runs through all its slices in order.
            let mut k = 0;
            while k < plan.len() {
                let n = plan[k].1;
                assert!((0..n).all(|i| plan[k + i] == (i, n)), "{pages} pages");
                k += n;
            }
        }
        assert_eq!(riding_plan(15).iter().filter(|(i, _)| *i == 0).count(), 2, "two groups");
    }

    #[test]
    fn the_slices_put_back_together_are_the_seal() {
        let png = seal_png("测试公司", "合同专用章").unwrap();
        let whole = image::load_from_memory(&png).unwrap().to_rgba8();
        let widths: u32 =
            (0..7).map(|i| image::load_from_memory(&slice_png(&png, i, 7).unwrap()).unwrap().width()).sum();
        assert_eq!(widths, whole.width());
    }
}
