//! The PDF fonts: Noto Sans SC Regular and Bold, parsed once per process (parsing the 10 MB faces
//! costs ~25 ms, most of a quote's rendering time) and shared by every document.

use std::sync::OnceLock;

use printpdf::ParsedFont;

use crate::assets::{NOTO_SANS_SC_BOLD, NOTO_SANS_SC_REGULAR};

/// Which face a run of text is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Face {
    Regular,
    Bold,
}

pub struct DocFonts {
    regular: ParsedFont,
    bold: ParsedFont,
}

static FONTS: OnceLock<Option<DocFonts>> = OnceLock::new();

impl DocFonts {
    /// The process's fonts; `None` only if the bundled font bytes cannot be parsed (a broken build).
    pub fn get() -> Option<&'static DocFonts> {
        FONTS
            .get_or_init(|| {
                let parse = |bytes: &[u8]| ParsedFont::from_bytes(bytes, 0, &mut Vec::new());
                Some(DocFonts { regular: parse(NOTO_SANS_SC_REGULAR)?, bold: parse(NOTO_SANS_SC_BOLD)? })
            })
            .as_ref()
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
