//! Typed tender requirements (招标条款的量化要求): a clause such as "质保期：设备验收合格之日起不少于
//! 24个月" carries, besides its text, the requirement it states — warranty ≥ 24 months — so that
//! what the bid offers is read from the bid's own data and its deviation (正/负/无偏离) computed,
//! never typed. A ★ clause (实质性条款) with a negative deviation makes a tender committee reject
//! the bid (废标); the cross-checks in [`crate::domain::bid`] refuse it before it goes out.
//!
//! [`suggest`] reads the requirement out of a clause's text when it is pasted; the registrant
//! confirms it. Pure: "the last N years" is judged as of a date the caller gives.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::policy::CommercialTerms;
use crate::domain::quote::Deviation;

/// What a typed clause requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Requirement {
    /// 质保期不少于 N 个月
    WarrantyMonths { at_least: u32 },
    /// 交货期不超过 N 天
    DeliveryDays { at_most: u32 },
    /// 投标有效期不少于 N 天
    ValidityDays { at_least: u32 },
    /// 预付款不超过 N %（0: the tender pays nothing in advance）
    Prepayment { at_most_pct: Decimal },
    /// 近 N 年同类业绩不少于 M 项
    References { at_least: u32, years: u32 },
    /// 提供某类证书（型式试验报告、质量管理体系认证 …）
    Certificate { kind: String },
}

/// The kinds of requirement, in the order the clause editor offers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequirementKind {
    WarrantyMonths,
    DeliveryDays,
    ValidityDays,
    Prepayment,
    References,
    Certificate,
}

impl RequirementKind {
    pub const ALL: [RequirementKind; 6] = [
        RequirementKind::WarrantyMonths,
        RequirementKind::DeliveryDays,
        RequirementKind::ValidityDays,
        RequirementKind::Prepayment,
        RequirementKind::References,
        RequirementKind::Certificate,
    ];

    pub fn label(self) -> &'static str {
        match self {
            RequirementKind::WarrantyMonths => "质保期（月）不少于",
            RequirementKind::DeliveryDays => "交货期（天）不超过",
            RequirementKind::ValidityDays => "投标有效期（天）不少于",
            RequirementKind::Prepayment => "预付款比例（%）不超过",
            RequirementKind::References => "同类业绩（项）不少于",
            RequirementKind::Certificate => "须提供证书",
        }
    }

    /// A requirement of this kind with a usual starting value (the editor then takes the number).
    pub fn default_requirement(self) -> Requirement {
        match self {
            RequirementKind::WarrantyMonths => Requirement::WarrantyMonths { at_least: 12 },
            RequirementKind::DeliveryDays => Requirement::DeliveryDays { at_most: 30 },
            RequirementKind::ValidityDays => Requirement::ValidityDays { at_least: 90 },
            RequirementKind::Prepayment => Requirement::Prepayment { at_most_pct: Decimal::ZERO },
            RequirementKind::References => Requirement::References { at_least: 3, years: 3 },
            RequirementKind::Certificate => Requirement::Certificate { kind: "型式试验报告".into() },
        }
    }
}

/// What the bid offers against one requirement, and how that deviates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// What the 偏离表's 投标响应 column says, e.g. "质保期24个月".
    pub text: String,
    pub deviation: Deviation,
}

/// The bid's own data the requirements are judged against.
#[derive(Debug, Clone, Copy)]
pub struct BidFacts<'a> {
    pub terms: &'a CommercialTerms,
    /// The kinds of the certificates the bid attaches (valid ones only).
    pub certificate_kinds: &'a [String],
    /// The signing dates of the references (业绩) the bid lists.
    pub reference_dates: &'a [NaiveDate],
    /// The day the bid is judged (references count back from it).
    pub today: NaiveDate,
}

impl Requirement {
    pub fn kind(&self) -> RequirementKind {
        match self {
            Requirement::WarrantyMonths { .. } => RequirementKind::WarrantyMonths,
            Requirement::DeliveryDays { .. } => RequirementKind::DeliveryDays,
            Requirement::ValidityDays { .. } => RequirementKind::ValidityDays,
            Requirement::Prepayment { .. } => RequirementKind::Prepayment,
            Requirement::References { .. } => RequirementKind::References,
            Requirement::Certificate { .. } => RequirementKind::Certificate,
        }
    }

    /// "质保期 ≥ 24 个月": the requirement in a few characters (the compliance table, the editor).
    pub fn label(&self) -> String {
        match self {
            Requirement::WarrantyMonths { at_least } => format!("质保期 ≥ {at_least} 个月"),
            Requirement::DeliveryDays { at_most } => format!("交货期 ≤ {at_most} 天"),
            Requirement::ValidityDays { at_least } => format!("投标有效期 ≥ {at_least} 天"),
            Requirement::Prepayment { at_most_pct } if at_most_pct.is_zero() => "无预付款".into(),
            Requirement::Prepayment { at_most_pct } => format!("预付款 ≤ {}%", at_most_pct.normalize()),
            Requirement::References { at_least, years } => format!("近{years}年同类业绩 ≥ {at_least} 项"),
            Requirement::Certificate { kind } => format!("提供{kind}"),
        }
    }

    /// What the bid offers and the deviation, from the bid's data. Better than required is 正偏离,
    /// worse 负偏离; more references or a certificate than asked is simply met (无偏离).
    pub fn offer(&self, facts: &BidFacts<'_>) -> Offer {
        fn compare(offered: Decimal, required: Decimal, more_is_better: bool) -> Deviation {
            match offered.cmp(&required) {
                std::cmp::Ordering::Equal => Deviation::None,
                std::cmp::Ordering::Greater if more_is_better => Deviation::Positive,
                std::cmp::Ordering::Less if !more_is_better => Deviation::Positive,
                _ => Deviation::Negative,
            }
        }
        let t = facts.terms;
        match self {
            Requirement::WarrantyMonths { at_least } => Offer {
                text: format!("质保期{}个月", t.warranty_months),
                deviation: compare(t.warranty_months.into(), (*at_least).into(), true),
            },
            Requirement::DeliveryDays { at_most } => Offer {
                text: format!("合同签订后{}天内交货", t.delivery_days),
                deviation: compare(t.delivery_days.into(), (*at_most).into(), false),
            },
            Requirement::ValidityDays { at_least } => Offer {
                text: format!("投标有效期{}天", t.validity_days),
                deviation: compare(t.validity_days.into(), (*at_least).into(), true),
            },
            Requirement::Prepayment { at_most_pct } => Offer {
                text: if t.prepayment_pct.is_zero() {
                    "不要求预付款".into()
                } else {
                    format!("预付款{}%", t.prepayment_pct.normalize())
                },
                deviation: compare(t.prepayment_pct, *at_most_pct, false),
            },
            Requirement::References { at_least, years } => {
                let n = references_within(facts.reference_dates, *years, facts.today);
                Offer {
                    text: if n == 0 {
                        format!("未提供近{years}年同类业绩")
                    } else {
                        format!("近{years}年同类业绩{n}项（见业绩表）")
                    },
                    deviation: if n >= *at_least { Deviation::None } else { Deviation::Negative },
                }
            }
            Requirement::Certificate { kind } => {
                if facts.certificate_kinds.iter().any(|k| k == kind) {
                    Offer { text: format!("已提供{kind}（见资格证明文件）"), deviation: Deviation::None }
                } else {
                    Offer { text: format!("未附{kind}"), deviation: Deviation::Negative }
                }
            }
        }
    }

    /// What is wrong with the numbers as typed (zero months, a percentage over 100 …).
    pub fn problem(&self) -> Option<&'static str> {
        match self {
            Requirement::WarrantyMonths { at_least: 0 } => Some("质保期要求应大于 0 个月"),
            Requirement::DeliveryDays { at_most: 0 } => Some("交货期要求应大于 0 天"),
            Requirement::ValidityDays { at_least: 0 } => Some("投标有效期要求应大于 0 天"),
            Requirement::Prepayment { at_most_pct } if *at_most_pct < Decimal::ZERO || *at_most_pct > 100.into() => {
                Some("预付款比例应在 0–100% 之间")
            }
            Requirement::References { at_least: 0, .. } => Some("业绩数量要求应大于 0 项"),
            Requirement::References { years: 0, .. } => Some("业绩年限应大于 0 年"),
            Requirement::Certificate { kind } if kind.trim().is_empty() => Some("请填写须提供的证书类别"),
            _ => None,
        }
    }
}

/// How many of `dates` fall within the last `years` years before `today` (inclusive).
pub fn references_within(dates: &[NaiveDate], years: u32, today: NaiveDate) -> u32 {
    let year = today.year() - years as i32;
    // 29 February in a year that has none: the day after.
    let from = NaiveDate::from_ymd_opt(year, today.month(), today.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
        .unwrap_or(NaiveDate::MIN);
    dates.iter().filter(|d| **d >= from && **d <= today).count() as u32
}

/// Whether a clause is marked 实质性 (★ in its number or text, or the word itself).
pub fn looks_starred(no: &str, requirement: &str) -> bool {
    no.contains('★') || requirement.starts_with('★') || requirement.contains("实质性")
}

/// The requirement a clause's text states, where it plainly states one; `None` for everything
/// else (technical parameters, training, free wording). The registrant confirms the suggestion.
pub fn suggest(text: &str) -> Option<Requirement> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    // Each reading returns only when the number after its word has the right unit: "质保期满付10%"
    // in a payment clause is not a warranty.
    let after = |words: &[&str]| find_any(&t, words).and_then(|at| number_after(&t[at..]));
    if t.contains("投标")
        && let Some((n, unit)) = after(&["投标有效期", "有效期"])
        && is_day(unit)
    {
        return Some(Requirement::ValidityDays { at_least: whole(n)? });
    }
    match after(&["质保期", "质量保证期", "保修期", "质保"]) {
        Some((n, "年")) => return Some(Requirement::WarrantyMonths { at_least: whole(n)?.checked_mul(12)? }),
        Some((n, "月" | "个月")) => return Some(Requirement::WarrantyMonths { at_least: whole(n)? }),
        _ => {}
    }
    if t.contains("业绩") {
        let years = find_any(&t, &["近", "最近"]).and_then(|at| number_after(&t[at..])).filter(|(_, u)| *u == "年");
        let count = find_any(&t, &["不少于", "不低于", "至少", "≥"])
            .and_then(|at| number_after(&t[at..]))
            .filter(|(_, u)| matches!(*u, "项" | "个" | "份"));
        if let Some((count, _)) = count {
            let years = years.and_then(|(y, _)| whole(y)).unwrap_or(3);
            return Some(Requirement::References { at_least: whole(count)?, years });
        }
    }
    if let Some((n, unit)) = after(&["交货期", "供货期", "交货", "交付", "到货"])
        && is_day(unit)
    {
        return Some(Requirement::DeliveryDays { at_most: whole(n)? });
    }
    if let Some((n, "%")) = after(&["预付"]) {
        return Some(Requirement::Prepayment { at_most_pct: n });
    }
    if t.contains("付款") && t.contains('%') && !t.contains("预付") {
        // A payment schedule with no advance: nothing is paid before delivery.
        return Some(Requirement::Prepayment { at_most_pct: Decimal::ZERO });
    }
    if t.contains("提供") {
        const ALIASES: &[(&str, &str)] = &[
            ("型式试验报告", "型式试验报告"),
            ("型式试验", "型式试验报告"),
            ("检测报告", "检测报告"),
            ("检验报告", "检测报告"),
            ("ISO9001", "质量管理体系认证"),
            ("质量管理体系", "质量管理体系认证"),
            ("ISO14001", "环境管理体系认证"),
            ("环境管理体系", "环境管理体系认证"),
            ("ISO45001", "职业健康安全管理体系认证"),
            ("3C", "产品认证证书"),
            ("CCC", "产品认证证书"),
            ("生产许可证", "生产许可证"),
        ];
        let upper = t.to_uppercase();
        if let Some((_, kind)) = ALIASES.iter().find(|(alias, _)| upper.contains(alias)) {
            return Some(Requirement::Certificate { kind: (*kind).into() });
        }
    }
    None
}

fn find_any(t: &str, words: &[&str]) -> Option<usize> {
    words.iter().filter_map(|w| t.find(w)).min()
}

fn is_day(unit: &str) -> bool {
    matches!(unit, "天" | "日" | "日历天" | "个日历日" | "个工作日" | "工作日")
}

fn whole(n: Decimal) -> Option<u32> {
    use rust_decimal::prelude::ToPrimitive;
    if n.fract().is_zero() && n > Decimal::ZERO { n.to_u32() } else { None }
}

/// The first number in `t` (Arabic or Chinese numerals, 二十四 …) and the unit right after it.
fn number_after(t: &str) -> Option<(Decimal, &str)> {
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    let start = chars.iter().position(|(_, c)| c.is_ascii_digit() || chinese_digit(*c).is_some())?;
    let mut end = start;
    let arabic = chars[start].1.is_ascii_digit();
    while end < chars.len()
        && (if arabic {
            chars[end].1.is_ascii_digit() || chars[end].1 == '.'
        } else {
            chinese_digit(chars[end].1).is_some()
        })
    {
        end += 1;
    }
    let from = chars[start].0;
    let to = chars.get(end).map_or(t.len(), |(i, _)| *i);
    let digits = &t[from..to];
    let n = if arabic { digits.trim_end_matches('.').parse().ok()? } else { Decimal::from(chinese_number(digits)?) };
    let rest = &t[to..];
    const UNITS: &[&str] =
        &["个日历日", "个工作日", "日历天", "工作日", "个月", "月", "年", "天", "日", "%", "％", "项", "个", "份"];
    let unit = UNITS.iter().find(|u| rest.starts_with(**u)).copied().unwrap_or("");
    Some((n, if unit == "％" { "%" } else { unit }))
}

fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        '十' => 10,
        '百' => 100,
        _ => return None,
    })
}

/// 二十四 → 24, 十二 → 12, 一百八十 → 180, 三 → 3.
fn chinese_number(s: &str) -> Option<u32> {
    let mut total = 0u32;
    let mut digit: Option<u32> = None;
    for c in s.chars() {
        match chinese_digit(c)? {
            unit @ (10 | 100) => {
                total += digit.unwrap_or(1) * unit;
                digit = None;
            }
            d => digit = Some(d),
        }
    }
    Some(total + digit.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn the_demo_tenders_clauses_are_read_as_registrants_would_type_them() {
        let cases: &[(&str, Option<Requirement>)] = &[
            ("质保期：设备验收合格之日起不少于24个月", Some(Requirement::WarrantyMonths { at_least: 24 })),
            ("质保期不少于二十四个月", Some(Requirement::WarrantyMonths { at_least: 24 })),
            ("质保期2年", Some(Requirement::WarrantyMonths { at_least: 24 })),
            ("交货期：合同签订后60日内交货至项目现场", Some(Requirement::DeliveryDays { at_most: 60 })),
            ("投标有效期90日历天", Some(Requirement::ValidityDays { at_least: 90 })),
            ("投标人须提供近三年同类产品供货业绩不少于5项", Some(Requirement::References { at_least: 5, years: 3 })),
            ("付款方式：到货验收合格后付90%，质保期满付10%", Some(Requirement::Prepayment { at_most_pct: dec!(0) })),
            ("预付款不超过合同价的20%", Some(Requirement::Prepayment { at_most_pct: dec!(20) })),
            ("投标人须提供所投产品的型式试验报告", Some(Requirement::Certificate { kind: "型式试验报告".into() })),
            ("须提供ISO9001质量管理体系认证证书", Some(Requirement::Certificate { kind: "质量管理体系认证".into() })),
            // Technical parameters and services stay free clauses.
            ("局部放电量不大于10pC", None),
            ("提供驻场安装指导和不少于2天的操作培训", None),
            ("开关柜防护等级不低于IP4X，具备完善的五防联锁", None),
        ];
        for (text, expected) in cases {
            assert_eq!(suggest(text), *expected, "{text}");
        }
    }

    #[test]
    fn chinese_numerals_read_as_numbers() {
        for (s, n) in [("三", 3), ("十", 10), ("十二", 12), ("二十四", 24), ("一百八十", 180), ("两", 2)] {
            assert_eq!(chinese_number(s), Some(n), "{s}");
        }
    }

    fn facts<'a>(terms: &'a CommercialTerms, kinds: &'a [String], dates: &'a [NaiveDate]) -> BidFacts<'a> {
        BidFacts {
            terms,
            certificate_kinds: kinds,
            reference_dates: dates,
            today: NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(),
        }
    }

    #[test]
    fn the_offer_comes_from_the_bids_terms_and_the_deviation_is_computed() {
        let terms =
            CommercialTerms { warranty_months: 12, delivery_days: 45, prepayment_pct: dec!(30), ..Default::default() };
        let f = facts(&terms, &[], &[]);
        let warranty = Requirement::WarrantyMonths { at_least: 24 }.offer(&f);
        assert_eq!(warranty, Offer { text: "质保期12个月".into(), deviation: Deviation::Negative });
        assert_eq!(Requirement::WarrantyMonths { at_least: 12 }.offer(&f).deviation, Deviation::None);
        assert_eq!(Requirement::WarrantyMonths { at_least: 6 }.offer(&f).deviation, Deviation::Positive);
        assert_eq!(Requirement::DeliveryDays { at_most: 60 }.offer(&f).deviation, Deviation::Positive);
        assert_eq!(Requirement::DeliveryDays { at_most: 30 }.offer(&f).deviation, Deviation::Negative);
        assert_eq!(Requirement::ValidityDays { at_least: 90 }.offer(&f).deviation, Deviation::Negative);
        assert_eq!(Requirement::Prepayment { at_most_pct: dec!(0) }.offer(&f).deviation, Deviation::Negative);
        let no_advance = CommercialTerms { prepayment_pct: dec!(0), ..terms.clone() };
        let offer = Requirement::Prepayment { at_most_pct: dec!(0) }.offer(&facts(&no_advance, &[], &[]));
        assert_eq!(offer, Offer { text: "不要求预付款".into(), deviation: Deviation::None });
    }

    #[test]
    fn references_count_within_the_years_asked_and_certificates_by_kind() {
        let terms = CommercialTerms::default();
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let dates = [d(2026, 3, 1), d(2024, 1, 10), d(2023, 12, 6), d(2023, 12, 4), d(2019, 5, 5)];
        let f = facts(&terms, &[], &dates);
        // 2023-12-05 .. 2026-12-05: three of them.
        assert_eq!(references_within(&dates, 3, f.today), 3);
        let short = Requirement::References { at_least: 5, years: 3 }.offer(&f);
        assert_eq!(short.deviation, Deviation::Negative);
        assert!(short.text.contains("3项"), "{}", short.text);
        assert_eq!(Requirement::References { at_least: 3, years: 3 }.offer(&f).deviation, Deviation::None);
        let kinds = vec!["型式试验报告".to_string()];
        let f = facts(&terms, &kinds, &[]);
        assert_eq!(Requirement::Certificate { kind: "型式试验报告".into() }.offer(&f).deviation, Deviation::None);
        assert_eq!(Requirement::Certificate { kind: "检测报告".into() }.offer(&f).deviation, Deviation::Negative);
    }

    #[test]
    fn starred_clauses_are_recognised_by_the_star_or_the_word() {
        assert!(looks_starred("★5.4", "质保期"));
        assert!(looks_starred("5.4", "★质保期"));
        assert!(looks_starred("5.4", "本条为实质性条款"));
        assert!(!looks_starred("5.4", "质保期"));
    }

    #[test]
    fn a_requirement_round_trips_through_json_and_bad_numbers_are_named() {
        let r = Requirement::Prepayment { at_most_pct: dec!(20) };
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<Requirement>(&json).unwrap(), r);
        assert!(Requirement::WarrantyMonths { at_least: 0 }.problem().is_some());
        assert!(Requirement::Prepayment { at_most_pct: dec!(120) }.problem().is_some());
        assert!(Requirement::WarrantyMonths { at_least: 24 }.problem().is_none());
    }
}
