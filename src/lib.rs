//! gsess: group session attendance and billing administration over PostgreSQL.
//!
//! `main.rs` parses and maps the one error type to an exit code; everything else is here:
//! `cli` (clap types), `commands` (one module per subcommand), `rules` (pure functions shared
//! by the billing preview and the claim scrubber), `db` (connections, SQLSTATE mapping),
//! `dataset` (the import document), `output` (views rendered as tables or JSON) and
//! `embedded` (the local PostgreSQL cluster).

pub mod app;
pub mod cli;
pub mod commands;
pub mod dataset;
pub mod db;
pub mod embedded;
pub mod error;
pub mod output;
pub mod rules;
pub mod time;

use app::App;
use cli::{Cli, Command};
use error::Result;

/// Run one parsed command line.
pub async fn run(cli: Cli) -> Result<()> {
    let mut app = App::new(cli.global);
    match &cli.command {
        Command::List(args) => commands::list::run(&mut app, args).await,
        Command::Mark(args) => commands::mark::run(&mut app, args).await,
        Command::Take(args) => commands::take::run(&mut app, args).await,
        Command::Finalize(args) => commands::finalize::run(&mut app, args).await,
        Command::Create(args) => commands::create::run(&mut app, args).await,
        Command::Roster(command) => commands::roster::run(&mut app, command).await,
        Command::Supervisor(command) => commands::supervisor::run(&mut app, command).await,
        Command::Show(args) => commands::show::run(&mut app, args).await,
        Command::Preview(args) => commands::preview::run(&mut app, args).await,
        Command::Explain(args) => commands::explain::run(&mut app, args).await,
        Command::Accept(args) => commands::accept::run(&mut app, args).await,
        Command::Import(args) => commands::import::run(&mut app, args).await,
        Command::Whoami => commands::whoami::run(&mut app).await,
        Command::Db(command) => commands::db::run(&mut app, command).await,
        Command::Demo => commands::demo::run(&mut app).await,
        Command::Completions(args) => commands::completions::run(args),
    }
}
