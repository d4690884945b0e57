//! The quote builder, the approval inbox and the author's toast in the window (egui_kittest,
//! headless): a salesperson builds a quote from an inquiry with a go — a line found in the price
//! table, a decimal quantity, the total and 大写 as typed — and submits it; the head sees the count
//! badge and approves it with a comment; the author is told at the next refresh. The office has the
//! demo staff and only what each test creates through the service first.

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use salesdesk::domain::quote::RevisionStatus;
use salesdesk::service::Service;
use salesdesk::ui::SalesDeskApp;

use crate::support::{
    QUOTE_CUSTOMER, QUOTE_SUBJECT, drafted_quote, office_with_an_inquiry, sign_in as service_sign_in,
    staff_office_file, submitted_quote, yuan,
};
use crate::window::*;

#[test]
fn a_salesperson_builds_a_quote_from_the_inquiry_and_submits_it() {
    let (_dir, db) = staff_office_file();
    office_with_an_inquiry(&db, true);
    let mut h = harness(&db);
    sign_in(&mut h, "liqiang");
    assert!(has_nav(&h, "报价与投标"));
    assert!(!has_nav(&h, "审批"), "a salesperson approves nothing");
    click(&mut h, "询价与招标");
    let row = h.get_by_label("XJ-2026-0001").rect();
    click_at(&mut h, row);
    click(&mut h, "编制报价");
    assert!(toasts(&h).iter().any(|t| t.contains("已创建报价 BJ-2026-0001-V1")), "{:?}", toasts(&h));
    assert!(shows(&h, "BJ-2026-0001-V1"), "the builder is open");
    assert!(shows(&h, QUOTE_SUBJECT));

    // A line from the price table, found by model.
    click(&mut h, "＋ 添加产品");
    fill(&mut h, "查找产品", "SCB13");
    click(&mut h, "添加");
    assert!(shows(&h, "干式变压器"));
    assert!(shows(&h, "人民币壹拾捌万陆仟元整"), "one at list price");

    // Two and a half (a decimal quantity): the total, the tax and the 大写 follow as typed.
    replace(&mut h, "数量", "2.5");
    assert_eq!(input(&h, "数量").value().as_deref(), Some("2.5"));
    assert!(shows(&h, "¥465,000.00"), "2.5 × 186,000");
    assert!(shows(&h, "税额 ¥53,495.58"), "13% of the tax-inclusive total");
    assert!(shows(&h, "人民币肆拾陆万伍仟元整"));
    assert!(!shows(&h, "人民币壹拾捌万陆仟元整"), "the old 大写 is gone");
    // The line's note is on the line, where the author sees and changes what prints.
    fill(&mut h, "备注", "请于12月20日前送达工地");
    assert_eq!(input(&h, "备注").value().as_deref(), Some("请于12月20日前送达工地"));
    h.check_accessibility();

    click(&mut h, "提交审批");
    let said = toasts(&h);
    assert!(said.iter().any(|t| t.contains("BJ-2026-0001-V1 已提交")), "{said:?}");
    assert!(shows(&h, "修改（新建 V2）"), "the submitted revision is frozen");

    let mut svc = Service::open(&db).expect("opens beside the window");
    let li = service_sign_in(&mut svc, "liqiang");
    let list = svc.quotes(&li).expect("lists");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].revision_status, RevisionStatus::Submitted);
    assert_eq!(list[0].total, yuan("465000"));
    assert!(!list[0].major);
    let view = svc.quote_view(&li, list[0].quote.id).expect("opens");
    let line = &view.latest().expect("V1").content.lines[0];
    assert_eq!(line.quantity.to_string(), "2.5");
    assert_eq!(line.price_version, Some(svc.price_table(&li, None).expect("table").products[0].price_version));
    assert_eq!(line.floor_price, None, "the salesperson does not see the floor");
    assert_eq!(line.note, "请于12月20日前送达工地", "saved with the submit");
    let printed = svc.print_quote(&li, list[0].quote.id, None).expect("prints");
    let text = crate::documents::pdf_text(&printed.bytes);
    assert!(text.contains("请于12月20日前送达工地"), "the note prints as shown");
    assert!(text.contains("以上价格均含13%增值税"), "one rate on the lines, said once");
    assert!(text.contains("客户确认") && text.contains("报价人（签字）"), "both sides sign");
    let head = service_sign_in(&mut svc, "zhaomin");
    let stored = svc.quote_view(&head, list[0].quote.id).expect("opens");
    let floor = stored.latest().expect("V1").content.lines[0].floor_price;
    assert_eq!(floor, Some(yuan("162000")), "but the line keeps it from the price table, for the check");
}

#[test]
fn the_head_sees_the_count_and_approves_with_a_comment() {
    let (_dir, db) = staff_office_file();
    let inquiry = office_with_an_inquiry(&db, true);
    let id = submitted_quote(&db, inquiry);
    let mut h = harness(&db);
    sign_in(&mut h, "zhaomin");
    assert!(has_nav(&h, "审批 (1)"), "the badge counts what waits");
    click(&mut h, "审批 (1)");
    assert!(shows(&h, "BJ-2026-0001-V1"));
    assert!(shows(&h, QUOTE_CUSTOMER));
    assert!(shows(&h, "¥372,000.00"), "the amount");
    assert!(shows(&h, "162,000.00"), "the head sees the floor price");
    assert!(shows(&h, "该客户此前没有报价"));
    h.check_accessibility();

    fill(&mut h, "审批意见", "同意按列表价报价");
    click(&mut h, "批准");
    assert!(toasts(&h).iter().any(|t| t.contains("BJ-2026-0001-V1 已批准")), "{:?}", toasts(&h));
    h.run_steps(3);
    assert!(has_nav(&h, "审批"), "the badge is gone");
    assert!(!has_nav(&h, "审批 (1)"));

    let mut svc = Service::open(&db).expect("opens beside the window");
    let head = service_sign_in(&mut svc, "zhaomin");
    let view = svc.quote_view(&head, id).expect("opens");
    let r = view.latest().expect("V1");
    assert_eq!(r.status, RevisionStatus::Approved, "non-major: the head's approval is enough");
    assert_eq!(r.approvals.len(), 1);
    assert_eq!(r.approvals[0].comment, "同意按列表价报价");
    assert_eq!(r.approvals[0].by_name, "赵敏");
}

#[test]
fn rejecting_needs_a_comment_and_the_author_is_told_at_the_next_refresh() {
    let (_dir, db) = staff_office_file();
    let inquiry = office_with_an_inquiry(&db, true);
    let id = submitted_quote(&db, inquiry);

    let mut head = harness(&db);
    sign_in(&mut head, "zhaomin");
    click(&mut head, "审批 (1)");
    click(&mut head, "驳回");
    assert!(shows(&head, "驳回时请写明原因"), "the service's refusal shows under the box");
    let mut author = harness(&db);
    sign_in(&mut author, "liqiang");

    fill(&mut head, "审批意见", "交货期请改为45天");
    click(&mut head, "驳回");
    assert!(toasts(&head).iter().any(|t| t.contains("已驳回")), "{:?}", toasts(&head));

    // Thirty seconds later the author's window looks again.
    let later = author.ctx.input(|i| i.time) + 31.0;
    author.input_mut().time = Some(later);
    author.run_steps(3);
    let expected = "BJ-2026-0001-V1 已由 赵敏 驳回：交货期请改为45天";
    assert!(toasts(&author).iter().any(|t| t == expected), "{:?}", toasts(&author));

    // The author opens it from the list and starts V2.
    click(&mut author, "报价与投标");
    assert!(shows(&author, "已驳回"));
    let row = author.get_by_label("BJ-2026-0001-V1").rect();
    click_at(&mut author, row);
    click(&mut author, "修改（新建 V2）");
    assert!(shows(&author, "BJ-2026-0001-V2"));
    let mut svc = Service::open(&db).expect("opens beside the window");
    let li = service_sign_in(&mut svc, "liqiang");
    let view = svc.quote_view(&li, id).expect("opens");
    assert_eq!(view.revisions.len(), 2);
    assert_eq!(view.revisions[1].status, RevisionStatus::Draft);
}

#[test]
fn a_long_draft_lays_out_the_rows_near_view_and_every_row_is_reached_by_scrolling() {
    let (_dir, db) = staff_office_file();
    let inquiry = office_with_an_inquiry(&db, true);
    let quantities: Vec<String> = (1..=120).map(|n| n.to_string()).collect();
    drafted_quote(&db, inquiry, &quantities.iter().map(String::as_str).collect::<Vec<_>>());
    let mut h = harness(&db);
    sign_in(&mut h, "liqiang");
    click(&mut h, "报价与投标");
    let row = h.get_by_label("BJ-2026-0001-V1").rect();
    click_at(&mut h, row);
    h.run_steps(3);
    // A row is laid out when its number cell and its 删除 button are in the window's tree.
    let row_shown = |h: &Harness<'_, SalesDeskApp>, n: usize| h.query_by_label(&n.to_string()).is_some();
    let rows = |h: &Harness<'_, SalesDeskApp>| h.query_all_by_label("删除").count();
    assert!(row_shown(&h, 1));
    assert!(!row_shown(&h, 120), "a row far below the view is not laid out");
    assert!(rows(&h) < 120, "{} rows laid out", rows(&h));
    // 1+2+…+120 = 7 260 transformers at ¥186,000: every line counts, laid out or not.
    assert!(shows(&h, "¥1,350,360,000.00"), "the total covers all 120 lines");

    // Scrolled to the end, as a user would: the last rows are there and the first are not.
    h.get_by_label("合计（含税）").scroll_to_me();
    h.run_steps(3);
    assert!(row_shown(&h, 120));
    assert!(!row_shown(&h, 1), "a row far above the view is not laid out");
    h.query_all_by_label("删除").last().expect("the last row's button").click();
    h.run_steps(3);
    assert!(!row_shown(&h, 120) && row_shown(&h, 119), "the last row was removed");
    assert!(shows(&h, "¥1,328,040,000.00"), "the total without the 120 transformers of the last row");
}

#[test]
fn a_line_below_its_floor_says_so_when_its_price_is_left_and_asks_for_the_reason_there() {
    let (_dir, db) = staff_office_file();
    let inquiry = office_with_an_inquiry(&db, true);
    drafted_quote(&db, inquiry, &["2"]);
    let mut h = harness(&db);
    sign_in(&mut h, "liqiang");
    click(&mut h, "报价与投标");
    let row = h.get_by_label("BJ-2026-0001-V1").rect();
    click_at(&mut h, row);
    h.run_steps(3);
    // ¥150,000 against a floor of ¥162,000 the salesperson cannot see: said when the field is left.
    replace(&mut h, "单价", "150000");
    assert!(!shows(&h, "低于最低限价，提交时需写明原因"), "not while typing");
    h.key_press(egui::Key::Tab);
    h.run_steps(4);
    assert!(shows(&h, "低于最低限价，提交时需写明原因"), "flagged once the price is left");
    assert!(!shows(&h, "162,000"), "the floor itself stays hidden");
    assert!(h.query_by_label("原因").is_some(), "the reason field is on the line");
    // Saved below the floor: the draft read back is what was typed (not "changed" because the
    // copy read back knows it is below), and still says so.
    click(&mut h, "保存草稿");
    h.run_steps(6);
    assert!(!shows(&h, "有未保存的修改"), "saved");
    assert!(shows(&h, "低于最低限价，提交时需写明原因"), "still below after saving");
    // Back above the floor: the flag goes, on the screen and once saved.
    replace(&mut h, "单价", "170000");
    h.key_press(egui::Key::Tab);
    h.run_steps(4);
    assert!(!shows(&h, "低于最低限价，提交时需写明原因"));
    click(&mut h, "保存草稿");
    h.run_steps(6);
    assert!(!shows(&h, "有未保存的修改"), "saved");
    assert!(!shows(&h, "低于最低限价，提交时需写明原因"));
}

#[test]
fn lines_are_edited_from_the_keyboard_a_field_entered_selects_its_text_and_ctrl_delete_removes_the_row() {
    let (_dir, db) = staff_office_file();
    let inquiry = office_with_an_inquiry(&db, true);
    drafted_quote(&db, inquiry, &["2", "3"]);
    let mut h = harness(&db);
    sign_in(&mut h, "liqiang");
    click(&mut h, "报价与投标");
    let row = h.get_by_label("BJ-2026-0001-V1").rect();
    click_at(&mut h, row);
    h.run_steps(3);
    let first = h.get_all_by_label("数量").find(|n| n.accesskit_node().value().as_deref() == Some("2")).expect("row 1");
    first.focus();
    h.run_steps(2);
    // Entered, the field's text is selected: typing replaces it.
    h.event(egui::Event::Text("5".into()));
    h.run_steps(2);
    assert!(h.get_all_by_label("数量").any(|n| n.accesskit_node().value().as_deref() == Some("5")), "replaced, not 52");
    // Tab moves through the fields and never stops on 删除.
    for _ in 0..3 {
        h.key_press(egui::Key::Tab);
        h.run_steps(1);
        let focused = h.get_all_by_role(egui::accesskit::Role::Button).any(|n| n.accesskit_node().is_focused());
        assert!(!focused, "Tab does not stop on a button in the lines");
    }
    // Ctrl+Delete in the row removes it.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Delete);
    h.run_steps(3);
    assert_eq!(h.get_all_by_label("删除").count(), 1, "one line left");
}
