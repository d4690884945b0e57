//! Checks and normalises what the office types about customers: 统一社会信用代码, mobile and
//! landline numbers, e-mail addresses. Errors tell the user, in Chinese, what to fix.
//!
//! Must never: look anything up (no network, no files, no database), accept a code whose check
//! character is wrong, or panic on any input.

use thiserror::Error;

/// What is wrong with a typed value; the Display text is shown next to the field.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ValidationError {
    #[error("请填写{0}")]
    Empty(&'static str),
    #[error("统一社会信用代码长度应为18位，当前为{0}位")]
    CreditCodeLength(usize),
    #[error("统一社会信用代码含有非法字符 {0}：只能是数字和大写字母，且不使用 I、O、Z、S、V")]
    CreditCodeChar(char),
    #[error("统一社会信用代码校验位错误：最后一位与前17位不符，请逐位核对是否抄错")]
    CreditCodeCheck,
    #[error("手机号应为11位数字，以1开头（可带 +86）")]
    MobileFormat,
    #[error("手机号应以13到19开头")]
    MobilePrefix,
    #[error("电话格式不正确：请写成 区号-号码（如 021-12345678）、400/800 号码或11位手机号，分机可写 -123 或 转123")]
    PhoneFormat,
    #[error("固定电话请加区号，如 021-12345678")]
    PhoneNeedsArea,
    #[error("区号 {0} 不正确：区号以0开头，010 和 02X 为3位，其他为4位")]
    PhoneArea(String),
    #[error("电话号码 {0} 不正确：应为7到8位数字，且不以0开头")]
    PhoneLocal(String),
    #[error("400/800 电话应为10位数字，如 400-800-1234")]
    PhoneService,
    #[error("分机号 {0} 不正确：应为1到6位数字")]
    PhoneExtension(String),
    #[error("邮箱不能包含空格")]
    EmailSpace,
    #[error("邮箱应包含且只包含一个 @")]
    EmailAt,
    #[error("邮箱 @ 前面不能为空")]
    EmailLocal,
    #[error("邮箱 @ 后面应为域名，如 example.com")]
    EmailDomain,
    #[error("身份证号码应为18位（最后一位可以是 X），当前为{0}位")]
    IdNumberLength(usize),
    #[error("身份证号码前17位只能是数字，最后一位是数字或 X")]
    IdNumberChar,
    #[error("身份证号码中的出生日期 {0} 不是有效日期")]
    IdNumberBirth(String),
    #[error("身份证号码校验位错误：最后一位应为 {0}，请逐位核对是否抄错")]
    IdNumberCheck(char),
}

/// Folds full-width ASCII (what a Chinese IME produces: "１３８", "＠", "－") and the
/// ideographic space to their ASCII forms, so users need not switch input modes.
pub fn to_halfwidth(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

fn is_ascii_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

// ---------------------------------------------------------------------------------------------
// 统一社会信用代码 (GB 32100-2015)

/// The 31 characters allowed; I, O, Z, S, V are left out because they look like 1, 0, 2, 5, U.
/// A character's position in this string is its value in the check computation.
const CREDIT_CODE_CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_CODE_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

fn credit_code_value(c: char) -> Option<u32> {
    let index = CREDIT_CODE_CHARSET.find(c)?;
    u32::try_from(index).ok()
}

/// The check character (18th) for the first 17 characters of a 统一社会信用代码, or `None`
/// if `first17` is not 17 characters of the code charset. Lowercase letters are accepted.
pub fn credit_code_check_char(first17: &str) -> Option<char> {
    let values: Vec<u32> = first17.chars().map(|c| credit_code_value(c.to_ascii_uppercase())).collect::<Option<_>>()?;
    if values.len() != CREDIT_CODE_WEIGHTS.len() {
        return None;
    }
    let sum: u32 = values.iter().zip(CREDIT_CODE_WEIGHTS).map(|(v, w)| v * w).sum();
    // 31 − (Σ mod 31), where 31 itself becomes 0.
    let check = (31 - sum % 31) % 31;
    CREDIT_CODE_CHARSET.chars().nth(usize::try_from(check).ok()?)
}

/// Validates a 统一社会信用代码 and returns it in canonical form: uppercase, without spaces.
/// Spaces anywhere are dropped because codes are often pasted in groups.
pub fn normalize_credit_code(input: &str) -> Result<String, ValidationError> {
    let code: String =
        to_halfwidth(input).chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect();
    if code.is_empty() {
        return Err(ValidationError::Empty("统一社会信用代码"));
    }
    let length = code.chars().count();
    if length != 18 {
        return Err(ValidationError::CreditCodeLength(length));
    }
    if let Some(bad) = code.chars().find(|c| credit_code_value(*c).is_none()) {
        return Err(ValidationError::CreditCodeChar(bad));
    }
    // Every character is ASCII now, so byte index 17 is the 18th character.
    let (first17, check) = code.split_at(17);
    if credit_code_check_char(first17) != check.chars().next() {
        return Err(ValidationError::CreditCodeCheck);
    }
    Ok(code)
}

/// Validates a 统一社会信用代码: 18 characters of the GB 32100 charset with a correct check
/// character. Lowercase and surrounding spaces are tolerated.
pub fn validate_credit_code(input: &str) -> Result<(), ValidationError> {
    normalize_credit_code(input).map(|_| ())
}

// ---------------------------------------------------------------------------------------------
// 居民身份证号码 (GB 11643)

/// The check character of an 18-digit ID number's first 17 digits (ISO 7064 MOD 11-2).
fn id_check_char(first17: &[u32]) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize]
}

/// Validates an 18-digit 居民身份证号码 (GB 11643: 17 digits, a valid birth date at 7–14 and the
/// MOD 11-2 check character) and returns it with a capital X. Spaces and full-width digits are
/// tolerated.
pub fn validate_id_number(input: &str) -> Result<String, ValidationError> {
    let code: String = to_halfwidth(input).chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    let n = code.chars().count();
    if n != 18 {
        return Err(ValidationError::IdNumberLength(n));
    }
    let digits: Vec<u32> = code.chars().take(17).filter_map(|c| c.to_digit(10)).collect();
    let last = code.chars().last().unwrap_or(' ');
    if digits.len() != 17 || !(last.is_ascii_digit() || last == 'X') {
        return Err(ValidationError::IdNumberChar);
    }
    let birth = &code[6..14];
    if chrono::NaiveDate::parse_from_str(birth, "%Y%m%d").is_err() || !("18" <= &code[6..8] && &code[6..8] <= "20") {
        return Err(ValidationError::IdNumberBirth(birth.to_string()));
    }
    let expected = id_check_char(&digits);
    if last != expected {
        return Err(ValidationError::IdNumberCheck(expected));
    }
    Ok(code)
}

/// The birth date written in a (valid) ID number.
pub fn id_number_birth(id: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(id.get(6..14)?, "%Y%m%d").ok()
}

/// An ID number as people without the right to see it read it: the first three and the last four
/// characters, the rest starred (`110***********1234`). Empty stays empty.
pub fn mask_id_number(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 7 {
        return "*".repeat(chars.len());
    }
    let (head, tail) = (&chars[..3], &chars[chars.len() - 4..]);
    format!("{}{}{}", head.iter().collect::<String>(), "*".repeat(chars.len() - 7), tail.iter().collect::<String>())
}

// ---------------------------------------------------------------------------------------------
// Mobile

/// Drops a +86 / 0086 / 86 country prefix; the bare "86" only when 13 digits remain, so a
/// number that merely starts with 86 is never cut.
fn strip_country_code(digits: &str) -> &str {
    if let Some(rest) = digits.strip_prefix("+86").or_else(|| digits.strip_prefix("0086")) {
        return rest;
    }
    match digits.strip_prefix("86") {
        Some(rest) if digits.len() == 13 => rest,
        _ => digits,
    }
}

/// Validates a mainland mobile number and returns its 11 digits: "+86 138-0013-8000" →
/// "13800138000". Spaces and dashes between groups are ignored.
pub fn validate_mobile(input: &str) -> Result<String, ValidationError> {
    let compact: String = to_halfwidth(input).chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if compact.is_empty() {
        return Err(ValidationError::Empty("手机号"));
    }
    let digits = strip_country_code(&compact);
    if digits.len() != 11 || !is_ascii_digits(digits) || !digits.starts_with('1') {
        return Err(ValidationError::MobileFormat);
    }
    if !matches!(digits.as_bytes().get(1), Some(b'3'..=b'9')) {
        return Err(ValidationError::MobilePrefix);
    }
    Ok(digits.to_string())
}

// ---------------------------------------------------------------------------------------------
// Phone (landline, 400/800, or mobile)

/// Validates a phone number and returns it normalised:
/// - mobile → 11 digits ("13800138000");
/// - landline → "区号-号码" ("021-12345678", "0571-8888888"), from "(010)12345678",
///   "021 1234 5678", "02112345678", …;
/// - 400/800 → "400-800-1234";
/// - an extension ("-123" or "转123") is appended as "转123": unlike a trailing "-123" it
///   cannot be mistaken for part of the number.
pub fn validate_phone(input: &str) -> Result<String, ValidationError> {
    let text = to_halfwidth(input).trim().to_string();
    if text.is_empty() {
        return Err(ValidationError::Empty("电话"));
    }
    if let Ok(mobile) = validate_mobile(&text) {
        return Ok(mobile);
    }
    let (main, written_ext) = split_written_extension(&text)?;
    let groups = phone_groups(main)?;
    let (number, dashed_ext) = if groups[0].starts_with("400") || groups[0].starts_with("800") {
        service_number(&groups)?
    } else if groups[0].starts_with('0') {
        landline_number(&groups)?
    } else {
        return Err(unprefixed_error(&groups));
    };
    let extension = match (written_ext, dashed_ext) {
        (Some(_), Some(_)) => return Err(ValidationError::PhoneFormat),
        (ext, None) | (None, ext) => ext,
    };
    Ok(match extension {
        Some(ext) => format!("{number}转{ext}"),
        None => number,
    })
}

/// Splits "021-12345678转123" at 转 and checks the extension.
fn split_written_extension(text: &str) -> Result<(&str, Option<String>), ValidationError> {
    match text.split_once('转') {
        Some((main, ext)) => Ok((main, Some(check_extension(ext.trim())?))),
        None => Ok((text, None)),
    }
}

fn check_extension(ext: &str) -> Result<String, ValidationError> {
    if is_ascii_digits(ext) && ext.len() <= 6 {
        Ok(ext.to_string())
    } else {
        Err(ValidationError::PhoneExtension(ext.to_string()))
    }
}

/// The digit groups between dashes; "(010)" counts as a group and spaces are ignored, because
/// offices write "021 1234 5678" as often as "021-12345678". Never returns an empty Vec.
fn phone_groups(main: &str) -> Result<Vec<String>, ValidationError> {
    let dashed: String =
        main.chars().filter(|c| !c.is_whitespace() && *c != '(').map(|c| if c == ')' { '-' } else { c }).collect();
    let groups: Vec<String> = dashed.split('-').map(str::to_string).collect();
    if groups.iter().all(|g| is_ascii_digits(g)) { Ok(groups) } else { Err(ValidationError::PhoneFormat) }
}

/// A number without the leading 0 of an area code: tell the user to add one if it looks like
/// a local landline number.
fn unprefixed_error(groups: &[String]) -> ValidationError {
    let digits = groups.concat();
    if (7..=8).contains(&digits.len()) { ValidationError::PhoneNeedsArea } else { ValidationError::PhoneFormat }
}

/// Joins groups until `wanted` digits are collected; returns them and the leftover groups.
fn take_digits(groups: &[String], wanted: usize) -> (String, &[String]) {
    let mut taken = String::new();
    let mut used = 0;
    while taken.len() < wanted && used < groups.len() {
        taken.push_str(&groups[used]);
        used += 1;
    }
    (taken, &groups[used..])
}

/// At most one group may follow the number: the extension.
fn dashed_extension(rest: &[String]) -> Result<Option<String>, ValidationError> {
    match rest {
        [] => Ok(None),
        [ext] => check_extension(ext).map(Some),
        _ => Err(ValidationError::PhoneFormat),
    }
}

/// 400/800 numbers: 10 digits written 3-3-4.
fn service_number(groups: &[String]) -> Result<(String, Option<String>), ValidationError> {
    let (digits, rest) = take_digits(groups, 10);
    if digits.len() != 10 {
        return Err(ValidationError::PhoneService);
    }
    let number = format!("{}-{}-{}", &digits[..3], &digits[3..6], &digits[6..]);
    Ok((number, dashed_extension(rest)?))
}

/// Length of the area code a number starts with: 010 and 02X have 3 digits, the rest 4.
fn area_code_len(digits: &str) -> usize {
    if digits.starts_with("010") || digits.starts_with("02") { 3 } else { 4 }
}

/// Landlines: area code (0 + 2 or 3 digits) and a 7–8 digit local number not starting with 0
/// (a 0 there means the area code was typed twice or split wrongly).
fn landline_number(groups: &[String]) -> Result<(String, Option<String>), ValidationError> {
    let first = &groups[0];
    let area_len = area_code_len(first);
    let area = first.get(..area_len).unwrap_or(first);
    let bad_area = first.len() < area_len || area.starts_with("00") || (area.starts_with("01") && area != "010");
    if bad_area {
        return Err(ValidationError::PhoneArea(area.to_string()));
    }
    // The local number is the rest of the first group, or the following groups (021-1234-5678).
    let mut after_area = vec![first[area_len..].to_string()];
    after_area.extend(groups[1..].iter().cloned());
    let after_area: Vec<String> = after_area.into_iter().filter(|g| !g.is_empty()).collect();
    let (local, rest) = take_digits(&after_area, 7);
    let local_ok = (7..=8).contains(&local.len()) && !local.starts_with('0');
    if !local_ok {
        return Err(ValidationError::PhoneLocal(local));
    }
    Ok((format!("{area}-{local}"), dashed_extension(rest)?))
}

// ---------------------------------------------------------------------------------------------
// E-mail

/// A deliberately simple e-mail check (one @, a dotted domain, no spaces) that catches typing
/// mistakes without rejecting unusual but valid addresses. Returns the address trimmed, with
/// the domain lowercased.
pub fn validate_email(input: &str) -> Result<String, ValidationError> {
    let text = to_halfwidth(input).trim().to_string();
    if text.is_empty() {
        return Err(ValidationError::Empty("邮箱"));
    }
    if text.chars().any(char::is_whitespace) {
        return Err(ValidationError::EmailSpace);
    }
    let (local, domain) = match text.split_once('@') {
        Some((local, domain)) if !domain.contains('@') => (local, domain),
        _ => return Err(ValidationError::EmailAt),
    };
    if local.is_empty() {
        return Err(ValidationError::EmailLocal);
    }
    let labels_ok = domain.split('.').count() >= 2 && domain.split('.').all(|l| !l.is_empty());
    if !labels_ok {
        return Err(ValidationError::EmailDomain);
    }
    Ok(format!("{local}@{}", domain.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_are_checked_by_their_check_character_and_birth_date() {
        // GB 11643's own example.
        assert_eq!(validate_id_number("11010519491231002x"), Ok("11010519491231002X".into()));
        assert_eq!(validate_id_number(" 440524188001010014 "), Ok("440524188001010014".into()));
        assert_eq!(validate_id_number("11010519491231002"), Err(ValidationError::IdNumberLength(17)));
        assert_eq!(validate_id_number("110105194912310021"), Err(ValidationError::IdNumberCheck('X')));
        assert_eq!(validate_id_number("11010519491331002X"), Err(ValidationError::IdNumberBirth("19491331".into())));
        assert_eq!(validate_id_number("1101051949123100A2"), Err(ValidationError::IdNumberChar));
        assert_eq!(id_number_birth("11010519491231002X"), chrono::NaiveDate::from_ymd_opt(1949, 12, 31));
    }

    #[test]
    fn a_masked_id_number_keeps_three_in_front_and_four_behind() {
        assert_eq!(mask_id_number("11010519491231002X"), "110***********002X");
        assert_eq!(mask_id_number(""), "");
        assert_eq!(mask_id_number("1234"), "****");
    }

    /// The worked example of GB 32100-2015.
    const STANDARD_EXAMPLE: &str = "91350100M000100Y43";

    fn with_check(first17: &str) -> String {
        let check = credit_code_check_char(first17).expect("valid first 17");
        format!("{first17}{check}")
    }

    #[test]
    fn credit_code_standard_example_is_valid() {
        assert_eq!(credit_code_check_char("91350100M000100Y4"), Some('3'));
        assert_eq!(validate_credit_code(STANDARD_EXAMPLE), Ok(()));
    }

    #[test]
    fn credit_code_accepts_generated_codes() {
        // Hand-checked: Σ for 91110108551385082 is 999 = 32×31 + 7, check 31−7 = 24 → 'Q'.
        assert_eq!(credit_code_check_char("91110108551385082"), Some('Q'));
        for first17 in [
            "91110108551385082",
            "12100000400000624",
            "91310000717866186",
            "91440300192203821",
            "92330106MA2CCCCC0",
            "5144030058916500X",
        ] {
            let code = with_check(first17);
            assert_eq!(validate_credit_code(&code), Ok(()), "{code}");
        }
    }

    #[test]
    fn credit_code_check_of_zero_wraps_to_0() {
        // Find a prefix whose weighted sum is a multiple of 31: its check char must be '0'.
        let prefix = (0..31u32)
            .map(|v| format!("9135010000000000{}", char_of(v)))
            .find(|p| weighted_sum(p).is_multiple_of(31))
            .expect("some last digit makes the sum divisible");
        assert_eq!(credit_code_check_char(&prefix), Some('0'));
    }

    fn char_of(value: u32) -> char {
        CREDIT_CODE_CHARSET.chars().nth(value as usize).expect("in charset")
    }

    fn weighted_sum(first17: &str) -> u32 {
        first17.chars().zip(CREDIT_CODE_WEIGHTS).map(|(c, w)| credit_code_value(c).expect("in charset") * w).sum()
    }

    #[test]
    fn credit_code_is_normalised() {
        assert_eq!(normalize_credit_code(" 91350100m000100y43 "), Ok(STANDARD_EXAMPLE.to_string()));
        assert_eq!(normalize_credit_code("913501 00M000 100Y43"), Ok(STANDARD_EXAMPLE.to_string()));
        assert_eq!(normalize_credit_code("９１３５０１００Ｍ０００１００Ｙ４３"), Ok(STANDARD_EXAMPLE.to_string()));
    }

    #[test]
    fn credit_code_rejections_say_what_is_wrong() {
        use ValidationError::*;
        assert_eq!(validate_credit_code(""), Err(Empty("统一社会信用代码")));
        assert_eq!(validate_credit_code("91350100M000100Y4"), Err(CreditCodeLength(17)));
        assert_eq!(validate_credit_code("91350100M000100Y433"), Err(CreditCodeLength(19)));
        assert_eq!(validate_credit_code("91350100MO00100Y43"), Err(CreditCodeChar('O')));
        assert_eq!(validate_credit_code("91350100M000100Y4中"), Err(CreditCodeChar('中')));
        assert_eq!(validate_credit_code("91350100M000100Y44"), Err(CreditCodeCheck));
        // A single mistyped digit is caught by the check character.
        assert_eq!(validate_credit_code("91350100M000200Y43"), Err(CreditCodeCheck));
        assert_eq!(CreditCodeLength(17).to_string(), "统一社会信用代码长度应为18位，当前为17位");
        assert!(CreditCodeChar('I').to_string().contains("非法字符 I"));
        assert!(CreditCodeCheck.to_string().contains("校验位错误"));
    }

    #[test]
    fn credit_code_check_char_refuses_bad_prefixes() {
        assert_eq!(credit_code_check_char("9135010"), None);
        assert_eq!(credit_code_check_char("91350100M000100Y43"), None);
        assert_eq!(credit_code_check_char("91350100I000100Y4"), None);
        assert_eq!(credit_code_check_char("91350100m000100y4"), Some('3'));
    }

    #[test]
    fn mobile_is_normalised_to_eleven_digits() {
        let cases = [
            "13800138000",
            " 138 0013 8000 ",
            "138-0013-8000",
            "+86 138 0013 8000",
            "+8613800138000",
            "8613800138000",
            "0086-138-0013-8000",
            "１３８００１３８０００",
        ];
        for input in cases {
            assert_eq!(validate_mobile(input), Ok("13800138000".into()), "{input}");
        }
        assert_eq!(validate_mobile("19912345678"), Ok("19912345678".into()));
    }

    #[test]
    fn mobile_rejections() {
        use ValidationError::*;
        assert_eq!(validate_mobile(""), Err(Empty("手机号")));
        assert_eq!(validate_mobile("1380013800"), Err(MobileFormat));
        assert_eq!(validate_mobile("138001380001"), Err(MobileFormat));
        assert_eq!(validate_mobile("23800138000"), Err(MobileFormat));
        assert_eq!(validate_mobile("1380013800a"), Err(MobileFormat));
        assert_eq!(validate_mobile("12800138000"), Err(MobilePrefix));
        assert_eq!(validate_mobile("+86 12800138000"), Err(MobilePrefix));
        assert_eq!(MobileFormat.to_string(), "手机号应为11位数字，以1开头（可带 +86）");
    }

    #[test]
    fn phone_accepts_landlines_service_numbers_and_mobiles() {
        let cases = [
            ("021-12345678", "021-12345678"),
            ("0571-8888888", "0571-8888888"),
            ("(010)12345678", "010-12345678"),
            ("（010）12345678", "010-12345678"),
            ("(010) 1234 5678", "010-12345678"),
            ("02112345678", "021-12345678"),
            ("0755 8888 8888", "0755-88888888"),
            ("021-1234-5678", "021-12345678"),
            ("021-12345678-123", "021-12345678转123"),
            ("021-12345678转123", "021-12345678转123"),
            ("0571-8888888 转 8001", "0571-8888888转8001"),
            ("400-800-1234", "400-800-1234"),
            ("4008001234", "400-800-1234"),
            ("800-820-8820", "800-820-8820"),
            ("400-800-1234转5", "400-800-1234转5"),
            ("138 0013 8000", "13800138000"),
            ("+86-138-0013-8000", "13800138000"),
        ];
        for (input, expected) in cases {
            assert_eq!(validate_phone(input), Ok(expected.to_string()), "{input}");
        }
    }

    #[test]
    fn phone_rejections_point_at_the_problem() {
        use ValidationError::*;
        assert_eq!(validate_phone("  "), Err(Empty("电话")));
        assert_eq!(validate_phone("12345678"), Err(PhoneNeedsArea));
        assert_eq!(validate_phone("abc"), Err(PhoneFormat));
        assert_eq!(validate_phone("021--12345678"), Err(PhoneFormat));
        assert_eq!(validate_phone("011-12345678"), Err(PhoneArea("011".into())));
        assert_eq!(validate_phone("001-12345678"), Err(PhoneArea("001".into())));
        assert_eq!(validate_phone("021-0234567"), Err(PhoneLocal("0234567".into())));
        assert_eq!(validate_phone("021-123456"), Err(PhoneLocal("123456".into())));
        assert_eq!(validate_phone("021-123456789"), Err(PhoneLocal("123456789".into())));
        assert_eq!(validate_phone("400-800-123"), Err(PhoneService));
        assert_eq!(validate_phone("021-12345678转12a"), Err(PhoneExtension("12a".into())));
        assert_eq!(validate_phone("021-12345678-1234567"), Err(PhoneExtension("1234567".into())));
        assert_eq!(validate_phone("021-12345678-1-2"), Err(PhoneFormat));
        assert_eq!(validate_phone("021-12345678-1转2"), Err(PhoneFormat));
        assert_eq!(validate_phone("0"), Err(PhoneArea("0".into())));
    }

    #[test]
    fn email_simple_rules() {
        use ValidationError::*;
        assert_eq!(validate_email(" Zhang.San@Example.COM "), Ok("Zhang.San@example.com".into()));
        assert_eq!(validate_email("li＠qq.com"), Ok("li@qq.com".into()));
        assert_eq!(validate_email("a@b.cn"), Ok("a@b.cn".into()));
        assert_eq!(validate_email(""), Err(Empty("邮箱")));
        assert_eq!(validate_email("zhang san@qq.com"), Err(EmailSpace));
        assert_eq!(validate_email("zhangsan.qq.com"), Err(EmailAt));
        assert_eq!(validate_email("a@b@qq.com"), Err(EmailAt));
        assert_eq!(validate_email("@qq.com"), Err(EmailLocal));
        assert_eq!(validate_email("zhangsan@qq"), Err(EmailDomain));
        assert_eq!(validate_email("zhangsan@qq."), Err(EmailDomain));
        assert_eq!(validate_email("zhangsan@.com"), Err(EmailDomain));
        assert_eq!(validate_email("zhangsan@qq..com"), Err(EmailDomain));
        assert_eq!(validate_email("zhangsan@"), Err(EmailDomain));
    }

    #[test]
    fn halfwidth_folds_ime_input() {
        assert_eq!(to_halfwidth("１２３　ＡＢＣ－＠％"), "123 ABC-@%");
        assert_eq!(to_halfwidth("￥中文"), "￥中文");
    }
}
