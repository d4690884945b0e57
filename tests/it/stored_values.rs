//! What the office stores is read back as stored or refused: files (issued PDFs, scans, images)
//! checked against their SHA-256, dates, codes and JSON that do not parse are errors (never a
//! default), and a file whose header was not written by SalesDesk is not touched.

use salesdesk::domain::audit::DamagedFile;
use salesdesk::service::{CustomerFilter, Service, ServiceError};
use salesdesk::store::{Location, StoreError};

use crate::support::{
    add_customer, closed_demo_office, contact, customer, demo_office, file_bytes, flip_stored_byte, office_location,
    raw_sql, sign_in,
};

fn damaged(e: &ServiceError) -> &str {
    match e {
        ServiceError::Store(StoreError::Damaged(what)) => what,
        other => panic!("expected a damaged-file refusal, got {other:?}"),
    }
}

fn unreadable(e: &ServiceError) -> bool {
    matches!(e, ServiceError::Store(StoreError::Unreadable(_)))
}

#[test]
fn bytes_changed_inside_an_issued_pdf_are_named_by_check_and_never_handed_out_again() {
    let (dir, mut svc) = demo_office();
    let assistant = sign_in(&mut svc, "sunli");
    assert!(svc.check().expect("check runs").is_ok(), "the demo office starts clean");
    let register = svc.issued_documents(&assistant).expect("the register");
    let e = register.iter().find(|e| !e.reprint).expect("the demo issued documents").clone();
    let label = format!("{} 第{}版", e.number, e.revision);

    flip_stored_byte(&office_location(&dir), "issued_pdfs", "bytes", "sha256", &e.sha256);

    let report = svc.check().expect("check runs");
    assert!(!report.is_ok(), "{report:?}");
    assert_eq!(report.integrity, ["ok"], "the database itself is sound: only the stored file changed");
    assert!(
        report.damaged.iter().any(|d| matches!(d, DamagedFile::IssuedPdf { documents } if documents.contains(&label))),
        "{:?}",
        report.damaged
    );
    assert!(report.damaged.iter().any(|d| d.describe().contains(&e.number)));

    // Opening the stored file, printing it and reprinting (用印发出 again) are all refused.
    let err = svc.issued_file(&assistant, e.id).expect_err("the damaged file is not handed out");
    assert!(damaged(&err).contains(&e.number), "{err}");
    assert!(err.to_string().contains("备份"), "says what to do: {err}");
    let err = svc.print_quote(&assistant, e.quote, Some(e.revision)).expect_err("no print of a damaged file");
    assert!(damaged(&err).contains(&e.number), "{err}");
    let out = dir.path().join("reprint.pdf");
    let err = svc.issue_quote(&assistant, e.quote, 1, &out).expect_err("no reprint of a damaged file");
    assert!(damaged(&err).contains(&e.number), "{err}");
    assert!(!out.exists(), "nothing written");
    assert_eq!(svc.issued_documents(&assistant).expect("the register").len(), register.len(), "nothing registered");
}

#[test]
fn a_damaged_certificate_scan_is_named_and_not_put_into_a_bid() {
    let (dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let certificates = svc.certificates(&admin).expect("the library");
    let c = certificates.first().expect("the demo has certificates").clone();

    flip_stored_byte(&office_location(&dir), "attachments", "bytes", "id", &c.image.0.to_string());

    let report = svc.check_as(&admin).expect("check runs");
    let named: Vec<String> = report.damaged.iter().map(|d| d.describe()).collect();
    assert_eq!(named.len(), 1, "{named:?}");
    assert!(named[0].contains(&c.draft.name), "{named:?}");
    let err = svc.certificate_image(&admin, c.id).expect_err("the scan is damaged");
    assert!(damaged(&err).contains(&c.draft.name), "{err}");
}

#[test]
fn check_on_the_command_line_fails_naming_the_damaged_document() {
    let (_dir, path) = closed_demo_office();
    let e = {
        let mut svc = Service::open(&path).expect("opens");
        let assistant = sign_in(&mut svc, "sunli");
        svc.issued_documents(&assistant).expect("the register").into_iter().next().expect("issued")
    };
    flip_stored_byte(&Location::File(path.clone()), "issued_pdfs", "bytes", "sha256", &e.sha256);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_salesdesk"))
        .args(["check", "--db"])
        .arg(&path)
        .env_remove("SALESDESK_PASSWORD")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("salesdesk runs");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&e.number), "{stderr}");
    assert!(stderr.contains("备份"), "{stderr}");
}

#[test]
fn a_file_with_a_negative_schema_version_is_refused_untouched() {
    let (_dir, path) = closed_demo_office();
    rusqlite::Connection::open(&path).expect("open").pragma_update(None, "user_version", -3).expect("set");
    let before = file_bytes(&path);
    let err = Service::open(&path).err().expect("refused");
    assert!(matches!(err, ServiceError::Store(StoreError::NotOurs { .. })), "{err:?}");
    assert_eq!(file_bytes(&path), before, "not a byte changed");
}

#[test]
fn a_stored_date_that_does_not_parse_is_an_error_not_valid_forever() {
    let (dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let c = svc.certificates(&admin).expect("the library").into_iter().find(|c| c.draft.valid_until.is_some());
    let c = c.expect("a certificate with an expiry date");
    // A date no calendar has: read as "none", a certificate would be 长期 (valid forever).
    raw_sql(&dir, &format!("UPDATE certificates SET valid_until = '2026-02-30' WHERE id = {}", c.id.0));
    let err = svc.certificates(&admin).expect_err("the library cannot be read as it is");
    assert!(unreadable(&err), "{err:?}");
    assert!(err.to_string().contains("检查数据库"), "says what to do: {err}");
}

#[test]
fn a_stored_status_or_tax_rate_the_program_does_not_know_is_an_error_not_a_default() {
    let (dir, mut svc) = demo_office();
    let head = sign_in(&mut svc, "zhaomin");
    let quotes = svc.quotes(&head).expect("the quotes");
    let q = quotes.first().expect("the demo has quotes");
    // Read as the default, an unknown status would show a closed quote as open.
    raw_sql(&dir, &format!("UPDATE quotes SET status = 'archived' WHERE id = {}", q.quote.id.0));
    let err = svc.quotes(&head).expect_err("an unknown status");
    assert!(unreadable(&err), "{err:?}");

    let (dir, mut svc) = demo_office();
    let head = sign_in(&mut svc, "zhaomin");
    // 1 300 % is no tax rate: read as the default 13 %, every price would print a wrong tax.
    raw_sql(&dir, "UPDATE prices SET tax_rate_bp = 130000");
    let err = svc.price_table(&head, None).expect_err("an impossible tax rate");
    assert!(unreadable(&err), "{err:?}");
}

#[test]
fn contacts_come_back_in_their_order_on_the_card_on_both_engines() {
    let (dir, mut svc) = demo_office();
    let li = sign_in(&mut svc, "liqiang");
    let mut draft = customer("苏州金鸡湖配电设备有限公司");
    draft.contacts = vec![contact("甲经理", "13800000001"), contact("乙工", "13800000002")];
    for k in &mut draft.contacts {
        k.primary = false;
    }
    let c = add_customer(&mut svc, &li, draft, None);
    // The card's order is the position, not the order the rows were written in.
    raw_sql(&dir, &format!("UPDATE contacts SET position = 1 - position WHERE customer_id = {}", c.id.0));
    let mut svc = crate::support::reopen(&dir).expect("reopens");
    let li = sign_in(&mut svc, "liqiang");
    let card = svc.customer(&li, c.id).expect("the card");
    let names: Vec<&str> = card.draft.contacts.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(names, ["乙工", "甲经理"]);
    let filter = CustomerFilter { query: "金鸡湖".into(), ..Default::default() };
    let hits = svc.search_customers(&li, &filter, 50).expect("the list");
    let row = hits.rows.iter().find(|s| s.id == c.id).expect("listed");
    assert_eq!(row.contact, "乙工", "the list's contact is the first on the card when none is primary");
}
