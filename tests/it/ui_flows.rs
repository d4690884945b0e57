//! Whole-window flows with egui_kittest (headless, no GPU): the app runs its real panels over a
//! real database file, with the inline worker so every action completes before the next frame.

use std::path::Path;

use crate::window::*;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use salesdesk::service::Service;
use salesdesk::ui::{SalesDeskApp, Screen};

fn demo_db(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("office.db");
    Service::open(&db).unwrap().create_demo_office().unwrap();
    db
}

/// Focuses the labelled field and types into it, as a user clicking into it would.
fn fill(h: &mut Harness<'_, SalesDeskApp>, label: &str, text: &str) {
    input(h, label).focus();
    h.run_steps(1);
    input(h, label).type_text(text);
    h.run_steps(1);
}

/// Clicks a navigation entry (its text may also be the panel's heading).
fn nav(h: &mut Harness<'_, SalesDeskApp>, label: &str) {
    let entry = h.get_all_by_label(label).find(|n| n.accesskit_node().role() != Role::Label);
    entry.unwrap_or_else(|| panic!("no navigation entry {label}")).click();
    h.run_steps(2);
}

fn sign_in(h: &mut Harness<'_, SalesDeskApp>, login: &str, password: &str) {
    fill(h, "用户名", login);
    fill(h, "密码", password);
    h.get_by_role_and_label(Role::Button, "登录").click();
    h.run_steps(4);
}

#[test]
fn signing_in_with_a_demo_account_opens_the_main_window() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&demo_db(dir.path()));
    assert_eq!(h.state().screen, Screen::SignIn);
    sign_in(&mut h, "admin", "demo1234");
    assert_eq!(h.state().screen, Screen::Main);
    assert_eq!(h.state().actor().map(|a| a.login().to_string()), Some("admin".into()));
    // The admin's navigation shows the administration panels.
    assert!(has_nav(&h, "用户与角色"));
    assert!(has_nav(&h, "审计日志"));
}

#[test]
fn a_wrong_password_keeps_the_sign_in_screen_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&demo_db(dir.path()));
    sign_in(&mut h, "admin", "wrong-password1");
    assert_eq!(h.state().screen, Screen::SignIn);
    h.get_by_label("用户名或密码错误，请重新输入。");
}

#[test]
fn a_salesperson_sees_no_administration_panels() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&demo_db(dir.path()));
    sign_in(&mut h, "liqiang", "demo1234");
    assert_eq!(h.state().screen, Screen::Main);
    assert!(!has_nav(&h, "用户与角色"));
    assert!(!has_nav(&h, "数据维护"));
    assert!(has_nav(&h, "公司信息"));
}

#[test]
fn the_admin_creates_a_user_who_must_change_the_password_at_first_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let mut h = harness(&db);
    sign_in(&mut h, "admin", "demo1234");
    nav(&mut h, "用户与角色");
    h.get_by_label("＋ 新建用户").click();
    h.run_steps(2);
    fill(&mut h, "登录名", "xiaoma");
    fill(&mut h, "姓名", "马晓");
    fill(&mut h, "电话", "13812345678");
    fill(&mut h, "初始密码", "start2026");
    h.get_by_role_and_label(Role::Button, "保存").click();
    h.run_steps(4);
    assert!(h.state().toasts.texts().iter().any(|t| t.contains("马晓")), "{:?}", h.state().toasts.texts());

    // The new user signs in and is asked for a new password first.
    drop(h);
    let mut h = harness(&db);
    sign_in(&mut h, "xiaoma", "start2026");
    assert_eq!(h.state().screen, Screen::MustChangePassword);
    fill(&mut h, "原密码", "start2026");
    fill(&mut h, "新密码", "mine2026x");
    fill(&mut h, "确认新密码", "mine2026x");
    h.get_by_role_and_label(Role::Button, "修改密码").click();
    h.run_steps(4);
    assert_eq!(h.state().screen, Screen::Main);
}

#[test]
fn an_invalid_new_user_shows_the_problem_under_the_field_and_keeps_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&demo_db(dir.path()));
    sign_in(&mut h, "admin", "demo1234");
    nav(&mut h, "用户与角色");
    h.get_by_label("＋ 新建用户").click();
    h.run_steps(2);
    fill(&mut h, "登录名", "xiaoma");
    fill(&mut h, "姓名", "马晓");
    fill(&mut h, "电话", "12345");
    fill(&mut h, "初始密码", "short");
    h.get_by_role_and_label(Role::Button, "保存").click();
    h.run_steps(4);
    h.get_by_label("密码至少8位，且须同时包含字母和数字");
    assert_eq!(input(&h, "登录名").value().as_deref(), Some("xiaoma"));
}

#[test]
fn the_admin_changes_the_major_threshold_and_it_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let mut h = harness(&db);
    sign_in(&mut h, "admin", "demo1234");
    nav(&mut h, "审批规则与标准条款");
    // Select the whole value and type over it, as a user would.
    input(&h, "重大金额门槛（元）").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    input(&h, "重大金额门槛（元）").type_text("800000");
    h.run_steps(1);
    h.get_by_role_and_label(Role::Button, "保存规则和条款").click();
    h.run_steps(4);
    assert!(h.state().toasts.texts().contains(&"审批规则已保存。"), "{:?}", h.state().toasts.texts());
    drop(h);

    let mut svc = Service::open(&db).unwrap();
    let admin = svc.sign_in("admin", "demo1234").unwrap();
    let policy = svc.settings(&admin).unwrap().policy;
    assert_eq!(policy.value.major_threshold.to_plain_string(), "800000.00");
    assert_eq!(policy.updated_by, "系统管理员 (admin)");
}

#[test]
fn a_new_database_offers_the_demo_office_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("new.db"));
    assert_eq!(h.state().screen, Screen::FirstStart);
    h.get_by_role_and_label(Role::Button, "创建演示办公室").click();
    h.run_steps(4);
    assert_eq!(h.state().screen, Screen::SignIn);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_with_an_offer_to_open_another() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("notes.db");
    std::fs::write(&bad, "这不是数据库。".repeat(100)).unwrap();
    let h = harness(&bad);
    assert!(matches!(h.state().screen, Screen::FileProblem(_)));
    h.get_by_role_and_label(Role::Button, "打开此数据库");
    assert_eq!(std::fs::read_to_string(&bad).unwrap(), "这不是数据库。".repeat(100));
}
