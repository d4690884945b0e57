//! Installs Noto Sans SC as egui's first choice, so every Chinese glyph renders; and Noto Serif SC
//! under its own name, for the print preview of documents set in it (egui reads a face's glyphs
//! only when it draws them).

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

use crate::assets::{NOTO_SANS_SC_BOLD, NOTO_SANS_SC_REGULAR, NOTO_SERIF_SC_REGULAR};

/// The name egui knows the bold face by: `egui::FontFamily::Name(BOLD.into())`.
pub const BOLD: &str = "noto-sans-sc-bold";
/// The name egui knows the serif body face by.
pub const SERIF: &str = "noto-serif-sc";

pub fn install(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert("noto-sans-sc".into(), Arc::new(FontData::from_static(NOTO_SANS_SC_REGULAR)));
    fonts.font_data.insert(BOLD.into(), Arc::new(FontData::from_static(NOTO_SANS_SC_BOLD)));
    fonts.families.entry(FontFamily::Proportional).or_default().insert(0, "noto-sans-sc".into());
    // Monospace keeps its Latin face for digits in tables and falls back to Noto for Chinese.
    fonts.families.entry(FontFamily::Monospace).or_default().push("noto-sans-sc".into());
    fonts.families.insert(FontFamily::Name(BOLD.into()), vec![BOLD.into(), "noto-sans-sc".into()]);
    fonts.font_data.insert(SERIF.into(), Arc::new(FontData::from_static(NOTO_SERIF_SC_REGULAR)));
    fonts.families.insert(FontFamily::Name(SERIF.into()), vec![SERIF.into(), "noto-sans-sc".into()]);
    ctx.set_fonts(fonts);
}
