//! Money, quantities, discounts and tax rates: the one formula every amount in SalesDesk goes
//! through (line amount, per-rate VAT split, document totals).
//!
//! Must never: use `f64`, use banker's rounding (`round_dp`), round silently while parsing,
//! panic on user input, or do any IO.

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

pub(super) fn round_half_away(value: Decimal, dp: u32) -> Decimal {
    value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

// ---------------------------------------------------------------------------------------------
// Numeral parsing shared by all the types below.

/// A decimal numeral split into its parts, before any type-specific rule is applied.
pub(super) struct Numeral {
    negative: bool,
    int: String,
    frac: String,
}

/// Parses `-1,234.50` style numerals: optional leading '-', digits with optional (correctly
/// placed) thousands commas, optional '.' followed by at least one digit. `None` = malformed.
pub(super) fn parse_numeral(text: &str) -> Option<Numeral> {
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
pub(super) fn strip_thousands(int_part: &str) -> Option<String> {
    let groups: Vec<&str> = int_part.split(',').collect();
    let all_digits = groups.iter().all(|g| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit()));
    let well_grouped = groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    (all_digits && well_grouped).then(|| groups.concat())
}

impl Numeral {
    /// Integer digits without leading zeros, so "000123" is not mistaken for an oversized value.
    pub(super) fn significant_int_digits(&self) -> usize {
        self.int.trim_start_matches('0').len()
    }

    /// Exact decimal value with at most `max_dp` places. Extra trailing zeros ("12.500") lose no
    /// information and are accepted; any other extra digit is an error, never a rounding.
    pub(super) fn to_decimal(&self, max_dp: usize) -> Result<Decimal, NumeralError> {
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

pub(super) enum NumeralError {
    TooManyDecimals,
    OutOfRange,
}

/// Trims ordinary and ideographic spaces after folding full-width ASCII (IME input) to ASCII.
pub(super) fn clean_input(text: &str) -> String {
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

mod formulas;
mod quantity;
mod rates;
#[cfg(test)]
mod tests;

pub use formulas::*;
pub use quantity::*;
pub use rates::*;
