//! The window's side of the office connection: the connection dialog (连接数据库) and what it
//! remembers.

use egui::Ui;

use super::SalesDeskApp;
use super::connect::{ConnectDialog, DialogAction, lacks_password};
use super::worker::{Action, OpenInfo};
use crate::service::ServiceError;

impl SalesDeskApp {
    /// Opens the connection dialog on the office open now (signed out: see the status bar).
    pub(super) fn open_connect_dialog(&mut self) {
        if self.actor.is_none() && self.connect.is_none() {
            self.connect = Some(ConnectDialog::for_location(&self.db));
        }
    }

    /// Draws the dialog on the start screen's card; true while it is open.
    pub(super) fn connect_ui(&mut self, ui: &mut Ui) -> bool {
        let busy = self.in_flight > 0;
        let Some(dialog) = &mut self.connect else { return false };
        let action = super::start::card(ui, "连接数据库", |ui| dialog.ui(ui, busy));
        match action {
            Some(DialogAction::Connect(location)) => self.dispatch(Action::Open(location)),
            Some(DialogAction::Cancel) => self.connect = None,
            None => {}
        }
        true
    }

    /// The status bar's 更换…: signed in, it asks first (signing out ends the session).
    pub(super) fn confirm_change_ui(&mut self, ctx: &egui::Context) {
        if !self.confirm_change {
            return;
        }
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("confirm_change_office")).show(ctx, |ui| {
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

    /// An open finished. If the dialog asked for it, success closes the dialog and remembers the
    /// office; failure stays in the dialog with every field as typed, the office before still
    /// open. Returns the answer when it is the window's own (start, retry, another file).
    pub(super) fn connect_answered(
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
                    self.view.remembered_office = Some(remember);
                }
                self.db = attempt.location;
                self.connect = None;
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
