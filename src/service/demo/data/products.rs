//! The demo price table of a power-equipment maker: transformers, box substations, medium- and
//! low-voltage switchgear, breakers, cable by the metre, cable accessories, surge arresters,
//! instrument transformers, metering, compensation, DC panels, busway and services — with list
//! and floor prices in 元, tax rates and technical parameters. And the next half-year's table.

use super::{Rng, stable_hash};
use crate::domain::money::{Money, TaxRate};
use crate::domain::product::{ProductDraft, TechParam};

const SEED: u64 = 0x5A1E_5DE5_2026_0002;

const TRANSFORMER: &str = "变压器";
const SWITCHGEAR: &str = "开关设备";
const CABLE: &str = "电缆";
const ACCESSORY: &str = "电缆附件";
const PROTECTION: &str = "保护与计量";
const ASSEMBLY: &str = "成套设备";
const SERVICE: &str = "服务";

fn yuan(y: i64) -> Money {
    Money::from_fen(y * 100)
}

fn tp(key: &str, value: impl Into<String>) -> TechParam {
    TechParam { key: key.to_string(), value: value.into() }
}

fn item(
    code: impl Into<String>,
    name: &str,
    model: impl Into<String>,
    unit: &str,
    category: &str,
    list_price: Money,
    params: Vec<TechParam>,
) -> ProductDraft {
    ProductDraft {
        code: code.into(),
        name: name.to_string(),
        model: model.into(),
        unit: unit.to_string(),
        category: category.to_string(),
        list_price,
        floor_price: None,
        tax_rate: TaxRate::RATE_13,
        params,
        active: true,
    }
}

/// Rounds `yuan` to the nearest 100 元.
fn round_hundred(yuan: i64) -> i64 {
    (yuan + 50) / 100 * 100
}

// ---------------------------------------------------------------------------------------------
// Transformers

/// SCB13 list prices by capacity (kVA, 元).
const SCB13: &[(u32, i64)] = &[
    (100, 36_800),
    (160, 46_200),
    (200, 53_600),
    (250, 61_800),
    (315, 71_500),
    (400, 84_000),
    (500, 98_500),
    (630, 118_000),
    (800, 139_000),
    (1000, 168_000),
    (1250, 196_000),
    (1600, 238_000),
    (2000, 286_000),
    (2500, 342_000),
];

/// S13-M list prices by capacity (kVA, 元).
const S13: &[(u32, i64)] = &[
    (50, 13_800),
    (100, 19_600),
    (160, 25_800),
    (200, 29_600),
    (250, 34_200),
    (315, 39_800),
    (400, 46_500),
    (500, 54_800),
    (630, 63_900),
    (800, 78_600),
    (1000, 93_800),
    (1250, 112_500),
    (1600, 138_000),
    (2000, 168_000),
    (2500, 205_000),
];

fn dry_transformer(series: &str, kva: u32, price: i64) -> ProductDraft {
    let (insulation, efficiency) = if series == "SCB14" { ("H级", "1级能效") } else { ("F级", "2级能效") };
    item(
        format!("{series}-{kva}"),
        "干式变压器",
        format!("{series}-{kva}/10"),
        "台",
        TRANSFORMER,
        yuan(price),
        vec![
            tp("额定容量", format!("{kva}kVA")),
            tp("额定电压", "10±2×2.5%/0.4kV"),
            tp("联结组别", "Dyn11"),
            tp("阻抗电压", if kva <= 630 { "4%" } else { "6%" }),
            tp("绝缘等级", insulation),
            tp("冷却方式", "AN/AF"),
            tp("防护等级", "IP20（带外壳）"),
            tp("能效等级", efficiency),
        ],
    )
}

fn oil_transformer(series: &str, kva: u32, price: i64) -> ProductDraft {
    item(
        format!("{series}-M-{kva}"),
        "油浸式变压器",
        format!("{series}-M-{kva}/10"),
        "台",
        TRANSFORMER,
        yuan(price),
        vec![
            tp("额定容量", format!("{kva}kVA")),
            tp("额定电压", "10±5%/0.4kV"),
            tp("联结组别", "Dyn11"),
            tp("阻抗电压", if kva <= 630 { "4%" } else { "4.5%" }),
            tp("冷却方式", "ONAN"),
            tp("结构", "全密封波纹油箱"),
            tp("能效等级", if series == "S20" { "1级能效" } else { "3级能效" }),
        ],
    )
}

fn transformers() -> Vec<ProductDraft> {
    let mut out = Vec::new();
    for &(kva, price) in SCB13 {
        out.push(dry_transformer("SCB13", kva, price));
    }
    for &(kva, price) in SCB13 {
        out.push(dry_transformer("SCB14", kva, round_hundred(price * 110 / 100)));
    }
    for &(kva, price) in S13 {
        out.push(oil_transformer("S13", kva, price));
    }
    for &(kva, price) in S13.iter().filter(|(kva, _)| *kva >= 100) {
        out.push(oil_transformer("S20", kva, round_hundred(price * 118 / 100)));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Box substations, switchgear, breakers

fn box_substations() -> Vec<ProductDraft> {
    let mut out = Vec::new();
    for (kva, price) in [(630, 218_000), (800, 246_000), (1000, 278_000), (1250, 318_000), (1600, 372_000)] {
        out.push(item(
            format!("YB-{kva}"),
            "预装式箱式变电站",
            format!("YB6-12/0.4-{kva}"),
            "台",
            ASSEMBLY,
            yuan(price),
            vec![
                tp("额定容量", format!("{kva}kVA")),
                tp("额定电压", "10/0.4kV"),
                tp("内置变压器", format!("SCB13-{kva}/10")),
                tp("高压单元", "SF6负荷开关环网单元"),
                tp("防护等级", "IP33"),
                tp("外壳", "不锈钢"),
            ],
        ));
    }
    for (kva, price) in [(400, 128_000), (630, 158_000), (800, 186_000), (1000, 215_000), (1250, 256_000)] {
        out.push(item(
            format!("ZGS11-{kva}"),
            "组合式箱式变电站",
            format!("ZGS11-{kva}/10"),
            "台",
            ASSEMBLY,
            yuan(price),
            vec![
                tp("额定容量", format!("{kva}kVA")),
                tp("额定电压", "10/0.4kV"),
                tp("内置变压器", format!("S13-M-{kva}/10")),
                tp("高压保护", "插入式熔断器+后备限流熔断器"),
                tp("防护等级", "IP33"),
            ],
        ));
    }
    out
}

/// KYN28A-12 schemes: (code suffix, 方案, rated current A, breaking kA or 0, 元).
const KYN28: &[(&str, &str, u32, &str, i64)] = &[
    ("JX1250", "进线柜", 1250, "31.5", 96_000),
    ("JX2500", "进线柜", 2500, "31.5", 118_000),
    ("CX630", "出线柜", 630, "25", 62_000),
    ("CX1250", "出线柜", 1250, "31.5", 72_000),
    ("LL1250", "母联柜", 1250, "31.5", 88_000),
    ("LL2500", "母联柜", 2500, "31.5", 112_000),
    ("BH630", "变压器保护柜", 630, "25", 69_000),
    ("DR630", "电容器柜", 630, "25", 66_000),
    ("ZYB", "站用变柜", 630, "25", 75_000),
    ("GL1250", "隔离柜", 1250, "", 58_000),
    ("JL", "计量柜", 630, "", 61_000),
    ("PT", "PT柜", 630, "", 59_000),
];

fn switchgear() -> Vec<ProductDraft> {
    let mut out = Vec::new();
    for &(suffix, scheme, amps, breaking, price) in KYN28 {
        let mut params = vec![tp("额定电压", "12kV"), tp("额定电流", format!("{amps}A"))];
        if !breaking.is_empty() {
            params.push(tp("额定短路开断电流", format!("{breaking}kA")));
            params.push(tp("主开关", format!("VS1-12/{amps}-{breaking}真空断路器")));
        }
        params.push(tp("额定短时耐受电流", "31.5kA/4s"));
        params.push(tp("防护等级", "IP4X"));
        params.push(tp("柜体尺寸", if amps >= 2500 { "1000×1660×2300mm" } else { "800×1500×2300mm" }));
        out.push(item(
            format!("KYN28A-12-{suffix}"),
            "铠装移开式高压开关柜",
            format!("KYN28A-12 {scheme}"),
            "面",
            SWITCHGEAR,
            yuan(price),
            params,
        ));
    }
    for (suffix, scheme, price) in
        [("JX1250", "进线柜", 186_000), ("CX1250", "出线柜", 168_000), ("PT", "PT柜", 142_000)]
    {
        let mut params = vec![tp("额定电压", "40.5kV"), tp("额定电流", "1250A")];
        if suffix != "PT" {
            params.push(tp("额定短路开断电流", "31.5kA"));
            params.push(tp("主开关", "ZN85-40.5/1250-31.5真空断路器"));
        }
        params.push(tp("防护等级", "IP4X"));
        params.push(tp("柜体尺寸", "1400×2800×2600mm"));
        out.push(item(
            format!("KYN61-40.5-{suffix}"),
            "35kV铠装移开式开关柜",
            format!("KYN61-40.5 {scheme}"),
            "面",
            SWITCHGEAR,
            yuan(price),
            params,
        ));
    }
    for (series, factor) in [("XGN15-12", 100), ("SRM16-12", 106)] {
        for (suffix, scheme, price) in [
            ("C", "负荷开关柜", 26_800),
            ("F", "负荷开关-熔断器组合电器柜", 31_500),
            ("V", "断路器柜", 48_600),
            ("M", "计量柜", 29_800),
            ("PT", "PT柜", 27_600),
        ] {
            out.push(item(
                format!("{series}-{suffix}"),
                "SF6环网柜",
                format!("{series} {scheme}"),
                "面",
                SWITCHGEAR,
                yuan(round_hundred(price * factor / 100)),
                vec![
                    tp("额定电压", "12kV"),
                    tp("额定电流", "630A"),
                    tp("额定短时耐受电流", "20kA/4s"),
                    tp("绝缘介质", "SF6"),
                    tp("防护等级", "IP3X"),
                ],
            ));
        }
    }
    // Low-voltage switchboards: (series, 名称, 防护等级, price factor %).
    for (series, name, ip, factor) in
        [("GCS", "低压抽出式开关柜", "IP30", 100), ("MNS", "低压抽出式开关柜", "IP40", 108)]
    {
        for (suffix, scheme, amps, price) in [
            ("JX4000", "进线柜", 4000, 68_000),
            ("JX2500", "进线柜", 2500, 52_000),
            ("KX", "馈线柜（抽屉式）", 1600, 38_000),
            ("BC", "电容补偿柜", 1250, 42_000),
            ("LL2500", "母联柜", 2500, 46_000),
        ] {
            out.push(low_voltage_panel(series, name, ip, suffix, scheme, amps, round_hundred(price * factor / 100)));
        }
    }
    for (suffix, scheme, amps, price) in [
        ("JX2500", "进线柜", 2500, 28_000),
        ("KX", "馈线柜", 1600, 18_000),
        ("LL2500", "母联柜", 2500, 22_000),
        ("BC", "电容补偿柜", 1250, 26_000),
    ] {
        out.push(low_voltage_panel("GGD", "低压固定式开关柜", "IP30", suffix, scheme, amps, price));
    }
    out
}

fn low_voltage_panel(
    series: &str,
    name: &str,
    ip: &str,
    suffix: &str,
    scheme: &str,
    amps: u32,
    price: i64,
) -> ProductDraft {
    item(
        format!("{series}-{suffix}"),
        name,
        format!("{series} {scheme}"),
        "面",
        SWITCHGEAR,
        yuan(price),
        vec![
            tp("额定电压", "0.4kV"),
            tp("主母线额定电流", format!("{amps}A")),
            tp("额定短时耐受电流", if amps >= 4000 { "80kA/1s" } else { "50kA/1s" }),
            tp("防护等级", ip),
        ],
    )
}

fn breakers() -> Vec<ProductDraft> {
    // (series, code prefix, mounting, current A, breaking kA, 元)
    let rows: [(&str, &str, &str, u32, &str, i64); 11] = [
        ("VS1-12", "VS1", "手车式", 630, "25", 9_800),
        ("VS1-12", "VS1", "手车式", 1250, "25", 12_600),
        ("VS1-12", "VS1", "手车式", 1250, "31.5", 14_800),
        ("VS1-12", "VS1", "手车式", 1600, "31.5", 18_600),
        ("VS1-12", "VS1", "手车式", 2000, "40", 24_500),
        ("VS1-12", "VS1", "手车式", 3150, "40", 32_800),
        ("ZN63-12", "ZN63", "手车式", 630, "25", 10_600),
        ("ZN63-12", "ZN63", "手车式", 1250, "31.5", 15_900),
        ("ZN63-12", "ZN63", "手车式", 2500, "40", 29_800),
        ("ZW32-12", "ZW32", "户外柱上", 630, "20", 13_600),
        ("ZW32-12G", "ZW32G", "户外柱上（带隔离刀）", 630, "20", 16_800),
    ];
    rows.iter()
        .map(|&(series, prefix, mounting, amps, ka, price)| {
            let outdoor = prefix.starts_with("ZW");
            item(
                format!("{prefix}-{amps}-{ka}"),
                if outdoor { "户外高压真空断路器" } else { "户内高压真空断路器" },
                format!("{series}/{amps}-{ka}"),
                "台",
                SWITCHGEAR,
                yuan(price),
                vec![
                    tp("额定电压", "12kV"),
                    tp("额定电流", format!("{amps}A")),
                    tp("额定短路开断电流", format!("{ka}kA")),
                    tp("操作机构", "弹簧操作机构"),
                    tp("机械寿命", if outdoor { "10000次" } else { "20000次" }),
                    tp("安装方式", mounting),
                ],
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Cable and accessories

struct CableKind {
    /// Code prefix, e.g. `YJV22` or `YJV22-35`
    code: &'static str,
    /// Model prefix, e.g. `YJV22-8.7/15kV`
    model: &'static str,
    name: &'static str,
    voltage: &'static str,
    armour: &'static str,
    standard: &'static str,
}

/// (规格, 元, 分): a cable's sizes and their prices per metre.
type CableSizes = &'static [(&'static str, i64, i64)];

/// Cable sold by the metre.
fn cables() -> Vec<ProductDraft> {
    const LV: CableKind = CableKind {
        code: "YJV",
        model: "YJV-0.6/1kV",
        name: "电力电缆",
        voltage: "0.6/1kV",
        armour: "无铠装",
        standard: "GB/T 12706.1",
    };
    const LV_ARMOURED: CableKind = CableKind { code: "YJV22", model: "YJV22-0.6/1kV", armour: "钢带铠装", ..LV };
    const MV: CableKind = CableKind {
        code: "YJV22",
        model: "YJV22-8.7/15kV",
        voltage: "8.7/15kV",
        armour: "钢带铠装",
        standard: "GB/T 12706.2",
        ..LV
    };
    const MV_PLAIN: CableKind = CableKind { code: "YJV-15", model: "YJV-8.7/15kV", armour: "无铠装", ..MV };
    const HV: CableKind = CableKind { code: "YJV22-35", model: "YJV22-26/35kV", voltage: "26/35kV", ..MV };
    const CONTROL: CableKind = CableKind {
        code: "KVVP",
        model: "KVVP-450/750V",
        name: "控制电缆",
        voltage: "450/750V",
        armour: "铜丝编织屏蔽",
        standard: "GB/T 9330",
    };
    let table: [(&CableKind, CableSizes); 6] = [
        (
            &LV,
            &[
                ("4×16", 55, 80),
                ("4×25", 86, 50),
                ("4×35", 118, 60),
                ("4×50", 166, 30),
                ("4×70", 228, 90),
                ("4×95", 308, 40),
                ("4×120", 386, 20),
                ("4×150", 481, 50),
                ("4×185", 592, 80),
                ("4×240", 765, 40),
                ("3×240+1×120", 672, 30),
                ("3×185+2×95", 598, 60),
                ("5×16", 70, 20),
                ("5×25", 107, 80),
            ],
        ),
        (
            &LV_ARMOURED,
            &[("4×50", 181, 20), ("4×95", 331, 60), ("4×150", 516, 80), ("4×240", 818, 50), ("3×240+1×120", 722, 00)],
        ),
        (
            &MV,
            &[
                ("3×50", 168, 50),
                ("3×70", 212, 40),
                ("3×95", 268, 90),
                ("3×120", 325, 70),
                ("3×150", 392, 60),
                ("3×185", 471, 30),
                ("3×240", 596, 80),
                ("3×300", 732, 50),
                ("3×400", 958, 20),
            ],
        ),
        (&MV_PLAIN, &[("3×70", 196, 80), ("3×120", 305, 40), ("3×240", 568, 90), ("3×300", 698, 00)]),
        (&HV, &[("3×95", 398, 50), ("3×150", 531, 20), ("3×240", 742, 60), ("3×300", 886, 40), ("3×400", 1126, 80)]),
        (
            &CONTROL,
            &[
                ("4×1.5", 9, 80),
                ("7×1.5", 15, 20),
                ("10×1.5", 20, 60),
                ("14×1.5", 27, 90),
                ("4×2.5", 14, 50),
                ("7×2.5", 23, 10),
                ("10×2.5", 31, 80),
            ],
        ),
    ];
    let mut out = Vec::new();
    for (kind, sizes) in table {
        for &(size, whole, cents) in sizes {
            let code_size = size.replace("×", "X").replace("+", "-");
            let mut params = vec![
                tp("额定电压", kind.voltage),
                tp("规格", format!("{size}mm²")),
                tp("导体", "铜芯"),
                tp("绝缘", if kind.code == "KVVP" { "聚氯乙烯" } else { "交联聚乙烯" }),
            ];
            params.push(tp(if kind.code == "KVVP" { "屏蔽" } else { "铠装" }, kind.armour));
            params.push(tp("执行标准", kind.standard));
            out.push(item(
                format!("{}-{code_size}", kind.code),
                kind.name,
                format!("{} {size}", kind.model),
                "米",
                CABLE,
                Money::from_fen(whole * 100 + cents),
                params,
            ));
        }
    }
    out
}

fn cable_accessories() -> Vec<ProductDraft> {
    let mut out = Vec::new();
    let sections = ["3×25–50", "3×70–120", "3×150–240", "3×300–400"];
    for (prefix, name, place, prices) in [
        ("NLS", "10kV冷缩户内终端头", "户内", [680, 820, 980, 1_280]),
        ("WLS", "10kV冷缩户外终端头", "户外", [880, 1_060, 1_260, 1_580]),
        ("JLS", "10kV冷缩中间接头", "直埋/隧道", [1_280, 1_560, 1_880, 2_480]),
    ] {
        for (i, (section, price)) in sections.iter().zip(prices).enumerate() {
            out.push(item(
                format!("{prefix}-10-3.{}", i + 1),
                name,
                format!("{prefix}-10/3.{}", i + 1),
                "套",
                ACCESSORY,
                yuan(price),
                vec![
                    tp("额定电压", "8.7/15kV"),
                    tp("适用截面", format!("{section}mm²")),
                    tp("工艺", "冷缩"),
                    tp("安装场所", place),
                ],
            ));
        }
    }
    for (i, section, price) in [(2, "1×150–240", 2_860), (3, "1×300–400", 3_280)] {
        out.push(item(
            format!("WLS-35-1.{i}"),
            "35kV冷缩户外终端头",
            format!("WLS-35/1.{i}"),
            "套",
            ACCESSORY,
            yuan(price),
            vec![
                tp("额定电压", "26/35kV"),
                tp("适用截面", format!("{section}mm²")),
                tp("工艺", "冷缩"),
                tp("安装场所", "户外"),
            ],
        ));
    }
    for (i, section, price) in [(1, "4×16–35", 128), (2, "4×50–95", 168), (3, "4×120–240", 236)] {
        out.push(item(
            format!("RSY-1-4.{i}"),
            "1kV热缩终端头",
            format!("RSY-1/4.{i}"),
            "套",
            ACCESSORY,
            yuan(price),
            vec![tp("额定电压", "0.6/1kV"), tp("适用截面", format!("{section}mm²")), tp("工艺", "热缩")],
        ));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Protection, metering, compensation, DC, busway

fn protection_and_metering() -> Vec<ProductDraft> {
    let mut out = Vec::new();
    for (model, name, rated, continuous, residual, price) in [
        ("HY5WZ-17/45", "电站型氧化锌避雷器", "17kV", "13.6kV", "45kV", 420),
        ("HY5WS-17/50", "配电型氧化锌避雷器", "17kV", "13.6kV", "50kV", 260),
        ("HY5WR-17/45", "电容器型氧化锌避雷器", "17kV", "13.6kV", "45kV", 460),
        ("HY5WZ-51/134", "电站型氧化锌避雷器", "51kV", "40.8kV", "134kV", 1_680),
        ("HY1.5W-0.28/1.3", "低压氧化锌避雷器", "0.28kV", "0.24kV", "1.3kV", 68),
    ] {
        out.push(item(
            model.replace('/', "-"),
            name,
            model,
            "只",
            PROTECTION,
            yuan(price),
            vec![
                tp("额定电压", rated),
                tp("持续运行电压", continuous),
                tp("标称放电电流", if rated == "0.28kV" { "1.5kA" } else { "5kA" }),
                tp("雷电冲击残压", residual),
                tp("外套", "复合外套"),
            ],
        ));
    }
    out.push(item(
        "TBP-B-12.7-131",
        "三相组合式过电压保护器",
        "TBP-B-12.7/131",
        "组",
        PROTECTION,
        yuan(1_860),
        vec![tp("额定电压", "12.7kV"), tp("标称放电电流", "5kA"), tp("接线方式", "相间及相对地")],
    ));
    for (ratio, price) in [
        (50, 1_480),
        (75, 1_480),
        (100, 1_520),
        (150, 1_560),
        (200, 1_580),
        (300, 1_640),
        (400, 1_720),
        (600, 1_860),
        (800, 1_980),
        (1000, 2_160),
        (1500, 2_380),
    ] {
        out.push(item(
            format!("LZZBJ9-10-{ratio}"),
            "电流互感器",
            format!("LZZBJ9-10 {ratio}/5A"),
            "只",
            PROTECTION,
            yuan(price),
            vec![
                tp("额定电压", "10kV"),
                tp("额定电流比", format!("{ratio}/5A")),
                tp("准确级组合", "0.2S/0.5/10P10"),
                tp("额定输出", "10/15/15VA"),
                tp("型式", "户内环氧树脂浇注式"),
            ],
        ));
    }
    for (code, name, model, ratio, price) in [
        ("JDZ10-10", "电压互感器", "JDZ10-10", "10/0.1kV", 2_680),
        ("JDZX9-10", "电压互感器（接地型）", "JDZX9-10", "10/√3/0.1/√3kV", 3_260),
    ] {
        out.push(item(
            code,
            name,
            model,
            "只",
            PROTECTION,
            yuan(price),
            vec![tp("额定电压比", ratio), tp("准确级", "0.2/0.5/3P"), tp("型式", "户内环氧树脂浇注式")],
        ));
    }
    for (ratio, price) in [(300, 68), (800, 96), (1500, 148)] {
        out.push(item(
            format!("LMZJ1-0.66-{ratio}"),
            "低压电流互感器",
            format!("LMZJ1-0.66 {ratio}/5A"),
            "只",
            PROTECTION,
            yuan(price),
            vec![tp("额定电压", "0.66kV"), tp("额定电流比", format!("{ratio}/5A")), tp("准确级", "0.5")],
        ));
    }
    for (code, name, model, unit, price, params) in [
        (
            "PJ1-0.4",
            "低压电能计量柜",
            "PJ1-0.4",
            "面",
            12_800,
            vec![tp("额定电压", "0.4kV"), tp("计量方式", "高供低计")],
        ),
        (
            "JLSZV-10",
            "高压电能计量箱（户外）",
            "JLSZV-10",
            "台",
            6_800,
            vec![tp("额定电压", "10kV"), tp("准确级", "0.2S")],
        ),
        ("JLX-3", "三相电能计量箱", "JLX-3", "只", 1_680, vec![tp("额定电压", "0.4kV"), tp("表位", "1表位")]),
        ("JLX-1-4", "单相多表位计量箱", "JLX-1-4", "只", 980, vec![tp("额定电压", "0.22kV"), tp("表位", "4表位")]),
    ] {
        out.push(item(code, name, model, unit, PROTECTION, yuan(price), params));
    }
    out
}

fn assemblies() -> Vec<ProductDraft> {
    let mut out = Vec::new();
    for (kvar, price) in [(1200, 68_000), (1800, 86_000), (2400, 108_000), (3000, 128_000), (3600, 152_000)] {
        out.push(item(
            format!("TBB10-{kvar}"),
            "高压并联电容器成套装置",
            format!("TBB10-{kvar}/200-AK"),
            "套",
            ASSEMBLY,
            yuan(price),
            vec![
                tp("额定电压", "10kV"),
                tp("额定容量", format!("{kvar}kvar")),
                tp("单台电容器容量", "200kvar"),
                tp("电抗率", "5%"),
                tp("接线方式", "单星形"),
            ],
        ));
    }
    for (kvar, price) in [(200, 32_000), (300, 41_000), (400, 49_000)] {
        out.push(item(
            format!("GGJ-{kvar}"),
            "低压智能无功补偿柜",
            format!("GGJ-0.4-{kvar}kvar"),
            "面",
            ASSEMBLY,
            yuan(price),
            vec![
                tp("额定电压", "0.4kV"),
                tp("补偿容量", format!("{kvar}kvar")),
                tp("投切方式", "复合开关自动投切"),
                tp("防护等级", "IP30"),
            ],
        ));
    }
    for (ah, volts, modules, price) in [
        (38, 110, "10A×3 (N+1)", 46_000),
        (65, 220, "10A×3 (N+1)", 62_000),
        (100, 220, "20A×3 (N+1)", 78_000),
        (150, 220, "20A×4 (N+1)", 98_000),
        (200, 220, "20A×5 (N+1)", 126_000),
    ] {
        out.push(item(
            format!("GZDW-{ah}-{volts}"),
            "直流电源屏",
            format!("GZDW-{ah}Ah/{volts}V"),
            "套",
            ASSEMBLY,
            yuan(price),
            vec![
                tp("直流电压", format!("{volts}V")),
                tp("蓄电池容量", format!("{ah}Ah")),
                tp("蓄电池", "阀控式密封铅酸蓄电池"),
                tp("充电模块", modules),
            ],
        ));
    }
    for (amps, price) in [
        (630, 1_280),
        (800, 1_560),
        (1000, 1_880),
        (1250, 2_260),
        (1600, 2_860),
        (2000, 3_480),
        (2500, 4_350),
        (3150, 5_460),
        (4000, 6_880),
    ] {
        out.push(item(
            format!("CMC-{amps}"),
            "密集型母线槽",
            format!("CMC-{amps}A 3P+N+PE"),
            "米",
            ASSEMBLY,
            yuan(price),
            vec![tp("额定电流", format!("{amps}A")), tp("额定电压", "0.4kV"), tp("导体", "铜"), tp("防护等级", "IP54")],
        ));
    }
    out
}

fn services() -> Vec<ProductDraft> {
    let rows: [(&str, &str, &str, i64, TaxRate); 8] = [
        ("SVC-AZ-BYQ", "变压器安装调试费", "项", 6_800, TaxRate::RATE_9),
        ("SVC-AZ-KGG", "开关柜安装调试费", "项", 1_800, TaxRate::RATE_9),
        ("SVC-AZ-XB", "箱变安装调试费", "项", 12_000, TaxRate::RATE_9),
        ("SVC-DL-FS", "电缆敷设费", "米", 28, TaxRate::RATE_9),
        ("SVC-SY-JJ", "电气交接试验费", "项", 15_000, TaxRate::RATE_6),
        ("SVC-JS", "技术服务费（现场技术指导）", "项", 5_000, TaxRate::RATE_6),
        ("SVC-PX", "运行维护培训费", "项", 8_000, TaxRate::RATE_6),
        ("SVC-YW", "年度运维保养服务费", "项", 36_000, TaxRate::RATE_6),
    ];
    rows.iter()
        .map(|&(code, name, unit, price, tax)| ProductDraft {
            tax_rate: tax,
            ..item(code, name, "", unit, SERVICE, yuan(price), Vec::new())
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Prices

/// Cable is priced by the metre to 0.10 元; everything else to whole 元.
fn price_step_fen(p: &ProductDraft) -> i64 {
    if p.category == CABLE { 10 } else { 100 }
}

/// `m` × (100 + `percent`)%, rounded half up to a multiple of `step` 分.
fn scaled(m: Money, percent: i64, step: i64) -> Money {
    match m.fen() {
        Some(fen) => {
            let exact = i128::from(fen) * i128::from(100 + percent);
            let denom = 100 * i128::from(step);
            let rounded = (exact + denom / 2).div_euclid(denom) * i128::from(step);
            i64::try_from(rounded).map(Money::from_fen).unwrap_or(m)
        }
        None => m,
    }
}

/// A floor price at `percent`% of the list price, rounded down to a tidy step: 100 元 for
/// equipment from 10 000 元, 10 元 from 1 000 元, whole 元 from 100 元, 0.10 元 below and for cable.
fn floor_at(p: &ProductDraft, percent: i64) -> Option<Money> {
    let fen = p.list_price.fen()?;
    let step = match fen {
        _ if p.category == CABLE => 10,
        f if f >= 1_000_000 => 10_000,
        f if f >= 100_000 => 1_000,
        f if f >= 10_000 => 100,
        _ => 10,
    };
    let floor = fen * percent / 100 / step * step;
    (floor > 0).then(|| Money::from_fen(floor))
}

/// The demo price table: 230+ products in the order of the printed catalogue, with floor prices
/// at 85–95% of list (none for a few), and 5% of the products discontinued (inactive).
pub fn demo_products() -> Vec<ProductDraft> {
    let mut products: Vec<ProductDraft> = [
        transformers(),
        box_substations(),
        switchgear(),
        breakers(),
        cables(),
        cable_accessories(),
        protection_and_metering(),
        assemblies(),
        services(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut rng = Rng::new(SEED);
    for p in &mut products {
        // Training and on-site guidance are quoted at list; so are a few odd items.
        let no_floor = matches!(p.code.as_str(), "SVC-JS" | "SVC-PX" | "SVC-SY-JJ") || rng.percent(2);
        let percent = rng.range(85, 95) as i64;
        p.floor_price = if no_floor { None } else { floor_at(p, percent) };
    }
    // Discontinued models: 5% of the catalogue, never a service.
    let mut candidates: Vec<usize> = (0..products.len()).filter(|i| products[*i].category != SERVICE).collect();
    for _ in 0..products.len() / 20 {
        let i = candidates.swap_remove(rng.below(candidates.len()));
        products[i].active = false;
    }
    products
}

/// New products of the next half-year's table.
fn new_products() -> Vec<ProductDraft> {
    let mut scb18_1000 = dry_transformer("SCB18", 1000, 189_000);
    let mut scb18_1250 = dry_transformer("SCB18", 1250, 221_000);
    for p in [&mut scb18_1000, &mut scb18_1250] {
        p.params.retain(|t| t.key != "能效等级" && t.key != "绝缘等级");
        p.params.push(tp("绝缘等级", "H级"));
        p.params.push(tp("能效等级", "1级能效（立体卷铁心）"));
    }
    let jx3150 = item(
        "KYN28A-12-JX3150",
        "铠装移开式高压开关柜",
        "KYN28A-12 进线柜",
        "面",
        SWITCHGEAR,
        yuan(132_000),
        vec![
            tp("额定电压", "12kV"),
            tp("额定电流", "3150A"),
            tp("额定短路开断电流", "40kA"),
            tp("主开关", "VS1-12/3150-40真空断路器"),
            tp("额定短时耐受电流", "40kA/4s"),
            tp("防护等级", "IP4X"),
            tp("柜体尺寸", "1000×1660×2300mm"),
        ],
    );
    let pv_box = item(
        "ZGS-ZF-3150",
        "光伏升压箱式变电站",
        "ZGS-ZF-3150/35",
        "台",
        ASSEMBLY,
        yuan(468_000),
        vec![
            tp("额定容量", "3150kVA"),
            tp("额定电压", "37±2×2.5%/0.8kV"),
            tp("联结组别", "Dy11"),
            tp("冷却方式", "ONAN"),
            tp("防护等级", "IP54"),
        ],
    );
    let aluminium = item(
        "YJLV22-3X240",
        "铝芯电力电缆",
        "YJLV22-8.7/15kV 3×240",
        "米",
        CABLE,
        Money::from_fen(23_860),
        vec![
            tp("额定电压", "8.7/15kV"),
            tp("规格", "3×240mm²"),
            tp("导体", "铝芯"),
            tp("绝缘", "交联聚乙烯"),
            tp("铠装", "钢带铠装"),
            tp("执行标准", "GB/T 12706.2"),
        ],
    );
    let mut out = vec![scb18_1000, scb18_1250, jx3150, pv_box, aluminium];
    for p in &mut out {
        p.floor_price = floor_at(p, 90);
    }
    out
}

/// The next half-year's price table from `products`: copper-heavy items (cable, transformers,
/// busway) up 3–6% on list and floor, some breakers and switchgear down 2%, the rest unchanged;
/// rounded to whole 元 (0.10 元 for cable by the metre). Adds five new products (unless present).
/// Each product's change depends only on its code, not on its position.
pub fn second_version_changes(products: &[ProductDraft]) -> Vec<ProductDraft> {
    let mut out: Vec<ProductDraft> = products
        .iter()
        .map(|p| {
            let hash = stable_hash(&p.code);
            let copper = p.category == CABLE || p.category == TRANSFORMER || p.code.starts_with("CMC-");
            let percent = if copper {
                3 + (hash % 4) as i64
            } else if p.category == SWITCHGEAR && hash.is_multiple_of(4) {
                -2
            } else {
                return p.clone();
            };
            let step = price_step_fen(p);
            ProductDraft {
                list_price: scaled(p.list_price, percent, step),
                floor_price: p.floor_price.map(|f| scaled(f, percent, step)),
                ..p.clone()
            }
        })
        .collect();
    for p in new_products() {
        if !out.iter().any(|q| q.code == p.code) {
            out.push(p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::domain::product::UNITS;

    fn assert_valid(products: &[ProductDraft]) {
        for p in products {
            let mut checked = p.clone();
            let errors = checked.validate();
            assert!(errors.is_empty(), "{}: {errors:?}", p.code);
            assert_eq!(&checked, p, "validate() changed {}", p.code);
            assert!(UNITS.contains(&p.unit.as_str()), "{} {}", p.code, p.unit);
            if let Some(floor) = p.floor_price {
                assert!(floor <= p.list_price, "{}", p.code);
            }
        }
        let codes: BTreeSet<&str> = products.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes.len(), products.len(), "codes are unique");
    }

    #[test]
    fn the_demo_table_is_valid_and_realistic() {
        let products = demo_products();
        assert!(products.len() >= 160, "{}", products.len());
        assert_valid(&products);
        let by_code = |code: &str| products.iter().find(|p| p.code == code).expect(code);
        assert_eq!(by_code("SCB13-1000").list_price, yuan(168_000));
        assert_eq!(by_code("SCB13-1000").model, "SCB13-1000/10");
        assert_eq!(by_code("YJV-4X25").list_price.to_plain_string(), "86.50");
        assert_eq!(by_code("YJV22-3X240").unit, "米");
        assert_eq!(by_code("SVC-AZ-BYQ").tax_rate, TaxRate::RATE_9);
        assert_eq!(by_code("SVC-JS").tax_rate, TaxRate::RATE_6);
        assert_eq!(by_code("SVC-JS").floor_price, None);
        for p in products.iter().filter(|p| p.code.starts_with("KYN28A-12-")) {
            assert!((yuan(58_000)..=yuan(120_000)).contains(&p.list_price), "{}", p.code);
        }
        let categories: BTreeSet<&str> = products.iter().map(|p| p.category.as_str()).collect();
        assert_eq!(
            categories,
            BTreeSet::from([TRANSFORMER, SWITCHGEAR, CABLE, ACCESSORY, PROTECTION, ASSEMBLY, SERVICE])
        );
        let units: BTreeSet<&str> = products.iter().map(|p| p.unit.as_str()).collect();
        assert_eq!(units, BTreeSet::from(["台", "面", "套", "米", "只", "组", "项"]));
    }

    #[test]
    fn floors_sit_at_85_to_95_percent_and_5_percent_are_discontinued() {
        let products = demo_products();
        let mut without = 0;
        for p in &products {
            match (p.floor_price.and_then(|f| f.fen()), p.list_price.fen()) {
                (Some(floor), Some(list)) => {
                    // Rounded down to a tidy step, so up to one step below 85%.
                    assert!(floor * 100 <= list * 95 && floor * 100 >= list * 84, "{}", p.code);
                }
                _ => without += 1,
            }
        }
        assert!((3..=10).contains(&without), "{without} without a floor");
        let inactive = products.iter().filter(|p| !p.active).count();
        assert_eq!(inactive, products.len() / 20);
        assert!(products.iter().filter(|p| !p.active).all(|p| p.category != SERVICE));
        assert!(
            products.iter().filter(|p| p.category == CABLE).all(|p| p.list_price.fen().is_some_and(|f| f % 10 == 0))
        );
    }

    #[test]
    fn the_demo_table_is_the_same_on_every_call() {
        assert_eq!(demo_products(), demo_products());
    }

    #[test]
    fn the_second_version_raises_copper_and_adds_five_products() {
        let old = demo_products();
        let new = second_version_changes(&old);
        assert_ne!(new, old);
        assert_eq!(new.len(), old.len() + 5);
        assert_valid(&new);
        let (mut up, mut down) = (0, 0);
        for (o, n) in old.iter().zip(&new) {
            assert_eq!(o.code, n.code);
            let (Some(of), Some(nf)) = (o.list_price.fen(), n.list_price.fen()) else { panic!("{}", o.code) };
            let copper = o.category == CABLE || o.category == TRANSFORMER || o.code.starts_with("CMC-");
            if copper {
                up += 1;
                // +3% … +6%, give or take the rounding.
                assert!(nf * 1000 >= of * 1025 && nf * 1000 <= of * 1065, "{} {of} → {nf}", o.code);
                let step = if o.category == CABLE { 10 } else { 100 };
                assert_eq!(nf % step, 0, "{}", o.code);
                assert_eq!(o.floor_price.is_some(), n.floor_price.is_some());
            } else if nf < of {
                down += 1;
                assert_eq!(o.category, SWITCHGEAR);
                assert!(nf * 100 >= of * 97, "{}", o.code);
            } else {
                assert_eq!(o, n);
            }
        }
        assert!(up >= 90, "{up} raised");
        assert!((3..=20).contains(&down), "{down} lowered");
        let added: Vec<&str> = new[old.len()..].iter().map(|p| p.code.as_str()).collect();
        assert_eq!(added, ["SCB18-1000", "SCB18-1250", "KYN28A-12-JX3150", "ZGS-ZF-3150", "YJLV22-3X240"]);
        // Applying it again raises prices again but adds nothing twice.
        assert_eq!(second_version_changes(&new).len(), new.len());
        assert_eq!(second_version_changes(&old), new);
    }

    #[test]
    fn scaling_rounds_half_up_to_the_step() {
        assert_eq!(scaled(Money::from_fen(8650), 4, 10), Money::from_fen(9000)); // 89.96 → 90.00
        assert_eq!(scaled(Money::from_fen(8650), 3, 10), Money::from_fen(8910)); // 89.095 → 89.10
        assert_eq!(scaled(yuan(168_000), 5, 100), yuan(176_400));
        assert_eq!(scaled(yuan(9_800), -2, 100), yuan(9_604));
    }
}
