//! User administration through the service: the first admin of a new office, creating and
//! editing users, resets, leavers, and the rules that keep an office manageable.

use salesdesk::domain::role::{Role, RoleSet};
use salesdesk::service::{DEMO_PASSWORD, NewUser, ServiceError, UserEdit};

use crate::support::{
    START_PASSWORD, assert_field_error, audit_count, audit_log, audit_with_action, demo_office, first_sign_in,
    new_user, sign_in, user,
};
use salesdesk::domain::user::UserAccount;

fn edit_of(u: &UserAccount) -> UserEdit {
    UserEdit {
        id: u.id,
        version: u.version,
        display_name: u.display_name.clone(),
        phone: u.phone.clone(),
        email: u.email.clone(),
        roles: u.roles.clone(),
    }
}

fn first_admin_form(password: &str) -> NewUser {
    NewUser {
        login: "wangli".into(),
        display_name: "王丽".into(),
        // Whatever the form says, the first user is the admin.
        roles: RoleSet::new([Role::Sales]),
        password: password.into(),
        ..NewUser::default()
    }
}

#[test]
fn an_empty_office_starts_by_creating_its_first_admin() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut svc = crate::support::empty_office(&dir);
    assert!(svc.needs_first_admin().expect("reads"));

    let weak = svc.create_first_admin(first_admin_form("short")).expect_err("a weak password is refused");
    assert_field_error(&weak, "password");
    assert!(svc.needs_first_admin().expect("reads"), "a refused form creates nobody");

    let admin = svc.create_first_admin(first_admin_form("Office2026")).expect("the first admin is created");
    assert_eq!(admin.login(), "wangli");
    assert_eq!(admin.roles(), &RoleSet::new([Role::Admin]));
    assert!(!admin.must_change_password(), "they chose the password themselves");
    assert!(!svc.needs_first_admin().expect("reads"));

    let mut second = first_admin_form("Office2026");
    second.login = "intruder".into();
    let err = svc.create_first_admin(second).expect_err("a second first admin is refused");
    assert_eq!(err.rule_code(), Some("office.not_empty"), "{err:?}");
    assert_eq!(svc.list_users(&admin).expect("lists").len(), 1);
    assert!(matches!(svc.sign_in("intruder", "Office2026"), Err(ServiceError::SignInFailed)));

    let again = svc.sign_in("wangli", "Office2026").expect("the first admin signs in");
    assert_eq!(again.id(), admin.id());
    assert_eq!(audit_with_action(&mut svc, &admin, "user.create_first_admin").len(), 1);
}

#[test]
fn the_demo_office_is_only_created_in_an_empty_database() {
    let (_dir, mut svc) = demo_office();
    let err = svc.create_demo_office().expect_err("a second demo office is refused");
    assert_eq!(err.rule_code(), Some("office.not_empty"), "{err:?}");
    let admin = sign_in(&mut svc, "admin");
    assert_eq!(svc.list_users(&admin).expect("lists").len(), salesdesk::service::DEMO_USERS.len());
}

#[test]
fn every_demo_user_signs_in_with_their_roles() {
    let (_dir, mut svc) = demo_office();
    for (login, name, roles, _) in salesdesk::service::DEMO_USERS {
        let actor = sign_in(&mut svc, login);
        assert_eq!(actor.display_name(), *name);
        assert_eq!(actor.roles(), &RoleSet::new(roles.iter().copied()));
    }
}

#[test]
fn a_new_user_must_change_the_given_password_at_first_sign_in() {
    let (_dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let row = svc.create_user(&admin, new_user("zhanghua", "张华", &[Role::Sales])).expect("created");
    assert!(row.must_change_password);
    assert!(row.active);
    assert_eq!(row.roles, RoleSet::new([Role::Sales]));

    let first = svc.sign_in("zhanghua", START_PASSWORD).expect("signs in with the given password");
    assert!(first.must_change_password());
    let changed = svc.change_own_password(&first, START_PASSWORD, "Zhang2026ok").expect("changes it");
    assert!(!changed.must_change_password());

    assert!(matches!(svc.sign_in("zhanghua", START_PASSWORD), Err(ServiceError::SignInFailed)));
    let later = svc.sign_in("zhanghua", "Zhang2026ok").expect("the new password works");
    assert!(!later.must_change_password());
    assert!(!user(&mut svc, &admin, "zhanghua").must_change_password);
}

#[test]
fn creating_a_user_is_audited_without_the_password() {
    let (_dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    svc.create_user(&admin, new_user("zhanghua", "张华", &[Role::Sales, Role::Assistant])).expect("created");

    let created: Vec<_> =
        audit_with_action(&mut svc, &admin, "user.create").into_iter().filter(|e| e.entity_id == "zhanghua").collect();
    assert_eq!(created.len(), 1);
    let entry = &created[0];
    assert_eq!(entry.actor, "系统管理员 (admin)");
    assert!(entry.after.contains("张华") && entry.after.contains("assistant,sales"), "{}", entry.after);
    for e in audit_log(&mut svc, &admin) {
        for text in [&e.before, &e.after, &e.entity_id] {
            assert!(
                !text.contains("argon2") && !text.contains(START_PASSWORD),
                "entry {} leaks a secret: {text}",
                e.seq
            );
        }
    }
}

#[test]
fn a_login_already_taken_is_refused_on_the_login_field_whatever_its_case() {
    let (_dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let before = svc.list_users(&admin).expect("lists").len();
    for login in ["liqiang", "LiQiang", " liqiang "] {
        let err = svc.create_user(&admin, new_user(login, "另一个李强", &[Role::Sales])).expect_err("duplicate");
        assert_field_error(&err, "login");
    }
    assert_eq!(svc.list_users(&admin).expect("lists").len(), before);
    assert_eq!(user(&mut svc, &admin, "liqiang").display_name, "李强");
}

#[test]
fn a_bad_phone_email_login_or_empty_roles_are_reported_field_by_field() {
    let (_dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let before = svc.list_users(&admin).expect("lists").len();
    let mut form = new_user("zhang hua", "张华", &[]);
    form.phone = "12345".into();
    form.email = "zhanghua@".into();
    let err = svc.create_user(&admin, form).expect_err("refused");
    for field in ["login", "phone", "email", "roles"] {
        assert_field_error(&err, field);
    }
    assert!(err.to_string().contains("另有 3 处"), "the summary counts the other fields: {err}");
    assert_eq!(svc.list_users(&admin).expect("lists").len(), before, "nothing was created");

    let mut good = new_user("zhanghua", "张华", &[Role::Tech]);
    good.phone = "139 5110 0099".into();
    good.email = "  zhanghua@hengxin-demo.cn ".into();
    let row = svc.create_user(&admin, good).expect("valid input is accepted");
    assert_eq!(row.phone, "13951100099", "the phone number is stored normalised");
    assert_eq!(row.email, "zhanghua@hengxin-demo.cn");
}

#[test]
fn a_salesperson_cannot_administer_users_and_nothing_changes() {
    let (_dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let sales = sign_in(&mut svc, "liqiang");
    let users_before = svc.list_users(&admin).expect("lists");
    let audit_before = audit_count(&mut svc);
    let wang = user(&mut svc, &admin, "wangfang");

    let created = svc.create_user(&sales, new_user("zhanghua", "张华", &[Role::Admin]));
    let mut promoted = edit_of(&wang);
    promoted.roles = RoleSet::new([Role::Admin]);
    let edited = svc.update_user(&sales, promoted);
    let deactivated = svc.set_user_active(&sales, wang.id, wang.version, false);
    let reset = svc.reset_password(&sales, wang.id, wang.version, "Taken2026x");
    for result in [created, edited, deactivated, reset] {
        let err = result.expect_err("a salesperson is refused");
        assert!(matches!(err, ServiceError::Denied(_)), "{err:?}");
        assert!(err.to_string().contains("管理员"), "the message says who may: {err}");
    }

    assert_eq!(svc.list_users(&admin).expect("lists"), users_before, "no user changed");
    assert_eq!(audit_count(&mut svc), audit_before, "nothing was audited");
    assert!(matches!(svc.sign_in("zhanghua", START_PASSWORD), Err(ServiceError::SignInFailed)));
    sign_in(&mut svc, "wangfang");
}

#[test]
fn an_admin_changes_a_users_roles_and_they_apply_to_a_session_already_open() {
    let (_dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let liqiang = sign_in(&mut svc, "liqiang");
    let denied = svc.audit_entries(&liqiang, &Default::default()).expect_err("sales may not read the log");
    assert!(matches!(denied, ServiceError::Denied(_)));

    let row = user(&mut svc, &admin, "liqiang");
    let mut edit = edit_of(&row);
    edit.roles = RoleSet::new([Role::Sales, Role::Head]);
    let saved = svc.update_user(&admin, edit).expect("saved");
    assert_eq!(saved.roles, RoleSet::new([Role::Sales, Role::Head]));
    assert_eq!(saved.version, row.version + 1);

    // The session opened before the change is checked against the roles in the database.
    svc.audit_entries(&liqiang, &Default::default()).expect("as head he may read the log now");
    let update = audit_with_action(&mut svc, &admin, "user.update").into_iter().next().expect("audited");
    assert_eq!(update.entity_id, "liqiang");
    assert!(update.before.contains("\"roles\":\"sales\""), "{}", update.before);
    assert!(update.after.contains("\"roles\":\"sales,head\""), "{}", update.after);
}

#[test]
fn a_revoked_role_stops_an_open_session_at_once() {
    let (_dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let zhaomin = sign_in(&mut svc, "zhaomin");
    svc.audit_entries(&zhaomin, &Default::default()).expect("the head reads the log");

    let mut edit = edit_of(&user(&mut svc, &admin, "zhaomin"));
    edit.roles = RoleSet::new([Role::Sales]);
    svc.update_user(&admin, edit).expect("saved");
    let err = svc.audit_entries(&zhaomin, &Default::default()).expect_err("no longer head");
    assert!(matches!(err, ServiceError::Denied(_)), "{err:?}");
}

#[test]
fn saving_a_user_form_loaded_before_someone_elses_save_is_a_conflict() {
    let (_dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let row = user(&mut svc, &admin, "wangfang");
    let mut first = edit_of(&row);
    first.phone = "13951100088".into();
    svc.update_user(&admin, first).expect("the first save lands");

    let mut stale = edit_of(&row);
    stale.display_name = "王芳芳".into();
    let err = svc.update_user(&admin, stale).expect_err("the stale form is refused");
    assert!(err.is_conflict(), "{err:?}");
    assert!(err.to_string().contains("系统管理员"), "names who changed it: {err}");
    let now = user(&mut svc, &admin, "wangfang");
    assert_eq!((now.display_name.as_str(), now.phone.as_str()), ("王芳", "13951100088"));
}

#[test]
fn a_user_keeps_at_least_one_role() {
    let (_dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let mut edit = edit_of(&user(&mut svc, &admin, "chenming"));
    edit.roles = RoleSet::default();
    let err = svc.update_user(&admin, edit).expect_err("refused");
    assert_field_error(&err, "roles");
    assert_eq!(user(&mut svc, &admin, "chenming").roles, RoleSet::new([Role::Tech]));
}

#[test]
fn a_password_reset_lifts_the_lock_and_requires_a_new_password() {
    let (_dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    for _ in 0..salesdesk::service::LOCK_AFTER_FAILURES {
        assert!(svc.sign_in("liqiang", "guess1234").is_err());
    }
    assert!(matches!(svc.sign_in("liqiang", DEMO_PASSWORD), Err(ServiceError::Locked { .. })));
    let locked = user(&mut svc, &admin, "liqiang");
    assert!(locked.locked_until.is_some(), "the admin sees the lock");

    let weak = svc.reset_password(&admin, locked.id, locked.version, "123").expect_err("weak");
    assert_field_error(&weak, "password");

    let reset = svc.reset_password(&admin, locked.id, locked.version, "Reset2026x").expect("reset");
    assert!(reset.must_change_password);
    assert_eq!(reset.locked_until, None);

    assert!(matches!(svc.sign_in("liqiang", DEMO_PASSWORD), Err(ServiceError::SignInFailed)), "old password gone");
    let back = svc.sign_in("liqiang", "Reset2026x").expect("the temporary password works at once");
    assert!(back.must_change_password());
    let entry = audit_with_action(&mut svc, &admin, "user.reset_password").into_iter().next().expect("audited");
    assert_eq!(entry.entity_id, "liqiang");
    assert!(!entry.after.contains("Reset2026x") && !entry.after.contains("argon2"));
}

#[test]
fn a_deactivated_user_cannot_sign_in_and_their_open_session_stops() {
    let (_dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let leaver = sign_in(&mut svc, "wangfang");
    let row = user(&mut svc, &admin, "wangfang");

    let saved = svc.set_user_active(&admin, row.id, row.version, false).expect("deactivated");
    assert!(!saved.active);

    assert!(matches!(svc.sign_in("wangfang", DEMO_PASSWORD), Err(ServiceError::Deactivated)));
    assert!(
        matches!(svc.sign_in("wangfang", "wrong-guess1"), Err(ServiceError::SignInFailed)),
        "a wrong password tells a stranger nothing about the account"
    );
    assert!(matches!(svc.list_users(&leaver), Err(ServiceError::Deactivated)));
    assert!(matches!(svc.settings(&leaver), Err(ServiceError::Deactivated)));
    assert!(matches!(svc.change_own_password(&leaver, DEMO_PASSWORD, "Leaving2026"), Err(ServiceError::Deactivated)));

    // Their history stays, and they can be let back in.
    assert!(audit_log(&mut svc, &admin).iter().any(|e| e.actor == "王芳 (wangfang)"));
    assert_eq!(audit_with_action(&mut svc, &admin, "user.deactivate").len(), 1);
    let again = svc.set_user_active(&admin, saved.id, saved.version, true).expect("reactivated");
    assert!(again.active);
    sign_in(&mut svc, "wangfang");
}

#[test]
fn an_admin_cannot_deactivate_themself() {
    let (_dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let me = user(&mut svc, &admin, "admin");
    let err = svc.set_user_active(&admin, me.id, me.version, false).expect_err("refused");
    assert_eq!(err.rule_code(), Some("user.deactivate_self"), "{err:?}");
    assert!(user(&mut svc, &admin, "admin").active);
    sign_in(&mut svc, "admin");
}

#[test]
fn the_last_active_admin_cannot_lose_the_admin_role() {
    let (_dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let mut edit = edit_of(&user(&mut svc, &admin, "admin"));
    edit.roles = RoleSet::new([Role::Head]);
    let err = svc.update_user(&admin, edit).expect_err("refused");
    assert_eq!(err.rule_code(), Some("user.last_admin"), "{err:?}");
    assert_eq!(user(&mut svc, &admin, "admin").roles, RoleSet::new([Role::Admin]));
}

#[test]
fn with_a_second_admin_one_may_step_down_but_a_deactivated_admin_does_not_count() {
    let (_dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let second = svc.create_user(&admin, new_user("wangli", "王丽", &[Role::Admin])).expect("created");

    // The second admin is deactivated: the first is the last active one and must stay admin.
    let off = svc.set_user_active(&admin, second.id, second.version, false).expect("deactivated");
    let mut step_down = edit_of(&user(&mut svc, &admin, "admin"));
    step_down.roles = RoleSet::new([Role::Head]);
    let err = svc.update_user(&admin, step_down.clone()).expect_err("the last active admin stays");
    assert_eq!(err.rule_code(), Some("user.last_admin"), "{err:?}");

    // Back at work, the second admin may take over and the first steps down.
    svc.set_user_active(&admin, off.id, off.version, true).expect("reactivated");
    let stepped = svc.update_user(&admin, step_down).expect("two active admins: one may step down");
    assert_eq!(stepped.roles, RoleSet::new([Role::Head]));
    assert!(svc.list_users(&admin).is_ok(), "reading stays allowed");
    assert!(matches!(
        svc.create_user(&admin, new_user("zhanghua", "张华", &[Role::Sales])),
        Err(ServiceError::Denied(_))
    ));

    let wangli = first_sign_in(&mut svc, "wangli");
    let mut last = edit_of(&user(&mut svc, &wangli, "wangli"));
    last.roles = RoleSet::new([Role::Sales]);
    let err = svc.update_user(&wangli, last).expect_err("now the second admin is the last");
    assert_eq!(err.rule_code(), Some("user.last_admin"), "{err:?}");
}

#[test]
fn changing_ones_own_password_checks_the_old_one_and_the_rule() {
    let (_dir, mut svc) = demo_office();
    let me = sign_in(&mut svc, "sunli");

    let wrong_old = svc.change_own_password(&me, "not-my-pass1", "Sunli2026ok").expect_err("wrong old password");
    assert_field_error(&wrong_old, "old_password");
    for weak in ["short1", "onlyletters", "1234567890", ""] {
        let err = svc.change_own_password(&me, DEMO_PASSWORD, weak).expect_err("weak password");
        assert_field_error(&err, "password");
    }
    let same = svc.change_own_password(&me, DEMO_PASSWORD, DEMO_PASSWORD).expect_err("same as before");
    assert_field_error(&same, "password");
    sign_in(&mut svc, "sunli");

    svc.change_own_password(&me, DEMO_PASSWORD, "Sunli2026ok").expect("changed");
    assert!(matches!(svc.sign_in("sunli", DEMO_PASSWORD), Err(ServiceError::SignInFailed)));
    svc.sign_in("sunli", "Sunli2026ok").expect("the new password works");
}

#[test]
fn a_user_with_a_temporary_password_can_do_nothing_but_change_it() {
    let (_dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    svc.create_user(&admin, new_user("wangli", "王丽", &[Role::Admin])).expect("created");
    let temporary = svc.sign_in("wangli", START_PASSWORD).expect("signs in");
    let err = svc.list_users(&temporary).expect_err("must change the password first");
    assert_eq!(err.rule_code(), Some("password.must_change"), "{err}");
    let own = svc.change_own_password(&temporary, START_PASSWORD, "Wangli2026ok").expect("changes it");
    assert!(svc.list_users(&own).is_ok());
}

#[test]
fn id_numbers_are_checked_and_only_the_admin_head_leaders_and_the_person_read_them_whole() {
    use salesdesk::domain::user::Gender;
    let (_dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let li = user(&mut svc, &admin, "liqiang");
    assert_eq!((li.id_number.as_str(), li.gender), ("320506198809251514", Some(Gender::Male)));

    let wrong = svc.set_user_identity(&admin, li.id, li.version, None, "320506198809251515").unwrap_err();
    assert!(wrong.field_message("id_number").is_some_and(|m| m.contains("校验位")), "{wrong}");
    let mismatch = svc.set_user_identity(&admin, li.id, li.version, Some(Gender::Female), "320506198809251514");
    assert!(mismatch.unwrap_err().field_message("gender").is_some());
    let head = sign_in(&mut svc, "zhaomin");
    assert!(matches!(
        svc.set_user_identity(&head, li.id, li.version, None, "320506198809251514"),
        Err(ServiceError::Denied(_))
    ));

    for (login, whole) in
        [("zhaomin", true), ("zhoujg", true), ("liqiang", true), ("wangfang", false), ("sunli", false)]
    {
        let who = sign_in(&mut svc, login);
        let seen = svc.list_users(&who).unwrap().into_iter().find(|u| u.login == "liqiang").unwrap();
        let expected = if whole { "320506198809251514" } else { "320***********1514" };
        assert_eq!(seen.id_number, expected, "{login}");
        let rep = svc.settings(&who).unwrap().company.value.legal_rep_id_number;
        assert_eq!(
            rep,
            if whole && login != "liqiang" { "320503197208163013" } else { "320***********3013" },
            "{login}"
        );
    }
    let sales = sign_in(&mut svc, "wangfang");
    let seen = svc.salespeople(&sales).unwrap().into_iter().find(|u| u.login == "liqiang").unwrap();
    assert_eq!(seen.id_number, "320***********1514");

    // Changed by the admin; the audit log records the change masked, never the whole number.
    let saved = svc.set_user_identity(&admin, li.id, li.version, None, "11010519491231002x").unwrap();
    assert_eq!((saved.id_number.as_str(), saved.gender), ("11010519491231002X", Some(Gender::Female)));
    let entries = audit_with_action(&mut svc, &admin, "user.identity");
    let last = entries.last().expect("audited");
    assert!(!last.after.contains("11010519491231002X") && last.after.contains("110***********002X"), "{}", last.after);
}
