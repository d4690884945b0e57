//! 审批 (the approval inbox): the revisions waiting for this approver, read when shown and again
//! whenever a quote changed; the navigation's count comes from a count query on the back lane,
//! every 30 seconds and at once after a change. For the selected one: the document, the amount, why it is major, every line's
//! price against the list (and the floor where the reader may see it), the technical reviews,
//! what changed against the previous revision and the customer's other quotes; 批准 / 驳回 with a
//! comment. A bid shows its review (投标审查: deadline and bond, every clause with what is offered,
//! the certificates and references, what the cross-checks find), and any revision opens in the
//! print preview as it would print, without saving a file. A revision made after issue shows its 变更确认表 above the buttons: the approver ticks
//! 确认 on each change and approves exactly those, or rejects (unticked changes are recorded as
//! refused). The service decides whether this person may approve it now.

use egui::{Color32, RichText, Ui};
use egui_extras::{Column, TableBuilder};
use rust_decimal::{Decimal, RoundingStrategy};

use super::builder::{approvals_ui, reviews_ui};
use super::changes::{ChangeTicks, change_table_ui};
use super::compare::changes_ui;
use super::lines::{self};
use super::{doc_badge, kind_badge, revision_badge};
use crate::domain::company::FieldError;
use crate::domain::ids::{QuoteId, RevisionId};
use crate::domain::money::{Money, effective_unit_price};
use crate::domain::quote::{QuoteKind, QuoteLine, Revision};
use crate::domain::role::Permission;
use crate::service::{ApprovalItem, BidReview, Printable, QuoteDetail, RevisionChanges, ServiceError};
use crate::ui::Nav;
use crate::ui::documents::PreviewWindow;
use crate::ui::panel::{Cx, Event, Every, Link, Panel};
use crate::ui::pickers::local_time;
use crate::ui::theme::{self, ERROR_RED, MUTED, PENDING_AMBER};
use crate::ui::widgets::{field_error, message_for};
use crate::ui::worker::Reply;

/// How often the inbox is read again (a change at another seat also reads it at once).
const REFRESH_SECONDS: f64 = 30.0;

#[derive(Default)]
pub struct ApprovalsPanel {
    items: Vec<ApprovalItem>,
    loaded: bool,
    /// The revision selected, and its quote once loaded.
    open: Option<(QuoteId, RevisionId)>,
    detail: Option<QuoteDetail>,
    comment: String,
    errors: Vec<FieldError>,
    banner: Option<String>,
    /// The one just decided, while it stays on screen (the last one: the next opens by itself).
    decided: Option<RevisionId>,
    /// The list's order: newest first unless the approver asks for the oldest first.
    oldest_first: bool,
    /// The approver's 确认 ticks on a revision made after issue.
    ticks: ChangeTicks,
    refresh: Option<Every>,
    /// How many wait, from the count query (the badge, whether the list was read or not).
    waiting: usize,
    counting: Reply<usize>,
    /// The list is read again when next shown.
    stale: bool,
    loading: Reply<Vec<ApprovalItem>>,
    opening: Reply<QuoteDetail>,
    deciding: Reply<QuoteDetail>,
    /// The bid review of the open revision, once read.
    review: Option<BidReview>,
    reviewing: Reply<BidReview>,
    preview: Option<PreviewWindow>,
}

impl ApprovalsPanel {
    /// How many wait for this person (the navigation's badge).
    pub fn count(&self) -> usize {
        self.waiting
    }

    fn refreshed(&mut self, items: Vec<ApprovalItem>) {
        if let Some((_, rev)) = self.open
            && !items.iter().any(|i| i.revision.id == rev)
            && self.decided != Some(rev)
        {
            self.open = None; // decided meanwhile by someone else
            self.detail = None;
        }
        self.waiting = items.len();
        self.items = items;
        self.sort();
        self.loaded = true;
    }

    /// Newest submission first (what just came in), or the oldest first when chosen.
    fn sort(&mut self) {
        let oldest = self.oldest_first;
        self.items.sort_by(|a, b| {
            let order = a.revision.submitted_at.cmp(&b.revision.submitted_at).then(a.revision.id.cmp(&b.revision.id));
            if oldest { order } else { order.reverse() }
        });
    }

    fn failed(&mut self, e: ServiceError, cx: &mut Cx<'_>) {
        cx.toasts.error(e.to_string());
        match e {
            ServiceError::Invalid(list) => self.errors = list,
            other => self.banner = Some(other.to_string()),
        }
    }

    /// The decision went through: say what it was, take the item off the list.
    fn decided(&mut self, d: &QuoteDetail, cx: &mut Cx<'_>) {
        self.errors.clear();
        self.banner = None;
        let Some((_, rev)) = self.open else { return };
        if let Some(r) = d.view.revisions.iter().find(|r| r.id == rev) {
            let label = d.view.quote.number.revision_label(r.revision);
            let how = match r.approvals.last() {
                Some(a) if !a.approved => "已驳回".to_string(),
                // A major revision's first approval: it goes on to company leadership.
                Some(a) if r.status == crate::domain::quote::RevisionStatus::Submitted => {
                    format!("已批准（{}），待公司领导审批", a.step.label())
                }
                _ => "已批准".to_string(),
            };
            cx.toasts.success(format!("{label} {how}。"));
        }
        self.items.retain(|i| i.revision.id != rev);
        self.decided = Some(rev);
        self.comment.clear();
        cx.emit(Event::QuoteChanged(d.view.quote.id));
    }
}

impl Panel for ApprovalsPanel {
    fn logic(&mut self, cx: &mut Cx<'_>) {
        if !cx.actor.may(Permission::Approve) {
            return;
        }
        let refresh = self.refresh.get_or_insert(Every::seconds(REFRESH_SECONDS));
        if !self.counting.is_waiting() && refresh.due(cx.time) {
            self.counting = cx.ask_quietly(|svc, a| svc.approval_count(a));
        }
        match self.counting.take() {
            Some(Ok(n)) => {
                // The list on screen no longer matches: read it again when shown.
                self.stale |= self.loaded && n != self.items.len();
                self.waiting = n;
            }
            Some(Err(e)) => log::warn!("approval count: {e}"),
            None => {}
        }
        match self.loading.take() {
            Some(Ok(items)) => self.refreshed(items),
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.opening.take() {
            Some(Ok(d)) => {
                self.errors.clear();
                self.banner = None;
                self.ask_review(&d, cx);
                self.detail = Some(d);
            }
            Some(Err(e)) => self.failed(e, cx),
            None => {}
        }
        match self.deciding.take() {
            Some(Ok(d)) => {
                self.decided(&d, cx);
                // The next waiting item opens by itself; after the last, the decided one stays.
                match self.items.first().map(|i| (i.quote.id, i.revision.id)) {
                    Some((q, r)) => self.select(q, r, cx),
                    None => self.detail = Some(d),
                }
            }
            Some(Err(e)) => self.failed(e, cx),
            None => {}
        }
        match self.reviewing.take() {
            Some(Ok(r)) => self.review = Some(r),
            Some(Err(e)) => self.banner = Some(e.to_string()),
            None => {}
        }
    }

    fn on_event(&mut self, event: &Event, cx: &mut Cx<'_>) {
        match event {
            Event::QuoteChanged(id) => {
                self.stale = true;
                if let Some(r) = &mut self.refresh {
                    r.soon();
                }
                // Another view changed the quote on screen: show it as it is now.
                if self.open.is_some_and(|(q, r)| q == *id && self.decided != Some(r)) && !self.deciding.is_waiting() {
                    let id = *id;
                    self.review = None;
                    self.opening = cx.ask(move |svc, a| svc.quote_detail(a, id));
                }
            }
            Event::QuotesChanged | Event::OfficeChanged => {
                self.stale = true;
                if let Some(r) = &mut self.refresh {
                    r.soon();
                }
            }
            Event::Open(Link::Approval(quote, revision)) => {
                cx.go(Nav::Approvals);
                self.stale = true;
                self.select(*quote, *revision, cx);
            }
            _ => {}
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        theme::heading(
            ui,
            "审批",
            "提交审批的报价和投标在这里等您批准或驳回。重大项目须销售部负责人和公司领导先后审批。",
        );
        if (!self.loaded || self.stale) && !self.loading.is_waiting() {
            self.stale = false;
            self.loading = cx.ask(|svc, a| svc.approval_inbox(a));
        }
        if !self.loaded {
            ui.add(egui::Spinner::new());
            return;
        }
        if self.items.is_empty() && self.decided.is_none() {
            ui.label(RichText::new("目前没有等您审批的报价或投标。").color(MUTED));
            return;
        }
        if self.open.is_none()
            && let Some(first) = self.items.first()
        {
            let (q, r) = (first.quote.id, first.revision.id);
            self.select(q, r, cx);
        }
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("等待审批 {} 项", self.items.len())).color(MUTED));
            if ui.checkbox(&mut self.oldest_first, "最早提交的在前").changed() {
                self.sort();
            }
        });
        if let Some((q, r)) = ui.scope(|ui| self.table_ui(ui)).inner {
            self.select(q, r, cx);
        }
        ui.separator();
        if self.decided.is_some() && self.decided == self.open.map(|o| o.1) {
            ui.label(RichText::new("已处理。目前没有其他等您审批的项目。").color(theme::OK_GREEN));
        }
        let Some(d) = self.detail.clone() else {
            if self.open.is_some() {
                ui.add(egui::Spinner::new());
            }
            return;
        };
        let Some(r) = self.open.and_then(|(_, rev)| d.view.revisions.iter().find(|r| r.id == rev)).cloned() else {
            return;
        };
        egui::ScrollArea::vertical().id_salt(("approval_detail", r.id)).auto_shrink(false).show(ui, |ui| {
            self.detail_ui(ui, cx, &d, &r);
        });
        if let Some(p) = &mut self.preview
            && p.ui(ui, cx)
        {
            self.preview = None;
        }
    }
}

impl ApprovalsPanel {
    /// Reads the bid review of the open revision (bids only).
    fn ask_review(&mut self, d: &QuoteDetail, cx: &mut Cx<'_>) {
        match self.open {
            Some((quote, revision)) if d.view.quote.kind == QuoteKind::Bid && d.view.quote.id == quote => {
                if self.review.is_none() {
                    self.reviewing = cx.ask(move |svc, a| svc.bid_review(a, quote, revision));
                }
            }
            _ => self.review = None,
        }
    }

    fn select(&mut self, quote: QuoteId, revision: RevisionId, cx: &mut Cx<'_>) {
        if self.open.is_some_and(|(_, r)| r == revision) {
            return;
        }
        self.open = Some((quote, revision));
        self.decided = None;
        self.detail = None;
        self.review = None;
        self.reviewing = Reply::default();
        self.comment.clear();
        self.errors.clear();
        self.banner = None;
        self.opening = cx.ask(move |svc, a| svc.quote_detail(a, quote));
    }

    fn table_ui(&self, ui: &mut Ui) -> Option<(QuoteId, RevisionId)> {
        let selected = self.open.map(|o| o.1);
        let mut clicked = None;
        ui.style_mut().interaction.selectable_labels = false;
        // On a small screen 类型 goes (the number says BJ or TB) and 客户, 事由 and 重大原因
        // narrow: 金额 and who submitted it stay in sight.
        let narrow = crate::ui::widgets::narrow_list(ui);
        let (subject, why) = if narrow {
            (Column::remainder().at_least(60.0).clip(true), Column::exact(110.0).clip(true))
        } else {
            (Column::exact(160.0).clip(true), Column::exact(180.0).clip(true))
        };
        let mut table = TableBuilder::new(ui)
            .id_salt(("approval_list", narrow))
            .striped(true)
            .sense(egui::Sense::click())
            .max_scroll_height(160.0)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(130.0));
        if !narrow {
            table = table.column(Column::exact(44.0));
        }
        let titles: &[&str] = if narrow {
            &["编号", "客户", "事由", "金额", "重大原因", "编制"]
        } else {
            &["编号", "类型", "客户", "事由", "金额", "重大原因", "编制"]
        };
        table
            .column(Column::remainder().at_least(if narrow { 80.0 } else { 120.0 }).clip(true))
            .column(subject)
            .column(Column::exact(110.0))
            .column(why)
            .column(Column::exact(120.0))
            .header(24.0, |mut h| {
                for t in titles {
                    h.col(|ui| {
                        ui.strong(*t);
                    });
                }
            })
            .body(|body| {
                body.rows(28.0, self.items.len(), |mut row| {
                    let item = &self.items[row.index()];
                    let (q, r) = (&item.quote, &item.revision);
                    row.set_selected(selected == Some(r.id));
                    row.col(|ui| {
                        ui.label(q.number.revision_label(r.revision));
                    });
                    if !narrow {
                        row.col(|ui| kind_badge(ui, q.kind));
                    }
                    row.col(|ui| {
                        ui.label(&q.customer_name).on_hover_text(&q.customer_name);
                    });
                    row.col(|ui| {
                        ui.label(&q.subject).on_hover_text(&q.subject);
                    });
                    row.col(|ui| {
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            ui.label(r.total.yuan_display());
                        });
                    });
                    row.col(|ui| {
                        let why = r.major_reasons.join("；");
                        ui.label(RichText::new(&why).color(ERROR_RED).small()).on_hover_text(why);
                    });
                    row.col(|ui| {
                        let when = r.submitted_at.map(|t| t.with_timezone(&chrono::Local).format("%m-%d %H:%M"));
                        let when = when.map(|w| w.to_string()).unwrap_or_default();
                        ui.label(RichText::new(format!("{} · {when}", r.author_name)).small());
                    });
                    if row.response().clicked() {
                        clicked = Some((q.id, r.id));
                    }
                });
            });
        clicked
    }

    fn detail_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, d: &QuoteDetail, r: &Revision) {
        let v = &d.view;
        let q = &v.quote;
        ui.horizontal_wrapped(|ui| {
            ui.heading(q.number.revision_label(r.revision));
            kind_badge(ui, q.kind);
            revision_badge(ui, r.status);
            if r.major {
                theme::badge(ui, "重大", ERROR_RED);
            }
            ui.label(RichText::new(r.total.yuan_display()).strong().size(16.0));
            let label = q.number.revision_label(r.revision);
            let preview = ui
                .button(format!("打印预览 {}…", q.kind.doc_title()))
                .on_hover_text("按打印效果逐页查看这一版本（不保存文件）");
            if preview.clicked() {
                let what = Printable::Quote { id: q.id, revision: Some(r.revision) };
                self.preview = Some(PreviewWindow::open(what, label, 1, cx));
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&q.customer_name).strong());
            ui.label(&q.subject);
            let by = format!("编制：{} · 提交：{}", r.author_name, r.submitted_at.map(local_time).unwrap_or_default());
            ui.label(RichText::new(by).small().color(MUTED));
        });
        if r.major && !r.major_reasons.is_empty() {
            let why = format!("重大原因：{}", r.major_reasons.join("；"));
            ui.label(RichText::new(why).color(ERROR_RED));
        }
        // Where it stands, at the top: 李强 提交 → 赵敏 已同意 → 公司领导 审批中.
        timeline_ui(ui, r);
        let pending = self.decided != Some(r.id) && self.items.iter().any(|i| i.revision.id == r.id);
        let changes = d.negotiation.changes_of(r.id).filter(|c| !c.set.is_empty()).cloned();
        if let Some(c) = &changes {
            section(ui, "变更确认表（与已发出的版本相比，请逐项确认）");
            if pending {
                self.ticks.for_revision(r.id);
                change_table_ui(ui, c, Some(&mut self.ticks));
            } else {
                change_table_ui(ui, c, None);
            }
        }
        if q.kind == QuoteKind::Bid {
            section(ui, "投标审查");
            match &self.review {
                Some(review) => super::review::review_ui(ui, review, cx.today),
                None => {
                    ui.add(egui::Spinner::new());
                }
            }
        }
        section(ui, &format!("报价明细与价格（{} 行）", r.content.lines.len()));
        price_table_ui(ui, &r.content.lines, v.shows_floor);
        lines::totals_ui(ui, &r.content.totals());
        section(ui, "商务条款");
        lines::terms_ro_ui(ui, &r.content);
        if let Some(prev) = v.revisions.iter().find(|p| p.revision + 1 == r.revision) {
            section(ui, &format!("与 V{} 相比", prev.revision));
            changes_ui(ui, &prev.content, &r.content);
        }
        section(ui, &format!("技术评审（{}）", v.reviews.len()));
        reviews_ui(ui, v);
        section(ui, &format!("该客户的其他报价（{}）", d.customer_quotes.len()));
        customer_quotes_ui(ui, d);
        section(ui, "审批记录");
        approvals_ui(ui, v, r);
        // The decision after everything it is about (the details above, read first).
        if pending {
            self.decide_ui(ui, cx, r, changes.as_ref());
        }
    }

    fn decide_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, r: &Revision, changes: Option<&RevisionChanges>) {
        egui::Frame::group(ui.style()).stroke(egui::Stroke::new(1.0, PENDING_AMBER)).show(ui, |ui| {
            ui.set_width(ui.available_width());
            let l = ui.label("审批意见");
            ui.add(
                egui::TextEdit::multiline(&mut self.comment)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY)
                    .hint_text("批准时可不填；驳回时请写明原因，编制人据此修改"),
            )
            .labelled_by(l.id);
            field_error(ui, message_for(&self.errors, "comment"));
            if let Some(b) = &self.banner {
                ui.label(RichText::new(b).color(ERROR_RED));
            }
            let mut decision = None;
            let all_ticked = changes.is_none_or(|c| self.ticks.all_confirmed(c));
            ui.horizontal(|ui| {
                let text = if changes.is_some() { "确认全部变更并批准" } else { "批准" };
                let approve = egui::Button::new(RichText::new(text).color(Color32::WHITE)).fill(theme::OK_GREEN);
                let approve = ui
                    .add_enabled(!self.deciding.is_waiting() && all_ticked, approve)
                    .on_disabled_hover_text("请在变更确认表中逐项勾选“确认”");
                if approve.clicked() {
                    decision = Some(true);
                }
                if ui.add_enabled(!self.deciding.is_waiting(), egui::Button::new("驳回")).clicked() {
                    decision = Some(false);
                }
                if let Some(c) = changes.filter(|_| !all_ticked) {
                    let open = c.set.changes.len() - self.ticks.decisions(c).iter().filter(|d| d.confirmed).count();
                    let hint = format!("还有 {open} 项未确认；驳回时未勾选的变更记为不同意");
                    ui.label(RichText::new(hint).small().color(PENDING_AMBER));
                }
            });
            if let Some(approve) = decision {
                self.errors.clear();
                self.banner = None;
                let (revision, hash, comment) = (r.id, r.content_hash.clone(), self.comment.clone());
                let quote = r.quote;
                match changes {
                    // Approving confirms every change; rejecting records the unticked ones as refused.
                    Some(c) if approve || !all_ticked => {
                        let decisions = self.ticks.decisions(c);
                        self.deciding = cx.ask(move |svc, a| {
                            svc.decide_changes(a, revision, &hash, &decisions, &comment)?;
                            svc.quote_detail(a, quote)
                        });
                    }
                    _ => {
                        self.deciding = cx.ask(move |svc, a| {
                            svc.decide_revision(a, revision, &hash, approve, &comment)?;
                            svc.quote_detail(a, quote)
                        });
                    }
                }
            }
        });
    }
}

fn section(ui: &mut Ui, title: &str) {
    ui.add_space(8.0);
    ui.label(RichText::new(title).strong().size(15.0));
}

/// `-8.0%`: how far `price` is from `reference`.
fn gap(price: Decimal, reference: Money) -> String {
    let base = reference.as_decimal();
    if base.is_zero() {
        return "—".into();
    }
    let pct = ((price - base) / base * Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
    if pct.is_sign_positive() && !pct.is_zero() { format!("+{pct}%") } else { format!("{pct}%") }
}

/// Each line's price against the list and (where visible) the floor.
fn price_table_ui(ui: &mut Ui, lines: &[QuoteLine], shows_floor: bool) {
    // 金额 right after the price it comes from; the comparisons after it, so on a small screen
    // the amount stays in sight and only the comparisons scroll sideways.
    let mut titles =
        vec!["序号", "产品名称", "型号规格", "数量", "单价", "折扣", "折后单价", "金额", "列表价", "较列表价"];
    if shows_floor {
        titles.extend(["最低限价", "较限价"]);
    }
    egui::ScrollArea::horizontal().id_salt("approval_lines_scroll").show(ui, |ui| {
        egui::Grid::new("approval_lines").striped(true).num_columns(titles.len()).spacing([10.0, 4.0]).show(ui, |ui| {
            for t in &titles {
                ui.strong(*t);
            }
            ui.end_row();
            for (i, l) in lines.iter().enumerate() {
                let eff = effective_unit_price(l.unit_price, l.discount);
                let below = l.below_floor();
                let red = |t: String| if below { RichText::new(t).color(ERROR_RED) } else { RichText::new(t) };
                ui.label(format!("{}", i + 1));
                ui.vertical(|ui| {
                    ui.set_max_width(220.0);
                    ui.add(egui::Label::new(&l.name).wrap());
                    if below || !l.exception_reason.is_empty() {
                        ui.horizontal_wrapped(|ui| {
                            if below {
                                theme::badge(ui, "低于限价", ERROR_RED);
                            }
                            ui.label(RichText::new(format!("原因：{}", l.exception_reason)).small());
                        });
                    }
                });
                ui.label(RichText::new(&l.model).small());
                ui.label(format!("{} {}", l.quantity, l.unit));
                ui.label(l.unit_price.to_string());
                ui.label(l.discount.to_string());
                ui.label(red(Money::from_decimal(eff).to_string()));
                ui.label(RichText::new(l.amount().to_string()).strong());
                ui.label(l.list_price.to_string());
                ui.label(gap(eff, l.list_price));
                if shows_floor {
                    match l.floor_price {
                        Some(f) => {
                            ui.label(f.to_string());
                            ui.label(red(gap(eff, f)));
                        }
                        None => {
                            ui.label("—");
                            ui.label("");
                        }
                    }
                }
                ui.end_row();
            }
        });
    });
}

/// The customer's other quotes and bids with their outcome so far.
fn customer_quotes_ui(ui: &mut Ui, d: &QuoteDetail) {
    if d.customer_quotes.is_empty() {
        ui.label(RichText::new("该客户此前没有报价。").small().color(MUTED));
        return;
    }
    egui::Grid::new("customer_quotes").striped(true).num_columns(5).spacing([10.0, 4.0]).show(ui, |ui| {
        for s in &d.customer_quotes {
            let q = &s.quote;
            ui.label(q.number.revision_label(s.revision));
            ui.label(&q.subject);
            ui.horizontal(|ui| {
                revision_badge(ui, s.revision_status);
                doc_badge(ui, q.status);
            });
            ui.label(s.total.yuan_display());
            ui.label(RichText::new(local_time(q.created_at)).small().color(MUTED));
            ui.end_row();
        }
    });
}

/// The revision's way through approval on one line: who wrote and submitted it, each step's
/// answer, and whose turn it is now.
fn timeline_ui(ui: &mut Ui, r: &Revision) {
    use crate::domain::quote::{ApprovalStep, RevisionStatus};
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("审批进度").color(MUTED));
        let when = r.submitted_at.map(local_time).unwrap_or_default();
        ui.label(format!("{} 提交 {when}", r.author_name));
        for a in &r.approvals {
            ui.label(RichText::new("→").color(MUTED));
            let (text, color) = if a.approved { ("已同意", theme::OK_GREEN) } else { ("已驳回", ERROR_RED) };
            theme::badge(ui, &format!("{} {} {text}", a.step.label(), a.by_name), color);
        }
        if r.status == RevisionStatus::Submitted {
            let head_done = r.approvals.iter().any(|a| a.approved && a.step == ApprovalStep::Head);
            let next = if head_done { "公司领导" } else { "销售部负责人" };
            ui.label(RichText::new("→").color(MUTED));
            theme::badge(ui, &format!("{next} 审批中"), PENDING_AMBER);
        }
    });
}
