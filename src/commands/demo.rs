//! `gsess demo`: load the demo dataset into the embedded database and walk through a day's
//! whole story with the real operations — the day's list across three clinics; attendance
//! marked and the preview catching a ratio breach and a size between bands; a supervisor
//! clearing the breach; a documented exception; finalize; the session's detail; a billing
//! run; a claim's Validation list; the 837P sent; the payer's number recorded; a forced
//! correction with its consequence and the void it sends; the audit log. Each step runs the
//! same code as the command it names, and answers what it would answer.
//!
//! A rerun starts afresh: when the embedded database holds nothing but an earlier demo, it is
//! dropped and made again (and the demo says so). Nothing is written to stderr, so the story
//! reads in order when piped to a file or a pager.

use crate::app::App;
use crate::dataset::{demo, Document};
use crate::db::{self, Gate, Scope, Target};
use crate::error::{Error, ExitKind, Result};
use crate::ops::accept::{accept, Asked};
use crate::ops::attendance::{mark, Selection};
use crate::ops::audit::{self, AuditRequest};
use crate::ops::billing::{self, RunRequest};
use crate::ops::corrections::{force_update, ForceRequest};
use crate::ops::finalize::{finalize, FinalizeRequest};
use crate::ops::list::{list, ListRequest};
use crate::ops::submit::{acknowledge, submit, SubmitRequest, SubmitTarget};
use crate::ops::{claims, import, session, whoami, Confirm, Silent};
use crate::output::attendance::MarkView;
use crate::output::audit::{AuditEntryView, AuditView};
use crate::output::billing::{ClaimView, RunView};
use crate::output::corrections::CorrectionView;
use crate::output::demo::{DemoView, Step, StepResult};
use crate::output::finalize::FinalizeView;
use crate::output::import::ImportView;
use crate::output::list::ListView;
use crate::output::preview::AcceptView;
use crate::output::session::ShowView;
use crate::output::submit::SubmissionView;
use crate::rules::AttendanceStatus;
use crate::time::DateRange;
use chrono::{Duration, Utc};
use sqlx::PgConnection;
use std::ops::ControlFlow;

/// Dana Reyes supervises the first four members of the featured session.
const SUPERVISOR_NPI: &str = "1245319599";
/// The member the forced correction takes out of the room.
const CORRECTED: &str = "M005";

/// The demo is the user's own request: it answers every confirmation itself, as `--yes` does.
struct Agreed;

impl<P> Confirm<P> for Agreed {
    fn show(&mut self, _plan: &P) -> Result<()> {
        Ok(())
    }

    fn confirm(&mut self, _question: &str) -> Result<()> {
        Ok(())
    }
}

pub async fn run(app: &mut App) -> Result<()> {
    if let Target::Url(_) = app.db.target()? {
        return Err(Error::new(
            ExitKind::Usage,
            "the demo loads its dataset into the embedded database only: unset DATABASE_URL \
             and --database-url",
        ));
    }
    let conn = app.db.connect(Gate::Ready(Some(Scope::Admin))).await?;
    let reset = if holds_an_earlier_demo(conn).await? {
        app.db.drop_embedded_database().await?;
        true
    } else {
        false
    };
    let conn = app.db.connect(Gate::Ready(Some(Scope::Admin))).await?;
    let login = whoami::whoami(conn).await?.login;
    let (day, document) = demo::document(Utc::now(), &login);
    let text =
        serde_json::to_vec(&document).map_err(|e| Error::internal(format!("demo dataset: {e}")))?;
    let document = Document::from_reader(text.as_slice())?;
    let imported = import::import(conn, document, false, "gsess demo").await?;
    let id = session_id(conn, demo::FEATURED).await?;
    let steps = story(conn, day, id).await?;

    let afternoon = session_id(conn, "DEMO-DBT-2").await?;
    let boise = db::reference::session_by_external_id(conn, "SOUTH", "DEMO-ID-1")
        .await?
        .unwrap_or_default();
    let hint = |command: String, why: &str| format!("{command:<30} # {why}");
    let next_steps = vec![
        hint(
            format!("gsess explain {id}"),
            "which coverage, rule rows and count produced each answer",
        ),
        hint(
            format!("gsess claims --session {id}"),
            "M005's original, now VOIDED, and the void that took it back",
        ),
        hint(
            format!("gsess preview {afternoon} --watch"),
            "re-renders on every attendance change, psql's too",
        ),
        hint(
            format!("gsess take {afternoon}"),
            "an interactive roll call of the afternoon group",
        ),
        hint(
            format!("gsess show {boise}"),
            "Boise: nobody is assigned to supervise this group",
        ),
        hint(
            "psql \"$(gsess db url)\"".into(),
            "UPDATE a locked session's attendance: the database refuses",
        ),
    ];
    app.out.emit(&DemoView {
        date: day.to_string(),
        reset,
        imported: ImportView::of(&imported),
        steps,
        next_steps,
    })
}

/// Whether the embedded database holds an earlier demo and nothing else (so starting it
/// afresh loses nothing). Holding other clinics' data, it is left alone: the demo then says
/// to use a home of its own.
async fn holds_an_earlier_demo(conn: &mut PgConnection) -> Result<bool> {
    let facilities = db::reference::facility_codes(conn).await?;
    if facilities.is_empty() {
        return Ok(false);
    }
    if facilities
        .iter()
        .all(|code| demo::FACILITIES.contains(&code.as_str()))
    {
        return Ok(true);
    }
    Err(Error::new(
        ExitKind::InvalidInput,
        format!(
            "the embedded database holds clinics besides the demo's ({}): the demo will not \
             reset it; run it with a home of its own, e.g. GSESS_HOME=/tmp/gsess-demo gsess demo",
            facilities
                .iter()
                .filter(|c| !demo::FACILITIES.contains(&c.as_str()))
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ))
}

/// A demo session's id, by its feed id at the Portland clinic.
async fn session_id(conn: &mut PgConnection, external_id: &str) -> Result<i64> {
    db::reference::session_by_external_id(conn, "NORTH", external_id)
        .await?
        .ok_or_else(|| Error::internal(format!("the demo session {external_id} is missing")))
}

/// The day's story on the featured session `id`, step by step.
async fn story(conn: &mut PgConnection, day: chrono::NaiveDate, id: i64) -> Result<Vec<Step>> {
    let mut steps = Vec::new();
    let listing = list(
        conn,
        ListRequest {
            dates: DateRange::day(day),
            facility: Some("all".into()),
            group_type: None,
            status: None,
            limit: None,
        },
    )
    .await?;
    steps.push(Step {
        command: format!("gsess list --date {day} --facility all"),
        about: "the day at three clinics, each on its own clock; the first Portland group has \
                just ended"
            .into(),
        result: StepResult::List(ListView::of(&listing)),
    });

    let present: Vec<String> = ["M001", "M002", "M003", "M004", CORRECTED]
        .map(String::from)
        .to_vec();
    let marked = mark(
        conn,
        id,
        AttendanceStatus::Attended,
        &Selection {
            mrns: present.clone(),
            ..Selection::default()
        },
    )
    .await?;
    steps.push(Step {
        command: format!("gsess mark {id} attended {}", present.join(" ")),
        about: "5 billable and no supervisor marked present yet: the preview catches a ratio \
                breach at once, and that 5 falls between ORMCD's 2–4 and 6–8 bands"
            .into(),
        result: StepResult::Mark(MarkView::of(&marked)),
    });
    let marked = mark(
        conn,
        id,
        AttendanceStatus::Attended,
        &Selection {
            npis: vec![SUPERVISOR_NPI.into()],
            ..Selection::default()
        },
    )
    .await?;
    steps.push(Step {
        command: format!("gsess mark {id} attended --supervisor {SUPERVISOR_NPI}"),
        about: "Dana is in the room: 5 billable ≤ 1 present × 6, the breach clears".into(),
        result: StepResult::Mark(MarkView::of(&marked)),
    });

    let reason = "group of 5 run as one: coded to the 2–4 band by payer policy";
    let accepted = accept(
        conn,
        id,
        Asked {
            code: "GROUP_SIZE_BAND_MISMATCH",
            payer: Some("ORMCD"),
            mrn: None,
        },
        reason,
    )
    .await?;
    steps.push(Step {
        command: format!(
            "gsess accept {id} GROUP_SIZE_BAND_MISMATCH --payer ORMCD --reason \"{reason}\""
        ),
        about: "a documented exception: still shown, no longer a warning to act on".into(),
        result: StepResult::Accept(AcceptView::of(&accepted)),
    });

    let report = finalize(
        conn,
        &FinalizeRequest::Sessions(vec![id]),
        false,
        &mut Agreed,
        &Silent,
    )
    .await?;
    steps.push(Step {
        command: format!("gsess finalize {id} --yes"),
        about: "the rows nobody marked become ABSENT".into(),
        result: StepResult::Finalize(FinalizeView::of(&report)),
    });
    let detail = session::detail(conn, id).await?;
    steps.push(Step {
        command: format!("gsess show {id}"),
        about: "ready to bill: every row decided, nothing blocking".into(),
        result: StepResult::Show(Box::new(ShowView::of(&detail))),
    });

    let run = billing::run(
        conn,
        &RunRequest {
            as_of: Utc::now(),
            grace: Duration::zero(),
            claim_delay: Duration::hours(24),
            sessions: vec![id],
            dry_run: false,
        },
        &Silent,
        &|| false,
    )
    .await?;
    steps.push(Step {
        command: format!("gsess billing run --session {id}"),
        about: "a charge for each member present, a claim for each, scrubbed by the preview's \
                own rules: the session is LOCKED now"
            .into(),
        result: StepResult::Billing(RunView::of(&run)),
    });
    let claim_ids: Vec<i64> = run
        .sessions
        .iter()
        .flat_map(|s| s.claims_built.iter().copied())
        .collect();
    let first = *claim_ids
        .first()
        .ok_or_else(|| Error::internal("the demo's billing run built no claim"))?;
    let claim = claims::show(conn, first).await?;
    steps.push(Step {
        command: format!("gsess claim show {first}"),
        about: "the Validation list: nothing the preview did not show, the exception accepted"
            .into(),
        result: StepResult::Claim(Box::new(ClaimView::of(&claim))),
    });

    let sent = submit(
        conn,
        &SubmitRequest {
            target: SubmitTarget::Session(id),
            production: false,
        },
    )
    .await?;
    steps.push(Step {
        command: format!("gsess claim submit --session {id}"),
        about: "one 837P interchange for the clinic and payer (ISA15 T: a test interchange)".into(),
        result: StepResult::Submission(SubmissionView::of(&sent, &[])),
    });

    let corrected_claim = claims::list(
        conn,
        &crate::db::claims::ClaimFilter {
            session_id: Some(id),
            mrn: Some(CORRECTED.into()),
            limit: 1,
            ..Default::default()
        },
    )
    .await?
    .0
    .first()
    .map(|c| c.id)
    .ok_or_else(|| Error::internal("the demo's corrected member has no claim"))?;
    let payer_number = format!("ORDHS{corrected_claim:08}");
    let acked = acknowledge(conn, corrected_claim, &payer_number).await?;
    steps.push(Step {
        command: format!("gsess claim ack {corrected_claim} --payer-claim-number {payer_number}"),
        about: "the payer's own number for M005's claim, from its acknowledgement: a \
                correction must quote it"
            .into(),
        result: StepResult::Claim(Box::new(ClaimView::of(&acked))),
    });

    let reason = "sign-in sheet: M005 left before the group began";
    let correction = force_update(
        conn,
        &ForceRequest {
            session_id: id,
            to: AttendanceStatus::Absent,
            mrns: vec![CORRECTED.into()],
            npis: Vec::new(),
            reason: reason.into(),
            dry_run: false,
        },
        &mut Agreed,
    )
    .await?;
    steps.push(Step {
        command: format!("gsess force-update {id} absent {CORRECTED} --reason \"{reason}\" --yes"),
        about: "the locked session corrected: the group is 4, still the 2–4 band, so the others' \
                charges stand; M005's submitted claim gets a void (8)"
            .into(),
        result: StepResult::Correction(Box::new(CorrectionView::of(&correction))),
    });
    let corrections: Vec<i64> = correction
        .claims
        .iter()
        .filter(|c| c.action.is_new())
        .map(|c| c.id)
        .collect();
    let sent = submit(
        conn,
        &SubmitRequest {
            target: SubmitTarget::Claims(corrections.clone()),
            production: false,
        },
    )
    .await?;
    steps.push(Step {
        command: format!(
            "gsess claim submit {}",
            corrections
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        ),
        about: format!("the void: the original CLM01, frequency 8 in CLM05, REF*F8 {payer_number}"),
        result: StepResult::Submission(SubmissionView::of(&sent, &[])),
    });

    let mut entries = Vec::new();
    audit::list(
        conn,
        &AuditRequest {
            session_id: Some(id),
            ..AuditRequest::default()
        },
        |entry| {
            entries.push(AuditEntryView::of(&entry));
            Ok(ControlFlow::Continue(()))
        },
    )
    .await?;
    steps.push(Step {
        command: format!("gsess audit --session {id}"),
        about: "who did what, when, and why: the forced correction stands out".into(),
        result: StepResult::Audit(AuditView(entries)),
    });
    Ok(steps)
}
