//! The systems of one core tick, their phases, and the resources they share.
//!
//! A tick runs [`FleetSystems::Sense`], then `Decide`, `Plan` and `Act`, each a chain of
//! systems in a fixed order so that a tick is a deterministic function of the world and the
//! reports.

mod act;
mod decide;
mod dispatch;
mod plan;
mod sense;

use std::collections::BTreeMap;
use std::sync::Arc;

use bevy_ecs::prelude::*;
use maps::Yard;

use crate::ids::AgvId;
use crate::link::{FleetEvent, VehicleCommand, VehicleReport};

pub(crate) use act::ActionIds;
pub use dispatch::DispatchPolicy;
pub(crate) use plan::Planning;

/// The phases of a tick, in order.
#[derive(SystemSet, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FleetSystems {
    /// Vehicle reports into components; finished legs and actions move work on.
    Sense,
    /// Missions to AGVs, AGVs to swap stations and parking.
    Decide,
    /// One lifelong planning step over the yard graph.
    Plan,
    /// Commands to the vehicles.
    Act,
}

/// The yard the core runs.
#[derive(Resource, Clone, Debug)]
pub struct YardMap(pub Arc<Yard>);

/// Core time, set by whoever drives the core (sim time or real time); never a wall clock.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct FleetClock {
    /// Seconds since the start of the run.
    pub now_s: f64,
}

/// AGV ids to their entities.
#[derive(Resource, Debug, Default)]
pub(crate) struct AgvIndex(pub BTreeMap<AgvId, Entity>);

/// Reports received since the last tick.
#[derive(Resource, Debug, Default)]
pub(crate) struct Inbox(pub Vec<VehicleReport>);

/// Commands to send after this tick.
#[derive(Resource, Debug, Default)]
pub(crate) struct Outbox(pub Vec<VehicleCommand>);

/// Facts for the world, taken by the caller.
#[derive(Resource, Debug, Default)]
pub(crate) struct Events(pub Vec<FleetEvent>);

/// The schedule of one tick.
pub(crate) fn schedule() -> Schedule {
    let mut schedule = Schedule::default();
    schedule.configure_sets(
        (
            FleetSystems::Sense,
            FleetSystems::Decide,
            FleetSystems::Plan,
            FleetSystems::Act,
        )
            .chain(),
    );
    schedule.add_systems(
        (sense::ingest_reports, sense::advance_work)
            .chain()
            .in_set(FleetSystems::Sense),
    );
    schedule.add_systems(
        (
            plan::follow_closures,
            decide::send_to_swap,
            dispatch::dispatch_missions,
            decide::park_idle,
            decide::pick_free_booths,
            decide::rebalance_crane_slots,
        )
            .chain()
            .in_set(FleetSystems::Decide),
    );
    schedule.add_systems(plan::plan_moves.in_set(FleetSystems::Plan));
    schedule.add_systems(
        (act::pause_and_resume, act::send_commands)
            .chain()
            .in_set(FleetSystems::Act),
    );
    schedule
}
