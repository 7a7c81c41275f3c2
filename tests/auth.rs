//! Authentication and authorization end to end over loopback HTTP: real JWT verification
//! (HS256, RS256 and ES256 from a JWKS served on loopback), API keys, 401/403 challenges, the
//! RFC 9728 metadata document, list filtering, the scope hierarchy, and stdio's local principal.

use std::{
    net::SocketAddr,
    time::{SystemTime, UNIX_EPOCH},
};

use jsonwebtoken::{Algorithm, EncodingKey, Header, jwk::Jwk};
use mcp_runtime::{
    auth::{ApiKeys, FORBIDDEN, JwtAuthenticator, JwtKeys, Principal, ScopeHierarchy},
    prelude::*,
    testing::{TestClient, TestError},
};
use reqwest::{StatusCode, header};
use rmcp::model::ProtocolVersion;
use serde_json::{Value, json};

const SECRET: &[u8] = b"a-test-secret-that-is-32-bytes-long!";
const ISSUER: &str = "https://idp.test";
const RSA_PRIVATE: &[u8] = include_bytes!("fixtures/test-rsa-private.pem");
const EC_PRIVATE: &[u8] = include_bytes!("fixtures/test-ec-private.pem");
const RSA_PUBLIC: &[u8] = include_bytes!("fixtures/test-rsa-public.pem");

/// Echo, for anyone.
#[mcp_tool]
async fn echo(message: String) -> String {
    message
}

/// Read the notes.
#[mcp_tool(scopes = ["notes:read"])]
async fn read_notes() -> &'static str {
    "the notes"
}

/// Write a note.
#[mcp_tool(scopes = ["notes:write"])]
async fn write_notes(note: String) -> String {
    format!("wrote {note}")
}

/// Reset everything.
#[mcp_tool(scopes = ["admin"], destructive)]
async fn reset() -> &'static str {
    "reset"
}

/// The notes, as a resource.
#[mcp_resource(uri = "notes://all", scopes = ["notes:read"])]
async fn all_notes() -> &'static str {
    "all the notes"
}

/// The planning prompt, for planners.
#[mcp_prompt(scopes = ["notes:admin"])]
async fn plan() -> &'static str {
    "Plan the notes."
}

/// Who is calling, and with which scopes.
#[mcp_tool]
async fn whoami(ctx: Context) -> String {
    let principal = ctx.principal();
    format!("{} {:?}", principal.subject(), principal.scopes().collect::<Vec<_>>())
}

fn server() -> Server {
    Server::new("auth-fixture", "1.0.0")
        .register(handlers![echo, read_notes, write_notes, reset, whoami, plan, all_notes])
        .scope_hierarchy(ScopeHierarchy::new().implies("notes:admin", ["notes:read", "notes:write"]).superuser("admin"))
        .authorization_server(ISSUER)
}

async fn serve(server: Server) -> (SocketAddr, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(server.serve_http_on(listener, std::future::pending()));
    (address, format!("http://{address}/mcp"))
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn claims(subject: &str, scope: &str, audience: &str) -> Value {
    json!({"sub": subject, "scope": scope, "iss": ISSUER, "aud": audience, "exp": now() + 600, "iat": now()})
}

fn hs256(claims: &Value) -> String {
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(SECRET)).unwrap()
}

fn signed(algorithm: Algorithm, kid: &str, key: &EncodingKey, claims: &Value) -> String {
    let mut header = Header::new(algorithm);
    header.kid = Some(kid.into());
    jsonwebtoken::encode(&header, claims, key).unwrap()
}

async fn hs256_server() -> (SocketAddr, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let url = format!("http://{address}/mcp");
    let jwt =
        JwtAuthenticator::new(JwtKeys::Secret(SECRET.to_vec())).issuer(ISSUER).audience(&url).load().await.unwrap();
    tokio::spawn(server().authenticator(jwt).serve_http_on(listener, std::future::pending()));
    (address, url)
}

async fn post(url: &str, token: Option<&str>, body: Value) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(url)
        .header(header::ACCEPT, "application/json, text/event-stream")
        .header(header::CONTENT_TYPE, "application/json")
        .json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

fn initialize() -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}})
}

fn challenge(response: &reqwest::Response) -> String {
    response.headers()[header::WWW_AUTHENTICATE].to_str().unwrap().to_owned()
}

async fn tool_names(client: &TestClient) -> Vec<String> {
    client.list_tools().await.unwrap().into_iter().map(|tool| tool.name.into()).collect()
}

#[tokio::test]
async fn a_valid_jwt_sees_and_calls_exactly_its_tools() {
    let (_, url) = hs256_server().await;
    let token = hs256(&claims("alice", "notes:read", &url));
    let client = TestClient::connect_http_with(&url, ProtocolVersion::V_2025_11_25, Some(&token)).await.unwrap();
    assert_eq!(tool_names(&client).await, ["echo", "read_notes", "whoami"]);
    assert_eq!(client.call_text("read_notes", json!({})).await.unwrap(), "the notes");
    assert_eq!(client.call_text("whoami", json!({})).await.unwrap(), "alice [\"notes:read\"]");

    // The same over the 2026-07-28 protocol (stateless, per-request metadata).
    let modern = TestClient::connect_http_with(&url, ProtocolVersion::V_2026_07_28, Some(&token)).await.unwrap();
    let list = modern.peer().list_tools(None).await.unwrap();
    assert_eq!(list.tools.len(), 3);
    assert_eq!(list.cache_scope, Some(rmcp::model::CacheScope::Private), "a filtered list is private");
}

#[tokio::test]
async fn every_bad_credential_gets_401_with_a_precise_challenge() {
    let (address, url) = hs256_server().await;
    let metadata = format!(r#"resource_metadata="http://{address}/.well-known/oauth-protected-resource/mcp""#);

    let missing = post(&url, None, initialize()).await;
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(challenge(&missing), format!("Bearer {metadata}"));

    let mut expired = claims("alice", "notes:read", &url);
    expired["exp"] = json!(now() - 3600);
    let wrong_audience = claims("alice", "notes:read", "https://other.example/mcp");
    let mut wrong_issuer = claims("alice", "notes:read", &url);
    wrong_issuer["iss"] = json!("https://evil.example");
    let mut not_yet = claims("alice", "notes:read", &url);
    not_yet["nbf"] = json!(now() + 3600);
    let forged = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims("alice", "admin", &url),
        &EncodingKey::from_secret(b"another-secret-that-is-32-bytes-long"),
    )
    .unwrap();
    let cases = [
        (hs256(&expired), "the token has expired"),
        (hs256(&wrong_audience), "the token is meant for another audience"),
        (hs256(&wrong_issuer), "the token was issued by another issuer"),
        (hs256(&not_yet), "the token is not valid yet"),
        (forged, "the token's signature is invalid"),
        ("not-a-jwt".to_owned(), "the token is malformed"),
    ];
    for (token, expected) in cases {
        let response = post(&url, Some(&token), initialize()).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{expected}");
        let challenge = challenge(&response);
        assert!(challenge.starts_with(&format!("Bearer {metadata}, error=\"invalid_token\"")), "{challenge}");
        assert!(challenge.contains(expected), "{challenge}");
        let body: Value = response.json().await.unwrap();
        assert!(body["error_description"].as_str().unwrap().starts_with(expected), "{body}");
    }

    // rmcp's client reports the refusal instead of connecting.
    let refused = TestClient::connect_http_with(&url, ProtocolVersion::V_2025_11_25, Some("nonsense")).await;
    assert!(matches!(refused, Err(TestError::Connect(_))), "{:?}", refused.err());

    // Each refusal is counted by its reason, for an alert on a burst of forged tokens.
    let metrics = reqwest::get(format!("http://{address}/metrics")).await.unwrap().text().await.unwrap();
    for (reason, count) in [
        ("missing", 1),
        ("expired", 1),
        ("wrong_audience", 1),
        ("wrong_issuer", 1),
        ("not_yet_valid", 1),
        ("bad_signature", 1),
        ("malformed", 2),
    ] {
        let series = format!(r#"mcp_auth_failures_total{{reason="{reason}"}} {count}"#);
        assert!(metrics.lines().any(|line| line == series), "no `{series}` in\n{metrics}");
    }
}

#[tokio::test]
async fn the_protected_resource_metadata_names_the_issuer_and_every_scope() {
    let (address, url) = hs256_server().await;
    for path in ["/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"] {
        let document: Value = reqwest::get(format!("http://{address}{path}")).await.unwrap().json().await.unwrap();
        assert_eq!(
            document,
            json!({
                "resource": url,
                "authorization_servers": [ISSUER],
                "scopes_supported": ["admin", "notes:admin", "notes:read", "notes:write"],
                "bearer_methods_supported": ["header"],
                "resource_name": "auth-fixture",
            })
        );
    }
    // Health stays outside authentication.
    assert_eq!(reqwest::get(format!("http://{address}/health")).await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn a_call_without_the_scope_gets_403_with_a_step_up_challenge() {
    let (address, url) = hs256_server().await;
    let reader = hs256(&claims("alice", "notes:read", &url));
    let call = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                      "params": {"name": "write_notes", "arguments": {"note": "hi"}}});
    let response = post(&url, Some(&reader), call.clone()).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let challenge = challenge(&response);
    assert!(
        challenge.starts_with(&format!(
            r#"Bearer error="insufficient_scope", scope="notes:write", resource_metadata="http://{address}/.well-known/oauth-protected-resource/mcp""#
        )),
        "{challenge}"
    );

    // A 2026-07-28 request (which also names the tool in `Mcp-Name`) is refused the same way.
    let modern = reqwest::Client::new()
        .post(&url)
        .bearer_auth(&reader)
        .header(header::ACCEPT, "application/json, text/event-stream")
        .header("mcp-protocol-version", "2026-07-28")
        .header("mcp-method", "tools/call")
        .header("mcp-name", "write_notes")
        .json(&call)
        .send()
        .await
        .unwrap();
    assert_eq!(modern.status(), StatusCode::FORBIDDEN);

    // Prompts are guarded the same way.
    let get = json!({"jsonrpc": "2.0", "id": 3, "method": "prompts/get", "params": {"name": "plan"}});
    let refused = post(&url, Some(&reader), get).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(refused.headers()[header::WWW_AUTHENTICATE].to_str().unwrap().contains(r#"scope="notes:admin""#));

    let outsider = hs256(&claims("eve", "", &url));
    let read = json!({"jsonrpc": "2.0", "id": 4, "method": "resources/read", "params": {"uri": "notes://all"}});
    let refused = post(&url, Some(&outsider), read).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let metrics = reqwest::get(format!("http://{address}/metrics")).await.unwrap().text().await.unwrap();
    assert!(metrics.contains(r#"mcp_auth_failures_total{reason="insufficient_scope"} 4"#), "{metrics}");

    // With the scope, the same call goes through; an unknown tool is left to the protocol.
    let writer = hs256(&claims("bob", "notes:write", &url));
    let client = TestClient::connect_http_with(&url, ProtocolVersion::V_2025_11_25, Some(&writer)).await.unwrap();
    assert_eq!(client.call_text("write_notes", json!({"note": "hi"})).await.unwrap(), "wrote hi");
}

#[tokio::test]
async fn the_hierarchy_grants_implied_scopes() {
    let (_, url) = hs256_server().await;
    let notes_admin = hs256(&claims("carol", "notes:admin", &url));
    let client = TestClient::connect_http_with(&url, ProtocolVersion::V_2025_11_25, Some(&notes_admin)).await.unwrap();
    assert_eq!(tool_names(&client).await, ["echo", "read_notes", "whoami", "write_notes"]);
    assert_eq!(client.call_text("write_notes", json!({"note": "x"})).await.unwrap(), "wrote x");

    let root = hs256(&claims("root", "admin", &url));
    let client = TestClient::connect_http_with(&url, ProtocolVersion::V_2025_11_25, Some(&root)).await.unwrap();
    assert_eq!(tool_names(&client).await, ["echo", "read_notes", "reset", "whoami", "write_notes"]);
    assert_eq!(client.call_text("reset", json!({})).await.unwrap(), "reset");
}

#[tokio::test]
async fn rs256_and_es256_from_a_jwks_url_and_unknown_key_ids() {
    let rsa = EncodingKey::from_rsa_pem(RSA_PRIVATE).unwrap();
    let ec = EncodingKey::from_ec_pem(EC_PRIVATE).unwrap();
    let mut rsa_jwk = Jwk::from_encoding_key(&rsa, Algorithm::RS256).unwrap();
    rsa_jwk.common.key_id = Some("rsa-1".into());
    let mut ec_jwk = Jwk::from_encoding_key(&ec, Algorithm::ES256).unwrap();
    ec_jwk.common.key_id = Some("ec-1".into());
    let jwks = json!({"keys": [rsa_jwk, ec_jwk]});
    let jwks_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let jwks_url = format!("http://{}/jwks.json", jwks_listener.local_addr().unwrap());
    let jwks_app = axum::Router::new().route("/jwks.json", axum::routing::get(move || async move { axum::Json(jwks) }));
    tokio::spawn(async move { axum::serve(jwks_listener, jwks_app).await });

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    let jwt = JwtAuthenticator::new(JwtKeys::JwksUrl(jwks_url)).issuer(ISSUER).audience(&url).load().await.unwrap();
    tokio::spawn(server().authenticator(jwt).serve_http_on(listener, std::future::pending()));

    for (algorithm, kid, key) in [(Algorithm::RS256, "rsa-1", &rsa), (Algorithm::ES256, "ec-1", &ec)] {
        let token = signed(algorithm, kid, key, &claims(kid, "notes:read", &url));
        let client = TestClient::connect_http_with(&url, ProtocolVersion::V_2025_11_25, Some(&token)).await.unwrap();
        assert_eq!(client.call_text("whoami", json!({})).await.unwrap(), format!("{kid} [\"notes:read\"]"));
    }
    let unknown = signed(Algorithm::RS256, "rsa-2", &rsa, &claims("x", "notes:read", &url));
    let response = post(&url, Some(&unknown), initialize()).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(challenge(&response).contains("the token was signed with an unknown key `rsa-2`"));
    // A key may verify only its own algorithm: an EC key id with an RS256 header is refused.
    let confused = signed(Algorithm::RS256, "ec-1", &rsa, &claims("x", "notes:read", &url));
    assert_eq!(post(&url, Some(&confused), initialize()).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_pem_public_key_verifies_rs256() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    let jwt = JwtAuthenticator::new(JwtKeys::PublicKeyPem(RSA_PUBLIC.to_vec())).audience(&url).load().await.unwrap();
    tokio::spawn(server().authenticator(jwt).serve_http_on(listener, std::future::pending()));
    let rsa = EncodingKey::from_rsa_pem(RSA_PRIVATE).unwrap();
    let token = jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims("dave", "", &url), &rsa).unwrap();
    let client = TestClient::connect_http_with(&url, ProtocolVersion::V_2025_11_25, Some(&token)).await.unwrap();
    assert_eq!(client.call_text("whoami", json!({})).await.unwrap(), "dave []");
}

#[tokio::test]
async fn api_keys_good_and_bad() {
    let keys = ApiKeys::from_json(&format!(
        r#"{{"keys": [
            {{"name": "ci-bot", "key": "ci-key-1234", "scopes": ["notes:read"]}},
            {{"name": "ops", "sha256": "{}", "scopes": ["admin"]}}
        ]}}"#,
        "a2c9a3c5d6b8c1e0a0e7e8d3b8f1e2c4a9b7d6c5e4f3a2b1c0d9e8f7a6b5c4d3"
    ))
    .unwrap();
    let (_, url) = serve(server().authenticator(keys)).await;
    let client = TestClient::connect_http_with(&url, ProtocolVersion::V_2025_11_25, Some("ci-key-1234")).await.unwrap();
    assert_eq!(client.call_text("whoami", json!({})).await.unwrap(), "ci-bot [\"notes:read\"]");
    let response = post(&url, Some("ci-key-12345"), initialize()).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(challenge(&response).contains("the token is not a valid API key"));
}

/// API keys with no authorization server: nothing to discover, so the challenge is a plain
/// `Bearer` and no RFC 9728 document is served. With one, MCP Inspector would start an OAuth flow
/// and Claude Code would try dynamic client registration against a server that has none.
#[tokio::test]
async fn api_keys_without_an_authorization_server_ask_for_a_header_and_nothing_else() {
    let keys = ApiKeys::from_json(r#"{"keys": [{"name": "ci-bot", "key": "ci-key-1234", "scopes": ["notes:read"]}]}"#)
        .unwrap();
    let server =
        Server::new("keys-only", "1.0.0").register(handlers![echo, read_notes, write_notes]).authenticator(keys);
    let (address, url) = serve(server).await;

    let missing = post(&url, None, initialize()).await;
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(challenge(&missing), "Bearer");

    let wrong = post(&url, Some("ci-key-12345"), initialize()).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        challenge(&wrong),
        r#"Bearer error="invalid_token", error_description="the token is not a valid API key""#
    );

    let call = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                      "params": {"name": "write_notes", "arguments": {"note": "hi"}}});
    let refused = post(&url, Some("ci-key-1234"), call).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        challenge(&refused),
        r#"Bearer error="insufficient_scope", scope="notes:write", error_description="`write_notes` requires scope notes:write""#
    );

    for path in ["/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"] {
        let response = reqwest::get(format!("http://{address}{path}")).await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let client = TestClient::connect_http_with(&url, ProtocolVersion::V_2025_11_25, Some("ci-key-1234")).await.unwrap();
    assert_eq!(client.call_text("read_notes", json!({})).await.unwrap(), "the notes");
}

#[tokio::test]
async fn without_an_authenticator_callers_get_the_local_principal() {
    // stdio (in-process pipe): everything is allowed by default.
    let client = TestClient::connect(server()).await.unwrap();
    assert_eq!(tool_names(&client).await.len(), 5);
    assert_eq!(client.call_text("reset", json!({})).await.unwrap(), "reset");

    // A narrower local principal: lists shrink and calls are refused with a precise error.
    let limited = server().local_principal(Principal::new("local", ["notes:read"]));
    let client = TestClient::connect(limited).await.unwrap();
    assert_eq!(tool_names(&client).await, ["echo", "read_notes", "whoami"]);
    match client.call_tool("write_notes", json!({"note": "x"})).await {
        Err(TestError::Service(rmcp::ServiceError::McpError(error))) => {
            assert_eq!(error.code.0, FORBIDDEN);
            assert_eq!(
                error.message,
                "tool `write_notes` requires the scopes [\"notes:write\"]; `local` lacks [\"notes:write\"]"
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }

    // HTTP without an authenticator behaves like stdio (the default bind is loopback).
    let (_, url) = serve(server()).await;
    let client = TestClient::connect_http(&url).await.unwrap();
    assert_eq!(client.call_text("whoami", json!({})).await.unwrap(), "local []");

    // The scopes a local principal's scope implies hold over HTTP as they do over stdio: the
    // HTTP layer refuses by the same principal the handlers see, the hierarchy applied.
    let admin = server().local_principal(Principal::new("local", ["notes:admin"]));
    let (_, url) = serve(admin).await;
    let client = TestClient::connect_http(&url).await.unwrap();
    assert_eq!(client.call_text("write_notes", json!({"note": "x"})).await.unwrap(), "wrote x");
    let refused = post(
        &url,
        None,
        json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                                          "params": {"name": "reset", "arguments": {}}}),
    )
    .await;
    assert_eq!(refused.status(), 403, "`admin` is not implied by `notes:admin`");
}

mod typed {
    use mcp_runtime::{auth::Scopes, prelude::*};

    #[derive(Scopes)]
    pub enum Scope {
        #[scope("files:read")]
        FilesRead,
        #[scope("files:write", implies = [FilesRead])]
        FilesWrite,
        #[scope("root", superuser)]
        Root,
    }

    /// Read a file.
    #[mcp_tool(read_only, scopes = [Scope::FilesRead])]
    pub async fn read_file() -> &'static str {
        "read"
    }

    /// Write a file.
    #[mcp_tool(scopes = [Scope::FilesWrite])]
    pub async fn write_file() -> &'static str {
        "written"
    }
}

#[tokio::test]
async fn typed_scopes_give_names_hierarchy_and_metadata() {
    use typed::Scope;
    let server =
        || Server::new("typed", "1.0.0").scopes::<Scope>().register(handlers![typed::read_file, typed::write_file]);

    // The declared hierarchy: files:write implies files:read.
    let writer = server().local_principal(Principal::new("local", [Scope::FilesWrite.as_str()]));
    let client = TestClient::connect(writer).await.unwrap();
    assert_eq!(tool_names(&client).await, ["read_file", "write_file"]);
    assert_eq!(client.call_text("read_file", json!({})).await.unwrap(), "read");
    let reader = server().local_principal(Principal::new("local", ["files:read"]));
    assert_eq!(tool_names(&TestClient::connect(reader).await.unwrap()).await, ["read_file"]);

    // Every declared scope is advertised, used by a tool or not (`root`).
    let keys = ApiKeys::from_json(r#"{"keys": [{"name": "k", "key": "k-123", "scopes": ["root"]}]}"#).unwrap();
    let (address, url) = serve(server().authenticator(keys).authorization_server(ISSUER)).await;
    let document: Value = reqwest::get(format!("http://{address}/.well-known/oauth-protected-resource"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(document["scopes_supported"], json!(["files:read", "files:write", "root"]));
    let root = TestClient::connect_http_with(&url, ProtocolVersion::V_2025_11_25, Some("k-123")).await.unwrap();
    assert_eq!(root.call_text("write_file", json!({})).await.unwrap(), "written");
}

#[tokio::test]
async fn show_all_lists_everything_and_still_refuses() {
    let server = server()
        .list_policy(mcp_runtime::auth::ListPolicy::ShowAll)
        .local_principal(Principal::new("local", ["notes:read"]));
    let client = TestClient::connect(server).await.unwrap();
    assert_eq!(tool_names(&client).await, ["echo", "read_notes", "reset", "whoami", "write_notes"]);
    match client.call_tool("reset", json!({})).await {
        Err(TestError::Service(rmcp::ServiceError::McpError(error))) => assert_eq!(error.code.0, FORBIDDEN),
        other => panic!("expected a refusal, got {other:?}"),
    }
}
