//! The customer archive (客户档案, DESIGN §2): search incl. two-character and pinyin queries,
//! visibility per role, duplicates, ownership (公海, 认领, 分配, 转交), merge, two seats editing
//! one customer, and the audit trail. Each test fills an office that has the demo staff and no
//! customers, so it sees exactly what it created.

use salesdesk::domain::customer::{Customer, CustomerDraft, Grade};
use salesdesk::domain::ids::{CustomerId, UserId};
use salesdesk::service::{Actor, CustomerFilter, DuplicateReason, OwnerFilter, Service, ServiceError};
use salesdesk::store::StoreError;

use crate::support::{
    add_customer, assert_field_error, audit_with_action, contact, credit_code, customer, sign_in, staff_office, user,
};

/// The names the actor finds with this filter, sorted.
fn found(svc: &mut Service, actor: &Actor, filter: &CustomerFilter) -> Vec<String> {
    let page = svc.search_customers(actor, filter, 0).expect("the search runs");
    assert_eq!(page.rows.len(), page.matched, "no limit: every match is returned");
    let mut names: Vec<String> = page.rows.iter().map(|r| r.name.clone()).collect();
    names.sort();
    names
}

/// The names the actor finds by typing `query` into the search box, sorted.
fn search(svc: &mut Service, actor: &Actor, query: &str) -> Vec<String> {
    found(svc, actor, &CustomerFilter { query: query.into(), ..Default::default() })
}

fn sorted(names: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

fn id_of(svc: &mut Service, admin: &Actor, login: &str) -> UserId {
    user(svc, admin, login).id
}

/// A customer as the head sees it (the head sees every customer).
fn as_head(svc: &mut Service, id: CustomerId) -> Customer {
    let head = sign_in(svc, "zhaomin");
    svc.customer(&head, id).expect("the head opens any customer")
}

fn with_place(name: &str, grade: Grade, province: &str, industry: &str) -> CustomerDraft {
    CustomerDraft { grade, province: province.into(), industry: industry.into(), ..customer(name) }
}

// ---------------------------------------------------------------------------------------------
// Search

#[test]
fn a_two_character_chinese_query_finds_every_name_containing_it() {
    let (_dir, mut svc) = staff_office();
    let head = sign_in(&mut svc, "zhaomin");
    for name in ["重庆市电力公司", "江苏华能电力设备有限公司", "浙江中天电缆有限公司", "力源电气有限公司"]
    {
        add_customer(&mut svc, &head, customer(name), None);
    }
    assert_eq!(search(&mut svc, &head, "电力"), sorted(&["江苏华能电力设备有限公司", "重庆市电力公司"]));
    assert_eq!(search(&mut svc, &head, "电缆"), sorted(&["浙江中天电缆有限公司"]));
    // Two words must both match; a word that matches nothing finds nothing.
    assert_eq!(search(&mut svc, &head, "电力 江苏"), sorted(&["江苏华能电力设备有限公司"]));
    assert!(search(&mut svc, &head, "电机").is_empty());
    // An empty query lists everything.
    assert_eq!(search(&mut svc, &head, "").len(), 4);
}

#[test]
fn pinyin_initials_find_a_name_under_every_reading_of_a_heteronym() {
    let (_dir, mut svc) = staff_office();
    let head = sign_in(&mut svc, "zhaomin");
    add_customer(&mut svc, &head, customer("重庆市电力公司"), None);
    add_customer(&mut svc, &head, customer("江苏华能电力设备有限公司"), None);
    // 重 reads chóng (重庆) and zhòng: both initials find it, upper or lower case.
    assert_eq!(search(&mut svc, &head, "cq"), sorted(&["重庆市电力公司"]));
    assert_eq!(search(&mut svc, &head, "zq"), sorted(&["重庆市电力公司"]));
    assert_eq!(search(&mut svc, &head, "CQSDL"), sorted(&["重庆市电力公司"]));
    assert_eq!(search(&mut svc, &head, "hndl"), sorted(&["江苏华能电力设备有限公司"]));
    assert_eq!(search(&mut svc, &head, "dl"), sorted(&["江苏华能电力设备有限公司", "重庆市电力公司"]));
    assert!(search(&mut svc, &head, "xq").is_empty());
}

#[test]
fn a_contact_name_or_a_phone_fragment_finds_the_customer() {
    let (_dir, mut svc) = staff_office();
    let head = sign_in(&mut svc, "zhaomin");
    let mut draft = customer("浙江中天电缆有限公司");
    draft.phone = "0571-88886666".into();
    draft.contacts = vec![contact("张卫东", "13800138123"), contact("李娜", "13900139456")];
    add_customer(&mut svc, &head, draft, None);
    add_customer(&mut svc, &head, customer("重庆市电力公司"), None);
    let zhongtian = sorted(&["浙江中天电缆有限公司"]);
    assert_eq!(search(&mut svc, &head, "张卫东"), zhongtian);
    assert_eq!(search(&mut svc, &head, "李娜"), zhongtian, "any contact, not only the main one");
    assert_eq!(search(&mut svc, &head, "zwd"), zhongtian, "a contact's pinyin initials");
    assert_eq!(search(&mut svc, &head, "0138123"), zhongtian, "the end of a mobile number");
    assert_eq!(search(&mut svc, &head, "1390013"), zhongtian, "the start of another contact's mobile");
    assert_eq!(search(&mut svc, &head, "88886666"), zhongtian, "the switchboard");
    assert!(search(&mut svc, &head, "13700137").is_empty());
}

#[test]
fn filters_narrow_the_list_by_owner_grade_province_and_industry() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let (liqiang, wangfang) = (id_of(&mut svc, &admin, "liqiang"), id_of(&mut svc, &admin, "wangfang"));
    let head = sign_in(&mut svc, "zhaomin");
    add_customer(&mut svc, &head, with_place("江苏华能电力设备有限公司", Grade::A, "江苏", "电力"), Some(liqiang));
    add_customer(&mut svc, &head, with_place("浙江中天电缆有限公司", Grade::B, "浙江", "电网"), Some(wangfang));
    add_customer(&mut svc, &head, with_place("重庆市电力公司", Grade::C, "重庆", "电力"), None);
    add_customer(&mut svc, &head, with_place("南京港华燃气有限公司", Grade::A, "江苏", "市政"), Some(liqiang));

    let filter = |owner, grade, province: &str, industry: &str| CustomerFilter {
        query: String::new(),
        owner,
        grade,
        province: province.into(),
        industry: industry.into(),
    };
    let any = OwnerFilter::Any;
    assert_eq!(
        found(&mut svc, &head, &filter(OwnerFilter::User(wangfang), None, "", "")),
        sorted(&["浙江中天电缆有限公司"])
    );
    assert_eq!(found(&mut svc, &head, &filter(OwnerFilter::Pool, None, "", "")), sorted(&["重庆市电力公司"]));
    assert_eq!(
        found(&mut svc, &head, &filter(any, Some(Grade::A), "", "")),
        sorted(&["南京港华燃气有限公司", "江苏华能电力设备有限公司"])
    );
    assert_eq!(found(&mut svc, &head, &filter(any, None, "重庆", "")), sorted(&["重庆市电力公司"]));
    assert_eq!(
        found(&mut svc, &head, &filter(any, None, "", "电力")),
        sorted(&["江苏华能电力设备有限公司", "重庆市电力公司"])
    );
    assert_eq!(
        found(&mut svc, &head, &filter(any, Some(Grade::A), "江苏", "电力")),
        sorted(&["江苏华能电力设备有限公司"])
    );
    // Filters combine with the search box.
    let typed = CustomerFilter { query: "gh".into(), ..filter(OwnerFilter::User(liqiang), None, "江苏", "") };
    assert_eq!(found(&mut svc, &head, &typed), sorted(&["南京港华燃气有限公司"]));

    // A salesperson's 我的客户 and 公海.
    let li = sign_in(&mut svc, "liqiang");
    assert_eq!(
        found(&mut svc, &li, &filter(OwnerFilter::Mine, None, "", "")),
        sorted(&["南京港华燃气有限公司", "江苏华能电力设备有限公司"])
    );
    assert_eq!(found(&mut svc, &li, &filter(OwnerFilter::Pool, None, "", "")), sorted(&["重庆市电力公司"]));
    // Asking for a colleague's customers by filter shows nothing either.
    assert!(found(&mut svc, &li, &filter(OwnerFilter::User(wangfang), None, "", "")).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Visibility

/// liqiang's, wangfang's and a pool customer, created by the head.
fn three_owners(svc: &mut Service) -> (Customer, Customer, Customer) {
    let admin = sign_in(svc, "admin");
    let (liqiang, wangfang) = (id_of(svc, &admin, "liqiang"), id_of(svc, &admin, "wangfang"));
    let head = sign_in(svc, "zhaomin");
    let mut mine = customer("江苏华能电力设备有限公司");
    mine.contacts = vec![contact("王建", "13951100101")];
    let mut theirs = customer("浙江中天电力电缆有限公司");
    theirs.contacts = vec![contact("张卫东", "13800138123")];
    let pool = customer("重庆市电力公司");
    (
        add_customer(svc, &head, mine, Some(liqiang)),
        add_customer(svc, &head, theirs, Some(wangfang)),
        add_customer(svc, &head, pool, None),
    )
}

#[test]
fn a_salesperson_sees_own_and_pool_customers_but_not_a_colleagues() {
    let (_dir, mut svc) = staff_office();
    let (mine, theirs, pool) = three_owners(&mut svc);
    let li = sign_in(&mut svc, "liqiang");
    let page = svc.search_customers(&li, &CustomerFilter::default(), 0).expect("lists");
    let ids: Vec<CustomerId> = page.rows.iter().map(|r| r.id).collect();
    assert!(ids.contains(&mine.id) && ids.contains(&pool.id), "{ids:?}");
    assert!(!ids.contains(&theirs.id), "a colleague's customer is not listed");
    assert_eq!(page.visible_total, 2);
    // Neither by name, contact nor phone.
    assert_eq!(search(&mut svc, &li, "电力"), sorted(&["江苏华能电力设备有限公司", "重庆市电力公司"]));
    assert!(search(&mut svc, &li, "张卫东").is_empty());
    assert!(search(&mut svc, &li, "138123").is_empty());
    // The service refuses the card itself, not only the list.
    svc.customer(&li, mine.id).expect("own customer");
    svc.customer(&li, pool.id).expect("pool customer");
    let err = svc.customer(&li, theirs.id).expect_err("a colleague's customer");
    assert!(matches!(err, ServiceError::Denied(_)), "{err:?}");
    assert!(err.to_string().contains("不是您负责的客户"), "{err}");
}

#[test]
fn head_assistant_leader_and_admin_see_every_customer() {
    let (_dir, mut svc) = staff_office();
    let (mine, theirs, pool) = three_owners(&mut svc);
    for login in ["zhaomin", "sunli", "zhoujg", "admin"] {
        let actor = sign_in(&mut svc, login);
        let page = svc.search_customers(&actor, &CustomerFilter::default(), 0).expect("lists");
        assert_eq!(page.visible_total, 3, "{login}");
        assert_eq!(page.matched, 3, "{login}");
        for c in [&mine, &theirs, &pool] {
            let card = svc.customer(&actor, c.id).unwrap_or_else(|e| panic!("{login} opens {}: {e}", c.draft.name));
            assert_eq!(card.draft.name, c.draft.name);
        }
    }
}

#[test]
fn a_salesperson_editing_a_colleagues_customer_is_refused_and_nothing_changes() {
    let (_dir, mut svc) = staff_office();
    let (_mine, theirs, _pool) = three_owners(&mut svc);
    let admin = sign_in(&mut svc, "admin");
    let updates_before = audit_with_action(&mut svc, &admin, "customer.update").len();
    let li = sign_in(&mut svc, "liqiang");
    let mut edit = theirs.draft.clone();
    edit.notes = "我来跟进".into();
    edit.grade = Grade::A;
    let err = svc.update_customer(&li, theirs.id, theirs.version, edit).expect_err("not theirs");
    assert!(matches!(err, ServiceError::Denied(_)), "{err:?}");
    let after = as_head(&mut svc, theirs.id);
    assert_eq!(after.draft, theirs.draft);
    assert_eq!(after.version, theirs.version);
    assert_eq!(after.owner, theirs.owner);
    assert_eq!(audit_with_action(&mut svc, &admin, "customer.update").len(), updates_before);
}

#[test]
fn a_pool_customer_must_be_claimed_before_a_salesperson_edits_it() {
    let (_dir, mut svc) = staff_office();
    let (_mine, _theirs, pool) = three_owners(&mut svc);
    let li = sign_in(&mut svc, "liqiang");
    let mut edit = pool.draft.clone();
    edit.city = "渝中区".into();
    let err = svc.update_customer(&li, pool.id, pool.version, edit.clone()).expect_err("claim first");
    assert!(matches!(err, ServiceError::Denied(_)), "{err:?}");
    assert!(err.to_string().contains("认领"), "{err}");
    assert_eq!(as_head(&mut svc, pool.id).draft.city, "");

    let li = sign_in(&mut svc, "liqiang");
    let claimed = svc.claim_customer(&li, pool.id, pool.version).expect("claims");
    assert_eq!(claimed.owner, Some(li.id()));
    let saved = svc.update_customer(&li, pool.id, claimed.version, edit).expect("edits after claiming");
    assert_eq!(saved.draft.city, "渝中区");
}

// ---------------------------------------------------------------------------------------------
// Create

#[test]
fn a_salesperson_owns_what_they_create_the_assistants_go_to_the_pool_and_the_head_chooses() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let wangfang = id_of(&mut svc, &admin, "wangfang");
    let li = sign_in(&mut svc, "liqiang");
    let c = svc.create_customer(&li, customer("江苏华能电力设备有限公司"), Some(wangfang), false).expect("creates");
    assert_eq!(c.owner, Some(li.id()), "a salesperson cannot hand a new customer to someone else");
    assert_eq!(c.owner_name, "李强");

    let assistant = sign_in(&mut svc, "sunli");
    let c = svc.create_customer(&assistant, customer("浙江中天电缆有限公司"), Some(wangfang), false).expect("creates");
    assert_eq!(c.owner, None, "the assistant's customers go to the pool");

    let head = sign_in(&mut svc, "zhaomin");
    let c = svc.create_customer(&head, customer("重庆市电力公司"), Some(wangfang), false).expect("creates");
    assert_eq!((c.owner, c.owner_name.as_str()), (Some(wangfang), "王芳"));
    let c = svc.create_customer(&head, customer("南京港华燃气有限公司"), None, false).expect("creates");
    assert_eq!(c.owner, None);

    // Only someone who may edit customers creates them.
    let tech = sign_in(&mut svc, "chenming");
    let err = svc.create_customer(&tech, customer("上海电气输配电有限公司"), None, false).expect_err("tech");
    assert!(matches!(err, ServiceError::Denied(_)), "{err:?}");
    assert_eq!(search(&mut svc, &head, "上海").len(), 0);
}

#[test]
fn an_invalid_credit_code_is_a_field_error_and_nothing_is_created() {
    let (_dir, mut svc) = staff_office();
    let li = sign_in(&mut svc, "liqiang");
    let mut draft = customer("江苏华能电力设备有限公司");
    let good = credit_code(1);
    // The last character is the check character: change it.
    let bad_check = if good.ends_with('1') { format!("{}2", &good[..17]) } else { format!("{}1", &good[..17]) };
    for bad in [bad_check.as_str(), "91320594MA1X", "这不是信用代码"] {
        draft.credit_code = bad.into();
        let err = svc.create_customer(&li, draft.clone(), None, true).expect_err("invalid code");
        assert_field_error(&err, "credit_code");
    }
    assert!(search(&mut svc, &li, "").is_empty());
    // Lower case and spaces are normalised, not refused.
    draft.credit_code = format!(" {} ", good.to_lowercase());
    let c = svc.create_customer(&li, draft, None, false).expect("a valid code");
    assert_eq!(c.draft.credit_code, good);
}

#[test]
fn the_same_credit_code_is_refused_even_when_confirmed() {
    let (_dir, mut svc) = staff_office();
    let wang = sign_in(&mut svc, "wangfang");
    let mut first = customer("江苏华能电力设备有限公司");
    first.credit_code = credit_code(7);
    add_customer(&mut svc, &wang, first, None);

    let li = sign_in(&mut svc, "liqiang");
    let mut second = customer("南京港华燃气有限公司");
    second.credit_code = credit_code(7).to_lowercase();
    for confirmed in [false, true] {
        let err = svc.create_customer(&li, second.clone(), None, confirmed).expect_err("same credit code");
        assert_field_error(&err, "credit_code");
        let message = err.field_message("credit_code").unwrap_or_default();
        assert!(message.contains("江苏华能电力设备有限公司") && message.contains("王芳"), "{message}");
    }
    let head = sign_in(&mut svc, "zhaomin");
    assert_eq!(search(&mut svc, &head, ""), sorted(&["江苏华能电力设备有限公司"]));

    // Nor can an existing customer be edited to carry it.
    let other = add_customer(&mut svc, &li, customer("南京港华燃气有限公司"), None);
    let mut edit = other.draft.clone();
    edit.credit_code = credit_code(7);
    let err = svc.update_customer(&li, other.id, other.version, edit).expect_err("same code on edit");
    assert_field_error(&err, "credit_code");
}

#[test]
fn a_similar_name_is_a_possible_duplicate_that_a_salesperson_sees_only_by_name() {
    let (_dir, mut svc) = staff_office();
    let wang = sign_in(&mut svc, "wangfang");
    let existing = add_customer(&mut svc, &wang, customer("江苏华能电力设备有限公司"), None);
    add_customer(&mut svc, &wang, customer("浙江中天电缆有限公司"), None);

    let li = sign_in(&mut svc, "liqiang");
    let err = svc
        .create_customer(&li, customer("华能电力设备（江苏）有限公司"), None, false)
        .expect_err("looks like an existing customer");
    let ServiceError::PossibleDuplicates(hints) = &err else { panic!("expected PossibleDuplicates, got {err:?}") };
    assert_eq!(hints.len(), 1, "{hints:?}");
    let hint = &hints[0];
    assert_eq!((hint.id, hint.name.as_str()), (existing.id, "江苏华能电力设备有限公司"));
    assert_eq!(hint.owner_name, "王芳");
    assert!(!hint.visible, "a colleague's customer is shown by name only");
    assert!(matches!(hint.reasons.as_slice(), [DuplicateReason::SimilarName(s)] if *s >= 0.8), "{:?}", hint.reasons);
    assert!(err.to_string().contains("江苏华能电力设备有限公司"), "{err}");
    assert!(search(&mut svc, &li, "华能").is_empty(), "nothing was created");

    // The head may open it.
    let head = sign_in(&mut svc, "zhaomin");
    let hints = svc.find_duplicates(&head, &customer("华能电力设备(江苏)有限公司"), None).expect("checks");
    assert!(hints.iter().any(|h| h.id == existing.id && h.visible), "{hints:?}");

    // Confirmed after seeing it, the salesperson creates and owns the new one.
    let li = sign_in(&mut svc, "liqiang");
    let created = svc.create_customer(&li, customer("华能电力设备（江苏）有限公司"), None, true).expect("confirmed");
    assert_eq!(created.draft.name, "华能电力设备(江苏)有限公司", "full-width brackets are normalised");
    assert_eq!(created.owner, Some(li.id()));
    assert_eq!(search(&mut svc, &head, "华能").len(), 2);
}

#[test]
fn a_shared_phone_number_is_a_possible_duplicate() {
    let (_dir, mut svc) = staff_office();
    let head = sign_in(&mut svc, "zhaomin");
    let mut first = customer("浙江中天电缆有限公司");
    first.phone = "0571-88886666".into();
    first.contacts = vec![contact("张卫东", "13800138123")];
    let existing = add_customer(&mut svc, &head, first, None);

    // The same mobile, written differently, on a contact of a differently named customer.
    let mut by_mobile = customer("杭州市滨江区城建发展有限公司");
    by_mobile.contacts = vec![contact("张卫东", "+86 138 0013 8123")];
    let err = svc.create_customer(&head, by_mobile.clone(), None, false).expect_err("same mobile");
    let ServiceError::PossibleDuplicates(hints) = err else { panic!("expected PossibleDuplicates") };
    assert_eq!(hints.len(), 1);
    assert_eq!(hints[0].id, existing.id);
    assert_eq!(hints[0].reasons, vec![DuplicateReason::SamePhone("13800138123".into())]);

    // The same switchboard number.
    let mut by_phone = customer("宁波东方电缆股份有限公司");
    by_phone.phone = "(0571)88886666".into();
    let err = svc.create_customer(&head, by_phone, None, false).expect_err("same phone");
    let ServiceError::PossibleDuplicates(hints) = err else { panic!("expected PossibleDuplicates") };
    assert_eq!(hints[0].reasons, vec![DuplicateReason::SamePhone("057188886666".into())]);

    let created = svc.create_customer(&head, by_mobile, None, true).expect("confirmed");
    assert_ne!(created.id, existing.id);
}

#[test]
fn a_number_a_customer_no_longer_has_is_no_longer_a_duplicate() {
    let (_dir, mut svc) = staff_office();
    let head = sign_in(&mut svc, "zhaomin");
    let mut draft = customer("浙江中天电缆有限公司");
    draft.contacts = vec![contact("张卫东", "13800138123")];
    let c = add_customer(&mut svc, &head, draft, None);
    // Saved twice without a change of number: still one reason, not one per save.
    let c = svc.update_customer(&head, c.id, c.version, c.draft.clone()).expect("saves");
    let c = svc.update_customer(&head, c.id, c.version, c.draft.clone()).expect("saves again");
    let probe =
        CustomerDraft { contacts: vec![contact("王五", "13800138123")], ..customer("无锡市新区供电所") };
    let hints = svc.find_duplicates(&head, &probe, None).expect("checks");
    assert_eq!(hints.len(), 1);
    assert_eq!(hints[0].reasons.len(), 1, "{:?}", hints[0].reasons);

    // The contact changes their number: the old one belongs to nobody now.
    let mut edit = c.draft.clone();
    edit.contacts[0].mobile = "13900139000".into();
    svc.update_customer(&head, c.id, c.version, edit).expect("saves the new number");
    assert!(svc.find_duplicates(&head, &probe, None).expect("checks").is_empty());
    assert!(search(&mut svc, &head, "13800138123").is_empty());
    assert_eq!(search(&mut svc, &head, "13900139000"), sorted(&["浙江中天电缆有限公司"]));
}

// ---------------------------------------------------------------------------------------------
// Ownership

#[test]
fn claiming_takes_a_pool_customer_and_refuses_an_owned_one() {
    let (_dir, mut svc) = staff_office();
    let (mine, _theirs, pool) = three_owners(&mut svc);
    let li = sign_in(&mut svc, "liqiang");
    let claimed = svc.claim_customer(&li, pool.id, pool.version).expect("claims a pool customer");
    assert_eq!((claimed.owner, claimed.owner_name.as_str()), (Some(li.id()), "李强"));

    let wang = sign_in(&mut svc, "wangfang");
    let err = svc.claim_customer(&wang, pool.id, claimed.version).expect_err("already claimed");
    assert_eq!(err.rule_code(), Some("customer.owned"), "{err:?}");
    assert!(err.to_string().contains("李强"), "{err}");
    let err = svc.claim_customer(&wang, mine.id, mine.version).expect_err("owned by a colleague");
    assert_eq!(err.rule_code(), Some("customer.owned"), "{err:?}");
    assert_eq!(as_head(&mut svc, mine.id).owner, mine.owner);
    // Now it is a colleague's: wangfang cannot even see it.
    assert!(matches!(svc.customer(&wang, pool.id), Err(ServiceError::Denied(_))));

    // Only salespeople claim.
    let head = sign_in(&mut svc, "zhaomin");
    let pool2 = add_customer(&mut svc, &head, customer("南京港华燃气有限公司"), None);
    let err = svc.claim_customer(&head, pool2.id, pool2.version).expect_err("the head assigns instead");
    assert!(matches!(err, ServiceError::Denied(_)), "{err:?}");
    assert_eq!(as_head(&mut svc, pool2.id).owner, None);
}

#[test]
fn only_the_head_assigns_and_only_to_an_active_salesperson() {
    let (_dir, mut svc) = staff_office();
    let (mine, _theirs, pool) = three_owners(&mut svc);
    let admin = sign_in(&mut svc, "admin");
    let (wangfang, chenming) = (id_of(&mut svc, &admin, "wangfang"), id_of(&mut svc, &admin, "chenming"));

    for login in ["liqiang", "sunli", "admin", "zhoujg"] {
        let actor = sign_in(&mut svc, login);
        let err = svc.assign_customer(&actor, pool.id, pool.version, Some(wangfang)).expect_err("not the head");
        assert!(matches!(err, ServiceError::Denied(_)), "{login}: {err:?}");
    }
    assert_eq!(as_head(&mut svc, pool.id).owner, None);

    let head = sign_in(&mut svc, "zhaomin");
    let err = svc.assign_customer(&head, pool.id, pool.version, Some(chenming)).expect_err("not a salesperson");
    assert_field_error(&err, "owner");
    assert!(err.to_string().contains("陈明"), "{err}");
    assert_eq!(as_head(&mut svc, pool.id).owner, None);

    let head = sign_in(&mut svc, "zhaomin");
    let assigned = svc.assign_customer(&head, pool.id, pool.version, Some(wangfang)).expect("assigns");
    assert_eq!((assigned.owner, assigned.owner_name.as_str()), (Some(wangfang), "王芳"));
    // Back to the pool.
    let returned = svc.assign_customer(&head, mine.id, mine.version, None).expect("returns to the pool");
    assert_eq!(returned.owner, None);
    let wang = sign_in(&mut svc, "wangfang");
    let visible = search(&mut svc, &wang, "");
    assert!(
        visible.contains(&"重庆市电力公司".to_string()) && visible.contains(&"江苏华能电力设备有限公司".to_string())
    );
}

#[test]
fn reassigning_a_leavers_customers_moves_exactly_theirs() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let liuyang = user(&mut svc, &admin, "liuyang");
    let (liqiang, wangfang) = (id_of(&mut svc, &admin, "liqiang"), id_of(&mut svc, &admin, "wangfang"));
    let head = sign_in(&mut svc, "zhaomin");
    for name in ["重庆市电力公司", "四川省电力公司", "贵州电网有限责任公司"] {
        add_customer(&mut svc, &head, customer(name), Some(liuyang.id));
    }
    add_customer(&mut svc, &head, customer("江苏华能电力设备有限公司"), Some(liqiang));
    add_customer(&mut svc, &head, customer("浙江中天电缆有限公司"), None);

    // liuyang leaves: deactivated first, the customers stay his until handed over.
    svc.set_user_active(&admin, liuyang.id, liuyang.version, false).expect("deactivated");
    let li = sign_in(&mut svc, "liqiang");
    let err = svc.reassign_customers(&li, liuyang.id, Some(liqiang)).expect_err("not the head");
    assert!(matches!(err, ServiceError::Denied(_)), "{err:?}");
    // A deactivated user cannot take them over.
    let head = sign_in(&mut svc, "zhaomin");
    let err = svc.reassign_customers(&head, liqiang, Some(liuyang.id)).expect_err("to a leaver");
    assert_field_error(&err, "owner");

    let moved = svc.reassign_customers(&head, liuyang.id, Some(wangfang)).expect("hands over");
    assert_eq!(moved, 3);
    let by = |owner| CustomerFilter { owner, ..Default::default() };
    assert_eq!(
        found(&mut svc, &head, &by(OwnerFilter::User(wangfang))),
        sorted(&["四川省电力公司", "贵州电网有限责任公司", "重庆市电力公司"])
    );
    assert!(found(&mut svc, &head, &by(OwnerFilter::User(liuyang.id))).is_empty());
    assert_eq!(found(&mut svc, &head, &by(OwnerFilter::User(liqiang))), sorted(&["江苏华能电力设备有限公司"]));
    assert_eq!(found(&mut svc, &head, &by(OwnerFilter::Pool)), sorted(&["浙江中天电缆有限公司"]));
    let entries = audit_with_action(&mut svc, &admin, "customer.reassign_all");
    assert_eq!(entries.len(), 1);
    assert!(entries[0].after.contains("\"customers\":3"), "{}", entries[0].after);
    // The new owner sees them as their own at once.
    let wang = sign_in(&mut svc, "wangfang");
    assert_eq!(found(&mut svc, &wang, &by(OwnerFilter::Mine)).len(), 3);
}

// ---------------------------------------------------------------------------------------------
// Merge

#[test]
fn merging_moves_the_contacts_and_retires_the_duplicate() {
    let (_dir, mut svc) = staff_office();
    let head = sign_in(&mut svc, "zhaomin");
    let mut keep = customer("江苏华能电力设备有限公司");
    keep.contacts = vec![contact("王建", "13951100101")];
    let keep = add_customer(&mut svc, &head, keep, None);
    let mut dup = customer("华能电力设备(江苏)有限公司");
    dup.contacts = vec![contact("李娜", "13951100102"), contact("陈刚", "13951100103")];
    let dup = add_customer(&mut svc, &head, dup, None);

    // A salesperson may not merge: nothing changes.
    let li = sign_in(&mut svc, "liqiang");
    let err = svc.merge_customers(&li, (keep.id, keep.version), (dup.id, dup.version)).expect_err("not the head");
    assert!(matches!(err, ServiceError::Denied(_)), "{err:?}");
    assert_eq!(search(&mut svc, &li, "华能").len(), 2);

    let head = sign_in(&mut svc, "zhaomin");
    let err = svc.merge_customers(&head, (keep.id, keep.version), (keep.id, keep.version)).expect_err("itself");
    assert_eq!(err.rule_code(), Some("customer.merge_self"), "{err:?}");

    let merged = svc.merge_customers(&head, (keep.id, keep.version), (dup.id, dup.version)).expect("merges");
    let contacts: Vec<(&str, bool)> = merged.draft.contacts.iter().map(|c| (c.name.as_str(), c.primary)).collect();
    assert_eq!(contacts, vec![("王建", false), ("李娜", false), ("陈刚", false)]);
    assert_eq!(merged.draft.name, "江苏华能电力设备有限公司");

    assert_eq!(search(&mut svc, &head, "华能"), sorted(&["江苏华能电力设备有限公司"]));
    // The moved contacts now find the kept customer.
    assert_eq!(search(&mut svc, &head, "李娜"), sorted(&["江苏华能电力设备有限公司"]));
    assert_eq!(search(&mut svc, &head, "13951100103"), sorted(&["江苏华能电力设备有限公司"]));
    let err = svc.customer(&head, dup.id).expect_err("merged away");
    assert!(matches!(err, ServiceError::Store(StoreError::NotFound(_))), "{err:?}");

    let admin = sign_in(&mut svc, "admin");
    let entries = audit_with_action(&mut svc, &admin, "customer.merge");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].entity_id, keep.id.to_string());
    assert!(entries[0].after.contains("华能电力设备(江苏)有限公司"), "{}", entries[0].after);
    assert_eq!(entries[0].actor, "赵敏 (zhaomin)");
}

#[test]
fn a_merged_customer_stays_gone_after_a_restart() {
    let (dir, mut svc) = staff_office();
    let head = sign_in(&mut svc, "zhaomin");
    let keep = add_customer(&mut svc, &head, customer("江苏华能电力设备有限公司"), None);
    let dup = add_customer(&mut svc, &head, customer("华能电力设备(江苏)有限公司"), None);
    svc.merge_customers(&head, (keep.id, keep.version), (dup.id, dup.version)).expect("merges");
    drop(svc);
    let mut svc = crate::support::reopen(&dir).expect("reopens");
    let head = sign_in(&mut svc, "zhaomin");
    assert_eq!(search(&mut svc, &head, "华能"), sorted(&["江苏华能电力设备有限公司"]));
    assert!(svc.customer(&head, dup.id).is_err());
    // And it no longer counts as a duplicate of a new customer.
    let hints = svc.find_duplicates(&head, &customer("华能电力设备有限公司"), None).expect("checks");
    assert_eq!(hints.iter().map(|h| h.id).collect::<Vec<_>>(), vec![keep.id]);
}

// ---------------------------------------------------------------------------------------------
// Two seats, and the audit trail

#[test]
fn a_second_seat_saving_an_old_version_is_refused_naming_who_changed_it() {
    let (dir, mut first) = staff_office();
    let head = sign_in(&mut first, "zhaomin");
    let mut draft = customer("江苏华能电力设备有限公司");
    draft.contacts = vec![contact("王建", "13951100101")];
    let created = add_customer(&mut first, &head, draft, None);
    let mut second = crate::support::reopen(&dir).expect("a second seat opens the same file");

    let li = sign_in(&mut first, "liqiang");
    let claimed = first.claim_customer(&li, created.id, created.version).expect("claims");
    let head2 = sign_in(&mut second, "zhaomin");
    let on_first = first.customer(&li, created.id).expect("loads");
    let on_second = second.customer(&head2, created.id).expect("loads");
    assert_eq!(on_first.version, on_second.version);
    assert_eq!(on_first.version, claimed.version);

    let mut mine = on_first.draft.clone();
    mine.grade = Grade::A;
    first.update_customer(&li, created.id, on_first.version, mine).expect("the first save wins");

    let mut theirs = on_second.draft.clone();
    theirs.notes = "赵敏的备注".into();
    let err = second.update_customer(&head2, created.id, on_second.version, theirs).expect_err("stale version");
    assert!(err.is_conflict(), "{err:?}");
    let ServiceError::Store(StoreError::Conflict { by, .. }) = &err else { panic!("{err:?}") };
    assert!(by.contains("李强"), "{by}");
    assert!(err.to_string().contains("李强"), "{err}");

    let stored = second.customer(&head2, created.id).expect("reloads");
    assert_eq!(stored.draft.grade, Grade::A);
    assert_eq!(stored.draft.notes, "");
    // Claiming, assigning and merging check the version too.
    let wang = sign_in(&mut second, "wangfang");
    let err = second.assign_customer(&head2, created.id, on_second.version, Some(wang.id())).expect_err("stale");
    assert!(err.is_conflict(), "{err:?}");
}

#[test]
fn a_second_seat_sees_customers_created_and_changed_on_the_first() {
    let (dir, mut first) = staff_office();
    let mut second = crate::support::reopen(&dir).expect("a second seat opens the same file");
    let head1 = sign_in(&mut first, "zhaomin");
    let head2 = sign_in(&mut second, "zhaomin");
    add_customer(&mut first, &head1, customer("重庆市电力公司"), None);
    // The second seat has its list loaded before the first seat adds more.
    assert_eq!(search(&mut second, &head2, ""), sorted(&["重庆市电力公司"]));

    let mut draft = customer("江苏华能电力设备有限公司");
    draft.contacts = vec![contact("王建", "13951100101")];
    let created = add_customer(&mut first, &head1, draft, None);
    assert_eq!(search(&mut second, &head2, "华能"), sorted(&["江苏华能电力设备有限公司"]), "a new customer");
    let hints = second.find_duplicates(&head2, &customer("华能电力设备(江苏)有限公司"), None).expect("checks");
    assert_eq!(hints.iter().map(|h| h.id).collect::<Vec<_>>(), vec![created.id], "and it counts as a duplicate");

    let mut edit = created.draft.clone();
    edit.contacts[0].name = "王建国".into();
    first.update_customer(&head1, created.id, created.version, edit).expect("saves");
    assert_eq!(search(&mut second, &head2, "王建国"), sorted(&["江苏华能电力设备有限公司"]), "a changed one");

    // Writes that touch no customer (a sign-in, a product) keep the second seat's list as it is.
    sign_in(&mut first, "liqiang");
    assert_eq!(search(&mut second, &head2, "").len(), 2);
}

#[test]
fn every_change_to_a_customer_is_audited_with_who_did_it() {
    let (_dir, mut svc) = staff_office();
    let admin = sign_in(&mut svc, "admin");
    let wangfang = id_of(&mut svc, &admin, "wangfang");
    let assistant = sign_in(&mut svc, "sunli");
    let c = svc.create_customer(&assistant, customer("重庆市电力公司"), None, false).expect("creates");
    let li = sign_in(&mut svc, "liqiang");
    let c = svc.claim_customer(&li, c.id, c.version).expect("claims");
    let mut edit = c.draft.clone();
    edit.grade = Grade::B;
    let c = svc.update_customer(&li, c.id, c.version, edit).expect("edits");
    let head = sign_in(&mut svc, "zhaomin");
    svc.assign_customer(&head, c.id, c.version, Some(wangfang)).expect("assigns");

    let id = c.id.to_string();
    let expected = [
        ("customer.create", "孙丽 (sunli)"),
        ("customer.claim", "李强 (liqiang)"),
        ("customer.update", "李强 (liqiang)"),
        ("customer.assign", "赵敏 (zhaomin)"),
    ];
    for (action, who) in expected {
        let entries = audit_with_action(&mut svc, &admin, action);
        assert_eq!(entries.len(), 1, "{action}");
        assert_eq!((entries[0].entity.as_str(), entries[0].entity_id.as_str()), ("customer", id.as_str()), "{action}");
        assert_eq!(entries[0].actor, who, "{action}");
    }
    let update = &audit_with_action(&mut svc, &admin, "customer.update")[0];
    assert!(update.before.contains("\"grade\":\"C\"") && update.after.contains("\"grade\":\"B\""), "{update:?}");
    let assign = &audit_with_action(&mut svc, &admin, "customer.assign")[0];
    assert!(assign.after.contains("李强") && assign.after.contains("王芳"), "{}", assign.after);
    // Refused calls leave no trace.
    let li = sign_in(&mut svc, "liqiang");
    let _ = svc.claim_customer(&li, c.id, c.version + 1);
    assert_eq!(audit_with_action(&mut svc, &admin, "customer.claim").len(), 1);
    assert!(svc.check().expect("checks").chain_break.is_none());
}

#[test]
fn a_merge_names_the_kept_customers_version_as_the_head_saw_it_and_is_refused_if_it_changed_since() {
    let (dir, mut svc) = staff_office();
    let head = sign_in(&mut svc, "zhaomin");
    let keep = add_customer(&mut svc, &head, customer("江苏华能电力设备有限公司"), None);
    let dup = add_customer(&mut svc, &head, customer("华能电力设备(江苏)有限公司"), None);
    let dup = svc.customer(&head, dup.id).expect("opens");
    let hints = svc.find_duplicates(&head, &dup.draft, Some(dup.id)).expect("similar");
    let hint = hints.iter().find(|h| h.id == keep.id).expect("the kept customer is similar").clone();
    assert_eq!(hint.version, keep.version, "the hint carries the version it was found at");

    // Another seat edits the kept customer after the head saw the hint: the merge is refused,
    // naming who changed it, and nothing moves.
    let mut seat = svc_beside(&dir);
    let head_there = sign_in(&mut seat, "zhaomin");
    let mut edited = keep.draft.clone();
    edited.phone = "025-86661234".into();
    seat.update_customer(&head_there, keep.id, keep.version, edited).expect("the other seat saves");
    let err = svc.merge_customers(&head, (hint.id, hint.version), (dup.id, dup.version)).expect_err("stale");
    assert!(err.is_conflict(), "{err:?}");
    assert!(svc.customer(&head, dup.id).is_ok(), "the duplicate is still there");

    let hints = svc.find_duplicates(&head, &dup.draft, Some(dup.id)).expect("similar again");
    let hint = hints.iter().find(|h| h.id == keep.id).expect("still similar").clone();
    svc.merge_customers(&head, (hint.id, hint.version), (dup.id, dup.version)).expect("merges on what is current");
}

fn svc_beside(dir: &tempfile::TempDir) -> Service {
    crate::support::reopen(dir).expect("another seat opens the office")
}

#[test]
fn the_head_assigns_many_customers_in_one_step_and_each_is_audited() {
    let (_dir, mut svc) = staff_office();
    let (mine, theirs, pool) = three_owners(&mut svc);
    let admin = sign_in(&mut svc, "admin");
    let liuyang = id_of(&mut svc, &admin, "liuyang");
    let head = sign_in(&mut svc, "zhaomin");
    let li = sign_in(&mut svc, "liqiang");
    let all = [mine.id, theirs.id, pool.id];
    assert!(matches!(svc.assign_customers(&li, &all, Some(liuyang)), Err(ServiceError::Denied(_))));
    assert_field_error(&svc.assign_customers(&head, &[], Some(liuyang)).unwrap_err(), "customers");
    let before = audit_with_action(&mut svc, &admin, "customer.assign").len();
    assert_eq!(svc.assign_customers(&head, &all, Some(liuyang)).expect("assigned"), 3);
    for id in all {
        assert_eq!(as_head(&mut svc, id).owner, Some(liuyang));
    }
    assert_eq!(audit_with_action(&mut svc, &admin, "customer.assign").len(), before + 3, "one entry per customer");
    // Into the pool; one already there is left alone.
    svc.assign_customers(&head, &[pool.id], None).expect("to the pool");
    assert_eq!(svc.assign_customers(&head, &all, None).expect("the rest"), 2);
    assert!(all.iter().all(|id| as_head(&mut svc, *id).owner.is_none()));
}
