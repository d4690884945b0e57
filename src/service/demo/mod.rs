//! The demo office (演示办公室): a power-equipment maker's sales department with people in every
//! role, a customer archive across the provinces and a price table in two versions, so a new user
//! can try every screen. Created only into an empty database; deterministic (see `data`).

mod certificates;
mod contracts;
pub mod data;
mod inquiries;
mod negotiations;
mod quotes;
mod visits;

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::auth::hash_password;
use super::{Service, ServiceError, audit};
use crate::domain::company::CompanyProfile;
use crate::domain::docno::{DocKind, DocNumber};
use crate::domain::ids::{PriceVersionId, UserId};
use crate::domain::inquiry::{BondForm, BondRecord, status_of};
use crate::domain::money::Money;
use crate::domain::policy::{ApprovalPolicy, CommercialTerms};
use crate::domain::product::ProductDraft;
use crate::domain::role::{Role, RoleSet};
use crate::domain::validate::credit_code_check_char;
use crate::store::{NewInquiry, NewUserRow, PriceRow, Tx};

/// Every demo user signs in with this password (shown in the README and on the sign-in screen).
pub const DEMO_PASSWORD: &str = "demo1234";

/// (login, name, roles, phone) of the demo office's people.
pub const DEMO_USERS: &[(&str, &str, &[Role], &str)] = data::DEMO_STAFF;

#[derive(Debug, Clone, PartialEq)]
pub struct DemoSummary {
    pub company: String,
    pub users: usize,
    pub customers: usize,
    pub products: usize,
    pub inquiries: usize,
    pub quotes: usize,
    /// Visits planned or recorded (a year of them).
    pub visits: usize,
    /// Contracts made from won quotes through the year.
    pub contracts: usize,
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
        legal_representative: "吴海涛".into(),
        company_type: "有限责任公司（自然人投资或控股）".into(),
        founded_on: chrono::NaiveDate::from_ymd_opt(2012, 3, 15),
        business_term: "长期".into(),
        legal_rep_gender: Some(crate::domain::user::Gender::Male),
        legal_rep_birth: chrono::NaiveDate::from_ymd_opt(1972, 8, 16),
        legal_rep_title: "董事长".into(),
        legal_rep_id_number: "320503197208163013".into(),
        logo: None,
        seal: None,
        typefaces: Default::default(),
    }
}

fn insert_demo_users(tx: &Tx<'_>, now: DateTime<Utc>) -> Result<Vec<(String, UserId)>, ServiceError> {
    // One hash for all: argon2 is deliberately slow, and they share the password anyway.
    let hash = hash_password(DEMO_PASSWORD)?;
    // On a server each demo user gets a login of their own with the demo password.
    let verifier = crate::store::login_verifier(DEMO_PASSWORD);
    let mut ids = Vec::new();
    for (login, name, roles, phone) in DEMO_USERS {
        let roles = RoleSet::new(roles.iter().copied());
        let email = format!("{login}@hengxin-demo.cn");
        let row = NewUserRow {
            login,
            display_name: name,
            phone,
            email: &email,
            roles: &roles,
            password_hash: &hash,
            must_change_password: false,
        };
        let id = tx.insert_user(&row, now, WHO)?;
        tx.sync_server_login(login, Some(&verifier))?;
        if let Some((_, number)) = data::DEMO_ID_NUMBERS.iter().find(|(l, _)| l == login) {
            let gender = crate::domain::user::Gender::of_id_number(number);
            tx.set_user_identity(id, 1, gender, number, now, WHO)?;
        }
        let after = serde_json::json!({ "login": login, "display_name": name, "roles": roles.to_codes() });
        audit::<(), _>(tx, WHO, now, "user.create", "user", login, None, Some(&after))?;
        ids.push((login.to_string(), id));
    }
    Ok(ids)
}

fn insert_demo_customers(tx: &Tx<'_>, users: &[(String, UserId)], now: DateTime<Utc>) -> Result<usize, ServiceError> {
    let customers = data::demo_customers();
    for c in &customers {
        let owner = c.owner_login.and_then(|l| users.iter().find(|(login, _)| login == l).map(|(_, id)| *id));
        tx.insert_customer(&c.draft, owner, now, WHO)?;
    }
    Ok(customers.len())
}

/// Who registers and decides the demo inquiries, from the people just created.
fn cast(tx: &Tx<'_>) -> Result<inquiries::Cast, ServiceError> {
    let users = tx.list_users()?;
    let with = |r: Role| users.iter().filter(move |u| u.roles.contains(r));
    let customers: Vec<_> = tx.customer_summaries()?.into_iter().map(|(s, _)| s).collect();
    let mut sales = Vec::new();
    for u in with(Role::Sales) {
        let mine: Vec<_> = customers.iter().filter(|c| c.owner == Some(u.id)).take(12).collect();
        let full = mine.iter().map(|c| tx.customer(c.id)).collect::<Result<Vec<_>, _>>()?;
        if !full.is_empty() {
            sales.push((u.id, full));
        }
    }
    Ok(inquiries::Cast {
        sales,
        assistants: with(Role::Assistant).map(|u| u.id).collect(),
        heads: with(Role::Head).map(|u| (u.id, u.display_name.clone())).collect(),
        leaders: with(Role::Leader).map(|u| (u.id, u.display_name.clone())).collect(),
    })
}

fn insert_demo_inquiries(tx: &Tx<'_>, version: PriceVersionId, now: DateTime<Utc>) -> Result<usize, ServiceError> {
    let cast = cast(tx)?;
    let products = tx.products_in_version(version)?;
    let policy: crate::domain::record::Versioned<ApprovalPolicy> = tx.setting("approval_policy")?;
    let plan = inquiries::demo_inquiries(&cast, &products, now);

    for i in &plan {
        let year = i.registered_at.year();
        let seq = tx.next_in_sequence(&DocKind::Inquiry.sequence_name(year))?;

        let number = DocNumber { kind: DocKind::Inquiry, year, seq };
        let reasons: Vec<String> = policy
            .value
            .inquiry_reasons(i.draft.flagged_major, i.draft.estimate)
            .iter()
            .map(|r| r.to_string())
            .collect();
        let major = !reasons.is_empty();
        let new = NewInquiry {
            number: &number,
            draft: &i.draft,
            major,
            major_reasons: &reasons,
            registered_by: i.registrant,
        };
        let id = tx.insert_inquiry(&new, i.registered_at, WHO)?;
        for (n, d) in i.decisions.iter().enumerate() {
            let status = status_of(major, &i.decisions[..=n]);
            tx.insert_decision(id, 1 + n as i64, d, status, WHO)?;
        }
        // A paid bond was wired two days after the tender was registered (never in the future).
        if i.draft.tender.bond_paid {
            let paid = (i.registered_at + chrono::Duration::days(2)).min(now);
            let record = BondRecord {
                form: Some(if i.draft.tender.bond.is_some_and(|b| b >= Money::from_fen(5_000_000)) {
                    BondForm::Guarantee
                } else {
                    BondForm::Transfer
                }),
                paid_on: Some(paid.with_timezone(&chrono::Local).date_naive()),
                ..BondRecord::default()
            };
            let version = tx.inquiry(id)?.version;
            tx.set_bond_record(id, version, &record, paid, WHO)?;
        }
    }
    Ok(plan.len())
}

/// The first day of the half-year `today` is in, and of the one before: the two versions' dates.
fn half_years(today: NaiveDate) -> [(NaiveDate, String); 2] {
    let (y, current_h2) = (today.year(), today.month() >= 7);
    let start = |year: i32, h2: bool| NaiveDate::from_ymd_opt(year, if h2 { 7 } else { 1 }, 1).unwrap_or(today);
    let name = |year: i32, h2: bool| format!("{year}年{}价格表", if h2 { "下半年" } else { "上半年" });
    let (py, ph2) = if current_h2 { (y, false) } else { (y - 1, true) };
    [(start(py, ph2), name(py, ph2)), (start(y, current_h2), name(y, current_h2))]
}

fn insert_version(
    tx: &Tx<'_>,
    products: &[ProductDraft],
    (date, note): &(NaiveDate, String),
    now: DateTime<Utc>,
) -> Result<PriceVersionId, ServiceError> {
    let version = tx.insert_price_version(*date, note, now, WHO)?;
    for p in products {
        let id = match tx.product_id_by_code(&p.code)? {
            Some(id) => {
                let stored = tx.product_in_version(id, version).ok().map(|s| s.version).unwrap_or(1);
                tx.update_product(id, stored, p, now, WHO)?;
                id
            }
            None => tx.insert_product(p, now, WHO)?,
        };
        tx.set_price(version, id, PriceRow { list: p.list_price, floor: p.floor_price, tax: p.tax_rate })?;
    }
    Ok(version)
}

impl Service {
    /// Fills an empty database with the demo office. Refuses a database that has users.
    pub fn create_demo_office(&mut self) -> Result<DemoSummary, ServiceError> {
        let now = self.now();
        let today = self.today();
        let summary = self.store.write(|tx| {
            if tx.count_users()? > 0 {
                return Err(ServiceError::rule("office.not_empty", "该数据库已有数据，演示办公室只能建在新的空数据库中。"));
            }
            let users = insert_demo_users(tx, now)?;
            let mut company = demo_company();
            if let Some(e) = company.validate().first() {
                return Err(ServiceError::rule("demo.invariant", format!("demo company invalid: {}", e.message)));
            }
            // The generated seal reads 演示专用章, so a demo document can never pass for a real one.
            let seal = crate::docs::seal::seal_png(company.name.trim_end_matches("（演示）"), "演示专用章")?;
            company.seal = Some(tx.insert_attachment("seal", "演示专用章.png", "image/png", &seal, now, WHO)?);
            tx.put_setting("company", &company, 0, now, WHO)?;
            tx.put_setting("approval_policy", &ApprovalPolicy::default(), 0, now, WHO)?;
            tx.put_setting("standard_terms", &CommercialTerms::default(), 0, now, WHO)?;
            let customers = insert_demo_customers(tx, &users, now)?;
            let first = data::demo_products();
            let second = data::second_version_changes(&first);
            let [older, current] = half_years(today);
            insert_version(tx, &first, &older, now)?;
            let current_version = insert_version(tx, &second, &current, now)?;
            let inquiries = insert_demo_inquiries(tx, current_version, now)?;
            let summary = DemoSummary {
                company: company.name.clone(),
                users: users.len(),
                customers,
                products: second.len(),
                inquiries,
                quotes: 0,
                visits: 0,
                contracts: 0,
            };
            let detail = serde_json::json!({
                "company": company.name, "users": summary.users, "customers": customers,
                "products": summary.products, "inquiries": inquiries, "price_versions": [older.0.to_string(), current.0.to_string()],
            });
            audit::<(), _>(tx, WHO, now, "demo.create", "database", "", None, Some(&detail))?;
            Ok(summary)
        })?;
        self.customers = None;
        self.create_demo_quotes()?;
        let visits = self.create_demo_visits()?;
        let actors = self.demo_actors()?;
        let contracts = self.create_demo_contracts(&actors)?;
        self.create_demo_references(&actors)?;
        // The year of deals adds inquiries and quotes of its own: count what is there.
        let (inquiries, quotes) =
            self.store.read(|tx| Ok::<_, ServiceError>((tx.inquiry_summaries()?.len(), tx.quotes()?.len())))?;
        Ok(DemoSummary { inquiries, quotes, visits, contracts, ..summary })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_price_versions_are_the_previous_and_the_current_half_year() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let [a, b] = half_years(d(2026, 11, 27));
        assert_eq!((a.0, b.0), (d(2026, 1, 1), d(2026, 7, 1)));
        assert_eq!(b.1, "2026年下半年价格表");
        let [a, b] = half_years(d(2027, 3, 1));
        assert_eq!((a.0, b.0), (d(2026, 7, 1), d(2027, 1, 1)));
        assert_eq!(a.1, "2026年下半年价格表");
    }
}
