//! Anytime improvement of a plan by large neighbourhood search (MAPF-LNS, Li et al., IJCAI
//! 2021).
//!
//! [`improve`] takes a feasible [`Plan`] (from [`crate::pibt::solve`], say) and lowers its sum
//! of costs until a deadline: each iteration picks a small neighbourhood of agents, removes
//! their paths, replans them one by one with space-time A* around everybody else's paths
//! (prioritized planning), and keeps the new paths only if they cost less. The plan returned is
//! never worse than the one given and always feasible.
//!
//! Neighbourhoods come from the three MAPF-LNS destroy heuristics (agent-based random walk,
//! intersection-based, random), chosen adaptively by the improvement each achieved. With more
//! than one thread, independent workers with their own seeds search from the same plan and
//! periodically all continue from the best plan found so far.
//!
//! # Limitations
//! - Prioritized planning inside a neighbourhood is incomplete: a replan that fails (or hits the
//!   expansion limit of its searches) is simply dropped.
//! - Workers share whole plans, not improvements: between two exchanges, the improvements of
//!   all but the best worker are lost.

mod lns;
mod neighbourhood;
mod paths;
mod reservation;
mod space_time;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use tracing::instrument;

use crate::distance::{DistanceCache, DistanceTable};
use crate::graph::VertexId;
use crate::instance::Instance;
use crate::plan::Plan;

use self::lns::{Lns, Problem};
use self::paths::{paths_from_plan, plan_from_paths};

/// How often parallel workers compare their plans and continue from the best one.
const EXCHANGE_PERIOD: Duration = Duration::from_millis(100);

/// Settings of one [`improve`] run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefineOptions {
    /// Seed of the ChaCha generators (worker `k` uses `seed + k`).
    pub seed: u64,
    /// Stop when this instant passes.
    pub deadline: Instant,
    /// Stop after this many LNS iterations over all workers (`None` = until the deadline);
    /// with one thread, the same seed and iteration count give the same plan.
    pub max_iterations: Option<u64>,
    /// Worker threads (run with [`std::thread::scope`]); 1 runs on the calling thread.
    pub threads: usize,
    /// Agents replanned per iteration.
    pub neighbourhood_size: usize,
}

impl RefineOptions {
    /// Seed 0, one thread, neighbourhoods of 8 agents, until `time_limit` from now.
    pub fn with_time_limit(time_limit: Duration) -> Self {
        Self {
            seed: 0,
            deadline: Instant::now() + time_limit,
            max_iterations: None,
            threads: 1,
            neighbourhood_size: 8,
        }
    }
}

/// Counters of one [`improve`] run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefineStats {
    /// LNS iterations run, over all workers.
    pub iterations: u64,
    /// Iterations whose new paths were kept (they lowered the cost).
    pub improvements: u64,
    /// Sum of costs of the plan given.
    pub initial_cost: u64,
    /// Sum of costs of the plan returned.
    pub final_cost: u64,
}

/// Improves `plan` by large neighbourhood search until the deadline or the iteration limit.
///
/// `plan` must pass [`crate::check()`] for `instance`; the plan returned passes it too and its
/// [`Plan::sum_of_costs`] is never higher. `distances` should hold the table of every goal
/// (as after [`DistanceCache::ensure`] for each); a missing one is built here, at O(V + E)
/// each. A plan whose first or last step is not the starts or the goals is returned unchanged.
///
/// # Complexity
/// Per iteration, k space-time searches for a neighbourhood of k agents, each bounded by an
/// expansion limit that grows with the path cost, plus O(n) to find the most delayed agent.
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use maps::{Cell, GridMap, ScenarioAgent};
/// use planner::{DistanceCache, Instance, RefineOptions, SolveOptions, check, pibt, refine};
///
/// let grid = GridMap::from_rows(&["....", ".@@.", "...."]);
/// let agents = [
///     ScenarioAgent { start: Cell { x: 0, y: 0 }, goal: Cell { x: 3, y: 2 } },
///     ScenarioAgent { start: Cell { x: 3, y: 2 }, goal: Cell { x: 0, y: 0 } },
/// ];
/// let instance = Instance::from_movingai(&grid, &agents)?;
/// let plan = pibt::solve(&instance, &SolveOptions::default())?.plan;
/// let mut distances = DistanceCache::new();
/// for &goal in instance.goals() {
///     distances.ensure(instance.graph(), goal);
/// }
/// let options = RefineOptions {
///     max_iterations: Some(50),
///     ..RefineOptions::with_time_limit(Duration::from_secs(1))
/// };
/// let (refined, stats) = refine::improve(&instance, &distances, plan, &options);
/// check(&instance, &refined)?;
/// assert!(stats.final_cost <= stats.initial_cost);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[instrument(skip_all, fields(agents = instance.agent_count(), threads = options.threads))]
pub fn improve(
    instance: &Instance,
    distances: &DistanceCache,
    plan: Plan,
    options: &RefineOptions,
) -> (Plan, RefineStats) {
    let started = Instant::now();
    let goals = instance.goals();
    let initial_cost = plan.sum_of_costs(goals);
    let mut stats = RefineStats {
        iterations: 0,
        improvements: 0,
        initial_cost,
        final_cost: initial_cost,
    };
    let steps = plan.steps();
    if steps.first().map(Vec::as_slice) != Some(instance.starts())
        || steps.last().map(Vec::as_slice) != Some(goals)
    {
        tracing::warn!("plan does not lead from the starts to the goals, left unchanged");
        return (plan, stats);
    }

    // heuristics: the cached tables, and any missing one built here
    let graph = instance.graph();
    let missing: Vec<DistanceTable> = goals
        .iter()
        .filter(|&&goal| distances.get(goal).is_none())
        .map(|&goal| DistanceTable::build(graph, goal))
        .collect();
    let heuristics: Vec<&DistanceTable> = goals
        .iter()
        .map(|&goal| table_of(distances, &missing, goal))
        .collect();
    let lower_bounds = instance
        .starts()
        .iter()
        .zip(&heuristics)
        .map(|(&start, table)| table.get(start))
        .collect();
    let problem = Problem {
        graph,
        starts: instance.starts(),
        goals,
        heuristics,
        lower_bounds,
    };

    let paths = paths_from_plan(&plan, goals);
    let (paths, counters) = if options.threads <= 1 {
        run_alone(&problem, paths, options)
    } else {
        run_parallel(&problem, paths, options)
    };
    let refined = plan_from_paths(&paths);
    stats.final_cost = refined.sum_of_costs(goals);
    stats.iterations = counters.iterations;
    stats.improvements = counters.improvements;
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis(),
        iterations = stats.iterations,
        improvements = stats.improvements,
        expansions = counters.expansions,
        initial_cost,
        final_cost = stats.final_cost,
        "refine done"
    );
    debug_assert!(
        stats.final_cost <= initial_cost,
        "only improvements are kept"
    );
    (refined, stats)
}

fn table_of<'a>(
    distances: &'a DistanceCache,
    missing: &'a [DistanceTable],
    goal: VertexId,
) -> &'a DistanceTable {
    distances
        .get(goal)
        .or_else(|| missing.iter().find(|table| table.goal() == goal))
        .expect("a table was built for every goal the cache lacks")
}

/// Work done by the workers of one run.
#[derive(Clone, Copy, Debug, Default)]
struct Counters {
    iterations: u64,
    improvements: u64,
    expansions: u64,
}

impl Counters {
    fn add(&mut self, lns: &Lns<'_>) {
        self.iterations += lns.iterations;
        self.improvements += lns.improvements;
        self.expansions += lns.expansions();
    }
}

/// The best plan any worker has found, and the iterations started over all workers.
#[derive(Debug)]
struct Shared {
    best: Mutex<(u64, Vec<Vec<VertexId>>)>,
    iterations: AtomicU64,
}

fn run_alone(
    problem: &Problem<'_>,
    paths: Vec<Vec<VertexId>>,
    options: &RefineOptions,
) -> (Vec<Vec<VertexId>>, Counters) {
    let mut lns = Lns::new(problem, paths, options.neighbourhood_size, options.seed);
    let iterations = AtomicU64::new(0);
    run_worker(&mut lns, options, &iterations, None);
    let mut counters = Counters::default();
    counters.add(&lns);
    (lns.paths().to_vec(), counters)
}

fn run_parallel(
    problem: &Problem<'_>,
    paths: Vec<Vec<VertexId>>,
    options: &RefineOptions,
) -> (Vec<Vec<VertexId>>, Counters) {
    let cost = paths.iter().map(|path| paths::path_cost(path)).sum();
    let shared = Shared {
        best: Mutex::new((cost, paths)),
        iterations: AtomicU64::new(0),
    };
    let counters = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..options.threads)
            .map(|worker| {
                let shared = &shared;
                scope.spawn(move || {
                    let start = lock(shared).1.clone();
                    let seed = options.seed.wrapping_add(worker as u64);
                    let mut lns = Lns::new(problem, start, options.neighbourhood_size, seed);
                    run_worker(&mut lns, options, &shared.iterations, Some(shared));
                    let mut counters = Counters::default();
                    counters.add(&lns);
                    counters
                })
            })
            .collect();
        let mut total = Counters::default();
        for worker in workers {
            let counters = worker.join().expect("refine workers do not panic");
            total.iterations += counters.iterations;
            total.improvements += counters.improvements;
            total.expansions += counters.expansions;
        }
        total
    });
    let (_, paths) = shared
        .best
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    (paths, counters)
}

fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, (u64, Vec<Vec<VertexId>>)> {
    shared.best.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Steps `lns` until the deadline or the shared iteration limit; with `shared`, exchanges
/// plans every [`EXCHANGE_PERIOD`] and once more at the end.
fn run_worker(
    lns: &mut Lns<'_>,
    options: &RefineOptions,
    iterations: &AtomicU64,
    shared: Option<&Shared>,
) {
    let mut next_exchange = Instant::now() + EXCHANGE_PERIOD;
    // no plan costs less than the sum of the lower bounds: stop there, it is optimal
    let floor: u64 = lns.lower_bound();
    loop {
        let now = Instant::now();
        if now >= options.deadline || lns.sum_of_costs() <= floor {
            break;
        }
        if let Some(max) = options.max_iterations
            && iterations.fetch_add(1, Ordering::Relaxed) >= max
        {
            break;
        }
        lns.step();
        if let Some(shared) = shared
            && now >= next_exchange
        {
            exchange(lns, shared);
            next_exchange = Instant::now() + EXCHANGE_PERIOD;
        }
    }
    if let Some(shared) = shared {
        exchange(lns, shared);
    }
}

/// Publishes the worker's plan if it is the best so far, or continues from the best if that
/// is better.
fn exchange(lns: &mut Lns<'_>, shared: &Shared) {
    let mut best = lock(shared);
    let cost = lns.sum_of_costs();
    if cost < best.0 {
        best.0 = cost;
        best.1 = lns.paths().to_vec();
    } else if best.0 < cost {
        lns.adopt(&best.1);
        tracing::trace!(from = cost, to = best.0, "worker adopted the best plan");
    }
}
