//! Placeholder until `gsess supervisor` lands.

use crate::app::App;
use crate::cli::SupervisorCommand;
use crate::error::{Error, Result};

pub async fn run(_app: &mut App, _command: &SupervisorCommand) -> Result<()> {
    Err(Error::internal("gsess supervisor is not built yet"))
}
