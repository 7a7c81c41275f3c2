//! Parsing the process's arguments with clap: `--help` names the server, `--version` prints its
//! version.

use clap::{FromArgMatches, Parser};

use super::{Identity, RuntimeArgs};

#[derive(Parser)]
struct ProcessArgs {
    #[command(flatten)]
    runtime: RuntimeArgs,
}

/// Every environment variable a flag reads (`env = ".."` in `RuntimeArgs`; a test holds the
/// command to this list).
const FLAG_VARIABLES: &[&str] = &[
    "MCP_TRANSPORT",
    "MCP_HOST",
    "MCP_PORT",
    "MCP_STATELESS",
    "MCP_LEGACY_SSE",
    "MCP_ALLOWED_HOSTS",
    "MCP_ALLOWED_ORIGINS",
    "MCP_LOG_FORMAT",
    "MCP_ALLOW_UNAUTHENTICATED",
    "MCP_AUTH_JWT_SECRET",
    "MCP_AUTH_PUBLIC_KEY",
    "MCP_AUTH_JWKS",
    "MCP_AUTH_ISSUER",
    "MCP_AUTH_AUDIENCE",
    "MCP_AUTH_API_KEYS",
    "MCP_AUTH_SERVERS",
    "MCP_RESOURCE_URL",
];

impl RuntimeArgs {
    /// Parses the process's own arguments; prints help (naming the server), its version or an
    /// error, and exits, when asked to.
    pub(crate) fn parse_process_args(server: &Identity<'_>) -> Self {
        // A client that starts a server mostly passes no argument and sets none of the flags'
        // variables: the answer is then the defaults, without building clap's command, which
        // is a tenth of the instructions of a cold start (callgrind, BENCHMARKS.md).
        if std::env::args_os().len() <= 1 && FLAG_VARIABLES.iter().all(|name| std::env::var_os(name).is_none()) {
            return Self::default();
        }
        let command = Self::command_for(server);
        let parsed = command.try_get_matches().and_then(|matches| ProcessArgs::from_arg_matches(&matches));
        match parsed {
            Ok(arguments) => arguments.runtime,
            Err(error) => error.exit(),
        }
    }

    /// The command line of `server`: its name and version, its title as the summary (`-h`),
    /// and its instructions to the model as the description (`--help`).
    pub(super) fn command_for(server: &Identity<'_>) -> clap::Command {
        use clap::CommandFactory;

        let Identity { name, version, title, instructions } = *server;
        let what = match title {
            Some(title) => format!("{title}: an MCP server"),
            None => "an MCP server".to_owned(),
        };
        let about = format!(
            "{name} {version}: {what}. It speaks MCP on stdin/stdout for a client that starts it, \
             or over HTTP with --transport http"
        );
        let long_about = match instructions {
            Some(instructions) => format!("{about}\n\n{instructions}"),
            None => about.clone(),
        };
        ProcessArgs::command().name(name.to_owned()).version(version.to_owned()).about(about).long_about(long_about)
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_fast_path_knows_every_variable_a_flag_reads() {
        let command = ProcessArgs::command();
        for argument in command.get_arguments() {
            if let Some(variable) = argument.get_env() {
                let variable = variable.to_str().expect("a UTF-8 name");
                assert!(FLAG_VARIABLES.contains(&variable), "`{variable}` is missing from FLAG_VARIABLES");
            }
        }
    }

    #[test]
    fn the_defaults_are_what_clap_makes_of_no_arguments() {
        let set: Vec<_> = FLAG_VARIABLES.iter().filter(|name| std::env::var_os(name).is_some()).collect();
        assert!(set.is_empty(), "run the tests without the flags' variables set: {set:?}");
        let parsed = ProcessArgs::try_parse_from(["server"]).expect("no arguments parse");
        assert_eq!(format!("{:?}", parsed.runtime), format!("{:?}", RuntimeArgs::default()));
    }
}
