//! What the Windows print path decides before it calls Windows, kept free of Windows so it is
//! tested on every machine: which pages go out in which order, where a page lands on the printer's
//! paper, a page's pixels as the compact bitmap the spooler keeps, and what a printer's status bits
//! mean to the user. `winspool` (Windows only) is the thin layer that hands these to GDI.
//!
//! Why a bitmap and not PDF bytes: an office printer on Windows is driven by its driver through
//! GDI; sending PDF bytes raw prints only on the few printers that read PDF. The page is drawn by
//! [`crate::docs::raster`] from the very marks the preview shows, so what prints is what was seen.
//!
//! Why 8-bit run-length bitmaps: the spooler stores each page's bitmap as given. A4 at 300 dpi is
//! 26 MB as 24-bit colour — a 300-page bid would spool 8 GB. Documents are mostly white paper with
//! black text, a red seal and a few coloured lines: a 256-colour palette (64 greys for the text's
//! smooth edges, a 6×6×5 colour cube for the seal) loses nothing visible at 300 dpi, and `BI_RLE8`
//! makes a white row a few bytes, so a text page spools in a few hundred kilobytes.

use image::RgbImage;

use super::{PageRanges, PrinterState};

/// The resolution pages are drawn at: a printer's own, up to 300 dpi (text is sharp at 300; a
/// 600-dpi printer enlarges the bitmap, which quadruples nothing in the spooler).
pub const MAX_DPI: u32 = 300;

/// What is sent for each printed side: a page of the document (from 0), or a blank back side.
pub type Side = Option<usize>;

/// The order pages are sent in and how many copies the printer driver is asked to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobPlan {
    /// Copies the driver makes (collated), 1 when the pages are repeated here.
    pub device_copies: u32,
    pub sides: Vec<Side>,
}

/// The pages of a `total`-page document that `ranges` select, `copies` times. A driver that can
/// make the copies itself (`driver_copies` ≥ `copies`) is sent the pages once — the spooler then
/// holds one set, not 99. Otherwise the set is repeated here, and when printing on both sides a
/// set with an odd number of pages gets a blank back side, so the next copy starts on its own
/// sheet (as a collating driver does).
pub fn plan(total: u32, ranges: &PageRanges, copies: u32, driver_copies: u32, two_sided: bool) -> JobPlan {
    let set: Vec<Side> = if ranges.is_all() {
        (0..total as usize).map(Some).collect()
    } else {
        ranges.ranges().iter().flat_map(|&(a, b)| (a..=b).map(|p| Some(p as usize - 1))).collect()
    };
    let copies = copies.max(1);
    if driver_copies >= copies {
        return JobPlan { device_copies: copies, sides: set };
    }
    let mut sides = Vec::with_capacity(set.len() * copies as usize + copies as usize);
    for copy in 0..copies {
        sides.extend_from_slice(&set);
        if two_sided && set.len() % 2 == 1 && copy + 1 < copies {
            sides.push(None);
        }
    }
    JobPlan { device_copies: 1, sides }
}

/// What the printer's device context says about its paper, in device pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceCaps {
    /// LOGPIXELSX / LOGPIXELSY
    pub dpi_x: i32,
    pub dpi_y: i32,
    /// PHYSICALOFFSETX / PHYSICALOFFSETY: the unprintable margin at the left and top; the device
    /// context's origin is this far inside the paper's corner.
    pub offset_x: i32,
    pub offset_y: i32,
}

/// Where a page of `width_mm` × `height_mm` goes on the device context, `(x, y, width, height)` in
/// device pixels: at 100 %, its corner on the paper's corner (the document's margins are wider than
/// any printer's unprintable edge, so nothing is cut and the seal keeps its real size — as
/// `print-scaling=none` does through CUPS).
pub fn placement(caps: DeviceCaps, width_mm: f32, height_mm: f32) -> (i32, i32, i32, i32) {
    let px = |mm: f32, dpi: i32| (f64::from(mm) * f64::from(dpi) / 25.4).round() as i32;
    (-caps.offset_x, -caps.offset_y, px(width_mm, caps.dpi_x), px(height_mm, caps.dpi_y))
}

/// The resolution to draw a page at for a printer of `dpi`.
pub fn draw_dpi(dpi: i32) -> u32 {
    (dpi.max(72) as u32).min(MAX_DPI)
}

/// Palette index of grey level 0..=63.
const GREYS: usize = 64;
const CUBE_R: usize = 6;
const CUBE_G: usize = 6;
const CUBE_B: usize = 5;

/// The 256-entry palette, as Windows' RGBQUAD (blue, green, red, 0): 64 greys, then the colour
/// cube; the rest unused (black).
pub fn palette() -> [[u8; 4]; 256] {
    let mut out = [[0u8; 4]; 256];
    for (i, entry) in out.iter_mut().enumerate().take(GREYS) {
        let v = level(i, GREYS);
        *entry = [v, v, v, 0];
    }
    for r in 0..CUBE_R {
        for g in 0..CUBE_G {
            for b in 0..CUBE_B {
                let (rv, gv, bv) = (level(r, CUBE_R), level(g, CUBE_G), level(b, CUBE_B));
                out[GREYS + (r * CUBE_G + g) * CUBE_B + b] = [bv, gv, rv, 0];
            }
        }
    }
    out
}

/// Step `i` of `steps` from 0 to 255.
fn level(i: usize, steps: usize) -> u8 {
    ((i * 255 + (steps - 1) / 2) / (steps - 1)) as u8
}

fn step(v: u8, steps: usize) -> usize {
    (usize::from(v) * (steps - 1) + 127) / 255
}

/// The palette index nearest to a pixel: a grey (text and its smooth edges) when the channels are
/// within a few levels of each other, else the colour cube.
pub fn index_of([r, g, b]: [u8; 3]) -> u8 {
    let (hi, lo) = (r.max(g).max(b), r.min(g).min(b));
    if hi - lo <= 12 {
        let grey = (u16::from(r) + u16::from(g) + u16::from(b)) / 3;
        return step(grey as u8, GREYS) as u8;
    }
    (GREYS + (step(r, CUBE_R) * CUBE_G + step(g, CUBE_G)) * CUBE_B + step(b, CUBE_B)) as u8
}

/// A page as the 8-bit run-length-encoded, bottom-up device-independent bitmap `StretchDIBits`
/// takes (`BI_RLE8`), with its palette.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageBitmap {
    pub width: u32,
    pub height: u32,
    pub palette: [[u8; 4]; 256],
    /// The RLE8 stream, ending with end-of-bitmap.
    pub bits: Vec<u8>,
}

/// Runs at most this long in one code; literal stretches likewise.
const MAX_RUN: usize = 255;

impl PageBitmap {
    pub fn from_image(image: &RgbImage) -> PageBitmap {
        let (width, height) = image.dimensions();
        let mut bits = Vec::with_capacity(height as usize * 16);
        let mut row = Vec::with_capacity(width as usize);
        let white = index_of([255, 255, 255]);
        // Bottom-up: run-length bitmaps cannot be top-down.
        for pixels in image.as_raw().chunks_exact((width as usize * 3).max(3)).rev() {
            row.clear();
            // Most of a page is paper.
            row.extend(
                pixels.chunks_exact(3).map(|p| if p == [255; 3] { white } else { index_of([p[0], p[1], p[2]]) }),
            );
            encode_row(&row, &mut bits);
            bits.extend_from_slice(&[0, 0]);
        }
        // The last end-of-line becomes end-of-bitmap.
        match bits.last_mut() {
            Some(last) => *last = 1,
            None => bits.extend_from_slice(&[0, 1]),
        }
        PageBitmap { width, height, palette: palette(), bits }
    }
}

/// One row in RLE8: repeated pixels as (count, index); three or more pixels that do not repeat as
/// one absolute stretch (0, count, pixels…, padded to an even length), which the format requires
/// to be at least 3 long.
fn encode_row(row: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    let mut literal_start = None::<usize>;
    let flush_literal = |start: usize, end: usize, out: &mut Vec<u8>| {
        let mut s = start;
        while s < end {
            let n = (end - s).min(MAX_RUN);
            if n >= 3 {
                out.extend_from_slice(&[0, n as u8]);
                out.extend_from_slice(&row[s..s + n]);
                if n % 2 == 1 {
                    out.push(0);
                }
            } else {
                for &p in &row[s..s + n] {
                    out.extend_from_slice(&[1, p]);
                }
            }
            s += n;
        }
    };
    while i < row.len() {
        let mut run = 1;
        while i + run < row.len() && row[i + run] == row[i] && run < MAX_RUN {
            run += 1;
        }
        if run >= 3 {
            if let Some(start) = literal_start.take() {
                flush_literal(start, i, out);
            }
            out.extend_from_slice(&[run as u8, row[i]]);
        } else if literal_start.is_none() {
            literal_start = Some(i);
        }
        i += run;
    }
    if let Some(start) = literal_start {
        flush_literal(start, row.len(), out);
    }
}

/// Windows' PRINTER_STATUS_* and PRINTER_ATTRIBUTE_* bits this program reads.
pub mod bits {
    pub const STATUS_PAUSED: u32 = 0x0000_0001;
    pub const STATUS_ERROR: u32 = 0x0000_0002;
    pub const STATUS_PENDING_DELETION: u32 = 0x0000_0004;
    pub const STATUS_PAPER_JAM: u32 = 0x0000_0008;
    pub const STATUS_PAPER_OUT: u32 = 0x0000_0010;
    pub const STATUS_OFFLINE: u32 = 0x0000_0080;
    pub const STATUS_PRINTING: u32 = 0x0000_0400;
    pub const STATUS_TONER_LOW: u32 = 0x0002_0000;
    pub const STATUS_NO_TONER: u32 = 0x0004_0000;
    pub const STATUS_USER_INTERVENTION: u32 = 0x0010_0000;
    pub const STATUS_DOOR_OPEN: u32 = 0x0040_0000;
    pub const ATTRIBUTE_WORK_OFFLINE: u32 = 0x0000_0400;
}

/// A printer's state, whether it takes jobs, and the reasons (as the IPP keywords the printer
/// list already words in Chinese) from its Windows status and attributes. Paused, or set to 脱机使用
/// (“Use Printer Offline”), it holds jobs: stopped. Being deleted, it takes none.
pub fn state_of(status: u32, attributes: u32) -> (PrinterState, bool, Vec<String>) {
    use bits::*;
    let mut reasons = Vec::new();
    for (bit, reason) in [
        (STATUS_PAUSED, "paused"),
        (STATUS_OFFLINE, "offline"),
        (STATUS_PAPER_OUT, "media-empty"),
        (STATUS_PAPER_JAM, "media-jam"),
        (STATUS_NO_TONER, "toner-empty"),
        (STATUS_TONER_LOW, "toner-low"),
        (STATUS_DOOR_OPEN, "door-open"),
        (STATUS_USER_INTERVENTION, "需要人工处理"),
        (STATUS_ERROR, "出错"),
    ] {
        if status & bit != 0 {
            reasons.push(reason.to_string());
        }
    }
    let work_offline = attributes & ATTRIBUTE_WORK_OFFLINE != 0;
    if work_offline && status & STATUS_OFFLINE == 0 {
        reasons.push("offline".into());
    }
    let state = if status & STATUS_PAUSED != 0 || work_offline {
        PrinterState::Stopped
    } else if status & STATUS_PRINTING != 0 {
        PrinterState::Processing
    } else {
        PrinterState::Idle
    };
    (state, status & STATUS_PENDING_DELETION == 0, reasons)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes RLE8 back into rows, top row first, as Windows does.
    fn decode(bitmap: &PageBitmap) -> Vec<Vec<u8>> {
        let (w, h) = (bitmap.width as usize, bitmap.height as usize);
        let mut rows = vec![vec![0u8; w]; h];
        let (mut x, mut y) = (0usize, 0usize);
        let b = &bitmap.bits;
        let mut i = 0;
        loop {
            let (n, v) = (b[i], b[i + 1]);
            i += 2;
            match (n, v) {
                (0, 0) => {
                    assert_eq!(x, w, "row {y} ends short");
                    x = 0;
                    y += 1;
                }
                (0, 1) => {
                    assert_eq!((x, y + 1), (w, h), "the bitmap ends early");
                    break;
                }
                (0, 2) => panic!("no deltas are written"),
                (0, n) => {
                    let n = usize::from(n);
                    rows[h - 1 - y][x..x + n].copy_from_slice(&b[i..i + n]);
                    x += n;
                    i += n + n % 2;
                }
                (n, v) => {
                    let n = usize::from(n);
                    rows[h - 1 - y][x..x + n].fill(v);
                    x += n;
                }
            }
        }
        assert_eq!(i, b.len(), "nothing after end-of-bitmap");
        rows
    }

    #[test]
    fn a_page_s_bitmap_decodes_to_its_pixels_and_a_white_page_is_a_few_bytes_a_row() {
        let mut img = RgbImage::from_pixel(600, 40, image::Rgb([255, 255, 255]));
        // Text-like noise, a red seal stripe, a long grey run over 255, single pixels at the edges.
        for x in 0..600 {
            img.put_pixel(x, 5, image::Rgb([(x * 7 % 256) as u8, (x * 7 % 256) as u8, (x * 7 % 256) as u8]));
            img.put_pixel(x, 12, image::Rgb([200, 20, 30]));
            img.put_pixel(x, 20, image::Rgb([128, 128, 128]));
        }
        for (x, y) in [(0, 0), (599, 0), (1, 30), (3, 30), (598, 39)] {
            img.put_pixel(x, y, image::Rgb([0, 0, 0]));
        }
        let bitmap = PageBitmap::from_image(&img);
        let rows = decode(&bitmap);
        for y in 0..40 {
            for x in 0..600 {
                let want = index_of(img.get_pixel(x, y).0);
                assert_eq!(rows[y as usize][x as usize], want, "pixel {x},{y}");
            }
        }
        let white = PageBitmap::from_image(&RgbImage::from_pixel(2480, 3508, image::Rgb([255, 255, 255])));
        assert!(white.bits.len() < 3508 * 24, "{} bytes for a white A4 page", white.bits.len());
    }

    #[test]
    fn the_palette_keeps_black_white_greys_and_the_seal_s_red_close() {
        let pal = palette();
        let rgb = |i: u8| {
            let [b, g, r, _] = pal[usize::from(i)];
            [r, g, b]
        };
        assert_eq!(rgb(index_of([0, 0, 0])), [0, 0, 0]);
        assert_eq!(rgb(index_of([255, 255, 255])), [255, 255, 255]);
        for (pixel, tolerance) in
            [([128, 128, 128], 3), ([200, 20, 30], 32), ([30, 60, 140], 32), ([250, 245, 240], 12)]
        {
            let got = rgb(index_of(pixel));
            for c in 0..3 {
                assert!(got[c].abs_diff(pixel[c]) <= tolerance, "{pixel:?} → {got:?}");
            }
        }
    }

    #[test]
    fn copies_go_to_a_driver_that_makes_them_else_sets_repeat_each_from_its_own_sheet() {
        let all = PageRanges::all();
        assert_eq!(plan(3, &all, 2, 999, true), JobPlan { device_copies: 2, sides: vec![Some(0), Some(1), Some(2)] });
        let some = PageRanges::parse("1,3", 3).expect("ranges");
        assert_eq!(plan(3, &some, 1, 1, false).sides, vec![Some(0), Some(2)]);
        // Three pages, two copies, both sides, a driver without copies: a blank back after the first.
        let p = plan(3, &all, 2, 1, true);
        assert_eq!(p.device_copies, 1);
        assert_eq!(p.sides, vec![Some(0), Some(1), Some(2), None, Some(0), Some(1), Some(2)]);
        // One side: no blanks.
        assert_eq!(plan(3, &all, 2, 0, false).sides.len(), 6);
    }

    #[test]
    fn a_page_sits_on_the_paper_s_corner_at_its_real_size() {
        let caps = DeviceCaps { dpi_x: 600, dpi_y: 600, offset_x: 100, offset_y: 120 };
        assert_eq!(placement(caps, 210.0, 297.0), (-100, -120, 4961, 7016));
        assert_eq!(draw_dpi(600), 300);
        assert_eq!(draw_dpi(200), 200);
        assert_eq!(draw_dpi(0), 72);
    }

    #[test]
    fn windows_printer_status_reads_as_the_printer_list_words_it() {
        use bits::*;
        assert_eq!(state_of(0, 0), (PrinterState::Idle, true, vec![]));
        let (state, accepting, reasons) = state_of(STATUS_PAUSED | STATUS_PAPER_OUT, 0);
        assert_eq!((state, accepting), (PrinterState::Stopped, true));
        assert_eq!(super::super::reasons_text(&reasons), "（已被暂停、缺纸）");
        assert_eq!(state_of(0, ATTRIBUTE_WORK_OFFLINE).0, PrinterState::Stopped);
        assert_eq!(state_of(STATUS_PRINTING, 0).0, PrinterState::Processing);
        assert!(!state_of(STATUS_PENDING_DELETION, 0).1);
    }
}
