//! Rendering: every answer is a view struct, built from what an operation returned (never
//! from database rows), and printed as a table on a terminal, plain text otherwise, or one
//! JSON document with `--json`. One module per kind of answer.

pub mod attendance;
pub mod audit;
pub mod billing;
pub mod corrections;
pub mod database;
pub mod demo;

pub mod finalize;
pub mod import;
pub mod list;
pub mod preview;
pub mod progress;
pub mod session;
pub mod stream;
pub mod submit;
pub mod whoami;

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
    /// Text exactly as it is (an EDI interchange), ending the line if it does not.
    pub fn raw(&mut self, text: &str) -> io::Result<()> {
        self.writer.write_all(text.as_bytes())?;
        if !text.ends_with('\n') {
            self.writer.write_all(b"\n")?;
        }
        Ok(())
    }

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

/// One answer, or one of a stream of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    Document,
    Stream,
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
        self.write(view, Layout::Document)
    }

    /// One document per line (NDJSON) for `--watch`: a stream scripts can read as it comes.
    /// For people, on a terminal each rendering replaces the last; in a pipe they follow
    /// each other.
    pub fn emit_line<V: View>(&self, view: &V) -> Result<()> {
        self.write(view, Layout::Stream)
    }

    fn write<V: View>(&self, view: &V, layout: Layout) -> Result<()> {
        // stdout is line-buffered: a long answer would cost one write per line.
        let mut lock = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
        let written = match (self.json, layout) {
            (true, Layout::Document) => serde_json::to_writer_pretty(&mut lock, view),
            (true, Layout::Stream) => serde_json::to_writer(&mut lock, view),
            (false, _) => Ok(()),
        }
        .map_err(io::Error::from)
        .and_then(|_| {
            if self.json {
                return writeln!(lock);
            }
            if layout == Layout::Stream && self.stdout_terminal {
                write!(lock, "\x1b[2J\x1b[H")?;
            }
            let mut human = Human {
                writer: &mut lock,
                terminal: self.stdout_terminal,
                color: self.color,
            };
            view.render(&mut human)?;
            if layout == Layout::Stream {
                writeln!(human.writer)?;
            }
            Ok(())
        });
        match written.and_then(|_| lock.flush()) {
            Err(err) if err.kind() != io::ErrorKind::BrokenPipe => Err(err.into()),
            _ => Ok(()),
        }
    }

    /// A message for people, on stderr (silenced by `--quiet`).
    pub fn note(&self, message: impl AsRef<str>) {
        if !self.quiet && !message.as_ref().is_empty() {
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
