//! The window's look in one place: the colours that carry meaning (a refusal, a success, what
//! waits, a tender, the technical department, a key visit), the badges that show a state, titles,
//! and text sizes. Panels take their colours from here, never their own.

use egui::{Color32, RichText, Ui};

/// Refusals, errors, overdue, below floor.
pub const ERROR_RED: Color32 = Color32::from_rgb(0xC0, 0x39, 0x2B);
/// Done: saved, approved, signed, paid.
pub const OK_GREEN: Color32 = Color32::from_rgb(0x1E, 0x84, 0x49);
/// Secondary text: hints, times, who changed what.
pub const MUTED: Color32 = Color32::from_rgb(0x70, 0x70, 0x70);
/// Waiting for someone: to be decided, approved, planned.
pub const PENDING_AMBER: Color32 = Color32::from_rgb(0xB9, 0x77, 0x0E);
/// A tender (招标), and information.
pub const TENDER_BLUE: Color32 = Color32::from_rgb(0x2E, 0x86, 0xC1);
/// The technical department's word (技术评审), a change table.
pub const TECH_BLUE: Color32 = Color32::from_rgb(0x1F, 0x5F, 0xA8);
/// A key visit (重点拜访).
pub const KEY_PURPLE: Color32 = Color32::from_rgb(0x7D, 0x3C, 0x98);
/// Grade B customers (A is `ERROR_RED`, C `TENDER_BLUE`, D `MUTED`).
pub const GRADE_B_ORANGE: Color32 = Color32::from_rgb(0xD3, 0x54, 0x00);
/// Receivables more than 180 days overdue: darker than `ERROR_RED`.
pub const DEEP_RED: Color32 = Color32::from_rgb(0x7B, 0x24, 0x1C);
/// The funnel's "quoted" step.
pub const FUNNEL_PURPLE: Color32 = Color32::from_rgb(0x8E, 0x44, 0xAD);
/// Today's cell in the month grid.
pub const TODAY_FILL: Color32 = Color32::from_rgb(0xFF, 0xF8, 0xE1);

/// The product name on the start screens.
pub const TITLE_SIZE: f32 = 26.0;
/// A card's or dialog's title.
pub const CARD_TITLE_SIZE: f32 = 18.0;

/// A coloured pill with short text: 启用 / 已停用 / 已锁定 …
pub fn badge(ui: &mut Ui, text: &str, color: Color32) {
    badge_rich(ui, RichText::new(text), color);
}

/// A badge whose text is struck through: a state that no longer counts (已作废).
pub fn struck_badge(ui: &mut Ui, text: &str, color: Color32) {
    badge_rich(ui, RichText::new(text).strikethrough(), color);
}

fn badge_rich(ui: &mut Ui, text: RichText, color: Color32) {
    egui::Frame::new()
        .fill(color.gamma_multiply(0.15))
        .stroke(egui::Stroke::new(1.0, color))
        .corner_radius(8.0)
        .inner_margin(egui::Margin::symmetric(6, 1))
        .show(ui, |ui| {
            ui.label(text.color(color).small());
        });
}

/// A panel's title line, with what the panel is for under it.
pub fn heading(ui: &mut Ui, title: &str, hint: &str) {
    ui.heading(title);
    if !hint.is_empty() {
        ui.label(RichText::new(hint).color(MUTED));
    }
    ui.add_space(6.0);
}

/// Secondary text (a hint, who changed it when).
pub fn muted(text: impl Into<String>) -> RichText {
    RichText::new(text).small().color(MUTED)
}
