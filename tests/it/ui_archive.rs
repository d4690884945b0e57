//! The customer archive and the price table in the window (egui_kittest, headless): the list and
//! its search-as-you-type, the duplicate warning when creating a customer, and the price-table
//! import from preview to confirmation. The office has the demo staff and only the records each
//! test creates through the service beforehand.

use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use salesdesk::service::{CustomerFilter, Service};
use salesdesk::ui::SalesDeskApp;

use crate::support::{add_customer, contact, customer, sign_in as service_sign_in, staff_office_file, user};
use crate::window::*;

/// Clicks a button, scrolled into view first as a user would (the card can be taller than the
/// window).
fn click(h: &mut Harness<'_, SalesDeskApp>, button: &str) {
    h.get_by_role_and_label(Role::Button, button).scroll_to_me();
    h.run_steps(2);
    // Scrolling is animated: wait until the button stands still.
    for _ in 0..30 {
        let before = h.get_by_role_and_label(Role::Button, button).rect();
        h.run_steps(1);
        if h.get_by_role_and_label(Role::Button, button).rect() == before {
            break;
        }
    }
    h.get_by_role_and_label(Role::Button, button).click();
    h.run_steps(4);
}

/// Clicks a navigation entry (its text is also the panel's heading).
fn nav(h: &mut Harness<'_, SalesDeskApp>, label: &str) {
    let entry = h.get_all_by_label(label).find(|n| n.accesskit_node().role() != Role::Label);
    entry.unwrap_or_else(|| panic!("no navigation entry {label}")).click();
    h.run_steps(4);
}

/// Whether any text on screen reads exactly `text`.
fn shows(h: &Harness<'_, SalesDeskApp>, text: &str) -> bool {
    h.query_all_by_label(text).next().is_some()
}

const OWN: [&str; 2] = ["江苏华能电力设备有限公司", "南京港华燃气有限公司"];
const POOL: &str = "重庆市电力公司";
const COLLEAGUES: &str = "浙江中天电缆有限公司";

/// liqiang's two customers, a pool customer and wangfang's, created by the head.
fn archive(db: &Path) {
    let mut svc = Service::open(db).expect("opens");
    let admin = service_sign_in(&mut svc, "admin");
    let (liqiang, wangfang) = (user(&mut svc, &admin, "liqiang").id, user(&mut svc, &admin, "wangfang").id);
    let head = service_sign_in(&mut svc, "zhaomin");
    let mut first = customer(OWN[0]);
    first.contacts = vec![contact("王建", "13951100101")];
    add_customer(&mut svc, &head, first, Some(liqiang));
    add_customer(&mut svc, &head, customer(OWN[1]), Some(liqiang));
    add_customer(&mut svc, &head, customer(POOL), None);
    add_customer(&mut svc, &head, customer(COLLEAGUES), Some(wangfang));
}

#[test]
fn a_salesperson_sees_their_customers_and_the_pool_and_search_narrows_the_list() {
    let (_dir, db) = staff_office_file();
    archive(&db);
    let mut h = harness(&db);
    sign_in(&mut h, "liqiang");
    assert!(shows(&h, "我的待办"), "everyone lands on what waits for them");
    nav(&mut h, "客户档案");
    for name in OWN.iter().chain([&POOL]) {
        assert!(shows(&h, name), "{name} is listed");
    }
    assert!(!shows(&h, COLLEAGUES), "a colleague's customer is not listed");
    assert!(shows(&h, "公海"), "the pool customer is marked");

    // Pinyin initials: 重庆 (cq) leaves only the pool customer.
    fill(&mut h, "搜索", "cq");
    assert!(shows(&h, POOL));
    for name in OWN {
        assert!(!shows(&h, name), "{name} no longer listed");
    }
    // A contact's mobile number.
    input(&h, "搜索").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    input(&h, "搜索").type_text("1100101");
    h.run_steps(3);
    assert!(shows(&h, OWN[0]));
    assert!(!shows(&h, OWN[1]) && !shows(&h, POOL));
}

#[test]
fn creating_a_customer_like_an_existing_one_warns_and_creates_only_when_confirmed() {
    let (_dir, db) = staff_office_file();
    archive(&db);
    let mut h = harness(&db);
    sign_in(&mut h, "liqiang");
    nav(&mut h, "客户档案");
    click(&mut h, "＋ 新建客户");
    fill(&mut h, "客户名称", "华能电力设备（江苏）有限公司");
    fill(&mut h, "联系人1 姓名", "周涛");
    fill(&mut h, "联系人1 手机", "13951100188");
    click(&mut h, "保存");
    assert!(shows(&h, "可能与以下已有客户重复"), "the warning is shown");
    assert!(shows(&h, OWN[0]), "naming the existing customer");
    assert!(shows(&h, "打开已有客户"), "which the owner may open");

    let mut svc = Service::open(&db).expect("opens beside the window");
    let li = service_sign_in(&mut svc, "liqiang");
    let count = |svc: &mut Service| svc.search_customers(&li, &CustomerFilter::default(), 0).expect("lists").matched;
    assert_eq!(count(&mut svc), 3, "nothing created before confirming");

    click(&mut h, "仍然新建");
    let toasts: Vec<String> = h.state().toasts.texts().iter().map(|t| t.to_string()).collect();
    assert!(toasts.iter().any(|t| t.contains("已保存")), "{toasts:?}");
    assert!(!shows(&h, "可能与以下已有客户重复"));
    assert_eq!(count(&mut svc), 4);
    let page =
        svc.search_customers(&li, &CustomerFilter { query: "周涛".into(), ..Default::default() }, 0).expect("searches");
    assert_eq!(page.rows.len(), 1);
    assert_eq!(page.rows[0].name, "华能电力设备(江苏)有限公司");
    assert_eq!(page.rows[0].owner, Some(li.id()));
}

#[test]
fn the_admin_imports_a_price_table_after_seeing_the_preview() {
    let (dir, db) = staff_office_file();
    let file = dir.path().join("价格表.csv");
    let csv = "2026年价格表\r\n产品编码,产品名称,型号规格,单位,含税单价,最低限价,税率\r\n\
               IT-SCB13-1000,干式变压器,SCB13-1000/10,台,\"186,000.00\",\"162,000.00\",13%\r\n\
               IT-KYN28A-12,高压开关柜,KYN28A-12/1250,面,\"¥68,500.50\",61000,13%\r\n";
    std::fs::write(&file, csv).expect("written");

    let mut h = harness(&db);
    sign_in(&mut h, "admin");
    nav(&mut h, "价格表");
    click(&mut h, "导入价格表…");
    fill(&mut h, "文件", &file.display().to_string());
    click(&mut h, "读取并预览");
    assert!(shows(&h, "新增 2"), "the preview counts the new products");
    assert!(shows(&h, "有问题 0"));
    assert!(shows(&h, "IT-SCB13-1000"), "the preview lists them");
    // Nothing is written before the user confirms.
    let mut svc = Service::open(&db).expect("opens beside the window");
    let admin = service_sign_in(&mut svc, "admin");
    assert!(svc.price_table(&admin, None).expect("reads").versions.is_empty());

    click(&mut h, "确认导入");
    h.run_steps(4);
    let toasts: Vec<String> = h.state().toasts.texts().iter().map(|t| t.to_string()).collect();
    assert!(toasts.iter().any(|t| t.starts_with("导入完成") && t.contains("新增 2")), "{toasts:?}");
    assert!(!shows(&h, "读取并预览"), "the dialog closed");
    assert!(shows(&h, "IT-KYN28A-12") && shows(&h, "高压开关柜"), "the products are in the table");
    let table = svc.price_table(&admin, None).expect("reads");
    assert_eq!(table.products.len(), 2);
}

#[test]
fn a_price_file_with_problems_shows_them_and_imports_only_with_consent() {
    let (dir, db) = staff_office_file();
    let file = dir.path().join("价格表.csv");
    let csv = "产品编码,产品名称,含税单价,最低限价\r\nIT-A1,干式变压器,面议,\r\nIT-A2,电力电缆,88,\r\n";
    std::fs::write(&file, csv).expect("written");
    let mut h = harness(&db);
    sign_in(&mut h, "admin");
    nav(&mut h, "价格表");
    click(&mut h, "导入价格表…");
    fill(&mut h, "文件", &file.display().to_string());
    click(&mut h, "读取并预览");
    assert!(shows(&h, "有问题 1"));
    // The problems tab opens first, with row, column and reason.
    assert!(shows(&h, "含税单价"), "the column");
    assert!(h.query_all_by_label_contains("面议").next().is_some(), "the reason names the cell");
    click(&mut h, "只导入没有问题的行");
    let toasts: Vec<String> = h.state().toasts.texts().iter().map(|t| t.to_string()).collect();
    assert!(toasts.iter().any(|t| t.starts_with("导入完成") && t.contains("跳过有问题的 1 行")), "{toasts:?}");
    let mut svc = Service::open(&db).expect("opens");
    let admin = service_sign_in(&mut svc, "admin");
    let codes: Vec<String> =
        svc.price_table(&admin, None).expect("reads").products.into_iter().map(|p| p.draft.code).collect();
    assert_eq!(codes, vec!["IT-A2"]);
}

#[test]
fn the_head_ticks_customers_and_puts_them_in_the_pool_in_one_step() {
    let (_dir, db) = staff_office_file();
    archive(&db);
    let mut h = harness(&db);
    sign_in(&mut h, "zhaomin");
    nav(&mut h, "客户档案");
    // With the pointer, as a user ticks them (the row around the box opens the card instead).
    for name in OWN {
        let rect = h.get_by_role_and_label(Role::CheckBox, &format!("选择 {name}")).rect();
        click_at(&mut h, rect);
    }
    assert!(shows(&h, "已选 2 位客户"), "the bar counts what is ticked");
    click(&mut h, "放入公海");
    h.run_steps(6);
    assert!(toasts(&h).iter().any(|t| t.contains("已分配 2 位客户")), "{:?}", toasts(&h));
    let mut svc = Service::open(&db).expect("opens");
    let head = service_sign_in(&mut svc, "zhaomin");
    let pool = salesdesk::service::OwnerFilter::Pool;
    let page = svc.search_customers(&head, &CustomerFilter { owner: pool, ..Default::default() }, 0).unwrap();
    for name in OWN {
        assert!(page.rows.iter().any(|r| r.name == name), "{name} in the pool");
    }
}
