//! Schema migrations: an ordered list, applied in one transaction, tracked by `PRAGMA user_version`.
//! (rusqlite_migration and refinery do not support rusqlite 0.43.) Never edit a shipped step:
//! append a new one.

use rusqlite::{Connection, TransactionBehavior};

use super::{APPLICATION_ID, StoreError};

/// Step `i` upgrades the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: users, settings, attachments, sequences, the audit chain.
    r#"
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        login TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        phone TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        roles TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        password_hash TEXT NOT NULL,
        must_change_password INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
    );
    -- Keyed by login whether or not such a user exists, so a lock tells nothing about existence.
    CREATE TABLE sign_in_attempts (
        login TEXT PRIMARY KEY COLLATE NOCASE,
        failures INTEGER NOT NULL,
        locked_until TEXT
    );
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
    );
    CREATE TABLE attachments (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        file_name TEXT NOT NULL,
        mime TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        bytes BLOB NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
    );
    CREATE TABLE sequences (
        name TEXT PRIMARY KEY,
        next_value INTEGER NOT NULL
    );
    CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        before TEXT NOT NULL,
        after TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE INDEX audit_log_at ON audit_log(at);
    CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
    );
    "#,
    // 2: the customer archive and the price table.
    r#"
    CREATE TABLE customers (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        short_name TEXT NOT NULL DEFAULT '',
        credit_code TEXT NOT NULL DEFAULT '',
        grade TEXT NOT NULL DEFAULT 'C',
        source TEXT NOT NULL DEFAULT '',
        industry TEXT NOT NULL DEFAULT '',
        province TEXT NOT NULL DEFAULT '',
        city TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        invoice TEXT NOT NULL DEFAULT '{}',
        notes TEXT NOT NULL DEFAULT '',
        owner_id INTEGER REFERENCES users(id),
        merged_into INTEGER REFERENCES customers(id),
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
    );
    CREATE INDEX customers_owner ON customers(owner_id);
    CREATE INDEX customers_credit_code ON customers(credit_code);
    CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers(id),
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        mobile TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        wechat TEXT NOT NULL DEFAULT '',
        is_primary INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX contacts_customer ON contacts(customer_id);
    CREATE TABLE products (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        model TEXT NOT NULL DEFAULT '',
        unit TEXT NOT NULL,
        category TEXT NOT NULL DEFAULT '',
        params TEXT NOT NULL DEFAULT '[]',
        active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
    );
    CREATE TABLE price_versions (
        id INTEGER PRIMARY KEY,
        effective_date TEXT NOT NULL,
        note TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
    );
    -- A version is a full snapshot of the table: a quote that used version 3 can always read it.
    CREATE TABLE prices (
        version_id INTEGER NOT NULL REFERENCES price_versions(id),
        product_id INTEGER NOT NULL REFERENCES products(id),
        list_fen INTEGER NOT NULL,
        floor_fen INTEGER,
        tax_rate_bp INTEGER NOT NULL,
        PRIMARY KEY (version_id, product_id)
    );
    "#,
    // 3: inquiries and tenders, their go / no-go decisions, and the phone-price log.
    r#"
    CREATE TABLE inquiries (
        id INTEGER PRIMARY KEY,
        number TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        customer_id INTEGER REFERENCES customers(id),
        contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
        source TEXT NOT NULL,
        subject TEXT NOT NULL,
        estimate_fen INTEGER,
        wanted_by TEXT,
        flagged_major INTEGER NOT NULL DEFAULT 0,
        major INTEGER NOT NULL,
        major_reasons TEXT NOT NULL DEFAULT '[]',
        notes TEXT NOT NULL DEFAULT '',
        tender_no TEXT NOT NULL DEFAULT '',
        purchaser TEXT NOT NULL DEFAULT '',
        project TEXT NOT NULL DEFAULT '',
        lot TEXT NOT NULL DEFAULT '',
        deadline TEXT,
        opening TEXT,
        bond_fen INTEGER,
        bond_paid INTEGER NOT NULL DEFAULT 0,
        bond_returned INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL,
        registered_by INTEGER NOT NULL REFERENCES users(id),
        registered_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
    );
    CREATE INDEX inquiries_status ON inquiries(status);
    CREATE INDEX inquiries_customer ON inquiries(customer_id);
    CREATE TABLE inquiry_lines (
        inquiry_id INTEGER NOT NULL REFERENCES inquiries(id),
        position INTEGER NOT NULL,
        product_id INTEGER REFERENCES products(id),
        description TEXT NOT NULL,
        model TEXT NOT NULL DEFAULT '',
        quantity TEXT,
        unit TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (inquiry_id, position)
    );
    CREATE TABLE tender_clauses (
        inquiry_id INTEGER NOT NULL REFERENCES inquiries(id),
        position INTEGER NOT NULL,
        clause_no TEXT NOT NULL,
        requirement TEXT NOT NULL,
        kind TEXT NOT NULL,
        PRIMARY KEY (inquiry_id, position)
    );
    CREATE TABLE inquiry_decisions (
        inquiry_id INTEGER NOT NULL REFERENCES inquiries(id),
        step TEXT NOT NULL,
        user_id INTEGER NOT NULL REFERENCES users(id),
        user_name TEXT NOT NULL,
        at TEXT NOT NULL,
        go INTEGER NOT NULL,
        comment TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (inquiry_id, step)
    );
    CREATE TABLE inquiry_attachments (
        inquiry_id INTEGER NOT NULL REFERENCES inquiries(id),
        attachment_id INTEGER NOT NULL REFERENCES attachments(id),
        PRIMARY KEY (inquiry_id, attachment_id)
    );
    -- 电话报价记录: every list price the assistant gave on the phone, with the table version.
    CREATE TABLE phone_answers (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id INTEGER NOT NULL REFERENCES users(id),
        customer_id INTEGER REFERENCES customers(id),
        contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
        product_id INTEGER NOT NULL REFERENCES products(id),
        price_version_id INTEGER NOT NULL REFERENCES price_versions(id),
        list_fen INTEGER NOT NULL,
        inquiry_id INTEGER REFERENCES inquiries(id)
    );
    "#,
    // 4: quotes and bids, their revisions, approvals and technical reviews.
    r#"
    CREATE TABLE quotes (
        id INTEGER PRIMARY KEY,
        number TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        inquiry_id INTEGER REFERENCES inquiries(id),
        customer_id INTEGER NOT NULL REFERENCES customers(id),
        contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
        subject TEXT NOT NULL,
        status TEXT NOT NULL,
        author_id INTEGER NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
    );
    CREATE INDEX quotes_customer ON quotes(customer_id);
    -- The content is one JSON document (lines, terms, responses): an approval binds to its hash.
    CREATE TABLE revisions (
        id INTEGER PRIMARY KEY,
        quote_id INTEGER NOT NULL REFERENCES quotes(id),
        revision INTEGER NOT NULL,
        status TEXT NOT NULL,
        content TEXT NOT NULL,
        content_hash TEXT NOT NULL DEFAULT '',
        total_fen INTEGER NOT NULL,
        major INTEGER NOT NULL DEFAULT 0,
        major_reasons TEXT NOT NULL DEFAULT '[]',
        author_id INTEGER NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL,
        submitted_at TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        UNIQUE (quote_id, revision)
    );
    CREATE INDEX revisions_status ON revisions(status);
    CREATE TABLE approvals (
        revision_id INTEGER NOT NULL REFERENCES revisions(id),
        step TEXT NOT NULL,
        user_id INTEGER NOT NULL REFERENCES users(id),
        user_name TEXT NOT NULL,
        at TEXT NOT NULL,
        approved INTEGER NOT NULL,
        comment TEXT NOT NULL DEFAULT '',
        content_hash TEXT NOT NULL,
        PRIMARY KEY (revision_id, step)
    );
    CREATE TABLE tech_reviews (
        id INTEGER PRIMARY KEY,
        revision_id INTEGER NOT NULL REFERENCES revisions(id),
        question TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        answer TEXT,
        answered_by TEXT,
        answered_at TEXT
    );
    "#,
    // 5: visits (plans and records) and the weekly reports' own notes.
    r#"
    CREATE TABLE visits (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers(id),
        contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
        owner_id INTEGER NOT NULL REFERENCES users(id),
        purpose TEXT NOT NULL,
        planned_at TEXT NOT NULL,
        notes TEXT NOT NULL DEFAULT '',
        is_key INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL,
        cancel_reason TEXT NOT NULL DEFAULT '',
        visited_on TEXT,
        met TEXT NOT NULL DEFAULT '',
        outcome TEXT NOT NULL DEFAULT '',
        next_step TEXT NOT NULL DEFAULT '',
        follow_up TEXT,
        retroactive INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
    );
    CREATE INDEX visits_planned ON visits(planned_at);
    CREATE INDEX visits_customer ON visits(customer_id);
    CREATE TABLE weekly_reports (
        user_id INTEGER NOT NULL REFERENCES users(id),
        week TEXT NOT NULL,
        notes TEXT NOT NULL DEFAULT '',
        next_focus TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        PRIMARY KEY (user_id, week)
    );
    "#,
    // 6: the issued-documents register (用印发出) and the PDFs it issued, once per distinct file.
    r#"
    CREATE TABLE issued_pdfs (
        sha256 TEXT PRIMARY KEY,
        pdf_id TEXT NOT NULL,
        bytes BLOB NOT NULL
    );
    CREATE INDEX issued_pdfs_id ON issued_pdfs(pdf_id);
    CREATE TABLE issued_documents (
        id INTEGER PRIMARY KEY,
        quote_id INTEGER NOT NULL REFERENCES quotes(id),
        revision_id INTEGER NOT NULL REFERENCES revisions(id),
        kind TEXT NOT NULL,
        number TEXT NOT NULL,
        revision INTEGER NOT NULL,
        customer_id INTEGER NOT NULL REFERENCES customers(id),
        customer_name TEXT NOT NULL,
        sha256 TEXT NOT NULL REFERENCES issued_pdfs(sha256),
        verify_code TEXT NOT NULL,
        copies INTEGER NOT NULL,
        file_name TEXT NOT NULL,
        reprint INTEGER NOT NULL,
        issued_by INTEGER NOT NULL REFERENCES users(id),
        issued_by_name TEXT NOT NULL,
        issued_at TEXT NOT NULL
    );
    CREATE INDEX issued_documents_quote ON issued_documents(quote_id);
    CREATE INDEX issued_documents_code ON issued_documents(verify_code);
    CREATE INDEX issued_documents_sha ON issued_documents(sha256);
    "#,
    // 7: the certificate library (资质证书库) the admin keeps for bids' qualification documents.
    r#"
    CREATE TABLE certificates (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        number TEXT NOT NULL DEFAULT '',
        issuer TEXT NOT NULL DEFAULT '',
        valid_from TEXT,
        valid_until TEXT,
        image_id INTEGER NOT NULL REFERENCES attachments(id),
        active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
    );
    "#,
    // 8: after issue — negotiation rounds (谈判记录), outcomes (中标/未成交/过期) and each
    // approver's confirmation of each change a revision makes against the last issued one.
    // Rounds, outcomes and confirmations are facts: written once, never updated.
    r#"
    CREATE TABLE negotiation_rounds (
        id INTEGER PRIMARY KEY,
        quote_id INTEGER NOT NULL REFERENCES quotes(id),
        round_date TEXT NOT NULL,
        customer_side TEXT NOT NULL,
        asked TEXT NOT NULL,
        offered TEXT NOT NULL,
        user_id INTEGER NOT NULL REFERENCES users(id),
        user_name TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX negotiation_rounds_quote ON negotiation_rounds(quote_id);
    CREATE TABLE quote_outcomes (
        quote_id INTEGER PRIMARY KEY REFERENCES quotes(id),
        outcome TEXT NOT NULL,
        decided_on TEXT NOT NULL,
        revision INTEGER NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        competitor TEXT NOT NULL DEFAULT '',
        competitor_price_fen INTEGER,
        user_id INTEGER REFERENCES users(id),
        user_name TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    );
    CREATE TABLE change_confirmations (
        revision_id INTEGER NOT NULL REFERENCES revisions(id),
        step TEXT NOT NULL,
        change_key TEXT NOT NULL,
        change TEXT NOT NULL,
        confirmed INTEGER NOT NULL,
        user_id INTEGER NOT NULL REFERENCES users(id),
        user_name TEXT NOT NULL,
        at TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        PRIMARY KEY (revision_id, step, change_key)
    );
    "#,
    // 9: contracts (合同) made from won quotes, their confirmations, deliveries (发货), invoices
    // (开票), receipts (回款, with the hand-in of cash collected in the field) and the head's sales
    // targets. Money in 分; the lines, terms and payment schedule are one JSON document, as a
    // revision's content, so a confirmation binds to its hash.
    r#"
    CREATE TABLE contracts (
        id INTEGER PRIMARY KEY,
        number TEXT NOT NULL UNIQUE,
        quote_id INTEGER NOT NULL UNIQUE REFERENCES quotes(id),
        revision_id INTEGER NOT NULL REFERENCES revisions(id),
        customer_id INTEGER NOT NULL REFERENCES customers(id),
        customer_name TEXT NOT NULL,
        salesperson_id INTEGER NOT NULL REFERENCES users(id),
        salesperson_name TEXT NOT NULL,
        customer_owner_id INTEGER REFERENCES users(id),
        author_id INTEGER NOT NULL REFERENCES users(id),
        author_name TEXT NOT NULL,
        subject TEXT NOT NULL,
        status TEXT NOT NULL,
        content TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        total_fen INTEGER NOT NULL,
        major INTEGER NOT NULL DEFAULT 0,
        major_reasons TEXT NOT NULL DEFAULT '[]',
        signed_on TEXT,
        created_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
    );
    CREATE INDEX contracts_salesperson ON contracts(salesperson_id);
    CREATE INDEX contracts_customer ON contracts(customer_id);
    CREATE TABLE contract_approvals (
        id INTEGER PRIMARY KEY,
        contract_id INTEGER NOT NULL REFERENCES contracts(id),
        step TEXT NOT NULL,
        user_id INTEGER NOT NULL REFERENCES users(id),
        user_name TEXT NOT NULL,
        at TEXT NOT NULL,
        approved INTEGER NOT NULL,
        comment TEXT NOT NULL DEFAULT '',
        content_hash TEXT NOT NULL
    );
    CREATE INDEX contract_approvals_contract ON contract_approvals(contract_id);
    CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        contract_id INTEGER NOT NULL REFERENCES contracts(id),
        delivered_on TEXT NOT NULL,
        lines TEXT NOT NULL DEFAULT '[]',
        note TEXT NOT NULL DEFAULT '',
        user_id INTEGER NOT NULL REFERENCES users(id),
        user_name TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX deliveries_contract ON deliveries(contract_id);
    CREATE TABLE invoices (
        id INTEGER PRIMARY KEY,
        contract_id INTEGER NOT NULL REFERENCES contracts(id),
        number TEXT NOT NULL UNIQUE,
        invoiced_on TEXT NOT NULL,
        amount_fen INTEGER NOT NULL,
        tax_fen INTEGER NOT NULL,
        user_id INTEGER NOT NULL REFERENCES users(id),
        user_name TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX invoices_contract ON invoices(contract_id);
    CREATE TABLE receipts (
        id INTEGER PRIMARY KEY,
        contract_id INTEGER NOT NULL REFERENCES contracts(id),
        received_on TEXT NOT NULL,
        amount_fen INTEGER NOT NULL,
        method TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        collected_by_salesperson INTEGER NOT NULL DEFAULT 0,
        overpayment INTEGER NOT NULL DEFAULT 0,
        handed_in_on TEXT,
        handed_in_by TEXT NOT NULL DEFAULT '',
        user_id INTEGER NOT NULL REFERENCES users(id),
        user_name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
    );
    CREATE INDEX receipts_contract ON receipts(contract_id);
    CREATE TABLE sales_targets (
        salesperson_id INTEGER NOT NULL REFERENCES users(id),
        year INTEGER NOT NULL,
        month INTEGER NOT NULL,
        sales_fen INTEGER NOT NULL,
        collection_fen INTEGER NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        PRIMARY KEY (salesperson_id, year, month)
    );
    "#,
    // 10: what was sent to a printer for a register entry (用印发出 or a reprint): the printer, the
    // print service's job number, copies, pages, and whether it was sent or why not.
    r#"
    CREATE TABLE print_jobs (
        id INTEGER PRIMARY KEY,
        issued_id INTEGER NOT NULL REFERENCES issued_documents(id),
        printer TEXT NOT NULL,
        job_id INTEGER,
        copies INTEGER NOT NULL,
        pages TEXT NOT NULL,
        two_sided INTEGER NOT NULL,
        sent INTEGER NOT NULL,
        detail TEXT NOT NULL,
        at TEXT NOT NULL,
        by_name TEXT NOT NULL
    );
    CREATE INDEX print_jobs_issued ON print_jobs(issued_id);
    "#,
    // 11: typed tender clauses — ★ (实质性) and the requirement in numbers (JSON of
    // domain::clause::Requirement; NULL: a free clause). A ★ already written into a clause's number
    // or text was the registrant's mark: it becomes the flag. Nothing is typed on the way up.
    // And the 业绩库: signed contracts the head lists as references, with what the 业绩表 prints.
    r#"
    ALTER TABLE tender_clauses ADD COLUMN starred INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE tender_clauses ADD COLUMN typed TEXT;
    UPDATE tender_clauses SET starred = 1 WHERE instr(clause_no, '★') > 0 OR substr(requirement, 1, 1) = '★';
    CREATE TABLE bid_references (
        id INTEGER PRIMARY KEY,
        contract_id INTEGER NOT NULL UNIQUE REFERENCES contracts(id),
        customer_name TEXT NOT NULL,
        project TEXT NOT NULL,
        products TEXT NOT NULL,
        category TEXT NOT NULL,
        amount_fen INTEGER NOT NULL,
        signed_on TEXT NOT NULL,
        contact TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        version INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
    );
    "#,
    // 12: what a bid prints about people and the bond, and which print it was. Each user's 性别
    // and 身份证号码 (the 授权委托书's agent); how the tender bond was paid (form, date, receipt)
    // and the head's leave to issue without it, as one JSON record; what each certificate covers
    // (models or categories, JSON; empty: everything); and each register entry's print variant
    // (seal image, with a 骑缝章, or a wet-stamp print without the seal), each its own entry.
    r#"
    ALTER TABLE users ADD COLUMN gender TEXT NOT NULL DEFAULT '';
    ALTER TABLE users ADD COLUMN id_number TEXT NOT NULL DEFAULT '';
    ALTER TABLE inquiries ADD COLUMN bond_record TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE certificates ADD COLUMN covers TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE issued_documents ADD COLUMN variant TEXT NOT NULL DEFAULT 'seal';
    "#,
    // 13: a contract's 验收日期 (installments and the warranty may run from acceptance), and the
    // register's entries for printed contracts (销售合同): the contract an entry is (NULL for a
    // quote or bid; its quote and revision stay the contract's source).
    r#"
    ALTER TABLE contracts ADD COLUMN accepted_on TEXT;
    ALTER TABLE issued_documents ADD COLUMN contract_id INTEGER REFERENCES contracts(id);
    "#,
    // 14: a revision's floor prices leave its content for a column of their own (a JSON list in
    // line order), which the office server lets only those who may see floors read. The contents
    // saved with their floors inside are split by `split_revision_floors` in the same transaction.
    r#"
    ALTER TABLE revisions ADD COLUMN floors TEXT;
    "#,
    // 15: each customer's name core (`domain::customer::name_core`, filled by `fill_name_cores`
    // in the same transaction): the office server compares names for the duplicate check over the
    // whole archive without giving a salesperson's login the names it may not read.
    r#"
    ALTER TABLE customers ADD COLUMN name_core TEXT NOT NULL DEFAULT '';
    "#,
];

/// The schema version whose step added the customers' name cores.
pub(super) const NAME_CORES: i64 = 15;

/// The schema version whose step moved the floors out of the revisions' content.
pub(super) const FLOORS_SPLIT: i64 = 14;

/// The schema version this program writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// Refuses files that are someone else's or newer than us, before anything is written.
pub(super) fn check_identity(conn: &Connection) -> Result<(), StoreError> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    // Reading the schema touches every page header of sqlite_master: a truncated file fails here.
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    // user_version is any 32-bit number in the header (bytes 60–63): a negative one was not
    // written by SalesDesk, whatever the application id says.
    if (app_id != APPLICATION_ID && (tables > 0 || version != 0)) || version < 0 {
        return Err(StoreError::NotOurs { path: String::new() });
    }
    if version > LATEST {
        return Err(StoreError::TooNew { found: version, supported: LATEST });
    }
    Ok(())
}

/// Applies the missing steps in one transaction: either all of them land or none.
pub(super) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > LATEST {
        return Err(StoreError::TooNew { found: version, supported: LATEST });
    }
    let from = usize::try_from(version).map_err(|_| StoreError::NotOurs { path: String::new() })?;
    for step in MIGRATIONS.get(from..).unwrap_or_default() {
        tx.execute_batch(step)?;
    }
    if version < FLOORS_SPLIT {
        split_revision_floors(&tx)?;
    }
    if version < NAME_CORES {
        fill_name_cores(&tx)?;
    }
    if version < LATEST {
        tx.pragma_update(None, "user_version", LATEST)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    tx.commit()?;
    Ok(())
}

/// Moves the floors of contents saved with them inside to the `floors` column (step 14).
fn split_revision_floors(tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
    let rows: Vec<(i64, String)> = tx
        .prepare("SELECT id, content FROM revisions WHERE floors IS NULL AND instr(content, '\"floor_price\"') > 0")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (id, content) in rows {
        if let Some((content, floors)) = super::quotes::split_floors(&content)? {
            tx.execute(
                "UPDATE revisions SET content = ?1, floors = ?2 WHERE id = ?3",
                rusqlite::params![content, floors, id],
            )?;
        }
    }
    Ok(())
}

/// Fills each customer's name core (step 15).
fn fill_name_cores(tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
    let rows: Vec<(i64, String)> = tx
        .prepare("SELECT id, name FROM customers")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut update = tx.prepare("UPDATE customers SET name_core = ?1 WHERE id = ?2")?;
    for (id, name) in rows {
        update.execute(rusqlite::params![crate::domain::customer::name_core(&name), id])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_database_reaches_the_latest_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        check_identity(&conn).unwrap();
        migrate(&mut conn).unwrap();
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(v, LATEST);
        // Running again is a no-op.
        migrate(&mut conn).unwrap();
    }

    #[test]
    fn every_step_applies_on_top_of_the_previous_one() {
        for upto in 1..=MIGRATIONS.len() {
            let conn = Connection::open_in_memory().unwrap();
            for step in &MIGRATIONS[..upto] {
                conn.execute_batch(step).unwrap();
            }
        }
    }

    #[test]
    fn a_newer_database_is_refused() {
        let conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
        conn.pragma_update(None, "user_version", LATEST + 1).unwrap();
        assert!(matches!(check_identity(&conn), Err(StoreError::TooNew { .. })));
    }

    #[test]
    fn a_negative_schema_version_is_refused_not_a_panic() {
        for app_id in [APPLICATION_ID, 0] {
            let mut conn = Connection::open_in_memory().unwrap();
            conn.pragma_update(None, "application_id", app_id).unwrap();
            conn.pragma_update(None, "user_version", -1).unwrap();
            assert!(matches!(check_identity(&conn), Err(StoreError::NotOurs { .. })), "app id {app_id}");
            assert!(matches!(migrate(&mut conn), Err(StoreError::NotOurs { .. })), "app id {app_id}");
        }
    }

    #[test]
    fn someone_elses_database_is_refused() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t(x)").unwrap();
        assert!(matches!(check_identity(&conn), Err(StoreError::NotOurs { .. })));
    }
}
