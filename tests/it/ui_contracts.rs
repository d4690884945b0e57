//! 合同与回款 and 看板 in the window (egui_kittest, headless): the salesperson drafts the contract
//! from the won quote's 谈判与结果, and — once the head confirmed it and it is signed — records
//! a receipt in the contract card, the form refusing an amount over what is owed before anything
//! is sent; the head reads the dashboard and exports a chart's numbers.

use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use salesdesk::domain::ids::QuoteId;
use salesdesk::domain::inquiry::{InquiryDraft, InquiryKind, InquiryLine, InquirySource};
use salesdesk::domain::money::Quantity;
use salesdesk::domain::negotiation::OutcomeDraft;
use salesdesk::domain::receivable::{ReceiptDraft, TargetDraft};
use salesdesk::service::Service;

use crate::support::{add_customer, customer, product, sign_in as service_sign_in, staff_office_file, yuan};
use crate::window::*;

/// 李强's quote for his customer (two 干式变压器 at ¥186,000), approved, issued and won.
fn won_quote(db: &Path, dir: &Path) -> QuoteId {
    won_quote_in(&mut Service::open(db).expect("opens"), dir)
}

fn won_quote_in(svc: &mut Service, dir: &Path) -> QuoteId {
    let admin = service_sign_in(svc, "admin");
    let today = svc.today();
    let t = svc.create_product(&admin, product("UI-SCB13-1000", "干式变压器", "186000", None), today).expect("product");
    let li = service_sign_in(svc, "liqiang");
    let c = add_customer(svc, &li, customer("江苏华能电力设备有限公司"), None);
    let draft = InquiryDraft {
        kind: InquiryKind::Inquiry,
        customer: Some(c.id),
        source: InquirySource::Visit,
        subject: "10kV配电工程设备".into(),
        lines: vec![InquiryLine {
            product: Some(t.id),
            description: "干式变压器".into(),
            quantity: Some(Quantity::from_units(2)),
            unit: "台".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    let i = svc.register_inquiry(&li, draft).expect("registered");
    let head = service_sign_in(svc, "zhaomin");
    let i = svc.decide_inquiry(&head, i.id, i.version, true, "参与").expect("go");
    let v = svc.create_quote(&li, i.id).expect("quote");
    let r = v.latest().expect("V1").clone();
    let v = svc.submit_revision(&li, r.id, r.version).expect("submitted");
    let r = v.latest().expect("V1").clone();
    svc.decide_revision(&head, r.id, &r.content_hash, true, "同意。").expect("approved");
    let assistant = service_sign_in(svc, "sunli");
    svc.issue_quote(&assistant, v.quote.id, 1, &dir.join("V1.pdf")).expect("issued");
    let won = OutcomeDraft { won: true, date: Some(today), reason: "方案获认可".into(), ..Default::default() };
    svc.record_outcome(&li, v.quote.id, won).expect("won");
    v.quote.id
}

/// The head confirms the contract of `quote`; 李强 enters it as signed eight days ago (signed
/// last week, entered today), so its prepayment (due within 7 days of signing) is due now.
fn confirmed_and_signed(db: &Path, quote: QuoteId) {
    confirmed_and_signed_in(&mut Service::open(db).expect("opens"), quote)
}

fn confirmed_and_signed_in(svc: &mut Service, quote: QuoteId) {
    let li = service_sign_in(svc, "liqiang");
    let head = service_sign_in(svc, "zhaomin");
    let id = svc.contract_of_quote(&li, quote).expect("reads").expect("a contract");
    let c = svc.contract(&head, id).expect("card").ledger.contract;
    let v = svc.confirm_contract(&head, id, &c.content_hash, true, "同意").expect("confirmed");
    let signed = svc.today() - chrono::Duration::days(8);
    svc.sign_contract(&li, id, v.ledger.contract.version, Some(signed)).expect("signed");
}

#[test]
fn the_salesperson_drafts_the_contract_from_the_builder_and_records_a_receipt() {
    let (dir, db) = staff_office_file();
    let quote = won_quote(&db, dir.path());
    let mut h = harness(&db);
    sign_in(&mut h, "liqiang");
    assert!(has_nav(&h, "合同与回款") && has_nav(&h, "看板"));
    click(&mut h, "报价与投标");
    let row = h.get_by_label("BJ-2026-0001-V1").rect();
    click_at(&mut h, row);
    assert!(shows(&h, "可据此签订合同"));
    click(&mut h, "创建或打开合同");
    assert!(toasts(&h).iter().any(|t| t.contains("合同草稿已创建")), "{:?}", toasts(&h));
    assert!(shows(&h, "合同 HT-2026-0001"));
    assert!(shows(&h, "草稿（待确认）") && shows(&h, "等待销售部负责人确认"));
    assert!(shows(&h, "预付款") && shows(&h, "到货验收款") && shows(&h, "质保金"));
    assert!(!shows(&h, "登记回款"), "nothing is recorded before signing");
    h.check_accessibility();

    confirmed_and_signed(&db, quote);
    click(&mut h, "刷新");
    assert!(shows(&h, "已签订"));
    assert!(shows(&h, "¥111,600.00"), "the prepayment, 30% of ¥372,000.00");
    click(&mut h, "登记回款");
    // Over what is owed: the form says so under the field and sends nothing.
    fill(&mut h, "金额（元）", "400000");
    assert!(shows(&h, "超过该合同尚欠的 ¥372,000.00"), "inline");
    let send = h.get_all_by_label("登记回款").find(|n| n.accesskit_node().role() == Role::Button).expect("button");
    assert!(send.accesskit_node().is_disabled(), "refused before sending");
    input(&h, "金额（元）").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    input(&h, "金额（元）").type_text("111600");
    h.run_steps(3);
    fill(&mut h, "备注", "工行回单 20261127-001");
    assert!(!shows(&h, "超过该合同尚欠"));
    click(&mut h, "登记回款");
    assert!(toasts(&h).iter().any(|t| t.contains("回款已登记")), "{:?}", toasts(&h));
    assert!(shows(&h, "已付清"), "the prepayment is paid");
    assert!(shows(&h, "已收 ¥111,600.00"));

    let mut svc = Service::open(&db).expect("opens beside the window");
    let li = service_sign_in(&mut svc, "liqiang");
    let contracts = svc.contracts(&li).expect("list");
    assert_eq!(contracts[0].receipts.len(), 1);
    assert_eq!(contracts[0].receipts[0].amount, yuan("111600"));
    assert_eq!(contracts[0].receipts[0].note, "工行回单 20261127-001");
}

#[test]
fn the_head_reads_the_dashboard_and_exports_a_chart() {
    let (dir, db) = staff_office_file();
    let quote = won_quote(&db, dir.path());
    {
        let mut svc = Service::open(&db).expect("opens");
        let li = service_sign_in(&mut svc, "liqiang");
        svc.create_contract(&li, quote).expect("drafted");
    }
    confirmed_and_signed(&db, quote);
    {
        let mut svc = Service::open(&db).expect("opens");
        let li = service_sign_in(&mut svc, "liqiang");
        let head = service_sign_in(&mut svc, "zhaomin");
        let today = svc.today();
        let id = svc.contract_of_quote(&li, quote).expect("reads").expect("contract");
        let r = ReceiptDraft { date: Some(today), amount: Some(yuan("100000")), ..Default::default() };
        svc.record_receipt(&li, id, r).expect("received");
        let t = TargetDraft {
            salesperson: li.id(),
            year: chrono::Datelike::year(&today),
            month: None,
            sales: yuan("2400000"),
            collection: yuan("2000000"),
        };
        svc.set_target(&head, t, None).expect("target");
    }
    let mut h = harness(&db);
    sign_in(&mut h, "zhaomin");
    click(&mut h, "看板");
    for title in ["合同额与目标（按月）", "回款率（已收 / 应收）", "应收账龄", "报价中标率", "销售漏斗"]
    {
        assert!(shows(&h, title), "{title}");
    }
    assert!(shows(&h, "回款率 89.6%"), "¥100,000 of the ¥111,600 due");
    assert!(shows(&h, "全年合同额 ¥372,000.00 / 目标 ¥2,400,000.00"));
    assert!(shows(&h, "中标率 100%"));
    assert!(shows(&h, "询价/招标 1 → 决定参与 1 → 已报价 1 → 中标/成交 1"));
    h.check_accessibility();
    let folder = dir.path().display().to_string();
    input(&h, "导出到文件夹").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    input(&h, "导出到文件夹").type_text(&folder);
    h.run_steps(3);
    let export = h.get_all_by_label("导出 CSV").next().expect("an export button");
    export.scroll_to_me();
    h.run_steps(3);
    h.get_all_by_label("导出 CSV").next().expect("an export button").click();
    h.run_steps(4);
    assert!(toasts(&h).iter().any(|t| t.contains("已导出到")), "{:?}", toasts(&h));
    let year = chrono::Datelike::year(&chrono::Local::now().date_naive());
    let csv = std::fs::read(dir.path().join(format!("合同额与目标-{year}.csv"))).expect("written");
    let text = String::from_utf8_lossy(&csv);
    assert!(text.contains("月份") && text.contains("372000.00"), "{text}");
}

#[test]
fn the_assistant_confirms_cash_handed_in_late() {
    let (dir, db) = staff_office_file();
    {
        // Six days ago: won, drafted, confirmed, signed, and the prepayment collected in cash.
        let then = chrono::Utc::now() - chrono::Duration::days(6);
        let mut svc = Service::open(&db).expect("opens").with_clock(std::sync::Arc::new(move || then));
        let quote = won_quote_in(&mut svc, dir.path());
        let li = service_sign_in(&mut svc, "liqiang");
        let id = svc.create_contract(&li, quote).expect("drafted").ledger.contract.id;
        confirmed_and_signed_in(&mut svc, quote);
        let cash = ReceiptDraft {
            date: Some(svc.today()),
            amount: Some(yuan("111600")),
            method: salesdesk::domain::receivable::PaymentMethod::Cash,
            note: "客户财务现场交付".into(),
            collected_by_salesperson: true,
            overpayment: false,
        };
        svc.record_receipt(&li, id, cash).expect("collected");
    }
    let mut h = harness(&db);
    sign_in(&mut h, "sunli");
    click(&mut h, "合同与回款");
    assert!(shows(&h, "1 笔在外收款共 ¥111,600.00 超过 3 天未上交公司（李强）"));
    let row = h.get_by_label("HT-2026-0001").rect();
    click_at(&mut h, row);
    assert!(shows(&h, "逾期未上交 6 天"));
    click(&mut h, "确认上交…");
    assert!(shows(&h, "确认上交：李强"));
    click(&mut h, "确认上交…");
    assert!(shows(&h, "请确认款项已实际到达公司账户或财务"));
    h.check_accessibility();
    click(&mut h, "确定已上交");
    assert!(toasts(&h).iter().any(|t| t.contains("已确认上交")), "{:?}", toasts(&h));
    assert!(shows(&h, "已上交（迟 3 天）"));

    let mut svc = Service::open(&db).expect("opens beside the window");
    let li = service_sign_in(&mut svc, "liqiang");
    let r = &svc.contracts(&li).expect("list")[0].receipts[0];
    assert_eq!(r.handed_in_on, Some(svc.today()));
    assert_eq!(r.handed_in_by, "孙丽");
}

#[test]
fn the_head_confirms_a_drafted_contract_after_a_confirmation_step() {
    let (dir, db) = staff_office_file();
    let quote = won_quote(&db, dir.path());
    {
        let mut svc = Service::open(&db).expect("opens");
        let li = service_sign_in(&mut svc, "liqiang");
        svc.create_contract(&li, quote).expect("drafted");
    }
    let mut h = harness(&db);
    sign_in(&mut h, "zhaomin");
    click(&mut h, "合同与回款 (1)");
    assert!(shows(&h, "待我确认"));
    let row = h.get_by_label("HT-2026-0001").rect();
    click_at(&mut h, row);
    assert!(shows(&h, "等待销售部负责人确认"));
    click(&mut h, "驳回…");
    let refuse = h.get_all_by_label("确定驳回").find(|n| n.accesskit_node().role() == Role::Button).expect("button");
    assert!(refuse.accesskit_node().is_disabled(), "a refusal needs a reason");
    click(&mut h, "取消");
    click(&mut h, "确认合同…");
    assert!(shows(&h, "确认后销售员即可与客户签订"));
    fill(&mut h, "意见（可选）", "同意，注意回款。");
    h.check_accessibility();
    click(&mut h, "确定确认");
    assert!(toasts(&h).iter().any(|t| t.contains("已确认")), "{:?}", toasts(&h));
    assert!(shows(&h, "已确认（待签订）"));
    assert!(shows(&h, "销售部负责人已确认：赵敏 同意，注意回款。"));
    assert!(has_nav(&h, "合同与回款"), "nothing waits any more");
}

#[test]
fn the_assistant_previews_and_issues_a_confirmed_contract_and_finds_it_in_the_register() {
    let (dir, db) = staff_office_file();
    let quote = won_quote(&db, dir.path());
    {
        let mut svc = Service::open(&db).expect("opens");
        let li = service_sign_in(&mut svc, "liqiang");
        svc.create_contract(&li, quote).expect("drafted");
    }
    confirmed_and_signed(&db, quote);
    let mut h = harness(&db);
    sign_in(&mut h, "sunli");
    click(&mut h, "合同与回款");
    let row = h.get_by_label("HT-2026-0001").rect();
    click_at(&mut h, row);
    click(&mut h, "打印预览 销售合同…");
    assert!(shows(&h, "HT-2026-0001 销售合同（草稿）"), "the preview opens on the draft");
    click(&mut h, "关闭");
    click(&mut h, "用印发出…");
    assert!(shows(&h, "供客户签字盖章"), "the dialog says what issuing a contract does");
    h.key_press(egui::Key::Escape);
    h.run_steps(3);
    assert!(!shows(&h, "供客户签字盖章"), "Esc closes the dialog");
    click(&mut h, "用印发出…");
    let out = dir.path().join("合同 HT-2026-0001.pdf");
    replace(&mut h, "保存到", &out.display().to_string());
    click(&mut h, "送打印机");
    h.check_accessibility();
    click(&mut h, "确认用印发出");
    let said = toasts(&h);
    assert!(said.iter().any(|t| t.contains("销售合同 HT-2026-0001 已用印发出")), "{said:?}");
    let text = crate::documents::pdf_text(&std::fs::read(&out).expect("the stamped file is written"));
    assert!(
        text.contains("产品购销合同") && text.contains("江苏华能电力设备有限公司") && !text.contains("草稿"),
        "{text}"
    );

    click(&mut h, "发文登记");
    assert!(shows(&h, "HT-2026-0001"), "the register lists it");
}
