//! What every command gets: the global options, the output, the database (one connection,
//! opened on demand and closed by `run`), and the way to ask the person at the terminal.

use crate::cli::GlobalOpts;
use crate::db::{Database, Gate, Scope, Timeouts};
use crate::error::{Error, ExitKind, Result};
use crate::ops::Confirm;
use crate::output::Output;
use sqlx::PgConnection;
use std::io::IsTerminal;

pub struct App {
    pub global: GlobalOpts,
    pub out: Output,
    pub db: Database,
}

impl App {
    pub fn new(global: GlobalOpts) -> App {
        let out = Output::new(global.json, global.quiet, global.verbose, global.color);
        let timeouts = Timeouts {
            lock: global.lock_timeout,
            statement: global.statement_timeout,
        };
        let db = Database::new(global.database_url.clone(), timeouts);
        App { global, out, db }
    }

    /// The connection, on a migrated database, for a login holding `scope` (else exit 6).
    pub async fn connect(&mut self, scope: Scope) -> Result<&mut PgConnection> {
        self.db.connect(Gate::Ready(Some(scope))).await
    }

    /// Ask before acting. Without a terminal, `--yes` is the only way through: never hang.
    pub fn confirm(&self, question: &str) -> Result<()> {
        ask(self.global.yes, question)
    }
}

fn ask(yes: bool, question: &str) -> Result<()> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(Error::new(
            ExitKind::ConfirmationRequired,
            format!("{question} — there is no terminal to ask: pass --yes to confirm"),
        ));
    }
    let agreed = dialoguer::Confirm::new()
        .with_prompt(question)
        .default(false)
        .interact()
        .map_err(|e| Error::new(ExitKind::ConfirmationRequired, format!("no answer: {e}")))?;
    if agreed {
        Ok(())
    } else {
        Err(Error::new(
            ExitKind::ConfirmationRequired,
            "declined: nothing changed",
        ))
    }
}

/// Shows an operation's plan on stderr, then asks (or takes `--yes`).
pub struct Prompt<'a, P> {
    out: &'a Output,
    yes: bool,
    render: fn(&P) -> String,
}

impl<'a, P> Prompt<'a, P> {
    pub fn new(app_out: &'a Output, yes: bool, render: fn(&P) -> String) -> Prompt<'a, P> {
        Prompt {
            out: app_out,
            yes,
            render,
        }
    }
}

impl<P> Confirm<P> for Prompt<'_, P> {
    fn show(&mut self, plan: &P) -> Result<()> {
        self.out.note((self.render)(plan));
        Ok(())
    }

    fn confirm(&mut self, question: &str) -> Result<()> {
        ask(self.yes, question)
    }
}
