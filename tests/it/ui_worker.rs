//! The worker behind the window survives a use case that panics: that action fails with a clear
//! Chinese message, the busy indicator stops, the window goes on, and the office is reopened so
//! the next action sees only what was committed. The panic is raised inside the store, in the
//! middle of a write (after its statements ran, before the commit), where a real fault would be.

use std::sync::Arc;

use salesdesk::service::{CustomerFilter, Service};
use salesdesk::store::{Faults, Location};
use salesdesk::ui::SalesDeskApp;
use salesdesk::ui::worker::{INTERNAL_ERROR, Worker};

use crate::support::{sign_in as service_sign_in, staff_office_file};
use crate::window::*;

fn window_with_faults(db: &std::path::Path, faults: &Faults) -> egui_kittest::Harness<'static, SalesDeskApp> {
    let faults = faults.clone();
    let worker = Worker::inline_with(Arc::new(move |location: &Location| {
        Service::open_at(location).map(|s| s.with_faults(faults.clone()))
    }));
    window_with(Location::File(db.to_path_buf()), worker)
}

const NAME: &str = "华东测试电气有限公司";

fn customers_named(db: &std::path::Path) -> usize {
    let mut svc = Service::open(db).expect("opens beside the window");
    let li = service_sign_in(&mut svc, "liqiang");
    let filter = CustomerFilter { query: NAME.into(), ..Default::default() };
    svc.search_customers(&li, &filter, 0).expect("searches").matched
}

#[test]
fn a_save_that_panics_fails_with_a_clear_message_and_the_next_save_goes_through() {
    let (_dir, db) = staff_office_file();
    let faults = Faults::default();
    let mut h = window_with_faults(&db, &faults);
    sign_in(&mut h, "liqiang");
    click(&mut h, "客户档案");
    click(&mut h, "＋ 新建客户");
    fill(&mut h, "客户名称", NAME);
    fill(&mut h, "联系人1 姓名", "周涛");
    fill(&mut h, "联系人1 手机", "13951100188");

    faults.panic_in_next_write();
    click(&mut h, "保存");
    assert!(toasts(&h).iter().any(|t| t == INTERNAL_ERROR), "{:?}", toasts(&h));
    assert!(!shows(&h, "正在处理"), "the busy indicator stopped");
    assert_eq!(customers_named(&db), 0, "the write that panicked was rolled back");
    assert_eq!(input(&h, "客户名称").value().as_deref(), Some(NAME), "the typing stays");

    // The window goes on: the office was reopened and the same save now lands, once. (The
    // error's toast is closed first: it sits over the card's buttons.)
    click(&mut h, "×");
    click(&mut h, "保存");
    let saved = format!("客户“{NAME}”已保存。");
    assert!(toasts(&h).contains(&saved), "{:?}", toasts(&h));
    assert_eq!(customers_named(&db), 1);
    fill(&mut h, "搜索", "华东测试");
    assert!(shows(&h, NAME), "the list reads the office as committed");
}
