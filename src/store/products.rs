//! Products (产品) and the dated price-table versions (价格表版本). A version is a full snapshot of
//! every product's prices; the product row holds what does not change with prices (name, model,
//! technical parameters).

use super::db::{OptionalExtension, Row, params};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::{StoreError, Tx, row_json, time_to_sql};
use crate::domain::ids::{PriceVersionId, ProductId};
use crate::domain::money::{Money, TaxRate};
use crate::domain::product::{PriceVersion, Product, ProductDraft, TechParam};

/// A product's price in one version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceRow {
    pub list: Money,
    pub floor: Option<Money>,
    pub tax: TaxRate,
}

fn fen(m: Money) -> Result<i64, StoreError> {
    m.fen().ok_or_else(|| StoreError::Corrupt(format!("amount out of range: {m}")))
}

fn basis_points(t: TaxRate) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    (t.fraction() * Decimal::from(10_000)).round().to_i64().unwrap_or(0)
}

/// A stored tax rate the domain does not accept is the row's error: never a default rate.
fn tax_from_bp(bp: i64) -> super::db::Result<TaxRate> {
    TaxRate::from_fraction(Decimal::new(bp, 4))
        .map_err(|_| super::db::Error::conversion(format!("bad tax rate {bp} basis points")))
}

/// The product columns; `floor` is `x.floor_fen` for a reader who may see floors, else `NULL`
/// (on the office server that column is not readable by the others' logins).
fn product_columns(floor: &str) -> String {
    format!(
        "p.id, p.code, p.name, p.model, p.unit, p.category, p.params, p.active, p.version, \
         p.updated_at, p.updated_by, x.version_id, x.list_fen, {floor}, x.tax_rate_bp"
    )
}

fn product_from_row(r: &Row<'_>) -> super::db::Result<Product> {
    let params: String = r.get(6)?;
    let updated_at: String = r.get(9)?;
    Ok(Product {
        id: ProductId(r.get(0)?),
        draft: ProductDraft {
            code: r.get(1)?,
            name: r.get(2)?,
            model: r.get(3)?,
            unit: r.get(4)?,
            category: r.get(5)?,
            params: row_json::<Vec<TechParam>>(&params, "technical parameters")?,
            active: r.get(7)?,
            list_price: Money::from_fen(r.get(12)?),
            floor_price: r.get::<_, Option<i64>>(13)?.map(Money::from_fen),
            tax_rate: tax_from_bp(r.get(14)?)?,
        },
        version: r.get(8)?,
        updated_at: super::local_time_text(&updated_at),
        updated_by: r.get(10)?,
        price_version: PriceVersionId(r.get(11)?),
    })
}

fn params_json(p: &[TechParam]) -> String {
    serde_json::to_string(p).unwrap_or_else(|_| "[]".into())
}

impl Tx<'_> {
    /// Creates the product row (no price: prices belong to versions).
    pub fn insert_product(&self, d: &ProductDraft, now: DateTime<Utc>, by: &str) -> Result<ProductId, StoreError> {
        if self.product_id_by_code(&d.code)?.is_some() {
            return Err(StoreError::Duplicate(format!("产品编码 {}", d.code)));
        }
        let now = time_to_sql(now);
        self.conn.execute(
            "INSERT INTO products (code, name, model, unit, category, params, active, created_at, updated_at, updated_by) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)",
            params![d.code, d.name, d.model, d.unit, d.category, params_json(&d.params), d.active, now, by],
        )?;
        Ok(ProductId(self.conn.last_insert_rowid()?))
    }

    /// Saves name, model, unit, category, parameters and active flag if the row is still at `version`.
    pub fn update_product(
        &self,
        id: ProductId,
        version: i64,
        d: &ProductDraft,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE products SET name = ?1, model = ?2, unit = ?3, category = ?4, params = ?5, active = ?6, \
             version = version + 1, updated_at = ?7, updated_by = ?8 WHERE id = ?9 AND version = ?10",
            params![
                d.name,
                d.model,
                d.unit,
                d.category,
                params_json(&d.params),
                d.active,
                time_to_sql(now),
                by,
                id.0,
                version
            ],
        )?;
        self.expect_one(n, "产品", "products", ("id", &id.0))
    }

    pub fn product_id_by_code(&self, code: &str) -> Result<Option<ProductId>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT id FROM products WHERE code = ?1", [code], |r| r.get(0).map(ProductId))
            .optional()?)
    }

    /// Every product priced in `version`, by code.
    pub fn products_in_version(&self, version: PriceVersionId) -> Result<Vec<Product>, StoreError> {
        let sql = format!(
            "SELECT {} FROM products p JOIN prices x ON x.product_id = p.id \
             WHERE x.version_id = ?1 ORDER BY p.code",
            self.product_columns()?
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([version.0], product_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn product_columns(&self) -> Result<String, StoreError> {
        Ok(product_columns(if self.sees_floors()? { "x.floor_fen" } else { "NULL" }))
    }

    /// Whether each (price version, product, unit price after discount) is below that product's
    /// floor in that version: compared here for a reader who may see floors, else answered by the
    /// server's `salesdesk_prices_below_floor`, which never gives the floor itself.
    pub fn prices_below_floor(&self, asked: &[(PriceVersionId, ProductId, Decimal)]) -> Result<Vec<bool>, StoreError> {
        if self.sees_floors()? {
            let mut floors: std::collections::HashMap<(PriceVersionId, ProductId), Option<Money>> =
                std::collections::HashMap::new();
            let mut out = Vec::with_capacity(asked.len());
            for &(version, product, net) in asked {
                if !floors.contains_key(&(version, product)) {
                    for p in self.products_in_version(version)? {
                        floors.insert((version, p.id), p.draft.floor_price);
                    }
                }
                let floor = floors.get(&(version, product)).copied().flatten();
                out.push(floor.is_some_and(|f| net < f.as_decimal()));
            }
            return Ok(out);
        }
        let asked: Vec<(i64, i64, String)> =
            asked.iter().map(|(v, p, net)| (v.0, p.0, net.normalize().to_string())).collect();
        let answer: String =
            self.conn
                .query_row("SELECT salesdesk_prices_below_floor(?1)", [super::encode_json(&asked)?], |r| r.get(0))?;
        serde_json::from_str(&answer).map_err(|e| StoreError::Corrupt(format!("salesdesk_prices_below_floor: {e}")))
    }

    /// Whether this reader may see floor prices: always on a file (whoever has the file has it
    /// all; the service hides them); on the office server, whether their login may read them.
    pub fn sees_floors(&self) -> Result<bool, StoreError> {
        self.holds(
            "SELECT CASE WHEN has_column_privilege('prices', 'floor_fen', 'SELECT') THEN 1 ELSE 0 END",
            &self.floors,
        )
    }

    pub fn product_in_version(&self, id: ProductId, version: PriceVersionId) -> Result<Product, StoreError> {
        self.product_priced_in(id, version)?.ok_or(StoreError::NotFound("产品"))
    }

    /// The product as priced in `version`, `None` when that version does not price it. Any other
    /// failure (a dropped connection, an unreadable row) is an error, not "not priced".
    pub fn product_priced_in(&self, id: ProductId, version: PriceVersionId) -> Result<Option<Product>, StoreError> {
        let sql = format!(
            "SELECT {} FROM products p JOIN prices x ON x.product_id = p.id \
             WHERE p.id = ?1 AND x.version_id = ?2",
            self.product_columns()?
        );
        Ok(self.conn.query_row(&sql, params![id.0, version.0], product_from_row).optional()?)
    }

    pub fn insert_price_version(
        &self,
        effective: NaiveDate,
        note: &str,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<PriceVersionId, StoreError> {
        self.conn.execute(
            "INSERT INTO price_versions (effective_date, note, created_at, created_by) VALUES (?1, ?2, ?3, ?4)",
            params![effective.to_string(), note, time_to_sql(now), by],
        )?;
        Ok(PriceVersionId(self.conn.last_insert_rowid()?))
    }

    /// Copies every price of `from` into `to` (the start of a new version).
    pub fn copy_prices(&self, from: PriceVersionId, to: PriceVersionId) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO prices (version_id, product_id, list_fen, floor_fen, tax_rate_bp) \
             SELECT ?1, product_id, list_fen, floor_fen, tax_rate_bp FROM prices WHERE version_id = ?2",
            params![to.0, from.0],
        )?;
        Ok(())
    }

    /// Sets a product's price in a version (inserting or replacing it).
    pub fn set_price(&self, version: PriceVersionId, product: ProductId, p: PriceRow) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO prices (version_id, product_id, list_fen, floor_fen, tax_rate_bp) VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT(version_id, product_id) DO UPDATE SET list_fen = excluded.list_fen, \
             floor_fen = excluded.floor_fen, tax_rate_bp = excluded.tax_rate_bp",
            params![version.0, product.0, fen(p.list)?, p.floor.map(fen).transpose()?, basis_points(p.tax)],
        )?;
        Ok(())
    }

    /// All versions, newest first, with how many products each prices.
    pub fn price_versions(&self) -> Result<Vec<PriceVersion>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT v.id, v.effective_date, v.note, v.created_by, v.created_at, \
                    (SELECT count(*) FROM prices x WHERE x.version_id = v.id) \
             FROM price_versions v ORDER BY v.effective_date DESC, v.id DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            let created: String = r.get(4)?;
            Ok(PriceVersion {
                id: PriceVersionId(r.get(0)?),
                effective: r.get(1)?,
                note: r.get(2)?,
                created_by: r.get(3)?,
                created_at: super::local_time_text(&created),
                products: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The version in force on `day`: the latest effective on or before it (ties: the newest).
    pub fn price_version_on(&self, day: NaiveDate) -> Result<Option<PriceVersionId>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM price_versions WHERE effective_date <= ?1 ORDER BY effective_date DESC, id DESC LIMIT 1",
                [day.to_string()],
                |r| r.get(0).map(PriceVersionId),
            )
            .optional()?)
    }

    pub fn count_products(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("SELECT count(*) FROM products", [], |r| r.get(0))?)
    }
}
