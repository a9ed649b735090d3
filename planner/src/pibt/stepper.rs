//! The lifelong one-step API: PIBT called once per tick by the fleet core.
//!
//! A [`PibtStepper`] keeps what must survive between ticks: each agent's priority (so an
//! agent that has waited long keeps winning), the distance tables of the goals seen so far,
//! and the step buffers. Each call to [`PibtStepper::step`] takes where every agent is, its
//! goal, whether it may move at all, and the vertices nobody may enter, and returns where
//! every agent should be after one step.
//!
//! # Semantics of one step
//! - A non-movable agent stays where it is; nobody else may enter its vertex.
//! - An idle agent (`goal: None`) prefers to stay but can be pushed away.
//! - No agent enters a `blocked` vertex. An agent already standing on one may stay.
//! - The result never puts two agents on one vertex and never swaps two agents.
//! - With `allow_follow: true` (standard MAPF), an agent may enter a vertex another agent
//!   leaves in the same step, and cycles of agents may rotate.
//! - With `allow_follow: false` (follow-ban, for the yard simulator where a move lasts
//!   several seconds), an agent only enters a vertex that is empty at call time; see the
//!   `follow_ban` module: an agent whose best vertex is held pushes the holder away and waits.
//!   This is what lets AGVs execute asynchronously on one-way lanes: a vertex is entered
//!   only once the previous AGV has fully left it.

use crate::distance::DistanceCache;
use crate::graph::{Graph, VertexId};

use super::core::{Core, Mode, Ranking, StepView};
use super::priority::Priorities;

/// One agent as the stepper sees it at the start of a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepAgent {
    /// Where the agent stands.
    pub at: VertexId,
    /// Where it is heading; `None` when idle (prefers to stay, can be pushed away).
    pub goal: Option<VertexId>,
    /// Whether it may move this step; a non-movable agent stays put and cannot be pushed.
    pub movable: bool,
    /// Follow-ban mode only: never send the agent more than this many moves further from
    /// its goal, pushed or not; it waits instead. On one-way lanes a single step the wrong
    /// way can cost a whole loop of a yard. `None` allows any detour.
    pub max_detour: Option<u32>,
}

/// Settings of a [`PibtStepper`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepOptions {
    /// Allow entering a vertex that another agent leaves in the same step (standard MAPF).
    /// `false` is the follow-ban mode.
    pub allow_follow: bool,
    /// Use the LaCAM2/3 swap technique; only with `allow_follow` (a swap pulls an agent
    /// into a vertex being left, which the follow-ban forbids).
    pub swap: bool,
    /// Seed of the tie-breaking generator.
    pub seed: u64,
}

impl Default for StepOptions {
    /// Standard MAPF semantics with the swap technique, seed 0.
    fn default() -> Self {
        Self {
            allow_follow: true,
            swap: true,
            seed: 0,
        }
    }
}

/// PIBT one step at a time, keeping priorities and distance tables between calls.
///
/// Agents are matched between calls by their index in the slice given to
/// [`PibtStepper::step`]: keep an AGV at the same index. When the slice grows, new agents
/// get fresh priorities; when it shrinks, the last ones are forgotten.
pub struct PibtStepper {
    options: StepOptions,
    distances: DistanceCache,
    core: Core,
    priorities: Priorities,
    from: Vec<VertexId>,
    goals: Vec<Option<VertexId>>,
    max_detours: Vec<u32>,
    next: Vec<Option<VertexId>>,
    order: Vec<u32>,
}

impl PibtStepper {
    /// A stepper with no agents and no distance table yet.
    pub fn new(options: StepOptions) -> Self {
        Self {
            options,
            distances: DistanceCache::new(),
            core: Core::new(options.seed),
            priorities: Priorities::default(),
            from: Vec::new(),
            goals: Vec::new(),
            max_detours: Vec::new(),
            next: Vec::new(),
            order: Vec::new(),
        }
    }

    /// The settings this stepper was made with.
    pub fn options(&self) -> StepOptions {
        self.options
    }

    /// Drops the cached distance tables; call it whenever the graph changes (a lane closes).
    /// A graph with another vertex or edge count is detected and clears the cache by itself.
    pub fn clear_distances(&mut self) {
        self.distances.clear();
    }

    /// Plans one step: where each agent should be next, in the order of `agents`.
    ///
    /// See the module doc for the guarantees. Agents standing on one vertex together (a
    /// broken input) all stay and a warning is logged.
    ///
    /// # Panics
    /// When a position, goal or blocked vertex is not a vertex of `graph`.
    ///
    /// # Complexity
    /// O(n d log d + n log n) per step for n agents and largest degree d, plus one
    /// O(V + E) search the first time a goal is seen.
    pub fn step(
        &mut self,
        graph: &Graph,
        agents: &[StepAgent],
        blocked: &[VertexId],
    ) -> Vec<VertexId> {
        self.step_ranked(graph, agents, blocked, None)
    }

    /// [`PibtStepper::step`] with the candidates ranked by `ranking` instead of distance.
    pub(crate) fn step_ranked(
        &mut self,
        graph: &Graph,
        agents: &[StepAgent],
        blocked: &[VertexId],
        ranking: Option<&dyn Ranking>,
    ) -> Vec<VertexId> {
        // in follow-ban mode, agents kept waiting age twice as fast as moving ones, so that a
        // stream of agents through a merge cannot starve the one waiting to join it
        let follow_ban = !self.options.allow_follow;
        let stood: Vec<bool> = (0..agents.len())
            .map(|i| follow_ban && self.from.get(i) == Some(&agents[i].at) && agents[i].movable)
            .collect();
        self.load(graph, agents);

        // priorities age while agents are away from their goals
        let (from, goals) = (&self.from, &self.goals);
        self.priorities.resize(agents.len(), self.core.rng());
        self.priorities.update(
            |i| goals[i].is_none_or(|goal| from[i] == goal),
            |i| if stood[i] { 2.0 } else { 1.0 },
        );
        self.priorities.order_into(&mut self.order);

        // non-movable agents are decided before anyone else
        for (next, agent) in self.next.iter_mut().zip(agents) {
            *next = (!agent.movable).then_some(agent.at);
        }

        let mode = match self.options {
            StepOptions {
                allow_follow: true,
                swap,
                ..
            } => Mode::Follow { swap },
            StepOptions {
                allow_follow: false,
                ..
            } => Mode::FollowBan,
        };
        self.core.prepare(graph, agents.len());
        let view = StepView {
            graph,
            distances: &self.distances,
            from,
            goals,
            max_detours: &self.max_detours,
            guides: None,
        };
        self.core
            .plan_step(&view, &self.order, blocked, &mut self.next, mode, ranking);
        self.next
            .iter()
            .map(|next| next.expect("plan_step decides every agent"))
            .collect()
    }

    /// Builds the distance tables of the agents' goals not cached yet.
    pub(crate) fn ensure_tables(&mut self, graph: &Graph, agents: &[StepAgent]) {
        for goal in agents.iter().filter_map(|agent| agent.goal) {
            self.distances.ensure(graph, goal);
        }
    }

    /// The distance tables of the goals seen so far.
    pub(crate) fn distances(&self) -> &DistanceCache {
        &self.distances
    }

    /// Copies positions and goals into the reused buffers and builds missing goal tables.
    fn load(&mut self, graph: &Graph, agents: &[StepAgent]) {
        self.from.clear();
        self.from.extend(agents.iter().map(|agent| agent.at));
        self.goals.clear();
        self.goals.extend(agents.iter().map(|agent| agent.goal));
        self.max_detours.clear();
        let cap = |agent: &StepAgent| agent.max_detour.unwrap_or(u32::MAX);
        self.max_detours.extend(agents.iter().map(cap));
        self.next.resize(agents.len(), None);
        self.ensure_tables(graph, agents);
    }
}
