//! Integration tests of the simulator: whole runs of the lane around the real core.

mod day; // a whole day at 1x and 2x meets the lane's targets (long: run with --ignored)
mod delays; // stalls and breakdowns never cause a collision or a deadlock (1,000 runs: --ignored)
mod determinism; // the same seed gives the same report, another seed another one
mod html; // the HTML report holds one plot per figure and the KPI table; bad paths are named
mod runs; // short runs on both shipped yards are safe and clear containers
mod scenarios; // a surge backlog builds and drains, the far side's cap holds; the full weeks
