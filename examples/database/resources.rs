//! The resources: the whole schema (`db://schema`) and each table (`db://tables/{table}`), both
//! JSON and both under the scope `database:read`.

use mcp_runtime::{prelude::*, resource::Resource};

use crate::{
    database::Database,
    schema::{Schema, TableDescription},
    scopes::Scope,
    tools,
};

/// The whole schema: every table and view with its columns (type, nullability, default),
/// primary key and foreign keys, and the SQL dialect.
#[mcp_resource(uri = "db://schema", mime_type = "application/json", scopes = [Scope::Read])]
pub async fn database_schema(db: State<Database>) -> Result<Json<Schema>, ToolError> {
    Ok(Json((*db.refresh().await?).clone()))
}

/// One table or view: its columns (type, nullability, default), primary key, foreign keys and
/// exact row count.
#[mcp_resource(
    uri = "db://tables/{table}",
    list = table_resources,
    mime_type = "application/json",
    scopes = [Scope::Read]
)]
pub async fn table(ctx: Context, db: State<Database>, table: String) -> Result<Json<TableDescription>, ToolError> {
    Ok(Json(tools::describe(&ctx, &db, "resource db://tables", &table).await?))
}

/// One `db://tables/...` resource per table, for clients that browse resources.
async fn table_resources(ctx: Context) -> Vec<Resource> {
    let Some(db) = ctx.state::<Database>() else {
        return Vec::new();
    };
    let Ok(schema) = db.schema().await else {
        return Vec::new();
    };
    schema
        .tables
        .iter()
        .map(|table| {
            Resource::new(format!("db://tables/{}", percent_encode(&table.name)), table.name.clone())
                .with_description(format!("The {} `{}`: columns, keys and row count.", table.kind, table.name))
                .with_mime_type("application/json")
        })
        .collect()
}

/// `name` with every byte outside RFC 3986's unreserved set percent-encoded, as a URI needs.
fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(byte).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}
