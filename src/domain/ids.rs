//! Typed ids: a `UserId` can never be passed where an `AttachmentId` is wanted.
//! They are plain row ids; nothing here knows where rows live.

use serde::{Deserialize, Serialize};

macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    )*};
}

typed_id!(
    /// 用户 (a person who signs in)
    UserId,
    /// 附件 (an image or file stored in the database)
    AttachmentId,
    /// 审计日志条目
    AuditId,
    /// 客户
    CustomerId,
    /// 客户联系人
    ContactId,
    /// 产品
    ProductId,
    /// 价格表版本
    PriceVersionId,
    /// 询价/招标
    InquiryId,
    /// 报价单或投标书
    QuoteId,
    /// 报价/投标的一个版本
    RevisionId,
    /// 拜访计划（及其记录）
    VisitId,
    /// 资质证书
    CertificateId,
    /// 合同
    ContractId,
    /// 业绩库中的一条业绩
    ReferenceId,
);
