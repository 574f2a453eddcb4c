//! Answers written while the database is still sending them, so memory does not grow with
//! the result: a script's `--json` array element by element, or plain lines. A reader that
//! goes away (`gsess list --json | head`) ends the writing quietly, as a closed pipe is not
//! an error.

use crate::error::Result;
use serde::Serialize;
use std::io::{self, BufWriter, Stdout, Write};
use std::ops::ControlFlow;

/// Standard output, buffered, that remembers a closed pipe.
pub struct Sink {
    writer: BufWriter<Stdout>,
    closed: bool,
}

impl Sink {
    pub fn stdout() -> Sink {
        Sink {
            writer: BufWriter::with_capacity(1 << 16, io::stdout()),
            closed: false,
        }
    }

    /// Write with `write`; breaks once the reader has gone (nothing more is written then).
    pub fn write(
        &mut self,
        write: impl FnOnce(&mut BufWriter<Stdout>) -> io::Result<()>,
    ) -> Result<ControlFlow<()>> {
        if self.closed {
            return Ok(ControlFlow::Break(()));
        }
        match write(&mut self.writer) {
            Ok(()) => Ok(ControlFlow::Continue(())),
            Err(err) if err.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(ControlFlow::Break(()))
            }
            Err(err) => Err(err.into()),
        }
    }

    /// Write the last of it and flush.
    pub fn finish(
        mut self,
        write: impl FnOnce(&mut BufWriter<Stdout>) -> io::Result<()>,
    ) -> Result<()> {
        self.write(|w| write(w).and_then(|()| w.flush()))
            .map(|_| ())
    }
}

/// A JSON array on stdout, one element a line: `[`, the elements separated by commas, `]`.
pub struct JsonArray {
    sink: Sink,
    written: u64,
}

impl JsonArray {
    pub fn stdout() -> JsonArray {
        JsonArray {
            sink: Sink::stdout(),
            written: 0,
        }
    }

    pub fn push(&mut self, element: &impl Serialize) -> Result<ControlFlow<()>> {
        let first = self.written == 0;
        self.written += 1;
        self.sink.write(|w| {
            w.write_all(if first { b"[\n" } else { b",\n" })?;
            serde_json::to_writer(&mut *w, element)?;
            Ok(())
        })
    }

    /// Close the array (`[]` when nothing was pushed).
    pub fn finish(self) -> Result<()> {
        let empty = self.written == 0;
        self.sink
            .finish(|w| w.write_all(if empty { b"[]\n" } else { b"\n]\n" }))
    }
}
