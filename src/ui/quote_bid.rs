//! The bid builder's own section: which certificates (资质证书) the 投标书 attaches as its
//! qualification documents. A new bid starts with every certificate in force ticked; the builder
//! unticks what the tender does not ask for. Expired or retired ones are shown, marked, so a bid
//! that still carries one is fixed before the cross-checks stop it at issue.

use egui::{RichText, Ui};

use super::Cx;
use super::certificates::expiry_badge;
use super::quote_lines::DraftEdit;
use super::widgets::{self, ERROR_RED, MUTED};
use crate::domain::certificate::Certificate;

/// The tick list, in the library's order; what is ticked is saved with the draft.
pub fn certificates_ui(ui: &mut Ui, cx: &Cx<'_>, d: &mut DraftEdit) {
    ui.add_space(6.0);
    ui.label(RichText::new(format!("资格证明文件（附 {} 份证书）", d.certificates.len())).strong());
    let library: &[Certificate] = &cx.certificates;
    if library.is_empty() {
        ui.label(RichText::new("证书库为空：请管理员在“资质证书”中添加营业执照、认证证书等。").small().color(MUTED));
        return;
    }
    // Attached ones the library no longer offers (retired) stay listed until unticked.
    let attached = d.certificates.clone();
    for c in library.iter().filter(|c| c.active || attached.contains(&c.id)) {
        let mut ticked = d.certificates.contains(&c.id);
        ui.horizontal(|ui| {
            if ui.checkbox(&mut ticked, &c.draft.name).changed() {
                if ticked {
                    d.certificates.push(c.id);
                    // Printed in the library's order, whatever order they were ticked in.
                    let order = |id| library.iter().position(|l| l.id == id).unwrap_or(usize::MAX);
                    d.certificates.sort_by_key(|id| order(*id));
                } else {
                    d.certificates.retain(|id| *id != c.id);
                }
            }
            let (text, colour) = expiry_badge(c, cx.today);
            widgets::badge(ui, &text, colour);
            ui.label(
                RichText::new(format!("{}　有效期至 {}", c.draft.kind, c.draft.valid_until_text()))
                    .small()
                    .color(MUTED),
            );
        });
    }
    let stale = library
        .iter()
        .filter(|c| d.certificates.contains(&c.id))
        .filter(|c| !c.active || c.draft.expiry(cx.today).is_expired())
        .count();
    if stale > 0 {
        let text =
            format!("已勾选的证书中有 {stale} 份已过期或已停用，用印发出时会被拦下，请取消勾选或请管理员更新证书。");
        ui.label(RichText::new(text).small().color(ERROR_RED));
    }
}
