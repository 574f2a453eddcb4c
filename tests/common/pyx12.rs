//! pyx12 as the judge of the 837P the writer makes: the text goes into a temporary file,
//! `x12valid` reads it, and it passes only when pyx12 says so in both places it reports
//! (stderr `FILE: OK` with no `ERROR` line, and the 999 it writes beside the file accepting
//! the transaction and the group). Its exit status says nothing, so it is not read.
//! The validator lives in the venv `.ci/pyx12.sh` makes at `target/pyx12-venv`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

static NEXT_FILE: AtomicUsize = AtomicUsize::new(0);

pub fn venv() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pyx12-venv")
}

fn python() -> PathBuf {
    venv().join("bin/python")
}

/// Whether pyx12 is installed. Without it a test skips loudly, except in CI (`CI=true`),
/// where a missing validator fails the run rather than passing it untested.
pub fn available() -> bool {
    if python().is_file() {
        return true;
    }
    let hint = format!(
        "pyx12 is not installed at {} (run `bash .ci/pyx12.sh`)",
        venv().display()
    );
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{hint}: CI must validate the 837P, not skip it");
    }
    // Written to the process's stderr, past the test harness's capture, once per binary.
    static NOTE: Once = Once::new();
    NOTE.call_once(|| {
        let _ = writeln!(
            std::io::stderr(),
            "\n**** SKIPPED: {hint}: the 837P was NOT validated ****\n"
        );
    });
    false
}

/// `Ok` when pyx12 accepts the interchange; otherwise pyx12's report (stderr, stdout and
/// the 999). The temporary files are removed either way: the report holds what they said.
pub fn validate(edi: &str) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!(
        "gsess-pyx12-{}-{}",
        std::process::id(),
        NEXT_FILE.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
    let file = dir.join("claims.x12");
    std::fs::write(&file, edi).map_err(|e| format!("write {}: {e}", file.display()))?;
    let output = Command::new(python())
        .args(["-m", "pyx12.scripts.x12valid"])
        .arg(&file)
        .current_dir(&dir)
        .output()
        .map_err(|e| format!("run {}: {e}", python().display()))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    // x12valid names the 999 after the input: `claims.x12.997` (`claims.997` for a .txt).
    let ack_file = dir.join("claims.x12.997");
    let ack = std::fs::read_to_string(&ack_file).unwrap_or_default();

    let ok_line = format!("{}: OK", file.display());
    let mut faults = vec![];
    if !stderr.lines().any(|line| line.trim_end() == ok_line) {
        faults.push(format!("stderr has no `{ok_line}`"));
    }
    if stderr.contains(": Failure") {
        faults.push("stderr reports Failure".to_owned());
    }
    if stderr
        .lines()
        .chain(stdout.lines())
        .any(|l| l.contains("ERROR"))
    {
        faults.push("pyx12 logged ERROR lines".to_owned());
    }
    if ack.is_empty() {
        faults.push(format!("no 999 at {}", ack_file.display()));
    }
    for accepted in ["IK5*A", "AK9*A"] {
        if !ack.contains(accepted) {
            faults.push(format!("the 999 lacks {accepted}"));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    if faults.is_empty() {
        return Ok(());
    }
    Err(format!(
        "pyx12 refused the interchange: {}\n--- stderr\n{stderr}--- stdout\n{stdout}--- 999\n{ack}",
        faults.join("; ")
    ))
}
