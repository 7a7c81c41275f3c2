//! An annotated function that the server does not register is named in a start-up warning,
//! unless the server discovers its handlers, names them with `leave_out`, or opts out with
//! `allow_unregistered`.

use std::sync::{Arc, Mutex};

use mcp_runtime::prelude::*;
use tracing::{
    Event, Level, Metadata, Subscriber,
    field::{Field, Visit},
    span,
};

/// Registered by every server below.
#[mcp_tool]
async fn registered() -> &'static str {
    "here"
}

/// Forgotten in `handlers![..]`.
#[mcp_tool]
async fn forgotten_tool() -> &'static str {
    "lost"
}

/// Forgotten too.
#[mcp_prompt]
async fn forgotten_prompt() -> String {
    "lost".into()
}

/// And this one.
#[mcp_resource(uri = "lost://resource")]
async fn forgotten_resource() -> String {
    "lost".into()
}

#[test]
fn each_unregistered_function_is_named_with_its_kind_file_and_line() {
    let warnings = warnings_while(|| Server::new("forgetful", "1.0.0").register(handlers![registered]));
    let expected: Vec<String> = [
        ("tool `forgotten_tool`", "forgotten_tool", "async fn forgotten_tool"),
        ("prompt `forgotten_prompt`", "forgotten_prompt", "async fn forgotten_prompt"),
        ("resource `lost://resource`", "forgotten_resource", "async fn forgotten_resource"),
    ]
    .into_iter()
    .map(|(item, function, definition)| {
        format!(
            "{item} (`unregistered::{function}` at tests/unregistered.rs:{}) is annotated but not registered; \
             add it to `handlers![..]`, or call `Server::discover()`; `Server::leave_out(handlers![..])` says it is \
             left out on purpose",
            line_of(definition)
        )
    })
    .collect();
    assert_eq!(warnings, expected);
    assert!(warnings.iter().all(|warning| !warning.contains('\n')), "one line each: {warnings:?}");
}

#[test]
fn no_warning_when_everything_is_registered() {
    let warnings = warnings_while(|| {
        Server::new("complete", "1.0.0")
            .register(handlers![registered, forgotten_tool, forgotten_prompt, forgotten_resource])
            // The runtime's own handlers are never the user's to register.
            .metrics_resource()
    });
    assert_eq!(warnings, Vec::<String>::new());
}

#[test]
fn no_warning_with_the_opt_out() {
    let warnings =
        warnings_while(|| Server::new("deliberate", "1.0.0").register(handlers![registered]).allow_unregistered());
    assert_eq!(warnings, Vec::<String>::new());
}

#[test]
fn what_is_left_out_on_purpose_is_not_reported_and_the_rest_still_is() {
    let warnings = warnings_while(|| {
        Server::new("read-only", "1.0.0").register(handlers![registered]).leave_out(handlers![forgotten_tool])
    });
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings.iter().all(|warning| !warning.contains("forgotten_tool")), "{warnings:?}");
}

#[test]
fn no_warning_when_the_server_discovers_its_handlers() {
    let warnings = warnings_while(|| Server::new("discovering", "1.0.0").discover());
    assert_eq!(warnings, Vec::<String>::new());
}

/// Builds the server `make` returns and collects the `warn` events the runtime logged meanwhile.
fn warnings_while(make: impl FnOnce() -> Server) -> Vec<String> {
    let warnings = Arc::new(Mutex::new(Vec::new()));
    let capture = Capture(warnings.clone());
    tracing::subscriber::with_default(capture, || make().build().expect("the server builds"));
    warnings.lock().unwrap().clone()
}

/// The smallest subscriber that keeps the runtime's warnings.
struct Capture(Arc<Mutex<Vec<String>>>);

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, _: &span::Attributes<'_>) -> span::Id {
        span::Id::from_u64(1)
    }

    fn record(&self, _: &span::Id, _: &span::Record<'_>) {}

    fn record_follows_from(&self, _: &span::Id, _: &span::Id) {}

    fn event(&self, event: &Event<'_>) {
        let metadata = event.metadata();
        if *metadata.level() == Level::WARN && metadata.target().starts_with("mcp_runtime") {
            let mut message = Message(String::new());
            event.record(&mut message);
            self.0.lock().unwrap().push(message.0);
        }
    }

    fn enter(&self, _: &span::Id) {}

    fn exit(&self, _: &span::Id) {}
}

struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}

fn line_of(needle: &str) -> usize {
    include_str!("unregistered.rs").lines().position(|line| line.contains(needle)).unwrap() + 1
}
