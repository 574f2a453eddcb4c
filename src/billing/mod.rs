//! Billing: what the billing run prices and what holds a session back (`pricing`), the
//! claim scrubber (`scrubber`), and the 837P the run sends (`edi`, written through the
//! segment layer `x12`). All are pure functions over plain data; the operations
//! (`ops::billing`) read, call these and write.

pub mod edi;
pub mod pricing;
pub mod scrubber;
pub mod x12;
