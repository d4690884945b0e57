//! 数据维护: backup, restore and the full integrity check, for the admin.

use std::path::PathBuf;

use egui::{RichText, Ui};

use crate::domain::audit::CheckReport;
use crate::service::ServiceError;
use crate::ui::panel::{Cx, Event, Panel};
use crate::ui::theme::{self, ERROR_RED, OK_GREEN};
use crate::ui::widgets::{Toasts, text_field};
use crate::ui::worker::Reply;

#[derive(Default)]
pub struct MaintenancePanel {
    backup_path: String,
    restore_path: String,
    confirm_restore: bool,
    last_check: Option<CheckReport>,
    message: Option<(bool, String)>,
    backup: Reply<PathBuf>,
    restore: Reply<PathBuf>,
    check: Reply<CheckReport>,
}

impl Panel for MaintenancePanel {
    fn logic(&mut self, cx: &mut Cx<'_>) {
        if let Some(r) = self.backup.take() {
            self.report(r.map(|p| format!("已备份到 {}", p.display())), cx.toasts);
        }
        if let Some(r) = self.restore.take() {
            let ok = r.is_ok();
            self.report(r.map(|kept| format!("已从备份恢复。恢复前的数据保留在 {}", kept.display())), cx.toasts);
            if ok {
                cx.emit(Event::OfficeReplaced);
            }
        }
        match self.check.take() {
            Some(Ok(report)) => {
                if report.is_ok() {
                    cx.toasts.success("检查通过：数据库完整，审计链完好。");
                } else {
                    cx.toasts.error("检查发现问题，请查看下方详情并从备份恢复。");
                }
                self.last_check = Some(report);
            }
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        self.panel_ui(ui, cx);
    }
}

impl MaintenancePanel {
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

    fn panel_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        theme::heading(ui, "数据维护", "定期备份到另一块磁盘或U盘。备份在使用中也能进行。");
        if let Some((ok, msg)) = &self.message {
            let color = if *ok { OK_GREEN } else { ERROR_RED };
            ui.label(RichText::new(msg).color(color));
        }
        ui.label(RichText::new("备份").strong());
        egui::Grid::new("backup").num_columns(2).show(ui, |ui| {
            text_field(ui, "备份文件", &mut self.backup_path, None, false);
        });
        ui.horizontal(|ui| {
            if ui.button("选择位置…").clicked() {
                let at = cx.now().with_timezone(&chrono::Local);
                let name = format!("salesdesk-{}.db", at.format("%Y%m%d-%H%M"));
                if let Some(p) = rfd::FileDialog::new().set_file_name(name).save_file() {
                    self.backup_path = p.display().to_string();
                }
            }
            let ready = !self.backup_path.trim().is_empty() && !self.backup.is_waiting();
            if ui.add_enabled(ready, egui::Button::new("立即备份")).clicked() {
                let path = PathBuf::from(self.backup_path.trim());
                self.backup = cx.ask(move |svc, a| svc.backup(a, &path).map(|()| path));
            }
        });
        ui.separator();
        ui.label(RichText::new("从备份恢复").strong());
        ui.label(
            RichText::new("先检查备份文件，再替换当前数据；当前数据会另存一份在数据库旁边。")
                .small()
                .color(theme::MUTED),
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
            let ready = !self.restore_path.trim().is_empty() && !self.restore.is_waiting();
            if ui.add_enabled(ready, egui::Button::new("恢复…")).clicked() {
                self.confirm_restore = true;
            }
        });
        ui.separator();
        ui.label(RichText::new("完整性检查").strong());
        if ui.add_enabled(!self.check.is_waiting(), egui::Button::new("运行完整性检查")).clicked() {
            self.check = cx.ask(|svc, a| svc.check_as(a));
        }
        if let Some(r) = &self.last_check {
            let color = if r.is_ok() { OK_GREEN } else { ERROR_RED };
            ui.label(RichText::new(format!("SQLite：{}", r.integrity.join("；"))).color(color));
            match &r.chain_break {
                None => ui.label(RichText::new(format!("审计链：{} 条记录，全部完好", r.audit_entries)).color(color)),
                Some(b) => ui.label(RichText::new(format!("审计链在第 {} 条处断开：{}", b.seq, b.reason)).color(color)),
            };
            if r.damaged.is_empty() {
                ui.label(
                    RichText::new("存档文件（已签发的 PDF、证书扫描件、印章和标志图片、询价附件）：全部完好")
                        .color(color),
                );
            } else {
                ui.label(
                    RichText::new(format!(
                        "{} 个存档文件已损坏（内容与存入时不符），不能再打印或另存。请从损坏之前的备份恢复，或重新上传扫描件和图片：",
                        r.damaged.len()
                    ))
                    .color(color),
                );
                for d in &r.damaged {
                    ui.label(RichText::new(format!("· {}", d.describe())).color(color));
                }
            }
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
                    let path = PathBuf::from(self.restore_path.trim());
                    self.restore = cx.ask(move |svc, a| svc.restore(a, &path));
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
