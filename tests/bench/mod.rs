//! `gatefleet bench mapf`: the smoke suite prints a table and exits 0, a row given up at its
//! time limit is printed and exits 1, a bad suite or a missing map exits 2 with one line
//! naming the file and line.

use std::path::{Path, PathBuf};

use crate::support::{gatefleet, scratch, write};

fn movingai() -> PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/mapf/movingai"
    ))
    .into()
}

fn bench(dir: &Path, suite: &Path) -> crate::support::Run {
    let (suite, data) = (suite.to_str().unwrap(), movingai());
    let data = data.to_str().unwrap();
    gatefleet(dir, &["bench", "mapf", "--suite", suite, "--data", data])
}

#[test]
fn smoke_suite_prints_a_table_of_checked_rows() {
    let dir = scratch("bench-smoke");
    let suite = Path::new(env!("CARGO_MANIFEST_DIR")).join("planner/suites/smoke.toml");
    let run = bench(&dir, &suite);

    assert_eq!(run.code, Some(0), "{run:#?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{run:#?}");
    assert!(
        lines[0].starts_with("map") && lines[0].contains("peak_mib"),
        "{run:#?}"
    );
    assert!(
        lines[1].starts_with("random-32-32-20") && lines[1].ends_with("ok"),
        "{run:#?}"
    );
}

#[test]
fn malformed_suite_is_refused_with_its_line() {
    let dir = scratch("bench-malformed");
    let suite = write(
        &dir,
        "bad.toml",
        "rows = [\n  { map = \"x\", scen = \"y\", agents = \"many\", time_limit_s = 1.0 },\n]\n",
    );

    let line = bench(&dir, &suite).refusal().to_owned();
    assert!(
        line.contains("bad.toml") && line.contains("line 2"),
        "{line}"
    );
}

#[test]
fn missing_map_is_refused_naming_it() {
    let dir = scratch("bench-missing-map");
    let text =
        "rows = [{ map = \"atlantis\", scen = \"random-1\", agents = 5, time_limit_s = 1.0 }]";
    let suite = write(&dir, "missing.toml", text);

    let line = bench(&dir, &suite).refusal().to_owned();
    assert!(
        line.contains("atlantis") && line.contains("line 1"),
        "{line}"
    );
}

#[test]
fn row_given_up_at_the_time_limit_is_reported_and_exits_1() {
    let dir = scratch("bench-gave-up");
    let text = "rows = [\n  { map = \"random-32-32-20\", scen = \"random-1\", agents = 400, \
                time_limit_s = 1e-9 },\n]\n";
    let suite = write(&dir, "tight.toml", text);
    let run = bench(&dir, &suite);

    assert_eq!(run.code, Some(1), "{run:#?}");
    let row = run.stdout.lines().nth(1).expect("one row under the header");
    assert!(
        row.contains(" no ") && row.contains("gave up at the time limit"),
        "{run:#?}"
    );
}
