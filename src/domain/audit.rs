//! The audit chain (审计链): each entry's hash covers its content and the previous entry's hash,
//! so editing or deleting a row breaks the chain at that row. Pure hashing; storage is `store`'s.

use chrono::{DateTime, Utc};

use sha2::{Digest, Sha256};

use crate::domain::ids::AttachmentId;

/// The hash the first entry links to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry's content, as hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditContent<'a> {
    pub seq: i64,
    /// RFC 3339 UTC, as stored
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub before: &'a str,
    pub after: &'a str,
}

/// SHA-256 hex of the previous hash and the entry's fields, each length-prefixed so that no
/// two different entries hash the same text.
pub fn chain_hash(prev_hash: &str, c: &AuditContent<'_>) -> String {
    let mut h = Sha256::new();
    let seq = c.seq.to_string();
    for field in [prev_hash, seq.as_str(), c.at, c.actor, c.action, c.entity, c.entity_id, c.before, c.after] {
        h.update((field.len() as u64).to_le_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content<'a>(after: &'a str) -> AuditContent<'a> {
        AuditContent {
            seq: 1,
            at: "2026-11-27T09:00:00Z",
            actor: "admin",
            action: "user.create",
            entity: "user",
            entity_id: "2",
            before: "",
            after,
        }
    }

    #[test]
    fn any_change_of_content_or_link_changes_the_hash() {
        let a = chain_hash(GENESIS_HASH, &content("{\"name\":\"li\"}"));
        assert_eq!(a.len(), 64);
        assert_eq!(a, chain_hash(GENESIS_HASH, &content("{\"name\":\"li\"}")));
        assert_ne!(a, chain_hash(GENESIS_HASH, &content("{\"name\":\"lj\"}")));
        assert_ne!(a, chain_hash(&a, &content("{\"name\":\"li\"}")));
    }

    #[test]
    fn field_boundaries_matter() {
        let mut x = content("");
        x.entity = "ab";
        x.entity_id = "c";
        let mut y = content("");
        y.entity = "a";
        y.entity_id = "bc";
        assert_ne!(chain_hash(GENESIS_HASH, &x), chain_hash(GENESIS_HASH, &y));
    }
}

/// One entry of the audit log (审计日志) as read.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: String,
    pub after: String,
}

/// Filters of the audit log viewer; empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: String,
    pub action: String,
    pub text: String,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub limit: usize,
}

/// Where the chain first fails to verify.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainBreak {
    /// The first entry that does not verify (or the first missing sequence number).
    pub seq: i64,
    pub reason: String,
}

/// The result of `check`: SQLite's own verdict and the audit chain's.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckReport {
    /// `["ok"]` when healthy, otherwise SQLite's messages.
    pub integrity: Vec<String>,
    pub audit_entries: i64,
    pub chain_break: Option<ChainBreak>,
    /// False when this login may not read the audit log (on the office server only those who
    /// may view it can), so its chain was not recomputed here.
    pub chain_checked: bool,
    /// Stored files (issued PDFs, scans, images) whose bytes no longer match their SHA-256.
    pub damaged: Vec<DamagedFile>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.integrity == ["ok"] && self.chain_break.is_none() && self.damaged.is_empty()
    }
}

/// A stored file whose bytes changed since it was stored: the SHA-256 recorded then no longer
/// matches. A damaged issued PDF must never be handed out again as "the file we issued".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DamagedFile {
    /// An issued PDF, named by the register entries that handed it out (`BJ-2026-0001 第2版`).
    IssuedPdf { documents: Vec<String> },
    /// An attachment: its kind (`certificate`, `seal`, `logo`, `inquiry_document`), its file name,
    /// and the certificate it is the scan of, if any.
    Attachment { id: AttachmentId, kind: String, file_name: String, certificate: Option<String> },
}

impl DamagedFile {
    /// What the user reads: which file, named as the office knows it.
    pub fn describe(&self) -> String {
        match self {
            DamagedFile::IssuedPdf { documents } if documents.is_empty() => "一份已签发的 PDF（无登记记录）".into(),
            DamagedFile::IssuedPdf { documents } => format!("已签发的 {} 的存档 PDF", documents.join("、")),
            DamagedFile::Attachment { certificate: Some(name), file_name, .. } => {
                format!("证书“{name}”的扫描件（{file_name}）")
            }
            DamagedFile::Attachment { kind, file_name, .. } => {
                let what = match kind.as_str() {
                    "seal" => "公司印章图片",
                    "logo" => "公司标志图片",
                    "inquiry_document" => "询价附件",
                    "certificate" => "证书扫描件",
                    _ => "附件",
                };
                format!("{what}（{file_name}）")
            }
        }
    }
}
