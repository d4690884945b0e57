//! 报价与投标: the list of quotes and bids (virtualised, filtered as you type) with both state
//! badges, and the builder of the one opened (`builder.rs`, with its lines, bid sections,
//! comparison and negotiation); 审批, the approver's inbox (`approvals.rs`); 技术评审, the
//! technical department's list (`tech.rs`). The list is what the service lets the actor see; it
//! is read when shown and again whenever a quote changed.

mod approvals;
mod bid;
mod builder;
mod changes;
mod compare;
mod lines;
mod negotiation;
mod review;
mod tech;

pub use approvals::ApprovalsPanel;
pub use tech::TechPanel;

use egui::{Color32, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use builder::QuoteBuilder;

use crate::domain::ids::QuoteId;
use crate::domain::quote::{QuoteKind, QuoteStatus, RevisionStatus};
use crate::service::{QuoteDetail, QuoteSummary};
use crate::ui::panel::{Cx, Event, Link, Panel};
use crate::ui::pickers::local_time;
use crate::ui::theme::{self, ERROR_RED, MUTED, OK_GREEN, PENDING_AMBER, TENDER_BLUE};
use crate::ui::worker::Reply;

pub fn revision_color(s: RevisionStatus) -> Color32 {
    match s {
        RevisionStatus::Draft | RevisionStatus::Superseded => MUTED,
        RevisionStatus::Submitted => PENDING_AMBER,
        RevisionStatus::Approved => OK_GREEN,
        RevisionStatus::Rejected => ERROR_RED,
    }
}

/// 草稿 / 待审批 / 已批准 / 已驳回 / 已作废 (struck through).
pub fn revision_badge(ui: &mut Ui, s: RevisionStatus) {
    if s == RevisionStatus::Superseded {
        theme::struck_badge(ui, s.label(), MUTED);
    } else {
        theme::badge(ui, s.label(), revision_color(s));
    }
}

/// 进行中 / 已发出 / 谈判中 / 已中标/成交 / 未成交 / 已过期.
pub fn doc_badge(ui: &mut Ui, s: QuoteStatus) {
    let color = match s {
        QuoteStatus::Open | QuoteStatus::Issued => TENDER_BLUE,
        QuoteStatus::Negotiating => PENDING_AMBER,
        QuoteStatus::Won => OK_GREEN,
        QuoteStatus::Lost | QuoteStatus::Expired => MUTED,
    };
    theme::badge(ui, s.label(), color);
}

pub fn kind_badge(ui: &mut Ui, kind: QuoteKind) {
    let color = if kind == QuoteKind::Bid { TENDER_BLUE } else { MUTED };
    ui.horizontal(|ui| theme::badge(ui, kind.label(), color));
}

#[derive(Default)]
pub struct QuotesPanel {
    query: String,
    kind: Option<QuoteKind>,
    revision_status: Option<RevisionStatus>,
    status: Option<QuoteStatus>,
    rows: Vec<QuoteSummary>,
    loaded: bool,
    /// The list is read again when next shown.
    stale: bool,
    listing: Reply<Vec<QuoteSummary>>,
    builder: Option<QuoteBuilder>,
    /// 编制报价 on an inquiry: its quote, started now or already there.
    starting: Reply<(QuoteDetail, bool)>,
    cursor: crate::ui::widgets::ListCursor,
}

impl QuotesPanel {
    fn matches(&self, s: &QuoteSummary) -> bool {
        let q = &s.quote;
        let text = self.query.trim().to_lowercase();
        (text.is_empty()
            || [q.number.to_string(), q.customer_name.clone(), q.subject.clone(), q.author_name.clone()]
                .iter()
                .any(|f| f.to_lowercase().contains(&text)))
            && self.kind.is_none_or(|k| k == q.kind)
            && self.revision_status.is_none_or(|r| r == s.revision_status)
            && self.status.is_none_or(|d| d == q.status)
    }
}

impl Panel for QuotesPanel {
    fn logic(&mut self, cx: &mut Cx<'_>) {
        match self.listing.take() {
            Some(Ok(rows)) => {
                self.rows = rows;
                self.loaded = true;
            }
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.starting.take() {
            Some(Ok((d, created))) => {
                cx.go(crate::ui::nav::Nav::Quotes);
                self.builder = Some(QuoteBuilder::started(d, created, cx));
                if created {
                    cx.emit(Event::QuotesChanged);
                }
            }
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        if let Some(b) = &mut self.builder {
            b.logic(cx);
        }
    }

    fn on_event(&mut self, event: &Event, cx: &mut Cx<'_>) {
        match event {
            Event::QuoteChanged(id) => {
                self.stale = true;
                if let Some(b) = self.builder.as_mut().filter(|b| b.id() == *id) {
                    b.changed_elsewhere(cx);
                }
            }
            Event::QuotesChanged | Event::OfficeChanged => self.stale = true,
            Event::PricesChanged => {
                if let Some(b) = &mut self.builder {
                    b.products.invalidate();
                }
            }
            Event::Open(Link::Quote(id)) => {
                cx.go(crate::ui::nav::Nav::Quotes);
                self.builder = Some(QuoteBuilder::open(*id, cx));
            }
            Event::Open(Link::QuoteForInquiry(inquiry)) => {
                let inquiry = *inquiry;
                self.starting = cx.ask(move |svc, a| {
                    let (view, created) = svc.open_quote_for_inquiry(a, inquiry)?;
                    Ok((svc.quote_detail(a, view.quote.id)?, created))
                });
            }
            _ => {}
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if let Some(b) = &mut self.builder {
            if b.ui(ui, cx) {
                self.builder = None;
            }
            return;
        }
        if (!self.loaded || self.stale) && !self.listing.is_waiting() {
            self.stale = false;
            self.listing = cx.ask(|svc, a| svc.quotes(a));
        }
        theme::heading(ui, "报价与投标", "询价或招标决定参与后，在询价卡片上点“编制报价/投标”开始。");
        self.toolbar_ui(ui);
        let shown: Vec<usize> = (0..self.rows.len()).filter(|i| self.matches(&self.rows[*i])).collect();
        let shown_text = if self.loaded { format!("共 {} 条", shown.len()) } else { "正在加载…".into() };
        ui.label(RichText::new(shown_text).small().color(MUTED));
        // ↑/↓ move a highlighted row, Enter opens it (when no field has the keyboard).
        let entered = self.cursor.keys(ui, shown.len()).map(|i| self.rows[shown[i]].quote.id);
        if let Some(id) = ui.scope(|ui| self.table_ui(ui, &shown)).inner.or(entered) {
            self.builder = Some(QuoteBuilder::open(id, cx));
        }
        if self.loaded && shown.is_empty() {
            ui.label(RichText::new("没有符合条件的报价或投标。").color(MUTED));
        }
    }
}

impl QuotesPanel {
    fn toolbar_ui(&mut self, ui: &mut Ui) {
        ui.horizontal_wrapped(|ui| {
            let l = ui.label("搜索");
            ui.add(
                egui::TextEdit::singleline(&mut self.query).hint_text("编号、客户、事由或编制人").desired_width(200.0),
            )
            .labelled_by(l.id);
            let kinds = [QuoteKind::Quote, QuoteKind::Bid].map(|k| (Some(k), k.label()));
            option_combo(ui, "类型", &mut self.kind, &kinds);
            let revs = RevisionStatus::ALL.map(|s| (Some(s), s.label()));
            option_combo(ui, "版本状态", &mut self.revision_status, &revs);
            let docs = QuoteStatus::ALL.map(|s| (Some(s), s.label()));
            option_combo(ui, "单据状态", &mut self.status, &docs);
        });
    }

    /// Draws the list; returns the quote the user clicked.
    fn table_ui(&mut self, ui: &mut Ui, shown: &[usize]) -> Option<QuoteId> {
        let mut clicked = None;
        // Selectable text would take the click away from the row.
        ui.style_mut().interaction.selectable_labels = false;
        // On a small screen (1024×768, or a large scale) 类型 goes (the number says BJ or TB),
        // 编制人 and 日期 share a column, and 客户/事由 narrow: 金额 and 编制 stay in sight.
        let narrow = crate::ui::widgets::narrow_list(ui);
        let mut table = TableBuilder::new(ui)
            .id_salt(("quote_list", narrow))
            .striped(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(124.0));
        if let Some(row) = self.cursor.scroll_target() {
            table = table.scroll_to_row(row, None);
        }
        let cursor = &self.cursor;
        let titles: &[&str] = if narrow {
            table = table
                .column(Column::remainder().at_least(80.0).clip(true))
                .column(Column::remainder().at_least(60.0).clip(true))
                .column(Column::exact(104.0))
                .column(Column::exact(124.0).clip(true))
                .column(Column::exact(40.0))
                .column(Column::exact(96.0).clip(true));
            &["编号", "客户", "事由", "金额", "状态", "重大", "编制"]
        } else {
            table = table
                .column(Column::exact(44.0))
                .column(Column::remainder().at_least(120.0).clip(true))
                .column(Column::exact(170.0).clip(true))
                .column(Column::exact(104.0))
                .column(Column::exact(136.0))
                .column(Column::exact(40.0))
                .column(Column::exact(54.0).clip(true))
                .column(Column::exact(76.0));
            &["编号", "类型", "客户", "事由", "金额", "状态", "重大", "编制人", "日期"]
        };
        table
            .header(24.0, |mut h| {
                for t in titles {
                    h.col(|ui| {
                        ui.strong(*t);
                    });
                }
            })
            .body(|body| {
                body.rows(28.0, shown.len(), |mut row| {
                    row.set_selected(cursor.is_at(row.index()));
                    let s = &self.rows[shown[row.index()]];
                    let q = &s.quote;
                    row.col(|ui| {
                        ui.label(q.number.revision_label(s.revision));
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
                            ui.label(s.total.yuan_display());
                        });
                    });
                    row.col(|ui| {
                        ui.horizontal(|ui| {
                            revision_badge(ui, s.revision_status);
                            doc_badge(ui, q.status);
                        });
                    });
                    row.col(|ui| {
                        if s.major {
                            // Its own row, so the cell centred vertically does not stretch the pill.
                            ui.horizontal(|ui| theme::badge(ui, "重大", ERROR_RED));
                        }
                    });
                    let day = local_time(q.created_at);
                    let day = day.get(..10).unwrap_or(&day).to_string();
                    if narrow {
                        row.col(|ui| {
                            let short = day.get(5..).unwrap_or(&day);
                            ui.label(format!("{} {short}", q.author_name)).on_hover_text(&day);
                        });
                    } else {
                        row.col(|ui| {
                            ui.label(&q.author_name);
                        });
                        row.col(|ui| {
                            ui.label(RichText::new(&day).small());
                        });
                    }
                    if row.response().clicked() {
                        clicked = Some(q.id);
                    }
                });
            });
        clicked
    }
}

/// A labelled combo box over optional values, with 全部 for none.
fn option_combo<T: Copy + PartialEq>(ui: &mut Ui, label: &str, value: &mut Option<T>, options: &[(Option<T>, &str)]) {
    let current = options.iter().find(|(v, _)| v == value).map(|(_, t)| *t).unwrap_or("全部");
    let l = ui.label(label);
    egui::ComboBox::from_id_salt(("quote_filter", label))
        .selected_text(current)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, "全部");
            for (v, t) in options {
                ui.selectable_value(value, *v, *t);
            }
        })
        .response
        .labelled_by(l.id);
}
