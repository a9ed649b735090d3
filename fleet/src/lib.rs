//! The gatefleet core: AGVs, missions and the sense-decide-plan-act loop in a `bevy_ecs` world.
//!
//! # The model
//! - An **AGV** is an entity with the components of [`agv`]: who it is ([`Agv`]), what the
//!   vehicle last told us ([`Reported`]), and what it is doing for us ([`Work`]: a queue of
//!   [`Step`]s, each a waypoint to reach and an optional [`Action`] to run there).
//! - A **mission** ([`Mission`]) moves one container from a crane of one side of the border
//!   to a crane of the other, through the gate booths and the km 0 check. Missions live in
//!   the [`MissionBook`] resource. A container crosses only once customs released it
//!   ([`Clearance`]; [`FleetCore::set_clearance`]); until then its mission shows whether it
//!   awaits a decision, is at inspection or is held ([`Mission::stage`]).
//! - The yard ([`YardMap`]), its named places ([`SiteLayout`]), the clock ([`FleetClock`]) and
//!   the planner's state are resources.
//! - Each [`FleetCore::tick`] runs the systems in four phases ([`FleetSystems`]): **sense**
//!   (vehicle reports into components), **decide** (send low batteries to swap, dispatch
//!   missions by a min-cost assignment or nearest-idle ([`DispatchPolicy`]), park the
//!   rest), **plan** (one step of the lifelong planner over the yard graph: traffic-aware
//!   guide paths and PIBT) and **act** (per-vehicle commands: drive to the next waypoint
//!   with the lane's speed limit, start an action, pause or resume).
//! - **Energy**: no AGV is given work that would take its battery below
//!   [`FleetConfig::reserve`], the drive back to a swap station included; low batteries go
//!   to the swap stations, lowest first, a few at a time per station.
//!
//! # Traffic
//! The plan phase runs the lifelong planner that also plays LoRR, in its heading-free mode
//! for directed graphs (`planner::lifelong::GuidedStepper`): each AGV keeps a guide path to
//! its goal that avoids the other AGVs' guides, and PIBT ranks its moves along it.
//! A lane takes an AGV several seconds, so the plan phase runs the planner's follow-ban mode:
//! an AGV is sent only into a waypoint that is empty now, holds both ends of the lane it
//! drives, and is released its next waypoint shortly before it arrives so it need not stop.
//! The yards are one-way loops, where one step the wrong way can cost a lap: an AGV at work
//! therefore waits for the way ahead instead of being pushed more than two hops off its
//! route, until it has stood still for [`FleetConfig::detour_patience_s`] (which breaks
//! cycles of AGVs waiting for each other). Idle and parking AGVs make way freely.
//!
//! Plans are executed closed-loop, one waypoint deep, from what the vehicles report: a
//! vehicle that is late, stalls or breaks down is never driven into, and only the AGVs
//! behind it on its lane wait for it (see the plan phase's docs). The operator's
//! [`TrafficRules`] act in the same phase: closed lanes, speed limits, exclusive zones and
//! emergency stops scoped to a zone or a side ([`FleetCore::close_lane`],
//! [`FleetCore::limit_speed`], [`FleetCore::make_exclusive`], [`FleetCore::emergency_stop`]).
//!
//! The core never reads a wall clock and never knows whether a vehicle is simulated: vehicle
//! reports come in and [`VehicleCommand`]s go out through [`FleetCore::tick`], in the spirit of
//! VDA 5050 (nodes to drive, actions to run, states reported back).
//!
//! # Examples
//! ```
//! use std::sync::Arc;
//! use fleet::{AgvId, FleetConfig, FleetCore};
//!
//! let yard = Arc::new(maps::yard_file::load_builtin("huu-nghi").unwrap());
//! let park = yard.find("vn-park-01").unwrap();
//! let mut core = FleetCore::new(yard, FleetConfig::default()).unwrap();
//! core.add_agv(AgvId(0), park, 0.9);
//! let commands = core.tick(0.0, Vec::new());
//! assert!(commands.is_empty(), "an idle parked AGV stays put");
//! ```

pub mod agv;
mod core;
pub mod ids;
pub mod link;
pub mod mission;
pub mod plugs;
pub mod rules;
pub mod site;
mod systems;

pub use crate::core::{FleetConfig, FleetCore, FleetError};
pub use agv::{Agv, Halt, Purpose, Reported, Standstill, Step, Work};
pub use ids::{ActionId, AgvId, ContainerId, MissionId};
pub use link::{Action, ActionState, ActionStatus, FleetEvent, VehicleCommand, VehicleReport};
pub use mission::{Clearance, Direction, Mission, MissionBook, MissionState, MoveRequest};
pub use plugs::ReeferPlugs;
pub use rules::{ExclusiveZone, RuleError, Scope, TrafficRules};
pub use site::{SiteError, SiteLayout};
pub use systems::{DispatchPolicy, FleetClock, FleetSystems, YardMap};
