//! Printing and issuing in the window (egui_kittest, headless): the assistant issues an approved
//! quote from the builder — the dialog says what issuing does, the stamped file is written, the
//! quote shows 已发出 and the register lists it; the register verifies the file's code; a
//! salesperson prints a draft and is never offered 用印发出. On the demo office.

use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use salesdesk::domain::quote::{QuoteKind, QuoteStatus, RevisionStatus};
use salesdesk::domain::role::Role;
use salesdesk::service::{DEMO_USERS, Service};
use salesdesk::ui::SalesDeskApp;

use crate::documents::pdf_text;
use crate::support::{closed_demo_office, sign_in as service_sign_in};
use crate::window::*;

/// The number of a demo quote in these states, and its customer.
fn demo_quote(db: &Path, revision: RevisionStatus, doc: QuoteStatus) -> (String, String) {
    let mut svc = Service::open(db).expect("opens");
    let head = service_sign_in(&mut svc, "zhaomin");
    let s = svc
        .quotes(&head)
        .unwrap()
        .into_iter()
        .find(|s| s.quote.kind == QuoteKind::Quote && s.revision_status == revision && s.quote.status == doc)
        .expect("a demo quote");
    (s.quote.number.to_string(), s.quote.customer_name)
}

fn open_quote(h: &mut Harness<'_, SalesDeskApp>, number: &str) {
    click(h, "报价与投标");
    let row = h.query_all_by_label_contains(&format!("{number}-V")).next().expect("listed").rect();
    click_at(h, row);
    assert!(shows(h, &format!("{number}-V")), "the builder shows {number}");
}

/// Replaces what the labelled field holds.
#[test]
fn the_assistant_issues_an_approved_quote_and_finds_it_in_the_register() {
    let (dir, db) = closed_demo_office();
    let (number, _) = demo_quote(&db, RevisionStatus::Approved, QuoteStatus::Open);
    let mut h = harness(&db);
    sign_in(&mut h, "sunli");
    open_quote(&mut h, &number);
    click(&mut h, "用印发出…");
    assert!(shows(&h, "记入发文登记"), "the dialog says what issuing does");
    let out = dir.path().join("issued.pdf");
    replace(&mut h, "保存到", &out.display().to_string());
    click(&mut h, "保存后用系统查看器打开");
    h.check_accessibility();
    click(&mut h, "确认用印发出");
    let said = toasts(&h);
    assert!(said.iter().any(|t| t.contains("已用印发出") && t.contains(&number)), "{said:?}");
    let bytes = std::fs::read(&out).expect("the stamped file is written");
    let text = pdf_text(&bytes);
    assert!(text.contains(&number) && !text.contains("草稿"), "a stamped quotation");
    assert!(shows(&h, "重印（用印发出）…"), "issued: the next issue is a reprint");

    click(&mut h, "发文登记");
    assert!(shows(&h, &format!("{number} V")), "the register lists it");
    let code = {
        let mut svc = Service::open(&db).unwrap();
        let a = service_sign_in(&mut svc, "sunli");
        let entries = svc.issued_documents(&a).unwrap();
        entries.into_iter().find(|e| e.number == number).unwrap().verify_code
    };
    assert!(shows(&h, &code));
    fill(&mut h, "验证码", &code.to_lowercase());
    click(&mut h, "查验证码");
    assert!(shows(&h, "验证码有效"), "the code is recognised");
    fill(&mut h, "PDF 文件", &out.display().to_string());
    click(&mut h, "核验文件");
    assert!(shows(&h, "真实有效"), "the file is recognised as issued and unchanged");
}

#[test]
fn a_salesperson_prints_a_draft_and_is_not_offered_to_issue() {
    let (dir, db) = closed_demo_office();
    let mut svc = Service::open(&db).unwrap();
    let head = service_sign_in(&mut svc, "zhaomin");
    // An approved quote a salesperson made, not yet issued.
    let salespeople: Vec<(&str, &str)> =
        DEMO_USERS.iter().filter(|u| u.2.contains(&Role::Sales)).map(|u| (u.0, u.1)).collect();
    let (s, login) = svc
        .quotes(&head)
        .unwrap()
        .into_iter()
        .filter(|s| s.quote.kind == QuoteKind::Quote && s.quote.status == QuoteStatus::Open)
        .filter(|s| s.revision_status == RevisionStatus::Approved)
        .find_map(|s| salespeople.iter().find(|p| p.1 == s.quote.author_name).map(|p| (s.clone(), p.0)))
        .expect("a salesperson's approved quote");
    drop(svc);
    let mut h = harness(&db);
    sign_in(&mut h, login);
    open_quote(&mut h, &s.quote.number.to_string());
    assert!(!has_nav(&h, "用印发出…"), "only the assistant issues");
    assert!(shows(&h, "待销售内勤用印发出"));
    click(&mut h, "打印预览 报价单…");
    assert!(shows(&h, "第 1 / 1 页"), "the preview shows the page");
    let out = dir.path().join("draft.pdf");
    replace(&mut h, "保存到", &out.display().to_string());
    click(&mut h, "保存 PDF");
    assert!(toasts(&h).iter().any(|t| t.contains("已保存到")), "{:?}", toasts(&h));
    let text = pdf_text(&std::fs::read(&out).expect("written"));
    assert!(text.contains("草稿—未用印发出"), "approved but not issued: still a draft");
}

#[test]
fn the_head_prints_next_weeks_visit_plan_for_the_saturday_meeting() {
    let (dir, db) = closed_demo_office();
    let mut h = harness(&db);
    sign_in(&mut h, "zhaomin");
    click(&mut h, "拜访计划");
    click(&mut h, "下周拜访计划（周六例会）");
    click(&mut h, "打印预览周计划…");
    let out = dir.path().join("plan.pdf");
    replace(&mut h, "保存到", &out.display().to_string());
    click(&mut h, "保存 PDF");
    assert!(toasts(&h).iter().any(|t| t.contains("已保存到")), "{:?}", toasts(&h));
    let text = pdf_text(&std::fs::read(&out).expect("written"));
    assert!(text.contains("拜访计划") && text.contains("周六例会"), "{text}");
}

#[test]
fn the_head_prints_everyones_weekly_reports() {
    let (dir, db) = closed_demo_office();
    let mut h = harness(&db);
    sign_in(&mut h, "zhaomin");
    click(&mut h, "拜访计划");
    click(&mut h, "工作周报");
    click(&mut h, "打印预览全部周报…");
    let out = dir.path().join("reports.pdf");
    replace(&mut h, "保存到", &out.display().to_string());
    click(&mut h, "保存 PDF");
    assert!(toasts(&h).iter().any(|t| t.contains("已保存到")), "{:?}", toasts(&h));
    let text = pdf_text(&std::fs::read(&out).expect("written"));
    assert!(text.contains("工作周报") && text.contains("李强") && text.contains("王芳"), "{text}");
}

#[test]
fn the_assistant_previews_a_bid_pages_through_it_and_prints_it() {
    if !crate::cups::available("preview and print in the window") {
        return;
    }
    let mut cups = crate::cups::Scheduler::start();
    let printer = cups.add_pdf_printer("三楼销售部激光打印机");
    let (_dir, db) = closed_demo_office();
    let (number, total) = {
        let mut svc = Service::open(&db).expect("opens");
        let a = service_sign_in(&mut svc, "sunli");
        let issued: Vec<_> = svc.issued_documents(&a).unwrap().into_iter().map(|e| e.quote).collect();
        let bid = svc
            .quotes(&a)
            .unwrap()
            .into_iter()
            .find(|q| q.quote.kind == QuoteKind::Bid && !issued.contains(&q.quote.id));
        let bid = bid.expect("a bid not issued yet");
        let what = salesdesk::service::Printable::Quote { id: bid.quote.id, revision: None };
        (bid.quote.number.to_string(), svc.preview(&a, &what, 1).expect("laid out").pages.len())
    };
    assert!(total > 2, "a bid runs to several pages: {total}");
    let mut h = harness_printing_to(&db, cups.server());
    sign_in(&mut h, "sunli");
    open_quote(&mut h, &number);
    click(&mut h, "打印预览 投标书…");
    assert!(shows(&h, &format!("第 1 / {total} 页")), "the first page");
    click(&mut h, "下一页 ▶");
    assert!(shows(&h, &format!("第 2 / {total} 页")), "paged forward");
    h.key_press(egui::Key::End);
    h.run_steps(2);
    assert!(shows(&h, &format!("第 {total} / {total} 页")), "End goes to the last page");
    assert!(shows(&h, "状态：就绪"), "the default printer is chosen, and ready");
    h.check_accessibility();
    click(&mut h, "打印");
    let said = toasts(&h);
    assert!(
        said.iter().any(|t| t.contains("已将") && t.contains(&number) && t.contains("三楼销售部激光打印机")),
        "{said:?}"
    );
    assert_eq!(cups.printed(&printer, 1).len(), 1, "one job came out");
}

#[test]
fn the_head_reviews_a_bid_in_approvals_with_deadline_bond_clauses_and_certificates_and_previews_it() {
    let (_dir, db) = closed_demo_office();
    // A bid waiting for one of the demo heads.
    let (login, label, certificate, waiting) = {
        let mut svc = Service::open(&db).expect("opens");
        let found = ["zhaomin", "qianjun"].into_iter().find_map(|login| {
            let head = service_sign_in(&mut svc, login);
            let item = svc.approval_inbox(&head).unwrap().into_iter().find(|i| i.quote.kind == QuoteKind::Bid)?;
            let first = item.revision.content.certificates.first().copied()?;
            let cert = svc.certificates(&head).unwrap().into_iter().find(|c| c.id == first)?;
            let waiting = svc.approval_count(&head).unwrap();
            Some((login, item.quote.number.revision_label(item.revision.revision), cert.draft.name, waiting))
        });
        found.expect("a demo bid waits for a head")
    };
    let mut h = harness(&db);
    sign_in(&mut h, login);
    click(&mut h, &format!("审批 ({waiting})"));
    let row = h.query_all_by_label(&label).next().expect("the bid in the inbox").rect();
    click_at(&mut h, row);
    h.run_steps(6);
    assert!(shows(&h, "投标审查"), "the review heads the details");
    assert!(shows(&h, "投标截止"), "the deadline");
    assert!(shows(&h, "还剩") || shows(&h, "已截止"), "its countdown");
    assert!(shows(&h, "投标保证金"), "the bond");
    assert!(shows(&h, "条款响应"), "the compliance table");
    assert!(shows(&h, "★5.4"), "the ★ clause");
    assert!(shows(&h, "量化要求：质保期 ≥ 24 个月"), "its typed requirement");
    assert!(shows(&h, "由投标数据生成"), "what is offered comes from the bid");
    assert!(shows(&h, "资格证明文件"), "the certificates");
    assert!(shows(&h, &certificate), "{certificate}");
    assert!(shows(&h, "业绩表"), "the references");
    h.check_accessibility();

    click(&mut h, "打印预览 投标书…");
    h.run_steps(10);
    assert!(shows(&h, "第 1 /"), "the preview opens on the first page");
    assert!(shows(&h, "打印预览"), "in the preview window");
}
