//! Billing: what the billing run prices and what holds a session back (`pricing`), and the
//! claim scrubber (`scrubber`), both pure functions over plain data that call the same rules
//! the preview calls. The operations (`ops::billing`) read, call these and write.

pub mod pricing;
pub mod scrubber;
