//! Sizes past which a value is a mistake (a file pasted into `--reason`, a whole member list
//! pasted into one session), refused by field before anything is written.

/// A reason is a sentence or a paragraph for the audit log; the database holds it to the
/// same length (migration 0017).
pub const MAX_REASON_CHARS: usize = 2000;

/// No group session seats more; far above any payer's size bands.
pub const MAX_ROSTER_SIZE: usize = 100;

/// A reason longer than [`MAX_REASON_CHARS`] is refused.
pub fn check_reason_length(reason: &str) -> Result<(), String> {
    let length = reason.chars().count();
    if length > MAX_REASON_CHARS {
        Err(format!(
            "the reason is {length} characters; at most {MAX_REASON_CHARS}"
        ))
    } else {
        Ok(())
    }
}

/// A roster of more than [`MAX_ROSTER_SIZE`] members is refused.
pub fn check_roster_size(members: usize) -> Result<(), String> {
    if members > MAX_ROSTER_SIZE {
        Err(format!(
            "{members} participants in one session; at most {MAX_ROSTER_SIZE}"
        ))
    } else {
        Ok(())
    }
}
