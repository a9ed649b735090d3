//! LaCAM*: complete on what PIBT alone cannot solve, proofs of unsolvability, optimality
//! once the search is exhausted, and MovingAI instances checked.

use std::time::Duration;

use maps::{Cell, GridMap, ScenarioAgent};
use planner::{DistanceCache, Instance, LacamOptions, SolveError, check, lacam, soc_lower_bound};

use crate::support::{benchmark, fixture};

fn agent((x, y): (u32, u32), (gx, gy): (u32, u32)) -> ScenarioAgent {
    ScenarioAgent {
        start: Cell { x, y },
        goal: Cell { x: gx, y: gy },
    }
}

fn grid_instance(rows: &[&str], agents: &[ScenarioAgent]) -> Instance {
    Instance::from_movingai(&GridMap::from_rows(rows), agents).expect("fixture is valid")
}

fn options() -> LacamOptions {
    LacamOptions {
        time_limit: Duration::from_secs(30),
        ..LacamOptions::default()
    }
}

fn solve_checked(instance: &Instance, options: &LacamOptions) -> planner::Solution {
    let solution = lacam::solve(instance, options).expect("lacam solves the instance");
    check(instance, &solution.plan).expect("the plan passes the checker");
    solution
}

#[test]
fn corridor_swap_is_solved_with_and_without_the_swap_technique() {
    let instance = fixture("corridor_swap");
    for swap in [true, false] {
        let solution = solve_checked(&instance, &LacamOptions { swap, ..options() });
        assert!(solution.plan.makespan() >= 6, "passing needs the pocket");
    }
}

#[test]
fn a_corridor_without_room_to_pass_is_proven_unsolvable() {
    let instance = grid_instance(&["....."], &[agent((0, 0), (4, 0)), agent((4, 0), (0, 0))]);
    let outcome = lacam::solve(&instance, &options());
    assert!(
        matches!(outcome, Err(SolveError::NoSolution { .. })),
        "{outcome:?}"
    );
}

#[test]
fn rotation_in_a_full_ring_is_found() {
    // four agents on a 2x2 ring, each one step clockwise: only a joint rotation works
    let instance = grid_instance(
        &["..", ".."],
        &[
            agent((0, 0), (1, 0)),
            agent((1, 0), (1, 1)),
            agent((1, 1), (0, 1)),
            agent((0, 1), (0, 0)),
        ],
    );
    let solution = solve_checked(&instance, &options());
    assert_eq!(solution.plan.makespan(), 1);
}

#[test]
fn exhausted_anytime_search_is_optimal() {
    // the T junction: a detour into the stem is needed; the optimum is small and known
    // from the exhaustive search being run to its end (no refinement)
    let instance = fixture("t_junction");
    let exhaustive = LacamOptions {
        anytime: true,
        refine: false,
        time_limit: Duration::from_secs(20),
        ..options()
    };
    let started = std::time::Instant::now();
    let best = solve_checked(&instance, &exhaustive);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "search exhausted early"
    );
    let first = solve_checked(&instance, &options());
    let goals = instance.goals();
    assert!(best.plan.sum_of_costs(goals) <= first.plan.sum_of_costs(goals));
}

#[test]
fn same_seed_same_first_solution() {
    let (_, instance) = benchmark("random-32-32-20", 100);
    let a = solve_checked(&instance, &options());
    let b = solve_checked(&instance, &options());
    assert_eq!(a.plan, b.plan);
}

#[test]
fn warehouse_with_300_agents_is_solved_and_checked() {
    let (_, instance) = benchmark("warehouse-10-20-10-2-1", 300);
    let solution = solve_checked(&instance, &options());
    let lower = soc_lower_bound(&instance, &mut DistanceCache::new());
    assert!(solution.plan.sum_of_costs(instance.goals()) >= lower);
}

#[test]
fn anytime_refinement_never_makes_the_plan_worse() {
    let (_, instance) = benchmark("random-32-32-20", 150);
    let first = solve_checked(&instance, &options());
    let anytime = LacamOptions {
        anytime: true,
        time_limit: Duration::from_millis(1500),
        ..options()
    };
    let refined = solve_checked(&instance, &anytime);
    let goals = instance.goals();
    assert!(refined.plan.sum_of_costs(goals) <= first.plan.sum_of_costs(goals));
    assert!(refined.stats.first_solution.is_some());
}
