//! SQLite values as JSON. SQLite types values, not columns, so each value is converted by its
//! own storage class: INTEGER, REAL, TEXT, BLOB or NULL.

use serde_json::Value;
use sqlx::{Decode, Row, Sqlite, TypeInfo, ValueRef, sqlite::SqliteRow};

use crate::result::{self, Seen};

/// Column `index` of `row` as JSON.
pub fn to_json(row: &SqliteRow, index: usize, seen: &mut Seen) -> Value {
    let Ok(value) = row.try_get_raw(index) else {
        return Value::Null;
    };
    if value.is_null() {
        return Value::Null;
    }
    // Decoding by storage class, not by declared type, cannot fail for the class named, but a
    // failure still becomes a visible placeholder rather than a panic.
    let storage_class = value.type_info().name().to_owned();
    let converted = match storage_class.as_str() {
        "INTEGER" => <i64 as Decode<Sqlite>>::decode(value).map(Value::from),
        "REAL" => <f64 as Decode<Sqlite>>::decode(value).map(|float| result::float(float, seen)),
        "TEXT" => <&[u8] as Decode<Sqlite>>::decode(value).map(|bytes| match std::str::from_utf8(bytes) {
            Ok(text) => Value::String(text.to_owned()),
            // Text that is not UTF-8 is shown as the bytes it is.
            Err(_) => binary(bytes, seen),
        }),
        _ => <&[u8] as Decode<Sqlite>>::decode(value).map(|bytes| binary(bytes, seen)),
    };
    converted.unwrap_or_else(|error| {
        seen.unsupported = true;
        Value::String(format!("<{storage_class} value not shown: {error}>"))
    })
}

/// Bytes as hex, noting that the result holds some.
fn binary(bytes: &[u8], seen: &mut Seen) -> Value {
    seen.binary = true;
    Value::String(result::hex(bytes))
}
