//! The `gsess` binary: parse, run, and map the one error type to the exit code.

use clap::error::ErrorKind;
use clap::Parser;
use gsess::cli::Cli;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Arguments that are not UTF-8 are the parser's to refuse (exit 2), never a panic.
    let wants_json = std::env::args_os().any(|a| a == "--json");
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // --help and --version are not errors; everything else the parser refuses is exit 2.
            if !err.use_stderr() {
                let _ = err.print();
                return ExitCode::SUCCESS;
            }
            if err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
                && std::env::args_os().len() == 1
            {
                // Plain `gsess`: the commands by group rather than the whole reference.
                eprint!("{}", gsess::cli::overview());
            } else if !wants_json {
                let _ = err.print();
            } else {
                let json = gsess::error::Error::new(
                    gsess::error::ExitKind::Usage,
                    err.render().to_string().trim(),
                )
                .to_json();
                eprintln!("{json}");
            }
            return ExitCode::from(gsess::error::ExitKind::Usage.code());
        }
    };
    let json = cli.global.json;
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("gsess: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(gsess::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // With --json the error is one JSON object on one line, the last on stderr.
            if json {
                eprintln!("{}", err.to_json());
            } else {
                eprintln!("gsess: {}", err.message);
            }
            ExitCode::from(err.kind.code())
        }
    }
}
