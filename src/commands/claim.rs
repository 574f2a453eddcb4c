//! `gsess claim show|submit|edi|ack`: one claim whole; sending claims as 837P; the text a
//! claim was sent in; the payer's claim number.

use crate::app::App;
use crate::cli::{ClaimCommand, ClaimSubmitArgs};
use crate::db::Scope;
use crate::error::{Error, Result};
use crate::ops::claims;
use crate::ops::submit::{self, SubmitRequest, SubmitTarget};
use crate::output::billing::ClaimView;
use crate::output::submit::{EdiText, SubmissionView};
use std::path::Path;

pub async fn run(app: &mut App, command: &ClaimCommand) -> Result<()> {
    match command {
        ClaimCommand::Show(args) => {
            let conn = app.connect(Scope::Read).await?;
            let claim = claims::show(conn, args.claim).await?;
            app.out.emit(&ClaimView::of(&claim))
        }
        ClaimCommand::Submit(args) => send(app, args).await,
        ClaimCommand::Edi(args) => {
            let conn = app.connect(Scope::Read).await?;
            let text = submit::stored_edi(conn, args.claim).await?;
            app.out.emit(&EdiText { edi: text })
        }
        ClaimCommand::Ack(args) => {
            let conn = app.connect(Scope::BillingRun).await?;
            let claim = submit::acknowledge(conn, args.claim, &args.payer_claim_number).await?;
            app.out.emit(&ClaimView::of(&claim))
        }
    }
}

async fn send(app: &mut App, args: &ClaimSubmitArgs) -> Result<()> {
    // A directory that cannot take the files is found out before anything is sent.
    if let Some(dir) = &args.out {
        if !dir.is_dir() {
            return Err(Error::invalid(
                "--out",
                format!("{} is not a directory", dir.display()),
            ));
        }
    }
    let conn = app.connect(Scope::BillingRun).await?;
    let request = SubmitRequest {
        target: match args.session {
            Some(id) => SubmitTarget::Session(id),
            None => SubmitTarget::Claims(args.claims.clone()),
        },
        production: args.production,
    };
    let sent = submit::submit(conn, &request).await?;
    let mut files = Vec::new();
    if let Some(dir) = &args.out {
        for interchange in &sent {
            files.push(write_file(dir, interchange)?);
        }
    }
    app.out.emit(&SubmissionView::of(&sent, &files))
}

/// `FACILITY-PAYER-ICN.837` in `dir`. The text is stored already: a failure here loses
/// nothing (`gsess claim edi` prints it again).
fn write_file(dir: &Path, interchange: &submit::SentInterchange) -> Result<String> {
    let name = format!(
        "{}-{}-{:09}.837",
        interchange.facility, interchange.payer, interchange.interchange_control_number
    );
    let path = dir.join(name);
    std::fs::write(&path, &interchange.edi).map_err(|e| {
        Error::internal(format!(
            "the claims were submitted and their EDI stored, but {} could not be written \
             ({e}); `gsess claim edi {}` prints it",
            path.display(),
            interchange.claim_ids[0]
        ))
    })?;
    Ok(path.display().to_string())
}
