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
complete -c gsess -n "__fish_gsess_needs_command" -s h -l help -d 'Print help'
complete -c gsess -n "__fish_gsess_needs_command" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "import" -d 'Load a dataset document (all or nothing, idempotent)'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "whoami" -d 'Your login, the scopes you hold and your home facility'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "db" -d 'Schema migrations and the embedded database\'s lifecycle'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "demo" -d 'Start the embedded database, load the demo dataset dated today and show what is there'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c gsess -n "__fish_gsess_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c gsess -n "__fish_gsess_using_subcommand import" -s h -l help -d 'Print help'
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
complete -c gsess -n "__fish_gsess_using_subcommand whoami" -s h -l help -d 'Print help'
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
complete -c gsess -n "__fish_gsess_using_subcommand db; and not __fish_seen_subcommand_from migrate status start stop url help" -s h -l help -d 'Print help'
complete -c gsess -n "__fish_gsess_using_subcommand db; and not __fish_seen_subcommand_from migrate status start stop url help" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand db; and not __fish_seen_subcommand_from migrate status start stop url help" -f -a "migrate" -d 'Apply pending migrations (run by the schema\'s owner or a superuser)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and not __fish_seen_subcommand_from migrate status start stop url help" -f -a "status" -d 'Where the database is, whether it runs, and the migrations applied'
complete -c gsess -n "__fish_gsess_using_subcommand db; and not __fish_seen_subcommand_from migrate status start stop url help" -f -a "start" -d 'Start the embedded database (created and migrated on first use)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and not __fish_seen_subcommand_from migrate status start stop url help" -f -a "stop" -d 'Stop the embedded database'
complete -c gsess -n "__fish_gsess_using_subcommand db; and not __fish_seen_subcommand_from migrate status start stop url help" -f -a "url" -d 'Print the connection URL of the database gsess would use'
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
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from migrate" -s h -l help -d 'Print help'
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
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
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
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help'
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
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help'
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
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from url" -s h -l help -d 'Print help'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from url" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "migrate" -d 'Apply pending migrations (run by the schema\'s owner or a superuser)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "status" -d 'Where the database is, whether it runs, and the migrations applied'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start the embedded database (created and migrated on first use)'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "stop" -d 'Stop the embedded database'
complete -c gsess -n "__fish_gsess_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "url" -d 'Print the connection URL of the database gsess would use'
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
complete -c gsess -n "__fish_gsess_using_subcommand demo" -s h -l help -d 'Print help'
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
complete -c gsess -n "__fish_gsess_using_subcommand completions" -s h -l help -d 'Print help'
complete -c gsess -n "__fish_gsess_using_subcommand completions" -s V -l version -d 'Print version'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from import whoami db demo completions help" -f -a "import" -d 'Load a dataset document (all or nothing, idempotent)'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from import whoami db demo completions help" -f -a "whoami" -d 'Your login, the scopes you hold and your home facility'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from import whoami db demo completions help" -f -a "db" -d 'Schema migrations and the embedded database\'s lifecycle'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from import whoami db demo completions help" -f -a "demo" -d 'Start the embedded database, load the demo dataset dated today and show what is there'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from import whoami db demo completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c gsess -n "__fish_gsess_using_subcommand help; and not __fish_seen_subcommand_from import whoami db demo completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gsess -n "__fish_gsess_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "migrate" -d 'Apply pending migrations (run by the schema\'s owner or a superuser)'
complete -c gsess -n "__fish_gsess_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "status" -d 'Where the database is, whether it runs, and the migrations applied'
complete -c gsess -n "__fish_gsess_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "start" -d 'Start the embedded database (created and migrated on first use)'
complete -c gsess -n "__fish_gsess_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "stop" -d 'Stop the embedded database'
complete -c gsess -n "__fish_gsess_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "url" -d 'Print the connection URL of the database gsess would use'
