//! A server login per person (issue 24): every signed-in person works through a login of their own,
//! made and kept by SalesDesk's user administration through one narrow owner function; a leaver's
//! login stops at once; the owner's start gives an office moving onto the model its logins.
//! The server's superuser only makes the offices' owner (see `support::as_owner`).

use postgres::error::SqlState;
use salesdesk::domain::role::Role;
use salesdesk::service::{DEMO_PASSWORD, Service, ServiceError, migrate_office};
use salesdesk::store::{Location, StoreError};

use crate::support::{
    START_PASSWORD, closed_demo_office, customer, demo_file_with_own_password, new_server_database, new_user,
    require_server, server_sql, sign_in, url_as, user,
};

/// A demo office moved onto a new database of the test server: (its owner's address, a seat
/// opened with it).
pub(crate) fn server_office(base: &str) -> (String, Service) {
    let url = new_server_database(base, None);
    let (_dir, file) = closed_demo_office();
    migrate_office(&Location::File(file), &Location::Server(url.clone())).expect("the demo office moves");
    let svc = Service::open_at(&Location::Server(url.clone())).expect("the owner starts it");
    (url, svc)
}

pub(crate) fn database(url: &str) -> String {
    url.rsplit('/').next().unwrap().split('?').next().unwrap().to_string()
}

/// A raw connection as SalesDesk user `login`'s own server login: what `psql` would get.
pub(crate) fn as_person(url: &str, login: &str, password: &str) -> Result<postgres::Client, postgres::Error> {
    postgres::Client::connect(&url_as(url, &format!("{}.{login}", database(url)), password), postgres::NoTls)
}

fn code(e: &postgres::Error) -> Option<&SqlState> {
    e.code()
}

#[test]
fn each_person_works_through_a_login_of_their_own_and_the_server_applies_it() {
    let Some(base) = require_server("person logins") else { return };
    let (url, mut seat) = server_office(&base);
    let db = database(&url);
    let li = sign_in(&mut seat, "liqiang");
    seat.create_customer(&li, customer("个人账号测试客户有限公司"), None, true).expect("li works as himself");

    // The session the work ran on is li's own login, not the owner's.
    let mut owner = postgres::Client::connect(&url, postgres::NoTls).expect("the owner connects");
    let logins: Vec<String> = owner
        .query("SELECT usename::text FROM pg_stat_activity WHERE datname = $1", &[&db])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(logins.contains(&format!("{db}.liqiang")), "{logins:?}");

    // Take the office's rights away from his login on the server: his next step is refused by the
    // server itself (so it did run as him), clearly, and nothing is written.
    server_sql(&base, &format!("REVOKE \"{db}:seat\" FROM \"{db}.liqiang\""));
    let err = seat.create_customer(&li, customer("不该保存的客户有限公司"), None, true).expect_err("refused");
    assert!(matches!(err, ServiceError::Store(StoreError::ServerRefused(_))), "{err:?}");
    assert!(err.to_string().contains("没有这项权限"), "{err}");
    let saved: i64 = postgres::Client::connect(&url, postgres::NoTls)
        .unwrap()
        .query_one("SELECT count(*) FROM customers WHERE name = '不该保存的客户有限公司'", &[])
        .unwrap()
        .get(0);
    assert_eq!(saved, 0);

    // The login is a member of its roles' groups and can do nothing else on the server.
    let groups: Vec<String> = owner
        .query(
            "SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid \
             JOIN pg_roles p ON p.oid = m.member WHERE p.rolname = $1 ORDER BY 1",
            &[&format!("{db}.zhaomin")],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(groups, [format!("{db}:head"), format!("{db}:seat")]);
    let mut raw = as_person(&url, "zhaomin", DEMO_PASSWORD).expect("her own login connects with her password");
    for sql in [
        "CREATE ROLE sneaky LOGIN PASSWORD 'x'".to_string(),
        "SELECT salesdesk_server_login('zhaomin', NULL)".to_string(),
        "SELECT * FROM salesdesk_logins".to_string(),
        "UPDATE audit_log SET actor = 'someone else'".to_string(),
        format!("GRANT \"{db}:admin\" TO \"{db}.zhaomin\""),
        // … nor make herself an admin in SalesDesk, nor add a user.
        "UPDATE users SET roles = 'admin' WHERE login = 'zhaomin'".to_string(),
        "UPDATE users SET active = 0 WHERE login = 'admin'".to_string(),
        "INSERT INTO users (login, display_name, roles, password_hash, created_at, updated_at, updated_by) \
         VALUES ('x', 'x', 'admin', 'x', 'x', 'x', 'x')"
            .to_string(),
    ] {
        let e = raw.batch_execute(&sql).expect_err(&sql);
        assert_eq!(code(&e), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{sql}: {e:?}");
    }
    // The admin's login may call the narrow function, which makes only SalesDesk's own logins.
    let mut admin = as_person(&url, "admin", DEMO_PASSWORD).expect("the admin's login connects");
    let e = admin.batch_execute("SELECT salesdesk_server_login('postgres', NULL)").unwrap_err();
    assert_eq!(code(&e), Some(&SqlState::NO_DATA_FOUND), "{e:?}");
    let e = admin.batch_execute("SELECT salesdesk_server_login('zhaomin', 'my own choice')").unwrap_err();
    assert_eq!(code(&e), Some(&SqlState::INVALID_PARAMETER_VALUE), "{e:?}");
}

#[test]
fn user_administration_makes_changes_and_stops_the_persons_server_login() {
    let Some(base) = require_server("login administration") else { return };
    let (url, mut seat) = server_office(&base);
    let db = database(&url);
    let admin = sign_in(&mut seat, "admin");

    // A new user: a login with the password the admin gave, in the groups of their roles.
    seat.create_user(&admin, new_user("xiaowu", "小吴", &[Role::Sales])).expect("creates");
    as_person(&url, "xiaowu", START_PASSWORD).expect("the new login connects with the first password");
    let mut other = Service::open_at(&Location::Server(url.clone())).unwrap();
    let first = other.sign_in("xiaowu", START_PASSWORD).expect("signs in");
    assert!(first.must_change_password());
    let xw = other.change_own_password(&first, START_PASSWORD, "Mine2026ok").expect("sets his own");
    // The server login's password changed with SalesDesk's, in the same step; his connection goes on.
    assert!(as_person(&url, "xiaowu", START_PASSWORD).is_err(), "the first password no longer connects");
    as_person(&url, "xiaowu", "Mine2026ok").expect("his own does");
    other.salespeople(&xw).expect("and he keeps working");

    // A wrong password is counted and locks as on a file.
    for _ in 0..5 {
        assert!(other.sign_in("xiaowu", "wrong-2026x").is_err());
    }
    assert!(matches!(other.sign_in("xiaowu", "Mine2026ok"), Err(ServiceError::Locked { .. })));

    // Deactivating him stops the login and ends his open session at once.
    let mut watcher = as_person(&url, "xiaowu", "Mine2026ok").expect("an open psql session of his");
    let row = user(&mut seat, &admin, "xiaowu");
    seat.set_user_active(&admin, row.id, row.version, false).expect("deactivated");
    assert!(watcher.batch_execute("SELECT 1").is_err(), "his open session was ended");
    let Err(e) = as_person(&url, "xiaowu", "Mine2026ok") else { panic!("the login still connects") };
    assert_eq!(code(&e), Some(&SqlState::INVALID_AUTHORIZATION_SPECIFICATION), "{e:?}");
    // His window's next step cannot connect again, and says what a file office says.
    let err = other.salespeople(&xw).expect_err("his connection was ended");
    assert!(matches!(err, ServiceError::Deactivated), "{err:?}");

    // Back again: the admin resets his password (lifting the lock); the login follows.
    let row = user(&mut seat, &admin, "xiaowu");
    let row = seat.set_user_active(&admin, row.id, row.version, true).expect("reactivated");
    seat.reset_password(&admin, row.id, row.version, "Reset2026x").expect("reset");
    as_person(&url, "xiaowu", "Reset2026x").expect("the reset password connects");
    assert!(as_person(&url, "xiaowu", "Mine2026ok").is_err());

    // Roles move his groups.
    let row = user(&mut seat, &admin, "xiaowu");
    let edit = salesdesk::service::UserEdit {
        id: row.id,
        version: row.version,
        display_name: row.display_name.clone(),
        phone: row.phone.clone(),
        email: row.email.clone(),
        roles: salesdesk::domain::role::RoleSet::new([Role::Assistant]),
    };
    seat.update_user(&admin, edit).expect("roles changed");
    let mut owner = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let member = |owner: &mut postgres::Client, group: &str| -> bool {
        owner
            .query_one("SELECT pg_has_role($1, $2, 'MEMBER')", &[&format!("{db}.xiaowu"), &format!("{db}:{group}")])
            .unwrap()
            .get(0)
    };
    assert!(member(&mut owner, "assistant") && !member(&mut owner, "sales"));
}

#[test]
fn moving_onto_the_model_gives_every_user_a_login_and_says_how_each_first_signs_in() {
    let Some(base) = require_server("login upgrade") else { return };
    // An office where sunli chose a password of her own (the others keep the demo's): on a file.
    let (_dir, file) = demo_file_with_own_password("sunli", "SunLi2026x");
    let url = new_server_database(&base, None);
    migrate_office(&Location::File(file.clone()), &Location::Server(url.clone())).expect("moves");

    // The owner's first start makes every login: demo users keep the demo password; sunli's own
    // password is unknown to SalesDesk (only its hash is kept), so she gets a one-time password.
    let mut svc = Service::open_at(&Location::Server(url.clone())).unwrap();
    let told = svc.take_new_server_logins();
    assert_eq!(told.iter().map(|t| t.login.as_str()).collect::<Vec<_>>(), ["sunli"], "{told:?}");
    let once = told[0].password.clone();
    assert_eq!(told[0].server_login, format!("{}.sunli", database(&url)));
    assert!(svc.take_new_server_logins().is_empty(), "said once");
    assert!(svc.sign_in("sunli", "SunLi2026x").is_err(), "the old password is gone with the move");
    let first = svc.sign_in("sunli", &once).expect("the one-time password signs in");
    assert!(first.must_change_password());
    svc.change_own_password(&first, &once, "SunLi2027x").expect("and is changed");
    sign_in(&mut svc, "zhaomin");

    // The next start has nothing to make; a copy of the database (a restore elsewhere) makes its
    // own logins with the passwords kept, so nobody needs a new one.
    let mut again = Service::open_at(&Location::Server(url.clone())).unwrap();
    assert!(again.take_new_server_logins().is_empty());
    drop((svc, again)); // a database is copied with nobody connected
    let db = database(&url);
    let copy = new_server_database(&base, Some(&db));
    let mut restored = Service::open_at(&Location::Server(copy.clone())).unwrap();
    assert!(restored.take_new_server_logins().is_empty());
    restored.sign_in("sunli", "SunLi2027x").expect("her password works on the copy");

    // A person whose login went missing is told who must set it up.
    server_sql(&base, &format!("DROP ROLE \"{}.qianjun\"", database(&copy)));
    let err = restored.sign_in("qianjun", DEMO_PASSWORD).expect_err("no login");
    assert!(matches!(err, ServiceError::Store(StoreError::NoServerLogin { .. })), "{err:?}");
    assert!(err.to_string().contains("所有者"), "{err}");
}

#[test]
fn the_shared_login_of_earlier_versions_is_retired_and_a_pc_connects_with_a_persons_own() {
    let Some(base) = require_server("shared login") else { return };
    let url = new_server_database(&base, None);
    let shared = format!("sdt_office_{}", std::process::id());
    postgres::Client::connect(&crate::support::server_url(&base, "postgres"), postgres::NoTls)
        .unwrap()
        .batch_execute(&format!(
            "DO $x$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'salesdesk_seat') THEN \
             CREATE ROLE salesdesk_seat NOLOGIN; END IF; END $x$; \
             DROP ROLE IF EXISTS {shared}; CREATE ROLE {shared} LOGIN PASSWORD 'office-pw' IN ROLE salesdesk_seat"
        ))
        .expect("the shared login of earlier versions is made");
    // An office of an earlier version, where the shared group could read every table.
    let (_dir, file) = closed_demo_office();
    migrate_office(&Location::File(file), &Location::Server(url.clone())).expect("moves");
    postgres::Client::connect(&crate::support::server_url(&base, &database(&url)), postgres::NoTls)
        .unwrap()
        .batch_execute("GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO salesdesk_seat")
        .unwrap();

    // The owner's start takes the office away from the shared login: a PC still set to it is told
    // what to do, and psql with it reads nothing.
    drop(Service::open_at(&Location::Server(url.clone())).unwrap());
    let err = Service::open_at(&Location::Server(url_as(&url, &shared, "office-pw"))).err().expect("refused");
    assert!(matches!(err, ServiceError::Store(StoreError::SharedLoginRetired { .. })), "{err:?}");
    assert!(err.to_string().contains("我的登录名"), "{err}");
    let mut raw = postgres::Client::connect(&url_as(&url, &shared, "office-pw"), postgres::NoTls).unwrap();
    for sql in ["SELECT count(*) FROM customers", "SELECT floor_fen FROM prices", "SELECT * FROM users"] {
        let e = raw.batch_execute(sql).expect_err(sql);
        assert_eq!(code(&e), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{sql}: {e:?}");
    }

    // A PC connects with zhaomin's own login; another person signing in there works through hers.
    let mut seat =
        Service::open_at(&Location::Server(url_as(&url, &format!("{}.zhaomin", database(&url)), DEMO_PASSWORD)))
            .expect("her own login connects");
    let sun = sign_in(&mut seat, "sunli");
    seat.create_customer(&sun, customer("个人账号席位客户有限公司"), None, true).expect("works as sunli");
    // After signing out, nothing runs for her on that PC any more.
    seat.sign_out(&sun);
    let err = seat.salespeople(&sun).expect_err("no connection of hers");
    assert!(matches!(err, ServiceError::Store(StoreError::NoSeat)), "{err:?}");
}

#[test]
fn a_persons_login_cannot_read_the_password_hashes() {
    let Some(base) = require_server("password hashes") else { return };
    let (url, mut seat) = server_office(&base);
    let mut raw = as_person(&url, "zhaomin", DEMO_PASSWORD).expect("connects");
    let e = raw.batch_execute("SELECT password_hash FROM users").expect_err("the hashes are not hers to read");
    assert_eq!(code(&e), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{e:?}");
    let e = raw.batch_execute("SELECT * FROM users").expect_err("nor with *");
    assert_eq!(code(&e), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{e:?}");
    let names: i64 = raw.query_one("SELECT count(display_name) FROM users", &[]).unwrap().get(0);
    assert!(names > 5, "the rest of the user list is hers to read");
    // The application never needs them on the server: signing in, a wrong old password, a change.
    let head = sign_in(&mut seat, "zhaomin");
    let err = seat.change_own_password(&head, "not-mine-2026", "Zhao2026new").expect_err("the old one is checked");
    assert!(err.to_string().contains("原密码不正确"), "{err}");
    seat.change_own_password(&head, DEMO_PASSWORD, "Zhao2026new").expect("changed");
    as_person(&url, "zhaomin", "Zhao2026new").expect("the new password connects");
}

#[test]
fn the_demo_office_made_on_a_server_gives_every_demo_user_a_login() {
    let Some(base) = require_server("demo logins") else { return };
    let url = new_server_database(&base, None);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_salesdesk"))
        .args(["demo", "--db", &url])
        .output()
        .expect("salesdesk runs");
    assert!(out.status.success(), "{out:?}");
    for login in ["sunli", "zhaomin", "liqiang", "admin"] {
        as_person(&url, login, DEMO_PASSWORD).unwrap_or_else(|e| panic!("{login}: {e:?}"));
    }
    // The command line as a person: their own login in the address, the password asked once (here
    // from SALESDESK_PASSWORD) for the connection and the sign-in.
    let mine = url_as(&url, &format!("{}.sunli", database(&url)), "");
    let mine = mine.replacen(":@", "@", 1);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_salesdesk"))
        .args(["quotes", "--db", &mine, "--user", "sunli"])
        .env("SALESDESK_PASSWORD", DEMO_PASSWORD)
        .output()
        .expect("salesdesk runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.contains("BJ-"), "{out:?}");
}
