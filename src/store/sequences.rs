//! Sequences (编号序列) for document numbers: taken inside the transaction that creates the
//! document, so a number is never handed out twice and never reused after a rollback commits.

use super::{StoreError, Tx};

impl Tx<'_> {
    /// Takes the next value (starting at 1) of the named sequence.
    pub fn next_in_sequence(&self, name: &str) -> Result<u32, StoreError> {
        let value: i64 = self.conn.query_row(
            "INSERT INTO sequences (name, next_value) VALUES (?1, 2) \
             ON CONFLICT(name) DO UPDATE SET next_value = sequences.next_value + 1 \
             RETURNING next_value - 1",
            [name],
            |r| r.get(0),
        )?;
        u32::try_from(value).map_err(|_| StoreError::Corrupt(format!("sequence {name} overflow")))
    }

    /// The value the next call would return, without taking it.
    pub fn peek_sequence(&self, name: &str) -> Result<u32, StoreError> {
        let v: Option<i64> = super::db::OptionalExtension::optional(self.conn.query_row(
            "SELECT next_value FROM sequences WHERE name = ?1",
            [name],
            |r| r.get(0),
        ))?;
        u32::try_from(v.unwrap_or(1)).map_err(|_| StoreError::Corrupt(format!("sequence {name} overflow")))
    }
}
