//! The database's schema as the tools and resources show it, and the identifiers in it: the
//! only table and column names any generated SQL may contain, quoted for the engine.

use serde::Serialize;

/// Every table and view the connection can read.
#[derive(Serialize, schemars::JsonSchema, Clone, Debug)]
pub struct Schema {
    /// `sqlite` or `postgresql`: the SQL dialect to write.
    pub engine: String,
    /// Tables and views, by name.
    pub tables: Vec<Table>,
}

/// One table or view.
#[derive(Serialize, schemars::JsonSchema, Clone, Debug)]
pub struct Table {
    /// The name to use in SQL and in the tools (PostgreSQL: `schema.table` outside the search path).
    pub name: String,
    /// `table`, `view`, `materialized view` or `foreign table`.
    pub kind: String,
    /// The columns, in table order.
    pub columns: Vec<Column>,
    /// The primary key's columns, in key order; empty without one.
    pub primary_key: Vec<String>,
    /// References to other tables.
    pub foreign_keys: Vec<ForeignKey>,
    /// The quoted reference generated SQL uses (`"schema"."table"`); never sent.
    #[serde(skip)]
    pub reference: String,
}

/// One column of a table.
#[derive(Serialize, schemars::JsonSchema, Clone, Debug)]
pub struct Column {
    /// The column's name.
    pub name: String,
    /// Its type as declared (SQLite: the declared type, possibly empty; PostgreSQL: `format_type`).
    #[serde(rename = "type")]
    pub type_name: String,
    /// Whether it may hold NULL.
    pub nullable: bool,
    /// Whether it is part of the primary key.
    pub primary_key: bool,
    /// The default value's SQL expression, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

/// A foreign key: `columns` refer to `referenced_columns` of `references`.
#[derive(Serialize, schemars::JsonSchema, Clone, Debug)]
pub struct ForeignKey {
    /// The referring columns of this table.
    pub columns: Vec<String>,
    /// The referenced table.
    pub references: String,
    /// The referenced columns (empty: the referenced table's primary key).
    pub referenced_columns: Vec<String>,
}

/// A table with its size, as `describe_table` and `db://tables/{table}` show it.
#[derive(Serialize, schemars::JsonSchema, Clone, Debug)]
pub struct TableDescription {
    /// The table, its fields inline.
    #[serde(flatten)]
    pub table: Table,
    /// The exact number of rows (`count(*)`).
    pub row_count: i64,
}

/// One line of `list_tables`.
#[derive(Serialize, schemars::JsonSchema, Clone, Debug)]
pub struct TableSummary {
    /// The table's name.
    pub name: String,
    /// `table`, `view`, ...
    pub kind: String,
    /// Its column names, in order.
    pub columns: Vec<String>,
}

/// The tables of a database.
#[derive(Serialize, schemars::JsonSchema, Clone, Debug)]
pub struct TableList {
    /// `sqlite` or `postgresql`: the SQL dialect to write.
    pub engine: String,
    /// Every table and view.
    pub tables: Vec<TableSummary>,
}

impl Schema {
    /// The table called exactly `name`.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|table| table.name == name)
    }

    /// The table names, for an error message that helps choose.
    pub fn names(&self) -> String {
        let names: Vec<&str> = self.tables.iter().map(|table| table.name.as_str()).collect();
        if names.is_empty() { "(none)".to_owned() } else { names.join(", ") }
    }

    /// The summary `list_tables` returns.
    pub fn summary(&self) -> TableList {
        TableList {
            engine: self.engine.clone(),
            tables: self
                .tables
                .iter()
                .map(|table| TableSummary {
                    name: table.name.clone(),
                    kind: table.kind.clone(),
                    columns: table.columns.iter().map(|column| column.name.clone()).collect(),
                })
                .collect(),
        }
    }
}

impl Table {
    /// The named column, quoted for SQL, or why there is none.
    pub fn quoted_column(&self, name: &str) -> Result<String, String> {
        if self.columns.iter().any(|column| column.name == name) {
            Ok(quote(name))
        } else {
            let names: Vec<&str> = self.columns.iter().map(|column| column.name.as_str()).collect();
            Err(format!("`{}` has no column `{name}`; its columns are: {}", self.name, names.join(", ")))
        }
    }
}

/// An identifier quoted for SQLite and PostgreSQL alike: in double quotes, inner ones doubled.
/// Only names read from the schema reach it, so quoting is for names with spaces, capitals or
/// quotes, not a defence against injection (the allow-list is).
pub fn quote(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}
