//! The PIBT step machinery shared by the one-shot solver and the lifelong stepper.
//!
//! A [`Core`] owns every buffer a step needs (who stands where now, who reserved what next,
//! each agent's sorted candidates) so that planning a step allocates nothing. It plans one
//! step in either of two modes (see [`Mode`]); this file holds the standard mode, in which
//! an agent may follow another into a vertex vacated in the same step.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::distance::DistanceCache;
use crate::graph::{Graph, VertexId};
use crate::guide::Guides;

/// Marks a vertex no agent occupies or has reserved.
pub(super) const NO_AGENT: u32 = u32::MAX;

/// How agents may move in one step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Standard MAPF: following into a vertex vacated in the same step and rotations are
    /// allowed; `swap` turns on the LaCAM2/3 swap technique.
    Follow {
        /// Use the swap technique.
        swap: bool,
    },
    /// Only vertices empty at the start of the step may be entered (see the stepper docs).
    FollowBan,
}

/// What the core reads about the agents during one step.
pub(crate) struct StepView<'a> {
    /// The graph agents move on.
    pub graph: &'a Graph,
    /// Tables for every goal in `goals`, already built.
    pub distances: &'a DistanceCache,
    /// Where each agent stands now.
    pub from: &'a [VertexId],
    /// Each agent's goal; `None` for an idle agent, which prefers to stay.
    pub goals: &'a [Option<VertexId>],
    /// Follow-ban mode: the most moves a step may add to each agent's distance to its goal;
    /// agents past the end of the slice have no cap.
    pub max_detours: &'a [u32],
    /// Guide paths, preferred among candidates at equal distance.
    pub guides: Option<&'a Guides>,
}

impl StepView<'_> {
    /// Moves from `vertex` to the agent's goal; for an idle agent 0 to stay and 1 to move.
    #[inline]
    pub(crate) fn distance(&self, agent: usize, vertex: VertexId) -> u32 {
        match self.goals[agent] {
            Some(goal) => self.distances.distance(goal, vertex),
            None => u32::from(vertex != self.from[agent]),
        }
    }
}

/// A cost-to-go that ranks an agent's candidates in place of its distance to its goal (the
/// lifelong planner's guide paths, see `lifelong::yard`). Lower ranks are tried first; only
/// the order matters, so a ranking may scale or offset its costs as it likes. Detour caps
/// still count in distances.
pub(crate) trait Ranking {
    /// The rank of `vertex` as `agent`'s next vertex.
    fn rank(&self, view: &StepView<'_>, agent: usize, vertex: VertexId) -> u32;
}

/// A vertex an agent may take next, with its sort key: distance in the high half, a random
/// tie-breaker in the low half.
#[derive(Clone, Copy, Debug)]
pub(super) struct Candidate {
    key: u64,
    pub(super) vertex: VertexId,
}

/// Reusable state for planning PIBT steps.
pub(crate) struct Core {
    /// Agent standing on each vertex at the start of the step, or [`NO_AGENT`].
    pub(super) occupied_now: Vec<u32>,
    /// Agent that reserved each vertex for the end of the step, or [`NO_AGENT`].
    pub(super) occupied_next: Vec<u32>,
    /// Vertices nobody may enter this step (an agent already on one may stay).
    pub(super) blocked: Vec<bool>,
    /// `stride` slots per agent: its candidates sorted best first.
    candidates: Vec<Candidate>,
    stride: usize,
    rng: ChaCha8Rng,
}

impl Core {
    /// A core with empty buffers and a tie-breaking generator seeded with `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            occupied_now: Vec::new(),
            occupied_next: Vec::new(),
            blocked: Vec::new(),
            candidates: Vec::new(),
            stride: 0,
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// The tie-breaking generator, shared with the priorities so one seed fixes a run.
    pub(crate) fn rng(&mut self) -> &mut ChaCha8Rng {
        &mut self.rng
    }

    /// Sizes the buffers for `graph` and `agent_count` agents; a no-op when they fit.
    pub(crate) fn prepare(&mut self, graph: &Graph, agent_count: usize) {
        if self.occupied_now.len() != graph.vertex_count() {
            self.occupied_now = vec![NO_AGENT; graph.vertex_count()];
            self.occupied_next = vec![NO_AGENT; graph.vertex_count()];
            self.blocked = vec![false; graph.vertex_count()];
        }
        self.stride = self.stride.max(graph.max_out_degree() + 1);
        let placeholder = Candidate {
            key: 0,
            vertex: VertexId(0),
        };
        self.candidates
            .resize(agent_count * self.stride, placeholder);
    }

    /// Plans one step: fills every `None` of `to`, serving agents in `order`.
    ///
    /// Agents with `Some` in `to` are already decided (they must stay where they are);
    /// `blocked` vertices cannot be entered. Candidates are ranked by `ranking` if given,
    /// else by distance. Call [`Core::prepare`] first.
    ///
    /// # Complexity
    /// O(n d log d) expected for n agents and largest degree d (each agent is decided once),
    /// plus the swap checks, which may walk a corridor: O(n V) in the worst case.
    pub(crate) fn plan_step(
        &mut self,
        view: &StepView<'_>,
        order: &[u32],
        blocked: &[VertexId],
        to: &mut [Option<VertexId>],
        mode: Mode,
        ranking: Option<&dyn Ranking>,
    ) {
        self.begin(view, blocked, to);
        for &agent in order {
            let agent = agent as usize;
            if to[agent].is_some() {
                continue;
            }
            match mode {
                Mode::Follow { swap } => {
                    self.push_or_follow(view, ranking, agent, swap, to);
                }
                Mode::FollowBan => {
                    self.decide_follow_ban(view, ranking, agent, false, to);
                }
            }
        }
        self.finish(view, blocked, to);
    }

    /// Plans one step under LaCAM's constraints: the agents with `Some` in `to` are fixed to
    /// move there (to a neighbour or their own vertex), PIBT decides the rest in `order`.
    ///
    /// Returns `false`, leaving `to` unspecified, when the constraints collide with each other
    /// (two on one vertex, or two swapping) or leave an agent nowhere to go (its vertex is
    /// taken by a constrained agent and it cannot move away). Call [`Core::prepare`] first.
    ///
    /// # Complexity
    /// As [`Core::plan_step`].
    pub(crate) fn plan_constrained(
        &mut self,
        view: &StepView<'_>,
        order: &[u32],
        to: &mut [Option<VertexId>],
        swap: bool,
    ) -> bool {
        let mut is_valid = true;
        for (agent, &vertex) in view.from.iter().enumerate() {
            self.occupied_now[vertex.index()] = agent as u32;
        }
        for (agent, next) in to.iter().enumerate() {
            let Some(next) = *next else { continue };
            let from = view.from[agent];
            let occupant = self.occupied_now[next.index()];
            let is_swap =
                next != from && occupant != NO_AGENT && to[occupant as usize] == Some(from);
            if self.occupied_next[next.index()] != NO_AGENT || is_swap {
                is_valid = false;
                break;
            }
            self.occupied_next[next.index()] = agent as u32;
        }
        if is_valid {
            for &agent in order {
                let agent = agent as usize;
                // a top-level failure means a constrained agent took this agent's vertex
                if to[agent].is_none() && !self.push_or_follow(view, None, agent, swap, to) {
                    is_valid = false;
                    break;
                }
            }
        }
        // reset every mark this call may have set
        for (&now, next) in view.from.iter().zip(to.iter()) {
            self.occupied_now[now.index()] = NO_AGENT;
            if let Some(next) = next {
                self.occupied_next[next.index()] = NO_AGENT;
            }
        }
        is_valid
    }

    /// Marks occupancy, the decided agents' reservations and the blocked vertices.
    ///
    /// An agent found on a vertex another agent already stands on is decided to stay: the
    /// caller broke the one-agent-per-vertex invariant and nothing better can be done.
    fn begin(&mut self, view: &StepView<'_>, blocked: &[VertexId], to: &mut [Option<VertexId>]) {
        for (agent, &vertex) in view.from.iter().enumerate() {
            if self.occupied_now[vertex.index()] == NO_AGENT {
                self.occupied_now[vertex.index()] = agent as u32;
            } else {
                tracing::warn!(agent, %vertex, "two agents on one vertex; both stay");
                to[agent] = Some(vertex);
            }
        }
        for &vertex in blocked {
            self.blocked[vertex.index()] = true;
        }
        for (agent, next) in to.iter().enumerate() {
            if let Some(vertex) = next {
                self.occupied_next[vertex.index()] = agent as u32;
            }
        }
    }

    /// Resets the per-vertex marks touched by this step.
    fn finish(&mut self, view: &StepView<'_>, blocked: &[VertexId], to: &[Option<VertexId>]) {
        for (&now, next) in view.from.iter().zip(to) {
            self.occupied_now[now.index()] = NO_AGENT;
            let next = next.expect("every agent is decided by the end of a step");
            self.occupied_next[next.index()] = NO_AGENT;
        }
        for &vertex in blocked {
            self.blocked[vertex.index()] = false;
        }
    }

    /// Writes the agent's candidates (its out-neighbours and its own vertex) sorted by
    /// distance to its goal (or by `ranking`), ties in random order; returns how many there
    /// are.
    ///
    /// Preferring free vertices among equals (as Okumura's pibt2 does) was measured: it
    /// lowers the cost on random-32-32-20 (sum of costs / lower bound 1.8 instead of 2.0)
    /// but defeats the swap technique on warehouse-10-20-10-2-1 (no seed of eight solved
    /// 500 agents), so ties stay purely random as in LaCAM3.
    pub(super) fn fill_candidates(
        &mut self,
        view: &StepView<'_>,
        ranking: Option<&dyn Ranking>,
        agent: usize,
    ) -> usize {
        let from = view.from[agent];
        let neighbours = view.graph.out_neighbours(from);
        let guided = view.guides.and_then(|guides| {
            view.goals[agent]?;
            guides.next(agent, from, view.distance(agent, from))
        });
        let base = agent * self.stride;
        let slots = &mut self.candidates[base..base + neighbours.len() + 1];
        for (slot, &vertex) in slots.iter_mut().zip(neighbours.iter().chain([&from])) {
            // distance (or rank), then off-guide, then a random tie-break
            let cost = match ranking {
                Some(ranking) => ranking.rank(view, agent, vertex),
                None => view.distance(agent, vertex),
            };
            let distance = u64::from(cost.min(1 << 30));
            let off_guide = u64::from(guided != Some(vertex));
            let tie = u64::from(self.rng.next_u32());
            *slot = Candidate {
                key: distance << 33 | off_guide << 32 | tie,
                vertex,
            };
        }
        slots.sort_unstable_by_key(|candidate| candidate.key);
        slots.len()
    }

    /// The agent's `rank`-th best candidate from the last [`Core::fill_candidates`].
    #[inline]
    pub(super) fn candidate(&self, agent: usize, rank: usize) -> VertexId {
        self.candidates[agent * self.stride + rank].vertex
    }

    /// Reverses the order of the agent's first `count` candidates.
    fn reverse_candidates(&mut self, agent: usize, count: usize) {
        let base = agent * self.stride;
        self.candidates[base..base + count].reverse();
    }

    /// PIBT in the standard mode (Okumura et al.): take the best candidate not reserved,
    /// pushing its occupant first (priority inheritance); when the push fails, try the next
    /// (backtracking). Returns whether the agent secured a vertex other than by falling back.
    fn push_or_follow(
        &mut self,
        view: &StepView<'_>,
        ranking: Option<&dyn Ranking>,
        agent: usize,
        swap: bool,
        to: &mut [Option<VertexId>],
    ) -> bool {
        let from = view.from[agent];
        let count = self.fill_candidates(view, ranking, agent);

        // swap technique: move away first and pull the partner after (LaCAM2/3)
        let partner = if swap {
            self.swap_partner(view, agent, to)
        } else {
            None
        };
        if partner.is_some() {
            self.reverse_candidates(agent, count);
        }

        for rank in 0..count {
            let vertex = self.candidate(agent, rank);
            let entering_blocked = self.blocked[vertex.index()] && vertex != from;
            if self.occupied_next[vertex.index()] != NO_AGENT || entering_blocked {
                continue;
            }
            // no swap with an agent that already decided to come here
            let occupant = self.occupied_now[vertex.index()];
            if occupant != NO_AGENT && to[occupant as usize] == Some(from) {
                continue;
            }

            self.occupied_next[vertex.index()] = agent as u32;
            to[agent] = Some(vertex);
            let must_push =
                occupant != NO_AGENT && vertex != from && to[occupant as usize].is_none();
            if must_push && !self.push_or_follow(view, ranking, occupant as usize, swap, to) {
                continue;
            }
            if rank == 0
                && let Some(partner) = partner
            {
                self.pull(view, agent, partner, to);
            }
            return true;
        }

        // nothing secured: stay, taking back the own vertex from whoever reserved it
        self.occupied_next[from.index()] = agent as u32;
        to[agent] = Some(from);
        false
    }
}
