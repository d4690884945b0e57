//! 资质证书: the certificate library the admin keeps (add, correct, replace the scan when renewed,
//! retire), each with an expiry badge (已过期 red, 30 天内到期 amber), and the after-sales commitment
//! template (售后服务承诺) printed in every bid. Everyone who builds bids reads both; the bid
//! builder ticks certificates from the same list (`quotes/bid.rs`, through `Cx::certificates`).
//! A picked scan is read on the worker, never on the window's thread.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use egui::{Color32, RichText, Ui};

use crate::domain::bid::{AFTER_SALES_PLACEHOLDERS, AfterSalesTemplate};
use crate::domain::certificate::{Certificate, CertificateDraft, Expiry, KINDS};
use crate::domain::company::FieldError;
use crate::domain::document::Attachment;
use crate::domain::ids::CertificateId;
use crate::domain::record::Versioned;
use crate::domain::role::Permission;
use crate::service::ServiceError;
use crate::ui::panel::{Cx, Event, Panel};
use crate::ui::theme::{self, ERROR_RED, MUTED, OK_GREEN, PENDING_AMBER};
use crate::ui::widgets::{date_field, dated_field, field_error, message_for, text_field};
use crate::ui::worker::{Reply, Res, file_name, read_file};

/// The library as the panel and the bid builder show it.
#[derive(Debug, Clone)]
pub struct Library {
    pub certificates: Vec<Certificate>,
    pub template: Versioned<AfterSalesTemplate>,
}

/// What the bid builder reads: the library.
#[derive(Debug, Clone, Default)]
pub struct Shared {
    pub library: Vec<Certificate>,
}

/// The scan's file, read like every other file the window hands the worker; a file that cannot be
/// read is shown under the form's scan field.
fn read_scan(path: &std::path::Path) -> Res<(String, Vec<u8>)> {
    let bytes = read_file(path).map_err(|e| ServiceError::invalid("scan", e.to_string()))?;
    Ok((file_name(path), bytes))
}

/// The badge of a certificate on `today`: text and colour.
pub fn expiry_badge(c: &Certificate, today: NaiveDate) -> (String, Color32) {
    if !c.active {
        return ("已停用".into(), MUTED);
    }
    let e = c.draft.expiry(today);
    let colour = match e {
        Expiry::Expired(_) => ERROR_RED,
        Expiry::Soon(_) => PENDING_AMBER,
        Expiry::Valid | Expiry::Permanent => OK_GREEN,
    };
    (e.badge(), colour)
}

/// The form for one certificate, as typed.
#[derive(Default, Clone)]
struct CertForm {
    id: Option<CertificateId>,
    version: i64,
    name: String,
    kind: String,
    number: String,
    issuer: String,
    valid_from: String,
    valid_until: String,
    permanent: bool,
    /// 适用产品, separated by 、 , ; or new lines.
    covers: String,
    path: String,
}

fn date_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

impl CertForm {
    fn of(c: &Certificate) -> Self {
        let d = &c.draft;
        CertForm {
            id: Some(c.id),
            version: c.version,
            name: d.name.clone(),
            kind: d.kind.clone(),
            number: d.number.clone(),
            issuer: d.issuer.clone(),
            valid_from: date_text(d.valid_from),
            valid_until: date_text(d.valid_until),
            permanent: d.valid_until.is_none(),
            covers: d.covers.join("、"),
            path: String::new(),
        }
    }

    /// The draft, or one message per box that cannot be read.
    fn draft(&self) -> Result<CertificateDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut date = |text: &str, field: &'static str| {
            let t = text.trim();
            if t.is_empty() {
                return None;
            }
            // As people type dates: 2026-6-30, 2026/6/30, 2026年6月30日.
            match crate::domain::dates::parse_day(t, chrono::Local::now().date_naive()) {
                Some(d) => Some(d),
                None => {
                    errors.push(FieldError::new(field, "日期格式应为 2026-06-30"));
                    None
                }
            }
        };
        let valid_from = date(&self.valid_from, "valid_from");
        let valid_until = if self.permanent { None } else { date(&self.valid_until, "valid_until") };
        if !self.permanent && self.valid_until.trim().is_empty() {
            errors.push(FieldError::new("valid_until", "请填写有效期至，或勾选“长期有效”"));
        }
        if self.id.is_none() && self.path.trim().is_empty() {
            errors.push(FieldError::new("scan", "请选择证书扫描件（PNG 或 JPEG）"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(CertificateDraft {
            name: self.name.clone(),
            kind: self.kind.clone(),
            number: self.number.clone(),
            issuer: self.issuer.clone(),
            valid_from,
            valid_until,
            covers: self
                .covers
                .split(['、', ',', '，', ';', '；', '\n'])
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect(),
        })
    }
}

#[derive(Default)]
pub struct CertificatesPanel {
    shared: Arc<Shared>,
    template: Option<Versioned<AfterSalesTemplate>>,
    template_text: String,
    template_error: Option<String>,
    form: Option<CertForm>,
    errors: Vec<FieldError>,
    banner: Option<String>,
    /// The certificate whose scan is shown, and the scan once loaded.
    shown: Option<CertificateId>,
    image: Option<(CertificateId, Attachment)>,
    show_retired: bool,
    requested: bool,
    loading: Reply<Library>,
    loading_image: Reply<(CertificateId, Attachment)>,
    /// A certificate saved, with the library as it now is.
    saving: Reply<(Certificate, Vec<Certificate>)>,
    saving_template: Reply<Versioned<AfterSalesTemplate>>,
}

/// What the form's 保存 asks for.
enum FormAnswer {
    /// Problems found before asking the service (dates, no scan).
    Problems(Vec<FieldError>),
    Save {
        id: Option<CertificateId>,
        version: i64,
        draft: CertificateDraft,
        path: Option<PathBuf>,
    },
}

impl CertificatesPanel {
    /// The library and the checks (shared with the bid builder through `Cx`).
    pub fn library(&self) -> Arc<Shared> {
        Arc::clone(&self.shared)
    }

    fn set_library(&mut self, certificates: Vec<Certificate>) {
        self.shared = Arc::new(Shared { library: certificates });
    }

    fn load(&mut self, cx: &Cx<'_>) {
        self.loading = cx.ask_quietly(|svc, a| {
            Ok(Library { certificates: svc.certificates(a)?, template: svc.after_sales_template(a)? })
        });
    }

    fn save(
        &mut self,
        cx: &Cx<'_>,
        id: Option<CertificateId>,
        version: i64,
        draft: CertificateDraft,
        path: Option<PathBuf>,
    ) {
        self.saving = cx.ask(move |svc, a| {
            let saved = match (id, path) {
                (Some(id), Some(p)) => {
                    let (name, bytes) = read_scan(&p)?;
                    svc.update_certificate(a, id, version, draft, Some((&name, &bytes)))?
                }
                (Some(id), None) => svc.update_certificate(a, id, version, draft, None)?,
                (None, Some(p)) => {
                    let (name, bytes) = read_scan(&p)?;
                    svc.add_certificate(a, draft, (&name, &bytes))?
                }
                (None, None) => return Err(ServiceError::invalid("scan", "请选择证书扫描件（PNG 或 JPEG）")),
            };
            Ok((saved, svc.certificates(a)?))
        });
    }

    fn set_active(&mut self, cx: &Cx<'_>, id: CertificateId, version: i64, active: bool) {
        self.saving =
            cx.ask(move |svc, a| Ok((svc.set_certificate_active(a, id, version, active)?, svc.certificates(a)?)));
    }
}

impl Panel for CertificatesPanel {
    fn logic(&mut self, cx: &mut Cx<'_>) {
        // The bid builder reads the library: loaded at sign-in, whether this panel is shown or not.
        if !std::mem::replace(&mut self.requested, true) {
            self.load(cx);
        }
        match self.loading.take() {
            Some(Ok(l)) => {
                self.set_library(l.certificates);
                self.template_text = l.template.value.text.clone();
                self.template = Some(l.template);
            }
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.loading_image.take() {
            Some(Ok((id, a))) => self.image = Some((id, a)),
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.saving.take() {
            Some(Ok((c, all))) => {
                cx.toasts.success(format!("资质证书“{}”已保存。", c.draft.name));
                self.set_library(all);
                self.form = None;
                self.errors.clear();
                self.banner = None;
                if self.shown == Some(c.id) {
                    self.image = None;
                }
            }
            Some(Err(e)) => {
                cx.toasts.error(e.to_string());
                match e {
                    ServiceError::Invalid(list) => self.errors = list,
                    other => self.banner = Some(other.to_string()),
                }
            }
            None => {}
        }
        match self.saving_template.take() {
            Some(Ok(t)) => {
                cx.toasts.success("售后服务承诺已保存。");
                self.template_text = t.value.text.clone();
                self.template = Some(t);
                self.template_error = None;
            }
            Some(Err(e)) => {
                cx.toasts.error(e.to_string());
                self.template_error = Some(e.field_message("after_sales").unwrap_or(&e.to_string()).to_string());
            }
            None => {}
        }
    }

    fn on_event(&mut self, event: &Event, cx: &mut Cx<'_>) {
        if matches!(event, Event::OfficeChanged) && !self.loading.is_waiting() {
            self.load(cx);
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let admin = cx.actor.may(Permission::ManageCertificates);
        theme::heading(
            ui,
            "资质证书",
            "投标书所附的资格证明文件（营业执照、体系认证证书、检测报告等）。管理员维护；编制投标时勾选要附上的证书。",
        );
        ui.horizontal(|ui| {
            if admin && ui.button("＋ 新增证书").clicked() {
                self.form = Some(CertForm { kind: KINDS[0].into(), ..Default::default() });
                self.errors.clear();
                self.banner = None;
            }
            ui.checkbox(&mut self.show_retired, "显示已停用的证书");
            if ui.button("刷新").clicked() {
                self.load(cx);
            }
        });
        ui.add_space(4.0);
        self.table_ui(ui, cx, admin);
        if let Some(form) = self.form.as_mut() {
            ui.separator();
            match form_ui(ui, form, &self.errors, self.banner.as_deref(), self.saving.is_waiting()) {
                Some(FormAnswer::Problems(local)) => self.errors = local,
                Some(FormAnswer::Save { id, version, draft, path }) => {
                    self.errors.clear();
                    self.save(cx, id, version, draft, path);
                }
                None => {}
            }
            if ui.button("取消").clicked() {
                self.form = None;
                self.errors.clear();
            }
        }
        self.scan_ui(ui, cx);
        ui.separator();
        self.template_ui(ui, cx, admin);
    }
}

impl CertificatesPanel {
    fn table_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, admin: bool) {
        let shared = Arc::clone(&self.shared);
        let shown: Vec<&Certificate> = shared.library.iter().filter(|c| c.active || self.show_retired).collect();
        if shown.is_empty() {
            ui.label(RichText::new("（证书库还是空的）").color(MUTED));
            return;
        }
        egui::Grid::new("certificates").striped(true).num_columns(5).spacing([14.0, 6.0]).show(ui, |ui| {
            for title in ["证书名称（编号 · 发证机关）", "类别", "有效期至", "状态", ""] {
                ui.label(RichText::new(title).strong());
            }
            ui.end_row();
            for c in shown {
                let d = &c.draft;
                ui.vertical(|ui| {
                    ui.label(&d.name);
                    let facts: Vec<&str> =
                        [d.number.as_str(), d.issuer.as_str()].into_iter().filter(|t| !t.is_empty()).collect();
                    ui.label(RichText::new(facts.join(" · ")).small().color(MUTED));
                    if !d.covers.is_empty() {
                        ui.label(RichText::new(format!("适用：{}", d.covers.join("、"))).small().color(MUTED));
                    }
                });
                ui.label(&d.kind);
                ui.label(d.valid_until_text());
                let (text, colour) = expiry_badge(c, cx.today);
                theme::badge(ui, &text, colour);
                ui.horizontal(|ui| {
                    if ui.small_button("查看扫描件").clicked() {
                        self.shown = Some(c.id);
                        if self.image.as_ref().is_none_or(|(id, _)| *id != c.id) {
                            let id = c.id;
                            self.loading_image = cx.ask(move |svc, a| Ok((id, svc.certificate_image(a, id)?)));
                        }
                    }
                    if admin {
                        if ui.small_button("修改").clicked() {
                            self.form = Some(CertForm::of(c));
                            self.errors.clear();
                            self.banner = None;
                        }
                        let (label, active) = if c.active { ("停用", false) } else { ("恢复", true) };
                        if ui.add_enabled(!self.saving.is_waiting(), egui::Button::new(label).small()).clicked() {
                            self.set_active(cx, c.id, c.version, active);
                        }
                    }
                });
                ui.end_row();
            }
        });
    }

    fn scan_ui(&mut self, ui: &mut Ui, _cx: &mut Cx<'_>) {
        let Some(id) = self.shown else { return };
        ui.separator();
        let name = self.shared.library.iter().find(|c| c.id == id).map(|c| c.draft.name.clone()).unwrap_or_default();
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("扫描件：{name}")).strong());
            if ui.small_button("关闭").clicked() || crate::ui::widgets::escape_closes(ui) {
                self.shown = None;
            }
        });
        match &self.image {
            Some((shown, a)) if *shown == id => {
                let uri = format!("bytes://certificate-{}", a.sha256);
                ui.add(egui::Image::from_bytes(uri, a.bytes.clone()).max_height(360.0).max_width(260.0));
            }
            _ => {
                ui.add(egui::Spinner::new());
            }
        }
    }

    fn template_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, admin: bool) {
        ui.label(RichText::new("售后服务承诺（投标书第七部分）").strong());
        ui.label(
            RichText::new(format!(
                "每个投标书打印时填入各自的内容，可用的占位符：{}。每行一段。",
                AFTER_SALES_PLACEHOLDERS.join(" ")
            ))
            .small()
            .color(MUTED),
        );
        let Some(t) = &self.template else {
            ui.add(egui::Spinner::new());
            return;
        };
        let version = t.version;
        if !t.updated_by.is_empty() {
            ui.label(RichText::new(format!("最后修改：{}，{}", t.updated_by, t.updated_at)).small().color(MUTED));
        }
        let label = ui.label("承诺内容");
        ui.add_enabled(
            admin,
            egui::TextEdit::multiline(&mut self.template_text).desired_rows(10).desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        field_error(ui, self.template_error.as_deref());
        if admin {
            ui.horizontal(|ui| {
                if ui.add_enabled(!self.saving_template.is_waiting(), egui::Button::new("保存售后服务承诺")).clicked()
                {
                    let template = AfterSalesTemplate { text: self.template_text.clone() };
                    self.saving_template = cx.ask(move |svc, a| svc.update_after_sales_template(a, version, template));
                }
                if ui.button("恢复默认文本").clicked() {
                    self.template_text = AfterSalesTemplate::default().text;
                }
            });
        }
    }
}

/// The add / correct form; returns the problems found before asking the service (dates, no scan).
fn form_ui(
    ui: &mut Ui,
    f: &mut CertForm,
    errors: &[FieldError],
    banner: Option<&str>,
    saving: bool,
) -> Option<FormAnswer> {
    ui.label(RichText::new(if f.id.is_some() { "修改证书" } else { "新增证书" }).strong());
    egui::Grid::new("certificate_form").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
        text_field(ui, "证书名称", &mut f.name, message_for(errors, "name"), false);
        let label = ui.label("类别");
        ui.horizontal(|ui| {
            ui.add(egui::TextEdit::singleline(&mut f.kind).desired_width(200.0)).labelled_by(label.id);
            egui::ComboBox::from_id_salt("certificate_kind").selected_text("常用类别").show_ui(ui, |ui| {
                for k in KINDS {
                    if ui.selectable_label(f.kind == *k, *k).clicked() {
                        f.kind = (*k).to_string();
                    }
                }
            });
            field_error(ui, message_for(errors, "kind"));
        });
        ui.end_row();
        text_field(ui, "证书编号", &mut f.number, message_for(errors, "number"), false);
        text_field(ui, "发证机关", &mut f.issuer, message_for(errors, "issuer"), false);
        let today = chrono::Local::now().date_naive();
        let from_error = message_for(errors, "valid_from");
        dated_field(ui, "发证日期", &mut f.valid_from, "2024-05-20", from_error, today, false);
        let label = ui.label("有效期至");
        ui.horizontal(|ui| {
            ui.add_enabled_ui(!f.permanent, |ui| {
                date_field(ui, &mut f.valid_until, "2027-05-19", 200.0, today, false).labelled_by(label.id);
            });
            ui.checkbox(&mut f.permanent, "长期有效");
            field_error(ui, message_for(errors, "valid_until"));
        });
        ui.end_row();
        let label = ui.label("适用产品");
        ui.vertical(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut f.covers)
                    .hint_text("型号或产品类别，用顿号分隔，如 KYN28A、箱式变电站")
                    .desired_width(300.0),
            )
            .labelled_by(label.id);
            ui.label(RichText::new("留空：适用于全公司（营业执照、体系认证等）").small().color(MUTED));
        });
        ui.end_row();
        let label = ui.label(if f.id.is_some() { "更换扫描件" } else { "扫描件" });
        ui.horizontal(|ui| {
            ui.add(egui::TextEdit::singleline(&mut f.path).hint_text("PNG 或 JPEG 文件路径").desired_width(300.0))
                .labelled_by(label.id);
            if ui.button("选择…").clicked() {
                // Where no file dialog is available this returns None; the path field stays the way in.
                match rfd::FileDialog::new().add_filter("图片", &["png", "jpg", "jpeg"]).pick_file() {
                    Some(p) => f.path = p.display().to_string(),
                    None => log::info!("file dialog closed or unavailable"),
                }
            }
            field_error(ui, message_for(errors, "scan").or(message_for(errors, "image")));
        });
        ui.end_row();
    });
    if let Some(b) = banner {
        ui.label(RichText::new(b).color(ERROR_RED));
    }
    if !ui.add_enabled(!saving, egui::Button::new("保存证书")).clicked() {
        return None;
    }
    match f.draft() {
        // Shown under the boxes at once; the service checks the rest.
        Err(list) => Some(FormAnswer::Problems(list)),
        Ok(draft) => {
            let path = (!f.path.trim().is_empty()).then(|| PathBuf::from(f.path.trim()));
            if f.id.is_none() && path.is_none() {
                return Some(FormAnswer::Problems(vec![FieldError::new("scan", "请选择证书扫描件（PNG 或 JPEG）")]));
            }
            Some(FormAnswer::Save { id: f.id, version: f.version, draft, path })
        }
    }
}
