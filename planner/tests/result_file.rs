//! Result files: what is written reads back the same, and a written plan passes the checker.

use std::time::Duration;

use planner::{ResultFile, RunInfo, SolveOptions, check};

use crate::support::{benchmark, fixture, solve_checked};

fn run_info() -> RunInfo {
    RunInfo {
        map_file: "random-32-32-20.map".into(),
        solver: "planner::pibt".into(),
        seed: 0,
        comp_time: Duration::from_millis(12),
    }
}

#[test]
fn written_result_file_reads_back_and_passes_the_checker() {
    let (_, instance) = benchmark("random-32-32-20", 50);
    let solution = solve_checked(&instance, &SolveOptions::default());
    let file = ResultFile::new(
        &instance,
        Some(&solution),
        &run_info(),
        &mut planner::DistanceCache::new(),
    )
    .unwrap();
    assert!(file.solved && file.soc >= file.soc_lb && file.makespan >= file.makespan_lb);

    let path = std::env::temp_dir().join(format!("planner-result-{}.txt", std::process::id()));
    file.save(&path).unwrap();
    let read = ResultFile::load(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(read, file);

    let plan = read.to_plan(instance.graph()).unwrap();
    check(&instance, &plan).unwrap();
    assert_eq!(plan.sum_of_costs(instance.goals()), read.soc);
}

#[test]
fn result_file_text_follows_the_lacam_layout() {
    let instance = fixture("corridor_swap");
    let solution = solve_checked(&instance, &SolveOptions::default());
    let text = ResultFile::new(
        &instance,
        Some(&solution),
        &run_info(),
        &mut planner::DistanceCache::new(),
    )
    .unwrap()
    .to_text();
    let keys: Vec<&str> = text
        .lines()
        .take(13)
        .map(|l| l.split('=').next().unwrap())
        .collect();
    let expected = [
        "agents",
        "map_file",
        "solver",
        "solved",
        "soc",
        "soc_lb",
        "makespan",
        "makespan_lb",
        "comp_time",
        "seed",
        "starts",
        "goals",
        "solution",
    ];
    assert_eq!(keys, expected);
    assert!(text.contains("starts=(0,0),(4,0),\n"), "{text}");
    assert!(text.contains("\n0:(0,0),(4,0),\n"), "{text}");
}

#[test]
fn unsolved_run_has_no_solution_lines() {
    let instance = fixture("t_junction");
    let file = ResultFile::new(
        &instance,
        None,
        &run_info(),
        &mut planner::DistanceCache::new(),
    )
    .unwrap();
    let read = ResultFile::parse(&file.to_text(), "r.txt").unwrap();
    assert!(!read.solved && read.solution.is_empty() && read.soc_lb > 0);
}
