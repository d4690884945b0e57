//! Roles (岗位) and the permission matrix of DESIGN §2.
//! The service layer asks `RoleSet::allows` before every use case; the UI may hide what is not
//! allowed, but it never decides.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A role a user holds; a user may hold several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 销售内勤
    Assistant,
    /// 销售员
    Sales,
    /// 技术部
    Tech,
    /// 销售部负责人 (营销总监/销售副总)
    Head,
    /// 公司领导 (总经理/董事长)
    Leader,
    /// 管理员
    Admin,
}

impl Role {
    pub const ALL: [Role; 6] = [Self::Assistant, Self::Sales, Self::Tech, Self::Head, Self::Leader, Self::Admin];

    /// The code stored in the database and used by the CLI.
    pub fn code(self) -> &'static str {
        match self {
            Self::Assistant => "assistant",
            Self::Sales => "sales",
            Self::Tech => "tech",
            Self::Head => "head",
            Self::Leader => "leader",
            Self::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.code() == code.trim())
    }

    /// 中文名, as shown in the window.
    pub fn label(self) -> &'static str {
        match self {
            Self::Assistant => "销售内勤",
            Self::Sales => "销售员",
            Self::Tech => "技术部",
            Self::Head => "销售部负责人",
            Self::Leader => "公司领导",
            Self::Admin => "管理员",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What an actor may do. One variant per guarded use case family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// 用户与角色管理
    ManageUsers,
    /// 公司信息（含标志）
    EditCompanyProfile,
    /// 更换公章图片
    ReplaceSeal,
    /// 审批规则与标准商务条款
    EditPolicyAndTerms,
    /// 资质证书库与售后服务承诺模板
    ManageCertificates,
    /// 查看审计日志
    ViewAuditLog,
    /// 备份、恢复与完整性检查
    MaintainDatabase,
    /// 导入价格表
    ImportPriceTable,
    /// 维护价格（含最低限价）
    EditPrices,
    /// 维护型号与技术参数
    EditTechnicalParameters,
    /// 答复技术评审
    AnswerTechReview,
    /// 查看最低限价与毛利
    ViewFloorPrices,
    /// 查看全部客户
    ViewAllCustomers,
    /// 拥有客户、计划与记录拜访
    OwnCustomers,
    /// 新建和修改客户资料
    EditCustomers,
    /// 分配、转移客户负责人
    AssignCustomers,
    /// 合并重复客户
    MergeCustomers,
    /// 导入客户
    ImportCustomers,
    /// 电话询价答复（仅销售内勤）
    AnswerPhoneInquiry,
    /// 登记询价与招标
    RegisterInquiry,
    /// 编制报价与投标
    BuildQuote,
    /// 用印发出
    IssueDocument,
    /// 参与/放弃决定
    DecideGoNoGo,
    /// 审批报价、变更与合同
    Approve,
    /// 标记重点拜访、下达指标
    SetTargets,
    /// 谈判、合同起草、发货与回款登记
    ManageContracts,
    /// 确认销售员在外收款已上交公司
    ReceiveHandIn,
    /// 维护业绩库（把已签合同列为投标业绩）
    ManageReferences,
    /// 查看完整的身份证号码（他人只见打码的）
    ViewIdNumbers,
    /// 保证金未缴时准许投标书发出（须写明理由）
    WaiveBond,
}

impl Permission {
    /// The roles that hold this permission (DESIGN §2).
    pub fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Self::ManageUsers
            | Self::EditCompanyProfile
            | Self::ReplaceSeal
            | Self::EditPolicyAndTerms
            | Self::ManageCertificates
            | Self::MaintainDatabase
            | Self::ImportPriceTable => &[Admin],
            Self::ViewAuditLog => &[Admin, Head, Leader],
            Self::EditPrices => &[Head, Admin],
            Self::EditTechnicalParameters | Self::AnswerTechReview => &[Tech],
            Self::ViewFloorPrices => &[Head, Leader, Admin],
            Self::ViewAllCustomers => &[Head, Leader, Assistant, Admin],
            Self::OwnCustomers | Self::ManageContracts => &[Sales],
            Self::EditCustomers => &[Sales, Assistant, Head, Admin],
            Self::AssignCustomers | Self::MergeCustomers => &[Head],
            Self::ImportCustomers => &[Admin, Head],
            Self::AnswerPhoneInquiry | Self::IssueDocument => &[Assistant],
            Self::RegisterInquiry | Self::BuildQuote => &[Assistant, Sales],
            Self::DecideGoNoGo | Self::Approve => &[Head, Leader],
            Self::SetTargets | Self::ManageReferences => &[Head],
            Self::ReceiveHandIn => &[Assistant, Head],
            Self::ViewIdNumbers => &[Admin, Head, Leader],
            Self::WaiveBond => &[Head],
        }
    }

    /// The sentence shown when someone without the permission tries.
    pub fn denied_message(self) -> &'static str {
        match self {
            Self::ManageUsers => "只有管理员可以管理用户和角色",
            Self::EditCompanyProfile => "只有管理员可以修改公司信息",
            Self::ReplaceSeal => "只有管理员可以更换公章图片",
            Self::EditPolicyAndTerms => "只有管理员可以修改审批规则和标准商务条款",
            Self::ManageCertificates => "只有管理员可以维护资质证书库和售后服务承诺",
            Self::ViewAuditLog => "只有管理员、销售部负责人和公司领导可以查看审计日志",
            Self::MaintainDatabase => "只有管理员可以备份、恢复或检查数据库",
            Self::ImportPriceTable => "只有管理员可以导入价格表",
            Self::EditPrices => "只有销售部负责人和管理员可以修改价格",
            Self::EditTechnicalParameters => "只有技术部可以修改型号和技术参数",
            Self::AnswerTechReview => "只有技术部可以答复技术评审",
            Self::ViewFloorPrices => "最低限价只对销售部负责人、公司领导和管理员可见",
            Self::ViewAllCustomers => "您只能查看自己的客户和公海客户",
            Self::OwnCustomers => "只有销售员可以拥有客户和记录拜访",
            Self::EditCustomers => "您没有修改客户资料的权限",
            Self::AssignCustomers => "只有销售部负责人可以分配或转移客户",
            Self::MergeCustomers => "只有销售部负责人可以合并客户",
            Self::ImportCustomers => "只有管理员和销售部负责人可以导入客户",
            Self::AnswerPhoneInquiry => "客户电话询价一律由销售内勤答复，其他人不得报价",
            Self::RegisterInquiry => "只有销售员和销售内勤可以登记询价或招标",
            Self::BuildQuote => "只有销售员和销售内勤可以编制报价或投标",
            Self::IssueDocument => "只有销售内勤可以用印发出",
            Self::DecideGoNoGo => "只有销售部负责人或公司领导可以决定是否参与",
            Self::Approve => "只有销售部负责人或公司领导可以审批",
            Self::SetTargets => "只有销售部负责人可以标记重点拜访和下达指标",
            Self::ManageContracts => "只有销售员可以登记谈判、合同、发货和回款",
            Self::ReceiveHandIn => "只有销售内勤或销售部负责人可以确认在外收款已上交公司",
            Self::ManageReferences => "只有销售部负责人可以维护业绩库",
            Self::ViewIdNumbers => "完整的身份证号码只对管理员、销售部负责人、公司领导和本人可见",
            Self::WaiveBond => "只有销售部负责人可以准许保证金未缴的投标书发出",
        }
    }
}

/// The roles one user holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSet(Vec<Role>);

impl RoleSet {
    pub fn new(roles: impl IntoIterator<Item = Role>) -> Self {
        let mut v: Vec<Role> = roles.into_iter().collect();
        v.sort();
        v.dedup();
        RoleSet(v)
    }

    pub fn contains(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied()
    }

    pub fn allows(&self, permission: Permission) -> bool {
        permission.roles().iter().any(|r| self.contains(*r))
    }

    /// `assistant,sales` — the stored form.
    pub fn to_codes(&self) -> String {
        self.0.iter().map(|r| r.code()).collect::<Vec<_>>().join(",")
    }

    /// Parses the stored form; unknown codes are an error naming the code.
    pub fn from_codes(codes: &str) -> Result<RoleSet, String> {
        let roles = codes
            .split(',')
            .filter(|c| !c.trim().is_empty())
            .map(|c| Role::from_code(c).ok_or_else(|| c.trim().to_string()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(RoleSet::new(roles))
    }

    /// `销售员、销售部负责人`
    pub fn labels(&self) -> String {
        self.0.iter().map(|r| r.label()).collect::<Vec<_>>().join("、")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(roles: &[Role]) -> RoleSet {
        RoleSet::new(roles.iter().copied())
    }

    #[test]
    fn only_the_assistant_may_answer_phone_inquiries() {
        for role in Role::ALL {
            assert_eq!(set(&[role]).allows(Permission::AnswerPhoneInquiry), role == Role::Assistant);
        }
    }

    #[test]
    fn floor_prices_are_visible_to_head_leader_and_admin_only() {
        let visible: Vec<Role> =
            Role::ALL.into_iter().filter(|r| set(&[*r]).allows(Permission::ViewFloorPrices)).collect();
        assert_eq!(visible, vec![Role::Head, Role::Leader, Role::Admin]);
    }

    #[test]
    fn a_salesperson_does_not_see_all_customers() {
        assert!(!set(&[Role::Sales]).allows(Permission::ViewAllCustomers));
        assert!(set(&[Role::Sales, Role::Head]).allows(Permission::ViewAllCustomers));
    }

    #[test]
    fn administration_is_admin_only() {
        for p in [
            Permission::ManageUsers,
            Permission::ReplaceSeal,
            Permission::EditPolicyAndTerms,
            Permission::ManageCertificates,
        ] {
            for role in Role::ALL {
                assert_eq!(set(&[role]).allows(p), role == Role::Admin, "{p:?} {role:?}");
            }
        }
    }

    #[test]
    fn every_permission_has_a_holder_and_a_message() {
        use Permission::*;
        let all = [
            ManageUsers,
            EditCompanyProfile,
            ReplaceSeal,
            EditPolicyAndTerms,
            ManageCertificates,
            ViewAuditLog,
            MaintainDatabase,
            ImportPriceTable,
            EditCustomers,
            AssignCustomers,
            MergeCustomers,
            ImportCustomers,
            EditPrices,
            EditTechnicalParameters,
            AnswerTechReview,
            ViewFloorPrices,
            ViewAllCustomers,
            OwnCustomers,
            AnswerPhoneInquiry,
            RegisterInquiry,
            BuildQuote,
            IssueDocument,
            DecideGoNoGo,
            Approve,
            SetTargets,
            ManageContracts,
            ReceiveHandIn,
            ManageReferences,
            ViewIdNumbers,
            WaiveBond,
        ];
        for p in all {
            assert!(!p.roles().is_empty());
            assert!(!p.denied_message().is_empty());
        }
    }

    #[test]
    fn role_codes_round_trip() {
        let s = set(&[Role::Head, Role::Sales, Role::Sales]);
        assert_eq!(s.to_codes(), "sales,head");
        assert_eq!(RoleSet::from_codes("sales, head"), Ok(s));
        assert_eq!(RoleSet::from_codes("sales,boss"), Err("boss".to_string()));
        assert!(RoleSet::from_codes("").unwrap().is_empty());
    }
}
