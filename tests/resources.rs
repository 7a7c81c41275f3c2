//! `#[mcp_resource]` end to end through rmcp's client: fixed resources, templates (simple,
//! reserved, query), every return form, matching order, and each error the spec names.

use mcp_runtime::{
    auth::{FORBIDDEN, Principal},
    prelude::*,
    resource::ResourceContents,
    testing::TestClient,
};
use rmcp::model::{ErrorCode, ReadResourceRequestParams, ReadResourceResult};
use serde_json::json;

/// The application's settings.
#[mcp_resource(uri = "config://app", title = "App settings")]
async fn settings() -> &'static str {
    "theme = dark"
}

/// The settings as JSON.
#[mcp_resource(uri = "config://app.json")]
async fn settings_json() -> Json<serde_json::Value> {
    Json(json!({"theme": "dark"}))
}

/// The logo.
#[mcp_resource(uri = "images://logo", mime_type = "image/png")]
async fn logo() -> Vec<u8> {
    vec![0x89, b'P', b'N', b'G']
}

/// The latest backup, shared without copying.
#[mcp_resource(uri = "backups://latest")]
async fn backup() -> bytes::Bytes {
    bytes::Bytes::from_static(b"\x1f\x8b")
}

/// User ids known to this server, for completion.
async fn user_ids(prefix: String) -> Vec<String> {
    ["41", "42", "7"].into_iter().filter(|id| id.starts_with(&prefix)).map(String::from).collect()
}

/// One user's profile.
#[mcp_resource(uri = "users://{id}/profile")]
async fn profile(
    /// The user's numeric id.
    #[complete(user_ids)]
    id: u64,
) -> Json<serde_json::Value> {
    Json(json!({"id": id}))
}

/// The caller's own profile: more specific than `users://{id}/profile`.
#[mcp_resource(uri = "users://me/profile")]
async fn my_profile(ctx: Context) -> String {
    format!("profile of {}", ctx.principal().subject())
}

/// A file below the served directory.
#[mcp_resource(uri = "files:///{+path}")]
async fn file(path: String) -> Result<String, ToolError> {
    if path.split('/').any(|part| part == "..") {
        return Err(ToolError::invalid_argument("path", "must stay below the served directory"));
    }
    if path == "gone.txt" {
        // As `std::fs` would report it; `?` keeps the kind.
        Err(std::io::Error::new(std::io::ErrorKind::NotFound, "gone.txt was deleted"))?;
    }
    Ok(format!("contents of {path}"))
}

/// A document whose store is broken.
#[mcp_resource(uri = "docs://broken")]
async fn broken() -> Result<String, String> {
    Err("the index is corrupt".to_owned())
}

/// Notes matching a query.
#[mcp_resource(uri = "search://notes{?q,limit}")]
fn search(q: Option<String>, limit: Option<u32>) -> String {
    format!("q={q:?} limit={limit:?}")
}

/// Both halves of a document.
#[mcp_resource(uri = "docs://{name}/halves")]
async fn halves(name: String) -> Vec<ResourceContents> {
    vec![
        ResourceContents::text(format!("{name}: first"), format!("docs://{name}/1")),
        ResourceContents::text(format!("{name}: second"), format!("docs://{name}/2")),
    ]
}

/// Plans, for planners.
#[mcp_resource(uri = "secret://plans", scopes = ["plans:read"])]
async fn plans() -> &'static str {
    "world domination"
}

/// The release notes, mostly for people.
#[mcp_resource(uri = "docs://release-notes", audience = ["user"], priority = 0.3, size = 12)]
async fn release_notes() -> &'static str {
    "v1: initial."
}

/// Every chapter of the manual.
async fn chapters() -> Vec<mcp_runtime::resource::Resource> {
    vec![
        mcp_runtime::resource::Resource::new("manual://chapters/intro", "intro"),
        mcp_runtime::resource::Resource::new("manual://chapters/usage", "usage").with_mime_type("text/markdown"),
    ]
}

/// One chapter of the manual.
#[mcp_resource(uri = "manual://chapters/{name}", list = chapters, audience = ["assistant"], priority = 0.9)]
async fn chapter(name: String) -> String {
    format!("chapter {name}")
}

/// A large document.
#[mcp_resource(uri = "docs://large")]
async fn large() -> String {
    "x".repeat(10_000)
}

fn server() -> Server {
    Server::new("resources", "1.0.0").register(handlers![
        settings,
        settings_json,
        logo,
        backup,
        profile,
        my_profile,
        file,
        search,
        halves,
        broken,
        plans,
        large,
        release_notes,
        chapter
    ])
}

async fn read(client: &TestClient, uri: &str) -> Result<ReadResourceResult, rmcp::ErrorData> {
    match client.peer().read_resource(ReadResourceRequestParams::new(uri)).await {
        Ok(result) => Ok(result),
        Err(rmcp::ServiceError::McpError(error)) => Err(error),
        Err(other) => panic!("transport failure: {other}"),
    }
}

fn text(result: &ReadResourceResult) -> (String, Option<String>) {
    match &result.contents[0] {
        ResourceContents::TextResourceContents { text, mime_type, .. } => (text.clone(), mime_type.clone()),
        other => panic!("expected text, got {other:?}"),
    }
}

#[tokio::test]
async fn lists_snapshot() {
    let client = TestClient::connect(server()).await.unwrap();
    let resources = client.peer().list_all_resources().await.unwrap();
    insta::assert_json_snapshot!("resources_list", resources);
    let templates = client.peer().list_all_resource_templates().await.unwrap();
    insta::assert_json_snapshot!("resource_templates_list", templates);
}

#[tokio::test]
async fn every_return_form_is_read_with_its_mime_type() {
    let client = TestClient::connect(server()).await.unwrap();
    assert_eq!(text(&read(&client, "config://app").await.unwrap()), ("theme = dark".into(), Some("text/plain".into())));
    let json_text = text(&read(&client, "config://app.json").await.unwrap());
    assert_eq!(json_text.1.as_deref(), Some("application/json"));
    assert_eq!(serde_json::from_str::<serde_json::Value>(&json_text.0).unwrap(), json!({"theme": "dark"}));

    match &read(&client, "images://logo").await.unwrap().contents[0] {
        ResourceContents::BlobResourceContents { blob, mime_type, uri, .. } => {
            assert_eq!(
                (blob.as_str(), mime_type.as_deref(), uri.as_str()),
                ("iVBORw==", Some("image/png"), "images://logo")
            );
        }
        other => panic!("expected a blob, got {other:?}"),
    }
    match &read(&client, "backups://latest").await.unwrap().contents[0] {
        ResourceContents::BlobResourceContents { blob, mime_type, .. } => {
            assert_eq!((blob.as_str(), mime_type.as_deref()), ("H4s=", Some("application/octet-stream")));
        }
        other => panic!("expected a blob, got {other:?}"),
    }

    let halves = read(&client, "docs://spec/halves").await.unwrap();
    assert_eq!(halves.contents.len(), 2);
}

#[tokio::test]
async fn templates_match_and_parse_their_variables() {
    let client = TestClient::connect(server()).await.unwrap();
    let profile = read(&client, "users://42/profile").await.unwrap();
    assert_eq!(text(&profile).0.replace([' ', '\n'], ""), r#"{"id":42}"#);
    // The fixed URI wins over the template it also matches.
    assert_eq!(text(&read(&client, "users://me/profile").await.unwrap()).0, "profile of local");
    assert_eq!(text(&read(&client, "files:///src/lib.rs").await.unwrap()).0, "contents of src/lib.rs");
    assert_eq!(
        text(&read(&client, "search://notes?q=red%20car&limit=5").await.unwrap()).0,
        "q=Some(\"red car\") limit=Some(5)"
    );
    assert_eq!(text(&read(&client, "search://notes").await.unwrap()).0, "q=None limit=None");
}

#[tokio::test]
async fn templates_list_their_resources_and_annotations_are_advertised() {
    let client = TestClient::connect(server()).await.unwrap();
    let resources = client.peer().list_all_resources().await.unwrap();
    let find = |uri: &str| resources.iter().find(|resource| resource.uri == uri).unwrap().clone();
    let intro = find("manual://chapters/intro");
    assert_eq!(intro.mime_type.as_deref(), Some("text/plain"), "the template's MIME type");
    assert_eq!(intro.annotations.as_ref().unwrap().priority, Some(0.9));
    assert_eq!(find("manual://chapters/usage").mime_type.as_deref(), Some("text/markdown"), "its own");
    let notes = find("docs://release-notes");
    assert_eq!(notes.size, Some(12));
    assert_eq!(notes.annotations.unwrap().audience, Some(vec![rmcp::model::Role::User]));
    assert_eq!(text(&read(&client, "manual://chapters/intro").await.unwrap()).0, "chapter intro");
}

#[tokio::test]
async fn template_variables_complete() {
    let client = TestClient::connect(server()).await.unwrap();
    let ids = client.peer().complete_resource_argument("users://{id}/profile", "id", "4", None).await.unwrap();
    assert_eq!(ids.values, ["41", "42"]);
    let unknown = client.peer().complete_resource_argument("users://{nope}", "nope", "", None).await;
    assert!(format!("{unknown:?}").contains("no resource template is `users://{nope}`"), "{unknown:?}");
}

#[tokio::test]
async fn each_error_is_the_one_the_spec_names() {
    let client = TestClient::connect(server()).await.unwrap();
    let missing = read(&client, "config://nope").await.unwrap_err();
    assert_eq!(missing.code, ErrorCode::RESOURCE_NOT_FOUND);
    assert_eq!(missing.message, "no resource has the URI `config://nope`");

    let bad_id = read(&client, "users://abc/profile").await.unwrap_err();
    assert_eq!(bad_id.code, ErrorCode::INVALID_PARAMS);
    assert_eq!(
        bad_id.message,
        "resource `users://abc/profile`: invalid variable `id`: expected u64: invalid digit found in string"
    );
    let bad_limit = read(&client, "search://notes?limit=lots").await.unwrap_err();
    assert_eq!(bad_limit.code, ErrorCode::INVALID_PARAMS);

    let escaping = read(&client, "files:///../etc/passwd").await.unwrap_err();
    assert_eq!(escaping.code, ErrorCode::INVALID_PARAMS);
    assert_eq!(
        escaping.message,
        "resource `files:///../etc/passwd`: invalid argument `path`: must stay below the served directory"
    );
    let gone = read(&client, "files:///gone.txt").await.unwrap_err();
    assert_eq!(gone.code, ErrorCode::RESOURCE_NOT_FOUND);
    assert_eq!(gone.message, "no resource at `files:///gone.txt`: gone.txt was deleted");
    assert_eq!(gone.data, Some(json!({"uri": "files:///gone.txt"})));

    let failing = read(&client, "docs://broken").await.unwrap_err();
    assert_eq!(failing.code, ErrorCode::INTERNAL_ERROR);
    assert_eq!(failing.message, "reading `docs://broken` failed: the index is corrupt");
}

#[tokio::test]
async fn scopes_filter_lists_and_refuse_reads() {
    let client = TestClient::connect(server()).await.unwrap();
    assert_eq!(text(&read(&client, "secret://plans").await.unwrap()).0, "world domination");
    let limited =
        TestClient::connect(server().local_principal(Principal::new("intern", ["notes:read"]))).await.unwrap();
    let visible = limited.peer().list_all_resources().await.unwrap();
    assert!(visible.iter().all(|resource| resource.uri != "secret://plans"));
    let refused = read(&limited, "secret://plans").await.unwrap_err();
    assert_eq!(refused.code.0, FORBIDDEN);
}

#[tokio::test]
async fn oversized_reads_are_refused_not_truncated() {
    let client = TestClient::connect(server().max_resource_bytes(1000)).await.unwrap();
    let error = read(&client, "docs://large").await.unwrap_err();
    assert_eq!(error.code, ErrorCode::INTERNAL_ERROR);
    assert_eq!(
        error.message,
        "the resource `docs://large` is 10000 bytes, more than this server sends at once (1000 bytes)"
    );
    assert_eq!(text(&read(&client, "config://app").await.unwrap()).0, "theme = dark");
}

#[tokio::test]
async fn the_resources_capability_is_advertised_only_with_resources() {
    let with = TestClient::connect(server()).await.unwrap();
    assert!(with.peer().peer_info().unwrap().capabilities.resources.is_some());
    let without = TestClient::connect(Server::new("none", "1.0.0")).await.unwrap();
    assert!(without.peer().peer_info().unwrap().capabilities.resources.is_none());
}

// `resources/subscribe` is how 2025 clients subscribe; rmcp marks it deprecated for 2026 ones.
#[allow(deprecated)]
mod subscriptions {
    use std::time::Duration;

    use mcp_runtime::{auth::Principal, prelude::*, testing::TestClient};
    use rmcp::model::{ProtocolVersion, ServerNotification, SubscribeRequestParams, SubscriptionFilter};

    const PATIENCE: Duration = Duration::from_secs(5);

    /// A value that changes.
    #[mcp_resource(uri = "counter://value")]
    async fn value() -> &'static str {
        "1"
    }

    /// Another value.
    #[mcp_resource(uri = "counter://other")]
    async fn other() -> &'static str {
        "2"
    }

    /// A secret value.
    #[mcp_resource(uri = "counter://secret", scopes = ["secrets:read"])]
    async fn secret() -> &'static str {
        "3"
    }

    fn server() -> Server {
        Server::new("subscriptions", "1.0.0").register(handlers![value, other, secret])
    }

    /// The in-process client shares the server; a real deployment shares it across
    /// connections, which `connect` builds one of per client.
    async fn connect(server: Server, version: ProtocolVersion) -> TestClient {
        TestClient::connect_speaking(server, version).await.unwrap()
    }

    #[tokio::test]
    async fn updates_reach_exactly_the_subscribed_session() {
        let server = server();
        let notifier = server.notifier();
        let service = server.build().unwrap();
        // Two sessions of the same server, as two HTTP sessions would be.
        let subscribed = TestClient::connect_service(service.for_new_connection()).await.unwrap();
        let bystander = TestClient::connect_service(service.for_new_connection()).await.unwrap();
        subscribed.peer().subscribe(SubscribeRequestParams::new("counter://value")).await.unwrap();

        notifier.resource_updated("counter://value").await;
        notifier.resource_updated("counter://other").await;
        let recorded = subscribed.wait_for(|r| !r.resource_updates.is_empty(), PATIENCE).await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(subscribed.recorded().resource_updates, ["counter://value"], "{recorded:?}");
        assert!(bystander.recorded().resource_updates.is_empty());

        // List changes go to every connected client.
        notifier.resource_list_changed().await;
        bystander.wait_for(|r| r.list_changes == ["resources"], PATIENCE).await.unwrap();
        subscribed.wait_for(|r| r.list_changes == ["resources"], PATIENCE).await.unwrap();

        subscribed.peer().unsubscribe(rmcp::model::UnsubscribeRequestParams::new("counter://value")).await.unwrap();
        notifier.resource_updated("counter://value").await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(subscribed.recorded().resource_updates.len(), 1, "nothing after unsubscribing");
    }

    #[tokio::test]
    async fn subscribing_checks_the_uri_and_the_scopes() {
        let limited =
            connect(server().local_principal(Principal::new("intern", [""; 0])), ProtocolVersion::V_2025_11_25).await;
        let unknown = limited.peer().subscribe(SubscribeRequestParams::new("counter://nope")).await;
        assert!(format!("{unknown:?}").contains("no resource has the URI `counter://nope`"), "{unknown:?}");
        let forbidden = limited.peer().subscribe(SubscribeRequestParams::new("counter://secret")).await;
        assert!(
            format!("{forbidden:?}")
                .contains("ErrorCode(-32003), message: \"resource `counter://secret` requires the scopes"),
            "{forbidden:?}"
        );
    }

    #[tokio::test]
    async fn a_2026_listener_hears_what_it_asked_for_and_may_read() {
        let server = server().local_principal(Principal::new("intern", [""; 0]));
        let notifier = server.notifier();
        let client = connect(server, ProtocolVersion::V_2026_07_28).await;
        let filter = SubscriptionFilter::builder()
            .resource_subscription("counter://value")
            .resource_subscription("counter://secret")
            .resources_list_changed()
            .build();
        let mut subscription = client.peer().listen(filter).await.unwrap();
        // The acknowledgement arrived before `listen` returned; give the server a moment to
        // register the stream before notifying.
        tokio::time::sleep(Duration::from_millis(100)).await;

        notifier.resource_updated("counter://secret").await; // no scope: not delivered
        notifier.resource_updated("counter://other").await; // not asked for: not delivered
        notifier.resource_updated("counter://value").await;
        notifier.resource_list_changed().await;

        let first = tokio::time::timeout(PATIENCE, subscription.next()).await.unwrap().unwrap().unwrap();
        match first {
            ServerNotification::ResourceUpdatedNotification(update) => assert_eq!(update.params.uri, "counter://value"),
            other => panic!("expected the update of counter://value, got {other:?}"),
        }
        let second = tokio::time::timeout(PATIENCE, subscription.next()).await.unwrap().unwrap().unwrap();
        assert!(matches!(second, ServerNotification::ResourceListChangedNotification(_)), "{second:?}");
    }
}

/// A list function may take the `Context`, to list from the server's state and for the caller.
mod listing_from_state {
    use mcp_runtime::{prelude::*, testing::TestClient};

    struct Shelf(Vec<&'static str>);

    /// The books on the shelf, as the server's state holds them, and who asked.
    async fn books(ctx: Context) -> Vec<mcp_runtime::resource::Resource> {
        let shelf = ctx.state::<Shelf>().expect("the shelf is the server's state");
        let caller = ctx.principal().subject().to_owned();
        shelf
            .0
            .iter()
            .map(|title| {
                mcp_runtime::resource::Resource::new(format!("books://{title}"), *title)
                    .with_description(format!("for {caller}"))
            })
            .collect()
    }

    /// One book.
    #[mcp_resource(uri = "books://{title}", list = books)]
    async fn book(title: String) -> String {
        format!("the text of {title}")
    }

    #[tokio::test]
    async fn a_list_function_reads_the_servers_state() {
        let server = Server::new("library", "1.0.0").state(Shelf(vec!["dune", "emma"])).register(handlers![book]);
        let client = TestClient::connect(server).await.unwrap();
        let listed = client.peer().list_resources(None).await.unwrap().resources;
        let uris: Vec<&str> = listed.iter().map(|resource| resource.uri.as_str()).collect();
        assert_eq!(uris, ["books://dune", "books://emma"]);
        assert_eq!(listed[0].description.as_deref(), Some("for local"));
    }
}
