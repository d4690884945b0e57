//! Inquiries and tenders (询价/招标), the phone-inquiry desk (电话询价) and the go / no-go decision
//! (是否参与) of procedure step (2), DESIGN §2–§3 and issue 4: numbering, who may register, decide,
//! edit and see what, major items needing head then leader (two different people), no decision
//! twice, a tender past its deadline, stale versions, the bond, documents, and the audit trail.
//! Each test fills an office that has the demo staff and no customers or products, on a test
//! clock (2026-11-27 09:00 UTC), so it sees exactly what it created.

use chrono::{DateTime, Duration, Utc};
use salesdesk::domain::customer::Customer;
use salesdesk::domain::ids::InquiryId;
use salesdesk::domain::inquiry::{
    DecisionStep, Inquiry, InquiryDraft, InquiryKind, InquiryLine, InquirySource, InquiryStatus, TenderInfo,
};
use salesdesk::domain::policy::ApprovalPolicy;
use salesdesk::domain::product::{Product, ProductDraft};
use salesdesk::domain::role::Role;
use salesdesk::service::{Actor, InquiryFilter, Service, ServiceError};
use salesdesk::store::StoreError;

use crate::support::{
    Office, TestClock, add_customer, add_staff, assert_field_error, audit_count, audit_log, audit_with_action,
    customer, fixed_clock, office, product, yuan,
};
use salesdesk::domain::audit::AuditEntry;

/// An inquiry (询价) from a customer met on a visit.
fn inquiry_for(c: &Customer, subject: &str) -> InquiryDraft {
    InquiryDraft {
        kind: InquiryKind::Inquiry,
        customer: Some(c.id),
        source: InquirySource::Visit,
        subject: subject.into(),
        lines: vec![InquiryLine {
            description: "干式变压器".into(),
            model: "SCB13-1000/10".into(),
            unit: "台".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// The same with an estimated amount (预计金额).
fn estimated(c: &Customer, subject: &str, amount: &str) -> InquiryDraft {
    InquiryDraft { estimate: Some(yuan(amount)), ..inquiry_for(c, subject) }
}

/// A tender (招标) of a purchaser not in the archive.
fn tender(purchaser: &str, project: &str, deadline: DateTime<Utc>) -> InquiryDraft {
    InquiryDraft {
        kind: InquiryKind::Tender,
        source: InquirySource::TenderNotice,
        subject: format!("{project}招标"),
        tender: TenderInfo {
            tender_no: "JSZB-2026-118".into(),
            purchaser: purchaser.into(),
            project: project.into(),
            lot: "第1包".into(),
            deadline: Some(deadline),
            opening: Some(deadline),
            ..Default::default()
        },
        ..Default::default()
    }
}

fn register(svc: &mut Service, who: &Actor, d: InquiryDraft) -> Inquiry {
    let subject = d.subject.clone();
    svc.register_inquiry(who, d).unwrap_or_else(|e| panic!("{} registers {subject}: {e}", who.login()))
}

/// The inquiry as a head sees it now.
fn reload(svc: &mut Service, head: &Actor, id: InquiryId) -> Inquiry {
    svc.inquiry(head, id).expect("a head opens any inquiry")
}

fn decide(svc: &mut Service, who: &Actor, i: &Inquiry, go: bool, comment: &str) -> Inquiry {
    svc.decide_inquiry(who, i.id, i.version, go, comment)
        .unwrap_or_else(|e| panic!("{} decides {}: {e}", who.login(), i.number))
}

/// The numbers in this person's go / no-go inbox.
fn inbox(svc: &mut Service, who: &Actor) -> Vec<String> {
    svc.inquiry_inbox(who).expect("the inbox reads").iter().map(|s| s.number.to_string()).collect()
}

/// The numbers this person lists with the filter, sorted.
fn listed(svc: &mut Service, who: &Actor, f: &InquiryFilter) -> Vec<String> {
    let mut v: Vec<String> =
        svc.inquiries(who, f).expect("the list reads").iter().map(|s| s.number.to_string()).collect();
    v.sort();
    v
}

fn all(svc: &mut Service, who: &Actor) -> Vec<String> {
    listed(svc, who, &InquiryFilter::default())
}

fn numbers(items: &[&Inquiry]) -> Vec<String> {
    let mut v: Vec<String> = items.iter().map(|i| i.number.to_string()).collect();
    v.sort();
    v
}

fn is_denied(e: &ServiceError) -> bool {
    matches!(e, ServiceError::Denied(_))
}

/// A business-rule refusal with the rule code `code`.
fn is_rule(e: &ServiceError, code: &str) -> bool {
    e.rule_code() == Some(code)
}

/// The `after` JSON of an audit entry.
fn after(e: &AuditEntry) -> serde_json::Value {
    serde_json::from_str(&e.after).unwrap_or_else(|err| panic!("audit after of {} is JSON: {err}", e.action))
}

/// A tender's deadline: `days` from the office's "now".
fn in_days(clock: &TestClock, days: i64) -> DateTime<Utc> {
    clock.now() + Duration::days(days)
}

// ---------------------------------------------------------------------------------------------
// Registering

#[test]
fn inquiries_and_tenders_share_one_yearly_sequence_of_numbers_never_reused() {
    let mut o = office();
    let deadline = in_days(&o.clock, 20);
    let a = register(&mut o.svc, &o.li, inquiry_for(&o.li_customer, "10kV配电工程设备询价"));
    let b = register(&mut o.svc, &o.li, tender("南京地铁集团", "7号线供电设备", deadline));
    let c = register(&mut o.svc, &o.assistant, inquiry_for(&o.pool_customer, "电缆比价"));
    assert_eq!(numbers(&[&a, &b, &c]), vec!["XJ-2026-0001", "XJ-2026-0002", "XJ-2026-0003"]);
    assert_eq!((a.number.year, b.number.seq, c.number.seq), (2026, 2, 3));

    // A refused registration takes no number.
    let err = o.svc.register_inquiry(&o.li, inquiry_for(&o.wang_customer, "不是我的客户")).expect_err("refused");
    assert!(is_denied(&err), "{err:?}");
    let d = register(&mut o.svc, &o.wang, inquiry_for(&o.wang_customer, "电缆询价"));
    assert_eq!(d.number.to_string(), "XJ-2026-0004");

    // Another seat (a second Service on the same file) continues the sequence.
    let mut other = crate::support::reopen(&o.dir).expect("opens").with_clock(o.clock.clock());
    let e = register(&mut other, &o.li, inquiry_for(&o.li_customer, "另一台电脑登记"));
    assert_eq!(e.number.to_string(), "XJ-2026-0005");
    let f = register(&mut o.svc, &o.li, inquiry_for(&o.li_customer, "回到第一台"));
    assert_eq!(f.number.to_string(), "XJ-2026-0006");

    // The year comes from the office's today: a new year starts at 0001.
    o.clock.advance(Duration::days(38));
    assert_eq!(chrono::Datelike::year(&o.svc.today()), 2027);
    let g = register(&mut o.svc, &o.li, inquiry_for(&o.li_customer, "新年第一单"));
    assert_eq!(g.number.to_string(), "XJ-2027-0001");

    let mut every = all(&mut o.svc, &o.head);
    let count = every.len();
    every.dedup();
    assert_eq!((count, every.len()), (7, 7), "every number is different");
}

#[test]
fn an_inquiry_needs_a_customer_and_a_subject() {
    let mut o = office();
    let before = audit_count(&mut o.svc);
    let blank = InquiryDraft { kind: InquiryKind::Inquiry, subject: "   ".into(), ..Default::default() };
    let err = o.svc.register_inquiry(&o.li, blank).expect_err("an empty inquiry is refused");
    assert_field_error(&err, "customer");
    assert_field_error(&err, "subject");
    let no_customer = InquiryDraft { subject: "配电设备询价".into(), ..Default::default() };
    assert_field_error(&o.svc.register_inquiry(&o.li, no_customer).expect_err("refused"), "customer");
    let err = o.svc.register_inquiry(&o.li, inquiry_for(&o.li_customer, "")).expect_err("refused");
    assert_field_error(&err, "subject");
    assert!(err.field_message("customer").is_none());
    assert!(all(&mut o.svc, &o.head).is_empty(), "nothing was registered");
    assert_eq!(audit_count(&mut o.svc), before, "nothing was audited");

    // Filled in, with a contact of that customer: registered as typed (trimmed).
    let contact = o.li_customer.draft.contacts[0].id;
    let d = InquiryDraft {
        contact,
        notes: "  要求12月底前回复  ".into(),
        ..inquiry_for(&o.li_customer, "  10kV配电工程设备询价 ")
    };
    let i = register(&mut o.svc, &o.li, d);
    assert_eq!(i.draft.subject, "10kV配电工程设备询价");
    assert_eq!(i.draft.notes, "要求12月底前回复");
    assert_eq!(i.customer_name, "江苏华能电力设备有限公司");
    assert_eq!(i.contact_name, "张伟");
    assert_eq!(i.draft.lines.len(), 1);
    assert_eq!((i.status, i.major, i.version), (InquiryStatus::Registered, false, 1));
    assert_eq!(i.registered_by, o.li.id());
    assert_eq!(i.registered_by_name, "李强");
    assert!(i.decisions.is_empty());

    // A contact of another customer does not fit.
    let wrong = InquiryDraft { contact, ..inquiry_for(&o.pool_customer, "联系人不对") };
    assert_field_error(&o.svc.register_inquiry(&o.li, wrong).expect_err("refused"), "contact");
}

#[test]
fn a_tender_needs_a_project_a_future_deadline_and_a_purchaser_or_a_customer() {
    let mut o = office();
    let empty = InquiryDraft { kind: InquiryKind::Tender, subject: "招标".into(), ..Default::default() };
    let err = o.svc.register_inquiry(&o.li, empty).expect_err("an empty tender is refused");
    for field in ["project", "deadline", "purchaser"] {
        assert_field_error(&err, field);
    }
    assert!(err.field_message("customer").is_none(), "a tender may have no customer in the archive");

    let past = tender("南京地铁集团", "7号线供电设备", o.svc.now() - Duration::hours(1));
    assert_field_error(&o.svc.register_inquiry(&o.li, past).expect_err("refused"), "deadline");
    let now = tender("南京地铁集团", "7号线供电设备", o.svc.now());
    assert_field_error(&o.svc.register_inquiry(&o.li, now).expect_err("refused"), "deadline");

    let mut early = tender("南京地铁集团", "7号线供电设备", in_days(&o.clock, 10));
    early.tender.opening = Some(in_days(&o.clock, 9));
    assert_field_error(&o.svc.register_inquiry(&o.li, early).expect_err("opening before deadline"), "opening");
    assert!(all(&mut o.svc, &o.head).is_empty(), "nothing was registered");

    // A purchaser without a customer record is enough; the list shows the purchaser.
    let t = register(&mut o.svc, &o.li, tender("南京地铁集团", "7号线供电设备", in_days(&o.clock, 10)));
    assert_eq!(t.draft.kind, InquiryKind::Tender);
    assert_eq!(t.draft.tender.project, "7号线供电设备");
    assert_eq!(t.draft.tender.deadline, Some(in_days(&o.clock, 10)));
    let rows = o.svc.inquiries(&o.li, &InquiryFilter::default()).expect("lists");
    assert_eq!(rows[0].customer_name, "南京地铁集团");

    // So is a customer without a purchaser.
    let mut d = tender("", "厂区配电改造", in_days(&o.clock, 10));
    d.customer = Some(o.li_customer.id);
    let t = register(&mut o.svc, &o.li, d);
    assert_eq!(t.customer_name, "江苏华能电力设备有限公司");
}

#[test]
fn a_salesperson_registers_against_their_own_or_a_pool_customer_only() {
    let mut o = office();
    let err = o.svc.register_inquiry(&o.li, inquiry_for(&o.wang_customer, "抢单")).expect_err("a colleague's");
    assert!(is_denied(&err), "{err:?}");
    let mut t = tender("", "电缆采购", in_days(&o.clock, 10));
    t.customer = Some(o.wang_customer.id);
    assert!(is_denied(&o.svc.register_inquiry(&o.li, t).expect_err("a colleague's")));
    assert!(all(&mut o.svc, &o.head).is_empty());

    let own = register(&mut o.svc, &o.li, inquiry_for(&o.li_customer, "自己的客户"));
    let pool = register(&mut o.svc, &o.li, inquiry_for(&o.pool_customer, "公海客户"));
    assert_eq!(own.customer_name, "江苏华能电力设备有限公司");
    assert_eq!(pool.customer_name, "重庆市电力公司");
    // The assistant takes calls for every customer.
    let theirs = register(&mut o.svc, &o.assistant, inquiry_for(&o.wang_customer, "电话来的"));
    assert_eq!(theirs.registered_by, o.assistant.id());
}

#[test]
fn the_tech_department_the_leader_the_head_and_the_admin_cannot_register() {
    let mut o = office();
    let before = audit_count(&mut o.svc);
    for who in [&o.tech, &o.leader, &o.head, &o.admin] {
        let err = o.svc.register_inquiry(who, inquiry_for(&o.pool_customer, "询价")).expect_err("refused");
        assert!(is_denied(&err), "{}: {err:?}", who.login());
        // Refused as not theirs to do, before anything they typed is looked at.
        let err = o.svc.register_inquiry(who, InquiryDraft::default()).expect_err("refused");
        assert!(is_denied(&err), "{}: an empty form is still a refusal, got {err:?}", who.login());
        assert!(err.to_string().contains("销售员和销售内勤"), "{err}");
    }
    assert!(all(&mut o.svc, &o.head).is_empty());
    assert_eq!(audit_count(&mut o.svc), before);
}

#[test]
fn registering_is_audited_and_reaches_every_heads_inbox_at_once() {
    let mut o = office();
    let second_head = add_staff(&mut o.svc, &o.admin, "qianwei", "钱伟", &[Role::Head]);
    assert!(inbox(&mut o.svc, &o.head).is_empty());

    let i = register(&mut o.svc, &o.li, inquiry_for(&o.li_customer, "10kV配电工程设备询价"));
    let t = register(&mut o.svc, &o.assistant, tender("南京地铁集团", "7号线供电设备", in_days(&o.clock, 20)));
    let both = numbers(&[&i, &t]);
    for head in [&o.head, &second_head] {
        let mut got = inbox(&mut o.svc, head);
        got.sort();
        assert_eq!(got, both, "{} sees both at once", head.login());
    }
    // Neither is major: nothing for the leader; nothing for anyone who does not decide.
    for who in [&o.leader, &o.li, &o.assistant, &o.admin] {
        assert!(inbox(&mut o.svc, who).is_empty(), "{}", who.login());
    }
    let row = &o.svc.inquiry_inbox(&o.head).expect("reads")[0];
    assert_eq!((row.badge(), row.next_step()), ("待负责人决定", Some(DecisionStep::Head)));

    let reg = audit_with_action(&mut o.svc, &o.admin, "inquiry.register");
    assert_eq!(reg.len(), 1);
    assert_eq!((reg[0].entity_id.as_str(), reg[0].actor.as_str()), ("XJ-2026-0001", "李强 (liqiang)"));
    assert_eq!(after(&reg[0])["subject"], "10kV配电工程设备询价");
    let ten = audit_with_action(&mut o.svc, &o.admin, "tender.register");
    assert_eq!(ten.len(), 1);
    assert_eq!((ten[0].entity_id.as_str(), ten[0].actor.as_str()), ("XJ-2026-0002", "孙丽 (sunli)"));
    assert_eq!(after(&ten[0])["tender"]["project"], "7号线供电设备");
}

// ---------------------------------------------------------------------------------------------
// Major (重大)

#[test]
fn an_inquiry_flagged_major_or_estimated_at_the_threshold_is_major() {
    let mut o = office();
    let c = o.li_customer.clone();
    let small = register(&mut o.svc, &o.li, estimated(&c, "小额", "499999.99"));
    assert!(!small.major);
    assert!(small.major_reasons.is_empty());
    let none = register(&mut o.svc, &o.li, inquiry_for(&c, "未估价"));
    assert!(!none.major);

    let at = register(&mut o.svc, &o.li, estimated(&c, "门槛金额", "500000"));
    assert!(at.major);
    assert_eq!(at.major_reasons, vec!["总价 ≥ ¥500,000.00"]);

    let flagged = register(&mut o.svc, &o.li, InquiryDraft { flagged_major: true, ..inquiry_for(&c, "战略客户") });
    assert!(flagged.major);
    assert_eq!(flagged.major_reasons, vec!["已标记为重大"]);

    let both = InquiryDraft { flagged_major: true, ..estimated(&c, "大项目", "1200000") };
    let both = register(&mut o.svc, &o.li, both);
    assert_eq!(both.major_reasons, vec!["已标记为重大", "总价 ≥ ¥500,000.00"]);

    // A tender is major by the same rule.
    let mut t = tender("南京地铁集团", "7号线供电设备", in_days(&o.clock, 20));
    t.estimate = Some(yuan("3000000"));
    assert!(register(&mut o.svc, &o.li, t).major);

    let row = o.svc.inquiries(&o.head, &InquiryFilter::default()).expect("lists");
    let majors = row.iter().filter(|s| s.major).count();
    assert_eq!(majors, 4);
}

#[test]
fn the_major_threshold_is_the_admins_setting_and_fixed_when_registered() {
    let mut o = office();
    let c = o.li_customer.clone();
    let before = register(&mut o.svc, &o.li, estimated(&c, "调整前", "150000"));
    assert!(!before.major);

    let policy = o.svc.settings(&o.admin).expect("reads").policy;
    let lower = ApprovalPolicy { major_threshold: yuan("100000"), ..policy.value.clone() };
    let err = o.svc.update_approval_policy(&o.head, policy.version, lower.clone()).expect_err("not the head's");
    assert!(is_denied(&err));
    o.svc.update_approval_policy(&o.admin, policy.version, lower).expect("the admin lowers the threshold");

    let after_change = register(&mut o.svc, &o.li, estimated(&c, "调整后", "150000"));
    assert!(after_change.major);
    assert_eq!(after_change.major_reasons, vec!["总价 ≥ ¥100,000.00"]);
    let below = register(&mut o.svc, &o.li, estimated(&c, "仍低于门槛", "99999.99"));
    assert!(!below.major);
    // What was registered before keeps its route.
    assert!(!reload(&mut o.svc, &o.head, before.id).major);
}

// ---------------------------------------------------------------------------------------------
// Go / no-go

#[test]
fn only_the_head_or_a_leader_decides_go_or_no_go() {
    let mut o = office();
    let i = register(&mut o.svc, &o.li, inquiry_for(&o.li_customer, "10kV配电工程设备询价"));
    for who in [&o.li, &o.wang, &o.assistant, &o.tech, &o.admin] {
        for go in [true, false] {
            let err = o.svc.decide_inquiry(who, i.id, i.version, go, "理由").expect_err("refused");
            assert!(is_denied(&err), "{}: {err:?}", who.login());
            assert!(err.to_string().contains("销售部负责人或公司领导"), "{err}");
        }
    }
    let now = reload(&mut o.svc, &o.head, i.id);
    assert_eq!((now.status, now.version, now.decisions.len()), (InquiryStatus::Registered, i.version, 0));
    assert!(audit_with_action(&mut o.svc, &o.admin, "inquiry.decide").is_empty());
    assert_eq!(inbox(&mut o.svc, &o.head), vec![i.number.to_string()]);
}

#[test]
fn the_heads_go_settles_an_ordinary_inquiry_and_it_leaves_the_inbox() {
    let mut o = office();
    let second_head = add_staff(&mut o.svc, &o.admin, "qianwei", "钱伟", &[Role::Head]);
    let i = register(&mut o.svc, &o.li, estimated(&o.li_customer, "10kV配电工程设备询价", "300000"));
    assert!(!i.major);
    let decided = decide(&mut o.svc, &o.head, &i, true, "  老客户，参与  ");
    assert_eq!(decided.status, InquiryStatus::Go);
    assert_eq!(decided.version, i.version + 1);
    assert_eq!(decided.decisions.len(), 1);
    let d = &decided.decisions[0];
    assert_eq!((d.step, d.by, d.by_name.as_str(), d.go), (DecisionStep::Head, o.head.id(), "赵敏", true));
    assert_eq!(d.comment, "老客户，参与");
    assert_eq!(d.at, o.svc.now());
    assert!(inbox(&mut o.svc, &o.head).is_empty());
    assert!(inbox(&mut o.svc, &second_head).is_empty());
    assert!(inbox(&mut o.svc, &o.leader).is_empty());
    // The registrant sees the decision on the inquiry.
    let seen = o.svc.inquiry(&o.li, i.id).expect("the registrant opens it");
    assert_eq!((seen.status, seen.decisions.len()), (InquiryStatus::Go, 1));

    let entries = audit_with_action(&mut o.svc, &o.admin, "inquiry.decide");
    assert_eq!(entries.len(), 1);
    assert_eq!((entries[0].entity_id.as_str(), entries[0].actor.as_str()), ("XJ-2026-0001", "赵敏 (zhaomin)"));
    let a = after(&entries[0]);
    assert_eq!((a["step"].as_str(), a["go"].as_bool(), a["status"].as_str()), (Some("head"), Some(true), Some("go")));
    assert_eq!(a["comment"], "老客户，参与");
}

#[test]
fn no_inquiry_is_decided_twice() {
    let mut o = office();
    let second_head = add_staff(&mut o.svc, &o.admin, "qianwei", "钱伟", &[Role::Head]);
    let i = register(&mut o.svc, &o.li, inquiry_for(&o.li_customer, "10kV配电工程设备询价"));
    let decided = decide(&mut o.svc, &o.head, &i, true, "参与");

    // The other head, the same head, and the leader, each with the current version.
    for who in [&second_head, &o.head, &o.leader] {
        for go in [true, false] {
            let err = o.svc.decide_inquiry(who, i.id, decided.version, go, "改主意了").expect_err("decided already");
            assert!(is_rule(&err, "inquiry.already_decided"), "{}: {err:?}", who.login());
        }
    }
    let now = reload(&mut o.svc, &o.head, i.id);
    assert_eq!((now.status, now.version), (InquiryStatus::Go, decided.version));
    assert_eq!(now.decisions, decided.decisions);
    assert_eq!(audit_with_action(&mut o.svc, &o.admin, "inquiry.decide").len(), 1);

    // A no-go is just as final.
    let j = register(&mut o.svc, &o.li, inquiry_for(&o.li_customer, "另一单"));
    let declined = decide(&mut o.svc, &second_head, &j, false, "交期做不到");
    assert_eq!(declined.status, InquiryStatus::NoGo);
    let err = o.svc.decide_inquiry(&o.head, j.id, declined.version, true, "").expect_err("decided already");
    assert!(is_rule(&err, "inquiry.already_decided"), "{err:?}");
    assert_eq!(reload(&mut o.svc, &o.head, j.id).status, InquiryStatus::NoGo);
}

#[test]
fn a_no_go_needs_a_reason() {
    let mut o = office();
    let i = register(&mut o.svc, &o.li, inquiry_for(&o.li_customer, "10kV配电工程设备询价"));
    for blank in ["", "   "] {
        let err = o.svc.decide_inquiry(&o.head, i.id, i.version, false, blank).expect_err("no reason");
        assert_field_error(&err, "comment");
    }
    let now = reload(&mut o.svc, &o.head, i.id);
    assert_eq!((now.status, now.version), (InquiryStatus::Registered, i.version));
    assert!(audit_with_action(&mut o.svc, &o.admin, "inquiry.decide").is_empty());

    let declined = decide(&mut o.svc, &o.head, &i, false, "价格无竞争力");
    assert_eq!(declined.status, InquiryStatus::NoGo);
    assert_eq!(declined.decisions[0].comment, "价格无竞争力");
    // A go needs no comment.
    let j = register(&mut o.svc, &o.li, inquiry_for(&o.li_customer, "另一单"));
    assert_eq!(decide(&mut o.svc, &o.head, &j, true, "").status, InquiryStatus::Go);
}

#[test]
fn a_major_inquiry_needs_the_heads_go_then_a_leaders() {
    let mut o = office();
    let second_head = add_staff(&mut o.svc, &o.admin, "qianwei", "钱伟", &[Role::Head]);
    let i = register(&mut o.svc, &o.li, estimated(&o.li_customer, "220kV变电站设备", "2000000"));
    assert!(i.major);
    assert_eq!(inbox(&mut o.svc, &o.head), vec![i.number.to_string()]);
    assert!(inbox(&mut o.svc, &o.leader).is_empty(), "the leader comes after the head");

    let after_head = decide(&mut o.svc, &o.head, &i, true, "同意参与，报公司领导");
    assert_eq!(after_head.status, InquiryStatus::Registered, "not settled by the head alone");
    assert_eq!(inbox(&mut o.svc, &o.leader), vec![i.number.to_string()]);
    assert!(inbox(&mut o.svc, &o.head).is_empty());
    assert!(inbox(&mut o.svc, &second_head).is_empty(), "the head step is done for every head");
    let row = &o.svc.inquiry_inbox(&o.leader).expect("reads")[0];
    assert_eq!((row.badge(), row.next_step()), ("待领导决定", Some(DecisionStep::Leader)));

    o.clock.advance(Duration::minutes(30));
    let settled = decide(&mut o.svc, &o.leader, &after_head, true, "同意");
    assert_eq!(settled.status, InquiryStatus::Go);
    let steps: Vec<(DecisionStep, &str, bool)> =
        settled.decisions.iter().map(|d| (d.step, d.by_name.as_str(), d.go)).collect();
    assert_eq!(steps, vec![(DecisionStep::Head, "赵敏", true), (DecisionStep::Leader, "周建国", true)]);
    assert!(inbox(&mut o.svc, &o.leader).is_empty());

    let entries = audit_with_action(&mut o.svc, &o.admin, "inquiry.decide");
    let logged: Vec<(String, String, String)> = entries
        .iter()
        .map(|e| {
            let a = after(e);
            (
                e.actor.clone(),
                a["step"].as_str().unwrap_or_default().into(),
                a["status"].as_str().unwrap_or_default().into(),
            )
        })
        .collect();
    assert_eq!(
        logged,
        vec![
            ("周建国 (zhoujg)".to_string(), "leader".to_string(), "go".to_string()),
            ("赵敏 (zhaomin)".to_string(), "head".to_string(), "registered".to_string()),
        ]
    );
}

#[test]
fn a_leader_cannot_decide_a_major_inquiry_before_the_head() {
    let mut o = office();
    let i = register(&mut o.svc, &o.li, InquiryDraft { flagged_major: true, ..inquiry_for(&o.li_customer, "重大") });
    for go in [true, false] {
        let err = o.svc.decide_inquiry(&o.leader, i.id, i.version, go, "先批了").expect_err("the head first");
        assert!(is_rule(&err, "inquiry.not_your_step"), "{err:?}");
        assert!(err.to_string().contains("销售部负责人"), "{err}");
    }
    let now = reload(&mut o.svc, &o.head, i.id);
    assert_eq!((now.status, now.version, now.decisions.len()), (InquiryStatus::Registered, i.version, 0));
    assert_eq!(inbox(&mut o.svc, &o.head), vec![i.number.to_string()]);
    assert!(audit_with_action(&mut o.svc, &o.admin, "inquiry.decide").is_empty());
}

#[test]
fn one_person_holding_both_roles_takes_one_step_of_a_major_inquiry_only() {
    let mut o = office();
    let both = add_staff(&mut o.svc, &o.admin, "wuzong", "吴总", &[Role::Head, Role::Leader]);
    let i = register(&mut o.svc, &o.li, estimated(&o.li_customer, "220kV变电站设备", "800000"));
    assert_eq!(inbox(&mut o.svc, &both), vec![i.number.to_string()], "as a head");

    let after_head = decide(&mut o.svc, &both, &i, true, "同意参与");
    assert_eq!(after_head.decisions[0].step, DecisionStep::Head);
    assert!(inbox(&mut o.svc, &both).is_empty(), "not offered the second step");
    assert_eq!(inbox(&mut o.svc, &o.leader), vec![i.number.to_string()]);
    for go in [true, false] {
        let err = o.svc.decide_inquiry(&both, i.id, after_head.version, go, "我也是领导").expect_err("same person");
        assert!(is_rule(&err, "inquiry.same_person"), "{err:?}");
    }
    let now = reload(&mut o.svc, &o.head, i.id);
    assert_eq!((now.status, now.decisions.len()), (InquiryStatus::Registered, 1));

    // Another leader can.
    let settled = decide(&mut o.svc, &o.leader, &now, true, "同意");
    assert_eq!(settled.status, InquiryStatus::Go);
    assert_eq!(settled.decisions.iter().map(|d| d.by).collect::<Vec<_>>(), vec![both.id(), o.leader.id()]);

    // The same person may take the leader step of an inquiry someone else let through as head.
    let j = register(&mut o.svc, &o.li, estimated(&o.li_customer, "另一个大项目", "900000"));
    let j = decide(&mut o.svc, &o.head, &j, true, "同意参与");
    assert_eq!(inbox(&mut o.svc, &both), vec![j.number.to_string()]);
    let j = decide(&mut o.svc, &both, &j, true, "同意");
    assert_eq!(j.status, InquiryStatus::Go);
    assert_eq!(j.decisions[1].step, DecisionStep::Leader);
}

#[test]
fn a_no_go_at_either_step_of_a_major_inquiry_ends_it() {
    let mut o = office();
    let i = register(&mut o.svc, &o.li, estimated(&o.li_customer, "220kV变电站设备", "800000"));
    let i = decide(&mut o.svc, &o.head, &i, true, "同意参与");
    let err = o.svc.decide_inquiry(&o.leader, i.id, i.version, false, "").expect_err("a reason is needed");
    assert_field_error(&err, "comment");
    let ended = decide(&mut o.svc, &o.leader, &i, false, "垫资压力过大");
    assert_eq!(ended.status, InquiryStatus::NoGo);
    assert_eq!(ended.decisions[1].step, DecisionStep::Leader);
    assert!(inbox(&mut o.svc, &o.leader).is_empty());
    assert!(inbox(&mut o.svc, &o.head).is_empty());

    // A head's no-go ends a major one without the leader.
    let j = register(&mut o.svc, &o.li, estimated(&o.li_customer, "另一个大项目", "900000"));
    let j = decide(&mut o.svc, &o.head, &j, false, "资质不符");
    assert_eq!(j.status, InquiryStatus::NoGo);
    assert!(inbox(&mut o.svc, &o.leader).is_empty());
    let err = o.svc.decide_inquiry(&o.leader, j.id, j.version, true, "").expect_err("ended");
    assert!(is_rule(&err, "inquiry.already_decided"), "{err:?}");
}

#[test]
fn a_tender_whose_deadline_has_passed_cannot_get_a_go_but_can_be_declined() {
    let o = office();
    let t0 = o.svc.now();
    let (dir, mut svc, head, li, admin) = (o.dir, o.svc, o.head, o.li, o.admin);
    let late = register(&mut svc, &li, tender("南京地铁集团", "7号线供电设备", t0 + Duration::days(2)));
    let late_too = register(&mut svc, &li, tender("南京地铁集团", "8号线供电设备", t0 + Duration::days(2)));
    let in_time = register(&mut svc, &li, tender("苏州供电公司", "配网物资", t0 + Duration::days(5)));
    drop(svc);

    // Three days later, at another seat.
    let mut later = crate::support::reopen(&dir).expect("opens").with_clock(fixed_clock(t0 + Duration::days(3)));
    let err = later.decide_inquiry(&head, late.id, late.version, true, "还来得及吗").expect_err("too late");
    assert!(is_rule(&err, "inquiry.deadline_passed"), "{err:?}");
    assert_eq!(reload(&mut later, &head, late.id).status, InquiryStatus::Registered);
    let declined = decide(&mut later, &head, &late, false, "已过投标截止时间");
    assert_eq!(declined.status, InquiryStatus::NoGo);
    assert_eq!(decide(&mut later, &head, &in_time, true, "参与").status, InquiryStatus::Go);

    // Exactly at the deadline is too late as well.
    let mut at_deadline = crate::support::reopen(&dir).expect("opens").with_clock(fixed_clock(t0 + Duration::days(2)));
    let err = at_deadline.decide_inquiry(&head, late_too.id, late_too.version, true, "").expect_err("too late");
    assert!(is_rule(&err, "inquiry.deadline_passed"), "{err:?}");
    let decided = audit_with_action(&mut later, &admin, "inquiry.decide");
    assert_eq!(decided.len(), 2);
}

#[test]
fn a_major_tender_let_through_by_the_head_cannot_get_the_leaders_go_after_the_deadline() {
    let o = office();
    let t0 = o.svc.now();
    let (dir, mut svc, head, leader, li) = (o.dir, o.svc, o.head, o.leader, o.li);
    let mut d = tender("南京地铁集团", "7号线供电设备", t0 + Duration::days(2));
    d.flagged_major = true;
    let t = register(&mut svc, &li, d);
    let t = decide(&mut svc, &head, &t, true, "同意参与");
    drop(svc);
    let mut later = crate::support::reopen(&dir).expect("opens").with_clock(fixed_clock(t0 + Duration::days(3)));
    let err = later.decide_inquiry(&leader, t.id, t.version, true, "").expect_err("too late");
    assert!(is_rule(&err, "inquiry.deadline_passed"), "{err:?}");
    assert_eq!(decide(&mut later, &leader, &t, false, "已截止").status, InquiryStatus::NoGo);
}

#[test]
fn a_decision_on_a_stale_version_is_a_conflict_and_changes_nothing() {
    let mut o = office();
    let i = register(&mut o.svc, &o.li, estimated(&o.li_customer, "220kV变电站设备", "800000"));
    // The leader's seat has it open as well.
    let mut leader_seat = crate::support::reopen(&o.dir).expect("opens").with_clock(o.clock.clock());
    let seen_by_head = reload(&mut o.svc, &o.head, i.id);
    let seen_by_leader = reload(&mut leader_seat, &o.leader, i.id);
    assert_eq!(seen_by_head.version, seen_by_leader.version);

    decide(&mut o.svc, &o.head, &seen_by_head, true, "同意参与");
    let err = leader_seat
        .decide_inquiry(&o.leader, i.id, seen_by_leader.version, true, "同意")
        .expect_err("the leader decided on what they saw before the head's decision");
    assert!(err.is_conflict(), "{err:?}");
    match &err {
        ServiceError::Store(StoreError::Conflict { by, .. }) => assert!(by.contains("赵敏"), "names who: {by}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let now = reload(&mut leader_seat, &o.leader, i.id);
    assert_eq!((now.status, now.decisions.len()), (InquiryStatus::Registered, 1));
    assert_eq!(audit_with_action(&mut o.svc, &o.admin, "inquiry.decide").len(), 1);
    // Reloaded, the leader decides.
    assert_eq!(decide(&mut leader_seat, &o.leader, &now, true, "同意").status, InquiryStatus::Go);

    // The registrant changed it while the head had it open: the head decides on what they saw,
    // not on the change.
    let j = register(&mut o.svc, &o.li, estimated(&o.li_customer, "小项目", "200000"));
    let mut head_seat = crate::support::reopen(&o.dir).expect("opens").with_clock(o.clock.clock());
    let seen = reload(&mut head_seat, &o.head, j.id);
    o.svc
        .update_inquiry(&o.li, j.id, j.version, estimated(&o.li_customer, "小项目", "260000"))
        .expect("the registrant edits");
    let err = head_seat.decide_inquiry(&o.head, j.id, seen.version, true, "参与").expect_err("stale");
    assert!(err.is_conflict(), "{err:?}");
    assert!(err.to_string().contains("李强"), "{err}");
    let now = reload(&mut head_seat, &o.head, j.id);
    assert_eq!((now.status, now.decisions.len()), (InquiryStatus::Registered, 0));
}

#[test]
fn a_second_head_deciding_on_what_they_loaded_before_the_first_gets_a_conflict_naming_the_first() {
    let mut o = office();
    let second_head = add_staff(&mut o.svc, &o.admin, "qianwei", "钱伟", &[Role::Head]);
    let i = register(&mut o.svc, &o.li, inquiry_for(&o.li_customer, "10kV配电工程设备询价"));
    let mut other_seat = crate::support::reopen(&o.dir).expect("opens").with_clock(o.clock.clock());
    let seen = reload(&mut other_seat, &second_head, i.id);
    decide(&mut o.svc, &o.head, &i, true, "参与");
    let err = other_seat.decide_inquiry(&second_head, i.id, seen.version, false, "不参与").expect_err("refused");
    assert!(err.is_conflict(), "{err:?}");
    assert!(err.to_string().contains("赵敏"), "names who decided: {err}");
    let now = reload(&mut other_seat, &second_head, i.id);
    assert_eq!((now.status, now.decisions.len()), (InquiryStatus::Go, 1));
    assert_eq!(now.decisions[0].by, o.head.id());
}

#[test]
fn every_decision_is_audited_with_its_step_and_outcome() {
    let mut o = office();
    let a = register(&mut o.svc, &o.li, inquiry_for(&o.li_customer, "一"));
    let b = register(&mut o.svc, &o.li, inquiry_for(&o.li_customer, "二"));
    let c = register(&mut o.svc, &o.li, estimated(&o.li_customer, "三", "600000"));
    decide(&mut o.svc, &o.head, &a, true, "");
    decide(&mut o.svc, &o.head, &b, false, "无利润");
    let c = decide(&mut o.svc, &o.head, &c, true, "同意");
    decide(&mut o.svc, &o.leader, &c, false, "风险大");
    let mut got: Vec<(String, String, bool, String)> = audit_with_action(&mut o.svc, &o.admin, "inquiry.decide")
        .iter()
        .map(|e| {
            let x = after(e);
            (
                e.entity_id.clone(),
                x["step"].as_str().unwrap_or_default().to_string(),
                x["go"].as_bool().unwrap_or_default(),
                x["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    got.sort();
    let want = [
        ("XJ-2026-0001", "head", true, "go"),
        ("XJ-2026-0002", "head", false, "no_go"),
        ("XJ-2026-0003", "head", true, "registered"),
        ("XJ-2026-0003", "leader", false, "no_go"),
    ]
    .map(|(n, s, g, st)| (n.to_string(), s.to_string(), g, st.to_string()));
    assert_eq!(got, want.to_vec());
}

// ---------------------------------------------------------------------------------------------
// Editing

#[test]
fn the_registrant_edits_an_undecided_inquiry_and_a_stale_edit_is_a_conflict_naming_who() {
    let mut o = office();
    let i = register(&mut o.svc, &o.li, estimated(&o.li_customer, "10kV配电工程设备询价", "300000"));
    let edited = o
        .svc
        .update_inquiry(&o.li, i.id, i.version, estimated(&o.li_customer, "10kV配电工程设备询价（含电缆）", "350000"))
        .expect("the registrant edits");
    assert_eq!(edited.version, i.version + 1);
    assert_eq!(edited.draft.subject, "10kV配电工程设备询价（含电缆）");
    assert_eq!(edited.draft.estimate, Some(yuan("350000")));
    assert_eq!(edited.number, i.number);
    assert_eq!(edited.registered_by, o.li.id());
    let upd = audit_with_action(&mut o.svc, &o.admin, "inquiry.update");
    assert_eq!(upd.len(), 1);
    assert_eq!(upd[0].entity_id, i.number.to_string());
    assert!(upd[0].before.contains("10kV配电工程设备询价\""), "{}", upd[0].before);

    // Raising the estimate to the threshold makes it major (checked again on every edit).
    let bigger =
        o.svc.update_inquiry(&o.li, i.id, edited.version, estimated(&o.li_customer, "扩容", "500000")).expect("edits");
    assert!(bigger.major);
    assert_eq!(bigger.major_reasons, vec!["总价 ≥ ¥500,000.00"]);

    // The head edits meanwhile; the registrant's form still has the older version.
    let by_head = o
        .svc
        .update_inquiry(&o.head, i.id, bigger.version, estimated(&o.li_customer, "扩容（负责人核定）", "480000"))
        .expect("a head edits");
    assert!(!by_head.major);
    let err = o
        .svc
        .update_inquiry(&o.li, i.id, bigger.version, estimated(&o.li_customer, "我的改动", "1"))
        .expect_err("stale");
    assert!(err.is_conflict(), "{err:?}");
    assert!(err.to_string().contains("赵敏"), "names who: {err}");
    let now = reload(&mut o.svc, &o.head, i.id);
    assert_eq!((now.draft.subject.as_str(), now.version), ("扩容（负责人核定）", by_head.version));
}

#[test]
fn a_decided_inquiry_cannot_be_edited() {
    let mut o = office();
    let i = register(&mut o.svc, &o.li, inquiry_for(&o.li_customer, "10kV配电工程设备询价"));
    let decided = decide(&mut o.svc, &o.head, &i, true, "参与");
    for who in [&o.li, &o.head] {
        let err = o
            .svc
            .update_inquiry(who, i.id, decided.version, inquiry_for(&o.li_customer, "改一改"))
            .expect_err("decided");
        assert!(is_rule(&err, "inquiry.frozen"), "{}: {err:?}", who.login());
    }
    let now = reload(&mut o.svc, &o.head, i.id);
    assert_eq!((now.draft.subject.as_str(), now.version), ("10kV配电工程设备询价", decided.version));

    // Halfway through a major one (the head's go given) counts as decided too.
    let j = register(&mut o.svc, &o.li, estimated(&o.li_customer, "大项目", "900000"));
    let j = decide(&mut o.svc, &o.head, &j, true, "同意参与");
    let err = o.svc.update_inquiry(&o.li, j.id, j.version, estimated(&o.li_customer, "改小", "1000")).expect_err("no");
    assert!(is_rule(&err, "inquiry.frozen"), "{err:?}");
    assert!(audit_with_action(&mut o.svc, &o.admin, "inquiry.update").is_empty());
}

#[test]
fn only_the_registrant_or_a_head_edits_an_inquiry() {
    let mut o = office();
    let i = register(&mut o.svc, &o.li, inquiry_for(&o.pool_customer, "公海客户询价"));
    for who in [&o.wang, &o.assistant, &o.leader, &o.tech, &o.admin] {
        let err = o
            .svc
            .update_inquiry(who, i.id, i.version, inquiry_for(&o.pool_customer, "别人改的"))
            .expect_err("not theirs");
        assert!(is_denied(&err), "{}: {err:?}", who.login());
    }
    let now = reload(&mut o.svc, &o.head, i.id);
    assert_eq!((now.draft.subject.as_str(), now.version), ("公海客户询价", i.version));
    let by_head = o
        .svc
        .update_inquiry(&o.head, i.id, i.version, inquiry_for(&o.pool_customer, "负责人补充"))
        .expect("a head edits");
    assert_eq!(by_head.draft.subject, "负责人补充");
    assert_eq!(by_head.updated_by, "赵敏 (zhaomin)");
}

// ---------------------------------------------------------------------------------------------
// Visibility and the lists

#[test]
fn a_salesperson_sees_what_they_registered_and_what_concerns_their_customers() {
    let mut o = office();
    let for_li = register(&mut o.svc, &o.assistant, inquiry_for(&o.li_customer, "内勤替李强登记"));
    let wangs = register(&mut o.svc, &o.wang, inquiry_for(&o.wang_customer, "王芳的客户"));
    let lis_pool = register(&mut o.svc, &o.li, inquiry_for(&o.pool_customer, "李强登记的公海客户"));
    let purchaser = register(&mut o.svc, &o.assistant, tender("南京地铁集团", "7号线", in_days(&o.clock, 9)));

    assert_eq!(all(&mut o.svc, &o.li), numbers(&[&for_li, &lis_pool]));
    assert_eq!(all(&mut o.svc, &o.wang), numbers(&[&wangs]));
    assert!(all(&mut o.svc, &o.tech).is_empty());
    let err = o.svc.inquiry(&o.li, wangs.id).expect_err("a colleague's");
    assert!(is_denied(&err), "{err:?}");
    assert!(is_denied(&o.svc.inquiry(&o.wang, lis_pool.id).expect_err("a colleague's")));
    assert!(is_denied(&o.svc.inquiry(&o.li, purchaser.id).expect_err("the assistant's tender")));
    assert!(is_denied(&o.svc.inquiry_documents(&o.li, wangs.id).expect_err("not theirs")));
    assert_eq!(o.svc.inquiry(&o.li, for_li.id).expect("their customer's").id, for_li.id);

    let every = numbers(&[&for_li, &wangs, &lis_pool, &purchaser]);
    for who in [&o.head, &o.leader, &o.assistant, &o.admin] {
        assert_eq!(all(&mut o.svc, who), every, "{} sees all", who.login());
        assert_eq!(o.svc.inquiry(who, wangs.id).expect("opens").id, wangs.id);
    }
}

#[test]
fn the_lists_filter_by_kind_status_registrant_and_search_text() {
    let mut o = office();
    let a = register(&mut o.svc, &o.li, inquiry_for(&o.li_customer, "10kV配电工程设备询价"));
    let b = register(&mut o.svc, &o.wang, inquiry_for(&o.wang_customer, "电缆比价"));
    let t = register(&mut o.svc, &o.li, tender("南京地铁集团", "7号线供电设备", in_days(&o.clock, 20)));
    decide(&mut o.svc, &o.head, &b, false, "无库存");
    let h = o.head.clone();
    let f = |g: fn(&mut InquiryFilter)| {
        let mut f = InquiryFilter::default();
        g(&mut f);
        f
    };
    assert_eq!(listed(&mut o.svc, &h, &f(|f| f.kind = Some(InquiryKind::Tender))), numbers(&[&t]));
    assert_eq!(listed(&mut o.svc, &h, &f(|f| f.kind = Some(InquiryKind::Inquiry))), numbers(&[&a, &b]));
    assert_eq!(listed(&mut o.svc, &h, &f(|f| f.status = Some(InquiryStatus::NoGo))), numbers(&[&b]));
    assert_eq!(listed(&mut o.svc, &h, &f(|f| f.status = Some(InquiryStatus::Registered))), numbers(&[&a, &t]));
    assert!(listed(&mut o.svc, &h, &f(|f| f.status = Some(InquiryStatus::Go))).is_empty());
    let by_li = InquiryFilter { registered_by: Some(o.li.id()), ..Default::default() };
    assert_eq!(listed(&mut o.svc, &h, &by_li), numbers(&[&a, &t]));
    let q = |text: &str| InquiryFilter { query: text.into(), ..Default::default() };
    assert_eq!(listed(&mut o.svc, &h, &q("XJ-2026-0002")), numbers(&[&b]));
    assert_eq!(listed(&mut o.svc, &h, &q("xj-2026-0003")), numbers(&[&t]));
    assert_eq!(listed(&mut o.svc, &h, &q("配电")), numbers(&[&a]));
    assert_eq!(listed(&mut o.svc, &h, &q("中天电缆")), numbers(&[&b]));
    assert_eq!(listed(&mut o.svc, &h, &q(" 南京地铁 ")), numbers(&[&t]));
    assert!(listed(&mut o.svc, &h, &q("不存在")).is_empty());
    // Filters combine, and a salesperson's filters stay within what they may see.
    let both = InquiryFilter { kind: Some(InquiryKind::Inquiry), registered_by: Some(o.li.id()), ..Default::default() };
    assert_eq!(listed(&mut o.svc, &h, &both), numbers(&[&a]));
    let wangs = InquiryFilter { registered_by: Some(o.wang.id()), ..Default::default() };
    assert!(listed(&mut o.svc, &o.li, &wangs).is_empty());
    // Newest first.
    let rows = o.svc.inquiries(&h, &InquiryFilter::default()).expect("lists");
    let order: Vec<u32> = rows.iter().map(|r| r.number.seq).collect();
    assert_eq!(order, vec![3, 2, 1]);
}

#[test]
fn the_deadline_view_shows_tenders_due_within_seven_days() {
    let mut o = office();
    let passes = register(&mut o.svc, &o.li, tender("甲方一", "项目一", in_days(&o.clock, 1)));
    let soon = register(&mut o.svc, &o.li, tender("甲方二", "项目二", in_days(&o.clock, 5)));
    let later = register(&mut o.svc, &o.li, tender("甲方三", "项目三", in_days(&o.clock, 12)));
    let edge = register(&mut o.svc, &o.li, tender("甲方四", "项目四", in_days(&o.clock, 9)));
    register(&mut o.svc, &o.li, inquiry_for(&o.li_customer, "询价没有截止时间"));
    o.clock.advance(Duration::days(2));
    // Now: "passes" closed a day ago, "soon" is 3 days away, "edge" exactly 7, "later" 10.
    let week = InquiryFilter { deadline_within_days: Some(7), ..Default::default() };
    assert_eq!(listed(&mut o.svc, &o.head, &week), numbers(&[&soon, &edge]));
    assert_eq!(listed(&mut o.svc, &o.li, &week), numbers(&[&soon, &edge]));
    let every_tender = InquiryFilter { kind: Some(InquiryKind::Tender), ..Default::default() };
    assert_eq!(listed(&mut o.svc, &o.li, &every_tender), numbers(&[&passes, &soon, &later, &edge]));
    assert!(listed(&mut o.svc, &o.wang, &week).is_empty(), "only what the salesperson may see");
}

// ---------------------------------------------------------------------------------------------
// Bid bond and documents

#[test]
fn the_bid_bond_is_recorded_paid_then_returned() {
    let mut o = office();
    let mut d = tender("南京地铁集团", "7号线供电设备", in_days(&o.clock, 20));
    d.tender.bond = Some(yuan("20000"));
    let t = register(&mut o.svc, &o.li, d);
    assert_eq!(t.draft.tender.bond, Some(yuan("20000")));
    assert!(!t.draft.tender.bond_paid && !t.draft.tender.bond_returned);

    let err = o.svc.set_bond_status(&o.li, t.id, t.version, false, true).expect_err("not paid yet");
    assert_field_error(&err, "bond");
    // Nor through the form: registering or editing a tender whose bond is "returned" but not paid.
    let mut odd = tender("南京地铁集团", "8号线", in_days(&o.clock, 20));
    odd.tender.bond = Some(yuan("5000"));
    odd.tender.bond_returned = true;
    assert_field_error(&o.svc.register_inquiry(&o.li, odd.clone()).expect_err("returned, not paid"), "bond");
    assert_field_error(&o.svc.update_inquiry(&o.li, t.id, t.version, odd).expect_err("returned, not paid"), "bond");
    // An inquiry (not a tender) has no bid bond.
    let i = register(&mut o.svc, &o.li, inquiry_for(&o.li_customer, "询价没有保证金"));
    let err = o.svc.set_bond_status(&o.li, i.id, i.version, true, false).expect_err("not a tender");
    assert!(is_rule(&err, "inquiry.not_tender"), "{err:?}");
    for who in [&o.wang, &o.assistant, &o.leader] {
        let err = o.svc.set_bond_status(who, t.id, t.version, true, false).expect_err("not theirs");
        assert!(is_denied(&err), "{}: {err:?}", who.login());
    }
    assert!(audit_with_action(&mut o.svc, &o.admin, "tender.bond").is_empty());

    let paid = o.svc.set_bond_status(&o.li, t.id, t.version, true, false).expect("paid");
    assert!(paid.draft.tender.bond_paid && !paid.draft.tender.bond_returned);
    assert_eq!(paid.version, t.version + 1);
    assert_eq!(paid.draft.tender.project, "7号线供电设备", "the rest is kept");
    // After the go, the bond comes back: recorded by a head.
    let decided = decide(&mut o.svc, &o.head, &paid, true, "参与");
    let returned = o.svc.set_bond_status(&o.head, t.id, decided.version, true, true).expect("returned");
    assert!(returned.draft.tender.bond_paid && returned.draft.tender.bond_returned);
    assert_eq!(returned.status, InquiryStatus::Go);
    let stale = o.svc.set_bond_status(&o.li, t.id, paid.version, true, true).expect_err("stale");
    assert!(stale.is_conflict(), "{stale:?}");

    let entries = audit_with_action(&mut o.svc, &o.admin, "tender.bond");
    let logged: Vec<(String, bool, bool)> = entries
        .iter()
        .map(|e| {
            let a = after(e);
            (e.actor.clone(), a["paid"].as_bool().unwrap_or_default(), a["returned"].as_bool().unwrap_or_default())
        })
        .collect();
    assert_eq!(logged, vec![("赵敏 (zhaomin)".into(), true, true), ("李强 (liqiang)".into(), true, false)]);
    assert!(entries.iter().all(|e| e.entity_id == t.number.to_string()));
}

#[test]
fn tender_documents_are_kept_in_the_database_and_read_back_byte_for_byte() {
    let mut o = office();
    let t = register(&mut o.svc, &o.li, tender("南京地铁集团", "7号线供电设备", in_days(&o.clock, 20)));
    let pdf: Vec<u8> = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".to_vec();
    let listed = o.svc.attach_inquiry_document(&o.li, t.id, "招标文件.pdf", &pdf).expect("attaches");
    assert_eq!(listed.len(), 1);
    let (att, name, size) = listed[0].clone();
    assert_eq!((name.as_str(), size), ("招标文件.pdf", pdf.len() as i64));

    let drawing = vec![7u8; 3000];
    let two = o.svc.attach_inquiry_document(&o.assistant, t.id, "图纸.dwg", &drawing).expect("attaches");
    assert_eq!(
        two.iter().map(|(_, n, s)| (n.as_str(), *s)).collect::<Vec<_>>(),
        vec![("招标文件.pdf", pdf.len() as i64), ("图纸.dwg", 3000)]
    );

    let doc = o.svc.inquiry_document(&o.head, t.id, att).expect("a head reads it");
    assert_eq!(doc.bytes, pdf);
    assert_eq!((doc.file_name.as_str(), doc.mime.as_str()), ("招标文件.pdf", "application/pdf"));
    assert_eq!(o.svc.inquiry_documents(&o.li, t.id).expect("lists"), two);

    // Another seat sees the same bytes: they live in the database, not in a path.
    let mut other = crate::support::reopen(&o.dir).expect("opens");
    assert_eq!(other.inquiry_document(&o.li, t.id, att).expect("reads").bytes, pdf);

    let err = o.svc.attach_inquiry_document(&o.li, t.id, "空.pdf", &[]).expect_err("empty");
    assert_field_error(&err, "file");
    let err = o.svc.attach_inquiry_document(&o.wang, t.id, "我的.pdf", &pdf).expect_err("not theirs");
    assert!(is_denied(&err), "{err:?}");
    assert!(is_denied(&o.svc.inquiry_document(&o.wang, t.id, att).expect_err("not theirs")));
    // An attachment of another inquiry is not read through this one.
    let other_inquiry = register(&mut o.svc, &o.li, inquiry_for(&o.li_customer, "另一单"));
    assert!(o.svc.inquiry_document(&o.li, other_inquiry.id, att).is_err());
    assert_eq!(o.svc.inquiry_documents(&o.li, t.id).expect("lists").len(), 2);

    let entries = audit_with_action(&mut o.svc, &o.admin, "inquiry.attach");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1].entity_id, t.number.to_string());
    assert_eq!(entries[1].actor, "李强 (liqiang)");
    let a = after(&entries[1]);
    assert_eq!((a["file"].as_str(), a["bytes"].as_u64()), (Some("招标文件.pdf"), Some(pdf.len() as u64)));
}

// ---------------------------------------------------------------------------------------------
// The phone-inquiry desk (电话询价)

/// Two products in the price table, effective today (two versions: one per new product).
fn two_products(o: &mut Office) -> (Product, Product) {
    let today = o.svc.today();
    let a = o
        .svc
        .create_product(&o.head, product("CP-SCB13-1000", "干式变压器", "186000", Some("162000")), today)
        .expect("creates");
    let b = o
        .svc
        .create_product(&o.head, product("CP-KYN28A-12", "高压开关柜", "68500.50", Some("61000")), today)
        .expect("creates");
    (a, b)
}

fn phone_rows(o: &Office) -> Vec<(i64, Option<i64>)> {
    crate::support::raw_pairs(&o.dir, "SELECT id, inquiry_id FROM phone_answers ORDER BY id")
}

#[test]
fn only_the_assistant_gives_prices_on_the_phone_and_every_refusal_is_audited() {
    let mut o = office();
    let (a, _) = two_products(&mut o);
    for who in [&o.li, &o.head, &o.admin, &o.leader, &o.tech] {
        let before = audit_count(&mut o.svc);
        let err =
            o.svc.answer_phone_prices(who, Some(o.li_customer.id), None, &[a.id]).expect_err("only the assistant");
        assert!(is_denied(&err), "{}: {err:?}", who.login());
        assert!(err.to_string().contains("销售内勤"), "{err}");
        assert_eq!(audit_count(&mut o.svc), before + 1, "{}: exactly the refusal is logged", who.login());
        let newest = &audit_log(&mut o.svc, &o.admin)[0];
        assert_eq!(newest.action, "phone.refused");
        assert_eq!(newest.actor, format!("{} ({})", who.display_name(), who.login()));
        assert_eq!(after(newest)["customer"], o.li_customer.id.0);
    }
    assert!(phone_rows(&o).is_empty(), "no price was given");
    assert_eq!(audit_with_action(&mut o.svc, &o.admin, "phone.refused").len(), 5);
    assert!(audit_with_action(&mut o.svc, &o.admin, "phone.answer").is_empty());
}

#[test]
fn the_assistant_answers_list_prices_of_the_version_in_force_and_each_answer_is_logged() {
    let mut o = office();
    let (a, b) = two_products(&mut o);
    // A price rise planned for next week does not change today's answer.
    let today = o.svc.today();
    let rise = ProductDraft { list_price: yuan("195000"), ..a.draft.clone() };
    o.svc.update_product(&o.head, a.id, a.version, rise, today + Duration::days(7)).expect("plans a rise");
    let in_force = o.svc.price_table(&o.assistant, None).expect("reads").version.expect("a version in force");

    let contact = o.li_customer.draft.contacts[0].id;
    let answers =
        o.svc.answer_phone_prices(&o.assistant, Some(o.li_customer.id), contact, &[a.id, b.id]).expect("answers");
    let got: Vec<(&str, _)> = answers.iter().map(|x| (x.code.as_str(), x.list_price)).collect();
    assert_eq!(got, vec![("CP-SCB13-1000", yuan("186000")), ("CP-KYN28A-12", yuan("68500.50"))]);
    for x in &answers {
        assert_eq!(x.version, in_force.id);
        assert!(x.version_label.contains(&in_force.effective.to_string()), "{}", x.version_label);
        assert!(x.version_label.contains(&in_force.note), "{}", x.version_label);
    }
    assert_eq!((answers[0].name.as_str(), answers[1].unit.as_str()), ("干式变压器", "台"));
    assert_eq!(
        phone_rows(&o).iter().map(|r| r.0).collect::<Vec<_>>(),
        answers.iter().map(|x| x.log_id).collect::<Vec<_>>()
    );
    assert!(phone_rows(&o).iter().all(|r| r.1.is_none()), "not an inquiry yet");

    let logged = audit_with_action(&mut o.svc, &o.admin, "phone.answer");
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].actor, "孙丽 (sunli)");
    assert_eq!(logged[0].entity_id, in_force.id.0.to_string());
    assert_eq!(after(&logged[0])["answers"].as_array().map(Vec::len), Some(2));

    // A week later the new price is in force, and the answer says which version it came from.
    o.clock.advance(Duration::days(7));
    let next = o.svc.answer_phone_prices(&o.assistant, None, None, &[a.id]).expect("answers");
    assert_eq!(next[0].list_price, yuan("195000"));
    assert_ne!(next[0].version, in_force.id);
    assert_eq!(Some(next[0].version), o.svc.price_table(&o.assistant, None).expect("reads").version.map(|v| v.id));

    let err = o.svc.answer_phone_prices(&o.assistant, None, None, &[]).expect_err("nothing asked");
    assert_field_error(&err, "products");
}

#[test]
fn an_inactive_product_gets_no_price_on_the_phone() {
    let mut o = office();
    let (a, b) = two_products(&mut o);
    let today = o.svc.today();
    let retired = ProductDraft { active: false, ..b.draft.clone() };
    o.svc.update_product(&o.head, b.id, b.version, retired, today).expect("the head retires it");
    let err = o.svc.answer_phone_prices(&o.assistant, None, None, &[a.id, b.id]).expect_err("retired");
    assert!(is_rule(&err, "product.inactive"), "{err:?}");
    assert!(err.to_string().contains("CP-KYN28A-12"), "names the product: {err}");
    assert!(phone_rows(&o).is_empty(), "not even the active one was logged");
    assert!(audit_with_action(&mut o.svc, &o.admin, "phone.answer").is_empty());
    assert_eq!(o.svc.answer_phone_prices(&o.assistant, None, None, &[a.id]).expect("the active one").len(), 1);
}

#[test]
fn a_phone_call_is_registered_as_an_inquiry_tied_to_the_prices_given() {
    let mut o = office();
    let (a, b) = two_products(&mut o);
    let answers =
        o.svc.answer_phone_prices(&o.assistant, Some(o.pool_customer.id), None, &[a.id, b.id]).expect("answers");
    let draft = InquiryDraft {
        source: InquirySource::Email,
        lines: answers
            .iter()
            .map(|x| InquiryLine { product: Some(x.product), description: x.name.clone(), ..Default::default() })
            .collect(),
        ..inquiry_for(&o.pool_customer, "电话询价：变压器和开关柜")
    };
    let i = o.svc.register_phone_inquiry(&o.assistant, draft, &answers).expect("registers the call");
    assert_eq!(i.draft.source, InquirySource::Phone, "a call is a phone inquiry, whatever the form said");
    assert_eq!(i.number.to_string(), "XJ-2026-0001");
    assert_eq!(i.draft.lines.iter().map(|l| l.product).collect::<Vec<_>>(), vec![Some(a.id), Some(b.id)]);
    let rows = phone_rows(&o);
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.1 == Some(i.id.0)), "{rows:?}");
    assert_eq!(inbox(&mut o.svc, &o.head), vec![i.number.to_string()]);

    assert_eq!(audit_with_action(&mut o.svc, &o.admin, "phone.answer").len(), 1);
    let reg = audit_with_action(&mut o.svc, &o.admin, "inquiry.register");
    assert_eq!((reg.len(), reg[0].actor.as_str()), (1, "孙丽 (sunli)"));
    assert_eq!(after(&reg[0])["source"], "Phone");

    // A call the assistant is refused to register (not a valid form) ties nothing.
    let more = o.svc.answer_phone_prices(&o.assistant, None, None, &[a.id]).expect("answers");
    let err = o.svc.register_phone_inquiry(&o.assistant, InquiryDraft::default(), &more).expect_err("no customer");
    assert_field_error(&err, "customer");
    assert_eq!(phone_rows(&o)[2].1, None);

    // Registered twice (a double click): the prices stay with the inquiry they were given for.
    let again = o
        .svc
        .register_phone_inquiry(&o.assistant, inquiry_for(&o.pool_customer, "重复登记"), &answers)
        .expect("registers");
    let rows = phone_rows(&o);
    assert_eq!(rows.iter().filter(|r| r.1 == Some(i.id.0)).count(), 2, "{rows:?}");
    assert!(rows.iter().all(|r| r.1 != Some(again.id.0)), "{rows:?}");
}

// ---------------------------------------------------------------------------------------------
// Telling the registrant; customer merges

#[test]
fn the_registrant_hears_of_decisions_made_since_they_last_looked() {
    let mut o = office();
    let t0 = o.svc.now();
    let a = register(&mut o.svc, &o.li, inquiry_for(&o.li_customer, "一"));
    let b = register(&mut o.svc, &o.li, inquiry_for(&o.li_customer, "二"));
    let wangs = register(&mut o.svc, &o.wang, inquiry_for(&o.wang_customer, "王芳的"));
    assert!(o.svc.decisions_since(&o.li, t0).expect("reads").is_empty());

    o.clock.advance(Duration::hours(1));
    decide(&mut o.svc, &o.head, &a, true, "参与");
    decide(&mut o.svc, &o.head, &wangs, true, "参与");
    let t1 = o.svc.now() + Duration::minutes(30);
    o.clock.advance(Duration::hours(2));
    decide(&mut o.svc, &o.head, &b, false, "不做");

    let since_t0 = o.svc.decisions_since(&o.li, t0).expect("reads");
    let mut got: Vec<(String, bool, String)> =
        since_t0.iter().map(|(s, d)| (s.number.to_string(), d.go, d.by_name.clone())).collect();
    got.sort();
    assert_eq!(got, vec![("XJ-2026-0001".into(), true, "赵敏".into()), ("XJ-2026-0002".into(), false, "赵敏".into())]);
    let since_t1 = o.svc.decisions_since(&o.li, t1).expect("reads");
    assert_eq!(since_t1.len(), 1, "only the decision made after t1");
    assert_eq!((since_t1[0].0.id, since_t1[0].1.comment.as_str()), (b.id, "不做"));
    assert!(o.svc.decisions_since(&o.li, o.svc.now()).expect("reads").is_empty());
    assert_eq!(o.svc.decisions_since(&o.wang, t0).expect("reads").len(), 1, "王芳 hears of hers only");
}

#[test]
fn merging_customers_keeps_the_inquiry_history_under_the_kept_customer() {
    let mut o = office();
    let dup = add_customer(&mut o.svc, &o.li, customer("江苏华能电力设备公司"), None);
    let i = register(&mut o.svc, &o.li, inquiry_for(&dup, "登记在重复档案上"));
    assert_eq!(i.customer_name, "江苏华能电力设备公司");
    let keep = o.li_customer.clone();
    o.svc.merge_customers(&o.head, (keep.id, keep.version), (dup.id, dup.version)).expect("the head merges");

    let now = o.svc.inquiry(&o.li, i.id).expect("the registrant still sees it");
    assert_eq!(now.draft.customer, Some(keep.id));
    assert_eq!(now.customer_name, "江苏华能电力设备有限公司");
    let rows =
        o.svc.inquiries(&o.li, &InquiryFilter { query: "有限公司".into(), ..Default::default() }).expect("lists");
    assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![i.id]);
    assert_eq!(rows[0].customer, Some(keep.id));
    assert!(
        o.svc
            .inquiries(&o.li, &InquiryFilter { query: "设备公司".into(), ..Default::default() })
            .expect("lists")
            .is_empty()
    );
}
