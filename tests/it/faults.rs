//! Files the program must not trust (DESIGN §10): newer than us, not SQLite, someone else's,
//! truncated or damaged. Each gets a clear error, no panic, and the file is not written.

use std::path::Path;

use salesdesk::domain::company::CompanyProfile;
use salesdesk::service::{Service, ServiceError, restore_unopenable};
use salesdesk::store::StoreError;

use crate::support::{
    audit_with_action, closed_demo_office, damage_table, db_path, demo_office, file_bytes, sign_in, wal_path,
};

/// The file problem `Service::open` reports, or a panic naming what happened instead.
fn open_error(path: &Path) -> StoreError {
    match Service::open(path) {
        Ok(_) => panic!("{} was opened", path.display()),
        Err(ServiceError::Store(e)) => e,
        Err(other) => panic!("expected a store error, got {other:?}"),
    }
}

fn set_pragma(path: &Path, pragma: &str, value: i64) {
    let conn = rusqlite::Connection::open(path).expect("open with rusqlite");
    conn.pragma_update(None, pragma, value).expect("pragma");
}

#[test]
fn a_database_from_a_newer_program_is_refused_and_left_untouched() {
    let (_dir, path) = closed_demo_office();
    set_pragma(&path, "user_version", 99);
    let before = file_bytes(&path);

    let err = open_error(&path);
    assert!(matches!(err, StoreError::TooNew { found: 99, supported } if supported < 99), "{err:?}");
    assert!(err.is_file_problem());
    assert!(err.to_string().contains("升级"), "tells the user to upgrade: {err}");
    assert_eq!(file_bytes(&path), before, "not a byte written");
}

#[test]
fn a_text_file_is_refused_as_not_a_database_and_left_untouched() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let csv = dir.path().join("客户名单.csv");
    std::fs::write(&csv, "客户名称,联系人,电话\n苏州电力设备厂,张工,13951100001\n".repeat(40)).expect("write");
    let tiny = dir.path().join("tiny.db");
    std::fs::write(&tiny, "hi").expect("write");
    for path in [csv, tiny] {
        let before = file_bytes(&path);
        let err = open_error(&path);
        assert!(matches!(&err, StoreError::NotADatabase { .. }), "{err:?}");
        let name = path.file_name().expect("a file name").to_string_lossy().into_owned();
        assert!(err.to_string().contains(&name), "the message names the file: {err}");
        assert_eq!(file_bytes(&path), before);
    }
}

#[test]
fn another_programs_sqlite_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("erp.db");
    let conn = rusqlite::Connection::open(&path).expect("create");
    conn.execute_batch(
        "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total TEXT); INSERT INTO invoices VALUES (1, '9.99');",
    )
    .expect("someone else's schema");
    drop(conn);
    let before = file_bytes(&path);
    let err = open_error(&path);
    assert!(matches!(err, StoreError::NotOurs { .. }), "{err:?}");
    assert_eq!(file_bytes(&path), before);
}

#[test]
fn an_empty_file_becomes_a_new_office() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("new.db");
    std::fs::write(&path, b"").expect("touch");
    let mut svc = Service::open(&path).expect("an empty file is a new database");
    assert!(svc.needs_first_admin().expect("reads"));
}

/// A damaged file is refused at open or by the quick check; either way nothing is written.
fn assert_refused_without_writes(path: &Path) {
    let before = file_bytes(path);
    match Service::open(path) {
        Err(ServiceError::Store(e)) => assert!(e.is_file_problem(), "{e:?}"),
        Err(other) => panic!("expected a file problem, got {other:?}"),
        Ok(mut svc) => {
            let err = svc.quick_check().expect_err("the quick check finds the damage");
            assert!(matches!(err, ServiceError::Store(StoreError::Corrupt(_))), "{err:?}");
            assert!(svc.read_only_reason().is_some());
            let refused = svc.create_demo_office().expect_err("no writes");
            assert!(refused.to_string().contains("只读"), "{refused}");
        }
    }
    assert_eq!(file_bytes(path), before, "{} was written", path.display());
}

#[test]
fn a_database_cut_short_is_refused_without_writes() {
    let (dir, path) = closed_demo_office();
    let whole = file_bytes(&path);
    for (name, len) in [("first-1000-bytes.db", 1000), ("first-half.db", whole.len() / 2), ("header-only.db", 100)] {
        let cut = dir.path().join(name);
        std::fs::write(&cut, &whole[..len]).expect("write");
        assert_refused_without_writes(&cut);
    }
}

#[test]
fn garbage_in_the_middle_of_the_file_is_found_and_the_database_becomes_read_only() {
    let (_dir, path) = closed_demo_office();
    damage_table(&path, "attachments");

    let mut svc = Service::open(&path).expect("the damage is not on the pages read at start");
    let admin = sign_in(&mut svc, "admin");
    let err = svc.quick_check().expect_err("the quick check finds it");
    assert!(matches!(err, ServiceError::Store(StoreError::Corrupt(_))), "{err:?}");
    assert!(svc.read_only_reason().is_some());

    let loaded = svc.settings(&admin).expect("reading still works").company;
    let profile = CompanyProfile { name: "改名公司".into(), ..loaded.value.clone() };
    let refused = svc.update_company_profile(&admin, loaded.version, profile).expect_err("no writes");
    assert!(refused.to_string().contains("只读"), "{refused}");
    assert_eq!(svc.settings(&admin).expect("reads").company, loaded);
    let report = svc.check().expect("the full check runs");
    assert!(!report.is_ok() && report.integrity != ["ok"], "{report:?}");
    drop(svc);

    assert_refused_without_writes(&path);
}

#[test]
fn damage_found_by_the_full_check_stops_writes() {
    let (_dir, path) = closed_demo_office();
    damage_table(&path, "attachments");
    let mut svc = Service::open(&path).expect("opens");
    let admin = sign_in(&mut svc, "admin");
    let report = svc.check_as(&admin).expect("the check reports the damage instead of failing");
    assert!(!report.is_ok(), "{report:?}");
    assert!(!report.integrity.is_empty() && report.integrity != ["ok"], "{report:?}");
    let loaded = svc.settings(&admin).expect("reads").company;
    let refused = svc.update_company_profile(&admin, loaded.version, loaded.value.clone()).expect_err("no writes");
    assert!(refused.to_string().contains("只读"), "{refused}");
}

#[test]
fn a_damaged_backup_is_not_restored_and_the_current_data_stays() {
    let (dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let backup = dir.path().join("backup.db");
    svc.backup(&admin, &backup).expect("backup");
    let mut bytes = file_bytes(&backup);
    let half = bytes.len() / 2;
    bytes.truncate(half);
    std::fs::write(&backup, &bytes).expect("cut the backup");
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a backup at all, just some notes about the office move\n".repeat(20)).expect("write");
    let missing = dir.path().join("missing.db");

    let users_before = svc.list_users(&admin).expect("lists");
    for bad in [&backup, &text, &missing] {
        let err = svc.restore(&admin, bad).expect_err("refused");
        assert!(matches!(err, ServiceError::Store(_)), "{err:?}");
        assert!(!err.to_string().is_empty());
    }
    assert_eq!(svc.list_users(&admin).expect("lists"), users_before);
    assert!(svc.check().expect("check").is_ok());
    let kept = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().contains("before-restore"));
    assert!(!kept, "nothing was replaced, so nothing was kept aside");
}

#[test]
fn a_database_that_cannot_be_opened_is_replaced_by_a_checked_backup_and_kept_aside() {
    let (dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let backup = dir.path().join("backup.db");
    svc.backup(&admin, &backup).expect("backup");
    drop(svc);

    let path = db_path(&dir);
    std::fs::write(&path, "overwritten by a careless script\n").expect("ruin the office file");
    assert!(open_error(&path).is_file_problem());
    let kept = restore_unopenable(&path, &backup).expect("restored");
    assert_eq!(std::fs::read_to_string(&kept).expect("the ruined file is kept"), "overwritten by a careless script\n");

    let mut svc = Service::open(&path).expect("opens again");
    let admin = sign_in(&mut svc, "admin");
    assert_eq!(svc.list_users(&admin).expect("lists").len(), salesdesk::service::DEMO_USERS.len());
    assert!(svc.check().expect("check").is_ok());
}

#[test]
fn backing_up_onto_the_open_database_itself_is_refused_and_loses_nothing() {
    let (dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    // Another spelling of the same file, as a file dialog may return it.
    std::fs::create_dir(dir.path().join("backups")).expect("mkdir");
    let same_file = dir.path().join("backups").join("..").join("office.db");
    let its_wal = wal_path(&same_file);
    assert!(its_wal.is_file(), "an open database has its WAL beside it");
    for target in [&same_file, &its_wal] {
        let err = svc.backup(&admin, target).expect_err("the database is not its own backup");
        assert!(matches!(err, ServiceError::Store(_)), "{err:?}");
    }
    assert!(db_path(&dir).is_file(), "the database file is still there");
    assert!(audit_with_action(&mut svc, &admin, "db.backup").is_empty(), "a refused backup is not recorded as done");

    let loaded = svc.settings(&admin).expect("reads").company;
    let profile = CompanyProfile { name: "备份之后的新名称有限公司".into(), ..loaded.value.clone() };
    svc.update_company_profile(&admin, loaded.version, profile).expect("keeps working");
    drop(svc);
    let mut svc = Service::open(&db_path(&dir)).expect("reopens");
    let admin = sign_in(&mut svc, "admin");
    assert_eq!(svc.settings(&admin).expect("reads").company.value.name, "备份之后的新名称有限公司");
    assert!(svc.check().expect("check").is_ok());
}

#[test]
fn restoring_twice_in_a_row_keeps_each_replaced_database() {
    let (dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let backup = dir.path().join("backup.db");
    svc.backup(&admin, &backup).expect("backup");
    let loaded = svc.settings(&admin).expect("reads").company;
    let latest = CompanyProfile { name: "只在当前数据库里的名称".into(), ..loaded.value.clone() };
    svc.update_company_profile(&admin, loaded.version, latest).expect("saved");

    let first = svc.restore(&admin, &backup).expect("first restore");
    let second = svc.restore(&admin, &backup).expect("second restore, straight after");
    assert_ne!(first, second, "each restore keeps its own copy");
    drop(svc);
    let mut kept = Service::open(&first).expect("the first kept copy opens");
    let admin = sign_in(&mut kept, "admin");
    assert_eq!(kept.settings(&admin).expect("reads").company.value.name, "只在当前数据库里的名称");
    assert!(second.is_file());
}
