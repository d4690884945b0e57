//! 列入业绩库 on a signed contract's card (the head): what the 业绩表 will print — customer, project,
//! main products, category and the customer's contact, taken from the contract and reworded here;
//! the amount and signing date are the contract's. An entry can be withdrawn and listed again.

use egui::{RichText, Ui};

use crate::domain::company::FieldError;
use crate::domain::ids::ContractId;
use crate::domain::reference::{Reference, ReferenceDraft};
use crate::domain::role::Permission;
use crate::ui::panel::Cx;
use crate::ui::theme::{self, ERROR_RED, MUTED, OK_GREEN};
use crate::ui::widgets::{field_error, message_for};
use crate::ui::worker::Reply;

#[derive(Default)]
pub struct ReferenceSection {
    contract: Option<ContractId>,
    /// What listing would print, and the entry already listed.
    loaded: Option<(ReferenceDraft, Option<Reference>)>,
    loading: Reply<(ReferenceDraft, Option<Reference>)>,
    /// The form open (listing or rewording).
    form: Option<ReferenceDraft>,
    errors: Vec<FieldError>,
    saving: Reply<Reference>,
}

impl ReferenceSection {
    /// For the head, on a signed contract.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, contract: ContractId, signed: bool) {
        if !signed || !cx.actor.may(Permission::ManageReferences) {
            return;
        }
        if self.contract != Some(contract) {
            *self = ReferenceSection { contract: Some(contract), ..Default::default() };
        }
        match self.loading.take() {
            Some(Ok(x)) => self.loaded = Some(x),
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.saving.take() {
            Some(Ok(r)) => {
                let what = if r.active { "已列入业绩库" } else { "已撤出业绩库" };
                cx.toasts.success(format!("合同 {} {what}。", r.contract_number));
                self.form = None;
                self.errors.clear();
                if let Some((_, existing)) = &mut self.loaded {
                    *existing = Some(r);
                }
            }
            Some(Err(e)) => {
                cx.toasts.error(e.to_string());
                if let crate::service::ServiceError::Invalid(list) = e {
                    self.errors = list;
                }
            }
            None => {}
        }
        if self.loaded.is_none() && !self.loading.is_waiting() {
            self.loading = cx.ask_quietly(move |svc, a| svc.reference_draft(a, contract));
        }
        ui.add_space(6.0);
        let busy = self.saving.is_waiting();
        let Some((draft, existing)) = self.loaded.clone() else { return };
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("业绩库").strong());
            match &existing {
                Some(r) if r.active => {
                    theme::badge(ui, "已列入", OK_GREEN);
                    ui.label(RichText::new(format!("{}　{}", r.draft.project, r.draft.products)).small().color(MUTED));
                }
                Some(_) => theme::badge(ui, "已撤出", ERROR_RED),
                None => {
                    ui.label(RichText::new("未列入：列入后，编制投标的人可在业绩表中选用。").small().color(MUTED));
                }
            }
            if self.form.is_none() {
                match &existing {
                    None => {
                        if ui.add_enabled(!busy, egui::Button::new("列入业绩库…")).clicked() {
                            self.form = Some(draft.clone());
                        }
                    }
                    Some(r) => {
                        if ui.add_enabled(!busy, egui::Button::new("修改…")).clicked() {
                            self.form = Some(r.draft.clone());
                        }
                        let (text, active) = if r.active { ("撤出业绩库", false) } else { ("重新列入", true) };
                        if ui.add_enabled(!busy, egui::Button::new(text)).clicked() {
                            let (id, version, d) = (r.id, r.version, r.draft.clone());
                            self.saving = cx.ask(move |svc, a| svc.update_reference(a, id, version, d, active));
                        }
                    }
                }
            }
        });
        let Some(form) = &mut self.form else { return };
        let mut save = false;
        let mut cancel = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            egui::Grid::new("reference_form").num_columns(2).spacing([10.0, 4.0]).show(ui, |ui| {
                for (label, field, value) in [
                    ("用户名称", "customer_name", &mut form.customer_name),
                    ("项目名称", "project", &mut form.project),
                    ("主要供货内容", "products", &mut form.products),
                    ("产品类别", "category", &mut form.category),
                    ("用户联系人及电话", "contact", &mut form.contact),
                ] {
                    let l = ui.label(label);
                    ui.vertical(|ui| {
                        ui.add(egui::TextEdit::singleline(value).desired_width(420.0)).labelled_by(l.id);
                        field_error(ui, message_for(&self.errors, field));
                    });
                    ui.end_row();
                }
                ui.label(RichText::new("合同金额 / 签订日期").color(MUTED));
                let signed = form.signed_on.map(|d| d.to_string()).unwrap_or_default();
                ui.label(format!("{}　{signed}（以合同为准，不可修改）", form.amount.yuan_display()));
                ui.end_row();
            });
            ui.horizontal(|ui| {
                save = ui.add_enabled(!busy, egui::Button::new("保存")).clicked();
                cancel = ui.button("取消").clicked();
            });
        });
        if cancel {
            self.form = None;
            self.errors.clear();
        } else if save {
            let d = form.clone();
            self.saving = match existing {
                Some(r) => {
                    let (id, version, active) = (r.id, r.version, r.active);
                    cx.ask(move |svc, a| svc.update_reference(a, id, version, d, active))
                }
                None => cx.ask(move |svc, a| svc.add_reference(a, contract, d)),
            };
        }
    }
}
