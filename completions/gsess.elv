
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
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand import 'Load a dataset document (all or nothing, idempotent)'
            cand whoami 'Your login, the scopes you hold and your home facility'
            cand db 'Schema migrations and the embedded database''s lifecycle'
            cand demo 'Start the embedded database, load the demo dataset dated today and show what is there'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
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
            cand -h 'Print help'
            cand --help 'Print help'
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
            cand -h 'Print help'
            cand --help 'Print help'
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
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand migrate 'Apply pending migrations (run by the schema''s owner or a superuser)'
            cand status 'Where the database is, whether it runs, and the migrations applied'
            cand start 'Start the embedded database (created and migrated on first use)'
            cand stop 'Stop the embedded database'
            cand url 'Print the connection URL of the database gsess would use'
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
            cand -h 'Print help'
            cand --help 'Print help'
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
            cand -h 'Print help'
            cand --help 'Print help'
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
            cand -h 'Print help'
            cand --help 'Print help'
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
            cand -h 'Print help'
            cand --help 'Print help'
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
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;db;help'= {
            cand migrate 'Apply pending migrations (run by the schema''s owner or a superuser)'
            cand status 'Where the database is, whether it runs, and the migrations applied'
            cand start 'Start the embedded database (created and migrated on first use)'
            cand stop 'Stop the embedded database'
            cand url 'Print the connection URL of the database gsess would use'
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
            cand -h 'Print help'
            cand --help 'Print help'
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
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gsess;help'= {
            cand import 'Load a dataset document (all or nothing, idempotent)'
            cand whoami 'Your login, the scopes you hold and your home facility'
            cand db 'Schema migrations and the embedded database''s lifecycle'
            cand demo 'Start the embedded database, load the demo dataset dated today and show what is there'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gsess;help;import'= {
        }
        &'gsess;help;whoami'= {
        }
        &'gsess;help;db'= {
            cand migrate 'Apply pending migrations (run by the schema''s owner or a superuser)'
            cand status 'Where the database is, whether it runs, and the migrations applied'
            cand start 'Start the embedded database (created and migrated on first use)'
            cand stop 'Stop the embedded database'
            cand url 'Print the connection URL of the database gsess would use'
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
