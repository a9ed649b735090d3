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
//! through [`Traffic::cost`]: the moves left along the guide from a cell on it, and off it
//! the shortest distance plus the detour the guide had chosen, so that the guide is preferred
//! and leaving it is never cheaper than keeping to it.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Instant;

use crate::distance::{DistanceCache, UNREACHABLE};
use crate::graph::{Graph, VertexId};
use crate::lorr::{AgentState, Heading};

use super::heuristic::{AheadTable, FAR, turns};

/// Cost of one move, in the guide planner's fixed-point units.
const MOVE: u32 = 10;
/// Added to a move per other guide through the cell entered.
const VERTEX_USE: u32 = 3;
/// Added to a move per other guide using the same edge the other way: steep, so that
/// opposite flows separate (tuned on RANDOM-03: 25 gave 1,020-1,120 tasks where 6 gave 750).
const CONTRAFLOW: u32 = 25;

/// How far ahead along its guide an agent is looked for, in cells.
const LOOKAHEAD: usize = 3;
/// Weight of the distance estimate in the guide search (weighted A*): traffic makes the
/// true costs far above the estimate, and plain A* would expand most of a big map.
const WEIGHT: u32 = 2;
/// Most cells one guide search expands before giving up (the agent then goes without a
/// guide, on distances alone).
const MAX_EXPANSIONS: usize = 200_000;

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
    /// `edge_use[v * 4 + h]`: guides leaving `v` toward heading `h`.
    edge_use: Vec<u32>,
    /// One guide search's buffers per thread.
    scratch: Vec<Search>,
    /// Counts steps, to rotate which off-guide agents are replanned first.
    turn: usize,
}

/// The buffers of one A* guide search over (cell, heading) states.
#[derive(Debug, Default)]
struct Search {
    cost: Vec<u32>,
    parent: Vec<u32>,
    seen: Vec<u32>,
    epoch: u32,
    heap: BinaryHeap<Reverse<(u32, u32, u32)>>,
}

impl Search {
    /// A* from `start` to `goal` over (cell, heading) states: a move costs [`MOVE`] plus
    /// the traffic on its cell and edge, a quarter turn [`MOVE`]. Returns the guide's cells
    /// and, per cell, the steps left after leaving it.
    fn run(&mut self, roads: &Roads<'_>, start: AgentState, goal: VertexId) -> Option<Found> {
        let (graph, ahead) = (roads.graph, roads.ahead);
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
        if estimate(start.cell) == u32::MAX {
            return None;
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.seen.fill(0);
            self.epoch = 1;
        }
        let id = |s: AgentState| (s.cell.index() * 4 + s.heading.index()) as u32;
        let state_of = |id: u32| AgentState {
            cell: VertexId(id / 4),
            heading: Heading::ALL[(id % 4) as usize],
        };
        self.heap.clear();
        let first = id(start);
        self.seen[first as usize] = self.epoch;
        self.cost[first as usize] = 0;
        self.parent[first as usize] = u32::MAX;
        self.heap.push(Reverse((estimate(start.cell), 0, first)));
        let mut expansions = 0;
        while let Some(Reverse((_, cost, at))) = self.heap.pop() {
            if cost > self.cost[at as usize] {
                continue;
            }
            let state = state_of(at);
            if state.cell == goal {
                return Some(self.unwind(at));
            }
            expansions += 1;
            if expansions > MAX_EXPANSIONS {
                return None;
            }
            let turned =
                [state.heading.clockwise(), state.heading.counter_clockwise()].map(|heading| {
                    (
                        AgentState {
                            cell: state.cell,
                            heading,
                        },
                        MOVE,
                    )
                });
            let forward = ahead.ahead(state).map(|to| {
                let back = state.heading.clockwise().clockwise();
                let step = MOVE
                    + VERTEX_USE * roads.vertex_use[to.index()]
                    + CONTRAFLOW * roads.edge_use[to.index() * 4 + back.index()];
                (
                    AgentState {
                        cell: to,
                        heading: state.heading,
                    },
                    step,
                )
            });
            for (next, step) in turned.into_iter().chain(forward) {
                let next_id = id(next);
                let total = cost + step;
                if self.seen[next_id as usize] != self.epoch || total < self.cost[next_id as usize]
                {
                    let h = estimate(next.cell);
                    if h == u32::MAX {
                        continue;
                    }
                    self.seen[next_id as usize] = self.epoch;
                    self.cost[next_id as usize] = total;
                    self.parent[next_id as usize] = at;
                    self.heap
                        .push(Reverse((total.saturating_add(h), total, next_id)));
                }
            }
        }
        None
    }

    /// The guide's cells and steps-left from the A* parents, ending at state `end`.
    fn unwind(&self, end: u32) -> Found {
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
            let cell = VertexId(state / 4);
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

/// What a guide search reads: the map and the use counts of the other guides.
struct Roads<'a> {
    graph: &'a Graph,
    ahead: &'a AheadTable,
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

/// Quarter turns the agent at `from` needs before the first move of `cells`.
fn turns_to_leave(ahead: &AheadTable, from: AgentState, cells: &[VertexId]) -> u32 {
    match cells.get(1) {
        Some(&next) => heading_of(ahead, from.cell, next).map_or(0, |h| turns(from.heading, h)),
        None => 0,
    }
}

impl Traffic {
    /// Updates every agent's guide for the step: advances agents along theirs, and plans
    /// new ones for agents with a new goal or off their guide, until `deadline` (agents not
    /// reached go without one this step).
    pub(super) fn update(
        &mut self,
        graph: &Graph,
        ahead: &AheadTable,
        distances: &DistanceCache,
        states: &[AgentState],
        goals: &[Option<VertexId>],
        deadline: Instant,
    ) {
        let n = states.len();
        let vertex_count = graph.vertex_count();
        if self.vertex_use.len() != vertex_count || self.guides.len() != n {
            self.guides = vec![Guide::default(); n];
            self.vertex_use = vec![0; vertex_count];
            self.edge_use = vec![0; vertex_count * 4];
            let threads = std::thread::available_parallelism().map_or(1, usize::from);
            self.scratch = (0..threads.clamp(1, 8))
                .map(|_| Search {
                    cost: vec![0; vertex_count * 4],
                    parent: vec![u32::MAX; vertex_count * 4],
                    seen: vec![0; vertex_count * 4],
                    epoch: 0,
                    heap: BinaryHeap::new(),
                })
                .collect();
        }
        // agents with a new goal are planned first, then agents pushed off their guide
        // (who keep it until they get a new one)
        let mut fresh = Vec::new();
        let mut off = Vec::new();
        for (agent, state) in states.iter().enumerate() {
            if self.guides[agent].goal.is_some() && self.guides[agent].goal == goals[agent] {
                let guide = &self.guides[agent];
                let end = (guide.progress + LOOKAHEAD).min(guide.cells.len() - 1);
                let found = (guide.progress..=end).find(|&j| guide.cells[j] == state.cell);
                if let Some(j) = found {
                    for k in guide.progress..j {
                        self.forget(ahead, agent, k);
                    }
                    self.guides[agent].progress = j;
                } else {
                    off.push(agent);
                }
                continue;
            }
            self.drop_guide(ahead, agent);
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
                self.drop_guide(ahead, agent);
            }
            if batch.len() < 2 * self.scratch.len() || vertex_count < PARALLEL_MAP {
                // too few to share out, or searches too short to pay for threads: one
                // after the other, each seeing the last
                for &agent in batch {
                    let roads = Roads {
                        graph,
                        ahead,
                        distances,
                        vertex_use: &self.vertex_use,
                        edge_use: &self.edge_use,
                    };
                    let found = goals[agent]
                        .and_then(|goal| self.scratch[0].run(&roads, states[agent], goal));
                    self.adopt(ahead, distances, agent, states[agent], goals[agent], found);
                }
                continue;
            }
            let roads = Roads {
                graph,
                ahead,
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
                self.adopt(ahead, distances, agent, states[agent], goals[agent], path);
            }
        }
    }

    /// Makes a found path the agent's guide and adds it to the use counts.
    fn adopt(
        &mut self,
        ahead: &AheadTable,
        distances: &DistanceCache,
        agent: usize,
        from: AgentState,
        goal: Option<VertexId>,
        path: Option<Found>,
    ) {
        let (Some((cells, after)), Some(goal)) = (path, goal) else {
            return;
        };
        let shortest = distances
            .get(goal)
            .map_or(0, |table| table.get(from.cell).min(FAR));
        let steps = after[0] + turns_to_leave(ahead, from, &cells);
        let detour = steps.saturating_sub(shortest);
        for k in 0..cells.len() {
            self.vertex_use[cells[k].index()] += 1;
            if let Some(&next) = cells.get(k + 1)
                && let Some(heading) = heading_of(ahead, cells[k], next)
            {
                self.edge_use[cells[k].index() * 4 + heading.index()] += 1;
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
    fn forget(&mut self, ahead: &AheadTable, agent: usize, k: usize) {
        let guide = &self.guides[agent];
        let cell = guide.cells[k];
        self.vertex_use[cell.index()] -= 1;
        if let Some(&next) = guide.cells.get(k + 1)
            && let Some(heading) = heading_of(ahead, cell, next)
        {
            self.edge_use[cell.index() * 4 + heading.index()] -= 1;
        }
    }

    /// Removes an agent's guide and its use counts.
    fn drop_guide(&mut self, ahead: &AheadTable, agent: usize) {
        if self.guides[agent].goal.is_none() {
            return;
        }
        for k in self.guides[agent].progress..self.guides[agent].cells.len() {
            self.forget(ahead, agent, k);
        }
        self.guides[agent] = Guide::default();
    }

    /// The cost-to-go of `agent` from `state` along its guide: `Some` for a cell on the
    /// guide just ahead of the agent, with the turns toward the guide's next cell.
    pub(super) fn on_guide(
        &self,
        ahead: &AheadTable,
        agent: usize,
        state: AgentState,
    ) -> Option<u32> {
        let guide = self.guides.get(agent)?;
        guide.goal?;
        let last = guide.cells.len() - 1;
        let end = (guide.progress + LOOKAHEAD).min(last);
        let j = (guide.progress..=end).find(|&j| guide.cells[j] == state.cell)?;
        let turn = match guide.cells.get(j + 1) {
            Some(&next) => heading_of(ahead, state.cell, next)
                .map_or(0, |heading| turns(state.heading, heading)),
            None => 0,
        };
        Some(guide.after[j] + turn)
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
mod tests {
    use std::time::Duration;

    use maps::{Cell, GridMap};

    use super::*;

    fn at(graph: &Graph, x: u32, y: u32, heading: Heading) -> AgentState {
        AgentState {
            cell: graph.vertex_at(Cell { x, y }).unwrap(),
            heading,
        }
    }

    #[test]
    fn opposite_flows_take_different_lanes() {
        // three open rows; agent 0 drives east along the middle row, agent 1 west along
        // the same row: its guide must leave the middle row rather than meet agent 0's
        let graph = Graph::from_grid(&GridMap::from_rows(&[
            "..........",
            "..........",
            "..........",
        ]));
        let ahead = AheadTable::of(&graph);
        let mut distances = DistanceCache::new();
        let states = [
            at(&graph, 0, 1, Heading::East),
            at(&graph, 9, 1, Heading::West),
        ];
        let goals = [Some(states[1].cell), Some(states[0].cell)];
        for goal in goals.iter().flatten() {
            distances.ensure(&graph, *goal);
        }
        let mut traffic = Traffic::default();
        let deadline = Instant::now() + Duration::from_secs(60);
        traffic.update(&graph, &ahead, &distances, &states, &goals, deadline);

        let east: Vec<u32> = traffic.guides[0]
            .cells
            .iter()
            .map(|&v| graph.cell(v).unwrap().y)
            .collect();
        assert!(
            east.iter().all(|&y| y == 1),
            "the first guide is straight: {east:?}"
        );
        let west = &traffic.guides[1].cells;
        let middle = west
            .iter()
            .filter(|&&v| {
                let cell = graph.cell(v).unwrap();
                (2..8).contains(&cell.x) && cell.y == 1
            })
            .count();
        assert_eq!(middle, 0, "the second guide stays off the first one's lane");
        assert_eq!(*west.last().unwrap(), states[0].cell);
        // its cost from the start counts the detour's turns: more than the 9 moves
        assert!(traffic.guides[1].after[0] > 9);
    }

    #[test]
    fn an_agent_advances_along_its_guide_and_its_use_is_forgotten() {
        let graph = Graph::from_grid(&GridMap::from_rows(&["......"]));
        let ahead = AheadTable::of(&graph);
        let mut distances = DistanceCache::new();
        let start = at(&graph, 0, 0, Heading::East);
        let goal = graph.vertex_at(Cell { x: 5, y: 0 }).unwrap();
        distances.ensure(&graph, goal);
        let mut traffic = Traffic::default();
        let deadline = Instant::now() + Duration::from_secs(60);
        traffic.update(
            &graph,
            &ahead,
            &distances,
            &[start],
            &[Some(goal)],
            deadline,
        );
        assert_eq!(traffic.vertex_use.iter().sum::<u32>(), 6);
        assert_eq!(traffic.on_guide(&ahead, 0, start), Some(5));

        let moved = at(&graph, 2, 0, Heading::East);
        traffic.update(
            &graph,
            &ahead,
            &distances,
            &[moved],
            &[Some(goal)],
            deadline,
        );
        assert_eq!(traffic.guides[0].progress, 2);
        assert_eq!(traffic.vertex_use.iter().sum::<u32>(), 4);
        assert_eq!(traffic.on_guide(&ahead, 0, moved), Some(3));
        // facing back costs two quarter turns more
        let turned = at(&graph, 2, 0, Heading::West);
        assert_eq!(traffic.on_guide(&ahead, 0, turned), Some(5));

        // a new goal drops the guide and its counts before planning the next
        traffic.update(&graph, &ahead, &distances, &[moved], &[None], deadline);
        assert_eq!(traffic.vertex_use.iter().sum::<u32>(), 0);
        assert_eq!(traffic.edge_use.iter().sum::<u32>(), 0);
    }
}
