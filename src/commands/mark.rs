//! Placeholder until `gsess mark` lands.

use crate::app::App;
use crate::cli::MarkArgs;
use crate::error::{Error, Result};

pub async fn run(_app: &mut App, _args: &MarkArgs) -> Result<()> {
    Err(Error::internal("gsess mark is not built yet"))
}
