//! 我的待办 (issue 22): what waits for each person, by role, from the records themselves; an
//! action item leaves when done, an outcome when opened, anything when dismissed — and comes
//! back when its record changes. Staff office on a test clock, and the demo office.

use chrono::Duration;
use salesdesk::domain::inquiry::{InquiryDraft, InquiryKind, InquiryLine, InquirySource};
use salesdesk::domain::money::{Money, Quantity};
use salesdesk::service::{WorkItem, WorkKind, WorkTarget};

use crate::support::{demo_office, office, product, sign_in};

fn of(items: &[WorkItem], kind: WorkKind) -> Vec<&WorkItem> {
    items.iter().filter(|i| i.kind == kind).collect()
}

#[test]
fn an_inquiry_and_its_quote_reach_each_person_in_turn() {
    let mut o = office();
    let today = o.svc.today();
    let p = o.svc.create_product(&o.head, product("W-SCB13-1000", "干式变压器", "186000", None), today).expect("p");
    let draft = InquiryDraft {
        kind: InquiryKind::Inquiry,
        customer: Some(o.li_customer.id),
        source: InquirySource::Visit,
        subject: "待办测试".into(),
        estimate: Some(Money::parse("9000000").expect("money")),
        lines: vec![InquiryLine {
            product: Some(p.id),
            description: "干式变压器".into(),
            quantity: Some(Quantity::from_units(2)),
            unit: "台".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    let i = o.svc.register_inquiry(&o.li, draft).expect("registered");
    assert!(i.major, "¥9,000,000 is major: the leader decides too");

    // The head decides; the registrant has nothing yet.
    let head = o.svc.my_work(&o.head).expect("head");
    let decide = of(&head, WorkKind::Decide);
    assert_eq!(decide.len(), 1);
    assert_eq!(decide[0].target, WorkTarget::Inquiry(i.id));
    assert!(decide[0].detail.contains("重大"), "{}", decide[0].detail);
    assert!(of(&o.svc.my_work(&o.li).expect("li"), WorkKind::Decided).is_empty());
    assert!(of(&o.svc.my_work(&o.leader).expect("leader"), WorkKind::Decide).is_empty(), "not the leader's step yet");

    // 参与 by the head: it leaves the head's list, reaches the leader's, and tells the registrant.
    let i = o.svc.decide_inquiry(&o.head, i.id, i.version, true, "参与").expect("go");
    assert!(of(&o.svc.my_work(&o.head).expect("head"), WorkKind::Decide).is_empty());
    assert_eq!(of(&o.svc.my_work(&o.leader).expect("leader"), WorkKind::Decide).len(), 1);
    let li = o.svc.my_work(&o.li).expect("li");
    let told = of(&li, WorkKind::Decided);
    assert_eq!(told.len(), 1);
    assert!(told[0].detail.contains("赵敏 决定：参与，待公司领导决定"), "{}", told[0].detail);
    // Opened from 待办: it leaves; the leader's decision brings it back with what is new.
    let (key, stamp) = (told[0].key.clone(), told[0].stamp.clone());
    o.svc.put_work_aside(&o.li, &key, &stamp).expect("opened");
    assert!(of(&o.svc.my_work(&o.li).expect("li"), WorkKind::Decided).is_empty());
    o.clock.advance(Duration::minutes(5));
    let i = o.svc.decide_inquiry(&o.leader, i.id, i.version, true, "同意").expect("leader's go");
    let li = o.svc.my_work(&o.li).expect("li");
    let told = of(&li, WorkKind::Decided);
    assert_eq!(told.len(), 1, "one item per inquiry: its latest decision");
    assert!(told[0].detail.contains("周建国 决定：参与"), "{}", told[0].detail);

    // The quote: submitted → the head approves → the author is told, the assistant issues.
    let v = o.svc.create_quote(&o.li, i.id).expect("quote");
    let r = v.latest().expect("V1").clone();
    let v = o.svc.request_tech_review(&o.li, r.id, "变压器温升能否满足100K？").expect("asked");
    let tech = o.svc.my_work(&o.tech).expect("tech");
    assert_eq!(of(&tech, WorkKind::TechReview).len(), 1);
    assert!(of(&tech, WorkKind::TechReview)[0].detail.contains("温升"));
    let r = v.latest().expect("V1").clone();
    let v = o.svc.submit_revision(&o.li, r.id, r.version).expect("submitted");
    let r = v.latest().expect("V1").clone();
    let approve = o.svc.my_work(&o.head).expect("head");
    assert_eq!(of(&approve, WorkKind::Approve).len(), 1);
    // Dismissed, it stays away while nothing changes.
    let a = of(&approve, WorkKind::Approve)[0].clone();
    o.svc.put_work_aside(&o.head, &a.key, &a.stamp).expect("dismissed");
    assert!(of(&o.svc.my_work(&o.head).expect("head"), WorkKind::Approve).is_empty());
    o.svc.decide_revision(&o.head, r.id, &r.content_hash, true, "同意。").expect("head approves");
    let li = o.svc.my_work(&o.li).expect("li");
    let reviewed = of(&li, WorkKind::Reviewed);
    assert_eq!(reviewed.len(), 1);
    assert!(!r.major, "¥372,000 is below the major threshold: the head's approval is final");
    assert!(reviewed[0].detail.contains("赵敏 已批准，可以用印发出"), "{}", reviewed[0].detail);
    let assistant = o.svc.my_work(&o.assistant).expect("assistant");
    let issue = of(&assistant, WorkKind::Issue);
    assert_eq!(issue.len(), 1);
    assert_eq!(issue[0].target, WorkTarget::Quote(v.quote.id));
    o.svc.issue_quote(&o.assistant, v.quote.id, 1, &o.dir.path().join("W.pdf")).expect("issued");
    assert!(of(&o.svc.my_work(&o.assistant).expect("assistant"), WorkKind::Issue).is_empty(), "done: it leaves");
}

#[test]
fn a_locked_out_user_reaches_the_admin_and_phone_calls_wait_to_be_registered() {
    let mut o = office();
    for _ in 0..salesdesk::service::LOCK_AFTER_FAILURES {
        let _ = o.svc.sign_in("wangfang", "wrong password");
    }
    let admin = o.svc.my_work(&o.admin).expect("admin");
    let locked = of(&admin, WorkKind::LockedUser);
    assert_eq!(locked.len(), 1);
    assert!(locked[0].title.contains("wangfang") && locked[0].detail.contains("锁定到"), "{:?}", locked[0]);
    assert!(o.svc.my_work(&o.li).expect("li").iter().all(|i| i.kind != WorkKind::LockedUser));

    let today = o.svc.today();
    let p = o.svc.create_product(&o.head, product("W-KYN28", "高压开关柜", "68500", None), today).expect("p");
    let customer = o.li_customer.id;
    o.svc.answer_phone_prices(&o.assistant, Some(customer), None, &[p.id]).expect("answered");
    let calls = o.svc.my_work(&o.assistant).expect("assistant");
    let phone = of(&calls, WorkKind::RegisterPhone);
    assert_eq!(phone.len(), 1);
    assert_eq!(phone[0].target, WorkTarget::PhoneDesk);
    assert!(phone[0].title.contains("1 个产品"), "{}", phone[0].title);
}

#[test]
fn the_demo_office_has_work_waiting_for_each_role() {
    let (_dir, mut svc) = demo_office();
    let kinds = |svc: &mut salesdesk::service::Service, login: &str| {
        let a = sign_in(svc, login);
        let items = svc.my_work(&a).expect("my work");
        let mut k: Vec<WorkKind> = items.iter().map(|i| i.kind).collect();
        k.dedup();
        k
    };
    let head = kinds(&mut svc, "zhaomin");
    for k in [WorkKind::Decide, WorkKind::Approve, WorkKind::ConfirmHandIn] {
        assert!(head.contains(&k), "{k:?} in {head:?}");
    }
    assert!(kinds(&mut svc, "zhoujg").contains(&WorkKind::Approve));
    let assistant = kinds(&mut svc, "sunli");
    assert!(assistant.contains(&WorkKind::Issue) && assistant.contains(&WorkKind::ConfirmHandIn), "{assistant:?}");
    assert!(kinds(&mut svc, "liqiang").contains(&WorkKind::Chase));
    assert!(kinds(&mut svc, "wangfang").contains(&WorkKind::HandIn));
    assert!(kinds(&mut svc, "admin").contains(&WorkKind::Certificate));
    // Each person's own: no salesperson sees another's receivables or the approvals.
    let a = sign_in(&mut svc, "liqiang");
    let li = svc.my_work(&a).expect("li");
    assert!(li.iter().all(|i| !matches!(i.kind, WorkKind::Approve | WorkKind::Decide | WorkKind::Issue)));
    assert!(of(&li, WorkKind::Chase).iter().all(|i| !i.title.contains("上海嘉利")), "王芳's customer");
}

#[test]
fn the_assistant_lands_on_her_work_and_opens_a_quote_waiting_to_be_issued() {
    use crate::window::*;
    use egui_kittest::kittest::Queryable;
    let (_dir, db) = crate::support::closed_demo_office();
    let mut h = harness(&db);
    sign_in(&mut h, "sunli");
    assert!(shows(&h, "待用印发出（3）"), "lands on 我的待办");
    assert!(has_nav(&h, "我的待办 (4)"), "the navigation counts the same items");
    let first = h.get_all_by_label("打开").next().expect("an item").rect();
    click_at(&mut h, first);
    h.run_steps(3);
    assert!(shows(&h, "用印发出…"), "the quote opens in the builder, ready to issue");
}

#[test]
fn what_lands_for_the_head_from_another_seat_is_told_and_opens_in_approvals() {
    use crate::support::{drafted_quote, office_with_an_inquiry, staff_office_file};
    use crate::window::*;
    use egui_kittest::kittest::Queryable;
    let (_dir, db) = staff_office_file();
    let inquiry = office_with_an_inquiry(&db, true);
    let quote = drafted_quote(&db, inquiry, &["2"]);
    let mut head = harness(&db);
    sign_in(&mut head, "zhaomin");
    assert!(shows(&head, "没有等待您处理的事项"), "nothing waits yet");
    // 李强, at his own seat, submits the quote.
    {
        let mut svc = salesdesk::service::Service::open(&db).expect("another seat");
        let li = crate::support::sign_in(&mut svc, "liqiang");
        let r = svc.quote_view(&li, quote).expect("opens").latest().expect("V1").clone();
        svc.submit_revision(&li, r.id, r.version).expect("submitted");
    }
    // A minute later the head's window has looked again: told in the corner, with 打开.
    let later = head.ctx.input(|i| i.time) + 61.0;
    head.input_mut().time = Some(later);
    head.run_steps(4);
    let said = toasts(&head);
    assert!(said.iter().any(|t| t.contains("新的待办 · 待我审批：BJ-2026-0001-V1")), "{said:?}");
    assert!(shows(&head, "BJ-2026-0001-V1"), "and listed in 我的待办");
    let open = head.get_all_by_label("打开").next().expect("打开").rect();
    click_at(&mut head, open);
    head.run_steps(4);
    assert!(shows(&head, "审批意见"), "the revision opens in 审批, ready for the decision");
}

#[test]
fn the_customers_salesperson_is_told_of_a_go_on_an_inquiry_the_assistant_took_on_the_phone() {
    let mut o = office();
    let draft = InquiryDraft {
        kind: InquiryKind::Inquiry,
        customer: Some(o.li_customer.id),
        source: InquirySource::Phone,
        subject: "电话询价：干式变压器".into(),
        ..Default::default()
    };
    let i = o.svc.register_phone_inquiry(&o.assistant, draft, &[]).expect("registered by the assistant");
    o.clock.advance(Duration::minutes(1));
    o.svc.decide_inquiry(&o.head, i.id, i.version, true, "参与").expect("go");
    let li = o.svc.my_work(&o.li).expect("li");
    let told = of(&li, WorkKind::Decided);
    assert_eq!(told.len(), 1, "李强's customer: he builds the quote");
    assert_eq!(told[0].target, WorkTarget::Inquiry(i.id));
    assert!(of(&o.svc.my_work(&o.wang).expect("wang"), WorkKind::Decided).is_empty(), "not 王芳's customer");
}
