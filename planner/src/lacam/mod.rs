//! LaCAM*: lazy constraints addition search for MAPF (Okumura, AAAI 2023 and IJCAI 2023),
//! with the improvements of LaCAM3 (AAMAS 2024) that pay on aisle-shaped maps.
//!
//! LaCAM searches the space of joint configurations (one vertex per agent) depth first. It
//! never enumerates a node's successors (there are up to 5ⁿ): a successor is *generated* by
//! one PIBT step under a set of constraints "agent i goes to v", and the constraint sets are
//! themselves a lazily grown tree below each node (the low-level search). The first
//! generation from a node has no constraint, so on easy instances LaCAM is exactly PIBT with
//! a memory of where it has been; when PIBT loops, revisited configurations send the search
//! back to try constrained successors, and since the low-level tree eventually fixes every
//! agent, every successor is tried in the end: the search is complete (it proves that no
//! plan exists by exhausting the reachable configurations).
//!
//! LaCAM* makes it eventually optimal: each node keeps its cost from the start (sum of
//! loss: one per agent per step away from its goal), a configuration met again rewires its
//! neighbours Dijkstra-style when the new way is cheaper, and once a goal is found the search
//! goes on, pruning nodes whose cost plus the sum-of-distances estimate cannot beat it.
//!
//! Switches ([`LacamOptions`]) and what each is worth, measured with `gatefleet bench mapf`
//! on this project's 2-core machine (random-1 scenarios, seed 0, release; "first" is the
//! first solution's time and sum of costs over the lower bound, "anytime" the ratio at the
//! time limit: den520d 1000 agents 30 s, random-32-32-20 400 agents 10 s):
//!
//! | switch off | random-32-32-20 ×400 first | warehouse-10-20-10-2-1 ×1000 first | den520d anytime | random anytime |
//! | --- | --- | --- | --- | --- |
//! | none (defaults) | 0.018 s, 2.995 | 0.22 s, 2.962 | 1.040 | 2.324 |
//! | `swap` | 0.145 s, 3.511 | not solved in 30 s | 1.045 | 2.528 |
//! | `guide_rounds` = 0 | 0.016 s, 3.303 | 0.13 s, 3.231 | 1.041 | 2.540 |
//! | `pibt_runs` = 1 in anytime | (unchanged) | (unchanged) | 1.060 | 2.504 |
//! | `refine` (LaCAM* search alone) | (unchanged) | (unchanged) | 1.366 | 2.798 |
//!
//! - `swap`: PIBT with the swap technique; without it the warehouse is not solved.
//! - `pibt_runs`: several PIBT runs per generation, the successor with the least cost-to-come
//!   plus estimate is kept; by default one for a first solution (four would cost up to four
//!   times the time) and four in anytime mode.
//! - `guide_rounds`: guide paths that spread agents over their shortest paths
//!   ([`Guides`]), preferred by PIBT among equally short moves; they pay on dense maps and
//!   cost 1 % on den520d's first solution.
//! - `refine`: in anytime mode, after the first solution, large neighbourhood search
//!   ([`crate::refine`]) on `threads` threads until the deadline, instead of continuing the
//!   LaCAM* search, which improves big instances far more slowly.

mod search;

use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tracing::instrument;

use crate::distance::DistanceCache;
use crate::graph::VertexId;
use crate::guide::{GuideBudget, Guides};
use crate::instance::Instance;
use crate::pibt::{Core, StepView};
use crate::plan::Plan;
use crate::refine::{self, RefineOptions};
use crate::solve::{Solution, SolveError, SolveStats};

use self::search::{NONE, Search, config_hash, edge_cost};

/// The chance that a configuration met again sends the search back to the start instead of
/// to its node (LaCAM3's random restart, which helps the anytime search leave a basin).
const RESTART_RATE: f32 = 0.001;

/// PIBT runs per successor when [`LacamOptions::pibt_runs`] is 0: for a first solution and
/// in anytime mode. Measured on the default suite: four runs lower the first cost by 2 to
/// 12 % but take up to 4 times as long (10,000 agents: 36 s instead of 14), so in anytime
/// mode the search drops to one run when an eighth of the time limit passes without a
/// solution.
pub const AUTO_PIBT_RUNS: [usize; 2] = [1, 4];

/// Edges the guide paths may scan in all, about three seconds on this machine: enough for
/// three rounds on 1,000 agents of the benchmark maps, a round or two for 10,000. A count
/// rather than a time, so that a seed gives the same first solution whatever the time
/// limit and the load.
const GUIDE_WORK: u64 = 400_000_000;

/// Settings of [`solve`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LacamOptions {
    /// Seed of every random choice; equal seeds give equal first solutions.
    pub seed: u64,
    /// Wall-clock budget, distance tables included.
    pub time_limit: Duration,
    /// Keep improving the plan until the time limit (LaCAM*), rather than returning the
    /// first solution.
    pub anytime: bool,
    /// PIBT with the swap technique.
    pub swap: bool,
    /// PIBT runs per generated successor; the best by cost-to-come plus estimate is kept.
    /// 0 picks [`AUTO_PIBT_RUNS`]: one for a first solution, where speed counts, more in
    /// anytime mode, where a cheaper start leaves the refinement less to do.
    pub pibt_runs: usize,
    /// Follow guide paths ([`Guides`]) that spread agents over their shortest paths; the
    /// number is the rounds of rerouting (0 = off).
    pub guide_rounds: usize,
    /// In anytime mode, improve the first solution by large neighbourhood search rather than
    /// by continuing the LaCAM* search.
    pub refine: bool,
    /// Threads of the distance tables and of the refinement.
    pub threads: usize,
}

impl Default for LacamOptions {
    /// Seed 0, 10 s, first solution only, swap on, automatic PIBT runs, three rounds of guide
    /// paths, refinement on two threads.
    fn default() -> Self {
        Self {
            seed: 0,
            time_limit: Duration::from_secs(10),
            anytime: false,
            swap: true,
            pibt_runs: 0,
            guide_rounds: 3,
            refine: true,
            threads: 2,
        }
    }
}

/// Solves a one-shot MAPF instance with LaCAM* (see the module docs).
///
/// Standard MAPF semantics as [`crate::pibt::solve`]. The same instance, seed and options
/// give the same first solution; anytime improvements depend on the time they had.
///
/// # Errors
/// - [`SolveError::NoSolution`] when the search exhausted every reachable configuration:
///   a proof that no plan exists;
/// - [`SolveError::Timeout`] when the time limit passed before a first solution.
///
/// # Examples
/// ```
/// use maps::{Cell, GridMap, ScenarioAgent};
/// use planner::{Instance, check, lacam};
///
/// // a corridor with one pocket: the agents must use it to pass
/// let grid = GridMap::from_rows(&["....", "@.@@"]);
/// let (left, right) = (Cell { x: 0, y: 0 }, Cell { x: 3, y: 0 });
/// let agents = [
///     ScenarioAgent { start: left, goal: right },
///     ScenarioAgent { start: right, goal: left },
/// ];
/// let instance = Instance::from_movingai(&grid, &agents)?;
/// let solution = lacam::solve(&instance, &lacam::LacamOptions::default())?;
/// check(&instance, &solution.plan)?;
///
/// // without the pocket no plan exists, and LaCAM proves it
/// let corridor = GridMap::from_rows(&["...."]);
/// let instance = Instance::from_movingai(&corridor, &agents)?;
/// let outcome = lacam::solve(&instance, &lacam::LacamOptions::default());
/// assert!(matches!(outcome, Err(planner::SolveError::NoSolution { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn solve(instance: &Instance, options: &LacamOptions) -> Result<Solution, SolveError> {
    solve_with(instance, options, &mut DistanceCache::new())
}

/// [`solve`] with a distance cache of the caller's, which it fills with every goal's table
/// (for lower bounds afterwards, or a second run on the same graph).
///
/// # Errors
/// As [`solve`].
#[instrument(skip_all, fields(agents = instance.agent_count(), seed = options.seed))]
pub fn solve_with(
    instance: &Instance,
    options: &LacamOptions,
    distances: &mut DistanceCache,
) -> Result<Solution, SolveError> {
    let started = Instant::now();
    let deadline = started + options.time_limit;
    let graph = instance.graph();
    let goals = instance.goals();
    let n = instance.agent_count();

    if !distances.ensure_all(graph, goals, options.threads.max(1), Some(deadline)) {
        return Err(SolveError::Timeout {
            steps: 0,
            elapsed: started.elapsed(),
        });
    }
    let guides = (options.guide_rounds > 0).then(|| {
        let guides = Guides::build(
            graph,
            distances,
            instance.starts(),
            goals,
            options.guide_rounds,
            GuideBudget {
                work: GUIDE_WORK,
                deadline,
            },
        );
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis(),
            "lacam: guides built"
        );
        guides
    });
    let goal_options: Vec<Option<VertexId>> = goals.iter().copied().map(Some).collect();
    let distances_of = |config: &[VertexId], out: &mut Vec<u32>| {
        out.clear();
        out.extend(
            config
                .iter()
                .zip(goals)
                .map(|(&v, &goal)| distances.distance(goal, v)),
        );
    };

    let mut core = Core::new(options.seed);
    core.prepare(graph, n);
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed ^ 0x1aca_0000_0000_0001);
    let mut search = Search::new(n);
    let mut node_distances = Vec::with_capacity(n);

    let starts = instance.starts();
    distances_of(starts, &mut node_distances);
    let root = search.insert(starts, config_hash(starts), NONE, 0, &node_distances);
    let mut open = vec![root];

    let mut fixed: Vec<Option<VertexId>> = vec![None; n];
    let mut to: Vec<Option<VertexId>> = vec![None; n];
    let mut best: Vec<VertexId> = Vec::with_capacity(n);
    let mut candidate: Vec<VertexId> = Vec::with_capacity(n);
    let mut first_solution = None;
    let mut generated: u64 = 0;
    // automatic runs in anytime mode drop to one if the first solution is slow to come, so
    // that anytime never fails where a first-solution run succeeds
    let is_auto = options.pibt_runs == 0;
    let mut runs = match options.pibt_runs {
        0 => AUTO_PIBT_RUNS[usize::from(options.anytime)],
        runs => runs,
    };
    let slow_first = started + options.time_limit / 8;
    let is_refining = options.anytime && options.refine;

    let exhausted = loop {
        if Instant::now() >= deadline {
            break false;
        }
        let Some(&top) = open.last() else {
            break true;
        };
        let node = &search.nodes[top as usize];

        // prune: cannot beat the known goal
        if let Some(goal) = search.goal
            && node.f() >= search.nodes[goal as usize].g
        {
            open.pop();
            continue;
        }
        if search.goal.is_none() && search.configs.get(top) == goals {
            search.goal = Some(top);
            first_solution = Some(started.elapsed());
            tracing::info!(
                elapsed_ms = started.elapsed().as_millis(),
                cost = search.nodes[top as usize].g,
                nodes = search.nodes.len(),
                "lacam: first solution"
            );
            if !options.anytime || is_refining {
                break false;
            }
            continue;
        }

        if is_auto && runs > 1 && search.goal.is_none() && Instant::now() >= slow_first {
            tracing::debug!("lacam: first solution slow to come, one PIBT run per node from now");
            runs = 1;
        }

        // the next constraint set to try from this node
        let Some(low) = search.nodes[top as usize].pending.pop_front() else {
            open.pop();
            continue;
        };
        search.expand_low(graph, top, low, &mut rng);

        // generate a successor: PIBT under the constraints, the best of `runs`
        fixed.fill(None);
        search.constraints_into(low, &mut fixed);
        let from = search.configs.get(top);
        let view = StepView {
            graph,
            distances,
            from,
            goals: &goal_options,
            max_detours: &[],
            guides: guides.as_ref(),
        };
        let mut best_score = u64::MAX;
        for _ in 0..runs {
            to.copy_from_slice(&fixed);
            if !core.plan_constrained(&view, search.order(top), &mut to, options.swap) {
                // constraints are the same every run: if they fail once they always do
                break;
            }
            candidate.clear();
            candidate.extend(
                to.iter()
                    .map(|v| v.expect("a valid generation decides all")),
            );
            let score = if runs == 1 {
                0
            } else {
                let h: u64 = candidate
                    .iter()
                    .zip(goals)
                    .map(|(&v, &goal)| u64::from(distances.distance(goal, v)))
                    .sum();
                edge_cost(from, &candidate, goals) + h
            };
            if score < best_score {
                best_score = score;
                std::mem::swap(&mut best, &mut candidate);
            }
        }
        if best_score == u64::MAX {
            continue;
        }
        generated += 1;

        let hash = config_hash(&best);
        let cost = edge_cost(search.configs.get(top), &best, goals);
        if let Some(known) = search.find(hash, &best) {
            rewire(&mut search, top, known, goals, &mut open);
            let back = if rng.random::<f32>() >= RESTART_RATE {
                known
            } else {
                root
            };
            if search
                .goal
                .is_none_or(|goal| search.nodes[back as usize].f() < search.nodes[goal as usize].g)
            {
                open.push(back);
            }
        } else {
            distances_of(&best, &mut node_distances);
            let g = search.nodes[top as usize].g + cost;
            let new = search.insert(&best, hash, top, g, &node_distances);
            if search
                .goal
                .is_none_or(|goal| search.nodes[new as usize].f() < search.nodes[goal as usize].g)
            {
                open.push(new);
            }
        }
    };

    let deepest = search
        .nodes
        .iter()
        .map(|node| node.depth)
        .max()
        .unwrap_or(0);
    tracing::info!(
        nodes = search.nodes.len(),
        low_nodes = search.lows.len(),
        generated,
        arena_mib = search.bytes() / (1 << 20),
        elapsed_ms = started.elapsed().as_millis(),
        "lacam: search ended"
    );
    let Some(goal) = search.goal else {
        return Err(if exhausted {
            SolveError::NoSolution {
                reason: format!(
                    "LaCAM explored all {} reachable configurations without meeting the goals",
                    search.nodes.len()
                ),
            }
        } else {
            SolveError::Timeout {
                steps: deepest as usize,
                elapsed: started.elapsed(),
            }
        });
    };
    if exhausted {
        tracing::info!(
            cost = search.nodes[goal as usize].g,
            "lacam: optimal (search exhausted)"
        );
    }
    let mut plan = extract_plan(&search, goal);
    drop(search);

    if is_refining {
        plan = refine_plan(instance, distances, plan, options, deadline);
    }

    let stats = SolveStats {
        steps: plan.makespan(),
        elapsed: started.elapsed(),
        first_solution,
    };
    Ok(Solution { plan, stats })
}

/// Improves the first solution by large neighbourhood search until the deadline.
fn refine_plan(
    instance: &Instance,
    distances: &DistanceCache,
    plan: Plan,
    options: &LacamOptions,
    deadline: Instant,
) -> Plan {
    let (refined, stats) = refine::improve(
        instance,
        distances,
        plan,
        &RefineOptions {
            seed: options.seed,
            deadline,
            max_iterations: None,
            threads: options.threads.max(1),
            ..RefineOptions::with_time_limit(options.time_limit)
        },
    );
    tracing::info!(
        iterations = stats.iterations,
        improvements = stats.improvements,
        from = stats.initial_cost,
        to = stats.final_cost,
        "lacam: refined"
    );
    refined
}

/// Records that `to` follows `from` and, if that is a cheaper way to `to`, spreads the
/// saving to everything known to follow it (Dijkstra over the explored graph). Nodes made
/// cheaper than the known goal are searched again.
fn rewire(search: &mut Search, from: u32, to: u32, goals: &[VertexId], open: &mut Vec<u32>) {
    let successors = &mut search.nodes[from as usize].successors;
    if !successors.contains(&to) {
        successors.push(to);
    }
    let mut queue = std::collections::VecDeque::from([from]);
    while let Some(a) = queue.pop_front() {
        for index in 0..search.nodes[a as usize].successors.len() {
            let b = search.nodes[a as usize].successors[index];
            let cost = search.nodes[a as usize].g
                + edge_cost(search.configs.get(a), search.configs.get(b), goals);
            if cost < search.nodes[b as usize].g {
                let node = &mut search.nodes[b as usize];
                node.g = cost;
                node.parent = a;
                queue.push_back(b);
                if let Some(goal) = search.goal {
                    if b == goal {
                        tracing::debug!(loss = cost, "lacam: cheaper way to the goal");
                    } else if search.nodes[b as usize].f() < search.nodes[goal as usize].g {
                        open.push(b);
                    }
                }
            }
        }
    }
}

/// The configurations from the root to `goal` along parent links.
fn extract_plan(search: &Search, goal: u32) -> Plan {
    let mut steps = Vec::new();
    let mut node = goal;
    while node != NONE {
        steps.push(search.configs.get(node).to_vec());
        node = search.nodes[node as usize].parent;
    }
    steps.reverse();
    Plan::new(steps)
}
