//! The office's settings and its keeping, mostly for the admin: 公司信息, 审批规则与标准条款,
//! 用户与角色, 审计日志 and 数据维护. The service decides who may change what; these panels only
//! hide the buttons of those who may not.

mod audit_log;
mod company;
mod maintenance;
mod policy;
mod users;

pub use audit_log::AuditPanel;
pub use company::CompanyPanel;
pub use maintenance::MaintenancePanel;
pub use policy::PolicyPanel;
pub use users::UsersPanel;
