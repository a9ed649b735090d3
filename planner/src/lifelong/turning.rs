//! PIBT for agents with a heading: one step of moves chosen on cells, then turned into
//! LoRR actions (forward, quarter turns, wait).
//!
//! PIBT decides a next cell per agent as usual (priority inheritance, backtracking), with a
//! candidate's cost being its distance to the goal plus the quarter turns needed to face it.
//! A move is then real only for an agent already facing its next cell; any other agent
//! turns toward it and stays, and an agent planned into the cell of one that stays must stay
//! too (the chain is followed to its end). An agent that stays anyway uses the step to turn
//! toward its best next cell, which is free: turning never conflicts.

use rand::RngCore;
use rand_chacha::ChaCha8Rng;

use crate::distance::{DistanceCache, UNREACHABLE};
use crate::graph::{Graph, VertexId};
use crate::lorr::{Action, AgentState, Heading};

const NONE: u32 = u32::MAX;

/// Buffers for planning steps, reused so that a step allocates nothing.
#[derive(Debug, Default)]
pub(super) struct TurningPibt {
    occupied_now: Vec<u32>,
    occupied_next: Vec<u32>,
    next: Vec<VertexId>,
    decided: Vec<bool>,
    candidates: Vec<(u64, VertexId)>,
    stays: Vec<u32>,
}

/// What one step reads.
pub(super) struct TurnView<'a> {
    pub graph: &'a Graph,
    pub distances: &'a DistanceCache,
    pub states: &'a [AgentState],
    /// Each agent's goal cell; `None` for an agent without a task.
    pub goals: &'a [Option<VertexId>],
}

impl TurnView<'_> {
    fn distance(&self, agent: usize, vertex: VertexId) -> u32 {
        match self.goals[agent] {
            Some(goal) => self
                .distances
                .get(goal)
                .expect("goal tables are built before the step")
                .get(vertex),
            None => u32::from(vertex != self.states[agent].cell),
        }
    }
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

/// Quarter turns from `from` to `to` (0, 1 or 2).
fn turns(from: Heading, to: Heading) -> u32 {
    match (to.index() + 4 - from.index()) % 4 {
        0 => 0,
        2 => 2,
        _ => 1,
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
    /// decreasing priority.
    pub(super) fn plan(
        &mut self,
        view: &TurnView<'_>,
        order: &[u32],
        rng: &mut ChaCha8Rng,
    ) -> Vec<Action> {
        let n = view.states.len();
        let vertex_count = view.graph.vertex_count();
        if self.occupied_now.len() != vertex_count {
            self.occupied_now = vec![NONE; vertex_count];
            self.occupied_next = vec![NONE; vertex_count];
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

    /// PIBT's decision for `agent`, pushing occupants first; whether it secured a cell other
    /// than by falling back to its own.
    fn push(&mut self, view: &TurnView<'_>, agent: usize, rng: &mut ChaCha8Rng) -> bool {
        self.decided[agent] = true;
        let state = view.states[agent];
        let from = state.cell;
        let start = self.candidates.len();
        for &to in view.graph.out_neighbours(from).iter().chain([&from]) {
            let distance = view.distance(agent, to);
            let key = if distance == UNREACHABLE {
                u64::MAX
            } else if to == from {
                // staying ties with a move that needs a turn first: prefer staying
                (u64::from(distance) << 34) | (1 << 32)
            } else {
                let turn = turns(state.heading, heading_towards(view.graph, from, to));
                (u64::from(distance + turn) << 34) | (u64::from(turn.min(1) * 2) << 32)
            };
            let tie = u64::from(rng.next_u32());
            self.candidates.push((key.saturating_add(tie), to));
        }
        self.candidates[start..].sort_unstable_by_key(|&(key, _)| key);

        let count = self.candidates.len() - start;
        for rank in 0..count {
            let to = self.candidates[start + rank].1;
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
    /// the others, and waits down every chain into the cell of an agent that stays.
    fn actions_of_moves(&mut self, view: &TurnView<'_>) -> Vec<Action> {
        let n = view.states.len();
        let mut actions = vec![Action::Wait; n];
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
        // an agent that waits turns toward its best next cell, if it has a task
        for (agent, action) in actions.iter_mut().enumerate() {
            if *action != Action::Wait || view.goals[agent].is_none() {
                continue;
            }
            let state = view.states[agent];
            let here = view.distance(agent, state.cell);
            let best = view
                .graph
                .out_neighbours(state.cell)
                .iter()
                .copied()
                .filter(|&to| view.distance(agent, to) < here)
                .min_by_key(|&to| {
                    turns(state.heading, heading_towards(view.graph, state.cell, to))
                });
            if let Some(to) = best {
                *action = turn_towards(state.heading, heading_towards(view.graph, state.cell, to));
            }
        }
        actions
    }
}
