//! The world around the gatefleet core: a simulator of the smart border lane.
//!
//! [`Simulation`] drives a [`fleet::FleetCore`] in lock-step, one simulated second per tick,
//! exactly as real vehicles would: it sends the core vehicle reports and carries out the
//! commands that come back. Around the AGVs it simulates what the core does not control:
//! - **demand** ([`demand`]): export trucks arriving at the Vietnamese yard and import
//!   containers released at the Chinese yard, Poisson within hourly profiles, seeded;
//! - **trucks** at their bays, and **customs holds** before a container may cross;
//! - **cranes** ([`services`]), one lift at a time, and the timed checks at gate booths, at
//!   km 0 and at the battery swap station;
//! - **AGV bodies** ([`vehicle`]): nalgebra poses moving lane by lane at their speed, draining
//!   their battery;
//! - a **safety monitor** ([`safety`]), independent of the planner, that checks every tick
//!   that no two AGV footprints overlap, and a **deadlock detector** ([`deadlock`]).
//!
//! A run covers one day or several: a [`Scenario`] ([`scenario`]) turns the config into a
//! week of export surge or a capacity shock on the far side, with the limits of [`intake`]
//! (the export yard's buffer and staging yards, the far side's cap).
//!
//! A run ends with a [`SimReport`]: the KPIs an operator of the lane looks at, with hour by
//! hour series and a summary per day; [`SimReport::write_html`] draws them on one
//! self-contained HTML page.
//!
//! # Units and frames
//! Time in seconds from midnight of day 0; positions in metres in the yard's site frame.
//!
//! # Examples
//! ```no_run
//! let config = sim::SimConfig::builtin("huu-nghi").unwrap().with_hours(2.0);
//! let report = sim::Simulation::new(config).unwrap().run(|_| {});
//! assert_eq!(report.collisions, 0);
//! ```

pub mod config;
pub mod deadlock;
pub mod demand;
mod html;
pub mod intake;
mod report;
pub mod safety;
pub mod scenario;
pub mod services;
mod timeline;
pub mod vehicle;
mod world;

pub use config::{Disturbances, SimConfig, SimError};
pub use html::HtmlError;
pub use report::{BatteryBand, DaySummary, HourlySeries, SimReport, TimeSplit};
pub use scenario::{Scenario, ScenarioKind};
pub use world::Simulation;
