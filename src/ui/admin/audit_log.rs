//! 审计日志: who did what and when, filterable; newest first.

use chrono::{Local, NaiveDate, TimeZone};
use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::domain::audit::{AuditEntry, AuditFilter};
use crate::ui::panel::{Cx, Panel};
use crate::ui::theme;
use crate::ui::widgets::field_error;
use crate::ui::worker::Reply;

#[derive(Default)]
pub struct AuditPanel {
    entries: Vec<AuditEntry>,
    actor: String,
    action: String,
    text: String,
    from: String,
    to: String,
    date_error: Option<String>,
    selected: Option<usize>,
    load: Reply<Vec<AuditEntry>>,
    requested: bool,
}

/// The Chinese name of an audit action code; unknown codes show as they are.
fn action_label(code: &str) -> &str {
    match code {
        "auth.sign_in" => "登录",
        "auth.sign_in_failed" => "登录失败",
        "auth.locked" => "连续失败，锁定登录",
        "auth.sign_in_deactivated" => "已停用账号尝试登录",
        "user.create_first_admin" => "创建首位管理员",
        "user.create" => "新建用户",
        "user.update" => "修改用户",
        "user.activate" => "启用用户",
        "user.deactivate" => "停用用户",
        "user.reset_password" => "重置密码",
        "user.change_own_password" => "修改本人密码",
        "settings.company" => "修改公司信息",
        "settings.logo_replace" => "更换公司标志",
        "settings.logo_remove" => "移除公司标志",
        "settings.seal_replace" => "更换公章图片",
        "settings.seal_remove" => "移除公章图片",
        "settings.policy" => "修改审批规则",
        "settings.terms" => "修改标准商务条款",
        "settings.contract_template" => "修改合同模板",
        "contract.acceptance" => "登记验收日期",
        "document.issue" => "用印发出",
        "document.reprint" => "重印",
        "db.backup" => "备份数据库",
        "db.restore" => "从备份恢复",
        "demo.create" => "创建演示办公室",
        other => other,
    }
}

fn entity_label(code: &str) -> &str {
    match code {
        "user" => "用户",
        "settings" => "设置",
        "attachment" => "附件",
        "database" => "数据库",
        "contract" => "合同",
        "quote" => "报价",
        other => other,
    }
}

/// `2026-11-27` as local midnight, in UTC.
fn local_day(text: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let d =
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| format!("日期格式应为 2026-11-27：{text}"))?;
    let t = d.and_hms_opt(0, 0, 0).and_then(|t| Local.from_local_datetime(&t).earliest()).ok_or("无效日期")?;
    Ok(Some(t.with_timezone(&chrono::Utc)))
}

impl AuditPanel {
    pub fn filter(&self) -> AuditFilter {
        AuditFilter {
            actor: self.actor.clone(),
            action: self.action.clone(),
            text: self.text.clone(),
            from: local_day(&self.from).ok().flatten(),
            to: local_day(&self.to).ok().flatten().map(|t| t + chrono::Duration::days(1)),
            limit: 1000,
        }
    }

    fn search(&mut self, cx: &Cx<'_>) {
        let filter = self.filter();
        self.load = cx.ask(move |svc, a| svc.audit_entries(a, &filter));
    }
}

impl Panel for AuditPanel {
    fn logic(&mut self, cx: &mut Cx<'_>) {
        match self.load.take() {
            Some(Ok(entries)) => {
                self.entries = entries;
                self.selected = None;
            }
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if !std::mem::replace(&mut self.requested, true) {
            self.search(cx);
        }
        theme::heading(
            ui,
            "审计日志",
            "每一项修改都记录在这里，并逐条哈希链接；“数据维护”中的完整性检查可验证记录未被篡改。",
        );
        let mut apply = false;
        ui.horizontal_wrapped(|ui| {
            for (label, value, hint) in [
                ("操作人", &mut self.actor, "姓名或登录名"),
                ("动作代码", &mut self.action, "如 user. 或 settings."),
                ("内容", &mut self.text, "任意文字"),
                ("从", &mut self.from, "2026-11-01"),
                ("到", &mut self.to, "2026-11-30"),
            ] {
                let l = ui.label(label);
                let r =
                    ui.add(egui::TextEdit::singleline(value).hint_text(hint).desired_width(110.0)).labelled_by(l.id);
                apply |= r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            }
            apply |= ui.button("查询").clicked();
        });
        field_error(ui, self.date_error.as_deref());
        if apply {
            self.date_error = local_day(&self.from).and(local_day(&self.to)).err();
            if self.date_error.is_none() {
                self.search(cx);
            }
        }
        ui.label(theme::muted(format!("共 {} 条（最多显示 1000 条）", self.entries.len())));
        self.table_ui(ui);
        self.detail_ui(ui);
    }
}

impl AuditPanel {
    fn table_ui(&mut self, ui: &mut Ui) {
        let mut clicked = None;
        // A click on a row's text must select the row, not start a text selection.
        ui.style_mut().interaction.selectable_labels = false;
        TableBuilder::new(ui)
            .striped(true)
            .sense(egui::Sense::click())
            .max_scroll_height(360.0)
            .column(Column::exact(60.0))
            .column(Column::exact(150.0))
            .column(Column::exact(160.0))
            .column(Column::exact(200.0))
            .column(Column::remainder())
            .header(24.0, |mut h| {
                for t in ["序号", "时间", "操作人", "动作", "对象"] {
                    h.col(|ui| {
                        ui.strong(t);
                    });
                }
            })
            .body(|body| {
                body.rows(24.0, self.entries.len(), |mut row| {
                    let i = row.index();
                    let e = &self.entries[i];
                    row.set_selected(self.selected == Some(i));
                    row.col(|ui| {
                        ui.label(e.seq.to_string());
                    });
                    row.col(|ui| {
                        ui.label(e.at.with_timezone(&Local).format("%Y-%m-%d %H:%M:%S").to_string());
                    });
                    row.col(|ui| {
                        ui.label(&e.actor);
                    });
                    row.col(|ui| {
                        ui.label(action_label(&e.action)).on_hover_text(&e.action);
                    });
                    row.col(|ui| {
                        ui.label(format!("{} {}", entity_label(&e.entity), e.entity_id));
                    });
                    if row.response().clicked() {
                        clicked = Some(i);
                    }
                });
            });
        if clicked.is_some() {
            self.selected = clicked;
        }
    }

    fn detail_ui(&mut self, ui: &mut Ui) {
        let Some(e) = self.selected.and_then(|i| self.entries.get(i)) else { return };
        ui.separator();
        ui.label(RichText::new(format!("第 {} 条：{}（{}）", e.seq, action_label(&e.action), e.action)).strong());
        for (label, text) in [("修改前", &e.before), ("修改后", &e.after)] {
            if !text.is_empty() {
                ui.label(label);
                let pretty = serde_json::from_str::<serde_json::Value>(text)
                    .and_then(|v| serde_json::to_string_pretty(&v))
                    .unwrap_or_else(|_| text.clone());
                ui.add(egui::Label::new(RichText::new(pretty).monospace().small()).wrap());
            }
        }
    }
}
