//! What a revision changes against the last issued one (`RevisionChange`, DESIGN §3; procedure
//! (3) C: 与原报价或投标文件发生偏离的任何技术和商务条款需经销售部负责人或公司领导再次确认).
//!
//! The changes are computed, never typed: [`changes_between`] compares the content the customer
//! received (the last issued revision) with a later revision, field by field — a line added or
//! removed; a line's code, name, model, each technical parameter, unit, quantity, unit price,
//! discount, tax rate and note; each commercial term; the notes; a bid's clause responses, their
//! deviations and its qualification certificates. Each change is technical (型号、参数、偏离……) or commercial (价格、数量、
//! 条款……) and carries its before and after as the approver reads them.
//!
//! Lines are paired by product (else by code, else by their order among the lines that have
//! neither), parameters by name, clauses by clause number, so reordering is never a change.
//! What the customer never sees — the price-table version, list and floor prices, a price
//! exception's reason — is not a change to confirm.
//!
//! Every change has a stable `key` (the same two contents always give the same keys): an
//! approver's confirmation names the key it confirms.

use std::collections::HashMap;
use std::fmt::Display;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::domain::ids::CertificateId;
use crate::domain::inquiry::ClauseKind;
use crate::domain::money::effective_unit_price;
use crate::domain::policy::CommercialTerms;
use crate::domain::product::TechParam;
use crate::domain::quote::{ClauseResponse, QuoteLine, RevisionContent};

/// Technical (型号、参数、技术偏离) or commercial (价格、数量、条款).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ChangeKind {
    Technical,
    Commercial,
}

impl ChangeKind {
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::Technical => "技术",
            ChangeKind::Commercial => "商务",
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            ChangeKind::Technical => "technical",
            ChangeKind::Commercial => "commercial",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        [ChangeKind::Technical, ChangeKind::Commercial].into_iter().find(|k| k.code() == s)
    }
}

impl From<ClauseKind> for ChangeKind {
    fn from(k: ClauseKind) -> Self {
        match k {
            ClauseKind::Technical => ChangeKind::Technical,
            ClauseKind::Commercial => ChangeKind::Commercial,
        }
    }
}

/// Which field changed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ChangeField {
    LineAdded,
    LineRemoved,
    Code,
    Name,
    Model,
    /// One technical parameter, by name.
    Param(String),
    Unit,
    Quantity,
    UnitPrice,
    Discount,
    TaxRate,
    LineNote,
    Validity,
    Delivery,
    Prepayment,
    PaymentSchedule,
    Warranty,
    DeliveryPlace,
    OtherTerms,
    Notes,
    ClauseAdded,
    ClauseRemoved,
    Requirement,
    Response,
    Deviation,
    ClauseNote,
    /// A qualification certificate (资质证书) attached to a bid, or taken off it.
    CertificateAdded,
    CertificateRemoved,
}

impl ChangeField {
    /// As the change table names it.
    pub fn label(&self) -> String {
        let s = match self {
            Self::LineAdded => "新增产品",
            Self::LineRemoved => "删除产品",
            Self::Code => "产品编码",
            Self::Name => "产品名称",
            Self::Model => "型号规格",
            Self::Param(k) => return format!("技术参数“{k}”"),
            Self::Unit => "单位",
            Self::Quantity => "数量",
            Self::UnitPrice => "单价",
            Self::Discount => "优惠",
            Self::TaxRate => "税率",
            Self::LineNote => "备注",
            Self::Validity => "报价有效期",
            Self::Delivery => "交货期",
            Self::Prepayment => "预付款比例",
            Self::PaymentSchedule => "付款方式",
            Self::Warranty => "质保期",
            Self::DeliveryPlace => "交货地点",
            Self::OtherTerms => "其他条款",
            Self::Notes => "说明",
            Self::ClauseAdded => "新增条款应答",
            Self::ClauseRemoved => "删除条款应答",
            Self::Requirement => "招标要求",
            Self::Response => "应答",
            Self::Deviation => "偏离",
            Self::ClauseNote => "应答备注",
            Self::CertificateAdded => "新增资质证书",
            Self::CertificateRemoved => "撤下资质证书",
        };
        s.to_string()
    }

    /// The part of the key after the item: `unit_price`, `param:额定容量#0` …
    fn key_part(&self) -> String {
        let s = match self {
            Self::LineAdded => "added",
            Self::LineRemoved => "removed",
            Self::Code => "code",
            Self::Name => "name",
            Self::Model => "model",
            Self::Param(k) => return format!("param:{k}"),
            Self::Unit => "unit",
            Self::Quantity => "quantity",
            Self::UnitPrice => "unit_price",
            Self::Discount => "discount",
            Self::TaxRate => "tax_rate",
            Self::LineNote => "note",
            Self::Validity => "validity_days",
            Self::Delivery => "delivery_days",
            Self::Prepayment => "prepayment_pct",
            Self::PaymentSchedule => "payment_schedule",
            Self::Warranty => "warranty_months",
            Self::DeliveryPlace => "delivery_place",
            Self::OtherTerms => "other",
            Self::Notes => "notes",
            Self::ClauseAdded => "added",
            Self::ClauseRemoved => "removed",
            Self::Requirement => "requirement",
            Self::Response => "response",
            Self::Deviation => "deviation",
            Self::ClauseNote => "note",
            Self::CertificateAdded => "added",
            Self::CertificateRemoved => "removed",
        };
        s.to_string()
    }
}

/// One change of a revision against the last issued one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionChange {
    /// Stable for the same two contents: `line:p12#0:unit_price`, `terms:delivery_days`,
    /// `clause:3.1#0:deviation`.
    pub key: String,
    pub kind: ChangeKind,
    pub field: ChangeField,
    /// What it concerns: `第2行 干式变压器`, `商务条款`, `条款 3.1`.
    pub subject: String,
    /// As issued (`—` for something added).
    pub before: String,
    /// As revised (`—` for something removed).
    pub after: String,
}

impl RevisionChange {
    /// `单价 ¥186,000.00 → ¥176,700.00` (for audit lines and toasts).
    pub fn sentence(&self) -> String {
        format!("{} {}：{} → {}", self.subject, self.field.label(), self.before, self.after)
    }
}

/// The changes of one revision against the last issued one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeSet {
    pub changes: Vec<RevisionChange>,
    /// The largest move of any line's unit price after discount, in percent (2 places, half away
    /// from zero), over the lines both contents have: what the policy compares with its limit.
    pub max_price_move_pct: Decimal,
}

impl ChangeSet {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
    pub fn count(&self, kind: ChangeKind) -> usize {
        self.changes.iter().filter(|c| c.kind == kind).count()
    }
}

/// Shown for a value that is not there (a line added, a parameter removed …).
pub const ABSENT: &str = "—";

fn text(s: &str) -> String {
    if s.trim().is_empty() { "（空）".into() } else { s.trim().to_string() }
}

/// How a line is recognised across revisions: its product, else its code, else nothing (then
/// its order among such lines).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum LineKey {
    Product(i64),
    Code(String),
    Typed,
}

fn line_key(l: &QuoteLine) -> LineKey {
    match (l.product, l.code.trim()) {
        (Some(p), _) => LineKey::Product(p.0),
        (None, c) if !c.is_empty() => LineKey::Code(c.to_string()),
        _ => LineKey::Typed,
    }
}

/// Each item's key with its occurrence among items of the same key (`p12#0`, `c-X#1`, `n#2`).
fn keyed<T, K: Eq + std::hash::Hash + Clone>(items: &[T], key: impl Fn(&T) -> K) -> Vec<(K, usize)> {
    let mut seen: HashMap<K, usize> = HashMap::new();
    items
        .iter()
        .map(|i| {
            let k = key(i);
            let n = seen.entry(k.clone()).or_default();
            let out = (k, *n);
            *n += 1;
            out
        })
        .collect()
}

/// Pairs `old` and `new` by key and occurrence: matched pairs in the new order, then the new ones
/// left over (added), then the old ones left over (removed). Indices into the slices.
fn pair<K: Eq + std::hash::Hash + Clone>(
    old: &[(K, usize)],
    new: &[(K, usize)],
) -> Vec<(Option<usize>, Option<usize>)> {
    let index: HashMap<&(K, usize), usize> = old.iter().enumerate().map(|(i, k)| (k, i)).collect();
    let mut used = vec![false; old.len()];
    let mut out = Vec::new();
    for (j, k) in new.iter().enumerate() {
        match index.get(k) {
            Some(&i) => {
                used[i] = true;
                out.push((Some(i), Some(j)));
            }
            None => out.push((None, Some(j))),
        }
    }
    out.extend(used.iter().enumerate().filter(|(_, u)| !**u).map(|(i, _)| (Some(i), None)));
    out
}

fn line_key_text(k: &(LineKey, usize)) -> String {
    match &k.0 {
        LineKey::Product(p) => format!("p{p}#{}", k.1),
        LineKey::Code(c) => format!("c{c}#{}", k.1),
        LineKey::Typed => format!("n#{}", k.1),
    }
}

fn line_summary(l: &QuoteLine) -> String {
    let mut s = l.name.trim().to_string();
    if !l.model.trim().is_empty() {
        s.push(' ');
        s.push_str(l.model.trim());
    }
    s.push_str(&format!(" × {} {}，单价 {}", l.quantity, l.unit, l.unit_price.yuan_display()));
    if !l.discount.is_zero() {
        s.push_str(&format!("，优惠 {}", l.discount));
    }
    s
}

struct Builder {
    out: Vec<RevisionChange>,
}

impl Builder {
    fn push(
        &mut self,
        key: String,
        kind: ChangeKind,
        field: ChangeField,
        subject: &str,
        before: String,
        after: String,
    ) {
        self.out.push(RevisionChange { key, kind, field, subject: subject.to_string(), before, after });
    }

    /// Records a change when `before` and `after` differ.
    #[allow(clippy::too_many_arguments)] // one per column of the change
    fn diff<T: PartialEq>(
        &mut self,
        item: &str,
        subject: &str,
        kind: ChangeKind,
        field: ChangeField,
        before: &T,
        after: &T,
        show: impl Fn(&T) -> String,
    ) {
        if before != after {
            let key = format!("{item}:{}", field.key_part());
            self.push(key, kind, field, subject, show(before), show(after));
        }
    }

    fn line(&mut self, item: &str, subject: &str, a: &QuoteLine, b: &QuoteLine) {
        use ChangeKind::{Commercial, Technical};
        let t = |s: &String| text(s);
        self.diff(
            item,
            subject,
            Technical,
            ChangeField::Code,
            &a.code.trim().to_string(),
            &b.code.trim().to_string(),
            t,
        );
        self.diff(
            item,
            subject,
            Technical,
            ChangeField::Name,
            &a.name.trim().to_string(),
            &b.name.trim().to_string(),
            t,
        );
        self.diff(
            item,
            subject,
            Technical,
            ChangeField::Model,
            &a.model.trim().to_string(),
            &b.model.trim().to_string(),
            t,
        );
        self.params(item, subject, &a.params, &b.params);
        self.diff(
            item,
            subject,
            Commercial,
            ChangeField::Unit,
            &a.unit.trim().to_string(),
            &b.unit.trim().to_string(),
            t,
        );
        if a.quantity != b.quantity {
            let (before, after) =
                (format!("{} {}", a.quantity, a.unit.trim()), format!("{} {}", b.quantity, b.unit.trim()));
            self.push(format!("{item}:quantity"), Commercial, ChangeField::Quantity, subject, before, after);
        }
        self.diff(item, subject, Commercial, ChangeField::UnitPrice, &a.unit_price, &b.unit_price, |m| {
            m.yuan_display()
        });
        self.diff(item, subject, Commercial, ChangeField::Discount, &a.discount, &b.discount, |d| d.to_string());
        self.diff(item, subject, Commercial, ChangeField::TaxRate, &a.tax_rate, &b.tax_rate, |r| r.to_string());
        self.diff(
            item,
            subject,
            Commercial,
            ChangeField::LineNote,
            &a.note.trim().to_string(),
            &b.note.trim().to_string(),
            t,
        );
    }

    fn params(&mut self, item: &str, subject: &str, a: &[TechParam], b: &[TechParam]) {
        let ka = keyed(a, |p| p.key.trim().to_string());
        let kb = keyed(b, |p| p.key.trim().to_string());
        for (i, j) in pair(&ka, &kb) {
            let (k, n) = match (i, j) {
                (_, Some(j)) => &kb[j],
                (Some(i), None) => &ka[i],
                (None, None) => continue,
            };
            let before = i.map(|i| text(&a[i].value)).unwrap_or_else(|| ABSENT.into());
            let after = j.map(|j| text(&b[j].value)).unwrap_or_else(|| ABSENT.into());
            if before != after {
                let field = ChangeField::Param(k.clone());
                let key = format!("{item}:{}#{n}", field.key_part());
                self.push(key, ChangeKind::Technical, field, subject, before, after);
            }
        }
    }

    fn terms(&mut self, a: &CommercialTerms, b: &CommercialTerms) {
        use ChangeKind::Commercial;
        let s = "商务条款";
        let days = |d: &u32| format!("{d} 天");
        self.diff("terms", s, Commercial, ChangeField::Validity, &a.validity_days, &b.validity_days, days);
        self.diff("terms", s, Commercial, ChangeField::Delivery, &a.delivery_days, &b.delivery_days, days);
        let pct = |p: &Decimal| format!("{}%", p.normalize());
        self.diff(
            "terms",
            s,
            Commercial,
            ChangeField::Prepayment,
            &a.prepayment_pct.normalize(),
            &b.prepayment_pct.normalize(),
            pct,
        );
        let t = |s: &String| text(s);
        self.diff(
            "terms",
            s,
            Commercial,
            ChangeField::PaymentSchedule,
            &a.payment_schedule.trim().to_string(),
            &b.payment_schedule.trim().to_string(),
            t,
        );
        let months = |m: &u32| format!("{m} 个月");
        self.diff("terms", s, Commercial, ChangeField::Warranty, &a.warranty_months, &b.warranty_months, months);
        self.diff(
            "terms",
            s,
            Commercial,
            ChangeField::DeliveryPlace,
            &a.delivery_place.trim().to_string(),
            &b.delivery_place.trim().to_string(),
            t,
        );
        self.diff(
            "terms",
            s,
            Commercial,
            ChangeField::OtherTerms,
            &a.other.trim().to_string(),
            &b.other.trim().to_string(),
            t,
        );
    }

    fn clause(&mut self, item: &str, a: &ClauseResponse, b: &ClauseResponse) {
        let subject = format!("条款 {}", b.clause_no.trim());
        let kind = ChangeKind::from(b.kind);
        let t = |s: &String| text(s);
        let trim = |s: &str| s.trim().to_string();
        self.diff(item, &subject, kind, ChangeField::Requirement, &trim(&a.requirement), &trim(&b.requirement), t);
        self.diff(item, &subject, kind, ChangeField::Response, &trim(&a.response), &trim(&b.response), t);
        self.diff(item, &subject, kind, ChangeField::Deviation, &a.deviation, &b.deviation, |d| d.label().to_string());
        self.diff(item, &subject, kind, ChangeField::ClauseNote, &trim(&a.note), &trim(&b.note), t);
    }
}

fn clause_summary(c: &ClauseResponse) -> String {
    format!("{}（{}）", text(&c.response), c.deviation.label())
}

/// The changes of `new` against `issued`, certificates named by their number (see
/// [`changes_with_names`]).
pub fn changes_between(issued: &RevisionContent, new: &RevisionContent) -> ChangeSet {
    changes_with_names(issued, new, &|c| format!("资质证书 #{}", c.0))
}

/// The changes of `new` against `issued`, lines first (in the new order, removed ones last), then
/// the commercial terms, the notes, a bid's clause responses and its certificates (named by
/// `certificate`, e.g. from the certificate library).
pub fn changes_with_names(
    issued: &RevisionContent,
    new: &RevisionContent,
    certificate: &dyn Fn(CertificateId) -> String,
) -> ChangeSet {
    let mut b = Builder { out: Vec::new() };
    let mut max_move = Decimal::ZERO;
    let ko = keyed(&issued.lines, line_key);
    let kn = keyed(&new.lines, line_key);
    for (i, j) in pair(&ko, &kn) {
        match (i, j) {
            (Some(i), Some(j)) => {
                let (a, n) = (&issued.lines[i], &new.lines[j]);
                let item = format!("line:{}", line_key_text(&kn[j]));
                let subject = format!("第{}行 {}", j + 1, n.name.trim());
                b.line(&item, &subject, a, n);
                let (before, after) =
                    (effective_unit_price(a.unit_price, a.discount), effective_unit_price(n.unit_price, n.discount));
                if !before.is_zero() {
                    max_move = max_move.max(((after - before) / before * Decimal::ONE_HUNDRED).abs());
                }
            }
            (None, Some(j)) => {
                let n = &new.lines[j];
                let key = format!("line:{}:added", line_key_text(&kn[j]));
                let subject = format!("第{}行 {}", j + 1, n.name.trim());
                b.push(key, ChangeKind::Commercial, ChangeField::LineAdded, &subject, ABSENT.into(), line_summary(n));
            }
            (Some(i), None) => {
                let a = &issued.lines[i];
                let key = format!("line:{}:removed", line_key_text(&ko[i]));
                let subject = format!("原第{}行 {}", i + 1, a.name.trim());
                b.push(key, ChangeKind::Commercial, ChangeField::LineRemoved, &subject, line_summary(a), ABSENT.into());
            }
            (None, None) => {}
        }
    }
    b.terms(&issued.terms, &new.terms);
    let t = |s: &String| text(s);
    b.diff(
        "content",
        "说明",
        ChangeKind::Commercial,
        ChangeField::Notes,
        &issued.notes.trim().to_string(),
        &new.notes.trim().to_string(),
        t,
    );
    let co = keyed(&issued.responses, |c| c.clause_no.trim().to_string());
    let cn = keyed(&new.responses, |c| c.clause_no.trim().to_string());
    for (i, j) in pair(&co, &cn) {
        let ((no, n), side) = match (i, j) {
            (_, Some(j)) => (&cn[j], &new.responses[j]),
            (Some(i), None) => (&co[i], &issued.responses[i]),
            (None, None) => continue,
        };
        let item = format!("clause:{no}#{n}");
        let subject = format!("条款 {no}");
        match (i, j) {
            (Some(i), Some(j)) => b.clause(&item, &issued.responses[i], &new.responses[j]),
            (None, Some(_)) => b.push(
                format!("{item}:added"),
                side.kind.into(),
                ChangeField::ClauseAdded,
                &subject,
                ABSENT.into(),
                clause_summary(side),
            ),
            (Some(_), None) => b.push(
                format!("{item}:removed"),
                side.kind.into(),
                ChangeField::ClauseRemoved,
                &subject,
                clause_summary(side),
                ABSENT.into(),
            ),
            (None, None) => {}
        }
    }
    let (ka, kb) = (keyed(&issued.certificates, |c| c.0), keyed(&new.certificates, |c| c.0));
    for (i, j) in pair(&ka, &kb) {
        let subject = "资质证书";
        match (i, j) {
            (None, Some(j)) => {
                let (id, n) = kb[j];
                let (key, name) = (format!("cert:{id}#{n}:added"), certificate(new.certificates[j]));
                b.push(key, ChangeKind::Commercial, ChangeField::CertificateAdded, subject, ABSENT.into(), name);
            }
            (Some(i), None) => {
                let (id, n) = ka[i];
                let (key, name) = (format!("cert:{id}#{n}:removed"), certificate(issued.certificates[i]));
                b.push(key, ChangeKind::Commercial, ChangeField::CertificateRemoved, subject, name, ABSENT.into());
            }
            _ => {}
        }
    }
    ChangeSet {
        changes: b.out,
        max_price_move_pct: max_move.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero).normalize(),
    }
}

/// An approver's answer to one change: confirmed (确认) or refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeDecision {
    pub key: String,
    pub confirmed: bool,
}

/// A stored confirmation (or refusal) of one change at one approval step, with the change as the
/// approver saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeConfirmation {
    pub step: crate::domain::quote::ApprovalStep,
    pub change: RevisionChange,
    pub confirmed: bool,
    pub by: crate::domain::ids::UserId,
    pub by_name: String,
    pub at: chrono::DateTime<chrono::Utc>,
    /// The revision content the approver confirmed against.
    pub content_hash: String,
}

/// Why a set of per-change answers does not fit the change table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    #[error("变更确认表已变化（{0}），请刷新后重新确认")]
    Unknown(String),
    #[error("请逐项确认每一项变更：还有 {0} 项未确认")]
    Unanswered(usize),
    #[error("同一项变更只能确认一次")]
    Twice,
}

/// Checks the answers against the change table: every change answered exactly once and nothing
/// else. Returns whether all are confirmed.
pub fn check_decisions(changes: &[RevisionChange], decisions: &[ChangeDecision]) -> Result<bool, DecisionError> {
    let mut seen = std::collections::HashSet::new();
    for d in decisions {
        if !changes.iter().any(|c| c.key == d.key) {
            return Err(DecisionError::Unknown(d.key.clone()));
        }
        if !seen.insert(d.key.as_str()) {
            return Err(DecisionError::Twice);
        }
    }
    let missing = changes.len() - seen.len();
    if missing > 0 {
        return Err(DecisionError::Unanswered(missing));
    }
    Ok(decisions.iter().all(|d| d.confirmed))
}

/// The changes not confirmed at `step` against `content_hash`, for "what is missing". The hash
/// pins the revision's content and the issued base is fixed once a later revision exists, so the
/// key names the change exactly (its display text may differ, e.g. a certificate renamed since).
pub fn unconfirmed<'a>(
    changes: &'a [RevisionChange],
    confirmations: &[ChangeConfirmation],
    step: crate::domain::quote::ApprovalStep,
    content_hash: &str,
) -> Vec<&'a RevisionChange> {
    changes
        .iter()
        .filter(|c| {
            !confirmations.iter().any(|k| {
                k.step == step
                    && k.confirmed
                    && k.content_hash == content_hash
                    && k.change.key == c.key
                    && k.change == **c
            })
        })
        .collect()
}

/// A value as the change table prints it (used by the window for the summary line).
pub fn count_text(set: &ChangeSet) -> String {
    fn part(n: usize, what: impl Display) -> String {
        format!("{what} {n} 项")
    }
    format!(
        "共 {} 项变更（{}，{}）",
        set.changes.len(),
        part(set.count(ChangeKind::Technical), "技术"),
        part(set.count(ChangeKind::Commercial), "商务")
    )
}

#[cfg(test)]
mod tests;
