//! One LNS worker: its own copy of the paths, their reservations, and the destroy-and-repair
//! loop step.
//!
//! A step picks a neighbourhood (see [`super::neighbourhood`]), takes its agents' paths out of
//! the reservation table, and replans the agents one by one in random order with space-time
//! A* (prioritized planning). The new paths are kept only if they cost less in total than the
//! old ones; each search is bounded by what is left of that total, so a replan that cannot win
//! stops early. On any failure the old paths go back.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::distance::DistanceTable;
use crate::graph::{Graph, VertexId};
use crate::instance::AgentId;

use super::neighbourhood::{Neighbourhoods, PlanView};
use super::paths::path_cost;
use super::reservation::ReservationTable;
use super::space_time::{PathQuery, SpaceTimeSearch};

/// Expansions one space-time search may make, plus this many per step of its cost bound; a
/// search past it gives up, so one hard replan cannot eat the time budget. (20 per step was
/// tried: den520d with 1000 agents reached 1.07 instead of 1.05 of the lower bound in 25 s.)
const EXPANSIONS_BASE: usize = 2_000;
/// See [`EXPANSIONS_BASE`].
const EXPANSIONS_PER_STEP: usize = 100;

/// What every worker reads and nobody changes: graph, starts, goals, heuristics.
#[derive(Debug)]
pub(crate) struct Problem<'a> {
    /// The graph agents move on.
    pub graph: &'a Graph,
    /// Start per agent.
    pub starts: &'a [VertexId],
    /// Goal per agent.
    pub goals: &'a [VertexId],
    /// Distance table of each agent's goal.
    pub heuristics: Vec<&'a DistanceTable>,
    /// Distance from start to goal per agent.
    pub lower_bounds: Vec<u32>,
}

/// A worker's state between steps.
#[derive(Debug)]
pub(crate) struct Lns<'a> {
    problem: &'a Problem<'a>,
    paths: Vec<Vec<VertexId>>,
    table: ReservationTable,
    sum_of_costs: u64,
    search: SpaceTimeSearch,
    neighbourhoods: Neighbourhoods,
    neighbourhood_size: usize,
    rng: ChaCha8Rng,
    /// Steps taken.
    pub iterations: u64,
    /// Steps that lowered the cost.
    pub improvements: u64,
}

impl<'a> Lns<'a> {
    /// A worker starting from `paths` (conflict free, one per agent, ending at the goals).
    pub(crate) fn new(
        problem: &'a Problem<'a>,
        paths: Vec<Vec<VertexId>>,
        neighbourhood_size: usize,
        seed: u64,
    ) -> Self {
        let mut table = ReservationTable::new(problem.graph.vertex_count(), problem.goals);
        for (agent, path) in paths.iter().enumerate() {
            table.reserve(AgentId(agent as u32), path);
        }
        Self {
            problem,
            sum_of_costs: paths.iter().map(|path| path_cost(path)).sum(),
            paths,
            table,
            search: SpaceTimeSearch::default(),
            neighbourhoods: Neighbourhoods::new(problem.graph, problem.goals.len()),
            neighbourhood_size: neighbourhood_size.max(1),
            rng: ChaCha8Rng::seed_from_u64(seed),
            iterations: 0,
            improvements: 0,
        }
    }

    /// The current paths.
    pub(crate) fn paths(&self) -> &[Vec<VertexId>] {
        &self.paths
    }

    /// The sum of costs of the current paths.
    pub(crate) fn sum_of_costs(&self) -> u64 {
        self.sum_of_costs
    }

    /// Sum of the agents' lower bounds: no plan costs less.
    pub(crate) fn lower_bound(&self) -> u64 {
        self.problem
            .lower_bounds
            .iter()
            .map(|&d| u64::from(d))
            .sum()
    }

    /// Expansions of all space-time searches so far.
    pub(crate) fn expansions(&self) -> u64 {
        self.search.expansions
    }

    /// One destroy-and-repair step; returns the cost it saved (0 when the old paths stay).
    pub(crate) fn step(&mut self) -> u64 {
        let view = PlanView {
            graph: self.problem.graph,
            paths: &self.paths,
            table: &self.table,
            heuristics: &self.problem.heuristics,
            lower_bounds: &self.problem.lower_bounds,
        };
        let (destroy, agents) =
            self.neighbourhoods
                .pick(&view, self.neighbourhood_size, &mut self.rng);
        let saved = self.replan(&agents);
        self.neighbourhoods.record(destroy, saved);
        self.iterations += 1;
        self.improvements += u64::from(saved > 0);
        saved
    }

    /// Replaces the current paths with `paths` (as [`Lns::new`] takes them), touching only the
    /// agents whose paths differ.
    pub(crate) fn adopt(&mut self, paths: &[Vec<VertexId>]) {
        let changed: Vec<usize> = (0..paths.len())
            .filter(|&agent| self.paths[agent] != paths[agent])
            .collect();
        for &agent in &changed {
            self.table
                .release(AgentId(agent as u32), &self.paths[agent]);
        }
        for &agent in &changed {
            self.paths[agent].clone_from(&paths[agent]);
            self.table
                .reserve(AgentId(agent as u32), &self.paths[agent]);
        }
        self.sum_of_costs = paths.iter().map(|path| path_cost(path)).sum();
    }

    /// Replans `agents` in random order; keeps the new paths if they cost less in total.
    fn replan(&mut self, agents: &[AgentId]) -> u64 {
        let lower = |agent: &AgentId| u64::from(self.problem.lower_bounds[agent.index()]);
        let old_cost: u64 = agents
            .iter()
            .map(|agent| path_cost(&self.paths[agent.index()]))
            .sum();
        if old_cost <= agents.iter().map(lower).sum() {
            return 0;
        }

        // free the neighbourhood, then plan it again within one less than the old cost
        let old_paths: Vec<Vec<VertexId>> = agents
            .iter()
            .map(|&agent| {
                let path = std::mem::take(&mut self.paths[agent.index()]);
                self.table.release(agent, &path);
                path
            })
            .collect();
        let mut order = agents.to_vec();
        order.shuffle(&mut self.rng);
        if let Some(new_cost) = self.plan_in_order(&order, old_cost - 1) {
            self.sum_of_costs -= old_cost - new_cost;
            return old_cost - new_cost;
        }

        for (&agent, path) in agents.iter().zip(old_paths) {
            self.table.reserve(agent, &path);
            self.paths[agent.index()] = path;
        }
        0
    }

    /// Plans `order` one agent after the other, each path reserved before the next search;
    /// returns the total cost, or `None` (all of them released) if it cannot stay within
    /// `max_total`.
    fn plan_in_order(&mut self, order: &[AgentId], max_total: u64) -> Option<u64> {
        let problem = self.problem;
        let mut lower_left: u64 = order
            .iter()
            .map(|agent| u64::from(problem.lower_bounds[agent.index()]))
            .sum();
        let mut total = 0;
        for (planned, &agent) in order.iter().enumerate() {
            let index = agent.index();
            lower_left -= u64::from(problem.lower_bounds[index]);
            let path = max_total
                .checked_sub(total + lower_left)
                .and_then(|max_cost| {
                    let max_cost = u32::try_from(max_cost).unwrap_or(u32::MAX);
                    let query = PathQuery {
                        start: problem.starts[index],
                        goal: problem.goals[index],
                        heuristic: problem.heuristics[index],
                        max_cost,
                        expansion_limit: EXPANSIONS_BASE
                            + EXPANSIONS_PER_STEP * max_cost.min(1 << 16) as usize,
                    };
                    self.search.find(problem.graph, &self.table, &query)
                });
            let Some(path) = path else {
                for &done in &order[..planned] {
                    self.table.release(done, &self.paths[done.index()]);
                }
                return None;
            };
            total += path_cost(&path);
            self.table.reserve(agent, &path);
            self.paths[index] = path;
        }
        Some(total)
    }
}
