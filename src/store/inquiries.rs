//! Inquiries and tenders (询价/招标) with their lines, tender clauses, decisions and attachments,
//! and the log of prices answered on the phone.

use super::db::{OptionalExtension, Row, params};
use chrono::{DateTime, Utc};

use super::{StoreError, Tx, row_code, row_json, row_time, time_from_sql, time_to_sql};
use crate::domain::docno::DocNumber;
use crate::domain::ids::{AttachmentId, ContactId, CustomerId, InquiryId, PriceVersionId, ProductId, UserId};
use crate::domain::inquiry::{
    BondRecord, ClauseKind, Decision, DecisionStep, Inquiry, InquiryDraft, InquiryKind, InquiryLine, InquirySource,
    InquiryStatus, InquirySummary, TenderClause, TenderInfo,
};
use crate::domain::money::{Money, Quantity};

/// What registering needs besides the draft.
pub struct NewInquiry<'a> {
    pub number: &'a DocNumber,
    pub draft: &'a InquiryDraft,
    pub major: bool,
    pub major_reasons: &'a [String],
    pub registered_by: UserId,
}

fn fen(m: Money) -> Result<i64, StoreError> {
    m.fen().ok_or_else(|| StoreError::Corrupt(format!("amount out of range: {m}")))
}

fn opt_time(s: Option<String>) -> super::db::Result<Option<DateTime<Utc>>> {
    s.map(|s| time_from_sql(&s).map_err(|e| super::db::Error::conversion(e.to_string()))).transpose()
}

fn number_of(s: &str) -> super::db::Result<DocNumber> {
    s.parse::<DocNumber>().map_err(|e| super::db::Error::conversion(e.to_string()))
}

const SUMMARY_SQL: &str = "SELECT i.id, i.number, i.kind, i.subject, i.customer_id, COALESCE(c.name, i.purchaser), c.owner_id, \
     i.registered_by, u.display_name, i.registered_at, i.status, i.major, i.deadline, i.estimate_fen \
     FROM inquiries i JOIN users u ON u.id = i.registered_by LEFT JOIN customers c ON c.id = i.customer_id";

fn summary_from_row(r: &Row<'_>) -> super::db::Result<InquirySummary> {
    let kind: String = r.get(2)?;
    let status: String = r.get(10)?;
    let registered: String = r.get(9)?;
    Ok(InquirySummary {
        id: InquiryId(r.get(0)?),
        number: number_of(&r.get::<_, String>(1)?)?,
        kind: row_code(InquiryKind::from_code(&kind), "inquiry kind", &kind)?,
        subject: r.get(3)?,
        customer: r.get::<_, Option<i64>>(4)?.map(CustomerId),
        customer_name: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
        customer_owner: r.get::<_, Option<i64>>(6)?.map(UserId),
        registered_by: UserId(r.get(7)?),
        registered_by_name: r.get(8)?,
        registered_at: time_from_sql(&registered).map_err(|e| super::db::Error::conversion(e.to_string()))?,
        status: row_code(InquiryStatus::from_code(&status), "inquiry status", &status)?,
        major: r.get(11)?,
        deadline: opt_time(r.get(12)?)?,
        estimate: r.get::<_, Option<i64>>(13)?.map(Money::from_fen),
        decisions: Vec::new(),
    })
}

/// A phone answer no inquiry was registered from: when, to which customer, which product.
pub type UnlinkedAnswer = (DateTime<Utc>, Option<CustomerId>, ProductId);

impl Tx<'_> {
    pub fn insert_inquiry(&self, n: &NewInquiry<'_>, now: DateTime<Utc>, by: &str) -> Result<InquiryId, StoreError> {
        let d = n.draft;
        let t = &d.tender;
        let at = time_to_sql(now);
        self.conn.execute(
            "INSERT INTO inquiries (number, kind, customer_id, contact_id, source, subject, estimate_fen, wanted_by, \
             flagged_major, major, major_reasons, notes, tender_no, purchaser, project, lot, deadline, opening, bond_fen, \
             bond_paid, bond_returned, status, registered_by, registered_at, updated_at, updated_by) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, \
                     'registered', ?22, ?23, ?23, ?24)",
            params![
                n.number.to_string(),
                d.kind.code(),
                d.customer.map(|c| c.0),
                d.contact.map(|c| c.0),
                d.source.code(),
                d.subject,
                d.estimate.map(fen).transpose()?,
                d.wanted_by.map(|w| w.to_string()),
                d.flagged_major,
                n.major,
                serde_json::to_string(n.major_reasons).unwrap_or_else(|_| "[]".into()),
                d.notes,
                t.tender_no,
                t.purchaser,
                t.project,
                t.lot,
                t.deadline.map(time_to_sql),
                t.opening.map(time_to_sql),
                t.bond.map(fen).transpose()?,
                t.bond_paid,
                t.bond_returned,
                n.registered_by.0,
                at,
                by
            ],
        )?;
        let id = InquiryId(self.conn.last_insert_rowid()?);
        self.save_inquiry_parts(id, d)?;
        Ok(id)
    }

    /// Saves the draft if nobody changed the inquiry since `version`.
    pub fn update_inquiry(
        &self,
        id: InquiryId,
        version: i64,
        d: &InquiryDraft,
        major: (bool, &[String]),
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<(), StoreError> {
        let t = &d.tender;
        let n = self.conn.execute(
            "UPDATE inquiries SET customer_id = ?1, contact_id = ?2, source = ?3, subject = ?4, estimate_fen = ?5, \
             wanted_by = ?6, flagged_major = ?7, major = ?8, major_reasons = ?9, notes = ?10, tender_no = ?11, \
             purchaser = ?12, project = ?13, lot = ?14, deadline = ?15, opening = ?16, bond_fen = ?17, bond_paid = ?18, \
             bond_returned = ?19, version = version + 1, updated_at = ?20, updated_by = ?21 WHERE id = ?22 AND version = ?23",
            params![
                d.customer.map(|c| c.0),
                d.contact.map(|c| c.0),
                d.source.code(),
                d.subject,
                d.estimate.map(fen).transpose()?,
                d.wanted_by.map(|w| w.to_string()),
                d.flagged_major,
                major.0,
                serde_json::to_string(major.1).unwrap_or_else(|_| "[]".into()),
                d.notes,
                t.tender_no,
                t.purchaser,
                t.project,
                t.lot,
                t.deadline.map(time_to_sql),
                t.opening.map(time_to_sql),
                t.bond.map(fen).transpose()?,
                t.bond_paid,
                t.bond_returned,
                time_to_sql(now),
                by,
                id.0,
                version
            ],
        )?;
        self.expect_one(n, "询价", "inquiries", ("id", &id.0))?;
        self.save_inquiry_parts(id, d)
    }

    fn save_inquiry_parts(&self, id: InquiryId, d: &InquiryDraft) -> Result<(), StoreError> {
        self.conn.execute("DELETE FROM inquiry_lines WHERE inquiry_id = ?1", [id.0])?;
        for (pos, l) in d.lines.iter().enumerate() {
            self.conn.execute(
                "INSERT INTO inquiry_lines (inquiry_id, position, product_id, description, model, quantity, unit, note) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    id.0,
                    pos as i64,
                    l.product.map(|p| p.0),
                    l.description,
                    l.model,
                    l.quantity.map(|q| q.to_string()),
                    l.unit,
                    l.note
                ],
            )?;
        }
        self.conn.execute("DELETE FROM tender_clauses WHERE inquiry_id = ?1", [id.0])?;
        for (pos, c) in d.tender.clauses.iter().enumerate() {
            let kind = match c.kind {
                ClauseKind::Technical => "technical",
                ClauseKind::Commercial => "commercial",
            };
            let typed = c.typed.as_ref().map(super::encode_json).transpose()?;
            self.conn.execute(
                "INSERT INTO tender_clauses (inquiry_id, position, clause_no, requirement, kind, starred, typed) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id.0, pos as i64, c.no, c.requirement, kind, c.starred, typed],
            )?;
        }
        Ok(())
    }

    /// All inquiries and tenders, newest first, with their decisions.
    pub fn inquiry_summaries(&self) -> Result<Vec<InquirySummary>, StoreError> {
        let mut stmt = self.conn.prepare(&format!("{SUMMARY_SQL} ORDER BY i.registered_at DESC, i.id DESC"))?;
        let mut out: Vec<InquirySummary> = stmt.query_map([], summary_from_row)?.collect::<Result<_, _>>()?;
        let mut decisions = self.all_decisions()?;
        for s in &mut out {
            if let Some(d) = decisions.remove(&s.id) {
                s.decisions = d;
            }
        }
        Ok(out)
    }

    fn all_decisions(&self) -> Result<std::collections::HashMap<InquiryId, Vec<Decision>>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT inquiry_id, step, user_id, user_name, at, go, comment FROM inquiry_decisions ORDER BY at, step",
        )?;
        let mut map: std::collections::HashMap<InquiryId, Vec<Decision>> = std::collections::HashMap::new();
        let rows = stmt.query_map([], |r| Ok((InquiryId(r.get(0)?), decision_from_row(r)?)))?;
        for row in rows {
            let (id, d) = row?;
            map.entry(id).or_default().push(d);
        }
        Ok(map)
    }

    fn decisions(&self, id: InquiryId) -> Result<Vec<Decision>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT inquiry_id, step, user_id, user_name, at, go, comment FROM inquiry_decisions \
             WHERE inquiry_id = ?1 ORDER BY at, step",
        )?;
        let rows = stmt.query_map([id.0], decision_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Saves what was recorded about the tender bond, if nobody changed the inquiry since `version`.
    pub fn set_bond_record(
        &self,
        id: InquiryId,
        version: i64,
        record: &BondRecord,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(record).map_err(|e| StoreError::Encode(e.to_string()))?;
        let n = self.conn.execute(
            "UPDATE inquiries SET bond_record = ?1, version = version + 1, updated_at = ?2, updated_by = ?3 \
             WHERE id = ?4 AND version = ?5",
            params![json, time_to_sql(now), by, id.0, version],
        )?;
        self.expect_one(n, "询价", "inquiries", ("id", &id.0))
    }

    pub fn inquiry(&self, id: InquiryId) -> Result<Inquiry, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT i.number, i.kind, i.customer_id, i.contact_id, i.source, i.subject, i.estimate_fen, i.wanted_by, \
                        i.flagged_major, i.major, i.major_reasons, i.notes, i.tender_no, i.purchaser, i.project, i.lot, \
                        i.deadline, i.opening, i.bond_fen, i.bond_paid, i.bond_returned, i.status, i.registered_by, \
                        u.display_name, i.registered_at, i.version, i.updated_at, i.updated_by, \
                        COALESCE(c.name, ''), COALESCE(k.name, ''), i.bond_record \
                 FROM inquiries i JOIN users u ON u.id = i.registered_by \
                 LEFT JOIN customers c ON c.id = i.customer_id LEFT JOIN contacts k ON k.id = i.contact_id \
                 WHERE i.id = ?1",
                [id.0],
                |r| inquiry_from_row(id, r),
            )
            .optional()?;
        let mut inquiry = row.ok_or_else(|| self.missing("inquiries", id.0, "询价"))?;
        inquiry.draft.lines = self.inquiry_lines(id)?;
        inquiry.draft.tender.clauses = self.tender_clauses(id)?;
        inquiry.decisions = self.decisions(id)?;
        Ok(inquiry)
    }

    fn inquiry_lines(&self, id: InquiryId) -> Result<Vec<InquiryLine>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT product_id, description, model, quantity, unit, note FROM inquiry_lines \
             WHERE inquiry_id = ?1 ORDER BY position",
        )?;
        let rows = stmt.query_map([id.0], |r| {
            let qty: Option<String> = r.get(3)?;
            Ok(InquiryLine {
                product: r.get::<_, Option<i64>>(0)?.map(ProductId),
                description: r.get(1)?,
                model: r.get(2)?,
                quantity: qty
                    .map(|q| {
                        Quantity::parse(&q).map_err(|_| super::db::Error::conversion(format!("bad quantity {q:?}")))
                    })
                    .transpose()?,
                unit: r.get(4)?,
                note: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn tender_clauses(&self, id: InquiryId) -> Result<Vec<TenderClause>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT clause_no, requirement, kind, starred, typed FROM tender_clauses WHERE inquiry_id = ?1 \
             ORDER BY position",
        )?;
        let rows = stmt.query_map([id.0], |r| {
            let kind: String = r.get(2)?;
            let typed: Option<String> = r.get(4)?;
            Ok(TenderClause {
                no: r.get(0)?,
                requirement: r.get(1)?,
                kind: match kind.as_str() {
                    "commercial" => ClauseKind::Commercial,
                    "technical" => ClauseKind::Technical,
                    other => return Err(super::db::Error::conversion(format!("bad clause kind {other:?}"))),
                },
                starred: r.get(3)?,
                typed: typed.map(|t| super::row_json(&t, "clause requirement")).transpose()?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records a decision and the status it leads to, if the inquiry is still at `version`.
    pub fn insert_decision(
        &self,
        id: InquiryId,
        version: i64,
        d: &Decision,
        status: InquiryStatus,
        by: &str,
    ) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE inquiries SET status = ?1, version = version + 1, updated_at = ?2, updated_by = ?3 \
             WHERE id = ?4 AND version = ?5",
            params![status.code(), time_to_sql(d.at), by, id.0, version],
        )?;
        self.expect_one(n, "询价", "inquiries", ("id", &id.0))?;
        self.conn.execute(
            "INSERT INTO inquiry_decisions (inquiry_id, step, user_id, user_name, at, go, comment) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id.0, d.step.code(), d.by.0, d.by_name, time_to_sql(d.at), d.go, d.comment],
        )?;
        Ok(())
    }

    pub fn attach_to_inquiry(&self, id: InquiryId, attachment: AttachmentId) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO inquiry_attachments (inquiry_id, attachment_id) VALUES (?1, ?2)",
            params![id.0, attachment.0],
        )?;
        Ok(())
    }

    /// (id, file name, size in bytes) of an inquiry's attachments.
    pub fn inquiry_attachments(&self, id: InquiryId) -> Result<Vec<(AttachmentId, String, i64)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT a.id, a.file_name, length(a.bytes) FROM inquiry_attachments x JOIN attachments a ON a.id = x.attachment_id \
             WHERE x.inquiry_id = ?1 ORDER BY a.id",
        )?;
        let rows = stmt.query_map([id.0], |r| Ok((AttachmentId(r.get(0)?), r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Logs one list price given on the phone.
    #[allow(clippy::too_many_arguments)] // one column each
    pub fn insert_phone_answer(
        &self,
        at: DateTime<Utc>,
        user: UserId,
        customer: Option<CustomerId>,
        contact: Option<ContactId>,
        product: ProductId,
        version: PriceVersionId,
        list: Money,
    ) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT INTO phone_answers (at, user_id, customer_id, contact_id, product_id, price_version_id, list_fen) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                time_to_sql(at),
                user.0,
                customer.map(|c| c.0),
                contact.map(|c| c.0),
                product.0,
                version.0,
                fen(list)?
            ],
        )?;
        Ok(self.conn.last_insert_rowid()?)
    }

    /// Phone answers `user` gave since `since` that no inquiry was registered from, oldest first.
    pub fn unlinked_phone_answers(
        &self,
        user: UserId,
        since: DateTime<Utc>,
    ) -> Result<Vec<UnlinkedAnswer>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT at, customer_id, product_id FROM phone_answers \
             WHERE user_id = ?1 AND at >= ?2 AND inquiry_id IS NULL ORDER BY at, id",
        )?;
        let rows = stmt.query_map(params![user.0, time_to_sql(since)], |r| {
            let at: String = r.get(0)?;
            Ok((row_time(&at)?, r.get::<_, Option<i64>>(1)?.map(CustomerId), ProductId(r.get(2)?)))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Ties logged phone answers to the inquiry the call was registered as. An answer already
    /// tied to an inquiry stays with it.
    pub fn link_phone_answers(&self, ids: &[i64], inquiry: InquiryId) -> Result<(), StoreError> {
        for id in ids {
            self.conn.execute(
                "UPDATE phone_answers SET inquiry_id = ?1 WHERE id = ?2 AND inquiry_id IS NULL",
                params![inquiry.0, id],
            )?;
        }
        Ok(())
    }
}

fn decision_from_row(r: &Row<'_>) -> super::db::Result<Decision> {
    let step: String = r.get(1)?;
    let at: String = r.get(4)?;
    Ok(Decision {
        step: row_code(DecisionStep::from_code(&step), "decision step", &step)?,
        by: UserId(r.get(2)?),
        by_name: r.get(3)?,
        at: time_from_sql(&at).map_err(|e| super::db::Error::conversion(e.to_string()))?,
        go: r.get(5)?,
        comment: r.get(6)?,
    })
}

fn inquiry_from_row(id: InquiryId, r: &Row<'_>) -> super::db::Result<Inquiry> {
    let kind: String = r.get(1)?;
    let source: String = r.get(4)?;
    let reasons: String = r.get(10)?;
    let status: String = r.get(21)?;
    let registered: String = r.get(24)?;
    let updated: String = r.get(26)?;
    let draft = InquiryDraft {
        kind: row_code(InquiryKind::from_code(&kind), "inquiry kind", &kind)?,
        customer: r.get::<_, Option<i64>>(2)?.map(CustomerId),
        contact: r.get::<_, Option<i64>>(3)?.map(ContactId),
        source: row_code(InquirySource::from_code(&source), "inquiry source", &source)?,
        subject: r.get(5)?,
        lines: Vec::new(),
        estimate: r.get::<_, Option<i64>>(6)?.map(Money::from_fen),
        wanted_by: r.get(7)?,
        flagged_major: r.get(8)?,
        notes: r.get(11)?,
        tender: TenderInfo {
            tender_no: r.get(12)?,
            purchaser: r.get(13)?,
            project: r.get(14)?,
            lot: r.get(15)?,
            deadline: opt_time(r.get(16)?)?,
            opening: opt_time(r.get(17)?)?,
            bond: r.get::<_, Option<i64>>(18)?.map(Money::from_fen),
            bond_paid: r.get(19)?,
            bond_returned: r.get(20)?,
            clauses: Vec::new(),
        },
    };
    Ok(Inquiry {
        id,
        number: number_of(&r.get::<_, String>(0)?)?,
        draft,
        customer_name: r.get(28)?,
        contact_name: r.get(29)?,
        registered_by: UserId(r.get(22)?),
        registered_by_name: r.get(23)?,
        registered_at: time_from_sql(&registered).map_err(|e| super::db::Error::conversion(e.to_string()))?,
        major: r.get(9)?,
        major_reasons: row_json(&reasons, "major reasons")?,
        status: row_code(InquiryStatus::from_code(&status), "inquiry status", &status)?,
        decisions: Vec::new(),
        bond_record: row_json(&r.get::<_, String>(30)?, "bond record")?,
        version: r.get(25)?,
        updated_at: super::local_time_text(&updated),
        updated_by: r.get(27)?,
    })
}
