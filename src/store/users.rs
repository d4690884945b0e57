//! Users (用户) and their credentials.

use super::db::{OptionalExtension, Row, params};
use chrono::{DateTime, Utc};

use super::{StoreError, Tx, time_from_sql, time_to_sql};
use crate::domain::ids::UserId;
use crate::domain::role::RoleSet;
use crate::domain::user::{Gender, UserAccount};

/// What sign-in needs and nothing else shows.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub password_hash: String,
}

/// Recent failed sign-ins under one login name (known or not).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SignInAttempts {
    pub failures: i64,
    pub locked_until: Option<DateTime<Utc>>,
}

pub struct NewUserRow<'a> {
    pub login: &'a str,
    pub display_name: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub roles: &'a RoleSet,
    pub password_hash: &'a str,
    pub must_change_password: bool,
}

// Never the password hash: it is read only by [`Tx::credentials`] (on the server a person's login
// may not read that column at all).
// The ID number (身份证号码) as this login may read it: whole for those who may see ID numbers; on
// the office server the others' logins read it through `salesdesk_id_number_shown` (their own
// whole, everyone else's masked), since the column is not theirs to read.
fn columns(id_number: &str) -> String {
    format!(
        "u.id, u.login, u.display_name, u.phone, u.email, u.roles, u.active, a.locked_until, \
         u.must_change_password, u.version, u.updated_at, u.updated_by, u.gender, {id_number}"
    )
}
// Logins compare without ASCII case on both engines: SQLite's columns are NOCASE, and the store
// looks them up by lower(login) and keys sign-in attempts by `login_key` (PostgreSQL's are "C").
const FROM: &str = "users u LEFT JOIN sign_in_attempts a ON a.login = lower(u.login)";

/// A login as the store looks it up: trimmed, ASCII lower case (logins are ASCII).
fn login_key(login: &str) -> String {
    login.trim().to_ascii_lowercase()
}

fn user_from_row(r: &Row<'_>) -> super::db::Result<UserAccount> {
    let roles: String = r.get(5)?;
    let locked: Option<String> = r.get(7)?;
    let updated: String = r.get(10)?;
    let bad = |i: usize, what: String| super::db::Error::Conversion(i, what);
    let user = UserAccount {
        id: UserId(r.get(0)?),
        login: r.get(1)?,
        display_name: r.get(2)?,
        phone: r.get(3)?,
        email: r.get(4)?,
        roles: RoleSet::from_codes(&roles).map_err(|c| bad(5, format!("unknown role {c}")))?,
        active: r.get(6)?,
        locked_until: locked.map(|s| time_from_sql(&s).map_err(|e| bad(7, e.to_string()))).transpose()?,
        must_change_password: r.get(8)?,
        version: r.get(9)?,
        updated_at: time_from_sql(&updated).map_err(|e| bad(10, e.to_string()))?,
        updated_by: r.get(11)?,
        gender: Gender::from_code(&r.get::<_, String>(12)?),
        id_number: r.get(13)?,
    };
    Ok(user)
}

impl Tx<'_> {
    fn user_columns(&self) -> Result<String, StoreError> {
        Ok(columns(if self.sees_id_numbers()? { "u.id_number" } else { "salesdesk_id_number_shown(u.id)" }))
    }

    /// Whether this login may read whole ID numbers: always on a file (the service masks them);
    /// on the office server, whether `users.id_number` is readable (admin, head, leader).
    pub fn sees_id_numbers(&self) -> Result<bool, StoreError> {
        self.holds("SELECT CASE WHEN has_column_privilege('users', 'id_number', 'SELECT') THEN 1 ELSE 0 END", &self.ids)
    }

    /// The whole ID number of the agent a bid names (its author, 授权委托书): on the office server
    /// through `salesdesk_bid_agent_id_number`, which answers it for a bid and nothing else.
    pub fn bid_agent_id_number(&self, quote: crate::domain::ids::QuoteId) -> Result<String, StoreError> {
        if self.sees_id_numbers()? {
            return Ok(self.conn.query_row(
                "SELECT u.id_number FROM quotes q JOIN users u ON u.id = q.author_id WHERE q.id = ?1",
                [quote.0],
                |r| r.get(0),
            )?);
        }
        Ok(self
            .conn
            .query_row("SELECT salesdesk_bid_agent_id_number(?1)", [quote.0], |r| r.get::<_, Option<String>>(0))?
            .unwrap_or_default())
    }

    pub fn count_users(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?)
    }

    pub fn insert_user(&self, u: &NewUserRow<'_>, now: DateTime<Utc>, by: &str) -> Result<UserId, StoreError> {
        let exists: bool = self.conn.query_row(
            "SELECT count(*) > 0 FROM users WHERE lower(login) = ?1",
            [login_key(u.login)],
            |r| r.get(0),
        )?;
        if exists {
            return Err(StoreError::Duplicate(format!("登录名 {}", u.login)));
        }
        let now = time_to_sql(now);
        self.conn.execute(
            "INSERT INTO users (login, display_name, phone, email, roles, password_hash, must_change_password, \
             created_at, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)",
            params![
                u.login,
                u.display_name,
                u.phone,
                u.email,
                u.roles.to_codes(),
                u.password_hash,
                u.must_change_password,
                now,
                by
            ],
        )?;
        Ok(UserId(self.conn.last_insert_rowid()?))
    }

    pub fn user_by_login(&self, login: &str) -> Result<Option<UserAccount>, StoreError> {
        let sql = format!("SELECT {} FROM {FROM} WHERE lower(u.login) = ?1", self.user_columns()?);
        Ok(self.conn.query_row(&sql, [login_key(login)], user_from_row).optional()?)
    }

    /// The password hash of `login`, for checking a password on a file (and for the owner's
    /// start on the server). A person's own server login may not read it.
    pub fn credentials(&self, login: &str) -> Result<Option<Credentials>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT password_hash FROM users WHERE lower(login) = ?1", [login_key(login)], |r| {
                Ok(Credentials { password_hash: r.get(0)? })
            })
            .optional()?)
    }

    pub fn user(&self, id: UserId) -> Result<UserAccount, StoreError> {
        let sql = format!("SELECT {} FROM {FROM} WHERE u.id = ?1", self.user_columns()?);
        let found = self.conn.query_row(&sql, [id.0], user_from_row).optional()?;
        found.ok_or(StoreError::NotFound("用户"))
    }

    /// Saves a user's 性别 and 身份证号码 if nobody changed the row since `version`.
    pub fn set_user_identity(
        &self,
        id: UserId,
        version: i64,
        gender: Option<Gender>,
        id_number: &str,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE users SET gender = ?1, id_number = ?2, version = version + 1, updated_at = ?3, updated_by = ?4 \
             WHERE id = ?5 AND version = ?6",
            params![gender.map_or("", Gender::code), id_number, time_to_sql(now), by, id.0, version],
        )?;
        self.expect_one(n, "用户", "users", ("id", &id.0))
    }

    pub fn list_users(&self) -> Result<Vec<UserAccount>, StoreError> {
        let sql = format!("SELECT {} FROM {FROM} ORDER BY u.active DESC, lower(u.login), u.id", self.user_columns()?);
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], user_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Saves the editable fields of `u` if nobody changed the row since `u.version`.
    pub fn update_user(&self, u: &UserAccount, now: DateTime<Utc>, by: &str) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE users SET display_name = ?1, phone = ?2, email = ?3, roles = ?4, active = ?5, \
             version = version + 1, updated_at = ?6, updated_by = ?7 WHERE id = ?8 AND version = ?9",
            params![
                u.display_name,
                u.phone,
                u.email,
                u.roles.to_codes(),
                u.active,
                time_to_sql(now),
                by,
                u.id.0,
                u.version
            ],
        )?;
        self.expect_one(n, "用户", "users", ("id", &u.id.0))
    }

    /// Sets a new password hash (a reset by the admin or a change by the user); clears any lock.
    pub fn set_password(
        &self,
        id: UserId,
        version: i64,
        hash: &str,
        must_change: bool,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE users SET password_hash = ?1, must_change_password = ?2, \
             version = version + 1, updated_at = ?3, updated_by = ?4 WHERE id = ?5 AND version = ?6",
            params![hash, must_change, time_to_sql(now), by, id.0, version],
        )?;
        self.expect_one(n, "用户", "users", ("id", &id.0))?;
        self.conn.execute(
            "DELETE FROM sign_in_attempts WHERE login = (SELECT lower(login) FROM users WHERE id = ?1)",
            [id.0],
        )?;
        Ok(())
    }

    pub fn sign_in_attempts(&self, login: &str) -> Result<SignInAttempts, StoreError> {
        let row: Option<(i64, Option<String>)> = self
            .conn
            .query_row(
                "SELECT failures, locked_until FROM sign_in_attempts WHERE login = ?1",
                [login_key(login)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((failures, locked)) = row else { return Ok(SignInAttempts::default()) };
        Ok(SignInAttempts { failures, locked_until: locked.map(|s| time_from_sql(&s)).transpose()? })
    }

    /// Records failed sign-ins under a login name; a success clears them. Not a user edit: the
    /// user's version does not move, so an admin's open form is not invalidated by a typo.
    pub fn set_sign_in_attempts(&self, login: &str, a: &SignInAttempts) -> Result<(), StoreError> {
        if a.failures == 0 && a.locked_until.is_none() {
            self.conn.execute("DELETE FROM sign_in_attempts WHERE login = ?1", [login_key(login)])?;
        } else {
            self.conn.execute(
                "INSERT INTO sign_in_attempts (login, failures, locked_until) VALUES (?1, ?2, ?3) \
                 ON CONFLICT(login) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until",
                params![login_key(login), a.failures, a.locked_until.map(time_to_sql)],
            )?;
        }
        Ok(())
    }

    /// After an update touched `n` rows: 1 is success; 0 means the row moved (conflict, naming who
    /// and when) or vanished.
    pub(crate) fn expect_one(
        &self,
        n: usize,
        entity: &'static str,
        table: &str,
        key: (&str, &dyn super::db::ToValue),
    ) -> Result<(), StoreError> {
        if n == 1 {
            return Ok(());
        }
        let sql = format!("SELECT updated_by, updated_at FROM {table} WHERE {} = ?1", key.0);
        let who: Option<(String, String)> =
            self.conn.query_row(&sql, [key.1], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        match who {
            Some((by, at)) => Err(StoreError::Conflict { entity, by, at: super::local_time_text(&at) }),
            None => Err(StoreError::NotFound(entity)),
        }
    }
}

/// The office server's own logins, one per person (see `pg::set_up_logins`). On a file these do
/// nothing: a file has no logins.
impl Tx<'_> {
    /// Makes or updates SalesDesk user `login`'s server login: its password (a SCRAM-SHA-256
    /// verifier, when given), LOGIN while the user is active, the group roles of their SalesDesk
    /// roles; a deactivated user's open sessions end. Only the owner and the office's admins may.
    pub fn sync_server_login(&self, login: &str, verifier: Option<&str>) -> Result<(), StoreError> {
        if self.engine() != super::db::Engine::Postgres {
            return Ok(());
        }
        self.conn
            .query_row("SELECT salesdesk_server_login(?1, ?2)", params![login, verifier], |r| r.get::<_, String>(0))
            .map_err(server_login_error)?;
        Ok(())
    }

    /// Sets the password of the connection's own server login (a person changing theirs).
    pub fn set_own_server_password(&self, verifier: &str) -> Result<(), StoreError> {
        if self.engine() != super::db::Engine::Postgres {
            return Ok(());
        }
        self.conn
            .query_row("SELECT salesdesk_own_password(?1)::text", [verifier], |r| r.get::<_, Option<String>>(0))
            .map_err(server_login_error)?;
        Ok(())
    }

    /// The users whose server login is missing (owner only): each with whether a password for it
    /// is kept (a copied or restored office), so the login can be made again as it was.
    pub fn users_without_server_login(&self) -> Result<Vec<(String, bool)>, StoreError> {
        if self.engine() != super::db::Engine::Postgres {
            return Ok(Vec::new());
        }
        Ok(self.conn.query_map(
            "SELECT u.login, l.verifier IS NOT NULL FROM users u LEFT JOIN salesdesk_logins l ON l.login = u.login \
             WHERE NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = current_database() || '.' || u.login) \
             ORDER BY u.id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }
}

/// The functions are made by the owner's start: a seat that meets an office set up by an older
/// version is told who must start it first.
fn server_login_error(e: super::db::Error) -> StoreError {
    match StoreError::from(e) {
        StoreError::Postgres(engine)
            if engine.postgres().and_then(|p| p.code()) == Some(&postgres::error::SqlState::UNDEFINED_FUNCTION) =>
        {
            StoreError::ServerNeedsUpgrade(engine.to_string())
        }
        other => other,
    }
}
