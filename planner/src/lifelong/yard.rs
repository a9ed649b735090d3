//! The lifelong planner on a general directed graph: traffic-aware guide paths and one PIBT
//! step per tick in follow-ban mode, for the fleet core driving AGVs on the yard's lanes.
//!
//! A [`GuidedStepper`] is a [`PibtStepper`] (follow-ban mode, same [`StepAgent`] semantics)
//! whose agents rank their candidates by their guide paths instead of by distance alone. It
//! keeps every agent's guide across ticks (module `traffic`, after Chen et al., AAAI 2024):
//! planned by A* over the graph's vertices with costs that rise with the other guides' use of
//! a waypoint and, steeply, of the reverse lane, kept while the agent follows it, replanned
//! when its goal changes or it is pushed off. A candidate on the guide just ahead costs the
//! moves left along the guide; any other candidate its shortest distance plus the detour the
//! guide still has ahead of the agent, and a little more, so that keeping to the guide wins
//! ties while a free shortest way still beats waiting for the guide's next waypoint (an AGV
//! that waits for it indefinitely could close a cycle of waiting AGVs). Where a graph has
//! parallel routes, crowds thus spread over them the way the LoRR planner spreads them on a
//! grid, instead of all taking the one shortest route, and opposite flows on two-way lanes
//! keep to different lanes.
//!
//! Yard AGVs need no heading here: lanes are directed and an AGV turns while it drives them,
//! so a state is a waypoint and a step a lane (the LoRR grid's (cell, heading) states and
//! quarter turns are the other motion model of the same guide search).
//!
//! # Semantics of one step
//! As [`PibtStepper::step`] in follow-ban mode: an agent only enters a vertex empty at call
//! time, never a blocked one; non-movable agents stay; idle agents prefer to stay and can be
//! pushed; no two agents share a vertex or swap; `max_detour` caps, in hops of distance to
//! the goal, how far a step may take an agent from its goal, whatever its guide says.
//!
//! # Limitations
//! The shipped yards are one-way ladders whose routes between two waypoints are unique but
//! for the two booths of a gate, and the fleet picks booths and crane slots itself: there the
//! guides are the shortest paths (no guide of a 3x day at Hữu Nghị took a detour), and the
//! guidance only decides which booth an AGV passing a gate without a check takes.

use std::time::{Duration, Instant};

use crate::graph::{Graph, VertexId};
use crate::pibt::{PibtStepper, Ranking, StepAgent, StepOptions, StepView};

use super::traffic::{GraphMotion, Traffic, TrafficWeights};

/// Traffic weights on a yard: the LoRR grid's. Not tuned on the shipped yards, where guides
/// keep to shortest paths whatever the weights (see the limitations above).
const YARD_WEIGHTS: TrafficWeights = TrafficWeights {
    vertex_use: 3,
    contraflow: 25,
};

/// Longest a tick's guide searches may take. Yards have about a thousand waypoints and a
/// search takes microseconds, so this is never reached in practice (runs stay deterministic);
/// it only bounds a pathological graph (agents left without a guide go by distance that tick).
const GUIDE_BUDGET: Duration = Duration::from_secs(1);

/// Settings of a [`GuidedStepper`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GuidedStepOptions {
    /// Seed of the tie-breaking generator.
    pub seed: u64,
    /// What other guides add to a move's cost when a guide is planned; `None` turns guidance
    /// off (plain follow-ban PIBT by distance, the baseline).
    pub weights: Option<TrafficWeights>,
}

impl Default for GuidedStepOptions {
    /// Seed 0, guidance with the yard's weights.
    fn default() -> Self {
        Self {
            seed: 0,
            weights: Some(YARD_WEIGHTS),
        }
    }
}

/// Follow-ban PIBT one step at a time on a directed graph, guided by traffic-aware guide
/// paths kept between calls (see the module docs).
///
/// Agents are matched between calls by their index, as in [`PibtStepper`].
pub struct GuidedStepper {
    options: GuidedStepOptions,
    pibt: PibtStepper,
    traffic: Traffic,
    /// The graph's motion model, built on the first step and whenever the graph's size
    /// changes.
    motion: Option<GraphMotion>,
    positions: Vec<VertexId>,
    goals: Vec<Option<VertexId>>,
}

impl GuidedStepper {
    /// A stepper with no agents, no guide and no distance table yet.
    pub fn new(options: GuidedStepOptions) -> Self {
        let pibt = PibtStepper::new(StepOptions {
            allow_follow: false,
            swap: false,
            seed: options.seed,
        });
        Self {
            options,
            pibt,
            traffic: Traffic::default(),
            motion: None,
            positions: Vec::new(),
            goals: Vec::new(),
        }
    }

    /// The settings this stepper was made with.
    pub fn options(&self) -> GuidedStepOptions {
        self.options
    }

    /// Drops the distance tables and the guides; call it whenever the graph changes (a lane
    /// closes). A graph with another vertex or edge count is detected by itself.
    pub fn clear_distances(&mut self) {
        self.pibt.clear_distances();
        self.traffic = Traffic::default();
        self.motion = None;
    }

    /// Plans one step: where each agent should be next, in the order of `agents`.
    ///
    /// See the module doc for the guarantees.
    ///
    /// # Panics
    /// When a position, goal or blocked vertex is not a vertex of `graph`.
    ///
    /// # Complexity
    /// As [`PibtStepper::step`], plus one weighted A* over the graph for each agent with a
    /// new goal or off its guide.
    pub fn step(
        &mut self,
        graph: &Graph,
        agents: &[StepAgent],
        blocked: &[VertexId],
    ) -> Vec<VertexId> {
        let Some(weights) = self.options.weights else {
            return self.pibt.step(graph, agents, blocked);
        };
        if !self
            .motion
            .as_ref()
            .is_some_and(|motion| motion.fits(graph))
        {
            self.traffic = Traffic::default();
            self.motion = Some(GraphMotion::of(graph, weights));
        }
        let motion = self
            .motion
            .as_ref()
            .expect("the motion model was just built");

        // guides need every goal's distance table: estimates, and each guide's detour
        self.pibt.ensure_tables(graph, agents);
        self.positions.clear();
        self.positions.extend(agents.iter().map(|agent| agent.at));
        self.goals.clear();
        self.goals.extend(agents.iter().map(|agent| agent.goal));
        self.traffic.update_with(
            graph,
            motion,
            self.pibt.distances(),
            &self.positions,
            &self.goals,
            Instant::now() + GUIDE_BUDGET,
        );

        let ranking = GuideRanking {
            traffic: &self.traffic,
            motion,
        };
        self.pibt
            .step_ranked(graph, agents, blocked, Some(&ranking))
    }
}

/// Ranks candidates by guide cost-to-go, doubled so that an odd rank marks a vertex off the
/// guide: at equal cost the guide comes first.
///
/// Off the guide, the rank is the distance plus the detour the guide has left from the agent's
/// vertex (not the detour from where it was planned, which [`Traffic::detour`] gives and the
/// LoRR heuristic uses): once the guide's detour lies behind the agent, a neighbour one move
/// closer ranks just below staying, as with distances alone.
struct GuideRanking<'a> {
    traffic: &'a Traffic,
    motion: &'a GraphMotion,
}

impl Ranking for GuideRanking<'_> {
    fn rank(&self, view: &StepView<'_>, agent: usize, vertex: VertexId) -> u32 {
        let distance = view.distance(agent, vertex);
        if view.goals[agent].is_none() {
            return distance.saturating_mul(2);
        }
        if let Some(left) = self.traffic.on_guide_with(self.motion, agent, vertex) {
            return left.saturating_mul(2);
        }
        let from = view.from[agent];
        let detour = match self.traffic.on_guide_with(self.motion, agent, from) {
            Some(left) => left.saturating_sub(view.distance(agent, from)),
            None => self.traffic.detour(agent),
        };
        distance
            .saturating_add(detour)
            .saturating_mul(2)
            .saturating_add(1)
    }
}
