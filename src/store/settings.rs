//! Settings (设置): the company profile, the approval policy and the standard terms, each one
//! versioned JSON document under a key. Money inside is written as text of 分-exact decimals.

use super::db::{OptionalExtension, params};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{StoreError, Tx, time_to_sql};
use crate::domain::record::Versioned;

impl Tx<'_> {
    /// Reads a setting, or its default when it was never saved.
    pub fn setting<T: DeserializeOwned + Default>(&self, key: &str) -> Result<Versioned<T>, StoreError> {
        let row: Option<(String, i64, String, String)> = self
            .conn
            .query_row("SELECT value, version, updated_by, updated_at FROM settings WHERE key = ?1", [key], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        match row {
            None => {
                Ok(Versioned { value: T::default(), version: 0, updated_by: String::new(), updated_at: String::new() })
            }
            Some((json, version, updated_by, updated_at)) => {
                let value =
                    serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(format!("setting {key}: {e}")))?;
                Ok(Versioned { value, version, updated_by, updated_at: super::local_time_text(&updated_at) })
            }
        }
    }

    /// Saves a setting if it is still at `version` (0: it must not exist yet).
    pub fn put_setting<T: Serialize>(
        &self,
        key: &str,
        value: &T,
        version: i64,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<(), StoreError> {
        let json = super::encode_json(value)?;
        let now = time_to_sql(now);
        let n = if version == 0 {
            self.conn.execute(
                "INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4) ON CONFLICT(key) DO NOTHING",
                params![key, json, now, by],
            )?
        } else {
            self.conn.execute(
                "UPDATE settings SET value = ?1, version = version + 1, updated_at = ?2, updated_by = ?3 \
                 WHERE key = ?4 AND version = ?5",
                params![json, now, by, key, version],
            )?
        };
        self.expect_one(n, "设置", "settings", ("key", &key))
    }
}
