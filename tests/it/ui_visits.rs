//! 拜访计划 in the window (egui_kittest, headless), issue 8: a salesperson plans a visit through
//! the form and records it from the card; the month grid shows and opens visits and plans on an
//! empty day; a plan is edited; a visit never planned is recorded afterwards (补录); the weekly
//! report's notes are saved (and a stale save is refused naming who saved); the customer card's
//! timeline lists a visit and an inquiry and opens them. A Service on the same file sees what the
//! window did. The office has the demo staff and only the customer each test creates.

use std::path::Path;

use chrono::{DateTime, Datelike, Duration, Local, NaiveDate, TimeZone, Utc};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use salesdesk::domain::customer::{Customer, CustomerDraft};
use salesdesk::domain::inquiry::{InquiryDraft, InquiryKind, InquirySource};
use salesdesk::domain::visit::{Visit, VisitPlanDraft, VisitRecordDraft, VisitStatus, Week};
use salesdesk::service::Service;
use salesdesk::ui::SalesDeskApp;

use crate::support::{add_customer, contact, customer, sign_in as service_sign_in, staff_office_file};
use crate::window::*;

const CUSTOMER: &str = "江苏华能电力设备有限公司";

/// 李强's customer, with one contact.
fn office(db: &Path) -> Customer {
    let mut svc = Service::open(db).expect("opens");
    let li = service_sign_in(&mut svc, "liqiang");
    let draft = CustomerDraft {
        short_name: "华能".into(),
        contacts: vec![contact("张伟", "13912345678")],
        ..customer(CUSTOMER)
    };
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

/// 李强 plans a visit to the customer at `at`, through the service.
fn planned(db: &Path, c: &Customer, at: DateTime<Utc>) -> Visit {
    let mut svc = Service::open(db).expect("opens");
    let li = service_sign_in(&mut svc, "liqiang");
    let draft = VisitPlanDraft {
        customer: Some(c.id),
        contact: c.draft.contacts[0].id,
        purpose: "技术交流".into(),
        planned_at: Some(at),
        ..Default::default()
    };
    svc.plan_visit(&li, draft).expect("plans")
}

/// Replaces what the labelled field holds (select all, then type).
fn replace(h: &mut Harness<'_, SalesDeskApp>, label: &str, text: &str) {
    input(h, label).focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    input(h, label).type_text(text);
    h.run_steps(3);
}

fn value(h: &Harness<'_, SalesDeskApp>, label: &str) -> String {
    input(h, label).accesskit_node().value().unwrap_or_default().to_string()
}

/// The month grid of the month `day` is in.
fn month_of(h: &mut Harness<'_, SalesDeskApp>, day: NaiveDate) {
    click(h, "拜访计划");
    click(h, "月");
    let today = Local::now().date_naive();
    if (day.year(), day.month()) != (today.year(), today.month()) {
        click(h, "下月 ›");
    }
}

#[test]
fn the_month_grid_shows_a_planned_visit_opens_it_and_plans_on_an_empty_day() {
    let (_dir, db) = staff_office_file();
    let c = office(&db);
    let (day, _, at) = tomorrow_ten();
    planned(&db, &c, at);
    let mut h = harness(&db);
    sign_in(&mut h, "liqiang");
    month_of(&mut h, day);
    assert!(shows(&h, &format!("{}年{}月", day.year(), day.month())), "the month is named");
    assert!(shows(&h, "周一") && shows(&h, "周日"), "Monday to Sunday");
    let entry = "10:00 华能";
    assert!(shows(&h, entry), "the visit is in its day, by the customer's short name");
    click(&mut h, entry);
    assert!(shows(&h, "记录拜访"), "its card opens beside the grid");
    assert!(shows(&h, "技术交流"));
    h.check_accessibility();
    click(&mut h, "关闭");

    // An empty day after it opens the planning form with the day preset.
    let empty = day + Duration::days(1);
    if (empty.year(), empty.month()) == (day.year(), day.month()) {
        click(&mut h, &format!("{empty} 安排拜访"));
        assert!(shows(&h, "安排拜访"));
        assert_eq!(value(&h, "计划时间"), format!("{empty} 09:00"));
        click(&mut h, "取消");
    }
    // A past day offers 补录 instead.
    let past = Local::now().date_naive() - Duration::days(1);
    if (past.year(), past.month()) == (day.year(), day.month()) {
        click(&mut h, &format!("{past} 补录拜访"));
        assert!(shows(&h, "补录拜访"));
        assert_eq!(value(&h, "拜访日期"), past.to_string());
    }
}

#[test]
fn a_salesperson_edits_a_plan_from_its_card() {
    let (_dir, db) = staff_office_file();
    let c = office(&db);
    let (day, typed, at) = tomorrow_ten();
    let v = planned(&db, &c, at);
    let mut h = harness(&db);
    sign_in(&mut h, "liqiang");
    click(&mut h, "拜访计划");
    if Week::of(day) != Week::of(Local::now().date_naive()) {
        click(&mut h, "下一周 ›");
    }
    click(&mut h, &typed);
    click(&mut h, "修改计划");
    assert!(shows(&h, "修改拜访计划"));
    assert_eq!(value(&h, "计划时间"), typed, "the form starts from the plan");
    assert!(!shows(&h, "更换客户"), "the customer stays");
    let later = day.and_hms_opt(15, 30, 0).expect("a time");
    replace(&mut h, "计划时间", &later.format("%Y-%m-%d %H:%M").to_string());
    input(&h, "目的").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    h.run_steps(2);
    click(&mut h, "保存修改");
    assert!(shows(&h, "请填写拜访目的"), "the service's reason under the field; the form stays");
    replace(&mut h, "目的", "商务洽谈");
    click(&mut h, "保存修改");
    assert!(toasts(&h).iter().any(|t| t.contains("拜访计划已修改")), "{:?}", toasts(&h));
    assert!(shows(&h, "商务洽谈"));

    let mut svc = Service::open(&db).expect("opens beside the window");
    let li = service_sign_in(&mut svc, "liqiang");
    let stored = svc.visit(&li, v.id).expect("reads");
    assert_eq!(stored.plan.purpose, "商务洽谈");
    let local = Local.from_local_datetime(&later).earliest().expect("exists").with_timezone(&Utc);
    assert_eq!(stored.plan.planned_at, Some(local));
    assert_eq!(stored.version, v.version + 1);
}

#[test]
fn a_salesperson_records_a_visit_that_was_never_planned() {
    let (_dir, db) = staff_office_file();
    let c = office(&db);
    let yesterday = Local::now().date_naive() - Duration::days(1);
    let mut h = harness(&db);
    sign_in(&mut h, "liqiang");
    click(&mut h, "拜访计划");
    click(&mut h, "＋ 补录拜访");
    assert!(shows(&h, "补录拜访"));
    fill(&mut h, "查找客户", "江苏华能");
    click(&mut h, CUSTOMER);
    replace(&mut h, "拜访日期", &yesterday.to_string());
    click(&mut h, "保存补录");
    assert!(shows(&h, "请填写拜访目的"));
    assert!(shows(&h, "请如实记录拜访结果"), "the record's reasons too, under its fields");
    fill(&mut h, "目的", "售后服务");
    fill(&mut h, "会见人员", "张伟");
    fill(&mut h, "拜访结果", "现场处理了开关柜告警");
    assert!(shows(&h, "此记录将标为补录"), "the form says it will be marked");
    h.check_accessibility();
    click(&mut h, "保存补录");
    assert!(toasts(&h).iter().any(|t| t.contains("已补录拜访（补录）")), "{:?}", toasts(&h));
    assert!(shows(&h, "已拜访"));
    assert!(shows(&h, "补录"), "the card shows the 补录 badge");

    let mut svc = Service::open(&db).expect("opens beside the window");
    let li = service_sign_in(&mut svc, "liqiang");
    let v = &svc.customer_visits(&li, c.id).expect("lists")[0];
    assert_eq!(v.status, VisitStatus::Done);
    assert!(v.retroactive);
    let r = v.record.as_ref().expect("recorded");
    assert_eq!((r.visited_on, r.outcome.as_str(), r.met.as_str()), (Some(yesterday), "现场处理了开关柜告警", "张伟"));
    assert_eq!(v.contact_name, "张伟", "the customer's primary contact");
}

#[test]
fn a_salesperson_saves_the_weekly_report_notes_and_a_stale_save_names_who_saved() {
    let (_dir, db) = staff_office_file();
    office(&db);
    let week = Week::of(Local::now().date_naive());
    let mut h = harness(&db);
    sign_in(&mut h, "liqiang");
    click(&mut h, "拜访计划");
    click(&mut h, "工作周报");
    assert!(shows(&h, "李强 工作周报"));
    assert!(shows(&h, "本周拜访（0 次，已拜访 0 次）"));
    fill(&mut h, "本人小结", "走访了两家老客户");
    fill(&mut h, "下周工作重点", "跟进华能技改项目");
    click(&mut h, "保存周报");
    assert!(toasts(&h).iter().any(|t| t.contains("工作周报已保存")), "{:?}", toasts(&h));

    let mut svc = Service::open(&db).expect("opens beside the window");
    let li = service_sign_in(&mut svc, "liqiang");
    let r = svc.weekly_report(&li, li.id(), week).expect("reads");
    assert_eq!((r.notes.notes.as_str(), r.notes.next_focus.as_str()), ("走访了两家老客户", "跟进华能技改项目"));
    // Another seat of 李强 saves meanwhile; the window's next save is refused, its text kept.
    svc.save_report_notes(&li, week, r.notes.version, "另一台电脑写的小结", "").expect("saves");
    fill(&mut h, "本人小结", "，并电话回访三家");
    click(&mut h, "保存周报");
    assert!(shows(&h, "该周报已被 李强 (liqiang) 于"), "the refusal names who saved, and when");
    assert!(shows(&h, "放弃我的修改，重新载入"));
    assert_eq!(value(&h, "本人小结"), "走访了两家老客户，并电话回访三家", "the input stays");
    let r = svc.weekly_report(&li, li.id(), week).expect("reads");
    assert_eq!(r.notes.notes, "另一台电脑写的小结", "nothing overwritten");
}

#[test]
fn the_head_reads_every_salespersons_weekly_report() {
    let (_dir, db) = staff_office_file();
    office(&db);
    let mut h = harness(&db);
    sign_in(&mut h, "zhaomin");
    click(&mut h, "拜访计划");
    click(&mut h, "工作周报");
    assert!(shows(&h, "各销售员的工作周报（3 人）"));
    click(&mut h, "王芳");
    assert!(shows(&h, "王芳 工作周报"));
    assert!(shows(&h, "本人尚未填写这一周的周报"));
    assert!(!shows(&h, "保存周报"), "the head reads; the salesperson writes");
}

#[test]
fn the_customer_card_lists_visits_and_inquiries_and_opens_them() {
    let (_dir, db) = staff_office_file();
    let c = office(&db);
    {
        let mut svc = Service::open(&db).expect("opens");
        let li = service_sign_in(&mut svc, "liqiang");
        let plan = VisitPlanDraft { customer: Some(c.id), purpose: "老客户回访".into(), ..Default::default() };
        let record = VisitRecordDraft {
            visited_on: Some(Local::now().date_naive()),
            outcome: "客户计划扩建配电房".into(),
            ..Default::default()
        };
        svc.record_unplanned_visit(&li, plan, record).expect("recorded");
        let draft = InquiryDraft {
            kind: InquiryKind::Inquiry,
            customer: Some(c.id),
            source: InquirySource::Visit,
            subject: "配电房扩建设备询价".into(),
            ..Default::default()
        };
        svc.register_inquiry(&li, draft).expect("registered");
    }
    let mut h = harness(&db);
    sign_in(&mut h, "liqiang");
    click(&mut h, "客户档案");
    let row = h.get_by_label(CUSTOMER).rect();
    click_at(&mut h, row);
    click(&mut h, "往来记录");
    assert!(shows(&h, "共 2 条，最新的在前"));
    assert!(shows(&h, "已拜访（老客户回访）：客户计划扩建配电房"));
    let inquiry = h
        .query_all_by_label_contains("XJ-2026-0001 登记：配电房扩建设备询价")
        .next()
        .map(|n| n.accesskit_node().label().unwrap_or_default().to_string())
        .expect("the inquiry is listed");
    click(&mut h, &inquiry);
    assert!(shows(&h, "询价与招标"), "the inquiries panel");
    assert!(shows(&h, "配电房扩建设备询价"));
    assert!(shows(&h, "待负责人决定"), "its card is open");

    click(&mut h, "客户档案");
    let visit = h
        .query_all_by_label_contains("已拜访（老客户回访）")
        .next()
        .map(|n| n.accesskit_node().label().unwrap_or_default().to_string())
        .expect("the visit is listed");
    click(&mut h, &visit);
    assert!(shows(&h, "拜访日期"), "the visit card shows its record");
    assert!(shows(&h, "客户计划扩建配电房"));
}

#[test]
fn the_timeline_opens_a_quote_in_the_builder() {
    let (_dir, db) = staff_office_file();
    let c = office(&db);
    {
        let mut svc = Service::open(&db).expect("opens");
        let li = service_sign_in(&mut svc, "liqiang");
        let head = service_sign_in(&mut svc, "zhaomin");
        let draft = InquiryDraft {
            kind: InquiryKind::Inquiry,
            customer: Some(c.id),
            source: InquirySource::Phone,
            subject: "开关柜更换询价".into(),
            ..Default::default()
        };
        let i = svc.register_inquiry(&li, draft).expect("registered");
        svc.decide_inquiry(&head, i.id, i.version, true, "").expect("go");
        svc.create_quote(&li, i.id).expect("the quote is started");
    }
    let mut h = harness(&db);
    sign_in(&mut h, "liqiang");
    click(&mut h, "客户档案");
    let row = h.get_by_label(CUSTOMER).rect();
    click_at(&mut h, row);
    click(&mut h, "往来记录");
    assert!(shows(&h, "共 3 条"), "registered, decided, quote started");
    let quote = h
        .query_all_by_label_contains("BJ-2026-0001 开始编制")
        .next()
        .map(|n| n.accesskit_node().label().unwrap_or_default().to_string())
        .expect("the quote is listed");
    click(&mut h, &quote);
    assert!(shows(&h, "BJ-2026-0001-V1"), "the builder is open on the quote");
}
