//! Installs Noto Sans SC as egui's first choice, so every Chinese glyph renders.

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

use crate::assets::{NOTO_SANS_SC_BOLD, NOTO_SANS_SC_REGULAR};

/// The name egui knows the bold face by: `egui::FontFamily::Name(BOLD.into())`.
pub const BOLD: &str = "noto-sans-sc-bold";

pub fn install(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert("noto-sans-sc".into(), Arc::new(FontData::from_static(NOTO_SANS_SC_REGULAR)));
    fonts.font_data.insert(BOLD.into(), Arc::new(FontData::from_static(NOTO_SANS_SC_BOLD)));
    fonts.families.entry(FontFamily::Proportional).or_default().insert(0, "noto-sans-sc".into());
    // Monospace keeps its Latin face for digits in tables and falls back to Noto for Chinese.
    fonts.families.entry(FontFamily::Monospace).or_default().push("noto-sans-sc".into());
    fonts.families.insert(FontFamily::Name(BOLD.into()), vec![BOLD.into(), "noto-sans-sc".into()]);
    ctx.set_fonts(fonts);
}
