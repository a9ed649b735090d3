//! The PIBT swap technique of LaCAM2/LaCAM3 (Okumura), which lets two agents pass each other.
//!
//! Plain PIBT livelocks when two agents meet head-on in a corridor: the pusher keeps pushing
//! the other back the way it came. The swap technique detects that situation, reverses the
//! pusher's candidate order (it steps away instead) and pulls the other agent into the
//! vertex the pusher leaves; repeated over a few steps, the pair reaches a vertex with a
//! side exit and passes. A second case (the "clear" operation, as in push-and-swap) lets an
//! agent behind the pusher through. Both checks walk the corridor ahead while it has exactly
//! one way out, treating dead ends held by agents resting at their goal as walls.
//!
//! The technique is designed for graphs whose edges go both ways (grids); on one-way edges a
//! pull is made only along an existing edge.

use crate::graph::VertexId;

use super::core::{Core, NO_AGENT, StepView};

impl Core {
    /// The agent to pull after `agent` steps away, if the swap technique applies.
    pub(super) fn swap_partner(
        &self,
        view: &StepView<'_>,
        agent: usize,
        to: &[Option<VertexId>],
    ) -> Option<usize> {
        let from = view.from[agent];
        let best = self.candidate(agent, 0);

        // head-on: the occupant of the best vertex must come through
        let ahead = self.occupied_now[best.index()];
        if ahead != NO_AGENT
            && ahead as usize != agent
            && to[ahead as usize].is_none()
            && view.graph.has_edge(best, from)
            && self.is_swap_required(view, agent, ahead as usize, from, best)
            && self.is_swap_possible(view, best, from)
        {
            return Some(ahead as usize);
        }
        if best == from {
            return None;
        }

        // clear: an agent behind wants to pass, emulated from one step ahead
        for &behind_at in view.graph.out_neighbours(from) {
            let behind = self.occupied_now[behind_at.index()];
            if behind != NO_AGENT
                && behind_at != best
                && view.graph.has_edge(behind_at, from)
                && self.is_swap_required(view, behind as usize, agent, from, best)
                && self.is_swap_possible(view, best, from)
            {
                return Some(behind as usize);
            }
        }
        None
    }

    /// Moves `partner` into the vertex `agent` leaves, if it is still undecided and free.
    pub(super) fn pull(
        &mut self,
        view: &StepView<'_>,
        agent: usize,
        partner: usize,
        to: &mut [Option<VertexId>],
    ) {
        let vacated = view.from[agent];
        let reachable = view.graph.has_edge(view.from[partner], vacated);
        let free =
            self.occupied_next[vacated.index()] == NO_AGENT && !self.blocked[vacated.index()];
        if to[partner].is_none() && free && reachable {
            self.occupied_next[vacated.index()] = partner as u32;
            to[partner] = Some(vacated);
        }
    }

    /// Whether `pusher` at `pusher_at` and `puller` at `puller_at` can only progress by
    /// passing each other: walks ahead while the puller's vertex brings the pusher closer
    /// and offers a single way out.
    fn is_swap_required(
        &self,
        view: &StepView<'_>,
        pusher: usize,
        puller: usize,
        mut pusher_at: VertexId,
        mut puller_at: VertexId,
    ) -> bool {
        let mut budget = view.graph.vertex_count();
        while view.distance(pusher, puller_at) < view.distance(pusher, pusher_at) && budget > 0 {
            budget -= 1;
            let (exits, exit) = self.ways_out(view, puller_at, pusher_at);
            if exits >= 2 {
                return false; // there is room to step aside
            }
            let Some(exit) = exit else { break };
            (pusher_at, puller_at) = (puller_at, exit);
        }

        let puller_gains = view.distance(puller, pusher_at) < view.distance(puller, puller_at);
        let pusher_distance = view.distance(pusher, pusher_at);
        puller_gains && (pusher_distance == 0 || view.distance(pusher, puller_at) < pusher_distance)
    }

    /// Whether pulling along the corridor from `puller_at` (away from `pusher_at`) reaches a
    /// vertex with two ways out before coming back or hitting a dead end.
    fn is_swap_possible(
        &self,
        view: &StepView<'_>,
        mut pusher_at: VertexId,
        mut puller_at: VertexId,
    ) -> bool {
        let origin = pusher_at;
        for _ in 0..view.graph.vertex_count() {
            if puller_at == origin {
                return false;
            }
            let (exits, exit) = self.ways_out(view, puller_at, pusher_at);
            if exits >= 2 {
                return true;
            }
            let Some(exit) = exit else { return false };
            (pusher_at, puller_at) = (puller_at, exit);
        }
        false
    }

    /// Out-neighbours of `at` other than `behind` and other than dead ends where an agent
    /// rests at its goal: their count and the last one.
    fn ways_out(
        &self,
        view: &StepView<'_>,
        at: VertexId,
        behind: VertexId,
    ) -> (usize, Option<VertexId>) {
        let mut count = 0;
        let mut last = None;
        for &next in view.graph.out_neighbours(at) {
            let resting = self.occupied_now[next.index()];
            let parked = resting != NO_AGENT
                && view.graph.out_neighbours(next).len() == 1
                && view.goals[resting as usize] == Some(next);
            if next != behind && !parked {
                count += 1;
                last = Some(next);
            }
        }
        (count, last)
    }
}
