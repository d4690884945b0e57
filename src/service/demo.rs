//! The demo office (演示办公室): a realistic company with people in every role, so a new user can
//! try every screen. Created only into an empty database; later issues add their data here.

use chrono::{DateTime, Utc};

use super::auth::hash_password;
use super::users::NewUser;
use super::{Service, ServiceError, audit};
use crate::domain::company::CompanyProfile;
use crate::domain::policy::{ApprovalPolicy, CommercialTerms};
use crate::domain::role::{Role, RoleSet};
use crate::domain::validate::credit_code_check_char;
use crate::store::{NewUserRow, Tx};

/// Every demo user signs in with this password (shown in the README and on the sign-in screen).
pub const DEMO_PASSWORD: &str = "demo1234";

/// (login, name, roles, phone) of the demo office's people.
pub const DEMO_USERS: &[(&str, &str, &[Role], &str)] = &[
    ("admin", "系统管理员", &[Role::Admin], "0512-66881200"),
    ("zhaomin", "赵敏", &[Role::Head], "13951100001"),
    ("zhoujg", "周建国", &[Role::Leader], "13951100002"),
    ("sunli", "孙丽", &[Role::Assistant], "0512-66881201"),
    ("liqiang", "李强", &[Role::Sales], "13951100011"),
    ("wangfang", "王芳", &[Role::Sales], "13951100012"),
    ("liuyang", "刘洋", &[Role::Sales], "13951100013"),
    ("chenming", "陈明", &[Role::Tech], "13951100021"),
];

#[derive(Debug, Clone, PartialEq)]
pub struct DemoSummary {
    pub company: String,
    pub users: usize,
}

const WHO: &str = "演示数据 (demo)";

fn demo_company() -> CompanyProfile {
    let base = "91320594MA1XK7RD3";
    let check = credit_code_check_char(base).map(String::from).unwrap_or_default();
    CompanyProfile {
        name: "苏州恒信电气设备有限公司（演示）".into(),
        address: "江苏省苏州市工业园区星湖街328号创意产业园12栋".into(),
        phone: "0512-66881200".into(),
        fax: "0512-66881299".into(),
        email: "sales@hengxin-demo.cn".into(),
        website: "www.hengxin-demo.cn".into(),
        bank_name: "中国工商银行苏州工业园区支行".into(),
        bank_account: "1102 0201 0900 0123 456".into(),
        credit_code: format!("{base}{check}"),
        legal_representative: "周建国".into(),
        logo: None,
        seal: None,
    }
}

fn insert_demo_users(tx: &Tx<'_>, now: DateTime<Utc>) -> Result<usize, ServiceError> {
    // One hash for all: argon2 is deliberately slow, and they share the password anyway.
    let hash = hash_password(DEMO_PASSWORD)?;
    for (login, name, roles, phone) in DEMO_USERS {
        let u = NewUser {
            login: login.to_string(),
            display_name: name.to_string(),
            phone: phone.to_string(),
            email: format!("{login}@hengxin-demo.cn"),
            roles: RoleSet::new(roles.iter().copied()),
            password: DEMO_PASSWORD.into(),
        };
        let row = NewUserRow {
            login: &u.login,
            display_name: &u.display_name,
            phone: &u.phone,
            email: &u.email,
            roles: &u.roles,
            password_hash: &hash,
            must_change_password: false,
        };
        tx.insert_user(&row, now, WHO)?;
        audit::<(), _>(
            tx,
            WHO,
            now,
            "user.create",
            "user",
            login,
            None,
            Some(&serde_json::json!({ "login": login, "display_name": name, "roles": u.roles.to_codes() })),
        )?;
    }
    Ok(DEMO_USERS.len())
}

impl Service {
    /// Fills an empty database with the demo office. Refuses a database that has users.
    pub fn create_demo_office(&mut self) -> Result<DemoSummary, ServiceError> {
        let now = self.now();
        self.store.write(|tx| {
            if tx.count_users()? > 0 {
                return Err(ServiceError::Rule("该数据库已有数据，演示办公室只能建在新的空数据库中。".into()));
            }
            let users = insert_demo_users(tx, now)?;
            let mut company = demo_company();
            let errors = company.validate();
            if let Some(e) = errors.first() {
                return Err(ServiceError::Rule(format!("demo company invalid: {}", e.message)));
            }
            tx.put_setting("company", &company, 0, now, WHO)?;
            tx.put_setting("approval_policy", &ApprovalPolicy::default(), 0, now, WHO)?;
            tx.put_setting("standard_terms", &CommercialTerms::default(), 0, now, WHO)?;
            audit::<(), _>(tx, WHO, now, "demo.create", "database", "", None, Some(&company))?;
            Ok(DemoSummary { company: company.name, users })
        })
    }
}
