//! The demo office's staff: everyone signs in with the demo password; every role is held by at
//! least one person, the sales team by five, so ownership, transfer and approval can be tried.

use crate::domain::role::Role;

/// (login, name, roles, phone) of the demo office's people. The first eight are the original
/// demo users and keep their logins, names, roles and phones.
pub const DEMO_STAFF: &[(&str, &str, &[Role], &str)] = &[
    ("admin", "系统管理员", &[Role::Admin], "0512-66881200"),
    ("zhaomin", "赵敏", &[Role::Head], "13951100001"),
    ("zhoujg", "周建国", &[Role::Leader], "13951100002"),
    ("sunli", "孙丽", &[Role::Assistant], "0512-66881201"),
    ("liqiang", "李强", &[Role::Sales], "13951100011"),
    ("wangfang", "王芳", &[Role::Sales], "13951100012"),
    ("liuyang", "刘洋", &[Role::Sales], "13951100013"),
    ("chenming", "陈明", &[Role::Tech], "13951100021"),
    // 销售副总
    ("qianjun", "钱军", &[Role::Head], "13951100003"),
    // 董事长
    ("wuhaitao", "吴海涛", &[Role::Leader], "13906201888"),
    ("heyan", "何燕", &[Role::Assistant], "0512-66881202"),
    ("zhengkai", "郑凯", &[Role::Sales], "13951100014"),
    ("fengxue", "冯雪", &[Role::Sales], "13951100015"),
    ("xuli", "许立", &[Role::Tech], "13951100022"),
];

/// The 身份证号码 of the people who sign bids as 委托代理人 and of the legal representative
/// (made up, with valid birth dates and check characters; the 17th digit gives the gender).
pub const DEMO_ID_NUMBERS: &[(&str, &str)] = &[
    ("sunli", "32052419850307284X"),
    ("heyan", "320502198211191822"),
    ("liqiang", "320506198809251514"),
    ("wangfang", "32058419910412202X"),
    ("liuyang", "320583199306211331"),
    ("zhengkai", "320481199005036113"),
    ("fengxue", "320507198702143069"),
    ("wuhaitao", "320503197208163013"),
];

/// The sales people who own customers, in the order the demo archive assigns territories.
pub const SALES_LOGINS: &[&str] = &["liqiang", "wangfang", "liuyang", "zhengkai", "fengxue"];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validate::validate_phone;

    #[test]
    fn every_role_is_staffed_and_phones_are_valid() {
        assert!(DEMO_STAFF.len() >= 12);
        for role in Role::ALL {
            assert!(DEMO_STAFF.iter().any(|(_, _, roles, _)| roles.contains(&role)), "{role:?}");
        }
        for (login, _, _, phone) in DEMO_STAFF {
            assert_eq!(validate_phone(phone).as_deref(), Ok(*phone), "{login}");
        }
        let mut logins: Vec<&str> = DEMO_STAFF.iter().map(|s| s.0).collect();
        logins.sort_unstable();
        logins.dedup();
        assert_eq!(logins.len(), DEMO_STAFF.len());
    }

    #[test]
    fn the_original_demo_users_are_unchanged() {
        let first: Vec<(&str, &str, &[Role])> = DEMO_STAFF.iter().take(8).map(|s| (s.0, s.1, s.2)).collect();
        let expected: [(&str, &str, &[Role]); 8] = [
            ("admin", "系统管理员", &[Role::Admin]),
            ("zhaomin", "赵敏", &[Role::Head]),
            ("zhoujg", "周建国", &[Role::Leader]),
            ("sunli", "孙丽", &[Role::Assistant]),
            ("liqiang", "李强", &[Role::Sales]),
            ("wangfang", "王芳", &[Role::Sales]),
            ("liuyang", "刘洋", &[Role::Sales]),
            ("chenming", "陈明", &[Role::Tech]),
        ];
        assert_eq!(first, expected);
    }

    #[test]
    fn sales_logins_are_the_sales_people() {
        let sales: Vec<&str> =
            DEMO_STAFF.iter().filter(|(_, _, roles, _)| roles.contains(&Role::Sales)).map(|s| s.0).collect();
        assert_eq!(sales, SALES_LOGINS);
    }
}
