//! The 资质证书 panel and the bid builder's certificate ticks in the window (egui_kittest,
//! headless): the admin sees each certificate with its badge (已过期, n 天后到期, 长期有效) and
//! retires one; a salesperson reads the library but is offered no editing; the bid builder lists
//! the certificates with the attached ones ticked. On the demo office.

use egui_kittest::kittest::Queryable;
use salesdesk::domain::quote::{QuoteKind, RevisionStatus};
use salesdesk::service::{DEMO_USERS, Service};

use crate::support::{closed_demo_office, sign_in as service_sign_in};
use crate::window::*;

#[test]
fn the_admin_sees_expiry_badges_and_retires_a_certificate() {
    let (_dir, db) = closed_demo_office();
    let mut h = harness(&db);
    sign_in(&mut h, "admin");
    assert!(has_nav(&h, "资质证书"));
    click(&mut h, "资质证书");
    for text in
        ["营业执照（副本）", "长期有效", "已过期", "天后到期", "售后服务承诺（投标书第七部分）", "保存售后服务承诺"]
    {
        assert!(shows(&h, text), "the panel shows {text}");
    }
    let before = h.query_all_by_label("停用").count();
    assert!(before >= 5, "{before} certificates to retire");
    h.query_all_by_label("停用").next().unwrap().click();
    h.run_steps(4);
    assert!(toasts(&h).iter().any(|t| t.contains("已保存")), "{:?}", toasts(&h));
    assert_eq!(h.query_all_by_label("停用").count(), before - 1, "retired ones are hidden");
    click(&mut h, "显示已停用的证书");
    assert!(shows(&h, "已停用") && shows(&h, "恢复"));
}

#[test]
fn a_salesperson_reads_the_library_and_ticks_certificates_in_a_bid() {
    let (_dir, db) = closed_demo_office();
    // A draft bid and its author.
    let (number, author) = {
        let mut svc = Service::open(&db).expect("opens");
        let head = service_sign_in(&mut svc, "zhaomin");
        let s = svc
            .quotes(&head)
            .unwrap()
            .into_iter()
            .find(|s| s.quote.kind == QuoteKind::Bid && s.revision_status == RevisionStatus::Draft)
            .expect("a draft bid in the demo");
        let login = DEMO_USERS.iter().find(|u| u.1 == s.quote.author_name).map(|u| u.0).expect("author");
        (s.quote.number.to_string(), login)
    };
    let mut h = harness(&db);
    sign_in(&mut h, author);
    click(&mut h, "资质证书");
    assert!(shows(&h, "ISO 9001 质量管理体系认证证书"));
    assert!(!shows(&h, "＋ 新增证书") && !shows(&h, "保存售后服务承诺"), "read only for a salesperson");

    click(&mut h, "报价与投标");
    let row = h.query_all_by_label_contains(&format!("{number}-V")).next().expect("listed").rect();
    click_at(&mut h, row);
    assert!(shows(&h, "资格证明文件（附 4 份证书）"), "the certificates in force are attached");
    assert!(shows(&h, "已过期"), "the expired certificate is listed, marked, and not ticked");
    click(&mut h, "营业执照（副本）");
    assert!(shows(&h, "资格证明文件（附 3 份证书）"));
}

#[test]
fn the_assistant_sees_a_bids_cross_checks_before_issuing_it() {
    let (_dir, db) = closed_demo_office();
    let (number, id) = {
        let mut svc = Service::open(&db).expect("opens");
        let assistant = service_sign_in(&mut svc, "sunli");
        let s = svc
            .quotes(&assistant)
            .unwrap()
            .into_iter()
            .find(|s| {
                s.quote.kind == QuoteKind::Bid
                    && s.revision_status == RevisionStatus::Approved
                    && s.quote.status == salesdesk::domain::quote::QuoteStatus::Open
            })
            .expect("an approved bid not yet issued");
        (s.quote.number.to_string(), s.quote.id)
    };
    let mut h = harness(&db);
    sign_in(&mut h, "sunli");
    click(&mut h, "报价与投标");
    let row = h.query_all_by_label_contains(&format!("{number}-V")).next().expect("listed").rect();
    click_at(&mut h, row);
    h.run_steps(4);
    assert!(shows(&h, "用印发出前校核") && shows(&h, "✓ 校核通过"), "the checks pass");

    // Meanwhile the admin retires a certificate the bid attaches.
    {
        let mut svc = Service::open(&db).expect("opens");
        let admin = service_sign_in(&mut svc, "admin");
        let r = svc.quote_view(&admin, id).unwrap().latest().unwrap().clone();
        let c = svc.certificates(&admin).unwrap().into_iter().find(|c| c.id == r.content.certificates[0]).unwrap();
        svc.set_certificate_active(&admin, c.id, c.version, false).unwrap();
    }
    click(&mut h, "重新校核");
    h.run_steps(4);
    assert!(shows(&h, "有 1 处问题，用印发出将被拒绝"), "the problem is listed");
    assert!(shows(&h, "已停用，请取消附上"));
}
