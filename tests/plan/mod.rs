//! `gatefleet plan` on a MovingAI benchmark: one summary line, a complete result file, and a
//! plan that the planner's checker accepts on the instance rebuilt from the same files.

use crate::support::{gatefleet, random_32_32_20, scratch};

const KEYS: [&str; 13] = [
    "agents=",
    "map_file=",
    "solver=",
    "solved=1",
    "soc=",
    "soc_lb=",
    "makespan=",
    "makespan_lb=",
    "comp_time=",
    "seed=",
    "starts=",
    "goals=",
    "solution=",
];

#[test]
fn plan_solves_random_32_32_20_with_200_agents() -> anyhow::Result<()> {
    let dir = scratch("plan-random");
    let map = random_32_32_20().join("random-32-32-20.map");
    let scen = random_32_32_20().join("random-32-32-20-random-1.scen");
    let output = dir.join("r.txt");
    let arg = |path: &std::path::Path| path.to_str().expect("UTF-8 paths").to_owned();
    let args = [
        "plan",
        "--map",
        &arg(&map),
        "--scen",
        &arg(&scen),
        "--agents",
        "200",
    ];
    let run = gatefleet(&dir, &[&args[..], &["--output", &arg(&output)]].concat());

    assert_eq!(run.code, Some(0), "{run:#?}");
    assert_eq!(run.stdout.lines().count(), 1, "{run:#?}");
    assert!(run.stdout.starts_with("solved=1 agents=200 "), "{run:#?}");

    let text = std::fs::read_to_string(&output)?;
    let lines: Vec<&str> = text.lines().collect();
    for key in KEYS {
        assert!(
            lines.iter().any(|line| line.starts_with(key)),
            "no {key} line"
        );
    }

    let result = planner::ResultFile::load(&output)?;
    let grid = maps::GridMap::load(&map)?;
    let scenario = maps::Scenario::load(&scen)?;
    let instance = planner::Instance::from_movingai(&grid, scenario.first(200, &grid)?)?;
    let plan = result.to_plan(instance.graph())?;
    planner::check(&instance, &plan)?;
    assert_eq!((result.agents, result.solved), (200, true));
    Ok(())
}

#[test]
fn plan_proves_a_corridor_swap_unsolvable_with_exit_code_3() -> anyhow::Result<()> {
    let dir = scratch("plan-unsolvable");
    let map = dir.join("corridor.map");
    let scen = dir.join("corridor.scen");
    std::fs::write(&map, "type octile\nheight 1\nwidth 4\nmap\n....\n")?;
    std::fs::write(
        &scen,
        "version 1\n0\tcorridor.map\t4\t1\t0\t0\t3\t0\t3\n0\tcorridor.map\t4\t1\t3\t0\t0\t0\t3\n",
    )?;
    let output = dir.join("r.txt");
    let arg = |path: &std::path::Path| path.to_str().expect("UTF-8 paths").to_owned();
    let args = [
        "plan",
        "--map",
        &arg(&map),
        "--scen",
        &arg(&scen),
        "--agents",
        "2",
        "--output",
        &arg(&output),
    ];
    let run = gatefleet(&dir, &args);

    assert_eq!(run.code, Some(3), "{run:#?}");
    assert!(run.stderr.contains("no plan exists"), "{run:#?}");
    let text = std::fs::read_to_string(&output)?;
    assert!(text.lines().any(|line| line == "solved=0"), "{text}");
    assert!(text.lines().any(|line| line == "solver=lacam"), "{text}");
    Ok(())
}
