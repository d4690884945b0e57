//! 拜访计划 in the window (egui_kittest, headless), issue 8: a salesperson plans a visit through
//! the form and records it from the card; a Service on the same file sees what the window did.
//! The office has the demo staff and only the customer each test creates through the service.

use std::path::Path;

use chrono::{DateTime, Duration, Local, NaiveDate, TimeZone, Utc};
use salesdesk::domain::customer::{Customer, CustomerDraft};
use salesdesk::domain::visit::{VisitPlanDraft, VisitStatus, Week};
use salesdesk::service::Service;

use crate::support::{add_customer, contact, customer, sign_in as service_sign_in, staff_office_file};
use crate::window::*;

const CUSTOMER: &str = "江苏华能电力设备有限公司";

/// 李强's customer, with one contact.
fn office(db: &Path) -> Customer {
    let mut svc = Service::open(db).expect("opens");
    let li = service_sign_in(&mut svc, "liqiang");
    let draft = CustomerDraft { contacts: vec![contact("张伟", "13912345678")], ..customer(CUSTOMER) };
    add_customer(&mut svc, &li, draft, None)
}

/// Tomorrow at 10:00, local time, as typed and as stored.
fn tomorrow_ten() -> (NaiveDate, String, DateTime<Utc>) {
    let day = Local::now().date_naive() + Duration::days(1);
    let naive = day.and_hms_opt(10, 0, 0).expect("a time");
    let at = Local.from_local_datetime(&naive).earliest().expect("exists locally").with_timezone(&Utc);
    (day, naive.format("%Y-%m-%d %H:%M").to_string(), at)
}

#[test]
fn a_salesperson_plans_a_visit_through_the_form() {
    let (_dir, db) = staff_office_file();
    let c = office(&db);
    let (_, typed, at) = tomorrow_ten();
    let mut h = harness(&db);
    sign_in(&mut h, "liqiang");
    click(&mut h, "拜访计划");
    assert!(shows(&h, &format!("{}", Week::of(Local::now().date_naive()))), "this week is shown");
    click(&mut h, "＋ 安排拜访");
    fill(&mut h, "查找客户", "江苏华能");
    click(&mut h, CUSTOMER);
    assert!(shows(&h, "13912345678"), "the customer's contacts are listed");

    // Nothing typed yet: the service says what is missing, under the fields.
    click(&mut h, "安排");
    assert!(shows(&h, "请填写拜访目的"));
    assert!(shows(&h, "请填写计划拜访时间"));

    fill(&mut h, "目的", "老客户回访");
    fill(&mut h, "计划时间", &typed);
    fill(&mut h, "备注", "带样本");
    h.check_accessibility();
    click(&mut h, "安排");
    assert!(toasts(&h).iter().any(|t| t.contains("已安排拜访")), "{:?}", toasts(&h));
    assert!(shows(&h, &typed), "the visit is in the week's table");
    assert!(shows(&h, "计划中"));

    let mut svc = Service::open(&db).expect("opens beside the window");
    let li = service_sign_in(&mut svc, "liqiang");
    let visits = svc.customer_visits(&li, c.id).expect("lists");
    assert_eq!(visits.len(), 1);
    let v = &visits[0];
    assert_eq!(v.status, VisitStatus::Planned);
    assert_eq!(v.plan.planned_at, Some(at));
    assert_eq!(v.plan.purpose, "老客户回访");
    assert_eq!(v.plan.notes, "带样本");
    assert_eq!(v.contact_name, "张伟");
    assert_eq!(v.owner, li.id());
}

#[test]
fn a_salesperson_records_a_planned_visit_from_the_card() {
    let (_dir, db) = staff_office_file();
    let c = office(&db);
    let (day, typed, at) = tomorrow_ten();
    {
        let mut svc = Service::open(&db).expect("opens");
        let li = service_sign_in(&mut svc, "liqiang");
        let draft = VisitPlanDraft {
            customer: Some(c.id),
            contact: c.draft.contacts[0].id,
            purpose: "技术交流".into(),
            planned_at: Some(at),
            ..Default::default()
        };
        svc.plan_visit(&li, draft).expect("plans");
    }
    let mut h = harness(&db);
    sign_in(&mut h, "liqiang");
    click(&mut h, "拜访计划");
    if Week::of(day) != Week::of(Local::now().date_naive()) {
        click(&mut h, "下一周 ›");
    }
    click(&mut h, &typed);
    assert!(shows(&h, "记录拜访"), "the card offers the record");
    fill(&mut h, "拜访结果", "客户确认明年技改预算");
    fill(&mut h, "下一步", "提交技术方案");
    click(&mut h, "保存拜访记录");
    assert!(toasts(&h).iter().any(|t| t.contains("拜访记录已保存")), "{:?}", toasts(&h));
    assert!(shows(&h, "已拜访"));

    let mut svc = Service::open(&db).expect("opens beside the window");
    let li = service_sign_in(&mut svc, "liqiang");
    let v = &svc.customer_visits(&li, c.id).expect("lists")[0];
    assert_eq!(v.status, VisitStatus::Done);
    let r = v.record.as_ref().expect("recorded");
    assert_eq!(r.outcome, "客户确认明年技改预算");
    assert_eq!(r.next_step, "提交技术方案");
    assert_eq!(r.met, "张伟");
    assert_eq!(r.visited_on, Some(Local::now().date_naive()));
}
