//! `audit`: the audit log's entries. A script's answer is written entry by entry as the
//! database sends them — with `--json` an array (`[`, the entries one per line separated
//! by commas, `]`), in a pipe aligned plain-text lines under one header — so memory does not
//! grow with the log; a terminal gets one table, which needs every row to size its columns.

use super::stream::{JsonArray, Sink};
use super::{Human, Output, View};
use crate::error::Result;
use crate::model::AuditEntry;
use crate::time::facility_zone;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use comfy_table::{Cell, Color};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::io::{self, Write};
use std::ops::ControlFlow;

/// One entry: `{id, at, actor, action, session_id, claim_id, mrn, before, after, reason,
/// forced}`; `before` and `after` are the stored JSON (or `null`), `at` is RFC 3339 on the
/// facility's clock (UTC for an entry of no facility).
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntryView {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub session_id: Option<i64>,
    pub claim_id: Option<i64>,
    pub mrn: Option<String>,
    pub before: Option<Box<RawValue>>,
    pub after: Option<Box<RawValue>>,
    pub reason: Option<String>,
    pub forced: bool,
    /// For people: the time to the second, on the same clock.
    #[serde(skip)]
    pub when: String,
    /// For people: what changed, e.g. `SCHEDULED → ATTENDED`.
    #[serde(skip)]
    pub change: String,
}

impl AuditEntryView {
    pub fn of(entry: &AuditEntry) -> AuditEntryView {
        let tz = entry.timezone.as_deref().map_or(Tz::UTC, facility_zone);
        let parse = |raw: &Option<Box<RawValue>>| {
            raw.as_ref()
                .and_then(|raw| serde_json::from_str::<Value>(raw.get()).ok())
        };
        AuditEntryView {
            id: entry.id,
            at: entry.at.with_timezone(&tz).to_rfc3339(),
            actor: entry.actor.clone(),
            action: entry.action.clone(),
            session_id: entry.session_id,
            claim_id: entry.claim_id,
            mrn: entry.mrn.clone(),
            before: entry.before.clone(),
            after: entry.after.clone(),
            reason: entry.reason.clone(),
            forced: entry.forced,
            when: when(entry.at, tz),
            change: change_summary(
                &entry.action,
                parse(&entry.before).as_ref(),
                parse(&entry.after).as_ref(),
            ),
        }
    }

    fn cells(&self) -> [String; 10] {
        let id = |id: Option<i64>| id.map_or("—".to_owned(), |id| id.to_string());
        [
            self.id.to_string(),
            self.when.clone(),
            self.actor.clone(),
            self.action.clone(),
            id(self.session_id),
            id(self.claim_id),
            self.mrn.clone().unwrap_or_else(|| "—".to_owned()),
            self.change.clone(),
            if self.forced { "yes" } else { "no" }.to_owned(),
            self.reason.clone().unwrap_or_default(),
        ]
    }
}

const HEADER: [&str; 10] = [
    "id", "at", "actor", "action", "session", "claim", "member", "change", "forced", "reason",
];

/// The width each plain-text column is padded to: what typical values need. A longer value
/// pushes the rest of its line along rather than being cut; the reason, last, is free text.
const PLAIN_WIDTHS: [usize; 9] = [6, 25, 16, 16, 7, 7, 8, 28, 6];

/// `2026-11-27 14:03:12-08:00`.
fn when(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz)
        .format("%Y-%m-%d %H:%M:%S%:z")
        .to_string()
}

/// `audit` on a terminal: a JSON array of entries, shown as one table.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct AuditView(pub Vec<AuditEntryView>);

impl View for AuditView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        if self.0.is_empty() {
            return out.line(NOTHING);
        }
        let rows = self
            .0
            .iter()
            .map(|entry| {
                let mut cells: Vec<Cell> = entry.cells().into_iter().map(Cell::new).collect();
                if entry.forced {
                    cells[8] = out.colored("yes", Color::Magenta);
                }
                cells
            })
            .collect();
        out.table(&HEADER, rows)
    }
}

const NOTHING: &str = "No audit entries.";

/// Where `audit`'s entries go as they are read.
pub struct AuditStream {
    output: Output,
    mode: Mode,
}

enum Mode {
    Json(JsonArray),
    Plain {
        sink: Sink,
        written: u64,
    },
    /// A terminal: the entries are kept for one table.
    Table(Vec<AuditEntryView>),
}

impl AuditStream {
    pub fn new(output: &Output) -> AuditStream {
        let mode = if output.json {
            Mode::Json(JsonArray::stdout())
        } else if output.stdout_terminal {
            Mode::Table(Vec::new())
        } else {
            Mode::Plain {
                sink: Sink::stdout(),
                written: 0,
            }
        };
        AuditStream {
            output: *output,
            mode,
        }
    }

    /// Write one entry (a terminal's are kept for the table). Breaks once stdout is closed.
    pub fn entry(&mut self, entry: AuditEntryView) -> Result<ControlFlow<()>> {
        match &mut self.mode {
            Mode::Table(rows) => {
                rows.push(entry);
                Ok(ControlFlow::Continue(()))
            }
            Mode::Json(array) => array.push(&entry),
            Mode::Plain { sink, written } => {
                let first = *written == 0;
                *written += 1;
                sink.write(|w| write_plain(w, &entry, first))
            }
        }
    }

    /// Close the array, or say there was nothing; a terminal's table is shown now.
    pub fn finish(self) -> Result<()> {
        match self.mode {
            Mode::Table(rows) => self.output.emit(&AuditView(rows)),
            Mode::Json(array) => array.finish(),
            Mode::Plain { sink, written: 0 } => sink.finish(|w| writeln!(w, "{NOTHING}")),
            Mode::Plain { sink, .. } => sink.finish(|_| Ok(())),
        }
    }
}

fn write_plain(writer: &mut impl Write, entry: &AuditEntryView, first: bool) -> io::Result<()> {
    if first {
        writeln!(writer, "{}", plain_line(&HEADER.map(str::to_owned)))?;
    }
    writeln!(writer, "{}", plain_line(&entry.cells()))
}

/// One line of aligned columns, as the other commands print a table in a pipe.
fn plain_line(cells: &[String; 10]) -> String {
    let mut line = String::new();
    for (i, cell) in cells.iter().enumerate() {
        let width = PLAIN_WIDTHS.get(i).copied().unwrap_or(0);
        // Newlines in a reason would break the one-line-per-entry layout.
        let cell = cell.replace(['\n', '\r'], " ");
        line.push_str(&format!(" {cell:<width$} "));
    }
    line.trim_end().to_owned()
}

/// What changed, in a few words: `SCHEDULED → ATTENDED` for a mark, `accepted CODE`, the
/// counts of an import or a billing run, the fields a claim update touched.
pub fn change_summary(action: &str, before: Option<&Value>, after: Option<&Value>) -> String {
    let text = |value: Option<&Value>, key: &str| {
        value
            .and_then(|v| v.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    match action {
        "session.create" => {
            let mut said = "new".to_owned();
            if let Some(source) = text(after, "source") {
                said.push_str(&format!(" {source}"));
            }
            said.push_str(" session");
            if let Some(date) = text(after, "local_date") {
                said.push_str(&format!(", {date}"));
            }
            said
        }
        "accept" => format!("accepted {}", text(after, "code").unwrap_or_default()),
        "accept.revoke" => format!("revoked {}", text(after, "code").unwrap_or_default()),
        "attendance.force" => forced(before, after),
        "import" => import(after),
        "billing.run" => billing_run(after),
        "claim.ack" => format!(
            "payer claim number {} → {}",
            text(before, "payer_claim_number").unwrap_or_else(|| "—".to_owned()),
            text(after, "payer_claim_number").unwrap_or_else(|| "—".to_owned())
        ),
        _ => generic(action, before, after),
    }
}

/// A row (or a statement's rows) before and after: the status change, else the fields that
/// changed; a row added or removed.
fn generic(action: &str, before: Option<&Value>, after: Option<&Value>) -> String {
    let status = |v: &Value| v.get("status").and_then(Value::as_str).map(str::to_owned);
    let noun = action.split('.').next().unwrap_or("row");
    match (before, after) {
        (Some(Value::Array(old)), Some(Value::Array(new))) => {
            let from = distinct(old.iter().filter_map(status));
            let to = distinct(new.iter().filter_map(status));
            let count = new.len();
            if from != to {
                format!("{count} {noun}(s): {from} → {to}")
            } else {
                format!("{count} {noun}(s) changed")
            }
        }
        (None, Some(Value::Array(new))) => {
            let amounts: f64 = new.iter().filter_map(|v| v.get("amount")?.as_f64()).sum();
            if amounts > 0.0 {
                format!("{} {noun}(s), {amounts:.2}", new.len())
            } else {
                format!("{} {noun}(s)", new.len())
            }
        }
        (Some(old), Some(new)) => match (status(old), status(new)) {
            (Some(from), Some(to)) if from != to => format!("{from} → {to}"),
            _ => changed_fields(old, new),
        },
        (None, Some(new)) => match (status(new), new.get("amount").and_then(Value::as_f64)) {
            (Some(status), Some(amount)) => format!("→ {status}, {amount:.2}"),
            (Some(status), None) => format!("→ {status} (added)"),
            _ => "added".to_owned(),
        },
        (Some(old), None) => match status(old) {
            Some(status) => format!("{status} → (removed)"),
            None => "removed".to_owned(),
        },
        (None, None) => String::new(),
    }
}

/// `ABSENT`, or `ABSENT, LATE` when the rows differed.
fn distinct(statuses: impl Iterator<Item = String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for status in statuses {
        if !seen.contains(&status) {
            seen.push(status);
        }
    }
    seen.join(", ")
}

/// The fields of an object that changed (timestamps of the change itself left out).
fn changed_fields(old: &Value, new: &Value) -> String {
    let empty = Map::new();
    let (old, new) = (
        old.as_object().unwrap_or(&empty),
        new.as_object().unwrap_or(&empty),
    );
    let show = |v: Option<&Value>| match v {
        None | Some(Value::Null) => "—".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    let parts: Vec<String> = new
        .iter()
        .filter(|(key, value)| key.as_str() != "updated_at" && old.get(*key) != Some(*value))
        .map(|(key, value)| format!("{key} {} → {}", show(old.get(key)), show(Some(value))))
        .collect();
    if parts.is_empty() {
        "no change".to_owned()
    } else {
        parts.join(", ")
    }
}

/// A forced correction: the rows it moved and to what.
fn forced(before: Option<&Value>, after: Option<&Value>) -> String {
    let rows = |v: Option<&Value>| {
        ["roster", "supervisors"]
            .iter()
            .filter_map(|key| v?.get(*key)?.as_array().cloned())
            .flatten()
            .collect::<Vec<Value>>()
    };
    let status = |v: &Value| v.get("status").and_then(Value::as_str).map(str::to_owned);
    let (old, new) = (rows(before), rows(after));
    format!(
        "{} row(s): {} → {}",
        new.len(),
        distinct(old.iter().filter_map(status)),
        distinct(new.iter().filter_map(status))
    )
}

/// An import's counts: `12 created, 3 updated, 40 unchanged`.
fn import(after: Option<&Value>) -> String {
    let total = |key: &str| -> u64 {
        after
            .and_then(|v| v.get(key))
            .and_then(Value::as_object)
            .map_or(0, |sections| {
                sections.values().filter_map(Value::as_u64).sum()
            })
    };
    let parts: Vec<String> = ["created", "updated", "unchanged", "removed"]
        .iter()
        .map(|key| (key, total(key)))
        .filter(|(_, n)| *n > 0)
        .map(|(key, n)| format!("{n} {key}"))
        .collect();
    if parts.is_empty() {
        "nothing changed".to_owned()
    } else {
        parts.join(", ")
    }
}

/// A billing run's counts: `3 session(s): 8 charge(s), 8 claim(s) built`.
fn billing_run(after: Option<&Value>) -> String {
    let n = |key: &str| after.and_then(|v| v.get(key)).and_then(Value::as_u64);
    let mut text = format!(
        "{} session(s): {} charge(s), {} claim(s) built",
        n("sessions").unwrap_or(0),
        n("charges_built").unwrap_or(0),
        n("claims_built").unwrap_or(0)
    );
    if let Some(voided) = n("charges_voided").filter(|&v| v > 0) {
        text.push_str(&format!(", {voided} charge(s) voided"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn summary(action: &str, before: Option<Value>, after: Option<Value>) -> String {
        change_summary(action, before.as_ref(), after.as_ref())
    }

    #[test]
    fn attendance_changes_read_as_status_moves() {
        let row = |status: &str| json!({"id": 1, "status": status, "updated_at": "x"});
        assert_eq!(
            summary("roster.mark", Some(row("SCHEDULED")), Some(row("ATTENDED"))),
            "SCHEDULED → ATTENDED"
        );
        assert_eq!(
            summary("roster.add", None, Some(row("SCHEDULED"))),
            "→ SCHEDULED (added)"
        );
        assert_eq!(
            summary("roster.remove", Some(row("SCHEDULED")), None),
            "SCHEDULED → (removed)"
        );
        let forced = |status: &str| json!({"roster": [{"id": 1, "status": status}], "supervisors": [{"id": 2, "status": status}]});
        assert_eq!(
            summary(
                "attendance.force",
                Some(forced("ABSENT")),
                Some(forced("ATTENDED"))
            ),
            "2 row(s): ABSENT → ATTENDED"
        );
    }

    #[test]
    fn billing_entries_read_as_counts_and_moves() {
        let claim = |status: &str, pcn: Option<&str>| json!({"id": 9, "status": status, "amount": 45.00, "payer_claim_number": pcn});
        assert_eq!(
            summary("claim.build", None, Some(claim("BUILT", None))),
            "→ BUILT, 45.00"
        );
        assert_eq!(
            summary(
                "claim.submitted",
                Some(claim("BUILT", None)),
                Some(claim("SUBMITTED", None))
            ),
            "BUILT → SUBMITTED"
        );
        assert_eq!(
            summary(
                "claim.ack",
                Some(claim("SUBMITTED", None)),
                Some(claim("SUBMITTED", Some("ICN1")))
            ),
            "payer claim number — → ICN1"
        );
        let charge = |status: &str| json!({"id": 1, "status": status, "amount": 40});
        assert_eq!(
            summary(
                "charge.build",
                None,
                Some(json!([charge("ACTIVE"), charge("ACTIVE")]))
            ),
            "2 charge(s), 80.00"
        );
        assert_eq!(
            summary(
                "charge.void",
                Some(json!([charge("ACTIVE")])),
                Some(json!([charge("VOID")]))
            ),
            "1 charge(s): ACTIVE → VOID"
        );
        assert_eq!(
            summary(
                "billing.run",
                None,
                Some(
                    json!({"sessions": 2, "charges_built": 5, "claims_built": 4, "charges_voided": 0})
                )
            ),
            "2 session(s): 5 charge(s), 4 claim(s) built"
        );
        assert_eq!(
            summary(
                "claim.update",
                Some(json!({"status": "BUILT", "amount": 45, "updated_at": 1})),
                Some(json!({"status": "BUILT", "amount": 40, "updated_at": 2}))
            ),
            "amount 45 → 40"
        );
    }

    #[test]
    fn imports_acceptances_and_sessions_say_what_happened() {
        assert_eq!(
            summary(
                "import",
                None,
                Some(
                    json!({"created": {"members": 3, "sessions": 1}, "updated": {"members": 0}, "unchanged": {"payers": 2}})
                )
            ),
            "4 created, 2 unchanged"
        );
        assert_eq!(
            summary(
                "accept",
                None,
                Some(json!({"code": "SUPERVISION_RATIO_BREACH"}))
            ),
            "accepted SUPERVISION_RATIO_BREACH"
        );
        assert_eq!(
            summary(
                "session.create",
                None,
                Some(json!({"source": "ADHOC", "local_date": "2026-11-27"}))
            ),
            "new ADHOC session, 2026-11-27"
        );
    }

    #[test]
    fn plain_lines_align_and_stay_on_one_line() {
        let header = plain_line(&HEADER.map(str::to_owned));
        let row = plain_line(&[
            "12".into(),
            "2026-11-27 14:03:12-08:00".into(),
            "nurse".into(),
            "roster.mark".into(),
            "3".into(),
            "—".into(),
            "M001".into(),
            "SCHEDULED → ATTENDED".into(),
            "no".into(),
            "late\nbus".into(),
        ]);
        assert!(!row.contains('\n'));
        assert!(row.ends_with("late bus"), "{row}");
        // Columns start at the same character (not byte: a dash is three bytes).
        let column = |line: &str, word: &str| line.find(word).map(|at| line[..at].chars().count());
        assert_eq!(column(&header, "action"), column(&row, "roster.mark"));
        assert_eq!(column(&header, "change"), column(&row, "SCHEDULED"));
        assert_eq!(column(&header, "reason"), column(&row, "late bus"));
    }
}
