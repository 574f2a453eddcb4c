//! The completion scripts kept in `completions/` match what `gsess completions` generates.
//! After changing the command line, refresh them with `GSESS_BLESS=1 cargo test --test completions`.

mod common;

use common::gsess_with;
use std::path::Path;

const SHELLS: [(&str, &str); 5] = [
    ("bash", "gsess.bash"),
    ("zsh", "_gsess"),
    ("fish", "gsess.fish"),
    ("powershell", "_gsess.ps1"),
    ("elvish", "gsess.elv"),
];

#[test]
fn kept_completion_scripts_are_current() {
    let bless = std::env::var_os("GSESS_BLESS").is_some();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for (shell, file) in SHELLS {
        let run = gsess_with(&[], &["completions", shell], None);
        run.success();
        assert!(
            run.stdout.contains("import"),
            "{shell} script names the subcommands"
        );
        let path = dir.join(file);
        if bless {
            std::fs::write(&path, &run.stdout).unwrap();
            continue;
        }
        let kept = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            kept == run.stdout,
            "{} is stale: run `GSESS_BLESS=1 cargo test --test completions`",
            path.display()
        );
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    gsess_with(&[], &["completions", "tcsh"], None).code(2);
}
