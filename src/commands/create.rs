//! Placeholder until `gsess create` lands.

use crate::app::App;
use crate::cli::CreateArgs;
use crate::error::{Error, Result};

pub async fn run(_app: &mut App, _args: &CreateArgs) -> Result<()> {
    Err(Error::internal("gsess create is not built yet"))
}
