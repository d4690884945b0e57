//! 变更确认表: what a revision made after issue changes against the last issued one, as the
//! service computed it — 技术/商务, item, field, before → after — with, for the approver, a 确认
//! tick per change, and afterwards who confirmed or refused each one at which step. The window
//! only shows and collects; the service decides.

use std::collections::BTreeSet;

use egui::{RichText, Ui};

use crate::domain::changes::{ChangeDecision, ChangeKind, count_text};
use crate::domain::ids::RevisionId;
use crate::domain::quote::ApprovalStep;
use crate::service::RevisionChanges;
use crate::ui::pickers::local_time;
use crate::ui::theme::{self, ERROR_RED, MUTED, PENDING_AMBER, TECH_BLUE};

pub fn kind_badge(ui: &mut Ui, kind: ChangeKind) {
    let color = match kind {
        ChangeKind::Technical => TECH_BLUE,
        ChangeKind::Commercial => PENDING_AMBER,
    };
    theme::badge(ui, kind.label(), color);
}

/// The approver's ticks on one revision's changes.
#[derive(Debug, Clone, Default)]
pub struct ChangeTicks {
    revision: Option<RevisionId>,
    confirmed: BTreeSet<String>,
}

impl ChangeTicks {
    /// Starts over when another revision is shown.
    pub fn for_revision(&mut self, revision: RevisionId) {
        if self.revision != Some(revision) {
            self.revision = Some(revision);
            self.confirmed.clear();
        }
    }

    pub fn all_confirmed(&self, c: &RevisionChanges) -> bool {
        c.set.changes.iter().all(|x| self.confirmed.contains(&x.key))
    }

    /// One answer per change: ticked is confirmed, the rest refused.
    pub fn decisions(&self, c: &RevisionChanges) -> Vec<ChangeDecision> {
        c.set
            .changes
            .iter()
            .map(|x| ChangeDecision { key: x.key.clone(), confirmed: self.confirmed.contains(&x.key) })
            .collect()
    }
}

/// The table; with `ticks`, a 确认 box per change for the approver, else each step's answers.
pub fn change_table_ui(ui: &mut Ui, c: &RevisionChanges, mut ticks: Option<&mut ChangeTicks>) {
    ui.label(RichText::new(format!("V{} 相对已发出的 V{}：{}", c.number, c.base, count_text(&c.set))).color(MUTED));
    if c.set.is_empty() {
        ui.label(RichText::new("与已发出的版本相同，没有需要确认的变更。").small().color(MUTED));
        return;
    }
    let titles = ["类别", "项目", "内容", &format!("原（V{}）", c.base), &format!("现（V{}）", c.number), "确认"];
    egui::Grid::new(("change_table", c.revision.0)).striped(true).num_columns(titles.len()).spacing([12.0, 6.0]).show(
        ui,
        |ui| {
            for t in titles {
                ui.strong(t);
            }
            ui.end_row();
            for x in &c.set.changes {
                kind_badge(ui, x.kind);
                ui.label(&x.subject);
                ui.label(RichText::new(x.field.label()).strong());
                value(ui, RichText::new(&x.before).color(MUTED));
                ui.horizontal(|ui| {
                    ui.label(RichText::new("→").color(MUTED));
                    value(ui, RichText::new(&x.after).strong());
                });
                match ticks.as_deref_mut() {
                    Some(t) => {
                        ui.horizontal(|ui| {
                            let mut on = t.confirmed.contains(&x.key);
                            if ui.checkbox(&mut on, "确认").changed() {
                                if on {
                                    t.confirmed.insert(x.key.clone());
                                } else {
                                    t.confirmed.remove(&x.key);
                                }
                            }
                            // The leader sees what the head answered.
                            if let Some(a) = c.answer(&x.key, ApprovalStep::Head) {
                                let text = format!("{}已{}", a.by_name, if a.confirmed { "确认" } else { "拒绝" });
                                ui.label(RichText::new(text).small().color(MUTED));
                            }
                        });
                    }
                    None => answers_ui(ui, c, &x.key),
                }
                ui.end_row();
            }
        },
    );
}

/// A before or after value: short ones on one line, long ones (a line added, a clause's answer)
/// wrapped within a column of readable width.
fn value(ui: &mut Ui, text: RichText) {
    if text.text().chars().count() <= 24 {
        ui.add(egui::Label::new(text).extend());
    } else {
        ui.scope(|ui| {
            ui.set_max_width(300.0);
            ui.add(egui::Label::new(text).wrap());
        });
    }
}

/// Who confirmed or refused one change, per step.
fn answers_ui(ui: &mut Ui, c: &RevisionChanges, key: &str) {
    ui.vertical(|ui| {
        let mut any = false;
        for step in [ApprovalStep::Head, ApprovalStep::Leader] {
            if let Some(a) = c.answer(key, step) {
                any = true;
                let (text, color) = if a.confirmed { ("已确认", theme::OK_GREEN) } else { ("不同意", ERROR_RED) };
                ui.horizontal(|ui| {
                    theme::badge(ui, text, color);
                    let who = format!("{} {} · {}", step.label(), a.by_name, local_time(a.at));
                    ui.label(RichText::new(who).small().color(MUTED));
                });
            }
        }
        if !any {
            ui.label(RichText::new("待确认").small().color(PENDING_AMBER));
        }
    });
}
