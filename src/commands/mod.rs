//! One module per subcommand: arguments in, a view out.

pub mod completions;
pub mod db;
pub mod demo;
pub mod import;
pub mod whoami;
