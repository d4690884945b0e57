//! The customer archive (客户档案): search, the card, duplicates, ownership (公海, claim, assign),
//! merge. Visibility (DESIGN §2): a salesperson sees their own customers and the shared pool; head,
//! leader, assistant and admin see all. The list and its search index are kept in memory and
//! updated by every write made through this service.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use super::{Actor, Service, ServiceError, audit, authorize, current_user};
use crate::domain::customer::{Customer, CustomerDraft, CustomerSummary, Grade, NameKey};
use crate::domain::ids::{CustomerId, UserId};
use crate::domain::role::{Permission, Role};
use crate::domain::search::{SearchIndex, Searchable};
use crate::domain::user::UserAccount;
use crate::store::Tx;

pub use crate::domain::customer::SIMILAR_NAME;

/// Whose customers to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OwnerFilter {
    #[default]
    Any,
    Mine,
    /// 公海: no owner
    Pool,
    User(UserId),
}

/// The list's search box and filters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerFilter {
    pub query: String,
    pub owner: OwnerFilter,
    pub grade: Option<Grade>,
    pub province: String,
    pub industry: String,
}

/// One page of the list: the rows and how many the actor may see in all. Rows are shared with
/// the service's list, so a page of 100 000 rows costs no copying of their text.
#[derive(Debug, Clone, Default)]
pub struct CustomerPage {
    pub rows: Vec<Arc<CustomerSummary>>,
    pub matched: usize,
    pub visible_total: usize,
}

/// Why a draft looks like an existing customer.
#[derive(Debug, Clone, PartialEq)]
pub enum DuplicateReason {
    SameCreditCode,
    SimilarName(f64),
    SamePhone(String),
}

impl DuplicateReason {
    pub fn text(&self) -> String {
        match self {
            DuplicateReason::SameCreditCode => "统一社会信用代码相同".into(),
            DuplicateReason::SimilarName(s) => format!("名称相似（{:.0}%）", s * 100.0),
            DuplicateReason::SamePhone(p) => format!("电话相同（{p}）"),
        }
    }
}

/// An existing customer that a new one may duplicate.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateHint {
    pub id: CustomerId,
    pub name: String,
    pub owner_name: String,
    pub reasons: Vec<DuplicateReason>,
    /// Whether the actor may open it (a salesperson sees someone else's customer only by name).
    pub visible: bool,
    /// Its version as found: merging into it is refused if it changed since it was shown.
    pub version: i64,
}

/// The in-memory customer list and its search index.
#[derive(Default)]
pub(super) struct CustomerDirectory {
    rows: Vec<Arc<CustomerSummary>>,
    /// Parallel to `rows` (and to the index's positions): each owner, kept compact because every
    /// search checks visibility for every row.
    owners: Vec<Option<UserId>>,
    /// Parallel to `rows`: each name prepared for duplicate checks.
    names: Vec<NameKey>,
    pos: HashMap<CustomerId, usize>,
    index: SearchIndex<CustomerId>,
    phones: HashMap<String, Vec<CustomerId>>,
    /// Each customer's keys in `phones`, so that a re-read customer's old numbers are dropped.
    phone_keys: HashMap<CustomerId, Vec<String>>,
    /// The store's `data_version` and the customers' fingerprint when last known current: another
    /// seat's write to the customers makes the list reload.
    seen: (i64, (i64, i64)),
    /// On the office server, whose login read it (`None` on a file: it holds every customer).
    reader: Option<String>,
}

fn searchable(s: &CustomerSummary, contact_texts: &[String]) -> Searchable {
    let mut texts = vec![s.name.clone(), s.short_name.clone(), s.credit_code.clone(), s.city.clone()];
    texts.extend(contact_texts.iter().cloned());
    let mut pinyin_names = vec![s.name.clone(), s.short_name.clone()];
    pinyin_names.extend(contact_texts.iter().filter(|t| !t.chars().any(|c| c.is_ascii_digit())).cloned());
    let mut phones = vec![s.phone.clone()];
    phones.extend(contact_texts.iter().filter(|t| t.chars().any(|c| c.is_ascii_digit())).cloned());
    Searchable { texts, pinyin_names, phones }
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

impl CustomerDirectory {
    fn load(tx: &Tx<'_>, data_version: i64) -> Result<Self, ServiceError> {
        let summaries = tx.customer_summaries()?;
        let n = summaries.len();
        let mut d = CustomerDirectory {
            rows: Vec::with_capacity(n),
            owners: Vec::with_capacity(n),
            names: Vec::with_capacity(n),
            pos: HashMap::with_capacity(n),
            index: SearchIndex::with_capacity(n),
            phones: HashMap::with_capacity(2 * n),
            phone_keys: HashMap::with_capacity(n),
            seen: (data_version, tx.customers_fingerprint()?),
            reader: None,
        };
        for (summary, contact_texts) in summaries {
            d.push_new(summary, &contact_texts);
        }
        d.index.prepare();
        Ok(d)
    }

    /// Adds a customer not in the list yet (loading: no look-ups for an earlier entry).
    fn push_new(&mut self, s: CustomerSummary, contact_texts: &[String]) {
        let search = searchable(&s, contact_texts);
        let mut keys: Vec<String> = Vec::new();
        for p in &search.phones {
            let p = digits(p);
            if p.len() >= 7 && !keys.contains(&p) {
                self.phones.entry(p.clone()).or_default().push(s.id);
                keys.push(p);
            }
        }
        if !keys.is_empty() {
            self.phone_keys.insert(s.id, keys);
        }
        self.index.push(s.id, &search);
        self.pos.insert(s.id, self.rows.len());
        self.names.push(NameKey::new(&s.name));
        self.owners.push(s.owner);
        self.rows.push(Arc::new(s));
    }

    fn insert(&mut self, s: CustomerSummary, contact_texts: &[String]) {
        let search = searchable(&s, contact_texts);
        self.forget_phones(s.id);
        let mut keys: Vec<String> = Vec::new();
        for p in &search.phones {
            let p = digits(p);
            if p.len() >= 7 && !keys.contains(&p) {
                self.phones.entry(p.clone()).or_default().push(s.id);
                keys.push(p);
            }
        }
        self.phone_keys.insert(s.id, keys);
        match self.pos.get(&s.id) {
            Some(&i) => {
                self.index.upsert(s.id, &search);
                self.names[i] = NameKey::new(&s.name);
                self.owners[i] = s.owner;
                self.rows[i] = Arc::new(s);
            }
            None => {
                self.index.push(s.id, &search);
                self.pos.insert(s.id, self.rows.len());
                self.names.push(NameKey::new(&s.name));
                self.owners.push(s.owner);
                self.rows.push(Arc::new(s));
            }
        }
    }

    fn remove(&mut self, id: CustomerId) {
        if let Some(i) = self.pos.remove(&id) {
            self.rows.remove(i);
            self.names.remove(i);
            self.owners.remove(i);
            for p in self.pos.values_mut() {
                if *p > i {
                    *p -= 1;
                }
            }
            self.index.remove(id);
            self.forget_phones(id);
        }
    }

    /// Drops the customer from the phone lookup (before re-adding its current numbers).
    fn forget_phones(&mut self, id: CustomerId) {
        for key in self.phone_keys.remove(&id).unwrap_or_default() {
            if let Some(ids) = self.phones.get_mut(&key) {
                ids.retain(|x| *x != id);
            }
        }
    }

    fn get(&self, id: CustomerId) -> Option<&Arc<CustomerSummary>> {
        self.pos.get(&id).map(|&i| &self.rows[i])
    }
}

/// What a customer's list line and index entry are, from the full record.
fn summary_of(c: &Customer) -> (CustomerSummary, Vec<String>) {
    let d = &c.draft;
    let main = d.contacts.iter().find(|k| k.primary).or(d.contacts.first());
    let summary = CustomerSummary {
        id: c.id,
        name: d.name.clone(),
        short_name: d.short_name.clone(),
        credit_code: d.credit_code.clone(),
        grade: d.grade,
        industry: d.industry.clone(),
        province: d.province.clone(),
        city: d.city.clone(),
        phone: d.phone.clone(),
        owner: c.owner,
        owner_name: c.owner_name.clone(),
        contact: main.map(|k| k.name.clone()).unwrap_or_default(),
        contact_phone: main
            .map(|k| if k.mobile.is_empty() { k.phone.clone() } else { k.mobile.clone() })
            .unwrap_or_default(),
        updated_at: c.updated_at.clone(),
        version: c.version,
    };
    let texts = d
        .contacts
        .iter()
        .flat_map(|k| [k.name.clone(), k.mobile.clone(), k.phone.clone()])
        .filter(|s| !s.is_empty())
        .collect();
    (summary, texts)
}

/// May this user see this customer? (DESIGN §2)
pub(super) fn may_see(user: &UserAccount, owner: Option<UserId>) -> bool {
    user.roles.allows(Permission::ViewAllCustomers) || owner.is_none() || owner == Some(user.id)
}

/// May this user change this customer? The salesperson their own; head, assistant, admin any.
fn may_edit(user: &UserAccount, owner: Option<UserId>) -> bool {
    user.roles.allows(Permission::EditCustomers)
        && (user.roles.allows(Permission::ViewAllCustomers) || owner == Some(user.id))
}

use super::error::NOT_YOURS;

/// What the audit log records of a customer.
#[derive(Serialize)]
struct CustomerAudit<'a> {
    draft: &'a CustomerDraft,
    owner: Option<UserId>,
}

impl Service {
    /// The in-memory list for `actor` (`None`: before anyone signs in). On a file it holds every
    /// customer and each search keeps what its actor may see; on the office server it holds what
    /// the reader's own login may read (the server keeps the rest from them), so it is read again
    /// when someone else reads it.
    fn directory(&mut self, actor: Option<&str>) -> Result<&mut CustomerDirectory, ServiceError> {
        let server = self.store.is_server();
        let (reader, read_as) = match (server, actor) {
            (false, _) => (None, None),
            (true, Some(login)) => (Some(login.to_string()), Some(login)),
            (true, None) => (self.store.entry_person(), None),
        };
        let data_version = self.store.data_version()?;
        let current = match &mut self.customers {
            Some(d) if d.reader != reader => false,
            Some(d) if d.seen.0 == data_version => true,
            // Another seat committed something: reload only if it touched the customers.
            Some(d) => {
                let print = self.store.read_for(read_as, |tx| tx.customers_fingerprint())?;
                let unchanged = print == d.seen.1;
                d.seen = (data_version, print);
                unchanged
            }
            None => false,
        };
        if !current {
            let mut d = self.store.read_for(read_as, |tx| CustomerDirectory::load(tx, data_version))?;
            d.reader = reader;
            self.customers = Some(d);
        }
        self.customers
            .as_mut()
            .ok_or_else(|| ServiceError::rule("customer.list_unavailable", "customer list unavailable"))
    }

    /// Re-reads one customer into the in-memory list after `actor`'s write (or drops it when
    /// gone, or no longer theirs to read on the server).
    fn refresh_customer(&mut self, actor: &Actor, id: CustomerId) -> Result<(), ServiceError> {
        let fresh = self.store.read_as(actor.login(), |tx| match tx.customer(id) {
            Ok(c) => Ok(Some(c)),
            Err(crate::store::StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(ServiceError::from(e)),
        })?;
        let dir = self.directory(Some(actor.login()))?;
        match fresh {
            Some(c) => {
                let (s, texts) = summary_of(&c);
                dir.insert(s, &texts);
            }
            None => dir.remove(id),
        }
        Ok(())
    }

    /// Reads the customer list and builds its search index now, so the first search after sign-in
    /// answers at once (the window asks for it while the sign-in screen waits for the password).
    /// Needs no sign-in and returns nothing: what a search may show is decided per search.
    pub fn prepare_customer_list(&mut self) -> Result<(), ServiceError> {
        self.directory(None).map(drop)
    }

    /// The customer list: search-as-you-type over name, pinyin initials, contacts and phones,
    /// with filters; only what the actor may see. At most `limit` rows (0 = all).
    pub fn search_customers(
        &mut self,
        actor: &Actor,
        f: &CustomerFilter,
        limit: usize,
    ) -> Result<CustomerPage, ServiceError> {
        let user = self.store.read_as(actor.login(), |tx| current_user(tx, actor))?;
        let dir = self.directory(Some(actor.login()))?;
        let sees_all = user.roles.allows(Permission::ViewAllCustomers);
        let visible = |owner: Option<UserId>| sees_all || owner.is_none() || owner == Some(user.id);
        let attributes = f.grade.is_some() || !f.province.is_empty() || !f.industry.is_empty();
        // Positions of the index are positions of `rows`: the cheap checks first, the row itself
        // only when a filter needs it.
        let keep = |i: usize| {
            let owner = dir.owners[i];
            visible(owner)
                && match f.owner {
                    OwnerFilter::Any => true,
                    OwnerFilter::Mine => owner == Some(user.id),
                    OwnerFilter::Pool => owner.is_none(),
                    OwnerFilter::User(u) => owner == Some(u),
                }
                && (!attributes || {
                    let s = &dir.rows[i];
                    f.grade.is_none_or(|g| s.grade == g)
                        && (f.province.is_empty() || s.province == f.province)
                        && (f.industry.is_empty() || s.industry == f.industry)
                })
        };
        let hits = dir.index.search_positions(&f.query, keep, 0);
        let matched = hits.len();
        let take = if limit == 0 { matched } else { limit.min(matched) };
        let rows = hits[..take].iter().map(|&i| Arc::clone(&dir.rows[i])).collect();
        let visible_total = dir.owners.iter().filter(|o| visible(**o)).count();
        Ok(CustomerPage { rows, matched, visible_total })
    }

    /// The customer card. Refused when the actor may not see it.
    pub fn customer(&mut self, actor: &Actor, id: CustomerId) -> Result<Customer, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let c = tx.customer(id)?;
            if !may_see(&user, c.owner) {
                return Err(ServiceError::Denied(NOT_YOURS));
            }
            Ok(c)
        })
    }

    /// Existing customers the draft may duplicate: same credit code, a similar name, or a shared
    /// phone number. Searches the whole archive, not only what the actor sees.
    pub fn find_duplicates(
        &mut self,
        actor: &Actor,
        draft: &CustomerDraft,
        except: Option<CustomerId>,
    ) -> Result<Vec<DuplicateHint>, ServiceError> {
        let user = self.store.read_as(actor.login(), |tx| current_user(tx, actor))?;
        let code = draft.credit_code.trim().to_uppercase();
        if self.store.is_server() {
            // A salesperson's login reads only the customers they may see: the server answers
            // for the whole archive (and only what the warning needs).
            let by_name = draft.name.trim().chars().count() >= 2;
            let core = by_name.then(|| NameKey::new(&draft.name).core().to_string());
            let phones = draft.phone_digits();
            let found =
                self.store.read_as(actor.login(), |tx| tx.customer_duplicates(core.as_deref(), &phones, &code))?;
            let mut hits: Vec<DuplicateHint> = Vec::new();
            for f in found.into_iter().filter(|f| Some(CustomerId(f.id)) != except) {
                let reason = match (f.why.as_str(), f.score, f.phone) {
                    ("code", _, _) => DuplicateReason::SameCreditCode,
                    ("name", Some(score), _) => DuplicateReason::SimilarName(score),
                    (_, _, Some(phone)) => DuplicateReason::SamePhone(phone),
                    _ => continue,
                };
                let owner = f.owner.map(UserId);
                match hits.iter_mut().find(|h| h.id.0 == f.id) {
                    Some(h) => h.reasons.push(reason),
                    None => hits.push(DuplicateHint {
                        id: CustomerId(f.id),
                        name: f.name,
                        owner_name: if owner.is_none() { "公海".into() } else { f.owner_name },
                        reasons: vec![reason],
                        visible: may_see(&user, owner),
                        version: f.version,
                    }),
                }
            }
            return Ok(hits);
        }
        let same_code = if code.is_empty() {
            Vec::new()
        } else {
            self.store.read_as(actor.login(), |tx| tx.customers_with_credit_code(&code))?
        };
        let dir = self.directory(Some(actor.login()))?;
        let mut hits: Vec<DuplicateHint> = Vec::new();
        let mut add = |id: CustomerId, reason: DuplicateReason| {
            if Some(id) == except {
                return;
            }
            let Some(s) = dir.get(id) else { return };
            match hits.iter_mut().find(|h| h.id == id) {
                Some(h) => h.reasons.push(reason),
                None => hits.push(DuplicateHint {
                    id,
                    name: s.name.clone(),
                    owner_name: if s.owner.is_none() { "公海".into() } else { s.owner_name.clone() },
                    reasons: vec![reason],
                    visible: may_see(&user, s.owner),
                    version: s.version,
                }),
            }
        };
        for (id, _) in same_code {
            add(id, DuplicateReason::SameCreditCode);
        }
        if draft.name.trim().chars().count() >= 2 {
            let key = NameKey::new(&draft.name);
            let similar: Vec<(CustomerId, f64)> = dir
                .rows
                .iter()
                .zip(&dir.names)
                .map(|(s, n)| (s.id, key.similarity(n)))
                .filter(|(_, score)| *score >= SIMILAR_NAME)
                .collect();
            for (id, score) in similar {
                add(id, DuplicateReason::SimilarName(score));
            }
        }
        for phone in draft.phone_digits() {
            for id in dir.phones.get(&phone).cloned().unwrap_or_default() {
                add(id, DuplicateReason::SamePhone(phone.clone()));
            }
        }
        Ok(hits)
    }

    /// Creates a customer. A salesperson becomes its owner; the assistant's go to the shared pool;
    /// head and admin choose. A likely duplicate is refused with `PossibleDuplicates` unless the user
    /// confirmed after seeing them; the same credit code is always refused.
    pub fn create_customer(
        &mut self,
        actor: &Actor,
        mut draft: CustomerDraft,
        owner: Option<UserId>,
        duplicates_confirmed: bool,
    ) -> Result<Customer, ServiceError> {
        // Who may, before what they typed: a refusal should not read like a typing mistake.
        self.store.read_as(actor.login(), |tx| authorize(tx, actor, Permission::EditCustomers))?;
        let errors = draft.validate();
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let hints = self.find_duplicates(actor, &draft, None)?;
        if let Some(h) = hints.iter().find(|h| h.reasons.contains(&DuplicateReason::SameCreditCode)) {
            return Err(ServiceError::invalid(
                "credit_code",
                format!("统一社会信用代码与已有客户“{}”（负责人：{}）相同，同一单位不能重复建档", h.name, h.owner_name),
            ));
        }
        if !hints.is_empty() && !duplicates_confirmed {
            return Err(ServiceError::PossibleDuplicates(hints));
        }
        let now = self.now();
        let id = self.store.write_as(actor.login(), |tx| {
            let user = authorize(tx, actor, Permission::EditCustomers)?;
            let owner = choose_owner(tx, &user, owner)?;
            let id = tx.insert_customer(&draft, owner, now, &actor.audit_name())?;
            let after = CustomerAudit { draft: &draft, owner };
            audit::<(), _>(tx, &actor.audit_name(), now, "customer.create", "customer", id, None, Some(&after))?;
            Ok::<_, ServiceError>(id)
        })?;
        self.refresh_customer(actor, id)?;
        self.customer(actor, id)
    }

    /// Saves the card. Refused when someone else saved it meanwhile (naming who and when).
    pub fn update_customer(
        &mut self,
        actor: &Actor,
        id: CustomerId,
        version: i64,
        mut draft: CustomerDraft,
    ) -> Result<Customer, ServiceError> {
        let errors = draft.validate();
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        if !draft.credit_code.is_empty() {
            let same = self.store.read_as(actor.login(), |tx| tx.customers_with_credit_code(&draft.credit_code))?;
            if let Some((_, name)) = same.into_iter().find(|(o, _)| *o != id) {
                return Err(ServiceError::invalid("credit_code", format!("统一社会信用代码与已有客户“{name}”相同")));
            }
        }
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let before = tx.customer(id)?;
            if !may_edit(&user, before.owner) {
                return Err(ServiceError::Denied(if may_see(&user, before.owner) {
                    "公海客户请先认领，再修改资料"
                } else {
                    NOT_YOURS
                }));
            }
            tx.update_customer(id, version, &draft, now, &actor.audit_name())?;
            let b = CustomerAudit { draft: &before.draft, owner: before.owner };
            let a = CustomerAudit { draft: &draft, owner: before.owner };
            audit(tx, &actor.audit_name(), now, "customer.update", "customer", id, Some(&b), Some(&a))
                .map_err(ServiceError::from)
        })?;
        self.refresh_customer(actor, id)?;
        self.customer(actor, id)
    }

    /// A salesperson takes a shared-pool customer (认领).
    pub fn claim_customer(&mut self, actor: &Actor, id: CustomerId, version: i64) -> Result<Customer, ServiceError> {
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            let user = authorize(tx, actor, Permission::OwnCustomers)?;
            let c = match tx.customer(id) {
                // Claimed by someone else meanwhile: on the server no longer theirs to read.
                Err(crate::store::StoreError::NotYours { owner, .. }) if !owner.is_empty() => {
                    return Err(ServiceError::rule("customer.owned", format!("该客户已由{owner}负责，不能认领。")));
                }
                other => other?,
            };
            if c.owner.is_some() {
                return Err(ServiceError::rule(
                    "customer.owned",
                    format!("该客户已由{}负责，不能认领。", c.owner_name),
                ));
            }
            tx.set_customer_owner(id, version, Some(user.id), now, &actor.audit_name())?;
            audit::<(), _>(tx, &actor.audit_name(), now, "customer.claim", "customer", id, None, Some(&user.login))
                .map_err(ServiceError::from)
        })?;
        self.refresh_customer(actor, id)?;
        self.customer(actor, id)
    }

    /// The head assigns a customer to a salesperson, or returns it to the pool (`None`).
    pub fn assign_customer(
        &mut self,
        actor: &Actor,
        id: CustomerId,
        version: i64,
        owner: Option<UserId>,
    ) -> Result<Customer, ServiceError> {
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::AssignCustomers)?;
            let before = tx.customer(id)?;
            let to = owner.map(|o| check_owner(tx, o)).transpose()?;
            tx.set_customer_owner(id, version, owner, now, &actor.audit_name())?;
            let detail = serde_json::json!({
                "from": before.owner_name,
                "to": to.map(|u| u.display_name).unwrap_or_else(|| "公海".into()),
            });
            audit::<(), _>(tx, &actor.audit_name(), now, "customer.assign", "customer", id, None, Some(&detail))
                .map_err(ServiceError::from)
        })?;
        self.refresh_customer(actor, id)?;
        self.customer(actor, id)
    }

    /// The head assigns the chosen customers to `owner` (None: the pool, 放入公海) in one step, one
    /// audit entry per customer. Returns how many changed owner (those already theirs are left).
    pub fn assign_customers(
        &mut self,
        actor: &Actor,
        ids: &[CustomerId],
        owner: Option<UserId>,
    ) -> Result<usize, ServiceError> {
        if ids.is_empty() {
            return Err(ServiceError::invalid("customers", "请先勾选要分配的客户"));
        }
        let now = self.now();
        let changed = self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::AssignCustomers)?;
            let to = owner.map(|o| check_owner(tx, o)).transpose()?;
            let to_name = to.map(|u| u.display_name).unwrap_or_else(|| "公海".into());
            let mut changed = Vec::new();
            for id in ids {
                let before = tx.customer(*id)?;
                if before.owner == owner {
                    continue;
                }
                tx.set_customer_owner(*id, before.version, owner, now, &actor.audit_name())?;
                let detail = serde_json::json!({ "from": before.owner_name, "to": to_name, "by": "bulk" });
                audit::<(), _>(tx, &actor.audit_name(), now, "customer.assign", "customer", id, None, Some(&detail))?;
                changed.push(*id);
            }
            Ok::<_, ServiceError>(changed)
        })?;
        for id in &changed {
            self.refresh_customer(actor, *id)?;
        }
        Ok(changed.len())
    }

    /// The head hands all of a leaver's customers to someone else (or to the pool). Returns how many.
    pub fn reassign_customers(
        &mut self,
        actor: &Actor,
        from: UserId,
        to: Option<UserId>,
    ) -> Result<usize, ServiceError> {
        let ids: Vec<CustomerId> = {
            let dir = self.directory(Some(actor.login()))?;
            dir.rows.iter().filter(|s| s.owner == Some(from)).map(|s| s.id).collect()
        };
        let now = self.now();
        let moved = self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::AssignCustomers)?;
            if let Some(t) = to {
                check_owner(tx, t)?;
            }
            let mut moved = Vec::new();
            for id in &ids {
                let c = tx.customer(*id)?;
                if c.owner == Some(from) {
                    tx.set_customer_owner(*id, c.version, to, now, &actor.audit_name())?;
                    moved.push(*id);
                }
            }
            let detail = serde_json::json!({ "from": from, "to": to, "customers": moved.len() });
            audit::<(), _>(tx, &actor.audit_name(), now, "customer.reassign_all", "user", from, None, Some(&detail))?;
            Ok::<_, ServiceError>(moved)
        })?;
        for id in &moved {
            self.refresh_customer(actor, *id)?;
        }
        Ok(moved.len())
    }

    /// The head merges `duplicate` into `keep`: its contacts move over and it disappears from the
    /// archive (the row stays, pointing at `keep`, so history can follow).
    pub fn merge_customers(
        &mut self,
        actor: &Actor,
        keep: (CustomerId, i64),
        duplicate: (CustomerId, i64),
    ) -> Result<Customer, ServiceError> {
        if keep.0 == duplicate.0 {
            return Err(ServiceError::rule("customer.merge_self", "不能把客户与自己合并。"));
        }
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::MergeCustomers)?;
            let a = tx.customer(keep.0)?;
            let b = tx.customer(duplicate.0)?;
            tx.merge_customer(keep.0, keep.1, duplicate.0, duplicate.1, now, &actor.audit_name())?;
            let detail = serde_json::json!({ "kept": a.draft.name, "merged": b.draft, "merged_id": duplicate.0 });
            audit::<(), _>(tx, &actor.audit_name(), now, "customer.merge", "customer", keep.0, None, Some(&detail))
                .map_err(ServiceError::from)
        })?;
        self.refresh_customer(actor, duplicate.0)?;
        self.refresh_customer(actor, keep.0)?;
        self.customer(actor, keep.0)
    }

    /// Every salesperson, leavers (inactive) included: they may still own customers to hand over.
    /// Only active ones can be given customers.
    pub fn salespeople(&mut self, actor: &Actor) -> Result<Vec<UserAccount>, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let viewer = current_user(tx, actor)?;
            Ok(tx
                .list_users()?
                .into_iter()
                .filter(|u| u.roles.contains(Role::Sales))
                .map(|u| super::users::shown_to(&viewer, u))
                .collect())
        })
    }
}

/// The owner of a new customer: a salesperson owns what they create; head and admin may choose;
/// everyone else's go to the pool.
fn choose_owner(tx: &Tx<'_>, user: &UserAccount, wanted: Option<UserId>) -> Result<Option<UserId>, ServiceError> {
    if user.roles.contains(Role::Head) || user.roles.contains(Role::Admin) {
        return wanted.map(|w| check_owner(tx, w).map(|u| u.id)).transpose();
    }
    if user.roles.contains(Role::Sales) {
        return Ok(Some(user.id));
    }
    Ok(None)
}

/// An owner must be an active salesperson.
fn check_owner(tx: &Tx<'_>, id: UserId) -> Result<UserAccount, ServiceError> {
    let u = tx.user(id)?;
    if !u.active || !u.roles.contains(Role::Sales) {
        return Err(ServiceError::invalid("owner", format!("{} 不是在职的销售员，不能负责客户", u.display_name)));
    }
    Ok(u)
}
