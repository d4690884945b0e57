//! The bid builder's own section: which certificates (资质证书) the 投标书 attaches as its
//! qualification documents. A new bid starts with every certificate in force ticked; the builder
//! unticks what the tender does not ask for. Expired or retired ones are shown, marked, so a bid
//! that still carries one is fixed before the cross-checks stop it at issue. For the assistant,
//! an approved bid shows what those cross-checks find before 用印发出 is pressed. The 业绩表: the
//! references the bid lists, picked from the 业绩库 by category, years and text.

use egui::{RichText, Ui};

use super::lines::DraftEdit;
use crate::domain::certificate::Certificate;
use crate::domain::quote::{QuoteKind, QuoteStatus, Revision, RevisionStatus};
use crate::domain::reference::{Reference, ReferenceFilter};
use crate::domain::role::Permission;
use crate::service::QuoteView;
use crate::ui::documents::expiry_badge;
use crate::ui::panel::Cx;
use crate::ui::theme::{self, ERROR_RED, MUTED, OK_GREEN};
use crate::ui::worker::Reply;

/// The tick list, in the library's order; what is ticked is saved with the draft.
pub fn certificates_ui(ui: &mut Ui, cx: &Cx<'_>, d: &mut DraftEdit) {
    ui.add_space(6.0);
    ui.label(RichText::new(format!("资格证明文件（附 {} 份证书）", d.certificates.len())).strong());
    let library: &[Certificate] = &cx.certificates.library;
    if library.is_empty() {
        ui.label(RichText::new("证书库为空：请管理员在“资质证书”中添加营业执照、认证证书等。").small().color(MUTED));
        return;
    }
    // Attached ones the library no longer offers (retired) stay listed until unticked.
    let attached = d.certificates.clone();
    for c in library.iter().filter(|c| c.active || attached.contains(&c.id)) {
        let mut ticked = d.certificates.contains(&c.id);
        ui.horizontal(|ui| {
            if ui.checkbox(&mut ticked, &c.draft.name).changed() {
                if ticked {
                    d.certificates.push(c.id);
                    // Printed in the library's order, whatever order they were ticked in.
                    let order = |id| library.iter().position(|l| l.id == id).unwrap_or(usize::MAX);
                    d.certificates.sort_by_key(|id| order(*id));
                } else {
                    d.certificates.retain(|id| *id != c.id);
                }
            }
            let (text, colour) = expiry_badge(c, cx.today);
            theme::badge(ui, &text, colour);
            ui.label(
                RichText::new(format!("{}　有效期至 {}", c.draft.kind, c.draft.valid_until_text()))
                    .small()
                    .color(MUTED),
            );
        });
    }
    let stale = library
        .iter()
        .filter(|c| d.certificates.contains(&c.id))
        .filter(|c| !c.active || c.draft.expiry(cx.today).is_expired())
        .count();
    if stale > 0 {
        let text =
            format!("已勾选的证书中有 {stale} 份已过期或已停用，用印发出时会被拦下，请取消勾选或请管理员更新证书。");
        ui.label(RichText::new(text).small().color(ERROR_RED));
    }
}

/// 用印发出前校核: for the assistant, on a bid whose latest revision is approved, what the
/// cross-checks find now — all clear, or every problem that would stop issuing. `found`: the
/// service's answer for this revision, if it came. Returns true when the check should be asked
/// (not asked yet for this revision, or 重新校核).
pub fn checks_ui(
    ui: &mut Ui,
    cx: &Cx<'_>,
    v: &QuoteView,
    shown: &Revision,
    found: Option<&[String]>,
    asking: bool,
) -> bool {
    let latest = v.latest().is_some_and(|r| r.id == shown.id);
    let open = matches!(v.quote.status, QuoteStatus::Open | QuoteStatus::Issued | QuoteStatus::Negotiating);
    if v.quote.kind != QuoteKind::Bid
        || !latest
        || shown.status != RevisionStatus::Approved
        || !open
        || !cx.actor.may(Permission::IssueDocument)
    {
        return false;
    }
    let mut ask = false;
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new("用印发出前校核").strong());
        if ui.add_enabled(!asking, egui::Button::new("重新校核").small()).clicked() {
            ask = true;
        }
    });
    match found {
        None => {
            ask |= !asking;
            ui.add(egui::Spinner::new());
        }
        Some([]) => {
            let text = "✓ 校核通过：开标一览表、分项报价表与投标函金额一致，大写与小写相符，招标条款均已应答，所附证书均在有效期内，投标截止时间未到。";
            ui.label(RichText::new(text).color(OK_GREEN));
        }
        Some(problems) => {
            ui.label(RichText::new(format!("有 {} 处问题，用印发出将被拒绝：", problems.len())).color(ERROR_RED));
            for p in problems {
                ui.label(RichText::new(format!("· {p}")).color(ERROR_RED));
            }
        }
    }
    ask
}

/// The 业绩表 picker: the 业绩库 read once when first shown, filtered; ticking lists a reference.
#[derive(Default)]
pub struct ReferencePicker {
    library: Option<Result<Vec<Reference>, String>>,
    loading: Reply<Vec<Reference>>,
    filter: ReferenceFilter,
}

impl ReferencePicker {
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, d: &mut DraftEdit) {
        match self.loading.take() {
            Some(Ok(list)) => self.library = Some(Ok(list)),
            Some(Err(e)) => self.library = Some(Err(e.to_string())),
            None => {}
        }
        if self.library.is_none() && !self.loading.is_waiting() {
            self.loading = cx.ask_quietly(|svc, a| svc.references(a));
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("业绩表（已列 {} 项）", d.references.len())).strong());
            if ui.small_button("刷新业绩库").clicked() && !self.loading.is_waiting() {
                self.loading = cx.ask_quietly(|svc, a| svc.references(a));
            }
        });
        let library = match &self.library {
            None => {
                ui.add(egui::Spinner::new());
                return;
            }
            Some(Err(e)) => {
                ui.label(RichText::new(e).small().color(ERROR_RED));
                return;
            }
            Some(Ok(list)) => list,
        };
        if library.is_empty() {
            ui.label(
                RichText::new("业绩库为空：请销售部负责人在合同卡片上把已签合同“列入业绩库”。").small().color(MUTED),
            );
            return;
        }
        let mut categories: Vec<&str> =
            library.iter().map(|r| r.draft.category.as_str()).filter(|c| !c.is_empty()).collect();
        categories.sort_unstable();
        categories.dedup();
        ui.horizontal_wrapped(|ui| {
            let l = ui.label("类别");
            let shown = if self.filter.category.is_empty() { "全部" } else { self.filter.category.as_str() };
            egui::ComboBox::from_id_salt("reference_category")
                .selected_text(shown.to_string())
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.category, String::new(), "全部");
                    for c in &categories {
                        ui.selectable_value(&mut self.filter.category, c.to_string(), *c);
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label("签订时间");
            let years = |y: Option<u32>| y.map_or("不限".to_string(), |y| format!("近{y}年"));
            egui::ComboBox::from_id_salt("reference_years")
                .selected_text(years(self.filter.years))
                .show_ui(ui, |ui| {
                    for y in [None, Some(1), Some(2), Some(3), Some(5)] {
                        ui.selectable_value(&mut self.filter.years, y, years(y));
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label("查找");
            ui.add(
                egui::TextEdit::singleline(&mut self.filter.text).desired_width(140.0).hint_text("用户、项目或产品"),
            )
            .labelled_by(l.id);
        });
        // What is listed first (in print order), then what the filter finds.
        let listed: Vec<&Reference> =
            d.references.iter().filter_map(|id| library.iter().find(|r| r.id == *id)).collect();
        let found: Vec<&Reference> =
            library.iter().filter(|r| !d.references.contains(&r.id) && self.filter.matches(r, cx.today)).collect();
        egui::Grid::new("bid_references").striped(true).num_columns(5).spacing([8.0, 3.0]).show(ui, |ui| {
            for r in listed.iter().chain(found.iter()) {
                let mut ticked = d.references.contains(&r.id);
                let name = format!("{}　{}", r.draft.customer_name, r.draft.project);
                if ui.checkbox(&mut ticked, name).changed() {
                    if ticked {
                        d.references.push(r.id);
                    } else {
                        d.references.retain(|id| *id != r.id);
                    }
                }
                ui.label(RichText::new(&r.draft.products).small());
                ui.label(r.draft.amount.yuan_display());
                ui.label(r.draft.signed_on.map(|s| s.to_string()).unwrap_or_default());
                if r.active {
                    ui.label(RichText::new(&r.draft.category).small().color(MUTED));
                } else {
                    theme::badge(ui, "已撤出业绩库", ERROR_RED);
                }
                ui.end_row();
            }
        });
        if found.is_empty() && !library.is_empty() {
            ui.label(RichText::new("没有符合条件的其他业绩。").small().color(MUTED));
        }
    }
}
