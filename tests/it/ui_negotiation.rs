//! After issue in the window (egui_kittest, headless): the head confirms the changes of a
//! revision made after issue in the 审批 inbox — the 变更确认表 above the buttons, 批准 only once
//! every change is ticked — and the salesperson logs a negotiation round and records the loss in
//! the builder, with the forms saying what is missing before anything is sent.

use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use salesdesk::domain::ids::QuoteId;
use salesdesk::domain::inquiry::{InquiryDraft, InquiryKind, InquiryLine, InquirySource};
use salesdesk::domain::money::{Discount, Quantity};
use salesdesk::domain::negotiation::OutcomeKind;
use salesdesk::domain::quote::{ApprovalStep, QuoteStatus, RevisionStatus};
use salesdesk::service::Service;

use crate::support::{add_customer, customer, product, sign_in as service_sign_in, staff_office_file};
use crate::window::*;

/// 李强's quote for his customer (one 干式变压器), approved by the head and issued by the
/// assistant into `dir`.
fn issued_quote(db: &Path, dir: &Path) -> QuoteId {
    let mut svc = Service::open(db).expect("opens");
    let admin = service_sign_in(&mut svc, "admin");
    let mut t = product("UI-SCB13-1000", "干式变压器", "186000", Some("162000"));
    t.model = "SCB13-1000/10".into();
    let today = svc.today();
    let t = svc.create_product(&admin, t, today).expect("product");
    let li = service_sign_in(&mut svc, "liqiang");
    let c = add_customer(&mut svc, &li, customer("江苏华能电力设备有限公司"), None);
    let draft = InquiryDraft {
        kind: InquiryKind::Inquiry,
        customer: Some(c.id),
        source: InquirySource::Visit,
        subject: "10kV配电工程设备询价".into(),
        lines: vec![InquiryLine {
            product: Some(t.id),
            description: "干式变压器".into(),
            quantity: Some(Quantity::from_units(2)),
            unit: "台".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    let i = svc.register_inquiry(&li, draft).expect("registered");
    let head = service_sign_in(&mut svc, "zhaomin");
    let i = svc.decide_inquiry(&head, i.id, i.version, true, "参与").expect("go");
    let v = svc.create_quote(&li, i.id).expect("quote");
    let r = v.latest().expect("V1").clone();
    let v = svc.submit_revision(&li, r.id, r.version).expect("submitted");
    let r = v.latest().expect("V1").clone();
    svc.decide_revision(&head, r.id, &r.content_hash, true, "同意。").expect("approved");
    let assistant = service_sign_in(&mut svc, "sunli");
    svc.issue_quote(&assistant, v.quote.id, 1, &dir.join("V1.pdf")).expect("issued");
    v.quote.id
}

/// V2 after issue: 3% off and an 18-month warranty, submitted by 李强.
fn revised(db: &Path, quote: QuoteId) {
    let mut svc = Service::open(db).expect("opens");
    let li = service_sign_in(&mut svc, "liqiang");
    let v = svc.new_revision(&li, quote).expect("V2");
    let r = v.latest().expect("V2").clone();
    let mut content = r.content.clone();
    content.lines[0].discount = Discount::parse("3").expect("3%");
    content.terms.warranty_months = 18;
    let v = svc.save_draft(&li, r.id, r.version, content).expect("saved");
    let r = v.latest().expect("V2").clone();
    svc.submit_revision(&li, r.id, r.version).expect("submitted");
}

#[test]
fn the_head_confirms_each_change_in_the_inbox_before_approving() {
    let (dir, db) = staff_office_file();
    let quote = issued_quote(&db, dir.path());
    revised(&db, quote);
    let mut h = harness(&db);
    sign_in(&mut h, "zhaomin");
    click(&mut h, "审批 (1)");
    assert!(shows(&h, "BJ-2026-0001-V2"));
    assert!(shows(&h, "变更确认表"));
    assert!(shows(&h, "V2 相对已发出的 V1：共 2 项变更（技术 0 项，商务 2 项）"));
    assert!(shows(&h, "12 个月") && shows(&h, "18 个月"), "before and after");
    assert!(shows(&h, "还有 2 项未确认"));
    h.check_accessibility();

    // 批准 waits for every tick.
    let boxes = || |n: &egui_kittest::Node<'_>| n.accesskit_node().role() == Role::CheckBox;
    assert_eq!(h.get_all_by_label("确认").filter(boxes()).count(), 2);
    click(&mut h, "确认全部变更并批准");
    assert!(!toasts(&h).iter().any(|t| t.contains("已批准")), "nothing was sent: {:?}", toasts(&h));
    for i in 0..2 {
        let node = h.get_all_by_label("确认").filter(boxes()).nth(i).expect("a tick box");
        node.scroll_to_me();
        h.run_steps(3);
        h.get_all_by_label("确认").filter(boxes()).nth(i).expect("a tick box").click();
        h.run_steps(3);
    }
    assert!(!shows(&h, "项未确认"));
    fill(&mut h, "审批意见", "同意让利3%，质保延长。");
    click(&mut h, "确认全部变更并批准");
    assert!(toasts(&h).iter().any(|t| t.contains("BJ-2026-0001-V2 已批准")), "{:?}", toasts(&h));

    let mut svc = Service::open(&db).expect("opens beside the window");
    let head = service_sign_in(&mut svc, "zhaomin");
    let view = svc.quote_view(&head, quote).expect("view");
    let v2 = view.latest().expect("V2");
    assert_eq!(v2.status, RevisionStatus::Approved);
    let n = svc.negotiation(&head, quote).expect("negotiation");
    let table = n.changes_of(v2.id).expect("table");
    let confirmed: Vec<(&str, bool)> = table
        .confirmations
        .iter()
        .filter(|c| c.step == ApprovalStep::Head)
        .map(|c| (c.by_name.as_str(), c.confirmed))
        .collect();
    assert_eq!(confirmed, vec![("赵敏", true), ("赵敏", true)]);

    // The assistant is offered to issue V2 (a new issue, not a reprint of V1).
    let mut a = harness(&db);
    sign_in(&mut a, "sunli");
    click(&mut a, "报价与投标");
    let row = a.get_by_label("BJ-2026-0001-V2").rect();
    click_at(&mut a, row);
    assert!(shows(&a, "用印发出…") && !shows(&a, "重印（用印发出）…"));
    assert!(shows(&a, "已发出 V1"), "the builder says what the customer holds");
}

#[test]
fn the_salesperson_logs_a_round_and_records_the_loss_in_the_builder() {
    let (dir, db) = staff_office_file();
    let quote = issued_quote(&db, dir.path());
    let mut h = harness(&db);
    sign_in(&mut h, "liqiang");
    click(&mut h, "报价与投标");
    let row = h.get_by_label("BJ-2026-0001-V1").rect();
    click_at(&mut h, row);
    assert!(shows(&h, "谈判与结果"));
    assert!(shows(&h, "有效期至"));
    assert!(shows(&h, "尚未登记谈判"));

    // The form says what is missing before anything is sent.
    click(&mut h, "＋ 登记谈判");
    click(&mut h, "保存谈判记录");
    assert!(shows(&h, "请填写客户方参与人"));
    assert!(shows(&h, "请填写客户提出的要求"));
    fill(&mut h, "客户方参与人", "张伟（设备部经理）");
    fill(&mut h, "客户提出的要求", "单价再降5%，交货期30天");
    fill(&mut h, "我方答复", "最多让3%，交货期可满足");
    h.check_accessibility();
    click(&mut h, "保存谈判记录");
    assert!(toasts(&h).iter().any(|t| t.contains("谈判记录已保存")), "{:?}", toasts(&h));
    assert!(shows(&h, "第 1 轮"));
    assert!(shows(&h, "客户要求：单价再降5%，交货期30天"));
    assert!(shows(&h, "谈判中"));

    // 未成交: a reason is required, then a confirmation.
    click(&mut h, "未成交…");
    click(&mut h, "登记…");
    assert!(shows(&h, "请写明未成交的原因"));
    fill(&mut h, "未成交原因", "价格高于竞争对手约8%");
    fill(&mut h, "竞争对手", "正泰电气股份有限公司");
    fill(&mut h, "竞争对手报价（元）", "342000");
    click(&mut h, "登记…");
    assert!(shows(&h, "登记后不能更改"));
    click(&mut h, "确定登记");
    assert!(toasts(&h).iter().any(|t| t.contains("已登记为未成交")), "{:?}", toasts(&h));
    assert!(shows(&h, "竞争对手：正泰电气股份有限公司，报价 ¥342,000.00"));
    assert!(!shows(&h, "＋ 登记谈判"), "no more rounds once lost");

    let mut svc = Service::open(&db).expect("opens beside the window");
    let li = service_sign_in(&mut svc, "liqiang");
    let n = svc.negotiation(&li, quote).expect("negotiation");
    assert_eq!(n.status, QuoteStatus::Lost);
    assert_eq!(n.rounds.len(), 1);
    assert_eq!(n.outcome.expect("outcome").kind, OutcomeKind::Lost);
}
