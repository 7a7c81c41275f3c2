//! The in-process cost of dispatching MCP requests: our framework against the same tools written
//! by hand with rmcp's own `#[tool_router]` / `#[tool]` / `#[tool_handler]` macros.
//!
//! ```text
//! cargo bench --features bench --bench dispatch
//! ```
//!
//! Both sides are driven through `rmcp::Service::<RoleServer>::handle_request`, the method rmcp's
//! service loop calls for every decoded request, with the same `RequestContext`: rmcp's
//! `RequestContext::new` is public, and the `Peer<RoleServer>` it needs (whose constructor is
//! crate-private) is taken from a server started with `rmcp::service::serve_directly` on an idle
//! duplex pipe. `handle_request` rather than `ServerHandler::call_tool`, because it is the entry
//! point whatever a framework wraps around its handler (our request observation, for one), and
//! rmcp's request routing in it is the same code on both sides. That leaves out JSON-RPC framing
//! and the transport, rmcp's and identical on both sides, so the ratio isolates what the
//! frameworks themselves do per request. The request and context are built outside the timed
//! section (`iter_batched`), and the result is dropped outside it too.
//!
//! Groups:
//! - `tools_call_add`: `add(a: i64, b: i64)` returning a structured `{"result": a + b}` (ours
//!   returns a bare `i64`, which the runtime wraps; rmcp returns `Json<Sum>`: the same
//!   structured content, checked before measuring; the text beside it is `42` in ours and
//!   `{"result":42}` in rmcp's). Its schema asks nothing serde does not check, so ours runs no
//!   schema validator; `ours_bounded` is the same sum with a `#[schemars(range(..))]` on each
//!   addend, which the validator checks (rmcp checks no constraint).
//! - `tools_call_add_text`: the same sum returned as text, which skips structured content.
//! - `tools_list_100`: `tools/list` of a server with 100 tools, 3 typed parameters each.
//! - `tools_call_e2e`: `add` through the real rmcp client over a `tokio::io::duplex` pipe, to show
//!   how much of a whole round trip the dispatch measured above is.
//! - `ours_parts`: pieces of our call path alone: argument decoding (a mirror of the generated
//!   struct), result conversion (the exact generated conversion), and a no-argument call.
//!
//! rmcp is measured twice where it matters: `rmcp_field_router` keeps the `ToolRouter` in a field
//! (`#[tool_handler(router = self.tool_router)]`), its best case; `rmcp_readme_router` is the
//! form rmcp-macros' README shows (`#[tool_handler]` with no router), which rebuilds the router
//! (every tool's metadata, schemas from a thread-local cache) on every request.

use std::{hint::black_box, time::Duration};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use mcp_runtime::{McpService, Server, handlers};
use rmcp::{
    RoleServer, ServerHandler, Service, ServiceExt,
    handler::server::{router::tool::ToolRouter, wrapper::Parameters},
    model::{
        CallToolRequest, CallToolRequestParams, ClientConfig, ClientRequest, JsonObject, ListToolsRequest,
        ProtocolVersion, RequestId, ServerResult, Tool,
    },
    service::{RequestContext, RunningService, serve_directly},
    tool, tool_handler, tool_router,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::runtime::Runtime;

/// The 100 tool names of the `tools/list` benchmark, shared by both sides so they list the same.
macro_rules! with_hundred_names {
    ($define:ident) => {
        $define! {
            tool_00 tool_01 tool_02 tool_03 tool_04 tool_05 tool_06 tool_07 tool_08 tool_09
            tool_10 tool_11 tool_12 tool_13 tool_14 tool_15 tool_16 tool_17 tool_18 tool_19
            tool_20 tool_21 tool_22 tool_23 tool_24 tool_25 tool_26 tool_27 tool_28 tool_29
            tool_30 tool_31 tool_32 tool_33 tool_34 tool_35 tool_36 tool_37 tool_38 tool_39
            tool_40 tool_41 tool_42 tool_43 tool_44 tool_45 tool_46 tool_47 tool_48 tool_49
            tool_50 tool_51 tool_52 tool_53 tool_54 tool_55 tool_56 tool_57 tool_58 tool_59
            tool_60 tool_61 tool_62 tool_63 tool_64 tool_65 tool_66 tool_67 tool_68 tool_69
            tool_70 tool_71 tool_72 tool_73 tool_74 tool_75 tool_76 tool_77 tool_78 tool_79
            tool_80 tool_81 tool_82 tool_83 tool_84 tool_85 tool_86 tool_87 tool_88 tool_89
            tool_90 tool_91 tool_92 tool_93 tool_94 tool_95 tool_96 tool_97 tool_98 tool_99
        }
    };
}

/// Our side, written as a user of `mcp-runtime` would.
mod ours {
    use mcp_runtime::prelude::*;

    /// Add two integers and return their sum.
    #[mcp_tool(read_only, idempotent)]
    pub async fn add(
        /// The first addend.
        a: i64,
        /// The second addend.
        b: i64,
    ) -> i64 {
        a.wrapping_add(b)
    }

    /// Add two integers and return their sum as text.
    #[mcp_tool(read_only, idempotent)]
    pub async fn add_text(
        /// The first addend.
        a: i64,
        /// The second addend.
        b: i64,
    ) -> String {
        a.wrapping_add(b).to_string()
    }

    /// Add two integers within a range and return their sum: `add` with a constraint serde
    /// does not check, so its arguments go through the schema validator.
    #[mcp_tool(read_only, idempotent)]
    pub async fn add_bounded(
        /// The first addend.
        #[schemars(range(min = -1_000_000, max = 1_000_000))]
        a: i64,
        /// The second addend.
        #[schemars(range(min = -1_000_000, max = 1_000_000))]
        b: i64,
    ) -> i64 {
        a.wrapping_add(b)
    }

    /// Do nothing; the floor of a call through our runtime.
    #[mcp_tool(read_only, idempotent)]
    pub async fn nop() {}

    pub mod hundred {
        use mcp_runtime::prelude::*;

        macro_rules! define {
            ($($name:ident)*) => {
                $(
                    /// Scale a labelled quantity and describe the result.
                    #[mcp_tool(read_only)]
                    pub async fn $name(
                        /// The label to show in front of the result.
                        label: String,
                        /// How many items there are.
                        count: u32,
                        /// The factor to scale the count by.
                        factor: f64,
                    ) -> String {
                        format!("{label}: {}", f64::from(count) * factor)
                    }
                )*

                pub fn all() -> Handlers {
                    handlers![$($name),*]
                }
            };
        }

        with_hundred_names!(define);
    }
}

/// The same tools by hand with rmcp's macros.
mod by_hand {
    use super::*;

    #[derive(Deserialize, JsonSchema)]
    pub struct AddArgs {
        /// The first addend.
        a: i64,
        /// The second addend.
        b: i64,
    }

    /// The structured result, an object as `outputSchema` requires.
    #[derive(Serialize, JsonSchema)]
    pub struct Sum {
        result: i64,
    }

    /// The router stored once, in a field: rmcp's fastest form.
    #[derive(Clone)]
    pub struct FieldRouter {
        tool_router: ToolRouter<Self>,
    }

    impl FieldRouter {
        pub fn new() -> Self {
            Self { tool_router: Self::tool_router() }
        }
    }

    /// rmcp-macros' README form: `#[tool_handler]` calls `Self::tool_router()` per request.
    #[derive(Clone)]
    pub struct ReadmeRouter;

    /// One tool set for both handler forms, so they differ only in where the router lives.
    macro_rules! add_tools {
        ($server:ident) => {
            #[tool_router]
            impl $server {
                /// Add two integers and return their sum.
                #[tool(annotations(read_only_hint = true, idempotent_hint = true))]
                async fn add(&self, Parameters(AddArgs { a, b }): Parameters<AddArgs>) -> rmcp::Json<Sum> {
                    rmcp::Json(Sum { result: a.wrapping_add(b) })
                }

                /// Add two integers and return their sum as text.
                #[tool(annotations(read_only_hint = true, idempotent_hint = true))]
                async fn add_text(&self, Parameters(AddArgs { a, b }): Parameters<AddArgs>) -> String {
                    a.wrapping_add(b).to_string()
                }
            }
        };
    }

    add_tools!(FieldRouter);
    add_tools!(ReadmeRouter);

    #[tool_handler(router = self.tool_router)]
    impl ServerHandler for FieldRouter {}

    #[tool_handler]
    impl ServerHandler for ReadmeRouter {}

    pub mod hundred {
        use super::*;

        #[derive(Deserialize, JsonSchema)]
        pub struct ScaleArgs {
            /// The label to show in front of the result.
            label: String,
            /// How many items there are.
            count: u32,
            /// The factor to scale the count by.
            factor: f64,
        }

        #[derive(Clone)]
        pub struct FieldRouter {
            tool_router: ToolRouter<Self>,
        }

        impl FieldRouter {
            pub fn new() -> Self {
                Self { tool_router: Self::tool_router() }
            }
        }

        #[derive(Clone)]
        pub struct ReadmeRouter;

        macro_rules! define {
            ($($name:ident)*) => {
                define!(@server FieldRouter $($name)*);
                define!(@server ReadmeRouter $($name)*);
            };
            (@server $server:ident $($name:ident)*) => {
                #[tool_router]
                impl $server {
                    $(
                        /// Scale a labelled quantity and describe the result.
                        #[tool(annotations(read_only_hint = true))]
                        async fn $name(
                            &self,
                            Parameters(ScaleArgs { label, count, factor }): Parameters<ScaleArgs>,
                        ) -> String {
                            format!("{label}: {}", f64::from(count) * factor)
                        }
                    )*
                }
            };
        }

        with_hundred_names!(define);

        #[tool_handler(router = self.tool_router)]
        impl ServerHandler for FieldRouter {}

        #[tool_handler]
        impl ServerHandler for ReadmeRouter {}
    }
}

/// What the generated arguments of `ours::add` decode like, to time decoding on its own (the
/// generated structs are private to the macro's expansion). Ours decodes through
/// `serde_path_to_error`, which this mirror does not, and each field through
/// `DeserializeArgument` into an `Option` moved into `__Arguments` (for one-line compile errors);
/// the difference shows in `call_add`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read only by the decoder
struct GeneratedAddArguments {
    a: i64,
    b: i64,
}

/// Logging as `Server::run` sets it up, at the level every benchmark here serves with
/// (`RUST_LOG=warn`, as `scripts/bench/lib.sh` sets it: no line per request). Without a
/// subscriber, the request's span would instead take tracing's fallback to the `log` crate,
/// which `sqlx` turns on in this package and which no server that logs pays.
fn logging_as_served() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("RUST_LOG").is_none() {
            // SAFETY: called before the benchmark's runtime or any other thread of ours starts.
            unsafe { std::env::set_var("RUST_LOG", "warn") };
        }
        mcp_runtime::observe::init_logging(mcp_runtime::observe::LogFormat::Human);
    });
}

fn runtime() -> Runtime {
    logging_as_served();
    // One thread, as a stdio server runs a request: no cross-thread wake-ups in the numbers.
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime")
}

/// A server-side request context as rmcp builds one for a request, over a live (idle) peer.
/// The running service and the far end of its pipe are returned to keep the peer open.
fn request_context(rt: &Runtime) -> (RequestContext<RoleServer>, impl Sized) {
    let _guard = rt.enter();
    let (server_end, client_end) = tokio::io::duplex(1 << 16);
    let mut client = ClientConfig::default();
    client.protocol_version = ProtocolVersion::V_2025_11_25;
    let running: RunningService<RoleServer, _> = serve_directly(by_hand::FieldRouter::new(), server_end, Some(client));
    let context = RequestContext::new(RequestId::Number(1), running.peer().clone());
    (context, (running, client_end))
}

fn add_params(name: &'static str) -> CallToolRequestParams {
    let Value::Object(arguments) = json!({"a": 20, "b": 22}) else { unreachable!() };
    CallToolRequestParams::new(name).with_arguments(arguments)
}

/// `tools/call` as rmcp's service loop hands it to a service, once the JSON-RPC frame is decoded.
fn call_request(params: CallToolRequestParams) -> ClientRequest {
    ClientRequest::CallToolRequest(CallToolRequest::new(params))
}

fn list_request() -> ClientRequest {
    ClientRequest::ListToolsRequest(ListToolsRequest {
        method: Default::default(),
        params: None,
        extensions: Default::default(),
    })
}

/// Answers `request` as rmcp's service loop would have the service answer it.
async fn handle<S: Service<RoleServer>>(
    service: &S,
    (request, context): (ClientRequest, RequestContext<RoleServer>),
) -> ServerResult {
    service.handle_request(request, context).await.expect("the request succeeds")
}

fn our_server() -> Server {
    Server::new("bench", "0.0.0").register(handlers![ours::add, ours::add_bounded, ours::add_text, ours::nop])
}

fn our_service() -> McpService {
    our_server().build().expect("our server")
}

fn call_result(
    rt: &Runtime,
    service: &impl Service<RoleServer>,
    input: (ClientRequest, RequestContext<RoleServer>),
) -> Value {
    match rt.block_on(handle(service, input)) {
        ServerResult::CallToolResult(result) => serde_json::to_value(result).expect("a result serializes"),
        other => panic!("expected a tool result, got {other:?}"),
    }
}

fn listed(rt: &Runtime, service: &impl Service<RoleServer>, context: &RequestContext<RoleServer>) -> Vec<Tool> {
    match rt.block_on(handle(service, (list_request(), context.clone()))) {
        ServerResult::ListToolsResult(result) => result.tools,
        other => panic!("expected a tool list, got {other:?}"),
    }
}

/// Refuses to compare servers that do not answer alike.
fn check_same_answers(rt: &Runtime, context: &RequestContext<RoleServer>) {
    let ours = our_service();
    let field = by_hand::FieldRouter::new();
    let readme = by_hand::ReadmeRouter;
    for name in ["add", "add_text"] {
        let input = || (call_request(add_params(name)), context.clone());
        let bounded =
            (name == "add").then(|| call_result(rt, &ours, (call_request(add_params("add_bounded")), context.clone())));
        let mut ours = call_result(rt, &ours, input());
        if let Some(bounded) = bounded {
            assert_eq!(ours, bounded, "`add_bounded` answers as `add` does");
        }
        let mut theirs = call_result(rt, &field, input());
        assert_eq!(theirs, call_result(rt, &readme, input()), "`{name}`: the two rmcp forms answer differently");
        if name == "add" {
            // The same structured result; the text beside it differs: ours writes the bare
            // value (`42`), rmcp's `Json` the whole object (`{"result":42}`). Both are small.
            assert_eq!(ours["content"][0]["text"], "42");
            assert_eq!(theirs["content"][0]["text"], r#"{"result":42}"#);
            ours["content"] = Value::Null;
            theirs["content"] = Value::Null;
        }
        assert_eq!(ours, theirs, "`{name}`: ours and rmcp answer differently");
    }
    let hundred = Server::new("bench", "0.0.0").register(ours::hundred::all()).build().expect("our server");
    let names = |tools: Vec<Tool>| tools.into_iter().map(|tool| tool.name.into_owned()).collect::<Vec<_>>();
    let ours = names(listed(rt, &hundred, context));
    assert_eq!(ours.len(), 100);
    assert_eq!(ours, names(listed(rt, &by_hand::hundred::FieldRouter::new(), context)));
    assert_eq!(ours, names(listed(rt, &by_hand::hundred::ReadmeRouter, context)));
}

fn tools_call(c: &mut Criterion) {
    let rt = runtime();
    let (context, _keep) = request_context(&rt);
    check_same_answers(&rt, &context);
    let ours = our_service();
    let field = by_hand::FieldRouter::new();
    let readme = by_hand::ReadmeRouter;
    let context = &context;
    let setup = |name: &'static str| move || (call_request(add_params(name)), context.clone());

    let mut group = c.benchmark_group("tools_call_add");
    group.bench_function("ours", |b| {
        b.to_async(&rt).iter_batched(setup("add"), |input| handle(&ours, input), BatchSize::SmallInput)
    });
    // The same sum with a range on each addend, which the schema validator checks: what a
    // constraint serde does not know costs per call (rmcp's side checks none).
    group.bench_function("ours_bounded", |b| {
        b.to_async(&rt).iter_batched(setup("add_bounded"), |input| handle(&ours, input), BatchSize::SmallInput)
    });
    group.bench_function("rmcp_field_router", |b| {
        b.to_async(&rt).iter_batched(setup("add"), |input| handle(&field, input), BatchSize::SmallInput)
    });
    group.bench_function("rmcp_readme_router", |b| {
        b.to_async(&rt).iter_batched(setup("add"), |input| handle(&readme, input), BatchSize::SmallInput)
    });
    group.finish();

    let mut group = c.benchmark_group("tools_call_add_text");
    group.bench_function("ours", |b| {
        b.to_async(&rt).iter_batched(setup("add_text"), |input| handle(&ours, input), BatchSize::SmallInput)
    });
    group.bench_function("rmcp_field_router", |b| {
        b.to_async(&rt).iter_batched(setup("add_text"), |input| handle(&field, input), BatchSize::SmallInput)
    });
    group.finish();
}

fn tools_list(c: &mut Criterion) {
    let rt = runtime();
    let (context, _keep) = request_context(&rt);
    let ours = Server::new("bench", "0.0.0").register(ours::hundred::all()).build().expect("our server");
    let field = by_hand::hundred::FieldRouter::new();
    let readme = by_hand::hundred::ReadmeRouter;
    let setup = || (list_request(), context.clone());

    let mut group = c.benchmark_group("tools_list_100");
    group.bench_function("ours", |b| {
        b.to_async(&rt).iter_batched(setup, |input| handle(&ours, input), BatchSize::SmallInput)
    });
    group.bench_function("rmcp_field_router", |b| {
        b.to_async(&rt).iter_batched(setup, |input| handle(&field, input), BatchSize::SmallInput)
    });
    group.bench_function("rmcp_readme_router", |b| {
        b.to_async(&rt).iter_batched(setup, |input| handle(&readme, input), BatchSize::SmallInput)
    });
    group.finish();
}

/// The real rmcp client (the same for both sides) connected to `server` over an in-memory pipe.
async fn connect<S: ServerHandler>(server: S) -> RunningService<rmcp::RoleClient, ()> {
    let (server_end, client_end) = tokio::io::duplex(1 << 16);
    tokio::spawn(async move {
        if let Ok(running) = server.serve(server_end).await {
            let _ = running.waiting().await;
        }
    });
    ().serve(client_end).await.expect("the client connects")
}

fn tools_call_e2e(c: &mut Criterion) {
    let rt = runtime();
    let ours = rt.block_on(connect(our_service()));
    let field = rt.block_on(connect(by_hand::FieldRouter::new()));

    let mut group = c.benchmark_group("tools_call_e2e");
    group.bench_function("ours", |b| {
        b.to_async(&rt).iter_batched(|| add_params("add"), |p| ours.peer().call_tool(p), BatchSize::SmallInput)
    });
    group.bench_function("rmcp_field_router", |b| {
        b.to_async(&rt).iter_batched(|| add_params("add"), |p| field.peer().call_tool(p), BatchSize::SmallInput)
    });
    group.finish();
}

fn ours_parts(c: &mut Criterion) {
    use mcp_runtime::__private::{Returns, ViaStructured as _};

    let rt = runtime();
    let (context, _keep) = request_context(&rt);
    let ours = our_service();
    let Value::Object(arguments) = json!({"a": 20, "b": 22}) else { unreachable!() };

    let mut group = c.benchmark_group("ours_parts");
    group.bench_function("decode_arguments_mirror", |b| {
        b.iter_batched(
            || arguments.clone(),
            |arguments: JsonObject| serde_json::from_value::<GeneratedAddArguments>(Value::Object(arguments)),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("convert_i64_result", |b| {
        b.iter(|| {
            // Exactly what the macro emits for an `i64` return, then the runtime's `{"result": ..}` wrap.
            // Three references, as generated: autoref specialization picks the conversion.
            #[allow(clippy::needless_borrow)]
            let mut result = (&&&Returns::<i64>::new()).convert(black_box(42));
            if let Some(value) = result.structured_content.take() {
                let mut wrapper = JsonObject::new();
                wrapper.insert("result".into(), value);
                result.structured_content = Some(Value::Object(wrapper));
            }
            result
        })
    });
    group.bench_function("call_nop", |b| {
        b.to_async(&rt).iter_batched(
            || (call_request(CallToolRequestParams::new("nop")), context.clone()),
            |input| handle(&ours, input),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("call_add", |b| {
        b.to_async(&rt).iter_batched(
            || (call_request(add_params("add")), context.clone()),
            |input| handle(&ours, input),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn config() -> Criterion {
    // A shared, noisy 2-core machine: more samples over a longer window steady the estimates.
    Criterion::default().warm_up_time(Duration::from_secs(2)).measurement_time(Duration::from_secs(5))
}

criterion_group! {
    name = benches;
    config = config();
    targets = tools_call, tools_list, tools_call_e2e, ours_parts
}
criterion_main!(benches);
