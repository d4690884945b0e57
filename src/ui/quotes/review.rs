//! The director's review of a bid (投标审查) in 审批 and the builder: the tender's deadline with its
//! countdown and the bond, every clause with what the bid offers and its deviation (★ clauses and
//! what the cross-checks find marked), the certificates with their validity and the references of
//! the 业绩表 — all from the service's [`BidReview`]; nothing is judged here.

use egui::{RichText, Ui};

use crate::domain::dates::cn_date;
use crate::domain::inquiry::countdown;
use crate::domain::quote::Deviation;
use crate::service::BidReview;
use crate::ui::documents::expiry_badge;
use crate::ui::pickers::local_time;
use crate::ui::theme::{self, ERROR_RED, MUTED, OK_GREEN, PENDING_AMBER};

fn section(ui: &mut Ui, title: &str) {
    ui.add_space(8.0);
    ui.label(RichText::new(title).strong().size(15.0));
}

/// The whole review; `today` for the certificates' validity.
pub fn review_ui(ui: &mut Ui, r: &BidReview, today: chrono::NaiveDate) {
    tender_ui(ui, r);
    problems_ui(ui, r);
    section(ui, &format!("条款响应（{} 条，负偏离 {} 条）", r.rows.len(), r.negative()));
    compliance_ui(ui, r);
    section(ui, &format!("资格证明文件（{} 份）", r.certificates.len()));
    if r.certificates.is_empty() {
        ui.label(RichText::new("本投标未附证书。").small().color(MUTED));
    }
    for c in &r.certificates {
        ui.horizontal_wrapped(|ui| {
            let (text, colour) = expiry_badge(c, today);
            theme::badge(ui, &text, colour);
            ui.label(&c.draft.name);
            ui.label(
                RichText::new(format!("{}　有效期至 {}", c.draft.kind, c.draft.valid_until_text()))
                    .small()
                    .color(MUTED),
            );
        });
    }
    section(ui, &format!("业绩表（{} 项）", r.references.len()));
    if r.references.is_empty() {
        ui.label(RichText::new("本投标未列同类业绩。").small().color(MUTED));
    }
    egui::Grid::new("review_references").striped(true).num_columns(5).spacing([10.0, 4.0]).show(ui, |ui| {
        for x in &r.references {
            ui.label(x.draft.signed_on.map(|d| d.to_string()).unwrap_or_default());
            ui.add(egui::Label::new(&x.draft.customer_name).wrap());
            ui.add(egui::Label::new(&x.draft.project).wrap());
            ui.label(x.draft.amount.yuan_display());
            if x.active {
                ui.label(RichText::new(&x.draft.contact).small().color(MUTED));
            } else {
                theme::badge(ui, "已撤出业绩库", ERROR_RED);
            }
            ui.end_row();
        }
    });
}

/// 招标编号, 采购人, the deadline with its countdown, the opening and the bond.
fn tender_ui(ui: &mut Ui, r: &BidReview) {
    let t = &r.tender;
    ui.horizontal_wrapped(|ui| {
        if !t.tender_no.is_empty() {
            ui.label(format!("招标编号 {}", t.tender_no));
        }
        if !t.purchaser.is_empty() {
            ui.label(format!("采购人 {}", t.purchaser));
        }
        if !t.lot.is_empty() {
            ui.label(&t.lot);
        }
    });
    ui.horizontal_wrapped(|ui| {
        match t.deadline {
            Some(d) => {
                ui.label(format!("投标截止 {}", local_time(d)));
                let left = d - r.now;
                let colour = if left <= chrono::Duration::zero() {
                    ERROR_RED
                } else if left < chrono::Duration::days(3) {
                    PENDING_AMBER
                } else {
                    OK_GREEN
                };
                theme::badge(ui, &countdown(d, r.now), colour);
            }
            None => {
                ui.label(RichText::new("未登记投标截止时间").color(PENDING_AMBER));
            }
        }
        if let Some(o) = t.opening {
            ui.label(RichText::new(format!("开标 {}", local_time(o))).color(MUTED));
        }
        match t.bond {
            Some(b) => {
                ui.label(format!("投标保证金 {}", b.yuan_display()));
                let paid = [r.bond.form.map(|f| f.label().to_string()), r.bond.paid_on.map(cn_date)];
                let how: Vec<String> = paid.into_iter().flatten().collect();
                if t.bond_paid {
                    theme::badge(ui, "已缴纳", OK_GREEN);
                    if !how.is_empty() {
                        ui.label(RichText::new(how.join(" · ")).color(MUTED));
                    }
                } else if r.bond.waiver.is_some() {
                    theme::badge(ui, "未缴纳（已准许发出）", PENDING_AMBER);
                } else {
                    theme::badge(ui, "未缴纳", ERROR_RED);
                }
            }
            None => {
                ui.label(RichText::new("无投标保证金").color(MUTED));
            }
        }
    });
}

/// What the cross-checks would stop at issue now, and what the reviewer should know.
fn problems_ui(ui: &mut Ui, r: &BidReview) {
    if let Some(w) = &r.bond.waiver {
        let text = format!("保证金未缴，销售部负责人已准许发出：{}（{} · {}）", w.reason, w.by, local_time(w.at));
        ui.add(egui::Label::new(RichText::new(text).color(PENDING_AMBER)).wrap());
    }
    for w in &r.warnings {
        ui.add(egui::Label::new(RichText::new(format!("提醒：{w}")).color(PENDING_AMBER)).wrap());
    }
    if r.problems.is_empty() {
        ui.label(
            RichText::new("✓ 校核通过：★条款均满足，应答与投标数据一致，金额一致，证书有效，截止时间未到。")
                .color(OK_GREEN),
        );
        return;
    }
    egui::Frame::group(ui.style()).stroke(egui::Stroke::new(1.0, ERROR_RED)).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(
            RichText::new(format!("校核发现 {} 处问题（用印发出时会被拒绝）：", r.problems.len()))
                .color(ERROR_RED)
                .strong(),
        );
        for p in &r.problems {
            ui.add(egui::Label::new(RichText::new(format!("· {p}")).color(ERROR_RED)).wrap());
        }
    });
}

/// Clause, ★, requirement (typed below it), what is offered, the deviation, what is wrong.
fn compliance_ui(ui: &mut Ui, r: &BidReview) {
    let width = ui.available_width();
    let req_w = ((width - 60.0 - 70.0 - 40.0) * 0.34).max(160.0);
    let offer_w = ((width - 60.0 - 70.0 - 40.0) * 0.33).max(140.0);
    let problem_w = ((width - 60.0 - 70.0 - 40.0) * 0.33).max(140.0);
    egui::Grid::new("review_compliance").striped(true).num_columns(5).spacing([10.0, 4.0]).show(ui, |ui| {
        for t in ["条款号", "招标要求", "投标响应", "偏离", "问题"] {
            ui.strong(t);
        }
        ui.end_row();
        for row in &r.rows {
            let no = RichText::new(&row.clause_no);
            ui.label(if row.starred { no.color(ERROR_RED).strong() } else { no }).on_hover_text(if row.starred {
                "★ 实质性条款：负偏离即废标"
            } else {
                ""
            });
            ui.vertical(|ui| {
                ui.set_max_width(req_w);
                ui.add(egui::Label::new(&row.requirement).wrap());
                if let Some(t) = &row.typed {
                    ui.label(RichText::new(format!("量化要求：{t}")).small().color(MUTED));
                }
            });
            ui.vertical(|ui| {
                ui.set_max_width(offer_w);
                ui.add(egui::Label::new(&row.offered).wrap());
                if row.typed.is_some() {
                    ui.label(RichText::new("由投标数据生成").small().color(MUTED));
                }
            });
            let dev = RichText::new(row.deviation.label());
            ui.label(match row.deviation {
                Deviation::Negative => dev.color(ERROR_RED).strong(),
                Deviation::Positive => dev.color(OK_GREEN),
                Deviation::None => dev,
            });
            ui.vertical(|ui| {
                ui.set_max_width(problem_w);
                for p in &row.problems {
                    ui.add(egui::Label::new(RichText::new(p).small().color(ERROR_RED)).wrap());
                }
            });
            ui.end_row();
        }
    });
}
