//! Quotes and bids (报价/投标), their revisions, approvals and technical reviews.

use std::collections::HashMap;

use super::db::{OptionalExtension, Row, ToValue, params};
use chrono::{DateTime, Utc};

use super::{StoreError, Tx, row_code, row_json, row_time, time_to_sql};
use crate::domain::docno::DocNumber;
use crate::domain::ids::{ContactId, CustomerId, InquiryId, QuoteId, RevisionId, UserId};
use crate::domain::money::Money;
use crate::domain::quote::{
    Approval, ApprovalStep, Quote, QuoteKind, QuoteStatus, Revision, RevisionContent, RevisionStatus, TechReview,
};

fn fen(m: Money) -> Result<i64, StoreError> {
    m.fen().ok_or_else(|| StoreError::Corrupt(format!("amount out of range: {m}")))
}

/// A revision as the quote lists show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RevisionHead {
    pub revision: u32,
    pub status: RevisionStatus,
    pub total: Money,
    pub major: bool,
}

/// What submitting fixes on a revision.
pub struct Submission<'a> {
    pub hash: &'a str,
    pub major: bool,
    pub major_reasons: &'a [String],
}

/// What creating a quote needs.
pub struct NewQuote<'a> {
    pub number: &'a DocNumber,
    pub kind: QuoteKind,
    pub inquiry: Option<InquiryId>,
    pub customer: CustomerId,
    pub contact: Option<ContactId>,
    pub subject: &'a str,
    pub author: UserId,
}

const QUOTE_SQL: &str = "SELECT q.id, q.number, q.kind, q.inquiry_id, q.customer_id, c.name, c.owner_id, q.contact_id, \
     COALESCE(k.name, ''), q.subject, q.status, q.author_id, u.display_name, q.created_at, q.version, q.updated_at, \
     q.updated_by FROM quotes q JOIN customers c ON c.id = q.customer_id JOIN users u ON u.id = q.author_id \
     LEFT JOIN contacts k ON k.id = q.contact_id";

/// One approval (of a revision or of a contract) from the columns `step, user_id, user_name, at,
/// approved, comment, content_hash`, the first of them at `first`.
pub(super) fn approval_from_row(r: &Row<'_>, first: usize) -> super::db::Result<Approval> {
    let step: String = r.get(first)?;
    let at: String = r.get(first + 3)?;
    Ok(Approval {
        step: row_code(ApprovalStep::from_code(&step), "approval step", &step)?,
        by: UserId(r.get(first + 1)?),
        by_name: r.get(first + 2)?,
        at: row_time(&at)?,
        approved: r.get(first + 4)?,
        comment: r.get(first + 5)?,
        content_hash: r.get(first + 6)?,
    })
}

fn quote_from_row(r: &Row<'_>) -> super::db::Result<Quote> {
    let number: String = r.get(1)?;
    let kind: String = r.get(2)?;
    let status: String = r.get(10)?;
    let created: String = r.get(13)?;
    let updated: String = r.get(15)?;
    Ok(Quote {
        id: QuoteId(r.get(0)?),
        number: number
            .parse()
            .map_err(|e: crate::domain::docno::DocNumberError| super::db::Error::conversion(e.to_string()))?,
        kind: row_code(QuoteKind::from_code(&kind), "quote kind", &kind)?,
        inquiry: r.get::<_, Option<i64>>(3)?.map(InquiryId),
        customer: CustomerId(r.get(4)?),
        customer_name: r.get(5)?,
        customer_owner: r.get::<_, Option<i64>>(6)?.map(UserId),
        contact: r.get::<_, Option<i64>>(7)?.map(ContactId),
        contact_name: r.get(8)?,
        subject: r.get(9)?,
        status: row_code(QuoteStatus::from_code(&status), "quote status", &status)?,
        author: UserId(r.get(11)?),
        author_name: r.get(12)?,
        created_at: row_time(&created)?,
        version: r.get(14)?,
        updated_at: super::local_time_text(&updated),
        updated_by: r.get(16)?,
    })
}

/// A submitted revision as far as approving it goes (no content).
#[derive(Debug, Clone)]
pub struct PendingApproval {
    pub revision: RevisionId,
    pub major: bool,
    pub content_hash: String,
    pub author: UserId,
    pub customer_owner: Option<UserId>,
    pub approvals: Vec<Approval>,
}

/// The revisions query; `floors` is `r.floors` for a reader who may see them, else `NULL`
/// (on the office server that column is not readable by the others' logins).
fn revision_sql(floors: &str) -> String {
    format!(
        "SELECT r.id, r.quote_id, r.revision, r.status, r.content, r.content_hash, r.total_fen, \
         r.major, r.major_reasons, r.author_id, u.display_name, r.created_at, r.submitted_at, r.version, r.updated_at, \
         r.updated_by, {floors} FROM revisions r JOIN users u ON u.id = r.author_id"
    )
}

fn revision_from_row(r: &Row<'_>) -> super::db::Result<Revision> {
    let status: String = r.get(3)?;
    let content: String = r.get(4)?;
    let reasons: String = r.get(8)?;
    let created: String = r.get(11)?;
    let submitted: Option<String> = r.get(12)?;
    let updated: String = r.get(14)?;
    let floors: Option<String> = r.get(16)?;
    let mut content: RevisionContent =
        serde_json::from_str(&content).map_err(|e| super::db::Error::conversion(format!("revision content: {e}")))?;
    if let Some(floors) = floors {
        content.set_floors(&row_json::<Vec<Option<Money>>>(&floors, "revision floors")?);
    }
    Ok(Revision {
        id: RevisionId(r.get(0)?),
        quote: QuoteId(r.get(1)?),
        revision: r.get(2)?,
        status: row_code(RevisionStatus::from_code(&status), "revision status", &status)?,
        content,
        content_hash: r.get(5)?,
        total: Money::from_fen(r.get(6)?),
        major: r.get(7)?,
        major_reasons: row_json(&reasons, "major reasons")?,
        author: UserId(r.get(9)?),
        author_name: r.get(10)?,
        created_at: row_time(&created)?,
        submitted_at: submitted.map(|s| row_time(&s)).transpose()?,
        approvals: Vec::new(),
        version: r.get(13)?,
        updated_at: super::local_time_text(&updated),
        updated_by: r.get(15)?,
    })
}

/// A revision's content as stored: the content without its floor prices, and the floors beside
/// it (a JSON list in line order; `None` when no line has one). The floors column is readable on
/// the office server only by those who may see floors; the content by everyone.
fn stored_content(c: &RevisionContent) -> Result<(String, Option<String>), StoreError> {
    Ok((super::encode_json(&c.without_floors())?, c.floors().map(|f| super::encode_json(&f)).transpose()?))
}

/// A content stored with its floors inside (before schema version 14), split as it is stored
/// now; `None` when it holds no floor. Putting the floors back gives the very same content.
pub(super) fn split_floors(content: &str) -> Result<Option<(String, String)>, StoreError> {
    let c: RevisionContent =
        serde_json::from_str(content).map_err(|e| StoreError::Corrupt(format!("revision content: {e}")))?;
    Ok(match stored_content(&c)? {
        (content, Some(floors)) => Some((content, floors)),
        (_, None) => None,
    })
}

impl Tx<'_> {
    pub fn insert_quote(&self, q: &NewQuote<'_>, now: DateTime<Utc>, by: &str) -> Result<QuoteId, StoreError> {
        let at = time_to_sql(now);
        self.conn.execute(
            "INSERT INTO quotes (number, kind, inquiry_id, customer_id, contact_id, subject, status, author_id, \
             created_at, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'open', ?7, ?8, ?8, ?9)",
            params![
                q.number.to_string(),
                q.kind.code(),
                q.inquiry.map(|i| i.0),
                q.customer.0,
                q.contact.map(|c| c.0),
                q.subject,
                q.author.0,
                at,
                by
            ],
        )?;
        Ok(QuoteId(self.conn.last_insert_rowid()?))
    }

    pub fn quote(&self, id: QuoteId) -> Result<Quote, StoreError> {
        let sql = format!("{QUOTE_SQL} WHERE q.id = ?1");
        self.conn
            .query_row(&sql, [id.0], quote_from_row)
            .optional()?
            .ok_or_else(|| self.missing("quotes", id.0, "报价"))
    }

    /// The quote or bid made from `inquiry` (one per inquiry), if any.
    pub fn quote_of_inquiry(&self, inquiry: InquiryId) -> Result<Option<QuoteId>, StoreError> {
        let sql = "SELECT id FROM quotes WHERE inquiry_id = ?1 ORDER BY id LIMIT 1";
        Ok(self.conn.query_row(sql, [inquiry.0], |r| r.get(0).map(QuoteId)).optional()?)
    }

    /// The quotes and bids of one customer, newest first.
    pub fn quotes_of_customer(&self, customer: CustomerId) -> Result<Vec<Quote>, StoreError> {
        let sql = format!("{QUOTE_SQL} WHERE q.customer_id = ?1 ORDER BY q.created_at DESC, q.id DESC");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([customer.0], quote_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The revisions that got an approval or rejection after `since`.
    pub fn revisions_decided_since(&self, since: DateTime<Utc>) -> Result<Vec<RevisionId>, StoreError> {
        let mut stmt =
            self.conn.prepare("SELECT DISTINCT revision_id FROM approvals WHERE at > ?1 ORDER BY revision_id")?;
        let rows = stmt.query_map([time_to_sql(since)], |r| r.get(0).map(RevisionId))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The quotes with a revision waiting for approval (the inbox's), in one query.
    pub fn quotes_under_review(&self) -> Result<HashMap<QuoteId, Quote>, StoreError> {
        let sql = format!("{QUOTE_SQL} WHERE q.id IN (SELECT quote_id FROM revisions WHERE status = 'submitted')");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], quote_from_row)?;
        rows.map(|r| r.map(|q| (q.id, q)).map_err(StoreError::from)).collect()
    }

    /// Every quote and bid, newest first.
    pub fn quotes(&self) -> Result<Vec<Quote>, StoreError> {
        let sql = format!("{QUOTE_SQL} ORDER BY q.created_at DESC, q.id DESC");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], quote_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The quotes and bids whose document is in one of `statuses`, newest first.
    pub fn quotes_in(&self, statuses: &[QuoteStatus]) -> Result<Vec<Quote>, StoreError> {
        let codes: Vec<String> = statuses.iter().map(|s| format!("'{}'", s.code())).collect();
        let sql = format!("{QUOTE_SQL} WHERE q.status IN ({}) ORDER BY q.created_at DESC, q.id DESC", codes.join(","));
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], quote_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every quote's latest revision as the lists show it — number, status, total, major —
    /// in one query, without reading any revision's content.
    pub fn latest_revision_heads(&self) -> Result<HashMap<QuoteId, RevisionHead>, StoreError> {
        self.revision_heads_where("", None)
    }

    /// The latest revision of each quote of one customer.
    pub fn latest_revision_heads_of_customer(
        &self,
        customer: CustomerId,
    ) -> Result<HashMap<QuoteId, RevisionHead>, StoreError> {
        self.revision_heads_where("WHERE quote_id IN (SELECT id FROM quotes WHERE customer_id = ?1)", Some(customer))
    }

    fn revision_heads_where(
        &self,
        filter: &str,
        customer: Option<CustomerId>,
    ) -> Result<HashMap<QuoteId, RevisionHead>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT r.quote_id, r.revision, r.status, r.total_fen, r.major FROM revisions r \
             JOIN (SELECT quote_id, MAX(revision) AS latest FROM revisions {filter} GROUP BY quote_id) l \
             ON l.quote_id = r.quote_id AND l.latest = r.revision"
        ))?;
        let params: Vec<super::db::Value> = customer.iter().map(|c| super::db::ToValue::to_value(&c.0)).collect();
        let rows = stmt.query_map(params, |r| {
            let status: String = r.get(2)?;
            Ok((
                QuoteId(r.get(0)?),
                RevisionHead {
                    revision: r.get(1)?,
                    status: RevisionStatus::from_code(&status)
                        .ok_or_else(|| super::db::Error::conversion(format!("revision status {status}")))?,
                    total: Money::from_fen(r.get(3)?),
                    major: r.get(4)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn set_quote_status(
        &self,
        id: QuoteId,
        version: i64,
        status: QuoteStatus,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE quotes SET status = ?1, version = version + 1, updated_at = ?2, updated_by = ?3 \
             WHERE id = ?4 AND version = ?5",
            params![status.code(), time_to_sql(now), by, id.0, version],
        )?;
        self.expect_one(n, "报价", "quotes", ("id", &id.0))
    }

    /// Adds revision `number` of a quote as a draft.
    pub fn insert_revision(
        &self,
        quote: QuoteId,
        number: u32,
        content: &RevisionContent,
        author: UserId,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<RevisionId, StoreError> {
        let at = time_to_sql(now);
        let (stored, floors) = stored_content(content)?;
        self.conn.execute(
            "INSERT INTO revisions (quote_id, revision, status, content, floors, total_fen, author_id, created_at, \
             updated_at, updated_by) VALUES (?1, ?2, 'draft', ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
            params![quote.0, number, stored, floors, fen(content.totals().total)?, author.0, at, by],
        )?;
        Ok(RevisionId(self.conn.last_insert_rowid()?))
    }

    /// Saves a draft's content if it is still a draft at `version`.
    pub fn update_draft(
        &self,
        id: RevisionId,
        version: i64,
        content: &RevisionContent,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<(), StoreError> {
        let (stored, floors) = stored_content(content)?;
        let n = self.conn.execute(
            "UPDATE revisions SET content = ?1, floors = ?2, total_fen = ?3, version = version + 1, updated_at = ?4, \
             updated_by = ?5 WHERE id = ?6 AND version = ?7 AND status = 'draft'",
            params![stored, floors, fen(content.totals().total)?, time_to_sql(now), by, id.0, version],
        )?;
        self.expect_one(n, "报价版本", "revisions", ("id", &id.0))
    }

    /// Freezes a draft: the hash and the major verdict are fixed with it.
    pub fn submit_revision(
        &self,
        id: RevisionId,
        version: i64,
        s: &Submission<'_>,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<(), StoreError> {
        let (hash, major, reasons) = (s.hash, s.major, s.major_reasons);
        let at = time_to_sql(now);
        let n = self.conn.execute(
            "UPDATE revisions SET status = 'submitted', content_hash = ?1, major = ?2, major_reasons = ?3, \
             submitted_at = ?4, version = version + 1, updated_at = ?4, updated_by = ?5 \
             WHERE id = ?6 AND version = ?7 AND status = 'draft'",
            params![hash, major, serde_json::to_string(reasons).unwrap_or_else(|_| "[]".into()), at, by, id.0, version],
        )?;
        self.expect_one(n, "报价版本", "revisions", ("id", &id.0))
    }

    pub fn set_revision_status(
        &self,
        id: RevisionId,
        version: i64,
        status: RevisionStatus,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE revisions SET status = ?1, version = version + 1, updated_at = ?2, updated_by = ?3 \
             WHERE id = ?4 AND version = ?5",
            params![status.code(), time_to_sql(now), by, id.0, version],
        )?;
        self.expect_one(n, "报价版本", "revisions", ("id", &id.0))
    }

    pub fn revision(&self, id: RevisionId) -> Result<Revision, StoreError> {
        let sql = format!("{} WHERE r.id = ?1", self.revision_sql()?);
        let mut r = self
            .conn
            .query_row(&sql, [id.0], revision_from_row)
            .optional()?
            .ok_or_else(|| self.missing("revisions", id.0, "报价版本"))?;
        r.approvals = self.approvals(id)?;
        self.tell_unseen_floors(std::slice::from_mut(&mut r))?;
        Ok(r)
    }

    fn revision_sql(&self) -> Result<String, StoreError> {
        Ok(revision_sql(if self.sees_floors()? { "r.floors" } else { "NULL" }))
    }

    /// For a reader who may not see floors (on the office server): which lines are below theirs,
    /// answered by the server's `salesdesk_below_floor` from the floors kept beside the content.
    fn tell_unseen_floors(&self, revisions: &mut [Revision]) -> Result<(), StoreError> {
        if self.sees_floors()? {
            return Ok(());
        }
        for r in revisions {
            let nets: Vec<String> = r
                .content
                .lines
                .iter()
                .map(|l| crate::domain::money::effective_unit_price(l.unit_price, l.discount).normalize().to_string())
                .collect();
            let answer: String = self.conn.query_row(
                "SELECT salesdesk_below_floor(?1, ?2)",
                params![r.id.0, super::encode_json(&nets)?],
                |row| row.get(0),
            )?;
            let below: Vec<bool> = serde_json::from_str(&answer)
                .map_err(|e| StoreError::Corrupt(format!("salesdesk_below_floor: {e}")))?;
            for (l, b) in r.content.lines.iter_mut().zip(below) {
                l.below_unseen_floor = crate::domain::quote::UnseenFloor(b);
            }
        }
        Ok(())
    }

    /// A quote's revisions, V1 first.
    pub fn revisions(&self, quote: QuoteId) -> Result<Vec<Revision>, StoreError> {
        let sql = format!("{} WHERE r.quote_id = ?1 ORDER BY r.revision", self.revision_sql()?);
        let mut stmt = self.conn.prepare(&sql)?;
        let mut out: Vec<Revision> = stmt.query_map([quote.0], revision_from_row)?.collect::<Result<_, _>>()?;
        self.attach_approvals(
            &mut out,
            "a.revision_id IN (SELECT id FROM revisions WHERE quote_id = ?1)",
            &[&quote.0],
        )?;
        self.tell_unseen_floors(&mut out)?;
        Ok(out)
    }

    /// Fills in the approvals of `revisions` with one query: those of the approvals matching
    /// `filter` (over `approvals a`, with `params`).
    fn attach_approvals(
        &self,
        revisions: &mut [Revision],
        filter: &str,
        params: &[&dyn ToValue],
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT a.revision_id, a.step, a.user_id, a.user_name, a.at, a.approved, a.comment, a.content_hash \
             FROM approvals a WHERE {filter} ORDER BY a.revision_id, CASE a.step WHEN 'head' THEN 0 ELSE 1 END"
        ))?;
        let rows = stmt.query_map(params, |r| Ok((RevisionId(r.get(0)?), approval_from_row(r, 1)?)))?;
        let at: HashMap<RevisionId, usize> = revisions.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
        for row in rows {
            let (id, a) = row?;
            if let Some(&i) = at.get(&id) {
                revisions[i].approvals.push(a);
            }
        }
        Ok(())
    }

    /// Every submitted revision (the approval inboxes are cut from these).
    pub fn submitted_revisions(&self) -> Result<Vec<Revision>, StoreError> {
        let sql = format!("{} WHERE r.status = 'submitted' ORDER BY r.submitted_at, r.id", self.revision_sql()?);
        let mut stmt = self.conn.prepare(&sql)?;
        let mut out: Vec<Revision> = stmt.query_map([], revision_from_row)?.collect::<Result<_, _>>()?;
        self.attach_approvals(&mut out, "a.revision_id IN (SELECT id FROM revisions WHERE status = 'submitted')", &[])?;
        self.tell_unseen_floors(&mut out)?;
        Ok(out)
    }

    /// What deciding who may approve each submitted revision needs, without its content: two
    /// queries whatever the number of revisions (the approval badge's count).
    pub fn pending_approvals(&self) -> Result<Vec<PendingApproval>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT r.id, r.major, r.content_hash, r.author_id, c.owner_id FROM revisions r \
             JOIN quotes q ON q.id = r.quote_id JOIN customers c ON c.id = q.customer_id \
             WHERE r.status = 'submitted' ORDER BY r.submitted_at, r.id",
        )?;
        let mut out: Vec<PendingApproval> = stmt
            .query_map([], |r| {
                Ok(PendingApproval {
                    revision: RevisionId(r.get(0)?),
                    major: r.get(1)?,
                    content_hash: r.get(2)?,
                    author: UserId(r.get(3)?),
                    customer_owner: r.get::<_, Option<i64>>(4)?.map(UserId),
                    approvals: Vec::new(),
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut stmt = self.conn.prepare(
            "SELECT a.revision_id, a.step, a.user_id, a.user_name, a.at, a.approved, a.comment, a.content_hash \
             FROM approvals a JOIN revisions r ON r.id = a.revision_id WHERE r.status = 'submitted' \
             ORDER BY a.revision_id, CASE a.step WHEN 'head' THEN 0 ELSE 1 END",
        )?;
        let approvals = stmt.query_map([], |r| Ok((RevisionId(r.get(0)?), approval_from_row(r, 1)?)))?;
        let at: HashMap<RevisionId, usize> = out.iter().enumerate().map(|(i, p)| (p.revision, i)).collect();
        for row in approvals {
            let (id, a) = row?;
            if let Some(&i) = at.get(&id) {
                out[i].approvals.push(a);
            }
        }
        Ok(out)
    }

    fn approvals(&self, id: RevisionId) -> Result<Vec<Approval>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT step, user_id, user_name, at, approved, comment, content_hash FROM approvals \
             WHERE revision_id = ?1 ORDER BY CASE step WHEN 'head' THEN 0 ELSE 1 END",
        )?;
        let rows = stmt.query_map([id.0], |r| approval_from_row(r, 0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records an approval and the status it leads to, if the revision is still at `version`.
    pub fn insert_approval(
        &self,
        id: RevisionId,
        version: i64,
        a: &Approval,
        status: RevisionStatus,
        by: &str,
    ) -> Result<(), StoreError> {
        self.set_revision_status(id, version, status, a.at, by)?;
        self.conn.execute(
            "INSERT INTO approvals (revision_id, step, user_id, user_name, at, approved, comment, content_hash) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![id.0, a.step.code(), a.by.0, a.by_name, time_to_sql(a.at), a.approved, a.comment, a.content_hash],
        )?;
        Ok(())
    }

    pub fn insert_tech_review(
        &self,
        revision: RevisionId,
        question: &str,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT INTO tech_reviews (revision_id, question, requested_by, requested_at) VALUES (?1, ?2, ?3, ?4)",
            params![revision.0, question, by, time_to_sql(now)],
        )?;
        Ok(self.conn.last_insert_rowid()?)
    }

    /// Answers an open review (refused when it was answered meanwhile).
    pub fn answer_tech_review(&self, id: i64, answer: &str, now: DateTime<Utc>, by: &str) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE tech_reviews SET answer = ?1, answered_by = ?2, answered_at = ?3 WHERE id = ?4 AND answer IS NULL",
            params![answer, by, time_to_sql(now), id],
        )?;
        if n == 1 { Ok(()) } else { Err(StoreError::Duplicate("该技术评审的答复".into())) }
    }

    /// Technical reviews of one revision, or every open one (`None`).
    pub fn tech_reviews(&self, revision: Option<RevisionId>) -> Result<Vec<TechReview>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, revision_id, question, requested_by, requested_at, answer, answered_by, answered_at \
             FROM tech_reviews WHERE (CAST(?1 AS BIGINT) IS NULL AND answer IS NULL) OR revision_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([revision.map(|r| r.0)], |r| {
            let requested: String = r.get(4)?;
            let answered: Option<String> = r.get(7)?;
            Ok(TechReview {
                id: r.get(0)?,
                revision: RevisionId(r.get(1)?),
                question: r.get(2)?,
                requested_by: r.get(3)?,
                requested_at: row_time(&requested)?,
                answer: r.get(5)?,
                answered_by: r.get(6)?,
                answered_at: answered.map(|a| row_time(&a)).transpose()?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
