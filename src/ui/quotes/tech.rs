//! 技术评审 (the technical department's list): the open questions on quotes and bids. Answering
//! shows the revision's lines with their 型号规格 and 技术参数 to correct (only while it is a
//! draft: a submitted revision is frozen) and the answer box. The service checks and records it.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::lines::cell;
use crate::domain::company::FieldError;
use crate::domain::ids::QuoteId;
use crate::domain::product::{format_tech_params, parse_tech_params};
use crate::domain::quote::{Quote, Revision, TechReview};
use crate::domain::role::Permission;
use crate::service::{QuoteDetail, ServiceError};
use crate::ui::panel::{Cx, Event, Every, Panel};
use crate::ui::pickers::local_time;
use crate::ui::theme::{self, ERROR_RED, MUTED};
use crate::ui::widgets::{field_error, message_for};
use crate::ui::worker::Reply;

/// How often the list is read again (a change at another seat also reads it at once).
const REFRESH_SECONDS: f64 = 30.0;

/// One line's model and parameters as typed.
struct LineTech {
    name: String,
    model: String,
    params: String,
}

#[derive(Default)]
pub struct TechPanel {
    items: Vec<(Quote, TechReview)>,
    loaded: bool,
    /// The review being answered and its quote.
    open: Option<(QuoteId, TechReview)>,
    detail: Option<QuoteDetail>,
    lines: Vec<LineTech>,
    correct: bool,
    answer: String,
    errors: Vec<FieldError>,
    banner: Option<String>,
    answered: bool,
    refresh: Option<Every>,
    loading: Reply<Vec<(Quote, TechReview)>>,
    opening: Reply<QuoteDetail>,
    answering: Reply<QuoteDetail>,
}

impl TechPanel {
    pub fn count(&self) -> usize {
        self.items.len()
    }

    fn opened(&mut self, d: QuoteDetail) {
        self.errors.clear();
        self.banner = None;
        if let Some(r) = self.revision(&d) {
            self.lines = r
                .content
                .lines
                .iter()
                .map(|l| LineTech {
                    name: l.name.clone(),
                    model: l.model.clone(),
                    params: format_tech_params(&l.params),
                })
                .collect();
            self.correct = false;
        }
        self.detail = Some(d);
    }

    fn failed(&mut self, e: ServiceError, cx: &mut Cx<'_>) {
        cx.toasts.error(e.to_string());
        match e {
            ServiceError::Invalid(list) => self.errors = list,
            other => self.banner = Some(other.to_string()),
        }
    }

    fn revision<'a>(&self, d: &'a QuoteDetail) -> Option<&'a Revision> {
        let (_, t) = self.open.as_ref()?;
        d.view.revisions.iter().find(|r| r.id == t.revision)
    }
}

impl Panel for TechPanel {
    fn logic(&mut self, cx: &mut Cx<'_>) {
        if !cx.actor.may(Permission::AnswerTechReview) {
            return;
        }
        let refresh = self.refresh.get_or_insert(Every::seconds(REFRESH_SECONDS));
        if !self.loading.is_waiting() && refresh.due(cx.time) {
            self.loading = cx.ask_quietly(|svc, a| svc.open_tech_reviews(a));
        }
        match self.loading.take() {
            Some(Ok(items)) => {
                self.items = items;
                self.loaded = true;
            }
            Some(Err(e)) => log::warn!("tech review refresh: {e}"),
            None => {}
        }
        match self.opening.take() {
            Some(Ok(d)) => self.opened(d),
            Some(Err(e)) => self.failed(e, cx),
            None => {}
        }
        match self.answering.take() {
            Some(Ok(d)) => {
                self.errors.clear();
                self.banner = None;
                cx.toasts.success(format!("已答复 {} 的技术评审。", d.view.quote.number));
                if let Some((_, t)) = &self.open {
                    let id = t.id;
                    self.items.retain(|(_, i)| i.id != id);
                }
                self.answered = true;
                cx.emit(Event::QuoteChanged(d.view.quote.id));
                self.detail = Some(d);
            }
            Some(Err(e)) => self.failed(e, cx),
            None => {}
        }
    }

    fn on_event(&mut self, event: &Event, _cx: &mut Cx<'_>) {
        if matches!(event, Event::QuoteChanged(_) | Event::QuotesChanged | Event::OfficeChanged)
            && let Some(r) = &mut self.refresh
        {
            r.soon();
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        theme::heading(ui, "技术评审", "销售员在编制报价时提出的技术问题。答复时可修正草稿中的型号规格和技术参数。");
        if !self.loaded {
            ui.add(egui::Spinner::new());
            return;
        }
        if self.items.is_empty() && !self.answered {
            ui.label(RichText::new("目前没有待答复的技术评审。").color(MUTED));
            return;
        }
        if let Some(pick) = ui.scope(|ui| self.table_ui(ui)).inner {
            self.select(pick, cx);
        }
        ui.separator();
        if self.answered {
            ui.label(RichText::new("已答复。请在上方列表中选择下一项。").color(theme::OK_GREEN));
            return;
        }
        let Some(d) = self.detail.clone() else {
            if self.open.is_some() {
                ui.add(egui::Spinner::new());
            } else {
                ui.label(RichText::new("请在上方列表中选择一项。").color(MUTED));
            }
            return;
        };
        egui::ScrollArea::vertical().id_salt("tech_detail").auto_shrink(false).show(ui, |ui| {
            self.answer_ui(ui, cx, &d);
        });
    }
}

impl TechPanel {
    fn select(&mut self, (quote, review): (Quote, TechReview), cx: &mut Cx<'_>) {
        let id = quote.id;
        self.open = Some((id, review));
        self.detail = None;
        self.answer.clear();
        self.answered = false;
        self.errors.clear();
        self.banner = None;
        self.opening = cx.ask(move |svc, a| svc.quote_detail(a, id));
    }

    fn table_ui(&self, ui: &mut Ui) -> Option<(Quote, TechReview)> {
        let selected = self.open.as_ref().map(|(_, t)| t.id);
        let mut clicked = None;
        ui.style_mut().interaction.selectable_labels = false;
        TableBuilder::new(ui)
            .id_salt("tech_list")
            .striped(true)
            .sense(egui::Sense::click())
            .max_scroll_height(180.0)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(110.0))
            .column(Column::exact(180.0).clip(true))
            .column(Column::remainder().at_least(200.0).clip(true))
            .column(Column::exact(150.0))
            .header(24.0, |mut h| {
                for t in ["编号", "客户", "问题", "申请"] {
                    h.col(|ui| {
                        ui.strong(t);
                    });
                }
            })
            .body(|body| {
                body.rows(28.0, self.items.len(), |mut row| {
                    let (q, t) = &self.items[row.index()];
                    row.set_selected(selected == Some(t.id));
                    row.col(|ui| {
                        ui.label(q.number.to_string());
                    });
                    row.col(|ui| {
                        ui.label(&q.customer_name);
                    });
                    row.col(|ui| {
                        ui.label(&t.question).on_hover_text(&t.question);
                    });
                    row.col(|ui| {
                        ui.label(RichText::new(format!("{} · {}", t.requested_by, local_time(t.requested_at))).small());
                    });
                    if row.response().clicked() {
                        clicked = Some((q.clone(), t.clone()));
                    }
                });
            });
        clicked
    }

    fn answer_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, d: &QuoteDetail) {
        let Some((_, review)) = self.open.clone() else { return };
        let Some(r) = self.revision(d).cloned() else { return };
        let q = &d.view.quote;
        ui.heading(q.number.revision_label(r.revision));
        ui.label(format!("{} · {}", q.customer_name, q.subject));
        ui.label(RichText::new(format!("问：{}", review.question)).strong());
        let editable = r.status.editable() && d.view.latest().is_some_and(|l| l.id == r.id);
        ui.add_space(6.0);
        let text = "同时修正下列型号规格和技术参数";
        ui.add_enabled(editable, egui::Checkbox::new(&mut self.correct, text));
        if !editable {
            let why = format!(
                "V{} 已{}，型号和参数不能再改；请在答复中说明，由编制人新建版本。",
                r.revision,
                r.status.label()
            );
            ui.label(RichText::new(why).small().color(MUTED));
        }
        self.lines_ui(ui, editable && self.correct);
        ui.add_space(6.0);
        let l = ui.label("答复");
        ui.add(egui::TextEdit::multiline(&mut self.answer).desired_rows(3).desired_width(f32::INFINITY))
            .labelled_by(l.id);
        field_error(ui, message_for(&self.errors, "answer"));
        if let Some(b) = &self.banner {
            ui.label(RichText::new(b).color(ERROR_RED));
        }
        if ui.add_enabled(!self.answering.is_waiting(), egui::Button::new("提交答复")).clicked() {
            match self.corrections(&r, editable && self.correct) {
                Ok(corrections) => {
                    let (review, answer, quote) = (review.id, self.answer.clone(), d.view.quote.id);
                    self.answering = cx.ask(move |svc, a| {
                        svc.answer_tech_review(a, review, &answer, corrections)?;
                        svc.quote_detail(a, quote)
                    });
                }
                Err(list) => self.errors = list,
            }
        }
    }

    fn lines_ui(&mut self, ui: &mut Ui, enabled: bool) {
        let ids = ui
            .horizontal_top(|ui| {
                cell(ui, 28.0, false, |ui| ui.strong("序号"));
                cell(ui, 180.0, false, |ui| ui.strong("产品名称"));
                let m = cell(ui, 180.0, false, |ui| ui.strong("型号规格").id);
                let p = cell(ui, 420.0, false, |ui| ui.strong("技术参数（名称:数值; …）").id);
                [m, p]
            })
            .inner;
        for (i, l) in self.lines.iter_mut().enumerate() {
            ui.horizontal_top(|ui| {
                cell(ui, 28.0, false, |ui| ui.label(format!("{}", i + 1)));
                cell(ui, 180.0, false, |ui| ui.add(egui::Label::new(&l.name).wrap()));
                cell(ui, 180.0, false, |ui| {
                    ui.add_enabled(enabled, egui::TextEdit::singleline(&mut l.model).desired_width(176.0))
                        .labelled_by(ids[0]);
                });
                cell(ui, 420.0, false, |ui| {
                    ui.add_enabled(
                        enabled,
                        egui::TextEdit::multiline(&mut l.params).desired_rows(1).desired_width(416.0),
                    )
                    .labelled_by(ids[1]);
                    field_error(ui, message_for(&self.errors, &format!("line{i}.params")));
                });
            });
        }
    }

    /// The corrected lines (the revision's own, with the typed models and parameters).
    #[allow(clippy::type_complexity)]
    fn corrections(
        &self,
        r: &Revision,
        correct: bool,
    ) -> Result<Option<(i64, Vec<crate::domain::quote::QuoteLine>)>, Vec<FieldError>> {
        if !correct {
            return Ok(None);
        }
        let mut errors = Vec::new();
        let mut lines = r.content.lines.clone();
        for (i, (line, typed)) in lines.iter_mut().zip(&self.lines).enumerate() {
            line.model = typed.model.trim().to_string();
            match parse_tech_params(&typed.params) {
                Ok(p) => line.params = p,
                Err(e) => errors.push(FieldError::new(format!("line{i}.params"), e)),
            }
        }
        if errors.is_empty() { Ok(Some((r.version, lines))) } else { Err(errors) }
    }
}
