//! The inquiry card (询价/招标详情): everything about one inquiry or tender — customer, lines,
//! tender facts with the deadline countdown, the bond, clauses, attached documents and the
//! decisions — and, for a decider, the 参与 / 不参与 box. It shows what the service returned and
//! sends requests; whether an action is allowed is the service's call.

use chrono::{DateTime, Utc};
use egui::{Color32, RichText, Ui};

use crate::domain::ids::{AttachmentId, InquiryId};
use crate::domain::inquiry::{
    BondForm, DecisionStep, Inquiry, InquiryKind, InquiryStatus, InquirySummary, countdown, next_step,
};
use crate::domain::role::{Permission, Role};
use crate::service::{InquiryDetail, ServiceError};
use crate::ui::panel::{Cx, Event, Link};
use crate::ui::pickers::local_time;
use crate::ui::theme::{self, ERROR_RED, MUTED, OK_GREEN, PENDING_AMBER, TENDER_BLUE};
use crate::ui::widgets::{FormErrors, field_error};
use crate::ui::worker::{Reply, Res, file_name, read_file, write_file};

pub fn status_color(s: InquiryStatus) -> Color32 {
    match s {
        InquiryStatus::Registered => PENDING_AMBER,
        InquiryStatus::Go => OK_GREEN,
        InquiryStatus::NoGo => MUTED,
    }
}

pub fn kind_badge(ui: &mut Ui, kind: InquiryKind) {
    let color = if kind == InquiryKind::Tender { TENDER_BLUE } else { MUTED };
    // Its own row, so a table cell centred vertically does not stretch the pill.
    ui.horizontal(|ui| theme::badge(ui, kind.label(), color));
}

/// The status badge of a list row, with 重大 beside it when major.
pub fn status_badges(ui: &mut Ui, s: &InquirySummary) {
    ui.horizontal(|ui| {
        theme::badge(ui, s.badge(), status_color(s.status));
        if s.major {
            theme::badge(ui, "重大", ERROR_RED);
        }
    });
}

/// The tender deadline as a countdown; red when fewer than three days are left.
pub fn deadline_text(deadline: DateTime<Utc>, now: DateTime<Utc>) -> RichText {
    let text = RichText::new(countdown(deadline, now));
    if deadline - now < chrono::Duration::days(3) { text.color(ERROR_RED) } else { text }
}

fn size_text(bytes: i64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
        b if b >= 1024 => format!("{:.0} KB", b as f64 / 1024.0),
        b => format!("{b} 字节"),
    }
}

/// What the user did on the card, for the toast and the panel holding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardAction {
    Decided,
    Bond,
    Attached,
}

pub struct InquiryCard {
    id: InquiryId,
    detail: Option<InquiryDetail>,
    comment: String,
    errors: FormErrors,
    attach_open: bool,
    attach_path: String,
    /// Where to save a document, typed by hand when no file dialog is available.
    save_target: Option<(AttachmentId, String)>,
    /// The user asked to edit: the panel opens the form with this.
    pub edit: Option<Inquiry>,
    opening: Reply<InquiryDetail>,
    acting: Reply<(CardAction, InquiryDetail)>,
    saving_document: Reply<std::path::PathBuf>,
    /// The bond payment being recorded: form, date (YYYY-MM-DD), the receipt's path.
    bond_form: BondForm,
    bond_date: String,
    bond_receipt: String,
    /// The head's reason to let a bid go out with the bond unpaid.
    waiver: String,
}

impl InquiryCard {
    /// Opens inquiry `id` (a spinner until it comes).
    pub fn open(id: InquiryId, cx: &Cx<'_>) -> Self {
        let mut card = InquiryCard::from_detail(None, id);
        card.reload(cx);
        card
    }

    /// A card showing `d` as it is.
    pub fn showing(d: InquiryDetail) -> Self {
        let id = d.inquiry.id;
        InquiryCard::from_detail(Some(d), id)
    }

    fn from_detail(detail: Option<InquiryDetail>, id: InquiryId) -> Self {
        InquiryCard {
            id,
            detail,
            comment: String::new(),
            errors: FormErrors::default(),
            attach_open: false,
            attach_path: String::new(),
            save_target: None,
            edit: None,
            opening: Reply::default(),
            acting: Reply::default(),
            saving_document: Reply::default(),
            bond_form: BondForm::Transfer,
            bond_date: chrono::Local::now().date_naive().format("%Y-%m-%d").to_string(),
            bond_receipt: String::new(),
            waiver: String::new(),
        }
    }

    /// Reads the inquiry again (it changed elsewhere).
    pub fn reload(&mut self, cx: &Cx<'_>) {
        let id = self.id;
        self.opening = cx.ask(move |svc, a| svc.inquiry_detail(a, id));
    }

    /// Takes in the answers; the action that went through, if one did.
    pub fn logic(&mut self, cx: &mut Cx<'_>) -> Option<CardAction> {
        match self.opening.take() {
            Some(Ok(d)) => self.detail = Some(d),
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.saving_document.take() {
            Some(Ok(path)) => cx.toasts.success(format!("已保存到 {}", path.display())),
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.acting.take()? {
            Ok((action, d)) => {
                self.errors.clear();
                match action {
                    CardAction::Decided => {
                        let how = d.inquiry.decisions.last().map(|x| if x.go { "参与" } else { "不参与" });
                        cx.toasts.success(format!("{} 已决定：{}。", d.inquiry.number, how.unwrap_or("")));
                        self.comment.clear();
                    }
                    CardAction::Attached => {
                        cx.toasts.success("文件已附加。");
                        self.attach_open = false;
                        self.attach_path.clear();
                    }
                    CardAction::Bond => cx.toasts.success("保证金状态已登记。"),
                }
                cx.emit(Event::InquiryChanged(d.inquiry.id));
                self.detail = Some(d);
                Some(action)
            }
            Err(e) => {
                self.errors.refused(e, cx.toasts);
                None
            }
        }
    }

    /// Runs `act` for this inquiry, then reads it back for the card.
    fn act(
        &mut self,
        cx: &Cx<'_>,
        action: CardAction,
        act: impl FnOnce(&mut crate::service::Service, &crate::service::Actor) -> Res<()> + Send + 'static,
    ) {
        let id = self.id;
        self.acting = cx.ask(move |svc, a| {
            act(svc, a)?;
            Ok((action, svc.inquiry_detail(a, id)?))
        });
    }

    pub fn id(&self) -> InquiryId {
        self.id
    }

    fn error(&self, field: &str) -> Option<String> {
        self.errors.field(field).map(str::to_string)
    }

    /// Draws the card; returns true when the user closed it. `in_list`: beside the list, with
    /// 修改 and 关闭 (the inbox shows it without them).
    /// A decider sees the 参与 / 不参与 box while the inquiry waits for a decision.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, in_list: bool) -> bool {
        let Some(d) = self.detail.clone() else {
            ui.add(egui::Spinner::new());
            return false;
        };
        let i = &d.inquiry;
        let now = cx.now();
        let mut close = false;
        ui.horizontal_wrapped(|ui| {
            ui.heading(i.number.to_string());
            kind_badge(ui, i.draft.kind);
            let badge = summary_badge(i);
            theme::badge(ui, badge, status_color(i.status));
            if i.major {
                theme::badge(ui, "重大", ERROR_RED);
            }
        });
        ui.label(RichText::new(&i.draft.subject).strong().size(15.0));
        ui.label(
            RichText::new(format!(
                "{} 于 {} 登记 · 来源：{}",
                i.registered_by_name,
                local_time(i.registered_at),
                i.draft.source.label()
            ))
            .small()
            .color(MUTED),
        );
        if in_list {
            ui.horizontal(|ui| {
                build_quote_ui(ui, cx, i);
                if self.may_edit(cx, i) && ui.button("修改").clicked() {
                    self.edit = Some(i.clone());
                }
                if ui.button("关闭").clicked() || crate::ui::widgets::escape_closes(ui) {
                    close = true;
                }
            });
        }
        self.errors.banner_ui(ui);
        if i.status == InquiryStatus::Registered && cx.actor.may(Permission::DecideGoNoGo) {
            self.decide_ui(ui, cx, i);
        }
        ui.separator();
        facts_ui(ui, i);
        if i.draft.kind == InquiryKind::Tender {
            self.tender_ui(ui, cx, i, now);
        }
        lines_ui(ui, i);
        if i.draft.kind == InquiryKind::Tender {
            clauses_ui(ui, i);
        }
        self.documents_ui(ui, cx, &d);
        decisions_ui(ui, i);
        close
    }

    fn may_edit(&self, cx: &Cx<'_>, i: &Inquiry) -> bool {
        i.decisions.is_empty() && (i.registered_by == cx.actor.id() || cx.actor.roles().contains(Role::Head))
    }

    fn decide_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, i: &Inquiry) {
        let Some(step) = next_step(i.major, &i.decisions) else { return };
        let role = match step {
            DecisionStep::Head => Role::Head,
            DecisionStep::Leader => Role::Leader,
        };
        // Only the person whose step it is gets the box (the service checks again).
        if !cx.actor.roles().contains(role) || i.decisions.iter().any(|d| d.by == cx.actor.id()) {
            return;
        }
        let comment_error = self.error("comment");
        egui::Frame::group(ui.style()).stroke(egui::Stroke::new(1.0, PENDING_AMBER)).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(format!("等待{}决定是否参与", step.label())).strong());
            if i.major && !i.major_reasons.is_empty() {
                let why = format!("重大：{}（须销售部负责人和公司领导先后决定）", i.major_reasons.join("；"));
                ui.label(RichText::new(why).color(ERROR_RED).small());
            }
            let l = ui.label("决定意见");
            ui.add(
                egui::TextEdit::multiline(&mut self.comment)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY)
                    .hint_text("参与时可不填；不参与时请写明原因"),
            )
            .labelled_by(l.id);
            field_error(ui, comment_error.as_deref());
            let mut decision = None;
            let idle = !self.acting.is_waiting();
            ui.horizontal(|ui| {
                let go = egui::Button::new(RichText::new("参与").color(Color32::WHITE)).fill(OK_GREEN);
                if ui.add_enabled(idle, go).clicked() {
                    decision = Some(true);
                }
                if ui.add_enabled(idle, egui::Button::new("不参与")).clicked() {
                    decision = Some(false);
                }
            });
            if let Some(go) = decision {
                self.errors.clear();
                let (id, version, comment) = (i.id, i.version, self.comment.clone());
                self.act(cx, CardAction::Decided, move |svc, a| {
                    svc.decide_inquiry(a, id, version, go, &comment).map(drop)
                });
            }
        });
    }

    fn tender_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, i: &Inquiry, now: DateTime<Utc>) {
        let t = &i.draft.tender;
        section(ui, "招标信息");
        egui::Grid::new(("tender_facts", i.id.0)).num_columns(2).spacing([12.0, 4.0]).show(ui, |ui| {
            row(ui, "招标编号", &t.tender_no);
            row(ui, "采购人", &t.purchaser);
            row(ui, "项目名称", &t.project);
            row(ui, "标段/包号", &t.lot);
            ui.label(RichText::new("投标截止").color(MUTED));
            ui.horizontal(|ui| match t.deadline {
                Some(dl) => {
                    ui.label(local_time(dl));
                    ui.label(deadline_text(dl, now).strong());
                }
                None => {
                    ui.label("—");
                }
            });
            ui.end_row();
            row(ui, "开标时间", &t.opening.map(local_time).unwrap_or_default());
            ui.label(RichText::new("投标保证金").color(MUTED));
            ui.horizontal(|ui| {
                ui.label(t.bond.map(|b| b.yuan_display()).unwrap_or_else(|| "—".into()));
                if t.bond.is_some() {
                    let may = i.registered_by == cx.actor.id() || cx.actor.roles().contains(Role::Head);
                    let (mut paid, mut returned) = (t.bond_paid, t.bond_returned);
                    let may = may && !self.acting.is_waiting();
                    let a = ui.add_enabled(may, egui::Checkbox::new(&mut paid, "已缴"));
                    let b = ui.add_enabled(may, egui::Checkbox::new(&mut returned, "已退"));
                    if a.changed() || b.changed() {
                        let (id, version) = (i.id, i.version);
                        self.act(cx, CardAction::Bond, move |svc, a| {
                            svc.set_bond_status(a, id, version, paid, returned).map(drop)
                        });
                    }
                }
            });
            ui.end_row();
        });
        field_error(ui, self.error("bond").as_deref());
        if t.bond.is_some() {
            self.bond_record_ui(ui, cx, i);
        }
    }

    /// How the bond was paid (form, date, receipt), recorded by the registrant or the head; and
    /// the head's leave to issue the bid while it is unpaid, with a reason.
    fn bond_record_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, i: &Inquiry) {
        let t = &i.draft.tender;
        let r = &i.bond_record;
        let idle = !self.acting.is_waiting();
        if t.bond_paid {
            let mut said = vec!["已缴".to_string()];
            if let Some(f) = r.form {
                said.push(f.label().into());
            }
            if let Some(d) = r.paid_on {
                said.push(crate::domain::dates::cn_date(d));
            }
            if r.receipt.is_some() {
                said.push("回单已附（见附件）".into());
            }
            ui.label(RichText::new(format!("保证金：{}", said.join(" · "))).color(MUTED));
        }
        let may = i.registered_by == cx.actor.id() || cx.actor.roles().contains(Role::Head);
        if may && (!t.bond_paid || r.paid_on.is_none()) {
            ui.collapsing("登记保证金缴纳（形式、日期、回单）", |ui| {
                ui.horizontal(|ui| {
                    for f in BondForm::ALL {
                        ui.radio_value(&mut self.bond_form, f, f.label());
                    }
                });
                ui.horizontal(|ui| {
                    let l = ui.label("缴纳日期");
                    ui.add(egui::TextEdit::singleline(&mut self.bond_date).desired_width(110.0)).labelled_by(l.id);
                    let l = ui.label("回单/保函扫描件");
                    ui.add(
                        egui::TextEdit::singleline(&mut self.bond_receipt)
                            .hint_text("可不附；PNG、JPEG 或 PDF")
                            .desired_width(220.0),
                    )
                    .labelled_by(l.id);
                    if ui.button("选择…").clicked()
                        && let Some(p) =
                            rfd::FileDialog::new().add_filter("回单", &["png", "jpg", "jpeg", "pdf"]).pick_file()
                    {
                        self.bond_receipt = p.display().to_string();
                    }
                });
                field_error(ui, self.error("bond_paid_on").or(self.error("bond_receipt")).as_deref());
                if ui.add_enabled(idle, egui::Button::new("登记已缴")).clicked() {
                    self.record_bond(cx, i);
                }
            });
        }
        if t.bond_paid {
            return;
        }
        match &r.waiver {
            Some(w) => {
                let text =
                    format!("销售部负责人已准许保证金未缴仍可发出：{}（{} · {}）", w.reason, w.by, local_time(w.at));
                ui.label(RichText::new(text).color(PENDING_AMBER));
                if cx.actor.may(Permission::WaiveBond) && ui.add_enabled(idle, egui::Button::new("撤销准许")).clicked()
                {
                    let (id, version) = (i.id, i.version);
                    self.act(cx, CardAction::Bond, move |svc, a| svc.waive_bond(a, id, version, None).map(drop));
                }
            }
            None if cx.actor.may(Permission::WaiveBond) => {
                ui.horizontal(|ui| {
                    let l = ui.label("保证金未缴仍准许发出，理由");
                    ui.add(egui::TextEdit::singleline(&mut self.waiver).desired_width(260.0)).labelled_by(l.id);
                    if ui.add_enabled(idle, egui::Button::new("准许")).clicked() {
                        let (id, version, reason) = (i.id, i.version, self.waiver.clone());
                        self.act(cx, CardAction::Bond, move |svc, a| {
                            svc.waive_bond(a, id, version, Some(&reason)).map(drop)
                        });
                    }
                });
                field_error(ui, self.error("bond_waiver").as_deref());
            }
            None => {}
        }
    }

    fn record_bond(&mut self, cx: &Cx<'_>, i: &Inquiry) {
        let Ok(date) = chrono::NaiveDate::parse_from_str(self.bond_date.trim(), "%Y-%m-%d") else {
            self.errors.set_fields(vec![crate::domain::company::FieldError::new(
                "bond_paid_on",
                "缴纳日期格式应为 2026-12-01",
            )]);
            return;
        };
        let path = self.bond_receipt.trim().to_string();
        let (id, version, form) = (i.id, i.version, self.bond_form);
        self.act(cx, CardAction::Bond, move |svc, a| {
            let receipt = if path.is_empty() {
                None
            } else {
                let p = std::path::PathBuf::from(&path);
                let bytes = std::fs::read(&p).map_err(|e| {
                    ServiceError::invalid("bond_receipt", crate::service::file_problem("读取回单", &p, &e))
                })?;
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                Some((name, bytes))
            };
            svc.record_bond_payment(
                a,
                id,
                version,
                form,
                date,
                receipt.as_ref().map(|(n, b)| (n.as_str(), b.as_slice())),
            )
            .map(drop)
        });
    }

    fn documents_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, d: &InquiryDetail) {
        section(ui, &format!("附件（{}）", d.documents.len()));
        let id = d.inquiry.id;
        egui::Grid::new(("inquiry_docs", id.0)).num_columns(3).spacing([12.0, 4.0]).show(ui, |ui| {
            for (att, name, size) in &d.documents {
                ui.label(name);
                ui.label(RichText::new(size_text(*size)).small().color(MUTED));
                if ui.small_button("另存为…").clicked() {
                    match rfd::FileDialog::new().set_file_name(name).save_file() {
                        Some(path) => self.saving_document = save_document(cx, id, *att, path),
                        // No file dialog here (no desktop portal): the path is typed below.
                        None => self.save_target = Some((*att, name.clone())),
                    }
                }
                ui.end_row();
            }
        });
        if let Some((att, mut path)) = self.save_target.clone() {
            let path = &mut path;
            let att = &att;
            let mut done = false;
            ui.horizontal(|ui| {
                let l = ui.label("保存到");
                ui.add(egui::TextEdit::singleline(path).desired_width(320.0)).labelled_by(l.id);
                if ui.add_enabled(!path.trim().is_empty(), egui::Button::new("保存")).clicked() {
                    let path = std::path::PathBuf::from(path.trim());
                    self.saving_document = save_document(cx, id, *att, path);
                    done = true;
                }
                if ui.button("取消").clicked() {
                    done = true;
                }
            });
            if done {
                self.save_target = None;
            } else if let Some(target) = &mut self.save_target {
                target.1 = path.clone();
            }
        }
        if !self.attach_open {
            if ui.button("附加文件…").clicked() {
                self.attach_open = true;
            }
            return;
        }
        ui.horizontal(|ui| {
            let l = ui.label("文件");
            ui.add(egui::TextEdit::singleline(&mut self.attach_path).desired_width(280.0).hint_text("文件路径"))
                .labelled_by(l.id);
            if ui.button("选择…").clicked() {
                match rfd::FileDialog::new().pick_file() {
                    Some(p) => self.attach_path = p.display().to_string(),
                    None => log::info!("file dialog closed or unavailable"),
                }
            }
            let ready = !self.attach_path.trim().is_empty() && !self.acting.is_waiting();
            if ui.add_enabled(ready, egui::Button::new("附加")).clicked() {
                let path = std::path::PathBuf::from(self.attach_path.trim());
                self.act(cx, CardAction::Attached, move |svc, a| {
                    let bytes = read_file(&path)?;
                    svc.attach_inquiry_document(a, id, &file_name(&path), &bytes).map(drop)
                });
            }
            if ui.button("取消").clicked() {
                self.attach_open = false;
            }
        });
        field_error(ui, self.error("file").as_deref());
    }
}

/// Writes one attached document to `path` (read and written on the worker).
fn save_document(
    cx: &Cx<'_>,
    id: InquiryId,
    attachment: AttachmentId,
    path: std::path::PathBuf,
) -> Reply<std::path::PathBuf> {
    cx.ask(move |svc, a| {
        let att = svc.inquiry_document(a, id, attachment)?;
        write_file(&path, &att.bytes).map(|()| path)
    })
}

/// 编制报价 / 编制投标 on an inquiry with a go, for those who build quotes: starts the quote (or
/// opens the one already made from it).
fn build_quote_ui(ui: &mut Ui, cx: &mut Cx<'_>, i: &Inquiry) {
    if i.status != InquiryStatus::Go || !cx.actor.may(Permission::BuildQuote) {
        return;
    }
    let text = if i.draft.kind == InquiryKind::Tender { "编制投标" } else { "编制报价" };
    let button = egui::Button::new(RichText::new(text).color(Color32::WHITE)).fill(OK_GREEN);
    let hint = "从价格表编制报价单或投标书（已编制的直接打开）";
    if ui.add(button).on_hover_text(hint).clicked() {
        cx.emit(Event::Open(Link::QuoteForInquiry(i.id)));
    }
}

fn summary_badge(i: &Inquiry) -> &'static str {
    match (i.status, next_step(i.major, &i.decisions)) {
        (InquiryStatus::Registered, Some(DecisionStep::Leader)) => "待领导决定",
        (InquiryStatus::Registered, _) => "待负责人决定",
        (s, _) => s.label(),
    }
}

fn section(ui: &mut Ui, title: &str) {
    ui.add_space(6.0);
    ui.label(RichText::new(title).strong());
}

fn row(ui: &mut Ui, label: &str, value: &str) {
    ui.label(RichText::new(label).color(MUTED));
    ui.label(if value.is_empty() { "—" } else { value });
    ui.end_row();
}

fn facts_ui(ui: &mut Ui, i: &Inquiry) {
    let d = &i.draft;
    egui::Grid::new(("inquiry_facts", i.id.0)).num_columns(2).spacing([12.0, 4.0]).show(ui, |ui| {
        row(ui, "客户", &i.customer_name);
        row(ui, "联系人", &i.contact_name);
        row(ui, "预计金额", &d.estimate.map(|m| m.yuan_display()).unwrap_or_default());
        row(ui, "要求日期", &d.wanted_by.map(|w| w.to_string()).unwrap_or_default());
        if i.major {
            ui.label(RichText::new("重大原因").color(MUTED));
            ui.label(RichText::new(i.major_reasons.join("；")).color(ERROR_RED));
            ui.end_row();
        }
        row(ui, "备注", &d.notes);
    });
}

fn lines_ui(ui: &mut Ui, i: &Inquiry) {
    section(ui, &format!("询价产品（{}）", i.draft.lines.len()));
    if i.draft.lines.is_empty() {
        ui.label(RichText::new("未列明产品。").small().color(MUTED));
        return;
    }
    egui::Grid::new(("inquiry_lines", i.id.0)).striped(true).num_columns(5).spacing([12.0, 4.0]).show(ui, |ui| {
        for t in ["产品/描述", "型号规格", "数量", "单位", "备注"] {
            ui.strong(t);
        }
        ui.end_row();
        for l in &i.draft.lines {
            ui.label(&l.description);
            ui.label(&l.model);
            ui.label(l.quantity.map(|q| q.to_string()).unwrap_or_default());
            ui.label(&l.unit);
            ui.label(RichText::new(&l.note).small());
            ui.end_row();
        }
    });
}

fn clauses_ui(ui: &mut Ui, i: &Inquiry) {
    let clauses = &i.draft.tender.clauses;
    section(ui, &format!("招标条款（{}）", clauses.len()));
    if clauses.is_empty() {
        ui.label(RichText::new("尚未录入条款。").small().color(MUTED));
        return;
    }
    // Rows of fixed-width cells: the requirement wraps in what the number and the kind leave.
    let width = (ui.available_width() - 150.0).max(200.0);
    let row = |ui: &mut Ui, no: RichText, requirement: RichText, kind: RichText| {
        ui.horizontal_top(|ui| {
            fixed_cell(ui, 56.0, |ui| ui.label(no));
            fixed_cell(ui, width, |ui| ui.add(egui::Label::new(requirement).wrap()));
            fixed_cell(ui, 60.0, |ui| ui.label(kind));
        });
    };
    let strong = |t: &str| RichText::new(t).strong();
    row(ui, strong("条款号"), strong("要求"), strong("技术/商务"));
    for c in clauses {
        row(ui, RichText::new(&c.no), RichText::new(&c.requirement), RichText::new(c.kind.label()));
    }
}

fn fixed_cell(ui: &mut Ui, width: f32, add: impl FnOnce(&mut Ui) -> egui::Response) {
    ui.allocate_ui_with_layout(egui::vec2(width, 0.0), egui::Layout::top_down(egui::Align::Min), |ui| {
        ui.set_width(width);
        add(ui);
    });
}

fn decisions_ui(ui: &mut Ui, i: &Inquiry) {
    section(ui, "决定记录");
    for d in &i.decisions {
        egui::Frame::new().inner_margin(egui::Margin::symmetric(4, 2)).show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(local_time(d.at)).small().color(MUTED));
                ui.label(format!("{} {}", d.step.label(), d.by_name));
                if d.go {
                    theme::badge(ui, "参与", OK_GREEN);
                } else {
                    theme::badge(ui, "不参与", MUTED);
                }
                if !d.comment.is_empty() {
                    ui.label(format!("意见：{}", d.comment));
                }
            });
        });
    }
    match next_step(i.major, &i.decisions) {
        Some(step) => ui.label(RichText::new(format!("等待{}决定。", step.label())).color(PENDING_AMBER)),
        None if i.decisions.is_empty() => ui.label("—"),
        None => ui.label(RichText::new(format!("结论：{}", i.status.label())).strong()),
    };
}
