use crate::app::App;
use crate::cli::ImportArgs;
use crate::error::{Error, Result};
pub async fn run(_app: &mut App, _args: &ImportArgs) -> Result<()> {
    Err(Error::internal("import: being written"))
}
