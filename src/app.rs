//! What every command gets: the global options, the output, and the database on demand.

use crate::cli::GlobalOpts;
use crate::db::{self, Scope, Target, Timeouts};
use crate::error::{Error, ExitKind, Result};
use crate::output::Output;
use sqlx::PgPool;
use std::io::IsTerminal;

pub struct App {
    pub global: GlobalOpts,
    pub out: Output,
    target: Option<Target>,
}

impl App {
    pub fn new(global: GlobalOpts) -> App {
        let out = Output::new(global.json, global.quiet, global.verbose, global.color);
        App {
            global,
            out,
            target: None,
        }
    }

    pub fn timeouts(&self) -> Timeouts {
        Timeouts {
            lock: self.global.lock_timeout,
            statement: self.global.statement_timeout,
        }
    }

    pub fn target(&mut self) -> Result<&Target> {
        if self.target.is_none() {
            self.target = Some(Target::resolve(self.global.database_url.as_deref())?);
        }
        Ok(self.target.as_ref().expect("set above"))
    }

    /// A pool on a migrated database, without a scope check (whoami, db status).
    pub async fn pool(&mut self) -> Result<PgPool> {
        let timeouts = self.timeouts();
        let target = self.target()?.clone();
        let pool = db::connect(&target, timeouts).await?;
        // The embedded database was just migrated by `connect`; any other must be already.
        if let Target::Url(_) = target {
            db::check_migrated(&pool).await?;
        }
        Ok(pool)
    }

    /// A pool on a migrated database for a login holding `scope` (else exit 6).
    pub async fn pool_with_scope(&mut self, scope: Scope) -> Result<PgPool> {
        let pool = self.pool().await?;
        db::require_scope(&pool, scope).await?;
        Ok(pool)
    }

    /// Ask before acting. Without a terminal, `--yes` is the only way through: never hang.
    pub fn confirm(&self, question: &str) -> Result<()> {
        if self.global.yes {
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
}
