//! Unit conversions as a tool pack: [`server`] is a `Server` with the tools registered, ready
//! to serve or to mount under a prefix of the application's choosing.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let hub = mcp_runtime::Server::new("hub", "1.0.0").mount("units", units_pack::server());
//! let client = mcp_runtime::testing::TestClient::connect(hub).await.unwrap();
//! let boiling = client.call_text("units_celsius_to_fahrenheit", serde_json::json!({"celsius": 100.0})).await.unwrap();
//! assert_eq!(boiling, "212.0");
//! # }
//! ```

use mcp_runtime::prelude::*;

/// Convert a temperature from degrees Celsius to degrees Fahrenheit.
#[mcp_tool(read_only, idempotent)]
pub async fn celsius_to_fahrenheit(
    /// Degrees Celsius.
    celsius: f64,
) -> f64 {
    celsius * 9.0 / 5.0 + 32.0
}

/// Convert a distance from kilometres to miles.
#[mcp_tool(read_only, idempotent)]
pub async fn km_to_miles(
    /// Kilometres; at least zero.
    #[schemars(range(min = 0.0))]
    km: f64,
) -> f64 {
    km / 1.609_344
}

/// The pack: its tools, registered on a server named `units`.
///
/// ```
/// let units = units_pack::server();
/// assert_eq!(units.build().unwrap().tool_count(), 2);
/// ```
pub fn server() -> Server {
    Server::new("units", env!("CARGO_PKG_VERSION")).register(handlers![celsius_to_fahrenheit, km_to_miles])
}
