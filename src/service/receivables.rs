//! Receivables (应收账款), targets (销售目标) and the dashboard (看板) — the duties on 回款 and
//! targets: outstanding and overdue money per contract, salesperson and customer, aged by due
//! date; each salesperson's chase list (催款清单); cash waiting to be handed in (上交) with the
//! overdue ones flagged; the head's yearly and monthly targets; and the figures behind the
//! dashboard's charts, each exportable (audited).
//!
//! A salesperson sees their own contracts' figures; head, leader, assistant and admin see all.

use std::collections::BTreeMap;

use chrono::{Datelike, Local, NaiveDate};
use rust_decimal::Decimal;

use super::contracts::{ContractLedger, visible_ledgers};
use super::{Actor, ExportFormat, Service, ServiceError, audit, authorize, current_user};
use crate::domain::ids::{ContractId, UserId};
use crate::domain::inquiry::InquiryStatus;
use crate::domain::money::Money;
use crate::domain::quote::QuoteStatus;
use crate::domain::receivable::{AgingBucket, HandIn, Target, TargetDraft, aging, collection_rate, month_target};
use crate::domain::role::{Permission, Role};
use crate::domain::user::UserAccount;
use crate::io;
use crate::store::Tx;

/// Outstanding money of one salesperson or one customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivableRow {
    pub id: i64,
    pub name: String,
    pub contracts: usize,
    pub total: Money,
    pub received: Money,
    pub outstanding: Money,
    pub overdue: Money,
    /// In [`AgingBucket::ALL`] order.
    pub aging: [Money; 5],
}

/// One overdue installment to chase (催款).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChaseItem {
    pub contract: ContractId,
    pub number: String,
    pub customer: String,
    pub salesperson: UserId,
    pub salesperson_name: String,
    pub installment: String,
    pub due: NaiveDate,
    pub outstanding: Money,
    pub days_overdue: i64,
    /// Whom to call: the customer's primary contact and their phone (mobile first).
    pub contact: String,
    pub phone: String,
    /// The contract's last receipt (date, amount), if any.
    pub last_receipt: Option<(NaiveDate, Money)>,
}

/// Money collected in the field, not yet handed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandInItem {
    pub receipt: i64,
    pub version: i64,
    pub contract: ContractId,
    pub number: String,
    pub customer: String,
    pub collected_by: String,
    pub date: NaiveDate,
    pub amount: Money,
    pub status: HandIn,
}

/// The 应收账款 view.
#[derive(Debug, Clone)]
pub struct Receivables {
    pub today: NaiveDate,
    pub total: Money,
    /// Every receipt recorded on the contracts, cash not handed in yet included: the same 已收 as
    /// the dashboard's.
    pub received: Money,
    /// Of `received`, cash a salesperson collected that has not reached the company yet.
    pub cash_pending: Money,
    pub outstanding: Money,
    pub overdue: Money,
    pub aging: [Money; 5],
    pub by_salesperson: Vec<ReceivableRow>,
    pub by_customer: Vec<ReceivableRow>,
    /// Most days overdue first.
    pub chase: Vec<ChaseItem>,
    /// Overdue hand-ins first.
    pub hand_ins: Vec<HandInItem>,
    /// Of the 未到期 money, what waits for a shipment or an acceptance to start its clock.
    pub awaiting_delivery: Money,
    /// Signed contracts delivered in part: number, customer and `部分发货（已发 34%）`.
    pub partly_delivered: Vec<(String, String, String)>,
}

/// One month of the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MonthFigures {
    pub month: u32,
    /// Contracts signed in the month.
    pub contract_value: Money,
    pub sales_target: Money,
    /// Receipts dated in the month.
    pub collected: Money,
    pub collection_target: Money,
}

/// The charts of the dashboard, each exportable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DashboardChart {
    SalesVsTarget,
    Collection,
    WinRate,
    Funnel,
    Aging,
}

impl DashboardChart {
    pub const ALL: [DashboardChart; 5] =
        [Self::SalesVsTarget, Self::Collection, Self::WinRate, Self::Funnel, Self::Aging];
    pub fn title(self) -> &'static str {
        match self {
            Self::SalesVsTarget => "合同额与目标（按月）",
            Self::Collection => "回款率（已收 / 应收）",
            Self::WinRate => "报价中标率",
            Self::Funnel => "销售漏斗",
            Self::Aging => "应收账龄",
        }
    }
    /// The file name stem of its export.
    pub fn file_stem(self) -> &'static str {
        match self {
            Self::SalesVsTarget => "合同额与目标",
            Self::Collection => "回款率",
            Self::WinRate => "中标率",
            Self::Funnel => "销售漏斗",
            Self::Aging => "应收账龄",
        }
    }
}

/// The dashboard's figures for a year, for everyone the reader may see or one salesperson.
#[derive(Debug, Clone)]
pub struct Dashboard {
    pub year: i32,
    pub today: NaiveDate,
    /// The salesperson shown, None = everyone the reader may see.
    pub salesperson: Option<(UserId, String)>,
    pub months: Vec<MonthFigures>,
    /// Due by today on the contracts in scope, and what of it was paid.
    pub due: Money,
    pub collected_of_due: Money,
    /// Every receipt on the contracts in scope (the 应收账款 page's 已收), and the cash in it not
    /// handed in yet.
    pub received: Money,
    pub cash_pending: Money,
    pub collection_rate: Option<Decimal>,
    pub won: usize,
    pub lost: usize,
    pub expired: usize,
    pub win_rate: Option<Decimal>,
    /// 询价/招标 → 决定参与 → 已报价 → 中标/成交
    pub funnel: [(&'static str, usize); 4],
    pub aging: [Money; 5],
}

impl Dashboard {
    /// The numbers behind one chart, as a table.
    pub fn table(&self, chart: DashboardChart) -> (Vec<&'static str>, Vec<Vec<String>>) {
        let m = |v: Money| v.to_plain_string();
        let pct = |v: Option<Decimal>| v.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into());
        match chart {
            DashboardChart::SalesVsTarget => (
                vec!["月份", "合同额", "目标", "完成率"],
                self.months
                    .iter()
                    .map(|f| {
                        vec![
                            format!("{}-{:02}", self.year, f.month),
                            m(f.contract_value),
                            m(f.sales_target),
                            pct(collection_rate(f.contract_value, f.sales_target)),
                        ]
                    })
                    .collect(),
            ),
            DashboardChart::Collection => {
                let mut rows: Vec<Vec<String>> = self
                    .months
                    .iter()
                    .map(|f| {
                        vec![
                            format!("{}-{:02}", self.year, f.month),
                            m(f.collected),
                            m(f.collection_target),
                            pct(collection_rate(f.collected, f.collection_target)),
                        ]
                    })
                    .collect();
                rows.push(vec![
                    format!("截至 {} 应收", self.today),
                    m(self.collected_of_due),
                    m(self.due),
                    pct(self.collection_rate),
                ]);
                (vec!["月份", "回款", "回款目标 / 应收", "完成率 / 回款率"], rows)
            }
            DashboardChart::WinRate => (
                vec!["结果", "数量"],
                vec![
                    vec!["中标/成交".into(), self.won.to_string()],
                    vec!["未成交".into(), self.lost.to_string()],
                    vec!["已过期".into(), self.expired.to_string()],
                    vec!["中标率".into(), pct(self.win_rate)],
                ],
            ),
            DashboardChart::Funnel => {
                (vec!["阶段", "数量"], self.funnel.iter().map(|(k, n)| vec![k.to_string(), n.to_string()]).collect())
            }
            DashboardChart::Aging => (
                vec!["账龄", "应收余额"],
                AgingBucket::ALL.iter().zip(self.aging).map(|(b, v)| vec![b.label().to_string(), m(v)]).collect(),
            ),
        }
    }
}

fn add_row(rows: &mut BTreeMap<i64, ReceivableRow>, id: i64, name: &str, l: &ContractLedger, today: NaiveDate) {
    let row = rows.entry(id).or_insert_with(|| ReceivableRow {
        id,
        name: name.to_string(),
        contracts: 0,
        total: Money::ZERO,
        received: Money::ZERO,
        outstanding: Money::ZERO,
        overdue: Money::ZERO,
        aging: [Money::ZERO; 5],
    });
    row.contracts += 1;
    row.total += l.contract.total;
    row.received += l.received;
    row.outstanding += l.outstanding;
    row.overdue += l.overdue;
    for (a, b) in row.aging.iter_mut().zip(aging(&l.installments, today)) {
        *a += b;
    }
}

fn sorted(rows: BTreeMap<i64, ReceivableRow>) -> Vec<ReceivableRow> {
    let mut v: Vec<ReceivableRow> = rows.into_values().collect();
    v.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(b.outstanding.cmp(&a.outstanding)).then(a.name.cmp(&b.name)));
    v
}

/// Whether this reader sees everyone's figures (else only their own).
fn sees_all(user: &UserAccount) -> bool {
    user.roles.allows(Permission::ViewAllCustomers)
}

fn scope(user: &UserAccount, wanted: Option<UserId>) -> Result<Option<UserId>, ServiceError> {
    if sees_all(user) {
        Ok(wanted)
    } else if wanted.is_none_or(|w| w == user.id) {
        Ok(Some(user.id))
    } else {
        Err(ServiceError::Denied("您只能查看自己的应收和业绩"))
    }
}

fn dashboard(
    tx: &Tx<'_>,
    user: &UserAccount,
    year: i32,
    who: Option<UserId>,
    today: NaiveDate,
) -> Result<Dashboard, ServiceError> {
    let ledgers: Vec<ContractLedger> = visible_ledgers(tx, user, today)?
        .into_iter()
        .filter(|l| who.is_none_or(|w| l.contract.salesperson == w))
        .collect();
    let targets: Vec<Target> =
        tx.targets(year)?.into_iter().filter(|t| who.is_none_or(|w| t.draft.salesperson == w)).collect();
    let people: Vec<UserId> = {
        let mut p: Vec<UserId> = targets.iter().map(|t| t.draft.salesperson).collect();
        p.dedup();
        p
    };
    let mut months: Vec<MonthFigures> = (1..=12).map(|month| MonthFigures { month, ..Default::default() }).collect();
    for f in &mut months {
        for p in &people {
            let mine: Vec<Target> = targets.iter().filter(|t| t.draft.salesperson == *p).cloned().collect();
            f.sales_target += month_target(&mine, year, f.month, |d| d.sales);
            f.collection_target += month_target(&mine, year, f.month, |d| d.collection);
        }
    }
    let (mut due, mut paid) = (Money::ZERO, Money::ZERO);
    let (mut received, mut cash_pending) = (Money::ZERO, Money::ZERO);
    let mut aged = [Money::ZERO; 5];
    for l in &ledgers {
        received += l.received;
        cash_pending += l.receipts.iter().filter(|r| r.hand_in(today).waiting()).map(|r| r.amount).sum();
        if let Some(d) = l.contract.signed_on.filter(|d| d.year() == year) {
            months[d.month0() as usize].contract_value += l.contract.total;
        }
        for r in l.receipts.iter().filter(|r| r.date.year() == year) {
            months[r.date.month0() as usize].collected += r.amount;
        }
        let (d, p) = l.due_and_paid(today);
        due += d;
        paid += p;
        for (a, b) in aged.iter_mut().zip(aging(&l.installments, today)) {
            *a += b;
        }
    }
    let in_scope = |author: UserId, owner: Option<UserId>| match who {
        Some(w) => author == w || owner == Some(w),
        None => true,
    };
    let see_quote =
        |author: UserId, owner: Option<UserId>| sees_all(user) || author == user.id || owner == Some(user.id);
    let quotes: Vec<_> = tx
        .quotes()?
        .into_iter()
        .filter(|q| see_quote(q.author, q.customer_owner) && in_scope(q.author, q.customer_owner))
        .filter(|q| q.created_at.with_timezone(&Local).year() == year)
        .collect();
    let count = |s: QuoteStatus| quotes.iter().filter(|q| q.status == s).count();
    let (won, lost, expired) = (count(QuoteStatus::Won), count(QuoteStatus::Lost), count(QuoteStatus::Expired));
    let decided = won + lost + expired;
    let win_rate = (decided > 0).then(|| {
        (Decimal::from(won as u64) * Decimal::from(100) / Decimal::from(decided as u64))
            .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    });
    let inquiries: Vec<_> = tx
        .inquiry_summaries()?
        .into_iter()
        .filter(|i| see_quote(i.registered_by, i.customer_owner) && in_scope(i.registered_by, i.customer_owner))
        .filter(|i| i.registered_at.with_timezone(&Local).year() == year)
        .collect();
    let go = inquiries.iter().filter(|i| i.status == InquiryStatus::Go).count();
    let quoted: Vec<_> =
        quotes.iter().filter(|q| q.inquiry.is_some_and(|i| inquiries.iter().any(|x| x.id == i))).collect();
    let quoted_won = quoted.iter().filter(|q| q.status == QuoteStatus::Won).count();
    let name = match who {
        Some(w) => Some((w, tx.user(w)?.display_name)),
        None => None,
    };
    Ok(Dashboard {
        year,
        today,
        salesperson: name,
        months,
        due,
        collected_of_due: paid,
        received,
        cash_pending,
        collection_rate: collection_rate(paid, due),
        won,
        lost,
        expired,
        win_rate,
        funnel: [("询价/招标", inquiries.len()), ("决定参与", go), ("已报价", quoted.len()), ("中标/成交", quoted_won)],
        aging: aged,
    })
}

impl Service {
    /// Outstanding, overdue and aged money of the contracts the actor may see; the chase list
    /// and the cash waiting to be handed in.
    pub fn receivables(&mut self, actor: &Actor) -> Result<Receivables, ServiceError> {
        let today = self.today();
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let ledgers = visible_ledgers(tx, &user, today)?;
            let mut by_salesperson = BTreeMap::new();
            let mut by_customer = BTreeMap::new();
            let mut chase = Vec::new();
            let mut hand_ins = Vec::new();
            let mut all = [Money::ZERO; 5];
            let (mut total, mut received, mut outstanding, mut overdue) =
                (Money::ZERO, Money::ZERO, Money::ZERO, Money::ZERO);
            let (mut awaiting_delivery, mut partly_delivered) = (Money::ZERO, Vec::new());
            for l in &ledgers {
                let c = &l.contract;
                if c.signed_on.is_some() {
                    awaiting_delivery += l
                        .installments
                        .iter()
                        .filter(|i| i.due.is_none())
                        .filter(|i| c.content.schedule.get(i.installment).is_some_and(|s| s.trigger.delivery_linked()))
                        .map(|i| i.outstanding)
                        .sum();
                    if l.progress.partial() {
                        partly_delivered.push((c.number.to_string(), c.customer_name.clone(), l.progress.label()));
                    }
                }
                add_row(&mut by_salesperson, c.salesperson.0, &c.salesperson_name, l, today);
                add_row(&mut by_customer, c.customer.0, &c.customer_name, l, today);
                total += c.total;
                received += l.received;
                outstanding += l.outstanding;
                overdue += l.overdue;
                for (a, b) in all.iter_mut().zip(aging(&l.installments, today)) {
                    *a += b;
                }
                let overdue_here: Vec<_> = l.installments.iter().filter(|i| i.overdue()).collect();
                let (contact, phone) = if overdue_here.is_empty() {
                    (String::new(), String::new())
                } else {
                    let customer = tx.customer(c.customer)?.draft;
                    let k = customer.contacts.iter().find(|k| k.primary).or(customer.contacts.first());
                    (
                        k.map(|k| k.name.clone()).unwrap_or_default(),
                        k.map(|k| if k.mobile.is_empty() { k.phone.clone() } else { k.mobile.clone() })
                            .unwrap_or_default(),
                    )
                };
                let last_receipt = l.receipts.iter().max_by_key(|r| (r.date, r.id)).map(|r| (r.date, r.amount));
                for i in overdue_here {
                    chase.push(ChaseItem {
                        contact: contact.clone(),
                        phone: phone.clone(),
                        last_receipt,
                        contract: c.id,
                        number: c.number.to_string(),
                        customer: c.customer_name.clone(),
                        salesperson: c.salesperson,
                        salesperson_name: c.salesperson_name.clone(),
                        installment: i.label.clone(),
                        due: i.due.unwrap_or(today),
                        outstanding: i.outstanding,
                        days_overdue: i.days_overdue,
                    });
                }
                for r in &l.receipts {
                    let status = r.hand_in(today);
                    if status.waiting() {
                        hand_ins.push(HandInItem {
                            receipt: r.id,
                            version: r.version,
                            contract: c.id,
                            number: c.number.to_string(),
                            customer: c.customer_name.clone(),
                            collected_by: r.by_name.clone(),
                            date: r.date,
                            amount: r.amount,
                            status,
                        });
                    }
                }
            }
            chase.sort_by(|a, b| b.days_overdue.cmp(&a.days_overdue).then(b.outstanding.cmp(&a.outstanding)));
            let cash_pending = hand_ins.iter().map(|h| h.amount).sum();
            hand_ins.sort_by_key(|h| (!matches!(h.status, HandIn::Overdue { .. }), h.date));
            Ok(Receivables {
                today,
                total,
                received,
                cash_pending,
                outstanding,
                overdue,
                aging: all,
                by_salesperson: sorted(by_salesperson),
                by_customer: sorted(by_customer),
                chase,
                hand_ins,
                awaiting_delivery,
                partly_delivered,
            })
        })
    }

    /// The targets of `year`: all of them for head, leader, assistant and admin; a salesperson's
    /// own otherwise.
    pub fn targets(&mut self, actor: &Actor, year: i32) -> Result<Vec<Target>, ServiceError> {
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let all = sees_all(&user);
            Ok(tx.targets(year)?.into_iter().filter(|t| all || t.draft.salesperson == user.id).collect())
        })
    }

    /// Sets a salesperson's yearly (month None) or monthly sales and collection target (the
    /// head). `version` None creates it, else updates the target read at that version.
    pub fn set_target(
        &mut self,
        actor: &Actor,
        draft: TargetDraft,
        version: Option<i64>,
    ) -> Result<Vec<Target>, ServiceError> {
        let now = self.now();
        self.store.write_as(actor.login(), |tx| {
            authorize(tx, actor, Permission::SetTargets)?;
            let problems = draft.problems();
            if !problems.is_empty() {
                return Err(ServiceError::Invalid(problems));
            }
            let person = tx.user(draft.salesperson)?;
            if !person.active || !person.roles.contains(Role::Sales) {
                return Err(ServiceError::invalid("salesperson", format!("{} 不是在职销售员", person.display_name)));
            }
            let before = tx
                .targets(draft.year)?
                .into_iter()
                .find(|t| t.draft.salesperson == draft.salesperson && t.draft.month == draft.month);
            tx.put_target(&draft, version, now, &actor.audit_name())?;
            let id = format!("{} {}", person.display_name, draft.period());
            audit(
                tx,
                &actor.audit_name(),
                now,
                "target.set",
                "target",
                id,
                before.map(|t| t.draft).as_ref(),
                Some(&draft),
            )?;
            Ok(tx.targets(draft.year)?)
        })
    }

    /// The dashboard of `year` for everyone the actor may see, or one salesperson.
    pub fn dashboard(
        &mut self,
        actor: &Actor,
        year: i32,
        salesperson: Option<UserId>,
    ) -> Result<Dashboard, ServiceError> {
        let today = self.today();
        self.store.read_as(actor.login(), |tx| {
            let user = current_user(tx, actor)?;
            let who = scope(&user, salesperson)?;
            dashboard(tx, &user, year, who, today)
        })
    }

    /// The 催款清单 as a PDF to print: one page (or more) per salesperson, everyone's the reader
    /// may see or one salesperson's, each signed for by the salesperson.
    pub fn print_chase_list(&mut self, actor: &Actor, salesperson: Option<UserId>) -> Result<Vec<u8>, ServiceError> {
        let r = self.receivables(actor)?;
        let printed_at = self.now();
        let (company, logo) = self.store.read_as(actor.login(), |tx| {
            current_user(tx, actor)?;
            super::documents::letterhead_of(tx)
        })?;
        let mut people: Vec<(String, Vec<crate::docs::chase_list::ChaseRow>)> = Vec::new();
        for c in r.chase.iter().filter(|c| salesperson.is_none_or(|s| s == c.salesperson)) {
            let row = crate::docs::chase_list::ChaseRow {
                number: c.number.clone(),
                customer: c.customer.clone(),
                contact: c.contact.clone(),
                phone: c.phone.clone(),
                installment: c.installment.clone(),
                due: c.due,
                outstanding: c.outstanding,
                days_overdue: c.days_overdue,
                last_receipt: c.last_receipt,
            };
            match people.iter_mut().find(|(n, _)| *n == c.salesperson_name) {
                Some((_, rows)) => rows.push(row),
                None => people.push((c.salesperson_name.clone(), vec![row])),
            }
        }
        let doc = crate::docs::chase_list::ChaseListDoc { company, logo, people, printed_at };
        Ok(crate::docs::chase_list::render(super::documents::fonts()?, &doc)?)
    }

    /// The 催款清单 (everyone's the reader may see, or one salesperson's) as CSV or xlsx: whom to
    /// call, what is overdue by how long, and the last money that came in. Audited.
    pub fn export_chase_list(
        &mut self,
        actor: &Actor,
        salesperson: Option<UserId>,
        format: ExportFormat,
    ) -> Result<Vec<u8>, ServiceError> {
        let r = self.receivables(actor)?;
        let headers = [
            "合同号",
            "客户",
            "联系人",
            "电话",
            "销售员",
            "付款节点",
            "到期日",
            "未收(元)",
            "逾期天数",
            "最近回款日",
            "最近回款(元)",
        ];
        let rows: Vec<Vec<String>> = r
            .chase
            .iter()
            .filter(|c| salesperson.is_none_or(|s| s == c.salesperson))
            .map(|c| {
                vec![
                    c.number.clone(),
                    c.customer.clone(),
                    c.contact.clone(),
                    c.phone.clone(),
                    c.salesperson_name.clone(),
                    c.installment.clone(),
                    c.due.to_string(),
                    c.outstanding.to_plain_string(),
                    c.days_overdue.to_string(),
                    c.last_receipt.map(|(d, _)| d.to_string()).unwrap_or_default(),
                    c.last_receipt.map(|(_, a)| a.to_plain_string()).unwrap_or_default(),
                ]
            })
            .collect();
        let bytes = match format {
            ExportFormat::Csv => io::csv_bytes(&headers, &rows),
            ExportFormat::Xlsx => io::xlsx_bytes("催款清单", &headers, &rows)
                .map_err(|e| ServiceError::rule("export.xlsx_failed", e.to_string()))?,
        };
        let now = self.now();
        let detail = serde_json::json!({ "rows": rows.len(), "salesperson": salesperson.map(|s| s.0) });
        self.store.write_as(actor.login(), |tx| {
            audit::<(), _>(tx, &actor.audit_name(), now, "export.chase_list", "contract", "", None, Some(&detail))
        })?;
        Ok(bytes)
    }

    /// The numbers of one chart as CSV or xlsx bytes. Audited.
    pub fn export_dashboard(
        &mut self,
        actor: &Actor,
        year: i32,
        salesperson: Option<UserId>,
        chart: DashboardChart,
        format: ExportFormat,
    ) -> Result<Vec<u8>, ServiceError> {
        let d = self.dashboard(actor, year, salesperson)?;
        let (headers, rows) = d.table(chart);
        let bytes = match format {
            ExportFormat::Csv => io::csv_bytes(&headers, &rows),
            ExportFormat::Xlsx => io::xlsx_bytes(chart.file_stem(), &headers, &rows)
                .map_err(|e| ServiceError::rule("export.xlsx_failed", e.to_string()))?,
        };
        let now = self.now();
        let detail = serde_json::json!({
            "chart": chart.title(), "year": year, "salesperson": d.salesperson.map(|s| s.1), "rows": rows.len(),
        });
        self.store.write_as(actor.login(), |tx| {
            audit::<(), _>(tx, &actor.audit_name(), now, "export.dashboard", "dashboard", year, None, Some(&detail))
        })?;
        Ok(bytes)
    }
}
