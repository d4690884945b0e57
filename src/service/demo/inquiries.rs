//! The demo office's inquiries and tenders: in every state (待负责人决定, 待领导决定, 参与, 不参与),
//! some major, tenders with deadlines ahead and behind and with clauses to answer. Deterministic
//! for a given day: everything is placed relative to "now".

use chrono::{DateTime, Duration, Utc};

use super::data::Rng;
use crate::domain::customer::Customer;
use crate::domain::ids::UserId;
use crate::domain::inquiry::{
    ClauseKind, Decision, DecisionStep, InquiryDraft, InquiryKind, InquiryLine, InquirySource, TenderClause,
    TenderInfo, status_of,
};
use crate::domain::money::{Money, Quantity};
use crate::domain::product::Product;

/// One demo inquiry: what was registered, by whom, when, and the decisions it got.
pub struct DemoInquiry {
    pub draft: InquiryDraft,
    pub registrant: UserId,
    pub registered_at: DateTime<Utc>,
    pub decisions: Vec<Decision>,
}

/// The people who register and decide (looked up by login by the caller).
pub struct Cast {
    /// (salesperson, their customers)
    pub sales: Vec<(UserId, Vec<Customer>)>,
    pub assistants: Vec<UserId>,
    /// (id, display name)
    pub heads: Vec<(UserId, String)>,
    pub leaders: Vec<(UserId, String)>,
}

const CLAUSES: &[(&str, &str, ClauseKind)] = &[
    ("2.1", "变压器能效等级不低于GB 20052-2024规定的二级能效", ClauseKind::Technical),
    ("2.3", "绝缘等级F级，温升限值100K", ClauseKind::Technical),
    ("2.5", "局部放电量不大于10pC", ClauseKind::Technical),
    ("3.1", "开关柜防护等级不低于IP4X，具备完善的五防联锁", ClauseKind::Technical),
    ("3.4", "断路器额定短路开断电流不小于31.5kA", ClauseKind::Technical),
    ("4.2", "电缆导体采用无氧铜，符合GB/T 12706", ClauseKind::Technical),
    ("5.1", "投标人须提供近三年同类产品供货业绩不少于5项", ClauseKind::Commercial),
    ("5.3", "交货期：合同签订后60日内交货至项目现场", ClauseKind::Commercial),
    ("★5.4", "质保期：设备验收合格之日起不少于24个月", ClauseKind::Commercial),
    ("5.6", "付款方式：到货验收合格后付90%，质保期满付10%", ClauseKind::Commercial),
    ("5.8", "投标有效期90日历天", ClauseKind::Commercial),
    ("6.1", "提供驻场安装指导和不少于2天的操作培训", ClauseKind::Commercial),
];

const INQUIRY_SUBJECTS: &[&str] = &[
    "配电房改造设备询价",
    "厂区变电所扩容询价",
    "10kV线路改造电缆询价",
    "新建厂房低压配电询价",
    "箱变及环网柜比价",
    "老旧开关柜更换询价",
    "光伏并网配套设备询价",
    "数据中心配电设备比价",
];

const PROJECTS: &[&str] = &[
    "110kV变电站新建工程10kV开关柜采购",
    "园区配电网改造工程设备采购",
    "地铁线路降压变电所设备采购",
    "污水处理厂提标改造电气设备采购",
    "产业园区箱式变电站采购",
    "医院新院区变配电工程设备采购",
];

fn lines(rng: &mut Rng, products: &[Product]) -> (Vec<InquiryLine>, Money) {
    let mut out = Vec::new();
    let mut estimate = Money::ZERO;
    for _ in 0..rng.range(1, 3) {
        let p = rng.pick(products);
        let qty = if p.draft.unit == "米" {
            rng.range(100, 1500) as u32
        } else if p.draft.list_price >= Money::from_fen(5_000_000) {
            rng.range(1, 2) as u32
        } else {
            rng.range(1, 6) as u32
        };
        out.push(line_of(p, qty, &mut estimate));
    }
    (out, estimate)
}

/// Decisions that bring an inquiry to `outcome`: 0 pending head, 1 go, 2 no-go, 3 pending leader.
fn decisions(
    rng: &mut Rng,
    cast: &Cast,
    major: bool,
    outcome: usize,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Vec<Decision> {
    let head = rng.pick(&cast.heads).clone();
    let leader = rng.pick(&cast.leaders).clone();
    let mut d = Vec::new();
    let decide = |step, (by, name): (UserId, String), go, comment: &str, hours| Decision {
        step,
        by,
        by_name: name,
        at: (at + Duration::hours(hours)).min(now),
        go,
        comment: comment.into(),
    };
    match outcome {
        1 => {
            d.push(decide(DecisionStep::Head, head, true, "同意参与，尽快出价。", 3));
            if major {
                d.push(decide(DecisionStep::Leader, leader, true, "重大项目，同意参与，注意付款条件。", 20));
            }
        }
        2 => d.push(decide(DecisionStep::Head, head, false, "交期和价格都无法满足，放弃。", 5)),
        3 if major => d.push(decide(DecisionStep::Head, head, true, "建议参与，请公司领导决定。", 4)),
        _ => {}
    }
    d
}

/// What a distribution project's tender asks for: outgoing switchgear panels, a dry-type
/// transformer or two, 10 kV cable and the arresters — (model prefix, quantity range) each, so a
/// bid comes to the hundreds of thousands a real one does.
const TENDER_PACKAGE: &[(&str, u64, u64)] =
    &[("KYN28A-12", 3, 7), ("SCB13-", 1, 2), ("YJV22-8.7/15kV", 200, 700), ("HY5WS-17", 6, 12)];

fn tender_lines(rng: &mut Rng, products: &[Product]) -> (Vec<InquiryLine>, Money) {
    let mut out = Vec::new();
    let mut estimate = Money::ZERO;
    for &(prefix, low, high) in TENDER_PACKAGE {
        let fits: Vec<&Product> = products
            .iter()
            .filter(|p| p.draft.model.starts_with(prefix) && p.draft.list_price >= Money::from_fen(10_000))
            .collect();
        if fits.is_empty() {
            continue;
        }
        let p = *rng.pick(&fits);
        let line = line_of(p, rng.range(low, high) as u32, &mut estimate);
        out.push(line);
    }
    (out, estimate)
}

/// `qty` of product `p` as an inquiry line, its list value added to `estimate`.
fn line_of(p: &Product, qty: u32, estimate: &mut Money) -> InquiryLine {
    let q = Quantity::from_units(qty);
    *estimate += Money::from_decimal(q.as_decimal() * p.draft.list_price.as_decimal());
    InquiryLine {
        product: Some(p.id),
        description: p.draft.name.clone(),
        model: p.draft.model.clone(),
        quantity: Some(q),
        unit: p.draft.unit.clone(),
        note: String::new(),
    }
}

/// 24 inquiries and 12 tenders over the last weeks, and tenders due in the weeks ahead.
pub fn demo_inquiries(cast: &Cast, products: &[Product], now: DateTime<Utc>) -> Vec<DemoInquiry> {
    let mut rng = Rng::new(0x1A0_2026_0004);
    let products: Vec<Product> = products.iter().filter(|p| p.draft.active).cloned().collect();
    let mut out = Vec::new();
    for i in 0..36 {
        let tender = i % 3 == 2;
        let (sales, customers) = &cast.sales[i % cast.sales.len()];
        let Some(customer) = customers.get(i / cast.sales.len() % customers.len().max(1)) else { continue };
        let phone = !tender && i % 4 == 0 && !cast.assistants.is_empty();
        let registrant = if phone { *rng.pick(&cast.assistants) } else { *sales };
        let (lines, estimate) = lines(&mut rng, &products);
        // A tender's package is drawn from its own generator, so the rest of the demo (who owns
        // which customer, every later draw) stays as it was before tenders got believable lines.
        let (lines, estimate) =
            if tender { tender_lines(&mut Rng::new(0x7E4D_E500 + i as u64), &products) } else { (lines, estimate) };
        let days_ago = if tender { rng.range(0, 20) as i64 } else { rng.range(0, 40) as i64 };
        let mut registered_at = now - Duration::days(days_ago) - Duration::hours(rng.range(0, 8) as i64);
        let contact = customer.draft.contacts.iter().find(|c| c.primary).and_then(|c| c.id);
        let mut draft = InquiryDraft {
            kind: if tender { InquiryKind::Tender } else { InquiryKind::Inquiry },
            customer: Some(customer.id),
            contact,
            source: if tender {
                InquirySource::TenderNotice
            } else if phone {
                InquirySource::Phone
            } else {
                *rng.pick(&[InquirySource::Visit, InquirySource::Email, InquirySource::Phone])
            },
            subject: if tender { String::new() } else { rng.pick(INQUIRY_SUBJECTS).to_string() },
            lines,
            estimate: Some(estimate),
            wanted_by: Some((registered_at + Duration::days(rng.range(7, 30) as i64)).date_naive()),
            flagged_major: i % 11 == 5,
            notes: String::new(),
            tender: TenderInfo::default(),
        };
        if tender {
            let project = format!("{}{}", customer.draft.city, rng.pick(PROJECTS));
            draft.subject = project.clone();
            // Some already closed (decided), the rest due in 2 to 25 days.
            let deadline =
                if i % 9 == 2 { now - Duration::days(3) } else { now + Duration::days(rng.range(2, 25) as i64) };
            let deadline = deadline.date_naive().and_hms_opt(1, 30, 0).map(|t| t.and_utc()).unwrap_or(deadline);
            if deadline <= now {
                // A closed tender was registered well before its deadline.
                registered_at = deadline - Duration::days(rng.range(10, 20) as i64);
            }
            let first = rng.below(4);
            draft.tender = TenderInfo {
                tender_no: format!("ZB{}-{:04}", now.format("%Y"), 100 + i * 7),
                purchaser: customer.draft.name.clone(),
                project,
                lot: format!("第{}标段", rng.range(1, 3)),
                deadline: Some(deadline),
                opening: Some(deadline),
                // About 2% of the estimate, in whole thousands, at least ¥5,000.
                bond: Some(Money::from_fen((estimate.fen().unwrap_or(0) / 50 / 100_000).max(5) * 100_000)),
                bond_paid: i % 2 == 0,
                bond_returned: false,
                // Seven of the clauses, and always the ★ warranty and the bid validity every
                // tender states; in the tender's order.
                clauses: CLAUSES
                    .iter()
                    .enumerate()
                    .filter(|(k, (no, _, _))| (first..first + 7).contains(k) || ["★5.4", "5.8"].contains(no))
                    // As pasted from the tender: ★ and the typed requirements suggested, confirmed.
                    .map(|(_, (no, req, kind))| TenderClause::suggested(no, req, *kind))
                    .collect(),
            };
        }
        let major = draft.flagged_major || estimate >= Money::from_fen(50_000_000);
        let past_deadline = draft.tender.deadline.is_some_and(|d| d <= now);
        let outcome = if past_deadline { 1 + i % 2 } else { [0, 1, 1, 2, 3, 1, 0][i % 7] };
        let decisions = decisions(&mut rng, cast, major, outcome, registered_at, now);
        debug_assert!(status_of(major, &decisions) != crate::domain::inquiry::InquiryStatus::Go || outcome == 1);
        out.push(DemoInquiry { draft, registrant, registered_at, decisions });
    }
    // Numbers follow the order of registration.
    out.sort_by_key(|i| i.registered_at);
    out
}
