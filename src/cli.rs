//! The command line: clap types only. Parsing here, behaviour in `commands/`.

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
    /// Sessions of a day (or range) with roster counts, attendance summary and status
    List(ListArgs),
    /// A session: header, supervisors, roster with legal next states, billing preview
    Show(SessionArg),
    /// The billing preview of a session (issues, bands, ratio)
    Preview(PreviewArgs),
    /// How the preview got its answer: coverage, rule rows, count, supervisors (for support)
    Explain(SessionArg),
    /// Accept an issue knowingly (a documented exception), or withdraw an acceptance
    Accept(AcceptArgs),
    /// Mark attendance: all named rows change in one transaction or none do
    Mark(MarkArgs),
    /// The forced correction of a locked session: shows the consequence, confirms, applies it all
    #[command(name = "force-update")]
    ForceUpdate(ForceUpdateArgs),
    /// Interactive roll call on a terminal: pick a row, pick its next status, see the preview
    Take(SessionArg),
    /// Mark every still-SCHEDULED roster and supervisor row ABSENT (one session, or a day in bulk)
    Finalize(FinalizeArgs),
    /// Create an ad-hoc session
    Create(CreateArgs),
    /// Add late-arriving participants, or remove still-SCHEDULED ones
    #[command(subcommand)]
    Roster(RosterCommand),
    /// Add a substitute supervisor who was present in the room
    #[command(subcommand)]
    Supervisor(SupervisorCommand),
    /// The billing pipeline: charges for ended sessions, claims scrubbed by the preview's rules
    #[command(subcommand)]
    Billing(BillingCommand),
    /// Claims with frequency code, status, amount and validation summary
    Claims(ClaimsArgs),
    /// One claim: its lines, Validation list and chain
    #[command(subcommand)]
    Claim(ClaimCommand),
    /// A member's charges, active and void
    Encounters(EncountersArgs),
    /// Who changed what, when and why: audit-log entries, oldest first
    ///
    /// Every change made through the database is logged by its triggers, whoever made it:
    /// attendance marks, roster and supervisor changes, acceptances and their withdrawal,
    /// forced corrections, new sessions, imports, billing runs, charges and claims. Each entry
    /// names the database login, the time, the action, the session, claim and member it
    /// concerns, what changed (the stored rows before and after), the reason given and
    /// whether it was a forced correction. Filters combine with AND.
    ///
    /// With --json: an array of {id, at, actor, action, session_id, claim_id, mrn, before,
    /// after, reason, forced}, written entry by entry as the log is read.
    #[command(after_long_help = AUDIT_EXAMPLES)]
    Audit(AuditArgs),
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

/// A calendar date: `today`, `yesterday` (in the user's `TZ`) or `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateArg {
    Today,
    Yesterday,
    On(chrono::NaiveDate),
}

impl DateArg {
    /// The date in the user's local calendar (`TZ`), never UTC's.
    pub fn resolve(self) -> chrono::NaiveDate {
        let today = chrono::Local::now().date_naive();
        match self {
            DateArg::Today => today,
            DateArg::Yesterday => today.pred_opt().unwrap_or(today),
            DateArg::On(date) => date,
        }
    }
}

pub fn parse_date(text: &str) -> Result<DateArg, String> {
    match text.to_ascii_lowercase().as_str() {
        "today" => Ok(DateArg::Today),
        "yesterday" => Ok(DateArg::Yesterday),
        _ => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(DateArg::On)
            .map_err(|_| format!("'{text}' is not a date: use today, yesterday or YYYY-MM-DD")),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "lower")]
pub enum StatusFilter {
    Open,
    Ready,
    Billed,
    Locked,
    All,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// The day, in each session's facility time zone [default: today]
    #[arg(long, value_parser = parse_date, conflicts_with_all = ["from", "to"])]
    pub date: Option<DateArg>,
    /// First day of a range (inclusive)
    #[arg(long, value_parser = parse_date, requires = "to")]
    pub from: Option<DateArg>,
    /// Last day of a range (inclusive)
    #[arg(long, value_parser = parse_date, requires = "from")]
    pub to: Option<DateArg>,
    /// A facility code, or `all` [default: your home facility]
    #[arg(long)]
    pub facility: Option<String>,
    /// A group type code, or `all`
    #[arg(long, default_value = "all")]
    pub group_type: String,
    /// Derived status filter
    #[arg(long, value_enum, ignore_case = true, default_value_t = StatusFilter::All)]
    pub status: StatusFilter,
    /// At most this many sessions
    #[arg(long)]
    pub limit: Option<u32>,
}

/// The statuses attendance can be marked with (nothing goes back to SCHEDULED).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MarkStatus {
    Attended,
    Late,
    Absent,
}

impl MarkStatus {
    pub fn attendance(self) -> crate::rules::AttendanceStatus {
        match self {
            MarkStatus::Attended => crate::rules::AttendanceStatus::Attended,
            MarkStatus::Late => crate::rules::AttendanceStatus::Late,
            MarkStatus::Absent => crate::rules::AttendanceStatus::Absent,
        }
    }
}

#[derive(Debug, Args)]
pub struct MarkArgs {
    /// The session id
    pub session: i64,
    /// attended, late or absent (any case)
    #[arg(value_enum, ignore_case = true)]
    pub status: MarkStatus,
    /// Participants by MRN
    pub mrns: Vec<String>,
    /// Supervisors by NPI (repeatable)
    #[arg(long = "supervisor", value_name = "NPI")]
    pub supervisors: Vec<String>,
    /// Every roster row still SCHEDULED
    #[arg(long)]
    pub all_scheduled: bool,
}

/// `force-update`: the attendance change of a locked session and all that follows from it —
/// charges voided and rebuilt, unsubmitted claims rebuilt in place, submitted claims replaced
/// (frequency 7) or voided (8), a new original (1) for a newly billable member — printed
/// first, confirmed, then applied in one transaction with one audit entry.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  gsess force-update 1042 absent M003 --reason \"payer audit: left before the session\""
)]
pub struct ForceUpdateArgs {
    /// The session id
    pub session: i64,
    /// attended, late or absent (any case)
    #[arg(value_enum, ignore_case = true)]
    pub status: MarkStatus,
    /// Participants by MRN
    pub mrns: Vec<String>,
    /// Supervisors by NPI (repeatable)
    #[arg(long = "supervisor", value_name = "NPI")]
    pub supervisors: Vec<String>,
    /// Why (required; kept in the audit log with the correction)
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// Print the consequence and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct FinalizeArgs {
    /// Sessions by id
    #[arg(conflicts_with = "date", required_unless_present = "date")]
    pub sessions: Vec<i64>,
    /// Every session of this day (in its facility's time zone) that has ended
    #[arg(long, value_parser = parse_date)]
    pub date: Option<DateArg>,
    /// With --date: a facility code, or `all` [default: your home facility]
    #[arg(long, requires = "date")]
    pub facility: Option<String>,
    /// With --date: only this group type
    #[arg(long, requires = "date")]
    pub group_type: Option<String>,
    /// List what would be marked ABSENT and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Exit 8 when any session was skipped (for cron alerts)
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The facility code
    #[arg(long)]
    pub facility: String,
    /// The group type code
    #[arg(long)]
    pub group_type: String,
    /// Start: RFC 3339, or `YYYY-MM-DD HH:MM` in the facility's time zone
    #[arg(long)]
    pub start: String,
    /// End, as --start
    #[arg(long)]
    pub end: String,
    /// Participants by MRN (repeatable)
    #[arg(long = "member", value_name = "MRN")]
    pub members: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum RosterCommand {
    /// Add participants (late arrivals) as SCHEDULED
    Add(RosterArgs),
    /// Remove participants still SCHEDULED
    Remove(RosterArgs),
}

#[derive(Debug, Args)]
pub struct RosterArgs {
    /// The session id
    pub session: i64,
    /// Members by MRN
    #[arg(required = true)]
    pub mrns: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum SupervisorCommand {
    /// Add a substitute supervisor to one session (source MANUAL)
    Add(SupervisorAddArgs),
}

#[derive(Debug, Args)]
pub struct SupervisorAddArgs {
    /// The session id
    pub session: i64,
    /// The provider's NPI
    pub npi: String,
}

#[derive(Debug, Args)]
pub struct SessionArg {
    /// The session id
    pub session: i64,
}

#[derive(Debug, Args)]
pub struct PreviewArgs {
    /// The session id
    pub session: i64,
    /// Re-render on every attendance change (anyone's) until interrupted
    #[arg(long, conflicts_with = "fail_on")]
    pub watch: bool,
    /// Exit 8 when an unaccepted issue of this severity (or worse) is shown
    #[arg(long, value_enum, ignore_case = true)]
    pub fail_on: Option<FailOn>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Blocking,
    Warning,
}

#[derive(Debug, Args)]
pub struct AcceptArgs {
    /// The session id
    pub session: i64,
    /// The issue code, e.g. SUPERVISION_RATIO_BREACH (any case)
    pub code: String,
    /// The payer, for a payer-scoped issue
    #[arg(long, conflicts_with = "member")]
    pub payer: Option<String>,
    /// The member (MRN), for a member-scoped issue
    #[arg(long)]
    pub member: Option<String>,
    /// Why the exception is acceptable (recorded and audited)
    #[arg(long, required_unless_present = "revoke")]
    pub reason: Option<String>,
    /// Withdraw the acceptance instead
    #[arg(long)]
    pub revoke: bool,
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
pub enum BillingCommand {
    /// Build charges for ended sessions and claims for complete ones; say what was held back
    Run(BillingRunArgs),
    /// Bill continuously: wake at the next session end or on any attendance change
    Watch(BillingWatchArgs),
}

#[derive(Debug, Args)]
pub struct BillingRunArgs {
    /// Bill as of this time (RFC 3339, or YYYY-MM-DD HH:MM in your TZ) [default: now]
    #[arg(long)]
    pub as_of: Option<String>,
    /// Bill a session once it has been over this long (e.g. 15m)
    #[arg(long, value_parser = parse_duration, default_value = "0s")]
    pub grace: Duration,
    /// Claim a session still waiting for attendance once its end is this old
    #[arg(long, value_parser = parse_duration, default_value = "24h")]
    pub claim_delay: Duration,
    /// Only these sessions (repeatable)
    #[arg(long = "session", value_name = "ID")]
    pub sessions: Vec<i64>,
    /// Do everything, report it, and roll it all back
    #[arg(long)]
    pub dry_run: bool,
    /// Exit 8 when anything was held back (for cron alerts)
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct BillingWatchArgs {
    /// Bill a session once it has been over this long (e.g. 15m)
    #[arg(long, value_parser = parse_duration, default_value = "0s")]
    pub grace: Duration,
    /// Claim a session still waiting for attendance once its end is this old
    #[arg(long, value_parser = parse_duration, default_value = "24h")]
    pub claim_delay: Duration,
}

/// Claim statuses, in any case on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClaimStatusArg {
    Built,
    Submitted,
    Replaced,
    Voided,
}

#[derive(Debug, Args)]
pub struct ClaimsArgs {
    /// Claims of this session
    #[arg(long)]
    pub session: Option<i64>,
    /// Claims of this member (MRN)
    #[arg(long)]
    pub member: Option<String>,
    /// Claims to this payer (code)
    #[arg(long)]
    pub payer: Option<String>,
    /// Claims in this status
    #[arg(long, value_enum, ignore_case = true)]
    pub status: Option<ClaimStatusArg>,
    /// The work list: claims that cannot be submitted (an unaccepted BLOCKING issue)
    #[arg(long)]
    pub blocked: bool,
    /// At most this many claims, newest first
    #[arg(long, default_value_t = 500)]
    pub limit: u32,
}

#[derive(Debug, Subcommand)]
pub enum ClaimCommand {
    /// Lines, amounts, the Validation list with each issue's arithmetic, and the claim's chain
    Show(ClaimArg),
    /// Re-scrub, render and store the 837P (one interchange per facility and payer), mark sent
    Submit(ClaimSubmitArgs),
    /// Print the stored 837P a claim was sent in
    Edi(ClaimArg),
    /// Record the payer's claim control number (for a later replacement or void)
    Ack(ClaimAckArgs),
}

/// `claim submit`: all the claims go, or none (a claim with an unaccepted BLOCKING issue stops
/// the submission with exit 8, naming it).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  gsess claim submit --session 1042 --out /var/spool/837\n  gsess claim submit 311 312 --production > batch.837"
)]
pub struct ClaimSubmitArgs {
    /// Claims by id
    #[arg(conflicts_with = "session", required_unless_present = "session")]
    pub claims: Vec<i64>,
    /// Every claim of this session still to be sent
    #[arg(long, value_name = "ID")]
    pub session: Option<i64>,
    /// Write one file per interchange into this directory (else the text goes to stdout)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Production interchanges (ISA15 = P); test (T) otherwise
    #[arg(long)]
    pub production: bool,
}

#[derive(Debug, Args)]
pub struct ClaimAckArgs {
    /// The claim id (a submitted claim)
    pub claim: i64,
    /// The payer's claim control number (ICN), from its acknowledgement or remittance
    #[arg(long, value_name = "ICN")]
    pub payer_claim_number: String,
}

#[derive(Debug, Args)]
pub struct ClaimArg {
    /// The claim id
    pub claim: i64,
}

#[derive(Debug, Args)]
pub struct EncountersArgs {
    /// The member's MRN
    pub mrn: String,
    /// First day (inclusive), on each session's calendar
    #[arg(long, value_parser = parse_date, requires = "to")]
    pub from: Option<DateArg>,
    /// Last day (inclusive)
    #[arg(long, value_parser = parse_date, requires = "from")]
    pub to: Option<DateArg>,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Entries about this session
    #[arg(long, value_name = "ID")]
    pub session: Option<i64>,
    /// Entries about this claim
    #[arg(long, value_name = "ID")]
    pub claim: Option<i64>,
    /// Entries about this member (MRN)
    #[arg(long, value_name = "MRN")]
    pub member: Option<String>,
    /// Entries made by this database login
    #[arg(long, value_name = "LOGIN")]
    pub actor: Option<String>,
    /// Entries at or after this time: RFC 3339, or YYYY-MM-DD [HH:MM] in your TZ
    #[arg(long, value_name = "T")]
    pub since: Option<String>,
    /// At most this many entries (the oldest that match)
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
}

const AUDIT_EXAMPLES: &str = "Examples:
  gsess audit --session 42                    everything that happened to session 42
  gsess audit --member M001 --since 2026-11-01
  gsess audit --actor jdoe --since '2026-11-27 08:00' --json
  gsess audit --claim 7                       a claim built, submitted, acknowledged";

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
    number
        .checked_mul(seconds)
        .filter(|&total| total <= MAX_DURATION_SECS)
        .map(Duration::from_secs)
        .ok_or_else(|| format!("'{text}' is too long: at most 24d"))
}

/// PostgreSQL's timeouts are milliseconds in a 32-bit integer (about 24.8 days); durations
/// stay within that.
const MAX_DURATION_SECS: u64 = 24 * 86_400;

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
        assert!(
            parse_duration("25d").is_err(),
            "beyond PostgreSQL's timeout range"
        );
        assert!(parse_duration("999999999999999d").is_err(), "no overflow");
        assert_eq!(parse_duration("24d"), Ok(Duration::from_secs(24 * 86_400)));
    }

    #[test]
    fn global_flags_are_accepted_after_the_subcommand() {
        let cli = Cli::try_parse_from(["gsess", "whoami", "--json", "--lock-timeout", "3s"])
            .expect("parses");
        assert!(cli.global.json);
        assert_eq!(cli.global.lock_timeout, Duration::from_secs(3));
    }
}
