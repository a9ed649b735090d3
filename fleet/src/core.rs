//! [`FleetCore`]: the world, its schedule, and the calls that drive it.

use std::collections::BTreeMap;
use std::sync::Arc;

use bevy_ecs::prelude::*;
use maps::{LaneId, WaypointId, Yard};
use planner::lifelong::{GuidedStepOptions, TrafficWeights};
use tracing::debug;

use crate::agv::{Agv, Halt, Purpose, Reported, Standstill, Work};
use crate::ids::{AgvId, ContainerId, MissionId};
use crate::link::{FleetEvent, VehicleCommand, VehicleReport};
use crate::mission::{Clearance, MissionBook, MissionState, MoveRequest};
use crate::plugs::ReeferPlugs;
use crate::rules::{ExclusiveZone, RuleError, Scope, TrafficRules};
use crate::site::{SiteError, SiteLayout};
use crate::systems::{
    self, ActionIds, AgvIndex, DispatchPolicy, Events, FleetClock, Inbox, Outbox, Planning, YardMap,
};

/// Settings of the core.
#[derive(Resource, Clone, Copy, Debug, PartialEq)]
pub struct FleetConfig {
    /// Seed of the planner's tie-breaking.
    pub seed: u64,
    /// An available AGV below this state of charge is sent to swap its battery.
    pub swap_below: f64,
    /// No AGV is given a mission that would take its charge below this.
    pub reserve: f64,
    /// AGVs bound for one swap station at a time: the one swapping and those queued.
    pub swap_queue: usize,
    /// Hours of driving a full battery lasts, for the energy estimate of a mission.
    pub battery_hours: f64,
    /// An AGV this close (in seconds at the lane's limit) to the end of its lane is planned
    /// as if it were there, so that its next lane is released before it stops.
    pub release_ahead_s: f64,
    /// An AGV at work waits for the way ahead rather than take a detour of more than two
    /// lane hops, for at most this long; then it may be sent round (which breaks cycles of
    /// AGVs waiting for each other).
    pub detour_patience_s: f64,
    /// Traffic weights of the planner's guide paths (see `planner::lifelong::yard`);
    /// `None` plans by shortest distance alone, without guides.
    pub guidance: Option<TrafficWeights>,
    /// How missions are given to AGVs.
    pub dispatch: DispatchPolicy,
    /// Reefer plugs of the Vietnamese and the Chinese yard (`None`: without limit): a
    /// reefer is carried to a side only while a plug there is free for it.
    pub reefer_plugs: [Option<usize>; 2],
}

impl Default for FleetConfig {
    fn default() -> Self {
        Self {
            seed: 0,
            swap_below: 0.35,
            reserve: 0.25,
            swap_queue: 3,
            battery_hours: 10.0,
            release_ahead_s: 1.0,
            detour_patience_s: 180.0,
            guidance: GuidedStepOptions::default().weights,
            dispatch: DispatchPolicy::default(),
            reefer_plugs: [None, None],
        }
    }
}

/// Why the core refused something.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FleetError {
    /// The yard lacks places the core needs.
    #[error(transparent)]
    Site(#[from] SiteError),
    /// An AGV id is already in the fleet.
    #[error("{agv} is already in the fleet")]
    DuplicateAgv {
        /// The AGV.
        agv: AgvId,
    },
    /// A traffic rule was refused.
    #[error(transparent)]
    Rule(#[from] RuleError),
    /// A container already has an open mission.
    #[error("{container} already has open mission {mission}")]
    DuplicateContainer {
        /// The container.
        container: ContainerId,
        /// Its open mission.
        mission: MissionId,
    },
    /// No open mission carries this container.
    #[error("no open mission for container {container}")]
    UnknownContainer {
        /// The container.
        container: ContainerId,
    },
    /// Customs stopped a container whose AGV already started loading or carries it.
    #[error(
        "mission {mission} of {container} is already {stage}; customs must stop it at the gate"
    )]
    ClearanceTooLate {
        /// The mission.
        mission: MissionId,
        /// The container.
        container: ContainerId,
        /// Where the mission stands.
        stage: &'static str,
    },
    /// No AGV has this id.
    #[error("{agv} is not in the fleet")]
    UnknownAgv {
        /// The AGV.
        agv: AgvId,
    },
    /// A waypoint id is not of this yard.
    #[error("waypoint {waypoint} is not in yard `{yard}`")]
    UnknownWaypoint {
        /// The waypoint.
        waypoint: WaypointId,
        /// The yard.
        yard: String,
    },
}

/// The fleet manager's core: a `bevy_ecs` world and the schedule that runs one tick.
pub struct FleetCore {
    world: World,
    schedule: Schedule,
    next_rank: usize,
}

impl FleetCore {
    /// A core for a yard, with no AGVs and no missions.
    ///
    /// # Errors
    /// [`FleetError::Site`] when the yard lacks gates, cranes, parking or swap stations.
    pub fn new(yard: Arc<Yard>, config: FleetConfig) -> Result<Self, FleetError> {
        let site = SiteLayout::from_yard(&yard)?;
        let mut world = World::new();
        world.insert_resource(Planning::new(&yard, config.seed, config.guidance));
        world.insert_resource(TrafficRules::for_yard(&yard));
        world.insert_resource(ReeferPlugs::new(config.reefer_plugs));
        world.insert_resource(YardMap(yard));
        world.insert_resource(site);
        world.insert_resource(config);
        world.insert_resource(FleetClock::default());
        world.insert_resource(MissionBook::default());
        world.insert_resource(AgvIndex::default());
        world.insert_resource(Inbox::default());
        world.insert_resource(Outbox::default());
        world.insert_resource(Events::default());
        world.insert_resource(ActionIds::default());
        let schedule = systems::schedule();
        Ok(Self {
            world,
            schedule,
            next_rank: 0,
        })
    }

    /// Adds an AGV standing at a waypoint, idle.
    ///
    /// # Errors
    /// [`FleetError::DuplicateAgv`] or [`FleetError::UnknownWaypoint`].
    pub fn add_agv(&mut self, id: AgvId, at: WaypointId, battery: f64) -> Result<(), FleetError> {
        let yard = &self.world.resource::<YardMap>().0;
        if at.0 as usize >= yard.waypoint_count() {
            return Err(FleetError::UnknownWaypoint {
                waypoint: at,
                yard: yard.name().to_owned(),
            });
        }
        if self.world.resource::<AgvIndex>().0.contains_key(&id) {
            return Err(FleetError::DuplicateAgv { agv: id });
        }
        let report = VehicleReport::standing(id, at, battery);
        let rank = self.next_rank;
        self.next_rank += 1;
        let entity = self
            .world
            .spawn((
                Agv { id, rank },
                Reported(report),
                Work::idle(),
                Standstill { at, since_s: 0.0 },
                Halt::default(),
            ))
            .id();
        self.world.resource_mut::<AgvIndex>().0.insert(id, entity);
        debug!(agv = %id, at = %at, "agv joined");
        Ok(())
    }

    /// Records that a vehicle's connection broke (`connected == false`) or came back.
    ///
    /// A lost AGV stays where it was last seen, and every waypoint it was released stays
    /// reserved: nobody is planned into them, since it may still be driving. It gets no move,
    /// no action and no new work until it is back. A mission it was only driving to (nothing
    /// loaded, no crane action sent) goes back to the queue for another AGV, as does a
    /// mission chained after its work; a container on board stays its mission.
    ///
    /// # Errors
    /// [`FleetError::UnknownAgv`].
    pub fn set_connected(&mut self, agv: AgvId, connected: bool) -> Result<(), FleetError> {
        let entity = *self
            .world
            .resource::<AgvIndex>()
            .0
            .get(&agv)
            .ok_or(FleetError::UnknownAgv { agv })?;
        let mut halt = self
            .world
            .get_mut::<Halt>(entity)
            .ok_or(FleetError::UnknownAgv { agv })?;
        if halt.lost != connected {
            return Ok(());
        }
        halt.lost = !connected;
        if connected {
            tracing::info!(%agv, "vehicle back");
            return Ok(());
        }
        tracing::warn!(%agv, "vehicle lost; its released waypoints stay reserved");
        let assigned = |world: &World, id| {
            world
                .resource::<MissionBook>()
                .get(id)
                .is_some_and(|m| m.state == MissionState::Assigned)
        };
        let Some(work) = self.world.get::<Work>(entity) else {
            return Ok(());
        };
        let mut requeue: Vec<_> = work.next.iter().map(|(next, _)| *next).collect();
        let drop_work = matches!(work.purpose, Purpose::Mission(id)
            if work.action_sent.is_none() && assigned(&self.world, id));
        if let Purpose::Mission(id) = work.purpose
            && drop_work
        {
            requeue.push(id);
        }
        if let Some(mut work) = self.world.get_mut::<Work>(entity) {
            work.next = None;
            if drop_work {
                *work = Work::idle();
            }
        }
        let mut book = self.world.resource_mut::<MissionBook>();
        for id in requeue {
            book.requeue(id);
        }
        Ok(())
    }

    /// The route an AGV is expected to drive on from `from` towards the goal of its current
    /// work, at most `max` waypoints, `from` excluded: shortest in lane hops over the
    /// planner's graph (closed lanes left out). It is a preview (VDA 5050's horizon): the
    /// planner may route the AGV otherwise. Empty without a goal or a route.
    pub fn route_ahead(&mut self, agv: AgvId, from: WaypointId, max: usize) -> Vec<WaypointId> {
        let Some(goal) = self
            .world
            .resource::<AgvIndex>()
            .0
            .get(&agv)
            .and_then(|e| self.world.get::<Work>(*e))
            .and_then(Work::goal)
        else {
            return Vec::new();
        };
        let yard = self.world.resource::<YardMap>().0.clone();
        let mut planning = self.world.resource_mut::<Planning>();
        let table = planning.distances_to(goal);
        let hops = |w: WaypointId| table.get(planner::VertexId(w.0));
        let mut route = Vec::new();
        let mut at = from;
        while at != goal && route.len() < max {
            let here = hops(at);
            if here == planner::UNREACHABLE {
                break;
            }
            let Some(next) = yard
                .lanes_from(at)
                .map(|(_, lane)| lane.to)
                .filter(|&to| hops(to) < here)
                .min_by_key(|&to| (hops(to), to.0))
            else {
                break;
            };
            route.push(next);
            at = next;
        }
        route
    }

    /// Whether an AGV's connection is taken as broken ([`FleetCore::set_connected`]);
    /// `None` for an unknown AGV.
    pub fn is_lost(&self, agv: AgvId) -> Option<bool> {
        let entity = self.world.resource::<AgvIndex>().0.get(&agv)?;
        self.world.get::<Halt>(*entity).map(|h| h.lost)
    }

    /// Accepts a container move; it waits in the queue until customs released it and an AGV
    /// is free.
    ///
    /// # Errors
    /// [`FleetError::DuplicateContainer`] when the container already has an open mission;
    /// nothing changes then.
    pub fn submit(&mut self, request: MoveRequest) -> Result<MissionId, FleetError> {
        let now = self.world.resource::<FleetClock>().now_s;
        let mut book = self.world.resource_mut::<MissionBook>();
        if let Some(open) = book.open_mission_of(request.container) {
            return Err(FleetError::DuplicateContainer {
                container: request.container,
                mission: open.id,
            });
        }
        Ok(book.accept(request, now))
    }

    /// Records a customs decision on a container's open mission. Releasing lets it be
    /// dispatched; any other decision stops a mission that was queued or whose AGV is still
    /// on its way to the crane (the AGV is freed and the mission goes back to the queue).
    ///
    /// # Errors
    /// [`FleetError::UnknownContainer`], or [`FleetError::ClearanceTooLate`] when the
    /// container is being loaded or carried and the decision is not a release; nothing
    /// changes then.
    pub fn set_clearance(
        &mut self,
        container: ContainerId,
        clearance: Clearance,
    ) -> Result<MissionId, FleetError> {
        let book = self.world.resource::<MissionBook>();
        let mission = book
            .open_mission_of(container)
            .ok_or(FleetError::UnknownContainer { container })?
            .clone();
        if clearance != Clearance::Released && mission.state != MissionState::Queued {
            let agv = mission
                .agv
                .and_then(|a| self.world.resource::<AgvIndex>().0.get(&a).copied());
            let loading = agv
                .and_then(|e| self.world.get::<Work>(e))
                .is_none_or(|work| {
                    work.action_sent.is_some() || mission.state != MissionState::Assigned
                });
            if loading {
                return Err(FleetError::ClearanceTooLate {
                    mission: mission.id,
                    container,
                    stage: mission.stage(),
                });
            }
            if let Some(mut work) = agv.and_then(|e| self.world.get_mut::<Work>(e)) {
                *work = Work::idle();
            }
            self.world.resource_mut::<MissionBook>().requeue(mission.id);
        }
        self.world
            .resource_mut::<MissionBook>()
            .set_clearance(mission.id, clearance);
        debug!(mission = %mission.id, %container, ?clearance, "customs decision");
        Ok(mission.id)
    }

    /// A delivered container left the yard on its truck: a reefer frees its plug. Returns
    /// whether a plug was freed (false for a dry container or one never delivered).
    pub fn collected(&mut self, container: ContainerId) -> bool {
        self.world.resource_mut::<ReeferPlugs>().unplug(container)
    }

    /// Reefer plugs: capacity and use.
    pub fn plugs(&self) -> &ReeferPlugs {
        self.world.resource::<ReeferPlugs>()
    }

    /// The traffic rules in force.
    pub fn rules(&self) -> &TrafficRules {
        self.world.resource::<TrafficRules>()
    }

    /// The yard the core runs.
    pub fn yard(&self) -> &Arc<Yard> {
        &self.world.resource::<YardMap>().0
    }

    /// Closes the lane from `from` to `to`: nobody is routed over it from the next tick on.
    ///
    /// # Errors
    /// [`RuleError::UnknownLane`] when no lane joins them.
    pub fn close_lane(&mut self, from: WaypointId, to: WaypointId) -> Result<LaneId, FleetError> {
        self.with_rules(|rules, yard| rules.close_lane(yard, from, to))
    }

    /// Opens a closed lane again.
    ///
    /// # Errors
    /// [`RuleError::UnknownLane`] when no lane joins them.
    pub fn open_lane(&mut self, from: WaypointId, to: WaypointId) -> Result<LaneId, FleetError> {
        self.with_rules(|rules, yard| rules.open_lane(yard, from, to))
    }

    /// Caps the speed of the lanes of a scope; returns how many lanes it caps.
    ///
    /// # Errors
    /// [`RuleError`] for a bad speed or an unknown or empty zone.
    pub fn limit_speed(&mut self, scope: Scope, mps: f64) -> Result<usize, FleetError> {
        self.with_rules(|rules, yard| rules.limit_speed(yard, scope, mps))
    }

    /// Lifts the speed cap of a scope; returns whether there was one.
    pub fn clear_speed_limit(&mut self, scope: &Scope) -> bool {
        self.world
            .resource_mut::<TrafficRules>()
            .clear_speed_limit(scope)
    }

    /// Makes a zone of the yard exclusive: one AGV in it at a time.
    ///
    /// # Errors
    /// [`RuleError`] for an unknown or empty zone.
    pub fn make_exclusive(&mut self, zone: &str) -> Result<(), FleetError> {
        self.with_rules(|rules, yard| rules.make_exclusive(yard, zone))
    }

    /// Makes a named set of waypoints exclusive, e.g. the slots under one crane.
    pub fn add_exclusive(&mut self, zone: ExclusiveZone) {
        self.world
            .resource_mut::<TrafficRules>()
            .add_exclusive(zone);
    }

    /// Stops a scope at once: its AGVs are paused on the next tick and nobody enters it
    /// until it is resumed. Returns the number of waypoints it covers.
    ///
    /// # Errors
    /// [`RuleError`] for an unknown or empty zone.
    pub fn emergency_stop(&mut self, scope: Scope) -> Result<usize, FleetError> {
        tracing::warn!(%scope, "emergency stop");
        self.with_rules(|rules, yard| rules.stop(yard, scope))
    }

    /// Lifts the emergency stop of a scope; returns whether it was stopped.
    pub fn resume(&mut self, scope: &Scope) -> bool {
        let yard = self.world.resource::<YardMap>().0.clone();
        tracing::info!(%scope, "emergency stop lifted");
        self.world
            .resource_mut::<TrafficRules>()
            .resume(&yard, scope)
    }

    fn with_rules<T>(
        &mut self,
        change: impl FnOnce(&mut TrafficRules, &Yard) -> Result<T, RuleError>,
    ) -> Result<T, FleetError> {
        let yard = self.world.resource::<YardMap>().0.clone();
        let mut rules = self.world.resource_mut::<TrafficRules>();
        Ok(change(&mut rules, &yard)?)
    }

    /// Runs one tick at core time `now_s` with the reports received since the last tick, and
    /// returns the commands for the vehicles.
    pub fn tick(
        &mut self,
        now_s: f64,
        reports: impl IntoIterator<Item = VehicleReport>,
    ) -> Vec<VehicleCommand> {
        self.world.resource_mut::<FleetClock>().now_s = now_s;
        self.world.resource_mut::<Inbox>().0.extend(reports);
        self.schedule.run(&mut self.world);
        std::mem::take(&mut self.world.resource_mut::<Outbox>().0)
    }

    /// Takes the facts reported since the last call.
    pub fn take_events(&mut self) -> Vec<FleetEvent> {
        std::mem::take(&mut self.world.resource_mut::<Events>().0)
    }

    /// The missions.
    pub fn missions(&self) -> &MissionBook {
        self.world.resource::<MissionBook>()
    }

    /// The purpose of every AGV, in the order they were added.
    pub fn purposes_into(&mut self, out: &mut Vec<Purpose>) {
        out.clear();
        out.resize(self.next_rank, Purpose::Idle);
        let mut query = self.world.query::<(&Agv, &Work)>();
        for (agv, work) in query.iter(&self.world) {
            out[agv.rank] = work.purpose;
        }
    }

    /// The work of every AGV, by id.
    pub fn work(&mut self) -> BTreeMap<AgvId, Work> {
        let mut query = self.world.query::<(&Agv, &Work)>();
        query
            .iter(&self.world)
            .map(|(agv, work)| (agv.id, work.clone()))
            .collect()
    }
}
