//! Placeholder until `gsess list` lands.

use crate::app::App;
use crate::cli::ListArgs;
use crate::error::{Error, Result};

pub async fn run(_app: &mut App, _args: &ListArgs) -> Result<()> {
    Err(Error::internal("gsess list is not built yet"))
}
