//! Sign-in (登录): one answer for a wrong password and an unknown login, a lock after repeated
//! failures that lifts by itself, no hint whether a login exists, every attempt audited.

use chrono::Duration;
use salesdesk::service::{DEMO_PASSWORD, LOCK_AFTER_FAILURES, Service, ServiceError};

use crate::support::{TestClock, audit_log, demo_office, demo_office_at, sign_in};

/// Fails `times` sign-ins for `login`, returning the last answer.
fn fail(svc: &mut Service, login: &str, times: i64) -> ServiceError {
    let mut last = None;
    for _ in 0..times {
        last = Some(svc.sign_in(login, "wrong-guess-1").expect_err("a wrong password is refused"));
    }
    last.expect("at least one attempt")
}

#[test]
fn a_wrong_password_and_an_unknown_login_get_the_same_answer() {
    let (_dir, mut svc) = demo_office();
    let wrong_password = svc.sign_in("liqiang", "not-his-password").expect_err("refused");
    let unknown_login = svc.sign_in("nobody", "not-his-password").expect_err("refused");
    assert!(matches!(wrong_password, ServiceError::SignInFailed), "{wrong_password:?}");
    assert!(matches!(unknown_login, ServiceError::SignInFailed), "{unknown_login:?}");
    assert_eq!(wrong_password.to_string(), unknown_login.to_string());
    assert!(matches!(svc.sign_in("liqiang", ""), Err(ServiceError::SignInFailed)));
}

#[test]
fn the_login_is_matched_whatever_its_case_and_surrounding_spaces() {
    let (_dir, mut svc) = demo_office();
    let actor = svc.sign_in("  LiQiang ", DEMO_PASSWORD).expect("signs in");
    assert_eq!(actor.login(), "liqiang");
}

#[test]
fn five_failures_lock_the_login_even_against_the_right_password() {
    let clock = TestClock::new();
    let (_dir, mut svc) = demo_office_at(&clock);
    let fourth = fail(&mut svc, "liqiang", LOCK_AFTER_FAILURES - 1);
    assert!(matches!(fourth, ServiceError::SignInFailed), "{fourth:?}");
    let fifth = fail(&mut svc, "liqiang", 1);
    assert!(matches!(fifth, ServiceError::Locked { .. }), "{fifth:?}");

    let right = svc.sign_in("liqiang", DEMO_PASSWORD).expect_err("locked");
    assert!(matches!(right, ServiceError::Locked { .. }), "{right:?}");
    assert!(matches!(svc.sign_in("LIQIANG", DEMO_PASSWORD), Err(ServiceError::Locked { .. })), "any spelling");
    sign_in(&mut svc, "wangfang"); // other people are not affected
}

#[test]
fn failures_under_any_spelling_of_a_login_count_together() {
    let clock = TestClock::new();
    let (_dir, mut svc) = demo_office_at(&clock);
    fail(&mut svc, "LiQiang", 2);
    fail(&mut svc, " LIQIANG", 2);
    let fifth = fail(&mut svc, "liqiang", 1);
    assert!(matches!(fifth, ServiceError::Locked { .. }), "{fifth:?}");
}

#[test]
fn the_lock_lifts_after_fifteen_minutes_and_counting_starts_again() {
    let clock = TestClock::new();
    let (_dir, mut svc) = demo_office_at(&clock);
    fail(&mut svc, "liqiang", LOCK_AFTER_FAILURES);

    clock.advance(Duration::minutes(14));
    assert!(matches!(svc.sign_in("liqiang", DEMO_PASSWORD), Err(ServiceError::Locked { .. })));
    clock.advance(Duration::minutes(2));
    let after_expiry = fail(&mut svc, "liqiang", 1);
    assert!(matches!(after_expiry, ServiceError::SignInFailed), "an expired lock counts afresh: {after_expiry:?}");
    sign_in(&mut svc, "liqiang");

    // A success clears the count: four more failures do not lock.
    let fourth = fail(&mut svc, "liqiang", LOCK_AFTER_FAILURES - 1);
    assert!(matches!(fourth, ServiceError::SignInFailed), "{fourth:?}");
    sign_in(&mut svc, "liqiang");
}

#[test]
fn a_login_that_does_not_exist_locks_the_same_way() {
    let clock = TestClock::new();
    let (_dir, mut svc) = demo_office_at(&clock);
    let real = fail(&mut svc, "liqiang", LOCK_AFTER_FAILURES);
    let ghost = fail(&mut svc, "ghost", LOCK_AFTER_FAILURES);
    assert!(matches!(ghost, ServiceError::Locked { .. }), "{ghost:?}");
    assert_eq!(real.to_string(), ghost.to_string(), "a lock says nothing about whether the login exists");
    let ghost_again = svc.sign_in("ghost", DEMO_PASSWORD).expect_err("still locked");
    assert_eq!(ghost_again.to_string(), svc.sign_in("liqiang", DEMO_PASSWORD).expect_err("locked").to_string());
}

#[test]
fn sign_in_events_are_audited_without_the_typed_password() {
    let clock = TestClock::new();
    let (_dir, mut svc) = demo_office_at(&clock);
    fail(&mut svc, "liqiang", LOCK_AFTER_FAILURES);
    fail(&mut svc, "ghost", 1);
    let admin = sign_in(&mut svc, "admin");
    let log = audit_log(&mut svc, &admin);

    let count = |action: &str, login: &str| log.iter().filter(|e| e.action == action && e.entity_id == login).count();
    assert_eq!(count("auth.sign_in_failed", "liqiang"), (LOCK_AFTER_FAILURES - 1) as usize);
    assert_eq!(count("auth.locked", "liqiang"), 1);
    assert_eq!(count("auth.sign_in_failed", "ghost"), 1);
    let newest = &log[0];
    assert_eq!((newest.action.as_str(), newest.actor.as_str()), ("auth.sign_in", "系统管理员 (admin)"));
    assert_eq!(newest.at, clock.clock()(), "stamped with the service's clock");
    assert!(
        log.iter().all(|e| !e.before.contains("wrong-guess") && !e.after.contains("wrong-guess")),
        "the typed password is never written down"
    );
}
