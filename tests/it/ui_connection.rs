//! The office connection in the window (egui_kittest, headless): the connection dialog checks its
//! fields and builds the server address; a start whose remembered server needs the password asks
//! for it; a dropped server connection shows the banner, keeps what was typed, and goes away when
//! the watch reaches the server again; and another seat's work reaches the window within seconds,
//! long before the 30-second refresh. A pretend server is an opener that records the address and
//! answers as told, with an office file behind it; a dropped connection is cut inside the store
//! (`Faults`), where a real one happens; the change watch runs on real files.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use egui_kittest::Harness;
use salesdesk::service::{Service, ServiceError, TlsMode, migrate_office};
use salesdesk::store::{Faults, Location};
use salesdesk::ui::connect::{Account, SHARING_HINT, ServerFields, tls_label};
use salesdesk::ui::credentials::{MemoryVault, remembered_location};
use salesdesk::ui::worker::Worker;
use salesdesk::ui::{DISCONNECTED_BANNER, RECONNECTED, SalesDeskApp, Screen};

use crate::support::{
    closed_demo_office, new_server_database, office_with_an_inquiry, require_server, server_url,
    sign_in as service_sign_in, staff_office_file, submitted_quote,
};
use crate::window::*;

fn window(db: Location, worker: Worker) -> Harness<'static, SalesDeskApp> {
    window_with(db, worker)
}

/// Lets `seconds` of the window's clock pass (time then stands still until the next wait).
fn wait(h: &mut Harness<'_, SalesDeskApp>, seconds: f64) {
    let later = h.ctx.input(|i| i.time) + seconds;
    h.input_mut().time = Some(later);
    h.run_steps(3);
}

/// Replaces what the labelled field holds (select all, then type).
fn replace(h: &mut Harness<'_, SalesDeskApp>, label: &str, text: &str) {
    input(h, label).focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    input(h, label).type_text(text);
    h.run_steps(3);
}

fn value(h: &Harness<'_, SalesDeskApp>, label: &str) -> String {
    input(h, label).value().unwrap_or_default()
}

/// Server addresses the window asked the worker to open.
type Opens = Arc<Mutex<Vec<String>>>;

fn opened(opens: &Opens) -> Vec<String> {
    opens.lock().expect("not poisoned").clone()
}

/// A worker that plays an office server for `Server(..)` addresses (answering from `answers`, in
/// order: a refusal's sentence, or the office file `behind` as the server's office) and opens
/// files as they are.
fn server_worker(opens: &Opens, answers: Vec<Result<(), &'static str>>, behind: PathBuf) -> Worker {
    let opens = opens.clone();
    let answers = Mutex::new(answers.into_iter());
    Worker::inline_with(Arc::new(move |location: &Location| match location {
        Location::Server(url) => {
            opens.lock().expect("not poisoned").push(url.clone());
            match answers.lock().expect("not poisoned").next().expect("an answer for every connection") {
                Ok(()) => Service::open(&behind),
                Err(why) => Err(ServiceError::rule("test.server_refused", why)),
            }
        }
        Location::File(_) => Service::open_at(location),
    }))
}

/// A worker whose offices' stores obey `faults`.
fn faulty_worker(faults: &Faults) -> Worker {
    let faults = faults.clone();
    Worker::inline_with(Arc::new(move |location: &Location| {
        Service::open_at(location).map(|s| s.with_faults(faults.clone()))
    }))
}

#[test]
fn server_fields_build_a_percent_encoded_address_and_read_it_back() {
    let f = ServerFields {
        account: Account::Server,
        host: " 192.168.1.10 ".into(),
        port: "5433".into(),
        database: "销售部".into(),
        user: "li qiang".into(),
        password: "p@ss:w/rd%1?#".into(),
        ..Default::default()
    };
    let url = f.url(true).expect("usable fields");
    assert_eq!(url, "postgres://li%20qiang:p%40ss%3Aw%2Frd%251%3F%23@192.168.1.10:5433/%E9%94%80%E5%94%AE%E9%83%A8");
    assert_eq!(f.url(false).unwrap(), "postgres://li%20qiang@192.168.1.10:5433/%E9%94%80%E5%94%AE%E9%83%A8");
    let back = ServerFields::from_url(&url).expect("a server address");
    assert_eq!((back.host.as_str(), back.port.as_str()), ("192.168.1.10", "5433"));
    assert_eq!(
        (back.user.as_str(), back.password.as_str(), back.database.as_str()),
        ("li qiang", f.password.as_str(), "销售部")
    );
    assert_eq!(
        Location::parse(&url).shown(),
        "postgres://li qiang@192.168.1.10:5433/销售部",
        "the client reads it as meant"
    );

    let v6 = ServerFields { host: "fe80::1".into(), user: "li".into(), account: Account::Server, ..Default::default() };
    assert_eq!(v6.url(false).unwrap(), "postgres://li@[fe80::1]:5432/salesdesk", "an IPv6 host is bracketed");
    assert_eq!(
        ServerFields::from_url("postgresql://li@[fe80::1]/sd?connect_timeout=3").map(|f| (f.host, f.port, f.params)),
        Some(("fe80::1".into(), "5432".into(), "connect_timeout=3".into()))
    );
    assert_eq!(ServerFields::from_url("/home/li/office.db"), None, "a file path is no server");

    // By default a person connects with their own login: 数据库名.登录名, read back as theirs, and
    // signed in as them with the same password once connected.
    let mine = ServerFields {
        host: "office".into(),
        database: "销售部".into(),
        user: "li.qiang".into(),
        password: "pw1".into(),
        ..Default::default()
    };
    assert_eq!(mine.account, Account::Mine);
    assert_eq!(
        mine.url(false).unwrap(),
        "postgres://%E9%94%80%E5%94%AE%E9%83%A8.li.qiang@office:5432/%E9%94%80%E5%94%AE%E9%83%A8"
    );
    let back = ServerFields::from_url(&mine.url(true).unwrap()).expect("read back");
    assert_eq!((back.account, back.user.as_str()), (Account::Mine, "li.qiang"));
    assert_eq!(mine.person(), Some(("li.qiang".into(), "pw1".into())));
    let owner = ServerFields::from_url("postgres://salesdesk_owner@office/销售部").unwrap();
    assert_eq!((owner.account, owner.user.as_str(), owner.person()), (Account::Server, "salesdesk_owner", None));

    let fields = |problems: Vec<salesdesk::domain::company::FieldError>| {
        problems.into_iter().map(|p| p.field.to_string()).collect::<Vec<_>>()
    };
    // Encryption: prefer (the default) adds nothing; a mode that checks the server carries the
    // CA file, percent-encoded, and both read back; other parameters stay where they were.
    let dir = tempfile::tempdir().expect("folder");
    let ca = dir.path().join("办公室 CA.crt");
    std::fs::write(&ca, "-----BEGIN CERTIFICATE-----\n").expect("written");
    let tls = ServerFields {
        host: "office".into(),
        user: "li".into(),
        tls: TlsMode::VerifyFull,
        root_cert: ca.display().to_string(),
        params: "connect_timeout=3".into(),
        ..Default::default()
    };
    let url = tls.url(false).expect("usable");
    assert!(
        url.starts_with(
            "postgres://salesdesk.li@office:5432/salesdesk?connect_timeout=3&sslmode=verify-full&sslrootcert="
        ),
        "{url}"
    );
    assert!(!url.contains(' ') && !url.contains("办公室"), "the path is encoded: {url}");
    let back = ServerFields::from_url(&url).expect("read back");
    assert_eq!(
        (back.tls, back.root_cert.as_str(), back.params.as_str()),
        (TlsMode::VerifyFull, tls.root_cert.as_str(), "connect_timeout=3")
    );
    assert_eq!(
        Location::parse(&url).shown(),
        "postgres://salesdesk.li@office:5432/salesdesk",
        "shown without its parameters"
    );
    let no_file = ServerFields { root_cert: String::new(), ..tls.clone() };
    assert_eq!(fields(no_file.problems()), ["root_cert"]);
    let gone = ServerFields { root_cert: dir.path().join("gone.crt").display().to_string(), ..tls.clone() };
    assert_eq!(fields(gone.problems()), ["root_cert"]);

    let empty = ServerFields { database: " ".into(), ..Default::default() };
    assert_eq!(fields(empty.problems()), ["host", "database", "user"]);
    for port in ["0", "65536", "54x", "", "-1"] {
        let f = ServerFields { host: "office".into(), port: port.into(), user: "li".into(), ..Default::default() };
        assert_eq!(fields(f.problems()), ["port"], "port {port:?}");
    }
    let with_port = ServerFields { host: "office:5432".into(), user: "li".into(), ..Default::default() };
    assert_eq!(fields(with_port.problems()), ["host"], "the port goes in its own box");
    assert!(with_port.url(true).is_err());
}

#[test]
fn the_dialog_checks_its_fields_and_connects_to_the_address_it_built() {
    let (_dir, db) = staff_office_file();
    let opens = Opens::default();
    let answers = vec![Err("服务器拒绝了连接：密码不对。"), Ok(())];
    let mut h = window(Location::File(db.clone()), server_worker(&opens, answers, db.clone()));
    assert_eq!(h.state().screen, Screen::SignIn);
    click(&mut h, "连接数据库…");
    assert!(shows(&h, SHARING_HINT));
    assert_eq!(value(&h, "文件路径"), db.display().to_string(), "it starts on the office open now");
    click(&mut h, "办公室服务器（PostgreSQL）");
    assert_eq!(value(&h, "端口"), "5432");
    assert_eq!(value(&h, "数据库名"), "salesdesk");

    // Nothing typed yet, and a port out of range: said beside the fields, nothing sent.
    replace(&mut h, "端口", "70000");
    click(&mut h, "连接");
    assert!(shows(&h, "请填写服务器地址"));
    assert!(shows(&h, "请填写用户名"));
    assert!(shows(&h, "端口须是 1–65535 之间的数字"));
    assert!(opened(&opens).is_empty(), "nothing goes to the worker");

    replace(&mut h, "端口", "5433");
    fill(&mut h, "服务器地址", "office-server");
    click(&mut h, "数据库账号（安装、升级）");
    fill(&mut h, "用户名", "li@sales");
    fill(&mut h, "密码", "p@ss word");
    click(&mut h, "连接");
    assert!(!shows(&h, "请填写用户名"), "the problems are gone");
    assert_eq!(opened(&opens), ["postgres://li%40sales:p%40ss%20word@office-server:5433/salesdesk"]);
    // The server says no: the sentence shows in the dialog and every field stays.
    assert!(shows(&h, "服务器拒绝了连接：密码不对。"));
    assert_eq!(value(&h, "服务器地址"), "office-server");
    assert_eq!(value(&h, "用户名"), "li@sales");
    assert_eq!(value(&h, "密码").chars().count(), "p@ss word".chars().count(), "(shown masked)");
    assert_eq!(h.state().screen, Screen::SignIn, "the office open before is still the one shown");
    assert_eq!(h.state().view_state().remembered_office, None);

    // Right the second time: the dialog closes, the status bar names the server (no password),
    // and the address is remembered without the password (记住密码 is off unless ticked).
    click(&mut h, "连接");
    assert_eq!(opened(&opens)[1], opened(&opens)[0], "the same address, password and all");
    assert!(!shows(&h, SHARING_HINT), "the dialog closed");
    assert_eq!(h.state().screen, Screen::SignIn);
    assert!(shows(&h, "数据库：postgres://li@sales@office-server:5433/salesdesk"));
    assert_eq!(
        h.state().view_state().remembered_office.as_deref(),
        Some("postgres://li%40sales@office-server:5433/salesdesk")
    );
}

#[test]
fn checking_the_server_s_certificate_asks_for_the_office_ca_and_sends_it_with_the_address() {
    let (dir, db) = staff_office_file();
    let opens = Opens::default();
    let mut h = window(Location::File(db.clone()), server_worker(&opens, vec![Ok(())], db.clone()));
    click(&mut h, "连接数据库…");
    click(&mut h, "办公室服务器（PostgreSQL）");
    fill(&mut h, "服务器地址", "office-server");
    click(&mut h, "数据库账号（安装、升级）");
    fill(&mut h, "用户名", "li");
    assert!(shows(&h, "但不核对对方是不是办公室的服务器"), "the default encrypts without checking, and says so");
    click(&mut h, "加密连接");
    click(&mut h, tls_label(TlsMode::VerifyFull));
    click(&mut h, "连接");
    assert!(shows(&h, "请选择管理员给的办公室 CA 证书文件"));
    assert!(opened(&opens).is_empty(), "nothing goes to the worker without the CA file");
    let ca = dir.path().join("office-ca.crt");
    std::fs::write(&ca, "-----BEGIN CERTIFICATE-----\n").expect("written");
    fill(&mut h, "CA 证书文件", &ca.display().to_string());
    click(&mut h, "连接");
    let sent = opened(&opens);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(
        sent[0].starts_with("postgres://li@office-server:5432/salesdesk?sslmode=verify-full&sslrootcert=%2F"),
        "{}",
        sent[0]
    );
    // Remembered with the choice, so the next start checks the server too.
    let remembered = h.state().view_state().remembered_office.clone().expect("remembered");
    assert!(remembered.contains("sslmode=verify-full&sslrootcert="), "{remembered}");
}

/// Connects to office-server as li with `password` and 记住密码 ticked, saved passwords going to
/// `vault`; the worker says yes and the dialog closes.
fn connect_remembering_password(
    vault: Arc<MemoryVault>,
    password: &str,
) -> (tempfile::TempDir, Harness<'static, SalesDeskApp>) {
    let (dir, db) = staff_office_file();
    let opens = Opens::default();
    let worker = server_worker(&opens, vec![Ok(())], db.clone());
    let view = salesdesk::ui::ViewState::default();
    let mut h = window_in(Location::File(db), worker, egui::vec2(1280.0, 800.0), 1.0, vault, view);
    click(&mut h, "连接数据库…");
    click(&mut h, "办公室服务器（PostgreSQL）");
    fill(&mut h, "服务器地址", "office-server");
    click(&mut h, "数据库账号（安装、升级）");
    fill(&mut h, "用户名", "li");
    fill(&mut h, "密码", password);
    click(&mut h, "记住密码");
    assert!(shows(&h, "系统的密码库"), "the dialog says where the password goes");
    click(&mut h, "连接");
    (dir, h)
}

#[test]
fn a_remembered_password_goes_to_the_system_s_credential_store_never_into_the_settings() {
    let vault = Arc::new(MemoryVault::default());
    let (_dir, h) = connect_remembering_password(vault.clone(), "s3cret pw");
    let key = "postgres://li@office-server:5432/salesdesk";
    assert_eq!(h.state().view_state().remembered_office.as_deref(), Some(key), "the settings: no password");
    assert_eq!(vault.saved().get(key).map(String::as_str), Some("s3cret pw"), "the password: in the vault");

    // The next start: the address from the settings, the password from the vault.
    let mut remembered = Some(key.to_string());
    let at = remembered_location(&mut remembered, &*vault).expect("an office");
    assert_eq!(at, Location::Server("postgres://li:s3cret%20pw@office-server:5432/salesdesk".into()));
    assert_eq!(remembered.as_deref(), Some(key));

    // Settings written by an older version, password inside: it moves into the vault.
    let older = MemoryVault::default();
    let mut remembered = Some("postgres://li:old%20pw@office-server:5432/salesdesk".to_string());
    let at = remembered_location(&mut remembered, &older).expect("an office");
    assert_eq!(
        at,
        Location::Server("postgres://li:old%20pw@office-server:5432/salesdesk".into()),
        "this start still connects"
    );
    assert_eq!(remembered.as_deref(), Some(key), "the settings lose the password");
    assert_eq!(older.saved().get(key).map(String::as_str), Some("old pw"));
    // … and where no store answers, it is dropped from the settings all the same (asked next time).
    let none = MemoryVault::unavailable();
    let mut remembered = Some("postgres://li:old%20pw@office-server:5432/salesdesk".to_string());
    remembered_location(&mut remembered, &none);
    assert_eq!(remembered.as_deref(), Some(key));
    let mut remembered = Some(key.to_string());
    assert_eq!(
        remembered_location(&mut remembered, &none),
        Some(Location::Server(key.into())),
        "no password: the dialog asks"
    );
}

#[test]
fn without_a_credential_store_the_password_is_not_saved_and_the_user_is_told() {
    let vault = Arc::new(MemoryVault::unavailable());
    let (_dir, h) = connect_remembering_password(vault.clone(), "pw");
    assert_eq!(h.state().view_state().remembered_office.as_deref(), Some("postgres://li@office-server:5432/salesdesk"));
    assert!(vault.saved().is_empty());
    assert!(
        toasts(&h).iter().any(|t| t.contains("密码没有保存") && t.contains("下次启动时会请您输入密码")),
        "{:?}",
        toasts(&h)
    );
}

#[test]
fn a_connection_that_fails_leaves_the_office_open_before_in_use() {
    let (_dir, db) = staff_office_file();
    let mut h = window(Location::File(db), Worker::inline());
    click(&mut h, "连接数据库…");
    click(&mut h, "办公室服务器（PostgreSQL）");
    // A real attempt: nothing listens on port 1 here, so it is refused at once.
    fill(&mut h, "服务器地址", "127.0.0.1");
    replace(&mut h, "端口", "1");
    click(&mut h, "数据库账号（安装、升级）");
    fill(&mut h, "用户名", "li");
    click(&mut h, "连接");
    assert!(shows(&h, "与办公室服务器的连接断开了"), "the store's sentence shows in the dialog");
    assert!(!h.state().disconnected(), "a failed open is the dialog's business, not the banner's");
    click(&mut h, "取消");
    assert!(!shows(&h, SHARING_HINT), "the dialog closed");
    sign_in(&mut h, "admin");
}

#[test]
fn a_remembered_server_without_its_password_asks_for_it_at_start() {
    let (_dir, db) = staff_office_file();
    let opens = Opens::default();
    let remembered = "postgres://li@office-server:5432/salesdesk";
    let worker = server_worker(&opens, vec![Err("服务器要求输入密码。"), Ok(())], db);
    let mut h = window(Location::parse(remembered), worker);
    assert_eq!(h.state().screen, Screen::FileProblem("服务器要求输入密码。".into()));
    assert!(shows(&h, SHARING_HINT), "the dialog is open");
    assert!(shows(&h, "服务器要求输入密码。"));
    assert_eq!(value(&h, "服务器地址"), "office-server");
    assert_eq!(value(&h, "用户名"), "li");
    assert_eq!(value(&h, "密码"), "");

    fill(&mut h, "密码", "secret1");
    click(&mut h, "连接");
    assert_eq!(opened(&opens), [remembered, "postgres://li:secret1@office-server:5432/salesdesk"]);
    assert_eq!(h.state().screen, Screen::SignIn);
    assert_eq!(h.state().view_state().remembered_office.as_deref(), Some(remembered), "still without the password");
}

#[test]
fn choosing_another_office_file_opens_it_and_remembers_it() {
    let (_dir, db) = staff_office_file();
    let (_other_dir, other) = staff_office_file();
    let other = rename(&other, "分公司.db");
    let mut h = window(Location::File(db), Worker::inline());
    click(&mut h, "更换…");
    replace(&mut h, "文件路径", &other.display().to_string());
    click(&mut h, "打开");
    assert!(!shows(&h, SHARING_HINT), "the dialog closed");
    assert!(shows(&h, "分公司.db"), "the status bar names the new file");
    assert_eq!(h.state().view_state().remembered_office, Some(other.display().to_string()));
    sign_in(&mut h, "admin");
}

fn rename(path: &Path, name: &str) -> PathBuf {
    let to = path.with_file_name(name);
    std::fs::rename(path, &to).expect("renamed");
    to
}

#[test]
fn signed_in_the_status_bar_asks_before_signing_out_to_change_the_office() {
    let (_dir, db) = staff_office_file();
    let mut h = window(Location::File(db), Worker::inline());
    sign_in(&mut h, "admin");
    click(&mut h, "更换…");
    assert!(shows(&h, "更换数据库前需要先退出登录"));
    click(&mut h, "取消");
    assert_eq!(h.state().screen, Screen::Main, "still signed in");
    click(&mut h, "更换…");
    click(&mut h, "退出登录并更换");
    assert!(h.state().actor().is_none());
    assert!(shows(&h, SHARING_HINT), "the dialog is open");
}

#[test]
fn a_dropped_connection_keeps_the_typing_under_a_banner_until_the_watch_reaches_the_server() {
    // The demo office: its company profile is complete, so the save after reconnecting passes.
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("office.db");
    Service::open(&db).expect("opens").create_demo_office().expect("the demo office");
    let faults = Faults::default();
    let worker = faulty_worker(&faults);
    let mut h = window(Location::File(db.clone()), worker);
    sign_in(&mut h, "admin");
    click(&mut h, "公司信息");
    let address = "苏州工业园区星湖街328号";
    replace(&mut h, "地址", address);
    assert!(!h.state().disconnected());

    faults.cut_connection(true);
    click(&mut h, "保存公司信息");
    assert!(h.state().disconnected());
    assert!(shows(&h, DISCONNECTED_BANNER));
    assert_eq!(value(&h, "地址"), address, "the typing stays");

    // Still away: the probe tries every 3 seconds and the banner stays.
    let before = faults.refused_looks();
    wait(&mut h, 3.1);
    assert_eq!(faults.refused_looks(), before + 1, "one probe after 3 s");
    wait(&mut h, 1.0);
    assert_eq!(faults.refused_looks(), before + 1, "not before the next 3 s are up");
    assert!(shows(&h, DISCONNECTED_BANNER));

    // Back: the next probe succeeds, the banner goes, the typing is still there to save again.
    faults.cut_connection(false);
    wait(&mut h, 3.1);
    assert!(!h.state().disconnected());
    assert!(!shows(&h, DISCONNECTED_BANNER));
    assert!(toasts(&h).iter().any(|t| t == RECONNECTED), "{:?}", toasts(&h));
    assert_eq!(value(&h, "地址"), address);
    click(&mut h, "保存公司信息");
    assert!(toasts(&h).iter().any(|t| t == "公司信息已保存。"), "{:?}", toasts(&h));
    let mut svc = Service::open(&db).expect("opens beside the window");
    let admin = service_sign_in(&mut svc, "admin");
    assert_eq!(svc.settings(&admin).expect("reads").company.value.address, address);
}

#[test]
fn a_quote_submitted_at_another_seat_reaches_the_heads_approvals_within_seconds() {
    let (_dir, db) = staff_office_file();
    let inquiry = office_with_an_inquiry(&db, true);
    let mut head = window(Location::File(db.clone()), Worker::inline());
    sign_in(&mut head, "zhaomin");
    let signed_in_at = head.ctx.input(|i| i.time);
    wait(&mut head, 2.1);
    assert!(has_nav(&head, "审批") && !has_nav(&head, "审批 (1)"), "nothing waits yet");

    submitted_quote(&db, inquiry);
    wait(&mut head, 2.1);
    assert!(head.ctx.input(|i| i.time) - signed_in_at < 30.0, "long before the 30-second refresh");
    assert!(has_nav(&head, "审批 (1)"), "the watch saw the other seat's commit");
    click(&mut head, "审批 (1)");
    assert!(shows(&head, "BJ-2026-0001-V1"));
}

#[test]
fn an_inquiry_registered_at_another_seat_reaches_the_heads_inbox_within_seconds() {
    let (_dir, db) = staff_office_file();
    let mut head = window(Location::File(db.clone()), Worker::inline());
    sign_in(&mut head, "zhaomin");
    wait(&mut head, 2.1);
    assert!(has_nav(&head, "待我决定") && !has_nav(&head, "待我决定 (1)"));

    office_with_an_inquiry(&db, false);
    wait(&mut head, 2.1);
    assert!(has_nav(&head, "待我决定 (1)"), "the inbox refreshed after the watch");
}

#[test]
fn a_customer_added_at_another_seat_appears_in_the_open_customer_list_within_seconds() {
    let (_dir, db) = staff_office_file();
    let mut head = window(Location::File(db.clone()), Worker::inline());
    sign_in(&mut head, "zhaomin");
    click(&mut head, "客户档案");
    wait(&mut head, 2.1);
    assert!(!shows(&head, "另一席位新建的客户有限公司"));

    let mut other = Service::open(&db).expect("another seat");
    let wang = service_sign_in(&mut other, "wangfang");
    let draft = salesdesk::domain::customer::CustomerDraft {
        name: "另一席位新建的客户有限公司".into(),
        ..Default::default()
    };
    other.create_customer(&wang, draft, None, true).expect("the other seat adds a customer");
    wait(&mut head, 2.1);
    assert!(shows(&head, "另一席位新建的客户有限公司"), "the list was read again after the watch");
}

/// The same on a real office server (SALESDESK_TEST_PG, as the server tests): the fields typed
/// into the dialog reach it, and a connection the server cuts brings the banner while a save is
/// refused with the typing kept; the watch's next probe reconnects and the save goes through.
#[test]
fn on_a_real_office_server_the_dialog_connects_and_a_cut_connection_comes_back() {
    let Some(base) = require_server("ui_connection: real server") else { return };
    let url = new_server_database(&base, None);
    let (_dir, file) = closed_demo_office();
    migrate_office(&Location::File(file.clone()), &Location::Server(url.clone())).expect("the office moves");
    // The owner's start gives each person a login (the demo's keep the demo password).
    drop(Service::open_at(&Location::Server(url.clone())).expect("the owner starts it"));
    let typed = ServerFields::from_url(&url).expect("a server address");

    let mut h = window(Location::File(file), Worker::inline());
    click(&mut h, "连接数据库…");
    click(&mut h, "办公室服务器（PostgreSQL）");
    fill(&mut h, "服务器地址", &typed.host);
    replace(&mut h, "端口", &typed.port);
    replace(&mut h, "数据库名", &typed.database);
    // The admin connects with their own login (数据库名.admin) and is signed in with it at once.
    fill(&mut h, "登录名", "admin");
    fill(&mut h, "密码", salesdesk::service::DEMO_PASSWORD);
    click(&mut h, "连接");
    assert!(!shows(&h, SHARING_HINT), "connected: the dialog closed");
    let mine = ServerFields {
        account: Account::Mine,
        user: "admin".into(),
        password: salesdesk::service::DEMO_PASSWORD.into(),
        ..typed.clone()
    };
    assert!(shows(&h, &format!("数据库：{}", Location::Server(mine.url(false).unwrap()).shown())));
    assert_eq!(h.state().view_state().remembered_office, Some(mine.url(false).expect("usable")));
    for _ in 0..20 {
        if h.state().screen == Screen::Main {
            break;
        }
        h.run_steps(2);
    }
    assert_eq!(h.state().screen, Screen::Main, "signed in as the person the login is");
    click(&mut h, "公司信息");
    let address = "苏州工业园区星湖街328号";
    replace(&mut h, "地址", address);
    // Time stands still from here, so the save is the first call after the cut (not the watch).
    wait(&mut h, 0.0);
    let db = typed.database.clone();
    let killed: i64 = postgres::Client::connect(&server_url(&base, "postgres"), postgres::NoTls)
        .expect("connects")
        .query_one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE datname = $1 AND application_name = 'salesdesk'",
            &[&db],
        )
        .expect("terminates")
        .get(0);
    // The window's connections: the seat's entry login, and the admin's own login.
    assert!(killed >= 1, "the window's connections were there to drop");
    // Away for a moment: the save cannot reconnect at once.
    let away = |allow: bool| {
        postgres::Client::connect(&server_url(&base, "postgres"), postgres::NoTls)
            .expect("connects")
            .batch_execute(&format!("ALTER DATABASE {db} ALLOW_CONNECTIONS {allow}"))
            .expect("alters")
    };
    away(false);
    click(&mut h, "保存公司信息");
    assert!(shows(&h, DISCONNECTED_BANNER));
    assert_eq!(value(&h, "地址"), address);

    away(true);
    wait(&mut h, 3.1);
    assert!(!shows(&h, DISCONNECTED_BANNER), "the probe reconnected");
    assert!(toasts(&h).iter().any(|t| t == RECONNECTED), "{:?}", toasts(&h));
    click(&mut h, "保存公司信息");
    assert!(toasts(&h).iter().any(|t| t == "公司信息已保存。"), "{:?}", toasts(&h));
    let mut seat = Service::open_at(&Location::Server(url)).expect("another seat");
    let admin = service_sign_in(&mut seat, "admin");
    assert_eq!(seat.settings(&admin).expect("reads").company.value.address, address);
}

/// The owner opens the window on an office that moved onto the server: its start gives everyone a
/// login, and those with one-time passwords are shown once, to be handed on.
#[test]
fn the_owners_start_in_the_window_shows_the_one_time_passwords_once() {
    let Some(base) = require_server("ui_connection: one-time passwords") else { return };
    let (_dir, file) = crate::support::demo_file_with_own_password("sunli", "SunLi2026x");
    let url = new_server_database(&base, None);
    migrate_office(&Location::File(file), &Location::Server(url.clone())).expect("moves");

    let mut h = window(Location::Server(url), Worker::inline());
    assert!(shows(&h, "已为用户建立服务器账号"));
    assert!(shows(&h, "孙丽（sunli）"), "the one person whose password SalesDesk cannot know");
    assert!(!shows(&h, "赵敏（zhaomin）"), "the demo users keep the demo password");
    click(&mut h, "我已记下");
    assert!(!shows(&h, "已为用户建立服务器账号"), "shown once");
}
