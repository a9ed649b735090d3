//! The yard model: waypoints and lanes as a directed graph, zones as polygons, and cranes.
//!
//! A [`Yard`] is built through a [`YardBuilder`], which checks what makes slot occupancy a
//! safe abstraction for the planner: every lane is at least one AGV length plus its safety
//! gap long (so two AGVs on two adjacent waypoints cannot touch), every lane references
//! known waypoints, and speed limits of zones are applied to the lanes that run through
//! them. Once built, a yard is immutable; run-time state such as lane closures lives with
//! the fleet.

mod builder;
mod region;
mod zone;

use std::collections::HashMap;
use std::fmt;

use nalgebra::Point2;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::{Deserialize, Serialize};

pub use builder::{MAX_BODY_M, MAX_SERVICE_S, MAX_SPEED_MPS, YardBuilder, YardError};
pub use zone::{Zone, ZoneKind};

/// Index of a waypoint in its [`Yard`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct WaypointId(pub u32);

/// Index of a lane in its [`Yard`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LaneId(pub u32);

/// Index of a crane in its [`Yard`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CraneId(pub u32);

impl fmt::Display for WaypointId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "wp{}", self.0)
    }
}

impl fmt::Display for LaneId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "lane{}", self.0)
    }
}

impl fmt::Display for CraneId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "crane{}", self.0)
    }
}

/// Which side of the border a place is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Vietnam (Lạng Sơn), negative x.
    Vn,
    /// China (Guangxi), positive x.
    Cn,
}

impl Side {
    /// The other side.
    pub fn other(self) -> Self {
        match self {
            Side::Vn => Side::Cn,
            Side::Cn => Side::Vn,
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Vn => "vn",
            Side::Cn => "cn",
        })
    }
}

/// What happens at a waypoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaypointKind {
    /// Where a road truck stands to drop or collect a container.
    TruckBay,
    /// Under a yard crane: an AGV is loaded or unloaded here.
    CraneSlot,
    /// A customs gate booth: code read, e-seal and declaration check.
    GateBooth,
    /// The km 0 border-line check.
    BorderCheckpoint,
    /// A plain slot of a lane, one AGV long plus its safety gap.
    LaneSlot,
    /// A battery swap lane.
    SwapStation,
    /// A parking slot for idle AGVs.
    Parking,
}

/// A place where an AGV can stop or pass.
#[derive(Clone, Debug, PartialEq)]
pub struct Waypoint {
    /// Unique name within the yard, e.g. `vn-crane-1a` or `export-0042`.
    pub name: String,
    /// Position in the site frame, metres.
    pub position: Point2<f64>,
    /// What happens here.
    pub kind: WaypointKind,
    /// Side of the border (from the position: negative x is Vietnam).
    pub side: Side,
}

/// A directed drivable connection between two waypoints.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    /// Where the lane starts.
    pub from: WaypointId,
    /// Where it ends.
    pub to: WaypointId,
    /// Straight-line length in metres.
    pub length_m: f64,
    /// Highest allowed speed in m/s, after zone limits.
    pub speed_limit_mps: f64,
}

/// A yard crane serving one or more crane slots, one lift at a time.
#[derive(Clone, Debug, PartialEq)]
pub struct Crane {
    /// Unique name, e.g. `vn-crane-1`.
    pub name: String,
    /// Side of the border it stands on.
    pub side: Side,
    /// The crane slots it reaches.
    pub slots: Vec<WaypointId>,
}

/// The AGV body that slots are sized for.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgvFootprint {
    /// Length along the direction of travel, metres.
    pub length_m: f64,
    /// Width, metres.
    pub width_m: f64,
    /// Clearance kept in front of and behind the vehicle, metres.
    pub safety_gap_m: f64,
}

impl AgvFootprint {
    /// The shortest lane between two waypoints that still keeps AGVs on both apart.
    pub fn min_slot_m(&self) -> f64 {
        self.length_m + self.safety_gap_m
    }
}

impl Default for AgvFootprint {
    /// A container AGV: about 15 m x 3 m, 5 m gap (gap assumed).
    fn default() -> Self {
        Self {
            length_m: 15.0,
            width_m: 3.0,
            safety_gap_m: 5.0,
        }
    }
}

/// Fixed service durations at the site, seconds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceTimes {
    /// One crane lift onto or off an AGV.
    pub crane_lift_s: f64,
    /// One container at a gate booth.
    pub booth_check_s: f64,
    /// The km 0 border-line check.
    pub border_check_s: f64,
    /// One battery swap.
    pub battery_swap_s: f64,
}

impl Default for ServiceTimes {
    /// The public figures: 150 s lift, 30 s booth, 15 s km 0, 6 min swap.
    fn default() -> Self {
        Self {
            crane_lift_s: 150.0,
            booth_check_s: 30.0,
            border_check_s: 15.0,
            battery_swap_s: 360.0,
        }
    }
}

/// The site: waypoints, lanes, zones, cranes, the AGV body and service times.
#[derive(Clone, Debug)]
pub struct Yard {
    name: String,
    graph: DiGraph<Waypoint, Lane, u32>,
    by_name: HashMap<String, WaypointId>,
    zones: Vec<Zone>,
    cranes: Vec<Crane>,
    crane_of_slot: HashMap<WaypointId, CraneId>,
    footprint: AgvFootprint,
    times: ServiceTimes,
}

impl Yard {
    /// The yard's name, e.g. `huu-nghi`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Number of waypoints; ids run from 0 to this, exclusive.
    pub fn waypoint_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of lanes; ids run from 0 to this, exclusive.
    pub fn lane_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// A waypoint by id.
    ///
    /// # Panics
    /// When `id` is not of this yard.
    pub fn waypoint(&self, id: WaypointId) -> &Waypoint {
        &self.graph[NodeIndex::new(id.0 as usize)]
    }

    /// All waypoints with their ids, in id order.
    pub fn waypoints(&self) -> impl Iterator<Item = (WaypointId, &Waypoint)> + '_ {
        self.graph
            .node_indices()
            .map(|n| (WaypointId(n.index() as u32), &self.graph[n]))
    }

    /// A waypoint id by name.
    pub fn find(&self, name: &str) -> Option<WaypointId> {
        self.by_name.get(name).copied()
    }

    /// A lane by id.
    ///
    /// # Panics
    /// When `id` is not of this yard.
    pub fn lane(&self, id: LaneId) -> &Lane {
        &self.graph[EdgeIndex::new(id.0 as usize)]
    }

    /// All lanes with their ids, in id order.
    pub fn lanes(&self) -> impl Iterator<Item = (LaneId, &Lane)> + '_ {
        self.graph
            .edge_indices()
            .map(|e| (LaneId(e.index() as u32), &self.graph[e]))
    }

    /// Lanes leaving a waypoint.
    pub fn lanes_from(&self, id: WaypointId) -> impl Iterator<Item = (LaneId, &Lane)> + '_ {
        self.graph
            .edges(NodeIndex::new(id.0 as usize))
            .map(|e| (LaneId(e.id().index() as u32), e.weight()))
    }

    /// The lane from `from` to `to`, if there is one.
    pub fn lane_between(&self, from: WaypointId, to: WaypointId) -> Option<LaneId> {
        self.graph
            .find_edge(
                NodeIndex::new(from.0 as usize),
                NodeIndex::new(to.0 as usize),
            )
            .map(|e| LaneId(e.index() as u32))
    }

    /// Waypoints of a kind, in id order.
    pub fn waypoints_of(&self, kind: WaypointKind) -> impl Iterator<Item = WaypointId> + '_ {
        self.waypoints()
            .filter(move |(_, w)| w.kind == kind)
            .map(|(id, _)| id)
    }

    /// The zones, in file order.
    pub fn zones(&self) -> &[Zone] {
        &self.zones
    }

    /// The zones containing a point.
    pub fn zones_at(&self, point: &Point2<f64>) -> impl Iterator<Item = &Zone> + '_ {
        let point = *point;
        self.zones.iter().filter(move |z| z.contains(&point))
    }

    /// The cranes, in id order.
    pub fn cranes(&self) -> &[Crane] {
        &self.cranes
    }

    /// A crane by id.
    ///
    /// # Panics
    /// When `id` is not of this yard.
    pub fn crane(&self, id: CraneId) -> &Crane {
        &self.cranes[id.0 as usize]
    }

    /// The crane that serves a crane slot.
    pub fn crane_of_slot(&self, slot: WaypointId) -> Option<CraneId> {
        self.crane_of_slot.get(&slot).copied()
    }

    /// The AGV body the slots are sized for.
    pub fn footprint(&self) -> AgvFootprint {
        self.footprint
    }

    /// Fixed service durations.
    pub fn times(&self) -> ServiceTimes {
        self.times
    }
}
