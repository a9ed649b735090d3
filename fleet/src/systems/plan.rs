//! Plan: one lifelong PIBT step for the whole fleet, every tick.
//!
//! Vehicles take several seconds to drive a lane, so the core plans in the planner's
//! follow-ban mode: an AGV may only be sent to a waypoint that is empty now. An AGV driving
//! a lane holds both its ends: it stands at the lane's end for the planner, and the lane's
//! start is blocked until it arrives. AGVs running an action, or about to start one, do not
//! move. Everyone else is moved towards the goal of its current leg (or pushed out of the
//! way), so an AGV gets its next goal as soon as it reaches one.

use bevy_ecs::prelude::*;
use maps::{WaypointId, Yard};
use planner::{DistanceCache, DistanceTable, Graph, PibtStepper, StepAgent, StepOptions, VertexId};

use crate::agv::{Agv, Reported, Work};

/// The planner's state kept between ticks.
#[derive(Resource)]
pub(crate) struct Planning {
    graph: Graph,
    stepper: PibtStepper,
    distances: DistanceCache,
    agents: Vec<StepAgent>,
    blocked: Vec<VertexId>,
    rows: Vec<(usize, Entity, WaypointId, bool)>,
    /// Moves decided this tick, for the act phase.
    pub(crate) moves: Vec<(Entity, WaypointId)>,
}

impl Planning {
    pub(crate) fn new(yard: &Yard, seed: u64) -> Self {
        let graph = Graph::from_yard(yard);
        let options = StepOptions { allow_follow: false, swap: false, seed };
        Self {
            stepper: PibtStepper::new(options),
            distances: DistanceCache::new(),
            graph,
            agents: Vec::new(),
            blocked: Vec::new(),
            rows: Vec::new(),
            moves: Vec::new(),
        }
    }

    /// Lane hops from every waypoint to `goal`.
    pub(crate) fn distances_to(&mut self, goal: WaypointId) -> &DistanceTable {
        self.distances.table(&self.graph, VertexId(goal.0))
    }
}

/// Whether the AGV stands at the goal of a leg whose action is due or running.
fn is_held_by_action(reported: &Reported, work: &Work) -> bool {
    let at_goal = work.steps.front().is_some_and(|s| s.goal == reported.0.at && s.action.is_some());
    reported.0.driving_to.is_none() && (at_goal || work.action_sent)
}

/// Decides the next waypoint of every AGV.
pub(super) fn plan_moves(mut planning: ResMut<Planning>, agvs: Query<(Entity, &Agv, &Reported, &Work)>) {
    let planning = &mut *planning;
    planning.rows.clear();
    planning.agents.clear();
    planning.blocked.clear();
    planning.moves.clear();

    // agents in rank order, so that a tick does not depend on the world's storage order
    for (entity, agv, reported, work) in &agvs {
        let driving = reported.0.driving_to.is_some();
        let movable = !driving && !is_held_by_action(reported, work);
        planning.rows.push((agv.rank, entity, reported.position(), movable));
        if driving {
            planning.blocked.push(VertexId(reported.0.at.0));
        }
    }
    planning.rows.sort_unstable_by_key(|r| r.0);
    for &(_, entity, at, movable) in &planning.rows {
        let goal = agvs.get(entity).ok().and_then(|(_, _, _, w)| w.goal()).map(|g| VertexId(g.0));
        planning.agents.push(StepAgent { at: VertexId(at.0), goal, movable });
    }

    let next = planning.stepper.step(&planning.graph, &planning.agents, &planning.blocked);
    for (&(_, entity, at, movable), to) in planning.rows.iter().zip(next) {
        if movable && to.0 != at.0 {
            planning.moves.push((entity, WaypointId(to.0)));
        }
    }
}
