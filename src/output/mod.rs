//! Rendering: commands return view structs; this prints them as a table on a terminal,
//! plain text otherwise, or one JSON document with `--json`. Database rows never get here.
//! Views shared by several commands live in this module's children (`session`,
//! `attendance`); a view only one command answers with lives beside that command.

pub mod attendance;
pub mod session;

use crate::cli::ColorChoice;
use crate::error::Result;
use comfy_table::{presets, Cell, Color, ContentArrangement, Table};
use serde::Serialize;
use std::io::{self, IsTerminal, Write};

/// A command's answer: serialisable for `--json`, and able to write itself for people.
pub trait View: Serialize {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()>;
}

/// Text output for people, aware of whether stdout is a terminal.
pub struct Human<'a> {
    writer: &'a mut dyn Write,
    pub terminal: bool,
    pub color: bool,
}

impl Human<'_> {
    pub fn line(&mut self, text: impl AsRef<str>) -> io::Result<()> {
        writeln!(self.writer, "{}", text.as_ref())
    }

    /// A `key: value` line, the key padded so a block of them aligns.
    pub fn field(&mut self, key: &str, value: impl std::fmt::Display) -> io::Result<()> {
        writeln!(self.writer, "{:<16} {value}", format!("{key}:"))
    }

    /// A table: boxed on a terminal, plain aligned columns in a pipe.
    pub fn table(&mut self, header: &[&str], rows: Vec<Vec<Cell>>) -> io::Result<()> {
        let mut table = Table::new();
        if self.terminal {
            table
                .load_style(presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic);
        } else {
            table.load_style(presets::NOTHING);
        }
        if !self.color {
            table.force_no_tty();
        } else {
            table.enforce_styling();
        }
        table.set_header(header.iter().copied().map(Cell::new));
        for row in rows {
            table.add_row(row);
        }
        writeln!(self.writer, "{table}")
    }

    /// A cell coloured when colours are on.
    pub fn colored(&self, text: impl Into<String>, color: Color) -> Cell {
        let cell = Cell::new(text.into());
        if self.color {
            cell.fg(color)
        } else {
            cell
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub json: bool,
    pub quiet: bool,
    pub verbose: u8,
    pub stdout_terminal: bool,
    pub stderr_terminal: bool,
    pub color: bool,
}

impl Output {
    pub fn new(json: bool, quiet: bool, verbose: u8, color: ColorChoice) -> Output {
        let stdout_terminal = io::stdout().is_terminal();
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stdout_terminal && std::env::var_os("NO_COLOR").is_none(),
        };
        Output {
            json,
            quiet,
            verbose,
            stdout_terminal,
            stderr_terminal: io::stderr().is_terminal(),
            color,
        }
    }

    /// Print the answer on stdout. A closed pipe (`gsess list | head`) is not an error.
    pub fn emit<V: View>(&self, view: &V) -> Result<()> {
        let stdout = io::stdout();
        let mut lock = stdout.lock();
        let written = if self.json {
            serde_json::to_writer_pretty(&mut lock, view)
                .map_err(io::Error::from)
                .and_then(|_| writeln!(lock))
        } else {
            let mut human = Human {
                writer: &mut lock,
                terminal: self.stdout_terminal,
                color: self.color,
            };
            view.render(&mut human)
        };
        match written.and_then(|_| lock.flush()) {
            Err(err) if err.kind() != io::ErrorKind::BrokenPipe => Err(err.into()),
            _ => Ok(()),
        }
    }

    /// One document per line (NDJSON) for `--watch`: a stream scripts can read as it comes.
    pub fn emit_line<V: View>(&self, view: &V) -> Result<()> {
        let stdout = io::stdout();
        let mut lock = stdout.lock();
        let written = if self.json {
            serde_json::to_writer(&mut lock, view)
                .map_err(io::Error::from)
                .and_then(|_| writeln!(lock))
        } else {
            // On a terminal each rendering replaces the last; in a pipe they follow each other.
            let clear = if self.stdout_terminal {
                "\x1b[2J\x1b[H"
            } else {
                ""
            };
            write!(lock, "{clear}")
                .and_then(|_| {
                    let mut human = Human {
                        writer: &mut lock,
                        terminal: self.stdout_terminal,
                        color: self.color,
                    };
                    view.render(&mut human)
                })
                .and_then(|_| writeln!(lock))
        };
        match written.and_then(|_| lock.flush()) {
            Err(err) if err.kind() != io::ErrorKind::BrokenPipe => Err(err.into()),
            _ => Ok(()),
        }
    }

    /// A message for people, on stderr (silenced by `--quiet`).
    pub fn note(&self, message: impl AsRef<str>) {
        if !self.quiet {
            let _ = writeln!(io::stderr(), "{}", message.as_ref());
        }
    }

    /// Detail shown with `-v`.
    pub fn detail(&self, message: impl AsRef<str>) {
        if self.verbose > 0 {
            self.note(message);
        }
    }
}
