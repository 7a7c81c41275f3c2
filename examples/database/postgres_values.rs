//! PostgreSQL values as JSON, decoded by sqlx's own decoders (its chrono, uuid, json,
//! bigdecimal and ipnetwork features): the column's type picks the Rust type, and the Rust value
//! becomes JSON. Arrays go element by element through the same conversion. Types without a
//! decoder here (geometry, ranges, composites, multi-dimensional arrays) show a placeholder that
//! says to cast them to text, never a panic.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Utc};
use serde_json::Value;
use sqlx::{
    Decode, Postgres, Row, Type, TypeInfo, ValueRef,
    error::BoxDynError,
    postgres::{
        PgRow, PgTypeInfo, PgTypeKind, PgValueRef,
        types::{Oid, PgInterval, PgTimeTz},
    },
    types::{BigDecimal, Uuid, ipnetwork::IpNetwork},
};

use crate::result::{self, Seen};

/// Column `index` of `row` as JSON.
pub fn to_json(row: &PgRow, index: usize, seen: &mut Seen) -> Value {
    match row.try_get_raw(index) {
        Ok(value) => convert(value, seen),
        Err(_) => Value::Null,
    }
}

/// One value (a column's, or an array element's) as JSON.
fn convert(value: PgValueRef<'_>, seen: &mut Seen) -> Value {
    if value.is_null() {
        return Value::Null;
    }
    let type_info = value.type_info().into_owned();
    match decode(&type_info, value, seen) {
        Ok(Some(json)) => json,
        Ok(None) => placeholder(type_info.name(), None, seen),
        Err(error) => placeholder(type_info.name(), Some(&error), seen),
    }
}

/// What a value without a decoder here (or one its decoder refused) shows instead.
fn placeholder(type_name: &str, problem: Option<&BoxDynError>, seen: &mut Seen) -> Value {
    seen.unsupported = true;
    let problem = problem.map(|problem| format!(" ({problem})")).unwrap_or_default();
    Value::String(format!("<{type_name} value not shown{problem}: cast it to text in the query, e.g. `column::text`>"))
}

/// sqlx's decoder for `T`, without its column-type check: the match below already chose `T`
/// from the type, and enums and domains decode as their labels and base types.
fn get<'r, T: Decode<'r, Postgres>>(value: PgValueRef<'r>) -> Result<T, BoxDynError> {
    T::decode(value)
}

/// The value as JSON by its type; `None` for a type without a decoder here.
fn decode(type_info: &PgTypeInfo, value: PgValueRef<'_>, seen: &mut Seen) -> Result<Option<Value>, BoxDynError> {
    let name = type_info.name();
    Ok(Some(match name {
        "BOOL" => Value::Bool(get(value)?),
        "INT2" => Value::from(get::<i16>(value)?),
        "INT4" => Value::from(get::<i32>(value)?),
        "INT8" => Value::from(get::<i64>(value)?),
        "OID" => Value::from(get::<Oid>(value)?.0),
        "FLOAT4" => result::float(f64::from(get::<f32>(value)?), seen),
        "FLOAT8" => result::float(get::<f64>(value)?, seen),
        // Exact, as text: a JSON number would be read as a binary float by most clients.
        "NUMERIC" => {
            seen.decimal = true;
            Value::String(get::<BigDecimal>(value)?.to_string())
        }
        "TEXT" | "VARCHAR" | "BPCHAR" | "NAME" | "CITEXT" | "UNKNOWN" | "XML" => Value::String(get(value)?),
        "\"CHAR\"" | "CHAR" => Value::String(char::from(get::<i8>(value)?.cast_unsigned()).to_string()),
        "JSON" | "JSONB" => get::<Value>(value)?,
        "UUID" => Value::String(get::<Uuid>(value)?.to_string()),
        "DATE" => Value::String(get::<NaiveDate>(value)?.to_string()),
        "TIME" => Value::String(clock(get(value)?)),
        "TIMETZ" => {
            let time: PgTimeTz<NaiveTime, FixedOffset> = get(value)?;
            Value::String(format!("{}{}", clock(time.time), time.offset))
        }
        "TIMESTAMP" => {
            let at: NaiveDateTime = get(value)?;
            Value::String(format!("{}T{}", at.date(), clock(at.time())))
        }
        "TIMESTAMPTZ" => Value::String(get::<DateTime<Utc>>(value)?.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
        "INTERVAL" => Value::String(iso_duration(&get(value)?)),
        "BYTEA" => {
            seen.binary = true;
            Value::String(result::hex(&get::<Vec<u8>>(value)?))
        }
        "INET" | "CIDR" => Value::String(network(get(value)?, name == "CIDR")),
        _ if name.ends_with("[]") => array(value, seen)?,
        _ => match type_info.kind() {
            PgTypeKind::Enum(_) => Value::String(get(value)?),
            PgTypeKind::Domain(base) => return decode(base, value, seen),
            _ => return Ok(None),
        },
    }))
}

/// A one-dimensional array, each element converted like a column's value.
fn array(value: PgValueRef<'_>, seen: &mut Seen) -> Result<Value, BoxDynError> {
    let elements: Vec<Option<Element>> = get(value)?;
    Ok(Value::Array(
        elements
            .into_iter()
            .map(|element| match element {
                None => Value::Null,
                Some(Element(json, also)) => {
                    seen.binary |= also.binary;
                    seen.decimal |= also.decimal;
                    seen.unsupported |= also.unsupported;
                    seen.non_finite |= also.non_finite;
                    json
                }
            })
            .collect(),
    ))
}

/// An array element, so sqlx's array decoder can hand each one to [`convert`].
struct Element(Value, Seen);

impl Type<Postgres> for Element {
    fn type_info() -> PgTypeInfo {
        // Never consulted: elements are decoded by their own type, which the array names.
        PgTypeInfo::with_name("unknown")
    }
}

impl<'r> Decode<'r, Postgres> for Element {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        let mut seen = Seen::default();
        let json = convert(value, &mut seen);
        Ok(Self(json, seen))
    }
}

/// `HH:MM:SS`, with a fraction only when there is one, and without trailing zeros.
fn clock(time: NaiveTime) -> String {
    let text = time.format("%H:%M:%S%.6f").to_string();
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// An `inet` as its address when it names one host, with its prefix otherwise (and always for `cidr`).
fn network(network: IpNetwork, cidr: bool) -> String {
    let host = match network {
        IpNetwork::V4(_) => 32,
        IpNetwork::V6(_) => 128,
    };
    if !cidr && network.prefix() == host { network.ip().to_string() } else { network.to_string() }
}

/// An ISO 8601 duration (`P1Y2M3DT4H5M6.5S`) from PostgreSQL's interval parts; like
/// PostgreSQL's own `iso_8601` style, each part keeps its sign, since the parts are independent.
fn iso_duration(interval: &PgInterval) -> String {
    use std::fmt::Write;
    let mut text = String::from("P");
    let (years, months) = (interval.months / 12, interval.months % 12);
    for (amount, unit) in [(years, 'Y'), (months, 'M'), (interval.days, 'D')] {
        if amount != 0 {
            let _ = write!(text, "{amount}{unit}");
        }
    }
    let micros = interval.microseconds;
    if micros != 0 {
        text.push('T');
        let (hours, minutes) = (micros / 3_600_000_000, micros / 60_000_000 % 60);
        let (seconds, fraction) = (micros / 1_000_000 % 60, micros % 1_000_000);
        if hours != 0 {
            let _ = write!(text, "{hours}H");
        }
        if minutes != 0 {
            let _ = write!(text, "{minutes}M");
        }
        if seconds != 0 || fraction != 0 {
            let sign = if seconds == 0 && fraction < 0 { "-" } else { "" };
            let _ = write!(text, "{sign}{seconds}");
            if fraction != 0 {
                let digits = format!("{:06}", fraction.abs());
                let _ = write!(text, ".{}", digits.trim_end_matches('0'));
            }
            text.push('S');
        }
    }
    if text == "P" { "PT0S".to_owned() } else { text }
}
