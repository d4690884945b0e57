//! The command line (DESIGN §8): headless jobs through the same service layer. Exit codes: 0
//! success, 1 runtime error or rejected input, 2 bad usage; one clear line on stderr.
//! (Never run `salesdesk` without a subcommand here: it opens the window.)

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use salesdesk::domain::company::CompanyProfile;
use salesdesk::service::{DEMO_PASSWORD, Service};

use crate::support::{audit_with_action, closed_demo_office, damage_table, sign_in};

/// `salesdesk!(password; "check", "--db", &db)`: runs the program with those arguments;
/// `password` (an `Option<&str>`) goes into SALESDESK_PASSWORD, so it never prompts.
macro_rules! salesdesk {
    ($password:expr; $($arg:expr),+ $(,)?) => {
        run(&[$(OsStr::new($arg)),+], $password)
    };
}

fn run(args: &[&OsStr], password: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_salesdesk"));
    cmd.args(args).env_remove("RUST_LOG").env_remove("SALESDESK_PASSWORD").stdin(Stdio::null());
    if let Some(p) = password {
        cmd.env("SALESDESK_PASSWORD", p);
    }
    cmd.output().expect("salesdesk runs")
}

/// Asserts a failure with `code` and exactly one line on stderr; returns that line.
fn failed(out: &Output, code: i32) -> String {
    assert_eq!(out.status.code(), Some(code), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(stderr.trim_end().lines().count(), 1, "one clear line on stderr: {stderr}");
    stderr
}

/// Asserts success; returns stdout.
fn succeeded(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn company_name(db: &Path) -> String {
    let mut svc = Service::open(db).expect("opens");
    let admin = sign_in(&mut svc, "admin");
    svc.settings(&admin).expect("reads").company.value.name
}

fn rename_company(db: &Path, name: &str) {
    let mut svc = Service::open(db).expect("opens");
    let admin = sign_in(&mut svc, "admin");
    let loaded = svc.settings(&admin).expect("reads").company;
    let profile = CompanyProfile { name: name.into(), ..loaded.value };
    svc.update_company_profile(&admin, loaded.version, profile).expect("renamed");
}

/// The path after "原数据库保留在 " in the restore command's output.
fn kept_path(stdout: &str) -> PathBuf {
    let (_, rest) = stdout.split_once("原数据库保留在 ").unwrap_or_else(|| panic!("no kept path in {stdout}"));
    PathBuf::from(rest.trim_end())
}

fn anything_kept_aside(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .expect("list")
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().contains("before-restore"))
}

#[test]
fn demo_creates_an_office_and_names_the_company() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("demo.db");
    let text = succeeded(&salesdesk!(None; "demo", "--db", &db));
    let name = company_name(&db);
    assert!(text.contains(&name), "{text}");
    assert!(text.contains(DEMO_PASSWORD), "{text}");

    let line = failed(&salesdesk!(None; "demo", "--db", &db), 1);
    assert!(line.contains("已有数据"), "a second demo office is refused: {line}");
}

#[test]
fn check_reports_ok_on_a_healthy_office() {
    let (_dir, db) = closed_demo_office();
    let text = succeeded(&salesdesk!(None; "check", "--db", &db));
    assert!(text.contains("ok"), "{text}");
    assert!(text.contains("audit entries: "), "{text}");
}

#[test]
fn check_refuses_a_text_file_and_leaves_it_alone() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("office.db");
    let minutes = "这不是数据库，只是一份会议记录。\n".repeat(30);
    std::fs::write(&db, &minutes).expect("write");
    let line = failed(&salesdesk!(None; "check", "--db", &db), 1);
    assert!(line.contains("不是 SQLite 数据库"), "{line}");
    assert_eq!(std::fs::read_to_string(&db).expect("read"), minutes);
}

#[test]
fn check_fails_in_one_line_on_a_damaged_database() {
    let (_dir, db) = closed_demo_office();
    damage_table(&db, "users");
    let line = failed(&salesdesk!(None; "check", "--db", &db), 1);
    assert!(line.contains("损坏") || line.contains("完整性"), "{line}");
}

#[test]
fn backup_signs_in_and_writes_a_file_that_passes_check() {
    let (dir, db) = closed_demo_office();
    let out_file = dir.path().join("backup-2026-11-27.db");
    let text =
        succeeded(&salesdesk!(Some(DEMO_PASSWORD); "backup", "--db", &db, "--user", "admin", "--out", &out_file));
    assert!(text.contains(&*out_file.to_string_lossy()), "{text}");
    succeeded(&salesdesk!(None; "check", "--db", &out_file));

    let mut svc = Service::open(&out_file).expect("the backup opens");
    let admin = sign_in(&mut svc, "admin");
    let entry = audit_with_action(&mut svc, &admin, "db.backup").into_iter().next().expect("the backup is audited");
    assert_eq!(entry.actor, "系统管理员 (admin)");
}

#[test]
fn backup_with_a_wrong_password_fails_in_one_line_and_writes_nothing() {
    let (dir, db) = closed_demo_office();
    let out_file = dir.path().join("backup.db");
    let out = salesdesk!(Some("not-the-password"); "backup", "--db", &db, "--user", "admin", "--out", &out_file);
    let line = failed(&out, 1);
    assert!(line.contains("用户名或密码错误"), "{line}");
    assert!(!out_file.exists());
}

#[test]
fn backup_without_a_user_says_how_to_sign_in() {
    let (dir, db) = closed_demo_office();
    let out_file = dir.path().join("backup.db");
    let line = failed(&salesdesk!(Some(DEMO_PASSWORD); "backup", "--db", &db, "--out", &out_file), 1);
    assert!(line.contains("--user"), "{line}");
    assert!(!out_file.exists());
}

#[test]
fn restore_brings_back_the_backup_and_keeps_the_replaced_data() {
    let (dir, db) = closed_demo_office();
    let backup = dir.path().join("backup.db");
    let original = company_name(&db);
    succeeded(&salesdesk!(Some(DEMO_PASSWORD); "backup", "--db", &db, "--user", "admin", "--out", &backup));
    rename_company(&db, "恢复前改过的名字有限公司");

    let text = succeeded(&salesdesk!(Some(DEMO_PASSWORD); "restore", "--db", &db, "--user", "admin", &backup));
    assert_eq!(company_name(&db), original, "the change made after the backup is gone");
    let kept = kept_path(&text);
    assert!(kept.is_file(), "{text}");
    assert_eq!(company_name(&kept), "恢复前改过的名字有限公司", "the replaced data is kept");

    let mut svc = Service::open(&db).expect("opens");
    assert!(svc.check().expect("check").is_ok());
    let admin = sign_in(&mut svc, "admin");
    let entry = audit_with_action(&mut svc, &admin, "db.restore").into_iter().next().expect("the restore is audited");
    assert!(entry.after.contains("before-restore"), "records where the old data went: {}", entry.after);
}

#[test]
fn restore_replaces_a_database_that_cannot_be_opened_without_signing_in() {
    let (dir, db) = closed_demo_office();
    let backup = dir.path().join("backup.db");
    std::fs::copy(&db, &backup).expect("a copy of the closed file is a backup");
    std::fs::write(&db, "garbage written over the office file\n").expect("ruin");

    let text = succeeded(&salesdesk!(None; "restore", "--db", &db, &backup));
    assert_eq!(std::fs::read_to_string(kept_path(&text)).expect("kept"), "garbage written over the office file\n");
    succeeded(&salesdesk!(None; "check", "--db", &db));
}

#[test]
fn restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing() {
    let (dir, db) = closed_demo_office();
    let original = company_name(&db);
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "shopping list\n".repeat(100)).expect("write");
    let line = failed(&salesdesk!(Some(DEMO_PASSWORD); "restore", "--db", &db, "--user", "admin", &notes), 1);
    assert!(line.contains("notes.txt"), "{line}");
    assert_eq!(company_name(&db), original);
    succeeded(&salesdesk!(None; "check", "--db", &db));
    assert!(!anything_kept_aside(dir.path()), "nothing was replaced");
}

#[test]
fn restore_of_a_healthy_office_needs_a_user() {
    let (dir, db) = closed_demo_office();
    let backup = dir.path().join("backup.db");
    std::fs::copy(&db, &backup).expect("a backup");
    let line = failed(&salesdesk!(Some(DEMO_PASSWORD); "restore", "--db", &db, &backup), 1);
    assert!(line.contains("--user"), "{line}");
    assert!(!anything_kept_aside(dir.path()));
}

#[test]
fn bad_usage_exits_with_2() {
    let unknown = salesdesk!(None; "frobnicate", "--db", "/nonexistent/x.db");
    assert_eq!(unknown.status.code(), Some(2), "{unknown:?}");
    assert!(!unknown.stderr.is_empty());
    let no_file = salesdesk!(None; "restore", "--db", "/nonexistent/x.db");
    assert_eq!(no_file.status.code(), Some(2), "{no_file:?}");
}

#[test]
fn an_unreachable_server_or_a_bad_address_is_one_clear_line() {
    // Nothing listens on port 1: the connection is refused at once.
    let line = failed(&salesdesk!(None; "check", "--db", "postgres://office@127.0.0.1:1/sales"), 1);
    assert!(line.contains("办公室服务器"), "{line}");
    let line = failed(&salesdesk!(None; "check", "--db", "postgres://office@server:notaport/sales"), 1);
    assert!(line.contains("服务器地址写得不对"), "{line}");
}

#[test]
fn check_on_a_database_that_does_not_exist_fails_and_creates_nothing() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let typo = dir.path().join("offcie.db");
    let line = failed(&salesdesk!(None; "check", "--db", &typo), 1);
    assert!(line.contains("offcie.db"), "{line}");
    assert!(!typo.exists(), "a mistyped path must not become a new, empty office");
}

/// The first demo document in `quotes` output with this kind, revision status and document status.
fn demo_number(db: &Path, kind: &str, revision: &str, document: &str) -> String {
    let out = succeeded(&salesdesk!(Some(DEMO_PASSWORD); "quotes", "--db", db, "--user", "sunli"));
    out.lines()
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .find(|f| f[2] == kind && f[3] == revision && f[4] == document)
        .map(|f| f[0].to_string())
        .unwrap_or_else(|| panic!("a demo {kind} {revision}/{document} in\n{out}"))
}

#[test]
fn render_issue_and_verify_a_quotation_from_the_command_line() {
    let (dir, db) = closed_demo_office();
    let number = demo_number(&db, "quote", "approved", "open");
    let draft = dir.path().join("draft.pdf");
    let draft_again = dir.path().join("draft-again.pdf");
    let out = succeeded(
        &salesdesk!(Some(DEMO_PASSWORD); "render", "--db", &db, "--user", "zhaomin", "--quote", &number, "--out", &draft),
    );
    assert!(out.contains("草稿"), "{out}");
    succeeded(
        &salesdesk!(Some(DEMO_PASSWORD); "render", "--db", &db, "--user", "zhaomin", "--quote", &number, "--out", &draft_again),
    );
    assert_eq!(std::fs::read(&draft).unwrap(), std::fs::read(&draft_again).unwrap(), "two processes, the same bytes");

    // Only the assistant issues.
    let issued = dir.path().join("issued.pdf");
    let refused = failed(
        &salesdesk!(Some(DEMO_PASSWORD); "issue", "--db", &db, "--user", "zhaomin", "--quote", &number, "--out", &issued),
        1,
    );
    assert!(refused.contains("销售内勤"), "{refused}");
    assert!(!issued.exists());
    let out = succeeded(
        &salesdesk!(Some(DEMO_PASSWORD); "issue", "--db", &db, "--user", "sunli", "--quote", &number, "--out", &issued, "--copies", "3"),
    );
    assert!(out.contains(&number) && out.contains("3 份"), "{out}");
    let code = out.split("验证码 ").nth(1).and_then(|s| s.split('，').next()).unwrap().to_string();

    // A later render of that revision is the issued file, byte for byte, from another process.
    let reprint = dir.path().join("reprint.pdf");
    let out = succeeded(
        &salesdesk!(Some(DEMO_PASSWORD); "render", "--db", &db, "--user", "zhaomin", "--quote", &number, "--out", &reprint),
    );
    assert!(out.contains("已签发"), "{out}");
    assert_eq!(std::fs::read(&reprint).unwrap(), std::fs::read(&issued).unwrap());

    // verify needs no sign-in.
    let out = succeeded(&salesdesk!(None; "verify", "--db", &db, &issued));
    assert!(out.contains("真实有效") && out.contains(&number), "{out}");
    let out = succeeded(&salesdesk!(None; "verify", "--db", &db, "--code", &code.to_lowercase()));
    assert!(out.contains(&number), "{out}");
    let mut bytes = std::fs::read(&issued).unwrap();
    let mid = bytes.len() / 3;
    bytes[mid] = bytes[mid].wrapping_add(1);
    let altered = dir.path().join("altered.pdf");
    std::fs::write(&altered, &bytes).unwrap();
    let err = failed(&salesdesk!(None; "verify", "--db", &db, &altered), 1);
    assert!(err.contains("已被改动") && err.contains(&number), "{err}");
    let err = failed(&salesdesk!(None; "verify", "--db", &db, &draft), 1);
    assert!(err.contains("未找到"), "{err}");
}

#[test]
fn render_and_issue_refuse_what_they_cannot_do_in_one_line() {
    let (dir, db) = closed_demo_office();
    let out = dir.path().join("x.pdf");
    let usage = salesdesk!(Some(DEMO_PASSWORD); "render", "--db", &db, "--user", "sunli", "--out", &out);
    assert_eq!(usage.status.code(), Some(2), "{usage:?}");
    let err = failed(
        &salesdesk!(Some(DEMO_PASSWORD); "render", "--db", &db, "--user", "sunli", "--quote", "BJ-2099-0001", "--out", &out),
        1,
    );
    assert!(err.contains("BJ-2099-0001"), "{err}");
    let waiting = demo_number(&db, "quote", "submitted", "open");
    let err = failed(
        &salesdesk!(Some(DEMO_PASSWORD); "issue", "--db", &db, "--user", "sunli", "--quote", &waiting, "--out", &out),
        1,
    );
    assert!(err.contains("尚未审批通过"), "{err}");
    let err = failed(
        &salesdesk!(Some(DEMO_PASSWORD); "render", "--db", &db, "--user", "sunli", "--bid", &waiting, "--out", &out),
        1,
    );
    assert!(err.contains("--quote"), "{err}");
    assert!(!out.exists());
    assert_eq!(salesdesk!(None; "verify", "--db", &db).status.code(), Some(2));
}

#[test]
fn render_prints_the_weekly_visit_plan_for_the_saturday_meeting() {
    let (dir, db) = closed_demo_office();
    let week = {
        let svc = Service::open(&db).expect("opens");
        salesdesk::domain::visit::Week::of(svc.today()).next().to_string()
    };
    let out = dir.path().join("plan.pdf");
    let said = succeeded(
        &salesdesk!(Some(DEMO_PASSWORD); "render", "--db", &db, "--user", "zhaomin", "--visit-plan", &week, "--out", &out),
    );
    assert!(said.contains(&week), "{said}");
    let text = crate::documents::pdf_text(&std::fs::read(&out).expect("written"));
    assert!(text.contains("拜访计划") && text.contains(&week), "{text}");
    let err = failed(
        &salesdesk!(Some(DEMO_PASSWORD); "render", "--db", &db, "--user", "zhaomin", "--visit-plan", "next week", "--out", &out),
        1,
    );
    assert!(err.contains("2026-W48"), "the message shows the format: {err}");
}

#[test]
fn a_reader_that_stops_early_ends_the_listing_quietly() {
    let (_dir, db) = closed_demo_office();
    // `salesdesk quotes | head -1`: the reader closes the pipe before the listing is written.
    let mut child = Command::new(env!("CARGO_BIN_EXE_salesdesk"))
        .args(["quotes", "--user", "sunli", "--db"])
        .arg(&db)
        .env("SALESDESK_PASSWORD", DEMO_PASSWORD)
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("salesdesk runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("it ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

#[test]
fn render_prints_a_weeks_reports_numbered_without_gaps_for_everyone_or_one_salesperson() {
    let (dir, db) = closed_demo_office();
    let week = {
        let svc = Service::open(&db).expect("opens");
        salesdesk::domain::visit::Week::of(svc.today()).to_string()
    };
    let out = dir.path().join("reports.pdf");
    let said = succeeded(&salesdesk!(Some(DEMO_PASSWORD);
        "render", "--db", &db, "--user", "zhaomin", "--weekly-report", &week, "--salesperson", "liqiang", "--out", &out));
    assert!(said.contains("工作周报"), "{said}");
    let text = crate::documents::pdf_text(&std::fs::read(&out).expect("written"));
    assert!(text.contains("李强") && !text.contains("王芳的"), "one salesperson's");
    // The sections are numbered as printed: 一、二、三… with none skipped.
    let numerals = ["一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、", "十、"];
    let present: Vec<bool> = numerals.iter().map(|n| text.contains(n)).collect();
    let last = present.iter().rposition(|p| *p).expect("numbered sections");
    assert!(present[..=last].iter().all(|p| *p), "no gap: {present:?}");
    assert!(last >= 6, "at least seven sections");
    let err = failed(
        &salesdesk!(Some(DEMO_PASSWORD);
        "render", "--db", &db, "--user", "zhaomin", "--weekly-report", &week, "--salesperson", "nobody", "--out", &out),
        1,
    );
    assert!(err.contains("nobody"), "{err}");
}

#[test]
fn render_prints_the_chase_list_with_whom_to_call_for_everyone_or_one_salesperson() {
    let (dir, db) = closed_demo_office();
    let out = dir.path().join("chase.pdf");
    let said = succeeded(&salesdesk!(Some(DEMO_PASSWORD);
        "render", "--db", &db, "--user", "zhaomin", "--chase-list", "--salesperson", "liqiang", "--out", &out));
    assert!(said.contains("催款清单"), "{said}");
    let text = crate::documents::pdf_text(&std::fs::read(&out).expect("written"));
    assert!(text.contains("催款清单") && text.contains("李强") && text.contains("销售员签收"), "{text}");
    let svc_phone = {
        let mut svc = Service::open(&db).expect("opens");
        let head = crate::support::sign_in(&mut svc, "zhaomin");
        let r = svc.receivables(&head).expect("receivables");
        r.chase.iter().find(|c| c.salesperson_name == "李强").map(|c| c.phone.clone()).expect("李强 has overdue money")
    };
    assert!(text.contains(&svc_phone), "the phone to call");
    assert!(!text.contains("冯雪"), "only his");
}

#[test]
fn render_and_issue_a_contract_from_the_command_line() {
    let (dir, db) = closed_demo_office();
    let (number, status) = {
        let mut svc = Service::open(&db).expect("opens");
        let head = crate::support::sign_in(&mut svc, "zhaomin");
        let signed = svc
            .contracts(&head)
            .expect("contracts")
            .into_iter()
            .find(|l| l.contract.status == salesdesk::domain::contract::ContractStatus::Signed)
            .expect("a signed demo contract");
        (signed.contract.number.to_string(), signed.contract.status)
    };
    assert_eq!(status, salesdesk::domain::contract::ContractStatus::Signed);
    let draft = dir.path().join("draft.pdf");
    let said = succeeded(&salesdesk!(Some(DEMO_PASSWORD);
        "render", "--db", &db, "--user", "zhaomin", "--contract", &number, "--out", &draft));
    assert!(said.contains(&number) && said.contains("草稿"), "{said}");
    let text = crate::documents::pdf_text(&std::fs::read(&draft).expect("written"));
    assert!(text.contains("第一条") && text.contains("未用印发出"), "{text}");
    let issued = dir.path().join("合同 盖章.pdf");
    let said = succeeded(&salesdesk!(Some(DEMO_PASSWORD);
        "issue", "--db", &db, "--user", "sunli", "--contract", &number, "--copies", "2", "--out", &issued));
    assert!(said.contains("已用印发出 销售合同") && said.contains(&number), "{said}");
    let said = succeeded(&salesdesk!(None; "verify", "--db", &db, &issued));
    assert!(said.contains("真实有效") && said.contains("销售合同"), "{said}");
    let err = failed(
        &salesdesk!(Some(DEMO_PASSWORD);
        "render", "--db", &db, "--user", "zhaomin", "--contract", "HT-2099-0001", "--out", &draft),
        1,
    );
    assert!(err.contains("没有合同 HT-2099-0001"), "{err}");
}
