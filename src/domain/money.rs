//! Money, quantities, discounts and tax rates: the one formula every amount in SalesDesk goes
//! through (line amount, per-rate VAT split, document totals).
//!
//! Must never: use `f64`, use banker's rounding (`round_dp`), round silently while parsing,
//! panic on user input, or do any IO.

use std::collections::BTreeMap;
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};
use std::str::FromStr;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::validate::to_halfwidth;

/// Why a money, quantity, discount or tax-rate text was refused. Display is shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MoneyError {
    #[error("金额不能为空")]
    Empty,
    #[error("金额格式不正确：{0}")]
    Invalid(String),
    #[error("金额最多两位小数（精确到分）：{0}")]
    TooManyDecimals(String),
    #[error("金额超出范围（不能达到一亿亿元）：{0}")]
    OutOfRange(String),
    #[error("数量不能为空")]
    QuantityEmpty,
    #[error("数量格式不正确：{0}")]
    QuantityInvalid(String),
    #[error("数量不能为负数：{0}")]
    QuantityNegative(String),
    #[error("数量最多三位小数：{0}")]
    QuantityTooManyDecimals(String),
    #[error("数量超出范围：{0}")]
    QuantityOutOfRange(String),
    #[error("折扣格式不正确：{0}（应写成百分数，如 5 或 5%）")]
    DiscountInvalid(String),
    #[error("折扣应不小于0%且小于100%：{0}")]
    DiscountOutOfRange(String),
    #[error("税率格式不正确：{0}（如 13%、0.13 或 13）")]
    TaxRateInvalid(String),
    #[error("税率应不小于0%且小于100%：{0}")]
    TaxRateOutOfRange(String),
}

/// Largest number of integer digits a parsed amount may have: below 10^16 元 the amount in 分
/// still fits an `i64` and 人民币大写 can still write it.
const MONEY_MAX_INT_DIGITS: usize = 16;
/// Quantities beyond 10^12 are typing mistakes; the bound also keeps qty × price far from
/// `Decimal` overflow.
const QUANTITY_MAX_INT_DIGITS: usize = 12;

fn round_half_away(value: Decimal, dp: u32) -> Decimal {
    value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

// ---------------------------------------------------------------------------------------------
// Numeral parsing shared by all the types below.

/// A decimal numeral split into its parts, before any type-specific rule is applied.
struct Numeral {
    negative: bool,
    int: String,
    frac: String,
}

/// Parses `-1,234.50` style numerals: optional leading '-', digits with optional (correctly
/// placed) thousands commas, optional '.' followed by at least one digit. `None` = malformed.
fn parse_numeral(text: &str) -> Option<Numeral> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int_part, frac) = match rest.split_once('.') {
        Some((int_part, frac)) => (int_part, frac),
        None => (rest, ""),
    };
    if rest.ends_with('.') || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let int = strip_thousands(int_part)?;
    Some(Numeral { negative, int, frac: frac.to_string() })
}

/// Removes thousands commas, insisting they sit every three digits so "1,23" is not read as 123.
fn strip_thousands(int_part: &str) -> Option<String> {
    let groups: Vec<&str> = int_part.split(',').collect();
    let all_digits = groups.iter().all(|g| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit()));
    let well_grouped = groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    (all_digits && well_grouped).then(|| groups.concat())
}

impl Numeral {
    /// Integer digits without leading zeros, so "000123" is not mistaken for an oversized value.
    fn significant_int_digits(&self) -> usize {
        self.int.trim_start_matches('0').len()
    }

    /// Exact decimal value with at most `max_dp` places. Extra trailing zeros ("12.500") lose no
    /// information and are accepted; any other extra digit is an error, never a rounding.
    fn to_decimal(&self, max_dp: usize) -> Result<Decimal, NumeralError> {
        let frac = self.frac.trim_end_matches('0');
        if frac.len() > max_dp {
            return Err(NumeralError::TooManyDecimals);
        }
        let digits = format!("{}{frac}", self.int);
        let mantissa: i128 = digits.parse().map_err(|_| NumeralError::OutOfRange)?;
        let signed = if self.negative { -mantissa } else { mantissa };
        let scale = u32::try_from(frac.len()).map_err(|_| NumeralError::OutOfRange)?;
        Decimal::try_from_i128_with_scale(signed, scale).map_err(|_| NumeralError::OutOfRange)
    }
}

enum NumeralError {
    TooManyDecimals,
    OutOfRange,
}

/// Trims ordinary and ideographic spaces after folding full-width ASCII (IME input) to ASCII.
fn clean_input(text: &str) -> String {
    to_halfwidth(text).trim().to_string()
}

// ---------------------------------------------------------------------------------------------
// Money

/// An amount in 元, always held with exactly two decimal places (分).
///
/// Serialised as a plain string ("1234.50") so no JSON float ever touches an amount.
/// Arithmetic follows `Decimal`: it can only overflow beyond ±7.9×10^28, which no parsed amount
/// or sum of parsed amounts can reach; `checked_add`/`checked_sub` exist for the paranoid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Money(Decimal);

impl Default for Money {
    /// Written by hand (not derived) so the default also has the two-place scale.
    fn default() -> Self {
        Money::ZERO
    }
}

impl Money {
    /// 0.00
    pub const ZERO: Money = Money(Decimal::from_parts(0, 0, 0, false, 2));

    /// Keeps the invariants: scale exactly 2 and no negative zero (which would print "-0.00").
    fn normalized(value: Decimal) -> Money {
        if value.is_zero() {
            return Money::ZERO;
        }
        let mut value = value;
        value.rescale(2);
        Money(value)
    }

    /// An amount from a whole number of 分.
    pub fn from_fen(fen: i64) -> Money {
        Money::normalized(Decimal::new(fen, 2))
    }

    /// The amount in 分, or `None` if it does not fit an `i64`.
    pub fn fen(&self) -> Option<i64> {
        self.0.checked_mul(Decimal::ONE_HUNDRED)?.trunc().to_i64()
    }

    /// Rounds any decimal to 分, half away from zero (0.005 → 0.01, -0.005 → -0.01).
    pub fn from_decimal(value: Decimal) -> Money {
        Money::normalized(round_half_away(value, 2))
    }

    /// The exact decimal value (scale 2).
    pub fn as_decimal(&self) -> Decimal {
        self.0
    }

    /// Parses how the office writes amounts: `1234.5`, `1,234.50`, `¥1,234.50`, `￥1234`,
    /// `1234元`, `-12.00`, full-width digits, surrounding spaces. Refuses anything that is not a
    /// number (`面议`), more than two non-zero decimals, and amounts of 10^16 元 or more.
    /// A minus sign is only accepted in front (`-¥12` or `-12`).
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        let cleaned = clean_input(text);
        if cleaned.is_empty() {
            return Err(MoneyError::Empty);
        }
        let invalid = || MoneyError::Invalid(cleaned.clone());
        let numeral = parse_numeral(&strip_money_symbols(&cleaned)).ok_or_else(invalid)?;
        if numeral.significant_int_digits() > MONEY_MAX_INT_DIGITS {
            return Err(MoneyError::OutOfRange(cleaned.clone()));
        }
        match numeral.to_decimal(2) {
            Ok(value) => Ok(Money::normalized(value)),
            Err(NumeralError::TooManyDecimals) => Err(MoneyError::TooManyDecimals(cleaned)),
            Err(NumeralError::OutOfRange) => Err(MoneyError::OutOfRange(cleaned)),
        }
    }

    /// `1234.50`: no separators, for storage, CSV and serde.
    pub fn to_plain_string(&self) -> String {
        // The value already has two places; the precision only pads, it never rounds.
        format!("{:.2}", self.0)
    }

    /// `¥1,234.50` (`-¥1,234.50` when negative).
    pub fn yuan_display(&self) -> String {
        let sign = if self.is_negative() { "-" } else { "" };
        format!("{sign}¥{}", group_thousands(&self.abs().to_plain_string()))
    }

    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    pub fn is_negative(&self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    pub fn abs(&self) -> Money {
        Money(self.0.abs())
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money::normalized)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money::normalized)
    }
}

/// Removes the currency decorations the office uses around a number: a leading ¥/￥ (after an
/// optional minus sign) and a trailing 元.
fn strip_money_symbols(text: &str) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest.trim_start()),
        None => ("", text),
    };
    let rest = rest.strip_prefix(['¥', '￥']).unwrap_or(rest).trim_start();
    let rest = rest.strip_suffix('元').unwrap_or(rest).trim_end();
    format!("{sign}{rest}")
}

/// Inserts thousands commas into an unsigned "1234567.89" → "1,234,567.89".
fn group_thousands(plain: &str) -> String {
    let (int, frac) = plain.split_once('.').unwrap_or((plain, ""));
    let mut grouped = String::with_capacity(plain.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if frac.is_empty() { grouped } else { format!("{grouped}.{frac}") }
}

impl fmt::Display for Money {
    /// `1,234.50`, `-1,234.50`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.is_negative() { "-" } else { "" };
        let text = format!("{sign}{}", group_thousands(&self.abs().to_plain_string()));
        // `pad` so table columns can right-align amounts with `{:>12}`.
        f.pad(&text)
    }
}

impl FromStr for Money {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse(s)
    }
}

impl TryFrom<String> for Money {
    type Error = MoneyError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Money::parse(&value)
    }
}

impl From<Money> for String {
    fn from(value: Money) -> Self {
        value.to_plain_string()
    }
}

impl Add for Money {
    type Output = Money;

    fn add(self, rhs: Money) -> Money {
        Money::normalized(self.0 + rhs.0)
    }
}

impl Sub for Money {
    type Output = Money;

    fn sub(self, rhs: Money) -> Money {
        Money::normalized(self.0 - rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        *self = *self + rhs;
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        *self = *self - rhs;
    }
}

impl Neg for Money {
    type Output = Money;

    fn neg(self) -> Money {
        Money::normalized(-self.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

// ---------------------------------------------------------------------------------------------
// Quantity

/// A non-negative quantity with at most three decimal places (cable is sold by the metre, to
/// the millimetre). Zero is allowed here; whether a zero line makes sense is the form's call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Quantity(Decimal);

impl Quantity {
    pub const ZERO: Quantity = Quantity(Decimal::ZERO);
    pub const ONE: Quantity = Quantity(Decimal::ONE);

    /// Accepts a decimal that is non-negative, has at most three (non-zero) places and fewer
    /// than 10^12 units.
    pub fn new(value: Decimal) -> Result<Quantity, MoneyError> {
        let shown = value.normalize().to_string();
        if value.is_sign_negative() && !value.is_zero() {
            return Err(MoneyError::QuantityNegative(shown));
        }
        if value.normalize().scale() > 3 {
            return Err(MoneyError::QuantityTooManyDecimals(shown));
        }
        if value.abs().trunc().to_string().len() > QUANTITY_MAX_INT_DIGITS {
            return Err(MoneyError::QuantityOutOfRange(shown));
        }
        Ok(Quantity(value.normalize().abs()))
    }

    /// A whole number of units.
    pub fn from_units(units: u32) -> Quantity {
        Quantity(Decimal::from(units))
    }

    /// Parses `3`, `123.456`, `1,000`, full-width digits; refuses empty, negative, more than
    /// three non-zero decimals.
    pub fn parse(text: &str) -> Result<Quantity, MoneyError> {
        let cleaned = clean_input(text);
        if cleaned.is_empty() {
            return Err(MoneyError::QuantityEmpty);
        }
        let numeral = parse_numeral(&cleaned).ok_or_else(|| MoneyError::QuantityInvalid(cleaned.clone()))?;
        if numeral.negative {
            return Err(MoneyError::QuantityNegative(cleaned));
        }
        if numeral.significant_int_digits() > QUANTITY_MAX_INT_DIGITS {
            return Err(MoneyError::QuantityOutOfRange(cleaned));
        }
        match numeral.to_decimal(3) {
            Ok(value) => Ok(Quantity(value.normalize())),
            Err(NumeralError::TooManyDecimals) => Err(MoneyError::QuantityTooManyDecimals(cleaned)),
            Err(NumeralError::OutOfRange) => Err(MoneyError::QuantityOutOfRange(cleaned)),
        }
    }

    pub fn as_decimal(&self) -> Decimal {
        self.0
    }

    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }
}

impl fmt::Display for Quantity {
    /// Without trailing zeros: `3`, `123.456`, `2.5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0.normalize().to_string())
    }
}

impl FromStr for Quantity {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Quantity::parse(s)
    }
}

impl TryFrom<String> for Quantity {
    type Error = MoneyError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Quantity::parse(&value)
    }
}

impl From<Quantity> for String {
    fn from(value: Quantity) -> Self {
        value.to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// Percent-like fractions: Discount and TaxRate

/// Parses a percentage text into a fraction in [0, 1) with at most two decimals of percent.
/// `bare_fraction_below_one`: whether a bare number below 1 ("0.13") already is the fraction.
fn parse_fraction(text: &str, bare_fraction_below_one: bool) -> Option<Decimal> {
    let (number, had_percent) = match text.strip_suffix('%') {
        Some(number) => (number.trim_end(), true),
        None => (text, false),
    };
    let numeral = parse_numeral(number)?;
    if numeral.significant_int_digits() > 3 {
        return None;
    }
    let value = numeral.to_decimal(4).ok()?;
    let as_fraction = if had_percent || !bare_fraction_below_one || value >= Decimal::ONE {
        value / Decimal::ONE_HUNDRED
    } else {
        value
    };
    // Two decimals of percent (12.25%) = four of fraction; finer is a typing mistake.
    (as_fraction.normalize().scale() <= 4).then(|| as_fraction.normalize())
}

fn in_unit_interval(value: Decimal) -> bool {
    value >= Decimal::ZERO && value < Decimal::ONE
}

/// Writes a fraction as a percentage without trailing zeros: 0.05 → "5%", 0.125 → "12.5%".
/// Falls back to the bare fraction for values too large to scale, so error messages about
/// absurd inputs cannot themselves overflow.
fn percent_text(fraction: Decimal) -> String {
    match fraction.checked_mul(Decimal::ONE_HUNDRED) {
        Some(percent) => format!("{}%", percent.normalize()),
        None => fraction.to_string(),
    }
}

/// A price reduction as a fraction, 0 ≤ d < 1 (a 100% discount is a gift, not a discount).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Discount(Decimal);

impl Discount {
    pub const ZERO: Discount = Discount(Decimal::ZERO);

    /// From a fraction (0.05 = 5%).
    pub fn from_fraction(fraction: Decimal) -> Result<Discount, MoneyError> {
        if !in_unit_interval(fraction) {
            return Err(MoneyError::DiscountOutOfRange(percent_text(fraction)));
        }
        Ok(Discount(fraction.normalize()))
    }

    /// Parses "5" or "5%" (both 5%), "12.5%"; a bare number is always a percentage, so "0.5"
    /// is 0.5%, never 50%. Empty text means no discount.
    pub fn parse(text: &str) -> Result<Discount, MoneyError> {
        let cleaned = clean_input(text);
        if cleaned.is_empty() {
            return Ok(Discount::ZERO);
        }
        let fraction = parse_fraction(&cleaned, false).ok_or_else(|| MoneyError::DiscountInvalid(cleaned.clone()))?;
        if !in_unit_interval(fraction) {
            return Err(MoneyError::DiscountOutOfRange(cleaned));
        }
        Ok(Discount(fraction))
    }

    pub fn fraction(&self) -> Decimal {
        self.0
    }

    /// What the customer still pays per unit: 1 − d.
    pub fn remaining(&self) -> Decimal {
        Decimal::ONE - self.0
    }

    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }
}

impl fmt::Display for Discount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&percent_text(self.0))
    }
}

impl FromStr for Discount {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Discount::parse(s)
    }
}

impl TryFrom<String> for Discount {
    type Error = MoneyError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Discount::parse(&value)
    }
}

impl From<Discount> for String {
    fn from(value: Discount) -> Self {
        value.to_string()
    }
}

/// A VAT rate as a fraction (0.13 = 13%), 0 ≤ r < 1. Prices are tax-inclusive, so the tax in a
/// gross amount is gross × r / (1 + r).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TaxRate(Decimal);

impl TaxRate {
    /// 13%: goods (一般纳税人销售货物).
    pub const RATE_13: TaxRate = TaxRate(Decimal::from_parts(13, 0, 0, false, 2));
    /// 9%: transport, construction, some farm goods.
    pub const RATE_9: TaxRate = TaxRate(Decimal::from_parts(9, 0, 0, false, 2));
    /// 6%: modern services (technical service, consulting).
    pub const RATE_6: TaxRate = TaxRate(Decimal::from_parts(6, 0, 0, false, 2));
    /// 0%: exports, exempt goods.
    pub const RATE_0: TaxRate = TaxRate(Decimal::ZERO);

    pub fn from_fraction(fraction: Decimal) -> Result<TaxRate, MoneyError> {
        if !in_unit_interval(fraction) {
            return Err(MoneyError::TaxRateOutOfRange(percent_text(fraction)));
        }
        Ok(TaxRate(fraction.normalize()))
    }

    /// Parses "13%", "0.13" and "13" (all 13%). A bare number below 1 is read as the fraction
    /// itself ("0.13"); a bare number of 1 or more as a percentage ("13", "1" = 1%). Rates
    /// below 1% must therefore be written with '%' ("0.5%").
    pub fn parse(text: &str) -> Result<TaxRate, MoneyError> {
        let cleaned = clean_input(text);
        let fraction = parse_fraction(&cleaned, true).ok_or_else(|| MoneyError::TaxRateInvalid(cleaned.clone()))?;
        if !in_unit_interval(fraction) {
            return Err(MoneyError::TaxRateOutOfRange(cleaned));
        }
        Ok(TaxRate(fraction))
    }

    pub fn fraction(&self) -> Decimal {
        self.0
    }
}

impl fmt::Display for TaxRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&percent_text(self.0))
    }
}

impl FromStr for TaxRate {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TaxRate::parse(s)
    }
}

impl TryFrom<String> for TaxRate {
    type Error = MoneyError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        TaxRate::parse(&value)
    }
}

impl From<TaxRate> for String {
    fn from(value: TaxRate) -> Self {
        value.to_string()
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn m(text: &str) -> Money {
        Money::parse(text).expect("test amount")
    }

    fn q(text: &str) -> Quantity {
        Quantity::parse(text).expect("test quantity")
    }

    fn d(text: &str) -> Discount {
        Discount::parse(text).expect("test discount")
    }

    #[test]
    fn rounding_is_half_away_from_zero_not_bankers() {
        let cases = [
            (dec!(0.005), "0.01"),
            (dec!(0.015), "0.02"),
            (dec!(0.025), "0.03"),
            (dec!(2.675), "2.68"),
            (dec!(2.665), "2.67"),
            (dec!(0.004999), "0.00"),
            (dec!(-0.005), "-0.01"),
            (dec!(-2.675), "-2.68"),
            (dec!(1.5), "1.50"),
            (dec!(7), "7.00"),
        ];
        for (input, expected) in cases {
            assert_eq!(Money::from_decimal(input).to_plain_string(), expected, "{input}");
        }
    }

    #[test]
    fn rounding_property_holds_for_every_midpoint_up_to_ten_yuan() {
        // Every x.xx5 between 0 and 10 must go up in magnitude, for both signs.
        for thousandths in (5..10_000i64).step_by(10) {
            let value = Decimal::new(thousandths, 3);
            let up = Money::from_fen((thousandths + 5) / 10);
            assert_eq!(Money::from_decimal(value), up, "{value}");
            assert_eq!(Money::from_decimal(-value), -up, "-{value}");
        }
    }

    #[test]
    fn money_always_has_two_places_and_no_negative_zero() {
        assert_eq!(Money::from_decimal(dec!(3)).as_decimal().scale(), 2);
        assert_eq!(Money::from_fen(5).to_plain_string(), "0.05");
        assert_eq!(Money::default(), Money::ZERO);
        assert_eq!(Money::default().to_plain_string(), "0.00");
        assert_eq!((-Money::ZERO).to_plain_string(), "0.00");
        assert_eq!(Money::from_decimal(dec!(-0.001)).to_string(), "0.00");
    }

    #[test]
    fn fen_round_trips_and_refuses_what_does_not_fit() {
        assert_eq!(m("1234.56").fen(), Some(123_456));
        assert_eq!(m("-0.07").fen(), Some(-7));
        assert_eq!(Money::from_fen(i64::MAX).fen(), Some(i64::MAX));
        assert_eq!(Money::from_decimal(Decimal::MAX).fen(), None);
    }

    #[test]
    fn parse_accepts_office_spellings() {
        let cases = [
            ("1234.5", "1234.50"),
            ("1,234.50", "1234.50"),
            ("¥1,234.50", "1234.50"),
            ("￥1234", "1234.00"),
            ("1234元", "1234.00"),
            ("  ¥ 88.8 元 ", "88.80"),
            ("１２３４．５", "1234.50"),
            ("1,234,567.89", "1234567.89"),
            ("-12.30", "-12.30"),
            ("-¥12", "-12.00"),
            ("0", "0.00"),
            ("12.500", "12.50"),
            ("9999999999999999.99", "9999999999999999.99"),
        ];
        for (input, expected) in cases {
            assert_eq!(m(input).to_plain_string(), expected, "{input}");
        }
    }

    #[test]
    fn parse_rejects_non_amounts_with_chinese_reasons() {
        assert_eq!(Money::parse(" "), Err(MoneyError::Empty));
        assert_eq!(Money::parse("面议").map_err(|e| e.to_string()), Err("金额格式不正确：面议".to_string()));
        let invalid = ["abc", "1.2.3", "12-", "¥-", "1,23", "12,3456", "1.", ".5", "+5", "1e3", "--1", "12 34"];
        for input in invalid {
            assert!(matches!(Money::parse(input), Err(MoneyError::Invalid(_))), "{input}");
        }
    }

    #[test]
    fn parse_refuses_to_round_extra_decimals() {
        let err = Money::parse("1.005").expect_err("three decimals");
        assert_eq!(err, MoneyError::TooManyDecimals("1.005".into()));
        assert!(err.to_string().contains("两位小数"));
    }

    #[test]
    fn parse_refuses_amounts_too_large_to_handle() {
        assert!(matches!(Money::parse("10000000000000000"), Err(MoneyError::OutOfRange(_))));
        assert!(matches!(Money::parse(&"9".repeat(60)), Err(MoneyError::OutOfRange(_))));
    }

    #[test]
    fn display_groups_thousands_with_two_places() {
        let cases = [
            ("0", "0.00", "¥0.00"),
            ("5", "5.00", "¥5.00"),
            ("999.9", "999.90", "¥999.90"),
            ("1234.5", "1,234.50", "¥1,234.50"),
            ("123456", "123,456.00", "¥123,456.00"),
            ("1234567.89", "1,234,567.89", "¥1,234,567.89"),
            ("-1234.5", "-1,234.50", "-¥1,234.50"),
        ];
        for (input, display, yuan) in cases {
            assert_eq!(m(input).to_string(), display, "{input}");
            assert_eq!(m(input).yuan_display(), yuan, "{input}");
        }
        assert_eq!(m("1,234.5").to_plain_string(), "1234.50");
        assert_eq!(format!("{:>10}", m("1234.5")), "  1,234.50");
    }

    #[test]
    fn arithmetic_keeps_two_places() {
        let a = m("10.10");
        let b = m("0.2");
        assert_eq!((a + b).to_plain_string(), "10.30");
        assert_eq!((b - a).to_plain_string(), "-9.90");
        assert_eq!((-a).to_plain_string(), "-10.10");
        let total: Money = [a, b, m("1")].iter().sum();
        assert_eq!(total, m("11.30"));
        assert_eq!(a.checked_add(b), Some(m("10.30")));
        assert_eq!(Money::from_decimal(Decimal::MAX).checked_add(m("1")), None);
    }

    #[test]
    fn serde_uses_plain_strings_and_validates() {
        let json = serde_json::to_string(&m("1234.5")).expect("serialize");
        assert_eq!(json, "\"1234.50\"");
        let back: Money = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back, m("1234.50"));
        assert!(serde_json::from_str::<Money>("\"1.005\"").is_err());
        let rate: TaxRate = serde_json::from_str("\"13%\"").expect("rate");
        assert_eq!(rate, TaxRate::RATE_13);
    }

    #[test]
    fn quantity_parses_metres_to_three_places() {
        assert_eq!(q("123.456").as_decimal(), dec!(123.456));
        assert_eq!(q(" 1,000 ").as_decimal(), dec!(1000));
        assert_eq!(q("2.500").to_string(), "2.5");
        assert_eq!(q("０").as_decimal(), Decimal::ZERO);
        assert_eq!(Quantity::parse(""), Err(MoneyError::QuantityEmpty));
        assert!(matches!(Quantity::parse("-1"), Err(MoneyError::QuantityNegative(_))));
        assert!(matches!(Quantity::parse("1.2345"), Err(MoneyError::QuantityTooManyDecimals(_))));
        assert!(matches!(Quantity::parse("若干"), Err(MoneyError::QuantityInvalid(_))));
        assert!(matches!(Quantity::parse("1000000000000"), Err(MoneyError::QuantityOutOfRange(_))));
    }

    #[test]
    fn quantity_new_applies_the_same_rules() {
        assert_eq!(Quantity::new(dec!(1.500)), Ok(q("1.5")));
        assert!(Quantity::new(dec!(-0.001)).is_err());
        assert!(Quantity::new(dec!(0.0001)).is_err());
        assert_eq!(Quantity::from_units(3), q("3"));
    }

    #[test]
    fn discount_reads_bare_numbers_as_percent() {
        assert_eq!(d("5").fraction(), dec!(0.05));
        assert_eq!(d("5%"), d("5"));
        assert_eq!(d("12.5%").fraction(), dec!(0.125));
        assert_eq!(d("0.5").fraction(), dec!(0.005));
        assert_eq!(d(""), Discount::ZERO);
        assert_eq!(d("5").to_string(), "5%");
        assert_eq!(d("12.50").to_string(), "12.5%");
        assert!(matches!(Discount::parse("100"), Err(MoneyError::DiscountOutOfRange(_))));
        assert!(matches!(Discount::parse("-5%"), Err(MoneyError::DiscountOutOfRange(_))));
        assert!(matches!(Discount::parse("九折"), Err(MoneyError::DiscountInvalid(_))));
        assert!(matches!(Discount::parse("12.345%"), Err(MoneyError::DiscountInvalid(_))));
        assert!(Discount::from_fraction(Decimal::ONE).is_err());
        assert!(Discount::from_fraction(Decimal::MAX).is_err());
        assert!(TaxRate::from_fraction(Decimal::MIN).is_err());
        assert_eq!(Discount::from_fraction(dec!(0.05)), Ok(d("5")));
    }

    #[test]
    fn tax_rate_parses_percent_fraction_and_bare_number() {
        for text in ["13%", "0.13", "13", " 13 % ", "１３％"] {
            assert_eq!(TaxRate::parse(text), Ok(TaxRate::RATE_13), "{text}");
        }
        assert_eq!(TaxRate::parse("9%"), Ok(TaxRate::RATE_9));
        assert_eq!(TaxRate::parse("0.06"), Ok(TaxRate::RATE_6));
        assert_eq!(TaxRate::parse("0"), Ok(TaxRate::RATE_0));
        assert_eq!(TaxRate::parse("1").map(|r| r.fraction()), Ok(dec!(0.01)));
        assert_eq!(TaxRate::RATE_13.to_string(), "13%");
        assert_eq!(TaxRate::RATE_0.to_string(), "0%");
        assert!(matches!(TaxRate::parse("100%"), Err(MoneyError::TaxRateOutOfRange(_))));
        assert!(matches!(TaxRate::parse("免税"), Err(MoneyError::TaxRateInvalid(_))));
    }

    #[test]
    fn line_amount_with_decimal_quantity_rounds_once() {
        // 123.456 × 3.33 = 411.10848 → 411.11
        assert_eq!(line_amount(q("123.456"), m("3.33"), Discount::ZERO), m("411.11"));
        // 0.5 × 0.01 = 0.005 → 0.01 (half away from zero)
        assert_eq!(line_amount(q("0.5"), m("0.01"), Discount::ZERO), m("0.01"));
        // Exact 3 × 0.335 = 1.005 → 1.01; rounding the unit price first (0.34) would give 1.02.
        assert_eq!(line_amount(q("3"), m("0.67"), d("50")), m("1.01"));
        assert_eq!(line_amount(Quantity::ZERO, m("99"), d("5")), Money::ZERO);
    }

    #[test]
    fn line_amount_applies_discount() {
        // 10 × 199.00 × 0.95 = 1890.50
        assert_eq!(line_amount(q("10"), m("199"), d("5%")), m("1890.50"));
        // 7 × 33.33 × 0.88 = 205.31 28 → 205.31
        assert_eq!(line_amount(q("7"), m("33.33"), d("12")), m("205.31"));
        // 1.5 × 2.99 × 0.875 = 3.9243 75 → 3.92
        assert_eq!(line_amount(q("1.5"), m("2.99"), d("12.5")), m("3.92"));
    }

    #[test]
    fn effective_price_is_unrounded() {
        assert_eq!(effective_unit_price(m("0.67"), d("50")), dec!(0.335));
        assert_eq!(effective_unit_price(m("100"), Discount::ZERO), dec!(100));
    }

    #[test]
    fn floor_check_compares_discounted_price() {
        let floor = m("90");
        assert!(!is_below_floor(m("100"), d("10"), floor), "exactly at floor");
        assert!(is_below_floor(m("100"), d("10.01"), floor));
        assert!(!is_below_floor(m("100"), Discount::ZERO, floor));
        // 0.335 is below a floor of 0.34 even though it would round up to 0.34.
        assert!(is_below_floor(m("0.67"), d("50"), m("0.34")));
    }

    #[test]
    fn tax_of_113_at_13_percent_is_13() {
        let split = tax_breakdown([(TaxRate::RATE_13, m("113.00"))]);
        assert_eq!(
            split,
            vec![TaxBreakdown { rate: TaxRate::RATE_13, gross: m("113.00"), tax: m("13.00"), net: m("100.00") }]
        );
    }

    #[test]
    fn two_tax_rates_in_one_document_are_split_and_sorted() {
        let lines = [
            (TaxRate::RATE_6, m("106.00")),
            (TaxRate::RATE_13, m("100.00")),
            (TaxRate::RATE_13, m("13.00")),
            (TaxRate::RATE_6, m("53.00")),
        ];
        let t = totals(lines);
        assert_eq!(t.total, m("272.00"));
        let rates: Vec<TaxRate> = t.by_rate.iter().map(|b| b.rate).collect();
        assert_eq!(rates, vec![TaxRate::RATE_13, TaxRate::RATE_6]);
        assert_eq!(t.by_rate[0].tax, m("13.00"));
        assert_eq!(t.by_rate[1].gross, m("159.00"));
        assert_eq!(t.by_rate[1].tax, m("9.00"));
        assert_eq!(t.tax, m("22.00"));
        assert_eq!(t.net, m("250.00"));
    }

    #[test]
    fn tax_is_rounded_per_rate_group_half_away() {
        // 100 × 0.13 / 1.13 = 11.504424… → 11.50; 1 × 0.09 / 1.09 = 0.082568… → 0.08
        let t = totals([(TaxRate::RATE_13, m("100")), (TaxRate::RATE_9, m("1")), (TaxRate::RATE_0, m("50"))]);
        let taxes: Vec<String> = t.by_rate.iter().map(|b| b.tax.to_plain_string()).collect();
        assert_eq!(taxes, ["11.50", "0.08", "0.00"]);
        assert_eq!(t.total, m("151"));
        assert_eq!(t.net, m("139.42"));
        // A refund (negative gross) rounds symmetrically.
        let refund = tax_breakdown([(TaxRate::RATE_13, m("-100"))]);
        assert_eq!(refund[0].tax, m("-11.50"));
    }

    #[test]
    fn totals_add_up_for_many_lines() {
        // Property: for every group gross = tax + net, and the document sums match the groups.
        let rates = [TaxRate::RATE_13, TaxRate::RATE_9, TaxRate::RATE_6];
        let lines: Vec<(TaxRate, Money)> =
            (1..200i64).map(|i| (rates[(i % 3) as usize], Money::from_fen(i * 7919 % 100_003))).collect();
        let t = totals(lines.iter().copied());
        for b in &t.by_rate {
            assert_eq!(b.tax + b.net, b.gross);
        }
        assert_eq!(t.total, lines.iter().map(|(_, a)| *a).sum::<Money>());
        assert_eq!(t.tax + t.net, t.total);
        assert_eq!(totals([]), Totals::default());
    }

    #[test]
    fn errors_speak_chinese() {
        let messages = [
            MoneyError::Empty.to_string(),
            MoneyError::TooManyDecimals("1.005".into()).to_string(),
            MoneyError::QuantityNegative("-1".into()).to_string(),
            MoneyError::DiscountOutOfRange("100".into()).to_string(),
            MoneyError::TaxRateInvalid("x".into()).to_string(),
        ];
        assert_eq!(messages[0], "金额不能为空");
        assert_eq!(messages[1], "金额最多两位小数（精确到分）：1.005");
        assert!(messages[2].starts_with("数量不能为负数"));
        assert!(messages[3].starts_with("折扣"));
        assert!(messages[4].starts_with("税率格式不正确"));
    }
}
