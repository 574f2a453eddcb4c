//! The manual pages kept in `man/` match what gsess renders from its command line: one for
//! `gsess` and one for every command, nested ones too. After changing a command or its help,
//! refresh them with `GSESS_BLESS=1 cargo test --test man_pages`.

use std::collections::BTreeSet;
use std::path::Path;

fn kept_pages(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok())
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".1"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn kept_man_pages_are_current() {
    let bless = std::env::var_os("GSESS_BLESS").is_some();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let pages = gsess::commands::completions::man_pages();
    let rendered: BTreeSet<String> = pages.iter().map(|(name, _)| name.clone()).collect();
    if bless {
        std::fs::create_dir_all(&dir).unwrap();
        // A page of a command that no longer exists goes too.
        for gone in kept_pages(&dir).difference(&rendered) {
            std::fs::remove_file(dir.join(gone)).unwrap();
        }
        for (name, page) in &pages {
            std::fs::write(dir.join(name), page).unwrap();
        }
        return;
    }
    let refresh = "run `GSESS_BLESS=1 cargo test --test man_pages`";
    let kept = kept_pages(&dir);
    assert!(
        kept == rendered,
        "man/ has pages for other commands than gsess has: missing {:?}, extra {:?}; {refresh}",
        rendered.difference(&kept).collect::<Vec<_>>(),
        kept.difference(&rendered).collect::<Vec<_>>()
    );
    let stale: Vec<&str> = pages
        .iter()
        .filter(|(name, page)| std::fs::read(dir.join(name)).unwrap_or_default() != *page)
        .map(|(name, _)| name.as_str())
        .collect();
    assert!(stale.is_empty(), "stale in man/: {stale:?}; {refresh}");
}

#[test]
fn every_command_has_a_page_and_clap_help_has_none() {
    let pages = gsess::commands::completions::man_pages();
    let names: Vec<&str> = pages.iter().map(|(name, _)| name.as_str()).collect();
    for expected in [
        "gsess.1",
        "gsess-list.1",
        "gsess-force-update.1",
        "gsess-billing.1",
        "gsess-billing-run.1",
        "gsess-claim-submit.1",
        "gsess-roster-remove.1",
        "gsess-db-url.1",
        "gsess-completions.1",
    ] {
        assert!(names.contains(&expected), "no {expected} in {names:?}");
    }
    assert!(!names.iter().any(|name| name.contains("help")), "{names:?}");
    let mark = pages
        .iter()
        .find(|(name, _)| name == "gsess-mark.1")
        .map(|(_, page)| String::from_utf8_lossy(page).into_owned())
        .unwrap();
    assert!(mark.contains("clinical.attendance.write"), "{mark}");
    assert!(
        mark.contains("gsess mark 1042 attended M001 M002"),
        "{mark}"
    );
}
