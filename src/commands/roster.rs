//! Placeholder until `gsess roster` lands.

use crate::app::App;
use crate::cli::RosterCommand;
use crate::error::{Error, Result};

pub async fn run(_app: &mut App, _command: &RosterCommand) -> Result<()> {
    Err(Error::internal("gsess roster is not built yet"))
}
