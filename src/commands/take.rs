//! `gsess take SESSION`: the roll call on a terminal. Pick a participant or supervisor, pick
//! one of its legal next states, see the change, the recomputed preview and one line naming
//! the issues that appeared and cleared, repeat; on "done", offer to mark whatever is still
//! SCHEDULED (roster and supervisor rows) ABSENT.
//!
//! Every change goes through `mark`'s code path (one transaction, rows locked and judged on
//! what they hold under the lock), so a concurrent writer is seen, never overwritten blindly.
//! The menus are computed by pure functions ([`menu_entries`], [`finalize_plan`]) tested
//! without a terminal; only [`run`] talks to dialoguer. Without a terminal it refuses (exit 7).

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
use sqlx::PgConnection;
use std::io::IsTerminal;

/// The last item of the row menu.
pub const DONE: &str = "done";
/// The last item of a status menu.
pub const BACK: &str = "(back)";

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

fn select(prompt: &str, items: &[String]) -> Result<Option<usize>> {
    blocking(|| {
        dialoguer::Select::new()
            .with_prompt(prompt)
            .items(items)
            .default(0)
            .interact_opt()
    })
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

    loop {
        let entries = menu_entries(&record);
        let picked = select("Pick a row to mark", &row_items(&entries))?;
        let Some(row) = choose_row(&entries, picked) else {
            break;
        };
        let entry = &entries[row];
        let picked = select(&entry.question(), &entry.status_items())?;
        let Choice::Mark(_, to) = choose_status(&entries, row, picked) else {
            continue;
        };
        record = match apply(out, conn, id, to, &entry.selection()).await? {
            Some(fresh) => fresh,
            None => session::load(conn, id).await?,
        };
        shown = note_change(out, &shown, &record);
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
