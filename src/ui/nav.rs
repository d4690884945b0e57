//! The left navigation (导航): one entry per panel, shown to those who may use it (the service
//! checks again on every call).

use serde::{Deserialize, Serialize};

use crate::domain::role::{Permission, Role};
use crate::service::Actor;

/// The left navigation.
#[derive(Serialize, Deserialize, Default, Clone, Copy, PartialEq, Eq, Debug)]
pub enum Nav {
    /// 我的待办: where everyone lands after signing in.
    #[default]
    Work,
    PhoneDesk,
    Inbox,
    Inquiries,
    Quotes,
    Register,
    Certificates,
    Contracts,
    Dashboard,
    Visits,
    Approvals,
    TechReviews,
    Customers,
    Prices,
    Company,
    Policy,
    Users,
    Audit,
    Maintenance,
    Account,
}

impl Nav {
    pub(super) fn label(self) -> &'static str {
        match self {
            Nav::Work => "我的待办",
            Nav::PhoneDesk => "电话询价",
            Nav::Inbox => "待我决定",
            Nav::Inquiries => "询价与招标",
            Nav::Quotes => "报价与投标",
            Nav::Register => "发文登记",
            Nav::Certificates => "资质证书",
            Nav::Contracts => "合同与回款",
            Nav::Dashboard => "看板",
            Nav::Visits => "拜访计划",
            Nav::Approvals => "审批",
            Nav::TechReviews => "技术评审",
            Nav::Customers => "客户档案",
            Nav::Prices => "价格表",
            Nav::Company => "公司信息",
            Nav::Policy => "审批规则与标准条款",
            Nav::Users => "用户与角色",
            Nav::Audit => "审计日志",
            Nav::Maintenance => "数据维护",
            Nav::Account => "我的账号",
        }
    }

    /// Whether the entry is shown to this actor (the service checks again on every call).
    pub(super) fn visible_to(self, actor: &Actor) -> bool {
        match self {
            Nav::Users => actor.may(Permission::ManageUsers),
            Nav::Audit => actor.may(Permission::ViewAuditLog),
            Nav::Maintenance => actor.may(Permission::MaintainDatabase),
            Nav::PhoneDesk => actor.may(Permission::AnswerPhoneInquiry),
            Nav::Inbox => actor.may(Permission::DecideGoNoGo),
            Nav::Approvals => actor.may(Permission::Approve),
            Nav::TechReviews => actor.may(Permission::AnswerTechReview),
            // The admin keeps the library; those who build bids attach from it.
            Nav::Certificates => actor.may(Permission::ManageCertificates) || actor.may(Permission::BuildQuote),
            // Salespeople and the head plan; leader, assistant and admin read everyone's.
            Nav::Visits => {
                actor.may(Permission::OwnCustomers)
                    || [Role::Head, Role::Leader, Role::Assistant, Role::Admin]
                        .into_iter()
                        .any(|r| actor.roles().contains(r))
            }
            // Salespeople their own; head, leader, assistant and admin everyone's (DESIGN §2).
            Nav::Contracts | Nav::Dashboard => {
                actor.may(Permission::ManageContracts)
                    || [Role::Head, Role::Leader, Role::Assistant, Role::Admin]
                        .into_iter()
                        .any(|r| actor.roles().contains(r))
            }
            // The service shows each reader the entries of the quotes they may see.
            Nav::Inquiries
            | Nav::Quotes
            | Nav::Register
            | Nav::Customers
            | Nav::Prices
            | Nav::Company
            | Nav::Policy
            | Nav::Work
            | Nav::Account => true,
        }
    }
}
