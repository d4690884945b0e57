//! The customer timeline (客户往来记录) on the customer card, issue 8: visits, inquiries with their
//! decisions, quotes with each revision and approval, newest first, each naming the record it
//! opens; what a reader may not open is not listed (DESIGN §2). On the staff office and the test
//! clock (2026-11-27 09:00 UTC).

use chrono::{Duration, NaiveDate};
use salesdesk::domain::customer::Customer;
use salesdesk::domain::inquiry::{InquiryDraft, InquiryKind, InquiryLine, InquirySource};
use salesdesk::domain::money::Quantity;
use salesdesk::domain::timeline::{TimelineEntry, TimelineKind, TimelineLink};
use salesdesk::domain::visit::{VisitPlanDraft, VisitRecordDraft};
use salesdesk::service::{Actor, ServiceError};

use crate::support::{Office, office, product};

fn inquiry_for(c: &Customer, product: &salesdesk::domain::product::Product, subject: &str) -> InquiryDraft {
    InquiryDraft {
        kind: InquiryKind::Inquiry,
        customer: Some(c.id),
        source: InquirySource::Visit,
        subject: subject.into(),
        lines: vec![InquiryLine {
            product: Some(product.id),
            description: product.draft.name.clone(),
            quantity: Some(Quantity::parse("2").expect("quantity")),
            unit: "台".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn kinds(list: &[TimelineEntry]) -> Vec<TimelineKind> {
    list.iter().map(|e| e.kind).collect()
}

fn timeline(o: &mut Office, who: &Actor, c: &Customer) -> Vec<TimelineEntry> {
    o.svc.customer_timeline(who, c.id).unwrap_or_else(|e| panic!("{} reads the timeline: {e}", who.login()))
}

/// 李强's customer: a visit recorded two days ago (补录), an inquiry with the head's go, a quote
/// submitted and approved, and a visit planned for next week — each step an hour or more apart.
fn story(o: &mut Office) {
    let (li, head) = (o.li.clone(), o.head.clone());
    let c = o.li_customer.clone();
    let transformer = o
        .svc
        .create_product(&head, product("CP-SCB13-1000", "干式变压器", "186000", Some("162000")), o.svc.today())
        .expect("a product");
    let plan = VisitPlanDraft { customer: Some(c.id), purpose: "新客户拜访".into(), ..Default::default() };
    let record = VisitRecordDraft {
        visited_on: Some(NaiveDate::from_ymd_opt(2026, 11, 25).expect("date")),
        met: "张伟".into(),
        outcome: "客户明年有配电房改造".into(),
        ..Default::default()
    };
    o.svc.record_unplanned_visit(&li, plan, record).expect("a visit is recorded afterwards");
    o.clock.advance(Duration::hours(1));
    let i = o.svc.register_inquiry(&li, inquiry_for(&c, &transformer, "配电房改造设备询价")).expect("registered");
    o.clock.advance(Duration::hours(1));
    o.svc.decide_inquiry(&head, i.id, i.version, true, "").expect("the head says go");
    o.clock.advance(Duration::hours(1));
    let v = o.svc.create_quote(&li, i.id).expect("the quote is started");
    let r = v.latest().expect("V1").clone();
    o.clock.advance(Duration::hours(1));
    let v = o.svc.submit_revision(&li, r.id, r.version).expect("submitted");
    let r = v.latest().expect("V1").clone();
    o.clock.advance(Duration::hours(1));
    o.svc.decide_revision(&head, r.id, &r.content_hash, true, "同意。").expect("approved");
    o.clock.advance(Duration::hours(1));
    let next_week = o.clock.now() + Duration::days(5);
    let plan = VisitPlanDraft {
        customer: Some(c.id),
        purpose: "技术交流".into(),
        planned_at: Some(next_week),
        ..Default::default()
    };
    o.svc.plan_visit(&li, plan).expect("planned");
}

#[test]
fn the_timeline_lists_visits_inquiries_decisions_quotes_revisions_and_approvals_newest_first() {
    let mut o = office();
    story(&mut o);
    let (li, c) = (o.li.clone(), o.li_customer.clone());
    let list = timeline(&mut o, &li, &c);
    assert_eq!(
        kinds(&list),
        vec![
            TimelineKind::Visit,
            TimelineKind::Approval,
            TimelineKind::Revision,
            TimelineKind::Quote,
            TimelineKind::Decision,
            TimelineKind::Inquiry,
            TimelineKind::Visit,
        ],
        "{list:#?}"
    );
    assert!(list.windows(2).all(|w| w[0].at >= w[1].at), "newest first");
    let planned = &list[0];
    assert!(planned.summary.contains("计划拜访：技术交流"), "{}", planned.summary);
    assert!(matches!(planned.link, TimelineLink::Visit(_)));
    assert_eq!(planned.by, "李强");
    let approval = &list[1];
    assert!(approval.summary.contains("BJ-2026-0001-V1") && approval.summary.contains("批准"), "{}", approval.summary);
    assert_eq!(approval.by, "赵敏");
    assert!(matches!(approval.link, TimelineLink::Quote(_)));
    assert!(list[2].summary.contains("提交审批") && list[2].summary.contains("¥372,000.00"), "{}", list[2].summary);
    assert_eq!(list[3].badge, "报价");
    assert!(list[4].summary.contains("决定参与"), "{}", list[4].summary);
    assert!(list[5].summary.contains("XJ-2026-0001") && list[5].summary.contains("配电房改造设备询价"));
    assert!(matches!(list[5].link, TimelineLink::Inquiry(_)));
    let done = &list[6];
    assert!(done.summary.contains("客户明年有配电房改造") && done.summary.contains("补录"), "{}", done.summary);
    assert_eq!(done.at.date_naive(), NaiveDate::from_ymd_opt(2026, 11, 25).expect("date"), "dated by the record");

    // Every link opens for the reader: the visit through the service, like the window does.
    for e in &list {
        if let TimelineLink::Visit(id) = e.link {
            o.svc.visit(&li, id).expect("the owner opens the visit");
        }
    }
    // The head and the leader read the same timeline.
    let (head, leader) = (o.head.clone(), o.leader.clone());
    assert_eq!(timeline(&mut o, &head, &c), list);
    assert_eq!(timeline(&mut o, &leader, &c), list);
}

#[test]
fn another_salesperson_cannot_read_the_timeline_and_sees_only_their_own_records_of_a_pool_customer() {
    let mut o = office();
    story(&mut o);
    let (li, wang, head) = (o.li.clone(), o.wang.clone(), o.head.clone());
    let c = o.li_customer.clone();
    let refused = o.svc.customer_timeline(&wang, c.id).expect_err("not 王芳's customer");
    assert!(matches!(refused, ServiceError::Denied(_)), "{refused:?}");
    let visit = timeline(&mut o, &li, &c).into_iter().find_map(|e| match e.link {
        TimelineLink::Visit(id) => Some(id),
        _ => None,
    });
    let refused = o.svc.visit(&wang, visit.expect("a visit")).expect_err("not 王芳's visit");
    assert!(matches!(refused, ServiceError::Denied(_)), "{refused:?}");

    // A pool customer: 王芳 registered an inquiry for it; 李强 sees the customer but not her inquiry.
    let pool = o.pool_customer.clone();
    let p = o.svc.create_product(&head, product("CP-KYN28A-12", "高压开关柜", "68500.50", None), o.svc.today());
    let p = p.expect("a product");
    o.svc.register_inquiry(&wang, inquiry_for(&pool, &p, "开关柜询价")).expect("王芳 registers");
    assert!(timeline(&mut o, &li, &pool).is_empty(), "李强 may not open 王芳's inquiry");
    assert_eq!(kinds(&timeline(&mut o, &wang, &pool)), vec![TimelineKind::Inquiry]);
    assert_eq!(kinds(&timeline(&mut o, &head, &pool)), vec![TimelineKind::Inquiry]);
}

#[test]
fn the_weekly_report_lists_the_revisions_submitted_that_week() {
    let mut o = office();
    story(&mut o);
    let (li, head) = (o.li.clone(), o.head.clone());
    let week = salesdesk::domain::visit::Week::parse("2026-W48").expect("week");
    let r = o.svc.weekly_report(&li, li.id(), week).expect("own report");
    assert_eq!(r.submitted.len(), 1);
    let (q, rev) = &r.submitted[0];
    assert_eq!(q.number.revision_label(rev.revision), "BJ-2026-0001-V1");
    assert!(rev.content.lines.iter().all(|l| l.floor_price.is_none()), "no floor prices in a report");
    assert_eq!(r.inquiries.len(), 1);
    assert_eq!(r.visits.len(), 1, "the visit recorded on the 25th");
    assert!(r.outcomes.is_empty(), "nothing won or lost yet");
    let all = o.svc.weekly_reports(&head, week).expect("the head reads everyone's");
    let names: Vec<&str> = all.iter().map(|r| r.user_name.as_str()).collect();
    assert_eq!(names, vec!["李强", "刘洋", "王芳"], "every salesperson, in the user list's order (by login)");
    assert_eq!(o.svc.weekly_reports(&li, week).expect("own").len(), 1, "a salesperson reads only their own");
    let refused = o.svc.weekly_reports(&o.tech.clone(), week).expect_err("the technical department has none");
    assert!(matches!(refused, ServiceError::Denied(_)), "{refused:?}");
}
