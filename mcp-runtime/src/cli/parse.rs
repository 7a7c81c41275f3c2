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
        // A client that starts a server mostly passes no argument and sets no `MCP_*` variable
        // (every flag's variable is one): the answer is then the defaults, without building
        // clap's command, a tenth of the instructions of a cold start (BENCHMARKS.md).
        if std::env::args_os().len() <= 1 && !any_flag_variable_set() {
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

/// Whether a variable that may set a flag is present: every flag's is named `MCP_*`.
fn any_flag_variable_set() -> bool {
    std::env::vars_os().any(|(name, _)| name.as_encoded_bytes().starts_with(b"MCP_"))
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn every_flag_variable_is_seen_by_the_fast_path() {
        let command = ProcessArgs::command();
        for argument in command.get_arguments() {
            if let Some(variable) = argument.get_env() {
                let variable = variable.to_str().expect("a UTF-8 name");
                assert!(variable.starts_with("MCP_"), "`{variable}` would be missed by any_flag_variable_set");
            }
        }
    }

    #[test]
    fn the_defaults_are_what_clap_makes_of_no_arguments() {
        // Without the variables, whatever the test's environment holds (CI sets `MCP_TEST_*`).
        let command = ProcessArgs::command().mut_args(|argument| argument.env(None));
        let matches = command.try_get_matches_from(["server"]).expect("no arguments parse");
        let parsed = ProcessArgs::from_arg_matches(&matches).expect("the defaults parse");
        assert_eq!(format!("{:?}", parsed.runtime), format!("{:?}", RuntimeArgs::default()));
    }
}
