//! Document numbers (单据编号): `XJ-2026-0001`, `BJ-…`, `TB-…`, `HT-…`, revisions `BJ-2026-0001-V2`.
//! Formatting and parsing only; numbers are handed out by the store's sequences, never here.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The kinds of numbered documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocKind {
    /// 询价/招标 (inquiry or tender)
    Inquiry,
    /// 报价单
    Quote,
    /// 投标书
    Bid,
    /// 合同
    Contract,
}

impl DocKind {
    pub const ALL: [DocKind; 4] = [Self::Inquiry, Self::Quote, Self::Bid, Self::Contract];

    pub fn prefix(self) -> &'static str {
        match self {
            Self::Inquiry => "XJ",
            Self::Quote => "BJ",
            Self::Bid => "TB",
            Self::Contract => "HT",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Inquiry => "询价/招标",
            Self::Quote => "报价单",
            Self::Bid => "投标书",
            Self::Contract => "合同",
        }
    }

    fn from_prefix(p: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.prefix() == p)
    }

    /// The sequence a number of this kind and year is drawn from.
    pub fn sequence_name(self, year: i32) -> String {
        format!("{}-{year}", self.prefix())
    }
}

/// A document number such as `BJ-2026-0001`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DocNumber {
    pub kind: DocKind,
    pub year: i32,
    pub seq: u32,
}

impl DocNumber {
    /// `BJ-2026-0001-V2`
    pub fn revision_label(&self, revision: u32) -> String {
        format!("{self}-V{revision}")
    }
}

impl fmt::Display for DocNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{:04}", self.kind.prefix(), self.year, self.seq)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("单据编号格式不正确：{0}（应如 BJ-2026-0001）")]
pub struct DocNumberError(pub String);

impl FromStr for DocNumber {
    type Err = DocNumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || DocNumberError(s.to_string());
        let mut parts = s.trim().split('-');
        let (Some(p), Some(y), Some(n), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        let kind = DocKind::from_prefix(&p.to_ascii_uppercase()).ok_or_else(bad)?;
        let year = y.parse::<i32>().ok().filter(|y| (2000..=9999).contains(y)).ok_or_else(bad)?;
        if n.len() < 4 || !n.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let seq = n.parse::<u32>().ok().filter(|s| *s > 0).ok_or_else(bad)?;
        Ok(DocNumber { kind, year, seq })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_zero_padded_to_four_digits() {
        let n = DocNumber { kind: DocKind::Quote, year: 2026, seq: 1 };
        assert_eq!(n.to_string(), "BJ-2026-0001");
        assert_eq!(n.revision_label(2), "BJ-2026-0001-V2");
        let big = DocNumber { kind: DocKind::Contract, year: 2026, seq: 12345 };
        assert_eq!(big.to_string(), "HT-2026-12345");
    }

    #[test]
    fn numbers_parse_back() {
        for kind in DocKind::ALL {
            let n = DocNumber { kind, year: 2027, seq: 42 };
            assert_eq!(n.to_string().parse::<DocNumber>(), Ok(n));
        }
        assert_eq!("tb-2026-0003".parse::<DocNumber>().map(|n| n.kind), Ok(DocKind::Bid));
    }

    #[test]
    fn malformed_numbers_are_rejected() {
        for s in ["", "BJ", "BJ-2026", "XX-2026-0001", "BJ-26-0001", "BJ-2026-1", "BJ-2026-0000", "BJ-2026-0001-V2"] {
            assert!(s.parse::<DocNumber>().is_err(), "{s}");
        }
    }
}
