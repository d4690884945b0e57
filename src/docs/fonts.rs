//! The PDF fonts: Noto Sans SC Regular and Bold, and Noto Serif SC Regular for documents whose body
//! is set in a serif (宋体) face; each set parsed once per process (parsing a 10–15 MB face costs
//! ~25 ms, most of a quote's rendering time), the serif one only when a document first uses it, and
//! shared by every document. Headings are bold sans (黑体) in both sets.

use std::sync::OnceLock;

use printpdf::ParsedFont;

use crate::assets::{NOTO_SANS_SC_BOLD, NOTO_SANS_SC_REGULAR, NOTO_SERIF_SC_REGULAR};
use crate::domain::company::Typeface;

/// Which face a run of text is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Face {
    Regular,
    Bold,
}

pub struct DocFonts {
    regular: ParsedFont,
    bold: ParsedFont,
    /// The body face ([`Face::Regular`]) is the serif one.
    serif: bool,
}

static FONTS: OnceLock<Option<DocFonts>> = OnceLock::new();
static SERIF_FONTS: OnceLock<Option<DocFonts>> = OnceLock::new();

fn parse(bytes: &[u8]) -> Option<ParsedFont> {
    ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
}

impl DocFonts {
    /// The process's sans fonts; `None` only if the bundled font bytes cannot be parsed (a broken
    /// build).
    pub fn get() -> Option<&'static DocFonts> {
        FONTS
            .get_or_init(|| {
                Some(DocFonts { regular: parse(NOTO_SANS_SC_REGULAR)?, bold: parse(NOTO_SANS_SC_BOLD)?, serif: false })
            })
            .as_ref()
    }

    /// The fonts of a document whose body is set in `face`: the serif set is parsed on first use.
    pub fn for_body(face: Typeface) -> Option<&'static DocFonts> {
        match face {
            Typeface::Sans => DocFonts::get(),
            Typeface::Serif => SERIF_FONTS
                .get_or_init(|| {
                    Some(DocFonts {
                        regular: parse(NOTO_SERIF_SC_REGULAR)?,
                        bold: parse(NOTO_SANS_SC_BOLD)?,
                        serif: true,
                    })
                })
                .as_ref(),
        }
    }

    /// Whether the body face is the serif one.
    pub fn serif_body(&self) -> bool {
        self.serif
    }

    pub fn parsed(&self, face: Face) -> &ParsedFont {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
        }
    }

    /// Whether the face has a real glyph for `c` (not the .notdef box).
    pub fn covers(&self, face: Face, c: char) -> bool {
        c.is_control() || self.parsed(face).lookup_glyph_index(c as u32).is_some_and(|g| g != 0)
    }

    /// Advance width of `text` at `size` (in the same unit as `size`).
    pub fn width(&self, face: Face, text: &str, size: f32) -> f32 {
        let font = self.parsed(face);
        let upm = f32::from(font.font_metrics.units_per_em.max(1));
        let units: u32 = text
            .chars()
            .map(|c| match font.lookup_glyph_index(c as u32) {
                Some(g) if g != 0 => u32::from(font.get_horizontal_advance(g)),
                // Missing glyphs are reported before drawing; measure them as one em.
                _ => u32::from(font.font_metrics.units_per_em),
            })
            .sum();
        units as f32 / upm * size
    }
}
