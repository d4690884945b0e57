//! The certificate library (资质证书库): business licence, ISO certificates, test reports and the
//! like, kept by the admin with their scans and validity, attached to bids as qualification
//! documents (资格证明文件). Pure: "expired" is always judged as of a date the caller gives.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::company::FieldError;
use crate::domain::ids::{AttachmentId, CertificateId};

/// The kinds offices usually keep; the field is free text, these are the suggestions.
pub const KINDS: &[&str] = &[
    "营业执照",
    "质量管理体系认证",
    "环境管理体系认证",
    "职业健康安全管理体系认证",
    "产品认证证书",
    "型式试验报告",
    "检测报告",
    "生产许可证",
    "资信证明",
    "荣誉证书",
];

/// How many days before its end a certificate is flagged 即将到期.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

/// What the admin types for one certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct CertificateDraft {
    /// 证书名称, e.g. "ISO 9001 质量管理体系认证证书"
    pub name: String,
    /// 类别 (see [`KINDS`])
    pub kind: String,
    /// 证书编号
    pub number: String,
    /// 发证机关
    pub issuer: String,
    /// 发证日期
    pub valid_from: Option<NaiveDate>,
    /// 有效期至; `None` = 长期有效 (e.g. a business licence without a term)
    pub valid_until: Option<NaiveDate>,
    /// 适用产品: the models (a model or its prefix, `SCB13`) or price-table categories the
    /// certificate covers. Empty: the company as a whole (a licence, an ISO certificate).
    pub covers: Vec<String>,
}

impl CertificateDraft {
    /// Trims the text and returns one message per bad field.
    pub fn validate(&mut self) -> Vec<FieldError> {
        for s in [&mut self.name, &mut self.kind, &mut self.number, &mut self.issuer] {
            *s = s.trim().to_string();
        }
        let mut covers: Vec<String> = Vec::new();
        for c in self.covers.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
            if !covers.iter().any(|k| k.eq_ignore_ascii_case(c)) {
                covers.push(c.to_string());
            }
        }
        self.covers = covers;
        let mut out = Vec::new();
        if self.name.is_empty() {
            out.push(FieldError::new("name", "请填写证书名称"));
        }
        if self.kind.is_empty() {
            out.push(FieldError::new("kind", "请选择或填写证书类别"));
        }
        if let (Some(from), Some(until)) = (self.valid_from, self.valid_until)
            && until < from
        {
            out.push(FieldError::new("valid_until", "有效期至不能早于发证日期"));
        }
        out
    }
}

/// What a quote line is, as far as certificates go: its model and its price-table category.
#[derive(Debug, Clone, Copy)]
pub struct Offered<'a> {
    pub model: &'a str,
    pub name: &'a str,
    pub category: &'a str,
}

impl CertificateDraft {
    /// Whether the certificate speaks for the line: a company-wide certificate (no `covers`)
    /// always; else a covered category, or a model equal to or starting with a covered one
    /// (ignoring case, spaces and hyphens: `KYN28A-12` covers `KYN28A-12(Z)`).
    pub fn covers_line(&self, line: &Offered<'_>) -> bool {
        if self.covers.is_empty() {
            return true;
        }
        let norm = |s: &str| -> String {
            s.chars().filter(|c| !c.is_whitespace() && *c != '-' && *c != '－').flat_map(char::to_uppercase).collect()
        };
        let model = norm(line.model);
        self.covers.iter().any(|c| {
            let k = norm(c);
            !k.is_empty()
                && (c.trim() == line.category.trim()
                    || (!model.is_empty() && model.starts_with(&k))
                    || line.name.contains(c.trim()))
        })
    }

    /// Whether the certificate speaks for at least one of the offered lines.
    pub fn covers_any(&self, lines: &[Offered<'_>]) -> bool {
        self.covers.is_empty() || lines.iter().any(|l| self.covers_line(l))
    }
}

/// A certificate in the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    pub id: CertificateId,
    pub draft: CertificateDraft,
    /// The scan (PNG or JPEG) printed in the bid.
    pub image: AttachmentId,
    /// False once retired (作废/停用): it stays for the bids that attached it, but is no longer offered.
    pub active: bool,
    pub version: i64,
    pub updated_by: String,
    pub updated_at: String,
}

/// Where a certificate stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// 长期有效
    Permanent,
    /// Valid, more than [`EXPIRY_WARNING_DAYS`] to go.
    Valid,
    /// Valid for this many more days (0 = the last day is today).
    Soon(i64),
    /// Ended this many days ago (1 = yesterday was the last day).
    Expired(i64),
}

impl Expiry {
    /// Short badge text: 长期 / 有效 / 12 天后到期 / 已过期.
    pub fn badge(self) -> String {
        match self {
            Expiry::Permanent => "长期有效".into(),
            Expiry::Valid => "有效".into(),
            Expiry::Soon(0) => "今天到期".into(),
            Expiry::Soon(d) => format!("{d} 天后到期"),
            Expiry::Expired(_) => "已过期".into(),
        }
    }

    pub fn is_expired(self) -> bool {
        matches!(self, Expiry::Expired(_))
    }
}

impl CertificateDraft {
    /// Its state on `day`: a certificate is valid through its `valid_until` day.
    pub fn expiry(&self, day: NaiveDate) -> Expiry {
        match self.valid_until {
            None => Expiry::Permanent,
            Some(until) if until < day => Expiry::Expired((day - until).num_days()),
            Some(until) => {
                let left = (until - day).num_days();
                if left <= EXPIRY_WARNING_DAYS { Expiry::Soon(left) } else { Expiry::Valid }
            }
        }
    }

    /// `2029年6月30日` or `长期`.
    pub fn valid_until_text(&self) -> String {
        match self.valid_until {
            Some(d) => crate::domain::dates::cn_date(d),
            None => "长期".into(),
        }
    }
}

/// The order certificates are listed and attached in, as bids present them: active first, then
/// by kind in the order of [`KINDS`] (the business licence first), then by name.
pub fn sort_for_bids(list: &mut [Certificate]) {
    let rank = |c: &Certificate| KINDS.iter().position(|k| *k == c.draft.kind).unwrap_or(KINDS.len());
    list.sort_by(|a, b| {
        b.active.cmp(&a.active).then(rank(a).cmp(&rank(b))).then_with(|| a.draft.name.cmp(&b.draft.name))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn expiry_counts_the_last_day_as_valid() {
        let c = CertificateDraft { valid_until: Some(d(2026, 12, 10)), ..Default::default() };
        assert_eq!(c.expiry(d(2026, 12, 10)), Expiry::Soon(0));
        assert_eq!(c.expiry(d(2026, 12, 11)), Expiry::Expired(1));
        assert_eq!(c.expiry(d(2026, 11, 10)), Expiry::Soon(30));
        assert_eq!(c.expiry(d(2026, 11, 9)), Expiry::Valid);
        assert!(c.expiry(d(2027, 1, 1)).is_expired());
        let permanent = CertificateDraft::default();
        assert_eq!(permanent.expiry(d(2099, 1, 1)), Expiry::Permanent);
        assert_eq!(permanent.valid_until_text(), "长期");
        assert_eq!(Expiry::Soon(12).badge(), "12 天后到期");
    }

    #[test]
    fn bids_list_the_licence_first_and_retired_certificates_last() {
        let cert = |id: i64, kind: &str, name: &str, active: bool| Certificate {
            id: CertificateId(id),
            draft: CertificateDraft { name: name.into(), kind: kind.into(), ..Default::default() },
            image: AttachmentId(id),
            active,
            version: 1,
            updated_by: String::new(),
            updated_at: String::new(),
        };
        let mut list = vec![
            cert(1, "检测报告", "B", true),
            cert(2, "营业执照", "旧执照", false),
            cert(3, "自定义", "A", true),
            cert(4, "营业执照", "营业执照", true),
            cert(5, "检测报告", "A", true),
        ];
        sort_for_bids(&mut list);
        let ids: Vec<i64> = list.iter().map(|c| c.id.0).collect();
        assert_eq!(ids, [4, 5, 1, 3, 2]);
    }

    #[test]
    fn a_certificate_needs_a_name_a_kind_and_an_end_after_its_start() {
        let mut c = CertificateDraft {
            name: "  ".into(),
            valid_from: Some(d(2026, 1, 1)),
            valid_until: Some(d(2025, 1, 1)),
            ..Default::default()
        };
        let fields: Vec<_> = c.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "kind", "valid_until"]);
        let mut ok =
            CertificateDraft { name: " 营业执照 ".into(), kind: "营业执照".into(), ..Default::default() };
        assert!(ok.validate().is_empty());
        assert_eq!(ok.name, "营业执照");
    }
}
