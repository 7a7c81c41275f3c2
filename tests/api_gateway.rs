//! The API gateway example end to end over stdio through rmcp's client, against a scripted
//! loopback upstream (`api_gateway/mock.rs`) that fails in each way a real API does, and once
//! against the gateway's own demo API.

use std::time::{Duration, Instant};

use mcp_runtime::testing::{TestClient, text_of};
use rmcp::model::CallToolResult;
use serde_json::{Value, json};

#[path = "api_gateway/mock.rs"]
mod mock;
mod support;

use mock::{Mock, Reply};

const TOKEN: &str = "tok-5f1c9a7e-never-print-me";

/// The gateway in front of `base_url`, with `extra` flags; unless `extra` sets them, the test
/// token, fast retries and no client-side rate limit. `--token ""` means no token.
async fn gateway(base_url: &str, extra: &[&str]) -> TestClient {
    let mut command = support::example("api_gateway");
    command.args(["--base-url", base_url]).args(extra);
    for (flag, value) in [("--token", TOKEN), ("--retry-base-delay", "10ms"), ("--rate-limit", "0")] {
        if !extra.contains(&flag) {
            command.args([flag, value]);
        }
    }
    command.env_remove("API_GATEWAY_TOKEN").env_remove("API_GATEWAY_BASE_URL");
    TestClient::spawn(command).await.unwrap()
}

fn structured(result: &CallToolResult) -> &Value {
    assert_ne!(result.is_error, Some(true), "{}", text_of(result));
    result.structured_content.as_ref().expect("structured content")
}

/// The text of a tool error; fails the test if the call succeeded, or if it shows the token.
async fn tool_error(client: &TestClient, tool: &str, arguments: Value) -> String {
    let result = client.call_tool(tool, arguments).await.unwrap();
    let text = text_of(&result);
    assert_eq!(result.is_error, Some(true), "{tool} should have failed: {text}");
    assert!(!text.contains(TOKEN), "the token leaked: {text}");
    text
}

fn ids(page: &Value) -> Vec<u64> {
    page["items"].as_array().unwrap().iter().map(|item| item["id"].as_u64().unwrap()).collect()
}

#[tokio::test]
async fn tools_are_listed_with_scopes_and_honest_annotations() {
    let mock = Mock::start(TOKEN, 3, 10).await;
    let client = gateway(&mock.url, &[]).await;
    let tools = client.list_tools().await.unwrap();
    let mut names: Vec<&str> = tools.iter().map(|tool| tool.name.as_ref()).collect();
    names.sort();
    assert_eq!(names, ["api_status", "create_item", "get_item", "list_items"]);
    let tool = |name: &str| tools.iter().find(|tool| tool.name == name).unwrap().clone();
    for (name, scope) in [("list_items", "items:read"), ("get_item", "items:read"), ("create_item", "items:write")] {
        assert_eq!(tool(name).meta.as_ref().unwrap()["mcp-runtime/scopes"], json!([scope]), "{name}");
        assert!(tool(name).output_schema.is_some(), "{name} has structured output");
    }
    let create = tool("create_item").annotations.unwrap();
    assert_eq!(
        (create.destructive_hint, create.idempotent_hint, create.read_only_hint),
        (Some(false), Some(false), None)
    );
    let get = tool("get_item").annotations.unwrap();
    assert_eq!((get.read_only_hint, get.idempotent_hint), (Some(true), Some(true)));
    let schema = serde_json::to_value(&tool("create_item").input_schema).unwrap();
    assert_eq!(schema["required"], json!(["name", "price_cents"]));
    insta::assert_json_snapshot!("api_gateway_tools_list", tools);
}

#[tokio::test]
async fn the_token_is_sent_as_a_bearer_from_the_flag_or_the_environment() {
    let mock = Mock::start(TOKEN, 3, 10).await;
    let client = gateway(&mock.url, &[]).await;
    assert_eq!(structured(&client.call_tool("get_item", json!({"id": 1})).await.unwrap())["name"], "item 1");

    let mut command = support::example("api_gateway");
    command.args(["--base-url", &mock.url]).env("API_GATEWAY_TOKEN", TOKEN);
    let from_env = TestClient::spawn(command).await.unwrap();
    assert_eq!(structured(&from_env.call_tool("get_item", json!({"id": 2})).await.unwrap())["name"], "item 2");

    let hits = mock.hits();
    assert_eq!(hits.len(), 2);
    let expected = format!("Bearer {TOKEN}");
    assert!(hits.iter().all(|hit| hit.authorization.as_deref() == Some(expected.as_str())), "{hits:?}");

    let status = from_env.call_tool("api_status", json!({})).await.unwrap();
    assert_eq!(structured(&status)["token_configured"], true);
    assert!(!text_of(&status).contains(TOKEN));
}

#[tokio::test]
async fn a_wrong_or_missing_token_is_reported_without_printing_it() {
    let mock = Mock::start(TOKEN, 3, 10).await;
    let wrong = "wrong-token-3b8d0c41";
    let client = gateway(&mock.url, &["--token", wrong]).await;
    let text = tool_error(&client, "get_item", json!({"id": 1})).await;
    assert!(text.contains("401 Unauthorized") && text.contains("--token or API_GATEWAY_TOKEN"), "{text}");
    assert!(text.contains("wrong or expired"), "{text}");
    assert!(!text.contains(wrong), "the mock echoed the token and the gateway passed it on: {text}");
    assert_eq!(mock.hits_of("GET /items/1").len(), 1, "a 401 is not retried");

    let anonymous = gateway(&mock.url, &["--token", ""]).await;
    let text = tool_error(&anonymous, "get_item", json!({"id": 1})).await;
    assert!(text.contains("requires a token (401 Unauthorized) and the gateway has none"), "{text}");
    assert_eq!(mock.hits().last().unwrap().authorization, None);
}

#[tokio::test]
async fn each_refusal_becomes_a_precise_tool_error() {
    let mock = Mock::start(TOKEN, 3, 10).await;
    mock.script("GET /items/2", [Reply::json(403, json!({"error": "this key may not read item 2"}))]);
    mock.script(
        "POST /items",
        [
            Reply::json(422, json!({"message": "price_cents must be below 10000"})),
            Reply::json(400, json!({"detail": [{"loc": ["name"], "msg": "too long"}]})),
            Reply::text(422, format!("rejected request with Authorization: Bearer {TOKEN}")),
        ],
    );
    let client = gateway(&mock.url, &[]).await;

    let text = tool_error(&client, "get_item", json!({"id": 2})).await;
    assert_eq!(
        text,
        "GET /items/2: the upstream API refused (403 Forbidden): the gateway's token is not allowed to do this \
         (this key may not read item 2)"
    );

    let text = tool_error(&client, "get_item", json!({"id": 99})).await;
    assert_eq!(text, "there is no item 99 (GET /items/99: not found (404): no item 99)");

    let new = json!({"name": "lamp", "price_cents": 20000});
    let text = tool_error(&client, "create_item", new.clone()).await;
    assert_eq!(
        text,
        "POST /items: the upstream API rejected the request (422 Unprocessable Entity): price_cents must be below 10000"
    );
    let text = tool_error(&client, "create_item", new.clone()).await;
    assert_eq!(
        text,
        r#"POST /items: the upstream API rejected the request (400 Bad Request): [{"loc":["name"],"msg":"too long"}]"#
    );
    let text = tool_error(&client, "create_item", new).await;
    assert!(text.ends_with("rejected request with Authorization: Bearer <redacted>"), "{text}");

    // None of these is worth a retry.
    assert_eq!(mock.hits_of("GET /items/2").len(), 1);
    assert_eq!(mock.hits_of("GET /items/99").len(), 1);
    assert_eq!(mock.hits_of("POST /items").len(), 3);
}

#[tokio::test]
async fn a_429_is_retried_after_the_wait_the_upstream_asks_for() {
    let mock = Mock::start(TOKEN, 3, 10).await;
    mock.script("GET /items/1", [Reply::status(429).header("retry-after", "1")]);
    let client = gateway(&mock.url, &[]).await;
    let started = Instant::now();
    assert_eq!(structured(&client.call_tool("get_item", json!({"id": 1})).await.unwrap())["name"], "item 1");
    let hits = mock.hits_of("GET /items/1");
    assert_eq!(hits.len(), 2, "one 429, then the retry");
    let waited = hits[1].at - hits[0].at;
    assert!(waited >= Duration::from_millis(950), "Retry-After: 1 honoured, not the 10 ms backoff: {waited:?}");
    assert!(started.elapsed() >= Duration::from_millis(950));
    let status = client.call_tool("api_status", json!({})).await.unwrap();
    assert_eq!(structured(&status)["retries"], 1);
}

#[tokio::test]
async fn a_429_beyond_the_retry_budget_or_the_longest_wait_names_retry_after() {
    let mock = Mock::start(TOKEN, 3, 10).await;
    mock.script("GET /items/1", (0..3).map(|_| Reply::status(429).header("retry-after", "1")));
    mock.script("GET /items/2", [Reply::status(429).header("retry-after", "3600")]);
    mock.script("GET /items/3", [Reply::status(429).header("retry-after", "Fri, 31 Dec 2100 23:59:59 GMT")]);
    let client = gateway(&mock.url, &["--max-retries", "1", "--max-retry-wait", "5s"]).await;

    let text = tool_error(&client, "get_item", json!({"id": 1})).await;
    assert_eq!(
        text,
        "GET /items/1: the upstream API is rate limiting the gateway (429 Too Many Requests) and asks to retry \
         after 1 s (gave up after 1 retry)"
    );
    assert_eq!(mock.hits_of("GET /items/1").len(), 2);

    let text = tool_error(&client, "get_item", json!({"id": 2})).await;
    assert_eq!(
        text,
        "GET /items/2: the upstream API is rate limiting the gateway (429 Too Many Requests) and asks to retry \
         after 3600 s; \
         that is longer than the gateway waits (--max-retry-wait 5 s), so try again later"
    );
    assert_eq!(mock.hits_of("GET /items/2").len(), 1, "no point waiting an hour inside a tool call");

    let text = tool_error(&client, "get_item", json!({"id": 3})).await;
    assert!(text.contains("asks to retry after Fri, 31 Dec 2100 23:59:59 GMT (in "), "{text}");
    assert!(text.contains("--max-retry-wait 5 s"), "{text}");
    assert_eq!(mock.hits_of("GET /items/3").len(), 1);
}

#[tokio::test]
async fn server_errors_on_a_get_are_retried_until_it_succeeds() {
    let mock = Mock::start(TOKEN, 3, 10).await;
    mock.script("GET /items/2", [Reply::text(500, "oops"), Reply::status(503)]);
    mock.script("GET /items/3", (0..4).map(|_| Reply::text(502, format!("bad gateway\n\n{}", "x".repeat(1000)))));
    let client = gateway(&mock.url, &["--max-retries", "3"]).await;
    assert_eq!(structured(&client.call_tool("get_item", json!({"id": 2})).await.unwrap())["name"], "item 2");
    assert_eq!(mock.hits_of("GET /items/2").len(), 3, "500, 503, then the item");

    let text = tool_error(&client, "get_item", json!({"id": 3})).await;
    assert!(text.starts_with("GET /items/3: the upstream API answered 502 Bad Gateway: bad gateway xxx"), "{text}");
    assert!(text.ends_with("… (gave up after 3 retries)"), "a short excerpt of the body: {text}");
    assert!(text.len() < 400, "{}", text.len());
    assert_eq!(mock.hits_of("GET /items/3").len(), 4);
}

#[tokio::test]
async fn a_post_is_never_retried() {
    let mock = Mock::start(TOKEN, 3, 10).await;
    mock.script("POST /items", [Reply::status(503)]);
    let client = gateway(&mock.url, &["--max-retries", "3"]).await;
    let text = tool_error(&client, "create_item", json!({"name": "lamp", "price_cents": 100})).await;
    assert_eq!(text, "POST /items: the upstream API answered 503 Service Unavailable: {\"error\":\"scripted 503\"}");
    assert_eq!(mock.hits_of("POST /items").len(), 1, "exactly one attempt: a retry could create the item twice");
    let created = client.call_tool("create_item", json!({"name": "lamp", "price_cents": 100})).await.unwrap();
    assert_eq!(structured(&created)["id"], 4);
}

#[tokio::test]
async fn a_slow_upstream_times_out_and_the_get_is_retried_once() {
    let mock = Mock::start(TOKEN, 3, 10).await;
    mock.script("GET /items/1", (0..2).map(|_| Reply::json(200, mock::item(1)).after(Duration::from_secs(10))));
    let client = gateway(&mock.url, &["--request-timeout", "300ms", "--max-retries", "1"]).await;
    let text = tool_error(&client, "get_item", json!({"id": 1})).await;
    assert_eq!(
        text,
        "GET /items/1: the upstream API did not answer within 300 ms (--request-timeout) (gave up after 1 retry)"
    );
    assert_eq!(mock.hits_of("GET /items/1").len(), 2);
}

#[tokio::test]
async fn a_closed_port_is_connection_refused_naming_the_base_url() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}/", listener.local_addr().unwrap());
    drop(listener);
    let client = gateway(&base_url, &["--max-retries", "1"]).await;
    let text = tool_error(&client, "list_items", json!({})).await;
    assert_eq!(
        text,
        format!(
            "GET /items?limit=50: cannot connect to the upstream API at {base_url}: connection refused; \
             is it running, and is --base-url right? (gave up after 1 retry)"
        )
    );
    let status = client.call_tool("api_status", json!({})).await.unwrap();
    assert_eq!(structured(&status)["reachable"], false);
    assert!(structured(&status)["problem"].as_str().unwrap().contains("connection refused"));
}

#[tokio::test]
async fn a_body_that_is_not_the_expected_json_is_a_clear_error() {
    let mock = Mock::start(TOKEN, 3, 10).await;
    mock.script("GET /items/1", [Reply::text(200, "<html><body>maintenance</body></html>")]);
    mock.script("GET /items/2", [Reply::json(200, json!({"id": 2, "title": "no name"}))]);
    let client = gateway(&mock.url, &[]).await;
    let text = tool_error(&client, "get_item", json!({"id": 1})).await;
    assert_eq!(
        text,
        "GET /items/1: the upstream API's answer is not the JSON the gateway expects \
         (expected value at line 1 column 1); \
         it begins: <html><body>maintenance</body></html>"
    );
    let text = tool_error(&client, "get_item", json!({"id": 2})).await;
    assert!(text.contains("(missing field `name` at line 1 column"), "{text}");
    assert_eq!(mock.hits_of("GET /items/1").len(), 1, "a bad body is not retried");
    // Nor cached: the next call reaches the upstream, now well again.
    assert_eq!(structured(&client.call_tool("get_item", json!({"id": 1})).await.unwrap())["id"], 1);
}

#[tokio::test]
async fn list_items_follows_upstream_pages_up_to_the_cap_and_continues() {
    let mock = Mock::start(TOKEN, 45, 10).await;
    let client = gateway(&mock.url, &["--max-pages", "3"]).await;
    let first = client.call_tool("list_items", json!({"limit": 100})).await.unwrap();
    let first = structured(&first);
    assert_eq!(ids(first), (1..=30).collect::<Vec<_>>());
    assert_eq!(first["upstream_pages"], 3);
    let cursor = first["next_cursor"].as_str().expect("more to come").to_owned();
    // Progress after each upstream page, for clients that asked for it (this one does).
    let recorded = client.wait_for(|recorded| recorded.progress.len() >= 3, Duration::from_secs(5)).await.unwrap();
    let steps: Vec<(f64, Option<f64>)> = recorded.progress.iter().map(|p| (p.progress, p.total)).collect();
    assert_eq!(steps, [(10.0, Some(100.0)), (20.0, Some(100.0)), (30.0, Some(100.0))]);
    assert_eq!(recorded.progress[2].message.as_deref(), Some("upstream page 3: 30 of 100 items"));

    let rest = client.call_tool("list_items", json!({"limit": 100, "cursor": cursor})).await.unwrap();
    let rest = structured(&rest);
    assert_eq!(ids(rest), (31..=45).collect::<Vec<_>>());
    assert_eq!(rest["upstream_pages"], 2);
    assert!(rest.get("next_cursor").is_none_or(Value::is_null), "{rest}");

    // Each upstream request asked for what the call still missed.
    let queries: Vec<String> = mock.hits_of("GET /items").into_iter().map(|hit| hit.query).collect();
    assert_eq!(
        queries,
        ["limit=100", "limit=90&cursor=10", "limit=80&cursor=20", "limit=100&cursor=30", "limit=90&cursor=40"]
    );

    let text = tool_error(&client, "list_items", json!({"cursor": "garbage"})).await;
    assert!(text.starts_with("invalid argument `cursor`: `garbage` is not a cursor from list_items"), "{text}");
    let text = tool_error(&client, "list_items", json!({"limit": 0})).await;
    assert_eq!(text, "invalid arguments for tool `list_items`: `limit`: 0 is less than the minimum of 1");
}

#[tokio::test]
async fn an_upstream_that_ignores_limit_loses_no_items_between_calls() {
    let mock = Mock::start_with(TOKEN, 25, 10, false).await;
    let client = gateway(&mock.url, &[]).await;
    let mut seen = Vec::new();
    let mut cursor = None;
    for limit in [5, 7, 4, 20] {
        let mut arguments = json!({"limit": limit});
        if let Some(cursor) = &cursor {
            arguments["cursor"] = json!(cursor);
        }
        let page = client.call_tool("list_items", arguments).await.unwrap();
        let page = structured(&page);
        seen.extend(ids(page));
        cursor = page["next_cursor"].as_str().map(str::to_owned);
    }
    assert_eq!(seen, (1..=25).collect::<Vec<_>>());
    assert_eq!(cursor, None);
}

#[tokio::test]
async fn gets_are_cached_until_a_create_drops_the_collection() {
    let mock = Mock::start(TOKEN, 3, 10).await;
    let client = gateway(&mock.url, &[]).await;
    for _ in 0..2 {
        assert_eq!(structured(&client.call_tool("get_item", json!({"id": 1})).await.unwrap())["id"], 1);
        assert_eq!(ids(structured(&client.call_tool("list_items", json!({})).await.unwrap())), [1, 2, 3]);
    }
    assert_eq!(mock.hits_of("GET /items/1").len(), 1, "the second read came from the cache");
    assert_eq!(mock.hits_of("GET /items").len(), 1);

    client.call_tool("create_item", json!({"name": "new", "price_cents": 5, "tags": ["a"]})).await.unwrap();
    assert_eq!(ids(structured(&client.call_tool("list_items", json!({})).await.unwrap())), [1, 2, 3, 4]);
    assert_eq!(mock.hits_of("GET /items").len(), 2, "the create dropped the cached listing");
    client.call_tool("get_item", json!({"id": 1})).await.unwrap();
    assert_eq!(mock.hits_of("GET /items/1").len(), 1, "but not the items themselves");

    let status = client.call_tool("api_status", json!({})).await.unwrap();
    let status = structured(&status);
    assert_eq!((status["cache_hits"].as_u64(), status["cache_misses"].as_u64()), (Some(3), Some(3)), "{status}");
    assert_eq!(status["cache_ttl_seconds"], 30.0);
}

#[tokio::test]
async fn the_cache_expires_and_can_be_turned_off() {
    let mock = Mock::start(TOKEN, 3, 10).await;
    let short = gateway(&mock.url, &["--cache-ttl", "1s"]).await;
    short.call_tool("get_item", json!({"id": 1})).await.unwrap();
    short.call_tool("get_item", json!({"id": 1})).await.unwrap();
    assert_eq!(mock.hits_of("GET /items/1").len(), 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    short.call_tool("get_item", json!({"id": 1})).await.unwrap();
    assert_eq!(mock.hits_of("GET /items/1").len(), 2, "expired after its time to live");

    let uncached = gateway(&mock.url, &["--cache-ttl", "0"]).await;
    uncached.call_tool("get_item", json!({"id": 2})).await.unwrap();
    uncached.call_tool("get_item", json!({"id": 2})).await.unwrap();
    assert_eq!(mock.hits_of("GET /items/2").len(), 2);
}

#[tokio::test]
async fn the_client_side_rate_limit_makes_requests_wait() {
    let mock = Mock::start(TOKEN, 5, 10).await;
    let client = gateway(&mock.url, &["--rate-limit", "2", "--cache-ttl", "0"]).await;
    for id in 1..=5 {
        client.call_tool("get_item", json!({"id": id})).await.unwrap();
    }
    let status = client.call_tool("api_status", json!({})).await.unwrap();
    let status = structured(&status);
    assert_eq!(status["rate_limit_per_second"], 2);
    // Two go at once (the burst), the other three each wait for their turn; counted, so that a
    // slow machine cannot make this flaky, and bounded below, which no machine can undercut.
    assert!(status["rate_limit_waits"].as_u64().unwrap() >= 2, "{status}");
    let hits = mock.hits();
    let spread = hits[4].at - hits[0].at;
    assert!(spread >= Duration::from_millis(1200), "5 requests at 2/s take 1.5 s: {spread:?}");
}

#[tokio::test]
async fn the_demo_upstream_serves_every_tool() {
    let mut command = support::example("api_gateway");
    command.arg("--demo-upstream").env_remove("API_GATEWAY_TOKEN").env_remove("API_GATEWAY_BASE_URL");
    let client = TestClient::spawn(command).await.unwrap();

    let first = client.call_tool("list_items", json!({"limit": 250})).await.unwrap();
    let first = structured(&first);
    assert_eq!(ids(first), (1..=250).collect::<Vec<_>>());
    assert_eq!(first["upstream_pages"], 3, "the demo serves 100 a page");
    let item = &first["items"][41];
    assert_eq!(item["id"], 42);
    assert!(item["name"].as_str().unwrap().ends_with("#42"), "{item}");
    assert!(item["created_at"].as_str().unwrap().starts_with("2024-01-11T"), "{item}");
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = client.call_tool("list_items", json!({"limit": 100, "cursor": cursor})).await.unwrap();
    assert_eq!(ids(structured(&rest)), (251..=300).collect::<Vec<_>>());

    let got = client.call_tool("get_item", json!({"id": 42})).await.unwrap();
    assert_eq!(structured(&got), item);
    let text = tool_error(&client, "get_item", json!({"id": 4242})).await;
    assert_eq!(text, "there is no item 4242 (GET /items/4242: not found (404): no item with id 4242)");

    let new =
        json!({"name": "Desk lamp", "description": "Warm light", "price_cents": 2599, "tags": ["home", "office"]});
    let created = client.call_tool("create_item", new).await.unwrap();
    let created = structured(&created).clone();
    assert_eq!(created["id"], 301);
    assert_eq!(created["tags"], json!(["home", "office"]));
    assert_eq!(structured(&client.call_tool("get_item", json!({"id": 301})).await.unwrap()), &created);
    let after = client.call_tool("list_items", json!({"limit": 1, "cursor": "0.300"})).await.unwrap();
    assert_eq!(ids(structured(&after)), [301]);

    let text = tool_error(&client, "create_item", json!({"name": "  ", "price_cents": 1})).await;
    assert_eq!(
        text,
        "POST /items: the upstream API rejected the request (422 Unprocessable Entity): name must not be empty"
    );
    let text = tool_error(&client, "create_item", json!({"name": "x", "price_cents": 1, "tags": ["Bad Tag"]})).await;
    assert!(text.ends_with("tag `Bad Tag` must be 1-32 characters of a-z, 0-9 and -"), "{text}");

    let status = client.call_tool("api_status", json!({})).await.unwrap();
    let status = structured(&status);
    assert_eq!(
        (&status["demo"], &status["reachable"], &status["token_configured"]),
        (&json!(true), &json!(true), &json!(true))
    );
    assert!(status["base_url"].as_str().unwrap().starts_with("http://127.0.0.1:"), "{status}");
}

#[tokio::test]
async fn without_a_base_url_the_demo_is_used() {
    let mut command = support::example("api_gateway");
    command.env_remove("API_GATEWAY_TOKEN").env_remove("API_GATEWAY_BASE_URL");
    let client = TestClient::spawn(command).await.unwrap();
    let page = client.call_tool("list_items", json!({"limit": 3})).await.unwrap();
    assert_eq!(ids(structured(&page)), [1, 2, 3]);
    assert_eq!(structured(&client.call_tool("api_status", json!({})).await.unwrap())["demo"], true);
}

/// Over HTTP with API keys, a reader lists and reads but cannot create, and `items:write`
/// implies `items:read`.
#[tokio::test]
async fn over_http_the_scopes_decide_who_reads_and_who_creates() {
    let mock = Mock::start(TOKEN, 3, 10).await;
    let keys = r#"{"keys": [
        {"name": "reader", "key": "reader-key-123456", "scopes": ["items:read"]},
        {"name": "writer", "key": "writer-key-123456", "scopes": ["items:write"]}]}"#;
    let mut command = support::example("api_gateway");
    command.args(["--base-url", &mock.url, "--token", TOKEN, "--auth-api-keys", keys]);
    let server = support::serve_http(command).await;
    let connect = |key: &'static str| server.client(key);
    let names = |tools: Vec<rmcp::model::Tool>| {
        let mut names: Vec<String> = tools.into_iter().map(|tool| tool.name.into_owned()).collect();
        names.sort();
        names
    };

    let reader = connect("reader-key-123456").await;
    assert_eq!(names(reader.list_tools().await.unwrap()), ["api_status", "get_item", "list_items"]);
    assert_eq!(structured(&reader.call_tool("get_item", json!({"id": 1})).await.unwrap())["id"], 1);
    assert!(reader.call_tool("create_item", json!({"name": "x", "price_cents": 1})).await.is_err());
    assert!(mock.hits_of("POST /items").is_empty(), "refused before reaching the upstream");

    let writer = connect("writer-key-123456").await;
    assert_eq!(names(writer.list_tools().await.unwrap()), ["api_status", "create_item", "get_item", "list_items"]);
    let created = writer.call_tool("create_item", json!({"name": "x", "price_cents": 1})).await.unwrap();
    assert_eq!(structured(&created)["id"], 4);
    assert_eq!(ids(structured(&writer.call_tool("list_items", json!({})).await.unwrap())), [1, 2, 3, 4]);
}
