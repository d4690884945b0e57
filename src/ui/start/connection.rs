//! The window's side of the office connection: the connection dialog (连接数据库) and what it
//! remembers, the change watch that brings other seats' work in within seconds, and the banner
//! while the office server is away (the store reconnects by itself; the watch notices when).

use std::time::Duration;

use egui::{Color32, RichText, Ui};

use super::connect::{ConnectDialog, DialogAction, lacks_password};
use crate::service::ServiceError;
use crate::ui::panel::Event;
use crate::ui::theme::ERROR_RED;
use crate::ui::worker::{Lane, OpenInfo, Reply};
use crate::ui::{SalesDeskApp, Screen};

/// How often a signed-in window asks whether another seat wrote (one tiny read).
const WATCH_SECONDS: f64 = 2.0;
/// How often, while the server is away, the watch tries again.
const PROBE_SECONDS: f64 = 3.0;

pub const DISCONNECTED_BANNER: &str =
    "与办公室服务器的连接已断开，正在重连…（您未保存的输入仍保留，恢复后请再保存一次）";
pub const RECONNECTED: &str = "已重新连接办公室服务器";

#[derive(Default)]
pub(in crate::ui) struct Watch {
    /// `ctx.input(|i| i.time)` at which the next look is due.
    next_at: f64,
    looking: Reply<i64>,
    /// The office's data version when last seen.
    seen: Option<i64>,
    /// The server connection dropped: the banner shows until a look succeeds.
    pub(in crate::ui) disconnected: bool,
}

impl SalesDeskApp {
    /// True while the reconnect banner shows.
    pub fn disconnected(&self) -> bool {
        self.watch.disconnected
    }

    /// Asks for the data version when due: every 2 s while signed in, every 3 s while the server
    /// is away (on any screen). Never shows the busy state.
    pub(in crate::ui) fn watch_if_due(&mut self, ctx: &egui::Context) {
        if let Some(r) = self.watch.looking.take() {
            self.watched(r);
        }
        let watching = self.actor.is_some() && self.screen == Screen::Main;
        if !watching && !self.watch.disconnected {
            return;
        }
        let every = if self.watch.disconnected { PROBE_SECONDS } else { WATCH_SECONDS };
        let now = ctx.input(|i| i.time);
        if !self.watch.looking.is_waiting() && now >= self.watch.next_at {
            self.watch.next_at = now + every;
            self.watch.looking = self.worker.ask(Lane::Back, |s| s.service()?.data_version());
        }
        ctx.request_repaint_after(Duration::from_secs_f64((self.watch.next_at - now).max(0.05)));
    }

    fn watched(&mut self, r: Result<i64, ServiceError>) {
        match r {
            Ok(version) => {
                let mut changed = self.watch.seen.is_some_and(|seen| seen != version);
                self.watch.seen = Some(version);
                if std::mem::take(&mut self.watch.disconnected) {
                    self.toasts.success(RECONNECTED);
                    // The refreshes that failed while it was away are due again at once.
                    changed = true;
                }
                if changed {
                    self.events.push(Event::OfficeChanged);
                }
            }
            Err(e) if e.is_disconnected() => {} // the banner is up (the worker noticed)
            Err(e) => log::warn!("change watch: {e}"),
        }
    }

    /// The red line across the top while the server is away.
    pub(in crate::ui) fn banner_ui(&mut self, ui: &mut Ui) {
        if !self.watch.disconnected {
            return;
        }
        let frame = egui::Frame::new().fill(ERROR_RED).inner_margin(egui::Margin::symmetric(12, 6));
        egui::Panel::top("disconnected_banner").frame(frame).show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.add(egui::Spinner::new().color(Color32::WHITE));
                ui.label(RichText::new(DISCONNECTED_BANNER).color(Color32::WHITE).strong());
            });
        });
    }

    /// Opens the connection dialog on the office open now (signed out: see the status bar).
    pub(in crate::ui) fn open_connect_dialog(&mut self) {
        if self.actor.is_none() && self.connect.is_none() {
            self.connect = Some(ConnectDialog::for_location(&self.db));
        }
    }

    /// Draws the dialog on the start screen's card; true while it is open.
    pub(in crate::ui) fn connect_ui(&mut self, ui: &mut Ui) -> bool {
        let busy = self.session_busy();
        let Some(dialog) = &mut self.connect else { return false };
        let action = super::card(ui, "连接数据库", |ui| dialog.ui(ui, busy));
        match action {
            Some(DialogAction::Connect(location)) => self.open_office(location),
            Some(DialogAction::Cancel) => self.connect = None,
            None => {}
        }
        true
    }

    /// The status bar's 更换…: signed in, it asks first (signing out ends the session).
    pub(in crate::ui) fn confirm_change_ui(&mut self, ctx: &egui::Context) {
        if !self.confirm_change {
            return;
        }
        let mut choice = None;
        let modal = egui::Modal::new(egui::Id::unique("confirm_change_office")).show(ctx, |ui| {
            ui.set_width(420.0);
            ui.heading("更换数据库");
            ui.label("更换数据库前需要先退出登录。尚未保存的输入不会保留，请先保存。");
            ui.horizontal(|ui| {
                if ui.button("退出登录并更换").clicked() {
                    choice = Some(true);
                }
                if ui.button("取消").clicked() {
                    choice = Some(false);
                }
            });
        });
        if modal.should_close() && choice.is_none() {
            choice = Some(false);
        }
        match choice {
            Some(true) => {
                self.confirm_change = false;
                self.sign_out();
                self.open_connect_dialog();
            }
            Some(false) => self.confirm_change = false,
            None => {}
        }
    }

    /// The logins the owner's start made with one-time passwords: shown once, to be handed to each
    /// person (nothing keeps them); copied as text for the admin's own note.
    pub(in crate::ui) fn new_logins_ui(&mut self, ctx: &egui::Context) {
        if self.new_logins.is_empty() {
            return;
        }
        let mut done = false;
        egui::Modal::new(egui::Id::unique("new_server_logins")).show(ctx, |ui| {
            ui.set_width(560.0);
            ui.heading("已为用户建立服务器账号");
            ui.label(
                "办公室服务器上每人有了自己的账号。下列用户的一次性密码只显示这一次，请分别告知本人；\
                 他们用它首次登录后须设置自己的密码。其余用户（仍用演示密码的）密码不变。",
            );
            ui.add_space(6.0);
            egui::Grid::new("new_logins").num_columns(3).striped(true).spacing([16.0, 6.0]).show(ui, |ui| {
                ui.strong("用户");
                ui.strong("服务器账号");
                ui.strong("一次性密码");
                ui.end_row();
                for l in &self.new_logins {
                    ui.label(format!("{}（{}）", l.display_name, l.login));
                    ui.label(&l.server_login);
                    ui.monospace(&l.password);
                    ui.end_row();
                }
            });
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui.button("复制全部").clicked() {
                    let text: Vec<String> = self
                        .new_logins
                        .iter()
                        .map(|l| format!("{}（{}）\t{}\t{}", l.display_name, l.login, l.server_login, l.password))
                        .collect();
                    ui.ctx().copy_text(text.join("\n"));
                    self.toasts.info("已复制到剪贴板。");
                }
                if ui.button("我已记下").clicked() {
                    done = true;
                }
            });
        });
        if done {
            self.new_logins.clear();
        }
    }

    /// An open finished. If the dialog asked for it, success closes the dialog and remembers the
    /// office; failure stays in the dialog with every field as typed, the office before still
    /// open. Returns the answer when it is the window's own (start, retry, another file).
    pub(in crate::ui) fn connect_answered(
        &mut self,
        r: Result<OpenInfo, ServiceError>,
    ) -> Option<Result<OpenInfo, ServiceError>> {
        let Some(attempt) = self.connect.as_mut().and_then(|d| d.pending.take()) else {
            if let Err(e) = &r
                && lacks_password(&self.db)
            {
                // A remembered server address without its password: ask for it.
                self.connect = Some(ConnectDialog::asking_password(&self.db, e.to_string()));
            }
            return Some(r);
        };
        match r {
            Ok(info) => {
                if let Some(remember) = attempt.remember {
                    // The settings file gets the address; the password, if it is to be kept, the
                    // system's credential store.
                    match attempt.password_to_save {
                        Some(password) => {
                            if let Err(e) = self.vault.save(&remember, &password) {
                                self.toasts.info(format!(
                                    "密码没有保存（{e}）：下次启动时会请您输入密码。密码不会写入普通文件。"
                                ));
                            }
                        }
                        None => self.vault.forget(&remember),
                    }
                    self.view.remembered_office = Some(remember);
                }
                self.db = attempt.location;
                self.connect = None;
                self.session.sign_in_after_check = attempt.sign_in_as;
                Some(Ok(info))
            }
            Err(e) => {
                log::warn!("connect {}: {e:?}", attempt.location.shown());
                if let Some(d) = &mut self.connect {
                    d.failed(e.to_string());
                }
                None
            }
        }
    }
}
