//! The demo customer archive: utilities, panel builders, contractors, plants and developers all
//! over China that buy transformers, switchgear and cable from a Suzhou maker — with valid
//! 统一社会信用代码, real area codes and region codes, contacts, invoicing details and owners.
//!
//! Also bulk customers for benchmarks ([`generated_customers`]).
//!
//! Names and short names are written the way `CustomerDraft::validate` stores them (half-width
//! parentheses), so validating a demo draft changes nothing.

use std::collections::BTreeSet;

use pinyin::ToPinyin;

use super::Rng;
use crate::domain::customer::{Contact, CustomerDraft, Grade, InvoiceInfo, SOURCES, name_core};
use crate::domain::region::PROVINCES;
use crate::domain::validate::credit_code_check_char;

/// A demo customer and the sales person who owns it (`None`: in the shared pool, 公海).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCustomer {
    pub draft: CustomerDraft,
    pub owner_login: Option<&'static str>,
}

/// How many customers [`demo_customers`] returns.
pub const DEMO_CUSTOMER_COUNT: usize = 330;

const SEED: u64 = 0x5A1E_5DE5_2026_0001;

// ---------------------------------------------------------------------------------------------
// Places

struct City {
    /// Short province name, as in `PROVINCES`.
    province: &'static str,
    name: &'static str,
    /// 长途区号
    area: &'static str,
    /// (district, 行政区划代码): where customers sit and whose code their credit code carries.
    districts: &'static [(&'static str, &'static str)],
    /// Relative share of the archive: the home province and the big markets weigh more.
    weight: u32,
    metro: bool,
}

const fn city(
    province: &'static str,
    name: &'static str,
    area: &'static str,
    weight: u32,
    metro: bool,
    districts: &'static [(&'static str, &'static str)],
) -> City {
    City { province, name, area, districts, weight, metro }
}

#[rustfmt::skip]
const CITIES: &[City] = &[
    city("江苏", "苏州", "0512", 10, true, &[("工业园区", "320594"), ("高新区", "320505"), ("吴中区", "320506"), ("相城区", "320507"), ("姑苏区", "320508"), ("吴江区", "320509"), ("昆山市", "320583"), ("张家港市", "320582"), ("常熟市", "320581"), ("太仓市", "320585")]),
    city("江苏", "南京", "025", 6, true, &[("玄武区", "320102"), ("秦淮区", "320104"), ("建邺区", "320105"), ("鼓楼区", "320106"), ("浦口区", "320111"), ("栖霞区", "320113"), ("雨花台区", "320114"), ("江宁区", "320115")]),
    city("江苏", "无锡", "0510", 5, true, &[("梁溪区", "320213"), ("滨湖区", "320211"), ("新吴区", "320214"), ("锡山区", "320205"), ("惠山区", "320206"), ("江阴市", "320281"), ("宜兴市", "320282")]),
    city("江苏", "常州", "0519", 4, true, &[("天宁区", "320402"), ("钟楼区", "320404"), ("新北区", "320411"), ("武进区", "320412"), ("金坛区", "320413"), ("溧阳市", "320481")]),
    city("江苏", "南通", "0513", 4, true, &[("崇川区", "320602"), ("通州区", "320612"), ("海门区", "320614"), ("启东市", "320681"), ("如皋市", "320682")]),
    city("江苏", "徐州", "0516", 3, true, &[("鼓楼区", "320302"), ("云龙区", "320303"), ("泉山区", "320311"), ("铜山区", "320312")]),
    city("浙江", "杭州", "0571", 5, true, &[("上城区", "330102"), ("拱墅区", "330105"), ("西湖区", "330106"), ("滨江区", "330108"), ("萧山区", "330109"), ("余杭区", "330110")]),
    city("浙江", "宁波", "0574", 4, true, &[("海曙区", "330203"), ("江北区", "330205"), ("北仑区", "330206"), ("镇海区", "330211"), ("鄞州区", "330212")]),
    city("浙江", "温州", "0577", 2, true, &[("鹿城区", "330302"), ("龙湾区", "330303"), ("瓯海区", "330304"), ("乐清市", "330382")]),
    city("浙江", "绍兴", "0575", 2, true, &[("越城区", "330602"), ("柯桥区", "330603"), ("上虞区", "330604")]),
    city("上海", "上海", "021", 6, true, &[("浦东新区", "310115"), ("闵行区", "310112"), ("宝山区", "310113"), ("嘉定区", "310114"), ("松江区", "310117"), ("青浦区", "310118"), ("奉贤区", "310120"), ("徐汇区", "310104"), ("普陀区", "310107"), ("静安区", "310106")]),
    city("北京", "北京", "010", 3, true, &[("海淀区", "110108"), ("朝阳区", "110105"), ("丰台区", "110106"), ("大兴区", "110115"), ("昌平区", "110114"), ("西城区", "110102")]),
    city("天津", "天津", "022", 2, true, &[("滨海新区", "120116"), ("西青区", "120111"), ("东丽区", "120110"), ("南开区", "120104"), ("河西区", "120103")]),
    city("重庆", "重庆", "023", 4, true, &[("渝北区", "500112"), ("江北区", "500105"), ("九龙坡区", "500107"), ("沙坪坝区", "500106"), ("南岸区", "500108"), ("渝中区", "500103"), ("巴南区", "500113"), ("涪陵区", "500102"), ("万州区", "500101")]),
    city("四川", "成都", "028", 3, true, &[("武侯区", "510107"), ("锦江区", "510104"), ("青羊区", "510105"), ("金牛区", "510106"), ("成华区", "510108"), ("龙泉驿区", "510112"), ("新都区", "510114"), ("双流区", "510116"), ("郫都区", "510117")]),
    city("四川", "绵阳", "0816", 1, false, &[("涪城区", "510703"), ("游仙区", "510704")]),
    city("湖北", "武汉", "027", 3, true, &[("江岸区", "420102"), ("江汉区", "420103"), ("汉阳区", "420105"), ("武昌区", "420106"), ("青山区", "420107"), ("洪山区", "420111"), ("东西湖区", "420112"), ("江夏区", "420115")]),
    city("湖北", "宜昌", "0717", 1, false, &[("西陵区", "420502"), ("伍家岗区", "420503"), ("夷陵区", "420506")]),
    city("广东", "广州", "020", 3, true, &[("天河区", "440106"), ("越秀区", "440104"), ("海珠区", "440105"), ("白云区", "440111"), ("黄埔区", "440112"), ("番禺区", "440113"), ("南沙区", "440115")]),
    city("广东", "深圳", "0755", 3, true, &[("南山区", "440305"), ("福田区", "440304"), ("罗湖区", "440303"), ("宝安区", "440306"), ("龙岗区", "440307"), ("龙华区", "440309"), ("坪山区", "440310")]),
    city("广东", "佛山", "0757", 2, true, &[("禅城区", "440604"), ("南海区", "440605"), ("顺德区", "440606")]),
    city("广东", "东莞", "0769", 2, true, &[("松山湖", "441900"), ("长安镇", "441900"), ("塘厦镇", "441900"), ("南城街道", "441900")]),
    city("陕西", "西安", "029", 2, true, &[("雁塔区", "610113"), ("未央区", "610112"), ("碑林区", "610103"), ("莲湖区", "610104"), ("新城区", "610102"), ("长安区", "610116")]),
    city("陕西", "榆林", "0912", 1, false, &[("榆阳区", "610802"), ("神木市", "610881")]),
    city("河南", "郑州", "0371", 2, true, &[("金水区", "410105"), ("中原区", "410102"), ("二七区", "410103"), ("管城回族区", "410104"), ("惠济区", "410108")]),
    city("河南", "洛阳", "0379", 1, true, &[("涧西区", "410305"), ("西工区", "410303"), ("洛龙区", "410311")]),
    city("山东", "济南", "0531", 2, true, &[("历下区", "370102"), ("市中区", "370103"), ("槐荫区", "370104"), ("天桥区", "370105"), ("历城区", "370112"), ("章丘区", "370114")]),
    city("山东", "青岛", "0532", 2, true, &[("市南区", "370202"), ("市北区", "370203"), ("黄岛区", "370211"), ("崂山区", "370212"), ("城阳区", "370214")]),
    city("山东", "烟台", "0535", 1, false, &[("芝罘区", "370602"), ("福山区", "370611"), ("莱山区", "370613")]),
    city("湖南", "长沙", "0731", 2, true, &[("芙蓉区", "430102"), ("天心区", "430103"), ("岳麓区", "430104"), ("开福区", "430105"), ("雨花区", "430111"), ("望城区", "430112")]),
    city("湖南", "岳阳", "0730", 1, false, &[("岳阳楼区", "430602"), ("云溪区", "430603")]),
    city("安徽", "合肥", "0551", 3, true, &[("蜀山区", "340104"), ("包河区", "340111"), ("庐阳区", "340103"), ("瑶海区", "340102"), ("肥西县", "340123")]),
    city("安徽", "芜湖", "0553", 1, true, &[("镜湖区", "340202"), ("鸠江区", "340207")]),
    city("福建", "福州", "0591", 1, true, &[("鼓楼区", "350102"), ("台江区", "350103"), ("仓山区", "350104"), ("晋安区", "350111"), ("马尾区", "350105")]),
    city("福建", "厦门", "0592", 2, true, &[("思明区", "350203"), ("湖里区", "350206"), ("集美区", "350211"), ("海沧区", "350205"), ("翔安区", "350213")]),
    city("江西", "南昌", "0791", 1, true, &[("东湖区", "360102"), ("西湖区", "360103"), ("青山湖区", "360111"), ("新建区", "360112"), ("红谷滩区", "360113")]),
    city("江西", "赣州", "0797", 1, false, &[("章贡区", "360702"), ("南康区", "360703")]),
    city("河北", "石家庄", "0311", 1, true, &[("长安区", "130102"), ("桥西区", "130104"), ("新华区", "130105"), ("裕华区", "130108"), ("藁城区", "130109")]),
    city("河北", "唐山", "0315", 2, false, &[("路南区", "130202"), ("路北区", "130203"), ("丰南区", "130207"), ("曹妃甸区", "130209")]),
    city("河北", "保定", "0312", 1, false, &[("竞秀区", "130602"), ("莲池区", "130606")]),
    city("山西", "太原", "0351", 2, true, &[("小店区", "140105"), ("迎泽区", "140106"), ("杏花岭区", "140107"), ("万柏林区", "140109")]),
    city("山西", "大同", "0352", 1, false, &[("平城区", "140213"), ("云冈区", "140214")]),
    city("辽宁", "沈阳", "024", 1, true, &[("和平区", "210102"), ("沈河区", "210103"), ("皇姑区", "210105"), ("铁西区", "210106"), ("浑南区", "210112")]),
    city("辽宁", "大连", "0411", 1, true, &[("中山区", "210202"), ("西岗区", "210203"), ("沙河口区", "210204"), ("甘井子区", "210211"), ("金州区", "210213")]),
    city("黑龙江", "哈尔滨", "0451", 1, true, &[("道里区", "230102"), ("南岗区", "230103"), ("道外区", "230104"), ("香坊区", "230110"), ("松北区", "230109")]),
    city("吉林", "长春", "0431", 1, true, &[("南关区", "220102"), ("宽城区", "220103"), ("朝阳区", "220104"), ("二道区", "220105"), ("绿园区", "220106")]),
    city("云南", "昆明", "0871", 1, true, &[("五华区", "530102"), ("盘龙区", "530103"), ("官渡区", "530111"), ("西山区", "530112"), ("呈贡区", "530114")]),
    city("贵州", "贵阳", "0851", 1, true, &[("南明区", "520102"), ("云岩区", "520103"), ("白云区", "520113"), ("观山湖区", "520115")]),
    city("广西", "南宁", "0771", 1, true, &[("青秀区", "450103"), ("兴宁区", "450102"), ("江南区", "450105"), ("西乡塘区", "450107"), ("良庆区", "450108")]),
    city("广西", "柳州", "0772", 1, false, &[("城中区", "450202"), ("鱼峰区", "450203"), ("柳南区", "450204"), ("柳北区", "450205")]),
    city("甘肃", "兰州", "0931", 1, true, &[("城关区", "620102"), ("七里河区", "620103"), ("西固区", "620104"), ("安宁区", "620105")]),
    city("新疆", "乌鲁木齐", "0991", 1, true, &[("天山区", "650102"), ("沙依巴克区", "650103"), ("新市区", "650104"), ("水磨沟区", "650105")]),
    city("内蒙古", "呼和浩特", "0471", 1, true, &[("新城区", "150102"), ("回民区", "150103"), ("玉泉区", "150104"), ("赛罕区", "150105")]),
    city("内蒙古", "包头", "0472", 1, false, &[("昆都仑区", "150203"), ("青山区", "150204"), ("九原区", "150207")]),
    city("内蒙古", "鄂尔多斯", "0477", 1, false, &[("东胜区", "150602"), ("康巴什区", "150603")]),
    city("宁夏", "银川", "0951", 1, false, &[("兴庆区", "640104"), ("西夏区", "640105"), ("金凤区", "640106")]),
    city("海南", "海口", "0898", 1, false, &[("龙华区", "460106"), ("美兰区", "460108"), ("秀英区", "460105")]),
    city("青海", "西宁", "0971", 1, false, &[("城东区", "630102"), ("城中区", "630103"), ("城西区", "630104"), ("城北区", "630105")]),
];

const MUNICIPALITIES: &[&str] = &["北京", "上海", "天津", "重庆"];

/// Provinces with coal mines (煤矿 customers only come from these).
const COAL_PROVINCES: &[&str] =
    &["山西", "陕西", "内蒙古", "河南", "山东", "安徽", "河北", "黑龙江", "贵州", "宁夏", "新疆", "江苏"];

/// The sales territories: who owns the customers of a province.
fn territory(province: &str) -> &'static str {
    match province {
        "江苏" => "liqiang",
        "浙江" | "上海" | "安徽" | "福建" | "江西" => "wangfang",
        "北京" | "天津" | "河北" | "山西" | "山东" | "河南" | "辽宁" | "吉林" | "黑龙江" | "内蒙古" => {
            "liuyang"
        }
        "重庆" | "四川" | "贵州" | "云南" | "湖北" | "湖南" => "zhengkai",
        _ => "fengxue",
    }
}

fn province_full(short: &str) -> &'static str {
    PROVINCES.iter().find(|(_, s)| *s == short).map(|(full, _)| *full).unwrap_or("")
}

/// 浦东新区 → 浦东, 渝北区 → 渝北, 昆山市 → 昆山, 新城区 → 新城; 工业园区 stays.
fn district_short(district: &str) -> &str {
    if district.ends_with("园区") {
        return district;
    }
    for suffix in ["新区", "区", "市", "县", "镇", "街道"] {
        if let Some(s) = district.strip_suffix(suffix)
            && s.chars().count() >= 2
        {
            return s;
        }
    }
    district
}

// ---------------------------------------------------------------------------------------------
// Names

/// First and second characters of 字号 (trade names); disjoint, so no name doubles a character.
const BRAND_FIRST: &[&str] = &[
    "恒", "永", "鼎", "华", "宏", "金", "天", "瑞", "中", "科", "鑫", "博", "众", "嘉", "德", "振", "凯", "汇", "海",
    "东", "新", "万", "同", "安", "明", "宝", "联", "伟", "富", "祥", "鸿", "大", "长", "光", "国", "正", "北", "南",
    "亚", "星",
];
const BRAND_SECOND: &[&str] = &[
    "通", "兴", "盛", "达", "源", "成", "丰", "信", "泰", "腾", "远", "诚", "禾", "创", "升", "隆", "方", "锐", "顺",
    "和", "元", "世", "盈", "润", "力", "宇", "昌", "越", "航", "能", "利", "康", "业", "辉", "晟", "峰", "邦", "阳",
    "欣", "驰",
];

/// Combinations left out: city names and well-known companies' names.
const AVOIDED_BRANDS: &[&str] = &[
    "南昌", "南通", "华能", "中信", "中通", "中兴", "中远", "中航", "中能", "中泰", "海信", "海通", "海航", "海康",
    "华润", "华泰", "万达", "恒力", "新兴", "正泰", "国航", "东航", "南航", "国能", "国泰", "国信", "联通", "明阳",
    "天能", "安邦", "安信", "宝丰", "亚泰", "东兴", "永辉",
];

/// Every trade name (字号) the archive may use, in a fixed order.
fn brands() -> Vec<String> {
    let mut out = Vec::with_capacity(BRAND_FIRST.len() * BRAND_SECOND.len());
    for first in BRAND_FIRST {
        for second in BRAND_SECOND {
            let brand = format!("{first}{second}");
            if !AVOIDED_BRANDS.contains(&brand.as_str()) {
                out.push(brand);
            }
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Only {
    Anywhere,
    /// Cities with a metro
    Metro,
    /// Coal provinces
    Coal,
}

/// A name pattern: `{省}` province short name, `{市}` city, `{字}` trade name, `{n}` a 中铁 bureau.
struct Pattern {
    name: &'static str,
    short: &'static str,
    industry: &'static str,
    /// Second part of the e-mail domain of companies with a trade name (`hengtong-elec.com`).
    domain: &'static str,
    weight: u32,
    only: Only,
}

const fn pat(
    name: &'static str,
    short: &'static str,
    industry: &'static str,
    domain: &'static str,
    weight: u32,
) -> Pattern {
    Pattern { name, short, industry, domain, weight, only: Only::Anywhere }
}

const fn pat_only(name: &'static str, short: &'static str, industry: &'static str, weight: u32, only: Only) -> Pattern {
    Pattern { name, short, industry, domain: "group", weight, only }
}

/// `{GRID}` is the local power-supply company (see [`grid_company`]).
#[rustfmt::skip]
const PATTERNS: &[Pattern] = &[
    pat("{GRID}", "{GRIDSHORT}", "电网", "", 8),
    pat("{省}{字}电力工程有限公司", "{字}电力", "电力", "power", 4),
    pat("{市}{字}电力安装工程有限公司", "{字}电力安装", "电力", "power", 3),
    pat("{市}{字}电力设备有限公司", "{字}电力设备", "电力", "power", 3),
    pat("{省}{字}电力建设有限公司", "{字}电建", "电力", "power", 2),
    pat("{市}{字}电气成套设备有限公司", "{字}电气", "制造业", "elec", 6),
    pat("{市}{字}电气科技有限公司", "{字}电气", "制造业", "elec", 3),
    pat("{市}{字}开关有限公司", "{字}开关", "制造业", "elec", 2),
    pat("{市}{字}电缆有限公司", "{字}电缆", "制造业", "cable", 2),
    pat("{省}{字}电线电缆有限公司", "{字}电缆", "制造业", "cable", 2),
    pat("{省}{字}新能源科技有限公司", "{字}新能源", "新能源", "energy", 4),
    pat("{市}{字}光伏发电有限公司", "{字}光伏", "新能源", "solar", 2),
    pat("{字}风力发电({市})有限公司", "{字}风电", "新能源", "wind", 2),
    pat("{市}{字}储能科技有限公司", "{字}储能", "新能源", "energy", 2),
    pat("中铁{n}局集团{市}工程有限公司", "中铁{n}局{市}公司", "轨道交通", "", 3),
    pat("{市}{字}轨道交通设备有限公司", "{字}轨交", "轨道交通", "rail", 1),
    pat_only("{市}地铁集团有限公司", "{市}地铁", "轨道交通", 1, Only::Metro),
    pat_only("{市}市轨道交通集团有限公司", "{市}轨交集团", "轨道交通", 1, Only::Metro),
    pat("{市}市水务集团有限公司", "{市}水务", "水务", "", 2),
    pat("{市}{字}水务有限公司", "{字}水务", "水务", "water", 1),
    pat("{市}{字}污水处理有限公司", "{字}污水处理", "水务", "water", 1),
    pat("{市}{字}钢铁有限公司", "{字}钢铁", "冶金", "steel", 2),
    pat("{市}{字}特钢有限公司", "{字}特钢", "冶金", "steel", 1),
    pat("{市}{字}铝业有限公司", "{字}铝业", "冶金", "metal", 1),
    pat("{市}{字}化工有限公司", "{字}化工", "石油化工", "chem", 2),
    pat("{省}{字}石油化工有限公司", "{字}石化", "石油化工", "chem", 1),
    pat("{市}{字}化学工业有限公司", "{字}化学", "石油化工", "chem", 1),
    pat_only("{市}{字}煤业有限公司", "{字}煤业", "煤矿", 2, Only::Coal),
    pat_only("{省}{字}矿业集团有限公司", "{字}矿业", "煤矿", 1, Only::Coal),
    pat("{字}数据科技({市})有限公司", "{字}数据", "数据中心", "data", 2),
    pat("{市}{字}云计算有限公司", "{字}云计算", "数据中心", "cloud", 1),
    pat("{市}{字}大数据产业园有限公司", "{字}大数据", "数据中心", "data", 1),
    pat("{市}{字}房地产开发有限公司", "{字}地产", "建筑地产", "estate", 3),
    pat("{市}{字}置业有限公司", "{字}置业", "建筑地产", "estate", 2),
    pat("{省}{字}建设集团有限公司", "{字}建设", "建筑地产", "build", 2),
    pat("{市}{字}建筑工程有限公司", "{字}建工", "建筑地产", "build", 2),
    pat("{市}市城市建设投资集团有限公司", "{市}城投", "市政", "", 1),
    pat("{市}{字}市政工程有限公司", "{字}市政", "市政", "build", 2),
    pat("{市}{字}照明工程有限公司", "{字}照明", "市政", "light", 1),
    pat("{市}{字}机械制造有限公司", "{字}机械", "制造业", "mach", 2),
    pat("{市}{字}汽车零部件有限公司", "{字}汽配", "制造业", "auto", 1),
    pat("{市}{字}精密电子有限公司", "{字}电子", "制造业", "tech", 1),
    pat("{市}{字}新材料有限公司", "{字}新材料", "制造业", "tech", 1),
    pat("{市}{字}实业有限公司", "{字}实业", "其他", "group", 1),
    pat("{市}{字}物业管理有限公司", "{字}物业", "其他", "group", 1),
];

const BUREAUS: &[&str] = &[
    "一",
    "二",
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "十",
    "十一",
    "十二",
    "十四",
    "十五",
    "十六",
    "十七",
    "十八",
    "十九",
    "二十",
    "二十一",
    "二十二",
    "二十三",
    "二十四",
    "二十五",
];

/// The power-supply company of a city or, in a municipality, of a district; and its short name.
fn grid_company(city: &City, district: &str) -> (String, String) {
    let c = city.name;
    let d = district_short(district);
    match city.province {
        p if MUNICIPALITIES.contains(&p) => (format!("国网{p}市电力公司{d}供电公司"), format!("{d}供电")),
        "广东" if c == "深圳" => ("深圳供电局有限公司".into(), "深圳供电局".into()),
        p @ ("广东" | "广西" | "云南" | "贵州" | "海南") => {
            (format!("{p}电网有限责任公司{c}供电局"), format!("{c}供电局"))
        }
        "内蒙古" => (format!("内蒙古电力(集团)有限责任公司{c}供电分公司"), format!("{c}供电")),
        p => {
            let full = province_full(p);
            if full.ends_with('省') {
                (format!("国网{full}电力有限公司{c}供电分公司"), format!("{c}供电"))
            } else {
                (format!("国网{p}电力有限公司{c}供电公司"), format!("{c}供电"))
            }
        }
    }
}

fn fill(template: &str, city: &City, brand: &str, bureau: &str) -> String {
    let mut s = template.replace("{省}", city.province).replace("{市}", city.name).replace("{字}", brand);
    if s.contains("{n}") {
        s = s.replace("{n}", bureau);
    }
    s
}

/// Lowercase ASCII pinyin of a text (ü as v), e.g. 恒通 → hengtong.
fn pinyin_of(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let syllable = match c {
            // Surname readings the dictionary's first reading gets wrong.
            '曾' => Some("zeng"),
            '覃' => Some("qin"),
            _ => c.to_pinyin().map(|p| p.plain()),
        };
        if let Some(s) = syllable {
            out.extend(s.chars().map(|ch| if ch == 'ü' { 'v' } else { ch }).filter(char::is_ascii_alphanumeric));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// People and numbers

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "蒋",
    "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪",
    "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "阎",
    "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴",
    "莫", "孔", "向", "汤",
];

/// Given names, one or two characters, as the office would meet them (mostly born 1965–1995).
const GIVEN_NAMES: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞", "平", "刚",
    "辉", "鹏", "华", "红", "玲", "斌", "宇", "浩", "凯", "健", "峰", "琳", "波", "宁", "雪", "俊", "帆", "欣", "亮",
    "建华", "建国", "志强", "海燕", "秀英", "桂英", "卫东", "国庆", "春梅", "晓东", "晓明", "志刚", "海涛", "立新",
    "永强", "振华", "德明", "玉兰", "丽华", "建平", "红梅", "文博", "子豪", "雨桐", "思远", "佳怡", "晓燕", "国栋",
    "建军", "伟东", "海峰", "志勇", "金龙", "晓峰", "晨阳", "宏伟", "建新", "少华", "永军", "文静", "小红", "立群",
    "爱民", "新民", "庆华", "长青", "春雷", "东升", "光明", "国华", "海波", "家豪", "俊杰", "凯文", "丽娟", "美玲",
];

const TITLES: &[&str] = &[
    "采购部经理",
    "设备处处长",
    "总工程师",
    "项目经理",
    "物资部主任",
    "技术负责人",
    "电气工程师",
    "采购专员",
    "工程部经理",
    "设备科科长",
    "副总经理",
    "总经理",
    "招标采购中心主任",
    "基建办主任",
    "电气主管",
    "机电部经理",
];

/// Current mobile number ranges of the three carriers.
const MOBILE_PREFIXES: &[&str] = &[
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156", "157",
    "158", "159", "166", "173", "176", "177", "180", "181", "182", "183", "185", "186", "187", "188", "189", "191",
    "193", "195", "198", "199",
];

const MAIL_HOSTS: &[&str] = &["163.com", "126.com", "qq.com", "sina.com", "139.com"];

const ROADS: &[&str] = &[
    "人民路",
    "解放路",
    "中山路",
    "建设路",
    "新华路",
    "长江路",
    "黄河路",
    "工业大道",
    "科技路",
    "创业路",
    "发展大道",
    "环城东路",
    "环城西路",
    "滨江大道",
    "迎宾大道",
    "开发区纬二路",
    "经五路",
    "金桥路",
    "兴业路",
    "高新大道",
    "文化路",
    "学府路",
    "振兴路",
    "和平路",
    "光明路",
    "胜利路",
    "东风路",
    "友谊路",
    "世纪大道",
    "东环路",
    "北京路",
    "南京路",
    "光华路",
    "华山路",
    "工业园路",
    "星湖街",
    "富民路",
    "永安路",
    "江东大道",
    "港城大道",
];

const BUILDINGS: &[&str] = &["A座", "B座", "1号楼", "2号楼", "3栋", "综合楼", "办公楼"];

const BANKS: &[&str] = &["中国工商银行", "中国建设银行", "中国农业银行", "中国银行"];

const NOTES: &[&str] = &[
    "年度框架协议入围单位，按批次下单",
    "付款周期较长，合同约定预付30%",
    "年底集中采购，提前两个月跟进",
    "关注二期扩建项目的配电工程",
    "只接受含税到货价，运费需单列",
    "投标需提前报备授权书",
    "技术部门对能效等级要求高，推荐二级能效以上",
    "决策链长：设备处提需求，物资部采购",
    "老客户，质保期内有一次现场服务记录",
    "竞争对手为本地品牌，价格敏感",
];

/// A credit code's 9-character organisation part: a pre-2015 organisation code (8 digits) or a
/// new registration (`MA` + 6 characters), each with its GB 11714 check character.
fn organisation_code(rng: &mut Rng) -> String {
    const CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let body: String = if rng.percent(55) {
        let tail: String = (0..6).map(|_| char::from(*rng.pick(CHARSET))).collect();
        format!("MA{tail}")
    } else {
        rng.digits(8, true)
    };
    const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| w * if b.is_ascii_digit() { u32::from(b - b'0') } else { u32::from(b - b'A') + 10 })
        .sum();
    let check = match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        d => char::from(b'0' + d as u8),
    };
    format!("{body}{check}")
}

/// A valid 统一社会信用代码 of an enterprise (91…) registered in `region`.
fn credit_code(rng: &mut Rng, region: &str) -> String {
    let first17 = format!("91{region}{}", organisation_code(rng));
    match credit_code_check_char(&first17) {
        Some(check) => format!("{first17}{check}"),
        None => String::new(),
    }
}

fn mobile(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(MOBILE_PREFIXES), rng.digits(8, false))
}

fn landline(rng: &mut Rng, area: &str) -> String {
    format!("{area}-{}{}", rng.range(2, 8), rng.digits(7, false))
}

fn person_name(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN_NAMES))
}

fn address(rng: &mut Rng, district: &str) -> String {
    let number = rng.range(1, 999);
    let mut s = format!("{district}{}{number}号", rng.pick(ROADS));
    if rng.percent(30) {
        let building = rng.pick(BUILDINGS);
        s.push_str(building);
        if rng.percent(50) {
            s.push_str(&format!("{}{:02}室", rng.range(2, 23), rng.range(1, 20)));
        }
    }
    s
}

fn bank_account(rng: &mut Rng, bank: &str) -> String {
    match bank {
        "中国工商银行" => format!("1102{}", rng.digits(15, false)),
        "中国建设银行" => format!("3205{}", rng.digits(16, false)),
        "中国农业银行" => format!("10{}", rng.digits(17, false)),
        _ => rng.digits(12, true),
    }
}

fn invoice(rng: &mut Rng, name: &str, city: &City, district: &str, address: &str, phone: &str) -> InvoiceInfo {
    let bank = *rng.pick(BANKS);
    let branch = if rng.percent(25) {
        format!("{bank}{}分行营业部", city.name)
    } else {
        format!("{bank}{}{}支行", city.name, district_short(district))
    };
    InvoiceInfo {
        title: name.to_string(),
        address_phone: format!("{}市{address} {phone}", city.name),
        bank_name: branch,
        bank_account: bank_account(rng, bank),
    }
}

/// Phones already handed out, so no two customers share a number by accident.
#[derive(Default)]
struct Numbers(BTreeSet<String>);

impl Numbers {
    fn fresh(&mut self, mut make: impl FnMut() -> String) -> String {
        loop {
            let n = make();
            let digits: String = n.chars().filter(char::is_ascii_digit).collect();
            if self.0.insert(digits) {
                return n;
            }
        }
    }
}

struct ContactStyle<'a> {
    area: &'a str,
    /// `hengtong-elec.com`, or empty for companies that use personal mail.
    domain: &'a str,
    count: usize,
    wechat: bool,
}

fn contacts(rng: &mut Rng, numbers: &mut Numbers, style: &ContactStyle<'_>) -> Vec<Contact> {
    let mut names = BTreeSet::new();
    let mut out = Vec::with_capacity(style.count);
    while out.len() < style.count {
        let name = person_name(rng);
        if !names.insert(name.clone()) {
            continue;
        }
        let mut c =
            Contact { name, title: rng.pick(TITLES).to_string(), primary: out.is_empty(), ..Default::default() };
        let has_mobile = rng.percent(90);
        if has_mobile {
            c.mobile = numbers.fresh(|| mobile(rng));
        }
        if !has_mobile || rng.percent(35) {
            let main = numbers.fresh(|| landline(rng, style.area));
            c.phone = if rng.percent(30) { format!("{main}转{}", rng.range(800, 8999)) } else { main };
        }
        if rng.percent(40) {
            let local = pinyin_of(&c.name);
            c.email = if !style.domain.is_empty() && rng.percent(70) {
                format!("{local}@{}", style.domain)
            } else {
                format!("{local}{}@{}", rng.range(70, 99), rng.pick(MAIL_HOSTS))
            };
        }
        if style.wechat && rng.percent(35) {
            c.wechat = if rng.percent(50) {
                let tail: String =
                    (0..10).map(|_| char::from(*rng.pick(b"abcdefghijkmnpqrstuvwxyz0123456789"))).collect();
                format!("wxid_{tail}")
            } else {
                format!("{}_{}", pinyin_of(&c.name), rng.digits(4, true))
            };
        }
        out.push(c);
    }
    out
}

fn weighted_grade(rng: &mut Rng) -> Grade {
    Grade::ALL[rng.weighted(&[10, 25, 45, 20])]
}

// ---------------------------------------------------------------------------------------------
// The demo archive

/// What makes a demo customer besides the random parts.
struct Seed<'a> {
    name: String,
    short_name: String,
    industry: &'a str,
    city: &'a City,
    district: (&'a str, &'a str),
    domain: String,
}

fn build(rng: &mut Rng, numbers: &mut Numbers, seed: Seed<'_>, with_code: bool) -> CustomerDraft {
    let Seed { name, short_name, industry, city, district, domain } = seed;
    let credit_code = if with_code { credit_code(rng, district.1) } else { String::new() };
    let address = address(rng, district.0);
    let phone = numbers.fresh(|| landline(rng, city.area));
    let invoice = invoice(rng, &name, city, district.0, &address, &phone);
    let count = [1, 1, 1, 2, 2, 2, 2, 3, 3, 3][rng.below(10)];
    let contacts = contacts(rng, numbers, &ContactStyle { area: city.area, domain: &domain, count, wechat: true });
    let notes = if rng.percent(15) { rng.pick(NOTES).to_string() } else { String::new() };
    CustomerDraft {
        name,
        short_name,
        credit_code,
        grade: weighted_grade(rng),
        source: rng.pick(SOURCES).to_string(),
        industry: industry.to_string(),
        province: city.province.to_string(),
        city: city.name.to_string(),
        address,
        phone,
        invoice,
        notes,
        contacts,
    }
}

/// The sorted character bigrams of a name's core, as `name_similarity` compares them.
fn core_bigrams(name: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = name_core(name).chars().collect();
    let mut v: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
    v.sort_unstable();
    v
}

/// `name_similarity` on precomputed bigrams (the Dice coefficient), so checking a candidate
/// against the whole archive stays cheap.
fn dice(x: &[(char, char)], y: &[(char, char)]) -> f64 {
    if x.is_empty() || y.is_empty() {
        return if x == y { 1.0 } else { 0.0 };
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    (2 * common) as f64 / (x.len() + y.len()) as f64
}

fn city_named(name: &str) -> &'static City {
    CITIES.iter().find(|c| c.name == name).unwrap_or(&CITIES[0])
}

/// The hand-written customers: two near-duplicate pairs for the merge feature (one pair even
/// shares a buyer's mobile), and Chongqing customers for the pinyin search (cq / zq).
fn handpicked(rng: &mut Rng, numbers: &mut Numbers) -> Vec<DemoCustomer> {
    let nanjing = city_named("南京");
    let chongqing = city_named("重庆");
    let hangzhou = city_named("杭州");
    let seed = |name: &str, short: &str, industry: &'static str, city: &'static City, d: usize, domain: &str| Seed {
        name: name.into(),
        short_name: short.into(),
        industry,
        city,
        district: city.districts[d % city.districts.len()],
        domain: domain.into(),
    };
    let mut out = Vec::new();

    let mut a =
        build(rng, numbers, seed("江苏华能电力设备有限公司", "华能电力", "电力", nanjing, 7, "hn-power.com"), true);
    a.grade = Grade::A;
    a.source = "老客户介绍".into();
    a.notes = "年度框架协议入围单位，按批次下单".into();
    let mut b = build(rng, numbers, seed("华能电力设备(江苏)有限公司", "华能设备", "电力", nanjing, 7, ""), false);
    b.grade = Grade::C;
    b.source = "电话询价".into();
    b.notes = "电话询价时登记，疑与“江苏华能电力设备有限公司”为同一家".into();
    // The same buyer, registered twice by different people.
    if let (Some(first_a), Some(first_b)) = (a.contacts.first_mut(), b.contacts.first_mut()) {
        if first_a.mobile.is_empty() {
            first_a.mobile = numbers.fresh(|| mobile(rng));
        }
        first_b.name = first_a.name.clone();
        first_b.mobile = first_a.mobile.clone();
    }
    out.push(DemoCustomer { draft: a, owner_login: Some("liqiang") });
    out.push(DemoCustomer { draft: b, owner_login: None });

    let mut c = build(
        rng,
        numbers,
        seed("重庆渝能电力工程有限公司", "渝能电力", "电力", chongqing, 0, "yuneng-power.com"),
        true,
    );
    c.grade = Grade::B;
    let mut d = build(rng, numbers, seed("重庆市渝能电力工程有限公司", "渝能", "电力", chongqing, 2, ""), true);
    d.grade = Grade::D;
    d.source = "招标网站".into();
    out.push(DemoCustomer { draft: c, owner_login: Some("zhengkai") });
    out.push(DemoCustomer { draft: d, owner_login: None });

    let mut e = build(
        rng,
        numbers,
        seed("重庆两江轨道交通装备有限公司", "两江轨交", "轨道交通", chongqing, 1, "liangjiang-rail.com"),
        true,
    );
    e.grade = Grade::B;
    out.push(DemoCustomer { draft: e, owner_login: Some("zhengkai") });

    let mut f = build(
        rng,
        numbers,
        seed("浙江明远电缆有限公司", "明远电缆", "制造业", hangzhou, 4, "mingyuan-cable.com"),
        true,
    );
    f.grade = Grade::A;
    out.push(DemoCustomer { draft: f, owner_login: Some("wangfang") });
    out
}

/// The demo customer archive: [`DEMO_CUSTOMER_COUNT`] customers in 25+ provinces, each valid as
/// `CustomerDraft::validate` sees it, with unique names, credit codes and phone numbers.
/// About 15% have no credit code and about 20% are in the shared pool.
pub fn demo_customers() -> Vec<DemoCustomer> {
    let mut rng = Rng::new(SEED);
    let mut numbers = Numbers::default();
    let mut out = handpicked(&mut rng, &mut numbers);
    let mut names: BTreeSet<String> = out.iter().map(|c| c.draft.name.clone()).collect();
    let mut cores: Vec<Vec<(char, char)>> = out.iter().map(|c| core_bigrams(&c.draft.name)).collect();
    let mut codes: BTreeSet<String> = out.iter().map(|c| c.draft.credit_code.clone()).collect();
    let city_weights: Vec<u32> = CITIES.iter().map(|c| c.weight).collect();
    let pattern_weights: Vec<u32> = PATTERNS.iter().map(|p| p.weight).collect();
    let brands = brands();

    while out.len() < DEMO_CUSTOMER_COUNT {
        let city = &CITIES[rng.weighted(&city_weights)];
        let pattern = &PATTERNS[rng.weighted(&pattern_weights)];
        let allowed = match pattern.only {
            Only::Anywhere => true,
            Only::Metro => city.metro,
            Only::Coal => COAL_PROVINCES.contains(&city.province),
        };
        if !allowed {
            continue;
        }
        let district = *rng.pick(city.districts);
        let brand = rng.pick(&brands).clone();
        let bureau = *rng.pick(BUREAUS);
        let (name, short_name) = if pattern.name == "{GRID}" {
            grid_company(city, district.0)
        } else {
            (fill(pattern.name, city, &brand, bureau), fill(pattern.short, city, &brand, bureau))
        };
        // Unique, and not so alike an existing name that the merge feature would flag it.
        let core = core_bigrams(&name);
        if names.contains(&name) || cores.iter().any(|c| dice(c, &core) >= 0.8) {
            continue;
        }
        let domain = if pattern.name.contains("{字}") && !pattern.domain.is_empty() {
            format!("{}-{}.com", pinyin_of(&brand), pattern.domain)
        } else {
            String::new()
        };
        let with_code = !rng.percent(15);
        let seed = Seed { name, short_name, industry: pattern.industry, city, district, domain };
        let mut draft = build(&mut rng, &mut numbers, seed, with_code);
        if pattern.industry == "电网" && draft.grade > Grade::B {
            // The utilities are the office's key accounts.
            draft.grade = if rng.percent(40) { Grade::A } else { Grade::B };
        }
        while !draft.credit_code.is_empty() && !codes.insert(draft.credit_code.clone()) {
            draft.credit_code = credit_code(&mut rng, district.1);
        }
        let owner_login = if rng.percent(20) { None } else { Some(territory(city.province)) };
        names.insert(draft.name.clone());
        cores.push(core);
        out.push(DemoCustomer { draft, owner_login });
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Bulk data

/// `n` customers for benchmarks and load tests, different for each `seed`: names follow the
/// demo patterns and are unique for `n` up to about 3.3 million; 1–2 contacts each, about 60%
/// with a credit code. Fast: plain formatting, no duplicate checks.
pub fn generated_customers(n: usize, seed: u64) -> Vec<CustomerDraft> {
    let mut rng = Rng::new(seed ^ SEED);
    let patterns: Vec<&Pattern> =
        PATTERNS.iter().filter(|p| p.name.contains("{字}") && p.only == Only::Anywhere).collect();
    let brands = brands();
    let (nb, nc, np) = (brands.len(), CITIES.len(), patterns.len());
    let space = (nb * nc * np) as u128;
    // Walk the name space in a scattered order: i ↦ (i·step + offset) mod space is a bijection,
    // step being a prime that does not divide `space`.
    let step: u128 = 1_000_003;
    let offset = u128::from(seed) % space;
    let mut numbers = Numbers::default();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let mut j = ((i as u128) * step + offset) % space;
        let mut take = |k: usize| {
            let v = (j % k as u128) as usize;
            j /= k as u128;
            v
        };
        let (b, c, p) = (take(nb), take(nc), take(np));
        let (city, pattern, brand) = (&CITIES[c], patterns[p], &brands[b]);
        let district = *rng.pick(city.districts);
        let address = address(&mut rng, district.0);
        let phone = landline(&mut rng, city.area);
        // {省} becomes the city here, so two cities of one province never give the same name.
        let name = fill(&pattern.name.replace("{省}", "{市}"), city, brand, "");
        let count = 1 + rng.below(2);
        let style = ContactStyle { area: city.area, domain: "", count, wechat: false };
        out.push(CustomerDraft {
            short_name: fill(pattern.short, city, brand, ""),
            credit_code: if rng.percent(60) { credit_code(&mut rng, district.1) } else { String::new() },
            grade: weighted_grade(&mut rng),
            source: rng.pick(SOURCES).to_string(),
            industry: pattern.industry.to_string(),
            province: city.province.to_string(),
            city: city.name.to_string(),
            invoice: InvoiceInfo { title: name.clone(), ..Default::default() },
            contacts: contacts(&mut rng, &mut numbers, &style),
            name,
            address,
            phone,
            notes: String::new(),
        });
        // Contacts' numbers only need to be unique within a customer.
        numbers.0.clear();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::customer::{INDUSTRIES, name_similarity};
    use crate::domain::validate::validate_credit_code;

    fn valid(mut d: CustomerDraft) -> CustomerDraft {
        let before = d.clone();
        let errors = d.validate();
        assert!(errors.is_empty(), "{}: {errors:?}", before.name);
        assert_eq!(d, before, "validate() changed {}", before.name);
        d
    }

    #[test]
    fn every_demo_customer_is_valid_and_already_normalised() {
        let customers = demo_customers();
        assert_eq!(customers.len(), DEMO_CUSTOMER_COUNT);
        assert!(customers.len() >= 320);
        for c in &customers {
            let d = valid(c.draft.clone());
            assert!(!d.contacts.is_empty() && d.contacts.len() <= 3, "{}", d.name);
            assert_eq!(d.contacts.iter().filter(|c| c.primary).count(), 1, "{}", d.name);
            assert!(d.contacts.iter().all(|c| !c.mobile.is_empty() || !c.phone.is_empty()), "{}", d.name);
            assert!(d.contacts.iter().all(|c| c.email.is_ascii() && c.wechat.is_ascii()), "{}", d.name);
            assert!(INDUSTRIES.contains(&d.industry.as_str()), "{}", d.industry);
            assert!(SOURCES.contains(&d.source.as_str()), "{}", d.source);
            assert!(PROVINCES.iter().any(|(_, s)| *s == d.province), "{}", d.province);
            assert!(!d.city.is_empty() && !d.address.is_empty() && !d.short_name.is_empty());
            assert_eq!(d.invoice.title, d.name);
            assert!(!d.invoice.bank_account.is_empty() && d.invoice.bank_account.bytes().all(|b| b.is_ascii_digit()));
            assert!(d.invoice.bank_name.ends_with("支行") || d.invoice.bank_name.ends_with("营业部"));
        }
    }

    #[test]
    fn credit_codes_are_valid_unique_and_carry_the_region() {
        let customers = demo_customers();
        let with_code: Vec<&CustomerDraft> =
            customers.iter().map(|c| &c.draft).filter(|d| !d.credit_code.is_empty()).collect();
        let share = 100 * (customers.len() - with_code.len()) / customers.len();
        assert!((8..=22).contains(&share), "{share}% without a credit code");
        let mut codes = BTreeSet::new();
        for d in &with_code {
            assert_eq!(validate_credit_code(&d.credit_code), Ok(()), "{}", d.credit_code);
            assert!(d.credit_code.starts_with("91"));
            assert!(codes.insert(d.credit_code.as_str()), "duplicate {}", d.credit_code);
            let city = CITIES.iter().find(|c| c.name == d.city).expect("a demo city");
            let region = &d.credit_code[2..8];
            assert!(city.districts.iter().any(|(_, r)| *r == region), "{} {region}", d.name);
        }
    }

    #[test]
    fn names_are_unique_and_only_the_planted_pairs_look_alike() {
        let customers = demo_customers();
        let names: Vec<&str> = customers.iter().map(|c| c.draft.name.as_str()).collect();
        let unique: BTreeSet<&str> = names.iter().copied().collect();
        assert_eq!(unique.len(), names.len());
        let mut alike = Vec::new();
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                if name_similarity(a, b) >= 0.8 {
                    alike.push((*a, *b));
                }
            }
        }
        assert_eq!(
            alike,
            [
                ("江苏华能电力设备有限公司", "华能电力设备(江苏)有限公司"),
                ("重庆渝能电力工程有限公司", "重庆市渝能电力工程有限公司")
            ]
        );
        let owner = |name: &str| customers.iter().find(|c| c.draft.name == name).map(|c| c.owner_login);
        assert_eq!(owner("江苏华能电力设备有限公司"), Some(Some("liqiang")));
        assert_eq!(owner("华能电力设备(江苏)有限公司"), Some(None));
    }

    #[test]
    fn phone_numbers_are_not_shared_except_by_the_planted_duplicate() {
        let customers = demo_customers();
        let mut seen = std::collections::BTreeMap::new();
        let mut shared = Vec::new();
        for c in &customers {
            for digits in c.draft.phone_digits() {
                if let Some(other) = seen.insert(digits, c.draft.name.as_str()) {
                    shared.push((other, c.draft.name.as_str()));
                }
            }
        }
        assert_eq!(shared, [("江苏华能电力设备有限公司", "华能电力设备(江苏)有限公司")]);
    }

    #[test]
    fn the_archive_spreads_over_china_and_the_sales_team() {
        let customers = demo_customers();
        let provinces: BTreeSet<&str> = customers.iter().map(|c| c.draft.province.as_str()).collect();
        assert!(provinces.len() >= 25, "{}", provinces.len());
        let chongqing = customers.iter().filter(|c| c.draft.province == "重庆").count();
        assert!(chongqing >= 3);
        assert!(customers.iter().filter(|c| c.draft.name.contains("电力")).count() >= 10);
        assert!(customers.iter().filter(|c| c.draft.name.contains("电缆")).count() >= 3);
        let pool = customers.iter().filter(|c| c.owner_login.is_none()).count();
        let share = 100 * pool / customers.len();
        assert!((15..=25).contains(&share), "{share}% in the pool");
        for login in super::super::SALES_LOGINS {
            assert!(customers.iter().filter(|c| c.owner_login == Some(*login)).count() >= 20, "{login}");
        }
        assert!(customers.iter().filter_map(|c| c.owner_login).all(|l| super::super::SALES_LOGINS.contains(&l)));
        for grade in Grade::ALL {
            assert!(customers.iter().any(|c| c.draft.grade == grade), "{grade:?}");
        }
        let area_ok = |c: &DemoCustomer| {
            let city = CITIES.iter().find(|x| x.name == c.draft.city).expect("a demo city");
            c.draft.phone.starts_with(&format!("{}-", city.area))
        };
        assert!(customers.iter().all(area_ok));
    }

    #[test]
    fn grades_follow_the_intended_mix() {
        let customers = demo_customers();
        let count = |g: Grade| customers.iter().filter(|c| c.draft.grade == g).count() * 100 / customers.len();
        assert!((6..=20).contains(&count(Grade::A)), "A {}", count(Grade::A));
        assert!((15..=35).contains(&count(Grade::B)), "B {}", count(Grade::B));
        assert!((33..=55).contains(&count(Grade::C)), "C {}", count(Grade::C));
        assert!((12..=28).contains(&count(Grade::D)), "D {}", count(Grade::D));
    }

    #[test]
    fn the_archive_is_the_same_on_every_call() {
        assert_eq!(demo_customers(), demo_customers());
    }

    #[test]
    fn grid_companies_are_named_after_their_owner() {
        let su = city_named("苏州");
        assert_eq!(grid_company(su, "工业园区").0, "国网江苏省电力有限公司苏州供电分公司");
        assert_eq!(grid_company(city_named("上海"), "浦东新区").0, "国网上海市电力公司浦东供电公司");
        assert_eq!(grid_company(city_named("广州"), "天河区").0, "广东电网有限责任公司广州供电局");
        assert_eq!(grid_company(city_named("乌鲁木齐"), "天山区").0, "国网新疆电力有限公司乌鲁木齐供电公司");
        assert_eq!(pinyin_of("曾吕恒通"), "zenglvhengtong");
    }

    #[test]
    fn trade_names_are_two_different_characters() {
        assert!(BRAND_FIRST.iter().all(|c| !BRAND_SECOND.contains(c)));
        let brands = brands();
        assert_eq!(brands.len(), BRAND_FIRST.len() * BRAND_SECOND.len() - AVOIDED_BRANDS.len());
        assert_eq!(brands.iter().collect::<BTreeSet<_>>().len(), brands.len());
        let bulk_patterns = PATTERNS.iter().filter(|p| p.name.contains("{字}") && p.only == Only::Anywhere).count();
        let space = brands.len() * CITIES.len() * bulk_patterns;
        assert!(space > 2_000_000 && !space.is_multiple_of(1_000_003), "{space}");
    }

    #[test]
    fn generated_customers_are_valid_unique_and_reproducible() {
        let customers = generated_customers(1000, 7);
        assert_eq!(customers.len(), 1000);
        let names: BTreeSet<&str> = customers.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names.len(), 1000);
        for d in &customers {
            let d = valid(d.clone());
            assert!((1..=2).contains(&d.contacts.len()));
        }
        assert_eq!(customers, generated_customers(1000, 7));
        assert_ne!(customers, generated_customers(1000, 8));
        let provinces: BTreeSet<&str> = customers.iter().map(|d| d.province.as_str()).collect();
        assert!(provinces.len() >= 25);
    }
}
