//! The two engines behind the store: one small connection API the repository code is written
//! against, with SQLite (one file per PC) and PostgreSQL (one office server) underneath.
//!
//! The API is shaped like the slice of rusqlite the store used (`execute`, `query_row`,
//! `prepare(..).query_map(..)`, `optional()`), so the repository SQL reads the same on both
//! engines. SQL is written for SQLite with numbered parameters (`?1`); on PostgreSQL the
//! parameters become `$1` and the statement is prepared once per connection. Values travel as
//! [`Value`] and adapt to the column type the server expects (an integer bound to `int4`, a
//! `bigint` sum read back as `numeric`), so one repository method serves both engines.

use std::cell::RefCell;
use std::collections::HashMap;

use postgres::types::{IsNull, ToSql as PgToSql, Type};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// One SQL value, the common ground of both engines.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// A borrowed SQL value, as read from a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

impl ValueRef<'_> {
    pub fn to_owned(self) -> Value {
        match self {
            ValueRef::Null => Value::Null,
            ValueRef::Int(i) => Value::Int(i),
            ValueRef::Real(f) => Value::Real(f),
            ValueRef::Text(s) => Value::Text(s.to_string()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        }
    }
}

/// Errors of the connection layer; the store turns them into [`super::StoreError`].
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("query returned no rows")]
    NoRows,
    #[error("column {0}: {1}")]
    Conversion(usize, String),
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Postgres(#[from] postgres::Error),
}

impl Error {
    /// A conversion failure in a row mapper (a stored value the domain does not accept).
    pub fn conversion(what: impl Into<String>) -> Error {
        Error::Conversion(0, what.into())
    }

    /// A UNIQUE, FOREIGN KEY, CHECK or NOT NULL constraint refused the statement.
    pub fn is_constraint_violation(&self) -> bool {
        match self {
            Error::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => f.code == rusqlite::ErrorCode::ConstraintViolation,
            // SQLSTATE class 23: integrity constraint violation.
            Error::Postgres(e) => e.code().is_some_and(|c| c.code().starts_with("23")),
            _ => false,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `.optional()` on a single-row result, as rusqlite has it.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(Error::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Values in and out

/// A Rust value that can be bound as a parameter.
pub trait ToValue {
    fn to_value(&self) -> Value;
}

macro_rules! int_to_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                Value::Int(*self as i64)
            }
        }
    )*};
}
int_to_value!(i64, i32, i16, u8, u16, u32, usize);

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}
impl ToValue for f64 {
    fn to_value(&self) -> Value {
        Value::Real(*self)
    }
}
impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}
impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}
impl ToValue for [u8] {
    fn to_value(&self) -> Value {
        Value::Blob(self.to_vec())
    }
}
impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value {
        Value::Blob(self.clone())
    }
}
impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}
/// A calendar date is stored as `YYYY-MM-DD` text on both engines (sortable, readable in a dump).
impl ToValue for chrono::NaiveDate {
    fn to_value(&self) -> Value {
        Value::Text(self.format("%Y-%m-%d").to_string())
    }
}
impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}
impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

/// A Rust value that can be read from a column.
pub trait FromValue: Sized {
    fn from_value(v: ValueRef<'_>) -> Result<Self, String>;
}

impl FromValue for i64 {
    fn from_value(v: ValueRef<'_>) -> Result<Self, String> {
        match v {
            ValueRef::Int(i) => Ok(i),
            other => Err(format!("expected an integer, found {other:?}")),
        }
    }
}

macro_rules! narrow_from_value {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(v: ValueRef<'_>) -> Result<Self, String> {
                let i = i64::from_value(v)?;
                <$t>::try_from(i).map_err(|_| format!("{i} is out of range for {}", stringify!($t)))
            }
        }
    )*};
}
narrow_from_value!(i32, i16, u8, u16, u32, u64, usize);

impl FromValue for bool {
    fn from_value(v: ValueRef<'_>) -> Result<Self, String> {
        Ok(i64::from_value(v)? != 0)
    }
}
impl FromValue for f64 {
    fn from_value(v: ValueRef<'_>) -> Result<Self, String> {
        match v {
            ValueRef::Real(f) => Ok(f),
            ValueRef::Int(i) => Ok(i as f64),
            other => Err(format!("expected a number, found {other:?}")),
        }
    }
}
impl FromValue for String {
    fn from_value(v: ValueRef<'_>) -> Result<Self, String> {
        match v {
            ValueRef::Text(s) => Ok(s.to_string()),
            other => Err(format!("expected text, found {other:?}")),
        }
    }
}
/// A stored date that does not parse is the row's error, never "no date": a certificate without an
/// expiry date is valid forever (长期).
impl FromValue for chrono::NaiveDate {
    fn from_value(v: ValueRef<'_>) -> Result<Self, String> {
        match v {
            ValueRef::Text(s) => {
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("bad date {s:?}"))
            }
            other => Err(format!("expected a date, found {other:?}")),
        }
    }
}
impl FromValue for Vec<u8> {
    fn from_value(v: ValueRef<'_>) -> Result<Self, String> {
        match v {
            ValueRef::Blob(b) => Ok(b.to_vec()),
            ValueRef::Text(s) => Ok(s.as_bytes().to_vec()),
            other => Err(format!("expected bytes, found {other:?}")),
        }
    }
}
impl FromValue for Value {
    fn from_value(v: ValueRef<'_>) -> Result<Self, String> {
        Ok(v.to_owned())
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: ValueRef<'_>) -> Result<Self, String> {
        match v {
            ValueRef::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

/// The parameters of one statement: `[]`, an array of one type, or `params![..]`.
pub trait Params {
    fn into_values(self) -> Vec<Value>;
}

impl Params for &[&dyn ToValue] {
    fn into_values(self) -> Vec<Value> {
        self.iter().map(|v| v.to_value()).collect()
    }
}
impl Params for [&dyn ToValue; 0] {
    fn into_values(self) -> Vec<Value> {
        Vec::new()
    }
}
impl Params for Vec<Value> {
    fn into_values(self) -> Vec<Value> {
        self
    }
}
macro_rules! array_params {
    ($($n:literal),*) => {$(
        impl<T: ToValue> Params for [T; $n] {
            fn into_values(self) -> Vec<Value> {
                self.iter().map(ToValue::to_value).collect()
            }
        }
    )*};
}
array_params!(1, 2, 3, 4, 5, 6, 7, 8);

/// `params![a, b, c]`: parameters of mixed types, as in rusqlite.
macro_rules! store_params {
    () => { &[] as &[&dyn $crate::store::db::ToValue] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::store::db::ToValue),+] as &[&dyn $crate::store::db::ToValue] };
}
pub(crate) use store_params as params;

// ---------------------------------------------------------------------------------------------
// Rows

/// A column position. Only `usize` implements it, so `r.get(0)` needs no suffix.
pub trait ColumnIndex {
    fn index(self) -> usize;
}

impl ColumnIndex for usize {
    fn index(self) -> usize {
        self
    }
}

/// One row of a result, on either engine.
pub enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Pg(&'r postgres::Row),
}

impl Row<'_> {
    /// The value of column `idx`, converted to `T`.
    pub fn get<I: ColumnIndex, T: FromValue>(&self, idx: I) -> Result<T> {
        let idx = idx.index();
        let convert = |v: ValueRef<'_>| T::from_value(v).map_err(|e| Error::Conversion(idx, e));
        match self {
            Row::Sqlite(r) => {
                let v = r.get_ref(idx)?;
                convert(match v {
                    rusqlite::types::ValueRef::Null => ValueRef::Null,
                    rusqlite::types::ValueRef::Integer(i) => ValueRef::Int(i),
                    rusqlite::types::ValueRef::Real(f) => ValueRef::Real(f),
                    rusqlite::types::ValueRef::Text(t) => {
                        ValueRef::Text(std::str::from_utf8(t).map_err(|e| Error::Conversion(idx, e.to_string()))?)
                    }
                    rusqlite::types::ValueRef::Blob(b) => ValueRef::Blob(b),
                })
            }
            Row::Pg(r) => pg_column(r, idx, convert),
        }
    }
}

/// Reads a PostgreSQL column by its type into the common value, then into `T`.
fn pg_column<T>(r: &postgres::Row, idx: usize, convert: impl FnOnce(ValueRef<'_>) -> Result<T>) -> Result<T> {
    let Some(column) = r.columns().get(idx) else {
        return Err(Error::Conversion(idx, "no such column".into()));
    };
    let ty = column.type_().clone();
    let fail = |e: postgres::Error| Error::Conversion(idx, e.to_string());
    let v = match ty {
        Type::INT8 => r.try_get::<_, Option<i64>>(idx).map_err(fail)?.map_or(ValueRef::Null, ValueRef::Int),
        Type::INT4 => {
            r.try_get::<_, Option<i32>>(idx).map_err(fail)?.map_or(ValueRef::Null, |i| ValueRef::Int(i.into()))
        }
        Type::INT2 => {
            r.try_get::<_, Option<i16>>(idx).map_err(fail)?.map_or(ValueRef::Null, |i| ValueRef::Int(i.into()))
        }
        Type::OID => {
            r.try_get::<_, Option<u32>>(idx).map_err(fail)?.map_or(ValueRef::Null, |i| ValueRef::Int(i.into()))
        }
        Type::BOOL => {
            r.try_get::<_, Option<bool>>(idx).map_err(fail)?.map_or(ValueRef::Null, |b| ValueRef::Int(b.into()))
        }
        Type::FLOAT8 => r.try_get::<_, Option<f64>>(idx).map_err(fail)?.map_or(ValueRef::Null, ValueRef::Real),
        Type::FLOAT4 => {
            r.try_get::<_, Option<f32>>(idx).map_err(fail)?.map_or(ValueRef::Null, |f| ValueRef::Real(f.into()))
        }
        Type::NUMERIC => match r.try_get::<_, Option<Decimal>>(idx).map_err(fail)? {
            None => ValueRef::Null,
            // SUM() of a bigint is numeric on PostgreSQL; the store only sums whole 分.
            Some(d) if d.fract().is_zero() => {
                ValueRef::Int(d.to_i64().ok_or_else(|| Error::Conversion(idx, format!("{d} is too large")))?)
            }
            Some(d) => ValueRef::Real(d.to_f64().unwrap_or(f64::NAN)),
        },
        Type::BYTEA => r.try_get::<_, Option<&[u8]>>(idx).map_err(fail)?.map_or(ValueRef::Null, ValueRef::Blob),
        _ => r.try_get::<_, Option<&str>>(idx).map_err(fail)?.map_or(ValueRef::Null, ValueRef::Text),
    };
    convert(v)
}

/// Parameters for PostgreSQL: each value is encoded as the type the server inferred for it.
impl PgToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        // A domain (information_schema's sql_identifier, say) travels as its base type.
        if let postgres::types::Kind::Domain(base) = ty.kind() {
            return self.to_sql(base, out);
        }
        let text_like = matches!(*ty, Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN);
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::NUMERIC => Decimal::from(*i).to_sql(ty, out),
                _ if text_like => i.to_string().as_str().to_sql(ty, out),
                _ => Err(format!("cannot send an integer as {ty}").into()),
            },
            Value::Real(f) => match *ty {
                Type::FLOAT8 => f.to_sql(ty, out),
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                Type::NUMERIC => Decimal::try_from(*f)?.to_sql(ty, out),
                _ if text_like => f.to_string().as_str().to_sql(ty, out),
                _ => Err(format!("cannot send a real as {ty}").into()),
            },
            Value::Text(s) => match *ty {
                Type::INT8 => s.parse::<i64>()?.to_sql(ty, out),
                Type::INT4 => s.parse::<i32>()?.to_sql(ty, out),
                Type::BYTEA => s.as_bytes().to_sql(ty, out),
                _ if text_like => s.as_str().to_sql(ty, out),
                // Binary format: text sent as another type would be read as that type's bytes.
                _ => Err(format!("cannot send text as {ty}").into()),
            },
            Value::Blob(b) => match *ty {
                Type::BYTEA => b.as_slice().to_sql(ty, out),
                _ if text_like => std::str::from_utf8(b)?.to_sql(ty, out),
                _ => Err(format!("cannot send bytes as {ty}").into()),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// SQLite parameters: the value as rusqlite's own.
impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef as R};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => R::Null,
            Value::Int(i) => R::Integer(*i),
            Value::Real(f) => R::Real(*f),
            Value::Text(s) => R::Text(s.as_bytes()),
            Value::Blob(b) => R::Blob(b),
        }))
    }
}

/// Rewrites SQLite's numbered parameters (`?1`, or bare `?`) as PostgreSQL's `$1`, leaving
/// quoted text alone. (PostgreSQL infers a parameter's type from its first use, so a parameter
/// only tested with `IS NULL` is written `CAST(?1 AS BIGINT) IS NULL` in the store's SQL.)
pub fn to_pg_sql(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut next_bare = 0;
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                if digits.is_empty() {
                    next_bare += 1;
                    digits = next_bare.to_string();
                } else {
                    next_bare = next_bare.max(digits.parse().unwrap_or(0));
                }
                out.push('$');
                out.push_str(&digits);
            }
            None => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Connections inside a transaction

/// Which engine a statement runs on, for the few places that must say things differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A PostgreSQL transaction with the connection's prepared statements.
pub(super) struct PgTx<'c> {
    pub(super) tx: postgres::Transaction<'c>,
    pub(super) statements: &'c mut HashMap<String, postgres::Statement>,
}

impl PgTx<'_> {
    fn statement(&mut self, sql: &str) -> Result<postgres::Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.tx.prepare(&to_pg_sql(sql)).inspect_err(|e| log::warn!("PostgreSQL refused {sql:?}: {e:?}"))?;
        self.statements.insert(sql.to_string(), s.clone());
        Ok(s)
    }

    fn rows(&mut self, sql: &str, values: &[Value]) -> Result<Vec<postgres::Row>> {
        let stmt = self.statement(sql)?;
        let refs: Vec<&(dyn PgToSql + Sync)> = values.iter().map(|v| v as &(dyn PgToSql + Sync)).collect();
        Ok(self.tx.query(&stmt, &refs)?)
    }

    /// Rows one at a time from the server, not all at once (a whole table when copying).
    fn stream(&mut self, sql: &str, values: &[Value], mut f: impl FnMut(&postgres::Row) -> Result<bool>) -> Result<()> {
        use postgres::fallible_iterator::FallibleIterator;
        let stmt = self.statement(sql)?;
        let mut rows = self.tx.query_raw(&stmt, values.iter())?;
        while let Some(r) = rows.next()? {
            if !f(&r)? {
                break;
            }
        }
        Ok(())
    }

    fn execute(&mut self, sql: &str, values: &[Value]) -> Result<u64> {
        let stmt = self.statement(sql)?;
        let refs: Vec<&(dyn PgToSql + Sync)> = values.iter().map(|v| v as &(dyn PgToSql + Sync)).collect();
        Ok(self.tx.execute(&stmt, &refs)?)
    }
}

/// The connection a repository method sees inside [`super::Tx`].
pub struct Conn<'c> {
    inner: Inner<'c>,
}

enum Inner<'c> {
    Sqlite(&'c rusqlite::Connection),
    Pg(RefCell<PgTx<'c>>),
}

impl<'c> Conn<'c> {
    pub(super) fn sqlite(conn: &'c rusqlite::Connection) -> Conn<'c> {
        Conn { inner: Inner::Sqlite(conn) }
    }

    pub(super) fn postgres(tx: PgTx<'c>) -> Conn<'c> {
        Conn { inner: Inner::Pg(RefCell::new(tx)) }
    }

    /// Gives the PostgreSQL transaction back to commit or roll it back.
    pub(super) fn into_pg(self) -> Option<PgTx<'c>> {
        match self.inner {
            Inner::Pg(tx) => Some(tx.into_inner()),
            Inner::Sqlite(_) => None,
        }
    }

    pub fn engine(&self) -> Engine {
        match self.inner {
            Inner::Sqlite(_) => Engine::Sqlite,
            Inner::Pg(_) => Engine::Postgres,
        }
    }

    /// Runs one statement; returns how many rows it changed.
    pub fn execute(&self, sql: &str, params: impl Params) -> Result<usize> {
        let values = params.into_values();
        match &self.inner {
            Inner::Sqlite(c) => Ok(c.prepare_cached(sql)?.execute(rusqlite::params_from_iter(values.iter()))?),
            Inner::Pg(tx) => Ok(tx.borrow_mut().execute(sql, &values)? as usize),
        }
    }

    /// The first row mapped by `f`; [`Error::NoRows`] when there is none.
    pub fn query_row<T>(&self, sql: &str, params: impl Params, f: impl FnOnce(&Row<'_>) -> Result<T>) -> Result<T> {
        let mut f = Some(f);
        let mut out = None;
        self.each(sql, params.into_values(), |r| {
            if let Some(f) = f.take() {
                out = Some(f(r)?);
            }
            Ok(false)
        })?;
        out.ok_or(Error::NoRows)
    }

    /// Every row mapped by `f`.
    pub fn query_map<T>(
        &self,
        sql: &str,
        params: impl Params,
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.each(sql, params.into_values(), |r| {
            out.push(f(r)?);
            Ok(true)
        })?;
        Ok(out)
    }

    /// Calls `f` on each row until it returns `Ok(false)`; rows are not collected.
    pub fn each(&self, sql: &str, values: Vec<Value>, mut f: impl FnMut(&Row<'_>) -> Result<bool>) -> Result<()> {
        match &self.inner {
            Inner::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
                while let Some(r) = rows.next()? {
                    if !f(&Row::Sqlite(r))? {
                        break;
                    }
                }
                Ok(())
            }
            Inner::Pg(tx) => {
                let rows = tx.borrow_mut().rows(sql, &values)?;
                for r in &rows {
                    if !f(&Row::Pg(r))? {
                        break;
                    }
                }
                Ok(())
            }
        }
    }

    /// As [`Conn::each`], but on the server the rows arrive one at a time instead of all at once.
    /// `f` must not use this connection (it is busy reading); `each` allows that.
    pub fn stream(&self, sql: &str, values: Vec<Value>, mut f: impl FnMut(&Row<'_>) -> Result<bool>) -> Result<()> {
        match &self.inner {
            Inner::Sqlite(_) => self.each(sql, values, f),
            Inner::Pg(tx) => tx.borrow_mut().stream(sql, &values, |r| f(&Row::Pg(r))),
        }
    }

    /// The id of the row the last INSERT made (its identity column on PostgreSQL).
    pub fn last_insert_rowid(&self) -> Result<i64> {
        match &self.inner {
            Inner::Sqlite(c) => Ok(c.last_insert_rowid()),
            Inner::Pg(tx) => {
                let rows = tx.borrow_mut().rows("SELECT lastval()", &[])?;
                rows.first().ok_or(Error::NoRows).and_then(|r| Row::Pg(r).get(0))
            }
        }
    }

    /// A statement to run with several parameter sets, as rusqlite's `prepare`.
    pub fn prepare(&self, sql: &str) -> Result<Stmt<'_, 'c>> {
        Ok(Stmt { conn: self, sql: sql.to_string() })
    }
}

/// A prepared statement (both engines cache the real one per connection).
pub struct Stmt<'a, 'c> {
    conn: &'a Conn<'c>,
    sql: String,
}

impl Stmt<'_, '_> {
    /// Every row mapped by `f`, as an iterator of results (as rusqlite's `query_map`).
    pub fn query_map<T>(
        &mut self,
        params: impl Params,
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let mut out = Vec::new();
        self.conn.each(&self.sql, params.into_values(), |r| {
            out.push(f(r));
            Ok(true)
        })?;
        Ok(out.into_iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_and_bare_parameters_become_dollars() {
        assert_eq!(to_pg_sql("SELECT a FROM t WHERE b = ?1 AND c = ?12"), "SELECT a FROM t WHERE b = $1 AND c = $12");
        assert_eq!(to_pg_sql("INSERT INTO t VALUES (?, ?, ?)"), "INSERT INTO t VALUES ($1, $2, $3)");
        assert_eq!(to_pg_sql("SELECT '?1', \"a?\" FROM t WHERE x = ?2"), "SELECT '?1', \"a?\" FROM t WHERE x = $2");
    }

    #[test]
    fn sqlite_rows_convert_to_rust_values() {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        let conn = Conn::sqlite(&c);
        conn.execute("CREATE TABLE t (a INTEGER, b TEXT, c BLOB, d INTEGER)", []).unwrap();
        conn.execute("INSERT INTO t VALUES (?1, ?2, ?3, ?4)", params![7i64, "文本", vec![1u8, 2], None::<i64>])
            .unwrap();
        let (a, b, c2, d): (i64, String, Vec<u8>, Option<i64>) = conn
            .query_row("SELECT a, b, c, d FROM t", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap();
        assert_eq!((a, b.as_str(), c2, d), (7, "文本", vec![1, 2], None));
        let missing = conn.query_row("SELECT a FROM t WHERE a = ?1", [8i64], |r| r.get::<_, i64>(0)).optional();
        assert!(matches!(missing, Ok(None)));
        let wrong = conn.query_row("SELECT b FROM t", [], |r| r.get::<_, i64>(0));
        assert!(matches!(wrong, Err(Error::Conversion(0, _))));
    }
}
