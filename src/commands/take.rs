//! `gsess take SESSION`: the roll call on a terminal. Pick a participant or supervisor, pick
//! one of its legal next states, see the change, the recomputed preview and one line naming
//! the issues that appeared and cleared, repeat; on "done", offer to mark whatever is still
//! SCHEDULED (roster and supervisor rows) ABSENT.
//!
//! A room is taken one key a person: each status has a key (`a` ATTENDED, `l` LATE, `x`
//! ABSENT) that marks the highlighted row at once, and after each mark the highlight moves to
//! the next row still SCHEDULED. Enter on a row opens its status menu, where the same keys
//! mark and `b` or Esc goes back; Esc (or Enter on "done") ends the roll call.
//!
//! Every change goes through `mark`'s code path (one transaction, rows locked and judged on
//! what they hold under the lock), so a concurrent writer is seen, never overwritten blindly.
//! The menus, what each key does in them and where the highlight goes are pure functions
//! ([`menu_entries`], [`row_key`], [`status_key`], [`cursor_after_mark`], [`finalize_plan`])
//! tested without a terminal; only [`run`] reads keys and draws. Without a terminal it
//! refuses (exit 7).

use crate::app::App;
use crate::cli::SessionArg;
use crate::db::{Gate, Scope};
use crate::error::{Error, ExitKind, Result};
use crate::model::{RowKind, SessionRecord};
use crate::ops::attendance::{mark, RowIds, Selection};
use crate::ops::session::{self, SessionDetail};
use crate::output::attendance::MarkView;
use crate::output::session::ShowView;
use crate::output::{Output, View};
use crate::rules::preview::Evaluation;
use crate::rules::{AttendanceStatus, Issue};
use console::{Key, Term};
use sqlx::PgConnection;
use std::io::{self, IsTerminal};
use std::ops::Range;

/// The last item of the row menu.
pub const DONE: &str = "done";
/// The last item of a status menu.
pub const BACK: &str = "(back)";
/// The key of "(back)" in a status menu (Esc goes back too).
pub const BACK_KEY: char = 'b';
/// The question of the row menu.
pub const ROW_PROMPT: &str = "Pick a row to mark";

/// The statuses a single key marks, each with its key.
const SHORTCUTS: [(char, AttendanceStatus); 3] = [
    ('a', AttendanceStatus::Attended),
    ('l', AttendanceStatus::Late),
    ('x', AttendanceStatus::Absent),
];

/// The key that marks a status at once: `a` ATTENDED, `l` LATE, `x` ABSENT (none for
/// SCHEDULED, which nothing goes back to).
pub fn shortcut(status: AttendanceStatus) -> Option<char> {
    SHORTCUTS
        .iter()
        .find(|(_, s)| *s == status)
        .map(|(key, _)| *key)
}

/// The status a key stands for, whatever its case.
pub fn status_of_key(key: char) -> Option<AttendanceStatus> {
    let key = key.to_ascii_lowercase();
    SHORTCUTS.iter().find(|(k, _)| *k == key).map(|(_, s)| *s)
}

/// `[a] ATTENDED`
fn with_key(status: AttendanceStatus) -> String {
    match shortcut(status) {
        Some(key) => format!("[{key}] {status}"),
        None => status.as_str().to_owned(),
    }
}

/// One row of the roll call: who, where it stands, where it may go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuEntry {
    pub kind: RowKind,
    pub row_id: i64,
    /// The MRN of a participant, the NPI of a supervisor.
    pub key: String,
    pub name: String,
    pub status: AttendanceStatus,
    /// The legal next states, in the rules' order.
    pub next: Vec<AttendanceStatus>,
}

impl MenuEntry {
    /// `Ana Lopez · M001 · SCHEDULED`, `Supervisor Dana Reyes · NPI 1245319599 · LATE`
    pub fn label(&self) -> String {
        match self.kind {
            RowKind::Participant => format!("{} · {} · {}", self.name, self.key, self.status),
            RowKind::Supervisor => {
                format!(
                    "Supervisor {} · NPI {} · {}",
                    self.name, self.key, self.status
                )
            }
        }
    }

    /// The question of the status menu.
    pub fn question(&self) -> String {
        format!("{} is {}: mark as", self.label_short(), self.status)
    }

    fn label_short(&self) -> String {
        match self.kind {
            RowKind::Participant => format!("{} ({})", self.name, self.key),
            RowKind::Supervisor => format!("Supervisor {} ({})", self.name, self.key),
        }
    }

    /// The status menu: the legal next states, then "(back)".
    pub fn status_items(&self) -> Vec<String> {
        self.next
            .iter()
            .map(|s| s.as_str().to_owned())
            .chain([BACK.to_owned()])
            .collect()
    }

    /// The keys of its legal next states: `[a] ATTENDED   [x] ABSENT   [l] LATE`.
    pub fn shortcuts(&self) -> String {
        self.next
            .iter()
            .map(|s| with_key(*s))
            .collect::<Vec<_>>()
            .join("   ")
    }

    /// The status menu as drawn: each item with its key, `[a] ATTENDED` ... `[b] (back)`.
    pub fn status_labels(&self) -> Vec<String> {
        self.next
            .iter()
            .map(|s| with_key(*s))
            .chain([format!("[{BACK_KEY}] {BACK}")])
            .collect()
    }

    /// A status key pressed for this row (at `row` in the menu): the mark when the status is
    /// one of its legal next states, else a note saying which are.
    fn key_mark(&self, row: usize, to: AttendanceStatus) -> Step {
        if self.next.contains(&to) {
            return Step::Answer(Choice::Mark(row, to));
        }
        let why = if to == self.status {
            format!("is already {to}")
        } else {
            format!("cannot go from {} to {to}", self.status)
        };
        Step::Note(format!(
            "{} {why}: {}",
            self.label_short(),
            self.shortcuts()
        ))
    }

    /// What `mark` is asked to change for this row: it, named, so its transition is judged.
    pub fn selection(&self) -> Selection {
        match self.kind {
            RowKind::Participant => Selection {
                mrns: vec![self.key.clone()],
                ..Selection::default()
            },
            RowKind::Supervisor => Selection {
                npis: vec![self.key.clone()],
                ..Selection::default()
            },
        }
    }
}

/// The rows of the roll call: the roster in roster order, then the supervisors.
pub fn menu_entries(record: &SessionRecord) -> Vec<MenuEntry> {
    let roster = record.roster.iter().map(|r| MenuEntry {
        kind: RowKind::Participant,
        row_id: r.row_id,
        key: r.mrn.clone(),
        name: r.name(),
        status: r.status,
        next: r.status.allowed_next().to_vec(),
    });
    let supervisors = record.supervisors.iter().map(|s| MenuEntry {
        kind: RowKind::Supervisor,
        row_id: s.row_id,
        key: s.npi.clone(),
        name: s.name(),
        status: s.status,
        next: s.status.allowed_next().to_vec(),
    });
    roster.chain(supervisors).collect()
}

/// The row menu: one item per entry, then "done".
pub fn row_items(entries: &[MenuEntry]) -> Vec<String> {
    entries
        .iter()
        .map(MenuEntry::label)
        .chain([DONE.to_owned()])
        .collect()
}

/// What a choice in a menu means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// Mark this entry with this status.
    Mark(usize, AttendanceStatus),
    /// Open this entry's status menu.
    Open(usize),
    /// Back to the row menu.
    Back,
    /// Done: on to the closing finalize.
    Done,
}

/// The row menu's answer (`None`: Esc or q) as a step of the loop.
pub fn choose_row(entries: &[MenuEntry], picked: Option<usize>) -> Option<usize> {
    picked.filter(|&i| i < entries.len())
}

/// The status menu's answer for an entry (`None`: Esc or q, which go back).
pub fn choose_status(entries: &[MenuEntry], row: usize, picked: Option<usize>) -> Choice {
    match (entries.get(row), picked) {
        (Some(entry), Some(i)) if i < entry.next.len() => Choice::Mark(row, entry.next[i]),
        _ => Choice::Back,
    }
}

/// What one key does in a menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Move the highlight to this item.
    Move(usize),
    /// Stay, showing this one-line note until the next key.
    Note(String),
    /// Nothing: a key the menu has no use for.
    Stay,
    /// The menu is answered.
    Answer(Choice),
}

/// The moving keys, wrapping at both ends of a menu of `len` items.
fn moved(cursor: usize, len: usize, key: &Key) -> Option<usize> {
    match key {
        Key::ArrowDown | Key::Tab | Key::Char('j') => Some((cursor + 1) % len),
        Key::ArrowUp | Key::BackTab | Key::Char('k') => Some((cursor + len - 1) % len),
        Key::Home | Key::PageUp => Some(0),
        Key::End | Key::PageDown => Some(len - 1),
        _ => None,
    }
}

/// A key in the row menu, the highlight on item `cursor` (`entries.len()` is "done"): a
/// status key marks the highlighted row at once if the status is legal for it, Enter opens
/// its status menu, Esc (or q, or Enter on "done") ends the roll call.
pub fn row_key(entries: &[MenuEntry], cursor: usize, key: &Key) -> Step {
    if let Some(to) = moved(cursor, entries.len() + 1, key) {
        return Step::Move(to);
    }
    match key {
        Key::Enter | Key::Char(' ') => match choose_row(entries, Some(cursor)) {
            Some(row) => Step::Answer(Choice::Open(row)),
            None => Step::Answer(Choice::Done),
        },
        Key::Escape | Key::Char('q') => Step::Answer(Choice::Done),
        Key::Char(c) => match (status_of_key(*c), entries.get(cursor)) {
            (None, _) => Step::Stay,
            (Some(to), Some(entry)) => entry.key_mark(cursor, to),
            (Some(_), None) => Step::Note(format!(
                "\"{DONE}\" takes no status: move to a row first (Enter on \"{DONE}\" ends the roll call)"
            )),
        },
        _ => Step::Stay,
    }
}

/// A key in the status menu of entry `row`, the highlight on item `cursor`: a status key
/// marks at once if legal, Enter takes the highlighted item, b, Esc or q go back.
pub fn status_key(entries: &[MenuEntry], row: usize, cursor: usize, key: &Key) -> Step {
    let Some(entry) = entries.get(row) else {
        return Step::Answer(Choice::Back);
    };
    if let Some(to) = moved(cursor, entry.next.len() + 1, key) {
        return Step::Move(to);
    }
    match key {
        Key::Enter | Key::Char(' ') => Step::Answer(choose_status(entries, row, Some(cursor))),
        Key::Escape | Key::Char('q' | BACK_KEY) => Step::Answer(choose_status(entries, row, None)),
        Key::Char(c) => match status_of_key(*c) {
            Some(to) => entry.key_mark(row, to),
            None => Step::Stay,
        },
        _ => Step::Stay,
    }
}

/// The first row still SCHEDULED from `start` on, wrapping around; "done" (`entries.len()`)
/// when none is.
fn next_scheduled(entries: &[MenuEntry], start: usize) -> usize {
    let n = entries.len();
    (0..n)
        .map(|k| (start + k) % n)
        .find(|&i| entries[i].status == AttendanceStatus::Scheduled)
        .unwrap_or(n)
}

/// Where the row menu's highlight starts: on the first row still SCHEDULED.
pub fn first_cursor(entries: &[MenuEntry]) -> usize {
    next_scheduled(entries, 0)
}

/// Where the highlight goes after `marked` (item `index` of the menu it was marked in) was
/// marked, `entries` being the fresh menu: the next row still SCHEDULED after it, roster then
/// supervisors, wrapping around; "done" when nothing is SCHEDULED. Should the row have left
/// the session meanwhile, the search starts where it stood.
pub fn cursor_after_mark(entries: &[MenuEntry], marked: &MenuEntry, index: usize) -> usize {
    let start = entries
        .iter()
        .position(|e| e.kind == marked.kind && e.row_id == marked.row_id)
        .map_or(index, |i| i + 1);
    next_scheduled(entries, start)
}

/// The items of a menu of `len` that fit in `room` lines, keeping the highlight in view.
pub fn visible(len: usize, cursor: usize, room: Option<usize>) -> Range<usize> {
    match room {
        Some(room) if room < len => {
            let start = cursor.saturating_sub(room / 2).min(len - room);
            start..start + room
        }
        _ => 0..len,
    }
}

/// One item as drawn: `> ` on the highlighted one.
fn item_line(text: &str, active: bool) -> String {
    format!("{} {text}", if active { ">" } else { " " })
}

/// The row menu as drawn: the question, the rows (the highlighted one with the keys of its
/// legal next states beside it), "done", and the note of the last key if any.
pub fn row_menu_lines(
    entries: &[MenuEntry],
    cursor: usize,
    note: Option<&str>,
    room: Option<usize>,
) -> Vec<String> {
    let items = row_items(entries);
    let mut lines = vec![format!(
        "{ROW_PROMPT} (a key marks the highlighted row at once; Enter opens it; Esc when done):"
    )];
    for i in visible(items.len(), cursor, room) {
        let text = match entries.get(i) {
            Some(entry) if i == cursor => format!("{}   {}", items[i], entry.shortcuts()),
            _ => items[i].clone(),
        };
        lines.push(item_line(&text, i == cursor));
    }
    lines.extend(note.map(str::to_owned));
    lines
}

/// The status menu of an entry as drawn: its question, each legal next state with its key,
/// "(back)", and the note of the last key if any.
pub fn status_menu_lines(entry: &MenuEntry, cursor: usize, note: Option<&str>) -> Vec<String> {
    let mut lines = vec![format!("{}:", entry.question())];
    lines.extend(
        entry
            .status_labels()
            .iter()
            .enumerate()
            .map(|(i, label)| item_line(label, i == cursor)),
    );
    lines.extend(note.map(str::to_owned));
    lines
}

/// What the closing finalize would change: every row still SCHEDULED, roster and
/// supervisors, marked ABSENT — exactly these rows, and each only if still SCHEDULED then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinalizePlan {
    pub rows: Vec<MenuEntry>,
}

pub fn finalize_plan(record: &SessionRecord) -> FinalizePlan {
    FinalizePlan {
        rows: menu_entries(record)
            .into_iter()
            .filter(|e| e.status == AttendanceStatus::Scheduled)
            .collect(),
    }
}

impl FinalizePlan {
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn ids(&self) -> RowIds {
        let of = |kind| {
            self.rows
                .iter()
                .filter(|e| e.kind == kind)
                .map(|e| e.row_id)
                .collect()
        };
        RowIds {
            participants: of(RowKind::Participant),
            supervisors: of(RowKind::Supervisor),
        }
    }

    /// The rows listed: `M003 (Cleo Park), Supervisor Dana Reyes (1245319599)`.
    pub fn describe(&self) -> String {
        self.rows
            .iter()
            .map(MenuEntry::label_short)
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn question(&self) -> String {
        format!(
            "Mark the {} row(s) still SCHEDULED ABSENT ({})?",
            self.rows.len(),
            self.describe()
        )
    }

    /// The mark that applies it: these ids, each only if still SCHEDULED.
    pub fn selection(&self) -> Selection {
        Selection {
            if_scheduled: self.ids(),
            ..Selection::default()
        }
    }
}

/// How the preview moved with one change: the issues that appeared and those that cleared,
/// an issue being the same one while its (code, payer, mrn) stays (its figures may move).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewChange {
    /// In the order the new preview lists them.
    pub appeared: Vec<Issue>,
    /// In the order the old preview listed them.
    pub cleared: Vec<Issue>,
}

pub fn preview_change(before: &Evaluation, after: &Evaluation) -> PreviewChange {
    let missing_from = |issues: &[Issue], other: &[Issue]| -> Vec<Issue> {
        issues
            .iter()
            .filter(|issue| !other.iter().any(|o| o.key() == issue.key()))
            .cloned()
            .collect()
    };
    PreviewChange {
        appeared: missing_from(&after.issues, &before.issues),
        cleared: missing_from(&before.issues, &after.issues),
    }
}

impl PreviewChange {
    pub fn is_empty(&self) -> bool {
        self.appeared.is_empty() && self.cleared.is_empty()
    }

    /// One line: `+ SUPERVISION_RATIO_BREACH (ORMCD): 5 billable > 0 present × 6;
    /// − GROUP_UNATTENDED_BILLED cleared`, or `no change to the preview`.
    pub fn line(&self) -> String {
        if self.is_empty() {
            return "no change to the preview".to_owned();
        }
        let subject = |issue: &Issue| {
            issue
                .mrn
                .as_deref()
                .or(issue.payer.as_deref())
                .map_or(String::new(), |s| format!(" ({s})"))
        };
        let appeared = self
            .appeared
            .iter()
            .map(|i| format!("+ {}{}: {}", i.code, subject(i), i.arithmetic));
        let cleared = self
            .cleared
            .iter()
            .map(|i| format!("\u{2212} {}{} cleared", i.code, subject(i)));
        appeared.chain(cleared).collect::<Vec<_>>().join("; ")
    }
}

fn no_terminal() -> Error {
    Error::new(
        ExitKind::ConfirmationRequired,
        "`gsess take` is an interactive roll call and needs a terminal (stdin and stderr); \
         without one, use `gsess mark SESSION STATUS MRN... [--supervisor NPI]` \
         (and `gsess finalize SESSION --yes` for the rows left SCHEDULED)",
    )
}

fn prompt_error(err: dialoguer::Error) -> Error {
    Error::new(ExitKind::ConfirmationRequired, format!("no answer: {err}"))
}

/// A blocking prompt, off the async workers.
fn blocking<T>(prompt: impl FnOnce() -> dialoguer::Result<T>) -> Result<T> {
    tokio::task::block_in_place(prompt).map_err(prompt_error)
}

/// Hides the terminal's cursor while a menu is drawn, and shows it again however the menu
/// ends.
struct HiddenCursor<'a>(&'a Term);

impl<'a> HiddenCursor<'a> {
    fn new(term: &'a Term) -> io::Result<HiddenCursor<'a>> {
        term.hide_cursor()?;
        Ok(HiddenCursor(term))
    }
}

impl Drop for HiddenCursor<'_> {
    fn drop(&mut self) {
        let _ = self.0.show_cursor();
    }
}

/// Draws a menu on the terminal and reads keys until it is answered: `lines` draws it with the
/// highlight on an item and the last note, `step` says what a key does. Each line is cut to
/// the terminal's width so that redrawing clears exactly what was drawn.
fn menu(
    term: &Term,
    mut cursor: usize,
    lines: impl Fn(usize, Option<&str>) -> Vec<String>,
    step: impl Fn(usize, &Key) -> Step,
) -> io::Result<Choice> {
    let hidden = HiddenCursor::new(term)?;
    let width = term.size_checked().map(|(_, columns)| usize::from(columns));
    let mut note: Option<String> = None;
    let mut drawn = 0;
    loop {
        term.clear_last_lines(drawn)?;
        let text = lines(cursor, note.as_deref());
        for line in &text {
            match width {
                Some(width) => term.write_line(&console::truncate_str(line, width, "…"))?,
                None => term.write_line(line)?,
            }
        }
        drawn = text.len();
        term.flush()?;
        let key = term.read_key_raw()?;
        if key == Key::CtrlC {
            // Read raw so that the cursor comes back before Ctrl-C ends the program as usual.
            term.clear_last_lines(drawn)?;
            drop(hidden);
            // SAFETY: raise only sends this process a signal; no memory is involved.
            unsafe { libc::raise(libc::SIGINT) };
            return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
        }
        match step(cursor, &key) {
            Step::Move(to) => {
                cursor = to;
                note = None;
            }
            Step::Note(text) => note = Some(text),
            Step::Stay => {}
            Step::Answer(choice) => {
                term.clear_last_lines(drawn)?;
                return Ok(choice);
            }
        }
    }
}

/// A menu, off the async workers.
fn ask(
    term: &Term,
    cursor: usize,
    lines: impl Fn(usize, Option<&str>) -> Vec<String>,
    step: impl Fn(usize, &Key) -> Step,
) -> Result<Choice> {
    blocking(|| Ok(menu(term, cursor, lines, step)?))
}

pub async fn run(app: &mut App, args: &SessionArg) -> Result<()> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(no_terminal());
    }
    // The connection and the output are used together: borrow the two fields apart.
    let conn = app
        .db
        .connect(Gate::Ready(Some(Scope::AttendanceWrite)))
        .await?;
    let out = &app.out;
    let id = args.session;
    let mut record = session::load(conn, id).await?;
    if record.locked {
        return Err(session::locked(id));
    }
    let detail = SessionDetail::of(record.clone());
    show(out, &ShowView::of(&detail))?;
    // The preview as last shown, so each change can say what it did to it.
    let mut shown = detail.evaluation;

    let term = Term::stderr();
    // Room for the menu's items: the terminal's height less the question and a note.
    let room = term
        .size_checked()
        .map(|(rows, _)| usize::from(rows).saturating_sub(3).max(1));
    let mut cursor = first_cursor(&menu_entries(&record));
    loop {
        let entries = menu_entries(&record);
        cursor = cursor.min(entries.len());
        let choice = ask(
            &term,
            cursor,
            |at, note| row_menu_lines(&entries, at, note, room),
            |at, key| row_key(&entries, at, key),
        )?;
        let (row, to) = match choice {
            Choice::Mark(row, to) => (row, to),
            Choice::Open(row) => {
                cursor = row;
                let entry = &entries[row];
                match ask(
                    &term,
                    0,
                    |at, note| status_menu_lines(entry, at, note),
                    |at, key| status_key(&entries, row, at, key),
                )? {
                    Choice::Mark(_, to) => (row, to),
                    _ => continue,
                }
            }
            Choice::Back | Choice::Done => break,
        };
        let entry = &entries[row];
        record = match apply(out, conn, id, to, &entry.selection()).await? {
            Some(fresh) => fresh,
            None => session::load(conn, id).await?,
        };
        shown = note_change(out, &shown, &record);
        cursor = cursor_after_mark(&menu_entries(&record), entry, row);
    }

    let plan = finalize_plan(&record);
    if plan.is_empty() {
        out.note("Every row has its attendance: nothing is left SCHEDULED.");
        return Ok(());
    }
    let agreed = app.global.yes
        || blocking(|| {
            dialoguer::Confirm::new()
                .with_prompt(plan.question())
                .default(false)
                .interact()
        })?;
    if !agreed {
        out.note(format!(
            "Left {} row(s) SCHEDULED: {}. `gsess finalize {id}` marks them ABSENT later.",
            plan.rows.len(),
            plan.describe()
        ));
        return Ok(());
    }
    match mark(conn, id, AttendanceStatus::Absent, &plan.selection()).await {
        Ok(outcome) => {
            show(out, &MarkView::of(&outcome))?;
            note_change(out, &shown, &outcome.record);
            Ok(())
        }
        // Only rows still SCHEDULED are taken: someone else decided all of them meanwhile.
        Err(err) if err.kind == ExitKind::InvalidInput => {
            out.note(format!("Nothing marked ABSENT: {}", err.message));
            Ok(())
        }
        Err(err) => Err(err),
    }
}

/// One change through `mark`'s path, then its answer. A refusal caused by someone else's
/// change meanwhile (the row moved, left, or was decided) is shown and the roll call goes on;
/// anything else (the session got locked, the database went away) ends it.
async fn apply(
    out: &Output,
    conn: &mut PgConnection,
    id: i64,
    to: AttendanceStatus,
    selection: &Selection,
) -> Result<Option<SessionRecord>> {
    match mark(conn, id, to, selection).await {
        Ok(outcome) => {
            show(out, &MarkView::of(&outcome))?;
            Ok(Some(outcome.record))
        }
        Err(err)
            if matches!(
                err.kind,
                ExitKind::IllegalTransition | ExitKind::NotFound | ExitKind::InvalidInput
            ) =>
        {
            out.note(format!("{} (the roll call goes on)", err.message));
            Ok(None)
        }
        Err(err) => Err(err),
    }
}

/// The line naming what the last change did to the preview, after the step's answer; returns
/// the preview now shown.
fn note_change(out: &Output, shown: &Evaluation, record: &SessionRecord) -> Evaluation {
    let now = session::evaluate(record);
    out.note(preview_change(shown, &now).line());
    now
}

/// Each step's answer: a document per line with `--json`, the rendering otherwise.
fn show<V: View>(out: &Output, view: &V) -> Result<()> {
    if out.json {
        out.emit_line(view)
    } else {
        out.emit(view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::IssueCode;
    use serde_json::json;
    use AttendanceStatus::*;

    /// A session with three participants (SCHEDULED, ATTENDED, ABSENT) and two supervisors
    /// (SCHEDULED, LATE).
    fn record() -> SessionRecord {
        let member = |row: i64, mrn: &str, first: &str, status: &str| {
            json!({"row_id": row, "member_id": row, "mrn": mrn, "first_name": first,
                   "last_name": "Doe", "status": status, "has_diagnosis": true, "policies": []})
        };
        let supervisor = |row: i64, npi: &str, first: &str, status: &str| {
            json!({"row_id": row, "provider_id": row, "npi": npi, "first_name": first,
                   "last_name": "Roe", "status": status, "source": "ASSIGNMENT",
                   "assignment_id": null, "linked_mrn": null, "assignment_start": null,
                   "assignment_end": null})
        };
        serde_json::from_value(json!({
            "id": 7, "facility_id": 1, "external_id": null, "facility": "NORTH",
            "facility_name": "North", "timezone": "America/Los_Angeles", "facility_state": "OR",
            "billing_npi": "1234567893", "group_type": "DBT", "group_type_name": "DBT",
            "starts_at": "2026-11-27T22:00:00Z", "ends_at": "2026-11-27T23:30:00Z",
            "local_date": "2026-11-27", "place_of_service": null, "source": "FEED",
            "attendance_version": 0, "locked": false, "billed": false,
            "roster": [member(11, "M001", "Ana", "SCHEDULED"), member(12, "M002", "Ben", "ATTENDED"),
                       member(13, "M003", "Cy", "ABSENT")],
            "supervisors": [supervisor(21, "1245319599", "Dana", "SCHEDULED"),
                            supervisor(22, "1679576722", "Lee", "LATE")],
            "supervision_rules": [], "size_bands": [], "acceptances": []
        }))
        .expect("a session record")
    }

    #[test]
    fn the_menu_lists_the_roster_then_the_supervisors_with_their_legal_next_states() {
        let entries = menu_entries(&record());
        let summary: Vec<(RowKind, &str, AttendanceStatus, Vec<AttendanceStatus>)> = entries
            .iter()
            .map(|e| (e.kind, e.key.as_str(), e.status, e.next.clone()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (
                    RowKind::Participant,
                    "M001",
                    Scheduled,
                    vec![Attended, Absent, Late]
                ),
                (RowKind::Participant, "M002", Attended, vec![Absent, Late]),
                (RowKind::Participant, "M003", Absent, vec![Attended, Late]),
                (
                    RowKind::Supervisor,
                    "1245319599",
                    Scheduled,
                    vec![Attended, Absent, Late]
                ),
                (
                    RowKind::Supervisor,
                    "1679576722",
                    Late,
                    vec![Attended, Absent]
                ),
            ]
        );
        // Nothing ever goes back to SCHEDULED, and no row is offered its own status.
        for entry in &entries {
            assert!(!entry.next.contains(&Scheduled) && !entry.next.contains(&entry.status));
        }
    }

    #[test]
    fn labels_name_the_person_the_mrn_or_npi_and_the_status() {
        let entries = menu_entries(&record());
        let items = row_items(&entries);
        assert_eq!(items[0], "Ana Doe · M001 · SCHEDULED");
        assert_eq!(items[4], "Supervisor Lee Roe · NPI 1679576722 · LATE");
        assert_eq!(items.last().map(String::as_str), Some(DONE));
        assert_eq!(items.len(), entries.len() + 1);
        assert_eq!(entries[1].status_items(), ["ABSENT", "LATE", BACK]);
        assert_eq!(entries[1].question(), "Ben Doe (M002) is ATTENDED: mark as");
    }

    #[test]
    fn choices_map_to_marks_back_and_done() {
        let entries = menu_entries(&record());
        assert_eq!(choose_row(&entries, Some(0)), Some(0));
        assert_eq!(choose_row(&entries, Some(entries.len())), None, "done");
        assert_eq!(choose_row(&entries, None), None, "Esc ends the loop");
        assert_eq!(
            choose_status(&entries, 0, Some(0)),
            Choice::Mark(0, Attended)
        );
        assert_eq!(choose_status(&entries, 4, Some(1)), Choice::Mark(4, Absent));
        assert_eq!(choose_status(&entries, 1, Some(2)), Choice::Back, "(back)");
        assert_eq!(
            choose_status(&entries, 1, None),
            Choice::Back,
            "Esc goes back"
        );
    }

    #[test]
    fn each_status_has_one_key_shown_beside_it() {
        assert_eq!(shortcut(Attended), Some('a'));
        assert_eq!(shortcut(Late), Some('l'));
        assert_eq!(shortcut(Absent), Some('x'));
        assert_eq!(shortcut(Scheduled), None, "nothing goes back to SCHEDULED");
        for status in [Attended, Late, Absent] {
            let key = shortcut(status).unwrap();
            assert_eq!(status_of_key(key), Some(status));
            assert_eq!(status_of_key(key.to_ascii_uppercase()), Some(status));
        }
        for key in [BACK_KEY, 'j', 'k', 'q', 's', ' '] {
            assert_eq!(status_of_key(key), None, "{key:?}");
        }
        let entries = menu_entries(&record());
        assert_eq!(
            entries[0].shortcuts(),
            "[a] ATTENDED   [x] ABSENT   [l] LATE"
        );
        assert_eq!(
            entries[1].status_labels(),
            ["[x] ABSENT", "[l] LATE", "[b] (back)"]
        );
        assert_eq!(entries[4].shortcuts(), "[a] ATTENDED   [x] ABSENT");
    }

    fn note(step: Step) -> String {
        match step {
            Step::Note(note) => note,
            other => panic!("expected a note, got {other:?}"),
        }
    }

    #[test]
    fn in_the_row_menu_a_status_key_marks_the_highlighted_row_at_once() {
        let entries = menu_entries(&record());
        let done = entries.len();
        let key = Key::Char;
        assert_eq!(
            row_key(&entries, 0, &key('a')),
            Step::Answer(Choice::Mark(0, Attended))
        );
        assert_eq!(
            row_key(&entries, 3, &key('x')),
            Step::Answer(Choice::Mark(3, Absent))
        );
        assert_eq!(
            row_key(&entries, 1, &key('L')),
            Step::Answer(Choice::Mark(1, Late))
        );
        // Lee is LATE already: the key is ignored, with a note of the keys that would do.
        assert_eq!(
            note(row_key(&entries, 4, &key('l'))),
            "Supervisor Lee Roe (1679576722) is already LATE: [a] ATTENDED   [x] ABSENT"
        );
        assert!(note(row_key(&entries, done, &key('a'))).contains("move to a row first"));
        assert_eq!(row_key(&entries, 0, &key('z')), Step::Stay);
        assert_eq!(row_key(&entries, 0, &Key::ArrowLeft), Step::Stay);
    }

    #[test]
    fn in_the_row_menu_enter_opens_a_row_and_esc_or_done_ends() {
        let entries = menu_entries(&record());
        let done = entries.len();
        assert_eq!(
            row_key(&entries, 2, &Key::Enter),
            Step::Answer(Choice::Open(2))
        );
        assert_eq!(
            row_key(&entries, done, &Key::Enter),
            Step::Answer(Choice::Done)
        );
        assert_eq!(
            row_key(&entries, 2, &Key::Escape),
            Step::Answer(Choice::Done)
        );
        assert_eq!(
            row_key(&entries, 2, &Key::Char('q')),
            Step::Answer(Choice::Done)
        );
        // The moving keys wrap at both ends, "done" included.
        assert_eq!(row_key(&entries, 1, &Key::ArrowDown), Step::Move(2));
        assert_eq!(row_key(&entries, done, &Key::Char('j')), Step::Move(0));
        assert_eq!(row_key(&entries, 0, &Key::Char('k')), Step::Move(done));
        assert_eq!(row_key(&entries, 3, &Key::ArrowUp), Step::Move(2));
    }

    #[test]
    fn in_the_status_menu_a_key_marks_and_b_or_esc_go_back() {
        let entries = menu_entries(&record());
        // Ben is ATTENDED: ABSENT, LATE, (back).
        let key = |k| status_key(&entries, 1, 0, &k);
        assert_eq!(key(Key::Char('x')), Step::Answer(Choice::Mark(1, Absent)));
        assert_eq!(key(Key::Char('l')), Step::Answer(Choice::Mark(1, Late)));
        assert_eq!(
            note(key(Key::Char('a'))),
            "Ben Doe (M002) is already ATTENDED: [x] ABSENT   [l] LATE"
        );
        for back in [Key::Char(BACK_KEY), Key::Escape, Key::Char('q')] {
            assert_eq!(key(back), Step::Answer(Choice::Back));
        }
        assert_eq!(key(Key::Char('z')), Step::Stay);
        assert_eq!(key(Key::Enter), Step::Answer(Choice::Mark(1, Absent)));
        assert_eq!(
            status_key(&entries, 1, 2, &Key::Enter),
            Step::Answer(Choice::Back),
            "Enter on (back)"
        );
        assert_eq!(status_key(&entries, 1, 2, &Key::Char('j')), Step::Move(0));
        assert_eq!(status_key(&entries, 1, 0, &Key::ArrowUp), Step::Move(2));
        assert_eq!(
            status_key(&entries, 9, 0, &Key::Char('a')),
            Step::Answer(Choice::Back),
            "a row that is not there"
        );
    }

    /// Sets the status of the menu's row `row` in the record, as a mark would.
    fn marked(record: &SessionRecord, row: usize, to: AttendanceStatus) -> SessionRecord {
        let mut record = record.clone();
        let roster = record.roster.len();
        match record.roster.get_mut(row) {
            Some(entry) => entry.status = to,
            None => record.supervisors[row - roster].status = to,
        }
        record
    }

    #[test]
    fn after_a_mark_the_highlight_moves_to_the_next_row_still_scheduled_wrapping() {
        let record = record();
        let entries = menu_entries(&record);
        assert_eq!(first_cursor(&entries), 0);
        // Dana (3) marked: Lee is LATE, so past the end of the list, back to Ana (0).
        let after = marked(&record, 3, Attended);
        assert_eq!(cursor_after_mark(&menu_entries(&after), &entries[3], 3), 0);
        // Ana (0) marked: past Ben and Cy, decided, on to Dana (3), the first supervisor.
        let after = marked(&record, 0, Late);
        assert_eq!(cursor_after_mark(&menu_entries(&after), &entries[0], 0), 3);
        // Nothing left SCHEDULED: on "done".
        let after = marked(&marked(&record, 0, Late), 3, Absent);
        let fresh = menu_entries(&after);
        assert_eq!(cursor_after_mark(&fresh, &entries[3], 3), fresh.len());
        assert_eq!(first_cursor(&fresh), fresh.len());
        // A mark refused leaves the row SCHEDULED: it comes last, after every other.
        let only = {
            let mut r = marked(&record, 3, Absent);
            r.roster.truncate(1);
            r
        };
        assert_eq!(cursor_after_mark(&menu_entries(&only), &entries[0], 0), 0);
    }

    #[test]
    fn a_row_gone_meanwhile_is_searched_from_where_it_stood() {
        let record = record();
        let entries = menu_entries(&record);
        // Ben (1) left the session while being marked: Cy (ABSENT) now stands at 1.
        let mut after = record.clone();
        after.roster.remove(1);
        let fresh = menu_entries(&after);
        assert_eq!(cursor_after_mark(&fresh, &entries[1], 1), 2, "Dana");
        assert_eq!(
            cursor_after_mark(&[], &entries[1], 1),
            0,
            "nothing left: done"
        );
    }

    #[test]
    fn a_room_is_taken_one_key_a_row() {
        let mut record = record();
        for row in &mut record.roster {
            row.status = Scheduled;
        }
        for row in &mut record.supervisors {
            row.status = Scheduled;
        }
        let typed = ['a', 'a', 'l', 'x', 'a'];
        let mut cursor = first_cursor(&menu_entries(&record));
        let mut taken = Vec::new();
        for key in typed {
            let entries = menu_entries(&record);
            let Step::Answer(Choice::Mark(row, to)) = row_key(&entries, cursor, &Key::Char(key))
            else {
                panic!("{key:?} on row {cursor} did not mark");
            };
            taken.push((entries[row].key.clone(), to));
            record = marked(&record, row, to);
            cursor = cursor_after_mark(&menu_entries(&record), &entries[row], row);
        }
        assert_eq!(
            taken,
            [
                ("M001".to_owned(), Attended),
                ("M002".to_owned(), Attended),
                ("M003".to_owned(), Late),
                ("1245319599".to_owned(), Absent),
                ("1679576722".to_owned(), Attended),
            ]
        );
        assert_eq!(cursor, menu_entries(&record).len(), "on done");
        assert!(finalize_plan(&record).is_empty());
    }

    #[test]
    fn the_menus_as_drawn_show_the_keys_beside_the_highlighted_row() {
        let entries = menu_entries(&record());
        let lines = row_menu_lines(&entries, 1, None, None);
        assert!(lines[0].starts_with(ROW_PROMPT), "{lines:?}");
        assert_eq!(lines[1], "  Ana Doe · M001 · SCHEDULED");
        assert_eq!(
            lines[2],
            "> Ben Doe · M002 · ATTENDED   [x] ABSENT   [l] LATE"
        );
        assert_eq!(lines.last().map(String::as_str), Some("  done"));
        assert_eq!(lines.len(), 1 + entries.len() + 1);
        let lines = row_menu_lines(&entries, entries.len(), Some("a note"), None);
        assert_eq!(lines[lines.len() - 2], "> done");
        assert_eq!(lines.last().map(String::as_str), Some("a note"));

        let lines = status_menu_lines(&entries[0], 2, None);
        assert_eq!(
            lines,
            [
                "Ana Doe (M001) is SCHEDULED: mark as:",
                "  [a] ATTENDED",
                "  [x] ABSENT",
                "> [l] LATE",
                "  [b] (back)"
            ]
        );
    }

    #[test]
    fn a_long_menu_shows_the_part_around_the_highlight() {
        assert_eq!(visible(10, 0, Some(4)), 0..4);
        assert_eq!(visible(10, 5, Some(4)), 3..7);
        assert_eq!(visible(10, 9, Some(4)), 6..10);
        assert_eq!(visible(3, 2, Some(10)), 0..3);
        assert_eq!(visible(3, 2, None), 0..3);
        let entries = menu_entries(&record());
        let lines = row_menu_lines(&entries, 4, None, Some(2));
        assert_eq!(lines.len(), 3);
        assert!(lines[1].starts_with("  Supervisor Dana Roe"), "{lines:?}");
        assert!(lines[2].starts_with("> Supervisor Lee Roe"), "{lines:?}");
        let lines = row_menu_lines(&entries, entries.len(), None, Some(2));
        assert!(lines[1].starts_with("  Supervisor Lee Roe"), "{lines:?}");
        assert_eq!(lines[2], "> done");
    }

    #[test]
    fn an_entry_is_marked_by_naming_it_so_its_transition_is_judged() {
        let entries = menu_entries(&record());
        let participant = entries[2].selection();
        assert_eq!(participant.mrns, ["M003"]);
        assert!(participant.npis.is_empty() && !participant.all_scheduled);
        let supervisor = entries[3].selection();
        assert_eq!(supervisor.npis, ["1245319599"]);
        assert!(supervisor.mrns.is_empty() && supervisor.if_scheduled.is_empty());
    }

    #[test]
    fn finalize_would_mark_exactly_the_scheduled_roster_and_supervisor_rows() {
        let plan = finalize_plan(&record());
        assert_eq!(
            plan.ids(),
            RowIds {
                participants: vec![11],
                supervisors: vec![21]
            }
        );
        assert_eq!(
            plan.describe(),
            "Ana Doe (M001), Supervisor Dana Roe (1245319599)"
        );
        assert!(plan
            .question()
            .starts_with("Mark the 2 row(s) still SCHEDULED ABSENT"));
        let selection = plan.selection();
        assert_eq!(selection.if_scheduled, plan.ids());
        assert!(selection.mrns.is_empty() && selection.npis.is_empty());
        assert!(
            !selection.all_scheduled,
            "only the rows listed, not whatever is SCHEDULED then"
        );
    }

    fn evaluation(issues: Vec<Issue>) -> Evaluation {
        Evaluation {
            session_id: 7,
            billable_count: 5,
            supervisors_present: 0,
            primary_payer: None,
            payers: Vec::new(),
            issues,
            blocking_count: 0,
            ready_to_bill: false,
        }
    }

    fn breach(arithmetic: &str) -> Issue {
        Issue::payer(
            IssueCode::SupervisionRatioBreach,
            "ORMCD",
            "m".into(),
            arithmetic.into(),
        )
    }

    fn unattended() -> Issue {
        Issue::session(
            IssueCode::GroupUnattendedBilled,
            "m".into(),
            "1 SCHEDULED of 3 roster rows".into(),
        )
    }

    #[test]
    fn the_preview_change_names_what_appeared_and_what_cleared() {
        let before = evaluation(vec![unattended()]);
        let after = evaluation(vec![breach("5 billable > 0 present × 6")]);
        let change = preview_change(&before, &after);
        assert_eq!(change.appeared, [breach("5 billable > 0 present × 6")]);
        assert_eq!(change.cleared, [unattended()]);
        assert_eq!(
            change.line(),
            "+ SUPERVISION_RATIO_BREACH (ORMCD): 5 billable > 0 present × 6; \
             \u{2212} GROUP_UNATTENDED_BILLED cleared"
        );
    }

    #[test]
    fn an_issue_whose_figures_moved_is_the_same_issue() {
        let before = evaluation(vec![breach("5 billable > 0 present × 6")]);
        let after = evaluation(vec![breach("6 billable > 0 present × 6")]);
        let change = preview_change(&before, &after);
        assert!(change.is_empty(), "{change:?}");
        assert_eq!(change.line(), "no change to the preview");
    }

    #[test]
    fn issues_are_told_apart_by_code_payer_and_member() {
        let other_payer = Issue::payer(
            IssueCode::SupervisionRatioBreach,
            "WAMCD",
            "m".into(),
            "1 billable > 0 present × 6".into(),
        );
        let member =
            |mrn: &str| Issue::member(IssueCode::NoCoverage, mrn, "m".into(), "no policy".into());
        let before = evaluation(vec![breach("a"), member("M001")]);
        let after = evaluation(vec![other_payer.clone(), member("M001"), member("M002")]);
        let change = preview_change(&before, &after);
        assert_eq!(change.appeared, [other_payer, member("M002")]);
        assert_eq!(change.cleared, [breach("a")]);
        assert_eq!(
            change.line(),
            "+ SUPERVISION_RATIO_BREACH (WAMCD): 1 billable > 0 present × 6; \
             + NO_COVERAGE (M002): no policy; \
             \u{2212} SUPERVISION_RATIO_BREACH (ORMCD) cleared"
        );
    }

    #[test]
    fn the_change_of_a_real_mark_compares_the_previews_of_the_two_records() {
        let before = record();
        let mut after = before.clone();
        after.roster[0].status = Attended;
        let change = preview_change(&session::evaluate(&before), &session::evaluate(&after));
        let keys = |issues: &[Issue]| -> Vec<(IssueCode, Option<String>)> {
            issues.iter().map(|i| (i.code, i.mrn.clone())).collect()
        };
        // M001 was the last row SCHEDULED, and it has no coverage.
        assert_eq!(
            keys(&change.appeared),
            [(IssueCode::NoCoverage, Some("M001".to_owned()))]
        );
        assert_eq!(
            keys(&change.cleared),
            [(IssueCode::GroupUnattendedBilled, None)]
        );
    }

    #[test]
    fn nothing_to_finalize_when_every_row_is_decided() {
        let mut record = record();
        for row in &mut record.roster {
            row.status = Attended;
        }
        for row in &mut record.supervisors {
            row.status = Late;
        }
        assert!(finalize_plan(&record).is_empty());
    }
}
