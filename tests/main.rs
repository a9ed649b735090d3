//! Integration tests of the `gatefleet` binary, run as a user runs it, built as one binary.
//!
//! Each module lives in its own folder (`<module>/mod.rs`) so that cargo does not also build
//! it as a test binary of its own.

// running the binary in a scratch folder, and reading what it printed
mod support;

// bad input: exit code 2 and one line on stderr naming the file or value and the problem
mod bad_input;

// `gatefleet plan` on a MovingAI benchmark: the result file is complete and its plan checks
mod plan;

// `gatefleet sim`: a short run writes its KPIs as JSON
mod sim;

// `gatefleet bench mapf`: the smoke suite, a malformed suite, a missing map
mod bench;

// `gatefleet bench vda-states`: a small load counted exactly, a taken port refused
mod bench_vda;

// `gatefleet lifelong`: a LoRR fixture played and checked, bad input refused
mod lifelong;

// `gatefleet serve` and `gatefleet agv` processes on loopback: moves end to end, footprints,
// a vehicle killed and restarted
mod vda;

// `gatefleet read-code`: container codes read from photos, a broken image refused
mod read_code;
