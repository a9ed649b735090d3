//! PIBT for agents with a heading: one step of moves chosen on cells, then turned into
//! LoRR actions (forward, quarter turns, wait).
//!
//! PIBT decides a next cell per agent as usual (priority inheritance, backtracking, pushed
//! agents may go any way), a candidate's cost being the [`Heuristic`] of the agent after
//! turning toward it and moving: quarter turns plus moves to the goal plus the turns still
//! needed there. A move is then real only for an agent already facing its next cell; any
//! other agent turns toward it and stays, and an agent planned into the cell of one that
//! stays must stay too (the chain is followed to its end).
//!
//! Two details keep agents from turning back and forth, which costs LoRR robots a step per
//! quarter turn:
//! - an agent that turned toward a cell keeps it as its *intent*; other agents rank that
//!   cell after equally good ones, so the turn is usually followed by the move;
//! - an agent that waits keeps its heading when it faces a cell one move closer to its
//!   goal, and otherwise turns toward the nearest such cell.
//!
//! Planning on cells rather than on (cell, heading) states keeps PIBT's ability to push an
//! agent sideways or back: on states a pushed agent could only leave forward, and two agents
//! facing each other in a corridor would wait for ever.

use rand::RngCore;
use rand_chacha::ChaCha8Rng;

use crate::graph::{Graph, VertexId};
use crate::lorr::{Action, AgentState, Heading};

use super::heuristic::{FAR, Heuristic, turns};

const NONE: u32 = u32::MAX;

/// Buffers for planning steps, reused so that a step allocates little, and the agents'
/// intents, carried from step to step.
#[derive(Clone, Debug, Default)]
pub(super) struct TurningPibt {
    occupied_now: Vec<u32>,
    occupied_next: Vec<u32>,
    next: Vec<VertexId>,
    decided: Vec<bool>,
    candidates: Vec<(u64, VertexId)>,
    stays: Vec<u32>,
    /// Per agent, the cell it turned toward last step, or `NONE`.
    intent: Vec<u32>,
    /// Per cell, the agent whose intent it is, or `NONE`.
    intended_by: Vec<u32>,
}

/// What one step reads.
pub(super) struct TurnView<'a, H: Heuristic> {
    pub graph: &'a Graph,
    pub states: &'a [AgentState],
    pub heuristic: &'a H,
}

/// The heading that faces `to` from `from` (neighbouring cells).
fn heading_towards(graph: &Graph, from: VertexId, to: VertexId) -> Heading {
    let (a, b) = (
        graph.cell(from).expect("LoRR graphs are grids"),
        graph.cell(to).expect("LoRR graphs are grids"),
    );
    match (
        i64::from(b.x) - i64::from(a.x),
        i64::from(b.y) - i64::from(a.y),
    ) {
        (1, _) => Heading::East,
        (-1, _) => Heading::West,
        (_, 1) => Heading::South,
        _ => Heading::North,
    }
}

/// The turn that brings `from` closer to `to`.
fn turn_towards(from: Heading, to: Heading) -> Action {
    match (to.index() + 4 - from.index()) % 4 {
        0 => Action::Wait,
        3 => Action::CounterClockwise,
        _ => Action::Clockwise,
    }
}

impl TurningPibt {
    /// Plans one step for every agent: returns their actions. `order` lists agents by
    /// decreasing priority, each once.
    pub(super) fn plan<H: Heuristic>(
        &mut self,
        view: &TurnView<'_, H>,
        order: &[u32],
        rng: &mut ChaCha8Rng,
    ) -> Vec<Action> {
        let n = view.states.len();
        let vertex_count = view.graph.vertex_count();
        if self.occupied_now.len() != vertex_count || self.intent.len() != n {
            self.occupied_now = vec![NONE; vertex_count];
            self.occupied_next = vec![NONE; vertex_count];
            self.intended_by = vec![NONE; vertex_count];
            self.intent = vec![NONE; n];
        }
        self.next.clear();
        self.next.extend(view.states.iter().map(|s| s.cell));
        self.decided.clear();
        self.decided.resize(n, false);
        for (agent, state) in view.states.iter().enumerate() {
            self.occupied_now[state.cell.index()] = agent as u32;
        }

        for &agent in order {
            if !self.decided[agent as usize] {
                self.push(view, agent as usize, rng);
            }
        }

        let actions = self.actions_of_moves(view);
        for (state, next) in view.states.iter().zip(&self.next) {
            self.occupied_now[state.cell.index()] = NONE;
            self.occupied_next[next.index()] = NONE;
        }
        actions
    }

    /// Replaces the intents recorded by the last [`TurningPibt::plan`] (whose step was not
    /// played as planned): `intents[agent]` is the cell the agent turned toward, if any.
    pub(super) fn set_intents(&mut self, intents: &[Option<VertexId>]) {
        for (agent, intent) in intents.iter().enumerate() {
            if let Some(slot) = self.intended_by.get_mut(self.intent[agent] as usize) {
                *slot = NONE;
            }
            self.intent[agent] = NONE;
            if let Some(cell) = intent {
                self.intent[agent] = cell.0;
                self.intended_by[cell.index()] = agent as u32;
            }
        }
    }

    /// The sort key of `agent` going to `to` (smaller is better).
    fn key<H: Heuristic>(
        &self,
        view: &TurnView<'_, H>,
        agent: usize,
        to: VertexId,
        rng: &mut ChaCha8Rng,
    ) -> u64 {
        let state = view.states[agent];
        let (cost, rank) = if to == state.cell {
            (view.heuristic.cost(agent, state).saturating_add(1), 2)
        } else {
            let heading = heading_towards(view.graph, state.cell, to);
            let there = view.heuristic.cost(agent, AgentState { cell: to, heading });
            let cost = there.saturating_add(1 + turns(state.heading, heading));
            let taken = self.intended_by[to.index()];
            (cost, u64::from(taken != NONE && taken as usize != agent))
        };
        (u64::from(cost.min(FAR)) << 34) | (rank << 32) | u64::from(rng.next_u32())
    }

    /// PIBT's decision for `agent`, pushing occupants first; whether it secured a cell other
    /// than by falling back to its own.
    fn push<H: Heuristic>(
        &mut self,
        view: &TurnView<'_, H>,
        agent: usize,
        rng: &mut ChaCha8Rng,
    ) -> bool {
        self.decided[agent] = true;
        let from = view.states[agent].cell;
        let start = self.candidates.len();
        for &to in view.graph.out_neighbours(from).iter().chain([&from]) {
            let key = self.key(view, agent, to, rng);
            self.candidates.push((key, to));
        }
        self.candidates[start..].sort_unstable_by_key(|&(key, _)| key);

        for index in start..self.candidates.len() {
            let to = self.candidates[index].1;
            if self.occupied_next[to.index()] != NONE {
                continue;
            }
            let occupant = self.occupied_now[to.index()];
            // no swap with an agent that already chose to come here
            if occupant != NONE
                && occupant as usize != agent
                && self.decided[occupant as usize]
                && self.next[occupant as usize] == from
            {
                continue;
            }
            self.occupied_next[to.index()] = agent as u32;
            self.next[agent] = to;
            if occupant != NONE
                && occupant as usize != agent
                && !self.decided[occupant as usize]
                && !self.push(view, occupant as usize, rng)
            {
                continue;
            }
            self.candidates.truncate(start);
            return true;
        }
        self.candidates.truncate(start);
        self.occupied_next[from.index()] = agent as u32;
        self.next[agent] = from;
        false
    }

    /// Turns the chosen cells into actions: moves for agents facing their cell, turns for
    /// the others, and waits down every chain into the cell of an agent that stays. Records
    /// the intents for the next step.
    fn actions_of_moves<H: Heuristic>(&mut self, view: &TurnView<'_, H>) -> Vec<Action> {
        let n = view.states.len();
        let mut actions = vec![Action::Wait; n];
        for agent in 0..n {
            if let Some(slot) = self.intended_by.get_mut(self.intent[agent] as usize) {
                *slot = NONE;
            }
            self.intent[agent] = NONE;
        }
        self.stays.clear();
        for (agent, (state, &next)) in view.states.iter().zip(&self.next).enumerate() {
            if next == state.cell {
                self.stays.push(agent as u32);
                continue;
            }
            let facing = heading_towards(view.graph, state.cell, next);
            if facing == state.heading {
                actions[agent] = Action::Forward;
            } else {
                actions[agent] = turn_towards(state.heading, facing);
                self.stays.push(agent as u32);
                self.intent[agent] = next.0;
                self.intended_by[next.index()] = agent as u32;
            }
        }
        // whoever planned to enter the cell of an agent that stays must stay as well
        let mut index = 0;
        while let Some(&stayer) = self.stays.get(index) {
            index += 1;
            let cell = view.states[stayer as usize].cell;
            let entering = self.occupied_next[cell.index()];
            if entering != NONE
                && entering != stayer
                && actions[entering as usize] == Action::Forward
            {
                actions[entering as usize] = Action::Wait;
                self.stays.push(entering);
            }
        }
        // an agent that chose to stay faces the way to its goal
        for (agent, action) in actions.iter_mut().enumerate() {
            let state = view.states[agent];
            if *action != Action::Wait || self.next[agent] != state.cell {
                continue;
            }
            let here = view.heuristic.cost(agent, state);
            let best = Heading::ALL
                .iter()
                .map(|&heading| {
                    let turned = AgentState {
                        cell: state.cell,
                        heading,
                    };
                    (
                        view.heuristic.cost(agent, turned),
                        turns(state.heading, heading),
                        heading,
                    )
                })
                .min_by_key(|&(cost, turn, _)| (cost, turn));
            if let Some((cost, _, heading)) = best
                && cost < here
            {
                *action = turn_towards(state.heading, heading);
            }
        }
        actions
    }
}
