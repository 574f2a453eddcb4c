//! Placeholder until `gsess take` lands.

use crate::app::App;
use crate::cli::SessionArg;
use crate::error::{Error, Result};

pub async fn run(_app: &mut App, _args: &SessionArg) -> Result<()> {
    Err(Error::internal("gsess take is not built yet"))
}
