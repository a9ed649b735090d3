//! Choosing which agents to replan: the three destroy heuristics of MAPF-LNS and the adaptive
//! (ALNS) choice among them.
//!
//! - agent-based: the most delayed agent (not recently picked) and the agents standing in the
//!   way of a random walk along states that could shorten its path;
//! - intersection-based: agents that cross a random intersection (a vertex of out-degree three
//!   or more) and the intersections nearest to it;
//! - random: agents drawn uniformly.
//!
//! Each heuristic has a weight; one is drawn with probability proportional to its weight, and
//! after the replan its weight moves towards the cost the replan saved (reaction factor
//! [`REACTION`]), as in Li et al. (IJCAI 2021).

use std::collections::{HashSet, VecDeque};

use rand::Rng;
use rand::seq::index;
use rand_chacha::ChaCha8Rng;

use crate::distance::{DistanceTable, UNREACHABLE};
use crate::graph::{Graph, VertexId};
use crate::instance::AgentId;

use super::paths::path_cost;
use super::reservation::ReservationTable;

/// How fast a heuristic's weight follows the improvements it achieves.
const REACTION: f64 = 0.01;

/// Random walks tried from new starting points before the agent-based heuristic settles for
/// a smaller neighbourhood.
const WALK_RESTARTS: usize = 10;

/// Vertices the intersection search may visit before it stops looking for more agents.
const INTERSECTION_SEARCH_LIMIT: usize = 4096;

/// A destroy heuristic of MAPF-LNS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Destroy {
    /// Random walk around the most delayed agent.
    AgentBased,
    /// Agents around an intersection.
    IntersectionBased,
    /// Agents drawn uniformly.
    Random,
}

impl Destroy {
    const ALL: [Destroy; 3] = [Self::AgentBased, Self::IntersectionBased, Self::Random];
}

/// What the heuristics read: the current paths and their reservations.
pub(crate) struct PlanView<'a> {
    /// The graph agents move on.
    pub graph: &'a Graph,
    /// Current path per agent.
    pub paths: &'a [Vec<VertexId>],
    /// The same paths, by vertex and time.
    pub table: &'a ReservationTable,
    /// Distance table of each agent's goal.
    pub heuristics: &'a [&'a DistanceTable],
    /// Distance from start to goal per agent.
    pub lower_bounds: &'a [u32],
}

impl PlanView<'_> {
    fn delay(&self, agent: usize) -> u64 {
        path_cost(&self.paths[agent]) - u64::from(self.lower_bounds[agent])
    }
}

/// The ALNS state: heuristic weights, the agent-based tabu list, the intersections.
#[derive(Clone, Debug)]
pub(crate) struct Neighbourhoods {
    weights: [f64; 3],
    /// Agents picked by the agent-based heuristic since the list was last cleared.
    tabu: Vec<bool>,
    tabu_count: usize,
    intersections: Vec<VertexId>,
}

impl Neighbourhoods {
    /// Equal weights, an empty tabu list, the intersections of `graph`.
    pub(crate) fn new(graph: &Graph, agent_count: usize) -> Self {
        let intersections = graph
            .vertices()
            .filter(|&v| graph.out_neighbours(v).len() >= 3)
            .collect();
        Self {
            weights: [1.0; 3],
            tabu: vec![false; agent_count],
            tabu_count: 0,
            intersections,
        }
    }

    /// Draws a heuristic by weight and builds a neighbourhood of at most `size` agents with it;
    /// falls back to random agents when the heuristic finds fewer than two.
    pub(crate) fn pick(
        &mut self,
        view: &PlanView<'_>,
        size: usize,
        rng: &mut ChaCha8Rng,
    ) -> (Destroy, Vec<AgentId>) {
        let size = size.min(view.paths.len());
        let destroy = self.draw(rng);
        let agents = match destroy {
            Destroy::AgentBased => self.agent_based(view, size, rng),
            Destroy::IntersectionBased => self.intersection_based(view, size, rng),
            Destroy::Random => Vec::new(),
        };
        if agents.len() >= 2 || size < 2 {
            return (destroy, agents);
        }
        (destroy, random_agents(view.paths.len(), size, rng))
    }

    /// Moves the weight of `destroy` towards `improvement` (the cost saved, 0 on failure).
    pub(crate) fn record(&mut self, destroy: Destroy, improvement: u64) {
        let slot = &mut self.weights[destroy as usize];
        *slot = REACTION * improvement as f64 + (1.0 - REACTION) * *slot;
    }

    fn draw(&self, rng: &mut ChaCha8Rng) -> Destroy {
        let total: f64 = self.weights.iter().sum();
        let mut ticket = rng.random::<f64>() * total;
        for destroy in Destroy::ALL {
            ticket -= self.weights[destroy as usize];
            if ticket < 0.0 {
                return destroy;
            }
        }
        Destroy::Random
    }

    /// The most delayed agent not in the tabu list, which it then joins; `None` when no agent
    /// outside the list is delayed (the list is cleared then).
    fn most_delayed(&mut self, view: &PlanView<'_>) -> Option<usize> {
        let candidate = (0..view.paths.len())
            .filter(|&agent| !self.tabu[agent])
            .max_by_key(|&agent| (view.delay(agent), std::cmp::Reverse(agent)));
        let agent = candidate.filter(|&agent| view.delay(agent) > 0);
        let Some(agent) = agent else {
            self.clear_tabu();
            return None;
        };
        self.tabu[agent] = true;
        self.tabu_count += 1;
        if self.tabu_count == self.tabu.len() {
            self.clear_tabu();
        }
        Some(agent)
    }

    fn clear_tabu(&mut self) {
        self.tabu.fill(false);
        self.tabu_count = 0;
    }

    fn agent_based(
        &mut self,
        view: &PlanView<'_>,
        size: usize,
        rng: &mut ChaCha8Rng,
    ) -> Vec<AgentId> {
        let Some(first) = self.most_delayed(view) else {
            return Vec::new();
        };
        let mut agents = vec![AgentId(first as u32)];
        random_walk(view, first, 0, size, &mut agents, rng);

        // restart from random points of the path of a random member
        let mut walker = first;
        for _ in 0..WALK_RESTARTS {
            if agents.len() >= size {
                break;
            }
            let start = rng.random_range(0..view.paths[walker].len());
            random_walk(view, walker, start, size, &mut agents, rng);
            walker = agents[rng.random_range(0..agents.len())].index();
        }
        agents
    }

    fn intersection_based(
        &mut self,
        view: &PlanView<'_>,
        size: usize,
        rng: &mut ChaCha8Rng,
    ) -> Vec<AgentId> {
        if self.intersections.is_empty() {
            return Vec::new();
        }
        let first = self.intersections[rng.random_range(0..self.intersections.len())];
        // gather a few times more agents than needed, then keep a random subset
        let gather = size.saturating_mul(4);
        let mut agents = Vec::with_capacity(gather);
        add_agents_at(view.table, first, gather, &mut agents);

        // breadth-first over the graph, taking the agents of each intersection met
        let mut seen = HashSet::from([first]);
        let mut queue = VecDeque::from([first]);
        while let Some(vertex) = queue.pop_front() {
            if agents.len() >= gather || seen.len() > INTERSECTION_SEARCH_LIMIT {
                break;
            }
            for &next in view.graph.out_neighbours(vertex) {
                if !seen.insert(next) {
                    continue;
                }
                queue.push_back(next);
                if view.graph.out_neighbours(next).len() >= 3 {
                    add_agents_at(view.table, next, gather, &mut agents);
                }
            }
        }

        if agents.len() > size {
            let keep = index::sample(rng, agents.len(), size);
            agents = keep.iter().map(|at| agents[at]).collect();
        }
        agents
    }
}

/// Walks at random from `agent`'s position at `start`, only through states from which the
/// agent could still beat its current cost, and adds every agent standing in the way (on the
/// state entered, or swapping with the move) until `agents` holds `size`.
fn random_walk(
    view: &PlanView<'_>,
    agent: usize,
    start: usize,
    size: usize,
    agents: &mut Vec<AgentId>,
    rng: &mut ChaCha8Rng,
) {
    let path = &view.paths[agent];
    let heuristic = view.heuristics[agent];
    let upper = path_cost(path) as u32;
    let mut vertex = path[start];
    let mut candidates = Vec::new();
    for time in start as u32..upper {
        candidates.clear();
        candidates.extend_from_slice(view.graph.out_neighbours(vertex));
        candidates.push(vertex);

        // a random next vertex that still leaves room for a shorter path
        let mut next = None;
        while !candidates.is_empty() {
            let at = rng.random_range(0..candidates.len());
            let candidate = candidates.swap_remove(at);
            let h = heuristic.get(candidate);
            if h != UNREACHABLE && time + 1 + h < upper {
                next = Some(candidate);
                break;
            }
        }
        let Some(next) = next else {
            return;
        };

        let table = view.table;
        let blocking = table.occupant(next, time + 1);
        let swapping = table
            .occupant(next, time)
            .filter(|&other| table.occupant(vertex, time + 1) == Some(other));
        for other in [blocking, swapping].into_iter().flatten() {
            if other.index() != agent && !agents.contains(&other) {
                agents.push(other);
            }
        }
        if agents.len() >= size {
            return;
        }
        vertex = next;
    }
}

/// Adds the agents whose paths touch `vertex` to `agents` (no repeats), up to `limit` in all.
fn add_agents_at(
    table: &ReservationTable,
    vertex: VertexId,
    limit: usize,
    agents: &mut Vec<AgentId>,
) {
    for agent in table.agents_at(vertex) {
        if agents.len() >= limit {
            return;
        }
        if !agents.contains(&agent) {
            agents.push(agent);
        }
    }
}

/// `size` distinct agents out of `agent_count`, uniformly.
fn random_agents(agent_count: usize, size: usize, rng: &mut ChaCha8Rng) -> Vec<AgentId> {
    index::sample(rng, agent_count, size.min(agent_count))
        .iter()
        .map(|agent| AgentId(agent as u32))
        .collect()
}
