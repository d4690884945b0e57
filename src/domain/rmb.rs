//! 人民币大写: writes a [`Money`] amount in Chinese capital numerals for 收据, 合同 and 发票
//! printouts, following 中国人民银行《正确填写票据和结算凭证的基本规定》(《支付结算办法》附件).
//!
//! Must never: round (it writes the exact 分 of the amount), add the "人民币" prefix (the
//! caller does), or panic: amounts too large to write are an error.
//!
//! Where the rules allow two styles, this module always writes the same one:
//! - 零 between 元 and 角 when the 元 digit is 0 and the integer part is not 0:
//!   ¥1680.32 → 壹仟陆佰捌拾元零叁角贰分 (not 壹仟陆佰捌拾元叁角贰分).
//! - No 零 when only the 万 digit (or 亿 digit) is 0 and the next digit is a 仟:
//!   ¥107000.53 → 壹拾万柒仟元零伍角叁分, as in the PBoC example.
//! - 整 after 元 and after 角 when there is no 分: ¥1409.50 → 壹仟肆佰零玖元伍角整.
//! - 10–19 always carry 壹: 壹拾伍元整, never 拾伍元整.
//! - Amounts under one 元 start directly with 角/分: ¥0.56 → 伍角陆分.
//! - Negative amounts start with 负.

use thiserror::Error;

use super::money::Money;

const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
/// Unit of each digit inside a four-digit section, from the lowest.
const PLACE_UNITS: [&str; 4] = ["", "拾", "佰", "仟"];
/// Suffix after each four-digit section, highest first; the 亿 after the second section is
/// written separately because it also closes the 万亿 section (壹万亿, 壹万零壹亿).
const SECTION_SUFFIX: [&str; 4] = ["万", "", "万", ""];
const YI: u64 = 100_000_000;
/// 10^16 元 in 分: the 万亿 section is the largest this module writes.
const LIMIT_FEN: u64 = 1_000_000_000_000_000_000;

/// Why an amount cannot be written in 大写.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RmbError {
    #[error("金额过大，无法写成大写（不能达到一亿亿元）：{0}")]
    TooLarge(String),
}

/// Writes `amount` in 人民币大写, e.g. 12345.67 → "壹万贰仟叁佰肆拾伍元陆角柒分".
pub fn rmb_uppercase(amount: Money) -> Result<String, RmbError> {
    let fen = amount
        .fen()
        .map(i64::unsigned_abs)
        .filter(|fen| *fen < LIMIT_FEN)
        .ok_or_else(|| RmbError::TooLarge(amount.to_string()))?;
    if fen == 0 {
        return Ok("零元整".to_string());
    }
    let yuan = fen / 100;
    let sign = if amount.is_negative() { "负" } else { "" };
    let integer = if yuan == 0 { String::new() } else { format!("{}元", integer_text(yuan)) };
    let fraction = fraction_text(yuan, fen / 10 % 10, fen % 10);
    Ok(format!("{sign}{integer}{fraction}"))
}

fn digit(d: u64) -> char {
    // `d` is always a single decimal digit here; `get` keeps this panic-free regardless.
    usize::try_from(d).ok().and_then(|i| DIGITS.get(i).copied()).unwrap_or('零')
}

/// The part after 元: 角 and 分, or 整.
fn fraction_text(yuan: u64, jiao: u64, fen: u64) -> String {
    // A gap between the written integer part and the first written fraction digit gets one 零:
    // either the 元 digit is 0 (1680.32) or the 角 digit is 0 before a 分 (1.05).
    let gap_before_jiao = yuan > 0 && yuan.is_multiple_of(10);
    match (jiao, fen) {
        (0, 0) => "整".to_string(),
        (j, 0) => format!("{}{}角整", zero_if(gap_before_jiao), digit(j)),
        (0, f) => format!("{}{}分", zero_if(yuan > 0), digit(f)),
        (j, f) => format!("{}{}角{}分", zero_if(gap_before_jiao), digit(j), digit(f)),
    }
}

fn zero_if(condition: bool) -> &'static str {
    if condition { "零" } else { "" }
}

/// Writes a positive integer below 10^16 by four-digit sections (万亿, 亿, 万, 元), with one 零
/// for any run of zeros between written digits, except the trailing zeros of a section that is
/// followed by a section starting with its 仟 digit (壹拾万柒仟, 壹仟零壹万).
fn integer_text(n: u64) -> String {
    let sections = [n / (YI * 10_000), n / YI % 10_000, n / 10_000 % 10_000, n % 10_000];
    let mut out = String::new();
    // Whether a whole section of zeros was skipped since the last written digit.
    let mut skipped = false;
    for (i, (&section, suffix)) in sections.iter().zip(SECTION_SUFFIX).enumerate() {
        if section == 0 {
            skipped |= !out.is_empty();
        } else {
            if !out.is_empty() && (skipped || section < 1000) {
                out.push('零');
            }
            out.push_str(&section_text(section));
            out.push_str(suffix);
            skipped = false;
        }
        if i == 1 && n >= YI {
            out.push('亿');
        }
    }
    out
}

/// Writes 1..=9999 without leading or trailing 零, one 零 for inner zeros (1005 → 壹仟零伍).
fn section_text(section: u64) -> String {
    let digits = [section / 1000, section / 100 % 10, section / 10 % 10, section % 10];
    let mut out = String::new();
    let mut zero_pending = false;
    for (d, unit) in digits.into_iter().zip(PLACE_UNITS.iter().rev()) {
        if d == 0 {
            zero_pending |= !out.is_empty();
            continue;
        }
        if zero_pending {
            out.push('零');
            zero_pending = false;
        }
        out.push(digit(d));
        out.push_str(unit);
    }
    out
}

/// Reads 人民币大写 back into an amount: the inverse of [`rmb_uppercase`], so a printed figure can
/// be checked against its words (and the writer tested by spelling and reading back). Accepts an
/// optional 人民币 prefix; `None` for text that is not 大写.
pub fn parse_uppercase(text: &str) -> Option<Money> {
    let text = text.trim();
    let text = text.strip_prefix("人民币").unwrap_or(text);
    let (negative, text) = match text.strip_prefix('负') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (integer, fraction) = match text.split_once('元') {
        Some((i, f)) => (i, f),
        None => ("", text),
    };
    let yuan = if integer.is_empty() { 0 } else { integer_value(integer)? };
    let fraction = fraction.strip_suffix('整').unwrap_or(fraction);
    let (mut jiao, mut fen) = (0u64, 0u64);
    let mut pending = None;
    for c in fraction.chars() {
        match c {
            '零' => {}
            '角' => jiao = pending.take()?,
            '分' => fen = pending.take()?,
            c => pending = Some(digit_value(c)?),
        }
    }
    if pending.is_some() || (text.is_empty()) {
        return None;
    }
    let fen_total = i64::try_from(yuan.checked_mul(100)?.checked_add(jiao * 10 + fen)?).ok()?;
    Some(Money::from_fen(if negative { -fen_total } else { fen_total }))
}

fn digit_value(c: char) -> Option<u64> {
    DIGITS.iter().position(|&d| d == c).map(|p| p as u64)
}

/// 壹万零壹亿… → 1 0001 0000 0000: split at 亿, then at 万, then read one four-digit section.
fn integer_value(text: &str) -> Option<u64> {
    if let Some((high, low)) = text.rsplit_once('亿') {
        return integer_value(high)?.checked_mul(YI)?.checked_add(if low.is_empty() { 0 } else { integer_value(low)? });
    }
    if let Some((high, low)) = text.rsplit_once('万') {
        return section_value(high)?.checked_mul(10_000)?.checked_add(if low.is_empty() {
            0
        } else {
            section_value(low)?
        });
    }
    section_value(text)
}

/// 壹仟零伍 → 1005; a bare 零 is 0.
fn section_value(text: &str) -> Option<u64> {
    let (mut total, mut pending) = (0u64, None);
    for c in text.chars() {
        let unit = match c {
            '零' => continue,
            '拾' => 10,
            '佰' => 100,
            '仟' => 1000,
            c => {
                pending = Some(digit_value(c)?);
                continue;
            }
        };
        total += pending.take()? * unit;
    }
    Some(total + pending.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn spelled_amounts_read_back_to_the_same_amount() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(0x00C0_FFEE);
        // Every amount to ¥100.00, then a spread over every magnitude up to 10^16 元.
        let small = (0..=10_000i64).map(Money::from_fen);
        let spread = (0..100_000).map(|_| {
            let digits = rng.gen_range(1..=18u32);
            let fen = rng.gen_range(0..10u64.pow(digits)) as i64;
            Money::from_fen(if rng.gen_bool(0.05) { -fen } else { fen })
        });
        for amount in small.chain(spread) {
            let words = rmb_uppercase(amount).expect("writable");
            assert_eq!(parse_uppercase(&words), Some(amount), "{amount} → {words}");
        }
    }

    #[test]
    fn what_is_not_uppercase_is_not_read() {
        for text in ["", "abc", "壹拾元伍", "壹元角", "12元", "元整x"] {
            assert_eq!(parse_uppercase(text), None, "{text:?}");
        }
        assert_eq!(parse_uppercase("人民币壹万贰仟叁佰肆拾伍元陆角柒分"), Some(Money::from_fen(1_234_567)));
    }

    fn upper(text: &str) -> String {
        let amount = Money::parse(text).expect("test amount");
        rmb_uppercase(amount).expect("writable amount")
    }

    #[test]
    fn writes_every_rule_case() {
        let cases = [
            // zero, 分-only, 角-only
            ("0", "零元整"),
            ("0.01", "壹分"),
            ("0.05", "伍分"),
            ("0.10", "壹角整"),
            ("0.50", "伍角整"),
            ("0.56", "伍角陆分"),
            // 元 with and without 角/分
            ("1.00", "壹元整"),
            ("1.05", "壹元零伍分"),
            ("1.50", "壹元伍角整"),
            ("10.01", "壹拾元零壹分"),
            ("10.10", "壹拾元零壹角整"),
            ("60.06", "陆拾元零陆分"),
            // 10–19 carry 壹
            ("10", "壹拾元整"),
            ("15", "壹拾伍元整"),
            ("19.99", "壹拾玖元玖角玖分"),
            ("20", "贰拾元整"),
            // zeros inside a section
            ("100", "壹佰元整"),
            ("101", "壹佰零壹元整"),
            ("110", "壹佰壹拾元整"),
            ("325.04", "叁佰贰拾伍元零肆分"),
            ("1005", "壹仟零伍元整"),
            ("1010", "壹仟零壹拾元整"),
            ("1000.10", "壹仟元零壹角整"),
            // PBoC examples
            ("1409.50", "壹仟肆佰零玖元伍角整"),
            ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
            ("6007.14", "陆仟零柒元壹角肆分"),
            ("107000.53", "壹拾万柒仟元零伍角叁分"),
            // 万
            ("10000", "壹万元整"),
            ("10001", "壹万零壹元整"),
            ("10010", "壹万零壹拾元整"),
            ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
            ("100700", "壹拾万零柒佰元整"),
            ("100000.01", "壹拾万元零壹分"),
            ("105000", "壹拾万伍仟元整"),
            ("150000", "壹拾伍万元整"),
            ("200000", "贰拾万元整"),
            ("1000000", "壹佰万元整"),
            ("1000001", "壹佰万零壹元整"),
            ("10010000", "壹仟零壹万元整"),
            // 亿 and gaps across sections
            ("100000000", "壹亿元整"),
            ("100000001", "壹亿零壹元整"),
            ("100001000", "壹亿零壹仟元整"),
            ("100010000", "壹亿零壹万元整"),
            ("110000000", "壹亿壹仟万元整"),
            ("1000010000", "壹拾亿零壹万元整"),
            ("1234567890.12", "壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元零壹角贰分"),
            ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
            // 万亿
            ("1000000000000", "壹万亿元整"),
            ("1000000000001", "壹万亿零壹元整"),
            ("1000100000000", "壹万零壹亿元整"),
            ("1000010000000", "壹万亿零壹仟万元整"),
            ("9999999999999999.99", "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
            // negatives
            ("-1.05", "负壹元零伍分"),
            ("-0.50", "负伍角整"),
            ("-100000001", "负壹亿零壹元整"),
        ];
        assert!(cases.len() >= 35);
        for (amount, expected) in cases {
            assert_eq!(upper(amount), expected, "¥{amount}");
        }
    }

    #[test]
    fn refuses_amounts_it_cannot_write() {
        let too_large =
            [Money::from_fen(1_000_000_000_000_000_000), Money::from_fen(i64::MIN), Money::from_decimal(Decimal::MAX)];
        for amount in too_large {
            assert!(matches!(rmb_uppercase(amount), Err(RmbError::TooLarge(_))), "{amount}");
        }
    }

    #[test]
    fn every_amount_up_to_a_hundred_yuan_is_well_formed() {
        // Property: no doubled 零, no leading or trailing 零, and 整 exactly when 分 is 0.
        for fen in 1..10_000i64 {
            let text = rmb_uppercase(Money::from_fen(fen)).expect("small amount");
            assert!(!text.contains("零零"), "{fen}: {text}");
            assert!(!text.starts_with('零'), "{fen}: {text}");
            assert!(!text.ends_with("零整"), "{fen}: {text}");
            assert_eq!(text.ends_with('整'), fen % 10 == 0, "{fen}: {text}");
        }
    }

    #[test]
    fn error_message_is_chinese() {
        let err = rmb_uppercase(Money::from_decimal(Decimal::MAX)).expect_err("too large");
        assert!(err.to_string().starts_with("金额过大"));
    }
}
