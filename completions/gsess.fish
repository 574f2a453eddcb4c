# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_gsess_global_optspecs
    string join \n database-url= json y/yes color= v/verbose q/quiet lock-timeout= statement-timeout= h/help V/version
end

function __fish_gsess_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_gsess_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_gsess_using_subcommand
    set -l cmd (__fish_gsess_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c gsess -n "__fish_gsess_needs_command" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_needs_command" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_needs_command" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_needs_command" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_needs_command" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_needs_command" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_needs_command" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_needs_command" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_needs_command" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "list" -d 'Sessions of a day or range, with attendance and status'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "show" -d 'One session: supervisors, roster, next states, preview'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "preview" -d 'The billing preview of a session: issues, bands, ratio'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "mark" -d 'Mark attendance: all named rows in one transaction, or none'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "take" -d 'Interactive roll call on a terminal'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "finalize" -d 'Mark still-SCHEDULED rows ABSENT (sessions, or a whole day)'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "create" -d 'Create an ad-hoc session'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "roster" -d 'Add late arrivals, or remove still-SCHEDULED participants'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "supervisor" -d 'Add a substitute supervisor who was in the room'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "billing" -d 'Charges for ended sessions, claims for complete ones'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "claims" -d 'Claims with frequency code, status, amount and issues'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "claim" -d 'Show, submit or acknowledge one claim'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "encounters" -d 'A member\'s charges, active and void'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "force-update" -d 'Correct a locked session: see the consequence, then apply it'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "accept" -d 'Accept an issue as a documented exception, or withdraw it'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "explain" -d 'How the preview got its answer (for support)'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "audit" -d 'Who changed what, when and why (the audit log)'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "import" -d 'Load a dataset document: all or nothing, idempotent'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "whoami" -d 'Your login, scopes and home facility'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "db" -d 'The schema\'s migrations and the embedded database'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "demo" -d 'A guided tour on a demo dataset in the embedded database'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gsess -n "__fish_gsess_using_subcommand list" -l date -d 'The day, in each session\'s facility time zone [default: today]' -r
complete -c gsess -n "__fish_gsess_using_subcommand list" -l from -d 'First day of a range (inclusive)' -r
complete -c gsess -n "__fish_gsess_using_subcommand list" -l to -d 'Last day of a range (inclusive)' -r
complete -c gsess -n "__fish_gsess_using_subcommand list" -l facility -d 'A facility code, or `all` [default: your home facility]' -r
complete -c gsess -n "__fish_gsess_using_subcommand list" -l group-type -d 'A group type code, or `all`' -r
complete -c gsess -n "__fish_gsess_using_subcommand list" -l status -d 'Derived status filter' -r -f -a "open\t''
ready\t''
billed\t''
locked\t''
all\t''"
complete -c gsess -n "__fish_gsess_using_subcommand list" -l limit -d 'At most this many sessions' -r
complete -c gsess -n "__fish_gsess_using_subcommand list" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand list" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand list" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand list" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand list" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand list" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand list" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand list" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand list" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand show" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand show" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand show" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand show" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand show" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand show" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand show" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand show" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand show" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand preview" -l fail-on -d 'Exit 8 when an unaccepted issue of this severity (or worse) is shown' -r -f -a "blocking\t''
warning\t''"
complete -c gsess -n "__fish_gsess_using_subcommand preview" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand preview" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand preview" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand preview" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand preview" -l watch -d 'Re-render on every attendance change (anyone\'s) until interrupted'
complete -c gsess -n "__fish_gsess_using_subcommand preview" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand preview" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand preview" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand preview" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand preview" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand preview" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand mark" -l supervisor -d 'Supervisors by NPI (repeatable)' -r
complete -c gsess -n "__fish_gsess_using_subcommand mark" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand mark" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand mark" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand mark" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand mark" -l all-scheduled -d 'Every roster row still SCHEDULED'
complete -c gsess -n "__fish_gsess_using_subcommand mark" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand mark" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand mark" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand mark" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand mark" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand mark" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand take" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand take" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand take" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand take" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand take" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand take" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand take" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand take" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand take" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand take" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand finalize" -l date -d 'Every session of this day (in its facility\'s time zone) that has ended' -r
complete -c gsess -n "__fish_gsess_using_subcommand finalize" -l facility -d 'With --date: a facility code, or `all` [default: your home facility]' -r
complete -c gsess -n "__fish_gsess_using_subcommand finalize" -l group-type -d 'With --date: only this group type' -r
complete -c gsess -n "__fish_gsess_using_subcommand finalize" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand finalize" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand finalize" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand finalize" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand finalize" -l dry-run -d 'List what would be marked ABSENT and change nothing'
complete -c gsess -n "__fish_gsess_using_subcommand finalize" -l strict -d 'Exit 8 when any session was skipped (for cron alerts)'
complete -c gsess -n "__fish_gsess_using_subcommand finalize" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand finalize" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand finalize" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand finalize" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand finalize" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand finalize" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand create" -l facility -d 'The facility code' -r
complete -c gsess -n "__fish_gsess_using_subcommand create" -l group-type -d 'The group type code' -r
complete -c gsess -n "__fish_gsess_using_subcommand create" -l start -d 'Start: RFC 3339, or `YYYY-MM-DD HH:MM` in the facility\'s time zone' -r
complete -c gsess -n "__fish_gsess_using_subcommand create" -l end -d 'End, as --start' -r
complete -c gsess -n "__fish_gsess_using_subcommand create" -l member -d 'Participants by MRN (repeatable)' -r
complete -c gsess -n "__fish_gsess_using_subcommand create" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand create" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand create" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand create" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand create" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand create" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand create" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand create" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand create" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and not __fish_seen_subcommand_from add remove help" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand roster; and not __fish_seen_subcommand_from add remove help" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand roster; and not __fish_seen_subcommand_from add remove help" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand roster; and not __fish_seen_subcommand_from add remove help" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand roster; and not __fish_seen_subcommand_from add remove help" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and not __fish_seen_subcommand_from add remove help" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and not __fish_seen_subcommand_from add remove help" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and not __fish_seen_subcommand_from add remove help" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and not __fish_seen_subcommand_from add remove help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and not __fish_seen_subcommand_from add remove help" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and not __fish_seen_subcommand_from add remove help" -f -a "add" -d 'Add participants (late arrivals) as SCHEDULED'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and not __fish_seen_subcommand_from add remove help" -f -a "remove" -d 'Remove participants still SCHEDULED'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and not __fish_seen_subcommand_from add remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and __fish_seen_subcommand_from add" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand roster; and __fish_seen_subcommand_from add" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand roster; and __fish_seen_subcommand_from add" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand roster; and __fish_seen_subcommand_from add" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand roster; and __fish_seen_subcommand_from add" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and __fish_seen_subcommand_from add" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and __fish_seen_subcommand_from add" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and __fish_seen_subcommand_from remove" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand roster; and __fish_seen_subcommand_from remove" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand roster; and __fish_seen_subcommand_from remove" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand roster; and __fish_seen_subcommand_from remove" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand roster; and __fish_seen_subcommand_from remove" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add participants (late arrivals) as SCHEDULED'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove participants still SCHEDULED'
complete -c gsess -n "__fish_gsess_using_subcommand roster; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and not __fish_seen_subcommand_from add help" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and not __fish_seen_subcommand_from add help" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and not __fish_seen_subcommand_from add help" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and not __fish_seen_subcommand_from add help" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and not __fish_seen_subcommand_from add help" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and not __fish_seen_subcommand_from add help" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and not __fish_seen_subcommand_from add help" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and not __fish_seen_subcommand_from add help" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and not __fish_seen_subcommand_from add help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and not __fish_seen_subcommand_from add help" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and not __fish_seen_subcommand_from add help" -f -a "add" -d 'Add a substitute supervisor to one session (source MANUAL)'
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and not __fish_seen_subcommand_from add help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and __fish_seen_subcommand_from add" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and __fish_seen_subcommand_from add" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and __fish_seen_subcommand_from add" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and __fish_seen_subcommand_from add" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and __fish_seen_subcommand_from add" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and __fish_seen_subcommand_from add" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and __fish_seen_subcommand_from add" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a substitute supervisor to one session (source MANUAL)'
complete -c gsess -n "__fish_gsess_using_subcommand supervisor; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and not __fish_seen_subcommand_from run watch help" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand billing; and not __fish_seen_subcommand_from run watch help" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand billing; and not __fish_seen_subcommand_from run watch help" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand billing; and not __fish_seen_subcommand_from run watch help" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand billing; and not __fish_seen_subcommand_from run watch help" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and not __fish_seen_subcommand_from run watch help" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and not __fish_seen_subcommand_from run watch help" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and not __fish_seen_subcommand_from run watch help" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and not __fish_seen_subcommand_from run watch help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and not __fish_seen_subcommand_from run watch help" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and not __fish_seen_subcommand_from run watch help" -f -a "run" -d 'Bill ended sessions once; report what was held back'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and not __fish_seen_subcommand_from run watch help" -f -a "watch" -d 'Bill continuously, as sessions end and attendance changes'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and not __fish_seen_subcommand_from run watch help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from run" -l as-of -d 'Bill as of this time (RFC 3339, or YYYY-MM-DD HH:MM in your TZ) [default: now]' -r
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from run" -l grace -d 'Bill a session once it has been over this long (e.g. 15m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from run" -l claim-delay -d 'Claim a session still waiting for attendance once its end is this old' -r
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from run" -l session -d 'Only these sessions (repeatable)' -r
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from run" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from run" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from run" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from run" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from run" -l dry-run -d 'Do everything, report it, and roll it all back'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from run" -l strict -d 'Exit 8 when anything was held back (for cron alerts)'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from run" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from run" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from run" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from run" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from run" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from watch" -l grace -d 'Bill a session once it has been over this long (e.g. 15m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from watch" -l claim-delay -d 'Claim a session still waiting for attendance once its end is this old' -r
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from watch" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from watch" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from watch" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from watch" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from watch" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from watch" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from watch" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from watch" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from watch" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from help" -f -a "run" -d 'Bill ended sessions once; report what was held back'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from help" -f -a "watch" -d 'Bill continuously, as sessions end and attendance changes'
complete -c gsess -n "__fish_gsess_using_subcommand billing; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gsess -n "__fish_gsess_using_subcommand claims" -l session -d 'Claims of this session' -r
complete -c gsess -n "__fish_gsess_using_subcommand claims" -l member -d 'Claims of this member (MRN)' -r
complete -c gsess -n "__fish_gsess_using_subcommand claims" -l payer -d 'Claims to this payer (code)' -r
complete -c gsess -n "__fish_gsess_using_subcommand claims" -l status -d 'Claims in this status' -r -f -a "built\t''
submitted\t''
replaced\t''
voided\t''"
complete -c gsess -n "__fish_gsess_using_subcommand claims" -l limit -d 'At most this many claims, newest first' -r
complete -c gsess -n "__fish_gsess_using_subcommand claims" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand claims" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand claims" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand claims" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand claims" -l blocked -d 'The work list: claims that cannot be submitted (an unaccepted BLOCKING issue)'
complete -c gsess -n "__fish_gsess_using_subcommand claims" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand claims" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand claims" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand claims" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand claims" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand claims" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and not __fish_seen_subcommand_from show submit edi ack help" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand claim; and not __fish_seen_subcommand_from show submit edi ack help" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand claim; and not __fish_seen_subcommand_from show submit edi ack help" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand claim; and not __fish_seen_subcommand_from show submit edi ack help" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand claim; and not __fish_seen_subcommand_from show submit edi ack help" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and not __fish_seen_subcommand_from show submit edi ack help" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and not __fish_seen_subcommand_from show submit edi ack help" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and not __fish_seen_subcommand_from show submit edi ack help" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and not __fish_seen_subcommand_from show submit edi ack help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and not __fish_seen_subcommand_from show submit edi ack help" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and not __fish_seen_subcommand_from show submit edi ack help" -f -a "show" -d 'A claim\'s lines, Validation list and chain'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and not __fish_seen_subcommand_from show submit edi ack help" -f -a "submit" -d 'Re-scrub claims, write the 837P and mark them submitted'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and not __fish_seen_subcommand_from show submit edi ack help" -f -a "edi" -d 'Print the stored 837P a claim was sent in'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and not __fish_seen_subcommand_from show submit edi ack help" -f -a "ack" -d 'Record the payer\'s claim number for a submitted claim'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and not __fish_seen_subcommand_from show submit edi ack help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from show" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from show" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from show" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from show" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from show" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from submit" -l session -d 'Every claim of this session still to be sent' -r
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from submit" -l out -d 'Write one file per interchange into this directory (else the text goes to stdout)' -r -F
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from submit" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from submit" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from submit" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from submit" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from submit" -l production -d 'Production interchanges (ISA15 = P); test (T) otherwise'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from submit" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from submit" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from submit" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from submit" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from submit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from submit" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from edi" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from edi" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from edi" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from edi" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from edi" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from edi" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from edi" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from edi" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from edi" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from edi" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from ack" -l payer-claim-number -d 'The payer\'s claim control number (ICN), from its acknowledgement or remittance' -r
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from ack" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from ack" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from ack" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from ack" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from ack" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from ack" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from ack" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from ack" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from ack" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from ack" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from help" -f -a "show" -d 'A claim\'s lines, Validation list and chain'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from help" -f -a "submit" -d 'Re-scrub claims, write the 837P and mark them submitted'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from help" -f -a "edi" -d 'Print the stored 837P a claim was sent in'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from help" -f -a "ack" -d 'Record the payer\'s claim number for a submitted claim'
complete -c gsess -n "__fish_gsess_using_subcommand claim; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gsess -n "__fish_gsess_using_subcommand encounters" -l from -d 'First day (inclusive), on each session\'s calendar' -r
complete -c gsess -n "__fish_gsess_using_subcommand encounters" -l to -d 'Last day (inclusive)' -r
complete -c gsess -n "__fish_gsess_using_subcommand encounters" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand encounters" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand encounters" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand encounters" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand encounters" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand encounters" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand encounters" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand encounters" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand encounters" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand encounters" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand force-update" -l supervisor -d 'Supervisors by NPI (repeatable)' -r
complete -c gsess -n "__fish_gsess_using_subcommand force-update" -l reason -d 'Why (required; kept in the audit log with the correction)' -r
complete -c gsess -n "__fish_gsess_using_subcommand force-update" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand force-update" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand force-update" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand force-update" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand force-update" -l dry-run -d 'Print the consequence and change nothing'
complete -c gsess -n "__fish_gsess_using_subcommand force-update" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand force-update" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand force-update" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand force-update" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand force-update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand force-update" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand accept" -l payer -d 'The payer, for a payer-scoped issue' -r
complete -c gsess -n "__fish_gsess_using_subcommand accept" -l member -d 'The member (MRN), for a member-scoped issue' -r
complete -c gsess -n "__fish_gsess_using_subcommand accept" -l reason -d 'Why the exception is acceptable (recorded and audited)' -r
complete -c gsess -n "__fish_gsess_using_subcommand accept" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand accept" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand accept" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand accept" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand accept" -l revoke -d 'Withdraw the acceptance instead'
complete -c gsess -n "__fish_gsess_using_subcommand accept" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand accept" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand accept" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand accept" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand accept" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand accept" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand explain" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand explain" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand explain" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand explain" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand explain" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand explain" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand explain" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand explain" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand explain" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand audit" -l session -d 'Entries about this session' -r
complete -c gsess -n "__fish_gsess_using_subcommand audit" -l claim -d 'Entries about this claim' -r
complete -c gsess -n "__fish_gsess_using_subcommand audit" -l member -d 'Entries about this member (MRN)' -r
complete -c gsess -n "__fish_gsess_using_subcommand audit" -l actor -d 'Entries made by this database login' -r
complete -c gsess -n "__fish_gsess_using_subcommand audit" -l since -d 'Entries at or after this time: RFC 3339, or YYYY-MM-DD [HH:MM] in your TZ' -r
complete -c gsess -n "__fish_gsess_using_subcommand audit" -l limit -d 'At most this many entries (the oldest that match)' -r
complete -c gsess -n "__fish_gsess_using_subcommand audit" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand audit" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand audit" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand audit" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand audit" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand audit" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand audit" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand audit" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand audit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand audit" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand import" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand import" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand import" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand import" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand import" -l dry-run -d 'Validate and report what would change, then roll back'
complete -c gsess -n "__fish_gsess_using_subcommand import" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand import" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand import" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand import" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand import" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand whoami" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand whoami" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand whoami" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand whoami" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand whoami" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand whoami" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand whoami" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand whoami" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand whoami" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand whoami" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand db; and not __fish_seen_subcommand_from migrate status start stop url help" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand db; and not __fish_seen_subcommand_from migrate status start stop url help" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand db; and not __fish_seen_subcommand_from migrate status start stop url help" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand db; and not __fish_seen_subcommand_from migrate status start stop url help" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand db; and not __fish_seen_subcommand_from migrate status start stop url help" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and not __fish_seen_subcommand_from migrate status start stop url help" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and not __fish_seen_subcommand_from migrate status start stop url help" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and not __fish_seen_subcommand_from migrate status start stop url help" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand db; and not __fish_seen_subcommand_from migrate status start stop url help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand db; and not __fish_seen_subcommand_from migrate status start stop url help" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand db; and not __fish_seen_subcommand_from migrate status start stop url help" -f -a "migrate" -d 'Apply pending migrations (schema owner or superuser)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and not __fish_seen_subcommand_from migrate status start stop url help" -f -a "status" -d 'Where the database is, whether it runs, migrations applied'
complete -c gsess -n "__fish_gsess_using_subcommand db; and not __fish_seen_subcommand_from migrate status start stop url help" -f -a "start" -d 'Start the embedded database (created on first use)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and not __fish_seen_subcommand_from migrate status start stop url help" -f -a "stop" -d 'Stop the embedded database'
complete -c gsess -n "__fish_gsess_using_subcommand db; and not __fish_seen_subcommand_from migrate status start stop url help" -f -a "url" -d 'Print the URL of the database gsess would use'
complete -c gsess -n "__fish_gsess_using_subcommand db; and not __fish_seen_subcommand_from migrate status start stop url help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from migrate" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from migrate" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from migrate" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from migrate" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from migrate" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from migrate" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from migrate" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from migrate" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from migrate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from migrate" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from status" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from status" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from status" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from status" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from status" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from status" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from status" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from start" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from start" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from start" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from start" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from start" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from start" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from start" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from start" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from start" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from stop" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from stop" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from stop" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from stop" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from stop" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from stop" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from stop" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from stop" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from stop" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from url" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from url" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from url" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from url" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from url" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from url" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from url" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from url" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from url" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from url" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "migrate" -d 'Apply pending migrations (schema owner or superuser)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "status" -d 'Where the database is, whether it runs, migrations applied'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start the embedded database (created on first use)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "stop" -d 'Stop the embedded database'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "url" -d 'Print the URL of the database gsess would use'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gsess -n "__fish_gsess_using_subcommand demo" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand demo" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand demo" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand demo" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand demo" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand demo" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand demo" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand demo" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand demo" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand completions" -l database-url -d 'PostgreSQL URL (else $DATABASE_URL, else the embedded database)' -r
complete -c gsess -n "__fish_gsess_using_subcommand completions" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gsess -n "__fish_gsess_using_subcommand completions" -l lock-timeout -d 'How long to wait for a row or table lock (e.g. 10s)' -r
complete -c gsess -n "__fish_gsess_using_subcommand completions" -l statement-timeout -d 'How long one statement may run (e.g. 5m)' -r
complete -c gsess -n "__fish_gsess_using_subcommand completions" -l json -d 'Print one JSON document on stdout (errors as JSON on stderr)'
complete -c gsess -n "__fish_gsess_using_subcommand completions" -s y -l yes -d 'Answer yes to confirmations (needed without a terminal)'
complete -c gsess -n "__fish_gsess_using_subcommand completions" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c gsess -n "__fish_gsess_using_subcommand completions" -s q -l quiet -d 'Only errors on stderr'
complete -c gsess -n "__fish_gsess_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gsess -n "__fish_gsess_using_subcommand completions" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from list show preview mark take finalize create roster supervisor billing claims claim encounters force-update accept explain audit import whoami db demo completions help" -f -a "list" -d 'Sessions of a day or range, with attendance and status'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from list show preview mark take finalize create roster supervisor billing claims claim encounters force-update accept explain audit import whoami db demo completions help" -f -a "show" -d 'One session: supervisors, roster, next states, preview'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from list show preview mark take finalize create roster supervisor billing claims claim encounters force-update accept explain audit import whoami db demo completions help" -f -a "preview" -d 'The billing preview of a session: issues, bands, ratio'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from list show preview mark take finalize create roster supervisor billing claims claim encounters force-update accept explain audit import whoami db demo completions help" -f -a "mark" -d 'Mark attendance: all named rows in one transaction, or none'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from list show preview mark take finalize create roster supervisor billing claims claim encounters force-update accept explain audit import whoami db demo completions help" -f -a "take" -d 'Interactive roll call on a terminal'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from list show preview mark take finalize create roster supervisor billing claims claim encounters force-update accept explain audit import whoami db demo completions help" -f -a "finalize" -d 'Mark still-SCHEDULED rows ABSENT (sessions, or a whole day)'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from list show preview mark take finalize create roster supervisor billing claims claim encounters force-update accept explain audit import whoami db demo completions help" -f -a "create" -d 'Create an ad-hoc session'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from list show preview mark take finalize create roster supervisor billing claims claim encounters force-update accept explain audit import whoami db demo completions help" -f -a "roster" -d 'Add late arrivals, or remove still-SCHEDULED participants'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from list show preview mark take finalize create roster supervisor billing claims claim encounters force-update accept explain audit import whoami db demo completions help" -f -a "supervisor" -d 'Add a substitute supervisor who was in the room'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from list show preview mark take finalize create roster supervisor billing claims claim encounters force-update accept explain audit import whoami db demo completions help" -f -a "billing" -d 'Charges for ended sessions, claims for complete ones'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from list show preview mark take finalize create roster supervisor billing claims claim encounters force-update accept explain audit import whoami db demo completions help" -f -a "claims" -d 'Claims with frequency code, status, amount and issues'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from list show preview mark take finalize create roster supervisor billing claims claim encounters force-update accept explain audit import whoami db demo completions help" -f -a "claim" -d 'Show, submit or acknowledge one claim'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from list show preview mark take finalize create roster supervisor billing claims claim encounters force-update accept explain audit import whoami db demo completions help" -f -a "encounters" -d 'A member\'s charges, active and void'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from list show preview mark take finalize create roster supervisor billing claims claim encounters force-update accept explain audit import whoami db demo completions help" -f -a "force-update" -d 'Correct a locked session: see the consequence, then apply it'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from list show preview mark take finalize create roster supervisor billing claims claim encounters force-update accept explain audit import whoami db demo completions help" -f -a "accept" -d 'Accept an issue as a documented exception, or withdraw it'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from list show preview mark take finalize create roster supervisor billing claims claim encounters force-update accept explain audit import whoami db demo completions help" -f -a "explain" -d 'How the preview got its answer (for support)'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from list show preview mark take finalize create roster supervisor billing claims claim encounters force-update accept explain audit import whoami db demo completions help" -f -a "audit" -d 'Who changed what, when and why (the audit log)'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from list show preview mark take finalize create roster supervisor billing claims claim encounters force-update accept explain audit import whoami db demo completions help" -f -a "import" -d 'Load a dataset document: all or nothing, idempotent'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from list show preview mark take finalize create roster supervisor billing claims claim encounters force-update accept explain audit import whoami db demo completions help" -f -a "whoami" -d 'Your login, scopes and home facility'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from list show preview mark take finalize create roster supervisor billing claims claim encounters force-update accept explain audit import whoami db demo completions help" -f -a "db" -d 'The schema\'s migrations and the embedded database'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from list show preview mark take finalize create roster supervisor billing claims claim encounters force-update accept explain audit import whoami db demo completions help" -f -a "demo" -d 'A guided tour on a demo dataset in the embedded database'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from list show preview mark take finalize create roster supervisor billing claims claim encounters force-update accept explain audit import whoami db demo completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from list show preview mark take finalize create roster supervisor billing claims claim encounters force-update accept explain audit import whoami db demo completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gsess -n "__fish_gsess_using_subcommand help; and __fish_seen_subcommand_from roster" -f -a "add" -d 'Add participants (late arrivals) as SCHEDULED'
complete -c gsess -n "__fish_gsess_using_subcommand help; and __fish_seen_subcommand_from roster" -f -a "remove" -d 'Remove participants still SCHEDULED'
complete -c gsess -n "__fish_gsess_using_subcommand help; and __fish_seen_subcommand_from supervisor" -f -a "add" -d 'Add a substitute supervisor to one session (source MANUAL)'
complete -c gsess -n "__fish_gsess_using_subcommand help; and __fish_seen_subcommand_from billing" -f -a "run" -d 'Bill ended sessions once; report what was held back'
complete -c gsess -n "__fish_gsess_using_subcommand help; and __fish_seen_subcommand_from billing" -f -a "watch" -d 'Bill continuously, as sessions end and attendance changes'
complete -c gsess -n "__fish_gsess_using_subcommand help; and __fish_seen_subcommand_from claim" -f -a "show" -d 'A claim\'s lines, Validation list and chain'
complete -c gsess -n "__fish_gsess_using_subcommand help; and __fish_seen_subcommand_from claim" -f -a "submit" -d 'Re-scrub claims, write the 837P and mark them submitted'
complete -c gsess -n "__fish_gsess_using_subcommand help; and __fish_seen_subcommand_from claim" -f -a "edi" -d 'Print the stored 837P a claim was sent in'
complete -c gsess -n "__fish_gsess_using_subcommand help; and __fish_seen_subcommand_from claim" -f -a "ack" -d 'Record the payer\'s claim number for a submitted claim'
complete -c gsess -n "__fish_gsess_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "migrate" -d 'Apply pending migrations (schema owner or superuser)'
complete -c gsess -n "__fish_gsess_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "status" -d 'Where the database is, whether it runs, migrations applied'
complete -c gsess -n "__fish_gsess_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "start" -d 'Start the embedded database (created on first use)'
complete -c gsess -n "__fish_gsess_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "stop" -d 'Stop the embedded database'
complete -c gsess -n "__fish_gsess_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "url" -d 'Print the URL of the database gsess would use'
