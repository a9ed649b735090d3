//! LaCAM* against an independent brute-force search on tiny grids.
//!
//! The brute force ([`brute_force`]) is written from scratch here and shares nothing with the
//! solvers but the instance and its graph: Dijkstra over joint positions with every joint move
//! enumerated (each agent waits or takes one out-edge), vertex and swap conflicts forbidden,
//! following and rotations allowed, as in [`planner::check`]. It says whether the goals can be
//! reached at all and, if so, two optima:
//!
//! - the least *sum of loss*, which LaCAM* minimises: a step costs the number of agents not
//!   resting at their goal (at it both before and after the step);
//! - the least *sum of costs* as [`Plan::sum_of_costs`] counts it: an agent costs one plus the
//!   last timestep at which it is away from its goal.
//!
//! The two differ when an agent reaches its goal, rests there and later has to leave it: the
//! rest is free in the loss but paid in the sum of costs. For any plan the loss is at most the
//! sum of costs, so an exhausted LaCAM* search must match the least loss exactly, while its
//! plan's sum of costs can only be bounded from below by the least sum of costs.
//!
//! The properties run LaCAM with its default options (first solution), then exhaustively
//! (`anytime` without refinement), and again with `swap` off and with three PIBT runs per
//! generation: completeness and optimality must not depend on the switches. Each runs 200
//! cases of width 2 to 4, height 1 to 4, about a fifth of the cells blocked, and 1, 2 or 3
//! agents (drawn 1:2:3); instances with a goal unreachable from its start are rejected.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hash::Hash;
use std::time::Duration;

use maps::{Cell, GridMap, ScenarioAgent};
use planner::{Graph, Instance, InstanceError, LacamOptions, Plan, SolveError, VertexId};
use planner::{check, lacam};
use proptest::prelude::*;
use proptest::sample::subsequence;
use proptest::test_runner::{Config, RngSeed, TestCaseError};

/// Chance that a cell of a random grid is blocked.
const BLOCKED: f64 = 0.2;

/// Most agents of a random case: 3 agents on 16 cells make 3,360 joint positions.
const MAX_AGENTS: usize = 3;

/// Agent counts drawn with these weights (then capped by the free cells): 1, 2 or 3 as 1:2:3.
const AGENT_COUNTS: &[usize] = &[1, 2, 2, 3, 3, 3];

/// Optima of a solvable instance, found by [`brute_force`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Optimum {
    /// Least sum of loss (LaCAM*'s cost).
    loss: u64,
    /// Least sum of costs ([`Plan::sum_of_costs`]).
    sum_of_costs: u64,
}

/// The optima of `instance`, or `None` when no plan reaches the goals.
///
/// # Complexity
/// Dijkstra over up to Vⁿ joint positions (times 2ⁿ done-sets for the sum of costs), each
/// with up to (d + 1)ⁿ joint moves: tiny instances only.
fn brute_force(instance: &Instance) -> Option<Optimum> {
    let graph = instance.graph();
    let goals = instance.goals();

    // sum of loss: a state is the joint position
    let loss = cheapest(
        instance.starts().to_vec(),
        |at| at == goals,
        |at, out| {
            for next in joint_moves(graph, at, 0) {
                let cost = step_loss(at, &next, goals);
                out.push((next, cost));
            }
        },
    );

    // sum of costs: a state also marks the agents declared done, which rest at their goal
    // from then on; every step costs the agents not yet done, declaring one is free
    let agents = instance.agent_count();
    let sum_of_costs = cheapest(
        (instance.starts().to_vec(), 0_u32),
        |(at, _)| at == goals,
        |(at, done), out| {
            for agent in 0..agents {
                if at[agent] == goals[agent] && done & (1 << agent) == 0 {
                    out.push(((at.clone(), done | 1 << agent), 0));
                }
            }
            let cost = u64::from(agents as u32 - done.count_ones());
            for next in joint_moves(graph, at, *done) {
                out.push(((next, *done), cost));
            }
        },
    );

    assert_eq!(
        loss.is_some(),
        sum_of_costs.is_some(),
        "both searches explore the same joint positions"
    );
    Some(Optimum {
        loss: loss?,
        sum_of_costs: sum_of_costs?,
    })
}

/// Dijkstra from `start`: the least cost of a state meeting `is_goal`, `None` if none is
/// reachable. `successors` appends each next state with the cost of getting there.
fn cheapest<S: Clone + Eq + Hash + Ord>(
    start: S,
    is_goal: impl Fn(&S) -> bool,
    mut successors: impl FnMut(&S, &mut Vec<(S, u64)>),
) -> Option<u64> {
    let mut best = HashMap::from([(start.clone(), 0)]);
    let mut queue = BinaryHeap::from([Reverse((0, start))]);
    let mut next = Vec::new();
    while let Some(Reverse((cost, state))) = queue.pop() {
        if best[&state] < cost {
            continue;
        }
        if is_goal(&state) {
            return Some(cost);
        }
        successors(&state, &mut next);
        for (successor, step) in next.drain(..) {
            let reached = cost + step;
            if best.get(&successor).is_none_or(|&known| reached < known) {
                best.insert(successor.clone(), reached);
                queue.push(Reverse((reached, successor)));
            }
        }
    }
    None
}

/// Every joint position one step after `from`: each agent waits or takes an out-edge (agents
/// whose bit is set in `waiting` only wait), no two agents end on one vertex, no two agents
/// exchange vertices along an edge. Following and rotations are allowed.
fn joint_moves(graph: &Graph, from: &[VertexId], waiting: u32) -> Vec<Vec<VertexId>> {
    let mut moves = Vec::new();
    let mut next = Vec::with_capacity(from.len());
    extend_moves(graph, from, waiting, &mut next, &mut moves);
    moves
}

/// Chooses the move of agent `next.len()` in every conflict-free way, then recurses.
fn extend_moves(
    graph: &Graph,
    from: &[VertexId],
    waiting: u32,
    next: &mut Vec<VertexId>,
    moves: &mut Vec<Vec<VertexId>>,
) {
    let agent = next.len();
    if agent == from.len() {
        moves.push(next.clone());
        return;
    }
    let at = from[agent];
    let targets = if waiting & (1 << agent) != 0 {
        &[][..]
    } else {
        graph.out_neighbours(at)
    };
    for &to in std::iter::once(&at).chain(targets) {
        let is_taken = next.contains(&to);
        let is_swap = (0..agent).any(|other| from[other] == to && next[other] == at);
        if is_taken || is_swap {
            continue;
        }
        next.push(to);
        extend_moves(graph, from, waiting, next, moves);
        next.pop();
    }
}

/// LaCAM*'s cost of one step: the agents not at their goal both before and after it.
fn step_loss(before: &[VertexId], after: &[VertexId], goals: &[VertexId]) -> u64 {
    let resting = |agent: usize| before[agent] == goals[agent] && after[agent] == goals[agent];
    (0..goals.len()).filter(|&agent| !resting(agent)).count() as u64
}

/// A plan's sum of loss, step by step.
fn sum_of_loss(plan: &Plan, goals: &[VertexId]) -> u64 {
    let steps = plan.steps();
    let pairs = steps.windows(2);
    pairs.map(|pair| step_loss(&pair[0], &pair[1], goals)).sum()
}

/// A tiny grid and its agents, as drawn (printed by proptest when a property fails).
#[derive(Clone, Debug)]
struct TinyCase {
    rows: Vec<String>,
    agents: Vec<ScenarioAgent>,
}

impl TinyCase {
    /// The instance, or `None` when a goal cannot be reached from its start.
    fn instance(&self) -> Option<Instance> {
        let rows: Vec<&str> = self.rows.iter().map(String::as_str).collect();
        match Instance::from_movingai(&GridMap::from_rows(&rows), &self.agents) {
            Ok(instance) => Some(instance),
            Err(InstanceError::UnreachableCell { .. }) => None,
            Err(other) => panic!("the generator draws distinct free cells: {other}"),
        }
    }
}

/// Rows of a grid 2 to 4 cells wide and 1 to 4 high, `@` blocked, with a free cell.
fn tiny_rows() -> impl Strategy<Value = Vec<String>> {
    let cells = (2_usize..=4, 1_usize..=4).prop_flat_map(|(width, height)| {
        let row = prop::collection::vec(prop::bool::weighted(BLOCKED), width);
        prop::collection::vec(row, height)
    });
    let to_row = |row: &Vec<bool>| -> String {
        let cell = |&blocked: &bool| if blocked { '@' } else { '.' };
        row.iter().map(cell).collect()
    };
    cells
        .prop_map(move |cells| cells.iter().map(to_row).collect::<Vec<String>>())
        .prop_filter("a free cell", |rows| {
            rows.iter().any(|row| row.contains('.'))
        })
}

/// A tiny grid with 1 to 3 agents on distinct free starts and distinct free goals.
fn tiny_case() -> impl Strategy<Value = TinyCase> {
    tiny_rows()
        .prop_flat_map(|rows| {
            let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
            let free: Vec<Cell> = GridMap::from_rows(&refs).free_cells().collect();
            let most = free.len().min(MAX_AGENTS);
            // more agents more often: one agent alone is rarely interesting
            let count = prop::sample::select(AGENT_COUNTS).prop_map(move |count| count.min(most));
            (Just(rows), Just(free), count)
        })
        .prop_flat_map(|(rows, free, count)| {
            let starts = subsequence(free.clone(), count).prop_shuffle();
            let goals = subsequence(free, count).prop_shuffle();
            (Just(rows), starts, goals)
        })
        .prop_map(|(rows, starts, goals)| {
            let pairs = starts.into_iter().zip(goals);
            let agents = pairs.map(|(start, goal)| ScenarioAgent { start, goal });
            TinyCase {
                rows,
                agents: agents.collect(),
            }
        })
}

fn config() -> Config {
    Config {
        cases: 200,
        rng_seed: RngSeed::Fixed(0xb207_e5ea),
        failure_persistence: None,
        ..Config::default()
    }
}

/// LaCAM's options for a first solution: generous time, one thread, the given seed.
fn first_solution(seed: u64) -> LacamOptions {
    LacamOptions {
        seed,
        time_limit: Duration::from_secs(10),
        threads: 1,
        ..LacamOptions::default()
    }
}

/// LaCAM*'s options for a search run until exhausted (no refinement, which stops it early).
fn exhaustive(seed: u64) -> LacamOptions {
    LacamOptions {
        anytime: true,
        refine: false,
        ..first_solution(seed)
    }
}

/// Runs LaCAM and compares with the brute force: a plan passing the checker exactly when one
/// exists, a proof of unsolvability otherwise, never a timeout. The plan costs at least the
/// optima; with `is_exhaustive`, its sum of loss is the optimum.
fn agrees_with_brute_force(
    instance: &Instance,
    options: &LacamOptions,
    is_exhaustive: bool,
) -> Result<(), TestCaseError> {
    let optimum = brute_force(instance);
    let outcome = lacam::solve(instance, options);
    let (solution, optimum) = match (outcome, optimum) {
        (Ok(solution), Some(optimum)) => (solution, optimum),
        (Err(SolveError::NoSolution { .. }), None) => return Ok(()),
        (outcome, optimum) => {
            let verdict = optimum.map_or("unsolvable".to_string(), |o| format!("{o:?}"));
            return Err(TestCaseError::fail(format!(
                "lacam returned {outcome:?}, brute force says {verdict}"
            )));
        }
    };

    let plan = &solution.plan;
    let verdict = check(instance, plan);
    prop_assert!(verdict.is_ok(), "{verdict:?} in {:?}", plan.steps());
    let goals = instance.goals();
    let (loss, sum_of_costs) = (sum_of_loss(plan, goals), plan.sum_of_costs(goals));
    prop_assert!(optimum.loss <= optimum.sum_of_costs, "{optimum:?}");
    prop_assert!(
        loss <= sum_of_costs,
        "loss {loss}, sum of costs {sum_of_costs}"
    );
    prop_assert!(
        sum_of_costs >= optimum.sum_of_costs,
        "{sum_of_costs} < {optimum:?}"
    );
    if is_exhaustive {
        prop_assert_eq!(
            loss,
            optimum.loss,
            "plan sum of loss vs optimum in {:?}",
            plan.steps()
        );
    } else {
        prop_assert!(loss >= optimum.loss, "{loss} < {optimum:?}");
    }
    Ok(())
}

/// The instance of a case, rejecting the case when a goal is unreachable.
fn instance_of(case: &TinyCase) -> Result<Instance, TestCaseError> {
    case.instance()
        .ok_or_else(|| TestCaseError::reject("a goal unreachable from its start"))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn lacam_solves_exactly_the_solvable_instances(case in tiny_case(), seed in any::<u64>()) {
        let instance = instance_of(&case)?;
        agrees_with_brute_force(&instance, &first_solution(seed), false)?;
    }

    #[test]
    fn exhausted_lacam_star_finds_the_least_sum_of_loss(
        case in tiny_case(),
        seed in any::<u64>(),
    ) {
        let instance = instance_of(&case)?;
        agrees_with_brute_force(&instance, &exhaustive(seed), true)?;
    }

    #[test]
    fn completeness_and_optimality_hold_without_swap(case in tiny_case(), seed in any::<u64>()) {
        let instance = instance_of(&case)?;
        let swap = false;
        agrees_with_brute_force(&instance, &LacamOptions { swap, ..first_solution(seed) }, false)?;
        agrees_with_brute_force(&instance, &LacamOptions { swap, ..exhaustive(seed) }, true)?;
    }

    #[test]
    fn completeness_and_optimality_hold_with_three_pibt_runs(
        case in tiny_case(),
        seed in any::<u64>(),
    ) {
        let instance = instance_of(&case)?;
        let pibt_runs = 3;
        let first = LacamOptions { pibt_runs, ..first_solution(seed) };
        agrees_with_brute_force(&instance, &first, false)?;
        agrees_with_brute_force(&instance, &LacamOptions { pibt_runs, ..exhaustive(seed) }, true)?;
    }
}

fn agent((x, y): (u32, u32), (goal_x, goal_y): (u32, u32)) -> ScenarioAgent {
    let goal = Cell {
        x: goal_x,
        y: goal_y,
    };
    ScenarioAgent {
        start: Cell { x, y },
        goal,
    }
}

fn grid_instance(rows: &[&str], agents: &[ScenarioAgent]) -> Instance {
    Instance::from_movingai(&GridMap::from_rows(rows), agents).expect("fixture is valid")
}

/// Solves exhaustively, checks the plan and returns its sum of loss.
fn exhaustive_loss(instance: &Instance) -> u64 {
    let solution = lacam::solve(instance, &exhaustive(0)).expect("lacam solves the fixture");
    check(instance, &solution.plan).expect("the plan passes the checker");
    sum_of_loss(&solution.plan, instance.goals())
}

#[test]
fn swapping_ends_of_a_corridor_is_unsolvable() {
    let corridor = ["....."];
    let instance = grid_instance(&corridor, &[agent((0, 0), (4, 0)), agent((4, 0), (0, 0))]);
    assert_eq!(brute_force(&instance), None);
    let outcome = lacam::solve(&instance, &exhaustive(0));
    assert!(
        matches!(outcome, Err(SolveError::NoSolution { .. })),
        "{outcome:?}"
    );
}

#[test]
fn rotation_in_a_full_2x2_ring_costs_one_step_per_agent() {
    // four agents, each one cell clockwise: only the joint rotation moves anyone
    let clockwise = [
        agent((0, 0), (1, 0)),
        agent((1, 0), (1, 1)),
        agent((1, 1), (0, 1)),
        agent((0, 1), (0, 0)),
    ];
    let instance = grid_instance(&["..", ".."], &clockwise);
    let optimum = Optimum {
        loss: 4,
        sum_of_costs: 4,
    };
    assert_eq!(brute_force(&instance), Some(optimum));
    assert_eq!(exhaustive_loss(&instance), 4);
}

#[test]
fn agent_follows_into_the_start_of_another() {
    // agent 0's goal is agent 1's start: both move at once, then agent 1 alone (2 + 1)
    let instance = grid_instance(&["...."], &[agent((0, 0), (1, 0)), agent((1, 0), (3, 0))]);
    let optimum = Optimum {
        loss: 3,
        sum_of_costs: 3,
    };
    assert_eq!(brute_force(&instance), Some(optimum));
    assert_eq!(exhaustive_loss(&instance), 3);
}

#[test]
fn loss_spares_the_rest_at_a_goal_that_the_sum_of_costs_counts() {
    // agent 0 rests at its goal (1, 0) while agent 1 climbs the stem, steps aside to (2, 0)
    // as agent 1 follows it in, and follows agent 1 back out: loss 1 + 2 + 2, while its
    // sum of costs also pays the first step's rest (3 + 3)
    let rows = ["...", "@.@", "@.@"];
    let instance = grid_instance(&rows, &[agent((1, 0), (1, 0)), agent((1, 2), (0, 0))]);
    let optimum = Optimum {
        loss: 5,
        sum_of_costs: 6,
    };
    assert_eq!(brute_force(&instance), Some(optimum));
    assert_eq!(exhaustive_loss(&instance), 5);
}
