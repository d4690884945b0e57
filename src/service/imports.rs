//! Imports and exports of the price table and the customer archive (DESIGN §10): read the whole
//! file, preview what would be added, changed and rejected, write nothing until the user confirms,
//! then write everything in one transaction. Exports are audited.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::prices::{new_version, price_in_later_versions};
use super::{Actor, Service, ServiceError, audit, authorize, current_user};
use crate::domain::customer::{Contact, CustomerDraft, name_core};
use crate::domain::ids::{CustomerId, PriceVersionId, UserId};
use crate::domain::product::ProductDraft;
use crate::domain::role::{Permission, Role};
use crate::domain::user::UserAccount;
use crate::io::{self, ImportError, ImportRow, ParsedImport, Reject};
use crate::store::{PriceRow, Tx};

/// File formats we write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    /// From a file name's extension (`.csv` / `.xlsx`).
    pub fn from_file_name(name: &str) -> Result<ExportFormat, ServiceError> {
        let lower = name.to_lowercase();
        if lower.ends_with(".csv") {
            Ok(ExportFormat::Csv)
        } else if lower.ends_with(".xlsx") {
            Ok(ExportFormat::Xlsx)
        } else {
            Err(ServiceError::invalid("file", "导出文件名应以 .csv 或 .xlsx 结尾"))
        }
    }
}

/// One row the import would change, with what it was.
#[derive(Debug, Clone)]
pub struct Change<T> {
    pub row: usize,
    pub before: T,
    pub after: T,
    /// 变更项, e.g. ["含税单价", "最低限价"]
    pub fields: Vec<&'static str>,
}

/// What an import would do. Nothing is written until `apply_*` is called with it.
#[derive(Debug, Clone)]
pub struct ImportPreview<T> {
    pub file_name: String,
    pub header_row: usize,
    pub headers: Vec<String>,
    pub adds: Vec<ImportRow<T>>,
    pub changes: Vec<Change<T>>,
    pub unchanged: usize,
    pub rejects: Vec<Reject>,
}

impl<T> ImportPreview<T> {
    /// The rejected rows as a CSV the user can fix and import again.
    pub fn rejects_csv(&self) -> Vec<u8> {
        io::rejects_csv(&self.headers, &self.rejects)
    }

    fn refuse_rejects(&self, accept_rejects: bool) -> Result<(), ServiceError> {
        if !self.rejects.is_empty() && !accept_rejects {
            return Err(ServiceError::rule(
                "import.has_rejects",
                format!(
                    "文件中有 {} 行有问题，未导入任何内容。请修正后重新导入，或选择只导入没有问题的行。",
                    self.rejects.len()
                ),
            ));
        }
        Ok(())
    }
}

/// What an applied import did.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    pub added: usize,
    pub changed: usize,
    pub skipped: usize,
    /// The new price-table version (price imports).
    pub price_version: Option<PriceVersionId>,
}

fn import_error(e: ImportError) -> ServiceError {
    ServiceError::invalid("file", e.to_string())
}

fn product_changes(before: &ProductDraft, after: &ProductDraft, show_floor: bool) -> Vec<&'static str> {
    let mut f = Vec::new();
    let checks: [(bool, &'static str); 9] = [
        (before.name != after.name, "产品名称"),
        (before.model != after.model, "型号规格"),
        (before.unit != after.unit, "单位"),
        (before.category != after.category, "类别"),
        (before.list_price != after.list_price, "含税单价"),
        (show_floor && before.floor_price != after.floor_price, "最低限价"),
        (before.tax_rate != after.tax_rate, "税率"),
        (before.params != after.params, "技术参数"),
        (before.active != after.active, "状态"),
    ];
    for (changed, label) in checks {
        if changed {
            f.push(label);
        }
    }
    f
}

fn customer_changes(before: &CustomerDraft, after: &CustomerDraft) -> Vec<&'static str> {
    let mut f = Vec::new();
    let checks: [(bool, &'static str); 9] = [
        (before.short_name != after.short_name, "简称"),
        (before.credit_code != after.credit_code, "统一社会信用代码"),
        (before.grade != after.grade, "等级"),
        (before.industry != after.industry, "行业"),
        (before.province != after.province || before.city != after.city, "地区"),
        (before.address != after.address, "地址"),
        (before.phone != after.phone, "电话"),
        (before.invoice != after.invoice, "开票资料"),
        (before.contacts.len() != after.contacts.len(), "联系人"),
    ];
    for (changed, label) in checks {
        if changed {
            f.push(label);
        }
    }
    f
}

/// The file's customer laid over the stored one: filled cells win, new contacts are added.
fn merge_customer(stored: &CustomerDraft, file: &CustomerDraft, grade_given: bool) -> CustomerDraft {
    let pick = |a: &String, b: &String| if b.trim().is_empty() { a.clone() } else { b.clone() };
    let mut out = stored.clone();
    out.short_name = pick(&stored.short_name, &file.short_name);
    out.credit_code = pick(&stored.credit_code, &file.credit_code);
    if grade_given {
        out.grade = file.grade;
    }
    out.source = pick(&stored.source, &file.source);
    out.industry = pick(&stored.industry, &file.industry);
    out.province = pick(&stored.province, &file.province);
    out.city = pick(&stored.city, &file.city);
    out.address = pick(&stored.address, &file.address);
    out.phone = pick(&stored.phone, &file.phone);
    out.notes = pick(&stored.notes, &file.notes);
    if !file.invoice.bank_account.trim().is_empty() {
        out.invoice = file.invoice.clone();
    }
    for c in &file.contacts {
        if !out.contacts.iter().any(|k| k.name == c.name) {
            let primary = out.contacts.is_empty();
            out.contacts.push(Contact { id: None, primary, ..c.clone() });
        }
    }
    out
}

/// Finds the owner named in an import cell: a login or a display name of an active salesperson.
fn resolve_owner(users: &[UserAccount], cell: &str) -> Result<Option<UserId>, String> {
    let cell = cell.trim();
    if cell.is_empty() || cell == "公海" {
        return Ok(None);
    }
    let found = users.iter().find(|u| u.login.eq_ignore_ascii_case(cell) || u.display_name == cell);
    match found {
        Some(u) if u.active && u.roles.contains(Role::Sales) => Ok(Some(u.id)),
        Some(u) => Err(format!("{} 不是在职的销售员", u.display_name)),
        None => Err(format!("找不到负责人“{cell}”（请填写登录名或姓名，留空表示公海）")),
    }
}

/// A customer as an import would write it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedCustomer {
    pub draft: CustomerDraft,
    /// The owner: for new customers the one named in the file (None: 公海); for existing ones the
    /// one named in a non-empty 负责人 cell when the importer may assign customers (the head), else
    /// theirs as stored.
    pub owner: Option<UserId>,
    pub owner_name: String,
}

impl Service {
    /// Reads a price-table file and shows what importing it would do.
    pub fn preview_price_import(
        &mut self,
        actor: &Actor,
        bytes: &[u8],
        file_name: &str,
    ) -> Result<ImportPreview<ProductDraft>, ServiceError> {
        let parsed = io::parse_price_table(bytes, file_name).map_err(import_error)?;
        let today = self.today();
        self.store.read_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::ImportPriceTable)?;
            let current = match tx.price_version_on(today)? {
                Some(v) => tx.products_in_version(v)?,
                None => Vec::new(),
            };
            Ok(price_preview(parsed, file_name, &current.into_iter().map(|p| p.draft).collect::<Vec<_>>()))
        })
    }

    /// Writes a previewed price import as a new version of the table effective `effective`.
    /// With rejects in the preview, `accept_rejects` must be true (the good rows are imported).
    pub fn apply_price_import(
        &mut self,
        actor: &Actor,
        preview: &ImportPreview<ProductDraft>,
        effective: NaiveDate,
        accept_rejects: bool,
    ) -> Result<ImportReport, ServiceError> {
        preview.refuse_rejects(accept_rejects)?;
        let (now, today) = (self.now(), self.today());
        let who = actor.audit_name();
        if preview.adds.is_empty() && preview.changes.is_empty() {
            // Nothing new: no version that repeats the one in force.
            self.store.read_as(actor.login(), |tx| authorize(tx, actor, Permission::ImportPriceTable))?;
            return Ok(ImportReport { added: 0, changed: 0, skipped: preview.rejects.len(), price_version: None });
        }
        self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::ImportPriceTable)?;
            let note = format!("导入 {}", preview.file_name);
            let version = new_version(tx, effective, today, &note, now, &who)?;
            let rows = preview.adds.iter().map(|r| &r.value).chain(preview.changes.iter().map(|c| &c.after));
            let (mut added, mut changed) = (0, 0);
            for d in rows {
                let id = match tx.product_id_by_code(&d.code)? {
                    Some(id) => {
                        let stored = tx.product_priced_in(id, version)?;
                        let row_version = stored.as_ref().map(|p| p.version).unwrap_or(1);
                        tx.update_product(id, row_version, d, now, &who)?;
                        changed += 1;
                        id
                    }
                    None => {
                        added += 1;
                        let id = tx.insert_product(d, now, &who)?;
                        let price = PriceRow { list: d.list_price, floor: d.floor_price, tax: d.tax_rate };
                        price_in_later_versions(tx, effective, id, price)?;
                        id
                    }
                };
                tx.set_price(version, id, PriceRow { list: d.list_price, floor: d.floor_price, tax: d.tax_rate })?;
            }
            let detail = serde_json::json!({
                "file": preview.file_name, "effective": effective.to_string(), "version": version,
                "added": added, "changed": changed, "rejected": preview.rejects.len(),
            });
            audit::<(), _>(tx, &who, now, "import.prices", "price_version", version, None, Some(&detail))?;
            Ok(ImportReport { added, changed, skipped: preview.rejects.len(), price_version: Some(version) })
        })
    }

    /// Reads a customer file and shows what importing it would do (matching existing customers by
    /// credit code, then by name).
    pub fn preview_customer_import(
        &mut self,
        actor: &Actor,
        bytes: &[u8],
        file_name: &str,
    ) -> Result<ImportPreview<ImportedCustomer>, ServiceError> {
        let parsed = io::parse_customers(bytes, file_name).map_err(import_error)?;
        self.store.read_as(actor.login(), |tx| {
            let user = authorize(tx, actor, Permission::ImportCustomers)?;
            customer_preview(tx, parsed, file_name, user.roles.allows(Permission::AssignCustomers))
        })
    }

    /// Writes a previewed customer import in one transaction.
    pub fn apply_customer_import(
        &mut self,
        actor: &Actor,
        preview: &ImportPreview<ImportedCustomer>,
        accept_rejects: bool,
    ) -> Result<ImportReport, ServiceError> {
        preview.refuse_rejects(accept_rejects)?;
        let now = self.now();
        let who = actor.audit_name();
        let report = self.store.write_as(actor.login(), |tx| {
            let user = authorize(tx, actor, Permission::ImportCustomers)?;
            let (mut added, mut changed) = (0, 0);
            for row in &preview.adds {
                tx.insert_customer(&row.value.draft, row.value.owner, now, &who)?;
                added += 1;
            }
            // Re-read at apply time: the preview may be minutes old.
            let existing = ExistingCustomers::load(tx)?;
            for c in &preview.changes {
                let Some(id) = existing.find(&c.before.draft) else { continue };
                let stored = tx.customer(id)?;
                tx.update_customer(
                    id,
                    stored.version,
                    &merge_customer(&stored.draft, &c.after.draft, true),
                    now,
                    &who,
                )?;
                if c.after.owner != stored.owner && c.fields.contains(&"负责人") {
                    if !user.roles.allows(Permission::AssignCustomers) {
                        return Err(ServiceError::Denied("只有销售部负责人可以分配或转移客户"));
                    }
                    let version = tx.customer(id)?.version;
                    tx.set_customer_owner(id, version, c.after.owner, now, &who)?;
                    let detail = serde_json::json!({
                        "from": stored.owner_name, "to": c.after.owner_name, "by": "import",
                    });
                    audit::<(), _>(tx, &who, now, "customer.assign", "customer", id, None, Some(&detail))?;
                }
                changed += 1;
            }
            let detail = serde_json::json!({
                "file": preview.file_name, "added": added, "changed": changed, "rejected": preview.rejects.len(),
            });
            audit::<(), _>(tx, &who, now, "import.customers", "customer", "", None, Some(&detail))?;
            Ok::<_, ServiceError>(ImportReport { added, changed, skipped: preview.rejects.len(), price_version: None })
        })?;
        self.customers = None; // many rows changed: reload the list on next use
        Ok(report)
    }

    /// The price table (in force, or `version`) as CSV or xlsx bytes; floors only for those who
    /// may see them. Audited.
    pub fn export_price_table(
        &mut self,
        actor: &Actor,
        version: Option<PriceVersionId>,
        format: ExportFormat,
    ) -> Result<Vec<u8>, ServiceError> {
        let table = self.price_table(actor, version)?;
        let drafts: Vec<ProductDraft> = table.products.iter().map(|p| p.draft.clone()).collect();
        let (headers, rows) = io::price_table_rows(&drafts, table.shows_floor);
        let bytes = match format {
            ExportFormat::Csv => io::csv_bytes(&headers, &rows),
            ExportFormat::Xlsx => io::xlsx_bytes("价格表", &headers, &rows)
                .map_err(|e| ServiceError::rule("export.xlsx_failed", e.to_string()))?,
        };
        let now = self.now();
        let detail = serde_json::json!({ "products": rows.len(), "floor": table.shows_floor, "version": table.version.map(|v| v.id) });
        self.store.write_as(actor.login(), |tx| {
            audit::<(), _>(tx, &actor.audit_name(), now, "export.prices", "price_version", "", None, Some(&detail))
        })?;
        Ok(bytes)
    }

    /// The customers the actor may see, one row per contact, as CSV or xlsx bytes. Audited.
    pub fn export_customers(&mut self, actor: &Actor, format: ExportFormat) -> Result<Vec<u8>, ServiceError> {
        let page = self.search_customers(actor, &Default::default(), 0)?;
        let customers = self.store.read_as(actor.login(), |tx| {
            current_user(tx, actor)?;
            page.rows
                .iter()
                .map(|s| tx.customer(s.id).map(|c| (c.draft, c.owner_name)).map_err(ServiceError::from))
                .collect::<Result<Vec<_>, _>>()
        })?;
        let (headers, rows) = io::customer_rows(&customers);
        let bytes = match format {
            ExportFormat::Csv => io::csv_bytes(&headers, &rows),
            ExportFormat::Xlsx => io::xlsx_bytes("客户", &headers, &rows)
                .map_err(|e| ServiceError::rule("export.xlsx_failed", e.to_string()))?,
        };
        let now = self.now();
        let detail = serde_json::json!({ "customers": customers.len() });
        self.store.write_as(actor.login(), |tx| {
            audit::<(), _>(tx, &actor.audit_name(), now, "export.customers", "customer", "", None, Some(&detail))
        })?;
        Ok(bytes)
    }
}

fn price_preview(
    parsed: ParsedImport<ProductDraft>,
    file_name: &str,
    current: &[ProductDraft],
) -> ImportPreview<ProductDraft> {
    let mut p = ImportPreview {
        file_name: file_name.to_string(),
        header_row: parsed.header_row,
        headers: parsed.headers,
        adds: Vec::new(),
        changes: Vec::new(),
        unchanged: 0,
        rejects: parsed.rejects,
    };
    for row in parsed.rows {
        match current.iter().find(|c| c.code == row.value.code) {
            None => p.adds.push(row),
            Some(before) => {
                let after = keep_absent_columns(before, row.value, &parsed.columns);
                let fields = product_changes(before, &after, true);
                if fields.is_empty() {
                    p.unchanged += 1;
                } else {
                    p.changes.push(Change { row: row.row, before: before.clone(), after, fields });
                }
            }
        }
    }
    p
}

/// A column the file does not have leaves the stored value alone: a file without 最低限价 (a
/// salesperson's export, say) must not wipe every floor price, nor one without 税率 reset 6%
/// services to 13%.
fn keep_absent_columns(before: &ProductDraft, mut after: ProductDraft, columns: &[&str]) -> ProductDraft {
    let absent = |key: &str| !columns.contains(&key);
    if absent("model") {
        after.model = before.model.clone();
    }
    if absent("unit") {
        after.unit = before.unit.clone();
    }
    if absent("category") {
        after.category = before.category.clone();
    }
    if absent("floor_price") {
        after.floor_price = before.floor_price;
    }
    if absent("tax_rate") {
        after.tax_rate = before.tax_rate;
    }
    if absent("params") {
        after.params = before.params.clone();
    }
    if absent("active") {
        after.active = before.active;
    }
    after
}

/// Live customers by credit code and by name core: how a file row finds the customer it means.
struct ExistingCustomers {
    by_code: HashMap<String, CustomerId>,
    by_core: HashMap<String, CustomerId>,
}

impl ExistingCustomers {
    fn load(tx: &Tx<'_>) -> Result<Self, ServiceError> {
        let mut e = ExistingCustomers { by_code: HashMap::new(), by_core: HashMap::new() };
        for (s, _) in tx.customer_summaries()? {
            if !s.credit_code.is_empty() {
                e.by_code.insert(s.credit_code.clone(), s.id);
            }
            e.by_core.entry(name_core(&s.name)).or_insert(s.id);
        }
        Ok(e)
    }

    fn find(&self, file: &CustomerDraft) -> Option<CustomerId> {
        let by_code = (!file.credit_code.is_empty()).then(|| self.by_code.get(&file.credit_code)).flatten();
        by_code.or_else(|| self.by_core.get(&name_core(&file.name))).copied()
    }
}

fn customer_preview(
    tx: &Tx<'_>,
    parsed: ParsedImport<io::CustomerImport>,
    file_name: &str,
    may_assign: bool,
) -> Result<ImportPreview<ImportedCustomer>, ServiceError> {
    let users = tx.list_users()?;
    let existing = ExistingCustomers::load(tx)?;
    let grade_given = parsed.columns.contains(&"grade");
    let mut p = ImportPreview {
        file_name: file_name.to_string(),
        header_row: parsed.header_row,
        headers: parsed.headers,
        adds: Vec::new(),
        changes: Vec::new(),
        unchanged: 0,
        rejects: parsed.rejects,
    };
    for row in parsed.rows {
        let owner = match resolve_owner(&users, &row.value.owner_login) {
            Ok(o) => o,
            Err(reason) => {
                p.rejects.push(Reject { row: row.row, column: "负责人".into(), reason, cells: row.cells.clone() });
                continue;
            }
        };
        let owner_name = owner.and_then(|o| users.iter().find(|u| u.id == o)).map(|u| u.display_name.clone());
        let file = &row.value.draft;
        match existing.find(file) {
            None => p.adds.push(ImportRow {
                row: row.row,
                value: ImportedCustomer {
                    draft: file.clone(),
                    owner,
                    owner_name: owner_name.unwrap_or_else(|| "公海".into()),
                },
                cells: row.cells.clone(),
            }),
            Some(id) => {
                let stored = tx.customer(id)?;
                let after = merge_customer(&stored.draft, file, grade_given);
                let mut fields = customer_changes(&stored.draft, &after);
                let before = ImportedCustomer {
                    draft: stored.draft.clone(),
                    owner: stored.owner,
                    owner_name: stored.owner_name.clone(),
                };
                // A 负责人 cell on an existing customer changes its owner (公海 puts it in the pool)
                // when the head imports; an empty cell leaves it.
                let named = !row.value.owner_login.trim().is_empty();
                let (owner, owner_name) = if named && may_assign && owner != stored.owner {
                    fields.push("负责人");
                    (owner, owner_name.unwrap_or_else(|| "公海".into()))
                } else {
                    (stored.owner, stored.owner_name.clone())
                };
                if fields.is_empty() {
                    p.unchanged += 1;
                } else {
                    p.changes.push(Change {
                        row: row.row,
                        before,
                        after: ImportedCustomer { draft: after, owner, owner_name },
                        fields,
                    });
                }
            }
        }
    }
    p.rejects.sort_by_key(|r| r.row);
    Ok(p)
}
