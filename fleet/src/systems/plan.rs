//! Plan: one step of the lifelong planner for the whole fleet, every tick.
//!
//! The planner is the one that plays LoRR (`planner::lifelong`), in its heading-free mode
//! for directed graphs ([`GuidedStepper`]): each AGV with a goal keeps a traffic-aware guide
//! path over the yard graph, priced by the other AGVs' guides so that flows spread over
//! parallel routes and keep off lanes used the other way, and one PIBT step ranks every
//! AGV's next waypoint by the moves left along its guide. Guides are kept across ticks and
//! replanned only when an AGV's goal changes or it is pushed off its guide. Yard AGVs need
//! no heading: lanes are directed and an AGV turns while it drives.
//!
//! Why this planner: one planner for the LoRR benchmark and the yard, so that what is
//! measured on the one is what drives the other, and yards with parallel or two-way lanes
//! get their traffic spread. On the shipped one-way ladder yards the guides are the
//! shortest paths, so it drives the day as the distance-only PIBT did (same clearance and
//! utilisation within seed noise, at a similar wall time); [`FleetConfig::guidance`] `None`
//! plans by shortest distance alone, for comparison.
//!
//! Vehicles take several seconds to drive a lane, so the core plans in the planner's
//! follow-ban mode: an AGV may only be sent to a waypoint that is empty now. An AGV driving
//! a lane holds both its ends: it stands at the lane's end for the planner, and the lane's
//! start is blocked until it arrives. Shortly before it arrives it may be given its next
//! waypoint, which it then also holds, so that it drives on without stopping (VDA 5050's
//! base extension, one node at a time). AGVs running an action, or about to start one, do
//! not move. Everyone else is moved towards the goal of its current leg (or pushed out of the
//! way), so an AGV gets its next goal as soon as it reaches one.
//!
//! # Execution under delays
//! Plans are executed closed-loop, one waypoint deep: every tick the planner starts from
//! where the vehicles report they are, and a move is released only into a waypoint that is
//! empty now and then reserved for the one AGV sent there. That is the rule of an action
//! dependency graph (enter a slot only after the AGV planned there before has left it)
//! with every dependency settled at the moment of release, so a vehicle that is late, early
//! or broken down can never be driven into, and only the AGVs queued behind it on its lane
//! wait for it; the others are planned around it.
//!
//! # Traffic rules
//! The operator's [`TrafficRules`] act here: closed lanes are not in the planner's graph
//! (rebuilt when they change, before dispatch), AGVs under an emergency stop are not moved
//! and nobody is moved into a stopped scope, and a move into an exclusive zone that another
//! AGV holds is turned into a wait.

use bevy_ecs::prelude::*;
use maps::{WaypointId, Yard};
use planner::lifelong::{GuidedStepOptions, GuidedStepper, TrafficWeights};
use planner::{DistanceCache, DistanceTable, Graph, StepAgent, VertexId};

use super::{FleetClock, YardMap};
use crate::agv::{Agv, Halt, Purpose, Reported, Standstill, Work};
use crate::core::FleetConfig;
use crate::rules::TrafficRules;

/// The longest detour, in lane hops, the planner may send an AGV on. On the one-way ladders
/// of the yards, one step past a full crane rung costs a loop of the yard (tens of hops): the
/// AGV waits for the rung instead. Small detours (the other booth of a gate) stay allowed.
const MAX_DETOUR_HOPS: u32 = 2;

/// The planner's state kept between ticks.
#[derive(Resource)]
pub(crate) struct Planning {
    graph: Graph,
    stepper: GuidedStepper,
    distances: DistanceCache,
    agents: Vec<StepAgent>,
    blocked: Vec<VertexId>,
    rows: Vec<(usize, Entity, StepAgent)>,
    /// Moves decided this tick, for the act phase: the AGV, the lane's start and its end.
    pub(crate) moves: Vec<(Entity, WaypointId, WaypointId)>,
    /// Per exclusive zone, the AGV that holds it this tick.
    zone_holders: Vec<Option<Entity>>,
}

impl Planning {
    pub(crate) fn new(yard: &Yard, seed: u64, guidance: Option<TrafficWeights>) -> Self {
        let graph = Graph::from_yard(yard);
        let options = GuidedStepOptions {
            seed,
            weights: guidance,
        };
        Self {
            stepper: GuidedStepper::new(options),
            distances: DistanceCache::new(),
            graph,
            agents: Vec::new(),
            blocked: Vec::new(),
            rows: Vec::new(),
            moves: Vec::new(),
            zone_holders: Vec::new(),
        }
    }

    /// Rebuilds the graph without the closed lanes, and forgets every distance and guide.
    pub(crate) fn rebuild_graph(&mut self, yard: &Yard, rules: &TrafficRules) {
        let edges: Vec<(VertexId, VertexId)> = yard
            .lanes()
            .filter(|(id, _)| !rules.is_closed(*id))
            .map(|(_, lane)| (VertexId(lane.from.0), VertexId(lane.to.0)))
            .collect();
        self.graph = Graph::from_edges(yard.waypoint_count(), &edges)
            .expect("a yard's lanes join two distinct waypoints of the yard");
        self.stepper.clear_distances();
        self.distances = DistanceCache::new();
    }

    /// Lane hops from every waypoint to `goal`.
    pub(crate) fn distances_to(&mut self, goal: WaypointId) -> &DistanceTable {
        self.distances.table(&self.graph, VertexId(goal.0))
    }
}

/// How the planner sees one AGV this tick.
struct View {
    /// The last waypoint released to it.
    at: WaypointId,
    /// Whether it may be given a next waypoint now.
    movable: bool,
    /// Waypoints it holds besides `at`, which nobody may enter.
    holds: [Option<WaypointId>; 2],
}

/// An AGV standing still may move unless an action is due or running where it stands. An
/// AGV driving is planned from the end of its lane, and may be given its next waypoint once
/// it is within `release_ahead_s` of that end, unless it must stop there for an action.
fn view(
    reported: &Reported,
    work: &Work,
    yard: &Yard,
    rules: &TrafficRules,
    release_ahead_s: f64,
) -> View {
    let report = reported.0;
    let step = work.steps.front();
    let acts_at = |w: WaypointId| step.is_some_and(|s| s.goal == w && s.action.is_some());
    match (report.driving_to, report.then_to) {
        (None, _) => View {
            at: report.at,
            movable: !acts_at(report.at) && work.action_sent.is_none(),
            holds: [None, None],
        },
        (Some(to), Some(then)) => View {
            at: then,
            movable: false,
            holds: [Some(report.at), Some(to)],
        },
        (Some(to), None) => {
            let lane = yard.lane_between(report.at, to);
            let seconds_left = lane.map_or(f64::INFINITY, |id| {
                let left_m = yard.lane(id).length_m - report.distance_since_last_node_m;
                left_m / rules.speed_limit(yard, id)
            });
            let movable = seconds_left <= release_ahead_s && !acts_at(to);
            View {
                at: to,
                movable,
                holds: [Some(report.at), None],
            }
        }
    }
}

/// Rebuilds the planner's graph when lanes were closed or opened since the last tick.
pub(super) fn follow_closures(
    yard: Res<YardMap>,
    mut rules: ResMut<TrafficRules>,
    mut planning: ResMut<Planning>,
) {
    if rules.graph_changed {
        planning.rebuild_graph(&yard.0, &rules);
        rules.graph_changed = false;
        tracing::info!(
            closed = rules.closed_lanes().count(),
            "lanes changed; routes re-planned"
        );
    }
}

/// Decides the next waypoint of every AGV.
pub(super) fn plan_moves(
    config: Res<FleetConfig>,
    clock: Res<FleetClock>,
    yard: Res<YardMap>,
    rules: Res<TrafficRules>,
    mut planning: ResMut<Planning>,
    mut agvs: Query<(Entity, &Agv, &Reported, &Work, &Halt, &mut Standstill)>,
) {
    let planning = &mut *planning;
    planning.rows.clear();
    planning.agents.clear();
    planning.blocked.clear();
    planning.moves.clear();
    planning.zone_holders.clear();
    planning
        .zone_holders
        .resize(rules.exclusive_zones().len(), None);

    // agents in rank order, so that a tick does not depend on the world's storage order
    for (entity, agv, reported, work, halt, mut still) in &mut agvs {
        let mut view = view(reported, work, &yard.0, &rules, config.release_ahead_s);
        if halt.holds_still() || rules.is_stopped(view.at) {
            view.movable = false;
        }
        for w in std::iter::once(view.at).chain(view.holds.iter().flatten().copied()) {
            if let Some(zone) = rules.exclusive_zone_of(w) {
                planning.zone_holders[zone].get_or_insert(entity);
            }
        }
        let in_action = work.action_sent.is_some() && reported.is_standing();
        still.update(reported, in_action, clock.now_s);
        // AGVs at work wait rather than detour, until they have waited so long that they
        // may be part of a cycle of waiting AGVs; idle and parking ones may be pushed anywhere
        let patient = still.seconds(clock.now_s) < config.detour_patience_s;
        let at_work = matches!(work.purpose, Purpose::Mission(_) | Purpose::Swap) && patient;
        let agent = StepAgent {
            at: VertexId(view.at.0),
            goal: work.goal().map(|g| VertexId(g.0)),
            movable: view.movable,
            max_detour: at_work.then_some(MAX_DETOUR_HOPS),
        };
        planning.rows.push((agv.rank, entity, agent));
        let holds = view.holds.iter().flatten().map(|w| VertexId(w.0));
        planning.blocked.extend(holds);
    }
    planning.rows.sort_unstable_by_key(|r| r.0);
    planning.agents.extend(planning.rows.iter().map(|r| r.2));
    // nobody enters a stopped scope
    if rules.stopped_scopes().next().is_some() {
        planning.blocked.extend(
            (0..yard.0.waypoint_count() as u32)
                .filter(|&w| rules.is_stopped(WaypointId(w)))
                .map(VertexId),
        );
    }

    let next = planning
        .stepper
        .step(&planning.graph, &planning.agents, &planning.blocked);
    for (&(_, entity, agent), to) in planning.rows.iter().zip(next) {
        if !agent.movable || to == agent.at {
            continue;
        }
        let to = WaypointId(to.0);
        // a move into an exclusive zone held by another AGV waits; waiting is always safe,
        // since in follow-ban mode nobody was planned into the waypoint this AGV leaves
        if let Some(zone) = rules.exclusive_zone_of(to) {
            match planning.zone_holders[zone] {
                Some(holder) if holder != entity => continue,
                _ => planning.zone_holders[zone] = Some(entity),
            }
        }
        planning.moves.push((entity, WaypointId(agent.at.0), to));
    }
}
