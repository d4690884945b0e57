//! 数据维护: backup, restore and the full integrity check, for the admin.

use std::path::PathBuf;

use egui::{RichText, Ui};

use super::legacy::Request;
use super::panel::Cx;
use super::widgets::{self, Toasts, text_field};
use crate::domain::audit::CheckReport;
use crate::service::ServiceError;

#[derive(Default)]
pub struct MaintenancePanel {
    backup_path: String,
    restore_path: String,
    confirm_restore: bool,
    last_check: Option<CheckReport>,
    message: Option<(bool, String)>,
}

impl MaintenancePanel {
    pub fn backed_up(&mut self, r: Result<PathBuf, ServiceError>, toasts: &mut Toasts) {
        self.report(r.map(|p| format!("已备份到 {}", p.display())), toasts);
    }

    /// Returns true when the data was replaced and everything must be reloaded.
    pub fn restored(&mut self, r: Result<PathBuf, ServiceError>, toasts: &mut Toasts) -> bool {
        let ok = r.is_ok();
        self.report(r.map(|kept| format!("已从备份恢复。恢复前的数据保留在 {}", kept.display())), toasts);
        ok
    }

    pub fn checked(&mut self, r: Result<CheckReport, ServiceError>, toasts: &mut Toasts) {
        match r {
            Ok(report) => {
                if report.is_ok() {
                    toasts.success("检查通过：数据库完整，审计链完好。");
                } else {
                    toasts.error("检查发现问题，请查看下方详情并从备份恢复。");
                }
                self.last_check = Some(report);
            }
            Err(e) => toasts.error(e.to_string()),
        }
    }

    fn report(&mut self, r: Result<String, ServiceError>, toasts: &mut Toasts) {
        match r {
            Ok(msg) => {
                toasts.success(msg.clone());
                self.message = Some((true, msg));
            }
            Err(e) => {
                toasts.error(e.to_string());
                self.message = Some((false, e.to_string()));
            }
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        widgets::heading(ui, "数据维护", "定期备份到另一块磁盘或U盘。备份在使用中也能进行。");
        if let Some((ok, msg)) = &self.message {
            let color = if *ok { widgets::OK_GREEN } else { widgets::ERROR_RED };
            ui.label(RichText::new(msg).color(color));
        }
        ui.label(RichText::new("备份").strong());
        egui::Grid::new("backup").num_columns(2).show(ui, |ui| {
            text_field(ui, "备份文件", &mut self.backup_path, None, false);
        });
        ui.horizontal(|ui| {
            if ui.button("选择位置…").clicked() {
                let name = format!("salesdesk-{}.db", chrono::Local::now().format("%Y%m%d-%H%M"));
                if let Some(p) = rfd::FileDialog::new().set_file_name(name).save_file() {
                    self.backup_path = p.display().to_string();
                }
            }
            let ready = !self.backup_path.trim().is_empty() && !cx.busy;
            if ui.add_enabled(ready, egui::Button::new("立即备份")).clicked() {
                cx.send(Request::Backup(PathBuf::from(self.backup_path.trim())));
            }
        });
        ui.separator();
        ui.label(RichText::new("从备份恢复").strong());
        ui.label(
            RichText::new("先检查备份文件，再替换当前数据；当前数据会另存一份在数据库旁边。")
                .small()
                .color(widgets::MUTED),
        );
        egui::Grid::new("restore").num_columns(2).show(ui, |ui| {
            text_field(ui, "备份文件路径", &mut self.restore_path, None, false);
        });
        ui.horizontal(|ui| {
            if ui.button("选择备份…").clicked()
                && let Some(p) = rfd::FileDialog::new().add_filter("SalesDesk 备份", &["db"]).pick_file()
            {
                self.restore_path = p.display().to_string();
            }
            let ready = !self.restore_path.trim().is_empty() && !cx.busy;
            if ui.add_enabled(ready, egui::Button::new("恢复…")).clicked() {
                self.confirm_restore = true;
            }
        });
        ui.separator();
        ui.label(RichText::new("完整性检查").strong());
        if ui.add_enabled(!cx.busy, egui::Button::new("运行完整性检查")).clicked() {
            cx.send(Request::Check);
        }
        if let Some(r) = &self.last_check {
            let color = if r.is_ok() { widgets::OK_GREEN } else { widgets::ERROR_RED };
            ui.label(RichText::new(format!("SQLite：{}", r.integrity.join("；"))).color(color));
            match &r.chain_break {
                None => ui.label(RichText::new(format!("审计链：{} 条记录，全部完好", r.audit_entries)).color(color)),
                Some(b) => ui.label(RichText::new(format!("审计链在第 {} 条处断开：{}", b.seq, b.reason)).color(color)),
            };
        }
        self.confirm_ui(ui, cx);
    }

    fn confirm_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if !self.confirm_restore {
            return;
        }
        let modal = egui::Modal::new(egui::Id::unique("confirm_restore")).show(ui.ctx(), |ui| {
            ui.set_width(420.0);
            ui.heading("用备份替换当前数据？");
            ui.label(format!(
                "当前所有数据将被替换为 {} 的内容。当前数据会另存一份，可再恢复回来。",
                self.restore_path.trim()
            ));
            ui.horizontal(|ui| {
                if ui.button("确认恢复").clicked() {
                    cx.send(Request::Restore(PathBuf::from(self.restore_path.trim())));
                    self.confirm_restore = false;
                }
                if ui.button("取消").clicked() {
                    self.confirm_restore = false;
                }
            });
        });
        if modal.should_close() {
            self.confirm_restore = false;
        }
    }
}
