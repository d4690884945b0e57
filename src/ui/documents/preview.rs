//! 打印预览: the pages of a document as they print (drawn from the layout's own marks, see
//! `docs::preview`), paged and zoomed, with the print settings beside them — printer (the
//! system's default first, with its state), copies, pages, two-sided — and saving as PDF into
//! the user's documents folder. Printing an issued revision prints its stored stamped file and is
//! recorded as a reprint; the service decides who may.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use egui::{Color32, FontFamily, FontId, Pos2, Rect, RichText, Sense, Stroke, TextureHandle, Ui, Vec2};

use super::shown;
use crate::docs::fonts::{DocFonts, Face};
use crate::docs::preview::{Mark, Pages, Rgba};
use crate::print::{PageRanges, Printer};
use crate::service::{DocumentKind, Preview, PrintOptions, PrintReceipt, Printable, file_problem};
use crate::ui::fonts::BOLD;
use crate::ui::panel::{Cx, Event};
use crate::ui::theme::{ERROR_RED, MUTED, OK_GREEN, PENDING_AMBER};
use crate::ui::worker::Reply;

/// Images kept as textures at once (a bid's scans come and go as it is paged through).
const KEEP_TEXTURES: usize = 12;
/// The zoom steps of − and +.
const ZOOMS: [f32; 8] = [0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0];
/// Points per millimetre at 100 % (a page as large as on paper on a 96-dpi screen).
const POINTS_PER_MM: f32 = 96.0 / 25.4;
const PT_TO_MM: f32 = 25.4 / 72.0;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Zoom {
    FitWidth,
    FitPage,
    /// 1.0 = the paper's size.
    Scale(f32),
}

/// What a save wrote, and whether it could be shown.
struct Saved {
    path: PathBuf,
    opened: Option<Result<(), String>>,
}

pub struct PreviewWindow {
    what: Printable,
    label: String,
    preview: Reply<Preview>,
    shown: Option<Preview>,
    error: Option<String>,
    page: usize,
    zoom: Zoom,
    painter: PagePainter,
    // The print settings.
    printers: Reply<Vec<Printer>>,
    printer_list: Option<Result<Vec<Printer>, String>>,
    printer: Option<String>,
    copies: u32,
    pages_text: String,
    two_sided: bool,
    sending: Reply<PrintReceipt>,
    print_error: Option<String>,
    // Saving as PDF.
    path: String,
    open_after: bool,
    saving: Reply<Saved>,
    save_error: Option<String>,
}

/// Where a document is saved by default: `文档/SalesDesk/报价单/…` (the home folder when the
/// system names no documents folder).
pub fn default_path(kind: DocumentKind, file_name: &str) -> PathBuf {
    salesdesk_folder().join(kind.folder()).join(file_name)
}

/// `文档/SalesDesk`: where SalesDesk proposes to save what it writes (the user's documents folder,
/// else their home).
pub fn salesdesk_folder() -> PathBuf {
    let docs = directories::UserDirs::new()
        .and_then(|d| d.document_dir().map(PathBuf::from).or_else(|| Some(d.home_dir().to_path_buf())))
        .unwrap_or_else(std::env::temp_dir);
    docs.join("SalesDesk")
}

impl PreviewWindow {
    /// Opens the preview of `what` (`label`: what the title bar says while it loads); `copies`:
    /// for a bid, the sets shown (正本 and 副本).
    pub fn open(what: Printable, label: String, copies: u32, cx: &Cx<'_>) -> PreviewWindow {
        let w = what.clone();
        let preview = cx.ask(move |svc, a| svc.preview(a, &w, copies));
        let printers = cx.ask_quietly(|svc, a| svc.printers(a));
        PreviewWindow {
            what,
            label,
            preview,
            shown: None,
            error: None,
            page: 0,
            zoom: Zoom::FitWidth,
            painter: PagePainter::default(),
            printers,
            printer_list: None,
            printer: None,
            copies: copies.max(1),
            pages_text: String::new(),
            two_sided: false,
            sending: Reply::default(),
            print_error: None,
            path: String::new(),
            open_after: false,
            saving: Reply::default(),
            save_error: None,
        }
    }

    fn take_answers(&mut self, cx: &mut Cx<'_>) {
        match self.preview.take() {
            Some(Ok(p)) => {
                if self.path.is_empty() {
                    self.path = default_path(p.kind, &p.file_name).display().to_string();
                }
                self.copies = p.copies;
                self.page = self.page.min(p.pages.len().saturating_sub(1));
                self.shown = Some(p);
                self.error = None;
            }
            Some(Err(e)) => self.error = Some(e.to_string()),
            None => {}
        }
        match self.printers.take() {
            Some(Ok(list)) => {
                if self.printer.is_none() {
                    self.printer = list.iter().find(|p| p.is_default).or(list.first()).map(|p| p.name.clone());
                }
                self.printer_list = Some(Ok(list));
            }
            Some(Err(e)) => self.printer_list = Some(Err(e.to_string())),
            None => {}
        }
        match self.sending.take() {
            Some(Ok(receipt)) => {
                cx.toasts.success(receipt.message());
                self.print_error = None;
                if let Some(entry) = &receipt.reprint {
                    cx.emit(Event::QuoteChanged(entry.quote));
                }
            }
            Some(Err(e)) => {
                cx.toasts.error(e.to_string());
                self.print_error = Some(e.to_string());
            }
            None => {}
        }
        match self.saving.take() {
            Some(Ok(saved)) => {
                self.save_error = None;
                match saved.opened {
                    Some(Err(e)) => cx.toasts.info(format!("已保存到 {}，但{e}，请手动打开。", saved.path.display())),
                    _ => cx.toasts.success(format!("已保存到 {}", saved.path.display())),
                }
            }
            Some(Err(e)) => {
                cx.toasts.error(e.to_string());
                self.save_error = Some(e.to_string());
            }
            None => {}
        }
    }

    /// Lays the document out again (a bid's sets changed).
    fn reload(&mut self, cx: &Cx<'_>) {
        let (w, copies) = (self.what.clone(), self.copies);
        self.preview = cx.ask(move |svc, a| svc.preview(a, &w, copies));
    }

    fn print(&mut self, cx: &Cx<'_>) {
        let Some(p) = &self.shown else { return };
        if let Err(e) = PageRanges::parse(&self.pages_text, p.pages.len() as u32) {
            self.print_error = Some(e.to_string());
            return;
        }
        self.print_error = None;
        let what = self.what.clone();
        let options = PrintOptions {
            printer: self.printer.clone(),
            copies: self.copies,
            pages: self.pages_text.clone(),
            two_sided: self.two_sided,
        };
        self.sending = cx.ask(move |svc, a| svc.print(a, &what, &options));
    }

    fn save(&mut self, cx: &Cx<'_>) {
        let text = self.path.trim();
        if text.is_empty() {
            self.save_error = Some("请填写保存位置和文件名".into());
            return;
        }
        let mut path = PathBuf::from(text);
        if path.extension().is_none_or(|e| !e.eq_ignore_ascii_case("pdf")) {
            path.set_extension("pdf");
        }
        self.save_error = None;
        let (what, copies, open) = (self.what.clone(), self.copies, self.open_after);
        self.saving = cx.ask(move |svc, a| {
            let (bytes, _) = svc.document_pdf(a, &what, copies)?;
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| crate::service::ServiceError::invalid("file", file_problem("创建文件夹", dir, &e)))?;
            }
            crate::ui::worker::write_file(&path, &bytes)?;
            let w = shown(path, open);
            Ok(Saved { path: w.path, opened: w.opened })
        });
    }

    /// Draws the preview; returns true when it is closed.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) -> bool {
        self.take_answers(cx);
        let screen = ui.ctx().content_rect();
        let mut close = false;
        let modal = egui::Modal::new(egui::Id::unique("print_preview")).show(ui.ctx(), |ui| {
            let size = (screen.size() - Vec2::splat(48.0)).max(Vec2::new(600.0, 400.0));
            ui.set_min_size(size);
            ui.set_max_size(size);
            self.toolbar(ui, cx, &mut close);
            ui.separator();
            let side = 280.0_f32.min(size.x * 0.34);
            let height = ui.available_height();
            let page_width = ui.available_width() - side - 16.0;
            ui.horizontal_top(|ui| {
                let top_down = egui::Layout::top_down(egui::Align::Min);
                ui.allocate_ui_with_layout(Vec2::new(page_width, height), top_down, |ui| {
                    ui.set_min_size(Vec2::new(page_width, height));
                    self.pages_ui(ui);
                });
                ui.separator();
                ui.allocate_ui_with_layout(Vec2::new(side, height), top_down, |ui| {
                    ui.set_width(side);
                    egui::ScrollArea::vertical().id_salt("print_settings").show(ui, |ui| {
                        ui.set_width(side - 12.0);
                        self.settings_ui(ui, cx);
                    });
                });
            });
        });
        if modal.should_close() && !self.sending.is_waiting() && !self.saving.is_waiting() {
            close = true;
        }
        self.keys(ui, cx);
        close
    }

    fn page_count(&self) -> usize {
        self.shown.as_ref().map_or(0, |p| p.pages.len())
    }

    fn keys(&mut self, ui: &Ui, cx: &Cx<'_>) {
        let n = self.page_count();
        if n == 0 || ui.ctx().memory(|m| m.focused().is_some()) {
            return;
        }
        let (next, prev, home, end, print) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::PageDown) || i.key_pressed(egui::Key::ArrowRight),
                i.key_pressed(egui::Key::PageUp) || i.key_pressed(egui::Key::ArrowLeft),
                i.key_pressed(egui::Key::Home),
                i.key_pressed(egui::Key::End),
                i.modifiers.command && i.key_pressed(egui::Key::P),
            )
        });
        if next {
            self.page = (self.page + 1).min(n - 1);
        }
        if prev {
            self.page = self.page.saturating_sub(1);
        }
        if home {
            self.page = 0;
        }
        if end {
            self.page = n - 1;
        }
        if print && !self.sending.is_waiting() {
            self.print(cx);
        }
    }

    fn toolbar(&mut self, ui: &mut Ui, cx: &Cx<'_>, close: &mut bool) {
        let title = format!("打印预览　{}", self.shown.as_ref().map_or(self.label.as_str(), |p| p.title.as_str()));
        ui.horizontal(|ui| {
            // The controls first, from the right; the title takes what is left, cut short on a
            // narrow or enlarged screen rather than running under the buttons.
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("关闭").clicked() {
                    *close = true;
                }
                ui.separator();
                let zoom_in = ui.button("＋").on_hover_text("放大");
                let zoom_out = ui.button("－").on_hover_text("缩小");
                let current = match self.zoom {
                    Zoom::Scale(s) => s,
                    _ => 1.0,
                };
                if zoom_in.clicked() {
                    self.zoom = Zoom::Scale(ZOOMS.iter().copied().find(|z| *z > current + 0.01).unwrap_or(4.0));
                }
                if zoom_out.clicked() {
                    self.zoom = Zoom::Scale(ZOOMS.iter().rev().copied().find(|z| *z < current - 0.01).unwrap_or(0.5));
                }
                if ui.selectable_label(self.zoom == Zoom::Scale(1.0), "100%").clicked() {
                    self.zoom = Zoom::Scale(1.0);
                }
                if ui.selectable_label(self.zoom == Zoom::FitPage, "整页").clicked() {
                    self.zoom = Zoom::FitPage;
                }
                if ui.selectable_label(self.zoom == Zoom::FitWidth, "适合宽度").clicked() {
                    self.zoom = Zoom::FitWidth;
                }
                if let Zoom::Scale(s) = self.zoom {
                    ui.label(format!("{:.0}%", s * 100.0));
                }
                ui.separator();
                let n = self.page_count();
                if ui.add_enabled(self.page + 1 < n, egui::Button::new("下一页 ▶")).clicked() {
                    self.page += 1;
                }
                ui.label(format!("第 {} / {} 页", if n == 0 { 0 } else { self.page + 1 }, n));
                if ui.add_enabled(self.page > 0, egui::Button::new("◀ 上一页")).clicked() {
                    self.page -= 1;
                }
                if self.preview.is_waiting() {
                    ui.add(egui::Spinner::new());
                }
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    ui.add(egui::Label::new(RichText::new(&title).heading()).truncate()).on_hover_text(&title);
                });
            });
        });
        if let Some(p) = &self.shown
            && p.stamped
        {
            let text = match p.matches_stored {
                Some(false) => {
                    "这是已用印发出的版本。发出后公司资料、印章或本程序的版式有了变化：打印机收到的是存档的原件，可能与此预览略有不同。"
                }
                _ => "这是已用印发出的盖章文件（与存档原件一致）。打印将在发文登记中记为重印。",
            };
            let color = if p.matches_stored == Some(false) { PENDING_AMBER } else { MUTED };
            ui.label(RichText::new(text).color(color));
        }
        if let Some(e) = &self.error {
            ui.label(RichText::new(e).color(ERROR_RED));
        }
        let _ = cx;
    }

    fn pages_ui(&mut self, ui: &mut Ui) {
        let Some(preview) = &self.shown else {
            ui.centered_and_justified(|ui| {
                if self.error.is_none() {
                    ui.label("正在排版…");
                }
            });
            return;
        };
        let pages = preview.pages.clone();
        let avail = ui.available_size();
        let fit_width = (avail.x - 32.0) / pages.width;
        let scale = match self.zoom {
            Zoom::FitWidth => fit_width,
            Zoom::FitPage => fit_width.min((avail.y - 24.0) / pages.height),
            Zoom::Scale(s) => s * POINTS_PER_MM,
        }
        .max(0.5);
        egui::ScrollArea::both().id_salt(("preview_page", self.page)).auto_shrink([false, false]).show(ui, |ui| {
            self.painter.show(ui, &pages, self.page, scale);
        });
    }

    fn settings_ui(&mut self, ui: &mut Ui, cx: &Cx<'_>) {
        ui.label(RichText::new("打印").strong());
        let sending = self.sending.is_waiting();
        match &self.printer_list {
            None => {
                ui.horizontal(|ui| {
                    ui.add(egui::Spinner::new());
                    ui.label("正在查找打印机…");
                });
            }
            Some(Err(e)) => {
                ui.label(RichText::new(e).color(ERROR_RED));
            }
            Some(Ok(list)) if list.is_empty() => {
                ui.label(RichText::new(crate::print::PrintError::NoPrinter.to_string()).color(ERROR_RED));
            }
            Some(Ok(list)) => {
                let width = ui.available_width() - 8.0;
                let chosen = super::printer_combo(ui, "printer", list, &mut self.printer, width);
                if let Some(p) = chosen {
                    let color = if p.problem().is_some() { ERROR_RED } else { MUTED };
                    let place = if p.location.is_empty() { String::new() } else { format!("　{}", p.location) };
                    ui.label(RichText::new(format!("状态：{}{place}", p.status_text())).color(color));
                }
                if ui.small_button("刷新打印机列表").clicked() {
                    self.printers = cx.ask_quietly(|svc, a| svc.printers(a));
                    self.printer_list = None;
                }
            }
        }
        ui.add_space(4.0);
        let is_bid = self.shown.as_ref().is_some_and(|p| p.kind == DocumentKind::Bid);
        let fixed = self.shown.as_ref().is_some_and(|p| p.stamped && p.kind == DocumentKind::Bid);
        ui.horizontal(|ui| {
            let l = ui.label(if is_bid { "份数（正本＋副本）" } else { "份数" });
            let r = ui
                .add_enabled(!fixed, egui::DragValue::new(&mut self.copies).range(1..=crate::print::MAX_COPIES))
                .labelled_by(l.id);
            // A bid's sets are pages of their own: lay it out again when they change.
            if is_bid && !fixed && r.changed() {
                self.reload(cx);
            }
        });
        if is_bid {
            let text = if fixed {
                "已签发的投标书按签发时的份数打印。".to_string()
            } else {
                format!("正本 1 份，副本 {} 份。", self.copies - 1)
            };
            ui.label(RichText::new(text).color(MUTED).small());
        }
        ui.horizontal(|ui| {
            let l = ui.label("页码");
            ui.add(egui::TextEdit::singleline(&mut self.pages_text).hint_text("全部").desired_width(120.0))
                .labelled_by(l.id);
        });
        ui.label(RichText::new("例如 1-3,5；留空打印全部").color(MUTED).small());
        let duplex = self
            .printer_list
            .as_ref()
            .and_then(|l| l.as_ref().ok())
            .and_then(|l| l.iter().find(|p| Some(&p.name) == self.printer.as_ref()))
            .is_some_and(|p| p.duplex);
        ui.add_enabled(duplex, egui::Checkbox::new(&mut self.two_sided, "双面打印"))
            .on_disabled_hover_text("这台打印机不能双面打印");
        if let Some(e) = &self.print_error {
            ui.label(RichText::new(e).color(ERROR_RED));
        }
        ui.horizontal(|ui| {
            let ready = self.shown.is_some() && self.printer.is_some() && !sending;
            let button = egui::Button::new(RichText::new("打印").color(Color32::WHITE)).fill(OK_GREEN);
            if ui.add_enabled(ready, button).on_hover_text("Ctrl+P").clicked() {
                self.print(cx);
            }
            if sending {
                ui.add(egui::Spinner::new());
                ui.label("正在发送到打印机…");
            }
        });
        ui.add_space(8.0);
        ui.separator();
        ui.label(RichText::new("另存为 PDF").strong());
        let l = ui.label("保存到");
        ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(ui.available_width() - 8.0)).labelled_by(l.id);
        ui.horizontal(|ui| {
            // No desktop portal here: no dialog opens. The path field is the way in.
            if ui.button("选择…").clicked()
                && let Err(e) = super::choose_pdf_path(&mut self.path)
            {
                self.save_error = Some(e);
            }
            ui.checkbox(&mut self.open_after, "保存后打开");
        });
        if let Some(e) = &self.save_error {
            ui.label(RichText::new(e).color(ERROR_RED));
        }
        ui.horizontal(|ui| {
            let saving = self.saving.is_waiting();
            if ui.add_enabled(self.shown.is_some() && !saving, egui::Button::new("保存 PDF")).clicked() {
                self.save(cx);
            }
            if saving {
                ui.add(egui::Spinner::new());
            }
        });
        if self.shown.as_ref().is_some_and(|p| !p.stamped) {
            ui.label(RichText::new("草稿只供内部核对，不加盖印章；正式文件请用“用印发出”。").color(MUTED).small());
        }
    }
}

/// Draws pages of a document: the paper with its shadow and the marks on it, keeping the images'
/// textures (a bounded few) and the font measurement between frames.
#[derive(Default)]
pub struct PagePainter {
    images: ImageCache,
    /// egui font size per em of the document's font (measured once).
    em_scale: Option<f32>,
}

impl PagePainter {
    /// Page `page` (from 0) of `pages` at `scale` points per millimetre, centred in the width.
    pub fn show(&mut self, ui: &mut Ui, pages: &Pages, page: usize, scale: f32) {
        let k = *self.em_scale.get_or_insert_with(|| em_scale(ui.ctx()));
        let page_size = Vec2::new(pages.width, pages.height) * scale;
        let (outer, _) = ui
            .allocate_exact_size(Vec2::new(page_size.x.max(ui.available_width()), page_size.y + 24.0), Sense::hover());
        let origin = Pos2::new(outer.center().x - page_size.x / 2.0, outer.top() + 12.0);
        let paper = Rect::from_min_size(origin, page_size);
        let painter = ui.painter_at(outer);
        painter.rect_filled(paper.translate(Vec2::splat(3.0)), 0.0, Color32::from_black_alpha(60));
        painter.rect_filled(paper, 0.0, Color32::WHITE);
        if let Some(marks) = pages.pages.get(page) {
            paint_marks(ui.ctx(), &painter, paper, scale, k, marks, pages, &mut self.images);
        }
    }
}

/// egui's font size for one em of the document's font: egui sizes a font by its line height, the
/// PDF by its em. Measured on a sample in both, so the preview's text is as wide as the print's.
fn em_scale(ctx: &egui::Context) -> f32 {
    const SAMPLE: &str = "报价单 BJ-2026-0008 合计人民币（大写）¥159,080.00";
    let Some(fonts) = DocFonts::get() else { return 1.0 };
    let ours = fonts.width(Face::Regular, SAMPLE, 100.0);
    let theirs =
        ctx.fonts_mut(|f| f.layout_no_wrap(SAMPLE.into(), FontId::proportional(100.0), Color32::BLACK).size().x);
    if theirs > 0.0 { ours / theirs } else { 1.0 }
}

fn color(c: Rgba) -> Color32 {
    Color32::from_rgba_unmultiplied(c.0, c.1, c.2, c.3)
}

/// Draws a page's marks into `paper` at `scale` points per millimetre.
#[allow(clippy::too_many_arguments)]
fn paint_marks(
    ctx: &egui::Context,
    painter: &egui::Painter,
    paper: Rect,
    scale: f32,
    em: f32,
    marks: &[Mark],
    pages: &Pages,
    images: &mut ImageCache,
) {
    let at = |x: f32, y: f32| Pos2::new(paper.left() + x * scale, paper.top() + y * scale);
    let painter = painter.with_clip_rect(paper);
    for mark in marks {
        match mark {
            Mark::Text { x, y, size, bold, serif, color: c, angle, text } => {
                let family = match (*bold, *serif) {
                    (true, _) => FontFamily::Name(BOLD.into()),
                    (false, true) => FontFamily::Name(crate::ui::fonts::SERIF.into()),
                    (false, false) => FontFamily::Proportional,
                };
                let px = size * PT_TO_MM * scale * em;
                if px < 1.0 {
                    continue;
                }
                let galley = painter.layout_no_wrap(text.clone(), FontId::new(px, family), color(*c));
                let baseline =
                    galley.rows.first().map_or(px * 0.8, |r| r.pos.y + r.row.glyphs.first().map_or(0.0, |g| g.pos.y));
                let anchor = at(*x, *y);
                // egui turns text clockwise about its top-left; the paper's angle is anti-clockwise.
                let turn = -angle;
                let (sin, cos) = turn.sin_cos();
                let pos = Pos2::new(anchor.x + baseline * sin, anchor.y - baseline * cos);
                let shape = egui::epaint::TextShape::new(pos, galley, color(*c)).with_angle(turn);
                painter.add(shape);
            }
            Mark::Line { points, width, color: c } => {
                let pts: Vec<Pos2> = points.iter().map(|(x, y)| at(*x, *y)).collect();
                let w = (width * PT_TO_MM * scale).max(0.6);
                painter.add(egui::Shape::line(pts, Stroke::new(w, color(*c))));
            }
            Mark::Rect { x, y, w, h, fill, stroke } => {
                let r = Rect::from_min_size(at(*x, *y), Vec2::new(w * scale, h * scale));
                if let Some(f) = fill {
                    painter.rect_filled(r, 0.0, color(*f));
                }
                if let Some((width, c)) = stroke {
                    let sw = (width * PT_TO_MM * scale).max(0.6);
                    painter.rect_stroke(r, 0.0, Stroke::new(sw, color(*c)), egui::StrokeKind::Middle);
                }
            }
            Mark::Image { image, x, y, w, h } => {
                let r = Rect::from_min_size(at(*x, *y), Vec2::new(w * scale, h * scale));
                match images.get(ctx, *image, pages) {
                    Some(t) => {
                        let uv = Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0));
                        painter.image(t.id(), r, uv, Color32::WHITE);
                    }
                    None => {
                        painter.rect_stroke(r, 0.0, Stroke::new(1.0, ERROR_RED), egui::StrokeKind::Inside);
                    }
                }
            }
        }
    }
}

/// The images of the pages on screen as textures, at most [`KEEP_TEXTURES`] at once (least
/// recently drawn dropped first): a 300-page bid with twenty scans never holds them all.
#[derive(Default)]
struct ImageCache {
    textures: HashMap<usize, TextureHandle>,
    /// Oldest use first.
    order: Vec<usize>,
    /// Images that could not be decoded (drawn as an empty red box).
    broken: Vec<usize>,
}

impl ImageCache {
    fn get(&mut self, ctx: &egui::Context, image: usize, pages: &Pages) -> Option<TextureHandle> {
        if self.broken.contains(&image) {
            return None;
        }
        if let Some(t) = self.textures.get(&image) {
            self.order.retain(|i| *i != image);
            self.order.push(image);
            return Some(t.clone());
        }
        let bytes = pages.images.get(image)?;
        let Some(decoded) = decode(bytes) else {
            self.broken.push(image);
            return None;
        };
        let t = ctx.load_texture(format!("preview-image-{image}"), decoded, egui::TextureOptions::LINEAR);
        self.textures.insert(image, t.clone());
        self.order.push(image);
        while self.order.len() > KEEP_TEXTURES {
            let old = self.order.remove(0);
            self.textures.remove(&old);
        }
        Some(t)
    }
}

/// A PNG or JPEG as pixels, scaled down to 1 600 px on its long side (enough for a page on screen).
fn decode(bytes: &Arc<[u8]>) -> Option<egui::ColorImage> {
    let img = image::load_from_memory(bytes).ok()?;
    let img = if img.width().max(img.height()) > 1600 { img.thumbnail(1600, 1600) } else { img };
    let rgba = img.to_rgba8();
    Some(egui::ColorImage::from_rgba_unmultiplied([rgba.width() as usize, rgba.height() as usize], rgba.as_raw()))
}
