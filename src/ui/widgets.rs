//! Small building blocks shared by the panels: labelled form fields with inline errors, status
//! badges, toasts.

use std::time::Duration;

use chrono::{Datelike, NaiveDate};
use egui::{RichText, Ui};

use super::theme::{ERROR_RED, OK_GREEN};
use crate::domain::company::FieldError;
use crate::service::ServiceError;

/// One form row: the label, the text box (labelled for screen readers and tests), and the
/// field's error under it.
pub fn text_field(ui: &mut Ui, label: &str, value: &mut String, error: Option<&str>, password: bool) -> egui::Response {
    let label_resp = ui.label(label);
    let resp = ui
        .vertical(|ui| {
            let edit = egui::TextEdit::singleline(value).password(password).desired_width(320.0);
            let r = ui.add(edit).labelled_by(label_resp.id);
            field_error(ui, error);
            r
        })
        .inner;
    ui.end_row();
    resp
}

/// A date form row (label, [`date_field`] with 日历, the error under it); `with_time` for a date
/// and time, where picking a day in 日历 keeps the time typed (09:00 if none).
pub fn dated_field(
    ui: &mut Ui,
    label: &str,
    value: &mut String,
    hint: &str,
    error: Option<&str>,
    today: NaiveDate,
    with_time: bool,
) -> egui::Response {
    let label_resp = ui.label(label);
    let resp = ui
        .vertical(|ui| {
            let r = date_field(ui, value, hint, 240.0, today, with_time).labelled_by(label_resp.id);
            field_error(ui, error);
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
            field_error(ui, error);
            r
        })
        .inner;
    ui.end_row();
    resp
}

/// The message for `field` among `errors`, if any.
pub fn message_for<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
}

/// A field's problem, in red under it.
pub fn field_error(ui: &mut Ui, message: Option<&str>) {
    if let Some(msg) = message {
        ui.label(RichText::new(msg).color(ERROR_RED).small());
    }
}

/// What is wrong with a form: the service's field messages go under their fields, any other
/// refusal (a conflict, a denial, a rule) on a line above the buttons. One per form.
#[derive(Debug, Default, Clone)]
pub struct FormErrors {
    fields: Vec<FieldError>,
    banner: Option<String>,
}

impl FormErrors {
    pub fn clear(&mut self) {
        self.fields.clear();
        self.banner = None;
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.banner.is_none()
    }

    /// The message for `field`, if any.
    pub fn field(&self, field: &str) -> Option<&str> {
        self.fields.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    /// Every field message (a list of what to fix).
    pub fn fields(&self) -> &[FieldError] {
        &self.fields
    }

    /// Drops the field messages whose field starts with `prefix`, and the banner (that part of
    /// the form was done again).
    pub fn forget(&mut self, prefix: &str) {
        self.fields.retain(|e| !e.field.starts_with(prefix));
        self.banner = None;
    }

    /// Problems found before asking the service (a number that does not parse).
    pub fn set_fields(&mut self, fields: Vec<FieldError>) {
        self.fields = fields;
        self.banner = None;
    }

    /// Takes a refusal: field messages under their fields (the toast says to look there), anything
    /// else as the banner and a toast. The input stays as typed.
    pub fn refused(&mut self, e: ServiceError, toasts: &mut Toasts) {
        match e {
            ServiceError::Invalid(list) => {
                toasts.error("有内容需要修改，请看各栏下方的提示。");
                self.fields = list;
                self.banner = None;
            }
            other => {
                toasts.error(other.to_string());
                self.fields.clear();
                self.banner = Some(other.to_string());
            }
        }
    }

    /// The line above the buttons, when there is one.
    pub fn banner_ui(&self, ui: &mut Ui) {
        if let Some(b) = &self.banner {
            ui.label(RichText::new(b).color(ERROR_RED));
        }
    }
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
    /// A notification's record: 打开 opens it.
    pub open: Option<super::panel::Link>,
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
    /// Something that landed for the reader (another seat included), with 打开 for its record.
    pub fn notify(&mut self, text: impl Into<String>, open: super::panel::Link) {
        self.items.push(Toast { kind: ToastKind::Info, text: text.into(), shown_at: None, open: Some(open) });
    }
    fn push(&mut self, kind: ToastKind, text: String) {
        self.items.push(Toast { kind, text, shown_at: None, open: None });
    }

    /// The texts currently on screen (tests read these).
    pub fn texts(&self) -> Vec<&str> {
        self.items.iter().map(|t| t.text.as_str()).collect()
    }

    /// Draws the toasts; the record of a notification whose 打开 was clicked.
    pub fn show(&mut self, ctx: &egui::Context) -> Option<super::panel::Link> {
        let now = ctx.input(|i| i.time);
        self.items.retain(|t| {
            // Errors and notifications stay longer: they are read, not glanced at.
            let life = if t.kind == ToastKind::Error || t.open.is_some() { 10.0 } else { 4.0 };
            t.shown_at.is_none_or(|s| now - s < life)
        });
        if self.items.is_empty() {
            return None;
        }
        let mut close = None;
        let mut opened = None;
        egui::Area::new(egui::Id::unique("toasts"))
            .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-16.0, -36.0))
            .order(egui::Order::Foreground)
            .show(ctx, |ui| {
                for (i, t) in self.items.iter_mut().enumerate() {
                    t.shown_at.get_or_insert(now);
                    let (color, icon) = match t.kind {
                        ToastKind::Success => (OK_GREEN, "成功"),
                        ToastKind::Error => (ERROR_RED, "错误"),
                        ToastKind::Info => (super::theme::TENDER_BLUE, "提示"),
                    };
                    egui::Frame::popup(ui.style()).stroke(egui::Stroke::new(1.0, color)).show(ui, |ui| {
                        ui.set_max_width(380.0);
                        ui.horizontal(|ui| {
                            ui.label(RichText::new(icon).color(color).strong());
                            ui.label(&t.text);
                            if let Some(link) = t.open
                                && ui.small_button("打开").clicked()
                            {
                                opened = Some(link);
                                close = Some(i);
                            }
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
        opened
    }
}

/// A record's card beside its list, or — when the window is too narrow for both (1024×768, or a
/// large UI scale) — in place of the list, which comes back when the card is closed: no pane is
/// ever drawn over another. `add` draws the card in a scroll area; the bool is true when the card
/// took the whole area (the caller then leaves the list out).
pub fn card_pane<R>(
    ui: &mut Ui,
    id: &str,
    default_width: f32,
    min_width: f32,
    list_min_width: f32,
    add: impl FnOnce(&mut Ui) -> R,
) -> (R, bool) {
    if ui.available_width() >= min_width + list_min_width {
        let r = egui::Panel::right(id.to_string())
            .resizable(true)
            .default_size(default_width)
            .min_size(min_width)
            .show(ui, |ui| egui::ScrollArea::vertical().auto_shrink(false).show(ui, add).inner);
        (r.inner, false)
    } else {
        let r = egui::ScrollArea::vertical().id_salt(id).auto_shrink(false).show(ui, add).inner;
        (r, true)
    }
}

/// A date field as people type dates (`2026-12-8`, `12/8`, `12月8日` — see
/// [`crate::domain::dates::parse_day`]), with 日历 beside it: a month to pick the day from. The text
/// stays what the form reads; picking writes `2026-12-08`.
pub fn date_field(
    ui: &mut Ui,
    text: &mut String,
    hint: &str,
    width: f32,
    today: NaiveDate,
    with_time: bool,
) -> egui::Response {
    ui.horizontal(|ui| {
        let field = ui.add(egui::TextEdit::singleline(text).hint_text(hint).desired_width(width));
        let button = ui.small_button("日历").on_hover_text("从日历中选择日期");
        let popup_id = egui::Popup::default_response_id(&button);
        let shown_id = popup_id.with("month");
        if button.clicked() {
            // Opens on the month of the date typed, or this month.
            let start = day_of(text, today).unwrap_or(today);
            ui.data_mut(|d| d.insert_temp(shown_id, start.with_day(1).unwrap_or(start)));
        }
        egui::Popup::from_toggle_button_response(&button)
            .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
            .show(|ui| {
                let mut month: NaiveDate = ui.data(|d| d.get_temp(shown_id)).unwrap_or(today);
                let chosen = day_of(text, today);
                if let Some(day) = month_picker(ui, &mut month, chosen, today) {
                    *text = if with_time {
                        // The time typed stays; a new one starts at 09:00.
                        let time = text.trim().rsplit_once(char::is_whitespace).map(|(_, t)| t.to_string());
                        format!("{day} {}", time.unwrap_or_else(|| "09:00".into()))
                    } else {
                        day.to_string()
                    };
                    egui::Popup::close_id(ui.ctx(), popup_id);
                }
                ui.data_mut(|d| d.insert_temp(shown_id, month));
            });
        field
    })
    .inner
}

/// The day a date (or date-and-time) field holds, if it can be read.
fn day_of(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let t = text.trim();
    crate::domain::dates::parse_day(t, today)
        .or_else(|| t.split_whitespace().next().and_then(|d| crate::domain::dates::parse_day(d, today)))
}

/// One month as a grid (Monday first): ‹ and › change the month; the day clicked is returned.
fn month_picker(ui: &mut Ui, month: &mut NaiveDate, chosen: Option<NaiveDate>, today: NaiveDate) -> Option<NaiveDate> {
    let mut picked = None;
    ui.horizontal(|ui| {
        if ui.small_button("‹").on_hover_text("上个月").clicked() {
            *month = month.checked_sub_months(chrono::Months::new(1)).unwrap_or(*month);
        }
        ui.label(RichText::new(month.format("%Y年%-m月").to_string()).strong());
        if ui.small_button("›").on_hover_text("下个月").clicked() {
            *month = month.checked_add_months(chrono::Months::new(1)).unwrap_or(*month);
        }
        if ui.small_button("今天").clicked() {
            picked = Some(today);
        }
    });
    let first = month.with_day(1).unwrap_or(*month);
    let lead = first.weekday().num_days_from_monday() as i64;
    egui::Grid::new("month_grid").spacing([2.0, 2.0]).show(ui, |ui| {
        for d in ["一", "二", "三", "四", "五", "六", "日"] {
            ui.label(RichText::new(d).color(super::theme::MUTED));
        }
        ui.end_row();
        let mut day = first - chrono::Duration::days(lead);
        for _ in 0..6 {
            for _ in 0..7 {
                let text = RichText::new(format!("{:>2}", day.day()));
                let text = if day.month() != first.month() { text.color(super::theme::MUTED) } else { text };
                let selected = chosen == Some(day) || (chosen.is_none() && day == today);
                if ui.selectable_label(selected, text).on_hover_text(crate::domain::dates::cn_date(day)).clicked() {
                    picked = Some(day);
                }
                day += chrono::Duration::days(1);
            }
            ui.end_row();
            if day.month() != first.month() && day > first {
                break;
            }
        }
    });
    picked
}

/// A text field that selects its text when entered (by Tab or a click), as office programs do: a
/// number typed replaces the old one.
pub fn select_on_focus(ui: &mut Ui, edit: egui::TextEdit<'_>) -> egui::Response {
    let mut out = edit.show(ui);
    let response = out.response.response;
    if response.gained_focus() {
        let all = egui::text::CCursorRange::select_all(&out.galley);
        out.state.cursor.set_char_range(Some(all));
        out.state.store(ui.ctx(), response.id);
    }
    response
}

/// Where [`note_escape`] leaves this frame's answer.
fn escape_free_id() -> egui::Id {
    egui::Id::unique("salesdesk_escape_free")
}

/// Run once at the start of each frame, before anything draws: whether this frame's Esc is free
/// to close the open card. It is not when a field had the keyboard (Esc then only leaves the
/// field), nor when a popup or a dialog is open (Esc closes that one).
pub fn note_escape(ctx: &egui::Context) {
    let free = ctx.input(|i| i.key_pressed(egui::Key::Escape)) && list_keys_free(ctx);
    ctx.data_mut(|d| d.insert_temp(escape_free_id(), free));
}

/// Esc pressed with nothing else to close: the card closes as its 关闭 button does.
pub fn escape_closes(ui: &Ui) -> bool {
    ui.ctx().data(|d| d.get_temp(escape_free_id()).unwrap_or(false))
}

/// Esc on a long form in a dialog: a form nobody typed in closes at once; otherwise it asks
/// 放弃填写的内容？ first, so one key never throws away what was typed. A click beside the
/// dialog does nothing (only 取消 and this close it).
#[derive(Default)]
pub struct DiscardGuard {
    /// What the form held when it opened ([`DiscardGuard::ui`]'s `typed`).
    pristine: Option<u64>,
    asking: bool,
}

impl DiscardGuard {
    /// Call before the form draws, with a hash of what its fields hold; returns true when the
    /// form should close.
    pub fn ui(&mut self, ui: &mut Ui, typed: u64, what: &str) -> bool {
        let pristine = *self.pristine.get_or_insert(typed);
        let ctx = ui.ctx().clone();
        if !self.asking && ctx.input(|i| i.key_pressed(egui::Key::Escape)) && !egui::Popup::is_any_open(&ctx) {
            if typed == pristine {
                return true;
            }
            self.asking = true;
            ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape));
        }
        if !self.asking {
            return false;
        }
        let mut discard = false;
        let modal = egui::Modal::new(egui::Id::unique(("discard_form", what))).show(&ctx, |ui| {
            ui.set_width(360.0);
            ui.heading("放弃填写的内容？");
            ui.label(format!("{what}中已填写的内容尚未保存，关闭后将丢失。"));
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui.button("继续填写").clicked() {
                    self.asking = false;
                }
                if ui.button("放弃并关闭").clicked() {
                    discard = true;
                }
            });
        });
        if modal.should_close() {
            self.asking = false;
        }
        discard
    }
}

/// A hash of a form's texts, for [`DiscardGuard`].
pub fn typed_hash<'a>(texts: impl IntoIterator<Item = &'a str>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for t in texts {
        t.hash(&mut h);
    }
    h.finish()
}

/// Whether keys belong to the page this frame (↑/↓/Enter to its list, Esc to its card): no field
/// has the keyboard, no dialog or popup is open.
fn list_keys_free(ctx: &egui::Context) -> bool {
    ctx.memory(|m| m.focused().is_none() && m.top_modal_layer().is_none()) && !egui::Popup::is_any_open(ctx)
}

/// ↑/↓ in a list whose card opens beside it: the row to open next among `len` rows, from
/// `current` (the first row when none is open); `None` when no arrow moved anywhere.
pub fn arrow_step(ui: &Ui, len: usize, current: Option<usize>) -> Option<usize> {
    if len == 0 || !list_keys_free(ui.ctx()) {
        return None;
    }
    let step: i64 = ui.input(|i| {
        if i.key_pressed(egui::Key::ArrowDown) {
            1
        } else if i.key_pressed(egui::Key::ArrowUp) {
            -1
        } else {
            0
        }
    });
    if step == 0 {
        return None;
    }
    let next = match current {
        Some(i) => (i as i64 + step).clamp(0, len as i64 - 1) as usize,
        None => 0,
    };
    (current != Some(next)).then_some(next)
}

/// A keyboard cursor in a list whose card takes the list's place: ↑/↓ move a highlighted row,
/// Enter opens it.
#[derive(Default)]
pub struct ListCursor {
    at: Option<usize>,
    /// Set when the cursor moved: the table scrolls the row into view.
    moved: bool,
}

impl ListCursor {
    /// Reads ↑/↓ and Enter for a list of `len` rows; returns the row to open on Enter.
    pub fn keys(&mut self, ui: &Ui, len: usize) -> Option<usize> {
        if let Some(at) = self.at
            && at >= len
        {
            self.at = len.checked_sub(1);
        }
        if len == 0 || !list_keys_free(ui.ctx()) {
            return None;
        }
        if ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            return self.at;
        }
        if let Some(next) = arrow_step(ui, len, self.at) {
            self.at = Some(next);
            self.moved = true;
        }
        None
    }

    /// Whether row `i` carries the cursor (drawn selected).
    pub fn is_at(&self, i: usize) -> bool {
        self.at == Some(i)
    }

    /// The row to scroll into view, once after each move.
    pub fn scroll_target(&mut self) -> Option<usize> {
        if std::mem::take(&mut self.moved) { self.at } else { None }
    }
}

/// Lists narrower than this drop or narrow their secondary columns, so the money and the row's
/// actions stay in sight (1024×768, or 1366×768 at 150 %, with the navigation beside them).
const NARROW_LIST: f32 = 900.0;

/// Whether a list drawn here should take its narrow form ([`NARROW_LIST`]).
pub fn narrow_list(ui: &Ui) -> bool {
    ui.available_width() < NARROW_LIST
}
