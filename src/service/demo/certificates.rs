//! The demo office's certificate library, added by the admin through the real use case: a
//! business licence without a term, ISO certificates (one about to expire), a type-test report, a
//! CCC certificate that has expired — each with a generated specimen scan — and the after-sales
//! commitment template saved once.

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::docs::specimen::{Specimen, certificate_png};
use crate::domain::bid::AfterSalesTemplate;
use crate::domain::certificate::CertificateDraft;
use crate::domain::role::Role;
use crate::service::{Actor, Service, ServiceError};

/// A certificate, the rows its specimen scan prints, and the line under its title.
type Entry = (CertificateDraft, Vec<(&'static str, String)>, &'static str);

fn cn(d: NaiveDate) -> String {
    d.format("%Y年%m月%d日").to_string()
}

impl Service {
    /// Adds the demo certificates (as the admin) and saves the after-sales template.
    pub(super) fn create_demo_certificates(&mut self, actors: &[Actor]) -> Result<usize, ServiceError> {
        let admin = actors
            .iter()
            .find(|a| a.roles().contains(Role::Admin))
            .cloned()
            .ok_or(ServiceError::rule("demo.invariant", "no admin"))?;
        let today = self.today();
        let company = self.settings(&admin)?.company.value;
        let year = |n: u32| today.checked_sub_months(Months::new(12 * n)).unwrap_or(today);
        let ahead = |days: u64| today.checked_add_days(Days::new(days)).unwrap_or(today);
        let founded = NaiveDate::from_ymd_opt(2012, 3, 15).unwrap_or(today);
        let iso_from = year(2).with_day(20).unwrap_or(today);
        let type_test = year(1).with_day(8).unwrap_or(today);
        let ccc_from = year(6).with_day(1).unwrap_or(today);
        let ccc_until = today.checked_sub_days(Days::new(45)).unwrap_or(today);
        let name = company.name.trim_end_matches("（演示）").to_string();
        let iso_until = iso_from.checked_add_months(Months::new(36)).and_then(|d| d.pred_opt()).unwrap_or(today);
        let env_until = ahead(20);
        let report_no = format!("GB{}-0316", type_test.year());

        let list: Vec<Entry> = vec![
            (
                CertificateDraft {
                    name: "营业执照（副本）".into(),
                    kind: "营业执照".into(),
                    number: company.credit_code.clone(),
                    issuer: "苏州市市场监督管理局".into(),
                    valid_from: Some(founded),
                    valid_until: None,
                    covers: vec![],
                },
                vec![
                    ("统一社会信用代码", company.credit_code.clone()),
                    ("名　　称", name.clone()),
                    ("类　　型", "有限责任公司（自然人投资或控股）".into()),
                    ("法定代表人", company.legal_representative.clone()),
                    ("注册资本", "伍仟万元整".into()),
                    ("成立日期", cn(founded)),
                    ("营业期限", "长期".into()),
                    ("住　　所", company.address.clone()),
                    ("经营范围", "高低压成套开关设备、箱式变电站、电力电缆附件的研发、制造、销售及技术服务".into()),
                ],
                "（副本）",
            ),
            (
                CertificateDraft {
                    name: "ISO 9001 质量管理体系认证证书".into(),
                    kind: "质量管理体系认证".into(),
                    number: "00124Q31567R2M".into(),
                    issuer: "中国质量认证中心".into(),
                    valid_from: Some(iso_from),
                    valid_until: Some(iso_until),
                    covers: vec![],
                },
                vec![
                    ("证书编号", "00124Q31567R2M".into()),
                    ("组织名称", name.clone()),
                    ("认证标准", "GB/T 19001-2016 / ISO 9001:2015".into()),
                    ("认证范围", "12kV及以下高低压成套开关设备、箱式变电站的设计、生产和服务".into()),
                    ("发证日期", cn(iso_from)),
                    ("有效期至", cn(iso_until)),
                ],
                "GB/T 19001-2016 / ISO 9001:2015",
            ),
            (
                CertificateDraft {
                    name: "ISO 14001 环境管理体系认证证书".into(),
                    kind: "环境管理体系认证".into(),
                    number: "00124E30988R1M".into(),
                    issuer: "中国质量认证中心".into(),
                    valid_from: Some(year(3)),
                    valid_until: Some(env_until),
                    covers: vec![],
                },
                vec![
                    ("证书编号", "00124E30988R1M".into()),
                    ("组织名称", name.clone()),
                    ("认证标准", "GB/T 24001-2016 / ISO 14001:2015".into()),
                    ("认证范围", "高低压成套开关设备的生产及相关环境管理活动".into()),
                    ("发证日期", cn(year(3))),
                    ("有效期至", cn(env_until)),
                ],
                "GB/T 24001-2016 / ISO 14001:2015",
            ),
            (
                CertificateDraft {
                    name: "KYN28A-12 型式试验报告".into(),
                    kind: "型式试验报告".into(),
                    number: report_no.clone(),
                    issuer: "机械工业高压电器产品质量检测中心".into(),
                    valid_from: Some(type_test),
                    valid_until: type_test.checked_add_months(Months::new(60)),
                    covers: vec!["KYN28A".into()],
                },
                vec![
                    ("报告编号", report_no.clone()),
                    ("产品名称", "户内金属铠装抽出式开关设备".into()),
                    ("型号规格", "KYN28A-12/1250-31.5".into()),
                    ("委托单位", name.clone()),
                    ("检验类别", "型式试验".into()),
                    ("检验依据", "GB/T 3906-2020、DL/T 404-2018".into()),
                    ("检验结论", "所检项目符合标准要求".into()),
                ],
                "（型式试验）",
            ),
            (
                CertificateDraft {
                    name: "中国国家强制性产品认证证书（低压成套开关设备）".into(),
                    kind: "产品认证证书".into(),
                    number: "2019010301187766".into(),
                    issuer: "中国质量认证中心".into(),
                    valid_from: Some(ccc_from),
                    valid_until: Some(ccc_until),
                    covers: vec!["GCS".into(), "低压成套开关设备".into()],
                },
                vec![
                    ("证书编号", "2019010301187766".into()),
                    ("产品名称", "低压成套开关设备".into()),
                    ("型号规格", "GCS 380V 4000A 50kA".into()),
                    ("生产者", name.clone()),
                    ("发证日期", cn(ccc_from)),
                    ("有效期至", cn(ccc_until)),
                ],
                "CCC",
            ),
        ];
        let mut made = 0;
        for (draft, rows, subtitle) in list {
            let title = match draft.kind.as_str() {
                "营业执照" => "营业执照",
                "型式试验报告" => "检验报告",
                "产品认证证书" => "强制性产品认证证书",
                _ => "管理体系认证证书",
            };
            let rows: Vec<(&str, &str)> = rows.iter().map(|(l, v)| (*l, v.as_str())).collect();
            let date = cn(draft.valid_from.unwrap_or(today));
            let png = certificate_png(&Specimen { title, subtitle, rows: &rows, issuer: &draft.issuer, date: &date })?;
            let file = format!("{}.png", draft.name);
            self.add_certificate(&admin, draft, (&file, &png))?;
            made += 1;
        }
        let template = self.after_sales_template(&admin)?;
        self.update_after_sales_template(&admin, template.version, AfterSalesTemplate::default())?;
        Ok(made)
    }
}
