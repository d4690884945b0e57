//! The phone desk, the inbox and the decision toasts in the window (egui_kittest, headless): the
//! assistant answers a caller's price question and registers the call; a head sees the count
//! badge and decides; the registrant is told; a salesperson has no phone desk. The office has the
//! demo staff and only the customers and products each test creates through the service first.

use std::path::Path;

use egui_kittest::kittest::Queryable;
use salesdesk::domain::customer::Customer;
use salesdesk::domain::inquiry::{InquiryDraft, InquiryKind, InquirySource, InquiryStatus};
use salesdesk::service::{InquiryFilter, Service};

use crate::support::{add_customer, contact, customer, product, sign_in as service_sign_in, staff_office_file, yuan};
use crate::window::*;

const CALLER: &str = "江苏华能电力设备有限公司";
const OTHER: &str = "南京港华燃气有限公司";

/// A transformer in the price table in force and two customers (the caller has a contact).
fn office(db: &Path) -> Customer {
    let mut svc = Service::open(db).expect("opens");
    let admin = service_sign_in(&mut svc, "admin");
    let mut transformer = product("IT-SCB13-1000", "干式变压器", "186000", Some("162000"));
    transformer.model = "SCB13-1000/10".into();
    transformer.unit = "台".into();
    let today = svc.today();
    svc.create_product(&admin, transformer, today).expect("the admin adds a product");
    let head = service_sign_in(&mut svc, "zhaomin");
    let mut caller = customer(CALLER);
    caller.contacts = vec![contact("王建", "13951100101"), contact("刘海", "13951100102")];
    let caller = add_customer(&mut svc, &head, caller, None);
    add_customer(&mut svc, &head, customer(OTHER), None);
    caller
}

/// An inquiry registered by `login` for the caller, as the service takes it.
fn registered_inquiry(db: &Path, login: &str, caller: &Customer) -> salesdesk::domain::ids::InquiryId {
    let mut svc = Service::open(db).expect("opens");
    let who = service_sign_in(&mut svc, login);
    let draft = InquiryDraft {
        kind: InquiryKind::Inquiry,
        customer: Some(caller.id),
        source: InquirySource::Visit,
        subject: "10kV配电工程设备询价".into(),
        estimate: Some(yuan("120000")),
        ..Default::default()
    };
    svc.register_inquiry(&who, draft).expect("registers").id
}

#[test]
fn the_assistant_answers_a_callers_price_question_and_registers_the_call() {
    let (_dir, db) = staff_office_file();
    office(&db);
    let mut h = harness(&db);
    sign_in(&mut h, "sunli");
    click(&mut h, "电话询价");

    // The caller by pinyin initials: 江苏华能 → jshn.
    fill(&mut h, "查找客户", "jshn");
    assert!(shows(&h, CALLER));
    assert!(!shows(&h, OTHER), "the other customer does not match");
    click(&mut h, CALLER);
    assert!(shows(&h, "13951100102"), "the caller's contacts are listed");
    click(&mut h, "刘海");

    fill(&mut h, "查找产品", "SCB13");
    click(&mut h, "添加");
    fill(&mut h, "数量", "2");
    click(&mut h, "报价（标准价）");
    assert!(shows(&h, "¥186,000.00"), "the list price is answered");
    assert!(shows(&h, "起执行的价格表"), "naming the price table it came from");
    assert!(shows(&h, "单价均为含税价"));
    assert!(shows(&h, "¥372,000.00"), "quantity × list price");
    h.check_accessibility();

    click(&mut h, "登记为询价");
    let said = toasts(&h);
    let toast = said.iter().find(|t| t.contains("XJ-")).unwrap_or_else(|| panic!("no number in {said:?}"));
    assert!(!shows(&h, "¥186,000.00"), "the desk is clear for the next call");

    let mut svc = Service::open(&db).expect("opens beside the window");
    let head = service_sign_in(&mut svc, "zhaomin");
    let list = svc.inquiries(&head, &InquiryFilter::default()).expect("lists");
    assert_eq!(list.len(), 1);
    assert!(toast.contains(&list[0].number.to_string()), "{toast}");
    let i = svc.inquiry(&head, list[0].id).expect("opens");
    assert_eq!(i.draft.source, InquirySource::Phone);
    assert_eq!(i.customer_name, CALLER);
    assert_eq!(i.contact_name, "刘海");
    assert_eq!(i.draft.subject, "电话询价：干式变压器");
    assert_eq!(i.draft.lines.len(), 1);
    assert_eq!(i.draft.lines[0].quantity.map(|q| q.to_string()), Some("2".into()));
    assert_eq!(i.draft.estimate, Some(yuan("372000")));
    assert_eq!(i.status, InquiryStatus::Registered);
}

#[test]
fn a_head_sees_the_count_in_the_navigation_and_decides_in_the_inbox() {
    let (_dir, db) = staff_office_file();
    let caller = office(&db);
    let id = registered_inquiry(&db, "sunli", &caller);
    let mut h = harness(&db);
    sign_in(&mut h, "zhaomin");
    assert!(has_nav(&h, "待我决定 (1)"), "the badge counts what waits");
    click(&mut h, "待我决定 (1)");
    assert!(shows(&h, "10kV配电工程设备询价"));
    assert!(shows(&h, "¥120,000.00"));
    h.check_accessibility();

    // Declining needs a reason: the service says so under the comment box.
    click(&mut h, "不参与");
    assert!(shows(&h, "不参与时请写明原因"));

    click(&mut h, "参与");
    h.run_steps(4);
    assert!(toasts(&h).iter().any(|t| t.contains("已决定：参与")), "{:?}", toasts(&h));
    assert!(has_nav(&h, "待我决定"), "the badge is gone");
    assert!(!has_nav(&h, "待我决定 (1)"));
    assert!(shows(&h, "目前没有等您决定的询价或招标"));

    let mut svc = Service::open(&db).expect("opens beside the window");
    let head = service_sign_in(&mut svc, "zhaomin");
    let i = svc.inquiry(&head, id).expect("opens");
    assert_eq!(i.status, InquiryStatus::Go);
    assert_eq!(i.decisions.len(), 1);
}

#[test]
fn the_registrant_is_told_of_the_decision_at_the_next_refresh() {
    let (_dir, db) = staff_office_file();
    let caller = office(&db);
    let id = registered_inquiry(&db, "sunli", &caller);
    let mut h = harness(&db);
    sign_in(&mut h, "sunli");

    let mut svc = Service::open(&db).expect("opens beside the window");
    let head = service_sign_in(&mut svc, "zhaomin");
    let version = svc.inquiry(&head, id).expect("opens").version;
    let decided = svc.decide_inquiry(&head, id, version, false, "交货期无法满足").expect("decides");

    // Thirty seconds later the window looks again.
    let later = h.ctx.input(|i| i.time) + 31.0;
    h.input_mut().time = Some(later);
    h.run_steps(3);
    let expected = format!("{} 已由 赵敏 决定：不参与（交货期无法满足）", decided.number);
    assert!(toasts(&h).contains(&expected), "{:?}", toasts(&h));
}

#[test]
fn a_salesperson_has_no_phone_desk_and_no_inbox_but_sees_inquiries() {
    let (_dir, db) = staff_office_file();
    office(&db);
    let mut h = harness(&db);
    sign_in(&mut h, "liqiang");
    assert!(!has_nav(&h, "电话询价"));
    assert!(!has_nav(&h, "待我决定"));
    assert!(has_nav(&h, "询价与招标"));
    click(&mut h, "询价与招标");
    assert!(shows(&h, "＋ 登记询价"));
    h.check_accessibility();

    // The tender form takes clauses pasted from a spreadsheet.
    click(&mut h, "＋ 登记招标");
    assert!(shows(&h, "投标截止时间"));
    fill(
        &mut h,
        "从表格粘贴：条款号<Tab>要求<Tab>技术/商务",
        "3.1\t变压器能效等级不低于二级\t技术\n5.2\t质保期不少于24个月\t商务\n",
    );
    assert!(shows(&h, "可识别 2 条"));
    click(&mut h, "加入条款表");
    assert!(shows(&h, "招标条款（2）"));
    h.check_accessibility();
}

#[test]
fn a_caller_not_in_the_archive_is_created_from_the_desk_with_the_duplicate_warning() {
    let (_dir, db) = staff_office_file();
    office(&db);
    let mut h = harness(&db);
    sign_in(&mut h, "sunli");
    click(&mut h, "电话询价");
    click(&mut h, "＋ 新建客户");
    fill(&mut h, "客户名称", "华能电力设备（江苏）有限公司");
    fill(&mut h, "联系人1 姓名", "周涛");
    fill(&mut h, "联系人1 手机", "13951100188");
    click(&mut h, "保存");
    assert!(shows(&h, "可能与以下已有客户重复"), "the warning is shown");
    assert!(shows(&h, CALLER), "naming the existing customer");

    click(&mut h, "仍然新建");
    assert!(toasts(&h).iter().any(|t| t.contains("已建档")), "{:?}", toasts(&h));
    assert!(!shows(&h, "可能与以下已有客户重复"), "the card closed");
    assert!(has_nav(&h, "周涛"), "the new customer is the caller, with its contact to pick");
    assert!(shows(&h, "华能电力设备(江苏)有限公司"));
}

#[test]
fn a_salesperson_registers_a_tender_with_its_deadline_in_local_time() {
    let (_dir, db) = staff_office_file();
    office(&db);
    let mut h = harness(&db);
    sign_in(&mut h, "liqiang");
    click(&mut h, "询价与招标");
    click(&mut h, "＋ 登记招标");
    let deadline = (chrono::Local::now() + chrono::Duration::days(20)).format("%Y-%m-%d 09:30").to_string();
    fill(&mut h, "事由", "江北新区110kV变电站设备采购");
    fill(&mut h, "采购人", "南京江北新区建设投资集团");
    fill(&mut h, "项目名称", "江北新区110kV变电站新建工程");
    fill(&mut h, "投标截止时间", &deadline);
    fill(&mut h, "投标保证金（元）", "50,000");
    fill(&mut h, "从表格粘贴：条款号<Tab>要求<Tab>技术/商务", "3.1\t变压器能效等级不低于二级\t技术\n");
    click(&mut h, "加入条款表");
    click(&mut h, "登记");
    let said = toasts(&h);
    assert!(said.iter().any(|t| t.starts_with("已登记招标 XJ-")), "{said:?}");
    assert!(shows(&h, "江北新区110kV变电站设备采购"), "the card shows it");

    let mut svc = Service::open(&db).expect("opens beside the window");
    let li = service_sign_in(&mut svc, "liqiang");
    let list = svc.inquiries(&li, &InquiryFilter::default()).expect("lists");
    let i = svc.inquiry(&li, list[0].id).expect("opens");
    let t = &i.draft.tender;
    let local = t.deadline.map(|d| d.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string());
    assert_eq!(local, Some(deadline));
    assert_eq!(t.bond, Some(yuan("50000")));
    assert_eq!(t.clauses.len(), 1);
    assert_eq!(i.draft.kind, InquiryKind::Tender);
}

#[test]
fn an_edit_refused_because_a_head_changed_it_meanwhile_names_them_and_keeps_the_input() {
    let (_dir, db) = staff_office_file();
    let caller = office(&db);
    let id = registered_inquiry(&db, "sunli", &caller);
    let mut h = harness(&db);
    sign_in(&mut h, "sunli");
    click(&mut h, "询价与招标");
    let row = h.get_by_label("XJ-2026-0001").rect();
    click_at(&mut h, row);
    assert!(shows(&h, "决定记录"), "the card opened");
    click(&mut h, "修改");

    // Meanwhile the head corrects the estimate.
    let mut svc = Service::open(&db).expect("opens beside the window");
    let head = service_sign_in(&mut svc, "zhaomin");
    let stored = svc.inquiry(&head, id).expect("opens");
    let mut draft = stored.draft.clone();
    draft.estimate = Some(yuan("150000"));
    svc.update_inquiry(&head, id, stored.version, draft).expect("the head saves");

    fill(&mut h, "事由", "（补充）");
    click(&mut h, "保存修改");
    assert!(shows(&h, "已被 赵敏"), "the refusal names who changed it");
    let typed = input(&h, "事由").value();
    assert_eq!(typed.as_deref(), Some("10kV配电工程设备询价（补充）"), "the input stays on screen");
    assert_eq!(svc.inquiry(&head, id).expect("opens").draft.subject, "10kV配电工程设备询价", "nothing overwritten");
}
