//! User administration (用户管理): create, edit roles, reset a password, deactivate a leaver.
//! Also the very first admin of a new office.

use serde::Serialize;

use super::auth::{check_new_password, hash_password};
use super::{Actor, Service, ServiceError, audit, authorize};
use crate::domain::company::FieldError;
use crate::domain::ids::UserId;
use crate::domain::role::{Permission, Role, RoleSet};
use crate::domain::user::{Gender, UserAccount};
use crate::domain::validate;
use crate::store::{NewUserRow, SignInAttempts, Tx};

/// The form for a new user.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub login: String,
    pub display_name: String,
    pub phone: String,
    pub email: String,
    pub roles: RoleSet,
    pub password: String,
}

/// A person whose server login the owner's start made (moving an office onto per-person
/// logins, or a user added while the office was a file): the one-time password they sign in
/// with first and must then change. Never written anywhere: shown once to whoever started.
#[derive(Debug, Clone, PartialEq)]
pub struct NewServerLogin {
    pub login: String,
    pub display_name: String,
    /// The server login's name (`库名.登录名`).
    pub server_login: String,
    pub password: String,
}

/// How a missing server login is made.
enum LoginPlan {
    /// Its password is kept in the office (a copied or restored database): made again as it was.
    Kept,
    /// The user's password is still the demo password: the login gets it too.
    Demo,
    /// Anyone else: a one-time password, set for SalesDesk too and to be changed at first sign-in.
    OneTime { password: String, hash: String },
}

/// A one-time password that meets the password rule: 10 letters and digits, both present, without
/// the ones people misread (0/O, 1/l/I).
fn one_time_password() -> String {
    use rand::Rng;
    const LETTERS: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGITS: &[u8] = b"23456789";
    let mut rng = rand::thread_rng();
    loop {
        let p: String = (0..10)
            .map(|i| {
                let pool = if i % 3 == 2 { DIGITS } else { LETTERS };
                pool[rng.gen_range(0..pool.len())] as char
            })
            .collect();
        if check_new_password(&p).is_ok() {
            return p;
        }
    }
}

/// The editable fields of an existing user, with the version the form was loaded at.
#[derive(Debug, Clone)]
pub struct UserEdit {
    pub id: UserId,
    pub version: i64,
    pub display_name: String,
    pub phone: String,
    pub email: String,
    pub roles: RoleSet,
}

/// What the audit log records of a user (never the password hash).
#[derive(Serialize)]
struct UserAudit<'a> {
    login: &'a str,
    display_name: &'a str,
    phone: &'a str,
    email: &'a str,
    roles: String,
    active: bool,
}

fn audit_view(u: &UserAccount) -> UserAudit<'_> {
    UserAudit {
        login: &u.login,
        display_name: &u.display_name,
        phone: &u.phone,
        email: &u.email,
        roles: u.roles.to_codes(),
        active: u.active,
    }
}

/// Checks and normalises the contact fields shared by both forms.
fn check_profile(
    display_name: &mut String,
    phone: &mut String,
    email: &mut String,
    roles: &RoleSet,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    *display_name = display_name.trim().to_string();
    if display_name.is_empty() {
        errors.push(FieldError::new("display_name", "请填写姓名"));
    }
    if !phone.trim().is_empty() {
        match validate::validate_phone(phone) {
            Ok(n) => *phone = n,
            Err(e) => errors.push(FieldError::new("phone", e.to_string())),
        }
    }
    *email = email.trim().to_string();
    if !email.is_empty()
        && let Err(e) = validate::validate_email(email)
    {
        errors.push(FieldError::new("email", e.to_string()));
    }
    if roles.is_empty() {
        errors.push(FieldError::new("roles", "请至少选择一个角色"));
    }
    errors
}

fn check_new_user(u: &mut NewUser) -> Result<(), ServiceError> {
    let mut errors = Vec::new();
    u.login = u.login.trim().to_string();
    let login_ok =
        (2..=32).contains(&u.login.len()) && u.login.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if !login_ok {
        errors.push(FieldError::new("login", "登录名应为2到32位字母、数字或 . _ -"));
    }
    errors.extend(check_profile(&mut u.display_name, &mut u.phone, &mut u.email, &u.roles));
    if let Err(ServiceError::Invalid(e)) = check_new_password(&u.password) {
        errors.extend(e);
    }
    if errors.is_empty() { Ok(()) } else { Err(ServiceError::Invalid(errors)) }
}

/// A user record as `viewer` may read it: the ID number whole for the admin, the head, leaders
/// and the person, masked for everyone else.
pub(super) fn shown_to(viewer: &UserAccount, u: UserAccount) -> UserAccount {
    let whole = viewer.id == u.id || viewer.roles.allows(Permission::ViewIdNumbers);
    u.masked(whole)
}

/// An office must keep one active admin, or nobody could manage users any more.
fn ensure_an_admin_remains(tx: &Tx<'_>, changed: &UserAccount) -> Result<(), ServiceError> {
    let admins = tx
        .list_users()?
        .into_iter()
        .filter(|u| u.id != changed.id && u.active && u.roles.contains(Role::Admin))
        .count();
    let still_admin = changed.active && changed.roles.contains(Role::Admin);
    if admins == 0 && !still_admin {
        return Err(ServiceError::rule("user.last_admin", "至少需要保留一名启用的管理员，此修改未保存。"));
    }
    Ok(())
}

impl Service {
    /// The owner's start on the server: every user without a server login gets one (an office
    /// moving from the shared login of earlier versions, `migrate` from a file, a copy of the
    /// database). Returns those given a one-time password, to be told to them.
    pub(super) fn ensure_server_logins(&mut self) -> Result<Vec<NewServerLogin>, ServiceError> {
        if !self.store.is_server_owner() {
            return Ok(Vec::new());
        }
        let missing = self.store.read(|tx| tx.users_without_server_login())?;
        if missing.is_empty() {
            return Ok(Vec::new());
        }
        // Each user and their hash in one read (the owner's: this runs at the owner's start).
        let found = self.store.read(|tx| {
            let mut found = Vec::new();
            for (login, kept) in missing {
                if let Some(user) = tx.user_by_login(&login)? {
                    let hash = tx.credentials(&login)?.map(|c| c.password_hash).unwrap_or_default();
                    found.push((user, kept, hash));
                }
            }
            Ok::<_, ServiceError>(found)
        })?;
        let mut plans = Vec::new();
        for (user, kept, hash) in found {
            let plan = if kept {
                LoginPlan::Kept
            } else if super::auth::verify_password(super::DEMO_PASSWORD, &hash) {
                LoginPlan::Demo
            } else {
                let password = one_time_password();
                let hash = hash_password(&password)?;
                LoginPlan::OneTime { password, hash }
            };
            let server_login = self.store.server_login_name(&user.login);
            plans.push((user, plan, server_login));
        }
        let now = self.now();
        let demo = crate::store::login_verifier(super::DEMO_PASSWORD);
        let who = "系统 (server owner)";
        self.store.write(|tx| {
            let mut told = Vec::new();
            for (user, plan, server_login) in &plans {
                match plan {
                    LoginPlan::Kept => tx.sync_server_login(&user.login, None)?,
                    LoginPlan::Demo => tx.sync_server_login(&user.login, Some(&demo))?,
                    LoginPlan::OneTime { password, hash } => {
                        let current = tx.user(user.id)?;
                        tx.set_password(user.id, current.version, hash, true, now, who)?;
                        tx.sync_server_login(&user.login, Some(&crate::store::login_verifier(password)))?;
                        told.push(NewServerLogin {
                            login: user.login.clone(),
                            display_name: user.display_name.clone(),
                            server_login: server_login.clone(),
                            password: password.clone(),
                        });
                    }
                }
            }
            let detail = serde_json::json!({
                "logins": plans.iter().map(|(u, _, _)| u.login.as_str()).collect::<Vec<_>>(),
                "one_time_passwords": told.iter().map(|t| t.login.as_str()).collect::<Vec<_>>(),
            });
            audit::<(), _>(tx, who, now, "server.create_logins", "database", "", None, Some(&detail))?;
            Ok::<_, ServiceError>(told)
        })
    }

    /// The server logins this start made with one-time passwords (once; then forgotten): the
    /// command line prints them, the window shows them to the owner.
    pub fn take_new_server_logins(&mut self) -> Vec<NewServerLogin> {
        std::mem::take(&mut self.new_logins)
    }

    /// True while the office has no users at all: the window then offers the demo office or the
    /// first admin account.
    pub fn needs_first_admin(&mut self) -> Result<bool, ServiceError> {
        Ok(self.store.read(|tx| tx.count_users())? == 0)
    }

    /// Creates the first admin of an empty office and signs them in.
    pub fn create_first_admin(&mut self, mut u: NewUser) -> Result<Actor, ServiceError> {
        u.roles = RoleSet::new([Role::Admin]);
        check_new_user(&mut u)?;
        let hash = hash_password(&u.password)?;
        let verifier = self.login_verifier(&u.password);
        let now = self.now();
        let actor = self.store.write(|tx| {
            if tx.count_users()? > 0 {
                return Err(ServiceError::rule("office.not_empty", "本办公室已有用户，请直接登录。"));
            }
            let id = insert(tx, &u, &hash, false, now, "系统 (setup)")?;
            let row = tx.user(id)?;
            tx.sync_server_login(&row.login, verifier.as_deref())?;
            audit::<(), _>(
                tx,
                "系统 (setup)",
                now,
                "user.create_first_admin",
                "user",
                &row.login,
                None,
                Some(&audit_view(&row)),
            )?;
            Ok(Actor::from_row(&row))
        })?;
        // On the server the new admin works through their own login from the first step.
        self.store.open_seat(actor.login(), &u.password)?;
        self.works_through_own_login(actor.login(), &u.password);
        Ok(actor)
    }

    pub fn list_users(&mut self, actor: &Actor) -> Result<Vec<UserAccount>, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let viewer = super::current_user(tx, actor)?;
            Ok(tx.list_users()?.into_iter().map(|u| shown_to(&viewer, u)).collect())
        })
    }

    /// Records a user's 性别 and 身份证号码 (admin): a bid's 授权委托书 prints them for its agent.
    /// The number is checked (GB 11643) and, when the gender is not given, read from it; an empty
    /// number clears both.
    pub fn set_user_identity(
        &mut self,
        actor: &Actor,
        id: UserId,
        version: i64,
        gender: Option<Gender>,
        id_number: &str,
    ) -> Result<UserAccount, ServiceError> {
        let number = if id_number.trim().is_empty() {
            String::new()
        } else {
            validate::validate_id_number(id_number)
                .map_err(|e| ServiceError::Invalid(vec![FieldError::new("id_number", e.to_string())]))?
        };
        let stated = Gender::of_id_number(&number);
        if let (Some(g), Some(s)) = (gender, stated)
            && g != s
        {
            return Err(ServiceError::invalid(
                "gender",
                format!("身份证号码表明性别为{}，与所选的“{}”不符；请核对", s.label(), g.label()),
            ));
        }
        let gender = gender.or(stated);
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::ManageUsers)?;
            let before = tx.user(id)?;
            tx.set_user_identity(id, version, gender, &number, now, &actor.audit_name())?;
            let saved = tx.user(id)?;
            // The audit keeps who changed what, never the whole number.
            let view = |u: &UserAccount| {
                serde_json::json!({
                    "gender": u.gender.map(Gender::label),
                    "id_number": validate::mask_id_number(&u.id_number),
                })
            };
            audit(
                tx,
                &actor.audit_name(),
                now,
                "user.identity",
                "user",
                &saved.login,
                Some(&view(&before)),
                Some(&view(&saved)),
            )?;
            Ok(saved)
        })
    }

    /// Creates a user who must change the given password at first sign-in.
    pub fn create_user(&mut self, actor: &Actor, mut u: NewUser) -> Result<UserAccount, ServiceError> {
        check_new_user(&mut u)?;
        let hash = hash_password(&u.password)?;
        let verifier = self.login_verifier(&u.password);
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::ManageUsers)?;
            let id = insert(tx, &u, &hash, true, now, &actor.audit_name())?;
            let row = tx.user(id)?;
            // On the server: the person's own login, with the same password and their roles' groups.
            tx.sync_server_login(&row.login, verifier.as_deref())?;
            audit::<(), _>(
                tx,
                &actor.audit_name(),
                now,
                "user.create",
                "user",
                &row.login,
                None,
                Some(&audit_view(&row)),
            )?;
            Ok(row)
        })
    }

    pub fn update_user(&mut self, actor: &Actor, mut e: UserEdit) -> Result<UserAccount, ServiceError> {
        let errors = check_profile(&mut e.display_name, &mut e.phone, &mut e.email, &e.roles);
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::ManageUsers)?;
            let before = tx.user(e.id)?;
            let mut after = before.clone();
            after.version = e.version;
            after.display_name = e.display_name;
            after.phone = e.phone;
            after.email = e.email;
            after.roles = e.roles;
            ensure_an_admin_remains(tx, &after)?;
            tx.update_user(&after, now, &actor.audit_name())?;
            let saved = tx.user(e.id)?;
            // The server login's groups follow the roles.
            tx.sync_server_login(&saved.login, None)?;
            audit(
                tx,
                &actor.audit_name(),
                now,
                "user.update",
                "user",
                &saved.login,
                Some(&audit_view(&before)),
                Some(&audit_view(&saved)),
            )?;
            Ok(saved)
        })
    }

    /// Deactivates a leaver (their history stays) or reactivates a user.
    pub fn set_user_active(
        &mut self,
        actor: &Actor,
        id: UserId,
        version: i64,
        active: bool,
    ) -> Result<UserAccount, ServiceError> {
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::ManageUsers)?;
            let before = tx.user(id)?;
            if id == actor.id && !active {
                return Err(ServiceError::rule("user.deactivate_self", "不能停用自己的账号。"));
            }
            let mut after = before.clone();
            after.version = version;
            after.active = active;
            ensure_an_admin_remains(tx, &after)?;
            tx.update_user(&after, now, &actor.audit_name())?;
            let saved = tx.user(id)?;
            // On the server: a leaver's login stops at once (its open sessions end); back again
            // when reactivated.
            tx.sync_server_login(&saved.login, None)?;
            let action = if active { "user.activate" } else { "user.deactivate" };
            audit(
                tx,
                &actor.audit_name(),
                now,
                action,
                "user",
                &saved.login,
                Some(&audit_view(&before)),
                Some(&audit_view(&saved)),
            )?;
            Ok(saved)
        })
    }

    /// Sets a temporary password the user must change at next sign-in; lifts any lock.
    pub fn reset_password(
        &mut self,
        actor: &Actor,
        id: UserId,
        version: i64,
        password: &str,
    ) -> Result<UserAccount, ServiceError> {
        check_new_password(password)?;
        let hash = hash_password(password)?;
        let verifier = self.login_verifier(password);
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::ManageUsers)?;
            let user = tx.user(id)?;
            tx.set_password(id, version, &hash, true, now, &actor.audit_name())?;
            tx.sync_server_login(&user.login, verifier.as_deref())?;
            tx.set_sign_in_attempts(&user.login, &SignInAttempts::default())?;
            audit::<(), ()>(tx, &actor.audit_name(), now, "user.reset_password", "user", &user.login, None, None)?;
            Ok(tx.user(id)?)
        })
    }
}

fn insert(
    tx: &Tx<'_>,
    u: &NewUser,
    hash: &str,
    must_change: bool,
    now: chrono::DateTime<chrono::Utc>,
    by: &str,
) -> Result<UserId, ServiceError> {
    let row = NewUserRow {
        login: &u.login,
        display_name: &u.display_name,
        phone: &u.phone,
        email: &u.email,
        roles: &u.roles,
        password_hash: hash,
        must_change_password: must_change,
    };
    tx.insert_user(&row, now, by).map_err(|e| match e {
        crate::store::StoreError::Duplicate(_) => {
            ServiceError::invalid("login", format!("登录名 {} 已被使用", u.login))
        }
        other => other.into(),
    })
}
