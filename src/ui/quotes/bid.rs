//! The bid builder's own section: which certificates (资质证书) the 投标书 attaches as its
//! qualification documents. A new bid starts with every certificate in force ticked; the builder
//! unticks what the tender does not ask for. Expired or retired ones are shown, marked, so a bid
//! that still carries one is fixed before the cross-checks stop it at issue. For the assistant,
//! an approved bid shows what those cross-checks find before 用印发出 is pressed.

use egui::{RichText, Ui};

use super::lines::DraftEdit;
use crate::domain::certificate::Certificate;
use crate::domain::quote::{QuoteKind, QuoteStatus, Revision, RevisionStatus};
use crate::domain::role::Permission;
use crate::service::QuoteView;
use crate::ui::documents::expiry_badge;
use crate::ui::panel::Cx;
use crate::ui::theme::{self, ERROR_RED, MUTED, OK_GREEN};

/// The tick list, in the library's order; what is ticked is saved with the draft.
pub fn certificates_ui(ui: &mut Ui, cx: &Cx<'_>, d: &mut DraftEdit) {
    ui.add_space(6.0);
    ui.label(RichText::new(format!("资格证明文件（附 {} 份证书）", d.certificates.len())).strong());
    let library: &[Certificate] = &cx.certificates.library;
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
            theme::badge(ui, &text, colour);
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

/// 用印发出前校核: for the assistant, on a bid whose latest revision is approved, what the
/// cross-checks find now — all clear, or every problem that would stop issuing. `found`: the
/// service's answer for this revision, if it came. Returns true when the check should be asked
/// (not asked yet for this revision, or 重新校核).
pub fn checks_ui(
    ui: &mut Ui,
    cx: &Cx<'_>,
    v: &QuoteView,
    shown: &Revision,
    found: Option<&[String]>,
    asking: bool,
) -> bool {
    let latest = v.latest().is_some_and(|r| r.id == shown.id);
    let open = matches!(v.quote.status, QuoteStatus::Open | QuoteStatus::Issued | QuoteStatus::Negotiating);
    if v.quote.kind != QuoteKind::Bid
        || !latest
        || shown.status != RevisionStatus::Approved
        || !open
        || !cx.actor.may(Permission::IssueDocument)
    {
        return false;
    }
    let mut ask = false;
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new("用印发出前校核").strong());
        if ui.add_enabled(!asking, egui::Button::new("重新校核").small()).clicked() {
            ask = true;
        }
    });
    match found {
        None => {
            ask |= !asking;
            ui.add(egui::Spinner::new());
        }
        Some([]) => {
            let text = "✓ 校核通过：开标一览表、分项报价表与投标函金额一致，大写与小写相符，招标条款均已应答，所附证书均在有效期内，投标截止时间未到。";
            ui.label(RichText::new(text).color(OK_GREEN));
        }
        Some(problems) => {
            ui.label(RichText::new(format!("有 {} 处问题，用印发出将被拒绝：", problems.len())).color(ERROR_RED));
            for p in problems {
                ui.label(RichText::new(format!("· {p}")).color(ERROR_RED));
            }
        }
    }
    ask
}
