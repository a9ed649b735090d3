//! Traffic-aware guide paths: each agent's route to its goal, priced by the routes of all
//! the others, so that crowds spread and opposite flows keep to different lanes.
//!
//! On a dense map most of a PIBT agent's lost steps come from meeting agents head on: one
//! of them must back off or turn, and with a heading every turn is a step. Following
//! Chen et al., "Traffic Flow Optimisation for Lifelong Multi-Agent Path Finding" (AAAI
//! 2024), each agent plans its guide path with A* over edge costs that grow with the guide
//! paths already using the cells and, more steeply, with those using the edge the other
//! way (contraflow). Routes that go against a flow become dearer than a small detour, and
//! the guides settle into one-way streets without any being drawn on the map.
//!
//! A guide is kept while its agent follows it (the part behind the agent no longer counts)
//! and replanned when the goal changes or the agent is pushed off it. PIBT reads guides
//! through [`Traffic::on_guide`] and [`Traffic::detour`]: the moves left along the guide from
//! a cell on it, and off it the shortest distance plus the detour the guide had chosen, so
//! that the guide is preferred and leaving it is never cheaper than keeping to it.
//!
//! The search runs over the states of a [`Motion`] model, which says what a step is:
//! - [`GridMotion`], LoRR agents with a heading: a state is (cell, heading), a step is a
//!   move forward or a quarter turn, and the counted edges are (cell, heading) pairs;
//! - [`GraphMotion`], vehicles on any directed graph (the yard's one-way lanes): a state is
//!   a vertex, a step is a move along an out-edge, the counted edges are the graph's directed
//!   edges, and contraflow is the use of the reverse edge where one exists. No heading is
//!   modelled: a yard AGV drives its lanes in their direction and turns while it drives.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Instant;

use crate::distance::{DistanceCache, UNREACHABLE};
use crate::graph::{Graph, VertexId};
use crate::lorr::{AgentState, Heading};

use super::heuristic::{AheadTable, FAR, turns};

/// Cost of one move, in the guide planner's fixed-point units.
const MOVE: u32 = 10;

/// The LoRR grid's traffic weights (tuned on RANDOM-03: a contraflow weight of 25 gave
/// 1,020-1,120 tasks where 6 gave 750).
const GRID_WEIGHTS: TrafficWeights = TrafficWeights {
    vertex_use: 3,
    contraflow: 25,
};

/// How far ahead along its guide an agent is looked for, in cells.
const LOOKAHEAD: usize = 3;
/// Weight of the distance estimate in the guide search (weighted A*): traffic makes the
/// true costs far above the estimate, and plain A* would expand most of a big map.
const WEIGHT: u32 = 2;
/// Most cells one guide search expands before giving up (the agent then goes without a
/// guide, on distances alone).
const MAX_EXPANSIONS: usize = 200_000;

/// What the other guides add to the cost of a move, in the units where a move costs 10.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrafficWeights {
    /// Added per other guide through the vertex entered.
    pub vertex_use: u32,
    /// Added per other guide using the same edge the other way: steep, so that opposite
    /// flows separate.
    pub contraflow: u32,
}

/// One step of a guide search from a state.
#[derive(Clone, Copy, Debug)]
pub(super) enum Step {
    /// A turn in place: costs a move, meets no traffic.
    Turn,
    /// A move into vertex `to`; `contra` is the counted edge that goes the other way, if
    /// there is one.
    Move { to: VertexId, contra: Option<usize> },
}

/// How agents move, as the guide search sees them: the states a guide passes through, the
/// steps between them, and the directed edges whose use is counted. Ids of states and
/// counted edges are dense, below [`Motion::state_count`] and [`Motion::edge_slots`].
pub(super) trait Motion: Sync {
    /// Where an agent is, as far as moving on goes.
    type State: Copy + Send + Sync;

    /// How many search states `graph` has.
    fn state_count(&self, graph: &Graph) -> usize;
    /// How many counted edges `graph` has.
    fn edge_slots(&self, graph: &Graph) -> usize;
    /// The traffic weights of this kind of map.
    fn weights(&self) -> TrafficWeights;
    /// The id of a state.
    fn id(&self, state: Self::State) -> u32;
    /// The state of an id.
    fn state(&self, id: u32) -> Self::State;
    /// The vertex an agent in `state` stands on.
    fn vertex(&self, state: Self::State) -> VertexId;
    /// Calls `visit` with each step from `state` and the state it leads to, in a fixed order.
    fn successors(&self, state: Self::State, visit: impl FnMut(Self::State, Step));
    /// The counted edge of the move from `from` to its out-neighbour `to`.
    fn edge(&self, from: VertexId, to: VertexId) -> Option<usize>;
    /// Steps an agent in `from` takes, besides the moves, before the first move of `cells`
    /// (which starts at its vertex).
    fn turns_to_leave(&self, from: Self::State, cells: &[VertexId]) -> u32;
}

/// LoRR agents with a heading on a grid: states are (cell, heading).
#[derive(Clone, Copy)]
pub(super) struct GridMotion<'a>(pub &'a AheadTable);

impl Motion for GridMotion<'_> {
    type State = AgentState;

    fn state_count(&self, graph: &Graph) -> usize {
        graph.vertex_count() * 4
    }

    fn edge_slots(&self, graph: &Graph) -> usize {
        graph.vertex_count() * 4
    }

    fn weights(&self) -> TrafficWeights {
        GRID_WEIGHTS
    }

    #[inline]
    fn id(&self, state: AgentState) -> u32 {
        (state.cell.index() * 4 + state.heading.index()) as u32
    }

    #[inline]
    fn state(&self, id: u32) -> AgentState {
        AgentState {
            cell: VertexId(id / 4),
            heading: Heading::ALL[(id % 4) as usize],
        }
    }

    #[inline]
    fn vertex(&self, state: AgentState) -> VertexId {
        state.cell
    }

    fn successors(&self, state: AgentState, mut visit: impl FnMut(AgentState, Step)) {
        for heading in [state.heading.clockwise(), state.heading.counter_clockwise()] {
            let cell = state.cell;
            visit(AgentState { cell, heading }, Step::Turn);
        }
        if let Some(to) = self.0.ahead(state) {
            // the edge back from the cell entered: grids have every edge both ways
            let back = state.heading.clockwise().clockwise();
            let contra = Some(to.index() * 4 + back.index());
            let heading = state.heading;
            visit(AgentState { cell: to, heading }, Step::Move { to, contra });
        }
    }

    fn edge(&self, from: VertexId, to: VertexId) -> Option<usize> {
        heading_of(self.0, from, to).map(|heading| from.index() * 4 + heading.index())
    }

    fn turns_to_leave(&self, from: AgentState, cells: &[VertexId]) -> u32 {
        match cells.get(1) {
            Some(&next) => {
                heading_of(self.0, from.cell, next).map_or(0, |h| turns(from.heading, h))
            }
            None => 0,
        }
    }
}

/// Vehicles without a heading on a directed graph: states are vertices, counted edges are
/// the graph's directed edges (a copy of its adjacency, so that it needs no graph at hand).
#[derive(Clone, Debug)]
pub(super) struct GraphMotion {
    /// The out-edges of vertex `v` are `targets[offsets[v]..offsets[v + 1]]`.
    offsets: Vec<u32>,
    targets: Vec<VertexId>,
    /// The reverse of each edge, or `u32::MAX` where the graph has none.
    reverse: Vec<u32>,
    weights: TrafficWeights,
}

impl GraphMotion {
    /// The model of `graph`, with `weights` for the traffic.
    pub(super) fn of(graph: &Graph, weights: TrafficWeights) -> Self {
        let mut offsets = Vec::with_capacity(graph.vertex_count() + 1);
        let mut targets = Vec::with_capacity(graph.edge_count());
        offsets.push(0);
        for v in graph.vertices() {
            targets.extend_from_slice(graph.out_neighbours(v));
            offsets.push(targets.len() as u32);
        }
        let mut model = Self {
            offsets,
            targets,
            reverse: Vec::new(),
            weights,
        };
        model.reverse = graph
            .edges()
            .map(|(from, to)| model.edge(to, from).map_or(u32::MAX, |e| e as u32))
            .collect();
        model
    }

    /// Whether the model was built for a graph of `graph`'s vertex and edge counts.
    pub(super) fn fits(&self, graph: &Graph) -> bool {
        self.offsets.len() == graph.vertex_count() + 1 && self.targets.len() == graph.edge_count()
    }

    /// The out-edges of `v`: their first counted edge and their targets.
    #[inline]
    fn out(&self, v: VertexId) -> (usize, &[VertexId]) {
        let (start, end) = (self.offsets[v.index()], self.offsets[v.index() + 1]);
        (start as usize, &self.targets[start as usize..end as usize])
    }
}

impl Motion for GraphMotion {
    type State = VertexId;

    fn state_count(&self, graph: &Graph) -> usize {
        graph.vertex_count()
    }

    fn edge_slots(&self, _graph: &Graph) -> usize {
        self.targets.len()
    }

    fn weights(&self) -> TrafficWeights {
        self.weights
    }

    #[inline]
    fn id(&self, state: VertexId) -> u32 {
        state.0
    }

    #[inline]
    fn state(&self, id: u32) -> VertexId {
        VertexId(id)
    }

    #[inline]
    fn vertex(&self, state: VertexId) -> VertexId {
        state
    }

    fn successors(&self, state: VertexId, mut visit: impl FnMut(VertexId, Step)) {
        let (first, targets) = self.out(state);
        for (k, &to) in targets.iter().enumerate() {
            let reverse = self.reverse[first + k];
            let contra = (reverse != u32::MAX).then_some(reverse as usize);
            visit(to, Step::Move { to, contra });
        }
    }

    fn edge(&self, from: VertexId, to: VertexId) -> Option<usize> {
        let (first, targets) = self.out(from);
        targets.iter().position(|&t| t == to).map(|k| first + k)
    }

    fn turns_to_leave(&self, _from: VertexId, _cells: &[VertexId]) -> u32 {
        0
    }
}

/// One agent's guide.
#[derive(Clone, Debug, Default)]
struct Guide {
    /// The goal it leads to; `None` when the agent has no guide.
    goal: Option<VertexId>,
    /// The cells from where it was planned to the goal.
    cells: Vec<VertexId>,
    /// Index in `cells` of the agent's cell.
    progress: usize,
    /// `after[j]`: steps (moves and quarter turns) from leaving `cells[j]` toward
    /// `cells[j + 1]` to the goal, counting that move; 0 at the goal.
    after: Vec<u32>,
    /// Steps along the guide from its start less the shortest distance from there.
    detour: u32,
}

/// Every agent's guide and the use counts they add up to.
#[derive(Debug, Default)]
pub(super) struct Traffic {
    guides: Vec<Guide>,
    /// Guides through each cell, from their agents' positions on.
    vertex_use: Vec<u32>,
    /// Guides using each counted edge of the motion model (on a grid, `edge_use[v * 4 + h]`:
    /// guides leaving `v` toward heading `h`).
    edge_use: Vec<u32>,
    /// One guide search's buffers per thread.
    scratch: Vec<Search>,
    /// Counts steps, to rotate which off-guide agents are replanned first.
    turn: usize,
}

/// The buffers of one A* guide search over the states of a motion model.
#[derive(Debug, Default)]
struct Search {
    cost: Vec<u32>,
    parent: Vec<u32>,
    seen: Vec<u32>,
    epoch: u32,
    heap: BinaryHeap<Reverse<(u32, u32, u32)>>,
}

impl Search {
    /// A* from `start` to `goal` over the model's states: a move costs [`MOVE`] plus the
    /// traffic on its cell and edge, a quarter turn [`MOVE`]. Returns the guide's cells and,
    /// per cell, the steps left after leaving it.
    fn run<M: Motion>(
        &mut self,
        roads: &Roads<'_, M>,
        start: M::State,
        goal: VertexId,
    ) -> Option<Found> {
        let (graph, model) = (roads.graph, roads.model);
        let weights = model.weights();
        let table = roads.distances.get(goal);
        let estimate = |v: VertexId| -> u32 {
            match table {
                Some(table) => match table.get(v) {
                    UNREACHABLE => u32::MAX,
                    d => d.saturating_mul(MOVE * WEIGHT),
                },
                None => super::assign::manhattan(graph, v, goal).saturating_mul(MOVE * WEIGHT),
            }
        };
        let start_vertex = model.vertex(start);
        if estimate(start_vertex) == u32::MAX {
            return None;
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.seen.fill(0);
            self.epoch = 1;
        }
        self.heap.clear();
        let first = model.id(start);
        self.seen[first as usize] = self.epoch;
        self.cost[first as usize] = 0;
        self.parent[first as usize] = u32::MAX;
        self.heap.push(Reverse((estimate(start_vertex), 0, first)));
        let mut expansions = 0;
        while let Some(Reverse((_, cost, at))) = self.heap.pop() {
            if cost > self.cost[at as usize] {
                continue;
            }
            let state = model.state(at);
            if model.vertex(state) == goal {
                return Some(self.unwind(model, at));
            }
            expansions += 1;
            if expansions > MAX_EXPANSIONS {
                return None;
            }
            model.successors(state, |next, step| {
                let step = match step {
                    Step::Turn => MOVE,
                    Step::Move { to, contra } => {
                        MOVE + weights.vertex_use * roads.vertex_use[to.index()]
                            + contra.map_or(0, |e| weights.contraflow * roads.edge_use[e])
                    }
                };
                let next_id = model.id(next);
                let total = cost + step;
                if self.seen[next_id as usize] != self.epoch || total < self.cost[next_id as usize]
                {
                    let h = estimate(model.vertex(next));
                    if h == u32::MAX {
                        return;
                    }
                    self.seen[next_id as usize] = self.epoch;
                    self.cost[next_id as usize] = total;
                    self.parent[next_id as usize] = at;
                    self.heap
                        .push(Reverse((total.saturating_add(h), total, next_id)));
                }
            });
        }
        None
    }

    /// The guide's cells and steps-left from the A* parents, ending at state `end`.
    fn unwind<M: Motion>(&self, model: &M, end: u32) -> Found {
        let mut states = vec![end];
        let mut at = end;
        while self.parent[at as usize] != u32::MAX {
            at = self.parent[at as usize];
            states.push(at);
        }
        states.reverse();
        // steps left from each state; keep, per cell, the state that leaves it
        let total = states.len() - 1;
        let mut cells: Vec<VertexId> = Vec::new();
        let mut after: Vec<u32> = Vec::new();
        for (k, &state) in states.iter().enumerate() {
            let cell = model.vertex(model.state(state));
            if cells.last() == Some(&cell) {
                *after.last_mut().expect("a cell has its entry") = (total - k) as u32;
            } else {
                cells.push(cell);
                after.push((total - k) as u32);
            }
        }
        (cells, after)
    }
}

/// What a guide search reads: the map, its motion model and the use counts of the other
/// guides.
struct Roads<'a, M> {
    graph: &'a Graph,
    model: &'a M,
    distances: &'a DistanceCache,
    vertex_use: &'a [u32],
    edge_use: &'a [u32],
}

/// A guide found: its cells and, per cell, the steps left after leaving it.
type Found = (Vec<VertexId>, Vec<u32>);

/// Guides planned in parallel per batch: enough to amortise starting the threads, few
/// enough that guides of one batch rarely cross without seeing each other.
const BATCH: usize = 32;

/// Maps of fewer cells plan guides on one thread: their searches take microseconds, and
/// guides planned one after the other each see the previous ones.
const PARALLEL_MAP: usize = 16_384;

/// The heading of the move from `from` to its neighbour `to`.
fn heading_of(ahead: &AheadTable, from: VertexId, to: VertexId) -> Option<Heading> {
    Heading::ALL.into_iter().find(|&heading| {
        ahead.ahead(AgentState {
            cell: from,
            heading,
        }) == Some(to)
    })
}

impl Traffic {
    /// Updates every LoRR agent's guide for the step (see [`Traffic::update_with`]).
    pub(super) fn update(
        &mut self,
        graph: &Graph,
        ahead: &AheadTable,
        distances: &DistanceCache,
        states: &[AgentState],
        goals: &[Option<VertexId>],
        deadline: Instant,
    ) {
        let model = GridMotion(ahead);
        self.update_with(graph, &model, distances, states, goals, deadline);
    }

    /// Updates every agent's guide for the step: advances agents along theirs, and plans
    /// new ones for agents with a new goal or off their guide, until `deadline` (agents not
    /// reached go without one this step).
    pub(super) fn update_with<M: Motion>(
        &mut self,
        graph: &Graph,
        model: &M,
        distances: &DistanceCache,
        states: &[M::State],
        goals: &[Option<VertexId>],
        deadline: Instant,
    ) {
        let n = states.len();
        let vertex_count = graph.vertex_count();
        let (state_count, edge_slots) = (model.state_count(graph), model.edge_slots(graph));
        if self.vertex_use.len() != vertex_count
            || self.edge_use.len() != edge_slots
            || self.guides.len() != n
        {
            self.guides = vec![Guide::default(); n];
            self.vertex_use = vec![0; vertex_count];
            self.edge_use = vec![0; edge_slots];
            let threads = std::thread::available_parallelism().map_or(1, usize::from);
            self.scratch = (0..threads.clamp(1, 8))
                .map(|_| Search {
                    cost: vec![0; state_count],
                    parent: vec![u32::MAX; state_count],
                    seen: vec![0; state_count],
                    epoch: 0,
                    heap: BinaryHeap::new(),
                })
                .collect();
        }
        // agents with a new goal are planned first, then agents pushed off their guide
        // (who keep it until they get a new one)
        let mut fresh = Vec::new();
        let mut off = Vec::new();
        for (agent, &state) in states.iter().enumerate() {
            if self.guides[agent].goal.is_some() && self.guides[agent].goal == goals[agent] {
                let guide = &self.guides[agent];
                let end = (guide.progress + LOOKAHEAD).min(guide.cells.len() - 1);
                let cell = model.vertex(state);
                let found = (guide.progress..=end).find(|&j| guide.cells[j] == cell);
                if let Some(j) = found {
                    for k in guide.progress..j {
                        self.forget(model, agent, k);
                    }
                    self.guides[agent].progress = j;
                } else {
                    off.push(agent);
                }
                continue;
            }
            self.drop_guide(model, agent);
            if goals[agent].is_some() {
                fresh.push(agent);
            }
        }
        // the off-guide agents are served in turns from a rotating start, so that all of
        // them are replanned within a few steps when the budget is short
        if !off.is_empty() {
            let start = self.turn % off.len();
            off.rotate_left(start);
            self.turn = self.turn.wrapping_add(1);
        }
        let queue: Vec<usize> = fresh.into_iter().chain(off).collect();
        for batch in queue.chunks(BATCH) {
            if Instant::now() >= deadline {
                break;
            }
            for &agent in batch {
                self.drop_guide(model, agent);
            }
            if batch.len() < 2 * self.scratch.len() || vertex_count < PARALLEL_MAP {
                // too few to share out, or searches too short to pay for threads: one
                // after the other, each seeing the last
                for &agent in batch {
                    let roads = Roads {
                        graph,
                        model,
                        distances,
                        vertex_use: &self.vertex_use,
                        edge_use: &self.edge_use,
                    };
                    let found = goals[agent]
                        .and_then(|goal| self.scratch[0].run(&roads, states[agent], goal));
                    self.adopt(model, distances, agent, states[agent], goals[agent], found);
                }
                continue;
            }
            let roads = Roads {
                graph,
                model,
                distances,
                vertex_use: &self.vertex_use,
                edge_use: &self.edge_use,
            };
            let plan = |search: &mut Search, agents: &[usize]| -> Vec<(usize, Option<Found>)> {
                agents
                    .iter()
                    .map(|&agent| {
                        let found =
                            goals[agent].and_then(|goal| search.run(&roads, states[agent], goal));
                        (agent, found)
                    })
                    .collect()
            };
            let share = batch.len().div_ceil(self.scratch.len()).max(1);
            let found: Vec<(usize, Option<Found>)> = std::thread::scope(|scope| {
                let workers: Vec<_> = self
                    .scratch
                    .iter_mut()
                    .zip(batch.chunks(share))
                    .map(|(search, agents)| scope.spawn(|| plan(search, agents)))
                    .collect();
                workers
                    .into_iter()
                    .flat_map(|worker| worker.join().expect("a guide search does not panic"))
                    .collect()
            });
            for (agent, path) in found {
                self.adopt(model, distances, agent, states[agent], goals[agent], path);
            }
        }
    }

    /// Makes a found path the agent's guide and adds it to the use counts.
    fn adopt<M: Motion>(
        &mut self,
        model: &M,
        distances: &DistanceCache,
        agent: usize,
        from: M::State,
        goal: Option<VertexId>,
        path: Option<Found>,
    ) {
        let (Some((cells, after)), Some(goal)) = (path, goal) else {
            return;
        };
        let shortest = distances
            .get(goal)
            .map_or(0, |table| table.get(model.vertex(from)).min(FAR));
        let steps = after[0] + model.turns_to_leave(from, &cells);
        let detour = steps.saturating_sub(shortest);
        for k in 0..cells.len() {
            self.vertex_use[cells[k].index()] += 1;
            if let Some(&next) = cells.get(k + 1)
                && let Some(edge) = model.edge(cells[k], next)
            {
                self.edge_use[edge] += 1;
            }
        }
        self.guides[agent] = Guide {
            goal: Some(goal),
            cells,
            after,
            progress: 0,
            detour,
        };
    }

    /// Takes the guide's cell `k` (and its outgoing edge) out of the use counts.
    fn forget<M: Motion>(&mut self, model: &M, agent: usize, k: usize) {
        let guide = &self.guides[agent];
        let cell = guide.cells[k];
        self.vertex_use[cell.index()] -= 1;
        if let Some(&next) = guide.cells.get(k + 1)
            && let Some(edge) = model.edge(cell, next)
        {
            self.edge_use[edge] -= 1;
        }
    }

    /// Removes an agent's guide and its use counts.
    fn drop_guide<M: Motion>(&mut self, model: &M, agent: usize) {
        if self.guides[agent].goal.is_none() {
            return;
        }
        for k in self.guides[agent].progress..self.guides[agent].cells.len() {
            self.forget(model, agent, k);
        }
        self.guides[agent] = Guide::default();
    }

    /// The cost-to-go of a LoRR agent along its guide (see [`Traffic::on_guide_with`]).
    pub(super) fn on_guide(
        &self,
        ahead: &AheadTable,
        agent: usize,
        state: AgentState,
    ) -> Option<u32> {
        self.on_guide_with(&GridMotion(ahead), agent, state)
    }

    /// The cost-to-go of `agent` from `state` along its guide: `Some` for a cell on the
    /// guide just ahead of the agent, with the turns toward the guide's next cell.
    pub(super) fn on_guide_with<M: Motion>(
        &self,
        model: &M,
        agent: usize,
        state: M::State,
    ) -> Option<u32> {
        let guide = self.guides.get(agent)?;
        guide.goal?;
        let last = guide.cells.len() - 1;
        let end = (guide.progress + LOOKAHEAD).min(last);
        let cell = model.vertex(state);
        let j = (guide.progress..=end).find(|&j| guide.cells[j] == cell)?;
        Some(guide.after[j] + model.turns_to_leave(state, &guide.cells[j..]))
    }

    /// The detour the agent's guide takes over a shortest path (0 without a guide): added
    /// to the distance of cells off the guide.
    pub(super) fn detour(&self, agent: usize) -> u32 {
        self.guides
            .get(agent)
            .filter(|g| g.goal.is_some())
            .map_or(0, |g| g.detour)
    }
}

#[cfg(test)]
mod tests;
