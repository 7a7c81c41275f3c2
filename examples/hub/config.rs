//! The hub's configuration file: which downstreams, and how to reach each.

use std::{collections::BTreeMap, path::Path, time::Duration};

use mcp_runtime::{compose::Downstream, duration::HumanDuration};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub hub: Hub,
    #[serde(rename = "downstream", default)]
    pub downstreams: Vec<DownstreamConfig>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hub {
    pub name: Option<String>,
    #[serde(default)]
    pub require_every_downstream: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DownstreamConfig {
    pub prefix: String,
    pub command: Option<String>,
    #[serde(default)]
    pub args: Vec<String>,
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    pub cwd: Option<String>,
    pub url: Option<String>,
    pub sse: Option<String>,
    pub timeout: Option<HumanDuration>,
    pub max_concurrency: Option<usize>,
    pub bearer_env: Option<String>,
    #[serde(default)]
    pub fallbacks: BTreeMap<String, String>,
    /// Scopes a caller needs at the hub to use this downstream's items.
    #[serde(default)]
    pub scopes: Vec<String>,
}

impl Config {
    /// Reads and checks the file; every problem is named with the downstream it is about.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        let config: Config = toml::from_str(&text).map_err(|error| format!("{}: {error}", path.display()))?;
        if config.downstreams.is_empty() {
            return Err(format!("{}: no [[downstream]]; name at least one", path.display()));
        }
        Ok(config)
    }
}

impl DownstreamConfig {
    /// The runtime's description of this downstream.
    pub fn to_downstream(&self) -> Result<Downstream, String> {
        let prefix = &self.prefix;
        let mut downstream = match (&self.command, &self.url, &self.sse) {
            (Some(command), None, None) => {
                let mut downstream = Downstream::stdio(command);
                for arg in &self.args {
                    downstream = downstream.arg(arg);
                }
                for (name, value) in &self.env {
                    downstream = downstream.env(name, value);
                }
                if let Some(cwd) = &self.cwd {
                    downstream = downstream.current_dir(cwd);
                }
                downstream
            }
            (None, Some(url), None) => Downstream::http(url),
            (None, None, Some(url)) => Downstream::sse(url),
            _ => return Err(format!("downstream `{prefix}`: give exactly one of `command`, `url` and `sse`")),
        };
        if self.command.is_none() && (!self.args.is_empty() || !self.env.is_empty() || self.cwd.is_some()) {
            return Err(format!("downstream `{prefix}`: `args`, `env` and `cwd` are for a `command`"));
        }
        if let Some(variable) = &self.bearer_env {
            let token = std::env::var(variable)
                .map_err(|_| format!("downstream `{prefix}`: the environment variable `{variable}` is not set"))?;
            downstream = downstream.bearer(token);
        }
        if let Some(timeout) = self.timeout {
            downstream = downstream.timeout(Duration::from(timeout));
        }
        if let Some(requests) = self.max_concurrency {
            downstream = downstream.max_concurrency(requests);
        }
        if !self.scopes.is_empty() {
            downstream = downstream.scopes(&self.scopes);
        }
        for (tool, instead) in &self.fallbacks {
            downstream = downstream.fallback(tool, instead);
        }
        Ok(downstream)
    }
}
