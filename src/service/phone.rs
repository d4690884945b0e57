//! The phone-inquiry desk (电话询价): procedure (2) B — "客户电话询价的一律由销售内勤答复，公司任何人
//! 不得擅自给客户报价". Only the assistant gets list prices here; every answer is logged with the
//! price-table version it came from, and a refusal is audited too.

use serde::Serialize;

use super::{Actor, Service, ServiceError, audit, current_user};
use crate::domain::ids::{ContactId, CustomerId, PriceVersionId, ProductId};
use crate::domain::inquiry::{Inquiry, InquiryDraft, InquirySource};
use crate::domain::money::{Money, TaxRate};
use crate::domain::role::Permission;

/// One list price given on the phone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhoneAnswer {
    /// The log entry (ties the answer to the inquiry the call becomes).
    pub log_id: i64,
    pub product: ProductId,
    pub code: String,
    pub name: String,
    pub model: String,
    pub unit: String,
    pub list_price: Money,
    pub tax_rate: TaxRate,
    pub version: PriceVersionId,
    /// 2026-07-01 起执行 · 2026年下半年价格表
    pub version_label: String,
}

impl Service {
    /// Gives the list prices of `products` from the table in force today, for a caller.
    pub fn answer_phone_prices(
        &mut self,
        actor: &Actor,
        customer: Option<CustomerId>,
        contact: Option<ContactId>,
        products: &[ProductId],
    ) -> Result<Vec<PhoneAnswer>, ServiceError> {
        let now = self.now();
        let today = self.today();
        let who = actor.audit_name();
        // A refusal is recorded in a transaction of its own, then reported.
        let allowed = self
            .store
            .read(|tx| Ok::<_, ServiceError>(current_user(tx, actor)?.roles.allows(Permission::AnswerPhoneInquiry)))?;
        if !allowed {
            let detail = serde_json::json!({ "customer": customer, "products": products });
            self.store
                .write(|tx| audit::<(), _>(tx, &who, now, "phone.refused", "phone_answer", "", None, Some(&detail)))?;
            return Err(ServiceError::Denied(Permission::AnswerPhoneInquiry.denied_message()));
        }
        if products.is_empty() {
            return Err(ServiceError::invalid("products", "请先选择客户询问的产品"));
        }
        self.store.write_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let version = tx
                .price_version_on(today)?
                .ok_or(ServiceError::rule("price.no_version", "价格表还没有生效的版本，无法报价。"))?;
            let label = tx
                .price_versions()?
                .into_iter()
                .find(|v| v.id == version)
                .map(|v| format!("{} 起执行 · {}", v.effective, v.note))
                .unwrap_or_default();
            let mut answers = Vec::new();
            for id in products {
                let p = tx.product_in_version(*id, version)?;
                if !p.draft.active {
                    return Err(ServiceError::rule(
                        "product.inactive",
                        format!("{} {} 已停用，不能报价。", p.draft.code, p.draft.name),
                    ));
                }
                let log_id =
                    tx.insert_phone_answer(now, user.id, customer, contact, *id, version, p.draft.list_price)?;
                answers.push(PhoneAnswer {
                    log_id,
                    product: *id,
                    code: p.draft.code,
                    name: p.draft.name,
                    model: p.draft.model,
                    unit: p.draft.unit,
                    list_price: p.draft.list_price,
                    tax_rate: p.draft.tax_rate,
                    version,
                    version_label: label.clone(),
                });
            }
            let detail = serde_json::json!({ "customer": customer, "contact": contact, "answers": answers });
            audit::<(), _>(tx, &who, now, "phone.answer", "phone_answer", version, None, Some(&detail))?;
            Ok(answers)
        })
    }

    /// Registers the call as an inquiry (source: phone), tying the prices given to it.
    pub fn register_phone_inquiry(
        &mut self,
        actor: &Actor,
        mut draft: InquiryDraft,
        answers: &[PhoneAnswer],
    ) -> Result<Inquiry, ServiceError> {
        draft.source = InquirySource::Phone;
        let ids: Vec<i64> = answers.iter().map(|a| a.log_id).collect();
        self.register(actor, draft, &ids)
    }
}
