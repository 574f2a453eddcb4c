//! A progress bar for long bulk work, on stderr, only for people at a terminal: none when
//! stdout is not a terminal, none with `--json` or `--quiet`.

use super::Output;
use crate::ops::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar counting `unit` (e.g. "sessions").
pub struct Bar {
    bar: ProgressBar,
    unit: &'static str,
}

impl Bar {
    pub fn new(out: &Output, unit: &'static str) -> Bar {
        let visible = out.stderr_terminal && out.stdout_terminal && !out.json && !out.quiet;
        let bar = if visible {
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
        } else {
            ProgressBar::hidden()
        };
        Bar { bar, unit }
    }
}

impl Progress for Bar {
    fn start(&self, total: u64) {
        self.bar.set_length(total);
        let template = format!("{{bar:40}} {{pos}}/{{len}} {}  {{elapsed}}", self.unit);
        if let Ok(style) = ProgressStyle::with_template(&template) {
            self.bar.set_style(style);
        }
    }

    fn advance(&self, by: u64) {
        self.bar.inc(by);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }

    fn abandon(&self) {
        self.bar.abandon();
    }
}
