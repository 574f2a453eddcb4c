//! The benchmark (`bench/run.sh`) runs whole on a tiny dataset and produces every figure: a check that it works, never a timing.

use std::path::PathBuf;
use std::process::Command;

#[test]
fn the_whole_benchmark_runs_at_a_tiny_scale_and_produces_every_figure() {
    let root = PathBuf::from(format!("/tmp/gsess-bench-smoke-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    // As root the embedded server runs as `postgres`, which must reach its data directory.
    let _ = Command::new("chmod").arg("755").arg(&root).status();
    let gsess = assert_cmd::cargo::cargo_bin!("gsess");
    let output = Command::new("bash")
        .arg("bench/run.sh")
        .arg("--tiny")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("GSESS_BIN", gsess)
        .env("BENCH_ROOT", root.join("bench"))
        .env("BENCH_OUT", root.join("out"))
        .env("RESULTS", root.join("results.md"))
        .env_remove("DATABASE_URL")
        .output()
        .expect("run bench/run.sh");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "bench/run.sh --tiny exited {:?}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        output.status.code()
    );
    assert!(
        stdout.contains("every figure produced"),
        "--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    let results = std::fs::read_to_string(root.join("results.md")).unwrap();
    for figure in [
        "list-day-all",
        "audit-day",
        "billing-run",
        "mark",
        "submit-many",
    ] {
        assert!(
            results.contains(&format!("`{figure}`")),
            "{figure}:\n{results}"
        );
    }
    let _ = std::fs::remove_dir_all(&root);
}
