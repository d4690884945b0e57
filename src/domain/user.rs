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
    /// 性别 and 身份证号码, printed in a bid's 授权委托书 (entered by the admin). The service hands
    /// the number whole only to those who may see it ([`crate::domain::role::Permission::ViewIdNumbers`]
    /// and the person), masked to everyone else.
    pub gender: Option<Gender>,
    pub id_number: String,
}

/// 性别, as an identity document states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub const ALL: [Gender; 2] = [Gender::Male, Gender::Female];

    pub fn label(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    /// `None` for the empty code (not entered) and for anything unknown.
    pub fn from_code(code: &str) -> Option<Gender> {
        Gender::ALL.into_iter().find(|g| g.code() == code)
    }

    /// The gender an 18-digit ID number states (its 17th digit: odd for men, even for women).
    pub fn of_id_number(id: &str) -> Option<Gender> {
        let d = id.chars().nth(16)?.to_digit(10)?;
        Some(if d % 2 == 1 { Gender::Male } else { Gender::Female })
    }
}

impl UserAccount {
    /// The record as `viewer_may_see_ids` allows: the ID number masked unless the viewer may see it.
    pub fn masked(mut self, viewer_may_see_ids: bool) -> UserAccount {
        if !viewer_may_see_ids {
            self.id_number = super::validate::mask_id_number(&self.id_number);
        }
        self
    }
}
