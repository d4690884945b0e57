//! Tampering with the audit log (审计日志) directly in the file, as someone with the file but
//! not the program would: `check` finds the first entry that no longer verifies.

use std::path::Path;

use salesdesk::service::{Service, ServiceError};

use crate::support::{closed_demo_office, sign_in};
use salesdesk::domain::audit::CheckReport;

fn tamper(path: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(path).expect("open with rusqlite");
    let changed = conn.execute(sql, []).expect("tamper");
    assert_eq!(changed, 1, "{sql}");
}

fn newest_seq(path: &Path) -> i64 {
    let conn = rusqlite::Connection::open(path).expect("open with rusqlite");
    conn.query_row("SELECT max(seq) FROM audit_log", [], |r| r.get(0)).expect("entries")
}

fn check(path: &Path) -> CheckReport {
    Service::open(path).expect("opens").check().expect("check runs")
}

fn break_at(path: &Path) -> i64 {
    let report = check(path);
    assert_eq!(report.integrity, ["ok"], "SQLite itself sees nothing wrong");
    match report.chain_break {
        Some(b) => b.seq,
        None => panic!("tampering went unnoticed: {report:?}"),
    }
}

#[test]
fn an_untouched_office_passes_the_full_check() {
    let (_dir, path) = closed_demo_office();
    let mut svc = Service::open(&path).expect("opens");
    let admin = sign_in(&mut svc, "admin");
    let report = svc.check_as(&admin).expect("the admin checks");
    assert!(report.is_ok(), "{report:?}");
    assert!(report.audit_entries >= 10, "{report:?}");
    let head = sign_in(&mut svc, "zhaomin");
    assert!(matches!(svc.check_as(&head), Err(ServiceError::Denied(_))));
}

#[test]
fn editing_an_audit_entry_breaks_the_chain_at_that_entry() {
    let (_dir, path) = closed_demo_office();
    tamper(&path, "UPDATE audit_log SET after = replace(after, 'zhoujg', 'zhoujg2') WHERE seq = 3");
    assert_eq!(break_at(&path), 3);
}

#[test]
fn editing_who_did_it_breaks_the_chain_too() {
    let (_dir, path) = closed_demo_office();
    tamper(&path, "UPDATE audit_log SET actor = '系统管理员 (admin)' WHERE seq = 5");
    assert_eq!(break_at(&path), 5);
}

#[test]
fn an_edit_that_recomputes_its_own_hash_is_caught_by_the_next_entry() {
    let (_dir, path) = closed_demo_office();
    tamper(&path, "UPDATE audit_log SET after = '{}', hash = 'f00d' || substr(hash, 5) WHERE seq = 3");
    let seq = break_at(&path);
    assert!((3..=4).contains(&seq), "break reported at {seq}");
}

#[test]
fn deleting_an_entry_in_the_middle_breaks_the_chain_at_that_entry() {
    let (_dir, path) = closed_demo_office();
    tamper(&path, "DELETE FROM audit_log WHERE seq = 4");
    assert_eq!(break_at(&path), 4);
}

#[test]
fn deleting_the_newest_entry_is_detected() {
    let (_dir, path) = closed_demo_office();
    let newest = newest_seq(&path);
    tamper(&path, &format!("DELETE FROM audit_log WHERE seq = {newest}"));
    assert_eq!(break_at(&path), newest);
}

#[test]
fn the_check_command_fails_and_names_the_broken_entry() {
    let (_dir, path) = closed_demo_office();
    tamper(&path, "UPDATE audit_log SET entity_id = 'nobody' WHERE seq = 3");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_salesdesk"))
        .arg("check")
        .arg("--db")
        .arg(&path)
        .env_remove("RUST_LOG")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "one clear line: {stderr}");
    assert!(stderr.contains("第 3 条"), "{stderr}");
}
