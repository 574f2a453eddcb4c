//! The command line: clap types only. Parsing here, behaviour in `commands/`.
//!
//! Every command carries a one-line help (the first line of its doc comment) and a longer
//! one for `--help` and the man pages: what it does, then in `after_long_help` the scope it
//! needs and examples. Long texts are wrapped by hand (`verbatim_doc_comment`) because clap
//! here does not rewrap them for the terminal.

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

/// Group session attendance and billing administration over PostgreSQL
///
/// Attendance is taken live and the billing preview (group size bands, supervision ratio)
/// is shown as it is taken; the claims built later are scrubbed by the same rules.
///
/// The database is --database-url, else $DATABASE_URL, else an embedded PostgreSQL
/// cluster under $GSESS_HOME that gsess creates, starts and migrates itself. What you may
/// do is decided by the scopes your database login holds, listed below.
#[derive(Debug, Parser)]
#[command(
    name = "gsess",
    version,
    propagate_version = true,
    verbatim_doc_comment,
    after_help = MORE_HELP,
    after_long_help = GSESS_HELP
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOpts,
    #[command(subcommand)]
    pub command: Command,
}

const MORE_HELP: &str =
    "Run 'gsess <command> --help' for more on a command, or 'gsess demo' to start with a tour.";

const GSESS_HELP: &str = "\
Scopes, the PostgreSQL roles a DBA grants (each includes the first):
  clinical.group-session.read
      list, show, preview, explain, claims, claim show, claim edi,
      encounters, audit
  clinical.attendance.write
      mark, take, finalize, create, roster, supervisor add, accept
  clinical.attendance.write.force
      force-update
  clinical.billing.run
      billing run, billing watch, claim submit, claim ack
  gsess.admin
      import
  none
      whoami, db status, db start, db stop, db url, demo, completions

Exit codes:
   0  success
   1  unexpected failure
   2  usage: the command line was refused
   3  not found: no such session, member, provider, claim or facility
   4  illegal transition: that attendance change is not allowed
   5  locked: the session has a claim (only force-update changes it)
   6  forbidden: a scope is missing
   7  confirmation required: no terminal to ask on and no --yes
   8  blocking issues: found by --fail-on or --strict; a claim blocked
   9  unavailable: no database, a timeout, or migrations pending
  10  invalid input: parses but is invalid (the field is named)

Examples:
  gsess demo                    # a guided tour, nothing to set up
  gsess list --date today --facility all
  gsess mark 1042 attended M001 M002

Run 'gsess <command> --help' for more on a command, or 'gsess demo' to start with a tour.";

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

// Declared in the order of the overview's groups (attendance, billing, corrections and
// support, admin), so `gsess --help` lists them in that order too.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sessions of a day or range, with attendance and status
    ///
    /// Lists the sessions of one day, or of a range of days, each on its own facility's
    /// calendar: times, facility, group type, supervisors, roster size, the attendance so
    /// far (scheduled, attended, late, absent) and the session's status:
    ///   OPEN    a roster row is still SCHEDULED
    ///   READY   every roster row is marked
    ///   BILLED  a billing run has built its charges
    ///   LOCKED  a claim exists; only force-update changes it now
    ///
    /// By default: today (in your TZ), your home facility, every group type and status.
    #[command(verbatim_doc_comment, after_long_help = LIST_HELP)]
    List(ListArgs),
    /// One session: supervisors, roster, next states, preview
    ///
    /// The session's header (date, times, facility, group type, status), its supervisors
    /// and roster, each row with its attendance status, the statuses it may legally move to
    /// next and, for members, the payer; then the billing preview.
    #[command(verbatim_doc_comment, after_long_help = SHOW_HELP)]
    Show(SessionArg),
    /// The billing preview of a session: issues, bands, ratio
    ///
    /// What the claims would say if the session were billed now: the group size (ATTENDED
    /// and LATE participants), each payer's band and amount, the supervision ratio, and
    /// every issue, BLOCKING or WARNING, with its arithmetic. An accepted issue stays listed
    /// but no longer blocks.
    ///
    /// --watch re-renders it on every attendance change, whoever makes it, until Ctrl-C.
    /// --fail-on exits 8 while an unaccepted issue of that severity (or worse) is shown.
    #[command(verbatim_doc_comment, after_long_help = PREVIEW_HELP)]
    Preview(PreviewArgs),
    /// Mark attendance: all named rows in one transaction, or none
    ///
    /// Sets participants (by MRN) and supervisors (by NPI) of one session to ATTENDED, LATE
    /// or ABSENT. Either every named row changes or none does: an illegal transition exits 4,
    /// a locked session (one with a claim) exits 5. Prints the changes and the fresh preview.
    /// Nothing goes back to SCHEDULED.
    #[command(verbatim_doc_comment, after_long_help = MARK_HELP)]
    Mark(MarkArgs),
    /// Interactive roll call on a terminal
    ///
    /// Pick a participant or supervisor, pick one of its legal next statuses, see the change
    /// and the recomputed preview; repeat. When you are done it offers to mark whatever is
    /// still SCHEDULED as ABSENT. Each change is a mark of its own. Needs a terminal: without
    /// one it exits 7.
    #[command(verbatim_doc_comment, after_long_help = TAKE_HELP)]
    Take(SessionArg),
    /// Mark still-SCHEDULED rows ABSENT (sessions, or a whole day)
    ///
    /// Closes the attendance of sessions by id, or of every session of a day that has ended
    /// (--date, each on its facility's calendar). The rows that will become ABSENT, roster
    /// and supervisor rows alike, are listed first and confirmed (--yes without a terminal,
    /// else exit 7); exactly those rows change. Locked and not-yet-started sessions are
    /// skipped and reported; it still exits 0, unless --strict. A session id that does not
    /// exist exits 3 before anything changes.
    #[command(verbatim_doc_comment, after_long_help = FINALIZE_HELP)]
    Finalize(FinalizeArgs),
    /// Create an ad-hoc session
    ///
    /// A session outside the imported schedule, at one facility, of one group type, with
    /// the members given as its roster (all SCHEDULED). Times are RFC 3339, or
    /// `YYYY-MM-DD HH:MM` in the facility's time zone; a time that a daylight-saving change
    /// skips or repeats is refused.
    #[command(verbatim_doc_comment, after_long_help = CREATE_HELP)]
    Create(CreateArgs),
    /// Add late arrivals, or remove still-SCHEDULED participants
    ///
    /// Changes who is on a session's roster: `add` puts members on it as SCHEDULED (someone
    /// who joined late), `remove` takes off members who are still SCHEDULED. The session's
    /// supervisors follow, being derived from the roster.
    #[command(subcommand, verbatim_doc_comment, after_long_help = ROSTER_HELP)]
    Roster(RosterCommand),
    /// Add a substitute supervisor who was in the room
    ///
    /// Supervisors normally come from the members' assignments; a provider who stood in is
    /// added by hand (source MANUAL), then marked like anyone else.
    #[command(subcommand, verbatim_doc_comment, after_long_help = SUPERVISOR_HELP)]
    Supervisor(SupervisorCommand),
    /// Charges for ended sessions, claims for complete ones
    ///
    /// `run` bills once and reports; `watch` keeps billing as sessions end and attendance
    /// changes. Each attended or late participant gets one charge, priced by the band the
    /// rules resolve for the member's payer at the room's group size; each claim is scrubbed
    /// by the same rules as the preview. A claimed session is LOCKED.
    #[command(subcommand, verbatim_doc_comment, after_long_help = BILLING_HELP)]
    Billing(BillingCommand),
    /// Claims with frequency code, status, amount and issues
    ///
    /// Each claim with its session, member, payer, frequency code (1 original, 7 replacement,
    /// 8 void), status (BUILT, SUBMITTED, REPLACED, VOIDED), amount and a count of its
    /// validation issues. Filters combine with AND; newest first.
    #[command(verbatim_doc_comment, after_long_help = CLAIMS_HELP)]
    Claims(ClaimsArgs),
    /// Show, submit or acknowledge one claim
    ///
    /// `show` a claim's lines, Validation list and chain; `submit` claims as 837P; print the
    /// stored 837P with `edi`; record the payer's claim number with `ack`.
    #[command(subcommand, verbatim_doc_comment, after_long_help = CLAIM_HELP)]
    Claim(ClaimCommand),
    /// A member's charges, active and void
    ///
    /// Every charge billed for the member, with its session, date, facility, payer,
    /// procedure code, modifiers, units, rate, amount, status (ACTIVE or VOID) and claim.
    #[command(verbatim_doc_comment, after_long_help = ENCOUNTERS_HELP)]
    Encounters(EncountersArgs),
    /// Correct a locked session: see the consequence, then apply it
    ///
    /// The one way to change the attendance of a session that has a claim. It first works
    /// the whole correction out and prints it: the attendance change; the charges voided and
    /// rebuilt (old and new band and rate); for each member's claim, an unsubmitted claim
    /// rebuilt in place or withdrawn, a submitted one replaced (frequency 7) or voided (8),
    /// a new original (1) for a newly billable member. Then it asks (--yes without a
    /// terminal) and applies all of it in one transaction with one audit entry carrying the
    /// reason. If someone changed the session in between, it exits 4 and changes nothing.
    #[command(name = "force-update", verbatim_doc_comment, after_long_help = FORCE_UPDATE_HELP)]
    ForceUpdate(ForceUpdateArgs),
    /// Accept an issue as a documented exception, or withdraw it
    ///
    /// An accepted issue stays in the preview and on the claim, marked accepted, and no
    /// longer blocks billing or submission. The acceptance holds while the group size and
    /// supervisors present stay what they were when it was given; the reason is recorded
    /// and audited. Payer-scoped issues name --payer, member-scoped ones --member.
    #[command(verbatim_doc_comment, after_long_help = ACCEPT_HELP)]
    Accept(AcceptArgs),
    /// How the preview got its answer (for support)
    ///
    /// For each member, the coverage used and why; the rule and band rows matched (their
    /// database ids); the rows counted towards the group size; the assignment behind each
    /// supervisor; and each issue's arithmetic.
    #[command(verbatim_doc_comment, after_long_help = EXPLAIN_HELP)]
    Explain(SessionArg),
    /// Who changed what, when and why (the audit log)
    ///
    /// Every change made through the database is logged by its triggers, whoever made it:
    /// attendance marks, roster and supervisor changes, acceptances and their withdrawal,
    /// forced corrections, new sessions, imports, billing runs, charges and claims. Each
    /// entry names the database login, the time, the action, the session, claim and member
    /// it concerns, what changed (the stored rows before and after), the reason given and
    /// whether it was a forced correction. Entries come oldest first; filters combine with
    /// AND.
    ///
    /// With --json: an array of {id, at, actor, action, session_id, claim_id, mrn, before,
    /// after, reason, forced}, written entry by entry as the log is read.
    #[command(verbatim_doc_comment, after_long_help = AUDIT_HELP)]
    Audit(AuditArgs),
    /// Load a dataset document: all or nothing, idempotent
    ///
    /// Reads one JSON document (facilities, payers, group types, members, coverage,
    /// providers, assignments, rules, bands, users, sessions) and upserts each row by its
    /// natural key, in one transaction. An invalid document changes nothing and exits 10
    /// naming the JSON path of the first problem. A re-imported session gains new
    /// participants; one left out is removed only while still SCHEDULED. Attendance is never
    /// set by import, and a locked session is never changed.
    #[command(verbatim_doc_comment, after_long_help = IMPORT_HELP)]
    Import(ImportArgs),
    /// Your login, scopes and home facility
    ///
    /// The database login gsess connects as, your name and home facility (the default for
    /// --facility), exactly the scopes you hold, and which server answered.
    #[command(verbatim_doc_comment, after_long_help = WHOAMI_HELP)]
    Whoami,
    /// The schema's migrations and the embedded database
    ///
    /// Without --database-url or $DATABASE_URL, gsess uses a private PostgreSQL cluster
    /// under $GSESS_HOME, listening on a Unix socket only; these commands manage it. On any
    /// other database, gsess refuses to run while migrations are pending.
    #[command(subcommand, verbatim_doc_comment, after_long_help = DB_HELP)]
    Db(DbCommand),
    /// A guided tour on a demo dataset in the embedded database
    ///
    /// Starts the embedded database, loads a demo dataset dated today (three clinics) and
    /// walks through a day with the real commands: the list, attendance marked, the preview
    /// catching a ratio breach, a documented exception, finalize, a billing run, a claim sent
    /// as 837P, a forced correction and the audit log. A rerun starts afresh. It refuses to
    /// run against --database-url or $DATABASE_URL.
    #[command(verbatim_doc_comment, after_long_help = DEMO_HELP)]
    Demo,
    /// Print a shell completion script
    ///
    /// Writes the completion script for one shell to stdout. The same scripts are kept in
    /// the source tree's completions/ directory.
    #[command(verbatim_doc_comment, after_long_help = COMPLETIONS_HELP)]
    Completions(CompletionsArgs),
}

const LIST_HELP: &str = "\
Scope: clinical.group-session.read

Examples:
  gsess list                    # today, at your home facility
  gsess list --date yesterday --facility all --status open
  gsess list --from 2026-11-02 --to 2026-11-06 --group-type DBT --json";

const SHOW_HELP: &str = "\
Scope: clinical.group-session.read

Examples:
  gsess show 1042
  gsess show 1042 --json | jq -r '.roster[] | .mrn + \" \" + .status'";

const PREVIEW_HELP: &str = "\
Scope: clinical.group-session.read

Examples:
  gsess preview 1042
  gsess preview 1042 --watch            # live, as attendance is taken
  gsess preview 1042 --fail-on blocking # exit 8 on a BLOCKING issue";

const MARK_HELP: &str = "\
Scope: clinical.attendance.write

Examples:
  gsess mark 1042 attended M001 M002
  gsess mark 1042 late M004
  gsess mark 1042 attended --supervisor 1245319599
  gsess mark 1042 absent --all-scheduled";

const TAKE_HELP: &str = "\
Scope: clinical.attendance.write

Example:
  gsess take 1042";

const FINALIZE_HELP: &str = "\
Scope: clinical.attendance.write

Examples:
  gsess finalize 1042 --dry-run
  gsess finalize 1042 1043
  gsess finalize --date yesterday --facility all --yes
  gsess finalize --date yesterday --facility all --yes --strict";

const CREATE_HELP: &str = "\
Scope: clinical.attendance.write

Example:
  gsess create --facility NORTH --group-type DBT \\
      --start '2026-11-27 14:00' --end '2026-11-27 15:30' \\
      --member M001 --member M002";

const ROSTER_HELP: &str = "\
Scope: clinical.attendance.write

Examples:
  gsess roster add 1042 M010 M011
  gsess roster remove 1042 M006";

const SUPERVISOR_HELP: &str = "\
Scope: clinical.attendance.write

Example:
  gsess supervisor add 1042 1245319599";

const BILLING_HELP: &str = "\
Scope: clinical.billing.run

Examples:
  gsess billing run --strict
  gsess billing run --dry-run --session 1042
  gsess billing watch --grace 15m";

const CLAIMS_HELP: &str = "\
Scope: clinical.group-session.read

Examples:
  gsess claims --session 1042
  gsess claims --blocked        # claims that cannot be submitted
  gsess claims --payer ORMCD --status submitted --json";

const CLAIM_HELP: &str = "\
Scope: clinical.group-session.read for show and edi;
clinical.billing.run for submit and ack

Examples:
  gsess claim show 311
  gsess claim submit --session 1042 --out /var/spool/837
  gsess claim edi 311 > claim-311.837
  gsess claim ack 311 --payer-claim-number 2026331000123";

const ENCOUNTERS_HELP: &str = "\
Scope: clinical.group-session.read

Examples:
  gsess encounters M001
  gsess encounters M001 --from 2026-11-01 --to 2026-11-30 --json";

const FORCE_UPDATE_HELP: &str = "\
Scope: clinical.attendance.write.force

Examples:
  gsess force-update 1042 absent M003 --dry-run \\
      --reason \"payer audit: left before the session\"
  gsess force-update 1042 absent M003 \\
      --reason \"payer audit: left before the session\"
  gsess force-update 1042 attended --supervisor 1245319599 \\
      --reason \"on the sign-in sheet\" --yes";

const ACCEPT_HELP: &str = "\
Scope: clinical.attendance.write

Examples:
  gsess accept 1042 SUPERVISION_RATIO_BREACH --payer ORMCD \\
      --reason \"co-therapist out sick; approved by the director\"
  gsess accept 1042 SUPERVISION_RATIO_BREACH --payer ORMCD --revoke";

const EXPLAIN_HELP: &str = "\
Scope: clinical.group-session.read

Examples:
  gsess explain 1042
  gsess explain 1042 --json";

const AUDIT_HELP: &str = "\
Scope: clinical.group-session.read

Examples:
  gsess audit --session 1042    # all that happened to session 1042
  gsess audit --member M001 --since 2026-11-01
  gsess audit --actor jdoe --since '2026-11-27 08:00' --json
  gsess audit --claim 311       # built, submitted, acknowledged";

const IMPORT_HELP: &str = "\
Scope: gsess.admin

Examples:
  gsess import schedule.json --dry-run   # what would change
  gsess import schedule.json
  nightly-export | gsess import -";

const WHOAMI_HELP: &str = "\
Scope: none

Examples:
  gsess whoami
  gsess whoami --json";

const DB_HELP: &str = "\
Scope: none; db migrate is for the schema's owner or a superuser

Examples:
  gsess db status
  psql \"$(gsess db url)\"
  gsess db migrate";

const DEMO_HELP: &str = "\
Scope: none (the embedded database is your own)

Examples:
  gsess demo
  gsess demo | less";

const COMPLETIONS_HELP: &str = "\
Scope: none

Examples:
  gsess completions bash > /etc/bash_completion.d/gsess
  gsess completions zsh > ~/.zfunc/_gsess   # with fpath+=(~/.zfunc)
  gsess completions fish > ~/.config/fish/completions/gsess.fish
  gsess completions powershell | Out-String | Invoke-Expression
  eval (gsess completions elvish | slurp)   # in rc.elv";

/// The commands `gsess` run with nothing lists, grouped by who uses them. A nested command
/// named here (`billing run`) is listed with its own one-line help; a whole group (`roster`)
/// with the group's.
const OVERVIEW: &[(&str, &[&str])] = &[
    (
        "Attendance",
        &[
            "list",
            "show",
            "preview",
            "mark",
            "take",
            "finalize",
            "create",
            "roster",
            "supervisor",
        ],
    ),
    (
        "Billing",
        &[
            "billing run",
            "billing watch",
            "claims",
            "claim show",
            "claim submit",
            "claim edi",
            "claim ack",
            "encounters",
        ],
    ),
    (
        "Corrections and support",
        &["force-update", "accept", "explain", "audit"],
    ),
    ("Admin", &["import", "whoami", "db", "demo", "completions"]),
];

/// What `gsess` with no arguments prints: the commands by group, each with its one-line
/// help, and where to go next.
pub fn overview() -> String {
    let root = Cli::command();
    let width = OVERVIEW
        .iter()
        .flat_map(|(_, names)| names.iter())
        .map(|name| name.len())
        .max()
        .unwrap_or(0);
    let mut text = format!(
        "{}\n\nUsage: gsess [OPTIONS] <COMMAND>\n",
        root.get_about().map(|a| a.to_string()).unwrap_or_default()
    );
    for (group, names) in OVERVIEW {
        text.push_str(&format!("\n{group}:\n"));
        for name in *names {
            let about = name
                .split(' ')
                .try_fold(&root, |command, word| command.find_subcommand(word))
                .and_then(|command| command.get_about())
                .map(|about| about.to_string())
                .unwrap_or_default();
            text.push_str(&format!("  {name:<width$}  {about}\n"));
        }
    }
    text.push_str(&format!("\n{MORE_HELP}\n"));
    text
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
    #[arg(value_name = "MRN")]
    pub mrns: Vec<String>,
    /// Supervisors by NPI (repeatable)
    #[arg(long = "supervisor", value_name = "NPI")]
    pub supervisors: Vec<String>,
    /// Every roster row still SCHEDULED
    #[arg(long)]
    pub all_scheduled: bool,
}

#[derive(Debug, Args)]
pub struct ForceUpdateArgs {
    /// The session id
    pub session: i64,
    /// attended, late or absent (any case)
    #[arg(value_enum, ignore_case = true)]
    pub status: MarkStatus,
    /// Participants by MRN
    #[arg(value_name = "MRN")]
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
    #[arg(
        value_name = "SESSION",
        conflicts_with = "date",
        required_unless_present = "date"
    )]
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
    ///
    /// Puts members on the session's roster as SCHEDULED, to be marked like everyone else.
    /// All of them or none: a member already on the roster, or a locked session, is refused
    /// and nothing is added.
    #[command(verbatim_doc_comment, after_long_help = ROSTER_ADD_HELP)]
    Add(RosterArgs),
    /// Remove participants still SCHEDULED
    ///
    /// Takes members off the session's roster, all of them or none. Only a row still
    /// SCHEDULED can go: if a member named is already marked, nothing is removed (exit 4);
    /// change their mark with `mark` instead.
    #[command(verbatim_doc_comment, after_long_help = ROSTER_REMOVE_HELP)]
    Remove(RosterArgs),
}

const ROSTER_ADD_HELP: &str = "\
Scope: clinical.attendance.write

Example:
  gsess roster add 1042 M010 M011";

const ROSTER_REMOVE_HELP: &str = "\
Scope: clinical.attendance.write

Example:
  gsess roster remove 1042 M006";

#[derive(Debug, Args)]
pub struct RosterArgs {
    /// The session id
    pub session: i64,
    /// Members by MRN
    #[arg(value_name = "MRN", required = true)]
    pub mrns: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum SupervisorCommand {
    /// Add a substitute supervisor to one session (source MANUAL)
    ///
    /// Adds the provider as a SCHEDULED supervisor row of this session only; mark them
    /// ATTENDED (or LATE) with `mark --supervisor` for them to count in the ratio.
    #[command(verbatim_doc_comment, after_long_help = SUPERVISOR_ADD_HELP)]
    Add(SupervisorAddArgs),
}

const SUPERVISOR_ADD_HELP: &str = "\
Scope: clinical.attendance.write

Examples:
  gsess supervisor add 1042 1245319599
  gsess mark 1042 attended --supervisor 1245319599";

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
    /// Bill ended sessions once; report what was held back
    ///
    /// Builds charges for every session that has ended (its end plus --grace is at or before
    /// --as-of) and claims, one per member, for the sessions whose every roster row is
    /// marked, or whose end is older than --claim-delay. Each claim is scrubbed. Prints what
    /// was built and what was held back, and why. A future --as-of is refused unless
    /// --dry-run. Two runs at once never bill a participant twice.
    #[command(verbatim_doc_comment, after_long_help = BILLING_RUN_HELP)]
    Run(BillingRunArgs),
    /// Bill continuously, as sessions end and attendance changes
    ///
    /// Does what `billing run` does, then waits: it wakes at the next session end or on any
    /// attendance change, and bills again. SIGINT or SIGTERM finish the batch under way and
    /// exit 0; after a database restart it reconnects.
    #[command(verbatim_doc_comment, after_long_help = BILLING_WATCH_HELP)]
    Watch(BillingWatchArgs),
}

const BILLING_RUN_HELP: &str = "\
Scope: clinical.billing.run

Examples:
  gsess billing run             # bill everything that has ended
  gsess billing run --strict    # in cron: exit 8 if anything was held
  gsess billing run --dry-run --session 1042
  gsess billing run --as-of '2026-11-27 18:00' --grace 15m";

const BILLING_WATCH_HELP: &str = "\
Scope: clinical.billing.run

Example:
  gsess billing watch --grace 15m --claim-delay 48h";

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
    /// A claim's lines, Validation list and chain
    ///
    /// The claim's header (session, member, payer, frequency code, status, amount, control
    /// numbers), its lines, the Validation list with each issue's arithmetic as scrubbed,
    /// and its chain: the original, its replacements and void, with the payer's numbers.
    #[command(verbatim_doc_comment, after_long_help = CLAIM_SHOW_HELP)]
    Show(ClaimArg),
    /// Re-scrub claims, write the 837P and mark them submitted
    ///
    /// Scrubs the claims again (acceptances and fixes since they were built count), then
    /// renders one ANSI X12 837P interchange per facility and payer, stores it with its
    /// claims and marks them SUBMITTED. All the claims go, or none: a claim with an
    /// unaccepted BLOCKING issue stops the submission with exit 8, naming every such claim.
    /// Interchanges are test (ISA15 = T) unless --production.
    #[command(verbatim_doc_comment, after_long_help = CLAIM_SUBMIT_HELP)]
    Submit(ClaimSubmitArgs),
    /// Print the stored 837P a claim was sent in
    ///
    /// The interchange exactly as it was stored when the claim was submitted.
    #[command(verbatim_doc_comment, after_long_help = CLAIM_EDI_HELP)]
    Edi(ClaimArg),
    /// Record the payer's claim number for a submitted claim
    ///
    /// The payer's claim control number (ICN), from its acknowledgement or remittance. A
    /// later replacement or void of the claim must carry it, and is blocked
    /// (PAYER_CLAIM_NUMBER_MISSING) until it is recorded.
    #[command(verbatim_doc_comment, after_long_help = CLAIM_ACK_HELP)]
    Ack(ClaimAckArgs),
}

const CLAIM_SHOW_HELP: &str = "\
Scope: clinical.group-session.read

Examples:
  gsess claim show 311
  gsess claim show 311 --json";

const CLAIM_SUBMIT_HELP: &str = "\
Scope: clinical.billing.run

Examples:
  gsess claim submit --session 1042 --out /var/spool/837
  gsess claim submit 311 312 --production > batch.837";

const CLAIM_EDI_HELP: &str = "\
Scope: clinical.group-session.read

Examples:
  gsess claim edi 311
  gsess claim edi 311 --json | jq -r .edi";

const CLAIM_ACK_HELP: &str = "\
Scope: clinical.billing.run

Example:
  gsess claim ack 311 --payer-claim-number 2026331000123";

#[derive(Debug, Args)]
pub struct ClaimSubmitArgs {
    /// Claims by id
    #[arg(
        value_name = "CLAIM",
        conflicts_with = "session",
        required_unless_present = "session"
    )]
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

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Apply pending migrations (schema owner or superuser)
    ///
    /// Creates or updates the schema, its functions and the scope roles. It is a DBA's job
    /// on a shared server: run it as the schema's owner or a superuser (an ordinary login
    /// gets exit 6). Already up to date, it does nothing.
    #[command(verbatim_doc_comment, after_long_help = DB_MIGRATE_HELP)]
    Migrate,
    /// Where the database is, whether it runs, migrations applied
    ///
    /// The URL (without a password), the embedded cluster's home and server binaries, whether
    /// it runs, the server version, and the migrations applied and pending. Starts the
    /// embedded database if needed.
    #[command(verbatim_doc_comment, after_long_help = DB_STATUS_HELP)]
    Status,
    /// Start the embedded database (created on first use)
    ///
    /// Creates the cluster under $GSESS_HOME with initdb on first use, starts it and applies
    /// the migrations. Other commands start it themselves when needed.
    #[command(verbatim_doc_comment, after_long_help = DB_START_HELP)]
    Start,
    /// Stop the embedded database
    ///
    /// Stops the embedded cluster's server; the data stays under $GSESS_HOME.
    #[command(verbatim_doc_comment, after_long_help = DB_STOP_HELP)]
    Stop,
    /// Print the URL of the database gsess would use
    ///
    /// The connection URL, usable by psql too; a password is never shown.
    #[command(verbatim_doc_comment, after_long_help = DB_URL_HELP)]
    Url,
}

const DB_MIGRATE_HELP: &str = "\
Scope: the schema's owner or a superuser

Example:
  DATABASE_URL=postgresql://dba@db1/gsess gsess db migrate";

const DB_STATUS_HELP: &str = "\
Scope: none

Examples:
  gsess db status
  gsess db status --json";

const DB_START_HELP: &str = "\
Scope: none (the embedded database only)

Example:
  gsess db start";

const DB_STOP_HELP: &str = "\
Scope: none (the embedded database only)

Example:
  gsess db stop";

const DB_URL_HELP: &str = "\
Scope: none

Example:
  psql \"$(gsess db url)\"";

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish
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

    /// Every command below `gsess`, with its full name (`claim submit`).
    fn every_command() -> Vec<(String, clap::Command)> {
        fn walk(prefix: &str, command: &clap::Command, all: &mut Vec<(String, clap::Command)>) {
            for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
                let name = format!("{prefix}{}", sub.get_name());
                all.push((name.clone(), sub.clone()));
                walk(&format!("{name} "), sub, all);
            }
        }
        let mut root = Cli::command();
        root.build();
        let mut all = Vec::new();
        walk("", &root, &mut all);
        all
    }

    #[test]
    fn every_command_and_argument_has_help_a_scope_and_an_example() {
        for (name, command) in every_command() {
            let about = command
                .get_about()
                .map(|a| a.to_string())
                .unwrap_or_default();
            assert!(!about.is_empty(), "{name}: no one-line help");
            assert!(about.len() <= 62, "{name}: one-line help too long: {about}");
            assert!(command.get_long_about().is_some(), "{name}: no long help");
            let more = command
                .get_after_long_help()
                .map(|a| a.to_string())
                .unwrap_or_default();
            assert!(
                more.starts_with("Scope: "),
                "{name}: no scope in its long help"
            );
            assert!(
                more.contains("\nExample") && more.contains("gsess "),
                "{name}: no example"
            );
            for arg in command.get_arguments() {
                if ["help", "version"].contains(&arg.get_id().as_str()) {
                    continue;
                }
                assert!(arg.get_help().is_some(), "{name} {}: no help", arg.get_id());
            }
            // Prose is refilled by man and fits the 100 columns clap assumes; an indented
            // line (a table, an example) is kept as it is, so it must fit man's 80 columns less
            // its indent.
            let long = command
                .get_long_about()
                .map(|a| a.to_string())
                .unwrap_or_default();
            for line in long.lines().chain(more.lines()) {
                let limit = if line.starts_with(' ') { 70 } else { 92 };
                assert!(
                    line.chars().count() <= limit,
                    "{name}: line too long: {line}"
                );
            }
        }
    }

    #[test]
    fn the_top_level_help_fits_man_pages_too() {
        let root = Cli::command();
        let long = root.get_long_about().map(|a| a.to_string()).unwrap();
        let more = root.get_after_long_help().map(|a| a.to_string()).unwrap();
        for line in long.lines().chain(more.lines()) {
            let limit = if line.starts_with(' ') { 70 } else { 92 };
            assert!(line.chars().count() <= limit, "line too long: {line}");
        }
    }

    #[test]
    fn the_overview_names_every_command_once_and_only_real_ones() {
        let listed: Vec<&str> = OVERVIEW
            .iter()
            .flat_map(|(_, names)| names.iter().copied())
            .collect();
        let commands = every_command();
        for name in &listed {
            assert!(
                commands.iter().any(|(full, _)| full == name),
                "the overview lists `{name}`, which is no command"
            );
            assert_eq!(
                listed.iter().filter(|n| *n == name).count(),
                1,
                "{name} twice"
            );
        }
        // Each top-level command is there, whole or by each of its subcommands.
        for (name, command) in commands.iter().filter(|(full, _)| !full.contains(' ')) {
            let whole = listed.contains(&name.as_str());
            let parts: Vec<String> = command
                .get_subcommands()
                .filter(|s| s.get_name() != "help")
                .map(|s| format!("{name} {}", s.get_name()))
                .collect();
            let each = !parts.is_empty() && parts.iter().all(|p| listed.contains(&p.as_str()));
            assert!(
                whole != each,
                "`{name}` is missing from the overview, or there twice"
            );
        }
        let text = overview();
        assert!(
            text.lines().all(|line| line.chars().count() <= 90),
            "{text}"
        );
    }

    #[test]
    fn global_flags_are_accepted_after_the_subcommand() {
        let cli = Cli::try_parse_from(["gsess", "whoami", "--json", "--lock-timeout", "3s"])
            .expect("parses");
        assert!(cli.global.json);
        assert_eq!(cli.global.lock_timeout, Duration::from_secs(3));
    }
}
