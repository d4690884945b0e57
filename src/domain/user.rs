//! A user account (用户) as everyone may see it: who they are, their roles, whether they may sign
//! in. Never the password hash (that stays in the store).

use chrono::{DateTime, Utc};

use super::ids::UserId;
use super::role::RoleSet;

/// A user as everyone may see them (no password hash).
#[derive(Debug, Clone, PartialEq)]
pub struct UserAccount {
    pub id: UserId,
    pub login: String,
    pub display_name: String,
    pub phone: String,
    pub email: String,
    pub roles: RoleSet,
    pub active: bool,
    pub locked_until: Option<DateTime<Utc>>,
    pub must_change_password: bool,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}
