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

/// Half away from zero for a positive fraction num / den, in integers.
fn round_half_up(num: i128, den: i128) -> i128 {
    (2 * num + den) / (2 * den)
}

#[test]
fn the_money_formula_matches_an_integer_reference_on_random_lines() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(0xF0F0_2026);
    for _ in 0..50_000 {
        let milli = rng.gen_range(1..10_000_000i64); // quantity in thousandths, up to 9 999.999
        let fen = rng.gen_range(1..1_000_000_000i64); // unit price up to ¥9 999 999.99
        let off = rng.gen_range(0..1000i64); // discount in tenths of a percent, 0–99.9 %
        let qty = Quantity::new(rust_decimal::Decimal::new(milli, 3)).unwrap();
        let discount = Discount::from_fraction(rust_decimal::Decimal::new(off, 3)).unwrap();
        let amount = line_amount(qty, Money::from_fen(fen), discount);
        // qty × price × (1 − off/1000), in 分: milli × fen × (1000 − off) / 10^6, rounded once.
        let expected = round_half_up(i128::from(milli) * i128::from(fen) * i128::from(1000 - off), 1_000_000);
        assert_eq!(i128::from(amount.fen().unwrap()), expected, "{qty} × {fen} 分 × (1 − {off}‰)");
    }
}

#[test]
fn document_totals_always_add_up_and_tax_follows_each_rate() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x7A7A);
    let rates = [TaxRate::RATE_13, TaxRate::parse("9%").unwrap(), TaxRate::parse("6%").unwrap()];
    for _ in 0..5_000 {
        let lines: Vec<(TaxRate, Money)> = (0..rng.gen_range(1..30))
            .map(|_| (rates[rng.gen_range(0..3)], Money::from_fen(rng.gen_range(1..100_000_000))))
            .collect();
        let t = totals(lines.iter().copied());
        let sum: i64 = lines.iter().map(|(_, m)| m.fen().unwrap()).sum();
        assert_eq!(t.total.fen(), Some(sum));
        assert_eq!(t.net + t.tax, t.total);
        for b in &t.by_rate {
            let gross = i128::from(b.gross.fen().unwrap());
            // tax = round(gross × r / (1 + r)) with r = p / 100: gross × p / (100 + p).
            let p = rust_decimal::prelude::ToPrimitive::to_i128(&(b.rate.fraction() * dec!(100))).unwrap();
            assert_eq!(i128::from(b.tax.fen().unwrap()), round_half_up(gross * p, 100 + p), "{b:?}");
            assert_eq!(b.net + b.tax, b.gross);
        }
    }
}

#[test]
fn a_printed_net_unit_price_multiplies_out_to_the_line_amount() {
    let d = Discount::from_fraction(Decimal::new(3, 2)).unwrap();
    let unit = Money::parse("261.88").unwrap();
    // 261.88 × 0.97 = 254.0236: printed with its places, 433 of them are the amount.
    assert_eq!(net_unit_price_text(unit, d), "254.0236");
    let qty = Quantity::from_units(433);
    let printed: Decimal = "254.0236".parse().unwrap();
    assert_eq!(Money::from_decimal(printed * qty.as_decimal()), line_amount(qty, unit, d));
    assert_eq!(net_unit_price_text(Money::parse("42630").unwrap(), Discount::ZERO), "42,630.00");
    assert_eq!(net_unit_price_text(Money::parse("100").unwrap(), d), "97.00");
    assert_eq!(net_unit_price_text(Money::parse("100.50").unwrap(), d), "97.485");
}

#[test]
fn an_invoice_takes_its_tax_from_the_rates_of_the_document() {
    let lines = [(TaxRate::RATE_13, m("113000.00")), (TaxRate::RATE_6, m("10600.00"))];
    let by_rate = tax_breakdown(lines);
    let whole: Money = by_rate.iter().map(|b| b.tax).sum();
    assert_eq!(invoice_tax(m("123600.00"), &by_rate), whole, "the whole document: its own tax");
    assert_eq!(whole, m("13600.00"));
    // Half of it: half of each rate's share.
    assert_eq!(invoice_tax(m("61800.00"), &by_rate), m("6800.00"));
    assert_eq!(invoice_tax(m("100"), &[]), Money::ZERO);
}
