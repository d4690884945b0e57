//! Who reads which customers on the office server (issue 24, DESIGN §2): a salesperson's own
//! login reads their own customers, the shared pool and the customers they work on — not the
//! rest of the archive, through SalesDesk or `psql`; the duplicate warning and the credit-code
//! check still look at the whole archive, through one narrow server function.

use salesdesk::domain::customer::{CustomerDraft, SIMILAR_NAME, name_core, name_similarity};
use salesdesk::service::{DEMO_PASSWORD, DuplicateReason, Service, ServiceError};
use salesdesk::store::Location;

use crate::server_floors::one;
use crate::server_logins::{as_person, database, server_office};
use crate::support::{require_server, sign_in, url_as};

/// Someone else's customer that 王芳 has nothing to do with: (id, name, credit code, phone).
fn not_wangs(owner: &mut postgres::Client) -> (i64, String, String, String) {
    let row = owner
        .query_one(
            "SELECT c.id, c.name, c.credit_code, c.phone FROM customers c JOIN users u ON u.id = c.owner_id \
             WHERE u.login = 'liqiang' AND c.merged_into IS NULL AND c.credit_code <> '' AND length(c.phone) >= 8 \
               AND c.id NOT IN (SELECT customer_id FROM inquiries i JOIN users w ON w.id = i.registered_by \
                                WHERE w.login = 'wangfang' AND customer_id IS NOT NULL) \
               AND c.id NOT IN (SELECT customer_id FROM quotes q JOIN users w ON w.id = q.author_id WHERE w.login = 'wangfang') \
               AND c.id NOT IN (SELECT customer_id FROM visits v JOIN users w ON w.id = v.owner_id WHERE w.login = 'wangfang') \
             ORDER BY c.id LIMIT 1",
            &[],
        )
        .expect("李强 has customers 王芳 never worked on");
    (row.get(0), row.get(1), row.get(2), row.get(3))
}

#[test]
fn a_salespersons_login_reads_their_own_the_pool_and_what_they_work_on_and_nothing_else() {
    let Some(base) = require_server("customers") else { return };
    let (url, seat) = server_office(&base);
    drop(seat);
    let mut owner = postgres::Client::connect(&url, postgres::NoTls).expect("the owner connects");
    let total = one(&mut owner, "SELECT count(*) FROM customers");
    let contacts = one(&mut owner, "SELECT count(*) FROM contacts");
    let (id, _, _, _) = not_wangs(&mut owner);

    let mut wang = as_person(&url, "wangfang", DEMO_PASSWORD).expect("王芳 connects");
    let seen = one(&mut wang, "SELECT count(*) FROM customers");
    assert!(seen < total / 2, "王芳 reads {seen} of {total}");
    assert_eq!(one(&mut wang, &format!("SELECT count(*) FROM customers WHERE id = {id}")), 0);
    assert_eq!(one(&mut wang, &format!("SELECT count(*) FROM contacts WHERE customer_id = {id}")), 0);
    assert!(one(&mut wang, "SELECT count(*) FROM contacts") < contacts);
    // Her own and the pool, whole.
    let (own_and_pool,): (i64,) = {
        let r = owner
            .query_one(
                "SELECT count(*) FROM customers c WHERE c.owner_id IS NULL \
                 OR c.owner_id = (SELECT id FROM users WHERE login = 'wangfang')",
                &[],
            )
            .unwrap();
        (r.get(0),)
    };
    assert_eq!(
        one(
            &mut wang,
            "SELECT count(*) FROM customers c WHERE c.owner_id IS NULL \
             OR c.owner_id = (SELECT id FROM users WHERE login = 'wangfang')"
        ),
        own_and_pool
    );
    // A write cannot reach what she cannot read.
    assert_eq!(wang.execute(&format!("UPDATE customers SET notes = 'x' WHERE id = {id}"), &[]).unwrap(), 0);

    // Those who see all read all; the technical department, the customers of the quotes it reviews.
    for login in ["zhaomin", "zhoujg", "sunli", "admin"] {
        let mut c = as_person(&url, login, DEMO_PASSWORD).unwrap();
        assert_eq!(one(&mut c, "SELECT count(*) FROM customers"), total, "{login}");
    }
    let mut chen = as_person(&url, "chenming", DEMO_PASSWORD).unwrap();
    assert_eq!(
        one(&mut chen, "SELECT count(*) FROM customers c WHERE c.id IN (SELECT customer_id FROM quotes)"),
        one(&mut owner, "SELECT count(DISTINCT customer_id) FROM quotes"),
    );
}

#[test]
fn the_duplicate_warning_and_the_credit_code_check_still_see_the_whole_archive() {
    let Some(base) = require_server("customers") else { return };
    let (url, seat) = server_office(&base);
    drop(seat);
    let mut owner = postgres::Client::connect(&url, postgres::NoTls).expect("the owner connects");
    let (id, name, code, phone) = not_wangs(&mut owner);
    let own_and_pool: i64 = owner
        .query_one(
            "SELECT count(*) FROM customers c WHERE c.merged_into IS NULL AND (c.owner_id IS NULL \
             OR c.owner_id = (SELECT id FROM users WHERE login = 'wangfang'))",
            &[],
        )
        .unwrap()
        .get(0);

    // 王芳 at her own PC, connected with her own login.
    let mine = url_as(&url, &format!("{}.wangfang", database(&url)), DEMO_PASSWORD);
    let mut pc = Service::open_at(&Location::Server(mine)).expect("her PC connects");
    let wang = sign_in(&mut pc, "wangfang");
    let page = pc.search_customers(&wang, &Default::default(), 0).expect("her list");
    assert_eq!(page.visible_total as i64, own_and_pool, "her own and the pool");
    assert!(page.rows.iter().all(|r| r.id.0 != id));
    let err = pc.customer(&wang, salesdesk::domain::ids::CustomerId(id)).expect_err("not hers to open");
    assert!(matches!(err, ServiceError::Denied(_)) && err.to_string().contains("不是您负责的客户"), "{err:?}");

    let draft =
        CustomerDraft { name: name.clone(), credit_code: code.clone(), phone: phone.clone(), ..Default::default() };
    let hints = pc.find_duplicates(&wang, &draft, None).expect("the warning");
    let h = hints.iter().find(|h| h.id.0 == id).expect("李强's customer is found");
    assert_eq!((h.name.as_str(), h.owner_name.as_str(), h.visible), (name.as_str(), "李强", false));
    assert!(h.reasons.contains(&DuplicateReason::SameCreditCode), "{:?}", h.reasons);
    assert!(h.reasons.iter().any(|r| matches!(r, DuplicateReason::SimilarName(s) if *s >= 0.999)), "{:?}", h.reasons);
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    assert!(h.reasons.contains(&DuplicateReason::SamePhone(digits)), "{:?}", h.reasons);
    // A name only alike is still told, with the score the domain's rule gives (the server
    // compares the stored name cores by the same Dice coefficient of bigrams).
    let core = name_core(&name);
    for alike in [format!("{core}股份有限公司"), format!("{core}科技有限公司"), format!("江苏{core}电气有限公司")]
    {
        let expected = name_similarity(&alike, &name);
        let found = pc.find_duplicates(&wang, &CustomerDraft { name: alike.clone(), ..Default::default() }, None);
        let score = found.expect("the warning").iter().find(|h| h.id.0 == id).and_then(|h| {
            h.reasons.iter().find_map(|r| if let DuplicateReason::SimilarName(s) = r { Some(*s) } else { None })
        });
        match score {
            Some(s) => assert!((s - expected).abs() < 1e-9, "{alike}: server {s}, domain {expected}"),
            None => assert!(expected < SIMILAR_NAME, "{alike}: the domain says {expected}, the server found nothing"),
        }
    }

    let err = pc.create_customer(&wang, draft, None, true).expect_err("the same credit code is refused");
    assert!(matches!(&err, ServiceError::Invalid(_)) && err.to_string().contains(&name), "{err}");
    // The function answers only what the warning needs: nothing for a name unlike any.
    let mut raw = as_person(&url, "wangfang", DEMO_PASSWORD).unwrap();
    let none: String = raw
        .query_one("SELECT salesdesk_customer_duplicates($1, '[]', '')", &[&"绝无此名称的单位甲乙丙丁"])
        .unwrap()
        .get(0);
    assert_eq!(none, "[]");
}

#[test]
fn whole_id_numbers_are_read_only_by_admin_head_leader_and_the_person() {
    let Some(base) = require_server("ID numbers") else { return };
    let (url, seat) = server_office(&base);
    drop(seat);
    let mut owner = postgres::Client::connect(&url, postgres::NoTls).expect("the owner connects");
    let li: String = owner.query_one("SELECT id_number FROM users WHERE login = 'liqiang'", &[]).unwrap().get(0);
    assert_eq!(li.chars().count(), 18, "the demo gives 李强 an ID number");
    let masked = format!("{}{}{}", &li[..3], "*".repeat(11), &li[14..]);

    let mut wang = as_person(&url, "wangfang", DEMO_PASSWORD).unwrap();
    let e = wang.query("SELECT id_number FROM users", &[]).expect_err("not hers to read");
    assert_eq!(e.code(), Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE));
    let shown: String =
        wang.query_one("SELECT salesdesk_id_number_shown(id) FROM users WHERE login = 'liqiang'", &[]).unwrap().get(0);
    assert_eq!(shown, masked, "someone else's, masked as the window shows it");
    let mut li_raw = as_person(&url, "liqiang", DEMO_PASSWORD).unwrap();
    let own: String = li_raw
        .query_one("SELECT salesdesk_id_number_shown(id) FROM users WHERE login = 'liqiang'", &[])
        .unwrap()
        .get(0);
    assert_eq!(own, li, "his own, whole");
    // A bid's agent: whole, for a bid only.
    let (bid, quote): (i64, i64) = {
        let b = owner.query_one("SELECT min(id) FROM quotes WHERE kind = 'bid'", &[]).unwrap().get(0);
        let q = owner.query_one("SELECT min(id) FROM quotes WHERE kind = 'quote'", &[]).unwrap().get(0);
        (b, q)
    };
    let agent: Option<String> = wang.query_one("SELECT salesdesk_bid_agent_id_number($1)", &[&bid]).unwrap().get(0);
    assert_eq!(agent.map(|a| a.chars().count()), Some(18));
    let none: Option<String> = wang.query_one("SELECT salesdesk_bid_agent_id_number($1)", &[&quote]).unwrap().get(0);
    assert_eq!(none, None, "not for a quotation");
    for login in ["zhaomin", "zhoujg", "admin"] {
        let mut c = as_person(&url, login, DEMO_PASSWORD).unwrap();
        let whole: String = c.query_one("SELECT id_number FROM users WHERE login = 'liqiang'", &[]).unwrap().get(0);
        assert_eq!(whole, li, "{login}");
    }
}

#[test]
fn what_hangs_off_another_salespersons_customer_is_not_readable_with_a_salespersons_login() {
    let Some(base) = require_server("work rows") else { return };
    let (url, seat) = server_office(&base);
    drop(seat);
    let mut owner = postgres::Client::connect(&url, postgres::NoTls).expect("the owner connects");
    // 李强's customers 王芳 has nothing to do with, and what hangs off them.
    let theirs = "(SELECT c.id FROM customers c JOIN users u ON u.id = c.owner_id WHERE u.login = 'liqiang' \
                  AND c.id NOT IN (SELECT customer_id FROM inquiries i JOIN users w ON w.id = i.registered_by \
                                   WHERE w.login = 'wangfang' AND customer_id IS NOT NULL) \
                  AND c.id NOT IN (SELECT customer_id FROM quotes q JOIN users w ON w.id = q.author_id WHERE w.login = 'wangfang') \
                  AND c.id NOT IN (SELECT customer_id FROM visits v JOIN users w ON w.id = v.owner_id WHERE w.login = 'wangfang') \
                  AND c.id NOT IN (SELECT customer_id FROM contracts k JOIN users w ON w.id = k.salesperson_id \
                                   WHERE w.login = 'wangfang'))";
    let tables = [
        ("inquiries", format!("customer_id IN {theirs}")),
        ("quotes", format!("customer_id IN {theirs}")),
        ("revisions", format!("quote_id IN (SELECT id FROM quotes WHERE customer_id IN {theirs})")),
        ("contracts", format!("customer_id IN {theirs}")),
        ("visits", format!("customer_id IN {theirs}")),
        ("issued_documents", format!("customer_id IN {theirs}")),
        ("phone_answers", format!("customer_id IN {theirs}")),
    ];
    let mut wang = as_person(&url, "wangfang", DEMO_PASSWORD).unwrap();
    let mut some = 0;
    for (table, filter) in &tables {
        let there = one(&mut owner, &format!("SELECT count(*) FROM {table} WHERE {filter}"));
        some += there;
        // Counted by the owner's filter over what her login returns.
        let ids: Vec<i64> = owner
            .query(&format!("SELECT id FROM {table} WHERE {filter}"), &[])
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        let seen: i64 =
            wang.query_one(&format!("SELECT count(*) FROM {table} WHERE id = ANY($1)"), &[&ids]).unwrap().get(0);
        assert_eq!(seen, 0, "{table}: {there} rows of 李强's customers, none readable by 王芳");
    }
    assert!(some > 20, "the demo has such rows ({some})");
    let pdfs = format!(
        "SELECT count(*) FROM issued_pdfs WHERE sha256 IN (SELECT sha256 FROM issued_documents WHERE customer_id IN {theirs})"
    );
    assert!(one(&mut owner, &pdfs) > 0, "the demo issued documents for 李强's customers");
    assert_eq!(one(&mut wang, &pdfs), 0, "none of their files");
    let theirs_pdf: Vec<u8> = owner
        .query_one(
            &format!("SELECT p.bytes FROM issued_pdfs p JOIN issued_documents d ON d.sha256 = p.sha256 WHERE d.customer_id IN {theirs} LIMIT 1"),
            &[],
        )
        .unwrap()
        .get(0);
    let hidden: i64 =
        wang.query_one("SELECT count(*) FROM issued_pdfs WHERE bytes = $1", &[&theirs_pdf]).unwrap().get(0);
    assert_eq!(hidden, 0, "the file sent to 李强's customer is not hers to read");
    // Whoever holds a copy may still ask whether it is genuine.
    let mine = url_as(&url, &format!("{}.wangfang", database(&url)), DEMO_PASSWORD);
    let mut pc = Service::open_at(&Location::Server(mine)).expect("her PC connects");
    let verdict = pc.verify_pdf(&theirs_pdf).expect("verifies");
    assert!(verdict.is_genuine(), "{verdict:?}");
    // Others' targets and weekly reports are not hers either.
    let others_targets = "SELECT count(*) FROM sales_targets \
                          WHERE salesperson_id <> (SELECT id FROM users WHERE login = 'wangfang')";
    assert!(one(&mut owner, others_targets) > 0, "the demo sets targets for others");
    assert_eq!(one(&mut wang, others_targets), 0);
    let others_reports =
        "SELECT count(*) FROM weekly_reports WHERE user_id <> (SELECT id FROM users WHERE login = 'wangfang')";
    assert_eq!(one(&mut wang, others_reports), 0);
    // Her own work she reads; the technical department reads every quote it may review.
    assert!(one(&mut wang, "SELECT count(*) FROM quotes") > 0);
    let mut chen = as_person(&url, "chenming", DEMO_PASSWORD).unwrap();
    assert_eq!(one(&mut chen, "SELECT count(*) FROM quotes"), one(&mut owner, "SELECT count(*) FROM quotes"));
    assert_eq!(one(&mut chen, "SELECT count(*) FROM contracts"), 0, "no contracts for the technical department");
    let mut sun = as_person(&url, "sunli", DEMO_PASSWORD).unwrap();
    assert_eq!(one(&mut sun, "SELECT count(*) FROM contracts"), one(&mut owner, "SELECT count(*) FROM contracts"));
}
