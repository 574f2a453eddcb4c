//! Placeholder until `gsess finalize` lands.

use crate::app::App;
use crate::cli::FinalizeArgs;
use crate::error::{Error, Result};

pub async fn run(_app: &mut App, _args: &FinalizeArgs) -> Result<()> {
    Err(Error::internal("gsess finalize is not built yet"))
}
