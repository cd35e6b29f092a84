//! How every command prints: the library never prints, so this is where its strings reach
//! stdout and stderr, in the terminal styles and quiet mode of the run.

use std::io::{IsTerminal, Write};

use wasmgate::Error;
use wasmgate::cli::{Args, ColorChoice};
use wasmgate::exit::Outcome;
use wasmgate::report::human::{self, HumanStyle};

/// The terminal styles of stdout and stderr, and quiet mode.
pub(crate) struct Out {
    pub(crate) style: HumanStyle,
    pub(crate) error_style: HumanStyle,
    pub(crate) quiet: bool,
}

impl Out {
    pub(crate) fn new(args: &Args) -> Self {
        let style = |tty: bool| HumanStyle {
            color: use_color(args.color, tty),
            quiet: args.quiet,
            verbose: args.verbose,
        };
        Out {
            style: style(std::io::stdout().is_terminal()),
            error_style: style(std::io::stderr().is_terminal()),
            quiet: args.quiet,
        }
    }

    /// Writes to stdout; a closed pipe (`wasmgate check | head`) is not an error.
    pub(crate) fn stdout(&self, text: &str) -> Outcome {
        let mut out = std::io::stdout().lock();
        match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            Ok(()) => Outcome::Pass,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Outcome::Pass,
            Err(_) => Outcome::Error,
        }
    }

    /// A line on stderr, prefixed `wasmgate: `.
    pub(crate) fn note(&self, line: &str) {
        let _ = writeln!(std::io::stderr(), "wasmgate: {line}");
    }

    /// Prints the error as a diagnostic on stderr: exit 2.
    pub(crate) fn error(&self, error: &Error) -> Outcome {
        let text = human::render_diagnostic(error, self.error_style);
        let _ = std::io::stderr().write_all(text.as_bytes());
        Outcome::Error
    }

    /// Prints a command's text (unless quiet), or its error.
    pub(crate) fn respond(&self, outcome: Result<String, Error>) -> Outcome {
        match outcome {
            Ok(_) if self.quiet => Outcome::Pass,
            Ok(text) => self.stdout(&text),
            Err(error) => self.error(&error),
        }
    }
}

fn use_color(choice: ColorChoice, tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}
