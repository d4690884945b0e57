//! The price table (价格表, DESIGN §2): products and dated versions — a price change makes a new
//! version and the old one stays readable; floor prices only for head, leader and admin; the
//! technical department edits parameters, not prices; bad input is refused with the field named.

use chrono::Duration;
use salesdesk::domain::ids::PriceVersionId;
use salesdesk::domain::money::TaxRate;
use salesdesk::domain::product::{Product, ProductDraft, TechParam, parse_tech_params};
use salesdesk::service::{Actor, Service, ServiceError};

use crate::support::{assert_field_error, audit_with_action, product, sign_in, staff_office, yuan};

fn transformer() -> ProductDraft {
    ProductDraft {
        model: "SCB13-1000/10".into(),
        category: "变压器".into(),
        params: parse_tech_params("额定容量:1000kVA; 联结组别:Dyn11").expect("params"),
        ..product("IT-SCB13-1000", "干式变压器", "186000", Some("162000"))
    }
}

fn switchgear() -> ProductDraft {
    ProductDraft {
        model: "KYN28A-12/1250".into(),
        unit: "面".into(),
        category: "开关柜".into(),
        ..product("IT-KYN28A-12", "高压开关柜", "68500.50", Some("61000"))
    }
}

/// The product with this code in the table the actor sees (`None`: the version in force).
fn priced(svc: &mut Service, actor: &Actor, version: Option<PriceVersionId>, code: &str) -> Option<Product> {
    let table = svc.price_table(actor, version).expect("the table reads");
    table.products.into_iter().find(|p| p.draft.code == code)
}

fn version_count(svc: &mut Service, actor: &Actor) -> usize {
    svc.price_table(actor, None).expect("the table reads").versions.len()
}

#[test]
fn creating_a_product_makes_a_price_version_effective_today() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let empty = svc.price_table(&admin, None).expect("reads");
    assert!(empty.version.is_none() && empty.products.is_empty() && empty.versions.is_empty());

    let today = svc.today();
    let created = svc.create_product(&admin, transformer(), today).expect("the admin creates a product");
    assert_eq!(created.draft.list_price, yuan("186000"));
    let table = svc.price_table(&admin, None).expect("reads");
    let version = table.version.expect("a version is in force");
    assert_eq!(version.effective, today);
    assert_eq!(created.price_version, version.id);
    assert_eq!(table.products.len(), 1);
    assert_eq!(table.products[0].draft, transformer());

    // The head may create products too; each creation is a new version carrying the others.
    let head = sign_in(&mut svc, "zhaomin");
    svc.create_product(&head, switchgear(), today).expect("the head creates a product");
    let table = svc.price_table(&head, None).expect("reads");
    assert_eq!(table.versions.len(), 2);
    let codes: Vec<&str> = table.products.iter().map(|p| p.draft.code.as_str()).collect();
    assert_eq!(codes, vec!["IT-KYN28A-12", "IT-SCB13-1000"]);
    assert_eq!(table.version.expect("in force").products, 2);

    for login in ["liqiang", "sunli", "chenming", "zhoujg"] {
        let actor = sign_in(&mut svc, login);
        let draft = product("IT-YJV22", "电力电缆", "1234.50", None);
        let err = svc.create_product(&actor, draft, today).expect_err("may not maintain prices");
        assert!(matches!(err, ServiceError::Denied(_)), "{login}: {err:?}");
    }
    assert_eq!(version_count(&mut svc, &admin), 2);
    let entries = audit_with_action(&mut svc, &admin, "product.create");
    let codes: Vec<&str> = entries.iter().map(|e| e.entity_id.as_str()).collect();
    assert_eq!(codes, vec!["IT-KYN28A-12", "IT-SCB13-1000"]);
}

#[test]
fn a_price_change_makes_a_new_version_and_the_old_one_keeps_the_old_price() {
    let (_dir, mut svc) = staff_office();
    let head = sign_in(&mut svc, "zhaomin");
    let today = svc.today();
    svc.create_product(&head, switchgear(), today).expect("creates");
    let p = svc.create_product(&head, transformer(), today).expect("creates");
    let old_version = p.price_version;

    let mut dearer = p.draft.clone();
    dearer.list_price = yuan("191500");
    dearer.floor_price = Some(yuan("165000"));
    let saved = svc.update_product(&head, p.id, p.version, dearer, today).expect("the price changes");
    assert_ne!(saved.price_version, old_version);
    assert_eq!(saved.draft.list_price, yuan("191500"));

    let table = svc.price_table(&head, None).expect("reads");
    assert_eq!(table.version.as_ref().map(|v| v.id), Some(saved.price_version));
    assert_eq!(table.versions.len(), 3);
    let now = priced(&mut svc, &head, None, "IT-SCB13-1000").expect("in force");
    assert_eq!((now.draft.list_price, now.draft.floor_price), (yuan("191500"), Some(yuan("165000"))));
    // The version a quote may have used still reads the old prices.
    let then = priced(&mut svc, &head, Some(old_version), "IT-SCB13-1000").expect("in the old version");
    assert_eq!((then.draft.list_price, then.draft.floor_price), (yuan("186000"), Some(yuan("162000"))));
    // The other product is carried into the new version unchanged.
    let other = priced(&mut svc, &head, None, "IT-KYN28A-12").expect("carried over");
    assert_eq!(other.draft.list_price, yuan("68500.50"));

    // A tax-rate change is a price change too.
    let mut taxed = now.draft.clone();
    taxed.tax_rate = TaxRate::RATE_9;
    let again = svc.update_product(&head, now.id, now.version, taxed, today).expect("saves");
    assert_ne!(again.price_version, saved.price_version);
    let admin = sign_in(&mut svc, "admin");
    let entries = audit_with_action(&mut svc, &admin, "product.price");
    assert_eq!(entries.len(), 2);
    assert!(entries[1].before.contains("186000.00") && entries[1].after.contains("191500.00"), "{:?}", entries[1]);
}

#[test]
fn a_description_only_change_makes_no_new_version() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let today = svc.today();
    let p = svc.create_product(&admin, transformer(), today).expect("creates");
    let mut described = p.draft.clone();
    described.name = "干式电力变压器".into();
    described.model = "SCB13-1000/10-NX2".into();
    described.params.push(TechParam { key: "冷却方式".into(), value: "AN/AF".into() });
    let saved = svc.update_product(&admin, p.id, p.version, described.clone(), today).expect("saves");
    assert_eq!(saved.price_version, p.price_version);
    assert_eq!(version_count(&mut svc, &admin), 1);
    let now = priced(&mut svc, &admin, None, "IT-SCB13-1000").expect("in force");
    assert_eq!(now.draft, described);
    assert!(audit_with_action(&mut svc, &admin, "product.price").is_empty());
    assert_eq!(audit_with_action(&mut svc, &admin, "product.update").len(), 1);

    // The code is the import key: it cannot be changed.
    let mut recoded = now.draft.clone();
    recoded.code = "IT-SCB13-1000B".into();
    let err = svc.update_product(&admin, now.id, now.version, recoded, today).expect_err("code is fixed");
    assert_field_error(&err, "code");
    // A stale row version is a conflict naming who saved.
    let err = svc.update_product(&admin, p.id, p.version, p.draft.clone(), today).expect_err("stale");
    assert!(err.is_conflict(), "{err:?}");
    assert!(err.to_string().contains("系统管理员"), "{err}");
}

#[test]
fn floor_prices_reach_only_head_leader_and_admin() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let today = svc.today();
    svc.create_product(&admin, transformer(), today).expect("creates");
    svc.create_product(&admin, switchgear(), today).expect("creates");
    for login in ["zhaomin", "zhoujg", "admin"] {
        let actor = sign_in(&mut svc, login);
        let table = svc.price_table(&actor, None).expect("reads");
        assert!(table.shows_floor, "{login}");
        assert!(table.products.iter().all(|p| p.draft.floor_price.is_some()), "{login}");
        let hits = svc.search_products(&actor, "变压器", None, false, 0).expect("searches");
        assert_eq!(hits[0].draft.floor_price, Some(yuan("162000")), "{login}");
    }
    for login in ["liqiang", "sunli", "chenming"] {
        let actor = sign_in(&mut svc, login);
        let table = svc.price_table(&actor, None).expect("reads");
        assert!(!table.shows_floor, "{login}");
        assert_eq!(table.products.len(), 2, "{login} sees the list prices");
        assert!(table.products.iter().all(|p| p.draft.floor_price.is_none()), "{login}");
        let old = svc.price_table(&actor, Some(table.versions[1].id)).expect("an older version");
        assert!(old.products.iter().all(|p| p.draft.floor_price.is_none()), "{login}, old version");
        let hits = svc.search_products(&actor, "", None, true, 0).expect("searches");
        assert!(hits.iter().all(|p| p.draft.floor_price.is_none()), "{login}, search");
    }
}

#[test]
fn the_technical_department_edits_parameters_but_not_prices_and_sales_neither() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let today = svc.today();
    let p = svc.create_product(&admin, transformer(), today).expect("creates");

    let tech = sign_in(&mut svc, "chenming");
    let params = parse_tech_params("额定容量:1000kVA; 联结组别:Dyn11; 绝缘等级:F").expect("params");
    let saved = svc
        .update_technical_parameters(&tech, p.id, p.version, " SCB14-1000/10 ".into(), params.clone())
        .expect("the technician edits the parameters");
    assert_eq!((saved.draft.model.as_str(), &saved.draft.params), ("SCB14-1000/10", &params));
    assert_eq!(saved.draft.floor_price, None, "the technician does not see the floor price");
    let now = priced(&mut svc, &admin, None, "IT-SCB13-1000").expect("in force");
    assert_eq!(now.draft.params, params);
    assert_eq!((now.draft.list_price, now.draft.floor_price), (yuan("186000"), Some(yuan("162000"))));
    assert_eq!(version_count(&mut svc, &admin), 1, "no new version for parameters");
    assert_eq!(audit_with_action(&mut svc, &admin, "product.params").len(), 1);

    let mut cheaper = now.draft.clone();
    cheaper.list_price = yuan("170000");
    let err = svc.update_product(&tech, now.id, now.version, cheaper.clone(), today).expect_err("no prices");
    assert!(matches!(err, ServiceError::Denied(_)), "{err:?}");
    // Duplicate parameter names are refused.
    let twice = parse_tech_params("电压:10kV; 电压:0.4kV").expect("parses");
    let err = svc.update_technical_parameters(&tech, now.id, now.version, now.draft.model.clone(), twice);
    assert_field_error(&err.expect_err("duplicate parameter"), "params");

    let sales = sign_in(&mut svc, "liqiang");
    let err = svc.update_product(&sales, now.id, now.version, cheaper, today).expect_err("no prices");
    assert!(matches!(err, ServiceError::Denied(_)), "{err:?}");
    let err = svc
        .update_technical_parameters(&sales, now.id, now.version, "X".into(), Vec::new())
        .expect_err("no parameters");
    assert!(matches!(err, ServiceError::Denied(_)), "{err:?}");
    let after = priced(&mut svc, &admin, None, "IT-SCB13-1000").expect("in force");
    assert_eq!(after.draft, now.draft);
    assert_eq!(after.version, now.version);
}

#[test]
fn a_floor_above_the_list_price_is_refused() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let today = svc.today();
    let err = svc
        .create_product(&admin, product("IT-A1", "干式变压器", "100000", Some("100000.01")), today)
        .expect_err("floor above list");
    assert_field_error(&err, "floor_price");
    assert!(svc.price_table(&admin, None).expect("reads").versions.is_empty(), "nothing written");

    let p = svc.create_product(&admin, product("IT-A1", "干式变压器", "100000", Some("100000")), today).expect("equal");
    let mut lower = p.draft.clone();
    lower.list_price = yuan("90000");
    let err = svc.update_product(&admin, p.id, p.version, lower, today).expect_err("list below floor");
    assert_field_error(&err, "floor_price");
    assert_eq!(version_count(&mut svc, &admin), 1);
}

#[test]
fn a_duplicate_product_code_is_refused() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let today = svc.today();
    svc.create_product(&admin, transformer(), today).expect("creates");
    for code in ["IT-SCB13-1000", " it-scb13-1000 ", "ＩＴ-ＳＣＢ13-1000"] {
        let err = svc
            .create_product(&admin, product(code, "另一台变压器", "1000", None), today)
            .expect_err("the code exists");
        assert_field_error(&err, "code");
    }
    let table = svc.price_table(&admin, None).expect("reads");
    assert_eq!((table.products.len(), table.versions.len()), (1, 1));
    let err = svc.create_product(&admin, product("IT 01", "变压器", "1000", None), today).expect_err("a space");
    assert_field_error(&err, "code");
}

#[test]
fn an_effective_date_in_the_past_is_refused_and_a_future_one_waits() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let today = svc.today();
    let yesterday = today - Duration::days(1);
    let err = svc.create_product(&admin, transformer(), yesterday).expect_err("in the past");
    assert_field_error(&err, "effective");
    assert!(svc.price_table(&admin, None).expect("reads").versions.is_empty());

    let p = svc.create_product(&admin, transformer(), today).expect("creates");
    let mut dearer = p.draft.clone();
    dearer.list_price = yuan("200000");
    let err = svc.update_product(&admin, p.id, p.version, dearer.clone(), yesterday).expect_err("in the past");
    assert_field_error(&err, "effective");
    assert_eq!(priced(&mut svc, &admin, None, "IT-SCB13-1000").expect("in force").draft.list_price, yuan("186000"));

    // Effective next month: today's table keeps the old price; the new version holds the new one.
    let next_month = today + Duration::days(30);
    let saved = svc.update_product(&admin, p.id, p.version, dearer, next_month).expect("a future price");
    let table = svc.price_table(&admin, None).expect("reads");
    assert_eq!(table.version.as_ref().map(|v| v.id), Some(p.price_version));
    assert_eq!(table.products[0].draft.list_price, yuan("186000"));
    let future = svc.price_table(&admin, Some(saved.price_version)).expect("the future version");
    assert_eq!(future.version.as_ref().map(|v| v.effective), Some(next_month));
    assert_eq!(future.products[0].draft.list_price, yuan("200000"));
}

#[test]
fn a_product_added_today_is_also_in_an_already_planned_future_version() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let today = svc.today();
    let p = svc.create_product(&admin, transformer(), today).expect("creates");
    let mut dearer = p.draft.clone();
    dearer.list_price = yuan("200000");
    let planned = svc.update_product(&admin, p.id, p.version, dearer, today + Duration::days(30)).expect("planned");

    // A product created today, after the next half-year's table was planned.
    svc.create_product(&admin, switchgear(), today).expect("creates");
    assert!(priced(&mut svc, &admin, None, "IT-KYN28A-12").is_some());
    let future = priced(&mut svc, &admin, Some(planned.price_version), "IT-KYN28A-12");
    assert_eq!(
        future.map(|p| p.draft.list_price),
        Some(yuan("68500.50")),
        "a new product must not vanish when the planned version takes effect"
    );
    // The planned price of the other product is untouched.
    let planned_price = priced(&mut svc, &admin, Some(planned.price_version), "IT-SCB13-1000").expect("planned");
    assert_eq!(planned_price.draft.list_price, yuan("200000"));
}

#[test]
fn products_are_found_by_code_model_name_and_pinyin_initials() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let today = svc.today();
    let oil = ProductDraft {
        model: "S13-M-500/10".into(),
        ..product("IT-S13-500", "油浸式变压器", "68000", Some("60000"))
    };
    let cable = ProductDraft {
        model: "YJV22-8.7/15-3×240".into(),
        unit: "米".into(),
        ..product("IT-YJV22-240", "交联聚乙烯电力电缆", "612.80", None)
    };
    let old = ProductDraft { active: false, ..product("IT-OLD-1", "老式变压器", "1000", None) };
    for d in [transformer(), switchgear(), oil, cable, old] {
        svc.create_product(&admin, d, today).expect("creates");
    }
    let sales = sign_in(&mut svc, "liqiang");
    let mut find = |q: &str, inactive: bool| -> Vec<String> {
        let hits = svc.search_products(&sales, q, None, inactive, 0).expect("searches");
        let mut codes: Vec<String> = hits.into_iter().map(|p| p.draft.code).collect();
        codes.sort();
        codes
    };
    assert_eq!(find("变压器", false), vec!["IT-S13-500", "IT-SCB13-1000"]);
    assert_eq!(find("变压器", true), vec!["IT-OLD-1", "IT-S13-500", "IT-SCB13-1000"]);
    assert_eq!(find("gsbyq", false), vec!["IT-SCB13-1000"], "干式变压器 by pinyin initials");
    assert_eq!(find("GSBYQ", false), vec!["IT-SCB13-1000"]);
    assert_eq!(find("yjsbyq", false), vec!["IT-S13-500"]);
    assert_eq!(find("IT-KYN28A-12", false), vec!["IT-KYN28A-12"], "the full code");
    assert_eq!(find("kyn28", false), vec!["IT-KYN28A-12"], "a model fragment, any case");
    assert_eq!(find("1000/10", false), vec!["IT-SCB13-1000"]);
    assert_eq!(find("3×240", false), vec!["IT-YJV22-240"]);
    assert_eq!(find("电缆", false), vec!["IT-YJV22-240"]);
    assert_eq!(find("开关柜", false), vec!["IT-KYN28A-12"], "the category");
    assert!(find("断路器", true).is_empty());
    assert_eq!(find("", false).len(), 4);
}
