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

fn verify_password(password: &str, hash: &str) -> bool {
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
    pub fn sign_in(&mut self, login: &str, password: &str) -> Result<Actor, ServiceError> {
        let now = self.now();
        let login = login.trim().to_string();
        // The attempt bookkeeping must be committed even when the answer is "no", so the
        // outcome travels out of the transaction as a value, not as an Err that would roll back.
        self.store.write(|tx| {
            let mut attempts = tx.sign_in_attempts(&login)?;
            if let Some(until) = attempts.locked_until.filter(|u| *u > now) {
                let until = until.with_timezone(&chrono::Local).format("%H:%M").to_string();
                return Ok::<_, StoreError>(Err(ServiceError::Locked { until }));
            }
            let found = tx.user_by_login(&login)?;
            let ok = match &found {
                Some((_, creds)) => verify_password(password, &creds.password_hash),
                None => {
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
            let Some((user, _)) = found else { return Ok(Err(ServiceError::SignInFailed)) };
            if !user.active {
                audit_plain(tx, &who, now, "auth.sign_in_deactivated", &login)?;
                return Ok(Err(ServiceError::Deactivated));
            }
            tx.set_sign_in_attempts(&login, &SignInAttempts::default())?;
            let actor = Actor::from_row(&user);
            audit_plain(tx, &actor.audit_name(), now, "auth.sign_in", &login)?;
            Ok(Ok(actor))
        })?
    }

    /// Changes the signed-in user's own password (required after an admin reset).
    pub fn change_own_password(&mut self, actor: &Actor, old: &str, new: &str) -> Result<Actor, ServiceError> {
        check_new_password(new)?;
        if old == new {
            return Err(ServiceError::invalid("password", "新密码不能与原密码相同"));
        }
        let hash = hash_password(new)?;
        let now = self.now();
        self.store.write(|tx| {
            let user = super::active_user(tx, actor)?;
            let (_, creds) = tx.user_by_login(&user.login)?.ok_or(StoreError::NotFound("用户"))?;
            if !verify_password(old, &creds.password_hash) {
                return Err(ServiceError::invalid("old_password", "原密码不正确"));
            }
            tx.set_password(user.id, user.version, &hash, false, now, &actor.audit_name())?;
            audit_plain(tx, &actor.audit_name(), now, "user.change_own_password", &user.login)?;
            let fresh = tx.user(user.id)?;
            Ok(Actor::from_row(&fresh))
        })
    }
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
