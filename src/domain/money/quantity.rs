//! Quantities (数量): decimals with up to three places (cable by the metre).

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::*;

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
