//! The actions gsess takes, one module each, in the manner of cargo's `ops`: a request in, a
//! result out, with what the action needs passed in — the connection, a way to show a plan
//! and confirm it, a way to report progress. Commands parse arguments into requests and
//! render the results; `demo`, `take` and the long-running workers call the same functions.
//! An operation reads through `db`, judges with `rules` and returns plain results; it never
//! prints.

pub mod accept;
pub mod attendance;
pub mod audit;
pub mod billing;
pub mod claims;
pub mod corrections;
pub mod create;
pub mod database;
pub mod explain;
pub mod finalize;
pub mod import;
pub mod list;
pub mod reference;
pub mod session;
pub mod submit;
pub mod whoami;

use crate::error::Result;

/// How an operation that changes things shows what it is about to do, then asks.
pub trait Confirm<Plan> {
    /// Show the plan (a dry run's too).
    fn show(&mut self, plan: &Plan) -> Result<()>;
    /// Ask before acting; an error (declined, no terminal) stops the operation unchanged.
    fn confirm(&mut self, question: &str) -> Result<()>;
}

/// Progress of long bulk work, for a progress bar; [`Silent`] reports nothing.
pub trait Progress {
    fn start(&self, total: u64);
    fn advance(&self, by: u64);
    /// The work is done: the bar goes away.
    fn finish(&self);
    /// The work stopped on an error: the bar stays as it was.
    fn abandon(&self);
}

/// No progress reporting (scripts, the demo, the workers).
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _total: u64) {}
    fn advance(&self, _by: u64) {}
    fn finish(&self) {}
    fn abandon(&self) {}
}

/// A place where a test build can be told to stop and wait (`GSESS_TEST_PAUSE=NAME`), so a
/// test can kill gsess there and prove that nothing of an unfinished transaction remains.
/// The pause lasts `GSESS_TEST_PAUSE_SECONDS` (default 60), so a test can also let it go on
/// after stopping the server underneath it. Release builds have no such place.
pub async fn pause_point(name: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("GSESS_TEST_PAUSE").is_ok_and(|wanted| wanted == name) {
        let seconds = std::env::var("GSESS_TEST_PAUSE_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(60);
        eprintln!("gsess: paused at {name} (GSESS_TEST_PAUSE, test builds only)");
        tokio::time::sleep(std::time::Duration::from_secs(seconds)).await;
    }
    #[cfg(not(debug_assertions))]
    let _ = name;
}
