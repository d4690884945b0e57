//! Shared helpers: a demo office in a temporary folder, signing in, a clock the test moves by
//! hand, test images. Nothing here asserts business rules; the test modules do.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, TimeZone, Utc};
use salesdesk::domain::audit::AuditEntry;
use salesdesk::domain::audit::AuditFilter;
use salesdesk::domain::customer::{Customer, CustomerDraft};
use salesdesk::domain::role::{Role, RoleSet};
use salesdesk::domain::user::UserAccount;
use salesdesk::service::{Actor, Clock, DEMO_PASSWORD, NewUser, Service, ServiceError};
use salesdesk::store::{Location, Store};
use tempfile::TempDir;

/// The password tests give the users they create (meets the password rule).
pub const START_PASSWORD: &str = "Start2026x";

/// Where a test's office database lives inside its temporary folder.
pub fn db_path(dir: &TempDir) -> PathBuf {
    dir.path().join("office.db")
}

// ---------------------------------------------------------------------------------------------
// The backend under test. By default every office is a SQLite file. SALESDESK_TEST_PG names a
// throwaway PostgreSQL server (postgres://user:password@host:port/postgres; `.ci/run` starts one
// with pg_virtualenv): the server tests in `server.rs` use it. With SALESDESK_TEST_BACKEND=postgres
// as well, the same tests run with every office in its own new database on that server, copied
// from a template made once per run.

/// The PostgreSQL server the tests may use.
pub fn test_server() -> Option<String> {
    std::env::var("SALESDESK_TEST_PG").ok().filter(|u| !u.trim().is_empty())
}

/// True when this run's offices live on the PostgreSQL server.
pub fn on_server() -> bool {
    std::env::var("SALESDESK_TEST_BACKEND").is_ok_and(|b| b == "postgres") && test_server().is_some()
}

/// The server for offices, when this run puts them there.
fn office_server() -> Option<String> {
    let wanted = std::env::var("SALESDESK_TEST_BACKEND").is_ok_and(|b| b == "postgres");
    assert!(!wanted || test_server().is_some(), "SALESDESK_TEST_BACKEND=postgres needs SALESDESK_TEST_PG (the server)");
    if on_server() { test_server() } else { None }
}

/// For tests that need a server even in the SQLite run: the server's URL, or `None` to skip.
/// Under CI (`CI=true`) a missing server fails the test instead: CI must run them.
pub fn require_server(test: &str) -> Option<String> {
    match test_server() {
        Some(url) => Some(url),
        None if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("{test}: CI=true but SALESDESK_TEST_PG is not set; .ci/run starts the server")
        }
        None => {
            eprintln!("{test}: skipped, SALESDESK_TEST_PG is not set (see README: tests)");
            None
        }
    }
}

/// `base` with its database name replaced by `db`.
pub fn server_url(base: &str, db: &str) -> String {
    let (without_query, query) = base.split_once('?').map_or((base, ""), |(a, q)| (a, q));
    let root = match without_query.rfind('/') {
        Some(i) if i > "postgres://".len() => &without_query[..i],
        _ => without_query,
    };
    if query.is_empty() { format!("{root}/{db}") } else { format!("{root}/{db}?{query}") }
}

/// Runs maintenance SQL (CREATE/DROP DATABASE) on the server's `postgres` database.
pub fn server_sql(base: &str, sql: &str) {
    let mut admin = postgres::Client::connect(&server_url(base, "postgres"), postgres::NoTls)
        .unwrap_or_else(|e| panic!("connect to the test server: {e:?}"));
    // One statement at a time: CREATE/DROP DATABASE refuse to run inside a multi-statement batch.
    for statement in sql.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        admin.batch_execute(statement).unwrap_or_else(|e| panic!("{statement}: {e:?}"));
    }
}

/// The login that owns the test offices' databases, as an office's owner would: no superuser,
/// CREATEROLE (it makes each person's login). The server's superuser only makes it.
pub const OWNER: &str = "sdt_owner";
const OWNER_PASSWORD: &str = "Owner2026x";

/// `url` with its login replaced by `user` / `password`.
pub fn url_as(url: &str, user: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a postgres:// address");
    let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    format!("{scheme}://{user}:{password}@{host}")
}

/// `url` as the offices' owner (made on first use).
pub fn as_owner(base: &str, url: &str) -> String {
    static MADE: std::sync::Once = std::sync::Once::new();
    MADE.call_once(|| {
        let mut admin = postgres::Client::connect(&server_url(base, "postgres"), postgres::NoTls).expect("connects");
        let exists: bool = admin
            .query_one("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", &[&OWNER])
            .expect("asks")
            .get(0);
        let verb = if exists { "ALTER" } else { "CREATE" };
        admin
            .batch_execute(&format!("{verb} ROLE {OWNER} LOGIN CREATEROLE NOSUPERUSER PASSWORD '{OWNER_PASSWORD}'"))
            .expect("the owner login is made");
    });
    url_as(url, OWNER, OWNER_PASSWORD)
}

/// A new, empty database on the test server, owned by the offices' owner; returns its URL with
/// the owner's login.
pub fn new_server_database(base: &str, template: Option<&str>) -> String {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!("sdt_{}_{n}", std::process::id());
    let from = template.map(|t| format!(" TEMPLATE {t}")).unwrap_or_default();
    let owner = as_owner(base, &server_url(base, &name));
    server_sql(base, &format!("DROP DATABASE IF EXISTS {name}; CREATE DATABASE {name}{from} OWNER {OWNER}"));
    owner
}

/// A template database on the test server holding the office in `file_bytes`, made once per
/// kind per run. New offices are `CREATE DATABASE … TEMPLATE` copies of it (a file copy on the
/// server, much faster than migrating each time).
fn server_template(kind: &str, file_bytes: &[u8]) -> String {
    static TEMPLATES: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());
    let mut made = TEMPLATES.lock().expect("template lock");
    if let Some((_, name)) = made.iter().find(|(k, _)| k == kind) {
        return name.clone();
    }
    let base = test_server().expect("only on the server");
    if made.is_empty() {
        drop_stale_databases(&base);
    }
    let name = format!("sdt_{}_{kind}", std::process::id());
    let url = as_owner(&base, &server_url(&base, &name));
    server_sql(&base, &format!("DROP DATABASE IF EXISTS {name}; CREATE DATABASE {name} OWNER {OWNER}"));
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::write(db_path(&dir), file_bytes).expect("the office file is written");
    let mut from = Store::open(&db_path(&dir)).expect("the office file opens");
    let mut to = Store::open_server(&url).expect("the template database opens");
    from.copy_into(&mut to).expect("the office is copied onto the server");
    drop(to);
    // The owner's start gives each user a login; the passwords it keeps come with every copy
    // (the demo's users keep the demo password).
    drop(Service::open_at(&Location::Server(url)).expect("the template opens as its owner"));
    made.push((kind.to_string(), name.clone()));
    name
}

/// Drops the databases earlier test runs left (theirs, by a process id no longer running): each
/// test's office is a database, and nothing else removes them.
fn drop_stale_databases(base: &str) {
    let mut admin = postgres::Client::connect(&server_url(base, "postgres"), postgres::NoTls).expect("connects");
    let names: Vec<String> = admin
        .query("SELECT datname::text FROM pg_database WHERE datname LIKE 'sdt\\_%'", &[])
        .expect("lists databases")
        .iter()
        .map(|r| r.get(0))
        .collect();
    let stale = |name: &str| {
        let pid = name.split(['_', '.', ':']).nth(1).unwrap_or_default();
        !Path::new(&format!("/proc/{pid}")).exists()
    };
    for name in names.iter().filter(|n| stale(n)) {
        let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    }
    // Their offices' logins and group roles (role names are the server's, not the database's).
    let roles: Vec<String> = admin
        .query("SELECT rolname::text FROM pg_roles WHERE rolname LIKE 'sdt\\_%' AND rolname <> $1", &[&OWNER])
        .expect("lists roles")
        .iter()
        .map(|r| r.get(0))
        .collect();
    for role in roles.iter().filter(|r| stale(r)) {
        let _ = admin.batch_execute(&format!("DROP ROLE IF EXISTS \"{role}\""));
    }
}

/// An office in `dir` made from a closed office file's bytes: that file, or on the server a new
/// database from its template (its address kept in `dir`, for [`reopen`]).
fn office_in(dir: &TempDir, kind: &str, file_bytes: &[u8]) -> Service {
    match office_server() {
        None => {
            std::fs::write(db_path(dir), file_bytes).expect("the office file is written");
            Service::open(&db_path(dir)).expect("the office opens")
        }
        Some(base) => {
            let template = server_template(kind, file_bytes);
            let url = new_server_database(&base, Some(&template));
            std::fs::write(dir.path().join("office.url"), &url).expect("the address is kept");
            Service::open_at(&Location::Server(url)).expect("the office opens on the server")
        }
    }
}

/// Where the office of `dir` lives: its file, or its database on the test server.
pub fn office_location(dir: &TempDir) -> Location {
    match std::fs::read_to_string(dir.path().join("office.url")) {
        Ok(url) => Location::Server(url),
        Err(_) => Location::File(db_path(dir)),
    }
}

/// Opens the office of `dir` again: a restart, or a second seat.
pub fn reopen(dir: &TempDir) -> Result<Service, ServiceError> {
    Service::open_at(&office_location(dir))
}

/// A new, empty office (no users yet) in `dir`: a new file, or a new database on the server.
pub fn empty_office(dir: &TempDir) -> Service {
    if let Some(base) = office_server() {
        let url = new_server_database(&base, None);
        std::fs::write(dir.path().join("office.url"), &url).expect("the address is kept");
    }
    reopen(dir).expect("a new database opens")
}

/// The bytes of a closed demo office file, created once per test run (the demo tells a year of
/// visits and a dozen quotes through the use cases: too much to repeat for every test).
fn demo_office_bytes() -> &'static [u8] {
    static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BYTES.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = db_path(&dir);
        {
            let mut svc = Service::open(&path).expect("a new database opens");
            svc.create_demo_office().expect("the demo office is created");
        }
        assert!(!wal_path(&path).exists(), "closing the service checkpoints the WAL");
        file_bytes(&path)
    })
}

/// A fresh demo office (every role, company profile, policy, terms) in its own temporary folder:
/// a copy of the one demo office this test run created.
pub fn demo_office() -> (TempDir, Service) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let svc = office_in(&dir, "demo", demo_office_bytes());
    (dir, svc)
}

/// The demo office, with "now" taken from `clock`.
pub fn demo_office_at(clock: &TestClock) -> (TempDir, Service) {
    let (dir, svc) = demo_office();
    (dir, svc.with_clock(clock.clock()))
}

/// A demo office file, closed (so its WAL is checkpointed into the main file).
pub fn closed_demo_office() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = db_path(&dir);
    std::fs::write(&path, demo_office_bytes()).expect("the office file is written");
    drop(Service::open(&path).expect("the demo office opens"));
    assert!(!wal_path(&path).exists(), "closing the last connection checkpoints and removes the WAL");
    (dir, path)
}

pub fn wal_path(db: &Path) -> PathBuf {
    PathBuf::from(format!("{}-wal", db.display()))
}

/// A closed demo office file in which `login` chose a password of their own (`password`): what
/// SalesDesk cannot know when the office moves onto a server (a file keeps only hashes).
pub fn demo_file_with_own_password(login: &str, password: &str) -> (TempDir, PathBuf) {
    let (dir, path) = closed_demo_office();
    {
        let mut svc = Service::open(&path).expect("the demo office opens");
        let admin = sign_in(&mut svc, "admin");
        let row = user(&mut svc, &admin, login);
        svc.reset_password(&admin, row.id, row.version, password).expect("the password is set");
    }
    (dir, path)
}

/// Signs a demo user in with the demo password.
pub fn sign_in(svc: &mut Service, login: &str) -> Actor {
    svc.sign_in(login, DEMO_PASSWORD).unwrap_or_else(|e| panic!("{login} cannot sign in: {e}"))
}

/// The form for a new user with a valid password and no contact details.
pub fn new_user(login: &str, display_name: &str, roles: &[Role]) -> NewUser {
    NewUser {
        login: login.into(),
        display_name: display_name.into(),
        phone: String::new(),
        email: String::new(),
        roles: RoleSet::new(roles.iter().copied()),
        password: START_PASSWORD.into(),
    }
}

/// Signs in a user created with `START_PASSWORD` and sets their own password, as the first
/// sign-in requires before anything else is allowed.
pub fn first_sign_in(svc: &mut Service, login: &str) -> Actor {
    let first = svc.sign_in(login, START_PASSWORD).expect("signs in with the temporary password");
    assert!(first.must_change_password());
    svc.change_own_password(&first, START_PASSWORD, "Mine2026ok").expect("sets an own password")
}

/// One user as the admin's user list shows them.
pub fn user(svc: &mut Service, admin: &Actor, login: &str) -> UserAccount {
    svc.list_users(admin)
        .expect("the admin lists users")
        .into_iter()
        .find(|u| u.login == login)
        .unwrap_or_else(|| panic!("no user {login}"))
}

/// The whole audit log, newest first, as the admin sees it.
pub fn audit_log(svc: &mut Service, admin: &Actor) -> Vec<AuditEntry> {
    svc.audit_entries(admin, &AuditFilter { limit: 1_000_000, ..AuditFilter::default() })
        .expect("the admin reads the log")
}

/// The audit entries with exactly this action, newest first.
pub fn audit_with_action(svc: &mut Service, admin: &Actor, action: &str) -> Vec<AuditEntry> {
    audit_log(svc, admin).into_iter().filter(|e| e.action == action).collect()
}

/// How many entries the audit log holds (no sign-in needed, so counting adds none).
pub fn audit_count(svc: &mut Service) -> i64 {
    svc.check().expect("check runs").audit_entries
}

/// Asserts that `err` is a form error with a message on `field`.
pub fn assert_field_error(err: &ServiceError, field: &str) {
    assert!(
        matches!(err, ServiceError::Invalid(_)) && err.field_message(field).is_some(),
        "expected a message on field {field:?}, got {err:?}"
    );
}

/// A small valid PNG image.
pub fn png_bytes() -> Vec<u8> {
    let mut img = image::RgbaImage::new(8, 8);
    for (x, y, px) in img.enumerate_pixels_mut() {
        *px = image::Rgba([200, 20, 20, if (x + y) % 2 == 0 { 255 } else { 0 }]);
    }
    let mut bytes = Vec::new();
    img.write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png).expect("PNG encodes");
    bytes
}

/// A clock that stands still until the test moves it.
#[derive(Clone)]
pub struct TestClock(Arc<Mutex<DateTime<Utc>>>);

impl TestClock {
    /// 2026-11-27 09:00 UTC, a Friday in the office.
    pub fn new() -> TestClock {
        TestClock(Arc::new(Mutex::new(Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).single().expect("valid time"))))
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().expect("clock lock");
        *now += by;
    }

    pub fn clock(&self) -> Clock {
        let shared = Arc::clone(&self.0);
        Arc::new(move || *shared.lock().expect("clock lock"))
    }
}

/// Overwrites the page header of `table`'s root page in a closed database file, as a bad disk
/// sector would: the pages SQLite reads at start stay intact.
pub fn damage_table(path: &Path, table: &str) {
    let conn = rusqlite::Connection::open(path).expect("open with rusqlite");
    let page: i64 = conn
        .query_row("SELECT rootpage FROM sqlite_master WHERE name = ?1", [table], |r| r.get(0))
        .expect("table exists");
    let size: i64 = conn.pragma_query_value(None, "page_size", |r| r.get(0)).expect("page size");
    drop(conn);
    let start = usize::try_from((page - 1) * size).expect("offset");
    let mut bytes = file_bytes(path);
    bytes[start..start + 64].fill(0xA5);
    std::fs::write(path, &bytes).expect("damage");
}

/// The file's bytes, to show that a refused file was not touched.
pub fn file_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

// ---------------------------------------------------------------------------------------------
// The customer archive and the price table: an office with the demo staff and nothing else, and
// drafts to fill it with.

/// The demo office's staff as of the first demo: (login, display name, roles).
pub const STAFF: &[(&str, &str, &[Role])] = &[
    ("zhaomin", "赵敏", &[Role::Head]),
    ("zhoujg", "周建国", &[Role::Leader]),
    ("sunli", "孙丽", &[Role::Assistant]),
    ("liqiang", "李强", &[Role::Sales]),
    ("wangfang", "王芳", &[Role::Sales]),
    ("liuyang", "刘洋", &[Role::Sales]),
    ("chenming", "陈明", &[Role::Tech]),
];

/// The bytes of a closed office file holding `admin` and `STAFF`, all with the demo password,
/// and no customers, products or price versions. Built once per test run (argon2 is slow).
fn staff_office_bytes() -> &'static [u8] {
    static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BYTES.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = db_path(&dir);
        {
            let mut svc = Service::open(&path).expect("a new database opens");
            let mut first = new_user("admin", "系统管理员", &[Role::Admin]);
            first.password = DEMO_PASSWORD.into();
            let admin = svc.create_first_admin(first).expect("the first admin is created");
            for (login, name, roles) in STAFF {
                svc.create_user(&admin, new_user(login, name, roles)).expect("a staff member is created");
                let temporary = svc.sign_in(login, START_PASSWORD).expect("signs in with the temporary password");
                svc.change_own_password(&temporary, START_PASSWORD, DEMO_PASSWORD).expect("sets the demo password");
            }
        }
        assert!(!wal_path(&path).exists(), "closing the service checkpoints the WAL");
        file_bytes(&path)
    })
}

/// An office with the demo staff (same logins, names, roles and password) but an empty customer
/// archive and price table, so each test sees exactly the records it creates, whatever demo data
/// the demo office may carry.
pub fn staff_office() -> (TempDir, Service) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let svc = office_in(&dir, "staff", staff_office_bytes());
    (dir, svc)
}

/// The same office as a closed file (for the window and the command line).
pub fn staff_office_file() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = db_path(&dir);
    std::fs::write(&path, staff_office_bytes()).expect("the office file is written");
    (dir, path)
}

/// A valid 统一社会信用代码 ending in `serial` (1–9999): `91320594MA1XK` + serial + check char.
pub fn credit_code(serial: u32) -> String {
    let first17 = format!("91320594MA1X{serial:05}");
    let check = salesdesk::domain::validate::credit_code_check_char(&first17).expect("17 valid characters");
    format!("{first17}{check}")
}

/// A customer draft with a name and nothing else.
pub fn customer(name: &str) -> salesdesk::domain::customer::CustomerDraft {
    salesdesk::domain::customer::CustomerDraft { name: name.into(), ..Default::default() }
}

/// A contact with a name and a mobile number.
pub fn contact(name: &str, mobile: &str) -> salesdesk::domain::customer::Contact {
    salesdesk::domain::customer::Contact { name: name.into(), mobile: mobile.into(), ..Default::default() }
}

/// Creates a customer as `actor` (a likely duplicate confirmed), owned by `owner` if the actor
/// may choose.
pub fn add_customer(
    svc: &mut Service,
    actor: &Actor,
    draft: salesdesk::domain::customer::CustomerDraft,
    owner: Option<salesdesk::domain::ids::UserId>,
) -> salesdesk::domain::customer::Customer {
    let name = draft.name.clone();
    svc.create_customer(actor, draft, owner, true).unwrap_or_else(|e| panic!("customer {name} is created: {e}"))
}

/// An amount written as in the office (`1234.50`).
pub fn yuan(text: &str) -> salesdesk::domain::money::Money {
    salesdesk::domain::money::Money::parse(text).unwrap_or_else(|e| panic!("amount {text}: {e}"))
}

/// A product draft at 13 % VAT, in 台.
pub fn product(code: &str, name: &str, list: &str, floor: Option<&str>) -> salesdesk::domain::product::ProductDraft {
    salesdesk::domain::product::ProductDraft {
        code: code.into(),
        name: name.into(),
        list_price: yuan(list),
        floor_price: floor.map(yuan),
        ..Default::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Inquiries and tenders: the staff office on a test clock, more staff, a clock fixed at a time.

/// The staff office (no customers, no products) with "now" taken from `clock`.
pub fn staff_office_at(clock: &TestClock) -> (TempDir, Service) {
    let (dir, svc) = staff_office();
    (dir, svc.with_clock(clock.clock()))
}

/// A clock that always reads `at` (for a second `Service` opened on the same file "later").
pub fn fixed_clock(at: DateTime<Utc>) -> salesdesk::service::Clock {
    Arc::new(move || at)
}

/// The admin creates a user with these roles, who then signs in for the first time.
pub fn add_staff(svc: &mut Service, admin: &Actor, login: &str, display_name: &str, roles: &[Role]) -> Actor {
    svc.create_user(admin, new_user(login, display_name, roles))
        .unwrap_or_else(|e| panic!("user {login} is created: {e}"));
    first_sign_in(svc, login)
}

impl TestClock {
    /// What the clock reads now.
    pub fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock lock")
    }
}

/// The staff office on a test clock, everyone signed in, with one customer per salesperson and one in the shared pool.
pub struct Office {
    pub dir: TempDir,
    pub clock: TestClock,
    pub svc: Service,
    pub admin: Actor,
    /// 赵敏, 销售部负责人
    pub head: Actor,
    /// 周建国, 公司领导
    pub leader: Actor,
    /// 孙丽, 销售内勤
    pub assistant: Actor,
    /// 李强, 销售员
    pub li: Actor,
    /// 王芳, 销售员
    pub wang: Actor,
    /// 陈明, 技术部
    pub tech: Actor,
    /// 李强's customer, with one contact
    pub li_customer: Customer,
    /// 王芳's customer
    pub wang_customer: Customer,
    /// nobody's (公海)
    pub pool_customer: Customer,
}

pub fn office() -> Office {
    let clock = TestClock::new();
    let (dir, mut svc) = staff_office_at(&clock);
    let admin = sign_in(&mut svc, "admin");
    let head = sign_in(&mut svc, "zhaomin");
    let leader = sign_in(&mut svc, "zhoujg");
    let assistant = sign_in(&mut svc, "sunli");
    let li = sign_in(&mut svc, "liqiang");
    let wang = sign_in(&mut svc, "wangfang");
    let tech = sign_in(&mut svc, "chenming");
    let with_contact = CustomerDraft {
        contacts: vec![contact("张伟", "13912345678")],
        ..customer("江苏华能电力设备有限公司")
    };
    let li_customer = add_customer(&mut svc, &li, with_contact, None);
    let wang_customer = add_customer(&mut svc, &wang, customer("浙江中天电缆有限公司"), None);
    let pool_customer = add_customer(&mut svc, &head, customer("重庆市电力公司"), None);
    assert_eq!(li_customer.owner, Some(li.id()));
    assert_eq!(wang_customer.owner, Some(wang.id()));
    assert_eq!(pool_customer.owner, None);
    Office {
        dir,
        clock,
        svc,
        admin,
        head,
        leader,
        assistant,
        li,
        wang,
        tech,
        li_customer,
        wang_customer,
        pool_customer,
    }
}

/// Runs SQL on the office of `dir` behind the application's back (tampering, a damaged row),
/// on its file or its server database.
pub fn raw_sql(dir: &TempDir, sql: &str) {
    match office_location(dir) {
        Location::File(path) => {
            rusqlite::Connection::open(path).expect("open with rusqlite").execute_batch(sql).expect("runs")
        }
        Location::Server(url) => postgres::Client::connect(&url, postgres::NoTls)
            .expect("connects")
            .batch_execute(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e:?}")),
    }
}

/// Reads rows of two integer columns (the second may be NULL) behind the application's back.
pub fn raw_pairs(dir: &TempDir, sql: &str) -> Vec<(i64, Option<i64>)> {
    match office_location(dir) {
        Location::File(path) => {
            let conn = rusqlite::Connection::open(path).expect("open with rusqlite");
            let mut stmt = conn.prepare(sql).expect("prepares");
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .expect("queries")
                .collect::<Result<_, _>>()
                .expect("reads")
        }
        Location::Server(url) => {
            let mut c = postgres::Client::connect(&url, postgres::NoTls).expect("connects");
            c.query(sql, &[]).expect("queries").iter().map(|r| (r.get(0), r.get(1))).collect()
        }
    }
}

// ---------------------------------------------------------------------------------------------
// An inquiry and a quote written on their own connection, beside a window on the same file.

pub const QUOTE_CUSTOMER: &str = "江苏华能电力设备有限公司";
pub const QUOTE_SUBJECT: &str = "10kV配电工程设备询价";

/// A transformer in the price table in force (floor ¥162,000), a pool customer, and an inquiry
/// registered by 李强; the head said go when `go`.
pub fn office_with_an_inquiry(db: &Path, go: bool) -> salesdesk::domain::ids::InquiryId {
    use salesdesk::domain::inquiry::{InquiryDraft, InquiryKind, InquirySource};
    let mut svc = Service::open(db).expect("opens");
    let admin = sign_in(&mut svc, "admin");
    let mut transformer = product("IT-SCB13-1000", "干式变压器", "186000", Some("162000"));
    transformer.model = "SCB13-1000/10".into();
    transformer.unit = "台".into();
    let today = svc.today();
    svc.create_product(&admin, transformer, today).expect("the admin adds a product");
    let head = sign_in(&mut svc, "zhaomin");
    let c = add_customer(&mut svc, &head, customer(QUOTE_CUSTOMER), None);
    let li = sign_in(&mut svc, "liqiang");
    let draft = InquiryDraft {
        kind: InquiryKind::Inquiry,
        customer: Some(c.id),
        source: InquirySource::Visit,
        subject: QUOTE_SUBJECT.into(),
        estimate: Some(yuan("200000")),
        ..Default::default()
    };
    let i = svc.register_inquiry(&li, draft).expect("registers");
    if go {
        svc.decide_inquiry(&head, i.id, i.version, true, "").expect("the head says go");
    }
    i.id
}

/// A line of `quantity` of a product of the price table, at its list price.
pub fn table_line(p: &salesdesk::domain::product::Product, quantity: &str) -> salesdesk::domain::quote::QuoteLine {
    salesdesk::domain::quote::QuoteLine {
        product: Some(p.id),
        price_version: Some(p.price_version),
        code: p.draft.code.clone(),
        name: p.draft.name.clone(),
        model: p.draft.model.clone(),
        unit: p.draft.unit.clone(),
        quantity: salesdesk::domain::money::Quantity::parse(quantity).expect("a quantity"),
        list_price: p.draft.list_price,
        unit_price: p.draft.list_price,
        tax_rate: p.draft.tax_rate,
        ..Default::default()
    }
}

/// 李强's quote for the inquiry with these lines of the price table's first product (quantities),
/// saved as a draft; returns the quote.
pub fn drafted_quote(
    db: &Path,
    inquiry: salesdesk::domain::ids::InquiryId,
    quantities: &[&str],
) -> salesdesk::domain::ids::QuoteId {
    let mut svc = Service::open(db).expect("opens");
    let li = sign_in(&mut svc, "liqiang");
    let view = svc.create_quote(&li, inquiry).expect("starts the quote");
    let p = svc.price_table(&li, None).expect("the price table").products[0].clone();
    let r = view.latest().expect("V1").clone();
    let mut content = r.content.clone();
    content.lines = quantities.iter().map(|q| table_line(&p, q)).collect();
    svc.save_draft(&li, r.id, r.version, content).expect("saves");
    view.quote.id
}

/// 李强's quote with two transformers at list price, submitted for approval.
pub fn submitted_quote(db: &Path, inquiry: salesdesk::domain::ids::InquiryId) -> salesdesk::domain::ids::QuoteId {
    let id = drafted_quote(db, inquiry, &["2"]);
    let mut svc = Service::open(db).expect("opens");
    let li = sign_in(&mut svc, "liqiang");
    let r = svc.quote_view(&li, id).expect("opens").latest().expect("V1").clone();
    svc.submit_revision(&li, r.id, r.version).expect("submits");
    id
}

/// Flips one byte in the middle of a stored file (`blob` of the row of `table` whose `key` column
/// is `value`), behind the application's back, on a file or on the server: bit rot, or an edit.
pub fn flip_stored_byte(at: &Location, table: &str, blob: &str, key: &str, value: &str) {
    let select = format!("SELECT {blob} FROM {table} WHERE CAST({key} AS TEXT) = ");
    let update = format!("UPDATE {table} SET {blob} = ");
    let flip = |mut bytes: Vec<u8>| {
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x20;
        bytes
    };
    match at {
        Location::File(path) => {
            let conn = rusqlite::Connection::open(path).expect("open with rusqlite");
            let bytes: Vec<u8> = conn.query_row(&format!("{select}?1"), [value], |r| r.get(0)).expect("the row");
            let n = conn
                .execute(&format!("{update}?1 WHERE CAST({key} AS TEXT) = ?2"), rusqlite::params![flip(bytes), value])
                .expect("flipped");
            assert_eq!(n, 1);
        }
        Location::Server(url) => {
            let mut c = postgres::Client::connect(url, postgres::NoTls).expect("connects");
            let bytes: Vec<u8> = c.query_one(&format!("{select}$1"), &[&value]).expect("the row").get(0);
            let n = c
                .execute(&format!("{update}$1 WHERE CAST({key} AS TEXT) = $2"), &[&flip(bytes), &value])
                .expect("flipped");
            assert_eq!(n, 1);
        }
    }
}
