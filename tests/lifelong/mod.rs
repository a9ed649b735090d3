//! `gatefleet lifelong` on a tiny LoRR problem: the summary lines, an output file that the
//! library's checker accepts, and refusals of bad input.

use std::path::{Path, PathBuf};

use crate::support::{gatefleet, scratch, write};

/// A LoRR fixture of the planner's tests.
fn lorr_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("planner/tests/assets/lorr")
        .join(format!("{name}.json"))
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 paths")
}

#[test]
fn lifelong_plays_the_room_and_its_output_checks() -> anyhow::Result<()> {
    let dir = scratch("lifelong-room");
    let problem = lorr_fixture("room");
    let output = dir.join("out.json");
    let args = ["lifelong", "--problem", arg(&problem), "--steps", "30"];
    let run = gatefleet(&dir, &[&args[..], &["--output", arg(&output)]].concat());

    assert_eq!(run.code, Some(0), "{run:#?}");
    let throughput = run
        .stdout
        .lines()
        .find_map(|line| line.strip_prefix("throughput="))
        .expect("a throughput= line");
    let throughput: u64 = throughput.parse()?;
    assert!(throughput > 0, "{run:#?}");
    for key in [
        "tasks_per_step=",
        "step_time p50=",
        "overruns=0 ",
        "checker=ok",
    ] {
        assert!(
            run.stdout.lines().any(|l| l.starts_with(key)),
            "no {key}: {run:#?}"
        );
    }

    let problem = planner::lorr::Problem::load(&problem)?;
    let report = planner::lorr::check_file(&problem, &output)?;
    assert_eq!((report.steps, report.throughput), (30, throughput));
    Ok(())
}

#[test]
fn lifelong_greedy_2023_problem_runs() {
    let dir = scratch("lifelong-2023");
    let problem = lorr_fixture("room-2023");
    let args = [
        "lifelong",
        "--problem",
        arg(&problem),
        "--steps",
        "10",
        "--assigner",
        "greedy",
    ];
    let run = gatefleet(&dir, &args);
    assert_eq!(run.code, Some(0), "{run:#?}");
    assert!(run.stdout.contains("rules=2023"), "{run:#?}");
    assert!(dir.join("lifelong-output.json").is_file());
}

#[test]
fn lifelong_refuses_bad_input_in_one_line() {
    let dir = scratch("lifelong-bad");
    let missing = gatefleet(&dir, &["lifelong", "--problem", "missing.json"]);
    assert!(missing.refusal().contains("missing.json"), "{missing:#?}");

    let problem = lorr_fixture("room");
    let no_steps = gatefleet(&dir, &["lifelong", "--problem", arg(&problem)]);
    assert!(no_steps.refusal().contains("--steps"), "{no_steps:#?}");

    let broken = write(&dir, "broken.json", "{\"mapFile\": 3}");
    let run = gatefleet(
        &dir,
        &["lifelong", "--problem", arg(&broken), "--steps", "5"],
    );
    let line = run.refusal();
    assert!(
        line.contains("broken.json") && line.contains("line 1: key `mapFile`"),
        "{run:#?}"
    );

    let zero = [
        "lifelong",
        "--problem",
        arg(&problem),
        "--time-limit-ms",
        "0",
    ];
    assert!(gatefleet(&dir, &zero).refusal().contains("--time-limit-ms"));
}
