//! Customer visits (拜访与回访), procedure step (1), issue 8: only the customer's owner (or the
//! head) plans and records its visits; records before the plan are marked 补录 and far-back ones
//! refused; overdue plans; key visits (重点) and the Saturday meeting's weekly plan; the weekly
//! report (工作周报) with its own notes; stale versions; merged customers take their visits along.
//! Each test fills an office that has the demo staff and no customers, on a test clock
//! (2026-11-27 09:00 UTC, a Friday of 2026-W48), so it sees exactly what it created.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use salesdesk::domain::customer::Customer;
use salesdesk::domain::inquiry::{InquiryDraft, InquiryKind, InquiryLine, InquirySource};
use salesdesk::domain::visit::{Visit, VisitPlanDraft, VisitRecordDraft, VisitStatus, Week};
use salesdesk::service::{Actor, Service, ServiceError};

use crate::support::{
    Office, add_customer, assert_field_error, audit_with_action, customer, fixed_clock, office, sign_in,
};

impl Office {
    /// A second seat on the same office file whose clock reads `at` (a later day, or the same
    /// moment), with `login` signed in.
    fn seat_at(&self, at: DateTime<Utc>, login: &str) -> (Service, Actor) {
        let mut svc = crate::support::reopen(&self.dir).expect("the office opens again").with_clock(fixed_clock(at));
        let actor = sign_in(&mut svc, login);
        (svc, actor)
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// A time of day (UTC) on a date.
fn at(d: NaiveDate, hour: u32) -> DateTime<Utc> {
    d.and_hms_opt(hour, 0, 0).expect("valid time").and_utc()
}

fn week(text: &str) -> Week {
    Week::parse(text).unwrap_or_else(|| panic!("week {text}"))
}

/// A plan to see `c` at `when` for `purpose`.
fn plan_for(c: &Customer, when: DateTime<Utc>, purpose: &str) -> VisitPlanDraft {
    VisitPlanDraft { customer: Some(c.id), purpose: purpose.into(), planned_at: Some(when), ..Default::default() }
}

fn plan(svc: &mut Service, who: &Actor, c: &Customer, when: DateTime<Utc>, purpose: &str) -> Visit {
    svc.plan_visit(who, plan_for(c, when, purpose))
        .unwrap_or_else(|e| panic!("{} plans {purpose} at {}: {e}", who.login(), c.draft.name))
}

/// What was met and agreed on a visit on `on`.
fn record_on(on: NaiveDate) -> VisitRecordDraft {
    VisitRecordDraft {
        visited_on: Some(on),
        met: "张伟（设备部经理）".into(),
        outcome: "介绍了SCB13干式变压器，客户有意向，下月有10kV配电项目".into(),
        next_step: "寄送样本和参考报价".into(),
        follow_up: Some(on + Duration::days(7)),
    }
}

fn record(svc: &mut Service, who: &Actor, v: &Visit, r: VisitRecordDraft) -> Visit {
    svc.record_visit(who, v.id, v.version, r).unwrap_or_else(|e| panic!("{} records visit {}: {e}", who.login(), v.id))
}

fn is_denied(e: &ServiceError) -> bool {
    matches!(e, ServiceError::Denied(_))
}

/// A business-rule refusal with the rule code `code`.
fn is_rule(e: &ServiceError, code: &str) -> bool {
    e.rule_code() == Some(code)
}

fn ids(list: &[Visit]) -> Vec<i64> {
    list.iter().map(|v| v.id.0).collect()
}

/// The audit entries of `action` about visit `v`, newest first.
fn visit_audit(o: &mut Office, action: &str, v: &Visit) -> Vec<salesdesk::domain::audit::AuditEntry> {
    let admin = o.admin.clone();
    audit_with_action(&mut o.svc, &admin, action)
        .into_iter()
        .filter(|e| e.entity == "visit" && e.entity_id == v.id.to_string())
        .collect()
}

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

// ---------------------------------------------------------------------------------------------
// Planning

#[test]
fn a_salesperson_plans_visits_to_their_own_customers_and_the_plan_is_audited() {
    let mut o = office();
    let when = o.clock.now() + Duration::days(3);
    let draft = VisitPlanDraft {
        contact: o.li_customer.draft.contacts.first().and_then(|k| k.id),
        notes: " 带上样本 ".into(),
        ..plan_for(&o.li_customer, when, " 老客户回访 ")
    };
    let v = o.svc.plan_visit(&o.li, draft).expect("the owner plans");
    assert_eq!(v.owner, o.li.id());
    assert_eq!(v.owner_name, "李强");
    assert_eq!(v.status, VisitStatus::Planned);
    assert_eq!(v.customer_name, "江苏华能电力设备有限公司");
    assert_eq!(v.contact_name, "张伟");
    assert_eq!((v.plan.purpose.as_str(), v.plan.notes.as_str()), ("老客户回访", "带上样本"));
    assert_eq!(v.plan.planned_at, Some(when));
    assert!(!v.key && v.record.is_none() && !v.retroactive);
    assert_eq!(v.created_at, o.clock.now());

    let entries = visit_audit(&mut o, "visit.plan", &v);
    assert_eq!(entries.len(), 1, "one visit.plan entry");
    assert_eq!(entries[0].actor, "李强 (liqiang)");
    assert!(entries[0].after.contains("老客户回访"), "the entry carries the plan: {}", entries[0].after);
}

#[test]
fn a_salesperson_cannot_plan_for_a_colleagues_customer_nor_for_a_pool_customer() {
    let mut o = office();
    let when = o.clock.now() + Duration::days(2);
    let err = o.svc.plan_visit(&o.li, plan_for(&o.wang_customer, when, "抢客户")).expect_err("not the owner");
    assert!(is_denied(&err), "{err:?}");
    let err = o.svc.plan_visit(&o.li, plan_for(&o.pool_customer, when, "新客户拜访")).expect_err("a pool customer");
    assert!(is_rule(&err, "visit.pool_customer"), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("认领") && text.contains("分配"), "says to claim or have it assigned: {text}");
    let err = o.svc.plan_visit(&o.head, plan_for(&o.pool_customer, when, "新客户拜访")).expect_err("nobody's");
    assert!(is_rule(&err, "visit.pool_customer"), "even the head plans only for owned customers: {err:?}");
    let admin = o.admin.clone();
    assert!(audit_with_action(&mut o.svc, &admin, "visit.plan").is_empty(), "nothing planned, nothing audited");
}

#[test]
fn the_head_plans_for_any_owned_customer_and_the_owner_stays_the_customers_owner() {
    let mut o = office();
    let when = o.clock.now() + Duration::days(4);
    let v = plan(&mut o.svc, &o.head, &o.wang_customer, when, "商务洽谈");
    assert_eq!(v.owner, o.wang.id(), "the visit belongs to the customer's owner, not the head");
    assert_eq!(v.owner_name, "王芳");
    let entries = visit_audit(&mut o, "visit.plan", &v);
    assert_eq!(entries[0].actor, "赵敏 (zhaomin)");
    let mine = o.svc.visits(&o.wang, when - Duration::days(1), when + Duration::days(1), None).expect("lists");
    assert_eq!(ids(&mine), vec![v.id.0], "王芳 sees the visit planned for her");
}

#[test]
fn tech_assistant_and_leader_cannot_plan_visits() {
    let mut o = office();
    let when = o.clock.now() + Duration::days(2);
    for who in [&o.tech, &o.assistant, &o.leader] {
        let err = o.svc.plan_visit(who, plan_for(&o.li_customer, when, "技术交流")).expect_err("not sales");
        assert!(is_denied(&err), "{}: {err:?}", who.login());
    }
}

#[test]
fn a_plan_needs_a_customer_a_purpose_and_a_time_not_in_the_past() {
    let mut o = office();
    let yesterday = o.clock.now() - Duration::days(1);
    let err = o.svc.plan_visit(&o.li, plan_for(&o.li_customer, yesterday, "回访")).expect_err("in the past");
    assert_field_error(&err, "planned_at");
    let err = o.svc.plan_visit(&o.li, VisitPlanDraft::default()).expect_err("empty");
    assert_field_error(&err, "customer");
    assert_field_error(&err, "purpose");
    assert_field_error(&err, "planned_at");
    let err = o
        .svc
        .plan_visit(&o.li, plan_for(&o.li_customer, o.clock.now() + Duration::days(1), "   "))
        .expect_err("blank purpose");
    assert_field_error(&err, "purpose");
    let all = o.svc.visits(&o.head, yesterday - Duration::days(30), yesterday + Duration::days(60), None).unwrap();
    assert!(all.is_empty(), "nothing refused was stored");
}

// ---------------------------------------------------------------------------------------------
// Recording

#[test]
fn the_owner_records_a_visit_once_and_the_record_is_audited() {
    let mut o = office();
    let today = o.clock.now().date_naive();
    let v = plan(&mut o.svc, &o.li, &o.li_customer, o.clock.now() + Duration::hours(3), "老客户回访");

    let err = o.svc.record_visit(&o.wang, v.id, v.version, record_on(today)).expect_err("a colleague");
    assert!(is_denied(&err), "{err:?}");
    let err = o.svc.record_visit(&o.tech, v.id, v.version, record_on(today)).expect_err("tech");
    assert!(is_denied(&err), "{err:?}");

    let done = record(&mut o.svc, &o.li, &v, record_on(today));
    assert_eq!(done.status, VisitStatus::Done);
    assert_eq!(done.record, Some(record_on(today)), "the record is stored as written");
    assert!(!done.retroactive, "recorded after the plan was made");
    assert!(done.version > v.version);
    let entries = visit_audit(&mut o, "visit.record", &v);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor, "李强 (liqiang)");
    assert!(entries[0].after.contains("寄送样本"), "{}", entries[0].after);

    let err = o.svc.record_visit(&o.li, done.id, done.version, record_on(today)).expect_err("twice");
    assert!(is_rule(&err, "visit.not_planned"), "{err:?}");
    let err = o.svc.cancel_visit(&o.li, done.id, done.version, "不去了").expect_err("a recorded visit");
    assert!(is_rule(&err, "visit.not_planned"), "{err:?}");
    assert_eq!(visit_audit(&mut o, "visit.record", &v).len(), 1, "the refusal is not audited");
}

#[test]
fn the_head_records_a_visit_for_the_owner() {
    let mut o = office();
    let today = o.clock.now().date_naive();
    let v = plan(&mut o.svc, &o.li, &o.li_customer, o.clock.now() + Duration::hours(2), "项目跟踪");
    let done = record(&mut o.svc, &o.head, &v, record_on(today));
    assert_eq!((done.status, done.owner), (VisitStatus::Done, o.li.id()));
    assert_eq!(done.updated_by, "赵敏 (zhaomin)");
}

#[test]
fn a_record_dated_before_the_plan_was_made_is_marked_retroactive() {
    let mut o = office();
    let t = o.clock.now();
    let v = plan(&mut o.svc, &o.li, &o.li_customer, t + Duration::days(2), "新客户拜访");
    o.clock.advance(Duration::days(1));
    let done = record(&mut o.svc, &o.li, &v, record_on(t.date_naive() - Duration::days(3)));
    assert!(done.retroactive, "visited three days before the plan was made: 补录");
    assert_eq!(done.status, VisitStatus::Done);

    let w = plan(&mut o.svc, &o.li, &o.li_customer, o.clock.now() + Duration::days(2), "回访");
    let on_time = record(&mut o.svc, &o.li, &w, record_on(o.clock.now().date_naive()));
    assert!(!on_time.retroactive, "visited after the plan was made");
}

#[test]
fn a_record_more_than_thirty_days_before_the_plan_or_in_the_future_is_refused() {
    let mut o = office();
    let t = o.clock.now();
    let today = t.date_naive();
    let v = plan(&mut o.svc, &o.li, &o.li_customer, t + Duration::days(2), "回访");

    let err = o.svc.record_visit(&o.li, v.id, v.version, record_on(today - Duration::days(31))).expect_err("too far");
    assert_field_error(&err, "visited_on");
    let thirty = record(&mut o.svc, &o.li, &v, record_on(today - Duration::days(30)));
    assert!(thirty.retroactive, "thirty days back is still allowed, and marked");

    let w = plan(&mut o.svc, &o.li, &o.li_customer, t + Duration::days(2), "回访");
    let err = o.svc.record_visit(&o.li, w.id, w.version, record_on(today + Duration::days(1))).expect_err("future");
    assert_field_error(&err, "visited_on");
    let err = o
        .svc
        .record_visit(&o.li, w.id, w.version, VisitRecordDraft { visited_on: None, ..record_on(today) })
        .expect_err("no date");
    assert_field_error(&err, "visited_on");
    let err = o
        .svc
        .record_visit(&o.li, w.id, w.version, VisitRecordDraft { outcome: "  ".into(), ..record_on(today) })
        .expect_err("no outcome");
    assert_field_error(&err, "outcome");
    let err = o
        .svc
        .record_visit(
            &o.li,
            w.id,
            w.version,
            VisitRecordDraft { follow_up: Some(today - Duration::days(1)), ..record_on(today) },
        )
        .expect_err("follow-up before the visit");
    assert_field_error(&err, "follow_up");

    let still = o.svc.customer_visits(&o.li, o.li_customer.id).expect("the timeline");
    let w_now = still.iter().find(|x| x.id == w.id).expect("the plan is there");
    assert_eq!((w_now.status, w_now.version), (VisitStatus::Planned, w.version), "refused records change nothing");
    assert!(w_now.record.is_none());
}

#[test]
fn an_unplanned_visit_is_recorded_directly_and_marked_retroactive_when_dated_before_today() {
    let mut o = office();
    let today = o.clock.now().date_naive();
    let earlier = today - Duration::days(5);
    let plan =
        VisitPlanDraft { customer: Some(o.li_customer.id), purpose: "售后服务".into(), ..Default::default() };
    let v = o.svc.record_unplanned_visit(&o.li, plan.clone(), record_on(earlier)).expect("records");
    assert_eq!((v.status, v.owner), (VisitStatus::Done, o.li.id()));
    assert!(v.retroactive, "visited five days before it was written down: 补录");
    assert_eq!(v.plan.planned_at.map(|p| p.date_naive()), Some(earlier), "planned on the day visited");
    assert_eq!(v.record, Some(record_on(earlier)));
    assert_eq!(visit_audit(&mut o, "visit.record", &v).len(), 1, "audited");

    let same_day = o.svc.record_unplanned_visit(&o.li, plan.clone(), record_on(today)).expect("records");
    assert!(!same_day.retroactive, "written down the day of the visit");

    let err =
        o.svc.record_unplanned_visit(&o.li, plan.clone(), record_on(today - Duration::days(31))).expect_err("far");
    assert_field_error(&err, "visited_on");
    let err = o
        .svc
        .record_unplanned_visit(&o.li, plan.clone(), VisitRecordDraft { outcome: String::new(), ..record_on(today) })
        .expect_err("no outcome");
    assert_field_error(&err, "outcome");
    let err = o
        .svc
        .record_unplanned_visit(&o.li, plan.clone(), record_on(today + Duration::days(1)))
        .expect_err("in the future");
    assert_field_error(&err, "visited_on");
    let err = o
        .svc
        .record_unplanned_visit(&o.li, VisitPlanDraft { purpose: String::new(), ..plan.clone() }, record_on(today))
        .expect_err("no purpose");
    assert_field_error(&err, "purpose");
    let timeline = o.svc.customer_visits(&o.li, o.li_customer.id).expect("the timeline");
    assert_eq!(ids(&timeline), vec![same_day.id.0, v.id.0], "refused records leave no plan behind, newest first");
    assert!(o.svc.overdue_visits(&o.li).expect("overdue").is_empty(), "and no dangling plan turns overdue");

    let err =
        o.svc.record_unplanned_visit(&o.wang, plan.clone(), record_on(today)).expect_err("a colleague's customer");
    assert!(is_denied(&err), "{err:?}");
    let pool = VisitPlanDraft { customer: Some(o.pool_customer.id), ..plan };
    let err = o.svc.record_unplanned_visit(&o.li, pool, record_on(today)).expect_err("a pool customer");
    assert!(is_rule(&err, "visit.pool_customer"), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// Overdue plans and cancelling

#[test]
fn a_planned_visit_past_its_time_is_overdue_until_recorded_or_cancelled() {
    let mut o = office();
    let t = o.clock.now();
    let a = plan(&mut o.svc, &o.li, &o.li_customer, t + Duration::days(1), "回访");
    let b = plan(&mut o.svc, &o.li, &o.li_customer, t + Duration::days(1) + Duration::hours(2), "技术交流");
    let c = plan(&mut o.svc, &o.li, &o.li_customer, t + Duration::days(5), "催收货款");
    let w = plan(&mut o.svc, &o.wang, &o.wang_customer, t + Duration::days(1), "回访");
    assert!(o.svc.overdue_visits(&o.li).expect("overdue").is_empty(), "nothing has passed yet");

    let later = t + Duration::days(2);
    let (mut seat, li) = o.seat_at(later, "liqiang");
    assert_eq!(ids(&seat.overdue_visits(&li).expect("overdue")), vec![a.id.0, b.id.0], "own, past, oldest first");
    let head = sign_in(&mut seat, "zhaomin");
    assert_eq!(ids(&seat.overdue_visits(&head).expect("overdue")), vec![a.id.0, w.id.0, b.id.0], "everyone's");
    let wang = sign_in(&mut seat, "wangfang");
    assert_eq!(ids(&seat.overdue_visits(&wang).expect("overdue")), vec![w.id.0]);

    record(&mut seat, &li, &a, record_on(later.date_naive() - Duration::days(1)));
    assert_eq!(ids(&seat.overdue_visits(&li).expect("overdue")), vec![b.id.0], "recorded: no longer overdue");

    let err = seat.cancel_visit(&li, b.id, b.version, "  ").expect_err("no reason");
    assert_field_error(&err, "reason");
    let err = seat.cancel_visit(&wang, b.id, b.version, "客户出差").expect_err("a colleague");
    assert!(is_denied(&err), "{err:?}");
    let cancelled = seat.cancel_visit(&li, b.id, b.version, " 客户临时出差 ").expect("cancels");
    assert_eq!(cancelled.status, VisitStatus::Cancelled);
    assert_eq!(cancelled.cancel_reason, "客户临时出差");
    assert!(seat.overdue_visits(&li).expect("overdue").is_empty(), "cancelled: no longer overdue");
    assert!(!ids(&seat.overdue_visits(&head).expect("overdue")).contains(&c.id.0), "a future plan is not overdue");

    let entries = visit_audit(&mut o, "visit.cancel", &b);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor, "李强 (liqiang)");
    assert!(entries[0].after.contains("客户临时出差"), "{}", entries[0].after);
    let err = seat.record_visit(&li, cancelled.id, cancelled.version, record_on(later.date_naive())).expect_err("x");
    assert!(is_rule(&err, "visit.not_planned"), "a cancelled visit is not recorded: {err:?}");
}

// ---------------------------------------------------------------------------------------------
// Key visits and the Saturday meeting's weekly plan

#[test]
fn only_the_head_marks_a_key_visit() {
    let mut o = office();
    let v = plan(&mut o.svc, &o.li, &o.li_customer, at(day(2026, 12, 1), 2), "商务洽谈");
    for who in [&o.li, &o.leader, &o.assistant] {
        let err = o.svc.mark_key_visit(who, v.id, v.version, true).expect_err("not the head");
        assert!(is_denied(&err), "{}: {err:?}", who.login());
    }
    let key = o.svc.mark_key_visit(&o.head, v.id, v.version, true).expect("the head marks it");
    assert!(key.key);
    assert_eq!(key.status, VisitStatus::Planned);
    let entries = visit_audit(&mut o, "visit.key", &v);
    assert_eq!((entries.len(), entries[0].actor.as_str()), (1, "赵敏 (zhaomin)"));
    let unmarked = o.svc.mark_key_visit(&o.head, key.id, key.version, false).expect("and unmarks it");
    assert!(!unmarked.key);
}

#[test]
fn the_weekly_plan_lists_next_weeks_visits_per_salesperson_key_ones_first_without_cancelled_ones() {
    let mut o = office();
    let next = week("2026-W49");
    assert_eq!(Week::of(o.clock.now().date_naive()).next(), next);
    let mon = next.monday().expect("a Monday");
    assert_eq!(mon, day(2026, 11, 30));

    let this_week = plan(&mut o.svc, &o.li, &o.li_customer, at(day(2026, 11, 28), 2), "回访");
    let li_mon = plan(&mut o.svc, &o.li, &o.li_customer, at(mon, 2), "回访");
    let li_wed = plan(&mut o.svc, &o.li, &o.li_customer, at(mon + Duration::days(2), 6), "商务洽谈");
    let li_fri = plan(&mut o.svc, &o.li, &o.li_customer, at(mon + Duration::days(4), 1), "技术交流");
    let wang_tue = plan(&mut o.svc, &o.wang, &o.wang_customer, at(mon + Duration::days(1), 2), "回访");
    let wang_thu = plan(&mut o.svc, &o.wang, &o.wang_customer, at(mon + Duration::days(3), 2), "催收货款");
    let after = plan(&mut o.svc, &o.wang, &o.wang_customer, at(mon + Duration::days(7), 2), "回访");
    o.svc.mark_key_visit(&o.head, li_wed.id, li_wed.version, true).expect("key");
    o.svc.cancel_visit(&o.wang, wang_thu.id, wang_thu.version, "客户改期").expect("cancelled");

    let sheet = o.svc.weekly_plan(&o.head, next).expect("the head's sheet");
    assert_eq!(sheet.week, next);
    let people: Vec<(String, Vec<i64>)> = sheet.people.iter().map(|(n, l)| (n.clone(), ids(l))).collect();
    let li_row = people.iter().find(|(n, _)| n == "李强").expect("李强's row");
    assert_eq!(li_row.1, vec![li_wed.id.0, li_mon.id.0, li_fri.id.0], "key first, then by time");
    let wang_row = people.iter().find(|(n, _)| n == "王芳").expect("王芳's row");
    assert_eq!(wang_row.1, vec![wang_tue.id.0], "the cancelled visit is left out");
    assert_eq!(people.len(), 2, "only people with visits next week: {people:?}");
    for (_, list) in &people {
        assert!(!list.contains(&this_week.id.0) && !list.contains(&after.id.0), "only next week's visits");
    }
    assert!(sheet.people.iter().find(|(n, _)| n == "李强").expect("row").1[0].key);

    let own = o.svc.weekly_plan(&o.li, next).expect("李强's sheet");
    let own: Vec<(String, Vec<i64>)> = own.people.iter().map(|(n, l)| (n.clone(), ids(l))).collect();
    assert_eq!(own, vec![("李强".to_string(), vec![li_wed.id.0, li_mon.id.0, li_fri.id.0])], "a salesperson sees own");
}

#[test]
fn a_salesperson_sees_only_their_own_visits_and_the_head_sees_everyones() {
    let mut o = office();
    let t = o.clock.now();
    let li_v = plan(&mut o.svc, &o.li, &o.li_customer, t + Duration::days(1), "回访");
    let wang_v = plan(&mut o.svc, &o.wang, &o.wang_customer, t + Duration::days(2), "回访");
    let (from, to) = (t - Duration::days(1), t + Duration::days(10));

    assert_eq!(ids(&o.svc.visits(&o.li, from, to, None).unwrap()), vec![li_v.id.0]);
    assert_eq!(ids(&o.svc.visits(&o.wang, from, to, None).unwrap()), vec![wang_v.id.0]);
    assert!(o.svc.visits(&o.li, from, to, Some(o.wang.id())).unwrap().is_empty(), "no peeking by filter");
    assert!(o.svc.visits(&o.tech, from, to, None).unwrap().is_empty(), "tech owns no visits");
    assert_eq!(ids(&o.svc.visits(&o.head, from, to, None).unwrap()), vec![li_v.id.0, wang_v.id.0]);
    assert_eq!(ids(&o.svc.visits(&o.head, from, to, Some(o.wang.id())).unwrap()), vec![wang_v.id.0], "filtered");
    assert_eq!(o.svc.visits(&o.assistant, from, to, None).unwrap().len(), 2, "the assistant sees all");
    assert!(
        o.svc.visits(&o.head, t + Duration::days(3), to, None).unwrap().is_empty(),
        "only visits planned in the range"
    );
}

// ---------------------------------------------------------------------------------------------
// The weekly report (工作周报)

#[test]
fn the_weekly_report_summarises_the_weeks_visits_overdue_ones_inquiries_and_next_weeks_plan() {
    let mut o = office();
    let w48 = Week::of(o.clock.now().date_naive());
    assert_eq!(w48, week("2026-W48"));
    let today_later = plan(&mut o.svc, &o.li, &o.li_customer, at(day(2026, 11, 27), 15), "回访");
    let saturday = plan(&mut o.svc, &o.li, &o.li_customer, at(day(2026, 11, 28), 2), "技术交流");
    let next_tue = plan(&mut o.svc, &o.li, &o.li_customer, at(day(2026, 12, 1), 2), "商务洽谈");
    let wangs = plan(&mut o.svc, &o.wang, &o.wang_customer, at(day(2026, 11, 28), 3), "回访");
    let inquiry =
        o.svc.register_inquiry(&o.li, inquiry_for(&o.li_customer, "10kV配电工程设备询价")).expect("registers");
    o.svc.register_inquiry(&o.wang, inquiry_for(&o.wang_customer, "电缆询价")).expect("王芳's inquiry");

    // Saturday noon: Friday's 15:00 visit was never recorded; Saturday's was.
    o.clock.advance(Duration::hours(27));
    record(&mut o.svc, &o.li, &saturday, record_on(day(2026, 11, 28)));

    let report = o.svc.weekly_report(&o.li, o.li.id(), w48).expect("李强 reads his report");
    assert_eq!((report.user, report.user_name.as_str(), report.week), (o.li.id(), "李强", w48));
    assert_eq!(ids(&report.visits), vec![today_later.id.0, saturday.id.0], "the week's own visits");
    assert_eq!(report.visits[1].status, VisitStatus::Done);
    assert_eq!(ids(&report.overdue), vec![today_later.id.0], "planned, passed, not recorded");
    let numbers: Vec<String> = report.inquiries.iter().map(|i| i.number.to_string()).collect();
    assert_eq!(numbers, vec![inquiry.number.to_string()], "own inquiries registered that week");
    assert_eq!(ids(&report.next_week), vec![next_tue.id.0]);
    assert!(!ids(&report.visits).contains(&wangs.id.0));
    assert_eq!(report.notes.version, 0, "no notes written yet");

    let next = o.svc.weekly_report(&o.li, o.li.id(), w48.next()).expect("next week's report");
    assert_eq!(ids(&next.visits), vec![next_tue.id.0]);
    assert!(next.inquiries.is_empty(), "nothing registered that week");

    let err = o.svc.weekly_report(&o.wang, o.li.id(), w48).expect_err("a colleague's report");
    assert!(is_denied(&err), "{err:?}");
    let by_head = o.svc.weekly_report(&o.head, o.li.id(), w48).expect("the head reads every report");
    assert_eq!(ids(&by_head.visits), ids(&report.visits));
    let wangs_report = o.svc.weekly_report(&o.head, o.wang.id(), w48).expect("and 王芳's");
    assert_eq!(ids(&wangs_report.visits), vec![wangs.id.0]);
    assert_eq!(wangs_report.inquiries.len(), 1);
}

#[test]
fn report_notes_round_trip_with_versions_and_a_stale_save_is_a_conflict() {
    let mut o = office();
    let w48 = week("2026-W48");
    let first = o
        .svc
        .save_report_notes(&o.li, w48, 0, " 本周拜访3家客户，华能有配电项目 ", " 跟进华能报价 ")
        .expect("first save");
    assert_eq!(first.notes, "本周拜访3家客户，华能有配电项目");
    assert_eq!(first.next_focus, "跟进华能报价");
    assert!(first.version > 0);
    let read = o.svc.weekly_report(&o.li, o.li.id(), w48).expect("the report");
    assert_eq!(read.notes, first);

    let second = o.svc.save_report_notes(&o.li, w48, first.version, "本周拜访4家客户", "华能投标").expect("second");
    assert!(second.version > first.version);
    let read = o.svc.weekly_report(&o.head, o.li.id(), w48).expect("the head reads it");
    assert_eq!((read.notes.notes.as_str(), read.notes.next_focus.as_str()), ("本周拜访4家客户", "华能投标"));

    let err = o.svc.save_report_notes(&o.li, w48, first.version, "旧版本", "").expect_err("stale");
    assert!(err.is_conflict(), "{err:?}");
    assert!(err.to_string().contains("李强"), "names who saved: {err}");
    let err = o.svc.save_report_notes(&o.li, w48, 0, "又一次首次保存", "").expect_err("a second first save");
    assert!(err.is_conflict(), "{err:?}");
    assert_eq!(o.svc.weekly_report(&o.li, o.li.id(), w48).unwrap().notes, second, "unchanged");

    let wangs = o.svc.save_report_notes(&o.wang, w48, 0, "王芳的周报", "").expect("each person has their own");
    assert_eq!(o.svc.weekly_report(&o.wang, o.wang.id(), w48).unwrap().notes, wangs);
    let other_week = o.svc.weekly_report(&o.li, o.li.id(), w48.next()).unwrap();
    assert_eq!(other_week.notes.version, 0, "and one per week");
    let admin = o.admin.clone();
    assert_eq!(audit_with_action(&mut o.svc, &admin, "report.notes").len(), 3, "every save audited");
}

// ---------------------------------------------------------------------------------------------
// Stale versions

#[test]
fn two_seats_recording_or_cancelling_the_same_visit_the_second_gets_a_conflict_naming_who() {
    let mut o = office();
    let t = o.clock.now();
    let today = t.date_naive();
    let v = plan(&mut o.svc, &o.li, &o.li_customer, t + Duration::hours(2), "回访");
    let (mut other, head) = o.seat_at(t, "zhaomin");

    record(&mut other, &head, &v, record_on(today));
    let err = o.svc.cancel_visit(&o.li, v.id, v.version, "客户出差").expect_err("stale");
    assert!(err.is_conflict(), "{err:?}");
    assert!(err.to_string().contains("赵敏"), "names who changed it: {err}");
    let err = o.svc.record_visit(&o.li, v.id, v.version, record_on(today)).expect_err("stale");
    assert!(err.is_conflict(), "{err:?}");
    assert!(err.to_string().contains("赵敏"), "{err}");

    let w = plan(&mut o.svc, &o.li, &o.li_customer, t + Duration::hours(3), "回访");
    other.cancel_visit(&head, w.id, w.version, "改期").expect("the head cancels");
    let err = o.svc.record_visit(&o.li, w.id, w.version, record_on(today)).expect_err("stale");
    assert!(err.is_conflict(), "{err:?}");
    let err = o.svc.mark_key_visit(&o.head, w.id, w.version, true).expect_err("stale key mark");
    assert!(err.is_conflict(), "{err:?}");

    let u = plan(&mut o.svc, &o.li, &o.li_customer, t + Duration::days(3), "回访");
    let moved = VisitPlanDraft { purpose: "技术交流".into(), ..u.plan.clone() };
    o.svc.update_visit_plan(&o.li, u.id, u.version, moved.clone()).expect("moves the plan");
    let err = other.cancel_visit(&head, u.id, u.version, "改期").expect_err("stale");
    assert!(err.is_conflict() && err.to_string().contains("李强"), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// Merged customers

#[test]
fn merging_customers_moves_their_visits_to_the_kept_customer() {
    let mut o = office();
    let keep = add_customer(&mut o.svc, &o.li, customer("苏州华电电气股份有限公司"), None);
    let dup = add_customer(&mut o.svc, &o.li, customer("苏州华电电气"), None);
    let v = plan(&mut o.svc, &o.li, &dup, o.clock.now() + Duration::days(2), "回访");
    assert_eq!(v.customer_name, "苏州华电电气");

    o.svc.merge_customers(&o.head, (keep.id, keep.version), (dup.id, dup.version)).expect("the head merges");
    let timeline = o.svc.customer_visits(&o.li, keep.id).expect("the kept customer's timeline");
    assert_eq!(ids(&timeline), vec![v.id.0]);
    assert_eq!(timeline[0].customer_name, "苏州华电电气股份有限公司");
    assert_eq!(timeline[0].plan.customer, Some(keep.id));
    let (from, to) = (o.clock.now(), o.clock.now() + Duration::days(7));
    let listed = o.svc.visits(&o.li, from, to, None).expect("lists");
    assert_eq!(listed[0].customer_name, "苏州华电电气股份有限公司");
    let done = record(&mut o.svc, &o.li, &listed[0], record_on(o.clock.now().date_naive()));
    assert_eq!(done.status, VisitStatus::Done, "the moved visit is still the owner's to record");
}

#[test]
fn the_demo_office_has_a_year_of_visits_for_every_salesperson() {
    let (_dir, mut svc) = crate::support::demo_office();
    let head = sign_in(&mut svc, "zhaomin");
    let now = svc.now();
    let year = svc.visits(&head, now - Duration::days(371), now + Duration::days(14), None).expect("lists");
    let sales = svc.salespeople(&head).expect("lists");
    assert_eq!(sales.len(), 5);
    for u in &sales {
        let mine: Vec<&Visit> = year.iter().filter(|v| v.owner == u.id).collect();
        assert!(mine.len() >= 100, "{} has {} visits", u.display_name, mine.len());
        let first = mine.iter().filter_map(|v| v.plan.planned_at).min().expect("a first visit");
        assert!(now - first > Duration::days(350), "{} starts about a year ago", u.display_name);
        assert!(mine.iter().any(|v| v.key), "key visits");
        assert!(mine.iter().any(|v| v.retroactive && v.status == VisitStatus::Done), "补录");
        assert!(
            mine.iter()
                .any(|v| v.status == VisitStatus::Done && v.record.as_ref().is_some_and(|r| !r.outcome.is_empty()))
        );
        assert!(mine.iter().any(|v| v.plan.planned_at.is_some_and(|t| t > now)), "plans ahead");
        let week = Week::of(now.date_naive()).previous();
        let report = svc.weekly_report(&head, u.id, week).expect("reads");
        assert!(
            report.notes.version > 0 && !report.notes.notes.is_empty(),
            "{} wrote last week's report",
            u.display_name
        );
    }
    assert!(
        year.iter().any(|v| v.status == VisitStatus::Cancelled && !v.cancel_reason.is_empty()),
        "cancelled with reasons"
    );
    let overdue = svc.overdue_visits(&head).expect("lists");
    assert!(!overdue.is_empty() && overdue.len() < 40, "a few overdue, not a backlog: {}", overdue.len());
    let plan = svc.weekly_plan(&head, Week::of(now.date_naive()).next()).expect("next week's plan");
    assert!(!plan.people.is_empty(), "next week is planned");
    assert!(svc.check().expect("checks").audit_entries > 2000, "every step audited");
}
