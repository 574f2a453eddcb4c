//! The command line (SPEC §6): clap types only. Parsing here, behaviour in `commands/`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Parser)]
#[command(
    name = "gsess",
    version,
    about = "Group session attendance and billing administration over PostgreSQL",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOpts,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes, before or after the subcommand.
#[derive(Debug, Clone, Args)]
pub struct GlobalOpts {
    /// PostgreSQL URL (else $DATABASE_URL, else the embedded database)
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Print one JSON document on stdout (errors as JSON on stderr)
    #[arg(long, global = true)]
    pub json: bool,
    /// Answer yes to confirmations (needed without a terminal)
    #[arg(short = 'y', long, global = true)]
    pub yes: bool,
    /// When to use colours
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// More detail on stderr (repeat for more)
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Only errors on stderr
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// How long to wait for a row or table lock (e.g. 10s)
    #[arg(long, value_parser = parse_duration, default_value = "10s", global = true)]
    pub lock_timeout: Duration,
    /// How long one statement may run (e.g. 5m)
    #[arg(long, value_parser = parse_duration, default_value = "5m", global = true)]
    pub statement_timeout: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load a dataset document (all or nothing, idempotent)
    Import(ImportArgs),
    /// Your login, the scopes you hold and your home facility
    Whoami,
    /// Schema migrations and the embedded database's lifecycle
    #[command(subcommand)]
    Db(DbCommand),
    /// Start the embedded database, load the demo dataset dated today and show what is there
    Demo,
    /// Print a shell completion script
    Completions(CompletionsArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The JSON document, or - for standard input
    pub file: PathBuf,
    /// Validate and report what would change, then roll back
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Apply pending migrations (run by the schema's owner or a superuser)
    Migrate,
    /// Where the database is, whether it runs, and the migrations applied
    Status,
    /// Start the embedded database (created and migrated on first use)
    Start,
    /// Stop the embedded database
    Stop,
    /// Print the connection URL of the database gsess would use
    Url,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// A duration: a number and a unit, `90s`, `30m`, `24h`, `2d`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(|| format!("'{text}' needs a unit: s, m, h or d (e.g. 90s, 30m, 24h, 2d)"))?;
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("'{text}' does not start with a number"))?;
    let seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("'{unit}' is not a unit: use s, m, h or d")),
    };
    Ok(Duration::from_secs(number * seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn durations_take_the_four_units() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_duration("24h"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_duration("2d"), Ok(Duration::from_secs(172_800)));
        assert!(parse_duration("10").is_err());
        assert!(parse_duration("10w").is_err());
        assert!(parse_duration("m").is_err());
    }

    #[test]
    fn global_flags_are_accepted_after_the_subcommand() {
        let cli = Cli::try_parse_from(["gsess", "whoami", "--json", "--lock-timeout", "3s"])
            .expect("parses");
        assert!(cli.global.json);
        assert_eq!(cli.global.lock_timeout, Duration::from_secs(3));
    }
}
