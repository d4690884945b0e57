//! The lines, commercial terms and tender responses of a revision (报价明细、商务条款、招标应答):
//! the draft as the builder edits it — quantities, prices and discounts read as typed, totals and
//! 大写 recomputed every frame by the domain's one formula — and a frozen revision shown read-only.
//! It only reads what was typed; the service validates and decides.

use egui::{Align, Layout, RichText, Ui};
use rust_decimal::Decimal;

use crate::domain::company::FieldError;
use crate::domain::ids::{CertificateId, PriceVersionId, ProductId, ReferenceId, RevisionId};
use crate::domain::inquiry::TenderClause;
use crate::domain::money::{Discount, Money, Quantity, TaxRate, Totals};
use crate::domain::policy::CommercialTerms;
use crate::domain::product::{Product, format_tech_params};
use crate::domain::quote::{ClauseResponse, Deviation, QuoteLine, Revision, RevisionContent};
use crate::domain::rmb::rmb_uppercase;
use crate::ui::theme::{self, ERROR_RED, MUTED};
use crate::ui::widgets;
use crate::ui::widgets::{field_error, message_for};

/// Column widths of the lines: 序号 编码 名称 型号 单位 数量 列表价 单价 折扣 金额 税率.
const WIDTHS: [f32; 11] = [28.0, 82.0, 132.0, 110.0, 34.0, 64.0, 84.0, 86.0, 46.0, 96.0, 68.0];

/// The columns' widths in `available` points: all of them where there is room; on a small
/// screen (1024×768, or 1366×768 at 150 %) 编码 and then 列表价 are left out (0) and 产品名称 and
/// 型号规格 narrow, so 金额, 税率 and the row's 删除 always stay in sight.
fn widths(available: f32, with_remove: bool) -> [f32; 11] {
    const SPACING: f32 = 8.0;
    const NARROWEST: f32 = 64.0;
    let remove = if with_remove { 44.0 } else { 0.0 };
    let total = |w: &[f32; 11]| w.iter().filter(|x| **x > 0.0).map(|x| x + SPACING).sum::<f32>() + remove;
    let mut w = WIDTHS;
    for hidden in [1, 6] {
        if total(&w) > available {
            w[hidden] = 0.0;
        }
    }
    let over = total(&w) - available;
    let room = (w[2] - NARROWEST) + (w[3] - NARROWEST);
    if over > 0.0 && room > 0.0 {
        let cut = over.min(room);
        let (a, b) = ((w[2] - NARROWEST) / room, (w[3] - NARROWEST) / room);
        w[2] -= cut * a;
        w[3] -= cut * b;
    }
    w
}
const TITLES: [&str; 11] =
    ["序号", "编码", "产品名称", "型号规格", "单位", "数量", "列表价", "单价", "折扣%", "金额", "税率"];
const RATES: [TaxRate; 4] = [TaxRate::RATE_13, TaxRate::RATE_9, TaxRate::RATE_6, TaxRate::RATE_0];

/// A cell of fixed width: rows of cells line up like a table, and a cell may hold an error below.
pub(super) fn cell<R>(ui: &mut Ui, width: f32, right: bool, add: impl FnOnce(&mut Ui) -> R) -> R {
    let layout = Layout::top_down(if right { Align::Max } else { Align::Min });
    ui.allocate_ui_with_layout(egui::vec2(width, 0.0), layout, |ui| {
        ui.set_width(width);
        add(ui)
    })
    .inner
}

/// A discount as typed in the 折扣% column: `5` for 5 %, empty for none.
fn discount_text(d: Discount) -> String {
    if d.is_zero() { String::new() } else { d.to_string().trim_end_matches('%').to_string() }
}

/// One line as typed: the texts of the editable numbers beside the line they were read into.
pub struct LineEdit {
    pub line: QuoteLine,
    qty: String,
    price: String,
    discount: String,
    qty_error: Option<String>,
    price_error: Option<String>,
    discount_error: Option<String>,
    /// The row's height when last laid out (0: not yet), for the placeholder of a row far out of
    /// view, and whether the focused field is in it (such a row is always laid out).
    height: f32,
    holds_focus: bool,
    /// What the service said about this line's floor for the price and discount it was asked
    /// for (those who may not see floors learn "below or not" when they leave the field).
    floor_checked: Option<(Money, Discount, bool)>,
    /// A price or discount field was left: ask whether the line is below its floor.
    wants_floor_check: bool,
}

impl LineEdit {
    pub fn new(line: QuoteLine) -> Self {
        LineEdit {
            qty: line.quantity.to_string(),
            price: line.unit_price.to_plain_string(),
            discount: discount_text(line.discount),
            // What the store told a reader who may not see the floor holds for the price and
            // discount it was read with, like an answer asked when leaving the field.
            floor_checked: (line.floor_price.is_none() && line.product.is_some()).then_some((
                line.unit_price,
                line.discount,
                line.below_unseen_floor.0,
            )),
            line,
            qty_error: None,
            price_error: None,
            discount_error: None,
            height: 0.0,
            holds_focus: false,
            wants_floor_check: false,
        }
    }

    /// Below its floor, as far as this window knows: from the floor shown, or from the service's
    /// answer for the price and discount now typed.
    pub fn known_below_floor(&self) -> bool {
        self.line.floor_price.is_some_and(|_| self.line.below_floor())
            || self
                .floor_checked
                .is_some_and(|(p, d, below)| below && p == self.line.unit_price && d == self.line.discount)
    }

    /// A line from the price table in force: its version, list price (the default unit price),
    /// floor (when the reader may see it) and tax rate.
    pub fn from_product(p: &Product) -> Self {
        let d = &p.draft;
        LineEdit::new(QuoteLine {
            product: Some(p.id),
            price_version: Some(p.price_version),
            code: d.code.clone(),
            name: d.name.clone(),
            model: d.model.clone(),
            unit: d.unit.clone(),
            params: d.params.clone(),
            quantity: Quantity::ONE,
            list_price: d.list_price,
            unit_price: d.list_price,
            tax_rate: d.tax_rate,
            floor_price: d.floor_price,
            ..Default::default()
        })
    }

    /// Reads the typed numbers into the line; a text that cannot be read keeps the last good
    /// value and shows why under its box.
    fn read(&mut self) {
        match Quantity::parse(&self.qty) {
            Ok(q) => (self.line.quantity, self.qty_error) = (q, None),
            Err(e) => self.qty_error = Some(e.to_string()),
        }
        match Money::parse(&self.price) {
            Ok(p) => (self.line.unit_price, self.price_error) = (p, None),
            Err(e) => self.price_error = Some(e.to_string()),
        }
        match Discount::parse(&self.discount) {
            Ok(d) => (self.line.discount, self.discount_error) = (d, None),
            Err(e) => self.discount_error = Some(e.to_string()),
        }
    }

    fn typing_errors(&self, i: usize) -> impl Iterator<Item = FieldError> + '_ {
        [("quantity", &self.qty_error), ("unit_price", &self.price_error), ("discount", &self.discount_error)]
            .into_iter()
            .filter_map(move |(f, e)| e.as_ref().map(|m| FieldError::new(format!("line{i}.{f}"), m.clone())))
    }
}

/// The commercial terms as typed.
struct TermsEdit {
    validity: String,
    delivery: String,
    prepayment: String,
    payment: String,
    warranty: String,
    place: String,
    other: String,
}

impl TermsEdit {
    fn new(t: &CommercialTerms) -> Self {
        TermsEdit {
            validity: t.validity_days.to_string(),
            delivery: t.delivery_days.to_string(),
            prepayment: t.prepayment_pct.normalize().to_string(),
            payment: t.payment_schedule.clone(),
            warranty: t.warranty_months.to_string(),
            place: t.delivery_place.clone(),
            other: t.other.clone(),
        }
    }

    fn read(&self, errors: &mut Vec<FieldError>) -> CommercialTerms {
        let mut days = |field: &'static str, text: &str, what: &str| {
            text.trim().parse::<u32>().unwrap_or_else(|_| {
                errors.push(FieldError::new(field, format!("{what}请填写整数")));
                0
            })
        };
        let validity_days = days("validity_days", &self.validity, "报价有效期");
        let delivery_days = days("delivery_days", &self.delivery, "交货期");
        let warranty_months = days("warranty_months", &self.warranty, "质保期");
        let prepayment_pct = self.prepayment.trim().trim_end_matches('%').parse::<Decimal>().unwrap_or_else(|_| {
            errors.push(FieldError::new("prepayment_pct", "预付款比例请填写数字，如 30"));
            Decimal::ZERO
        });
        CommercialTerms {
            validity_days,
            delivery_days,
            prepayment_pct,
            payment_schedule: self.payment.trim().to_string(),
            warranty_months,
            delivery_place: self.place.trim().to_string(),
            other: self.other.trim().to_string(),
        }
    }
}

/// The draft revision being built.
pub struct DraftEdit {
    pub revision: RevisionId,
    pub version: i64,
    pub lines: Vec<LineEdit>,
    terms: TermsEdit,
    notes: String,
    responses: Vec<ClauseResponse>,
    /// Bids: the certificates attached (ticked in the bid section).
    pub certificates: Vec<CertificateId>,
    /// Bids: the 业绩 listed in the 业绩表 (picked in the bid section).
    pub references: Vec<ReferenceId>,
    /// What was loaded or last saved (to tell unsaved changes).
    saved: RevisionContent,
}

impl DraftEdit {
    pub fn new(r: &Revision) -> Self {
        let c = &r.content;
        DraftEdit {
            revision: r.id,
            version: r.version,
            lines: c.lines.iter().cloned().map(LineEdit::new).collect(),
            terms: TermsEdit::new(&c.terms),
            notes: c.notes.clone(),
            responses: c.responses.clone(),
            certificates: c.certificates.clone(),
            references: c.references.clone(),
            saved: c.clone(),
        }
    }

    /// The content as typed, or what cannot be read (one message per box).
    pub fn content(&self) -> Result<RevisionContent, Vec<FieldError>> {
        let mut errors: Vec<FieldError> = self.lines.iter().enumerate().flat_map(|(i, l)| l.typing_errors(i)).collect();
        let terms = self.terms.read(&mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(RevisionContent {
            lines: self.lines.iter().map(|l| l.line.clone()).collect(),
            terms,
            notes: self.notes.trim().to_string(),
            responses: self.responses.clone(),
            certificates: self.certificates.clone(),
            references: self.references.clone(),
        })
    }

    /// Whether something typed is not saved yet.
    pub fn dirty(&self) -> bool {
        self.content().map_or(true, |c| c != self.saved)
    }

    /// The totals of the lines as they read now.
    pub fn totals(&self) -> Totals {
        RevisionContent { lines: self.lines.iter().map(|l| l.line.clone()).collect(), ..Default::default() }.totals()
    }

    pub fn add_product(&mut self, p: &Product) {
        self.lines.push(LineEdit::from_product(p));
    }

    /// The lines whose price or discount field was just left and whose floor this window does not
    /// show: (line, product, price version, unit price, discount), to ask the service.
    pub fn floor_checks(&mut self) -> Vec<(usize, ProductId, PriceVersionId, Money, Discount)> {
        let mut out = Vec::new();
        for (i, l) in self.lines.iter_mut().enumerate() {
            if !std::mem::take(&mut l.wants_floor_check) || l.line.floor_price.is_some() {
                continue;
            }
            if let (Some(p), Some(v)) = (l.line.product, l.line.price_version) {
                let already = l.floor_checked.is_some_and(|(p, d, _)| p == l.line.unit_price && d == l.line.discount);
                if !already {
                    out.push((i, p, v, l.line.unit_price, l.line.discount));
                }
            }
        }
        out
    }

    /// The service's answers to [`DraftEdit::floor_checks`].
    pub fn set_floor_checks(&mut self, answers: Vec<(usize, Money, Discount, bool)>) {
        for (i, price, discount, below) in answers {
            if let Some(l) = self.lines.get_mut(i) {
                l.floor_checked = Some((price, discount, below));
            }
        }
    }

    /// The editable lines table; `errors` are the service's, by field (`line0.quantity` …).
    pub fn lines_ui(&mut self, ui: &mut Ui, errors: &[FieldError]) {
        let w = widths(ui.available_width(), true);
        let ids = header_ui(ui, true, &w);
        let mut remove = None;
        // Only rows within a screen of the visible part are laid out; the others keep their
        // place with their last height, so the scroll bar stays true. Laying out every field of
        // a 200-line draft took 30 ms a frame. A row with a line error, or the focused field, is
        // always laid out (the error's text, and typing, must reach it).
        let clip = ui.clip_rect();
        let near = clip.expand2(egui::vec2(0.0, clip.height()));
        let focused = ui.ctx().memory(|m| m.focused()).and_then(|id| ui.ctx().read_response(id)).map(|r| r.rect);
        for (i, l) in self.lines.iter_mut().enumerate() {
            let top = ui.cursor().top();
            let has_error = errors.iter().any(|e| e.field.starts_with(&format!("line{i}.")));
            let far = top > near.bottom() || top + l.height < near.top();
            if far && l.height > 0.0 && !l.holds_focus && !has_error {
                ui.allocate_space(egui::vec2(ui.available_width(), l.height));
                continue;
            }
            let row = ui.scope(|ui| line_edit_ui(ui, i, l, &ids, errors, &w));
            l.height = row.response.rect.height();
            l.holds_focus = focused.is_some_and(|f| row.response.rect.intersects(f));
            // Ctrl+Delete in one of the row's fields deletes the row, as 删除 does.
            let keyed = l.holds_focus && ui.input(|inp| inp.modifiers.command && inp.key_pressed(egui::Key::Delete));
            if row.inner || keyed {
                remove = Some(i);
            }
        }
        if let Some(i) = remove {
            self.lines.remove(i);
        }
        if self.lines.is_empty() {
            ui.label(RichText::new("尚无产品行：请用下方“添加产品”从价格表选择。").color(MUTED));
        }
        field_error(ui, message_for(errors, "lines"));
    }

    /// `bid`: the validity is the 投标有效期 a tender asks for, not a quotation's.
    pub fn terms_ui(&mut self, ui: &mut Ui, errors: &[FieldError], bid: bool) {
        let t = &mut self.terms;
        let validity = if bid { "投标有效期（天）" } else { "报价有效期（天）" };
        egui::Grid::new("draft_terms").num_columns(2).spacing([10.0, 6.0]).min_col_width(110.0).show(ui, |ui| {
            let e = |f: &str| message_for(errors, f);
            widgets::text_field(ui, validity, &mut t.validity, e("validity_days"), false);
            widgets::text_field(ui, "交货期（天）", &mut t.delivery, e("delivery_days"), false);
            widgets::text_field(ui, "交货地点", &mut t.place, e("delivery_place"), false);
            widgets::text_field(ui, "预付款比例（%）", &mut t.prepayment, e("prepayment_pct"), false);
            widgets::text_area(ui, "付款方式", &mut t.payment, None);
            widgets::text_field(ui, "质保期（月）", &mut t.warranty, e("warranty_months"), false);
            widgets::text_area(ui, "其他条款", &mut t.other, None);
            widgets::text_area(ui, "备注说明", &mut self.notes, None);
        });
        for e in errors.iter().filter(|e| e.field == "terms") {
            field_error(ui, Some(&e.message));
        }
    }

    /// The tender clauses with our response, 偏离 and note (bids only).
    /// `clauses`: the tender's clauses — an answer to a typed clause is made from the bid's data
    /// when saved and shown read-only; ★ clauses are marked.
    pub fn responses_ui(&mut self, ui: &mut Ui, errors: &[FieldError], clauses: &[TenderClause]) {
        let width = clause_width(ui);
        let ids = ui
            .horizontal_top(|ui| {
                cell(ui, 48.0, false, |ui| ui.strong("条款号"));
                cell(ui, width, false, |ui| ui.strong("招标要求"));
                cell(ui, 34.0, false, |ui| ui.strong("类别"));
                let r = cell(ui, 200.0, false, |ui| ui.strong("应答").id);
                let d = cell(ui, 86.0, false, |ui| ui.strong("偏离").id);
                let n = cell(ui, 140.0, false, |ui| ui.strong("备注").id);
                [r, d, n]
            })
            .inner;
        for (i, c) in self.responses.iter_mut().enumerate() {
            let clause = clauses.iter().find(|k| k.no == c.clause_no);
            let starred = clause.is_some_and(|k| k.starred);
            let typed = clause.and_then(|k| k.typed.as_ref());
            ui.horizontal_top(|ui| {
                cell(ui, 48.0, false, |ui| {
                    let no = RichText::new(&c.clause_no);
                    ui.label(if starred { no.color(ERROR_RED).strong() } else { no }).on_hover_text(if starred {
                        "★ 实质性条款：负偏离即废标"
                    } else {
                        ""
                    })
                });
                cell(ui, width, false, |ui| {
                    ui.add(egui::Label::new(&c.requirement).wrap());
                    if let Some(t) = typed {
                        ui.label(RichText::new(format!("量化要求：{}", t.label())).small().color(MUTED));
                    }
                });
                cell(ui, 34.0, false, |ui| ui.label(RichText::new(c.kind.label()).small()));
                if typed.is_some() {
                    // Made from the terms, references and certificates when the draft is saved.
                    cell(ui, 200.0, false, |ui| {
                        ui.add(egui::Label::new(&c.response).wrap());
                        ui.label(RichText::new("由投标数据生成，保存时更新").small().color(MUTED));
                        field_error(ui, message_for(errors, &format!("response{i}")));
                    });
                    cell(ui, 86.0, false, |ui| {
                        let dev = RichText::new(c.deviation.label());
                        ui.label(if c.deviation == Deviation::Negative { dev.color(ERROR_RED).strong() } else { dev })
                    });
                    cell(ui, 140.0, false, |ui| {
                        ui.add(egui::TextEdit::singleline(&mut c.note).desired_width(136.0)).labelled_by(ids[2]);
                    });
                    return;
                }
                cell(ui, 200.0, false, |ui| {
                    let edit = egui::TextEdit::multiline(&mut c.response)
                        .desired_rows(1)
                        .desired_width(196.0)
                        .hint_text("写明所投产品或方案实际提供的内容");
                    ui.add(edit).labelled_by(ids[0]);
                    field_error(ui, message_for(errors, &format!("response{i}")));
                });
                cell(ui, 86.0, false, |ui| {
                    egui::ComboBox::from_id_salt(("deviation", i))
                        .selected_text(c.deviation.label())
                        .width(78.0)
                        .show_ui(ui, |ui| {
                            for d in Deviation::ALL {
                                ui.selectable_value(&mut c.deviation, d, d.label());
                            }
                        })
                        .response
                        .labelled_by(ids[1]);
                });
                cell(ui, 140.0, false, |ui| {
                    ui.add(egui::TextEdit::singleline(&mut c.note).desired_width(136.0)).labelled_by(ids[2]);
                });
            });
        }
    }

    /// Takes the service's answer after a save: the new row version, the lines as stored.
    pub fn saved_as(&mut self, r: &Revision) {
        self.version = r.version;
        self.saved = r.content.clone();
        // The answers to typed clauses are made by the service when it saves: show them as stored.
        self.responses = r.content.responses.clone();
    }
}

/// The requirement column takes what the others leave.
fn clause_width(ui: &Ui) -> f32 {
    (ui.available_width() - 48.0 - 34.0 - 200.0 - 86.0 - 140.0 - 6.0 * 8.0).max(180.0)
}

/// The header row; returns the ids of its labels (the boxes below are labelled by them).
fn header_ui(ui: &mut Ui, with_remove: bool, w: &[f32; 11]) -> Vec<egui::Id> {
    ui.horizontal_top(|ui| {
        let mut ids = Vec::new();
        for (t, &w) in TITLES.iter().zip(w) {
            if w <= 0.0 {
                ids.push(egui::Id::NULL);
                continue;
            }
            let right = matches!(*t, "数量" | "列表价" | "单价" | "折扣%" | "金额");
            ids.push(cell(ui, w, right, |ui| ui.strong(*t).id));
        }
        if with_remove {
            cell(ui, 36.0, false, |ui| ui.label(""));
        }
        ids
    })
    .inner
}

/// A label in a row of text boxes, level with their text.
fn padded(ui: &mut Ui, text: RichText) -> egui::Response {
    ui.add_space(3.0);
    ui.label(text)
}

fn number_box(ui: &mut Ui, text: &mut String, width: f32, label: egui::Id, error: Option<&str>) -> egui::Response {
    let edit = egui::TextEdit::singleline(text).desired_width(width - 4.0).align(egui::Align2::RIGHT_TOP);
    let r = widgets::select_on_focus(ui, edit).labelled_by(label);
    field_error(ui, error);
    r
}

/// One editable line; returns true when the user removes it.
fn line_edit_ui(
    ui: &mut Ui,
    i: usize,
    l: &mut LineEdit,
    ids: &[egui::Id],
    errors: &[FieldError],
    widths: &[f32; 11],
) -> bool {
    let w = *widths;
    let e = |f: &str| message_for(errors, &format!("line{i}.{f}")).map(str::to_string);
    let manual = l.line.product.is_none();
    let mut remove = false;
    ui.horizontal_top(|ui| {
        cell(ui, w[0], false, |ui| padded(ui, RichText::new(format!("{}", i + 1))));
        if w[1] > 0.0 {
            cell(ui, w[1], false, |ui| padded(ui, RichText::new(&l.line.code).small().color(MUTED)));
        }
        for (col, value) in [(2, &mut l.line.name), (3, &mut l.line.model)] {
            cell(ui, w[col], false, |ui| {
                if !manual {
                    ui.add_space(3.0);
                }
                if manual {
                    ui.add(egui::TextEdit::singleline(value).desired_width(w[col] - 4.0)).labelled_by(ids[col]);
                } else {
                    let r = ui.add(egui::Label::new(value.as_str()).truncate());
                    if col == 3 && !l.line.params.is_empty() {
                        r.on_hover_text(format_tech_params(&l.line.params));
                    }
                }
                if col == 2 {
                    field_error(ui, e("name").as_deref());
                }
            });
        }
        cell(ui, w[4], false, |ui| {
            if manual {
                ui.add(egui::TextEdit::singleline(&mut l.line.unit).desired_width(w[4] - 4.0)).labelled_by(ids[4]);
            } else {
                padded(ui, RichText::new(&l.line.unit));
            }
        });
        let qty_error = l.qty_error.clone().or(e("quantity"));
        cell(ui, w[5], true, |ui| {
            number_box(ui, &mut l.qty, w[5], ids[5], qty_error.as_deref());
        });
        if w[6] > 0.0 {
            cell(ui, w[6], true, |ui| padded(ui, RichText::new(l.line.list_price.to_string())));
        }
        let price_error = l.price_error.clone().or(e("unit_price"));
        // Leaving the price or the discount asks about the floor (per field, never per keystroke).
        let mut left = false;
        cell(ui, w[7], true, |ui| {
            left |= number_box(ui, &mut l.price, w[7], ids[7], price_error.as_deref()).lost_focus();
        });
        let discount_error = l.discount_error.clone();
        cell(ui, w[8], true, |ui| {
            left |= number_box(ui, &mut l.discount, w[8], ids[8], discount_error.as_deref()).lost_focus();
        });
        l.wants_floor_check |= left;
        l.read();
        cell(ui, w[9], true, |ui| padded(ui, RichText::new(l.line.amount().to_string()).strong()));
        cell(ui, w[10], false, |ui| {
            if !manual {
                // The rate of a product comes with its price from the table.
                ui.add_space(3.0);
                return ui.label(l.line.tax_rate.to_string());
            }
            egui::ComboBox::from_id_salt(("line_tax", i))
                .selected_text(l.line.tax_rate.to_string())
                .width(w[10] - 4.0)
                .truncate()
                .show_ui(ui, |ui| {
                    for r in RATES {
                        ui.selectable_value(&mut l.line.tax_rate, r, r.to_string());
                    }
                })
                .response
                .labelled_by(ids[10])
        });
        // Not a Tab stop (Tab goes from field to field); the keyboard deletes with Ctrl+Delete.
        let delete = egui::Button::new("删除").small().sense(egui::Sense::CLICK);
        if ui.add(delete).on_hover_text(format!("删除第 {} 行（在该行按 Ctrl+Delete）", i + 1)).clicked() {
            remove = true;
        }
    });
    // The line's note prints in the 报价单's 备注 column: shown and editable on every line.
    ui.horizontal(|ui| {
        ui.add_space(w[0] + 8.0);
        let label = ui.label(RichText::new("备注").small().color(MUTED));
        let edit = egui::TextEdit::singleline(&mut l.line.note)
            .hint_text("打印在报价单该行的备注栏，可留空")
            .desired_width(340.0);
        ui.add(edit).labelled_by(label.id);
    });
    let reason_error = e("exception_reason");
    let below = l.known_below_floor();
    if below || reason_error.is_some() || !l.line.exception_reason.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.add_space(w[0] + 8.0);
            if below || reason_error.is_some() {
                theme::badge(ui, "低于限价", ERROR_RED);
            }
            match l.line.floor_price {
                Some(f) => {
                    ui.label(RichText::new(format!("最低限价 {}", f.yuan_display())).small().color(MUTED));
                }
                None if below => {
                    ui.label(RichText::new("低于最低限价，提交时需写明原因").small().color(ERROR_RED));
                }
                None => {}
            }
            let label = ui.label("原因");
            let edit = egui::TextEdit::singleline(&mut l.line.exception_reason)
                .hint_text("如：战略客户、批量采购")
                .desired_width(340.0);
            ui.add(edit).labelled_by(label.id);
            field_error(ui, reason_error.as_deref());
        });
    }
    ui.add_space(2.0);
    remove
}

/// A frozen revision's lines.
pub fn lines_ro_ui(ui: &mut Ui, content: &RevisionContent) {
    let w = widths(ui.available_width(), false);
    header_ui(ui, false, &w);
    for (i, l) in content.lines.iter().enumerate() {
        ui.horizontal_top(|ui| {
            cell(ui, w[0], false, |ui| ui.label(format!("{}", i + 1)));
            if w[1] > 0.0 {
                cell(ui, w[1], false, |ui| ui.label(RichText::new(&l.code).small().color(MUTED)));
            }
            cell(ui, w[2], false, |ui| ui.add(egui::Label::new(&l.name).wrap()));
            cell(ui, w[3], false, |ui| {
                let r = ui.add(egui::Label::new(&l.model).wrap());
                if !l.params.is_empty() {
                    r.on_hover_text(format_tech_params(&l.params));
                }
            });
            cell(ui, w[4], false, |ui| ui.label(&l.unit));
            cell(ui, w[5], true, |ui| ui.label(l.quantity.to_string()));
            if w[6] > 0.0 {
                cell(ui, w[6], true, |ui| ui.label(l.list_price.to_string()));
            }
            cell(ui, w[7], true, |ui| ui.label(l.unit_price.to_string()));
            cell(ui, w[8], true, |ui| ui.label(discount_text(l.discount)));
            cell(ui, w[9], true, |ui| ui.label(RichText::new(l.amount().to_string()).strong()));
            cell(ui, w[10], false, |ui| ui.label(l.tax_rate.to_string()));
        });
        if !l.note.trim().is_empty() {
            ui.horizontal(|ui| {
                ui.add_space(w[0] + 8.0);
                ui.label(RichText::new(format!("备注：{}", l.note)).small());
            });
        }
        if l.below_floor() || !l.exception_reason.is_empty() {
            ui.horizontal(|ui| {
                ui.add_space(w[0] + 8.0);
                if l.below_floor() {
                    theme::badge(ui, "低于限价", ERROR_RED);
                }
                ui.label(RichText::new(format!("原因：{}", l.exception_reason)).small());
            });
        }
    }
}

/// 合计, the VAT per rate and the amount in 大写.
pub fn totals_ui(ui: &mut Ui, totals: &Totals) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        egui::Grid::new(ui.next_auto_id()).num_columns(2).spacing([16.0, 4.0]).show(ui, |ui| {
            ui.label(RichText::new("合计（含税）").color(MUTED));
            ui.label(RichText::new(totals.total.yuan_display()).strong().size(16.0));
            ui.end_row();
            for b in &totals.by_rate {
                ui.label(RichText::new(format!("税率 {}", b.rate)).color(MUTED));
                ui.label(format!("不含税金额 {}　税额 {}", b.net.yuan_display(), b.tax.yuan_display()));
                ui.end_row();
            }
            if totals.by_rate.len() > 1 {
                ui.label(RichText::new("税额合计").color(MUTED));
                ui.label(format!("不含税金额 {}　税额 {}", totals.net.yuan_display(), totals.tax.yuan_display()));
                ui.end_row();
            }
            ui.label(RichText::new("大写").color(MUTED));
            match rmb_uppercase(totals.total) {
                Ok(text) => ui.label(RichText::new(format!("人民币{text}")).strong()),
                Err(e) => ui.label(RichText::new(e.to_string()).color(ERROR_RED)),
            };
            ui.end_row();
        });
    });
}

/// A frozen revision's terms and notes.
pub fn terms_ro_ui(ui: &mut Ui, content: &RevisionContent) {
    let t = &content.terms;
    egui::Grid::new(ui.next_auto_id()).num_columns(2).spacing([12.0, 4.0]).show(ui, |ui| {
        for (label, value) in terms_rows(t) {
            ui.label(RichText::new(label).color(MUTED));
            ui.add(egui::Label::new(value).wrap());
            ui.end_row();
        }
        if !content.notes.is_empty() {
            ui.label(RichText::new("备注说明").color(MUTED));
            ui.add(egui::Label::new(&content.notes).wrap());
            ui.end_row();
        }
    });
}

/// The terms as label / text rows (also compared side by side).
pub fn terms_rows(t: &CommercialTerms) -> [(&'static str, String); 6] {
    [
        ("有效期", format!("{} 天", t.validity_days)),
        ("交货期", format!("{} 天", t.delivery_days)),
        ("预付款比例", format!("{}%", t.prepayment_pct.normalize())),
        ("付款方式", t.payment_schedule.clone()),
        ("质保期", format!("{} 个月", t.warranty_months)),
        ("其他条款", t.other.clone()),
    ]
}

/// A frozen bid's responses to the tender clauses.
pub fn responses_ro_ui(ui: &mut Ui, responses: &[ClauseResponse]) {
    let width = clause_width(ui);
    let row = |ui: &mut Ui, cells: [RichText; 6]| {
        let [no, req, kind, resp, dev, note] = cells;
        ui.horizontal_top(|ui| {
            cell(ui, 48.0, false, |ui| ui.label(no));
            cell(ui, width, false, |ui| ui.add(egui::Label::new(req).wrap()));
            cell(ui, 34.0, false, |ui| ui.label(kind));
            cell(ui, 200.0, false, |ui| ui.add(egui::Label::new(resp).wrap()));
            cell(ui, 86.0, false, |ui| ui.label(dev));
            cell(ui, 140.0, false, |ui| ui.add(egui::Label::new(note).wrap()));
        });
    };
    let s = |t: &str| RichText::new(t).strong();
    row(ui, [s("条款号"), s("招标要求"), s("类别"), s("应答"), s("偏离"), s("备注")]);
    for c in responses {
        let dev = RichText::new(c.deviation.label());
        let dev = if c.deviation == Deviation::Negative { dev.color(ERROR_RED) } else { dev };
        row(
            ui,
            [
                RichText::new(&c.clause_no),
                RichText::new(&c.requirement),
                RichText::new(c.kind.label()).small(),
                RichText::new(&c.response),
                dev,
                RichText::new(&c.note),
            ],
        );
    }
}
