//! 审批规则与标准商务条款: when a quote, bid or contract is major (and goes to company
//! leadership after the head), and the terms every new quote starts from. Read by everyone,
//! edited by the admin.

use egui::{RichText, Ui};
use rust_decimal::Decimal;

use crate::domain::company::FieldError;
use crate::domain::contract_template::ContractTemplate;
use crate::domain::money::Money;
use crate::domain::policy::{ApprovalPolicy, CommercialTerms};
use crate::domain::record::Versioned;
use crate::domain::role::Permission;
use crate::ui::panel::{Cx, Panel};
use crate::ui::theme;
use crate::ui::widgets::{FormErrors, text_area, text_field};
use crate::ui::worker::Reply;

/// The policy and standard terms as the form edits them: text, parsed on save.
#[derive(Default, Clone)]
struct PolicyForm {
    threshold: String,
    prepay_tol: String,
    delivery_tol: String,
    warranty_tol: String,
    price_move: String,
    bond_days: String,
    validity: String,
    delivery: String,
    prepay: String,
    schedule: String,
    warranty: String,
    other: String,
}

impl PolicyForm {
    fn from(p: &ApprovalPolicy, t: &CommercialTerms) -> Self {
        PolicyForm {
            threshold: p.major_threshold.to_plain_string(),
            prepay_tol: p.prepayment_tolerance_pct.normalize().to_string(),
            delivery_tol: p.delivery_tolerance_days.to_string(),
            warranty_tol: p.warranty_tolerance_months.to_string(),
            price_move: p.price_move_pct.normalize().to_string(),
            bond_days: p.bond_warning_days.to_string(),
            validity: t.validity_days.to_string(),
            delivery: t.delivery_days.to_string(),
            prepay: t.prepayment_pct.normalize().to_string(),
            schedule: t.payment_schedule.clone(),
            warranty: t.warranty_months.to_string(),
            other: t.other.clone(),
        }
    }

    fn policy(&self, errors: &mut Vec<FieldError>) -> ApprovalPolicy {
        let mut p = ApprovalPolicy::default();
        match Money::parse(&self.threshold) {
            Ok(m) => p.major_threshold = m,
            Err(e) => errors.push(FieldError::new("threshold", e.to_string())),
        }
        p.prepayment_tolerance_pct = percent(&self.prepay_tol, "prepay_tol", errors);
        p.delivery_tolerance_days = whole(&self.delivery_tol, "delivery_tol", errors);
        p.warranty_tolerance_months = whole(&self.warranty_tol, "warranty_tol", errors);
        p.price_move_pct = percent(&self.price_move, "price_move", errors);
        p.bond_warning_days = whole(&self.bond_days, "bond_days", errors);
        p
    }

    fn terms(&self, errors: &mut Vec<FieldError>) -> CommercialTerms {
        CommercialTerms {
            validity_days: whole(&self.validity, "validity", errors),
            delivery_days: whole(&self.delivery, "delivery", errors),
            prepayment_pct: percent(&self.prepay, "prepay", errors),
            payment_schedule: self.schedule.clone(),
            warranty_months: whole(&self.warranty, "warranty", errors),
            delivery_place: String::new(),
            other: self.other.clone(),
        }
    }
}

fn whole(text: &str, name: &'static str, errors: &mut Vec<FieldError>) -> u32 {
    text.trim().parse().unwrap_or_else(|_| {
        errors.push(FieldError::new(name, "请输入不小于0的整数"));
        0
    })
}

fn percent(text: &str, name: &'static str, errors: &mut Vec<FieldError>) -> Decimal {
    match text.trim().trim_end_matches('%').parse::<Decimal>() {
        Ok(d) if d >= Decimal::ZERO && d <= Decimal::from(100) => d,
        _ => {
            errors.push(FieldError::new(name, "请输入0到100之间的百分数"));
            Decimal::ZERO
        }
    }
}

#[derive(Default)]
pub struct PolicyPanel {
    policy: Option<Versioned<ApprovalPolicy>>,
    terms: Option<Versioned<CommercialTerms>>,
    form: PolicyForm,
    errors: FormErrors,
    load: Reply<(Versioned<ApprovalPolicy>, Versioned<CommercialTerms>)>,
    requested: bool,
    save_policy: Reply<Versioned<ApprovalPolicy>>,
    save_terms: Reply<Versioned<CommercialTerms>>,
    /// 合同模板: what every 销售合同 prints besides its own data; edited as a copy.
    template: Option<Versioned<ContractTemplate>>,
    template_form: ContractTemplate,
    template_errors: FormErrors,
    load_template: Reply<Versioned<ContractTemplate>>,
    save_template: Reply<Versioned<ContractTemplate>>,
}

impl PolicyPanel {
    fn loaded(&mut self, p: Versioned<ApprovalPolicy>, t: Versioned<CommercialTerms>) {
        self.form = PolicyForm::from(&p.value, &t.value);
        self.policy = Some(p);
        self.terms = Some(t);
        self.errors.clear();
    }
}

impl Panel for PolicyPanel {
    fn logic(&mut self, cx: &mut Cx<'_>) {
        match self.load.take() {
            Some(Ok((p, t))) => self.loaded(p, t),
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.save_policy.take() {
            Some(Ok(v)) => {
                cx.toasts.success("审批规则已保存。");
                self.policy = Some(v);
            }
            Some(Err(e)) => self.errors.refused(e, cx.toasts),
            None => {}
        }
        match self.save_terms.take() {
            Some(Ok(v)) => {
                cx.toasts.success("标准商务条款已保存。");
                self.terms = Some(v);
            }
            Some(Err(e)) => self.errors.refused(e, cx.toasts),
            None => {}
        }
        match self.load_template.take().or_else(|| self.save_template.take()) {
            Some(Ok(t)) => {
                if self.template.is_some() {
                    cx.toasts.success("合同模板已保存，之后打印的合同按新模板排版（已用印发出的合同不变）。");
                }
                self.template_form = t.value.clone();
                self.template = Some(t);
                self.template_errors.clear();
            }
            Some(Err(e)) => self.template_errors.refused(e, cx.toasts),
            None => {}
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if !std::mem::replace(&mut self.requested, true) {
            self.load = cx.ask(|svc, a| svc.settings(a).map(|b| (b.policy, b.terms)));
            self.load_template = cx.ask(|svc, a| svc.contract_template(a));
        }
        theme::heading(
            ui,
            "审批规则与标准商务条款",
            "报价、投标和合同达到下列任一条件即为“重大”，须在销售部负责人之后再经公司领导审批。",
        );
        let (Some(policy), Some(terms)) = (&self.policy, &self.terms) else {
            ui.add(egui::Spinner::new());
            return;
        };
        let (pv, tv) = (policy.version, terms.version);
        let editable = cx.actor.may(Permission::EditPolicyAndTerms);
        let e = &self.errors;
        ui.add_enabled_ui(editable, |ui| {
            ui.label(RichText::new("审批规则").strong());
            egui::Grid::new("policy").num_columns(2).min_col_width(190.0).spacing([12.0, 8.0]).show(ui, |ui| {
                let f = &mut self.form;
                text_field(
                    ui,
                    "重大金额门槛（元）",
                    &mut f.threshold,
                    e.field("threshold").or(e.field("policy")),
                    false,
                );
                text_field(ui, "预付款可低于标准（百分点）", &mut f.prepay_tol, e.field("prepay_tol"), false);
                text_field(ui, "交货期可超出标准（天）", &mut f.delivery_tol, e.field("delivery_tol"), false);
                text_field(ui, "质保期可短于标准（月）", &mut f.warranty_tol, e.field("warranty_tol"), false);
                text_field(ui, "发出后单价变动超过（%）", &mut f.price_move, e.field("price_move"), false);
                text_field(ui, "保证金提醒：截止前（天）", &mut f.bond_days, e.field("bond_days"), false);
            });
            ui.label(theme::muted("低于最低限价的报价行一律视为重大。"));
            ui.label(theme::muted(
                "投标截止前上述天数内保证金仍未缴纳：提交审批时提醒，用印发出时拒绝（销售部负责人可写明理由后准许）。",
            ));
            ui.separator();
            ui.label(RichText::new("标准商务条款（新报价的默认值）").strong());
            egui::Grid::new("terms").num_columns(2).min_col_width(190.0).spacing([12.0, 8.0]).show(ui, |ui| {
                let f = &mut self.form;
                text_field(ui, "报价有效期（天）", &mut f.validity, e.field("validity").or(e.field("terms")), false);
                text_field(ui, "交货期（天）", &mut f.delivery, e.field("delivery"), false);
                text_field(ui, "预付款比例（%）", &mut f.prepay, e.field("prepay"), false);
                text_field(ui, "质保期（月）", &mut f.warranty, e.field("warranty"), false);
                text_area(ui, "付款方式", &mut f.schedule, None);
                text_area(ui, "其他条款", &mut f.other, None);
            });
        });
        self.errors.banner_ui(ui);
        let saving = self.save_policy.is_waiting() || self.save_terms.is_waiting();
        if editable && ui.add_enabled(!saving, egui::Button::new("保存规则和条款")).clicked() {
            self.save(cx, pv, tv);
        }
        ui.separator();
        self.template_ui(ui, cx, editable);
    }
}

impl PolicyPanel {
    /// 合同模板: the title, where contracts are signed and the standard clauses.
    fn template_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, editable: bool) {
        ui.label(RichText::new("合同模板（销售合同的标题和标准条款）").strong());
        ui.label(theme::muted(
            "产品明细、交货期与交货地点、付款方式、质保期由每份合同自己的内容生成；下列条款原样印在每份合同上。",
        ));
        let Some(version) = self.template.as_ref().map(|t| t.version) else {
            ui.add(egui::Spinner::new());
            return;
        };
        let e = &self.template_errors;
        ui.add_enabled_ui(editable, |ui| {
            egui::Grid::new("contract_template").num_columns(2).min_col_width(190.0).spacing([12.0, 8.0]).show(
                ui,
                |ui| {
                    let f = &mut self.template_form;
                    text_field(ui, "合同标题", &mut f.title, e.field("title"), false);
                    text_field(ui, "签订地点", &mut f.sign_place, e.field("sign_place"), false);
                    text_area(ui, "质量要求", &mut f.quality, e.field("quality"));
                    text_area(ui, "包装、运输及费用", &mut f.packing, e.field("packing"));
                    text_area(ui, "验收", &mut f.acceptance, e.field("acceptance"));
                    text_area(ui, "违约责任", &mut f.liability, e.field("liability"));
                    text_area(ui, "争议解决", &mut f.disputes, e.field("disputes"));
                    text_area(ui, "其他（份数、生效）", &mut f.other, e.field("other"));
                },
            );
        });
        self.template_errors.banner_ui(ui);
        if editable {
            ui.horizontal(|ui| {
                let changed = self.template.as_ref().is_some_and(|t| t.value != self.template_form);
                if ui
                    .add_enabled(changed && !self.save_template.is_waiting(), egui::Button::new("保存合同模板"))
                    .clicked()
                {
                    let t = self.template_form.clone();
                    self.save_template = cx.ask(move |svc, a| svc.update_contract_template(a, version, t));
                }
                if ui.add_enabled(changed, egui::Button::new("撤销修改")).clicked()
                    && let Some(t) = &self.template
                {
                    self.template_form = t.value.clone();
                    self.template_errors.clear();
                }
                if ui.button("恢复默认条款").on_hover_text("填入内置的标准条款，保存后生效").clicked()
                {
                    self.template_form = ContractTemplate::default();
                }
            });
        }
    }
}

impl PolicyPanel {
    fn save(&mut self, cx: &mut Cx<'_>, pv: i64, tv: i64) {
        let mut errors = Vec::new();
        let policy = self.form.policy(&mut errors);
        let terms = self.form.terms(&mut errors);
        self.errors.set_fields(errors);
        if !self.errors.is_empty() {
            return;
        }
        if self.policy.as_ref().is_some_and(|p| p.value != policy) {
            self.save_policy = cx.ask(move |svc, a| svc.update_approval_policy(a, pv, policy));
        }
        if self.terms.as_ref().is_some_and(|t| t.value != terms) {
            self.save_terms = cx.ask(move |svc, a| svc.update_standard_terms(a, tv, terms));
        }
    }
}
