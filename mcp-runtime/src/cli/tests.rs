//! The flags as clap parses them and as they configure a server (the full feature set).

use super::*;

fn server() -> crate::Server {
    crate::Server::new("t", "1")
}

#[tokio::test]
async fn api_keys_come_inline_or_from_a_file() {
    let inline = AuthArgs {
        auth_api_keys: Some(r#"{"keys": [{"name": "a", "key": "k", "scopes": []}]}"#.into()),
        ..AuthArgs::default()
    };
    let service = inline.apply(server()).await.unwrap().build().unwrap();
    assert!(service.auth().authenticator.is_some());

    let missing = AuthArgs { auth_api_keys: Some("/nonexistent/keys.json".into()), ..AuthArgs::default() };
    let error = missing.apply(server()).await.err().unwrap();
    assert!(error.starts_with("cannot read /nonexistent/keys.json"), "{error}");
}

#[tokio::test]
async fn jwt_options_without_a_key_are_refused() {
    let args = AuthArgs { auth_audience: Some("https://x/mcp".into()), ..AuthArgs::default() };
    let error = args.apply(server()).await.err().unwrap();
    assert!(error.contains("need a key"), "{error}");
    let short = AuthArgs { auth_jwt_secret: Some("short".into()), ..AuthArgs::default() };
    assert_eq!(short.apply(server()).await.err().unwrap(), "the HS256 secret must be at least 32 bytes long");
}

#[test]
fn key_sources_are_mutually_exclusive() {
    #[derive(clap::Parser)]
    struct Cli {
        #[cfg_attr(feature = "cli", command(flatten))]
        runtime: RuntimeArgs,
    }
    let both = <Cli as clap::Parser>::try_parse_from(["s", "--auth-jwt-secret", "x", "--auth-jwks", "keys.json"]);
    assert!(both.is_err());
}

#[test]
fn help_names_the_server_and_gives_its_instructions() {
    let identity = Identity {
        name: "notes",
        version: "2.1.0",
        title: Some("Team notes"),
        instructions: Some("Search before you write."),
    };
    let mut command = RuntimeArgs::command_for(&identity);
    let short = command.render_help().to_string();
    assert!(
        short.starts_with(
            "notes 2.1.0: Team notes: an MCP server. It speaks MCP on stdin/stdout for a client that starts it, \
             or over HTTP with --transport http"
        ),
        "{short}"
    );
    assert!(!short.contains("mcp-runtime"), "{short}");
    let long = command.render_long_help().to_string();
    assert!(long.contains("\n\nSearch before you write.\n"), "{long}");
    assert_eq!(command.render_version().to_string(), "notes 2.1.0\n");
    let untitled = Identity { title: None, instructions: None, ..identity };
    let short = RuntimeArgs::command_for(&untitled).render_help().to_string();
    assert!(short.starts_with("notes 2.1.0: an MCP server."), "{short}");
}

#[test]
fn allow_unauthenticated_reaches_the_http_config() {
    #[derive(clap::Parser)]
    struct Cli {
        #[cfg_attr(feature = "cli", command(flatten))]
        runtime: RuntimeArgs,
    }
    let mut config = crate::transport::http::HttpConfig::default();
    <Cli as clap::Parser>::parse_from(["s"]).runtime.apply_to(&mut config);
    assert!(!config.allow_unauthenticated);
    <Cli as clap::Parser>::parse_from(["s", "--allow-unauthenticated"]).runtime.apply_to(&mut config);
    assert!(config.allow_unauthenticated);
}
