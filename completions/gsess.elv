
use builtin;
use str;

set edit:completion:arg-completer[gsess] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'gsess'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'gsess'= {
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'Sessions of a day or range, with attendance and status'
            cand show 'One session: supervisors, roster, next states, preview'
            cand preview 'The billing preview of a session: issues, bands, ratio'
            cand mark 'Mark attendance: all named rows in one transaction, or none'
            cand take 'Interactive roll call on a terminal'
            cand finalize 'Mark still-SCHEDULED rows ABSENT (sessions, or a whole day)'
            cand create 'Create an ad-hoc session'
            cand roster 'Add late arrivals, or remove still-SCHEDULED participants'
            cand supervisor 'Add a substitute supervisor who was in the room'
            cand billing 'Charges for ended sessions, claims for complete ones'
            cand claims 'Claims with frequency code, status, amount and issues'
            cand claim 'Show, submit or acknowledge one claim'
            cand encounters 'A member''s charges, active and void'
            cand force-update 'Correct a locked session: see the consequence, then apply it'
            cand accept 'Accept an issue as a documented exception, or withdraw it'
            cand explain 'How the preview got its answer (for support)'
            cand audit 'Who changed what, when and why (the audit log)'
            cand import 'Load a dataset document: all or nothing, idempotent'
            cand whoami 'Your login, scopes and home facility'
            cand db 'The schema''s migrations and the embedded database'
            cand demo 'A guided tour on a demo dataset in the embedded database'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gsess;list'= {
            cand --date 'The day, in each session''s facility time zone [default: today]'
            cand --from 'First day of a range (inclusive)'
            cand --to 'Last day of a range (inclusive)'
            cand --facility 'A facility code, or `all` [default: your home facility]'
            cand --group-type 'A group type code, or `all`'
            cand --status 'Derived status filter'
            cand --limit 'At most this many sessions'
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;show'= {
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;preview'= {
            cand --fail-on 'Exit 8 when an unaccepted issue of this severity (or worse) is shown'
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --watch 'Re-render on every attendance change (anyone''s) until interrupted'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;mark'= {
            cand --supervisor 'Supervisors by NPI (repeatable)'
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --all-scheduled 'Every roster row still SCHEDULED'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;take'= {
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;finalize'= {
            cand --date 'Every session of this day (in its facility''s time zone) that has ended'
            cand --facility 'With --date: a facility code, or `all` [default: your home facility]'
            cand --group-type 'With --date: only this group type'
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --dry-run 'List what would be marked ABSENT and change nothing'
            cand --strict 'Exit 8 when any session was skipped (for cron alerts)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;create'= {
            cand --facility 'The facility code'
            cand --group-type 'The group type code'
            cand --start 'Start: RFC 3339, or `YYYY-MM-DD HH:MM` in the facility''s time zone'
            cand --end 'End, as --start'
            cand --member 'Participants by MRN (repeatable)'
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;roster'= {
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add participants (late arrivals) as SCHEDULED'
            cand remove 'Remove participants still SCHEDULED'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gsess;roster;add'= {
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;roster;remove'= {
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;roster;help'= {
            cand add 'Add participants (late arrivals) as SCHEDULED'
            cand remove 'Remove participants still SCHEDULED'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gsess;roster;help;add'= {
        }
        &'gsess;roster;help;remove'= {
        }
        &'gsess;roster;help;help'= {
        }
        &'gsess;supervisor'= {
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add a substitute supervisor to one session (source MANUAL)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gsess;supervisor;add'= {
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;supervisor;help'= {
            cand add 'Add a substitute supervisor to one session (source MANUAL)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gsess;supervisor;help;add'= {
        }
        &'gsess;supervisor;help;help'= {
        }
        &'gsess;billing'= {
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand run 'Bill ended sessions once; report what was held back'
            cand watch 'Bill continuously, as sessions end and attendance changes'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gsess;billing;run'= {
            cand --as-of 'Bill as of this time (RFC 3339, or YYYY-MM-DD HH:MM in your TZ) [default: now]'
            cand --grace 'Bill a session once it has been over this long (e.g. 15m)'
            cand --claim-delay 'Claim a session still waiting for attendance once its end is this old'
            cand --session 'Only these sessions (repeatable)'
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --dry-run 'Do everything, report it, and roll it all back'
            cand --strict 'Exit 8 when anything was held back (for cron alerts)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;billing;watch'= {
            cand --grace 'Bill a session once it has been over this long (e.g. 15m)'
            cand --claim-delay 'Claim a session still waiting for attendance once its end is this old'
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;billing;help'= {
            cand run 'Bill ended sessions once; report what was held back'
            cand watch 'Bill continuously, as sessions end and attendance changes'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gsess;billing;help;run'= {
        }
        &'gsess;billing;help;watch'= {
        }
        &'gsess;billing;help;help'= {
        }
        &'gsess;claims'= {
            cand --session 'Claims of this session'
            cand --member 'Claims of this member (MRN)'
            cand --payer 'Claims to this payer (code)'
            cand --status 'Claims in this status'
            cand --limit 'At most this many claims, newest first'
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --blocked 'The work list: claims that cannot be submitted (an unaccepted BLOCKING issue)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;claim'= {
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'A claim''s lines, Validation list and chain'
            cand submit 'Re-scrub claims, write the 837P and mark them submitted'
            cand edi 'Print the stored 837P a claim was sent in'
            cand ack 'Record the payer''s claim number for a submitted claim'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gsess;claim;show'= {
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;claim;submit'= {
            cand --session 'Every claim of this session still to be sent'
            cand --out 'Write one file per interchange into this directory (else the text goes to stdout)'
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --production 'Production interchanges (ISA15 = P); test (T) otherwise'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;claim;edi'= {
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;claim;ack'= {
            cand --payer-claim-number 'The payer''s claim control number (ICN), from its acknowledgement or remittance'
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;claim;help'= {
            cand show 'A claim''s lines, Validation list and chain'
            cand submit 'Re-scrub claims, write the 837P and mark them submitted'
            cand edi 'Print the stored 837P a claim was sent in'
            cand ack 'Record the payer''s claim number for a submitted claim'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gsess;claim;help;show'= {
        }
        &'gsess;claim;help;submit'= {
        }
        &'gsess;claim;help;edi'= {
        }
        &'gsess;claim;help;ack'= {
        }
        &'gsess;claim;help;help'= {
        }
        &'gsess;encounters'= {
            cand --from 'First day (inclusive), on each session''s calendar'
            cand --to 'Last day (inclusive)'
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;force-update'= {
            cand --supervisor 'Supervisors by NPI (repeatable)'
            cand --reason 'Why (required; kept in the audit log with the correction)'
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --dry-run 'Print the consequence and change nothing'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;accept'= {
            cand --payer 'The payer, for a payer-scoped issue'
            cand --member 'The member (MRN), for a member-scoped issue'
            cand --reason 'Why the exception is acceptable (recorded and audited)'
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --revoke 'Withdraw the acceptance instead'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;explain'= {
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;audit'= {
            cand --session 'Entries about this session'
            cand --claim 'Entries about this claim'
            cand --member 'Entries about this member (MRN)'
            cand --actor 'Entries made by this database login'
            cand --since 'Entries at or after this time: RFC 3339, or YYYY-MM-DD [HH:MM] in your TZ'
            cand --limit 'At most this many entries (the oldest that match)'
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;import'= {
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --dry-run 'Validate and report what would change, then roll back'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;whoami'= {
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;db'= {
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand migrate 'Apply pending migrations (schema owner or superuser)'
            cand status 'Where the database is, whether it runs, migrations applied'
            cand start 'Start the embedded database (created on first use)'
            cand stop 'Stop the embedded database'
            cand url 'Print the URL of the database gsess would use'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gsess;db;migrate'= {
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;db;status'= {
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;db;start'= {
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;db;stop'= {
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;db;url'= {
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;db;help'= {
            cand migrate 'Apply pending migrations (schema owner or superuser)'
            cand status 'Where the database is, whether it runs, migrations applied'
            cand start 'Start the embedded database (created on first use)'
            cand stop 'Stop the embedded database'
            cand url 'Print the URL of the database gsess would use'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gsess;db;help;migrate'= {
        }
        &'gsess;db;help;status'= {
        }
        &'gsess;db;help;start'= {
        }
        &'gsess;db;help;stop'= {
        }
        &'gsess;db;help;url'= {
        }
        &'gsess;db;help;help'= {
        }
        &'gsess;demo'= {
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;completions'= {
            cand --database-url 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)'
            cand --color 'When to use colours'
            cand --lock-timeout 'How long to wait for a row or table lock (e.g. 10s)'
            cand --statement-timeout 'How long one statement may run (e.g. 5m)'
            cand --json 'Print one JSON document on stdout (errors as JSON on stderr)'
            cand -y 'Answer yes to confirmations (needed without a terminal)'
            cand --yes 'Answer yes to confirmations (needed without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;help'= {
            cand list 'Sessions of a day or range, with attendance and status'
            cand show 'One session: supervisors, roster, next states, preview'
            cand preview 'The billing preview of a session: issues, bands, ratio'
            cand mark 'Mark attendance: all named rows in one transaction, or none'
            cand take 'Interactive roll call on a terminal'
            cand finalize 'Mark still-SCHEDULED rows ABSENT (sessions, or a whole day)'
            cand create 'Create an ad-hoc session'
            cand roster 'Add late arrivals, or remove still-SCHEDULED participants'
            cand supervisor 'Add a substitute supervisor who was in the room'
            cand billing 'Charges for ended sessions, claims for complete ones'
            cand claims 'Claims with frequency code, status, amount and issues'
            cand claim 'Show, submit or acknowledge one claim'
            cand encounters 'A member''s charges, active and void'
            cand force-update 'Correct a locked session: see the consequence, then apply it'
            cand accept 'Accept an issue as a documented exception, or withdraw it'
            cand explain 'How the preview got its answer (for support)'
            cand audit 'Who changed what, when and why (the audit log)'
            cand import 'Load a dataset document: all or nothing, idempotent'
            cand whoami 'Your login, scopes and home facility'
            cand db 'The schema''s migrations and the embedded database'
            cand demo 'A guided tour on a demo dataset in the embedded database'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gsess;help;list'= {
        }
        &'gsess;help;show'= {
        }
        &'gsess;help;preview'= {
        }
        &'gsess;help;mark'= {
        }
        &'gsess;help;take'= {
        }
        &'gsess;help;finalize'= {
        }
        &'gsess;help;create'= {
        }
        &'gsess;help;roster'= {
            cand add 'Add participants (late arrivals) as SCHEDULED'
            cand remove 'Remove participants still SCHEDULED'
        }
        &'gsess;help;roster;add'= {
        }
        &'gsess;help;roster;remove'= {
        }
        &'gsess;help;supervisor'= {
            cand add 'Add a substitute supervisor to one session (source MANUAL)'
        }
        &'gsess;help;supervisor;add'= {
        }
        &'gsess;help;billing'= {
            cand run 'Bill ended sessions once; report what was held back'
            cand watch 'Bill continuously, as sessions end and attendance changes'
        }
        &'gsess;help;billing;run'= {
        }
        &'gsess;help;billing;watch'= {
        }
        &'gsess;help;claims'= {
        }
        &'gsess;help;claim'= {
            cand show 'A claim''s lines, Validation list and chain'
            cand submit 'Re-scrub claims, write the 837P and mark them submitted'
            cand edi 'Print the stored 837P a claim was sent in'
            cand ack 'Record the payer''s claim number for a submitted claim'
        }
        &'gsess;help;claim;show'= {
        }
        &'gsess;help;claim;submit'= {
        }
        &'gsess;help;claim;edi'= {
        }
        &'gsess;help;claim;ack'= {
        }
        &'gsess;help;encounters'= {
        }
        &'gsess;help;force-update'= {
        }
        &'gsess;help;accept'= {
        }
        &'gsess;help;explain'= {
        }
        &'gsess;help;audit'= {
        }
        &'gsess;help;import'= {
        }
        &'gsess;help;whoami'= {
        }
        &'gsess;help;db'= {
            cand migrate 'Apply pending migrations (schema owner or superuser)'
            cand status 'Where the database is, whether it runs, migrations applied'
            cand start 'Start the embedded database (created on first use)'
            cand stop 'Stop the embedded database'
            cand url 'Print the URL of the database gsess would use'
        }
        &'gsess;help;db;migrate'= {
        }
        &'gsess;help;db;status'= {
        }
        &'gsess;help;db;start'= {
        }
        &'gsess;help;db;stop'= {
        }
        &'gsess;help;db;url'= {
        }
        &'gsess;help;demo'= {
        }
        &'gsess;help;completions'= {
        }
        &'gsess;help;help'= {
        }
    ]
    $completions[$command]
}
