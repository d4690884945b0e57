//! A deterministic large office for benchmarks (issue 10): the demo office's people, company and
//! price table, then — written straight through the store's `Tx` methods in big transactions —
//! 100 000 customers with contacts, 2 000 products, 200 000 quotes whose latest revisions hold
//! 1 000 000 lines, 5 000 revisions waiting in the head's approval inbox, one 200-line draft,
//! visits, signed contracts and their receipts.
//!
//! Bench rows get no audit entry each (the demo office's own rows keep theirs): the audit chain
//! still verifies, it just does not mention them. The file is built once per parameter set into
//! `target/bench-data/` and reused; a half-built file never takes its place.

use std::path::PathBuf;

use chrono::{DateTime, Duration, TimeZone, Utc};
use salesdesk::domain::contract::{ContractContent, ContractStatus, default_schedule};
use salesdesk::domain::docno::{DocKind, DocNumber};
use salesdesk::domain::ids::{CustomerId, PriceVersionId, ProductId, QuoteId, RevisionId, UserId};
use salesdesk::domain::money::{Discount, Money, Quantity};
use salesdesk::domain::product::ProductDraft;
use salesdesk::domain::quote::{
    Approval, ApprovalStep, QuoteKind, QuoteLine, QuoteStatus, RevisionContent, RevisionStatus,
};
use salesdesk::domain::receivable::{PaymentMethod, Receipt};
use salesdesk::domain::role::Role;
use salesdesk::domain::user::UserAccount;
use salesdesk::domain::visit::{VisitPlanDraft, VisitRecordDraft, VisitStatus};
use salesdesk::service::Service;
use salesdesk::service::demo::data::products::demo_products;
use salesdesk::service::demo::data::{Rng, generated_customers};
use salesdesk::store::{NewContract, NewQuote, PriceRow, Store, StoreError, Submission};

/// Bumped whenever what is generated changes, so a cached file of an older shape is not reused.
const GENERATOR: u32 = 1;
const BY: &str = "bench";

#[derive(Debug, Clone, Copy)]
pub struct Params {
    pub customers: usize,
    pub products: usize,
    pub quotes: usize,
    /// Lines over all quotes' latest revisions (the 200-line draft included).
    pub lines: usize,
    /// Quotes whose revision waits for the head (赵敏) in the approval inbox.
    pub inbox: usize,
    pub visits: usize,
    /// Won quotes turned into signed contracts, each with one or two receipts.
    pub contracts: usize,
}

impl Params {
    pub const LARGE: Params = Params {
        customers: 100_000,
        products: 2_000,
        quotes: 200_000,
        lines: 1_000_000,
        inbox: 5_000,
        visits: 100_000,
        contracts: 20_000,
    };

    fn file_name(&self) -> String {
        let p = self;
        format!(
            "office-g{GENERATOR}-c{}-p{}-q{}-l{}-i{}-v{}-k{}.db",
            p.customers, p.products, p.quotes, p.lines, p.inbox, p.visits, p.contracts
        )
    }
}

/// What the benches look for in the office.
#[derive(Debug, Clone)]
pub struct Office {
    pub db: PathBuf,
    /// The open quote with a 200-line draft (author 李强, liqiang).
    pub big_draft: String,
}

pub const BIG_DRAFT_LINES: usize = 200;
const BIG_DRAFT_SUBJECT: &str = "城南110kV变电站全站设备（200项）";

/// Builds the office once per parameter set (minutes) and returns where it is.
pub fn office(p: Params) -> Office {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench data folder");
    let db = dir.join(p.file_name());
    let big_draft = DocNumber { kind: DocKind::Quote, year: 2020, seq: 1 }.to_string();
    if !db.exists() {
        let tmp = dir.join(format!("{}.building", p.file_name()));
        let _ = std::fs::remove_file(&tmp);
        let started = std::time::Instant::now();
        eprintln!("building the bench office {} (once)…", db.display());
        build(&tmp, p).expect("bench office");
        std::fs::rename(&tmp, &db).expect("bench office in place");
        let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
        eprintln!("built in {:.0} s, {:.0} MB", started.elapsed().as_secs_f64(), size as f64 / 1e6);
    }
    Office { db, big_draft }
}

struct Person {
    id: UserId,
    name: String,
}

fn build(path: &std::path::Path, p: Params) -> Result<(), StoreError> {
    Service::open(path).expect("new office").create_demo_office().expect("demo office");
    let mut store = Store::open(path)?;
    let mut rng = Rng::new(20_261_127);
    let users = store.read(|tx| tx.list_users())?;
    let person = |u: &UserAccount| Person { id: u.id, name: u.display_name.clone() };
    let sales: Vec<Person> = users.iter().filter(|u| u.roles.contains(Role::Sales)).map(person).collect();
    let head = users.iter().find(|u| u.login == "zhaomin").map(person).expect("the demo head");
    let liqiang = users.iter().find(|u| u.login == "liqiang").map(|u| u.id).expect("the demo salesperson");

    // Customers, owned as in the search bench: every fifth in the shared pool.
    let drafts = generated_customers(p.customers, 42);
    let mut customers: Vec<(CustomerId, Option<usize>)> = Vec::with_capacity(p.customers);
    for chunk in drafts.chunks(20_000) {
        store.write(|tx| {
            for d in chunk {
                let i = customers.len();
                let owner = (!i.is_multiple_of(5)).then_some(i % sales.len());
                customers.push((tx.insert_customer(d, owner.map(|o| sales[o].id), at(2020, i), BY)?, owner));
            }
            Ok::<_, StoreError>(())
        })?;
    }
    drop(drafts);

    // Products: the demo's, then variants of them up to `p.products`, priced in today's version.
    let today = Utc::now().date_naive();
    let products: Vec<(ProductId, ProductDraft, PriceVersionId)> = store.write(|tx| {
        let version = tx.price_version_on(today)?.expect("a current price version");
        let have = tx.count_products()? as usize;
        let base = demo_products();
        for k in have..p.products {
            let b = &base[k % base.len()];
            let factor = 80 + (k * 7 % 41) as i64;
            let list = Money::from_fen(b.list_price.fen().unwrap_or(100_000) * factor / 100);
            let d = ProductDraft {
                code: format!("BX-{k:05}"),
                model: format!("{}-B{}", b.model, k),
                list_price: list,
                floor_price: Some(Money::from_fen(list.fen().unwrap_or(0) * 85 / 100)),
                ..b.clone()
            };
            let id = tx.insert_product(&d, at(2020, k), BY)?;
            tx.set_price(version, id, PriceRow { list: d.list_price, floor: d.floor_price, tax: d.tax_rate })?;
        }
        let listed = tx.products_in_version(version)?;
        Ok::<_, StoreError>(listed.into_iter().map(|pr| (pr.id, pr.draft, version)).collect())
    })?;

    // Quotes. Quote 0 is the 200-line draft; the next `inbox` wait for the head; the rest are
    // drafts, won, lost or expired. Years 2020–2025 keep clear of this year's numbering.
    let per_year = p.quotes.div_ceil(6).max(1);
    let rest_lines = p.lines.saturating_sub(BIG_DRAFT_LINES);
    let mut won: Vec<(QuoteId, RevisionId, usize, usize)> = Vec::new();
    let mut lines_left = rest_lines;
    let mut i = 0;
    while i < p.quotes {
        let end = (i + 10_000).min(p.quotes);
        store.write(|tx| {
            for i in i..end {
                let number = DocNumber {
                    kind: DocKind::Quote,
                    year: 2020 + (i / per_year) as i32,
                    seq: (i % per_year) as u32 + 1,
                };
                let (c, owner_ix) = if i == 0 {
                    customers
                        .iter()
                        .copied()
                        .find(|(_, o)| o.is_some_and(|o| sales[o].id == liqiang))
                        .expect("a customer of 李强")
                } else {
                    customers[rng.below(customers.len())]
                };
                let author_ix = owner_ix.unwrap_or_else(|| rng.below(sales.len()));
                let author = &sales[author_ix];
                let n_lines = if i == 0 {
                    BIG_DRAFT_LINES
                } else {
                    // Spread what is left evenly over the quotes still to come (1–9 lines each).
                    let remaining = (p.quotes - i) as f64;
                    let mean = lines_left as f64 / remaining;
                    let n = (mean + (rng.below(9) as f64 - 4.0)).round().clamp(1.0, 9.0) as usize;
                    if i + 1 == p.quotes {
                        lines_left.max(1)
                    } else {
                        n.min(lines_left.saturating_sub(p.quotes - i - 1)).max(1)
                    }
                };
                if i > 0 {
                    lines_left = lines_left.saturating_sub(n_lines);
                }
                let created = at(number.year, i);
                let content = content(&mut rng, &products, n_lines);
                let subject = if i == 0 { BIG_DRAFT_SUBJECT.to_string() } else { subject(&mut rng, i) };
                let q = NewQuote {
                    number: &number,
                    kind: QuoteKind::Quote,
                    inquiry: None,
                    customer: c,
                    contact: None,
                    subject: &subject,
                    author: author.id,
                };
                let qid = tx.insert_quote(&q, created, BY)?;
                let rid = tx.insert_revision(qid, 1, &content, author.id, created, BY)?;
                let roll = rng.below(100);
                let waiting = (1..=p.inbox).contains(&i);
                if i == 0 || (!waiting && roll < 10) {
                    continue; // a draft
                }
                let hash = content.content_hash().expect("content encodes");
                let s = Submission { hash: &hash, major: false, major_reasons: &[] };
                tx.submit_revision(rid, 1, &s, created, BY)?;
                if waiting {
                    continue;
                }
                let approval = Approval {
                    step: ApprovalStep::Head,
                    by: head.id,
                    by_name: head.name.clone(),
                    at: created + Duration::hours(3),
                    approved: true,
                    comment: String::new(),
                    content_hash: hash.clone(),
                };
                tx.insert_approval(rid, 2, &approval, RevisionStatus::Approved, BY)?;
                let status = match roll {
                    10..40 => QuoteStatus::Won,
                    40..80 => QuoteStatus::Lost,
                    _ => QuoteStatus::Expired,
                };
                tx.set_quote_status(qid, 1, status, created + Duration::days(20), BY)?;
                if status == QuoteStatus::Won && won.len() < p.contracts {
                    won.push((qid, rid, i, author_ix));
                }
            }
            Ok::<_, StoreError>(())
        })?;
        i = end;
    }

    // Contracts from won quotes, signed, each with one or two receipts (the prepayment, then
    // part of the rest).
    for chunk in won.chunks(5_000) {
        store.write(|tx| {
            for (qid, rid, i, author_ix) in chunk {
                let q = tx.quote(*qid)?;
                let r = tx.revision(*rid)?;
                let author = &sales[*author_ix];
                let signed = at(q.number.year, *i).date_naive() + Duration::days(25);
                let content = ContractContent {
                    lines: r.content.lines.clone(),
                    schedule: default_schedule(&r.content.terms),
                    terms: r.content.terms.clone(),
                };
                let number = DocNumber { kind: DocKind::Contract, year: q.number.year, seq: q.number.seq };
                let n = NewContract {
                    number,
                    quote: q.id,
                    revision: r.id,
                    customer: q.customer,
                    customer_name: &q.customer_name,
                    salesperson: author.id,
                    salesperson_name: &author.name,
                    customer_owner: q.customer_owner,
                    author: author.id,
                    author_name: &author.name,
                    subject: &q.subject,
                    content: &content,
                    major_reasons: &[],
                };
                let created = at(q.number.year, *i) + Duration::days(22);
                let cid = tx.insert_contract(&n, created, BY)?;
                tx.set_contract_status(cid, 1, ContractStatus::Signed, Some(signed), created, BY)?;
                let total = r.total.fen().unwrap_or(0);
                let receipt = |days: i64, fen: i64| {
                    tx.insert_receipt(&Receipt {
                        id: 0,
                        contract: cid,
                        date: signed + Duration::days(days),
                        amount: Money::from_fen(fen),
                        method: PaymentMethod::BankTransfer,
                        note: String::new(),
                        collected_by_salesperson: false,
                        overpayment: false,
                        handed_in_on: None,
                        handed_in_by: String::new(),
                        by: author.id,
                        by_name: author.name.clone(),
                        at: created + Duration::days(days),
                        version: 1,
                        updated_at: String::new(),
                        updated_by: BY.into(),
                    })
                };
                receipt(5, total * 30 / 100)?;
                if i % 2 == 0 {
                    receipt(90, total * 50 / 100)?;
                }
            }
            Ok::<_, StoreError>(())
        })?;
    }

    // Visits over the last two years and the next four weeks: past ones recorded, later planned.
    let now = Utc::now();
    for start in (0..p.visits).step_by(20_000) {
        store.write(|tx| {
            for k in start..(start + 20_000).min(p.visits) {
                let (c, owner_ix) = customers[rng.below(customers.len())];
                let owner = &sales[owner_ix.unwrap_or_else(|| rng.below(sales.len()))];
                let planned = now - Duration::hours(rng.range(0, 24 * 730) as i64) + Duration::days(28);
                let plan = VisitPlanDraft {
                    customer: Some(c),
                    contact: None,
                    purpose: salesdesk::domain::visit::PURPOSES[k % 7].into(),
                    planned_at: Some(planned),
                    notes: String::new(),
                };
                let id = tx.insert_visit(&plan, c, owner.id, planned - Duration::days(5), BY)?;
                if planned < now - Duration::days(2) {
                    let mut v = tx.visit(id)?;
                    v.status = VisitStatus::Done;
                    v.record = Some(VisitRecordDraft {
                        visited_on: Some(planned.date_naive()),
                        met: "设备科负责人".into(),
                        outcome: "介绍了新一代产品，客户将于下月提出采购需求".into(),
                        next_step: "提供技术方案和报价".into(),
                        follow_up: None,
                    });
                    tx.update_visit(&v, planned, BY)?;
                }
            }
            Ok::<_, StoreError>(())
        })?;
    }
    Ok(())
}

/// A moment in `year`, different for each `i`, in working hours.
fn at(year: i32, i: usize) -> DateTime<Utc> {
    let start = Utc.with_ymd_and_hms(year, 1, 2, 1, 0, 0).single().expect("a date");
    let day = (i * 37 % 360) as i64;
    let minute = (i * 13 % 480) as i64;
    start + Duration::days(day) + Duration::minutes(minute)
}

fn subject(rng: &mut Rng, i: usize) -> String {
    const WHAT: &[&str] = &["配电房改造", "变电站扩建", "厂区供配电", "数据中心UPS", "光伏并网", "照明节能改造"];
    format!("{}项目设备采购（第{}批）", rng.pick(WHAT), i % 9 + 1)
}

fn content(rng: &mut Rng, products: &[(ProductId, ProductDraft, PriceVersionId)], n: usize) -> RevisionContent {
    let lines = (0..n)
        .map(|_| {
            let (id, d, version) = rng.pick(products);
            QuoteLine {
                product: Some(*id),
                price_version: Some(*version),
                code: d.code.clone(),
                name: d.name.clone(),
                model: d.model.clone(),
                unit: d.unit.clone(),
                quantity: Quantity::from_units(1 + rng.below(8) as u32),
                list_price: d.list_price,
                unit_price: d.list_price,
                discount: if rng.percent(30) { Discount::parse("5%").expect("a discount") } else { Discount::ZERO },
                tax_rate: d.tax_rate,
                floor_price: d.floor_price,
                ..QuoteLine::default()
            }
        })
        .collect();
    RevisionContent { lines, ..RevisionContent::default() }
}
