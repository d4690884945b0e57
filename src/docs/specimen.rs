//! Specimen certificate scans for the demo office's certificate library: a cream page with a
//! double gilt border, the title, the certificate's particulars, the issuer with a round seal,
//! and 演示样本 across the page, so they read like scans in a bid yet can never pass for real ones.
//! Real offices load scans of their own certificates instead.

use skrifa::instance::{LocationRef, Size};
use skrifa::outline::DrawSettings;
use skrifa::raw::TableProvider;
use skrifa::{FontRef, MetadataProvider};
use vello_cpu::color::{OpaqueColor, Srgb};
use vello_cpu::kurbo::{Affine, BezPath, Rect, Shape, Stroke};
use vello_cpu::{Pixmap, RenderContext, Resources};

use super::DocError;
use super::seal::{Pen, seal_png};
use crate::assets::{NOTO_SANS_SC_BOLD, NOTO_SANS_SC_REGULAR};

const W: u16 = 840;
const H: u16 = 1188;

/// What a specimen certificate says.
#[derive(Debug, Clone)]
pub struct Specimen<'a> {
    /// e.g. 营业执照, 质量管理体系认证证书
    pub title: &'a str,
    /// A line under the title (e.g. the standard, 副本), may be empty.
    pub subtitle: &'a str,
    /// Label and value rows.
    pub rows: &'a [(&'a str, &'a str)],
    /// The issuing body: printed at the bottom right under its seal.
    pub issuer: &'a str,
    /// The issue date as printed (e.g. 2024年05月20日).
    pub date: &'a str,
}

/// A run of text: its glyph outlines at `px` pixels per em, starting at x = 0 on the baseline
/// y = 0 (y down), and its advance width.
fn run(font: &FontRef, text: &str, px: f64) -> (BezPath, f64) {
    let upm = font.head().map(|h| f64::from(h.units_per_em())).unwrap_or(1000.0);
    let scale = px / upm;
    let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
    let outlines = font.outline_glyphs();
    let mut path = BezPath::new();
    let mut x = 0.0;
    for ch in text.chars() {
        let Some(gid) = font.charmap().map(ch) else {
            x += px;
            continue;
        };
        if let Some(outline) = outlines.get(gid) {
            let mut pen = Pen(BezPath::new());
            if outline.draw(DrawSettings::unhinted(Size::unscaled(), LocationRef::default()), &mut pen).is_ok() {
                let placed = Affine::translate((x, 0.0)) * Affine::scale(scale) * pen.0;
                path.extend(placed);
            }
        }
        x += f64::from(metrics.advance_width(gid).unwrap_or(0.0)) * scale;
    }
    (path, x)
}

/// Draws `text` with its baseline at `y`; `align` 0 = left edge at `x`, 0.5 = centred on `x`,
/// 1 = right edge at `x`.
fn text(ctx: &mut RenderContext, font: &FontRef, s: &str, px: f64, x: f64, y: f64, align: f64) -> f64 {
    let (path, width) = run(font, s, px);
    ctx.fill_path(&(Affine::translate((x - width * align, y)) * path));
    width
}

/// Splits `s` into lines of at most `max` pixels at `px` (character by character: Chinese).
fn wrap(font: &FontRef, s: &str, px: f64, max: f64) -> Vec<String> {
    let mut lines = vec![String::new()];
    for ch in s.chars() {
        let mut candidate = lines.last().cloned().unwrap_or_default();
        candidate.push(ch);
        if run(font, &candidate, px).1 > max && candidate.chars().nth(1).is_some() {
            lines.push(ch.to_string());
        } else if let Some(last) = lines.last_mut() {
            *last = candidate;
        }
    }
    lines
}

/// PNG bytes of a specimen certificate scan (840 × 1188 px, A4 upright).
pub fn certificate_png(spec: &Specimen<'_>) -> Result<Vec<u8>, DocError> {
    let regular = FontRef::new(NOTO_SANS_SC_REGULAR).map_err(|_| DocError::Font)?;
    let bold = FontRef::new(NOTO_SANS_SC_BOLD).map_err(|_| DocError::Font)?;
    let (w, h) = (f64::from(W), f64::from(H));
    let mut ctx = RenderContext::new(W, H);
    let rgb = |r, g, b| OpaqueColor::<Srgb>::from_rgb8(r, g, b);

    // Paper, gilt double border, corner diamonds.
    ctx.set_paint(rgb(0xfb, 0xf6, 0xe6));
    ctx.fill_rect(&Rect::new(0.0, 0.0, w, h));
    let gilt = rgb(0xa8, 0x84, 0x3f);
    ctx.set_paint(gilt);
    ctx.set_stroke(Stroke::new(12.0));
    ctx.stroke_path(&Rect::new(34.0, 34.0, w - 34.0, h - 34.0).to_path(0.1));
    ctx.set_stroke(Stroke::new(2.5));
    ctx.stroke_path(&Rect::new(56.0, 56.0, w - 56.0, h - 56.0).to_path(0.1));
    for (cx, cy) in [(56.0, 56.0), (w - 56.0, 56.0), (56.0, h - 56.0), (w - 56.0, h - 56.0)] {
        let mut d = BezPath::new();
        d.move_to((cx, cy - 16.0));
        d.line_to((cx + 16.0, cy));
        d.line_to((cx, cy + 16.0));
        d.line_to((cx - 16.0, cy));
        d.close_path();
        ctx.fill_path(&d);
    }

    // 演示样本 faintly across the page, under everything else.
    ctx.set_paint(rgb(0xec, 0xe3, 0xcf));
    let (mark, mark_w) = run(&bold, "演示样本　仅供演示", 92.0);
    let angle = -0.62;
    let placement =
        Affine::translate((w / 2.0, h / 2.0 + 40.0)) * Affine::rotate(angle) * Affine::translate((-mark_w / 2.0, 30.0));
    ctx.fill_path(&(placement * mark));

    // Title and subtitle.
    ctx.set_paint(rgb(0x8b, 0x1a, 0x1a));
    let title_px = if spec.title.chars().count() > 9 { 50.0 } else { 64.0 };
    text(&mut ctx, &bold, spec.title, title_px, w / 2.0, 215.0, 0.5);
    ctx.set_paint(rgb(0x55, 0x4a, 0x3a));
    if !spec.subtitle.is_empty() {
        text(&mut ctx, &regular, spec.subtitle, 26.0, w / 2.0, 268.0, 0.5);
    }
    ctx.set_paint(gilt);
    ctx.fill_rect(&Rect::new(140.0, 298.0, w - 140.0, 300.5));

    // The particulars: smaller type when there are many, so the issuer keeps its place.
    let ink = rgb(0x22, 0x22, 0x22);
    let px = if spec.rows.len() > 7 { 23.0 } else { 26.0 };
    let label_x = 110.0;
    let label_w = spec.rows.iter().map(|(l, _)| run(&bold, l, px).1).fold(0.0, f64::max);
    let value_x = label_x + label_w + 28.0;
    let max = w - 110.0 - value_x;
    let mut y = 370.0;
    for (label, value) in spec.rows {
        ctx.set_paint(rgb(0x4a, 0x3b, 0x2a));
        text(&mut ctx, &bold, label, px, label_x, y, 0.0);
        ctx.set_paint(ink);
        for line in wrap(&regular, value, px, max) {
            text(&mut ctx, &regular, &line, px, value_x, y, 0.0);
            y += px * 1.6;
        }
        y += px * 0.45;
    }

    // The issuer and date, bottom right.
    ctx.set_paint(ink);
    let issuer_y = (h - 200.0).max(y + 80.0).min(h - 120.0);
    text(&mut ctx, &regular, spec.issuer, 28.0, w - 130.0, issuer_y, 1.0);
    text(&mut ctx, &regular, spec.date, 26.0, w - 130.0, issuer_y + 46.0, 1.0);

    let mut pixmap = Pixmap::new(W, H);
    ctx.flush();
    ctx.render(&mut pixmap, &mut Resources::new());
    // The page is opaque: premultiplied and straight colours are the same.
    let rgb_bytes: Vec<u8> = pixmap.data().iter().flat_map(|p| [p.r, p.g, p.b]).collect();
    let mut page = image::RgbImage::from_raw(u32::from(W), u32::from(H), rgb_bytes)
        .ok_or_else(|| DocError::Image("specimen buffer".into()))?;

    // The issuer's seal over its name.
    let seal = image::load_from_memory(&seal_png(spec.issuer, "演示样本")?)
        .map_err(|e| DocError::Image(e.to_string()))?
        .resize(230, 230, image::imageops::FilterType::Triangle)
        .to_rgba8();
    let (sx, sy) = (i64::from(W) - 130 - 200, issuer_y as i64 - 150);
    for (x, y, px) in seal.enumerate_pixels() {
        let (tx, ty) = (sx + i64::from(x), sy + i64::from(y));
        if tx < 0 || ty < 0 || tx >= i64::from(W) || ty >= i64::from(H) {
            continue;
        }
        let a = f32::from(px[3]) / 255.0 * 0.88;
        let under = page.get_pixel_mut(tx as u32, ty as u32);
        for c in 0..3 {
            under[c] = (f32::from(px[c]) * a + f32::from(under[c]) * (1.0 - a)).round() as u8;
        }
    }
    let mut png = Vec::new();
    page.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| DocError::Image(e.to_string()))?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_specimen_is_a_bordered_cream_page_with_ink_and_a_red_seal() {
        let png = certificate_png(&Specimen {
            title: "营业执照",
            subtitle: "（副本）",
            rows: &[("名称", "苏州恒信电气设备有限公司"), ("法定代表人", "吴海涛")],
            issuer: "苏州市市场监督管理局",
            date: "2019年03月15日",
        })
        .unwrap();
        let img = image::load_from_memory(&png).unwrap().to_rgb8();
        assert_eq!(img.dimensions(), (840, 1188));
        let paper = img.get_pixel(100, 330);
        assert!(paper[0] > 240 && paper[2] < 240, "cream paper {paper:?}");
        let border = img.get_pixel(34, 600);
        assert!(border[0] > 150 && border[2] < 100, "gilt border {border:?}");
        let dark = (300..900)
            .flat_map(|y| (100..740).map(move |x| (x, y)))
            .filter(|&(x, y)| img.get_pixel(x, y)[0] < 90)
            .count();
        assert!(dark > 2000, "text is drawn: {dark} dark pixels");
        let red = img.pixels().filter(|p| p[0] > 170 && p[1] < 90 && p[2] < 90).count();
        assert!(red > 2000, "the title and the seal are red: {red}");
    }
}
