//! One frame of the print preview without a GPU: the page's marks painted by the window's own
//! [`PagePainter`] into an egui context with the window's fonts, then tessellated into the
//! triangles a renderer would upload. What is left out is only the GPU upload itself.

use salesdesk::docs::preview::Pages;
use salesdesk::ui::PagePainter;

/// The window's preview area on a 1366×768 screen, less the settings column.
const SCREEN: egui::Vec2 = egui::Vec2::new(1366.0, 768.0);
const SETTINGS_WIDTH: f32 = 300.0;

/// An egui context as the window has it: Noto Sans SC installed, one frame run so that the font
/// atlas exists ("warm": the window has been open for a while).
pub fn context() -> egui::Context {
    let ctx = egui::Context::default();
    salesdesk::ui::fonts::install(&ctx);
    let _ = ctx.run_ui(input(), |ui| {
        ui.label("销售部工作台 报价单 投标书");
    });
    ctx
}

/// One frame without the preview: egui forgets the text it laid out for the last one (its galley
/// cache keeps only what the previous frame used), so the next frame lays out a page afresh, as a
/// document opened for the first time is.
pub fn forget(ctx: &egui::Context) {
    let _ = ctx.run_ui(input(), |ui| {
        ui.label("审批");
    });
}

fn input() -> egui::RawInput {
    egui::RawInput { screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, SCREEN)), ..Default::default() }
}

/// Paints `page` of `pages` at fit-width, as the preview opens, and tessellates the frame;
/// returns the number of triangles (so nothing is optimised away).
pub fn frame(ctx: &egui::Context, painter: &mut PagePainter, pages: &Pages, page: usize) -> usize {
    let output = ctx.run_ui(input(), |ui| {
        let scale = (SCREEN.x - SETTINGS_WIDTH - 32.0) / pages.width;
        egui::ScrollArea::both().auto_shrink([false, false]).show(ui, |ui| painter.show(ui, pages, page, scale));
    });
    let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
    primitives
        .iter()
        .map(|p| match &p.primitive {
            egui::epaint::Primitive::Mesh(m) => m.indices.len() / 3,
            egui::epaint::Primitive::Callback(_) => 0,
        })
        .sum()
}
