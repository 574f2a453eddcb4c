use crate::app::App;
use crate::error::{Error, Result};
pub async fn run(_app: &mut App) -> Result<()> {
    Err(Error::internal("demo: being written"))
}
