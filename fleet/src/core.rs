//! [`FleetCore`]: the world, its schedule, and the calls that drive it.

use std::collections::BTreeMap;
use std::sync::Arc;

use bevy_ecs::prelude::*;
use maps::{WaypointId, Yard};
use planner::lifelong::{GuidedStepOptions, TrafficWeights};
use tracing::debug;

use crate::agv::{Agv, Purpose, Reported, Standstill, Work};
use crate::ids::{AgvId, MissionId};
use crate::link::{FleetEvent, VehicleCommand, VehicleReport};
use crate::mission::{MissionBook, MoveRequest};
use crate::site::{SiteError, SiteLayout};
use crate::systems::{
    self, ActionIds, AgvIndex, Events, FleetClock, Inbox, Outbox, Planning, YardMap,
};

/// Settings of the core.
#[derive(Resource, Clone, Copy, Debug, PartialEq)]
pub struct FleetConfig {
    /// Seed of the planner's tie-breaking.
    pub seed: u64,
    /// An available AGV below this state of charge is sent to swap its battery.
    pub swap_below: f64,
    /// No mission is given to an AGV below this state of charge.
    pub reserve: f64,
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
}

impl Default for FleetConfig {
    fn default() -> Self {
        Self {
            seed: 0,
            swap_below: 0.35,
            reserve: 0.25,
            release_ahead_s: 1.0,
            detour_patience_s: 180.0,
            guidance: GuidedStepOptions::default().weights,
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
            ))
            .id();
        self.world.resource_mut::<AgvIndex>().0.insert(id, entity);
        debug!(agv = %id, at = %at, "agv joined");
        Ok(())
    }

    /// Accepts a container move; it waits in the queue until an AGV is free.
    pub fn submit(&mut self, request: MoveRequest) -> MissionId {
        let now = self.world.resource::<FleetClock>().now_s;
        self.world
            .resource_mut::<MissionBook>()
            .accept(request, now)
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
