//! gsess: group session attendance and billing administration over PostgreSQL.
//!
//! One direction of flow, one place for each decision:
//! - `cli` holds the clap types; `main.rs` parses, calls [`run`] and maps the one error
//!   type (`error`) to the exit code.
//! - `commands/` has one module per subcommand: it turns arguments into a request, calls one
//!   operation and renders the result. A new command goes there (and into `cli`).
//! - `ops/` holds the actions themselves (mark, finalize, import, …): request in, result out,
//!   given a connection and, where they ask or report, a way to confirm and a progress bar.
//!   `demo`, `take` and the long-running workers call them too. A new action goes there.
//! - `rules/` is pure: the attendance state machine, the billable count, band resolution,
//!   the supervision ratio, money, X12 limits — shared by the billing preview and the claim
//!   scrubber. A new rule goes there, with its unit tests.
//! - `billing/` is pure too: pricing a session into charges, the claim scrubber (the same
//!   rules as the preview, over a claim's own read of its facts), and the 837P writer (claim
//!   data in, X12 text out).
//! - `db/` connects (one connection per command), runs every query (one module per subject)
//!   and turns the database's refusals into exit codes. A new query goes there.
//! - `model/` holds the plain records `db` reads; `output/` renders views built from what the
//!   operations return — it never sees a database row. A new view goes there.
//! - `dataset/` is the import document (parsed and validated without the database),
//!   `embedded` the private PostgreSQL cluster, `time` the parsing of dates and times.

pub mod app;
pub mod billing;
pub mod cli;
pub mod commands;
pub mod dataset;
pub mod db;
pub mod embedded;
pub mod error;
pub mod model;
pub mod ops;
pub mod output;
pub mod rules;
pub mod time;

use app::App;
use cli::{Cli, Command};
use error::Result;

/// Run one parsed command line; the database connection, if one was opened, is closed
/// cleanly whatever the outcome.
pub async fn run(cli: Cli) -> Result<()> {
    let mut app = App::new(cli.global);
    let result = dispatch(&mut app, &cli.command).await;
    app.db.close().await;
    result
}

async fn dispatch(app: &mut App, command: &Command) -> Result<()> {
    match command {
        Command::List(args) => commands::list::run(app, args).await,
        Command::Mark(args) => commands::mark::run(app, args).await,
        Command::ForceUpdate(args) => commands::force_update::run(app, args).await,
        Command::Take(args) => commands::take::run(app, args).await,
        Command::Finalize(args) => commands::finalize::run(app, args).await,
        Command::Create(args) => commands::create::run(app, args).await,
        Command::Roster(command) => commands::roster::run(app, command).await,
        Command::Supervisor(command) => commands::supervisor::run(app, command).await,
        Command::Show(args) => commands::show::run(app, args).await,
        Command::Preview(args) => commands::preview::run(app, args).await,
        Command::Explain(args) => commands::explain::run(app, args).await,
        Command::Accept(args) => commands::accept::run(app, args).await,
        Command::Billing(command) => commands::billing::run(app, command).await,
        Command::Claims(args) => commands::claims::run(app, args).await,
        Command::Claim(command) => commands::claim::run(app, command).await,
        Command::Encounters(args) => commands::encounters::run(app, args).await,
        Command::Audit(args) => commands::audit::run(app, args).await,
        Command::Import(args) => commands::import::run(app, args).await,
        Command::Whoami => commands::whoami::run(app).await,
        Command::Db(command) => commands::db::run(app, command).await,
        Command::Demo => commands::demo::run(app).await,
        Command::Completions(args) => commands::completions::run(args),
    }
}
