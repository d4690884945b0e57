//! China's provincial-level divisions (省级行政区): the region filter of the customer archive and
//! the region prefix that company names often carry.

/// (full name, short name) of each provincial-level division.
pub const PROVINCES: &[(&str, &str)] = &[
    ("北京市", "北京"),
    ("天津市", "天津"),
    ("上海市", "上海"),
    ("重庆市", "重庆"),
    ("河北省", "河北"),
    ("山西省", "山西"),
    ("辽宁省", "辽宁"),
    ("吉林省", "吉林"),
    ("黑龙江省", "黑龙江"),
    ("江苏省", "江苏"),
    ("浙江省", "浙江"),
    ("安徽省", "安徽"),
    ("福建省", "福建"),
    ("江西省", "江西"),
    ("山东省", "山东"),
    ("河南省", "河南"),
    ("湖北省", "湖北"),
    ("湖南省", "湖南"),
    ("广东省", "广东"),
    ("海南省", "海南"),
    ("四川省", "四川"),
    ("贵州省", "贵州"),
    ("云南省", "云南"),
    ("陕西省", "陕西"),
    ("甘肃省", "甘肃"),
    ("青海省", "青海"),
    ("台湾省", "台湾"),
    ("内蒙古自治区", "内蒙古"),
    ("广西壮族自治区", "广西"),
    ("西藏自治区", "西藏"),
    ("宁夏回族自治区", "宁夏"),
    ("新疆维吾尔自治区", "新疆"),
    ("香港特别行政区", "香港"),
    ("澳门特别行政区", "澳门"),
];

/// The short name (`江苏`) of a province written in full or short (`江苏省`, `江苏`).
pub fn province_short(text: &str) -> Option<&'static str> {
    let t = text.trim();
    PROVINCES.iter().find(|(full, short)| t == *full || t == *short).map(|(_, short)| *short)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provinces_are_found_by_full_or_short_name() {
        assert_eq!(province_short("广西壮族自治区"), Some("广西"));
        assert_eq!(province_short("江苏"), Some("江苏"));
        assert_eq!(province_short("苏州"), None);
        assert_eq!(PROVINCES.len(), 34);
    }
}
