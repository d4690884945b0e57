//! The screens before the main window — opening, a file that cannot be used, first start (demo
//! office or first admin), sign-in, the forced password change — and the 我的账号 panel; the
//! office connection (`connect.rs`, `connection.rs`) and the app's start-up flow (`session.rs`).

pub mod connect;
mod connection;
mod session;

pub(super) use connection::Watch;
pub use connection::{DISCONNECTED_BANNER, RECONNECTED};
pub(super) use session::SessionReplies;

use std::path::PathBuf;

use egui::{RichText, Ui};

use crate::service::{Actor, DEMO_PASSWORD, NewUser, ServiceError};
use crate::ui::Screen;
use crate::ui::panel::Cx;
use crate::ui::theme::{self, ERROR_RED, MUTED};
use crate::ui::widgets::text_field;
use crate::ui::worker::Reply;

/// What a start screen asks the app to do.
#[allow(clippy::large_enum_variant)] // a handful per sign-in; boxing buys nothing
pub enum StartAction {
    CreateDemo,
    CreateFirstAdmin(NewUser),
    SignIn {
        login: String,
        password: String,
    },
    ChangePassword {
        old: String,
        new: String,
    },
    OpenOther(PathBuf),
    RestoreInto(PathBuf),
    SignOut,
    /// Show the connection dialog (连接数据库).
    Connect,
    /// Try the same office again (a server that was unreachable).
    Retry,
}

/// The UI scales offered in 我的账号.
pub const ZOOMS: [f32; 6] = [0.9, 1.0, 1.1, 1.25, 1.5, 1.75];

#[derive(Default)]
pub struct StartState {
    login: String,
    password: String,
    pub sign_in_error: Option<ServiceError>,
    admin: NewUser,
    admin_confirm: String,
    admin_mismatch: bool,
    old_password: String,
    new_password: String,
    new_confirm: String,
    confirm_mismatch: bool,
    pub password_error: Option<ServiceError>,
    other_path: String,
    /// 我的账号's password change.
    changing: Reply<Actor>,
    /// A UI scale chosen in 我的账号, for the app to apply and keep for this user on this PC.
    pub zoom_request: Option<f32>,
    /// Put the cursor in the sign-in form at its next drawing: the password when the user name
    /// is known, else the user name (at start, after a failed attempt, after signing out).
    focus_pending: bool,
}

fn field_error<'a>(e: &'a Option<ServiceError>, field: &str) -> Option<&'a str> {
    e.as_ref().and_then(|e| e.field_message(field))
}

/// A centred card, as sign-in screens are. It scrolls when the window is shorter than it (the
/// connection dialog at 150 % on a 1366×768 laptop).
pub(super) fn card<R>(ui: &mut Ui, title: &str, add: impl FnOnce(&mut Ui) -> R) -> R {
    let top = (ui.available_height() * 0.12).max(16.0);
    egui::ScrollArea::vertical()
        .id_salt("start_card")
        .auto_shrink([false, false])
        .show(ui, |ui| card_body(ui, top, title, add))
        .inner
}

fn card_body<R>(ui: &mut Ui, top: f32, title: &str, add: impl FnOnce(&mut Ui) -> R) -> R {
    ui.vertical_centered(|ui| {
        ui.add_space(top);
        ui.label(RichText::new("SalesDesk 销售部工作台").size(theme::TITLE_SIZE).strong());
        ui.add_space(12.0);
        egui::Frame::group(ui.style())
            .inner_margin(20.0)
            .show(ui, |ui| {
                ui.set_width(480.0);
                ui.label(RichText::new(title).size(theme::CARD_TITLE_SIZE).strong());
                ui.add_space(8.0);
                add(ui)
            })
            .inner
    })
    .inner
}

impl StartState {
    pub fn new(last_login: &str) -> Self {
        StartState { login: last_login.to_string(), focus_pending: true, ..Default::default() }
    }

    /// The sign-in was refused: the password typed is cleared and the cursor goes back to it.
    pub fn sign_in_failed(&mut self, e: ServiceError) {
        self.sign_in_error = Some(e);
        self.password.clear();
        self.focus_pending = true;
    }

    /// The sign-in form is shown again (signed out): the cursor goes to it.
    pub fn ask_focus(&mut self) {
        self.focus_pending = true;
    }

    pub fn clear_passwords(&mut self) {
        self.password.clear();
        self.old_password.clear();
        self.new_password.clear();
        self.new_confirm.clear();
        self.admin.password.clear();
        self.admin_confirm.clear();
        self.password_error = None;
    }

    /// `on_server`: the office is (or was to be) on the server, not a file.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        screen: &Screen,
        actor: Option<&Actor>,
        busy: bool,
        on_server: bool,
        out: &mut Vec<StartAction>,
    ) {
        match screen {
            Screen::Opening => {
                card(ui, "正在打开数据库…", |ui| {
                    ui.add(egui::Spinner::new());
                });
            }
            Screen::FileProblem(msg) if on_server => server_problem_ui(ui, msg, busy, out),
            Screen::FileProblem(msg) => self.file_problem_ui(ui, msg, out),
            Screen::FirstStart => self.first_start_ui(ui, busy, out),
            Screen::SignIn => self.sign_in_ui(ui, busy, out),
            Screen::MustChangePassword => {
                card(ui, "请设置新密码", |ui| {
                    ui.label("管理员为您设置了临时密码。继续使用前，请设置只有您自己知道的新密码。");
                    if let Some((old, new)) = self.change_password_form(ui, busy) {
                        out.push(StartAction::ChangePassword { old, new });
                    }
                    if ui.button("退出登录").clicked() {
                        out.push(StartAction::SignOut);
                    }
                });
                let _ = actor;
            }
            Screen::Main => {}
        }
    }

    fn file_problem_ui(&mut self, ui: &mut Ui, msg: &str, out: &mut Vec<StartAction>) {
        card(ui, "无法使用该数据库", |ui| {
            ui.label(RichText::new(msg).color(ERROR_RED));
            ui.add_space(8.0);
            ui.label("您可以打开另一个数据库文件，或用备份文件替换它（原文件会被保留）。");
            egui::Grid::new("other_file").num_columns(2).show(ui, |ui| {
                text_field(ui, "文件路径", &mut self.other_path, None, false);
            });
            ui.horizontal(|ui| {
                if ui.button("选择文件…").clicked()
                    && let Some(p) =
                        rfd::FileDialog::new().add_filter("SalesDesk 数据库", &["db", "sqlite"]).pick_file()
                {
                    self.other_path = p.display().to_string();
                }
                let path = PathBuf::from(self.other_path.trim());
                let ready = !self.other_path.trim().is_empty();
                if ui.add_enabled(ready, egui::Button::new("打开此数据库")).clicked() {
                    out.push(StartAction::OpenOther(path.clone()));
                }
                if ui.add_enabled(ready, egui::Button::new("用此备份恢复")).clicked() {
                    out.push(StartAction::RestoreInto(path));
                }
            });
            ui.separator();
            connect_button(ui, out);
        });
    }

    fn first_start_ui(&mut self, ui: &mut Ui, busy: bool, out: &mut Vec<StartAction>) {
        card(ui, "欢迎使用 SalesDesk", |ui| {
            ui.label("这是一个新的数据库。您可以先用演示办公室熟悉软件，或直接创建第一个管理员账号。");
            ui.add_space(6.0);
            if ui.add_enabled(!busy, egui::Button::new("创建演示办公室")).clicked() {
                out.push(StartAction::CreateDemo);
            }
            ui.label(
                RichText::new(format!(
                    "演示账号的密码均为 {DEMO_PASSWORD}，例如 admin（管理员）、zhaomin（销售部负责人）。"
                ))
                .small()
                .color(MUTED),
            );
            ui.separator();
            ui.label(RichText::new("或创建第一个管理员").strong());
            let err = &self.sign_in_error;
            egui::Grid::new("first_admin").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
                text_field(ui, "登录名", &mut self.admin.login, field_error(err, "login"), false);
                text_field(ui, "姓名", &mut self.admin.display_name, field_error(err, "display_name"), false);
                text_field(ui, "手机", &mut self.admin.phone, field_error(err, "phone"), false);
                text_field(ui, "密码", &mut self.admin.password, field_error(err, "password"), true);
                let mismatch = self.admin_mismatch.then_some("两次输入的密码不一致");
                text_field(ui, "确认密码", &mut self.admin_confirm, mismatch, true);
            });
            if let Some(e) = err.as_ref().filter(|e| !matches!(e, ServiceError::Invalid(_))) {
                ui.label(RichText::new(e.to_string()).color(ERROR_RED));
            }
            if ui.add_enabled(!busy, egui::Button::new("创建管理员并登录")).clicked() {
                self.admin_mismatch = self.admin.password != self.admin_confirm;
                if !self.admin_mismatch {
                    out.push(StartAction::CreateFirstAdmin(self.admin.clone()));
                }
            }
            ui.separator();
            connect_button(ui, out);
        });
    }

    fn sign_in_ui(&mut self, ui: &mut Ui, busy: bool, out: &mut Vec<StartAction>) {
        card(ui, "登录", |ui| {
            let mut submit = false;
            let focus = std::mem::take(&mut self.focus_pending);
            egui::Grid::new("sign_in").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
                let login = text_field(ui, "用户名", &mut self.login, None, false);
                let password = text_field(ui, "密码", &mut self.password, None, true);
                let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
                if focus {
                    // Typing goes somewhere at once: the password when the name is remembered.
                    if self.login.trim().is_empty() { login.request_focus() } else { password.request_focus() }
                }
                // Enter in the user name moves on to the password, as sign-in forms do.
                if login.lost_focus() && enter {
                    password.request_focus();
                }
                submit |= password.lost_focus() && enter;
            });
            if let Some(e) = &self.sign_in_error {
                ui.label(RichText::new(e.to_string()).color(ERROR_RED));
            }
            ui.add_space(4.0);
            submit |= ui.add_enabled(!busy, egui::Button::new("登录")).clicked();
            if submit && !busy {
                if self.login.trim().is_empty() || self.password.is_empty() {
                    self.sign_in_error = Some(ServiceError::rule("sign_in.empty", "请输入用户名和密码。"));
                } else {
                    out.push(StartAction::SignIn { login: self.login.clone(), password: self.password.clone() });
                }
            }
            ui.separator();
            connect_button(ui, out);
        });
    }
}

/// Another office: a file on this PC or the office server.
fn connect_button(ui: &mut Ui, out: &mut Vec<StartAction>) {
    ui.horizontal(|ui| {
        ui.label(RichText::new("要打开其他数据库，或连接办公室服务器？").small().color(MUTED));
        if ui.small_button("连接数据库…").clicked() {
            out.push(StartAction::Connect);
        }
    });
}

/// The office server could not be reached or refused us: try again, or change the connection.
fn server_problem_ui(ui: &mut Ui, msg: &str, busy: bool, out: &mut Vec<StartAction>) {
    card(ui, "无法连接办公室服务器", |ui| {
        ui.label(RichText::new(msg).color(ERROR_RED));
        ui.add_space(8.0);
        ui.label("请检查网络是否连通、服务器是否开着，或更改连接的地址、用户名和密码。");
        ui.horizontal(|ui| {
            if ui.add_enabled(!busy, egui::Button::new("重试")).clicked() {
                out.push(StartAction::Retry);
            }
            if ui.button("连接数据库…").clicked() {
                out.push(StartAction::Connect);
            }
        });
    });
}

impl StartState {
    /// The form; the old and new password when 修改密码 was pressed (and the two new ones agree).
    fn change_password_form(&mut self, ui: &mut Ui, busy: bool) -> Option<(String, String)> {
        let err = &self.password_error;
        egui::Grid::new("change_password").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
            text_field(ui, "原密码", &mut self.old_password, field_error(err, "old_password"), true);
            text_field(ui, "新密码", &mut self.new_password, field_error(err, "password"), true);
            let mismatch = self.confirm_mismatch.then_some("两次输入的密码不一致");
            text_field(ui, "确认新密码", &mut self.new_confirm, mismatch, true);
        });
        if let Some(e) = err.as_ref().filter(|e| !matches!(e, ServiceError::Invalid(_))) {
            ui.label(RichText::new(e.to_string()).color(ERROR_RED));
        }
        ui.label(RichText::new("密码至少8位，且须同时包含字母和数字。").small().color(MUTED));
        if ui.add_enabled(!busy, egui::Button::new("修改密码")).clicked() {
            self.confirm_mismatch = self.new_password != self.new_confirm;
            if !self.confirm_mismatch {
                return Some((self.old_password.clone(), self.new_password.clone()));
            }
        }
        None
    }

    /// 我的账号: who I am and changing my password.
    pub fn account_ui(&mut self, ui: &mut Ui, actor: &Actor, cx: &mut Cx<'_>) {
        theme::heading(ui, "我的账号", "");
        egui::Grid::new("me").num_columns(2).spacing([12.0, 6.0]).show(ui, |ui| {
            ui.label("姓名");
            ui.label(actor.display_name());
            ui.end_row();
            ui.label("登录名");
            ui.label(actor.login());
            ui.end_row();
            ui.label("角色");
            ui.label(actor.roles().labels());
            ui.end_row();
            // On top of the system's scale (Windows laptops run at 125–150 %): kept per user on this PC.
            let l = ui.label("界面缩放");
            let current = ui.ctx().zoom_factor();
            egui::ComboBox::from_id_salt("ui_zoom")
                .selected_text(format!("{:.0}%", current * 100.0))
                .show_ui(ui, |ui| {
                    for z in ZOOMS {
                        if ui.selectable_label((current - z).abs() < 0.01, format!("{:.0}%", z * 100.0)).clicked() {
                            self.zoom_request = Some(z);
                        }
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
        });
        ui.label(
            RichText::new("界面缩放只影响本电脑上您的窗口；屏幕小或字看不清时可调大，窗口会自动改用适合小屏幕的排列。")
                .small()
                .color(MUTED),
        );
        ui.separator();
        ui.label(RichText::new("修改密码").strong());
        match self.changing.take() {
            Some(Ok(_)) => {
                cx.toasts.success("密码已修改。");
                self.clear_passwords();
            }
            Some(Err(e)) => self.password_error = Some(e),
            None => {}
        }
        let busy = self.changing.is_waiting();
        if let Some((old, new)) = self.change_password_form(ui, busy) {
            self.password_error = None;
            self.changing = cx.ask(move |svc, a| svc.change_own_password(a, &old, &new));
        }
    }
}
