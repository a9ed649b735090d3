//! Integration tests of the simulator: whole runs of the lane around the real core.

mod day; // a whole day at 1x and 2x meets the lane's targets (long: run with --ignored)
mod delays;
mod determinism; // the same seed gives the same report, another seed another one
mod runs; // short runs on both shipped yards are safe and clear containers // stalls and breakdowns never cause a collision or a deadlock (1,000 runs: --ignored)
