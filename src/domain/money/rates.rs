//! Percent-like fractions: discounts (折扣) and VAT rates (税率).

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::*;

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
