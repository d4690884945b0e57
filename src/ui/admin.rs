//! 公司信息 and 审批规则与标准条款: read by everyone, edited by the admin.

use std::path::PathBuf;

use egui::{RichText, Ui};
use rust_decimal::Decimal;

use super::legacy::Request;
use super::panel::Cx;
use super::widgets::{self, Toasts, text_area, text_field};
use crate::domain::company::{CompanyProfile, FieldError};
use crate::domain::document::Attachment;
use crate::domain::money::Money;
use crate::domain::policy::{ApprovalPolicy, CommercialTerms};
use crate::domain::record::Versioned;
use crate::domain::role::Permission;
use crate::service::{ImageSlot, ServiceError};

type Res<T> = Result<T, ServiceError>;

fn field<'a>(errors: &'a [FieldError], name: &str) -> Option<&'a str> {
    errors.iter().find(|e| e.field == name).map(|e| e.message.as_str())
}

/// Keeps the form's input and shows a save failure: field errors under the fields, anything
/// else (conflict, denial) as a toast and a line above the buttons.
fn save_failed(errors: &mut Vec<FieldError>, banner: &mut Option<String>, e: ServiceError, toasts: &mut Toasts) {
    match e {
        ServiceError::Invalid(list) => {
            toasts.error("有内容需要修改，请看各栏下方的提示。");
            *errors = list;
        }
        other => {
            toasts.error(other.to_string());
            *banner = Some(other.to_string());
        }
    }
}

#[derive(Default)]
pub struct CompanyPanel {
    loaded: Option<Versioned<CompanyProfile>>,
    form: CompanyProfile,
    errors: Vec<FieldError>,
    banner: Option<String>,
    logo: Option<Attachment>,
    seal: Option<Attachment>,
    image_path: [String; 2],
    confirm_remove: Option<ImageSlot>,
}

impl CompanyPanel {
    pub fn loaded(&mut self, v: Versioned<CompanyProfile>) {
        self.form = v.value.clone();
        self.loaded = Some(v);
        self.errors.clear();
        self.banner = None;
    }

    pub fn saved(&mut self, r: Res<Versioned<CompanyProfile>>, toasts: &mut Toasts) {
        match r {
            Ok(v) => {
                toasts.success("公司信息已保存。");
                self.loaded(v);
            }
            Err(e) => save_failed(&mut self.errors, &mut self.banner, e, toasts),
        }
    }

    pub fn image_saved(&mut self, slot: ImageSlot, r: Res<Versioned<CompanyProfile>>, toasts: &mut Toasts) {
        match r {
            Ok(v) => {
                toasts.success(format!("{}已更新。", slot.label()));
                // Keep the text the user may be typing; take only the new version and images.
                self.form.logo = v.value.logo;
                self.form.seal = v.value.seal;
                self.loaded = Some(v);
                self.image_path[slot as usize].clear();
            }
            Err(e) => toasts.error(e.to_string()),
        }
    }

    pub fn images(&mut self, r: Res<(Option<Attachment>, Option<Attachment>)>, toasts: &mut Toasts) {
        match r {
            Ok((logo, seal)) => {
                self.logo = logo;
                self.seal = seal;
            }
            Err(e) => toasts.error(e.to_string()),
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let editable = cx.actor.may(Permission::EditCompanyProfile);
        widgets::heading(ui, "公司信息", "打印在报价单、投标书抬头的公司资料。只有管理员可以修改。");
        let Some(loaded) = &self.loaded else {
            ui.add(egui::Spinner::new());
            return;
        };
        if !loaded.updated_by.is_empty() {
            ui.label(
                RichText::new(format!("最后修改：{}，{}", loaded.updated_by, loaded.updated_at))
                    .small()
                    .color(widgets::MUTED),
            );
        }
        let version = loaded.version;
        ui.add_enabled_ui(editable, |ui| {
            egui::Grid::new("company").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
                let e = &self.errors;
                let f = &mut self.form;
                text_field(ui, "公司名称", &mut f.name, field(e, "name"), false);
                text_field(ui, "地址", &mut f.address, field(e, "address"), false);
                text_field(ui, "电话", &mut f.phone, field(e, "phone"), false);
                text_field(ui, "传真", &mut f.fax, field(e, "fax"), false);
                text_field(ui, "电子邮箱", &mut f.email, field(e, "email"), false);
                text_field(ui, "网址", &mut f.website, field(e, "website"), false);
                text_field(ui, "开户银行", &mut f.bank_name, field(e, "bank_name"), false);
                text_field(ui, "银行账号", &mut f.bank_account, field(e, "bank_account"), false);
                text_field(ui, "统一社会信用代码", &mut f.credit_code, field(e, "credit_code"), false);
                text_field(ui, "法定代表人", &mut f.legal_representative, field(e, "legal_representative"), false);
            });
        });
        if let Some(b) = &self.banner {
            ui.label(RichText::new(b).color(widgets::ERROR_RED));
        }
        if editable {
            ui.horizontal(|ui| {
                if ui.add_enabled(!cx.busy, egui::Button::new("保存公司信息")).clicked() {
                    self.errors.clear();
                    self.banner = None;
                    cx.send(Request::SaveCompany { version, profile: self.form.clone() });
                }
                if ui.button("放弃修改").clicked()
                    && let Some(v) = self.loaded.clone()
                {
                    self.loaded(v);
                }
            });
        }
        ui.separator();
        self.image_ui(ui, cx, ImageSlot::Logo);
        ui.separator();
        self.image_ui(ui, cx, ImageSlot::Seal);
        self.confirm_remove_ui(ui, cx);
    }

    fn image_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, slot: ImageSlot) {
        let (current, may, hint) = match slot {
            ImageSlot::Logo => (&self.logo, cx.actor.may(Permission::EditCompanyProfile), "印在文件抬头左侧。"),
            ImageSlot::Seal => (
                &self.seal,
                cx.actor.may(Permission::ReplaceSeal),
                "只盖在已批准并用印发出的文件上；未上传时文件印“盖章处”方框，供加盖实体章。",
            ),
        };
        ui.label(RichText::new(slot.label()).strong());
        ui.label(RichText::new(hint).small().color(widgets::MUTED));
        match current {
            Some(a) => {
                let uri = format!("bytes://{}-{}", a.kind, a.sha256);
                ui.add(egui::Image::from_bytes(uri, a.bytes.clone()).max_height(110.0).max_width(220.0));
                ui.label(RichText::new(&a.file_name).small());
            }
            None => {
                ui.label(RichText::new("（未上传）").color(widgets::MUTED));
            }
        }
        if !may {
            return;
        }
        let idx = slot as usize;
        ui.horizontal(|ui| {
            let label = ui.label("图片文件");
            ui.add(
                egui::TextEdit::singleline(&mut self.image_path[idx])
                    .desired_width(300.0)
                    .hint_text("PNG 或 JPEG 文件路径"),
            )
            .labelled_by(label.id);
            if ui.button("选择…").clicked() {
                // Where no file dialog is available (no desktop portal) this returns None and the
                // path field above stays the way in.
                match rfd::FileDialog::new().add_filter("图片", &["png", "jpg", "jpeg"]).pick_file() {
                    Some(p) => self.image_path[idx] = p.display().to_string(),
                    None => log::info!("file dialog closed or unavailable"),
                }
            }
            let ready = !self.image_path[idx].trim().is_empty() && !cx.busy;
            if ui.add_enabled(ready, egui::Button::new(format!("上传{}", slot.label()))).clicked() {
                cx.send(Request::SetImage { slot, path: Some(PathBuf::from(self.image_path[idx].trim())) });
            }
            if current.is_some() && ui.button(format!("移除{}", slot.label())).clicked() {
                self.confirm_remove = Some(slot);
            }
        });
    }

    fn confirm_remove_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let Some(slot) = self.confirm_remove else { return };
        let modal = egui::Modal::new(egui::Id::unique("confirm_remove_image")).show(ui.ctx(), |ui| {
            ui.set_width(360.0);
            ui.heading(format!("移除{}？", slot.label()));
            ui.label("移除后，新打印的文件将不再带有该图片。已发出的文件不受影响。");
            ui.horizontal(|ui| {
                if ui.button("确认移除").clicked() {
                    cx.send(Request::SetImage { slot, path: None });
                    self.confirm_remove = None;
                }
                if ui.button("取消").clicked() {
                    self.confirm_remove = None;
                }
            });
        });
        if modal.should_close() {
            self.confirm_remove = None;
        }
    }
}

/// The policy and standard terms as the form edits them: text, parsed on save.
#[derive(Default, Clone)]
struct PolicyForm {
    threshold: String,
    prepay_tol: String,
    delivery_tol: String,
    warranty_tol: String,
    price_move: String,
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
        p
    }

    fn terms(&self, errors: &mut Vec<FieldError>) -> CommercialTerms {
        CommercialTerms {
            validity_days: whole(&self.validity, "validity", errors),
            delivery_days: whole(&self.delivery, "delivery", errors),
            prepayment_pct: percent(&self.prepay, "prepay", errors),
            payment_schedule: self.schedule.clone(),
            warranty_months: whole(&self.warranty, "warranty", errors),
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
    errors: Vec<FieldError>,
    banner: Option<String>,
}

impl PolicyPanel {
    pub fn loaded(&mut self, p: Versioned<ApprovalPolicy>, t: Versioned<CommercialTerms>) {
        self.form = PolicyForm::from(&p.value, &t.value);
        self.policy = Some(p);
        self.terms = Some(t);
        self.errors.clear();
        self.banner = None;
    }

    pub fn policy_saved(&mut self, r: Res<Versioned<ApprovalPolicy>>, toasts: &mut Toasts) {
        match r {
            Ok(v) => {
                toasts.success("审批规则已保存。");
                self.policy = Some(v);
            }
            Err(e) => save_failed(&mut self.errors, &mut self.banner, e, toasts),
        }
    }

    pub fn terms_saved(&mut self, r: Res<Versioned<CommercialTerms>>, toasts: &mut Toasts) {
        match r {
            Ok(v) => {
                toasts.success("标准商务条款已保存。");
                self.terms = Some(v);
            }
            Err(e) => save_failed(&mut self.errors, &mut self.banner, e, toasts),
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        widgets::heading(
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
                    field(e, "threshold").or(field(e, "policy")),
                    false,
                );
                text_field(ui, "预付款可低于标准（百分点）", &mut f.prepay_tol, field(e, "prepay_tol"), false);
                text_field(ui, "交货期可超出标准（天）", &mut f.delivery_tol, field(e, "delivery_tol"), false);
                text_field(ui, "质保期可短于标准（月）", &mut f.warranty_tol, field(e, "warranty_tol"), false);
                text_field(ui, "发出后单价变动超过（%）", &mut f.price_move, field(e, "price_move"), false);
            });
            ui.label(RichText::new("低于最低限价的报价行一律视为重大。").small().color(widgets::MUTED));
            ui.separator();
            ui.label(RichText::new("标准商务条款（新报价的默认值）").strong());
            egui::Grid::new("terms").num_columns(2).min_col_width(190.0).spacing([12.0, 8.0]).show(ui, |ui| {
                let f = &mut self.form;
                text_field(ui, "报价有效期（天）", &mut f.validity, field(e, "validity").or(field(e, "terms")), false);
                text_field(ui, "交货期（天）", &mut f.delivery, field(e, "delivery"), false);
                text_field(ui, "预付款比例（%）", &mut f.prepay, field(e, "prepay"), false);
                text_field(ui, "质保期（月）", &mut f.warranty, field(e, "warranty"), false);
                text_area(ui, "付款方式", &mut f.schedule, None);
                text_area(ui, "其他条款", &mut f.other, None);
            });
        });
        if let Some(b) = &self.banner {
            ui.label(RichText::new(b).color(widgets::ERROR_RED));
        }
        if editable && ui.add_enabled(!cx.busy, egui::Button::new("保存规则和条款")).clicked() {
            self.save(cx, pv, tv);
        }
    }

    fn save(&mut self, cx: &mut Cx<'_>, pv: i64, tv: i64) {
        let mut errors = Vec::new();
        let policy = self.form.policy(&mut errors);
        let terms = self.form.terms(&mut errors);
        self.banner = None;
        self.errors = errors;
        if !self.errors.is_empty() {
            return;
        }
        if self.policy.as_ref().is_some_and(|p| p.value != policy) {
            cx.send(Request::SavePolicy { version: pv, policy });
        }
        if self.terms.as_ref().is_some_and(|t| t.value != terms) {
            cx.send(Request::SaveTerms { version: tv, terms });
        }
    }
}
