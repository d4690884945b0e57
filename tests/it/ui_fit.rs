//! The window on the screens offices have (issue 22): 1024×768 at 100 % and 1366×768 at 150 %
//! (911×512 points). What a user must reach lies inside the window: a dialog's fields scroll, its
//! buttons stay in sight.

use egui::accesskit::Role;
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
