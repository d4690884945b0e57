//! A page as pixels, drawn from the same marks the preview shows ([`super::preview`]): text from
//! the bundled fonts' outlines, lines, rectangles and images, at the resolution asked. For print
//! paths that take pictures rather than PDF — on Windows the page is drawn onto the printer's
//! device context (issue 23), since sending PDF bytes prints only on printers that read PDF.
//! Nothing is laid out again: what prints is what the preview and the PDF show.

use std::sync::Arc;

use skrifa::instance::{LocationRef, Size};
use skrifa::outline::DrawSettings;
use skrifa::raw::TableProvider;
use skrifa::{FontRef, MetadataProvider};
use vello_cpu::color::{AlphaColor, PremulRgba8, Srgb};
use vello_cpu::kurbo::{Affine, BezPath, Rect, Stroke};
use vello_cpu::peniko::ImageSampler;
use vello_cpu::{Image, ImageSource, Pixmap, RenderContext, Resources};

use super::DocError;
use super::preview::{Mark, Pages, Rgba};
use super::seal::Pen;
use crate::assets::{NOTO_SANS_SC_BOLD, NOTO_SANS_SC_REGULAR, NOTO_SERIF_SC_REGULAR};

/// Millimetres per PDF point (mark sizes and widths are in points).
const MM_PER_PT: f64 = 25.4 / 72.0;
/// The largest side a page or an image may have here (the rasteriser counts in 16 bits).
const MAX_SIDE: u32 = u16::MAX as u32;

/// Page `index` of `pages` at `dpi` dots per inch, on white, as sRGB pixels.
pub fn page_image(pages: &Pages, index: usize, dpi: f32) -> Result<image::RgbImage, DocError> {
    let marks = pages.pages.get(index).ok_or_else(|| DocError::Write(format!("没有第 {} 页", index + 1)))?;
    let px_per_mm = f64::from(dpi) / 25.4;
    let side = |mm: f32| ((f64::from(mm) * px_per_mm).round() as u32).clamp(1, MAX_SIDE) as u16;
    let (width, height) = (side(pages.width), side(pages.height));
    let fonts = Fonts::load()?;
    let mut ctx = RenderContext::new(width, height);
    ctx.set_paint(AlphaColor::<Srgb>::WHITE);
    ctx.fill_rect(&Rect::new(0.0, 0.0, f64::from(width), f64::from(height)));
    let page = Affine::scale(px_per_mm);
    for mark in marks {
        match mark {
            Mark::Text { x, y, size, bold, serif, color, angle, text } => {
                ctx.set_paint(paint(*color));
                let em = f64::from(*size) * MM_PER_PT;
                let at = page * Affine::translate((f64::from(*x), f64::from(*y))) * Affine::rotate(-f64::from(*angle));
                let mut pen_x = 0.0;
                for ch in text.chars() {
                    let (font, gid) = fonts.glyph(*bold, *serif, ch);
                    let Some(gid) = gid else { continue };
                    let upm = f64::from(font.head().map(|h| h.units_per_em()).unwrap_or(1000).max(1));
                    let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
                    let advance = f64::from(metrics.advance_width(gid).unwrap_or(0.0));
                    if let Some(outline) = font.outline_glyphs().get(gid) {
                        let mut pen = Pen(BezPath::new());
                        let settings = DrawSettings::unhinted(Size::unscaled(), LocationRef::default());
                        if outline.draw(settings, &mut pen).is_ok() {
                            let place = at * Affine::translate((pen_x, 0.0)) * Affine::scale(em / upm);
                            ctx.fill_path(&(place * pen.0));
                        }
                    }
                    pen_x += advance * em / upm;
                }
            }
            Mark::Line { points, width, color } => {
                let mut path = BezPath::new();
                for (i, (x, y)) in points.iter().enumerate() {
                    let p = page * vello_cpu::kurbo::Point::new(f64::from(*x), f64::from(*y));
                    if i == 0 { path.move_to(p) } else { path.line_to(p) }
                }
                ctx.set_paint(paint(*color));
                // A hairline still shows: at least one device pixel.
                ctx.set_stroke(Stroke::new((f64::from(*width) * MM_PER_PT * px_per_mm).max(1.0)));
                ctx.stroke_path(&path);
            }
            Mark::Rect { x, y, w, h, fill, stroke } => {
                let (x0, y0) = (f64::from(*x) * px_per_mm, f64::from(*y) * px_per_mm);
                let rect = Rect::new(x0, y0, x0 + f64::from(*w) * px_per_mm, y0 + f64::from(*h) * px_per_mm);
                if let Some(f) = fill {
                    ctx.set_paint(paint(*f));
                    ctx.fill_rect(&rect);
                }
                if let Some((width, c)) = stroke {
                    ctx.set_paint(paint(*c));
                    ctx.set_stroke(Stroke::new((f64::from(*width) * MM_PER_PT * px_per_mm).max(1.0)));
                    ctx.stroke_rect(&rect);
                }
            }
            Mark::Image { image, x, y, w, h } => {
                let bytes = pages.images.get(*image).ok_or_else(|| DocError::Image(format!("第 {image} 张图片")))?;
                let pixmap = pixmap_of(bytes)?;
                let (iw, ih) = (f64::from(pixmap.width()), f64::from(pixmap.height()));
                let (x0, y0) = (f64::from(*x) * px_per_mm, f64::from(*y) * px_per_mm);
                let (bw, bh) = (f64::from(*w) * px_per_mm, f64::from(*h) * px_per_mm);
                ctx.set_paint(Image { image: ImageSource::Pixmap(Arc::new(pixmap)), sampler: ImageSampler::default() });
                ctx.set_paint_transform(Affine::translate((x0, y0)) * Affine::scale_non_uniform(bw / iw, bh / ih));
                ctx.fill_rect(&Rect::new(x0, y0, x0 + bw, y0 + bh));
                ctx.reset_paint_transform();
            }
        }
    }
    let mut pixmap = Pixmap::new(width, height);
    ctx.flush();
    ctx.render(&mut pixmap, &mut Resources::new());
    // The page was filled white first: every pixel is opaque, so premultiplied is plain.
    let rgb: Vec<u8> = pixmap.data().iter().flat_map(|p| [p.r, p.g, p.b]).collect();
    image::RgbImage::from_raw(u32::from(width), u32::from(height), rgb)
        .ok_or_else(|| DocError::Image("page buffer".into()))
}

fn paint(c: Rgba) -> AlphaColor<Srgb> {
    AlphaColor::from_rgba8(c.0, c.1, c.2, c.3)
}

/// An embedded PNG or JPEG as the rasteriser's premultiplied pixels.
fn pixmap_of(bytes: &[u8]) -> Result<Pixmap, DocError> {
    let mut img = image::load_from_memory(bytes).map_err(|e| DocError::Image(e.to_string()))?;
    if img.width() > MAX_SIDE || img.height() > MAX_SIDE {
        img = img.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle);
    }
    let rgba = img.into_rgba8();
    let (w, h) = rgba.dimensions();
    let premul = |c: u8, a: u8| ((u16::from(c) * u16::from(a) + 127) / 255) as u8;
    let data = rgba
        .pixels()
        .map(|p| {
            let [r, g, b, a] = p.0;
            PremulRgba8 { r: premul(r, a), g: premul(g, a), b: premul(b, a), a }
        })
        .collect();
    Ok(Pixmap::from_parts(data, w as u16, h as u16))
}

/// The three faces marks are set in.
struct Fonts {
    sans: FontRef<'static>,
    bold: FontRef<'static>,
    serif: FontRef<'static>,
}

impl Fonts {
    fn load() -> Result<Self, DocError> {
        let font = |bytes: &'static [u8]| FontRef::new(bytes).map_err(|_| DocError::Font);
        Ok(Fonts {
            sans: font(NOTO_SANS_SC_REGULAR)?,
            bold: font(NOTO_SANS_SC_BOLD)?,
            serif: font(NOTO_SERIF_SC_REGULAR)?,
        })
    }

    /// The face for a mark and the glyph of `ch` in it; a character the serif face lacks comes
    /// from the sans one, as the PDF's own fallback does.
    fn glyph(&self, bold: bool, serif: bool, ch: char) -> (&FontRef<'static>, Option<skrifa::GlyphId>) {
        let face = match (bold, serif) {
            (true, _) => &self.bold,
            (false, true) => &self.serif,
            (false, false) => &self.sans,
        };
        match face.charmap().map(ch) {
            Some(g) if g.to_u32() != 0 => (face, Some(g)),
            _ => (&self.sans, self.sans.charmap().map(ch)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_page(marks: Vec<Mark>) -> Pages {
        Pages { pages: vec![marks], images: Vec::new(), width: 210.0, height: 297.0 }
    }

    fn dark(p: &image::Rgb<u8>) -> bool {
        p.0.iter().all(|c| *c < 128)
    }

    #[test]
    fn an_a4_page_at_the_asked_resolution_is_white_where_nothing_is_drawn() {
        let img = page_image(&one_page(Vec::new()), 0, 100.0).expect("renders");
        assert_eq!(img.dimensions(), (827, 1169), "210 × 297 mm at 100 dpi");
        assert!(img.pixels().all(|p| p.0 == [255, 255, 255]));
        assert!(page_image(&one_page(Vec::new()), 1, 100.0).is_err(), "no second page");
    }

    #[test]
    fn text_lands_at_its_baseline_and_a_filled_rectangle_in_its_colour() {
        let black = Rgba(0, 0, 0, 255);
        let marks = vec![
            Mark::Text {
                x: 20.0,
                y: 40.0,
                size: 36.0,
                bold: true,
                serif: false,
                color: black,
                angle: 0.0,
                text: "报价单".into(),
            },
            Mark::Rect { x: 100.0, y: 100.0, w: 20.0, h: 10.0, fill: Some(Rgba(0xC0, 0x39, 0x2B, 255)), stroke: None },
        ];
        let img = page_image(&one_page(marks), 0, 100.0).expect("renders");
        let px = |mm: f32| (mm * 100.0 / 25.4) as u32;
        // 36 pt ≈ 12.7 mm a character: ink between the baseline and 12 mm above it, 20–58 mm across.
        let ink = (px(20.0)..px(58.0))
            .flat_map(|x| (px(29.0)..px(40.0)).map(move |y| (x, y)))
            .filter(|(x, y)| dark(img.get_pixel(*x, *y)))
            .count();
        assert!(ink > 500, "the three characters are drawn ({ink} dark pixels)");
        let below = (px(20.0)..px(58.0)).filter(|x| dark(img.get_pixel(*x, px(45.0)))).count();
        assert_eq!(below, 0, "nothing well below the baseline");
        assert_eq!(img.get_pixel(px(110.0), px(105.0)).0, [0xC0, 0x39, 0x2B], "the rectangle's fill");
        assert_eq!(img.get_pixel(px(125.0), px(105.0)).0, [255, 255, 255], "beside it, paper");
    }

    #[test]
    fn an_image_is_stretched_into_its_box() {
        let red = image::RgbaImage::from_pixel(4, 2, image::Rgba([200, 0, 0, 255]));
        let mut png = Vec::new();
        red.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).expect("encodes");
        let mut pages = one_page(vec![Mark::Image { image: 0, x: 50.0, y: 50.0, w: 40.0, h: 40.0 }]);
        pages.images.push(png.into());
        let img = page_image(&pages, 0, 100.0).expect("renders");
        let px = |mm: f32| (mm * 100.0 / 25.4) as u32;
        assert_eq!(img.get_pixel(px(70.0), px(85.0)).0, [200, 0, 0], "inside the box, the image");
        assert_eq!(img.get_pixel(px(70.0), px(95.0)).0, [255, 255, 255], "below it, paper");
    }
}
