//! Two revisions side by side (对比) and what a revision changes against the previous one, as the
//! builder and the approver read it: lines added, removed or changed, and each commercial term.
//! Display only — the formal `RevisionChange` records of issued documents belong to the domain.

use egui::{Color32, RichText, Ui};

use super::lines::{cell, terms_rows};
use crate::domain::product::format_tech_params;
use crate::domain::quote::{QuoteLine, Revision, RevisionContent};
use crate::ui::theme::{self, MUTED, PENDING_AMBER};

/// Whether two lines are the same item (the same product, or a typed line of the same name).
fn same_item(a: &QuoteLine, b: &QuoteLine) -> bool {
    match (a.product, b.product) {
        (Some(x), Some(y)) => x == y,
        (None, None) => a.name == b.name,
        _ => false,
    }
}

/// The lines of `old` and `new` paired by item, in the new order, removed ones last.
pub fn align<'a>(old: &'a [QuoteLine], new: &'a [QuoteLine]) -> Vec<(Option<&'a QuoteLine>, Option<&'a QuoteLine>)> {
    let mut used = vec![false; old.len()];
    let mut out = Vec::new();
    for n in new {
        let found = old.iter().enumerate().position(|(i, o)| !used[i] && same_item(o, n));
        if let Some(i) = found {
            used[i] = true;
        }
        out.push((found.map(|i| &old[i]), Some(n)));
    }
    out.extend(old.iter().zip(used).filter(|(_, u)| !u).map(|(o, _)| (Some(o), None)));
    out
}

/// What changed in one line, in words: `数量 2 → 3`, `单价 ¥1.00 → ¥0.90` …
pub fn line_differences(a: &QuoteLine, b: &QuoteLine) -> Vec<String> {
    let mut out = Vec::new();
    let mut diff = |what: &str, x: String, y: String| {
        if x != y {
            out.push(format!("{what} {x} → {y}"));
        }
    };
    diff("型号规格", a.model.clone(), b.model.clone());
    diff("技术参数", format_tech_params(&a.params), format_tech_params(&b.params));
    diff("数量", a.quantity.to_string(), b.quantity.to_string());
    diff("单价", a.unit_price.yuan_display(), b.unit_price.yuan_display());
    diff("折扣", a.discount.to_string(), b.discount.to_string());
    diff("税率", a.tax_rate.to_string(), b.tax_rate.to_string());
    out
}

/// The changes of `new` against `old`, one sentence each (empty when nothing changed).
pub fn changes(old: &RevisionContent, new: &RevisionContent) -> Vec<(Color32, String)> {
    let mut out = Vec::new();
    for pair in align(&old.lines, &new.lines) {
        match pair {
            (None, Some(n)) => out.push((theme::OK_GREEN, format!("新增：{} {} × {}", n.name, n.quantity, n.unit))),
            (Some(o), None) => out.push((theme::ERROR_RED, format!("删除：{} {} × {}", o.name, o.quantity, o.unit))),
            (Some(o), Some(n)) => {
                let d = line_differences(o, n);
                if !d.is_empty() {
                    out.push((PENDING_AMBER, format!("修改：{}（{}）", n.name, d.join("；"))));
                }
            }
            (None, None) => {}
        }
    }
    for ((label, a), (_, b)) in terms_rows(&old.terms).into_iter().zip(terms_rows(&new.terms)) {
        if a != b {
            out.push((PENDING_AMBER, format!("{label}：{a} → {b}")));
        }
    }
    if old.notes != new.notes {
        out.push((PENDING_AMBER, "备注说明已修改".to_string()));
    }
    let (x, y) = (old.totals().total, new.totals().total);
    if x != y {
        out.push((MUTED, format!("合计 {} → {}", x.yuan_display(), y.yuan_display())));
    }
    out
}

/// The changes as a list (the approver's "与上一版本相比").
pub fn changes_ui(ui: &mut Ui, old: &RevisionContent, new: &RevisionContent) {
    let list = changes(old, new);
    if list.is_empty() {
        ui.label(RichText::new("内容与上一版本相同。").color(MUTED));
    }
    for (color, text) in list {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("•").color(color));
            ui.label(text);
        });
    }
}

fn cell_text(text: String, differs: bool) -> RichText {
    let t = RichText::new(text);
    if differs { t.background_color(PENDING_AMBER.gamma_multiply(0.25)) } else { t }
}

/// Two revisions side by side; the cells of `b` that differ from `a` are highlighted.
pub fn compare_ui(ui: &mut Ui, a: &Revision, b: &Revision, label: impl Fn(u32) -> String) {
    let (ca, cb) = (&a.content, &b.content);
    egui::Grid::new(("compare_lines", a.id.0, b.id.0)).striped(true).num_columns(9).spacing([10.0, 4.0]).show(
        ui,
        |ui| {
            ui.strong("产品");
            for r in [a, b] {
                ui.strong(format!("{} 数量", label(r.revision)));
                for t in ["单价", "折扣", "金额"] {
                    ui.strong(t);
                }
            }
            ui.end_row();
            for (o, n) in align(&ca.lines, &cb.lines) {
                let Some(item) = n.or(o) else { continue };
                ui.label(format!("{} {}", item.name, item.model));
                let cells = |l: Option<&QuoteLine>| match l {
                    Some(l) => [
                        format!("{} {}", l.quantity, l.unit),
                        l.unit_price.to_string(),
                        l.discount.to_string(),
                        l.amount().to_string(),
                    ],
                    None => ["—".to_string(), String::new(), String::new(), String::new()],
                };
                let (x, y) = (cells(o), cells(n));
                for t in x.iter() {
                    ui.label(t.as_str());
                }
                for (t, before) in y.into_iter().zip(x.iter()) {
                    let differs = &t != before;
                    ui.label(cell_text(t, differs));
                }
                ui.end_row();
            }
            let (x, y) = (ca.totals().total.to_string(), cb.totals().total.to_string());
            ui.strong("合计");
            for _ in 0..3 {
                ui.label("");
            }
            ui.strong(x.as_str());
            for _ in 0..3 {
                ui.label("");
            }
            let differs = x != y;
            ui.label(cell_text(y, differs).strong());
            ui.end_row();
        },
    );
    ui.add_space(6.0);
    // Fixed columns: long payment terms wrap in their own half instead of squeezing the others.
    let half = ((ui.available_width() - 100.0 - 16.0) / 2.0).clamp(160.0, 420.0);
    let row = |ui: &mut Ui, t: RichText, x: RichText, y: RichText| {
        ui.horizontal_top(|ui| {
            cell(ui, 100.0, false, |ui| ui.label(t));
            cell(ui, half, false, |ui| ui.add(egui::Label::new(x).wrap()));
            cell(ui, half, false, |ui| ui.add(egui::Label::new(y).wrap()));
        });
    };
    let strong = |t: String| RichText::new(t).strong();
    row(ui, strong("商务条款".into()), strong(label(a.revision)), strong(label(b.revision)));
    for ((t, x), (_, y)) in terms_rows(&ca.terms).into_iter().zip(terms_rows(&cb.terms)) {
        let differs = x != y;
        row(ui, RichText::new(t).color(MUTED), RichText::new(x), cell_text(y, differs));
    }
}
