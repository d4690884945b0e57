//! The window on the screens offices have (issue 22): 1024×768 at 100 % and 1366×768 at 150 %
//! (911×512 points). What a user must reach lies inside the window: a dialog's fields scroll, its
//! buttons stay in sight.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use salesdesk::service::Service;

use crate::support::{closed_demo_office, sign_in as service_sign_in};
use crate::window::*;

#[test]
fn the_head_adds_a_product_by_hand_on_each_office_screen() {
    let (_dir, db) = closed_demo_office();
    for (n, (w, hgt, scale)) in OFFICE_SCREENS.into_iter().enumerate() {
        let mut h = harness_on_screen(&db, egui::vec2(w, hgt), scale);
        sign_in(&mut h, "zhaomin");
        click(&mut h, "价格表");
        click(&mut h, "＋ 新增产品");
        for label in ["产品编码", "产品名称", "型号规格"] {
            assert!(inside(&h, input(&h, label).rect()), "{label} inside the window at {w}×{hgt} @{scale}");
        }
        let save = h.get_by_role_and_label(Role::Button, "保存").rect();
        assert!(inside(&h, save), "保存 in sight at {w}×{hgt} @{scale}: {save:?}");
        let code = format!("FIT-{n}");
        fill(&mut h, "产品编码", &code);
        fill(&mut h, "产品名称", "户外真空断路器");
        fill(&mut h, "型号规格", "ZW32-12/630");
        replace(&mut h, "单位", "台");
        fill(&mut h, "含税单价（元）", "16800");
        fill(&mut h, "最低限价（元）", "15200");
        click(&mut h, "保存");
        h.run_steps(3);
        let mut svc = Service::open(&db).expect("opens");
        let head = service_sign_in(&mut svc, "zhaomin");
        let table = svc.price_table(&head, None).expect("prices");
        assert!(table.products.iter().any(|p| p.draft.code == code), "{code} was added");
    }
}

#[test]
fn the_phone_desk_fits_shows_prices_in_natural_order_and_enter_picks_the_only_match() {
    let (_dir, db) = closed_demo_office();
    for (w, hgt, scale) in OFFICE_SCREENS {
        let mut h = harness_on_screen(&db, egui::vec2(w, hgt), scale);
        sign_in(&mut h, "sunli");
        click(&mut h, "电话询价");
        fill(&mut h, "查找产品", "SCB13");
        // Every hit tells its price per unit; the models in the order people count them.
        assert!(shows(&h, "¥38,272.00 /台"), "the list price of SCB13-100 at {w}×{hgt} @{scale}");
        let y = |code: &str| h.get_by_label(code).rect().top();
        assert!(y("SCB13-100") < y("SCB13-160") && y("SCB13-160") < y("SCB13-200"), "natural order");
        replace(&mut h, "查找产品", "SCB13-160/10");
        input(&h, "查找产品").focus();
        h.run_steps(1);
        h.key_press(egui::Key::Enter);
        h.run_steps(3);
        assert!(shows(&h, "干式变压器"), "the only match was added to the call");
        assert!(h.query_by_label("只有一个匹配：按 Enter 添加").is_none(), "the search was cleared");
        let register = h.get_by_role_and_label(Role::Button, "登记为询价");
        register.scroll_to_me();
        h.run_steps(3);
        let register = h.get_by_role_and_label(Role::Button, "登记为询价").rect();
        assert!(inside(&h, register), "登记为询价 reachable at {w}×{hgt} @{scale}: {register:?}");
        let wanted = input(&h, "要求回复/交货日期").rect();
        assert!(inside(&h, wanted), "the date field is not cut off at {w}×{hgt} @{scale}: {wanted:?}");
    }
}

/// Types `text` where the keyboard focus is (as a user types without clicking first).
fn type_here(h: &mut Harness<'_, salesdesk::ui::SalesDeskApp>, text: &str) {
    h.event(egui::Event::Text(text.into()));
    h.run_steps(2);
}

#[test]
fn signing_in_with_the_keyboard_alone_like_an_office_program() {
    let (_dir, db) = closed_demo_office();
    let mut h = harness(&db);
    h.run_steps(3);
    // The cursor starts in 用户名; Enter moves to 密码; a wrong password is cleared and the
    // cursor stays in 密码 for the next try; Enter signs in.
    assert!(input(&h, "用户名").accesskit_node().is_focused(), "typing goes somewhere at once");
    type_here(&mut h, "sunli");
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
    assert!(input(&h, "密码").accesskit_node().is_focused(), "Enter moves on to the password");
    type_here(&mut h, "wrong-pass1");
    h.key_press(egui::Key::Enter);
    h.run_steps(4);
    assert!(shows(&h, "用户名或密码错误，请重新输入。"), "refused");
    let password = input(&h, "密码");
    assert!(password.accesskit_node().is_focused(), "the cursor is back in 密码");
    assert!(password.accesskit_node().value().is_none_or(|v| v.is_empty()), "the wrong password is cleared");
    type_here(&mut h, "demo1234");
    h.key_press(egui::Key::Enter);
    h.run_steps(4);
    assert_eq!(h.state().screen, salesdesk::ui::Screen::Main);
    // Signed out: the user name is remembered, so the cursor waits in 密码.
    click(&mut h, "退出登录");
    h.run_steps(3);
    assert!(input(&h, "密码").accesskit_node().is_focused(), "the remembered name: straight to the password");
}

#[test]
fn the_head_approves_the_newest_first_and_the_next_opens_by_itself() {
    let (_dir, db) = closed_demo_office();
    let waiting = {
        let mut svc = Service::open(&db).expect("opens");
        let head = service_sign_in(&mut svc, "zhaomin");
        let mut items = svc.approval_inbox(&head).expect("inbox");
        items.sort_by_key(|i| std::cmp::Reverse(i.revision.submitted_at));
        items.iter().map(|i| i.quote.number.revision_label(i.revision.revision)).collect::<Vec<_>>()
    };
    assert!(waiting.len() >= 2, "the demo head has approvals waiting: {waiting:?}");
    let mut h = harness(&db);
    sign_in(&mut h, "zhaomin");
    click(&mut h, &format!("审批 ({})", waiting.len()));
    // The row in the list (the open item's heading repeats its number below the list).
    let y = |h: &Harness<'_, salesdesk::ui::SalesDeskApp>, label: &str| {
        h.get_all_by_label(label).map(|n| n.rect().top()).fold(f32::MAX, f32::min)
    };
    assert!(y(&h, &waiting[0]) < y(&h, &waiting[1]), "newest first: {waiting:?}");
    // The first (newest) is open, where it stands at the top; approving it opens the next.
    assert!(shows(&h, "审批进度"));
    fill(&mut h, "审批意见", "同意");
    let is_approve = |n: &egui_kittest::Node<'_>| {
        n.accesskit_node().label().is_some_and(|l| l == "批准" || l == "确认全部变更并批准")
    };
    // The decision comes after the details: scrolled to, as a user would.
    h.get_all_by_role(Role::Button).find(is_approve).expect("the approve button").scroll_to_me();
    h.run_steps(6);
    let approve = h.get_all_by_role(Role::Button).find(is_approve).expect("the approve button").rect();
    click_at(&mut h, approve);
    h.run_steps(4);
    assert!(toasts(&h).iter().any(|t| t.contains(&waiting[0]) && t.contains("已批准")), "{:?}", toasts(&h));
    assert!(!shows(&h, "已处理。目前没有其他等您审批的项目。"), "another waits, and opens");
    assert!(has_nav(&h, &format!("审批 ({})", waiting.len() - 1)));
}

#[test]
fn a_card_on_a_small_screen_takes_the_list_s_place_instead_of_covering_it() {
    let (_dir, db) = closed_demo_office();
    for (w, hgt, scale) in OFFICE_SCREENS {
        let mut h = harness_on_screen(&db, egui::vec2(w, hgt), scale);
        sign_in(&mut h, "zhaomin");
        click(&mut h, "询价与招标");
        let row = h.get_all_by_label("XJ-2026-0030").next().expect("a demo inquiry").rect();
        click_at(&mut h, row);
        h.run_steps(4);
        // The card has the whole area: the list's search box is not drawn beneath it.
        assert!(h.query_by_label("搜索").is_none(), "the list is not under the card at {w}×{hgt} @{scale}");
        let close = h.get_all_by_role(Role::Button).find(|n| n.accesskit_node().label().as_deref() == Some("关闭"));
        let close = close.expect("the card's 关闭").rect();
        assert!(inside(&h, close), "关闭 inside the window at {w}×{hgt} @{scale}");
        click_at(&mut h, close);
        h.run_steps(3);
        assert!(h.query_by_label("XJ-2026-0030").is_some(), "closing the card shows the list again");
    }
}

#[test]
fn the_quote_builder_keeps_amount_rate_and_delete_in_sight_on_each_office_screen() {
    use crate::support::{drafted_quote, office_with_an_inquiry, staff_office_file};
    let (_dir, db) = staff_office_file();
    let inquiry = office_with_an_inquiry(&db, true);
    drafted_quote(&db, inquiry, &["2", "3"]);
    for (w, hgt, scale) in OFFICE_SCREENS {
        let mut h = harness_on_screen(&db, egui::vec2(w, hgt), scale);
        sign_in(&mut h, "liqiang");
        click(&mut h, "报价与投标");
        let row = h.get_by_label("BJ-2026-0001-V1").rect();
        click_at(&mut h, row);
        h.run_steps(4);
        for label in ["金额", "税率"] {
            let r = h.get_by_label(label).rect();
            assert!(inside(&h, r), "{label} in sight at {w}×{hgt} @{scale}: {r:?}");
        }
        for delete in h.get_all_by_label("删除") {
            assert!(inside(&h, delete.rect()), "删除 in sight at {w}×{hgt} @{scale}");
        }
        assert!(inside(&h, input(&h, "单价").rect()), "the price can be typed at {w}×{hgt} @{scale}");
    }
}

/// Opens the 日历 on the row of the field `label` and picks 今天.
fn pick_today_beside(h: &mut Harness<'_, salesdesk::ui::SalesDeskApp>, label: &str) {
    let row = input(h, label).rect();
    let calendar = h.get_all_by_label("日历").map(|n| n.rect()).find(|r| row.y_range().contains(r.center().y));
    click_at(h, calendar.unwrap_or_else(|| panic!("日历 beside {label}")));
    h.run_steps(2);
    click(h, "今天");
    h.run_steps(2);
}

#[test]
fn dates_are_typed_as_people_write_them_or_picked_from_the_calendar() {
    let (_dir, db) = closed_demo_office();
    let mut h = harness(&db);
    sign_in(&mut h, "liqiang");
    click(&mut h, "拜访计划");
    click(&mut h, "＋ 补录拜访");
    // 日历 beside 跟进日期: 今天 writes today's date.
    assert_eq!(h.get_all_by_label("日历").count(), 2, "拜访日期 and 跟进日期 each have one");
    pick_today_beside(&mut h, "跟进日期");
    let today = chrono::Local::now().date_naive().to_string();
    assert_eq!(input(&h, "跟进日期").value().as_deref(), Some(today.as_str()));
    // Typed the short way, it is read without complaint.
    replace(&mut h, "跟进日期", "12/31");
    click(&mut h, "保存补录");
    h.run_steps(3);
    assert!(!shows(&h, "日期格式应为"), "12/31 is a date");
}

#[test]
fn each_user_keeps_a_ui_scale_of_their_own_on_this_pc() {
    let (_dir, db) = closed_demo_office();
    let mut h = harness(&db);
    sign_in(&mut h, "sunli");
    click(&mut h, "我的账号");
    control(&h, "界面缩放").click();
    h.run_steps(2);
    click(&mut h, "150%");
    h.run_steps(3);
    assert!((h.ctx.zoom_factor() - 1.5).abs() < 0.01, "applied at once");
    assert_eq!(h.state().view_state().zoom.get("sunli"), Some(&1.5), "kept for her on this PC");
    click(&mut h, "退出登录");
    h.run_steps(3);
    assert!((h.ctx.zoom_factor() - 1.0).abs() < 0.01, "the sign-in screen at 100 %");
    sign_in(&mut h, "zhaomin");
    assert!((h.ctx.zoom_factor() - 1.0).abs() < 0.01, "another user keeps his own");
    click(&mut h, "退出登录");
    h.run_steps(3);
    sign_in(&mut h, "sunli");
    h.run_steps(2);
    assert!((h.ctx.zoom_factor() - 1.5).abs() < 0.01, "hers again");
}

#[test]
fn enter_picks_the_only_customer_match_on_the_phone_desk() {
    let (_dir, db) = closed_demo_office();
    let mut h = harness(&db);
    sign_in(&mut h, "sunli");
    click(&mut h, "电话询价");
    fill(&mut h, "查找客户", "常州科升煤业");
    h.run_steps(3);
    assert!(shows(&h, "只有一个匹配：按 Enter 选择"));
    input(&h, "查找客户").focus();
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    h.run_steps(4);
    assert!(h.query_by_label("更换客户").is_some(), "the caller's customer is chosen");
}

#[test]
fn the_quote_list_keeps_amount_and_author_in_sight_on_each_office_screen() {
    let (_dir, db) = closed_demo_office();
    for (w, hgt, scale) in OFFICE_SCREENS {
        let mut h = harness_on_screen(&db, egui::vec2(w, hgt), scale);
        sign_in(&mut h, "zhaomin");
        click(&mut h, "报价与投标");
        h.run_steps(3);
        let amount = h.get_by_label("金额").rect();
        assert!(inside(&h, amount), "金额 in sight at {w}×{hgt} @{scale}: {amount:?}");
        let by = h.query_by_label("编制").or_else(|| h.query_by_label("编制人")).expect("the author column").rect();
        assert!(inside(&h, by), "who wrote it in sight at {w}×{hgt} @{scale}: {by:?}");
    }
}

#[test]
fn approvals_keep_amounts_in_sight_on_each_office_screen() {
    let (_dir, db) = closed_demo_office();
    for (w, hgt, scale) in OFFICE_SCREENS {
        let mut h = harness_on_screen(&db, egui::vec2(w, hgt), scale);
        sign_in(&mut h, "zhaomin");
        click(&mut h, "审批 (4)");
        h.run_steps(4);
        let amounts: Vec<egui::Rect> = h.get_all_by_label("金额").map(|n| n.rect()).collect();
        assert!(amounts.len() >= 2, "the list's and the lines' 金额");
        for r in amounts.iter().filter(|r| r.top() < h.ctx.content_rect().bottom()) {
            assert!(inside(&h, *r), "金额 in sight at {w}×{hgt} @{scale}: {r:?}");
        }
        let by = h.get_by_label("编制").rect();
        assert!(inside(&h, by), "who submitted it in sight at {w}×{hgt} @{scale}: {by:?}");
    }
}

#[test]
fn arrow_keys_move_through_the_customer_list() {
    let (_dir, db) = closed_demo_office();
    let first_two = {
        let mut svc = Service::open(&db).expect("opens");
        let head = service_sign_in(&mut svc, "zhaomin");
        let page = svc.search_customers(&head, &Default::default(), 0).expect("list");
        (page.rows[0].name.clone(), page.rows[1].name.clone())
    };
    let mut h = harness(&db);
    sign_in(&mut h, "zhaomin");
    click(&mut h, "客户档案");
    h.run_steps(2);
    // Nothing focused: ↓ opens the first customer, ↓ again the next one.
    unfocus(&mut h);
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(4);
    assert!(h.get_all_by_label(&first_two.0).count() >= 2, "the first customer's card is open beside the list");
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(4);
    assert!(h.get_all_by_label(&first_two.1).count() >= 2, "↓ opened the next one");
}

#[test]
fn every_page_s_buttons_and_fields_lie_inside_the_window_for_each_role_on_each_office_screen() {
    let (_dir, db) = closed_demo_office();
    let pages = [
        "我的待办",
        "电话询价",
        "待我决定",
        "审批",
        "技术评审",
        "询价与招标",
        "报价与投标",
        "发文登记",
        "资质证书",
        "合同与回款",
        "看板",
        "拜访计划",
        "客户档案",
        "价格表",
        "公司信息",
        "审批规则与标准条款",
        "用户与角色",
        "审计日志",
        "数据维护",
        "我的账号",
    ];
    let mut cut = Vec::new();
    for (w, hgt, scale) in OFFICE_SCREENS {
        for login in ["zhaomin", "sunli", "liqiang", "admin", "chenming"] {
            let mut h = harness_on_screen(&db, egui::vec2(w, hgt), scale);
            sign_in(&mut h, login);
            for page in pages {
                let Some(entry) =
                    h.query_all_by_label_contains(page).find(|n| n.accesskit_node().role() == Role::Button)
                else {
                    continue;
                };
                let rect = entry.rect();
                click_at(&mut h, rect);
                h.run_steps(4);
                let right = h.ctx.content_rect().right() + 1.0;
                let inputs = h.query_all_by_role(Role::TextInput).chain(h.query_all_by_role(Role::MultilineTextInput));
                for b in h.query_all_by_role(Role::Button).chain(inputs) {
                    let r = b.rect();
                    if r.width() > 0.0 && r.right() > right {
                        let label = b.accesskit_node().label().unwrap_or_default();
                        cut.push(format!(
                            "{w}×{hgt}@{scale} {login} {page}: “{label}” ends at {:.0} > {:.0}",
                            r.right(),
                            right
                        ));
                    }
                }
            }
        }
    }
    assert!(cut.is_empty(), "buttons or fields beyond the window's right edge:\n{}", cut.join("\n"));
}

#[test]
fn the_contract_list_keeps_its_money_in_sight_on_each_office_screen() {
    let (_dir, db) = closed_demo_office();
    for (w, hgt, scale) in OFFICE_SCREENS {
        let mut h = harness_on_screen(&db, egui::vec2(w, hgt), scale);
        sign_in(&mut h, "zhaomin");
        click(&mut h, "合同与回款 (1)");
        h.run_steps(3);
        for column in ["合同额", "已回款", "未收"] {
            let r = h.get_by_label(column).rect();
            assert!(inside(&h, r), "{column} in sight at {w}×{hgt} @{scale}: {r:?}");
        }
    }
}

/// What opens a card or a dialog on a page: a row whose label starts with one of these, or a button.
enum Opener {
    Row(&'static [&'static str]),
    Button(&'static str),
}

/// Buttons and fields drawn over one another, or cut by the window's right edge, as the window is
/// now. egui's own record of the last pass gives each widget's layer and its rect clipped to what
/// its scroll area shows, so a field scrolled under a dialog's buttons is not "drawn over" them; a
/// dialog lies over the page by nature, so only widgets on one layer are compared.
fn drawn_over(h: &Harness<'_, salesdesk::ui::SalesDeskApp>, place: &str) -> Vec<String> {
    let screen = h.ctx.content_rect().expand(1.0);
    let shown: std::collections::HashMap<u64, (egui::LayerId, egui::Rect)> = h.ctx.viewport(|vp| {
        vp.prev_pass
            .widgets
            .layers()
            .flat_map(|(_, widgets)| widgets.iter())
            .map(|w| (w.id.value(), (w.layer_id, w.interact_rect)))
            .collect()
    });
    let inputs = h.query_all_by_role(Role::TextInput).chain(h.query_all_by_role(Role::MultilineTextInput));
    let widgets: Vec<(String, egui::Rect, egui::LayerId)> = h
        .query_all_by_role(Role::Button)
        .chain(inputs)
        .filter_map(|n| {
            let (layer, clipped) = *shown.get(&n.accesskit_node().locate().0.0)?;
            let visible = clipped.width() > 0.0 && clipped.height() > 0.0;
            visible.then(|| (n.accesskit_node().label().unwrap_or_default(), clipped, layer))
        })
        .collect();
    let mut found = Vec::new();
    // A dialog (a modal, on the foreground) shows a way out without scrolling: its 取消 or 关闭
    // lies whole inside what its scroll area shows.
    let whole: std::collections::HashMap<u64, egui::Rect> = h.ctx.viewport(|vp| {
        let widgets = vp.prev_pass.widgets.layers().flat_map(|(_, widgets)| widgets.iter());
        widgets.map(|w| (w.id.value(), w.rect)).collect()
    });
    let dialog_open = widgets.iter().any(|(_, _, layer)| layer.order == egui::Order::Foreground);
    let way_out = h.query_all_by_role(Role::Button).any(|n| {
        let label = n.accesskit_node().label().unwrap_or_default();
        let id = n.accesskit_node().locate().0.0;
        let in_sight = match (shown.get(&id), whole.get(&id)) {
            (Some((layer, clipped)), Some(rect)) => {
                layer.order == egui::Order::Foreground && clipped.contains_rect(*rect) && screen.contains_rect(*rect)
            }
            _ => false,
        };
        in_sight && ["取消", "关闭"].contains(&label.as_str())
    });
    if dialog_open && !way_out {
        found.push(format!("{place}: the dialog's 取消/关闭 is not in sight without scrolling"));
    }
    for (i, (a, ra, layer)) in widgets.iter().enumerate() {
        if ra.right() > screen.right() || ra.bottom() > screen.bottom() {
            found.push(format!("{place}: “{a}” cut by the window's edge at {ra:?}"));
        }
        for (b, rb, other) in &widgets[i + 1..] {
            let both = ra.intersect(*rb);
            if layer == other && both.width() > 2.0 && both.height() > 2.0 {
                found.push(format!("{place}: “{a}” {ra:?} drawn over “{b}” {rb:?}"));
            }
        }
    }
    found
}

#[test]
fn every_card_and_dialog_fits_and_draws_over_nothing_for_each_role_on_each_office_screen() {
    const DOCUMENTS: &[&str] = &["XJ-2026-", "TB-2026-", "BJ-2026-", "HT-2026-"];
    let (_dir, db) = closed_demo_office();
    let openers = [
        ("询价与招标", Opener::Row(DOCUMENTS)),
        ("询价与招标", Opener::Button("＋ 登记招标")),
        ("报价与投标", Opener::Row(DOCUMENTS)),
        ("合同与回款", Opener::Row(&["HT-2026-"])),
        ("发文登记", Opener::Row(&["BJ-2026-", "TB-2026-"])),
        ("拜访计划", Opener::Row(&["2026-1"])),
        ("拜访计划", Opener::Button("＋ 补录拜访")),
        ("拜访计划", Opener::Button("＋ 安排拜访")),
        ("客户档案", Opener::Button("＋ 新建客户")),
        ("客户档案", Opener::Button("导入…")),
        ("客户档案", Opener::Button("导出…")),
        ("电话询价", Opener::Button("＋ 新建客户")),
        ("价格表", Opener::Button("＋ 新增产品")),
        ("资质证书", Opener::Button("＋ 新增证书")),
        ("用户与角色", Opener::Button("＋ 新建用户")),
        ("审批", Opener::Button("")),
        ("待我决定", Opener::Button("")),
        ("电话询价", Opener::Button("")),
    ];
    let mut found = Vec::new();
    let mut opened = 0;
    for (w, hgt, scale) in OFFICE_SCREENS {
        for login in ["zhaomin", "sunli", "liqiang", "admin", "chenming", "zhoujg"] {
            let mut h = harness_on_screen(&db, egui::vec2(w, hgt), scale);
            sign_in(&mut h, login);
            for (page, opener) in &openers {
                let Some(entry) =
                    h.query_all_by_label_contains(page).find(|n| n.accesskit_node().role() == Role::Button)
                else {
                    continue;
                };
                let rect = entry.rect();
                click_at(&mut h, rect);
                h.run_steps(4);
                let nav = rect.right();
                let target = match opener {
                    Opener::Row(prefixes) => h
                        .query_all_by_label_contains("2026-")
                        .filter(|n| n.rect().left() > nav)
                        .find(|n| {
                            let node = n.accesskit_node();
                            let text = node.label().or_else(|| node.value()).unwrap_or_default();
                            prefixes.iter().any(|p| text.starts_with(p))
                        })
                        .map(|n| n.rect()),
                    Opener::Button("") => None,
                    Opener::Button(label) => h
                        .query_all_by_label(label)
                        .find(|n| n.accesskit_node().role() == Role::Button)
                        .map(|n| n.rect()),
                };
                let place = format!(
                    "{w}×{hgt}@{scale} {login} {page} {}",
                    match opener {
                        Opener::Row(_) => "card",
                        Opener::Button(b) => b,
                    }
                );
                if let Some(target) = target {
                    click_at(&mut h, target);
                    h.run_steps(4);
                    opened += 1;
                } else if !matches!(opener, Opener::Button("")) {
                    continue;
                }
                found.extend(drawn_over(&h, &place));
                h.key_press(egui::Key::Escape);
                h.run_steps(3);
            }
        }
    }
    println!("{opened} cards and dialogs opened");
    assert!(opened >= 50, "the sweep opened cards and dialogs ({opened})");
    assert!(found.is_empty(), "{} widgets cut or drawn over another:\n{}", found.len(), found.join("\n"));
}

#[test]
fn esc_closes_a_card_and_asks_before_a_typed_form_is_thrown_away() {
    let (_dir, db) = closed_demo_office();
    let mut h = harness_on_screen(&db, egui::vec2(1024.0, 768.0), 1.0);
    sign_in(&mut h, "sunli");
    click(&mut h, "询价与招标");
    let row = h.get_all_by_label("XJ-2026-0030").next().expect("a demo inquiry").rect();
    click_at(&mut h, row);
    h.run_steps(4);
    assert!(h.query_by_label("搜索").is_none(), "the card took the list's place");
    h.key_press(egui::Key::Escape);
    h.run_steps(3);
    assert!(h.query_by_label("搜索").is_some(), "Esc closed the card: the list is back");

    // Nothing typed: Esc closes the form at once.
    click(&mut h, "＋ 登记询价");
    h.run_steps(2);
    assert!(h.query_all_by_label("登记询价").next().is_some(), "the form is open");
    h.key_press(egui::Key::Escape);
    h.run_steps(3);
    assert!(h.query_all_by_label("登记询价").next().is_none(), "an empty form closed on Esc");

    // Something typed: Esc asks; 继续填写 keeps it; 放弃并关闭 closes it.
    click(&mut h, "＋ 登记询价");
    h.run_steps(2);
    fill(&mut h, "事由", "配电改造询价");
    h.key_press(egui::Key::Escape);
    h.run_steps(3);
    assert!(shows(&h, "放弃填写的内容？"), "Esc asks before throwing the typed subject away");
    click(&mut h, "继续填写");
    h.run_steps(3);
    assert!(!shows(&h, "放弃填写的内容？"));
    assert_eq!(input(&h, "事由").accesskit_node().value().as_deref(), Some("配电改造询价"), "nothing was lost");
    h.key_press(egui::Key::Escape);
    h.run_steps(3);
    click(&mut h, "放弃并关闭");
    h.run_steps(3);
    assert!(h.query_all_by_label("登记询价").next().is_none(), "the form closed after the user chose to discard");
}

#[test]
fn a_tender_s_deadline_is_picked_from_the_calendar_with_its_time_kept() {
    let (_dir, db) = closed_demo_office();
    let mut h = harness(&db);
    sign_in(&mut h, "sunli");
    click(&mut h, "询价与招标");
    click(&mut h, "＋ 登记招标");
    // 要求回复/交货日期, 投标截止时间 and 开标时间 each have 日历.
    assert_eq!(h.get_all_by_label("日历").count(), 3, "three dates, three calendars");
    replace(&mut h, "投标截止时间", "12-20 9:30");
    pick_today_beside(&mut h, "投标截止时间");
    let today = chrono::Local::now().date_naive();
    let value = input(&h, "投标截止时间").value().unwrap_or_default();
    assert!(value.starts_with(&today.to_string()), "the day picked: {value}");
    assert!(value.ends_with(" 9:30"), "the time typed is kept: {value}");
}

#[test]
fn arrow_keys_and_enter_open_quotes_and_inquiries_from_their_lists() {
    let (_dir, db) = closed_demo_office();
    let (first_quotes, first_inquiry) = {
        let mut svc = Service::open(&db).expect("opens");
        let head = service_sign_in(&mut svc, "zhaomin");
        let quotes = svc.quotes(&head).expect("quotes");
        let label = |i: usize| quotes[i].quote.number.revision_label(quotes[i].revision);
        let inquiries = svc.inquiries(&head, &Default::default()).expect("inquiries");
        ((label(0), label(1)), inquiries[0].number.to_string())
    };
    let mut h = harness(&db);
    sign_in(&mut h, "zhaomin");
    click(&mut h, "报价与投标");
    unfocus(&mut h);
    // ↓ ↓ puts the cursor on the second quote; Enter opens it in the builder.
    for key in [egui::Key::ArrowDown, egui::Key::ArrowDown, egui::Key::Enter] {
        h.key_press(key);
        h.run_steps(3);
    }
    assert!(shows(&h, "← 返回列表"), "Enter opened the highlighted quote");
    assert!(shows(&h, &first_quotes.1), "the second one, {}", first_quotes.1);
    h.key_press(egui::Key::Escape);
    h.run_steps(3);
    assert!(shows(&h, &first_quotes.0), "Esc went back to the list");

    click(&mut h, "询价与招标");
    unfocus(&mut h);
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(4);
    assert!(h.get_all_by_label(&first_inquiry).count() >= 2, "↓ opened the first inquiry's card beside the list");
}

/// No field has the keyboard (the list keys belong to the list).
fn unfocus(h: &mut Harness<'_, salesdesk::ui::SalesDeskApp>) {
    h.ctx.memory_mut(|m| {
        if let Some(id) = m.focused() {
            m.surrender_focus(id)
        }
    });
    h.run_steps(1);
}
