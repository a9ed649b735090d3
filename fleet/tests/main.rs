//! Integration tests of the fleet core, built as one binary; the tests play the vehicles.
//!
//! Each module lives in its own folder (`<module>/mod.rs`) so that cargo does not also build
//! it as a test binary of its own.

// the stand-in vehicles: keep each AGV's report and obey the core's commands
mod vehicles;

// container moves: the legs of a mission, who gets it, reefers first, low batteries
mod missions;

// what the core sends and to whom: actions before moves, no shared waypoints, stray reports
mod commands;

// joining the fleet: duplicates, unknown waypoints and unconnected yards are refused
mod membership;

// run-time traffic rules and customs on a tiny yard: closures, exclusive zones, e-stops, holds
mod rules;
