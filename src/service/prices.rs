//! The price table (价格表): products, dated versions, price edits (head, admin), technical
//! parameters (tech). Floor prices leave this layer only for head, leader and admin.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Actor, Service, ServiceError, audit, authorize, current_user};
use crate::domain::ids::{PriceVersionId, ProductId};
use crate::domain::product::{PriceVersion, Product, ProductDraft, TechParam};
use crate::domain::role::Permission;
use crate::domain::search::{SearchIndex, Searchable};
use crate::domain::user::UserAccount;
use crate::store::{PriceRow, Tx};

/// One version of the price table as the actor may see it.
#[derive(Debug, Clone)]
pub struct PriceTable {
    pub version: Option<PriceVersion>,
    pub versions: Vec<PriceVersion>,
    pub products: Vec<Product>,
    /// False: every `floor_price` above is `None` because the actor may not see floors.
    pub shows_floor: bool,
}

/// Hides floor prices from those who may not see them.
pub(super) fn redact(user: &UserAccount, mut products: Vec<Product>) -> (Vec<Product>, bool) {
    let shows = user.roles.allows(Permission::ViewFloorPrices);
    if !shows {
        for p in &mut products {
            p.draft.floor_price = None;
        }
    }
    (products, shows)
}

fn price_of(d: &ProductDraft) -> PriceRow {
    PriceRow { list: d.list_price, floor: d.floor_price, tax: d.tax_rate }
}

/// What a product offers to search: code, name, model, category, and the name's pinyin.
pub fn product_searchable(d: &ProductDraft) -> Searchable {
    Searchable {
        texts: vec![d.code.clone(), d.name.clone(), d.model.clone(), d.category.clone()],
        pinyin_names: vec![d.name.clone()],
        phones: Vec::new(),
    }
}

#[derive(Serialize)]
struct PriceAudit<'a> {
    code: &'a str,
    list: String,
    floor: Option<String>,
    tax: String,
}

fn price_audit(d: &ProductDraft) -> PriceAudit<'_> {
    PriceAudit {
        code: &d.code,
        list: d.list_price.to_plain_string(),
        floor: d.floor_price.map(|f| f.to_plain_string()),
        tax: d.tax_rate.to_string(),
    }
}

impl Service {
    /// Today in the office's time zone (price versions are effective by local date).
    pub fn today(&self) -> NaiveDate {
        self.now().with_timezone(&chrono::Local).date_naive()
    }

    /// The price table in force today, or the given version.
    pub fn price_table(&mut self, actor: &Actor, version: Option<PriceVersionId>) -> Result<PriceTable, ServiceError> {
        let today = self.today();
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let versions = tx.price_versions()?;
            let id = match version {
                Some(v) => Some(v),
                None => tx.price_version_on(today)?,
            };
            let Some(id) = id else {
                return Ok(PriceTable { version: None, versions, products: Vec::new(), shows_floor: false });
            };
            let (mut products, shows_floor) = redact(&user, tx.products_in_version(id)?);
            // In the order people read codes and models: CMC-630, CMC-800, CMC-1000 (not as text).
            products.sort_by(|a, b| {
                natord::compare_ignore_case(&a.draft.code, &b.draft.code)
                    .then_with(|| natord::compare_ignore_case(&a.draft.model, &b.draft.model))
            });
            let version = versions.iter().find(|v| v.id == id).cloned();
            Ok(PriceTable { version, versions, products, shows_floor })
        })
    }

    /// Products of the version in force (or `version`) matching the query: code, model, name or
    /// pinyin initials. Active products only unless `include_inactive`.
    pub fn search_products(
        &mut self,
        actor: &Actor,
        query: &str,
        version: Option<PriceVersionId>,
        include_inactive: bool,
        limit: usize,
    ) -> Result<Vec<Product>, ServiceError> {
        let table = self.price_table(actor, version)?;
        let mut index = SearchIndex::new();
        for (i, p) in table.products.iter().enumerate() {
            index.push(i, &product_searchable(&p.draft));
        }
        let hits = index.search(query, |i| include_inactive || table.products[i].draft.active, limit);
        Ok(hits.into_iter().map(|i| table.products[i].clone()).collect())
    }

    /// Creates a product with its first price: a new version of the table, effective `effective`.
    pub fn create_product(
        &mut self,
        actor: &Actor,
        mut d: ProductDraft,
        effective: NaiveDate,
    ) -> Result<Product, ServiceError> {
        self.store.read_as(actor.login(), |tx| authorize(tx, actor, Permission::EditPrices))?;
        let errors = d.validate();
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let now = self.now();
        let today = self.today();
        self.store.write_as(actor.login(), |tx| {
            let user = authorize(tx, actor, Permission::EditPrices)?;
            let id = tx.insert_product(&d, now, &actor.audit_name()).map_err(|e| match e {
                crate::store::StoreError::Duplicate(_) => {
                    ServiceError::invalid("code", format!("产品编码 {} 已存在", d.code))
                }
                other => other.into(),
            })?;
            let version = new_version(tx, effective, today, &format!("新增产品 {}", d.code), now, &actor.audit_name())?;
            tx.set_price(version, id, price_of(&d))?;
            price_in_later_versions(tx, effective, id, price_of(&d))?;
            audit::<(), _>(tx, &actor.audit_name(), now, "product.create", "product", &d.code, None, Some(&d))?;
            let (mut p, _) = redact(&user, vec![tx.product_in_version(id, version)?]);
            p.pop().ok_or(ServiceError::rule("price.product_vanished", "product vanished"))
        })
    }

    /// Saves a product's description and price. A changed price makes a new version of the table
    /// effective `effective`; the version the product was read from stays as it was.
    pub fn update_product(
        &mut self,
        actor: &Actor,
        id: ProductId,
        row_version: i64,
        mut d: ProductDraft,
        effective: NaiveDate,
    ) -> Result<Product, ServiceError> {
        self.store.read_as(actor.login(), |tx| authorize(tx, actor, Permission::EditPrices))?;
        let errors = d.validate();
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let now = self.now();
        let today = self.today();
        self.store.write_as(actor.login(), |tx| {
            let user = authorize(tx, actor, Permission::EditPrices)?;
            let current =
                tx.price_version_on(today)?.ok_or(ServiceError::rule("price.no_version", "价格表还没有任何版本。"))?;
            let before = tx.product_in_version(id, current)?;
            if before.draft.code != d.code {
                return Err(ServiceError::invalid("code", "产品编码不能修改；如需新编码，请新增产品并停用旧产品"));
            }
            tx.update_product(id, row_version, &d, now, &actor.audit_name())?;
            let mut version = current;
            if price_of(&before.draft) != price_of(&d) {
                version =
                    new_version(tx, effective, today, &format!("调整 {} 价格", d.code), now, &actor.audit_name())?;
                tx.set_price(version, id, price_of(&d))?;
                let (b, a) = (price_audit(&before.draft), price_audit(&d));
                audit(tx, &actor.audit_name(), now, "product.price", "product", &d.code, Some(&b), Some(&a))?;
            }
            audit(tx, &actor.audit_name(), now, "product.update", "product", &d.code, Some(&before.draft), Some(&d))?;
            let (mut p, _) = redact(&user, vec![tx.product_in_version(id, version)?]);
            p.pop().ok_or(ServiceError::rule("price.product_vanished", "product vanished"))
        })
    }

    /// The technical department edits a product's model and technical parameters (no prices).
    pub fn update_technical_parameters(
        &mut self,
        actor: &Actor,
        id: ProductId,
        row_version: i64,
        model: String,
        params: Vec<TechParam>,
    ) -> Result<Product, ServiceError> {
        let now = self.now();
        let today = self.today();
        self.store.write_as(actor.login(), |tx| {
            let user = authorize(tx, actor, Permission::EditTechnicalParameters)?;
            let current =
                tx.price_version_on(today)?.ok_or(ServiceError::rule("price.no_version", "价格表还没有任何版本。"))?;
            let before = tx.product_in_version(id, current)?;
            let mut d = before.draft.clone();
            d.model = model.trim().to_string();
            d.params = params;
            let errors = d.validate();
            if !errors.is_empty() {
                return Err(ServiceError::Invalid(errors));
            }
            tx.update_product(id, row_version, &d, now, &actor.audit_name())?;
            let b = (&before.draft.model, &before.draft.params);
            let a = (&d.model, &d.params);
            audit(tx, &actor.audit_name(), now, "product.params", "product", &d.code, Some(&b), Some(&a))?;
            let (mut p, _) = redact(&user, vec![tx.product_in_version(id, current)?]);
            p.pop().ok_or(ServiceError::rule("price.product_vanished", "product vanished"))
        })
    }
}

/// A new product also joins the versions already planned after `effective` (each is a whole
/// table), or it would vanish from the price table when one of them takes effect.
pub(super) fn price_in_later_versions(
    tx: &Tx<'_>,
    effective: NaiveDate,
    id: ProductId,
    price: PriceRow,
) -> Result<(), ServiceError> {
    for later in tx.price_versions()?.into_iter().filter(|v| v.effective > effective) {
        tx.set_price(later.id, id, price)?;
    }
    Ok(())
}

/// Starts a new version effective `effective` as a copy of the one in force that day (or today).
pub(super) fn new_version(
    tx: &Tx<'_>,
    effective: NaiveDate,
    today: NaiveDate,
    note: &str,
    now: chrono::DateTime<chrono::Utc>,
    by: &str,
) -> Result<PriceVersionId, ServiceError> {
    if effective < today {
        return Err(ServiceError::invalid("effective", "生效日期不能早于今天：已用于报价的价格不能事后改变"));
    }
    let base = tx.price_version_on(effective)?;
    let id = tx.insert_price_version(effective, note, now, by)?;
    if let Some(base) = base {
        tx.copy_prices(base, id)?;
    }
    Ok(id)
}
