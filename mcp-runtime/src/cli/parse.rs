//! Parsing the process's arguments with clap: `--help` names the server, `--version` prints its
//! version.

use clap::{FromArgMatches, Parser};

use super::{Identity, RuntimeArgs};

#[derive(Parser)]
struct ProcessArgs {
    #[command(flatten)]
    runtime: RuntimeArgs,
}

impl RuntimeArgs {
    /// Parses the process's own arguments; prints help (naming the server), its version or an
    /// error, and exits, when asked to.
    pub(crate) fn parse_process_args(server: &Identity<'_>) -> Self {
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
