//! PIBT: priority inheritance with backtracking (Okumura et al., IJCAI 2019 / AIJ 2022).
//!
//! PIBT plans one timestep at a time. Agents are served in decreasing priority (how long
//! each has been away from its goal, see `priority`); an agent takes the best vertex among
//! its neighbours and its own, by distance to its goal with random tie-breaks. If that vertex
//! is occupied by an agent not yet decided, the occupant inherits the priority and is
//! decided first, away from it; if the occupant is stuck, the pusher backtracks to its next
//! candidate. The result is fast and scales to thousands of agents, but incomplete: PIBT
//! gives up (time or step limit) rather than proving that no plan exists.
//!
//! Two entry points:
//! - [`solve`]: one-shot MAPF, steps until every agent stands at its goal;
//! - [`PibtStepper`]: the lifelong one-step API for the fleet core, with idle and
//!   non-movable agents, blocked vertices and the follow-ban mode.
//!
//! On corridors plain PIBT can livelock (two agents push each other back and forth); the
//! swap technique of LaCAM2/LaCAM3 ([`SolveOptions::swap`], [`StepOptions::swap`]) lets them
//! pass.
//!
//! # Limitations
//! Priority inheritance is recursive: a push chain of k agents uses k stack frames (about a
//! hundred bytes each), fine for thousands of agents on a default thread stack.

mod core;
mod follow_ban;
mod priority;
mod stepper;
mod swap;

use std::time::Instant;

use maps::{GridMap, ScenarioAgent};
use tracing::instrument;

use crate::distance::DistanceCache;
use crate::graph::VertexId;
use crate::instance::Instance;
use crate::plan::Plan;
use crate::solve::{Solution, SolveError, SolveOptions, SolveStats};

use self::core::Mode;
use self::priority::Priorities;

pub(crate) use self::core::{Core, Ranking, StepView};
pub use stepper::{PibtStepper, StepAgent, StepOptions};

/// Solves a one-shot MAPF instance with PIBT: steps until all agents stand at their goals.
///
/// Standard MAPF semantics: vertex and swap conflicts are forbidden, following and
/// rotations are allowed. The same instance, seed and options give the same plan.
///
/// # Errors
/// [`SolveError::Timeout`] or [`SolveError::StepLimit`] when PIBT gives up; it never proves
/// that no plan exists.
///
/// # Complexity
/// O(n (V + E)) for the distance tables, then O(n d log d + n log n) per step for n agents
/// and largest degree d (plus the swap checks' corridor walks).
///
/// # Examples
/// ```
/// use maps::{Cell, GridMap, ScenarioAgent};
/// use planner::{Instance, SolveOptions, check};
///
/// // two agents swap ends of a corridor with one side pocket to pass at
/// let grid = GridMap::from_rows(&["....", "@.@@"]);
/// let (left, right) = (Cell { x: 0, y: 0 }, Cell { x: 3, y: 0 });
/// let agents = [
///     ScenarioAgent { start: left, goal: right },
///     ScenarioAgent { start: right, goal: left },
/// ];
/// let instance = Instance::from_movingai(&grid, &agents)?;
/// let solution = planner::pibt::solve(&instance, &SolveOptions::default())?;
/// check(&instance, &solution.plan)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn solve(instance: &Instance, options: &SolveOptions) -> Result<Solution, SolveError> {
    solve_with(instance, options, &mut DistanceCache::new())
}

/// [`solve`] with a distance cache of the caller's, which it fills with every goal's table.
///
/// # Errors
/// As [`solve`].
#[instrument(skip_all, fields(agents = instance.agent_count(), seed = options.seed))]
pub fn solve_with(
    instance: &Instance,
    options: &SolveOptions,
    distances: &mut DistanceCache,
) -> Result<Solution, SolveError> {
    let started = Instant::now();
    let graph = instance.graph();
    let agent_count = instance.agent_count();
    // the tables count against the time limit: on big maps they are most of a short budget
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if !distances.ensure_all(
        graph,
        instance.goals(),
        threads,
        Some(started + options.time_limit),
    ) {
        return Err(SolveError::Timeout {
            steps: 0,
            elapsed: started.elapsed(),
        });
    }
    let goals: Vec<Option<VertexId>> = instance.goals().iter().copied().map(Some).collect();

    let mut core = Core::new(options.seed);
    core.prepare(graph, agent_count);
    let mut priorities = Priorities::default();
    priorities.resize(agent_count, core.rng());
    let mode = Mode::Follow { swap: options.swap };

    let mut steps = vec![instance.starts().to_vec()];
    let mut order = Vec::with_capacity(agent_count);
    let mut next = vec![None; agent_count];
    loop {
        // stop: all at goals, or out of budget
        let from = steps.last().expect("step 0 is the starts");
        if from == instance.goals() {
            break;
        }
        let taken = steps.len() - 1;
        if taken >= options.max_steps {
            tracing::debug!(steps = taken, "pibt gave up at the step limit");
            return Err(SolveError::StepLimit { steps: taken });
        }
        if started.elapsed() >= options.time_limit {
            tracing::debug!(steps = taken, "pibt gave up at the time limit");
            return Err(SolveError::Timeout {
                steps: taken,
                elapsed: started.elapsed(),
            });
        }

        // one PIBT step from the latest joint position
        priorities.update(|i| from[i] == instance.goals()[i], |_| 1.0);
        priorities.order_into(&mut order);
        next.fill(None);
        let view = StepView {
            graph,
            distances,
            from,
            goals: &goals,
            max_detours: &[],
            guides: None,
        };
        core.plan_step(&view, &order, &[], &mut next, mode, None);
        let row = next
            .iter()
            .map(|v| v.expect("plan_step decides every agent"))
            .collect();
        steps.push(row);
    }

    let stats = SolveStats {
        steps: steps.len() - 1,
        elapsed: started.elapsed(),
        first_solution: None,
    };
    tracing::info!(
        steps = stats.steps,
        elapsed_ms = stats.elapsed.as_millis(),
        "pibt solved"
    );
    Ok(Solution {
        plan: Plan::new(steps),
        stats,
    })
}

/// Builds the instance of a MovingAI grid and scenario agents, then [`solve`]s it.
///
/// # Errors
/// [`SolveError::BadInput`] when the agents do not make a valid instance, else as [`solve`].
pub fn solve_grid(
    grid: &GridMap,
    agents: &[ScenarioAgent],
    options: &SolveOptions,
) -> Result<(Instance, Solution), SolveError> {
    let instance = Instance::from_movingai(grid, agents)?;
    let solution = solve(&instance, options)?;
    Ok((instance, solution))
}
