//! Small building blocks shared by the panels: labelled form fields with inline errors, status
//! badges, toasts.

use std::time::Duration;

use egui::{Color32, RichText, Ui};

pub const ERROR_RED: Color32 = Color32::from_rgb(0xC0, 0x39, 0x2B);
pub const OK_GREEN: Color32 = Color32::from_rgb(0x1E, 0x84, 0x49);
pub const MUTED: Color32 = Color32::from_rgb(0x70, 0x70, 0x70);

/// One form row: the label, the text box (labelled for screen readers and tests), and the
/// field's error under it.
pub fn text_field(ui: &mut Ui, label: &str, value: &mut String, error: Option<&str>, password: bool) -> egui::Response {
    let label_resp = ui.label(label);
    let resp = ui
        .vertical(|ui| {
            let edit = egui::TextEdit::singleline(value).password(password).desired_width(320.0);
            let r = ui.add(edit).labelled_by(label_resp.id);
            if let Some(msg) = error {
                ui.label(RichText::new(msg).color(ERROR_RED).small());
            }
            r
        })
        .inner;
    ui.end_row();
    resp
}

/// A form row whose box shows an example of the expected format while empty (dates, times).
pub fn hinted_field(ui: &mut Ui, label: &str, value: &mut String, hint: &str, error: Option<&str>) -> egui::Response {
    let label_resp = ui.label(label);
    let resp = ui
        .vertical(|ui| {
            let edit = egui::TextEdit::singleline(value).hint_text(hint).desired_width(320.0);
            let r = ui.add(edit).labelled_by(label_resp.id);
            if let Some(msg) = error {
                ui.label(RichText::new(msg).color(ERROR_RED).small());
            }
            r
        })
        .inner;
    ui.end_row();
    resp
}

/// A multi-line form row.
pub fn text_area(ui: &mut Ui, label: &str, value: &mut String, error: Option<&str>) -> egui::Response {
    let label_resp = ui.label(label);
    let resp = ui
        .vertical(|ui| {
            let r = ui
                .add(egui::TextEdit::multiline(value).desired_rows(3).desired_width(420.0))
                .labelled_by(label_resp.id);
            if let Some(msg) = error {
                ui.label(RichText::new(msg).color(ERROR_RED).small());
            }
            r
        })
        .inner;
    ui.end_row();
    resp
}

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

/// A panel's title line.
pub fn heading(ui: &mut Ui, title: &str, hint: &str) {
    ui.heading(title);
    if !hint.is_empty() {
        ui.label(RichText::new(hint).color(MUTED));
    }
    ui.add_space(6.0);
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ToastKind {
    Success,
    Error,
    Info,
}

/// A message in the corner that fades after a while; errors stay longer.
#[derive(Clone, Debug)]
pub struct Toast {
    pub kind: ToastKind,
    pub text: String,
    pub shown_at: Option<f64>,
}

#[derive(Default)]
pub struct Toasts {
    items: Vec<Toast>,
}

impl Toasts {
    pub fn success(&mut self, text: impl Into<String>) {
        self.push(ToastKind::Success, text.into());
    }
    pub fn error(&mut self, text: impl Into<String>) {
        self.push(ToastKind::Error, text.into());
    }
    pub fn info(&mut self, text: impl Into<String>) {
        self.push(ToastKind::Info, text.into());
    }
    fn push(&mut self, kind: ToastKind, text: String) {
        self.items.push(Toast { kind, text, shown_at: None });
    }

    /// The texts currently on screen (tests read these).
    pub fn texts(&self) -> Vec<&str> {
        self.items.iter().map(|t| t.text.as_str()).collect()
    }

    pub fn show(&mut self, ctx: &egui::Context) {
        let now = ctx.input(|i| i.time);
        self.items.retain(|t| {
            let life = if t.kind == ToastKind::Error { 10.0 } else { 4.0 };
            t.shown_at.is_none_or(|s| now - s < life)
        });
        if self.items.is_empty() {
            return;
        }
        let mut close = None;
        egui::Area::new(egui::Id::unique("toasts"))
            .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-16.0, -36.0))
            .order(egui::Order::Foreground)
            .show(ctx, |ui| {
                for (i, t) in self.items.iter_mut().enumerate() {
                    t.shown_at.get_or_insert(now);
                    let (color, icon) = match t.kind {
                        ToastKind::Success => (OK_GREEN, "成功"),
                        ToastKind::Error => (ERROR_RED, "错误"),
                        ToastKind::Info => (Color32::from_rgb(0x2E, 0x86, 0xC1), "提示"),
                    };
                    egui::Frame::popup(ui.style()).stroke(egui::Stroke::new(1.0, color)).show(ui, |ui| {
                        ui.set_max_width(380.0);
                        ui.horizontal(|ui| {
                            ui.label(RichText::new(icon).color(color).strong());
                            ui.label(&t.text);
                            if ui.small_button("×").on_hover_text("关闭").clicked() {
                                close = Some(i);
                            }
                        });
                    });
                }
            });
        if let Some(i) = close {
            self.items.remove(i);
        }
        ctx.request_repaint_after(Duration::from_millis(500));
    }
}
