//! The database example end to end over stdio through rmcp's client: every tool and both
//! resources, the SQL write corpus refused through `query` with the data verifiably unchanged,
//! identifiers checked against the schema, the row cap and the statement timeout, `execute` only
//! with `--allow-write`, and scopes over HTTP.
//!
//! Each check runs on the SQLite demo (a scratch `--demo-path`) and, with the same code, on
//! PostgreSQL in a scratch schema of the server `MCP_TEST_POSTGRES_URL` names
//! (`eval "$(scripts/postgres.sh start)"`). Without that variable the PostgreSQL tests say they
//! were skipped, unless `CI` is set: there they fail, so that CI never skips them silently.

use std::{
    io::Write,
    path::PathBuf,
    sync::atomic::{AtomicUsize, Ordering},
    time::{Duration, Instant},
};

use mcp_runtime::testing::{TestClient, text_of};
use rmcp::model::{CallToolResult, ResourceContents};
use serde_json::{Value, json};

mod support;

/// Where one test's data lives; each test gets its own, so tests never share state.
enum Fixture {
    /// The demo database, built by the server in a scratch directory.
    Sqlite { directory: tempfile::TempDir },
    /// A scratch schema on the test server, with the same shop tables (smaller) and a table of
    /// every type the value conversion knows.
    Postgres { url: String, schema: String, admin: sqlx::PgPool },
}

impl Fixture {
    fn sqlite() -> Self {
        Fixture::Sqlite { directory: tempfile::tempdir().unwrap() }
    }

    /// A fresh schema on the PostgreSQL test server, or `None` (after saying so) without one.
    async fn postgres() -> Option<Self> {
        let Ok(base) = std::env::var("MCP_TEST_POSTGRES_URL") else {
            assert!(
                std::env::var_os("CI").is_none(),
                "MCP_TEST_POSTGRES_URL is not set, and CI must not skip the PostgreSQL tests: \
                 run `eval \"$(scripts/postgres.sh start)\"` first"
            );
            // Written to stderr itself, past the test harness's capture, so that a passing run shows it.
            let _ = writeln!(
                std::io::stderr(),
                "skipped: PostgreSQL tests need a server; run `eval \"$(scripts/postgres.sh start)\"`"
            );
            return None;
        };
        static SCHEMAS: AtomicUsize = AtomicUsize::new(0);
        let schema = format!("test_{}_{}", std::process::id(), SCHEMAS.fetch_add(1, Ordering::Relaxed));
        let admin = sqlx::PgPool::connect(&base).await.expect("the PostgreSQL test server accepts the test role");
        sqlx::raw_sql(&POSTGRES_FIXTURE.replace("{schema}", &schema)).execute(&admin).await.unwrap();
        let separator = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{separator}options[search_path]={schema}");
        Some(Fixture::Postgres { url, schema, admin })
    }

    /// The arguments that point the server at this fixture.
    fn arguments(&self) -> Vec<String> {
        match self {
            Fixture::Sqlite { directory } => {
                vec!["--demo-path".into(), directory.path().join("demo.sqlite3").display().to_string()]
            }
            Fixture::Postgres { url, .. } => vec!["--database-url".into(), url.clone()],
        }
    }

    fn command(&self, extra: &[&str]) -> tokio::process::Command {
        let mut command = support::example("database");
        command.env_remove("DATABASE_URL").args(self.arguments()).args(extra);
        command
    }

    async fn serve(&self, extra: &[&str]) -> TestClient {
        TestClient::spawn(self.command(extra)).await.unwrap()
    }

    fn is_sqlite(&self) -> bool {
        matches!(self, Fixture::Sqlite { .. })
    }

    /// A scratch path inside the fixture's directory (SQLite only): where refused statements
    /// would have written.
    fn scratch(&self, name: &str) -> PathBuf {
        match self {
            Fixture::Sqlite { directory } => directory.path().join(name),
            Fixture::Postgres { .. } => std::env::temp_dir().join(name),
        }
    }

    /// Everything a write could change, read past the server: row counts, a sum, the tables.
    async fn fingerprint(&self) -> String {
        match self {
            Fixture::Sqlite { directory } => {
                let options = sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(directory.path().join("demo.sqlite3"))
                    .read_only(true);
                let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
                let fingerprint = sqlx::query_scalar(SQLITE_FINGERPRINT).fetch_one(&pool).await.unwrap();
                pool.close().await;
                fingerprint
            }
            Fixture::Postgres { schema, admin, .. } => {
                sqlx::query_scalar(POSTGRES_FINGERPRINT).bind(schema).fetch_one(admin).await.unwrap()
            }
        }
    }

    /// The number of rows in `table`, counted past the server.
    async fn count(&self, table: &str) -> i64 {
        let sql = format!("SELECT count(*) FROM {table}");
        match self {
            Fixture::Sqlite { directory } => {
                let options = sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(directory.path().join("demo.sqlite3"))
                    .read_only(true);
                let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
                let count = sqlx::query_scalar(&sql).fetch_one(&pool).await.unwrap();
                pool.close().await;
                count
            }
            Fixture::Postgres { schema, admin, .. } => {
                let sql = format!("SELECT count(*) FROM {schema}.{table}");
                sqlx::query_scalar(&sql).fetch_one(admin).await.unwrap()
            }
        }
    }

    /// Drops the scratch schema (the SQLite directory goes when dropped).
    async fn finish(self) {
        if let Fixture::Postgres { schema, admin, .. } = self {
            sqlx::raw_sql(&format!("DROP SCHEMA {schema} CASCADE")).execute(&admin).await.unwrap();
            admin.close().await;
        }
    }
}

const SQLITE_FINGERPRINT: &str = "
SELECT (SELECT count(*) FROM customers) || ' ' || (SELECT count(*) FROM products) || ' ' ||
       (SELECT count(*) FROM orders) || ' ' || (SELECT count(*) FROM order_items) || ' ' ||
       (SELECT total(price) FROM products) || ' ' || (SELECT group_concat(name) FROM customers) || ' ' ||
       (SELECT group_concat(name || ':' || sql, ';') FROM (SELECT name, sql FROM sqlite_schema ORDER BY name))";

const POSTGRES_FINGERPRINT: &str = "
SELECT (SELECT count(*) FROM customers) || ' ' || (SELECT count(*) FROM products) || ' ' ||
       (SELECT count(*) FROM orders) || ' ' || (SELECT count(*) FROM order_items) || ' ' ||
       (SELECT sum(price) FROM products) || ' ' || (SELECT string_agg(name, ',' ORDER BY id) FROM customers) || ' ' ||
       (SELECT string_agg(c.relname || ':' || c.relkind::text || ':' || c.relnatts, ',' ORDER BY c.relname)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1)";

/// The shop, smaller than the SQLite demo, plus `kitchen_sink`, a row of every type the value
/// conversion knows and a row of NULLs; `{schema}` is the scratch schema.
const POSTGRES_FIXTURE: &str = r#"
CREATE SCHEMA {schema};
SET search_path = {schema};
CREATE TABLE customers (
    id integer PRIMARY KEY, name text NOT NULL, email text NOT NULL UNIQUE, country text NOT NULL,
    city text, signed_up_at timestamptz NOT NULL, is_active boolean NOT NULL DEFAULT true);
CREATE TABLE products (
    id integer PRIMARY KEY, sku text NOT NULL UNIQUE, name text NOT NULL, category text NOT NULL,
    price numeric(10, 2) NOT NULL CHECK (price > 0), stock integer NOT NULL DEFAULT 0, thumbnail bytea);
CREATE TABLE orders (
    id serial PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers (id),
    ordered_at timestamptz NOT NULL, status text NOT NULL, shipped_at timestamptz, note text);
CREATE TABLE order_items (
    order_id integer NOT NULL REFERENCES orders (id), product_id integer NOT NULL REFERENCES products (id),
    quantity integer NOT NULL CHECK (quantity > 0), unit_price numeric(10, 2) NOT NULL,
    PRIMARY KEY (order_id, product_id));
CREATE VIEW order_totals AS
    SELECT o.id AS order_id, o.customer_id, o.status, sum(i.quantity * i.unit_price) AS total
    FROM orders o JOIN order_items i ON i.order_id = o.id GROUP BY o.id;
INSERT INTO customers
    SELECT g, 'Customer ' || g, 'customer' || g || '@example.com', (ARRAY['France', 'Germany', 'Japan', 'Canada'])[1 + g % 4],
           CASE WHEN g % 10 <> 0 THEN 'City ' || g % 7 END, timestamptz '2023-01-01 00:00:00+00' + g * interval '1 day', g % 9 <> 0
    FROM generate_series(1, 50) g;
INSERT INTO products
    SELECT g, 'SKU-' || lpad(g::text, 5, '0'), 'Product ' || g, (ARRAY['Books', 'Kitchen', 'Garden'])[1 + g % 3],
           1.99 + g, g * 7 % 100, CASE WHEN g % 4 = 0 THEN '\x89504e47'::bytea END
    FROM generate_series(1, 20) g;
INSERT INTO orders (id, customer_id, ordered_at, status, shipped_at)
    SELECT g, 1 + g % 50, timestamptz '2024-01-01 00:00:00+00' + g * interval '5 hours',
           (ARRAY['delivered', 'shipped', 'paid', 'pending', 'cancelled'])[1 + g % 5],
           CASE WHEN g % 5 < 2 THEN timestamptz '2024-01-03 00:00:00+00' + g * interval '5 hours' END
    FROM generate_series(1, 200) g;
SELECT setval('orders_id_seq', 200);
INSERT INTO order_items
    SELECT o, 1 + (o + k * 7) % 20, k, 2.99 + (o + k * 7) % 20 FROM generate_series(1, 200) o, generate_series(1, 2) k;
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TABLE kitchen_sink (
    id integer PRIMARY KEY, b boolean, s smallint, i integer, l bigint, r real, d double precision,
    n numeric(12, 4), t text, v varchar(10), ts timestamp, tz timestamptz, dt date, tm time, iv interval,
    u uuid, j json, jb jsonb, by bytea, ia integer[], ta text[], ip inet, m mood, pt point, nan double precision,
    grid text[], tza timestamptz[], na numeric[], net cidr, tt timetz);
INSERT INTO kitchen_sink VALUES (
    1, true, -3, 42, 9007199254740993, 1.5, 2.25, 12345.6789, 'héllo', 'var', '2024-02-29 13:45:01.25',
    '2024-02-29 13:45:01+02', '1999-12-31', '23:59:58.5', '1 year 2 mons 3 days 04:05:06.5',
    'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2]}', '{"b": null}', '\xdeadbeef', '{1,NULL,3}',
    '{a,NULL,"c d"}', '192.168.0.1', 'happy', '(1,2)', 'NaN',
    '{{a,b},{c,d}}', '{"2024-01-01 00:00:00+00"}', '{1.50,NaN}', '10.0.0.0/8', '12:30:00+05:30');
INSERT INTO kitchen_sink (id) VALUES (2);
"#;

async fn names(client: &TestClient) -> Vec<String> {
    client.list_tools().await.unwrap().into_iter().map(|tool| tool.name.into_owned()).collect()
}

fn structured(result: &CallToolResult) -> &Value {
    assert_ne!(result.is_error, Some(true), "{}", text_of(result));
    result.structured_content.as_ref().expect("structured content")
}

/// Calls `tool` and returns its structured result, which must not be an error.
async fn call(client: &TestClient, tool: &str, arguments: Value) -> Value {
    let result = client.call_tool(tool, arguments.clone()).await.unwrap();
    assert_ne!(result.is_error, Some(true), "{tool} {arguments}: {}", text_of(&result));
    structured(&result).clone()
}

/// Calls `tool`, which must fail with a tool error; its message.
async fn refused(client: &TestClient, tool: &str, arguments: Value) -> String {
    let result = client.call_tool(tool, arguments.clone()).await.unwrap();
    assert_eq!(result.is_error, Some(true), "{tool} {arguments} was not refused: {result:?}");
    text_of(&result)
}

/// The JSON text of a resource.
async fn resource(client: &TestClient, uri: &str) -> Value {
    let read = client.read_resource(uri).await.unwrap();
    let ResourceContents::TextResourceContents { text, mime_type, .. } = &read.contents[0] else { panic!("{read:?}") };
    assert_eq!(mime_type.as_deref(), Some("application/json"));
    serde_json::from_str(text).unwrap()
}

/// Runs `check` on the SQLite demo.
macro_rules! on_sqlite {
    ($name:ident, $check:ident) => {
        #[tokio::test]
        async fn $name() {
            let fixture = Fixture::sqlite();
            $check(&fixture).await;
            fixture.finish().await;
        }
    };
}

/// Runs `check` on PostgreSQL, if there is a test server.
macro_rules! on_postgres {
    ($name:ident, $check:ident) => {
        #[tokio::test]
        async fn $name() {
            let Some(fixture) = Fixture::postgres().await else { return };
            $check(&fixture).await;
            fixture.finish().await;
        }
    };
}

on_sqlite!(tools_list_snapshot, snapshot_tools_list);

/// What a model reads: every tool's description, schemas, annotations and scopes (writes on).
async fn snapshot_tools_list(fixture: &Fixture) {
    let client = fixture.serve(&["--allow-write"]).await;
    insta::assert_json_snapshot!("database_tools_list", client.list_tools().await.unwrap());
}

on_sqlite!(sqlite_every_tool_and_resource_works, every_tool_and_resource_works);
on_postgres!(postgres_every_tool_and_resource_works, every_tool_and_resource_works);

async fn every_tool_and_resource_works(fixture: &Fixture) {
    let client = fixture.serve(&[]).await;
    assert_eq!(names(&client).await, ["describe_table", "get_table_data", "list_tables", "query"]);

    let listed = call(&client, "list_tables", json!({})).await;
    assert_eq!(listed["engine"], if fixture.is_sqlite() { "sqlite" } else { "postgresql" });
    let tables: Vec<&str> = listed["tables"].as_array().unwrap().iter().filter_map(|t| t["name"].as_str()).collect();
    for table in ["customers", "order_items", "order_totals", "orders", "products"] {
        assert!(tables.contains(&table), "{table} missing from {tables:?}");
    }
    let orders = listed["tables"].as_array().unwrap().iter().find(|t| t["name"] == "orders").unwrap();
    assert_eq!(orders["columns"], json!(["id", "customer_id", "ordered_at", "status", "shipped_at", "note"]));

    let described = call(&client, "describe_table", json!({"table": "order_items"})).await;
    assert_eq!(described["kind"], "table");
    assert_eq!(described["primary_key"], json!(["order_id", "product_id"]));
    assert_eq!(described["row_count"], fixture.count("order_items").await);
    let references: Vec<&str> =
        described["foreign_keys"].as_array().unwrap().iter().filter_map(|key| key["references"].as_str()).collect();
    assert_eq!(references.len(), 2);
    assert!(references.contains(&"orders") && references.contains(&"products"), "{references:?}");
    let quantity = described["columns"].as_array().unwrap().iter().find(|c| c["name"] == "quantity").unwrap();
    assert_eq!(quantity["nullable"], false);
    assert_eq!(quantity["type"].as_str().map(str::to_lowercase).as_deref(), Some("integer"));
    let view = call(&client, "describe_table", json!({"table": "order_totals"})).await;
    assert_eq!(view["kind"], "view");
    assert_eq!(view["primary_key"], json!([]));

    let page = call(&client, "get_table_data", json!({"table": "customers", "limit": 5, "offset": 10})).await;
    assert_eq!(page["row_count"], 5);
    assert_eq!(page["rows"].as_array().unwrap().len(), 5);
    assert_eq!(page["rows"][0][0], 11, "in primary-key order");
    assert_eq!(page["truncated"], true);
    assert_eq!(page["next_offset"], 15);
    let columns =
        call(&client, "get_table_data", json!({"table": "customers", "limit": 2, "columns": ["email", "id"]})).await;
    let names: Vec<&str> = columns["columns"].as_array().unwrap().iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(names, ["email", "id"]);
    assert_eq!(columns["rows"][1][1], 2);
    let customers = fixture.count("customers").await as u64;
    let last = call(&client, "get_table_data", json!({"table": "customers", "offset": customers - 1})).await;
    assert_eq!(last["row_count"], 1);
    assert_eq!(last["truncated"], false);
    assert!(last.get("next_offset").is_none());

    let grouped = call(
        &client,
        "query",
        json!({"sql": "SELECT status, count(*) AS orders FROM orders GROUP BY status ORDER BY status"}),
    )
    .await;
    let statuses: Vec<&str> = grouped["rows"].as_array().unwrap().iter().filter_map(|row| row[0].as_str()).collect();
    assert!(statuses.contains(&"delivered") && statuses.contains(&"cancelled"), "{statuses:?}");
    let total: i64 = grouped["rows"].as_array().unwrap().iter().filter_map(|row| row[1].as_i64()).sum();
    assert_eq!(total, fixture.count("orders").await);
    assert_eq!(grouped["columns"][1]["name"], "orders");
    assert_eq!(grouped["truncated"], false);
    // No row still names the columns.
    let empty = call(&client, "query", json!({"sql": "SELECT id, name FROM customers WHERE 1 = 0"})).await;
    assert_eq!(empty["row_count"], 0);
    assert_eq!(empty["columns"][1]["name"], "name");

    let schema = resource(&client, "db://schema").await;
    assert_eq!(schema["engine"], listed["engine"]);
    let orders = schema["tables"].as_array().unwrap().iter().find(|t| t["name"] == "orders").unwrap();
    assert_eq!(orders["primary_key"], json!(["id"]));
    assert_eq!(orders["foreign_keys"][0]["references"], "customers");
    assert_eq!(orders["foreign_keys"][0]["columns"], json!(["customer_id"]));
    let table = resource(&client, "db://tables/orders").await;
    assert_eq!(table["row_count"], fixture.count("orders").await);
    assert_eq!(table["columns"][0]["name"], "id");

    let listed = client.peer().list_all_resources().await.unwrap();
    let uris: Vec<&str> = listed.iter().map(|resource| resource.uri.as_str()).collect();
    assert!(uris.contains(&"db://schema") && uris.contains(&"db://tables/customers"), "{uris:?}");
    let templates = client.peer().list_all_resource_templates().await.unwrap();
    assert_eq!(templates[0].uri_template, "db://tables/{table}");
}

on_sqlite!(sqlite_the_write_corpus_is_refused_and_nothing_changes, the_write_corpus_is_refused_and_nothing_changes);
on_postgres!(postgres_the_write_corpus_is_refused_and_nothing_changes, the_write_corpus_is_refused_and_nothing_changes);

async fn the_write_corpus_is_refused_and_nothing_changes(fixture: &Fixture) {
    let client = fixture.serve(&[]).await;
    let before = fixture.fingerprint().await;
    let evil = fixture.scratch("evil.db").display().to_string();
    let copy = fixture.scratch("copy.db").display().to_string();
    // Each statement with what the refusal must say on SQLite and on PostgreSQL (empty: the
    // statement is not a write on that engine).
    let corpus = [
        (
            "INSERT INTO customers (id, name, email, country, signed_up_at) VALUES (9999, 'x', 'x@x', 'X', '2024-01-01')",
            "INSERT into `customers`",
            "cannot execute INSERT in a read-only transaction",
        ),
        (
            "UPDATE customers SET name = 'pwned'",
            "UPDATE of `customers`",
            "cannot execute UPDATE in a read-only transaction",
        ),
        ("DELETE FROM order_items", "DELETE from `order_items`", "cannot execute DELETE in a read-only transaction"),
        (
            "REPLACE INTO products (id, sku, name, category, price) VALUES (1, 'x', 'x', 'x', 1)",
            "INSERT into `products`",
            "syntax error",
        ),
        (
            "WITH doomed AS (SELECT id FROM orders) DELETE FROM order_items WHERE order_id IN (SELECT id FROM doomed)",
            "DELETE from `order_items`",
            "in a read-only transaction",
        ),
        (
            "WITH gone AS (DELETE FROM order_items RETURNING 1) SELECT count(*) FROM gone",
            "syntax error",
            "in a read-only transaction",
        ),
        (
            "CREATE TABLE evil (x integer)",
            "changing the schema",
            "cannot execute CREATE TABLE in a read-only transaction",
        ),
        (
            "CREATE TEMP TABLE evil (x integer)",
            "changing the schema",
            "cannot execute CREATE TABLE in a read-only transaction",
        ),
        (
            "CREATE INDEX evil ON customers (name)",
            "changing the schema",
            "cannot execute CREATE INDEX in a read-only transaction",
        ),
        (
            "CREATE VIEW evil AS SELECT 1",
            "changing the schema",
            "cannot execute CREATE VIEW in a read-only transaction",
        ),
        ("DROP TABLE order_items", "changing the schema", "cannot execute DROP TABLE in a read-only transaction"),
        ("DROP VIEW order_totals", "changing the schema", "cannot execute DROP VIEW in a read-only transaction"),
        (
            "ALTER TABLE customers ADD COLUMN evil text",
            "ALTER TABLE `customers`",
            "cannot execute ALTER TABLE in a read-only transaction",
        ),
        ("SELECT 1; DROP TABLE customers", "only one SQL statement per call", "only one SQL statement per call"),
        ("SELECT 1; DELETE FROM customers; --", "only one SQL statement per call", "only one SQL statement per call"),
        (
            "/* a */ SELECT 1 /* b */; /* c */ DELETE FROM customers",
            "only one SQL statement per call",
            "only one SQL statement per call",
        ),
        (
            "SELECT 1;;; UPDATE customers SET name = 'x'",
            "only one SQL statement per call",
            "only one SQL statement per call",
        ),
        ("SELECT 1\0; DROP TABLE customers", "NUL character", "NUL character"),
        (&format!("ATTACH DATABASE '{evil}' AS evil"), "ATTACH DATABASE", "syntax error"),
        ("PRAGMA query_only = 0", "setting PRAGMA query_only", "syntax error"),
        ("PRAGMA query_only = OFF", "setting PRAGMA query_only", "syntax error"),
        ("PRAGMA journal_mode = DELETE", "setting PRAGMA journal_mode", "syntax error"),
        ("PRAGMA writable_schema = 1", "setting PRAGMA writable_schema", "syntax error"),
        ("VACUUM", "SQLite reports that this statement writes", "VACUUM cannot run inside a transaction block"),
        (&format!("VACUUM INTO '{copy}'"), "SQLite reports that this statement writes", "syntax error"),
        ("BEGIN IMMEDIATE", "transaction control", "syntax error"),
        ("REINDEX customers", "REINDEX", "syntax error"),
        // PostgreSQL lets ANALYZE run in a read-only transaction: it changes planner
        // statistics, not data, so it is not a write there and is not listed for it.
        ("ANALYZE", "ANALYZE", ""),
        ("SELECT nextval('orders_id_seq')", "no such function", "cannot execute nextval() in a read-only transaction"),
        ("SET TRANSACTION READ WRITE", "syntax error", "read-write mode must be set before any query"),
        (
            "DO $$ BEGIN DELETE FROM customers; END $$",
            "syntax error",
            "cannot execute DELETE in a read-only transaction",
        ),
        ("COPY customers TO '/tmp/customers.csv'", "syntax error", "COPY to a file"),
        ("   ", "no SQL statement", "no SQL statement"),
    ];
    for (sql, on_sqlite, on_postgres) in corpus {
        let expected = if fixture.is_sqlite() { on_sqlite } else { on_postgres };
        if expected.is_empty() {
            continue;
        }
        let message = refused(&client, "query", json!({"sql": sql})).await;
        assert!(message.contains(expected), "{sql:?}: expected {expected:?} in {message:?}");
    }
    // Statements that would loosen the session, on either engine, each followed by writes on
    // every pooled connection: the loosening is refused or does not outlive its own call.
    for loosen in [
        "COMMIT",
        "ROLLBACK",
        "SET default_transaction_read_only = off",
        "SELECT set_config('default_transaction_read_only', 'off', false)",
        "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
        "SET statement_timeout = 0",
        "RESET ALL",
        "PRAGMA query_only = 0",
    ] {
        let _ = client.call_tool("query", json!({"sql": loosen})).await.unwrap();
        for _ in 0..5 {
            let message = refused(&client, "query", json!({"sql": "DELETE FROM customers WHERE id = 1"})).await;
            assert!(message.contains("read-only"), "after {loosen:?}: {message}");
        }
    }
    assert_eq!(fixture.fingerprint().await, before, "a refused statement changed the data");
    assert!(!PathBuf::from(&evil).exists() && !PathBuf::from(&copy).exists(), "a refused statement wrote a file");
    // And reading still works, in all its forms: the engine refuses writes, not unusual reads.
    let count = call(&client, "query", json!({"sql": "SELECT count(*) FROM customers"})).await;
    assert_eq!(count["rows"][0][0], fixture.count("customers").await);
    let sum = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) SELECT sum(i) FROM n";
    let mut reads = vec![
        ("SELECT 1; -- done", json!(1)),
        ("  /* first */ SELECT count(*) FROM orders /* last */ ;  ", json!(fixture.count("orders").await)),
        (sum, json!(55)),
    ];
    if fixture.is_sqlite() {
        reads.extend([
            ("PRAGMA table_info(orders)", json!(0)),
            ("SELECT count(*) FROM pragma_foreign_key_list('order_items')", json!(2)),
            ("PRAGMA user_version", json!(0)),
            ("PRAGMA query_only", json!(1)),
        ]);
    } else {
        reads.extend([
            ("SHOW transaction_read_only", json!("on")),
            ("SELECT current_setting('statement_timeout')", json!("5s")),
        ]);
    }
    for (sql, first) in reads {
        let read = call(&client, "query", json!({"sql": sql})).await;
        assert_eq!(read["rows"][0][0], first, "{sql}: {read}");
    }
    let plan = if fixture.is_sqlite() {
        "EXPLAIN QUERY PLAN SELECT * FROM orders WHERE customer_id = 1"
    } else {
        "EXPLAIN SELECT * FROM orders WHERE customer_id = 1"
    };
    assert!(call(&client, "query", json!({"sql": plan})).await["row_count"].as_u64().unwrap() >= 1);
}

on_sqlite!(sqlite_identifiers_are_checked_against_the_schema, identifiers_are_checked_against_the_schema);
on_postgres!(postgres_identifiers_are_checked_against_the_schema, identifiers_are_checked_against_the_schema);

async fn identifiers_are_checked_against_the_schema(fixture: &Fixture) {
    let client = fixture.serve(&[]).await;
    let before = fixture.fingerprint().await;
    let hostile = [
        "customers; DROP TABLE customers",
        "customers; DROP TABLE customers; --",
        "\"customers\"",
        "customers\"; DROP TABLE customers; --",
        "customers' OR '1'='1",
        "main.customers",
        "CUSTOMERS",
        "customers ",
        "(SELECT 1)",
        "no_such_table",
        "",
    ];
    for table in hostile {
        for tool in ["get_table_data", "describe_table"] {
            let message = refused(&client, tool, json!({"table": table})).await;
            assert!(message.contains("there is no table or view named"), "{tool} {table:?}: {message}");
            assert!(message.contains("customers, "), "the message lists the tables: {message}");
        }
        let uri = format!("db://tables/{}", table.replace('%', "%25").replace(' ', "%20").replace('"', "%22"));
        if let Ok(read) = client.read_resource(&uri).await {
            panic!("{uri} was read: {read:?}");
        }
    }
    let missing = format!("{:?}", client.read_resource("db://tables/no_such_table").await.unwrap_err());
    assert!(missing.contains("-32002") && missing.contains("there is no table or view named"), "{missing}");
    for columns in [json!(["name; DROP TABLE customers"]), json!(["\"name\""]), json!(["id", "nope"]), json!(["*"])] {
        let message = refused(&client, "get_table_data", json!({"table": "customers", "columns": columns})).await;
        assert!(message.contains("invalid argument `columns`") && message.contains("has no column"), "{message}");
    }
    let message = refused(&client, "get_table_data", json!({"table": "customers", "limit": 0})).await;
    assert!(message.contains("invalid argument `limit`"), "{message}");
    assert_eq!(fixture.fingerprint().await, before);
}

on_sqlite!(sqlite_the_row_cap_and_the_statement_timeout_hold, the_row_cap_and_the_statement_timeout_hold);
on_postgres!(postgres_the_row_cap_and_the_statement_timeout_hold, the_row_cap_and_the_statement_timeout_hold);

async fn the_row_cap_and_the_statement_timeout_hold(fixture: &Fixture) {
    let client = fixture.serve(&["--max-rows", "7", "--statement-timeout", "1s"]).await;
    let capped = call(&client, "query", json!({"sql": "SELECT * FROM order_items"})).await;
    assert_eq!(capped["row_count"], 7);
    assert_eq!(capped["rows"].as_array().unwrap().len(), 7);
    assert_eq!(capped["truncated"], true);
    assert!(capped["notes"][0].as_str().unwrap().contains("only the first 7 rows"), "{capped}");
    let exact = call(&client, "query", json!({"sql": "SELECT * FROM customers ORDER BY id LIMIT 7"})).await;
    assert_eq!(exact["truncated"], false, "exactly the cap is not truncated");
    let page = call(&client, "get_table_data", json!({"table": "orders", "limit": 100})).await;
    assert_eq!(page["row_count"], 7, "the page is held to the row cap");
    assert_eq!(page["next_offset"], 7);

    // An endless result is cut at the cap at once: the rest is neither read nor waited for.
    let endless = "WITH RECURSIVE endless(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM endless) SELECT n FROM endless";
    let started = Instant::now();
    let capped = call(&client, "query", json!({"sql": endless})).await;
    assert_eq!(capped["rows"], json!([[1], [2], [3], [4], [5], [6], [7]]));
    assert_eq!(capped["truncated"], true);
    assert!(started.elapsed() < Duration::from_millis(900), "took {:?}", started.elapsed());

    let forever =
        "WITH RECURSIVE forever(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM forever) SELECT count(*) FROM forever";
    let started = Instant::now();
    let message = refused(&client, "query", json!({"sql": forever})).await;
    let took = started.elapsed();
    assert!(message.contains("statement timeout (1 s)"), "{message}");
    assert!(took >= Duration::from_millis(900) && took < Duration::from_secs(5), "stopped after {took:?}");
    // The server, and the connection that ran it, still answer.
    for _ in 0..5 {
        let count = call(&client, "query", json!({"sql": "SELECT count(*) FROM customers"})).await;
        assert_eq!(count["rows"][0][0], fixture.count("customers").await);
    }
}

on_sqlite!(sqlite_execute_exists_only_with_allow_write, execute_exists_only_with_allow_write);
on_postgres!(postgres_execute_exists_only_with_allow_write, execute_exists_only_with_allow_write);

async fn execute_exists_only_with_allow_write(fixture: &Fixture) {
    let read_only = fixture.serve(&[]).await;
    assert!(!names(&read_only).await.contains(&"execute".to_owned()));
    assert!(read_only.call_tool("execute", json!({"sql": "DELETE FROM customers"})).await.is_err());
    drop(read_only);

    let client = fixture.serve(&["--allow-write"]).await;
    assert_eq!(names(&client).await, ["describe_table", "execute", "get_table_data", "list_tables", "query"]);
    let execute = client.list_tools().await.unwrap().into_iter().find(|tool| tool.name == "execute").unwrap();
    assert_eq!(execute.annotations.as_ref().and_then(|a| a.destructive_hint), Some(true));

    let updated = call(&client, "execute", json!({"sql": "UPDATE customers SET city = 'Oslo' WHERE id <= 3"})).await;
    assert_eq!(updated["rows_affected"], 3);
    let oslo = call(&client, "query", json!({"sql": "SELECT id FROM customers WHERE city = 'Oslo' ORDER BY id"})).await;
    assert_eq!(oslo["rows"], json!([[1], [2], [3]]));

    let created =
        call(&client, "execute", json!({"sql": "CREATE TABLE notes (id integer PRIMARY KEY, body text)"})).await;
    assert_eq!(created["rows_affected"], 0, "DDL changes no rows");
    let inserted =
        call(&client, "execute", json!({"sql": "INSERT INTO notes (id, body) VALUES (1, 'first'), (2, 'second')"}))
            .await;
    assert_eq!(inserted["rows_affected"], 2);
    let listed = call(&client, "list_tables", json!({})).await;
    assert!(listed["tables"].as_array().unwrap().iter().any(|t| t["name"] == "notes"), "{listed}");
    let notes = call(&client, "get_table_data", json!({"table": "notes"})).await;
    assert_eq!(notes["rows"], json!([[1, "first"], [2, "second"]]));
    // Reads stay read-only even on a writable server.
    let message = refused(&client, "query", json!({"sql": "DELETE FROM notes"})).await;
    assert!(message.contains("read-only"), "{message}");

    let several =
        refused(&client, "execute", json!({"sql": "DELETE FROM notes WHERE id = 1; DELETE FROM notes"})).await;
    assert!(several.contains("only one SQL statement per call"), "{several}");
    let violated = refused(&client, "execute", json!({"sql": "INSERT INTO orders (id, customer_id, ordered_at, status) VALUES (99999, 99999, '2024-01-01', 'paid')"})).await;
    assert!(violated.to_lowercase().contains("foreign key"), "{violated}");
    if fixture.is_sqlite() {
        let evil = fixture.scratch("evil.db");
        let attach =
            refused(&client, "execute", json!({"sql": format!("ATTACH DATABASE '{}' AS evil", evil.display())})).await;
        assert!(attach.contains("ATTACH DATABASE"), "{attach}");
        let vacuum = refused(&client, "execute", json!({"sql": format!("VACUUM INTO '{}'", evil.display())})).await;
        assert!(vacuum.contains("attach a file"), "{vacuum}");
        let begin = refused(&client, "execute", json!({"sql": "BEGIN"})).await;
        assert!(begin.contains("transaction control"), "{begin}");
        assert!(!evil.exists());
    }
    let dropped = call(&client, "execute", json!({"sql": "DROP TABLE notes"})).await;
    assert_eq!(dropped["rows_affected"], 0);
    let message = refused(&client, "describe_table", json!({"table": "notes"})).await;
    assert!(message.contains("there is no table or view named `notes`"), "{message}");
}

on_sqlite!(sqlite_values_become_json, sqlite_values);

async fn sqlite_values(fixture: &Fixture) {
    let client = fixture.serve(&[]).await;
    let products = call(
        &client,
        "query",
        json!({"sql": "SELECT id, price, thumbnail, stock FROM products WHERE id IN (3, 4) ORDER BY id"}),
    )
    .await;
    assert_eq!(products["rows"][0][2], Value::Null);
    assert!(products["rows"][0][1].is_f64());
    assert_eq!(products["rows"][1][2], r"\x89504e470d0a1a0a0000000000000004");
    assert!(products["notes"].to_string().contains("hex"), "{products}");
    assert_eq!(products["columns"][2]["type"], "BLOB");
    let mixed = call(&client, "query", json!({"sql": "SELECT 1, 2.5, 'text', NULL, x'00ff', 9007199254740993"})).await;
    assert_eq!(mixed["rows"][0], json!([1, 2.5, "text", null, r"\x00ff", 9007199254740993_i64]));
}

on_postgres!(postgres_values_become_json, postgres_values);

async fn postgres_values(fixture: &Fixture) {
    let client = fixture.serve(&[]).await;
    let sink = call(&client, "query", json!({"sql": "SELECT * FROM kitchen_sink ORDER BY id"})).await;
    let columns: Vec<&str> = sink["columns"].as_array().unwrap().iter().filter_map(|c| c["name"].as_str()).collect();
    let value = |name: &str| sink["rows"][0][columns.iter().position(|c| *c == name).unwrap()].clone();
    let expected = [
        ("b", json!(true)),
        ("s", json!(-3)),
        ("i", json!(42)),
        ("l", json!(9007199254740993_i64)),
        ("r", json!(1.5)),
        ("d", json!(2.25)),
        ("n", json!("12345.6789")),
        ("t", json!("héllo")),
        ("v", json!("var")),
        ("ts", json!("2024-02-29T13:45:01.25")),
        ("tz", json!("2024-02-29T11:45:01Z")),
        ("dt", json!("1999-12-31")),
        ("tm", json!("23:59:58.5")),
        ("iv", json!("P1Y2M3DT4H5M6.5S")),
        ("u", json!("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")),
        ("j", json!({"a": [1, 2]})),
        ("jb", json!({"b": null})),
        ("by", json!(r"\xdeadbeef")),
        ("ia", json!([1, null, 3])),
        ("ta", json!(["a", null, "c d"])),
        ("tza", json!(["2024-01-01T00:00:00Z"])),
        ("net", json!("10.0.0.0/8")),
        ("tt", json!("12:30:00+05:30")),
        ("ip", json!("192.168.0.1")),
        ("m", json!("happy")),
        ("nan", json!("NaN")),
    ];
    for (column, want) in expected {
        assert_eq!(value(column), want, "column {column}");
    }
    // No decoder here for points or two-dimensional arrays; an element can fail on its own.
    assert!(value("pt").as_str().unwrap().contains("cast it to text"), "{}", value("pt"));
    assert!(value("grid").as_str().unwrap().contains("2 dimensions"), "{}", value("grid"));
    // Exact decimal text (sqlx writes base-10000 digit groups: `1.5000`, the same number).
    assert_eq!(value("na")[0].as_str().unwrap().parse::<f64>().unwrap(), 1.5);
    assert!(value("na")[1].as_str().unwrap().contains("cast it to text"), "{}", value("na"));
    assert!(
        sink["rows"][1].as_array().unwrap().iter().skip(1).all(Value::is_null),
        "the NULL row: {}",
        sink["rows"][1]
    );
    let notes = sink["notes"].to_string();
    for note in ["hex", "numeric", "NaN", "cast them to text"] {
        assert!(notes.contains(note), "{note} in {notes}");
    }
}

on_postgres!(postgres_a_wrong_password_is_a_clear_start_up_error, a_wrong_password_is_a_clear_start_up_error);

async fn a_wrong_password_is_a_clear_start_up_error(fixture: &Fixture) {
    let Fixture::Postgres { url, .. } = fixture else { return };
    let wrong = url.replace("mcp_test_password", "hunter2-wrong");
    let output = support::example("database").args(["--database-url", &wrong]).output().await.unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("refused the connection") && stderr.contains("password authentication failed"), "{stderr}");
    assert!(!stderr.contains("hunter2-wrong") && stderr.contains("mcp_test:***@"), "{stderr}");
}

#[tokio::test]
async fn start_up_failures_are_clear_and_keep_passwords_out() {
    let directory = tempfile::tempdir().unwrap();
    let missing = directory.path().join("missing.db");
    let not_a_database = directory.path().join("notes.txt");
    std::fs::write(&not_a_database, "this is not a database, it is a text file of some length").unwrap();
    let cases = [
        (format!("sqlite://{}", missing.display()), "there is no SQLite database at"),
        (format!("sqlite://{}", not_a_database.display()), "cannot open the SQLite database"),
        (
            "mysql://root:s3cret-pass@localhost/db".to_owned(),
            "unsupported --database-url `mysql://root:***@localhost/db`",
        ),
        (
            "postgres://reader:s3cret-pass@127.0.0.1:1/shop".to_owned(),
            "cannot reach the PostgreSQL server at postgres://reader:***@127.0.0.1:1/shop",
        ),
        (
            "postgres://reader:s3cret-pass@127.0.0.1:notaport/shop".to_owned(),
            "invalid --database-url `postgres://reader:***@127.0.0.1:notaport/shop`",
        ),
        ("".to_owned(), "is empty"),
    ];
    for (url, expected) in cases {
        let output = support::example("database").args(["--database-url", &url]).output().await.unwrap();
        assert!(!output.status.success(), "{url}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{url}: {stderr}");
        assert!(!stderr.contains("s3cret-pass"), "{url} leaked its password: {stderr}");
    }
}

#[tokio::test]
async fn the_demo_is_built_once_where_asked_and_announced() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("nested/demo.sqlite3");
    let run = || async {
        let output = support::example("database")
            .env_remove("DATABASE_URL")
            .arg("--demo-path")
            .arg(&path)
            .stdin(std::process::Stdio::null())
            .output()
            .await
            .unwrap();
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let first = run().await;
    assert!(first.contains(&format!("created the demo database at {}", path.display())), "{first}");
    let size = std::fs::metadata(&path).unwrap().len();
    let second = run().await;
    assert!(second.contains(&format!("using the demo database at {}", path.display())), "{second}");
    assert_eq!(std::fs::metadata(&path).unwrap().len(), size);
    // Only the database itself: no half-built file, no journal left behind.
    let entries: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(entries, [std::ffi::OsString::from("demo.sqlite3")]);
}

/// Over HTTP with API keys, `database:read` may read but not call `execute`, which
/// `database:mutate` may; the audit log names each caller.
#[tokio::test]
async fn over_http_database_read_cannot_execute_but_database_mutate_can() {
    let fixture = Fixture::sqlite();
    let keys = r#"{"keys": [
        {"name": "analyst", "key": "analyst-key-12345", "scopes": ["database:read"]},
        {"name": "operator", "key": "operator-key-1234", "scopes": ["database:mutate"]}]}"#;
    let mut command = fixture.command(&["--allow-write", "--auth-api-keys", keys]);
    // The runtime's default filter keeps audit lines: no RUST_LOG needed.
    command.env_remove("RUST_LOG");
    let mut server = support::serve_http(command).await;
    let connect = |key: &'static str| server.client(key);

    let analyst = connect("analyst-key-12345").await;
    assert_eq!(names(&analyst).await, ["describe_table", "get_table_data", "list_tables", "query"]);
    let counted = call(&analyst, "query", json!({"sql": "SELECT count(*) FROM customers"})).await;
    assert_eq!(counted["rows"][0][0], 500);
    assert!(analyst.call_tool("execute", json!({"sql": "DELETE FROM order_items"})).await.is_err());
    assert!(fixture.count("order_items").await > 0);

    let operator = connect("operator-key-1234").await;
    assert_eq!(names(&operator).await, ["describe_table", "execute", "get_table_data", "list_tables", "query"]);
    let deleted = call(&operator, "execute", json!({"sql": "DELETE FROM order_items WHERE order_id = 1"})).await;
    assert!(deleted["rows_affected"].as_u64().unwrap() >= 1, "{deleted}");
    call(&operator, "query", json!({"sql": "SELECT 1"})).await;

    // The audit lines: who ran what through which tool, and how it ended.
    let audit = tokio::time::timeout(Duration::from_secs(10), async {
        let mut seen = Vec::new();
        while let Some(line) = server.stderr.next_line().await.unwrap() {
            if line.contains("audit") {
                seen.push(line);
                if seen.iter().any(|line| line.contains("caller=\"operator\"") && line.contains("tool=\"execute\"")) {
                    return seen;
                }
            }
        }
        seen
    })
    .await
    .expect("audit lines arrive");
    assert!(
        audit.iter().any(|line| line.contains("caller=\"analyst\"")
            && line.contains("tool=\"query\"")
            && line.contains("SELECT count(*) FROM customers")
            && line.contains("outcome=\"ok\"")),
        "{audit:#?}"
    );
    assert!(
        audit.iter().any(|line| line.contains("caller=\"operator\"")
            && line.contains("DELETE FROM order_items WHERE order_id = 1")
            && line.contains("rows=")),
        "{audit:#?}"
    );
}
