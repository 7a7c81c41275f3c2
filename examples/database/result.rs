//! A query's result as the tools return it, and the collector that fills it row by row while
//! keeping to the row cap.

use serde::Serialize;
use serde_json::Value;
use sqlx::{Column, Row, TypeInfo};

/// One column of a result.
#[derive(Serialize, schemars::JsonSchema, Clone, Debug)]
pub struct ResultColumn {
    /// The column's name as the query named it.
    pub name: String,
    /// Its type as the database reports it (SQLite: the declared type, empty for expressions).
    #[serde(rename = "type")]
    pub type_name: String,
}

/// Rows returned by a query.
#[derive(Serialize, schemars::JsonSchema, Debug)]
pub struct QueryResult {
    /// The columns, in order.
    pub columns: Vec<ResultColumn>,
    /// The rows, each an array of values in column order: numbers, strings, booleans, null,
    /// JSON for json columns; see `notes` for the values JSON has no type for.
    #[schemars(schema_with = "rows_schema")]
    pub rows: Vec<Vec<Value>>,
    /// How many rows `rows` holds.
    pub row_count: usize,
    /// Whether there were more rows than returned (the row cap, or the page asked for).
    pub truncated: bool,
    /// The `offset` of the next page, when `truncated` (from `get_table_data`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_offset: Option<u64>,
    /// How to read values that JSON cannot carry as they are, and what was left out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The schema of `rows`, with each value's possible types said outright: `Value`'s own schema
/// is the bare `true`, which strict schema linters (and some clients) reject.
fn rows_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "array",
        "items": {
            "type": "array",
            "items": {"type": ["string", "number", "boolean", "null", "array", "object"]}
        }
    })
}

/// Kinds of value met while converting rows, each of which earns the reader a note.
#[derive(Default, Debug, Clone, Copy)]
pub struct Seen {
    /// Binary values, shown as hex.
    pub binary: bool,
    /// Arbitrary-precision numbers, shown as strings.
    pub decimal: bool,
    /// Types without a JSON form, shown as a placeholder.
    pub unsupported: bool,
    /// Floating-point values JSON cannot hold (NaN, infinities), shown as strings.
    pub non_finite: bool,
}

/// The error that stops a fetch once the row cap is passed. sqlx's row stream stops (and the
/// statement with it) when a row mapper fails, and this crate has no `futures` dependency to
/// break out of the stream by hand, so the cap is a mapper that fails on the row past it.
const ROW_CAP_REACHED: &str = "the row cap was reached";

/// Fills a [`QueryResult`] from rows as they arrive, stopping after `max_rows`.
pub struct Collector {
    max_rows: usize,
    columns: Option<Vec<ResultColumn>>,
    rows: Vec<Vec<Value>>,
    truncated: bool,
    seen: Seen,
}

impl Collector {
    /// A collector keeping at most `max_rows` rows.
    pub fn new(max_rows: usize) -> Self {
        Self { max_rows, columns: None, rows: Vec::new(), truncated: false, seen: Seen::default() }
    }

    /// Takes one row, converting each value with `convert`; fails (ending the fetch) on the
    /// row after the cap, which marks the result truncated.
    pub fn take<R: Row>(&mut self, row: R, convert: fn(&R, usize, &mut Seen) -> Value) -> Result<(), sqlx::Error> {
        if self.rows.len() == self.max_rows {
            self.truncated = true;
            return Err(sqlx::Error::Protocol(ROW_CAP_REACHED.into()));
        }
        if self.columns.is_none() {
            self.columns = Some(columns_of(row.columns()));
        }
        let values = (0..row.len()).map(|index| convert(&row, index, &mut self.seen)).collect();
        self.rows.push(values);
        Ok(())
    }

    /// Whether rows past the cap were left unread.
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }

    /// Whether no row arrived.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The fetch's outcome with the deliberate stop at the cap taken for success.
    pub fn settle<T>(&self, fetched: Result<T, sqlx::Error>) -> Result<(), sqlx::Error> {
        match fetched {
            Err(sqlx::Error::Protocol(message)) if self.truncated && message == ROW_CAP_REACHED => Ok(()),
            Err(error) => Err(error),
            Ok(_) => Ok(()),
        }
    }

    /// The result; `columns` stands in when no row arrived to name them.
    pub fn finish(self, columns: impl FnOnce() -> Vec<ResultColumn>) -> QueryResult {
        // The caller words the note on truncation: a row cap and a page call for different advice.
        let mut notes = Vec::new();
        if self.seen.binary {
            notes.push(r"binary values (BLOB, bytea) are shown as hex strings prefixed with \x".to_owned());
        }
        if self.seen.decimal {
            notes.push("numeric/decimal values are strings, so that no digit is lost".to_owned());
        }
        if self.seen.non_finite {
            notes.push("NaN and infinite floating-point values are strings".to_owned());
        }
        if self.seen.unsupported {
            notes.push("values of some types have no JSON form here; cast them to text in the query".to_owned());
        }
        QueryResult {
            columns: self.columns.unwrap_or_else(columns),
            row_count: self.rows.len(),
            rows: self.rows,
            truncated: self.truncated,
            next_offset: None,
            notes,
        }
    }
}

/// Names and types of a row's columns.
pub fn columns_of<C: Column>(columns: &[C]) -> Vec<ResultColumn> {
    columns
        .iter()
        .map(|column| ResultColumn { name: column.name().to_owned(), type_name: column.type_info().name().to_owned() })
        .collect()
}

/// `\x` and the bytes in hex, as PostgreSQL prints bytea.
pub fn hex(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(2 + 2 * bytes.len());
    text.push_str(r"\x");
    for byte in bytes {
        text.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        text.push(char::from_digit(u32::from(byte & 0xf), 16).unwrap_or('0'));
    }
    text
}

/// A float as JSON: a number when finite, else the string PostgreSQL would print.
pub fn float(value: f64, seen: &mut Seen) -> Value {
    serde_json::Number::from_f64(value).map(Value::Number).unwrap_or_else(|| {
        seen.non_finite = true;
        Value::String(
            if value.is_nan() {
                "NaN"
            } else if value > 0.0 {
                "Infinity"
            } else {
                "-Infinity"
            }
            .to_owned(),
        )
    })
}
