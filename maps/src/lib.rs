//! Yard and lane maps for gatefleet.
//!
//! A [`Yard`] is the site as AGVs see it: a directed graph whose nodes are
//! [`Waypoint`]s (places where an AGV can stop: a lane slot, a crane slot, a gate booth, ...)
//! and whose edges are [`Lane`]s (a directed drivable connection with a length and a speed
//! limit), plus [`Zone`]s, polygons that tell which part of the site a point belongs to (the
//! Vietnamese yard, the km 0 line, a gate, ...), and the [`Crane`]s that serve crane slots.
//!
//! Maps come from files:
//! - [`yard_file`]: our own TOML yard format (see its module doc), with the shipped
//!   yards [`yard_file::HUU_NGHI`] and [`yard_file::TAN_THANH`];
//! - [`grid`]: MovingAI `.map` grids, and [`scen`]: MovingAI `.scen` scenarios, used to
//!   benchmark the planner.
//!
//! This crate knows nothing of vehicles in motion or of time: it is geometry and topology.
//!
//! # Units and frames
//! Positions are in metres in the site frame: x along the border lane (km 0 at x = 0,
//! Vietnam at negative x, China at positive x), y to the left of the export direction.
//! Speeds are in metres per second, durations in seconds.
//!
//! # Examples
//! ```
//! let yard = maps::yard_file::load_builtin("huu-nghi").unwrap();
//! assert!(yard.waypoint_count() > 100);
//! ```

pub mod grid;
pub mod scen;
pub mod text;
pub mod yard;
pub mod yard_file;

pub use grid::{Cell, GridError, GridMap};
pub use scen::{Scenario, ScenarioAgent, ScenarioError};
pub use yard::{
    AgvFootprint, Crane, CraneId, Lane, LaneId, Side, Waypoint, WaypointId, WaypointKind, Yard,
    YardError, Zone, ZoneKind,
};
