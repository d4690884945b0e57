//! Sign-in (登录): argon2id hashes; failures never say whether the login exists; five failures in
//! a row lock that login name for a while, whether or not such a user exists.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::Duration;

use super::{Actor, Service, ServiceError, audit};
use crate::store::{SignInAttempts, StoreError};

pub const LOCK_AFTER_FAILURES: i64 = 5;
pub const LOCK_MINUTES: i64 = 15;

pub(super) fn hash_password(password: &str) -> Result<String, ServiceError> {
    let salt_bytes: [u8; 16] = rand::random();
    let salt = SaltString::encode_b64(&salt_bytes)
        .map_err(|e| ServiceError::rule("password.hash_failed", format!("密码处理失败：{e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::rule("password.hash_failed", format!("密码处理失败：{e}")))
}

pub(super) fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// Verifying against this for unknown logins makes both answers take the same time.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy-password-never-used").unwrap_or_default())
}

/// The rule for a new password, shared by every form that sets one.
pub(super) fn check_new_password(password: &str) -> Result<(), ServiceError> {
    let long_enough = password.chars().count() >= 8;
    let has_letter = password.chars().any(|c| c.is_alphabetic());
    let has_digit = password.chars().any(|c| c.is_ascii_digit());
    if long_enough && has_letter && has_digit {
        Ok(())
    } else {
        Err(ServiceError::invalid("password", "密码至少8位，且须同时包含字母和数字"))
    }
}

impl Service {
    /// Signs a user in. Wrong login and wrong password give the same answer.
    ///
    /// On the office server the person's own server login is the password check: the server
    /// verifies it as the connection is made (the login's password is theirs, kept equal to
    /// SalesDesk's by every change), and what they do afterwards runs on that connection. The
    /// failures and the lock are counted here as for a file.
    pub fn sign_in(&mut self, login: &str, password: &str) -> Result<Actor, ServiceError> {
        let now = self.now();
        let login = login.trim().to_string();
        let on_server = self.store.is_server();
        let server = if on_server { self.server_check(&login, password, now)? } else { None };
        // The attempt bookkeeping must be committed even when the answer is "no", so the
        // outcome travels out of the transaction as a value, not as an Err that would roll back.
        let outcome = self.store.write(|tx| {
            let mut attempts = tx.sign_in_attempts(&login)?;
            if let Some(until) = attempts.locked_until.filter(|u| *u > now) {
                let until = until.with_timezone(&chrono::Local).format("%H:%M").to_string();
                return Ok::<_, StoreError>(Err(ServiceError::Locked { until }));
            }
            let found = tx.user_by_login(&login)?;
            let ok = match (&server, &found) {
                // The server checked the password (or could not, and says why below): SalesDesk's
                // hash is not read — a person's login may not read that column.
                (Some(ServerCheck::Passed | ServerCheck::Disabled | ServerCheck::Missing(_)), Some(_)) => true,
                (Some(ServerCheck::WrongPassword), Some(_)) => false,
                // On the server the name was locked when the server would have been asked, and
                // the lock ended in the moments since: the password was not checked (SalesDesk's
                // hash is not read there). Not counted; the next try asks the server.
                (None, Some(_)) if on_server => return Ok(Err(ServiceError::SignInFailed)),
                (None, Some(user)) => match tx.credentials(&user.login)? {
                    Some(creds) => verify_password(password, &creds.password_hash),
                    None => false,
                },
                (_, None) => {
                    verify_password(password, decoy_hash());
                    false
                }
            };
            let who = format!("({login})");
            if !ok {
                attempts.failures = if attempts.locked_until.is_some() { 1 } else { attempts.failures + 1 };
                attempts.locked_until = None;
                let mut action = "auth.sign_in_failed";
                if attempts.failures >= LOCK_AFTER_FAILURES {
                    attempts.locked_until = Some(now + Duration::minutes(LOCK_MINUTES));
                    action = "auth.locked";
                }
                tx.set_sign_in_attempts(&login, &attempts)?;
                audit_plain(tx, &who, now, action, &login)?;
                return Ok(Err(match attempts.locked_until {
                    Some(u) => {
                        ServiceError::Locked { until: u.with_timezone(&chrono::Local).format("%H:%M").to_string() }
                    }
                    None => ServiceError::SignInFailed,
                }));
            }
            let Some(user) = found else { return Ok(Err(ServiceError::SignInFailed)) };
            if !user.active {
                audit_plain(tx, &who, now, "auth.sign_in_deactivated", &login)?;
                return Ok(Err(ServiceError::Deactivated));
            }
            match &server {
                Some(ServerCheck::Missing(role)) => {
                    let e = StoreError::NoServerLogin { login: user.login.clone(), role: role.clone() };
                    return Ok(Err(e.into()));
                }
                Some(ServerCheck::Disabled) => return Ok(Err(StoreError::ServerLoginDisabled.into())),
                _ => {}
            }
            tx.set_sign_in_attempts(&login, &SignInAttempts::default())?;
            let actor = Actor::from_row(&user);
            audit_plain(tx, &actor.audit_name(), now, "auth.sign_in", &login)?;
            Ok(Ok(actor))
        });
        let outcome = outcome.map_err(ServiceError::from).and_then(|o| o);
        if let (Ok(actor), Some(ServerCheck::Passed)) = (&outcome, &server) {
            self.works_through_own_login(actor.login(), password);
        }
        if let (Err(_), Some(ServerCheck::Passed)) = (&outcome, &server) {
            // Signed in at the server but not in SalesDesk (deactivated there): no connection stays.
            if let Some(found) = self.store.read(|tx| tx.user_by_login(&login)).ok().flatten() {
                self.store.close_seat(&found.login);
            }
        }
        outcome
    }

    /// On the server: `login` now works through their own server login with `password` (the
    /// window's second lane follows, see [`Service::take_seat_change`]). Nothing on a file.
    pub(super) fn works_through_own_login(&mut self, login: &str, password: &str) {
        if self.store.is_server() {
            self.seat_change = Some(Some((login.to_string(), password.to_string())));
        }
    }

    /// On the server: connects as the person's own login with the password given, unless the
    /// login name is locked or SalesDesk has no such user (then nothing is tried: the answer stays
    /// the same as for a wrong password).
    fn server_check(
        &mut self,
        login: &str,
        password: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<ServerCheck>, ServiceError> {
        let locked = self.store.read(|tx| tx.sign_in_attempts(login))?.locked_until.is_some_and(|u| u > now);
        if locked {
            return Ok(None);
        }
        let Some(user) = self.store.read(|tx| tx.user_by_login(login))? else { return Ok(None) };
        Ok(Some(match self.store.open_seat(&user.login, password) {
            Ok(()) => ServerCheck::Passed,
            Err(StoreError::LoginRefused(_) | StoreError::PasswordNeeded) => ServerCheck::WrongPassword,
            Err(StoreError::ServerLoginDisabled) => ServerCheck::Disabled,
            Err(StoreError::NoServerLogin { role, .. }) => ServerCheck::Missing(role),
            Err(e) => return Err(e.into()),
        }))
    }

    /// Ends the person's own connection to the office server (nothing to do for a file).
    pub fn sign_out(&mut self, actor: &Actor) {
        self.close_own_connection(actor.login());
        if self.store.is_server() {
            self.seat_change = Some(None);
        }
    }

    /// Another connection to the same office (the window's second lane) works through the
    /// signed-in person's own login too: the server checks the password again.
    pub fn use_own_connection(&mut self, login: &str, password: &str) -> Result<(), ServiceError> {
        Ok(self.store.open_seat(login, password)?)
    }

    /// Ends `login`'s own connection on this service.
    pub fn close_own_connection(&mut self, login: &str) {
        self.store.close_seat(login);
    }

    /// The last sign-in, sign-out or own password change on the server since asked: who now
    /// works through their own login, with its password (`Some(None)`: nobody). The window's
    /// other connections follow it.
    pub fn take_seat_change(&mut self) -> Option<Option<(String, String)>> {
        self.seat_change.take()
    }

    /// The SCRAM-SHA-256 verifier a person's server login keeps for `password`, when the office is
    /// on a server (a file has no logins: nothing is computed).
    pub(super) fn login_verifier(&self, password: &str) -> Option<String> {
        self.store.is_server().then(|| crate::store::login_verifier(password))
    }

    /// Changes the signed-in user's own password (required after an admin reset).
    pub fn change_own_password(&mut self, actor: &Actor, old: &str, new: &str) -> Result<Actor, ServiceError> {
        check_new_password(new)?;
        if old == new {
            return Err(ServiceError::invalid("password", "新密码不能与原密码相同"));
        }
        let hash = hash_password(new)?;
        let verifier = self.login_verifier(new);
        let now = self.now();
        // On the server the old password is checked by the server (a person's login may not read
        // the hash): a connection with it is tried.
        let server_says = match self.store.is_server() {
            true => Some(self.store.password_connects(actor.login(), old)?),
            false => None,
        };
        let fresh = self.store.write_as(actor.login(), |tx| {
            let user = super::active_user(tx, actor)?;
            let right = match server_says {
                Some(connects) => connects,
                None => {
                    let creds = tx.credentials(&user.login)?.ok_or(StoreError::NotFound("用户"))?;
                    verify_password(old, &creds.password_hash)
                }
            };
            if !right {
                return Err(ServiceError::invalid("old_password", "原密码不正确"));
            }
            tx.set_password(user.id, user.version, &hash, false, now, &actor.audit_name())?;
            if let Some(v) = &verifier {
                tx.set_own_server_password(v)?;
            }
            audit_plain(tx, &actor.audit_name(), now, "user.change_own_password", &user.login)?;
            let fresh = tx.user(user.id)?;
            Ok::<_, ServiceError>(Actor::from_row(&fresh))
        })?;
        self.store.seat_password_changed(actor.login(), new);
        self.works_through_own_login(actor.login(), new);
        Ok(fresh)
    }
}

/// What the office server said of a person's password (see [`Service::sign_in`]).
enum ServerCheck {
    /// Their own login connected: the password is right.
    Passed,
    WrongPassword,
    /// The login may not connect (deactivated): SalesDesk's own check answers.
    Disabled,
    /// No login yet (the owner has not started this version): SalesDesk's check answers, then
    /// the person is told who must set it up.
    Missing(String),
}

/// An entry about a login name with no record body (sign-in events).
fn audit_plain(
    tx: &crate::store::Tx<'_>,
    who: &str,
    now: chrono::DateTime<chrono::Utc>,
    action: &str,
    login: &str,
) -> Result<(), StoreError> {
    audit::<(), ()>(tx, who, now, action, "user", login, None, None)
}
