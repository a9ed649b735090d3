//! Tiny named fixtures, each exercising one situation PIBT must handle.

use maps::{Cell, GridMap, ScenarioAgent};
use planner::{Instance, SolveOptions, pibt};

use crate::support::{fixture, solve_checked};

fn agent((x, y): (u32, u32), (gx, gy): (u32, u32)) -> ScenarioAgent {
    ScenarioAgent {
        start: Cell { x, y },
        goal: Cell { x: gx, y: gy },
    }
}

fn grid_instance(rows: &[&str], agents: &[ScenarioAgent]) -> Instance {
    Instance::from_movingai(&GridMap::from_rows(rows), agents).expect("fixture is valid")
}

#[test]
fn corridor_swap_passes_through_the_side_pocket() {
    let instance = fixture("corridor_swap");
    let solution = solve_checked(&instance, &SolveOptions::default());
    assert!(
        solution.plan.makespan() >= 6,
        "passing needs a detour into the pocket"
    );
}

#[test]
fn corridor_swap_without_the_swap_technique_never_claims_a_proof() {
    let instance = fixture("corridor_swap");
    let options = SolveOptions {
        swap: false,
        max_steps: 200,
        ..Default::default()
    };
    match pibt::solve(&instance, &options) {
        Ok(solution) => planner::check(&instance, &solution.plan).expect("plan passes"),
        Err(err) => assert!(err.is_give_up(), "{err}"),
    }
}

#[test]
fn t_junction_lets_three_agents_pass() {
    let instance = fixture("t_junction");
    solve_checked(&instance, &SolveOptions::default());
}

#[test]
fn rotation_on_a_two_by_two_block_takes_one_step() {
    let instance = grid_instance(
        &["..", ".."],
        &[
            agent((0, 0), (1, 0)),
            agent((1, 0), (1, 1)),
            agent((1, 1), (0, 1)),
            agent((0, 1), (0, 0)),
        ],
    );
    let solution = solve_checked(&instance, &SolveOptions::default());
    assert_eq!(solution.plan.makespan(), 1);
    assert_eq!(solution.plan.sum_of_costs(instance.goals()), 4);
}

#[test]
fn agent_resting_in_a_corridor_is_pushed_aside_and_returns() {
    let instance = grid_instance(
        &[".....", "@@.@@"],
        &[agent((0, 0), (4, 0)), agent((2, 0), (2, 0))],
    );
    let solution = solve_checked(&instance, &SolveOptions::default());
    assert!(
        solution.plan.sum_of_costs(instance.goals()) > 4,
        "the resting agent moved"
    );
}

#[test]
fn agents_already_at_goals_need_no_step() {
    let instance = grid_instance(&["..."], &[agent((0, 0), (0, 0)), agent((2, 0), (2, 0))]);
    let solution = solve_checked(&instance, &SolveOptions::default());
    assert_eq!(
        (
            solution.plan.makespan(),
            solution.plan.sum_of_costs(instance.goals())
        ),
        (0, 0)
    );
}

#[test]
fn same_seed_gives_the_same_plan() {
    let instance = fixture("t_junction");
    let options = SolveOptions {
        seed: 11,
        ..Default::default()
    };
    let first = solve_checked(&instance, &options);
    let second = solve_checked(&instance, &options);
    assert_eq!(first.plan, second.plan);
}

#[test]
fn invalid_agents_are_bad_input() {
    let grid = GridMap::from_rows(&[".@."]);
    let err = pibt::solve_grid(&grid, &[agent((0, 0), (2, 0))], &SolveOptions::default())
        .expect_err("goal cannot be reached");
    assert!(
        matches!(err, planner::SolveError::BadInput(_)) && !err.is_give_up(),
        "{err}"
    );
}
