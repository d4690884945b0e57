//! The quote and bid builder (报价/投标编制): one document with its revisions V1…Vn. The latest
//! draft is edited here (lines from the price table, terms, tender responses), saved, sent to the
//! technical department or submitted for approval; a frozen revision is shown read-only, and two
//! revisions can be compared. What is allowed is the service's call: refusals are shown here.

use egui::{RichText, Ui};

use super::changes::change_table_ui;
use super::compare::compare_ui;
use super::lines::{self, DraftEdit};
use super::negotiation::{NegotiationAct, NegotiationUi};
use super::{doc_badge, kind_badge, revision_badge};
use crate::domain::company::FieldError;
use crate::domain::ids::{QuoteId, RevisionId};
use crate::domain::quote::{ApprovalState, QuoteKind, QuoteStatus, Revision, RevisionStatus};
use crate::domain::role::Permission;
use crate::service::Printable;
use crate::service::{Actor, QuoteDetail, QuoteView, Service, ServiceError, suggested_file_name};
use crate::ui::documents::{IssueDialog, PreviewWindow};
use crate::ui::panel::{Cx, Event};
use crate::ui::pickers::{Picker, ProductPicker, local_time};
use crate::ui::theme::{self, ERROR_RED, MUTED, PENDING_AMBER};
use crate::ui::widgets::Toasts;
use crate::ui::widgets::{field_error, message_for};
use crate::ui::worker::{Reply, Res};

/// One of the builder's use cases, chosen while drawing and run after.
type QuoteAct = Box<dyn FnOnce(&mut Service, &Actor) -> Res<QuoteView> + Send>;

/// What a builder's answer was for (the toast, and which form it closes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteEvent {
    Opened,
    Created,
    /// The inquiry already had a quote: that one was opened.
    Existing,
    Saved,
    /// The draft took an earlier quote's lines.
    Copied,
    Submitted,
    NewRevision,
    TechRequested,
    RoundLogged,
    OutcomeRecorded,
}

pub struct QuoteBuilder {
    id: QuoteId,
    detail: Option<QuoteDetail>,
    /// The revision shown (its number); None: the latest.
    shown: Option<u32>,
    draft: Option<DraftEdit>,
    pub products: ProductPicker,
    show_products: bool,
    /// The two revisions compared side by side.
    compare: Option<(u32, u32)>,
    question: Option<String>,
    errors: Vec<FieldError>,
    banner: Option<String>,
    /// 返回列表 was pressed with unsaved changes: ask first.
    leaving: bool,
    /// The print or issue dialog.
    issue: Option<IssueDialog>,
    preview: Option<PreviewWindow>,
    /// 谈判与结果 (after issue).
    negotiation: NegotiationUi,
    opening: Reply<QuoteDetail>,
    acting: Reply<(QuoteEvent, QuoteDetail)>,
    /// A bid's cross-checks before issue: the revision checked and what would stop it.
    checks: Option<(RevisionId, Vec<String>)>,
    checking: Reply<(RevisionId, Vec<String>)>,
    /// Lines asked about their floor (line, the price and discount asked for, below or not).
    floor_checking: Reply<Vec<(usize, crate::domain::money::Money, crate::domain::money::Discount, bool)>>,
    /// The last QuoteChanged came from this builder's own action.
    own_change: bool,
    /// A bid's 业绩表: the 业绩库 to pick from.
    references: super::bid::ReferencePicker,
}

impl QuoteBuilder {
    /// Opens quote `id` (a spinner until it comes).
    pub fn open(id: QuoteId, cx: &Cx<'_>) -> Self {
        let mut b = QuoteBuilder::empty(id);
        b.reload(cx);
        b
    }

    /// A builder on a quote just started from an inquiry (or the one it already had).
    pub fn started(d: QuoteDetail, created: bool, cx: &mut Cx<'_>) -> Self {
        let mut b = QuoteBuilder::empty(d.view.quote.id);
        b.loaded(if created { QuoteEvent::Created } else { QuoteEvent::Existing }, d, cx);
        b
    }

    fn empty(id: QuoteId) -> Self {
        QuoteBuilder {
            id,
            detail: None,
            shown: None,
            draft: None,
            products: ProductPicker::new(Picker::QuoteBuilder),
            show_products: false,
            compare: None,
            question: None,
            errors: Vec::new(),
            banner: None,
            leaving: false,
            issue: None,
            preview: None,
            negotiation: NegotiationUi::default(),
            opening: Reply::default(),
            acting: Reply::default(),
            checks: None,
            checking: Reply::default(),
            floor_checking: Reply::default(),
            references: super::bid::ReferencePicker::default(),
            own_change: false,
        }
    }

    /// Reads the quote again (it changed elsewhere, or was issued).
    pub fn reload(&mut self, cx: &Cx<'_>) {
        let id = self.id;
        self.opening = cx.ask(move |svc, a| svc.quote_detail(a, id));
    }

    /// Takes in the answers that came.
    pub fn logic(&mut self, cx: &mut Cx<'_>) {
        match self.floor_checking.take() {
            Some(Ok(answers)) => {
                if let Some(d) = &mut self.draft {
                    d.set_floor_checks(answers);
                }
            }
            Some(Err(e)) => log::warn!("floor check: {e}"),
            None => {}
        }
        match self.opening.take() {
            Some(Ok(d)) => self.loaded(QuoteEvent::Opened, d, cx),
            Some(Err(e)) => self.failed(e, cx.toasts),
            None => {}
        }
        match self.acting.take() {
            Some(Ok((event, d))) => {
                cx.emit(Event::QuoteChanged(d.view.quote.id));
                self.own_change = true;
                self.loaded(event, d, cx);
            }
            Some(Err(e)) => self.failed(e, cx.toasts),
            None => {}
        }
        match self.checking.take() {
            Some(Ok(found)) => self.checks = Some(found),
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
    }

    /// Runs one of the builder's use cases on this quote, then reads it back.
    fn act(
        &mut self,
        cx: &Cx<'_>,
        event: QuoteEvent,
        f: impl FnOnce(&mut Service, &Actor) -> Res<QuoteView> + Send + 'static,
    ) {
        self.acting = cx.ask(move |svc, a| {
            let id = f(svc, a)?.quote.id;
            Ok((event, svc.quote_detail(a, id)?))
        });
    }

    /// The quote changed: read it again, unless the change was this builder's own (its answer
    /// already shows it).
    pub fn changed_elsewhere(&mut self, cx: &Cx<'_>) {
        if !std::mem::take(&mut self.own_change) {
            self.reload(cx);
        }
    }

    /// Whether an answer is awaited (the buttons wait too).
    fn busy(&self) -> bool {
        self.acting.is_waiting() || self.opening.is_waiting()
    }

    pub fn id(&self) -> QuoteId {
        self.id
    }

    /// Whether typed changes are not saved yet.
    pub fn dirty(&self) -> bool {
        self.draft.as_ref().is_some_and(|d| d.dirty())
    }

    /// What came back for this quote.
    fn loaded(&mut self, event: QuoteEvent, d: QuoteDetail, cx: &mut Cx<'_>) {
        self.id = d.view.quote.id;
        toast(event, &d.view, cx.toasts);
        self.errors.clear();
        self.banner = None;
        if event != QuoteEvent::Opened {
            self.shown = None;
            self.question = None;
        }
        self.negotiation.loaded(event);
        self.take_draft(event, &d.view);
        self.detail = Some(d);
    }

    fn failed(&mut self, e: ServiceError, toasts: &mut Toasts) {
        toasts.error(e.to_string());
        match e {
            ServiceError::Invalid(list) => {
                self.banner = Some("有内容需要修改，请看明细和条款下方的提示。".into());
                self.errors = list;
            }
            other => self.banner = Some(other.to_string()),
        }
    }

    /// Keeps the typed draft after its own save (and while it has unsaved changes, so a save over
    /// someone else's change is refused naming them); else edits the latest draft as stored.
    fn take_draft(&mut self, event: QuoteEvent, view: &QuoteView) {
        let latest = view.latest().filter(|r| r.status.editable());
        match (latest, &mut self.draft) {
            (Some(r), Some(d)) if d.revision == r.id && event == QuoteEvent::Saved => d.saved_as(r),
            (Some(r), _) if event == QuoteEvent::Copied => self.draft = Some(DraftEdit::new(r)),
            (Some(r), Some(d)) if d.revision == r.id && d.dirty() => {}
            (Some(r), _) => self.draft = Some(DraftEdit::new(r)),
            (None, _) => self.draft = None,
        }
    }

    /// Draws the builder; returns true when the user goes back to the list.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) -> bool {
        let mut back = false;
        let dirty = self.dirty();
        ui.horizontal(|ui| {
            if self.leaving {
                ui.label(RichText::new("有未保存的修改，返回列表将放弃这些修改。").color(PENDING_AMBER));
                back = ui.button("放弃修改并返回").clicked();
                if ui.button("继续编辑").clicked() {
                    self.leaving = false;
                }
                return;
            }
            if ui.button("← 返回列表").clicked() || crate::ui::widgets::escape_closes(ui) {
                // Only the user's own choice throws typed input away.
                if dirty { self.leaving = true } else { back = true }
            }
            if dirty {
                ui.label(RichText::new("有未保存的修改").color(PENDING_AMBER));
            }
        });
        let Some(d) = self.detail.clone() else {
            ui.add(egui::Spinner::new());
            return back;
        };
        let v = &d.view;
        let Some(latest) = v.latest() else { return back };
        let shown = self.shown.and_then(|n| v.revisions.iter().find(|r| r.revision == n)).unwrap_or(latest).clone();
        header_ui(ui, v, &shown);
        self.revisions_ui(ui, v, &shown);
        self.actions_ui(ui, cx, v, &shown);
        self.print_ui(ui, cx, v, &shown);
        if let Some(b) = &self.banner {
            ui.label(RichText::new(b).color(ERROR_RED));
        }
        ui.separator();
        egui::ScrollArea::vertical().id_salt(("builder", self.id.0)).auto_shrink(false).show(ui, |ui| {
            if let Some((a, b)) = self.compare {
                self.compare_ui(ui, v, a, b);
                ui.separator();
            }
            if let Some(c) = d.negotiation.changes_of(shown.id) {
                section(ui, "变更确认表");
                if shown.status == RevisionStatus::Draft {
                    let hint = "按已保存的草稿计算；提交审批后由销售部负责人（重大时还有公司领导）逐项确认。";
                    ui.label(RichText::new(hint).small().color(MUTED));
                }
                change_table_ui(ui, c, None);
            }
            if v.quote.status != QuoteStatus::Open || !d.negotiation.rounds.is_empty() {
                section(ui, "谈判与结果");
                self.negotiation.waiting = self.busy();
                self.negotiation.ui(ui, cx, v, &d.negotiation, &self.errors);
                match self.negotiation.take_act() {
                    Some(NegotiationAct::LogRound(draft)) => {
                        let id = v.quote.id;
                        self.act(cx, QuoteEvent::RoundLogged, move |svc, a| {
                            svc.log_negotiation_round(a, id, draft)?;
                            svc.quote_view(a, id)
                        });
                    }
                    Some(NegotiationAct::RecordOutcome(draft)) => {
                        let id = v.quote.id;
                        self.act(cx, QuoteEvent::OutcomeRecorded, move |svc, a| {
                            svc.record_outcome(a, id, draft)?;
                            svc.quote_view(a, id)
                        });
                    }
                    None => {}
                }
            }
            let editing = shown.id == latest.id && self.draft.as_ref().is_some_and(|d| d.revision == shown.id);
            if editing && cx.actor.may(Permission::BuildQuote) {
                self.draft_ui(ui, cx, v);
            } else {
                revision_ro_ui(ui, v, &shown);
                let found = self.checks.as_ref().filter(|(r, _)| *r == shown.id).map(|(_, p)| p.as_slice());
                if super::bid::checks_ui(ui, cx, v, &shown, found, self.checking.is_waiting()) {
                    let (quote, revision) = (v.quote.id, shown.id);
                    self.checking = cx.ask(move |svc, a| Ok((revision, svc.bid_checks(a, quote)?)));
                }
            }
            section(ui, "审批记录");
            approvals_ui(ui, v, &shown);
            section(ui, &format!("技术评审（{}）", v.reviews.len()));
            reviews_ui(ui, v);
        });
        back
    }

    fn revisions_ui(&mut self, ui: &mut Ui, v: &QuoteView, shown: &Revision) {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("版本").color(MUTED));
            for r in &v.revisions {
                let text = format!("V{}", r.revision);
                if ui.selectable_label(r.revision == shown.revision, text).clicked() {
                    self.shown = Some(r.revision);
                }
                revision_badge(ui, r.status);
            }
            let previous = v.revisions.iter().rev().find(|r| r.revision + 1 == shown.revision);
            if let Some(a) = previous.and_then(|p| p.approvals.iter().find(|a| !a.approved)) {
                let why = format!("V{} 被 {} 驳回：{}", shown.revision - 1, a.by_name, a.comment);
                ui.label(RichText::new(why).color(ERROR_RED).small());
            }
            if v.revisions.len() > 1 {
                let n = v.revisions.len() as u32;
                if self.compare.is_none() && ui.button("对比").clicked() {
                    self.compare = Some((n - 1, n));
                }
            }
        });
    }

    /// 打印 (any revision one may see) and 用印发出 (the assistant, the latest approved revision).
    fn print_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, v: &QuoteView, shown: &Revision) {
        let q = &v.quote;
        let label = q.number.revision_label(shown.revision);
        let latest = v.latest().map(|r| r.id) == Some(shown.id);
        // The last revision that went out: issuing it again is a reprint, a later one is new.
        let last_issued = self.detail.as_ref().and_then(|d| d.negotiation.issued).map(|(n, _)| n);
        let out_already = last_issued == Some(shown.revision);
        ui.horizontal(|ui| {
            let dirty = self.dirty();
            let print = ui
                .add_enabled(!self.busy() && !dirty, egui::Button::new(format!("打印预览 {}…", q.kind.doc_title())))
                .on_hover_text("先看页面再打印或另存 PDF：未发出的版本带“草稿”水印；已发出的版本与发出时完全相同")
                .on_disabled_hover_text("请先保存草稿");
            if print.clicked() {
                let what = Printable::Quote { id: q.id, revision: Some(shown.revision) };
                self.preview = Some(PreviewWindow::open(what, label.clone(), 1, cx));
            }
            let may_issue = cx.actor.may(Permission::IssueDocument)
                && latest
                && shown.status == RevisionStatus::Approved
                && !matches!(q.status, QuoteStatus::Lost | QuoteStatus::Expired);
            if may_issue {
                let text = if out_already { "重印（用印发出）…" } else { "用印发出…" };
                let issue = egui::Button::new(RichText::new(text).color(egui::Color32::WHITE)).fill(ERROR_RED);
                if ui.add_enabled(!self.busy(), issue).clicked() {
                    let name = suggested_file_name(q, shown.revision, false);
                    self.issue = Some(IssueDialog::new(q.id, label.clone(), name, q.kind == QuoteKind::Bid, cx));
                }
            } else if shown.status == RevisionStatus::Approved
                && latest
                && !out_already
                && matches!(q.status, QuoteStatus::Open | QuoteStatus::Issued | QuoteStatus::Negotiating)
            {
                ui.label(RichText::new("已审批，待销售内勤用印发出").color(PENDING_AMBER));
            }
        });
        if let Some(d) = &mut self.issue
            && d.ui(ui, cx)
        {
            self.issue = None;
        }
        if let Some(p) = &mut self.preview
            && p.ui(ui, cx)
        {
            self.preview = None;
        }
    }

    fn actions_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, v: &QuoteView, shown: &Revision) {
        if !cx.actor.may(Permission::BuildQuote) {
            return;
        }
        let Some(latest) = v.latest() else { return };
        let label = v.quote.number.revision_label(latest.revision);
        ui.horizontal(|ui| {
            let idle = !self.busy();
            let mut act: Option<(QuoteEvent, QuoteAct)> = None;
            if let Some(d) = self.draft.as_ref().filter(|d| d.revision == latest.id) {
                if ui.add_enabled(idle, egui::Button::new("保存草稿")).clicked() {
                    match d.content() {
                        Ok(content) => {
                            let (revision, version) = (d.revision, d.version);
                            act = Some((
                                QuoteEvent::Saved,
                                Box::new(move |svc, a| svc.save_draft(a, revision, version, content)),
                            ));
                        }
                        Err(list) => self.errors = list,
                    }
                }
                let submit =
                    egui::Button::new(RichText::new("提交审批").color(egui::Color32::WHITE)).fill(theme::OK_GREEN);
                if ui.add_enabled(idle, submit).on_hover_text(format!("保存并提交 {label} 审批")).clicked() {
                    match d.content() {
                        Ok(content) => {
                            let (revision, version) = (d.revision, d.version);
                            act = Some((
                                QuoteEvent::Submitted,
                                Box::new(move |svc, a| svc.save_and_submit(a, revision, version, content)),
                            ));
                        }
                        Err(list) => self.errors = list,
                    }
                }
                let earlier: Vec<(QuoteId, String)> = self
                    .detail
                    .as_ref()
                    .map(|d| {
                        d.customer_quotes
                            .iter()
                            .map(|s| (s.quote.id, format!("{} · {} · ¥{}", s.quote.number, s.quote.subject, s.total)))
                            .collect()
                    })
                    .unwrap_or_default();
                if !earlier.is_empty() {
                    let (revision, version, dirty) = (d.revision, d.version, d.dirty());
                    ui.add_enabled_ui(idle && !dirty, |ui| {
                        egui::ComboBox::from_id_salt("copy_earlier_quote")
                            .selected_text("复制以前的报价…")
                            .width(220.0)
                            .show_ui(ui, |ui| {
                                for (source, text) in earlier {
                                    if ui.selectable_label(false, text).clicked() {
                                        act = Some((
                                            QuoteEvent::Copied,
                                            Box::new(move |svc, a| svc.copy_into_draft(a, revision, version, source)),
                                        ));
                                    }
                                }
                            })
                            .response
                            .on_disabled_hover_text("请先保存草稿，复制会替换当前明细和条款");
                    });
                }
            } else if latest.status != RevisionStatus::Superseded {
                let text = format!("修改（新建 V{}）", latest.revision + 1);
                if ui.add_enabled(idle, egui::Button::new(text)).clicked() {
                    let id = v.quote.id;
                    act = Some((QuoteEvent::NewRevision, Box::new(move |svc, a| svc.new_revision(a, id))));
                }
            }
            if self.question.is_none() && ui.button("申请技术评审").clicked() {
                self.question = Some(String::new());
            }
            if shown.id != latest.id {
                ui.label(RichText::new(format!("正在查看 V{}（只读）", shown.revision)).color(MUTED));
            }
            let waiting = v.reviews.iter().filter(|t| t.answer.is_none()).count();
            if waiting > 0 {
                ui.label(RichText::new(format!("{waiting} 条技术评审待答复")).color(PENDING_AMBER));
            }
            if let Some((event, f)) = act {
                self.act(cx, event, f);
            }
        });
        let mut close = false;
        let busy = self.busy();
        let mut ask = None;
        if let Some(q) = &mut self.question {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                let l = ui.label(format!("请技术部确认的问题（{label}）"));
                ui.add(egui::TextEdit::multiline(q).desired_rows(2).desired_width(f32::INFINITY)).labelled_by(l.id);
                field_error(ui, message_for(&self.errors, "question"));
                ui.horizontal(|ui| {
                    if ui.add_enabled(!busy && !q.trim().is_empty(), egui::Button::new("发送给技术部")).clicked()
                    {
                        ask = Some(q.clone());
                    }
                    if ui.button("取消").clicked() {
                        close = true;
                    }
                });
            });
        }
        if close {
            self.question = None;
        }
        if let Some(question) = ask {
            let revision = latest.id;
            self.act(cx, QuoteEvent::TechRequested, move |svc, a| svc.request_tech_review(a, revision, &question));
        }
    }

    fn draft_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, v: &QuoteView) {
        let Some(d) = &mut self.draft else { return };
        section(ui, &format!("报价明细（{} 行）", d.lines.len()));
        d.lines_ui(ui, &self.errors);
        let wanted = d.floor_checks();
        if !wanted.is_empty() {
            self.floor_checking = cx.ask_quietly(move |svc, a| {
                let asked: Vec<_> = wanted.iter().map(|&(_, p, v, price, discount)| (p, v, price, discount)).collect();
                let below = svc.lines_below_floor(a, &asked)?;
                Ok(wanted
                    .into_iter()
                    .zip(below)
                    .map(|((i, _, _, price, discount), b)| (i, price, discount, b))
                    .collect())
            });
        }
        ui.horizontal(|ui| {
            let text = if self.show_products { "收起价格表" } else { "＋ 添加产品" };
            if ui.button(text).clicked() {
                self.show_products = !self.show_products;
            }
            if let Some(t) = self.products.version_text().filter(|_| self.show_products) {
                ui.label(RichText::new(format!("价格表：{t}")).small().color(MUTED));
            }
        });
        if self.show_products
            && let Some(p) = self.products.ui(ui, cx)
        {
            d.add_product(&p);
        }
        ui.add_space(4.0);
        lines::totals_ui(ui, &d.totals());
        if !v.shows_floor {
            let hint = "离开单价或折扣栏时即检查是否低于最低限价；低于的行需在该行写明原因，提交时系统再次检查。";
            ui.label(RichText::new(hint).small().color(MUTED));
        }
        section(ui, "商务条款");
        d.terms_ui(ui, &self.errors, v.quote.kind == QuoteKind::Bid);
        if v.quote.kind == QuoteKind::Bid {
            section(ui, &format!("招标条款应答（{}）", draft_responses(v)));
            d.responses_ui(ui, &self.errors, &v.clauses);
            self.references.ui(ui, cx, d);
            super::bid::certificates_ui(ui, cx, d);
        }
    }

    fn compare_ui(&mut self, ui: &mut Ui, v: &QuoteView, a: u32, b: u32) {
        let (mut x, mut y) = (a, b);
        ui.horizontal(|ui| {
            ui.label(RichText::new("版本对比").strong());
            for (salt, value) in [("compare_a", &mut x), ("compare_b", &mut y)] {
                let l = ui.label(if salt == "compare_a" { "旧" } else { "新" });
                egui::ComboBox::from_id_salt(salt)
                    .selected_text(format!("V{value}"))
                    .show_ui(ui, |ui| {
                        for r in &v.revisions {
                            ui.selectable_value(value, r.revision, format!("V{}", r.revision));
                        }
                    })
                    .response
                    .labelled_by(l.id);
            }
            if ui.button("关闭对比").clicked() {
                self.compare = None;
            }
        });
        if self.compare.is_some() {
            self.compare = Some((x, y));
        }
        let find = |n: u32| v.revisions.iter().find(|r| r.revision == n);
        if let (Some(ra), Some(rb)) = (find(x), find(y)) {
            compare_ui(ui, ra, rb, |n| format!("V{n}"));
        }
    }
}

fn draft_responses(v: &QuoteView) -> usize {
    v.latest().map_or(0, |r| r.content.responses.len())
}

fn toast(event: QuoteEvent, v: &QuoteView, toasts: &mut Toasts) {
    let q = &v.quote;
    let Some(r) = v.latest() else { return };
    let label = q.number.revision_label(r.revision);
    match event {
        QuoteEvent::Created => toasts.success(format!("已创建{} {label}（草稿）。", q.kind.label())),
        QuoteEvent::Existing => toasts.info(format!("该询价已有{} {}，已打开。", q.kind.label(), q.number)),
        QuoteEvent::Saved => toasts.success(format!("{label} 草稿已保存。")),
        QuoteEvent::Copied => toasts.success(format!("{label} 已按以前的报价填入明细和条款（价格按当前价格表）。")),
        QuoteEvent::NewRevision => toasts.success(format!("已新建 {label}（草稿），上一版本保持不变。")),
        QuoteEvent::TechRequested => toasts.success("已提交技术评审申请，技术部答复后显示在此。"),
        QuoteEvent::Submitted if r.major => toasts.success(format!(
            "{label} 已提交审批。重大：{}（须销售部负责人和公司领导先后审批）",
            r.major_reasons.join("；")
        )),
        QuoteEvent::Submitted => toasts.success(format!("{label} 已提交销售部负责人审批。")),
        QuoteEvent::RoundLogged => toasts.success(format!("{} 谈判记录已保存。", q.number)),
        QuoteEvent::OutcomeRecorded => toasts.success(format!("{} 已登记为{}。", q.number, q.status.label())),
        QuoteEvent::Opened => {}
    }
    // Submitted with something to see before it can go out (the bond above all): said at once.
    if matches!(event, QuoteEvent::Submitted) {
        for w in &v.warnings {
            toasts.info(format!("提醒：{w}"));
        }
    }
}

fn section(ui: &mut Ui, title: &str) {
    ui.add_space(8.0);
    ui.label(RichText::new(title).strong().size(15.0));
}

/// Number, kind, both states, customer, contact, subject, author.
fn header_ui(ui: &mut Ui, v: &QuoteView, shown: &Revision) {
    let q = &v.quote;
    ui.horizontal_wrapped(|ui| {
        ui.heading(q.number.revision_label(shown.revision));
        kind_badge(ui, q.kind);
        revision_badge(ui, shown.status);
        doc_badge(ui, q.status);
        if shown.major {
            theme::badge(ui, "重大", ERROR_RED);
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(&q.customer_name).strong());
        if !q.contact_name.is_empty() {
            ui.label(format!("联系人：{}", q.contact_name));
        }
        ui.label(RichText::new("·").color(MUTED));
        ui.label(&q.subject);
        let by = format!("编制：{} · {}", q.author_name, local_time(q.created_at));
        ui.label(RichText::new(by).small().color(MUTED));
    });
    if shown.major && !shown.major_reasons.is_empty() {
        let why = format!("重大：{}（须销售部负责人和公司领导先后审批）", shown.major_reasons.join("；"));
        ui.label(RichText::new(why).color(ERROR_RED));
    }
    // The bond and certificate warnings of a bid's latest revision: they do not stop 提交, but
    // the bond stops 用印发出.
    if v.latest().is_some_and(|l| l.id == shown.id) {
        for w in &v.warnings {
            ui.label(RichText::new(format!("提醒：{w}")).color(PENDING_AMBER));
        }
    }
}

/// A frozen (or someone else's) revision.
fn revision_ro_ui(ui: &mut Ui, v: &QuoteView, r: &Revision) {
    if r.status == RevisionStatus::Superseded {
        ui.label(RichText::new(format!("V{} 已作废（有更新的版本），只读。", r.revision)).color(MUTED));
    }
    section(ui, &format!("报价明细（{} 行）", r.content.lines.len()));
    lines::lines_ro_ui(ui, &r.content);
    ui.add_space(4.0);
    lines::totals_ui(ui, &r.content.totals());
    section(ui, "商务条款");
    lines::terms_ro_ui(ui, &r.content);
    if v.quote.kind == QuoteKind::Bid {
        section(ui, &format!("招标条款应答（{}）", r.content.responses.len()));
        lines::responses_ro_ui(ui, &r.content.responses);
    }
}

/// Who approved or rejected the revision, and what it waits for.
pub fn approvals_ui(ui: &mut Ui, v: &QuoteView, r: &Revision) {
    let dim = |t: String| RichText::new(t).small().color(MUTED);
    ui.label(dim(format!("编制 {} · {}", r.author_name, local_time(r.created_at))));
    if let Some(at) = r.submitted_at {
        ui.label(dim(format!("提交审批 · {}", local_time(at))));
    }
    if r.major && !r.major_reasons.is_empty() {
        let why = format!("重大：{}", r.major_reasons.join("；"));
        ui.label(RichText::new(why).color(ERROR_RED));
    }
    for a in &r.approvals {
        ui.horizontal_wrapped(|ui| {
            ui.label(dim(local_time(a.at)));
            ui.label(format!("{} {}", a.step.label(), a.by_name));
            if a.approved {
                theme::badge(ui, "批准", theme::OK_GREEN);
            } else {
                theme::badge(ui, "驳回", ERROR_RED);
            }
            if !a.comment.is_empty() {
                ui.label(format!("意见：{}", a.comment));
            }
        });
    }
    let state = ApprovalState {
        status: r.status,
        major: r.major,
        content_hash: &r.content_hash,
        approvals: &r.approvals,
        author: r.author,
        customer_owner: v.quote.customer_owner,
        other_head_exists: true,
    };
    if let Some(step) = state.next_step() {
        ui.label(RichText::new(format!("等待{}审批。", step.label())).color(PENDING_AMBER));
    } else if r.status == RevisionStatus::Draft {
        ui.label(dim("草稿，尚未提交审批。".into()));
    }
}

/// The questions to the technical department and their answers.
pub fn reviews_ui(ui: &mut Ui, v: &QuoteView) {
    if v.reviews.is_empty() {
        ui.label(RichText::new("尚未申请技术评审。").small().color(MUTED));
    }
    for t in &v.reviews {
        let rev = v.revisions.iter().find(|r| r.id == t.revision).map(|r| r.revision).unwrap_or_default();
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            let asked = format!("V{rev} · {} · {}", t.requested_by, local_time(t.requested_at));
            ui.label(RichText::new(asked).small().color(MUTED));
            ui.label(format!("问：{}", t.question));
            match (&t.answer, &t.answered_by, t.answered_at) {
                (Some(a), by, at) => {
                    let who =
                        format!("{} · {}", by.clone().unwrap_or_default(), at.map(local_time).unwrap_or_default());
                    ui.label(RichText::new(format!("答：{a}")).color(theme::OK_GREEN));
                    ui.label(RichText::new(who).small().color(MUTED));
                }
                _ => {
                    ui.label(RichText::new("等待技术部答复").color(PENDING_AMBER));
                }
            }
        });
    }
}
