//! `gsess completions SHELL`: the completion script (also kept in `completions/`), and the
//! manual pages kept in `man/`, both rendered from the one clap definition in `cli`.

use crate::cli::{Cli, CompletionsArgs};
use crate::error::Result;
use clap::CommandFactory;

/// The script for one shell, as `completions/` holds it.
pub fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "gsess", &mut buffer);
    buffer
}

/// The manual pages, as `man/` holds them: `gsess.1`, then one for each command and nested
/// command (`gsess-list.1`, `gsess-billing-run.1`, …), each with its file name.
pub fn man_pages() -> Vec<(String, Vec<u8>)> {
    // `gsess help` is clap's own; it gets no page, and no line in the pages that list commands.
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let mut pages = Vec::new();
    add_pages(&root, &mut pages);
    pages
}

fn add_pages(command: &clap::Command, pages: &mut Vec<(String, Vec<u8>)>) {
    // Every page names the program and its version as its source, not the subcommand.
    let man = clap_mangen::Man::new(command.clone())
        .source(format!("gsess {}", env!("CARGO_PKG_VERSION")));
    let mut page = Vec::new();
    man.render(&mut page)
        .expect("rendering into memory does not fail");
    pages.push((man.get_filename(), page));
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        add_pages(sub, pages);
    }
}

pub fn run(args: &CompletionsArgs) -> Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(&script(args.shell)) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => Err(err.into()),
        _ => Ok(()),
    }
}
