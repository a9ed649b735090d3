//! Windowed improvement of a step: the next few steps of every agent planned together and
//! improved by large neighbourhood search before the first of them is played (after WPPL,
//! Jiang et al., "Scaling Lifelong Multi-Agent Path Finding to More Realistic Settings",
//! the League of Robot Runners 2023 winner).
//!
//! One PIBT step sees a single move ahead: with headings, an agent that turns toward a cell
//! another agent takes next has lost a step, and on a dense map most steps go to such turns
//! and waits. A window of [`Window::horizon`] steps is first filled by rolling PIBT forward,
//! then improved until the deadline: each iteration takes an agent that loses time in the window and a few agents
//! around it, removes their window paths, replans them one by one with space-time A* over
//! (cell, heading, step) around everyone else's paths, and keeps the new paths when their
//! summed cost went down. Only the window's first step is played.
//!
//! An agent's cost is the step at which it first reaches its goal within the window, or the
//! window's length plus its cost-to-go from where the window leaves it (the turn-aware,
//! guide-following [`Heuristic`] PIBT ranks moves by, so that the window agrees with the
//! guides beyond its end). Paths respect the LoRR rules: no two agents in a cell at a step,
//! no two agents swapping cells; following an agent into the cell it leaves is allowed.
//!
//! With two or more threads, each runs its own search from the same start with its own
//! seed, and the best window wins.
//!
//! The window is planned afresh each step; the agents that turn in it keep, as their PIBT
//! intent, the cell the window moves them into next, so the next step's rollout follows up
//! the turn. Starting instead from the last window shifted by one step (when its improved
//! cost beat the fresh rollout's, which was nearly always) finished fewer tasks than PIBT
//! alone (RANDOM-03, 200 steps: 219 against 325; fresh windows: 432): improving the sum of
//! costs step after step from its own last result lost the progress PIBT's priorities
//! guarantee.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet, VecDeque};
use std::time::Instant;

use rand::seq::SliceRandom;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::graph::{Graph, VertexId};
use crate::lorr::{Action, AgentState, Heading};

use super::heuristic::{AheadTable, Heuristic};
use super::turning::{TurnView, TurningPibt};

const NONE: u32 = u32::MAX;

/// Agents replanned together in one iteration.
const NEIGHBOURHOOD: usize = 8;
/// Most states one space-time search expands before its agent's replanning is given up.
const MAX_EXPANSIONS: usize = 20_000;
/// Agents sampled when picking the agent an iteration starts from; the one losing most wins.
const SEED_SAMPLES: usize = 4;
/// Largest search table (states of the window: cells x headings x steps x arrived) a
/// window is planned with, in entries; bigger maps go without a window.
const MAX_STATES: usize = 1 << 25;

/// The state after `action`; a forward move into a wall or off the map leaves it as is
/// (never planned: the search only moves forward where [`AheadTable::ahead`] has a cell).
fn advance(ahead: &AheadTable, state: AgentState, action: Action) -> AgentState {
    match action {
        Action::Wait => state,
        Action::Clockwise => AgentState {
            heading: state.heading.clockwise(),
            ..state
        },
        Action::CounterClockwise => AgentState {
            heading: state.heading.counter_clockwise(),
            ..state
        },
        Action::Forward => match ahead.ahead(state) {
            Some(cell) => AgentState { cell, ..state },
            None => state,
        },
    }
}

/// The action that takes `from` to `to` (one step apart in a window path).
fn action_between(from: AgentState, to: AgentState) -> Action {
    if from.cell != to.cell {
        Action::Forward
    } else if to.heading == from.heading.clockwise() {
        Action::Clockwise
    } else if to.heading == from.heading.counter_clockwise() {
        Action::CounterClockwise
    } else {
        Action::Wait
    }
}

/// The steps of a window and the settings of its search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct WindowOptions {
    /// Steps planned ahead (at least 2 to have anything to improve).
    pub horizon: usize,
    /// Search threads.
    pub threads: usize,
    /// Stop after this many iterations per thread (`None`: at the deadline); with one
    /// thread and a cap, the window is the same on every run.
    pub max_iterations: Option<u64>,
}

/// What [`Window::plan`] reads besides the planner's own state.
pub(super) struct WindowInput<'a, H: Heuristic> {
    pub view: &'a TurnView<'a, H>,
    pub ahead: &'a AheadTable,
    /// Agents by decreasing PIBT priority.
    pub order: &'a [u32],
    /// The step PIBT chose, in LoRR actions: the window's first step unless improved.
    pub first: &'a [Action],
    /// The PIBT that chose it, rolled forward (a copy) to fill the window.
    pub pibt: &'a TurningPibt,
}

/// Figures of one window, for the step's log line.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct WindowReport {
    /// Summed cost of the starting window.
    pub initial: u64,
    /// Summed cost of the window played.
    pub improved: u64,
    /// Iterations over all threads.
    pub iterations: u64,
}

/// The windowed planner: its settings (a window is planned afresh every step).
#[derive(Debug)]
pub(super) struct Window {
    options: WindowOptions,
    /// One search's buffers per thread, kept from step to step (on a city map they are
    /// tens of megabytes).
    searches: Vec<WindowSearch>,
}

impl Window {
    pub(super) fn new(options: WindowOptions) -> Self {
        let searches = (0..options.threads.max(1))
            .map(|_| WindowSearch::default())
            .collect();
        Self { options, searches }
    }

    /// Whether a window fits a map of `vertex_count` cells.
    pub(super) fn fits(&self, vertex_count: usize) -> bool {
        (self.options.horizon + 1)
            .saturating_mul(vertex_count)
            .saturating_mul(8)
            <= MAX_STATES
    }

    /// Steps planned ahead.
    pub(super) fn horizon(&self) -> usize {
        self.options.horizon
    }

    /// Plans the window, improves it until `deadline` and returns its first step, and per
    /// agent that turns in it the cell it turns toward (its next move in the window).
    pub(super) fn plan<H: Heuristic + Sync>(
        &mut self,
        input: &WindowInput<'_, H>,
        rng: &mut ChaCha8Rng,
        deadline: Instant,
    ) -> (Vec<Action>, Vec<Option<VertexId>>, WindowReport) {
        let view = input.view;
        let (graph, states) = (view.graph, view.states);
        let n = states.len();
        let horizon = self.options.horizon.max(1);
        let stride = horizon + 1;

        let mut start = Plans::new(graph.vertex_count(), n, horizon);
        self.roll_out(input, rng, &mut start.paths);
        start.cost_all(view.heuristic);
        let mut report = WindowReport::default();
        start.reserve_all();
        report.initial = start.total();

        let max_iterations = self.options.max_iterations;
        let search = |seed: u64, buffers: &mut WindowSearch, mut plans: Plans| {
            let mut lns = Lns {
                graph,
                ahead: input.ahead,
                heuristic: view.heuristic,
                states,
                rng: ChaCha8Rng::seed_from_u64(seed),
                search: buffers,
                member: vec![false; n],
                found: Vec::new(),
                queue: VecDeque::new(),
                seen: HashSet::new(),
            };
            let iterations = lns.run(&mut plans, deadline, max_iterations);
            (plans, iterations)
        };
        let results: Vec<(Plans, u64)> = if let [buffers] = self.searches.as_mut_slice() {
            vec![search(rng.next_u64(), buffers, start)]
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = self
                    .searches
                    .iter_mut()
                    .map(|buffers| {
                        let (seed, plans) = (rng.next_u64(), start.clone());
                        scope.spawn(move || search(seed, buffers, plans))
                    })
                    .collect();
                handles
                    .into_iter()
                    .filter_map(|handle| handle.join().ok())
                    .collect()
            })
        };
        report.iterations = results.iter().map(|r| r.1).sum();
        let Some((best, _)) = results.into_iter().min_by_key(|(plans, _)| plans.total()) else {
            // every worker panicked: play PIBT's step
            return (input.first.to_vec(), Vec::new(), report);
        };
        report.improved = best.total();
        let actions: Vec<Action> = (0..n)
            .map(|a| action_between(best.paths[a * stride], best.paths[a * stride + 1]))
            .collect();
        // an agent that turns now intends the cell it moves into next in the window
        let intents = (0..n)
            .map(|a| {
                let turning = matches!(actions[a], Action::Clockwise | Action::CounterClockwise);
                let path = best.path(a);
                let moves = path.windows(2).find(|pair| pair[0].cell != pair[1].cell);
                moves.filter(|_| turning).map(|pair| pair[1].cell)
            })
            .collect();
        (actions, intents, report)
    }

    /// Fills `paths` by playing `input.first` and then PIBT for the rest of the window.
    fn roll_out<H: Heuristic>(
        &self,
        input: &WindowInput<'_, H>,
        rng: &mut ChaCha8Rng,
        paths: &mut [AgentState],
    ) {
        let view = input.view;
        let stride = self.options.horizon.max(1) + 1;
        let mut now: Vec<AgentState> = view
            .states
            .iter()
            .zip(input.first)
            .map(|(&state, &action)| advance(input.ahead, state, action))
            .collect();
        for (a, (&state, &next)) in view.states.iter().zip(&now).enumerate() {
            paths[a * stride] = state;
            paths[a * stride + 1] = next;
        }
        let mut pibt = input.pibt.clone();
        for t in 2..stride {
            let step = TurnView {
                graph: view.graph,
                states: &now,
                heuristic: view.heuristic,
            };
            let actions = pibt.plan(&step, input.order, rng);
            for (a, (state, action)) in now.iter_mut().zip(actions).enumerate() {
                *state = advance(input.ahead, *state, action);
                paths[a * stride + t] = *state;
            }
        }
    }
}

/// Every agent's window path, their costs and the cells they reserve.
#[derive(Clone, Debug)]
struct Plans {
    vertex_count: usize,
    horizon: usize,
    /// Agent-major, `horizon + 1` states each, the first the agent's state now.
    paths: Vec<AgentState>,
    costs: Vec<u32>,
    /// `occupied[t * vertex_count + cell]`: the agent there at step `t`, or `NONE`.
    occupied: Vec<u32>,
}

impl Plans {
    fn new(vertex_count: usize, agents: usize, horizon: usize) -> Self {
        let placeholder = AgentState {
            cell: VertexId(0),
            heading: Heading::East,
        };
        Self {
            vertex_count,
            horizon,
            paths: vec![placeholder; agents * (horizon + 1)],
            costs: vec![0; agents],
            occupied: vec![NONE; vertex_count * (horizon + 1)],
        }
    }

    fn path(&self, agent: usize) -> &[AgentState] {
        let stride = self.horizon + 1;
        &self.paths[agent * stride..(agent + 1) * stride]
    }

    fn cost_all<H: Heuristic>(&mut self, heuristic: &H) {
        for agent in 0..self.costs.len() {
            self.costs[agent] = path_cost(heuristic, agent, self.path(agent));
        }
    }

    fn total(&self) -> u64 {
        self.costs.iter().map(|&c| u64::from(c)).sum()
    }

    fn reserve_all(&mut self) {
        for agent in 0..self.costs.len() {
            self.mark(agent, agent as u32);
        }
    }

    /// Writes `value` into the occupancy of `agent`'s path.
    fn mark(&mut self, agent: usize, value: u32) {
        let stride = self.horizon + 1;
        for t in 0..stride {
            let cell = self.paths[agent * stride + t].cell.index();
            self.occupied[t * self.vertex_count + cell] = value;
        }
    }
}

/// The cost of one window path (see the module docs).
fn path_cost<H: Heuristic>(heuristic: &H, agent: usize, path: &[AgentState]) -> u32 {
    let last = path.len() - 1;
    let mut end = 0;
    for (t, &state) in path.iter().enumerate() {
        end = heuristic.cost(agent, state);
        if end == 0 {
            return t as u32;
        }
    }
    (last as u32).saturating_add(end)
}

/// One thread's large neighbourhood search over a window.
struct Lns<'a, H: Heuristic> {
    graph: &'a Graph,
    ahead: &'a AheadTable,
    heuristic: &'a H,
    states: &'a [AgentState],
    rng: ChaCha8Rng,
    search: &'a mut WindowSearch,
    /// Per agent, whether it is in the neighbourhood being built.
    member: Vec<bool>,
    /// Buffers of [`Lns::neighbourhood`], reused across iterations.
    found: Vec<usize>,
    queue: VecDeque<VertexId>,
    seen: HashSet<VertexId>,
}

impl<H: Heuristic> Lns<'_, H> {
    /// Improves `plans` until `deadline` or `max_iterations`; returns the iterations run.
    fn run(&mut self, plans: &mut Plans, deadline: Instant, max_iterations: Option<u64>) -> u64 {
        let n = self.states.len();
        if n == 0 {
            return 0;
        }
        let best_case: Vec<u32> = (0..n)
            .map(|a| self.heuristic.cost(a, self.states[a]))
            .collect();
        let stride = plans.horizon + 1;
        let mut members = Vec::with_capacity(NEIGHBOURHOOD);
        let mut old_paths: Vec<AgentState> = Vec::with_capacity(NEIGHBOURHOOD * stride);
        let mut iterations = 0;
        while max_iterations.is_none_or(|cap| iterations < cap) && Instant::now() < deadline {
            iterations += 1;
            // the agent losing most time, among a few sampled
            let seed = (0..SEED_SAMPLES)
                .map(|_| self.rng.random_range(0..n))
                .max_by_key(|&a| plans.costs[a].saturating_sub(best_case[a]))
                .unwrap_or(0);
            if plans.costs[seed] <= best_case[seed] {
                continue;
            }
            self.neighbourhood(plans, seed, &mut members);
            members.shuffle(&mut self.rng);

            let old_cost: u64 = members.iter().map(|&a| u64::from(plans.costs[a])).sum();
            old_paths.clear();
            for &agent in &members {
                old_paths.extend_from_slice(plans.path(agent));
                plans.mark(agent, NONE);
            }
            let mut new_cost = 0u64;
            let mut replanned = 0;
            for &agent in &members {
                let Some(cost) = self.replan(plans, agent) else {
                    break;
                };
                new_cost += u64::from(cost);
                replanned += 1;
            }
            if replanned == members.len() && new_cost < old_cost {
                for &agent in &members {
                    plans.costs[agent] = path_cost(self.heuristic, agent, plans.path(agent));
                }
            } else {
                for &agent in &members[..replanned] {
                    plans.mark(agent, NONE);
                }
                for (k, &agent) in members.iter().enumerate() {
                    plans.paths[agent * stride..(agent + 1) * stride]
                        .copy_from_slice(&old_paths[k * stride..(k + 1) * stride]);
                    plans.mark(agent, agent as u32);
                }
            }
            for &agent in &members {
                self.member[agent] = false;
            }
        }
        iterations
    }

    /// `seed` and up to [`NEIGHBOURHOOD`] - 1 agents around it: either those whose window
    /// paths cross the cells around the seed's path (who is in its way), or those nearest
    /// its cell now.
    fn neighbourhood(&mut self, plans: &Plans, seed: usize, members: &mut Vec<usize>) {
        members.clear();
        members.push(seed);
        self.member[seed] = true;
        let stride = plans.horizon + 1;
        let v = plans.vertex_count;
        let found = &mut self.found;
        found.clear();
        if self.rng.random_bool(0.5) {
            for t in 0..stride {
                let cell = plans.paths[seed * stride + t].cell;
                for &near in self.graph.out_neighbours(cell).iter().chain([&cell]) {
                    for step in 0..stride {
                        let agent = plans.occupied[step * v + near.index()];
                        if agent != NONE && !self.member[agent as usize] {
                            self.member[agent as usize] = true;
                            found.push(agent as usize);
                        }
                    }
                }
            }
            found.shuffle(&mut self.rng);
            for &agent in found.iter() {
                self.member[agent] = false;
            }
            for &agent in found.iter() {
                if members.len() == NEIGHBOURHOOD {
                    break;
                }
                self.member[agent] = true;
                members.push(agent);
            }
        } else {
            // breadth-first from the seed's cell over cells, taking their agents now
            let (queue, seen) = (&mut self.queue, &mut self.seen);
            queue.clear();
            seen.clear();
            let start = self.states[seed].cell;
            queue.push_back(start);
            seen.insert(start);
            while let Some(cell) = queue.pop_front() {
                if members.len() == NEIGHBOURHOOD || seen.len() > 16 * NEIGHBOURHOOD {
                    break;
                }
                let agent = plans.occupied[cell.index()];
                if agent != NONE && !self.member[agent as usize] {
                    self.member[agent as usize] = true;
                    members.push(agent as usize);
                }
                for &next in self.graph.out_neighbours(cell) {
                    if seen.insert(next) {
                        queue.push_back(next);
                    }
                }
            }
        }
    }

    /// Replans `agent` around the reserved paths and reserves the new path; its cost, or
    /// `None` when the search found nothing within its expansion limit.
    fn replan(&mut self, plans: &mut Plans, agent: usize) -> Option<u32> {
        let stride = plans.horizon + 1;
        let (path, cost) = self.search.find(
            &Query {
                ahead: self.ahead,
                heuristic: self.heuristic,
                plans,
                agent,
                start: self.states[agent],
            },
            MAX_EXPANSIONS,
        )?;
        plans.paths[agent * stride..(agent + 1) * stride].copy_from_slice(&path);
        plans.mark(agent, agent as u32);
        Some(cost)
    }
}

/// One agent's window search.
struct Query<'a, H: Heuristic> {
    ahead: &'a AheadTable,
    heuristic: &'a H,
    plans: &'a Plans,
    agent: usize,
    start: AgentState,
}

/// A search node: a state at a step, whether the goal was reached on the way, and the cost
/// so far (the arrival step once arrived).
#[derive(Clone, Copy, Debug)]
struct Node {
    state: AgentState,
    time: u32,
    arrived: bool,
    cost: u32,
    parent: u32,
}

/// Buffers of the space-time A* over (cell, heading, step, arrived), kept between searches.
#[derive(Debug, Default)]
struct WindowSearch {
    nodes: Vec<Node>,
    heap: BinaryHeap<Reverse<(u32, Reverse<u32>, u32)>>,
    /// Per state, the search that last generated it and the best cost it had.
    stamp: Vec<u32>,
    best: Vec<u32>,
    epoch: u32,
}

impl WindowSearch {
    /// The cheapest window path for the query's agent that conflicts with no reserved path,
    /// and its cost; `None` if none was found in `limit` expansions.
    fn find<H: Heuristic>(
        &mut self,
        query: &Query<'_, H>,
        limit: usize,
    ) -> Option<(Vec<AgentState>, u32)> {
        let plans = query.plans;
        let v = plans.vertex_count;
        let horizon = plans.horizon as u32;
        let size = (plans.horizon + 1) * v * 8;
        if self.stamp.len() != size {
            self.stamp = vec![0; size];
            self.best = vec![0; size];
            self.epoch = 0;
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.stamp.fill(0);
            self.epoch = 1;
        }
        let id = |state: AgentState, time: u32, arrived: bool| {
            ((time as usize * v + state.cell.index()) * 4 + state.heading.index()) * 2
                + usize::from(arrived)
        };
        let occupied = |time: u32, cell: VertexId| plans.occupied[time as usize * v + cell.index()];
        self.nodes.clear();
        self.heap.clear();

        let h = query.heuristic.cost(query.agent, query.start);
        let arrived = h == 0;
        self.nodes.push(Node {
            state: query.start,
            time: 0,
            arrived,
            cost: 0,
            parent: NONE,
        });
        self.heap.push(Reverse((h, Reverse(0), 0)));
        let mut expansions = 0;
        while let Some(Reverse((f, _, index))) = self.heap.pop() {
            let node = self.nodes[index as usize];
            if node.time == horizon {
                return Some((self.unwind(index), f));
            }
            let slot = id(node.state, node.time, node.arrived);
            if self.stamp[slot] == self.epoch && self.best[slot] < node.cost {
                continue;
            }
            expansions += 1;
            if expansions > limit {
                return None;
            }
            let time = node.time + 1;
            for action in [
                Action::Forward,
                Action::Clockwise,
                Action::CounterClockwise,
                Action::Wait,
            ] {
                if action == Action::Forward && query.ahead.ahead(node.state).is_none() {
                    continue;
                }
                let next = advance(query.ahead, node.state, action);
                if occupied(time, next.cell) != NONE {
                    continue;
                }
                if next.cell != node.state.cell {
                    let other = occupied(node.time, next.cell);
                    if other != NONE && occupied(time, node.state.cell) == other {
                        continue;
                    }
                }
                let (arrived, cost, f) = if node.arrived {
                    (true, node.cost, node.cost)
                } else {
                    let h = query.heuristic.cost(query.agent, next);
                    (h == 0, time, time.saturating_add(h))
                };
                let slot = id(next, time, arrived);
                if self.stamp[slot] == self.epoch && self.best[slot] <= cost {
                    continue;
                }
                self.stamp[slot] = self.epoch;
                self.best[slot] = cost;
                self.nodes.push(Node {
                    state: next,
                    time,
                    arrived,
                    cost,
                    parent: index,
                });
                self.heap
                    .push(Reverse((f, Reverse(time), (self.nodes.len() - 1) as u32)));
            }
        }
        None
    }

    /// The states from the start to node `end`.
    fn unwind(&self, end: u32) -> Vec<AgentState> {
        let mut path = Vec::new();
        let mut at = end;
        while at != NONE {
            let node = self.nodes[at as usize];
            path.push(node.state);
            at = node.parent;
        }
        path.reverse();
        path
    }
}

#[cfg(test)]
mod tests {
    use maps::{Cell, GridMap};

    use super::*;
    use crate::distance::DistanceCache;
    use crate::lifelong::heuristic::GoalHeuristic;

    /// A corridor along the top row with two bays below it, at x = 0 and x = 2.
    fn corridor() -> Graph {
        Graph::from_grid(&GridMap::from_rows(&[".....", ".@.@@"]))
    }

    fn state(graph: &Graph, x: u32, y: u32, heading: Heading) -> AgentState {
        AgentState {
            cell: graph.vertex_at(Cell { x, y }).unwrap(),
            heading,
        }
    }

    /// Searches agent 0's window path from (0, 0) facing east to (4, 0), with agent 1's
    /// path reserved.
    fn search_around(other: &[AgentState]) -> Option<(Vec<AgentState>, u32)> {
        let graph = corridor();
        let ahead = AheadTable::of(&graph);
        let mut distances = DistanceCache::new();
        let goal = state(&graph, 4, 0, Heading::East).cell;
        distances.ensure(&graph, goal);
        let start = state(&graph, 0, 0, Heading::East);
        let cells = [start.cell, other[0].cell];
        let heuristic = GoalHeuristic {
            graph: &graph,
            ahead: &ahead,
            distances: &distances,
            goals: &[Some(goal), None],
            cells: &cells,
            traffic: None,
        };
        let horizon = other.len() - 1;
        let mut plans = Plans::new(graph.vertex_count(), 2, horizon);
        plans.paths[horizon + 1..].copy_from_slice(other);
        plans.mark(1, 1);
        let query = Query {
            ahead: &ahead,
            heuristic: &heuristic,
            plans: &plans,
            agent: 0,
            start,
        };
        let found = WindowSearch::default().find(&query, MAX_EXPANSIONS);
        if let Some((path, _)) = &found {
            // an independent check of the rules against the reserved path
            assert_eq!(path.len(), other.len());
            for t in 1..path.len() {
                assert_ne!(path[t].cell, other[t].cell, "vertex conflict at step {t}");
                let swapped =
                    path[t].cell == other[t - 1].cell && path[t - 1].cell == other[t].cell;
                assert!(!swapped, "swap at step {t}");
                let moved = path[t].cell != path[t - 1].cell;
                let turned = path[t].heading != path[t - 1].heading;
                assert!(!(moved && turned), "a step either moves or turns");
                if moved {
                    assert_eq!(ahead.ahead(path[t - 1]), Some(path[t].cell));
                }
            }
        }
        found
    }

    #[test]
    fn an_agent_follows_one_that_steps_aside_and_arrives() {
        let graph = corridor();
        // agent 1 turns south, steps into the bay at x = 2 and stays there
        let mut other = vec![state(&graph, 2, 0, Heading::East)];
        other.push(state(&graph, 2, 0, Heading::South));
        other.extend([state(&graph, 2, 1, Heading::South); 5]);
        let (path, cost) = search_around(&other).expect("a path exists");
        // four moves, entering (2, 0) at step 2, the moment agent 1 has left it
        assert_eq!(cost, 4);
        assert_eq!(path[4].cell, state(&graph, 4, 0, Heading::East).cell);
    }

    #[test]
    fn an_agent_blocked_for_the_whole_window_gets_as_close_as_it_can() {
        let graph = corridor();
        let other = vec![state(&graph, 2, 0, Heading::West); 7];
        let (path, cost) = search_around(&other).expect("waiting is always a path here");
        assert_eq!(
            path.last().unwrap().cell,
            state(&graph, 1, 0, Heading::East).cell
        );
        // six steps in the window, then three moves left
        assert_eq!(cost, 6 + 3);
    }

    #[test]
    fn no_swap_with_an_agent_coming_the_other_way() {
        let graph = corridor();
        // agent 1 moves from (1, 0) into agent 0's cell at step 1: agent 0, facing east,
        // could only make room by swapping with it, which the rules refuse
        let mut other = vec![state(&graph, 1, 0, Heading::West)];
        other.extend([state(&graph, 0, 0, Heading::West); 6]);
        assert!(search_around(&other).is_none());
    }
}
