//! 公司信息: the company profile printed on every quotation and bid, the logo and the seal image.
//! Read by everyone, edited by the admin (the seal by whoever may replace it).

use std::path::PathBuf;

use egui::{RichText, Ui};

use crate::domain::company::{CompanyProfile, Typeface};
use crate::domain::document::Attachment;
use crate::domain::record::Versioned;
use crate::domain::role::Permission;
use crate::domain::user::Gender;
use crate::service::ImageSlot;
use crate::ui::panel::{Cx, Panel};
use crate::ui::theme::{self, MUTED};
use crate::ui::widgets::{FormErrors, text_field};
use crate::ui::worker::{Reply, file_name, read_file};

/// The profile with its two images.
type Loaded = (Versioned<CompanyProfile>, Option<Attachment>, Option<Attachment>);

#[derive(Default)]
pub struct CompanyPanel {
    loaded: Option<Versioned<CompanyProfile>>,
    form: CompanyProfile,
    errors: FormErrors,
    logo: Option<Attachment>,
    seal: Option<Attachment>,
    image_path: [String; 2],
    /// The legal representative's 出生日期 as typed (YYYY-MM-DD; empty: from the ID number).
    birth: String,
    /// 成立时间 as typed (YYYY-MM-DD).
    founded: String,
    confirm_remove: Option<ImageSlot>,
    load: Reply<Loaded>,
    requested: bool,
    save: Reply<Versioned<CompanyProfile>>,
    /// An image replaced or removed: the profile's new version and the image now in the slot.
    image: Reply<(ImageSlot, Versioned<CompanyProfile>, Option<Attachment>)>,
}

impl CompanyPanel {
    fn loaded(&mut self, v: Versioned<CompanyProfile>) {
        self.form = v.value.clone();
        self.birth = v.value.legal_rep_birth.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
        self.founded = v.value.founded_on.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
        self.loaded = Some(v);
        self.errors.clear();
    }

    fn image_saved(&mut self, slot: ImageSlot, v: Versioned<CompanyProfile>, now: Option<Attachment>) {
        // Keep the text the user may be typing; take only the new version and images.
        self.form.logo = v.value.logo;
        self.form.seal = v.value.seal;
        self.loaded = Some(v);
        self.image_path[slot as usize].clear();
        match slot {
            ImageSlot::Logo => self.logo = now,
            ImageSlot::Seal => self.seal = now,
        }
    }
}

impl Panel for CompanyPanel {
    fn logic(&mut self, cx: &mut Cx<'_>) {
        match self.load.take() {
            Some(Ok((profile, logo, seal))) => {
                self.loaded(profile);
                (self.logo, self.seal) = (logo, seal);
            }
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.save.take() {
            Some(Ok(v)) => {
                cx.toasts.success("公司信息已保存。");
                self.loaded(v);
            }
            Some(Err(e)) => self.errors.refused(e, cx.toasts),
            None => {}
        }
        match self.image.take() {
            Some(Ok((slot, v, now))) => {
                cx.toasts.success(format!("{}已更新。", slot.label()));
                self.image_saved(slot, v, now);
            }
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if !std::mem::replace(&mut self.requested, true) {
            self.load = cx.ask(|svc, a| {
                let company = svc.settings(a)?.company;
                Ok((company, svc.company_image(a, ImageSlot::Logo)?, svc.company_image(a, ImageSlot::Seal)?))
            });
        }
        let editable = cx.actor.may(Permission::EditCompanyProfile);
        theme::heading(ui, "公司信息", "打印在报价单、投标书抬头的公司资料。只有管理员可以修改。");
        let Some(loaded) = &self.loaded else {
            ui.add(egui::Spinner::new());
            return;
        };
        if !loaded.updated_by.is_empty() {
            ui.label(
                RichText::new(format!("最后修改：{}，{}", loaded.updated_by, loaded.updated_at)).small().color(MUTED),
            );
        }
        let version = loaded.version;
        ui.add_enabled_ui(editable, |ui| {
            egui::Grid::new("company").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
                let e = &self.errors;
                let f = &mut self.form;
                text_field(ui, "公司名称", &mut f.name, e.field("name"), false);
                text_field(ui, "地址", &mut f.address, e.field("address"), false);
                text_field(ui, "电话", &mut f.phone, e.field("phone"), false);
                text_field(ui, "传真", &mut f.fax, e.field("fax"), false);
                text_field(ui, "电子邮箱", &mut f.email, e.field("email"), false);
                text_field(ui, "网址", &mut f.website, e.field("website"), false);
                text_field(ui, "开户银行", &mut f.bank_name, e.field("bank_name"), false);
                text_field(ui, "银行账号", &mut f.bank_account, e.field("bank_account"), false);
                text_field(ui, "统一社会信用代码", &mut f.credit_code, e.field("credit_code"), false);
                text_field(ui, "单位性质", &mut f.company_type, e.field("company_type"), false);
                text_field(ui, "成立时间", &mut self.founded, e.field("founded_on"), false);
                text_field(ui, "经营期限", &mut f.business_term, e.field("business_term"), false);
                text_field(ui, "法定代表人", &mut f.legal_representative, e.field("legal_representative"), false);
                ui.label("法定代表人性别");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut f.legal_rep_gender, None, "未填");
                    for g in Gender::ALL {
                        ui.radio_value(&mut f.legal_rep_gender, Some(g), g.label());
                    }
                    crate::ui::widgets::field_error(ui, e.field("legal_rep_gender"));
                });
                ui.end_row();
                text_field(ui, "法定代表人出生日期", &mut self.birth, e.field("legal_rep_birth"), false);
                for (label, face) in
                    [("报价单正文字体", &mut f.typefaces.quote), ("投标文件正文字体", &mut f.typefaces.bid)]
                {
                    ui.label(label);
                    ui.horizontal(|ui| {
                        for t in Typeface::ALL {
                            ui.radio_value(face, t, t.label());
                        }
                    });
                    ui.end_row();
                }
                text_field(ui, "法定代表人职务", &mut f.legal_rep_title, e.field("legal_rep_title"), false);
                text_field(ui, "法定代表人身份证号码", &mut f.legal_rep_id_number, e.field("legal_rep_id_number"), false);
            });
            ui.label(
                RichText::new("法定代表人的性别、出生日期、职务和身份证号码印在投标文件的“法定代表人身份证明”中；出生日期和性别可留空，按身份证号码填写。")
                    .small()
                    .color(MUTED),
            );
        });
        self.errors.banner_ui(ui);
        if editable {
            ui.horizontal(|ui| {
                if ui.add_enabled(!self.save.is_waiting(), egui::Button::new("保存公司信息")).clicked() {
                    self.errors.clear();
                    let mut profile = self.form.clone();
                    let mut bad = Vec::new();
                    profile.legal_rep_birth = typed_date(
                        &self.birth,
                        "legal_rep_birth",
                        "出生日期格式应为 1972-08-16，或留空按身份证号码填写",
                        &mut bad,
                    );
                    profile.founded_on =
                        typed_date(&self.founded, "founded_on", "成立时间格式应为 2012-03-15", &mut bad);
                    if !bad.is_empty() {
                        self.errors.set_fields(bad);
                        return;
                    }
                    self.save = cx.ask(move |svc, a| svc.update_company_profile(a, version, profile));
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
}

impl CompanyPanel {
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
        ui.label(theme::muted(hint));
        match current {
            Some(a) => {
                let uri = format!("bytes://{}-{}", a.kind, a.sha256);
                ui.add(egui::Image::from_bytes(uri, a.bytes.clone()).max_height(110.0).max_width(220.0));
                ui.label(RichText::new(&a.file_name).small());
            }
            None => {
                ui.label(RichText::new("（未上传）").color(MUTED));
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
            let ready = !self.image_path[idx].trim().is_empty() && !self.image.is_waiting();
            if ui.add_enabled(ready, egui::Button::new(format!("上传{}", slot.label()))).clicked() {
                self.image = set_image(cx, slot, Some(PathBuf::from(self.image_path[idx].trim())));
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
                    self.image = set_image(cx, slot, None);
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

/// Replaces (with the file at `path`, read on the worker) or removes the image in `slot`.
fn set_image(
    cx: &Cx<'_>,
    slot: ImageSlot,
    path: Option<PathBuf>,
) -> Reply<(ImageSlot, Versioned<CompanyProfile>, Option<Attachment>)> {
    cx.ask(move |svc, a| {
        let saved = match path {
            Some(path) => {
                let bytes = read_file(&path)?;
                svc.set_company_image(a, slot, Some((&file_name(&path), &bytes)))?
            }
            None => svc.set_company_image(a, slot, None)?,
        };
        Ok((slot, saved, svc.company_image(a, slot)?))
    })
}

/// A date typed as YYYY-MM-DD; empty is none; anything else is `message` under `field`.
fn typed_date(
    text: &str,
    field: &'static str,
    message: &str,
    bad: &mut Vec<crate::domain::company::FieldError>,
) -> Option<chrono::NaiveDate> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map_err(|_| bad.push(crate::domain::company::FieldError::new(field, message)))
        .ok()
}
