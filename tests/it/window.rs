//! The window under test: one harness over a real database file (the inline worker, so every
//! action completes before the next frame) and the ways a user reaches a control — by its label,
//! scrolled into view, focused and typed into.

use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use salesdesk::store::Location;
use salesdesk::ui::credentials::{MemoryVault, Vault};
use salesdesk::ui::worker::Worker;
use salesdesk::ui::{SalesDeskApp, Screen, ViewState};

pub fn harness(db: &Path) -> Harness<'static, SalesDeskApp> {
    // Never this machine's print service: a window test prints only where it says.
    harness_printing_to(db, salesdesk::print::PrintServer::new("127.0.0.1:1"))
}

/// The window on `db`, printing through `server`.
pub fn harness_printing_to(db: &Path, server: salesdesk::print::PrintServer) -> Harness<'static, SalesDeskApp> {
    let opener: salesdesk::ui::worker::Opener =
        std::sync::Arc::new(move |at| Ok(salesdesk::service::Service::open_at(at)?.with_print_server(server.clone())));
    window_with(Location::File(db.to_path_buf()), Worker::inline_with(opener))
}

/// The window on `db` with `worker`, run as eframe runs it (`App::logic`, then `App::ui`).
pub fn window_with(db: Location, worker: Worker) -> Harness<'static, SalesDeskApp> {
    window_sized(db, worker, egui::vec2(1280.0, 800.0), 1.0)
}

/// The window on a screen of `pixels` at UI `scale` (1366×768 at 1.5 is 911×512 points), the way
/// office PCs have it.
pub fn harness_on_screen(db: &Path, pixels: egui::Vec2, scale: f32) -> Harness<'static, SalesDeskApp> {
    let server = salesdesk::print::PrintServer::new("127.0.0.1:1");
    let opener: salesdesk::ui::worker::Opener =
        std::sync::Arc::new(move |at| Ok(salesdesk::service::Service::open_at(at)?.with_print_server(server.clone())));
    window_sized(Location::File(db.to_path_buf()), Worker::inline_with(opener), pixels / scale, scale)
}

/// The screens SalesDesk must fit: 1024×768 at 100 %, 1366×768 at 150 %.
pub const OFFICE_SCREENS: [(f32, f32, f32); 2] = [(1024.0, 768.0, 1.0), (1366.0, 768.0, 1.5)];

/// Whether `rect` lies inside the window (the visible screen, in points).
pub fn inside(h: &Harness<'_, SalesDeskApp>, rect: egui::Rect) -> bool {
    h.ctx.content_rect().expand(0.5).contains_rect(rect)
}

fn window_sized(db: Location, worker: Worker, points: egui::Vec2, scale: f32) -> Harness<'static, SalesDeskApp> {
    // Never the PC's real keyring.
    window_in(db, worker, points, scale, std::sync::Arc::new(MemoryVault::default()), ViewState::default())
}

/// The window with `vault` for saved passwords and `view` as a restart finds it.
pub fn window_in(
    db: Location,
    worker: Worker,
    points: egui::Vec2,
    scale: f32,
    vault: std::sync::Arc<dyn Vault>,
    view: ViewState,
) -> Harness<'static, SalesDeskApp> {
    let mut h = Harness::builder()
        .with_size(points)
        .with_pixels_per_point(scale)
        .with_context_setup(salesdesk::ui::fonts::install)
        .build_eframe(|cc| SalesDeskApp::new(&cc.egui_ctx, worker, db, view).with_vault(vault));
    h.run_steps(3);
    h
}

/// The text box labelled `label`.
pub fn input<'h>(h: &'h Harness<'_, SalesDeskApp>, label: &'h str) -> egui_kittest::Node<'h> {
    let is_input = |r: Role| matches!(r, Role::TextInput | Role::PasswordInput | Role::MultilineTextInput);
    h.get_all_by_label(label)
        .find(|n| is_input(n.accesskit_node().role()))
        .unwrap_or_else(|| panic!("no input {label}"))
}

/// Focuses the labelled field and types into it, as a user clicking into it would.
pub fn fill(h: &mut Harness<'_, SalesDeskApp>, label: &str, text: &str) {
    input(h, label).focus();
    h.run_steps(1);
    input(h, label).type_text(text);
    h.run_steps(3);
}

/// The control (button, radio, list entry, navigation entry) whose text is `label`.
pub fn control<'h>(h: &'h Harness<'_, SalesDeskApp>, label: &'h str) -> egui_kittest::Node<'h> {
    let node = h.get_all_by_label(label).find(|n| n.accesskit_node().role() != Role::Label);
    node.unwrap_or_else(|| panic!("nothing to click named {label}"))
}

/// Clicks the control named `label`, scrolled into view first as a user would.
pub fn click(h: &mut Harness<'_, SalesDeskApp>, label: &str) {
    control(h, label).scroll_to_me();
    h.run_steps(2);
    // Scrolling is animated: wait until it stands still.
    for _ in 0..30 {
        let before = control(h, label).rect();
        h.run_steps(1);
        if control(h, label).rect() == before {
            break;
        }
    }
    control(h, label).click();
    h.run_steps(4);
}

pub fn sign_in(h: &mut Harness<'_, SalesDeskApp>, login: &str) {
    // The last user's name may be remembered: typed over, as a user would.
    replace(h, "用户名", login);
    fill(h, "密码", "demo1234");
    click(h, "登录");
    assert_eq!(h.state().screen, Screen::Main, "{login} is signed in");
    h.run_steps(3);
}

pub fn has_nav(h: &Harness<'_, SalesDeskApp>, label: &str) -> bool {
    h.query_all_by_label(label).any(|n| n.accesskit_node().role() != Role::Label)
}

/// Whether any text on screen contains `text`.
pub fn shows(h: &Harness<'_, SalesDeskApp>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

pub fn toasts(h: &Harness<'_, SalesDeskApp>) -> Vec<String> {
    h.state().toasts.texts().iter().map(|t| t.to_string()).collect()
}

/// Clicks with the pointer at the middle of `rect` (table rows have no accessible action).
pub fn click_at(h: &mut Harness<'_, SalesDeskApp>, rect: egui::Rect) {
    let pos = rect.center();
    h.hover_at(pos);
    h.run_steps(1);
    let button = |pressed| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: egui::Modifiers::default(),
    };
    h.event(button(true));
    h.run_steps(1);
    h.event(button(false));
    h.run_steps(4);
}

/// Replaces what the field labelled `label` holds with `text` (select all, then type).
pub fn replace(h: &mut Harness<'_, SalesDeskApp>, label: &str, text: &str) {
    input(h, label).focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    input(h, label).type_text(text);
    h.run_steps(3);
}
