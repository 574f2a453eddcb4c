//! One module per subcommand: arguments in, a view out.

pub mod accept;
pub mod audit;
pub mod billing;
pub mod claim;
pub mod claims;
pub mod completions;
pub mod create;
pub mod db;
pub mod demo;
pub mod encounters;
pub mod explain;
pub mod finalize;
pub mod force_update;
pub mod import;
pub mod list;
pub mod mark;
pub mod preview;
pub mod roster;
pub mod show;
pub mod supervisor;
pub mod take;
pub mod whoami;
