//! Integration tests of the maps crate, one binary (`cargo test -p maps --test yards`).

// the shipped yards: they load, hold every kind, and the graph is strongly connected
mod shipped;
// the shipped yards keep AGV footprints apart (geometric safety of slot occupancy)
mod footprints;
// yard files with faults: each refusal names the file, the line and the entry
mod errors;
