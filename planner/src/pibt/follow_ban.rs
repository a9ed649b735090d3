//! Follow-ban mode: PIBT for moves that take seconds, where nobody may tail a leaving AGV.
//!
//! In this mode an agent may only enter a vertex that is empty now: no agent stands on it at
//! the start of the step, it is not blocked, and no higher-priority decision reserved it.
//! When an agent's best usable candidate is held by an undecided agent, it pushes that agent
//! and waits; the pushed agent is decided at once, must take a free vertex if it has any
//! (staying is its last resort), and otherwise pushes the occupant of its own best held
//! candidate the same way. A push that moves nobody down the chain lets the pusher try its
//! next candidate instead of waiting. Since only empty vertices are entered, no two agents
//! ever meet on a vertex and no two agents ever swap. An agent with a detour cap never takes
//! a candidate more than the cap further from its goal, pushed or not: it waits instead.
//! The cap counts in distances even when a ranking orders the candidates, so it skips the
//! candidates past it rather than ending the list there.

use crate::graph::VertexId;

use super::core::{Core, NO_AGENT, Ranking, StepView};

impl Core {
    /// Decides `agent` in follow-ban mode; returns whether it, or an agent down its push
    /// chain, moves this step.
    pub(super) fn decide_follow_ban(
        &mut self,
        view: &StepView<'_>,
        ranking: Option<&dyn Ranking>,
        agent: usize,
        pushed: bool,
        to: &mut [Option<VertexId>],
    ) -> bool {
        let from = view.from[agent];
        let count = self.fill_candidates(view, ranking, agent);
        // hold the own vertex while deciding, so no agent pushed from here comes back to it
        self.occupied_next[from.index()] = agent as u32;
        to[agent] = Some(from);
        if pushed {
            return self.make_way(view, ranking, agent, count, to);
        }

        for rank in 0..count {
            let vertex = self.candidate(agent, rank);
            if vertex == from {
                return false;
            }
            if !self.is_short_detour(view, agent, vertex) {
                continue;
            }
            if self.is_empty_now(vertex) {
                self.move_to(agent, from, vertex, to);
                return true;
            }
            if let Some(occupant) = self.undecided_occupant(vertex, to)
                && self.decide_follow_ban(view, ranking, occupant, true, to)
            {
                return false; // the way is being cleared: wait for it
            }
        }
        false
    }

    /// A pushed agent: a free vertex if there is one, else pass the push on.
    fn make_way(
        &mut self,
        view: &StepView<'_>,
        ranking: Option<&dyn Ranking>,
        agent: usize,
        count: usize,
        to: &mut [Option<VertexId>],
    ) -> bool {
        let from = view.from[agent];
        for rank in 0..count {
            let vertex = self.candidate(agent, rank);
            if !self.is_short_detour(view, agent, vertex) {
                continue;
            }
            if vertex != from && self.is_empty_now(vertex) {
                self.move_to(agent, from, vertex, to);
                return true;
            }
        }
        for rank in 0..count {
            let vertex = self.candidate(agent, rank);
            if vertex == from || !self.is_short_detour(view, agent, vertex) {
                continue;
            }
            if let Some(occupant) = self.undecided_occupant(vertex, to)
                && self.decide_follow_ban(view, ranking, occupant, true, to)
            {
                return true;
            }
        }
        false
    }

    /// Whether moving to `vertex` adds at most the allowed detour to the agent's distance to
    /// its goal.
    #[inline]
    fn is_short_detour(&self, view: &StepView<'_>, agent: usize, vertex: VertexId) -> bool {
        let here = view.distance(agent, view.from[agent]);
        let cap = view.max_detours.get(agent).copied().unwrap_or(u32::MAX);
        view.distance(agent, vertex) <= here.saturating_add(cap)
    }

    /// Whether nobody stands on `vertex` now, and nobody reserved or blocked it.
    #[inline]
    fn is_empty_now(&self, vertex: VertexId) -> bool {
        self.occupied_now[vertex.index()] == NO_AGENT
            && self.occupied_next[vertex.index()] == NO_AGENT
            && !self.blocked[vertex.index()]
    }

    /// The agent standing on `vertex` now, if it has not been decided yet.
    #[inline]
    fn undecided_occupant(&self, vertex: VertexId, to: &[Option<VertexId>]) -> Option<usize> {
        let occupant = self.occupied_now[vertex.index()];
        (occupant != NO_AGENT && to[occupant as usize].is_none()).then_some(occupant as usize)
    }

    /// Moves `agent` from the vertex it holds to `vertex`.
    #[inline]
    fn move_to(
        &mut self,
        agent: usize,
        from: VertexId,
        vertex: VertexId,
        to: &mut [Option<VertexId>],
    ) {
        self.occupied_next[from.index()] = NO_AGENT;
        self.occupied_next[vertex.index()] = agent as u32;
        to[agent] = Some(vertex);
    }
}
