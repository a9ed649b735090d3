//! The benchmark runner: the smoke suite is solved and checked; bad suites and missing data
//! are refused with the file and line.

use std::path::PathBuf;

use planner::{BenchError, BenchOptions, BenchSolver, Suite, run_suite};

use crate::support::movingai_dir;

fn options() -> BenchOptions {
    BenchOptions {
        data: movingai_dir(),
        solver: BenchSolver::Lacam,
        tuning: planner::LacamOptions::default(),
    }
}

fn smoke_suite() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("suites/smoke.toml")
}

#[test]
fn smoke_suite_is_solved_and_checked() {
    let suite = Suite::load(smoke_suite()).unwrap();
    let reports = run_suite(&suite, &options()).unwrap();

    assert_eq!(reports.len(), 2);
    for report in &reports {
        assert!(report.is_solved(), "{report:#?}");
        let ratio = report.ratio().expect("a solved row has a ratio");
        assert!(ratio >= 1.0, "{report:#?}");
    }
    let table = planner::bench::table(&reports);
    assert_eq!(table.lines().count(), 3, "{table}");
    assert!(table.lines().skip(1).all(|l| l.ends_with("ok")), "{table}");
}

#[test]
fn default_suite_data_is_all_present() {
    Suite::builtin_default()
        .check_data(&movingai_dir())
        .unwrap();
}

#[test]
fn malformed_suite_is_refused_with_its_line() {
    let text = "rows = [\n  { map = \"random-32-32-20\", scen = \"random-1\", agents = 5, \
                time_limit_s = 1.0 },\n  { map = \"random-32-32-20\", agent = 5 },\n]\n";
    let err = Suite::parse(text, "bad.toml").unwrap_err();

    assert!(
        matches!(err, BenchError::Malformed { line: 3, .. }),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("bad.toml") && message.contains("line 3"),
        "{message}"
    );
}

#[test]
fn negative_time_limit_is_refused() {
    let text = "rows = [{ map = \"m\", scen = \"s\", agents = 5, time_limit_s = -1.0 }]";
    let message = Suite::parse(text, "neg.toml").unwrap_err().to_string();
    assert!(
        message.contains("line 1") && message.contains("time_limit_s"),
        "{message}"
    );
}

#[test]
fn row_naming_a_missing_map_is_refused_naming_it() {
    let text = "rows = [\n  { map = \"random-32-32-20\", scen = \"random-1\", agents = 5, \
                time_limit_s = 1.0 },\n  { map = \"no-such-map\", scen = \"random-1\", agents = 5, \
                time_limit_s = 1.0 },\n]\n";
    let suite = Suite::parse(text, "missing.toml").unwrap();
    let err = run_suite(&suite, &options()).unwrap_err();

    assert!(
        matches!(err, BenchError::MissingData { line: 3, .. }),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("no-such-map") && message.contains("line 3"),
        "{message}"
    );
}

#[test]
fn a_bad_last_row_is_refused_before_any_row_runs() {
    let text = "rows = [\n  { map = \"random-32-32-20\", scen = \"random-1\", agents = 5, \
                time_limit_s = 60.0, anytime = true },\n  { map = \"random-32-32-20\", \
                scen = \"random-1\", agents = 500, time_limit_s = 1.0 },\n]\n";
    let suite = Suite::parse(text, "late.toml").unwrap();
    let started = std::time::Instant::now();
    let err = run_suite(&suite, &options()).unwrap_err();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "the first row's minute was not spent"
    );
    let message = err.to_string();
    assert!(
        message.contains("late.toml") && message.contains("line 3"),
        "{message}"
    );
}
