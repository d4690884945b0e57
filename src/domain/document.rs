//! Issued documents (用印发出): the verification code printed in every footer, DESIGN §5.
//!
//! The code is derived from the revision's content hash, so every print of the same revision shows
//! the same code, and someone holding only a paper or scanned copy can ask which revision it is and
//! whether it was issued (`salesdesk verify --code`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::ids::AttachmentId;
use crate::domain::ids::{ContractId, CustomerId, QuoteId, RevisionId, UserId};
use crate::domain::quote::QuoteKind;

/// One entry of the issued-documents register (发文登记): a stamped PDF that left the office.
/// A reprint is its own entry, with the same file hash as the first issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedDocument {
    pub id: i64,
    pub quote: QuoteId,
    pub revision_id: RevisionId,
    pub kind: QuoteKind,
    pub number: String,
    pub revision: u32,
    pub customer: CustomerId,
    pub customer_name: String,
    /// SHA-256 of the PDF bytes.
    pub sha256: String,
    pub verify_code: String,
    pub copies: u32,
    pub file_name: String,
    pub reprint: bool,
    pub issued_by: UserId,
    pub issued_by_name: String,
    pub issued_at: DateTime<Utc>,
    /// Which print of the revision this entry is (each variant has its own bytes and SHA-256).
    #[serde(default)]
    pub variant: PrintVariant,
    /// The contract this entry prints (a 销售合同: its quote and revision are the contract's
    /// source); `None` for a 报价单 or 投标书.
    #[serde(default)]
    pub contract: Option<ContractId>,
    /// What was sent to a printer for this entry, oldest first.
    #[serde(default)]
    pub prints: Vec<PrintRecord>,
}

impl IssuedDocument {
    /// 报价单, 投标书 or 销售合同.
    pub fn doc_title(&self) -> &'static str {
        if self.contract.is_some() { "销售合同" } else { self.kind.doc_title() }
    }

    /// `BJ-2026-0001 V2`; a contract by its number alone (it has one version).
    pub fn label(&self) -> String {
        if self.contract.is_some() { self.number.clone() } else { format!("{} V{}", self.number, self.revision) }
    }
}

/// How an issued document carries the company seal. Each is its own file, register entry and
/// SHA-256; a reprint of a variant hands out that variant's stored bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrintVariant {
    /// The seal image printed where the document is stamped.
    #[default]
    Seal,
    /// The seal image, and a 骑缝章 across the right edge of each bound copy (bids).
    SealRiding,
    /// No seal image: the 盖章处 marks stay for the office to stamp by hand (鲜章).
    WetStamp,
}

impl PrintVariant {
    pub const ALL: [PrintVariant; 3] = [PrintVariant::Seal, PrintVariant::SealRiding, PrintVariant::WetStamp];

    pub fn code(self) -> &'static str {
        match self {
            PrintVariant::Seal => "seal",
            PrintVariant::SealRiding => "seal_riding",
            PrintVariant::WetStamp => "wet",
        }
    }

    pub fn from_code(code: &str) -> Option<PrintVariant> {
        PrintVariant::ALL.into_iter().find(|v| v.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            PrintVariant::Seal => "电子公章",
            PrintVariant::SealRiding => "电子公章＋骑缝章",
            PrintVariant::WetStamp => "鲜章（打印后手工盖章）",
        }
    }

    /// Whether the seal image is printed.
    pub fn prints_seal(self) -> bool {
        self != PrintVariant::WetStamp
    }
}

/// One send of a register entry to a printer: "copies sent", not "printed" — the printer, not
/// SalesDesk, knows what came out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintRecord {
    /// The printer as the user knew it (its description).
    pub printer: String,
    /// The print service's job number; `None` when nothing was sent.
    pub job_id: Option<i64>,
    pub copies: u32,
    /// `1-3,5`; empty for every page.
    pub pages: String,
    pub two_sided: bool,
    pub sent: bool,
    /// Why it was not sent (the message the user read).
    pub detail: String,
    pub at: DateTime<Utc>,
    pub by_name: String,
}

impl PrintRecord {
    /// One line for the register: `已发送 2 份到 三楼激光打印机（任务 12）` or why not.
    pub fn summary(&self) -> String {
        let pages = if self.pages.is_empty() { String::new() } else { format!("第 {} 页，", self.pages) };
        let sides = if self.two_sided { "双面，" } else { "" };
        match (self.sent, self.job_id) {
            (true, Some(id)) => format!("已发送 {pages}{sides}{} 份到 {}（任务 {id}）", self.copies, self.printer),
            (true, None) => format!("已发送 {pages}{sides}{} 份到 {}", self.copies, self.printer),
            (false, _) => format!("未能发送到 {}：{}", self.printer, self.detail),
        }
    }
}

/// Crockford's base-32 alphabet: no I, L, O or U, so a code read aloud or off paper is unambiguous.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// `7KQ2-M9XA-3FDV`: 60 bits of SHA-256 over the document number, revision and content hash.
pub fn verification_code(number: &str, revision: u32, content_hash: &str) -> String {
    let digest = Sha256::digest(format!("salesdesk-verify:{number}:V{revision}:{content_hash}").as_bytes());
    let mut bits = u64::from_be_bytes(digest[..8].try_into().unwrap_or([0; 8])) >> 4;
    let mut chars = [0u8; 12];
    for c in chars.iter_mut().rev() {
        *c = ALPHABET[(bits & 31) as usize];
        bits >>= 5;
    }
    let s = String::from_utf8_lossy(&chars).into_owned();
    format!("{}-{}-{}", &s[..4], &s[4..8], &s[8..])
}

/// Reads a code as typed or copied off paper: case, spaces and dashes don't matter, and the
/// letters people confuse with digits (O, I, L) count as those digits. `None` if it cannot be a code.
pub fn normalize_code(input: &str) -> Option<String> {
    let mut out = String::with_capacity(12);
    for c in input.chars() {
        let c = match c.to_ascii_uppercase() {
            ' ' | '-' | '－' | '—' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => c,
            _ => return None,
        };
        out.push(c);
    }
    (out.len() == 12).then(|| format!("{}-{}-{}", &out[..4], &out[4..8], &out[8..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_is_stable_and_depends_on_every_part() {
        let a = verification_code("BJ-2026-0001", 2, "abc");
        assert_eq!(a, verification_code("BJ-2026-0001", 2, "abc"));
        assert_eq!(a.len(), 14);
        assert_ne!(a, verification_code("BJ-2026-0001", 3, "abc"));
        assert_ne!(a, verification_code("BJ-2026-0002", 2, "abc"));
        assert_ne!(a, verification_code("BJ-2026-0001", 2, "abd"));
        assert!(a.chars().all(|c| c == '-' || ALPHABET.contains(&(c as u8))));
    }

    #[test]
    fn typed_codes_are_read_forgivingly() {
        let code = verification_code("BJ-2026-0001", 1, "h");
        let sloppy = code.to_lowercase().replace('-', " ");
        assert_eq!(normalize_code(&sloppy).as_deref(), Some(code.as_str()));
        assert_eq!(normalize_code("0000-0000-000o").as_deref(), Some("0000-0000-0000"));
        assert_eq!(normalize_code("iL00-0000-0000").as_deref(), Some("1100-0000-0000"));
        assert_eq!(normalize_code("1234"), None);
        assert_eq!(normalize_code("报价单"), None);
        assert_eq!(normalize_code("UUUU-0000-0000"), None);
    }
}

/// A file kept in the office itself (附件): a logo, a seal, a scan, a tender document.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    pub id: AttachmentId,
    pub kind: String,
    pub file_name: String,
    pub mime: String,
    pub sha256: String,
    pub bytes: Vec<u8>,
}
