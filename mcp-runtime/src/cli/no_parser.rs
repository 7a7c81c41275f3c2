//! `Server::run()` without the `cli` feature: no clap, so no flags. It serves stdio; asked for
//! help or its version it answers; given any other argument it says which feature parses it,
//! rather than ignoring a flag the user believes took effect.

use super::{Identity, RuntimeArgs, needs_feature};

impl RuntimeArgs {
    /// The defaults (stdio), or prints help, the version or an error naming the `cli` feature
    /// and exits.
    pub(crate) fn parse_process_args(server: &Identity<'_>) -> Self {
        let chosen = std::env::var("MCP_TRANSPORT").ok().filter(|transport| transport != "stdio");
        let parsed = match chosen {
            Some(transport) => Err(Exit::Refuse(needs_feature(&format!("MCP_TRANSPORT={transport}"), "cli"))),
            None => Self::without_a_parser(server, std::env::args().skip(1)),
        };
        match parsed {
            Ok(arguments) => arguments,
            Err(Exit::Print(text)) => {
                // Not `println!`, which panics when the reader has gone: `--help | head -n 1`
                // closes the pipe after one line, and that is no error of ours.
                use std::io::Write;
                let _ = writeln!(std::io::stdout(), "{text}");
                std::process::exit(0)
            }
            Err(Exit::Refuse(error)) => {
                eprintln!("error: {error}");
                std::process::exit(2)
            }
        }
    }

    fn without_a_parser(server: &Identity<'_>, mut arguments: impl Iterator<Item = String>) -> Result<Self, Exit> {
        let Identity { name, version, title, instructions } = *server;
        match arguments.next().as_deref() {
            None => Ok(Self::default()),
            Some("-h" | "--help") => {
                let what = title.map_or_else(|| "an MCP server".to_owned(), |title| format!("{title}: an MCP server"));
                let instructions = instructions.map(|text| format!("\n\n{text}")).unwrap_or_default();
                Err(Exit::Print(format!(
                    "{name} {version}: {what}. It speaks MCP on stdin/stdout for a client that starts it.{instructions}\n\n\
                     Built without the `cli` feature of mcp-runtime: it takes no options."
                )))
            }
            Some("-V" | "--version") => Err(Exit::Print(format!("{name} {version}"))),
            Some(flag) => {
                let flag = flag.split('=').next().unwrap_or(flag);
                Err(Exit::Refuse(needs_feature(&format!("`{flag}`"), "cli")))
            }
        }
    }
}

enum Exit {
    /// Help or the version, on stdout, then success.
    Print(String),
    /// An argument nothing parses, on stderr, then failure.
    Refuse(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(arguments: &[&str]) -> Result<RuntimeArgs, Exit> {
        let identity = Identity { name: "notes", version: "2.1.0", title: None, instructions: None };
        RuntimeArgs::without_a_parser(&identity, arguments.iter().map(|argument| argument.to_string()))
    }

    #[test]
    fn no_arguments_serve_stdio() {
        assert!(matches!(parse(&[]), Ok(RuntimeArgs { transport: crate::cli::Transport::Stdio, .. })));
    }

    #[test]
    fn help_and_version_name_the_server() {
        let Err(Exit::Print(help)) = parse(&["--help"]) else { panic!("--help printed nothing") };
        assert!(help.starts_with("notes 2.1.0: an MCP server.") && help.contains("`cli` feature"), "{help}");
        let Err(Exit::Print(version)) = parse(&["-V"]) else { panic!("-V printed nothing") };
        assert_eq!(version, "notes 2.1.0");
    }

    #[test]
    fn a_flag_names_the_feature_that_parses_it() {
        let Err(Exit::Refuse(error)) = parse(&["--transport=http"]) else { panic!("--transport was accepted") };
        assert_eq!(
            error,
            "`--transport` needs the `cli` feature of mcp-runtime, which this program was built without \
             (add `features = [\"cli\"]` to its mcp-runtime dependency)"
        );
    }
}
