//! The one formula of DESIGN §4: line amounts, floor checks, tax per rate, document totals.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::*;

// ---------------------------------------------------------------------------------------------
// The formulas

/// Unit price after discount, NOT rounded: it is compared with floors and multiplied by
/// quantities, and rounding it first would make the line amount depend on the order of steps.
pub fn effective_unit_price(unit_price: Money, discount: Discount) -> Decimal {
    unit_price.as_decimal() * discount.remaining()
}

/// The line amount: qty × price × (1 − discount), rounded ONCE, half away from zero, to 分.
pub fn line_amount(qty: Quantity, unit_price: Money, discount: Discount) -> Money {
    Money::from_decimal(qty.as_decimal() * effective_unit_price(unit_price, discount))
}

/// The discounted unit price as a document prints it, so that 单价 × 数量 gives the line's 金额:
/// to 分 when it is a whole number of 分, else with the places it has, up to four (`254.025`):
/// a committee multiplies the columns out, and a 单价 rounded to 分 would not give the 金额.
pub fn net_unit_price_text(unit_price: Money, discount: Discount) -> String {
    let exact = effective_unit_price(unit_price, discount);
    let places = (2..=4).find(|p| exact.round_dp(*p) == exact).unwrap_or(4);
    let shown = exact.round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    group_thousands(&format!("{:.*}", places as usize, shown))
}

/// The tax in an invoice of `amount` (价税合计) against a document whose lines carry the rates
/// `by_rate`: the amount is shared over the rates as the document's gross is (the last rate takes
/// what rounding leaves), and each share's tax taken as the document's is. Invoicing the whole
/// document gives exactly the document's tax.
pub fn invoice_tax(amount: Money, by_rate: &[TaxBreakdown]) -> Money {
    let gross: Money = by_rate.iter().map(|b| b.gross).sum();
    if gross <= Money::ZERO || by_rate.is_empty() {
        return Money::ZERO;
    }
    let mut left = amount;
    let mut tax = Money::ZERO;
    for (i, b) in by_rate.iter().enumerate() {
        let share = if i + 1 == by_rate.len() {
            left
        } else {
            Money::from_decimal(amount.as_decimal() * b.gross.as_decimal() / gross.as_decimal())
        };
        left -= share;
        tax += tax_in_gross(share, b.rate);
    }
    tax
}

/// Whether the discounted unit price is under the floor price (exactly at the floor is fine).
pub fn is_below_floor(unit_price: Money, discount: Discount, floor: Money) -> bool {
    effective_unit_price(unit_price, discount) < floor.as_decimal()
}

/// The VAT split of the (tax-inclusive) lines at one rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxBreakdown {
    pub rate: TaxRate,
    /// Sum of the tax-inclusive line amounts at this rate.
    pub gross: Money,
    /// round(gross × rate / (1 + rate)), half away from zero.
    pub tax: Money,
    /// gross − tax, so the three always add up exactly.
    pub net: Money,
}

/// Tax of a tax-inclusive amount. Rounded per rate group, not per line, as on the 发票.
fn tax_in_gross(gross: Money, rate: TaxRate) -> Money {
    // Multiply first so the only inexact step is the final division.
    let numerator = gross.as_decimal() * rate.fraction();
    Money::from_decimal(numerator / (Decimal::ONE + rate.fraction()))
}

/// Groups (rate, tax-inclusive line amount) pairs per rate, highest rate first.
pub fn tax_breakdown(lines: impl IntoIterator<Item = (TaxRate, Money)>) -> Vec<TaxBreakdown> {
    let mut groups: BTreeMap<TaxRate, Money> = BTreeMap::new();
    for (rate, amount) in lines {
        *groups.entry(rate).or_default() += amount;
    }
    groups
        .into_iter()
        .rev()
        .map(|(rate, gross)| {
            let tax = tax_in_gross(gross, rate);
            TaxBreakdown { rate, gross, tax, net: gross - tax }
        })
        .collect()
}

/// Document totals: everything tax-inclusive, the tax being the sum of the per-rate taxes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Totals {
    pub total: Money,
    pub tax: Money,
    pub net: Money,
    pub by_rate: Vec<TaxBreakdown>,
}

/// Totals of a document from its (rate, line amount) pairs.
pub fn totals(lines: impl IntoIterator<Item = (TaxRate, Money)>) -> Totals {
    let by_rate = tax_breakdown(lines);
    let total: Money = by_rate.iter().map(|b| b.gross).sum();
    let tax: Money = by_rate.iter().map(|b| b.tax).sum();
    Totals { total, tax, net: total - tax, by_rate }
}
